/**
 * Plans for VPC peering and transit gateway peering: which side is where (account, region), whether the
 * request can be accepted by its creator, and the routes each side's route tables get toward the other,
 * after checking every AWS rule that can be checked offline. Pure data in, pure data out; the components
 * turn a plan into resources.
 */
import { amazonSideAsnProblem, type Cidr, checkCidr, findOverlaps, type NamedCidr } from "./addressing";
import { type AccountAccessSpec, checkAccountAccess } from "./arns";
import { Problems } from "./errors";
import { accountIdProblem, checkKeyedIds, ec2IdProblem, regionProblem } from "./identifiers";

// ---------------------------------------------------------------------------------------------------
// AWS limits

/** VPC: an IPv4 CIDR block of a VPC is /16 to /28. */
export const VPC_IPV4_PREFIX = { min: 16, max: 28 } as const;
/** VPC: an IPv6 CIDR block of a VPC is /44 to /64 (Amazon-provided blocks are /56). */
export const VPC_IPV6_PREFIX = { min: 44, max: 64 } as const;

/**
 * Why peering is not a transit network, in the words every "not transitive" error uses. VPC peering: a VPC
 * does not forward traffic between two of its peers, nor from a peer to its gateways (internet, NAT, VPN,
 * Direct Connect, gateway endpoints).
 */
export const NOT_TRANSITIVE =
  "peering is not transitive: a VPC does not forward a peer's traffic to its other peers, its VPN, Direct Connect, internet or NAT gateways";

// ---------------------------------------------------------------------------------------------------
// Shared planning

/** One static route a side's route table gets toward the other side. */
export interface PlannedPeeringRoute {
  /** The side whose route table holds the route: "requester"/"accepter" or "local"/"peer". */
  side: string;
  /** The user's key for the route table. */
  tableKey: string;
  /** Destination CIDR, canonical. */
  destination: string;
  /** The destination is IPv6 (a VPC route then uses `destinationIpv6CidrBlock`). */
  ipv6: boolean;
  /** Resource name suffix: `<side>-<tableKey>-<destination with every non-alphanumeric as '-'>`. */
  key: string;
  /** Output key: `<side>:<tableKey>:<destination>`. */
  id: string;
}

/** A CIDR as it may appear in a resource name. */
export function cidrNamePart(cidr: string): string {
  return cidr.replace(/[^A-Za-z0-9]/g, "-");
}

function planRoutes(side: string, tableKeys: readonly string[], destinations: readonly Cidr[]) {
  const routes: PlannedPeeringRoute[] = [];
  for (const tableKey of tableKeys)
    for (const d of destinations)
      routes.push({
        side,
        tableKey,
        destination: d.text,
        ipv6: d.version === 6,
        key: `${side}-${tableKey}-${cidrNamePart(d.text)}`,
        id: `${side}:${tableKey}:${d.text}`,
      });
  return routes;
}

/**
 * Checks a list of networks: at least one, each a CIDR (within `prefixFor(version)` when given), none
 * listed twice. Returns the valid ones, named by path.
 */
function checkNetworks(
  problems: Problems,
  path: string,
  cidrs: unknown,
  what: string,
  prefixFor?: (version: 4 | 6) => { min: number; max: number },
): NamedCidr[] {
  if (!Array.isArray(cidrs) || cidrs.length === 0) {
    problems.add(path, cidrs, `at least one CIDR: ${what}`);
    return [];
  }
  const named: NamedCidr[] = [];
  const seen = new Map<string, string>();
  cidrs.forEach((value, i) => {
    const at = `${path}[${i}]`;
    const version = typeof value === "string" && value.includes(":") ? 6 : 4;
    const bounds = prefixFor?.(version);
    const result = checkCidr(value, bounds ? { minPrefix: bounds.min, maxPrefix: bounds.max } : {});
    if ("problem" in result) {
      problems.add(at, value, bounds ? `${result.problem} (${what})` : result.problem);
      return;
    }
    const first = seen.get(result.cidr.text);
    if (first) problems.add(at, value, `same network as ${first}; list each CIDR once`);
    else {
      seen.set(result.cidr.text, at);
      named.push({ name: at, cidr: result.cidr });
    }
  });
  return named;
}

