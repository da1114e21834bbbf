/**
 * Unknown argument keys. Arguments built from JSON or YAML reach a component untyped, and a misspelled key
 * (`tunnelOptions.phase1LifetimeSecs`) would otherwise be ignored and the default used in its place. Each
 * component describes the keys its arguments may have ({@link keysOf}); {@link refuseUnknownKeys} walks the
 * arguments and refuses every key it does not know, with the full argument path and the keys allowed there,
 * before anything registers. Pure: no Pulumi import; values that are not plain objects or arrays (Pulumi
 * Outputs, resources, providers, promises) are never walked into.
 */
import { Problems } from "./errors";

/**
 * What an argument holds: `"value"` (a leaf not walked: strings, numbers, ids, Inputs), an object with known
 * keys, a map with keys of the user's choosing (`{ record }`), or a list (`{ list }`).
 */
export type KeyShape = "value" | KnownKeys | { record: KeyShape } | { list: KeyShape };

/** An object whose keys are known: each key and the shape of its value. */
export interface KnownKeys {
  keys: Record<string, KeyShape>;
}

/**
 * The known keys of arguments of type `T`: every key of `T` must be listed (the compiler checks it against the
 * interface, so a key added to the interface and forgotten here fails to compile), and no other.
 */
export function keysOf<T>(keys: { [K in keyof Required<T>]: KeyShape }): KnownKeys {
  return { keys: keys as Record<string, KeyShape> };
}

/** A plain object or array, as JSON and YAML build them; class instances (Outputs, resources) are not. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Levenshtein distance, for the closest known key to a misspelled one. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The known key a misspelled one most likely meant: close in spelling, differing in case, or cut short. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const [k, c] = [key.toLowerCase(), candidate.toLowerCase()];
    // A key cut short or run on (`applianceMode` for `applianceModeSupport`) is as close as a typo.
    const d =
      k === c ? 0 : k.length >= 4 && (c.startsWith(k) || k.startsWith(c)) ? 1 : distance(key, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** A key whose value may be a secret: its value is shown as `[secret]`. */
const SECRET_NAME = /key|secret|password|token/i;

/** Records a problem for every key of `value` (at `path`) that `shape` does not know, at any depth. */
export function checkArgumentKeys(problems: Problems, shape: KeyShape, value: unknown, path = ""): void {
  const at = (key: string) => (path === "" ? key : `${path}.${key}`);
  if (shape === "value") return;
  if ("list" in shape) {
    if (Array.isArray(value))
      value.forEach((item, i) => {
        checkArgumentKeys(problems, shape.list, item, `${path}[${i}]`);
      });
    return;
  }
  if (!isPlainObject(value)) return;
  if ("record" in shape) {
    for (const [key, item] of Object.entries(value)) checkArgumentKeys(problems, shape.record, item, at(key));
    return;
  }
  const known = Object.keys(shape.keys);
  for (const [key, item] of Object.entries(value)) {
    const inner = Object.hasOwn(shape.keys, key) ? shape.keys[key] : undefined;
    if (inner !== undefined) {
      checkArgumentKeys(problems, inner, item, at(key));
      continue;
    }
    const meant = closest(key, known);
    problems.add(
      at(key),
      item,
      `unknown argument; ${meant ? `did you mean ${meant}? ` : ""}allowed${path === "" ? "" : ` in ${path}`}: ${[...known].sort().join(", ")}`,
      SECRET_NAME.test(key),
    );
  }
}

/**
 * Throws one ValidationError naming `where` when `args` holds keys `shape` does not know; call it first in a
 * component's constructor, before anything registers.
 */
export function refuseUnknownKeys(where: string, shape: KnownKeys, args: unknown): void {
  const problems = new Problems();
  checkArgumentKeys(problems, shape, args);
  problems.throwIfAny(where);
}
