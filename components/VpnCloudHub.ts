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

/** Arguments for {@link VpnCloudHub}. */
export interface VpnCloudHubArgs {
  /** VPC the hub's virtual private gateway attaches to. A VPC takes one virtual private gateway. */
  vpcId: pulumi.Input<string>;
  /** CIDRs of the hub VPC: branch prefixes must not overlap them. Required. */
  vpcCidrs: string[];
  /** Amazon side BGP ASN of the hub: 64512–65534 or 4200000000–4294967294. @default 64512. */
  amazonSideAsn?: number;
  /**
   * Branch sites, keyed by a stable name. Each needs its own BGP ASN and networks that overlap no other
   * site's; routing is BGP (the hub re-advertises every branch's prefixes to the others).
   */
  sites: Record<string, VpnSiteArgs>;
  /** VPC route tables that learn every branch's routes by propagation, keyed by a stable name. @default none. */
  routeTableIds?: Record<string, pulumi.Input<string>>;
  /** Opens a security group in the hub VPC to every branch prefix on the given ports. @default no rules. */
  securityGroupIngress?: OnPremIngressArgs;
  /** Pool the tunnel inside CIDRs are allocated from: a block inside 169.254.0.0/16. @default 169.254.0.0/16. */
  insideCidrPool?: string;
  /** Your VPN-connections-per-gateway quota, if raised above AWS's default of 10. @default 10. */
  vpnConnectionQuota?: number;
  /** Tunnel and BGP logs to CloudWatch Logs. */
  tunnelLogs?: TunnelLogArgs;
  /** TunnelState alarms, one per tunnel. */
  tunnelAlarms?: TunnelAlarmArgs;
  /** Tags on every AWS resource the component creates. */
  tags?: Record<string, string>;
}

/**
 * AWS VPN CloudHub: one virtual private gateway as the hub of many branch sites, each a customer gateway
 * with its own BGP ASN and a VPN connection; branches reach each other and the hub VPC through the hub.
 * Refuses duplicate ASNs, overlapping branch networks and branch networks that overlap the hub VPC.
 */
export class VpnCloudHub extends pulumi.ComponentResource {
  /** The hub's virtual private gateway id. */
  public readonly vpnGatewayId: pulumi.Output<string>;
  /** Customer gateway ids by site. */
  public readonly customerGatewayIds: pulumi.Output<Record<string, string>>;
  /** VPN connections by site. */
  public readonly connections: pulumi.Output<Record<string, VpnConnectionInfo>>;
  /** Pre-shared keys by site, tunnel 1 then tunnel 2. Secret. */
  public readonly presharedKeys: pulumi.Output<Record<string, string[]>>;
  /** BGP ASN of each branch, by site (what each branch device is configured with). */
  public readonly siteAsns: pulumi.Output<Record<string, number>>;
  /** CloudWatch log group the tunnels log to. */
  public readonly logGroupName: pulumi.Output<string>;
  /** The plan the component registered. */
  public readonly plan: VpnPlan;

  constructor(name: string, args: VpnCloudHubArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planVpnSites(
      componentWhere("VpnCloudHub", name),
      name,
      args.sites,
      {
        gateway: "vgw",
        cloudHub: true,
        ...(args.amazonSideAsn !== undefined ? { amazonSideAsn: args.amazonSideAsn } : {}),
        awsCidrs: args.vpcCidrs ?? [],
        ...(args.insideCidrPool !== undefined ? { insideCidrPool: args.insideCidrPool } : {}),
        connectionQuota: args.vpnConnectionQuota ?? DEFAULT_VGW_CONNECTION_QUOTA,
      },
      (problems) => {
        if (!Array.isArray(args.vpcCidrs) || args.vpcCidrs.length === 0)
          problems.add(
            "vpcCidrs",
            args.vpcCidrs,
            "the hub VPC's CIDRs, so branch networks can be checked against them",
          );
        checkVgwVpnArgs(problems, args);
      },
    );
    super("hybridnet:index:VpnCloudHub", name, {}, opts);
    this.plan = plan;
    const tags = { ...args.tags, "hybridnet:component": name };

    const registered = registerVgwVpn(this, name, plan, args, tags);
    this.vpnGatewayId = registered.vpnGatewayId;
    this.customerGatewayIds = registered.customerGatewayIds;
    this.connections = registered.connections;
    this.presharedKeys = registered.presharedKeys;
    this.siteAsns = pulumi.output(Object.fromEntries(plan.sites.map((s) => [s.key, s.bgpAsn])));
    this.logGroupName = registered.logGroupName;
    this.registerOutputs({
      vpnGatewayId: this.vpnGatewayId,
      customerGatewayIds: this.customerGatewayIds,
      connections: this.connections,
      presharedKeys: this.presharedKeys,
      siteAsns: this.siteAsns,
      logGroupName: this.logGroupName,
    });
  }
}
