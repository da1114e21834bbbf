/**
 * Runs a program under the Pulumi SDK's mock runtime with the shared mock model, and returns what it
 * registered: type, name, URN, parent, provider, options that matter to a deployment, and inputs
 * (with the names of secret inputs). Errors thrown while the program builds its resources come back too.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { MockModel, type StackOutputs } from "../model/mocks";

// waitForRPCs is the SDK's own "every registration has settled" barrier, and leakedPromises clears the
// record of promises a failed run left pending (which would otherwise be reported at exit); neither is
// in the typings.
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> };
const { leakedPromises } = require("@pulumi/pulumi/runtime/debuggable") as { leakedPromises: () => unknown };

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

export interface RegisteredResource {
  type: string;
  name: string;
  urn: string;
  /** URN of the parent resource, or undefined at the top. */
  parent?: string;
  custom: boolean;
  /** Provider reference (`<urn>::<id>`) when the resource names one. */
  provider?: string;
  protect: boolean;
  /** Inputs with secrets unwrapped (tests may compare them). */
  inputs: Record<string, unknown>;
  /** Top-level input names whose value is, or holds, a secret. */
  secretInputs: string[];
}

function holdsSecret(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  const record = value as Record<string, unknown>;
  if (record[SIG_KEY] === "1b47061264138c4ac30d75fd1eb44270") return true;
  return Object.values(record).some(holdsSecret);
}

function unwrap(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrap);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (SECRET_SIG in record) {
    if (record[SIG_KEY] === "1b47061264138c4ac30d75fd1eb44270") return unwrap(record.value);
    return record.urn ?? record.value ?? record;
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrap(v)]));
}

/** Everything one program registered, in registration order, with lookups tests use. */
export class ResourceList {
  constructor(readonly all: RegisteredResource[]) {}

  ofType(type: string): RegisteredResource[] {
    return this.all.filter((r) => r.type === type);
  }

  named(name: string): RegisteredResource {
    const found = this.all.find((r) => r.name === name);
    if (!found)
      throw new Error(`no resource named ${name}; registered: ${this.all.map((r) => r.name).join(", ")}`);
    return found;
  }

  childrenOf(urn: string): RegisteredResource[] {
    return this.all.filter((r) => r.parent === urn);
  }

  get length(): number {
    return this.all.length;
  }
}

/** A resource the program read rather than created (a StackReference): its type and name, and what it read. */
export interface ReadResource {
  type: string;
  name: string;
  /** The id read: for a StackReference, the referenced stack's fully qualified name. */
  id: string;
}

/** Records every read request (StackReferences) before the mock monitor answers it. */
function recordReads(monitor: MockMonitor): ReadResource[] {
  const recorded: ReadResource[] = [];
  const answer = monitor.readResource.bind(monitor);
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's monitor request is an untyped gRPC message.
  monitor.readResource = (req: any, callback: any) => {
    recorded.push({ type: req.getType(), name: req.getName(), id: req.getId() });
    return answer(req, callback);
  };
  return recorded;
}

/** Records every registration request before the mock monitor answers it. */
function recordRegistrations(monitor: MockMonitor): RegisteredResource[] {
  const recorded: RegisteredResource[] = [];
  const answer = monitor.registerResource.bind(monitor);
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's monitor request is an untyped gRPC message.
  monitor.registerResource = (req: any, callback: any) => {
    const raw = req.getObject()?.toJavaScript() ?? {};
    const parent: string = req.getParent();
    const type: string = req.getType();
    const name: string = req.getName();
    const parentType = parent ? parent.split("::")[2].split("$").pop() : undefined;
    recorded.push({
      type,
      name,
      urn: `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${parentType ? `${parentType}$${type}` : type}::${name}`,
      ...(parent ? { parent } : {}),
      custom: req.getCustom(),
      ...(req.getProvider() ? { provider: req.getProvider() } : {}),
      protect: req.getProtect() === true,
      inputs: unwrap(raw) as Record<string, unknown>,
      secretInputs: Object.keys(raw).filter((k) => holdsSecret(raw[k])),
    });
    return answer(req, callback);
  };
  return recorded;
}

