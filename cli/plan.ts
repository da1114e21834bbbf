/**
 * `hybridnet plan`: `pulumi preview --policy-pack policy` for every stack of an environment at once, offline.
 * Each stack runs under the SDK's mock runtime with the shared mock model on a warm worker (cli/workerPool.ts;
 * or, without the speed-ups, in a process of its own), in the order its StackReferences require
 * (model/environment), stacks of one wave in parallel; each run's outputs feed the runs that reference it;
 * the policy pack, driven through its analyzer interface, judges each stack's final plan as soon as it is final.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type ComparableResource, diffPlans, type ResourceChange } from "../model/changePlan";
import { connectionsOfPlan, type StackConnections } from "../model/connections/stackConnections";
import type { CostUsage } from "../model/cost/estimate";
import type { PlanCost } from "../model/cost/types";
import {
  type DeployStep,
  organizationOf,
  planEnvironment,
  readStackFiles,
  type StackReferenceEdge,
} from "../model/environment";
import { SECRET_SHOWN, ValidationError } from "../model/errors";
import { networkFromPlan } from "../model/reachability/fromPlan";
import type { FlowVerdict } from "../model/reachability/intents";
import { siteDeclarations } from "../model/reachability/sites";
import { DEFAULT_ORGANIZATION, qualifiedStackName } from "../model/stackConfig";
// Types only: the pack process's client (gRPC, protobuf: about 40 ms of the command's start) loads only on that path.
import type { Diagnostic, PolicyPackClient, PolicyPackConfig } from "./analyzer";
import { POLICY_PACK_DIR, ROOT } from "./build";
import { formatConnections, wrapJson } from "./connectionsView";
import { type EarlierPlan, formatCost, planCost } from "./cost";
import { configError, PlanInputError, problemsOf } from "./errors";
import { flowsOfPlan, formatFlows } from "./flows";
import type { PackTarget } from "./inProcessPack";
// Types only: the mock runtime loads the whole SDK, which the planner's own process does not need.
import type { LoggedMessage, ReferencedStack } from "./mockRuntime";
import { inParallel, type SpawnedStack, spawnStack } from "./spawnStack";
import type { PlannedResource, StackPlan } from "./stackProcess";
import { WorkerPool, type WorkerRun, wholeRun } from "./workerPool";

export const STACKS_DIR = path.join(ROOT, "stacks");
const PROGRAM = path.join(STACKS_DIR, "index.ts");

export { PlanInputError } from "./errors";

/**
 * A planned resource as the plan reports it (the JSON contract: type, name, urn, parent, inputs, id, outputs).
 * Secrets show "[secret]" in inputs and outputs alike.
 */
export interface PlanResource extends ComparableResource {
  /** Its state after create as the mock model answers it: the inputs and what the provider computes. */
  outputs: Record<string, unknown>;
  protect: boolean;
}

export interface StackResult {
  name: string;
  /** The passes this stack ran (1, or 1 and 2 for the PrivateLink handshake); the plan is the last one. */
  passes: number[];
  resources: PlanResource[];
  /** Stack outputs, secrets as "[secret]". */
  outputs: Record<string, unknown>;
  diagnostics: { policy: string; level: string; message: string; urn?: string }[];
  /** What the stack's program logged in its last pass (`pulumi.log.warn`: a component's warnings). */
  logs: LoggedMessage[];
  stats: { wallMs: number; maxRssMiB: number };
  /** What connects to what in this stack (docs "Reading the plan"), from every stack's planned resources. */
  connections?: StackConnections;
}

export interface PlanResult {
  env: string;
  /** The runs in the order they happened: stack and pass. */
  order: { stack: string; pass: number }[];
  stacks: StackResult[];
  /** Every declared and implied intent answered over the planned network (docs/plan.md "Flows"). */
  flows: FlowVerdict[];
  /** With `--against`: what applying this plan changes in the earlier one (docs/operations.md "Changing a live network"). */
  changes?: ResourceChange[];
  /** The monthly cost estimate (docs/plan.md "Cost"); with `--against`, its difference from the earlier plan's. */
  cost?: PlanCost;
  summary: {
    resources: number;
    mandatory: number;
    advisory: number;
    /** Intents answered, and those not as intended. */
    flows: { checked: number; failed: number };
    /** With `--against`: changes by kind, and the replacements of stateful resources not allowed. */
    changes?: { add: number; remove: number; update: number; replace: number; blocking: number };
    wallMs: number;
  };
}

