/**
 * Starts one stack process (cli/stackProcess.ts) with the node flags that make the SDK's mock runtime fast,
 * hands it its request on stdin, and returns its plan, the outputs referencing stacks need (kept apart from
 * the plan: they hold secret values) and the peak RSS of the child.
 *
 * The child runs as plain JavaScript compiled into `.build/` (cli/build.ts, automatic and incremental): a
 * TypeScript loader costs about a second of start-up per process and, with its source maps, time at every
 * resource. `runner: "tsx"` runs the sources through tsx instead.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compiledPath, ensureBuilt, ensureCompiled, ROOT } from "./build";
import type { ReferencedStack } from "./mockRuntime";
import type { StackPlan, StackRequest, StackSidecar } from "./stackProcess";

/**
 * Node flags for a stack process; see docs/performance.md for what each buys.
 * - `--stack-trace-limit=0`: the SDK creates Error objects per promise and per resource; without frames
 *   they cost next to nothing.
 * - `--max-semi-space-size=32` (MB): a program's objects live until its registrations settle, so a small
 *   young generation promotes nearly all of them through repeated scavenges; a larger one scavenges less.
 */
export const STACK_NODE_FLAGS: readonly string[] = ["--stack-trace-limit=0", "--max-semi-space-size=32"];

/**
 * V8's interrupt budget for the warm workers and the `hybridnet plan` command (bin/hybridnet.js sets it when the
 * command starts): 256 KiB of bytecode run before a function is considered for optimization, four times Node
 * 20's default (66 KiB). A plan runs each function for a fraction of a second, on two cores shared by two
 * workers and the command; with the default, V8 optimizes (on background threads, which take CPU from the other
 * processes) much of what it will not run long enough to pay back. The 41-stack plan 3.49 → 3.13 s with it in
 * the workers, 3.14 → 3.04 s with it in the command too; 201 stacks 10.15 → 9.65 s (alternating runs,
 * docs/performance.md). Stack processes keep the default: one stack of 10,001 resources took the same time
 * with it.
 */
export const INTERRUPT_BUDGET_FLAG = "--interrupt-budget=262144";

/**
 * Node flags for a warm stack worker (cli/workerPool.ts): a stack process's, with a young generation of 64 MB
 * instead of 32, and {@link INTERRUPT_BUDGET_FLAG}. A worker plans dozens of stacks one after another and each
 * pass's registration chains die together when it ends, so fewer, larger scavenges copy less: the 41-stack plan
 * 3.43 → 3.35 s and the 201-stack plan 10.2 → 9.85 s (medians of alternating runs, docs/performance.md). The
 * stack process keeps 32: one stack of 10,001 resources must peak at 500 MB at most.
 */
export const WORKER_NODE_FLAGS: readonly string[] = [
  ...STACK_NODE_FLAGS.filter((flag) => !flag.startsWith("--max-semi-space-size=")),
  "--max-semi-space-size=64",
  INTERRUPT_BUDGET_FLAG,
];

/**
 * The environment a stack process or a warm worker starts with: the caller's, without `NODE_EXTRA_CA_CERTS`
 * (unless `own`, the caller's additions, sets it). Node.js reads and parses that file of certificates at every
 * start, before any code runs: 56 ms of the 80 a `node -e 0` took on the benchmark's machine, where it names the
 * system's bundle of about 140. These processes open no TLS connection: the offline plan answers every
 * registration and call from the mocks.
 */
export function childEnvironment(
  parent: NodeJS.ProcessEnv,
  own: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _unused, ...rest } = parent;
  return { ...rest, ...own };
}

export interface SpawnOptions {
  /** "compiled" (default): node runs `.build/`; "tsx": node runs the TypeScript sources through tsx. */
  runner?: "compiled" | "tsx";
  /** Node flags. @default STACK_NODE_FLAGS. */
  nodeFlags?: readonly string[];
  /** Extra environment for the child (HYBRIDNET_SDK_CUTS, for example). */
  env?: Record<string, string>;
  /** Kill the child after this long. @default no limit. */
  timeoutMs?: number;
}

export interface SpawnedStack {
  plan: StackPlan;
  /** The outputs with secret values, for the stacks that reference this one. Never print them. */
  reference?: ReferencedStack;
  /** Peak resident set size of the child, bytes. */
  maxRssBytes: number;
  /** From spawn to exit, as the parent saw it. */
  wallMs: number;
  /** What the program logged (`pulumi.log.warn`, console output goes to stderr too). */
  stderr: string;
}

