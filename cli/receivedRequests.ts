/**
 * The requests of the in-process pack (cli/inProcessPack.ts) as what @pulumi/policy 1.21's `analyze` and
 * `analyzeStack` handlers read of them: their getters, answering what the getters of the gRPC path's
 * messages (cli/analyzer.ts `analyzeRequest`, `analyzeStackRequest`) answer once decoded, protobuf's defaults
 * included ("" for an unset parent, false, 0, empty lists; a property-dependency map's entries in key order,
 * as jspb.Map gives them). No protobuf message is built: building and reading the messages was a fifth of an
 * analysis. tests/inProcessPack.test.ts checks each getter against the decoded message's, and the diagnostics
 * against the gRPC pack's; a getter the handlers call that is not here fails those tests.
 */
import type * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import type { ResourceToAnalyze, StackWire } from "./analyzer";

const NO_TIMEOUTS = { getCreate: () => 0, getUpdate: () => 0, getDelete: () => 0 };

/** `AnalyzerResourceOptions` as the handlers read it (server.js `getResourceOptions`). */
class ReceivedOptions {
  constructor(private readonly r: ResourceToAnalyze) {}
  getProtect(): boolean {
    return this.r.protect ?? false;
  }
  getIgnorechangesList(): string[] {
    return [];
  }
  getAliasesList(): string[] {
    return [];
  }
  getCustomtimeouts(): typeof NO_TIMEOUTS {
    return NO_TIMEOUTS;
  }
  getAdditionalsecretoutputsList(): string[] {
    return [...(this.r.additionalSecretOutputs ?? [])];
  }
  getDeletebeforereplacedefined(): boolean {
    return false;
  }
  getDeletebeforereplace(): boolean {
    return false;
  }
  getParent(): string {
    return this.r.parent ?? "";
  }
}

/** What a provider resource, an `analyze` request and a stack resource have in common. */
class ReceivedResource {
  constructor(
    protected readonly r: ResourceToAnalyze,
    protected readonly wire: StackWire,
  ) {}
  getType(): string {
    return this.r.type;
  }
  getName(): string {
    return this.r.name;
  }
  getUrn(): string {
    return this.r.urn;
  }
  getProperties() {
    return this.wire.properties(this.r);
  }
}

/** An `AnalyzeRequest`, or a stack's `AnalyzerResource`. */
class ReceivedRequest extends ReceivedResource {
  getOptions(): ReceivedOptions {
    return new ReceivedOptions(this.r);
  }
  getProvider(): ReceivedResource | undefined {
    const provider = this.wire.providerResource(this.r);
    return provider && new ReceivedResource(provider, this.wire);
  }
  getParent(): string {
    return this.r.parent ?? "";
  }
  getDependenciesList(): string[] {
    return [...(this.r.dependencies ?? [])];
  }
  getPropertydependenciesMap(): { entries(): Iterable<[string, { getUrnsList(): string[] }]> } {
    const deps = this.r.propertyDependencies ?? {};
    const keys = Object.keys(deps)
      .filter((k) => deps[k].length > 0)
      .sort();
    return { entries: () => keys.map((k) => [k, { getUrnsList: () => [...deps[k]] }]) };
  }
}

/** The `analyze` request of `resource`, as the handler reads it. */
export function receivedAnalyzeRequest(resource: ResourceToAnalyze, wire: StackWire): pb.AnalyzeRequest {
  return new ReceivedRequest(resource, wire) as unknown as pb.AnalyzeRequest;
}

/** The `analyzeStack` request of the stack, as the handler reads it. */
export function receivedAnalyzeStackRequest(wire: StackWire): pb.AnalyzeStackRequest {
  const resources = wire.resources.map((r) => new ReceivedRequest(r, wire));
  return { getResourcesList: () => resources } as unknown as pb.AnalyzeStackRequest;
}
