import * as pulumi from "@pulumi/pulumi";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import type { DxVpnTransportType } from "../model/directConnect";
import { checkDxVpnTransport } from "../model/directConnect";
import { componentWhere } from "../model/errors";
import type { TunnelInsideIpVersion } from "../model/vpn";
import {
  DEFAULT_VGW_CONNECTION_QUOTA,
  type EcmpPlan,
  type ExistingTransitGatewaySettings,
  planVpnSites,
  type TransitGatewaySiteSpec,
  type VpnPlan,
} from "../model/vpn";
import * as aws from "./aws";
import { ComponentState } from "./componentState";
import { gateOnSecrets } from "./secretChecks";
import {
  checkSharedVpnArgs,
  checkTransitGatewayRouteTables,
  claimSiteDevices,
  connectionOutputs,
  ecmpOutput,
  insideCidrsOutput,
  presharedKeyChecks,
  registerTransitGatewayRouting,
  registerVpnSites,
  SHARED_VPN_KEYS,
  TRANSIT_GATEWAY_SITE_KEYS,
  type TunnelAlarm,
  type TunnelLog,
  tunnelLogGroup,
  type VpnConnectionInfo,
  type VpnRouteTables,
  type VpnSite,
  type VpnTarget,
} from "./vpnSites";

/**
 * How the tunnels travel over Direct Connect.
 *
 * - "private": a private IP VPN (DX + TGW + VPN). The tunnels run over a transit VIF to the Direct Connect
 *   gateway, and through its attachment to the transit gateway; AWS's outside addresses come from the transit
 *   gateway's CIDR blocks and each customer gateway has a private (RFC 1918) address. Traffic stays off the
 *   internet and is encrypted.
 * - "public": a VPN to AWS's public VPN endpoints, reached over a public VIF that advertises the customer
 *   gateways' public prefixes (DX + VPN).
 */
export interface DirectConnectVpnTransport {
  type: DxVpnTransportType;
  /**
   * private: the Direct Connect gateway associated with the transit gateway; the transport attachment is
   * looked up from the pair, after the component's `dependsOn`. For an association made in the same program,
   * pass `transportAttachmentId` from DirectConnectGateway instead: a lookup by id alone does not wait for the
   * association. Required unless `transportAttachmentId` is given.
   */
  dxGatewayId?: pulumi.Input<string>;
  /**
   * private: the transit gateway's attachment to the Direct Connect gateway (DirectConnectGateway
   * `transitGatewayAttachmentIds`). @default looked up with getDirectConnectGatewayAttachment.
   */
  transportAttachmentId?: pulumi.Input<string>;
  /**
   * private: the transit gateway's CIDR blocks (IPv4 /24 or larger, IPv6 /64 or larger), where AWS takes the
   * private outside addresses; at least one IPv4 block. The transit gateway must have them. Required.
   */
  transitGatewayCidrBlocks?: string[];
  /**
   * private: the allowed prefixes of the Direct Connect gateway's association with the transit gateway. When
   * given, they must cover every IPv4 transit gateway CIDR block, or on-premises never learns the way to the
   * AWS outside addresses. @default not checked.
   */
  allowedPrefixes?: string[];
  /**
   * public: the public prefixes the public VIF advertises to AWS (VirtualInterfaces `advertisedPrefixes`).
   * Every customer gateway address must be inside one, so AWS answers it over the VIF. Required.
   */
  advertisedPrefixes?: string[];
}

/** @deprecated Renamed `DirectConnectVpnTransport`: the name the package schema gives other languages. */
export type DirectConnectVpnTransportArgs = DirectConnectVpnTransport;

/** A site of a VPN over Direct Connect; see `TransitGatewaySiteSpec`. */
export interface DirectConnectVpnSite extends VpnSite, TransitGatewaySiteSpec {
  /**
   * Customer gateway address: private (RFC 1918) for transport "private", public (inside the public VIF's
   * advertised prefixes) for transport "public".
   */
  ipAddress: string;
  tunnels?: VpnSite["tunnels"];
  /** Transit gateway only: route tables for this site's attachments. @default the component's `routeTables`. */
  routeTables?: VpnRouteTables;
}

/** @deprecated Renamed `DirectConnectVpnSite`: the name the package schema gives other languages. */
export type DirectConnectVpnSiteArgs = DirectConnectVpnSite;

