/**
 * The routing half of a stack's connections: on-premises sites over VPN, Direct Connect gateways and virtual
 * interfaces, transit gateway segments and what they reach, VPC attachments, transit gateway and VPC peerings.
 * Pure: no Pulumi import.
 */
import { checkCidr, tunnelInsideAddresses } from "../addressing";
import { peeringSideId } from "../reachability/fromPlan";
import { cidrTexts, type Entry, Plan, record, str, T } from "../reachability/planInput";
import { asnOf, componentName, Lookup, sorted, uniqueSorted } from "./lookup";
import type {
  AttachmentView,
  DirectConnectGatewayView,
  SegmentView,
  SiteConnection,
  TransitGatewayPeeringView,
  VirtualInterfaceView,
  VpcPeeringView,
} from "./types";

/** Types of the hosted VIF accepters, by the VIF type they accept. */
export const HOSTED_VIF_ACCEPTERS = {
  private: T.hostedPrivateVifAccepter,
  transit: T.hostedTransitVifAcceptor,
  public: "aws:directconnect/hostedPublicVirtualInterfaceAccepter:HostedPublicVirtualInterfaceAccepter",
} as const;

/** The prefixes of a site: as the config declares them, else the static routes toward its connections. */
function sitePrefixes(look: Lookup, vpns: readonly Entry[]): string[] {
  const ids = new Set(vpns.map((v) => v.id));
  const declared = look.network.sites.find((s) => s.links.some((l) => ids.has(l.id)));
  if (declared && declared.prefixes.length > 0) return [...declared.prefixes];
  const attachments = new Set(vpns.map((v) => str(v.outputs.transitGatewayAttachmentId)));
  const onVgw = look.plan
    .of(T.vpnConnectionRoute)
    .filter((r) => ids.has(str(r.inputs.vpnConnectionId) ?? ""))
    .flatMap((r) => cidrTexts([r.inputs.destinationCidrBlock]));
  const onTgw = look.network.transitGatewayRouteTables.flatMap((t) =>
    t.routes.filter((r) => attachments.has(r.attachmentId)).map((r) => r.destination),
  );
  return uniqueSorted([...onVgw, ...onTgw]);
}

/** One line per customer gateway of the stack with VPN connections: the site, its links, where they end. */
export function siteConnections(look: Lookup, stack: string): SiteConnection[] {
  const vpns = look.plan.of(T.vpnConnection);
  const sites: SiteConnection[] = [];
  for (const cgw of look.entriesIn(T.customerGateway, stack).filter((e) => e.id)) {
    const links = sorted(
      vpns.filter((v) => v.inputs.customerGatewayId === cgw.id),
      (v) => v.r.name,
    );
    if (links.length === 0) continue;
    const component = componentName(cgw);
    const name = Plan.tags(cgw).Name ?? cgw.r.name.replace(/-cgw$/, "");
    const first = links[0];
    const tgw = str(first.inputs.transitGatewayId);
    const vgw = str(first.inputs.vpnGatewayId);
    const asn = asnOf(cgw.inputs, "bgpAsn", "bgpAsnExtended");
    const address = str(cgw.inputs.ipAddress);
    const privateIp =
      first.inputs.outsideIpAddressType === "PrivateIpv4" ||
      str(first.inputs.transportTransitGatewayAttachmentId) !== undefined;
    sites.push({
      site: name.startsWith(`${component}-`) ? name.slice(component.length + 1) : name,
      component,
      ...(asn !== undefined ? { asn } : {}),
      ...(address ? { address } : {}),
      prefixes: sitePrefixes(look, links),
      connections: links.length,
      tunnels: 2 * links.length,
      accelerated: links.some((v) => v.inputs.enableAcceleration === true),
      routing: first.inputs.staticRoutesOnly === true ? "static" : "bgp",
      transport: privateIp ? "directConnect" : "internet",
      to: look.gateway(tgw ?? vgw ?? "", str(first.outputs.transitGatewayAttachmentId)),
    });
  }
  sites.push(...applianceSites(look, stack));
  return sorted(sites, (s) => `${s.site} ${s.component}`);
}

