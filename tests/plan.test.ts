/**
 * `hybridnet plan` as a user runs it: the command in its own process, its exit code, its JSON and what it
 * prints. Plans both reference environments, a fixture environment the policy pack fails, and bad input.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import type { PlanResult } from "../cli/plan";
import { hybridnet } from "./cli";

const FIXTURES = path.join(__dirname, "fixtures", "envs");

/** The hybridnet component types each environment's stacks use. */
const COMPONENTS: Record<string, string[]> = {
  dev: [
    "ClientVpn",
    "PrivateLinkEndpoint",
    "PrivateLinkService",
    "TransitGatewayHub",
    "TransitGatewayVpn",
    "VpcAttachment",
  ],
  prod: [
    "DirectConnectGateway",
    "DirectConnectVpn",
    "PrivateLinkEndpoint",
    "PrivateLinkService",
    "TransitGatewayHub",
    "TransitGatewayVpn",
    "VirtualInterfaces",
    "VpcAttachment",
    "VpnCloudHub",
  ],
};

/**
 * The sites of each environment whose stack config declares `device.format`, the files `plan --out` writes for
 * them, the output holding the planned tunnels' outside addresses, the placeholder standing for the first
 * tunnel's pre-shared key, and a line of the format.
 */
const DECLARED_DEVICES: Record<
  string,
  { files: string[]; outside: { output: string; site: string }; key: string; present: string }
> = {
  dev: {
    files: ["dc1.frr.conf", "dc1.swanctl.conf"],
    outside: { output: "vpnConnections", site: "dc1" },
    key: 'secret = "<vpnPresharedKeys.dc1-1[0]>"',
    present: "local_addrs = 203.0.113.10\n",
  },
  prod: {
    files: ["boston.juniper-srx.txt"],
    outside: { output: "branchConnections", site: "boston" },
    key: "<branchPresharedKeys.boston[0]>",
    present: "set security ike gateway",
  },
};

