/**
 * AWS list prices the plan's cost estimate uses (issue 18): data only, one entry per item and Region, each
 * with its price in USD, the unit, the date it was taken and the AWS pricing page it belongs to. A TypeScript
 * file rather than JSON so it compiles into `dist/` with the package (tsconfig has no `resolveJsonModule`,
 * and `tsc` copies no JSON) and its shape is type-checked; it holds no logic beyond the row helper below.
 *
 * How sure each figure is, is in its `note`: none of these machines reach aws.amazon.com, and the stored
 * copies of the AWS pricing pages render their tables from scripts, so most figures could not be read from
 * the AWS page itself. `asOf` is the day they were entered; check them against the `source` page before
 * relying on the estimate for a budget.
 */

/** One price: `usd` per `unit` in `region`. */
export interface PriceEntry {
  usd: number;
  unit: string;
  /** AWS Region code; for Direct Connect ports, the Region of the Direct Connect location. */
  region: string;
  /** The day the price was entered (YYYY-MM-DD). */
  asOf: string;
  /** The AWS pricing page the price belongs to. */
  source: string;
  /** How the figure was confirmed, or that it was not. */
  note?: string;
}

/** The Regions priced: us-east-1 and the Regions of the reference environments (stacks/Pulumi.*.yaml). */
export const PRICED_REGIONS = ["us-east-1", "eu-west-1", "eu-central-1"] as const;

const AS_OF = "2026-12-07";

const SOURCE = {
  vpn: "https://aws.amazon.com/vpn/pricing/",
  tgw: "https://aws.amazon.com/transit-gateway/pricing/",
  privatelink: "https://aws.amazon.com/privatelink/pricing/",
  elb: "https://aws.amazon.com/elasticloadbalancing/pricing/",
  dx: "https://aws.amazon.com/directconnect/pricing/",
  ec2: "https://aws.amazon.com/ec2/pricing/on-demand/",
  ebs: "https://aws.amazon.com/ebs/pricing/",
  vpc: "https://aws.amazon.com/vpc/pricing/",
} as const;

type Row = [item: string, unit: string, source: string, usd: Record<string, number>, note?: string];

/** The same price in every priced Region. */
const everywhere = (usd: number) => Object.fromEntries(PRICED_REGIONS.map((r) => [r, usd]));

const UNCONFIRMED =
  "not confirmed from a stored copy of the AWS page; entered from AWS's published list price";