/** A stack process that did not produce a plan: crashed, ran out of heap, or was stopped. */
export class StackProcessError extends Error {
  constructor(
    message: string,
    /** The child died of a full heap (V8's "JavaScript heap out of memory"). */
    readonly outOfMemory: boolean,
    /** The child was killed after `timeoutMs`. */
    readonly timedOut: boolean,
    /** Peak resident set size seen (from /proc while it ran), bytes; 0 when unknown. */
    readonly maxRssBytes: number,
    readonly wallMs: number,
  ) {
    super(message);
    this.name = "StackProcessError";
  }
}

/**
 * Polls the peak resident set size (`VmHWM`) of a running child from /proc, for a child that cannot report
 * its own (one that runs out of memory). Linux only; elsewhere it reports 0.
 */
export function watchPeakRss(child: ChildProcess, everyMs = 100): () => number {
  let peak = 0;
  const read = () => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kib = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
      if (kib * 1024 > peak) peak = kib * 1024;
    } catch {
      // Gone, or no /proc.
    }
  };
  const timer = setInterval(read, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    return peak;
  };
}

/** The command line (after `node`) that runs `entry` of this project with `runner`. */
export function nodeArgs(entry: string, runner: "compiled" | "tsx", flags: readonly string[]): string[] {
  if (runner === "tsx") return [...flags, "--require", require.resolve("tsx/cjs"), entry];
  ensureBuilt();
  return [...flags, compiledPath(entry)];
}

/** The program path the child loads: its compiled form when it is one of the project's TypeScript modules. */
export function programFor(program: string, runner: "compiled" | "tsx"): string {
  const absolute = path.resolve(program);
  const inside = !path.relative(ROOT, absolute).startsWith("..");
  return runner === "compiled" && inside && absolute.endsWith(".ts") ? ensureCompiled(absolute) : absolute;
}

/** Runs one stack process for `request` and returns its plan. Rejects with a StackProcessError on a crash. */
export function spawnStack(request: StackRequest, options: SpawnOptions = {}): Promise<SpawnedStack> {
  const runner = options.runner ?? "compiled";
  const args = nodeArgs(
    path.join(ROOT, "cli", "stackProcess.ts"),
    runner,
    options.nodeFlags ?? STACK_NODE_FLAGS,
  );
  const started = performance.now();
  const child = spawn(process.execPath, [...args, "-"], {
    cwd: ROOT,
    env: childEnvironment(process.env, options.env),
    stdio: ["pipe", "pipe", "pipe", "pipe"],
  });
  const peak = watchPeakRss(child);
  const collect = (stream: NodeJS.ReadableStream | null) => {
    const chunks: Buffer[] = [];
    stream?.on("data", (chunk: Buffer) => chunks.push(chunk));
    return () => Buffer.concat(chunks).toString("utf8");
  };
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const sidecar = collect(child.stdio[3] as NodeJS.ReadableStream);
  child.stdin?.end(
    JSON.stringify({ ...request, program: programFor(request.program, runner), sidecar: true }),
  );
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          child.kill("SIGKILL");
        }, options.timeoutMs);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      const wallMs = performance.now() - started;
      const polled = peak();
      const errors = stderr();
      if (code !== 0) {
        const outOfMemory = /heap out of memory|Reached heap limit/.test(errors);
        const why = timedOut
          ? `stopped after ${options.timeoutMs} ms`
          : outOfMemory
            ? "ran out of heap"
            : `exited with ${signal ?? `code ${code}`}`;
        reject(
          new StackProcessError(
            `stack process for ${request.stack} ${why}${errors ? `:\n${errors.trim().split("\n").slice(-12).join("\n")}` : ""}`,
            outOfMemory,
            timedOut,
            polled,
            wallMs,
          ),
        );
        return;
      }
      try {
        const plan = JSON.parse(request.out ? fs.readFileSync(request.out, "utf8") : stdout()) as StackPlan;
        const side = sidecar();
        const extra = side ? (JSON.parse(side) as StackSidecar) : undefined;
        resolve({
          plan,
          ...(extra?.reference ? { reference: extra.reference } : {}),
          maxRssBytes: Math.max(polled, (extra?.maxRssKiB ?? plan.stats.maxRssKiB) * 1024),
          wallMs,
          stderr: errors,
        });
      } catch (e) {
        reject(
          new StackProcessError(
            `stack process for ${request.stack} wrote no plan: ${(e as Error).message}`,
            false,
            false,
            polled,
            wallMs,
          ),
        );
      }
    });
  });
}

/**
 * Runs `work` over `items` with at most `limit` at once (the planner runs independent stacks in parallel,
 * one process per core), keeping the results in order.
 */
export async function inParallel<T, R>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<R>,
  limit = os.availableParallelism(),
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
