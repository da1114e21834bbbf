import * as pulumi from "@pulumi/pulumi";
import type { VpnPlan } from "../model/vpn";
import { ComponentState } from "./componentState";
import {
  planVirtualPrivateGatewayVpn,
  registerVirtualPrivateGatewayVpn,
  type VgwVpnArgs,
  type VgwVpnOutputs,
  type VpnConnectionInfo,
  type VpnSite,
  vgwVpnOptions,
} from "./vpnSites";

/** Arguments for VpnCloudHub; see `VgwVpnArgs`. */
export interface VpnCloudHubArgs extends VgwVpnArgs {
  /** CIDRs of the hub VPC: branch prefixes must not overlap them. Required. */
  vpcCidrs: string[];
  /**
   * Branch sites, keyed by a stable name. Each needs its own BGP ASN and networks that overlap no other
   * site's; routing is BGP (the hub re-advertises every branch's prefixes to the others).
   */
  sites: Record<string, VpnSite>;
}

const plans = new ComponentState<VpnCloudHub, VpnPlan>();

/**
 * AWS VPN CloudHub: one virtual private gateway as the hub of many branch sites, each a customer gateway
 * with its own BGP ASN and a VPN connection; branches reach each other and the hub VPC through the hub.
 * Refuses duplicate ASNs, overlapping branch networks, branch networks that overlap the hub VPC, and static
 * routing.
 */
export class VpnCloudHub extends pulumi.ComponentResource implements VgwVpnOutputs {
  /** Virtual private gateway id (`vgw-...`). */
  declare public readonly vpnGatewayId: pulumi.Output<string>;
  /** Customer gateway ids (`cgw-...`) by site. */
  declare public readonly customerGatewayIds: pulumi.Output<Record<string, string>>;
  /** VPN connections by site: connection id, customer gateway id, and per tunnel its addresses. */
  declare public readonly connections: pulumi.Output<Record<string, VpnConnectionInfo>>;
  /** Pre-shared keys by site, tunnel 1 then tunnel 2. Secret. */
  declare public readonly presharedKeys: pulumi.Output<Record<string, string[]>>;
  /** BGP ASN of each site's device, by site (what each device is configured with). */
  declare public readonly siteAsns: pulumi.Output<Record<string, number>>;
  /** CloudWatch log group the tunnels log to. */
  declare public readonly logGroupName: pulumi.Output<string>;
  /** Tunnel inside CIDRs by site, tunnel 1 then 2: give them back as `previousInsideCidrs` next run. */
  declare public readonly insideCidrs: pulumi.Output<Record<string, string[]>>;

  /** The plan the component registered: sites, routing, inside CIDRs, tunnel options. */
  public get plan(): VpnPlan {
    return plans.get(this);
  }

  constructor(name: string, args: VpnCloudHubArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planVirtualPrivateGatewayVpn("VpnCloudHub", name, args);
    super("hybridnet:index:VpnCloudHub", name, {}, vgwVpnOptions(plan, args, opts));
    plans.set(this, plan);
    // The outputs, assigned to the fields declared above (the schema reads its outputs from those declarations).
    const outputs = registerVirtualPrivateGatewayVpn(this, name, plan, args);
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }
}
