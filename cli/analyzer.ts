/**
 * Drives a CrossGuard policy pack the way the Pulumi CLI does: starts the pack as a process (which serves the
 * Analyzer gRPC service and prints its port), asks for its policies (`getAnalyzerInfo`), sends the policy
 * config (`configure`), then `analyze` for each resource and `analyzeStack` for the whole stack, and returns
 * the diagnostics. The tests and the offline planner both use it, so a plan runs the same pack `pulumi
 * preview --policy-pack policy` runs.
 *
 * Properties go over the wire as the CLI marshals them (`KeepSecrets: true`): a secret input is wrapped in
 * Pulumi's secret signature, so the pack can tell a secret pre-shared key from a plain one.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import type { AnalyzerClient as Client } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import type { Empty as EmptyMessage } from "google-protobuf/google/protobuf/empty_pb";
import type * as structPb from "google-protobuf/google/protobuf/struct_pb";
import { compilePack, ensureCompiled, POLICY_PACK_DIR, ROOT } from "./build";

// The request messages must come from the protobuf modules @pulumi/pulumi's generated code uses.
const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/proto/analyzer_pb"));
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb") as typeof structPb;
const { AnalyzerClient, AnalyzerService } = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as {
  AnalyzerClient: new (address: string, credentials: grpc.ChannelCredentials) => Client;
  AnalyzerService: { getAnalyzerInfo: { requestType: new () => EmptyMessage } };
};

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** One policy violation, as `pulumi preview` reports it. */
export interface Diagnostic {
  /** The policy (rule) name. */
  policy: string;
  level: EnforcementLevel;
  /** What is wrong with this resource or stack (the policy's description is in `description`). */
  message: string;
  /** The resource at fault; undefined for a violation of the stack as a whole. */
  urn?: string;
  /** Why the policy exists. */
  description: string;
}

/** A policy the pack serves. */
export interface PolicyInfo {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  kind: "resource" | "stack";
  /** JSON schema of each config property. */
  configSchema: Record<string, unknown>;
}

export interface PackInfo {
  name: string;
  version: string;
  policies: PolicyInfo[];
}

/** A resource to analyze: what a mock run of a program (tests/harness `runProgram`) records, plus its graph. */
export interface ResourceToAnalyze {
  type: string;
  name: string;
  urn: string;
  parent?: string;
  /** Provider reference `<provider urn>::<id>`, when the resource names a provider. */
  provider?: string;
  protect?: boolean;
  /** Input properties, secrets unwrapped. */
  inputs: Record<string, unknown>;
  /** Top-level inputs whose value is (or holds) a secret: sent wrapped as secrets. */
  secretInputs?: readonly string[];
  /** URNs the resource depends on. */
  dependencies?: readonly string[];
  /** Input name → URNs of the resources its value came from. */
  propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  additionalSecretOutputs?: readonly string[];
}

/** Policy config as in a `--policy-pack-config` file: a level, or a level and the policy's own settings. */
export type PolicyPackConfig = Record<
  string,
  EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

const LEVELS: Record<number, EnforcementLevel> = {
  [pb.EnforcementLevel.ADVISORY]: "advisory",
  [pb.EnforcementLevel.MANDATORY]: "mandatory",
  [pb.EnforcementLevel.REMEDIATE]: "remediate",
  [pb.EnforcementLevel.DISABLED]: "disabled",
};
const LEVEL_CODES = Object.fromEntries(
  Object.entries(LEVELS).map(([code, level]) => [level, Number(code)]),
) as Record<EnforcementLevel, pb.EnforcementLevel>;

/**
 * Pulumi's wire markers of a secret (`specialSigKey`, `specialSecretSig` of `@pulumi/pulumi/runtime/rpc`),
 * written out: loading that module loads most of the SDK, about 1,000 modules the planner's own process
 * never needs (tests/planWorkers.test.ts checks they equal the SDK's).
 */
export const WIRE_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const WIRE_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Wraps a value the way the engine marks a secret on the wire. */
function secretWire(value: unknown): Record<string, unknown> {
  return { [WIRE_SIG_KEY]: WIRE_SECRET_SIG, value };
}

/** JSON-safe properties: undefined dropped (the engine has no undefined), secrets wrapped. */
function plainProperties(
  inputs: Record<string, unknown>,
  secrets: readonly string[] = [],
): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(inputs ?? {})) as Record<string, unknown>;
  for (const key of secrets) if (key in plain) plain[key] = secretWire(plain[key]);
  return plain;
}

