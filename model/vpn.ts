/**
 * Plans for Site-to-Site VPN: which customer gateways, connections and tunnels a component registers,
 * with their inside CIDRs and ECMP sizing, after checking every AWS rule that applies. Pure data in,
 * pure data out; the components turn a plan into resources.
 */
import {
  allocateTunnelInsideCidrs,
  amazonSideAsnProblem,
  type Cidr,
  checkCidr,
  cidrsOverlap,
  customerAsnProblem,
  DEFAULT_AMAZON_SIDE_ASN,
  findOverlaps,
  isKnownLater,
  type NamedCidr,
  parseCidr,
  presharedKeyProblem,
  privateIpv4Problem,
  publicIpv4Problem,
  TUNNEL_INSIDE_IPV4_POOL,
  TUNNEL_INSIDE_IPV6_POOL,
  tunnelInsideAddresses,
  tunnelInsideCapacity,
  tunnelInsideCidrProblem,
  tunnelInsidePoolProblem,
} from "./addressing";
import { FirstUse, Problems } from "./errors";
import { checkResourceKeys } from "./names";
import { checkPreviousInsideCidrs } from "./previousInsideCidrs";
import { type ResolvedTunnelOptions, resolveTunnelOptions, type TunnelOptions } from "./tunnelOptions";

/** Site-to-Site VPN: how a connection learns routes, BGP (dynamic) or static routes. */
export const VpnRouting = { Bgp: "bgp", Static: "static" } as const;
/** Site-to-Site VPN: how a connection learns routes, BGP (dynamic) or static routes. */
export type VpnRouting = (typeof VpnRouting)[keyof typeof VpnRouting];
/** Site-to-Site VPN: tunnel bandwidth, "standard" (1.25 Gbps a tunnel) or "large" (5 Gbps; not accelerated). */
export const TunnelBandwidth = { Standard: "standard", Large: "large" } as const;
/** Site-to-Site VPN: tunnel bandwidth, "standard" (1.25 Gbps a tunnel) or "large" (5 Gbps; not accelerated). */
export type TunnelBandwidth = (typeof TunnelBandwidth)[keyof typeof TunnelBandwidth];
/** Site-to-Site VPN: IP version of the tunnel inside addresses (IPv6 needs a transit gateway). */
export const TunnelInsideIpVersion = { Ipv4: "ipv4", Ipv6: "ipv6" } as const;
/** Site-to-Site VPN: IP version of the tunnel inside addresses (IPv6 needs a transit gateway). */
export type TunnelInsideIpVersion = (typeof TunnelInsideIpVersion)[keyof typeof TunnelInsideIpVersion];
/**
 * Transit gateway: whether its default route table association or propagation is on (enable) or off (disable)
 * for new attachments.
 */
export const DefaultRouteTableSetting = { Enable: "enable", Disable: "disable" } as const;
/**
 * Transit gateway: whether its default route table association or propagation is on (enable) or off (disable)
 * for new attachments.
 */
export type DefaultRouteTableSetting =
  (typeof DefaultRouteTableSetting)[keyof typeof DefaultRouteTableSetting];

/** Site-to-Site VPN: a VPN connection always has exactly two tunnels, in two AWS availability zones. */
export const TUNNELS_PER_CONNECTION = 2;
/** Site-to-Site VPN: a standard tunnel carries up to 1.25 Gbps. */
export const STANDARD_TUNNEL_GBPS = 1.25;
/** Site-to-Site VPN: a large-bandwidth tunnel (transit gateway only, not accelerated) carries up to 5 Gbps. */
export const LARGE_TUNNEL_GBPS = 5;
/** Site-to-Site VPN quota: 10 VPN connections per virtual private gateway (adjustable). */
export const DEFAULT_VGW_CONNECTION_QUOTA = 10;
/** Site-to-Site VPN quota: 50 VPN connections per region (adjustable); bounds ECMP fan-out per site. */
export const DEFAULT_REGION_CONNECTION_QUOTA = 50;
/** Site-to-Site VPN: at most 100 routes from a customer gateway to a VPN connection on a virtual private gateway (BGP or static). */
export const MAX_VGW_ROUTES_PER_CONNECTION = 100;
/** CreateCustomerGateway: BGP ASN when the caller gives none. */
export const DEFAULT_CUSTOMER_ASN = 65000;

/** Per-tunnel settings. A tunnel left out gets an allocated inside CIDR and a generated key. */
export interface VpnTunnelSpec {
  /**
   * Inside CIDR of the tunnel: a /30 in 169.254.0.0/16 outside the AWS-reserved blocks (a /126 in
   * fd00::/8 for IPv6 tunnels). Unique across the gateway. @default allocated from `insideCidrPool`.
   */
  insideCidr?: string;
  /**
   * Pre-shared key: 8–64 letters, digits, '.' or '_', not starting with 0. A plain string is checked before
   * anything registers; a secret Output is checked when it resolves, and the component registers (and with it every child) only once it passes. Stored as a secret either way.
   * @default generated with @pulumi/random (32 characters).
   */
  presharedKey?: unknown;
}

/** One on-premises site: its customer gateway device and the networks behind it. */
export interface VpnSiteSpec {
  /** Static public IPv4 address of the customer gateway device. */
  ipAddress: string;
  /** BGP ASN of the device: 1–4294967295, not an AWS-reserved ASN. @default 65000. */
  bgpAsn?: number;
  /** "bgp" (dynamic) or "static" routing. @default "bgp". */
  routing?: VpnRouting;
  /**
   * On-premises networks behind the device (CIDRs). Static routes for "static" routing; the expected BGP
   * advertisements otherwise. At most 100 on a virtual private gateway.
   */
  prefixes: string[];
  /** IPsec options for both tunnels. @default the secure defaults (IKEv2, AES-256, SHA-2, DH 14–21). */
  tunnelOptions?: TunnelOptions;
  /** Settings for tunnel 1 and tunnel 2 (at most two entries). */
  tunnels?: VpnTunnelSpec[];
  /** Device name, recorded as the customer gateway's `hybridnet:device` tag (a tag changes in place). */
  deviceName?: string;
}

