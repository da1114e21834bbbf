/**
 * Transit gateway segmentation: a declarative segment policy, and the plan it yields for every segment
 * (the route table its attachments associate with, the segment route tables they propagate into, its
 * blackhole routes), the RAM principals a hub is shared with, and the rules of a VPC attachment (subnets
 * per Availability Zone, routes toward the transit gateway). Pure data in, pure data out; the components
 * turn a plan into resources.
 *
 * The policy, in the terms of the AWS whitepaper's route-table segmentation:
 * - each segment has one transit gateway route table; every attachment of the segment is associated with
 *   it, so that table decides where the segment's traffic can go;
 * - `reaches` is symmetric: A reaches B means A's attachments propagate into B's table and B's into A's
 *   (traffic needs a route both ways), whichever side lists the other;
 * - `isolated: true` keeps a segment's attachments from propagating into their own segment's table, so
 *   they do not reach each other (production VPCs that must talk only through shared services);
 * - nothing else propagates anywhere: a segment reaches exactly what the policy says.
 */
import {
  amazonSideAsnProblem,
  type Cidr,
  checkCidr,
  cidrsOverlap,
  DEFAULT_AMAZON_SIDE_ASN,
  type IpVersion,
  parseCidr,
} from "./addressing";
import { Problems } from "./errors";
import { accountIdProblem, checkKeyedIds, ec2IdProblem, organizationIdProblem } from "./identifiers";
import { checkResourceKeys, RESOURCE_KEY, RESOURCE_KEY_RULE } from "./names";
import { checkZonalSubnets, type ZonalSubnet } from "./subnets";

/** Transit Gateway quota: 20 route tables per transit gateway (adjustable). */
export const DEFAULT_ROUTE_TABLE_QUOTA = 20;
/** Transit Gateway quota: 10,000 static routes per transit gateway, over all its route tables (blackholes count). */
export const MAX_STATIC_ROUTES_PER_TRANSIT_GATEWAY = 10000;
/**
 * hybridnet rule: a VPC attachment spans at least two Availability Zones. The transit gateway reaches a
 * VPC only through the AZs of its attachment subnets, so a single-AZ attachment fails with that AZ.
 */
export const MIN_ATTACHMENT_AZS = 2;

/** One segment of a transit gateway: a route table and the attachments associated with it. */
export interface SegmentSpec {
  /**
   * Attachments of this segment do not propagate into the segment's own route table, so they do not reach
   * each other (they still reach, and are reached from, the segments in `reaches`). @default false.
   */
  isolated?: boolean;
  /**
   * Segments this one exchanges routes with. Symmetric: listing B under A is the same as listing A under B
   * (A's attachments propagate into B's table and B's into A's). Not the segment itself (that is what
   * `isolated: false` means). @default none.
   */
  reaches?: string[];
  /**
   * CIDRs (IPv4 or IPv6) this segment's route table drops: one static blackhole route each. Counts
   * toward the 10,000 static routes per transit gateway. @default none.
   */
  blackholes?: string[];
}

/** A segment as the policy resolves it. Lists are sorted, so a plan is the same on every machine. */
export interface ResolvedSegment {
  key: string;
  isolated: boolean;
  /** Segments this one exchanges routes with, in both directions (the symmetric closure of `reaches`). */
  reaches: string[];
  /**
   * Segments whose route tables this segment's attachments propagate into: its own unless isolated, and
   * every segment it reaches.
   */
  propagatesTo: string[];
  /** Blackhole CIDRs in canonical form. */
  blackholes: string[];
}

/** A RAM principal a transit gateway is shared with. */
export interface PlannedPrincipal {
  /** Name-safe key derived from the principal (account id, `o-...` or `ou-...`), used in resource names. */
  key: string;
  principal: string;
  kind: "account" | "organization" | "organizationalUnit";
}

export interface TransitGatewayHubPlan {
  amazonSideAsn: number;
  /** Segments by key, in key order. */
  segments: Record<string, ResolvedSegment>;
  principals: PlannedPrincipal[];
}

export interface TransitGatewayHubPlanInput {
  amazonSideAsn?: number;
  segments: Record<string, SegmentSpec>;
  /** RAM principals: 12-digit account ids, organization ARNs, OU ARNs. */
  principals?: string[];
  /** Route tables per transit gateway the account may create, if raised above 20. */
  routeTableQuota?: number;
  /** CIDR blocks of the transit gateway (for private IP VPN outside addresses). */
  transitGatewayCidrBlocks?: string[];
}

