/**
 * The network model read from what the components register under the mock runtime (the planner's shape:
 * type, name, URN, parent, id, inputs, outputs), for the elements the staging environment adds: two hubs in two
 * Regions peered by TransitGatewayPeering, a Direct Connect gateway on a virtual private gateway with a private
 * VIF (DirectConnectGateway, VirtualInterfaces), VPC peering across accounts and Regions (VpcPeering) and
 * gateway endpoints (GatewayEndpoints). Flows over the read model pass, and drop once a resource is taken out.
 */
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { DirectConnectGateway } from "../components/DirectConnectGateway";
import { GatewayEndpoints } from "../components/GatewayEndpoints";
import { TransitGatewayPeering } from "../components/TransitGatewayPeering";
import { VirtualInterfaces } from "../components/VirtualInterfaces";
import { VpcPeering } from "../components/VpcPeering";
import {
  networkFromPlan,
  type PlannedResourceInput,
  type PlannedStackInput,
} from "../model/reachability/fromPlan";
import { type Intent, IntentChecker, impliedIntents } from "../model/reachability/intents";
import type { Network } from "../model/reachability/network";
import type { SiteDeclaration } from "../model/reachability/sites";
import { runProgram } from "./harness";

const STACK = "connectivity-staging";
const WEB = "workload-web-staging";
const ANALYTICS = "workload-analytics-staging";

/** A VPC of raw EC2 resources: one subnet in `zone`, with its own route table. */
function vpc(name: string, cidr: string, zone: string, provider: aws.Provider) {
  const v = new aws.ec2.Vpc(name, { cidrBlock: cidr }, { provider });
  const table = new aws.ec2.RouteTable(`${name}-rt`, { vpcId: v.id }, { provider });
  const subnet = new aws.ec2.Subnet(
    `${name}-a`,
    { vpcId: v.id, cidrBlock: cidr.replace(/\.0\.0\/16$/, ".1.0/24"), availabilityZone: zone },
    { provider },
  );
  new aws.ec2.RouteTableAssociation(
    `${name}-a`,
    { subnetId: subnet.id, routeTableId: table.id },
    { provider },
  );
  return { v, table, subnet, provider };
}

/** A hub with one route table (`segment`) and `attached` attached to it, propagating into it. */
function hub(name: string, asn: number, segment: string, attached: ReturnType<typeof vpc>) {
  const opts = { provider: attached.provider };
  const tgw = new aws.ec2transitgateway.TransitGateway(
    name,
    { amazonSideAsn: asn, defaultRouteTableAssociation: "disable", defaultRouteTablePropagation: "disable" },
    opts,
  );
  const table = new aws.ec2transitgateway.RouteTable(
    `${name}-${segment}`,
    { transitGatewayId: tgw.id, tags: { "hybridnet:segment": segment } },
    opts,
  );
  const attachment = new aws.ec2transitgateway.VpcAttachment(
    `${name}-vpc`,
    {
      transitGatewayId: tgw.id,
      vpcId: attached.v.id,
      subnetIds: [attached.subnet.id],
      transitGatewayDefaultRouteTableAssociation: false,
      transitGatewayDefaultRouteTablePropagation: false,
    },
    opts,
  );
  for (const kind of ["association", "propagation"] as const) {
    const Resource =
      kind === "association"
        ? aws.ec2transitgateway.RouteTableAssociation
        : aws.ec2transitgateway.RouteTablePropagation;
    new Resource(
      `${name}-vpc-${kind}`,
      { transitGatewayAttachmentId: attachment.id, transitGatewayRouteTableId: table.id },
      opts,
    );
  }
  return { tgw, table };
}

