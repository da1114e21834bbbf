/**
 * The elements and links of the report's topology, read from each stack's connections view
 * (model/connections): VPCs with their CIDRs, transit gateways with their segments, virtual private and
 * Direct Connect gateways, virtual interfaces and the connections they run on, on-premises sites (ASN,
 * prefixes, tunnels), software VPN appliance pairs (each peer a site), PrivateLink services and the interface
 * endpoints that consume them, gateway endpoints and Client VPN endpoints. Element ids are AWS ids where there is one, so two stacks naming the same
 * gateway draw one box.
 */
import {
  emptyStackConnections,
  type GatewayRef,
  type SiteConnection,
  type StackConnections,
} from "../connections/types";
import type { ElementKind, LinkKind, ReportPlan, ReportStack, TopologyElement, TopologyLink } from "./types";

/** What collecting a plan's elements gives: the elements by id, links by id, and what to claim resources by. */
export interface Collected {
  elements: Map<string, TopologyElement>;
  links: Map<string, TopologyLink>;
  /** `id:<aws id>` or `name:<stack>:<resource name>` → element or link id. */
  anchors: Map<string, string>;
  /** Resource name prefixes (a site's resources: `<component>-<site>-`) → element id, per stack. */
  prefixes: { stack: string; prefix: string; element: string }[];
}

const EMPTY: StackConnections = emptyStackConnections();

/** A stack's connections, empty lists where the plan has none. */
export function connectionsOf(stack: ReportStack): StackConnections {
  return stack.connections ?? EMPTY;
}

function idOf(r: { id?: string; outputs?: Record<string, unknown> }): string | undefined {
  if (r.id) return r.id;
  const id = r.outputs?.id;
  return typeof id === "string" ? id : undefined;
}

/** The stack that registers the resource with AWS id `id`, if any. */
function ownerOf(plan: ReportPlan, id: string): string | undefined {
  return plan.stacks.find((s) => s.resources.some((r) => idOf(r) === id))?.name;
}

/** Bandwidth of a Direct Connect connection or LAG the plan registers (`1Gbps`), if it does. */
function bandwidthOf(plan: ReportPlan, connectionId: string): string | undefined {
  for (const s of plan.stacks)
    for (const r of s.resources)
      if (idOf(r) === connectionId) {
        const b = r.inputs.bandwidth ?? r.inputs.connectionsBandwidth;
        if (typeof b === "string") return b;
      }
  return undefined;
}

class Collector implements Collected {
  elements = new Map<string, TopologyElement>();
  links = new Map<string, TopologyLink>();
  anchors = new Map<string, string>();
  prefixes: { stack: string; prefix: string; element: string }[] = [];
  /** Virtual private gateway id → the VPC it is attached to. */
  vgwVpcs = new Map<string, string>();
  /** Software VPN appliance element → the VPC whose routes lead to it. */
  applianceVpcs = new Map<string, string>();

  element(id: string, kind: ElementKind, title: string, account?: string): TopologyElement {
    let e = this.elements.get(id);
    if (!e) {
      e = { id, kind, title, lines: [], urns: [], findings: [], ...(account ? { account } : {}) };
      this.elements.set(id, e);
    }
    return e;
  }

  anchor(key: string, target: string): void {
    if (!this.anchors.has(key)) this.anchors.set(key, target);
  }

  link(id: string, kind: LinkKind, from: string, to: string, label: string): void {
    if (!this.links.has(id)) this.links.set(id, { id, kind, from, to, label, urns: [], findings: [] });
  }
}

function addLine(e: TopologyElement, line: string): void {
  if (!e.lines.includes(line)) e.lines.push(line);
}

/** The box of a gateway a link ends on, in the account that registers it (else the referring stack's). */
function gateway(c: Collector, plan: ReportPlan, ref: GatewayRef, referrer: string): string {
  const prefix = {
    transitGateway: "tgw",
    vpnGateway: "vgw",
    directConnectGateway: "dxgw",
    softwareVpnAppliance: "swvpn",
  }[ref.kind];
  const title = {
    transitGateway: "Transit gateway",
    vpnGateway: "Virtual private gateway",
    directConnectGateway: "Direct Connect gateway",
    softwareVpnAppliance: "Software VPN appliance",
  }[ref.kind];
  const id = `${prefix}:${ref.id}`;
  const e = c.element(id, ref.kind, `${title} ${ref.name ?? ref.id}`, ownerOf(plan, ref.id) ?? referrer);
  if (ref.name && e.title.endsWith(ref.id)) e.title = `${title} ${ref.name}`;
  if (ref.asn !== undefined) addLine(e, `ASN ${ref.asn}`);
  c.anchor(`id:${ref.id}`, id);
  if (ref.kind === "vpnGateway" && ref.vpcId && !c.vgwVpcs.has(ref.id)) c.vgwVpcs.set(ref.id, ref.vpcId);
  if (ref.kind === "softwareVpnAppliance" && ref.vpcId && !c.applianceVpcs.has(id))
    c.applianceVpcs.set(id, ref.vpcId);
  return id;
}

