/**
 * Runs a Pulumi program under the SDK's mock runtime with the shared mock model (cli/mocks) and records
 * what it registered and what the model answered (id and state). The one recorder: the stack process of the offline planner uses it with secrets
 * redacted, the test harness with secrets unwrapped (tests compare generated keys).
 *
 * Offline, a stack process may also answer registrations through a lean monitor (`leanMonitor`): the same
 * mock model and the same answers, without the protobuf round trip the SDK's MockMonitor makes per resource.
 */
import { createHmac } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { SECRET_SHOWN } from "../model/errors";
import { LEAN_MONITOR } from "./leanRegistration";
import { MockModel, mockSecret, type StackOutputs } from "./mocks";

// waitForRPCs is the SDK's own "every registration has settled" barrier, and leakedPromises clears the
// record of promises a failed run left pending (which would otherwise be reported at exit); neither is in
// the typings.
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> };
const { leakedPromises } = require("@pulumi/pulumi/runtime/debuggable") as { leakedPromises: () => unknown };
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
  deserializeProperties: (struct: { toJavaScript(): Record<string, unknown> }) => Record<string, unknown>;
  serializeProperties: (label: string, props: Record<string, unknown>) => Promise<Record<string, unknown>>;
};
const resproto = require("@pulumi/pulumi/proto/resource_pb") as { Result: { SUCCESS: number } };

/** Pulumi's wire markers: a secret, a resource reference. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** What a secret value becomes in a plan: never the value (what the planner shows for one). */
export const REDACTED = SECRET_SHOWN;

export interface RecordedResource {
  type: string;
  name: string;
  urn: string;
  /** URN of the parent resource, or undefined at the top. */
  parent?: string;
  custom: boolean;
  /** Provider reference (`<urn>::<id>`) when the resource names one. */
  provider?: string;
  protect: boolean;
  /** Inputs; secrets unwrapped or shown as "[secret]", by the recorder's `secrets` mode. */
  inputs: Record<string, unknown>;
  /** Top-level input names whose value is, or holds, a secret. */
  secretInputs: string[];
  /**
   * With `HYBRIDNET_PLAN_KEY` set: an HMAC-SHA256 of each secret input under that key, so two plans made with
   * the same key can tell a changed secret from an unchanged one (a change plan) without either showing it.
   */
  secretDigests?: Record<string, string>;
  /** URNs the resource depends on (explicit `dependsOn`, and its inputs' resources). */
  dependencies: string[];
  /** Input name → URNs of the resources its value came from (what a policy pack's stack rules follow). */
  propertyDependencies: Record<string, string[]>;
  /** Outputs the resource asked the engine to keep secret. */
  additionalSecretOutputs: string[];
  /** The id the mock monitor answered: "" for a component, and until the answer arrives. */
  id: string;
  /**
   * The state the mock monitor answered (the resource's outputs, inputs included, as the provider reports
   * them after create): secrets by the recorder's `secrets` mode, as in `inputs`, and in "redact" mode the
   * `additionalSecretOutputs` too; resource references as their URN. Empty until the answer arrives.
   */
  outputs: Record<string, unknown>;
  /** Top-level output names whose value is, or holds, a secret (the additional secret outputs among them). */
  secretOutputs: string[];
}

/** "unwrap": secrets as their values (tests); "redact": secrets as "[secret]" (plans). */
export type SecretMode = "unwrap" | "redact";

function holdsSecret(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some(holdsSecret);
  const record = value as Record<string, unknown>;
  if (record[SIG_KEY] === SECRET_SIG) return true;
  for (const key in record) if (holdsSecret(record[key])) return true;
  return false;
}

/** Inputs off the wire as plain data: secrets by `mode`, resource references as their URN. */
function plain(value: unknown, mode: SecretMode): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => plain(v, mode));
  const record = value as Record<string, unknown>;
  const sig = record[SIG_KEY];
  if (sig !== undefined) {
    if (sig === SECRET_SIG) return mode === "redact" ? REDACTED : plain(record.value, mode);
    if (sig === RESOURCE_SIG) return record.urn;
    return record.value ?? record;
  }
  const out: Record<string, unknown> = {};
  for (const key in record) out[key] = plain(record[key], mode);
  return out;
}