/** Transit gateway CIDR blocks: IPv4 /24 or larger, IPv6 /64 or larger (CreateTransitGateway). */
export const TGW_CIDR_MAX_PREFIX: Record<IpVersion, number> = { 4: 24, 6: 64 };
/** Transit Gateway quotas: 5 CIDR blocks per transit gateway (not adjustable). */
export const MAX_TGW_CIDR_BLOCKS = 5;
/** Transit Gateway guide: a transit gateway CIDR block may be any range except 169.254.0.0/16 (link-local). */
const TGW_CIDR_EXCLUDED = parseCidr("169.254.0.0/16");

/**
 * Checks a transit gateway's CIDR blocks (where AWS takes the private outside addresses of a private IP VPN
 * over Direct Connect, and Connect peer addresses): CIDRs of the allowed sizes, at least one IPv4 block.
 * Returns the valid blocks in the order given, or [] when any is invalid.
 */
export function checkTransitGatewayCidrBlocks(
  problems: Problems,
  path: string,
  value: unknown,
  required: boolean,
): Cidr[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(
      path,
      value,
      "the transit gateway's CIDR blocks: AWS takes the VPN's private outside addresses from an IPv4 block",
    );
    return [];
  }
  const blocks: Cidr[] = [];
  value.forEach((b, i) => {
    const result = checkCidr(b);
    if ("problem" in result) problems.add(`${path}[${i}]`, b, result.problem);
    else if (result.cidr.prefix > TGW_CIDR_MAX_PREFIX[result.cidr.version])
      problems.add(
        `${path}[${i}]`,
        b,
        `a transit gateway CIDR block is /${TGW_CIDR_MAX_PREFIX[4]} or larger (IPv4), /${TGW_CIDR_MAX_PREFIX[6]} or larger (IPv6)`,
      );
    else if (cidrsOverlap(result.cidr, TGW_CIDR_EXCLUDED))
      problems.add(
        `${path}[${i}]`,
        b,
        `a transit gateway CIDR block is not from ${TGW_CIDR_EXCLUDED.text} (link-local, where AWS keeps tunnel inside addresses); use a private or public range your networks do not use`,
      );
    else blocks.push(result.cidr);
  });
  if (value.length > MAX_TGW_CIDR_BLOCKS)
    problems.add(
      path,
      value,
      `at most ${MAX_TGW_CIDR_BLOCKS} CIDR blocks per transit gateway (AWS quota, not adjustable); use larger blocks`,
    );
  if (blocks.length !== value.length) return [];
  if (!blocks.some((b) => b.version === 4))
    problems.add(path, value, "at least one IPv4 block: the private outside addresses are IPv4");
  return blocks;
}

/** Locale-independent string order, so a plan is the same on every machine. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Segment names in a message: `"prod", "shared"`. */
function quoted(names: readonly string[]): string {
  return names.map((n) => JSON.stringify(n)).join(", ");
}

/**
 * Checks a segment policy and resolves it, recording every problem under `path`. Returns the segments
 * that could be resolved (all of them when nothing was recorded).
 */
