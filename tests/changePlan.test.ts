/**
 * Changing a live network: the change plan (model/changePlan) on real diffs — the same program planned twice
 * with one change — and `hybridnet plan --against` as a user runs it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { runUnderMocks } from "../cli/mockRuntime";
import type { PlanResult } from "../cli/plan";
import { HYBRIDNET_TRANSIT_GATEWAY_DEFAULTS } from "../components/TransitGatewayHub";
import { TransitGatewayVpn, type TransitGatewayVpnSite } from "../components/TransitGatewayVpn";
import { type ComparableStack, diffPlans } from "../model/changePlan";
import { hybridnet as run } from "./cli";
import { runProgram } from "./harness";

const VPN = "aws:ec2/vpnConnection:VpnConnection";
const CGW = "aws:ec2/customerGateway:CustomerGateway";

function site(over: Partial<TransitGatewayVpnSite> = {}): TransitGatewayVpnSite {
  return { ipAddress: "203.0.113.10", bgpAsn: 65010, prefixes: ["10.10.0.0/16"], ...over };
}

/** The VPN component planned with `sites`, as one stack of a change plan. */
async function planned(sites: Record<string, TransitGatewayVpnSite>): Promise<ComparableStack> {
  const run = await runProgram(
    () =>
      new TransitGatewayVpn("hub", {
        sites,
        transitGatewayId: "tgw-0123456789abcdef0",
        // The hub's settings: no default route table, so the tables below are the VPN's only ones.
        existingTransitGateway: HYBRIDNET_TRANSIT_GATEWAY_DEFAULTS,
        routeTables: {
          association: "tgw-rtb-0123456789abcdef0",
          propagation: { shared: "tgw-rtb-0fedcba987654321f" },
        },
      }),
    { stack: "connectivity-dev" },
  );
  if (run.error) throw run.error;
  return { name: "connectivity-dev", resources: run.resources.all };
}

const summary = (changes: ReturnType<typeof diffPlans>) =>
  changes.map(
    (c) =>
      `${c.kind} ${c.type.split(":").pop()} ${c.name}${c.forcedBy.length ? ` (${c.forcedBy.join(", ")})` : ""}`,
  );