/** What the staging connectivity stack (and, here in one program, its workloads) registers of the new elements. */
function stagingProgram() {
  const west = new aws.Provider("eu-west-1", { region: "eu-west-1" });
  const central = new aws.Provider("eu-central-1", { region: "eu-central-1" });
  const analyticsAccount = new aws.Provider("analytics", {
    region: "eu-central-1",
    assumeRoles: [{ roleArn: "arn:aws:iam::666677778888:role/hybridnet-deploy" }],
  });
  const conn = vpc("connectivity", "10.40.0.0/16", "eu-west-1a", west);
  const shared = vpc("shared-central", "10.41.0.0/16", "eu-central-1a", central);
  const web = vpc("web", "10.50.0.0/16", "eu-west-1b", west);
  const analytics = vpc("analytics", "10.60.0.0/16", "eu-central-1b", analyticsAccount);
  const first = hub("hub", 64520, "shared", conn);
  const second = hub("hub-eu-central-1", 64521, "shared", shared);
  new TransitGatewayPeering(
    "hubs",
    {
      local: {
        transitGatewayId: first.tgw.id,
        region: "eu-west-1",
        amazonSideAsn: 64520,
        cidrs: ["10.40.0.0/16"],
        associationRouteTableId: first.table.id,
        routeTables: { shared: first.table.id },
      },
      peer: {
        transitGatewayId: second.tgw.id,
        region: "eu-central-1",
        amazonSideAsn: 64521,
        cidrs: ["10.41.0.0/16"],
        associationRouteTableId: second.table.id,
        routeTables: { shared: second.table.id },
        // The network account (the mock's default) in the peer's Region: the component makes this provider.
        access: { roleArn: "arn:aws:iam::111122223333:role/hybridnet-deploy" },
      },
    },
    { provider: west },
  );
  new aws.ec2.Route(
    "connectivity-to-central",
    { routeTableId: conn.table.id, destinationCidrBlock: "10.41.0.0/16", transitGatewayId: first.tgw.id },
    { provider: west },
  );
  new aws.ec2.Route(
    "central-to-connectivity",
    { routeTableId: shared.table.id, destinationCidrBlock: "10.40.0.0/16", transitGatewayId: second.tgw.id },
    { provider: central },
  );
  // Direct Connect on the connectivity VPC's virtual private gateway, to colo1 over a private VIF.
  const vgw = new aws.ec2.VpnGateway(
    "dx-vgw",
    { vpcId: conn.v.id, amazonSideAsn: "64512" },
    { provider: west },
  );
  new aws.ec2.VpnGatewayRoutePropagation(
    "dx-vgw-connectivity",
    { vpnGatewayId: vgw.id, routeTableId: conn.table.id },
    { provider: west },
  );
  const dx = new DirectConnectGateway(
    "dx",
    {
      amazonSideAsn: 64530,
      associations: {
        vpc: {
          gatewayType: "vgw",
          gatewayId: vgw.id,
          allowedPrefixes: ["10.40.0.0/16"],
          vpcCidrs: ["10.40.0.0/16"],
        },
      },
    },
    { provider: west },
  );
  new VirtualInterfaces(
    "dx",
    {
      type: "private",
      dxGatewayId: dx.dxGatewayId,
      bgpAsn: 65011,
      amazonSideAsn: 64530,
      connections: {
        colo1: { connectionId: "dxcon-fguhmqlc", location: "EqLD5", device: "EqLD5-1abc", vlan: 210 },
      },
    },
    { provider: west },
  );
  // web (eu-west-1) peers with analytics (another account, eu-central-1).
  new VpcPeering(
    "web-analytics",
    {
      requester: {
        vpcId: web.v.id,
        cidrs: ["10.50.0.0/16"],
        routeTables: { private: web.table.id },
      },
      accepter: {
        vpcId: analytics.v.id,
        cidrs: ["10.60.0.0/16"],
        routeTables: { private: analytics.table.id },
        accountId: "666677778888",
        region: "eu-central-1",
        access: { roleArn: "arn:aws:iam::666677778888:role/hybridnet-deploy" },
      },
    },
    { provider: west },
  );
  new GatewayEndpoints(
    "web-endpoints",
    { vpcId: web.v.id, region: "eu-west-1", routeTableIds: { private: web.table.id }, services: ["s3"] },
    { provider: west },
  );
}

const SITES: SiteDeclaration[] = [
  { stack: STACK, component: "dx", site: "colo1", prefixes: ["172.25.0.0/16"], over: "directConnect" },
];

/** The stack a resource of the one-program run stands for: the workloads' own, by name, else the connectivity stack. */
function stackOf(name: string): string {
  if (name.startsWith("web")) return WEB;
  if (name.startsWith("analytics")) return ANALYTICS;
  return STACK;
}

/**
 * Runs the program under mocks and reads its registrations as the planner hands them to the model, one stack per
 * account role, less the resources `without` takes out.
 */
async function planned(without: (type: string, name: string) => boolean = () => false): Promise<Network> {
  const run = await runProgram(() => stagingProgram(), { stack: STACK });
  expect(run.error).to.equal(undefined);
  const stacks = new Map<string, PlannedStackInput>(
    [STACK, WEB, ANALYTICS].map((name) => [name, { name, outputs: {}, resources: [] }]),
  );
  for (const r of run.resources.all) {
    if (without(r.type, r.name)) continue;
    (stacks.get(stackOf(r.name))!.resources as PlannedResourceInput[]).push({
      type: r.type,
      name: r.name,
      urn: r.urn,
      ...(r.parent ? { parent: r.parent } : {}),
      id: r.id,
      inputs: r.inputs,
      outputs: r.outputs,
    });
  }
  return networkFromPlan([...stacks.values()], SITES);
}

const allow = (from: string, to: string, port?: number): Intent => ({
  name: `${from} → ${to}`,
  from,
  to,
  protocol: "tcp",
  ...(port !== undefined ? { port } : {}),
  expect: "allow",
});

