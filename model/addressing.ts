/**
 * Addresses, prefixes, ASNs and pre-shared keys: the AWS rules every component and policy shares.
 * Pure: no Pulumi import. CIDR arithmetic comes from ip-num; ranges are compared as bigints.
 */
import { createHash } from "node:crypto";
import { IPv4, IPv6, Validator } from "ip-num";

export type IpVersion = 4 | 6;

/** A parsed, canonical CIDR block. `first`/`last` are the numeric bounds, inclusive. */
export interface Cidr {
  readonly text: string;
  readonly version: IpVersion;
  readonly prefix: number;
  readonly first: bigint;
  readonly last: bigint;
}

const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };

/** Builds a Cidr from its first address and prefix length (the caller guarantees alignment). */
export function cidrAt(first: bigint, prefix: number, version: IpVersion): Cidr {
  const last = first + (1n << BigInt(BITS[version] - prefix)) - 1n;
  return { text: `${addressToString(first, version)}/${prefix}`, version, prefix, first, last };
}

/** A host address as canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run as `::`). */
export function addressToString(value: bigint, version: IpVersion): string {
  if (version === 4)
    return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join(".");
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

export interface CidrRules {
  /** Only this IP version is accepted. */
  version?: IpVersion;
  /** Smallest prefix length allowed (the largest block), e.g. 16 for a VPC. */
  minPrefix?: number;
  /** Largest prefix length allowed (the smallest block), e.g. 28 for a VPC. */
  maxPrefix?: number;
}

/** What a CIDR's text is, rules aside: its network, or set host bits (with the network), or no CIDR at all. */
type CidrText = { cidr: Cidr; hostBits: boolean } | undefined;

/**
 * The texts parsed so far, by text: a plan checks the same few hundred blocks many times over (each stack's
 * config, the mocks, every policy), and ip-num's validation of one costs more than the rest of the check.
 * Cleared when it holds {@link PARSED_TEXTS_KEPT}, so a long-lived process never grows it without bound.
 */
const parsedTexts = new Map<string, CidrText>();
const PARSED_TEXTS_KEPT = 10_000;

function parseCidrText(text: string): CidrText {
  if (parsedTexts.has(text)) return parsedTexts.get(text);
  let parsed: CidrText;
  const isV6 = text.includes(":");
  const [notationOk] = isV6
    ? Validator.isValidIPv6CidrNotation(text)
    : Validator.isValidIPv4CidrNotation(text);
  if (notationOk) {
    const version: IpVersion = isV6 ? 6 : 4;
    const [address, prefixText] = text.split("/");
    const prefix = Number(prefixText);
    const number = isV6 ? IPv6.fromString(address).getValue() : IPv4.fromString(address).getValue();
    const first = number - (number % (1n << BigInt(BITS[version] - prefix)));
    parsed = { cidr: cidrAt(first, prefix, version), hostBits: first !== number };
  }
  if (parsedTexts.size >= PARSED_TEXTS_KEPT) parsedTexts.clear();
  parsedTexts.set(text, parsed);
  return parsed;
}

/**
 * Parses `value` as a CIDR block and checks it against `rules`. Returns the Cidr, or the reason it is not
 * acceptable in words a user can act on (host bits set names the network it probably meant).
 */
export function checkCidr(value: unknown, rules: CidrRules = {}): { cidr: Cidr } | { problem: string } {
  const expected =
    rules.version === 4
      ? "an IPv4 CIDR such as 10.0.0.0/16"
      : rules.version === 6
        ? "an IPv6 CIDR such as fd00::/56"
        : "a CIDR such as 10.0.0.0/16";
  if (typeof value !== "string" || !value.includes("/")) return { problem: `not a CIDR; use ${expected}` };
  const parsed = parseCidrText(value.trim());
  if (!parsed) return { problem: `not a CIDR; use ${expected}` };
  const { cidr } = parsed;
  if (rules.version !== undefined && rules.version !== cidr.version)
    return { problem: `IPv${cidr.version} where IPv${rules.version} is required; use ${expected}` };
  if (parsed.hostBits) return { problem: `host bits are set; the network is ${cidr.text}` };
  if (rules.minPrefix !== undefined && cidr.prefix < rules.minPrefix)
    return {
      problem: `/${cidr.prefix} is too large; the prefix must be /${rules.minPrefix} to /${rules.maxPrefix ?? BITS[cidr.version]}`,
    };
  if (rules.maxPrefix !== undefined && cidr.prefix > rules.maxPrefix)
    return {
      problem: `/${cidr.prefix} is too small; the prefix must be /${rules.minPrefix ?? 0} to /${rules.maxPrefix}`,
    };
  return { cidr };
}

/** Parses a CIDR known to be valid; throws with the reason otherwise. */
export function parseCidr(text: string): Cidr {
  const result = checkCidr(text);
  if ("problem" in result) throw new Error(`${JSON.stringify(text)}: ${result.problem}`);
  return result.cidr;
}

/** `inner` lies wholly inside `outer` (same IP version). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return outer.version === inner.version && outer.first <= inner.first && inner.last <= outer.last;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && a.first <= b.last && b.first <= a.last;
}

/** Locale-independent string order, so a plan is the same on every machine. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A network with the name a user knows it by (a site key, an argument path). */
export interface NamedCidr {
  readonly name: string;
  readonly cidr: Cidr;
}

export interface Overlap {
  readonly a: NamedCidr;
  readonly b: NamedCidr;
}

/**
 * Every overlapping pair among `networks`, by sort and sweep: O(n log n + overlaps), so thousands of
 * networks check in milliseconds. Pairs come out in address order, `a` before `b`.
 */
export function findOverlaps(networks: readonly NamedCidr[]): Overlap[] {
  const sorted = [...networks].sort((x, y) =>
    x.cidr.version !== y.cidr.version
      ? x.cidr.version - y.cidr.version
      : x.cidr.first < y.cidr.first
        ? -1
        : x.cidr.first > y.cidr.first
          ? 1
          : 0,
  );
  const overlaps: Overlap[] = [];
  let open: NamedCidr[] = [];
  for (const current of sorted) {
    open = open.filter((o) => o.cidr.version === current.cidr.version && o.cidr.last >= current.cidr.first);
    for (const o of open) overlaps.push({ a: o, b: current });
    open.push(current);
  }
  return overlaps;
}

/**
 * Allocates aligned blocks of the requested prefix lengths from `supernet`, avoiding `taken` and each
 * other. Larger blocks are placed first so alignment wastes the least space. Returns the blocks by key,
 * or the keys that did not fit.
 */
export function allocateSubnets(
  supernet: Cidr,
  requests: readonly { key: string; prefix: number }[],
  taken: readonly Cidr[] = [],
): { allocated: Record<string, Cidr>; unplaced: string[] } {
  const bits = BITS[supernet.version];
  const used = taken.filter((t) => cidrsOverlap(t, supernet)).map((t) => ({ first: t.first, last: t.last }));
  const order = [...requests].sort((x, y) => x.prefix - y.prefix || byCodeUnit(x.key, y.key));
  const allocated: Record<string, Cidr> = {};
  const unplaced: string[] = [];
  for (const request of order) {
    if (request.prefix < supernet.prefix || request.prefix > bits) {
      unplaced.push(request.key);
      continue;
    }
    const size = 1n << BigInt(bits - request.prefix);
    const align = (value: bigint) => ((value + size - 1n) / size) * size;
    used.sort((x, y) => (x.first < y.first ? -1 : x.first > y.first ? 1 : 0));
    let candidate = align(supernet.first);
    for (const u of used) {
      if (u.last < candidate) continue;
      if (u.first > candidate + size - 1n) break;
      candidate = align(u.last + 1n);
    }
    if (candidate + size - 1n > supernet.last) {
      unplaced.push(request.key);
      continue;
    }
    allocated[request.key] = cidrAt(candidate, request.prefix, supernet.version);
    used.push({ first: candidate, last: candidate + size - 1n });
  }
  return { allocated, unplaced };
}

// ---------------------------------------------------------------------------------------------------
// Tunnel inside CIDRs

/** Site-to-Site VPN: IPv4 tunnel inside CIDRs are /30 blocks in 169.254.0.0/16. */
export const TUNNEL_INSIDE_IPV4_POOL = "169.254.0.0/16";
/** Site-to-Site VPN: IPv6 tunnel inside CIDRs (transit gateway only) are /126 blocks in fd00::/8. */
export const TUNNEL_INSIDE_IPV6_POOL = "fd00::/8";
/** Site-to-Site VPN: these /30 blocks are reserved by AWS and cannot be tunnel inside CIDRs. */
export const RESERVED_TUNNEL_INSIDE_CIDRS = [
  "169.254.0.0/30",
  "169.254.1.0/30",
  "169.254.2.0/30",
  "169.254.3.0/30",
  "169.254.4.0/30",
  "169.254.5.0/30",
  "169.254.169.252/30",
] as const;
const RESERVED_INSIDE = RESERVED_TUNNEL_INSIDE_CIDRS.map(parseCidr);
const INSIDE_PREFIX: Record<IpVersion, number> = { 4: 30, 6: 126 };

const INSIDE_ALLOWED: Record<IpVersion, string> = {
  4: `use a /30 in ${TUNNEL_INSIDE_IPV4_POOL} outside the AWS-reserved ${RESERVED_TUNNEL_INSIDE_CIDRS.join(", ")}`,
  6: `use a /126 in ${TUNNEL_INSIDE_IPV6_POOL}`,
};

/** Why `value` cannot be a tunnel inside CIDR of the given IP version, or undefined when it can. */
export function tunnelInsideCidrProblem(value: unknown, version: IpVersion = 4): string | undefined {
  const result = checkCidr(value, { version });
  if ("problem" in result) return `${result.problem}; ${INSIDE_ALLOWED[version]}`;
  const cidr = result.cidr;
  const pool = parseCidr(version === 4 ? TUNNEL_INSIDE_IPV4_POOL : TUNNEL_INSIDE_IPV6_POOL);
  if (cidr.prefix !== INSIDE_PREFIX[version] || !cidrContains(pool, cidr))
    return `not a tunnel inside CIDR; ${INSIDE_ALLOWED[version]}`;
  if (version === 4 && RESERVED_INSIDE.some((r) => cidrsOverlap(r, cidr)))
    return `reserved by AWS; ${INSIDE_ALLOWED[version]}`;
  return undefined;
}

/** Why `pool` cannot serve as a pool to allocate tunnel inside CIDRs from, or undefined. */
export function tunnelInsidePoolProblem(value: unknown, version: IpVersion = 4): string | undefined {
  const poolText = version === 4 ? TUNNEL_INSIDE_IPV4_POOL : TUNNEL_INSIDE_IPV6_POOL;
  const result = checkCidr(value, { version, maxPrefix: INSIDE_PREFIX[version] });
  if ("problem" in result) return `${result.problem}; use a block inside ${poolText}`;
  if (!cidrContains(parseCidr(poolText), result.cidr))
    return `not inside ${poolText}, where AWS takes tunnel inside CIDRs from`;
  return undefined;
}

/** Options of {@link allocateTunnelInsideCidrs}. */
export interface TunnelInsideAllocationOptions {
  /** Pool to allocate from. @default 169.254.0.0/16 (fd00::/8 for IPv6). */
  pool?: Cidr;
  /** Blocks already in use (inside CIDRs given explicitly). */
  taken?: readonly Cidr[];
  /** IP version of the tunnels. @default 4. */
  version?: IpVersion;
  /**
   * What the previous run allocated, key → CIDR text. A requested key keeps its CIDR; a key no longer
   * requested still blocks its CIDR for this run, because Pulumi deletes a removed VPN connection only after
   * it has created the new ones, and IPv4 inside CIDRs are unique per virtual private gateway.
   * Every entry must be a block of the pool (callers validate it first; see planVpnSites). @default none.
   */
  previous?: Readonly<Record<string, string>>;
}

/**
 * Allocates one inside CIDR per key from `pool`, skipping the AWS-reserved blocks and `taken`.
 * A key the previous run allocated keeps its CIDR (`previous`): `tunnelN_inside_cidr` forces a new VPN
 * connection, with new outside addresses and an outage until the device is reconfigured, so an allocation
 * never moves. A new key starts at a slot derived from a hash of the key, so the same keys give the same
 * CIDRs even without `previous` (a first run, a lost state); a collision probes to the next free slot, and of
 * two colliding new keys the one with the smaller hash keeps the slot, whatever order they come in. Without
 * `previous` a new key can take the slot of an existing one: pass `previous` on every run after the first.
 */
export function allocateTunnelInsideCidrs(
  keys: readonly string[],
  options: TunnelInsideAllocationOptions = {},
): Record<string, Cidr> {
  const version = options.version ?? 4;
  const pool = options.pool ?? parseCidr(version === 4 ? TUNNEL_INSIDE_IPV4_POOL : TUNNEL_INSIDE_IPV6_POOL);
  const prefix = INSIDE_PREFIX[version];
  const size = 1n << BigInt(BITS[version] - prefix);
  if (pool.version !== version)
    throw new Error(
      `pool ${pool.text} is IPv${pool.version}; IPv${version} tunnels need an IPv${version} pool`,
    );
  const slots = (pool.last - pool.first + 1n) / size;
  if (slots === 0n) throw new Error(`pool ${pool.text} is smaller than one /${prefix}`);
  const blocked = [...(version === 4 ? RESERVED_INSIDE : []), ...(options.taken ?? [])];
  const busy = new Set<bigint>();
  const isBlocked = (first: bigint) => blocked.some((b) => b.first <= first + size - 1n && first <= b.last);
  const unique = [...new Set(keys)];
  const requested = new Set(unique);
  const result: Record<string, Cidr> = {};
  // Previous allocations first, in key order: each keeps its slot, removed keys' slots stay busy this run.
  const previous = options.previous ?? {};
  for (const key of Object.keys(previous).sort(byCodeUnit)) {
    const text = previous[key];
    const cidr = checkCidr(text, { version });
    if ("problem" in cidr || cidr.cidr.prefix !== prefix || !cidrContains(pool, cidr.cidr))
      throw new Error(
        `previous allocation ${key} = ${JSON.stringify(text)} is not a /${prefix} of ${pool.text}`,
      );
    const slot = (cidr.cidr.first - pool.first) / size;
    if (busy.has(slot)) throw new Error(`previous allocation ${key} = ${text} is allocated twice`);
    busy.add(slot);
    if (requested.has(key)) result[key] = cidr.cidr;
  }
  const hashed = unique
    .filter((key) => !(key in result))
    .map((key) => ({
      key,
      hash: BigInt(`0x${createHash("sha256").update(key).digest("hex").slice(0, 24)}`),
    }));
  hashed.sort((x, y) => (x.hash < y.hash ? -1 : x.hash > y.hash ? 1 : byCodeUnit(x.key, y.key)));
  for (const { key, hash } of hashed) {
    let slot = hash % slots;
    for (let tries = 0n; ; tries++) {
      if (tries >= slots)
        throw new Error(`no free /${prefix} left in ${pool.text} for ${unique.length} tunnels`);
      const first = pool.first + slot * size;
      if (!busy.has(slot) && !isBlocked(first)) {
        busy.add(slot);
        result[key] = cidrAt(first, prefix, version);
        break;
      }
      slot = (slot + 1n) % slots;
    }
  }
  return result;
}

/** Number of inside CIDRs a pool can give out (reserved blocks excluded). */
export function tunnelInsideCapacity(pool: Cidr): number {
  const size = 1n << BigInt(BITS[pool.version] - INSIDE_PREFIX[pool.version]);
  const total = (pool.last - pool.first + 1n) / size;
  // Reserved /30s that fall inside whole slots of this pool.
  const reserved = pool.version === 4 ? RESERVED_INSIDE.filter((r) => cidrContains(pool, r)).length : 0;
  return Math.max(0, Number(total) - reserved);
}

/**
 * The two addresses of a tunnel inside CIDR: AWS takes the first usable address, the customer gateway
 * the second (169.254.10.0/30 → AWS 169.254.10.1, customer 169.254.10.2).
 */
export function tunnelInsideAddresses(inside: Cidr): { aws: string; customer: string } {
  const at = (offset: bigint) => addressToString(inside.first + offset, inside.version);
  return { aws: at(1n), customer: at(2n) };
}

// ---------------------------------------------------------------------------------------------------
// BGP ASNs

/** Amazon side ASN of a virtual private gateway, transit gateway or Direct Connect gateway: a private ASN. */
export const AMAZON_SIDE_ASN_RANGES: readonly (readonly [number, number])[] = [
  [64512, 65534],
  [4200000000, 4294967294],
];
/** The default Amazon side ASN of a virtual private gateway and a transit gateway. */
export const DEFAULT_AMAZON_SIDE_ASN = 64512;
/**
 * Customer gateway BGP ASN: CreateCustomerGateway takes 1–2147483647 in BgpAsn and 2147483648–4294967295 in
 * BgpAsnExtended, so 1–4294967295 (AWS accepts 4294967295 though RFC 7300 reserves it: hybridnet follows AWS).
 */
export const CUSTOMER_ASN_RANGE = [1, 4294967295] as const;
/** Customer gateway: ASNs AWS uses in its own regions, refused for customer gateways. */
export const AWS_RESERVED_CUSTOMER_ASNS: readonly number[] = [7224, 9059, 10124, 17943];
/** RFC 6793 AS_TRANS and RFC 7300 last ASNs: never a real peer's ASN. */
export const SPECIAL_ASNS: readonly number[] = [23456, 65535];

/** RFC 6996: 64512–65534 and 4200000000–4294967294 are for private use. */
export function isPrivateAsn(asn: number): boolean {
  return AMAZON_SIDE_ASN_RANGES.some(([lo, hi]) => asn >= lo && asn <= hi);
}

/** Why `value` cannot be the Amazon side ASN, or undefined. */
export function amazonSideAsnProblem(value: unknown): string | undefined {
  if (typeof value !== "number" || !Number.isInteger(value) || !isPrivateAsn(value))
    return "Amazon side ASN must be a private ASN: 64512–65534 or 4200000000–4294967294";
  return undefined;
}

/** Why `value` cannot be a customer gateway's BGP ASN, or undefined. */
export function customerAsnProblem(value: unknown): string | undefined {
  const [lo, hi] = CUSTOMER_ASN_RANGE;
  if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi)
    return `customer gateway ASN must be an integer in ${lo}–${hi}`;
  if (AWS_RESERVED_CUSTOMER_ASNS.includes(value))
    return `reserved by AWS (${AWS_RESERVED_CUSTOMER_ASNS.join(", ")}); use your own public ASN or a private one (64512–65534, 4200000000–4294967294)`;
  if (SPECIAL_ASNS.includes(value))
    return `${value} is a reserved ASN (RFC 6793/7300); use your own public ASN or a private one`;
  return undefined;
}