/** Transit gateway sites add bandwidth sizing and acceleration. */
export interface TransitGatewaySiteSpec extends VpnSiteSpec {
  /**
   * Bandwidth the site needs in Gbps. hybridnet provisions enough VPN connections for it with ECMP across
   * their tunnels (BGP only), keeping `spareTunnels` in reserve. @default one connection.
   */
  bandwidthGbps?: number;
  /** Tunnels kept in reserve for AWS tunnel maintenance or a tunnel failure. @default 1. */
  spareTunnels?: number;
  /** Accelerated VPN through AWS Global Accelerator. Not with large tunnels. @default false. */
  accelerated?: boolean;
  /** "standard" (1.25 Gbps a tunnel) or "large" (5 Gbps a tunnel; not accelerated). @default "standard". */
  tunnelBandwidth?: TunnelBandwidth;
}

/**
 * A site as the planner takes it: its device address may be known only at deployment (an Output, such as a
 * software VPN appliance's Elastic IP); it is checked here when plain and by the registration when it resolves.
 */
export type PlanningSiteSpec = Omit<VpnSiteSpec, "ipAddress"> & { ipAddress: unknown };

/** A site of any gateway as the planner reads it: a transit gateway site's sizing keys may be present. */
type PlanningSite = PlanningSiteSpec & Partial<Omit<TransitGatewaySiteSpec, keyof VpnSiteSpec>>;

export interface PlannedTunnel {
  insideCidr: string;
  /** AWS side inside address (first usable). */
  awsInsideAddress: string;
  /** Customer gateway side inside address (second usable). */
  customerInsideAddress: string;
  /** The caller gave this tunnel's pre-shared key; otherwise the component generates one. */
  presharedKeyGiven: boolean;
}

export interface PlannedConnection {
  /** Stable key used in resource names: `<site>` or `<site>-<n>` for ECMP connections. */
  key: string;
  tunnels: [PlannedTunnel, PlannedTunnel];
}

/** How many connections a transit gateway site gets, and why. */
export interface EcmpPlan {
  requiredGbps: number;
  perTunnelGbps: number;
  /** Tunnels that carry traffic at once: both of every connection with BGP and ECMP, else one. */
  activeTunnels: number;
  spareTunnels: number;
  connections: number;
  /** Capacity with every tunnel up. */
  capacityGbps: number;
  reason: string;
}

export interface PlannedSite {
  key: string;
  /** The device's address when it was a plain value; absent when it is known only at deployment (an Output). */
  ipAddress?: string;
  bgpAsn: number;
  routing: VpnRouting;
  prefixes: string[];
  tunnelOptions: ResolvedTunnelOptions;
  deviceName?: string;
  connections: PlannedConnection[];
  accelerated: boolean;
  tunnelBandwidth: TunnelBandwidth;
  ecmp?: EcmpPlan;
}

export interface VpnPlan {
  /** The component the plan is for, as errors name it (`hybridnet:index:ManagedVpn "corp"`). */
  where: string;
  amazonSideAsn: number;
  insideIpVersion: TunnelInsideIpVersion;
  sites: PlannedSite[];
  /** Set to "PrivateIpv4" for a private IP VPN over Direct Connect; absent for VPNs over the internet. */
  outsideIpAddressType?: "PrivateIpv4";
}

/** What the gateway a set of sites terminates on allows; see {@link planVpnSites}. */
export interface GatewayRules {
  gateway: "vgw" | "tgw";
  /** CloudHub: BGP only, unique ASNs, no overlapping prefixes between sites. */
  cloudHub?: boolean;
  amazonSideAsn?: number;
  /** Networks on the AWS side the on-premises prefixes must not overlap. */
  awsCidrs?: string[];
  awsCidrsPath?: string;
  insideCidrPool?: string;
  insideIpVersion?: TunnelInsideIpVersion;
  connectionQuota?: number;
  /**
   * "PrivateIpv4": a private IP VPN over Direct Connect (transit gateway only). Customer gateways then have
   * private (RFC 1918) addresses and connections cannot be accelerated. @default "PublicIpv4".
   */
  outsideIpAddressType?: "PublicIpv4" | "PrivateIpv4";
  /** Transit gateway: VPN ECMP support is on. */
  ecmp?: boolean;
  /**
   * The inside CIDRs the previous run allocated, by connection key (`<site>`, or `<site>-<n>` on a transit
   * gateway), tunnel 1 then tunnel 2: the `connections[key].tunnels[i].insideCidr` the component output.
   * Allocated tunnels keep them, so adding a site never moves a tunnel (see {@link allocateTunnelInsideCidrs}).
   * @default none: allocation by hash slot, which a new site can displace.
   */
  previousInsideCidrs?: Record<string, string[]>;
}

/** The previous run's allocation, validated: allocator key (`<name>/<connection>/tunnel<n>`) → CIDR. */
function previousAllocation(
  problems: Problems,
  name: string,
  previous: unknown,
  version: 4 | 6,
  pool: Cidr,
  poolGiven: boolean,
): Map<string, { path: string; cidr: Cidr; label: string }> {
  const kept = checkPreviousInsideCidrs(problems, previous, {
    version,
    pool,
    poolName: poolGiven ? "insideCidrPool" : "the pool",
    bothTunnels: false,
    entry: "tunnel 1 and tunnel 2's inside CIDRs, in a list",
    example:
      'the inside CIDRs the previous run allocated, by connection key: { "dc1": ["169.254.10.0/30", "169.254.10.4/30"] }',
  });
  return new Map(
    kept.map((k) => [
      `${name}/${k.key}/tunnel${k.tunnel}`,
      { path: k.path, cidr: k.cidr, label: `${k.key} tunnel ${k.tunnel}` },
    ]),
  );
}

