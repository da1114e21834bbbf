/**
 * The conventions of the `hybridnet` command, run as a user runs it (its own process): help on stdout with
 * exit 0, a bad argument's error and usage on stderr with exit 2, the version, the exit codes each usage
 * text lists, one JSON object on stdout for a failed run with `--json`, and the config problems of every
 * stack of an environment reported together before anything runs.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { BUILD_DIR, ensureBuilt } from "../cli/build";
import { hybridnet, hybridnetWith, ROOT } from "./cli";

const FIXTURES = path.join(__dirname, "fixtures", "cli-envs");
const PLAINTEXT_KEY = "Plain.text_key1";

/** The one JSON object a run printed on stdout (it fails when stdout holds anything else). */
function onlyJson(stdout: string): { error: { kind: string; message: string; problems: unknown[] } } {
  const parsed = JSON.parse(stdout);
  expect(parsed).to.be.an("object");
  expect(Object.keys(parsed)).to.deep.equal(["error"]);
  return parsed;
}

describe("hybridnet command: help and version", function () {
  this.timeout(120_000);

  it("prints the command's usage on stdout and exits 0 for --help, -h and help", () => {
    const runs = [hybridnet("--help"), hybridnet("-h"), hybridnet("help")];
    for (const run of runs) {
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stderr).to.equal("");
      expect(run.stdout).to.match(/^usage: hybridnet <command> \[options\]\n/);
      expect(run.stdout).to.match(/^ {2}plan {12}plan every stack of an environment offline/m);
      expect(run.stdout).to.match(/^ {2}flow {12}ask the planned network/m);
      expect(run.stdout).to.include("-V, --version");
    }
    expect(runs[1].stdout).to.equal(runs[0].stdout);
    expect(runs[2].stdout).to.equal(runs[0].stdout);
  });

  it("prints each subcommand's usage with every exit code for --help, -h and help <command>, planning nothing", () => {
    const exitCodes = {
      plan: [
        "  0  the plan is clean, or has advisory violations only",
        "  1  a mandatory policy violation, a flow not as intended, or (with --against) a blocking change",
      ],
      flow: ["  0  the flow is reachable both ways", "  1  the flow is not reachable"],
    };
    for (const [command, codes] of Object.entries(exitCodes)) {
      const runs = [
        hybridnet(command, "--help"),
        hybridnet(command, "-h"),
        hybridnet("help", command),
        hybridnet(command, "--env", "dev", "--help"),
      ];
      for (const run of runs) {
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stderr, "nothing planned, no progress").to.equal("");
        expect(run.stdout).to.equal(runs[0].stdout);
      }
      const usage = runs[0].stdout;
      expect(usage.startsWith(`usage: hybridnet ${command} --env <env>`), usage).to.equal(true);
      for (const line of codes) expect(usage).to.include(`\n${line}\n`);
      expect(usage).to.match(/^ {2}2 {2}bad input: an unknown command or option/m);
      expect(usage).to.match(/^ {2}3 {2}the planner itself failed/m);
      expect(usage).to.match(/^ {2}-h, --help {14}print this usage$/m);
    }
  });

  it("prints the package version for --version, -V and version", () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(version).to.match(/^\d+\.\d+\.\d+/);
    for (const flag of ["--version", "-V", "version"]) {
      const run = hybridnet(flag);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.equal(`hybridnet ${version}\n`);
      expect(run.stderr).to.equal("");
    }
  });

  it("exits 2 with a short error and the usage on stderr for an unknown command, option or help topic", () => {
    const cases: [string[], string, string][] = [
      [["frobnicate"], 'hybridnet: unknown command "frobnicate"\n', "usage: hybridnet <command>"],
      [["--verbose"], 'hybridnet: unknown option "--verbose"\n', "usage: hybridnet <command>"],
      [[], "hybridnet: a command is required\n", "usage: hybridnet <command>"],
      [
        ["help", "deploy"],
        "hybridnet: help deploy: one of plan, flow, device-config\n",
        "usage: hybridnet <command>",
      ],
      [
        ["plan", "--env", "dev", "--verbose"],
        'hybridnet: unknown option "--verbose"\n',
        "usage: hybridnet plan",
      ],
      [["plan", "--env"], "hybridnet: --env needs a value\n", "usage: hybridnet plan"],
      [["flow", "--env", "dev", "-x"], 'hybridnet: unknown option "-x"\n', "usage: hybridnet flow"],
      [
        ["flow", "--env", "dev", "--to", "connectivity"],
        "hybridnet: --from is required\n",
        "usage: hybridnet flow",
      ],
    ];
    for (const [args, error, usage] of cases) {
      const run = hybridnet(...args);
      expect(run.code, args.join(" ")).to.equal(2);
      expect(run.stdout, args.join(" ")).to.equal("");
      expect(run.stderr.startsWith(error), run.stderr).to.equal(true);
      expect(run.stderr).to.include(`\n\n${usage}`);
    }
  });
});

