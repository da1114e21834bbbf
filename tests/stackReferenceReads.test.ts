import * as path from "node:path";
import { expect } from "chai";
import { ensureBuilt } from "../cli/build";
import { SDK_CUTS } from "../cli/sdkPins";
import { spawnStack } from "../cli/spawnStack";
import type { StackRequest } from "../cli/stackProcess";

const REFERENCED = "acme/hybridnet/connectivity-dev";
const NESTED = { subnets: [{ id: "subnet-0a1b2c3d", cidr: "10.0.0.0/24" }], tiers: { private: ["a", "b"] } };

function request(preview: boolean): StackRequest {
  return {
    program: path.join(__dirname, "fixtures", "referenceReads.ts"),
    export: "referenceReads",
    stack: "workload-dev",
    project: "hybridnet",
    config: { "hybridnet:referenced": REFERENCED },
    stackOutputs: {
      [REFERENCED]: {
        outputs: { nested: NESTED, text: "tgw-0123456789abcdef0", key: "referencedKey_0987654321" },
        secretOutputNames: ["key"],
      },
    },
    preview,
  };
}

type Read = [label: string, turn: number, result: unknown];

describe("stackReferenceReads: a StackReference's reads without copying every output", function () {
  this.timeout(60_000);

  before(() => {
    ensureBuilt();
  });

  for (const preview of [false, true])
    it(`answers each read as the SDK as shipped does, in the same microtask turn${preview ? " (preview)" : ""}`, async () => {
      const shipped = await spawnStack(
        { ...request(preview), leanMonitor: false },
        { nodeFlags: [], env: { HYBRIDNET_SDK_CUTS: "none" } },
      );
      // The other cuts change the SDK's turns (its debugging wrappers take turns): the turns are compared
      // with every other cut in place, the values with the SDK as shipped.
      const others = SDK_CUTS.filter((c) => c !== "stackReferenceReads");
      const without = await spawnStack(request(preview), { env: { HYBRIDNET_SDK_CUTS: others.join(",") } });
      const cut = await spawnStack(request(preview));
      expect(shipped.plan.stats.sdkCuts).to.deep.equal([]);
      expect(without.plan.stats.sdkCuts).to.deep.equal(others);
      expect(cut.plan.stats.sdkCuts).to.include("stackReferenceReads");
      expect(cut.plan.error).to.equal(undefined);
      const log = cut.plan.outputs.log as Read[];
      expect(log).to.have.length(16);
      const result = (label: string) => log.find(([l]) => l === label)?.[2];
      for (const when of ["", " (pending)"]) {
        expect(result(`nested${when}`)).to.deep.equal({ value: NESTED });
        expect(result(`secret${when}`)).to.deep.equal({ secretValue: "referencedKey_0987654321" });
        expect(result(`text${when}`)).to.equal("tgw-0123456789abcdef0");
        expect(result(`required${when}`)).to.equal("tgw-0123456789abcdef0");
        expect(result(`missing${when}`)).to.deep.equal({});
        expect(result(`inherited${when}`)).to.equal("function");
        expect(result(`outputName${when}`)).to.deep.equal({ value: "tgw-0123456789abcdef0" });
        expect(result(`secretValue${when}`)).to.equal(
          "error: Cannot call 'getOutputValue' if the referenced stack output is a secret. Use 'getOutput' instead.",
        );
      }
      expect(cut.plan.outputs.copies).to.equal(true);
      // Values, order and turns, read by read.
      expect(cut.plan.outputs).to.deep.equal(without.plan.outputs);
      const values = (reads: Read[]) => reads.map(([label, , value]) => [label, value]);
      expect(values(log)).to.deep.equal(values(shipped.plan.outputs.log as Read[]));
      expect(JSON.stringify(cut.plan.resources)).to.equal(JSON.stringify(shipped.plan.resources));
    });

  it("is one of the cuts a changed SDK refuses, naming the files it replaces", () => {
    const { movedSdkFiles } = require("../cli/sdkPins") as typeof import("../cli/sdkPins");
    expect(movedSdkFiles(["stackReferenceReads"])).to.deep.equal([]);
    expect(movedSdkFiles(["stackReferenceReads"], path.join(__dirname, "fixtures"))).to.deep.equal([
      "stackReferenceReads: stackReference.js",
      "stackReferenceReads: output.js",
    ]);
  });
});
