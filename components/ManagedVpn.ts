import type * as pulumi from "@pulumi/pulumi";
import { type VgwVpnArgs, VirtualPrivateGatewayVpn } from "./vpnSites";

/** Arguments for {@link ManagedVpn}; see {@link VgwVpnArgs}. */
export interface ManagedVpnArgs extends VgwVpnArgs {}

/**
 * AWS Managed VPN: a virtual private gateway attached to one VPC, and for each on-premises site a customer
 * gateway and a Site-to-Site VPN connection of two tunnels (IKEv2, AES-256, SHA-2, DH 14–21 by default),
 * with generated secret pre-shared keys, allocated inside CIDRs, tunnel logs, route propagation and a
 * TunnelState alarm per tunnel. Outputs: see {@link VirtualPrivateGatewayVpn}.
 */
export class ManagedVpn extends VirtualPrivateGatewayVpn {
  constructor(name: string, args: ManagedVpnArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ManagedVpn", name, args, opts);
  }
}
