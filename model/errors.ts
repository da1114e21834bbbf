/** One invalid argument: where it is, what it was, and what would have been accepted. */
export interface Problem {
  /** Argument path inside the component's args, e.g. `sites.dc1.tunnels[1].insideCidr`. */
  path: string;
  /** The offending value. Never printed when `secret` is set. */
  value: unknown;
  /** What is allowed instead, in the user's terms (the AWS rule or the range). */
  allowed: string;
  /** The value is a secret (a pre-shared key, a BGP auth key): the message shows `[secret]`. */
  secret?: boolean;
}

/** What an error, a plan or a log shows in place of a secret value. */
export const SECRET_SHOWN = "[secret]";

function show(problem: Problem): string {
  if (problem.secret) return SECRET_SHOWN;
  if (problem.value === undefined) return "(missing)";
  return JSON.stringify(problem.value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

/**
 * Every problem found in one set of arguments, thrown once before anything is registered.
 * `where` names the component (`hybridnet:index:ManagedVpn "dc"`) or the stack.
 */
export class ValidationError extends Error {
  constructor(
    public readonly where: string,
    public readonly problems: readonly Problem[],
  ) {
    const lines = problems.map((p) => `  ${p.path} = ${show(p)}: ${p.allowed}`);
    const count = problems.length === 1 ? "1 invalid argument" : `${problems.length} invalid arguments`;
    super(`${where}: ${count}\n${lines.join("\n")}`);
    this.name = "ValidationError";
  }
}

/**
 * The invalid config of several stacks, found in one pass and thrown together: each stack's own error, in
 * order, so the message groups the problems by stack. `problems` holds them all, each path prefixed with its
 * stack (`workload-app-dev: hybridnet:vpc.cidr`), the form the environment's cross-stack checks use.
 */
export class ValidationErrors extends ValidationError {
  constructor(
    where: string,
    public readonly errors: readonly ValidationError[],
  ) {
    super(
      where,
      errors.flatMap((e) => e.problems.map((p) => ({ ...p, path: `${e.where}: ${p.path}` }))),
    );
    const count =
      this.problems.length === 1 ? "1 invalid argument" : `${this.problems.length} invalid arguments`;
    this.message = [
      `${where}: ${count} in ${errors.length} stacks (${errors.map((e) => e.where).join(", ")})`,
      ...errors.map((e) => e.message),
    ].join("\n");
    this.name = "ValidationErrors";
  }
}

/** Collects problems while a validator walks the arguments; `throwIfAny` raises them together. */
export class Problems {
  private readonly list: Problem[] = [];

  add(path: string, value: unknown, allowed: string, secret = false): void {
    this.list.push(secret ? { path, value, allowed, secret } : { path, value, allowed });
  }

  /** Records `problem` (a message from a model rule) at `path` when it is defined. */
  addIf(path: string, value: unknown, problem: string | undefined, secret = false): void {
    if (problem !== undefined) this.add(path, value, problem, secret);
  }

  get count(): number {
    return this.list.length;
  }

  throwIfAny(where: string): void {
    if (this.list.length > 0) throw new ValidationError(where, this.list);
  }
}

/**
 * Values that must be used once (a gateway associated once, a VLAN once per connection, a site ASN once on
 * CloudHub): remembers where each was first used, so a second use can name the first.
 */
export class FirstUse<K> {
  private readonly first = new Map<K, string>();

  /** Records `where` as the first use of `key` unless there was one; returns that earlier use, if any. */
  claim(key: K, where: string): string | undefined {
    const earlier = this.first.get(key);
    if (earlier === undefined) this.first.set(key, where);
    return earlier;
  }
}

/** The `where` of a component's errors: its type token and name. */
export function componentWhere(typeName: string, name: string): string {
  return `hybridnet:index:${typeName} "${name}"`;
}
