/**
 * The monthly cost estimate (issue 18): each priced item against AWS list prices written out here, the
 * reference environments' totals worked out by hand, a missing price, the price file's entries, and the
 * planner's table and `--against` difference as a user runs them.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { planCost } from "../cli/cost";
import type { PlanResult } from "../cli/plan";
import {
  type CostResource,
  type CostStack,
  costDifference,
  type EstimateOptions,
  estimatePlan,
  MissingPriceError,
} from "../model/cost/estimate";
import { PRICED_REGIONS, PRICES } from "../model/cost/prices";
import type { StackCost } from "../model/cost/types";
import { ValidationError } from "../model/errors";
import { hybridnet } from "./cli";
import { plannedEnvironment } from "./environment";

const H = 730; // hours in the priced month

let serial = 0;
/** A planned resource as the plan JSON has it; `region` becomes its ARN's Region. */
function res(type: string, inputs: Record<string, unknown>, region?: string, id?: string): CostResource {
  const name = `r${++serial}`;
  return {
    type,
    urn: `urn:pulumi:s::hybridnet::${type}::${name}`,
    ...(id ? { id } : {}),
    inputs,
    outputs: { ...inputs, ...(region ? { arn: `arn:aws:ec2:${region}:111122223333:x/${name}` } : {}) },
  };
}

const provider = (region: string): CostResource => ({
  type: "pulumi:providers:aws",
  urn: "urn:pulumi:s::hybridnet::pulumi:providers:aws::default",
  inputs: { region },
});

/** One stack `s` in `region` holding `resources`, estimated. */
function one(region: string, resources: CostResource[], options: EstimateOptions = {}): StackCost {
  return estimatePlan([{ name: "s", resources: [provider(region), ...resources] }], options).stacks[0];
}

/** Each line as `item [region]: monthly`, for comparing with the hand-worked figures. */
const summary = (stack: StackCost) =>
  Object.fromEntries(stack.lines.map((l) => [`${l.item}${l.region ? ` [${l.region}]` : ""}`, l.monthlyUsd]));

const VPN = "aws:ec2/vpnConnection:VpnConnection";
const VPC_ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const NLB = "aws:lb/loadBalancer:LoadBalancer";