/** The site's tunnel entries that can be read (a malformed list is reported by siteProblems). */
function tunnelList(site: PlanningSiteSpec): (VpnTunnelSpec | undefined)[] {
  return Array.isArray(site.tunnels) ? site.tunnels.slice(0, TUNNELS_PER_CONNECTION) : [];
}

function siteProblems(
  problems: Problems,
  path: string,
  site: PlanningSiteSpec,
  rules: GatewayRules,
  amazonSideAsn: number,
): { prefixes: Cidr[]; resolved: ResolvedTunnelOptions; asn: number; routing: VpnRouting } {
  problems.addIf(`${path}.ipAddress`, site.ipAddress, customerGatewayAddressProblem(rules, site.ipAddress));
  const asn = site.bgpAsn ?? DEFAULT_CUSTOMER_ASN;
  problems.addIf(
    `${path}.bgpAsn`,
    site.bgpAsn,
    site.bgpAsn === undefined ? undefined : customerAsnProblem(site.bgpAsn),
  );
  const routing = site.routing ?? "bgp";
  if (routing !== "bgp" && routing !== "static")
    problems.add(`${path}.routing`, site.routing, 'one of "bgp", "static"');
  if (rules.cloudHub && routing !== "bgp")
    problems.add(
      `${path}.routing`,
      routing,
      'VPN CloudHub sites learn each other\'s networks over BGP; use "bgp"',
    );
  if (routing === "bgp" && asn === amazonSideAsn)
    problems.add(
      `${path}.bgpAsn`,
      asn,
      `equals the Amazon side ASN ${amazonSideAsn}; a BGP session needs two different ASNs`,
    );
  const prefixes: Cidr[] = [];
  if (!Array.isArray(site.prefixes) || site.prefixes.length === 0)
    problems.add(`${path}.prefixes`, site.prefixes, "at least one on-premises CIDR");
  else {
    const seen = new Set<string>();
    site.prefixes.forEach((p, i) => {
      // A transit gateway VPN carries one IP version inside its tunnels, so on-premises networks match it.
      const result = checkCidr(p, {
        version: rules.gateway === "tgw" && rules.insideIpVersion === "ipv6" ? 6 : 4,
      });
      if ("problem" in result) problems.add(`${path}.prefixes[${i}]`, p, result.problem);
      else if (seen.has(result.cidr.text))
        problems.add(`${path}.prefixes[${i}]`, p, "listed twice; list each prefix once");
      else {
        seen.add(result.cidr.text);
        prefixes.push(result.cidr);
      }
    });
    if (rules.gateway === "vgw" && site.prefixes.length > MAX_VGW_ROUTES_PER_CONNECTION)
      problems.add(
        `${path}.prefixes`,
        `${site.prefixes.length} prefixes`,
        `at most ${MAX_VGW_ROUTES_PER_CONNECTION} routes per VPN connection on a virtual private gateway; summarize them`,
      );
  }
  const resolved = resolveTunnelOptions(site.tunnelOptions, `${path}.tunnelOptions`, problems);
  if (
    site.tunnels !== undefined &&
    (!Array.isArray(site.tunnels) || site.tunnels.length > TUNNELS_PER_CONNECTION)
  )
    problems.add(
      `${path}.tunnels`,
      site.tunnels,
      "at most two entries: a VPN connection has exactly two tunnels",
    );
  tunnelList(site).forEach((t, i) => {
    if (t === null || typeof t !== "object")
      problems.add(`${path}.tunnels[${i}]`, t, "an object: { insideCidr?, presharedKey? }");
    else if (typeof t.presharedKey === "string")
      problems.addIf(
        `${path}.tunnels[${i}].presharedKey`,
        t.presharedKey,
        presharedKeyProblem(t.presharedKey),
        true,
      );
  });
  return { prefixes, resolved, asn, routing };
}

/** ECMP sizing on a transit gateway: how many VPN connections carry `requiredGbps`, and why. */
export function planEcmp(input: {
  requiredGbps?: number;
  routing: VpnRouting;
  ecmp: boolean;
  tunnelBandwidth: TunnelBandwidth;
  spareTunnels: number;
}): EcmpPlan | { problem: string } {
  const perTunnelGbps = input.tunnelBandwidth === "large" ? LARGE_TUNNEL_GBPS : STANDARD_TUNNEL_GBPS;
  const required = input.requiredGbps ?? 0;
  const canEcmp = input.routing === "bgp" && input.ecmp;
  if (!canEcmp) {
    const why =
      input.routing === "static"
        ? "static routing uses one tunnel at a time"
        : "VPN ECMP is off on the transit gateway";
    if (required > perTunnelGbps)
      return {
        problem: `${required} Gbps exceeds one tunnel (${perTunnelGbps} Gbps) and ${why}; use BGP with ECMP${input.tunnelBandwidth === "standard" ? ' or tunnelBandwidth "large"' : ""}`,
      };
    return {
      requiredGbps: required,
      perTunnelGbps,
      activeTunnels: 1,
      spareTunnels: 1,
      connections: 1,
      capacityGbps: perTunnelGbps,
      reason: `1 connection: ${why}, so one ${perTunnelGbps} Gbps tunnel carries the traffic and the other stands by`,
    };
  }
  const tunnelsForLoad = Math.max(1, Math.ceil(required / perTunnelGbps - 1e-9));
  const connections = Math.ceil((tunnelsForLoad + input.spareTunnels) / TUNNELS_PER_CONNECTION);
  if (connections > DEFAULT_REGION_CONNECTION_QUOTA)
    return {
      problem: `${required} Gbps needs ${connections} VPN connections, above the default quota of ${DEFAULT_REGION_CONNECTION_QUOTA} per region; use Direct Connect or large tunnels`,
    };
  const activeTunnels = connections * TUNNELS_PER_CONNECTION;
  return {
    requiredGbps: required,
    perTunnelGbps,
    activeTunnels,
    spareTunnels: input.spareTunnels,
    connections,
    capacityGbps: activeTunnels * perTunnelGbps,
    reason:
      input.requiredGbps === undefined
        ? `no bandwidthGbps given: ${connections} connection(s) × 2 tunnels with BGP ECMP = ${activeTunnels * perTunnelGbps} Gbps with all tunnels up`
        : `${required} Gbps needs ${tunnelsForLoad} tunnel(s) of ${perTunnelGbps} Gbps plus ${input.spareTunnels} spare; ` +
          `${connections} connection(s) × 2 tunnels with BGP ECMP = ${activeTunnels * perTunnelGbps} Gbps with all tunnels up`,
  };
}