export interface PlanOptions {
  env: string;
  /** Where the stack files are. @default stacks/ */
  stacksDir?: string;
  /** Policy config (as a `--policy-pack-config` file holds it). @default the pack's defaults. */
  policyConfig?: PolicyPackConfig;
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
  /** Stack processes at once. @default one per core. */
  parallel?: number;
  /** An earlier plan (its JSON) to compare with: the result lists what applying this one changes. */
  against?: EarlierPlan;
  /** The usage the cost estimate declares (`--traffic-gb`, `--usage`). @default model/cost DEFAULT_USAGE */
  usage?: Partial<CostUsage>;
  /** URNs or type tokens whose replacement is accepted (`--allow-replace`). */
  allowReplace?: readonly string[];
  /** Which speed-ups of docs/performance.md "Whole environments" to use. @default all of them. */
  speedUps?: Partial<SpeedUps>;
  /**
   * Warm workers kept from one plan to the next: the first plan given them starts them, later ones plan in
   * them, and no plan closes them (their owner does). `npm run bench` uses them to measure a plan whose
   * processes have planned it before; `hybridnet plan` starts its workers for each plan. Used only with
   * SpeedUps `warmWorkers`. @default workers of the plan's own, closed when it is done.
   */
  keptWorkers?: KeptWorkers;
}

/** A pool of warm workers that outlives the plans given it ({@link PlanOptions.keptWorkers}). */
export class KeptWorkers {
  /** The pool, once a plan has started it; a plan that failed closes it, and the next starts another. */
  pool: WorkerPool | undefined;

