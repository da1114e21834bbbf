/**
 * Keys users give to sites, route tables and segments end up in resource names, and Pulumi resource
 * names are identities: renaming one replaces the resource. Keys are kept short and name-safe.
 */
import type { Problems } from "./errors";

export const RESOURCE_KEY = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/;
export const RESOURCE_KEY_RULE =
  "a key of 1–32 letters, digits or '-', starting with a letter or digit (it names resources)";

/** Records a problem for every key of `record` that cannot name a resource. */
export function checkResourceKeys(
  problems: Problems,
  path: string,
  record: Record<string, unknown> | undefined,
): void {
  for (const key of Object.keys(record ?? {}))
    if (!RESOURCE_KEY.test(key)) problems.add(`${path}.${key}`, key, RESOURCE_KEY_RULE);
}