export function resolveSegments(
  problems: Problems,
  segments: Record<string, SegmentSpec> | undefined,
  path = "segments",
): Record<string, ResolvedSegment> {
  if (segments === null || typeof segments !== "object" || Object.keys(segments).length === 0) {
    problems.add(
      path,
      segments,
      "at least one segment, keyed by a stable name ({ shared: {}, prod: { ... } })",
    );
    return {};
  }
  checkResourceKeys(problems, path, segments);
  const keys = Object.keys(segments).sort(byCodeUnit);
  const known = new Set(keys);
  const reach = new Map<string, Set<string>>(keys.map((k) => [k, new Set<string>()]));
  const blackholes = new Map<string, string[]>();
  let staticRoutes = 0;

  for (const key of keys) {
    const spec = segments[key];
    const at = `${path}.${key}`;
    if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
      problems.add(at, spec, "a segment: { isolated?, reaches?, blackholes? } ({} for defaults)");
      continue;
    }
    if (spec.isolated !== undefined && typeof spec.isolated !== "boolean")
      problems.add(`${at}.isolated`, spec.isolated, "true or false");
    if (spec.reaches !== undefined && !Array.isArray(spec.reaches))
      problems.add(`${at}.reaches`, spec.reaches, "a list of segment names");
    else {
      const seen = new Set<string>();
      (spec.reaches ?? []).forEach((other, i) => {
        const p = `${at}.reaches[${i}]`;
        if (typeof other !== "string" || !known.has(other))
          problems.add(p, other, `not a segment of this policy; use one of ${quoted(keys)}`);
        else if (other === key)
          problems.add(
            p,
            other,
            "a segment cannot reach itself; its attachments reach each other unless it is isolated: true",
          );
        else if (seen.has(other)) problems.add(p, other, "listed twice; list each segment once");
        else {
          seen.add(other);
          reach.get(key)!.add(other);
          reach.get(other)!.add(key);
        }
      });
    }
    if (spec.blackholes !== undefined && !Array.isArray(spec.blackholes))
      problems.add(`${at}.blackholes`, spec.blackholes, "a list of CIDRs");
    else {
      const texts: string[] = [];
      const seen = new Set<string>();
      (spec.blackholes ?? []).forEach((value, i) => {
        const p = `${at}.blackholes[${i}]`;
        const result = checkCidr(value);
        if ("problem" in result) problems.add(p, value, result.problem);
        else if (seen.has(result.cidr.text))
          problems.add(p, value, "listed twice; list each blackhole CIDR once");
        else {
          seen.add(result.cidr.text);
          texts.push(result.cidr.text);
        }
      });
      blackholes.set(key, texts);
      staticRoutes += texts.length;
    }
  }
  if (staticRoutes > MAX_STATIC_ROUTES_PER_TRANSIT_GATEWAY)
    problems.add(
      path,
      `${staticRoutes} blackhole routes`,
      `at most ${MAX_STATIC_ROUTES_PER_TRANSIT_GATEWAY} static routes per transit gateway (AWS quota); summarize the CIDRs`,
    );

  const resolved: Record<string, ResolvedSegment> = {};
  for (const key of keys) {
    const spec = segments[key];
    if (spec === null || typeof spec !== "object") continue;
    const isolated = spec.isolated === true;
    const reaches = [...reach.get(key)!].sort(byCodeUnit);
    resolved[key] = {
      key,
      isolated,
      reaches,
      propagatesTo: [...(isolated ? [] : [key]), ...reaches].sort(byCodeUnit),
      blackholes: blackholes.get(key) ?? [],
    };
  }
  return resolved;
}

// ---------------------------------------------------------------------------------------------------
// RAM principals

const PARTITION = "aws(?:-cn|-us-gov)?";
/** Organizations ARNs name the management account and the organization id (checked by model/identifiers). */
const ORGANIZATION_ARN = new RegExp(`^arn:${PARTITION}:organizations::(\\d{12}):organization/([^/]+)$`);
/** AWS Organizations: an OU id is `ou-`, 4–32 characters of its root's id, `-`, 8–32 lower-case letters or digits. */
const OU_ARN = new RegExp(
  `^arn:${PARTITION}:organizations::(\\d{12}):ou/([^/]+)/(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})$`,
);
export const PRINCIPAL_RULE =
  "a 12-digit account id, an organization ARN (arn:aws:organizations::<account>:organization/o-...) or " +
  "an OU ARN (arn:aws:organizations::<account>:ou/o-.../ou-...)";

/** The principal a transit gateway can be shared with through RAM, or the reason it cannot. */
export function checkPrincipal(value: unknown): PlannedPrincipal | { problem: string } {
  if (typeof value !== "string") return { problem: PRINCIPAL_RULE };
  if (accountIdProblem(value) === undefined) return { key: value, principal: value, kind: "account" };
  const org = ORGANIZATION_ARN.exec(value);
  if (org && organizationIdProblem(org[2]) === undefined)
    return { key: org[2], principal: value, kind: "organization" };
  const ou = OU_ARN.exec(value);
  if (ou && organizationIdProblem(ou[2]) === undefined)
    return { key: ou[3], principal: value, kind: "organizationalUnit" };
  return { problem: PRINCIPAL_RULE };
}

