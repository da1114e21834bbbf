import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { componentWhere, type Problems } from "../model/errors";
import { DEFAULT_VGW_CONNECTION_QUOTA, planVpnSites, type VpnPlan } from "../model/vpn";
import {
  checkSharedVpnArgs,
  connectionOutputs,
  type OnPremIngressArgs,
  registerOnPremIngress,
  registerVpnSites,
  type TunnelAlarmArgs,
  type TunnelLogArgs,
  tunnelLogGroup,
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

function checkRouteTableKeys(problems: Problems, routeTableIds: Record<string, unknown> | undefined): void {
  for (const key of Object.keys(routeTableIds ?? {}))
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/.test(key))
      problems.add(
        `routeTableIds.${key}`,
        key,
        "a key of 1–32 letters, digits or '-' (it names the propagation resource)",
      );
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
      (problems) => {
        if (args.vpcId === undefined)
          problems.add("vpcId", undefined, "the id of the VPC to attach the virtual private gateway to");
        checkRouteTableKeys(problems, args.routeTableIds);
        checkSharedVpnArgs(problems, args);
      },
    );
    super("hybridnet:index:ManagedVpn", name, {}, opts);
    this.plan = plan;
    const tags = { ...args.tags, "hybridnet:component": name };

    const vgw = new aws.ec2.VpnGateway(
      `${name}-vgw`,
      { vpcId: args.vpcId, amazonSideAsn: String(plan.amazonSideAsn), tags: { ...tags, Name: name } },
      { parent: this },
    );
    for (const [key, routeTableId] of Object.entries(args.routeTableIds ?? {}))
      new aws.ec2.VpnGatewayRoutePropagation(
        `${name}-propagate-${key}`,
        { vpnGatewayId: vgw.id, routeTableId },
        { parent: this },
      );
    const logGroup = tunnelLogGroup(this, name, args.tunnelLogs, tags);
    const registered = registerVpnSites(
      this,
      name,
      plan,
      args.sites,
      { vpnGatewayId: vgw.id },
      logGroup,
      args.tunnelAlarms,
      tags,
    );
    registerOnPremIngress(this, name, plan.sites, args.securityGroupIngress);

    const outputs = connectionOutputs(registered);
    this.vpnGatewayId = vgw.id;
    this.customerGatewayIds = outputs.customerGatewayIds;
    this.connections = outputs.connections;
    this.presharedKeys = outputs.presharedKeys;
    this.logGroupName = logGroup.name;
    this.registerOutputs({
      vpnGatewayId: this.vpnGatewayId,
      customerGatewayIds: this.customerGatewayIds,
      connections: this.connections,
      presharedKeys: this.presharedKeys,
      logGroupName: this.logGroupName,
    });
  }
}