/** Refuses every overlap between the networks of two sides, at the path of the later one. */
function checkNoOverlapBetween(
  problems: Problems,
  a: readonly NamedCidr[],
  b: readonly NamedCidr[],
  why: string,
): void {
  const inA = new Set(a);
  for (const overlap of findOverlaps([...a, ...b])) {
    const x = inA.has(overlap.a) ? overlap.a : overlap.b;
    const y = x === overlap.a ? overlap.b : overlap.a;
    if (inA.has(x) && !inA.has(y))
      problems.add(y.name, y.cidr.text, `overlaps ${x.cidr.text} (${x.name}); ${why}`);
  }
}

/** Refuses overlaps among the networks of one VPC: a VPC's CIDR blocks never overlap each other. */
function checkNoOverlapWithin(problems: Problems, side: readonly NamedCidr[]): void {
  for (const { a, b } of findOverlaps(side))
    if (a.cidr.text !== b.cidr.text)
      problems.add(
        b.name,
        b.cidr.text,
        `overlaps ${a.cidr.text} (${a.name}); the CIDR blocks of one VPC never overlap, so one of them is not this VPC's`,
      );
}

/** A side's place and access, the fields `checkPlacement` reads (absent ones left out). */
function placed(side: {
  accountId?: unknown;
  region?: unknown;
  access?: AccountAccessSpec;
}): Omit<PlacedSide, "name"> {
  return {
    ...(side.accountId !== undefined ? { accountId: side.accountId } : {}),
    ...(side.region !== undefined ? { region: side.region } : {}),
    ...(side.access !== undefined ? { access: side.access } : {}),
  };
}

interface Placement {
  crossAccount: boolean;
  crossRegion: boolean;
}

/** One side as `checkPlacement` sees it: where it is and the access it gives (a role to assume there). */
interface PlacedSide {
  name: string;
  accountId?: unknown;
  region?: unknown;
  access?: AccountAccessSpec;
}

/**
 * Checks the account ids, regions and accesses of two sides and tells whether the second is elsewhere: a side
 * in another account or Region needs an access (the component makes that side's provider from it), and an
 * access needs a Region to make its provider in (the side's, or the first side's).
 */
function checkPlacement(
  problems: Problems,
  first: PlacedSide,
  second: PlacedSide,
  action: string,
): Placement {
  for (const side of [first, second]) {
    if (side.accountId !== undefined)
      problems.addIf(`${side.name}.accountId`, side.accountId, accountIdProblem(side.accountId));
    if (side.region !== undefined)
      problems.addIf(`${side.name}.region`, side.region, regionProblem(side.region));
    if (side.access !== undefined) {
      checkAccountAccess(
        problems,
        `${side.name}.access`,
        side.access,
        side.accountId !== undefined
          ? { path: `${side.name}.accountId`, accountId: side.accountId }
          : undefined,
      );
      if (side.region === undefined && first.region === undefined)
        problems.add(
          `${side.name}.region`,
          undefined,
          `the ${side.name}'s Region: ${side.name}.access makes a provider in it`,
        );
    }
  }
  const crossAccount = second.accountId !== undefined && second.accountId !== first.accountId;
  const crossRegion = second.region !== undefined && second.region !== first.region;
  if ((crossAccount || crossRegion) && second.access === undefined) {
    const where = [
      crossAccount ? `account ${String(second.accountId)}` : "",
      crossRegion ? `region ${String(second.region)}` : "",
    ]
      .filter(Boolean)
      .join(", ");
    problems.add(
      `${second.name}.access`,
      undefined,
      `the ${second.name} is in ${where}: ${action} with that account's credentials in that region; ` +
        `give ${second.name}.access, the role to assume there ({ roleArn: "arn:aws:iam::<account>:role/<name>" })`,
    );
  }
  return { crossAccount, crossRegion };
}

// ---------------------------------------------------------------------------------------------------
// VPC peering

