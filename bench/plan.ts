/**
 * Planning generated environments of about 200, 2,000 and 10,000 resources (bench/generate.ts: regions, each
 * with a transit gateway hub, VPN sites and VPC attachments), each in a child process so its RSS is its own:
 *
 * - raw: the plain SDK mock run of the program (bench/rawStack.ts: `setMocks` with the shared mock model,
 *   the SDK as it ships, default node flags, through tsx as the tests run);
 * - stack process: cli/spawnStack.ts, which also records every resource and writes the plan as JSON;
 * - at 10,000, the same environment as two stacks (halves of the regions) in two processes at once;
 * - at 2,000, each cut added one at a time, every plan checked identical to the first.
 *
 * Every figure comes from this run: these machines differ up to 2× from day to day.
 */
import { spawn } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { ROOT } from "../cli/build";
import {
  inParallel,
  nodeArgs,
  type SpawnOptions,
  STACK_NODE_FLAGS,
  spawnStack,
  watchPeakRss,
} from "../cli/spawnStack";
import type { StackPlan, StackRequest } from "../cli/stackProcess";
import { type EnvironmentSize, expectedResources, generateRegions, regionCount, sizeFor } from "./generate";

const PROGRAM = path.join(ROOT, "bench", "hubProgram.ts");
const PROJECT = "bench";
/** The raw run at 10,000 resources takes most of a minute; stop it well before the benchmark gets long. */
const RAW_TIMEOUT_MS = 150_000;

interface Figure {
  wallMs: number;
  rssBytes: number;
  resources?: number;
  /** Why there is no plan (out of memory, stopped). */
  failed?: string;
}

function request(size: EnvironmentSize, slice?: { start: number; count: number }): StackRequest {
  return {
    program: PROGRAM,
    export: "hubProgram",
    project: PROJECT,
    stack: "bench",
    config: {
      [`${PROJECT}:sites`]: String(size.sites),
      [`${PROJECT}:attachments`]: String(size.attachments),
      ...(slice
        ? { [`${PROJECT}:regionStart`]: String(slice.start), [`${PROJECT}:regionCount`]: String(slice.count) }
        : {}),
    },
  };
}

/** The raw SDK mock run, in its own process with default node flags. */
function raw(size: EnvironmentSize): Promise<Figure> {
  const { config, program, project, stack } = request(size);
  const args = nodeArgs(path.join(ROOT, "bench", "rawStack.ts"), "tsx", []);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...args, JSON.stringify({ program, export: "hubProgram", project, stack, config })],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  const peak = watchPeakRss(child);
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, RAW_TIMEOUT_MS);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const polled = peak();
      if (code === 0) {
        const report = JSON.parse(out) as { resources: number; maxRssKiB: number };
        resolve({ wallMs, rssBytes: Math.max(polled, report.maxRssKiB * 1024), resources: report.resources });
      } else
        resolve({
          wallMs,
          rssBytes: polled,
          failed: timedOut
            ? `stopped after ${RAW_TIMEOUT_MS / 1000} s`
            : /heap out of memory|Reached heap limit/.test(err)
              ? "out of memory (4 GB heap)"
              : `failed: ${err.trim().split("\n").pop()}`,
        });
    });
  });
}

async function optimized(
  req: StackRequest,
  options: SpawnOptions = {},
): Promise<Figure & { plan: StackPlan }> {
  const run = await spawnStack(req, options);
  if (run.plan.error) throw new Error(`the generated program failed: ${run.plan.error.message}`);
  return {
    wallMs: run.wallMs,
    rssBytes: run.maxRssBytes,
    resources: run.plan.resources.length,
    plan: run.plan,
  };
}

