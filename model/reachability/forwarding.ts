/**
 * One packet through the planned network, hop by hop, as AWS forwards it: VPC route tables (longest prefix;
 * local, then static, then propagated routes), the transit gateway (the table the ingress attachment is
 * associated with; longest prefix, then static over propagated, then VPC, Direct Connect gateway and VPN
 * routes — the transit gateway's route evaluation order), virtual private gateways (VPN and Direct Connect
 * routes, CloudHub between sites), VPC peering (to the peer's CIDRs only), Direct Connect gateways (the site
 * learns only the allowed prefixes), interface endpoints and their security groups, Client VPN (authorization,
 * route, source translation). Where several equal routes share the traffic (ECMP, a site with several links),
 * every one of them must deliver: a flow is proven only if it works whichever path carries it.
 */
import type {
  ApplianceInstance,
  AppliancePeer,
  InterfaceEndpoint,
  Origin,
  SecurityGroupRule,
  Site,
  SiteLink,
  SoftwareVpnAppliance,
  Subnet,
  TransitGatewayAttachment,
} from "./network";
import { bestRoutes, clientVpnAddress, NetworkIndex, type TgwRouteEntry } from "./networkIndex";
import { addressText, contains, type Prefix, prefix } from "./prefixes";

export type Protocol = "tcp" | "udp" | "icmp";

export interface Packet {
  src: number;
  dst: number;
  protocol: Protocol;
  /** Destination port (tcp, udp). */
  port?: number;
}

/** Where a packet starts or ends. */
export type Place =
  | { kind: "subnet"; subnetId: string }
  | { kind: "site"; site: string }
  | { kind: "clientVpn"; endpointId: string }
  /** An AWS service behind a gateway or interface endpoint of an AWS service. */
  | { kind: "awsService"; id: string };

/** One step of a path, or the step that dropped it: the element (stack, name, URN) and what happened there. */
export interface Hop {
  stack: string;
  name: string;
  urn?: string;
  what: string;
}

/** Where a packet ended up when it was not dropped. */
export type Arrival =
  | { kind: "host"; place: Place; packet: Packet }
  | { kind: "endpoint"; endpoint: InterfaceEndpoint; subnetId: string; packet: Packet };

export type Outcome = { ok: true; hops: Hop[]; at: Arrival } | { ok: false; hops: Hop[]; drop: Hop };

const MAX_DEPTH = 24;

/** A hop at `origin`: its fields in the plan document's order (stack, name, urn, what), written one by one. */
export function hop(origin: Pick<Origin, "stack" | "name" | "urn">, what: string): Hop {
  const h = { stack: origin.stack, name: origin.name } as Hop;
  if (origin.urn) h.urn = origin.urn;
  h.what = what;
  return h;
}

function ok(hops: Hop[], at: Arrival): Outcome {
  return { ok: true, hops, at };
}

function dropped(hops: Hop[], origin: Origin, what: string): Outcome {
  return { ok: false, hops, drop: hop(origin, what) };
}

/** Every branch must deliver: the first failing branch, else the first branch (noting the others). */
function allOf(branches: Outcome[], what: string): Outcome {
  const failed = branches.find((b) => !b.ok);
  if (failed) return failed;
  const first = branches[0];
  if (branches.length > 1 && first.hops.length > 0)
    first.hops[0] = { ...first.hops[0], what: `${first.hops[0].what} (1 of ${branches.length} ${what})` };
  return first;
}

/** A port or protocol in words: `tcp/443`. */
export function service(p: Packet): string {
  return p.protocol === "icmp" ? "icmp" : `${p.protocol}/${p.port ?? "any"}`;
}

/** Whether one security group rule admits `peer` with the packet's protocol and port. */
export function ruleAdmits(
  index: NetworkIndex,
  rule: SecurityGroupRule,
  vpcId: string,
  peer: number,
  p: Packet,
): boolean {
  if (rule.protocol !== "-1" && rule.protocol !== "all" && rule.protocol !== p.protocol) return false;
  if (rule.protocol !== "-1" && rule.protocol !== "all" && p.protocol !== "icmp" && p.port !== undefined) {
    const from = rule.fromPort ?? 0;
    const to = rule.toPort ?? 65535;
    if (from !== -1 && (p.port < from || p.port > to)) return false;
  }
  if (rule.cidr !== undefined) {
    const c = prefix(rule.cidr);
    return c !== undefined && contains(c, peer);
  }
  if (rule.securityGroupId !== undefined)
    return index.securityGroupsAt(vpcId, peer).includes(rule.securityGroupId);
  return false;
}

/** Whether any of the groups admits ESP (IP protocol 50) from or to `peer` in `direction`. */
function groupsAdmitEsp(
  index: NetworkIndex,
  groupIds: readonly string[],
  direction: "ingress" | "egress",
  peer: number,
): boolean {
  const groups = groupIds.map((id) => index.securityGroups.get(id)).filter((g) => g !== undefined);
  if (groups.length < groupIds.length) return true;
  return groups.some((g) =>
    g[direction].some((r) => {
      if (!["50", "esp", "-1", "all"].includes(r.protocol)) return false;
      const c = r.cidr !== undefined ? prefix(r.cidr) : undefined;
      return c !== undefined && contains(c, peer);
    }),
  );
}

