/**
 * A change plan: what applying a plan does to what an earlier plan deployed, per stack — resources added,
 * removed, changed in place and replaced, with the inputs that force each replacement (./replacement) and what
 * it means for the network, in words an engineer acts on. A replaced resource gets a new id in AWS, so every
 * resource that takes that id is changed too, and replaced when the id is one of its replacing inputs (a new
 * customer gateway replaces its VPN connections). Pure: plans in, changes out.
 */
import type { PlannedResourceInput } from "./reachability/planInput";
import { replacementRule, replacingInputs } from "./replacement";

/** A resource as two plans are compared: the fields of `hybridnet plan --json` resources. */
export interface ComparableResource extends PlannedResourceInput {
  /**
   * Keyed digests of secret inputs (present when the plans were made with `HYBRIDNET_PLAN_KEY`): a secret
   * shows `"[secret]"` in both plans, so only its digest can tell whether it changed.
   */
  secretDigests?: Record<string, string>;
}

export interface ComparableStack {
  name: string;
  resources: readonly ComparableResource[];
}

export type ChangeKind = "add" | "remove" | "update" | "replace";

export interface ResourceChange {
  stack: string;
  urn: string;
  type: string;
  name: string;
  kind: ChangeKind;
  /** Top-level inputs that differ (update, replace). */
  changed: string[];
  /** Inputs that force the replacement. */
  forcedBy: string[];
  /** The resources whose replacement (a new id) changed this one's inputs. */
  becauseOf?: string[];
  /** Secret inputs that could not be compared: the plans carry no digests. */
  uncompared?: string[];
  /** A stateful connectivity resource (./replacement): replacing it interrupts traffic. */
  stateful: boolean;
  /** What it means for the network. */
  meaning: string;
  /** A replacement of a stateful resource that was not allowed: it fails the plan. */
  blocking: boolean;
}

/** What replacing each stateful resource type means for the network. */
const REPLACED_MEANS: Record<string, string> = {
  "aws:ec2/vpnConnection:VpnConnection":
    "new tunnel outside addresses and keys: the tunnels are down until the device is reconfigured",
  "aws:ec2/customerGateway:CustomerGateway":
    "a new customer gateway id: every VPN connection on it is replaced too",
  "aws:ec2/vpnGateway:VpnGateway":
    "the VPC loses its VPN and Direct Connect paths until the new gateway is attached and its connections are re-created",
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment":
    "the VPC leaves the hub: its association, propagations and routes are re-created, traffic stops meanwhile",
  "aws:directconnect/gatewayAssociation:GatewayAssociation":
    "the gateway's prefixes are withdrawn from Direct Connect until the new association is up",
  "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface":
    "the BGP session on this VLAN drops; the router needs the new interface's VLAN, addresses and key",
  "aws:directconnect/transitVirtualInterface:TransitVirtualInterface":
    "the BGP session on this VLAN drops; the router needs the new interface's VLAN, addresses and key",
  "aws:directconnect/publicVirtualInterface:PublicVirtualInterface":
    "the BGP session on this VLAN drops; the router needs the new interface's VLAN, addresses and key",
  "aws:directconnect/gateway:Gateway":
    "a new Direct Connect gateway: every association and virtual interface on it is re-created",
  "aws:ec2/vpcEndpointService:VpcEndpointService":
    "a new service name: every consumer's endpoint must be re-created and accepted",
  "aws:ec2transitgateway/transitGateway:TransitGateway":
    "a new transit gateway: every attachment, table and route of the hub is re-created",
  "aws:ec2clientvpn/endpoint:Endpoint":
    "a new endpoint DNS name: every user needs a new client configuration",
};

const UPDATED_MEANS: Record<string, string> = {
  "aws:ec2/vpnConnection:VpnConnection":
    "modified in place: AWS applies tunnel changes one tunnel at a time, each tunnel restarts",
};

/** Stateful resources no input of which replaces them (./replacement lists those that have one). */
const STATEFUL_ONLY: Record<string, string> = {
  // Every argument is modifiable (ModifyVpcEndpointServiceConfiguration); removing it cuts every consumer.
  "aws:ec2/vpcEndpointService:VpcEndpointService": "endpoint service",
};

