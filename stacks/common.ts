/**
 * What both roles of the landing-zone program share: the account's provider, the awsx VPC of a planned
 * layout and the ids of its subnets and route tables, reading another stack's outputs, and the preflight that
 * runs the components' own checks before anything registers.
 */

// The ec2 module alone: the package root also loads awsx classic, ECS, ECR, CloudTrail and LB (about 160 ms of
// start-up for every program run), none of which a stack uses.
import * as awsxEc2 from "@pulumi/awsx/ec2";
import * as pulumi from "@pulumi/pulumi";
import type { AccountAccess } from "../components/accountAccess";
import * as aws from "../components/aws";
import { protectAnchors } from "../components/protection";
import { Problems, ValidationError } from "../model/errors";
import { CONFIG_NAMESPACE, qualifiedStackName, type StackIdentity } from "../model/stackConfig";
import type { SubnetTier, VpcLayout } from "../model/vpcLayout";
import { zoneNamesById } from "../model/zones";

/** The account a stack deploys into, as its config gives it. */
export interface AccountConfig {
  region: string;
  accountId: string;
  roleArn: string;
}

/**
 * The AWS provider of one account: it assumes `roleArn` in `region`, refuses to act in any other account, and
 * tags every resource with the stack and environment.
 */
export function accountProvider(name: string, identity: StackIdentity, account: AccountConfig): aws.Provider {
  const access = stackAccess(identity, account.roleArn);
  return new aws.Provider(name, {
    region: account.region as aws.Region,
    assumeRoles: [{ roleArn: access.roleArn, sessionName: access.sessionName! }],
    allowedAccountIds: [account.accountId],
    defaultTags: { tags: access.defaultTags! },
  });
}

/**
 * Another account's (or Region's) access as a component takes it: `roleArn`, with the session name and default
 * tags of the stack's own provider, so what the component's provider creates is tagged and traced the same way.
 */
export function stackAccess(identity: StackIdentity, roleArn: string): AccountAccess {
  return {
    roleArn,
    sessionName: `hybridnet-${identity.stack}`,
    defaultTags: { "hybridnet:stack": identity.stack, "hybridnet:environment": identity.env },
  };
}

/**
 * The account's own names for `zoneIds`, by id (`use1-az1` → `us-east-1c`), from `aws.getAvailabilityZones`
 * through the account's provider: names map to different zones in each account, and awsx takes names. A zone id
 * the account does not have stops the stack with one ValidationError at `path` (`hybridnet:vpc.availabilityZones`).
 * This asks AWS, so it runs once the provider is registered — the provider only, before any other resource.
 */
export async function accountZoneNames(
  stack: string,
  provider: aws.Provider,
  account: string,
  zoneIds: readonly string[],
  path: string,
): Promise<Record<string, string>> {
  const zones = await aws.getAvailabilityZones({ state: "available" }, { provider });
  const problems = new Problems();
  const names = zoneNamesById(
    problems,
    path,
    zoneIds,
    { names: zones.names, zoneIds: zones.zoneIds },
    account,
  );
  problems.throwIfAny(stack);
  return names;
}

/** One subnet of a laid-out VPC, as the components take it: zone id, subnet id and CIDR. */
export interface LaidOutSubnet {
  /** Zone id (`use1-az1`): the components and the other accounts' stacks compare zones by id. */
  availabilityZone: string;
  subnetId: pulumi.Output<string>;
  cidr: string;
}

/** A subnet as a stack publishes it: what a network model of the environment needs to place and route it. */
export interface PublishedSubnet {
  id: string;
  cidr: string;
  /** The subnet's own route table (awsx creates one per subnet). */
  routeTableId: string;
}

/** An awsx VPC with its subnets and route tables found by the planned layout, never by list position. */
export interface LaidOutVpc {
  vpc: awsxEc2.Vpc;
  vpcId: pulumi.Output<string>;
  layout: VpcLayout;
  subnets: Record<SubnetTier, LaidOutSubnet[]>;
  /** Route tables of the private subnets, keyed `private-<zone id>` (routes toward the transit gateway go there). */
  privateRouteTables: Record<string, pulumi.Output<string>>;
  /**
   * Every subnet by tier and zone id with its id, CIDR and route table id: a stack output, since awsx reports
   * route tables only as child resources, which a plan does not see.
   */
  published: pulumi.Output<Partial<Record<SubnetTier, Record<string, PublishedSubnet>>>>;
}

