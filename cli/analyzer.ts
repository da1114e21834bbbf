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
import { ensureCompiled, ROOT } from "./build";

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

/** Where the hybridnet pack lives. */
export const POLICY_PACK_DIR = path.join(ROOT, "policy");

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
function wireProperties(inputs: Record<string, unknown>, secrets: readonly string[] = []): structPb.Struct {
  const plain = JSON.parse(JSON.stringify(inputs ?? {})) as Record<string, unknown>;
  for (const key of secrets) if (key in plain) plain[key] = secretWire(plain[key]);
  return Struct.fromJavaScript(plain as Record<string, structPb.JavaScriptValue>);
}

function call<Req, Res>(
  method: (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
  request: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method(request, (error, response) => (error ? reject(error) : resolve(response)));
  });
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
   * Node.js and tsx, and connects once it prints its port. The SDK's function serialization (npm's arborist,
   * pacote, sigstore, TypeScript: about 800 modules), which no policy calls, loads on first call instead of
   * with the SDK (cli/offlineSdk.ts's `lazyClosure`, alone): the pack starts in half the CPU time and RSS. It
   * starts in about a second on a quiet machine; the limit is generous because at a load average of 20 it took
   * more than 30 s.
   */
  static async start(packDir: string = POLICY_PACK_DIR, timeoutMs = 120_000): Promise<PolicyPackClient> {
    const started = Date.now();
    const lazyClosure = ensureCompiled(path.join(ROOT, "cli", "offlineSdk.ts"));
    const child = spawn(
      process.execPath,
      ["--require", lazyClosure, "--require", require.resolve("tsx/cjs"), "index.ts"],
      {
        cwd: packDir,
        env: { ...process.env, HYBRIDNET_SDK_CUTS: "lazyClosure" },
        stdio: ["ignore", "pipe", "pipe"],
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
    this.info = {
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
    return this.info;
  }

  /**
   * Sends policy config as the CLI does: every policy named gets its enforcement level (the given one, else
   * its default; the key `all` sets every policy's) and its properties. Replaces any earlier config.
   */
  async configure(config: PolicyPackConfig = {}): Promise<void> {
    const info = await this.getAnalyzerInfo();
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
    await call(this.client.configure.bind(this.client), request);
  }

  /** Analyzes one resource as it registers (resource policies). `all` supplies its provider resource. */
  async analyze(resource: ResourceToAnalyze, all: readonly ResourceToAnalyze[] = []): Promise<Diagnostic[]> {
    const request = new pb.AnalyzeRequest();
    request.setType(resource.type);
    request.setName(resource.name);
    request.setUrn(resource.urn);
    request.setProperties(wireProperties(resource.inputs, resource.secretInputs));
    request.setOptions(this.options(resource));
    const provider = this.provider(resource, all);
    if (provider) request.setProvider(provider);
    // A resource policy's violation is about the resource analyzed, as the CLI reports it.
    return this.diagnostics(await call(this.client.analyze.bind(this.client), request)).map((d) =>
      d.urn ? d : { ...d, urn: resource.urn },
    );
  }

  /** Analyzes the whole stack (stack policies), with parents and dependencies as the CLI sends them. */
  async analyzeStack(resources: readonly ResourceToAnalyze[]): Promise<Diagnostic[]> {
    const request = new pb.AnalyzeStackRequest();
    request.setResourcesList(
      resources.map((r) => {
        const resource = new pb.AnalyzerResource();
        resource.setType(r.type);
        resource.setName(r.name);
        resource.setUrn(r.urn);
        resource.setProperties(wireProperties(r.inputs, r.secretInputs));
        resource.setOptions(this.options(r));
        if (r.parent) resource.setParent(r.parent);
        resource.setDependenciesList([...(r.dependencies ?? [])]);
        const deps = resource.getPropertydependenciesMap();
        for (const [key, urns] of Object.entries(r.propertyDependencies ?? {}))
          if (urns.length > 0) deps.set(key, new pb.AnalyzerPropertyDependencies().setUrnsList([...urns]));
        const provider = this.provider(r, resources);
        if (provider) resource.setProvider(provider);
        return resource;
      }),
    );
    return this.diagnostics(await call(this.client.analyzeStack.bind(this.client), request));
  }

  /** What a preview reports: `analyze` for every resource, in order, then `analyzeStack`. */
  async analyzeAll(resources: readonly ResourceToAnalyze[]): Promise<Diagnostic[]> {
    const perResource = await Promise.all(resources.map((r) => this.analyze(r, resources)));
    return [...perResource.flat(), ...(await this.analyzeStack(resources))];
  }

  /** Stops the pack. */
  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill();
    });
  }

  private options(r: ResourceToAnalyze): pb.AnalyzerResourceOptions {
    const options = new pb.AnalyzerResourceOptions();
    options.setProtect(r.protect ?? false);
    if (r.parent) options.setParent(r.parent);
    options.setAdditionalsecretoutputsList([...(r.additionalSecretOutputs ?? [])]);
    options.setIgnorechangesList([]);
    options.setAliasesList([]);
    options.setCustomtimeouts(new pb.AnalyzerResourceOptions.CustomTimeouts());
    return options;
  }

  private provider(
    r: ResourceToAnalyze,
    all: readonly ResourceToAnalyze[],
  ): pb.AnalyzerProviderResource | undefined {
    if (!r.provider) return undefined;
    const urn = r.provider.split("::").slice(0, -1).join("::");
    const found = all.find((p) => p.urn === urn);
    if (!found) return undefined;
    const provider = new pb.AnalyzerProviderResource();
    provider.setType(found.type);
    provider.setName(found.name);
    provider.setUrn(found.urn);
    provider.setProperties(wireProperties(found.inputs, found.secretInputs));
    return provider;
  }

  private diagnostics(response: pb.AnalyzeResponse): Diagnostic[] {
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
}
