/**
 * The planner's speed-ups (docs/performance.md "Whole environments"): warm workers that plan many stacks each,
 * a second pass reused when nothing it reads changed, the policy pack overlapped with the stack runs. They
 * change how long a plan takes, never what it says: every plan here is compared with the baseline's (a new
 * process per stack pass, every pass, the pack after the last stack). Speed is measured by `npm run bench`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { processTree } from "../bench/environment";
import { writeLandingZone } from "../bench/landingZone";
import { WIRE_SECRET_SIG, WIRE_SIG_KEY } from "../cli/analyzer";
import { ensureBuilt, POLICY_PACK_DIR } from "../cli/build";
import type { PackTarget } from "../cli/inProcessPack";
import {
  ALL_SPEED_UPS,
  KeptWorkers,
  NO_SPEED_UPS,
  type PlanResult,
  planOffline,
  STACKS_DIR,
  speedUpsOf,
} from "../cli/plan";
import { childEnvironment, type SpawnedStack, StackProcessError } from "../cli/spawnStack";
import type { StackRequest } from "../cli/stackProcess";
import { prestartWorker, WorkerPool, wholeRun } from "../cli/workerPool";
import { readStackFiles } from "../model/environment";
import { DEFAULT_ORGANIZATION, qualifiedStackName } from "../model/stackConfig";
import { withEnvironment } from "./withEnvironment";

const PROGRAM = path.join(STACKS_DIR, "index.ts");
const FIXTURES = path.join(__dirname, "fixtures", "stackPrograms.ts");

/** A plan without what differs from run to run: wall times and RSS. */
function comparable(result: PlanResult): unknown {
  const copy = JSON.parse(JSON.stringify(result)) as PlanResult;
  delete (copy.summary as { wallMs?: number }).wallMs;
  for (const stack of copy.stacks) delete (stack as { stats?: unknown }).stats;
  return copy;
}

/** A run without its statistics: the plan and the outputs referencing stacks read. */
function planOf(run: SpawnedStack): unknown {
  return { ...run.plan, stats: undefined, reference: run.reference };
}

/** The pass-1 request of `stack` of environment `env` in the reference stacks, with `stackOutputs`. */
function stackRequest(
  env: string,
  stack: string,
  stackOutputs: StackRequest["stackOutputs"] = {},
): StackRequest {
  const file = readStackFiles(STACKS_DIR, env).find((f) => f.stack === stack);
  if (!file) throw new Error(`no stack ${stack} in ${env}`);
  return { program: PROGRAM, stack, project: "hybridnet", config: file.config, stackOutputs };
}