describe("hybridnet command: failures with --json", function () {
  this.timeout(180_000);

  it("reports the invalid config of every stack of the environment at once, grouped by stack, before any stack runs", () => {
    const run = hybridnet("plan", "--env", "broken", "--stacks", FIXTURES);
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stdout).to.equal("");
    expect(run.stderr).to.include(
      [
        "hybridnet: environment broken: 3 invalid arguments in 2 stacks (connectivity-broken, workload-app-broken)",
        "connectivity-broken: 2 invalid arguments",
        "  hybridnet:hub.amazonSideAsn = 100: Amazon side ASN must be a private ASN: 64512–65534 or 4200000000–4294967294",
        "  hybridnet:vpn.sites.dc1.presharedKey = [secret]: not a setting here",
      ].join("\n"),
    );
    expect(run.stderr).to.include(
      '\nworkload-app-broken: 1 invalid argument\n  hybridnet:vpc.cidr = "10.20.0.1/16": host bits are set; the network is 10.20.0.0/16',
    );
    expect(run.stderr, "no stack ran").not.to.include("(pass 1)");
    expect(run.stderr).not.to.include(PLAINTEXT_KEY);
  });

  it("prints one JSON error object with every stack's problems and the same exit code", () => {
    const run = hybridnet("plan", "--env", "broken", "--stacks", FIXTURES, "--json");
    expect(run.code, run.stderr).to.equal(2);
    const { error } = onlyJson(run.stdout);
    expect(error.kind).to.equal("config");
    expect(error.problems).to.have.length(3);
    expect(error.problems[0]).to.deep.equal({
      stack: "connectivity-broken",
      path: "hybridnet:hub.amazonSideAsn",
      value: 100,
      allowed: "Amazon side ASN must be a private ASN: 64512–65534 or 4200000000–4294967294",
    });
    expect(error.problems[1]).to.deep.include({
      stack: "connectivity-broken",
      path: "hybridnet:vpn.sites.dc1.presharedKey",
      value: "[secret]",
    });
    expect(error.problems[2]).to.deep.equal({
      stack: "workload-app-broken",
      path: "hybridnet:vpc.cidr",
      value: "10.20.0.1/16",
      allowed: "host bits are set; the network is 10.20.0.0/16 (a VPC CIDR)",
    });
    expect(run.stdout + run.stderr).not.to.include(PLAINTEXT_KEY);
  });

  it("prints one JSON error object for an unknown environment and a bad option, exit 2 as without --json", () => {
    const unknown = hybridnet("plan", "--env", "staging", "--stacks", FIXTURES, "--json");
    expect(unknown.code).to.equal(2);
    expect(onlyJson(unknown.stdout).error).to.deep.equal({
      kind: "usage",
      message: `unknown environment "staging"; environments in ${path.relative(ROOT, FIXTURES)}: broken, notyaml`,
      problems: [{ stack: null, path: "--env", value: "staging", allowed: "one of broken, notyaml" }],
    });
    const option = hybridnet("plan", "--json", "--env", "dev", "--verbose");
    expect(option.code).to.equal(2);
    const { error } = onlyJson(option.stdout);
    expect(error.kind).to.equal("usage");
    expect(error.problems).to.deep.equal([
      {
        stack: null,
        path: "options",
        value: "--verbose",
        allowed:
          "one of --env, --json, --out, --policy-config, --stacks, --against, --allow-replace, --traffic-gb, --usage, --no-warm, --pack-process, -h, --help",
      },
    ]);
    const port = hybridnet(..."flow --env dev --from site:dc1 --to connectivity --port 0 --json".split(" "));
    expect(port.code).to.equal(2);
    expect(onlyJson(port.stdout).error.problems).to.deep.equal([
      { stack: null, path: "--port", value: "0", allowed: "a port is an integer 1–65535" },
    ]);
  });

  it("exits 2 naming the file and line of a stack file that is not YAML, and a --stacks that is no directory", () => {
    const yaml = hybridnet("plan", "--env", "notyaml", "--stacks", FIXTURES, "--json");
    expect(yaml.code, yaml.stderr).to.equal(2);
    expect(onlyJson(yaml.stdout).error.problems).to.deep.equal([
      {
        stack: "connectivity-notyaml",
        path: "Pulumi.connectivity-notyaml.yaml:6",
        value: "cidr: 10.10.0.0/20",
        allowed: "valid YAML (missed comma between flow collection entries)",
      },
    ]);
    const missing = path.join(FIXTURES, "missing");
    const stacks = hybridnet("plan", "--env", "dev", "--stacks", missing);
    expect(stacks.code).to.equal(2);
    expect(stacks.stdout).to.equal("");
    expect(stacks.stderr).to.equal(`hybridnet: --stacks ${missing}: not a directory\n`);
  });

  it("prints one JSON error object of kind planner and exits 3 when the planner itself fails", () => {
    // Every stack process the planner starts crashes (a test-only preload); the command itself runs.
    const crash = { NODE_OPTIONS: `--require ${path.join(__dirname, "fixtures", "crashStackProcess.cjs")}` };
    const run = hybridnetWith(crash, "plan", "--env", "dev", "--json");
    expect(run.code, run.stderr).to.equal(3);
    const { error } = onlyJson(run.stdout);
    expect(error.kind).to.equal("planner");
    expect(error.message).to.match(/^stack process for \S+-dev exited with code 70/);
    expect(error.message).to.include("this stack process crashes on purpose");
    expect(error.problems).to.deep.equal([]);
    expect(run.stderr).to.match(/^hybridnet: the planner failed: StackProcessError: stack process for/m);
    // Without --json: the same exit code, nothing on stdout.
    const plain = hybridnetWith(crash, "plan", "--env", "dev");
    expect(plain.code).to.equal(3);
    expect(plain.stdout).to.equal("");
  });
});