describe("cost estimate: each priced item", () => {
  it("prices a Site-to-Site VPN connection on a transit gateway: connection, VPN attachment, data processing", () => {
    const stack = one("us-east-1", [
      res(VPN, { customerGatewayId: "cgw-1", transitGatewayId: "tgw-1" }, "us-east-1"),
      res(VPN, { customerGatewayId: "cgw-2", vpnGatewayId: "vgw-1" }, "us-east-1"),
    ]);
    // aws.amazon.com/vpn/pricing: $0.05 per connection-hour; transit-gateway/pricing: $0.05 per attachment-hour
    // and $0.02 per GB processed; 100 GB a month per attachment by default.
    expect(summary(stack)).to.deep.equal({
      "Site-to-Site VPN connection": 2 * H * 0.05, // both connections: 73.00
      "Transit Gateway VPN attachment": H * 0.05, // only the one on the transit gateway: 36.50
      "Transit Gateway data processing (VPN attachments)": 100 * 0.02, // 2.00
    });
    const vpn = stack.lines[0];
    expect(vpn).to.include({ quantity: 2 * H, unit: "connection-hour", unitPriceUsd: 0.05 });
    expect(vpn.price).to.equal("vpn-connection/us-east-1");
    expect(vpn.urns).to.have.length(2);
  });

  it("prices a VPC attachment in the transit gateway's Region, which can differ from the stack's", () => {
    const stack = one("eu-west-1", [res(VPC_ATTACHMENT, { transitGatewayId: "tgw-1" }, "eu-central-1")]);
    // eu-central-1: $0.06 per attachment-hour.
    expect(summary(stack)).to.deep.equal({
      "Transit Gateway VPC attachment [eu-central-1]": 43.8, // 730 × 0.06
      "Transit Gateway data processing (VPC attachments) [eu-central-1]": 2, // 100 × 0.02
    });
  });

  it("prices each side of a transit gateway peering in its own Region, and no data processing", () => {
    const tgw = res("aws:ec2transitgateway/transitGateway:TransitGateway", {}, "eu-west-1", "tgw-a");
    const requester = {
      ...res("aws:ec2transitgateway/peeringAttachment:PeeringAttachment", {
        transitGatewayId: "tgw-a",
        peerRegion: "eu-central-1",
      }),
      id: "tgw-attach-p",
    };
    const accepter = {
      ...res("aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter", {
        transitGatewayAttachmentId: "tgw-attach-p",
      }),
      id: "tgw-attach-p",
    };
    expect(summary(one("eu-west-1", [tgw, requester, accepter]))).to.deep.equal({
      "Transit Gateway peering attachment [eu-central-1]": 43.8, // accepter: 730 × 0.06
      "Transit Gateway peering attachment": 36.5, // requester, eu-west-1: 730 × 0.05
    });
  });

  it("prices a Direct Connect gateway associated with a transit gateway as an attachment, not one on a VGW", () => {
    const assoc = "aws:directconnect/gatewayAssociation:GatewayAssociation";
    const stack = one("us-east-1", [
      res(assoc, { associatedGatewayId: "tgw-1", dxGatewayId: "dxgw-1" }),
      res(assoc, { associatedGatewayId: "vgw-1", dxGatewayId: "dxgw-1" }),
    ]);
    expect(summary(stack)).to.deep.equal({
      "Transit Gateway Direct Connect gateway attachment": 36.5, // 730 × 0.05
      "Transit Gateway data processing (Direct Connect gateway attachments)": 2, // 100 × 0.02
    });
  });

  it("prices a Direct Connect connection's port once however many VIFs it carries, at the declared speed", () => {
    const vif = (kind: string, connectionId: string) =>
      res(
        `aws:directconnect/${kind}VirtualInterface:${kind[0].toUpperCase()}${kind.slice(1)}VirtualInterface`,
        {
          connectionId,
        },
      );
    const resources = [
      vif("private", "dxcon-a"),
      vif("public", "dxcon-a"),
      vif("transit", "dxcon-b"),
      vif("transit", "dxcon-c"),
    ];
    // aws.amazon.com/directconnect/pricing, US and Europe locations: dedicated 1G $0.30, 10G $2.25 per
    // port-hour; hosted 500 Mbps $0.20.
    const stack = one("us-east-1", resources, {
      usage: { directConnectPorts: { "dxcon-b": "dedicated:10Gbps", "dxcon-c": "hosted:500Mbps" } },
    });
    expect(summary(stack)).to.deep.equal({
      "Direct Connect dedicated port 1 Gbps": 219, // dxcon-a (the default speed), two VIFs: 730 × 0.30
      "Direct Connect dedicated port 10 Gbps": 1642.5, // dxcon-b: 730 × 2.25
      "Direct Connect hosted port 500 Mbps": 146, // dxcon-c: 730 × 0.20
    });
    expect(stack.lines.find((l) => l.item.endsWith("1 Gbps"))?.urns).to.have.length(2);
  });

  it("prices interface endpoints per Availability Zone, and gateway endpoints not at all", () => {
    const stack = one("us-east-1", [
      res(ENDPOINT, { vpcEndpointType: "Interface", subnetIds: ["a", "b", "c"] }, "us-east-1"),
      res(ENDPOINT, { vpcEndpointType: "Gateway", routeTableIds: ["rtb-1"] }, "us-east-1"),
    ]);
    // aws.amazon.com/privatelink/pricing: $0.01 per endpoint per AZ-hour, $0.01 per GB (first PB).
    expect(summary(stack)).to.deep.equal({
      "Interface VPC endpoint (per Availability Zone)": 21.9, // 3 × 730 × 0.01
      "Interface endpoint data processing": 1, // 100 × 0.01
    });
  });

  it("prices a Network Load Balancer by the hour, and an internet-facing one's public IPv4 addresses", () => {
    const stack = one("us-east-1", [
      res(NLB, { loadBalancerType: "network", internal: true, subnets: ["a", "b"] }, "us-east-1"),
      res(NLB, { loadBalancerType: "network", internal: false, subnets: ["a", "b"] }, "us-east-1"),
      res(NLB, { loadBalancerType: "application", internal: true, subnets: ["a"] }, "us-east-1"),
    ]);
    // elasticloadbalancing/pricing: $0.0225 per NLB-hour (NLCUs not priced); vpc/pricing: $0.005 per public
    // IPv4 address-hour.
    expect(summary(stack)).to.deep.equal({
      "Network Load Balancer": 32.85, // 2 × 730 × 0.0225
      "Public IPv4 address (internet-facing NLB)": 7.3, // 2 zones × 730 × 0.005
    });
  });

  it("prices Client VPN associations by the hour and connections at the declared count", () => {
    const endpoint = res("aws:ec2clientvpn/endpoint:Endpoint", {}, "us-east-1", "cvpn-endpoint-1");
    const assoc = (subnetId: string) =>
      res("aws:ec2clientvpn/networkAssociation:NetworkAssociation", {
        clientVpnEndpointId: "cvpn-endpoint-1",
        subnetId,
      });
    const resources = [endpoint, assoc("a"), assoc("b")];
    // aws.amazon.com/vpn/pricing: $0.10 per association-hour, $0.05 per connection-hour.
    expect(summary(one("us-east-1", resources))).to.deep.equal({
      "Client VPN endpoint association": 146, // 2 × 730 × 0.10
      "Client VPN connection": 365, // 10 connections (the default) × 730 × 0.05
    });
    expect(summary(one("us-east-1", resources, { usage: { clientVpnConnections: 3 } }))).to.deep.include({
      "Client VPN connection": 109.5, // 3 × 730 × 0.05
    });
  });

  it("prices an appliance: instance-hours, its gp3 root volume and its Elastic IP", () => {
    const stack = one("us-east-1", [
      res(
        "aws:ec2/instance:Instance",
        { instanceType: "c6i.large", rootBlockDevice: { volumeType: "gp3", volumeSize: 20 } },
        "us-east-1",
      ),
      res("aws:ec2/eip:Eip", { domain: "vpc" }, "us-east-1"),
    ]);
    // ec2/pricing/on-demand: c6i.large $0.085 an hour; ebs/pricing: gp3 $0.08 per GB-month; vpc/pricing:
    // $0.005 per public IPv4 address-hour (Elastic IPs too, since February 2024).
    expect(summary(stack)).to.deep.equal({
      "EC2 instance c6i.large": 62.05, // 730 × 0.085
      "EBS gp3 root volume": 1.6, // 20 GB × 0.08
      "Public IPv4 address (Elastic IP)": 3.65, // 730 × 0.005
    });
  });

  it("leaves data processing out at 0 GB, and refuses a usage it cannot price", () => {
    const stack = one("us-east-1", [res(VPC_ATTACHMENT, {}, "us-east-1")], { usage: { trafficGb: 0 } });
    expect(summary(stack)).to.deep.equal({ "Transit Gateway VPC attachment": 36.5 });
    expect(() =>
      one("us-east-1", [], { usage: { trafficGb: -1, directConnectPorts: { "dxcon-a": "3Gbps" } } }),
    ).to.throw(ValidationError, /2 invalid arguments[\s\S]*trafficGb = -1[\s\S]*directConnectPorts\.dxcon-a/);
  });
});