/** The URN the monitor gives a resource: the parent's type qualifies the child's. */
function urnOf(stack: string, project: string, parent: string, type: string, name: string): string {
  const parentType = parent ? parent.split("::")[2].split("$").pop() : undefined;
  return `urn:pulumi:${stack}::${project}::${parentType ? `${parentType}$${type}` : type}::${name}`;
}

// biome-ignore lint/suspicious/noExplicitAny: the SDK's monitor request is an untyped gRPC message.
type RegisterRequest = any;

/**
 * Keyed digests of a resource's secret inputs, only when the user gives a key (`HYBRIDNET_PLAN_KEY`, kept as a
 * CI secret): an unkeyed hash of a short pre-shared key could be reversed by trying candidates.
 */
function secretDigests(
  urn: string,
  raw: Record<string, unknown>,
  secretInputs: readonly string[],
): Record<string, string> | undefined {
  const key = process.env.HYBRIDNET_PLAN_KEY;
  if (!key || secretInputs.length === 0) return undefined;
  return Object.fromEntries(
    secretInputs.map((name) => [
      name,
      createHmac("sha256", key)
        .update(`${urn}\0${name}\0${JSON.stringify(plain(raw[name], "unwrap"))}`)
        .digest("hex"),
    ]),
  );
}

function record(req: RegisterRequest, raw: Record<string, unknown>, mode: SecretMode): RecordedResource {
  const parent: string = req.getParent();
  const type: string = req.getType();
  const name: string = req.getName();
  const provider: string = req.getProvider();
  const secretInputs: string[] = [];
  for (const key in raw) if (holdsSecret(raw[key])) secretInputs.push(key);
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap()?.forEach((deps: { getUrnsList(): string[] }, key: string) => {
    const urns = deps.getUrnsList();
    if (urns.length > 0) propertyDependencies[key] = urns;
  });
  const urn = urnOf(pulumi.getStack(), pulumi.getProject(), parent, type, name);
  const digests = secretDigests(urn, raw, secretInputs);
  return {
    type,
    name,
    urn,
    ...(parent ? { parent } : {}),
    custom: req.getCustom(),
    ...(provider ? { provider } : {}),
    protect: req.getProtect() === true,
    inputs: plain(raw, mode) as Record<string, unknown>,
    secretInputs,
    ...(digests ? { secretDigests: digests } : {}),
    dependencies: req.getDependenciesList() ?? [],
    propertyDependencies,
    additionalSecretOutputs: req.getAdditionalsecretoutputsList() ?? [],
    id: "",
    outputs: {},
    secretOutputs: [],
  };
}

/**
 * The provider that places a resource in an account and region: its own; for a remote component (an awsx VPC),
 * which names its providers in a map instead, the `aws` one of the map. The engine hands a remote component's
 * provider to the component's own plugin; under mocks the model stands in for that plugin.
 */
function placingProvider(req: RegisterRequest): string {
  const own: string = req.getProvider();
  if (own || !req.getRemote()) return own;
  return req.getProvidersMap()?.get("aws") ?? "";
}

/**
 * Completes a record with the monitor's answer: its id, and its state (wire form) as plain data. The engine
 * makes the `additionalSecretOutputs` secret after the provider answers: a plan never shows them either.
 */
function answered(
  entry: RecordedResource,
  id: string,
  state: Record<string, unknown>,
  mode: SecretMode,
): void {
  // Only a custom resource has an id: Pulumi gives components none, whatever a mock answers.
  entry.id = entry.custom ? id : "";
  const outputs = plain(state, mode) as Record<string, unknown>;
  const secret: string[] = [];
  for (const key in state)
    if (holdsSecret(state[key]) || entry.additionalSecretOutputs.includes(key)) {
      secret.push(key);
      if (mode === "redact" && !holdsSecret(state[key])) outputs[key] = REDACTED;
    }
  entry.outputs = outputs;
  entry.secretOutputs = secret;
}

/** What the SDK's MockMonitor keeps of each registration, by URN. */
interface RegisteredState {
  urn: string;
  id: string | null;
  /** The state in wire form (secrets and resource references as the engine marks them). */
  state: Record<string, unknown>;
}

