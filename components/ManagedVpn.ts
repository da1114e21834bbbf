import * as pulumi from "@pulumi/pulumi";
import type { VpnPlan } from "../model/vpn";
import { ComponentState } from "./componentState";
import {
  planVirtualPrivateGatewayVpn,
  registerVirtualPrivateGatewayVpn,
  type VgwVpnArgs,
  type VpnConnectionInfo,
  vgwVpnOptions,
} from "./vpnSites";

/** Arguments for ManagedVpn; see `VgwVpnArgs`. */
export interface ManagedVpnArgs extends VgwVpnArgs {}

const plans = new ComponentState<ManagedVpn, VpnPlan>();

/**
 * AWS Managed VPN: a virtual private gateway attached to one VPC, and for each on-premises site a customer
 * gateway and a Site-to-Site VPN connection of two tunnels (IKEv2, AES-256, SHA-2, DH 14–21 by default),
 * with generated secret pre-shared keys, allocated inside CIDRs, tunnel logs, route propagation and a
 * TunnelState alarm per tunnel.
 */
export class ManagedVpn extends pulumi.ComponentResource {
  /** Virtual private gateway id (`vgw-...`). */
  public readonly vpnGatewayId: pulumi.Output<string>;
  /** Customer gateway ids (`cgw-...`) by site. */
  public readonly customerGatewayIds: pulumi.Output<Record<string, string>>;
  /** VPN connections by site: connection id, customer gateway id, and per tunnel its addresses. */
  public readonly connections: pulumi.Output<Record<string, VpnConnectionInfo>>;
  /** Pre-shared keys by site, tunnel 1 then tunnel 2. Secret. */
  public readonly presharedKeys: pulumi.Output<Record<string, string[]>>;
  /** BGP ASN of each site's device, by site (what each device is configured with). */
  public readonly siteAsns: pulumi.Output<Record<string, number>>;
  /** CloudWatch log group the tunnels log to. */
  public readonly logGroupName: pulumi.Output<string>;
  /** Tunnel inside CIDRs by site, tunnel 1 then 2: give them back as `previousInsideCidrs` next run. */
  public readonly insideCidrs: pulumi.Output<Record<string, string[]>>;

  /** The plan the component registered: sites, routing, inside CIDRs, tunnel options. */
  public get plan(): VpnPlan {
    return plans.get(this);
  }

  constructor(name: string, args: ManagedVpnArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planVirtualPrivateGatewayVpn("ManagedVpn", name, args);
    super("hybridnet:index:ManagedVpn", name, {}, vgwVpnOptions(plan, args, opts));
    plans.set(this, plan);
    const outputs = registerVirtualPrivateGatewayVpn(this, name, plan, args);
    this.vpnGatewayId = outputs.vpnGatewayId;
    this.customerGatewayIds = outputs.customerGatewayIds;
    this.connections = outputs.connections;
    this.presharedKeys = outputs.presharedKeys;
    this.siteAsns = outputs.siteAsns;
    this.logGroupName = outputs.logGroupName;
    this.insideCidrs = outputs.insideCidrs;
    this.registerOutputs({
      insideCidrs: this.insideCidrs,
      vpnGatewayId: this.vpnGatewayId,
      customerGatewayIds: this.customerGatewayIds,
      connections: this.connections,
      presharedKeys: this.presharedKeys,
      siteAsns: this.siteAsns,
      logGroupName: this.logGroupName,
    });
  }
}
