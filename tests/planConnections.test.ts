/**
 * The plan's connections view (model/connections, cli/connectionsView): the dev and prod reference
 * environments planned under mocks as `hybridnet plan` plans them, with the expected lines written out from
 * their stack files; and small plans of what the components register for the kinds the reference stacks do
 * not use (transit gateway and VPC peering, gateway endpoints, Direct Connect on a virtual private gateway,
 * private and public VIFs, static and accelerated VPN, isolated segments).
 */

import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { columns, formatConnections, wrapJson } from "../cli/connectionsView";
import { formatPlan, type PlanResult } from "../cli/plan";
import { DirectConnectGateway } from "../components/DirectConnectGateway";
import { GatewayEndpoints } from "../components/GatewayEndpoints";
import { TransitGatewayPeering } from "../components/TransitGatewayPeering";
import { VirtualInterfaces } from "../components/VirtualInterfaces";
import { VpcPeering } from "../components/VpcPeering";
import {
  type ConnectionsStackInput,
  connectionsOfPlan,
  type StackConnections,
} from "../model/connections/stackConnections";
import { emptyStackConnections } from "../model/connections/types";
import type { PlannedResourceInput } from "../model/reachability/planInput";
import { siteDeclarations } from "../model/reachability/sites";
import { ROOT } from "./cli";
import { plannedEnvironment } from "./environment";
import { runProgram } from "./harness";

/** Each environment planned once for the whole file. */
const environments = new Map<string, ReturnType<typeof connectionsOf>>();
async function connectionsOf(env: string) {
  const { stacks, settings } = await plannedEnvironment(env);
  return connectionsOfPlan(stacks, siteDeclarations(settings));
}
function environment(env: string) {
  const cached = environments.get(env) ?? connectionsOf(env);
  environments.set(env, cached);
  return cached;
}

/** The printed lines of one stack's connections, with runs of spaces (column padding) made one. */
function linesOf(c: StackConnections | undefined): string[] {
  expect(c, "the stack has connections").to.not.equal(undefined);
  return formatConnections(c as StackConnections).map((l) => l.trim().replace(/\s+/g, " "));
}

/** The printed lines of one stack of a reference environment. */
async function printed(env: string, stackName: string): Promise<string[]> {
  return linesOf((await environment(env)).get(stackName));
}

// ---------------------------------------------------------------------------------------------------
// Hand-made plans

type Res = PlannedResourceInput & { protect?: boolean };

function res(
  type: string,
  name: string,
  id: string,
  inputs: Record<string, unknown>,
  more: Partial<Res> = {},
): Res {
  return { type, name, urn: `urn:pulumi:s::hybridnet::${type}::${name}`, id, inputs, outputs: {}, ...more };
}

const T = {
  tgw: "aws:ec2transitgateway/transitGateway:TransitGateway",
  table: "aws:ec2transitgateway/routeTable:RouteTable",
  vpcAttachment: "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
  association: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
  propagation: "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
  tgwRoute: "aws:ec2transitgateway/route:Route",
  cgw: "aws:ec2/customerGateway:CustomerGateway",
  vpn: "aws:ec2/vpnConnection:VpnConnection",
  vgw: "aws:ec2/vpnGateway:VpnGateway",
  routeTable: "aws:ec2/routeTable:RouteTable",
  tgwAccepter: "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter",
  vpcAccepter: "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
};

const table = (id: string, tgw: string, segment: string) =>
  res(T.table, `hub-${segment}`, id, { transitGatewayId: tgw, tags: { "hybridnet:segment": segment } });

function stack(resources: Res[], name = "s"): ConnectionsStackInput {
  return { name, resources, outputs: {} };
}

/** The connections of one stack `s` made of `resources`. */
function connections(resources: Res[]): StackConnections {
  return connectionsOfPlan([stack(resources)]).get("s") as StackConnections;
}