/**
 * Records every registration request before the mock monitor answers it, in registration order. With
 * `lean`, the monitor's answer is replaced by the same answer without protobuf: the request's inputs are
 * decoded once (for the record and the model), and the model's state goes back to the SDK as plain data.
 */
export function recordRegistrations(
  monitor: MockMonitor,
  options: { secrets: SecretMode; lean?: boolean; mocks?: pulumi.runtime.Mocks },
): RecordedResource[] {
  const recorded: RecordedResource[] = [];
  const answer = monitor.registerResource.bind(monitor);
  // What the monitor answered, by URN (the SDK's MockMonitor keeps the state in wire form; so does the lean one).
  const registered = (monitor as unknown as { resources: Map<string, RegisteredState> }).resources;
  if (!options.lean || !options.mocks) {
    monitor.registerResource = (req: RegisterRequest, callback: RegisterRequest) => {
      const entry = record(req, req.getObject()?.toJavaScript() ?? {}, options.secrets);
      recorded.push(entry);
      // The SDK's monitor hands the model the request's provider: give a remote component its placing one.
      if (!entry.provider && req.getRemote()) req.setProvider(placingProvider(req));
      return answer(req, (err: unknown, response: RegisterRequest) => {
        if (!err && response) {
          const urn: string = response.getUrn();
          answered(entry, response.getId(), registered.get(urn)?.state ?? {}, options.secrets);
        }
        callback(err, response);
      });
    };
    return recorded;
  }
  const mocks = options.mocks;
  // Takes the SDK's protobuf request or the plain one of the `leanRegistration` cut (cli/leanRegistration.ts).
  const lean = async (req: RegisterRequest, callback: RegisterRequest) => {
    try {
      const raw: Record<string, unknown> = req.getObject()?.toJavaScript() ?? {};
      const entry = record(req, raw, options.secrets);
      recorded.push(entry);
      const result = await mocks.newResource({
        type: entry.type,
        name: entry.name,
        inputs: rpc.deserializeProperties({ toJavaScript: () => raw }),
        provider: placingProvider(req),
        custom: entry.custom,
        id: req.getImportid(),
      });
      const state = await rpc.serializeProperties("", result.state);
      const id = result.id ?? null;
      // What `pulumi:pulumi:getResource` and registerResourceOutputs look up, as the SDK's monitor keeps it.
      registered.set(entry.urn, { urn: entry.urn, id, state });
      answered(entry, id || "", state, options.secrets);
      callback(null, {
        getUrn: () => entry.urn,
        getId: () => id || "",
        getObject: () => ({ toJavaScript: () => state }),
        getPropertydependenciesMap: () => undefined,
        getResult: () => resproto.Result.SUCCESS,
        // The SDK logs the response at debug level by interpolating it: keep that cheap.
        toString: () => entry.urn,
      });
    } catch (err) {
      callback(err, undefined);
    }
  };
  monitor.registerResource = Object.assign(lean, { [LEAN_MONITOR]: true });
  return recorded;
}

/** A resource the program read rather than created (a StackReference): its type and name, and what it read. */
export interface ReadResource {
  type: string;
  name: string;
  /** The id read: for a StackReference, the referenced stack's fully qualified name. */
  id: string;
}

/**
 * Records every read request (StackReferences) before the mock monitor answers it. With `lean`, the answer is
 * the SDK monitor's without protobuf, as for registrations: a StackReference's answer holds every output of
 * the stack it reads, which the SDK's monitor turns into a protobuf Struct and the SDK back into plain data.
 */
