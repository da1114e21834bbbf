/**
 * A workload's own AWS Managed VPN from stack config (`hybridnet:vpn` on a workload stack): a virtual private
 * gateway on the workload VPC, a customer gateway and a VPN connection per site, the sites' routes propagated
 * into the private route tables, inside CIDRs kept from the last deployment; refused before anything registers
 * where AWS would refuse it.
 */
import { expect } from "chai";
import type { StackOutputs } from "../cli/mocks";
import { readStackFiles } from "../model/environment";
import { ValidationError } from "../model/errors";
import { qualifiedStackName } from "../model/stackConfig";
import { runStackProgram, STACKS_DIR } from "./environment";
import { resolve } from "./harness";
import { onlyProblem, problemAt } from "./refusals";

const T = {
  vgw: "aws:ec2/vpnGateway:VpnGateway",
  propagation: "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
  cgw: "aws:ec2/customerGateway:CustomerGateway",
  vpn: "aws:ec2/vpnConnection:VpnConnection",
  vpc: "awsx:ec2:Vpc",
} as const;

const files = Object.fromEntries(
  [...readStackFiles(STACKS_DIR, "dev"), ...readStackFiles(STACKS_DIR, "prod")].map((f) => [
    f.stack,
    f.config,
  ]),
);

/** A lab site: a public customer gateway address (RFC 5737), a private ASN, a network outside every VPC. */
const LAB = { ipAddress: "198.51.100.40", bgpAsn: 65020, prefixes: ["172.26.0.0/16"] };

function withVpn(stack: string, vpn: unknown, extra: Record<string, unknown> = {}): Record<string, string> {
  const config: Record<string, string> = { ...files[stack], "hybridnet:vpn": JSON.stringify(vpn) };
  for (const [key, value] of Object.entries(extra)) config[`hybridnet:${key}`] = JSON.stringify(value);
  return config;
}