/** What a component program registers under mocks, as plan resources. */
async function registered(program: () => unknown): Promise<Res[]> {
  const run = await runProgram(program);
  expect(run.error).to.equal(undefined);
  return run.resources.all;
}

describe("plan connections", function () {
  this.timeout(240_000);

  describe("the dev environment", () => {
    it("shows each data center's VPN into the onprem segment with the ASNs on both sides and its prefixes", async () => {
      expect(await printed("dev", "connectivity-dev")).to.include.members([
        "dc1 (AS 65001, 172.16.0.0/16) → VPN 2 tunnels BGP → tgw segment onprem (AS 64512)",
        "dc2 (AS 65002, 172.17.0.0/16) → VPN 2 tunnels BGP → tgw segment onprem (AS 64512)",
      ]);
    });

    it("shows the segments, what each reaches, which are isolated, and their members", async () => {
      expect(await printed("dev", "connectivity-dev")).to.include.members([
        "segments of tgw hub-tgw (AS 64512)",
        "onprem isolated reaches shared members: vpn dc-dc1-1, vpn dc-dc2-1",
        "shared reaches onprem, shared, workloads members: vpc connectivity",
        "workloads isolated reaches shared members: vpc app-vpc (workload-app-dev), vpc payments-vpc (workload-payments-dev)",
        "vpc connectivity (10.10.0.0/20) → segment shared propagates to onprem, shared, workloads",
      ]);
      const app = await printed("dev", "workload-app-dev");
      expect(app).to.include("vpc app-vpc (10.20.0.0/16) → segment workloads propagates to shared");
    });

    it("follows PrivateLink from the consumer's endpoint to the service's targets and their ports", async () => {
      const dev = await environment("dev");
      const hub = linesOf(dev.get("connectivity-dev"));
      const toApp = hub.find((l) => l.startsWith("to-app ("));
      expect(toApp).to.match(
        /^to-app \(vpce-\w+ in vpc connectivity\) → service app \(workload-app-dev\) com\.amazonaws\.vpce\.us-east-1\.vpce-svc-\w+, accepted$/,
      );
      expect(hub[hub.indexOf(toApp as string) + 1]).to.equal(
        "TCP 443 → target group app-app TCP 8443 → 10.20.0.10:8443, 10.20.64.10:8443",
      );
      expect(hub).to.include.members([
        "TCP 443 → target group onprem-dc TCP 443 → 172.16.10.10:443, 172.17.10.10:443",
        "allowed arn:aws:iam::222233334444:root, arn:aws:iam::333344445555:root",
      ]);
      const consumers = hub.filter((l) => l.startsWith("consumer "));
      expect(consumers).to.have.length(2);
      expect(consumers[0]).to.match(
        /^consumer app-onprem \(vpce-\w+ in vpc app-vpc, workload-app-dev\), accepted$/,
      );
    });

    it("lays out the awsx VPC's subnets and lists the routes the stack adds, per route table", async () => {
      const c = (await environment("dev")).get("connectivity-dev") as StackConnections;
      expect(c.vpcs.map((v) => `${v.name} ${v.cidrs.join(" ")}`)).to.deep.equal([
        "connectivity 10.10.0.0/20",
      ]);
      expect(c.vpcs[0].subnets.map((s) => `${s.tier} ${s.zone} ${s.cidr}`)).to.deep.equal([
        "private use1-az1 10.10.0.0/22",
        "private use1-az2 10.10.4.0/22",
        "transit use1-az1 10.10.12.0/28",
        "transit use1-az2 10.10.12.16/28",
      ]);
      for (const s of c.vpcs[0].subnets) expect(s.routeTableId).to.match(/^rtb-/);
      expect(c.routeTables.map((t) => t.label)).to.deep.equal([
        "connectivity private use1-az1",
        "connectivity private use1-az2",
      ]);
      for (const t of c.routeTables)
        expect(t.routes.map((r) => `${r.destination} ${r.target.split(" (")[0]}`)).to.deep.equal([
          "10.20.0.0/16 tgw hub-tgw",
          "10.30.0.0/16 tgw hub-tgw",
          "172.16.0.0/16 tgw hub-tgw",
          "172.17.0.0/16 tgw hub-tgw",
        ]);
    });

    it("shows the Client VPN's clients, associations and authorizations", async () => {
      const lines = await printed("dev", "connectivity-dev");
      const endpoint = lines.find((l) => l.startsWith("client vpn staff"));
      expect(endpoint).to.match(
        /^client vpn staff \(cvpn-endpoint-\w+\): clients 192\.168\.100\.0\/22 in vpc-\w+$/,
      );
      expect(lines).to.include.members([
        "associated connectivity private use1-az1, connectivity private use1-az2",
        "authorized 10.10.0.0/20 (all groups)",
      ]);
    });

    it("protects nothing in dev", async () => {
      for (const [name, c] of await environment("dev")) expect(c.protected, name).to.deep.equal([]);
    });
  });

  describe("the prod environment", () => {
    it("shows ECMP, the VPN over Direct Connect and the branches on the CloudHub gateway", async () => {
      expect(await printed("prod", "connectivity-prod")).to.include.members([
        "dc1 (AS 65001, 172.16.0.0/16) → VPN 4 tunnels (2 connections, ECMP) BGP → tgw segment onprem (AS 64512)",
        "dc1 (AS 65001, 172.16.0.0/16) → VPN 2 tunnels BGP, over Direct Connect → tgw segment onprem (AS 64512)",
        "dc2 (AS 65002, 172.17.0.0/16) → VPN 2 tunnels BGP → tgw segment onprem (AS 64512)",
        "boston (AS 65101, 172.20.1.0/24) → VPN 2 tunnels BGP → vgw branches-vgw (AS 64513)",
        "denver (AS 65102, 172.20.2.0/24) → VPN 2 tunnels BGP → vgw branches-vgw (AS 64513)",
      ]);
    });

    it("shows the Direct Connect gateway, its allowed prefixes and the transit VIFs with VLAN and connection", async () => {
      expect(await printed("prod", "connectivity-prod")).to.include.members([
        "dx gateway dx-dxgw (AS 64700)",
        "→ tgw hub-tgw (AS 64512), no segment, allowed 10.255.0.0/24",
        "transit VIF dx-ashburn VLAN 101 on dxcon-ffa1b2c3 router AS 65010 → dx gateway dx-dxgw (AS 64700)",
        "transit VIF dx-reston VLAN 102 on dxcon-fgd4e5f6 router AS 65010 → dx gateway dx-dxgw (AS 64700)",
      ]);
    });

    it("lists the production anchors protect is set on, and no route or rule", async () => {
      const prod = await environment("prod");
      const hub = (prod.get("connectivity-prod") as StackConnections).protected;
      expect(hub).to.include.members([
        "TransitGateway hub-tgw",
        "Vpc connectivity",
        "VpnConnection dc-dc1-1-vpn",
        "VpnGateway branches-vgw",
        "Gateway dx-dxgw",
        "TransitVirtualInterface dx-ashburn-vif",
        "VpcEndpointService onprem-service",
      ]);
      expect(
        hub.filter((p) => /^(Route|RouteTableAssociation|SecurityGroupIngressRule) /.test(p)),
      ).to.deep.equal([]);
      expect((prod.get("workload-orders-prod") as StackConnections).protected).to.deep.equal([
        "Vpc orders-vpc",
        "VpcEndpointService orders-service",
      ]);
    });
  });

  describe("the staging environment: the web workload's software VPN appliance", () => {
    it("lists the peer like a managed VPN's site, and each tunnel with its outside and inside addresses", async () => {
      const { stacks } = await plannedEnvironment("staging");
      const eip = (role: string) =>
        stacks
          .find((s) => s.name === "workload-web-staging")
          ?.resources.find(
            (r) => r.type === "aws:ec2/eipAssociation:EipAssociation" && r.name === `web-swvpn-${role}`,
          )?.outputs?.publicIp;
      expect(eip("primary")).to.match(/^\d+\.\d+\.\d+\.\d+$/);
      // stacks/Pulumi.workload-web-staging.yaml: appliance AS 65030, partner AS 65300 at 198.51.100.60, 172.27.0.0/16;
      // the appliance takes the first address of each tunnel's /30, the peer the second.
      const lines = await printed("staging", "workload-web-staging");
      const at = lines.indexOf("sites");
      expect(lines.slice(at, at + 6)).to.deep.equal([
        "sites",
        "lab (AS 65020, 172.26.0.0/16) → VPN 2 tunnels BGP → vgw web-vpn-vgw (AS 64600)",
        "partner (AS 65300, 172.27.0.0/16) → IPsec 2 tunnels BGP → appliance web-swvpn (AS 65030)",
        "software VPN tunnels",
        `partner web-swvpn-primary ${eip("primary")} ↔ 198.51.100.60 inside 169.254.200.1 ↔ 169.254.200.2 (169.254.200.0/30)`,
        `partner web-swvpn-standby ${eip("standby")} ↔ 198.51.100.60 inside 169.254.200.5 ↔ 169.254.200.6 (169.254.200.4/30)`,
      ]);
    });

    it("names the appliance instance the private route tables send the partner's prefix to", async () => {
      const lines = await printed("staging", "workload-web-staging");
      const routes = lines.filter((l) => l.startsWith("172.27.0.0/16"));
      expect(routes).to.have.length(2);
      for (const r of routes)
        expect(r).to.match(/^172\.27\.0\.0\/16 → appliance web-swvpn-primary \(eni-[0-9a-f]+\)$/);
    });
  });

  it("puts each stack's connections in --json, and the table prints them from there", function () {
    // The whole command in its own process; on a loaded machine a plan can take minutes.
    this.timeout(420_000);
    const run = spawnSync(
      process.execPath,
      [path.join(ROOT, "bin", "hybridnet.js"), "plan", "--env", "dev", "--json"],
      {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 400_000,
        maxBuffer: 256 * 2 ** 20,
      },
    );
    expect(run.status, run.stderr).to.equal(0);
    const plan = JSON.parse(run.stdout) as PlanResult;
    expect(plan.stacks.map((s) => s.name)).to.deep.equal([
      "connectivity-dev",
      "workload-app-dev",
      "workload-payments-dev",
    ]);
    for (const s of plan.stacks) expect(s.connections, s.name).to.be.an("object");
    const hub = plan.stacks[0].connections as StackConnections;
    expect(hub.sites[0]).to.deep.include({
      site: "dc1",
      component: "dc",
      asn: 65001,
      address: "203.0.113.10",
      prefixes: ["172.16.0.0/16"],
      connections: 1,
      tunnels: 2,
      accelerated: false,
      routing: "bgp",
      transport: "internet",
    });
    expect(hub.sites[0].to).to.deep.include({ kind: "transitGateway", asn: 64512, segment: "onprem" });
    const text = formatPlan(plan);
    const section = text.split("connectivity-dev  (")[1].split("\n  outputs\n")[0];
    expect(section).to.include("\n  connections\n    sites\n");
    expect(section).to.include(
      "dc1 (AS 65001, 172.16.0.0/16)  → VPN 2 tunnels BGP  → tgw segment onprem (AS 64512)",
    );
  });

  describe("transit gateway peering", () => {
    // A hub in us-west-2 peered with one in ap-southeast-2 of another account; both hubs are in the plan.
    const US = "tgw-0c000000000000001";
    const AP = "tgw-0d000000000000001";
    const program = () => {
      const west = new aws.Provider("west", { region: "us-west-2" });
      const side = (transitGatewayId: string, region: string, accountId: string, asn: number) => ({
        transitGatewayId,
        region,
        accountId,
        amazonSideAsn: asn,
      });
      return new TransitGatewayPeering(
        "hubs",
        {
          local: {
            ...side(US, "us-west-2", "111122223333", 64520),
            cidrs: ["10.64.0.0/12"],
            associationRouteTableId: "tgw-rtb-0c000000000000001",
            routeTables: { shared: "tgw-rtb-0c000000000000001" },
          },
          peer: {
            ...side(AP, "ap-southeast-2", "444455556666", 64530),
            cidrs: ["10.96.0.0/12"],
            associationRouteTableId: "tgw-rtb-0d000000000000001",
            routeTables: { main: "tgw-rtb-0d000000000000001" },
            access: { roleArn: "arn:aws:iam::444455556666:role/peering" },
          },
        },
        { provider: west },
      );
    };
    const tables = [
      res(T.tgw, "west-tgw", US, { amazonSideAsn: 64520 }),
      res(T.tgw, "ap-tgw", AP, { amazonSideAsn: 64530 }),
      table("tgw-rtb-0c000000000000001", US, "shared"),
      table("tgw-rtb-0d000000000000001", AP, "main"),
    ];

    it("shows both hubs, their segments, the peer's Region and account, and the static routes to it", async () => {
      const c = connections([...(await registered(program)), ...tables]);
      expect(c.transitGatewayPeerings).to.have.length(1);
      const [p] = c.transitGatewayPeerings;
      expect(p).to.deep.include({ name: "hubs", accepted: true });
      expect(p.local).to.deep.equal({ transitGatewayId: US, asn: 64520, segment: "shared" });
      expect(p.peer).to.deep.equal({
        transitGatewayId: AP,
        region: "ap-southeast-2",
        accountId: "444455556666",
        asn: 64530,
        segment: "main",
      });
      expect(p.routes).to.deep.equal([
        { segment: "main", destination: "10.64.0.0/12" },
        { segment: "shared", destination: "10.96.0.0/12" },
      ]);
      const lines = linesOf(c);
      expect(lines).to.include.members([
        "tgw peering hubs: tgw-0c000000000000001 (AS 64520, segment shared) ⇄ tgw-0d000000000000001 (AS 64530, segment main) in ap-southeast-2, account 444455556666, accepted",
        "static 10.96.0.0/12 in shared → peering",
      ]);
      expect(lines).to.include.members([
        "shared isolated reaches peering hubs members: peering hubs",
        "main isolated reaches peering hubs members: peering hubs",
      ]);
    });

    it("says so when nothing in the plan accepts the peering", async () => {
      const resources = (await registered(program)).filter((r) => r.type !== T.tgwAccepter);
      const [p] = connections([...resources, ...tables]).transitGatewayPeerings;
      expect(p.accepted).to.equal(false);
      expect(p.peer).to.not.have.property("segment");
    });
  });

  describe("VPC peering", () => {
    const args = (accountId?: string) => ({
      requester: {
        vpcId: "vpc-0a000000000000001",
        cidrs: ["10.0.0.0/16"],
        routeTables: { main: "rtb-0a000000000000001" },
      },
      accepter: {
        vpcId: "vpc-0b000000000000001",
        cidrs: ["10.1.0.0/16"],
        routeTables: { app: "rtb-0b000000000000001" },
        ...(accountId ? { accountId, region: "us-east-1" } : {}),
      },
    });

    it("shows a cross-account peering accepted by its accepter, with DNS resolution", async () => {
      const resources = await registered(() => {
        const a = args("222233334444");
        return new VpcPeering("apps", {
          requester: { ...a.requester, accountId: "111122223333", region: "us-east-1" },
          accepter: { ...a.accepter, access: { roleArn: "arn:aws:iam::222233334444:role/peering" } },
        });
      });
      const [p] = connections(resources).vpcPeerings;
      expect(p).to.deep.include({ name: "apps", acceptance: "accepter", dnsResolution: true });
      expect(p.accepter).to.deep.equal({
        vpcId: "vpc-0b000000000000001",
        cidrs: [],
        accountId: "222233334444",
      });
      const line = linesOf(connections(resources)).find((l) => l.startsWith("vpc peering apps"));
      expect(line).to.match(
        /^vpc peering apps \(pcx-\w+\): vpc-0a000000000000001 \(\?\) ⇄ vpc-0b000000000000001 \(account 222233334444\), acceptance accepter, DNS resolution$/,
      );
    });

    it("shows auto-accept within one account, and pending when nothing accepts", async () => {
      const same = await registered(() => new VpcPeering("apps", args()));
      expect(connections(same).vpcPeerings[0].acceptance).to.equal("auto");
      const cross = await registered(() => {
        const a = args("222233334444");
        return new VpcPeering("apps", {
          requester: { ...a.requester, accountId: "111122223333", region: "us-east-1" },
          accepter: { ...a.accepter, access: { roleArn: "arn:aws:iam::222233334444:role/peering" } },
        });
      });
      const unaccepted = cross.filter((r) => r.type !== T.vpcAccepter);
      expect(connections(unaccepted).vpcPeerings[0].acceptance).to.equal("pending");
    });
  });

  describe("gateway endpoints", () => {
    it("shows each endpoint's service, prefix list and route tables, and its routes in those tables", async () => {
      const resources = await registered(
        () =>
          new GatewayEndpoints("vpce", {
            vpcId: "vpc-0a000000000000001",
            region: "eu-west-1",
            routeTableIds: { private: "rtb-0a000000000000001" },
          }),
      );
      const rtb = res(T.routeTable, "private", "rtb-0a000000000000001", { vpcId: "vpc-0a000000000000001" });
      const c = connections([...resources, rtb]);
      expect(
        c.gatewayEndpoints.map((g) => `${g.name} ${g.serviceName} ${g.routeTableIds.join(",")}`),
      ).to.deep.equal([
        "vpce-dynamodb com.amazonaws.eu-west-1.dynamodb rtb-0a000000000000001",
        "vpce-s3 com.amazonaws.eu-west-1.s3 rtb-0a000000000000001",
      ]);
      for (const g of c.gatewayEndpoints) expect(g.prefixListId).to.match(/^pl-/);
      expect(c.routeTables).to.have.length(1);
      expect(c.routeTables[0].routes.map((r) => r.target.split(" (")[0]).sort()).to.deep.equal([
        "endpoint vpce-dynamodb",
        "endpoint vpce-s3",
      ]);
      expect(c.routeTables[0].routes.every((r) => r.destination.startsWith("pl-"))).to.equal(true);
    });

    it("shows no gateway endpoint for an interface endpoint", async () => {
      const iface = res("aws:ec2/vpcEndpoint:VpcEndpoint", "api", "vpce-1", {
        vpcId: "vpc-1",
        serviceName: "com.amazonaws.us-east-1.execute-api",
        vpcEndpointType: "Interface",
        routeTableIds: ["rtb-1"],
      });
      expect(connections([iface]).gatewayEndpoints).to.deep.equal([]);
    });
  });

  describe("Direct Connect on a virtual private gateway", () => {
    const VGW = "vgw-0123456789abcdef0";
    const vgw = res(T.vgw, "edge-vgw", VGW, { vpcId: "vpc-0a000000000000001", amazonSideAsn: "64513" });

    it("shows the DX gateway's VGW association, a private VIF on the VGW and a public VIF's prefixes", async () => {
      const resources = await registered(() => {
        new DirectConnectGateway("dx", {
          amazonSideAsn: 64600,
          associations: {
            east: {
              gatewayType: "vgw",
              gatewayId: VGW,
              allowedPrefixes: ["10.1.0.0/16"],
              vpcCidrs: ["10.1.0.0/16"],
            },
          },
        });
        new VirtualInterfaces("priv", {
          type: "private",
          vpnGatewayId: VGW,
          bgpAsn: 65010,
          connections: {
            a: { connectionId: "dxcon-fguhmqlc", location: "EqDC2", device: "EqDC2-1abc", vlan: 101 },
          },
        });
        return new VirtualInterfaces("pub", {
          type: "public",
          bgpAsn: 64512,
          advertisedPrefixes: ["198.51.100.0/24"],
          connections: {
            a: {
              connectionId: "dxcon-fguhmqlc",
              location: "EqDC2",
              device: "EqDC2-1abc",
              vlan: 102,
              amazonAddress: "203.0.113.1/30",
              customerAddress: "203.0.113.2/30",
            },
          },
        });
      });
      const lines = linesOf(connections([...resources, vgw]));
      expect(lines).to.include.members([
        "dx gateway dx-dxgw (AS 64600)",
        "→ vgw edge-vgw (AS 64513), allowed 10.1.0.0/16",
        "private VIF priv-a VLAN 101 on dxcon-fguhmqlc router AS 65010 → vgw edge-vgw (AS 64513)",
        "public VIF pub-a VLAN 102 on dxcon-fguhmqlc router AS 64512 advertises 198.51.100.0/24",
      ]);
    });

    it("shows a hosted VIF it accepts, whose VLAN belongs to the partner", async () => {
      const resources = await registered(
        () =>
          new VirtualInterfaces("partner", {
            type: "private",
            vpnGatewayId: VGW,
            connections: { p: { hostedVirtualInterfaceId: "dxvif-ffhhk74f", location: "EqDC2" } },
          }),
      );
      const [vif] = connections([...resources, vgw]).virtualInterfaces;
      expect(vif).to.deep.include({ name: "partner-p-accepter", type: "private", hosted: true });
      expect(vif).to.not.have.property("vlan");
      expect(vif.to).to.deep.include({ kind: "vpnGateway", id: VGW, asn: 64513 });
    });
  });

  describe("VPN sites and segments from hand-made plans", () => {
    const TGW = "tgw-0e000000000000001";
    const base = (selfPropagation: boolean) => [
      res(T.tgw, "edge-tgw", TGW, { amazonSideAsn: 64600 }),
      table("tgw-rtb-e1", TGW, "edge"),
      table("tgw-rtb-e2", TGW, "apps"),
      res(T.cgw, "branch-cgw", "cgw-1", {
        bgpAsn: "65100",
        ipAddress: "198.51.100.7",
        tags: { Name: "edge-branch", "hybridnet:component": "edge" },
      }),
      res(
        T.vpn,
        "edge-branch-1-vpn",
        "vpn-1",
        {
          customerGatewayId: "cgw-1",
          transitGatewayId: TGW,
          staticRoutesOnly: true,
          enableAcceleration: true,
        },
        { outputs: { transitGatewayAttachmentId: "tgw-attach-v1" } },
      ),
      res(T.association, "a1", "x1", {
        transitGatewayAttachmentId: "tgw-attach-v1",
        transitGatewayRouteTableId: "tgw-rtb-e1",
      }),
      res(T.tgwRoute, "r1", "x2", {
        transitGatewayAttachmentId: "tgw-attach-v1",
        transitGatewayRouteTableId: "tgw-rtb-e2",
        destinationCidrBlock: "10.99.0.0/16",
      }),
      res(T.vpcAttachment, "a-app", "tgw-attach-a", {
        transitGatewayId: TGW,
        vpcId: "vpc-a",
        subnetIds: ["s"],
      }),
      res(T.vpcAttachment, "b-app", "tgw-attach-b", {
        transitGatewayId: TGW,
        vpcId: "vpc-b",
        subnetIds: ["s"],
      }),
      res(T.association, "a2", "x3", {
        transitGatewayAttachmentId: "tgw-attach-a",
        transitGatewayRouteTableId: "tgw-rtb-e2",
      }),
      res(T.association, "a3", "x4", {
        transitGatewayAttachmentId: "tgw-attach-b",
        transitGatewayRouteTableId: "tgw-rtb-e2",
      }),
      res(T.propagation, "p1", "x5", {
        transitGatewayAttachmentId: "tgw-attach-a",
        transitGatewayRouteTableId: "tgw-rtb-e1",
      }),
      ...(selfPropagation
        ? [
            res(T.propagation, "p2", "x6", {
              transitGatewayAttachmentId: "tgw-attach-b",
              transitGatewayRouteTableId: "tgw-rtb-e2",
            }),
          ]
        : []),
    ];

    it("shows a static, accelerated VPN with the prefixes of its static routes", () => {
      const lines = linesOf(connections(base(true)));
      expect(lines).to.include(
        "branch (AS 65100, 10.99.0.0/16) → VPN 2 tunnels static, accelerated → tgw segment edge (AS 64600)",
      );
    });

    it("calls a segment isolated only when its members do not reach each other", () => {
      const open = connections(base(true)).segments.find((s) => s.segment === "apps");
      expect(open).to.deep.include({ isolated: false, reaches: ["apps", "edge"] });
      expect(open?.staticRoutes).to.deep.equal([
        { destination: "10.99.0.0/16", target: "vpn edge-branch-1" },
      ]);
      const closed = connections(base(false)).segments.find((s) => s.segment === "apps");
      expect(closed).to.deep.include({ isolated: true, reaches: ["edge"] });
    });

    it("prints the same text for the same plan, whatever order the resources come in", () => {
      const forward = formatConnections(connections(base(true)));
      const backward = formatConnections(connections(base(true).reverse()));
      expect(forward.length).to.be.greaterThan(5);
      expect(backward).to.deep.equal(forward);
    });
  });

  describe("layout", () => {
    it("aligns columns and wraps long lists under their first item", () => {
      expect(
        columns(
          [
            ["a", "bbb", "x"],
            ["cccc", "d", "y"],
          ],
          "",
        ),
      ).to.deep.equal(["a     bbb  x", "cccc  d    y"]);
      const items = Array.from({ length: 30 }, (_, i) => `item-${i}`);
      const wrapped = formatConnections({ ...emptyStackConnections(), protected: items });
      expect(wrapped.length).to.be.greaterThan(2);
      for (const l of wrapped) expect(l.length).to.be.at.most(120);
      expect(wrapped.join(" ").replace(/\s+/g, " ")).to.include(items.join(", "));
    });

    it("shows a long output whole, wrapped on lines of its own; a short one on its line", () => {
      const long = {
        names: Array.from(
          { length: 12 },
          (_, i) => `vpce-${i}.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com`,
        ),
      };
      const lines = wrapJson(long, "      ");
      expect(lines.length).to.be.greaterThan(1);
      expect(lines.map((l) => l.trim()).join("")).to.equal(JSON.stringify(long));
      const text = formatPlan(planWithOutputs({ long, short: { a: 1 } }));
      expect(text).to.include('    short = {"a":1}');
      expect(text).to.include("    long =\n");
      expect(text).to.not.include("...");
      const after = text
        .split("    long =\n")[1]
        .split("\n")
        .filter((l) => l.startsWith("      "));
      expect(after.map((l) => l.trim()).join("")).to.equal(JSON.stringify(long));
    });
  });
});

function planWithOutputs(outputs: Record<string, unknown>): PlanResult {
  return {
    env: "t",
    order: [{ stack: "s", pass: 1 }],
    stacks: [
      {
        name: "s",
        passes: [1],
        resources: [],
        outputs,
        diagnostics: [],
        logs: [],
        stats: { wallMs: 0, maxRssMiB: 0 },
      },
    ],
    flows: [],
    summary: { resources: 0, mandatory: 0, advisory: 0, flows: { checked: 0, failed: 0 }, wallMs: 0 },
  };
}
