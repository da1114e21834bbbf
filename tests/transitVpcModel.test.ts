/**
 * model/softwareVpn/transitVpc: the transit VPC's plan (spokes, connections, inside /30s unique across spokes,
 * ASNs, the security group's spoke limit) and each appliance instance's rendered FRR configuration: per-spoke
 * neighbours, the hub's CIDRs originated, the spokes' passed on, `as-override` where spokes share an ASN.
 */
import { expect } from "chai";
import { renderStrongswan } from "../model/deviceConfig/strongswan";
import { ValidationError } from "../model/errors";
import { replacingInputs } from "../model/replacement";
import { planSoftwareVpnAppliance } from "../model/softwareVpn/appliance";
import {
  maxSpokes,
  planTransitVpc,
  type TransitVpcSpec,
  transitDeviceSite,
  transitInsideCidrs,
  transitUserDataProblem,
  widestUserDataBytes,
} from "../model/softwareVpn/transitVpc";

const WHERE = 'hybridnet:index:TransitVpc "transit"';

const spec = (over: Partial<TransitVpcSpec> = {}): TransitVpcSpec => ({
  hubCidrs: ["10.0.0.0/16"],
  spokes: { app: { vpcCidrs: ["10.1.0.0/16"] }, data: { vpcCidrs: ["10.2.0.0/16"] } },
  ...over,
});

function refused(s: TransitVpcSpec): ValidationError {
  try {
    planTransitVpc(WHERE, s);
  } catch (e) {
    expect(e).to.be.instanceOf(ValidationError);
    expect((e as ValidationError).message).to.include(WHERE);
    return e as ValidationError;
  }
  return expect.fail("planTransitVpc accepted bad arguments");
}

