/**
 * The planned environment indexed for the connections view: the network model of ../reachability (which joins
 * resources by id across stacks, lays out awsx subnets, applies default route tables and reads the sites'
 * prefixes from config) and the plan's resources for what that model leaves out (ASNs, VLANs, tunnels,
 * acceleration, names). Answers the questions every part of the view asks: what a gateway is, which segment an
 * attachment is in, how to name an attachment or a route table. Pure: no Pulumi import.
 */
import type {
  Network,
  Subnet,
  TargetGroup,
  TransitGatewayAttachment,
  TransitGatewayRouteTable,
  Vpc,
  VpcRouteTable,
} from "../reachability/network";
import { COMPONENT_TAG, type Entry, num, Plan, str, T } from "../reachability/planInput";
import type { GatewayRef } from "./types";

/** Sorts a copy by a text key (the same on every run). */
export function sorted<X>(items: Iterable<X>, key: (x: X) => string): X[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Distinct texts, sorted. */
export function uniqueSorted(items: Iterable<string>): string[] {
  return [...new Set(items)].sort();
}

/** A BGP ASN from a number, its text, or an `asnLong`-style text field. */
export function asnOf(props: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const n = num(props[key]);
    if (n !== undefined) return n;
  }
  return undefined;
}

/** The component (hybridnet) a resource belongs to: its tag, else its nearest component ancestor, else its name. */
export function componentName(e: Entry): string {
  return Plan.tags(e)[COMPONENT_TAG] ?? e.origin.component ?? e.r.name;
}

/** `items` grouped by the stack `stackOf` names, each group in the order of `items`. */
function byStack<X>(items: Iterable<X>, stackOf: (x: X) => string): Map<string, X[]> {
  const groups = new Map<string, X[]>();
  for (const x of items) {
    const group = groups.get(stackOf(x));
    if (group) group.push(x);
    else groups.set(stackOf(x), [x]);
  }
  return groups;
}

export class Lookup {
  /** Resources with an id, by id (an awsx VPC by its vpcId). */
  readonly byId = new Map<string, Entry>();
  readonly vpcs: Map<string, Vpc>;
  readonly subnets: Map<string, Subnet>;
  readonly routeTables: Map<string, VpcRouteTable>;
  readonly tgwTables: Map<string, TransitGatewayRouteTable>;
  readonly attachments: Map<string, TransitGatewayAttachment>;
  /** Attachment id → the route table it is associated with. */
  private readonly associationOf = new Map<string, TransitGatewayRouteTable>();
  /** Lists grouped by the stack of each member, once per list ({@link inStack}). */
  private readonly byStack = new Map<readonly unknown[], Map<string, unknown[]>>();
  /** The plan's resources of one type, by stack ({@link entriesIn}). */
  private readonly entriesByStack = new Map<string, Map<string, Entry[]>>();
  private targetGroupsByArn?: Map<string, TargetGroup>;

  constructor(
    readonly plan: Plan,
    readonly network: Network,
  ) {
    const types = new Set(plan.stacks.flatMap((s) => s.resources.map((r) => r.type)));
    for (const e of plan.of(...types)) {
      const id = e.r.type === T.awsxVpc ? str(e.outputs.vpcId) : e.id;
      if (id) this.byId.set(id, e);
    }
    this.vpcs = new Map(network.vpcs.map((v) => [v.id, v]));
    this.subnets = new Map(network.subnets.map((s) => [s.id, s]));
    this.routeTables = new Map(network.routeTables.map((t) => [t.id, t]));
    this.tgwTables = new Map(network.transitGatewayRouteTables.map((t) => [t.id, t]));
    this.attachments = new Map(network.transitGatewayAttachments.map((a) => [a.id, a]));
    for (const table of network.transitGatewayRouteTables)
      for (const id of table.associations) this.associationOf.set(id, table);
  }

  /**
   * The members of `list` that `stack` made, in list order: the list is grouped by stack once, not searched
   * once per stack (hundreds of stacks ask). The answer is shared: never changed.
   */
  inStack<X extends { origin: { stack: string } }>(list: readonly X[], stack: string): readonly X[] {
    let groups = this.byStack.get(list);
    if (!groups) {
      groups = byStack(list, (x) => x.origin.stack);
      this.byStack.set(list, groups);
    }
    return (groups.get(stack) ?? []) as X[];
  }

