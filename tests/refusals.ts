/**
 * What the component tests share: a program that must build, a program that must throw one ValidationError
 * before anything registers, and the problem lines a user reads in that error.
 */
import { expect } from "chai";
import type { LoggedMessage } from "../cli/mockRuntime";
import { type Problem, ValidationError } from "../model/errors";
import { parseStackConfig } from "../model/stackConfig";
import { runStackProgram } from "./environment";
import { type ResourceList, type RunOptions, runProgram } from "./harness";

/**
 * Runs `program` (which constructs one component): it must throw one ValidationError whose message starts
 * with `where`, and register nothing at all.
 */
export async function refusedBy(program: () => unknown, where: string): Promise<ValidationError> {
  const { resources, error } = await runProgram(program);
  if (!(error instanceof ValidationError))
    return expect.fail(`expected a ValidationError, got ${error ? error.stack : "no error"}`);
  expect(
    resources.all.map((r) => `${r.type} ${r.name}`),
    "resources registered before the error",
  ).to.deep.equal([]);
  expect(error.where).to.equal(where);
  expect(error.message.startsWith(`${where}: `), error.message).to.equal(true);
  return error;
}

/** Runs `program`, which must succeed; returns what it registered, what it returned and what it logged. */
export async function builtBy<T>(
  program: () => T,
  options: RunOptions = {},
): Promise<{ resources: ResourceList; result: T; logs: LoggedMessage[] }> {
  const { resources, result, error, logs } = await runProgram(program, options);
  if (error) return expect.fail(`the program failed: ${error.stack}`);
  return { resources, result: result as T, logs };
}

/** The single problem of `error` is at `path`; returns the line a user reads (`  path = value: allowed`). */
export function onlyProblemLine(error: ValidationError, path: string): string {
  expect(
    error.problems.map((p) => p.path),
    error.message,
  ).to.deep.equal([path]);
  const line = error.message.split("\n")[1];
  expect(line.startsWith(`  ${path} = `), line).to.equal(true);
  return line;
}

/**
 * The problem at `path`: its value is `value`, what is allowed mentions `allowed`, and the message has the
 * line a user reads (`  path = value: allowed`).
 */
export function problemAt(error: ValidationError, path: string, value: unknown, allowed: string): Problem {
  const problem = error.problems.find((p) => p.path === path && p.allowed.includes(allowed));
  if (!problem)
    return expect.fail(
      `no problem at ${path} mentioning ${JSON.stringify(allowed)}; the error says:\n${error.message}`,
    );
  expect(problem.value).to.deep.equal(value);
  const shown = problem.secret ? "[secret]" : value === undefined ? "(missing)" : JSON.stringify(value);
  expect(error.message).to.include(`\n  ${path} = ${shown}: ${problem.allowed}`);
  return problem;
}

/** As problemAt, and it is the only problem (so the rest of the arguments were valid). */
export function onlyProblem(error: ValidationError, path: string, value: unknown, allowed: string): Problem {
  expect(
    error.problems.map((p) => `${p.path}: ${p.allowed}`),
    error.message,
  ).to.have.length(1);
  expect(error.message).to.include(": 1 invalid argument\n");
  return problemAt(error, path, value, allowed);
}

/** Stack `stack`'s config must be refused by the config checks with one ValidationError naming the stack. */
export function configRefused(stack: string, config: Record<string, string>): ValidationError {
  try {
    parseStackConfig(stack, config);
  } catch (e) {
    if (e instanceof ValidationError) {
      expect(e.where).to.equal(stack);
      return e;
    }
    throw e;
  }
  return expect.fail("accepted");
}

/**
 * Runs stack `stack`'s program against the `deployed` outputs of the others: it must refuse with one
 * ValidationError naming the stack, and register nothing. Returns the error and what the program read.
 */
export async function stackRefused(
  stack: string,
  config: Record<string, string>,
  deployed: Parameters<typeof runStackProgram>[2] = {},
) {
  const result = await runStackProgram(stack, config, deployed);
  if (!(result.error instanceof ValidationError))
    return expect.fail(`expected a ValidationError, got ${result.error?.stack ?? "no error"}`);
  expect(
    result.resources.all.map((r) => `${r.type} ${r.name}`),
    "registered before the error",
  ).to.deep.equal([]);
  expect(result.error.message.startsWith(`${stack}: `), result.error.message).to.equal(true);
  return { error: result.error, reads: result.reads };
}