describe("cost estimate: a missing price", () => {
  it("names the item and the Region, and the planner lists it instead of failing", () => {
    const vpn = res(VPN, { customerGatewayId: "cgw-1", vpnGatewayId: "vgw-1" }, "ap-south-1");
    expect(() => one("ap-south-1", [vpn])).to.throw(
      MissingPriceError,
      'no price for Site-to-Site VPN connection in ap-south-1 (price key "vpn-connection/ap-south-1")',
    );
    const appliance = res("aws:ec2/instance:Instance", { instanceType: "c7gn.large" }, "us-east-1");
    expect(() => one("us-east-1", [appliance])).to.throw(
      MissingPriceError,
      /EC2 instance c7gn\.large in us-east-1/,
    );

    const stacks: CostStack[] = [{ name: "s", resources: [provider("us-east-1"), appliance] }];
    const cost = planCost(stacks);
    expect(cost.monthlyUsd).to.equal(0);
    expect(cost.missingPrices).to.deep.equal([
      'no price for EC2 instance c7gn.large in us-east-1 (price key "ec2-instance:c7gn.large/us-east-1"): add it to model/cost/prices.ts with its date and AWS pricing page',
    ]);
  });
});

describe("cost estimate: the price file", () => {
  it("gives every entry its price, unit, Region, date and AWS pricing page, in every priced Region", () => {
    const entries = Object.entries(PRICES);
    expect(entries.length).to.be.greaterThan(30);
    const items = new Set<string>();
    for (const [key, entry] of entries) {
      const [item, region] = key.split("/");
      items.add(item);
      expect(entry.region, key).to.equal(region);
      expect(PRICED_REGIONS as readonly string[], key).to.include(region);
      expect(entry.usd, key).to.be.greaterThan(0);
      expect(entry.unit, key).to.match(/^[a-zA-Z-]+$/);
      expect(entry.asOf, key).to.match(/^\d{4}-\d{2}-\d{2}$/);
      expect(entry.source, key).to.match(/^https:\/\/aws\.amazon\.com\/[a-z0-9/-]+\/$/);
    }
    for (const item of items)
      for (const region of PRICED_REGIONS) expect(PRICES, item).to.have.property(`${item}/${region}`);
    // A few figures as the AWS pages list them (us-east-1).
    expect(PRICES["vpn-connection/us-east-1"].usd).to.equal(0.05);
    expect(PRICES["tgw-data-processing/us-east-1"].usd).to.equal(0.02);
    expect(PRICES["public-ipv4/eu-central-1"].usd).to.equal(0.005);
    expect(PRICES["dx-dedicated-port:10Gbps/eu-west-1"].usd).to.equal(2.25);
  });
});