/** Whether any of the groups admits `peer` in `direction`; the groups' names for the answer. */
function groupsAdmit(
  index: NetworkIndex,
  groupIds: readonly string[],
  direction: "ingress" | "egress",
  vpcId: string,
  peer: number,
  p: Packet,
): { admits: boolean; origin: Origin } {
  const groups = groupIds.map((id) => index.securityGroups.get(id)).filter((g) => g !== undefined);
  const origin = groups[0]?.origin ?? { stack: "?", name: groupIds.join(",") || "(none)" };
  // A group the plan does not hold (created elsewhere) is not judged.
  if (groups.length < groupIds.length) return { admits: true, origin };
  return {
    admits: groups.some((g) => g[direction].some((r) => ruleAdmits(index, r, vpcId, peer, p))),
    origin,
  };
}

/** The forwarding walk over one indexed network. */
export class Forwarder {
  /** Set when a walk met an element that filters by port (security group, listener): port classes matter. */
  touchedPorts = false;
  /** Set when a walk met an element that filters by source address (an inbound rule). */
  touchedSource = false;

  constructor(readonly index: NetworkIndex) {}

  /** Security groups' verdict on `peer`; notes that the answer depended on the port. */
  admit(
    groupIds: readonly string[],
    direction: "ingress" | "egress",
    vpcId: string,
    peer: number,
    p: Packet,
  ) {
    this.touchedPorts = true;
    if (direction === "ingress") this.touchedSource = true;
    return groupsAdmit(this.index, groupIds, direction, vpcId, peer, p);
  }

  private readonly owners = new Map<number, string>();

  /** Names what owns an address, for messages: `10.20.0.0/16 (VPC app-vpc, workload-app-dev)`. */
  owner(address: number): string {
    let known = this.owners.get(address);
    if (known === undefined) {
      known = this.findOwner(address);
      this.owners.set(address, known);
    }
    return known;
  }

  private findOwner(address: number): string {
    const found: string[] = [];
    for (const v of this.index.vpcs.values())
      for (const p of this.index.vpcPrefixes.get(v.id) ?? [])
        if (contains(p, address)) found.push(`${p.text} (VPC ${v.origin.name}, ${v.origin.stack})`);
    for (const s of this.index.sites.values())
      for (const p of this.index.sitePrefixes(s))
        if (contains(p, address)) found.push(`${p.text} (site ${s.name})`);
    for (const c of this.index.clientVpns.values()) {
      const p = prefix(c.clientCidr);
      if (p && contains(p, address)) found.push(`${p.text} (Client VPN ${c.origin.name} clients)`);
    }
    for (const l of this.index.prefixLists.values())
      if (contains(l.prefix, address)) found.push(`prefix list ${l.id} (${l.serviceName})`);
    return found.length > 0 ? [...new Set(found)].join(" / ") : addressText(address);
  }

  /**
   * Whether every address of `range` is dropped at the first lookup a packet from `place` meets: the subnet's
   * route table, the transit gateway table of any link of a site, or a Client VPN's authorization rules has no
   * route or rule overlapping the range. Lets a whole-space question skip the range's pieces one by one.
   */
  firstHopDropsRange(place: Place, range: Prefix): boolean {
    const none = (prefixes: Iterable<Prefix>) => {
      for (const x of prefixes) if (x.first <= range.last && range.first <= x.last) return false;
      return true;
    };
    if (place.kind === "subnet") {
      const subnet = this.index.subnets.get(place.subnetId);
      const table = subnet ? this.index.routeTables.get(subnet.routeTableId) : undefined;
      return table !== undefined && none(this.index.vpcRoutes(table).map((r) => r.prefix));
    }
    if (place.kind === "site") {
      const site = this.index.sites.get(place.site);
      // A site's flow is reachable only if every link delivers: one link that cannot route the range drops it.
      return (site?.links ?? []).some((link) => {
        if (link.kind !== "vpn" || !link.transitGatewayAttachmentId) return false;
        const table = this.index.associationOf.get(link.transitGatewayAttachmentId);
        return table !== undefined && none(this.index.tgwRoutes(table).map((r) => r.prefix));
      });
    }
    if (place.kind === "clientVpn") {
      const c = this.index.clientVpns.get(place.endpointId);
      return (
        c !== undefined &&
        none(c.authorizations.map((a) => prefix(a.destination)).filter((x) => x !== undefined))
      );
    }
    return false;
  }

  /** A packet leaving a host in `place`. */
  from(place: Place, p: Packet, depth = 0): Outcome {
    switch (place.kind) {
      case "subnet":
        return this.inSubnet(place.subnetId, p, depth);
      case "site":
        return this.fromSite(place.site, p, depth);
      case "clientVpn":
        return this.fromClientVpn(place.endpointId, p, depth);
      case "awsService":
        return this.fromAwsService(place.id, p);
    }
  }

  /** An AWS service answers through the gateway endpoint the request came in by: into that endpoint's VPC. */
  private fromAwsService(endpointId: string, p: Packet): Outcome {
    const endpoint = this.index.gatewayEndpoints.get(endpointId);
    if (!endpoint)
      return {
        ok: false,
        hops: [],
        drop: { stack: "aws", name: endpointId, what: "AWS services start no flows" },
      };
    return prepend(
      hop(
        endpoint.origin,
        `${endpoint.serviceName} answers through gateway endpoint ${endpoint.origin.name}`,
      ),
      this.deliverInVpc(endpoint.vpcId, p),
    );
  }