  /** Stops the workers. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}

/**
 * How the planner runs an environment's stacks fast; each changes how long a plan takes, never what it says
 * (tests/planWorkers.test.ts compares the plans with and without them).
 */
export interface SpeedUps {
  /**
   * A pool of warm worker processes, one per core, each planning many stacks in turn; without, a new
   * process for every stack pass (the baseline: a process start and loading the SDK each time).
   */
  warmWorkers: boolean;
  /**
   * A second pass reuses the stack's first when nothing it reads changed in between (its config, and the
   * outputs of every stack it read, itself included): the program is deterministic in them.
   */
  skipUnchangedPasses: boolean;
  /** The policy pack analyzes each stack as soon as its last pass has run, while the other stacks run. */
  overlapPolicy: boolean;
  /**
   * A stack run is sent the outputs of the stacks it references and its own, not of every stack planned so
   * far; a run that read another planned stack runs again with all of them (the program reads outputs only
   * through StackReferences, so the plan is the same).
   */
  referencedOutputsOnly: boolean;
  /**
   * With warm workers: each worker analyzes the stack it just planned with the project's policy pack, loaded
   * in the worker (cli/inProcessPack.ts: the pack's own code and @pulumi/policy's handlers, called without
   * gRPC), instead of one pack process the planner feeds over gRPC (cli/analyzer.ts). Without warm workers
   * the pack process is used either way.
   */
  policiesInWorkers: boolean;
  /**
   * With policies in the workers: a worker keeps each final plan and analyzes it only when no stack run waits
   * for a worker (stack runs first), and the planner builds the network model, connections, flows and cost as
   * soon as every final plan is in, while the workers analyze (cli/workerPool.ts `holdAnalyses`).
   */
  analysesLast: boolean;
  /**
   * With warm workers: a worker answers a run without the plan's resources first and sends them after, so the
   * stacks that wait for the run's outputs start before a big plan has crossed the channel.
   */
  resourcesAfter: boolean;
  /**
   * With warm workers: every worker starts at once, those after the first at the lowest CPU priority until
   * their first stack (cli/workerPool.ts `nicedStart`), instead of each when the one before has loaded.
   */
  nicedStart: boolean;
}

/** Every speed-up on: what `hybridnet plan` does. */
export const ALL_SPEED_UPS: SpeedUps = {
  warmWorkers: true,
  skipUnchangedPasses: true,
  overlapPolicy: true,
  referencedOutputsOnly: true,
  policiesInWorkers: true,
  analysesLast: true,
  resourcesAfter: true,
  nicedStart: true,
};
/** None: one process per stack pass, every pass run, the policy pack after the last stack (the baseline). */
export const NO_SPEED_UPS: SpeedUps = {
  warmWorkers: false,
  skipUnchangedPasses: false,
  overlapPolicy: false,
  referencedOutputsOnly: false,
  policiesInWorkers: false,
  analysesLast: false,
  resourcesAfter: false,
  nicedStart: false,
};

/**
 * The speed-ups a plan uses: `chosen` over every one, less those `HYBRIDNET_SPEED_UPS_OFF` names (a
 * comma-separated list of {@link SpeedUps} fields, for measurements).
 */
export function speedUpsOf(chosen: Partial<SpeedUps> = {}, env: NodeJS.ProcessEnv = process.env): SpeedUps {
  const speedUps = { ...ALL_SPEED_UPS, ...chosen };
  for (const name of (env.HYBRIDNET_SPEED_UPS_OFF ?? "").split(",").map((n) => n.trim()))
    if (name in speedUps) speedUps[name as keyof SpeedUps] = false;
  return speedUps;
}

/** The environments that have stack files in `dir`: the last `-` segment of `Pulumi.<account>-<env>.yaml`. */
export function environmentsIn(dir: string): string[] {
  const envs = fs
    .readdirSync(dir)
    .filter((f) => /^Pulumi\..+-[^-]+\.yaml$/.test(f))
    .map((f) => f.slice(0, -".yaml".length).split("-").pop() as string);
  return [...new Set(envs)].sort();
}

/** Refuses an environment with no stack files in `dir`, listing the ones that exist. */
export function requireEnvironment(dir: string, env: string): void {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new PlanInputError(`--stacks ${dir}: not a directory`, [
      {
        stack: null,
        path: "--stacks",
        value: dir,
        allowed: "a directory of stack files Pulumi.<stack>.yaml",
      },
    ]);
  const known = environmentsIn(dir);
  if (!known.includes(env))
    throw new PlanInputError(
      `unknown environment "${env}"; environments in ${path.relative(process.cwd(), dir) || dir}: ${known.join(", ") || "(none)"}`,
      [{ stack: null, path: "--env", value: env, allowed: `one of ${known.join(", ") || "(none)"}` }],
    );
}

/**
 * Groups the deployment steps into waves that can run at once: consecutive steps none of which references
 * another in the wave.
 */
export function waves(
  steps: readonly DeployStep[],
  references: readonly StackReferenceEdge[],
): DeployStep[][] {
  const pairs = new Set(references.flatMap((r) => [`${r.from}\n${r.to}`, `${r.to}\n${r.from}`]));
  const linked = (a: string, b: string) => pairs.has(`${a}\n${b}`);
  const result: DeployStep[][] = [];
  for (const step of steps) {
    const current = result[result.length - 1];
    const joins = (s: DeployStep) =>
      s.pass === step.pass && s.stack !== step.stack && !linked(s.stack, step.stack);
    if (current?.every(joins)) current.push(step);
    else result.push([step]);
  }
  return result;
}

function planResource(r: PlannedResource): PlanResource {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    ...(r.parent ? { parent: r.parent } : {}),
    ...(r.id ? { id: r.id } : {}),
    inputs: r.inputs,
    ...(r.secretDigests ? { secretDigests: r.secretDigests } : {}),
    outputs: r.outputs,
    protect: r.protect,
  };
}

/**
 * A stack program that refused to run: its ValidationError (config, or a component's arguments) as config
 * problems of that stack; any other error as the stack's failure. The CLI exits 2 either way.
 */
function stackError(stack: string, error: NonNullable<StackPlan["error"]>): PlanInputError {
  const message = error.message.startsWith(`${stack}:`) ? error.message : `${stack}: ${error.message}`;
  if (error.where === undefined || error.problems === undefined)
    return new PlanInputError(message, [], "stack");
  return new PlanInputError(
    message,
    problemsOf(new ValidationError(error.where, error.problems), stack),
    "config",
  );
}

/** What {@link runStacks} ran: the environment, and per stack its last run and the passes it ran. */
export interface StackRuns {
  environment: ReturnType<typeof planEnvironment>;
  /** The runs in the order they happened: stack and pass. */
  order: { stack: string; pass: number }[];
  /** Per stack, the run of its last pass (the plan) and the passes it ran. */
  last: Map<string, { plan: WorkerRun; passes: number[] }>;
  /**
   * The workers' analyses settled and the pool closed: already so when runStacks returns, except with
   * SpeedUps `analysesLast` and in-worker analyses, where the caller may work meanwhile and awaits this.
   */
  finished: Promise<void>;
}