function checkSiteKeys(problems: Problems, sites: Record<string, unknown>): string[] {
  if (sites === null || typeof sites !== "object" || Object.keys(sites).length === 0) {
    problems.add("sites", sites, "at least one site, keyed by a stable name");
    return [];
  }
  checkResourceKeys(problems, "sites", sites);
  return Object.keys(sites).sort();
}

/** The gateway-wide settings, checked: Amazon side ASN, inside IP version, inside CIDR pool, AWS-side CIDRs. */
interface CheckedGateway {
  amazonSideAsn: number;
  insideIpVersion: TunnelInsideIpVersion;
  version: 4 | 6;
  /** The given inside CIDR pool, when valid. */
  pool?: Cidr;
  awsCidrs: NamedCidr[];
}

/** The gateway's own settings: its ASN, tunnel inside IP version (IPv6 on a transit gateway only), pool, CIDRs. */
function checkGatewayRules(problems: Problems, rules: GatewayRules): CheckedGateway {
  const amazonSideAsn = rules.amazonSideAsn ?? DEFAULT_AMAZON_SIDE_ASN;
  if (rules.amazonSideAsn !== undefined)
    problems.addIf("amazonSideAsn", rules.amazonSideAsn, amazonSideAsnProblem(rules.amazonSideAsn));
  const insideIpVersion = rules.insideIpVersion ?? "ipv4";
  if (insideIpVersion !== "ipv4" && insideIpVersion !== "ipv6")
    problems.add("tunnelInsideIpVersion", insideIpVersion, 'one of "ipv4", "ipv6"');
  if (insideIpVersion === "ipv6" && rules.gateway === "vgw")
    problems.add(
      "tunnelInsideIpVersion",
      insideIpVersion,
      "IPv6 tunnels need a transit gateway; a virtual private gateway takes IPv4 only",
    );
  const version = insideIpVersion === "ipv6" ? 6 : 4;
  let pool: Cidr | undefined;
  if (rules.insideCidrPool !== undefined) {
    const problem = tunnelInsidePoolProblem(rules.insideCidrPool, version);
    problems.addIf("insideCidrPool", rules.insideCidrPool, problem);
    if (!problem) pool = parseCidr(rules.insideCidrPool);
  }
  const awsCidrs: NamedCidr[] = [];
  const awsPath = rules.awsCidrsPath ?? "vpcCidrs";
  if (rules.awsCidrs !== undefined && !Array.isArray(rules.awsCidrs))
    problems.add(awsPath, rules.awsCidrs, 'a list of CIDRs, e.g. ["10.20.0.0/16"]');
  (Array.isArray(rules.awsCidrs) ? rules.awsCidrs : []).forEach((c, i) => {
    const result = checkCidr(c, { version: 4 });
    if ("problem" in result) problems.add(`${awsPath}[${i}]`, c, result.problem);
    else awsCidrs.push({ name: `${awsPath}[${i}]`, cidr: result.cidr });
  });
  return { amazonSideAsn, insideIpVersion, version, ...(pool ? { pool } : {}), awsCidrs };
}

/** A site's sizing: tunnel bandwidth, acceleration and, on a transit gateway, its ECMP connections. */
interface SiteSizing {
  tunnelBandwidth: TunnelBandwidth;
  accelerated: boolean;
  ecmp?: EcmpPlan;
  connections: number;
}

/**
 * Transit gateway sizing and acceleration: large tunnels are not accelerated, a private IP VPN is not
 * accelerated, spare tunnels 0–4, and ECMP sizes the connections. A virtual private gateway takes none of it.
 */
