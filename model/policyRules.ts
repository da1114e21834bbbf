/**
 * The checks of the hybridnet policy pack as pure functions of planned resources. AWS constraints: CIDR
 * overlaps between connected networks, ASN ranges and uniqueness, one virtual private gateway per VPC, tunnel
 * inside CIDRs, Direct Connect gateway association and VIF types, PrivateLink listeners and zones, VPN
 * capacity, peering used as transit. Security: tunnel crypto and logs, pre-shared and BGP keys kept secret,
 * endpoint service access, open security groups, transit gateway segmentation, peering DNS, Client VPN,
 * deletion protection and paging alarms in production.
 *
 * They call the rules the components apply (model/addressing, tunnelOptions, vpn, directConnect,
 * privateLink), so a component and the pack never disagree. Resource checks return one message per
 * violation; stack checks return findings naming the resource. No Pulumi import.
 */
import {
  amazonSideAsnProblem,
  type Cidr,
  checkCidr,
  cidrContains,
  cidrsOverlap,
  customerAsnProblem,
  DEFAULT_AMAZON_SIDE_ASN,
  findOverlaps,
  tunnelInsideCidrProblem,
} from "./addressing";
import { TUNNEL_STATE, VPN_NAMESPACE } from "./alarms";
import { environmentOfStack, isProdEnvironment, type VifType, vifAsnProblem } from "./directConnect";
import { ec2IdProblem } from "./identifiers";
import { NOT_TRANSITIVE } from "./peering";
import { PRIVATELINK_LISTENER_PROTOCOLS } from "./privateLink";
import { PROTECTED_IN_PROD, protectionReason } from "./protection";
import {
  ELEMENT_TYPES,
  type Finding,
  integerOf,
  type PlannedResource,
  type ResourceGraph,
  TYPES,
} from "./resourceGraph";
import {
  ENCRYPTION_ALGORITHMS,
  IKE_VERSIONS,
  INTEGRITY_ALGORITHMS,
  PHASE1_DH_GROUPS,
  PHASE2_DH_GROUPS,
  type ResolvedTunnelOptions,
  weakTunnelSettings,
} from "./tunnelOptions";
import { LARGE_TUNNEL_GBPS, planEcmp, STANDARD_TUNNEL_GBPS, TUNNELS_PER_CONNECTION } from "./vpn";

function show(value: unknown): string {
  return value === undefined ? "(unset)" : JSON.stringify(value);
}