/** The stacks `stack` needs planned first, itself included: every stack it references, transitively. */
export function stackClosure(stack: string, references: readonly StackReferenceEdge[]): Set<string> {
  const needed = new Set([stack]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of references)
      if (needed.has(r.from) && !needed.has(r.to)) {
        needed.add(r.to);
        grew = true;
      }
  }
  return needed;
}

/**
 * What a run of a stack depends on: its config and, for every stack its run read (StackReferences, itself
 * included), that stack's outputs as deployed now (`deployed`: their JSON, by qualified stack name). A rerun
 * with the same key plans the same.
 */
function inputsKey(
  config: Record<string, string>,
  reads: StackPlan["reads"],
  deployed: ReadonlyMap<string, string>,
): string {
  const read = [...new Set(reads.map((r) => r.id))].sort();
  return [
    JSON.stringify(config),
    ...read.map((name) => `${JSON.stringify(name)} ${deployed.get(name) ?? "null"}`),
  ].join("\n");
}

/** Whether a run read a planned stack it was not sent: then it must run again with every planned stack. */
function readUnsent(
  reads: StackPlan["reads"],
  sent: Record<string, ReferencedStack>,
  deployed: Record<string, ReferencedStack>,
): boolean {
  return reads.some((r) => [r.id, r.name].some((name) => name in deployed && !(name in sent)));
}

/**
 * Runs one stack pass: on a warm worker of `pool` (which analyzes it with `analyze`), or (without a pool) in a
 * process of its own.
 */
type StackRunner = (request: Parameters<typeof spawnStack>[0], analyze?: PackTarget) => Promise<WorkerRun>;

/**
 * Runs the stacks of the environment offline in deployment order (each run's outputs feed the runs that
 * reference it), or, with `only`, the steps of those stacks alone. Throws PlanInputError on bad input. Each
 * run's `reference` holds the stack's outputs with secret values: never print them.
 */