describe("planning with warm workers", function () {
  // Baseline plans start a process per stack pass; a loaded machine takes minutes for the four environments.
  this.timeout(900_000);

  before(() => {
    ensureBuilt();
  });

  describe("plans exactly what the baseline plans", () => {
    const generated = writeLandingZone("gen", 3, 4);
    after(() => fs.rmSync(generated, { recursive: true, force: true }));
    const cases: { env: string; stacksDir?: string }[] = [
      { env: "dev" },
      { env: "staging" },
      { env: "prod" },
      { env: "gen", stacksDir: generated },
    ];
    for (const { env, stacksDir } of cases)
      it(`${env}${stacksDir ? " (generated: 3 workloads, 4 sites)" : ""}: the same plan JSON, wall times and RSS aside`, async () => {
        const options = { env, ...(stacksDir ? { stacksDir } : {}) };
        const baseline = await planOffline({ ...options, speedUps: NO_SPEED_UPS });
        const fast = await planOffline(options);
        expect(baseline.stacks.length).to.be.greaterThan(2);
        expect(baseline.summary.resources).to.be.greaterThan(100);
        expect(comparable(fast)).to.deep.equal(comparable(baseline));
      });
  });

  describe("plans the same without the registration cuts of the stack processes and workers", () => {
    // cli/offlineSdk.ts: `leanRegistration` and `boundedHeap` off, the cuts before them on, in every process.
    const EARLIER_CUTS = "lazyClosure,promises,callsites,lazyOutputs";
    const generated = writeLandingZone("regs", 2, 3);
    after(() => fs.rmSync(generated, { recursive: true, force: true }));
    for (const { env, stacksDir } of [{ env: "staging" }, { env: "regs", stacksDir: generated }])
      it(`${env}: the same plan JSON, every key in the same order`, async () => {
        const options = { env, ...(stacksDir ? { stacksDir } : {}) };
        const earlier = await withEnvironment({ HYBRIDNET_SDK_CUTS: EARLIER_CUTS }, () =>
          planOffline(options),
        );
        const fast = await planOffline(options);
        expect(earlier.summary.resources).to.be.greaterThan(100);
        expect(JSON.stringify(comparable(fast))).to.equal(JSON.stringify(comparable(earlier)));
      });
  });

  describe("analyzes in the workers what the policy pack process finds", () => {
    it("a generated environment with findings (policy config): the same plan with the pack process over gRPC", async () => {
      const stacksDir = writeLandingZone("gen", 3, 4);
      try {
        // Every VPC outside the only supernet allowed, mandatory: a finding in every stack.
        const policyConfig = {
          "vpc-cidr-in-supernets": { enforcementLevel: "mandatory" as const, supernets: ["192.168.0.0/16"] },
        };
        const lines: string[] = [];
        const options = { env: "gen", stacksDir, policyConfig };
        const viaPack = await planOffline({ ...options, speedUps: { policiesInWorkers: false } });
        const inWorkers = await planOffline({ ...options, progress: (line) => lines.push(line) });
        expect(viaPack.summary.mandatory).to.be.greaterThanOrEqual(4);
        expect(comparable(inWorkers)).to.deep.equal(comparable(viaPack));
        // No pack process: its analysis lines are the gRPC path's.
        expect(lines.filter((l) => l.includes("policy pack"))).to.deep.equal([]);
      } finally {
        fs.rmSync(stacksDir, { recursive: true, force: true });
      }
    });
  });

  describe("workers kept from one plan to the next", () => {
    /** The planner's warm workers below this process (cli/stackWorker), by pid. */
    const workerPids = (): number[] =>
      processTree(process.pid)
        .filter((pid) => {
          try {
            return (
              pid !== process.pid && fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("stackWorker")
            );
          } catch {
            return false;
          }
        })
        .sort((a, b) => a - b);

    it("plans again in the same processes what new workers plan, with another policy config, and stop when closed", async () => {
      const stacksDir = writeLandingZone("kept", 3, 4);
      const kept = new KeptWorkers();
      try {
        const options = { env: "kept", stacksDir };
        // Every VPC outside the only supernet allowed, mandatory: a finding in every stack of the second plan.
        const policyConfig = {
          "vpc-cidr-in-supernets": { enforcementLevel: "mandatory" as const, supernets: ["192.168.0.0/16"] },
        };
        const first = await planOffline({ ...options, keptWorkers: kept });
        const workers = workerPids();
        expect(workers).to.have.length.greaterThan(0);
        const again = await planOffline({ ...options, policyConfig, keptWorkers: kept });
        expect(workerPids()).to.deep.equal(workers);
        const fresh = await planOffline({ ...options, policyConfig });
        expect(first.summary.mandatory).to.equal(0);
        expect(again.summary.mandatory).to.be.greaterThanOrEqual(4);
        expect(comparable(again)).to.deep.equal(comparable(fresh));
      } finally {
        await kept.close();
        fs.rmSync(stacksDir, { recursive: true, force: true });
      }
      expect(workerPids()).to.deep.equal([]);
    });
  });

  describe("a worker reused across stacks", () => {
    /** A file of /proc of the worker a pool adopts (forked ahead, as the plan command's is), split at NULs. */
    const adoptedWorkerFile = async (file: "cmdline" | "environ"): Promise<string[]> => {
      const pid = prestartWorker({});
      const pool = new WorkerPool({ size: 1 });
      try {
        pool.warm();
        expect(pid).to.be.a("number");
        return fs.readFileSync(`/proc/${pid}/${file}`, "utf8").split("\0");
      } finally {
        await pool.close();
      }
    };

    it("runs with a young generation of 64 MB and V8's interrupt budget at 256 KiB", async () => {
      const args = await adoptedWorkerFile("cmdline");
      expect(args).to.include("--max-semi-space-size=64");
      expect(args).to.include("--stack-trace-limit=0");
      expect(args.filter((a) => a.startsWith("--max-semi-space-size"))).to.have.length(1);
      // Node 20's default is 67,584 bytes; the workers optimize later (cli/spawnStack.ts).
      expect(args).to.include("--interrupt-budget=262144");
    });

    it("starts without NODE_EXTRA_CA_CERTS, which Node.js would read at every start", async () => {
      // An empty bundle: a worker that got it would start as before, only slower.
      const environment = await withEnvironment({ NODE_EXTRA_CA_CERTS: "/dev/null" }, () =>
        adoptedWorkerFile("environ"),
      );
      expect(environment.filter((v) => v.startsWith("NODE_EXTRA_CA_CERTS="))).to.deep.equal([]);
      // The rest of the caller's environment is the worker's.
      expect(environment).to.include(`PATH=${process.env.PATH}`);
    });

    it("keeps NODE_EXTRA_CA_CERTS when the pool's own environment sets it", () => {
      const parent = { PATH: "/usr/bin", NODE_EXTRA_CA_CERTS: "/etc/ssl/certs/ca-certificates.crt" };
      expect(childEnvironment(parent)).to.deep.equal({ PATH: "/usr/bin" });
      expect(childEnvironment(parent, { NODE_EXTRA_CA_CERTS: "/opt/ca.pem" })).to.deep.equal({
        PATH: "/usr/bin",
        NODE_EXTRA_CA_CERTS: "/opt/ca.pem",
      });
      // The caller's environment is not changed.
      expect(parent.NODE_EXTRA_CA_CERTS).to.equal("/etc/ssl/certs/ca-certificates.crt");
    });

    it("plans a stack after others exactly as a fresh worker plans it alone", async () => {
      const connectivity = stackRequest("dev", "connectivity-dev");
      const alone = new WorkerPool({ size: 1 });
      const reused = new WorkerPool({ size: 1 });
      try {
        const hub = await alone.run(connectivity);
        expect(hub.reference?.outputs.transitGatewayId).to.be.a("string");
        const outputs = {
          [qualifiedStackName(DEFAULT_ORGANIZATION, "connectivity-dev")]: hub.reference ?? { outputs: {} },
        };
        const workload = stackRequest("dev", "workload-app-dev", outputs);
        const fresh = new WorkerPool({ size: 1 });
        const first = await fresh.run(workload).finally(() => fresh.close());
        expect(first.plan.resources.length).to.be.greaterThan(20);
        // Another environment's stacks, a failing program and the same stack before it, all in one process.
        await reused.run(stackRequest("prod", "connectivity-prod"));
        const refused = await reused.run({
          program: FIXTURES,
          export: "privateDeviceAddress",
          stack: "x",
          project: "hybridnet",
        });
        expect(refused.plan.error?.name).to.equal("ValidationError");
        await reused.run(connectivity);
        const after = await reused.run(workload);
        const again = await reused.run(workload);
        expect(planOf(after)).to.deep.equal(planOf(first));
        expect(planOf(again)).to.deep.equal(planOf(first));
      } finally {
        await Promise.all([alone.close(), reused.close()]);
      }
    });

    it("reports a worker that crashes with the stack it was planning, and plans the next stack on a new one", async () => {
      const pool = new WorkerPool({ size: 1 });
      try {
        const ok = await pool.run({
          program: FIXTURES,
          export: "twoSites",
          stack: "a",
          project: "hybridnet",
        });
        expect(ok.plan.resources.length).to.be.greaterThan(5);
        const crash = await pool
          .run({ program: FIXTURES, export: "crashes", stack: "crashing-stack", project: "hybridnet" })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(crash).to.be.instanceOf(StackProcessError);
        expect((crash as Error).message).to.match(/^stack process for crashing-stack exited with code 70:/);
        expect((crash as Error).message).to.include("this program crashes its process on purpose");
        const next = await pool.run({
          program: FIXTURES,
          export: "twoSites",
          stack: "b",
          project: "hybridnet",
        });
        expect(next.plan.resources.length).to.equal(ok.plan.resources.length);
      } finally {
        await pool.close();
      }
    });

    it("reports a worker that runs out of heap as out of memory, naming the stack", async () => {
      const pool = new WorkerPool({
        size: 1,
        nodeFlags: ["--stack-trace-limit=0", "--max-old-space-size=64"],
      });
      try {
        const error = await pool
          .run({ program: FIXTURES, export: "fillsHeap", stack: "big-stack", project: "hybridnet" })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error).to.be.instanceOf(StackProcessError);
        expect((error as StackProcessError).outOfMemory).to.equal(true);
        expect((error as Error).message).to.match(/^stack process for big-stack ran out of heap/);
      } finally {
        await pool.close();
      }
    });
  });

  describe("schedules stack runs before analyses, and answers before big plans", () => {
    // Every VPC outside the only supernet allowed, mandatory: a finding in every stack with a VPC.
    const pack: PackTarget = {
      packDir: POLICY_PACK_DIR,
      entry: path.join(POLICY_PACK_DIR, "index.ts"),
      config: { "vpc-cidr-in-supernets": { enforcementLevel: "mandatory", supernets: ["192.168.0.0/16"] } },
    };
    const connectivity = stackRequest("dev", "connectivity-dev");

    it("plans the stack queued after a run before analyzing that run, with the same diagnostics", async () => {
      const held = new WorkerPool({ size: 1, holdAnalyses: true, resourcesAfter: true });
      const atOnce = new WorkerPool({ size: 1 });
      try {
        const first = await held.run(connectivity, pack);
        const outputs = {
          [qualifiedStackName(DEFAULT_ORGANIZATION, "connectivity-dev")]: first.reference ?? { outputs: {} },
        };
        const workload = stackRequest("dev", "workload-app-dev", outputs);
        let analyzed = false;
        first.analysis?.then(() => {
          analyzed = true;
        });
        const second = await held.run(workload, pack);
        // The one worker planned the workload first: the connectivity plan waited, held, for its analysis.
        expect(analyzed).to.equal(false);
        const heldFindings = [await first.analysis, await second.analysis];
        const expected = [await atOnce.run(connectivity, pack), await atOnce.run(workload, pack)];
        const expectedFindings = [await expected[0].analysis, await expected[1].analysis];
        expect(expectedFindings[0]?.length).to.be.greaterThan(0);
        expect(expectedFindings[1]?.length).to.be.greaterThan(0);
        expect(heldFindings).to.deep.equal(expectedFindings);
        // The answers came without the resources; the resources followed, the same as the plan at once.
        expect(first.plan.resources).to.deep.equal([]);
        expect(first.resourceCount).to.equal(expected[0].plan.resources.length);
        expect(planOf(await wholeRun(first))).to.deep.equal(planOf(expected[0]));
        expect(planOf(await wholeRun(second))).to.deep.equal(planOf(expected[1]));
      } finally {
        await Promise.all([held.close(), atOnce.close()]);
      }
    });

    it("hands every held plan to its worker before finishAnalyses returns, not after the caller's next turn", async () => {
      const pool = new WorkerPool({ size: 1, holdAnalyses: true, resourcesAfter: true });
      try {
        const first = await pool.run(connectivity, pack);
        const outputs = {
          [qualifiedStackName(DEFAULT_ORGANIZATION, "connectivity-dev")]: first.reference ?? { outputs: {} },
        };
        const second = await pool.run(stackRequest("dev", "workload-app-dev", outputs), pack);
        // Both plans held: the pool hands spare time to analyses only in a later turn.
        expect(pool.analysesWaiting).to.equal(2);
        const finished = pool.finishAnalyses();
        // The planner's tail runs right after, synchronously: the worker must have its work already.
        expect(pool.analysesWaiting).to.equal(0);
        await finished;
        const findings = [await first.analysis, await second.analysis];
        expect(findings[0]?.length).to.be.greaterThan(0);
        expect(findings[1]?.length).to.be.greaterThan(0);
      } finally {
        await pool.close();
      }
    });

    it("holds analyses again for the runs after finishAnalyses (another plan in a pool kept across plans)", async () => {
      const pool = new WorkerPool({ size: 1, holdAnalyses: true, resourcesAfter: true });
      try {
        const earlier = await pool.run(connectivity, pack);
        await pool.finishAnalyses();
        expect((await earlier.analysis)?.length).to.be.greaterThan(0);
        // The next plan: its first run's analysis waits, held, while the run queued after it is planned.
        const first = await pool.run(connectivity, pack);
        let analyzed = false;
        first.analysis?.then(() => {
          analyzed = true;
        });
        const outputs = {
          [qualifiedStackName(DEFAULT_ORGANIZATION, "connectivity-dev")]: first.reference ?? { outputs: {} },
        };
        await pool.run(stackRequest("dev", "workload-app-dev", outputs), pack);
        expect(analyzed).to.equal(false);
        expect(pool.analysesWaiting).to.equal(2);
        await pool.finishAnalyses();
        expect(pool.analysesWaiting).to.equal(0);
        expect(await first.analysis).to.deep.equal(await earlier.analysis);
      } finally {
        await pool.close();
      }
    });

    it("fails a held plan's analysis with its stack's error when its worker crashes", async () => {
      const pool = new WorkerPool({ size: 1, holdAnalyses: true, resourcesAfter: true });
      try {
        const ok = await pool.run(
          { program: FIXTURES, export: "twoSites", stack: "held-stack", project: "hybridnet" },
          pack,
        );
        expect(ok.analysis).to.not.equal(undefined);
        const crash = await pool
          .run({ program: FIXTURES, export: "crashes", stack: "crashing-stack", project: "hybridnet" })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect((crash as Error).message).to.match(/^stack process for crashing-stack exited with code 70:/);
        const lost = await ok.analysis?.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(lost).to.be.instanceOf(StackProcessError);
        expect((lost as Error).message).to.match(/^stack process for held-stack exited with code 70:/);
      } finally {
        await pool.close();
      }
    });

    it("analyzes held plans on idle workers too: the same plan as analyses at once and the pack process", async () => {
      const stacksDir = writeLandingZone("held", 3, 2);
      try {
        const options = { env: "held", stacksDir, policyConfig: pack.config };
        const atOnce = await planOffline({
          ...options,
          speedUps: { analysesLast: false, resourcesAfter: false },
        });
        const viaPack = await planOffline({ ...options, speedUps: { policiesInWorkers: false } });
        const held = await withEnvironment({ HYBRIDNET_WORKERS: "3" }, () => planOffline(options));
        expect(atOnce.summary.mandatory).to.be.greaterThanOrEqual(4);
        expect(JSON.stringify(comparable(held))).to.equal(JSON.stringify(comparable(atOnce)));
        expect(JSON.stringify(comparable(viaPack))).to.equal(JSON.stringify(comparable(atOnce)));
      } finally {
        fs.rmSync(stacksDir, { recursive: true, force: true });
      }
    });

    it("turns the new schedule off by HYBRIDNET_SPEED_UPS_OFF, and --no-warm has none of it", () => {
      expect(speedUpsOf({}, {})).to.deep.equal(ALL_SPEED_UPS);
      expect(speedUpsOf({}, { HYBRIDNET_SPEED_UPS_OFF: "analysesLast, resourcesAfter" })).to.deep.equal({
        ...ALL_SPEED_UPS,
        analysesLast: false,
        resourcesAfter: false,
      });
      expect(
        speedUpsOf({ analysesLast: false }, { HYBRIDNET_SPEED_UPS_OFF: "nonsense" }).analysesLast,
      ).to.equal(false);
      expect(speedUpsOf(NO_SPEED_UPS, {})).to.deep.equal(NO_SPEED_UPS);
      expect(Object.values(NO_SPEED_UPS).every((on) => on === false)).to.equal(true);
    });
  });

  it("writes the secret wire markers the SDK uses", () => {
    const rpc = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string };
    expect(WIRE_SIG_KEY).to.equal(rpc.specialSigKey);
    expect(WIRE_SECRET_SIG).to.equal(rpc.specialSecretSig);
  });
});