describe("hybridnet command: compiled or through tsx", function () {
  this.timeout(180_000);

  /** Runs `hybridnet ...args` and says which cli/main it loaded: the compiled one in .build/ or the TypeScript. */
  function runLoading(env: Record<string, string>, ...args: string[]) {
    return runListing(/cli[\\/]main\.[jt]s$/, env, ...args);
  }

  /** Runs `hybridnet ...args` and lists the command's modules that match `loading`, relative to the root. */
  function runListing(loading: RegExp, env: Record<string, string>, ...args: string[]) {
    const script = `process.argv.splice(1, 0, "hybridnet"); require("./bin/hybridnet.js"); process.on("exit", () => process.stderr.write("\\nloaded " + Object.keys(require.cache).filter((f) => ${loading}.test(f)).map((f) => f.slice(${JSON.stringify(ROOT)}.length + 1)).join()));`;
    const run = spawnSync(process.execPath, ["-e", script, ...args], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, ...env },
    });
    const at = run.stderr.lastIndexOf("\nloaded ");
    expect(at, run.stderr).to.be.greaterThan(-1);
    return {
      code: run.status,
      stdout: run.stdout,
      stderr: run.stderr.slice(0, at),
      loaded: run.stderr.slice(at + "\nloaded ".length),
    };
  }

  it("runs .build/cli/main.js when .build is up to date, cli/main.ts with HYBRIDNET_CLI=tsx or --no-warm, answering the same", () => {
    ensureBuilt();
    const args = ["plan", "--env", "broken", "--stacks", FIXTURES, "--json"];
    const compiled = runLoading({}, ...args);
    const tsx = runLoading({ HYBRIDNET_CLI: "tsx" }, ...args);
    const noWarm = runLoading({}, ...args, "--no-warm");
    expect(compiled.loaded).to.equal(path.join(".build", "cli", "main.js"));
    expect(tsx.loaded).to.equal(path.join("cli", "main.ts"));
    expect(noWarm.loaded).to.equal(path.join("cli", "main.ts"));
    expect(compiled.code).to.equal(2);
    expect(onlyJson(compiled.stdout).error.problems).to.have.length(3);
    for (const other of [tsx, noWarm]) {
      expect(other.code).to.equal(compiled.code);
      expect(other.stdout).to.equal(compiled.stdout);
    }
    const version = runLoading({}, "version");
    expect(version.loaded).to.equal(path.join(".build", "cli", "main.js"));
    expect(version.stdout).to.match(/^hybridnet \d+\.\d+\.\d+\n$/);
  });

  it("plans without gRPC in the command: only --pack-process loads the pack's client", () => {
    ensureBuilt();
    const grpc = /node_modules[\\/]@grpc[\\/]grpc-js[\\/]build[\\/]src[\\/]index\.js$/;
    const inWorkers = runListing(grpc, {}, "plan", "--env", "dev", "--json");
    const packProcess = runListing(grpc, {}, "plan", "--env", "dev", "--json", "--pack-process");
    expect(inWorkers.code, inWorkers.stderr).to.equal(0);
    expect(packProcess.code, packProcess.stderr).to.equal(0);
    expect(inWorkers.loaded).to.equal("");
    expect(packProcess.loaded).to.equal(
      path.join("node_modules", "@grpc", "grpc-js", "build", "src", "index.js"),
    );
  });

  it("runs through tsx when a source is newer than its compiled form", () => {
    ensureBuilt();
    const compiled = path.join(BUILD_DIR, "cli", "errors.js");
    const { mtime } = fs.statSync(compiled);
    try {
      fs.utimesSync(compiled, new Date(0), new Date(0));
      expect(runLoading({}, "version").loaded).to.equal(path.join("cli", "main.ts"));
    } finally {
      fs.utimesSync(compiled, mtime, mtime);
    }
    expect(runLoading({}, "version").loaded).to.equal(path.join(".build", "cli", "main.js"));
  });
});
