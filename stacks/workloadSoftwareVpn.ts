/**
 * A workload's software site-to-site VPN (`hybridnet:softwareVpn` on a workload stack): a SoftwareVpnAppliance
 * pair in two zones' public subnets of the workload VPC (the layout adds a public /28 per zone for it), with an
 * IPsec tunnel from each instance to each remote device and BGP over the tunnels; the remote network's prefixes
 * are routed from the VPC's private route tables to the active instance. The remote network reaches this VPC
 * only, as with the workload's managed VPN (`hybridnet:vpn`).
 *
 * The instances' configuration (swanctl.conf and frr.conf) is rendered by model/deviceConfig's strongSwan + FRR
 * renderer from the setting (model/softwareVpn/fromConfig); each tunnel's pre-shared key is generated here
 * (@pulumi/random, 32 letters and digits) and exists only as a secret: in the instances' user data and in the
 * `softwareVpnPresharedKeys` stack output the remote side reads, never in config.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  SoftwareVpnAppliance,
  type SoftwareVpnApplianceArgs,
  type SoftwareVpnApplianceInstance,
} from "../components/SoftwareVpnAppliance";
import { checkCidr } from "../model/addressing";
import { renderDeviceConfig } from "../model/deviceConfig";
import { componentWhere, Problems } from "../model/errors";
import {
  APPLIANCE_ROLES,
  type ApplianceRole,
  defaultPrivateIp,
  planSoftwareVpnAppliance,
} from "../model/softwareVpn/appliance";
import {
  type ApplianceTunnelsInput,
  applianceDeviceSite,
  withPresharedKeys,
} from "../model/softwareVpn/fromConfig";
import {
  CONFIG_NAMESPACE,
  type StackIdentity,
  softwareVpnZones,
  type WorkloadConfig,
} from "../model/stackConfig";
import { resolveTunnelOptions } from "../model/tunnelOptions";
import type { VpcLayout } from "../model/vpcLayout";
import { preflight, underConfig } from "./common";

/** The SoftwareVpnAppliance's name in a workload stack: `<workload>-swvpn`. */
export const softwareVpnName = (workload: string) => `${workload}-swvpn`;

/** The ids the appliance needs from the laid-out VPC (stand-ins before anything registers). */
export interface SoftwareVpnIds {
  vpcId: pulumi.Input<string>;
  /** Public subnets by zone id. */
  publicSubnets: Record<string, pulumi.Input<string>>;
  privateRouteTables: Record<string, pulumi.Input<string>>;
}

/** What the setting plans: the rendering input and each instance's zone and subnet CIDR. */
export interface SoftwareVpnPlan {
  name: string;
  tunnels: ApplianceTunnelsInput;
  instances: Record<ApplianceRole, { zone: string; subnetCidr: string }>;
}

/**
 * The plan of the workload's `hybridnet:softwareVpn`, or undefined when it has none. Throws one ValidationError
 * naming the stack for tunnel options AWS's rules refuse (the appliance negotiates what the setting says).
 */
export function softwareVpnPlan(
  identity: StackIdentity,
  c: WorkloadConfig,
  layout: VpcLayout,
): SoftwareVpnPlan | undefined {
  const vpn = c.softwareVpn;
  if (!vpn) return undefined;
  const problems = new Problems();
  const options = resolveTunnelOptions(
    vpn.tunnelOptions,
    `${CONFIG_NAMESPACE}:softwareVpn.tunnelOptions`,
    problems,
  );
  problems.throwIfAny(identity.stack);
  const zones = softwareVpnZones(c);
  const instances = Object.fromEntries(
    APPLIANCE_ROLES.map((role, i) => [
      role,
      { zone: zones[i], subnetCidr: layout.tiers.public?.[zones[i]] ?? "" },
    ]),
  ) as SoftwareVpnPlan["instances"];
  const privateIps = Object.fromEntries(
    APPLIANCE_ROLES.map((role) => {
      const subnet = checkCidr(instances[role].subnetCidr, { version: 4 });
      return [role, "cidr" in subnet ? defaultPrivateIp(subnet.cidr) : ""];
    }),
  ) as Record<ApplianceRole, string>;
  const name = softwareVpnName(identity.workload ?? "");
  return {
    name,
    instances,
    tunnels: {
      stack: identity.stack,
      name,
      asn: vpn.appliance.bgpAsn,
      advertised: [c.vpc.cidr],
      remote: vpn.remote,
      peers: vpn.peers,
      options,
      privateIps,
    },
  };
}

