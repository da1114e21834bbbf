/**
 * Lookups over a {@link Network}, built once: records by id, the routes each table holds (static and
 * propagated, already parsed), who announces what. The forwarding walk (./forwarding) asks only this index,
 * so each question costs route lookups, not scans of the whole network.
 */
import type {
  ApplianceInstance,
  ClientVpnEndpoint,
  DirectConnectGateway,
  DirectConnectGatewayAssociation,
  EndpointService,
  GatewayEndpoint,
  InterfaceEndpoint,
  LoadBalancer,
  Network,
  Origin,
  SecurityGroup,
  Site,
  SiteLink,
  SoftwareVpnAppliance,
  Subnet,
  TargetGroup,
  TransitGateway,
  TransitGatewayAttachment,
  TransitGatewayRouteTable,
  Vpc,
  VpcRouteTable,
  VpcRouteTarget,
  VpnGateway,
} from "./network";
import { contains, covers, type Prefix, prefix } from "./prefixes";

/** Where a transit gateway route came from, in the order AWS prefers them at equal prefix length. */
export const TGW_ROUTE_ORDER = ["static", "vpc", "directConnectGateway", "vpn", "peering"] as const;
export type TgwRouteSource = (typeof TGW_ROUTE_ORDER)[number];

export interface TgwRouteEntry {
  prefix: Prefix;
  /** Absent for a blackhole. */
  attachmentId?: string;
  blackhole: boolean;
  source: TgwRouteSource;
  /** The element the route comes from: the static route, or the propagating attachment. */
  origin: Origin;
}

/**
 * VPC route preference at equal prefix length: the local route, then static routes, then routes to a prefix
 * list (a gateway endpoint's), then propagated ones (the VPC "route priority" page).
 */
export type VpcRouteSource = "local" | "static" | "prefixList" | "propagated";
const VPC_ROUTE_ORDER: VpcRouteSource[] = ["local", "static", "prefixList", "propagated"];

/**
 * Where the model places an AWS-managed prefix list (S3's or DynamoDB's in one Region): a /24 of its own in
 * 240.0.0.0/8. The real lists hold public ranges the plan cannot know; a stand-in range lets a route to the list
 * be matched like any other, longer than a default route as the real entries are. Its text is the list's id. 240.0.0.0/4 is reserved
 * (RFC 1112) and no VPC, subnet or site can use it, so a stand-in never meets a real address.
 */
export const PREFIX_LIST_STAND_IN_BASE = prefix("240.0.0.0/8")!.first;

/** A prefix list the plan routes to, with its stand-in range and the service it belongs to. */
export interface PrefixListEntry {
  id: string;
  prefix: Prefix;
  /** `com.amazonaws.<region>.s3`. */
  serviceName: string;
}

export interface VpcRouteEntry {
  prefix: Prefix;
  target: VpcRouteTarget;
  source: VpcRouteSource;
  origin: Origin;
}

/** A prefix a virtual private gateway learned from a site (BGP or a static VPN route, or Direct Connect). */
export interface VgwRouteEntry {
  prefix: Prefix;
  site: Site;
  link: SiteLink;
}

/** The routes with the longest matching prefix and, among those, the most preferred source. */
export function bestRoutes<T extends { prefix: Prefix }>(
  routes: readonly T[],
  address: number,
  rank: (r: T) => number,
): T[] {
  let best: T[] = [];
  let bestLength = -1;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const r of routes) {
    if (!contains(r.prefix, address)) continue;
    const k = rank(r);
    if (r.prefix.length > bestLength || (r.prefix.length === bestLength && k < bestRank)) {
      best = [r];
      bestLength = r.prefix.length;
      bestRank = k;
    } else if (r.prefix.length === bestLength && k === bestRank) best.push(r);
  }
  return best;
}

function byId<T>(items: readonly T[], key: (t: T) => string): Map<string, T> {
  return new Map(items.map((i) => [key(i), i]));
}

function parsed(texts: readonly string[]): Prefix[] {
  return texts.map(prefix).filter((p): p is Prefix => p !== undefined);
}