/** The plan without its run statistics, for comparing plans made different ways. */
function comparable(plan: StackPlan): string {
  return JSON.stringify({ ...plan, stats: undefined });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`.padStart(7);
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`.padStart(8);
const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`.padStart(6);

/** Prints the planner benchmark line by line (it runs for a couple of minutes). */
export async function benchPlan(
  print: (line: string) => void,
  targets = [200, 2_000, 10_000],
): Promise<void> {
  print("");
  print(
    `planning generated environments: raw SDK mock run vs stack process (${os.availableParallelism()} cores)`,
  );
  print("  resources |      raw SDK mock run | stack process         | faster | less RSS");
  for (const target of targets) {
    const size = sizeFor(target);
    const expected = expectedResources(generateRegions(size));
    const base = await raw(size);
    const fast = await optimized(request(size));
    if (fast.resources !== expected || (base.resources !== undefined && base.resources !== expected))
      throw new Error(
        `expected ${expected} resources; raw run ${base.resources}, stack process ${fast.resources}`,
      );
    const rawText = base.failed
      ? `${base.failed.padEnd(21)}`
      : `${seconds(base.wallMs)} ${mb(base.rssBytes)}     `;
    print(
      `  ${String(expected).padStart(9)} | ${rawText} | ${seconds(fast.wallMs)} ${mb(fast.rssBytes)}      | ` +
        (base.failed
          ? `(raw: ${base.failed}; ${seconds(base.wallMs).trim()} until then)`
          : `${ratio(base.wallMs, fast.wallMs)} | ${ratio(base.rssBytes, fast.rssBytes)}`),
    );
    if (target === targets[targets.length - 1]) await split(size, fast, print);
  }
  await ladder(sizeFor(2_000), print);
}

/** The largest environment as two stacks (halves of its regions), one process per core. */
async function split(
  size: EnvironmentSize,
  whole: Figure & { plan: StackPlan },
  print: (line: string) => void,
) {
  const regions = regionCount(size);
  const half = Math.ceil(regions / 2);
  const slices = [
    { start: 0, count: half },
    { start: half, count: regions - half },
  ];
  const started = performance.now();
  const parts = await inParallel(slices, (slice) => optimized(request(size, slice)), 2);
  const wallMs = performance.now() - started;
  // The halves plan exactly what the whole plans.
  const key = (r: { urn: string }) => r.urn;
  const union = parts.flatMap((p) => p.plan.resources).sort((a, b) => key(a).localeCompare(key(b)));
  const all = [...whole.plan.resources].sort((a, b) => key(a).localeCompare(key(b)));
  if (JSON.stringify(union) !== JSON.stringify(all))
    throw new Error("the two half stacks did not plan what the whole stack plans");
  print(
    `  ${String(whole.resources).padStart(9)} | as 2 stacks of ${parts.map((p) => p.resources).join(" + ")}, both at once: ` +
      `${seconds(wallMs).trim()}, ${mb(Math.max(...parts.map((p) => p.rssBytes))).trim()} peak per process, ` +
      `${mb(parts.reduce((sum, p) => sum + p.rssBytes, 0)).trim()} together`,
  );
}

/** Each cut added one at a time at about 2,000 resources; every plan must equal the first. */
async function ladder(size: EnvironmentSize, print: (line: string) => void) {
  const steps: { what: string; options: SpawnOptions; lean: boolean }[] = [
    {
      what: "SDK as shipped, tsx, default node flags",
      options: { runner: "tsx", nodeFlags: [], env: { HYBRIDNET_SDK_CUTS: "none" } },
      lean: false,
    },
    {
      what: "+ --stack-trace-limit=0",
      options: { runner: "tsx", nodeFlags: ["--stack-trace-limit=0"], env: { HYBRIDNET_SDK_CUTS: "none" } },
      lean: false,
    },
    {
      what: "+ --max-semi-space-size=32",
      options: { runner: "tsx", nodeFlags: STACK_NODE_FLAGS, env: { HYBRIDNET_SDK_CUTS: "none" } },
      lean: false,
    },
    { what: "+ compiled JS, no tsx", options: { env: { HYBRIDNET_SDK_CUTS: "none" } }, lean: false },
    {
      what: "+ function serialization loaded on first call",
      options: { env: { HYBRIDNET_SDK_CUTS: "lazyClosure" } },
      lean: false,
    },
    {
      what: "+ debuggablePromise pass-through",
      options: { env: { HYBRIDNET_SDK_CUTS: "lazyClosure,promises" } },
      lean: false,
    },
    {
      what: "+ no per-resource stack capture",
      options: { env: { HYBRIDNET_SDK_CUTS: "lazyClosure,promises,callsites" } },
      lean: false,
    },
    {
      what: "+ outputs made on first read",
      options: { env: { HYBRIDNET_SDK_CUTS: "lazyClosure,promises,callsites,lazyOutputs" } },
      lean: false,
    },
    {
      what: "+ lean monitor (no protobuf answer)",
      options: { env: { HYBRIDNET_SDK_CUTS: "lazyClosure,promises,callsites,lazyOutputs" } },
      lean: true,
    },
    {
      what: "+ lean registration (no protobuf request)",
      options: { env: { HYBRIDNET_SDK_CUTS: "lazyClosure,promises,callsites,lazyOutputs,leanRegistration" } },
      lean: true,
    },
    { what: "+ bounded heap (old generation +35 %)", options: {}, lean: true },
  ];
  const expected = expectedResources(generateRegions(size));
  print("");
  print(`what each cut buys, ${expected} resources (stack process; each row adds one cut to the row above)`);
  let first: string | undefined;
  let previous: Figure | undefined;
  for (const step of steps) {
    const run = await optimized({ ...request(size), leanMonitor: step.lean }, step.options);
    const plan = comparable(run.plan);
    first ??= plan;
    if (plan !== first) throw new Error(`"${step.what}" planned something else than the SDK as shipped`);
    print(
      `  ${step.what.padEnd(46)} ${seconds(run.wallMs)} ${mb(run.rssBytes)}` +
        (previous ? `   ${ratio(previous.wallMs, run.wallMs)} faster than the row above` : ""),
    );
    previous = run;
  }
  print("  (every row planned the same resources and outputs)");
}
