/**
 * `hybridnet:softwareVpnToHub` of a workload stack: an appliance pair in the VPC's public subnets as the customer
 * gateway of two AWS Site-to-Site VPN connections on the environment's transit gateway (the whitepaper's
 * Software VPN-to-AWS Managed VPN, with the hub as the managed side). Each instance has its own Elastic IP,
 * customer gateway and connection, so both keep their tunnels and BGP sessions up and a failover only moves the
 * VPC's routes (the SoftwareVpnToManagedVpn design).
 *
 * The connections belong to the transit gateway's account (stacks/connectivitySoftwareVpn.ts), so the option
 * spans two stacks, settled by the deploy order's two passes:
 * - pass 1 allocates the two Elastic IPs and publishes them with the ASN, CIDR and segment (`softwareVpnToHub`);
 * - the connectivity stack's pass 2 makes a customer gateway at each address and a VPN connection to each, and
 *   publishes the tunnels (`softwareVpnHub.<workload>`) and their keys (secret `softwareVpnHubPresharedKeys`);
 * - pass 2 renders each instance's strongSwan + FRR files from its connection (model/softwareVpn/managedVpnSite,
 *   the keys secret all the way into the user data) and registers the pair; the VPC's private route tables send
 *   `destinations` to the active instance.
 */
import * as pulumi from "@pulumi/pulumi";
import { SoftwareVpnAppliance, type SoftwareVpnApplianceArgs } from "../components/SoftwareVpnAppliance";
import { componentWhere, Problems } from "../model/errors";
import { APPLIANCE_ROLES, type ApplianceRole } from "../model/softwareVpn/appliance";
import { applianceConfigFiles, applianceDeviceSite } from "../model/softwareVpn/managedVpnSite";
import {
  CONFIG_NAMESPACE,
  connectivityStackName,
  qualifiedStackName,
  type StackIdentity,
  type WorkloadConfig,
} from "../model/stackConfig";
import type { ConnectivityOutputs, SoftwareVpnHubOutput } from "../model/stackOutputs";
import { resolveTunnelOptions } from "../model/tunnelOptions";
import type { VpcLayout } from "../model/vpcLayout";
import { underConfig } from "./common";
import {
  type ApplianceIds,
  type AppliancePlacement,
  applianceElasticIps,
  appliancePlacement,
  instanceEipAndFiles,
  preflightAppliance,
} from "./workloadSoftwareVpnPeering";

/** The appliance pair's name in a workload stack: `<workload>-swvpn-hub`. */
export const softwareVpnToHubName = (workload: string) => `${workload}-swvpn-hub`;

/** What the setting plans: the placement, what is routed to the pair, the hub's connections once they exist. */
export interface SoftwareVpnToHubPlanned {
  name: string;
  placement: AppliancePlacement;
  destinations: string[];
  /** The connectivity stack's connections to this pair: from its pass 2 on. */
  hub?: SoftwareVpnHubOutput;
}

/** The plan of the workload's setting, or undefined without one. */
export function softwareVpnToHubPlan(
  identity: StackIdentity,
  c: WorkloadConfig,
  layout: VpcLayout,
  hub: ConnectivityOutputs,
): SoftwareVpnToHubPlanned | undefined {
  const setting = c.softwareVpnToHub;
  if (!setting) return undefined;
  const zones = setting.appliance.zones ?? c.vpc.availabilityZones.slice(0, 2);
  const connections = hub.softwareVpnHub?.[identity.workload ?? ""];
  return {
    name: softwareVpnToHubName(identity.workload ?? ""),
    placement: appliancePlacement(layout, zones),
    destinations: setting.destinations ?? [hub.sharedVpcCidr],
    ...(connections ? { hub: connections } : {}),
  };
}

