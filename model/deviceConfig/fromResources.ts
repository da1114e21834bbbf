/**
 * The `DeviceSite`s of a planned stack, read from what it registered: its `aws:ec2/vpnConnection:VpnConnection`
 * resources (customer gateway, routing, inside CIDRs and version, every `tunnelN…` option; the outside and
 * inside addresses the mock model answers as AWS would), their `aws:ec2/customerGateway:CustomerGateway`
 * (address, ASN, `hybridnet:device` tag), the AWS side's ASN (the transit gateway's or virtual private
 * gateway's `amazonSideAsn`), the static routes toward the site, and the AWS prefixes the site reaches.
 *
 * The AWS prefixes are what the plan knows the site is routed to: on a transit gateway, every route of the
 * route table the site's attachment is associated with (its segment) — the VPC CIDRs and other sites' prefixes
 * that propagate in, and its static routes — other than the routes back to the site itself; on a virtual
 * private gateway, the CIDRs of the VPC it is attached to and (VPN CloudHub) the other sites it relays to.
 *
 * Pre-shared keys are secret: a plan shows "[secret]". They are read only from the stack's outputs with secret
 * values (`revealedOutputs`, which the caller passes only when secrets were explicitly asked for); without them
 * a tunnel has no `presharedKey` and renderers write a placeholder naming the stack output that holds it.
 * Pure: no Pulumi import.
 */
import { parseCidr, tunnelInsideAddresses } from "../addressing";
import { networkFromPlan } from "../reachability/fromPlan";
import { NetworkIndex } from "../reachability/networkIndex";
import {
  COMPONENT_TAG,
  cidrText,
  type Entry,
  num,
  Plan,
  type PlannedStackInput,
  record,
  str,
  T,
} from "../reachability/planInput";
import { CONNECTIVITY_SITE_COMPONENTS, type SiteDeclaration } from "../reachability/sites";
import type {
  DpdTimeoutAction,
  EncryptionAlgorithm,
  IkeVersion,
  IntegrityAlgorithm,
  ResolvedTunnelOptions,
  StartupAction,
} from "../tunnelOptions";
import type { DeviceConnection, DeviceSite, DeviceTunnel } from "./site";

/**
 * What AWS applies to a tunnel option the connection does not set (the Site-to-Site VPN "tunnel options"
 * page): every algorithm and group is allowed. hybridnet's components always set every option; a plan of
 * another program may not.
 */
export const AWS_TUNNEL_DEFAULTS: ResolvedTunnelOptions = {
  ikeVersions: ["ikev1", "ikev2"],
  phase1EncryptionAlgorithms: ["AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16"],
  phase2EncryptionAlgorithms: ["AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16"],
  phase1IntegrityAlgorithms: ["SHA1", "SHA2-256", "SHA2-384", "SHA2-512"],
  phase2IntegrityAlgorithms: ["SHA1", "SHA2-256", "SHA2-384", "SHA2-512"],
  phase1DhGroupNumbers: [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
  phase2DhGroupNumbers: [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
  phase1LifetimeSeconds: 28800,
  phase2LifetimeSeconds: 3600,
  dpdTimeoutSeconds: 30,
  dpdTimeoutAction: "clear",
  startupAction: "add",
  rekeyMarginTimeSeconds: 270,
  rekeyFuzzPercentage: 100,
  replayWindowSize: 1024,
  enableTunnelLifecycleControl: false,
};

/** AWS's default Amazon side ASN of a virtual private gateway created without one. */
export const DEFAULT_AMAZON_SIDE_ASN = 64512;

/**
 * The stack output that holds a component's pre-shared keys (by connection key, tunnel 1 then 2), as the
 * landing-zone program (stacks/) exports them: the data centers' VPN and a workload's own VPN
 * `vpnPresharedKeys`, the private IP VPN over Direct Connect `directConnectPresharedKeys`, the branches'
 * CloudHub `branchPresharedKeys`. Undefined for a component the program does not export keys of.
 */
export function presharedKeyOutputOf(component: string): string | undefined {
  if (component === CONNECTIVITY_SITE_COMPONENTS.vpn || component.endsWith("-vpn"))
    return component === CONNECTIVITY_SITE_COMPONENTS.directConnect
      ? "directConnectPresharedKeys"
      : "vpnPresharedKeys";
  if (component === CONNECTIVITY_SITE_COMPONENTS.branches) return "branchPresharedKeys";
  return undefined;
}

/** What `deviceSitesOfPlan` reads. */
export interface DeviceSitesInput {
  /** Every planned stack of the environment (the last pass of each): gateways and VPCs may be in others. */
  stacks: readonly PlannedStackInput[];
  /** The sites the stacks' config declares (../reachability/sites `siteDeclarations`): their prefixes. */
  sites: readonly SiteDeclaration[];
  /** The stack whose sites to read. */
  stack: string;
  /**
   * The stack's outputs with secret values: pass them only when secrets were explicitly asked for
   * (`--show-secrets`). @default none: no tunnel has its pre-shared key.
   */
  revealedOutputs?: Record<string, unknown>;
}

/** A plan that cannot give a device configuration (a gateway the plan does not hold, an unknown value). */
export class DeviceSiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeviceSiteError";
  }
}