export class NetworkIndex {
  readonly vpcs: Map<string, Vpc>;
  readonly subnets: Map<string, Subnet>;
  readonly routeTables: Map<string, VpcRouteTable>;
  readonly transitGateways: Map<string, TransitGateway>;
  readonly attachments: Map<string, TransitGatewayAttachment>;
  readonly tgwTables: Map<string, TransitGatewayRouteTable>;
  readonly vpnGateways: Map<string, VpnGateway>;
  readonly directConnectGateways: Map<string, DirectConnectGateway>;
  readonly securityGroups: Map<string, SecurityGroup>;
  readonly endpointServices: Map<string, EndpointService>;
  readonly loadBalancers: Map<string, LoadBalancer>;
  readonly targetGroups: Map<string, TargetGroup>;
  readonly clientVpns: Map<string, ClientVpnEndpoint>;
  readonly gatewayEndpoints: Map<string, GatewayEndpoint>;
  /** The prefix lists of the plan's gateway endpoints, by id, each with its stand-in range. */
  readonly prefixLists = new Map<string, PrefixListEntry>();
  /** Sites by name: records of one name (a data center on an internet VPN and on Direct Connect) merged. */
  readonly sites = new Map<string, Site>();
  readonly vpcPrefixes = new Map<string, Prefix[]>();
  readonly subnetPrefix = new Map<string, Prefix>();
  readonly subnetsOfVpc = new Map<string, Subnet[]>();
  /** The table each attachment is associated with. */
  readonly associationOf = new Map<string, TransitGatewayRouteTable>();
  /** The site behind each VPN attachment or VGW link, by attachment id / VPN connection id. */
  readonly siteOfAttachment = new Map<string, { site: Site; link: SiteLink }>();
  readonly endpointsOfVpc = new Map<string, InterfaceEndpoint[]>();
  readonly appliances: Map<string, SoftwareVpnAppliance>;
  /** Appliance instances by instance id and by network interface id: what VPC routes to an appliance name. */
  readonly applianceTargets = new Map<
    string,
    { appliance: SoftwareVpnAppliance; instance: ApplianceInstance }
  >();
  /**
   * The VPN attachments whose customer gateway is an appliance instance (the hub's connections to it), by
   * instance id.
   */
  readonly hubConnectionsOf = new Map<string, TransitGatewayAttachment[]>();
  /** The tunnels ending on each appliance instance: the site behind each, by instance id. */
  readonly tunnelsOf = new Map<string, { site: Site; link: SiteLink }[]>();
  /** Interface endpoint addresses, by VPC and address. */
  private readonly endpointAddresses = new Map<
    string,
    Map<number, { endpoint: InterfaceEndpoint; subnetId: string }>
  >();
  private readonly sitePrefixCache = new Map<Site, Prefix[]>();
  private readonly tgwRouteCache = new Map<string, TgwRouteEntry[]>();
  private readonly vpcRouteCache = new Map<string, VpcRouteEntry[]>();
  private readonly vgwRouteCache = new Map<string, VgwRouteEntry[]>();