/** The properties as the gRPC path sends them: a protobuf Struct, encoded as the request is sent. */
function wireProperties(inputs: Record<string, unknown>, secrets: readonly string[] = []): structPb.Struct {
  return Struct.fromJavaScript(plainProperties(inputs, secrets) as Record<string, structPb.JavaScriptValue>);
}

/** Every object's keys in the order a protobuf Struct's map gives them back (sorted as strings), at every depth. */
function inStructOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inStructOrder);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  // Assigned as Struct.toJavaScript assigns them.
  for (const key of Object.keys(record).sort()) ordered[key] = inStructOrder(record[key]);
  return ordered;
}

/** Marks a value {@link jsonInStructOrder} leaves to JSON itself: not a plain object, array, string, boolean or number. */
const NOT_PLAIN: unique symbol = Symbol("not plain JSON");

/**
 * `inStructOrder(JSON.parse(JSON.stringify(value)))` in one walk, for plain data: objects of Object's
 * prototype (or none) without `toJSON`, arrays, strings, booleans, numbers, null. JSON's rules kept: an
 * undefined, function or symbol is dropped from an object and null in an array; NaN and ±Infinity are
 * null; -0 is 0. Anything else (a Date, a class instance, a Map, a BigInt) throws {@link NOT_PLAIN}.
 */
function jsonInStructOrder(value: unknown, inArray: boolean): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case "undefined":
    case "function":
    case "symbol":
      return inArray ? null : undefined;
    case "object": {
      if (value === null) return null;
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype || "toJSON" in value) throw NOT_PLAIN;
        const array = new Array(value.length);
        for (let i = 0; i < value.length; i++) array[i] = jsonInStructOrder(value[i], true);
        return array;
      }
      const prototype = Object.getPrototypeOf(value);
      if ((prototype !== Object.prototype && prototype !== null) || "toJSON" in value) throw NOT_PLAIN;
      const record = value as Record<string, unknown>;
      const ordered: Record<string, unknown> = {};
      // Assigned as Struct.toJavaScript assigns them.
      for (const key of Object.keys(record).sort()) {
        const plain = jsonInStructOrder(record[key], false);
        if (plain !== undefined) ordered[key] = plain;
      }
      return ordered;
    }
    default:
      throw NOT_PLAIN;
  }
}

/**
 * The properties as the pack reads them after the wire: what `Struct.toJavaScript()` of the gRPC path's
 * Struct returns once the pack decodes it (the same JSON, undefined dropped, secrets wrapped, every object's
 * keys sorted as protobuf's map sorts them). Plain data is converted in one walk; anything else as the
 * gRPC path converts it, through JSON.
 */
export function receivedProperties(
  inputs: Record<string, unknown>,
  secrets: readonly string[] = [],
): Record<string, unknown> {
  if (!secrets.some((key) => key in Object.prototype))
    try {
      const received = jsonInStructOrder(inputs ?? {}, false) as Record<string, unknown>;
      for (const key of secrets) if (key in received) received[key] = secretWire(received[key]);
      return received;
    } catch (error) {
      if (error !== NOT_PLAIN) throw error;
    }
  return inStructOrder(plainProperties(inputs, secrets)) as Record<string, unknown>;
}

/**
 * A protobuf Struct that holds its JavaScript form instead of its fields: for a pack called in this process
 * (cli/inProcessPack.ts), where nothing is encoded. It is a real Struct (a request message takes it), and
 * `toJavaScript()`, all the pack reads of it, returns what the gRPC path's Struct gives the pack.
 */
class ReceivedStruct extends Struct {
  constructor(private readonly received: Record<string, unknown>) {
    super();
  }

  override toJavaScript(): Record<string, structPb.JavaScriptValue> {
    return this.received as Record<string, structPb.JavaScriptValue>;
  }
}

/** How a resource's properties become a request's Struct: encoded for the wire, or as received. */
export type PropertiesForm = "wire" | "received";

function propertiesStruct(
  form: PropertiesForm,
  inputs: Record<string, unknown>,
  secrets?: readonly string[],
): structPb.Struct {
  return form === "wire"
    ? wireProperties(inputs, secrets)
    : new ReceivedStruct(receivedProperties(inputs, secrets));
}

/** Whether `packDir` is inside the project (then its TypeScript runs compiled, as the project's does). */
export function packInProject(packDir: string): boolean {
  return !path.relative(ROOT, packDir).startsWith("..");
}