  /** The plan's resources of `type` in `stack`, in plan order (shared: never changed). */
  entriesIn(type: string, stack: string): readonly Entry[] {
    let groups = this.entriesByStack.get(type);
    if (!groups) {
      groups = byStack(this.plan.of(type), (e) => e.stack);
      this.entriesByStack.set(type, groups);
    }
    return groups.get(stack) ?? [];
  }

  /** The plan's target groups by ARN (the last of an ARN, as a map built from the list keeps it). */
  targetGroup(arn: string): TargetGroup | undefined {
    this.targetGroupsByArn ??= new Map(this.network.targetGroups.map((g) => [g.arn, g]));
    return this.targetGroupsByArn.get(arn);
  }

  /** The segment name of a transit gateway route table: its `hybridnet:segment` tag, else its name. */
  static segmentName(table: TransitGatewayRouteTable): string {
    return table.segment ?? table.origin.name;
  }

  /** The route table an attachment is associated with, if any. */
  association(attachmentId: string | undefined): TransitGatewayRouteTable | undefined {
    return attachmentId ? this.associationOf.get(attachmentId) : undefined;
  }

  /** The segment an attachment is associated with, by name. */
  segmentOf(attachmentId: string | undefined): string | undefined {
    const table = this.association(attachmentId);
    return table ? Lookup.segmentName(table) : undefined;
  }

  /** A gateway by id, with what the plan says of it; a transit gateway with the segment of `attachmentId`. */
  gateway(id: string, attachmentId?: string): GatewayRef {
    const kind = id.startsWith("vgw-")
      ? "vpnGateway"
      : id.startsWith("tgw-")
        ? "transitGateway"
        : "directConnectGateway";
    const e = this.byId.get(id);
    const asn = e ? asnOf(e.inputs, "amazonSideAsn") : undefined;
    const table = this.association(attachmentId);
    const vpcId =
      kind === "vpnGateway" ? this.network.vpnGateways.find((g) => g.id === id)?.vpcId : undefined;
    return {
      kind,
      id,
      ...(e ? { name: e.r.name } : {}),
      ...(asn !== undefined ? { asn } : {}),
      ...(table ? { segment: Lookup.segmentName(table), routeTableId: table.id } : {}),
      ...(vpcId ? { vpcId } : {}),
    };
  }

  /** A VPC's name in the program (`connectivity`, `app-vpc`), else its id. */
  vpcName(vpcId: string): string {
    return this.vpcs.get(vpcId)?.origin.name ?? vpcId;
  }

  /** How an attachment reads in a segment's member list: `vpc app-vpc (workload-app-dev)`, `vpn dc-dc1-1`. */
  attachmentLabel(id: string, fromStack: string): string {
    const a = this.attachments.get(id);
    if (!a) return id;
    const where = a.origin.stack !== fromStack ? ` (${a.origin.stack})` : "";
    switch (a.kind) {
      case "vpc":
        return `vpc ${this.vpcName(a.vpcId ?? "")}${where}`;
      case "vpn":
        return `vpn ${a.origin.name.replace(/-vpn$/, "")}${where}`;
      case "directConnectGateway": {
        const dxgw = this.byId.get(a.directConnectGatewayId ?? "");
        return `dx gateway ${dxgw ? dxgw.r.name : a.directConnectGatewayId}${where}`;
      }
      case "peering":
        return `peering ${a.origin.component ?? a.origin.name}${where}`;
    }
  }

  /** A subnet as a person names it: `<vpc> <tier> <zone>`, else its id. */
  subnetLabel(subnetId: string): string {
    const s = this.subnets.get(subnetId);
    return s ? `${this.vpcName(s.vpcId)} ${s.tier ?? "subnet"} ${s.zone}` : subnetId;
  }

  /** A VPC route table by the subnets it routes (`connectivity private use1-az1`), else its name or id. */
  routeTableLabel(tableId: string): string {
    const subnets = this.network.subnets.filter((s) => s.routeTableId === tableId);
    if (subnets.length > 0) return uniqueSorted(subnets.map((s) => this.subnetLabel(s.id))).join(", ");
    const table = this.routeTables.get(tableId);
    return table ? table.origin.name : tableId;
  }

  /** The entry with this id's value of `key`, as text. */
  text(id: string, key: string): string | undefined {
    const e = this.byId.get(id);
    return e ? str(Plan.value(e, key)) : undefined;
  }
}
