/**
 * Software VPN appliances in the network model (model/reachability/fromPlanAppliances, the forwarding through
 * an appliance instance): staging's web workload has a SoftwareVpnAppliance pair (`hybridnet:softwareVpn`,
 * stacks/Pulumi.workload-web-staging.yaml) with one peer, `partner` (198.51.100.60), whose network is
 * 172.27.0.0/16. Its flows both ways pass through the primary instance, whose interface the private route tables
 * name; a hand-edited plan without the routes, a security group rule or with the source/destination check on
 * fails at the hop that lacks it. And SoftwareVpnPeering, planned by hand: two VPCs whose appliance pairs peer
 * over IPsec, a host of one reaching a host of the other through both pairs.
 */
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { SoftwareVpnPeering } from "../components/SoftwareVpnPeering";
import { checkEnvironmentFlows } from "../model/reachability/environmentFlows";
import { FlowChecker } from "../model/reachability/flows";
import { networkFromPlan, type PlannedStackInput } from "../model/reachability/fromPlan";
import { IntentChecker, impliedIntents } from "../model/reachability/intents";
import type { Network } from "../model/reachability/network";
import { prefix } from "../model/reachability/prefixes";
import { type SiteDeclaration, siteDeclarations } from "../model/reachability/sites";
import type { StackSettings } from "../model/stackConfig";
import { plannedEnvironment, verdict } from "./environment";
import { runProgram } from "./harness";

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

/** An EC2 VPC `10.<n>.0.0/16`: a host subnet on a private route table, two public subnets for the appliances. */
function ec2Vpc(name: string, n: number) {
  const v = new aws.ec2.Vpc(name, { cidrBlock: `10.${n}.0.0/16` });
  const table = (t: string) => new aws.ec2.RouteTable(`${name}-${t}`, { vpcId: v.id });
  const [priv, pub] = [table("private"), table("public")];
  const subnet = (s: string, cidr: string, zone: string, rt: aws.ec2.RouteTable) => {
    const x = new aws.ec2.Subnet(`${name}-${s}`, { vpcId: v.id, cidrBlock: cidr, availabilityZone: zone });
    new aws.ec2.RouteTableAssociation(`${name}-${s}`, { subnetId: x.id, routeTableId: rt.id });
    return x;
  };
  subnet("host", `10.${n}.10.0/24`, "us-east-1a", priv);
  return {
    vpcId: v.id,
    vpcCidrs: [`10.${n}.0.0/16`],
    asn: 65000 + n,
    primary: {
      availabilityZoneId: "use1-az1",
      subnetId: subnet("pub1", `10.${n}.0.0/24`, "us-east-1a", pub).id,
      subnetCidr: `10.${n}.0.0/24`,
    },
    standby: {
      availabilityZoneId: "use1-az2",
      subnetId: subnet("pub2", `10.${n}.1.0/24`, "us-east-1b", pub).id,
      subnetCidr: `10.${n}.1.0/24`,
    },
    routeTableIds: { private: priv.id },
  };
}

