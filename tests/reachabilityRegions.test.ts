/**
 * The reachability model on what the staging environment uses and dev and prod do not, on hand-built
 * topologies: transit gateway inter-Region peering, Direct Connect on a virtual private gateway, cross-Region
 * PrivateLink, VPC peering between workloads of two accounts and Regions, and gateway endpoints as `aws:<service>`
 * zones. Each element has a flow that passes and one that drops, with the drop's reason and element.
 */
import { expect } from "chai";
import { FlowChecker } from "../model/reachability/flows";
import type { Place } from "../model/reachability/forwarding";
import {
  type Intent,
  IntentChecker,
  impliedIntents,
  resolveZone,
  zoneRefProblem,
} from "../model/reachability/intents";
import { prefix } from "../model/reachability/prefixes";
import { reachableSpace } from "../model/reachability/space";
import { type BuiltVpc, Topology } from "./topology";

const ip = (text: string) => prefix(text)!.first;

const host = (vpc: BuiltVpc): { place: Place; src: number } => ({
  place: { kind: "subnet", subnetId: vpc.subnets[0].id },
  src: prefix(vpc.subnets[0].cidr)!.first + 10,
});

function flow(t: Topology, from: { place: Place; src: number }, dst: string, port = 443) {
  return new FlowChecker(t.network).check(from.place, { src: from.src, dst: ip(dst), protocol: "tcp", port });
}

const whats = (hops: { what: string }[]) => hops.map((h) => h.what);

const intent = (from: string, to: string, expect: "allow" | "deny", port?: number): Intent => ({
  name: `${from} → ${to}`,
  from,
  to,
  protocol: "tcp",
  ...(port !== undefined ? { port } : {}),
  expect,
});

/**
 * Two hubs: eu-west-1 (table `shared`, the connectivity VPC 10.40.0.0/16) and eu-central-1 (table `central`,
 * the analytics VPC 10.60.0.0/16), peered; each side routes the other's VPC statically over the peering.
 */
function peeredHubs(opts: { accepted?: boolean; accepterTable?: "central" | "other" } = {}) {
  const t = new Topology();
  const west = t.transitGateway("hub", "connectivity-staging", "eu-west-1");
  const central = t.transitGateway("hub-eu-central-1", "connectivity-staging", "eu-central-1");
  const westTable = t.tgwTable(west, "shared");
  const centralTable = t.tgwTable(central, "central");
  const otherTable = t.tgwTable(central, "other");
  const conn = t.vpc("connectivity", "10.40.0.0/16", { stack: "connectivity-staging", region: "eu-west-1" });
  const analytics = t.vpc("analytics", "10.60.0.0/16", {
    stack: "workload-analytics-staging",
    region: "eu-central-1",
  });
  t.attachVpc(west, conn, westTable, [westTable]);
  t.attachVpc(central, analytics, centralTable, [centralTable]);
  const sides = t.tgwPeering(
    "hubs",
    { tgw: west, table: westTable },
    { tgw: central, table: opts.accepterTable === "other" ? otherTable : centralTable },
    opts.accepted ?? true,
  );
  t.tgwRoute(westTable, "10.60.0.0/16", sides.requesterSide);
  if (opts.accepted ?? true) t.tgwRoute(centralTable, "10.40.0.0/16", sides.accepterSide);
  t.route(conn, "10.60.0.0/16", { kind: "transitGateway", id: west });
  t.route(analytics, "10.40.0.0/16", { kind: "transitGateway", id: central });
  return { t, conn, analytics, centralTable, sides };
}