  constructor(readonly network: Network) {
    this.vpcs = byId(network.vpcs, (v) => v.id);
    this.subnets = byId(network.subnets, (s) => s.id);
    this.routeTables = byId(network.routeTables, (t) => t.id);
    this.transitGateways = byId(network.transitGateways, (t) => t.id);
    this.attachments = byId(network.transitGatewayAttachments, (a) => a.id);
    this.tgwTables = byId(network.transitGatewayRouteTables, (t) => t.id);
    this.vpnGateways = byId(network.vpnGateways, (g) => g.id);
    this.directConnectGateways = byId(network.directConnectGateways, (g) => g.id);
    this.securityGroups = byId(network.securityGroups, (g) => g.id);
    this.endpointServices = byId(network.endpointServices, (s) => s.serviceName);
    this.loadBalancers = byId(network.loadBalancers, (l) => l.arn);
    this.targetGroups = byId(network.targetGroups, (t) => t.arn);
    this.clientVpns = byId(network.clientVpnEndpoints, (c) => c.id);
    this.gatewayEndpoints = byId(network.gatewayEndpoints, (g) => g.id);
    const lists = [...new Set(network.gatewayEndpoints.map((g) => g.prefixListId))].sort();
    lists.forEach((id, i) => {
      const first = PREFIX_LIST_STAND_IN_BASE + i * 256;
      const service = network.gatewayEndpoints.find((g) => g.prefixListId === id)?.serviceName ?? "";
      this.prefixLists.set(id, {
        id,
        prefix: { text: id, first, last: first + 255, length: 24 },
        serviceName: service,
      });
    });
    for (const v of network.vpcs) this.vpcPrefixes.set(v.id, parsed(v.cidrs));
    for (const s of network.subnets) {
      const p = prefix(s.cidr);
      if (p) this.subnetPrefix.set(s.id, p);
      const list = this.subnetsOfVpc.get(s.vpcId) ?? [];
      list.push(s);
      this.subnetsOfVpc.set(s.vpcId, list);
    }
    for (const t of network.transitGatewayRouteTables)
      for (const a of t.associations) this.associationOf.set(a, t);
    for (const s of network.sites) {
      const known = this.sites.get(s.name);
      const site = known
        ? {
            ...known,
            prefixes: [...new Set([...known.prefixes, ...s.prefixes])],
            links: [...known.links, ...s.links],
          }
        : { ...s, links: [...s.links] };
      this.sites.set(s.name, site);
    }
    for (const site of this.sites.values())
      for (const link of site.links) {
        if (link.transitGatewayAttachmentId)
          this.siteOfAttachment.set(link.transitGatewayAttachmentId, { site, link });
        this.siteOfAttachment.set(link.id, { site, link });
        if (link.appliance)
          this.tunnelsOf.set(link.appliance.instanceId, [
            ...(this.tunnelsOf.get(link.appliance.instanceId) ?? []),
            { site, link },
          ]);
      }
    this.appliances = byId(network.appliances, (a) => a.id);
    for (const appliance of network.appliances)
      for (const instance of appliance.instances) {
        this.applianceTargets.set(instance.id, { appliance, instance });
        if (instance.networkInterfaceId)
          this.applianceTargets.set(instance.networkInterfaceId, { appliance, instance });
      }
    for (const a of network.transitGatewayAttachments)
      if (a.appliance)
        this.hubConnectionsOf.set(a.appliance.instanceId, [
          ...(this.hubConnectionsOf.get(a.appliance.instanceId) ?? []),
          a,
        ]);
    for (const e of network.interfaceEndpoints) {
      const list = this.endpointsOfVpc.get(e.vpcId) ?? [];
      list.push(e);
      this.endpointsOfVpc.set(e.vpcId, list);
      const byAddress = this.endpointAddresses.get(e.vpcId) ?? new Map();
      for (const a of e.addresses) {
        const p = prefix(a.address);
        if (p) byAddress.set(p.first, { endpoint: e, subnetId: a.subnetId });
      }
      this.endpointAddresses.set(e.vpcId, byAddress);
    }
  }

  /** A route's destination as a range: a CIDR, or the stand-in of a gateway endpoint's prefix list. */
  destinationPrefix(destination: string): Prefix | undefined {
    return prefix(destination) ?? this.prefixLists.get(destination)?.prefix;
  }

  /** A site's prefixes as ranges (parsed once per site: flows ask for them thousands of times; shared, never changed). */
  sitePrefixes(site: Site): Prefix[] {
    let prefixes = this.sitePrefixCache.get(site);
    if (!prefixes) {
      prefixes = parsed(site.prefixes);
      this.sitePrefixCache.set(site, prefixes);
    }
    return prefixes;
  }

  /** What a site link makes AWS learn: the site's prefixes over BGP, its static routes otherwise. */
  linkPrefixes(site: Site, link: SiteLink): Prefix[] {
    return link.routing === "static" && link.staticRoutes
      ? parsed(link.staticRoutes)
      : this.sitePrefixes(site);
  }

  /** The routes of a transit gateway route table: its static routes and blackholes, and what propagates in. */
  tgwRoutes(table: TransitGatewayRouteTable): TgwRouteEntry[] {
    const cached = this.tgwRouteCache.get(table.id);
    if (cached) return cached;
    const routes: TgwRouteEntry[] = [];
    for (const r of table.routes) {
      const p = prefix(r.destination);
      if (!p) continue;
      routes.push({
        prefix: p,
        ...(r.attachmentId && !r.blackhole ? { attachmentId: r.attachmentId } : {}),
        blackhole: r.blackhole === true || !r.attachmentId,
        source: "static",
        origin: r.origin,
      });
    }
    for (const id of table.propagations) {
      const a = this.attachments.get(id);
      if (!a) continue;
      for (const p of this.propagatedBy(a))
        routes.push({ prefix: p, attachmentId: id, blackhole: false, source: sourceOf(a), origin: a.origin });
    }
    this.tgwRouteCache.set(table.id, routes);
    return routes;
  }