export async function runStacks(
  options: Pick<PlanOptions, "env" | "stacksDir" | "progress" | "parallel" | "speedUps" | "keptWorkers"> & {
    /** Only these stacks' steps (a stack and what it references: {@link stackClosure}). @default every stack. */
    only?: ReadonlySet<string>;
    /** Stop after this stack's last step: the runs after it cannot change its plan. @default run every step. */
    through?: string;
    /** Called once the environment's config is valid, before the first stack runs (the planner starts the pack). */
    onStart?: () => void;
    /** Called when a stack fails, before the error is thrown (the planner closes the policy pack). */
    onError?: () => Promise<void>;
    /** Called as soon as a stack's last pass has run: its plan is final (the planner analyzes it). */
    onPlanned?: (stack: string, run: WorkerRun) => void;
    /**
     * With warm workers: the policy pack the workers analyze each stack's final pass with (exactly once per
     * stack; a first pass reused as the final one is analyzed on its own); the runs carry the diagnostics.
     */
    analysis?: PackTarget;
  },
): Promise<StackRuns> {
  const dir = options.stacksDir ?? STACKS_DIR;
  const progress = options.progress ?? (() => {});
  const speedUps = speedUpsOf(options.speedUps);
  requireEnvironment(dir, options.env);

  let environment: ReturnType<typeof planEnvironment>;
  let files: ReturnType<typeof readStackFiles>;
  try {
    files = readStackFiles(dir, options.env);
    environment = planEnvironment(dir, options.env, files);
  } catch (e) {
    if (e instanceof ValidationError) throw configError(e);
    throw e;
  }
  const configs = new Map(files.map((f) => [f.stack, f.config]));
  const qualified = (stack: string) =>
    qualifiedStackName(organizationOf(configs.get(stack) ?? {}) ?? DEFAULT_ORGANIZATION, stack);
  /** Per stack, the stacks its program may read: itself and those it references. */
  const readable = new Map<string, string[]>();
  for (const stack of configs.keys()) readable.set(stack, [qualified(stack)]);
  for (const r of environment.references) readable.get(r.from)?.push(qualified(r.to));
  const kept = speedUps.warmWorkers ? options.keptWorkers : undefined;
  const pool =
    kept?.pool ??
    (speedUps.warmWorkers
      ? new WorkerPool({
          ...(options.parallel ? { size: options.parallel } : {}),
          preload: PROGRAM,
          ...(options.analysis ? { preloadPack: options.analysis } : {}),
          holdAnalyses: speedUps.analysesLast,
          resourcesAfter: speedUps.resourcesAfter,
          nicedStart: speedUps.nicedStart,
        })
      : undefined);
  if (kept) kept.pool = pool;
  pool?.warm();
  const runner: StackRunner = pool
    ? (request, analyze) => pool.run(request, analyze)
    : (request) => spawnStack(request);
  options.onStart?.();
  let steps = options.only ? environment.steps.filter((s) => options.only?.has(s.stack)) : environment.steps;
  if (options.through !== undefined) {
    const lastStep = steps.map((s) => s.stack).lastIndexOf(options.through);
    if (lastStep >= 0) steps = steps.slice(0, lastStep + 1);
  }
  const finalStep = new Map(steps.map((s) => [s.stack, s]));

  const deployed: Record<string, ReferencedStack> = {};
  /** The JSON of each deployed stack's outputs, for the inputs keys. */
  const deployedJson = new Map<string, string>();
  const last: StackRuns["last"] = new Map();
  /** Per stack, the inputs key of its last run. */
  const inputs = new Map<string, string>();
  const order: { stack: string; pass: number }[] = [];
  /** The final runs whole, each handed to `onPlanned`. */
  const planned: Promise<void>[] = [];
  try {
    for (const wave of waves(steps, environment.references)) {
      const runs = await inParallel(
        wave,
        async (step) => {
          const config = configs.get(step.stack) ?? {};
          const previous = last.get(step.stack)?.plan;
          // The final pass of a stack is analyzed where it runs.
          const analyze = pool && finalStep.get(step.stack) === step ? options.analysis : undefined;
          if (
            speedUps.skipUnchangedPasses &&
            previous &&
            inputs.get(step.stack) === inputsKey(config, previous.plan.reads, deployedJson)
          ) {
            progress(
              `  ${step.stack} (pass ${step.pass}): nothing it reads changed; pass ${step.pass - 1}'s plan`,
            );
            if (!analyze || !pool) return { step, run: previous };
            const analysis = wholeRun(previous).then(({ plan }) =>
              pool.analyze(step.stack, plan.resources, analyze),
            );
            analysis.catch(() => {});
            return { step, run: { ...previous, analysis } };
          }
          progress(`  ${step.stack} (pass ${step.pass}) …`);
          const readJson = new Map(deployedJson);
          const request = (stackOutputs: Record<string, ReferencedStack>) =>
            runner(
              { program: PROGRAM, stack: step.stack, project: "hybridnet", config, stackOutputs },
              analyze,
            );
          const sent = speedUps.referencedOutputsOnly
            ? Object.fromEntries(
                (readable.get(step.stack) ?? []).flatMap((name) =>
                  name in deployed ? [[name, deployed[name]] as const] : [],
                ),
              )
            : { ...deployed };
          let run = await request(sent);
          // A failed run too: its error may come of what it was not sent.
          if (readUnsent(run.plan.reads, sent, deployed)) run = await request({ ...deployed });
          if (run.plan.error) throw stackError(step.stack, run.plan.error);
          inputs.set(step.stack, inputsKey(config, run.plan.reads, readJson));
          progress(
            `  ${step.stack} (pass ${step.pass}): ${run.resourceCount ?? run.plan.resources.length} resources, ${(run.wallMs / 1000).toFixed(1)} s, ${Math.round(run.maxRssBytes / 2 ** 20)} MiB`,
          );
          return { step, run };
        },
        options.parallel,
      );
      for (const { step, run } of runs) {
        order.push({ stack: step.stack, pass: step.pass });
        const name = qualified(step.stack);
        deployed[name] = run.reference ?? { outputs: {} };
        deployedJson.set(name, JSON.stringify(deployed[name]));
        const previous = last.get(step.stack);
        last.set(step.stack, { plan: run, passes: [...(previous?.passes ?? []), step.pass] });
        if (finalStep.get(step.stack) === step)
          planned.push(wholeRun(run).then((whole) => options.onPlanned?.(step.stack, whole)));
      }
    }
    // Every final plan whole (with `resourcesAfter`, its resources follow the answer).
    await Promise.all(planned);
    for (const [stack, { plan, passes }] of last) last.set(stack, { plan: await wholeRun(plan), passes });
    // No stack run comes any more: the workers analyze every plan left, whatever the planner does meanwhile.
    await pool?.finishAnalyses();
  } catch (e) {
    // Kept workers too: a plan that failed may have left runs and analyses behind in them.
    await (kept ? kept.close() : pool?.close());
    await options.onError?.();
    throw e;
  }
  // The workers' last analyses (a worker answers with the plan before it analyzes it); kept workers stay.
  const finished = Promise.allSettled([...last.values()].map(({ plan }) => plan.analysis)).then(() =>
    kept ? undefined : pool?.close(),
  );
  if (!(speedUps.analysesLast && options.analysis)) await finished;
  return { environment, order, last, finished };
}

