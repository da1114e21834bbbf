/**
 * The connections of one stack as a network engineer reads them in the plan table (and a PR comment): sites →
 * VPN / Direct Connect → transit gateway segment with the ASNs on both sides (a software VPN appliance's peers
 * with each tunnel's outside and inside addresses), segments and what they reach,
 * attachments, peerings, PrivateLink from consumer to targets, gateway endpoints, the VPCs' laid-out subnets,
 * the routes added to VPC route tables, Client VPN and what production protects. Aligned columns, sorted
 * rows: the same plan prints the same text.
 */
import type {
  GatewayRef,
  ListenerChain,
  SiteConnection,
  StackConnections,
} from "../model/connections/stackConnections";

const INDENT = "    ";
/** Lines longer than this wrap their lists onto continuation lines. */
const WIDTH = 120;

/** Rows as aligned columns: every column but the last padded to its widest cell. */
export function columns(rows: readonly string[][], indent: string): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  return rows.map((row) =>
    `${indent}${row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]) : cell)).join("  ")}`.trimEnd(),
  );
}

/** `head` followed by `items` joined by ", ", wrapped under the first item when longer than WIDTH. */
export function wrapList(indent: string, head: string, items: readonly string[]): string[] {
  const lines: string[] = [];
  let line = `${indent}${head}`;
  const hang = " ".repeat(line.length);
  items.forEach((item, i) => {
    const piece = `${item}${i < items.length - 1 ? "," : ""}`;
    if (i > 0 && line.length + 1 + piece.length > WIDTH) {
      lines.push(line);
      line = `${hang}${piece}`;
    } else line = i === 0 ? `${line}${piece}` : `${line} ${piece}`;
  });
  lines.push(line);
  return lines;
}

function asn(value: number | undefined): string {
  return value !== undefined ? `AS ${value}` : "AS ?";
}

/** Where a link lands: `tgw segment onprem (AS 64512)`, `vgw branches-vgw (AS 64513)`. */
export function gatewayText(g: GatewayRef): string {
  const name = g.name ?? g.id;
  if (g.kind === "transitGateway")
    return g.segment ? `tgw segment ${g.segment} (${asn(g.asn)})` : `tgw ${name} (${asn(g.asn)}), no segment`;
  if (g.kind === "softwareVpnAppliance") return `appliance ${name} (${asn(g.asn)})`;
  return `${g.kind === "vpnGateway" ? "vgw" : "dx gateway"} ${name} (${asn(g.asn)})`;
}

function siteLink(s: SiteConnection): string {
  const tunnels =
    s.connections > 1 ? `${s.tunnels} tunnels (${s.connections} connections, ECMP)` : `${s.tunnels} tunnels`;
  const extras = [
    ...(s.accelerated ? ["accelerated"] : []),
    ...(s.transport === "directConnect" ? ["over Direct Connect"] : []),
  ];
  const over = s.to.kind === "softwareVpnAppliance" ? "IPsec" : "VPN";
  return `${over} ${tunnels} ${s.routing === "bgp" ? "BGP" : "static"}${extras.map((x) => `, ${x}`).join("")}`;
}

/** A software VPN appliance's tunnels, one row each: site, instance, outside and inside addresses. */
function applianceTunnels(c: StackConnections): string[] {
  const rows = c.sites.flatMap((s) =>
    (s.applianceTunnels ?? []).map((t) => [
      s.site,
      t.instance,
      `${t.outsideAddress ?? "?"} ↔ ${t.peerOutsideAddress ?? "?"}`,
      t.insideCidr
        ? `inside ${t.insideAddress ?? "?"} ↔ ${t.peerInsideAddress ?? "?"} (${t.insideCidr})`
        : "inside addresses not in the plan",
    ]),
  );
  return rows.length > 0 ? [`${INDENT}software VPN tunnels`, ...columns(rows, `${INDENT}  `)] : [];
}

function sites(c: StackConnections): string[] {
  if (c.sites.length === 0) return [];
  const rows = c.sites.map((s) => [
    `${s.site} (${asn(s.asn)}, ${s.prefixes.join(" ") || "no prefixes"})`,
    `→ ${siteLink(s)}`,
    `→ ${gatewayText(s.to)}`,
  ]);
  return [`${INDENT}sites`, ...columns(rows, `${INDENT}  `), ...applianceTunnels(c)];
}

