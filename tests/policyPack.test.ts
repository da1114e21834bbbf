/**
 * The policy pack as the CLI sees it: what it serves (name, version, every rule with its level, kind and
 * config), how policy config changes verdicts, and how long a start and an analysis take. The rules
 * themselves are tested in policyConstraints.test.ts and policySecurity.test.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { PolicyPackClient } from "../cli/analyzer";
import { ManagedVpn } from "../components/ManagedVpn";
import { TransitGatewayVpn } from "../components/TransitGatewayVpn";
import { runEnvironment } from "./environment";
import {
  analyzeProgram,
  expectNoViolation,
  expectViolation,
  usePolicyPack,
  violationsOf,
} from "./policySupport";

/** Every rule: its default level and whether it checks one resource or the whole stack. */
const RULES: Record<string, [level: "mandatory" | "advisory", kind: "resource" | "stack"]> = {
  "cidrs-no-overlap": ["mandatory", "stack"],
  "bgp-asns-unique": ["mandatory", "stack"],
  "one-vgw-per-vpc": ["mandatory", "stack"],
  "dx-gateway-vif-types": ["mandatory", "stack"],
  "asn-ranges": ["mandatory", "resource"],
  "tunnel-inside-cidrs": ["mandatory", "stack"],
  "privatelink-listener-protocols": ["mandatory", "stack"],
  "endpoints-multi-az": ["mandatory", "resource"],
  "vpn-bandwidth": ["mandatory", "stack"],
  "peering-not-transit": ["mandatory", "stack"],
  "vpn-ikev2-only": ["mandatory", "resource"],
  "vpn-strong-crypto": ["mandatory", "resource"],
  "vpn-psk-secret": ["mandatory", "resource"],
  "vpn-tunnel-logging": ["mandatory", "resource"],
  "endpoint-service-access": ["mandatory", "resource"],
  "endpoint-sg-not-open": ["mandatory", "stack"],
  "dx-bgp-auth-key": ["mandatory", "resource"],
  "tgw-segmentation": ["mandatory", "resource"],
  "peering-dns-resolution": ["mandatory", "stack"],
  "client-vpn-connection-logs": ["mandatory", "resource"],
  "client-vpn-split-tunnel": ["advisory", "resource"],
  "prod-deletion-protection": ["mandatory", "stack"],
  "vpn-paging-alarm": ["mandatory", "stack"],
  "customer-gateway-approved": ["mandatory", "resource"],
  "vpc-cidr-in-supernets": ["advisory", "resource"],
  "instance-imdsv2": ["mandatory", "resource"],
  "ebs-encrypted": ["mandatory", "resource"],
  "appliance-sg-not-open": ["mandatory", "stack"],
  "appliance-multi-az": ["mandatory", "stack"],
};

/** A VPN connection with AWS's defaults: IKEv1 allowed, weak crypto accepted, no logs. */
const rawVpn = () => {
  const cgw = new aws.ec2.CustomerGateway("raw-cgw", {
    type: "ipsec.1",
    ipAddress: "203.0.113.50",
    bgpAsn: "65050",
  });
  new aws.ec2.VpnConnection("raw-vpn", {
    type: "ipsec.1",
    customerGatewayId: cgw.id,
    vpnGatewayId: "vgw-0123456789abcdef0",
  });
};

