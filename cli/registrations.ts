/**
 * The part of each registration a policy pack's stack rules need and a mock run's resource list leaves out:
 * what each resource depends on, which resource each input's value came from, and its additional secret
 * outputs. The SDK computes these and sends them with every registration; `recordRegistrationGraph()` reads
 * them off the mock monitor. Call it inside a program run under the mock runtime (tests/harness `runProgram`,
 * the planner), before the program creates resources, and pass its result to `withGraph`.
 */
import * as pulumi from "@pulumi/pulumi";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import type { ResourceToAnalyze } from "./analyzer";

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(fn: (deps: { getUrnsList(): string[] }, key: string) => void): void;
  };
  getAdditionalsecretoutputsList(): string[];
}

interface Monitor {
  registerResource: (request: RegisterRequest, callback: unknown) => unknown;
}

export interface RegistrationGraphEntry {
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  additionalSecretOutputs: string[];
}

/** URN → what its registration said about its dependencies. */
export type RegistrationGraph = Map<string, RegistrationGraphEntry>;

/** The URN the mock monitor gives a registration (its parent's type, `$`, its type). */
function urnOf(request: RegisterRequest): string {
  const parent = request.getParent();
  const parentType = parent ? parent.split("::")[2].split("$").pop() : undefined;
  const type = parentType ? `${parentType}$${request.getType()}` : request.getType();
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${type}::${request.getName()}`;
}

/** Starts recording the dependency graph of the registrations that follow. */
export function recordRegistrationGraph(): RegistrationGraph {
  const graph: RegistrationGraph = new Map();
  const monitor = getMonitor() as unknown as Monitor;
  const next = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const propertyDependencies: Record<string, string[]> = {};
    request.getPropertydependenciesMap().forEach((deps, key) => {
      const urns = deps.getUrnsList();
      if (urns.length > 0) propertyDependencies[key] = urns;
    });
    graph.set(urnOf(request), {
      dependencies: request.getDependenciesList(),
      propertyDependencies,
      additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
    });
    return next(request, callback);
  };
  return graph;
}

/** The recorded resources with their dependencies, ready for the analyzer. */
export function withGraph<R extends ResourceToAnalyze>(
  resources: readonly R[],
  graph: RegistrationGraph | undefined,
): ResourceToAnalyze[] {
  return resources.map((r) => ({ ...r, ...(graph?.get(r.urn) ?? {}) }));
}