/** The pack's diagnostics as the plan reports them. */
function findings(diagnostics: readonly Diagnostic[]): StackResult["diagnostics"] {
  return diagnostics.map((d) => ({
    policy: d.policy,
    level: d.level,
    message: d.message,
    ...(d.urn ? { urn: d.urn } : {}),
  }));
}

/** A stack's part of the plan: its final run and the pack's diagnostics of it. */
function stackResult(
  name: string,
  { plan, passes }: { plan: WorkerRun; passes: number[] },
  diagnostics: readonly Diagnostic[],
): StackResult {
  return {
    name,
    passes,
    resources: plan.plan.resources.map(planResource),
    outputs: plan.plan.outputs,
    logs: plan.plan.logs,
    diagnostics: findings(diagnostics),
    stats: { wallMs: Math.round(plan.wallMs), maxRssMiB: Math.round(plan.maxRssBytes / 2 ** 20) },
  };
}

/** The stacks' final runs in name order; each stack's program warnings shown once, as `pulumi up` shows them. */
function finalRuns(last: StackRuns["last"], progress: (line: string) => void) {
  const runs = [...last.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, { plan }] of runs)
    for (const log of plan.plan.logs) progress(`  ${log.level}: ${name}: ${log.message}`);
  return runs;
}

/**
 * The stacks planned and analyzed. With SpeedUps `analysesLast` the stacks' diagnostics may still be coming:
 * `diagnosed` resolves when each stack has them (in its place: the plan's keys keep their order) and the
 * workers are gone, or rejects with the first stack's (by name) failed analysis.
 */
type Analyzed = Pick<StackRuns, "environment" | "order"> & {
  stacks: StackResult[];
  diagnosed: Promise<void>;
};

/**
 * The stacks, each analyzed by the warm worker that ran its final pass, with the project's pack loaded in
 * the worker (SpeedUps `policiesInWorkers`): no pack process, no gRPC.
 */
async function analyzedInWorkers(options: PlanOptions): Promise<Analyzed> {
  const progress = options.progress ?? (() => {});
  const analysis: PackTarget = {
    packDir: POLICY_PACK_DIR,
    entry: path.join(POLICY_PACK_DIR, "index.ts"),
    config: options.policyConfig ?? {},
  };
  const { environment, order, last, finished } = await runStacks({ ...options, analysis });
  const runs = finalRuns(last, progress);
  const stacks = runs.map(([name, run]) => stackResult(name, run, []));
  const diagnosed = (async () => {
    try {
      for (const [index, [name, { plan }]] of runs.entries()) {
        if (!plan.analysis) throw new Error(`${name}: its final pass came back without the pack's analysis`);
        stacks[index].diagnostics = findings(await plan.analysis);
      }
    } finally {
      await finished;
    }
  })();
  diagnosed.catch(() => {});
  return { environment, order, stacks, diagnosed };
}

/** The stacks, analyzed by the policy pack as a process of its own, driven over gRPC (cli/analyzer.ts). */
async function analyzedByPack(options: PlanOptions): Promise<Analyzed> {
  const progress = options.progress ?? (() => {});
  const overlap = speedUpsOf(options.speedUps).overlapPolicy;
  let packStarting: Promise<PolicyPackClient> | undefined;
  // With overlapPolicy, each stack's analysis, chained one after another, as soon as its plan is final.
  const analyses = new Map<string, Promise<Diagnostic[]>>();
  let chain: Promise<unknown> = Promise.resolve();
  const analyze = (pack: PolicyPackClient, name: string, run: SpawnedStack) => {
    const analysis = chain.then(() => {
      progress(`  policy pack: ${name} …`);
      return pack.analyzeAll(run.plan.resources);
    });
    chain = analysis.catch(() => {});
    return analysis;
  };
  const { environment, order, last } = await runStacks({
    ...options,
    onStart: () => {
      // The pack starts (about a second) while the stacks run.
      const { PolicyPackClient: Client } = require("./analyzer") as typeof import("./analyzer");
      packStarting = Client.start().then(async (pack) => {
        if (overlap) await pack.configure(options.policyConfig ?? {});
        return pack;
      });
      packStarting.catch(() => {});
    },
    onPlanned: (name, run) => {
      if (!overlap) return;
      const analysis = (packStarting as Promise<PolicyPackClient>).then((pack) => analyze(pack, name, run));
      analysis.catch(() => {});
      analyses.set(name, analysis);
    },
    onError: async () => (await packStarting?.catch(() => undefined))?.close(),
  });

  const pack = await (packStarting as NonNullable<typeof packStarting>);
  const stacks: StackResult[] = [];
  try {
    if (!overlap) await pack.configure(options.policyConfig ?? {});
    for (const [name, run] of finalRuns(last, progress))
      stacks.push(stackResult(name, run, await (analyses.get(name) ?? analyze(pack, name, run.plan))));
  } finally {
    await pack.close();
  }
  return { environment, order, stacks, diagnosed: Promise.resolve() };
}

