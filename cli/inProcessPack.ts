/**
 * The policy pack run inside this process: what a warm stack worker (cli/stackWorker.ts) uses to analyze the
 * stack it just planned, instead of sending every resource to a pack process over gRPC (cli/analyzer.ts).
 *
 * Nothing of the pack is re-implemented. The pack's own `index.ts` is loaded as `pulumi preview
 * --policy-pack policy` loads it: its `new PolicyPack(...)` calls @pulumi/policy's `serve`, which registers
 * the Analyzer service's implementation (`analyze`, `analyzeStack`, `configure`, `getAnalyzerInfo`: the
 * handlers of @pulumi/policy/server, pinned to 1.21) with a gRPC server and binds a port. While the pack
 * loads, `serve` is that of a copy of server.js (cli/policyCuts.ts) whose gRPC server keeps the implementation
 * in `addService` and binds nothing; the rest of gRPC, which it does not read, is gRPC's own. No gRPC server is
 * made, so gRPC need not load (the `lazyLibraries` cut of cli/offlineSdk.ts). The handlers are then called
 * with requests that answer what the gRPC path's messages answer once decoded (cli/receivedRequests.ts; with
 * `HYBRIDNET_POLICY_CUTS` leaving out `plainRequests`, the messages cli/analyzer.ts builds for the gRPC path),
 * except that a resource's properties are a Struct holding the JSON the pack would decode from the wire instead
 * of encoded fields (`receivedProperties`: undefined dropped, secrets wrapped in the engine's signature, keys in
 * protobuf's order), so policy/lib/secrets.ts reads secrets as it does over gRPC. Each answer with a diagnostic
 * goes through protobuf's encoding and decoding, as over the wire. The handlers are @pulumi/policy's with the
 * cuts of cli/policyCuts.ts (switchable). tests/inProcessPack.test.ts checks that the diagnostics equal the pack
 * process's.
 *
 * @pulumi/policy serves one pack per process: a process loads one pack once ({@link InProcessPack.load}).
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import {
  analyzeRequest,
  analyzeStackRequest,
  configureRequest,
  type Diagnostic,
  diagnosticsOf,
  type PackInfo,
  type PolicyPackConfig,
  packInfoOf,
  packInProject,
  type ResourceToAnalyze,
  resourceDiagnostics,
  StackWire,
} from "./analyzer";
import { type Exports, moduleView } from "./moduleView";
import { chosenPolicyCuts, editedServerModule, type PolicyCut } from "./policyCuts";
import { receivedAnalyzeRequest, receivedAnalyzeStackRequest } from "./receivedRequests";

type Callback<Res> = (error: Error | null | undefined, response?: Res) => void;
type Handler<Req, Res> = (call: { request: Req }, callback: Callback<Res>) => unknown;

/** The handlers @pulumi/policy's `serve` registers for the Analyzer service (those the planner calls). */
interface AnalyzerImplementation {
  analyze: Handler<pb.AnalyzeRequest, pb.AnalyzeResponse>;
  analyzeStack: Handler<pb.AnalyzeStackRequest, pb.AnalyzeResponse>;
  configure: Handler<pb.ConfigureAnalyzerRequest, unknown>;
  getAnalyzerInfo: Handler<unknown, pb.AnalyzerInfo>;
}

/** What a stack worker needs to load and configure the pack: sent with every stack it analyzes. */
export interface PackTarget {
  /** The pack's directory (its working directory, where @pulumi/policy reads the pack's version). */
  packDir: string;
  /** The module to load: the pack's `index.ts`, or its compiled form. */
  entry: string;
  /** The policy config, as the gRPC path sends it with `configure`. */
  config: PolicyPackConfig;
}

function handle<Req, Res>(handler: Handler<Req, Res>, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    handler({ request }, (error, response) => (error ? reject(error) : resolve(response as Res)));
  });
}

/** An answer as the other end of the wire reads it: encoded and decoded. */
function overTheWire<M extends { serializeBinary(): Uint8Array }>(
  message: M,
  type: { deserializeBinary(bytes: Uint8Array): M },
): M {
  return type.deserializeBinary(message.serializeBinary());
}

/**
 * gRPC as the copy of server.js that captures the pack sees it: a server that keeps the service's implementation
 * and binds nothing, credentials that are never used, and gRPC's own module for anything else.
 */
function capturingGrpc(fromPolicy: NodeJS.Require, keep: (implementation: unknown) => void): unknown {
  class CapturingServer {
    addService(_service: unknown, implementation: unknown): void {
      keep(implementation);
    }
    bindAsync(): void {}
  }
  const credentials = { createInsecure: () => undefined };
  return moduleView(() => fromPolicy("@grpc/grpc-js") as Exports, {
    Server: CapturingServer,
    ServerCredentials: credentials,
  });
}

