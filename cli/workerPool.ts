/**
 * A pool of warm stack workers (cli/stackWorker.ts), one per core by default (`HYBRIDNET_WORKERS`): each plans
 * many stacks in turn, so an environment of hundreds of stacks pays the process start and the loading of the SDK, `@pulumi/aws`
 * and the program once per worker instead of once per stack pass (docs/performance.md "Whole environments").
 * `run` has the contract of `spawnStack`: the plan, the outputs referencing stacks need, the peak RSS, and a
 * StackProcessError naming the stack when its worker crashes or runs out of heap (the command exits 3). A
 * crashed worker is replaced for the stacks after it.
 */
import { type ChildProcess, fork } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import type { Diagnostic, ResourceToAnalyze } from "./analyzer";
import { compilePack, ROOT } from "./build";
import { compileCacheChild, compileCacheEnabled } from "./compileCache";
import type { PackTarget } from "./inProcessPack";
import type { ReferencedStack } from "./mockRuntime";
import {
  childEnvironment,
  nodeArgs,
  programFor,
  type SpawnedStack,
  type SpawnOptions,
  StackProcessError,
  WORKER_NODE_FLAGS,
  watchPeakRss,
} from "./spawnStack";
import type { PlannedResource, StackRequest } from "./stackProcess";
import type {
  StackWorkRequest,
  WorkerAnswer,
  WorkerLoaded,
  WorkerRequest,
  WorkerResources,
} from "./stackWorker";

export interface WorkerPoolOptions extends Pick<SpawnOptions, "runner" | "env"> {
  /** Node flags of each worker. @default WORKER_NODE_FLAGS (cli/spawnStack.ts). */
  nodeFlags?: readonly string[];
  /** Workers at most. @default one per core. */
  size?: number;
  /** A module each worker loads when it starts, before its first stack (the program, when it is a function). */
  preload?: string;
  /**
   * Workers compile their modules with V8's code cache (cli/compileCache.ts); compiled runner only.
   * @default on unless `HYBRIDNET_COMPILE_CACHE=off`.
   */
  compileCache?: boolean;
  /**
   * `warm` starts one worker and each next one when the one before has loaded `preload`, so the first is up
   * sooner (the first stack pass waits for it) instead of all sharing the cores while they load.
   * @default on unless `HYBRIDNET_STAGGER=off`; only with `preload`.
   */
  stagger?: boolean;
  /**
   * With `stagger`, `warm` starts every worker at once, those after the first at the lowest CPU priority (nice
   * 19) until the first has loaded the program (when a staggered pool would start them) or they get work: they
   * load on the cycles the first one and the caller leave, without slowing them. Only where the priority can be
   * raised back (as root); elsewhere staggered as without. @default off.
   */
  nicedStart?: boolean;
  /** A policy pack each worker loads when it starts, to analyze stacks in process (`run`'s `analyze`). */
  preloadPack?: PackTarget;
  /**
   * A worker keeps each plan it is to analyze (`run`'s `analyze`) and analyzes it only when no stack run waits
   * for a worker: stack runs first, analyses (and {@link WorkerPool.analyze}) in the pool's spare time, each on
   * the worker that holds the plan, or on an idle one that has none (the plan sent to it). @default off.
   */
  holdAnalyses?: boolean;
  /**
   * A run resolves as soon as the worker has answered without the plan's resources (`resources` brings
   * them): the stacks that wait for its outputs need not wait for a big plan to cross the channel. @default off.
   */
  resourcesAfter?: boolean;
}

/**
 * The pool's size when the caller names none: `HYBRIDNET_WORKERS` (a count, for measurements), else one worker
 * per core.
 */
export function defaultPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const named = Number(env.HYBRIDNET_WORKERS);
  return Number.isInteger(named) && named > 0 ? named : os.availableParallelism();
}

/** A stack run on a worker: what `spawnStack` returns, and the pack's diagnostics when asked to analyze. */
export interface WorkerRun extends SpawnedStack {
  /**
   * The policy pack's diagnostics of the plan (absent when the program failed). The worker answers with the
   * plan first and analyzes it after, so the stacks that wait for this one's outputs need not wait for that.
   */
  analysis?: Promise<Diagnostic[]>;
  /**
   * With `resourcesAfter`: the plan's resources, which follow the answer (`plan.resources` is empty until then;
   * {@link wholeRun} puts them in).
   */
  resources?: Promise<PlannedResource[]>;
  /** How many resources the plan has (also before `resources` brings them). */
  resourceCount?: number;
}