describe("reachability: transit gateway inter-Region peering", () => {
  it("forwards over the peering to the peer gateway, looked up in the peering attachment's table there, and back", () => {
    const { t, conn } = peeredHubs();
    const answer = flow(t, host(conn), "10.60.0.10");
    expect(answer.reachable).to.equal(true);
    expect(whats(answer.forward)).to.include.members([
      "transit gateway route table segment shared: 10.60.0.0/16 → hubs (static)",
      "over transit gateway peering hubs to transit gateway hub-eu-central-1 (eu-central-1)",
      "transit gateway route table segment central: 10.60.0.0/16 → vpc-analytics-attachment (propagated from the vpc attachment)",
    ]);
    // The reply is routed on its own, by the eu-central-1 side's static route back over the peering.
    expect(whats(answer.reply)).to.include.members([
      "transit gateway route table segment central: 10.40.0.0/16 → hubs-accepter (static)",
      "over transit gateway peering hubs-accepter to transit gateway hub (eu-west-1)",
    ]);
  });

  it("carries nothing over a peering the peer has not accepted", () => {
    const { t, conn } = peeredHubs({ accepted: false });
    const answer = flow(t, host(conn), "10.60.0.10");
    expect(answer.reachable).to.equal(false);
    expect(answer.blockedAt?.direction).to.equal("forward");
    expect(answer.blockedAt?.name).to.equal("hubs");
    expect(answer.blockedAt?.what).to.equal(
      "transit gateway peering hubs is not accepted by transit gateway hub-eu-central-1 (eu-central-1): it carries nothing until the peer accepts",
    );
  });

  it("looks up what arrives over the peering in the table associated with the peering attachment on that side", () => {
    const { t, conn } = peeredHubs({ accepterTable: "other" });
    const answer = flow(t, host(conn), "10.60.0.10");
    expect(answer.blockedAt?.what).to.equal(
      "transit gateway route table segment other has no route for 10.60.0.0/16 (VPC analytics, workload-analytics-staging)",
    );
  });

  it("propagates nothing over a peering: without the static route back, the reply is dropped", () => {
    const { t, conn, centralTable, sides } = peeredHubs();
    const table = t.network.transitGatewayRouteTables.find((x) => x.id === centralTable)!;
    table.routes = [];
    // A propagation of a peering attachment adds no route (AWS: static routes only over peering).
    table.propagations.push(sides.accepterSide);
    const answer = flow(t, host(conn), "10.60.0.10");
    expect(answer.reachable).to.equal(false);
    expect(answer.blockedAt?.direction).to.equal("reply");
    expect(answer.blockedAt?.what).to.equal(
      "transit gateway route table segment central has no route for 10.40.0.0/16 (VPC connectivity, connectivity-staging)",
    );
  });
});

/** The connectivity VPC with a VGW, a Direct Connect gateway associated with it, and site colo1 on a private VIF. */
function dxOnVgw(opts: { propagate?: boolean; allowed?: string[]; vif?: boolean } = {}) {
  const t = new Topology();
  const conn = t.vpc("connectivity", "10.40.0.0/16", { stack: "connectivity-staging" });
  const vgw = t.vpnGateway("dx-vgw", conn, opts.propagate ?? true);
  const dx = t.directConnectGateway("dx", [
    { gatewayId: vgw, allowedPrefixes: opts.allowed ?? ["10.40.0.0/16"] },
  ]);
  t.siteOnDirectConnect("colo1", ["172.25.0.0/16"], dx, opts.vif ?? true);
  return { t, conn };
}

const fromColo1 = (t: Topology, dst: string) =>
  new FlowChecker(t.network).check(
    { kind: "site", site: "colo1" },
    { src: ip("172.25.0.10"), dst: ip(dst), protocol: "tcp", port: 22 },
  );