/** Customer gateways: BgpAsn holds 1–2147483647; larger ASNs go in BgpAsnExtended. */
export const MAX_BGP_ASN_FIELD = 2147483647;

// ---------------------------------------------------------------------------------------------------
// Pre-shared keys

/** Site-to-Site VPN pre-shared key: 8–64 characters of letters, digits, '.' and '_', not starting with '0'. */
export const PRESHARED_KEY_PATTERN = /^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/;
export const PRESHARED_KEY_RULE = "8–64 characters of letters, digits, '.' and '_', not starting with 0";

/** Why `value` cannot be a pre-shared key, or undefined. Never includes the key in its message. */
export function presharedKeyProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || !PRESHARED_KEY_PATTERN.test(value))
    return `pre-shared key must be ${PRESHARED_KEY_RULE}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Customer gateway addresses

/** Blocks that are not routable on the internet (RFC 6890): a public VPN endpoint cannot be in them. */
const NON_PUBLIC_IPV4 = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "192.0.0.0/24",
  "198.18.0.0/15",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/4",
  "240.0.0.0/4",
].map(parseCidr);

/**
 * Why `value` cannot be the outside address of a customer gateway reached over the internet, or
 * undefined. Site-to-Site VPN: a public VPN's customer gateway needs a static, internet-routable IPv4
 * address (documentation ranges such as 203.0.113.0/24 are accepted, for examples and tests).
 */
export function publicIpv4Problem(value: unknown): string | undefined {
  if (typeof value !== "string" || !Validator.isValidIPv4String(value)[0])
    return "not an IPv4 address; use the device's static public IPv4 address";
  const number = IPv4.fromString(value).getValue();
  const block = NON_PUBLIC_IPV4.find((b) => b.first <= number && number <= b.last);
  if (block)
    return `in ${block.text}, which is not internet-routable; use the device's static public IPv4 address`;
  return undefined;
}