  /** Routed by the route table of `subnetId` (a host there sends, or a packet arrives through the subnet). */
  inSubnet(subnetId: string, p: Packet, depth: number): Outcome {
    const subnet = this.index.subnets.get(subnetId);
    if (!subnet) return dropped([], { stack: "?", name: subnetId }, `subnet ${subnetId} is not in the plan`);
    const table = this.index.routeTables.get(subnet.routeTableId);
    if (!table)
      return dropped([], subnet.origin, `subnet ${subnet.origin.name} has no route table in the plan`);
    const vpc = this.index.vpcs.get(subnet.vpcId);
    const where = `${vpc?.origin.name ?? subnet.vpcId} (${subnet.tier ?? subnet.origin.name}, ${subnet.zone})`;
    const best = bestRoutes(this.index.vpcRoutes(table), p.dst, NetworkIndex.vpcRank);
    if (best.length === 0)
      return dropped([], table.origin, `route table of VPC ${where} has no route for ${this.owner(p.dst)}`);
    const route = best[0];
    const appliance =
      route.target.kind === "other" ? this.index.applianceTargets.get(route.target.id) : undefined;
    const to = appliance
      ? `appliance ${appliance.instance.origin.name} (${targetText(route.target)})`
      : targetText(route.target);
    const head = hop(
      route.source === "static" || route.source === "prefixList" ? route.origin : table.origin,
      `route table of VPC ${where}: ${route.prefix.text} → ${to}${route.source === "propagated" ? " (propagated)" : ""}`,
    );
    const rest = this.routeVpc(subnet, route.target, route.prefix, p, depth + 1);
    return { ...rest, hops: [head, ...rest.hops] } as Outcome;
  }

  private routeVpc(
    subnet: Subnet,
    target: { kind: string; id?: string },
    matched: Prefix,
    p: Packet,
    depth: number,
  ): Outcome {
    if (depth > MAX_DEPTH) return dropped([], subnet.origin, "routing loop");
    const vpcId = subnet.vpcId;
    switch (target.kind) {
      case "local":
        return this.deliverInVpc(vpcId, p);
      case "transitGateway": {
        const attachment = this.index.vpcAttachment(vpcId, target.id ?? "");
        const tgw = this.index.transitGateways.get(target.id ?? "");
        const origin = tgw?.origin ?? subnet.origin;
        if (!attachment)
          return dropped(
            [],
            origin,
            `VPC ${this.vpcName(vpcId)} has no attachment to transit gateway ${target.id}`,
          );
        // The transit gateway reaches only the zones where the attachment has a subnet.
        const zones = (attachment.subnetIds ?? []).map((id) => this.index.subnets.get(id)?.zone);
        if (attachment.subnetIds && !zones.includes(subnet.zone))
          return dropped(
            [],
            attachment.origin,
            `attachment ${attachment.origin.name} has no subnet in ${subnet.zone}: hosts there cannot reach the transit gateway`,
          );
        return this.inTransitGateway(attachment.id, p, depth + 1);
      }
      case "vpnGateway":
        return this.fromVpnGateway(target.id ?? "", undefined, p, depth + 1);
      case "peering":
        return this.overPeering(target.id ?? "", vpcId, p, depth + 1);
      case "gatewayEndpoint": {
        const endpoint = this.index.gatewayEndpoints.get(target.id ?? "");
        const at: Arrival = { kind: "host", place: { kind: "awsService", id: target.id ?? "" }, packet: p };
        if (!endpoint) return ok([], at);
        return ok(
          [hop(endpoint.origin, `gateway endpoint ${endpoint.origin.name} to ${endpoint.serviceName}`)],
          at,
        );
      }
      case "blackhole":
        return dropped(
          [],
          subnet.origin,
          `blackhole route ${matched.text} in the route table of ${subnet.origin.name}`,
        );
      default: {
        const appliance = this.index.applianceTargets.get(target.id ?? "");
        if (appliance) return this.intoAppliance(vpcId, appliance.appliance, appliance.instance, p, depth);
        return dropped(
          [],
          subnet.origin,
          `route ${matched.text} leaves the planned network through ${target.id}: not modelled`,
        );
      }
    }
  }

  private vpcName(vpcId: string): string {
    return this.index.vpcs.get(vpcId)?.origin.name ?? vpcId;
  }

  /** The VPC's local route delivers: an interface endpoint's address, or a host in one of its subnets. */
  private deliverInVpc(vpcId: string, p: Packet): Outcome {
    const vpc = this.index.vpcs.get(vpcId);
    const endpoint = this.index.endpointAt(vpcId, p.dst);
    if (endpoint) {
      const { admits, origin } = this.admit(endpoint.endpoint.securityGroupIds, "ingress", vpcId, p.src, p);
      if (!admits)
        return dropped(
          [],
          origin,
          `security group of endpoint ${endpoint.endpoint.origin.name} admits no ${service(p)} from ${this.owner(p.src)}`,
        );
      return ok(
        [hop(endpoint.endpoint.origin, `interface endpoint ${addressText(p.dst)} admits ${service(p)}`)],
        {
          kind: "endpoint",
          endpoint: endpoint.endpoint,
          subnetId: endpoint.subnetId,
          packet: p,
        },
      );
    }
    const subnet = this.index.subnetAt(vpcId, p.dst);
    if (!subnet)
      return dropped(
        [],
        vpc?.origin ?? { stack: "?", name: vpcId },
        `no subnet of VPC ${this.vpcName(vpcId)} holds ${addressText(p.dst)}`,
      );
    return ok(
      [hop(subnet.origin, `delivered to ${addressText(p.dst)} in ${subnet.origin.name} (${subnet.zone})`)],
      {
        kind: "host",
        place: { kind: "subnet", subnetId: subnet.id },
        packet: p,
      },
    );
  }

