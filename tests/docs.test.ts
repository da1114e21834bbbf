/**
 * The documentation a newcomer walks: README.md and docs/*.md. Every relative link resolves to a file of the
 * repository and, where it names a heading (`docs/plan.md#flows`), to a heading of that file, as GitHub renders
 * it; the README keeps the two commands of the quick start.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";

const ROOT = path.join(__dirname, "..");

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.+)$/.exec(line);
    if (!heading) continue;
    const base = heading[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** The relative links of a markdown text outside code: `[text](target)`, target without a scheme. */
function relativeLinks(markdown: string): string[] {
  const links: string[] = [];
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    if (fenced) continue;
    const prose = line.replace(/`[^`]*`/g, "");
    for (const match of prose.matchAll(/\]\(([^)\s]+)\)/g))
      if (!/^[a-z]+:/i.test(match[1])) links.push(match[1]);
  }
  return links;
}

/** The links of `file` (relative to the repository) that do not resolve, as `target: why`. */
function brokenLinks(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  const broken: string[] = [];
  for (const link of relativeLinks(text)) {
    const [target, anchor] = link.split("#");
    const resolved = target ? path.join(path.dirname(path.join(ROOT, file)), target) : path.join(ROOT, file);
    if (!fs.existsSync(resolved)) {
      broken.push(`${link}: no file ${path.relative(ROOT, resolved)}`);
      continue;
    }
    if (anchor && !headingAnchors(fs.readFileSync(resolved, "utf8")).has(anchor))
      broken.push(`${link}: no heading #${anchor} in ${path.relative(ROOT, resolved)}`);
  }
  return broken;
}

const DOCS = [
  "README.md",
  ...fs
    .readdirSync(path.join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

describe("documentation", () => {
  it("gives GitHub's anchors to headings", () => {
    const anchors = headingAnchors(
      "# Offline plan: `hybridnet plan`\n## ManagedVpn — AWS Managed VPN\n```sh\n# not a heading\n```\n## Rules\n## Rules\n",
    );
    expect([...anchors]).to.deep.equal([
      "offline-plan-hybridnet-plan",
      "managedvpn--aws-managed-vpn",
      "rules",
      "rules-1",
    ]);
  });

  it("finds relative links outside code and leaves web links alone", () => {
    expect(
      relativeLinks(
        "see [a](docs/a.md#x) and [b](https://aws.amazon.com) `[c](no.md)`\n```\n[d](e.md)\n```\n",
      ),
    ).to.deep.equal(["docs/a.md#x"]);
  });

  it("reports a link to a missing file or heading", () => {
    const dir = fs.mkdtempSync(path.join(ROOT, "tests", ".docs-"));
    try {
      fs.writeFileSync(path.join(dir, "a.md"), "# Title\n[ok](#title) [gone](b.md) [no](#nothing)\n");
      const broken = brokenLinks(path.relative(ROOT, path.join(dir, "a.md")));
      expect(broken).to.have.length(2);
      expect(broken[0]).to.match(/^b\.md: no file /);
      expect(broken[1]).to.match(/^#nothing: no heading #nothing/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has README.md and the docs/ pages, every relative link resolving", () => {
    expect(DOCS.length, "README.md and at least one docs page").to.be.greaterThan(5);
    for (const file of DOCS) expect(brokenLinks(file), file).to.deep.equal([]);
  });

  it("links every docs page from the README", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const linked = new Set(relativeLinks(readme).map((l) => l.split("#")[0]));
    for (const page of DOCS.filter((f) => f !== "README.md")) expect(linked, page).to.include(page);
  });

  it("keeps the quick start's commands in the README", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme).to.include("npm ci");
    expect(readme).to.include("npm start");
    expect(readme).to.include("npm test");
  });
});
