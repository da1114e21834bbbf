/**
 * A VPN on a virtual private gateway with no VPC route table to propagate into carries nothing: the component
 * warns, naming itself and what to do.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ManagedVpn, type ManagedVpnArgs } from "../components/ManagedVpn";
import { vgwPropagationWarning } from "../model/vpn";
import { builtBy } from "./refusals";

const args = (over: Partial<ManagedVpnArgs> = {}): ManagedVpnArgs => ({
  vpcId: "vpc-0123456789abcdef0",
  sites: { dc1: { ipAddress: "203.0.113.10", bgpAsn: 65010, prefixes: ["10.10.0.0/16"] } },
  ...over,
});

/** The warnings the program logs while `build` runs (recorded by the mock runtime, not printed). */
async function warnings(build: () => unknown): Promise<string[]> {
  const { logs } = await builtBy(build);
  return logs.filter((l) => l.level === "warning").map((l) => l.message);
}

describe("VGW VPN with no route table to propagate into", () => {
  it("warns when routeTableIds is left out or empty", async () => {
    for (const over of [{}, { routeTableIds: {} }]) {
      const logged = await warnings(() => new ManagedVpn("corp", args(over)));
      expect(logged).to.have.length(1);
      expect(logged[0]).to.match(
        /^hybridnet:index:ManagedVpn "corp": routeTableIds names no VPC route table, so the virtual private gateway propagates the on-premises routes nowhere/,
      );
    }
  });

  it("does not warn when a route table is named", async () => {
    const logged = await warnings(
      () => new ManagedVpn("corp", args({ routeTableIds: { private: "rtb-0123456789abcdef0" } })),
    );
    expect(logged).to.deep.equal([]);
  });

  it("is a pure rule: named tables (ids may be Outputs) answer undefined", () => {
    expect(vgwPropagationWarning("w", { a: pulumi.output("rtb-1") })).to.equal(undefined);
    expect(vgwPropagationWarning("w", undefined)).to.include("w: routeTableIds names no VPC route table");
  });
});
