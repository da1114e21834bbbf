import * as pulumi from "@pulumi/pulumi";
import { componentWhere } from "../model/errors";
import { DEFAULT_VGW_CONNECTION_QUOTA, planVpnSites, type VpnPlan } from "../model/vpn";
import {
  checkVgwVpnArgs,
  type OnPremIngressArgs,
  registerVgwVpn,
  type TunnelAlarmArgs,
  type TunnelLogArgs,
  type VpnConnectionInfo,
  type VpnSiteArgs,
} from "./vpnSites";

/** Arguments for {@link ManagedVpn}. */
export interface ManagedVpnArgs {
  /** VPC the virtual private gateway attaches to. A VPC takes one virtual private gateway. */
  vpcId: pulumi.Input<string>;
  /**
   * CIDRs of that VPC. When given, on-premises prefixes that overlap them are refused (traffic to an
   * overlapping prefix never leaves the VPC). @default not checked.
   */
  vpcCidrs?: string[];
  /** Amazon side BGP ASN of the virtual private gateway: 64512–65534 or 4200000000–4294967294. @default 64512. */
  amazonSideAsn?: number;
  /** On-premises sites, keyed by a stable name used in resource names (1–32 letters, digits, '-'). */
  sites: Record<string, VpnSiteArgs>;
  /**
   * VPC route tables that learn the on-premises routes by propagation from the gateway, keyed by a stable
   * name (`{ private: "rtb-..." }`). @default none.
   */
  routeTableIds?: Record<string, pulumi.Input<string>>;
  /** Opens a security group to every on-premises prefix on the given ports. @default no rules. */
  securityGroupIngress?: OnPremIngressArgs;
  /** Pool the tunnel inside CIDRs are allocated from: a block inside 169.254.0.0/16. @default 169.254.0.0/16. */
  insideCidrPool?: string;
  /** Your VPN-connections-per-gateway quota, if raised above AWS's default of 10. @default 10. */
  vpnConnectionQuota?: number;
  /** Tunnel (and BGP) logs to CloudWatch Logs. */
  tunnelLogs?: TunnelLogArgs;
  /** TunnelState alarms, one per tunnel. */
  tunnelAlarms?: TunnelAlarmArgs;
  /** Tags on every AWS resource the component creates. */
  tags?: Record<string, string>;
}

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
  /** CloudWatch log group the tunnels log to. */
  public readonly logGroupName: pulumi.Output<string>;
  /** The plan the component registered: sites, routing, inside CIDRs, tunnel options. */
  public readonly plan: VpnPlan;

  constructor(name: string, args: ManagedVpnArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planVpnSites(
      componentWhere("ManagedVpn", name),
      name,
      args.sites,
      {
        gateway: "vgw",
        ...(args.amazonSideAsn !== undefined ? { amazonSideAsn: args.amazonSideAsn } : {}),
        ...(args.vpcCidrs ? { awsCidrs: args.vpcCidrs } : {}),
        ...(args.insideCidrPool !== undefined ? { insideCidrPool: args.insideCidrPool } : {}),
        connectionQuota: args.vpnConnectionQuota ?? DEFAULT_VGW_CONNECTION_QUOTA,
      },
      (problems) => checkVgwVpnArgs(problems, args),
    );
    super("hybridnet:index:ManagedVpn", name, {}, opts);
    this.plan = plan;
    const tags = { ...args.tags, "hybridnet:component": name };

    const registered = registerVgwVpn(this, name, plan, args, tags);
    this.vpnGatewayId = registered.vpnGatewayId;
    this.customerGatewayIds = registered.customerGatewayIds;
    this.connections = registered.connections;
    this.presharedKeys = registered.presharedKeys;
    this.logGroupName = registered.logGroupName;
    this.registerOutputs({
      vpnGatewayId: this.vpnGatewayId,
      customerGatewayIds: this.customerGatewayIds,
      connections: this.connections,
      presharedKeys: this.presharedKeys,
      logGroupName: this.logGroupName,
    });
  }
}
