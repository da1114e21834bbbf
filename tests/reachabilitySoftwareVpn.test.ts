/**
 * Software VPN appliances in the network model (model/reachability/fromPlanAppliances, the forwarding through
 * an appliance instance): staging's web workload has a SoftwareVpnAppliance pair (`hybridnet:softwareVpn`,
 * stacks/Pulumi.workload-web-staging.yaml) with one peer, `partner` (198.51.100.60), whose network is
 * 172.27.0.0/16. Its flows both ways pass through the primary instance, whose interface the private route tables
 * name; a hand-edited plan without the routes, a security group rule or with the source/destination check on
 * fails at the hop that lacks it.
 */
import { expect } from "chai";
import { checkEnvironmentFlows } from "../model/reachability/environmentFlows";
import { networkFromPlan, type PlannedStackInput } from "../model/reachability/fromPlan";
import type { FlowVerdict } from "../model/reachability/intents";
import type { Network } from "../model/reachability/network";
import { type SiteDeclaration, siteDeclarations } from "../model/reachability/sites";
import type { StackSettings } from "../model/stackConfig";
import { plannedEnvironment } from "./environment";

const WEB = "workload-web-staging";
const TO_PARTNER = "vpc:workload-web-staging → site:partner over web-swvpn";
const FROM_PARTNER = "site:partner → vpc:workload-web-staging over web-swvpn";

/** The plan with `edit` applied to the web stack's resources (a hand-edited plan). */
function edited(
  stacks: PlannedStackInput[],
  edit: (r: PlannedStackInput["resources"][number]) => PlannedStackInput["resources"][number] | undefined,
): PlannedStackInput[] {
  return stacks.map((s) =>
    s.name !== WEB ? s : { ...s, resources: s.resources.flatMap((r) => edit(r) ?? []) },
  );
}

function verdict(flows: FlowVerdict[], name: string): FlowVerdict {
  const found = flows.filter((f) => f.name === name);
  expect(found, name).to.have.length(1);
  return found[0];
}

