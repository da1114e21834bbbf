/**
 * The policy pack loaded in process (cli/inProcessPack.ts), as the planner's warm workers run it, against the
 * pack process the gRPC path drives (cli/analyzer.ts, what `pulumi preview --policy-pack policy` talks to):
 * the same resources, the same config, the same diagnostics, byte for byte. The gRPC pack is the reference.
 */
import * as fs from "node:fs";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { expect } from "chai";
import { writeLandingZone } from "../bench/landingZone";
import {
  analyzeRequest,
  analyzeStackRequest,
  type Diagnostic,
  PolicyPackClient,
  type PolicyPackConfig,
  type ResourceToAnalyze,
  receivedProperties,
  StackWire,
  WIRE_SECRET_SIG,
  WIRE_SIG_KEY,
} from "../cli/analyzer";
import { compilePack, ensureBuilt, POLICY_PACK_DIR } from "../cli/build";
import { InProcessPack, type PackTarget } from "../cli/inProcessPack";
import { STACKS_DIR } from "../cli/plan";
import { chosenPolicyCuts, editedServer, POLICY_CUTS } from "../cli/policyCuts";
import { receivedAnalyzeRequest, receivedAnalyzeStackRequest } from "../cli/receivedRequests";
import { WorkerPool } from "../cli/workerPool";
import { readStackFiles } from "../model/environment";
import { runStack } from "../stacks/program";
import { runEnvironment } from "./environment";
import { runProgram } from "./harness";

/** The resources as they are, and with deletion protection off and every secret sent as plain text. */
function variants(resources: readonly ResourceToAnalyze[]): [string, ResourceToAnalyze[]][] {
  return [
    ["as planned", [...resources]],
    ["protection and secrets stripped", resources.map((r) => ({ ...r, protect: false, secretInputs: [] }))],
  ];
}

/** Calls getter `name` of a request (a protobuf message, or cli/receivedRequests.ts's). */
function read(request: unknown, name: string): unknown {
  return (request as Record<string, (this: unknown) => unknown>)[name].call(request);
}

/** Everything @pulumi/policy 1.21's `analyze` handler reads of a request (server.js), as JSON. */
function handlerReads(request: unknown): Record<string, unknown> {
  const options = read(request, "getOptions");
  const timeouts = read(options, "getCustomtimeouts");
  const provider = read(request, "getProvider");
  const properties = (of: unknown) => read(read(of, "getProperties"), "toJavaScript");
  return {
    type: read(request, "getType"),
    name: read(request, "getName"),
    urn: read(request, "getUrn"),
    properties: properties(request),
    options: [
      "getProtect",
      "getIgnorechangesList",
      "getAliasesList",
      "getAdditionalsecretoutputsList",
      "getDeletebeforereplacedefined",
      "getDeletebeforereplace",
      "getParent",
    ].map((getter) => read(options, getter)),
    timeouts: ["getCreate", "getUpdate", "getDelete"].map((getter) => read(timeouts, getter)),
    provider: provider
      ? ["getType", "getName", "getUrn"]
          .map((getter) => read(provider, getter))
          .concat([properties(provider)])
      : null,
  };
}

/** Everything the `analyzeStack` handler reads of one of the stack's resources, as JSON. */
function stackHandlerReads(resource: unknown): Record<string, unknown> {
  const map = read(resource, "getPropertydependenciesMap") as {
    entries(): Iterable<[string, { getUrnsList(): string[] }]>;
  };
  return {
    ...handlerReads(resource),
    parent: read(resource, "getParent"),
    dependencies: read(resource, "getDependenciesList"),
    propertyDependencies: [...map.entries()].map(([key, urns]) => [key, urns.getUrnsList()]),
  };
}

/** Every policy's VPC supernet moved off the plan's addresses, mandatory: a finding on every VPC. */
const STRICT: PolicyPackConfig = {
  "vpc-cidr-in-supernets": { enforcementLevel: "mandatory", supernets: ["192.168.0.0/16"] },
  "vpn-tunnel-logging": "disabled",
};

