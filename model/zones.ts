/**
 * Availability Zone ids and names. A zone *name* (`us-east-1a`) is per account: in AWS's oldest Regions the
 * letters map to physical zones independently for each account, so `us-east-1a` of the network account and
 * `us-east-1a` of a workload account may be two different buildings. A zone *id* (`use1-az1`) is the same
 * physical zone in every account. Whatever crosses accounts (stack config, PrivateLink placement: an interface
 * endpoint can only use zones its service's load balancer has, compared by id) is therefore written in ids, and
 * each account maps ids to its own names where an API takes names (awsx). Pure: no Pulumi import.
 *
 * AWS docs: "AZ IDs" (https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html) and
 * "AWS Availability Zones" (…/aws-availability-zones.html).
 */
import type { Problems } from "./errors";

/** Zone ids: the Region's short code, `-az`, a number (`use1-az1`, `apne1-az4`, `usgw1-az2`). */
export const ZONE_ID = /^([a-z]{2,4}[a-z]*\d{1,2})-az(\d{1,2})$/;

export const ZONE_ID_RULE =
  'an Availability Zone id such as "use1-az1" (the same zone in every account; names such as "us-east-1a" differ per account)';

/**
 * Short codes of the direction words of Region codes, as AZ ids abbreviate them (`ap-northeast-1` → `apne1`,
 * `us-gov-west-1` → `usgw1`, `eu-central-1` → `euc1`).
 */
const DIRECTION: Record<string, string> = {
  north: "n",
  south: "s",
  east: "e",
  west: "w",
  central: "c",
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
  gov: "g",
  iso: "i",
  isob: "ib",
};

/**
 * The prefix of the zone ids of `region`: the area code, the direction's letters, the number (`us-east-1` →
 * `use1`, `eu-west-1` → `euw1`, `ap-southeast-2` → `apse2`). A direction word not known here keeps its first
 * letter.
 */
export function zoneIdPrefix(region: string): string {
  const parts = region.split("-");
  const area = parts[0];
  const number = parts[parts.length - 1];
  const words = parts.slice(1, -1).map((w) => DIRECTION[w] ?? w.charAt(0));
  return `${area}${words.join("")}${number}`;
}

/** Whether `value` has the shape of a zone id (`use1-az1`). */
export function isZoneId(value: unknown): value is string {
  return typeof value === "string" && ZONE_ID.test(value);
}

/**
 * Why `value` cannot be a zone id of `region` (when given), or undefined: the shape, then the Region (the id's
 * prefix is the Region's short code, so `usw2-az1` is not a zone of us-east-1).
 */
export function zoneIdProblem(value: unknown, region?: string): string | undefined {
  if (!isZoneId(value)) return ZONE_ID_RULE;
  if (region !== undefined) {
    const prefix = zoneIdPrefix(region);
    if (!value.startsWith(`${prefix}-az`))
      return `a zone id of ${region} (${prefix}-az1, ${prefix}-az2, …): ${value} is a zone of another Region`;
  }
  return undefined;
}

/** The zones of one account in one Region, as `aws.getAvailabilityZones` answers: names and ids in one order. */
export interface AccountZones {
  names: string[];
  zoneIds: string[];
}

/**
 * Maps zone ids to the names account `zones` gives them. A zone id the account does not have (not in the
 * Region, or not offered to that account) is a problem at `path[i]`; returns the names of the others, by id.
 */
export function zoneNamesById(
  problems: Problems,
  path: string,
  ids: readonly string[],
  zones: AccountZones,
  account: string,
): Record<string, string> {
  const names: Record<string, string> = {};
  ids.forEach((id, i) => {
    const at = zones.zoneIds.indexOf(id);
    if (at < 0 || zones.names[at] === undefined)
      problems.add(
        `${path}[${i}]`,
        id,
        `a zone id account ${account} has: ${zones.zoneIds.join(", ") || "(none reported)"}`,
      );
    else names[id] = zones.names[at];
  });
  return names;
}
