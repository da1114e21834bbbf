/**
 * Tunnel inside CIDRs never move: `tunnelN_inside_cidr` forces a new VPN connection (new outside addresses,
 * an outage until the device is reconfigured), so what one run allocated the next run keeps, whatever sites
 * are added around it.
 */
import { expect } from "chai";
import { ManagedVpn } from "../components/ManagedVpn";
import { TransitGatewayVpn, type TransitGatewayVpnSite } from "../components/TransitGatewayVpn";
import { allocateTunnelInsideCidrs, type Cidr, parseCidr } from "../model/addressing";
import { ValidationError } from "../model/errors";
import { planVpnSites, type TransitGatewaySiteSpec, type VpnPlan } from "../model/vpn";
import { resolve } from "./harness";
import { builtBy, refusedBy } from "./refusals";

const texts = (r: Record<string, Cidr>) => Object.fromEntries(Object.entries(r).map(([k, c]) => [k, c.text]));

/** Tunnel keys as model/vpn names them: `<component>/<connection>/tunnel<n>`. */
const tunnelKeys = (sites: number) =>
  Array.from({ length: sites }, (_, i) => [`dc/site-${i}/tunnel1`, `dc/site-${i}/tunnel2`]).flat();

/** Every key both runs allocated whose CIDR differs: the tunnels a run would have replaced. */
function moved(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(before).filter((k) => k in after && after[k] !== before[k]);
}