/** The run with its plan's resources in place (they may follow the answer: `resources`). */
export async function wholeRun<T extends SpawnedStack & { resources?: Promise<PlannedResource[]> }>(
  run: T,
): Promise<T> {
  if (!run.resources) return run;
  const { resources: _, ...rest } = run;
  return { ...rest, plan: { ...run.plan, resources: await run.resources } } as T;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve: Deferred<T>["resolve"] = () => {};
  let reject: Deferred<T>["reject"] = () => {};
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // Whoever reads it handles its failure, possibly later than it fails.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

interface Job {
  id: number;
  /** The stack planned, or (with `analyzeOnly`) the stack whose resources are analyzed. */
  request: StackRequest;
  analyze?: PackTarget;
  analyzeOnly?: readonly ResourceToAnalyze[];
  /** With `analyze` (a stack run): the analysis that follows the plan. */
  analysis?: Deferred<Diagnostic[]>;
  /** The plan was answered; the worker is still analyzing it (or holds it for analysis). */
  planned?: boolean;
  /** With `resourcesAfter`: the plan's resources, which follow the answer. */
  following?: Deferred<PlannedResource[]>;
  /** The plan's resources, once the command has them (to analyze a held plan on another worker). */
  resources?: readonly ResourceToAnalyze[];
  /** How many resources the plan has: what its analysis costs, roughly. */
  count?: number;
  resolve: (answer: WorkerAnswer, wallMs: number) => void;
  reject: (error: Error) => void;
  started: number;
}

interface Worker {
  child: ChildProcess;
  job?: Job;
  /** The referenced stacks' outputs this worker holds, by stack: what it was last sent for each. */
  sent: Map<string, ReferencedStack>;
  /** The last lines the worker wrote to stderr, for a crash's message. */
  stderr: string[];
  /** It wrote V8's "heap out of memory" (before the native stack trace that ends its stderr). */
  outOfMemory: boolean;
  /** Stops watching the worker's peak RSS (from /proc: a worker that runs out of heap reports none) and returns it. */
  peak: () => number;
  /** Started at the lowest CPU priority ({@link WorkerPoolOptions.nicedStart}); raised with its first work. */
  niced?: boolean;
  /** With `holdAnalyses`: the runs whose plans it holds, not analyzed yet, in the order they were planned. */
  held: Job[];
  /** With `resourcesAfter`: the runs answered whose resources have not come yet, by id. */
  following: Map<number, Job>;
  /** The analyses sent at once after the last stack run ({@link WorkerPool.finishAnalyses}), by id. */
  batch: Map<number, Job>;
}

/** The worker has work: a stack run or analyses. */
function busy(worker: Worker): boolean {
  return worker.job !== undefined || worker.batch.size > 0;
}

/**
 * Sends `message` to a worker; settles when the channel has taken all of it (or failed: a worker that died is
 * reported by its exit).
 */
function sent(child: ChildProcess, message: WorkerRequest): Promise<void> {
  return new Promise((done) => child.send(message, undefined, {}, () => done()));
}

/** The resources an analysis covers. */
function weight(job: Job): number {
  return job.count ?? job.analyzeOnly?.length ?? 0;
}

/**
 * The request as the worker gets it: of the referenced stacks' outputs, only those it does not hold yet (a
 * stack's outputs change when it runs again); `heldOutputs` names the ones it holds and still applies. The
 * planner sends every deployed stack's outputs with every request, which at hundreds of stacks is most of what
 * crosses the channel. A value is compared by identity: the planner hands each run's `reference` on unchanged.
 */
function outputsFor(
  worker: Worker,
  request: StackRequest,
): Pick<StackWorkRequest, "request" | "heldOutputs"> {
  const given = request.stackOutputs ?? {};
  const changed: Record<string, ReferencedStack> = {};
  const held: string[] = [];
  for (const [stack, outputs] of Object.entries(given)) {
    if (worker.sent.get(stack) === outputs) held.push(stack);
    else {
      changed[stack] = outputs;
      worker.sent.set(stack, outputs);
    }
  }
  for (const stack of worker.sent.keys()) if (!(stack in given)) worker.sent.delete(stack);
  return { request: { ...request, stackOutputs: changed }, heldOutputs: held };
}

/** What V8 writes when a process runs out of heap. */
const OUT_OF_MEMORY = /heap out of memory|Reached heap limit/;

/** Lines of a crashed worker's stderr the error keeps (as a stack process's). */
const STDERR_LINES = 12;

/** Forks a worker for a pool with `options` and sends it what to preload. */
function forkWorker(options: WorkerPoolOptions): ChildProcess {
  const runner = options.runner ?? "compiled";
  const cache =
    runner === "compiled" && (options.compileCache ?? compileCacheEnabled())
      ? compileCacheChild()
      : undefined;
  const flags = [...(options.nodeFlags ?? WORKER_NODE_FLAGS), ...(cache?.nodeFlags ?? [])];
  const args = nodeArgs(path.join(ROOT, "cli", "stackWorker.ts"), runner, flags);
  const child = fork(args[args.length - 1], [], {
    cwd: ROOT,
    execArgv: args.slice(0, -1),
    env: childEnvironment(process.env, { ...cache?.env, ...options.env }),
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  if (options.preload) child.send({ preload: programFor(options.preload, runner) } satisfies WorkerRequest);
  return child;
}

/** What makes a worker forked for one pool's options fit another's. */
function optionsKey(options: WorkerPoolOptions): string {
  const { runner = "compiled", nodeFlags, env, preload, compileCache } = options;
  return JSON.stringify([runner, nodeFlags ?? null, env ?? null, preload ?? null, compileCache ?? null]);
}

/** Workers forked before their pool existed ({@link prestartWorker}), not adopted yet. */
const prestarted: { key: string; child: ChildProcess; loaded: boolean }[] = [];

/**
 * Forks one worker for a pool with `options` that does not exist yet: bin/hybridnet.js does as the `plan`
 * command starts, so the first worker loads the SDK and the program while the command loads its own modules
 * and reads the environment (the first stack pass waits for that worker). The first pool with the same options
 * adopts it. Until then it does not keep the command running (its process, IPC channel and stderr pipe are
 * unreferenced), and it exits when the command does (its channel closes). Off with `HYBRIDNET_PRESTART=off` (and with `--no-warm`: no pool). Returns the
 * worker's process id.
 */
export function prestartWorker(options: WorkerPoolOptions = {}): number | undefined {
  if (process.env.HYBRIDNET_PRESTART?.toLowerCase() === "off") return undefined;
  const child = forkWorker(options);
  const entry = { key: optionsKey(options), child, loaded: false };
  child.on("message", (message: WorkerLoaded) => {
    if (message && typeof message === "object" && "loaded" in message) entry.loaded = true;
  });
  child.on("error", () => {});
  child.unref();
  child.channel?.unref();
  (child.stderr as (NodeJS.ReadableStream & { unref?: () => void }) | null)?.unref?.();
  prestarted.push(entry);
  return child.pid;
}

/** A live prestarted worker forked with `options`, now the caller's (its handles count again). */
function adoptPrestarted(options: WorkerPoolOptions): (typeof prestarted)[number] | undefined {
  const key = optionsKey(options);
  const index = prestarted.findIndex(
    (p) => p.key === key && p.child.connected && p.child.exitCode === null && p.child.signalCode === null,
  );
  if (index < 0) return undefined;
  const [adopted] = prestarted.splice(index, 1);
  adopted.child.ref();
  adopted.child.channel?.ref();
  (adopted.child.stderr as (NodeJS.ReadableStream & { ref?: () => void }) | null)?.ref?.();
  return adopted;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly queue: Job[] = [];
  /** With `holdAnalyses`: analyses of resources the caller sends ({@link analyze}), after the stack runs. */
  private readonly later: Job[] = [];
  /** The pool's spare time is handed to the analyses once the caller has queued what a run's answer lets it. */
  private analysesDue = false;
  /** No stack run comes any more: every analysis left goes out at once. */
  private finishing = false;
  private nextId = 0;
  private closed = false;
  private readonly size: number;
  private readonly runner: "compiled" | "tsx";
  /** `warm` was called: start the next worker when the last one started has loaded (staggered). */
  private warming = false;
  private readonly stagger: boolean;
  /** Per pack directory, the pack as this pool's workers load it (its compiled form, or its source with tsx). */
  private readonly packs = new Map<string, string>();

  constructor(private readonly options: WorkerPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? defaultPoolSize());
    this.stagger =
      options.preload !== undefined &&
      (options.stagger ?? process.env.HYBRIDNET_STAGGER?.toLowerCase() !== "off");
    this.runner = options.runner ?? "compiled";
  }

  /** Starts every worker now (they load the SDK and the program while the caller does other work). */
  warm(): void {
    this.warming = true;
    // Only root may raise a process's priority back (RLIMIT_NICE aside).
    if (this.stagger && this.options.nicedStart && process.getuid?.() === 0) {
      while (this.workers.length < this.size) {
        const worker = this.start();
        if (this.workers.length === 1) continue;
        try {
          os.setPriority(worker.child.pid ?? 0, 19);
          worker.niced = true;
        } catch {}
      }
    } else if (this.stagger) {
      if (this.workers.length === 0) this.start();
    } else while (this.workers.length < this.size) this.start();
  }

  /**
   * Plans one stack on the next free worker; with `analyze`, the worker then analyzes the plan with that
   * policy pack (in process: cli/inProcessPack.ts) and the run carries the diagnostics.
   */
  run(request: StackRequest, analyze?: PackTarget): Promise<WorkerRun> {
    // A run after finishAnalyses is another plan's (a pool kept across plans: cli/plan.ts `KeptWorkers`):
    // analyses wait for spare time again.
    this.finishing = false;
    const analysis = analyze ? deferred<Diagnostic[]>() : undefined;
    const following = this.options.resourcesAfter ? deferred<PlannedResource[]>() : undefined;
    return this.enqueue(
      {
        request,
        ...(analyze && analysis ? { analyze: this.packFor(analyze), analysis } : {}),
        ...(following ? { following } : {}),
      },
      (answer, wallMs) => {
        const plan = answer.plan as NonNullable<WorkerAnswer["plan"]>;
        const follows = answer.resourcesFollow !== undefined && following;
        return {
          plan,
          ...(answer.reference ? { reference: answer.reference } : {}),
          ...((answer.analyzing || answer.held) && analysis ? { analysis: analysis.promise } : {}),
          ...(follows ? { resources: following.promise } : {}),
          resourceCount: answer.resourcesFollow ?? plan.resources.length,
          maxRssBytes: answer.maxRssKiB * 1024,
          wallMs,
          stderr: "",
        };
      },
    );
  }

  /**
   * Analyzes resources planned earlier (of `stack`) with the policy pack on the next free worker (with
   * `holdAnalyses`, when no stack run waits for one).
   */
  analyze(stack: string, resources: readonly ResourceToAnalyze[], pack: PackTarget): Promise<Diagnostic[]> {
    return this.enqueue(
      { request: { program: "", stack, project: "" }, analyze: this.packFor(pack), analyzeOnly: resources },
      (answer) => {
        if (answer.analysisError !== undefined) throw new Error(answer.analysisError);
        return answer.diagnostics ?? [];
      },
    );
  }

  private enqueue<T>(
    work: Pick<Job, "request" | "analyze" | "analyzeOnly" | "analysis" | "following">,
    result: (answer: WorkerAnswer, wallMs: number) => T,
  ): Promise<T> {
    if (this.closed) return Promise.reject(new Error("the worker pool is closed"));
    return new Promise((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        ...work,
        request: work.analyzeOnly
          ? work.request
          : { ...work.request, program: programFor(work.request.program, this.runner) },
        resolve: (answer, wallMs) => {
          try {
            resolve(result(answer, wallMs));
          } catch (e) {
            reject(e as Error);
          }
        },
        reject,
        started: 0,
      };
      (work.analyzeOnly && this.options.holdAnalyses ? this.later : this.queue).push(job);
      this.dispatch();
    });
  }

  /**
   * No stack run will come any more: each worker gets every analysis left at once (those it holds, the
   * caller's, and some held by another moved to it to even out the load), so the workers go on analyzing while
   * the caller's process is busy and cannot answer them.
   */
  async finishAnalyses(): Promise<void> {
    this.finishing = true;
    this.dispatch();
    if (this.closed || this.queue.length > 0) return;
    // Now, not in the turn after this one (as `dispatch` hands out spare time): the caller goes on with work of
    // its own (the planner's tail), and a worker waiting for a message sent after it would wait that long. A
    // plan moved to another worker is a big message: the channel takes part of it at once and the rest in the
    // caller's later turns, which that work would hold back; so the caller waits until the channels have it.
    await this.sendAllAnalyses();
  }

  /** Analyses not handed to a worker yet: the plans workers hold and the caller's resources waiting. */
  get analysesWaiting(): number {
    return this.later.length + this.workers.reduce((n, w) => n + w.held.length, 0);
  }

  /** The pack as the workers load it: compiled (every module of it) with the compiled runner. */
  private packFor(pack: PackTarget): PackTarget {
    let entry = this.packs.get(pack.packDir);
    if (entry === undefined) {
      entry = this.runner === "compiled" ? compilePack(pack.packDir) : path.join(pack.packDir, "index.ts");
      this.packs.set(pack.packDir, entry);
    }
    return { ...pack, entry };
  }

  /** Stops every worker; stacks not yet planned are refused, and analyses not yet made. */
  async close(): Promise<void> {
    this.closed = true;
    const refused = new Error("the worker pool is closed");
    for (const job of [...this.queue.splice(0), ...this.later.splice(0)]) job.reject(refused);
    for (const w of this.workers)
      for (const job of [...w.held.splice(0), ...w.batch.values()]) job.analysis?.reject(refused);
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((done) => {
            if (w.child.exitCode !== null || w.child.signalCode !== null) return done();
            w.child.once("exit", () => done());
            if (busy(w)) w.child.kill("SIGKILL");
            else w.child.disconnect();
          }),
      ),
    );
  }

  private start(): Worker {
    const adopted = adoptPrestarted(this.options);
    const child = adopted?.child ?? forkWorker(this.options);
    const worker: Worker = {
      child,
      sent: new Map(),
      stderr: [],
      outOfMemory: false,
      peak: watchPeakRss(child),
      held: [],
      following: new Map(),
      batch: new Map(),
    };
    child.stderr?.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      worker.outOfMemory ||= OUT_OF_MEMORY.test(`${worker.stderr.at(-1) ?? ""}${text}`);
      worker.stderr.push(...text.split("\n").filter(Boolean));
      worker.stderr.splice(0, Math.max(0, worker.stderr.length - STDERR_LINES));
    });
    child.on("message", (answer: WorkerAnswer | WorkerLoaded | WorkerResources) => {
      if ("loaded" in answer) this.loaded();
      else if ("resources" in answer) this.resourcesCame(worker, answer);
      else this.answered(worker, answer);
    });
    child.on("exit", (code, signal) => this.exited(worker, code, signal));
    // A worker that dies writes no more; the exit handler reports it.
    child.on("error", () => {});
    if (this.options.preloadPack)
      child.send({ preload: "", pack: this.packFor(this.options.preloadPack) } satisfies WorkerRequest);
    this.workers.push(worker);
    if (adopted?.loaded) queueMicrotask(() => this.loaded());
    return worker;
  }

  /**
   * A worker has loaded the program: staggered, the next one starts now; started niced, the others get the
   * normal priority now (the moment a staggered pool would start them).
   */
  private loaded(): void {
    for (const worker of this.workers) this.awake(worker);
    if (this.warming && this.stagger && !this.closed && this.workers.length < this.size) this.start();
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      const worker =
        this.workers.find((w) => !busy(w) && w.child.connected) ??
        (this.workers.length < this.size ? this.start() : undefined);
      if (!worker) return;
      this.send(worker, this.queue.shift() as Job);
    }
    const spare = this.workers.some((w) => !busy(w) && w.child.connected);
    if (
      (spare || this.finishing) &&
      !this.closed &&
      !this.analysesDue &&
      (this.later.length > 0 || this.workers.some((w) => w.held.length > 0))
    ) {
      // After what the caller does with the answers just in (it queues the stacks they let run).
      this.analysesDue = true;
      setImmediate(() => {
        this.analysesDue = false;
        this.dispatchAnalyses();
      });
    }
  }

  /**
   * Hands each idle worker an analysis when no stack run waits: a plan it holds (the first it planned), else
   * one the caller sent, else one another worker holds and has not started (the plan sent along).
   */
  private dispatchAnalyses(): void {
    if (this.closed || this.queue.length > 0) return;
    if (this.finishing) {
      void this.sendAllAnalyses();
      return;
    }
    for (const worker of this.workers) {
      if (busy(worker) || !worker.child.connected) continue;
      const own = worker.held.shift();
      if (own) {
        own.started = performance.now();
        worker.job = own;
        worker.child.send({ id: own.id, analyzeHeld: true } satisfies WorkerRequest);
        continue;
      }
      const sent = this.later.shift();
      if (sent) {
        this.send(worker, sent);
        continue;
      }
      const holder = this.workers
        .filter((w) => w !== worker && w.held.some((j) => j.resources))
        .sort((a, b) => b.held.length - a.held.length)[0];
      if (!holder) continue;
      let index = holder.held.length - 1;
      while (!holder.held[index].resources) index--;
      const [taken] = holder.held.splice(index, 1);
      holder.child.send({ id: taken.id, dropHeld: true } satisfies WorkerRequest);
      this.send(worker, { ...taken, analyzeOnly: taken.resources });
    }
  }

  /**
   * Every analysis left, at once: to each worker, the caller's and the held plans with their resources in moved
   * to it (to the worker with the least to analyze while that evens the load, by resources), then its own held
   * plans. Settles when the channels have taken the moved plans.
   */
  private sendAllAnalyses(): Promise<unknown> {
    const workers = this.workers.filter((w) => w.child.connected);
    if (workers.length === 0) return Promise.resolve();
    const load = new Map(
      workers.map((w) => [w, (w.job ? weight(w.job) : 0) + w.held.reduce((n, j) => n + weight(j), 0)]),
    );
    const least = () => workers.reduce((a, b) => ((load.get(b) ?? 0) < (load.get(a) ?? 0) ? b : a));
    const moved = new Map<Worker, Job[]>(workers.map((w) => [w, []]));
    for (const job of this.later.splice(0).sort((a, b) => weight(b) - weight(a))) {
      const to = least();
      moved.get(to)?.push(job);
      load.set(to, (load.get(to) ?? 0) + weight(job));
    }
    for (;;) {
      const from = workers.reduce((a, b) => ((load.get(b) ?? 0) > (load.get(a) ?? 0) ? b : a));
      const to = least();
      const gap = (load.get(from) ?? 0) - (load.get(to) ?? 0);
      // The biggest plan whose move narrows the gap.
      const candidates = from.held.filter((j) => j.resources && weight(j) > 0 && weight(j) < gap);
      const job = candidates.sort((a, b) => weight(b) - weight(a))[0];
      if (!job || from === to) break;
      from.held.splice(from.held.indexOf(job), 1);
      from.child.send({ id: job.id, dropHeld: true } satisfies WorkerRequest);
      moved.get(to)?.push({ ...job, analyzeOnly: job.resources });
      load.set(from, (load.get(from) ?? 0) - weight(job));
      load.set(to, (load.get(to) ?? 0) + weight(job));
    }
    const written: Promise<unknown>[] = [];
    for (const worker of workers) {
      this.awake(worker);
      // The moved plans first: the worker, idle now, reads them before it starts on its own, and the channel
      // has taken them by the time the caller waits for it (behind the worker's own analyses, a big message is
      // read only in the turns between them).
      for (const job of moved.get(worker) ?? []) {
        job.started = performance.now();
        worker.batch.set(job.id, job);
        written.push(
          sent(worker.child, {
            id: job.id,
            analyzeOnly: job.analyzeOnly ?? [],
            analyze: job.analyze as PackTarget,
          }),
        );
      }
      for (const job of worker.held.splice(0)) {
        job.started = performance.now();
        worker.batch.set(job.id, job);
        worker.child.send({ id: job.id, analyzeHeld: true } satisfies WorkerRequest);
      }
    }
    return Promise.all(written);
  }

  /** A worker started at the lowest priority gets the caller's back: it has work now. */
  private awake(worker: Worker): void {
    if (!worker.niced) return;
    worker.niced = false;
    try {
      os.setPriority(worker.child.pid ?? 0, os.getPriority());
    } catch {}
  }

  /** Starts `job` on `worker`. */
  private send(worker: Worker, job: Job): void {
    this.awake(worker);
    job.started = performance.now();
    worker.job = job;
    if (job.analyzeOnly && job.analyze)
      worker.child.send({
        id: job.id,
        analyzeOnly: job.analyzeOnly,
        analyze: job.analyze,
      } satisfies WorkerRequest);
    else
      worker.child.send({
        id: job.id,
        ...outputsFor(worker, job.request),
        ...(job.analyze ? { analyze: job.analyze } : {}),
        ...(job.analyze && this.options.holdAnalyses ? { holdAnalysis: true } : {}),
        ...(job.following ? { resourcesAfter: true } : {}),
      } satisfies WorkerRequest);
  }

  private resourcesCame(worker: Worker, message: WorkerResources): void {
    const job = worker.following.get(message.id);
    if (!job) return;
    worker.following.delete(message.id);
    job.resources = message.resources;
    job.following?.resolve(message.resources);
    // A held plan another worker may now take.
    if (job.planned && !busy(worker)) this.dispatch();
  }

  private answered(worker: Worker, answer: WorkerAnswer): void {
    const batched = worker.batch.get(answer.id);
    if (batched) {
      worker.batch.delete(answer.id);
      // A held plan's analysis, or one the caller sent.
      const done = batched.planned && batched.analysis ? batched.analysis : undefined;
      if (answer.analysisError !== undefined)
        (done ? done.reject : batched.reject)(new Error(answer.analysisError));
      else if (done) done.resolve(answer.diagnostics ?? []);
      else batched.resolve(answer, performance.now() - batched.started);
      return;
    }
    const job = worker.job;
    if (!job || job.id !== answer.id) return;
    if (answer.resourcesFollow !== undefined) worker.following.set(job.id, job);
    else if (answer.plan) job.resources = answer.plan.resources;
    job.count = answer.resourcesFollow ?? answer.plan?.resources.length;
    if (answer.analyzing || answer.held) {
      // The plan; the worker analyzes it now, or (held) when the pool has no stack run for it.
      job.planned = true;
      job.resolve(answer, performance.now() - job.started);
      if (!answer.held) return;
      worker.job = undefined;
      worker.held.push(job);
      this.dispatch();
      return;
    }
    worker.job = undefined;
    if (job.planned && job.analysis) {
      if (answer.analysisError !== undefined) job.analysis.reject(new Error(answer.analysisError));
      else job.analysis.resolve(answer.diagnostics ?? []);
    } else job.resolve(answer, performance.now() - job.started);
    this.dispatch();
  }

  private exited(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    this.workers.splice(this.workers.indexOf(worker), 1);
    const peak = worker.peak();
    const errors = worker.stderr.join("\n");
    const outOfMemory = worker.outOfMemory;
    const why = outOfMemory ? "ran out of heap" : `exited with ${signal ?? `code ${code}`}`;
    const crash = (job: Job) =>
      new StackProcessError(
        `stack process for ${job.request.stack} ${why}${errors ? `:\n${errors.trim()}` : ""}`,
        outOfMemory,
        false,
        peak,
        performance.now() - job.started,
      );
    const job = worker.job;
    if (job) (job.planned && job.analysis ? job.analysis.reject : job.reject)(crash(job));
    // The plans it held die with it: each stack's analysis fails as it would have failed on it.
    for (const held of [...worker.held.splice(0), ...worker.batch.values()])
      (held.planned && held.analysis ? held.analysis.reject : held.reject)(crash(held));
    worker.batch.clear();
    for (const following of worker.following.values()) following.following?.reject(crash(following));
    worker.following.clear();
    this.dispatch();
  }
}