function checkPrincipals(problems: Problems, principals: unknown): PlannedPrincipal[] {
  if (principals === undefined) return [];
  if (!Array.isArray(principals)) {
    problems.add("principals", principals, `a list of principals: ${PRINCIPAL_RULE}`);
    return [];
  }
  const planned: PlannedPrincipal[] = [];
  principals.forEach((value, i) => {
    const result = checkPrincipal(value);
    if ("problem" in result) problems.add(`principals[${i}]`, value, result.problem);
    else if (planned.some((p) => p.key === result.key))
      problems.add(`principals[${i}]`, value, "listed twice; list each principal once");
    else planned.push(result);
  });
  return planned.sort((a, b) => byCodeUnit(a.key, b.key));
}

/**
 * Plans a transit gateway hub: its Amazon side ASN, its segments and the RAM principals it is shared
 * with. Collects every problem and throws one ValidationError naming `where`.
 */
export function planTransitGatewayHub(
  where: string,
  input: TransitGatewayHubPlanInput,
): TransitGatewayHubPlan {
  const problems = new Problems();
  if (input.amazonSideAsn !== undefined)
    problems.addIf("amazonSideAsn", input.amazonSideAsn, amazonSideAsnProblem(input.amazonSideAsn));
  const quota = input.routeTableQuota ?? DEFAULT_ROUTE_TABLE_QUOTA;
  if (!Number.isInteger(quota) || quota < 1)
    problems.add(
      "routeTableQuota",
      input.routeTableQuota,
      "a positive integer: your route tables per transit gateway quota",
    );
  const segments = resolveSegments(problems, input.segments);
  const count = Object.keys(input.segments ?? {}).length;
  if (Number.isInteger(quota) && count > quota)
    problems.add(
      "segments",
      `${count} segments`,
      `one route table per segment, and a transit gateway has at most ${quota} route tables (AWS quota, adjustable); raise the quota and set routeTableQuota`,
    );
  const principals = checkPrincipals(problems, input.principals);
  checkTransitGatewayCidrBlocks(problems, "transitGatewayCidrBlocks", input.transitGatewayCidrBlocks, false);
  problems.throwIfAny(where);
  return { amazonSideAsn: input.amazonSideAsn ?? DEFAULT_AMAZON_SIDE_ASN, segments, principals };
}

/** Resolves a segment policy on its own (for a stack that attaches to a hub planned elsewhere). */
export function planSegments(
  where: string,
  segments: Record<string, SegmentSpec>,
): Record<string, ResolvedSegment> {
  const problems = new Problems();
  const resolved = resolveSegments(problems, segments);
  problems.throwIfAny(where);
  return resolved;
}

// ---------------------------------------------------------------------------------------------------
// Attachments

/** What an attachment needs to know about the hub's segments: their names and where each propagates. */
export interface SegmentRoutingSpec {
  propagatesTo: string[];
}

/** The association and propagations the policy implies for one attachment. */
export interface AttachmentRouting {
  /** The segment whose route table the attachment is associated with. */
  segment: string;
  /** The segments whose route tables the attachment propagates into. */
  propagatesTo: string[];
}

/**
 * The route tables an attachment of `segment` associates with and propagates into, checking that the
 * segment data is consistent; records problems at `path` (the segment) and `segmentsPath`.
 */
export function attachmentRouting(
  problems: Problems,
  segment: unknown,
  segments: Record<string, SegmentRoutingSpec | undefined> | undefined,
  path = "segment",
  segmentsPath = "segments",
): AttachmentRouting | undefined {
  if (segments === null || typeof segments !== "object" || Object.keys(segments).length === 0) {
    problems.add(segmentsPath, segments, "the hub's segments: { <segment>: { routeTableId, propagatesTo } }");
    return undefined;
  }
  const keys = Object.keys(segments).sort(byCodeUnit);
  if (typeof segment !== "string" || !(segment in segments)) {
    problems.add(path, segment, `not a segment of the hub; use one of ${quoted(keys)}`);
    return undefined;
  }
  const propagatesTo = segments[segment]?.propagatesTo;
  if (!Array.isArray(propagatesTo)) {
    problems.add(`${segmentsPath}.${segment}.propagatesTo`, propagatesTo, "a list of segment names");
    return undefined;
  }
  let ok = true;
  propagatesTo.forEach((target, i) => {
    if (typeof target !== "string" || !(target in segments)) {
      problems.add(
        `${segmentsPath}.${segment}.propagatesTo[${i}]`,
        target,
        `not a segment of the hub; use one of ${quoted(keys)}`,
      );
      ok = false;
    }
  });
  if (!ok) return undefined;
  return { segment, propagatesTo: [...new Set(propagatesTo)].sort(byCodeUnit) };
}

