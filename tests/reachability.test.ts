import { expect } from "chai";
import { FlowChecker } from "../model/reachability/flows";
import type { Place } from "../model/reachability/forwarding";
import { findHijacks } from "../model/reachability/hijacks";
import { IntentChecker, impliedIntents } from "../model/reachability/intents";
import { NetworkIndex } from "../model/reachability/networkIndex";
import { prefix } from "../model/reachability/prefixes";
import { reachableSpace } from "../model/reachability/space";
import { type BuiltVpc, Topology } from "./topology";

const ip = (text: string) => prefix(text)!.first;

/**
 * The landing zone in small: a hub with segments shared, workloads (isolated) and onprem (isolated); the shared
 * VPC 10.10.0.0/16, workloads app 10.20.0.0/16 and pay 10.30.0.0/16, data center dc1 172.16.0.0/16 on a BGP VPN.
 */
function landingZone() {
  const t = new Topology();
  const tgw = t.transitGateway("hub");
  const shared = t.tgwTable(tgw, "shared");
  const workloads = t.tgwTable(tgw, "workloads");
  const onprem = t.tgwTable(tgw, "onprem");
  const sharedVpc = t.vpc("connectivity", "10.10.0.0/16", { stack: "connectivity-dev" });
  const app = t.vpc("app", "10.20.0.0/16", { stack: "workload-app-dev" });
  const pay = t.vpc("pay", "10.30.0.0/16", { stack: "workload-pay-dev" });
  t.attachVpc(tgw, sharedVpc, shared, [shared, workloads, onprem]);
  t.attachVpc(tgw, app, workloads, [shared]);
  t.attachVpc(tgw, pay, workloads, [shared]);
  t.siteOnTgw("dc1", ["172.16.0.0/16"], tgw, onprem, [shared]);
  for (const d of ["172.16.0.0/16", "10.20.0.0/16", "10.30.0.0/16"])
    t.route(sharedVpc, d, { kind: "transitGateway", id: tgw });
  for (const v of [app, pay]) t.route(v, "10.10.0.0/16", { kind: "transitGateway", id: tgw });
  return { t, tgw, tables: { shared, workloads, onprem }, vpcs: { shared: sharedVpc, app, pay } };
}

const host = (vpc: BuiltVpc, zone = 0): { place: Place; src: number } => ({
  place: { kind: "subnet", subnetId: vpc.subnets[zone].id },
  src: prefix(vpc.subnets[zone].cidr)!.first + 10,
});

function flow(t: Topology, from: { place: Place; src: number }, dst: string, port = 443) {
  return new FlowChecker(t.network).check(from.place, { src: from.src, dst: ip(dst), protocol: "tcp", port });
}

