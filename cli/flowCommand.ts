/**
 * `hybridnet flow --env E --from X --to Y [--port P] [--protocol tcp|udp|icmp] [--json] [--plan FILE]`: one
 * question asked ad hoc of the planned network. It answers one flow hop by hop both ways (or names the hop
 * that drops it), and which addresses of the destination the source reaches on that port, for every address.
 * The network comes from a fresh offline plan, or from a plan JSON written earlier (`plan --json --out`).
 */
import * as fs from "node:fs";
import { planEnvironment } from "../model/environment";
import { ValidationError } from "../model/errors";
import type { Protocol } from "../model/reachability/forwarding";
import type { PlannedStackInput } from "../model/reachability/fromPlan";
import { type FlowVerdict, IntentChecker, resolveZone, ZoneError } from "../model/reachability/intents";
import { type ReachableSet, reachableSpace } from "../model/reachability/space";
import { configError, PlanInputError, usageError } from "./errors";
import { formatFlowAnswer, networkOfPlan } from "./flows";
import { planOffline, requireEnvironment, STACKS_DIR } from "./plan";

export interface FlowArgs {
  env: string;
  from: string;
  to: string;
  protocol: Protocol;
  port?: number;
  json: boolean;
  /** A plan JSON to answer from instead of planning now. */
  plan?: string;
  stacks?: string;
}

export interface FlowResult {
  env: string;
  from: string;
  to: string;
  protocol: Protocol;
  port?: number;
  /** One flow from a host of the source to the destination, both ways. */
  flow: FlowVerdict;
  /** Every destination address and port the source reaches (both ways), by equivalence class. */
  reachable: ReachableSet[];
}

/** The zone `ref` names in the planned network; an unknown one is bad input naming its option. */
function zoneOf(checker: IntentChecker, option: string, ref: string): ReturnType<typeof resolveZone> {
  try {
    return resolveZone(checker.index, ref);
  } catch (e) {
    if (e instanceof ZoneError)
      throw new PlanInputError(e.message, [{ stack: null, path: option, value: ref, allowed: e.message }]);
    throw e;
  }
}

/** Answers the question; throws PlanInputError on an unknown zone or environment. */
export async function answerFlow(args: FlowArgs, progress: (line: string) => void): Promise<FlowResult> {
  const dir = args.stacks ?? STACKS_DIR;
  requireEnvironment(dir, args.env);
  let settings: ReturnType<typeof planEnvironment>["stacks"];
  try {
    settings = planEnvironment(dir, args.env).stacks;
  } catch (e) {
    if (e instanceof ValidationError) throw configError(e);
    throw e;
  }
  let stacks: PlannedStackInput[];
  if (args.plan) {
    let parsed: { env?: string; stacks?: PlannedStackInput[] };
    try {
      parsed = JSON.parse(fs.readFileSync(args.plan, "utf8"));
    } catch (e) {
      throw usageError("--plan", args.plan, `a readable plan JSON: ${(e as Error).message}`);
    }
    if (parsed.env !== args.env || !Array.isArray(parsed.stacks))
      throw usageError(
        "--plan",
        args.plan,
        `not a plan of environment ${args.env} (hybridnet plan --env ${args.env} --json --out DIR writes one)`,
      );
    stacks = parsed.stacks;
  } else stacks = (await planOffline({ env: args.env, stacksDir: dir, progress })).stacks;

  const checker = new IntentChecker(networkOfPlan(stacks, settings));
  const from = zoneOf(checker, "--from", args.from);
  const to = zoneOf(checker, "--to", args.to);
  const flow = checker.check({
    name: `${args.from} → ${args.to}`,
    from: args.from,
    to: args.to,
    protocol: args.protocol,
    ...(args.port !== undefined ? { port: args.port } : {}),
    expect: "allow",
  });
  const space = reachableSpace(checker.checker, from, to, {
    protocol: args.protocol,
    ...(args.port !== undefined ? { ports: [args.port, args.port] as [number, number] } : {}),
  });
  return {
    env: args.env,
    from: args.from,
    to: args.to,
    protocol: args.protocol,
    ...(args.port !== undefined ? { port: args.port } : {}),
    flow,
    reachable: space.reachable,
  };
}

/** The answer as a person reads it. */
export function formatFlowResult(r: FlowResult): string {
  const lines = formatFlowAnswer(r.flow);
  lines.push("", `every address of ${r.to} that ${r.from} reaches (${r.protocol}):`);
  if (r.reachable.length === 0) lines.push("  none");
  for (const set of r.reachable) lines.push(`  ${set.prefixes.join(", ")}  ports ${set.ports}`);
  return lines.join("\n");
}