function directConnect(c: StackConnections): string[] {
  if (c.directConnectGateways.length === 0 && c.virtualInterfaces.length === 0) return [];
  const lines = [`${INDENT}direct connect`];
  for (const g of c.directConnectGateways) {
    lines.push(`${INDENT}  dx gateway ${g.name} (${asn(g.asn)})`);
    for (const a of g.associations)
      lines.push(
        ...wrapList(
          `${INDENT}    `,
          `→ ${gatewayText(a.to)}${a.proposal ? " (proposal accepted)" : ""}, allowed `,
          a.allowedPrefixes.length > 0 ? a.allowedPrefixes : ["none"],
        ),
      );
  }
  const rows = c.virtualInterfaces.map((v) => [
    `${v.hosted ? "hosted " : ""}${v.type} VIF ${v.name}`,
    `VLAN ${v.vlan ?? "?"} on ${v.connectionId ?? "(hosted connection)"}`,
    `router ${asn(v.customerAsn)}`,
    v.to ? `→ ${gatewayText(v.to)}` : `advertises ${(v.advertisedPrefixes ?? []).join(" ") || "nothing"}`,
  ]);
  return [...lines, ...columns(rows, `${INDENT}  `)];
}

function segments(c: StackConnections): string[] {
  const lines: string[] = [];
  let tgw = "";
  const rows: string[][] = [];
  const flush = () => {
    lines.push(...columns(rows, `${INDENT}  `));
    rows.length = 0;
  };
  for (const s of c.segments) {
    if (s.transitGatewayId !== tgw) {
      flush();
      tgw = s.transitGatewayId;
      lines.push(`${INDENT}segments of tgw ${s.transitGatewayName ?? tgw} (${asn(s.asn)})`);
    }
    rows.push([
      s.segment,
      s.isolated ? "isolated" : "",
      `reaches ${s.reaches.join(", ") || "nothing"}`,
      `members: ${s.members.join(", ") || "none"}`,
    ]);
    for (const r of s.staticRoutes) rows.push(["", "", `static ${r.destination} → ${r.target}`, ""]);
  }
  flush();
  return lines;
}

function attachments(c: StackConnections): string[] {
  if (c.attachments.length === 0) return [];
  const rows = c.attachments.map((a) => [
    `vpc ${a.vpcName} (${a.cidrs.join(" ") || a.vpcId})`,
    `→ segment ${a.segment ?? "none"}`,
    `propagates to ${a.propagatesTo.join(", ") || "none"}`,
  ]);
  return [`${INDENT}transit gateway attachments`, ...columns(rows, `${INDENT}  `)];
}

function peerings(c: StackConnections): string[] {
  const lines: string[] = [];
  for (const p of c.transitGatewayPeerings) {
    const where = [p.peer.region, p.peer.accountId ? `account ${p.peer.accountId}` : undefined]
      .filter(Boolean)
      .join(", ");
    const side = (id: string, a?: number, segment?: string) =>
      `${id} (${asn(a)}, segment ${segment ?? "none"})`;
    lines.push(
      `${INDENT}tgw peering ${p.name}: ${side(p.local.transitGatewayId, p.local.asn, p.local.segment)} ⇄ ${side(p.peer.transitGatewayId, p.peer.asn, p.peer.segment)}${where ? ` in ${where}` : ""}, ${p.accepted ? "accepted" : "not accepted"}`,
    );
    for (const r of p.routes) lines.push(`${INDENT}  static ${r.destination} in ${r.segment} → peering`);
  }
  for (const p of c.vpcPeerings) {
    const accepter = [
      p.accepter.cidrs.join(" ") || undefined,
      p.accepter.accountId ? `account ${p.accepter.accountId}` : undefined,
      p.accepter.region,
    ].filter(Boolean);
    lines.push(
      `${INDENT}vpc peering ${p.name} (${p.id}): ${p.requester.vpcId} (${p.requester.cidrs.join(" ") || "?"}) ⇄ ${p.accepter.vpcId} (${accepter.join(", ") || "?"}), acceptance ${p.acceptance}${p.dnsResolution ? ", DNS resolution" : ""}`,
    );
  }
  return lines;
}

function chains(listeners: readonly ListenerChain[], indent: string): string[] {
  if (listeners.length === 0) return [`${indent}no listeners`];
  return listeners.flatMap((l) =>
    wrapList(
      indent,
      `${l.protocol} ${l.port} → target group ${l.targetGroup} ${l.targetProtocol} ${l.targetPort ?? "?"} → `,
      l.targets.length > 0
        ? l.targets.map((t) => `${t.target}:${t.port ?? l.targetPort ?? "?"}`)
        : ["no targets registered"],
    ),
  );
}