describe("hybridnet plan", function () {
  this.timeout(180_000);

  for (const env of ["dev", "prod"])
    it(`plans the ${env} environment in deployment order, judged by the policy pack, secrets never shown`, () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), "hybridnet-plan-"));
      const run = hybridnet("plan", "--env", env, "--json", "--out", out);
      expect(run.code, run.stderr).to.equal(0);
      const plan = JSON.parse(run.stdout) as PlanResult;
      expect(JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8"))).to.deep.equal(plan);

      // Connectivity first, then the workloads; second passes for the PrivateLink handshake.
      const workloads = plan.stacks.map((s) => s.name).filter((n) => n.startsWith("workload-"));
      expect(workloads).to.have.length(2);
      expect(plan.order.map((o) => `${o.stack}#${o.pass}`)).to.have.members([
        `connectivity-${env}#1`,
        ...workloads.map((w) => `${w}#1`),
        `connectivity-${env}#2`,
        ...workloads.map((w) => `${w}#2`),
      ]);
      expect(plan.order[0]).to.deep.equal({ stack: `connectivity-${env}`, pass: 1 });
      const firstSecond = plan.order.findIndex((o) => o.pass === 2);
      expect(plan.order.slice(0, firstSecond).every((o) => o.pass === 1)).to.equal(true);
      expect(plan.order[firstSecond]).to.deep.equal({ stack: `connectivity-${env}`, pass: 2 });

      const types = new Set(plan.stacks.flatMap((s) => s.resources.map((r) => r.type)));
      for (const component of COMPONENTS[env]) expect([...types]).to.include(`hybridnet:index:${component}`);
      for (const stack of plan.stacks) {
        expect(stack.resources.length, stack.name).to.be.greaterThan(10);
        for (const r of stack.resources)
          expect(r.urn).to.match(new RegExp(`^urn:pulumi:${stack.name}::hybridnet::`));
        expect(
          stack.diagnostics.filter((d) => d.level === "mandatory"),
          stack.name,
        ).to.deep.equal([]);
      }
      expect(plan.summary.mandatory).to.equal(0);

      // Every pre-shared key is a secret, shown as such and never as its value.
      const vpns = plan.stacks
        .flatMap((s) => s.resources)
        .filter((r) => r.type === "aws:ec2/vpnConnection:VpnConnection");
      expect(vpns.length).to.be.greaterThan(1);
      for (const vpn of vpns) {
        expect([vpn.inputs.tunnel1PresharedKey, vpn.inputs.tunnel2PresharedKey]).to.deep.equal([
          "[secret]",
          "[secret]",
        ]);
        // The state the mock answered: generated keys and the device configuration are secret there too.
        expect(vpn.outputs).to.include({
          tunnel1PresharedKey: "[secret]",
          tunnel2PresharedKey: "[secret]",
          customerGatewayConfiguration: "[secret]",
        });
        expect(vpn.id).to.match(/^vpn-[0-9a-f]{17}$/);
        expect(vpn.outputs.tunnel1Address).to.be.a("string");
      }
      // Every custom resource has the id the mock gave it; components have none.
      for (const r of plan.stacks.flatMap((s) => s.resources))
        if (r.type.startsWith("hybridnet:index:")) expect(r.id, r.urn).to.equal(undefined);
        else if (r.type.startsWith("aws:")) expect(r.id, r.urn).to.be.a("string").and.not.equal("");
      expect(run.stderr).to.include(`connectivity-${env} (pass 2)`);

      // Every declared and implied flow holds, each with the path it takes both ways.
      expect(plan.flows.length).to.be.greaterThan(20);
      expect(plan.flows.filter((f) => f.verdict === "fail").map((f) => f.name)).to.deep.equal([]);
      expect(plan.summary.flows).to.deep.equal({ checked: plan.flows.length, failed: 0 });
      for (const f of plan.flows.filter((x) => x.expect === "allow")) {
        expect(f.reachable, f.name).to.equal(true);
        expect(f.path.length, f.name).to.be.greaterThan(0);
        expect(f.reply.length, f.name).to.be.greaterThan(0);
      }
      // A data center reaches a workload's service: over its VPN, the hub, the endpoint in the connectivity VPC,
      // the workload's endpoint service and load balancer; the reply comes back over the VPN.
      const declared = env === "dev" ? "dc1-to-app" : "dc1-to-payments";
      const dc1 = plan.flows.find((f) => f.name === declared)!;
      expect(dc1).to.include({ from: "site:dc1", expect: "allow", verdict: "pass", port: 443 });
      const hops = dc1.path.map((h) => h.what).join("\n");
      expect(hops).to.match(/^site dc1 sends over VPN dc-dc1-1-vpn/m);
      expect(hops).to.match(
        /^transit gateway route table segment onprem: 10\.1?10\.0\.0\/20 → shared-attachment/m,
      );
      expect(hops).to.match(/^interface endpoint 10\.1?10\.\d+\.\d+ admits tcp\/443$/m);
      expect(hops).to.match(/^listener TCP 443$/m);
      expect(dc1.reply[dc1.reply.length - 1].what).to.match(/to site dc1$/);
      // Workloads are isolated from each other and from the data centers, proven for every address.
      const denied = plan.flows.filter((f) => f.expect === "deny");
      expect(denied.length).to.be.greaterThan(3);
      for (const f of denied) expect([f.name, f.reachable, f.path]).to.deep.equal([f.name, false, []]);

      // --out also writes the configuration of every site whose config declares a device format, and only those:
      // dev's dc1 (strongswan), prod's branch boston (juniper-srx). Keys are placeholders naming their output.
      const { files, outside, key, present } = DECLARED_DEVICES[env];
      const dir = path.join(out, "device-config", `connectivity-${env}`);
      expect(fs.readdirSync(path.join(out, "device-config"))).to.deep.equal([`connectivity-${env}`]);
      expect(fs.readdirSync(dir).sort()).to.deep.equal(files);
      const stack = plan.stacks.find((s) => s.name === `connectivity-${env}`)!;
      const planned = Object.entries(
        stack.outputs[outside.output] as Record<string, { tunnels: { outsideAddress: string }[] }>,
      )
        .filter(([k]) => k.startsWith(`${outside.site}-`) || k === outside.site)
        .flatMap(([, c]) => c.tunnels.map((t) => t.outsideAddress));
      expect(planned).to.have.length(2);
      const text = files.map((f) => fs.readFileSync(path.join(dir, f), "utf8")).join("\n");
      for (const address of planned) expect(text).to.include(address);
      expect(text).to.include(present);
      expect(text).to.include(key);
      expect(text).to.not.include("[secret]");
    });

  it("prints resources by component and type, outputs, and a one-line verdict", () => {
    const run = hybridnet("plan", "--env", "dev");
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^connectivity-dev {2}\(\d+ resources; passes 1, 2\)$/m);
    expect(run.stdout).to.match(/^ {2}TransitGatewayVpn "dc"$/m);
    expect(run.stdout).to.match(/^ +2 {2}aws:ec2\/vpnConnection:VpnConnection$/m);
    expect(run.stdout).to.match(/^ {4}transitGatewayId = tgw-[0-9a-f]{17}$/m);
    expect(run.stdout).to.match(
      /^plan dev: 3 stacks, \d+ resources, 0 mandatory and \d+ advisory violations, (\d+) of \1 flows as intended in [\d.]+ s — ok/m,
    );
  });

  it("exits 1 and names the blocking hop when a flow the environment declares cannot pass", () => {
    // leaky: dev with app → payments declared allowed, while the workloads segment is isolated.
    const run = hybridnet("plan", "--env", "leaky", "--stacks", FIXTURES);
    expect(run.code, run.stderr).to.equal(1);
    expect(run.stdout).to.match(
      /^ {2}✘ allow workload:app → workload:payments +tcp\/8443 {2}\(app-to-payments\)$/m,
    );
    expect(run.stdout).to.include(
      "        workload-app-leaky: route table of VPC app-vpc (private, use1-az1) has no route for 10.30.0.0/16 (VPC payments-vpc, workload-payments-leaky)",
    );
    expect(run.stdout).to.match(
      /0 mandatory .*, 33 of 34 flows as intended .* — FAIL: flows not as intended$/m,
    );
    const json = JSON.parse(
      hybridnet("plan", "--env", "leaky", "--stacks", FIXTURES, "--json").stdout,
    ) as PlanResult;
    const failed = json.flows.filter((f) => f.verdict === "fail");
    expect(failed).to.have.length(1);
    expect(failed[0]).to.deep.include({
      name: "app-to-payments",
      from: "workload:app",
      to: "workload:payments",
      protocol: "tcp",
      port: 8443,
      expect: "allow",
      reachable: false,
      src: "10.20.0.10",
      dst: "10.30.0.10",
    });
    expect(failed[0].blockedAt).to.include({ direction: "forward", stack: "workload-app-leaky" });
  });

  it("exits 1 and names the violation when the policy pack fails an environment", () => {
    const run = hybridnet(
      "plan",
      "--env",
      "rogue",
      "--stacks",
      FIXTURES,
      "--policy-config",
      path.join(FIXTURES, "policy-config.json"),
    );
    expect(run.code, run.stderr).to.equal(1);
    expect(run.stdout).to.match(/mandatory +customer-gateway-approved {2}dc-dc2-cgw: .*198\.51\.100\.99/);
    expect(run.stdout).to.match(
      /1 mandatory and \d+ advisory violations, .* — FAIL: mandatory policy violations$/m,
    );
    // The same environment without the team's approved-address list passes.
    expect(hybridnet("plan", "--env", "rogue", "--stacks", FIXTURES).code).to.equal(0);
  });

  it("exits 2 with the stack, config path, value and what is allowed on bad config, before any stack runs", () => {
    const run = hybridnet("plan", "--env", "badconfig", "--stacks", FIXTURES);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include(
      'hybridnet: workload-app-badconfig: 1 invalid argument\n  hybridnet:vpc.cidr = "10.20.0.1/16": host bits are set; the network is 10.20.0.0/16',
    );
    expect(run.stderr).not.to.include("(pass 1)");
    expect(run.stdout).to.equal("");
  });

  it("exits 2 on an unknown environment, listing the ones that exist, and on bad arguments", () => {
    const unknown = hybridnet("plan", "--env", "qa");
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include('unknown environment "qa"; environments in stacks: dev, prod, staging');
    const missing = hybridnet("plan");
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include("--env is required");
    const flag = hybridnet("plan", "--env", "dev", "--verbose");
    expect(flag.code).to.equal(2);
    expect(flag.stderr).to.include('unknown option "--verbose"');
  });
});

