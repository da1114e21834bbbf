/**
 * `npm run bench -- --only start`: what starting processes costs (docs/performance.md "Starting processes"),
 * each figure with its speed-up on and off, alternating, in the same run:
 * - a worker's start: forked as the pool forks it, CPU seconds (from /proc) when it has loaded the program;
 * - the command's start: `hybridnet plan` of an environment that does not exist (it loads the planner, then
 *   stops), CPU seconds of the command alone;
 * - a 10-workload landing zone planned with every start-up speed-up, without the prestart, without the stagger
 *   and without any: when the connectivity stack's first pass was done (its progress line) and the whole plan.
 * Linux only (/proc).
 */
import { type ChildProcess, fork, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureBuilt, ROOT } from "../cli/build";
import { compileCacheChild } from "../cli/compileCache";
import { nodeArgs, STACK_NODE_FLAGS } from "../cli/spawnStack";
import { writeLandingZone } from "./landingZone";

const BIN = path.join(ROOT, "bin", "hybridnet.js");
const PROGRAM = path.join(ROOT, ".build", "stacks", "index.js");

/** CPU seconds (user + system) a live process has used, from /proc. */
function cpuOf(child: ChildProcess): number {
  const fields = fs.readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A worker forked as the pool forks it, until it has loaded the program: its CPU seconds. */
function workerStart(cache: boolean): Promise<number> {
  const child = cache ? compileCacheChild() : { nodeFlags: [], env: { HYBRIDNET_COMPILE_CACHE: "off" } };
  const args = nodeArgs(path.join(ROOT, "cli", "stackWorker.ts"), "compiled", [
    ...STACK_NODE_FLAGS,
    ...child.nodeFlags,
  ]);
  const worker = fork(args[args.length - 1], [], {
    execArgv: args.slice(0, -1),
    env: { ...process.env, ...child.env },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return new Promise((done, failed) => {
    worker.on("error", failed);
    worker.on("message", () => {
      const cpu = cpuOf(worker);
      worker.on("exit", () => done(cpu));
      worker.disconnect();
    });
    worker.send({ preload: PROGRAM });
  });
}

/** The command's CPU seconds for `plan` of an environment that does not exist (it exits with 2). */
function commandStart(cache: boolean, stacks: string): number {
  // As `node bin/hybridnet.js plan …`: the command reads its arguments from process.argv[2] on.
  const script = `process.argv.splice(1, 0, "hybridnet"); process.on("exit", () => { const u = process.cpuUsage(); require("fs").writeSync(3, String((u.user + u.system) / 1e6)); }); require(${JSON.stringify(BIN)});`;
  const run = spawnSync(process.execPath, ["-e", script, "plan", "--env", "none", "--stacks", stacks], {
    env: { ...process.env, HYBRIDNET_PRESTART: "off", ...(cache ? {} : { HYBRIDNET_COMPILE_CACHE: "off" }) },
    stdio: ["ignore", "ignore", "ignore", "pipe"],
  });
  const cpu = Number(run.output[3]?.toString());
  if (run.status !== 2 || !(cpu > 0))
    throw new Error(`hybridnet plan --env none: exit ${run.status}, CPU ${cpu}`);
  return cpu;
}

/** `hybridnet plan` of `stacks`: seconds to the connectivity stack's first pass done, and to the end. */
function planTimes(stacks: string, env: Record<string, string>): Promise<{ first: number; total: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, "plan", "--env", "bench", "--stacks", stacks, "--json"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let first = Number.NaN;
  let text = "";
  child.stderr.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
    if (Number.isNaN(first) && /connectivity-bench \(pass 1\):/.test(text))
      first = performance.now() - started;
  });
  return new Promise((done) =>
    child.on("exit", () => done({ first: first / 1000, total: (performance.now() - started) / 1000 })),
  );
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const figures = (xs: number[], digits: number) =>
  `${mean(xs).toFixed(digits)} (${xs.map((x) => x.toFixed(digits)).join(", ")})`;

export async function benchStart(print: (line: string) => void, rounds = 4): Promise<void> {
  ensureBuilt();
  const stacks = writeLandingZone("bench", 10, 10);
  try {
    print(
      `starting processes (${os.availableParallelism()} cores; on and off alternating, ${rounds} rounds)`,
    );
    // One run of each first, so the caches are filled.
    await workerStart(true);
    commandStart(true, stacks);
    const worker: Record<string, number[]> = { on: [], off: [] };
    const command: Record<string, number[]> = { on: [], off: [] };
    for (let round = 0; round < rounds; round++) {
      worker.on.push(await workerStart(true));
      worker.off.push(await workerStart(false));
      command.on.push(commandStart(true, stacks));
      command.off.push(commandStart(false, stacks));
    }
    print(
      `  a worker's start, CPU-s: code cache ${figures(worker.on, 3)}; without ${figures(worker.off, 3)}`,
    );
    print(
      `  the command's start, CPU-s: code cache ${figures(command.on, 3)}; without ${figures(command.off, 3)}`,
    );
    const variants: Record<string, Record<string, string>> = {
      "every start-up speed-up": {},
      "no prestart": { HYBRIDNET_PRESTART: "off" },
      "no stagger": { HYBRIDNET_STAGGER: "off" },
      none: { HYBRIDNET_PRESTART: "off", HYBRIDNET_STAGGER: "off", HYBRIDNET_COMPILE_CACHE: "off" },
    };
    const times = new Map<string, { first: number; total: number }[]>();
    for (let round = 0; round < rounds; round++)
      for (const [name, env] of Object.entries(variants))
        times.set(name, [...(times.get(name) ?? []), await planTimes(stacks, env)]);
    print("  11 stacks (10 workloads): connectivity pass 1 done / whole plan, seconds");
    for (const [name, runs] of times)
      print(
        `    ${name.padEnd(24)} ${figures(
          runs.map((r) => r.first),
          2,
        )} / ${mean(runs.map((r) => r.total)).toFixed(2)}`,
      );
  } finally {
    fs.rmSync(stacks, { recursive: true, force: true });
  }
}
