import { expect } from "chai";
import { VpnCloudHub, type VpnCloudHubArgs } from "../components/VpnCloudHub";
import type { VpnSite } from "../components/vpnSites";
import { resolve, runProgram } from "./harness";
import { onlyProblem, refusedBy } from "./refusals";

const TYPE = {
  component: "hybridnet:index:VpnCloudHub",
  vgw: "aws:ec2/vpnGateway:VpnGateway",
  cgw: "aws:ec2/customerGateway:CustomerGateway",
  vpn: "aws:ec2/vpnConnection:VpnConnection",
  route: "aws:ec2/vpnConnectionRoute:VpnConnectionRoute",
  propagation: "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  password: "random:index/randomPassword:RandomPassword",
} as const;

/** Three branch offices, each with its own ASN and networks. */
const BRANCHES: Record<string, VpnSite> = {
  london: { ipAddress: "203.0.113.10", bgpAsn: 65001, prefixes: ["10.10.0.0/16"] },
  paris: { ipAddress: "198.51.100.20", bgpAsn: 65002, prefixes: ["10.20.0.0/16", "172.20.0.0/24"] },
  berlin: { ipAddress: "192.0.2.30", bgpAsn: 4200000003, prefixes: ["10.30.0.0/16"] },
};

function hubArgs(overrides: Partial<VpnCloudHubArgs> = {}): VpnCloudHubArgs {
  return { vpcId: "vpc-0hub", vpcCidrs: ["10.0.0.0/16"], sites: BRANCHES, ...overrides };
}

async function build(args: VpnCloudHubArgs) {
  const run = await runProgram(() => new VpnCloudHub("hub", args));
  if (run.error) expect.fail(`VpnCloudHub refused valid arguments: ${run.error.message}`);
  return { resources: run.resources, hub: run.result as VpnCloudHub };
}

const refused = (args: VpnCloudHubArgs) =>
  refusedBy(() => new VpnCloudHub("hub", args), 'hybridnet:index:VpnCloudHub "hub"');

