/**
 * What the policy pack tests share: one running pack per test file, and a program run under the mock
 * runtime, converted and analyzed the way `pulumi preview --policy-pack policy` analyzes it (every resource,
 * then the stack), with assertions on the diagnostics a user reads.
 */
import { expect } from "chai";
import {
  type Diagnostic,
  type EnforcementLevel,
  PolicyPackClient,
  type PolicyPackConfig,
  type ResourceToAnalyze,
} from "../cli/analyzer";
import { runProgram } from "./harness";

/** Starts the pack before the file's tests and stops it after; returns an accessor for the tests. */
export function usePolicyPack(): () => PolicyPackClient {
  let pack: PolicyPackClient | undefined;
  before(async function () {
    this.timeout(60_000);
    pack = await PolicyPackClient.start();
  });
  after(async () => {
    await pack?.close();
  });
  return () => {
    if (!pack) throw new Error("the policy pack did not start");
    return pack;
  };
}

export interface PolicyRun {
  resources: ResourceToAnalyze[];
  diagnostics: Diagnostic[];
}

export interface AnalyzeOptions {
  /** Stack name (`connectivity-prod`). @default "connectivity-dev". */
  stack?: string;
  /** Policy config, as in a `--policy-pack-config` file. @default none. */
  config?: PolicyPackConfig;
  /** Changes the recorded resources before they are analyzed (to send what another SDK would). */
  alter?: (resources: ResourceToAnalyze[]) => ResourceToAnalyze[];
}

/** Runs `program` under the mock runtime and analyzes everything it registered with `pack`. */
export async function analyzeProgram(
  pack: PolicyPackClient,
  program: () => unknown,
  options: AnalyzeOptions = {},
): Promise<PolicyRun> {
  const run = await runProgram(program, { stack: options.stack ?? "connectivity-dev" });
  if (run.error) expect.fail(`the program failed: ${run.error.stack}`);
  const recorded = run.resources.all;
  const resources = options.alter ? options.alter(recorded) : recorded;
  await pack.configure(options.config ?? {});
  return { resources, diagnostics: await pack.analyzeAll(resources) };
}

/** The diagnostics of one policy. */
export function violationsOf(run: PolicyRun, policy: string): Diagnostic[] {
  return run.diagnostics.filter((d) => d.policy === policy);
}

/** The one diagnostic in `found` on the resource named `on` (its URN ends with `::<on>`) whose message matches. */
export function pick(
  found: readonly Diagnostic[],
  expected: { on?: string; message?: string | RegExp },
): Diagnostic {
  const matches = found.filter(
    (d) =>
      (expected.on === undefined || (d.urn ?? "").endsWith(`::${expected.on}`)) &&
      (expected.message === undefined ||
        (typeof expected.message === "string"
          ? d.message.includes(expected.message)
          : expected.message.test(d.message))),
  );
  const shown = found.map((d) => `  ${d.urn ?? "(stack)"}: ${d.message}`).join("\n");
  expect(
    matches,
    `one diagnostic on ${expected.on ?? "any resource"} matching ${expected.message} among:\n${shown}`,
  ).to.have.length(1);
  return matches[0];
}

/**
 * Exactly `count` (default 1) violations of `policy`, all at `level`, one of them on the resource named `on`
 * (when given) with a message matching `message`. Returns them all; diagnostics come in registration order,
 * which is not construction order, so tests find the others with {@link pick}.
 */
export function expectViolation(
  run: PolicyRun,
  policy: string,
  expected: { level: EnforcementLevel; message: string | RegExp; on?: string; count?: number },
): Diagnostic[] {
  const found = violationsOf(run, policy);
  const shown = run.diagnostics
    .map((d) => `${d.level} ${d.policy} ${d.urn ?? "(stack)"}: ${d.message}`)
    .join("\n");
  expect(found, `${policy} violations among:\n${shown}`).to.have.length(expected.count ?? 1);
  for (const d of found) expect(d.level, d.message).to.equal(expected.level);
  pick(found, expected);
  return found;
}

/** No violation of `policy`. */
export function expectNoViolation(run: PolicyRun, policy: string): void {
  const found = violationsOf(run, policy).map((d) => `${d.level} ${d.urn}: ${d.message}`);
  expect(found, `${policy} violations`).to.deep.equal([]);
}
