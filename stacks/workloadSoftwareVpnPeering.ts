/**
 * `hybridnet:softwareVpnPeering` of a workload stack: this workload's side of a software-to-software VPN with
 * another workload's VPC (the SoftwareVpnPeering design, split over the two stacks, since each pair lives in its
 * own account): an appliance pair in this VPC's public subnets, a tunnel from each instance of side a to each
 * instance of side b, BGP over each, the other VPC's CIDR routed from the private route tables to the active
 * appliance. Both stacks compute the same plan (model/softwareVpn/peering: the inside /30s, the tunnel options)
 * from the two sides' published CIDR and ASN, and each renders its own instances' files from it.
 *
 * Across the two stacks (each its own account and state):
 * - side b deploys first (side a reads it: a hard reference). Its pass 1 allocates its two Elastic IPs and
 *   publishes them (`softwareVpnPeering`), nothing else: its appliances need the keys side a generates.
 * - side a reads b's Elastic IPs, CIDR and ASN, generates the four pre-shared keys (@pulumi/random), allocates
 *   its Elastic IPs and registers its pair; it publishes its side and the keys as a secret output
 *   (`softwareVpnPeeringPresharedKeys`).
 * - side b's pass 2 (a soft reference back to a) reads a's side and the keys (secret all the way into its
 *   instances' user data) and registers its pair. Its Elastic IPs never change, so a's configuration holds.
 */

import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as aws from "../components/aws";
import { SoftwareVpnAppliance, type SoftwareVpnApplianceArgs } from "../components/SoftwareVpnAppliance";
import { AT_DEPLOYMENT, checkCidr } from "../model/addressing";
import { componentWhere, Problems, ValidationError } from "../model/errors";
import {
  APPLIANCE_ROLES,
  type ApplianceRole,
  defaultPrivateIp,
  planSoftwareVpnAppliance,
} from "../model/softwareVpn/appliance";
import { applianceConfigFiles } from "../model/softwareVpn/managedVpnSite";
import {
  otherSide,
  type PeeringSide,
  peeringDeviceSite,
  planSoftwareVpnPeering,
  type SoftwareVpnPeeringPlan,
} from "../model/softwareVpn/peering";
import {
  CONFIG_NAMESPACE,
  qualifiedStackName,
  type StackIdentity,
  type WorkloadConfig,
  workloadStackName,
} from "../model/stackConfig";
import {
  checkStackOutputs,
  type SoftwarePeerOutputs,
  softwarePeerOutputsSchema,
} from "../model/stackOutputs";
import type { VpcLayout } from "../model/vpcLayout";
import { preflight, readStackOutputs, underConfig } from "./common";

const SETTING = `${CONFIG_NAMESPACE}:softwareVpnPeering`;

/** The appliance pair's name in a workload stack: `<workload>-swpeer`. */
export const softwareVpnPeeringName = (workload: string) => `${workload}-swpeer`;

/** The ids the pair needs from the laid-out VPC (stand-ins before anything registers). */
export interface ApplianceIds {
  vpcId: pulumi.Input<string>;
  /** Public subnets by zone id. */
  publicSubnets: Record<string, pulumi.Input<string>>;
  privateRouteTables: Record<string, pulumi.Input<string>>;
}

/** Where each instance of an appliance pair runs: its zone, its public subnet, its fixed address (the last usable). */
export type AppliancePlacement = Record<
  ApplianceRole,
  { zone: string; subnetCidr: string; privateIp: string }
>;

/** The placement of a pair in `zones` (primary's, standby's) of the VPC's public tier. */
export function appliancePlacement(layout: VpcLayout, zones: readonly string[]): AppliancePlacement {
  return Object.fromEntries(
    APPLIANCE_ROLES.map((role, i) => {
      const subnetCidr = layout.tiers.public?.[zones[i]] ?? "";
      const subnet = checkCidr(subnetCidr, { version: 4 });
      return [
        role,
        { zone: zones[i], subnetCidr, privateIp: "cidr" in subnet ? defaultPrivateIp(subnet.cidr) : "" },
      ];
    }),
  ) as AppliancePlacement;
}

/** What the other side published, with its secret keys when it is side a; absent before it deployed. */
export interface SoftwarePeer {
  stack: string;
  outputs?: SoftwarePeerOutputs;
  /** Side a's pre-shared keys by tunnel key, read by side b (secret). */
  presharedKeys?: pulumi.Output<Record<string, string>>;
}