function sortedUnique(items: Iterable<string>): string[] {
  return [...new Set(items)].sort();
}

/** The tunnel N options as the connection registered them (`tunnelN…` inputs), AWS's defaults for the rest. */
export function tunnelOptionsOf(inputs: Record<string, unknown>, n: 1 | 2): ResolvedTunnelOptions {
  const key = (name: string) => `tunnel${n}${name}`;
  const list = <V>(name: string, fallback: V[]): V[] => {
    const value = inputs[key(name)];
    return Array.isArray(value) && value.length > 0 ? (value as V[]) : fallback;
  };
  const number = (name: string, fallback: number) => num(inputs[key(name)]) ?? fallback;
  const d = AWS_TUNNEL_DEFAULTS;
  return {
    ikeVersions: list<IkeVersion>("IkeVersions", d.ikeVersions),
    phase1EncryptionAlgorithms: list<EncryptionAlgorithm>(
      "Phase1EncryptionAlgorithms",
      d.phase1EncryptionAlgorithms,
    ),
    phase2EncryptionAlgorithms: list<EncryptionAlgorithm>(
      "Phase2EncryptionAlgorithms",
      d.phase2EncryptionAlgorithms,
    ),
    phase1IntegrityAlgorithms: list<IntegrityAlgorithm>(
      "Phase1IntegrityAlgorithms",
      d.phase1IntegrityAlgorithms,
    ),
    phase2IntegrityAlgorithms: list<IntegrityAlgorithm>(
      "Phase2IntegrityAlgorithms",
      d.phase2IntegrityAlgorithms,
    ),
    phase1DhGroupNumbers: list<number>("Phase1DhGroupNumbers", d.phase1DhGroupNumbers).map(Number),
    phase2DhGroupNumbers: list<number>("Phase2DhGroupNumbers", d.phase2DhGroupNumbers).map(Number),
    phase1LifetimeSeconds: number("Phase1LifetimeSeconds", d.phase1LifetimeSeconds),
    phase2LifetimeSeconds: number("Phase2LifetimeSeconds", d.phase2LifetimeSeconds),
    dpdTimeoutSeconds: number("DpdTimeoutSeconds", d.dpdTimeoutSeconds),
    dpdTimeoutAction: (str(inputs[key("DpdTimeoutAction")]) as DpdTimeoutAction) ?? d.dpdTimeoutAction,
    startupAction: (str(inputs[key("StartupAction")]) as StartupAction) ?? d.startupAction,
    rekeyMarginTimeSeconds: number("RekeyMarginTimeSeconds", d.rekeyMarginTimeSeconds),
    rekeyFuzzPercentage: number("RekeyFuzzPercentage", d.rekeyFuzzPercentage),
    replayWindowSize: number("ReplayWindowSize", d.replayWindowSize),
    enableTunnelLifecycleControl:
      typeof inputs[key("EnableTunnelLifecycleControl")] === "boolean"
        ? (inputs[key("EnableTunnelLifecycleControl")] as boolean)
        : d.enableTunnelLifecycleControl,
  };
}

/** The component a resource belongs to, as errors name it: `hybridnet:index:TransitGatewayVpn "dc"`. */
function componentLabel(e: Entry, stack: PlannedStackInput): string {
  const byUrn = new Map(stack.resources.map((r) => [r.urn, r]));
  let parent = e.r.parent ? byUrn.get(e.r.parent) : undefined;
  while (parent && !parent.type.startsWith("hybridnet:index:"))
    parent = parent.parent ? byUrn.get(parent.parent) : undefined;
  return parent ? `${parent.type} "${parent.name}"` : `(stack ${stack.name})`;
}