/** The first non-internet-routable block (RFC 6890) that an IPv4 `cidr` overlaps, or undefined for a public prefix. */
export function nonPublicIpv4Overlap(cidr: Cidr): Cidr | undefined {
  return cidr.version === 4 ? NON_PUBLIC_IPV4.find((b) => cidrsOverlap(b, cidr)) : undefined;
}

/** RFC 1918 private IPv4 blocks. */
export const RFC1918_IPV4 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;
const RFC1918 = RFC1918_IPV4.map(parseCidr);

/**
 * Why `value` cannot be a private (RFC 1918) IPv4 address, or undefined. Site-to-Site VPN: a private IP VPN
 * over Direct Connect reaches the customer gateway at a private address (CreateCustomerGateway takes it).
 */
export function privateIpv4Problem(value: unknown): string | undefined {
  if (typeof value !== "string" || !Validator.isValidIPv4String(value)[0])
    return `not an IPv4 address; use the device's private address in ${RFC1918_IPV4.join(", ")}`;
  const number = IPv4.fromString(value).getValue();
  if (!RFC1918.some((b) => b.first <= number && number <= b.last))
    return `not a private (RFC 1918) address; use the device's address in ${RFC1918_IPV4.join(", ")}, reached over Direct Connect`;
  return undefined;
}

/**
 * An address whose value comes only at deployment: an Output (another resource's Elastic IP, a VPN tunnel's
 * outside address) reaches the model as an object. The model checks plain values and leaves these to the
 * component, which checks them with the same rule when they resolve.
 */
export function isKnownLater(value: unknown): boolean {
  return value !== null && typeof value === "object";
}

/**
 * Stands for an address that exists only at deployment where a component checks its arguments before the
 * resources that give the address exist (its children then get the Output). Never an address: no resource
 * input or file is rendered from it.
 */
export const AT_DEPLOYMENT: unknown = Object.freeze({ knownAt: "deployment" });
