import { expect } from "chai";
import { parseCidr, tunnelInsideCidrProblem } from "../model/addressing";
import { type Problem, Problems, ValidationError } from "../model/errors";
import { checkResourceKeys, RESOURCE_KEY_RULE } from "../model/names";
import { checkPortRules, type PortRule, portRuleKey } from "../model/securityGroups";
import {
  resolveTunnelOptions,
  SECURE_TUNNEL_DEFAULTS,
  type TunnelOptions,
  weakTunnelSettings,
} from "../model/tunnelOptions";
import {
  customerGatewayAddressProblem,
  DEFAULT_REGION_CONNECTION_QUOTA,
  type EcmpPlan,
  planEcmp,
  planVpnSites,
  type TransitGatewaySiteSpec,
  type VpnPlan,
} from "../model/vpn";

/** The problems a checker records; empty when it records none. */
function problemsOf(check: (problems: Problems) => void): readonly Problem[] {
  const problems = new Problems();
  check(problems);
  try {
    problems.throwIfAny("test");
  } catch (e) {
    return (e as ValidationError).problems;
  }
  return [];
}

const paths = (problems: readonly Problem[]) => problems.map((p) => p.path);

type Rules = Parameters<typeof planVpnSites>[3];
const TGW: Rules = { gateway: "tgw" };
const VGW: Rules = { gateway: "vgw" };

function site(over: Partial<TransitGatewaySiteSpec> = {}): TransitGatewaySiteSpec {
  return { ipAddress: "203.0.113.10", bgpAsn: 65010, prefixes: ["10.10.0.0/16"], ...over };
}

function plan(sites: Record<string, TransitGatewaySiteSpec>, rules: Rules = TGW): VpnPlan {
  return planVpnSites('hybridnet:index:TransitGatewayVpn "hub"', "hub", sites, rules);
}

/** The ValidationError a plan throws; fails the test when the plan is accepted. */
function planError(sites: Record<string, TransitGatewaySiteSpec>, rules: Rules = TGW): ValidationError {
  try {
    plan(sites, rules);
  } catch (e) {
    expect(e).to.be.instanceOf(ValidationError);
    return e as ValidationError;
  }
  return expect.fail("plan accepted");
}

function sized(input: Parameters<typeof planEcmp>[0]): EcmpPlan {
  const result = planEcmp(input);
  if ("problem" in result) return expect.fail(`refused: ${result.problem}`);
  return result;
}

function ecmpProblem(input: Parameters<typeof planEcmp>[0]): string {
  const result = planEcmp(input);
  if (!("problem" in result)) return expect.fail(`accepted: ${result.connections} connection(s)`);
  return result.problem;
}

const bgp = { routing: "bgp", ecmp: true, tunnelBandwidth: "standard", spareTunnels: 1 } as const;

/** `count` sites with distinct public addresses and prefixes. */
function manySites(count: number, over: Partial<TransitGatewaySiteSpec> = {}) {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `site-${String(i).padStart(3, "0")}`,
      site({
        ipAddress: `198.51.${100 + Math.floor(i / 250)}.${(i % 250) + 1}`,
        prefixes: [`10.${Math.floor(i / 256)}.${i % 256}.0/24`],
        ...over,
      }),
    ]),
  );
}

const allInside = (p: VpnPlan) =>
  p.sites.flatMap((s) => s.connections.flatMap((c) => c.tunnels.map((t) => t.insideCidr)));

