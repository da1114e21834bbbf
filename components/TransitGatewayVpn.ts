import * as pulumi from "@pulumi/pulumi";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import { componentWhere, type Problems } from "../model/errors";
import type { TunnelInsideIpVersion } from "../model/vpn";
import {
  type EcmpPlan,
  type ExistingTransitGatewaySettings,
  planVpnSites,
  type TransitGatewaySiteSpec,
  type VpnPlan,
} from "../model/vpn";
import * as aws from "./aws";
import { ComponentState } from "./componentState";
import { gateOnSecrets } from "./secretChecks";
import { secureTransitGatewayArgs } from "./TransitGatewayHub";
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
} from "./vpnSites";

/** Transit gateway route tables a site's VPN attachments use. */
export type TransitGatewayRouteTables = VpnRouteTables;

/** A site on the transit gateway; see `TransitGatewaySiteSpec`. */
export interface TransitGatewayVpnSite extends VpnSite, TransitGatewaySiteSpec {
  tunnels?: VpnSite["tunnels"];
  /** Route tables for this site's attachments. @default the component's `routeTables`. */
  routeTables?: TransitGatewayRouteTables;
}

/** @deprecated Renamed `TransitGatewayVpnSite`: the name the package schema gives other languages. */
export type TransitGatewayVpnSiteArgs = TransitGatewayVpnSite;

/** Arguments for `TransitGatewayVpn`. */
export interface TransitGatewayVpnArgs {
  /**
   * Existing transit gateway to attach the VPN connections to. @default a new transit gateway with default
   * route table association and propagation off, auto-accept off, DNS support and VPN ECMP on.
   */
  transitGatewayId?: pulumi.Input<string>;
  /**
   * With `transitGatewayId`: that transit gateway's default route table association and propagation
   * (describe-transit-gateways `Options`), which the component cannot see. Either on is refused unless
   * `acceptDefaultRouteTable` is set, since the VPN attachments would join the default route table; without
   * that, every site needs route tables (`routeTables` or its own). Required with `transitGatewayId`.
   */
  existingTransitGateway?: ExistingTransitGatewaySettings;
  /**
   * Amazon side ASN of the transit gateway: 64512–65534 or 4200000000–4294967294. For an existing transit
   * gateway give its ASN, so a clash with a site's ASN is caught here. @default 64512.
   */
  amazonSideAsn?: number;
  /**
   * VPN ECMP support of the transit gateway. Applied to a transit gateway the component creates; for an
   * existing one, state its setting, since ECMP sizing depends on it. @default true.
   */
  vpnEcmpSupport?: boolean;
  /** On-premises sites, keyed by a stable name used in resource names (1–32 letters, digits, '-'). */
  sites: Record<string, TransitGatewayVpnSite>;
  /**
   * Route tables for every site's attachments. @default with a created transit gateway, one route table
   * `<name>-onprem` that every attachment is associated with and propagates to; with an existing transit
   * gateway, required (here or per site) unless `existingTransitGateway.acceptDefaultRouteTable`.
   */
  routeTables?: TransitGatewayRouteTables;
  /** "ipv4" or "ipv6" inside addresses for the tunnels (IPv6 needs a transit gateway). @default "ipv4". */
  tunnelInsideIpVersion?: TunnelInsideIpVersion;
  /** Pool the tunnel inside CIDRs are allocated from. @default 169.254.0.0/16 (fd00::/8 for IPv6). */
  insideCidrPool?: string;
  /**
   * The previous run's `insideCidrs` output, by connection key: allocated tunnels keep these CIDRs, since a new
   * inside CIDR replaces the VPN connection. Plain values, read before the component is constructed (for
   * example from the stack's own outputs through a StackReference). @default none: a new site can move a tunnel.
   */
  previousInsideCidrs?: Record<string, string[]>;
  /** Tunnel (and BGP) logs to CloudWatch Logs. */
  tunnelLogs?: TunnelLog;
  /** TunnelState alarms, one per tunnel. */
  tunnelAlarms?: TunnelAlarm;
  /** Tags on every AWS resource the component creates. */
  tags?: Record<string, string>;
}

