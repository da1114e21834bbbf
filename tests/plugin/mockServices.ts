/**
 * The two gRPC services a component plugin talks back to during `Construct`, as the Pulumi engine serves them:
 * the Engine (logs) and the ResourceMonitor (registrations, invokes, reads). The monitor serves nothing of its
 * own: every call goes to the mock monitor of this process's mock runtime (`getMonitor()`, installed by
 * cli/mockRuntime `runUnderMocks`), so the plugin's registrations are answered by the same mock model and
 * recorded by the same recorder as a TypeScript program's. The one difference from that runtime: the plugin
 * asks the monitor which features it supports, and gets the mock runtime's answer (everything but
 * `outputValues`, so Outputs reach the model as plain values, as they do in the TypeScript path).
 */
import { createRequire } from "node:module";
import * as grpc from "@grpc/grpc-js";
import type * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import type * as resourcePb from "@pulumi/pulumi/proto/resource_pb";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import type * as emptyPb from "google-protobuf/google/protobuf/empty_pb";

// Response messages must come from the protobuf modules @pulumi/pulumi's generated services serialize.
const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/proto/resource_pb"));
const { Empty } = fromPulumi("google-protobuf/google/protobuf/empty_pb") as typeof emptyPb;
const resproto = require("@pulumi/pulumi/proto/resource_pb") as typeof resourcePb;
const engproto = require("@pulumi/pulumi/proto/engine_pb") as typeof enginePb;
const { EngineService } = require("@pulumi/pulumi/proto/engine_grpc_pb") as {
  EngineService: grpc.ServiceDefinition;
};
const { ResourceMonitorService } = require("@pulumi/pulumi/proto/resource_grpc_pb") as {
  ResourceMonitorService: grpc.ServiceDefinition;
};

/** What the plugin logged to the engine (`pulumi.log.*`, and the errors its host reports). */
export interface EngineLog {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  /** The resource the message is about, when it names one. */
  urn?: string;
}

const SEVERITIES = ["debug", "info", "warning", "error"] as const;

/** Features the mock runtime's monitor supports (the SDK's `setMocks`): all but `outputValues`. */
const UNSUPPORTED = new Set(["outputValues"]);

// biome-ignore lint/suspicious/noExplicitAny: gRPC handlers take untyped calls and callbacks.
type Handler = (call: any, callback: any) => void;

/** The SDK's mock monitor, with the methods the service forwards to. */
type MockMonitorMethods = Record<
  "registerResource" | "registerResourceOutputs" | "invoke" | "readResource" | "registerPackage",
  (req: unknown, callback: (err: unknown, resp?: unknown) => void) => void
>;

function currentMonitor(): MockMonitorMethods {
  const monitor = getMonitor() as unknown as MockMonitorMethods | undefined;
  if (!monitor?.registerResource) throw new Error("no mock runtime: call Construct inside runUnderMocks");
  return monitor;
}

/** Forwards a monitor method to the current mock monitor; `wrap` turns its answer into a protobuf message. */
function forward(method: keyof MockMonitorMethods, wrap?: (resp: unknown) => unknown): Handler {
  return (call, callback) => {
    try {
      currentMonitor()[method](call.request, (err, resp) =>
        err ? callback(toGrpcError(err)) : callback(null, wrap ? wrap(resp) : resp),
      );
    } catch (err) {
      callback(toGrpcError(err));
    }
  };
}

function toGrpcError(err: unknown): grpc.ServiceError {
  const message = err instanceof Error ? err.message : String(err);
  return Object.assign(new Error(message), {
    code: grpc.status.UNKNOWN,
    details: message,
    metadata: new grpc.Metadata(),
  });
}

/** The mock engine and monitor, listening on 127.0.0.1, and what the engine was told. */
export class MockServices {
  private constructor(
    private readonly servers: grpc.Server[],
    /** The engine's address, `127.0.0.1:<port>`: the plugin's first argument. */
    readonly engineAddress: string,
    /** The monitor's address: a Construct request's `monitorEndpoint`. */
    readonly monitorAddress: string,
    /** Every message the plugin logged, in order (the caller clears it between constructs). */
    readonly logs: EngineLog[],
  ) {}

  static async start(): Promise<MockServices> {
    const logs: EngineLog[] = [];
    // One server per service, as the engine has one address for each.
    const engine = new grpc.Server();
    engine.addService(EngineService, {
      log: ((call, callback) => {
        const req = call.request as enginePb.LogRequest;
        const urn = req.getUrn();
        logs.push({
          severity: SEVERITIES[req.getSeverity()],
          message: req.getMessage(),
          ...(urn ? { urn } : {}),
        });
        callback(null, new Empty());
      }) as Handler,
      getRootResource: ((_call, callback) =>
        callback(null, new engproto.GetRootResourceResponse())) as Handler,
      setRootResource: ((_call, callback) =>
        callback(null, new engproto.SetRootResourceResponse())) as Handler,
      startDebugging: ((_call, callback) => callback(null, new Empty())) as Handler,
      requirePulumiVersion: ((_call, callback) =>
        callback(null, new engproto.RequirePulumiVersionResponse())) as Handler,
    });
    const monitor = new grpc.Server();
    monitor.addService(ResourceMonitorService, {
      supportsFeature: ((call, callback) => {
        const id = (call.request as resourcePb.SupportsFeatureRequest).getId();
        callback(null, new resproto.SupportsFeatureResponse().setHassupport(!UNSUPPORTED.has(id)));
      }) as Handler,
      registerResource: forward("registerResource"),
      registerResourceOutputs: forward("registerResourceOutputs", () => new Empty()),
      invoke: forward("invoke"),
      readResource: forward("readResource"),
      registerPackage: forward("registerPackage"),
    });
    const [enginePort, monitorPort] = await Promise.all([listen(engine), listen(monitor)]);
    return new MockServices([engine, monitor], `127.0.0.1:${enginePort}`, `127.0.0.1:${monitorPort}`, logs);
  }

  stop(): void {
    for (const server of this.servers) server.forceShutdown();
  }
}

function listen(server: grpc.Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) =>
      err ? reject(err) : resolve(port),
    ),
  );
}
