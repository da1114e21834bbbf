/**
 * How the planner's workers start (docs/performance.md "Starting processes"): the first worker forked as the
 * command starts and adopted by the pool, the others started one after another, the pool's size. They change
 * when a worker is up, never what it plans: plans are compared with and without each.
 */
import { type ChildProcess, execFileSync, spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { ensureBuilt, ROOT } from "../cli/build";
import { STACKS_DIR } from "../cli/plan";
import { defaultPoolSize, prestartWorker, WorkerPool } from "../cli/workerPool";
import { readStackFiles } from "../model/environment";
import { alive } from "./processes";

const PROGRAM = path.join(STACKS_DIR, "index.ts");
const BIN = path.join(ROOT, "bin", "hybridnet.js");

/** The pool's worker processes (private: what the tests check is which processes it runs). */
function childrenOf(pool: WorkerPool): ChildProcess[] {
  return (pool as unknown as { workers: { child: ChildProcess }[] }).workers.map((w) => w.child);
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  return check();
}

const connectivityDev = () => {
  const file = readStackFiles(STACKS_DIR, "dev").find((f) => f.stack === "connectivity-dev");
  if (!file) throw new Error("no connectivity-dev in dev");
  return {
    program: PROGRAM,
    stack: "connectivity-dev",
    project: "hybridnet",
    config: file.config,
    stackOutputs: {},
  };
};

describe("starting the planner's workers", function () {
  this.timeout(300_000);
  before(() => {
    ensureBuilt();
  });

  it("a pool adopts the worker forked before it for the same options, which plans what a fresh worker plans", async () => {
    const pid = prestartWorker({ preload: PROGRAM });
    expect(pid).to.be.a("number");
    const adopting = new WorkerPool({ size: 1, preload: PROGRAM });
    const fresh = new WorkerPool({ size: 1, preload: PROGRAM });
    try {
      adopting.warm();
      expect(childrenOf(adopting).map((c) => c.pid)).to.deep.equal([pid]);
      // No prestarted worker left: the next pool forks its own.
      fresh.warm();
      expect(childrenOf(fresh)[0].pid).to.not.equal(pid);
      const [a, b] = await Promise.all([adopting.run(connectivityDev()), fresh.run(connectivityDev())]);
      expect(a.plan.resources.length).to.be.greaterThan(50);
      expect({ ...a.plan, stats: undefined }).to.deep.equal({ ...b.plan, stats: undefined });
    } finally {
      await Promise.all([adopting.close(), fresh.close()]);
    }
  });

  it("a pool with other options does not adopt it", async () => {
    const pid = prestartWorker({ preload: PROGRAM, compileCache: false }) as number;
    const pool = new WorkerPool({ size: 1, preload: PROGRAM });
    try {
      pool.warm();
      expect(childrenOf(pool)[0].pid).to.not.equal(pid);
      // Adopted by the pool it was forked for.
      const other = new WorkerPool({ size: 1, preload: PROGRAM, compileCache: false });
      other.warm();
      expect(childrenOf(other)[0].pid).to.equal(pid);
      await other.close();
    } finally {
      await pool.close();
    }
  });

  it("a process that never adopts its prestarted worker exits, and the worker exits with it", async () => {
    const script = `const pid = require(${JSON.stringify(path.join(ROOT, ".build", "cli", "workerPool.js"))}).prestartWorker({ preload: ${JSON.stringify(PROGRAM)} }); process.stdout.write(String(pid));`;
    const started = Date.now();
    const pid = Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
    expect(pid).to.be.greaterThan(0);
    // The parent did not wait for the worker to load (several seconds on a loaded machine).
    expect(Date.now() - started).to.be.lessThan(60_000);
    expect(await until(() => !alive(pid), 60_000)).to.equal(true);
  });

  it("starts the workers one after another: the next when the one before has loaded the program", async () => {
    const staggered = new WorkerPool({ size: 2, preload: PROGRAM, stagger: true });
    const together = new WorkerPool({ size: 2, preload: PROGRAM, stagger: false });
    try {
      staggered.warm();
      together.warm();
      expect(childrenOf(staggered)).to.have.length(1);
      expect(childrenOf(together)).to.have.length(2);
      expect(await until(() => childrenOf(staggered).length === 2, 120_000)).to.equal(true);
      const [a, b] = await Promise.all([staggered.run(connectivityDev()), together.run(connectivityDev())]);
      expect({ ...a.plan, stats: undefined }).to.deep.equal({ ...b.plan, stats: undefined });
    } finally {
      await Promise.all([staggered.close(), together.close()]);
    }
  });

  it("sizes the pool by HYBRIDNET_WORKERS when set to a count, else one worker per core", () => {
    expect(defaultPoolSize({ HYBRIDNET_WORKERS: "1" })).to.equal(1);
    expect(defaultPoolSize({ HYBRIDNET_WORKERS: "3" })).to.equal(3);
    for (const bad of [undefined, "", "0", "-1", "1.5", "two"])
      expect(defaultPoolSize({ HYBRIDNET_WORKERS: bad })).to.equal(os.availableParallelism());
  });

  it("`hybridnet plan` plans the same with every start-up speed-up and with none of them", () => {
    const plan = (env: Record<string, string>) => {
      const run = spawnSync(process.execPath, [BIN, "plan", "--env", "dev", "--json"], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        encoding: "utf8",
        maxBuffer: 256 * 2 ** 20,
      });
      expect(run.status, run.stderr).to.equal(0);
      const result = JSON.parse(run.stdout) as {
        summary: { wallMs?: number };
        stacks: { stats?: unknown }[];
      };
      delete result.summary.wallMs;
      for (const stack of result.stacks) delete stack.stats;
      return result;
    };
    const fast = plan({});
    const none = plan({
      HYBRIDNET_PRESTART: "off",
      HYBRIDNET_STAGGER: "off",
      HYBRIDNET_COMPILE_CACHE: "off",
      HYBRIDNET_WORKERS: "1",
    });
    expect(fast.stacks.length).to.be.greaterThan(2);
    expect(fast).to.deep.equal(none);
  });
});