/** The appliance's and the peer's inside addresses of a tunnel's /30: its first and second addresses. */
function insideAddresses(cidr: string | undefined): { insideAddress?: string; peerInsideAddress?: string } {
  const checked = cidr ? checkCidr(cidr, { version: 4 }) : undefined;
  if (!checked || !("cidr" in checked)) return {};
  const { aws, customer } = tunnelInsideAddresses(checked.cidr);
  return { insideAddress: aws, peerInsideAddress: customer };
}

/**
 * One line per remote peer of each software VPN appliance pair the stack registers (not a peer that is itself in
 * AWS: another appliance or a managed VPN's tunnel), with a tunnel from each instance.
 */
function applianceSites(look: Lookup, stack: string): SiteConnection[] {
  const sites: SiteConnection[] = [];
  for (const appliance of look.network.appliances) {
    if (appliance.origin.stack !== stack || appliance.instances.length === 0) continue;
    const component = appliance.origin.name;
    for (const peer of appliance.peers) {
      if (peer.aws) continue;
      const site = look.network.sites.find((s) => s.name === peer.key);
      const address = peer.address?.replace(/\/32$/, "");
      sites.push({
        site: peer.key,
        component,
        ...(peer.declared ? { asn: peer.declared.remoteAsn } : {}),
        ...(address ? { address } : {}),
        prefixes: [...(site?.prefixes ?? [])],
        connections: 1,
        tunnels: appliance.instances.length,
        accelerated: false,
        routing: "bgp",
        transport: "internet",
        to: {
          kind: "softwareVpnAppliance",
          id: appliance.instances[0].id,
          name: component,
          ...(peer.declared ? { asn: peer.declared.asn } : {}),
          vpcId: appliance.vpcId,
        },
        applianceTunnels: appliance.instances.map((instance, i) => {
          const insideCidr = peer.declared?.insideCidrs[i];
          return {
            instance: instance.origin.name,
            ...(instance.publicIp ? { outsideAddress: instance.publicIp } : {}),
            ...(address ? { peerOutsideAddress: address } : {}),
            ...(insideCidr ? { insideCidr } : {}),
            ...insideAddresses(insideCidr),
          };
        }),
      });
    }
  }
  return sites;
}

/** The stack's Direct Connect gateways, with every association the plan makes to them. */
export function directConnectGateways(look: Lookup, stack: string): DirectConnectGatewayView[] {
  const views = look
    .entriesIn(T.dxGateway, stack)
    .filter((e) => e.id)
    .map((e) => {
      const model = look.network.directConnectGateways.find((g) => g.id === e.id);
      const associations = look.plan
        .of(T.dxAssociation)
        .filter((a) => a.inputs.dxGatewayId === e.id)
        .map((a) => {
          const gatewayId = str(Plan.value(a, "associatedGatewayId")) ?? "";
          const allowed = model?.associations.find((m) => m.origin.urn === a.r.urn)?.allowedPrefixes;
          return {
            to: look.gateway(gatewayId, str(a.outputs.transitGatewayAttachmentId)),
            allowedPrefixes: [...(allowed ?? cidrTexts(a.inputs.allowedPrefixes))],
            proposal: str(a.inputs.proposalId) !== undefined,
          };
        });
      const asn = asnOf(e.inputs, "amazonSideAsn");
      return {
        name: e.r.name,
        id: e.id,
        ...(asn !== undefined ? { asn } : {}),
        associations: sorted(associations, (a) => a.to.id),
      };
    });
  return sorted(views, (g) => g.name);
}

