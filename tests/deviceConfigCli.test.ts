/**
 * `hybridnet device-config` and what it reads a plan with (model/deviceConfig/fromResources): the reference
 * environments' sites read from their planned resources — addresses, ASNs, prefixes, the AWS networks each
 * site reaches, tunnel options, pre-shared keys only from the revealed outputs — and the command run as a user
 * runs it on the dev environment's sites: the planned outside and inside addresses and ASNs in the output, no
 * pre-shared key without --show-secrets (the key's value is asserted absent), the key with it, and errors.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { type DeviceSite, deviceSitesOfPlan } from "../model/deviceConfig";
import { siteDeclarations } from "../model/reachability/sites";
import { hybridnet, ROOT } from "./cli";
import { plannedEnvironment } from "./environment";

interface TunnelInfo {
  outsideAddress: string;
  insideCidr: string;
  awsInsideAddress: string;
  customerInsideAddress: string;
}

/** The sites of one stack of a reference environment, and that stack's outputs (secrets unwrapped). */
async function sitesOf(env: string, stack: string, reveal = false) {
  const { stacks, settings } = await plannedEnvironment(env);
  const outputs = stacks.find((s) => s.name === stack)?.outputs ?? {};
  const sites = deviceSitesOfPlan({
    stacks,
    sites: siteDeclarations(settings),
    stack,
    ...(reveal ? { revealedOutputs: outputs } : {}),
  });
  return { sites, outputs };
}

function only(sites: readonly DeviceSite[], key: string, component?: string): DeviceSite {
  const found = sites.filter((s) => s.site === key && (!component || s.component.endsWith(`"${component}"`)));
  expect(found, `${component ?? ""} ${key}`).to.have.length(1);
  return found[0];
}

describe("device configurations from the plan: the reference environments' sites", function () {
  this.timeout(300_000);

  it("reads dev's dc1 as its config and the planned tunnels say, without keys unless revealed", async () => {
    const { sites, outputs } = await sitesOf("dev", "connectivity-dev");
    expect(sites.map((s) => s.site)).to.deep.equal(["dc1", "dc2"]);
    const dc1 = only(sites, "dc1");
    expect(dc1).to.include({
      stack: "connectivity-dev",
      component: 'hybridnet:index:TransitGatewayVpn "dc"',
      customerOutsideAddress: "203.0.113.10",
      customerAsn: 65001,
      awsAsn: 64512,
      routing: "bgp",
      insideIpVersion: "ipv4",
      presharedKeyOutput: "vpnPresharedKeys",
    });
    expect(dc1.customerPrefixes).to.deep.equal(["172.16.0.0/16"]);
    // The onprem segment reaches the shared segment only: the connectivity VPC, not the workloads.
    expect(dc1.awsPrefixes).to.deep.equal(["10.10.0.0/20"]);
    const planned = (
      outputs.vpnConnections as Record<string, { connectionId: string; tunnels: TunnelInfo[] }>
    )["dc1-1"];
    expect(dc1.connections.map((c) => c.key)).to.deep.equal(["dc1-1"]);
    expect(dc1.connections[0].connectionId).to.equal(planned.connectionId);
    expect(
      dc1.connections[0].tunnels.map((t) => ({
        outsideAddress: t.awsOutsideAddress,
        insideCidr: t.insideCidr,
        awsInsideAddress: t.awsInsideAddress,
        customerInsideAddress: t.customerInsideAddress,
      })),
    ).to.deep.equal(planned.tunnels);
    for (const t of dc1.connections[0].tunnels) {
      expect(t).to.not.have.property("presharedKey");
      expect(t.options.ikeVersions).to.deep.equal(["ikev2"]);
      expect(t.options.dpdTimeoutAction).to.equal("restart");
    }
    const revealed = only((await sitesOf("dev", "connectivity-dev", true)).sites, "dc1");
    const keys = (outputs.vpnPresharedKeys as Record<string, string[]>)["dc1-1"];
    expect(revealed.connections[0].tunnels.map((t) => t.presharedKey)).to.deep.equal(keys);
  });

  it("reads staging's lon1 tunnel options exactly as the stack config sets them", async () => {
    const lon1 = only((await sitesOf("staging", "connectivity-staging")).sites, "lon1");
    expect(lon1.connections[0].tunnels.map((t) => t.insideCidr)).to.have.length(2);
    for (const t of lon1.connections[0].tunnels)
      expect(t.options).to.include({
        startupAction: "start",
        dpdTimeoutSeconds: 40,
        dpdTimeoutAction: "restart",
      });
    const o = lon1.connections[0].tunnels[0].options;
    expect(o.phase1EncryptionAlgorithms).to.deep.equal(["AES256-GCM-16"]);
    expect(o.phase1IntegrityAlgorithms).to.deep.equal(["SHA2-384"]);
    expect(o.phase1DhGroupNumbers).to.deep.equal([20, 21]);
  });

  it("reads a workload's own VPN on its virtual private gateway: the gateway's ASN, the VPC it reaches", async () => {
    const lab = only((await sitesOf("staging", "workload-web-staging")).sites, "lab");
    expect(lab).to.include({
      component: 'hybridnet:index:ManagedVpn "web-vpn"',
      customerOutsideAddress: "198.51.100.40",
      customerAsn: 65020,
      awsAsn: 64600,
      presharedKeyOutput: "vpnPresharedKeys",
    });
    expect(lab.awsPrefixes).to.deep.equal(["10.50.0.0/16"]);
  });

  it("reads prod's ECMP site, the same site over Direct Connect, and the CloudHub branches", async () => {
    const { sites } = await sitesOf("prod", "connectivity-prod");
    const dc1 = only(sites, "dc1", "dc");
    expect(dc1.connections.map((c) => c.key)).to.deep.equal(["dc1-1", "dc1-2"]);
    const dx = only(sites, "dc1", "dx-vpn");
    expect(dx).to.include({
      customerOutsideAddress: "172.16.255.10",
      presharedKeyOutput: "directConnectPresharedKeys",
    });
    const boston = only(sites, "boston");
    // CloudHub: the gateway relays between its sites, so boston reaches denver's prefix and the VPC.
    expect(boston).to.include({ awsAsn: 64513, presharedKeyOutput: "branchPresharedKeys" });
    expect(boston.awsPrefixes).to.include("172.20.2.0/24");
    expect(boston.awsPrefixes).to.not.include("172.20.1.0/24");
  });
});