describe("software VPN appliances in the flow checks (staging)", function () {
  this.timeout(300_000);
  let stacks: PlannedStackInput[];
  let settings: StackSettings[];
  let sites: SiteDeclaration[];
  let network: Network;
  const flowsOf = (s: PlannedStackInput[]) => checkEnvironmentFlows(networkFromPlan(s, sites), settings);

  before(async () => {
    ({ stacks, settings } = await plannedEnvironment("staging"));
    sites = siteDeclarations(settings);
    network = networkFromPlan(stacks, sites);
  });

  it("declares the partner as a site of the web workload's appliance, with the remote network's prefixes", () => {
    const partner = sites.filter((d) => d.over === "softwareVpn");
    expect(partner).to.deep.equal([
      {
        stack: WEB,
        component: "web-swvpn",
        site: "partner",
        prefixes: ["172.27.0.0/16"],
        over: "softwareVpn",
        appliance: {
          asn: 65030,
          remoteAsn: 65300,
          peerAddress: "198.51.100.60",
          insideCidrs: ["169.254.200.0/30", "169.254.200.4/30"],
        },
      },
    ]);
  });

  it("reads the appliance pair: two instances in the public subnets, source/destination check off, one peer", () => {
    expect(network.appliances.map((a) => a.id)).to.deep.equal([`${WEB}/web-swvpn`]);
    const [appliance] = network.appliances;
    // The fixed private address is the last usable one of each zone's public /28 (10.50.255.240/28,
    // 10.50.255.224/28): AWS reserves the first four and the last address of a subnet.
    expect(
      appliance.instances.map((i) => ({ role: i.role, ip: i.privateIp, check: i.sourceDestCheck })),
    ).to.deep.equal([
      { role: "primary", ip: "10.50.255.254", check: false },
      { role: "standby", ip: "10.50.255.238", check: false },
    ]);
    for (const i of appliance.instances) {
      expect(i.publicIp, `${i.role} has an Elastic IP`).to.match(/^\d+\.\d+\.\d+\.\d+$/);
      expect(i.networkInterfaceId).to.match(/^eni-/);
      const subnet = network.subnets.find((s) => s.id === i.subnetId);
      expect(subnet?.tier).to.equal("public");
      expect(subnet?.vpcId).to.equal(appliance.vpcId);
    }
    expect(appliance.peers.map((p) => ({ key: p.key, address: p.address }))).to.deep.equal([
      { key: "partner", address: "198.51.100.60/32" },
    ]);
    const site = network.sites.find((s) => s.name === "partner");
    expect(site?.prefixes).to.deep.equal(["172.27.0.0/16"]);
    // A tunnel from the peer to each instance.
    expect(site?.links.map((l) => l.appliance?.instanceId)).to.deep.equal(
      appliance.instances.map((i) => i.id),
    );
  });

  it("passes the web VPC → partner flow through the primary instance and its tunnel, and the reply back", () => {
    const v = verdict(flowsOf(stacks), TO_PARTNER);
    expect(v.verdict).to.equal("pass");
    expect(v.implied).to.equal(
      "software VPN appliance web-swvpn connects site:partner and vpc:workload-web-staging",
    );
    expect(v.path.map((h) => h.name)).to.deep.equal([
      "web-swvpn-private-euw1-az1-172-27-0-0-16",
      "web-swvpn-primary",
      "web-swvpn-primary",
    ]);
    expect(v.path[0].what).to.match(
      /^route table of VPC web-vpc \(private, euw1-az1\): 172\.27\.0\.0\/16 → appliance web-swvpn-primary \(eni-/,
    );
    expect(v.path[1].what).to.equal(
      "appliance web-swvpn (primary) admits forwarded tcp/any from 10.50.0.10; BGP route to peer partner (198.51.100.60)",
    );
    expect(v.path[2].what).to.equal(
      "over the IPsec tunnel of web-swvpn-primary to peer partner, site partner",
    );
  });

  it("passes the partner → web VPC flow over both instances' tunnels (each must deliver), the reply by the primary", () => {
    const v = verdict(flowsOf(stacks), FROM_PARTNER);
    expect(v.verdict).to.equal("pass");
    expect(v.path.map((h) => h.what)).to.deep.equal([
      "site partner (peer partner) sends over its IPsec tunnel to web-swvpn-primary (1 of 2 links of the site)",
      "appliance web-swvpn (primary) forwards from the tunnel of peer partner into VPC web-vpc",
      "route table of VPC web-vpc (public, euw1-az1): 10.50.0.0/16 → local",
      "delivered to 10.50.0.10 in web-vpc-private-euw1-az1 (euw1-az1)",
    ]);
    expect(v.reply.map((h) => h.name)).to.deep.equal([
      "web-swvpn-private-euw1-az1-172-27-0-0-16",
      "web-swvpn-primary",
      "web-swvpn-primary",
    ]);
  });

  it("fails at the private route table once the appliance's routes are taken out of the plan", () => {
    const flows = flowsOf(
      edited(stacks, (r) =>
        r.type === "aws:ec2/route:Route" && r.name.startsWith("web-swvpn-") ? undefined : r,
      ),
    );
    const out = verdict(flows, TO_PARTNER);
    expect(out.verdict).to.equal("fail");
    expect(out.blockedAt).to.include({
      direction: "forward",
      name: "web-vpc-private-euw1-az1",
      what: "route table of VPC web-vpc (private, euw1-az1) has no route for 172.27.0.0/16 (site partner)",
    });
    // The request arrives; its reply has no way back.
    const back = verdict(flows, FROM_PARTNER);
    expect(back.verdict).to.equal("fail");
    expect(back.blockedAt?.direction).to.equal("reply");
    expect(back.blockedAt?.name).to.equal("web-vpc-private-euw1-az1");
  });

  it("fails at the appliance's security group once its forwarded-traffic rule is taken out", () => {
    const flows = flowsOf(
      edited(stacks, (r) => (r.name === "web-swvpn-in-fwd-10-50-0-0-16" ? undefined : r)),
    );
    const out = verdict(flows, TO_PARTNER);
    expect(out.verdict).to.equal("fail");
    expect(out.blockedAt).to.include({
      direction: "forward",
      name: "web-swvpn-appliance",
      what: "security group of appliance web-swvpn (primary) admits no forwarded tcp/any from 10.50.0.0/16 (VPC web-vpc, workload-web-staging)",
    });
    const back = verdict(flows, FROM_PARTNER);
    expect(back.blockedAt?.direction).to.equal("reply");
  });

  it("fails where the tunnel cannot come up: no IKE from the peer", () => {
    const flows = flowsOf(edited(stacks, (r) => (r.name === "web-swvpn-in-ike-partner" ? undefined : r)));
    // The peer the config declares stays a peer: its tunnel lacks the security group's IKE rule.
    expect(verdict(flows, TO_PARTNER).blockedAt).to.include({
      direction: "forward",
      name: "web-swvpn-appliance",
      what: "security group of appliance web-swvpn (primary) admits no IKE (udp/500) from peer partner (198.51.100.60): the tunnel cannot come up",
    });
    const noEsp = flowsOf(
      edited(stacks, (r) =>
        r.name === "web-swvpn-in-esp-partner" || r.name === "web-swvpn-in-natt-partner" ? undefined : r,
      ),
    );
    expect(verdict(noEsp, FROM_PARTNER).blockedAt).to.include({
      direction: "forward",
      name: "web-swvpn-appliance",
      what: "security group of appliance web-swvpn (primary) admits no ESP (protocol 50) or NAT-T (udp/4500) from peer partner (198.51.100.60): the tunnel cannot come up",
    });
  });

  it("fails at the instance when its source/destination check is on", () => {
    const flows = flowsOf(
      edited(stacks, (r) =>
        r.name === "web-swvpn-primary" && r.type === "aws:ec2/instance:Instance"
          ? {
              ...r,
              inputs: { ...r.inputs, sourceDestCheck: true },
              outputs: { ...r.outputs, sourceDestCheck: true },
            }
          : r,
      ),
    );
    expect(verdict(flows, TO_PARTNER).blockedAt).to.include({
      direction: "forward",
      name: "web-swvpn-primary",
      what: "appliance instance web-swvpn-primary has its source/destination check on: it drops the packet to 172.27.0.10, which is not addressed to it",
    });
  });

  it("adds no flow to dev, which has no appliance", async () => {
    const dev = await plannedEnvironment("dev");
    const devNetwork = networkFromPlan(dev.stacks, siteDeclarations(dev.settings));
    expect(devNetwork.appliances).to.deep.equal([]);
    expect(
      checkEnvironmentFlows(devNetwork, dev.settings).filter((f) => f.implied?.includes("software VPN")),
    ).to.deep.equal([]);
  });
});