describe("workload stack: its own Site-to-Site VPN (hybridnet:vpn)", () => {
  let connectivityDev: Record<string, unknown>;
  let connectivityProd: Record<string, unknown>;

  before(async function () {
    this.timeout(120000);
    for (const env of ["dev", "prod"]) {
      const stack = `connectivity-${env}`;
      const run = await runStackProgram(stack, files[stack]);
      if (run.error) expect.fail(`${stack} failed: ${run.error.stack}`);
      const outputs: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(run.result as Record<string, unknown>))
        outputs[k] = (await resolve(v)).value;
      if (env === "dev") connectivityDev = outputs;
      else connectivityProd = outputs;
    }
  });

  const deployed = (env: string, more: StackOutputs = {}): StackOutputs => ({
    [qualifiedStackName("organization", `connectivity-${env}`)]:
      env === "dev" ? connectivityDev : connectivityProd,
    ...more,
  });

  it("registers a virtual private gateway on the workload VPC, a VPN per site and propagation into every private route table", async function () {
    this.timeout(120000);
    const run = await runStackProgram(
      "workload-app-dev",
      withVpn("workload-app-dev", { amazonSideAsn: 64600, sites: { lab: LAB } }),
      deployed("dev"),
    );
    if (run.error) return expect.fail(run.error.stack);
    const vgws = run.resources.ofType(T.vgw);
    expect(vgws).to.have.length(1);
    const vpc = run.resources.ofType(T.vpc)[0];
    expect(vgws[0].inputs.amazonSideAsn).to.equal("64600");
    expect(vgws[0].dependencies, "attached to the workload VPC").to.include(vpc.urn);
    const cgw = run.resources.ofType(T.cgw);
    expect(cgw.map((r) => [r.inputs.ipAddress, r.inputs.bgpAsn])).to.deep.equal([["198.51.100.40", "65020"]]);
    const vpns = run.resources.ofType(T.vpn);
    expect(vpns).to.have.length(1);
    expect(vpns[0].inputs.transitGatewayId, "on the VGW, not the hub").to.equal(undefined);
    expect(vpns[0].inputs.vpnGatewayId).to.be.a("string");
    expect(vpns[0].inputs.tunnel1IkeVersions).to.deep.equal(["ikev2"]);
    expect(vpns[0].secretInputs).to.include.members(["tunnel1PresharedKey", "tunnel2PresharedKey"]);
    // workload-app-dev's VPC is in use1-az1 and use1-az2: one private route table each.
    expect(run.resources.ofType(T.propagation)).to.have.length(2);
    const outputs = run.result as Record<string, unknown>;
    const inside = (await resolve(outputs.tunnelInsideCidrs)).value as Record<
      string,
      Record<string, string[]>
    >;
    expect(inside.vpn.lab).to.deep.equal([
      vpns[0].inputs.tunnel1InsideCidr,
      vpns[0].inputs.tunnel2InsideCidr,
    ]);
    expect((await resolve(outputs.vpnPresharedKeys)).secret, "pre-shared keys stay secret").to.equal(true);
  });

  it("registers no VPN where hybridnet:vpn is not set", async function () {
    this.timeout(120000);
    const run = await runStackProgram("workload-app-dev", files["workload-app-dev"], deployed("dev"));
    if (run.error) return expect.fail(run.error.stack);
    expect(run.resources.ofType(T.vgw)).to.deep.equal([]);
    expect(Object.keys(run.result as object)).not.to.include("tunnelInsideCidrs");
  });

  it("keeps the inside CIDRs its last deployment had (its own tunnelInsideCidrs output)", async function () {
    this.timeout(120000);
    const self = qualifiedStackName("organization", "workload-app-dev");
    const kept = ["169.254.200.0/30", "169.254.200.4/30"];
    const run = await runStackProgram(
      "workload-app-dev",
      withVpn("workload-app-dev", { sites: { lab: LAB } }),
      deployed("dev", { [self]: { tunnelInsideCidrs: { vpn: { lab: kept } } } }),
    );
    if (run.error) return expect.fail(run.error.stack);
    const vpn = run.resources.ofType(T.vpn)[0];
    expect([vpn.inputs.tunnel1InsideCidr, vpn.inputs.tunnel2InsideCidr]).to.deep.equal(kept);
    expect(run.reads.map((r) => r.id)).to.include(self);
  });

  async function refused(stack: string, config: Record<string, string>, env: string) {
    const run = await runStackProgram(stack, config, deployed(env));
    if (!(run.error instanceof ValidationError))
      return expect.fail(`expected a ValidationError: ${run.error}`);
    expect(
      run.resources.all.map((r) => r.type),
      "registered before the error",
    ).to.deep.equal([]);
    return run.error;
  }

  it("refuses a site ASN equal to the gateway's, and a site network inside the workload VPC", async function () {
    this.timeout(120000);
    const error = await refused(
      "workload-app-dev",
      withVpn("workload-app-dev", {
        amazonSideAsn: 64600,
        sites: { lab: { ...LAB, bgpAsn: 64600, prefixes: ["10.20.128.0/24"] } },
      }),
      "dev",
    );
    problemAt(
      error,
      "hybridnet:vpn.sites.lab.bgpAsn",
      64600,
      "equals the virtual private gateway's ASN 64600",
    );
    problemAt(
      error,
      "hybridnet:vpn.sites.lab.prefixes[0]",
      "10.20.128.0/24",
      "overlaps the workload VPC 10.20.0.0/16",
    );
  });

  it("refuses acceleration, which a virtual private gateway does not offer, as an unknown setting", async function () {
    this.timeout(120000);
    const error = await refused(
      "workload-app-dev",
      withVpn("workload-app-dev", { sites: { lab: { ...LAB, accelerated: true } } }),
      "dev",
    );
    problemAt(error, "hybridnet:vpn.sites.lab.accelerated", true, "not a setting here");
  });

  it("requires alarm actions in production when a workload has its own VPN, and not otherwise", async function () {
    this.timeout(120000);
    const error = await refused(
      "workload-payments-prod",
      withVpn("workload-payments-prod", { sites: { lab: LAB } }),
      "prod",
    );
    onlyProblem(
      error,
      "hybridnet:alarms.actions",
      undefined,
      "required in production: at least one SNS topic ARN (arn:aws:sns:<region>:<12-digit account>:<topic>) to page when a VPN connection or a Direct Connect link is down",
    );
    const paged = await runStackProgram(
      "workload-payments-prod",
      withVpn(
        "workload-payments-prod",
        { sites: { lab: LAB } },
        { alarms: { actions: ["arn:aws:sns:us-east-1:333344445555:network-oncall"] } },
      ),
      deployed("prod"),
    );
    if (paged.error) return expect.fail(paged.error.stack);
    expect(paged.resources.ofType(T.vpn)).to.have.length(1);
    const alarms = paged.resources.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.length, "tunnel alarms").to.be.greaterThan(0);
    for (const alarm of alarms.filter((a) => (a.inputs.alarmActions as string[] | undefined)?.length))
      expect(alarm.inputs.alarmActions).to.deep.equal(["arn:aws:sns:us-east-1:333344445555:network-oncall"]);
  });
});
