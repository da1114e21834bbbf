/**
 * AWS identifiers a component takes as plain values: account ids, region names, organization ids and the
 * ids of EC2 resources (when a caller gives them as plain strings rather than Outputs). Pure: no Pulumi
 * import. Each check returns the reason a value is not acceptable, or undefined.
 */
import { FirstUse, type Problems } from "./errors";
import { checkResourceKeys } from "./names";

/** IAM: an AWS account id is exactly 12 decimal digits (leading zeros are part of it). */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** Why `value` cannot be an AWS account id, or undefined. */
export function accountIdProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || !ACCOUNT_ID_PATTERN.test(value))
    return 'an AWS account id: exactly 12 digits, as a string (keep leading zeros), e.g. "111122223333"';
  return undefined;
}

/**
 * Region codes: a partition-and-area prefix, a direction, a number (`us-east-1`, `eu-central-2`,
 * `us-gov-west-1`, `cn-northwest-1`, `us-iso-east-1`, `eusc-de-east-1`). Checked by shape, not against a
 * list, so a region AWS opens later is accepted.
 */
export const REGION_PATTERN = /^[a-z]{2,4}(?:-[a-z]+){1,3}-\d{1,2}$/;

/** Why `value` cannot be a region code, or undefined. */
export function regionProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || !REGION_PATTERN.test(value))
    return 'a region code such as "us-east-1" or "eu-central-2" (lower case, as AWS writes it)';
  return undefined;
}

/** AWS Organizations: an organization id is `o-` and 10–32 lower-case letters or digits. */
export const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

/** Why `value` cannot be an AWS Organizations organization id, or undefined. */
export function organizationIdProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || !ORGANIZATION_ID_PATTERN.test(value))
    return 'an organization id: "o-" and 10–32 lower-case letters or digits, e.g. "o-a1b2c3d4e5"';
  return undefined;
}

/** EC2: resource ids are a type prefix and 8 (older resources) or 17 hexadecimal digits. */
function ec2IdPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`);
}

/**
 * Why a plain string `value` cannot be the id of an EC2 resource with `prefix` (`vpc`, `rtb`, `tgw`,
 * `tgw-rtb`), or undefined. Values that are not strings (Outputs) are not checked here: their value is
 * known only at deployment.
 */
export function ec2IdProblem(prefix: string, value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  if (!ec2IdPattern(prefix).test(value))
    return `a ${prefix} id: "${prefix}-" and 8 or 17 hexadecimal digits, or an Output of one`;
  return undefined;
}

/**
 * Checks ids keyed by a stable name (`{ private: "rtb-..." }`): at least one entry, keys that can name
 * resources, plain ids of the right kind, and no plain id under two keys (the same route table twice would
 * get the same route twice, which AWS refuses). Returns the keys in code-unit order.
 * `what` names one entry (`"route table"`); `why` says why at least one is needed.
 */
export function checkKeyedIds(
  problems: Problems,
  path: string,
  record: unknown,
  idPrefix: string,
  what: string,
  why: string,
): string[] {
  if (record === null || typeof record !== "object" || Array.isArray(record) || !Object.keys(record).length) {
    problems.add(path, record, `at least one ${what} id, keyed by a stable name (${why})`);
    return [];
  }
  const entries = record as Record<string, unknown>;
  checkResourceKeys(problems, path, entries);
  const owners = new FirstUse<string>();
  const keys = Object.keys(entries).sort();
  for (const key of keys) {
    const value = entries[key];
    if (value === undefined || value === null) {
      problems.add(`${path}.${key}`, value, `a ${what} id (${idPrefix}-...) or an Output of one`);
      continue;
    }
    problems.addIf(`${path}.${key}`, value, ec2IdProblem(idPrefix, value));
    if (typeof value !== "string") continue;
    const owner = owners.claim(value, `${path}.${key}`);
    if (owner) problems.add(`${path}.${key}`, value, `same ${what} as ${owner}; list each ${what} once`);
  }
  return keys;
}
