/**
 * The entry of a WARM stack worker of the offline planner: one process that plans many stacks, one after
 * another, each exactly as a stack process (cli/stackProcess.ts) plans one: `planStack` sets the runtime's
 * per-stack state afresh for every run (settings, stack and project, config, the mock monitor and a new mock
 * model; the stack resource and the recorder are the run's own), so a stack planned after others plans the
 * same as alone (tests/planWorkers.test.ts checks it). What a worker saves is the process start and loading the
 * SDK, `@pulumi/aws` and the program, once per worker instead of once per stack pass (docs/performance.md).
 *
 * Started by cli/workerPool.ts with an IPC channel: a {@link WorkerRequest} in, a {@link WorkerAnswer} out,
 * one stack at a time. What a program prints goes to stderr, as in a stack process.
 */
import "./offlineSdk";
import type { Diagnostic, ResourceToAnalyze } from "./analyzer";
import { InProcessPack, type PackTarget } from "./inProcessPack";
import type { ReferencedStack } from "./mockRuntime";
import { type PlannedResource, planStack, type StackPlan, type StackRequest } from "./stackProcess";

/**
 * A stack to plan. `request.stackOutputs` holds only the referenced stacks' outputs that changed since this
 * worker last got them; `heldOutputs` names the stacks whose outputs it got before and which still apply.
 * The worker keeps exactly the set of the last request: a stack named in neither is dropped.
 */
export interface StackWorkRequest {
  id: number;
  request: StackRequest;
  heldOutputs?: string[];
  /** Analyze the plan with this policy pack (in this process, cli/inProcessPack.ts): the stack's final pass. */
  analyze?: PackTarget;
  /**
   * With `analyze`: keep the plan's resources and analyze them when the pool asks ({@link HeldAnalysisRequest}),
   * not at once, so the stack runs waiting for a worker go first.
   */
  holdAnalysis?: boolean;
  /**
   * Answer the plan without its resources first (with their count), then the resources in a message of their
   * own ({@link WorkerResources}): the planner starts the stacks waiting for this one before it has moved a big plan.
   */
  resourcesAfter?: boolean;
}

/** Analyze the plan the worker holds of the run `id` (answered with `held`), and forget it. */
export interface HeldAnalysisRequest {
  id: number;
  analyzeHeld: true;
}

/** Forget the plan held of the run `id`: another worker analyzed it. */
export interface DropHeldRequest {
  id: number;
  dropHeld: true;
}

/**
 * Resources a worker planned earlier (a first pass the planner reuses as the stack's final one) to analyze
 * with the pack, without planning anything.
 */
export interface AnalysisWorkRequest {
  id: number;
  analyzeOnly: readonly ResourceToAnalyze[];
  analyze: PackTarget;
}

/**
 * What the pool sends: a stack to plan, resources to analyze, or modules to load before the first stack (the
 * program; the policy pack when the worker analyzes).
 */
export type WorkerRequest =
  | StackWorkRequest
  | AnalysisWorkRequest
  | HeldAnalysisRequest
  | DropHeldRequest
  | { preload: string; pack?: PackTarget };

/** What the worker sends when it has loaded a module it was asked to preload (the pool may start the next). */
export interface WorkerLoaded {
  loaded: string;
}

/** What the worker answers a stack request with. */
export interface WorkerAnswer {
  id: number;
  /** Absent in the answer to an {@link AnalysisWorkRequest}. */
  plan?: StackPlan;
  /** The pack's diagnostics of the plan (or of the resources), when asked to analyze and the program ran. */
  diagnostics?: Diagnostic[];
  /** Why the analysis failed (the policy config names a policy the pack does not have, a policy threw). */
  analysisError?: string;
  /**
   * The plan of a stack to analyze: the worker analyzes it now and answers again with the diagnostics (the
   * planner need not wait for them to run the stacks that read this one's outputs).
   */
  analyzing?: boolean;
  /**
   * The plan of a stack to analyze, held by the worker until a {@link HeldAnalysisRequest} (`holdAnalysis`);
   * the worker is free for the next stack.
   */
  held?: boolean;
  /** With `resourcesAfter`: `plan.resources` is empty and a {@link WorkerResources} brings these many. */
  resourcesFollow?: number;
  /** The outputs with secret values, for the stacks that reference this one. Never print them. */
  reference?: ReferencedStack;
  /** Peak resident set size of the worker so far, KiB. */
  maxRssKiB: number;
}

/** The resources of a plan answered with `resourcesFollow`, right after it. */
export interface WorkerResources {
  id: number;
  resources: PlannedResource[];
}