describe("reachability: Direct Connect on a virtual private gateway", () => {
  it("carries a site's flow over its private VIF into the VGW's VPC, and the reply over the propagated route", () => {
    const { t } = dxOnVgw();
    const answer = fromColo1(t, "10.40.0.10");
    expect(answer.reachable).to.equal(true);
    expect(whats(answer.forward)).to.deep.equal([
      "site colo1 sends over Direct Connect colo1-vif",
      "Direct Connect gateway dx → virtual private gateway",
      "virtual private gateway into VPC connectivity",
      "delivered to 10.40.0.10 in private-az1 (az1)",
    ]);
    expect(whats(answer.reply)).to.deep.equal([
      "route table of VPC connectivity (private, az1): 172.25.0.0/16 → virtual private gateway vgw-dx-vgw (propagated)",
      "virtual private gateway: 172.25.0.0/16 → site colo1",
      "over Direct Connect colo1-vif to site colo1",
    ]);
  });

  it("drops the reply where the VPC's route table does not propagate the VGW's routes", () => {
    const { t } = dxOnVgw({ propagate: false });
    const answer = fromColo1(t, "10.40.0.10");
    expect(answer.blockedAt?.direction).to.equal("reply");
    expect(answer.blockedAt?.stack).to.equal("connectivity-staging");
    expect(answer.blockedAt?.what).to.equal(
      "route table of VPC connectivity (private, az1) has no route for 172.25.0.0/16 (site colo1)",
    );
  });

  it("advertises the VPC's CIDR only where an allowed prefix is the same or wider", () => {
    const narrow = fromColo1(dxOnVgw({ allowed: ["10.40.0.0/24"] }).t, "10.40.0.10");
    expect(narrow.blockedAt?.direction).to.equal("forward");
    expect(narrow.blockedAt?.name).to.equal("dx");
    expect(narrow.blockedAt?.what).to.equal(
      "Direct Connect gateway dx advertises no allowed prefix covering 10.40.0.10 to site colo1 (over a virtual private gateway AWS advertises only its VPC's CIDRs, each only where an allowed prefix is the same or wider: 10.40.0.0/24)",
    );
    expect(fromColo1(dxOnVgw({ allowed: ["10.40.0.0/15"] }).t, "10.40.0.10").reachable).to.equal(true);
  });

  it("carries nothing for a site with no virtual interface on the gateway", () => {
    const answer = fromColo1(dxOnVgw({ vif: false }).t, "10.40.0.10");
    expect(answer.blockedAt?.what).to.equal(
      "site colo1 has no virtual interface on Direct Connect gateway dx: no BGP session carries its traffic",
    );
  });

  it("implies the site and the VGW's VPC reach each other, and fails both where the allowed prefix is too narrow", () => {
    const intentsOf = (t: Topology) => {
      const checker = new IntentChecker(t.network);
      return checker.checkAll(impliedIntents(checker.index, {}));
    };
    const ok = intentsOf(dxOnVgw().t);
    expect(ok.map((v) => [v.name, v.expect, v.verdict])).to.deep.equal([
      ["site:colo1 → vpc:connectivity-staging", "allow", "pass"],
      ["vpc:connectivity-staging → site:colo1", "allow", "pass"],
    ]);
    const narrow = intentsOf(dxOnVgw({ allowed: ["10.40.0.0/24"] }).t);
    expect(narrow.map((v) => [v.name, v.verdict, v.blockedAt?.direction])).to.deep.equal([
      ["site:colo1 → vpc:connectivity-staging", "fail", "forward"],
      ["vpc:connectivity-staging → site:colo1", "fail", "reply"],
    ]);
  });
});

describe("reachability: cross-Region PrivateLink", () => {
  /** The analytics service in eu-central-1, consumed from the connectivity VPC in eu-west-1. */
  function crossRegion(opts: { supported?: string[]; serviceRegion?: string | null } = {}) {
    const t = new Topology();
    const conn = t.vpc("connectivity", "10.40.0.0/16", {
      stack: "connectivity-staging",
      region: "eu-west-1",
    });
    const analytics = t.vpc("analytics", "10.60.0.0/16", {
      stack: "workload-analytics-staging",
      region: "eu-central-1",
    });
    const rule = (cidr: string, port: number) => ({ protocol: "tcp", cidr, fromPort: port, toPort: port });
    const endpointSg = t.securityGroup("to-analytics", conn, [rule("10.40.0.0/16", 443)]);
    const nlbSg = t.securityGroup(
      "analytics-nlb",
      analytics,
      [rule("10.40.0.0/16", 443)],
      [rule("10.60.0.0/16", 8443)],
    );
    t.privateLink("analytics", analytics, conn, {
      port: 443,
      targetPort: 8443,
      targets: ["10.60.0.50"],
      endpointSg,
      nlbSg,
    });
    const endpoint = t.network.interfaceEndpoints[0];
    endpoint.region = "eu-west-1";
    if (opts.serviceRegion !== null) endpoint.serviceRegion = opts.serviceRegion ?? "eu-central-1";
    const service = t.network.endpointServices[0];
    service.region = "eu-central-1";
    service.supportedRegions = opts.supported ?? ["eu-central-1", "eu-west-1"];
    return { t, conn };
  }

  it("reaches a service in another Region that lists the consumer's Region", () => {
    const { t, conn } = crossRegion();
    const answer = flow(t, host(conn), "10.40.0.20");
    expect(answer.reachable).to.equal(true);
    expect(whats(answer.forward)).to.include(
      "endpoint service com.amazonaws.vpce.us-east-1.vpce-svc-analytics (connection accepted, cross-Region from eu-west-1 to eu-central-1)",
    );
  });

  it("drops at the service when its supported Regions omit the consumer's Region", () => {
    const { t, conn } = crossRegion({ supported: ["eu-central-1"] });
    const answer = flow(t, host(conn), "10.40.0.20");
    expect(answer.reachable).to.equal(false);
    expect(answer.blockedAt?.stack).to.equal("workload-analytics-staging");
    expect(answer.blockedAt?.what).to.equal(
      "endpoint service analytics-service (eu-central-1) does not list eu-west-1 in its supported Regions (eu-central-1): consumers in eu-west-1 cannot connect",
    );
  });

  it("drops at the endpoint when it does not name the service's Region", () => {
    const { t, conn } = crossRegion({ serviceRegion: null });
    const answer = flow(t, host(conn), "10.40.0.20");
    expect(answer.blockedAt?.stack).to.equal("connectivity-staging");
    expect(answer.blockedAt?.what).to.equal(
      "endpoint to-analytics-endpoint in eu-west-1 looks for com.amazonaws.vpce.us-east-1.vpce-svc-analytics in eu-west-1, but the service is in eu-central-1: set the endpoint's service Region to eu-central-1",
    );
  });
});