describe("changing a live network: the change plan", () => {
  it("adds a site with additions only: nothing existing changes", async () => {
    const before = await planned({ dc1: site() });
    const after = await planned({
      dc1: site(),
      dc2: site({ ipAddress: "198.51.100.20", bgpAsn: 65020, prefixes: ["10.20.0.0/16"] }),
    });
    const changes = diffPlans([before], [after]);
    expect(changes.length).to.be.greaterThan(2);
    expect(changes.filter((c) => c.kind !== "add").map((c) => c.urn)).to.deep.equal([]);
    expect(changes.map((c) => c.name)).to.include.members(["hub-dc2-cgw", "hub-dc2-1-vpn"]);
    expect(changes.every((c) => !c.blocking)).to.equal(true);
  });

  it("flags switching a site from BGP to static as a replacement of its VPN connection, and blocks it", async () => {
    const before = await planned({ dc1: site() });
    const after = await planned({ dc1: site({ routing: "static" }) });
    const changes = diffPlans([before], [after]);
    const vpn = changes.find((c) => c.type === VPN)!;
    expect(vpn).to.include({ kind: "replace", name: "hub-dc1-1-vpn", stateful: true, blocking: true });
    expect(vpn.forcedBy).to.deep.equal(["staticRoutesOnly"]);
    expect(vpn.meaning).to.equal(
      "replaced (staticRoutesOnly changed) → new tunnel outside addresses and keys: the tunnels are down until the device is reconfigured",
    );
    // Allowed by type or by URN, the same change passes.
    expect(diffPlans([before], [after], [VPN]).some((c) => c.blocking)).to.equal(false);
    expect(diffPlans([before], [after], [vpn.urn]).some((c) => c.blocking)).to.equal(false);
  });

  it("moves a VPN connection in place to the new id of a replaced customer gateway", async () => {
    const before = await planned({ dc1: site() });
    const after = await planned({ dc1: site({ ipAddress: "203.0.113.99" }) });
    const changes = diffPlans([before], [after]);
    // Every customer gateway field forces a new gateway; ModifyVpnConnection takes a new customer gateway
    // and keeps the connection (its outside addresses), so the connection is updated, not replaced.
    expect(summary(changes)).to.deep.equal([
      "replace CustomerGateway hub-dc1-cgw (ipAddress)",
      "update VpnConnection hub-dc1-1-vpn",
    ]);
    const vpn = changes.find((c) => c.type === VPN)!;
    expect(vpn.changed).to.deep.equal(["customerGatewayId"]);
    expect(vpn.becauseOf).to.deep.equal([changes.find((c) => c.type === CGW)!.urn]);
    expect(changes.find((c) => c.type === CGW)).to.include({ blocking: true, stateful: true });
  });

  it("shows renaming a site key as a removal and an addition", async () => {
    const before = await planned({ dc1: site() });
    const after = await planned({ main: site() });
    const changes = diffPlans([before], [after]);
    const vpns = changes.filter((c) => c.type === VPN).map((c) => `${c.kind} ${c.name}`);
    expect(vpns.sort()).to.deep.equal(["add hub-main-1-vpn", "remove hub-dc1-1-vpn"]);
    expect(changes.find((c) => c.kind === "remove" && c.type === VPN)!.meaning).to.equal(
      "removed: traffic over this VPN connection stops",
    );
  });

  it("changes a pre-shared key in place, telling it only from keyed digests when the plan redacts secrets", async () => {
    const before = await planned({
      dc1: site({ tunnels: [{ presharedKey: "first.key.one" }, { presharedKey: "second.key.two" }] }),
    });
    const after = await planned({
      dc1: site({ tunnels: [{ presharedKey: "rotated.key.one" }, { presharedKey: "second.key.two" }] }),
    });
    const vpn = diffPlans([before], [after]).find((c) => c.type === VPN)!;
    expect(vpn).to.include({ kind: "update", blocking: false });
    expect(vpn.changed).to.deep.equal(["tunnel1PresharedKey"]);
    expect(vpn.meaning).to.equal(
      "modified in place: AWS applies tunnel changes one tunnel at a time, each tunnel restarts",
    );
    // As plans show it: "[secret]" on both sides, with and without digests.
    const redact = (s: ComparableStack, digest?: string): ComparableStack => ({
      name: s.name,
      resources: s.resources.map((r) =>
        r.type === VPN
          ? {
              ...r,
              inputs: { ...r.inputs, tunnel1PresharedKey: "[secret]", tunnel2PresharedKey: "[secret]" },
              ...(digest
                ? { secretDigests: { tunnel1PresharedKey: digest, tunnel2PresharedKey: "d2" } }
                : {}),
            }
          : r,
      ),
    });
    const blind = diffPlans([redact(before)], [redact(after)]).find((c) => c.type === VPN)!;
    expect(blind.changed).to.deep.equal([]);
    expect(blind.uncompared).to.deep.equal(["tunnel1PresharedKey", "tunnel2PresharedKey"]);
    const keyed = diffPlans([redact(before, "d1")], [redact(after, "d1-rotated")]).find(
      (c) => c.type === VPN,
    )!;
    expect(keyed.changed).to.deep.equal(["tunnel1PresharedKey"]);
    expect(keyed.kind).to.equal("update");
  });
});

describe("changing a live network: renames AWS refuses", () => {
  const route = (name: string, destination: string): ComparableStack["resources"][number] => ({
    type: "aws:ec2/route:Route",
    name,
    urn: `urn:pulumi:connectivity-dev::hybridnet::aws:ec2/route:Route::${name}`,
    id: `r-${name}`,
    inputs: {
      routeTableId: "rtb-0123456789abcdef0",
      destinationCidrBlock: destination,
      transitGatewayId: "tgw-1",
    },
  });
  const stack = (...resources: ComparableStack["resources"]): ComparableStack => ({
    name: "connectivity-dev",
    resources,
  });

  it("blocks a route renamed with the same table and destination: the new one would be refused while the old exists", () => {
    // A zone key that changed from a name to an id renames every route built from it.
    const changes = diffPlans(
      [stack(route("shared-private-us-east-1a-172-16-0-0-16", "172.16.0.0/16"))],
      [stack(route("shared-private-use1-az1-172-16-0-0-16", "172.16.0.0/16"))],
    );
    expect(changes.map((c) => `${c.kind} ${c.name} ${c.blocking}`)).to.deep.equal([
      "add shared-private-use1-az1-172-16-0-0-16 true",
      "remove shared-private-us-east-1a-172-16-0-0-16 false",
    ]);
    expect(changes[0].meaning).to.equal(
      'the same AWS resource as shared-private-us-east-1a-172-16-0-0-16, renamed: AWS holds one route per table and destination, and the new one is created before the old one is deleted, so the apply fails; alias the old name (aliases: [{ name: "shared-private-us-east-1a-172-16-0-0-16" }])',
    );
    // A route to another destination is a plain addition and removal.
    const moved = diffPlans([stack(route("a", "172.16.0.0/16"))], [stack(route("b", "172.17.0.0/16"))]);
    expect(moved.map((c) => `${c.kind} ${c.blocking}`)).to.deep.equal(["add false", "remove false"]);
  });
});

