/**
 * The entry of ONE stack process of the offline planner. Runs a program module under the SDK's mock runtime
 * with the shared mock model and writes one JSON document (a {@link StackPlan}): the resources it
 * registered (with the id and state the mock model answered), its outputs, any error. Secrets never appear in
 * it: secret inputs, resource outputs and stack outputs show "[secret]".
 *
 * Request: a {@link StackRequest} as JSON, given as the first argument (inline JSON or a file path) or on
 * stdin. The document goes to `request.out` or stdout (what the program prints goes to stderr). With
 * `request.sidecar` the parent has opened file descriptor 3 (cli/spawnStack.ts does), and two more things
 * go there, never to stdout: the outputs with secret values, which the planner hands to the stacks that
 * reference this one, and the peak RSS at exit.
 *
 * Started by cli/spawnStack.ts with the node flags that make the SDK fast offline; see docs/performance.md.
 */
import "./offlineSdk";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { type Problem, ValidationError } from "../model/errors";
import { installBoundedHeap } from "./boundedHeap";
import { shownValue } from "./errors";
import {
  type LoggedMessage,
  type ReadResource,
  type RecordedResource,
  type ReferencedStack,
  resolveOutputs,
  runUnderMocks,
  stackOutputsFor,
} from "./mockRuntime";
import { sdkCuts } from "./offlineSdk";

export interface StackRequest {
  /** Program module (.ts, or its compiled .js), absolute or relative to the working directory. */
  program: string;
  /**
   * Export of the module that is the program: a function is called and returns the stack outputs; any other
   * value is the outputs. @default none: loading the module runs the program and its exports are the outputs,
   * as with `pulumi up`.
   */
  export?: string;
  stack: string;
  project: string;
  /** What `pulumi.getOrganization()` returns. @default "organization" (the DIY backend's). */
  organization?: string;
  /** Stack config, `<namespace>:<key>` → value as text (as the CLI hands it to a program). */
  config?: Record<string, string>;
  /** Config keys whose values are secret. */
  secretConfigKeys?: string[];
  /**
   * Outputs of the stacks the program references, by fully qualified name (`organization/hybridnet/
   * connectivity-dev`): what their stack processes returned as `reference`. A stack not listed has no
   * outputs, as one not deployed yet.
   */
  stackOutputs?: Record<string, ReferencedStack>;
  /** File the document is written to. @default stdout. */
  out?: string;
  /**
   * The parent opened file descriptor 3 for the {@link StackSidecar} (cli/spawnStack.ts does). @default false.
   */
  sidecar?: boolean;
  /** Answer registrations without the SDK monitor's protobuf round trip (same answers). @default true. */
  leanMonitor?: boolean;
  /** Run as `pulumi preview` does (see MockRunOptions.preview): for tests of the cuts. @default false. */
  preview?: boolean;
}

/**
 * A planned resource: inputs, and the id and outputs the mock model answered, with secrets as "[secret]";
 * `secretInputs` names the secret inputs.
 */
export type PlannedResource = RecordedResource;

export interface StackPlan {
  stack: string;
  project: string;
  /** Every registration in order; empty when the program failed (a failed program plans nothing). */
  resources: PlannedResource[];
  /** What the program read (StackReferences: the id is the referenced stack). */
  reads: ReadResource[];
  /** Stack outputs; secret ones as "[secret]". */
  outputs: Record<string, unknown>;
  secretOutputNames: string[];
  /** What the program logged (`pulumi.log.warn` and the rest), in order: the diagnostics `pulumi up` shows. */
  logs: LoggedMessage[];
  /**
   * Why the program failed: a ValidationError's message verbatim, and its `where` and problems (values
   * JSON-safe, secrets as "[secret]").
   */
  error?: { name: string; message: string; where?: string; problems?: Problem[] };
  stats: {
    /** Registrations the program made (also when it failed). */
    registrations: number;
    /** From process start to the document being ready. */
    wallMs: number;
    /** Peak resident set size so far, KiB (the parent gets the figure at exit on fd 3). */
    maxRssKiB: number;
    /** The SDK cuts of cli/offlineSdk.ts in place. */
    sdkCuts: string[];
    leanMonitor: boolean;
  };
}

/** What goes to file descriptor 3, when open: never printed by the planner. */
export interface StackSidecar {
  /** Outputs with secret values, for the stacks that reference this one. */
  reference?: ReferencedStack;
  /** Peak resident set size of the process at exit, KiB. */
  maxRssKiB: number;
}

function readRequest(): StackRequest {
  const arg = process.argv[2];
  const text =
    arg === undefined || arg === "-"
      ? fs.readFileSync(0, "utf8")
      : arg.trimStart().startsWith("{")
        ? arg
        : fs.readFileSync(arg, "utf8");
  const request = JSON.parse(text) as StackRequest;
  for (const field of ["program", "stack", "project"] as const)
    if (typeof request[field] !== "string" || request[field] === "")
      throw new Error(`stack request: "${field}" must be a non-empty string`);
  return request;
}

