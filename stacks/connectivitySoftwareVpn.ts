/**
 * The connectivity stack's side of `hybridnet:softwareVpnToHub` (a workload's appliance pair as the customer
 * gateway of AWS managed VPNs on the hub): a TransitGatewayVpn `swvpn-<workload>` per such workload, with one site
 * per appliance instance (`<workload>-primary`, `<workload>-standby`: site names are unique in the environment's
 * network model) at that instance's Elastic IP (two customer gateways, two VPN connections of two tunnels,
 * BGP), associated with the route table of the workload's segment and propagating into the tables that segment
 * propagates to, exactly as the workload's attachment would.
 *
 * Why here and not in the workload stack: a VPN attachment belongs to the transit gateway's account (RAM shares
 * the gateway for VPC attachments only; a participant cannot create a VPN attachment on it), and so does the
 * segment routing. The workload stack publishes its Elastic IPs, ASN, CIDR and segment in its pass 1; this stack
 * makes the connections in its pass 2 and publishes their addresses (`softwareVpnHub`) and keys (the secret
 * `softwareVpnHubPresharedKeys`), which the workload's pass 2 renders its appliances' configuration from.
 */
import * as pulumi from "@pulumi/pulumi";
import { type HubSegment, HYBRIDNET_TRANSIT_GATEWAY_DEFAULTS } from "../components/TransitGatewayHub";
import { TransitGatewayVpn, type TransitGatewayVpnArgs } from "../components/TransitGatewayVpn";
import { componentWhere, type Problems } from "../model/errors";
import { APPLIANCE_ROLES } from "../model/softwareVpn/appliance";
import { CONFIG_NAMESPACE, type ConnectivityConfig, workloadStackName } from "../model/stackConfig";
import type { WorkloadOutputs } from "../model/stackOutputs";
import { planVpnSites } from "../model/vpn";
import type { InsideCidrsByComponent } from "./common";
import { preflight } from "./common";

/** The TransitGatewayVpn's name for workload `key`'s appliance pair: `swvpn-<key>`. */
export const softwareVpnHubName = (key: string) => `swvpn-${key}`;

/** What the arguments need of the hub: its transit gateway and segments (stand-ins before anything registers). */
export interface HubIds {
  transitGatewayId: pulumi.Input<string>;
  segments: Record<string, HubSegment>;
}

/**
 * The workloads whose appliance pairs connect to the hub, checked against this stack's hub: a segment it has, and
 * a workload in the hub's Region (a VPN attachment is on the transit gateway of its Region).
 */
export function softwareVpnHubWorkloads(
  problems: Problems,
  c: ConnectivityConfig,
  env: string,
  published: Record<string, WorkloadOutputs>,
): string[] {
  const keys = Object.keys(published)
    .filter((k) => published[k].softwareVpnToHub)
    .sort();
  return keys.filter((key) => {
    const p = published[key].softwareVpnToHub!;
    const stack = workloadStackName(key, env);
    const segments = Object.keys(c.hub.segments).sort();
    if (!segments.includes(p.segment)) {
      problems.add(
        `stack output ${stack}.softwareVpnToHub.segment`,
        p.segment,
        `a segment of this stack's hub (${CONFIG_NAMESPACE}:hub.segments): ${segments.join(", ")}`,
      );
      return false;
    }
    const region = c.workloads[key]?.region ?? c.aws.region;
    if (region !== c.aws.region) {
      problems.add(
        `${CONFIG_NAMESPACE}:workloads.${key}.region`,
        region,
        `${c.aws.region}, the hub's Region: ${stack} connects its appliance pair to the hub (hybridnet:softwareVpnToHub), whose VPN attachments are in the hub's Region`,
      );
      return false;
    }
    return true;
  });
}