/** The pack's TypeScript, compiled (every module of `packDir`), and the node arguments that run it. */
function packEntry(packDir: string): string[] {
  if (!packInProject(packDir)) return ["--require", require.resolve("tsx/cjs"), "index.ts"];
  return [compilePack(packDir)];
}

function call<Req, Res>(
  method: (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
  request: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method(request, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

/** `analyze` calls in flight at once in {@link PolicyPackClient.analyzeAll}. */
const ANALYZE_CONCURRENCY = 64;

/**
 * The wire forms of one stack's resources, each built once: a resource's properties go out with its
 * `analyze` and again with `analyzeStack`, and a provider's with every resource it provides. The messages
 * are shared, not copied: a request is encoded as it is sent, and nothing changes them after.
 */
export class StackWire {
  private readonly byUrn = new Map<string, ResourceToAnalyze>();
  private readonly structs = new Map<ResourceToAnalyze, structPb.Struct>();
  private readonly optionMessages = new Map<ResourceToAnalyze, pb.AnalyzerResourceOptions>();
  private readonly providers = new Map<string, pb.AnalyzerProviderResource | undefined>();

  constructor(
    readonly resources: readonly ResourceToAnalyze[],
    private readonly form: PropertiesForm = "wire",
  ) {
    // The first resource of a URN, as a search from the start finds it.
    for (const r of resources) if (!this.byUrn.has(r.urn)) this.byUrn.set(r.urn, r);
  }

  properties(r: ResourceToAnalyze): structPb.Struct {
    let struct = this.structs.get(r);
    if (!struct) {
      struct = propertiesStruct(this.form, r.inputs, r.secretInputs);
      this.structs.set(r, struct);
    }
    return struct;
  }

  options(r: ResourceToAnalyze): pb.AnalyzerResourceOptions {
    let options = this.optionMessages.get(r);
    if (!options) {
      options = new pb.AnalyzerResourceOptions();
      options.setProtect(r.protect ?? false);
      if (r.parent) options.setParent(r.parent);
      options.setAdditionalsecretoutputsList([...(r.additionalSecretOutputs ?? [])]);
      options.setIgnorechangesList([]);
      options.setAliasesList([]);
      options.setCustomtimeouts(new pb.AnalyzerResourceOptions.CustomTimeouts());
      this.optionMessages.set(r, options);
    }
    return options;
  }

  /** The resource of the provider `r` names (`<provider urn>::<id>`), when it is one of the stack's. */
  providerResource(r: ResourceToAnalyze): ResourceToAnalyze | undefined {
    return r.provider ? this.byUrn.get(r.provider.split("::").slice(0, -1).join("::")) : undefined;
  }

  /** The provider resource `r` names (`<provider urn>::<id>`), when it is one of the stack's resources. */
  provider(r: ResourceToAnalyze): pb.AnalyzerProviderResource | undefined {
    if (!r.provider) return undefined;
    const urn = r.provider.split("::").slice(0, -1).join("::");
    if (this.providers.has(urn)) return this.providers.get(urn);
    const found = this.providerResource(r);
    let provider: pb.AnalyzerProviderResource | undefined;
    if (found) {
      provider = new pb.AnalyzerProviderResource();
      provider.setType(found.type);
      provider.setName(found.name);
      provider.setUrn(found.urn);
      provider.setProperties(this.properties(found));
    }
    this.providers.set(urn, provider);
    return provider;
  }
}

/** A running policy pack and a gRPC client connected to it. */
export class PolicyPackClient {
  private info?: PackInfo;

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: Client,
    /** How long the pack took from spawn to serving, in milliseconds. */
    readonly startMs: number,
  ) {}

  /**
   * Starts the pack in `packDir` (its working directory, where it reads its version from package.json) with
   * Node.js, and connects once it prints its port. The pack runs compiled to JavaScript (cli/build.ts, into
   * `.build/`; a pack outside the project runs through tsx), so it loads no TypeScript compiler. The SDK's
   * function serialization (npm's arborist, pacote, sigstore, TypeScript: about 800 modules), which no policy
   * calls, loads on first call instead of with the SDK (cli/offlineSdk.ts's `lazyClosure`, alone): the pack
   * starts in half the CPU time and RSS. It exits when this process does (cli/packParent.ts). It starts in
   * about a second on a quiet machine; the limit is generous because at a load average of 20 it took more
   * than 30 s.
   */
  static async start(packDir: string = POLICY_PACK_DIR, timeoutMs = 120_000): Promise<PolicyPackClient> {
    const started = Date.now();
    const lazyClosure = ensureCompiled(path.join(ROOT, "cli", "offlineSdk.ts"));
    const exitWithParent = ensureCompiled(path.join(ROOT, "cli", "packParent.ts"));
    const child = spawn(
      process.execPath,
      [
        // For measurements: node flags for the pack alone ("--cpu-prof --cpu-prof-dir=/tmp/pack").
        ...(process.env.HYBRIDNET_PACK_NODE_ARGS?.split(" ").filter((a) => a !== "") ?? []),
        "--require",
        exitWithParent,
        "--require",
        lazyClosure,
        ...packEntry(packDir),
      ],
      {
        cwd: packDir,
        env: { ...process.env, HYBRIDNET_SDK_CUTS: "lazyClosure" },
        // Its standard input is a pipe the pack watches: when it closes, the pack exits (cli/packParent.ts).
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    const port = await new Promise<number>((resolve, reject) => {
      let stdout = "";
      let stderr = "";
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`policy pack in ${packDir} printed no port within ${timeoutMs} ms\n${stderr}`));
      }, timeoutMs);
      child.stdout?.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^(\d+)\s*$/m.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`policy pack in ${packDir} exited (${code}) before serving:\n${stderr}${stdout}`));
      });
    });
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PolicyPackClient(child, client, Date.now() - started);
  }

  /** The pack's name, version and policies (cached: the pack does not change while it runs). */
  async getAnalyzerInfo(): Promise<PackInfo> {
    if (this.info) return this.info;
    const Empty = AnalyzerService.getAnalyzerInfo.requestType;
    const response = await call<EmptyMessage, pb.AnalyzerInfo>(
      this.client.getAnalyzerInfo.bind(this.client),
      new Empty(),
    );
    this.info = packInfoOf(response);
    return this.info;
  }

  /**
   * Sends policy config as the CLI does: every policy named gets its enforcement level (the given one, else
   * its default; the key `all` sets every policy's) and its properties. Replaces any earlier config.
   */
  async configure(config: PolicyPackConfig = {}): Promise<void> {
    const request = configureRequest(await this.getAnalyzerInfo(), config);
    await call(this.client.configure.bind(this.client), request);
  }

  /** Analyzes one resource as it registers (resource policies). `all` supplies its provider resource. */
  async analyze(resource: ResourceToAnalyze, all: readonly ResourceToAnalyze[] = []): Promise<Diagnostic[]> {
    return this.analyzeWith(resource, new StackWire(all));
  }

  /** Analyzes the whole stack (stack policies), with parents and dependencies as the CLI sends them. */
  async analyzeStack(resources: readonly ResourceToAnalyze[]): Promise<Diagnostic[]> {
    return this.analyzeStackWith(new StackWire(resources));
  }

  /**
   * What a preview reports: `analyze` for every resource, then `analyzeStack`; diagnostics in resource order.
   * At most {@link ANALYZE_CONCURRENCY} `analyze` calls are in flight at once, as the engine analyzes
   * resources as they register, a bounded number at a time; each resource's properties are converted once.
   */
  async analyzeAll(resources: readonly ResourceToAnalyze[]): Promise<Diagnostic[]> {
    const wire = new StackWire(resources);
    const perResource: Diagnostic[][] = new Array(resources.length);
    let next = 0;
    const lane = async () => {
      while (next < resources.length) {
        const at = next++;
        perResource[at] = await this.analyzeWith(resources[at], wire);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ANALYZE_CONCURRENCY, resources.length) }, lane));
    return [...perResource.flat(), ...(await this.analyzeStackWith(wire))];
  }

  private async analyzeWith(resource: ResourceToAnalyze, wire: StackWire): Promise<Diagnostic[]> {
    const response = await call<pb.AnalyzeRequest, pb.AnalyzeResponse>(
      this.client.analyze.bind(this.client),
      analyzeRequest(resource, wire),
    );
    return resourceDiagnostics(response, resource);
  }

  private async analyzeStackWith(wire: StackWire): Promise<Diagnostic[]> {
    return diagnosticsOf(
      await call<pb.AnalyzeStackRequest, pb.AnalyzeResponse>(
        this.client.analyzeStack.bind(this.client),
        analyzeStackRequest(wire),
      ),
    );
  }

  /** Stops the pack. */
  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      // Closing its input ends the pack (cli/packParent.ts), which lets it finish a CPU profile; a pack that
      // does not end within 5 s is killed.
      this.child.stdin?.end();
      const timer = setTimeout(() => this.child.kill(), 5_000);
      this.child.once("exit", () => clearTimeout(timer));
    });
  }
}

