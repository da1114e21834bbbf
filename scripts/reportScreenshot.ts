/**
 * Regenerates docs/report-dev.png, the README's picture of the report: plans the dev environment offline,
 * writes its report, opens it in headless Chromium (scripts/chromium.ts) at 1600×1000, moves the mouse over
 * the transit gateway so the details panel shows its resources, and saves a screenshot.
 *
 *   npm run report-screenshot   (npx tsx scripts/reportScreenshot.ts [--out FILE])
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { planOffline } from "../cli/plan";
import { writeReport } from "../cli/report";
import { Chromium, chromiumPath } from "./chromium";

const ROOT = path.resolve(__dirname, "..");

async function main(): Promise<void> {
  const at = process.argv.indexOf("--out");
  const target = at > 0 ? path.resolve(process.argv[at + 1]) : path.join(ROOT, "docs", "report-dev.png");
  if (!chromiumPath())
    throw new Error("chromium not installed (Debian: apt-get install --no-install-recommends chromium)");
  const result = await planOffline({ env: "dev", progress: (line) => process.stderr.write(`${line}\n`) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hybridnet-report-"));
  writeReport(dir, result);
  const browser = Chromium.launch();
  try {
    const page = await browser.open(`file://${path.join(dir, "report.html")}`, 1600, 1000);
    const box = await browser.evaluate<{ x: number; y: number }>(
      page,
      `(() => { const r = document.querySelector('[data-element^="tgw:"] rect').getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()`,
    );
    await browser.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: box.x, y: box.y }, page);
    fs.writeFileSync(target, await browser.screenshot(page));
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stderr.write(`wrote ${path.relative(process.cwd(), target)}\n`);
}

main().catch((e) => {
  process.stderr.write(`report-screenshot: ${(e as Error).message}\n`);
  process.exit(1);
});
