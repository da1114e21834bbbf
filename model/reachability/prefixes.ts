/**
 * IPv4 prefixes as number ranges, for the forwarding model: parsing once (through model/addressing) and
 * comparing as plain numbers keeps a route lookup cheap when thousands of flows are answered. The landing
 * zone's VPCs, sites and rules are IPv4; an IPv6 prefix in the plan is ignored by the model.
 */
import { addressToString, parseCidr } from "../addressing";

/** An IPv4 range: first and last address inclusive, and the prefix length it came from. */
export interface Prefix {
  readonly text: string;
  readonly first: number;
  readonly last: number;
  readonly length: number;
}

const cache = new Map<string, Prefix | undefined>();

/** Parses `10.0.0.0/8` or a bare address (`10.0.0.1`, a /32); undefined for IPv6 or text that is no prefix. */
export function prefix(text: string): Prefix | undefined {
  if (cache.has(text)) return cache.get(text);
  let parsed: Prefix | undefined;
  try {
    const cidr = parseCidr(text.includes("/") ? text : `${text}/32`);
    if (cidr.version === 4)
      parsed = { text: cidr.text, first: Number(cidr.first), last: Number(cidr.last), length: cidr.prefix };
  } catch {
    parsed = undefined;
  }
  cache.set(text, parsed);
  return parsed;
}

/** Parses an address or prefix the model relies on; throws naming it when it is not IPv4. */
export function requirePrefix(text: string): Prefix {
  const p = prefix(text);
  if (!p) throw new Error(`${JSON.stringify(text)} is not an IPv4 address or prefix`);
  return p;
}

export function contains(outer: Prefix, address: number): boolean {
  return outer.first <= address && address <= outer.last;
}

export function covers(outer: Prefix, inner: Prefix): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

export function overlaps(a: Prefix, b: Prefix): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** An IPv4 address as a dotted quad; the same text as model/addressing's `addressToString`, without bigints. */
export function addressText(address: number): string {
  if (!Number.isInteger(address) || address < 0) return addressToString(BigInt(address), 4);
  return `${(address >>> 24) & 255}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}

/** The address `offset` into `p` (a host stand-in: AWS reserves the first four of a subnet). */
export function hostIn(p: Prefix, offset = 10): number {
  return p.last - p.first >= offset ? p.first + offset : p.first;
}

/** A range of addresses as the fewest prefixes that cover it exactly, as text. */
export function rangeToPrefixes(first: number, last: number): string[] {
  const out: string[] = [];
  let start = first;
  while (start <= last) {
    let size = 1;
    // The largest aligned block starting at `start` that stays inside the range.
    while (size < 2 ** 32 && start % (size * 2) === 0 && start + size * 2 - 1 <= last) size *= 2;
    out.push(`${addressText(start)}/${32 - Math.log2(size)}`);
    start += size;
  }
  return out;
}
