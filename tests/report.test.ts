/**
 * The report of a plan (issue 18): the topology it draws, the SVG (well-formed, every element in it, text
 * escaped), a layout without overlapping boxes or labels at 3, 10 and 50 workloads, the same bytes for the
 * same plan, and `report.html` self-contained with the cost when the plan has one. Plans made by hand
 * (tests/reportFixtures.ts), once the dev environment through `hybridnet plan --out`, and staging planned under
 * mocks for its software VPN appliance.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { connectionsOfPlan } from "../model/connections/stackConnections";
import type { PlanCost } from "../model/cost/types";
import { checkEnvironmentFlows } from "../model/reachability/environmentFlows";
import { networkFromPlan } from "../model/reachability/fromPlan";
import { siteDeclarations } from "../model/reachability/sites";
import {
  buildTopology,
  layoutTopology,
  type ReportPlan,
  renderReport,
  renderSvg,
  type Topology,
} from "../model/report";
import { type Box, CHAR_WIDTH, FONT_SIZE, type Layout } from "../model/report/layout";
import { hybridnet } from "./cli";
import { plannedEnvironment } from "./environment";
import { syntheticPlan } from "./reportFixtures";
import { allElements, parseXml } from "./xml";

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of items) counts[key(i)] = (counts[key(i)] ?? 0) + 1;
  return counts;
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (a: Box, o: Box) =>
  a.x >= o.x && a.y >= o.y && a.x + a.w <= o.x + o.w && a.y + a.h <= o.y + o.h;

/** Pairs of boxes that overlap, named. */
function overlaps(items: { name: string; box: Box }[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++)
      if (overlap(items[i].box, items[j].box)) found.push(`${items[i].name} / ${items[j].name}`);
  return found;
}

/** Every geometric rule of a readable layout; the names of what breaks one. */
function layoutProblems(layout: Layout): string[] {
  const boxes = [...layout.accounts, ...layout.nodes];
  const outside = layout.nodes.filter((n) => !n.element.account);
  const problems = [
    ...overlaps([...layout.accounts, ...outside].map((p) => ({ name: p.element.id, box: p.box }))),
    ...overlaps(layout.nodes.map((p) => ({ name: p.element.id, box: p.box }))),
  ];
  for (const n of layout.nodes) {
    const account = layout.accounts.find((a) => a.element.title === n.element.account);
    if (n.element.account && !(account && inside(n.box, account.box)))
      problems.push(`${n.element.id} outside its account`);
    for (const t of n.texts) if (!inside(t.box, n.box)) problems.push(`"${t.text}" outside ${n.element.id}`);
  }
  const texts = [layout.title, ...boxes.flatMap((p) => p.texts)];
  problems.push(...overlaps(texts.map((t) => ({ name: `"${t.text}"`, box: t.box }))));
  for (const b of boxes)
    if (b.box.x + b.box.w > layout.width || b.box.y + b.box.h > layout.height)
      problems.push(`${b.element.id} off the picture`);
  return problems;
}

function kinds(t: Topology) {
  return { elements: countBy(t.elements, (e) => e.kind), links: countBy(t.links, (l) => l.kind) };
}