const ROWS: Row[] = [
  [
    "vpn-connection",
    "connection-hour",
    SOURCE.vpn,
    everywhere(0.05),
    `${UNCONFIRMED}; the same figure in all three Regions. Accelerated VPN's Global Accelerator charges are not included`,
  ],
  [
    "tgw-attachment",
    "attachment-hour",
    SOURCE.tgw,
    { "us-east-1": 0.05, "eu-west-1": 0.05, "eu-central-1": 0.06 },
    "one price for VPC, VPN, Direct Connect gateway and peering attachments; who pays (the VPC owner, the transit gateway owner for VPN, the Direct Connect gateway owner, each transit gateway owner for a peering) read from a stored copy of the AWS page (German edition, aws.amazon.com/de/transit-gateway/pricing/); $0.05 from the page's own pricing example (US East, transcribed 2026-09-20 by api-evangelist); eu-west-1 and eu-central-1 not confirmed from a stored page",
  ],
  [
    "tgw-data-processing",
    "GB",
    SOURCE.tgw,
    everywhere(0.02),
    "charged per GB sent into the transit gateway from a VPC, Direct Connect or VPN attachment (stored AWS page, German edition); $0.02 per GB from the page's own pricing example (US East); eu-west-1 and eu-central-1 not confirmed from a stored page",
  ],
  [
    "interface-endpoint",
    "endpoint-AZ-hour",
    SOURCE.privatelink,
    { "us-east-1": 0.01, "eu-west-1": 0.011, "eu-central-1": 0.012 },
    `per endpoint per Availability Zone; ${UNCONFIRMED} (the stored AWS page states the per-AZ billing, not the figure)`,
  ],
  [
    "interface-endpoint-data-processing",
    "GB",
    SOURCE.privatelink,
    everywhere(0.01),
    "the first tier (first 1 PB a month in a Region), read from a stored copy of the AWS page; eu Regions not confirmed",
  ],
  [
    "nlb",
    "NLB-hour",
    SOURCE.elb,
    { "us-east-1": 0.0225, "eu-west-1": 0.0252, "eu-central-1": 0.027 },
    `${UNCONFIRMED}; NLCU charges are not included (see docs/plan.md "Cost")`,
  ],
  [
    "client-vpn-association",
    "association-hour",
    SOURCE.vpn,
    everywhere(0.1),
    `${UNCONFIRMED}; a stored third-party page gives $0.15 for Tokyo, so Regions differ: check eu-west-1 and eu-central-1`,
  ],
  [
    "client-vpn-connection",
    "connection-hour",
    SOURCE.vpn,
    everywhere(0.05),
    "$0.05 per connection-hour confirmed for Tokyo by a stored third-party page; the same in these Regions per AWS's list, not confirmed from a stored page",
  ],
  // Direct Connect ports are priced by location; these are the prices of locations in the US and Europe
  // (the reference environments' EqDC2, CSVA1, LD5), keyed by the Region the location is associated with.
  [
    "dx-dedicated-port:1Gbps",
    "port-hour",
    SOURCE.dx,
    everywhere(0.3),
    "US and Europe locations (Japan and some others differ); $0.30 ($219 a 730-hour month) confirmed by stored third-party pages only",
  ],
  [
    "dx-dedicated-port:10Gbps",
    "port-hour",
    SOURCE.dx,
    everywhere(2.25),
    "US and Europe locations; $2.25 confirmed by a stored third-party page only",
  ],
  [
    "dx-dedicated-port:100Gbps",
    "port-hour",
    SOURCE.dx,
    everywhere(22.5),
    "US and Europe locations; $22.50 confirmed by a stored third-party page only",
  ],
  ...(
    [
      ["50Mbps", 0.03],
      ["100Mbps", 0.06],
      ["200Mbps", 0.08],
      ["300Mbps", 0.12],
      ["400Mbps", 0.16],
      ["500Mbps", 0.2],
      ["1Gbps", 0.33],
      ["2Gbps", 0.66],
      ["5Gbps", 1.65],
      ["10Gbps", 2.48],
    ] as const
  ).map(
    ([speed, usd]): Row => [
      `dx-hosted-port:${speed}`,
      "port-hour",
      SOURCE.dx,
      everywhere(usd),
      speed === "1Gbps"
        ? "US and Europe locations; $0.33 ($240.90 a month) confirmed by a stored third-party page only"
        : `US and Europe locations; ${UNCONFIRMED}`,
    ],
  ),
  // The appliance's instance types (model/softwareVpn: t3/t3a/t4g and later, c/m/r of generation 5 and
  // later): the default and the common router sizes. Another type is a missing price, named as such.
  ...(
    [
      ["c6i.large", 0.085, 0.0956, 0.097],
      ["c6i.xlarge", 0.17, 0.1912, 0.194],
      ["m6i.large", 0.096, 0.107, 0.115],
      ["t3.small", 0.0208, 0.0228, 0.024],
      ["t3.medium", 0.0416, 0.0456, 0.048],
      ["t4g.medium", 0.0336, 0.0368, 0.0384],
    ] as const
  ).map(
    ([type, east, ireland, frankfurt]): Row => [
      `ec2-instance:${type}`,
      "instance-hour",
      SOURCE.ec2,
      { "us-east-1": east, "eu-west-1": ireland, "eu-central-1": frankfurt },
      `Linux on-demand; ${UNCONFIRMED}`,
    ],
  ),
  [
    "ebs:gp3",
    "GB-month",
    SOURCE.ebs,
    { "us-east-1": 0.08, "eu-west-1": 0.088, "eu-central-1": 0.0952 },
    `storage only (the baseline 3,000 IOPS and 125 MB/s are free); ${UNCONFIRMED}`,
  ],
  [
    "public-ipv4",
    "address-hour",
    SOURCE.vpc,
    everywhere(0.005),
    "every public IPv4 address, in use or idle, Elastic IPs included, since 2024-02-01 (AWS networking blog, stored); $0.005 confirmed by several stored third-party pages",
  ],
];

/** Every price, keyed `<item>/<region>` (`vpn-connection/us-east-1`). */
export const PRICES: Readonly<Record<string, PriceEntry>> = Object.fromEntries(
  ROWS.flatMap(([item, unit, source, byRegion, note]) =>
    Object.entries(byRegion).map(([region, usd]) => [
      `${item}/${region}`,
      { usd, unit, region, asOf: AS_OF, source, ...(note ? { note } : {}) },
    ]),
  ),
);
