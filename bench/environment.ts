/**
 * Planning whole generated landing zones (bench/generate.ts `generateLandingZone`: one connectivity stack with
 * 40 VPN sites and N workload stacks) end to end, as a user does: `hybridnet plan --env bench --stacks DIR
 * --json` in a child process, with the policy pack and the flows. Each size runs in this run: the baseline
 * (`--no-warm`: a new process per stack pass, every pass, the pack after the last stack) once, and the planner
 * as it ships (warm workers, unchanged passes reused, the pack overlapped) {@link WARM_RUNS} times, of which the
 * table shows the median wall time (and the largest peak RSS): one run of a few seconds varies by a tenth on a
 * shared machine. A size with a baseline is also planned {@link AGAIN_ROUNDS} times in processes kept from plan
 * to plan ({@link plannedAgain}): the floor no plan that starts its processes gets below. Every plan must be
 * the same, run statistics aside.
 *
 * Peak RSS is summed over every process of the command's tree: every 50 ms the tree is walked from /proc
 * (each process's children by their parent pid) and the resident sizes (`VmRSS`) of its processes added up;
 * the figure is the largest sum seen. Linux only.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureBuilt, ROOT } from "../cli/build";
import { writeJsonDocument } from "../cli/jsonText";
import { KeptWorkers, planOffline } from "../cli/plan";
import { writeLandingZone } from "./landingZone";

/** Data centers of the connectivity stack, as in the environment of DESIGN.md (40 sites, 40 workloads). */
const SITES = 40;
const ENV = "bench";
/** Workload stacks of the environments the benchmark plans, unless `--env-sizes` says otherwise. */
export const ENV_SIZES = [10, 40, 200];
/** Runs of the warm planner per size, unless `--warm-runs` says otherwise; the table shows the median. */
export const WARM_RUNS = 3;

/** Plans of the same environment in one set of kept processes ({@link plannedAgain}); the last three's median. */
export const AGAIN_ROUNDS = 5;

/** The run of median wall time (the lower middle of an even count), with the largest peak RSS of all. */
export function medianRun<T extends { wallMs: number; peakRssBytes: number }>(runs: readonly T[]): T {
  if (runs.length === 0) throw new Error("no runs to take the median of");
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return { ...median, peakRssBytes: Math.max(...runs.map((r) => r.peakRssBytes)) };
}

interface Measured {
  wallMs: number;
  /** The largest sum of the tree's resident sizes seen, bytes. */
  peakRssBytes: number;
  /** The largest number of processes in the tree at once. */
  processes: number;
  /** CPU seconds (user + system) by kind of process: the command, stack processes or workers, the policy pack. */
  cpu: Record<string, number>;
  /** The plan JSON without run statistics. */
  plan: string;
  resources: number;
  stacks: number;
}

/** `root` and every process below it (its children, theirs, …), from /proc. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // The parent pid is the second field after the command name, which is in parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone since the listing.
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    found.push(pid);
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(root);
  return found;
}

/** The kind of process `pid` is, from its command line. */
function kindOf(pid: number): string {
  try {
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (/stackWorker\.js/.test(command)) return "workers";
    if (/stackProcess\.js/.test(command)) return "stack processes";
    if (/hybridnet\.js/.test(command)) return "command";
    if (/policy\/index\.(ts|js)/.test(command)) return "policy pack";
    return "other";
  } catch {
    return "other";
  }
}

/** CPU seconds (user + system) `pid` has used so far; undefined when it is gone. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name and state.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux). */
const CLOCK_TICKS = 100;