/**
 * What AWS holds once: a second resource with the same values of these inputs is refused while the first
 * exists. A renamed resource is created before the old one is deleted (Pulumi's default), so renaming one of
 * these fails the apply unless the old name is aliased or the old one deleted first.
 */
const UNIQUE_IN_AWS: Record<string, { inputs: string[]; what: string }> = {
  // EC2 CreateRoute: RouteAlreadyExists for a destination the table already routes.
  "aws:ec2/route:Route": {
    inputs: ["routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"],
    what: "route per table and destination",
  },
  // EC2 CreateTransitGatewayRoute: one route per table and destination.
  "aws:ec2transitgateway/route:Route": {
    inputs: ["transitGatewayRouteTableId", "destinationCidrBlock"],
    what: "transit gateway route per table and destination",
  },
  // An attachment has one route table association (Resource.AlreadyAssociated).
  "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation": {
    inputs: ["transitGatewayAttachmentId"],
    what: "association per attachment",
  },
  "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation": {
    inputs: ["transitGatewayAttachmentId", "transitGatewayRouteTableId"],
    what: "propagation per attachment and table",
  },
  // Client VPN: a subnet is associated with an endpoint once.
  "aws:ec2clientvpn/networkAssociation:NetworkAssociation": {
    inputs: ["clientVpnEndpointId", "subnetId"],
    what: "association per endpoint and subnet",
  },
  // EC2: InvalidPermission.Duplicate for a rule the group already has.
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
    inputs: ["securityGroupId", "ipProtocol", "fromPort", "toPort", "cidrIpv4", "referencedSecurityGroupId"],
    what: "rule per group, protocol, ports and source",
  },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
    inputs: ["securityGroupId", "ipProtocol", "fromPort", "toPort", "cidrIpv4", "referencedSecurityGroupId"],
    what: "rule per group, protocol, ports and destination",
  },
};