/** The value at `keys` inside `value`, or undefined when a step is missing. */
function at(value: unknown, ...keys: (string | number)[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function cidrOf(value: unknown): Cidr | undefined {
  if (typeof value !== "string") return undefined;
  const result = checkCidr(value);
  return "cidr" in result ? result.cidr : undefined;
}

/**
 * Parses a config list of addresses and CIDRs (an address counts as its /32 or /128). Returns the blocks,
 * and one problem per entry that is neither, naming the config key.
 */
export function parseCidrList(
  entries: readonly unknown[],
  key: string,
): { cidrs: Cidr[]; problems: string[] } {
  const cidrs: Cidr[] = [];
  const problems: string[] = [];
  entries.forEach((entry, i) => {
    const text =
      typeof entry === "string" && !entry.includes("/")
        ? `${entry}/${entry.includes(":") ? 128 : 32}`
        : entry;
    const cidr = cidrOf(text);
    if (cidr) cidrs.push(cidr);
    else problems.push(`policy config ${key}[${i}] = ${show(entry)} is not an IP address or CIDR`);
  });
  return { cidrs, problems };
}

// ---------------------------------------------------------------------------------------------------
// ASN ranges

const AMAZON_SIDE: Record<string, string> = {
  [TYPES.vpnGateway]: "virtual private gateway",
  [TYPES.transitGateway]: "transit gateway",
  [TYPES.dxGateway]: "Direct Connect gateway",
};
const VIF_KIND: Record<string, VifType> = {
  [TYPES.privateVif]: "private",
  [TYPES.transitVif]: "transit",
  [TYPES.publicVif]: "public",
};

/**
 * ASNs outside what AWS accepts: the Amazon side of a virtual private, transit or Direct Connect gateway is
 * a private ASN; a customer gateway's is 1–4294967295 and not one AWS keeps; a VIF's customer side per type.
 */
export function asnProblems(r: PlannedResource): string[] {
  const p = r.props;
  const gateway = AMAZON_SIDE[r.type];
  if (gateway) {
    if (p.amazonSideAsn === undefined) return [];
    const problem = amazonSideAsnProblem(integerOf(p.amazonSideAsn) ?? p.amazonSideAsn);
    return problem ? [`amazonSideAsn = ${show(p.amazonSideAsn)} of the ${gateway}: ${problem}`] : [];
  }
  const fields =
    r.type === TYPES.customerGateway
      ? ["bgpAsn", "bgpAsnExtended"]
      : VIF_KIND[r.type]
        ? ["bgpAsn", "bgpAsnLong"]
        : [];
  return fields.flatMap((field) => {
    if (p[field] === undefined) return [];
    const asn = integerOf(p[field]) ?? p[field];
    const vif = VIF_KIND[r.type];
    const problem = vif ? vifAsnProblem(vif, asn) : customerAsnProblem(asn);
    return problem ? [`${field} = ${show(p[field])}: ${problem}`] : [];
  });
}

// ---------------------------------------------------------------------------------------------------
// Tunnel options of a VPN connection

type ListOption =
  | "ikeVersions"
  | "phase1EncryptionAlgorithms"
  | "phase2EncryptionAlgorithms"
  | "phase1IntegrityAlgorithms"
  | "phase2IntegrityAlgorithms"
  | "phase1DhGroupNumbers"
  | "phase2DhGroupNumbers";

/**
 * Site-to-Site VPN: a tunnel option left unset accepts every value AWS supports, IKEv1, AES128, SHA1 and DH
 * group 2 among them, so an unset list is as weak as its weakest member.
 */
export const AWS_UNSET_TUNNEL_OPTIONS: Pick<ResolvedTunnelOptions, ListOption> = {
  ikeVersions: [...IKE_VERSIONS],
  phase1EncryptionAlgorithms: [...ENCRYPTION_ALGORITHMS],
  phase2EncryptionAlgorithms: [...ENCRYPTION_ALGORITHMS],
  phase1IntegrityAlgorithms: [...INTEGRITY_ALGORITHMS],
  phase2IntegrityAlgorithms: [...INTEGRITY_ALGORITHMS],
  phase1DhGroupNumbers: [...PHASE1_DH_GROUPS],
  phase2DhGroupNumbers: [...PHASE2_DH_GROUPS],
};

/** The VpnConnection input of tunnel `n`'s option: `tunnel1Phase1DhGroupNumbers`. */
export function tunnelInput(n: 1 | 2, option: string): string {
  return `tunnel${n}${option[0].toUpperCase()}${option.slice(1)}`;
}

/** One tunnel's list options as negotiated: given ones, and AWS's for the unset ones. */
export interface TunnelSettings {
  tunnel: 1 | 2;
  options: Pick<ResolvedTunnelOptions, ListOption>;
  /** Options left unset, so AWS's full list applies. */
  unset: ReadonlySet<ListOption>;
}

export function vpnTunnelSettings(props: Record<string, unknown>): TunnelSettings[] {
  return ([1, 2] as const).map((tunnel) => {
    const unset = new Set<ListOption>();
    const options = Object.fromEntries(
      (Object.keys(AWS_UNSET_TUNNEL_OPTIONS) as ListOption[]).map((option) => {
        const given = props[tunnelInput(tunnel, option)];
        if (Array.isArray(given) && given.length > 0) return [option, given];
        unset.add(option);
        return [option, AWS_UNSET_TUNNEL_OPTIONS[option]];
      }),
    ) as unknown as Pick<ResolvedTunnelOptions, ListOption>;
    return { tunnel, options, unset };
  });
}

function describeOption(s: TunnelSettings, option: ListOption, values: readonly unknown[]): string {
  const input = tunnelInput(s.tunnel, option);
  return s.unset.has(option)
    ? `${input} is unset, so AWS accepts ${show(values)}`
    : `${input} = ${show(s.options[option])}`;
}

/** Tunnels that accept IKEv1 (given, or by leaving the IKE versions unset). */
export function ikeVersionProblems(props: Record<string, unknown>): string[] {
  return vpnTunnelSettings(props).flatMap((s) => {
    const others = s.options.ikeVersions.filter((v) => v !== "ikev2");
    if (others.length === 0) return [];
    return [
      `${describeOption(s, "ikeVersions", s.options.ikeVersions)}: IKEv1 is legacy (aggressive mode, no built-in NAT traversal or EAP); set ["ikev2"]`,
    ];
  });
}

/**
 * Weak phase 1/2 encryption, integrity and DH groups (model/tunnelOptions `weakTunnelSettings`): AES-128,
 * SHA1, DH groups below `minDhGroup` and 22–24, whether given or accepted because the option is unset.
 */
export function weakCryptoProblems(props: Record<string, unknown>, minDhGroup: number): string[] {
  return vpnTunnelSettings(props).flatMap((s) =>
    weakTunnelSettings(s.options, minDhGroup)
      .filter((w) => w.field !== "ikeVersions")
      .map((w) => {
        const option = w.field as ListOption;
        return `${describeOption(s, option, s.options[option])}: ${show(w.values)} ${w.values.length === 1 ? "is" : "are"} weak; ${w.why}`;
      }),
  );
}

/**
 * A property's path as the policies name it, from the keys and indexes down to it: `tunnel1PresharedKey`,
 * `tags.Psk`, `sites[0].tunnels[1].presharedKey` (an empty key adds nothing at the start).
 */
export function propertyPath(steps: readonly (string | number)[]): string {
  let path = "";
  for (const step of steps)
    path = typeof step === "number" ? `${path}[${step}]` : path === "" ? step : `${path}.${step}`;
  return path;
}

/**
 * The property of a resource policy that names the only resource types it checks: policy/lib/rules.ts sets it
 * (not enumerable; @pulumi/policy does not read it), and the planner's in-process pack (cli/policyCuts.ts
 * `typeFilter`) skips the policy at once for any other type.
 */
export const APPLIES_TO_TYPES = "appliesToTypes";

/** Property names that hold a pre-shared key: `tunnel1PresharedKey`, `preSharedKey`, `psk`, `sitePsk`. */
export const PRESHARED_KEY_NAME = /pre-?_?shared-?_?key|^psk|psk$/i;

/**
 * Paths of properties whose name matches `name` and whose value is a non-empty string not marked secret,
 * anywhere in `props` (a key in tags or a description field leaks as surely as in the key's own input).
 * `isUnknown` tells a value the engine does not know yet (during a preview), which is never plain text.
 */
export function plaintextPaths(
  props: Record<string, unknown>,
  secretPaths: ReadonlySet<string>,
  name: RegExp,
  isUnknown: (value: unknown) => boolean = () => false,
): string[] {
  const found: string[] = [];
  // A path's text is built only when it is needed: for a finding, and for the secret paths when there are any
  // (most resources have none). The analysis of every resource walks all of its properties.
  const segments: (string | number)[] = [];
  const pathText = () => propertyPath(segments);
  const checkSecrets = secretPaths.size > 0;
  const walk = (value: unknown, secret: boolean, key: string | undefined) => {
    if (typeof value === "string") {
      if (key !== undefined && name.test(key) && value !== "" && !secret && !isUnknown(value))
        found.push(pathText());
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        segments.push(i);
        walk(value[i], secret || (checkSecrets && secretPaths.has(pathText())), key);
        segments.pop();
      }
      return;
    }
    if (value !== null && typeof value === "object")
      for (const k of Object.keys(value)) {
        segments.push(k);
        walk(
          (value as Record<string, unknown>)[k],
          secret || (checkSecrets && secretPaths.has(pathText())),
          k,
        );
        segments.pop();
      }
  };
  walk(props, false, undefined);
  return found;
}

/** Tunnels without activity logs in CloudWatch Logs (and, when asked, BGP sessions without BGP logs). */
export function tunnelLogProblems(props: Record<string, unknown>, requireBgpLogs: boolean): string[] {
  const bgp = props.staticRoutesOnly !== true;
  return ([1, 2] as const).flatMap((n) => {
    const input = `tunnel${n}LogOptions.cloudwatchLogOptions`;
    const options = at(props, `tunnel${n}LogOptions`, "cloudwatchLogOptions");
    const problems: string[] = [];
    if (at(options, "logEnabled") !== true)
      problems.push(
        `${input}.logEnabled = ${show(at(options, "logEnabled"))}: turn tunnel ${n}'s activity logs on (logEnabled: true, logGroupArn); without them an IKE or DPD failure leaves no trace`,
      );
    if (requireBgpLogs && bgp && at(options, "bgpLogEnabled") !== true)
      problems.push(
        `${input}.bgpLogEnabled = ${show(at(options, "bgpLogEnabled"))}: turn tunnel ${n}'s BGP logs on (bgpLogEnabled: true, bgpLogGroupArn)`,
      );
    return problems;
  });
}

// ---------------------------------------------------------------------------------------------------
// PrivateLink, zones, endpoint services

/**
 * The subnets a zonal resource is placed in, for an interface endpoint or a Network Load Balancer; undefined
 * for anything else. Both take one subnet per Availability Zone, so the subnets count the zones.
 */
export function zonalPlacement(r: PlannedResource): { what: string; subnets: string[] } | undefined {
  const p = r.props;
  const ids = (list: unknown, nested?: string) =>
    listOf(list)
      .map((e) => (nested ? at(e, nested) : e))
      .filter((e): e is string => typeof e === "string" && e !== "");
  if (r.type === TYPES.vpcEndpoint && p.vpcEndpointType === "Interface")
    return {
      what: "interface endpoint",
      subnets: [...new Set([...ids(p.subnetIds), ...ids(p.subnetConfigurations, "subnetId")])],
    };
  if ((r.type === TYPES.loadBalancer || r.type === TYPES.albLoadBalancer) && p.loadBalancerType === "network")
    return {
      what: "Network Load Balancer",
      subnets: [...new Set([...ids(p.subnets), ...ids(p.subnetMappings, "subnetId")])],
    };
  return undefined;
}

export function zoneProblems(r: PlannedResource, minZones: number): string[] {
  const placement = zonalPlacement(r);
  if (!placement || placement.subnets.length >= minZones) return [];
  const count = placement.subnets.length;
  return [
    `the ${placement.what} is in ${count} subnet${count === 1 ? "" : "s"} ${show(placement.subnets)}, so ${count} Availability Zone${count === 1 ? "" : "s"} (AWS takes one subnet per zone): place it in at least ${minZones} zones, or losing one zone cuts every consumer off`,
  ];
}

/** Endpoint services that admit connections without acceptance, or any principal through a wildcard. */
export function endpointServiceProblems(r: PlannedResource): string[] {
  const p = r.props;
  if (r.type === TYPES.endpointServicePrincipal)
    return typeof p.principalArn === "string" && p.principalArn.includes("*")
      ? [
          `principalArn = ${show(p.principalArn)}: a wildcard lets every matching AWS account find and request the service; name each account or role`,
        ]
      : [];
  if (r.type !== TYPES.endpointService) return [];
  const problems: string[] = [];
  if (p.acceptanceRequired !== true)
    problems.push(
      `acceptanceRequired = ${show(p.acceptanceRequired)}: every allowed principal's endpoint connects at once; require acceptance so each connection is approved`,
    );
  const wildcards = listOf(p.allowedPrincipals).filter((v) => typeof v === "string" && v.includes("*"));
  if (wildcards.length > 0)
    problems.push(
      `allowedPrincipals holds ${show(wildcards)}: a wildcard lets every matching AWS account find and request the service; name each account or role`,
    );
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Direct Connect, transit gateways, Client VPN, customer gateways, VPC CIDRs

/** A VIF without a BGP MD5 key, or with one in plain text (the AWS provider does not mark it secret). */
export function bgpAuthKeyProblems(r: PlannedResource): string[] {
  if (!VIF_KIND[r.type] || r.secretPaths?.has("bgpAuthKey")) return [];
  const key = r.props.bgpAuthKey;
  if (key === undefined || key === null || key === "")
    return [
      "bgpAuthKey is unset: AWS then makes up a key and returns it in plain text in the state; give one (hybridnet's VirtualInterfaces generates a secret one)",
    ];
  if (r.secretPaths)
    return [
      "bgpAuthKey is in plain text: pass it as a secret (pulumi.secret, `pulumi config set --secret`) so it is encrypted in the state and hidden in the preview",
    ];
  return [];
}

/**
 * Transit gateway settings that attach or route without a decision: auto-accepting shared attachments, and
 * the default route table association and propagation (AWS's defaults are on).
 */
export function transitGatewayProblems(props: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (props.autoAcceptSharedAttachments === "enable")
    problems.push(
      'autoAcceptSharedAttachments = "enable": any account the transit gateway is shared with attaches without approval; set "disable"',
    );
  for (const [field, what] of [
    ["defaultRouteTableAssociation", "associated with"],
    ["defaultRouteTablePropagation", "propagated into"],
  ] as const)
    if (props[field] !== "disable")
      problems.push(
        `${field} = ${show(props[field])}${props[field] === undefined ? " (AWS's default: enable)" : ""}: every new attachment is ${what} the default route table, so it reaches (or is reached by) every other; set "disable" and place attachments in segment route tables`,
      );
  return problems;
}

export function clientVpnLogProblems(props: Record<string, unknown>): string[] {
  const enabled = at(props, "connectionLogOptions", "enabled");
  return enabled === true
    ? []
    : [
        `connectionLogOptions.enabled = ${show(enabled)}: turn connection logging on (a CloudWatch log group and stream), so every client connection and attempt is on record`,
      ];
}

export function clientVpnSplitTunnelProblems(props: Record<string, unknown>): string[] {
  return props.splitTunnel === true
    ? []
    : [
        `splitTunnel = ${show(props.splitTunnel)}${props.splitTunnel === undefined ? " (AWS's default: false)" : ""}: every client's internet traffic goes through the VPC (data transfer charges, and the VPC becomes the clients' way out); set splitTunnel: true and route only the networks clients need`,
      ];
}

/** A customer gateway whose address is not among the approved ones (addresses or CIDRs). */
export function customerGatewayAddressProblems(
  props: Record<string, unknown>,
  approved: readonly Cidr[],
): string[] {
  const address = cidrOf(typeof props.ipAddress === "string" ? `${props.ipAddress}/32` : undefined);
  if (address && approved.some((a) => cidrContains(a, address))) return [];
  return [
    `ipAddress = ${show(props.ipAddress)} is not an approved VPN device address (${approved.map((a) => a.text).join(", ")}); a tunnel to an unknown device is a way into the network`,
  ];
}

/** The IPv4 CIDRs a VPC resource (or a CIDR association) declares, with the input that declares each. */
export function declaredVpcCidrs(r: PlannedResource): { input: string; value: string }[] {
  const p = r.props;
  if (r.type === TYPES.vpc || r.type === TYPES.awsxVpc || r.type === TYPES.vpcCidrAssociation)
    return typeof p.cidrBlock === "string" ? [{ input: "cidrBlock", value: p.cidrBlock }] : [];
  return [];
}

export function supernetProblems(r: PlannedResource, supernets: readonly Cidr[]): string[] {
  return declaredVpcCidrs(r).flatMap(({ input, value }) => {
    const cidr = cidrOf(value);
    if (!cidr || supernets.some((s) => cidrContains(s, cidr))) return [];
    return [
      `${input} = ${show(value)} is outside the supernets VPCs are allocated from (${supernets.map((s) => s.text).join(", ")}); take it from them so it cannot collide with on-premises or other VPCs`,
    ];
  });
}

// ---------------------------------------------------------------------------------------------------
// Stack: what connects to what

/** The gateway a VPN connection ends on (virtual private or transit gateway), as a graph key. */
function vpnGatewayOf(
  graph: ResourceGraph,
  vpn: PlannedResource,
): { key: string; kind: "vgw" | "tgw" } | undefined {
  const vgw = graph.target(vpn, "vpnGatewayId", ELEMENT_TYPES.vpnGateway);
  if (vgw) return { key: vgw, kind: "vgw" };
  const tgw = graph.target(vpn, "transitGatewayId", ELEMENT_TYPES.transitGateway);
  return tgw ? { key: tgw, kind: "tgw" } : undefined;
}

function gatewayWords(graph: ResourceGraph, gateway: { key: string; kind: "vgw" | "tgw" }): string {
  return `${gateway.kind === "vgw" ? "virtual private gateway" : "transit gateway"} ${graph.label(gateway.key)}`;
}

/**
 * Which elements reach each other: VPCs, gateways, customer gateways and Client VPN endpoints joined by
 * attachments, VPN connections, peering connections, transit gateway peering and Direct Connect
 * associations. Returns the key of an element's connected group.
 */
export function connectivity(graph: ResourceGraph): (key: string) => string {
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(key, root);
    return root;
  };
  const join = (...keys: (string | undefined)[]) => {
    const present = keys.filter((k): k is string => k !== undefined).map(find);
    for (const k of present.slice(1)) parent.set(k, present[0]);
  };
  const T = ELEMENT_TYPES;
  for (const r of graph.ofType(TYPES.vpnGateway)) join(r.urn, graph.target(r, "vpcId", T.vpc));
  for (const r of graph.ofType(TYPES.vpnGatewayAttachment))
    join(graph.target(r, "vpnGatewayId", T.vpnGateway), graph.target(r, "vpcId", T.vpc));
  for (const r of graph.ofType(TYPES.vpnConnection))
    join(r.urn, graph.target(r, "customerGatewayId", T.customerGateway), vpnGatewayOf(graph, r)?.key);
  for (const r of graph.ofType(TYPES.tgwVpcAttachment))
    join(r.urn, graph.target(r, "vpcId", T.vpc), graph.target(r, "transitGatewayId", T.transitGateway));
  for (const r of graph.ofType(TYPES.tgwPeeringAttachment))
    join(
      r.urn,
      graph.target(r, "transitGatewayId", T.transitGateway),
      graph.target(r, "peerTransitGatewayId", T.transitGateway),
    );
  for (const r of graph.ofType(TYPES.peeringConnection))
    join(r.urn, graph.target(r, "vpcId", T.vpc), graph.target(r, "peerVpcId", T.vpc));
  for (const r of graph.ofType(TYPES.clientVpnEndpoint)) join(r.urn, graph.target(r, "vpcId", T.vpc));
  for (const r of graph.ofType(TYPES.dxAssociation, TYPES.dxAssociationProposal))
    join(
      graph.target(r, "dxGatewayId", T.dxGateway),
      graph.target(r, "associatedGatewayId", [...T.vpnGateway, ...T.transitGateway]),
    );
  for (const r of graph.ofType(TYPES.privateVif, TYPES.transitVif))
    join(r.urn, graph.target(r, "dxGatewayId", T.dxGateway), graph.target(r, "vpnGatewayId", T.vpnGateway));
  return find;
}

export type NetworkKind = "vpc" | "on-premises" | "client-vpn";

/** A network the stack reveals: its block, the element it belongs to, and where it was declared. */
export interface Network {
  cidr: Cidr;
  /** Graph key of the VPC, customer gateway or Client VPN endpoint the network is behind. */
  owner: string;
  kind: NetworkKind;
  /** How messages name it: `10.0.0.0/16 (VPC "hub")`. */
  label: string;
  /** The resource that declares it; undefined for networks that come from policy config. */
  urn?: string;
}

/** Networks the stack does not show (VPCs of other stacks, BGP-learned on-premises prefixes), from config. */
export interface DeclaredNetworks {
  /** CIDRs of VPCs this stack names by id, by VPC id. */
  vpcCidrs?: Record<string, string[]>;
  /** Prefixes each site announces over BGP, by customer gateway address (or resource name). */
  onPremisesPrefixes?: Record<string, string[]>;
}

/** The customer gateway behind a VPN connection, as a graph key (the connection itself when unknown). */
function customerGatewayOf(graph: ResourceGraph, vpnKey: string): string {
  const vpn = graph.get(vpnKey);
  return (vpn && graph.target(vpn, "customerGatewayId", ELEMENT_TYPES.customerGateway)) ?? vpnKey;
}

/**
 * Every network the stack declares: VPC CIDRs, static on-premises prefixes (VPN connection routes, transit
 * gateway routes to a VPN attachment, a connection's remote traffic selector), Client VPN client CIDRs, and
 * the networks given in config.
 */
export function knownNetworks(graph: ResourceGraph, declared: DeclaredNetworks = {}): Network[] {
  const networks: Network[] = [];
  const add = (value: unknown, owner: string | undefined, kind: NetworkKind, label: string, urn?: string) => {
    const cidr = cidrOf(value);
    if (cidr && owner)
      networks.push({ cidr, owner, kind, label: `${cidr.text} (${label})`, ...(urn ? { urn } : {}) });
  };
  for (const r of graph.ofType(TYPES.vpc, TYPES.awsxVpc)) {
    add(r.props.cidrBlock, r.urn, "vpc", `VPC "${r.name}"`, r.urn);
    add(r.props.ipv6CidrBlock, r.urn, "vpc", `VPC "${r.name}"`, r.urn);
  }
  for (const r of graph.ofType(TYPES.vpcCidrAssociation)) {
    const vpc = graph.target(r, "vpcId", ELEMENT_TYPES.vpc);
    add(r.props.cidrBlock, vpc, "vpc", `VPC ${vpc ? graph.label(vpc) : "?"}`, r.urn);
  }
  for (const [id, cidrs] of Object.entries(declared.vpcCidrs ?? {}))
    for (const c of cidrs) add(c, `id:${id}`, "vpc", `VPC ${id}, from policy config`);
  const site = (cgw: string) => {
    const r = graph.get(cgw);
    return r
      ? `on-premises behind customer gateway "${r.name}" ${String(r.props.ipAddress ?? "")}`.trim()
      : "on-premises";
  };
  for (const r of graph.ofType(TYPES.vpnConnectionRoute)) {
    const vpn = graph.target(r, "vpnConnectionId", ELEMENT_TYPES.vpnConnection);
    const cgw = vpn ? customerGatewayOf(graph, vpn) : undefined;
    if (cgw) add(r.props.destinationCidrBlock, cgw, "on-premises", site(cgw), r.urn);
  }
  for (const r of graph.ofType(TYPES.tgwRoute)) {
    if (r.props.blackhole === true) continue;
    const attachment = graph.target(r, "transitGatewayAttachmentId", ELEMENT_TYPES.tgwAttachment);
    if (attachment && graph.get(attachment)?.type === TYPES.vpnConnection) {
      const cgw = customerGatewayOf(graph, attachment);
      add(r.props.destinationCidrBlock, cgw, "on-premises", site(cgw), r.urn);
    }
  }
  for (const r of graph.ofType(TYPES.vpnConnection)) {
    const remote = r.props.remoteIpv4NetworkCidr;
    if (typeof remote === "string" && remote !== "0.0.0.0/0") {
      const cgw = customerGatewayOf(graph, r.urn);
      add(remote, cgw, "on-premises", site(cgw), r.urn);
    }
  }
  const gateways = graph.ofType(TYPES.customerGateway);
  for (const [key, prefixes] of Object.entries(declared.onPremisesPrefixes ?? {}))
    for (const cgw of gateways.filter((g) => g.props.ipAddress === key || g.name === key))
      for (const p of prefixes)
        add(p, cgw.urn, "on-premises", `${site(cgw.urn)}, from policy config`, cgw.urn);
  for (const r of graph.ofType(TYPES.clientVpnEndpoint))
    add(r.props.clientCidrBlock, r.urn, "client-vpn", `clients of Client VPN endpoint "${r.name}"`, r.urn);
  return networks;
}

/**
 * Overlapping networks that reach each other: a VPC and a VPC, a VPC and an on-premises prefix, two sites,
 * a Client VPN client range and anything it reaches. Traffic to the overlap goes to only one of them.
 * `allowed` are blocks that may be announced from more than one place on purpose (anycast, a failover pair).
 */
export function overlapFindings(
  graph: ResourceGraph,
  declared: DeclaredNetworks,
  allowed: readonly Cidr[],
): Finding[] {
  const networks = knownNetworks(graph, declared);
  const group = connectivity(graph);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const overlaps = findOverlaps(networks.map((n, i) => ({ name: String(i), cidr: n.cidr })));
  for (const { a, b } of overlaps) {
    const [x, y] = [networks[Number(a.name)], networks[Number(b.name)]];
    if (x.owner === y.owner || group(x.owner) !== group(y.owner)) continue;
    if (allowed.some((block) => cidrContains(block, x.cidr) && cidrContains(block, y.cidr))) continue;
    const message = `${y.label} overlaps ${x.label}, and the two are connected: traffic to the overlap reaches only one of them. Renumber one side, or reach it over PrivateLink instead of routing`;
    const urn = y.urn ?? x.urn;
    const key = `${urn}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push({ ...(urn ? { urn } : {}), message });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// Stack: ASNs, gateways, tunnels

/** Tag that marks a virtual private gateway built from raw resources as a VPN CloudHub. */
export const CLOUDHUB_TAG = "hybridnet:cloudhub";

/**
 * A virtual private gateway is a VPN CloudHub when a VpnCloudHub component registered it, or when it carries
 * the tag `hybridnet:cloudhub = "true"` (a CloudHub built from raw resources).
 */
export function isCloudHubGateway(gateway: PlannedResource | undefined): boolean {
  if (!gateway) return false;
  if (gateway.parent?.split("::")[2]?.split("$").pop() === "hybridnet:index:VpnCloudHub") return true;
  const tags = gateway.props.tags as Record<string, unknown> | undefined;
  return tags?.[CLOUDHUB_TAG] === "true";
}

/**
 * BGP customer gateways that use their gateway's own Amazon side ASN (a BGP session needs two ASNs), or that
 * share an ASN on a VPN CloudHub: the hub re-advertises every site's routes to every other, and a site drops
 * routes whose AS path holds its own ASN, so sites sharing one cannot reach each other (CloudHub needs a
 * unique ASN per site). On any other gateway, two customer gateways with one ASN are usually one site with
 * two devices or paths (a pair of routers on a virtual private gateway; an internet VPN backing up a private
 * IP VPN over Direct Connect on a transit gateway): not a fault. `includeTransitGateways` holds transit
 * gateways to unique ASNs too. `allowedDuplicates` are ASNs shared on purpose.
 */
export function asnUniquenessFindings(
  graph: ResourceGraph,
  options: { allowedDuplicates: readonly number[]; includeTransitGateways: boolean },
): Finding[] {
  const byGateway = new Map<
    string,
    { gateway: { key: string; kind: "vgw" | "tgw" }; sites: Map<string, number> }
  >();
  for (const vpn of graph.ofType(TYPES.vpnConnection)) {
    if (vpn.props.staticRoutesOnly === true) continue;
    const gateway = vpnGatewayOf(graph, vpn);
    const cgw = graph.target(vpn, "customerGatewayId", ELEMENT_TYPES.customerGateway);
    const site = cgw ? graph.get(cgw) : undefined;
    if (!gateway || !site) continue;
    const asn = integerOf(site.props.bgpAsnExtended) ?? integerOf(site.props.bgpAsn);
    if (asn === undefined) continue;
    const entry = byGateway.get(gateway.key) ?? { gateway, sites: new Map<string, number>() };
    entry.sites.set(site.urn, asn);
    byGateway.set(gateway.key, entry);
  }
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const { gateway, sites } of byGateway.values()) {
    const gw = graph.get(gateway.key);
    const amazon = gw ? (integerOf(gw.props.amazonSideAsn) ?? DEFAULT_AMAZON_SIDE_ASN) : undefined;
    const owners = new Map<number, string>();
    for (const [urn, asn] of [...sites].sort(([x], [y]) => (x < y ? -1 : 1))) {
      const name = graph.label(urn);
      if (asn === amazon && !reported.has(`${urn}|amazon`)) {
        reported.add(`${urn}|amazon`);
        findings.push({
          urn,
          message: `customer gateway ${name} has BGP ASN ${asn}, the Amazon side ASN of ${gatewayWords(graph, gateway)}: a BGP session needs two different ASNs`,
        });
      }
      const first = owners.get(asn);
      const checked = gateway.kind === "vgw" ? isCloudHubGateway(gw) : options.includeTransitGateways;
      if (first === undefined) owners.set(asn, urn);
      else if (
        checked &&
        !options.allowedDuplicates.includes(asn) &&
        !reported.has(`${urn}|${gateway.key}`)
      ) {
        reported.add(`${urn}|${gateway.key}`);
        findings.push({
          urn,
          message: `customer gateway ${name} has BGP ASN ${asn}, as ${graph.label(first)} does, and both connect to ${gateway.kind === "vgw" ? "VPN CloudHub " : ""}${gatewayWords(graph, gateway)}: a site drops routes whose AS path holds its own ASN, so these sites cannot learn each other's networks (VPN CloudHub needs a unique ASN per site)`,
        });
      }
    }
  }
  return findings;
}