describe("report: the topology of a plan", () => {
  const plan = syntheticPlan(3);
  const t = buildTopology(plan);

  it("draws the accounts, sites, Direct Connect, the hub, VPCs, endpoints and Client VPN of the plan", () => {
    expect(t.accounts.map((a) => a.title)).to.deep.equal([
      "connectivity-test",
      "workload-w01-test",
      "workload-w02-test",
      "workload-w03-test",
    ]);
    expect(kinds(t)).to.deep.equal({
      elements: {
        clientVpn: 1,
        directConnectGateway: 1,
        dxConnection: 2,
        endpointService: 4,
        interfaceEndpoint: 6,
        site: 2,
        transitGateway: 1,
        virtualInterface: 2,
        vpc: 4,
      },
      links: { attachment: 4, clientVpn: 1, directConnect: 4, dxAssociation: 1, privateLink: 6, vpn: 2 },
    });
  });

  it("writes the facts a review asks for: segments, ASNs, prefixes, tunnels, bandwidth, CIDRs", () => {
    const byId = (id: string) => t.elements.find((e) => e.id === id);
    expect(byId("tgw:tgw-0hub")?.lines).to.deep.equal([
      "ASN 64512",
      "segment onprem → shared, workloads (isolated)",
      "segment shared → onprem, workloads",
      "segment workloads → shared (isolated)",
    ]);
    expect(byId("site:site1")?.lines).to.deep.equal([
      "ASN 65001",
      "172.16.0.0/16",
      "dc: 2 tunnels from 203.0.113.11",
    ]);
    expect(t.links.find((l) => l.id === "vpn:connectivity-test:dc:site1")?.label).to.equal(
      "VPN dc: 1 connection, 2 tunnels, BGP",
    );
    expect(byId("dxcon:dxcon-0ashburn")?.lines).to.deep.equal(["dxcon-0ashburn", "bandwidth 10Gbps"]);
    expect(byId("vif:connectivity-test:dx-ashburn")?.lines).to.deep.equal(["VLAN 101", "customer ASN 65010"]);
    expect(byId("vpc:vpc-0w02")?.lines).to.deep.equal(["10.21.0.0/16"]);
    expect(byId("cvpn:cvpn-endpoint-0staff")?.lines[0]).to.equal("clients 192.168.100.0/22");
  });

  it("puts every planned resource in exactly one element or link, by its id, name or component", () => {
    const urns = [...t.accounts, ...t.elements, ...t.links].flatMap((e) => e.urns);
    const planned = plan.stacks.flatMap((s) => s.resources.map((r) => r.urn));
    expect(planned.length).to.be.greaterThan(40);
    expect([...urns].sort()).to.deep.equal([...planned].sort());
    const vpn = t.links.find((l) => l.id === "vpn:connectivity-test:dc:site1");
    expect(vpn?.urns.map((u) => u.split("::").pop())).to.deep.equal(["dc-site1-cgw", "dc-site1-1-vpn", "dc"]);
    // The component resource goes with its children: the endpoint's security group and the component itself.
    const endpoint = t.elements.find((e) => e.id === "vpce:vpce-0tow01");
    expect(endpoint?.urns.map((u) => u.split("::").pop())).to.deep.equal([
      "to-w01-endpoint",
      "to-w01-endpoint",
      "to-w01",
    ]);
  });

  it("shows a finding on its resource's element, and one with no resource on the account", () => {
    const attachment = t.links.find((l) => l.id === "attach:tgw-attach-0w01");
    expect(attachment?.findings.map((f) => f.policy)).to.deep.equal(["attachment-segment"]);
    expect(t.accounts[0].findings.map((f) => f.policy)).to.deep.equal(["tgw-default-route-table"]);
    expect(t.elements.flatMap((e) => e.findings)).to.have.length(0);
  });

  it("draws each flow over the elements it crosses, and a failed one up to the hop that dropped it", () => {
    const pass = t.flows.find((f) => f.name === "site1-to-w01");
    expect(pass?.elements).to.deep.equal([
      "site:site1",
      "tgw:tgw-0hub",
      "vpce:vpce-0tow01",
      "svc:com.amazonaws.vpce.us-east-1.vpce-svc-0w01",
      "vpc:vpc-0w01",
      "svc:com.amazonaws.vpce.us-east-1.vpce-svc-0w01",
    ]);
    const fail = t.flows.find((f) => f.verdict === "fail");
    expect(fail?.elements).to.deep.equal(["site:site1", "tgw:tgw-0hub"]);
    expect(fail?.blockedAt).to.equal("tgw:tgw-0hub");
    expect(fail?.blocked).to.equal("connectivity-test hub-onprem: no route to 10.20.0.0/16");
  });
});