/** The pair's arguments: its peers are the four tunnels' AWS outside addresses, `destinations` routed to it. */
function applianceArgs(
  identity: StackIdentity,
  c: WorkloadConfig,
  planned: SoftwareVpnToHubPlanned,
  hub: SoftwareVpnHubOutput,
  ids: ApplianceIds,
  instance: (
    role: ApplianceRole,
  ) => Pick<SoftwareVpnApplianceArgs["primary"], "configFiles" | "elasticIpAllocationId">,
): SoftwareVpnApplianceArgs {
  const setting = c.softwareVpnToHub!;
  const placed = (role: ApplianceRole) => ({
    availabilityZoneId: planned.placement[role].zone,
    subnetId: ids.publicSubnets[planned.placement[role].zone],
    subnetCidr: planned.placement[role].subnetCidr,
    privateIp: planned.placement[role].privateIp,
    ...instance(role),
  });
  return {
    vpcId: ids.vpcId,
    primary: placed("primary"),
    standby: placed("standby"),
    peers: Object.fromEntries(
      APPLIANCE_ROLES.flatMap((role) =>
        hub.connections[role].tunnels.map((t, i) => [
          `aws-${role}-t${i + 1}`,
          {
            address: t.outsideAddress,
            description: `AWS tunnel ${i + 1} of the ${role}'s VPN connection to the hub`,
          },
        ]),
      ),
    ),
    forwardedCidrs: [c.vpc.cidr],
    routeTableIds: ids.privateRouteTables,
    destinationCidrs: planned.destinations,
    ...(setting.appliance.instanceType ? { instanceType: setting.appliance.instanceType } : {}),
    ...(c.alarms?.actions ? { statusAlarms: { actions: c.alarms.actions } } : {}),
    tags: { "hybridnet:environment": identity.env, "hybridnet:workload": identity.workload ?? "" },
  };
}

/** The appliance's own checks on stand-in ids and files, once the connections exist. */
export function preflightSoftwareVpnToHub(
  problems: Problems,
  identity: StackIdentity,
  c: WorkloadConfig,
  planned: SoftwareVpnToHubPlanned | undefined,
  ids: ApplianceIds,
): void {
  if (!planned?.hub) return;
  const files = { "swanctl.conf": "#", "frr.conf": "#" };
  const args = applianceArgs(identity, c, planned, planned.hub, ids, () => ({ configFiles: files }));
  const toConfig = (path: string) =>
    underConfig("instanceType", "softwareVpnToHub.appliance.instanceType")(path) ??
    underConfig("destinationCidrs", "softwareVpnToHub.destinations")(path) ??
    underConfig("statusAlarms.actions", "alarms.actions")(path) ??
    (path.startsWith("peers")
      ? `stack output ${connectivityStackName(identity.env)}.softwareVpnHub.${identity.workload}`
      : undefined);
  preflightAppliance(problems, planned.name, args, toConfig);
}

/**
 * Registers the pair's Elastic IPs always, and the pair once the hub's connections exist (their keys read from
 * the connectivity stack's secret output). Returns the stack outputs it adds.
 */
export function addSoftwareVpnToHub(
  identity: StackIdentity,
  c: WorkloadConfig,
  planned: SoftwareVpnToHubPlanned,
  ids: ApplianceIds,
  opts: pulumi.ComponentResourceOptions,
) {
  const setting = c.softwareVpnToHub!;
  const { eips, publicIps } = applianceElasticIps(identity, planned.name, opts);
  const outputs = {
    softwareVpnToHub: pulumi.output({
      segment: setting.segment,
      asn: setting.appliance.bgpAsn,
      vpcCidr: c.vpc.cidr,
      publicIps,
    }),
  };
  const { hub } = planned;
  if (!hub) return outputs;
  const stack = connectivityStackName(identity.env);
  const reference = new pulumi.StackReference(`${stack}-swvpn-keys`, {
    name: qualifiedStackName(identity.organization, stack),
  });
  const keys = pulumi.secret(
    reference
      .getOutput("softwareVpnHubPresharedKeys")
      .apply(
        (all) => ((all ?? {}) as Record<string, Record<string, string[]>>)[identity.workload ?? ""] ?? {},
      ),
  );
  const problems = new Problems();
  const options = resolveTunnelOptions(undefined, `${CONFIG_NAMESPACE}:softwareVpnToHub`, problems);
  const component = componentWhere("SoftwareVpnToManagedVpn", planned.name);
  const render = (role: ApplianceRole) =>
    pulumi.all([eips[role].publicIp, keys]).apply(([publicIp, psks]) =>
      applianceConfigFiles(
        applianceDeviceSite({
          stack: identity.stack,
          component,
          role,
          outsideAddress: publicIp,
          asn: setting.appliance.bgpAsn,
          awsAsn: hub.amazonSideAsn,
          advertisedCidrs: [c.vpc.cidr],
          remoteCidrs: planned.destinations,
          connectionKey: role,
          connectionId: hub.connections[role].connectionId,
          tunnels: hub.connections[role].tunnels,
          presharedKeys: psks[role] ?? [],
          options,
        }),
        planned.placement[role].privateIp,
      ),
    );
  const appliance = new SoftwareVpnAppliance(
    planned.name,
    applianceArgs(identity, c, planned, hub, ids, instanceEipAndFiles(eips, render)),
    opts,
  );
  return { ...outputs, softwareVpnToHubInstanceIds: appliance.instanceIds };
}