/** VPCs with more than one virtual private gateway (AWS attaches at most one to a VPC). */
export function vgwPerVpcFindings(graph: ResourceGraph): Finding[] {
  const byVpc = new Map<string, { gateway: string; urn: string }[]>();
  const note = (vpc: string | undefined, gateway: string | undefined, urn: string) => {
    if (!vpc || !gateway) return;
    const list = byVpc.get(vpc) ?? [];
    if (!list.some((e) => e.gateway === gateway)) list.push({ gateway, urn });
    byVpc.set(vpc, list);
  };
  for (const r of graph.ofType(TYPES.vpnGateway))
    note(graph.target(r, "vpcId", ELEMENT_TYPES.vpc), r.urn, r.urn);
  for (const r of graph.ofType(TYPES.vpnGatewayAttachment))
    note(
      graph.target(r, "vpcId", ELEMENT_TYPES.vpc),
      graph.target(r, "vpnGatewayId", ELEMENT_TYPES.vpnGateway),
      r.urn,
    );
  return [...byVpc].flatMap(([vpc, gateways]) =>
    gateways.slice(1).map((g) => ({
      urn: g.urn,
      message: `VPC ${graph.label(vpc)} gets virtual private gateway ${graph.label(g.gateway)} as well as ${graph.label(gateways[0].gateway)}: a VPC takes one virtual private gateway; put every site on the one gateway (or use a transit gateway)`,
    })),
  );
}