function planSiteSizing(
  problems: Problems,
  path: string,
  site: PlanningSite,
  rules: GatewayRules,
  routing: VpnRouting,
): SiteSizing {
  const tunnelBandwidth = site.tunnelBandwidth ?? "standard";
  const accelerated = site.accelerated ?? false;
  if (rules.gateway !== "tgw") {
    for (const field of ["bandwidthGbps", "accelerated", "tunnelBandwidth", "spareTunnels"] as const)
      if (site[field] !== undefined)
        problems.add(
          `${path}.${field}`,
          site[field],
          "only on a transit gateway (TransitGatewayVpn): a virtual private gateway has no ECMP, acceleration or large tunnels",
        );
    return { tunnelBandwidth, accelerated, connections: 1 };
  }
  if (tunnelBandwidth !== "standard" && tunnelBandwidth !== "large")
    problems.add(`${path}.tunnelBandwidth`, tunnelBandwidth, 'one of "standard", "large"');
  if (tunnelBandwidth === "large" && accelerated)
    problems.add(
      `${path}.tunnelBandwidth`,
      tunnelBandwidth,
      'large tunnels cannot be accelerated; use "standard" or accelerated: false',
    );
  if (accelerated && rules.outsideIpAddressType === "PrivateIpv4")
    problems.add(
      `${path}.accelerated`,
      accelerated,
      "a private IP VPN runs over Direct Connect, not Global Accelerator; leave accelerated out",
    );
  const spare = site.spareTunnels ?? 1;
  if (!Number.isInteger(spare) || spare < 0 || spare > 4)
    problems.add(`${path}.spareTunnels`, site.spareTunnels, "an integer in 0–4");
  const gbps = site.bandwidthGbps;
  if (gbps !== undefined && (typeof gbps !== "number" || !(gbps > 0))) {
    problems.add(`${path}.bandwidthGbps`, gbps, "a positive number of Gbps");
    return { tunnelBandwidth, accelerated, connections: 1 };
  }
  const result = planEcmp({
    requiredGbps: gbps,
    routing,
    ecmp: rules.ecmp ?? true,
    tunnelBandwidth,
    spareTunnels: Math.max(0, Math.trunc(spare) || 0),
  });
  if ("problem" in result) {
    problems.add(`${path}.bandwidthGbps`, gbps, result.problem);
    return { tunnelBandwidth, accelerated, connections: 1 };
  }
  return { tunnelBandwidth, accelerated, ecmp: result, connections: result.connections };
}

/** What the sites share while each is planned: the owners of ASNs and addresses, and what they collect. */
interface SitesSoFar {
  asnOwners: FirstUse<number>;
  ipOwners: FirstUse<string>;
  /** On-premises prefixes, named by their path. */
  onPrem: NamedCidr[];
  /** Inside CIDRs the sites give, by path. */
  givenInside: { path: string; cidr: Cidr }[];
}

/** A site's given inside CIDRs: valid, and not on a site ECMP gives more than one connection. */
function collectGivenInsideCidrs(
  problems: Problems,
  path: string,
  site: PlanningSiteSpec,
  version: 4 | 6,
  connections: number,
  givenInside: SitesSoFar["givenInside"],
): void {
  tunnelList(site).forEach((t, i) => {
    if (t?.insideCidr === undefined) return;
    const problem = tunnelInsideCidrProblem(t.insideCidr, version);
    if (problem) problems.add(`${path}.tunnels[${i}].insideCidr`, t.insideCidr, problem);
    else if (connections > 1)
      problems.add(
        `${path}.tunnels[${i}].insideCidr`,
        t.insideCidr,
        `this site gets ${connections} ECMP connections, so a fixed inside CIDR would repeat; leave it out or set insideCidrPool`,
      );
    else givenInside.push({ path: `${path}.tunnels[${i}].insideCidr`, cidr: parseCidr(t.insideCidr) });
  });
}

/**
 * One site: its own checks ({@link siteProblems}), a unique ASN under CloudHub, one customer gateway per device
 * address, its sizing and given inside CIDRs. Returns the planned site, its tunnels not yet assigned.
 */
function planSite(
  problems: Problems,
  key: string,
  site: PlanningSite,
  rules: GatewayRules,
  gateway: CheckedGateway,
  soFar: SitesSoFar,
): PlannedSite {
  const path = `sites.${key}`;
  const { prefixes, resolved, asn, routing } = siteProblems(
    problems,
    path,
    site,
    rules,
    gateway.amazonSideAsn,
  );
  prefixes.forEach((cidr, i) => {
    soFar.onPrem.push({ name: `${path}.prefixes[${i}]`, cidr });
  });
  if (rules.cloudHub) {
    const owner = soFar.asnOwners.claim(asn, path);
    if (owner)
      problems.add(
        `${path}.bgpAsn`,
        asn,
        `also used by ${owner}; VPN CloudHub needs a unique BGP ASN per site`,
      );
  }
  const knownAddress = typeof site.ipAddress === "string" ? site.ipAddress : undefined;
  const ipOwner = knownAddress === undefined ? undefined : soFar.ipOwners.claim(knownAddress, path);
  if (ipOwner)
    problems.add(
      `${path}.ipAddress`,
      site.ipAddress,
      `also used by ${ipOwner}; one customer gateway per device address`,
    );
  const { connections, ecmp, accelerated, tunnelBandwidth } = planSiteSizing(
    problems,
    path,
    site,
    rules,
    routing,
  );
  collectGivenInsideCidrs(problems, path, site, gateway.version, connections, soFar.givenInside);
  const connectionKeys =
    rules.gateway === "tgw" ? Array.from({ length: connections }, (_, i) => `${key}-${i + 1}`) : [key];
  return {
    key,
    ...(knownAddress !== undefined ? { ipAddress: knownAddress } : {}),
    bgpAsn: asn,
    routing,
    prefixes: prefixes.map((p) => p.text),
    tunnelOptions: resolved,
    ...(site.deviceName !== undefined ? { deviceName: site.deviceName } : {}),
    connections: connectionKeys.map((k) => ({
      key: k,
      tunnels: [] as unknown as [PlannedTunnel, PlannedTunnel],
    })),
    accelerated,
    tunnelBandwidth,
    ...(ecmp ? { ecmp } : {}),
  };
}

