/**
 * Generated environments for the planner benchmark: a global network of regions, each with a transit
 * gateway hub (four segments), up to 40 Site-to-Site VPN sites attached to it (below the default quota of
 * 50 VPN connections per region) and VPC attachments. Pure: plain data in, plain data out, the same on
 * every run, so the raw and the optimized runs plan exactly the same resources, and a slice of the regions
 * (one stack process each) plans exactly what the same regions plan in the whole.
 */
import type { SegmentSpec } from "../model/transitGateway";
import type { TransitGatewaySiteSpec } from "../model/vpn";

/** How big a generated environment is. */
export interface EnvironmentSize {
  /** VPN sites, one connection (two tunnels, BGP) each. */
  sites: number;
  /** VPCs attached to the hubs, each in one of the workload segments. */
  attachments: number;
}

/** A generated site: inside CIDRs and keys are left to the component. */
export type GeneratedSite = Omit<TransitGatewaySiteSpec, "tunnels">;

/** A VPC attached to its region's hub, as VpcAttachment takes it (ids are plain strings). */
export interface GeneratedAttachment {
  key: string;
  vpcId: string;
  segment: string;
  subnets: { availabilityZone: string; subnetId: string }[];
  routeTables: Record<string, string>;
  destinations: string[];
}

export interface GeneratedRegion {
  /** AWS region name. */
  region: string;
  /** Short name used in resource names (`useast1`). */
  key: string;
  sites: Record<string, GeneratedSite>;
  attachments: GeneratedAttachment[];
}

/** The segment policy: on-premises reaches every workload segment; prod and dev do not reach each other. */
export const SEGMENTS: Record<string, SegmentSpec> = {
  onprem: { isolated: true, reaches: ["prod", "dev", "shared"] },
  prod: { isolated: false, reaches: ["shared"] },
  dev: { isolated: false, reaches: ["shared"] },
  shared: { isolated: false },
};

const WORKLOAD_SEGMENTS = ["prod", "dev", "shared"];

/** Sites per region: below the default quota of 50 Site-to-Site VPN connections per region. */
export const SITES_PER_REGION = 40;

/** AWS regions in the order a generated network spreads over them. */
export const REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "eu-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "sa-east-1",
  "me-south-1",
  "af-south-1",
  "ap-east-1",
  "eu-central-2",
  "eu-south-2",
  "ap-south-2",
];

/**
 * Registrations one VPN site adds: customer gateway, connection, 2 keys, 3 alarms (each tunnel down, both
 * down), association, 3 propagations.
 */
export const RESOURCES_PER_SITE = 11;
/**
 * Registrations one VPC attachment adds: component, attachment, association, 2 routes, and a propagation
 * into each table its segment propagates to (prod and dev: onprem, own, shared; shared: all four).
 */
const RESOURCES_PER_ATTACHMENT: Record<string, number> = { prod: 8, dev: 8, shared: 9 };
/** Registrations per region besides sites and attachments: provider, hub (component, tgw, 4 tables). */
const PER_REGION = 7;
/** ... and, with sites, the VPN component and its log group. */
const PER_VPN = 2;

