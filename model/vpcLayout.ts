/**
 * The subnet layout of a landing-zone VPC, planned offline: which CIDR each tier gets in each Availability
 * Zone. The stacks hand awsx these explicit CIDRs, so the layout is the same on every run and known without
 * AWS (the offline planner, the policy pack and the mock model all read it). Pure: no Pulumi import.
 *
 * Zones are given by zone id (`use1-az1`), the same physical zone in every account, so a layout means the same
 * place whichever account deploys it and what another account reads of it (PrivateLink pairs zones by id);
 * the program maps the ids to the account's own zone names for awsx, which takes names.
 *
 * Two tiers per zone:
 * - `private`: workloads, the PrivateLink load balancer and interface endpoints, Client VPN target networks.
 *   Each zone gets a quarter of the VPC.
 * - `transit`: the transit gateway attachment's subnet, a /28 per zone (AWS's recommendation: a small
 *   dedicated subnet, so the attachment's network interfaces and route table stay apart from workloads).
 *   The /28s sit at the start of the fourth quarter; the rest of that quarter is left for later tiers.
 * - `public`: only in the zones that ask for one (a software VPN appliance's): a /28 whose route table sends
 *   0.0.0.0/0 to an internet gateway. They sit at the end of the fourth quarter, the first zone's last, so
 *   neither the transit /28s nor the public ones move when a zone is added.
 */
import { allocateSubnets, type Cidr, checkCidr, cidrAt } from "./addressing";
import { Problems } from "./errors";
import { zoneIdProblem } from "./zones";

/** VPC: an IPv4 CIDR of /16 to /28 (AWS); hybridnet asks /24 or larger so each zone's quarter holds an NLB. */
export const LAYOUT_VPC_PREFIX = { min: 16, max: 24 } as const;
/** Zones a layout spreads over: two for resilience (hybridnet rule), at most three (one quarter each). */
export const LAYOUT_ZONES = { min: 2, max: 3 } as const;
/** AWS recommends a /28 per zone for transit gateway attachment subnets. */
export const TRANSIT_SUBNET_PREFIX = 28;

export type SubnetTier = "private" | "transit" | "public";
/** The tiers every layout has; `public` only where zones ask for it (VpcLayoutInput.publicZones). */
export const SUBNET_TIERS: readonly SubnetTier[] = ["private", "transit"];
/** A public subnet (a software VPN appliance's) is a /28: one instance and an Elastic IP need few addresses. */
export const PUBLIC_SUBNET_PREFIX = 28;

/** One planned subnet: its tier, zone id and CIDR, and the key it is known by (`private-use1-az1`). */
export interface PlannedSubnet {
  key: string;
  tier: SubnetTier;
  availabilityZone: string;
  cidr: string;
}

export interface VpcLayout {
  cidr: string;
  /** Zone ids, in the order given. */
  availabilityZones: string[];
  /** Every subnet, tier by tier, zone by zone in the order given. */
  subnets: PlannedSubnet[];
  /** CIDRs by tier, then by zone id; `public` only when zones asked for public subnets. */
  tiers: Record<"private" | "transit", Record<string, string>> & { public?: Record<string, string> };
}

export interface VpcLayoutInput {
  cidr: string;
  availabilityZones: string[];
  /** Zones (of `availabilityZones`) that get a public /28 too, in this order. @default none. */
  publicZones?: string[];
}

/** Why `input` cannot be laid out, as problems at `path` (`vpc.cidr`, `vpc.availabilityZones[1]`), or none. */
export function checkVpcLayout(problems: Problems, path: string, input: VpcLayoutInput): Cidr | undefined {
  const result = checkCidr(input.cidr, {
    version: 4,
    minPrefix: LAYOUT_VPC_PREFIX.min,
    maxPrefix: LAYOUT_VPC_PREFIX.max,
  });
  let cidr: Cidr | undefined;
  if ("problem" in result)
    problems.add(`${path}.cidr`, input.cidr, `${result.problem} (a VPC of a landing zone: /16 to /24)`);
  else cidr = result.cidr;
  const zones = input.availabilityZones;
  if (!Array.isArray(zones) || zones.length < LAYOUT_ZONES.min || zones.length > LAYOUT_ZONES.max)
    problems.add(
      `${path}.availabilityZones`,
      zones,
      `${LAYOUT_ZONES.min} or ${LAYOUT_ZONES.max} Availability Zone ids (use1-az1): each gets a quarter of the VPC`,
    );
  else
    zones.forEach((zone, i) => {
      const bad = zoneIdProblem(zone);
      if (bad) problems.add(`${path}.availabilityZones[${i}]`, zone, bad);
      else if (zones.indexOf(zone) !== i)
        problems.add(`${path}.availabilityZones[${i}]`, zone, "listed twice; list each zone once");
    });
  return cidr;
}