/** Arguments for `DirectConnectVpn`. */
export interface DirectConnectVpnArgs {
  /** How the tunnels travel over Direct Connect: a private IP VPN, or public endpoints over a public VIF. */
  transport: DirectConnectVpnTransport;
  /** Transit gateway the VPN connections attach to. Required for transport "private". */
  transitGatewayId?: pulumi.Input<string>;
  /**
   * With `transitGatewayId`: that transit gateway's default route table association and propagation
   * (describe-transit-gateways `Options`), which the component cannot see. Either on is refused unless
   * `acceptDefaultRouteTable` is set, since the VPN attachments would join the default route table; without
   * that, every site needs route tables (`routeTables` or its own). Required with `transitGatewayId`.
   */
  existingTransitGateway?: ExistingTransitGatewaySettings;
  /** Transport "public" only: an existing virtual private gateway instead of a transit gateway. */
  vpnGatewayId?: pulumi.Input<string>;
  /**
   * Amazon side ASN of the gateway (64512–65534, 4200000000–4294967294), so a clash with a site's ASN is
   * caught here. @default 64512.
   */
  amazonSideAsn?: number;
  /** Transit gateway: its VPN ECMP setting, which bandwidth sizing depends on. @default true. */
  vpnEcmpSupport?: boolean;
  /** On-premises sites, keyed by a stable name used in resource names (1–32 letters, digits, '-'). */
  sites: Record<string, DirectConnectVpnSite>;
  /**
   * Transit gateway only: route tables for every site's attachments. Required (here or per site) unless
   * `existingTransitGateway.acceptDefaultRouteTable`.
   */
  routeTables?: VpnRouteTables;
  /** "ipv4" or "ipv6" inside addresses (IPv6 needs a transit gateway). @default "ipv4". */
  tunnelInsideIpVersion?: TunnelInsideIpVersion;
  /** Pool the tunnel inside CIDRs are allocated from. @default 169.254.0.0/16 (fd00::/8 for IPv6). */
  insideCidrPool?: string;
  /**
   * The previous run's `insideCidrs` output, by connection key: allocated tunnels keep these CIDRs, since a new
   * inside CIDR replaces the VPN connection. Plain values, read before the component is constructed (for
   * example from the stack's own outputs through a StackReference). @default none: a new site can move a tunnel.
   */
  previousInsideCidrs?: Record<string, string[]>;
  /** Virtual private gateway: your VPN-connections-per-gateway quota, if raised above 10. @default 10. */
  vpnConnectionQuota?: number;
  /** Tunnel (and BGP) logs to CloudWatch Logs. */
  tunnelLogs?: TunnelLog;
  /** TunnelState alarms, one per tunnel. */
  tunnelAlarms?: TunnelAlarm;
  /** Tags on every AWS resource the component creates. */
  tags?: Record<string, string>;
}

/** The keys DirectConnectVpn's arguments may have (model/argumentKeys). */
const DIRECT_CONNECT_VPN_KEYS = keysOf<DirectConnectVpnArgs>({
  ...SHARED_VPN_KEYS,
  transport: keysOf<DirectConnectVpnTransport>({
    type: "value",
    dxGatewayId: "value",
    transportAttachmentId: "value",
    transitGatewayCidrBlocks: "value",
    allowedPrefixes: "value",
    advertisedPrefixes: "value",
  }),
  transitGatewayId: "value",
  existingTransitGateway: keysOf<ExistingTransitGatewaySettings>({
    defaultRouteTableAssociation: "value",
    defaultRouteTablePropagation: "value",
    acceptDefaultRouteTable: "value",
  }),
  vpnGatewayId: "value",
  amazonSideAsn: "value",
  vpnEcmpSupport: "value",
  sites: { record: { keys: TRANSIT_GATEWAY_SITE_KEYS } },
  routeTables: TRANSIT_GATEWAY_SITE_KEYS.routeTables,
  tunnelInsideIpVersion: "value",
  vpnConnectionQuota: "value",
});

const plans = new ComponentState<DirectConnectVpn, VpnPlan>();

/**
 * Site-to-Site VPN over AWS Direct Connect. "private": a private IP VPN to a transit gateway over a transit VIF
 * (outside IP address type PrivateIpv4, with the Direct Connect gateway attachment as transport), so traffic
 * is private and encrypted; no acceleration. "public": VPN connections to public endpoints, reached over a
 * public VIF. Customer gateways, two tunnels per connection with secure defaults, secret pre-shared keys,
 * ECMP sizing on a transit gateway, tunnel logs and alarms as in TransitGatewayVpn.
 */
export class DirectConnectVpn extends pulumi.ComponentResource {
  /** The transport attachment of a private IP VPN (the transit gateway's Direct Connect gateway attachment). */
  public readonly transportAttachmentId: pulumi.Output<string | undefined>;
  /** Customer gateway ids by site. */
  public readonly customerGatewayIds: pulumi.Output<Record<string, string>>;
  /** VPN connections by connection key: ids, attachment id, each tunnel's outside (private or public) address. */
  public readonly connections: pulumi.Output<Record<string, VpnConnectionInfo>>;
  /** Pre-shared keys by connection key, tunnel 1 then tunnel 2. Secret. */
  public readonly presharedKeys: pulumi.Output<Record<string, string[]>>;
  /** Transit gateway: ECMP sizing by site. */
  public readonly ecmp: pulumi.Output<Record<string, EcmpPlan>>;
  /** CloudWatch log group the tunnels log to. */
  public readonly logGroupName: pulumi.Output<string>;
  /** Tunnel inside CIDRs by connection key, tunnel 1 then 2: give them back as `previousInsideCidrs` next run. */
  public readonly insideCidrs: pulumi.Output<Record<string, string[]>>;
  /** The plan the component registered. */
  public get plan(): VpnPlan {
    return plans.get(this);
  }