// ---------------------------------------------------------------------------------------------------
// Stack: what a Direct Connect gateway is associated with, and the VIFs on it

type DxAssociationKind = "vgw" | "tgw";

const DX_ASSOCIATION_WORDS: Record<DxAssociationKind, { one: string; many: string; vif: string }> = {
  vgw: { one: "virtual private gateway", many: "virtual private gateways", vif: "private VIF" },
  tgw: { one: "transit gateway", many: "transit gateways", vif: "transit VIF" },
};

/** Resources that attach a VIF to a Direct Connect gateway (`dxGatewayId`), and the associations each fits. */
const VIFS_ON_DX_GATEWAY: Record<string, { fits: DxAssociationKind; what: string }> = {
  [TYPES.privateVif]: { fits: "vgw", what: "private VIF" },
  [TYPES.hostedPrivateVifAccepter]: { fits: "vgw", what: "hosted private VIF" },
  [TYPES.transitVif]: { fits: "tgw", what: "transit VIF" },
  [TYPES.hostedTransitVifAcceptor]: { fits: "tgw", what: "hosted transit VIF" },
};

/**
 * What a Direct Connect gateway association associates: the gateway's graph key (a VpnGateway or
 * TransitGateway of the stack, or `id:vgw-…`/`id:tgw-…`) and its kind, or undefined when neither tells the
 * kind. A cross-account association names its proposal instead, which names the gateway; the proposal is read
 * first, since the association's own `associatedGatewayId` is computed, so unknown during a preview.
 */
