/**
 * The `hybridnet` command. `hybridnet plan` plans every stack of an environment offline, judges it with the
 * policy pack and answers its intended flows; `hybridnet flow` asks the planned network one question;
 * `hybridnet device-config` renders the on-premises side of one VPN site from the planned tunnels. The
 * conventions: `-h`/`--help` (and `help <command>`) print usage on stdout and exit 0; `-V`/`--version`/
 * `version` print the package version; a bad argument prints a short error and the usage on stderr and exits
 * 2; with `--json` a failed run still prints exactly one JSON object on stdout (cli/errors).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ComparableStack } from "../model/changePlan";
import type { CostUsage } from "../model/cost/estimate";
import type { PlanCost } from "../model/cost/types";
import type { DeviceConfigFormat } from "../model/deviceConfig";
import type { Protocol } from "../model/reachability/forwarding";
import type { PolicyPackConfig } from "./analyzer";
import { ROOT } from "./build";
import type { DeviceConfigArgs } from "./deviceConfigCommand";
import { errorDocument, PlanInputError, usageError } from "./errors";
import type { FlowArgs } from "./flowCommand";
import { writeJsonDocument } from "./jsonText";

// The planner loads the Pulumi SDK, the AWS provider and the model: seconds. Help, the version and bad
// arguments answer without them.
const planner = () => require("./plan") as typeof import("./plan");
const flowCommand = () => require("./flowCommand") as typeof import("./flowCommand");
const deviceConfigCommand = () => require("./deviceConfigCommand") as typeof import("./deviceConfigCommand");
const report = () => require("./report") as typeof import("./report");

const EXIT_CODES = `exit codes:
  2  bad input: an unknown command or option, a missing or bad value, an unknown environment, invalid
     stack config (the problems of every stack at once), a stack program that refused its input, an
     unreadable input file
  3  the planner itself failed: a stack process crashed or ran out of memory, the policy pack did not start`;

export const USAGE = `usage: hybridnet <command> [options]

commands:
  plan            plan every stack of an environment offline: resources, policy verdicts, flows
  flow            ask the planned network whether one flow passes, hop by hop both ways
  device-config   render the on-premises device configuration of one VPN site from the planned tunnels
  help [command]  print the usage of hybridnet or of a command
  version         print the version of hybridnet

options:
  -h, --help      print this usage (after a command: the command's usage)
  -V, --version   print the version

Run "hybridnet <command> --help" for a command's options and exit codes.`;

export const PLAN_USAGE = `usage: hybridnet plan --env <env> [--json] [--out DIR] [--policy-config FILE] [--stacks DIR]
                      [--against PLAN.json [--allow-replace <urn or type>]...] [--traffic-gb N] [--usage FILE]
                      [--no-warm] [--pack-process]

Plans every stack of the environment offline (no cloud credentials, no Pulumi CLI), judges each with the
policy pack and answers the environment's intended flows. Progress goes to stderr.

options:
  --env <env>             the environment: the stacks Pulumi.*-<env>.yaml in the stacks directory
  --json                  print one JSON document instead of the table (on failure: {"error": {...}})
  --out DIR               also write the JSON document to DIR/plan.json, the report to DIR/report.html,
                          its diagram to DIR/topology.svg, and the configuration of every VPN site that
                          declares device.format to DIR/device-config/<stack>/<site>.<ext>
                          (pre-shared keys as placeholders)
  --policy-config FILE    policy pack config, as for pulumi preview --policy-pack-config
  --stacks DIR            where the stack files are (default: stacks/)
  --against FILE          an earlier plan's JSON: list what applying this plan adds, removes, changes, replaces
  --allow-replace X       accept the replacement of a stateful resource (its URN, or a type token); repeatable
  --traffic-gb N          the cost estimate's GB a month per transit gateway attachment and interface endpoint
                          (default 100)
  --usage FILE            the cost estimate's usage as JSON: trafficGb, clientVpnConnections (default 10),
                          directConnectPorts ({ "dxcon-...": "dedicated:10Gbps" }; default dedicated:1Gbps)
  --no-warm               plan without the speed-ups: a new process per stack pass, every pass, the policy
                          pack after the last stack (slower; the same plan)
  --pack-process          judge the stacks with the policy pack as a process of its own, over gRPC as
                          pulumi preview does, instead of in the stack workers (slower; the same plan)
  -h, --help              print this usage

exit codes:
  0  the plan is clean, or has advisory violations only
  1  a mandatory policy violation, a flow not as intended, or (with --against) a blocking change
${EXIT_CODES.replace("exit codes:\n", "")}`;

export const FLOW_USAGE = `usage: hybridnet flow --env <env> --from <zone> --to <zone> [--port P] [--protocol tcp|udp|icmp] [--json]
                      [--plan FILE] [--stacks DIR]

Answers one flow over the planned network: the path both ways or the hop that drops it, and every address
and port of the destination the source reaches.

options:
  --env <env>             the environment: the stacks Pulumi.*-<env>.yaml in the stacks directory
  --from, --to <zone>     site:<name>, vpc:<stack>, workload:<key>, connectivity, segment:<name>,
                          clients:<name>, service:<name> (--to only), or an IPv4 address or CIDR
  --port P                the destination port, 1-65535 (default: every port)
  --protocol P            tcp, udp or icmp (default: tcp)
  --json                  print one JSON document instead of the answer (on failure: {"error": {...}})
  --plan FILE             answer from a plan JSON written earlier (plan --json --out) instead of planning now
  --stacks DIR            where the stack files are (default: stacks/)
  -h, --help              print this usage

exit codes:
  0  the flow is reachable both ways
  1  the flow is not reachable
${EXIT_CODES.replace("exit codes:\n", "")}`;

export const DEVICE_CONFIG_USAGE = `usage: hybridnet device-config --env <env> --stack <stack> --site <site>
                      [--format strongswan|cisco-ios-xe|juniper-srx] [--show-secrets] [--out DIR] [--json]
                      [--stacks DIR]

Renders the on-premises side of one site of a managed VPN from the tunnels the plan holds: outside and
inside addresses, IKE and IPsec proposals matching the tunnel options, dead peer detection, BGP neighbours
and ASNs (or static routes). Plans the stack, and the stacks it references, offline as plan does. Pre-shared
keys are secret: without --show-secrets each is a placeholder naming the stack output that holds it.
An unknown stack, site or format, and tunnel options the format cannot express, are bad input (exit 2).
Progress goes to stderr.

options:
  --env <env>             the environment: the stacks Pulumi.*-<env>.yaml in the stacks directory
  --stack <stack>         the stack whose VPN the site is on (connectivity-dev, workload-app-dev, ...)
  --site <site>           the site's key in the stack config (dc1); <component>:<site> if two components reach it
  --format F              strongswan (swanctl.conf and frr.conf), cisco-ios-xe or juniper-srx
                          (default: the site's device.format in the stack config)
  --show-secrets          put the pre-shared keys in the configuration (files written with mode 600)
  --out DIR               write the files to DIR instead of printing them
  --json                  print one JSON document: the site, the files (on failure: {"error": {...}})
  --stacks DIR            where the stack files are (default: stacks/)
  -h, --help              print this usage

exit codes:
  0  the configuration was rendered
${EXIT_CODES.replace("exit codes:\n", "")}`;

const COMMAND_USAGE: Record<string, string> = {
  plan: PLAN_USAGE,
  flow: FLOW_USAGE,
  "device-config": DEVICE_CONFIG_USAGE,
};

interface PlanArgs {
  env: string;
  json: boolean;
  out?: string;
  policyConfig?: string;
  stacks?: string;
  against?: string;
  allowReplace: string[];
  trafficGb?: number;
  usage?: string;
  /** `--no-warm`: none of the planner's speed-ups (the baseline of docs/performance.md). */
  noWarm?: boolean;
  /** `--pack-process`: the policy pack as a process of its own over gRPC, not in the stack workers. */
  packProcess?: boolean;
}

