/**
 * The connectivity stack's transit VPC (`hybridnet:transitVpc`): a TransitVpc hubbed on the connectivity VPC.
 * The appliance pair runs in two zones' public subnets of that VPC (the layout adds a public /28 per zone), the
 * connectivity VPC's CIDR is what the appliances advertise to the spokes, and its private route tables send
 * the spokes' CIDRs to the active appliance. Each spoke's virtual private gateway connects to both appliances;
 * a spoke with a `roleArn` is made in its own account (TransitVpc `spokes.<spoke>.access`).
 *
 * Why the connectivity VPC and not a VPC of its own: it is already the network account's shared VPC, attached to
 * the hub, with the zones and route tables the landing zone plans; a second hub VPC would add a VPC, its subnets
 * and an internet gateway for two instances. Its CIDR then reaches the spokes, and the spokes' CIDRs must stay
 * clear of the workloads and on-premises networks (one routing domain, checked in model/stackConfig).
 */
import * as pulumi from "@pulumi/pulumi";
import { TransitVpc, type TransitVpcArgs, type TransitVpcSpokeArgs } from "../components/TransitVpc";
import { componentWhere, type Problems } from "../model/errors";
import { planTransitVpc } from "../model/softwareVpn/transitVpc";
import {
  CONFIG_NAMESPACE,
  type ConnectivityConfig,
  type StackIdentity,
  transitVpcZones,
} from "../model/stackConfig";
import type { VpcLayout } from "../model/vpcLayout";
import { LATER, preflight } from "./common";

/** The component's name in the connectivity stack, and its key among the stack's `tunnelInsideCidrs`. */
export const TRANSIT_VPC_NAME = "transit";

/** The ids the transit VPC needs from the laid-out connectivity VPC (stand-ins before anything registers). */
export interface TransitVpcIds {
  vpcId: pulumi.Input<string>;
  /** Public subnets by zone id. */
  publicSubnets: Record<string, pulumi.Input<string>>;
  privateRouteTables: Record<string, pulumi.Input<string>>;
}

/** Stand-in ids of the layout's public subnets, by zone, for the checks before anything registers. */
export function laterPublicSubnets(layout: VpcLayout): Record<string, pulumi.Input<string>> {
  return Object.fromEntries(Object.keys(layout.tiers.public ?? {}).map((zone) => [zone, LATER]));
}

/** The TransitVpc arguments of `hybridnet:transitVpc`, or undefined without it. */
export function transitVpcArgs(
  identity: StackIdentity,
  c: ConnectivityConfig,
  layout: VpcLayout,
  ids: TransitVpcIds,
  previousInsideCidrs: Record<string, string[]> | undefined,
): TransitVpcArgs | undefined {
  const transit = c.transitVpc;
  if (!transit) return undefined;
  const [primaryZone, standbyZone] = transitVpcZones(c);
  const instance = (zone: string) => ({
    availabilityZoneId: zone,
    subnetId: ids.publicSubnets[zone],
    subnetCidr: layout.tiers.public?.[zone] ?? "",
  });
  const spokes = Object.fromEntries(
    Object.entries(transit.spokes).map(([key, spoke]): [string, TransitVpcSpokeArgs] => [
      key,
      {
        vpcCidrs: [...spoke.cidrs],
        ...(spoke.amazonSideAsn !== undefined ? { amazonSideAsn: spoke.amazonSideAsn } : {}),
        ...(spoke.vpcId !== undefined ? { vpcId: spoke.vpcId } : {}),
        ...(spoke.vpnGatewayId !== undefined ? { vpnGatewayId: spoke.vpnGatewayId } : {}),
        ...(spoke.routeTableIds !== undefined ? { routeTableIds: spoke.routeTableIds } : {}),
        ...(spoke.roleArn !== undefined
          ? {
              access: {
                roleArn: spoke.roleArn,
                defaultTags: { "hybridnet:environment": identity.env, "hybridnet:stack": identity.stack },
              },
              region: spoke.region ?? c.aws.region,
            }
          : {}),
      },
    ]),
  );
  return {
    vpcId: ids.vpcId,
    vpcCidrs: [c.vpc.cidr],
    primary: instance(primaryZone),
    standby: instance(standbyZone),
    routeTableIds: ids.privateRouteTables,
    spokes,
    applianceAsn: transit.appliance.bgpAsn,
    ...(transit.appliance.instanceType ? { instanceType: transit.appliance.instanceType } : {}),
    ...(previousInsideCidrs ? { previousInsideCidrs } : {}),
    ...(c.alarms?.actions ? { statusAlarms: { actions: c.alarms.actions } } : {}),
    tunnelAlarms: {
      ...(c.alarms?.actions ? { actions: c.alarms.actions } : {}),
      ...(c.alarms?.warningActions ? { warningActions: c.alarms.warningActions } : {}),
    },
    tags: { "hybridnet:environment": identity.env },
  };
}