/** The TransitGatewayVpn arguments for workload `key`, from what it published. */
export function softwareVpnHubArgs(
  key: string,
  published: WorkloadOutputs,
  hub: HubIds,
  settings: {
    amazonSideAsn: number;
    previous: InsideCidrsByComponent;
    tunnelAlarms: TransitGatewayVpnArgs["tunnelAlarms"];
    tags: Record<string, string>;
  },
): TransitGatewayVpnArgs {
  const p = published.softwareVpnToHub!;
  const segment = hub.segments[p.segment];
  const previous = settings.previous[softwareVpnHubName(key)];
  return {
    transitGatewayId: hub.transitGatewayId,
    amazonSideAsn: settings.amazonSideAsn,
    existingTransitGateway: HYBRIDNET_TRANSIT_GATEWAY_DEFAULTS,
    sites: Object.fromEntries(
      APPLIANCE_ROLES.map((role) => [
        `${key}-${role}`,
        {
          ipAddress: p.publicIps[role],
          bgpAsn: p.asn,
          prefixes: [p.vpcCidr],
          deviceName: `${key}-swvpn-${role}`,
        },
      ]),
    ),
    routeTables: {
      association: segment.routeTableId,
      propagation: Object.fromEntries(segment.propagatesTo.map((s) => [s, hub.segments[s].routeTableId])),
    },
    ...(settings.tunnelAlarms ? { tunnelAlarms: settings.tunnelAlarms } : {}),
    ...(previous ? { previousInsideCidrs: previous } : {}),
    tags: { ...settings.tags, "hybridnet:workload": key },
  };
}

/** Each hub VPN's own checks (addresses, ASNs, inside CIDRs), reported at the workload's stack outputs. */
export function preflightSoftwareVpnHub(
  problems: Problems,
  env: string,
  argsByKey: Record<string, TransitGatewayVpnArgs>,
): void {
  for (const [key, args] of Object.entries(argsByKey))
    preflight(
      problems,
      (path) =>
        path.startsWith("sites.")
          ? `stack output ${workloadStackName(key, env)}.softwareVpnToHub (${path})`
          : undefined,
      () =>
        planVpnSites(
          componentWhere("TransitGatewayVpn", softwareVpnHubName(key)),
          softwareVpnHubName(key),
          args.sites,
          {
            gateway: "tgw",
            amazonSideAsn: args.amazonSideAsn,
            ecmp: false,
            ...(args.previousInsideCidrs ? { previousInsideCidrs: args.previousInsideCidrs } : {}),
          },
        ),
    );
}

/** Registers the hub VPNs; returns the stack outputs they add and their inside CIDRs (kept by the next run). */
export function addSoftwareVpnHub(
  argsByKey: Record<string, TransitGatewayVpnArgs>,
  opts: pulumi.ComponentResourceOptions,
) {
  const vpns = Object.fromEntries(
    Object.entries(argsByKey).map(([key, args]) => [
      key,
      new TransitGatewayVpn(softwareVpnHubName(key), args, opts),
    ]),
  );
  if (Object.keys(vpns).length === 0) return { outputs: {}, insideCidrs: {} };
  const byRole = <T>(key: string, value: (connectionKey: string) => T) =>
    Object.fromEntries(
      APPLIANCE_ROLES.map((role) => {
        const planned = vpns[key].plan.sites.find((s) => s.key === `${key}-${role}`);
        return [role, value(planned?.connections[0].key ?? role)];
      }),
    );
  return {
    outputs: {
      softwareVpnHub: Object.fromEntries(
        Object.entries(vpns).map(([key, vpn]) => [
          key,
          vpn.connections.apply((connections) => ({
            amazonSideAsn: vpn.plan.amazonSideAsn,
            connections: byRole(key, (k) => ({
              connectionId: connections[k].connectionId,
              tunnels: connections[k].tunnels,
            })),
          })),
        ]),
      ),
      // Secret: the workload's appliances read them through a StackReference, secret into their user data.
      softwareVpnHubPresharedKeys: pulumi.secret(
        pulumi.all(
          Object.fromEntries(
            Object.entries(vpns).map(([key, vpn]) => [
              key,
              vpn.presharedKeys.apply((keys) => byRole(key, (k) => keys[k])),
            ]),
          ),
        ),
      ),
    },
    insideCidrs: Object.fromEntries(
      Object.entries(vpns).map(([key, vpn]) => [softwareVpnHubName(key), vpn.insideCidrs]),
    ),
  };
}