  /** A packet entering a transit gateway through `attachmentId`. */
  inTransitGateway(attachmentId: string, p: Packet, depth: number): Outcome {
    if (depth > MAX_DEPTH) return dropped([], { stack: "?", name: attachmentId }, "routing loop");
    const attachment = this.index.attachments.get(attachmentId);
    if (!attachment)
      return dropped([], { stack: "?", name: attachmentId }, `attachment ${attachmentId} is not in the plan`);
    const table = this.index.associationOf.get(attachmentId);
    if (!table)
      return dropped(
        [],
        attachment.origin,
        `attachment ${attachment.origin.name} is associated with no transit gateway route table: it carries nothing`,
      );
    const segment = table.segment ? `segment ${table.segment}` : table.origin.name;
    const best = bestRoutes(this.index.tgwRoutes(table), p.dst, NetworkIndex.tgwRank);
    if (best.length === 0)
      return dropped(
        [],
        table.origin,
        `transit gateway route table ${segment} has no route for ${this.owner(p.dst)}`,
      );
    if (best[0].blackhole)
      return dropped(
        [],
        best[0].origin,
        `blackhole route ${best[0].prefix.text} in transit gateway route table ${segment}`,
      );
    const branches = best.map((route) => {
      const head = hop(
        table.origin,
        `transit gateway route table ${segment}: ${route.prefix.text} → ${this.attachmentText(route)}`,
      );
      const rest = this.outOfTransitGateway(route.attachmentId ?? "", p, depth + 1);
      return { ...rest, hops: [head, ...rest.hops] } as Outcome;
    });
    return allOf(branches, "equal-cost routes");
  }

  private attachmentText(route: TgwRouteEntry): string {
    const a = this.index.attachments.get(route.attachmentId ?? "");
    const how = route.source === "static" ? "static" : `propagated from the ${a?.kind ?? "?"} attachment`;
    return `${a?.origin.name ?? route.attachmentId} (${how})`;
  }

  private outOfTransitGateway(attachmentId: string, p: Packet, depth: number): Outcome {
    const a = this.index.attachments.get(attachmentId);
    if (!a)
      return dropped([], { stack: "?", name: attachmentId }, `attachment ${attachmentId} is not in the plan`);
    switch (a.kind) {
      case "vpc": {
        // Into the VPC through the attachment's interface in a subnet; that subnet's route table decides.
        const subnetId = a.subnetIds?.[0];
        if (!subnetId) return dropped([], a.origin, `attachment ${a.origin.name} has no subnet`);
        return this.inSubnet(subnetId, p, depth + 1);
      }
      case "vpn": {
        if (a.appliance) return this.fromHubConnection(a, p, depth);
        const behind = this.index.siteOfAttachment.get(a.id);
        if (!behind) return dropped([], a.origin, `no site is known behind VPN ${a.origin.name}`);
        return this.deliverToSite(behind.site, behind.link, p);
      }
      case "directConnectGateway": {
        const gateway = this.index.directConnectGateways.get(a.directConnectGatewayId ?? "");
        const sites = [...this.index.sites.values()].flatMap((site) =>
          site.links
            .filter(
              (l) => l.kind === "directConnect" && l.directConnectGatewayId === a.directConnectGatewayId,
            )
            .filter((l) => this.index.linkPrefixes(site, l).some((x) => contains(x, p.dst)))
            .map((link) => ({ site, link })),
        );
        if (sites.length === 0)
          return dropped(
            [],
            gateway?.origin ?? a.origin,
            `no site on Direct Connect gateway ${gateway?.origin.name ?? a.directConnectGatewayId} holds ${addressText(p.dst)}`,
          );
        return this.deliverToSite(sites[0].site, sites[0].link, p);
      }
      case "peering":
        return this.overTgwPeering(a, p, depth);
    }
  }

  /**
   * Over a transit gateway peering to the peer gateway, whose lookup uses the route table associated with the
   * peering attachment on its side. The peer's owner must have accepted: until then the attachment carries nothing.
   */
  private overTgwPeering(a: TransitGatewayAttachment, p: Packet, depth: number): Outcome {
    const peerTgw = this.index.transitGateways.get(a.peerTransitGatewayId ?? "");
    const peerName = `${peerTgw?.origin.name ?? a.peerTransitGatewayId ?? "?"}${peerTgw?.region ? ` (${peerTgw.region})` : ""}`;
    if (!a.peerAttachmentId || !this.index.attachments.has(a.peerAttachmentId))
      return dropped(
        [],
        a.origin,
        `transit gateway peering ${a.origin.name} is not accepted by transit gateway ${peerName}: it carries nothing until the peer accepts`,
      );
    return prepend(
      hop(a.origin, `over transit gateway peering ${a.origin.name} to transit gateway ${peerName}`),
      this.inTransitGateway(a.peerAttachmentId, p, depth + 1),
    );
  }

  private deliverToSite(site: Site, link: SiteLink, p: Packet): Outcome {
    if (!this.index.sitePrefixes(site).some((x) => contains(x, p.dst)))
      return dropped([], site.origin, `site ${site.name} does not hold ${addressText(p.dst)}`);
    return ok(
      [
        hop(
          link.origin,
          link.appliance
            ? `over the IPsec tunnel of ${link.origin.name} to peer ${link.appliance.peer}, site ${site.name}`
            : `over ${link.kind === "vpn" ? "VPN" : "Direct Connect"} ${link.origin.name} to site ${site.name}`,
        ),
      ],
      {
        kind: "host",
        place: { kind: "site", site: site.name },
        packet: p,
      },
    );
  }