/** VPN connection quotas: per region across a transit gateway's sites, per virtual private gateway. */
function checkConnectionQuotas(problems: Problems, rules: GatewayRules, connectionCount: number): void {
  if (rules.gateway === "tgw" && connectionCount > DEFAULT_REGION_CONNECTION_QUOTA)
    problems.add(
      "sites",
      `${connectionCount} VPN connections`,
      `at most ${DEFAULT_REGION_CONNECTION_QUOTA} VPN connections per region (AWS default quota) across all sites; lower bandwidthGbps or use Direct Connect`,
    );
  const quota = rules.connectionQuota ?? DEFAULT_VGW_CONNECTION_QUOTA;
  if (!Number.isInteger(quota) || quota < DEFAULT_VGW_CONNECTION_QUOTA)
    problems.add(
      "vpnConnectionQuota",
      rules.connectionQuota,
      `your account's quota: an integer of at least the AWS default ${DEFAULT_VGW_CONNECTION_QUOTA}`,
    );
  if (rules.gateway === "vgw" && connectionCount > quota)
    problems.add(
      "sites",
      `${connectionCount} sites`,
      `at most ${quota} VPN connections per virtual private gateway (AWS default quota); raise the quota and set vpnConnectionQuota`,
    );
}

/**
 * Given inside CIDRs unique where AWS or the device needs them: CreateVpnConnection takes IPv4 inside CIDRs
 * unique per virtual private gateway, IPv6 ones per transit gateway; IPv4 ones on a transit gateway need not be
 * (AWS knowledge center "vpn-custom-psk-inside-tunnel-ip"), though one device cannot tell its two tunnels apart
 * if they share one, so a site's own stay unique.
 */
function checkInsideCidrsUnique(
  problems: Problems,
  rules: GatewayRules,
  version: 4 | 6,
  givenInside: SitesSoFar["givenInside"],
): void {
  const gatewayWide = rules.gateway === "vgw" || version === 6;
  const uniqueness =
    rules.gateway === "vgw"
      ? "IPv4 inside CIDRs must be unique on a virtual private gateway"
      : version === 6
        ? "IPv6 inside CIDRs must be unique on a transit gateway"
        : "a device cannot tell apart two of its tunnels with one inside CIDR";
  const scopes = new Map<string, NamedCidr[]>();
  for (const g of givenInside) {
    const scope = gatewayWide ? "" : g.path.slice(0, g.path.indexOf(".tunnels["));
    scopes.set(scope, [...(scopes.get(scope) ?? []), { name: g.path, cidr: g.cidr }]);
  }
  for (const list of scopes.values())
    for (const { a, b } of findOverlaps(list))
      problems.add(b.name, b.cidr.text, `same inside CIDR as ${a.name}; ${uniqueness}`);
}

/** On-premises networks outside the VPC's CIDRs, and under CloudHub distinct between sites. */
function checkOnPremisesOverlaps(
  problems: Problems,
  rules: GatewayRules,
  awsCidrs: NamedCidr[],
  onPrem: NamedCidr[],
): void {
  for (const { a, b } of findOverlaps([...awsCidrs, ...onPrem])) {
    const aws = [a, b].find((n) => awsCidrs.includes(n));
    const prem = [a, b].find((n) => !awsCidrs.includes(n));
    if (aws && prem)
      problems.add(
        prem.name,
        prem.cidr.text,
        `overlaps the VPC CIDR ${aws.cidr.text} (${aws.name}); on-premises networks must not overlap the VPC`,
      );
    else if (rules.cloudHub && !aws && a.name.split(".prefixes")[0] !== b.name.split(".prefixes")[0])
      problems.add(
        b.name,
        b.cidr.text,
        `overlaps ${a.cidr.text} of ${a.name}; VPN CloudHub sites must have distinct networks`,
      );
  }
}

/** What allocation needs: the pool, the tunnels to allocate, the previous run's allocation. */
interface InsideAllocation {
  poolCidr: Cidr;
  /** Allocator keys (`<name>/<connection>/tunnel<n>`) of the tunnels given no inside CIDR. */
  missing: string[];
  previous: ReturnType<typeof previousAllocation>;
}

/**
 * The inside CIDR pool holds every tunnel and every slot the previous run allocated to a connection deleted
 * now; a pinned CIDR cannot take a slot an allocated tunnel keeps (that tunnel would have to move).
 */
function checkInsidePool(
  problems: Problems,
  name: string,
  sites: Record<string, PlanningSiteSpec>,
  rules: GatewayRules,
  gateway: CheckedGateway,
  planned: { sites: PlannedSite[]; givenInside: SitesSoFar["givenInside"]; connectionCount: number },
): InsideAllocation {
  const { version, pool } = gateway;
  const poolCidr = pool ?? parseCidr(version === 6 ? TUNNEL_INSIDE_IPV6_POOL : TUNNEL_INSIDE_IPV4_POOL);
  const tunnelsNeeded = planned.connectionCount * TUNNELS_PER_CONNECTION;
  if (version === 4 && tunnelsNeeded > tunnelInsideCapacity(poolCidr))
    problems.add(
      "insideCidrPool",
      poolCidr.text,
      `${tunnelInsideCapacity(poolCidr)} /30s for ${tunnelsNeeded} tunnels; use a larger pool`,
    );
  const missing: string[] = [];
  for (const site of planned.sites) {
    const specs = tunnelList(sites[site.key]);
    for (const c of site.connections)
      for (let t = 0; t < TUNNELS_PER_CONNECTION; t++)
        if (specs[t]?.insideCidr === undefined) missing.push(`${name}/${c.key}/tunnel${t + 1}`);
  }
  const previous = previousAllocation(
    problems,
    name,
    rules.previousInsideCidrs,
    version,
    poolCidr,
    pool !== undefined,
  );
  const requested = new Set(missing);
  for (const g of planned.givenInside)
    for (const [key, p] of previous)
      if (requested.has(key) && cidrsOverlap(p.cidr, g.cidr))
        problems.add(
          g.path,
          g.cidr.text,
          `allocated to ${p.label} in the previous run (${p.path}), which keeps it: moving it would replace that VPN connection; pin another /30`,
        );
  const stale = [...previous.keys()].filter((k) => !requested.has(k)).length;
  if (version === 4 && stale > 0 && tunnelsNeeded + stale > tunnelInsideCapacity(poolCidr))
    problems.add(
      "insideCidrPool",
      poolCidr.text,
      `${tunnelInsideCapacity(poolCidr)} /30s for ${tunnelsNeeded} tunnels and ${stale} kept for connections deleted in this run; use a larger pool`,
    );
  return { poolCidr, missing, previous };
}

