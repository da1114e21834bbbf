/**
 * What the contract tests compare between a Construct over gRPC and the same component built in TypeScript under
 * the mock runtime: the resources registered (type, name, parent), and the component's outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RecordedResource } from "../../cli/mockRuntime";
import { resolve } from "../harness";
import { plainValue } from "./pluginHarness";

/** A registration as the comparison sees it: `type name ← parent URN`, sorted. */
export function registrations(resources: readonly RecordedResource[]): string[] {
  return resources.map((r) => `${r.type} ${r.name} <- ${r.parent ?? "(no parent)"}`).sort();
}

/**
 * A component's outputs `names` resolved as a Construct response carries them: plain JSON (resource references
 * as their URN, undefined values left out), and the names of the secret ones.
 */
export async function componentOutputs(
  component: object,
  names: readonly string[],
): Promise<{ outputs: Record<string, unknown>; secretOutputs: string[] }> {
  const outputs: Record<string, unknown> = {};
  const secretOutputs: string[] = [];
  for (const name of names) {
    const value = (component as Record<string, unknown>)[name];
    if (value === undefined) continue;
    const resolved = await resolve(value as pulumi.Input<unknown>);
    if (resolved.value === undefined) continue;
    outputs[name] = await plainOf(resolved.value);
    if (resolved.secret) secretOutputs.push(name);
  }
  return { outputs, secretOutputs: secretOutputs.sort() };
}

/** A resolved value as plain JSON: resources as their URN, nested Outputs resolved. */
async function plainOf(value: unknown): Promise<unknown> {
  if (pulumi.Resource.isInstance(value)) return (await resolve(value.urn)).value;
  if (pulumi.Output.isInstance(value)) return plainOf((await resolve(value)).value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return Promise.all(value.map(plainOf));
  const entries = await Promise.all(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(async ([k, v]) => [k, await plainOf(v)] as const),
  );
  return plainValue(Object.fromEntries(entries));
}