function privateLink(c: StackConnections): string[] {
  const lines: string[] = [];
  if (c.interfaceEndpoints.length > 0)
    lines.push(`${INDENT}privatelink endpoints (consumer → service → targets)`);
  for (const e of c.interfaceEndpoints) {
    const s = e.service;
    const service = s
      ? `service ${s.name} (${s.stack}) ${e.serviceName}, ${s.acceptanceRequired ? (s.accepted ? "accepted" : "awaiting acceptance") : "no acceptance required"}`
      : `${e.serviceName} (not in this plan)`;
    lines.push(`${INDENT}  ${e.name} (${e.id} in vpc ${e.vpcName}) → ${service}`);
    if (s) lines.push(...chains(s.listeners, `${INDENT}    `));
  }
  for (const s of c.endpointServices) {
    if (s === c.endpointServices[0]) lines.push(`${INDENT}privatelink services`);
    lines.push(
      `${INDENT}  ${s.name} ${s.serviceName}, ${s.acceptanceRequired ? "acceptance required" : "no acceptance required"}`,
      ...wrapList(
        `${INDENT}    `,
        "allowed ",
        s.allowedPrincipals.length > 0 ? s.allowedPrincipals : ["none"],
      ),
      ...chains(s.listeners, `${INDENT}    `),
      ...s.consumers.map(
        (x) =>
          `${INDENT}    consumer ${x.name} (${x.id} in vpc ${x.vpcName}, ${x.stack}), ${x.accepted ? "accepted" : "awaiting acceptance"}`,
      ),
    );
  }
  for (const g of c.gatewayEndpoints) {
    if (g === c.gatewayEndpoints[0]) lines.push(`${INDENT}gateway endpoints`);
    lines.push(
      ...wrapList(
        `${INDENT}  `,
        `${g.name} ${g.serviceName} (${g.id} in ${g.vpcId}) → ${g.prefixListId ?? "prefix list"} in `,
        g.routeTableIds.length > 0 ? g.routeTableIds : ["no route tables"],
      ),
    );
  }
  return lines;
}

function vpcs(c: StackConnections): string[] {
  return c.vpcs.flatMap((v) => [
    `${INDENT}vpc ${v.name} ${v.id} ${v.cidrs.join(" ")}`,
    ...columns(
      v.subnets.map((s) => [s.tier, s.zone, s.cidr, s.id, s.routeTableId ?? ""]),
      `${INDENT}  `,
    ),
  ]);
}

function routeTables(c: StackConnections): string[] {
  if (c.routeTables.length === 0) return [];
  const lines = [`${INDENT}routes added to VPC route tables`];
  for (const t of c.routeTables) {
    lines.push(`${INDENT}  ${t.label} (${t.id})`);
    lines.push(
      ...columns(
        t.routes.map((r) => [r.destination, `→ ${r.target}`]),
        `${INDENT}    `,
      ),
    );
    for (const vgw of t.propagatesFrom) lines.push(`${INDENT}    propagated from ${vgw}`);
  }
  return lines;
}

function clientVpns(c: StackConnections): string[] {
  return c.clientVpns.flatMap((v) => [
    `${INDENT}client vpn ${v.name} (${v.id}): clients ${v.clientCidr}${v.vpcId ? ` in ${v.vpcId}` : ""}`,
    ...wrapList(`${INDENT}  `, "associated ", v.associations.length > 0 ? v.associations : ["none"]),
    ...wrapList(
      `${INDENT}  `,
      "authorized ",
      v.authorizations.length > 0 ? v.authorizations.map((a) => `${a.destination} (${a.groups})`) : ["none"],
    ),
    ...wrapList(
      `${INDENT}  `,
      "routes ",
      v.routes.length > 0 ? v.routes.map((r) => `${r.destination} via ${r.subnet}`) : ["none"],
    ),
  ]);
}

/**
 * A value's compact JSON cut into lines of at most WIDTH characters between its elements (never inside a
 * string), so a long output is shown whole.
 */
export function wrapJson(value: unknown, indent: string): string[] {
  const text = JSON.stringify(value) ?? String(value);
  const pieces: string[] = [];
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === ",") {
      pieces.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  pieces.push(text.slice(start));
  const lines: string[] = [];
  let line = "";
  for (const piece of pieces) {
    if (line !== "" && indent.length + line.length + piece.length > WIDTH) {
      lines.push(`${indent}${line}`);
      line = "";
    }
    line += piece;
  }
  lines.push(`${indent}${line}`);
  return lines;
}

/** The connections section of one stack in the plan table; nothing when the stack connects nothing. */
export function formatConnections(c: StackConnections): string[] {
  const body = [
    ...sites(c),
    ...directConnect(c),
    ...segments(c),
    ...attachments(c),
    ...peerings(c),
    ...privateLink(c),
    ...vpcs(c),
    ...routeTables(c),
    ...clientVpns(c),
    ...(c.protected.length > 0 ? wrapList(INDENT, `protected (${c.protected.length}): `, c.protected) : []),
  ];
  return body.length > 0 ? ["  connections", ...body] : [];
}
