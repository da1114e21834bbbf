/**
 * The topology as SVG (`DIR/topology.svg`, and inline in `DIR/report.html`): accounts, nodes, links and flow
 * paths from the layout; every text escaped. Each element and link is a `<g data-element="…">`; an embedded
 * JSON index (`<metadata id="hybridnet-index">`) holds each one's kind, lines, URNs and findings and each
 * flow's path, which the report's details panel reads.
 */
import {
  FONT_SIZE,
  HEADER_HEIGHT,
  type Layout,
  layoutTopology,
  type PlacedElement,
  type PlacedText,
} from "./layout";
import type { Finding, Topology } from "./types";

/** Text for XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string,
  );
}

const STYLE = `
.account>rect{fill:#f6f8fa;fill-opacity:.8;stroke:#8c959f;stroke-width:1.5;pointer-events:none}
.account>rect.header{fill:transparent;stroke:none;pointer-events:all}
.node>rect{fill:#fff;stroke:#57606a;stroke-width:1.2}
.node.site>rect,.node.dxConnection>rect{fill:#fff8e6;stroke:#9a6700}
.node.transitGateway>rect,.node.directConnectGateway>rect,.node.vpnGateway>rect{fill:#eef6ff;stroke:#0969da}
.node.vpc>rect{fill:#effaf0;stroke:#1a7f37}
.node.endpointService>rect,.node.interfaceEndpoint>rect,.node.gatewayEndpoint>rect{fill:#fbefff;stroke:#8250df}
.node.clientVpn>rect,.node.virtualInterface>rect,.node.softwareVpnAppliance>rect{fill:#fff1e5;stroke:#bc4c00}
text{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:${FONT_SIZE}px;fill:#1f2328}
text.title{font-weight:bold}
.link path.line{fill:none;stroke:#57606a;stroke-width:1.5}
.link.vpn path.line{stroke:#9a6700;stroke-dasharray:6 3}
.link.directConnect path.line{stroke:#bc4c00;stroke-width:2.5}
.link.privateLink path.line{stroke:#8250df}
.link.attachment path.line,.link.tgwPeering path.line{stroke:#0969da;stroke-width:2}
.link.vpcPeering path.line{stroke:#1a7f37;stroke-width:2}
.link path.hit{fill:none;stroke:transparent;stroke-width:10}
.flow{fill:none;pointer-events:none}
.flow.pass{stroke:#1a7f37;stroke-width:1.5;opacity:.3}
.flow.fail{stroke:#cf222e;stroke-width:2.5;stroke-dasharray:7 4;opacity:.9}
.blocked circle{fill:#cf222e}
.blocked path{stroke:#fff;stroke-width:2}
.badge circle{fill:#bf8700}
.badge.mandatory circle{fill:#cf222e}
.badge text{fill:#fff;font-size:10px;font-weight:bold}
[data-element]{cursor:pointer}
.selected>rect,.selected>path.line{stroke:#cf222e;stroke-width:3}
#flow-highlight path{opacity:1;stroke-width:3.5}
`;

function textSvg(t: PlacedText): string {
  return `<text x="${t.x}" y="${t.y}"${t.bold ? ' class="title"' : ""}>${escapeXml(t.text)}</text>`;
}

function badgeSvg(p: PlacedElement): string {
  if (!p.badge) return "";
  const mandatory = p.element.findings.some((f) => f.level === "mandatory");
  const n = p.element.findings.length;
  return `<g class="badge${mandatory ? " mandatory" : ""}"><circle cx="${p.badge.x}" cy="${p.badge.y}" r="8"/><text x="${p.badge.x}" y="${p.badge.y + 3.5}" text-anchor="middle">${n > 9 ? "9+" : n}</text></g>`;
}

function elementSvg(p: PlacedElement, cls: string): string {
  const { x, y, w, h } = p.box;
  const e = p.element;
  return [
    `<g class="${cls} ${e.kind}" data-element="${escapeXml(e.id)}">`,
    `<title>${escapeXml([e.title, ...e.lines].join("\n"))}</title>`,
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${cls === "account" ? 8 : 4}"/>`,
    // An account's box lets the lines under it be pointed at; its header answers for it.
    cls === "account"
      ? `<rect class="header" x="${x}" y="${y}" width="${w}" height="${HEADER_HEIGHT}"/>`
      : "",
    ...p.texts.map(textSvg),
    badgeSvg(p),
    "</g>",
  ].join("");
}

/** The JSON the report reads: elements and links by id, and the flows. `<` escaped, so it can sit in markup. */
export function topologyIndex(t: Topology): string {
  const items: Record<
    string,
    { kind: string; title: string; lines: string[]; urns: string[]; findings: Finding[] }
  > = Object.fromEntries(
    [...t.accounts, ...t.elements].map((e) => [
      e.id,
      { kind: e.kind, title: e.title, lines: e.lines, urns: e.urns, findings: e.findings },
    ]),
  );
  for (const l of t.links)
    items[l.id] = { kind: `${l.kind} link`, title: l.label, lines: [], urns: l.urns, findings: l.findings };
  const json = JSON.stringify({ env: t.env, elements: items, flows: t.flows });
  return json.replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

/** Flows that pass go under the nodes (the boxes stay readable), failed ones and their markers over them. */
function flowsSvg(layout: Layout, verdict: "pass" | "fail"): string[] {
  const out: string[] = [`<g class="flows ${verdict}">`];
  for (const f of layout.flows) {
    if (f.flow.verdict !== verdict || f.points.length < 2) continue;
    const d = f.points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x} ${p.y}`).join(" ");
    out.push(`<path class="flow ${verdict}" data-flow="${f.flow.index}" d="${d}"/>`);
  }
  for (const f of layout.flows)
    if (f.flow.verdict === verdict && f.blockedAt) {
      const { x, y } = f.blockedAt;
      out.push(
        `<g class="blocked" data-flow="${f.flow.index}"><circle cx="${x}" cy="${y}" r="7"/><path d="M${x - 3.5} ${y - 3.5} L${x + 3.5} ${y + 3.5} M${x + 3.5} ${y - 3.5} L${x - 3.5} ${y + 3.5}"/></g>`,
      );
    }
  out.push("</g>");
  return out;
}

/** The topology as a standalone SVG document. */
export function renderSvg(t: Topology, layout: Layout = layoutTopology(t)): string {
  const { width, height } = layout;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" id="topology" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<style>${STYLE}</style>`,
    `<metadata id="hybridnet-index">${topologyIndex(t)}</metadata>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    textSvg(layout.title),
    '<g class="links">',
    ...layout.links.map(
      (l) =>
        `<g class="link ${l.link.kind}" data-element="${escapeXml(l.link.id)}"><title>${escapeXml(l.link.label)}</title><path class="hit" d="${l.d}"/><path class="line" d="${l.d}"/></g>`,
    ),
    "</g>",
    ...flowsSvg(layout, "pass"),
    '<g class="accounts">',
    ...layout.accounts.map((p) => elementSvg(p, "account")),
    "</g>",
    '<g class="nodes">',
    ...layout.nodes.map((p) => elementSvg(p, "node")),
    "</g>",
    ...flowsSvg(layout, "fail"),
    '<g id="flow-highlight"/>',
    "</svg>",
    "",
  ].join("\n");
}