describe("policy pack", function () {
  this.timeout(60_000);
  const pack = usePolicyPack();

  it("serves pack hybridnet at policy/package.json's version, with every rule, its level, kind and why", async () => {
    const info = await pack().getAnalyzerInfo();
    const packageJson = JSON.parse(
      fs.readFileSync(path.join(__dirname, "..", "policy", "package.json"), "utf8"),
    );
    expect(info.name).to.equal("hybridnet");
    expect(info.version).to.equal(packageJson.version);
    expect(
      Object.fromEntries(info.policies.map((p) => [p.name, [p.enforcementLevel, p.kind]])),
    ).to.deep.equal(RULES);
    for (const p of info.policies) expect(p.description, p.name).to.match(/^[A-Z].{60,}\.$/s);
    expect(info.policies.find((p) => p.name === "vpn-strong-crypto")?.configSchema).to.deep.include({
      minDhGroup: {
        type: "integer",
        minimum: 2,
        maximum: 21,
        description: "Lowest Diffie-Hellman group accepted (14: 2048-bit MODP; 19: 256-bit ECP).",
        default: 14,
      },
    });
  });

  it("lists every rule in docs/policy.md", () => {
    const section = fs.readFileSync(path.join(__dirname, "..", "docs", "policy.md"), "utf8");
    expect(section, "docs/policy.md starts with '# Policy pack'").to.match(/^# Policy pack\n/);
    expect(Object.keys(RULES)).to.have.length.greaterThan(0);
    for (const name of Object.keys(RULES)) expect(section, name).to.include(`\`${name}\``);
    expect(section).to.include("pulumi preview --policy-pack policy");
  });

  describe("config", () => {
    it("changes a verdict by enforcement level: advisory, then disabled", async () => {
      const mandatory = await analyzeProgram(pack(), rawVpn);
      expectViolation(mandatory, "vpn-ikev2-only", {
        level: "mandatory",
        count: 2,
        on: "raw-vpn",
        message: "tunnel1IkeVersions",
      });
      const advisory = await analyzeProgram(pack(), rawVpn, { config: { "vpn-ikev2-only": "advisory" } });
      expectViolation(advisory, "vpn-ikev2-only", {
        level: "advisory",
        count: 2,
        on: "raw-vpn",
        message: "tunnel1IkeVersions",
      });
      expectViolation(advisory, "vpn-tunnel-logging", {
        level: "mandatory",
        count: 2,
        message: "tunnel1LogOptions.cloudwatchLogOptions.logEnabled",
      });
      const disabled = await analyzeProgram(pack(), rawVpn, { config: { "vpn-ikev2-only": "disabled" } });
      expectNoViolation(disabled, "vpn-ikev2-only");
    });

    it("sets every rule's level with `all`, and a rule's own level wins over it", async () => {
      const run = await analyzeProgram(pack(), rawVpn, {
        config: {
          all: "advisory",
          "vpn-tunnel-logging": { enforcementLevel: "mandatory", requireBgpLogs: true },
        },
      });
      expect(violationsOf(run, "vpn-ikev2-only").map((d) => d.level)).to.deep.equal(["advisory", "advisory"]);
      expectViolation(run, "vpn-tunnel-logging", {
        level: "mandatory",
        count: 4,
        message: "tunnel2LogOptions.cloudwatchLogOptions.bgpLogEnabled",
      });
    });

    it("keeps a rule's own level when only its settings are given", async () => {
      const run = await analyzeProgram(pack(), rawVpn, {
        config: { "vpn-strong-crypto": { minDhGroup: 19 } },
      });
      expect(violationsOf(run, "vpn-strong-crypto").every((d) => d.level === "mandatory")).to.equal(true);
    });

    it("refuses config for a rule the pack does not have", async () => {
      const error = await pack()
        .configure({ "no-such-rule": "advisory" })
        .catch((e: Error) => e);
      expect(String(error)).to.include(
        'policy config names "no-such-rule", which pack hybridnet does not have',
      );
    });
  });

  it("passes hybridnet's components with their defaults: no mandatory violation outside production", async () => {
    const run = await analyzeProgram(pack(), () => {
      new ManagedVpn("corp", {
        vpcId: "vpc-0a0a0a0a0a0a0a0a0",
        sites: { dc1: { ipAddress: "203.0.113.10", bgpAsn: 65010, prefixes: ["192.168.0.0/16"] } },
      });
      new TransitGatewayVpn("dc", {
        sites: {
          dc2: { ipAddress: "198.51.100.20", bgpAsn: 65020, prefixes: ["172.16.0.0/16"], bandwidthGbps: 3 },
        },
      });
    });
    expect(run.diagnostics.filter((d) => d.level === "mandatory")).to.deep.equal([]);
  });

  for (const env of ["dev", "prod"])
    it(`passes every stack of the ${env} reference environment with no mandatory violation`, async function () {
      this.timeout(120_000);
      const { runs } = await runEnvironment(env);
      // What `pulumi preview --policy-pack policy` sees is each stack's last pass.
      const last = new Map(runs.map((r) => [r.step.stack, r]));
      expect([...last.keys()].length).to.be.greaterThan(2);
      await pack().configure({});
      for (const [stack, run] of last) {
        const diagnostics = await pack().analyzeAll(run.resources.all);
        const mandatory = diagnostics
          .filter((d) => d.level === "mandatory")
          .map((d) => `${d.policy}: ${d.message}`);
        expect(mandatory, stack).to.deep.equal([]);
      }
    });

  it("flags a reference stack that breaks a rule: prod connectivity without deletion protection", async function () {
    this.timeout(120_000);
    const { runs } = await runEnvironment("prod");
    const run = [...runs].reverse().find((r) => r.step.stack === "connectivity-prod")!;
    const unprotected = run.resources.all.map((r) => ({ ...r, protect: false }));
    await pack().configure({});
    const diagnostics = await pack().analyzeAll(unprotected);
    expect(
      diagnostics.filter((d) => d.policy === "prod-deletion-protection" && d.level === "mandatory"),
    ).to.have.length.greaterThan(0);
  });

  it("starts in seconds and analyzes a stack of about 50 resources in well under a second", async () => {
    const started = Date.now();
    const fresh = await PolicyPackClient.start();
    const startMs = Date.now() - started;
    try {
      const sites = Object.fromEntries(
        Array.from({ length: 6 }, (_, i) => [
          `site${i}`,
          { ipAddress: `203.0.113.${i + 1}`, bgpAsn: 65100 + i, prefixes: [`10.${100 + i}.0.0/16`] },
        ]),
      );
      const { resources } = await analyzeProgram(fresh, () => new TransitGatewayVpn("dc", { sites }));
      const timed = async () => {
        const t0 = Date.now();
        await fresh.analyzeAll(resources);
        return Date.now() - t0;
      };
      const analyzeMs = [await timed(), await timed(), await timed()];
      console.log(
        `      policy pack: start ${startMs} ms (client ${fresh.startMs} ms to the port); ${resources.length} resources ` +
          `(analyze each + analyzeStack), after a first run: ${analyzeMs.join(" / ")} ms`,
      );
      expect(resources.length).to.be.within(40, 70);
      expect(startMs).to.be.below(20_000);
      expect(Math.min(...analyzeMs)).to.be.below(2_000);
    } finally {
      await fresh.close();
    }
  });
});