function siteLinkLabel(s: SiteConnection): string {
  if (s.to.kind === "softwareVpnAppliance")
    return `IPsec ${s.component}: ${s.tunnels} tunnels to peer ${s.site}${s.address ? ` (${s.address})` : ""}, ${s.routing === "bgp" ? "BGP" : "static"}`;
  const over = s.transport === "directConnect" ? "VPN over Direct Connect" : "VPN";
  const conns = `${s.connections} connection${s.connections === 1 ? "" : "s"}`;
  return `${over} ${s.component}: ${conns}, ${s.tunnels} tunnels, ${s.routing === "bgp" ? "BGP" : "static"}${s.accelerated ? ", accelerated" : ""}`;
}

function collectSites(c: Collector, plan: ReportPlan, stack: ReportStack): void {
  for (const s of connectionsOf(stack).sites) {
    const id = `site:${s.site}`;
    const e = c.element(id, "site", `Site ${s.site}`);
    if (s.asn !== undefined) addLine(e, `ASN ${s.asn}`);
    for (const p of s.prefixes) addLine(e, p);
    addLine(e, `${s.component}: ${s.tunnels} tunnels${s.address ? ` from ${s.address}` : ""}`);
    const to = gateway(c, plan, s.to, stack.name);
    if (s.to.kind === "softwareVpnAppliance") applianceLines(c, stack.name, to, s);
    const linkId = `vpn:${stack.name}:${s.component}:${s.site}`;
    c.link(linkId, s.transport === "directConnect" ? "directConnect" : "vpn", id, to, siteLinkLabel(s));
    c.prefixes.push({ stack: stack.name, prefix: `${s.component}-${s.site}-`, element: linkId });
  }
}

/** A software VPN appliance's box: its instances' outside addresses; it stands for its component. */
function applianceLines(c: Collector, stack: string, id: string, s: SiteConnection): void {
  const e = c.element(id, "softwareVpnAppliance", "");
  for (const t of s.applianceTunnels ?? []) addLine(e, `${t.instance} ${t.outsideAddress ?? ""}`.trim());
  for (const t of s.applianceTunnels ?? [])
    if (t.insideCidr) addLine(e, `${s.site}: ${t.insideAddress} ↔ ${t.peerInsideAddress}`);
  c.anchor(`name:${stack}:${s.component}`, id);
}

function collectDirectConnect(c: Collector, plan: ReportPlan, stack: ReportStack): void {
  const conn = connectionsOf(stack);
  for (const g of conn.directConnectGateways) {
    const id = gateway(
      c,
      plan,
      { kind: "directConnectGateway", id: g.id, name: g.name, asn: g.asn },
      stack.name,
    );
    for (const a of g.associations) {
      const to = gateway(c, plan, a.to, stack.name);
      c.link(
        `dxassoc:${g.id}:${a.to.id}`,
        "dxAssociation",
        id,
        to,
        `association, allowed prefixes ${a.allowedPrefixes.join(", ") || "none"}${a.proposal ? " (proposal)" : ""}`,
      );
    }
  }
  for (const v of conn.virtualInterfaces) {
    const id = `vif:${stack.name}:${v.name}`;
    const e = c.element(id, "virtualInterface", `${v.type} VIF ${v.name}`, stack.name);
    if (v.vlan !== undefined) addLine(e, `VLAN ${v.vlan}`);
    if (v.customerAsn !== undefined) addLine(e, `customer ASN ${v.customerAsn}`);
    for (const p of v.advertisedPrefixes ?? []) addLine(e, `advertises ${p}`);
    if (v.hosted) addLine(e, "hosted (accepted)");
    c.anchor(`name:${stack.name}:${v.name}`, id);
    if (v.connectionId) {
      const dx = c.element(`dxcon:${v.connectionId}`, "dxConnection", "Direct Connect connection");
      addLine(dx, v.connectionId);
      const bandwidth = bandwidthOf(plan, v.connectionId);
      addLine(dx, bandwidth ? `bandwidth ${bandwidth}` : "bandwidth: not in the plan");
      c.link(`dx:${v.connectionId}:${id}`, "directConnect", dx.id, id, `${v.type} VIF VLAN ${v.vlan ?? "?"}`);
    }
    if (v.to) c.link(`vifto:${id}`, "directConnect", id, gateway(c, plan, v.to, stack.name), `${v.type} VIF`);
  }
}