/**
 * What the planner makes of the planned stacks (the policy pack's diagnostics aside): one network model of the
 * environment for the connections (set on each stack) and the flows, the changes against an earlier plan, cost.
 */
function planTail(
  stacks: StackResult[],
  environment: StackRuns["environment"],
  options: PlanOptions,
  progress: (line: string) => void,
) {
  const sites = siteDeclarations(environment.stacks);
  const network = networkFromPlan(stacks, sites);
  const connections = connectionsOfPlan(stacks, sites, network);
  for (const s of stacks) s.connections = connections.get(s.name);
  progress("  flows …");
  const flows = flowsOfPlan(stacks, environment.stacks, network);
  const changes = options.against
    ? diffPlans(options.against.stacks, stacks, options.allowReplace)
    : undefined;
  const cost = planCost(stacks, {
    ...(options.usage ? { usage: options.usage } : {}),
    ...(options.against ? { against: options.against } : {}),
  });
  return { flows, changes, cost };
}

/** Runs the environment and the policy pack; throws PlanInputError on bad input. */
export async function planOffline(options: PlanOptions): Promise<PlanResult> {
  const started = performance.now();
  const progress = options.progress ?? (() => {});
  const speedUps = speedUpsOf(options.speedUps);
  const { environment, order, stacks, diagnosed } =
    speedUps.warmWorkers && speedUps.policiesInWorkers
      ? await analyzedInWorkers(options)
      : await analyzedByPack(options);
  let tail: ReturnType<typeof planTail>;
  try {
    tail = planTail(stacks, environment, options, progress);
  } catch (e) {
    // A stack whose analysis failed fails the plan first, as before the tail.
    await diagnosed;
    throw e;
  }
  await diagnosed;
  const { flows, changes, cost } = tail;
  const all = stacks.flatMap((s) => s.diagnostics);
  return {
    env: options.env,
    order,
    stacks,
    flows,
    ...(changes ? { changes } : {}),
    cost,
    summary: {
      resources: stacks.reduce((n, s) => n + s.resources.length, 0),
      mandatory: all.filter((d) => d.level === "mandatory").length,
      advisory: all.filter((d) => d.level === "advisory").length,
      flows: { checked: flows.length, failed: flows.filter((f) => f.verdict === "fail").length },
      ...(changes
        ? {
            changes: {
              add: changes.filter((c) => c.kind === "add").length,
              remove: changes.filter((c) => c.kind === "remove").length,
              update: changes.filter((c) => c.kind === "update").length,
              replace: changes.filter((c) => c.kind === "replace").length,
              blocking: changes.filter((c) => c.blocking).length,
            },
          }
        : {}),
      wallMs: Math.round(performance.now() - started),
    },
  };
}

/**
 * Exit code of a plan: 1 with a mandatory violation, a flow not as intended, or (with `--against`) a
 * replacement of a stateful resource not allowed; else 0.
 */
export function exitCodeOf(result: PlanResult): 0 | 1 {
  const { mandatory, flows, changes } = result.summary;
  return mandatory > 0 || flows.failed > 0 || (changes?.blocking ?? 0) > 0 ? 1 : 0;
}

