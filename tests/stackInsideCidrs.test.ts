/**
 * The connectivity stack keeps its tunnels' inside CIDRs from one `pulumi up` to the next: it outputs them
 * (`tunnelInsideCidrs`) and reads them back from its own outputs through a StackReference to itself.
 */
import { expect } from "chai";
import type { StackOutputs } from "../cli/mocks";
import { readStackFiles } from "../model/environment";
import { qualifiedStackName } from "../model/stackConfig";
import { runStackProgram, STACKS_DIR } from "./environment";
import { resolve } from "./harness";

const STACK = "connectivity-dev";
const SELF = qualifiedStackName("organization", STACK);
const VPN = "aws:ec2/vpnConnection:VpnConnection";

function devConfig(): Record<string, string> {
  const file = readStackFiles(STACKS_DIR, "dev").find((f) => f.stack === STACK);
  if (!file) return expect.fail(`no ${STACK} stack file`);
  return { ...file.config };
}

/** The config with one more data center site. */
function withSite(config: Record<string, string>, key: string, ipAddress: string, bgpAsn: number) {
  const vpn = JSON.parse(config["hybridnet:vpn"]);
  vpn.sites[key] = { ipAddress, bgpAsn, prefixes: ["172.18.0.0/16"] };
  return { ...config, "hybridnet:vpn": JSON.stringify(vpn) };
}

async function runConnectivity(config: Record<string, string>, deployed: StackOutputs = {}) {
  const run = await runStackProgram(STACK, config, deployed);
  if (run.error) return expect.fail(`${STACK} failed: ${run.error.stack}`);
  const outputs = run.result as Record<string, unknown>;
  const insideCidrs = (await resolve(outputs.tunnelInsideCidrs)).value as Record<
    string,
    Record<string, string[]>
  >;
  const registered = Object.fromEntries(
    run.resources
      .ofType(VPN)
      .map((r) => [r.name, [r.inputs.tunnel1InsideCidr, r.inputs.tunnel2InsideCidr] as string[]]),
  );
  return { run, insideCidrs, registered };
}

describe("connectivity stack: tunnel inside CIDRs persist across deployments", () => {
  it("outputs the inside CIDRs of every VPN connection by component and connection key", async function () {
    this.timeout(120000);
    const { insideCidrs, registered } = await runConnectivity(devConfig());
    expect(Object.keys(insideCidrs.dc).sort()).to.deep.equal(["dc1-1", "dc2-1"]);
    expect(insideCidrs.dc["dc1-1"]).to.deep.equal(registered["dc-dc1-1-vpn"]);
    expect(insideCidrs.dc["dc2-1"]).to.deep.equal(registered["dc-dc2-1-vpn"]);
  });

  it("reads them back from its own outputs: a connection keeps the CIDRs it was deployed with, and a new site goes elsewhere", async function () {
    this.timeout(120000);
    // What the last deployment left, as a StackReference to the stack itself reads it.
    const deployed: StackOutputs = {
      [SELF]: {
        tunnelInsideCidrs: {
          dc: {
            "dc1-1": ["169.254.77.0/30", "169.254.77.4/30"],
            "dc2-1": ["169.254.77.8/30", "169.254.77.12/30"],
          },
        },
      },
    };
    const { run, registered, insideCidrs } = await runConnectivity(
      withSite(devConfig(), "dc3", "198.51.100.30", 65003),
      deployed,
    );
    expect(run.reads.map((r) => r.id)).to.include(SELF);
    expect(registered["dc-dc1-1-vpn"]).to.deep.equal(["169.254.77.0/30", "169.254.77.4/30"]);
    expect(registered["dc-dc2-1-vpn"]).to.deep.equal(["169.254.77.8/30", "169.254.77.12/30"]);
    expect(registered["dc-dc3-1-vpn"]).to.have.length(2);
    const kept = ["169.254.77.0/30", "169.254.77.4/30", "169.254.77.8/30", "169.254.77.12/30"];
    for (const cidr of registered["dc-dc3-1-vpn"]) expect(kept).not.to.include(cidr);
    expect(insideCidrs.dc["dc1-1"]).to.deep.equal(["169.254.77.0/30", "169.254.77.4/30"]);
  });

  it("refuses an own output of the wrong shape before anything registers, naming the output", async function () {
    this.timeout(120000);
    const run = await runStackProgram(STACK, devConfig(), {
      [SELF]: { tunnelInsideCidrs: ["169.254.77.0/30"] },
    });
    expect(run.error?.message ?? "").to.match(
      /^connectivity-dev: 1 invalid argument\n {2}stack output connectivity-dev\.tunnelInsideCidrs = \["169\.254\.77\.0\/30"\]: tunnel inside CIDRs by VPN component/,
    );
    expect(run.resources.all.map((r) => r.type)).to.deep.equal([]);
  });

  it("refuses a read-back inside CIDR that is not a tunnel inside CIDR, at the component's argument path", async function () {
    this.timeout(120000);
    const run = await runStackProgram(STACK, devConfig(), {
      [SELF]: { tunnelInsideCidrs: { dc: { "dc1-1": ["169.254.169.252/30", "169.254.77.4/30"] } } },
    });
    expect(run.error?.message ?? "").to.include(
      'hybridnet:index:TransitGatewayVpn "dc": previousInsideCidrs.dc1-1[0] = "169.254.169.252/30": reserved by AWS',
    );
    expect(run.resources.all.map((r) => r.type)).to.deep.equal([]);
  });
});
