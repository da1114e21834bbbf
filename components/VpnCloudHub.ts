import type * as pulumi from "@pulumi/pulumi";
import { type VgwVpnArgs, VirtualPrivateGatewayVpn, type VpnSiteArgs } from "./vpnSites";

/** Arguments for {@link VpnCloudHub}; see {@link VgwVpnArgs}. */
export interface VpnCloudHubArgs extends VgwVpnArgs {
  /** CIDRs of the hub VPC: branch prefixes must not overlap them. Required. */
  vpcCidrs: string[];
  /**
   * Branch sites, keyed by a stable name. Each needs its own BGP ASN and networks that overlap no other
   * site's; routing is BGP (the hub re-advertises every branch's prefixes to the others).
   */
  sites: Record<string, VpnSiteArgs>;
}

/**
 * AWS VPN CloudHub: one virtual private gateway as the hub of many branch sites, each a customer gateway
 * with its own BGP ASN and a VPN connection; branches reach each other and the hub VPC through the hub.
 * Refuses duplicate ASNs, overlapping branch networks, branch networks that overlap the hub VPC, and static
 * routing. Outputs: see {@link VirtualPrivateGatewayVpn}.
 */
export class VpnCloudHub extends VirtualPrivateGatewayVpn {
  constructor(name: string, args: VpnCloudHubArgs, opts?: pulumi.ComponentResourceOptions) {
    super("VpnCloudHub", name, args, opts);
  }
}