/** The SoftwareVpnAppliance arguments of the plan, with each instance's configuration files. */
export function softwareVpnArgs(
  identity: StackIdentity,
  c: WorkloadConfig,
  plan: SoftwareVpnPlan,
  ids: SoftwareVpnIds,
  configFiles: Record<ApplianceRole, Record<string, pulumi.Input<string>>>,
): SoftwareVpnApplianceArgs {
  const vpn = c.softwareVpn!;
  const instance = (role: ApplianceRole): SoftwareVpnApplianceInstance => ({
    availabilityZoneId: plan.instances[role].zone,
    subnetId: ids.publicSubnets[plan.instances[role].zone],
    subnetCidr: plan.instances[role].subnetCidr,
    configFiles: configFiles[role],
  });
  return {
    vpcId: ids.vpcId,
    primary: instance("primary"),
    standby: instance("standby"),
    peers: Object.fromEntries(
      Object.entries(vpn.peers).map(([key, peer]) => [
        key,
        { address: peer.ipAddress, description: `peer ${key}` },
      ]),
    ),
    forwardedCidrs: [c.vpc.cidr],
    routeTableIds: ids.privateRouteTables,
    destinationCidrs: [...vpn.remote.prefixes],
    ...(vpn.appliance.instanceType ? { instanceType: vpn.appliance.instanceType } : {}),
    ...(c.alarms?.actions ? { statusAlarms: { actions: c.alarms.actions } } : {}),
    tags: { "hybridnet:environment": identity.env, "hybridnet:workload": identity.workload ?? "" },
  };
}

/** Stand-in files for the checks before anything registers: the real ones hold generated keys. */
const PREFLIGHT_FILES = { "swanctl.conf": "connections {}\n", "frr.conf": "!\n" };

/** The component's own checks of the appliance, on stand-in ids and files, reported at the config paths. */
export function preflightSoftwareVpn(
  problems: Problems,
  identity: StackIdentity,
  c: WorkloadConfig,
  plan: SoftwareVpnPlan | undefined,
  ids: SoftwareVpnIds,
): void {
  if (!plan) return;
  const args = softwareVpnArgs(identity, c, plan, ids, {
    primary: PREFLIGHT_FILES,
    standby: PREFLIGHT_FILES,
  });
  const toConfig = (path: string) =>
    underConfig("peers", "softwareVpn.peers")(path) ??
    underConfig("instanceType", "softwareVpn.appliance.instanceType")(path) ??
    underConfig("destinationCidrs", "softwareVpn.remote.prefixes")(path) ??
    underConfig("statusAlarms.actions", "alarms.actions")(path);
  preflight(problems, toConfig, () =>
    planSoftwareVpnAppliance(componentWhere("SoftwareVpnAppliance", plan.name), args),
  );
}

/**
 * Registers the appliance pair: a pre-shared key per tunnel (peer and instance), each instance's strongSwan and
 * FRR configuration rendered with its keys, and the SoftwareVpnAppliance. Returns the stack outputs it adds.
 */
export function addSoftwareVpn(
  identity: StackIdentity,
  c: WorkloadConfig,
  plan: SoftwareVpnPlan,
  ids: SoftwareVpnIds,
  opts: pulumi.ComponentResourceOptions,
) {
  const peers = Object.keys(plan.tunnels.peers).sort();
  // Random passwords take no AWS provider: the stack's options (providers by package) are not theirs.
  const keys = Object.fromEntries(
    peers.map((peer) => [
      peer,
      Object.fromEntries(
        APPLIANCE_ROLES.map((role) => [
          role,
          new random.RandomPassword(`${plan.name}-${peer}-${role}-psk`, { length: 32, special: false })
            .result,
        ]),
      ) as Record<ApplianceRole, pulumi.Output<string>>,
    ]),
  );
  const configFiles: Record<ApplianceRole, Record<string, pulumi.Input<string>>> = Object.fromEntries(
    APPLIANCE_ROLES.map((role) => {
      const site = applianceDeviceSite(plan.tunnels, role);
      const rendered = pulumi
        .all(Object.fromEntries(peers.map((peer) => [peer, keys[peer][role]])))
        .apply((byPeer) => renderDeviceConfig(withPresharedKeys(site, byPeer), "strongswan").files);
      return [role, { "swanctl.conf": rendered["swanctl.conf"], "frr.conf": rendered["frr.conf"] }];
    }),
  ) as Record<string, Record<string, pulumi.Input<string>>> as Record<
    ApplianceRole,
    Record<string, pulumi.Input<string>>
  >;
  const appliance = new SoftwareVpnAppliance(
    plan.name,
    softwareVpnArgs(identity, c, plan, ids, configFiles),
    opts,
  );
  return {
    softwareVpnPublicIps: appliance.publicIps,
    softwareVpnPrivateIps: appliance.privateIps,
    // The remote devices' keys, by peer then instance: the only place they leave the stack.
    softwareVpnPresharedKeys: pulumi.secret(pulumi.all(keys)),
  };
}