describe("report: topology.svg", () => {
  const plan = syntheticPlan(3);
  const t = buildTopology(plan);
  const svg = renderSvg(t);

  it("is well-formed XML with its size and view box, and holds every element and link once", () => {
    const root = parseXml(svg);
    expect(root.name).to.equal("svg");
    const { width, height } = layoutTopology(t);
    expect(root.attributes).to.include({
      width: String(width),
      height: String(height),
      viewBox: `0 0 ${width} ${height}`,
    });
    const drawn = allElements(root).flatMap((e) =>
      e.attributes["data-element"] ? [e.attributes["data-element"]] : [],
    );
    const planned = [...t.accounts, ...t.elements, ...t.links].map((e) => e.id);
    // 4 accounts, 23 elements, 18 links.
    expect(planned).to.have.length(4 + 23 + 18);
    expect(new Set(planned).size, "ids are unique").to.equal(planned.length);
    expect([...drawn].sort()).to.deep.equal([...planned].sort());
  });

  it("embeds the index of URNs and findings the report reads, and escapes every text", () => {
    const root = parseXml(svg);
    const metadata = allElements(root).find((e) => e.name === "metadata");
    const index = JSON.parse(metadata?.text ?? "{}");
    expect(index.elements["attach:tgw-attach-0w01"].findings[0].message).to.equal(
      'attachment <hub> & "quoted"',
    );
    expect(svg).not.to.include("<hub>");

    const odd = syntheticPlan(3);
    const vpc = odd.stacks[1].connections?.vpcs[0];
    if (vpc) vpc.name = `a<b & "c"`;
    const texts = allElements(parseXml(renderSvg(buildTopology(odd)))).map((e) => e.text);
    expect(texts).to.include(`VPC a<b & "c"`);
  });

  it("draws a failed flow dashed and red, with the blocking hop marked on its element", () => {
    const root = parseXml(svg);
    const failed = allElements(root).filter((e) => e.attributes.class === "flow fail");
    expect(failed).to.have.length(1);
    expect(allElements(root).filter((e) => e.attributes.class === "flow pass")).to.have.length(2);
    const marker = allElements(root).find((e) => e.attributes.class === "blocked");
    const circle = marker?.children.find((c) => c.name === "circle");
    const tgw = layoutTopology(t).nodes.find((n) => n.element.id === "tgw:tgw-0hub")?.box as Box;
    expect([Number(circle?.attributes.cx), Number(circle?.attributes.cy)]).to.deep.equal([
      tgw.x,
      tgw.y + tgw.h / 2,
    ]);
    expect(svg).to.include(".flow.fail{stroke:#cf222e;stroke-width:2.5;stroke-dasharray:7 4");
  });

  it("the well-formedness check rejects what is not XML", () => {
    expect(() => parseXml("<svg><g></svg>")).to.throw("</svg> closes <g>");
    expect(() => parseXml("<svg><text>a & b</text></svg>")).to.throw('"&" that starts no entity');
    expect(() => parseXml('<svg a="1" a="2"/>')).to.throw("attribute a twice");
    expect(() => parseXml("<svg/><svg/>")).to.throw("a second root element");
    expect(() => parseXml("<svg><g>")).to.throw("<g> is not closed");
  });
});

describe("report: layout", () => {
  it("estimates text at least 0.6 em a character, the advance of DejaVu Sans Mono", () => {
    expect(CHAR_WIDTH).to.be.at.least(0.6 * FONT_SIZE);
  });

  for (const workloads of [3, 10, 50])
    it(`has no overlapping boxes or labels, and every node in its account, at ${workloads} workloads`, () => {
      const layout = layoutTopology(buildTopology(syntheticPlan(workloads)));
      expect(layout.accounts).to.have.length(workloads + 1);
      expect(layout.nodes.length).to.be.greaterThan(3 * workloads);
      expect(layoutProblems(layout)).to.deep.equal([]);
    });

  it("finds an overlap when there is one", () => {
    const layout = layoutTopology(buildTopology(syntheticPlan(3)));
    const [a, b] = layout.nodes;
    b.box = { ...a.box };
    expect(layoutProblems(layout)).to.include(`${a.element.id} / ${b.element.id}`);
  });

  it("gives the same plan the same bytes, whatever order the plan lists its stacks in", () => {
    const first = renderSvg(buildTopology(syntheticPlan(10)));
    expect(renderSvg(buildTopology(syntheticPlan(10)))).to.equal(first);
    const reversed = syntheticPlan(10);
    reversed.stacks.reverse();
    expect(renderSvg(buildTopology(reversed))).to.equal(first);
    expect(renderReport(syntheticPlan(10))).to.equal(renderReport(syntheticPlan(10)));
  });
});

