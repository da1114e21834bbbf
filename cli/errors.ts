/**
 * The errors of the `hybridnet` command, and the one JSON object a failed run prints with `--json`:
 * `{"error": {"kind", "message", "problems": [{stack, path, value, allowed}]}}`. A secret value is shown as
 * "[secret]", never itself. Exit codes: 2 for bad input (`usage`, `config`, `stack`), 3 when the planner
 * itself failed (`planner`).
 */
import { type Problem, SECRET_SHOWN, type ValidationError, ValidationErrors } from "../model/errors";

/**
 * What went wrong: `usage` an argument, option, environment or input file; `config` a stack's config (every
 * stack of the environment checked); `stack` a stack program that refused to run; `planner` the planner
 * itself (a crashed stack process, the policy pack).
 */
export type ErrorKind = "usage" | "config" | "stack" | "planner";

/** One problem as the JSON error lists it. */
export interface ErrorProblem {
  /** The stack it belongs to, or null for the command line and the environment as a whole. */
  stack: string | null;
  /** The component whose arguments it is in, when a stack program's component refused them. */
  component?: string;
  /** The config path (`hybridnet:vpc.cidr`) or the option (`--env`). */
  path: string;
  /** The bad value; "[secret]" for a secret. */
  value: unknown;
  /** What is allowed instead. */
  allowed: string;
}

/** The document `--json` prints for a failed run. */
export interface ErrorDocument {
  error: { kind: ErrorKind; message: string; problems: ErrorProblem[] };
}

/** Bad input: the command exits 2 with the message (and, for `usage`, the subcommand's usage). */
export class PlanInputError extends Error {
  constructor(
    message: string,
    public readonly problems: readonly ErrorProblem[] = [],
    public readonly kind: Exclude<ErrorKind, "planner"> = "usage",
    /** The usage text printed after the message on stderr. */
    public readonly usage?: string,
  ) {
    super(message);
    this.name = "PlanInputError";
  }
}

/** A bad command-line argument: `path` is the option (or "command"), `value` what was given. */
export function usageError(path: string, value: unknown, allowed: string, usage?: string): PlanInputError {
  const given = value === undefined ? "" : ` ${typeof value === "string" ? value : JSON.stringify(value)}`;
  return new PlanInputError(
    `${path}${given}: ${allowed}`,
    [{ stack: null, path, value, allowed }],
    "usage",
    usage,
  );
}

/** A problem's value JSON-safe (a bigint as its digits), and "[secret]" for a secret. */
export function shownValue(problem: Problem): unknown {
  if (problem.secret) return SECRET_SHOWN;
  return JSON.parse(
    JSON.stringify(problem.value ?? null, (_k, v) => (typeof v === "bigint" ? v.toString() : v)),
  );
}

const COMPONENT = /^hybridnet:index:/;
const STACK_PREFIX = /^([A-Za-z0-9_.-]+): (.*)$/s;

/**
 * The problems of a ValidationError with the stack each belongs to: a stack's own error (`where` the stack),
 * an environment's (paths `stack: path`, or a bare stack name), or a component's inside `stack`'s program.
 */
export function problemsOf(error: ValidationError, stack?: string): ErrorProblem[] {
  if (error instanceof ValidationErrors) return error.errors.flatMap((e) => problemsOf(e, stack));
  const component = COMPONENT.test(error.where) ? error.where : undefined;
  const environment = error.where.startsWith("environment ");
  return error.problems.map((p) => {
    const value = shownValue(p);
    if (component) return { stack: stack ?? null, component, path: p.path, value, allowed: p.allowed };
    if (!environment) return { stack: stack ?? error.where, path: p.path, value, allowed: p.allowed };
    const prefixed = STACK_PREFIX.exec(p.path);
    if (prefixed) return { stack: prefixed[1], path: prefixed[2], value, allowed: p.allowed };
    if (/^[a-z0-9]+(-[a-z0-9]+)+$/.test(p.path))
      return { stack: p.path, path: "", value, allowed: p.allowed };
    return { stack: null, path: p.path, value, allowed: p.allowed };
  });
}

/** Invalid stack config, as the command reports it: exit 2, every problem with its stack. */
export function configError(error: ValidationError): PlanInputError {
  return new PlanInputError(error.message, problemsOf(error), "config");
}

/** Any error of a run as the JSON document and the exit code: 2 for bad input, 3 for the planner. */
export function errorDocument(error: unknown): { document: ErrorDocument; code: 2 | 3 } {
  if (error instanceof PlanInputError)
    return {
      document: { error: { kind: error.kind, message: error.message, problems: [...error.problems] } },
      code: 2,
    };
  const message = error instanceof Error ? error.message : String(error);
  return { document: { error: { kind: "planner", message, problems: [] } }, code: 3 };
}