function collectVpcs(c: Collector, stack: ReportStack): void {
  for (const v of connectionsOf(stack).vpcs) {
    const id = `vpc:${v.id}`;
    const e = c.element(id, "vpc", `VPC ${v.name}`, stack.name);
    for (const cidr of v.cidrs) addLine(e, cidr);
    const zones = new Set(v.subnets.map((s) => s.zone)).size;
    if (v.subnets.length > 0) addLine(e, `${v.subnets.length} subnets in ${zones} zones`);
    c.anchor(`id:${v.id}`, id);
    c.anchor(`name:${stack.name}:${v.name}`, id);
    for (const s of v.subnets) {
      c.anchor(`id:${s.id}`, id);
      if (s.routeTableId) c.anchor(`id:${s.routeTableId}`, id);
    }
  }
}

function collectTransitGateways(c: Collector, plan: ReportPlan, stack: ReportStack): void {
  const conn = connectionsOf(stack);
  for (const s of conn.segments) {
    const ref: GatewayRef = { kind: "transitGateway", id: s.transitGatewayId };
    const id = gateway(c, plan, { ...ref, name: s.transitGatewayName, asn: s.asn }, stack.name);
    const reaches = s.reaches.filter((r) => r !== s.segment);
    addLine(
      c.element(id, "transitGateway", ""),
      `segment ${s.segment}${reaches.length > 0 ? ` → ${reaches.join(", ")}` : ""}${s.isolated ? " (isolated)" : ""}`,
    );
    c.anchor(`id:${s.routeTableId}`, id);
  }
  for (const a of conn.attachments) {
    const tgw = gateway(c, plan, { kind: "transitGateway", id: a.transitGatewayId }, stack.name);
    const vpc = `vpc:${a.vpcId}`;
    const linkId = `attach:${a.id}`;
    c.link(
      linkId,
      "attachment",
      vpc,
      tgw,
      `attachment ${a.name}${a.segment ? ` in segment ${a.segment}` : ""}`,
    );
    c.anchor(`id:${a.id}`, linkId);
  }
  for (const p of conn.transitGatewayPeerings) {
    const local = gateway(
      c,
      plan,
      { kind: "transitGateway", id: p.local.transitGatewayId, asn: p.local.asn },
      stack.name,
    );
    const peer = gateway(
      c,
      plan,
      { kind: "transitGateway", id: p.peer.transitGatewayId, asn: p.peer.asn },
      stack.name,
    );
    if (p.peer.region) addLine(c.element(peer, "transitGateway", ""), `Region ${p.peer.region}`);
    const linkId = `tgwpeer:${p.attachmentId}`;
    c.link(
      linkId,
      "tgwPeering",
      local,
      peer,
      `peering ${p.name}${p.accepted ? "" : " (not accepted in the plan)"}`,
    );
    c.anchor(`id:${p.attachmentId}`, linkId);
  }
}

