/**
 * `report.html` in a real browser: Debian's headless Chromium, driven over the DevTools protocol on a pipe
 * (scripts/chromium.ts). The page loads with no console error or exception and fetches nothing but itself;
 * the diagram is visible; moving the mouse over an element shows its URNs and findings in the details
 * panel; the text Chromium draws is no wider than the layout assumed; a screenshot comes back. Without
 * Chromium: "skipped: chromium not installed" (CI installs it, .ci/run).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { buildTopology, renderReport } from "../model/report";
import { CHAR_WIDTH } from "../model/report/layout";
import { Chromium, chromiumPath } from "../scripts/chromium";
import { syntheticPlan } from "./reportFixtures";

describe("report.html in headless Chromium", function () {
  this.timeout(60_000);
  const plan = syntheticPlan(10);
  const topology = buildTopology(plan);
  let browser: Chromium | undefined;
  let page = "";
  const problems: string[] = [];
  const requests: string[] = [];

  before(async function () {
    if (!chromiumPath()) {
      console.log("      skipped: chromium not installed");
      return this.skip();
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hybridnet-report-"));
    const file = path.join(dir, "report.html");
    fs.writeFileSync(file, renderReport(plan, topology));
    browser = Chromium.launch();
    browser.onEvent((m) => {
      if (m.method === "Runtime.exceptionThrown")
        problems.push(`exception: ${m.params.exceptionDetails.text}`);
      if (m.method === "Runtime.consoleAPICalled" && ["error", "assert", "warning"].includes(m.params.type))
        problems.push(`console.${m.params.type}: ${JSON.stringify(m.params.args)}`);
      if (m.method === "Log.entryAdded" && ["error", "warning"].includes(m.params.entry.level))
        problems.push(`log ${m.params.entry.level}: ${m.params.entry.text}`);
      if (m.method === "Network.requestWillBeSent") requests.push(m.params.request.url);
    });
    // Network is enabled before the page loads: every request the page makes is seen.
    const { targetId } = await browser.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await browser.send("Target.attachToTarget", { targetId, flatten: true });
    page = sessionId;
    for (const domain of ["Page", "Runtime", "Log", "Network"])
      await browser.send(`${domain}.enable`, {}, page);
    await browser.send(
      "Emulation.setDeviceMetricsOverride",
      { width: 1600, height: 1000, deviceScaleFactor: 1, mobile: false },
      page,
    );
    const loaded = browser.waitFor("Page.loadEventFired", page);
    await browser.send("Page.navigate", { url: `file://${file}` }, page);
    await loaded;
  });

  after(async () => browser?.close());

  it("loads with no console error or exception, and fetches nothing but itself", () => {
    expect(problems).to.deep.equal([]);
    expect(requests).to.have.length.greaterThan(0);
    expect(requests.filter((u) => !u.startsWith("file://"))).to.deep.equal([]);
  });

  it("shows the diagram", async () => {
    const svg = await browser?.evaluate<{ w: number; h: number; boxes: number }>(
      page,
      `(() => { const r = document.querySelector("#diagram svg").getBoundingClientRect();
        return { w: r.width, h: r.height, boxes: document.querySelectorAll("#diagram svg rect").length }; })()`,
    );
    expect(svg?.w).to.be.greaterThan(500);
    expect(svg?.h).to.be.greaterThan(300);
    expect(svg?.boxes).to.be.greaterThan(30);
  });

  /** Moves the mouse to the middle of (or `dx`, `dy` into) an element's box; returns the details panel's text. */
  async function hover(id: string, at?: { dx: number; dy: number }): Promise<string> {
    const b = browser as Chromium;
    const box = await b.evaluate<{ x: number; y: number; w: number; h: number }>(
      page,
      `(() => { const g = document.querySelector('[data-element="${id}"] rect'); g.scrollIntoView({ block: "center", inline: "center" });
        const r = g.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; })()`,
    );
    const x = at ? box.x + at.dx : box.x + box.w / 2;
    const y = at ? box.y + at.dy : box.y + box.h / 2;
    await b.send("Input.dispatchMouseEvent", { type: "mouseMoved", x, y }, page);
    return b.evaluate<string>(page, `document.getElementById("details").textContent`);
  }

  it("shows an element's resources (URNs) in the details panel when the mouse is over it", async () => {
    const endpoint = topology.elements.find((e) => e.id === "vpce:vpce-0tow03");
    expect(endpoint?.urns).to.have.length(3);
    const details = await hover("vpce:vpce-0tow03");
    expect(details).to.include("Endpoint to-w03");
    for (const urn of endpoint?.urns ?? []) expect(details).to.include(urn);
    expect(details).to.include("policy findings (0)");
  });

  it("shows an account's findings when the mouse is over its header", async () => {
    const details = await hover("account:connectivity-test", { dx: 12, dy: 10 });
    expect(details).to.include("connectivity-test");
    expect(details).to.include("mandatory tgw-default-route-table: a finding with no resource");
  });

  it("draws no text wider than the layout allowed for it", async () => {
    const widest = await browser?.evaluate<{ text: string; ratio: number }>(
      page,
      `(() => { let w = { text: "", ratio: 0 };
        for (const t of document.querySelectorAll("#diagram svg g[data-element] > text")) {
          const ratio = t.getComputedTextLength() / (t.textContent.length * ${CHAR_WIDTH});
          if (ratio > w.ratio) w = { text: t.textContent, ratio };
        } return w; })()`,
    );
    expect(widest?.text).not.to.equal("");
    expect(widest?.ratio, widest?.text).to.be.at.most(1);
  });

  it("takes a screenshot", async () => {
    const png = await browser?.screenshot(page);
    expect(png?.subarray(0, 8).toString("hex")).to.equal("89504e470d0a1a0a");
    expect(png?.length).to.be.greaterThan(20_000);
  });
});