/** Runs `hybridnet ...args` in its own process without blocking, so several plans run at once. */
function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "hybridnet.js"), ...args], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("hybridnet device-config on the dev environment", function () {
  this.timeout(600_000);
  const dev = ["--env", "dev", "--stack", "connectivity-dev"];
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "hybridnet-device-config-"));
  let runs: Awaited<ReturnType<typeof run>>[];
  let planned: { connections: Record<string, { tunnels: TunnelInfo[] }>; keys: Record<string, string[]> };

  before(async () => {
    const [harness, ...cli] = await Promise.all([
      plannedEnvironment("dev"),
      run("device-config", ...dev, "--site", "dc1", "--format", "cisco-ios-xe", "--json"),
      run(
        "device-config",
        ...dev,
        "--site",
        "dc1",
        "--format",
        "juniper-srx",
        "--show-secrets",
        "--out",
        out,
      ),
      run("device-config", ...dev, "--site", "dc1", "--format", "strongswan", "--json"),
      // No --format: dc1's stack config declares device.format strongswan.
      run("device-config", ...dev, "--site", "dc1", "--json"),
    ]);
    runs = cli;
    const outputs = harness.stacks.find((s) => s.name === "connectivity-dev")?.outputs ?? {};
    planned = {
      connections: outputs.vpnConnections as typeof planned.connections,
      keys: outputs.vpnPresharedKeys as Record<string, string[]>,
    };
  });
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it("prints the planned outside and inside addresses and ASNs, and no pre-shared key", () => {
    const [json] = runs;
    expect(json.code, json.stderr).to.equal(0);
    const result = JSON.parse(json.stdout);
    expect(result).to.include({ env: "dev", stack: "connectivity-dev", site: "dc1", format: "cisco-ios-xe" });
    expect(result.secretsShown).to.equal(false);
    const config = result.files["dc1-cisco-ios-xe.txt"] as string;
    expect(config).to.include("router bgp 65001");
    for (const t of planned.connections["dc1-1"].tunnels) {
      expect(config).to.include(`  address ${t.outsideAddress}\n`);
      expect(config).to.include(` tunnel destination ${t.outsideAddress}\n`);
      expect(config).to.include(` ip address ${t.customerInsideAddress} 255.255.255.252\n`);
      expect(config).to.include(` neighbor ${t.awsInsideAddress} remote-as 64512\n`);
    }
    expect(config).to.include("crypto ikev2 policy AWS-IKEV2-POLICY\n match address local 203.0.113.10\n");
    expect(config).to.include("  pre-shared-key <vpnPresharedKeys.dc1-1[0]>\n");
    for (const key of planned.keys["dc1-1"]) {
      expect(json.stdout).to.not.include(key);
      expect(json.stderr).to.not.include(key);
    }
    expect(result.device.connections[0].tunnels[0]).to.not.have.property("presharedKey");
  });

  it("with --show-secrets and --out writes the keys to files only their owner reads", () => {
    const shown = runs[1];
    expect(shown.code, shown.stderr).to.equal(0);
    const file = path.join(out, "dc1-juniper-srx.txt");
    expect(shown.stdout.trim()).to.equal(`wrote ${file}`);
    expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    const config = fs.readFileSync(file, "utf8");
    const [key1, key2] = planned.keys["dc1-1"];
    expect(config).to.include(`set security ike policy aws-dc1-1-t1 pre-shared-key ascii-text "${key1}"\n`);
    expect(config).to.include(`set security ike policy aws-dc1-1-t2 pre-shared-key ascii-text "${key2}"\n`);
    expect(config).to.not.include("<vpnPresharedKeys");
    expect(config).to.include("set protocols bgp group aws peer-as 64512\n");
    for (const t of planned.connections["dc1-1"].tunnels)
      expect(config).to.include(
        `set protocols bgp group aws neighbor ${t.awsInsideAddress} local-address ${t.customerInsideAddress}\n`,
      );
    expect(shown.stderr).to.not.include(key1);
  });

  it("renders swanctl.conf and frr.conf for strongSwan + FRR with the planned tunnels, and no key", () => {
    const strongswan = runs[2];
    expect(strongswan.code, strongswan.stderr).to.equal(0);
    const result = JSON.parse(strongswan.stdout);
    expect(result).to.include({ site: "dc1", format: "strongswan" });
    expect(Object.keys(result.files)).to.have.members(["swanctl.conf", "frr.conf"]);
    const swanctl = result.files["swanctl.conf"] as string;
    const frr = result.files["frr.conf"] as string;
    const tunnels = planned.connections["dc1-1"].tunnels;
    expect(tunnels).to.have.length(2);
    for (const [i, t] of tunnels.entries()) {
      expect(swanctl).to.include(`    remote_addrs = ${t.outsideAddress}\n`);
      expect(swanctl).to.include(`secret = "<vpnPresharedKeys.dc1-1[${i}]>"`);
      expect(frr).to.include(` neighbor ${t.awsInsideAddress} remote-as 64512\n`);
    }
    expect(swanctl).to.include("    local_addrs = 203.0.113.10\n");
    expect(frr).to.include("router bgp 65001");
    for (const key of planned.keys["dc1-1"]) expect(strongswan.stdout).to.not.include(key);
  });

  it("renders the site's declared device.format when --format is not given", () => {
    const declared = runs[3];
    expect(declared.code, declared.stderr).to.equal(0);
    const result = JSON.parse(declared.stdout);
    expect(result).to.include({ site: "dc1", format: "strongswan", secretsShown: false });
    expect(result.files).to.deep.equal(JSON.parse(runs[2].stdout).files);
    expect(result.files["swanctl.conf"]).to.include("    local_addrs = 203.0.113.10\n");
  });

  it("exits 2 before planning when neither --format nor the site's config names a format", () => {
    const none = hybridnet("device-config", ...dev, "--site", "dc2", "--json");
    expect(none.code, none.stderr).to.equal(2);
    const allowed =
      "one of strongswan, cisco-ios-xe, juniper-srx: give --format, or declare the site's device.format in its stack config";
    expect(JSON.parse(none.stdout).error).to.deep.include({
      message: `site dc2 of connectivity-dev declares no device format; --format ${allowed}`,
      problems: [{ stack: "connectivity-dev", path: "--format", allowed }],
    });
    expect(none.stderr).to.not.include("(pass 1)");
  });

  it("exits 2 naming the sites of the stack for an unknown site, before planning", () => {
    const unknown = hybridnet("device-config", ...dev, "--site", "dc9", "--format", "cisco-ios-xe", "--json");
    expect(unknown.code, unknown.stderr).to.equal(2);
    expect(JSON.parse(unknown.stdout)).to.deep.equal({
      error: {
        kind: "usage",
        message: "--site dc9: one of dc1, dc2",
        problems: [{ stack: "connectivity-dev", path: "--site", value: "dc9", allowed: "one of dc1, dc2" }],
      },
    });
  });

  it("exits 2 before planning for an unknown stack or format, or a missing option; prints its usage", () => {
    const stack = hybridnet(
      "device-config",
      "--env",
      "dev",
      "--stack",
      "nope",
      "--site",
      "dc1",
      "--format",
      "juniper-srx",
      "--json",
    );
    expect(stack.code).to.equal(2);
    expect(JSON.parse(stack.stdout).error.problems[0]).to.deep.equal({
      stack: null,
      path: "--stack",
      value: "nope",
      allowed: "one of connectivity-dev, workload-app-dev, workload-payments-dev (the stacks of dev)",
    });
    const format = hybridnet("device-config", ...dev, "--site", "dc1", "--format", "vyos");
    expect(format.code).to.equal(2);
    expect(format.stderr).to.include(
      "hybridnet: --format vyos: one of strongswan, cisco-ios-xe, juniper-srx\n",
    );
    expect(format.stderr).to.include("\n\nusage: hybridnet device-config");
    const missing = hybridnet("device-config", ...dev, "--format", "juniper-srx");
    expect(missing.code).to.equal(2);
    expect(missing.stderr.startsWith("hybridnet: --site is required\n")).to.equal(true);
    const help = hybridnet("help", "device-config");
    expect(help.code).to.equal(0);
    expect(
      help.stdout.startsWith("usage: hybridnet device-config --env <env> --stack <stack> --site <site>"),
    ).to.equal(true);
  });
});