export function recordReads(
  monitor: MockMonitor,
  options: { lean?: boolean; mocks?: pulumi.runtime.Mocks } = {},
): ReadResource[] {
  const recorded: ReadResource[] = [];
  const answer = monitor.readResource.bind(monitor);
  const mocks = options.mocks;
  if (!options.lean || !mocks) {
    monitor.readResource = (req: RegisterRequest, callback: RegisterRequest) => {
      recorded.push({ type: req.getType(), name: req.getName(), id: req.getId() });
      return answer(req, callback);
    };
    return recorded;
  }
  const registered = (monitor as unknown as { resources: Map<string, RegisteredState> }).resources;
  monitor.readResource = async (req: RegisterRequest, callback: RegisterRequest) => {
    try {
      const read = {
        type: req.getType() as string,
        name: req.getName() as string,
        id: req.getId() as string,
      };
      recorded.push(read);
      const result = await mocks.newResource({
        type: read.type,
        name: read.name,
        inputs: rpc.deserializeProperties(req.getProperties()),
        provider: req.getProvider(),
        custom: true,
        id: read.id,
      });
      const urn = urnOf(pulumi.getStack(), pulumi.getProject(), req.getParent(), read.type, read.name);
      const state = await rpc.serializeProperties("", result.state);
      registered.set(urn, { urn, id: result.id ?? null, state });
      callback(null, { getUrn: () => urn, getProperties: () => ({ toJavaScript: () => state }) });
    } catch (err) {
      callback(err, undefined);
    }
  };
  return recorded;
}

/** A referenced stack's outputs as the planner passes them on: plain values, and which of them are secret. */
export interface ReferencedStack {
  outputs: Record<string, unknown>;
  /** Output names whose values are secret: they stay secret in the referencing stack. */
  secretOutputNames?: string[];
}

/** Referenced stacks' outputs in the mock model's form: secret values wrapped as the engine marks them. */
export function stackOutputsFor(referenced: Record<string, ReferencedStack>): StackOutputs {
  return Object.fromEntries(
    Object.entries(referenced).map(([stack, { outputs, secretOutputNames = [] }]) => [
      stack,
      Object.fromEntries(
        Object.entries(outputs).map(([k, v]) => [k, secretOutputNames.includes(k) ? mockSecret(v) : v]),
      ),
    ]),
  );
}

export interface MockRunOptions {
  /** What `pulumi.getStack()` returns. @default "test". */
  stack?: string;
  /** What `pulumi.getProject()` returns. @default "hybridnet". */
  project?: string;
  /** What `pulumi.getOrganization()` returns. @default "organization" (the DIY backend's). */
  organization?: string;
  /** The stack's config as the CLI hands it to a program: `hybridnet:vpc` → text. @default empty. */
  config?: Record<string, string>;
  /** Config keys whose values are secret. @default none. */
  secretConfigKeys?: string[];
  /** Outputs of the stacks the program references (see MockModelOptions). @default none deployed. */
  stackOutputs?: StackOutputs;
  /** How recorded inputs show secrets. @default "unwrap". */
  secrets?: SecretMode;
  /** Answer registrations without the SDK monitor's protobuf round trip (same answers). @default false. */
  leanMonitor?: boolean;
  /**
   * Run as `pulumi preview` does: the SDK in dry-run mode, and every new resource answered with its inputs only,
   * so its id and every value AWS computes are unknown to the resources and components that take them.
   * StackReferences still read the referenced stacks' outputs (they exist before a preview), and functions
   * (`aws.getAvailabilityZones`) still answer. @default false.
   */
  preview?: boolean;
}

/**
 * The answer `pulumi preview` gives a new resource: no id and no computed state, only the inputs the program
 * gave it (which may themselves be unknown). A StackReference is a read of a stack that exists: its answer stays.
 */
export function previewAnswer(
  args: pulumi.runtime.MockResourceArgs,
  answer: { id: string | undefined; state: Record<string, unknown> },
): { id: string | undefined; state: Record<string, unknown> } {
  if (args.type === "pulumi:pulumi:StackReference" || args.type.startsWith("pulumi:providers:"))
    return answer;
  return { id: undefined, state: { ...args.inputs } };
}

/** A message the program logged (`pulumi.log.info`, `warn`, `error`), which `pulumi up` shows as a diagnostic. */
export interface LoggedMessage {
  level: "info" | "warning" | "error";
  message: string;
}

export interface MockRunResult<T> {
  /** Every registration, in order. */
  resources: RecordedResource[];
  /** What the program logged, in order: recorded for the caller to show or check, not printed. */
  logs: LoggedMessage[];
  /** What the program read (StackReferences), which registers nothing. */
  reads: ReadResource[];
  /** What the program returned (a component, or a stack's outputs). */
  result?: T;
  /** What the program threw, synchronously or while its registrations settled. */
  error?: Error;
}