if (require.main === module) {
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  const send = (answer: WorkerAnswer | WorkerResources) =>
    new Promise<void>((done, failed) =>
      (process.send as NonNullable<typeof process.send>)(answer, undefined, {}, (e) =>
        e ? failed(e) : done(),
      ),
    );
  /** The referenced stacks' outputs of the last request, by stack. */
  let held = new Map<string, ReferencedStack>();
  /** The plans held for analysis, by run. */
  const holding = new Map<number, { target: PackTarget; resources: readonly ResourceToAnalyze[] }>();
  /** The analyses asked for, one after another (the pool may send several at once). */
  let analyses: Promise<unknown> = Promise.resolve();
  /** The pack's diagnostics of `resources`, or why it failed; after the analyses asked for before. */
  const analyzed = (
    target: PackTarget,
    resources: readonly ResourceToAnalyze[],
  ): Promise<Pick<WorkerAnswer, "diagnostics" | "analysisError">> => {
    const analysis = analyses.then(async () => {
      // A turn of the event loop first: a message on its way in (a plan the pool moved here, a big one) is read
      // now, so the planner, which waits until its channel has taken those, is not held up for the analyses.
      await new Promise((turned) => setImmediate(turned));
      try {
        const pack = InProcessPack.load(target.packDir, target.entry);
        await pack.configure(target.config);
        return { diagnostics: await pack.analyzeAll(resources) };
      } catch (e) {
        return { analysisError: e instanceof Error ? e.message : String(e) };
      }
    });
    analyses = analysis;
    return analysis;
  };
  const failed = (e: unknown) => {
    // A failure of the worker itself (not of the program, which the plan reports): end as a crash does.
    process.stderr.write(`stack worker: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  };
  process.on("message", (message: WorkerRequest) => {
    if ("preload" in message) {
      // Loading the program (and the pack) ahead of the first stack overlaps with the planner's own work. A
      // program or pack that fails to load fails its first use the same way, which reports it.
      try {
        if (message.preload) require(message.preload);
      } catch {}
      try {
        if (message.pack) InProcessPack.load(message.pack.packDir, message.pack.entry);
      } catch {}
      // Only the program's load lets a staggered pool start its next worker (cli/workerPool.ts).
      if (message.preload) process.send?.({ loaded: message.preload } satisfies WorkerLoaded);
      return;
    }
    if ("dropHeld" in message) {
      holding.delete(message.id);
      return;
    }
    if ("analyzeHeld" in message) {
      const plan = holding.get(message.id);
      holding.delete(message.id);
      const analysis = plan
        ? analyzed(plan.target, plan.resources)
        : Promise.resolve({ analysisError: `stack worker: no plan of run ${message.id} held` });
      analysis
        .then((answer) => send({ id: message.id, ...answer, maxRssKiB: process.resourceUsage().maxRSS }))
        .catch(failed);
      return;
    }
    if ("analyzeOnly" in message) {
      analyzed(message.analyze, message.analyzeOnly)
        .then((analysis) => send({ id: message.id, ...analysis, maxRssKiB: process.resourceUsage().maxRSS }))
        .catch(failed);
      return;
    }
    const started = performance.now();
    const stackOutputs: Record<string, ReferencedStack> = {};
    for (const stack of message.heldOutputs ?? []) {
      const outputs = held.get(stack);
      if (!outputs) throw new Error(`stack worker: no outputs of ${stack} held`);
      stackOutputs[stack] = outputs;
    }
    Object.assign(stackOutputs, message.request.stackOutputs);
    held = new Map(Object.entries(stackOutputs));
    const target = message.analyze;
    planStack({ ...message.request, stackOutputs }, started, true)
      .then(async ({ plan, reference }) => {
        const analyzing = target !== undefined && !plan.error;
        const hold = analyzing && message.holdAnalysis === true;
        if (hold) holding.set(message.id, { target, resources: plan.resources });
        const after = message.resourcesAfter === true;
        await send({
          id: message.id,
          plan: after ? { ...plan, resources: [] } : plan,
          ...(after ? { resourcesFollow: plan.resources.length } : {}),
          ...(reference ? { reference } : {}),
          ...(hold ? { held: true } : analyzing ? { analyzing } : {}),
          maxRssKiB: process.resourceUsage().maxRSS,
        });
        if (after) await send({ id: message.id, resources: plan.resources });
        if (!analyzing || hold) return;
        const analysis = await analyzed(target, plan.resources);
        await send({ id: message.id, ...analysis, maxRssKiB: process.resourceUsage().maxRSS });
      })
      .catch(failed);
  });
  // The pool closes the channel when the plan is done: nothing is left to do.
  process.on("disconnect", () => process.exit(0));
}