/** The change plan as a person reads it: per stack, each change and what it means for the network. */
export function formatChanges(changes: readonly ResourceChange[]): string[] {
  const lines = ["", "changes against the earlier plan"];
  if (changes.length === 0) lines.push("  none");
  const mark = { add: "+", remove: "-", update: "~", replace: "±" } as const;
  let stack = "";
  for (const c of changes) {
    if (c.stack !== stack) {
      stack = c.stack;
      lines.push(`  ${stack}`);
    }
    const inputs = c.kind === "update" && c.changed.length > 0 ? ` (${c.changed.join(", ")})` : "";
    lines.push(
      `    ${mark[c.kind]} ${c.type.split(":").pop()} ${c.name}: ${c.meaning}${inputs}${c.blocking ? "  [BLOCKING: --allow-replace to accept]" : ""}`,
    );
    if (c.becauseOf)
      lines.push(
        c.kind === "add"
          ? `        renames ${c.becauseOf.map((u) => u.split("::").pop()).join(", ")}`
          : `        because ${c.becauseOf.map((u) => u.split("::").pop()).join(", ")} is replaced (new id)`,
      );
  }
  return lines;
}

const COMPONENT_TYPE = /^hybridnet:index:/;

/** The component a resource belongs to: its nearest hybridnet component ancestor, or "(stack)". */
function componentOf(resource: PlanResource, byUrn: Map<string, PlanResource>): string {
  let parent = resource.parent ? byUrn.get(resource.parent) : undefined;
  while (parent && !COMPONENT_TYPE.test(parent.type))
    parent = parent.parent ? byUrn.get(parent.parent) : undefined;
  return parent ? `${parent.type.replace(COMPONENT_TYPE, "")} "${parent.name}"` : "(stack)";
}

/** An output whole: on its line when short, else its JSON wrapped on lines of its own (never cut). */
function show(name: string, value: unknown): string[] {
  if (value === SECRET_SHOWN) return [`    ${name} = ${SECRET_SHOWN}`];
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (text.length <= 100 || typeof value === "string") return [`    ${name} = ${text}`];
  return [`    ${name} =`, ...wrapJson(value, "      ")];
}

/** The plan as a person reads it: per stack, resources by component and type, outputs, diagnostics; a verdict. */
export function formatPlan(result: PlanResult): string {
  const lines: string[] = [];
  for (const stack of result.stacks) {
    lines.push("", `${stack.name}  (${stack.resources.length} resources; passes ${stack.passes.join(", ")})`);
    const byUrn = new Map(stack.resources.map((r) => [r.urn, r]));
    const groups = new Map<string, Map<string, number>>();
    for (const r of stack.resources) {
      if (COMPONENT_TYPE.test(r.type)) continue;
      const component = componentOf(r, byUrn);
      const types = groups.get(component) ?? new Map<string, number>();
      types.set(r.type, (types.get(r.type) ?? 0) + 1);
      groups.set(component, types);
    }
    for (const [component, types] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      lines.push(`  ${component}`);
      for (const [type, count] of [...types.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        lines.push(`    ${String(count).padStart(4)}  ${type}`);
    }
    if (stack.connections) lines.push(...formatConnections(stack.connections));
    const outputs = Object.entries(stack.outputs);
    if (outputs.length > 0) {
      lines.push("  outputs");
      for (const [name, value] of outputs) lines.push(...show(name, value));
    }
    lines.push(stack.diagnostics.length === 0 ? "  policy: no violations" : "  policy");
    for (const d of stack.diagnostics)
      lines.push(
        `    ${d.level.padEnd(9)} ${d.policy}  ${d.urn ? `${d.urn.split("::").pop()}: ` : ""}${d.message}`,
      );
  }
  lines.push(...formatFlows(result.flows));
  if (result.changes) lines.push(...formatChanges(result.changes));
  if (result.cost) lines.push(...formatCost(result.cost));
  const { resources, mandatory, advisory, flows, changes, wallMs } = result.summary;
  const failures = [
    ...(mandatory > 0 ? ["mandatory policy violations"] : []),
    ...(flows.failed > 0 ? ["flows not as intended"] : []),
    ...((changes?.blocking ?? 0) > 0
      ? ["blocking changes (stateful replacements, renames AWS refuses)"]
      : []),
  ];
  const verdict =
    failures.length > 0 ? `FAIL: ${failures.join(", ")}` : advisory > 0 ? "ok, with advisories" : "ok";
  lines.push(
    "",
    `plan ${result.env}: ${result.stacks.length} stacks, ${resources} resources, ${mandatory} mandatory and ${advisory} advisory violations, ${flows.checked - flows.failed} of ${flows.checked} flows as intended in ${(wallMs / 1000).toFixed(1)} s — ${verdict}`,
  );
  return lines.join("\n");
}
