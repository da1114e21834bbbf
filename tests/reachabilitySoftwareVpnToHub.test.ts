/**
 * `hybridnet:softwareVpnToHub` in the flow checks: the dev environment with a third workload, data
 * (10.40.0.0/16), whose appliance pair is the customer gateway of two VPN connections the connectivity stack
 * makes on the hub (`swvpn-data`, one per instance), associated with the workloads segment's table and propagated
 * into the shared segment's, as data's VPC attachment would be (the dev hub: workloads isolated, reaching shared).
 * The far end of those connections is the pair in data's VPC, not an on-premises site: traffic from the
 * connectivity VPC goes transit gateway route table → VPN attachment → tunnels → appliance → data's VPC route
 * table; back, data's route to the appliance's interface → appliance → tunnels → the transit gateway. A plan
 * edited by hand (no propagation into shared, no forwarding rule, no IKE from one tunnel, no association) fails
 * at the hop that lacks it. Expected hops are written out from the dev stack files and AWS's rules: a transit
 * gateway announces over a BGP VPN the routes of the table the attachment is associated with, and propagates
 * what the customer gateway announces (here the appliances announce data's VPC CIDR).
 */
import { expect } from "chai";
import { checkEnvironmentFlows } from "../model/reachability/environmentFlows";
import { networkFromPlan, type PlannedStackInput } from "../model/reachability/fromPlan";
import { segmentMembers } from "../model/reachability/intents";
import type { Network } from "../model/reachability/network";
import { NetworkIndex } from "../model/reachability/networkIndex";
import { type SiteDeclaration, siteDeclarations } from "../model/reachability/sites";
import type { StackSettings } from "../model/stackConfig";
import { plannedEnvironment, verdict } from "./environment";
import { addDataWorkload, editedEnvironment } from "./workloadEnvironments";

const ENV = "swh";
const DATA = "workload-data-swh";
const CONNECTIVITY = "connectivity-swh";
const TO_DATA = "vpc:connectivity-swh → vpc:workload-data-swh";
const FROM_DATA = "vpc:workload-data-swh → vpc:connectivity-swh";
const PRIMARY_VPN = "swvpn-data-data-primary-1-vpn";
const STANDBY_VPN = "swvpn-data-data-standby-1-vpn";

/** The dev stack files with data connected to the hub by its appliance pair instead of a VPC attachment. */
const DIR = editedEnvironment(ENV, (configs) => {
  addDataWorkload(configs);
  delete configs["workload-data"]["hybridnet:attachment"];
  configs["workload-data"]["hybridnet:softwareVpnToHub"] = {
    segment: "workloads",
    appliance: { bgpAsn: 65110 },
  };
});

/** The plan without the resources `drop` names (a hand-edited plan). */
function without(stacks: PlannedStackInput[], drop: (name: string) => boolean): PlannedStackInput[] {
  const found = stacks.flatMap((s) => s.resources).filter((r) => drop(r.name));
  expect(found, "the edit removes something").to.not.have.length(0);
  return stacks.map((s) => ({ ...s, resources: s.resources.filter((r) => !drop(r.name)) }));
}

const whats = (hops: { name: string; what: string }[]) => hops.map((h) => `${h.name} | ${h.what}`);