/**
 * Runs `program` against a fresh mock runtime and a fresh MockModel, and waits until every registration
 * has settled. A program that returns a promise (an async Pulumi program) is awaited first. An error thrown
 * inside an apply (a secret pre-shared key that fails its check, say) surfaces as an unhandled rejection,
 * which a real `pulumi up` reports as the run's failure: so does this.
 */
export async function runUnderMocks<T>(
  program: () => T | Promise<T>,
  options: MockRunOptions = {},
): Promise<MockRunResult<T>> {
  const stack = options.stack ?? "test";
  const model = new MockModel({
    stack,
    ...(options.stackOutputs ? { stackOutputs: options.stackOutputs } : {}),
  });
  const preview = options.preview ?? false;
  const mocks: pulumi.runtime.Mocks = {
    newResource: (args) => (preview ? previewAnswer(args, model.newResource(args)) : model.newResource(args)),
    call: (args) => model.call(args),
  };
  await pulumi.runtime.setMocks(
    mocks,
    options.project ?? "hybridnet",
    stack,
    preview,
    options.organization ?? "organization",
  );
  pulumi.runtime.setAllConfig(options.config ?? {}, options.secretConfigKeys ?? []);
  const monitor = getMonitor() as unknown as MockMonitor;
  const recorded = recordRegistrations(monitor, {
    secrets: options.secrets ?? "unwrap",
    lean: options.leanMonitor ?? false,
    mocks,
  });
  const reads = recordReads(monitor, { lean: options.leanMonitor ?? false, mocks });
  const logs: LoggedMessage[] = [];
  const restoreLog = recordLogs(logs);
  let result: T | undefined;
  let error: Error | undefined;
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
    restoreLog();
    if (error) leakedPromises();
  }
  return {
    resources: recorded,
    logs,
    reads,
    ...(result !== undefined ? { result } : {}),
    ...(error ? { error } : {}),
  };
}

type LogFunction = (message: string, resource?: pulumi.Resource) => Promise<void>;

/**
 * Records what the program logs into `logs` until the returned function restores the SDK's log functions.
 * Without an engine (under mocks) the SDK prints them to the console as `warning: [runtime] …`; recorded,
 * the planner reports them with their stack and tests check them instead of printing them.
 */
function recordLogs(logs: LoggedMessage[]): () => void {
  const log = pulumi.log as unknown as Record<"info" | "warn" | "error", LogFunction>;
  const original = { info: log.info, warn: log.warn, error: log.error };
  const levels = { info: "info", warn: "warning", error: "error" } as const;
  for (const name of ["info", "warn", "error"] as const)
    log[name] = async (message: string) => {
      logs.push({ level: levels[name], message });
    };
  return () => Object.assign(log, original);
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === "function";
}

/**
 * A stack's outputs resolved: values (secrets by `mode`; an output unknown in preview has none) and the names of
 * the secret ones.
 */
export async function resolveOutputs(
  outputs: Record<string, unknown>,
  mode: SecretMode,
): Promise<{ values: Record<string, unknown>; secretNames: string[] }> {
  const values: Record<string, unknown> = {};
  const secretNames: string[] = [];
  await Promise.all(
    Object.keys(outputs).map(async (key) => {
      const output = pulumi.output(outputs[key] as pulumi.Input<unknown>) as pulumi.Output<unknown>;
      // In preview an output may be unknown, and an apply never runs on one: it has no value (undefined).
      const known = await (output as unknown as { isKnown: Promise<boolean> }).isKnown;
      const [value, secret] = await Promise.all([
        known ? new Promise<unknown>((done) => output.apply((v) => done(v))) : undefined,
        pulumi.isSecret(output),
      ]);
      if (secret) secretNames.push(key);
      values[key] = secret && mode === "redact" ? REDACTED : value;
    }),
  );
  secretNames.sort();
  return { values: Object.fromEntries(Object.keys(outputs).map((k) => [k, values[k]])), secretNames };
}