/**
 * An awsx VPC with exactly the subnets of `layout` (explicit CIDRs: awsx computes nothing), no NAT gateways and
 * no internet gateway use: landing-zone VPCs reach out through the hub. Subnet ids are looked up by VPC and
 * planned CIDR, route tables by subnet: awsx outputs subnets as lists and route tables only as resources.
 * `zoneNames` maps the layout's zone ids to the account's zone names ({@link accountZoneNames}): awsx takes names.
 */
export function laidOutVpc(
  name: string,
  layout: VpcLayout,
  zoneNames: Record<string, string>,
  provider: aws.Provider,
  opts: pulumi.ComponentResourceOptions,
  tags: Record<string, string>,
): LaidOutVpc {
  const zones = layout.availabilityZones;
  const publicTier = layout.tiers.public;
  if (publicTier && zones.some((z) => publicTier[z] === undefined))
    throw new Error(`${name}: awsx needs a public subnet in every zone of the VPC, or in none`);
  const vpc = new awsxEc2.Vpc(
    name,
    {
      cidrBlock: layout.cidr,
      availabilityZoneNames: zones.map((z) => zoneNames[z]),
      subnetStrategy: "Auto",
      subnetSpecs: [
        { type: "Private", name: "private", cidrBlocks: zones.map((z) => layout.tiers.private[z]) },
        { type: "Isolated", name: "transit", cidrBlocks: zones.map((z) => layout.tiers.transit[z]) },
        // A software VPN appliance's public subnets: awsx takes a spec's CIDRs for every zone, and adds the
        // internet gateway and the public route tables' 0.0.0.0/0 route to it.
        ...(publicTier
          ? [{ type: "Public" as const, name: "public", cidrBlocks: zones.map((z) => publicTier[z]) }]
          : []),
      ],
      natGateways: { strategy: "None" },
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { ...tags, Name: name },
    },
    { ...opts, providers: { aws: provider } },
  );
  const invoke = { provider, parent: vpc };
  const subnets = { private: [], transit: [], public: [] } as Record<SubnetTier, LaidOutSubnet[]>;
  for (const planned of layout.subnets)
    subnets[planned.tier].push({
      availabilityZone: planned.availabilityZone,
      cidr: planned.cidr,
      subnetId: aws.ec2.getSubnetOutput({ vpcId: vpc.vpcId, cidrBlock: planned.cidr }, invoke).id,
    });
  const routeTableOf = (s: LaidOutSubnet) =>
    aws.ec2.getRouteTableOutput({ subnetId: s.subnetId }, invoke).routeTableId;
  const privateRouteTables = Object.fromEntries(
    subnets.private.map((s) => [`private-${s.availabilityZone}`, routeTableOf(s)]),
  );
  const publish = (tier: SubnetTier): pulumi.Output<Record<string, PublishedSubnet>> =>
    pulumi
      .all(
        subnets[tier].map((s) =>
          pulumi
            .all([
              s.subnetId,
              tier === "private" ? privateRouteTables[`private-${s.availabilityZone}`] : routeTableOf(s),
            ])
            .apply(([id, routeTableId]): [string, PublishedSubnet] => [
              s.availabilityZone,
              { id, cidr: s.cidr, routeTableId },
            ]),
        ),
      )
      .apply((entries) => Object.fromEntries(entries));
  const published = pulumi
    .all([publish("private"), publish("transit"), ...(publicTier ? [publish("public")] : [])])
    .apply(([privateTier, transit, publicSubnets]) => ({
      private: privateTier,
      transit,
      ...(publicSubnets ? { public: publicSubnets } : {}),
    }));
  return { vpc, vpcId: vpc.vpcId, layout, subnets, privateRouteTables, published };
}