describe("softwareVpnToHub in the flow checks (the hub's VPN connections end on a workload's appliance pair)", function () {
  this.timeout(600_000);
  let stacks: PlannedStackInput[];
  let settings: StackSettings[];
  let sites: SiteDeclaration[];
  let network: Network;
  const flowsOf = (s: PlannedStackInput[]) => checkEnvironmentFlows(networkFromPlan(s, sites), settings);

  before(async () => {
    ({ stacks, settings } = await plannedEnvironment(ENV, DIR));
    sites = siteDeclarations(settings);
    network = networkFromPlan(stacks, sites);
  });

  it("reads each connection as ending on one instance of data's pair, at both tunnels' addresses, and no site", () => {
    const pair = network.appliances.find((a) => a.id === `${DATA}/data-swvpn-hub`);
    expect(pair, "data's appliance pair").to.not.equal(undefined);
    const hub = network.transitGatewayAttachments.filter((a) => a.appliance);
    expect(hub.map((a) => [a.origin.name, a.kind, a.site])).to.deep.equal([
      [PRIMARY_VPN, "vpn", undefined],
      [STANDBY_VPN, "vpn", undefined],
    ]);
    for (const [a, role] of [
      [hub[0], "primary"],
      [hub[1], "standby"],
    ] as const) {
      const instance = pair?.instances.find((i) => i.id === a.appliance?.instanceId);
      expect(instance?.role).to.equal(role);
      // The instance admits IKE from exactly the connection's two tunnel addresses (its rules name them by role).
      const ike = stacks
        .find((s) => s.name === DATA)
        ?.resources.filter((r) => r.name.startsWith(`data-swvpn-hub-in-ike-aws-${role}-`))
        .map((r) => r.inputs.cidrIpv4);
      expect(ike).to.have.length(2);
      expect(a.appliance?.tunnelAddresses).to.have.members(ike ?? []);
    }
    // The connections' Name tags (`swvpn-data-data-primary-1`) made sites data-primary and data-standby once.
    expect(network.sites.map((s) => s.name)).to.deep.equal(["dc1", "dc2"]);
  });

  it("makes data's VPC a member of the workloads segment, and propagates its CIDR into shared over both connections", () => {
    const index = new NetworkIndex(network);
    expect(segmentMembers(index, "workloads")).to.deep.equal([
      "vpc:workload-app-swh",
      "vpc:workload-data-swh",
      "vpc:workload-payments-swh",
    ]);
    const shared = [...index.tgwTables.values()].find((t) => t.segment === "shared");
    const toData = index
      .tgwRoutes(shared!)
      .filter((r) => r.prefix.text === "10.40.0.0/16")
      .map((r) => [index.attachments.get(r.attachmentId ?? "")?.origin.name, r.source]);
    expect(toData).to.deep.equal([
      [PRIMARY_VPN, "vpn"],
      [STANDBY_VPN, "vpn"],
    ]);
  });

  it("proves every flow of the environment, data's included", () => {
    const flows = flowsOf(stacks);
    const data = flows.filter((f) => `${f.from} ${f.to}`.includes(DATA));
    expect(data.map((f) => `${f.name} ${f.expect}`)).to.include.members([
      `${TO_DATA} allow`,
      `${FROM_DATA} allow`,
      "vpc:workload-app-swh → vpc:workload-data-swh deny",
      "vpc:workload-data-swh → vpc:workload-payments-swh deny",
      "vpc:workload-data-swh → site:dc1 deny",
      "site:dc2 → vpc:workload-data-swh deny",
    ]);
    expect(flows.filter((f) => f.verdict === "fail").map((f) => f.name)).to.deep.equal([]);
  });

  it("passes connectivity → data: transit gateway table, VPN attachment, tunnels, appliance, data's route table", () => {
    const v = verdict(flowsOf(stacks), TO_DATA);
    expect(v.verdict).to.equal("pass");
    expect(v.implied).to.equal("segment shared reaches workloads");
    expect([v.src, v.dst]).to.deep.equal(["10.10.0.10", "10.40.0.10"]);
    expect(v.path[0].name).to.equal("shared-private-use1-az1-10-40-0-0-16");
    expect(v.path[0].what).to.match(
      /^route table of VPC connectivity \(private, use1-az1\): 10\.40\.0\.0\/16 → transit gateway tgw-[0-9a-f]+$/,
    );
    expect(whats(v.path).slice(1)).to.deep.equal([
      // Both connections announce 10.40.0.0/16: the gateway may use either, so each must deliver.
      `hub-shared | transit gateway route table segment shared: 10.40.0.0/16 → ${PRIMARY_VPN} (propagated from the vpn attachment) (1 of 2 equal-cost routes)`,
      `${PRIMARY_VPN} | over the IPsec tunnels of VPN ${PRIMARY_VPN} to appliance data-swvpn-hub (primary)`,
      `data-swvpn-hub-primary | appliance data-swvpn-hub (primary) forwards from the tunnel of VPN ${PRIMARY_VPN} into VPC data-vpc`,
      "data-vpc-public-use1-az1 | route table of VPC data-vpc (public, use1-az1): 10.40.0.0/16 → local",
      "data-vpc-private-use1-az1 | delivered to 10.40.0.10 in data-vpc-private-use1-az1 (use1-az1)",
    ]);
  });

  it("passes data → connectivity: data's route to the primary's interface, the appliance, its tunnels, the transit gateway", () => {
    const v = verdict(flowsOf(stacks), FROM_DATA);
    expect(v.verdict).to.equal("pass");
    expect(whats(v.path).slice(1)).to.deep.equal([
      `data-swvpn-hub-primary | appliance data-swvpn-hub (primary) admits forwarded tcp/any from 10.40.0.10; BGP route from the transit gateway over VPN ${PRIMARY_VPN}`,
      `${PRIMARY_VPN} | over the IPsec tunnels of VPN ${PRIMARY_VPN} into the transit gateway`,
      "hub-workloads | transit gateway route table segment workloads: 10.10.0.0/20 → shared-attachment (propagated from the vpc attachment)",
      "connectivity-transit-use1-az1 | route table of VPC connectivity (transit, use1-az1): 10.10.0.0/20 → local",
      "connectivity-private-use1-az1 | delivered to 10.10.0.10 in connectivity-private-use1-az1 (use1-az1)",
    ]);
    // The pair's route (the connectivity VPC, the default destination) names the primary's network interface.
    expect(v.path[0].name).to.equal("data-swvpn-hub-private-use1-az1-10-10-0-0-20");
    expect(v.path[0].what).to.match(
      /^route table of VPC data-vpc \(private, use1-az1\): 10\.10\.0\.0\/20 → appliance data-swvpn-hub-primary \(eni-[0-9a-f]+\)$/,
    );
    // The reply is the other flow's request.
    expect(whats(v.reply).slice(1)).to.deep.equal(whats(verdict(flowsOf(stacks), TO_DATA).path).slice(1));
  });

  it("fails connectivity → data at the shared table once the connections do not propagate into it", () => {
    const flows = flowsOf(
      without(stacks, (n) => /^swvpn-data-data-(primary|standby)-1-propagation-shared$/.test(n)),
    );
    const v = verdict(flows, TO_DATA);
    expect(v.verdict).to.equal("fail");
    expect(v.blockedAt).to.include({
      stack: CONNECTIVITY,
      name: "hub-shared",
      direction: "forward",
      what: "transit gateway route table segment shared has no route for 10.40.0.0/16 (VPC data-vpc, workload-data-swh)",
    });
    // data → connectivity gets there, and its reply breaks at the same table.
    expect(verdict(flows, FROM_DATA).blockedAt).to.include({ name: "hub-shared", direction: "reply" });
  });

  it("fails at the appliance's security group once its rule for forwarded traffic from the VPC is taken out", () => {
    const flows = flowsOf(without(stacks, (n) => n === "data-swvpn-hub-in-fwd-10-40-0-0-16"));
    const v = verdict(flows, FROM_DATA);
    expect(v.verdict).to.equal("fail");
    expect(v.blockedAt?.stack).to.equal(DATA);
    expect(v.blockedAt?.direction).to.equal("forward");
    expect(v.blockedAt?.what).to.equal(
      "security group of appliance data-swvpn-hub (primary) admits no forwarded tcp/any from 10.40.0.0/16 (VPC data-vpc, workload-data-swh)",
    );
    // Into data the appliance lets traffic out to the VPC; the reply is what it no longer admits.
    expect(verdict(flows, TO_DATA).blockedAt).to.include({ stack: DATA, direction: "reply" });
  });

  it("fails where a tunnel cannot come up: no IKE from tunnel 2 of the primary's connection", () => {
    const ike = network.transitGatewayAttachments.find((a) => a.origin.name === PRIMARY_VPN)?.appliance
      ?.tunnelAddresses[1];
    const v = verdict(flowsOf(without(stacks, (n) => n === "data-swvpn-hub-in-ike-aws-primary-t2")), TO_DATA);
    expect(v.verdict).to.equal("fail");
    expect(v.blockedAt?.what).to.equal(
      `security group of appliance data-swvpn-hub (primary) admits no IKE (udp/500) from peer VPN ${PRIMARY_VPN} tunnel 2 (${ike?.replace(/\/32$/, "")}): the tunnel cannot come up`,
    );
    expect(v.path.map((h) => h.name)).to.deep.equal([
      "shared-private-use1-az1-10-40-0-0-16",
      "hub-shared",
      PRIMARY_VPN,
    ]);
  });

  it("fails data → connectivity at the appliance when the primary's connection is associated with no table", () => {
    const flows = flowsOf(without(stacks, (n) => n === "swvpn-data-data-primary-1-association"));
    const v = verdict(flows, FROM_DATA);
    expect(v.verdict).to.equal("fail");
    expect(v.blockedAt).to.include({
      name: "data-swvpn-hub-primary",
      direction: "forward",
      what: `appliance data-swvpn-hub (primary) has no tunnel to a peer announcing 10.10.0.0/20 (VPC connectivity, connectivity-swh) (VPN ${PRIMARY_VPN} is associated with no transit gateway route table, so the transit gateway announces nothing over it)`,
    });
  });
});