describe("secret digests in a plan", () => {
  const program = (key: string) => () =>
    new TransitGatewayVpn("hub", {
      sites: { dc1: site({ tunnels: [{ presharedKey: key }, { presharedKey: "second.key.two" }] }) },
    });
  const vpnOf = async (key: string) =>
    (await runUnderMocks(program(key), { stack: "connectivity-dev", secrets: "redact" })).resources.find(
      (r) => r.type === VPN,
    )!;

  it("records keyed digests of secret inputs only with HYBRIDNET_PLAN_KEY, never the value", async () => {
    const saved = process.env.HYBRIDNET_PLAN_KEY;
    try {
      delete process.env.HYBRIDNET_PLAN_KEY;
      const plain = await vpnOf("first.key.one");
      expect(plain.inputs.tunnel1PresharedKey).to.equal("[secret]");
      expect(plain.secretDigests).to.equal(undefined);
      process.env.HYBRIDNET_PLAN_KEY = "ci-secret";
      const [a, b, rotated] = [
        await vpnOf("first.key.one"),
        await vpnOf("first.key.one"),
        await vpnOf("rotated.key.one"),
      ];
      expect(a.secretDigests?.tunnel1PresharedKey).to.match(/^[0-9a-f]{64}$/);
      expect(a.secretDigests).to.deep.equal(b.secretDigests);
      expect(rotated.secretDigests?.tunnel1PresharedKey).not.to.equal(a.secretDigests?.tunnel1PresharedKey);
      expect(rotated.secretDigests?.tunnel2PresharedKey).to.equal(a.secretDigests?.tunnel2PresharedKey);
      expect(JSON.stringify(rotated)).not.to.include("rotated.key.one");
    } finally {
      if (saved === undefined) delete process.env.HYBRIDNET_PLAN_KEY;
      else process.env.HYBRIDNET_PLAN_KEY = saved;
    }
  });
});

describe("hybridnet plan --against", function () {
  this.timeout(240_000);

  it("lists the replacement a config change forces, fails on it, and passes when it is allowed", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "hybridnet-against-"));
    expect(run("plan", "--env", "dev", "--json", "--out", out).code).to.equal(0);
    const before = path.join(out, "plan.json");
    // The same environment, dc1 moved to an accelerated VPN (enableAcceleration replaces the connection).
    const changed = path.join(__dirname, "fixtures", "accelerated");
    const plan = run("plan", "--env", "dev", "--stacks", changed, "--against", before);
    expect(plan.code, plan.stderr).to.equal(1);
    expect(plan.stdout).to.match(
      /^ {4}± VpnConnection dc-dc1-1-vpn: replaced \(enableAcceleration changed\) → new tunnel outside addresses and keys: the tunnels are down until the device is reconfigured {2}\[BLOCKING: --allow-replace to accept\]$/m,
    );
    expect(plan.stdout).to.match(/— FAIL: blocking changes \(stateful replacements, renames AWS refuses\)$/m);
    const allowed = run(
      "plan",
      "--env",
      "dev",
      "--stacks",
      changed,
      "--against",
      before,
      "--allow-replace",
      "aws:ec2/vpnConnection:VpnConnection",
      "--json",
    );
    expect(allowed.code, allowed.stderr).to.equal(0);
    const result = JSON.parse(allowed.stdout) as PlanResult;
    expect(result.summary.changes).to.deep.include({ replace: 1, blocking: 0 });
    expect(result.changes!.filter((c) => c.kind === "replace").map((c) => c.name)).to.deep.equal([
      "dc-dc1-1-vpn",
    ]);
    expect(run("plan", "--env", "dev", "--allow-replace", "x").code).to.equal(2);
  });
});