/** The `analyze` request of one resource: its properties, options and provider, as the CLI sends them. */
export function analyzeRequest(resource: ResourceToAnalyze, wire: StackWire): pb.AnalyzeRequest {
  return withResource(new pb.AnalyzeRequest(), resource, wire);
}

/** The fields an `analyze` request and a stack's resource share: type, name, URN, properties, options, provider. */
function withResource<M extends pb.AnalyzeRequest | pb.AnalyzerResource>(
  message: M,
  r: ResourceToAnalyze,
  wire: StackWire,
): M {
  message.setType(r.type);
  message.setName(r.name);
  message.setUrn(r.urn);
  message.setProperties(wire.properties(r));
  message.setOptions(wire.options(r));
  const provider = wire.provider(r);
  if (provider) message.setProvider(provider);
  return message;
}

/** The `analyzeStack` request: every resource, with parents and dependencies as the CLI sends them. */
export function analyzeStackRequest(wire: StackWire): pb.AnalyzeStackRequest {
  const request = new pb.AnalyzeStackRequest();
  request.setResourcesList(
    wire.resources.map((r) => {
      const resource = withResource(new pb.AnalyzerResource(), r, wire);
      if (r.parent) resource.setParent(r.parent);
      resource.setDependenciesList([...(r.dependencies ?? [])]);
      const deps = resource.getPropertydependenciesMap();
      for (const [key, urns] of Object.entries(r.propertyDependencies ?? {}))
        if (urns.length > 0) deps.set(key, new pb.AnalyzerPropertyDependencies().setUrnsList([...urns]));
      return resource;
    }),
  );
  return request;
}