/** One VPC of a peering connection. */
export interface VpcPeeringSideSpec {
  /** The VPC id. A plain string is checked (`vpc-...`); an Output is taken as is. */
  vpcId: unknown;
  /** Every IPv4 and IPv6 CIDR block of the VPC (IPv4 /16–/28, IPv6 /44–/64). */
  cidrs: string[];
  /** Route tables of this VPC that get routes to the peer, keyed by a stable name. At least one. */
  routeTables: Record<string, unknown>;
  /**
   * Destinations this side's route tables send through the peering: the peer's CIDRs or blocks inside
   * them. Nothing else: peering is not transitive. @default every CIDR of the peer.
   */
  destinations?: string[];
  /** Account of the VPC, 12 digits. @default the requester's account. */
  accountId?: string;
  /** Region of the VPC. @default the requester's region. */
  region?: string;
  /** The role this side's resources are made with (checked by shape and account; see AccountAccessSpec). */
  access?: AccountAccessSpec;
}

export interface VpcPeeringSpec {
  requester: VpcPeeringSideSpec;
  accepter: VpcPeeringSideSpec;
  /** DNS resolution of the peer's private hostnames, on both sides. @default true. */
  dnsResolution?: boolean;
}

export interface VpcPeeringPlan {
  /** The accepter VPC is in another account than the requester. */
  crossAccount: boolean;
  /** The accepter VPC is in another region than the requester. */
  crossRegion: boolean;
  /**
   * The requester accepts its own request. EC2 allows that only within one account and one region;
   * otherwise a VpcPeeringConnectionAccepter on the accepter side accepts it.
   */
  autoAccept: boolean;
  /** `peerOwnerId` of the request: the accepter's account when it is another one. */
  peerOwnerId?: string;
  /** `peerRegion` of the request: the accepter's region when it is another one. */
  peerRegion?: string;
  /** Enable DNS resolution of the peer's private hostnames on both sides. */
  dnsResolution: boolean;
  /** Routes on both sides: requester tables to accepter networks, and accepter tables to requester networks. */
  routes: PlannedPeeringRoute[];
}

const VPC_PREFIX = (version: 4 | 6) => (version === 4 ? VPC_IPV4_PREFIX : VPC_IPV6_PREFIX);
const VPC_CIDR_RULE = `a CIDR block of the VPC: IPv4 /${VPC_IPV4_PREFIX.min}–/${VPC_IPV4_PREFIX.max}, IPv6 /${VPC_IPV6_PREFIX.min}–/${VPC_IPV6_PREFIX.max}`;

/** Checks `destinations` against the peer's networks; returns the destinations to route to. */
function checkDestinations(
  problems: Problems,
  side: "requester" | "accepter",
  peer: "requester" | "accepter",
  given: unknown,
  peerNetworks: readonly NamedCidr[],
): Cidr[] {
  if (given === undefined) return peerNetworks.map((n) => n.cidr);
  const path = `${side}.destinations`;
  if (!Array.isArray(given) || given.length === 0) {
    problems.add(path, given, `at least one of the ${peer}'s CIDRs, or leave it out to route to all of them`);
    return [];
  }
  const peerList = peerNetworks.map((n) => n.cidr.text).join(", ") || "none valid";
  const out: Cidr[] = [];
  const seen = new Map<string, string>();
  given.forEach((value, i) => {
    const at = `${path}[${i}]`;
    const result = checkCidr(value);
    if ("problem" in result) {
      problems.add(at, value, result.problem);
      return;
    }
    const cidr = result.cidr;
    const inside = peerNetworks.some(
      (n) => n.cidr.version === cidr.version && n.cidr.first <= cidr.first && cidr.last <= n.cidr.last,
    );
    if (!inside) {
      if (peerNetworks.length)
        problems.add(
          at,
          value,
          `${NOT_TRANSITIVE}; traffic to ${cidr.text} does not go through the ${peer}: route only to the ${peer}'s own CIDRs (${peerList}) or blocks inside them`,
        );
      return;
    }
    const first = seen.get(cidr.text);
    if (first) problems.add(at, value, `same destination as ${first}; list each destination once`);
    else {
      seen.set(cidr.text, at);
      out.push(cidr);
    }
  });
  return out;
}