/** The virtual interfaces the stack creates or accepts, and where each lands. */
export function virtualInterfaces(look: Lookup, stack: string): VirtualInterfaceView[] {
  const kinds = [
    ["private", T.privateVif, false],
    ["transit", T.transitVif, false],
    ["public", T.publicVif, false],
    ["private", HOSTED_VIF_ACCEPTERS.private, true],
    ["transit", HOSTED_VIF_ACCEPTERS.transit, true],
    ["public", HOSTED_VIF_ACCEPTERS.public, true],
  ] as const;
  const views: VirtualInterfaceView[] = [];
  for (const [type, token, hosted] of kinds)
    for (const e of look.entriesIn(token, stack)) {
      const vlan = asnOf(e.inputs, "vlan");
      const connectionId = str(e.inputs.connectionId);
      const customerAsn = asnOf(e.inputs, "bgpAsn", "bgpAsnLong");
      const landing = str(e.inputs.dxGatewayId) ?? str(e.inputs.vpnGatewayId);
      const advertised = cidrTexts(e.inputs.routeFilterPrefixes);
      views.push({
        name: str(e.inputs.name) ?? e.r.name,
        type,
        hosted,
        ...(vlan !== undefined ? { vlan } : {}),
        ...(connectionId ? { connectionId } : {}),
        ...(customerAsn !== undefined ? { customerAsn } : {}),
        ...(landing ? { to: look.gateway(landing) } : {}),
        ...(type === "public" ? { advertisedPrefixes: advertised } : {}),
      });
    }
  return sorted(views, (v) => v.name);
}

/** The transit gateway route tables the stack creates: members, what they reach, static routes. */
export function segments(look: Lookup, stack: string): SegmentView[] {
  const views = look.inStack(look.network.transitGatewayRouteTables, stack).map((t) => {
    const segment = Lookup.segmentName(t);
    // A peering leads to the other hub, not to the segment it is associated with on this one.
    const reachedBy = (attachmentId: string) =>
      (look.attachments.get(attachmentId)?.kind !== "peering" && look.segmentOf(attachmentId)) ||
      look.attachmentLabel(attachmentId, stack);
    const reaches = uniqueSorted([
      ...t.propagations.map(reachedBy),
      ...t.routes.flatMap((r) => (r.attachmentId ? [reachedBy(r.attachmentId)] : [])),
    ]);
    const tgw = look.gateway(t.transitGatewayId);
    return {
      transitGatewayId: t.transitGatewayId,
      ...(tgw.name ? { transitGatewayName: tgw.name } : {}),
      ...(tgw.asn !== undefined ? { asn: tgw.asn } : {}),
      segment,
      routeTableId: t.id,
      members: uniqueSorted(t.associations.map((a) => look.attachmentLabel(a, stack))),
      reaches,
      isolated: t.associations.length > 0 && !reaches.includes(segment),
      staticRoutes: sorted(
        t.routes.map((r) => ({
          destination: r.destination,
          target: r.attachmentId ? look.attachmentLabel(r.attachmentId, stack) : "blackhole",
        })),
        (r) => `${r.destination} ${r.target}`,
      ),
    };
  });
  return sorted(views, (s) => `${s.transitGatewayId} ${s.segment}`);
}

/** The VPC attachments the stack registers: the VPC, its segment and where its routes propagate. */
export function attachments(look: Lookup, stack: string): AttachmentView[] {
  const views = look
    .inStack(look.network.transitGatewayAttachments, stack)
    .filter((a) => a.kind === "vpc")
    .map((a) => {
      const segment = look.segmentOf(a.id);
      return {
        name: a.origin.component ?? a.origin.name,
        id: a.id,
        transitGatewayId: a.transitGatewayId,
        vpcId: a.vpcId ?? "",
        vpcName: look.vpcName(a.vpcId ?? ""),
        cidrs: [...(look.vpcs.get(a.vpcId ?? "")?.cidrs ?? [])],
        ...(segment ? { segment } : {}),
        propagatesTo: uniqueSorted(
          look.network.transitGatewayRouteTables
            .filter((t) => t.propagations.includes(a.id))
            .map(Lookup.segmentName),
        ),
      };
    });
  return sorted(views, (a) => a.name);
}

/**
 * The requests of `type` (peering attachments, peering connections) the stack makes or accepts, each with the
 * accepter of `accepterType` that names it by `key`, when the plan has one.
 */