/** A hub segment as an existing attachment's association needs it: its route table and where it propagates. */
export interface AssociationSegmentSpec extends SegmentRoutingSpec {
  /** Transit gateway route table id (`tgw-rtb-...`): a plain string is checked, an Output taken as is. */
  routeTableId: unknown;
}

/** What TransitGatewayAssociation plans from. */
export interface TransitGatewayAssociationSpec {
  /** The existing attachment (`tgw-attach-...`): a plain string is checked, an Output taken as is. */
  attachmentId: unknown;
  /** The segment the attachment belongs to: a key of `segments`. */
  segment: unknown;
  /** The hub's segments, keyed by segment name. */
  segments: Record<string, AssociationSegmentSpec | undefined> | undefined;
}

/**
 * Plans the association of an existing attachment (VPN, peering, Direct Connect gateway, Connect) with one
 * segment of a hub: checks the attachment id, the segment against the hub's segments and each segment's
 * route table id. Collects every problem and throws one ValidationError naming `where`.
 */
export function planTransitGatewayAssociation(
  where: string,
  spec: TransitGatewayAssociationSpec,
): AttachmentRouting {
  const problems = new Problems();
  const attachmentId = spec?.attachmentId;
  if (attachmentId === undefined || attachmentId === null || attachmentId === "")
    problems.add("attachmentId", attachmentId, "the attachment id (tgw-attach-...), or an Output of one");
  else problems.addIf("attachmentId", attachmentId, ec2IdProblem("tgw-attach", attachmentId));
  const segments = spec?.segments;
  const routing = attachmentRouting(problems, spec?.segment, segments);
  if (segments !== null && typeof segments === "object")
    for (const key of Object.keys(segments).sort(byCodeUnit)) {
      const id = segments[key]?.routeTableId;
      if (id === undefined || id === null || id === "")
        problems.add(
          `segments.${key}.routeTableId`,
          id,
          "the segment's transit gateway route table id (tgw-rtb-...), or an Output of one",
        );
      else problems.addIf(`segments.${key}.routeTableId`, id, ec2IdProblem("tgw-rtb", id));
    }
  problems.throwIfAny(where);
  return routing!;
}

/**
 * A subnet of a VPC attachment: the Availability Zone it is in is plain data, so the rules run first
 * (model/subnets); the id may be an Output.
 */
export interface AttachmentSubnetSpec extends ZonalSubnet {}

/** A route toward the transit gateway in one VPC route table. */
export interface PlannedVpcRoute {
  /** Key in resource names: `<table>-<cidr with '.', ':' and '/' as '-'>`. */
  key: string;
  table: string;
  destination: string;
  version: 4 | 6;
}

export interface VpcAttachmentPlan extends AttachmentRouting {
  /** Availability Zones of the attachment subnets, in the order given. */
  availabilityZones: string[];
  routes: PlannedVpcRoute[];
}

export interface VpcAttachmentPlanInput {
  /** The VPC id; a plain string is checked, an Output is not. */
  vpcId: unknown;
  /** The transit gateway id; a plain string is checked, an Output is not. */
  transitGatewayId: unknown;
  subnets: AttachmentSubnetSpec[];
  segment: string;
  segments: Record<string, SegmentRoutingSpec | undefined>;
  /** VPC route tables that get routes toward the transit gateway, by key. */
  routeTables?: Record<string, unknown>;
  destinations?: string[];
  ipv6Support?: boolean;
}

/** Availability Zone ids (`use1-az1`) as opposed to names (`us-east-1a`). */
const AZ_ID = /-az\d{1,2}$/;

/** A CIDR as it may appear in a resource name. */
export function cidrNameSafe(cidr: string): string {
  return cidr.replace(/[./:]/g, "-");
}

/**
 * Plans a VPC attachment: checks its subnets (at least two AZs, at most one subnet per AZ), its segment
 * against the hub's segments, and its routes toward the transit gateway. Collects every problem and
 * throws one ValidationError naming `where`; `extra` records problems of the component's own arguments.
 */