function dxAssociatedGateway(
  graph: ResourceGraph,
  association: PlannedResource,
): { key: string; kind: DxAssociationKind } | undefined {
  const proposal = (association.propertyDependencies?.proposalId ?? [])
    .map((urn) => graph.get(urn))
    .find((r) => r?.type === TYPES.dxAssociationProposal);
  const key = graph.target(proposal ?? association, "associatedGatewayId", [
    ...ELEMENT_TYPES.vpnGateway,
    ...ELEMENT_TYPES.transitGateway,
  ]);
  if (!key) return undefined;
  const resource = graph.get(key);
  if (resource) return { key, kind: resource.type === TYPES.vpnGateway ? "vgw" : "tgw" };
  const id = key.slice("id:".length);
  const kind = (["vgw", "tgw"] as const).find((prefix) => ec2IdProblem(prefix, id) === undefined);
  return kind ? { key, kind } : undefined;
}

/**
 * Direct Connect gateways whose associations or VIFs AWS refuses to combine (Direct Connect User Guide,
 * "Virtual private gateway associations" and "Transit gateway associations"): a gateway is associated with
 * virtual private gateways or with transit gateways, never both (AWS refuses a transit gateway association
 * on a gateway with a virtual private gateway association, and the reverse); a private VIF, created or
 * hosted, attaches only to a gateway with virtual private gateway associations or none (AWS refuses a
 * transit gateway association on a gateway with a private VIF, and private VIFs reach only virtual private
 * gateways); a transit VIF only to one with transit gateway associations or none (it reaches only transit
 * gateways). A gateway with both kinds of association gets that one finding, on the gateway (which VIFs fit
 * depends on the kind that stays). Associations and VIFs of a gateway that another stack owns meet by its
 * id; an association whose gateway's kind is unknown is left out.
 */