/**
 * Loads the pack's module with its working directory, keeping the service it registers instead of serving it;
 * @pulumi/policy's handlers with `cuts` made (cli/policyCuts.ts).
 */
function capture(packDir: string, entry: string, cuts: readonly PolicyCut[]): AnalyzerImplementation {
  // The server module of the @pulumi/policy the pack loads.
  const fromPack = createRequire(path.join(packDir, "index.ts"));
  const server = fromPack.resolve("@pulumi/policy/server");
  const fromPolicy = createRequire(server);
  const serverModule = fromPolicy(server) as { serve: unknown };
  const { serve } = serverModule;
  let registered: AnalyzerImplementation | undefined;
  const grpc = capturingGrpc(fromPolicy, (implementation) => {
    registered = implementation as AnalyzerImplementation;
  });
  serverModule.serve = editedServerModule(server, cuts, grpc).serve;
  const cwd = process.cwd();
  try {
    process.chdir(packDir);
    require(entry);
  } finally {
    process.chdir(cwd);
    serverModule.serve = serve;
  }
  if (!registered)
    throw new Error(
      `policy pack ${entry} registered no Analyzer service (is it a @pulumi/policy PolicyPack?)`,
    );
  return registered;
}

let loaded: InProcessPack | undefined;

/** A policy pack loaded in this process, with the interface of {@link PolicyPackClient}'s analysis. */
export class InProcessPack {
  private info?: PackInfo;
  /** The config last sent (its JSON), so a worker configures once per plan, not once per stack. */
  private configured?: string;

  private constructor(
    readonly packDir: string,
    private readonly service: AnalyzerImplementation,
    /** The cuts of @pulumi/policy's handlers in place (cli/policyCuts.ts). */
    readonly cuts: readonly PolicyCut[],
  ) {}

  /**
   * Loads the pack in `packDir` from `entry` (once per process: @pulumi/policy serves one pack). Only a pack
   * of this project: another resolves its own @pulumi/policy and runs as a process of its own (PolicyPackClient).
   */
  static load(packDir: string, entry: string): InProcessPack {
    if (!packInProject(packDir))
      throw new Error(
        `policy pack ${packDir} is outside the project: run it as a process (PolicyPackClient)`,
      );
    if (loaded) {
      if (loaded.packDir !== packDir)
        throw new Error(`this process already runs policy pack ${loaded.packDir}; it cannot load ${packDir}`);
      return loaded;
    }
    const cuts = chosenPolicyCuts();
    loaded = new InProcessPack(packDir, capture(packDir, entry, cuts), cuts);
    return loaded;
  }

  /** The pack's name, version and policies (cached). */
  async getAnalyzerInfo(): Promise<PackInfo> {
    this.info ??= packInfoOf(overTheWire(await handle(this.service.getAnalyzerInfo, {}), pb.AnalyzerInfo));
    return this.info;
  }

  /** Sends policy config as {@link PolicyPackClient.configure} does; the same config again sends nothing. */
  async configure(config: PolicyPackConfig = {}): Promise<void> {
    const json = JSON.stringify(config);
    if (this.configured === json) return;
    const request = overTheWire(
      configureRequest(await this.getAnalyzerInfo(), config),
      pb.ConfigureAnalyzerRequest,
    );
    this.configured = undefined;
    await handle(this.service.configure, request);
    this.configured = json;
  }

  /** What a preview reports: `analyze` for every resource, then `analyzeStack`; diagnostics in resource order. */
  async analyzeAll(resources: readonly ResourceToAnalyze[]): Promise<Diagnostic[]> {
    const wire = new StackWire(resources, "received");
    const plain = this.cuts.includes("plainRequests");
    const found: Diagnostic[] = [];
    for (const resource of resources) {
      const request = plain ? receivedAnalyzeRequest(resource, wire) : analyzeRequest(resource, wire);
      const response = await handle(this.service.analyze, request);
      // Most resources break no rule: an answer without diagnostics has none after the wire either.
      if (response.getDiagnosticsList().length === 0) continue;
      found.push(...resourceDiagnostics(overTheWire(response, pb.AnalyzeResponse), resource));
    }
    const stackRequest = plain ? receivedAnalyzeStackRequest(wire) : analyzeStackRequest(wire);
    const response = await handle(this.service.analyzeStack, stackRequest);
    found.push(...diagnosticsOf(overTheWire(response, pb.AnalyzeResponse)));
    return found;
  }
}