describe("tunnel inside CIDR allocation is monotonic", () => {
  describe("allocateTunnelInsideCidrs with the previous run's allocation", () => {
    it("moves no tunnel while 100 sites are added one at a time, each run fed the previous one", () => {
      // 169.254.100.0/22: 256 /30s, none reserved (the reserved ones are 169.254.0-5.0/30 and 169.254.169.252/30).
      const pool = parseCidr("169.254.100.0/22");
      let previous: Record<string, string> = {};
      const moves: string[] = [];
      for (let n = 1; n <= 100; n++) {
        const now = texts(allocateTunnelInsideCidrs(tunnelKeys(n), { pool, previous }));
        moves.push(...moved(previous, now));
        expect(Object.keys(now)).to.have.length(2 * n);
        expect(new Set(Object.values(now)).size, `run ${n}: every tunnel its own /30`).to.equal(2 * n);
        previous = now;
      }
      expect(moves).to.deep.equal([]);
      for (const cidr of Object.values(previous)) {
        const c = parseCidr(cidr);
        expect(c.prefix, cidr).to.equal(30);
        expect(c.first >= pool.first && c.last <= pool.last, cidr).to.equal(true);
      }
    });

    it("needs the previous run: hash slots alone move tunnels as sites are added (the fault)", () => {
      const pool = parseCidr("169.254.100.0/24");
      let previous: Record<string, string> = {};
      let moves = 0;
      for (let n = 1; n <= 30; n++) {
        const now = texts(allocateTunnelInsideCidrs(tunnelKeys(n), { pool }));
        moves += moved(previous, now).length;
        previous = now;
      }
      expect(moves).to.be.greaterThan(0);
    });

    it("gives the same answer for the same keys and previous allocation, in any order", () => {
      const pool = parseCidr("169.254.100.0/24");
      const previous = { "dc/site-3/tunnel1": "169.254.100.0/30", "dc/site-3/tunnel2": "169.254.100.4/30" };
      const keys = tunnelKeys(12);
      const a = texts(allocateTunnelInsideCidrs(keys, { pool, previous }));
      const b = texts(allocateTunnelInsideCidrs([...keys].reverse(), { pool, previous }));
      expect(a).to.deep.equal(b);
      expect(a["dc/site-3/tunnel1"]).to.equal("169.254.100.0/30");
      expect(a["dc/site-3/tunnel2"]).to.equal("169.254.100.4/30");
    });

    it("keeps a removed tunnel's CIDR out of this run: its connection is deleted only after the new ones exist", () => {
      // A /29 pool holds two /30s: both were allocated; the site that held them is being removed.
      const pool = parseCidr("169.254.100.0/29");
      const previous = { "dc/old/tunnel1": "169.254.100.0/30", "dc/old/tunnel2": "169.254.100.4/30" };
      expect(() => allocateTunnelInsideCidrs(["dc/new/tunnel1"], { pool, previous })).to.throw(
        /no free \/30 left/,
      );
      // The run after, the removed site is gone from the previous allocation and its CIDRs are free again.
      expect(texts(allocateTunnelInsideCidrs(["dc/new/tunnel1"], { pool, previous: {} }))).to.have.property(
        "dc/new/tunnel1",
      );
    });
  });

  describe("planVpnSites with previousInsideCidrs", () => {
    const site = (i: number): TransitGatewaySiteSpec => ({
      ipAddress: `203.0.113.${i + 1}`,
      bgpAsn: 65001 + i,
      prefixes: [`10.${i}.0.0/16`],
    });
    const sitesUpTo = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, site(i)]));
    const allocated = (plan: VpnPlan) =>
      Object.fromEntries(
        plan.sites.flatMap((s) => s.connections.map((c) => [c.key, c.tunnels.map((t) => t.insideCidr)])),
      ) as Record<string, string[]>;

    it("moves no tunnel while 50 transit gateway sites (the region's default quota) are added one at a time", () => {
      let previous: Record<string, string[]> = {};
      const moves: string[] = [];
      for (let n = 1; n <= 50; n++) {
        const plan = planVpnSites("where", "dc", sitesUpTo(n), {
          gateway: "tgw",
          // 128 /30s for 100 tunnels.
          insideCidrPool: "169.254.100.0/23",
          previousInsideCidrs: previous,
        });
        const now = allocated(plan);
        for (const [key, cidrs] of Object.entries(previous))
          if (JSON.stringify(now[key]) !== JSON.stringify(cidrs)) moves.push(key);
        previous = now;
      }
      expect(moves).to.deep.equal([]);
      expect(Object.keys(previous)).to.have.length(50);
    });

    it("moves no tunnel on a virtual private gateway as 10 sites are added", () => {
      let previous: Record<string, string[]> = {};
      for (let n = 1; n <= 10; n++) {
        const plan = planVpnSites("where", "vgw", sitesUpTo(n), {
          gateway: "vgw",
          insideCidrPool: "169.254.100.0/25",
          previousInsideCidrs: previous,
        });
        const now = allocated(plan);
        for (const [key, cidrs] of Object.entries(previous)) expect(now[key], key).to.deep.equal(cidrs);
        previous = now;
      }
    });

    it("refuses a previous allocation that is not a tunnel inside CIDR or lies outside the pool, naming it", () => {
      let error: unknown;
      try {
        planVpnSites(
          'hybridnet:index:TransitGatewayVpn "dc"',
          "dc",
          { s0: site(0) },
          {
            gateway: "tgw",
            insideCidrPool: "169.254.100.0/24",
            previousInsideCidrs: { "s0-1": ["169.254.200.0/30", "169.254.100.1/30"] },
          },
        );
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ValidationError);
      const problems = (error as ValidationError).problems;
      expect(problems.map((p) => p.path)).to.deep.equal([
        "previousInsideCidrs.s0-1[0]",
        "previousInsideCidrs.s0-1[1]",
      ]);
      expect(problems[0].value).to.equal("169.254.200.0/30");
      expect(problems[0].allowed).to.include("outside insideCidrPool 169.254.100.0/24");
      expect(problems[1].allowed).to.include("host bits are set; the network is 169.254.100.0/30");
    });

    it("refuses a pinned inside CIDR that another tunnel already holds, instead of moving that tunnel", () => {
      let error: unknown;
      try {
        planVpnSites(
          "where",
          "vgw",
          { s0: site(0), s1: { ...site(1), tunnels: [{ insideCidr: "169.254.100.0/30" }] } },
          {
            gateway: "vgw",
            previousInsideCidrs: { s0: ["169.254.100.0/30", "169.254.100.4/30"] },
          },
        );
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ValidationError);
      const problem = (error as ValidationError).problems[0];
      expect(problem.path).to.equal("sites.s1.tunnels[0].insideCidr");
      expect(problem.allowed).to.include("allocated to s0 tunnel 1");
    });
  });

  describe("components take previousInsideCidrs and output insideCidrs", () => {
    const VPN = "aws:ec2/vpnConnection:VpnConnection";
    const site = (i: number): TransitGatewayVpnSite => ({
      ipAddress: `203.0.113.${i + 1}`,
      bgpAsn: 65001 + i,
      prefixes: [`10.${i}.0.0/16`],
    });
    const sitesUpTo = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, site(i)]));

    it("TransitGatewayVpn: the connections of earlier runs keep their inside CIDRs as sites are added", async () => {
      let previous: Record<string, string[]> = {};
      for (let n = 1; n <= 6; n++) {
        const { resources, result } = await builtBy(
          () =>
            new TransitGatewayVpn("dc", {
              sites: sitesUpTo(n),
              insideCidrPool: "169.254.100.0/26",
              previousInsideCidrs: previous,
            }),
        );
        const registered = Object.fromEntries(
          resources
            .ofType(VPN)
            .map((r) => [
              r.name.replace(/^dc-|-vpn$/g, ""),
              [r.inputs.tunnel1InsideCidr, r.inputs.tunnel2InsideCidr],
            ]),
        );
        for (const [key, cidrs] of Object.entries(previous))
          expect(registered[key], key).to.deep.equal(cidrs);
        const output = (await resolve(result.insideCidrs)).value;
        expect(output).to.deep.equal(registered);
        previous = output;
      }
      expect(Object.keys(previous)).to.have.length(6);
    });

    it("ManagedVpn: keeps a previous allocation and refuses one outside the pool before registering anything", async () => {
      const args = {
        vpcId: "vpc-0123456789abcdef0",
        sites: { s0: site(0) },
        insideCidrPool: "169.254.100.0/24",
      };
      const { resources } = await builtBy(
        () =>
          new ManagedVpn("corp", {
            ...args,
            previousInsideCidrs: { s0: ["169.254.100.200/30", "169.254.100.8/30"] },
          }),
      );
      expect(resources.ofType(VPN)[0].inputs).to.include({
        tunnel1InsideCidr: "169.254.100.200/30",
        tunnel2InsideCidr: "169.254.100.8/30",
      });
      const error = await refusedBy(
        () =>
          new ManagedVpn("corp", {
            ...args,
            previousInsideCidrs: { s0: ["169.254.7.0/30", "169.254.100.8/30"] },
          }),
        'hybridnet:index:ManagedVpn "corp"',
      );
      expect(error.message).to.include(
        '  previousInsideCidrs.s0[0] = "169.254.7.0/30": outside insideCidrPool 169.254.100.0/24',
      );
    });
  });
});
