/**
 * A workload's software remote-access VPN (`hybridnet:remoteAccessVpn` on a workload stack): one
 * SoftwareRemoteAccessVpn (WireGuard on EC2) in the public subnet of one zone of the workload VPC (the layout adds
 * a public /28 per zone), its pool routed from every private route table to the server. The server takes its
 * subnet's second-to-last usable address, so it shares the /28 with an appliance pair (which takes the last).
 *
 * Clients bring their public keys in config; the server's key is generated and stays secret. Each client's
 * configuration (wg-quick format, a placeholder where its private key goes) is a plain stack output:
 * `remoteAccessVpn.clientConfigs.<client>`.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  SoftwareRemoteAccessVpn,
  type SoftwareRemoteAccessVpnArgs,
} from "../components/SoftwareRemoteAccessVpn";
import { addressToString, checkCidr } from "../model/addressing";
import { componentWhere, type Problems } from "../model/errors";
import { planRemoteAccessVpn } from "../model/softwareVpn/remoteAccess";
import { remoteAccessZone, type StackIdentity, type WorkloadConfig } from "../model/stackConfig";
import type { VpcLayout } from "../model/vpcLayout";
import { preflight, underConfig } from "./common";

/** The SoftwareRemoteAccessVpn's name in a workload stack: `<workload>-remote-access`. */
export const remoteAccessName = (workload: string) => `${workload}-remote-access`;

/** The ids the server needs from the laid-out VPC (stand-ins before anything registers). */
export interface RemoteAccessIds {
  vpcId: pulumi.Input<string>;
  /** Public subnets by zone id. */
  publicSubnets: Record<string, pulumi.Input<string>>;
  privateRouteTables: Record<string, pulumi.Input<string>>;
}

/**
 * The server's fixed address: its subnet's second-to-last usable address (`10.0.0.253` in `10.0.0.240/28`), the
 * last being an appliance's.
 */
export function remoteAccessPrivateIp(subnetCidr: string): string {
  const subnet = checkCidr(subnetCidr, { version: 4 });
  return "cidr" in subnet ? addressToString(subnet.cidr.last - 2n, 4) : "";
}

/** The SoftwareRemoteAccessVpn arguments of the workload's setting, or undefined without one. */
export function remoteAccessArgs(
  identity: StackIdentity,
  c: WorkloadConfig,
  layout: VpcLayout,
  ids: RemoteAccessIds,
): SoftwareRemoteAccessVpnArgs | undefined {
  const r = c.remoteAccessVpn;
  if (!r) return undefined;
  const zone = remoteAccessZone(c);
  const subnetCidr = layout.tiers.public?.[zone] ?? "";
  return {
    vpcId: ids.vpcId,
    availabilityZoneId: zone,
    subnetId: ids.publicSubnets[zone],
    subnetCidr,
    privateIp: remoteAccessPrivateIp(subnetCidr),
    vpcCidrs: [c.vpc.cidr],
    ...(r.routes ? { routes: r.routes } : {}),
    clientPool: r.clientPool,
    ...(r.listenPort !== undefined ? { listenPort: r.listenPort } : {}),
    clients: r.clients,
    clientSourceCidrs: r.clientSourceCidrs,
    ...(r.fullTunnel !== undefined ? { fullTunnel: r.fullTunnel } : {}),
    routeTableIds: ids.privateRouteTables,
    ...(r.instanceType ? { instanceType: r.instanceType } : {}),
    ...(c.alarms?.actions ? { recovery: { notify: c.alarms.actions } } : {}),
    tags: { "hybridnet:environment": identity.env, "hybridnet:workload": identity.workload ?? "" },
  };
}

/** The component's own checks on stand-in ids, reported at the config paths. */
export function preflightRemoteAccess(
  problems: Problems,
  identity: StackIdentity,
  args: SoftwareRemoteAccessVpnArgs | undefined,
): void {
  if (!args) return;
  const setting = "remoteAccessVpn";
  const toConfig = (path: string) =>
    ["clientPool", "listenPort", "clients", "clientSourceCidrs", "fullTunnel", "routes", "instanceType"]
      .map((key) => underConfig(key, `${setting}.${key}`)(path))
      .find((p) => p !== undefined) ??
    underConfig("recovery.notify", "alarms.actions")(path) ??
    underConfig("vpcCidrs", "vpc.cidr")(path)?.replace(/\[0\]$/, "");
  preflight(problems, toConfig, () =>
    planRemoteAccessVpn(
      componentWhere("SoftwareRemoteAccessVpn", remoteAccessName(identity.workload ?? "")),
      args,
    ),
  );
}

/** Registers the server; returns the stack output it adds (plain: no key in it). */
export function addRemoteAccess(
  identity: StackIdentity,
  args: SoftwareRemoteAccessVpnArgs,
  opts: pulumi.ComponentResourceOptions,
) {
  const server = new SoftwareRemoteAccessVpn(remoteAccessName(identity.workload ?? ""), args, opts);
  return {
    remoteAccessVpn: {
      endpoint: server.endpoint,
      serverPublicKey: server.serverPublicKey,
      clientAddresses: server.clientAddresses,
      clientConfigs: server.clientConfigs,
    },
  };
}
