/**
 * The monthly cost estimate of a plan (issue 18): from each stack's planned resources (type, inputs, the
 * state the provider answered) to priced lines, at AWS list prices (./prices) for a 730-hour month. Pure:
 * the planner, the report and tests call it on a plan's resources, or on an earlier plan's JSON.
 *
 * What is priced is what AWS bills by the hour for the resources a plan creates, plus data processing at a
 * declared volume; what is not (data transfer, NLCUs, CloudWatch, accelerated VPN's Global Accelerator
 * charges, hosted VIFs' partner charges) is listed in docs/plan.md "Cost".
 */
import { type Problem, ValidationError } from "../errors";
import type { PlannedResourceInput } from "../reachability/planInput";
import { PRICES, type PriceEntry } from "./prices";
import type { CostLine, PlanCost, StackCost } from "./types";

/** Hours in the priced month: AWS's own convention (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** What the plan cannot know and the estimate declares. */
export interface CostUsage {
  /**
   * GB a month each transit gateway attachment that sends traffic into the transit gateway (VPC, VPN,
   * Direct Connect gateway) and each interface endpoint processes. @default 100. 0 leaves the lines out.
   */
  trafficGb: number;
  /** Client VPN connections per endpoint, connected the whole month. @default 10 */
  clientVpnConnections: number;
  /**
   * The port of each Direct Connect connection (or LAG) a VIF is created on, by connection id:
   * `dedicated:1Gbps`, `dedicated:10Gbps`, `dedicated:100Gbps`, or `hosted:<50Mbps…10Gbps>`.
   * @default "dedicated:1Gbps" for every connection not listed.
   */
  directConnectPorts: Record<string, string>;
}

export const DEFAULT_USAGE: Readonly<CostUsage> = {
  trafficGb: 100,
  clientVpnConnections: 10,
  directConnectPorts: {},
};

/** A connection's port when the usage names none. */
export const DEFAULT_DX_PORT = "dedicated:1Gbps";

const DX_PORT = /^(dedicated|hosted):(\d+)(Mbps|Gbps)$/;

/**
 * A planned resource as the estimate reads it: the plan JSON's resource, or a recorded registration (its
 * outputs: an ARN names the Region).
 */
export type CostResource = Pick<PlannedResourceInput, "type" | "urn" | "id" | "inputs" | "outputs">;

/** A stack of a plan: its name and planned resources. */
export interface CostStack {
  name: string;
  resources: readonly CostResource[];
}

export interface EstimateOptions {
  usage?: Partial<CostUsage>;
  /** @default ./prices */
  prices?: Readonly<Record<string, PriceEntry>>;
  /** Each stack's Region, by stack name. @default the Region of the stack's own AWS provider */
  regions?: Readonly<Record<string, string>>;
  /**
   * A resource with no price for its item and Region: "throw" a {@link MissingPriceError}, or "collect" it in
   * `missingPrices` and leave it out of the totals (the planner, so an unpriced Region never fails a plan).
   * @default "throw"
   */
  missing?: "throw" | "collect";
}

/** No price in the price file for an item in a Region. */
export class MissingPriceError extends Error {
  constructor(
    public readonly item: string,
    public readonly region: string,
    public readonly what: string,
  ) {
    super(
      `no price for ${what} in ${region} (price key "${item}/${region}"): add it to model/cost/prices.ts with its date and AWS pricing page`,
    );
    this.name = "MissingPriceError";
  }
}

/** The price of `item` in `region`, or a {@link MissingPriceError} naming both. */
export function priceOf(
  item: string,
  region: string,
  what: string,
  prices: Readonly<Record<string, PriceEntry>> = PRICES,
): { key: string; entry: PriceEntry } {
  const key = `${item}/${region}`;
  const entry = prices[key];
  if (!entry) throw new MissingPriceError(item, region, what);
  return { key, entry };
}

/**
 * Rounded to cents, half away from zero, on the decimal value: 730 × 0.0225 is 16.425 on paper and
 * 16.424999… in binary, and the estimate says $16.43 as a person working it out would.
 */
export function cents(usd: number): number {
  const hundredths = Number((Math.abs(usd) * 100).toPrecision(12));
  return (Math.sign(usd) * Math.round(hundredths)) / 100;
}

