/**
 * A software VPN appliance pair's own IPsec and BGP configuration, as plain data the strongSwan + FRR renderer
 * of model/deviceConfig takes (`DeviceSite`): each instance is the "device" of one site, and each remote peer is
 * the other end of one tunnel from it. What the stacks' `hybridnet:softwareVpn` setting declares (the remote
 * network's ASN and prefixes, each peer's address and inside CIDRs) and what the VPC's layout fixes (each
 * instance's private address) is all it needs: the renderer then writes the same proposals, DPD and BGP timers
 * for the appliance as for an on-premises device. Pure: no Pulumi import.
 *
 * Addresses: the appliance takes the first address of each tunnel's inside /30, the remote device the second
 * (as AWS's own side does on a managed VPN, so a remote device configured the AWS way fits). The appliance's
 * IKE identity and local address are its fixed private address: AWS translates its Elastic IP to it, so the
 * remote device sends to the Elastic IP (NAT-T) and expects the private address as the appliance's IKE id.
 */
import { type Cidr, checkCidr, tunnelInsideAddresses } from "../addressing";
import type { DeviceConnection, DeviceSite } from "../deviceConfig/site";
import { componentWhere } from "../errors";
import type { ResolvedTunnelOptions } from "../tunnelOptions";
import { APPLIANCE_ROLES, type ApplianceRole } from "./appliance";

/** One remote device of a software VPN. */
export interface ApplianceTunnelPeer {
  /** The device's public IPv4 address. */
  ipAddress: string;
  /** Inside /30 of the tunnel to the primary instance, then of the one to the standby. */
  insideCidrs: string[];
}

/** What the appliance pair's configuration is rendered from. */
export interface ApplianceTunnelsInput {
  /** The stack (`workload-web-staging`). */
  stack: string;
  /** The SoftwareVpnAppliance's name. */
  name: string;
  /** The appliance pair's BGP ASN. */
  asn: number;
  /** Networks the appliance advertises: the VPC's CIDRs. */
  advertised: string[];
  /** The remote network: its ASN and prefixes. */
  remote: { bgpAsn: number; prefixes: string[] };
  /** The remote devices, by stable key. */
  peers: Record<string, ApplianceTunnelPeer>;
  /** Tunnel options of every tunnel, resolved (model/tunnelOptions). */
  options: ResolvedTunnelOptions;
  /** Each instance's fixed private address. */
  privateIps: Record<ApplianceRole, string>;
}

function insideOf(text: string): Cidr {
  const result = checkCidr(text, { version: 4 });
  if ("problem" in result) throw new Error(`inside CIDR ${text}: ${result.problem}`);
  return result.cidr;
}

/**
 * The appliance instance `role` as a `DeviceSite`: one connection per peer (`<peer>`), each with the one tunnel
 * between that instance and the peer. No pre-shared keys: {@link withPresharedKeys} adds them.
 */
export function applianceDeviceSite(input: ApplianceTunnelsInput, role: ApplianceRole): DeviceSite {
  const index = APPLIANCE_ROLES.indexOf(role);
  const connections: DeviceConnection[] = Object.keys(input.peers)
    .sort()
    .map((peer) => {
      const spec = input.peers[peer];
      const insideCidr = spec.insideCidrs[index];
      const addresses = tunnelInsideAddresses(insideOf(insideCidr));
      return {
        key: peer,
        connectionId: `${input.name}-${role}-${peer}`,
        tunnels: [
          {
            number: 1,
            awsOutsideAddress: spec.ipAddress,
            insideCidr,
            // Seen from the appliance: the "customer" side is the appliance (first address), the other the peer.
            customerInsideAddress: addresses.aws,
            awsInsideAddress: addresses.customer,
            options: input.options,
          },
        ],
      };
    });
  return {
    stack: input.stack,
    component: componentWhere("SoftwareVpnAppliance", input.name),
    site: role,
    deviceName: `${input.name}-${role}`,
    customerOutsideAddress: input.privateIps[role],
    customerAsn: input.asn,
    awsAsn: input.remote.bgpAsn,
    routing: "bgp",
    customerPrefixes: [...input.advertised],
    awsPrefixes: [...input.remote.prefixes],
    insideIpVersion: "ipv4",
    connections,
    unanchoredPrefixes: true,
  };
}

/** `site` with each peer's tunnel carrying its pre-shared key (`keys` by peer key). */
export function withPresharedKeys(site: DeviceSite, keys: Record<string, string>): DeviceSite {
  return {
    ...site,
    connections: site.connections.map((c) => ({
      ...c,
      tunnels: c.tunnels.map((t) => ({ ...t, presharedKey: keys[c.key] })),
    })),
  };
}
