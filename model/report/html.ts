/**
 * `DIR/report.html`: one self-contained page (inline CSS, script and SVG; nothing fetched) with the topology,
 * a details panel that shows an element's resources (URNs) and policy findings on hover or click, the flows
 * (hovering one draws its path), the findings and, when the plan holds one, the monthly cost estimate.
 */
import type { PlanCost } from "../cost/types";
import { layoutTopology } from "./layout";
import { escapeXml, renderSvg } from "./svg";
import { buildTopology } from "./topology";
import type { ReportPlan, Topology } from "./types";

const CSS = `
body{font-family:system-ui,sans-serif;margin:0;color:#1f2328;background:#fff}
header{padding:12px 20px;border-bottom:1px solid #d0d7de}
header h1{font-size:20px;margin:0 0 4px}
main{display:flex;align-items:flex-start;gap:16px;padding:16px 20px}
#diagram{flex:1 1 auto;overflow:auto;border:1px solid #d0d7de;max-height:85vh}
#details{flex:0 0 360px;position:sticky;top:8px;border:1px solid #d0d7de;padding:10px 12px;font-size:13px;max-height:85vh;overflow:auto}
#details h2{font-size:15px;margin:0 0 6px}
#details ul{padding-left:18px;margin:4px 0}
#details li{word-break:break-all;font-family:monospace;font-size:12px}
section{padding:0 20px 16px}
table{border-collapse:collapse;font-size:13px}
td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.fail td{color:#cf222e}
tr.total td{font-weight:bold}
tr[data-flow]:hover{background:#f6f8fa;cursor:pointer}
.muted{color:#57606a}
`;

const SCRIPT = `
(function () {
  var index = JSON.parse(document.getElementById("hybridnet-index").textContent);
  var panel = document.getElementById("details");
  var pinned = null;
  function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
  function list(title, items) {
    panel.appendChild(el("h3", title + " (" + items.length + ")"));
    var ul = el("ul");
    items.forEach(function (t) { ul.appendChild(el("li", t)); });
    panel.appendChild(ul);
  }
  function showElement(id) {
    var e = index.elements[id];
    if (!e) return;
    panel.textContent = "";
    panel.appendChild(el("h2", e.title));
    panel.appendChild(el("div", e.kind)).className = "muted";
    e.lines.forEach(function (l) { panel.appendChild(el("div", l)); });
    list("resources", e.urns);
    list("policy findings", e.findings.map(function (f) { return f.level + " " + f.policy + ": " + f.message; }));
  }
  function showFlow(i) {
    var f = index.flows[i];
    panel.textContent = "";
    panel.appendChild(el("h2", f.text));
    panel.appendChild(el("div", f.verdict === "pass" ? "as intended" : "NOT as intended")).className = "muted";
    if (f.blocked) panel.appendChild(el("div", "blocked: " + f.blocked));
    list("path", f.elements.map(function (id) { return index.elements[id] ? index.elements[id].title : id; }));
  }
  var layer = document.getElementById("flow-highlight");
  function highlight(i, on) {
    layer.textContent = "";
    if (!on) return;
    document.querySelectorAll('path[data-flow="' + i + '"]').forEach(function (p) { layer.appendChild(p.cloneNode(true)); });
  }
  document.querySelectorAll("svg [data-element]").forEach(function (g) {
    var id = g.getAttribute("data-element");
    g.addEventListener("mouseover", function (ev) { ev.stopPropagation(); if (!pinned) showElement(id); });
    g.addEventListener("click", function (ev) {
      ev.stopPropagation();
      if (pinned) pinned.classList.remove("selected");
      pinned = pinned === g ? null : g;
      if (pinned) pinned.classList.add("selected");
      showElement(id);
    });
  });
  document.querySelectorAll("tr[data-flow]").forEach(function (row) {
    var i = Number(row.getAttribute("data-flow"));
    row.addEventListener("mouseenter", function () { highlight(i, true); if (!pinned) showFlow(i); });
    row.addEventListener("mouseleave", function () { highlight(i, false); });
  });
})();
`;

/** US dollars with cents and thousands separators, the same everywhere (no locale). */
export function usd(n: number): string {
  const sign = n < 0 ? "-" : "";
  const [whole, cents] = Math.abs(n).toFixed(2).split(".");
  return `${sign}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${cents}`;
}

const td = (s: string | number, num = false) =>
  `<td${num ? ' class="num"' : ""}>${escapeXml(String(s))}</td>`;

