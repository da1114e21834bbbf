/**
 * The plan document written in pieces (cli/jsonText): the same bytes as `JSON.stringify(value, null, 2)` and a
 * newline, the text ECMA-262's JSON.stringify defines, for every shape a plan document has (arrays of objects,
 * empty arrays, members JSON leaves out, non-ASCII text, escapes), in any batch size.
 */
import { expect } from "chai";
import { jsonPieces, writeJsonDocument } from "../cli/jsonText";

/** A document shaped like `hybridnet plan --json`'s, with the corners JSON.stringify treats specially. */
function planLike(): Record<string, unknown> {
  return {
    env: "dev",
    order: [
      { stack: "connectivity-dev", pass: 1 },
      { stack: "workload-app-dev", pass: 1 },
    ],
    stacks: [
      {
        name: "connectivity-dev",
        resources: [{ type: "aws:ec2/vpc:Vpc", name: "hub", inputs: { cidrBlock: "10.0.0.0/16", tags: {} } }],
        outputs: {},
        logs: [],
        connections: undefined,
      },
      { name: "workload-app-dev", resources: [], outputs: { secret: "[secret]", quote: 'a "b"\n\\c' } },
    ],
    flows: [{ name: "site:dc1 → vpc:app", path: [], reply: [], verdict: "pass" }, undefined, null, 7],
    changes: undefined,
    cost: { monthlyUsd: 36.5, stacks: [], missingPrices: [] },
    summary: { resources: 1, flows: { checked: 1, failed: 0 }, skip: () => 1 },
    empty: [],
    nothing: null,
  };
}

describe("the plan document in pieces (cli/jsonText)", () => {
  it("writes the bytes JSON.stringify(value, null, 2) and a newline write, in batches of any size", () => {
    const doc = planLike();
    const whole = `${JSON.stringify(doc, null, 2)}\n`;
    // The text written out: an element of a top-level array sits at depth 2, four spaces in.
    expect(whole).to.contain('\n  "flows": [\n    {\n      "name": "site:dc1 → vpc:app",');
    expect(whole).to.contain("\n    null,\n    null,\n    7\n  ],");
    for (const batch of [1, 7, 100, 1 << 20]) {
      const written: string[] = [];
      writeJsonDocument(doc, (text) => written.push(text), batch);
      expect(written.length, `batch ${batch}`).to.be.greaterThan(0);
      expect(written.join(""), `batch ${batch}`).to.equal(whole);
    }
    // Small batches write many pieces; one large batch writes the document at once.
    const pieces: string[] = [];
    writeJsonDocument(doc, (text) => pieces.push(text), 1);
    expect(pieces.length).to.be.greaterThan(10);
  });

  it("writes an object with no members, and values that are no plain object, whole", () => {
    const cases: unknown[] = [{}, { gone: undefined }, [1, [2]], "text", 3, null, new Date(0)];
    for (const value of cases) {
      expect([...jsonPieces(value)].join(""), JSON.stringify(value)).to.equal(JSON.stringify(value, null, 2));
    }
    expect([...jsonPieces({ gone: undefined })].join("")).to.equal("{}");
    expect([...jsonPieces(new Date(0))].join("")).to.equal('"1970-01-01T00:00:00.000Z"');
  });

  it("is not the text of another document: a changed element changes the pieces", () => {
    const doc = planLike();
    const before = [...jsonPieces(doc)].join("");
    (doc.flows as unknown[])[3] = 8;
    const after = [...jsonPieces(doc)].join("");
    expect(after).to.not.equal(before);
    expect(after).to.equal(JSON.stringify(doc, null, 2));
  });
});