/** Fills in every planned connection's two tunnels: the given inside CIDR, or the allocated one. */
function assignTunnels(
  name: string,
  sites: Record<string, PlanningSiteSpec>,
  planned: PlannedSite[],
  allocated: Record<string, Cidr>,
): void {
  for (const site of planned) {
    const specs = tunnelList(sites[site.key]);
    for (const c of site.connections) {
      c.tunnels = [0, 1].map((t) => {
        const given = specs[t]?.insideCidr;
        const cidr = given !== undefined ? parseCidr(given) : allocated[`${name}/${c.key}/tunnel${t + 1}`];
        const addresses = tunnelInsideAddresses(cidr);
        return {
          insideCidr: cidr.text,
          awsInsideAddress: addresses.aws,
          customerInsideAddress: addresses.customer,
          presharedKeyGiven: specs[t]?.presharedKey !== undefined,
        };
      }) as [PlannedTunnel, PlannedTunnel];
    }
  }
}

/**
 * Plans the sites of a virtual private gateway or transit gateway. Collects every problem and throws one
 * ValidationError naming `where`; returns the plan only when all arguments are valid.
 */
export function planVpnSites<S extends PlanningSiteSpec>(
  where: string,
  name: string,
  sites: Record<string, S>,
  rules: GatewayRules,
  extra?: (problems: Problems) => void,
): VpnPlan {
  const problems = new Problems();
  const gateway = checkGatewayRules(problems, rules);
  extra?.(problems);
  const soFar: SitesSoFar = {
    asnOwners: new FirstUse<number>(),
    ipOwners: new FirstUse<string>(),
    onPrem: [],
    givenInside: [],
  };
  const planned: PlannedSite[] = [];
  for (const key of checkSiteKeys(problems, sites)) {
    const site = sites[key] as S & PlanningSite;
    if (site === null || typeof site !== "object")
      problems.add(`sites.${key}`, site, "a site: { ipAddress, prefixes, ... }");
    else planned.push(planSite(problems, key, site, rules, gateway, soFar));
  }
  const connectionCount = planned.reduce((sum, site) => sum + site.connections.length, 0);
  checkConnectionQuotas(problems, rules, connectionCount);
  checkInsideCidrsUnique(problems, rules, gateway.version, soFar.givenInside);
  checkOnPremisesOverlaps(problems, rules, gateway.awsCidrs, soFar.onPrem);
  const { poolCidr, missing, previous } = checkInsidePool(problems, name, sites, rules, gateway, {
    sites: planned,
    givenInside: soFar.givenInside,
    connectionCount,
  });
  problems.throwIfAny(where);
  // Allocation runs only on valid input, so every key below has a free slot.
  const allocated = allocateTunnelInsideCidrs(missing, {
    pool: poolCidr,
    taken: soFar.givenInside.map((g) => g.cidr),
    version: gateway.version,
    previous: Object.fromEntries([...previous].map(([k, p]) => [k, p.cidr.text])),
  });
  assignTunnels(name, sites, planned, allocated);
  return {
    where,
    amazonSideAsn: gateway.amazonSideAsn,
    insideIpVersion: gateway.insideIpVersion,
    sites: planned,
    ...(rules.outsideIpAddressType === "PrivateIpv4" ? { outsideIpAddressType: "PrivateIpv4" as const } : {}),
  };
}

/**
 * Why `address` cannot be a customer gateway's address: a public IPv4 address, or a private one for a private IP
 * VPN over Direct Connect. An address known only later passes here and is checked when it resolves.
 */
export function customerGatewayAddressProblem(
  rules: { outsideIpAddressType?: "PublicIpv4" | "PrivateIpv4" },
  address: unknown,
): string | undefined {
  if (isKnownLater(address)) return undefined;
  return rules.outsideIpAddressType === "PrivateIpv4"
    ? privateIpv4Problem(address)
    : publicIpv4Problem(address);
}

/** The customer gateway type hybridnet creates (CreateCustomerGateway `Type`). */
export const CUSTOMER_GATEWAY_TYPE = "ipsec.1";

/**
 * What identifies a customer gateway to AWS: CreateCustomerGateway returns the existing gateway for a request
 * with the same type, IP address and BGP ASN, so two resources with one identity are one gateway.
 */
export function customerGatewayIdentity(site: { ipAddress: string; bgpAsn: number }): string {
  return `${CUSTOMER_GATEWAY_TYPE}|${site.ipAddress}|${site.bgpAsn}`;
}

/**
 * Claims the customer gateways of `plan` among those already claimed in this program (`claims`, identity →
 * `sites.<key> of <component>`), and throws a ValidationError naming `plan.where` when another component
 * describes the same device: AWS would hand both the same gateway, and destroying either would pull it from
 * under the other. Claims nothing when it throws.
 */
export function claimCustomerGateways(claims: Map<string, string>, plan: VpnPlan): void {
  const problems = new Problems();
  // An address known only at deployment (another component's Elastic IP) is that component's own device.
  const known = plan.sites.filter((s): s is PlannedSite & { ipAddress: string } => s.ipAddress !== undefined);
  for (const site of known) {
    const owner = claims.get(customerGatewayIdentity(site));
    if (owner)
      problems.add(
        `sites.${site.key}.ipAddress`,
        site.ipAddress,
        `same device (${CUSTOMER_GATEWAY_TYPE}, ${site.ipAddress}, BGP ASN ${site.bgpAsn}) as ${owner}: CreateCustomerGateway returns the existing gateway for an identical request, so both would share one customer gateway; describe the device in one component (a site per gateway it connects to there), or give it its own ASN`,
      );
  }
  problems.throwIfAny(plan.where);
  for (const site of known) claims.set(customerGatewayIdentity(site), `sites.${site.key} of ${plan.where}`);
}