/** The cost section: per stack, its lines and subtotal; the total; with `--against`, the difference. */
export function costHtml(cost: PlanCost): string {
  const rows: string[] = [];
  for (const s of cost.stacks) {
    for (const l of s.lines)
      rows.push(
        `<tr>${td(s.stack)}${td(l.item)}${td(l.quantity, true)}${td(l.unit)}${td(usd(l.unitPriceUsd), true)}${td(usd(l.monthlyUsd), true)}</tr>`,
      );
    rows.push(
      `<tr class="total">${td(s.stack)}${td(`${s.region}: stack total`)}<td></td><td></td><td></td>${td(usd(s.monthlyUsd), true)}</tr>`,
    );
  }
  rows.push(
    `<tr class="total">${td("environment")}${td("total")}<td></td><td></td><td></td>${td(usd(cost.monthlyUsd), true)}</tr>`,
  );
  const parts = [
    `<section id="cost"><h2>Monthly cost estimate (${escapeXml(cost.currency)}, ${cost.hoursPerMonth} hours)</h2>`,
    `<table><tr><th>stack</th><th>item</th><th>quantity</th><th>unit</th><th>unit price</th><th>monthly</th></tr>${rows.join("")}</table>`,
  ];
  if (cost.difference) {
    const diff = cost.difference.stacks.map((s) => `<tr>${td(s.stack)}${td(usd(s.monthlyUsd), true)}</tr>`);
    parts.push(
      `<h3>Difference against the earlier plan</h3><table id="cost-difference"><tr><th>stack</th><th>monthly change</th></tr>${diff.join("")}<tr class="total">${td("total")}${td(usd(cost.difference.monthlyUsd), true)}</tr></table>`,
    );
  }
  const prices = Object.entries(cost.prices).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  parts.push(
    `<h3>Prices</h3><table><tr><th>price</th><th>USD</th><th>unit</th><th>Region</th><th>as of</th><th>source</th></tr>${prices
      .map(
        ([k, p]) =>
          `<tr>${td(k)}${td(p.usd, true)}${td(p.unit)}${td(p.region)}${td(p.asOf)}${td(p.source)}</tr>`,
      )
      .join("")}</table></section>`,
  );
  return parts.join("");
}

function flowsHtml(t: Topology): string {
  if (t.flows.length === 0) return "";
  const rows = t.flows.map(
    (f) =>
      `<tr data-flow="${f.index}" class="${f.verdict}">${td(f.verdict === "pass" ? "✔" : "✘")}${td(f.text)}${td(f.blocked ?? "")}</tr>`,
  );
  return `<section id="flows"><h2>Flows</h2><p class="muted">Hover a flow to draw its path.</p><table><tr><th></th><th>intent</th><th>where it stops</th></tr>${rows.join("")}</table></section>`;
}

function findingsHtml(plan: ReportPlan): string {
  const all = plan.stacks.flatMap((s) => s.diagnostics.map((d) => ({ stack: s.name, ...d })));
  if (all.length === 0) return '<section id="findings"><h2>Policy findings</h2><p>none</p></section>';
  const rows = all.map(
    (d) => `<tr>${td(d.stack)}${td(d.level)}${td(d.policy)}${td(d.message)}${td(d.urn ?? "")}</tr>`,
  );
  return `<section id="findings"><h2>Policy findings</h2><table><tr><th>stack</th><th>level</th><th>policy</th><th>message</th><th>resource</th></tr>${rows.join("")}</table></section>`;
}

/** The report page of a plan. */
export function renderReport(plan: ReportPlan, topology: Topology = buildTopology(plan)): string {
  const { resources, mandatory, advisory, flows } = plan.summary;
  const summary = `${plan.stacks.length} stacks, ${resources} resources, ${mandatory} mandatory and ${advisory} advisory findings, ${flows.checked - flows.failed} of ${flows.checked} flows as intended${plan.cost ? `, ${usd(plan.cost.monthlyUsd)} a month` : ""}`;
  return [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>hybridnet plan ${escapeXml(plan.env)}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<header><h1>hybridnet plan ${escapeXml(plan.env)}</h1><div id="summary">${escapeXml(summary)}</div></header>`,
    '<main><div id="diagram">',
    renderSvg(topology, layoutTopology(topology)),
    '</div><aside id="details"><h2>Details</h2><p class="muted">Hover or click an element of the diagram to see its resources (URNs) and policy findings.</p></aside></main>',
    flowsHtml(topology),
    findingsHtml(plan),
    plan.cost ? costHtml(plan.cost) : "",
    `<script>${SCRIPT}</script>`,
    "</body></html>",
    "",
  ].join("\n");
}
