/**
 * Runs a source-based Node.js component package as the Pulumi CLI does after `pulumi package add`, with no CLI:
 * the Node.js language host's `RunPlugin` spawns `node <@pulumi/pulumi>/cmd/run-plugin <package dir> <engine
 * address>` in the package directory, and the plugin prints the port of its ResourceProvider gRPC server. The
 * harness then calls `GetSchema` and `Construct` on it as the engine would, with a mock engine and a mock
 * resource monitor (./mockServices) answering the plugin from this process's mock runtime: the same mock
 * model and recorder the TypeScript tests use (cli/mockRuntime `runUnderMocks`), so a Construct over gRPC and
 * `new Component(...)` in TypeScript are answered alike and recorded in the same form.
 *
 * Start one harness per test file (the plugin type-checks every file it loads: seconds to tens of seconds),
 * and stop it after.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as grpc from "@grpc/grpc-js";
import type { ResourceProviderClient as Client } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import type * as structPb from "google-protobuf/google/protobuf/struct_pb";
import { type RecordedResource, runUnderMocks } from "../../cli/mockRuntime";
import { type EngineLog, MockServices } from "./mockServices";

const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/proto/provider_pb"));
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb") as typeof structPb;
const provproto = require("@pulumi/pulumi/proto/provider_pb") as typeof providerPb;
const { ResourceProviderClient } = require("@pulumi/pulumi/proto/provider_grpc_pb") as {
  ResourceProviderClient: new (address: string, credentials: grpc.ChannelCredentials) => Client;
};

/** The SDK's plugin launcher, the one the Node.js language host runs (`@pulumi/pulumi/cmd/run-plugin`). */
export const RUN_PLUGIN = require.resolve("@pulumi/pulumi/cmd/run-plugin");

/** Pulumi's wire markers: a secret, a resource reference. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

export interface ConstructOptions {
  /** The request's stack, and the mock runtime's. @default "test" (as tests/harness `runProgram`). */
  stack?: string;
  /** The request's project, and the mock runtime's. @default "hybridnet". */
  project?: string;
  /** The request's organization. @default "organization". */
  organization?: string;
  /** The stack's config as the engine sends it (`project:key` → text). @default empty. */
  config?: Record<string, string>;
  /** The parent URN; none (a top-level resource, as a TypeScript test's `new Component(...)`). @default "". */
  parent?: string;
}

export interface StartOptions {
  /** How long to wait for the printed port. @default 180 s. */
  timeoutMs?: number;
  /**
   * Load the package as the CLI does: run-plugin's ts-node, type-checking every file it loads (a type error
   * fails the start). `false` loads it with tsx instead (transpiled only, as the test runner loads it): the
   * same run-plugin, provider host and analyzer, minus the type-check. @default true.
   */
  typeCheck?: boolean;
}

/** What the plugin's gRPC error said. */
export interface ConstructError {
  /** The gRPC status code (2 UNKNOWN for an exception, 3 INVALID_ARGUMENT for an InputPropertiesError). */
  code: number;
  message: string;
}

export interface ConstructResult {
  /** What the plugin registered, in order, recorded as cli/mockRuntime records a TypeScript program's. */
  resources: RecordedResource[];
  /** What the plugin logged to the engine during this Construct. */
  logs: EngineLog[];
  /** The component's URN, from the response. */
  urn?: string;
  /** The response's state (the component's outputs): secrets unwrapped, resource references as their URN. */
  outputs?: Record<string, unknown>;
  /** Output names whose values came back secret. */
  secretOutputs?: string[];
  /** The error the plugin answered instead. */
  error?: ConstructError;
}