/** The keys TransitGatewayVpn's arguments may have (model/argumentKeys). */
const TRANSIT_GATEWAY_VPN_KEYS = keysOf<TransitGatewayVpnArgs>({
  ...SHARED_VPN_KEYS,
  transitGatewayId: "value",
  existingTransitGateway: keysOf<ExistingTransitGatewaySettings>({
    defaultRouteTableAssociation: "value",
    defaultRouteTablePropagation: "value",
    acceptDefaultRouteTable: "value",
  }),
  amazonSideAsn: "value",
  vpnEcmpSupport: "value",
  sites: { record: { keys: TRANSIT_GATEWAY_SITE_KEYS } },
  routeTables: TRANSIT_GATEWAY_SITE_KEYS.routeTables,
  tunnelInsideIpVersion: "value",
});

/**
 * Route tables belong to one transit gateway: tables can only be named for an existing gateway, and a
 * static site there needs tables to hold its routes (a static attachment propagates nothing).
 */
function checkRouteTablesFitGateway(problems: Problems, args: TransitGatewayVpnArgs): void {
  if (args.transitGatewayId !== undefined) {
    checkTransitGatewayRouteTables(problems, args);
    return;
  }
  if (args.existingTransitGateway !== undefined)
    problems.add(
      "existingTransitGateway",
      args.existingTransitGateway,
      "only with transitGatewayId: the transit gateway this component creates has default route table association and propagation off",
    );
  const elsewhere =
    "route tables of another transit gateway cannot serve the one this component creates; give transitGatewayId";
  if (args.routeTables !== undefined)
    problems.add(
      "routeTables",
      "(route table ids)",
      `${elsewhere}, or leave routeTables out for a <name>-onprem table`,
    );
  for (const [key, site] of Object.entries(args.sites ?? {}))
    if (site !== null && typeof site === "object" && site.routeTables !== undefined)
      problems.add(`sites.${key}.routeTables`, "(route table ids)", elsewhere);
}

const plans = new ComponentState<TransitGatewayVpn, VpnPlan>();

/**
 * AWS Transit Gateway + VPN: Site-to-Site VPN connections attached to a transit gateway (given or created),
 * sized for each site's bandwidth with ECMP across BGP tunnels, optionally accelerated, associated with
 * and propagated to the route tables named, with static routes where a site uses static routing.
 */
export class TransitGatewayVpn extends pulumi.ComponentResource {
  /** The transit gateway the connections attach to. */
  public readonly transitGatewayId: pulumi.Output<string>;
  /** The route table created with a new transit gateway, when no route tables were given. */
  public readonly routeTableId: pulumi.Output<string | undefined>;
  /** Customer gateway ids by site. */
  public readonly customerGatewayIds: pulumi.Output<Record<string, string>>;
  /** VPN connections by connection key (`<site>-<n>`): ids, attachment id, tunnel addresses. */
  public readonly connections: pulumi.Output<Record<string, VpnConnectionInfo>>;
  /** Pre-shared keys by connection key, tunnel 1 then tunnel 2. Secret. */
  public readonly presharedKeys: pulumi.Output<Record<string, string[]>>;
  /** ECMP sizing by site: how many connections, the capacity and why. */
  public readonly ecmp: pulumi.Output<Record<string, EcmpPlan>>;
  /** CloudWatch log group the tunnels log to. */
  public readonly logGroupName: pulumi.Output<string>;
  /** Tunnel inside CIDRs by connection key, tunnel 1 then 2: give them back as `previousInsideCidrs` next run. */
  public readonly insideCidrs: pulumi.Output<Record<string, string[]>>;
  /** The plan the component registered. */
  public get plan(): VpnPlan {
    return plans.get(this);
  }

