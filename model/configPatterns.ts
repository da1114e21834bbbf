/**
 * The JSON Schema shapes of stack config values whose zod rule is a model function (a CIDR, an address, an ASN):
 * what an editor can check while the user types. The model rule stays the authority; each shape here accepts
 * every value its rule accepts, so the editor never flags a value the program takes (tests/configSchema.test.ts
 * runs both over the examples and the fixture stack files). Built from the model's own constants where they
 * exist. Pure: no Pulumi import.
 */
import {
  AMAZON_SIDE_ASN_RANGES,
  AWS_RESERVED_CUSTOMER_ASNS,
  CUSTOMER_ASN_RANGE,
  SPECIAL_ASNS,
} from "./addressing";
import { VLAN_RANGE } from "./directConnect";
import { ZONE_KINDS } from "./reachability/intents";

/** One IPv4 octet, 0–255, without leading zeros (ip-num refuses them too). */
const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
/** The RFC 1918 blocks, with the shortest prefix each allows. */
const RFC1918_BLOCKS: readonly { address: string; prefix: number }[] = [
  { address: `10\\.${OCTET}\\.${OCTET}\\.${OCTET}`, prefix: 8 },
  { address: `172\\.(?:1[6-9]|2\\d|3[01])\\.${OCTET}\\.${OCTET}`, prefix: 12 },
  { address: `192\\.168\\.${OCTET}\\.${OCTET}`, prefix: 16 },
];

/** The prefix lengths `min`–`max` as one alternation (`(?:16|17|…|24)`). */
function prefixLengths(min: number, max: number): string {
  const lengths: number[] = [];
  for (let length = min; length <= max; length++) lengths.push(length);
  return `(?:${lengths.join("|")})`;
}

/** An IPv4 address in dotted decimal. */
export const IPV4_ADDRESS_PATTERN = `^${IPV4}$`;

/** An IPv4 CIDR with a prefix of /`min` to /`max` (host bits are the model rule's to check). */
export function ipv4CidrPattern(min = 0, max = 32): string {
  return `^${IPV4}/${prefixLengths(min, max)}$`;
}

/** An IPv4 or IPv6 CIDR: the IPv4 form exactly, the IPv6 form by its characters. */
export const CIDR_PATTERN = `^(?:${IPV4}/${prefixLengths(0, 32)}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/\\d{1,3})$`;

/** A private (RFC 1918) IPv4 address. */
export const PRIVATE_IPV4_ADDRESS_PATTERN = `^(?:${RFC1918_BLOCKS.map((b) => b.address).join("|")})$`;

/** A private (RFC 1918) IPv4 network of /`min` to /`max`, inside one block (a /12 only in 172.16.0.0/12). */
export function privateCidrPattern(min = 0, max = 32): string {
  const blocks = RFC1918_BLOCKS.filter((b) => Math.max(b.prefix, min) <= max).map(
    (b) => `${b.address}/${prefixLengths(Math.max(b.prefix, min), max)}`,
  );
  return `^(?:${blocks.join("|")})$`;
}

/** A reachability zone: `site:<name>`, `segment:<name>`, …, `connectivity`, or an IPv4 address or CIDR. */
export const ZONE_REF_PATTERN = `^(?:connectivity|(?:${ZONE_KINDS.filter((k) => k !== "connectivity").join("|")}):.+|${IPV4}(?:/${prefixLengths(0, 32)})?)$`;

/** JSON Schema of an Amazon side ASN: a private ASN (AWS: 64512–65534 or 4200000000–4294967294). */
export const AMAZON_SIDE_ASN_SHAPE = {
  type: "integer",
  anyOf: AMAZON_SIDE_ASN_RANGES.map(([minimum, maximum]) => ({ minimum, maximum })),
};

/** JSON Schema of a customer gateway's ASN: the 4-byte range, less the ASNs AWS and the RFCs reserve. */
export const CUSTOMER_ASN_SHAPE = {
  type: "integer",
  minimum: CUSTOMER_ASN_RANGE[0],
  maximum: CUSTOMER_ASN_RANGE[1],
  not: { enum: [...AWS_RESERVED_CUSTOMER_ASNS, ...SPECIAL_ASNS] },
};

/** JSON Schema of an 802.1Q VLAN id. */
export const VLAN_SHAPE = { type: "integer", minimum: VLAN_RANGE[0], maximum: VLAN_RANGE[1] };