/** The usage with defaults, checked: every bad value named, thrown once. */
export function usageOf(given: Partial<CostUsage> = {}): CostUsage {
  const usage = { ...DEFAULT_USAGE, ...given, directConnectPorts: { ...given.directConnectPorts } };
  const problems: Problem[] = [];
  if (typeof usage.trafficGb !== "number" || !Number.isFinite(usage.trafficGb) || usage.trafficGb < 0)
    problems.push({ path: "trafficGb", value: usage.trafficGb, allowed: "GB a month, a number ≥ 0" });
  if (!Number.isInteger(usage.clientVpnConnections) || usage.clientVpnConnections < 0)
    problems.push({
      path: "clientVpnConnections",
      value: usage.clientVpnConnections,
      allowed: "a whole number of connections ≥ 0",
    });
  for (const [id, port] of Object.entries(usage.directConnectPorts))
    if (typeof port !== "string" || !DX_PORT.test(port))
      problems.push({
        path: `directConnectPorts.${id}`,
        value: port,
        allowed: "dedicated:1Gbps, dedicated:10Gbps, dedicated:100Gbps or hosted:<50Mbps…10Gbps>",
      });
  if (problems.length > 0) throw new ValidationError("cost usage", problems);
  return usage;
}

/** One priced quantity of one resource, before resources are grouped into lines. */
interface Charge {
  /** The price item (`vpn-connection`), looked up as `<item>/<region>`. */
  item: string;
  /** What a person reads on the line. */
  what: string;
  region: string;
  urns: string[];
  quantity: number;
}