  /**
   * What an attachment propagates: a VPC's CIDRs, a BGP VPN's site prefixes (an appliance instance's: its VPC's
   * CIDRs, what SoftwareVpnToManagedVpn announces), a DX gateway's sites'.
   */
  private propagatedBy(a: TransitGatewayAttachment): Prefix[] {
    if (a.kind === "vpc") return this.vpcPrefixes.get(a.vpcId ?? "") ?? [];
    if (a.kind === "vpn" && a.appliance)
      return this.vpcPrefixes.get(this.appliances.get(a.appliance.id)?.vpcId ?? "") ?? [];
    if (a.kind === "vpn") {
      const behind = this.siteOfAttachment.get(a.id);
      // A static VPN on a transit gateway propagates nothing: its routes are static routes in the tables.
      if (!behind || behind.link.routing === "static") return [];
      return this.sitePrefixes(behind.site);
    }
    if (a.kind === "directConnectGateway") {
      const out: Prefix[] = [];
      for (const site of this.sites.values())
        for (const link of site.links)
          if (
            link.kind === "directConnect" &&
            link.virtualInterfaceId &&
            link.directConnectGatewayId === a.directConnectGatewayId
          )
            out.push(...this.linkPrefixes(site, link));
      return out;
    }
    // Transit gateway peering carries static routes only.
    return [];
  }

  /** The routes a VPC route table holds: the local route per VPC CIDR, static routes, VGW-propagated ones. */
  vpcRoutes(table: VpcRouteTable): VpcRouteEntry[] {
    const cached = this.vpcRouteCache.get(table.id);
    if (cached) return cached;
    const routes: VpcRouteEntry[] = [];
    for (const p of this.vpcPrefixes.get(table.vpcId) ?? [])
      routes.push({ prefix: p, target: { kind: "local" }, source: "local", origin: table.origin });
    for (const r of table.routes) {
      const p = this.destinationPrefix(r.destination);
      const source = this.prefixLists.has(r.destination) ? "prefixList" : "static";
      if (p) routes.push({ prefix: p, target: r.target, source, origin: r.origin });
    }
    for (const vgwId of table.propagatingVpnGateways) {
      const vgw = this.vpnGateways.get(vgwId);
      // A gateway propagates only into the tables of the VPC it is attached to.
      if (!vgw || vgw.vpcId !== table.vpcId) continue;
      for (const r of this.vgwRoutes(vgwId))
        routes.push({
          prefix: r.prefix,
          target: { kind: "vpnGateway", id: vgwId },
          source: "propagated",
          origin: vgw.origin,
        });
    }
    this.vpcRouteCache.set(table.id, routes);
    return routes;
  }

  /** What a virtual private gateway learned from its sites: VPN links on it, Direct Connect links to it. */
  vgwRoutes(vgwId: string): VgwRouteEntry[] {
    const cached = this.vgwRouteCache.get(vgwId);
    if (cached) return cached;
    const routes: VgwRouteEntry[] = [];
    for (const site of this.sites.values())
      for (const link of site.links) {
        // A Direct Connect site announces only over a virtual interface (a BGP session).
        const onGateway =
          (link.vpnGatewayId === vgwId && (link.kind === "vpn" || link.virtualInterfaceId !== undefined)) ||
          (link.kind === "directConnect" &&
            link.virtualInterfaceId !== undefined &&
            this.directConnectGateways
              .get(link.directConnectGatewayId ?? "")
              ?.associations.some((a) => a.gatewayId === vgwId));
        if (onGateway) for (const p of this.linkPrefixes(site, link)) routes.push({ prefix: p, site, link });
      }
    this.vgwRouteCache.set(vgwId, routes);
    return routes;
  }