  /** A packet from a site: over each of its links (each must deliver: the site may use any). */
  fromSite(name: string, p: Packet, depth: number): Outcome {
    const site = this.index.sites.get(name);
    if (!site) return dropped([], { stack: "on-premises", name }, `site ${name} is not in the plan`);
    if (site.links.length === 0) return dropped([], site.origin, `site ${name} has no link to AWS`);
    const branches = site.links.map((link) => {
      const head = hop(
        link.origin,
        link.appliance
          ? `site ${name} (peer ${link.appliance.peer}) sends over its IPsec tunnel to ${link.origin.name}`
          : `site ${name} sends over ${link.kind === "vpn" ? "VPN" : "Direct Connect"} ${link.origin.name}`,
      );
      return prepend(head, this.overLink(site, link, p, depth + 1));
    });
    return allOf(branches, "links of the site");
  }

  private overLink(site: Site, link: SiteLink, p: Packet, depth: number): Outcome {
    if (link.appliance) return this.fromTunnel(link, p, depth);
    if (link.kind === "directConnect") return this.overDirectConnect(site, link, p, depth);
    if (link.transitGatewayAttachmentId)
      return this.inTransitGateway(link.transitGatewayAttachmentId, p, depth + 1);
    if (link.vpnGatewayId) return this.fromVpnGateway(link.vpnGatewayId, site, p, depth + 1);
    return dropped([], link.origin, `VPN ${link.origin.name} ends on no gateway in the plan`);
  }

  /**
   * From a site over its virtual interface: to a virtual private gateway the VIF ends on, or through the Direct
   * Connect gateway to the association whose advertised prefixes cover the destination (the site learns only
   * those), then into the associated transit gateway or virtual private gateway.
   */
  private overDirectConnect(site: Site, link: SiteLink, p: Packet, depth: number): Outcome {
    if (!link.virtualInterfaceId) {
      const gateway = this.index.directConnectGateways.get(link.directConnectGatewayId ?? "");
      return dropped(
        [],
        link.origin,
        `site ${site.name} has no virtual interface on Direct Connect gateway ${gateway?.origin.name ?? link.directConnectGatewayId}: no BGP session carries its traffic`,
      );
    }
    if (!link.directConnectGatewayId && link.vpnGatewayId)
      return this.fromVpnGateway(link.vpnGatewayId, site, p, depth + 1);
    const gateway = this.index.directConnectGateways.get(link.directConnectGatewayId ?? "");
    if (!gateway)
      return dropped(
        [],
        link.origin,
        `Direct Connect gateway ${link.directConnectGatewayId} is not in the plan`,
      );
    const association = gateway.associations.find((a) =>
      this.index.advertisedOver(a).some((x) => contains(x, p.dst)),
    );
    if (!association) {
      const vgwAssociations = gateway.associations.filter((a) => !a.transitGatewayAttachmentId);
      const why =
        vgwAssociations.length > 0
          ? ` (over a virtual private gateway AWS advertises only its VPC's CIDRs, each only where an allowed prefix is the same or wider: ${vgwAssociations.map((a) => a.allowedPrefixes.join(", ") || "none").join("; ")})`
          : "";
      return dropped(
        [],
        gateway.origin,
        `Direct Connect gateway ${gateway.origin.name} advertises no allowed prefix covering ${addressText(p.dst)} to site ${site.name}${why}`,
      );
    }
    if (association.transitGatewayAttachmentId)
      return prepend(
        hop(association.origin, `Direct Connect gateway allowed prefix → transit gateway`),
        this.inTransitGateway(association.transitGatewayAttachmentId, p, depth + 1),
      );
    return prepend(
      hop(association.origin, `Direct Connect gateway ${gateway.origin.name} → virtual private gateway`),
      this.fromVpnGateway(association.gatewayId, site, p, depth + 1),
    );
  }

  /**
   * A packet at a virtual private gateway: into its VPC when the destination is there (from a site), else to
   * the site whose routes cover it (the VPC's traffic, or CloudHub between sites).
   */
  private fromVpnGateway(vgwId: string, fromSite: Site | undefined, p: Packet, depth: number): Outcome {
    const vgw = this.index.vpnGateways.get(vgwId);
    if (!vgw)
      return dropped([], { stack: "?", name: vgwId }, `virtual private gateway ${vgwId} is not in the plan`);
    if (
      fromSite &&
      vgw.vpcId &&
      (this.index.vpcPrefixes.get(vgw.vpcId) ?? []).some((x) => contains(x, p.dst))
    )
      return prepend(
        hop(vgw.origin, `virtual private gateway into VPC ${this.vpcName(vgw.vpcId)}`),
        this.deliverInVpc(vgw.vpcId, p),
      );
    const best = bestRoutes(
      this.index.vgwRoutes(vgwId).filter((r) => r.site !== fromSite),
      p.dst,
      () => 0,
    );
    if (best.length === 0)
      return dropped(
        [],
        vgw.origin,
        `virtual private gateway ${vgw.origin.name} has no route for ${this.owner(p.dst)}`,
      );
    if (depth > MAX_DEPTH) return dropped([], vgw.origin, "routing loop");
    const branches = best.map((r) =>
      prepend(
        hop(vgw.origin, `virtual private gateway: ${r.prefix.text} → site ${r.site.name}`),
        this.deliverToSite(r.site, r.link, p),
      ),
    );
    return allOf(branches, "sites announcing the prefix");
  }