describe("cost estimate: the reference environments, worked out by hand", function () {
  this.timeout(300_000);
  // Defaults: 100 GB a month per transit gateway attachment and interface endpoint, 10 Client VPN connections,
  // every Direct Connect connection a dedicated 1 Gbps port.
  const estimate = async (env: string) => {
    const cost = estimatePlan((await plannedEnvironment(env)).stacks);
    return Object.fromEntries(
      cost.stacks.map((s) => [s.stack, s.monthlyUsd]).concat([["total", cost.monthlyUsd]]),
    );
  };
  const sum = (...terms: number[]) => Math.round(terms.reduce((a, b) => a + b, 0) * 100) / 100;

  it("dev (us-east-1)", async () => {
    const connectivity = sum(
      2 * H * 0.05, // VPN connections dc-dc1-1, dc-dc2-1
      2 * H * 0.05, // their transit gateway VPN attachments
      H * 0.05, // the connectivity VPC's attachment (shared-attachment)
      3 * 100 * 0.02, // data processing: 2 VPN + 1 VPC attachment
      2 * 2 * H * 0.01, // endpoints to-app, to-payments, 2 AZs each
      2 * 100 * 0.01, // their data processing
      16.43, // onprem-nlb: 730 × 0.0225 = 16.425
      2 * H * 0.1, // Client VPN staff: associations in use1-az1, use1-az2
      10 * H * 0.05, // Client VPN staff: 10 connections
    );
    const workload = sum(
      H * 0.05, // hub-attachment
      100 * 0.02, // its data processing
      2 * H * 0.01, // the reverse PrivateLink endpoint (<key>-onprem), 2 AZs
      100 * 0.01, // its data processing
      16.43, // the service's NLB
    );
    expect(await estimate("dev")).to.deep.equal({
      "connectivity-dev": connectivity, // 747.13
      "workload-app-dev": workload, // 70.53
      "workload-payments-dev": workload,
      total: sum(connectivity, 2 * workload), // 888.19
    });
  });

  it("prod (us-east-1)", async () => {
    const connectivity = sum(
      7 * H * 0.05, // VPN connections: dc1 ×2 (ECMP), dc2, branches boston and denver (VGW), dx-vpn dc1 and dc2
      5 * H * 0.05, // transit gateway VPN attachments: all but the two CloudHub branches
      H * 0.05, // shared-attachment
      H * 0.05, // the Direct Connect gateway's attachment (dx-hub-association)
      7 * 100 * 0.02, // data processing: 5 VPN + 1 VPC + 1 Direct Connect gateway attachment
      2 * H * 0.3, // ports dxcon-ffa1b2c3 (ashburn) and dxcon-fgd4e5f6 (reston), dedicated 1 Gbps
      2 * 3 * H * 0.01, // endpoints to-payments, to-orders, 3 AZs each
      2 * 100 * 0.01, // their data processing
      16.43, // onprem-nlb
    );
    const workload = sum(
      3 * H * 0.01, // the reverse PrivateLink endpoint, 3 AZs (no transit gateway attachment: overlapping CIDRs)
      100 * 0.01, // its data processing
      16.43, // the service's NLB
    );
    expect(await estimate("prod")).to.deep.equal({
      "connectivity-prod": connectivity, // 1025.23
      "workload-orders-prod": workload, // 39.33
      "workload-payments-prod": workload,
      total: sum(connectivity, 2 * workload), // 1103.89
    });
  });

  it("staging (eu-west-1, with a hub and a workload in eu-central-1)", async () => {
    const connectivity = sum(
      H * 0.05, // VPN connection dc-lon1-1
      H * 0.05, // its transit gateway VPN attachment
      H * 0.05, // shared-attachment
      H * 0.05, // the peering attachment, eu-west-1 side
      H * 0.06, // the peering accepter, eu-central-1 side
      2 * 100 * 0.02, // data processing: 1 VPN + 1 VPC attachment (none over a peering)
      H * 0.3, // port dxcon-fh6a7b8c (lhr), carrying the private and the public VIF: dedicated 1 Gbps
      2 * 2 * H * 0.011, // endpoints to-web, to-analytics (cross-Region, priced where it is), 2 AZs each
      2 * 100 * 0.01, // their data processing
      18.4, // onprem-nlb: 730 × 0.0252 = 18.396
      2 * H * 0.1, // Client VPN staff: 2 associations
      10 * H * 0.05, // Client VPN staff: 10 connections
    );
    const web = sum(
      H * 0.05, // the lab's VPN connection to the VPC's VGW (no transit gateway attachment)
      H * 0.05, // hub-attachment
      100 * 0.02, // its data processing
      2 * H * 0.011, // web-onprem endpoint, 2 AZs
      100 * 0.01, // its data processing
      18.4, // web-nlb
      // Three t3.small instances: the software VPN appliance pair web-swvpn and the WireGuard server
      // web-remote-access (hybridnet:remoteAccessVpn): 3 × 730 × 0.0228 = 49.932
      49.93,
      4.22, // their encrypted gp3 root volumes: 3 × 16 GB × 0.088 = 4.224
      3 * H * 0.005, // their three Elastic IPs
    ); // the S3 gateway endpoint and the VPC peering cost nothing by the hour
    const analytics = sum(
      H * 0.06, // hub-attachment to the eu-central-1 transit gateway
      100 * 0.02, // its data processing
      2 * H * 0.012, // analytics-onprem endpoint, 2 AZs
      100 * 0.01, // its data processing
      19.71, // analytics-nlb: 730 × 0.027
    );
    expect(await estimate("staging")).to.deep.equal({
      "connectivity-staging": connectivity, // 976.32
      "workload-analytics-staging": analytics, // 84.03
      "workload-web-staging": web, // 175.56
      total: sum(connectivity, analytics, web), // 1235.91
    });
  });

  it("re-estimates an earlier plan and takes the difference of a changed one, per stack and in total", async () => {
    const { stacks } = await plannedEnvironment("dev");
    const before = stacks.map((s) =>
      s.name === "connectivity-dev"
        ? { ...s, resources: s.resources.filter((r) => r.name !== "dc-dc2-1-vpn") }
        : s,
    );
    const cost = planCost(stacks, { against: { stacks: before } });
    // dc2's connection, its transit gateway VPN attachment and that attachment's data processing.
    expect(cost.difference).to.deep.equal({
      monthlyUsd: sum(H * 0.05, H * 0.05, 100 * 0.02), // 75.00
      stacks: [
        { stack: "connectivity-dev", monthlyUsd: 75 },
        { stack: "workload-app-dev", monthlyUsd: 0 },
        { stack: "workload-payments-dev", monthlyUsd: 0 },
      ],
    });
    // A stack only one plan has counts whole.
    const gone = costDifference(estimatePlan(stacks.slice(1)), estimatePlan(stacks));
    expect(gone.stacks[0]).to.deep.equal({ stack: "connectivity-dev", monthlyUsd: -747.13 });
  });
});