describe("reachability: VPC peering between workloads of two accounts and Regions", () => {
  /** web (eu-west-1, one account) and analytics (eu-central-1, another) in an isolated segment, peered. */
  function peeredWorkloads(opts: { accepterRoute?: boolean } = {}) {
    const t = new Topology();
    const tgw = t.transitGateway("hub", "connectivity-staging", "eu-west-1");
    const workloads = t.tgwTable(tgw, "workloads");
    const web = t.vpc("web", "10.50.0.0/16", {
      stack: "workload-web-staging",
      account: "555566667777",
      region: "eu-west-1",
    });
    const analytics = t.vpc("analytics", "10.60.0.0/16", {
      stack: "workload-analytics-staging",
      account: "666677778888",
      region: "eu-central-1",
    });
    t.attachVpc(tgw, web, workloads);
    t.attachVpc(tgw, analytics, workloads);
    const pcx = t.peering("web-analytics", web, analytics);
    t.route(web, "10.60.0.0/16", { kind: "peering", id: pcx });
    if (opts.accepterRoute ?? true) t.route(analytics, "10.50.0.0/16", { kind: "peering", id: pcx });
    return { t, web, analytics };
  }
  const segments = { workloads: { isolated: true } };

  it("implies the peered VPCs reach each other both ways, over the segment's isolation, and proves it", () => {
    const { t } = peeredWorkloads();
    const checker = new IntentChecker(t.network);
    const intents = impliedIntents(checker.index, segments);
    expect(intents.map((i) => [i.name, i.expect, i.implied])).to.deep.equal([
      [
        "vpc:workload-web-staging → vpc:workload-analytics-staging over web-analytics",
        "allow",
        "VPC peering web-analytics connects vpc:workload-web-staging and vpc:workload-analytics-staging",
      ],
      [
        "vpc:workload-analytics-staging → vpc:workload-web-staging over web-analytics",
        "allow",
        "VPC peering web-analytics connects vpc:workload-web-staging and vpc:workload-analytics-staging",
      ],
    ]);
    const verdicts = checker.checkAll(intents);
    expect(verdicts.map((v) => v.verdict)).to.deep.equal(["pass", "pass"]);
    expect(verdicts[0].path.map((h) => h.what)).to.include("peering into VPC analytics");
  });

  it("drops the reply where the accepter's route tables lack the route back over the peering", () => {
    const { t, web } = peeredWorkloads({ accepterRoute: false });
    const answer = flow(t, host(web), "10.60.0.10");
    expect(answer.blockedAt?.direction).to.equal("reply");
    expect(answer.blockedAt?.stack).to.equal("workload-analytics-staging");
    expect(answer.blockedAt?.what).to.equal(
      "route table of VPC analytics (private, az1) has no route for 10.50.0.0/16 (VPC web, workload-web-staging)",
    );
    const checker = new IntentChecker(t.network);
    const failed = checker
      .checkAll(impliedIntents(checker.index, segments))
      .filter((v) => v.verdict === "fail");
    expect(failed.map((v) => v.name)).to.deep.equal([
      "vpc:workload-web-staging → vpc:workload-analytics-staging over web-analytics",
      "vpc:workload-analytics-staging → vpc:workload-web-staging over web-analytics",
    ]);
  });
});