function collectServices(c: Collector, stack: ReportStack): void {
  const conn = connectionsOf(stack);
  for (const s of conn.endpointServices) {
    const id = `svc:${s.serviceName}`;
    const e = c.element(id, "endpointService", `PrivateLink service ${s.name}`, stack.name);
    for (const l of s.listeners)
      addLine(
        e,
        `${l.protocol} ${l.port} → ${l.targetProtocol} ${l.targetPort ?? l.port}, ${l.targets.length} targets`,
      );
    addLine(e, s.acceptanceRequired ? "acceptance required" : "auto-accept");
    c.anchor(`id:${s.id}`, id);
  }
  for (const v of conn.interfaceEndpoints) {
    const id = `vpce:${v.id}`;
    const e = c.element(id, "interfaceEndpoint", `Endpoint ${v.name}`, stack.name);
    addLine(e, v.service ? `to ${v.service.name} (${v.service.stack})` : `to ${v.serviceName}`);
    addLine(e, `in VPC ${v.vpcName}`);
    c.anchor(`id:${v.id}`, id);
    const accepted = v.service
      ? v.service.accepted
        ? "accepted"
        : "not accepted"
      : "service outside the plan";
    c.link(
      `pl:${v.id}`,
      "privateLink",
      id,
      `svc:${v.serviceName}`,
      `PrivateLink to ${v.serviceName} (${accepted})`,
    );
  }
  for (const g of conn.gatewayEndpoints) {
    const id = `gwe:${g.id}`;
    const e = c.element(
      id,
      "gatewayEndpoint",
      `Gateway endpoint ${g.serviceName.split(".").pop()}`,
      stack.name,
    );
    addLine(e, g.serviceName);
    if (g.prefixListId) addLine(e, `prefix list ${g.prefixListId}`);
    c.anchor(`id:${g.id}`, id);
    c.link(
      `gweroutes:${g.id}`,
      "gatewayEndpoint",
      `vpc:${g.vpcId}`,
      id,
      `routes in ${g.routeTableIds.length} route tables`,
    );
  }
  for (const v of conn.clientVpns) {
    const id = `cvpn:${v.id}`;
    const e = c.element(id, "clientVpn", `Client VPN ${v.name}`, stack.name);
    addLine(e, `clients ${v.clientCidr}`);
    addLine(e, `${v.associations.length} subnets, ${v.authorizations.length} authorizations`);
    c.anchor(`id:${v.id}`, id);
    if (v.vpcId)
      c.link(
        `cvpnassoc:${v.id}`,
        "clientVpn",
        id,
        `vpc:${v.vpcId}`,
        `associated with ${v.associations.join(", ")}`,
      );
  }
}

function collectPeerings(c: Collector, stack: ReportStack): void {
  for (const p of connectionsOf(stack).vpcPeerings) {
    const linkId = `pcx:${p.id}`;
    const where = [p.accepter.accountId, p.accepter.region].filter(Boolean).join(", ");
    c.link(
      linkId,
      "vpcPeering",
      `vpc:${p.requester.vpcId}`,
      `vpc:${p.accepter.vpcId}`,
      `VPC peering ${p.name} (${p.acceptance}${where ? `; accepter ${where}` : ""}${p.dnsResolution ? "; DNS resolution" : ""})`,
    );
    c.anchor(`id:${p.id}`, linkId);
  }
}

/** Every element and link of the plan, and the anchors resources are claimed by. */
export function collectElements(plan: ReportPlan): Collected {
  const c = new Collector();
  const stacks = [...plan.stacks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const s of stacks) c.element(`account:${s.name}`, "account", s.name);
  // VPCs first, so gateways find the account of the VPC they are attached to.
  for (const s of stacks) collectVpcs(c, s);
  for (const s of stacks) {
    collectTransitGateways(c, plan, s);
    collectSites(c, plan, s);
    collectDirectConnect(c, plan, s);
    collectServices(c, s);
    collectPeerings(c, s);
  }
  linkVpnGateways(c);
  linkAppliances(c);
  // A link to an element the plan does not hold (a service or VPC of another environment) is not drawn.
  for (const [id, l] of [...c.links])
    if (!c.elements.has(l.from) || !c.elements.has(l.to)) c.links.delete(id);
  return c;
}

/** A virtual private gateway is drawn attached to its VPC, in that VPC's account. */
function linkVpnGateways(c: Collector): void {
  for (const [vgwId, vpcId] of [...c.vgwVpcs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const vpc = c.elements.get(`vpc:${vpcId}`);
    const vgw = c.elements.get(`vgw:${vgwId}`);
    if (!vpc || !vgw) continue;
    vgw.account = vpc.account;
    c.link(`vgwattach:${vgwId}`, "vgwAttachment", vgw.id, vpc.id, "attached to the VPC");
  }
}

/** A software VPN appliance is drawn in its VPC's account, linked to the VPC whose routes lead to it. */
function linkAppliances(c: Collector): void {
  for (const [id, vpcId] of [...c.applianceVpcs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const vpc = c.elements.get(`vpc:${vpcId}`);
    const appliance = c.elements.get(id);
    if (!vpc || !appliance) continue;
    appliance.account = vpc.account;
    c.link(
      `applianceroutes:${id}`,
      "applianceRoutes",
      vpc.id,
      appliance.id,
      "VPC routes to the active instance",
    );
  }
}