/** Every output of a referenced stack, read now (plain values; secrets unwrapped), for checking. */
export async function readStackOutputs(
  reference: pulumi.StackReference,
  names: readonly string[],
): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const name of names) {
    const details = await reference.getOutputDetails(name);
    const value = details.value ?? details.secretValue;
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/** A stand-in for an id another resource will have: not a string, so the model's id checks let it pass. */
/** Tunnel inside CIDRs by VPN component (`dc`, `dx-vpn`, `branches`, `vpn`), then by connection key. */
export type InsideCidrsByComponent = Record<string, Record<string, string[]>>;

/**
 * The tunnel inside CIDRs this stack's last deployment allocated (its own `tunnelInsideCidrs` output, read
 * through a StackReference to itself; none before the first deployment). They persist in the stack's state,
 * not in config: every run keeps them without anyone copying CIDRs into Pulumi.<stack>.yaml, and config stays
 * the place to pin a CIDR on purpose (`tunnels[].insideCidr`). A tunnel's inside CIDR must never move:
 * `tunnelN_inside_cidr` forces a new VPN connection with new outside addresses.
 */
export async function readOwnInsideCidrs(identity: StackIdentity): Promise<InsideCidrsByComponent> {
  const own = new pulumi.StackReference(`${identity.stack}-own-outputs`, {
    name: qualifiedStackName(identity.organization, identity.stack),
  });
  const { tunnelInsideCidrs } = await readStackOutputs(own, ["tunnelInsideCidrs"]);
  if (tunnelInsideCidrs === undefined) return {};
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isRecord(tunnelInsideCidrs) || !Object.values(tunnelInsideCidrs).every(isRecord))
    throw new ValidationError(identity.stack, [
      {
        path: `stack output ${identity.stack}.tunnelInsideCidrs`,
        value: tunnelInsideCidrs,
        allowed:
          'tunnel inside CIDRs by VPN component and connection key, as this program outputs them: { "dc": { "dc1-1": ["169.254.10.0/30", "169.254.10.4/30"] } }',
      },
    ]);
  return tunnelInsideCidrs as InsideCidrsByComponent;
}

export const LATER: pulumi.Input<string> = pulumi.output("(known after deployment)");

/**
 * Runs `plan` (a component's own checks, from model/) before anything registers and records what it refuses
 * in `problems`, at the config path `toConfigPath` gives for the component's argument path, or under the
 * component's name where the argument has no config path of its own.
 */
export function preflight(
  problems: Problems,
  toConfigPath: (argumentPath: string) => string | undefined,
  plan: () => unknown,
): void {
  try {
    plan();
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    for (const p of e.problems)
      problems.add(toConfigPath(p.path) ?? `${e.where}: ${p.path}`, p.value, p.allowed, p.secret ?? false);
  }
}

/** Maps a component argument path under `argPrefix` to the config path under `configPrefix`. */
export function underConfig(argPrefix: string, configPrefix: string): (path: string) => string | undefined {
  return (path) =>
    path === argPrefix || path.startsWith(`${argPrefix}.`) || path.startsWith(`${argPrefix}[`)
      ? `${CONFIG_NAMESPACE}:${configPrefix}${path.slice(argPrefix.length)}`
      : undefined;
}

/**
 * The resource options of a stack's components: through the account's provider; in production the stateful
 * anchors protected (model/protection), not the routes, rules, alarms and keys routine changes replace.
 */
export function componentOptions(provider: aws.Provider, prod: boolean): pulumi.ComponentResourceOptions {
  return { providers: { aws: provider }, ...(prod ? { transformations: [protectAnchors] } : {}) };
}

export { Problems };

/**
 * A VPN setting's sites as the VPN components take them: without `device`, which says how to render the
 * on-premises side (`hybridnet device-config`, `plan --out`) and is no argument of a component.
 */
export function componentSites<S extends { device?: unknown }>(
  sites: Record<string, S>,
): Record<string, Omit<S, "device">> {
  return Object.fromEntries(Object.entries(sites).map(([key, { device: _device, ...site }]) => [key, site]));
}