/** A cost estimate written by hand: 2 VPN connections and 1 attachment at $0.05 an hour, 730 hours. */
const COST: PlanCost = {
  currency: "USD",
  hoursPerMonth: 730,
  stacks: [
    {
      stack: "connectivity-test",
      region: "us-east-1",
      lines: [
        {
          item: "Site-to-Site VPN connection",
          urns: [],
          quantity: 1460,
          unit: "connection-hour",
          unitPriceUsd: 0.05,
          monthlyUsd: 73,
          price: "vpn-connection-hour",
        },
      ],
      monthlyUsd: 73,
    },
    {
      stack: "workload-w01-test",
      region: "us-east-1",
      lines: [
        {
          item: "Transit gateway VPC attachment",
          urns: [],
          quantity: 730,
          unit: "attachment-hour",
          unitPriceUsd: 0.05,
          monthlyUsd: 36.5,
          price: "tgw-attachment-hour",
        },
      ],
      monthlyUsd: 36.5,
    },
  ],
  monthlyUsd: 109.5,
  prices: {
    "vpn-connection-hour": {
      usd: 0.05,
      unit: "connection-hour",
      region: "us-east-1",
      asOf: "2026-11-01",
      source: "https://aws.amazon.com/vpn/pricing/",
    },
    "tgw-attachment-hour": {
      usd: 0.05,
      unit: "attachment-hour",
      region: "us-east-1",
      asOf: "2026-11-01",
      source: "https://aws.amazon.com/transit-gateway/pricing/",
    },
  },
  difference: { monthlyUsd: 36.5, stacks: [{ stack: "workload-w01-test", monthlyUsd: 36.5 }] },
};