describe("reachability: gateway endpoints and aws:<service> zones", () => {
  /** web (eu-west-1) has an S3 endpoint and a default route to an internet gateway; analytics has DynamoDB's. */
  function endpoints() {
    const t = new Topology();
    const web = t.vpc("web", "10.50.0.0/16", { stack: "workload-web-staging", region: "eu-west-1" });
    const analytics = t.vpc("analytics", "10.60.0.0/16", {
      stack: "workload-analytics-staging",
      region: "eu-central-1",
    });
    t.gatewayEndpoint(web, "s3", "eu-west-1");
    t.gatewayEndpoint(analytics, "dynamodb", "eu-central-1");
    t.route(web, "0.0.0.0/0", { kind: "other", id: "igw-web" });
    return { t, web, analytics };
  }

  it("reaches S3 over the prefix list route, which beats the default route, and returns through the endpoint", () => {
    const { t } = endpoints();
    const verdict = new IntentChecker(t.network).check(intent("workload:web", "aws:s3", "allow", 443));
    expect(verdict.verdict).to.equal("pass");
    expect(whats(verdict.path)).to.deep.equal([
      "route table of VPC web (private, az1): pl-s3-eu-west-1 → gateway endpoint vpce-s3-vpc-web",
      "gateway endpoint s3-endpoint to com.amazonaws.eu-west-1.s3",
    ]);
    expect(whats(verdict.reply)[0]).to.equal(
      "com.amazonaws.eu-west-1.s3 answers through gateway endpoint s3-endpoint",
    );
    expect(verdict.reply[verdict.reply.length - 1].what).to.contain("delivered to 10.50.0.10");
  });

  it("drops where the subnet's route table has no route to the service's prefix list, so a deny holds", () => {
    const { t } = endpoints();
    const checker = new IntentChecker(t.network);
    const allow = checker.check(intent("workload:analytics", "aws:s3", "allow"));
    expect(allow.verdict).to.equal("fail");
    expect(allow.blockedAt?.what).to.equal(
      "route table of VPC analytics (private, az1) has no route for prefix list pl-s3-eu-west-1 (com.amazonaws.eu-west-1.s3)",
    );
    expect(checker.check(intent("workload:analytics", "aws:s3", "deny")).verdict).to.equal("pass");
    // The whole-space answer names the prefix list, not its stand-in range.
    const web = resolveZone(checker.index, "workload:web");
    const reached = reachableSpace(checker.checker, web, resolveZone(checker.index, "aws:s3"), {
      ports: [443, 443],
    });
    expect(reached.reachable).to.deep.equal([{ prefixes: ["pl-s3-eu-west-1"], ports: "443" }]);
    const leak = checker.check(intent("workload:web", "aws:s3", "deny"));
    expect(leak.verdict).to.equal("fail");
    expect(leak.path.map((h) => h.what)).to.include(
      "gateway endpoint s3-endpoint to com.amazonaws.eu-west-1.s3",
    );
  });

  it("implies each endpoint's VPC reaches its service, and names the AWS services a zone may name", () => {
    const { t } = endpoints();
    const checker = new IntentChecker(t.network);
    const verdicts = checker.checkAll(impliedIntents(checker.index, {}));
    expect(verdicts.map((v) => [v.name, v.port, v.verdict])).to.deep.equal([
      ["vpc:workload-web-staging → aws:s3", 443, "pass"],
      ["vpc:workload-analytics-staging → aws:dynamodb", 443, "pass"],
    ]);
    expect(zoneRefProblem("aws:s3")).to.equal(undefined);
    expect(zoneRefProblem("aws:dynamodb")).to.equal(undefined);
    expect(zoneRefProblem("aws:sqs")).to.contain(
      '"aws:" names an AWS service with gateway endpoints: aws:s3, aws:dynamodb',
    );
    const none = new IntentChecker(new Topology().network).check(intent("10.0.0.0/8", "aws:s3", "allow"));
    expect(none.error).to.equal(
      "aws:s3: no gateway endpoint to s3 in the plan; services with gateway endpoints: (none)",
    );
  });
});
