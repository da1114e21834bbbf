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
import type { ReferencedStack } from "./mockRuntime";
import { planStack, type StackPlan, type StackRequest } from "./stackProcess";

/**
 * A stack to plan. `request.stackOutputs` holds only the referenced stacks' outputs that changed since this
 * worker last got them; `heldOutputs` names the stacks whose outputs it got before and which still apply.
 * The worker keeps exactly the set of the last request: a stack named in neither is dropped.
 */
export interface StackWorkRequest {
  id: number;
  request: StackRequest;
  heldOutputs?: string[];
}

/** What the pool sends: a stack to plan, or a module to load before the first stack (the program). */
export type WorkerRequest = StackWorkRequest | { preload: string };

/** What the worker sends when it has loaded a module it was asked to preload (the pool may start the next). */
export interface WorkerLoaded {
  loaded: string;
}

/** What the worker answers a stack request with. */
export interface WorkerAnswer {
  id: number;
  plan: StackPlan;
  /** The outputs with secret values, for the stacks that reference this one. Never print them. */
  reference?: ReferencedStack;
  /** Peak resident set size of the worker so far, KiB. */
  maxRssKiB: number;
}

if (require.main === module) {
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  const send = (answer: WorkerAnswer) =>
    new Promise<void>((done, failed) =>
      (process.send as NonNullable<typeof process.send>)(answer, undefined, {}, (e) =>
        e ? failed(e) : done(),
      ),
    );
  /** The referenced stacks' outputs of the last request, by stack. */
  let held = new Map<string, ReferencedStack>();
  process.on("message", (message: WorkerRequest) => {
    if ("preload" in message) {
      // Loading the program ahead of its first stack overlaps with the planner's own work. A program that
      // fails to load fails its first stack's run the same way, which reports it.
      try {
        require(message.preload);
      } catch {}
      process.send?.({ loaded: message.preload } satisfies WorkerLoaded);
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
    planStack({ ...message.request, stackOutputs }, started, true)
      .then(({ plan, reference }) =>
        send({
          id: message.id,
          plan,
          ...(reference ? { reference } : {}),
          maxRssKiB: process.resourceUsage().maxRSS,
        }),
      )
      .catch((e: unknown) => {
        // A failure of the worker itself (not of the program, which the plan reports): end as a crash does.
        process.stderr.write(`stack worker: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exit(1);
      });
  });
  // The pool closes the channel when the plan is done: nothing is left to do.
  process.on("disconnect", () => process.exit(0));
}