function requestsOf(
  look: Lookup,
  stack: string,
  type: string,
  accepterType: string,
  key: string,
): { e: Entry; accepter?: Entry }[] {
  const accepters = look.plan.of(accepterType);
  return look.plan.of(type).flatMap((e) => {
    const accepter = accepters.find((a) => a.inputs[key] === e.id);
    return e.id && (e.stack === stack || accepter?.stack === stack) ? [{ e, accepter }] : [];
  });
}

/** Transit gateway peerings the stack requests or accepts, with their segments and static routes. */
export function transitGatewayPeerings(look: Lookup, stack: string): TransitGatewayPeeringView[] {
  const views: TransitGatewayPeeringView[] = [];
  const requests = requestsOf(
    look,
    stack,
    T.tgwPeeringAttachment,
    T.tgwPeeringAttachmentAccepter,
    "transitGatewayAttachmentId",
  );
  for (const { e, accepter } of requests) {
    const tgw = str(e.inputs.transitGatewayId);
    const peerTgw = str(e.inputs.peerTransitGatewayId);
    if (!tgw || !peerTgw) continue;
    const sides = new Set([e.id, peeringSideId(e.id, peerTgw)]);
    const local = look.gateway(tgw, e.id);
    const peer = look.gateway(peerTgw, peeringSideId(e.id, peerTgw));
    const region = str(e.inputs.peerRegion);
    const accountId = str(e.inputs.peerAccountId);
    const routes = look.network.transitGatewayRouteTables.flatMap((t) =>
      t.routes
        .filter((r) => r.attachmentId && sides.has(r.attachmentId))
        .map((r) => ({ segment: Lookup.segmentName(t), destination: r.destination })),
    );
    views.push({
      name: componentName(e),
      attachmentId: e.id,
      local: { transitGatewayId: tgw, ...pick(local) },
      peer: {
        transitGatewayId: peerTgw,
        ...(region ? { region } : {}),
        ...(accountId ? { accountId } : {}),
        ...pick(peer),
      },
      accepted: accepter !== undefined,
      routes: sorted(routes, (r) => `${r.segment} ${r.destination}`),
    });
  }
  return sorted(views, (p) => p.name);
}

function pick(g: { asn?: number; segment?: string }): { asn?: number; segment?: string } {
  return {
    ...(g.asn !== undefined ? { asn: g.asn } : {}),
    ...(g.segment ? { segment: g.segment } : {}),
  };
}

/** VPC peering connections the stack requests or accepts. */
export function vpcPeerings(look: Lookup, stack: string): VpcPeeringView[] {
  const options = look.plan.of(T.peeringOptions);
  const views: VpcPeeringView[] = [];
  const requests = requestsOf(look, stack, T.peeringConnection, T.peeringAccepter, "vpcPeeringConnectionId");
  for (const { e, accepter } of requests) {
    const requesterVpc = str(e.inputs.vpcId);
    const accepterVpc = str(e.inputs.peerVpcId);
    if (!requesterVpc || !accepterVpc) continue;
    // Options name the connection by its id, or by the accepter's (the same id).
    const mine = options.filter((o) => o.inputs.vpcPeeringConnectionId === e.id);
    const dns = (side: string) =>
      mine.some((o) => record(o.inputs[side]).allowRemoteVpcDnsResolution === true);
    const accountId = str(e.inputs.peerOwnerId);
    const region = str(e.inputs.peerRegion);
    views.push({
      name: componentName(e),
      id: e.id,
      requester: { vpcId: requesterVpc, cidrs: [...(look.vpcs.get(requesterVpc)?.cidrs ?? [])] },
      accepter: {
        vpcId: accepterVpc,
        cidrs: [...(look.vpcs.get(accepterVpc)?.cidrs ?? [])],
        ...(accountId ? { accountId } : {}),
        ...(region ? { region } : {}),
      },
      acceptance: e.inputs.autoAccept === true ? "auto" : accepter ? "accepter" : "pending",
      dnsResolution: dns("requester") && dns("accepter"),
    });
  }
  return sorted(views, (p) => p.name);
}