/** `-h`/`--help` where a flag may stand: the command's usage goes to stdout, exit 0. */
class HelpRequested {
  constructor(public readonly usage: string) {}
}

/** The version in package.json (at the package root, whether cli/ runs as TypeScript or compiled in .build/). */
export function version(): string {
  const file = path.join(ROOT, "package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

/**
 * Walks `rest` flag by flag; `take` handles one (reading its value through `value`) or returns false. `-h`
 * and `--help` stop the walk with the usage.
 */
function readFlags(
  rest: string[],
  usage: string,
  known: readonly string[],
  take: (flag: string, value: () => string) => boolean,
): void {
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === "-h" || flag === "--help") throw new HelpRequested(usage);
    const value = () => {
      const next = rest[++i];
      if (next === undefined || next.startsWith("-"))
        throw new PlanInputError(
          `${flag} needs a value`,
          [{ stack: null, path: flag, value: next ?? null, allowed: `a value after ${flag}` }],
          "usage",
          usage,
        );
      return next;
    };
    if (!take(flag, value))
      throw new PlanInputError(
        `unknown ${flag.startsWith("-") ? "option" : "argument"} "${flag}"`,
        [
          {
            stack: null,
            path: "options",
            value: flag,
            allowed: `one of ${[...known, "-h", "--help"].join(", ")}`,
          },
        ],
        "usage",
        usage,
      );
  }
}