describe("reachability: VPC and transit gateway routing", () => {
  it("carries a workload → shared flow both ways, naming each route table on the way", () => {
    const { t, vpcs } = landingZone();
    const answer = flow(t, host(vpcs.app), "10.10.0.10");
    expect(answer.reachable).to.equal(true);
    expect(answer.forward.map((h) => h.what)).to.have.length.greaterThan(2);
    expect(answer.forward.some((h) => h.what.includes("segment workloads: 10.10.0.0/16"))).to.equal(true);
    // The reply is routed on its own: through the shared VPC's table and the shared segment.
    expect(answer.reply.some((h) => h.what.includes("segment shared: 10.20.0.0/16"))).to.equal(true);
    expect(answer.reply[answer.reply.length - 1].what).to.contain("delivered to 10.20.0.10");
  });

  it("drops the reply when the shared VPC has no route back to the workload, naming the table and the range", () => {
    const { t, vpcs } = landingZone();
    for (const rt of t.network.routeTables.filter((r) => r.vpcId === vpcs.shared.id))
      rt.routes = rt.routes.filter((r) => r.destination !== "10.20.0.0/16");
    const answer = flow(t, host(vpcs.app), "10.10.0.10");
    expect(answer.reachable).to.equal(false);
    expect(answer.blockedAt?.direction).to.equal("reply");
    expect(answer.blockedAt?.stack).to.equal("connectivity-dev");
    expect(answer.blockedAt?.what).to.equal(
      "route table of VPC connectivity (private, az1) has no route for 10.20.0.0/16 (VPC app, workload-app-dev)",
    );
  });

  it("keeps an isolated segment's members apart: no route in the segment's table", () => {
    const { t, vpcs, tgw } = landingZone();
    t.route(vpcs.app, "10.0.0.0/8", { kind: "transitGateway", id: tgw });
    const answer = flow(t, host(vpcs.app), "10.30.0.10");
    expect(answer.reachable).to.equal(false);
    expect(answer.blockedAt?.direction).to.equal("forward");
    expect(answer.blockedAt?.what).to.equal(
      "transit gateway route table segment workloads has no route for 10.30.0.0/16 (VPC pay, workload-pay-dev)",
    );
    // The same flow to the shared VPC still works through the broader route.
    expect(flow(t, host(vpcs.app), "10.10.0.10").reachable).to.equal(true);
  });

  it("lets the longest prefix win: a /24 blackhole inside a propagated /16 drops only that /24", () => {
    const { t, vpcs, tables } = landingZone();
    t.tgwRoute(tables.workloads, "10.10.5.0/24");
    const blocked = flow(t, host(vpcs.app), "10.10.5.10");
    expect(blocked.reachable).to.equal(false);
    expect(blocked.blockedAt?.what).to.equal(
      "blackhole route 10.10.5.0/24 in transit gateway route table segment workloads",
    );
    expect(flow(t, host(vpcs.app), "10.10.0.10").reachable).to.equal(true);
  });

  it("prefers a static route over a propagated one of the same prefix (transit gateway evaluation order)", () => {
    const { t, vpcs, tables } = landingZone();
    // A static 10.10.0.0/16 toward the pay attachment beats the shared VPC's propagated 10.10.0.0/16.
    t.tgwRoute(tables.workloads, "10.10.0.0/16", `tgw-attach-${vpcs.pay.id}`);
    const answer = flow(t, host(vpcs.app), "10.10.0.10");
    expect(answer.reachable).to.equal(false);
    expect(answer.forward.some((h) => h.what.includes("(static)"))).to.equal(true);
    expect(answer.blockedAt?.stack).to.equal("workload-pay-dev");
  });

  it("prefers a VPC-propagated route over a VPN-propagated one of the same prefix, and flags a longer one as a hijack", () => {
    const { t, tgw, vpcs, tables } = landingZone();
    t.siteOnTgw("dc2", ["10.10.0.0/16"], tgw, tables.onprem, [tables.workloads]);
    const equal = flow(t, host(vpcs.app), "10.10.0.10");
    expect(equal.reachable).to.equal(true);
    expect(equal.forward.some((h) => h.what.includes("propagated from the vpc attachment"))).to.equal(true);
    expect(findHijacks(new NetworkIndex(t.network))).to.deep.equal([]);

    const longer = landingZone();
    longer.t.siteOnTgw("dc2", ["10.10.5.0/24"], longer.tgw, longer.tables.onprem, [longer.tables.workloads]);
    const hijacks = findHijacks(new NetworkIndex(longer.t.network));
    expect(hijacks.map((h) => [h.site, h.prefix, h.vpc, h.vpcCidr])).to.deep.equal([
      ["dc2", "10.10.5.0/24", "vpc:connectivity-dev", "10.10.0.0/16"],
    ]);
    expect(hijacks[0].table.name).to.equal("hub-workloads");
    // The hijacked range's traffic goes to the site, not the VPC.
    const stolen = flow(longer.t, host(longer.vpcs.app), "10.10.5.10");
    expect(stolen.forward.some((h) => h.what.includes("to site dc2"))).to.equal(true);
  });

  it("carries nothing over an attachment that is associated with no route table", () => {
    const t = new Topology();
    const tgw = t.transitGateway("hub");
    const table = t.tgwTable(tgw, "shared");
    const a = t.vpc("a", "10.1.0.0/16");
    const b = t.vpc("b", "10.2.0.0/16");
    t.attachVpc(tgw, a, undefined, [table]);
    t.attachVpc(tgw, b, table, [table]);
    t.route(a, "10.2.0.0/16", { kind: "transitGateway", id: tgw });
    t.route(b, "10.1.0.0/16", { kind: "transitGateway", id: tgw });
    const answer = flow(t, host(a), "10.2.0.10");
    expect(answer.blockedAt?.what).to.equal(
      "attachment vpc-a-attachment is associated with no transit gateway route table: it carries nothing",
    );
    t.place(`tgw-attach-${a.id}`, table);
    expect(flow(t, host(a), "10.2.0.10").reachable).to.equal(true);
  });

  it("drops traffic from a zone where the attachment has no subnet", () => {
    const t = new Topology();
    const tgw = t.transitGateway("hub");
    const table = t.tgwTable(tgw, "shared");
    const a = t.vpc("a", "10.1.0.0/16");
    const b = t.vpc("b", "10.2.0.0/16");
    t.attachVpc(tgw, a, table, [table], ["az1"]);
    t.attachVpc(tgw, b, table, [table]);
    t.route(a, "10.2.0.0/16", { kind: "transitGateway", id: tgw });
    t.route(b, "10.1.0.0/16", { kind: "transitGateway", id: tgw });
    expect(flow(t, host(a, 0), "10.2.0.10").reachable).to.equal(true);
    const az2 = flow(t, host(a, 1), "10.2.0.10");
    expect(az2.blockedAt?.what).to.equal(
      "attachment vpc-a-attachment has no subnet in az2: hosts there cannot reach the transit gateway",
    );
  });
});