  constructor(name: string, args: DirectConnectVpnArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseUnknownKeys(componentWhere("DirectConnectVpn", name), DIRECT_CONNECT_VPN_KEYS, args);
    const transport = args.transport;
    const privateIp = transport?.type === "private";
    const onVgw = !privateIp && args.vpnGatewayId !== undefined && args.transitGatewayId === undefined;
    const plan = planVpnSites(
      componentWhere("DirectConnectVpn", name),
      name,
      args.sites,
      {
        gateway: onVgw ? "vgw" : "tgw",
        ...(args.amazonSideAsn !== undefined ? { amazonSideAsn: args.amazonSideAsn } : {}),
        ...(args.insideCidrPool !== undefined ? { insideCidrPool: args.insideCidrPool } : {}),
        ...(args.previousInsideCidrs !== undefined ? { previousInsideCidrs: args.previousInsideCidrs } : {}),
        ...(args.tunnelInsideIpVersion !== undefined ? { insideIpVersion: args.tunnelInsideIpVersion } : {}),
        ...(onVgw
          ? { connectionQuota: args.vpnConnectionQuota ?? DEFAULT_VGW_CONNECTION_QUOTA }
          : { ecmp: args.vpnEcmpSupport ?? true }),
        ...(privateIp ? { outsideIpAddressType: "PrivateIpv4" as const } : {}),
      },
      (problems) => {
        checkDxVpnTransport(problems, {
          transport,
          transitGatewayId: args.transitGatewayId,
          vpnGatewayId: args.vpnGatewayId,
          sites: args.sites ?? {},
        });
        if (onVgw) {
          const tgwOnly: [string, unknown][] = [
            ["routeTables", args.routeTables],
            ["vpnEcmpSupport", args.vpnEcmpSupport],
            ["existingTransitGateway", args.existingTransitGateway],
            ...Object.entries(args.sites ?? {}).map(([k, s]): [string, unknown] => [
              `sites.${k}.routeTables`,
              s?.routeTables,
            ]),
          ];
          for (const [path, value] of tgwOnly)
            if (value !== undefined)
              problems.add(
                path,
                value,
                "only on a transit gateway; a virtual private gateway has no route tables or ECMP",
              );
        } else {
          checkTransitGatewayRouteTables(problems, args);
          if (args.vpnConnectionQuota !== undefined)
            problems.add(
              "vpnConnectionQuota",
              args.vpnConnectionQuota,
              "only for a virtual private gateway (vpnGatewayId)",
            );
        }
        checkSharedVpnArgs(problems, args);
      },
    );
    claimSiteDevices(plan);
    super(
      "hybridnet:index:DirectConnectVpn",
      name,
      {},
      gateOnSecrets(plan.where, presharedKeyChecks(args.sites), opts),
    );
    plans.set(this, plan);
    const tags = { ...args.tags, "hybridnet:component": name };

    let target: VpnTarget;
    let transportAttachmentId: pulumi.Output<string> | undefined;
    if (privateIp) {
      transportAttachmentId =
        transport.transportAttachmentId !== undefined
          ? pulumi.output(transport.transportAttachmentId)
          : aws.ec2transitgateway.getDirectConnectGatewayAttachmentOutput(
              { dxGatewayId: transport.dxGatewayId, transitGatewayId: args.transitGatewayId },
              { parent: this, ...(opts?.dependsOn !== undefined ? { dependsOn: opts.dependsOn } : {}) },
            ).id;
      target = {
        transitGatewayId: args.transitGatewayId!,
        outsideIpAddressType: "PrivateIpv4",
        transportTransitGatewayAttachmentId: transportAttachmentId,
      };
    } else
      target = onVgw ? { vpnGatewayId: args.vpnGatewayId! } : { transitGatewayId: args.transitGatewayId! };

    const logGroup = tunnelLogGroup(this, name, args.tunnelLogs, tags);
    const registered = registerVpnSites(
      this,
      name,
      plan,
      args.sites,
      target,
      logGroup,
      args.tunnelAlarms,
      tags,
    );
    if (!onVgw)
      registerTransitGatewayRouting(
        this,
        name,
        registered,
        (key) => args.sites[key].routeTables,
        args.routeTables,
      );

    const outputs = connectionOutputs(registered);
    this.transportAttachmentId = transportAttachmentId ?? pulumi.output(undefined);
    this.customerGatewayIds = outputs.customerGatewayIds;
    this.connections = outputs.connections;
    this.presharedKeys = outputs.presharedKeys;
    this.ecmp = ecmpOutput(plan);
    this.logGroupName = logGroup.name;
    this.insideCidrs = insideCidrsOutput(plan);
    this.registerOutputs({
      insideCidrs: this.insideCidrs,
      transportAttachmentId: this.transportAttachmentId,
      customerGatewayIds: this.customerGatewayIds,
      connections: this.connections,
      presharedKeys: this.presharedKeys,
      ecmp: this.ecmp,
      logGroupName: this.logGroupName,
    });
  }
}