/**
 * The program: the named export (called when a function) or, without one, the module as `pulumi up` runs it:
 * a module that is a function (`export = async () => ...`) is called, any other module ran when loaded and
 * its exports are the outputs. A warm worker runs many stacks in one process: a module that runs when loaded
 * leaves the require cache after its run, so the next stack loads (runs) it again; a function or an export
 * stays loaded and is called again. The modules it imports stay loaded either way: a program must read its
 * config (and stack name) when it runs, not when a module it imports loads, as the landing-zone program does.
 */
function programOf(request: StackRequest): () => unknown {
  return () => {
    const file = require.resolve(path.resolve(request.program));
    const module = require(file) as unknown;
    if (request.export === undefined) {
      if (typeof module === "function") return (module as () => unknown)();
      delete require.cache[file];
      return { ...(module as object) };
    }
    const exports = module as Record<string, unknown>;
    if (!(request.export in exports)) throw new Error(`${request.program} has no export "${request.export}"`);
    const value = exports[request.export];
    return typeof value === "function" ? (value as () => unknown)() : value;
  };
}

function describe(error: Error): NonNullable<StackPlan["error"]> {
  if (error instanceof ValidationError)
    return {
      name: error.name,
      message: error.message,
      where: error.where,
      problems: error.problems.map((p) => ({ ...p, value: shownValue(p) })),
    };
  return { name: error.name || "Error", message: error.message };
}

/**
 * Runs the program of `request` under the mock runtime (the runtime's per-stack state set afresh: settings,
 * config, monitor, mock model) and returns its plan and, with `request.sidecar` or `withReference`, the
 * outputs with secret values for the stacks that reference it. The one path of a stack process and of a
 * warm worker (cli/stackWorker.ts), which calls it once per stack. `startedAt` is when this run began
 * (`performance.now()`), for `stats.wallMs`.
 */
export async function planStack(
  request: StackRequest,
  startedAt = 0,
  withReference = request.sidecar ?? false,
): Promise<{ plan: StackPlan; reference?: ReferencedStack }> {
  const leanMonitor = request.leanMonitor ?? true;
  const run = await runUnderMocks(programOf(request), {
    stack: request.stack,
    project: request.project,
    ...(request.organization ? { organization: request.organization } : {}),
    config: request.config ?? {},
    secretConfigKeys: request.secretConfigKeys ?? [],
    stackOutputs: stackOutputsFor(request.stackOutputs ?? {}),
    secrets: "redact",
    leanMonitor,
    preview: request.preview ?? false,
  });
  let error = run.error;
  let outputs: Record<string, unknown> = {};
  let secretOutputNames: string[] = [];
  let reference: ReferencedStack | undefined;
  if (!error && run.result !== null && typeof run.result === "object")
    try {
      const given = run.result as Record<string, unknown>;
      const redacted = await resolveOutputs(given, "redact");
      outputs = redacted.values;
      secretOutputNames = redacted.secretNames;
      if (withReference) {
        const revealed = await resolveOutputs(given, "unwrap");
        reference = { outputs: revealed.values, secretOutputNames: revealed.secretNames };
      }
    } catch (e) {
      error = e as Error;
    }
  const plan: StackPlan = {
    stack: request.stack,
    project: request.project,
    resources: error ? [] : run.resources,
    reads: run.reads,
    outputs: error ? {} : outputs,
    secretOutputNames: error ? [] : secretOutputNames,
    logs: run.logs,
    ...(error ? { error: describe(error) } : {}),
    stats: {
      registrations: run.resources.length,
      wallMs: Math.round(performance.now() - startedAt),
      maxRssKiB: process.resourceUsage().maxRSS,
      sdkCuts: [...sdkCuts],
      leanMonitor,
    },
  };
  return { plan, ...(reference ? { reference } : {}) };
}

async function main(): Promise<void> {
  if (sdkCuts.includes("boundedHeap")) installBoundedHeap();
  const request = readRequest();
  // Stdout carries the document alone: what the program prints (console.log) goes to stderr.
  const stdout = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  const { plan, reference } = await planStack(request);
  const document = JSON.stringify(plan);
  if (request.out) fs.writeFileSync(request.out, document);
  else await new Promise<void>((done) => stdout(document, () => done()));
  if (request.sidecar) {
    const sidecar: StackSidecar = {
      ...(reference ? { reference } : {}),
      maxRssKiB: process.resourceUsage().maxRSS,
    };
    // File descriptor 3 is a pipe the parent reads: a socket, so write through one (it may be non-blocking).
    const channel = new net.Socket({ fd: 3, readable: false, writable: true });
    await new Promise<void>((done) => channel.end(JSON.stringify(sidecar), () => done()));
  }
  // Nothing is left to do; skip tearing down a heap of resource objects.
  process.exit(0);
}

if (require.main === module)
  main().catch((e: unknown) => {
    process.stderr.write(`stack process: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