/** The text of each row of the table that follows `heading` in the page. */
function tableRows(html: string, heading: string): string[] {
  const at = html.indexOf(heading);
  const table = html.slice(html.indexOf("<table", at), html.indexOf("</table>", at));
  return [...table.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((m) =>
    [...m[1].matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((c) => c[1]).join(" | "),
  );
}

describe("report: report.html", () => {
  it("is one self-contained file: inline style, script and SVG, nothing loaded from the network", () => {
    const html = renderReport({ ...syntheticPlan(10), cost: COST });
    expect(html.match(/<svg /g)).to.have.length(1);
    expect(html.match(/<script>/g)).to.have.length(1);
    expect(html).to.match(/^<!DOCTYPE html>/);
    expect(html.match(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//gi) ?? []).to.deep.equal([]);
    expect(html).not.to.match(/<link\b|@import|url\(|<iframe|<img/i);
    // The check finds a load when there is one.
    expect('<img src="https://example.com/x.png">').to.match(
      /\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i,
    );
  });

  it("shows the cost per stack, lines in a table, the total and the difference", () => {
    const html = renderReport({ ...syntheticPlan(3), cost: COST });
    expect(tableRows(html, "Monthly cost estimate")).to.deep.equal([
      "stack | item | quantity | unit | unit price | monthly",
      "connectivity-test | Site-to-Site VPN connection | 1460 | connection-hour | $0.05 | $73.00",
      "connectivity-test | us-east-1: stack total |  |  |  | $73.00",
      "workload-w01-test | Transit gateway VPC attachment | 730 | attachment-hour | $0.05 | $36.50",
      "workload-w01-test | us-east-1: stack total |  |  |  | $36.50",
      "environment | total |  |  |  | $109.50",
    ]);
    expect(tableRows(html, "Difference against the earlier plan")).to.deep.equal([
      "stack | monthly change",
      "workload-w01-test | $36.50",
      "total | $36.50",
    ]);
    expect(html).to.include("$109.50 a month");
    expect(renderReport(syntheticPlan(3))).not.to.include("Monthly cost estimate");
  });

  it("lists the flows, the failed one with where it stops, and the findings", () => {
    const html = renderReport(syntheticPlan(3));
    const flows = tableRows(html, "<h2>Flows</h2>");
    expect(flows).to.have.length(1 + 3);
    expect(flows[3]).to.equal(
      "✘ | allow site:site1 → workload:w01 tcp/any | connectivity-test hub-onprem: no route to 10.20.0.0/16",
    );
    expect(tableRows(html, "<h2>Policy findings</h2>")[2]).to.include(
      "attachment &lt;hub&gt; &amp; &quot;quoted&quot;",
    );
  });
});

describe("report: hybridnet plan --out DIR (dev)", function () {
  this.timeout(300_000);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "hybridnet-report-"));
  let plan: ReportPlan;

  before(() => {
    const run = hybridnet("plan", "--env", "dev", "--out", out);
    expect(run.code, run.stderr).to.equal(0);
    plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8"));
  });

  it("writes report.html and topology.svg beside plan.json, the SVG the same bytes as rendering plan.json", () => {
    const svg = fs.readFileSync(path.join(out, "topology.svg"), "utf8");
    expect(svg).to.equal(renderSvg(buildTopology(plan)));
    expect(fs.readFileSync(path.join(out, "report.html"), "utf8")).to.equal(renderReport(plan));
  });

  it("draws every element of dev: 3 accounts, 2 sites, the hub, 3 VPCs, 3 services, 4 endpoints, Client VPN", () => {
    const t = buildTopology(plan);
    expect(t.accounts.map((a) => a.title)).to.deep.equal([
      "connectivity-dev",
      "workload-app-dev",
      "workload-payments-dev",
    ]);
    expect(kinds(t)).to.deep.equal({
      elements: {
        clientVpn: 1,
        endpointService: 3,
        interfaceEndpoint: 4,
        site: 2,
        transitGateway: 1,
        vpc: 3,
      },
      links: { attachment: 3, clientVpn: 1, privateLink: 4, vpn: 2 },
    });
    const svg = parseXml(fs.readFileSync(path.join(out, "topology.svg"), "utf8"));
    const drawn = allElements(svg).filter((e) => e.attributes["data-element"]);
    expect(drawn).to.have.length(3 + 14 + 10);
    const urns = [...t.accounts, ...t.elements, ...t.links].flatMap((e) => e.urns);
    expect(urns).to.have.length(plan.summary.resources);
    expect(layoutProblems(layoutTopology(t))).to.deep.equal([]);
    // 34 intents; the 20 with a path are drawn (a deny that holds has none).
    expect(t.flows).to.have.length(34);
    expect(allElements(svg).filter((e) => /^flow /.test(e.attributes.class ?? ""))).to.have.length(20);
  });

  it("shows the plan's own cost estimate: dev's total, hand-computed in tests/cost.test.ts", () => {
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    const rows = tableRows(html, "Monthly cost estimate");
    expect(rows.length).to.be.greaterThan(3);
    expect(rows.at(-1)).to.equal("environment | total |  |  |  | $888.19");
    expect(rows.filter((r) => r.startsWith("connectivity-dev | us-east-1: stack total"))).to.deep.equal([
      "connectivity-dev | us-east-1: stack total |  |  |  | $747.13",
    ]);
  });
});

/** Staging as `hybridnet plan` reports it (its connections and flows), planned under mocks in this process. */
async function stagingReportPlan(): Promise<ReportPlan> {
  const { stacks, settings } = await plannedEnvironment("staging");
  const sites = siteDeclarations(settings);
  const connections = connectionsOfPlan(stacks, sites);
  const flows = checkEnvironmentFlows(networkFromPlan(stacks, sites), settings);
  return {
    env: "staging",
    stacks: stacks.map((s) => ({
      name: s.name,
      resources: [...s.resources],
      diagnostics: [],
      connections: connections.get(s.name),
    })),
    flows,
    summary: {
      resources: stacks.reduce((n, s) => n + s.resources.length, 0),
      mandatory: 0,
      advisory: 0,
      flows: { checked: flows.length, failed: flows.filter((f) => f.verdict === "fail").length },
    },
  };
}

describe("report: a software VPN appliance (staging)", function () {
  this.timeout(300_000);
  let plan: ReportPlan;
  let t: Topology;
  const WEB = "workload-web-staging";

  before(async () => {
    plan = await stagingReportPlan();
    t = buildTopology(plan);
  });

  it("draws every element of staging: the web workload's appliance pair among them, and its peer as a site", () => {
    expect(t.accounts.map((a) => a.title)).to.deep.equal([
      "connectivity-staging",
      "workload-web-staging",
      "workload-analytics-staging",
    ]);
    expect(kinds(t)).to.deep.equal({
      elements: {
        clientVpn: 1,
        directConnectGateway: 1,
        dxConnection: 1,
        endpointService: 3, // onprem, web, analytics
        gatewayEndpoint: 2, // s3 (web), dynamodb (analytics)
        interfaceEndpoint: 4, // to-web, to-analytics, web-onprem, analytics-onprem
        site: 3, // lon1 (hub VPN), lab (web's managed VPN), partner (web's software VPN)
        softwareVpnAppliance: 1,
        transitGateway: 2,
        virtualInterface: 2,
        vpc: 3,
        vpnGateway: 2, // dx-vgw, web-vpn-vgw
      },
      links: {
        applianceRoutes: 1,
        attachment: 3,
        clientVpn: 1,
        directConnect: 3,
        dxAssociation: 1,
        gatewayEndpoint: 2,
        privateLink: 4,
        tgwPeering: 1,
        vgwAttachment: 2,
        vpcPeering: 1,
        vpn: 3, // lon1, lab, partner
      },
    });
    expect(layoutProblems(layoutTopology(t))).to.deep.equal([]);
  });

  it("puts the appliance in the web account with its instances and tunnels, linked to the VPC and to site partner", () => {
    const appliance = t.elements.filter((e) => e.kind === "softwareVpnAppliance");
    expect(appliance).to.have.length(1);
    const [e] = appliance;
    expect(e.account).to.equal(WEB);
    expect(e.title).to.equal("Software VPN appliance web-swvpn");
    const eips = plan.stacks
      .find((s) => s.name === WEB)
      // The appliance's own (web's WireGuard server, hybridnet:remoteAccessVpn, has a third).
      ?.resources.filter(
        (r) => r.type === "aws:ec2/eipAssociation:EipAssociation" && r.name.startsWith("web-swvpn-"),
      )
      .map((r) => `${r.name} ${r.outputs?.publicIp}`);
    expect(eips).to.have.length(2);
    // The appliance takes the first address of each tunnel's /30 (169.254.200.0/30, 169.254.200.4/30), the peer the second.
    expect(e.lines).to.deep.equal([
      "ASN 65030",
      ...(eips ?? []),
      "partner: 169.254.200.1 ↔ 169.254.200.2",
      "partner: 169.254.200.5 ↔ 169.254.200.6",
    ]);
    expect(t.elements.find((x) => x.id === "site:partner")?.lines).to.deep.equal([
      "ASN 65300",
      "172.27.0.0/16",
      "web-swvpn: 2 tunnels from 198.51.100.60",
    ]);
    const link = t.links.find((l) => l.id === `vpn:${WEB}:web-swvpn:partner`);
    expect(link).to.include({
      from: "site:partner",
      to: e.id,
      label: "IPsec web-swvpn: 2 tunnels to peer partner (198.51.100.60), BGP",
    });
    const vpc = t.elements.find((x) => x.kind === "vpc" && x.account === WEB);
    expect(t.links.find((l) => l.kind === "applianceRoutes")).to.include({ from: vpc?.id, to: e.id });
  });

  it("claims every resource of the appliance component for its element or its tunnels' line, none for the account", () => {
    const web = plan.stacks.find((s) => s.name === WEB);
    const ofAppliance = (web?.resources ?? []).filter((r) => r.name.startsWith("web-swvpn"));
    expect(ofAppliance.length).to.be.greaterThan(20);
    const account = t.accounts.find((a) => a.title === WEB);
    for (const r of ofAppliance) expect(account?.urns, r.name).to.not.include(r.urn);
    const urns = [...t.accounts, ...t.elements, ...t.links].flatMap((x) => x.urns);
    expect(urns).to.have.length(plan.summary.resources);
    expect(new Set(urns).size).to.equal(urns.length);
  });

  it("draws the partner's flows through the appliance, and a dropped one stops at it", () => {
    const appliance = t.elements.find((e) => e.kind === "softwareVpnAppliance")?.id;
    const vpc = t.elements.find((x) => x.kind === "vpc" && x.account === WEB)?.id;
    const flow = (name: string) => t.flows.find((f) => f.name === name);
    expect(flow("site:partner → vpc:workload-web-staging over web-swvpn")?.elements).to.deep.equal([
      "site:partner",
      appliance,
      vpc,
    ]);
    expect(flow("vpc:workload-web-staging → site:partner over web-swvpn")?.elements).to.deep.equal([
      vpc,
      appliance,
      "site:partner",
    ]);
    const failing: ReportPlan = {
      ...plan,
      flows: plan.flows.map((f) =>
        f.name === "vpc:workload-web-staging → site:partner over web-swvpn"
          ? {
              ...f,
              verdict: "fail" as const,
              path: f.path.slice(0, 1),
              blockedAt: { ...f.path[1], direction: "forward" as const },
            }
          : f,
      ),
    };
    const blocked = buildTopology(failing).flows.find((f) =>
      f.name.startsWith("vpc:workload-web-staging → site:partner"),
    );
    expect(blocked?.blockedAt).to.equal(appliance);
  });
});
