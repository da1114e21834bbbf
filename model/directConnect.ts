/**
 * AWS Direct Connect: Direct Connect gateways and their associations (allowed prefixes, quotas, ASNs),
 * virtual interfaces (VLAN, MTU per type, customer ASN, BGP MD5 key, peer addresses, advertised prefixes,
 * hosted VIFs), the resiliency a layout of connections reaches, and the transport of a VPN over Direct
 * Connect. Pure: no Pulumi import; components and policies call the same rules.
 */

import { IPv4, Validator } from "ip-num";
import {
  addressToString,
  amazonSideAsnProblem,
  type Cidr,
  checkCidr,
  cidrContains,
  findOverlaps,
  type IpVersion,
  type NamedCidr,
  nonPublicIpv4Overlap,
  parseCidr,
  publicIpv4Problem,
} from "./addressing";
import { checkEvaluationPeriods } from "./alarms";
import { type AccountAccessSpec, checkAccountAccess } from "./arns";
import { FirstUse, Problems } from "./errors";
import { accountIdProblem, ec2IdProblem, regionProblem } from "./identifiers";
import { checkResourceKeys } from "./names";
import { checkTransitGatewayCidrBlocks } from "./transitGateway";

// ---------------------------------------------------------------------------------------------------
// AWS limits and rules

/** Direct Connect: a VIF's VLAN tag is 1–4094 (802.1Q) and unused on its connection. */
export const VLAN_RANGE = [1, 4094] as const;

/**
 * Direct Connect: a virtual interface type: private (to a VGW or a Direct Connect gateway), transit (to a Direct
 * Connect gateway with transit gateways) or public (AWS public endpoints).
 */
export const VifType = { Private: "private", Transit: "transit", Public: "public" } as const;
/**
 * Direct Connect: a virtual interface type: private (to a VGW or a Direct Connect gateway), transit (to a Direct
 * Connect gateway with transit gateways) or public (AWS public endpoints).
 */
export type VifType = (typeof VifType)[keyof typeof VifType];
/** Direct Connect: the virtual interface types. */
export const VIF_TYPES: readonly VifType[] = Object.values(VifType);
/** Direct Connect: the address family of a virtual interface's BGP peering. */
export const VifAddressFamily = { Ipv4: "ipv4", Ipv6: "ipv6" } as const;
/** Direct Connect: the address family of a virtual interface's BGP peering. */
export type VifAddressFamily = (typeof VifAddressFamily)[keyof typeof VifAddressFamily];

/**
 * Direct Connect: MTU per VIF type. Private VIFs take 1500 or 9001 (jumbo), transit VIFs 1500 or 8500
 * (jumbo), public VIFs 1500 only.
 */
export const VIF_MTUS: Record<VifType, readonly number[]> = {
  private: [1500, 9001],
  transit: [1500, 8500],
  public: [1500],
};
/** Direct Connect: the MTU of a VIF created without one. */
export const DEFAULT_VIF_MTU = 1500;

/** Direct Connect (NewPrivateVirtualInterface authKey): a BGP MD5 authentication key is 6–80 characters. */
export const BGP_AUTH_KEY_LENGTH = [6, 80] as const;
/** Length of the BGP keys hybridnet generates (letters and digits). */
export const GENERATED_BGP_AUTH_KEY_LENGTH = 32;

/** Direct Connect: the customer side ASN is 1–4294967294 (2-byte and 4-byte ASNs). */
export const DX_CUSTOMER_ASN_RANGE = [1, 4294967294] as const;
/** Direct Connect API: `asn` holds 1–2147483646; larger ASNs go in `asnLong` (a public VIF has no `asnLong`). */
export const MAX_DX_ASN_FIELD = 2147483646;

/** Direct Connect quota: 20 virtual private gateways per Direct Connect gateway (not adjustable; it was 10). */
export const MAX_VGWS_PER_DX_GATEWAY = 20;
/** Direct Connect quota: 6 transit gateways per Direct Connect gateway (not adjustable; it was 3). */
export const MAX_TGWS_PER_DX_GATEWAY = 6;
/**
 * Direct Connect quota: 200 prefixes per transit gateway from AWS to on-premises on a transit VIF, i.e. the
 * allowed prefixes of one transit gateway association (not adjustable; it was 20).
 */
export const MAX_TGW_ALLOWED_PREFIXES = 200;
/** Direct Connect: a public VIF advertises 1–1,000 prefixes to AWS. */
export const MAX_PUBLIC_VIF_PREFIXES = 1000;
/** Direct Connect: a public VIF's IPv6 prefixes are /64 or shorter. */
export const MAX_PUBLIC_VIF_IPV6_PREFIX = 64;

/** Direct Connect API: a VIF name is at most 100 of a–z, 0–9 and '-'. */
export const MAX_VIF_NAME_LENGTH = 100;

/** Direct Connect ids: `dxcon-` (connection), `dxlag-` (LAG), `dxvif-` (virtual interface) and letters or digits. */
export const DX_ID_PATTERNS = {
  connection: /^dx(con|lag)-[a-z0-9]{6,}$/,
  vif: /^dxvif-[a-z0-9]{6,}$/,
} as const;

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Why a plain `value` cannot be a connection/LAG id or a VIF id, or undefined (Outputs are not checked). */
export function dxIdProblem(kind: "connection" | "vif", value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  if (!DX_ID_PATTERNS[kind].test(value))
    return kind === "connection"
      ? 'a Direct Connect connection id ("dxcon-...") or LAG id ("dxlag-..."), or an Output of one'
      : 'a virtual interface id ("dxvif-..."), or an Output of one';
  return undefined;
}

/** Why `value` cannot be a VIF's VLAN, or undefined. */
export function vlanProblem(value: unknown): string | undefined {
  const [lo, hi] = VLAN_RANGE;
  if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi)
    return `a VLAN id is an integer in ${lo}–${hi} (802.1Q), unused on its connection`;
  return undefined;
}

/** Why `value` cannot be the MTU of a VIF of `type`, or undefined. */
export function mtuProblem(type: VifType, value: unknown): string | undefined {
  const allowed = VIF_MTUS[type];
  if (typeof value === "number" && allowed.includes(value)) return undefined;
  if (type === "public")
    return "a public VIF runs at MTU 1500; jumbo frames are for private (9001) and transit (8500) VIFs";
  return `a ${type} VIF takes MTU ${allowed[0]} or ${allowed[1]} (jumbo frames)`;
}

/** Why `value` cannot be a BGP MD5 authentication key, or undefined. Never quotes the key. */
export function bgpAuthKeyProblem(value: unknown): string | undefined {
  const [lo, hi] = BGP_AUTH_KEY_LENGTH;
  if (typeof value !== "string" || value.length < lo || value.length > hi)
    return `a BGP MD5 authentication key is ${lo}–${hi} characters`;
  return undefined;
}

/**
 * Why `value` cannot be the customer side ASN of a VIF of `type`, or undefined. A private ASN is fine on
 * every type, a public VIF included (AS-path prepending then has no effect); a public ASN must be yours, which
 * AWS checks when it approves a public VIF.
 */