describe("network model from the components the staging environment uses", function () {
  this.timeout(120000);
  let network: Network;
  before(async () => {
    network = await planned();
  });

  it("places each transit gateway in its provider's Region and peers them, one attachment record per side", () => {
    expect(network.transitGateways.map((t) => [t.origin.name, t.region])).to.deep.equal([
      ["hub", "eu-west-1"],
      ["hub-eu-central-1", "eu-central-1"],
    ]);
    const peering = network.transitGatewayAttachments.filter((a) => a.kind === "peering");
    expect(peering.map((a) => a.origin.name)).to.deep.equal(["hubs-attachment", "hubs-accepter"]);
    expect(peering[0].peerAttachmentId).to.equal(peering[1].id);
    expect(peering[1].peerAttachmentId).to.equal(peering[0].id);
    // Each side's association and static route name that side's record.
    const tables = network.transitGatewayRouteTables;
    for (const [side, table] of [
      [peering[0], tables.find((t) => t.origin.name === "hub-shared")!],
      [peering[1], tables.find((t) => t.origin.name === "hub-eu-central-1-shared")!],
    ] as const) {
      expect(table.associations).to.include(side.id);
      expect(table.routes.map((r) => r.attachmentId)).to.deep.equal([side.id]);
    }
  });

  it("carries a flow between the two Regions' VPCs over the peering, both ways", () => {
    const checker = new IntentChecker(network);
    const verdict = checker.check(allow(`vpc:${STACK}`, "10.41.1.10", 443));
    expect(verdict.verdict, JSON.stringify(verdict.blockedAt)).to.equal("pass");
    expect(verdict.path.map((h) => h.what)).to.include(
      "over transit gateway peering hubs-attachment to transit gateway hub-eu-central-1 (eu-central-1)",
    );
    expect(verdict.reply.map((h) => h.what)).to.include(
      "over transit gateway peering hubs-accepter to transit gateway hub (eu-west-1)",
    );
  });

  it("links colo1 over the private VIF on the gateway associated with the VGW, and proves the implied flows", () => {
    const colo1 = network.sites.find((s) => s.name === "colo1")!;
    expect(colo1.links.map((l) => [l.kind, l.origin.name, l.virtualInterfaceId?.slice(0, 6)])).to.deep.equal([
      ["directConnect", "dx-colo1-vif", "dxvif-"],
    ]);
    const checker = new IntentChecker(network);
    const implied = checker.checkAll(impliedIntents(checker.index, {}));
    const dxVerdicts = implied.filter((v) => v.name.includes("site:colo1"));
    expect(dxVerdicts.map((v) => [v.name, v.verdict])).to.deep.equal([
      [`site:colo1 → vpc:${STACK}`, "pass"],
      [`vpc:${STACK} → site:colo1`, "pass"],
    ]);
  });

  it("peers web and analytics across accounts and Regions, and reaches S3 from web over its gateway endpoint", () => {
    const [peering] = network.peerings;
    expect(peering.active).to.equal(true);
    expect(network.vpcs.find((v) => v.id === peering.accepterVpcId)?.account).to.equal("666677778888");
    const checker = new IntentChecker(network);
    const implied = checker.checkAll(impliedIntents(checker.index, {}));
    expect(
      implied.filter((v) => !v.name.includes("site:colo1")).map((v) => [v.name, v.verdict]),
    ).to.deep.equal([
      [`vpc:${WEB} → vpc:${ANALYTICS} over web-analytics`, "pass"],
      [`vpc:${ANALYTICS} → vpc:${WEB} over web-analytics`, "pass"],
      [`vpc:${WEB} → aws:s3`, "pass"],
    ]);
    const s3 = checker.check(allow(`workload:web`, "aws:s3", 443));
    expect(s3.path.map((h) => h.what)).to.include(
      "gateway endpoint web-endpoints-s3 to com.amazonaws.eu-west-1.s3",
    );
  });

  it("drops what a missing propagation or a missing accepter route breaks", async () => {
    const broken = await planned(
      (type, name) =>
        type === "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation" ||
        (type === "aws:ec2/route:Route" && name.startsWith("web-analytics-accepter-")),
    );
    const checker = new IntentChecker(broken);
    const dx = checker.check(allow("site:colo1", "10.40.1.10", 22));
    expect(dx.verdict).to.equal("fail");
    expect(dx.blockedAt?.direction).to.equal("reply");
    expect(dx.blockedAt?.what).to.equal(
      "route table of VPC connectivity (connectivity-a, eu-west-1a) has no route for 172.25.0.0/16 (site colo1)",
    );
    const peered = checker.check(allow("10.50.1.10", "10.60.1.10", 443));
    expect(peered.blockedAt?.direction).to.equal("reply");
    expect(peered.blockedAt?.what).to.equal(
      `route table of VPC analytics (analytics-a, eu-central-1b) has no route for 10.50.0.0/16 (VPC web, ${WEB})`,
    );
  });
});