/** The config path of a TransitVpc argument path, or undefined for one the setting does not hold. */
function configPath(path: string): string | undefined {
  const at = `${CONFIG_NAMESPACE}:transitVpc`;
  const spoke = /^spokes\.([^.[]+)(.*)$/.exec(path);
  if (spoke) {
    const [, key, rest] = spoke;
    const mapped = rest
      .replace(/^\.vpcCidrs/, ".cidrs")
      .replace(/^\.access\.roleArn/, ".roleArn")
      .replace(/^\.access$/, ".roleArn");
    return `${at}.spokes.${key}${mapped}`;
  }
  if (path === "spokes") return `${at}.spokes`;
  if (path === "applianceAsn") return `${at}.appliance.bgpAsn`;
  if (path.startsWith("hubCidrs")) return `${CONFIG_NAMESPACE}:vpc.cidr`;
  if (path.startsWith("previousInsideCidrs")) return `the stack output tunnelInsideCidrs.${TRANSIT_VPC_NAME}`;
  return undefined;
}

/** The transit plan's checks (spokes, CIDRs, ASNs, accounts) on the arguments, reported at the config paths. */
export function preflightTransitVpc(problems: Problems, args: TransitVpcArgs | undefined): void {
  if (!args) return;
  preflight(problems, configPath, () =>
    planTransitVpc(componentWhere("TransitVpc", TRANSIT_VPC_NAME), {
      hubCidrs: args.vpcCidrs,
      spokes: args.spokes,
      ...(args.applianceAsn !== undefined ? { applianceAsn: args.applianceAsn } : {}),
      ...(args.previousInsideCidrs !== undefined ? { previousInsideCidrs: args.previousInsideCidrs } : {}),
    }),
  );
}

/** Registers the transit VPC; returns the stack outputs it adds. */
export function addTransitVpc(args: TransitVpcArgs, opts: pulumi.ComponentResourceOptions) {
  const transit = new TransitVpc(TRANSIT_VPC_NAME, args, opts);
  return {
    transit,
    outputs: {
      transitVpc: {
        publicIps: transit.publicIps,
        vpnGatewayIds: transit.vpnGatewayIds,
        connections: transit.connections,
        instanceIds: transit.instanceIds,
      },
      transitVpcPresharedKeys: transit.presharedKeys,
    },
  };
}

/**
 * The stack's outputs with the transit VPC's: its own, and its inside CIDRs among `tunnelInsideCidrs` (read back
 * by the next run, readOwnInsideCidrs, so adding a spoke moves no other spoke's tunnels).
 */
export function withTransitVpcOutputs<
  O extends { tunnelInsideCidrs: pulumi.Output<Record<string, unknown>> },
>(outputs: O, added: ReturnType<typeof addTransitVpc> | undefined) {
  if (!added) return outputs;
  return {
    ...outputs,
    ...added.outputs,
    tunnelInsideCidrs: pulumi
      .all([outputs.tunnelInsideCidrs, added.transit.insideCidrs])
      .apply(([own, transit]) => ({ ...own, [TRANSIT_VPC_NAME]: transit })),
  };
}