describe("hybridnet plan: the cost in the table, the JSON and --against", function () {
  this.timeout(300_000);

  it("shows each stack's and the total monthly cost, and the difference from the earlier plan's own cost", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hybridnet-cost-"));
    const earlier = path.join(dir, "earlier.json");
    // An earlier plan as `plan --json` writes it, with its own cost: what --against takes the difference from.
    const earlierCost = {
      currency: "USD",
      hoursPerMonth: H,
      stacks: [
        { stack: "connectivity-dev", region: "us-east-1", lines: [], monthlyUsd: 700 },
        { stack: "workload-app-dev", region: "us-east-1", lines: [], monthlyUsd: 67.53 },
      ],
      monthlyUsd: 767.53,
      prices: {},
    };
    fs.writeFileSync(earlier, JSON.stringify({ stacks: [], cost: earlierCost }));
    const run = hybridnet("plan", "--env", "dev", "--traffic-gb", "0", "--against", earlier, "--out", dir);
    expect(run.stderr).to.not.match(/planner failed/);
    // With no data processing: 747.13 − 8 (2 + 4 + 2) and 70.53 − 3 (2 + 1) per workload.
    expect(run.stdout).to.match(/^ {2}connectivity-dev {7}us-east-1 {10}\$739\.13$/m);
    expect(run.stdout).to.match(/^ {2}workload-payments-dev {2}us-east-1 {11}\$67\.53$/m);
    expect(run.stdout).to.match(/^ {2}total {37}\$874\.19 a month$/m);
    expect(run.stdout).to.match(
      /^ {2}against the earlier plan: \+\$106\.66 a month \(connectivity-dev \+\$39\.13, workload-payments-dev \+\$67\.53\)$/m,
    );
    expect(run.stdout).to.not.match(/data processing/);

    const plan = JSON.parse(fs.readFileSync(path.join(dir, "plan.json"), "utf8")) as PlanResult;
    expect(plan.cost?.usage).to.deep.equal({
      trafficGb: 0,
      clientVpnConnections: 10,
      directConnectPorts: {},
    });
    expect(plan.cost?.monthlyUsd).to.equal(874.19);
    expect(plan.cost?.difference?.monthlyUsd).to.equal(sumOf(874.19, -767.53));
    expect(plan.cost?.prices["vpn-connection/us-east-1"]).to.include({ usd: 0.05, asOf: "2026-12-07" });
  });

  it("refuses a bad usage before planning anything", () => {
    const bad = hybridnet("plan", "--env", "dev", "--traffic-gb", "lots");
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/--traffic-gb lots: GB a month, a number ≥ 0/);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "hybridnet-usage-")), "usage.json");
    fs.writeFileSync(file, JSON.stringify({ clientVpnConnections: 2.5 }));
    const wrong = hybridnet("plan", "--env", "dev", "--usage", file);
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.match(/clientVpnConnections = 2\.5: a whole number of connections ≥ 0/);
  });
});

function sumOf(...terms: number[]): number {
  return Math.round(terms.reduce((a, b) => a + b, 0) * 100) / 100;
}
