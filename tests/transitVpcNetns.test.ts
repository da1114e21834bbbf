/**
 * The transit VPC's routing in real FRR: one appliance instance (the "hub" namespace, its frr.conf rendered by
 * `renderStrongswan` from `transitDeviceSite`) and two spoke "VGW" sides (FRR as tests/netns/awsSide renders the
 * AWS end, both on ASN 64512, the VGWs' default), each joined to the hub by a veth carrying its two tunnels'
 * inside /30s. BGP only: the tunnels' IPsec is what the other namespace tests prove with the same renderer, so
 * here the inside addresses sit on the veths directly. The test watches all four sessions establish, spoke A's
 * CIDR reach spoke B through the appliance (its path `65000 65000`, after `as-override`), and spoke B lose it
 * when the override is taken off (a VGW drops a path holding its own ASN). Needs root, network namespaces and
 * FRR; elsewhere it says "skipped: needs root and network namespaces".
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import type { DeviceSite } from "../model/deviceConfig/site";
import { renderStrongswan } from "../model/deviceConfig/strongswan";
import { planTransitVpc, type TransitVpcPlan, transitDeviceSite } from "../model/softwareVpn/transitVpc";
import { awsFrr } from "./netns/awsSide";
import { LabSide, labUnavailable, run, waitFor } from "./netns/lab";

const SKIPPED = "skipped: needs root and network namespaces";
const WHERE = 'hybridnet:index:TransitVpc "lab"';
const HUB = "10.0.0.0/16";
const SPOKE = { a: "10.1.0.0/16", b: "10.2.0.0/16" } as const;
type Spoke = keyof typeof SPOKE;

interface BgpSummary {
  ipv4Unicast: { peers: Record<string, { state: string }> };
}
interface BgpTable {
  routes: Record<string, { path?: string; aspath?: { string: string } }[]>;
}

/** The spoke VGW's view: the appliance primary's connection to it, the spoke's own CIDR as the "AWS" prefix. */
function spokeSite(hub: DeviceSite, plan: TransitVpcPlan, spoke: Spoke): DeviceSite {
  return {
    ...hub,
    awsAsn: plan.spokes.find((s) => s.key === spoke)?.amazonSideAsn ?? 0,
    awsPrefixes: [SPOKE[spoke]],
    connections: hub.connections.filter((c) => c.key === `${spoke}-primary`),
  };
}