function requireFlags(args: object, flags: readonly string[], usage: string): void {
  for (const flag of flags)
    if (!(args as Record<string, unknown>)[flag])
      throw new PlanInputError(
        `--${flag} is required`,
        [{ stack: null, path: `--${flag}`, value: null, allowed: `--${flag} is required` }],
        "usage",
        usage,
      );
}

const FLOW_FLAGS = ["--env", "--from", "--to", "--port", "--protocol", "--json", "--plan", "--stacks"];

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535)
    throw usageError("--port", text, "a port is an integer 1–65535");
  return port;
}

function parseFlowArgs(rest: string[]): FlowArgs {
  const args: Partial<FlowArgs> = { json: false, protocol: "tcp" };
  readFlags(rest, FLOW_USAGE, FLOW_FLAGS, (flag, value) => {
    if (flag === "--env") args.env = value();
    else if (flag === "--from") args.from = value();
    else if (flag === "--to") args.to = value();
    else if (flag === "--port") args.port = parsePort(value());
    else if (flag === "--protocol") {
      const p = value();
      if (!["tcp", "udp", "icmp"].includes(p)) throw usageError("--protocol", p, "one of tcp, udp, icmp");
      args.protocol = p as Protocol;
    } else if (flag === "--json") args.json = true;
    else if (flag === "--plan") args.plan = value();
    else if (flag === "--stacks") args.stacks = path.resolve(value());
    else return false;
    return true;
  });
  requireFlags(args, ["env", "from", "to"], FLOW_USAGE);
  return args as FlowArgs;
}

const DEVICE_CONFIG_FLAGS = [
  "--env",
  "--stack",
  "--site",
  "--format",
  "--show-secrets",
  "--out",
  "--json",
  "--stacks",
];

function parseDeviceConfigArgs(rest: string[]): DeviceConfigArgs {
  const args: Partial<DeviceConfigArgs> = { json: false, showSecrets: false };
  let format: string | undefined;
  readFlags(rest, DEVICE_CONFIG_USAGE, DEVICE_CONFIG_FLAGS, (flag, value) => {
    if (flag === "--env") args.env = value();
    else if (flag === "--stack") args.stack = value();
    else if (flag === "--site") args.site = value();
    else if (flag === "--format") format = value();
    else if (flag === "--show-secrets") args.showSecrets = true;
    else if (flag === "--out") args.out = value();
    else if (flag === "--json") args.json = true;
    else if (flag === "--stacks") args.stacks = path.resolve(value());
    else return false;
    return true;
  });
  requireFlags(args, ["env", "stack", "site"], DEVICE_CONFIG_USAGE);
  // Without --format, the site's declared `device.format` (checked once the config is read).
  if (format !== undefined) args.format = checkFormat(format);
  return args as DeviceConfigArgs;
}

/** Refuses a format that is not one of the known ones. */
function checkFormat(format: string): DeviceConfigFormat {
  // Pure and quick to load: the renderers, not the planner.
  const { DEVICE_CONFIG_FORMATS } =
    require("../model/deviceConfig") as typeof import("../model/deviceConfig");
  if (!(DEVICE_CONFIG_FORMATS as readonly string[]).includes(format))
    throw usageError("--format", format, `one of ${DEVICE_CONFIG_FORMATS.join(", ")}`, DEVICE_CONFIG_USAGE);
  return format as DeviceConfigFormat;
}

const PLAN_FLAGS = [
  "--env",
  "--json",
  "--out",
  "--policy-config",
  "--stacks",
  "--against",
  "--allow-replace",
  "--traffic-gb",
  "--usage",
  "--no-warm",
  "--pack-process",
];

