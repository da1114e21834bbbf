/**
 * The baseline the planner benchmark compares against: the plain SDK mock run of a program, the way a unit
 * test runs one. `pulumi.runtime.setMocks` with the shared mock model, the SDK as it ships, default node
 * flags, nothing recorded. Run as a child process (`tsx bench/rawStack.ts '<json>'`) so its RSS is its own;
 * prints one JSON line: how many resources registered, the wall time inside the process and its peak RSS.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { MockModel } from "../cli/mocks";

const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> };

interface RawRequest {
  program: string;
  export: string;
  project: string;
  stack: string;
  config: Record<string, string>;
}

async function main(): Promise<void> {
  const started = performance.now();
  const request = JSON.parse(process.argv[2]) as RawRequest;
  const model = new MockModel();
  pulumi.runtime.setAllConfig(request.config, []);
  await pulumi.runtime.setMocks(
    { newResource: (args) => model.newResource(args), call: (args) => model.call(args) },
    request.project,
    request.stack,
    false,
  );
  const module = require(path.resolve(request.program)) as Record<string, () => unknown>;
  const outputs = module[request.export]();
  await new Promise((done) => pulumi.output(outputs as pulumi.Input<Record<string, unknown>>).apply(done));
  await waitForRPCs();
  const monitor = getMonitor() as unknown as MockMonitor;
  const resources = monitor.getRegisteredResources().size;
  process.stdout.write(
    `${JSON.stringify({ resources, ms: performance.now() - started, maxRssKiB: process.resourceUsage().maxRSS })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