describe("reachability: sites, gateways and peering", () => {
  it("routes the reply of a data center flow through other tables than the request", () => {
    const { t, vpcs } = landingZone();
    const answer = new FlowChecker(t.network).check(
      { kind: "site", site: "dc1" },
      { src: ip("172.16.0.10"), dst: ip("10.10.0.10"), protocol: "tcp", port: 22 },
    );
    expect(answer.reachable).to.equal(true);
    expect(answer.forward.some((h) => h.what.includes("segment onprem"))).to.equal(true);
    expect(answer.reply.some((h) => h.what.includes("segment shared: 172.16.0.0/16"))).to.equal(true);
    expect(answer.reply[answer.reply.length - 1].what).to.equal("over VPN dc1-vpn to site dc1");
    // dc1 reaches no workload: its segment's table holds only the shared VPC.
    const toApp = new FlowChecker(t.network).check(
      { kind: "site", site: "dc1" },
      {
        src: ip("172.16.0.10"),
        dst: ip(vpcs.app.subnets[0].cidr.replace("0/24", "10")),
        protocol: "tcp",
        port: 22,
      },
    );
    expect(toApp.blockedAt?.what).to.equal(
      "transit gateway route table segment onprem has no route for 10.20.0.0/16 (VPC app, workload-app-dev)",
    );
  });

  it("needs every link of a site to deliver: a second VPN whose attachment has no table fails the flow", () => {
    const { t, tgw } = landingZone();
    t.siteOnTgw("dc1", ["172.16.0.0/16"], tgw, undefined, [], "bgp", "dc1-backup");
    const answer = new FlowChecker(t.network).check(
      { kind: "site", site: "dc1" },
      { src: ip("172.16.0.10"), dst: ip("10.10.0.10"), protocol: "tcp", port: 22 },
    );
    expect(answer.reachable).to.equal(false);
    expect(answer.blockedAt?.name).to.equal("dc1-backup");
  });

  it("routes between CloudHub sites through the virtual private gateway, and a static VPN only for its routes", () => {
    const t = new Topology();
    const vpc = t.vpc("hub", "10.10.0.0/16");
    const vgw = t.vpnGateway("branches", vpc);
    t.siteOnVgw("boston", ["172.20.1.0/24"], vgw);
    t.siteOnVgw("denver", ["172.20.2.0/24"], vgw);
    const checker = new FlowChecker(t.network);
    const between = checker.check(
      { kind: "site", site: "boston" },
      { src: ip("172.20.1.10"), dst: ip("172.20.2.10"), protocol: "tcp", port: 22 },
    );
    expect(between.reachable).to.equal(true);
    expect(between.forward.map((h) => h.what)).to.include(
      "virtual private gateway: 172.20.2.0/24 → site denver",
    );
    const toVpc = checker.check(
      { kind: "site", site: "boston" },
      { src: ip("172.20.1.10"), dst: ip("10.10.0.10"), protocol: "tcp", port: 22 },
    );
    expect(toVpc.reachable).to.equal(true);
    expect(toVpc.reply.some((h) => h.what.includes("(propagated)"))).to.equal(true);

    // A static VPN whose only route is 172.20.3.0/25: the other half of the site gets no reply.
    t.siteOnVgw("austin", ["172.20.3.0/24"], vgw, "static", ["172.20.3.0/25"]);
    const static2 = new FlowChecker(t.network);
    expect(
      static2.check(
        { kind: "site", site: "austin" },
        { src: ip("172.20.3.10"), dst: ip("10.10.0.10"), protocol: "tcp", port: 22 },
      ).reachable,
    ).to.equal(true);
    const half = static2.check(
      { kind: "site", site: "austin" },
      { src: ip("172.20.3.200"), dst: ip("10.10.0.10"), protocol: "tcp", port: 22 },
    );
    expect(half.blockedAt?.direction).to.equal("reply");
    expect(half.blockedAt?.what).to.contain("has no route for 172.20.3.0/24 (site austin)");
  });

  it("lets a Direct Connect site send only to the gateway's allowed prefixes", () => {
    const { t, tgw, tables } = landingZone();
    const dxAttachment = "tgw-attach-dxgw-dx";
    const dx = t.directConnectGateway("dx", [
      { gatewayId: tgw, allowedPrefixes: ["10.10.0.0/16"], attachmentId: dxAttachment },
    ]);
    t.attachDirectConnect(tgw, dx, tables.onprem, [tables.shared]);
    t.siteOnDirectConnect("dc9", ["192.168.0.0/16"], dx);
    for (const rt of t.network.routeTables.filter((r) => r.vpcId === "vpc-connectivity"))
      rt.routes.push({
        destination: "192.168.0.0/16",
        target: { kind: "transitGateway", id: tgw },
        origin: { stack: "x", name: "dx-route" },
      });
    const checker = new FlowChecker(t.network);
    const ok = checker.check(
      { kind: "site", site: "dc9" },
      { src: ip("192.168.0.10"), dst: ip("10.10.0.10"), protocol: "tcp", port: 22 },
    );
    expect(ok.reachable).to.equal(true);
    expect(
      ok.reply.some((h) => h.what.includes("propagated from the directConnectGateway attachment")),
    ).to.equal(true);
    const no = checker.check(
      { kind: "site", site: "dc9" },
      { src: ip("192.168.0.10"), dst: ip("10.20.0.10"), protocol: "tcp", port: 22 },
    );
    expect(no.blockedAt?.what).to.equal(
      "Direct Connect gateway dx advertises no allowed prefix covering 10.20.0.10 to site dc9",
    );
  });

  it("peers only the two VPCs: a peering is not transitive, and an unaccepted one carries nothing", () => {
    const t = new Topology();
    const a = t.vpc("a", "10.1.0.0/16");
    const b = t.vpc("b", "10.2.0.0/16");
    const c = t.vpc("c", "10.3.0.0/16");
    const ab = t.peering("ab", a, b);
    const bc = t.peering("bc", b, c);
    t.route(a, "10.2.0.0/16", { kind: "peering", id: ab });
    t.route(b, "10.1.0.0/16", { kind: "peering", id: ab });
    t.route(b, "10.3.0.0/16", { kind: "peering", id: bc });
    t.route(c, "10.2.0.0/16", { kind: "peering", id: bc });
    // a sends 10.3.0.0/16 to its peer b: b will not forward it to c.
    t.route(a, "10.3.0.0/16", { kind: "peering", id: ab });
    expect(flow(t, host(a), "10.2.0.10").reachable).to.equal(true);
    const transit = flow(t, host(a), "10.3.0.10");
    expect(transit.blockedAt?.what).to.equal(
      "peering ab delivers only to VPC b's CIDRs, not 10.3.0.0/16 (VPC c, c): peering is not transitive",
    );
    t.network.peerings[0].active = false;
    expect(flow(t, host(a), "10.2.0.10").blockedAt?.what).to.equal("peering ab is not accepted");
  });
});