function parsePlanArgs(rest: string[]): PlanArgs {
  const args: Partial<PlanArgs> = { json: false, allowReplace: [] };
  readFlags(rest, PLAN_USAGE, PLAN_FLAGS, (flag, value) => {
    if (flag === "--env") args.env = value();
    else if (flag === "--json") args.json = true;
    else if (flag === "--out") args.out = value();
    else if (flag === "--policy-config") args.policyConfig = value();
    else if (flag === "--stacks") args.stacks = path.resolve(value());
    else if (flag === "--against") args.against = value();
    else if (flag === "--allow-replace") args.allowReplace?.push(value());
    else if (flag === "--traffic-gb") args.trafficGb = parseTrafficGb(value());
    else if (flag === "--usage") args.usage = value();
    else if (flag === "--no-warm") args.noWarm = true;
    else if (flag === "--pack-process") args.packProcess = true;
    else return false;
    return true;
  });
  requireFlags(args, ["env"], PLAN_USAGE);
  if ((args.allowReplace?.length ?? 0) > 0 && !args.against)
    throw usageError("--allow-replace", args.allowReplace, "needs --against", PLAN_USAGE);
  return args as PlanArgs;
}

function parseTrafficGb(text: string): number {
  const gb = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(gb))
    throw usageError("--traffic-gb", text, "GB a month, a number ≥ 0", PLAN_USAGE);
  return gb;
}

/** The cost estimate's usage: `--usage FILE` (JSON), with `--traffic-gb` over its trafficGb. */
function readUsage(args: PlanArgs): Partial<CostUsage> | undefined {
  let usage: Partial<CostUsage> = {};
  if (args.usage !== undefined) {
    try {
      usage = JSON.parse(fs.readFileSync(args.usage, "utf8")) as Partial<CostUsage>;
    } catch (e) {
      throw usageError("--usage", args.usage, `a readable JSON file: ${(e as Error).message}`);
    }
    if (typeof usage !== "object" || usage === null || Array.isArray(usage))
      throw usageError(
        "--usage",
        args.usage,
        "a JSON object: trafficGb, clientVpnConnections, directConnectPorts",
      );
  }
  if (args.trafficGb !== undefined) usage = { ...usage, trafficGb: args.trafficGb };
  if (args.usage === undefined && args.trafficGb === undefined) return undefined;
  // Checked now, before the stacks run; pure and quick to load.
  const { usageOf } = require("../model/cost/estimate") as typeof import("../model/cost/estimate");
  try {
    usageOf(usage);
  } catch (e) {
    throw usageError("--usage", args.usage ?? null, (e as Error).message.replace(/^cost usage: /, ""));
  }
  return usage;
}

/**
 * An earlier plan's JSON (`plan --json`): its stacks' resources are what `--against` compares with, and its
 * `cost` (when it has one) what the cost difference is taken from.
 */