/**
 * Plans the subnets of a VPC: per zone a `private` quarter of the VPC and a `transit` /28 from the fourth
 * quarter. Throws a ValidationError naming `where` for a VPC CIDR or zones it cannot lay out.
 */
export function planVpcLayout(where: string, input: VpcLayoutInput, path = "vpc"): VpcLayout {
  const problems = new Problems();
  const cidr = checkVpcLayout(problems, path, input);
  if (cidr && input.publicZones)
    problems.addIf(
      `${path}.availabilityZones`,
      input.availabilityZones,
      publicZonesProblem(input, input.publicZones),
    );
  problems.throwIfAny(where);
  const vpc = cidr!;
  const zones = input.availabilityZones;
  const quarter = vpc.prefix + 2;
  const privateRequests = zones.map((z) => ({ key: `private-${z}`, prefix: quarter }));
  const privates = allocateSubnets(vpc, privateRequests);
  // The fourth quarter is reserved from the start, so the private quarters never move when a zone is added.
  const fourth = cidrAt(vpc.first + 3n * (1n << BigInt(32 - quarter)), quarter, 4);
  const transit = allocateSubnets(
    fourth,
    zones.map((z) => ({ key: `transit-${z}`, prefix: TRANSIT_SUBNET_PREFIX })),
  );
  const tiers: VpcLayout["tiers"] = { private: {}, transit: {} };
  const subnets: PlannedSubnet[] = [];
  for (const tier of SUBNET_TIERS)
    for (const zone of zones) {
      const key = `${tier}-${zone}`;
      const block = (tier === "private" ? privates : transit).allocated[key];
      tiers[tier as "private" | "transit"][zone] = block.text;
      subnets.push({ key, tier, availabilityZone: zone, cidr: block.text });
    }
  const publicZones = input.publicZones ?? [];
  if (publicZones.length > 0) {
    tiers.public = {};
    for (const [i, zone] of publicZones.entries()) {
      const block = publicSubnet(fourth, i);
      tiers.public[zone] = block.text;
      subnets.push({ key: `public-${zone}`, tier: "public", availabilityZone: zone, cidr: block.text });
    }
  }
  return { cidr: vpc.text, availabilityZones: [...zones], subnets, tiers };
}

/** The i-th public /28 of a VPC's fourth quarter, counted from its end. */
function publicSubnet(fourth: Cidr, i: number): Cidr {
  const size = 1n << BigInt(32 - PUBLIC_SUBNET_PREFIX);
  return cidrAt(fourth.last + 1n - BigInt(i + 1) * size, PUBLIC_SUBNET_PREFIX, 4);
}

/**
 * Why zones `publicZones` cannot get public /28s in the layout of `input` (already valid), or undefined: they must
 * be zones of the VPC, each once, and fit in the fourth quarter beside the transit /28s (a /24 VPC's quarter
 * holds four /28s: three zones' transit subnets leave room for one public subnet).
 */
export function publicZonesProblem(
  input: VpcLayoutInput,
  publicZones: readonly string[],
): string | undefined {
  const unknown = publicZones.find((z) => !input.availabilityZones.includes(z));
  if (unknown !== undefined)
    return `${unknown} is not a zone of the VPC; use zones of ${JSON.stringify(input.availabilityZones)}`;
  if (new Set(publicZones).size !== publicZones.length) return "a zone listed twice; list each zone once";
  const result = checkCidr(input.cidr, { version: 4 });
  if ("problem" in result) return undefined;
  const quarter = result.cidr.prefix + 2;
  const slots = 2 ** (PUBLIC_SUBNET_PREFIX - quarter);
  const free = slots - input.availabilityZones.length;
  if (publicZones.length > free)
    return `the VPC ${input.cidr} has room for ${free} public /28 beside its ${input.availabilityZones.length} transit /28s (its fourth quarter holds ${slots}); use a /23 or larger VPC, or fewer zones`;
  return undefined;
}