describe("software VPN appliances in the flow checks (SoftwareVpnPeering, by hand)", function () {
  this.timeout(120_000);
  let stack: PlannedStackInput;

  before(async () => {
    const run = await runProgram(
      () => new SoftwareVpnPeering("a-b", { a: ec2Vpc("a", 1), b: ec2Vpc("b", 2) }),
    );
    expect(run.error).to.equal(undefined);
    stack = {
      name: "lab",
      outputs: {},
      resources: run.resources.all.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        ...(r.parent ? { parent: r.parent } : {}),
        id: r.id,
        inputs: r.inputs,
        outputs: r.outputs,
      })),
    };
  });

  const host = (network: Network, name: string) =>
    network.subnets.find((s) => s.origin.name === name)?.id ?? "";
  const flow = (network: Network) =>
    new FlowChecker(network).check(
      { kind: "subnet", subnetId: host(network, "a-host") },
      {
        src: prefix("10.1.10.10")?.first ?? 0,
        dst: prefix("10.2.10.10")?.first ?? 0,
        protocol: "tcp",
        port: 443,
      },
    );

  it("knows each pair's peers as the other pair's instances, not as on-premises sites", () => {
    const network = networkFromPlan([stack], []);
    expect(network.sites).to.deep.equal([]);
    const [a, b] = network.appliances;
    expect([a.id, b.id]).to.deep.equal(["lab/a-b-a", "lab/a-b-b"]);
    expect(
      a.peers.map((p) => [p.key, p.aws?.kind, p.aws && "instanceId" in p.aws ? p.aws.instanceId : undefined]),
    ).to.deep.equal(b.instances.map((i) => [`b-${i.role}`, "appliance", i.id]));
    for (const p of a.peers) {
      const instance = b.instances.find((i) => p.aws && "instanceId" in p.aws && i.id === p.aws.instanceId);
      expect(p.address).to.equal(`${instance?.publicIp}/32`);
    }
  });

  it("passes a host of VPC a → a host of VPC b through both pairs, and the reply back the other way", () => {
    const answer = flow(networkFromPlan([stack], []));
    expect(answer.blockedAt).to.equal(undefined);
    expect(answer.reachable).to.equal(true);
    expect(answer.forward.map((h) => h.name)).to.deep.equal([
      "a-b-a-private-10-2-0-0-16",
      "a-b-a-primary",
      "a-b-b-primary",
      "b-public",
      "b-host",
    ]);
    expect(answer.forward[2].what).to.equal(
      "appliance a-b-b (primary) forwards from the tunnel of peer a-primary into VPC b",
    );
    expect(answer.reply.map((h) => h.name)).to.deep.equal([
      "a-b-b-private-10-1-0-0-16",
      "a-b-b-primary",
      "a-b-a-primary",
      "a-public",
      "a-host",
    ]);
  });

  it("implies each VPC reaches the other when the pairs sit in two stacks' VPCs, and the flows pass", () => {
    // Side b's VPC and appliance pair as another stack's (the component made both through one program here).
    const inB = (name: string) => name.startsWith("b") || name.startsWith("a-b-b");
    const split: PlannedStackInput[] = [
      { ...stack, name: "lab-a", resources: stack.resources.filter((r) => !inB(r.name)) },
      { ...stack, name: "lab-b", resources: stack.resources.filter((r) => inB(r.name)) },
    ];
    const checker = new IntentChecker(networkFromPlan(split, []));
    const intents = impliedIntents(checker.index, {});
    expect(intents.map((i) => `${i.name}: ${i.implied}`)).to.deep.equal([
      "vpc:lab-a → vpc:lab-b over a-b-a: software VPN appliance a-b-a peers with a-b-b in vpc:lab-b",
      "vpc:lab-b → vpc:lab-a over a-b-b: software VPN appliance a-b-b peers with a-b-a in vpc:lab-a",
    ]);
    expect(checker.checkAll(intents).map((v) => v.verdict)).to.deep.equal(["pass", "pass"]);
  });

  it("fails at the far pair's security group when it lets no IKE out to the near pair's primary", () => {
    const edited = {
      ...stack,
      resources: stack.resources.filter((r) => r.name !== "a-b-b-out-ike-a-primary"),
    };
    const network = networkFromPlan([edited], []);
    const answer = flow(network);
    const a = network.appliances.find((x) => x.id === "lab/a-b-a");
    const ip = a?.instances.find((i) => i.role === "primary")?.publicIp;
    expect(answer.reachable).to.equal(false);
    expect(answer.blockedAt).to.include({
      direction: "forward",
      name: "a-b-b-appliance",
      what: `security group of appliance a-b-b (primary) lets no IKE (udp/500) out to peer a-primary (${ip}): the tunnel cannot come up`,
    });
  });
});
