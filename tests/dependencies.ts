/**
 * What each registration depends on (explicit `dependsOn` and the resources its inputs come from), as the
 * SDK sends it to the engine. Call `recordDependencies()` inside a program given to `runProgram`: it wraps
 * the mock monitor `runProgram` set up, and answers nothing itself.
 */
import { getMonitor } from "@pulumi/pulumi/runtime/settings";

interface RegisterRequest {
  getName(): string;
  getDependenciesList(): string[];
}

interface Monitor {
  registerResource: (request: RegisterRequest, callback: unknown) => unknown;
}

/** Resource name → URNs it depends on, filled in as resources register. */
export function recordDependencies(): Map<string, string[]> {
  const dependencies = new Map<string, string[]>();
  const monitor = getMonitor() as unknown as Monitor;
  const next = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    dependencies.set(request.getName(), request.getDependenciesList());
    return next(request, callback);
  };
  return dependencies;
}