function rssBytes(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** The plan JSON without what differs from run to run: wall times and RSS. */
export function comparablePlan(json: string): string {
  const plan = JSON.parse(json) as { summary: { wallMs?: number }; stacks: { stats?: unknown }[] };
  delete plan.summary.wallMs;
  for (const stack of plan.stacks) delete stack.stats;
  return JSON.stringify(plan);
}

/**
 * `hybridnet plan` of the environment in `dir`, timed, its process tree's RSS sampled; `flags` adds options
 * (`--pack-process`, to measure the pack process against the analysis in the workers).
 */
export function planCommand(
  dir: string,
  baseline: boolean,
  flags: readonly string[] = [],
): Promise<Measured> {
  const out = path.join(dir, baseline ? "baseline.json" : `plan${flags.join("")}.json`);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, "bin", "hybridnet.js"),
      "plan",
      "--env",
      ENV,
      "--stacks",
      dir,
      "--json",
      ...(baseline ? ["--no-warm"] : []),
      ...flags,
    ],
    { cwd: ROOT, stdio: ["ignore", fs.openSync(out, "w"), "pipe"] },
  );
  let peak = 0;
  let processes = 0;
  /** Per process: its kind and the CPU seconds last seen (the last sample's; a process's final ticks are missed). */
  const cpu = new Map<number, { kind: string; seconds: number }>();
  const sample = () => {
    const pids = processTree(child.pid as number);
    processes = Math.max(processes, pids.length);
    for (const pid of pids) {
      const seconds = cpuSeconds(pid);
      if (seconds === undefined) continue;
      const known = cpu.get(pid);
      if (known) known.seconds = seconds;
      else cpu.set(pid, { kind: kindOf(pid), seconds });
    }
    peak = Math.max(
      peak,
      pids.reduce((sum, pid) => sum + rssBytes(pid), 0),
    );
  };
  const timer = setInterval(sample, 50);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on("close", (code) => {
      clearInterval(timer);
      const wallMs = performance.now() - started;
      // Exit 1 is a verdict (a flow or a policy), still a whole plan; 2 and 3 are not.
      if (code !== 0 && code !== 1) {
        reject(new Error(`hybridnet plan exited ${code}:\n${stderr.split("\n").slice(-15).join("\n")}`));
        return;
      }
      const json = fs.readFileSync(out, "utf8");
      const parsed = JSON.parse(json) as { stacks: unknown[]; summary: { resources: number } };
      resolve({
        wallMs,
        peakRssBytes: peak,
        processes,
        cpu: [...cpu.values()].reduce<Record<string, number>>((by, { kind, seconds }) => {
          by[kind] = (by[kind] ?? 0) + seconds;
          return by;
        }, {}),
        plan: comparablePlan(json),
        resources: parsed.summary.resources,
        stacks: parsed.stacks.length,
      });
    });
  });
}

/**
 * The environment in `dir` planned `rounds` times in this process with one set of warm workers kept from plan
 * to plan (cli/plan.ts `KeptWorkers`), each plan's JSON document written to a file as `hybridnet plan --out`
 * writes it: from the second plan on, no process starts and V8 has compiled and optimized the code of the
 * planner, the workers and the policy pack. So the later rounds are the floor of a plan that starts its
 * processes (as `hybridnet plan` does, in CI and at a desk alike), not a mode of the command. Returns each
 * round's wall time and its plan JSON without run statistics.
 */
export async function plannedAgain(dir: string, rounds: number): Promise<{ wallMs: number; plan: string }[]> {
  ensureBuilt();
  const kept = new KeptWorkers();
  const file = path.join(dir, "again.json");
  const measured: { wallMs: number; plan: string }[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      const result = await planOffline({ env: ENV, stacksDir: dir, keptWorkers: kept });
      const fd = fs.openSync(file, "w");
      try {
        writeJsonDocument(result, (text) => fs.writeSync(fd, text));
      } finally {
        fs.closeSync(fd);
      }
      measured.push({
        wallMs: performance.now() - started,
        plan: comparablePlan(fs.readFileSync(file, "utf8")),
      });
    }
  } finally {
    await kept.close();
  }
  return measured;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`.padStart(7);
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString("en-US")} MB`.padStart(9);

/**
 * Prints the environment benchmark: baseline and the planner, per size, in this run (the baseline of
 * `baselineSizes`; the planner `warmRuns` times, the median shown).
 */
