import * as pulumi from "@pulumi/pulumi";
import type { VpnPlan } from "../model/vpn";
import { ComponentState } from "./componentState";
import {
  planVirtualPrivateGatewayVpn,
  registerVirtualPrivateGatewayVpn,
  type VgwVpnArgs,
  type VgwVpnOutputs,
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
export class ManagedVpn extends pulumi.ComponentResource implements VgwVpnOutputs {
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

  constructor(name: string, args: ManagedVpnArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planVirtualPrivateGatewayVpn("ManagedVpn", name, args);
    super("hybridnet:index:ManagedVpn", name, {}, vgwVpnOptions(plan, args, opts));
    plans.set(this, plan);
    // The outputs, assigned to the fields declared above (the schema reads its outputs from those declarations).
    const outputs = registerVirtualPrivateGatewayVpn(this, name, plan, args);
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }
}