export function dxGatewayVifTypeFindings(graph: ResourceGraph): Finding[] {
  interface Attached {
    urn: string;
    /** How a message names it: `transit gateway "hub-tgw" (association "dx-hub-association")`. */
    words: string;
  }
  const byGateway = new Map<
    string,
    { associations: Record<DxAssociationKind, Attached[]>; vifs: (Attached & { fits: DxAssociationKind })[] }
  >();
  const entryOf = (dx: string) => {
    const entry = byGateway.get(dx) ?? { associations: { vgw: [], tgw: [] }, vifs: [] };
    byGateway.set(dx, entry);
    return entry;
  };
  for (const a of graph.ofType(TYPES.dxAssociation)) {
    const dx = graph.target(a, "dxGatewayId", ELEMENT_TYPES.dxGateway);
    const gateway = dx ? dxAssociatedGateway(graph, a) : undefined;
    if (!dx || !gateway) continue;
    const one = DX_ASSOCIATION_WORDS[gateway.kind].one;
    entryOf(dx).associations[gateway.kind].push({
      urn: a.urn,
      words: `${one} ${graph.label(gateway.key)} (association "${a.name}")`,
    });
  }
  for (const v of graph.ofType(...Object.keys(VIFS_ON_DX_GATEWAY))) {
    const dx = graph.target(v, "dxGatewayId", ELEMENT_TYPES.dxGateway);
    if (!dx) continue;
    const { fits, what } = VIFS_ON_DX_GATEWAY[v.type];
    entryOf(dx).vifs.push({ urn: v.urn, words: `${what} "${v.name}"`, fits });
  }
  const findings: Finding[] = [];
  const list = (entries: readonly Attached[]) => entries.map((e) => e.words).join(", ");
  for (const [dx, { associations, vifs }] of byGateway) {
    const { vgw, tgw } = associations;
    if (vgw.length > 0 && tgw.length > 0) {
      findings.push({
        urn: graph.get(dx) ? dx : tgw[0].urn,
        message: `Direct Connect gateway ${graph.label(dx)} is associated with ${list(vgw)} and with ${list(tgw)}: AWS associates a Direct Connect gateway with virtual private gateways or with transit gateways, never both, and refuses the second kind; use a second Direct Connect gateway`,
      });
      continue;
    }
    const kind: DxAssociationKind | undefined = vgw.length > 0 ? "vgw" : tgw.length > 0 ? "tgw" : undefined;
    if (!kind) continue;
    const words = DX_ASSOCIATION_WORDS[kind];
    const why =
      kind === "tgw"
        ? "AWS refuses a transit gateway association on a Direct Connect gateway with a private VIF, and a private VIF reaches only virtual private gateways"
        : "such a gateway carries traffic between private VIFs and virtual private gateways only, and AWS refuses to add a transit gateway association to it, so a transit VIF reaches nothing";
    for (const vif of vifs)
      if (vif.fits !== kind)
        findings.push({
          urn: vif.urn,
          message: `${vif.words} attaches to Direct Connect gateway ${graph.label(dx)}, which is associated with ${list(associations[kind])}: a Direct Connect gateway with ${words.one} associations takes ${words.vif}s only (${why}); use a ${words.vif}, or a Direct Connect gateway associated with ${DX_ASSOCIATION_WORDS[vif.fits].many}`,
        });
  }
  return findings;
}

/**
 * Tunnel inside CIDRs that AWS refuses (model/addressing `tunnelInsideCidrProblem`) or that repeat where AWS
 * requires them unique: IPv4 inside CIDRs on one virtual private gateway, IPv6 inside CIDRs on one transit
 * gateway (CreateVpnConnection, VpnTunnelOptionsSpecification `TunnelInsideCidr` / `TunnelInsideIpv6Cidr`).
 * IPv4 inside CIDRs need not be unique on a transit gateway (AWS knowledge center
 * "vpn-custom-psk-inside-tunnel-ip"), so a repeat there is not reported.
 */
export function tunnelInsideFindings(graph: ResourceGraph): Finding[] {
  const findings: Finding[] = [];
  const byGateway = new Map<string, { name: string; cidr: Cidr; urn: string }[]>();
  const kinds = new Map<string, "vgw" | "tgw">();
  for (const vpn of graph.ofType(TYPES.vpnConnection)) {
    const ipv6 = vpn.props.tunnelInsideIpVersion === "ipv6";
    const gateway = vpnGatewayOf(graph, vpn);
    const unique = gateway?.kind === "vgw" || (gateway?.kind === "tgw" && ipv6);
    for (const n of [1, 2]) {
      const input = ipv6 ? `tunnel${n}InsideIpv6Cidr` : `tunnel${n}InsideCidr`;
      const value = vpn.props[input];
      if (value === undefined) continue;
      const problem = tunnelInsideCidrProblem(value, ipv6 ? 6 : 4);
      if (problem) {
        findings.push({ urn: vpn.urn, message: `${input} = ${show(value)}: ${problem}` });
        continue;
      }
      if (!gateway || !unique) continue;
      const list = byGateway.get(gateway.key) ?? [];
      list.push({ name: `${input} of "${vpn.name}"`, cidr: cidrOf(value)!, urn: vpn.urn });
      byGateway.set(gateway.key, list);
      kinds.set(gateway.key, gateway.kind);
    }
  }
  for (const [gateway, list] of byGateway) {
    const vgw = kinds.get(gateway) === "vgw";
    const where =
      vgw && graph.get(gateway) ? `virtual private gateway ${graph.label(gateway)}` : graph.label(gateway);
    for (const { a, b } of findOverlaps(list.map((e, i) => ({ name: String(i), cidr: e.cidr })))) {
      const [x, y] = [list[Number(a.name)], list[Number(b.name)]];
      findings.push({
        urn: y.urn,
        message: `${y.name} is ${y.cidr.text}, which overlaps ${x.name} (${x.cidr.text}) on ${where}: ${vgw ? "inside CIDRs must be unique on a virtual private gateway" : "IPv6 inside CIDRs must be unique on a transit gateway"}`,
      });
    }
  }
  return findings;
}