describe("VPN planning (model/vpn)", () => {
  describe("planEcmp: how many VPN connections a transit gateway site gets", () => {
    it("gives 3 Gbps over BGP two connections: three 1.25 Gbps tunnels carry it and one is spare", () => {
      const result = sized({ ...bgp, requiredGbps: 3 });
      expect(result).to.include({
        requiredGbps: 3,
        perTunnelGbps: 1.25,
        connections: 2,
        activeTunnels: 4,
        spareTunnels: 1,
        capacityGbps: 5,
      });
      expect(result.reason).to.contain("3 Gbps needs 3 tunnel(s) of 1.25 Gbps plus 1 spare");
      expect(result.reason).to.contain("2 connection(s)");
    });

    it("drops the second connection when no spare tunnel is kept and two tunnels carry the load", () => {
      expect(sized({ ...bgp, requiredGbps: 2.5, spareTunnels: 1 }).connections).to.equal(2);
      expect(sized({ ...bgp, requiredGbps: 2.5, spareTunnels: 0 }).connections).to.equal(1);
    });

    it("fills tunnels exactly at their rated bandwidth and adds one just above it", () => {
      expect(sized({ ...bgp, requiredGbps: 1.25, spareTunnels: 0 }).activeTunnels).to.equal(2);
      expect(sized({ ...bgp, requiredGbps: 3.75, spareTunnels: 1 }).connections).to.equal(2);
      expect(sized({ ...bgp, requiredGbps: 3.76, spareTunnels: 1 }).connections).to.equal(3);
    });

    it("sizes large tunnels at 5 Gbps: 10 Gbps needs two tunnels plus a spare, so two connections", () => {
      const result = sized({ ...bgp, tunnelBandwidth: "large", requiredGbps: 10 });
      expect(result).to.include({ perTunnelGbps: 5, connections: 2, activeTunnels: 4, capacityGbps: 20 });
      expect(sized({ ...bgp, tunnelBandwidth: "large", requiredGbps: 3 }).connections).to.equal(1);
    });

    it("gives a site with no bandwidth one connection of two ECMP tunnels", () => {
      const result = sized({ ...bgp });
      expect(result).to.include({ requiredGbps: 0, connections: 1, activeTunnels: 2, capacityGbps: 2.5 });
      expect(result.reason).to.contain("no bandwidthGbps given");
    });

    it("keeps the load within the tunnels left when the spare tunnels are down, with no connection to spare", () => {
      for (const tunnelBandwidth of ["standard", "large"] as const)
        for (let spareTunnels = 0; spareTunnels <= 4; spareTunnels++)
          for (let tenths = 1; tenths <= 600; tenths += 7) {
            const requiredGbps = tenths / 10;
            const result = sized({ ...bgp, tunnelBandwidth, spareTunnels, requiredGbps });
            const survivors = result.activeTunnels - spareTunnels;
            expect(survivors * result.perTunnelGbps, `${requiredGbps} Gbps`).to.be.at.least(requiredGbps);
            const needed = Math.ceil(requiredGbps / result.perTunnelGbps - 1e-9) + spareTunnels;
            expect((result.connections - 1) * 2, `${requiredGbps} Gbps`).to.be.below(needed);
            expect(result.capacityGbps).to.equal(result.activeTunnels * result.perTunnelGbps);
          }
    });

    it("keeps one connection on static routing, where one tunnel carries the traffic", () => {
      const result = sized({ ...bgp, routing: "static", requiredGbps: 1.25 });
      expect(result).to.include({ connections: 1, activeTunnels: 1, capacityGbps: 1.25 });
      expect(result.reason).to.contain("static routing uses one tunnel at a time");
    });

    it("refuses static routing above one tunnel's bandwidth and says BGP with ECMP or large tunnels would carry it", () => {
      const problem = ecmpProblem({ ...bgp, routing: "static", requiredGbps: 2 });
      expect(problem).to.contain("2 Gbps exceeds one tunnel (1.25 Gbps)");
      expect(problem).to.contain("static routing uses one tunnel at a time");
      expect(problem).to.contain('use BGP with ECMP or tunnelBandwidth "large"');
      const large = ecmpProblem({ ...bgp, routing: "static", tunnelBandwidth: "large", requiredGbps: 6 });
      expect(large).to.contain("exceeds one tunnel (5 Gbps)");
      expect(large).not.to.contain("large");
      expect(
        sized({ ...bgp, routing: "static", tunnelBandwidth: "large", requiredGbps: 5 }).connections,
      ).to.equal(1);
    });

    it("refuses more than one tunnel's bandwidth when VPN ECMP is off on the transit gateway", () => {
      expect(sized({ ...bgp, ecmp: false }).connections).to.equal(1);
      expect(ecmpProblem({ ...bgp, ecmp: false, requiredGbps: 1.5 })).to.contain(
        "VPN ECMP is off on the transit gateway",
      );
    });

    it("refuses bandwidth that needs more connections than the regional quota of 50", () => {
      // 123.75 Gbps = 99 tunnels + 1 spare = 50 connections; 125 Gbps = 100 + 1 = 51.
      expect(sized({ ...bgp, requiredGbps: 123.75 }).connections).to.equal(DEFAULT_REGION_CONNECTION_QUOTA);
      const problem = ecmpProblem({ ...bgp, requiredGbps: 125 });
      expect(problem).to.contain("needs 51 VPN connections, above the default quota of 50 per region");
      expect(problem).to.contain("Direct Connect");
    });
  });

  describe("planVpnSites: sites, connections and tunnels", () => {
    it("plans one connection with two tunnels, usable inside addresses and the defaults filled in", () => {
      const p = plan({ dc1: { ipAddress: "203.0.113.10", prefixes: ["10.10.0.0/16"] } });
      expect(p.amazonSideAsn).to.equal(64512);
      expect(p.insideIpVersion).to.equal("ipv4");
      const [s] = p.sites;
      expect(s).to.include({ key: "dc1", bgpAsn: 65000, routing: "bgp", accelerated: false });
      expect(s.tunnelBandwidth).to.equal("standard");
      expect(s.tunnelOptions).to.deep.equal(SECURE_TUNNEL_DEFAULTS);
      expect(s.connections.map((c) => c.key)).to.deep.equal(["dc1-1"]);
      for (const t of s.connections[0].tunnels) {
        expect(tunnelInsideCidrProblem(t.insideCidr)).to.equal(undefined);
        const cidr = parseCidr(t.insideCidr);
        expect(parseCidr(`${t.awsInsideAddress}/32`).first).to.equal(cidr.first + 1n);
        expect(parseCidr(`${t.customerInsideAddress}/32`).first).to.equal(cidr.first + 2n);
        expect(t.presharedKeyGiven).to.equal(false);
      }
    });

    it("names virtual private gateway connections by the site alone and transit gateway ones by site and number", () => {
      const sites = { dc1: { ipAddress: "203.0.113.10", prefixes: ["10.10.0.0/16"] } };
      expect(plan(sites, VGW).sites[0].connections.map((c) => c.key)).to.deep.equal(["dc1"]);
      expect(plan(sites, TGW).sites[0].connections.map((c) => c.key)).to.deep.equal(["dc1-1"]);
      const ecmp = plan({ dc1: site({ bandwidthGbps: 3 }) });
      expect(ecmp.sites[0].connections.map((c) => c.key)).to.deep.equal(["dc1-1", "dc1-2"]);
      expect(ecmp.sites[0].ecmp?.connections).to.equal(2);
    });

    it("keeps every site's inside CIDRs when another site is added", () => {
      const before = plan({
        dc1: site(),
        dc3: site({ ipAddress: "203.0.113.30", prefixes: ["10.30.0.0/16"] }),
      });
      const after = plan({
        dc1: site(),
        dc2: site({ ipAddress: "203.0.113.20", prefixes: ["10.20.0.0/16"] }),
        dc3: site({ ipAddress: "203.0.113.30", prefixes: ["10.30.0.0/16"] }),
      });
      const bySite = (p: VpnPlan) => Object.fromEntries(p.sites.map((s) => [s.key, s.connections]));
      expect(bySite(after).dc1).to.deep.equal(bySite(before).dc1);
      expect(bySite(after).dc3).to.deep.equal(bySite(before).dc3);
      expect(after.sites.map((s) => s.key)).to.deep.equal(["dc1", "dc2", "dc3"]);
    });

    it("gives every tunnel of 25 ECMP sites (50 connections, the regional quota) its own inside CIDR, none reserved by AWS", () => {
      const p = plan(manySites(25, { bandwidthGbps: 2 }));
      const inside = allInside(p);
      expect(inside).to.have.length(25 * 2 * 2);
      expect(new Set(inside).size).to.equal(inside.length);
      for (const cidr of inside) expect(tunnelInsideCidrProblem(cidr), cidr).to.equal(undefined);
    });

    it("keeps a given inside CIDR and allocates the other tunnel around it", () => {
      const p = plan({
        dc1: site({ tunnels: [{ insideCidr: "169.254.10.0/30", presharedKey: "abcdefgh12" }] }),
      });
      const [t1, t2] = p.sites[0].connections[0].tunnels;
      expect(t1).to.deep.equal({
        insideCidr: "169.254.10.0/30",
        awsInsideAddress: "169.254.10.1",
        customerInsideAddress: "169.254.10.2",
        presharedKeyGiven: true,
      });
      expect(t2.insideCidr).not.to.equal("169.254.10.0/30");
      expect(t2.presharedKeyGiven).to.equal(false);
    });

    it("allocates from the given inside CIDR pool, and refuses a pool too small for the tunnels", () => {
      const p = plan({ dc1: site() }, { ...TGW, insideCidrPool: "169.254.100.0/29" });
      expect(allInside(p).sort()).to.deep.equal(["169.254.100.0/30", "169.254.100.4/30"]);
      const error = planError(
        { dc1: site({ bandwidthGbps: 3 }) },
        { ...TGW, insideCidrPool: "169.254.100.0/29" },
      );
      expect(error.problems).to.deep.include({
        path: "insideCidrPool",
        value: "169.254.100.0/29",
        allowed: "2 /30s for 4 tunnels; use a larger pool",
      });
    });

    it("refuses an inside CIDR pool outside 169.254.0.0/16", () => {
      const error = planError({ dc1: site() }, { ...TGW, insideCidrPool: "10.0.0.0/24" });
      expect(paths(error.problems)).to.deep.equal(["insideCidrPool"]);
      expect(error.problems[0].allowed).to.contain("169.254.0.0/16");
    });

    it("refuses the same given inside CIDR on two sites of a virtual private gateway", () => {
      const error = planError(
        {
          dc1: site({ tunnels: [{ insideCidr: "169.254.10.0/30" }] }),
          dc2: site({
            ipAddress: "203.0.113.20",
            prefixes: ["10.20.0.0/16"],
            tunnels: [{}, { insideCidr: "169.254.10.0/30" }],
          }),
        },
        VGW,
      );
      expect(error.problems).to.have.length(1);
      expect(error.problems[0].allowed).to.match(
        /^same inside CIDR as sites\.dc\d\.tunnels\[\d\]\.insideCidr; IPv4 inside CIDRs must be unique on a virtual private gateway/,
      );
    });

    it("takes the same given IPv4 inside CIDR on two sites of a transit gateway, where AWS does not require it unique", () => {
      const planned = plan({
        dc1: site({ tunnels: [{ insideCidr: "169.254.10.0/30" }] }),
        dc2: site({
          ipAddress: "203.0.113.20",
          prefixes: ["10.20.0.0/16"],
          tunnels: [{}, { insideCidr: "169.254.10.0/30" }],
        }),
      });
      const dc1 = planned.sites.find((s) => s.key === "dc1")!.connections[0].tunnels[0].insideCidr;
      const dc2 = planned.sites.find((s) => s.key === "dc2")!.connections[0].tunnels[1].insideCidr;
      expect([dc1, dc2]).to.deep.equal(["169.254.10.0/30", "169.254.10.0/30"]);
    });

    it("still refuses one inside CIDR on both tunnels of one site, which its device cannot tell apart", () => {
      const error = planError({
        dc1: site({ tunnels: [{ insideCidr: "169.254.10.0/30" }, { insideCidr: "169.254.10.0/30" }] }),
      });
      expect(paths(error.problems)).to.deep.equal(["sites.dc1.tunnels[1].insideCidr"]);
      expect(error.problems[0].allowed).to.match(/^same inside CIDR as sites\.dc1\.tunnels\[0\]\.insideCidr/);
    });

    it("refuses the same given IPv6 inside CIDR on two sites of a transit gateway, where AWS requires it unique", () => {
      const v6 = { prefixes: ["fd10::/48"] };
      const error = planError(
        {
          dc1: site({ ...v6, tunnels: [{ insideCidr: "fd00::10/126" }] }),
          dc2: site({
            ...v6,
            ipAddress: "203.0.113.20",
            prefixes: ["fd20::/48"],
            tunnels: [{ insideCidr: "fd00::10/126" }],
          }),
        },
        { ...TGW, insideIpVersion: "ipv6" },
      );
      expect(paths(error.problems)).to.deep.equal(["sites.dc2.tunnels[0].insideCidr"]);
      expect(error.problems[0].allowed).to.contain("IPv6 inside CIDRs must be unique on a transit gateway");
    });

    it("refuses an AWS-reserved inside CIDR, naming the tunnel", () => {
      const error = planError({ dc1: site({ tunnels: [{}, { insideCidr: "169.254.169.252/30" }] }) });
      expect(paths(error.problems)).to.deep.equal(["sites.dc1.tunnels[1].insideCidr"]);
      expect(error.problems[0].allowed).to.match(/^reserved by AWS/);
    });

    it("refuses a fixed inside CIDR on a site that gets several ECMP connections", () => {
      const error = planError({
        dc1: site({ bandwidthGbps: 3, tunnels: [{ insideCidr: "169.254.10.0/30" }] }),
      });
      expect(error.problems[0].path).to.equal("sites.dc1.tunnels[0].insideCidr");
      expect(error.problems[0].allowed).to.contain("gets 2 ECMP connections");
    });

    it("refuses more VPN connections than the regional quota of 50 across all transit gateway sites", () => {
      const error = planError(manySites(26, { bandwidthGbps: 2 }));
      expect(error.problems).to.deep.equal([
        {
          path: "sites",
          value: "52 VPN connections",
          allowed:
            "at most 50 VPN connections per region (AWS default quota) across all sites; lower bandwidthGbps or use Direct Connect",
        },
      ]);
    });

    it("checks on-premises prefixes against the tunnels' IP version: IPv6 networks for IPv6 tunnels", () => {
      const p = plan({ dc1: site({ prefixes: ["fd12:3456::/48"] }) }, { ...TGW, insideIpVersion: "ipv6" });
      expect(p.sites[0].prefixes).to.deep.equal(["fd12:3456::/48"]);
      const error = planError(
        { dc1: site({ prefixes: ["10.10.0.0/16"] }) },
        { ...TGW, insideIpVersion: "ipv6" },
      );
      expect(paths(error.problems)).to.deep.equal(["sites.dc1.prefixes[0]"]);
      expect(error.problems[0].allowed).to.contain("IPv4 where IPv6 is required");
    });

    it("plans IPv6 tunnels as /126 blocks in fd00::/8 on a transit gateway and refuses them on a virtual private gateway", () => {
      const p = plan({ dc1: site({ prefixes: ["fd12:3456::/48"] }) }, { ...TGW, insideIpVersion: "ipv6" });
      expect(p.insideIpVersion).to.equal("ipv6");
      for (const cidr of allInside(p)) expect(tunnelInsideCidrProblem(cidr, 6), cidr).to.equal(undefined);
      const error = planError(
        { dc1: { ipAddress: "203.0.113.10", prefixes: ["10.10.0.0/16"] } },
        { ...VGW, insideIpVersion: "ipv6" },
      );
      expect(paths(error.problems)).to.deep.equal(["tunnelInsideIpVersion"]);
      expect(error.problems[0].allowed).to.contain("IPv6 tunnels need a transit gateway");
    });

    it("refuses a site ASN equal to the Amazon side ASN, since a BGP session needs two ASNs", () => {
      const error = planError({ dc1: site({ bgpAsn: 65100 }) }, { ...TGW, amazonSideAsn: 65100 });
      expect(error.problems).to.deep.equal([
        {
          path: "sites.dc1.bgpAsn",
          value: 65100,
          allowed: "equals the Amazon side ASN 65100; a BGP session needs two different ASNs",
        },
      ]);
      // Without amazonSideAsn the default 64512 applies.
      expect(paths(planError({ dc1: site({ bgpAsn: 64512 }) }).problems)).to.deep.equal(["sites.dc1.bgpAsn"]);
    });

    it("refuses a public Amazon side ASN and AWS-reserved customer ASNs, and takes 4-byte private ASNs", () => {
      expect(paths(planError({ dc1: site() }, { ...TGW, amazonSideAsn: 65535 }).problems)).to.deep.equal([
        "amazonSideAsn",
      ]);
      expect(paths(planError({ dc1: site({ bgpAsn: 7224 }) }).problems)).to.deep.equal(["sites.dc1.bgpAsn"]);
      const p = plan({ dc1: site({ bgpAsn: 4200000001 }) }, { ...TGW, amazonSideAsn: 4200000000 });
      expect(p.sites[0].bgpAsn).to.equal(4200000001);
      expect(p.amazonSideAsn).to.equal(4200000000);
    });

    it("refuses a customer gateway address that is not internet-routable, and two sites on one device", () => {
      expect(paths(planError({ dc1: site({ ipAddress: "10.0.0.1" }) }).problems)).to.deep.equal([
        "sites.dc1.ipAddress",
      ]);
      const error = planError({ dc1: site(), dc2: site({ prefixes: ["10.20.0.0/16"] }) });
      expect(error.problems).to.have.length(1);
      expect(error.problems[0]).to.include({ path: "sites.dc2.ipAddress", value: "203.0.113.10" });
      expect(error.problems[0].allowed).to.contain("also used by sites.dc1");
    });

    it("plans a site whose address is known only at deployment, leaving its check to the registration", () => {
      const later = { apply: "an Output stands here" };
      const planned = plan({
        dc1: site({ ipAddress: later as unknown as string }),
        dc2: site({ prefixes: ["10.20.0.0/16"] }),
      });
      expect(planned.sites.map((s) => [s.key, s.ipAddress])).to.deep.equal([
        ["dc1", undefined],
        ["dc2", "203.0.113.10"],
      ]);
      // Known addresses are checked as ever; when the Output resolves, the same rule applies.
      expect(customerGatewayAddressProblem({}, later)).to.equal(undefined);
      expect(customerGatewayAddressProblem({}, "10.0.0.1")).to.be.a("string");
      expect(customerGatewayAddressProblem({ outsideIpAddressType: "PrivateIpv4" }, "10.0.0.1")).to.equal(
        undefined,
      );
      expect(customerGatewayAddressProblem({}, "203.0.113.10")).to.equal(undefined);
    });

    it("refuses missing, repeated and misaligned on-premises prefixes", () => {
      expect(paths(planError({ dc1: site({ prefixes: [] }) }).problems)).to.deep.equal([
        "sites.dc1.prefixes",
      ]);
      const error = planError({ dc1: site({ prefixes: ["10.10.0.0/16", "10.10.0.0/16", "10.20.0.1/16"] }) });
      expect(error.problems.map((p) => [p.path, p.allowed])).to.deep.equal([
        ["sites.dc1.prefixes[1]", "listed twice; list each prefix once"],
        ["sites.dc1.prefixes[2]", "host bits are set; the network is 10.20.0.0/16"],
      ]);
    });

    it("refuses more than 100 prefixes on a virtual private gateway and takes them on a transit gateway", () => {
      const prefixes = Array.from({ length: 101 }, (_, i) => `10.${i}.0.0/16`);
      const sites = { dc1: { ipAddress: "203.0.113.10", prefixes } };
      const error = planError(sites, VGW);
      expect(paths(error.problems)).to.deep.equal(["sites.dc1.prefixes"]);
      expect(error.problems[0].allowed).to.contain("at most 100 routes");
      expect(plan(sites, TGW).sites[0].prefixes).to.have.length(101);
    });

    it("refuses on-premises prefixes that overlap the VPC", () => {
      const error = planError(
        { dc1: site({ prefixes: ["10.0.128.0/17", "192.168.0.0/16"] }) },
        {
          ...VGW,
          awsCidrs: ["10.0.0.0/16"],
        },
      );
      expect(error.problems).to.have.length(1);
      expect(error.problems[0].path).to.equal("sites.dc1.prefixes[0]");
      expect(error.problems[0].allowed).to.contain("overlaps the VPC CIDR 10.0.0.0/16 (vpcCidrs[0])");
    });

    it("refuses transit gateway options on a virtual private gateway site", () => {
      const error = planError(
        { dc1: site({ bandwidthGbps: 2, accelerated: true, tunnelBandwidth: "large", spareTunnels: 0 }) },
        VGW,
      );
      expect(paths(error.problems).sort()).to.deep.equal([
        "sites.dc1.accelerated",
        "sites.dc1.bandwidthGbps",
        "sites.dc1.spareTunnels",
        "sites.dc1.tunnelBandwidth",
      ]);
      for (const p of error.problems) expect(p.allowed).to.contain("only on a transit gateway");
    });

    it("refuses more VPN connections than the virtual private gateway quota unless the quota is raised", () => {
      const sites = manySites(11);
      const error = planError(sites, VGW);
      expect(error.problems).to.deep.include({
        path: "sites",
        value: "11 sites",
        allowed:
          "at most 10 VPN connections per virtual private gateway (AWS default quota); raise the quota and set vpnConnectionQuota",
      });
      expect(plan(sites, { ...VGW, connectionQuota: 11 }).sites).to.have.length(11);
    });

    it("refuses large tunnels with acceleration, unknown tunnel bandwidths, spare counts and bandwidths", () => {
      const error = planError({
        a: site({ ipAddress: "203.0.113.1", tunnelBandwidth: "large", accelerated: true }),
        b: site({ ipAddress: "203.0.113.2", tunnelBandwidth: "huge" as "large" }),
        c: site({ ipAddress: "203.0.113.3", spareTunnels: 5 }),
        d: site({ ipAddress: "203.0.113.4", bandwidthGbps: 0 }),
      });
      expect(error.problems.map((p) => p.path)).to.deep.equal([
        "sites.a.tunnelBandwidth",
        "sites.b.tunnelBandwidth",
        "sites.c.spareTunnels",
        "sites.d.bandwidthGbps",
      ]);
      expect(error.problems[0].allowed).to.contain("large tunnels cannot be accelerated");
    });

    it("refuses static routing above one tunnel's bandwidth on the site's bandwidth argument", () => {
      const error = planError({ dc1: site({ routing: "static", bandwidthGbps: 2 }) });
      expect(paths(error.problems)).to.deep.equal(["sites.dc1.bandwidthGbps"]);
      expect(error.problems[0].allowed).to.contain("use BGP with ECMP");
      expect(plan({ dc1: site({ routing: "static" }) }).sites[0].connections).to.have.length(1);
    });

    it("applies the VPN ECMP setting of the transit gateway to sizing", () => {
      expect(plan({ dc1: site() }, { ...TGW, ecmp: false }).sites[0].ecmp?.activeTunnels).to.equal(1);
      const error = planError({ dc1: site({ bandwidthGbps: 2 }) }, { ...TGW, ecmp: false });
      expect(error.problems[0].allowed).to.contain("VPN ECMP is off");
    });

    it("enforces CloudHub's BGP-only, unique-ASN and distinct-network rules", () => {
      const cloudHub: Rules = { ...VGW, cloudHub: true };
      const error = planError(
        {
          a: { ipAddress: "203.0.113.1", bgpAsn: 65001, prefixes: ["10.1.0.0/16"] },
          b: { ipAddress: "203.0.113.2", bgpAsn: 65001, prefixes: ["10.2.0.0/16"] },
          c: { ipAddress: "203.0.113.3", bgpAsn: 65003, prefixes: ["10.1.128.0/17"] },
          d: { ipAddress: "203.0.113.4", bgpAsn: 65004, prefixes: ["10.4.0.0/16"], routing: "static" },
        },
        cloudHub,
      );
      expect(error.problems.map((p) => p.path).sort()).to.deep.equal([
        "sites.b.bgpAsn",
        "sites.c.prefixes[0]",
        "sites.d.routing",
      ]);
    });

    it("refuses site keys that cannot name a resource, and an empty set of sites", () => {
      const error = planError({ "dc 1": site() });
      expect(error.problems).to.deep.include({
        path: "sites.dc 1",
        value: "dc 1",
        allowed: RESOURCE_KEY_RULE,
      });
      expect(paths(planError({}).problems)).to.deep.equal(["sites"]);
    });

    it("refuses more than two tunnel entries: a VPN connection has exactly two tunnels", () => {
      const error = planError({ dc1: site({ tunnels: [{}, {}, {}] }) });
      expect(paths(error.problems)).to.deep.equal(["sites.dc1.tunnels"]);
    });

    it("never prints a bad pre-shared key, only that it is a secret", () => {
      const error = planError({ dc1: site({ tunnels: [{ presharedKey: "0secretkey" }] }) });
      expect(error.problems[0]).to.include({ path: "sites.dc1.tunnels[0].presharedKey", secret: true });
      expect(error.message).to.contain("sites.dc1.tunnels[0].presharedKey = [secret]");
      expect(error.message).not.to.contain("0secretkey");
    });

    it("collects every problem of every site and throws once, naming the component", () => {
      const error = planError({
        dc1: site({ ipAddress: "10.0.0.1", bgpAsn: 64512 }),
        dc2: site({ ipAddress: "203.0.113.20", prefixes: ["not-a-cidr"] }),
      });
      expect(error.message.split("\n")[0]).to.equal(
        'hybridnet:index:TransitGatewayVpn "hub": 3 invalid arguments',
      );
      expect(paths(error.problems)).to.deep.equal([
        "sites.dc1.ipAddress",
        "sites.dc1.bgpAsn",
        "sites.dc2.prefixes[0]",
      ]);
      expect(error.message).to.contain(
        '  sites.dc1.ipAddress = "10.0.0.1": in 10.0.0.0/8, which is not internet-routable',
      );
    });

    it("runs the extra checks of the caller in the same error", () => {
      const error = (() => {
        try {
          planVpnSites("where", "hub", { dc1: site({ bgpAsn: 64512 }) }, TGW, (p) =>
            p.add("extra", 1, "never"),
          );
        } catch (e) {
          return e as ValidationError;
        }
        return expect.fail("plan accepted");
      })();
      expect(paths(error.problems)).to.deep.equal(["extra", "sites.dc1.bgpAsn"]);
    });
  });

  describe("resolveTunnelOptions and weakTunnelSettings", () => {
    const resolve = (options: TunnelOptions | undefined) => {
      let resolved = SECURE_TUNNEL_DEFAULTS;
      const problems = problemsOf((p) => {
        resolved = resolveTunnelOptions(options, "sites.dc1.tunnelOptions", p);
      });
      return { resolved, problems };
    };

    it("fills in the secure defaults: IKEv2, AES-256, SHA-2, DH 14–21, DPD restart", () => {
      const { resolved, problems } = resolve(undefined);
      expect(problems).to.deep.equal([]);
      expect(resolved).to.deep.equal(SECURE_TUNNEL_DEFAULTS);
      expect(resolved).to.include({ dpdTimeoutAction: "restart", phase1LifetimeSeconds: 28800 });
      expect(weakTunnelSettings(resolved)).to.deep.equal([]);
    });

    it("keeps given values, and a value given as undefined keeps its default", () => {
      const { resolved, problems } = resolve({ phase2LifetimeSeconds: 1800, ikeVersions: undefined });
      expect(problems).to.deep.equal([]);
      expect(resolved.phase2LifetimeSeconds).to.equal(1800);
      expect(resolved.ikeVersions).to.deep.equal(["ikev2"]);
      expect(resolved).not.to.have.property("allowLegacyCrypto");
    });

    it("refuses IKEv1, AES-128, SHA1 and DH group 2 unless legacy crypto is allowed", () => {
      const weak: TunnelOptions = {
        ikeVersions: ["ikev1", "ikev2"],
        phase1EncryptionAlgorithms: ["AES128"],
        phase2IntegrityAlgorithms: ["SHA1", "SHA2-256"],
        phase1DhGroupNumbers: [2, 14],
      };
      const { problems } = resolve(weak);
      expect(problems.map((p) => [p.path, p.value])).to.deep.equal([
        ["sites.dc1.tunnelOptions.ikeVersions", ["ikev1"]],
        ["sites.dc1.tunnelOptions.phase1EncryptionAlgorithms", ["AES128"]],
        ["sites.dc1.tunnelOptions.phase2IntegrityAlgorithms", ["SHA1"]],
        ["sites.dc1.tunnelOptions.phase1DhGroupNumbers", [2]],
      ]);
      for (const p of problems) expect(p.allowed).to.contain("allowLegacyCrypto: true");
      const allowed = resolve({ ...weak, allowLegacyCrypto: true });
      expect(allowed.problems).to.deep.equal([]);
      expect(allowed.resolved.ikeVersions).to.deep.equal(["ikev1", "ikev2"]);
    });

    it("refuses what AWS refuses even with legacy crypto allowed: DH group 5 in phase 1, unknown algorithms", () => {
      const { problems } = resolve({
        phase1DhGroupNumbers: [5],
        phase2DhGroupNumbers: [5],
        phase1EncryptionAlgorithms: ["3DES" as "AES256"],
        allowLegacyCrypto: true,
      });
      expect(paths(problems)).to.deep.equal([
        "sites.dc1.tunnelOptions.phase1EncryptionAlgorithms",
        "sites.dc1.tunnelOptions.phase1DhGroupNumbers",
      ]);
    });

    it("refuses empty and repeated lists", () => {
      const { problems } = resolve({ ikeVersions: [], phase1IntegrityAlgorithms: ["SHA2-256", "SHA2-256"] });
      expect(problems.map((p) => [p.path, p.allowed])).to.deep.equal([
        ["sites.dc1.tunnelOptions.ikeVersions", "a non-empty list of ikev1, ikev2"],
        ["sites.dc1.tunnelOptions.phase1IntegrityAlgorithms", "each value once"],
      ]);
    });

    it("holds lifetimes, DPD, replay window and fuzz to AWS's ranges, at both edges", () => {
      const ok = resolve({
        phase1LifetimeSeconds: 901,
        phase2LifetimeSeconds: 900,
        dpdTimeoutSeconds: 30,
        replayWindowSize: 64,
        rekeyFuzzPercentage: 0,
        rekeyMarginTimeSeconds: 60,
      });
      expect(ok.problems).to.deep.equal([]);
      const bad = resolve({
        phase1LifetimeSeconds: 28801,
        phase2LifetimeSeconds: 899,
        dpdTimeoutSeconds: 29,
        replayWindowSize: 2049,
        rekeyFuzzPercentage: 101,
        rekeyMarginTimeSeconds: 59,
      });
      expect(paths(bad.problems).sort()).to.deep.equal(
        [
          "phase1LifetimeSeconds",
          "phase2LifetimeSeconds",
          "dpdTimeoutSeconds",
          "replayWindowSize",
          "rekeyFuzzPercentage",
          "rekeyMarginTimeSeconds",
        ]
          .map((f) => `sites.dc1.tunnelOptions.${f}`)
          .sort(),
      );
    });

    it("refuses a phase 2 lifetime that is not below the phase 1 lifetime", () => {
      const { problems } = resolve({ phase1LifetimeSeconds: 3600, phase2LifetimeSeconds: 3600 });
      expect(problems).to.deep.equal([
        {
          path: "sites.dc1.tunnelOptions.phase2LifetimeSeconds",
          value: 3600,
          allowed: "less than the phase 1 lifetime (3600 s)",
        },
      ]);
      expect(resolve({ phase1LifetimeSeconds: 3601, phase2LifetimeSeconds: 3600 }).problems).to.deep.equal(
        [],
      );
    });

    it("caps the rekey margin at half the phase 2 lifetime", () => {
      expect(resolve({ phase2LifetimeSeconds: 1800, rekeyMarginTimeSeconds: 900 }).problems).to.deep.equal(
        [],
      );
      const { problems } = resolve({ phase2LifetimeSeconds: 1800, rekeyMarginTimeSeconds: 901 });
      expect(problems.map((p) => [p.path, p.allowed])).to.deep.equal([
        ["sites.dc1.tunnelOptions.rekeyMarginTimeSeconds", "an integer in 60–900"],
      ]);
    });

    it("refuses AWS starting IKE over IKEv1, and unknown DPD and startup actions", () => {
      const start = resolve({ startupAction: "start", ikeVersions: ["ikev1"], allowLegacyCrypto: true });
      expect(start.problems.map((p) => p.path)).to.deep.equal(["sites.dc1.tunnelOptions.startupAction"]);
      expect(start.problems[0].allowed).to.contain("IKEv2");
      expect(resolve({ startupAction: "start" }).problems).to.deep.equal([]);
      const unknown = resolve({ dpdTimeoutAction: "hold" as "clear", startupAction: "go" as "add" });
      expect(paths(unknown.problems)).to.deep.equal([
        "sites.dc1.tunnelOptions.dpdTimeoutAction",
        "sites.dc1.tunnelOptions.startupAction",
      ]);
    });

    it("flags each weak setting with the values at fault and why", () => {
      const weak = weakTunnelSettings({
        ikeVersions: ["ikev2"],
        phase1EncryptionAlgorithms: ["AES256", "AES128-GCM-16"],
        phase2DhGroupNumbers: [14, 5, 24],
        phase1IntegrityAlgorithms: ["SHA1"],
      });
      expect(weak.map((w) => [w.field, w.values])).to.deep.equal([
        ["phase1EncryptionAlgorithms", ["AES128-GCM-16"]],
        ["phase1IntegrityAlgorithms", ["SHA1"]],
        ["phase2DhGroupNumbers", [5, 24]],
      ]);
      expect(weak[1].why).to.contain("RFC 8247");
    });

    it("raises the DH floor when a stricter minimum group is asked for", () => {
      expect(weakTunnelSettings({ phase1DhGroupNumbers: [14, 19] })).to.deep.equal([]);
      expect(weakTunnelSettings({ phase1DhGroupNumbers: [14, 19] }, 15).map((w) => w.values)).to.deep.equal([
        [14],
      ]);
    });
  });

  describe("checkPortRules and portRuleKey", () => {
    const check = (rules: unknown) =>
      problemsOf((p) => checkPortRules(p, "securityGroupIngress.ports", rules));

    it("accepts a TCP port, a port range, ICMP all types and all traffic", () => {
      expect(
        check([
          { protocol: "tcp", fromPort: 443 },
          { protocol: "udp", fromPort: 1024, toPort: 65535, description: "ephemeral" },
          { protocol: "icmp", fromPort: -1, toPort: -1 },
          { protocol: "-1" },
        ]),
      ).to.deep.equal([]);
    });

    it("refuses a rule repeated with the same protocol and ports, which EC2 would refuse as a duplicate", () => {
      const problems = check([
        { protocol: "tcp", fromPort: 443 },
        { protocol: "tcp", fromPort: 443, toPort: 443, description: "again" },
        { protocol: "udp", fromPort: 443 },
      ]);
      expect(paths(problems)).to.deep.equal(["securityGroupIngress.ports[1]"]);
      expect(problems[0].allowed).to.equal(
        "same protocol and ports as securityGroupIngress.ports[0]; EC2 refuses a duplicate rule",
      );
    });

    it("refuses no rules at all", () => {
      expect(paths(check([]))).to.deep.equal(["securityGroupIngress.ports"]);
      expect(paths(check(undefined))).to.deep.equal(["securityGroupIngress.ports"]);
    });

    it("refuses ports out of range, reversed ranges, missing ports and unknown protocols", () => {
      const problems = check([
        { protocol: "tcp", fromPort: 70000 },
        { protocol: "tcp", fromPort: 8443, toPort: 443 },
        { protocol: "udp" },
        { protocol: "http", fromPort: 80 },
        { protocol: "icmp", fromPort: 256, toPort: 0 },
      ]);
      expect(paths(problems)).to.deep.equal([
        "securityGroupIngress.ports[0].fromPort",
        "securityGroupIngress.ports[0].toPort",
        "securityGroupIngress.ports[1].toPort",
        "securityGroupIngress.ports[2].fromPort",
        "securityGroupIngress.ports[2].toPort",
        "securityGroupIngress.ports[3].protocol",
        "securityGroupIngress.ports[4].fromPort",
      ]);
      expect(problems[2].allowed).to.equal("at least fromPort (8443)");
      expect(paths(check([{ protocol: "tcp", fromPort: 444, toPort: 443 }]))).to.deep.equal([
        "securityGroupIngress.ports[0].toPort",
      ]);
      expect(check([{ protocol: "tcp", fromPort: 443, toPort: 443 }])).to.deep.equal([]);
    });

    it('refuses ports on "-1" (all traffic) and descriptions longer than EC2 takes', () => {
      const problems = check([
        { protocol: "-1", fromPort: 0 },
        { protocol: "tcp", fromPort: 22, description: "x".repeat(256) },
      ]);
      expect(paths(problems)).to.deep.equal([
        "securityGroupIngress.ports[0].fromPort",
        "securityGroupIngress.ports[1].description",
      ]);
      expect(check([{ protocol: "tcp", fromPort: 22, description: "x".repeat(255) }])).to.deep.equal([]);
    });

    it("names a rule by protocol, ports and network, so each rule and prefix gets its own resource", () => {
      const https: PortRule = { protocol: "tcp", fromPort: 443 };
      expect(portRuleKey(https, "10.1.0.0/16")).to.equal("tcp-443-443-10-1-0-0-16");
      expect(portRuleKey({ protocol: "-1" }, "10.1.0.0/16")).to.equal("any-all-10-1-0-0-16");
      expect(portRuleKey({ protocol: "udp", fromPort: 500, toPort: 4500 }, "2001:db8::/32")).to.equal(
        "udp-500-4500-2001-db8-32",
      );
      const keys = ["10.1.0.0/16", "10.1.0.0/24", "10.10.0.0/16"].flatMap((cidr) =>
        [https, { ...https, fromPort: 80 }, { protocol: "udp" as const, fromPort: 443 }].map((r) =>
          portRuleKey(r, cidr),
        ),
      );
      expect(new Set(keys).size).to.equal(keys.length);
    });
  });

  describe("resource keys (model/names)", () => {
    const check = (record: Record<string, unknown> | undefined) =>
      problemsOf((p) => checkResourceKeys(p, "sites", record));

    it("accepts letters, digits and dashes up to 32 characters", () => {
      expect(check({ dc1: 1, "DC-East-1": 1, [`a${"b".repeat(31)}`]: 1, "9": 1 })).to.deep.equal([]);
      expect(check(undefined)).to.deep.equal([]);
    });

    it("refuses keys that would make bad or unstable resource names, naming each one", () => {
      const bad = ["", "-dc", "dc_1", "dc.1", "dc 1", `a${"b".repeat(32)}`];
      const problems = check(Object.fromEntries(bad.map((k) => [k, 1])));
      expect(problems.map((p) => p.value)).to.have.members(bad);
      expect(problems.find((p) => p.value === "dc_1")).to.deep.equal({
        path: "sites.dc_1",
        value: "dc_1",
        allowed: RESOURCE_KEY_RULE,
      });
    });
  });
});
