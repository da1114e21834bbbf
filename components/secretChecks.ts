/**
 * Secrets given as Outputs (`config.requireSecret(...)`) are known only when they resolve, after a component's
 * constructor has returned. So that a bad one still stops the component before anything registers, the
 * component's own registration depends on the check: the check throws the component's ValidationError
 * (values shown as `[secret]`), the component's registration fails with it, and every child, which waits for
 * its parent, never registers either. Not a component itself.
 */
import * as pulumi from "@pulumi/pulumi";
import { Problems } from "../model/errors";

/** A secret argument to check when it resolves. */
export interface SecretCheck {
  /** Argument path, e.g. `sites.dc1.tunnels[0].presharedKey`. */
  path: string;
  /** The given value: checked here when it is an Output (a plain value is checked with the other arguments). */
  value: unknown;
  /** Why a value is not acceptable (a model rule), or undefined. Never quotes the value. */
  problem: (value: unknown) => string | undefined;
}

/**
 * The component options with the Output-valued secrets of `checks` gating its registration: one ValidationError
 * naming `where` lists every bad one. Options are returned unchanged when no secret is an Output.
 */
export function gateOnSecrets(
  where: string,
  checks: readonly SecretCheck[],
  opts: pulumi.ComponentResourceOptions | undefined,
): pulumi.ComponentResourceOptions | undefined {
  const pending = checks.filter((c) => pulumi.Output.isInstance(c.value));
  if (pending.length === 0) return opts;
  const checked = pulumi.all(pending.map((c) => c.value as pulumi.Output<unknown>)).apply((values) => {
    const problems = new Problems();
    values.forEach((v, i) => {
      problems.addIf(pending[i].path, v, pending[i].problem(v), true);
    });
    problems.throwIfAny(where);
    return [] as pulumi.Resource[];
  });
  const earlier = opts?.dependsOn;
  return {
    ...opts,
    dependsOn: (earlier === undefined ? [checked] : [earlier, checked]) as pulumi.Input<pulumi.Resource>[],
  };
}
