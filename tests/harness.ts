/**
 * Runs a program under the Pulumi SDK's mock runtime with the shared mock model, through the same recorder
 * the offline planner uses (cli/mockRuntime.ts), and returns what it registered — type, name, URN, parent,
 * provider, protect, inputs with secrets unwrapped and the names of secret inputs, dependencies — with
 * lookups tests use. Errors thrown while the program builds its resources come back too.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  type LoggedMessage,
  type ReadResource,
  type RecordedResource,
  runUnderMocks,
} from "../cli/mockRuntime";
import type { StackOutputs } from "../cli/mocks";

export type RegisteredResource = RecordedResource;
export type { ReadResource };

/** Everything one program registered, in registration order, with lookups tests use. */
export class ResourceList {
  constructor(readonly all: RegisteredResource[]) {}

  ofType(type: string): RegisteredResource[] {
    return this.all.filter((r) => r.type === type);
  }

  /** The one resource of `type`; throws when there is none or more than one. */
  single(type: string): RegisteredResource {
    const found = this.ofType(type);
    if (found.length !== 1)
      throw new Error(
        `${found.length} resources of type ${type}; expected one: ${found.map((r) => r.name).join(", ")}`,
      );
    return found[0];
  }

  named(name: string): RegisteredResource {
    const found = this.all.find((r) => r.name === name);
    if (!found)
      throw new Error(`no resource named ${name}; registered: ${this.all.map((r) => r.name).join(", ")}`);
    return found;
  }

  childrenOf(urn: string): RegisteredResource[] {
    return this.all.filter((r) => r.parent === urn);
  }

  get length(): number {
    return this.all.length;
  }
}

export interface RunResult<T> {
  resources: ResourceList;
  /** What the program read (StackReferences), which registers nothing. */
  reads: ReadResource[];
  /** What the program logged (`pulumi.log.warn` and the rest), recorded instead of printed. */
  logs: LoggedMessage[];
  /** What the program returned (a component, or a stack's outputs), awaited when it is a promise. */
  result?: T;
  /** What the program threw, synchronously or while its registrations settled. */
  error?: Error;
}

export interface RunOptions {
  /** What `pulumi.getStack()` returns. @default "test". */
  stack?: string;
  /** What `pulumi.getProject()` returns. @default "hybridnet". */
  project?: string;
  /** What `pulumi.getOrganization()` returns. @default "organization" (the DIY backend's). */
  organization?: string;
  /**
   * The stack's config as the CLI hands it to a program: `hybridnet:vpc` → JSON text (model/environment
   * `cliConfig` turns a stack YAML's map into this). @default empty.
   */
  config?: Record<string, string>;
  /** Outputs of the stacks the program references (see MockModelOptions). @default none deployed. */
  stackOutputs?: StackOutputs;
  /** Run as `pulumi preview`: new resources' ids and computed outputs unknown (cli/mockRuntime). @default false. */
  preview?: boolean;
}

/**
 * Runs `program` against a fresh mock runtime and the shared mock model, with `options` setting the stack,
 * project, organization, config and the outputs of referenced stacks. A program that returns a promise (an
 * async Pulumi program) is awaited before the run's registrations are.
 */
export async function runProgram<T>(
  program: () => T | Promise<T>,
  options: RunOptions = {},
): Promise<RunResult<T>> {
  const run = await runUnderMocks(program, { ...options, secrets: "unwrap" });
  return {
    resources: new ResourceList(run.resources),
    reads: run.reads,
    logs: run.logs,
    ...(run.result !== undefined ? { result: run.result } : {}),
    ...(run.error ? { error: run.error } : {}),
  };
}

/** Resolves an Output (or plain value) and says whether it is secret. */
export async function resolve<T>(value: pulumi.Input<T>): Promise<{ value: T; secret: boolean }> {
  const output = pulumi.output(value);
  const [resolved, secret] = await Promise.all([
    new Promise<T>((done) => output.apply((v) => done(v as T))),
    pulumi.isSecret(output),
  ]);
  return { value: resolved, secret };
}