/**
 * What a transit gateway the component did not create does with a new attachment: its
 * DefaultRouteTableAssociation and DefaultRouteTablePropagation options, as describe-transit-gateways reports
 * them. AWS enables both by default; hybridnet's own transit gateways disable both.
 */
export interface ExistingTransitGatewaySettings {
  /** "enable": every new attachment is associated with the default association route table. */
  defaultRouteTableAssociation: DefaultRouteTableSetting;
  /** "enable": every new attachment propagates its routes into the default propagation route table. */
  defaultRouteTablePropagation: DefaultRouteTableSetting;
  /**
   * Route through the default route table on purpose: the VPN attachments join it (and, with propagation on,
   * every attachment associated with it learns the on-premises networks). @default false: refused.
   */
  acceptDefaultRouteTable?: boolean;
}

/** The route tables a site's attachments use, as far as the model needs them: which are named. */
interface NamedRouteTables {
  association?: unknown;
  propagation?: Record<string, unknown>;
}

const ENABLE_DISABLE =
  'one of "enable", "disable", as describe-transit-gateways reports it for this transit gateway';

/**
 * Checks VPN attachments to a transit gateway the component did not create. The component cannot see that
 * gateway's options, so `existingTransitGateway` states them; with default association or propagation on, the
 * attachments would join the default route table (on-premises routes reaching every VPC associated with it)
 * unless that is accepted. Unless the default table is accepted, every site needs an association table (an
 * attachment with no association forwards nothing) and BGP sites a propagation table (their routes would reach
 * no table). Static sites' propagation tables are checked by the component (their routes are static routes).
 */
export function checkExistingTransitGateway(
  problems: Problems,
  settings: unknown,
  routeTables: NamedRouteTables | undefined,
  sites: Record<string, { routing?: unknown; routeTables?: NamedRouteTables } | undefined>,
): void {
  if (settings === null || typeof settings !== "object") {
    problems.add(
      "existingTransitGateway",
      settings,
      'the transit gateway\'s options, { defaultRouteTableAssociation, defaultRouteTablePropagation } ("enable" or "disable"): the component cannot see a transit gateway it did not create, and with either on the VPN attachments join its default route table',
    );
    return;
  }
  const s = settings as Partial<Record<keyof ExistingTransitGatewaySettings, unknown>>;
  for (const key of ["defaultRouteTableAssociation", "defaultRouteTablePropagation"] as const)
    if (s[key] !== "enable" && s[key] !== "disable")
      problems.add(`existingTransitGateway.${key}`, s[key], ENABLE_DISABLE);
  if (s.acceptDefaultRouteTable !== undefined && typeof s.acceptDefaultRouteTable !== "boolean")
    problems.add(
      "existingTransitGateway.acceptDefaultRouteTable",
      s.acceptDefaultRouteTable,
      "true or false",
    );
  const accepted = s.acceptDefaultRouteTable === true;
  const accept =
    "turn it off on the transit gateway (modify-transit-gateway), or set existingTransitGateway.acceptDefaultRouteTable: true to route through the default route table on purpose";
  if (s.defaultRouteTablePropagation === "enable" && !accepted)
    problems.add(
      "existingTransitGateway.defaultRouteTablePropagation",
      "enable",
      `every VPN attachment would propagate the on-premises networks into the default route table, and every attachment associated with it could reach them; ${accept}`,
    );
  if (s.defaultRouteTableAssociation === "enable" && !accepted)
    problems.add(
      "existingTransitGateway.defaultRouteTableAssociation",
      "enable",
      `every VPN attachment would be associated with the default route table, reaching whatever it routes to until (and unless) its own association replaces it; ${accept}`,
    );
  const associationByDefault = accepted && s.defaultRouteTableAssociation === "enable";
  const propagationByDefault = accepted && s.defaultRouteTablePropagation === "enable";
  for (const key of Object.keys(sites ?? {}).sort()) {
    const site = sites[key];
    if (site === null || typeof site !== "object") continue;
    const tables = site.routeTables ?? routeTables;
    if (tables?.association === undefined && !associationByDefault)
      problems.add(
        `sites.${key}.routeTables.association`,
        undefined,
        "the transit gateway route table the site's VPN attachments are associated with (here or in routeTables): an attachment with no association forwards nothing",
      );
    if (
      (site.routing ?? "bgp") === "bgp" &&
      Object.keys(tables?.propagation ?? {}).length === 0 &&
      !propagationByDefault
    )
      problems.add(
        `sites.${key}.routeTables.propagation`,
        undefined,
        "the transit gateway route tables that learn this site's networks by BGP propagation (here or in routeTables): with none, nothing routes to the site",
      );
  }
}

/**
 * The warning for a virtual private gateway VPN with no VPC route table to propagate into, or undefined. A VGW
 * reaches the VPC only through routes in its route tables: with none named, the tunnels come up and BGP
 * learns the sites' networks, yet no VPC traffic goes to them (unless routes are added elsewhere). A warning,
 * not a refusal, since a route table owned by another program may carry static routes to the gateway.
 */
export function vgwPropagationWarning(where: string, routeTableIds: unknown): string | undefined {
  const named =
    routeTableIds !== null && typeof routeTableIds === "object" && Object.keys(routeTableIds).length > 0;
  if (named) return undefined;
  return `${where}: routeTableIds names no VPC route table, so the virtual private gateway propagates the on-premises routes nowhere and no VPC traffic reaches the sites; name the route tables (routeTableIds: { private: "rtb-..." }), or add routes to the gateway where those tables are managed`;
}