function readPlan(file: string): { stacks: ComparableStack[]; cost?: PlanCost } {
  let parsed: { stacks?: unknown };
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw usageError("--against", file, `a readable plan JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed.stacks))
    throw usageError("--against", file, "not a plan (hybridnet plan --json writes one)");
  const cost = (parsed as { cost?: PlanCost }).cost;
  return { stacks: parsed.stacks as ComparableStack[], ...(cost ? { cost } : {}) };
}

function readPolicyConfig(file: string): PolicyPackConfig {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig;
  } catch (e) {
    throw usageError("--policy-config", file, `a readable JSON file: ${(e as Error).message}`);
  }
}

const progress = (line: string) => process.stderr.write(`${line}\n`);

/** Writes all of `text` to the open file `fd` (a write may take only part of it). */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at);
}

async function runPlan(args: PlanArgs): Promise<number> {
  const { exitCodeOf, formatPlan, NO_SPEED_UPS, planOffline } = planner();
  const usage = readUsage(args);
  const result = await planOffline({
    env: args.env,
    ...(args.stacks ? { stacksDir: args.stacks } : {}),
    ...(args.policyConfig ? { policyConfig: readPolicyConfig(args.policyConfig) } : {}),
    ...(args.against ? { against: readPlan(args.against), allowReplace: args.allowReplace } : {}),
    ...(usage ? { usage } : {}),
    ...(args.noWarm
      ? { speedUps: NO_SPEED_UPS }
      : args.packProcess
        ? { speedUps: { policiesInWorkers: false } }
        : {}),
    progress,
  });
  // The document (tens of MB for hundreds of stacks) only when it is printed or written, in pieces
  // (cli/jsonText), never as one string; printed last, as a failed run prints its error document instead.
  const planFile = args.out ? path.join(args.out, "plan.json") : undefined;
  if (args.out && planFile !== undefined) {
    fs.mkdirSync(args.out, { recursive: true });
    const fd = fs.openSync(planFile, "w");
    try {
      writeJsonDocument(result, (text) => writeAll(fd, text));
    } finally {
      fs.closeSync(fd);
    }
    report().writeReport(args.out, result);
    const { environmentDeviceConfigs, writeDeclaredDeviceConfigs } = deviceConfigCommand();
    const written = writeDeclaredDeviceConfigs(
      args.out,
      environmentDeviceConfigs(args.env, args.stacks, result.stacks),
    );
    if (written.length > 0)
      progress(`  device configurations: ${written.length} files in ${path.join(args.out, "device-config")}`);
  }
  // With --out too, the bytes just written.
  if (args.json && planFile !== undefined) process.stdout.write(fs.readFileSync(planFile));
  else if (args.json) writeJsonDocument(result, (text) => process.stdout.write(text));
  else process.stdout.write(`${formatPlan(result)}\n`);
  return exitCodeOf(result);
}

async function runDeviceConfig(args: DeviceConfigArgs): Promise<number> {
  const { deviceConfig, formatDeviceConfig } = deviceConfigCommand();
  const result = await deviceConfig(args, progress);
  process.stdout.write(`${args.json ? JSON.stringify(result, null, 2) : formatDeviceConfig(result)}\n`);
  return 0;
}

async function runFlow(args: FlowArgs): Promise<number> {
  const { answerFlow, formatFlowResult } = flowCommand();
  const result = await answerFlow(args, progress);
  process.stdout.write(`${args.json ? JSON.stringify(result, null, 2) : formatFlowResult(result)}\n`);
  return result.flow.reachable ? 0 : 1;
}

/** `help [command]`: the usage of hybridnet or of the command. */
function help(rest: string[]): string {
  if (rest.length === 0) return USAGE;
  const usage = COMMAND_USAGE[rest[0]];
  if (rest.length > 1 || !usage)
    throw usageError("help", rest.join(" "), `one of ${Object.keys(COMMAND_USAGE).join(", ")}`, USAGE);
  return usage;
}

/** Runs one command line; resolves to its exit code. */
async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "plan") return runPlan(parsePlanArgs(rest));
  if (command === "flow") return runFlow(parseFlowArgs(rest));
  if (command === "device-config") return runDeviceConfig(parseDeviceConfigArgs(rest));
  if (command === "help" || command === "-h" || command === "--help")
    throw new HelpRequested(command === "help" ? help(rest) : USAGE);
  if (command === "version" || command === "-V" || command === "--version") {
    process.stdout.write(`hybridnet ${version()}\n`);
    return 0;
  }
  if (command === undefined)
    throw new PlanInputError(
      "a command is required",
      [
        {
          stack: null,
          path: "command",
          value: null,
          allowed: "one of plan, flow, device-config, help, version",
        },
      ],
      "usage",
      USAGE,
    );
  throw new PlanInputError(
    `unknown ${command.startsWith("-") ? "option" : "command"} "${command}"`,
    [
      {
        stack: null,
        path: "command",
        value: command,
        allowed: "one of plan, flow, device-config, help, version",
      },
    ],
    "usage",
    USAGE,
  );
}

/** Reports a failed run: with `--json` one JSON object on stdout; the message (and usage) on stderr. */
function reportFailure(error: unknown, json: boolean): number {
  const { document, code } = errorDocument(error);
  if (json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  if (error instanceof PlanInputError)
    process.stderr.write(`hybridnet: ${error.message}\n${error.usage ? `\n${error.usage}\n` : ""}`);
  else process.stderr.write(`hybridnet: the planner failed: ${(error as Error)?.stack ?? error}\n`);
  return code;
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (e) {
    if (e instanceof HelpRequested) {
      process.stdout.write(`${e.usage}\n`);
      return 0;
    }
    return reportFailure(e, argv.includes("--json"));
  }
}

if (require.main === module)
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