export function vifAsnProblem(type: VifType, value: unknown, amazonSideAsn?: number): string | undefined {
  const [lo, hi] = DX_CUSTOMER_ASN_RANGE;
  if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi)
    return `the customer side BGP ASN is an integer in ${lo}–${hi}`;
  if (type === "public" && value > MAX_DX_ASN_FIELD)
    return `a public VIF takes ASNs up to ${MAX_DX_ASN_FIELD} (it has no long-ASN field); use your public ASN or a private one in 64512–65534`;
  if (amazonSideAsn !== undefined && value === amazonSideAsn)
    return `equals the Amazon side ASN ${amazonSideAsn}; a BGP session needs two different ASNs`;
  return undefined;
}

/** A VIF's name for AWS: `<component>-<key>`, in the a–z, 0–9, '-' the API takes, at most 100 characters. */
export function vifName(component: string, key: string): string {
  return `${component}-${key}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, MAX_VIF_NAME_LENGTH);
}

// ---------------------------------------------------------------------------------------------------
// Prefix lists

export interface PrefixListRules {
  /** What the list is, for messages: "allowed prefixes". */
  what: string;
  /** At most this many entries, and why. */
  max?: { count: number; why: string };
  /** Only this IP version. */
  version?: IpVersion;
  /** Every prefix must be internet-routable (a public VIF's advertised prefixes). */
  publicOnly?: boolean;
  /** IPv6 prefixes no longer than this. */
  maxIpv6Prefix?: number;
}

/**
 * Checks a list of CIDRs: at least one, each a CIDR (no host bits), none listed twice, within the rules.
 * Records problems under `path` and returns the valid CIDRs in the order given.
 */
export function checkPrefixList(
  problems: Problems,
  path: string,
  value: unknown,
  rules: PrefixListRules,
): Cidr[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(path, value, `at least one CIDR in the ${rules.what}`);
    return [];
  }
  if (rules.max && value.length > rules.max.count)
    problems.add(
      path,
      `${value.length} prefixes`,
      `at most ${rules.max.count} ${rules.what} (${rules.max.why}); summarize them`,
    );
  const seen = new Map<string, number>();
  const cidrs: Cidr[] = [];
  value.forEach((p, i) => {
    const at = `${path}[${i}]`;
    const result = checkCidr(p, rules.version ? { version: rules.version } : {});
    if ("problem" in result) {
      problems.add(at, p, result.problem);
      return;
    }
    const cidr = result.cidr;
    const first = seen.get(cidr.text);
    if (first !== undefined) {
      problems.add(at, p, `same prefix as ${path}[${first}]; list each prefix once`);
      return;
    }
    seen.set(cidr.text, i);
    if (rules.publicOnly) {
      const block = nonPublicIpv4Overlap(cidr);
      if (block) {
        problems.add(
          at,
          p,
          `overlaps ${block.text}, which is not internet-routable; use public space you own`,
        );
        return;
      }
    }
    if (rules.maxIpv6Prefix !== undefined && cidr.version === 6 && cidr.prefix > rules.maxIpv6Prefix) {
      problems.add(at, p, `an IPv6 prefix here is /${rules.maxIpv6Prefix} or shorter`);
      return;
    }
    cidrs.push(cidr);
  });
  return cidrs;
}

// ---------------------------------------------------------------------------------------------------
// BGP peer addresses

/** An interface address with its prefix length (`169.254.10.1/30`): host bits set, unlike a CIDR. */
export interface PeerAddress {
  text: string;
  address: bigint;
  prefix: number;
  /** The subnet the address lies in. */
  subnet: Cidr;
}

/** Parses `198.51.100.1/30`; returns the address, or why it is not an interface address with a prefix. */
export function parsePeerAddress(value: unknown): { peer: PeerAddress } | { problem: string } {
  const shape = "an IPv4 interface address with its prefix length, such as 169.254.10.1/30";
  if (typeof value !== "string" || !value.includes("/")) return { problem: `not ${shape}` };
  const [address, prefixText] = value.trim().split("/");
  const prefix = Number(prefixText);
  if (!Validator.isValidIPv4String(address)[0] || !/^\d{1,2}$/.test(prefixText) || prefix < 1 || prefix > 31)
    return { problem: `not ${shape} (/1–/31)` };
  const number = IPv4.fromString(address).getValue();
  const size = 1n << BigInt(32 - prefix);
  const first = number - (number % size);
  const subnet = parseCidr(`${addressToString(first, 4)}/${prefix}`);
  if (prefix <= 30 && (number === subnet.first || number === subnet.last))
    return { problem: `the ${number === subnet.first ? "network" : "broadcast"} address of ${subnet.text}` };
  return { peer: { text: `${address}/${prefix}`, address: number, prefix, subnet } };
}

/**
 * Checks the IPv4 BGP peer addresses of a VIF. IPv6 peers are always assigned by AWS (a /125). A public
 * IPv4 VIF needs public addresses you own; a private or transit VIF takes both or neither (AWS then assigns
 * them from 169.254.0.0/16).
 */
export function checkPeerAddresses(
  problems: Problems,
  path: string,
  type: VifType,
  addressFamily: VifAddressFamily,
  amazonAddress: unknown,
  customerAddress: unknown,
): void {
  const given = { amazonAddress, customerAddress };
  if (addressFamily === "ipv6") {
    for (const [field, value] of Object.entries(given))
      if (value !== undefined)
        problems.add(`${path}.${field}`, value, "AWS assigns IPv6 peer addresses (a /125); leave it out");
    return;
  }
  const missing = Object.entries(given).filter(([, v]) => v === undefined);
  if (type === "public") {
    for (const [field] of missing)
      problems.add(
        `${path}.${field}`,
        undefined,
        "a public IPv4 VIF needs peer addresses from public space you own (a /30 or /31, e.g. 198.51.100.1/30)",
      );
  } else if (missing.length === 1)
    problems.add(
      `${path}.${missing[0][0]}`,
      undefined,
      "give both peer addresses or neither (AWS then assigns them from 169.254.0.0/16)",
    );
  if (missing.length > 0) return;
  const peers: Record<string, PeerAddress> = {};
  for (const [field, value] of Object.entries(given)) {
    const result = parsePeerAddress(value);
    if ("problem" in result) problems.add(`${path}.${field}`, value, result.problem);
    else if (type === "public" && publicIpv4Problem(addressToString(result.peer.address, 4)))
      problems.add(`${path}.${field}`, value, "a public VIF peers on public addresses you own");
    else peers[field] = result.peer;
  }
  const { amazonAddress: amazon, customerAddress: customer } = peers;
  if (!amazon || !customer) return;
  if (amazon.subnet.text !== customer.subnet.text)
    problems.add(
      `${path}.customerAddress`,
      customerAddress,
      `not in the subnet of amazonAddress (${amazon.subnet.text}); both ends of the BGP session share one subnet`,
    );
  else if (amazon.address === customer.address)
    problems.add(
      `${path}.customerAddress`,
      customerAddress,
      "the same address as amazonAddress; use the other end",
    );
}

// ---------------------------------------------------------------------------------------------------
// Resiliency

/**
 * Direct Connect: the AWS Direct Connect Resiliency Toolkit's models (Maximum Resiliency, High Resiliency,
 * Development and Test), and "none" for a layout that reaches none of them.
 */
export const ResiliencyLevel = {
  Maximum: "maximum",
  High: "high",
  DevelopmentAndTest: "development-and-test",
  None: "none",
} as const;
/**
 * Direct Connect: the AWS Direct Connect Resiliency Toolkit's models (Maximum Resiliency, High Resiliency,
 * Development and Test), and "none" for a layout that reaches none of them.
 */
export type ResiliencyLevel = (typeof ResiliencyLevel)[keyof typeof ResiliencyLevel];
/**
 * Direct Connect: the SLA a Resiliency Toolkit model is designed for: 99.99% for Maximum Resiliency, 99.9% for
 * High Resiliency (Development and Test has none).
 */
export const ResiliencySla = { FourNines: "99.99%", ThreeNines: "99.9%" } as const;
/**
 * Direct Connect: the SLA a Resiliency Toolkit model is designed for: 99.99% for Maximum Resiliency, 99.9% for
 * High Resiliency (Development and Test has none).
 */
export type ResiliencySla = (typeof ResiliencySla)[keyof typeof ResiliencySla];

/** A connection (or LAG) as the resiliency rule sees it. */
export interface ResiliencyConnection {
  key: string;
  /** Direct Connect location code (`EqDC2`). */
  location: string;
  /** The AWS device the connection terminates on (its `awsLogicalDeviceId`); a LAG is one device. */
  device?: string;
}

/** Which Resiliency Toolkit model a layout of Direct Connect connections reaches, and why. */
export interface ResiliencyAssessment {
  /** The model the layout reaches: "maximum", "high", "development-and-test" or "none". */
  level: ResiliencyLevel;
  /** The Direct Connect SLA the model is designed for (the SLA's other conditions still apply). */
  sla?: ResiliencySla;
  /** Connections (or LAGs) assessed. */
  connections: number;
  /** Locations in use, sorted. */
  locations: string[];
  /** Separate AWS devices shown at each location (connections without a device count once). */
  devicesByLocation: Record<string, number>;
  /** Why the layout reaches that model, and what the next one needs. */
  reason: string;
  /** Findings a policy pack reads: a layout below High resiliency in a production environment. */
  warnings: string[];
}

/** Production environments, by name: where a layout without location redundancy is a warning. */
export function isProdEnvironment(environment: string | undefined): boolean {
  return environment !== undefined && /^(prod|production|prd)$/i.test(environment);
}

/** The environment a stack belongs to: the last `-` segment of its name (`connectivity-prod` → `prod`). */
export function environmentOfStack(stack: string): string {
  return stack.split("-").pop() ?? stack;
}

/**
 * Which AWS resiliency model a layout of connections reaches (AWS Direct Connect Resiliency Toolkit):
 * Maximum — separate connections on separate devices at each of two or more locations (99.99% SLA model);
 * High — connections at two or more locations (99.9% SLA model); Development and Test — connections on
 * separate devices at one location; none — one connection, or one device. Two connections at one location
 * count as separate devices only when both devices are known and differ.
 */
export function assessResiliency(
  connections: readonly ResiliencyConnection[],
  environment?: string,
): ResiliencyAssessment {
  const sites = new Map<string, { devices: Set<string>; unknown: number; count: number }>();
  for (const c of connections) {
    const site = sites.get(c.location) ?? { devices: new Set<string>(), unknown: 0, count: 0 };
    if (c.device) site.devices.add(c.device);
    else site.unknown++;
    site.count++;
    sites.set(c.location, site);
  }
  const locations = [...sites.keys()].sort(byCodeUnit);
  const devicesByLocation = Object.fromEntries(
    locations.map((l) => {
      const site = sites.get(l)!;
      return [l, site.devices.size > 0 ? site.devices.size : Math.min(site.unknown, 1)];
    }),
  );
  const redundant = locations.filter((l) => devicesByLocation[l] >= 2);
  const unproven = locations.filter((l) => sites.get(l)!.count >= 2 && devicesByLocation[l] < 2);
  const hint =
    unproven.length > 0
      ? `; ${unproven.join(", ")} has more than one connection but not two known, different devices (give each connection's device)`
      : "";
  const list = locations.join(", ");
  let level: ResiliencyLevel;
  let reason: string;
  if (redundant.length >= 2) {
    level = "maximum";
    reason = `separate devices at each of ${redundant.length} locations (${redundant.join(", ")}): survives a device, connection or location failure`;
  } else if (locations.length >= 2) {
    level = "high";
    reason =
      `connections at ${locations.length} locations (${list}): survives a location failure; ` +
      `Maximum needs connections on separate devices at each of two locations${hint}`;
  } else if (redundant.length === 1) {
    level = "development-and-test";
    reason = `${connections.length} connections on ${devicesByLocation[redundant[0]]} separate devices at one location (${list}): survives a device or connection failure, not a location failure`;
  } else {
    level = "none";
    reason =
      connections.length <= 1
        ? `one connection${list ? ` at ${list}` : ""}: a device, connection or location failure cuts Direct Connect off`
        : `${connections.length} connections at one location (${list}), not shown on separate devices${hint}`;
  }
  const warnings: string[] = [];
  if (isProdEnvironment(environment) && (level === "none" || level === "development-and-test"))
    warnings.push(
      `Direct Connect resiliency "${level}" in the ${environment} environment (${reason}); ` +
        "AWS recommends High (two locations) or Maximum (two devices at each of two locations) for production",
    );
  return {
    level,
    ...(level === "maximum"
      ? { sla: ResiliencySla.FourNines }
      : level === "high"
        ? { sla: ResiliencySla.ThreeNines }
        : {}),
    connections: connections.length,
    locations,
    devicesByLocation,
    reason,
    warnings,
  };
}

// ---------------------------------------------------------------------------------------------------
// Direct Connect gateway

/** Direct Connect gateway association: a virtual private gateway (vgw) or a transit gateway (tgw). */
export const DxAssociationType = { Vgw: "vgw", Tgw: "tgw" } as const;
/** Direct Connect gateway association: a virtual private gateway (vgw) or a transit gateway (tgw). */
export type DxAssociationType = (typeof DxAssociationType)[keyof typeof DxAssociationType];

/** One gateway association of a Direct Connect gateway. Ids are plain strings or Outputs. */
export interface DxAssociationSpec {
  /** "vgw" (a virtual private gateway, one per VPC) or "tgw" (a transit gateway). */
  gatewayType: DxAssociationType;
  /** The virtual private gateway or transit gateway id. */
  gatewayId: unknown;
  /**
   * Prefixes the association allows. Transit gateway: what the Direct Connect gateway advertises on-premises
   * (at most 200). Virtual private gateway: a filter on the VPC CIDRs, the same as or wider than each.
   */
  allowedPrefixes: string[];
  /** Virtual private gateway: the VPC's CIDRs, to check the allowed prefixes against and across VPCs. */
  vpcCidrs?: string[];
  /** Transit gateway: its Amazon side ASN, to check it differs from the Direct Connect gateway's. */
  transitGatewayAsn?: number;
  /** Region of the gateway when it is not the provider's. */
  region?: string;
  /** Account that owns the gateway, when it is not the Direct Connect gateway's account (cross-account). */
  ownerAccountId?: string;
  /** Cross-account: the role in the owner's account the association proposal is made with. */
  proposalAccess?: AccountAccessSpec;
}

export interface DirectConnectGatewaySpec {
  /** Amazon side ASN: a private ASN, 64512–65534 or 4200000000–4294967294. */
  amazonSideAsn: number;
  /** Name of the Direct Connect gateway. */
  gatewayName?: string;
  associations?: Record<string, DxAssociationSpec>;
}

export interface PlannedDxAssociation {
  key: string;
  gatewayType: DxAssociationType;
  /** Canonical CIDR text, in the order given. */
  allowedPrefixes: string[];
  crossAccount: boolean;
  ownerAccountId?: string;
  region?: string;
}

export interface DirectConnectGatewayPlan {
  gatewayName: string;
  amazonSideAsn: number;
  /** What the gateway is associated with: a Direct Connect gateway takes VGWs or TGWs, never both. */
  associationType: DxAssociationType | "none";
  associations: PlannedDxAssociation[];
}

const ASSOCIATION_KIND: Record<DxAssociationType, string> = {
  vgw: "virtual private gateway",
  tgw: "transit gateway",
};

/** What the associations share while each is checked: their paths by type, VPC networks, ASNs, gateways. */
interface AssociationsSoFar {
  types: Map<DxAssociationType, string[]>;
  vpcNetworks: NamedCidr[];
  tgwAsns: Map<number, { path: string; region?: string }>;
  gatewayOwners: FirstUse<string>;
}

/** A virtual private gateway association: each VPC CIDR covered by an allowed prefix the same or wider. */
function checkVgwAssociation(
  problems: Problems,
  path: string,
  a: DxAssociationSpec,
  prefixes: Cidr[],
  soFar: AssociationsSoFar,
): void {
  if (a.transitGatewayAsn !== undefined)
    problems.add(`${path}.transitGatewayAsn`, a.transitGatewayAsn, 'only for gatewayType "tgw"');
  if (a.vpcCidrs === undefined) return;
  const vpc = checkPrefixList(problems, `${path}.vpcCidrs`, a.vpcCidrs, { what: "VPC CIDRs" });
  vpc.forEach((cidr, i) => {
    soFar.vpcNetworks.push({ name: `${path}.vpcCidrs[${i}]`, cidr });
    if (!prefixes.some((p) => cidrContains(p, cidr)))
      problems.add(
        `${path}.vpcCidrs[${i}]`,
        cidr.text,
        "not covered by an allowed prefix the same or wider; AWS advertises whole VPC CIDRs, so this VPC would not be reachable",
      );
  });
  prefixes.forEach((p, i) => {
    const narrower = vpc.find((v) => cidrContains(v, p) && v.text !== p.text);
    if (narrower)
      problems.add(
        `${path}.allowedPrefixes[${i}]`,
        p.text,
        `narrower than the VPC CIDR ${narrower.text}; AWS advertises whole VPC CIDRs, so allow ${narrower.text} or wider`,
      );
  });
}

/** A transit gateway association: no VPC CIDRs; its ASN not the Direct Connect gateway's, one per region. */
function checkTgwAssociation(
  problems: Problems,
  path: string,
  a: DxAssociationSpec,
  amazonSideAsn: number,
  soFar: AssociationsSoFar,
): void {
  if (a.vpcCidrs !== undefined)
    problems.add(
      `${path}.vpcCidrs`,
      a.vpcCidrs,
      'only for gatewayType "vgw"; a transit gateway advertises exactly its allowed prefixes',
    );
  if (a.transitGatewayAsn === undefined) return;
  const problem = amazonSideAsnProblem(a.transitGatewayAsn);
  if (problem) problems.add(`${path}.transitGatewayAsn`, a.transitGatewayAsn, problem);
  else if (a.transitGatewayAsn === amazonSideAsn)
    problems.add(
      `${path}.transitGatewayAsn`,
      a.transitGatewayAsn,
      `equals the Direct Connect gateway's amazonSideAsn; AWS refuses an association of two gateways with one ASN`,
    );
  else {
    const other = soFar.tgwAsns.get(a.transitGatewayAsn);
    if (other && other.region !== undefined && a.region !== undefined && other.region !== a.region)
      problems.add(
        `${path}.transitGatewayAsn`,
        a.transitGatewayAsn,
        `also the ASN of ${other.path} in ${other.region}; transit gateways in different regions need different ASNs`,
      );
    else soFar.tgwAsns.set(a.transitGatewayAsn, { path, ...(a.region ? { region: a.region } : {}) });
  }
}

/** The associated gateway's id: given, of the association's type, and associated once. */
function checkAssociatedGateway(
  problems: Problems,
  path: string,
  a: DxAssociationSpec & { gatewayType: DxAssociationType },
  soFar: AssociationsSoFar,
): void {
  if (a.gatewayId === undefined || a.gatewayId === null)
    problems.add(`${path}.gatewayId`, a.gatewayId, `the id of the ${ASSOCIATION_KIND[a.gatewayType]}`);
  else {
    problems.addIf(`${path}.gatewayId`, a.gatewayId, ec2IdProblem(a.gatewayType, a.gatewayId));
    if (typeof a.gatewayId === "string") {
      const owner = soFar.gatewayOwners.claim(a.gatewayId, path);
      if (owner)
        problems.add(
          `${path}.gatewayId`,
          a.gatewayId,
          `also associated by ${owner}; associate a gateway once`,
        );
    }
  }
}

/**
 * The association's region and owner: a cross-account association needs a proposal access (a role in the
 * owner's account, and the gateway's Region to make its provider in), and back.
 */
function checkAssociationOwner(problems: Problems, path: string, a: DxAssociationSpec): boolean {
  if (a.region !== undefined) problems.addIf(`${path}.region`, a.region, regionProblem(a.region));
  const crossAccount = a.ownerAccountId !== undefined;
  if (crossAccount) {
    problems.addIf(`${path}.ownerAccountId`, a.ownerAccountId, accountIdProblem(a.ownerAccountId));
    if (a.proposalAccess === undefined)
      problems.add(
        `${path}.proposalAccess`,
        undefined,
        'the role to assume in the gateway owner\'s account ({ roleArn: "arn:aws:iam::<account>:role/<name>" }): the association proposal this component accepts is made there',
      );
    else {
      checkAccountAccess(problems, `${path}.proposalAccess`, a.proposalAccess, {
        path: `${path}.ownerAccountId`,
        accountId: a.ownerAccountId,
      });
      if (a.region === undefined)
        problems.add(
          `${path}.region`,
          undefined,
          "the gateway's Region: the proposal is made in it, through a provider made from proposalAccess",
        );
    }
  } else if (a.proposalAccess !== undefined)
    problems.add(
      `${path}.ownerAccountId`,
      undefined,
      "the account that owns the gateway, when a proposalAccess is given (cross-account association)",
    );
  return crossAccount;
}

/** One association: its gateway, allowed prefixes (at most 200 on a transit gateway), type-specific rules. */
function planDxAssociation(
  problems: Problems,
  key: string,
  a: DxAssociationSpec,
  amazonSideAsn: number,
  soFar: AssociationsSoFar,
): PlannedDxAssociation | undefined {
  const path = `associations.${key}`;
  if (a === null || typeof a !== "object") {
    problems.add(path, a, "an association: { gatewayType, gatewayId, allowedPrefixes }");
    return undefined;
  }
  if (a.gatewayType !== "vgw" && a.gatewayType !== "tgw") {
    problems.add(
      `${path}.gatewayType`,
      a.gatewayType,
      'one of "vgw" (virtual private gateway), "tgw" (transit gateway)',
    );
    return undefined;
  }
  soFar.types.set(a.gatewayType, [...(soFar.types.get(a.gatewayType) ?? []), path]);
  checkAssociatedGateway(problems, path, a, soFar);
  const prefixes = checkPrefixList(problems, `${path}.allowedPrefixes`, a.allowedPrefixes, {
    what: "allowed prefixes",
    ...(a.gatewayType === "tgw"
      ? {
          max: {
            count: MAX_TGW_ALLOWED_PREFIXES,
            why: "AWS advertises at most 200 prefixes per transit gateway to on-premises",
          },
        }
      : {}),
  });
  if (a.gatewayType === "vgw") checkVgwAssociation(problems, path, a, prefixes, soFar);
  else checkTgwAssociation(problems, path, a, amazonSideAsn, soFar);
  const crossAccount = checkAssociationOwner(problems, path, a);
  return {
    key,
    gatewayType: a.gatewayType,
    allowedPrefixes: prefixes.map((p) => p.text),
    crossAccount,
    ...(crossAccount ? { ownerAccountId: a.ownerAccountId } : {}),
    ...(a.region !== undefined ? { region: a.region } : {}),
  };
}

/**
 * Across the associations: virtual private gateways or transit gateways, never both; AWS's per-gateway limits
 * of each; VPCs behind the gateway that do not overlap.
 */
function checkAssociationMix(problems: Problems, soFar: AssociationsSoFar): void {
  const vgws = soFar.types.get("vgw") ?? [];
  const tgws = soFar.types.get("tgw") ?? [];
  if (vgws.length > 0 && tgws.length > 0)
    for (const path of tgws)
      problems.add(
        `${path}.gatewayType`,
        "tgw",
        `this Direct Connect gateway is also associated with virtual private gateways (${vgws.join(", ")}); AWS associates a Direct Connect gateway with virtual private gateways or transit gateways, not both — use a second Direct Connect gateway`,
      );
  if (vgws.length > MAX_VGWS_PER_DX_GATEWAY)
    problems.add(
      "associations",
      `${vgws.length} virtual private gateways`,
      `at most ${MAX_VGWS_PER_DX_GATEWAY} virtual private gateways per Direct Connect gateway (AWS, not adjustable)`,
    );
  if (tgws.length > MAX_TGWS_PER_DX_GATEWAY)
    problems.add(
      "associations",
      `${tgws.length} transit gateways`,
      `at most ${MAX_TGWS_PER_DX_GATEWAY} transit gateways per Direct Connect gateway (AWS, not adjustable)`,
    );
  for (const { a, b } of findOverlaps(soFar.vpcNetworks))
    if (a.name.split(".vpcCidrs")[0] !== b.name.split(".vpcCidrs")[0])
      problems.add(
        b.name,
        b.cidr.text,
        `overlaps ${a.cidr.text} (${a.name}); VPCs behind one Direct Connect gateway cannot overlap`,
      );
}

/**
 * Plans a Direct Connect gateway and its associations. Collects every problem and throws one ValidationError
 * naming `where`; returns the plan only when all arguments are valid.
 */
export function planDirectConnectGateway(
  where: string,
  name: string,
  spec: DirectConnectGatewaySpec,
): DirectConnectGatewayPlan {
  const problems = new Problems();
  problems.addIf("amazonSideAsn", spec.amazonSideAsn, amazonSideAsnProblem(spec.amazonSideAsn));
  if (spec.gatewayName !== undefined && (typeof spec.gatewayName !== "string" || !spec.gatewayName.trim()))
    problems.add("gatewayName", spec.gatewayName, "a non-empty name");
  const associations = spec.associations ?? {};
  if (associations === null || typeof associations !== "object")
    problems.add("associations", associations, "associations keyed by a stable name");
  checkResourceKeys(problems, "associations", associations);
  const soFar: AssociationsSoFar = {
    types: new Map(),
    vpcNetworks: [],
    tgwAsns: new Map(),
    gatewayOwners: new FirstUse<string>(),
  };
  const planned = Object.keys(associations ?? {})
    .sort(byCodeUnit)
    .flatMap((key) => planDxAssociation(problems, key, associations[key], spec.amazonSideAsn, soFar) ?? []);
  checkAssociationMix(problems, soFar);
  problems.throwIfAny(where);
  const vgws = soFar.types.get("vgw") ?? [];
  const tgws = soFar.types.get("tgw") ?? [];
  return {
    gatewayName: spec.gatewayName ?? name,
    amazonSideAsn: spec.amazonSideAsn,
    associationType: vgws.length > 0 ? "vgw" : tgws.length > 0 ? "tgw" : "none",
    associations: planned,
  };
}

// ---------------------------------------------------------------------------------------------------
// Virtual interfaces

/** One connection (or LAG) the component puts a VIF on, or a partner's hosted VIF it accepts. */
export interface VifConnectionSpec {
  /** Connection or LAG (`dxcon-...`, `dxlag-...`) to create the VIF on. */
  connectionId?: unknown;
  /** A hosted VIF (`dxvif-...`) a Direct Connect Partner created for this account, to accept. */
  hostedVirtualInterfaceId?: unknown;
  /** Direct Connect location code of the connection (`EqDC2`). */
  location: string;
  /** AWS device the connection terminates on (`awsLogicalDeviceId`). */
  device?: string;
  vlan?: number;
  amazonAddress?: string;
  customerAddress?: string;
  bgpAuthKey?: unknown;
}

export interface VirtualInterfacesSpec {
  type: VifType;
  /** The VIFs' alarms: their evaluation periods are checked here. */
  alarms?: { evaluationPeriods?: unknown };
  dxGatewayId?: unknown;
  vpnGatewayId?: unknown;
  bgpAsn?: number;
  /** Amazon side ASN of the gateway the VIFs attach to, to check it differs from `bgpAsn`. */
  amazonSideAsn?: number;
  addressFamily?: VifAddressFamily;
  mtu?: number;
  advertisedPrefixes?: string[];
  connections: Record<string, VifConnectionSpec>;
  /** Environment name (`prod`); a layout below High resiliency in production is a warning. */
  environment?: string;
}

export interface PlannedVif {
  key: string;
  /** A hosted VIF accepted, rather than a VIF created. */
  hosted: boolean;
  /** The VIF's name in AWS. */
  name: string;
  location: string;
  device?: string;
  vlan?: number;
  amazonAddress?: string;
  customerAddress?: string;
  /** The caller gave this VIF's BGP key; otherwise the component generates one. */
  bgpAuthKeyGiven: boolean;
}

export interface VirtualInterfacesPlan {
  type: VifType;
  /** What the VIFs attach to. */
  attachTo: "dxGateway" | "vpnGateway" | "none";
  addressFamily: VifAddressFamily;
  mtu: number;
  bgpAsn?: number;
  advertisedPrefixes: string[];
  interfaces: PlannedVif[];
  resiliency: ResiliencyAssessment;
}

const HOSTED_FIELDS = ["vlan", "amazonAddress", "customerAddress", "bgpAuthKey"] as const;

/** Where the VIFs attach: a private VIF to one gateway, a transit VIF to a Direct Connect gateway, a public to none. */
function planVifAttachment(
  problems: Problems,
  at: (field: string) => string,
  spec: VirtualInterfacesSpec,
): VirtualInterfacesPlan["attachTo"] {
  const type = spec.type;
  const dx = spec.dxGatewayId !== undefined;
  const vgw = spec.vpnGatewayId !== undefined;
  let attachTo: VirtualInterfacesPlan["attachTo"] = "none";
  if (type === "private") {
    if (dx === vgw)
      problems.add(
        at(dx ? "vpnGatewayId" : "dxGatewayId"),
        dx ? spec.vpnGatewayId : undefined,
        "a private VIF attaches to one gateway: a Direct Connect gateway (dxGatewayId) or a virtual private gateway (vpnGatewayId)",
      );
    attachTo = vgw ? "vpnGateway" : "dxGateway";
  } else if (type === "transit") {
    if (vgw)
      problems.add(
        at("vpnGatewayId"),
        spec.vpnGatewayId,
        'a transit VIF attaches only to a Direct Connect gateway associated with transit gateways; use type "private" for a virtual private gateway',
      );
    if (!dx)
      problems.add(at("dxGatewayId"), undefined, "the Direct Connect gateway the transit VIFs attach to");
    attachTo = "dxGateway";
  } else if (type === "public") {
    for (const field of ["dxGatewayId", "vpnGatewayId"] as const)
      if (spec[field] !== undefined)
        problems.add(
          at(field),
          spec[field],
          "a public VIF reaches AWS public endpoints and attaches to no gateway; leave it out",
        );
  }
  if (vgw) problems.addIf(at("vpnGatewayId"), spec.vpnGatewayId, ec2IdProblem("vgw", spec.vpnGatewayId));
  return attachTo;
}

/** The connections, sorted, and which of them are VIFs this component creates (not hosted VIFs it accepts). */
interface VifConnectionKeys {
  keys: string[];
  created: string[];
}

/**
 * Settings of the VIFs this component creates: your router's ASN, the MTU and, on a public VIF, the prefixes
 * advertised to AWS. Hosted VIFs take none of them (the partner set them). Returns the advertised prefixes.
 */
function checkCreatedVifSettings(
  problems: Problems,
  at: (field: string) => string,
  spec: VirtualInterfacesSpec,
  { keys, created }: VifConnectionKeys,
): Cidr[] {
  const type = spec.type;
  const validType = VIF_TYPES.includes(type);
  if (created.length > 0) {
    if (spec.bgpAsn === undefined)
      problems.add(at("bgpAsn"), undefined, "the BGP ASN of your router (public or private)");
    else if (validType)
      problems.addIf(at("bgpAsn"), spec.bgpAsn, vifAsnProblem(type, spec.bgpAsn, spec.amazonSideAsn));
  } else if (spec.bgpAsn !== undefined && keys.length > 0)
    problems.add(
      at("bgpAsn"),
      spec.bgpAsn,
      "every connection is a hosted VIF, whose ASN the partner set; leave it out",
    );
  if (spec.amazonSideAsn !== undefined)
    problems.addIf(at("amazonSideAsn"), spec.amazonSideAsn, amazonSideAsnProblem(spec.amazonSideAsn));
  if (spec.mtu !== undefined && validType) {
    if (created.length === 0 && keys.length > 0)
      problems.add(
        at("mtu"),
        spec.mtu,
        "every connection is a hosted VIF, whose MTU the partner set; leave it out",
      );
    else problems.addIf(at("mtu"), spec.mtu, mtuProblem(type, spec.mtu));
  }
  if (type === "public" && created.length > 0)
    return checkPrefixList(problems, at("advertisedPrefixes"), spec.advertisedPrefixes, {
      what: "prefixes advertised to AWS",
      max: { count: MAX_PUBLIC_VIF_PREFIXES, why: "a public VIF advertises at most 1,000" },
      version: spec.addressFamily === "ipv6" ? 6 : 4,
      publicOnly: true,
      maxIpv6Prefix: MAX_PUBLIC_VIF_IPV6_PREFIX,
    });
  if (spec.advertisedPrefixes !== undefined)
    problems.add(
      at("advertisedPrefixes"),
      spec.advertisedPrefixes,
      type === "public"
        ? "every connection is a hosted VIF, whose prefixes the partner set; leave it out"
        : "only a public VIF advertises prefixes to AWS; private and transit VIFs exchange routes over BGP",
    );
  return [];
}

/** What the connections share while each is checked: owners of VLANs and hosted VIFs, each connection's site. */
interface VifsSoFar {
  vlanOwners: FirstUse<string>;
  connectionSites: Map<string, { path: string; location: unknown; device: unknown }>;
  hostedOwners: FirstUse<string>;
}

/** A hosted VIF to accept: its id (accepted once), and none of the fields the partner set. */
function checkHostedVif(problems: Problems, path: string, c: VifConnectionSpec, soFar: VifsSoFar): void {
  if (c.connectionId !== undefined)
    problems.add(
      `${path}.connectionId`,
      c.connectionId,
      "give connectionId (create a VIF) or hostedVirtualInterfaceId (accept a partner's), not both",
    );
  problems.addIf(
    `${path}.hostedVirtualInterfaceId`,
    c.hostedVirtualInterfaceId,
    dxIdProblem("vif", c.hostedVirtualInterfaceId),
  );
  if (typeof c.hostedVirtualInterfaceId === "string") {
    const owner = soFar.hostedOwners.claim(c.hostedVirtualInterfaceId, path);
    if (owner)
      problems.add(
        `${path}.hostedVirtualInterfaceId`,
        c.hostedVirtualInterfaceId,
        `also accepted by ${owner}; accept a VIF once`,
      );
  }
  for (const field of HOSTED_FIELDS)
    if (c[field] !== undefined)
      problems.add(
        `${path}.${field}`,
        c[field],
        "set by the partner who created the hosted VIF; leave it out",
        field === "bgpAuthKey",
      );
}

/**
 * A VIF to create: its connection (one location and device for every VIF on it), a VLAN unique on the
 * connection, peer addresses and BGP key.
 */
function checkCreatedVif(
  problems: Problems,
  path: string,
  c: VifConnectionSpec,
  spec: VirtualInterfacesSpec,
  soFar: VifsSoFar,
): void {
  if (c.connectionId === undefined || c.connectionId === null)
    problems.add(
      `${path}.connectionId`,
      c.connectionId,
      "the connection or LAG id to create the VIF on (ordered outside Pulumi), or hostedVirtualInterfaceId",
    );
  else problems.addIf(`${path}.connectionId`, c.connectionId, dxIdProblem("connection", c.connectionId));
  // A connection is at one location, on one device: two VIFs on it must say the same.
  if (typeof c.connectionId === "string") {
    const first = soFar.connectionSites.get(c.connectionId);
    if (!first) soFar.connectionSites.set(c.connectionId, { path, location: c.location, device: c.device });
    else
      for (const field of ["location", "device"] as const)
        if (first[field] !== c[field])
          problems.add(
            `${path}.${field}`,
            c[field],
            `${first.path} puts ${c.connectionId} at ${field} ${JSON.stringify(first[field])}; a connection has one ${field}`,
          );
  }
  const vlanProblemText = vlanProblem(c.vlan);
  if (vlanProblemText) problems.add(`${path}.vlan`, c.vlan, vlanProblemText);
  else if (typeof c.connectionId === "string") {
    const owner = soFar.vlanOwners.claim(`${c.connectionId}/${c.vlan}`, path);
    if (owner)
      problems.add(
        `${path}.vlan`,
        c.vlan,
        `also used by ${owner} on ${c.connectionId}; a VLAN is unique on its connection`,
      );
  }
  if (VIF_TYPES.includes(spec.type))
    checkPeerAddresses(
      problems,
      path,
      spec.type,
      spec.addressFamily ?? "ipv4",
      c.amazonAddress,
      c.customerAddress,
    );
  if (typeof c.bgpAuthKey === "string")
    problems.addIf(`${path}.bgpAuthKey`, c.bgpAuthKey, bgpAuthKeyProblem(c.bgpAuthKey), true);
}

/** One connection's VIF: its location and device, then the checks of a hosted or a created VIF. */
function planVif(
  problems: Problems,
  path: string,
  key: string,
  name: string,
  c: VifConnectionSpec,
  spec: VirtualInterfacesSpec,
  soFar: VifsSoFar,
): PlannedVif | undefined {
  if (c === null || typeof c !== "object") {
    problems.add(
      path,
      c,
      "a connection: { connectionId, location, vlan, ... } or { hostedVirtualInterfaceId, location }",
    );
    return undefined;
  }
  if (typeof c.location !== "string" || !c.location.trim())
    problems.add(
      `${path}.location`,
      c.location,
      "the Direct Connect location code of the connection (e.g. EqDC2), which the resiliency level is judged on",
    );
  if (c.device !== undefined && (typeof c.device !== "string" || !c.device.trim()))
    problems.add(`${path}.device`, c.device, "the AWS device id of the connection (its awsLogicalDeviceId)");
  const hosted = c.hostedVirtualInterfaceId !== undefined;
  if (hosted) checkHostedVif(problems, path, c, soFar);
  else checkCreatedVif(problems, path, c, spec, soFar);
  return {
    key,
    hosted,
    name: vifName(name, key),
    location: typeof c.location === "string" ? c.location.trim() : "",
    ...(c.device !== undefined ? { device: String(c.device).trim() } : {}),
    ...(!hosted && c.vlan !== undefined ? { vlan: c.vlan } : {}),
    ...(!hosted && c.amazonAddress !== undefined ? { amazonAddress: c.amazonAddress } : {}),
    ...(!hosted && c.customerAddress !== undefined ? { customerAddress: c.customerAddress } : {}),
    bgpAuthKeyGiven: !hosted && c.bgpAuthKey !== undefined,
  };
}

/**
 * Checks the arguments of a set of VIFs, recording problems under `prefix` (empty at the top of a
 * component), and returns the plan (meaningful only when no problem was recorded).
 */
export function checkVirtualInterfaces(
  problems: Problems,
  prefix: string,
  name: string,
  spec: VirtualInterfacesSpec,
): VirtualInterfacesPlan {
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const type = spec.type;
  if (!VIF_TYPES.includes(type)) problems.add(at("type"), type, 'one of "private", "transit", "public"');
  const family = spec.addressFamily ?? "ipv4";
  if (family !== "ipv4" && family !== "ipv6")
    problems.add(at("addressFamily"), family, 'one of "ipv4", "ipv6"');
  const attachTo = planVifAttachment(problems, at, spec);
  const connections = spec.connections;
  const keys =
    connections !== null && typeof connections === "object" ? Object.keys(connections).sort(byCodeUnit) : [];
  if (keys.length === 0)
    problems.add(
      at("connections"),
      connections,
      "at least one connection (or LAG, or hosted VIF), keyed by a stable name",
    );
  checkResourceKeys(problems, at("connections"), keys.length ? connections : undefined);
  const created = keys.filter((k) => connections[k]?.hostedVirtualInterfaceId === undefined);
  const advertised = checkCreatedVifSettings(problems, at, spec, { keys, created });
  const soFar: VifsSoFar = {
    vlanOwners: new FirstUse<string>(),
    connectionSites: new Map(),
    hostedOwners: new FirstUse<string>(),
  };
  const interfaces = keys.flatMap(
    (key) => planVif(problems, at(`connections.${key}`), key, name, connections[key], spec, soFar) ?? [],
  );
  return {
    type,
    attachTo,
    addressFamily: family,
    mtu: spec.mtu ?? DEFAULT_VIF_MTU,
    ...(created.length > 0 && spec.bgpAsn !== undefined ? { bgpAsn: spec.bgpAsn } : {}),
    advertisedPrefixes: advertised.map((p) => p.text),
    interfaces,
    resiliency: assessResiliency(
      interfaces.map((i) => ({
        key: i.key,
        location: i.location,
        ...(i.device ? { device: i.device } : {}),
      })),
      spec.environment,
    ),
  };
}

/** Plans a set of VIFs; throws one ValidationError naming `where` when any argument is invalid. */
export function planVirtualInterfaces(
  where: string,
  name: string,
  spec: VirtualInterfacesSpec,
): VirtualInterfacesPlan {
  const problems = new Problems();
  const plan = checkVirtualInterfaces(problems, "", name, spec);
  checkEvaluationPeriods(problems, "alarms.evaluationPeriods", spec.alarms?.evaluationPeriods);
  problems.throwIfAny(where);
  return plan;
}

// ---------------------------------------------------------------------------------------------------
// VPN over Direct Connect

/**
 * VPN over Direct Connect: how the tunnels travel, a private IP VPN over a transit VIF (private) or to the public
 * endpoints over a public VIF (public).
 */
export const DxVpnTransportType = { Private: "private", Public: "public" } as const;
/**
 * VPN over Direct Connect: how the tunnels travel, a private IP VPN over a transit VIF (private) or to the public
 * endpoints over a public VIF (public).
 */
export type DxVpnTransportType = (typeof DxVpnTransportType)[keyof typeof DxVpnTransportType];

/**
 * How the tunnels of a VPN over Direct Connect travel. "private": a private IP VPN over a transit VIF — the
 * transit gateway's outside addresses come from its CIDR blocks and the tunnels ride its attachment to the
 * Direct Connect gateway. "public": a VPN to the public endpoints, reached over a public VIF that advertises
 * the customer gateways' public prefixes.
 */
export interface DxVpnTransportSpec {
  type: DxVpnTransportType;
  /** private: the Direct Connect gateway the transit gateway is associated with. */
  dxGatewayId?: unknown;
  /** private: the transit gateway's attachment to that Direct Connect gateway. */
  transportAttachmentId?: unknown;
  /** private: the transit gateway's CIDR blocks (where AWS takes the private outside addresses). */
  transitGatewayCidrBlocks?: string[];
  /** private: the allowed prefixes of the Direct Connect gateway's association with the transit gateway. */
  allowedPrefixes?: string[];
  /** public: the prefixes the public VIF advertises to AWS. */
  advertisedPrefixes?: string[];
}

const PRIVATE_ONLY = [
  "dxGatewayId",
  "transportAttachmentId",
  "transitGatewayCidrBlocks",
  "allowedPrefixes",
] as const;

/** The sites as `checkDxVpnTransport` reads them. */
type TransportSites = Record<string, { ipAddress?: unknown; prefixes?: unknown } | null | undefined>;
/** The sites that are objects, with their keys. */
type SiteEntries = [string, { ipAddress?: unknown; prefixes?: unknown }][];

/** A site's device address as a number, when it is an IPv4 address. */
function siteAddress(ip: unknown): bigint | undefined {
  return typeof ip === "string" && Validator.isValidIPv4String(ip)[0]
    ? IPv4.fromString(ip).getValue()
    : undefined;
}

/** The gateway the VPN terminates on: a private IP VPN on a transit gateway; a public one on either, one of them. */
function checkTransportGateway(
  problems: Problems,
  type: DxVpnTransportSpec["type"],
  args: { transitGatewayId?: unknown; vpnGatewayId?: unknown },
): void {
  const tgw = args.transitGatewayId !== undefined;
  const vgw = args.vpnGatewayId !== undefined;
  if (type === "private") {
    if (vgw)
      problems.add(
        "vpnGatewayId",
        args.vpnGatewayId,
        "a private IP VPN terminates on a transit gateway; give transitGatewayId",
      );
    if (!tgw)
      problems.add("transitGatewayId", undefined, "the transit gateway the private IP VPN terminates on");
  } else if (tgw === vgw)
    problems.add(
      tgw ? "vpnGatewayId" : "transitGatewayId",
      tgw ? args.vpnGatewayId : undefined,
      "one gateway: a transit gateway (transitGatewayId) or a virtual private gateway (vpnGatewayId)",
    );
  if (tgw)
    problems.addIf("transitGatewayId", args.transitGatewayId, ec2IdProblem("tgw", args.transitGatewayId));
  if (vgw) problems.addIf("vpnGatewayId", args.vpnGatewayId, ec2IdProblem("vgw", args.vpnGatewayId));
}

/** Sites of a private IP VPN: device addresses outside the transit gateway's CIDR blocks, networks too. */
function checkSitesOutsideBlocks(problems: Problems, sites: SiteEntries, blocks: Cidr[]): void {
  const ipv4Blocks = blocks.filter((b) => b.version === 4);
  for (const [key, site] of sites) {
    const address = siteAddress(site.ipAddress);
    const block =
      address === undefined ? undefined : ipv4Blocks.find((b) => b.first <= address && address <= b.last);
    if (block)
      problems.add(
        `sites.${key}.ipAddress`,
        site.ipAddress,
        `inside the transit gateway CIDR block ${block.text}, where AWS takes its own outside addresses; use the device's on-premises address`,
      );
    if (Array.isArray(site.prefixes))
      site.prefixes.forEach((p, i) => {
        const result = checkCidr(p);
        if ("problem" in result) return;
        const overlap = blocks.find(
          (b) =>
            b.version === result.cidr.version && b.first <= result.cidr.last && result.cidr.first <= b.last,
        );
        if (overlap)
          problems.add(
            `sites.${key}.prefixes[${i}]`,
            p,
            `overlaps the transit gateway CIDR block ${overlap.text}; on-premises networks must not overlap it`,
          );
      });
  }
}

/**
 * A private IP VPN over a transit VIF: the Direct Connect gateway (or attachment) the tunnels ride, the transit
 * gateway's CIDR blocks covered by the allowed prefixes, and sites outside those blocks.
 */
function checkPrivateTransport(problems: Problems, t: DxVpnTransportSpec, sites: SiteEntries): void {
  if (t.advertisedPrefixes !== undefined)
    problems.add(
      "transport.advertisedPrefixes",
      t.advertisedPrefixes,
      'only for transport "public" (the public VIF\'s prefixes)',
    );
  if (t.dxGatewayId === undefined && t.transportAttachmentId === undefined)
    problems.add(
      "transport.dxGatewayId",
      undefined,
      "the Direct Connect gateway the transit gateway is associated with (its attachment carries the tunnels), or transport.transportAttachmentId",
    );
  problems.addIf(
    "transport.transportAttachmentId",
    t.transportAttachmentId,
    ec2IdProblem("tgw-attach", t.transportAttachmentId),
  );
  const blocks = checkTransitGatewayCidrBlocks(
    problems,
    "transport.transitGatewayCidrBlocks",
    t.transitGatewayCidrBlocks,
    true,
  );
  if (t.allowedPrefixes !== undefined) {
    const allowed = checkPrefixList(problems, "transport.allowedPrefixes", t.allowedPrefixes, {
      what: "allowed prefixes",
      max: {
        count: MAX_TGW_ALLOWED_PREFIXES,
        why: "AWS advertises at most 200 prefixes per transit gateway to on-premises",
      },
    });
    blocks.forEach((b, i) => {
      if (b.version === 4 && !allowed.some((p) => cidrContains(p, b)))
        problems.add(
          `transport.transitGatewayCidrBlocks[${i}]`,
          b.text,
          "not covered by transport.allowedPrefixes: the Direct Connect gateway would not advertise the VPN's AWS outside addresses on-premises; allow this block",
        );
    });
  }
  checkSitesOutsideBlocks(problems, sites, blocks);
}

/** A VPN over a public VIF: none of the private settings; each device address inside the advertised prefixes. */
function checkPublicTransport(problems: Problems, t: DxVpnTransportSpec, sites: SiteEntries): void {
  for (const field of PRIVATE_ONLY)
    if (t[field] !== undefined)
      problems.add(
        `transport.${field}`,
        t[field],
        'only for transport "private" (a private IP VPN over a transit VIF)',
      );
  const advertised = checkPrefixList(problems, "transport.advertisedPrefixes", t.advertisedPrefixes, {
    what: "public VIF's advertised prefixes",
    max: { count: MAX_PUBLIC_VIF_PREFIXES, why: "a public VIF advertises at most 1,000" },
    version: 4,
    publicOnly: true,
  });
  if (advertised.length === 0) return;
  for (const [key, site] of sites) {
    const address = siteAddress(site.ipAddress);
    if (address === undefined || publicIpv4Problem(site.ipAddress)) continue;
    if (!advertised.some((p) => p.first <= address && address <= p.last))
      problems.add(
        `sites.${key}.ipAddress`,
        site.ipAddress,
        "not inside transport.advertisedPrefixes: AWS would answer this device over the internet, not the public VIF; advertise a prefix that contains it",
      );
  }
}

/**
 * Checks the transport of a VPN over Direct Connect and how each site's customer gateway address and
 * networks fit it. Site addresses are checked for their kind (private or public) by the VPN plan.
 */
export function checkDxVpnTransport(
  problems: Problems,
  args: {
    transport: DxVpnTransportSpec;
    transitGatewayId?: unknown;
    vpnGatewayId?: unknown;
    sites: TransportSites;
  },
): void {
  const t = args.transport;
  if (t === null || typeof t !== "object" || (t.type !== "private" && t.type !== "public")) {
    problems.add(
      "transport.type",
      t?.type,
      'one of "private" (private IP VPN over a transit VIF), "public" (over a public VIF)',
    );
    return;
  }
  checkTransportGateway(problems, t.type, args);
  const sites = Object.entries(args.sites ?? {}).filter(
    (e): e is SiteEntries[number] => e[1] !== null && typeof e[1] === "object",
  );
  if (t.type === "private") checkPrivateTransport(problems, t, sites);
  else checkPublicTransport(problems, t, sites);
}