describe("hybridnet flow", function () {
  this.timeout(180_000);
  let plan: string;
  before(() => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "hybridnet-flow-"));
    expect(hybridnet("plan", "--env", "dev", "--json", "--out", out).code).to.equal(0);
    plan = path.join(out, "plan.json");
  });

  it("answers a reachable flow both ways from a saved plan, with every address it reaches", () => {
    const run = hybridnet(
      "flow",
      "--env",
      "dev",
      "--from",
      "site:dc1",
      "--to",
      "service:app",
      "--port",
      "443",
      "--plan",
      plan,
      "--json",
    );
    expect(run.code, run.stderr).to.equal(0);
    const answer = JSON.parse(run.stdout);
    expect(answer).to.include({
      env: "dev",
      from: "site:dc1",
      to: "service:app",
      protocol: "tcp",
      port: 443,
    });
    expect(answer.flow.reachable).to.equal(true);
    expect(answer.flow.path[0].what).to.equal("site dc1 sends over VPN dc-dc1-1-vpn");
    expect(answer.flow.reply[answer.flow.reply.length - 1].what).to.equal(
      "over VPN dc-dc1-1-vpn to site dc1",
    );
    // The service is reached at its endpoint's two addresses (one per zone), on 443 only.
    expect(answer.reachable).to.have.length(1);
    expect(answer.reachable[0].ports).to.equal("443");
    expect(answer.reachable[0].prefixes).to.have.length(2);
    for (const p of answer.reachable[0].prefixes) expect(p).to.match(/^10\.10\.[0-7]\.\d+\/32$/);
  });

  it("names the hop that drops a flow, exits 1, and exits 2 on a zone the plan does not have", () => {
    const run = hybridnet(
      "flow",
      "--env",
      "dev",
      "--from",
      "site:dc1",
      "--to",
      "workload:app",
      "--plan",
      plan,
    );
    expect(run.code, run.stderr).to.equal(1);
    expect(run.stdout).to.include(
      "site:dc1 → workload:app tcp/any (172.16.0.10 → 10.20.0.10): not reachable",
    );
    expect(run.stdout).to.include(
      "blocked (forward) at connectivity-dev hub-onprem: transit gateway route table segment onprem has no route for 10.20.0.0/16 (VPC app-vpc, workload-app-dev)",
    );
    expect(run.stdout).to.match(/^ {4}urn:pulumi:connectivity-dev::hybridnet::.*::hub-onprem$/m);
    expect(run.stdout).to.match(/reaches \(tcp\):\n {2}none$/m);
    const unknown = hybridnet(
      "flow",
      "--env",
      "dev",
      "--from",
      "site:dc9",
      "--to",
      "connectivity",
      "--plan",
      plan,
    );
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include('site:dc9: no site "dc9" in the plan; sites: dc1, dc2');
    expect(hybridnet("flow", "--env", "dev", "--from", "site:dc1").code).to.equal(2);
    const env = hybridnet("flow", "--env", "nope", "--from", "site:dc1", "--to", "connectivity");
    expect(env.code).to.equal(2);
    expect(env.stderr).to.match(/unknown environment "nope"; environments in stacks: dev, prod, staging$/m);
    expect(
      hybridnet("flow", "--env", "dev", "--from", "site:dc1", "--to", "connectivity", "--port", "0").stderr,
    ).to.include("--port 0: a port is an integer 1–65535");
  });
});