/** `["a", "b", "c"]` as "a, b and c". */
function list(items: readonly string[], last: "and" | "or"): string {
  return items.length < 2
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} ${last} ${items[items.length - 1]}`;
}

/**
 * Listeners of a load balancer behind an endpoint service whose protocol PrivateLink does not carry: QUIC and
 * TCP_QUIC. TCP, TLS, UDP and TCP_UDP pass (the model's PRIVATELINK_LISTENER_PROTOCOLS, with its AWS source).
 */
export function listenerProtocolFindings(graph: ResourceGraph): Finding[] {
  const behindService = new Set(
    graph
      .ofType(TYPES.endpointService)
      .flatMap((s) => graph.targets(s, "networkLoadBalancerArns", ELEMENT_TYPES.loadBalancer)),
  );
  const allowed: readonly string[] = PRIVATELINK_LISTENER_PROTOCOLS;
  return graph.ofType(TYPES.listener, TYPES.albListener).flatMap((l) => {
    const lb = graph.target(l, "loadBalancerArn", ELEMENT_TYPES.loadBalancer);
    const protocol = l.props.protocol;
    if (!lb || !behindService.has(lb) || typeof protocol !== "string" || allowed.includes(protocol))
      return [];
    return [
      {
        urn: l.urn,
        message: `protocol = ${show(protocol)} on a load balancer behind an endpoint service: PrivateLink carries only ${list(allowed, "and")}; use ${list(allowed, "or")}`,
      },
    ];
  });
}

// ---------------------------------------------------------------------------------------------------
// Stack: VPN capacity

/** One VPN connection from a site, as capacity sees it. */
export interface VpnPath {
  /** Graph key of the gateway it ends on. */
  gateway: string;
  kind: "vgw" | "tgw";
  /** VPN ECMP is on (transit gateways only). */
  ecmp: boolean;
  bgp: boolean;
  tunnelGbps: number;
}

/**
 * What a site's VPN connections can carry with every tunnel up: on a transit gateway with VPN ECMP and BGP,
 * both tunnels of every connection at once; otherwise one tunnel at a time (a virtual private gateway has
 * no ECMP, static routing picks one tunnel). Connections on different gateways do not add up.
 */
export function vpnCapacity(paths: readonly VpnPath[]): { capacityGbps: number; reason: string } {
  let best = { capacityGbps: 0, reason: "no VPN connection" };
  const byGateway = new Map<string, VpnPath[]>();
  for (const p of paths) byGateway.set(p.gateway, [...(byGateway.get(p.gateway) ?? []), p]);
  for (const group of byGateway.values()) {
    const spread = group.every((p) => p.kind === "tgw" && p.ecmp && p.bgp);
    const capacityGbps = spread
      ? group.reduce((sum, p) => sum + TUNNELS_PER_CONNECTION * p.tunnelGbps, 0)
      : Math.max(...group.map((p) => p.tunnelGbps));
    const why = spread
      ? `${group.length} connection(s) × ${TUNNELS_PER_CONNECTION} tunnels with BGP ECMP on a transit gateway`
      : group.some((p) => p.kind === "vgw")
        ? "a virtual private gateway has no ECMP, so one tunnel carries the traffic"
        : group.some((p) => !p.bgp)
          ? "static routing uses one tunnel at a time"
          : "VPN ECMP is off on the transit gateway, so one tunnel carries the traffic";
    if (capacityGbps > best.capacityGbps) best = { capacityGbps, reason: `${capacityGbps} Gbps: ${why}` };
  }
  return best;
}

/**
 * Sites whose declared bandwidth (Gbps, by customer gateway address or resource name) exceeds what their VPN
 * connections can carry: 1.25 Gbps a standard tunnel (5 a large one), more only with ECMP on a transit gateway.
 */
export function bandwidthFindings(
  graph: ResourceGraph,
  required: Readonly<Record<string, number>>,
): Finding[] {
  const findings: Finding[] = [];
  const connections = graph.ofType(TYPES.vpnConnection);
  for (const cgw of graph.ofType(TYPES.customerGateway)) {
    const gbps = required[String(cgw.props.ipAddress)] ?? required[cgw.name];
    if (gbps === undefined) continue;
    const paths: VpnPath[] = [];
    for (const vpn of connections) {
      if (graph.target(vpn, "customerGatewayId", ELEMENT_TYPES.customerGateway) !== cgw.urn) continue;
      const gateway = vpnGatewayOf(graph, vpn);
      if (!gateway) continue;
      // A transit gateway of another stack is taken at AWS's default, VPN ECMP on.
      const ecmp = gateway.kind === "tgw" && graph.get(gateway.key)?.props.vpnEcmpSupport !== "disable";
      paths.push({
        gateway: gateway.key,
        kind: gateway.kind,
        ecmp,
        bgp: vpn.props.staticRoutesOnly !== true,
        tunnelGbps: vpn.props.tunnelBandwidth === "large" ? LARGE_TUNNEL_GBPS : STANDARD_TUNNEL_GBPS,
      });
    }
    const { capacityGbps, reason } = vpnCapacity(paths);
    if (gbps <= capacityGbps) continue;
    // Sized as TransitGatewayVpn sizes a site: enough tunnels for the load, plus one spare.
    const plan = planEcmp({
      requiredGbps: gbps,
      routing: "bgp",
      ecmp: true,
      tunnelBandwidth: "standard",
      spareTunnels: 1,
    });
    const hint =
      "problem" in plan
        ? plan.problem
        : `${plan.connections} VPN connection(s) with BGP on a transit gateway with VPN ECMP carry it with a spare tunnel (TransitGatewayVpn's bandwidthGbps sizes them)`;
    findings.push({
      urn: cgw.urn,
      message: `customer gateway "${cgw.name}" needs ${gbps} Gbps, but its VPN connections carry ${reason}; ${hint}`,
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// Stack: peering as transit, open security groups, peering DNS

/**
 * Routes through a VPC peering connection to anything but the two peered VPCs: a default route, another
 * VPC, an on-premises or Client VPN network, or (when both VPCs' CIDRs are known) any block outside them.
 * Peering is not transitive, so such traffic is dropped.
 */
export function peeringTransitFindings(graph: ResourceGraph, declared: DeclaredNetworks): Finding[] {
  const networks = knownNetworks(graph, declared);
  const cidrsOf = (owner: string | undefined) => networks.filter((n) => n.owner === owner).map((n) => n.cidr);
  const findings: Finding[] = [];
  for (const route of graph.ofType(TYPES.route)) {
    const pcx = graph.target(route, "vpcPeeringConnectionId", ELEMENT_TYPES.peeringConnection);
    if (!pcx) continue;
    const value = route.props.destinationCidrBlock ?? route.props.destinationIpv6CidrBlock;
    const destination = cidrOf(value);
    if (!destination) continue;
    const input =
      route.props.destinationCidrBlock !== undefined ? "destinationCidrBlock" : "destinationIpv6CidrBlock";
    const say = (why: string) =>
      findings.push({
        urn: route.urn,
        message: `${input} = ${show(value)} through peering connection ${graph.label(pcx)}: ${why}; ${NOT_TRANSITIVE}. Route only the peer VPC's CIDRs, and use a transit gateway for anything beyond it`,
      });
    if (destination.prefix === 0) {
      say("a default route sends everything to the peer");
      continue;
    }
    const connection = graph.get(pcx);
    const sides = connection
      ? [
          graph.target(connection, "vpcId", ELEMENT_TYPES.vpc),
          graph.target(connection, "peerVpcId", ELEMENT_TYPES.vpc),
        ]
      : [];
    const sideCidrs = sides.map(cidrsOf);
    if (sideCidrs.some((list) => list.some((c) => cidrContains(c, destination)))) continue;
    const elsewhere = networks.find((n) => !sides.includes(n.owner) && cidrsOverlap(n.cidr, destination));
    if (elsewhere) say(`it leads to ${elsewhere.label}, beyond the peered VPCs`);
    else if (sideCidrs.length === 2 && sideCidrs.every((list) => list.length > 0))
      say(
        `it is outside both peered VPCs (${sideCidrs
          .flat()
          .map((c) => c.text)
          .join(", ")})`,
      );
  }
  return findings;
}

/**
 * Ingress open to the whole internet (a /0: 0.0.0.0/0 or ::/0) on a security group of an interface endpoint
 * or a Network Load Balancer: inline rules, SecurityGroupRule and SecurityGroupIngressRule resources.
 */
export function openIngressFindings(graph: ResourceGraph): Finding[] {
  const guarded = new Map<string, string>();
  for (const r of graph.ofType(TYPES.vpcEndpoint))
    if (r.props.vpcEndpointType === "Interface")
      for (const sg of graph.targets(r, "securityGroupIds", ELEMENT_TYPES.securityGroup))
        guarded.set(sg, `interface endpoint "${r.name}"`);
  for (const r of graph.ofType(TYPES.loadBalancer, TYPES.albLoadBalancer))
    if (r.props.loadBalancerType === "network")
      for (const sg of graph.targets(r, "securityGroups", ELEMENT_TYPES.securityGroup))
        guarded.set(sg, `Network Load Balancer "${r.name}"`);
  return openIngressOn(
    graph,
    guarded,
    "name the consumer networks or security groups instead; an endpoint is reachable from wherever routing allows",
  );
}

/**
 * Ingress open to the whole internet (0.0.0.0/0 or ::/0, on any port) on the security groups `guarded` names
 * (security group key → what it guards, `interface endpoint "x"`), in inline rules, SecurityGroupRule and
 * SecurityGroupIngressRule resources; each finding ends with `advice`.
 */
export function openIngressOn(
  graph: ResourceGraph,
  guarded: ReadonlyMap<string, string>,
  advice: string,
  accepted: (sg: string, rule: OpenPorts) => boolean = () => false,
): Finding[] {
  const open = (values: unknown): string[] =>
    listOf(values).filter((v): v is string => cidrOf(v)?.prefix === 0);
  const findings: Finding[] = [];
  const say = (urn: string, sg: string, what: string, cidrs: string[], ports: OpenPorts) => {
    if (cidrs.length > 0 && !accepted(sg, ports))
      findings.push({
        urn,
        message: `${what} opens security group ${graph.label(sg)} of ${guarded.get(sg)} to ${cidrs.join(", ")}: ${advice}`,
      });
  };
  const ports = (protocol: unknown, rule: unknown): OpenPorts => ({
    protocol,
    fromPort: at(rule, "fromPort"),
    toPort: at(rule, "toPort"),
  });
  for (const r of graph.ofType(TYPES.ingressRule)) {
    const sg = graph.target(r, "securityGroupId", ELEMENT_TYPES.securityGroup);
    const cidrs = open([r.props.cidrIpv4, r.props.cidrIpv6]);
    if (sg && guarded.has(sg)) say(r.urn, sg, "the ingress rule", cidrs, ports(r.props.ipProtocol, r.props));
  }
  for (const r of graph.ofType(TYPES.securityGroupRule)) {
    if (r.props.type !== "ingress") continue;
    const sg = graph.target(r, "securityGroupId", ELEMENT_TYPES.securityGroup);
    const cidrs = open([...listOf(r.props.cidrBlocks), ...listOf(r.props.ipv6CidrBlocks)]);
    if (sg && guarded.has(sg))
      say(r.urn, sg, "the security group rule", cidrs, ports(r.props.protocol, r.props));
  }
  for (const r of graph.ofType(TYPES.securityGroup)) {
    if (!guarded.has(r.urn)) continue;
    listOf(r.props.ingress).forEach((rule, i) => {
      const cidrs = open([...listOf(at(rule, "cidrBlocks")), ...listOf(at(rule, "ipv6CidrBlocks"))]);
      say(r.urn, r.urn, `ingress[${i}]`, cidrs, ports(at(rule, "protocol"), rule));
    });
  }
  return findings;
}

/** The protocol and ports of an ingress rule, as its resource gives them. */
export interface OpenPorts {
  protocol: unknown;
  fromPort: unknown;
  toPort: unknown;
}

/**
 * Peering connections where a side does not resolve the peer's public DNS hostnames to private addresses
 * (`allowRemoteVpcDnsResolution`), set on the connection, its accepter or PeeringConnectionOptions. Without
 * it those names resolve to public addresses and the traffic leaves the private path.
 */
export function peeringDnsFindings(graph: ResourceGraph): Finding[] {
  return graph.ofType(TYPES.peeringConnection).flatMap((pcx) => {
    const setters = [
      pcx,
      ...graph
        .ofType(TYPES.peeringAccepter, TYPES.peeringOptions)
        .filter(
          (r) => graph.target(r, "vpcPeeringConnectionId", ELEMENT_TYPES.peeringConnection) === pcx.urn,
        ),
    ];
    const off = (["requester", "accepter"] as const).filter(
      (side) => !setters.some((r) => at(r.props, side, "allowRemoteVpcDnsResolution") === true),
    );
    if (off.length === 0) return [];
    return [
      {
        urn: pcx.urn,
        message: `the ${off.join(" and ")} side${off.length === 2 ? "s do" : " does"} not resolve the peer's DNS hostnames to private addresses: set allowRemoteVpcDnsResolution on both sides (PeeringConnectionOptions, or VpcPeering's dnsResolution), or those names resolve to public addresses and traffic leaves the peering`,
      },
    ];
  });
}

// ---------------------------------------------------------------------------------------------------
// Stack: deletion protection in production

/**
 * The resource types `prod-deletion-protection` requires protected by default: exactly the stateful anchors of
 * model/protection, each with the reason its loss costs more than a routine change.
 */
export const CONNECTIVITY_TYPES: readonly string[] = PROTECTED_IN_PROD.map((e) => e.type);

/**
 * Whether `stack` is a production stack: its name ends with one of `suffixes` (case-insensitive), or, with
 * no suffixes given, its environment (last `-` segment) is one model/directConnect counts as production.
 */
export function isProdStack(stack: string, suffixes?: readonly string[]): boolean {
  if (suffixes === undefined) return isProdEnvironment(environmentOfStack(stack));
  return suffixes.some((s) => stack.toLowerCase().endsWith(s.toLowerCase()));
}

/** Anchors (by default model/protection's) of a production stack that are not protected against deletion. */
export function unprotectedFindings(
  graph: ResourceGraph,
  options: { suffixes?: readonly string[]; types: readonly string[] },
): Finding[] {
  const stack = graph.stack;
  if (stack === undefined || !isProdStack(stack, options.suffixes)) return [];
  return graph.ofType(...options.types).flatMap((r) =>
    r.protect
      ? []
      : [
          {
            urn: r.urn,
            message: `"${r.name}" (${r.type.split(":").pop()}) in production stack "${stack}" is not protected: ${protectionReason(r.type) ?? "deleting or replacing it cuts connectivity"}; set protect: true on it (the stacks protect exactly the anchors model/protection lists)`,
          },
        ],
  );
}

// ---------------------------------------------------------------------------------------------------
// Stack: a paging alarm on every production VPN connection

const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

/** The AWS/VPN TunnelState metrics an alarm watches, directly or in its metric math: their dimensions. */
function tunnelStateDimensions(alarm: PlannedResource): Record<string, unknown>[] {
  const isTunnelState = (m: unknown) =>
    at(m, "namespace") === VPN_NAMESPACE && at(m, "metricName") === TUNNEL_STATE;
  const queries = alarm.props.metricQueries;
  if (Array.isArray(queries))
    return queries
      .map((q) => at(q, "metric"))
      .filter(isTunnelState)
      .map((m) => (at(m, "dimensions") ?? {}) as Record<string, unknown>);
  return isTunnelState(alarm.props) ? [(alarm.props.dimensions ?? {}) as Record<string, unknown>] : [];
}

/**
 * Whether `alarm` pages (has alarm actions) on the state of VPN connection `vpnUrn` as a whole: TunnelState of
 * both its tunnels, or of the connection (VpnId alone), not of one tunnel — AWS takes one tunnel down for
 * maintenance routinely, so a single tunnel's alarm is a warning.
 */
function pagesForConnection(alarm: PlannedResource, vpnUrn: string): boolean {
  const actions = alarm.props.alarmActions;
  if (!Array.isArray(actions) || actions.length === 0) return false;
  const refersToVpn = Object.values(alarm.propertyDependencies ?? {}).some((urns) => urns.includes(vpnUrn));
  if (!refersToVpn) return false;
  const metrics = tunnelStateDimensions(alarm);
  return metrics.length >= TUNNELS_PER_CONNECTION || metrics.some((d) => !("TunnelIpAddress" in d));
}

/**
 * VPN connections of a production stack that no alarm pages for when they are down (both tunnels), naming what
 * would: a CloudWatch alarm with alarm actions on the connection's TunnelState over both tunnels.
 */
export function unpagedVpnFindings(
  graph: ResourceGraph,
  options: { suffixes?: readonly string[] },
): Finding[] {
  const stack = graph.stack;
  if (stack === undefined || !isProdStack(stack, options.suffixes)) return [];
  const alarms = graph.ofType(METRIC_ALARM);
  return graph.ofType(TYPES.vpnConnection).flatMap((vpn) =>
    alarms.some((a) => pagesForConnection(a, vpn.urn))
      ? []
      : [
          {
            urn: vpn.urn,
            message: `"${vpn.name}" (VpnConnection) in production stack "${stack}" has no alarm that pages when it is down: add a CloudWatch alarm with alarm actions on TunnelState over both tunnels (MAX of the two below 1; the components' tunnelAlarms.actions, the stacks' hybridnet:alarms.actions); a single tunnel's alarm does not count, since AWS takes one tunnel down for maintenance routinely`,
          },
        ],
  );
}