  /**
   * What AWS advertises to on premises over a Direct Connect gateway association: a transit gateway's allowed
   * prefixes as given; over a virtual private gateway only the VPC's CIDRs, each only where an allowed prefix is
   * the same or wider (the allowed prefixes filter, they do not announce).
   */
  advertisedOver(association: DirectConnectGatewayAssociation): Prefix[] {
    const allowed = parsed(association.allowedPrefixes);
    const vgw = this.vpnGateways.get(association.gatewayId);
    if (association.transitGatewayAttachmentId || !vgw) return allowed;
    return (this.vpcPrefixes.get(vgw.vpcId ?? "") ?? []).filter((c) => allowed.some((a) => covers(a, c)));
  }

  static vpcRank(r: VpcRouteEntry): number {
    return VPC_ROUTE_ORDER.indexOf(r.source);
  }

  static tgwRank(r: TgwRouteEntry): number {
    return TGW_ROUTE_ORDER.indexOf(r.source);
  }

  /** The subnet of `vpcId` that holds `address`. */
  subnetAt(vpcId: string, address: number): Subnet | undefined {
    return (this.subnetsOfVpc.get(vpcId) ?? []).find((s) => {
      const p = this.subnetPrefix.get(s.id);
      return p !== undefined && contains(p, address);
    });
  }

  /** The interface endpoint of `vpcId` that owns `address`, and the subnet it is in. */
  endpointAt(vpcId: string, address: number): { endpoint: InterfaceEndpoint; subnetId: string } | undefined {
    return this.endpointAddresses.get(vpcId)?.get(address);
  }

  /** The security groups of whatever owns `address` in `vpcId` (endpoints, load balancers, Client VPN). */
  securityGroupsAt(vpcId: string, address: number): string[] {
    const at = this.endpointAt(vpcId, address);
    if (at) return at.endpoint.securityGroupIds;
    const subnet = this.subnetAt(vpcId, address);
    if (!subnet) return [];
    const groups: string[] = [];
    for (const lb of this.loadBalancers.values())
      if (
        lb.vpcId === vpcId &&
        lb.subnetIds.includes(subnet.id) &&
        address === loadBalancerAddress(this, subnet.id, lb)
      )
        groups.push(...lb.securityGroupIds);
    for (const c of this.clientVpns.values())
      if (
        c.vpcId === vpcId &&
        c.subnetIds.includes(subnet.id) &&
        address === clientVpnAddress(this, subnet.id)
      )
        groups.push(...c.securityGroupIds);
    return groups;
  }

  /** The VPC a subnet belongs to, by subnet id. */
  vpcOfSubnet(subnetId: string): Vpc | undefined {
    const s = this.subnets.get(subnetId);
    return s ? this.vpcs.get(s.vpcId) : undefined;
  }

  /** The attachment of `vpcId` to `transitGatewayId`. */
  vpcAttachment(vpcId: string, transitGatewayId: string): TransitGatewayAttachment | undefined {
    for (const a of this.attachments.values())
      if (a.kind === "vpc" && a.vpcId === vpcId && a.transitGatewayId === transitGatewayId) return a;
    return undefined;
  }
}

function sourceOf(a: TransitGatewayAttachment): TgwRouteSource {
  return a.kind === "vpc"
    ? "vpc"
    : a.kind === "directConnectGateway"
      ? "directConnectGateway"
      : a.kind === "vpn"
        ? "vpn"
        : "peering";
}

/**
 * The address a load balancer node has in a subnet: the one AWS reports (`subnetMappings`); where the plan has
 * none (a hand-built network), the fifth address (the first four are reserved), so answers name a concrete one.
 */
export function loadBalancerAddress(index: NetworkIndex, subnetId: string, lb: LoadBalancer): number {
  const reported = lb.nodeAddresses?.[subnetId];
  const host = reported === undefined ? undefined : prefix(`${reported}/32`);
  if (host) return host.first;
  const p = index.subnetPrefix.get(subnetId);
  return p ? p.first + 4 : 0;
}

/** The address of a Client VPN endpoint's network interface in an associated subnet (clients are translated to it). */
export function clientVpnAddress(index: NetworkIndex, subnetId: string): number {
  const p = index.subnetPrefix.get(subnetId);
  return p ? p.first + 5 : 0;
}