describe("reachability: PrivateLink and Client VPN", () => {
  function privateLink(
    opts: {
      endpointCidrs?: string[];
      nlbCidrs?: string[];
      accepted?: boolean;
      targets?: string[];
      /** Listener and target group protocol. @default "TCP". */
      protocol?: "TCP" | "UDP" | "TCP_UDP";
      /** Protocols the security group rules admit. @default ["tcp"]. */
      ruleProtocols?: ("tcp" | "udp")[];
    } = {},
  ) {
    const lz = landingZone();
    const { t, vpcs } = lz;
    const ruleProtocols = opts.ruleProtocols ?? ["tcp"];
    const rules = (cidrs: string[], port: number) =>
      cidrs.flatMap((cidr) =>
        ruleProtocols.map((protocol) => ({ protocol, cidr, fromPort: port, toPort: port })),
      );
    const endpointSg = t.securityGroup(
      "to-app",
      vpcs.shared,
      rules(opts.endpointCidrs ?? ["10.10.0.0/16", "172.16.0.0/16"], 443),
    );
    const nlbSg = t.securityGroup(
      "app-nlb",
      vpcs.app,
      rules(opts.nlbCidrs ?? ["10.10.0.0/16", "172.16.0.0/16"], 443),
      rules(["10.20.0.0/16", "172.16.0.0/16"], 8443),
    );
    const link = t.privateLink("app", vpcs.app, vpcs.shared, {
      port: 443,
      targetPort: 8443,
      targets: opts.targets ?? ["10.20.0.50", "10.20.1.50"],
      endpointSg,
      nlbSg,
      ...(opts.accepted === false ? { accepted: false } : {}),
      ...(opts.protocol ? { protocol: opts.protocol } : {}),
    });
    return { ...lz, link };
  }

  const fromDc1 = (t: Topology, dst: string, port = 443, protocol: "tcp" | "udp" = "tcp") =>
    new FlowChecker(t.network).check(
      { kind: "site", site: "dc1" },
      { src: ip("172.16.0.10"), dst: ip(dst), protocol, port },
    );

  it("reaches a UDP service over a UDP listener, and drops a TCP flow at a UDP-only listener", () => {
    const { t, link } = privateLink({ protocol: "UDP", ruleProtocols: ["tcp", "udp"] });
    const udp = fromDc1(t, link.endpointAddresses[0], 443, "udp");
    expect(udp.reachable, udp.blockedAt?.what).to.equal(true);
    const what = udp.forward.map((h) => h.what);
    expect(what).to.include("interface endpoint 10.10.0.20 admits udp/443");
    expect(what).to.include("listener UDP 443");
    expect(what.some((w) => w.startsWith("delivered to 10.20.0.50"))).to.equal(true);
    const tcp = fromDc1(t, link.endpointAddresses[0], 443, "tcp");
    expect(tcp.reachable).to.equal(false);
    expect(tcp.blockedAt?.what).to.equal("load balancer app-nlb has no listener for tcp/443");
  });

  it("carries both tcp and udp over a TCP_UDP listener, and drops udp where the groups admit only tcp", () => {
    const both = privateLink({ protocol: "TCP_UDP", ruleProtocols: ["tcp", "udp"] });
    for (const protocol of ["tcp", "udp"] as const) {
      const answer = fromDc1(both.t, both.link.endpointAddresses[0], 443, protocol);
      expect(answer.reachable, `${protocol}: ${answer.blockedAt?.what}`).to.equal(true);
    }
    const tcpRules = privateLink({ protocol: "TCP_UDP" });
    expect(fromDc1(tcpRules.t, tcpRules.link.endpointAddresses[0], 443, "udp").blockedAt?.what).to.equal(
      "security group of endpoint to-app-endpoint admits no udp/443 from 172.16.0.0/16 (site dc1)",
    );
  });

  it("reaches a service through the endpoint, the load balancer and every target, and back", () => {
    const { t, link } = privateLink();
    const answer = fromDc1(t, link.endpointAddresses[0]);
    expect(answer.reachable).to.equal(true);
    const what = answer.forward.map((h) => h.what);
    expect(what).to.include("interface endpoint 10.10.0.20 admits tcp/443");
    expect(what).to.include("listener TCP 443");
    expect(what.some((w) => w.startsWith("delivered to 10.20.0.50"))).to.equal(true);
    expect(answer.reply[answer.reply.length - 1].what).to.equal("over VPN dc1-vpn to site dc1");
  });

  it("answers the load balancer's nodes at the addresses AWS reports, wherever an endpoint of the subnet is", () => {
    // An endpoint of another service in the NLB's subnets, at each subnet's fifth address (the first four are
    // AWS's): AWS gives the NLB's nodes other addresses and reports them (subnetMappings).
    const placed = (reported: boolean) => {
      const { t, link } = privateLink();
      const lb = t.network.loadBalancers[0];
      const appSubnets = t.network.subnets.filter((s) => lb.subnetIds.includes(s.id));
      expect(appSubnets.length).to.be.greaterThan(0);
      t.network.interfaceEndpoints.push({
        id: "vpce-other",
        vpcId: lb.vpcId,
        serviceName: "com.amazonaws.us-east-1.s3",
        subnetIds: appSubnets.map((s) => s.id),
        securityGroupIds: [],
        addresses: appSubnets.map((s) => ({ subnetId: s.id, address: s.cidr.replace(/\.0\/24$/, ".4") })),
        origin: { stack: "app", name: "other-endpoint" },
      });
      if (reported)
        lb.nodeAddresses = Object.fromEntries(
          appSubnets.map((s) => [s.id, s.cidr.replace(/\.0\/24$/, ".30")]),
        );
      return fromDc1(t, link.endpointAddresses[0]);
    };
    const answer = placed(true);
    expect(answer.reachable, answer.blockedAt?.what).to.equal(true);
    // Without the reported addresses the model falls back to the fifth address, which the other endpoint holds.
    const fallback = placed(false);
    expect(fallback.reachable).to.equal(false);
    expect(fallback.blockedAt?.what).to.match(/endpoint other-endpoint/);
  });

  it("drops at the endpoint's security group when it omits the consumer's range", () => {
    const { t, link } = privateLink({ endpointCidrs: ["10.10.0.0/16"] });
    const answer = fromDc1(t, link.endpointAddresses[0]);
    expect(answer.blockedAt?.name).to.equal("to-app");
    expect(answer.blockedAt?.what).to.equal(
      "security group of endpoint to-app-endpoint admits no tcp/443 from 172.16.0.0/16 (site dc1)",
    );
  });

  it("drops when the provider has not accepted the endpoint, the listener lacks the port, or the NLB's group omits the client", () => {
    expect(fromDc1(privateLink({ accepted: false }).t, "10.10.0.20").blockedAt?.what).to.equal(
      "endpoint service app-service requires acceptance and has not accepted endpoint to-app-endpoint (vpce-app)",
    );
    const wrongPort = privateLink({ endpointCidrs: ["172.16.0.0/16"] });
    wrongPort.t.network.securityGroups[0].ingress[0].toPort = 8080;
    expect(fromDc1(wrongPort.t, "10.10.0.20", 8080).blockedAt?.what).to.equal(
      "load balancer app-nlb has no listener for tcp/8080",
    );
    const nlb = privateLink({ nlbCidrs: ["10.10.0.0/16"] });
    expect(fromDc1(nlb.t, "10.10.0.20").blockedAt?.what).to.equal(
      "security group of load balancer app-nlb admits no tcp/443 from 172.16.0.0/16 (site dc1)",
    );
  });

  it("needs every target reachable from the load balancer, which the target sees as the source", () => {
    // A target on premises: the app VPC has no route to 172.16.0.0/16.
    const { t, link } = privateLink({ targets: ["10.20.0.50", "172.16.9.9"] });
    const answer = fromDc1(t, link.endpointAddresses[0]);
    expect(answer.reachable).to.equal(false);
    expect(answer.blockedAt?.stack).to.equal("workload-app-dev");
    expect(answer.blockedAt?.what).to.equal(
      "route table of VPC app (private, az1) has no route for 172.16.0.0/16 (site dc1)",
    );
  });

  it("drops at the load balancer's outbound rules when they omit a target, and admits a consumer by security group", () => {
    const lz = landingZone();
    const { t, vpcs } = lz;
    const consumerSg = t.securityGroup("consumers", vpcs.shared, []);
    // The endpoint admits members of another group rather than a range: the endpoint's own group is one.
    const endpointSg = t.securityGroup("to-svc", vpcs.shared, [
      { securityGroupId: "sg-to-svc", fromPort: 443, toPort: 443 },
    ]);
    const nlbSg = t.securityGroup(
      "svc-nlb",
      vpcs.app,
      [{ cidr: "10.10.0.0/16", fromPort: 443, toPort: 443 }],
      [{ cidr: "10.20.0.0/24", fromPort: 443, toPort: 443 }],
    );
    const { endpointAddresses } = t.privateLink("svc", vpcs.app, vpcs.shared, {
      port: 443,
      targets: ["10.20.0.50", "10.20.1.50"],
      endpointSg,
      nlbSg,
    });
    expect(consumerSg).to.equal("sg-consumers");
    const checker = new FlowChecker(t.network);
    const fromHost = checker.check(host(vpcs.shared).place, {
      src: host(vpcs.shared).src,
      dst: ip(endpointAddresses[0]),
      protocol: "tcp",
      port: 443,
    });
    // A host of the shared VPC is not in the endpoint's group: dropped at the endpoint.
    expect(fromHost.blockedAt?.what).to.equal(
      "security group of endpoint to-svc-endpoint admits no tcp/443 from 10.10.0.0/16 (VPC connectivity, connectivity-dev)",
    );
    // Admitted by range, the second target (10.20.1.50) is outside the load balancer's outbound rules.
    t.network.securityGroups
      .find((g) => g.id === endpointSg)!
      .ingress.push({
        protocol: "tcp",
        cidr: "10.10.0.0/16",
        fromPort: 443,
        toPort: 443,
        origin: { stack: "sg", name: "range" },
      });
    const answer = new FlowChecker(t.network).check(host(vpcs.shared).place, {
      src: host(vpcs.shared).src,
      dst: ip(endpointAddresses[0]),
      protocol: "tcp",
      port: 443,
    });
    expect(answer.blockedAt?.what).to.equal(
      "security group of load balancer svc-nlb lets no tcp/443 out to target 10.20.1.50",
    );
  });

  it("delivers to a gateway endpoint's service, and drops an address no subnet holds", () => {
    const t = new Topology();
    const vpc = t.vpc("a", "10.1.0.0/16");
    t.route(vpc, "10.9.0.0/16", { kind: "gatewayEndpoint", id: "vpce-s3" });
    const checker = new FlowChecker(t.network);
    const s3 = checker.check(host(vpc).place, {
      src: host(vpc).src,
      dst: ip("10.9.0.1"),
      protocol: "tcp",
      port: 443,
    });
    expect(s3.forward[0].what).to.equal(
      "route table of VPC a (private, az1): 10.9.0.0/16 → gateway endpoint vpce-s3",
    );
    const nowhere = checker.check(host(vpc).place, {
      src: host(vpc).src,
      dst: ip("10.1.100.1"),
      protocol: "tcp",
      port: 443,
    });
    expect(nowhere.blockedAt?.what).to.equal("no subnet of VPC a holds 10.1.100.1");
  });

  it("authorizes, routes and translates Client VPN users, and checks the reply to the endpoint's address", () => {
    const { t, vpcs } = landingZone();
    const sg = t.securityGroup("staff", vpcs.shared, [], [{ protocol: "-1", cidr: "10.10.0.0/16" }]);
    const endpoint = t.clientVpn(
      "staff",
      vpcs.shared,
      "192.168.100.0/22",
      ["10.10.0.0/16"],
      ["10.10.0.0/16", "10.20.0.0/16"],
      sg,
    );
    const checker = new FlowChecker(t.network);
    const ok = checker.check(
      { kind: "clientVpn", endpointId: endpoint },
      { src: ip("192.168.100.10"), dst: ip("10.10.1.10"), protocol: "tcp", port: 22 },
    );
    expect(ok.reachable).to.equal(true);
    expect(ok.forward[1].what).to.equal("Client VPN route 10.10.0.0/16 via private-az1, source 10.10.0.5");
    expect(ok.reply[ok.reply.length - 1].what).to.equal("Client VPN returns the reply to the client");
    const unauthorized = checker.check(
      { kind: "clientVpn", endpointId: endpoint },
      { src: ip("192.168.100.10"), dst: ip("10.20.0.10"), protocol: "tcp", port: 22 },
    );
    expect(unauthorized.blockedAt?.what).to.equal(
      "Client VPN staff has no authorization rule for 10.20.0.0/16 (VPC app, workload-app-dev)",
    );
  });
});