export async function benchEnvironments(
  print: (line: string) => void,
  sizes: readonly number[] = ENV_SIZES,
  baselineSizes: readonly number[] = sizes,
  warmRuns = WARM_RUNS,
): Promise<void> {
  print("");
  print(
    `planning generated landing zones end to end (hybridnet plan --json, policy pack and flows; ${SITES} VPN sites; ${os.availableParallelism()} cores)`,
  );
  print("  (peak RSS: the largest sum of VmRSS over the command's process tree, sampled every 50 ms)");
  print("  stacks | resources |  baseline (--no-warm)  |  warm workers          | faster | targets");
  for (const workloads of sizes) {
    const dir = writeLandingZone(ENV, workloads, SITES);
    try {
      const base = baselineSizes.includes(workloads) ? await planCommand(dir, true) : undefined;
      const warm: Measured[] = [];
      for (let run = 0; run < warmRuns; run++) {
        const measured = await planCommand(dir, false);
        const expected = base?.plan ?? warm[0]?.plan;
        if (expected !== undefined && measured.plan !== expected)
          throw new Error(
            `${workloads} workloads: warm run ${run + 1}'s plan differs from the ${base ? "baseline's" : "first run's"} (${dir})`,
          );
        warm.push(measured);
      }
      const fast = medianRun(warm);
      const faster = base ? base.wallMs / fast.wallMs : Number.NaN;
      const targets =
        workloads === 40
          ? `≥15×: ${!base ? "no baseline run" : faster >= 15 ? "met" : "NOT met"}`
          : workloads === 200
            ? `<30 s: ${fast.wallMs < 30_000 ? "met" : "NOT met"}, <2 GB: ${fast.peakRssBytes < 2 * 2 ** 30 ? "met" : "NOT met"}`
            : "";
      print(
        `  ${String(fast.stacks).padStart(6)} | ${fast.resources.toLocaleString("en-US").padStart(9)} | ` +
          `${base ? `${seconds(base.wallMs)} ${mb(base.peakRssBytes)} (${String(base.processes).padStart(2)})` : "not run".padEnd(22)} | ` +
          `${seconds(fast.wallMs)} ${mb(fast.peakRssBytes)} (${String(fast.processes).padStart(2)}) | ` +
          `${(base ? `${faster.toFixed(1)}×` : "").padStart(6)} | ${targets}`,
      );
      const cpu = (m: Measured) =>
        `${Object.values(m.cpu)
          .reduce((a, b) => a + b, 0)
          .toFixed(1)} s (${Object.entries(m.cpu)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([kind, seconds]) => `${kind} ${seconds.toFixed(1)}`)
          .join(", ")})`;
      if (base) print(`           CPU, baseline: ${cpu(base)}`);
      print(`           CPU, warm:     ${cpu(fast)} (the median run)`);
      if (warm.length > 1)
        print(
          `           warm runs:     ${warm.map((m) => (m.wallMs / 1000).toFixed(1)).join(", ")} s (the median in the table; the largest peak RSS)`,
        );
      if (base) {
        const again = await plannedAgain(dir, AGAIN_ROUNDS);
        if (again.some((round) => round.plan !== base.plan))
          throw new Error(
            `${workloads} workloads: a plan planned again differs from the baseline's (${dir})`,
          );
        const floor = medianRun(again.slice(-3).map((round) => ({ ...round, peakRssBytes: 0 })));
        print(
          `           planned again: ${again.map((m) => (m.wallMs / 1000).toFixed(2)).join(", ")} s in one command process and kept workers;` +
            ` the last three's median ${(floor.wallMs / 1000).toFixed(2)} s, ${(base.wallMs / floor.wallMs).toFixed(1)}× the baseline (no process start, V8 warm: the floor)`,
        );
      }
      fs.rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      print(`  ${workloads} workloads: ${(e as Error).message}`);
      throw e;
    }
  }
  print("  (processes at once in parentheses; both plans identical, wall times and RSS aside)");
  const rest = ENV_SIZES.filter((n) => !sizes.includes(n));
  if (rest.length > 0) print(`  the other sizes: npm run bench -- --env-sizes ${rest.join(",")}`);
}