export interface RunResult<T> {
  resources: ResourceList;
  /** What the program read (StackReferences), which registers nothing. */
  reads: ReadResource[];
  /** What the program returned (a component, or a stack's outputs), awaited when it is a promise. */
  result?: T;
  /** What the program threw, synchronously or while its registrations settled. */
  error?: Error;
}

export interface RunOptions {
  /** What `pulumi.getStack()` returns. @default "test". */
  stack?: string;
  /** What `pulumi.getProject()` returns. @default "hybridnet". */
  project?: string;
  /** What `pulumi.getOrganization()` returns. @default "organization" (the DIY backend's). */
  organization?: string;
  /**
   * The stack's config as the CLI hands it to a program: `hybridnet:vpc` → JSON text (model/environment
   * `cliConfig` turns a stack YAML's map into this). @default empty.
   */
  config?: Record<string, string>;
  /** Outputs of the stacks the program references (see MockModelOptions). @default none deployed. */
  stackOutputs?: StackOutputs;
}

/**
 * Runs `program` against a fresh mock runtime and the shared mock model, with `options` setting the stack,
 * project, organization, config and the outputs of referenced stacks. A program that returns a promise (an
 * async Pulumi program) is awaited before the run's registrations are.
 */
export async function runProgram<T>(
  program: () => T | Promise<T>,
  options: RunOptions = {},
): Promise<RunResult<T>> {
  const model = new MockModel(options.stackOutputs ? { stackOutputs: options.stackOutputs } : {});
  const mocks: pulumi.runtime.Mocks = {
    newResource: (args) => model.newResource(args),
    call: (args) => model.call(args),
  };
  const project = options.project ?? "hybridnet";
  const stack = options.stack ?? "test";
  await pulumi.runtime.setMocks(mocks, project, stack, false, options.organization ?? "organization");
  pulumi.runtime.setAllConfig(options.config ?? {}, []);
  const recorded = recordRegistrations(getMonitor() as unknown as MockMonitor);
  const reads = recordReads(getMonitor() as unknown as MockMonitor);
  let result: T | undefined;
  let error: Error | undefined;
  // An error thrown inside an apply (a secret pre-shared key that fails its check, say) surfaces as an
  // unhandled rejection, which a real `pulumi up` reports as the run's failure: so does this harness.
  let rejected: () => void = () => {};
  const stopped = new Promise<void>((done) => {
    rejected = done;
  });
  const onRejection = (reason: unknown) => {
    error ??= reason instanceof Error ? reason : new Error(String(reason));
    rejected();
  };
  process.on("unhandledRejection", onRejection);
  try {
    const returned = program();
    result = isPromise(returned) ? await returned : returned;
  } catch (e) {
    error = e as Error;
  }
  try {
    // After such a failure the registrations that waited on it never settle; the run is over.
    await Promise.race([waitForRPCs(), stopped]);
  } catch (e) {
    error ??= e as Error;
  } finally {
    await new Promise((done) => setImmediate(done));
    process.off("unhandledRejection", onRejection);
    if (error) leakedPromises();
  }
  return {
    resources: new ResourceList(recorded),
    reads,
    ...(result !== undefined ? { result } : {}),
    ...(error ? { error } : {}),
  };
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === "function";
}

/** Resolves an Output (or plain value) and says whether it is secret. */
export async function resolve<T>(value: pulumi.Input<T>): Promise<{ value: T; secret: boolean }> {
  const output = pulumi.output(value);
  const [resolved, secret] = await Promise.all([
    new Promise<T>((done) => output.apply((v) => done(v as T))),
    pulumi.isSecret(output),
  ]);
  return { value: resolved, secret };
}