  private overPeering(peeringId: string, fromVpcId: string, p: Packet, depth: number): Outcome {
    const peering = this.index.network.peerings.find((x) => x.id === peeringId);
    if (!peering)
      return dropped([], { stack: "?", name: peeringId }, `peering ${peeringId} is not in the plan`);
    if (!peering.active) return dropped([], peering.origin, `peering ${peering.origin.name} is not accepted`);
    const peerVpc = peering.requesterVpcId === fromVpcId ? peering.accepterVpcId : peering.requesterVpcId;
    // Peering delivers only to the peer VPC's own addresses: it is never transit.
    if (!(this.index.vpcPrefixes.get(peerVpc) ?? []).some((x) => contains(x, p.dst)))
      return dropped(
        [],
        peering.origin,
        `peering ${peering.origin.name} delivers only to VPC ${this.vpcName(peerVpc)}'s CIDRs, not ${this.owner(p.dst)}: peering is not transitive`,
      );
    if (depth > MAX_DEPTH) return dropped([], peering.origin, "routing loop");
    return prepend(
      hop(peering.origin, `peering into VPC ${this.vpcName(peerVpc)}`),
      this.deliverInVpc(peerVpc, p),
    );
  }

  /**
   * A packet a VPC route sends to a software VPN appliance instance: the instance must sit in that VPC with its
   * source/destination check off, its security group must admit the packet (forwarded traffic from the VPC), and
   * it must hold a tunnel to a peer that announces the destination; where several peers do, each tunnel must
   * carry it (BGP may pick any).
   */
  private intoAppliance(
    vpcId: string,
    appliance: SoftwareVpnAppliance,
    instance: ApplianceInstance,
    p: Packet,
    depth: number,
  ): Outcome {
    const name = `${appliance.origin.name} (${instance.role})`;
    if (this.index.subnets.get(instance.subnetId)?.vpcId !== vpcId)
      return dropped(
        [],
        instance.origin,
        `appliance instance ${instance.origin.name} is not in VPC ${this.vpcName(vpcId)}: a route reaches only interfaces in its own VPC`,
      );
    if (instance.sourceDestCheck)
      return dropped(
        [],
        instance.origin,
        `appliance instance ${instance.origin.name} has its source/destination check on: it drops the packet to ${addressText(p.dst)}, which is not addressed to it`,
      );
    const { admits, origin } = this.admit(instance.securityGroupIds, "ingress", vpcId, p.src, p);
    if (!admits)
      return dropped(
        [],
        origin,
        `security group of appliance ${name} admits no forwarded ${service(p)} from ${this.owner(p.src)}`,
      );
    const tunnels = (this.index.tunnelsOf.get(instance.id) ?? []).filter((t) =>
      this.index.sitePrefixes(t.site).some((x) => contains(x, p.dst)),
    );
    const toAppliances = this.peerAppliances(appliance, p.dst);
    const toHub = (this.index.hubConnectionsOf.get(instance.id) ?? []).filter((a) =>
      this.hubAnnounces(a, p.dst),
    );
    if (tunnels.length === 0 && toAppliances.length === 0 && toHub.length === 0)
      return dropped(
        [],
        instance.origin,
        `appliance ${name} has no tunnel to a peer announcing ${this.owner(p.dst)}${this.hubSilence(instance)}`,
      );
    const head = (peer: AppliancePeer | undefined) =>
      hop(
        instance.origin,
        `appliance ${name} admits forwarded ${service(p)} from ${addressText(p.src)}; BGP route to peer ${peer?.key ?? "?"}${peer?.address ? ` (${peer.address.replace(/\/32$/, "")})` : ""}`,
      );
    const branches = tunnels.map(({ site, link }) => {
      const peer = appliance.peers.find((x) => x.key === link.appliance?.peer);
      const problem = peer ? this.tunnelProblem(appliance, instance, peer.key, peer.address) : undefined;
      return problem
        ? { ok: false as const, hops: [head(peer)], drop: problem }
        : prepend(head(peer), this.deliverToSite(site, link, p));
    });
    for (const { peer, remote } of toAppliances) {
      const problem = this.tunnelProblem(appliance, instance, peer.key, peer.address);
      branches.push(
        problem
          ? { ok: false as const, hops: [head(peer)], drop: problem }
          : prepend(
              head(peer),
              this.fromApplianceTunnel(remote.appliance, remote.instance, instance, p, depth),
            ),
      );
    }
    for (const a of toHub) {
      const first = hop(
        instance.origin,
        `appliance ${name} admits forwarded ${service(p)} from ${addressText(p.src)}; BGP route from the transit gateway over VPN ${a.origin.name}`,
      );
      const problem = this.hubTunnelProblem(a, appliance, instance);
      branches.push(
        problem
          ? { ok: false as const, hops: [first], drop: problem }
          : prepend(
              first,
              prepend(
                hop(a.origin, `over the IPsec tunnels of VPN ${a.origin.name} into the transit gateway`),
                this.inTransitGateway(a.id, p, depth + 1),
              ),
            ),
      );
    }
    return allOf(branches, "tunnels to peers announcing the prefix");
  }

  /**
   * Whether the transit gateway announces a route for `dst` to the appliance over VPN attachment `a`: over BGP it
   * announces the routes of the table the attachment is associated with (blackholes and the appliance's own
   * routes aside).
   */
  private hubAnnounces(a: TransitGatewayAttachment, dst: number): boolean {
    const table = this.index.associationOf.get(a.id);
    return (
      table !== undefined &&
      this.index
        .tgwRoutes(table)
        .some((r) => !r.blackhole && r.attachmentId !== a.id && contains(r.prefix, dst))
    );
  }