describe("reachability: whole address space and intents", () => {
  it("proves an isolated segment for every address, and lists exactly what a workload reaches", () => {
    const { t, vpcs } = landingZone();
    const checker = new FlowChecker(t.network);
    const index = checker.index;
    const zone = (vpc: BuiltVpc, ref: string) => ({
      ref,
      sources: vpc.subnets.map((s) => ({
        prefix: prefix(s.cidr)!,
        place: { kind: "subnet" as const, subnetId: s.id },
      })),
      destinations: (index.vpcPrefixes.get(vpc.id) ?? []).slice(),
    });
    const appToPay = reachableSpace(checker, zone(vpcs.app, "app"), zone(vpcs.pay, "pay"));
    expect(appToPay.evaluated).to.be.greaterThan(0);
    expect(appToPay.reachable).to.deep.equal([]);
    // The same answer walking every address piece and port class one by one.
    const exhaustive = reachableSpace(checker, zone(vpcs.app, "app"), zone(vpcs.pay, "pay"), {
      exhaustive: true,
    });
    expect(exhaustive.evaluated).to.be.greaterThan(appToPay.evaluated);
    expect(exhaustive.reachable).to.deep.equal([]);
    const appToShared = reachableSpace(checker, zone(vpcs.app, "app"), zone(vpcs.shared, "shared"));
    // Only its host subnets answer: addresses outside any subnet hold nothing, and the attachment subnets'
    // tables have no route back to 10.20.0.0/16.
    expect(appToShared.reachable).to.deep.equal([{ prefixes: ["10.10.0.0/23"], ports: "0-65535" }]);
  });

  it("splits the answer by port where a security group decides", () => {
    const { t, vpcs } = landingZone();
    const endpointSg = t.securityGroup("to-app", vpcs.shared, [
      { cidr: "10.20.0.0/16", fromPort: 443, toPort: 443 },
    ]);
    const nlbSg = t.securityGroup(
      "app-nlb",
      vpcs.app,
      [{ cidr: "10.20.0.0/16", fromPort: 443, toPort: 443 }],
      [{ cidr: "10.20.0.0/16", fromPort: 443, toPort: 443 }],
    );
    const { endpointAddresses } = t.privateLink("svc", vpcs.app, vpcs.shared, {
      port: 443,
      targets: ["10.20.0.50"],
      endpointSg,
      nlbSg,
    });
    const checker = new FlowChecker(t.network);
    const answer = reachableSpace(
      checker,
      {
        ref: "app",
        sources: [
          {
            prefix: prefix(vpcs.app.subnets[0].cidr)!,
            place: { kind: "subnet", subnetId: vpcs.app.subnets[0].id },
          },
        ],
        destinations: [],
      },
      { ref: "endpoint", sources: [], destinations: endpointAddresses.map((a) => prefix(a)!) },
    );
    expect(answer.reachable).to.deep.equal([{ prefixes: ["10.10.0.20/32", "10.10.1.20/32"], ports: "443" }]);
  });

  it("implies the segment policy both ways and checks it: isolated members denied, reaches allowed", () => {
    const { t } = landingZone();
    const checker = new IntentChecker(t.network);
    const intents = impliedIntents(checker.index, {
      onprem: { isolated: true, reaches: ["shared"] },
      shared: {},
      workloads: { isolated: true, reaches: ["shared"] },
    });
    const byName = Object.fromEntries(intents.map((i) => [i.name, i.expect]));
    expect(byName).to.deep.equal({
      "site:dc1 → vpc:connectivity-dev": "allow",
      "site:dc1 → vpc:workload-app-dev": "deny",
      "site:dc1 → vpc:workload-pay-dev": "deny",
      "vpc:connectivity-dev → site:dc1": "allow",
      "vpc:connectivity-dev → vpc:workload-app-dev": "allow",
      "vpc:connectivity-dev → vpc:workload-pay-dev": "allow",
      "vpc:workload-app-dev → site:dc1": "deny",
      "vpc:workload-app-dev → vpc:connectivity-dev": "allow",
      "vpc:workload-app-dev → vpc:workload-pay-dev": "deny",
      "vpc:workload-pay-dev → site:dc1": "deny",
      "vpc:workload-pay-dev → vpc:connectivity-dev": "allow",
      "vpc:workload-pay-dev → vpc:workload-app-dev": "deny",
    });
    const verdicts = checker.checkAll(intents);
    expect(verdicts.filter((v) => v.verdict === "fail").map((v) => v.name)).to.deep.equal([]);

    // Let the workloads segment reach itself by propagation: the deny between app and pay now fails, with a path.
    const table = t.network.transitGatewayRouteTables.find((x) => x.segment === "workloads")!;
    table.propagations.push("tgw-attach-vpc-app", "tgw-attach-vpc-pay");
    for (const rt of t.network.routeTables.filter((r) => r.vpcId === "vpc-app"))
      rt.routes.push({
        destination: "10.30.0.0/16",
        target: { kind: "transitGateway", id: "tgw-hub" },
        origin: { stack: "workload-app-dev", name: "to-pay" },
      });
    for (const rt of t.network.routeTables.filter((r) => r.vpcId === "vpc-pay"))
      rt.routes.push({
        destination: "10.20.0.0/16",
        target: { kind: "transitGateway", id: "tgw-hub" },
        origin: { stack: "workload-pay-dev", name: "to-app" },
      });
    const leaky = new IntentChecker(t.network).checkAll(intents).filter((v) => v.verdict === "fail");
    expect(leaky.map((v) => v.name)).to.deep.equal([
      "vpc:workload-app-dev → vpc:workload-pay-dev",
      "vpc:workload-pay-dev → vpc:workload-app-dev",
    ]);
    expect(leaky[0].path.length).to.be.greaterThan(0);
    expect(leaky[0].src).to.equal("10.20.0.0");
  });

  it("names unknown zones with what exists", () => {
    const { t } = landingZone();
    const checker = new IntentChecker(t.network);
    const verdict = checker.check({
      name: "x",
      from: "site:dc7",
      to: "connectivity",
      protocol: "tcp",
      expect: "allow",
    });
    expect(verdict.verdict).to.equal("fail");
    expect(verdict.error).to.equal('site:dc7: no site "dc7" in the plan; sites: dc1');
    expect(
      checker.check({ name: "y", from: "site:dc1", to: "connectivity", protocol: "tcp", expect: "allow" })
        .verdict,
    ).to.equal("pass");
  });
});
