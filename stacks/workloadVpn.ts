/**
 * A workload's own AWS Managed VPN (`hybridnet:vpn` on a workload stack): a virtual private gateway on the
 * workload VPC and a Site-to-Site VPN connection to each configured site, the sites' BGP routes propagated into
 * the VPC's private route tables. The sites reach this VPC only: a virtual private gateway's routes do not reach
 * the transit gateway, and the VPC does not route the hub's networks to it. The classic option for a site that
 * needs one VPC (a partner, a lab) without joining the landing zone's routing domain.
 *
 * Inside CIDRs never move: like the connectivity stack, the stack reads back its own `tunnelInsideCidrs`
 * output (a StackReference to itself) and hands it to the component as `previousInsideCidrs`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ManagedVpn, type ManagedVpnArgs } from "../components/ManagedVpn";
import { componentWhere, type Problems } from "../model/errors";
import { workloadVpnComponent } from "../model/reachability/sites";
import type { StackIdentity, WorkloadConfig } from "../model/stackConfig";
import { DEFAULT_VGW_CONNECTION_QUOTA, planVpnSites } from "../model/vpn";
import { componentSites, preflight, underConfig } from "./common";

/** The key the VPN's inside CIDRs are kept under in the stack's `tunnelInsideCidrs` output. */
export const WORKLOAD_VPN_COMPONENT = "vpn";

/** The ManagedVpn's name in a workload stack: `<workload>-vpn` (the reachability model finds its sites by it). */
export const workloadVpnName = workloadVpnComponent;

/** The ManagedVpn arguments of a workload's `hybridnet:vpn`, or undefined when the stack has none. */
export function workloadVpnArgs(
  identity: StackIdentity,
  c: WorkloadConfig,
  ids: { vpcId: pulumi.Input<string>; privateRouteTables: Record<string, pulumi.Input<string>> },
  previousInsideCidrs: Record<string, string[]> | undefined,
): ManagedVpnArgs | undefined {
  if (!c.vpn) return undefined;
  return {
    vpcId: ids.vpcId,
    vpcCidrs: [c.vpc.cidr],
    ...(c.vpn.amazonSideAsn !== undefined ? { amazonSideAsn: c.vpn.amazonSideAsn } : {}),
    sites: componentSites(c.vpn.sites),
    // The sites' BGP routes reach the workload's subnets: VGW route propagation on every private route table.
    routeTableIds: ids.privateRouteTables,
    ...(previousInsideCidrs ? { previousInsideCidrs } : {}),
    tunnelAlarms: {
      ...(c.alarms?.actions ? { actions: c.alarms.actions } : {}),
      ...(c.alarms?.warningActions ? { warningActions: c.alarms.warningActions } : {}),
    },
    tags: { "hybridnet:environment": identity.env, "hybridnet:workload": identity.workload ?? "" },
  };
}

/** The component's own checks of the VPN, on stand-in ids, reported at `hybridnet:vpn.sites`. */
export function preflightWorkloadVpn(
  problems: Problems,
  name: string,
  args: ManagedVpnArgs | undefined,
): void {
  if (!args) return;
  preflight(problems, underConfig("sites", "vpn.sites"), () =>
    planVpnSites(componentWhere("ManagedVpn", name), name, args.sites, {
      gateway: "vgw",
      ...(args.amazonSideAsn !== undefined ? { amazonSideAsn: args.amazonSideAsn } : {}),
      ...(args.vpcCidrs ? { awsCidrs: args.vpcCidrs } : {}),
      ...(args.previousInsideCidrs ? { previousInsideCidrs: args.previousInsideCidrs } : {}),
      connectionQuota: DEFAULT_VGW_CONNECTION_QUOTA,
    }),
  );
}

/** Registers the workload's VPN; returns the stack outputs it adds. */
export function workloadVpn(name: string, args: ManagedVpnArgs, opts: pulumi.ComponentResourceOptions) {
  const vpn = new ManagedVpn(name, args, opts);
  return {
    outputs: {
      vpnGatewayId: vpn.vpnGatewayId,
      vpnConnections: vpn.connections,
      vpnPresharedKeys: vpn.presharedKeys,
    },
    insideCidrs: vpn.insideCidrs,
  };
}