  /** Why the hub's VPN connections to an instance announce nothing, when it has some: for a drop's message. */
  private hubSilence(instance: ApplianceInstance): string {
    const why = (this.index.hubConnectionsOf.get(instance.id) ?? []).map((a) => {
      const table = this.index.associationOf.get(a.id);
      return table
        ? `the transit gateway announces over VPN ${a.origin.name} only the routes of route table ${table.segment ? `segment ${table.segment}` : table.origin.name}, which has none for it`
        : `VPN ${a.origin.name} is associated with no transit gateway route table, so the transit gateway announces nothing over it`;
    });
    return why.length > 0 ? ` (${why.join("; ")})` : "";
  }

  /**
   * A packet the transit gateway sends over a VPN attachment whose customer gateway is an appliance instance
   * (`hybridnet:softwareVpnToHub`): over the connection's tunnels to the instance (each must come up: the gateway
   * may send over either), which forwards it into its VPC.
   */
  private fromHubConnection(a: TransitGatewayAttachment, p: Packet, depth: number): Outcome {
    const target = this.index.applianceTargets.get(a.appliance?.instanceId ?? "");
    if (!target)
      return dropped(
        [],
        a.origin,
        `appliance instance ${a.appliance?.instanceId} behind VPN ${a.origin.name} is not in the plan`,
      );
    const { appliance, instance } = target;
    const head = hop(
      a.origin,
      `over the IPsec tunnels of VPN ${a.origin.name} to appliance ${appliance.origin.name} (${instance.role})`,
    );
    const problem = this.hubTunnelProblem(a, appliance, instance);
    if (problem) return { ok: false, hops: [head], drop: problem };
    return prepend(head, this.outOfAppliance(appliance, instance, `VPN ${a.origin.name}`, p, depth + 1));
  }

  /** Why a tunnel of the hub's VPN connection to an appliance instance cannot come up, if one cannot. */
  private hubTunnelProblem(
    a: TransitGatewayAttachment,
    appliance: SoftwareVpnAppliance,
    instance: ApplianceInstance,
  ): Hop | undefined {
    for (const [n, address] of (a.appliance?.tunnelAddresses ?? []).entries()) {
      const problem = this.tunnelProblem(
        appliance,
        instance,
        `VPN ${a.origin.name} tunnel ${n + 1}`,
        address,
      );
      if (problem) return problem;
    }
    return undefined;
  }

  /**
   * A packet from a site over its tunnel to an appliance instance: the tunnel must come up, and the instance
   * forwards into its VPC what its security group lets out (the forwarded networks), routed by its subnet's table.
   */
  private fromTunnel(link: SiteLink, p: Packet, depth: number): Outcome {
    const target = this.index.applianceTargets.get(link.appliance?.instanceId ?? "");
    if (!target)
      return dropped([], link.origin, `appliance instance ${link.appliance?.instanceId} is not in the plan`);
    const { appliance, instance } = target;
    const peer = appliance.peers.find((x) => x.key === link.appliance?.peer);
    const problem = this.tunnelProblem(appliance, instance, peer?.key ?? "?", peer?.address);
    if (problem) return { ok: false, hops: [], drop: problem };
    return this.outOfAppliance(appliance, instance, `peer ${peer?.key ?? "?"}`, p, depth);
  }

  /**
   * The other appliance pairs an appliance has tunnels to (SoftwareVpnPeering: each peer is an instance of the
   * other pair) whose VPC holds `dst`: that pair announces its VPC's CIDRs over BGP.
   */
  private peerAppliances(
    appliance: SoftwareVpnAppliance,
    dst: number,
  ): { peer: AppliancePeer; remote: { appliance: SoftwareVpnAppliance; instance: ApplianceInstance } }[] {
    return appliance.peers.flatMap((peer) => {
      if (peer.aws?.kind !== "appliance") return [];
      const remote = this.index.applianceTargets.get(peer.aws.instanceId);
      const holds =
        remote && (this.index.vpcPrefixes.get(remote.appliance.vpcId) ?? []).some((c) => contains(c, dst));
      return remote && holds ? [{ peer, remote }] : [];
    });
  }

  /**
   * A packet arriving at `instance` of another appliance pair over the tunnel from `from`: that pair must hold a
   * tunnel to `from`'s Elastic IP and let the tunnel up, then it forwards into its VPC.
   */
  private fromApplianceTunnel(
    appliance: SoftwareVpnAppliance,
    instance: ApplianceInstance,
    from: ApplianceInstance,
    p: Packet,
    depth: number,
  ): Outcome {
    const back = appliance.peers.find((x) => x.aws?.kind === "appliance" && x.aws.instanceId === from.id);
    if (!back)
      return dropped(
        [],
        instance.origin,
        `appliance ${appliance.origin.name} (${instance.role}) has no tunnel to ${from.origin.name}${from.publicIp ? ` (${from.publicIp})` : ""}`,
      );
    const problem = this.tunnelProblem(appliance, instance, back.key, back.address);
    if (problem) return { ok: false, hops: [], drop: problem };
    return this.outOfAppliance(appliance, instance, `peer ${back.key}`, p, depth);
  }

