import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { expect } from "chai";
import { expectedResources, generateRegions } from "../bench/generate";
import { compiledPath, ensureBuilt, ROOT } from "../cli/build";
import { REDACTED } from "../cli/mockRuntime";
import { type SpawnedStack, spawnStack } from "../cli/spawnStack";
import type { StackRequest } from "../cli/stackProcess";
import { ValidationError } from "../model/errors";
import * as programs from "./fixtures/stackPrograms";
import { resolve, runProgram } from "./harness";
import { withEnvironment } from "./withEnvironment";

const FIXTURES = path.join(__dirname, "fixtures", "stackPrograms.ts");
const VPN = "aws:ec2/vpnConnection:VpnConnection";
const COMPONENT = "hybridnet:index:TransitGatewayVpn";

function request(exported: keyof typeof programs, over: Partial<StackRequest> = {}): StackRequest {
  return { program: FIXTURES, export: exported, stack: "test", project: "hybridnet", ...over };
}

describe("stack process", function () {
  // Each test starts a node process; the first one may compile .build/ first.
  this.timeout(60_000);

  before(() => {
    ensureBuilt();
  });

  describe("plans what the in-process harness records", () => {
    let spawned: SpawnedStack;
    before(async () => {
      spawned = await spawnStack(request("twoSites"));
    });

    it("the same resources in the same order, with type, parent, provider and inputs, secrets as [secret]", async () => {
      const { resources, error } = await runProgram(programs.twoSites);
      expect(error).to.equal(undefined);
      expect(spawned.plan.error).to.equal(undefined);
      const planned = spawned.plan.resources;
      expect(planned.map((r) => r.urn)).to.deep.equal(resources.all.map((r) => r.urn));
      const redact = (values: Record<string, unknown>, secret: string[]) =>
        Object.fromEntries(Object.entries(values).map(([k, v]) => [k, secret.includes(k) ? REDACTED : v]));
      planned.forEach((r, i) => {
        const recorded = resources.all[i];
        const { inputs, outputs, ...rest } = recorded;
        expect(r).to.deep.equal({
          ...rest,
          inputs: redact(inputs, recorded.secretInputs),
          outputs: redact(outputs, recorded.secretOutputs),
        });
      });
      expect(resources.ofType(VPN)).to.have.length(2);
      for (const vpn of planned.filter((r) => r.type === VPN)) {
        expect(vpn.secretInputs).to.include.members(["tunnel1PresharedKey", "tunnel2PresharedKey"]);
        expect(vpn.inputs.tunnel1PresharedKey).to.equal(REDACTED);
      }
    });

    it("each resource's id and the state the mock answered, secrets as [secret]", async () => {
      const planned = spawned.plan.resources;
      const byName = new Map(planned.map((r) => [r.name, r]));
      const tgw = byName.get("hub-tgw");
      expect(tgw?.id).to.match(/^tgw-[0-9a-f]{17}$/);
      expect(tgw?.outputs.arn).to.equal(`arn:aws:ec2:us-east-1:111122223333:transit-gateway/${tgw?.id}`);
      // Inputs come back in the state, as a provider reports them after create.
      expect(tgw?.outputs.amazonSideAsn).to.equal(tgw?.inputs.amazonSideAsn);
      const vpns = planned.filter((r) => r.type === VPN);
      expect(vpns).to.have.length(2);
      for (const vpn of vpns) {
        expect(vpn.id).to.match(/^vpn-[0-9a-f]{17}$/);
        expect(vpn.inputs.transitGatewayId).to.equal(tgw?.id);
        expect(vpn.outputs.transitGatewayAttachmentId).to.match(/^tgw-attach-[0-9a-f]{17}$/);
        expect(vpn.secretOutputs).to.have.members([
          "tunnel1PresharedKey",
          "tunnel2PresharedKey",
          "customerGatewayConfiguration",
        ]);
        for (const key of vpn.secretOutputs) expect(vpn.outputs[key], key).to.equal(REDACTED);
      }
      // A generated password's result is secret by the resource's own additionalSecretOutputs.
      const password = planned.find((r) => r.type === "random:index/randomPassword:RandomPassword");
      expect(password?.outputs.result).to.equal(REDACTED);
      // A component has no id.
      expect(planned.find((r) => r.type === COMPONENT)?.id).to.equal("");
      // In the harness (secrets unwrapped) the same state carries the values.
      const { resources } = await runProgram(programs.twoSites);
      const key = resources.ofType(VPN)[0].outputs.tunnel1PresharedKey;
      expect(key).to.match(/^[A-Za-z0-9]{32}$/);
    });

    it("the stack outputs, secret ones as [secret] and named in secretOutputNames", async () => {
      const { result } = await runProgram(programs.twoSites);
      const outputs = result as Record<string, unknown>;
      expect(spawned.plan.outputs).to.deep.equal({
        transitGatewayId: (await resolve(outputs.transitGatewayId as string)).value,
        customerGatewayIds: (await resolve(outputs.customerGatewayIds as Record<string, string>)).value,
        presharedKeys: REDACTED,
      });
      expect(spawned.plan.secretOutputNames).to.deep.equal(["presharedKeys"]);
    });

    it("never prints a pre-shared key: they reach only the outputs kept for referencing stacks", async () => {
      const { result } = await runProgram(programs.twoSites);
      const keys = (await resolve((result as { presharedKeys: Record<string, string[]> }).presharedKeys))
        .value;
      const values = Object.values(keys).flat();
      expect(values).to.have.length(4);
      const printed = JSON.stringify(spawned.plan);
      for (const key of values) {
        expect(key).to.match(/^[A-Za-z0-9]{32}$/);
        expect(printed).not.to.include(key);
      }
      // The keys are there to be found: the planner hands them (never printed) to referencing stacks.
      expect(spawned.reference?.outputs.presharedKeys).to.deep.equal(keys);
      expect(spawned.reference?.secretOutputNames).to.deep.equal(["presharedKeys"]);
    });

    it("reports its peak RSS", () => {
      expect(spawned.maxRssBytes).to.be.greaterThan(20 * 2 ** 20);
      expect(spawned.plan.stats.registrations).to.equal(spawned.plan.resources.length);
    });
  });

  it("returns what the program logged in its plan instead of printing it, and nothing for a quiet program", async () => {
    const { plan, stderr } = await spawnStack(request("warns"));
    expect(plan.logs).to.deep.equal([{ level: "warning", message: "this stack warns on purpose" }]);
    expect(stderr).not.to.include("this stack warns on purpose");
    const quiet = await spawnStack(request("twoSites"));
    expect(quiet.plan.logs).to.deep.equal([]);
  });

  it("returns a ValidationError's message verbatim, where and problems, and no resources", async () => {
    const inProcess = await runProgram(programs.privateDeviceAddress);
    expect(inProcess.error).to.be.instanceOf(ValidationError);
    const { plan } = await spawnStack(request("privateDeviceAddress"));
    const { where, problems } = inProcess.error as ValidationError;
    expect(where).to.equal('hybridnet:index:TransitGatewayVpn "hub"');
    expect(problems.map((p) => [p.path, p.value])).to.deep.equal([["sites.dc1.ipAddress", "10.0.0.1"]]);
    expect(plan.error).to.deep.equal({
      name: "ValidationError",
      message: inProcess.error?.message,
      where,
      problems: [...problems],
    });
    expect(plan.error?.message).to.include("sites.dc1.ipAddress");
    expect(plan.resources).to.deep.equal([]);
    expect(plan.outputs).to.deep.equal({});
  });

  it("runs a program with config and a referenced stack's outputs, keeping secrets from both secret", async () => {
    const tunnel1Key = "configKey_1234567890";
    const tunnel2Key = "referencedKey_0987654321";
    const { plan } = await spawnStack(
      request("branch", {
        stack: "branch-dev",
        config: {
          "hybridnet:connectivityStack": "acme/hybridnet/connectivity-dev",
          "hybridnet:tunnel1Key": tunnel1Key,
        },
        secretConfigKeys: ["hybridnet:tunnel1Key"],
        stackOutputs: {
          "acme/hybridnet/connectivity-dev": {
            outputs: { transitGatewayId: "tgw-0123456789abcdef0", tunnel2Key },
            secretOutputNames: ["tunnel2Key"],
          },
        },
      }),
    );
    expect(plan.error).to.equal(undefined);
    const vpn = plan.resources.find((r) => r.type === VPN);
    expect(vpn?.inputs.transitGatewayId).to.equal("tgw-0123456789abcdef0");
    expect(vpn?.inputs.tunnel1PresharedKey).to.equal(REDACTED);
    expect(vpn?.inputs.tunnel2PresharedKey).to.equal(REDACTED);
    const printed = JSON.stringify(plan);
    expect(printed).not.to.include(tunnel1Key);
    expect(printed).not.to.include(tunnel2Key);
  });

  it("runs a module that is an async program, as Pulumi.yaml's `main` is, with its config and organization", async () => {
    const { plan } = await spawnStack({
      program: path.join(__dirname, "fixtures", "asyncStack.ts"),
      stack: "edge-dev",
      project: "hybridnet",
      organization: "acme",
      config: { "hybridnet:name": "edge" },
    });
    expect(plan.error).to.equal(undefined);
    expect(plan.resources.find((r) => r.type === COMPONENT)?.urn).to.equal(
      `urn:pulumi:edge-dev::hybridnet::${COMPONENT}::edge`,
    );
    expect(plan.outputs).to.include({ stack: "edge-dev", organization: "acme" });
    expect(plan.outputs.transitGatewayId).to.match(/^tgw-[0-9a-f]{17}$/);
  });

  it("plans the same with the SDK as shipped and with every offline cut (bench program, 2 regions)", async () => {
    const generated: StackRequest = {
      program: path.join(__dirname, "..", "bench", "hubProgram.ts"),
      export: "hubProgram",
      stack: "bench",
      project: "bench",
      config: { "bench:sites": "45", "bench:attachments": "12" },
    };
    const shipped = await spawnStack(
      { ...generated, leanMonitor: false },
      { nodeFlags: [], env: { HYBRIDNET_SDK_CUTS: "none" } },
    );
    const cut = await spawnStack(generated);
    expect(shipped.plan.stats.sdkCuts).to.deep.equal([]);
    expect(cut.plan.stats.sdkCuts).to.deep.equal([
      "lazyClosure",
      "lazyAutomation",
      "lazyLibraries",
      "promises",
      "callsites",
      "lazyOutputs",
      "leanRegistration",
      "boundedHeap",
      "stackReferenceReads",
    ]);
    expect(cut.plan.resources.length).to.be.greaterThan(500);
    // The plan benchmark sizes its environments by the generator's count, and stops when a run differs.
    expect(cut.plan.resources.length).to.equal(
      expectedResources(generateRegions({ sites: 45, attachments: 12 })),
    );
    expect({ ...cut.plan, stats: undefined }).to.deep.equal({ ...shipped.plan, stats: undefined });
    expect(cut.reference).to.deep.equal(shipped.reference);
  });

  describe("plans the same with the SDK as shipped and with every offline cut", () => {
    const shippedAndCut = async (req: StackRequest) => {
      const shipped = await spawnStack(
        { ...req, leanMonitor: false },
        { nodeFlags: [], env: { HYBRIDNET_SDK_CUTS: "none" } },
      );
      const cut = await spawnStack(req);
      expect(shipped.plan.stats.sdkCuts).to.deep.equal([]);
      expect(cut.plan.stats.sdkCuts).to.include("leanRegistration");
      // The document itself: resources in the same order, and each one's keys in the same order.
      expect(JSON.stringify(cut.plan.resources)).to.equal(JSON.stringify(shipped.plan.resources));
      return { shipped, cut };
    };

    for (const preview of [false, true])
      it(`every registration option, and Outputs read before and after the answers${preview ? " (preview)" : ""}`, async () => {
        const { shipped, cut } = await shippedAndCut(request("registrationOptions", { preview }));
        expect(cut.plan.error).to.equal(undefined);
        const types = cut.plan.resources.map((r) => r.type);
        expect(types).to.include.members([
          "pulumi:providers:aws",
          "fixture:index:Segment",
          "aws:ec2/vpc:Vpc",
          "aws:ec2/subnet:Subnet",
          "aws:ec2/routeTable:RouteTable",
        ]);
        const vpc = cut.plan.resources.find((r) => r.name === "main");
        expect(vpc?.protect).to.equal(true);
        expect(vpc?.secretInputs).to.deep.equal(["tags"]);
        expect(vpc?.additionalSecretOutputs).to.deep.equal(["arn"]);
        const subnet = cut.plan.resources.find((r) => r.type === "aws:ec2/subnet:Subnet");
        expect(subnet?.propertyDependencies.vpcId).to.deep.equal([vpc?.urn]);
        // dependsOn a component: its custom children (the segment's VPC).
        expect(subnet?.dependencies).to.include(
          "urn:pulumi:test::hybridnet::fixture:index:Segment$aws:ec2/vpc:Vpc::shared-vpc",
        );
        // The engine makes additional secret outputs secret, not the SDK: under mocks the program's are not.
        expect(cut.plan.secretOutputNames).to.deep.equal(["tags"]);
        if (preview) expect(cut.plan.outputs.vpcId).to.equal(undefined);
        else expect(cut.plan.outputs.vpcId).to.match(/^vpc-/);
        expect({ ...cut.plan, stats: undefined }).to.deep.equal({ ...shipped.plan, stats: undefined });
        expect(cut.reference).to.deep.equal(shipped.reference);
      });

    it("a registration whose input fails: the same error, nothing planned", async () => {
      const { shipped, cut } = await shippedAndCut(request("failingInput"));
      expect(cut.plan.error?.message).to.contain("no room for the subnet");
      expect(cut.plan.resources).to.deep.equal([]);
      expect({ ...cut.plan, stats: undefined }).to.deep.equal({ ...shipped.plan, stats: undefined });
    });

    it("the bench program in preview mode (2 regions)", async () => {
      const { shipped, cut } = await shippedAndCut({
        program: path.join(__dirname, "..", "bench", "hubProgram.ts"),
        export: "hubProgram",
        stack: "bench",
        project: "bench",
        config: { "bench:sites": "45", "bench:attachments": "12" },
        preview: true,
      });
      expect(cut.plan.resources.length).to.be.greaterThan(500);
      expect(cut.plan.resources.filter((r) => r.custom && r.id === "")).to.not.have.length(0);
      expect({ ...cut.plan, stats: undefined }).to.deep.equal({ ...shipped.plan, stats: undefined });
    });
  });

  it("starts without NODE_EXTRA_CA_CERTS, unless the caller's own environment for it sets it", async () => {
    // An empty bundle: a process that got it would start as before, only slower.
    const bundle = "/dev/null";
    const [inherited, given] = await withEnvironment({ NODE_EXTRA_CA_CERTS: bundle }, async () => [
      await spawnStack(request("environment")),
      await spawnStack(request("environment"), { env: { NODE_EXTRA_CA_CERTS: bundle } }),
    ]);
    expect(inherited.plan.outputs).to.deep.equal({ extraCaCerts: "(unset)" });
    expect(given.plan.outputs).to.deep.equal({ extraCaCerts: bundle });
  });

  /** Runs `script` in a new node process with the offline cuts (or `cuts`), and parses the JSON it writes. */
  const probeProcess = <T>(script: string, cuts?: string): T => {
    ensureBuilt();
    return JSON.parse(
      execFileSync(process.execPath, ["-e", script], {
        cwd: ROOT,
        env: { ...process.env, ...(cuts ? { HYBRIDNET_SDK_CUTS: cuts } : {}) },
        encoding: "utf8",
      }),
    ) as T;
  };

  describe("lazyAutomation: the Automation API loads when a program first reads it", () => {
    /** What a process with the cuts in place (or `none`) sees of `pulumi.automation`. */
    const probe = (cuts?: string) => {
      const script = `
        require(${JSON.stringify(compiledPath(path.join(ROOT, "cli", "offlineSdk.ts")))});
        const loaded = () => Object.keys(require.cache).some((f) => f.endsWith(${JSON.stringify(path.join("automation", "cmd.js"))}));
        const pulumi = require("@pulumi/pulumi");
        const before = loaded();
        const LocalWorkspace = pulumi.automation.LocalWorkspace;
        const real = require(${JSON.stringify(require.resolve("@pulumi/pulumi/automation/localWorkspace"))});
        process.stdout.write(JSON.stringify({
          before,
          after: loaded(),
          same: LocalWorkspace === real.LocalWorkspace,
          names: Object.keys(pulumi.automation).filter((k) => k !== "default").sort(),
        }));`;
      return probeProcess<{ before: boolean; after: boolean; same: boolean; names: string[] }>(script, cuts);
    };
    // The Automation API's exports in @pulumi/pulumi 3.248.0 (automation/index.js re-exports these modules).
    const AUTOMATION_API = [
      "CommandError",
      "CommandResult",
      "ConcurrentUpdateError",
      "DiffKind",
      "LocalWorkspace",
      "PulumiCommand",
      "RemoteStack",
      "RemoteWorkspace",
      "Stack",
      "StackAlreadyExistsError",
      "StackNotFoundError",
      "createCommandError",
      "fullyQualifiedStackName",
      "isFullyQualifiedStackName",
      "parseAndValidatePulumiVersion",
      "stackSettingsSerDeKeys",
    ];

    it("with the cut: not loaded with the SDK, the same names and classes once read", () => {
      const cut = probe();
      expect(cut).to.deep.equal({ before: false, after: true, same: true, names: AUTOMATION_API });
    });

    it("without it: loaded with the SDK, as the SDK ships", () => {
      const shipped = probe("none");
      expect(shipped).to.deep.equal({ before: true, after: true, same: true, names: AUTOMATION_API });
    });
  });

  describe("lazyLibraries: gRPC, OpenTelemetry, semver and zod's translations load when first read", () => {
    /**
     * What a process with the cuts in place (or `none`) loads with the SDK, the program and the policy pack, and
     * what it reads of the four libraries and of a generated gRPC client constructor afterwards.
     */
    const probe = (cuts?: string) => {
      const compiled = (file: string) => JSON.stringify(compiledPath(path.join(ROOT, file)));
      const script = `
        const sdk = require(${compiled("cli/offlineSdk.ts")});
        const files = sdk.lazyLibraryFiles();
        // A module of each library that only its real entry loads.
        const inner = { grpc: "server.js", openTelemetry: "context-api.js", semver: "functions/eq.js", zodLocales: "de.cjs" };
        const loaded = () => Object.fromEntries(Object.entries(inner).map(([name, file]) => [name,
          Object.keys(require.cache).includes(require("node:path").join(require("node:path").dirname(files[name]), file))]));
        require(${compiled("cli/stackProcess.ts")});
        require(${compiled("stacks/index.ts")});
        const { InProcessPack } = require(${compiled("cli/inProcessPack.ts")});
        InProcessPack.load(${JSON.stringify(path.join(ROOT, "policy"))}, require(${compiled("cli/build.ts")}).compilePack(${JSON.stringify(path.join(ROOT, "policy"))}));
        const before = loaded();
        const { AnalyzerClient } = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
        const fromSdk = require("node:module").createRequire(require.resolve("@pulumi/pulumi/runtime/settings"));
        const grpc = fromSdk("@grpc/grpc-js");
        const client = new AnalyzerClient("127.0.0.1:1", grpc.credentials.createInsecure());
        const read = {
          unavailable: grpc.status.UNAVAILABLE,
          client: client instanceof AnalyzerClient && client instanceof grpc.Client,
          methods: Object.keys(AnalyzerClient.service).sort().slice(0, 3),
          equal: fromSdk("semver").eq("3.248.0", "3.248.0"),
          context: typeof fromSdk("@opentelemetry/api").context.active,
          german: typeof require("zod").locales.de,
        };
        client.close();
        process.stdout.write(JSON.stringify({ before, after: loaded(), read }));`;
      return probeProcess<{ before: Record<string, boolean>; after: Record<string, boolean>; read: unknown }>(
        script,
        cuts,
      );
    };
    // gRPC's status code UNAVAILABLE is 14; the first methods by name of Pulumi's Analyzer service (analyzer.proto).
    const read = {
      unavailable: 14,
      client: true,
      methods: ["analyze", "analyzeStack", "cancel"],
      equal: true,
      context: "function",
      german: "function",
    };

    it("with the cut: none loaded with the SDK, the program and the pack; each the real one once read", () => {
      const cut = probe();
      const none = { grpc: false, openTelemetry: false, semver: false, zodLocales: false };
      const all = { grpc: true, openTelemetry: true, semver: true, zodLocales: true };
      expect(cut).to.deep.equal({ before: none, after: all, read });
    });

    it("without it: loaded with the SDK, as the SDK ships", () => {
      const all = { grpc: true, openTelemetry: true, semver: true, zodLocales: true };
      expect(probe("none")).to.deep.equal({ before: all, after: all, read });
    });
  });

  it("refuses to start when an SDK file a cut replaces differs from the one it was written for", () => {
    const { movedSdkFiles } = require("../cli/sdkPins") as typeof import("../cli/sdkPins");
    expect(movedSdkFiles(["leanRegistration", "promises"])).to.deep.equal([]);
    const elsewhere = path.join(__dirname, "fixtures");
    expect(movedSdkFiles(["leanRegistration", "promises"], elsewhere)).to.deep.equal([
      "leanRegistration: runtime/resource.js",
      "leanRegistration: runtime/rpc.js",
      "leanRegistration: runtime/dependsOn.js",
      "leanRegistration: resource.js",
      "promises: runtime/debuggable.js",
    ]);
  });

  it("reads a referenced stack the same through the lean monitor as through the SDK's (secrets kept secret)", async () => {
    const referencing = request("branch", {
      stack: "branch-dev",
      config: {
        "hybridnet:connectivityStack": "acme/hybridnet/connectivity-dev",
        "hybridnet:tunnel1Key": "configKey_1234567890",
      },
      secretConfigKeys: ["hybridnet:tunnel1Key"],
      stackOutputs: {
        "acme/hybridnet/connectivity-dev": {
          outputs: { transitGatewayId: "tgw-0123456789abcdef0", tunnel2Key: "referencedKey_0987654321" },
          secretOutputNames: ["tunnel2Key"],
        },
      },
    });
    const shipped = await spawnStack(
      { ...referencing, leanMonitor: false },
      { nodeFlags: [], env: { HYBRIDNET_SDK_CUTS: "none" } },
    );
    const lean = await spawnStack(referencing);
    expect(lean.plan.stats.leanMonitor).to.equal(true);
    expect(lean.plan.reads).to.deep.equal([
      {
        type: "pulumi:pulumi:StackReference",
        name: "acme/hybridnet/connectivity-dev",
        id: "acme/hybridnet/connectivity-dev",
      },
    ]);
    expect(lean.plan.resources.find((r) => r.type === VPN)?.inputs.tunnel2PresharedKey).to.equal(REDACTED);
    expect({ ...lean.plan, stats: undefined }).to.deep.equal({ ...shipped.plan, stats: undefined });
    expect(lean.reference).to.deep.equal(shipped.reference);
  });

  it("treats a referenced stack it was not given as not deployed: no outputs", async () => {
    const { plan } = await spawnStack(
      request("branch", {
        config: {
          "hybridnet:connectivityStack": "acme/hybridnet/missing",
          "hybridnet:tunnel1Key": "configKey_1234567890",
        },
      }),
    );
    expect(plan.error?.message).to.include(
      "Required output 'transitGatewayId' does not exist on stack 'acme/hybridnet/missing'",
    );
    expect(plan.resources).to.deep.equal([]);
    expect(plan.reads).to.deep.equal([
      { type: "pulumi:pulumi:StackReference", name: "acme/hybridnet/missing", id: "acme/hybridnet/missing" },
    ]);
  });
});