/** The diagnostics of an `analyze` or `analyzeStack` response, as `pulumi preview` reports them. */
export function diagnosticsOf(response: pb.AnalyzeResponse): Diagnostic[] {
  return response.getDiagnosticsList().map((d) => {
    const description = d.getDescription();
    const full = d.getMessage();
    // The pack's message is "<description>\n<what is wrong>"; keep the part that is about this resource.
    const message = full.startsWith(`${description}\n`) ? full.slice(description.length + 1) : full;
    return {
      policy: d.getPolicyname(),
      level: LEVELS[d.getEnforcementlevel()],
      message,
      ...(d.getUrn() ? { urn: d.getUrn() } : {}),
      description,
    };
  });
}

/** The diagnostics of an `analyze` response: a resource policy's violation is about the resource analyzed. */
export function resourceDiagnostics(response: pb.AnalyzeResponse, resource: ResourceToAnalyze): Diagnostic[] {
  return diagnosticsOf(response).map((d) => (d.urn ? d : { ...d, urn: resource.urn }));
}

/** The pack's name, version and policies from its `getAnalyzerInfo` answer. */
export function packInfoOf(response: pb.AnalyzerInfo): PackInfo {
  return {
    name: response.getName(),
    version: response.getVersion(),
    policies: response.getPoliciesList().map((p) => ({
      name: p.getName(),
      description: p.getDescription(),
      enforcementLevel: LEVELS[p.getEnforcementlevel()],
      kind: p.getPolicyType() === pb.PolicyType.POLICY_TYPE_STACK ? "stack" : "resource",
      configSchema: (p.getConfigschema()?.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
    })),
  };
}

/**
 * The `configure` request the CLI sends for `config`: every policy named gets its enforcement level (the
 * given one, else its default; the key `all` sets every policy's) and its properties. Throws on a policy the
 * pack does not have.
 */
export function configureRequest(info: PackInfo, config: PolicyPackConfig): pb.ConfigureAnalyzerRequest {
  const request = new pb.ConfigureAnalyzerRequest();
  const map = request.getPolicyconfigMap();
  const all = config.all;
  const allLevel = typeof all === "string" ? all : all?.enforcementLevel;
  for (const name of Object.keys(config))
    if (name !== "all" && !info.policies.some((p) => p.name === name))
      throw new Error(`policy config names "${name}", which pack ${info.name} does not have`);
  for (const policy of info.policies) {
    const given = config[policy.name];
    if (given === undefined && allLevel === undefined) continue;
    const { enforcementLevel, ...properties } =
      typeof given === "string" ? { enforcementLevel: given } : (given ?? {});
    const entry = new pb.PolicyConfig();
    entry.setEnforcementlevel(LEVEL_CODES[enforcementLevel ?? allLevel ?? policy.enforcementLevel]);
    entry.setProperties(Struct.fromJavaScript(properties as Record<string, structPb.JavaScriptValue>));
    map.set(policy.name, entry);
  }
  return request;
}
