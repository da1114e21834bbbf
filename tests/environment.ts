/**
 * Runs a whole environment of the landing zone under the mock runtime, stack by stack in the deployment
 * order model/environment computes (each workload after the connectivity stack; the second passes for the
 * PrivateLink handshake), each run its own program as each stack is its own `pulumi up`. The outputs of each
 * run become what StackReferences to that stack read in the runs after it: plain values, secrets kept secret.
 */

import { expect } from "chai";
import { mockSecret, type StackOutputs } from "../cli/mocks";
import { cliConfig, type DeployStep, planEnvironment, readStackFiles } from "../model/environment";
import type { FlowVerdict } from "../model/reachability/intents";
import { DEFAULT_ORGANIZATION, parseStackConfig, qualifiedStackName } from "../model/stackConfig";
import { runStack } from "../stacks/program";
import { type ReadResource, type ResourceList, resolve, runProgram } from "./harness";

export const STACKS_DIR = `${__dirname}/../stacks`;

/** One `pulumi up` of the environment under mocks. */
export interface StackRun {
  step: DeployStep;
  resources: ResourceList;
  reads: ReadResource[];
  /** The stack's outputs, resolved; secret ones unwrapped here and listed in `secretOutputs`. */
  outputs: Record<string, unknown>;
  secretOutputs: string[];
  /** Milliseconds the run took. */
  ms: number;
}

/** Resolves a stack's returned outputs to plain values, with the names of the secret ones. */
async function resolveOutputs(outputs: Record<string, unknown>) {
  const plain: Record<string, unknown> = {};
  const secret: string[] = [];
  for (const [name, value] of Object.entries(outputs)) {
    const resolved = await resolve(value);
    plain[name] = resolved.value;
    if (resolved.secret) secret.push(name);
  }
  return { plain, secret };
}

/** Runs one stack with `config` (the CLI's form) against the deployed outputs of the others. */
export async function runStackProgram(
  stack: string,
  config: Record<string, string>,
  deployed: StackOutputs = {},
) {
  return runProgram(() => runStack(), { stack, config, stackOutputs: deployed });
}

/**
 * Runs every step of environment `env` in order; a step that fails fails the whole run with the stack named.
 * Returns each run, and the outputs each stack ended with.
 */
export function runEnvironment(env: string, dir = STACKS_DIR): ReturnType<typeof deployEnvironment> {
  // One run per environment and directory for the whole test process: the runs are deterministic, and several
  // test files read the same environment.
  const key = `${dir}\u0000${env}`;
  let run = environmentRuns.get(key);
  if (!run) {
    run = deployEnvironment(env, dir);
    environmentRuns.set(key, run);
  }
  return run;
}

const environmentRuns = new Map<string, ReturnType<typeof deployEnvironment>>();

async function deployEnvironment(env: string, dir: string) {
  const plan = planEnvironment(dir, env);
  const configs = new Map(readStackFiles(dir, env).map((f) => [f.stack, f.config]));
  const deployed: StackOutputs = {};
  const runs: StackRun[] = [];
  for (const step of plan.steps) {
    const started = performance.now();
    const run = await runStackProgram(step.stack, configs.get(step.stack)!, deployed);
    if (run.error) throw new Error(`${step.stack} (pass ${step.pass}) failed: ${run.error.stack}`);
    const { plain, secret } = await resolveOutputs(run.result ?? {});
    deployed[qualifiedStackName(DEFAULT_ORGANIZATION, step.stack)] = Object.fromEntries(
      Object.entries(plain).map(([k, v]) => [k, secret.includes(k) ? mockSecret(v) : v]),
    );
    runs.push({
      step,
      resources: run.resources,
      reads: run.reads,
      outputs: plain,
      secretOutputs: secret,
      ms: performance.now() - started,
    });
  }
  return { plan, runs, deployed };
}

/**
 * An environment's plan as the reachability model takes it: every stack's last pass (resources and outputs),
 * and the validated settings of its stack files.
 */
export async function plannedEnvironment(env: string, dir = STACKS_DIR) {
  const { runs } = await runEnvironment(env, dir);
  const last = new Map(runs.map((r) => [r.step.stack, r]));
  const stacks = [...last.values()].map((r) => ({
    name: r.step.stack,
    resources: r.resources.all,
    outputs: r.outputs,
  }));
  const settings = readStackFiles(dir, env).map((f) => parseStackConfig(f.stack, f.config));
  return { stacks, settings };
}

/** The CLI form of a stack file's config, for tests that change one value. */
export { cliConfig };

/** The one flow verdict of the plan named `name` (fails the test when there is none or more than one). */
export function verdict(flows: FlowVerdict[], name: string): FlowVerdict {
  const found = flows.filter((f) => f.name === name);
  expect(found, name).to.have.length(1);
  return found[0];
}