describe("transit VPC model", () => {
  describe("the plan", () => {
    it("gives each spoke one connection to each appliance instance: two connections, four tunnels", () => {
      const plan = planTransitVpc(WHERE, spec());
      expect(plan.spokes.map((s) => [s.key, s.connections.map((c) => c.key)])).to.deep.equal([
        ["app", ["app-primary", "app-standby"]],
        ["data", ["data-primary", "data-standby"]],
      ]);
      expect(plan.spokes.flatMap((s) => s.connections.flatMap((c) => c.tunnels))).to.have.length(8);
      expect(plan.applianceAsn).to.equal(65000);
      expect(plan.spokes.map((s) => s.amazonSideAsn)).to.deep.equal([64512, 64512]);
    });

    it("allocates the inside /30s from the pool, unique across spokes; the VGW takes the first usable address", () => {
      // A /28 pool holds exactly four /30s: one spoke's four tunnels take all of them.
      const plan = planTransitVpc(
        WHERE,
        spec({ spokes: { app: { vpcCidrs: ["10.1.0.0/16"] } }, insideCidrPool: "169.254.100.0/28" }),
      );
      const tunnels = plan.spokes[0].connections.flatMap((c) => c.tunnels);
      expect(tunnels.map((t) => t.insideCidr).sort()).to.deep.equal([
        "169.254.100.0/30",
        "169.254.100.12/30",
        "169.254.100.4/30",
        "169.254.100.8/30",
      ]);
      const byCidr = Object.fromEntries(tunnels.map((t) => [t.insideCidr, t]));
      expect(byCidr["169.254.100.4/30"]).to.deep.include({
        awsInsideAddress: "169.254.100.5",
        customerInsideAddress: "169.254.100.6",
      });
      const all = planTransitVpc(WHERE, spec()).spokes.flatMap((s) =>
        s.connections.flatMap((c) => c.tunnels.map((t) => t.insideCidr)),
      );
      expect(all).to.have.length(8);
      expect(new Set(all).size).to.equal(8);
    });

    it("renders as-override only where two spokes share an ASN (both VGWs on the default 64512)", () => {
      expect(planTransitVpc(WHERE, spec()).asOverride).to.equal(true);
      const distinct = spec({
        spokes: {
          app: { vpcCidrs: ["10.1.0.0/16"], amazonSideAsn: 64601 },
          data: { vpcCidrs: ["10.2.0.0/16"], amazonSideAsn: 64602 },
        },
      });
      expect(planTransitVpc(WHERE, distinct).asOverride).to.equal(false);
    });

    it("holds 4 spokes with one hub CIDR: 60 security group rules per direction, 12 per spoke", () => {
      expect(maxSpokes(1)).to.equal(4);
      expect(maxSpokes(12)).to.equal(3);
      const spokes = Object.fromEntries([1, 2, 3, 4].map((i) => [`s${i}`, { vpcCidrs: [`10.${i}.0.0/16`] }]));
      expect(planTransitVpc(WHERE, spec({ spokes })).spokes).to.have.length(4);
      const five = { ...spokes, s5: { vpcCidrs: ["10.5.0.0/16"] } };
      const e = refused(spec({ spokes: five }));
      expect(e.problems.map((p) => p.path)).to.deep.equal(["spokes"]);
      expect(e.message).to.include("5 spokes");
      expect(e.message).to.include("at most 4");
    });
  });

  describe("spokes in other accounts", () => {
    const role = (account: string, name = "transit") => `arn:aws:iam::${account}:role/${name}`;

    it("groups the spokes by account and Region: each group shares two customer gateways", () => {
      const plan = planTransitVpc(
        WHERE,
        spec({
          spokes: {
            app: { vpcCidrs: ["10.1.0.0/16"] },
            data: {
              vpcCidrs: ["10.2.0.0/16"],
              access: { roleArn: role("444455556666") },
              region: "eu-west-1",
            },
            logs: {
              vpcCidrs: ["10.3.0.0/16"],
              access: { roleArn: role("444455556666") },
              region: "eu-west-1",
            },
            web: {
              vpcCidrs: ["10.4.0.0/16"],
              access: { roleArn: role("444455556666") },
              region: "us-east-1",
            },
          },
        }),
      );
      expect(plan.accounts).to.deep.equal([
        { key: "", spokes: ["app"] },
        {
          key: "444455556666-eu-west-1",
          accountId: "444455556666",
          region: "eu-west-1",
          accessFrom: "data",
          spokes: ["data", "logs"],
        },
        {
          key: "444455556666-us-east-1",
          accountId: "444455556666",
          region: "us-east-1",
          accessFrom: "web",
          spokes: ["web"],
        },
      ]);
      expect(plan.spokes.map((s) => [s.key, s.account])).to.deep.equal([
        ["app", ""],
        ["data", "444455556666-eu-west-1"],
        ["logs", "444455556666-eu-west-1"],
        ["web", "444455556666-us-east-1"],
      ]);
    });

    it("refuses a Region without access, access without a Region, a malformed role and two roles for one account", () => {
      const e = refused(
        spec({
          spokes: {
            app: { vpcCidrs: ["10.1.0.0/16"], region: "eu-west-1" },
            data: { vpcCidrs: ["10.2.0.0/16"], access: { roleArn: role("444455556666") } },
            logs: {
              vpcCidrs: ["10.3.0.0/16"],
              access: { roleArn: "arn:aws:iam::4444:role/x" },
              region: "eu-west-1",
            },
            mail: { vpcCidrs: ["10.5.0.0/16"], access: { roleArn: role("444455556666") }, region: "moon-1" },
            web: {
              vpcCidrs: ["10.4.0.0/16"],
              access: { roleArn: role("777788889999") },
              region: "eu-west-1",
            },
            zoo: {
              vpcCidrs: ["10.6.0.0/16"],
              access: { roleArn: role("777788889999", "other") },
              region: "eu-west-1",
            },
          },
        }),
      );
      expect(e.problems.map((p) => [p.path, p.value])).to.deep.equal([
        ["spokes", ["app", "data", "logs", "mail", "web", "zoo"]],
        ["spokes.app.region", "eu-west-1"],
        ["spokes.data.region", undefined],
        ["spokes.logs.access.roleArn", "arn:aws:iam::4444:role/x"],
        ["spokes.mail.region", "moon-1"],
        ["spokes.zoo.access", "arn:aws:iam::777788889999:role/other"],
      ]);
      expect(e.problems[0].allowed).to.include("at most 4");
      expect(e.problems[2].allowed).to.include("the spoke VPC's Region");
      expect(e.problems[5].allowed).to.include("the role and external id of spokes.web.access");
    });
  });

  describe("stable inside CIDRs (previousInsideCidrs)", () => {
    // A /26 pool of 16 /30s makes hash slots collide often: spoke db's tunnels hash onto app's slots.
    const pool = "169.254.100.0/26";
    const spokes = (...keys: string[]) =>
      Object.fromEntries(keys.map((k, i) => [k, { vpcCidrs: [`10.${i + 1}.0.0/16`] }]));
    const cidrs = (keys: string[], previousInsideCidrs?: Record<string, string[]>) =>
      transitInsideCidrs(
        planTransitVpc(
          WHERE,
          spec({
            insideCidrPool: pool,
            spokes: spokes(...keys),
            ...(previousInsideCidrs ? { previousInsideCidrs } : {}),
          }),
        ),
      );
    /** The inputs of each connection (`aws:ec2/vpnConnection`) that change and replace it. */
    const replaced = (before: Record<string, string[]>, after: Record<string, string[]>) =>
      Object.keys(before)
        .filter((k) => k in after)
        .flatMap((k) => {
          const changed = [0, 1]
            .filter((t) => before[k][t] !== after[k][t])
            .map((t) => `tunnel${t + 1}InsideCidr`);
          const forced = replacingInputs("aws:ec2/vpnConnection:VpnConnection", changed);
          return forced.length > 0 ? [`${k}: ${forced.join(", ")}`] : [];
        });

    it("keys the output by connection, tunnel 1 then 2", () => {
      const ab = cidrs(["app", "data"]);
      expect(Object.keys(ab)).to.deep.equal(["app-primary", "app-standby", "data-primary", "data-standby"]);
      expect(Object.values(ab).every((pair) => pair.length === 2)).to.equal(true);
    });

    it("without it, adding spoke db moves app's tunnels: both its VPN connections would be replaced", () => {
      const ab = cidrs(["app", "data"]);
      expect(replaced(ab, cidrs(["app", "data", "db"]))).to.deep.equal([
        "app-primary: tunnel1InsideCidr",
        "app-standby: tunnel1InsideCidr",
      ]);
    });

    it("with it, spokes A,B then A,B,C then A,C: every remaining tunnel keeps its /30, nothing is replaced", () => {
      const ab = cidrs(["app", "data"]);
      const abc = cidrs(["app", "data", "db"], ab);
      expect(replaced(ab, abc)).to.deep.equal([]);
      for (const key of Object.keys(ab)) expect(abc[key]).to.deep.equal(ab[key]);
      expect(new Set(Object.values(abc).flat()).size).to.equal(12);
      // data removed: its /30s stay taken this run (its connections are being deleted), db and app keep theirs.
      const ac = cidrs(["app", "db"], abc);
      expect(replaced(abc, ac)).to.deep.equal([]);
      expect(Object.keys(ac)).to.deep.equal(["app-primary", "app-standby", "db-primary", "db-standby"]);
      const dataSlots = new Set([...abc["data-primary"], ...abc["data-standby"]]);
      expect(
        Object.values(ac)
          .flat()
          .filter((c) => dataSlots.has(c)),
      ).to.deep.equal([]);
    });

    it("refuses a malformed, reserved, duplicated or out-of-pool CIDR and a pool too small for the kept ones", () => {
      const e = refused(
        spec({
          insideCidrPool: pool,
          previousInsideCidrs: {
            "app-primary": ["169.254.100.0/30", "169.254.100.0/30"],
            "app-standby": ["169.254.200.0/30", "169.254.169.252/30"],
            "app-sideways": ["169.254.100.8/30", "169.254.100.12/30"],
          },
        }),
      );
      expect(e.problems.map((p) => [p.path, p.value])).to.deep.equal([
        ["previousInsideCidrs.app-primary[1]", "169.254.100.0/30"],
        ["previousInsideCidrs.app-sideways", ["169.254.100.8/30", "169.254.100.12/30"]],
        ["previousInsideCidrs.app-standby[0]", "169.254.200.0/30"],
        ["previousInsideCidrs.app-standby[1]", "169.254.169.252/30"],
      ]);
      expect(e.problems[0].allowed).to.include("also allocated at previousInsideCidrs.app-primary[0]");
      expect(e.problems[2].allowed).to.include("outside the pool 169.254.100.0/26");
      // A /28 holds 4 /30s: one spoke's tunnels, not one more kept for a spoke deleted in this run.
      const full = refused(
        spec({
          insideCidrPool: "169.254.100.0/28",
          spokes: { app: { vpcCidrs: ["10.1.0.0/16"] } },
          previousInsideCidrs: { "old-primary": ["169.254.100.0/30", "169.254.100.4/30"] },
        }),
      );
      expect(full.problems.map((p) => [p.path, p.value, p.allowed])).to.deep.equal([
        [
          "insideCidrPool",
          "169.254.100.0/28",
          "4 /30s for 4 tunnels and 2 kept for spokes deleted in this run; use a larger pool",
        ],
      ]);
    });
  });

  describe("refusals, every problem at once", () => {
    it("refuses a spoke CIDR given twice, one overlapping the hub, and spokes overlapping each other", () => {
      const e = refused(
        spec({
          spokes: {
            app: { vpcCidrs: ["10.1.0.0/16"] },
            data: { vpcCidrs: ["10.1.0.0/16"] },
            hubby: { vpcCidrs: ["10.0.128.0/17"] },
            wide: { vpcCidrs: ["10.2.0.0/15"] },
          },
        }),
      );
      expect(e.problems.map((p) => [p.path, p.value])).to.deep.equal([
        ["spokes.data.vpcCidrs[0]", "10.1.0.0/16"],
        ["spokes.hubby.vpcCidrs[0]", "10.0.128.0/17"],
      ]);
      expect(e.problems[0].allowed).to.include("also spokes.app.vpcCidrs[0]");
      expect(e.problems[1].allowed).to.include("overlaps the hub's 10.0.0.0/16");
      const overlap = refused(
        spec({ spokes: { app: { vpcCidrs: ["10.1.0.0/16"] }, data: { vpcCidrs: ["10.1.128.0/17"] } } }),
      );
      expect(overlap.problems.map((p) => p.path)).to.deep.equal(["spokes.data.vpcCidrs[0]"]);
      expect(overlap.problems[0].allowed).to.include("overlaps spokes.app.vpcCidrs[0] 10.1.0.0/16");
    });

    it("refuses an appliance ASN equal to a spoke's, and a VGW ASN outside AWS's private ranges", () => {
      const e = refused(
        spec({
          applianceAsn: 64512,
          spokes: {
            app: { vpcCidrs: ["10.1.0.0/16"] },
            data: { vpcCidrs: ["10.2.0.0/16"], amazonSideAsn: 65535 },
          },
        }),
      );
      expect(e.problems.map((p) => [p.path, p.value])).to.deep.equal([
        ["spokes.data.amazonSideAsn", 65535],
        ["applianceAsn", 64512],
      ]);
      // 4200000000–4294967294: the 32-bit private range a VGW also takes.
      expect(
        planTransitVpc(
          WHERE,
          spec({ spokes: { app: { vpcCidrs: ["10.1.0.0/16"], amazonSideAsn: 4200000001 } } }),
        ).spokes[0].amazonSideAsn,
      ).to.equal(4200000001);
    });

    it("refuses no spokes, no hub CIDRs and an inside pool outside 169.254.0.0/16", () => {
      const e = refused({ hubCidrs: [], spokes: {}, insideCidrPool: "10.0.0.0/24" });
      expect(e.problems.map((p) => p.path)).to.deep.equal(["hubCidrs", "spokes", "insideCidrPool"]);
    });
  });

  describe("each instance's configuration", () => {
    const plan = planTransitVpc(WHERE, spec());
    const resolved = (role: "primary" | "standby") => ({
      stack: "dev",
      component: WHERE,
      role,
      outsideAddress: role === "primary" ? "198.51.100.7" : "198.51.100.8",
      connections: {
        app: {
          connectionId: `vpn-0a0000000000000${role === "primary" ? 1 : 2}`,
          outsideAddresses: ["203.0.113.11", "203.0.113.12"],
          presharedKeys: ["appKey1_0123456789", "appKey2_0123456789"],
        },
        data: {
          connectionId: `vpn-0b0000000000000${role === "primary" ? 1 : 2}`,
          outsideAddresses: ["203.0.113.21", "203.0.113.22"],
          presharedKeys: ["dataKey1_0123456789", "dataKey2_0123456789"],
        },
      },
    });
    const primary = transitDeviceSite(plan, resolved("primary"));
    const frr = renderStrongswan(primary).files["frr.conf"] ?? "";
    const swanctl = renderStrongswan(primary).files["swanctl.conf"] ?? "";

    it("peers with each spoke VGW over its own tunnels, with that VGW's ASN, and as-override on each", () => {
      const neighbours = plan.spokes.flatMap((s) =>
        s.connections
          .filter((c) => c.role === "primary")
          .flatMap((c) => c.tunnels.map((t) => t.awsInsideAddress)),
      );
      expect(neighbours).to.have.length(4);
      for (const n of neighbours) {
        expect(frr).to.include(` neighbor ${n} remote-as 64512\n`);
        expect(frr).to.include(`  neighbor ${n} as-override\n`);
      }
      expect(frr).to.include("router bgp 65000\n");
      expect(frr).to.include("  maximum-paths 4\n");
    });

    it("originates the hub's CIDR and passes on the spokes' (permitted out, not originated)", () => {
      expect(frr).to.include("  network 10.0.0.0/16\n");
      expect(frr).to.not.include("network 10.1.0.0/16");
      expect(frr).to.not.include("network 10.2.0.0/16");
      expect(frr).to.include("ip prefix-list HYBRIDNET-CUSTOMER seq 5 permit 10.0.0.0/16\n");
      expect(frr).to.include("ip prefix-list HYBRIDNET-CUSTOMER seq 10 permit 10.1.0.0/16\n");
      expect(frr).to.include("ip prefix-list HYBRIDNET-CUSTOMER seq 15 permit 10.2.0.0/16\n");
      expect(frr).to.not.include("blackhole 250\nip route 10.1.0.0/16");
    });

    it("renders one tunnel per spoke connection tunnel, keyed by spoke and role, with each VGW's address", () => {
      for (const [name, remote] of [
        ["app-primary-t1", "203.0.113.11"],
        ["app-primary-t2", "203.0.113.12"],
        ["data-primary-t1", "203.0.113.21"],
        ["data-primary-t2", "203.0.113.22"],
      ])
        expect(swanctl).to.match(
          new RegExp(`  ${name} \\{[^]*?remote_addrs = ${remote.replace(/\./g, "\\.")}\\n`),
        );
      expect([...swanctl.matchAll(/if_id_in = (\d+)/g)].map((m) => m[1])).to.deep.equal(["1", "2", "3", "4"]);
    });

    it("keeps distinct spoke ASNs as they are, without as-override", () => {
      const distinct = planTransitVpc(
        WHERE,
        spec({
          spokes: {
            app: { vpcCidrs: ["10.1.0.0/16"], amazonSideAsn: 64601 },
            data: { vpcCidrs: ["10.2.0.0/16"], amazonSideAsn: 64602 },
          },
        }),
      );
      const text = renderStrongswan(transitDeviceSite(distinct, resolved("standby"))).files["frr.conf"] ?? "";
      expect(text).to.not.include("as-override");
      expect(text.match(/remote-as 64601\n/g)).to.have.length(2);
      expect(text.match(/remote-as 64602\n/g)).to.have.length(2);
    });
  });

  describe("the appliances' user data", () => {
    const appliance = (spokes: number) =>
      planSoftwareVpnAppliance(WHERE, {
        primary: {
          availabilityZoneId: "use1-az1",
          subnetId: "subnet-0a0a0a0a0a0a0a0a1",
          subnetCidr: "10.0.0.0/24",
          configFiles: { "swanctl.conf": "#", "frr.conf": "#" },
        },
        standby: {
          availabilityZoneId: "use1-az2",
          subnetId: "subnet-0a0a0a0a0a0a0a0a2",
          subnetCidr: "10.0.1.0/24",
          configFiles: { "swanctl.conf": "#", "frr.conf": "#" },
        },
        peers: Object.fromEntries(
          Array.from({ length: spokes * 4 }, (_, i) => [`p${i}`, { address: `52.0.0.${i + 1}` }]),
        ),
        forwardedCidrs: ["10.0.0.0/16"],
      });
    const bytes = (n: number) => {
      const spokes = Object.fromEntries(
        Array.from({ length: n }, (_, i) => [`s${i + 1}`, { vpcCidrs: [`10.${i + 1}.0.0/16`] }]),
      );
      const plan = planTransitVpc(WHERE, spec({ spokes }));
      return widestUserDataBytes(plan, appliance(n), { stack: "dev", component: WHERE });
    };

    it("fits the security group's 4 spokes in EC2's 16384 bytes, compressed: under 1 KB more per spoke", () => {
      // Rendered, one spoke's four tunnels add about 4.6 KB (2 spokes made 15223 bytes, 3 made 19810); gzip
      // leaves mostly the random keys, ids and addresses.
      const sizes = [1, 2, 3, 4].map(bytes);
      expect(sizes[3]).to.be.at.most(16384);
      for (let i = 1; i < sizes.length; i++) {
        expect(sizes[i]).to.be.above(sizes[i - 1]);
        expect(sizes[i] - sizes[i - 1]).to.be.below(1000);
      }
      // Stand-ins as random as what AWS reports, derived from the names: the same size on every run.
      expect(bytes(4)).to.equal(sizes[3]);
    });

    it("takes widest user data of 16384 bytes and refuses 16385", () => {
      expect(transitUserDataProblem(4, 16 * 1024)).to.equal(undefined);
      expect(transitUserDataProblem(4, 16 * 1024 + 1)).to.equal(
        "4 spokes; the appliances' configuration (four tunnels per spoke) makes gzip-compressed user data of up to 16385 bytes, and EC2 takes at most 16384 (16 KB): fewer spokes per transit VPC",
      );
    });
  });
});