/** Types that are never compared: components have no inputs of their own, providers are configuration. */
function compared(r: ComparableResource): boolean {
  return !r.type.startsWith("hybridnet:") && !r.type.startsWith("pulumi:");
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether `value` holds the text `id` anywhere (an input that takes another resource's id). */
function holds(value: unknown, id: string): boolean {
  if (typeof value === "string") return value === id || value.endsWith(`/${id}`);
  if (Array.isArray(value)) return value.some((v) => holds(v, id));
  if (value !== null && typeof value === "object") return Object.values(value).some((v) => holds(v, id));
  return false;
}

/**
 * The changes from `before` to `after`. `allow` lists URNs or type tokens whose replacement is accepted
 * (`--allow-replace`); any other replacement of a stateful resource is blocking.
 */
export function diffPlans(
  before: readonly ComparableStack[],
  after: readonly ComparableStack[],
  allow: readonly string[] = [],
): ResourceChange[] {
  const changes: ResourceChange[] = [];
  const stacks = [...new Set([...before.map((s) => s.name), ...after.map((s) => s.name)])].sort();
  for (const stack of stacks) {
    const old = new Map(
      (before.find((s) => s.name === stack)?.resources ?? []).filter(compared).map((r) => [r.urn, r]),
    );
    const now = (after.find((s) => s.name === stack)?.resources ?? []).filter(compared);
    const nowUrns = new Set(now.map((r) => r.urn));
    const stackChanges = new Map<string, ResourceChange>();
    for (const r of now) {
      const was = old.get(r.urn);
      if (!was) {
        stackChanges.set(r.urn, change(stack, r, "add", [], [], allow));
        continue;
      }
      const keys = [...new Set([...Object.keys(was.inputs), ...Object.keys(r.inputs)])].sort();
      const changed: string[] = [];
      const uncompared: string[] = [];
      for (const k of keys) {
        const secret = was.inputs[k] === "[secret]" && r.inputs[k] === "[secret]";
        if (secret) {
          const [a, b] = [was.secretDigests?.[k], r.secretDigests?.[k]];
          if (a === undefined || b === undefined) uncompared.push(k);
          else if (a !== b) changed.push(k);
        } else if (!equal(was.inputs[k], r.inputs[k])) changed.push(k);
      }
      const c = change(stack, r, "update", changed, [], allow);
      if (uncompared.length > 0) {
        c.uncompared = uncompared;
        if (changed.length === 0)
          c.meaning = `no change the plans show; its secrets (${uncompared.join(", ")}) were not compared: plan both with HYBRIDNET_PLAN_KEY set`;
      }
      stackChanges.set(r.urn, c);
    }
    // Replacements, and what a replaced resource's new id changes in the resources that take it.
    const replacedIds = new Map<string, string>();
    for (let again = true; again; ) {
      again = false;
      for (const r of now) {
        const c = stackChanges.get(r.urn)!;
        if (c.kind === "add") continue;
        const was = old.get(r.urn)!;
        for (const [id, urn] of replacedIds)
          for (const k of Object.keys(r.inputs))
            if (holds(was.inputs[k], id) && !c.changed.includes(k)) {
              c.changed.push(k);
              c.becauseOf = [...new Set([...(c.becauseOf ?? []), urn])];
            }
        const forcing = replacingInputs(r.type, c.changed);
        if (forcing.length > 0 && c.kind !== "replace") {
          Object.assign(c, change(stack, r, "replace", c.changed, forcing, allow), {
            ...(c.becauseOf ? { becauseOf: c.becauseOf } : {}),
            ...(c.uncompared ? { uncompared: c.uncompared } : {}),
          });
          if (was.id) replacedIds.set(was.id, r.urn);
          again = true;
        }
      }
    }
    // A renamed resource AWS holds only once: created before the old one goes, it is refused.
    const removed = [...old.values()].filter((r) => !nowUrns.has(r.urn));
    for (const r of now) {
      const c = stackChanges.get(r.urn)!;
      const unique = UNIQUE_IN_AWS[r.type];
      if (c.kind !== "add" || !unique) continue;
      const same = removed.find(
        (o) => o.type === r.type && unique.inputs.every((k) => equal(o.inputs[k], r.inputs[k])),
      );
      if (!same) continue;
      c.meaning = `the same AWS resource as ${same.name}, renamed: AWS holds one ${unique.what}, and the new one is created before the old one is deleted, so the apply fails; alias the old name (aliases: [{ name: "${same.name}" }])`;
      c.becauseOf = [same.urn];
      c.blocking = !(allow.includes(r.urn) || allow.includes(r.type));
    }
    for (const c of stackChanges.values())
      if (c.kind !== "update" || c.changed.length > 0 || c.uncompared) changes.push(c);
    for (const r of removed) changes.push(change(stack, r, "remove", [], [], allow));
  }
  return changes;
}

function change(
  stack: string,
  r: ComparableResource,
  kind: ChangeKind,
  changed: string[],
  forcedBy: string[],
  allow: readonly string[],
): ResourceChange {
  const rule = replacementRule(r.type);
  const stateful = rule?.stateful ?? STATEFUL_ONLY[r.type] !== undefined;
  const what = rule?.what ?? STATEFUL_ONLY[r.type] ?? r.type.split(":").pop() ?? r.type;
  const meaning =
    kind === "add"
      ? "added"
      : kind === "remove"
        ? stateful
          ? `removed: traffic over this ${what} stops`
          : "removed"
        : kind === "replace"
          ? `replaced (${forcedBy.join(", ")} changed) → ${REPLACED_MEANS[r.type] ?? "deleted and created again with a new id"}`
          : (UPDATED_MEANS[r.type] ?? "changed in place");
  const allowed = allow.includes(r.urn) || allow.includes(r.type);
  return {
    stack,
    urn: r.urn,
    type: r.type,
    name: r.name,
    kind,
    changed: [...changed],
    forcedBy,
    stateful,
    meaning,
    blocking: kind === "replace" && stateful && !allowed,
  };
}