export function planVpcAttachment(
  where: string,
  input: VpcAttachmentPlanInput,
  extra?: (problems: Problems) => void,
): VpcAttachmentPlan {
  const problems = new Problems();
  for (const [field, prefix] of [
    ["vpcId", "vpc"],
    ["transitGatewayId", "tgw"],
  ] as const) {
    const value = input[field];
    if (value === undefined || value === null || value === "")
      problems.add(field, value, `the ${prefix} id (${prefix}-...), or an Output of one`);
    else problems.addIf(field, value, ec2IdProblem(prefix, value));
  }
  // AWS: one subnet per AZ; hybridnet: at least two AZs, as the transit gateway reaches the VPC only
  // through the AZs of its attachment subnets.
  const checked = checkZonalSubnets(problems, "subnets", input.subnets, {
    what: "a transit gateway VPC attachment",
    minZones: MIN_ATTACHMENT_AZS,
  });
  const azs = checked.map((s) => s.availabilityZone);
  if (new Set(azs.map((az) => AZ_ID.test(az))).size > 1)
    problems.add(
      "subnets",
      azs,
      "AZ names and AZ ids mixed; use one form, so two subnets in one AZ cannot go unnoticed",
    );

  const routing = attachmentRouting(problems, input.segment, input.segments);

  const routeTables = input.routeTables;
  if (routeTables !== undefined)
    checkKeyedIds(
      problems,
      "routeTables",
      routeTables,
      "rtb",
      "route table",
      "the VPC route tables that get routes toward the transit gateway",
    );
  const destinations: { text: string; version: 4 | 6 }[] = [];
  if (input.destinations !== undefined && !Array.isArray(input.destinations))
    problems.add("destinations", input.destinations, "a list of CIDRs routed toward the transit gateway");
  else
    (input.destinations ?? []).forEach((value, i) => {
      const result = checkCidr(value);
      if ("problem" in result) problems.add(`destinations[${i}]`, value, result.problem);
      else if (destinations.some((d) => d.text === result.cidr.text))
        problems.add(`destinations[${i}]`, value, "listed twice; list each destination once");
      else {
        if (result.cidr.version === 6 && input.ipv6Support !== true)
          problems.add(
            `destinations[${i}]`,
            value,
            "an IPv6 destination needs ipv6Support: true on the attachment (and IPv6 CIDRs on its subnets)",
          );
        destinations.push({ text: result.cidr.text, version: result.cidr.version });
      }
    });
  const tableKeys =
    routeTables !== null && typeof routeTables === "object" ? Object.keys(routeTables).sort(byCodeUnit) : [];
  if (tableKeys.length > 0 && destinations.length === 0 && (input.destinations ?? []).length === 0)
    problems.add(
      "destinations",
      input.destinations,
      "CIDRs to route toward the transit gateway from routeTables",
    );
  if (routeTables === undefined && (input.destinations ?? []).length > 0)
    problems.add("routeTables", routeTables, "VPC route tables to put the destinations in, by a stable key");

  const routes: PlannedVpcRoute[] = [];
  const byKey = new Map<string, PlannedVpcRoute>();
  for (const table of tableKeys.filter((k) => RESOURCE_KEY.test(k)))
    for (const d of destinations) {
      const route = {
        key: `${table}-${cidrNameSafe(d.text)}`,
        table,
        destination: d.text,
        version: d.version,
      };
      const clash = byKey.get(route.key);
      if (clash)
        problems.add(
          `routeTables.${table}`,
          table,
          `its route to ${d.text} would have the same resource name as the route to ${clash.destination} in ${clash.table}; rename the key (${RESOURCE_KEY_RULE})`,
        );
      else {
        byKey.set(route.key, route);
        routes.push(route);
      }
    }

  extra?.(problems);
  problems.throwIfAny(where);
  return { ...routing!, availabilityZones: azs, routes };
}

/** A RAM resource share ARN: `arn:<partition>:ram:<region>:<account>:resource-share/<id>`. */
const RESOURCE_SHARE_ARN = /^arn:aws[a-z-]*:ram:[a-z0-9-]+:\d{12}:resource-share\/[0-9a-f-]+$/;

/**
 * Why `value` cannot be the RAM resource share a VPC attachment accepts, or undefined. An Output is checked by
 * AWS when it resolves.
 */
export function resourceShareArnProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return RESOURCE_SHARE_ARN.test(value)
    ? undefined
    : "a RAM resource share ARN, arn:aws:ram:<region>:<account>:resource-share/<id> (TransitGatewayHub resourceShareArn)";
}