/** What every rule needs: the usage, the hours, and where a resource is. */
interface Context {
  usage: CostUsage;
  hours: number;
  stackRegion: string;
  /** The Region of a resource of the plan: its ARN's, or the one it belongs to. */
  regionOf: (r: CostResource) => string;
  /** Direct Connect connections already priced in this plan (a connection is one port however many VIFs). */
  ports: Map<string, Charge>;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The Region in an ARN (`arn:aws:ec2:eu-central-1:…`), if it names one. */
function arnRegion(r: CostResource | undefined): string | undefined {
  const arn = str(r?.outputs?.arn);
  return arn ? str(arn.split(":")[3]) : undefined;
}

/** Transit gateway data processing at the declared volume, for an attachment that sends traffic into it. */
function tgwData(r: CostResource, region: string, kind: string, ctx: Context): Charge[] {
  if (ctx.usage.trafficGb === 0) return [];
  return [
    {
      item: "tgw-data-processing",
      what: `Transit Gateway data processing (${kind})`,
      region,
      urns: [r.urn],
      quantity: ctx.usage.trafficGb,
    },
  ];
}

function vpnConnection(r: CostResource, ctx: Context): Charge[] {
  const region = ctx.regionOf(r);
  const large = r.inputs.tunnelBandwidth === "large";
  const charges: Charge[] = [
    {
      item: large ? "vpn-connection-large" : "vpn-connection",
      what: large ? "Site-to-Site VPN connection (large bandwidth tunnels)" : "Site-to-Site VPN connection",
      region,
      urns: [r.urn],
      quantity: ctx.hours,
    },
  ];
  if (str(r.inputs.transitGatewayId))
    charges.push(
      {
        item: "tgw-attachment",
        what: "Transit Gateway VPN attachment",
        region,
        urns: [r.urn],
        quantity: ctx.hours,
      },
      ...tgwData(r, region, "VPN attachments", ctx),
    );
  return charges;
}

function vpcAttachment(r: CostResource, ctx: Context): Charge[] {
  const region = ctx.regionOf(r);
  return [
    {
      item: "tgw-attachment",
      what: "Transit Gateway VPC attachment",
      region,
      urns: [r.urn],
      quantity: ctx.hours,
    },
    ...tgwData(r, region, "VPC attachments", ctx),
  ];
}

/** Each side of a peering is an attachment of its own transit gateway, billed to that gateway's owner. */
function peeringAttachment(r: CostResource, ctx: Context): Charge[] {
  return [
    {
      item: "tgw-attachment",
      what: "Transit Gateway peering attachment",
      region: ctx.regionOf(r),
      urns: [r.urn],
      quantity: ctx.hours,
    },
  ];
}

/** A Direct Connect gateway associated with a transit gateway is an attachment of that transit gateway. */
function dxGatewayAssociation(r: CostResource, ctx: Context): Charge[] {
  const toTgw =
    r.outputs?.associatedGatewayType === "transitGateway" ||
    str(r.inputs.associatedGatewayId)?.startsWith("tgw-");
  if (!toTgw) return [];
  const region = ctx.regionOf(r);
  return [
    {
      item: "tgw-attachment",
      what: "Transit Gateway Direct Connect gateway attachment",
      region,
      urns: [r.urn],
      quantity: ctx.hours,
    },
    ...tgwData(r, region, "Direct Connect gateway attachments", ctx),
  ];
}

/** The port of the connection a created VIF is on, once per connection in the plan. */
function virtualInterface(r: CostResource, ctx: Context): Charge[] {
  const connection = str(r.inputs.connectionId);
  if (!connection) return [];
  const known = ctx.ports.get(connection);
  if (known) {
    if (!known.urns.includes(r.urn)) known.urns.push(r.urn);
    return [];
  }
  const port = ctx.usage.directConnectPorts[connection] ?? DEFAULT_DX_PORT;
  const [, kind, size, scale] = DX_PORT.exec(port) ?? [];
  const charge: Charge = {
    item: `dx-${kind}-port:${size}${scale}`,
    what: `Direct Connect ${kind} port ${size} ${scale}`,
    region: ctx.regionOf(r),
    urns: [r.urn],
    quantity: ctx.hours,
  };
  ctx.ports.set(connection, charge);
  return [charge];
}

function vpcEndpoint(r: CostResource, ctx: Context): Charge[] {
  const subnets = list(r.inputs.subnetIds).length;
  const type = str(r.inputs.vpcEndpointType) ?? (subnets > 0 ? "Interface" : "Gateway");
  if (type !== "Interface") return [];
  const region = ctx.regionOf(r);
  return [
    {
      item: "interface-endpoint",
      what: "Interface VPC endpoint (per Availability Zone)",
      region,
      urns: [r.urn],
      quantity: subnets * ctx.hours,
    },
    ...(ctx.usage.trafficGb > 0
      ? [
          {
            item: "interface-endpoint-data-processing",
            what: "Interface endpoint data processing",
            region,
            urns: [r.urn],
            quantity: ctx.usage.trafficGb,
          },
        ]
      : []),
  ];
}

function publicIpv4(urn: string, region: string, addresses: number, ctx: Context, of: string): Charge[] {
  if (addresses === 0) return [];
  return [
    {
      item: "public-ipv4",
      what: `Public IPv4 address (${of})`,
      region,
      urns: [urn],
      quantity: addresses * ctx.hours,
    },
  ];
}

function loadBalancer(r: CostResource, ctx: Context): Charge[] {
  if (r.inputs.loadBalancerType !== "network") return [];
  const region = ctx.regionOf(r);
  // An internet-facing NLB holds a public IPv4 address in each of its Availability Zones.
  const zones = Math.max(list(r.inputs.subnets).length, list(r.inputs.subnetMappings).length);
  return [
    { item: "nlb", what: "Network Load Balancer", region, urns: [r.urn], quantity: ctx.hours },
    ...(r.inputs.internal === true ? [] : publicIpv4(r.urn, region, zones, ctx, "internet-facing NLB")),
  ];
}

function clientVpnAssociation(r: CostResource, ctx: Context): Charge[] {
  return [
    {
      item: "client-vpn-association",
      what: "Client VPN endpoint association",
      region: ctx.regionOf(r),
      urns: [r.urn],
      quantity: ctx.hours,
    },
  ];
}

function clientVpnEndpoint(r: CostResource, ctx: Context): Charge[] {
  if (ctx.usage.clientVpnConnections === 0) return [];
  return [
    {
      item: "client-vpn-connection",
      what: "Client VPN connection",
      region: ctx.regionOf(r),
      urns: [r.urn],
      quantity: ctx.usage.clientVpnConnections * ctx.hours,
    },
  ];
}

function instance(r: CostResource, ctx: Context): Charge[] {
  const region = ctx.regionOf(r);
  const type = str(r.inputs.instanceType) ?? "(no instance type)";
  const root = (r.inputs.rootBlockDevice ?? {}) as Record<string, unknown>;
  const size = typeof root.volumeSize === "number" ? root.volumeSize : 0;
  const volumeType = str(root.volumeType) ?? "gp3";
  return [
    {
      item: `ec2-instance:${type}`,
      what: `EC2 instance ${type}`,
      region,
      urns: [r.urn],
      quantity: ctx.hours,
    },
    ...(size > 0
      ? [
          {
            item: `ebs:${volumeType}`,
            what: `EBS ${volumeType} root volume`,
            region,
            urns: [r.urn],
            quantity: size,
          },
        ]
      : []),
    ...publicIpv4(r.urn, region, r.inputs.associatePublicIpAddress === true ? 1 : 0, ctx, "instance"),
  ];
}

/** The priced resource types and how each is priced. Anything else costs nothing by the hour, or is not priced. */
const RULES: Record<string, (r: CostResource, ctx: Context) => Charge[]> = {
  "aws:ec2/vpnConnection:VpnConnection": vpnConnection,
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment": vpcAttachment,
  "aws:ec2transitgateway/peeringAttachment:PeeringAttachment": peeringAttachment,
  "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter": peeringAttachment,
  "aws:directconnect/gatewayAssociation:GatewayAssociation": dxGatewayAssociation,
  "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface": virtualInterface,
  "aws:directconnect/transitVirtualInterface:TransitVirtualInterface": virtualInterface,
  "aws:directconnect/publicVirtualInterface:PublicVirtualInterface": virtualInterface,
  "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
  "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
  "aws:ec2clientvpn/networkAssociation:NetworkAssociation": clientVpnAssociation,
  "aws:ec2clientvpn/endpoint:Endpoint": clientVpnEndpoint,
  "aws:ec2/instance:Instance": instance,
  "aws:ec2/eip:Eip": (r, ctx) => publicIpv4(r.urn, ctx.regionOf(r), 1, ctx, "Elastic IP"),
};

/** The order lines are listed in: by price item, then by what they say. */
const ITEM_ORDER = [
  "vpn-connection",
  "tgw-attachment",
  "tgw-data-processing",
  "dx-",
  "interface-endpoint",
  "interface-endpoint-data-processing",
  "nlb",
  "client-vpn-association",
  "client-vpn-connection",
  "ec2-instance",
  "ebs",
  "public-ipv4",
];
function rank(item: string): number {
  let best = ITEM_ORDER.length;
  let length = 0;
  ITEM_ORDER.forEach((prefix, i) => {
    if (item.startsWith(prefix) && prefix.length > length) {
      best = i;
      length = prefix.length;
    }
  });
  return best;
}

/** Resources by id across the plan, for the Region of a resource that names another (an endpoint, a gateway). */
function regionResolver(stacks: readonly CostStack[]) {
  const byId = new Map<string, CostResource>();
  // A peering attachment and its accepter share the attachment's id.
  const requesters = new Map<string, CostResource>();
  for (const s of stacks)
    for (const r of s.resources) {
      if (!r.id) continue;
      if (r.type === "aws:ec2transitgateway/peeringAttachment:PeeringAttachment") requesters.set(r.id, r);
      if (!byId.has(r.id)) byId.set(r.id, r);
    }
  return (r: CostResource, stackRegion: string): string => {
    const own = arnRegion(r);
    if (own) return own;
    // A peering accepter is in the Region the requester names as its peer's.
    const requester = requesters.get(str(r.inputs.transitGatewayAttachmentId) ?? "");
    if (r.type.endsWith("PeeringAttachmentAccepter") && str(requester?.inputs.peerRegion))
      return requester?.inputs.peerRegion as string;
    for (const field of ["clientVpnEndpointId", "transitGatewayId", "associatedGatewayId"]) {
      const region = arnRegion(byId.get(str(r.inputs[field]) ?? ""));
      if (region) return region;
    }
    return stackRegion;
  };
}

/** A stack's Region: the one given, else its own AWS provider's (the provider at the top of the stack). */
function stackRegionOf(stack: CostStack, given?: string): string {
  if (given) return given;
  const provider = stack.resources.find(
    (r) => r.type === "pulumi:providers:aws" && !r.urn.includes("$") && str(r.inputs.region),
  );
  return (provider?.inputs.region as string | undefined) ?? "(unknown Region)";
}

/** Like charges (same item, Region and wording) as one line, in a fixed order. */
function linesOf(
  charges: readonly Charge[],
  stackRegion: string,
  priced: (c: Charge) => { key: string; entry: PriceEntry } | undefined,
): CostLine[] {
  const groups = new Map<string, { charge: Charge; urns: Set<string>; quantity: number }>();
  for (const c of charges) {
    const id = `${c.item}\u0000${c.region}\u0000${c.what}`;
    const group = groups.get(id) ?? { charge: c, urns: new Set<string>(), quantity: 0 };
    for (const urn of c.urns) group.urns.add(urn);
    group.quantity += c.quantity;
    groups.set(id, group);
  }
  const lines: CostLine[] = [];
  for (const { charge, urns, quantity } of groups.values()) {
    const price = priced(charge);
    if (!price) continue;
    lines.push({
      item: charge.what,
      urns: [...urns],
      quantity,
      unit: price.entry.unit,
      unitPriceUsd: price.entry.usd,
      monthlyUsd: cents(quantity * price.entry.usd),
      price: price.key,
      ...(charge.region !== stackRegion ? { region: charge.region } : {}),
    });
  }
  const order = (l: CostLine) => rank(l.price.split("/")[0]);
  return lines.sort(
    (a, b) =>
      order(a) - order(b) ||
      (a.item < b.item ? -1 : a.item > b.item ? 1 : 0) ||
      (a.price < b.price ? -1 : a.price > b.price ? 1 : 0),
  );
}

/**
 * The monthly estimate of a plan: per stack, the priced lines (like resources grouped, URNs listed) and their
 * sum; the plan's total; the price entries used. A Direct Connect connection is priced once, in the first
 * stack whose VIF is on it.
 */
export function estimatePlan(stacks: readonly CostStack[], options: EstimateOptions = {}): PlanCost {
  const usage = usageOf(options.usage);
  const prices = options.prices ?? PRICES;
  const resolve = regionResolver(stacks);
  const ports = new Map<string, Charge>();
  const used: PlanCost["prices"] = {};
  const missing = new Set<string>();
  const priced = (c: Charge) => {
    try {
      const price = priceOf(c.item, c.region, c.what, prices);
      used[price.key] = { ...price.entry };
      return price;
    } catch (e) {
      if (options.missing === "collect" && e instanceof MissingPriceError) {
        missing.add(e.message);
        return undefined;
      }
      throw e;
    }
  };
  const costs: StackCost[] = stacks.map((stack) => {
    const stackRegion = stackRegionOf(stack, options.regions?.[stack.name]);
    const ctx: Context = {
      usage,
      hours: HOURS_PER_MONTH,
      stackRegion,
      regionOf: (r) => resolve(r, stackRegion),
      ports,
    };
    const charges = stack.resources.flatMap((r) => RULES[r.type]?.(r, ctx) ?? []);
    const lines = linesOf(charges, stackRegion, priced);
    return {
      stack: stack.name,
      region: stackRegion,
      lines,
      monthlyUsd: cents(lines.reduce((sum, l) => sum + l.monthlyUsd, 0)),
    };
  });
  return {
    currency: "USD",
    hoursPerMonth: HOURS_PER_MONTH,
    stacks: costs,
    monthlyUsd: cents(costs.reduce((sum, s) => sum + s.monthlyUsd, 0)),
    prices: Object.fromEntries(Object.entries(used).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    usage,
    ...(missing.size > 0 ? { missingPrices: [...missing].sort() } : {}),
  };
}

/** This plan's monthly cost minus an earlier plan's, per stack (either plan's stacks) and in total. */
export function costDifference(current: PlanCost, earlier: PlanCost): NonNullable<PlanCost["difference"]> {
  const before = new Map(earlier.stacks.map((s) => [s.stack, s.monthlyUsd]));
  const after = new Map(current.stacks.map((s) => [s.stack, s.monthlyUsd]));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  return {
    monthlyUsd: cents(current.monthlyUsd - earlier.monthlyUsd),
    stacks: names.map((stack) => ({
      stack,
      monthlyUsd: cents((after.get(stack) ?? 0) - (before.get(stack) ?? 0)),
    })),
  };
}