/** The pre-shared key of tunnel `n` in the revealed outputs, when it is there and a string. */
function revealedKey(
  revealed: Record<string, unknown> | undefined,
  output: string | undefined,
  connectionKey: string,
  n: 1 | 2,
): string | undefined {
  if (!revealed || !output) return undefined;
  const keys = record(revealed[output])[connectionKey];
  const key = Array.isArray(keys) ? keys[n - 1] : undefined;
  return typeof key === "string" && key !== "[secret]" ? key : undefined;
}

function insideOf(vpn: Entry, n: 1 | 2, ipv6: boolean): { cidr: string; aws: string; customer: string } {
  const cidr = str(Plan.value(vpn, ipv6 ? `tunnel${n}InsideIpv6Cidr` : `tunnel${n}InsideCidr`));
  if (!cidr || (!ipv6 && !cidrText(cidr)))
    throw new DeviceSiteError(`${vpn.r.name}: tunnel ${n} has no inside CIDR in the plan`);
  const computed = tunnelInsideAddresses(parseCidr(cidr));
  // The mock model answers the inside addresses as AWS reports them; computed alike when it does not.
  return {
    cidr,
    aws: (ipv6 ? undefined : str(vpn.outputs[`tunnel${n}VgwInsideAddress`])) ?? computed.aws,
    customer: (ipv6 ? undefined : str(vpn.outputs[`tunnel${n}CgwInsideAddress`])) ?? computed.customer,
  };
}

/** The Amazon side ASN of the gateway a connection ends on. */
function awsAsnOf(plan: Plan, vpn: Entry, stacks: readonly PlannedStackInput[]): number {
  const tgw = str(vpn.inputs.transitGatewayId);
  if (tgw) {
    const gateway = plan.of(T.transitGateway).find((e) => e.id === tgw);
    const asn = gateway ? num(Plan.value(gateway, "amazonSideAsn")) : undefined;
    if (asn !== undefined) return asn;
    // A transit gateway another stack (or account) owns: the stacks publish its ASN as `transitGatewayAsn`.
    for (const s of stacks)
      if (s.outputs.transitGatewayId === tgw && num(s.outputs.transitGatewayAsn) !== undefined)
        return num(s.outputs.transitGatewayAsn) as number;
    throw new DeviceSiteError(
      `${vpn.r.name}: the transit gateway ${tgw} is not in the plan, so its Amazon side ASN is unknown`,
    );
  }
  const vgw = str(vpn.inputs.vpnGatewayId);
  if (vgw) {
    const gateway = plan.of(T.vpnGateway).find((e) => e.id === vgw);
    if (!gateway)
      throw new DeviceSiteError(
        `${vpn.r.name}: the virtual private gateway ${vgw} is not in the plan, so its Amazon side ASN is unknown`,
      );
    return num(Plan.value(gateway, "amazonSideAsn")) ?? DEFAULT_AMAZON_SIDE_ASN;
  }
  throw new DeviceSiteError(`${vpn.r.name}: ends on neither a transit gateway nor a virtual private gateway`);
}

/** The AWS prefixes a site reaches through its connections (see the module comment). */
function awsPrefixesOf(
  index: NetworkIndex,
  vpns: readonly Entry[],
  ownPrefixes: readonly string[],
): string[] {
  const attachments = new Set(vpns.map((v) => str(v.outputs.transitGatewayAttachmentId)).filter(Boolean));
  const own = new Set(ownPrefixes);
  const out: string[] = [];
  for (const attachmentId of attachments) {
    const table = index.associationOf.get(attachmentId as string);
    if (!table) continue;
    for (const route of index.tgwRoutes(table))
      if (!route.blackhole && !attachments.has(route.attachmentId)) out.push(route.prefix.text);
  }
  for (const vgwId of new Set(vpns.map((v) => str(v.inputs.vpnGatewayId)).filter(Boolean))) {
    const vgw = index.vpnGateways.get(vgwId as string);
    if (vgw?.vpcId) out.push(...(index.vpcPrefixes.get(vgw.vpcId) ?? []).map((p) => p.text));
    const ids = new Set(vpns.map((v) => v.id));
    // VPN CloudHub: the gateway relays between its sites.
    for (const r of index.vgwRoutes(vgwId as string)) if (!ids.has(r.link.id)) out.push(r.prefix.text);
  }
  return sortedUnique(out.filter((p) => !own.has(p)));
}

/**
 * The device sites of `input.stack`: one per customer gateway with VPN connections, in site order. Throws
 * DeviceSiteError when the plan lacks what a device configuration needs.
 */
