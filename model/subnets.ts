/**
 * Subnets a zonal service is placed in (an internal Network Load Balancer, an interface endpoint, a Client
 * VPN endpoint's target networks). Each of these takes at most one subnet per Availability Zone and needs
 * two zones to survive the loss of one, so the zone of every subnet is a plain value checked before anything
 * registers; the subnet id may come from another resource. Pure: no Pulumi import.
 */
import { type Cidr, checkCidr, findOverlaps } from "./addressing";
import { FirstUse, type Problems } from "./errors";
import { ec2IdProblem } from "./identifiers";

/** One subnet: the zone it is in, its id, and (where a rule needs it) its IPv4 CIDR. */
export interface ZonalSubnet {
  /** Availability Zone name (`us-east-1a`) or zone id (`use1-az1`). */
  availabilityZone: string;
  /** Subnet id (`subnet-...`), or an Output of one. */
  subnetId: unknown;
  /** IPv4 CIDR of the subnet. */
  cidr?: string;
}

/** A subnet whose arguments passed the checks, with its CIDR parsed. */
export interface CheckedSubnet {
  /** Position in the list the caller gave. */
  index: number;
  availabilityZone: string;
  /** The zone's region, when the zone is given by name (`us-east-1a` → `us-east-1`). */
  region?: string;
  cidr?: Cidr;
}

/** Availability Zone names: a region code and a letter (`us-east-1a`), or a Local Zone (`us-east-1-bos-1a`). */
const ZONE_NAME = /^([a-z]{2,4}(?:-[a-z]+){1,3}-\d{1,2})(?:-[a-z]+-\d+)?[a-z]$/;
/** Availability Zone ids: the same physical zone in every account (`use1-az1`, `euc1-az3`). */
const ZONE_ID = /^[a-z]{2,6}\d{1,2}(?:-[a-z]+\d*)?-az\d{1,2}$/;

export const ZONE_RULE = 'an Availability Zone name such as "us-east-1a" or a zone id such as "use1-az1"';

/** Why `value` cannot name an Availability Zone, or undefined. */
export function zoneProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || !(ZONE_NAME.test(value) || ZONE_ID.test(value))) return ZONE_RULE;
  return undefined;
}

export interface ZonalRules {
  /** What the subnets are for, in the user's words ("an internal Network Load Balancer"). */
  what: string;
  /** Fewest distinct zones. */
  minZones: number;
  /** Every subnet must give its `cidr`, because a rule or an output needs it; says why. */
  cidrRequiredBecause?: string;
  /** Largest prefix length a subnet may have (the smallest subnet), with the AWS rule it mirrors. */
  maxPrefix?: { prefix: number; why: string };
}

/**
 * Checks a list of zonal subnets: the list, each zone, id and CIDR, one subnet per zone, at least
 * `rules.minZones` zones, all zones in one region, distinct ids and non-overlapping CIDRs. Records problems
 * under `path` and returns the subnets that passed.
 */
export function checkZonalSubnets(
  problems: Problems,
  path: string,
  subnets: unknown,
  rules: ZonalRules,
): CheckedSubnet[] {
  const example = '{ availabilityZone: "us-east-1a", subnetId: "subnet-...", cidr: "10.0.1.0/24" }';
  if (!Array.isArray(subnets) || subnets.length === 0) {
    problems.add(
      path,
      subnets,
      `subnets in at least ${rules.minZones} Availability Zones for ${rules.what}, each ${example}`,
    );
    return [];
  }
  const checked: CheckedSubnet[] = [];
  const zoneOwner = new Map<string, number>();
  const idOwner = new FirstUse<string>();
  let zonesUnknown = false;
  subnets.forEach((raw: Partial<ZonalSubnet> | null, i) => {
    const at = `${path}[${i}]`;
    if (raw === null || typeof raw !== "object") {
      problems.add(at, raw, `a subnet: ${example}`);
      return;
    }
    const zone = raw.availabilityZone;
    const badZone = zoneProblem(zone);
    problems.addIf(`${at}.availabilityZone`, zone, badZone);
    if (raw.subnetId === undefined || raw.subnetId === null || raw.subnetId === "")
      problems.add(`${at}.subnetId`, raw.subnetId, "the subnet id (subnet-...), or an Output of one");
    else problems.addIf(`${at}.subnetId`, raw.subnetId, ec2IdProblem("subnet", raw.subnetId));
    if (typeof raw.subnetId === "string") {
      const first = idOwner.claim(raw.subnetId, String(i));
      if (first !== undefined)
        problems.add(`${at}.subnetId`, raw.subnetId, `also ${path}[${first}]; list each subnet once`);
    }
    let cidr: Cidr | undefined;
    if (raw.cidr !== undefined) {
      const result = checkCidr(raw.cidr, { version: 4, minPrefix: 16, maxPrefix: 28 });
      if ("problem" in result) problems.add(`${at}.cidr`, raw.cidr, `${result.problem} (a VPC subnet)`);
      else if (rules.maxPrefix && result.cidr.prefix > rules.maxPrefix.prefix)
        problems.add(`${at}.cidr`, raw.cidr, rules.maxPrefix.why);
      else cidr = result.cidr;
    } else if (rules.cidrRequiredBecause)
      problems.add(`${at}.cidr`, undefined, `the subnet's IPv4 CIDR: ${rules.cidrRequiredBecause}`);
    if (badZone || typeof zone !== "string") {
      zonesUnknown = true;
      return;
    }
    const sameZone = zoneOwner.get(zone);
    if (sameZone !== undefined) {
      problems.add(
        `${at}.availabilityZone`,
        zone,
        `also the zone of ${path}[${sameZone}]; ${rules.what} takes one subnet per Availability Zone`,
      );
      return;
    }
    zoneOwner.set(zone, i);
    const region = ZONE_NAME.exec(zone)?.[1];
    checked.push({
      index: i,
      availabilityZone: zone,
      ...(region ? { region } : {}),
      ...(cidr ? { cidr } : {}),
    });
  });
  if (!zonesUnknown && zoneOwner.size < rules.minZones)
    problems.add(
      path,
      [...zoneOwner.keys()],
      `${zoneOwner.size} Availability Zone(s); ${rules.what} needs subnets in at least ${rules.minZones} zones, so that losing one zone does not take it down`,
    );
  const regions = [...new Set(checked.flatMap((s) => (s.region ? [s.region] : [])))];
  if (regions.length > 1)
    problems.add(
      path,
      checked.map((s) => s.availabilityZone),
      `zones of more than one region (${regions.join(", ")}); the subnets of one VPC are in one region`,
    );
  const withCidr = checked.flatMap((s) =>
    s.cidr ? [{ name: `${path}[${s.index}].cidr`, cidr: s.cidr }] : [],
  );
  for (const { a, b } of findOverlaps(withCidr))
    problems.add(b.name, b.cidr.text, `overlaps ${a.name} (${a.cidr.text}); subnets of a VPC never overlap`);
  return checked;
}