/**
 * Reads the other side's stack (a StackReference registers nothing) and checks it declares this workload as its
 * peer, on the other side. Side a cannot deploy before side b; side b's first pass goes without a.
 */
export async function readSoftwareVpnPeer(
  identity: StackIdentity,
  c: WorkloadConfig,
): Promise<SoftwarePeer | undefined> {
  const setting = c.softwareVpnPeering;
  if (!setting) return undefined;
  const stack = workloadStackName(setting.peer, identity.env);
  const reference = new pulumi.StackReference(`${stack}-swpeer`, {
    name: qualifiedStackName(identity.organization, stack),
  });
  const outputs = await readStackOutputs(reference, ["softwareVpnPeering"]);
  const problems = new Problems();
  if (outputs.softwareVpnPeering === undefined) {
    if (setting.side === "b") return { stack };
    problems.add(
      `${SETTING}.peer`,
      setting.peer,
      `a workload whose side b is deployed: ${stack} has no softwareVpnPeering output yet; deploy it first (its pass 1 allocates the Elastic IPs side a connects to)`,
    );
    problems.throwIfAny(identity.stack);
  }
  let published: SoftwarePeerOutputs;
  try {
    published = checkStackOutputs(
      identity.stack,
      stack,
      softwarePeerOutputsSchema,
      outputs,
    ).softwareVpnPeering;
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new ValidationError(identity.stack, e.problems);
  }
  const other = otherSide(setting.side);
  if (published.peer !== identity.workload)
    problems.add(
      `${SETTING}.peer`,
      setting.peer,
      `a workload that peers with this one: ${stack} declares hybridnet:softwareVpnPeering.peer ${published.peer} (stack output ${stack}.softwareVpnPeering.peer)`,
    );
  if (published.side !== other)
    problems.add(
      `${SETTING}.side`,
      setting.side,
      `the other side than ${stack}'s "${published.side}" (stack output ${stack}.softwareVpnPeering.side): one side is "a", the other "b"`,
    );
  problems.throwIfAny(identity.stack);
  return {
    stack,
    outputs: published,
    ...(other === "a"
      ? {
          presharedKeys: reference.getOutput("softwareVpnPeeringPresharedKeys") as pulumi.Output<
            Record<string, string>
          >,
        }
      : {}),
  };
}

/** What the setting plans: the placement, and the peering once the other side has published its part. */
export interface SoftwareVpnPeeringPlanned {
  name: string;
  side: PeeringSide;
  placement: AppliancePlacement;
  /** The tunnels (both stacks compute the same), once the other side's CIDR and ASN are known. */
  plan?: SoftwareVpnPeeringPlan;
}

/** The plan of the workload's setting, or undefined without one. Throws the plan's refusals at config paths. */
export function softwareVpnPeeringPlan(
  identity: StackIdentity,
  c: WorkloadConfig,
  layout: VpcLayout,
  peer: SoftwarePeer | undefined,
): SoftwareVpnPeeringPlanned | undefined {
  const setting = c.softwareVpnPeering;
  if (!setting) return undefined;
  const name = softwareVpnPeeringName(identity.workload ?? "");
  const zones = setting.appliance.zones ?? c.vpc.availabilityZones.slice(0, 2);
  const planned: SoftwareVpnPeeringPlanned = {
    name,
    side: setting.side,
    placement: appliancePlacement(layout, zones),
  };
  const theirs = peer?.outputs;
  if (!theirs) return planned;
  const mine = { vpcCidrs: [c.vpc.cidr], asn: setting.appliance.bgpAsn };
  const other = { vpcCidrs: [theirs.vpcCidr], asn: theirs.asn };
  const at = `stack output ${peer.stack}.softwareVpnPeering`;
  const toConfig = (path: string) =>
    path.startsWith(`${setting.side}.asn`)
      ? `${SETTING}.appliance.bgpAsn`
      : path.startsWith(`${setting.side}.vpcCidrs`)
        ? `${CONFIG_NAMESPACE}:vpc.cidr`
        : path.includes(".vpcCidrs")
          ? `${at}.vpcCidr`
          : path.includes(".asn")
            ? `${at}.asn`
            : undefined;
  const problems = new Problems();
  preflight(problems, toConfig, () => {
    planned.plan = planSoftwareVpnPeering(
      componentWhere("SoftwareVpnPeering", name),
      setting.side === "a" ? { a: mine, b: other } : { a: other, b: mine },
    );
  });
  problems.throwIfAny(identity.stack);
  return planned;
}