export function deviceSitesOfPlan(input: DeviceSitesInput): DeviceSite[] {
  const stack = input.stacks.find((s) => s.name === input.stack);
  if (!stack) throw new DeviceSiteError(`the plan has no stack ${input.stack}`);
  const plan = new Plan(input.stacks);
  const index = new NetworkIndex(networkFromPlan(input.stacks, input.sites));
  const vpns = plan.of(T.vpnConnection).filter((e) => e.stack === input.stack && e.id);
  const staticRoutes = plan.of(T.vpnConnectionRoute).filter((e) => e.stack === input.stack);
  const result: DeviceSite[] = [];
  for (const cgw of plan.of(T.customerGateway).filter((e) => e.stack === input.stack && e.id)) {
    const links = vpns
      .filter((v) => v.inputs.customerGatewayId === cgw.id)
      .sort((a, b) => (a.r.name < b.r.name ? -1 : a.r.name > b.r.name ? 1 : 0));
    if (links.length === 0) continue;
    const tags = Plan.tags(cgw);
    const component = tags[COMPONENT_TAG] ?? cgw.origin.component ?? cgw.r.name;
    const name = tags.Name ?? cgw.r.name.replace(/-cgw$/, "");
    const site = name.startsWith(`${component}-`) ? name.slice(component.length + 1) : name;
    const address = str(cgw.inputs.ipAddress);
    const asn = num(cgw.inputs.bgpAsn) ?? num(cgw.inputs.bgpAsnExtended);
    if (!address || asn === undefined)
      throw new DeviceSiteError(`${cgw.r.name}: the customer gateway has no address or ASN in the plan`);
    const first = links[0];
    const routing = first.inputs.staticRoutesOnly === true ? "static" : "bgp";
    const ipv6 = (str(Plan.value(first, "tunnelInsideIpVersion")) ?? "ipv4") === "ipv6";
    const declared = input.sites.find(
      (d) => d.stack === input.stack && d.component === component && d.site === site,
    );
    const ids = new Set(links.map((l) => l.id));
    const routed = staticRoutes
      .filter((r) => ids.has(str(r.inputs.vpnConnectionId) ?? ""))
      .map((r) => str(r.inputs.destinationCidrBlock))
      .filter((p): p is string => p !== undefined);
    const customerPrefixes = sortedUnique(declared?.prefixes.length ? declared.prefixes : routed);
    const output = presharedKeyOutputOf(component);
    const connections: DeviceConnection[] = links.map((vpn) => {
      const connectionName = Plan.tags(vpn).Name ?? vpn.r.name.replace(/-vpn$/, "");
      const key = connectionName.startsWith(`${component}-`)
        ? connectionName.slice(component.length + 1)
        : connectionName;
      const tunnels = ([1, 2] as const).map((n): DeviceTunnel => {
        const outside = str(vpn.outputs[`tunnel${n}Address`]);
        if (!outside)
          throw new DeviceSiteError(`${vpn.r.name}: tunnel ${n} has no outside address in the plan`);
        const inside = insideOf(vpn, n, ipv6);
        const presharedKey = revealedKey(input.revealedOutputs, output, key, n);
        return {
          number: n,
          awsOutsideAddress: outside,
          insideCidr: inside.cidr,
          awsInsideAddress: inside.aws,
          customerInsideAddress: inside.customer,
          ...(presharedKey !== undefined ? { presharedKey } : {}),
          options: tunnelOptionsOf(vpn.inputs, n),
        };
      });
      return { key, connectionId: vpn.id, tunnels };
    });
    result.push({
      stack: input.stack,
      component: componentLabel(cgw, stack),
      site,
      ...(tags["hybridnet:device"] ? { deviceName: tags["hybridnet:device"] } : {}),
      customerOutsideAddress: address,
      customerAsn: asn,
      awsAsn: awsAsnOf(plan, first, input.stacks),
      routing,
      customerPrefixes,
      awsPrefixes: awsPrefixesOf(index, links, customerPrefixes),
      insideIpVersion: ipv6 ? "ipv6" : "ipv4",
      connections,
      ...(output && output in stack.outputs ? { presharedKeyOutput: output } : {}),
    });
  }
  return result.sort((a, b) => (a.site < b.site ? -1 : a.site > b.site ? 1 : 0));
}

/** Site keys of a stack's device sites, for "one of …" in errors. */
export function siteKeys(sites: readonly DeviceSite[]): string[] {
  return sortedUnique(sites.map((s) => s.site));
}