/**
 * Plans a VPC peering connection. Collects every problem and throws one ValidationError naming `where`;
 * returns the plan only when all arguments are valid.
 */
export function planVpcPeering(where: string, spec: VpcPeeringSpec): VpcPeeringPlan {
  const problems = new Problems();
  const requester = (spec?.requester ?? {}) as Partial<VpcPeeringSideSpec>;
  const accepter = (spec?.accepter ?? {}) as Partial<VpcPeeringSideSpec>;
  if (spec?.requester === undefined) problems.add("requester", undefined, "{ vpcId, cidrs, routeTables }");
  if (spec?.accepter === undefined) problems.add("accepter", undefined, "{ vpcId, cidrs, routeTables }");

  const networks: Record<"requester" | "accepter", NamedCidr[]> = { requester: [], accepter: [] };
  const tables: Record<"requester" | "accepter", string[]> = { requester: [], accepter: [] };
  for (const [sideName, side] of [
    ["requester", requester],
    ["accepter", accepter],
  ] as const) {
    if (side.vpcId === undefined || side.vpcId === null)
      problems.add(`${sideName}.vpcId`, side.vpcId, "the VPC id (vpc-...) or an Output of one");
    else problems.addIf(`${sideName}.vpcId`, side.vpcId, ec2IdProblem("vpc", side.vpcId));
    networks[sideName] = checkNetworks(problems, `${sideName}.cidrs`, side.cidrs, VPC_CIDR_RULE, VPC_PREFIX);
    checkNoOverlapWithin(problems, networks[sideName]);
    tables[sideName] = checkKeyedIds(
      problems,
      `${sideName}.routeTables`,
      side.routeTables,
      "rtb",
      "route table",
      "traffic needs a route on both sides of a peering",
    );
  }
  const placement = checkPlacement(
    problems,
    { name: "requester", ...placed(requester) },
    { name: "accepter", ...placed(accepter) },
    "the request is accepted, and the accepter's DNS option and routes are set,",
  );
  if (spec?.dnsResolution !== undefined && typeof spec.dnsResolution !== "boolean")
    problems.add("dnsResolution", spec.dnsResolution, "true or false");

  // A VPC cannot peer with itself: the same id, or (ids unknown yet) the same place and the same networks.
  const sameId =
    typeof requester.vpcId === "string" && requester.vpcId === accepter.vpcId && requester.vpcId !== "";
  const samePlace = !placement.crossAccount && !placement.crossRegion;
  const key = (list: NamedCidr[]) =>
    list
      .map((n) => n.cidr.text)
      .sort()
      .join(",");
  const sameNetworks =
    networks.requester.length > 0 && key(networks.requester) === key(networks.accepter) && samePlace;
  if (sameId)
    problems.add(
      "accepter.vpcId",
      accepter.vpcId,
      "same VPC as requester.vpcId; a VPC cannot peer with itself: give another VPC",
    );
  else if (sameNetworks)
    problems.add(
      "accepter.cidrs",
      accepter.cidrs,
      "the same CIDRs as requester.cidrs in the same account and region: this is the same VPC, and a VPC cannot peer with itself",
    );
  if (!sameId && !sameNetworks)
    checkNoOverlapBetween(
      problems,
      networks.requester,
      networks.accepter,
      "AWS cannot create a peering connection between VPCs with matching or overlapping CIDR blocks",
    );

  const toAccepter = checkDestinations(
    problems,
    "requester",
    "accepter",
    requester.destinations,
    networks.accepter,
  );
  const toRequester = checkDestinations(
    problems,
    "accepter",
    "requester",
    accepter.destinations,
    networks.requester,
  );

  problems.throwIfAny(where);

  return {
    ...placement,
    autoAccept: samePlace,
    ...(placement.crossAccount ? { peerOwnerId: accepter.accountId } : {}),
    ...(placement.crossRegion ? { peerRegion: accepter.region } : {}),
    dnsResolution: spec.dnsResolution ?? true,
    routes: [
      ...planRoutes("requester", tables.requester, toAccepter),
      ...planRoutes("accepter", tables.accepter, toRequester),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------
// Transit gateway peering

/** One transit gateway of a peering attachment. */
export interface TransitGatewayPeeringSideSpec {
  /** The transit gateway id. A plain string is checked (`tgw-...`); an Output is taken as is. */
  transitGatewayId: unknown;
  /** Region of the transit gateway. */
  region: string;
  /** Account of the transit gateway, 12 digits. @default the local side's account. */
  accountId?: string;
  /**
   * Amazon side ASN of the transit gateway, checked as a private ASN. AWS recommends (does not require) a
   * different ASN on each peered transit gateway, ready for dynamic routing over peering.
   */
  amazonSideAsn?: number;
  /** Networks reached through this transit gateway (its VPCs, on-premises prefixes): the other side routes to them. */
  cidrs: string[];
  /** Transit gateway route table the peering attachment is associated with on this side. */
  associationRouteTableId: unknown;
  /** Transit gateway route tables that get static routes to the other side's networks, keyed by a stable name. */
  routeTables: Record<string, unknown>;
  /**
   * By key of `routeTables`, the other side's networks that table routes to (each one of the other side's
   * `cidrs`): segmentation over one peering, since every table of a side would otherwise reach everything.
   * @default every network of the other side, for every table.
   */
  destinations?: Record<string, string[]>;
  /** The role this side's resources are made with (checked by shape and account; see AccountAccessSpec). */
  access?: AccountAccessSpec;
}

export interface TransitGatewayPeeringSpec {
  local: TransitGatewayPeeringSideSpec;
  peer: TransitGatewayPeeringSideSpec;
}

export interface TransitGatewayPeeringPlan {
  /** The peer transit gateway is in another account. */
  crossAccount: boolean;
  /** The peer transit gateway is in another region (intra-region peering is allowed too). */
  crossRegion: boolean;
  /** `peerRegion` of the attachment (always set: the API requires it). */
  peerRegion: string;
  /** `peerAccountId` of the attachment: the peer's account when it is another one. */
  peerAccountId?: string;
  /** Static routes on both sides: local tables to peer networks, peer tables to local networks. */
  routes: PlannedPeeringRoute[];
}

/**
 * Plans a transit gateway peering attachment. Collects every problem and throws one ValidationError
 * naming `where`; returns the plan only when all arguments are valid.
 */
export function planTransitGatewayPeering(
  where: string,
  spec: TransitGatewayPeeringSpec,
): TransitGatewayPeeringPlan {
  const problems = new Problems();
  const local = (spec?.local ?? {}) as Partial<TransitGatewayPeeringSideSpec>;
  const peer = (spec?.peer ?? {}) as Partial<TransitGatewayPeeringSideSpec>;
  const sideShape = "{ transitGatewayId, region, cidrs, associationRouteTableId, routeTables }";
  if (spec?.local === undefined) problems.add("local", undefined, sideShape);
  if (spec?.peer === undefined) problems.add("peer", undefined, sideShape);

  const networks: Record<"local" | "peer", NamedCidr[]> = { local: [], peer: [] };
  const tables: Record<"local" | "peer", string[]> = { local: [], peer: [] };
  for (const [sideName, side] of [
    ["local", local],
    ["peer", peer],
  ] as const) {
    if (side.transitGatewayId === undefined || side.transitGatewayId === null)
      problems.add(
        `${sideName}.transitGatewayId`,
        side.transitGatewayId,
        "the transit gateway id (tgw-...) or an Output of one",
      );
    else
      problems.addIf(
        `${sideName}.transitGatewayId`,
        side.transitGatewayId,
        ec2IdProblem("tgw", side.transitGatewayId),
      );
    if (side.region === undefined)
      problems.add(`${sideName}.region`, undefined, 'the region of the transit gateway, e.g. "us-east-1"');
    if (side.amazonSideAsn !== undefined)
      problems.addIf(
        `${sideName}.amazonSideAsn`,
        side.amazonSideAsn,
        amazonSideAsnProblem(side.amazonSideAsn),
      );
    networks[sideName] = checkNetworks(
      problems,
      `${sideName}.cidrs`,
      side.cidrs,
      `the networks reached through the ${sideName} transit gateway`,
    );
    if (side.associationRouteTableId === undefined || side.associationRouteTableId === null)
      problems.add(
        `${sideName}.associationRouteTableId`,
        side.associationRouteTableId,
        "the transit gateway route table (tgw-rtb-...) the peering attachment is associated with on this side",
      );
    else
      problems.addIf(
        `${sideName}.associationRouteTableId`,
        side.associationRouteTableId,
        ec2IdProblem("tgw-rtb", side.associationRouteTableId),
      );
    tables[sideName] = checkKeyedIds(
      problems,
      `${sideName}.routeTables`,
      side.routeTables,
      "tgw-rtb",
      "transit gateway route table",
      "a peering attachment carries only static routes, so each side needs one",
    );
  }
  const placement = checkPlacement(
    problems,
    { name: "local", ...placed(local) },
    { name: "peer", ...placed(peer) },
    "the attachment is accepted, and the peer's association and routes are made,",
  );
  if (
    typeof local.transitGatewayId === "string" &&
    local.transitGatewayId !== "" &&
    local.transitGatewayId === peer.transitGatewayId
  )
    problems.add(
      "peer.transitGatewayId",
      peer.transitGatewayId,
      "same transit gateway as local.transitGatewayId; a transit gateway cannot peer with itself (peering in one region is allowed, between two transit gateways)",
    );
  checkNoOverlapBetween(
    problems,
    networks.local,
    networks.peer,
    "the two sides of a peering must not share addresses: a static route to the peer would shadow, or be shadowed by, a local network",
  );
  const routes = [
    ...tableRoutes(problems, "local", local, tables.local, networks.peer),
    ...tableRoutes(problems, "peer", peer, tables.peer, networks.local),
  ];

  problems.throwIfAny(where);

  return {
    ...placement,
    peerRegion: peer.region as string,
    ...(placement.crossAccount ? { peerAccountId: peer.accountId } : {}),
    routes,
  };
}

/**
 * The static routes of one side of a transit gateway peering: each table to the networks its `destinations`
 * entry names (each must be one of the other side's), or to every one. Records a problem for a destination the
 * other side does not have, a table key `destinations` names that is not a route table, or an empty entry.
 */
function tableRoutes(
  problems: Problems,
  sideName: "local" | "peer",
  side: Partial<TransitGatewayPeeringSideSpec>,
  tables: readonly string[],
  other: readonly NamedCidr[],
): PlannedPeeringRoute[] {
  const chosen = side.destinations;
  if (chosen === undefined)
    return planRoutes(
      sideName,
      tables,
      other.map((n) => n.cidr),
    );
  const otherSide = sideName === "local" ? "peer" : "local";
  const routes: PlannedPeeringRoute[] = [];
  for (const [table, cidrs] of Object.entries(chosen ?? {})) {
    const at = `${sideName}.destinations.${table}`;
    if (!tables.includes(table)) {
      problems.add(at, table, `a key of ${sideName}.routeTables (${tables.join(", ")})`);
      continue;
    }
    if (!Array.isArray(cidrs) || cidrs.length === 0) {
      problems.add(
        at,
        cidrs,
        `at least one of ${otherSide}.cidrs, or leave the table out of ${sideName}.routeTables`,
      );
      continue;
    }
    const picked: Cidr[] = [];
    cidrs.forEach((text, i) => {
      const parsed = checkCidr(text);
      const match = "cidr" in parsed ? other.find((n) => n.cidr.text === parsed.cidr.text) : undefined;
      if (match) picked.push(match.cidr);
      else
        problems.add(
          `${at}[${i}]`,
          text,
          `one of ${otherSide}.cidrs (${other.map((n) => n.cidr.text).join(", ")})`,
        );
    });
    routes.push(...planRoutes(sideName, [table], picked));
  }
  for (const table of tables)
    if (!(table in chosen))
      problems.add(`${sideName}.destinations`, chosen, `an entry for every route table: ${table} has none`);
  return routes;
}