  /**
   * An appliance instance forwards a packet from a tunnel (`from`: `peer partner`, `VPN <name>`) into its VPC:
   * what its security group lets out.
   */
  private outOfAppliance(
    appliance: SoftwareVpnAppliance,
    instance: ApplianceInstance,
    from: string,
    p: Packet,
    depth: number,
  ): Outcome {
    const name = `${appliance.origin.name} (${instance.role})`;
    if (depth > MAX_DEPTH) return dropped([], instance.origin, "routing loop");
    if (instance.sourceDestCheck)
      return dropped(
        [],
        instance.origin,
        `appliance instance ${instance.origin.name} has its source/destination check on: it drops the packet to ${addressText(p.dst)}, which is not addressed to it`,
      );
    const { admits, origin } = this.admit(instance.securityGroupIds, "egress", appliance.vpcId, p.dst, p);
    if (!admits)
      return dropped(
        [],
        origin,
        `security group of appliance ${name} lets no forwarded ${service(p)} out to ${this.owner(p.dst)}`,
      );
    return prepend(
      hop(
        instance.origin,
        `appliance ${name} forwards from the tunnel of ${from} into VPC ${this.vpcName(appliance.vpcId)}`,
      ),
      this.inSubnet(instance.subnetId, p, depth + 1),
    );
  }

  /**
   * Why the tunnel between an appliance instance and a peer cannot come up, if it cannot: the instance's security
   * group must admit IKE (UDP 500) and ESP (IP protocol 50) or NAT-T (UDP 4500) from the peer, and let them out to
   * it. A peer whose address is known only at deployment is not judged.
   */
  private tunnelProblem(
    appliance: SoftwareVpnAppliance,
    instance: ApplianceInstance,
    peer: string,
    address: string | undefined,
  ): Hop | undefined {
    const at = address ? prefix(address)?.first : undefined;
    if (at === undefined) return undefined;
    const vpcId = appliance.vpcId;
    const ike: Packet = { src: at, dst: at, protocol: "udp", port: 500 };
    const natT: Packet = { ...ike, port: 4500 };
    for (const direction of ["ingress", "egress"] as const) {
      const groups = groupsAdmit(this.index, instance.securityGroupIds, direction, vpcId, at, ike);
      const esp = groupsAdmitEsp(this.index, instance.securityGroupIds, direction, at);
      const nat = groupsAdmit(this.index, instance.securityGroupIds, direction, vpcId, at, natT).admits;
      const missing = !groups.admits
        ? "IKE (udp/500)"
        : !esp && !nat
          ? "ESP (protocol 50) or NAT-T (udp/4500)"
          : "";
      if (missing)
        return hop(
          groups.origin,
          `security group of appliance ${appliance.origin.name} (${instance.role}) ${direction === "ingress" ? "admits no" : "lets no"} ${missing} ${direction === "ingress" ? "from" : "out to"} peer ${peer} (${addressText(at)}): the tunnel cannot come up`,
        );
    }
    return undefined;
  }

  /**
   * A Client VPN user's packet: authorized for the destination, routed through an associated subnet, translated
   * to the endpoint's address there, allowed out by the endpoint's security groups, then routed in the VPC.
   * The outcome's packet source is the translated one (what the reply must come back to).
   */
  fromClientVpn(endpointId: string, p: Packet, depth: number): Outcome {
    const c = this.index.clientVpns.get(endpointId);
    if (!c)
      return dropped(
        [],
        { stack: "?", name: endpointId },
        `Client VPN endpoint ${endpointId} is not in the plan`,
      );
    const rule = c.authorizations.find((a) => {
      const x = prefix(a.destination);
      return x !== undefined && contains(x, p.dst);
    });
    if (!rule)
      return dropped(
        [],
        c.origin,
        `Client VPN ${c.origin.name} has no authorization rule for ${this.owner(p.dst)}`,
      );
    const routes = c.routes
      .map((r) => ({ ...r, prefix: prefix(r.destination) }))
      .filter((r): r is typeof r & { prefix: Prefix } => r.prefix !== undefined);
    const best = bestRoutes(routes, p.dst, () => 0);
    if (best.length === 0)
      return dropped(
        [],
        c.origin,
        `Client VPN ${c.origin.name} route table has no route for ${this.owner(p.dst)}`,
      );
    const route = best[0];
    const translated = { ...p, src: clientVpnAddress(this.index, route.subnetId) };
    const { admits, origin } = this.admit(c.securityGroupIds, "egress", c.vpcId, p.dst, p);
    const head = [
      hop(rule.origin, `Client VPN ${c.origin.name} authorizes ${prefix(rule.destination)?.text}`),
      hop(
        route.origin,
        `Client VPN route ${route.prefix.text} via ${this.index.subnets.get(route.subnetId)?.origin.name ?? route.subnetId}, source ${addressText(translated.src)}`,
      ),
    ];
    if (!admits)
      return {
        ok: false,
        hops: head,
        drop: hop(
          origin,
          `security group of Client VPN ${c.origin.name} lets no ${service(p)} out to ${this.owner(p.dst)}`,
        ),
      };
    const rest = this.inSubnet(route.subnetId, translated, depth + 1);
    return { ...rest, hops: [...head, ...rest.hops] } as Outcome;
  }
}

function prepend(head: Hop, rest: Outcome): Outcome {
  return { ...rest, hops: [head, ...rest.hops] } as Outcome;
}

function targetText(t: { kind: string; id?: string }): string {
  switch (t.kind) {
    case "local":
      return "local";
    case "transitGateway":
      return `transit gateway ${t.id}`;
    case "vpnGateway":
      return `virtual private gateway ${t.id}`;
    case "peering":
      return `peering ${t.id}`;
    case "gatewayEndpoint":
      return `gateway endpoint ${t.id}`;
    case "blackhole":
      return "blackhole";
    default:
      return t.id ?? t.kind;
  }
}