describe("TransitVpc: an appliance between two spoke VGWs of one ASN, in FRR in network namespaces", function () {
  this.timeout(90000);
  const id = Math.random().toString(16).slice(2, 8);
  const root = mkdtempSync(join(tmpdir(), `hybridnet-transit-${id}-`));
  const sides = {
    hub: new LabSide(`hn-${id}-hub`, root, "hub"),
    a: new LabSide(`hn-${id}-sa`, root, "spoke-a"),
    b: new LabSide(`hn-${id}-sb`, root, "spoke-b"),
  };
  const created: string[] = [];
  let hub: DeviceSite;

  before(async function () {
    const why = await labUnavailable();
    if (why) {
      console.log(`      ${SKIPPED} (${why})`);
      this.skip();
    }
    const plan = planTransitVpc(WHERE, {
      hubCidrs: [HUB],
      spokes: { a: { vpcCidrs: [SPOKE.a] }, b: { vpcCidrs: [SPOKE.b] } },
    });
    expect(plan.asOverride, "both spokes on 64512").to.equal(true);
    const connection = (n: number) => ({
      connectionId: `vpn-0${n}00000000000000`,
      outsideAddresses: [`203.0.113.${n}1`, `203.0.113.${n}2`],
      presharedKeys: [`labKey${n}1_0123456789`, `labKey${n}2_0123456789`],
    });
    hub = transitDeviceSite(plan, {
      stack: "lab",
      component: WHERE,
      role: "primary",
      outsideAddress: "198.51.100.7",
      connections: { a: connection(1), b: connection(2) },
    });
    // chmod: FRR's daemons run as the frr user and reach their directories under this one.
    await run("chmod", ["0755", root]);
    for (const side of Object.values(sides)) {
      await run("ip", ["netns", "add", side.ns]);
      created.push(side.ns);
      await side.ip("link", "set", "lo", "up");
    }
    for (const spoke of ["a", "b"] as const) {
      const hubLink = `hh${spoke}${id}`;
      const spokeLink = `hs${spoke}${id}`;
      await run("ip", ["link", "add", hubLink, "type", "veth", "peer", "name", spokeLink]);
      await run("ip", ["link", "set", hubLink, "netns", sides.hub.ns]);
      await run("ip", ["link", "set", spokeLink, "netns", sides[spoke].ns]);
      for (const t of spokeSite(hub, plan, spoke).connections.flatMap((c) => c.tunnels)) {
        const length = t.insideCidr.split("/")[1];
        await sides.hub.ip("address", "add", `${t.customerInsideAddress}/${length}`, "dev", hubLink);
        await sides[spoke].ip("address", "add", `${t.awsInsideAddress}/${length}`, "dev", spokeLink);
      }
      await sides.hub.ip("link", "set", hubLink, "up");
      await sides[spoke].ip("link", "set", spokeLink, "up");
    }
    await Promise.all([
      sides.hub.startFrr(renderStrongswan(hub).files["frr.conf"] ?? ""),
      sides.a.startFrr(awsFrr(spokeSite(hub, plan, "a"))),
      sides.b.startFrr(awsFrr(spokeSite(hub, plan, "b"))),
    ]);
  });

  after(async () => {
    await Promise.all(Object.values(sides).map((s) => s.stop()));
    for (const ns of created) await run("ip", ["netns", "del", ns]).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  const route = (side: LabSide, prefix: string) =>
    side.vtyshJson<BgpTable>("show ip bgp json").then((t) => t.routes?.[prefix] ?? []);

  it("establishes the appliance's four BGP sessions, two with each spoke VGW", async () => {
    const neighbours = hub.connections.flatMap((c) => c.tunnels.map((t) => t.awsInsideAddress));
    expect(neighbours).to.have.length(4);
    const states = await waitFor("four sessions Established", 45, async () => {
      const peers = (await sides.hub.vtyshJson<BgpSummary>("show bgp summary json")).ipv4Unicast?.peers ?? {};
      const up = neighbours.filter((n) => peers[n]?.state === "Established");
      return up.length === 4 ? up : undefined;
    });
    expect(states).to.deep.equal(neighbours);
  });

  it("carries spoke A's CIDR to spoke B through the appliance, with the shared ASN overridden", async () => {
    const atB = await waitFor(`${SPOKE.a} at spoke B`, 30, async () => {
      const paths = await route(sides.b, SPOKE.a);
      return paths.length > 0 ? paths : undefined;
    });
    expect(atB.map((p) => p.path ?? p.aspath?.string)).to.include("65000 65000");
    const atA = await waitFor(`${SPOKE.b} at spoke A`, 30, async () => {
      const paths = await route(sides.a, SPOKE.b);
      return paths.length > 0 ? paths : undefined;
    });
    expect(atA.length).to.be.greaterThan(0);
    // The hub's own CIDR reaches both spokes, originated by the appliance.
    expect((await route(sides.b, HUB)).map((p) => p.path ?? p.aspath?.string)).to.include("65000");
  });

  it("loses spoke A's CIDR at spoke B without as-override: the VGW drops a path holding its own ASN", async () => {
    const commands = ["configure terminal", "router bgp 65000", "address-family ipv4 unicast"];
    for (const t of hub.connections.flatMap((c) => c.tunnels))
      commands.push(`no neighbor ${t.awsInsideAddress} as-override`);
    await sides.hub.exec("vtysh", [
      "--vty_socket",
      join(sides.hub.dir, "frr"),
      ...commands.flatMap((c) => ["-c", c]),
    ]);
    await sides.hub.exec("vtysh", ["--vty_socket", join(sides.hub.dir, "frr"), "-c", "clear bgp * soft out"]);
    const gone = await waitFor(`${SPOKE.a} withdrawn at spoke B`, 30, async () =>
      (await route(sides.b, SPOKE.a)).length === 0 ? true : undefined,
    );
    expect(gone).to.equal(true);
    expect((await route(sides.b, HUB)).length, "the hub's CIDR still arrives").to.be.greaterThan(0);
  });
});
