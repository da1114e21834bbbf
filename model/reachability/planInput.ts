/**
 * A planned environment as ./fromPlan reads it: the plain interfaces a caller hands in (what `hybridnet plan
 * --json` reports of each stack, or what the test harness records), the resources indexed by type with the
 * stack and origin of each, and readers that take a plan's values as they come (missing, secret, of another
 * shape) without throwing. Pure: no Pulumi import.
 */
import { checkCidr } from "../addressing";
import { TYPES } from "../resourceGraph";
import type { Origin } from "./network";

/** One registered resource of a plan: the fields of `hybridnet plan --json` resources the model reads. */
export interface PlannedResourceInput {
  type: string;
  name: string;
  urn: string;
  /** URN of the parent resource: the component a resource belongs to is its nearest hybridnet ancestor. */
  parent?: string;
  /** The resource's id (the mock model's, in an offline plan); absent or empty for a component. */
  id?: string;
  inputs: Record<string, unknown>;
  /** Its state after create: the inputs and what the provider computed (attachment ids, addresses). */
  outputs?: Record<string, unknown>;
}

/** One stack of a planned environment: what its last pass registered, and its outputs. */
export interface PlannedStackInput {
  name: string;
  resources: readonly PlannedResourceInput[];
  /** Stack outputs; the `subnets` output places and routes an awsx VPC's subnets. */
  outputs: Record<string, unknown>;
}

/** Type tokens the model reads: those the policy rules read, and more. */
export const T = {
  ...TYPES,
  subnet: "aws:ec2/subnet:Subnet",
  routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  vgwRoutePropagation: "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
  endpointRouteTableAssociation: "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation",
  tgwRouteTable: "aws:ec2transitgateway/routeTable:RouteTable",
  tgwAssociation: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
  tgwPropagation: "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  endpointAccepter: "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  albTargetGroup: "aws:alb/targetGroup:TargetGroup",
  targetGroupAttachment: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
  albTargetGroupAttachment: "aws:alb/targetGroupAttachment:TargetGroupAttachment",
  clientVpnAssociation: "aws:ec2clientvpn/networkAssociation:NetworkAssociation",
  clientVpnAuthorization: "aws:ec2clientvpn/authorizationRule:AuthorizationRule",
  clientVpnRoute: "aws:ec2clientvpn/route:Route",
} as const;

const COMPONENT_TYPE = /^hybridnet:index:/;
/** The tag a hub puts on each segment's transit gateway route table. */
export const SEGMENT_TAG = "hybridnet:segment";
/** The tag every hybridnet component puts on what it creates: the component's name. */
export const COMPONENT_TAG = "hybridnet:component";

// ---------------------------------------------------------------------------------------------------
// Reading plain data defensively: a plan is input, and a value may be missing, secret or of another shape.

/** Plain data of a resource (inputs, outputs, a nested block). */
export type Props = Record<string, unknown>;

/** A non-empty string, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The non-empty strings of a list; none when `value` is not a list. */
export function strs(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v !== "") : [];
}

/** A finite number, also from its text (`"443"`), or undefined. */
export function num(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** An object, or an empty one. */
export function record(value: unknown): Props {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Props) : {};
}

/** The objects of a list; none when `value` is not a list. */
export function records(value: unknown): Props[] {
  return Array.isArray(value) ? value.map(record) : [];
}

/**
 * A CIDR block as its text (`10.20.0.0/16`), or undefined when `value` is not one (a secret, a typo). A plan
 * repeats each text many times; model/addressing parses each once.
 */
export function cidrText(value: unknown): string | undefined {
  return typeof value === "string" && "cidr" in checkCidr(value) ? value : undefined;
}

/** The CIDR blocks of a list. */
export function cidrTexts(value: unknown): string[] {
  return strs(value).filter((text) => cidrText(text) !== undefined);
}

/** A host address as the model writes it: `10.1.2.3/32`, or undefined when `text` is not an IPv4 address. */
export function hostCidr(text: string | undefined): string | undefined {
  if (text === undefined || text.includes(":")) return undefined;
  const host = text.includes("/") ? text : `${text}/32`;
  return host.endsWith("/32") ? cidrText(host) : undefined;
}

/** Sorts in place by a text key, the same on every run. */
export function sortByKey<T>(items: T[], key: (t: T) => string): T[] {
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------------
// The plan, indexed

/** A resource with the stack it belongs to and its origin (stack, name, URN, component). */
export interface Entry {
  stack: string;
  r: PlannedResourceInput;
  /** Its id: the plan's, or for an awsx VPC (a component, no id) its `vpcId` output. */
  id: string;
  inputs: Props;
  outputs: Props;
  origin: Origin;
}

/** The resources of every stack, by type. */
export class Plan {
  private readonly byType = new Map<string, Entry[]>();

  constructor(readonly stacks: readonly PlannedStackInput[]) {
    for (const stack of stacks) {
      const componentOf = componentsOf(stack.resources);
      for (const r of stack.resources) {
        const component = r.parent ? componentOf(r.parent) : undefined;
        const origin: Origin = { stack: stack.name, name: r.name, urn: r.urn };
        if (component) origin.component = component;
        const entry: Entry = {
          stack: stack.name,
          r,
          id: r.id ?? "",
          inputs: r.inputs ?? {},
          outputs: r.outputs ?? {},
          origin,
        };
        const list = this.byType.get(r.type) ?? [];
        list.push(entry);
        this.byType.set(r.type, list);
      }
    }
  }

  /** Every resource of these types, stack by stack in plan order. */
  of(...types: string[]): Entry[] {
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  /** A value of the resource: its output (what AWS reports), else its input. */
  static value(e: Entry, key: string): unknown {
    return e.outputs[key] ?? e.inputs[key];
  }

  /** The resource's tags (string values only). */
  static tags(e: Entry): Record<string, string> {
    const tags = { ...record(e.inputs.tags), ...record(e.outputs.tags) };
    return Object.fromEntries(Object.entries(tags).filter(([, v]) => typeof v === "string")) as Record<
      string,
      string
    >;
  }
}

/** The Region in a resource's ARN (`arn:aws:ec2:eu-west-1:…`), when it has one. */
export function regionOfArn(e: Entry): string | undefined {
  const region = str(e.outputs.arn)?.split(":")[3];
  return region || undefined;
}

/**
 * For the resources of one stack: the name of the nearest hybridnet component at or above the resource with a
 * URN, if any (a resource's component is that of its parent). Each answer is kept for the resources the search
 * passed: siblings share their ancestors.
 */
function componentsOf(resources: readonly PlannedResourceInput[]): (urn: string) => string | undefined {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const known = new Map<string, string | undefined>();
  return (urn) => {
    const passed: string[] = [];
    let found: string | undefined;
    for (let at: string | undefined = urn; at; ) {
      if (known.has(at)) {
        found = known.get(at);
        break;
      }
      const r = byUrn.get(at);
      if (!r) break;
      passed.push(at);
      if (COMPONENT_TYPE.test(r.type)) {
        found = r.name;
        break;
      }
      at = r.parent;
    }
    for (const at of passed) known.set(at, found);
    return found;
  };
}