describe("the policy pack in process", function () {
  this.timeout(600_000);
  let grpc: PolicyPackClient | undefined;
  let local: InProcessPack | undefined;

  before(async () => {
    ensureBuilt();
    grpc = await PolicyPackClient.start();
    local = InProcessPack.load(POLICY_PACK_DIR, compilePack(POLICY_PACK_DIR));
  });
  after(async () => {
    await grpc?.close();
  });

  /** Both packs' diagnostics of `resources` under `config`. */
  async function both(resources: readonly ResourceToAnalyze[], config: PolicyPackConfig = {}) {
    if (!grpc || !local) throw new Error("the packs did not start");
    await grpc.configure(config);
    await local.configure(config);
    return { viaGrpc: await grpc.analyzeAll(resources), inProcess: await local.analyzeAll(resources) };
  }

  it("serves the same pack: name, version and policies", async () => {
    const info = await local?.getAnalyzerInfo();
    expect(info?.name).to.equal("hybridnet");
    expect(info?.version).to.equal(
      JSON.parse(fs.readFileSync(`${POLICY_PACK_DIR}/package.json`, "utf8")).version,
    );
    expect(info).to.deep.equal(await grpc?.getAnalyzerInfo());
  });

  it("hands the pack each resource's properties as it decodes them from the wire: same JSON, same key order", async () => {
    let compared = 0;
    // The SDK hands the recorder properties with sorted keys; another SDK need not.
    const unsorted: ResourceToAnalyze = {
      type: "aws:ec2/vpc:Vpc",
      name: "unsorted",
      urn: "urn:pulumi:s::p::aws:ec2/vpc:Vpc::unsorted",
      inputs: {
        tags: { b: "1", a: "2" },
        cidrBlock: "10.0.0.0/16",
        "10": [{ z: 1, y: null, x: undefined }],
        "9": 2,
        // What JSON does with values that are not JSON: null, dropped, or converted.
        odd: [undefined, Number.NaN, Number.POSITIVE_INFINITY, -0, () => 1],
        missing: undefined,
        bare: Object.assign(Object.create(null), { b: [1], a: "x" }),
      },
      secretInputs: ["tags"],
    };
    // Not plain data: converted through JSON (a Date's toJSON, a class instance's own fields).
    const dated: ResourceToAnalyze = {
      ...unsorted,
      name: "dated",
      inputs: {
        at: new Date(0),
        point: new (class Point {
          y = 2;
          x = 1;
        })(),
        tags: { z: "1" },
      },
      secretInputs: ["at", "missing"],
    };
    const all = [{ runs: [{ resources: { all: [unsorted, dated] } }] }];
    for (const env of ["dev", "prod"]) all.push(await runEnvironment(env));
    for (const { runs } of all) {
      for (const run of runs)
        for (const [variant, resources] of variants(run.resources.all)) {
          const wire = new StackWire(resources, "wire");
          const received = new StackWire(resources, "received");
          for (const r of resources) {
            const sent = wire.properties(r);
            const type = sent.constructor as unknown as { deserializeBinary(b: Uint8Array): typeof sent };
            const decoded = type.deserializeBinary(sent.serializeBinary()).toJavaScript();
            expect(JSON.stringify(received.properties(r).toJavaScript()), `${r.urn} ${variant}`).to.equal(
              JSON.stringify(decoded),
            );
            compared++;
          }
        }
    }
    expect(compared).to.be.greaterThan(500);
  });

  it("hands the handlers requests whose getters answer what the decoded messages' answer", async () => {
    const seen = { provider: 0, parent: 0, propertyDependencies: 0, protect: 0, requests: 0 };
    // Keys out of order, an empty dependency list, a provider, a parent: what the SDK's records may not show.
    const provider: ResourceToAnalyze = {
      type: "pulumi:providers:aws",
      name: "p",
      urn: "urn:pulumi:s::p::pulumi:providers:aws::p",
      inputs: { region: "eu-west-1" },
    };
    const odd: ResourceToAnalyze = {
      type: "aws:ec2/subnet:Subnet",
      name: "odd",
      urn: "urn:pulumi:s::p::aws:ec2/subnet:Subnet::odd",
      parent: provider.urn,
      provider: `${provider.urn}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`,
      protect: true,
      inputs: { vpcId: "vpc-1" },
      dependencies: [provider.urn],
      propertyDependencies: { vpcId: [provider.urn], cidrBlock: [provider.urn], tags: [] },
      additionalSecretOutputs: ["arn"],
    };
    const synthetic = { runs: [{ step: { stack: "synthetic" }, resources: { all: [provider, odd] } }] };
    for (const env of ["synthetic", "dev", "prod"]) {
      const { runs } = env === "synthetic" ? synthetic : await runEnvironment(env);
      const last = new Map(runs.map((r) => [r.step.stack, r]));
      for (const [stack, run] of last)
        for (const [variant, resources] of variants(run.resources.all)) {
          const wire = new StackWire(resources, "wire");
          const received = new StackWire(resources, "received");
          const decodedStack = pb.AnalyzeStackRequest.deserializeBinary(
            analyzeStackRequest(wire).serializeBinary(),
          ).getResourcesList();
          const receivedStack = read(receivedAnalyzeStackRequest(received), "getResourcesList") as unknown[];
          expect(receivedStack.length).to.equal(decodedStack.length);
          resources.forEach((r, i) => {
            const decoded = pb.AnalyzeRequest.deserializeBinary(analyzeRequest(r, wire).serializeBinary());
            const got = handlerReads(receivedAnalyzeRequest(r, received));
            expect(JSON.stringify(got), `${stack} ${variant} ${r.urn}`).to.equal(
              JSON.stringify(handlerReads(decoded)),
            );
            const stackGot = stackHandlerReads(receivedStack[i]);
            expect(JSON.stringify(stackGot), `${stack} ${variant} ${r.urn} (stack)`).to.equal(
              JSON.stringify(stackHandlerReads(decodedStack[i])),
            );
            seen.requests++;
            if (got.provider) seen.provider++;
            if (stackGot.parent) seen.parent++;
            if ((stackGot.propertyDependencies as unknown[]).length > 0) seen.propertyDependencies++;
            if ((got.options as unknown[])[0]) seen.protect++;
          });
        }
    }
    for (const [what, count] of Object.entries(seen)) expect(count, what).to.be.greaterThan(0);
  });

  it("converts properties as JSON does: undefined dropped from objects and null in arrays, NaN null, keys sorted", () => {
    const received = receivedProperties(
      { b: { d: 1, c: [undefined, Number.NaN] }, a: "s", u: undefined, n: -0 },
      ["b", "u"],
    );
    expect(JSON.stringify(received)).to.equal(
      `{"a":"s","b":{"${WIRE_SIG_KEY}":"${WIRE_SECRET_SIG}","value":{"c":[null,null],"d":1}},"n":0}`,
    );
  });

  it("edits only the pinned server.js of @pulumi/policy, each cut on its own switch; a changed file refuses", () => {
    expect(local?.cuts).to.deep.equal(chosenPolicyCuts());
    expect(chosenPolicyCuts(undefined)).to.deep.equal([
      "resourceOnce",
      "stackOnce",
      "typeFilter",
      "plainRequests",
    ]);
    expect(chosenPolicyCuts("none")).to.deep.equal([]);
    expect(chosenPolicyCuts("stackOnce")).to.deep.equal(["stackOnce"]);
    const server = require.resolve("@pulumi/policy/server");
    const original = fs.readFileSync(server, "utf8");
    expect(editedServer(server, [])).to.equal(original);
    // plainRequests edits nothing: it changes the requests cli/inProcessPack.ts builds.
    expect(editedServer(server, ["plainRequests"])).to.equal(original);
    const edited = POLICY_CUTS.filter((cut) => cut !== "plainRequests").map((cut) =>
      editedServer(server, [cut]),
    );
    expect(edited.length).to.equal(3);
    for (const source of edited) expect(source).not.to.equal(original);
    const moved = `${fs.mkdtempSync("/tmp/policy-cuts-")}/server.js`;
    try {
      fs.writeFileSync(moved, `${original}\n`);
      expect(() => editedServer(moved, POLICY_CUTS)).to.throw(`${moved} differs`);
    } finally {
      fs.rmSync(moved.replace(/\/server\.js$/, ""), { recursive: true, force: true });
    }
  });

  it("loads only the project's own pack, once per process", () => {
    expect(() => InProcessPack.load("/tmp", "/tmp/index.js")).to.throw(
      "policy pack /tmp is outside the project: run it as a process (PolicyPackClient)",
    );
    expect(() => InProcessPack.load(`${POLICY_PACK_DIR}/rules`, "x.js")).to.throw(/already runs policy pack/);
    expect(InProcessPack.load(POLICY_PACK_DIR, "not loaded again")).to.equal(local);
  });

  it("refuses config for a rule the pack does not have, as the pack process does", async () => {
    const refused = await local?.configure({ "no-such-rule": "mandatory" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((refused as Error).message).to.equal(
      'policy config names "no-such-rule", which pack hybridnet does not have',
    );
  });

  it("dev, staging, prod (last passes; as planned and stripped): the gRPC pack's diagnostics, byte for byte", async () => {
    const found: Diagnostic[] = [];
    let compared = 0;
    for (const env of ["dev", "staging", "prod"]) {
      const { runs } = await runEnvironment(env);
      const last = new Map(runs.map((r) => [r.step.stack, r]));
      for (const [stack, run] of last)
        for (const [variant, resources] of variants(run.resources.all)) {
          const { viaGrpc, inProcess } = await both(resources);
          expect(JSON.stringify(inProcess), `${stack}, ${variant}`).to.equal(JSON.stringify(viaGrpc));
          found.push(...inProcess);
          compared++;
        }
    }
    expect(compared).to.equal(18);
    // Stripped, prod breaks the rules that read protection and secrets (docs/policy.md).
    const policies = new Set(found.map((d) => d.policy));
    for (const policy of ["prod-deletion-protection", "vpn-psk-secret", "dx-bgp-auth-key"])
      expect([...policies], policy).to.include(policy);
    expect(found.filter((d) => d.level === "mandatory").length).to.be.greaterThan(10);
  });

  it("a generated environment with policy config: the gRPC pack's diagnostics", async () => {
    const dir = writeLandingZone("gen", 3, 4);
    try {
      const { runs } = await runEnvironment("gen", dir);
      const last = new Map(runs.map((r) => [r.step.stack, r]));
      expect(last.size).to.equal(4);
      let vpcFindings = 0;
      for (const [stack, run] of last)
        for (const config of [{}, STRICT]) {
          const { viaGrpc, inProcess } = await both(run.resources.all, config);
          expect(JSON.stringify(inProcess), stack).to.equal(JSON.stringify(viaGrpc));
          vpcFindings += inProcess.filter((d) => d.policy === "vpc-cidr-in-supernets").length;
        }
      // One VPC per stack, outside 192.168.0.0/16.
      expect(vpcFindings).to.be.greaterThanOrEqual(4);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a preview (unknown ids and outputs): the gRPC pack's diagnostics", async () => {
    const config = readStackFiles(STACKS_DIR, "prod").find((f) => f.stack === "connectivity-prod")?.config;
    const run = await runProgram(() => runStack(), { stack: "connectivity-prod", config, preview: true });
    if (run.error) expect.fail(`the program failed: ${run.error.stack}`);
    const unknown = run.resources.all.filter((r) =>
      JSON.stringify(r.inputs).includes("04da6b54-80e4-46f7-96ec"),
    );
    expect(unknown.length, "resources with unknown inputs").to.be.greaterThan(0);
    for (const [variant, resources] of variants(run.resources.all)) {
      const { viaGrpc, inProcess } = await both(resources);
      expect(JSON.stringify(inProcess), variant).to.equal(JSON.stringify(viaGrpc));
    }
  });

  it("on a warm worker: a plan's analysis, and the analysis of resources planned earlier, as the gRPC pack's", async () => {
    const { runs } = await runEnvironment("prod");
    const hub = [...runs].reverse().find((r) => r.step.stack === "connectivity-prod");
    if (!hub) throw new Error("no connectivity-prod run");
    const stripped = hub.resources.all.map((r) => ({ ...r, protect: false }));
    const pack: PackTarget = { packDir: POLICY_PACK_DIR, entry: `${POLICY_PACK_DIR}/index.ts`, config: {} };
    const pool = new WorkerPool({ size: 1, preloadPack: pack });
    try {
      const config = readStackFiles(STACKS_DIR, "prod").find((f) => f.stack === "connectivity-prod")?.config;
      const run = await pool.run(
        { program: `${STACKS_DIR}/index.ts`, stack: "connectivity-prod", project: "hybridnet", config },
        { ...pack, config: STRICT },
      );
      expect(run.plan.resources.length).to.be.greaterThan(50);
      const planned = await run.analysis;
      expect(planned?.filter((d) => d.policy === "vpc-cidr-in-supernets").length).to.be.greaterThan(0);
      expect(JSON.stringify(planned)).to.equal(
        JSON.stringify((await both(run.plan.resources, STRICT)).viaGrpc),
      );
      const analyzed = await pool.analyze("connectivity-prod", stripped, pack);
      expect(analyzed.filter((d) => d.policy === "prod-deletion-protection").length).to.be.greaterThan(0);
      const { viaGrpc } = await both(stripped);
      expect(JSON.stringify(analyzed)).to.equal(JSON.stringify(viaGrpc));
      const refused = await pool
        .analyze("connectivity-prod", stripped, { ...pack, config: { "no-such-rule": "advisory" } })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect((refused as Error).message).to.equal(
        'policy config names "no-such-rule", which pack hybridnet does not have',
      );
    } finally {
      await pool.close();
    }
  });

  it("on a worker with @pulumi/policy's handlers as they are (HYBRIDNET_POLICY_CUTS=none): the gRPC pack's diagnostics", async () => {
    const { runs } = await runEnvironment("prod");
    const last = new Map(runs.map((r) => [r.step.stack, r]));
    const pack: PackTarget = { packDir: POLICY_PACK_DIR, entry: compilePack(POLICY_PACK_DIR), config: {} };
    const pool = new WorkerPool({ size: 1, env: { HYBRIDNET_POLICY_CUTS: "none" } });
    let compared = 0;
    try {
      for (const [stack, run] of last)
        for (const [variant, resources] of variants(run.resources.all)) {
          const analyzed = await pool.analyze(stack, resources, pack);
          const { viaGrpc } = await both(resources);
          expect(JSON.stringify(analyzed), `${stack}, ${variant}`).to.equal(JSON.stringify(viaGrpc));
          compared++;
        }
    } finally {
      await pool.close();
    }
    expect(compared).to.equal(6);
  });
});