/** A running plugin, the mock engine and monitor it talks to, and a client for its ResourceProvider service. */
export class PluginHarness {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: Client,
    private readonly services: MockServices,
    /** The package directory. */
    readonly dir: string,
    /** Milliseconds from spawn to the printed port: loading and type-checking the package. */
    readonly startupMs: number,
    /** What the plugin wrote to stderr so far. */
    private readonly stderr: { text: string },
  ) {}

  /** Starts the plugin in `dir` as the CLI does and connects to it once it prints its port. */
  static async start(dir: string, options: StartOptions = {}): Promise<PluginHarness> {
    const timeoutMs = options.timeoutMs ?? 180_000;
    const services = await MockServices.start();
    const began = Date.now();
    // The language host's command line: node <run-plugin> <program directory> <plugin args: the engine address>,
    // in the program directory (run-plugin reads ./tsconfig.json there). NODE_OPTIONS is this process's (the
    // test runner's tsx hook), not the CLI's.
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_OPTIONS;
    const nodeArgs: string[] = [];
    if (options.typeCheck === false) {
      // run-plugin registers ts-node with typeCheck: true, which wins over TS_NODE_TRANSPILE_ONLY; but ts-node
      // hands the files it ignores to the loader registered before it: tsx, which only transpiles.
      nodeArgs.push("--require", require.resolve("tsx/cjs"));
      env.TS_NODE_IGNORE = ".*";
    }
    const child = spawn(process.execPath, [...nodeArgs, RUN_PLUGIN, dir, services.engineAddress], {
      cwd: dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stderr = { text: "" };
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr.text += chunk.toString();
    });
    let port: number;
    try {
      port = await new Promise<number>((resolve, reject) => {
        let stdout = "";
        const timer = setTimeout(
          () => reject(new Error(`plugin in ${dir} printed no port within ${timeoutMs} ms\n${stderr.text}`)),
          timeoutMs,
        );
        child.stdout?.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /^(\d+)\s*$/m.exec(stdout);
          if (match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        });
        child.on("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`plugin in ${dir} exited (${code}) before serving:\n${stderr.text}${stdout}`));
        });
      });
    } catch (e) {
      child.kill();
      services.stop();
      throw e;
    }
    const startupMs = Date.now() - began;
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PluginHarness(child, client, services, dir, startupMs, stderr);
  }

  /** The schema the plugin infers, as GetSchema returns it (JSON text). */
  getSchema(): Promise<string> {
    const req = new provproto.GetSchemaRequest();
    req.setVersion(0);
    return new Promise((resolve, reject) =>
      this.client.getSchema(req, (err, resp) =>
        err
          ? reject(new Error(`GetSchema: ${err.details || err.message}\n${this.stderr.text}`))
          : resolve(resp.getSchema()),
      ),
    );
  }

  /**
   * Constructs a component over gRPC as the engine does for a remote component: `type` its schema token
   * (`hybridnet:index:ManagedVpn`), `inputs` plain JSON (secrets written in Pulumi's wire form, if any). The
   * request runs inside a fresh mock runtime of this process (a fresh mock model), whose monitor answers the
   * plugin's registrations and invokes.
   */
  async construct(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    options: ConstructOptions = {},
  ): Promise<ConstructResult> {
    const stack = options.stack ?? "test";
    const project = options.project ?? "hybridnet";
    this.services.logs.length = 0;
    const req = new provproto.ConstructRequest();
    req.setProject(project);
    req.setStack(stack);
    req.setOrganization(options.organization ?? "organization");
    for (const [key, value] of Object.entries(options.config ?? {})) req.getConfigMap().set(key, value);
    req.setDryrun(false);
    req.setParallel(16);
    req.setMonitorendpoint(this.services.monitorAddress);
    req.setType(type);
    req.setName(name);
    req.setParent(options.parent ?? "");
    req.setInputs(Struct.fromJavaScript(inputs as Record<string, structPb.JavaScriptValue>));
    req.setAcceptsOutputValues(true);
    let response: providerPb.ConstructResponse | undefined;
    let error: ConstructError | undefined;
    const run = await runUnderMocks(
      () =>
        new Promise<void>((done) =>
          this.client.construct(req, (err, resp) => {
            if (err) error = { code: err.code, message: err.details || err.message };
            else response = resp;
            done();
          }),
        ),
      { stack, project, organization: options.organization ?? "organization", secrets: "unwrap" },
    );
    if (run.error) throw run.error;
    const result: ConstructResult = { resources: run.resources, logs: [...this.services.logs] };
    if (error) return { ...result, error };
    const state = (response?.getState()?.toJavaScript() ?? {}) as Record<string, unknown>;
    return {
      ...result,
      urn: response?.getUrn() ?? "",
      outputs: plainValue(state) as Record<string, unknown>,
      secretOutputs: Object.keys(state).filter((k) => holdsSecret(state[k])),
    };
  }

  /** CPU time the plugin process has used so far (user + system), in milliseconds; Linux only, else NaN. */
  cpuMs(): number {
    try {
      // /proc/<pid>/stat: utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux).
      const fields = readFileSync(`/proc/${this.child.pid}/stat`, "utf8").split(") ")[1].split(" ");
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return Number.NaN;
    }
  }

  /** Stops the plugin (the process this harness started) and the mock services. */
  stop(): void {
    this.client.close();
    this.child.kill();
    this.services.stop();
  }
}

/** A wire value as plain data: secrets unwrapped, resource references as their URN. */
export function plainValue(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(plainValue);
  const record = value as Record<string, unknown>;
  const sig = record[SIG_KEY];
  if (sig === SECRET_SIG) return plainValue(record.value);
  if (sig === RESOURCE_SIG) return record.urn;
  if (sig !== undefined) return plainValue(record.value);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plainValue(v)]));
}

function holdsSecret(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some(holdsSecret);
  const record = value as Record<string, unknown>;
  return record[SIG_KEY] === SECRET_SIG || Object.values(record).some(holdsSecret);
}