  constructor(name: string, args: TransitGatewayVpnArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseUnknownKeys(componentWhere("TransitGatewayVpn", name), TRANSIT_GATEWAY_VPN_KEYS, args);
    const plan = planVpnSites(
      componentWhere("TransitGatewayVpn", name),
      name,
      args.sites,
      {
        gateway: "tgw",
        ...(args.amazonSideAsn !== undefined ? { amazonSideAsn: args.amazonSideAsn } : {}),
        ...(args.insideCidrPool !== undefined ? { insideCidrPool: args.insideCidrPool } : {}),
        ...(args.previousInsideCidrs !== undefined ? { previousInsideCidrs: args.previousInsideCidrs } : {}),
        ...(args.tunnelInsideIpVersion !== undefined ? { insideIpVersion: args.tunnelInsideIpVersion } : {}),
        ecmp: args.vpnEcmpSupport ?? true,
      },
      (problems) => {
        checkRouteTablesFitGateway(problems, args);
        checkSharedVpnArgs(problems, args);
      },
    );
    claimSiteDevices(plan);
    super(
      "hybridnet:index:TransitGatewayVpn",
      name,
      {},
      gateOnSecrets(plan.where, presharedKeyChecks(args.sites), opts),
    );
    plans.set(this, plan);
    const tags = { ...args.tags, "hybridnet:component": name };

    let transitGatewayId: pulumi.Output<string>;
    let defaultTables: TransitGatewayRouteTables | undefined = args.routeTables;
    let createdTable: aws.ec2transitgateway.RouteTable | undefined;
    if (args.transitGatewayId !== undefined) transitGatewayId = pulumi.output(args.transitGatewayId);
    else {
      const tgw = new aws.ec2transitgateway.TransitGateway(
        `${name}-tgw`,
        secureTransitGatewayArgs({
          description: `${name}: Site-to-Site VPN hub`,
          amazonSideAsn: plan.amazonSideAsn,
          dnsSupport: true,
          vpnEcmpSupport: args.vpnEcmpSupport ?? true,
          tags: { ...tags, Name: name },
        }),
        { parent: this },
      );
      transitGatewayId = tgw.id;
      if (!args.routeTables) {
        createdTable = new aws.ec2transitgateway.RouteTable(
          `${name}-onprem`,
          { transitGatewayId: tgw.id, tags: { ...tags, Name: `${name}-onprem` } },
          { parent: this },
        );
        defaultTables = { association: createdTable.id, propagation: { onprem: createdTable.id } };
      }
    }

    const logGroup = tunnelLogGroup(this, name, args.tunnelLogs, tags);
    const registered = registerVpnSites(
      this,
      name,
      plan,
      args.sites,
      { transitGatewayId },
      logGroup,
      args.tunnelAlarms,
      tags,
    );

    registerTransitGatewayRouting(
      this,
      name,
      registered,
      (site) => args.sites[site].routeTables,
      defaultTables,
    );

    const outputs = connectionOutputs(registered);
    this.transitGatewayId = transitGatewayId;
    this.routeTableId = createdTable ? createdTable.id : pulumi.output(undefined);
    this.customerGatewayIds = outputs.customerGatewayIds;
    this.connections = outputs.connections;
    this.presharedKeys = outputs.presharedKeys;
    this.ecmp = ecmpOutput(plan);
    this.logGroupName = logGroup.name;
    this.insideCidrs = insideCidrsOutput(plan);
    this.registerOutputs({
      insideCidrs: this.insideCidrs,
      transitGatewayId: this.transitGatewayId,
      routeTableId: this.routeTableId,
      customerGatewayIds: this.customerGatewayIds,
      connections: this.connections,
      presharedKeys: this.presharedKeys,
      ecmp: this.ecmp,
      logGroupName: this.logGroupName,
    });
  }
}