describe("VpnCloudHub", () => {
  describe("the hub and its branches", () => {
    it("registers one VGW and, per branch, its own customer gateway and VPN connection, all under the component", async () => {
      const { resources } = await build(hubArgs());
      expect(resources.ofType(TYPE.vgw)).to.have.length(1);
      expect(resources.ofType(TYPE.cgw)).to.have.length(3);
      expect(resources.ofType(TYPE.vpn)).to.have.length(3);
      const [component] = resources.ofType(TYPE.component);
      expect(component.parent).to.equal(undefined);
      expect(resources.childrenOf(component.urn)).to.have.length(resources.length - 1);
      const [vgw] = resources.ofType(TYPE.vgw);
      expect(vgw.inputs).to.include({ vpcId: "vpc-0hub", amazonSideAsn: "64512" });
    });

    it("gives each branch's customer gateway its own address and BGP ASN", async () => {
      const { resources } = await build(hubArgs());
      expect(resources.named("hub-london-cgw").inputs).to.include({
        ipAddress: "203.0.113.10",
        bgpAsn: "65001",
      });
      expect(resources.named("hub-paris-cgw").inputs).to.include({
        ipAddress: "198.51.100.20",
        bgpAsn: "65002",
      });
      expect(resources.named("hub-berlin-cgw").inputs).to.include({
        ipAddress: "192.0.2.30",
        bgpAsnExtended: "4200000003",
      });
    });

    it("connects every branch to the one hub gateway over BGP, with no static routes", async () => {
      const { resources, hub } = await build(hubArgs());
      const vgwId = (await resolve(hub.vpnGatewayId)).value;
      expect(vgwId).to.match(/^vgw-/);
      const cgwIds = (await resolve(hub.customerGatewayIds)).value;
      for (const site of Object.keys(BRANCHES)) {
        const connection = resources.named(`hub-${site}-vpn`);
        expect(connection.inputs).to.include({
          type: "ipsec.1",
          vpnGatewayId: vgwId,
          customerGatewayId: cgwIds[site],
          staticRoutesOnly: false,
        });
      }
      expect(resources.ofType(TYPE.route)).to.have.length(0);
    });

    it("reports the BGP ASN each branch device must be configured with", async () => {
      const { hub } = await build(hubArgs());
      expect((await resolve(hub.siteAsns)).value).to.deep.equal({
        berlin: 4200000003,
        london: 65001,
        paris: 65002,
      });
    });

    it("reports each branch's connection, inside CIDRs distinct across the hub", async () => {
      const { hub } = await build(hubArgs());
      const connections = (await resolve(hub.connections)).value;
      expect(Object.keys(connections).sort()).to.deep.equal(["berlin", "london", "paris"]);
      const inside = Object.values(connections).flatMap((c) => c.tunnels.map((t) => t.insideCidr));
      expect(inside).to.have.length(6);
      expect(new Set(inside).size).to.equal(6);
      for (const cidr of inside) expect(cidr).to.match(/^169\.254\.\d+\.\d+\/30$/);
    });

    it("propagates every branch's routes into the hub route tables given", async () => {
      const { resources } = await build(hubArgs({ routeTableIds: { private: "rtb-0hub" } }));
      const [propagation] = resources.ofType(TYPE.propagation);
      expect(propagation.inputs.routeTableId).to.equal("rtb-0hub");
    });

    it("accepts branches whose networks sit next to each other without overlapping", async () => {
      const { resources } = await build(
        hubArgs({
          sites: {
            a: { ipAddress: "203.0.113.1", bgpAsn: 65001, prefixes: ["192.168.0.0/24", "192.168.2.0/24"] },
            b: { ipAddress: "203.0.113.2", bgpAsn: 65002, prefixes: ["192.168.1.0/24", "192.168.3.0/24"] },
          },
        }),
      );
      expect(resources.ofType(TYPE.vpn)).to.have.length(2);
    });

    it("lets one branch list a summary and a more-specific of its own networks", async () => {
      const { resources } = await build(
        hubArgs({
          sites: {
            a: { ipAddress: "203.0.113.1", bgpAsn: 65001, prefixes: ["192.168.0.0/16", "192.168.10.0/24"] },
            b: { ipAddress: "203.0.113.2", bgpAsn: 65002, prefixes: ["172.16.0.0/16"] },
          },
        }),
      );
      expect(resources.ofType(TYPE.cgw)).to.have.length(2);
    });
  });

  describe("shared VPN behaviour", () => {
    it("warns on each tunnel of every branch by VPN id and outside address, and pages when both are down", async () => {
      const topic = "arn:aws:sns:us-east-1:111122223333:branch-down";
      const { resources, hub } = await build(hubArgs({ tunnelAlarms: { actions: [topic] } }));
      const connections = (await resolve(hub.connections)).value;
      // Per branch: a warning per tunnel, a page for the connection (both tunnels down).
      expect(resources.ofType(TYPE.alarm)).to.have.length(9);
      for (const site of Object.keys(BRANCHES)) {
        for (const n of [1, 2]) {
          const alarm = resources.named(`hub-${site}-tunnel${n}-down`);
          expect(alarm.inputs).to.include({ namespace: "AWS/VPN", metricName: "TunnelState" });
          expect(alarm.inputs.dimensions).to.deep.equal({
            VpnId: connections[site].connectionId,
            TunnelIpAddress: connections[site].tunnels[n - 1].outsideAddress,
          });
          expect(alarm.inputs.alarmActions).to.deep.equal([]);
        }
        expect(resources.named(`hub-${site}-down`).inputs.alarmActions).to.deep.equal([topic]);
      }
    });

    it("generates every branch's pre-shared keys and keeps them secret", async () => {
      const { resources, hub } = await build(hubArgs());
      expect(resources.ofType(TYPE.password)).to.have.length(6);
      for (const connection of resources.ofType(TYPE.vpn))
        expect(connection.secretInputs).to.include.members(["tunnel1PresharedKey", "tunnel2PresharedKey"]);
      const keys = await resolve(hub.presharedKeys);
      expect(keys.secret).to.equal(true);
      expect(Object.keys(keys.value).sort()).to.deep.equal(["berlin", "london", "paris"]);
      expect(keys.value.london).to.deep.equal([
        resources.named("hub-london-vpn").inputs.tunnel1PresharedKey,
        resources.named("hub-london-vpn").inputs.tunnel2PresharedKey,
      ]);
    });

    it("logs tunnel and BGP activity of every branch to the hub's log group", async () => {
      const { resources, hub } = await build(hubArgs());
      const logGroupName = (await resolve(hub.logGroupName)).value;
      expect(resources.ofType(TYPE.logGroup)[0].inputs.retentionInDays).to.equal(365);
      for (const connection of resources.ofType(TYPE.vpn))
        for (const n of [1, 2]) {
          const options = (
            connection.inputs[`tunnel${n}LogOptions`] as Record<string, Record<string, unknown>>
          ).cloudwatchLogOptions;
          expect(String(options.logGroupArn).endsWith(`:log-group:${logGroupName}`)).to.equal(true);
          expect(options.bgpLogEnabled).to.equal(true);
        }
    });

    it("applies the secure tunnel defaults to every branch", async () => {
      const { resources } = await build(hubArgs());
      for (const connection of resources.ofType(TYPE.vpn))
        for (const n of [1, 2]) {
          expect(connection.inputs[`tunnel${n}IkeVersions`]).to.deep.equal(["ikev2"]);
          expect(connection.inputs[`tunnel${n}DpdTimeoutAction`]).to.equal("restart");
        }
    });
  });

  describe("bad input", () => {
    it("refuses two branches with the same BGP ASN", async () => {
      const error = await refused(
        hubArgs({ sites: { ...BRANCHES, paris: { ...BRANCHES.paris, bgpAsn: 65001 } } }),
      );
      onlyProblem(
        error,
        "sites.paris.bgpAsn",
        65001,
        "also used by sites.london; VPN CloudHub needs a unique BGP ASN",
      );
    });

    it("refuses two branches that both leave the ASN to its default", async () => {
      const error = await refused(
        hubArgs({
          sites: {
            a: { ipAddress: "203.0.113.1", prefixes: ["192.168.1.0/24"] },
            b: { ipAddress: "203.0.113.2", prefixes: ["192.168.2.0/24"] },
          },
        }),
      );
      onlyProblem(error, "sites.b.bgpAsn", 65000, "also used by sites.a");
    });

    it("refuses networks that overlap between two branches", async () => {
      const error = await refused(
        hubArgs({
          sites: { ...BRANCHES, paris: { ...BRANCHES.paris, prefixes: ["10.20.0.0/16", "10.10.128.0/17"] } },
        }),
      );
      onlyProblem(
        error,
        "sites.paris.prefixes[1]",
        "10.10.128.0/17",
        "overlaps 10.10.0.0/16 of sites.london.prefixes[0]; VPN CloudHub sites must have distinct networks",
      );
    });

    it("refuses the same network on two branches", async () => {
      const error = await refused(
        hubArgs({ sites: { ...BRANCHES, berlin: { ...BRANCHES.berlin, prefixes: ["10.10.0.0/16"] } } }),
      );
      onlyProblem(
        error,
        "sites.london.prefixes[0]",
        "10.10.0.0/16",
        "overlaps 10.10.0.0/16 of sites.berlin.prefixes[0]; VPN CloudHub sites must have distinct networks",
      );
    });

    it("refuses a branch network that overlaps the hub VPC", async () => {
      const error = await refused(
        hubArgs({ sites: { ...BRANCHES, london: { ...BRANCHES.london, prefixes: ["10.0.128.0/24"] } } }),
      );
      onlyProblem(
        error,
        "sites.london.prefixes[0]",
        "10.0.128.0/24",
        "overlaps the VPC CIDR 10.0.0.0/16 (vpcCidrs[0])",
      );
    });

    it("refuses static routing: branches learn each other's networks over BGP", async () => {
      const error = await refused(
        hubArgs({ sites: { ...BRANCHES, paris: { ...BRANCHES.paris, routing: "static" } } }),
      );
      onlyProblem(error, "sites.paris.routing", "static", 'use "bgp"');
    });

    it("refuses a hub without its VPC CIDRs, which the branch networks are checked against", async () => {
      for (const vpcCidrs of [undefined, []]) {
        const error = await refused({ ...hubArgs(), vpcCidrs: vpcCidrs as unknown as string[] });
        onlyProblem(error, "vpcCidrs", vpcCidrs, "the hub VPC's CIDRs");
      }
    });

    it("refuses a branch ASN equal to the hub's Amazon side ASN", async () => {
      const error = await refused(hubArgs({ amazonSideAsn: 65002 }));
      onlyProblem(error, "sites.paris.bgpAsn", 65002, "equals the Amazon side ASN 65002");
    });

    it("reports every CloudHub problem together in one error", async () => {
      const error = await refused(
        hubArgs({
          sites: {
            a: { ipAddress: "203.0.113.1", bgpAsn: 65001, prefixes: ["10.1.0.0/16"] },
            b: { ipAddress: "203.0.113.2", bgpAsn: 65001, prefixes: ["10.1.5.0/24"] },
            c: { ipAddress: "203.0.113.3", bgpAsn: 65003, routing: "static", prefixes: ["10.0.1.0/24"] },
          },
        }),
      );
      expect(error.message).to.include(": 4 invalid arguments\n");
      expect(error.problems.map((p) => p.path).sort()).to.deep.equal([
        "sites.b.bgpAsn",
        "sites.b.prefixes[0]",
        "sites.c.prefixes[0]",
        "sites.c.routing",
      ]);
    });
  });
});
