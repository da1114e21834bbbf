/**
 * The `hybridnet` command. `hybridnet plan --env <env> [--json] [--out DIR] [--policy-config FILE]` plans
 * every stack of an environment offline, judges it with the policy pack and answers its intended flows. Exit
 * codes: 0 clean or advisory only, 1 a mandatory policy violation or a flow not as intended, 2 invalid config
 * or arguments, 3 the planner itself failed. `hybridnet flow` asks the planned network one question.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ComparableStack } from "../model/changePlan";
import type { Protocol } from "../model/reachability/forwarding";
import type { PolicyPackConfig } from "./analyzer";
import { answerFlow, type FlowArgs, formatFlowResult } from "./flowCommand";
import { exitCodeOf, formatPlan, PlanInputError, planOffline } from "./plan";

const USAGE = `usage: hybridnet plan --env <env> [--json] [--out DIR] [--policy-config FILE] [--stacks DIR]
                      [--against PLAN.json [--allow-replace <urn or type>]...]
       hybridnet flow --env <env> --from <zone> --to <zone> [--port P] [--protocol tcp|udp|icmp] [--json]
                      [--plan FILE] [--stacks DIR]

  --env <env>             the environment: the stacks Pulumi.*-<env>.yaml in the stacks directory
  --json                  print one JSON document instead of the table
  --out DIR               also write the JSON document to DIR/plan.json
  --policy-config FILE    policy pack config, as for pulumi preview --policy-pack-config
  --stacks DIR            where the stack files are (default: stacks/)
  --against FILE          an earlier plan's JSON: list what applying this plan adds, removes, changes, replaces
  --allow-replace X       accept the replacement of a stateful resource (its URN, or a type token); repeatable
  --from, --to <zone>     site:<name>, vpc:<stack>, workload:<key>, connectivity, segment:<name>,
                          clients:<name>, service:<name> (--to only), or an IPv4 address or CIDR
  --port P, --protocol    the flow's destination port and protocol (default: tcp, every port)
  --plan FILE             answer from a plan JSON written earlier instead of planning now

exit codes: plan: 0 clean or advisory only, 1 mandatory policy violation or a flow not as intended,
2 invalid config or arguments; flow: 0 reachable, 1 not reachable, 2 invalid arguments`;

interface PlanArgs {
  env: string;
  json: boolean;
  out?: string;
  policyConfig?: string;
  stacks?: string;
  against?: string;
  allowReplace: string[];
}

/** Walks `rest` flag by flag; `take` handles one (reading its value through `value`) or returns false. */
function readFlags(rest: string[], take: (flag: string, value: () => string) => boolean): void {
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = () => {
      const next = rest[++i];
      if (next === undefined || next.startsWith("--"))
        throw new PlanInputError(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    if (!take(flag, value)) throw new PlanInputError(`unknown option "${flag}"\n${USAGE}`);
  }
}

function parseFlowArgs(rest: string[]): FlowArgs {
  const args: Partial<FlowArgs> = { json: false, protocol: "tcp" };
  readFlags(rest, (flag, value) => {
    if (flag === "--env") args.env = value();
    else if (flag === "--from") args.from = value();
    else if (flag === "--to") args.to = value();
    else if (flag === "--port") {
      const text = value();
      const port = Number(text);
      if (!/^\d+$/.test(text) || port < 1 || port > 65535)
        throw new PlanInputError(`--port ${text}: a port is an integer 1–65535`);
      args.port = port;
    } else if (flag === "--protocol") {
      const p = value();
      if (!["tcp", "udp", "icmp"].includes(p))
        throw new PlanInputError(`--protocol ${p}: one of tcp, udp, icmp`);
      args.protocol = p as Protocol;
    } else if (flag === "--json") args.json = true;
    else if (flag === "--plan") args.plan = value();
    else if (flag === "--stacks") args.stacks = path.resolve(value());
    else return false;
    return true;
  });
  for (const required of ["env", "from", "to"] as const)
    if (!args[required]) throw new PlanInputError(`--${required} is required\n${USAGE}`);
  return args as FlowArgs;
}

function parseArgs(argv: string[]): PlanArgs {
  const [command, ...rest] = argv;
  if (command !== "plan")
    throw new PlanInputError(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
  const args: Partial<PlanArgs> = { json: false, allowReplace: [] };
  readFlags(rest, (flag, value) => {
    if (flag === "--env") args.env = value();
    else if (flag === "--json") args.json = true;
    else if (flag === "--out") args.out = value();
    else if (flag === "--policy-config") args.policyConfig = value();
    else if (flag === "--stacks") args.stacks = path.resolve(value());
    else if (flag === "--against") args.against = value();
    else if (flag === "--allow-replace") args.allowReplace?.push(value());
    else return false;
    return true;
  });
  if (!args.env) throw new PlanInputError(`--env is required\n${USAGE}`);
  if ((args.allowReplace?.length ?? 0) > 0 && !args.against)
    throw new PlanInputError(`--allow-replace needs --against\n${USAGE}`);
  return args as PlanArgs;
}

/** An earlier plan's JSON (`plan --json`): its stacks' resources are what `--against` compares with. */
function readPlan(file: string): { stacks: ComparableStack[] } {
  let parsed: { stacks?: unknown };
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new PlanInputError(`--against ${file}: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed.stacks))
    throw new PlanInputError(`--against ${file}: not a plan (hybridnet plan --json writes one)`);
  return { stacks: parsed.stacks as ComparableStack[] };
}

function readPolicyConfig(file: string): PolicyPackConfig {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig;
  } catch (e) {
    throw new PlanInputError(`--policy-config ${file}: ${(e as Error).message}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    if (argv[0] === "flow") {
      const args = parseFlowArgs(argv.slice(1));
      const result = await answerFlow(args, (line) => process.stderr.write(`${line}\n`));
      process.stdout.write(`${args.json ? JSON.stringify(result, null, 2) : formatFlowResult(result)}\n`);
      return result.flow.reachable ? 0 : 1;
    }
    const args = parseArgs(argv);
    const result = await planOffline({
      env: args.env,
      ...(args.stacks ? { stacksDir: args.stacks } : {}),
      ...(args.policyConfig ? { policyConfig: readPolicyConfig(args.policyConfig) } : {}),
      ...(args.against ? { against: readPlan(args.against), allowReplace: args.allowReplace } : {}),
      progress: (line) => process.stderr.write(`${line}\n`),
    });
    const json = JSON.stringify(result, null, 2);
    if (args.out) {
      fs.mkdirSync(args.out, { recursive: true });
      fs.writeFileSync(path.join(args.out, "plan.json"), `${json}\n`);
    }
    process.stdout.write(`${args.json ? json : formatPlan(result)}\n`);
    return exitCodeOf(result);
  } catch (e) {
    if (e instanceof PlanInputError) {
      process.stderr.write(`hybridnet: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`hybridnet: the planner failed: ${(e as Error).stack ?? e}\n`);
    return 3;
  }
}

if (require.main === module)
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