/** `n` as `width` hexadecimal digits, for ids that must look like EC2 ids. */
function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** Site number `i`: a public device address, a private ASN, one /24 behind it. */
function site(i: number): GeneratedSite {
  return {
    // 44.0.0.0/8 is public, routable address space; one device address per site.
    ipAddress: `44.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    bgpAsn: 65001 + (i % 500),
    prefixes: [`10.${128 + ((i >> 8) & 127)}.${i & 255}.0/24`],
  };
}

function attachment(i: number, region: string): GeneratedAttachment {
  return {
    key: `vpc${String(i).padStart(5, "0")}`,
    vpcId: `vpc-${hex(i, 17)}`,
    segment: WORKLOAD_SEGMENTS[i % WORKLOAD_SEGMENTS.length],
    subnets: [
      { availabilityZone: `${region}a`, subnetId: `subnet-${hex(2 * i, 17)}` },
      { availabilityZone: `${region}b`, subnetId: `subnet-${hex(2 * i + 1, 17)}` },
    ],
    routeTables: { private: `rtb-${hex(i, 17)}` },
    destinations: ["10.128.0.0/9", "192.168.0.0/16"],
  };
}

/** How many regions an environment of `size` spans. */
export function regionCount(size: EnvironmentSize): number {
  return Math.max(1, Math.ceil(size.sites / SITES_PER_REGION));
}

/**
 * The regions of an environment of `size`, or only `count` of them from `start`: sites fill regions 40 at a
 * time, attachments are spread evenly. Keys are zero-padded numbers, unique across the environment.
 */
export function generateRegions(
  size: EnvironmentSize,
  start = 0,
  count = regionCount(size),
): GeneratedRegion[] {
  const total = regionCount(size);
  if (total > REGIONS.length)
    throw new Error(`${size.sites} sites need ${total} regions; at most ${REGIONS.length}`);
  const regions: GeneratedRegion[] = [];
  for (let r = start; r < Math.min(total, start + count); r++) {
    const region = REGIONS[r];
    const sites: Record<string, GeneratedSite> = {};
    for (let i = r * SITES_PER_REGION; i < Math.min(size.sites, (r + 1) * SITES_PER_REGION); i++)
      sites[`site${String(i).padStart(5, "0")}`] = site(i);
    const attachments: GeneratedAttachment[] = [];
    const from = Math.floor((size.attachments * r) / total);
    const to = Math.floor((size.attachments * (r + 1)) / total);
    for (let i = from; i < to; i++) attachments.push(attachment(i, region));
    regions.push({ region, key: region.replace(/-/g, ""), sites, attachments });
  }
  return regions;
}

/** Registrations a program built from these regions makes (the benchmark checks the recorded count). */
export function expectedResources(regions: GeneratedRegion[]): number {
  let count = 0;
  for (const r of regions) {
    const sites = Object.keys(r.sites).length;
    count += PER_REGION + (sites > 0 ? PER_VPN : 0) + sites * RESOURCES_PER_SITE;
    for (const a of r.attachments) count += RESOURCES_PER_ATTACHMENT[a.segment];
  }
  return count;
}

/** Sites and attachments that add up to about `resources` registrations, about 60 % of them VPN. */
export function sizeFor(resources: number): EnvironmentSize {
  const sites = Math.max(1, Math.round((resources * 0.6) / RESOURCES_PER_SITE));
  const fixed = regionCount({ sites, attachments: 0 }) * (PER_REGION + PER_VPN);
  const attachments = Math.max(1, Math.round((resources - fixed - sites * RESOURCES_PER_SITE) / (25 / 3)));
  return { sites, attachments };
}

/** Stack configs of a generated landing zone, by stack name (`connectivity-<env>`): each a YAML `config:` map. */
export type LandingZoneConfigs = Record<string, Record<string, unknown>>;

/** Workload `i`'s key, account id and VPC CIDR: a /20 each in 10.64.0.0/10, so no two overlap. */
function workload(i: number): { key: string; accountId: string; vpcCidr: string } {
  return {
    key: `w${String(i).padStart(4, "0")}`,
    accountId: String(200000000000 + i),
    vpcCidr: `10.${64 + (i >> 4)}.${(i & 15) << 4}.0/20`,
  };
}

/**
 * A landing zone shaped like the reference dev environment, generated: one connectivity stack (a hub with
 * onprem, shared and workloads segments, `sites` data centers over BGP VPNs, the reverse PrivateLink service)
 * and `workloads` workload stacks, each attached in the workloads segment and offering a service over
 * PrivateLink. At most 1,024 workloads (one /20 each) and 65,536 sites.
 */
export function generateLandingZone(env: string, workloads: number, sites: number): LandingZoneConfigs {
  const connectivityAccount = "111122223333";
  const keys = Array.from({ length: workloads }, (_, i) => workload(i));
  const configs: LandingZoneConfigs = {
    [`connectivity-${env}`]: {
      "pulumi:disable-default-providers": ["aws"],
      "hybridnet:role": "connectivity",
      "hybridnet:aws": {
        region: "us-east-1",
        accountId: connectivityAccount,
        roleArn: `arn:aws:iam::${connectivityAccount}:role/hybridnet-deploy`,
      },
      "hybridnet:hub": {
        amazonSideAsn: 64512,
        segments: {
          onprem: { isolated: true, reaches: ["shared"] },
          shared: {},
          workloads: { isolated: true, reaches: ["shared"] },
        },
      },
      "hybridnet:vpc": {
        cidr: "10.10.0.0/20",
        availabilityZones: ["use1-az1", "use1-az2"],
        segment: "shared",
      },
      "hybridnet:vpn": {
        segment: "onprem",
        sites: Object.fromEntries(
          Array.from({ length: sites }, (_, i) => [
            `dc${String(i).padStart(3, "0")}`,
            {
              ipAddress: `44.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
              bgpAsn: 65001 + (i % 500),
              prefixes: [`172.${16 + ((i >> 8) & 15)}.${i & 255}.0/24`],
            },
          ]),
        ),
      },
      "hybridnet:workloads": Object.fromEntries(
        keys.map((w) => [w.key, { accountId: w.accountId, vpcCidr: w.vpcCidr }]),
      ),
      "hybridnet:onPremService": { port: 443, targets: { "dc-api": { ip: "172.16.10.10" } } },
    },
  };
  for (const w of keys)
    configs[`workload-${w.key}-${env}`] = {
      "pulumi:disable-default-providers": ["aws"],
      "hybridnet:role": "workload",
      "hybridnet:aws": {
        region: "us-east-1",
        accountId: w.accountId,
        roleArn: `arn:aws:iam::${w.accountId}:role/hybridnet-deploy`,
      },
      "hybridnet:vpc": { cidr: w.vpcCidr, availabilityZones: ["use1-az1", "use1-az2"] },
      "hybridnet:attachment": {
        segment: "workloads",
        hubRoleArn: `arn:aws:iam::${connectivityAccount}:role/hybridnet-attach`,
      },
      "hybridnet:service": { port: 443, targetPort: 8443 },
    };
  return configs;
}