/** The pair's SoftwareVpnAppliance arguments: peers the other side's Elastic IPs, the other VPC routed to it. */
function applianceArgs(
  identity: StackIdentity,
  c: WorkloadConfig,
  planned: SoftwareVpnPeeringPlanned,
  theirs: SoftwarePeerOutputs,
  ids: ApplianceIds,
  instance: (
    role: ApplianceRole,
  ) => Pick<SoftwareVpnApplianceArgs["primary"], "configFiles" | "elasticIpAllocationId">,
): SoftwareVpnApplianceArgs {
  const other = otherSide(planned.side);
  const placed = (role: ApplianceRole) => ({
    availabilityZoneId: planned.placement[role].zone,
    subnetId: ids.publicSubnets[planned.placement[role].zone],
    subnetCidr: planned.placement[role].subnetCidr,
    privateIp: planned.placement[role].privateIp,
    ...instance(role),
  });
  const setting = c.softwareVpnPeering!;
  return {
    vpcId: ids.vpcId,
    primary: placed("primary"),
    standby: placed("standby"),
    peers: Object.fromEntries(
      APPLIANCE_ROLES.map((role) => [
        `${other}-${role}`,
        {
          address: theirs.publicIps[role],
          description: `${setting.peer}'s ${role} appliance (side ${other})`,
        },
      ]),
    ),
    forwardedCidrs: [c.vpc.cidr],
    routeTableIds: ids.privateRouteTables,
    destinationCidrs: [theirs.vpcCidr],
    ...(setting.appliance.instanceType ? { instanceType: setting.appliance.instanceType } : {}),
    ...(c.alarms?.actions ? { statusAlarms: { actions: c.alarms.actions } } : {}),
    tags: {
      "hybridnet:environment": identity.env,
      "hybridnet:workload": identity.workload ?? "",
      "hybridnet:peer": setting.peer,
    },
  };
}

/** The appliance's own checks on stand-in ids and files, once the other side is known. */
export function preflightSoftwareVpnPeering(
  problems: Problems,
  identity: StackIdentity,
  c: WorkloadConfig,
  planned: SoftwareVpnPeeringPlanned | undefined,
  peer: SoftwarePeer | undefined,
  ids: ApplianceIds,
): void {
  if (!planned?.plan || !peer?.outputs) return;
  const files = { "swanctl.conf": "#", "frr.conf": "#" };
  const args = applianceArgs(identity, c, planned, peer.outputs, ids, () => ({ configFiles: files }));
  const toConfig = (path: string) =>
    underConfig("instanceType", "softwareVpnPeering.appliance.instanceType")(path) ??
    underConfig("statusAlarms.actions", "alarms.actions")(path) ??
    (path.startsWith("peers") ? `stack output ${peer.stack}.softwareVpnPeering.publicIps` : undefined);
  preflightAppliance(problems, planned.name, args, toConfig);
}

/**
 * The pair's own checks (component SoftwareVpnAppliance `name`) on stand-in ids and files, its peers' addresses
 * known only at deployment; problems reported at the config paths `toConfig` gives.
 */
export function preflightAppliance(
  problems: Problems,
  name: string,
  args: SoftwareVpnApplianceArgs,
  toConfig: (path: string) => string | undefined,
): void {
  preflight(problems, toConfig, () =>
    planSoftwareVpnAppliance(componentWhere("SoftwareVpnAppliance", name), {
      ...args,
      peers: Object.fromEntries(
        Object.entries(args.peers).map(([k, p]) => [k, { ...p, address: AT_DEPLOYMENT }]),
      ),
    }),
  );
}

/** An instance's rendered strongSwan and FRR files as the appliance takes them: one Output per file. */
export function configFileOutputs(rendered: pulumi.Output<Record<string, string>>) {
  return {
    "swanctl.conf": rendered.apply((f) => f["swanctl.conf"] ?? ""),
    "frr.conf": rendered.apply((f) => f["frr.conf"] ?? ""),
  };
}

/**
 * What each instance of a config-built pair gets: its Elastic IP and the files `render` makes for its role,
 * kept secret (they hold the pre-shared keys).
 */
export function instanceEipAndFiles(
  eips: Record<ApplianceRole, aws.ec2.Eip>,
  render: (role: ApplianceRole) => pulumi.Output<Record<string, string>>,
) {
  return (role: ApplianceRole) => ({
    elasticIpAllocationId: eips[role].allocationId,
    configFiles: configFileOutputs(pulumi.secret(render(role))),
  });
}

/** Resource options of a custom resource of the stack: the account's provider, the stack's transformations. */
export function customOptions(opts: pulumi.ComponentResourceOptions): pulumi.CustomResourceOptions {
  const providers = opts.providers as Record<string, pulumi.ProviderResource> | undefined;
  return {
    ...(providers?.aws ? { provider: providers.aws } : {}),
    ...(opts.transformations ? { transformations: opts.transformations } : {}),
  };
}

/**
 * The pair's two Elastic IPs (`<name>-primary`, `<name>-standby`), registered before the pair itself: the other
 * side of its tunnels needs the addresses first. Their public addresses as one Output.
 */
export function applianceElasticIps(
  identity: StackIdentity,
  name: string,
  opts: pulumi.ComponentResourceOptions,
) {
  const tags = { "hybridnet:environment": identity.env, "hybridnet:workload": identity.workload ?? "" };
  const eips = Object.fromEntries(
    APPLIANCE_ROLES.map((role) => [
      role,
      new aws.ec2.Eip(
        `${name}-${role}`,
        { domain: "vpc", tags: { ...tags, Name: `${name}-${role}` } },
        customOptions(opts),
      ),
    ]),
  ) as Record<ApplianceRole, aws.ec2.Eip>;
  return { eips, publicIps: pulumi.all({ primary: eips.primary.publicIp, standby: eips.standby.publicIp }) };
}

/**
 * Registers this side: its two Elastic IPs always; side a its pre-shared keys and pair; side b its pair once side
 * a has published. Returns the stack outputs it adds.
 */
export function addSoftwareVpnPeering(
  identity: StackIdentity,
  c: WorkloadConfig,
  planned: SoftwareVpnPeeringPlanned,
  peer: SoftwarePeer,
  ids: ApplianceIds,
  opts: pulumi.ComponentResourceOptions,
) {
  const setting = c.softwareVpnPeering!;
  const { eips, publicIps } = applianceElasticIps(identity, planned.name, opts);
  const outputs: Record<string, unknown> = {
    softwareVpnPeering: pulumi.output({
      peer: setting.peer,
      side: setting.side,
      asn: setting.appliance.bgpAsn,
      vpcCidr: c.vpc.cidr,
      publicIps,
      ...(planned.plan
        ? { insideCidrs: Object.fromEntries(planned.plan.tunnels.map((t) => [t.key, t.insideCidr])) }
        : {}),
    }),
  };
  const { plan } = planned;
  const theirs = peer.outputs;
  // Side b before side a has deployed: the Elastic IPs only, which side a reads.
  if (!plan || !theirs) return outputs;
  // Random passwords take no AWS provider: the stack's options (providers by package) are not theirs.
  const keys: pulumi.Output<Record<string, string>> =
    planned.side === "a"
      ? pulumi.secret(
          pulumi.all(
            Object.fromEntries(
              plan.tunnels.map((t) => [
                t.key,
                new random.RandomPassword(`${planned.name}-${t.key}-psk`, { length: 32, special: false })
                  .result,
              ]),
            ),
          ),
        )
      : pulumi.secret(peer.presharedKeys ?? pulumi.output<Record<string, string>>({}));
  const stack = identity.stack;
  const component = componentWhere("SoftwareVpnPeering", planned.name);
  const render = (role: ApplianceRole) =>
    pulumi.all([publicIps, keys]).apply(([mine, psks]) => {
      const byPeer = { [planned.side]: mine, [otherSide(planned.side)]: theirs.publicIps } as Record<
        PeeringSide,
        Record<ApplianceRole, string>
      >;
      const site = peeringDeviceSite(
        plan,
        { stack, component, publicIps: byPeer, presharedKeys: psks },
        planned.side,
        role,
      );
      return applianceConfigFiles(site, planned.placement[role].privateIp);
    });
  const appliance = new SoftwareVpnAppliance(
    planned.name,
    applianceArgs(identity, c, planned, theirs, ids, instanceEipAndFiles(eips, render)),
    opts,
  );
  return {
    ...outputs,
    softwareVpnPeeringInstanceIds: appliance.instanceIds,
    // The tunnels' keys leave side a only as a secret output, which side b reads.
    ...(planned.side === "a" ? { softwareVpnPeeringPresharedKeys: keys } : {}),
  };
}
