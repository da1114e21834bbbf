/**
 * The landing zone end to end under mocks: every stack of dev and prod, in the deployment order, each its own
 * program as each is its own `pulumi up`, the outputs of each read by the next through StackReferences. Then
 * bad config for each role: refused with the stack, the config path, the value and what is allowed, before
 * anything registers.
 */
import { expect } from "chai";
import type { StackOutputs } from "../cli/mocks";
import { planEnvironment, readStackFiles, teardownOrder } from "../model/environment";
import { ValidationError } from "../model/errors";
import { qualifiedStackName } from "../model/stackConfig";
import { runEnvironment, runStackProgram, STACKS_DIR, type StackRun } from "./environment";
import type { RegisteredResource, ResourceList } from "./harness";
import { onlyProblem, problemAt, stackRefused } from "./refusals";

const T = {
  provider: "pulumi:providers:aws",
  vpc: "awsx:ec2:Vpc",
  tgw: "aws:ec2transitgateway/transitGateway:TransitGateway",
  tgwRouteTable: "aws:ec2transitgateway/routeTable:RouteTable",
  association: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
  propagation: "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
  vpcAttachment: "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
  accepter: "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter",
  principal: "aws:ram/principalAssociation:PrincipalAssociation",
  cgw: "aws:ec2/customerGateway:CustomerGateway",
  vpn: "aws:ec2/vpnConnection:VpnConnection",
  route: "aws:ec2/route:Route",
  service: "aws:ec2/vpcEndpointService:VpcEndpointService",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  endpointAccepter: "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter",
  targetAttachment: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
  dxGateway: "aws:directconnect/gateway:Gateway",
  dxAssociation: "aws:directconnect/gatewayAssociation:GatewayAssociation",
  transitVif: "aws:directconnect/transitVirtualInterface:TransitVirtualInterface",
  vgw: "aws:ec2/vpnGateway:VpnGateway",
  clientVpn: "aws:ec2clientvpn/endpoint:Endpoint",
} as const;

type Environment = Awaited<ReturnType<typeof runEnvironment>>;

function run(env: Environment, stack: string, pass: 1 | 2): StackRun {
  const found = env.runs.find((r) => r.step.stack === stack && r.step.pass === pass);
  if (!found) return expect.fail(`no pass ${pass} of ${stack}`);
  return found;
}

/** The provider the workload's VpcAttachment ("hub") makes for the hub owner's account. */
const HUB_PROVIDER = "hub-hub-provider";

/** The name of the provider a resource was registered with (`network`, `app`, `hub-hub-provider`). */
function providerName(r: RegisteredResource): string | undefined {
  return r.provider?.split("::").slice(-2)[0];
}

/** The account a provider assumes its role in, from its registered inputs. */
function providerAccounts(resources: ResourceList): Record<string, string> {
  return Object.fromEntries(
    resources.ofType(T.provider).map((p) => {
      const roles = JSON.parse(String(p.inputs.assumeRoles)) as { roleArn: string }[];
      return [p.name, roles[0].roleArn.split(":")[4]];
    }),
  );
}

function one(resources: ResourceList, type: string, name?: string): RegisteredResource {
  const found = resources.ofType(type).filter((r) => name === undefined || r.name === name);
  expect(found, `${type} ${name ?? ""}`).to.have.length(1);
  return found[0];
}

const lines = (resources: ResourceList) =>
  resources.all.map((r) => `${r.type} ${r.name} ${JSON.stringify(r.inputs)}`);

describe("landing zone stacks (stacks/)", () => {
  const timings: string[] = [];
  let dev: Environment;
  let prod: Environment;

  before(async function () {
    this.timeout(120000);
    for (const env of ["dev", "prod"]) {
      const started = performance.now();
      const result = await runEnvironment(env);
      timings.push(
        `${env}: ${Math.round(performance.now() - started)} ms for ${result.runs.length} runs (${result.runs
          .map((r) => `${r.step.stack}#${r.step.pass} ${r.resources.length} resources ${Math.round(r.ms)} ms`)
          .join("; ")})`,
      );
      if (env === "dev") dev = result;
      else prod = result;
    }
  });

  after(() => {
    if (process.env.HYBRIDNET_TIMINGS) for (const line of timings) console.log(`      ${line}`);
  });

  describe("dev", () => {
    it("runs connectivity, then each workload, then the second passes, reading each other's outputs", () => {
      expect(dev.runs.map((r) => `${r.step.stack}#${r.step.pass}`)).to.deep.equal([
        "connectivity-dev#1",
        "workload-app-dev#1",
        "workload-payments-dev#1",
        "connectivity-dev#2",
        "workload-app-dev#2",
        "workload-payments-dev#2",
      ]);
      expect(run(dev, "workload-app-dev", 1).reads.map((r) => r.id)).to.deep.equal([
        "organization/hybridnet/connectivity-dev",
      ]);
      // Connectivity also reads its own last outputs: the tunnel inside CIDRs it keeps.
      expect(run(dev, "connectivity-dev", 1).reads.map((r) => r.id)).to.deep.equal([
        "organization/hybridnet/workload-app-dev",
        "organization/hybridnet/workload-payments-dev",
        "organization/hybridnet/connectivity-dev",
      ]);
    });

    it("creates every AWS resource through its own account's provider", () => {
      const expected: Record<string, Record<string, string>> = {
        "connectivity-dev": { network: "111122223333" },
        "workload-app-dev": { app: "222233334444", [HUB_PROVIDER]: "111122223333" },
        "workload-payments-dev": { payments: "333344445555", [HUB_PROVIDER]: "111122223333" },
      };
      for (const r of dev.runs) {
        const accounts = providerAccounts(r.resources);
        expect(accounts, r.step.stack).to.deep.equal(expected[r.step.stack]);
        for (const resource of r.resources.all.filter((x) => x.custom && x.type.startsWith("aws:")))
          expect(Object.keys(accounts), `${r.step.stack} ${resource.type} ${resource.name}`).to.include(
            providerName(resource),
          );
        // Only the attachment's acceptance and its place in the segment happen in the network account.
        const inHub = r.resources.all.filter((x) => providerName(x) === HUB_PROVIDER).map((x) => x.type);
        expect([...new Set(inHub)].sort(), r.step.stack).to.deep.equal(
          r.step.stack.startsWith("workload") ? [T.accepter, T.association, T.propagation].sort() : [],
        );
      }
    });

    it("connects each data center with a BGP VPN of two tunnels on the hub, in the onprem segment", () => {
      const c = run(dev, "connectivity-dev", 2).resources;
      const tgwId = run(dev, "connectivity-dev", 2).outputs.transitGatewayId;
      const cgws = c.ofType(T.cgw).map((g) => `${g.name} ${g.inputs.ipAddress} AS${g.inputs.bgpAsn}`);
      expect(cgws).to.deep.equal(["dc-dc1-cgw 203.0.113.10 AS65001", "dc-dc2-cgw 198.51.100.20 AS65002"]);
      const vpns = c.ofType(T.vpn);
      expect(vpns.map((v) => v.name)).to.deep.equal(["dc-dc1-1-vpn", "dc-dc2-1-vpn"]);
      for (const v of vpns) {
        expect(v.inputs.transitGatewayId).to.equal(tgwId);
        expect(v.inputs.staticRoutesOnly).to.equal(false);
        expect(v.inputs.tunnel1IkeVersions).to.deep.equal(["ikev2"]);
        expect(v.inputs.tunnel2IkeVersions).to.deep.equal(["ikev2"]);
        expect(v.secretInputs).to.include.members(["tunnel1PresharedKey", "tunnel2PresharedKey"]);
      }
      const segments = run(dev, "connectivity-dev", 2).outputs.segments as Record<
        string,
        { routeTableId: string; propagatesTo: string[] }
      >;
      const vpnAssociations = c.ofType(T.association).filter((a) => a.name.startsWith("dc-"));
      expect(vpnAssociations).to.have.length(2);
      for (const a of vpnAssociations)
        expect(a.inputs.transitGatewayRouteTableId).to.equal(segments.onprem.routeTableId);
      // Isolated onprem: data centers reach the shared segment, not each other through AWS.
      expect(segments.onprem.propagatesTo).to.deep.equal(["shared"]);
      const vpnPropagations = c.ofType(T.propagation).filter((p) => p.name.startsWith("dc-"));
      expect(vpnPropagations.map((p) => p.inputs.transitGatewayRouteTableId)).to.deep.equal([
        segments.shared.routeTableId,
        segments.shared.routeTableId,
      ]);
      expect(run(dev, "connectivity-dev", 2).secretOutputs).to.include("vpnPresharedKeys");
    });

    it("attaches the connectivity VPC and each workload VPC to the hub, in their segments, with routes", () => {
      const c = run(dev, "connectivity-dev", 2);
      const segments = c.outputs.segments as Record<string, { routeTableId: string }>;
      expect(c.resources.ofType(T.tgwRouteTable).map((t) => t.name)).to.deep.equal([
        "hub-onprem",
        "hub-shared",
        "hub-workloads",
      ]);
      expect(c.resources.ofType(T.principal).map((p) => p.inputs.principal)).to.deep.equal([
        "222233334444",
        "333344445555",
      ]);
      expect(
        one(c.resources, T.association, "shared-association").inputs.transitGatewayRouteTableId,
      ).to.equal(segments.shared.routeTableId);
      // The connectivity VPC routes the data centers' networks and, for the replies, the attached workloads'
      // VPCs to the hub from each private route table.
      const routes = c.resources.ofType(T.route).filter((r) => r.name.startsWith("shared-"));
      expect(routes.map((r) => r.inputs.destinationCidrBlock).sort()).to.deep.equal([
        "10.20.0.0/16",
        "10.20.0.0/16",
        "10.30.0.0/16",
        "10.30.0.0/16",
        "172.16.0.0/16",
        "172.16.0.0/16",
        "172.17.0.0/16",
        "172.17.0.0/16",
      ]);

      for (const [stack, cidr] of [
        ["workload-app-dev", "10.20.0.0/16"],
        ["workload-payments-dev", "10.30.0.0/16"],
      ] as const) {
        const w = run(dev, stack, 1);
        const attachment = one(w.resources, T.vpcAttachment);
        expect(attachment.inputs.transitGatewayId).to.equal(c.outputs.transitGatewayId);
        expect(providerName(attachment)).to.equal(stack.split("-")[1]);
        // The attachment's subnets are the planned transit /28s, looked up by CIDR.
        const vpc = one(w.resources, T.vpc);
        expect(vpc.inputs.cidrBlock).to.equal(cidr);
        expect((attachment.inputs.subnetIds as string[]).length).to.equal(2);
        const accepter = one(w.resources, T.accepter);
        expect(providerName(accepter)).to.equal(HUB_PROVIDER);
        expect(one(w.resources, T.association).inputs.transitGatewayRouteTableId).to.equal(
          segments.workloads.routeTableId,
        );
        // Isolated workloads: they propagate only into the shared segment's table.
        expect(
          w.resources.ofType(T.propagation).map((p) => p.inputs.transitGatewayRouteTableId),
        ).to.deep.equal([segments.shared.routeTableId]);
        expect(w.resources.ofType(T.route).map((r) => r.inputs.destinationCidrBlock)).to.deep.equal([
          "10.10.0.0/20",
          "10.10.0.0/20",
        ]);
        expect(w.outputs.attachmentId).to.match(/^tgw-attach-/);
      }
    });

    it("gives awsx exactly the planned subnets and routes through their looked-up route tables", () => {
      const w = run(dev, "workload-app-dev", 1);
      const vpc = one(w.resources, T.vpc);
      // Config gives zone ids (use1-az1, use1-az2); awsx gets this account's names for them, which the mock
      // model maps for account 222233334444 as us-east-1c and us-east-1d (names differ per account, as in AWS).
      expect(vpc.inputs.availabilityZoneNames).to.deep.equal(["us-east-1c", "us-east-1d"]);
      expect(vpc.inputs.subnetSpecs).to.deep.equal([
        { cidrBlocks: ["10.20.0.0/18", "10.20.64.0/18"], name: "private", type: "Private" },
        { cidrBlocks: ["10.20.192.0/28", "10.20.192.16/28"], name: "transit", type: "Isolated" },
      ]);
      expect(vpc.inputs.natGateways).to.deep.equal({ strategy: "None" });
      const tables = new Set(w.resources.ofType(T.route).map((r) => r.inputs.routeTableId));
      expect(tables.size).to.equal(2);
      for (const t of tables) expect(t).to.match(/^rtb-[0-9a-f]{17}$/);
    });

    it("outputs each subnet by tier and zone with its id, CIDR and route table, the ones its resources use", () => {
      type Published = Record<string, Record<string, { id: string; cidr: string; routeTableId: string }>>;
      const w = run(dev, "workload-app-dev", 1);
      const subnets = w.outputs.subnets as Published;
      const cidrs = Object.fromEntries(
        Object.entries(subnets).map(([tier, zones]) => [
          tier,
          Object.fromEntries(Object.entries(zones).map(([zone, s]) => [zone, s.cidr])),
        ]),
      );
      expect(cidrs).to.deep.equal({
        private: { "use1-az1": "10.20.0.0/18", "use1-az2": "10.20.64.0/18" },
        transit: { "use1-az1": "10.20.192.0/28", "use1-az2": "10.20.192.16/28" },
      });
      const all = Object.values(subnets).flatMap((zones) => Object.values(zones));
      expect(new Set(all.map((s) => s.id)).size).to.equal(4);
      expect(new Set(all.map((s) => s.routeTableId)).size).to.equal(4);
      // The attachment sits in the transit subnets; the routes to the hub are in the private route tables.
      expect(one(w.resources, T.vpcAttachment).inputs.subnetIds).to.deep.equal([
        subnets.transit["use1-az1"].id,
        subnets.transit["use1-az2"].id,
      ]);
      expect(w.resources.ofType(T.route).map((r) => r.inputs.routeTableId)).to.have.members([
        subnets.private["use1-az1"].routeTableId,
        subnets.private["use1-az2"].routeTableId,
      ]);
      // The connectivity stack publishes its own the same way.
      const c = run(dev, "connectivity-dev", 2).outputs.subnets as Published;
      expect(c.private["use1-az2"].cidr).to.equal("10.10.4.0/22");
      expect(c.transit["use1-az1"].cidr).to.equal("10.10.12.0/28");
    });

    it("offers each workload's service to the network account, which consumes it from pass 2 and is accepted", () => {
      const c1 = run(dev, "connectivity-dev", 1);
      const c2 = run(dev, "connectivity-dev", 2);
      expect(c1.resources.ofType(T.endpoint).map((e) => e.name)).to.deep.equal([]);
      for (const workload of ["app", "payments"]) {
        const stack = `workload-${workload}-dev`;
        const w1 = run(dev, stack, 1);
        const service = one(w1.resources, T.service);
        expect(service.inputs.allowedPrincipals).to.deep.equal(["arn:aws:iam::111122223333:root"]);
        expect(service.inputs.acceptanceRequired).to.equal(true);
        expect(w1.resources.ofType(T.endpointAccepter)).to.have.length(0);

        const endpoint = one(c2.resources, T.endpoint, `to-${workload}-endpoint`);
        expect(endpoint.inputs.serviceName).to.equal(w1.outputs.serviceName);
        expect(providerName(endpoint)).to.equal("network");
        const endpointId = (c2.outputs.endpointIds as Record<string, string>)[workload];
        expect(endpointId).to.match(/^vpce-/);

        const w2 = run(dev, stack, 2);
        const accepter = one(w2.resources, T.endpointAccepter);
        expect(accepter.name).to.equal(`${workload}-accept-connectivity`);
        expect(accepter.inputs.vpcEndpointId).to.equal(endpointId);
        expect(w2.outputs.acceptedEndpointIds).to.deep.equal({ connectivity: endpointId });
        expect(w2.outputs.serviceName).to.equal(w1.outputs.serviceName);
      }
    });

    it("reverse PrivateLink: each workload's endpoint to the data center service, accepted in connectivity's pass 2", () => {
      const c1 = run(dev, "connectivity-dev", 1);
      const c2 = run(dev, "connectivity-dev", 2);
      const service = one(c1.resources, T.service, "onprem-service");
      expect(service.inputs.allowedPrincipals).to.deep.equal([
        "arn:aws:iam::222233334444:root",
        "arn:aws:iam::333344445555:root",
      ]);
      expect(
        c1.resources
          .ofType(T.targetAttachment)
          .map((t) => `${t.inputs.targetId} ${t.inputs.availabilityZone}`),
      ).to.deep.equal(["172.16.10.10 all", "172.17.10.10 all"]);
      expect(c1.resources.ofType(T.endpointAccepter)).to.have.length(0);
      const accepted: Record<string, string> = {};
      for (const workload of ["app", "payments"]) {
        const w1 = run(dev, `workload-${workload}-dev`, 1);
        const endpoint = one(w1.resources, T.endpoint);
        expect(endpoint.inputs.serviceName).to.equal(
          (c1.outputs.onPremService as { serviceName: string }).serviceName,
        );
        expect(providerName(endpoint)).to.equal(workload);
        accepted[workload] = w1.outputs.onPremEndpointId as string;
      }
      expect(
        c2.resources.ofType(T.endpointAccepter).map((a) => `${a.name} ${a.inputs.vpcEndpointId}`),
      ).to.deep.equal([`onprem-accept-app ${accepted.app}`, `onprem-accept-payments ${accepted.payments}`]);
      expect(c2.outputs.acceptedEndpointIds).to.deep.equal(accepted);
    });

    it("second passes only add endpoints, accepters and routes back to attached workloads: nothing from the first pass changes", () => {
      for (const stack of ["connectivity-dev", "workload-app-dev", "workload-payments-dev"]) {
        const first = lines(run(dev, stack, 1).resources);
        const second = run(dev, stack, 2).resources;
        for (const line of first) expect(lines(second), stack).to.include(line);
        const added = second.all.filter(
          (r) => !first.includes(`${r.type} ${r.name} ${JSON.stringify(r.inputs)}`),
        );
        // Pass 2 of the connectivity stack routes the workloads that attached in their pass 1.
        for (const r of added.filter((x) => x.type === T.route)) {
          expect(stack, `${stack} added ${r.name}`).to.equal("connectivity-dev");
          expect(["10.20.0.0/16", "10.30.0.0/16"]).to.include(r.inputs.destinationCidrBlock);
        }
        for (const r of added.filter((x) => x.type !== T.route))
          expect(r.type, `${stack} added ${r.type} ${r.name}`).to.be.oneOf([
            T.endpointAccepter,
            T.endpoint,
            "hybridnet:index:PrivateLinkEndpoint",
            "aws:ec2/securityGroup:SecurityGroup",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
          ]);
      }
    });

    it("gives each stack's resources ids of their own, the same in both passes", () => {
      // Both workload stacks name their attachment `hub-attachment`: in AWS they are two attachments.
      const attachments = ["workload-app-dev", "workload-payments-dev"].map(
        (stack) => one(run(dev, stack, 1).resources, T.vpcAttachment, "hub-attachment").id,
      );
      for (const id of attachments) expect(id).to.match(/^tgw-attach-[0-9a-f]{17}$/);
      expect(attachments[0]).not.to.equal(attachments[1]);
      expect(one(run(dev, "workload-app-dev", 2).resources, T.vpcAttachment).id).to.equal(attachments[0]);
      // The payments workload of dev and of prod: two accounts, two VPCs.
      expect(run(dev, "workload-payments-dev", 1).outputs.vpcId).not.to.equal(
        run(prod, "workload-payments-prod", 1).outputs.vpcId,
      );
    });

    it("puts each interface endpoint's addresses inside the private subnets it is in", () => {
      const c = run(dev, "connectivity-dev", 2).resources;
      const endpoints = c.ofType(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Interface");
      expect(endpoints.map((e) => e.name)).to.deep.equal(["to-app-endpoint", "to-payments-endpoint"]);
      // connectivity-dev is 10.10.0.0/20: private subnets 10.10.0.0/22 (use1-az1) and 10.10.4.0/22 (use1-az2).
      const within = (address: string) =>
        /^10\.10\.[0-3]\.\d+$/.test(address)
          ? "10.10.0.0/22"
          : /^10\.10\.[4-7]\.\d+$/.test(address)
            ? "10.10.4.0/22"
            : address;
      const seen = new Set<string>();
      for (const e of endpoints) {
        const configs = e.outputs.subnetConfigurations as { subnetId: string; ipv4: string }[];
        expect(configs.map((x) => x.subnetId)).to.deep.equal(e.inputs.subnetIds);
        expect(
          configs.map((x) => within(x.ipv4)),
          e.name,
        ).to.deep.equal(["10.10.0.0/22", "10.10.4.0/22"]);
        for (const x of configs) seen.add(x.ipv4);
      }
      expect(seen.size).to.equal(4);
    });

    it("has a Client VPN for staff in the connectivity VPC, and no Direct Connect or CloudHub", () => {
      const c = run(dev, "connectivity-dev", 2).resources;
      expect(one(c, T.clientVpn).inputs.clientCidrBlock).to.equal("192.168.100.0/22");
      expect(c.ofType(T.dxGateway)).to.have.length(0);
      expect(c.ofType(T.vgw)).to.have.length(0);
      expect(c.all.filter((r) => r.protect).map((r) => r.name)).to.deep.equal([]);
    });
  });

  it("tears down by URNs the stacks register: each targeted destroy names resources of the last pass", () => {
    for (const [env, environment] of [
      ["dev", dev],
      ["prod", prod],
    ] as const)
      for (const step of teardownOrder(planEnvironment(STACKS_DIR, env)).filter(
        (s) => s.targets.length > 0,
      )) {
        const last = environment.runs.filter((r) => r.step.stack === step.stack).at(-1)!;
        const urns = last.resources.all.map((r) => r.urn);
        for (const target of step.targets) expect(urns, `${step.stack} ${target}`).to.include(target);
      }
  });

  describe("prod", () => {
    it("pages the on-call topic when a VPN connection, a site's capacity or a Direct Connect link is down", () => {
      const page = ["arn:aws:sns:us-east-1:444455556666:network-oncall"];
      const warn = ["arn:aws:sns:us-east-1:444455556666:network-warnings"];
      const c = run(prod, "connectivity-prod", 2).resources;
      const alarms = c.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
      const actionsOf = (name: string) => alarms.find((a) => a.name === name)?.inputs.alarmActions;
      const vpns = c.ofType(T.vpn).map((v) => v.name.replace(/-vpn$/, ""));
      expect(vpns.length).to.be.greaterThan(4);
      for (const v of vpns) {
        expect(actionsOf(`${v}-down`), `${v}-down`).to.deep.equal(page);
        for (const n of [1, 2])
          expect(actionsOf(`${v}-tunnel${n}-down`), `${v} tunnel ${n}`).to.deep.equal(warn);
      }
      // dc1 declares 2 Gbps over the internet VPN.
      expect(actionsOf("dc-dc1-capacity")).to.deep.equal(page);
      for (const key of ["ashburn", "reston"]) {
        expect(actionsOf(`dx-${key}-connection-down`), key).to.deep.equal(page);
        expect(actionsOf(`dx-${key}-bgp-down`), key).to.deep.equal(page);
      }
    });

    it("protects the stateful anchors of every prod stack, and no route, rule, alarm or generated key", () => {
      // Written out from AWS semantics: what devices, users or other accounts hold the id, addresses or keys of.
      const anchors = [T.vpc, T.service];
      const expected: Record<string, string[]> = {
        "connectivity-prod": [
          ...anchors,
          T.tgw,
          T.vgw,
          T.cgw,
          T.vpn,
          T.dxGateway,
          T.transitVif,
          "aws:cloudwatch/logGroup:LogGroup",
        ],
        "workload-orders-prod": anchors,
        "workload-payments-prod": anchors,
      };
      for (const r of prod.runs) {
        const protectedTypes = [...new Set(r.resources.all.filter((x) => x.protect).map((x) => x.type))];
        expect(protectedTypes.sort(), `${r.step.stack}#${r.step.pass}`).to.deep.equal(
          [...expected[r.step.stack]].sort(),
        );
        for (const x of r.resources.all.filter((x) => protectedTypes.includes(x.type)))
          expect(x.protect, `${r.step.stack} ${x.type} ${x.name}`).to.equal(true);
      }
      const c = run(prod, "connectivity-prod", 2).resources;
      for (const type of [
        T.route,
        T.association,
        T.propagation,
        T.endpoint,
        T.endpointAccepter,
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "random:index/randomPassword:RandomPassword",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      ]) {
        expect(c.ofType(type), type).to.not.have.length(0);
        for (const x of c.ofType(type)) expect(x.protect, `${x.type} ${x.name}`).to.equal(false);
      }
    });

    it("adds Direct Connect: a gateway on the hub, transit VIFs, a private IP VPN to each data center over them", () => {
      const c = run(prod, "connectivity-prod", 1);
      const dxgw = one(c.resources, T.dxGateway);
      expect(dxgw.inputs.amazonSideAsn).to.equal("64700");
      const association = one(c.resources, T.dxAssociation);
      expect(association.inputs.associatedGatewayId).to.equal(c.outputs.transitGatewayId);
      expect(association.inputs.allowedPrefixes).to.deep.equal(["10.255.0.0/24"]);
      expect(one(c.resources, T.tgw).inputs.transitGatewayCidrBlocks).to.deep.equal(["10.255.0.0/24"]);
      expect(
        c.resources.ofType(T.transitVif).map((v) => `${v.inputs.connectionId} ${v.inputs.vlan}`),
      ).to.deep.equal(["dxcon-ffa1b2c3 101", "dxcon-fgd4e5f6 102"]);
      const privateVpns = c.resources.ofType(T.vpn).filter((v) => v.name.startsWith("dx-vpn-"));
      expect(privateVpns.map((v) => v.name)).to.deep.equal(["dx-vpn-dc1-1-vpn", "dx-vpn-dc2-1-vpn"]);
      for (const v of privateVpns) {
        expect(v.inputs.outsideIpAddressType).to.equal("PrivateIpv4");
        expect(v.inputs.transportTransitGatewayAttachmentId).to.match(/^tgw-attach-/);
      }
      // The internet VPN stays as the backup path: dc1 sized for 2 Gbps with ECMP.
      const internet = c.resources.ofType(T.vpn).filter((v) => v.name.startsWith("dc-"));
      expect(internet.map((v) => v.name)).to.deep.equal(["dc-dc1-1-vpn", "dc-dc1-2-vpn", "dc-dc2-1-vpn"]);
    });

    it("runs a VPN CloudHub for the branches on the connectivity VPC", () => {
      const c = run(prod, "connectivity-prod", 1).resources;
      expect(one(c, T.vgw).inputs.vpcId).to.equal(
        one(c, T.vpc).name === "connectivity" ? run(prod, "connectivity-prod", 1).outputs.sharedVpcId : "",
      );
      expect(
        c
          .ofType(T.cgw)
          .filter((g) => g.name.startsWith("branches-"))
          .map((g) => g.inputs.bgpAsn),
      ).to.deep.equal(["65101", "65102"]);
    });

    it("two workloads share 10.50.0.0/16: no transit gateway attachment, both reached and reaching through PrivateLink", () => {
      const c2 = run(prod, "connectivity-prod", 2);
      const services: string[] = [];
      for (const workload of ["orders", "payments"]) {
        const stack = `workload-${workload}-prod`;
        const w1 = run(prod, stack, 1);
        const w2 = run(prod, stack, 2);
        expect(one(w1.resources, T.vpc).inputs.cidrBlock).to.equal("10.50.0.0/16");
        expect(w1.resources.ofType(T.vpcAttachment)).to.have.length(0);
        expect(w1.resources.ofType(T.route)).to.have.length(0);
        expect(Object.keys(providerAccounts(w1.resources))).to.deep.equal([workload]);
        const serviceName = w1.outputs.serviceName as string;
        services.push(serviceName);
        // Inbound: the data centers' endpoint in the connectivity VPC, accepted by the workload.
        const endpoint = one(c2.resources, T.endpoint, `to-${workload}-endpoint`);
        expect(endpoint.inputs.serviceName).to.equal(serviceName);
        expect(one(w2.resources, T.endpointAccepter).inputs.vpcEndpointId).to.equal(
          (c2.outputs.endpointIds as Record<string, string>)[workload],
        );
        // Outbound: its own endpoint to the data center service, accepted by connectivity.
        expect((c2.outputs.acceptedEndpointIds as Record<string, string>)[workload]).to.equal(
          w1.outputs.onPremEndpointId,
        );
      }
      expect(new Set(services).size).to.equal(2);
      // One consumer network for the reverse service's security group, though two workloads use it.
      expect(
        c2.resources
          .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
          .filter((r) => r.name.startsWith("onprem-nlb-in-"))
          .map((r) => r.inputs.cidrIpv4),
      ).to.deep.equal(["10.50.0.0/16"]);
      expect(c2.resources.ofType(T.principal).map((p) => p.inputs.principal)).to.deep.equal([
        "555566667777",
        "666677778888",
      ]);
    });
  });

  describe("bad config", () => {
    const files = Object.fromEntries(
      [...readStackFiles(STACKS_DIR, "dev"), ...readStackFiles(STACKS_DIR, "prod")].map((f) => [
        f.stack,
        f.config,
      ]),
    );
    /** The stack's config with `key`'s object changed by `change` (or the key removed when it returns undefined). */
    function edited(stack: string, key: string, change: (value: Record<string, unknown>) => unknown) {
      const config = { ...files[stack] };
      const text = config[key];
      const value = text === undefined ? {} : text.startsWith("{") ? JSON.parse(text) : text;
      const next = change(value);
      if (next === undefined) delete config[key];
      else config[key] = typeof next === "string" ? next : JSON.stringify(next);
      return config;
    }
    const deployedConnectivity = (): StackOutputs => ({
      [qualifiedStackName("organization", "connectivity-dev")]: run(dev, "connectivity-dev", 2).outputs,
    });

    const refused = stackRefused;

    describe("connectivity", () => {
      it("refuses a missing role", async () => {
        const { error, reads } = await refused(
          "connectivity-dev",
          edited("connectivity-dev", "hybridnet:role", () => undefined),
        );
        problemAt(error, "hybridnet:role", undefined, 'one of "connectivity", "workload"');
        expect(reads).to.deep.equal([]);
      });

      it("refuses a bad VPC CIDR, a bad ASN, a private customer gateway address and a bad account id, all at once", async () => {
        const config = {
          ...edited("connectivity-dev", "hybridnet:vpc", (v) => ({ ...v, cidr: "10.10.0.0/33" })),
          "hybridnet:vpn": edited("connectivity-dev", "hybridnet:vpn", (v) => {
            const sites = v.sites as Record<string, Record<string, unknown>>;
            return { ...v, sites: { ...sites, dc2: { ...sites.dc2, bgpAsn: 7224, ipAddress: "10.0.0.1" } } };
          })["hybridnet:vpn"],
          "hybridnet:workloads": JSON.stringify({
            app: { accountId: "22223333444", vpcCidr: "10.20.0.0/16" },
          }),
        };
        const { error, reads } = await refused("connectivity-dev", config);
        problemAt(error, "hybridnet:vpc.cidr", "10.10.0.0/33", "not a CIDR");
        problemAt(error, "hybridnet:vpn.sites.dc2.bgpAsn", 7224, "reserved by AWS");
        problemAt(error, "hybridnet:vpn.sites.dc2.ipAddress", "10.0.0.1", "not internet-routable");
        problemAt(error, "hybridnet:workloads.app.accountId", "22223333444", "exactly 12 digits");
        expect(error.problems).to.have.length(4);
        expect(reads).to.deep.equal([]);
      });

      it("refuses a segment the hub does not have", async () => {
        const config = edited("connectivity-dev", "hybridnet:vpc", (v) => ({ ...v, segment: "shraed" }));
        const { error } = await refused("connectivity-dev", config);
        problemAt(error, "hybridnet:vpc.segment", "shraed", 'use one of "onprem", "shared", "workloads"');
      });

      it("refuses, before anything registers, what only a component checks: a bandwidth beyond the VPN quota", async () => {
        const config = edited("connectivity-dev", "hybridnet:vpn", (v) => {
          const sites = v.sites as Record<string, Record<string, unknown>>;
          return { ...v, sites: { ...sites, dc1: { ...sites.dc1, bandwidthGbps: 200 } } };
        });
        const { error } = await refused("connectivity-dev", config);
        expect(error.problems.map((p) => p.path)).to.include("hybridnet:vpn.sites.dc1.bandwidthGbps");
      });
    });

    describe("connectivity and the workload services' zones", () => {
      it("refuses a VPC with fewer than two zone ids in common with a workload service's load balancer", async () => {
        const deployed: StackOutputs = Object.fromEntries(
          ["workload-app-dev", "workload-payments-dev"].map((w) => [
            qualifiedStackName("organization", w),
            run(dev, w, 1).outputs,
          ]),
        );
        expect(run(dev, "workload-app-dev", 1).outputs.serviceZoneIds).to.deep.equal([
          "use1-az1",
          "use1-az2",
        ]);
        const config = edited("connectivity-dev", "hybridnet:vpc", (v) => ({
          ...v,
          availabilityZones: ["use1-az2", "use1-az3"],
        }));
        const { error } = await refused("connectivity-dev", config, deployed);
        expect(error.problems.map((p) => [p.path, p.value])).to.deep.equal([
          ["hybridnet:vpc.availabilityZones", ["use1-az2", "use1-az3"]],
          ["hybridnet:vpc.availabilityZones", ["use1-az2", "use1-az3"]],
        ]);
        expect(error.problems.map((p) => p.allowed)).to.deep.equal([
          "at least two zone ids of workload-app-dev's service (stack output workload-app-dev.serviceZoneIds: use1-az1, use1-az2): an interface endpoint can use only zones its service's load balancer has",
          "at least two zone ids of workload-payments-dev's service (stack output workload-payments-dev.serviceZoneIds: use1-az1, use1-az2): an interface endpoint can use only zones its service's load balancer has",
        ]);
      });
    });

    describe("connectivity reading a workload stack of an older version", () => {
      it("asks to update a workload that publishes its service without the zone ids of its load balancer", async () => {
        const outputs = { ...run(dev, "workload-app-dev", 1).outputs };
        delete outputs.serviceZoneIds;
        const deployed: StackOutputs = {
          [qualifiedStackName("organization", "workload-app-dev")]: outputs,
          [qualifiedStackName("organization", "workload-payments-dev")]: run(dev, "workload-payments-dev", 1)
            .outputs,
        };
        const { error } = await refused("connectivity-dev", files["connectivity-dev"], deployed);
        onlyProblem(
          error,
          "stack output workload-app-dev.serviceZoneIds",
          undefined,
          "update workload-app-dev to this version of the program",
        );
      });
    });

    describe("workload", () => {
      it("refuses a bad CIDR and a bad account id before reading the connectivity stack", async () => {
        let config = edited("workload-app-dev", "hybridnet:vpc", (v) => ({ ...v, cidr: "10.20.0.1/16" }));
        config = {
          ...config,
          "hybridnet:aws": edited("workload-app-dev", "hybridnet:aws", (v) => ({
            ...v,
            accountId: 222233334444,
          }))["hybridnet:aws"],
        };
        const { error, reads } = await refused("workload-app-dev", config, deployedConnectivity());
        problemAt(
          error,
          "hybridnet:vpc.cidr",
          "10.20.0.1/16",
          "host bits are set; the network is 10.20.0.0/16",
        );
        problemAt(error, "hybridnet:aws.accountId", 222233334444, "as a string");
        expect(reads).to.deep.equal([]);
      });

      it("refuses a segment the connectivity stack's hub does not have", async () => {
        const config = edited("workload-app-dev", "hybridnet:attachment", (v) => ({ ...v, segment: "prod" }));
        const { error, reads } = await refused("workload-app-dev", config, deployedConnectivity());
        problemAt(
          error,
          "hybridnet:attachment.segment",
          "prod",
          'use one of "onprem", "shared", "workloads"',
        );
        expect(reads.map((r) => r.id)).to.deep.equal(["organization/hybridnet/connectivity-dev"]);
      });

      it("refuses a workload in another Region than the hub, saying what is supported", async () => {
        let config = edited("workload-app-dev", "hybridnet:aws", (v) => ({ ...v, region: "us-west-2" }));
        config = {
          ...config,
          "hybridnet:vpc": edited("workload-app-dev", "hybridnet:vpc", (v) => ({
            ...v,
            availabilityZones: ["usw2-az1", "usw2-az2"],
          }))["hybridnet:vpc"],
        };
        const { error } = await refused("workload-app-dev", config, deployedConnectivity());
        // No transit gateway of the environment in us-west-2, and the reverse service does not support it.
        expect(error.problems.map((p) => p.path)).to.deep.equal([
          "hybridnet:aws.region",
          "hybridnet:aws.region",
        ]);
        problemAt(
          error,
          "hybridnet:aws.region",
          "us-west-2",
          "a Region with a transit gateway of connectivity-dev to attach to: us-east-1 (stack outputs connectivity-dev.region, connectivity-dev.regionalHubs); add hybridnet:hub.regions.us-west-2 to connectivity-dev",
        );
        problemAt(
          error,
          "hybridnet:aws.region",
          "us-west-2",
          "a Region connectivity-dev's reverse service supports (stack output connectivity-dev.onPremService.supportedRegions: us-east-1)",
        );
      });

      it("accepts the hub's Region, and gives the hub-account provider the hub's Region", () => {
        const w = run(dev, "workload-app-dev", 1);
        expect(run(dev, "connectivity-dev", 1).outputs.region).to.equal("us-east-1");
        const hub = w.resources.ofType(T.provider).find((p) => p.name === HUB_PROVIDER);
        expect(hub?.inputs.region).to.equal("us-east-1");
      });

      it("refuses a VPC with fewer than two zone ids in common with the reverse service's load balancer", async () => {
        const config = edited("workload-app-dev", "hybridnet:vpc", (v) => ({
          ...v,
          availabilityZones: ["use1-az1", "use1-az3"],
        }));
        const { error } = await refused("workload-app-dev", config, deployedConnectivity());
        onlyProblem(
          error,
          "hybridnet:vpc.availabilityZones",
          ["use1-az1", "use1-az3"],
          "at least two zone ids of connectivity-dev's on-premises service (stack output connectivity-dev.onPremService.zoneIds: use1-az1, use1-az2): an interface endpoint can use only zones its service's load balancer has",
        );
      });

      it("refuses a zone id the account does not have, once its provider can ask AWS, before any other resource", async () => {
        const config = edited("workload-app-dev", "hybridnet:vpc", (v) => ({
          ...v,
          // Two zones in common with the reverse service (use1-az1, use1-az2), and one no account has.
          availabilityZones: ["use1-az1", "use1-az2", "use1-az7"],
        }));
        const result = await runStackProgram("workload-app-dev", config, deployedConnectivity());
        if (!(result.error instanceof ValidationError)) return expect.fail(String(result.error));
        // us-east-1 has six zones, use1-az1 to use1-az6 (the mock's, as AWS lists them for most accounts).
        onlyProblem(
          result.error,
          "hybridnet:vpc.availabilityZones[2]",
          "use1-az7",
          "a zone id account 222233334444 has: use1-az5, use1-az6, use1-az1, use1-az2, use1-az3, use1-az4",
        );
        expect(result.resources.all.map((r) => r.type)).to.deep.equal([T.provider]);
      });

      it("refuses to deploy before the connectivity stack, saying which stack to deploy first", async () => {
        const { error } = await refused("workload-app-dev", files["workload-app-dev"]);
        problemAt(error, "stack output connectivity-dev.transitGatewayId", undefined, "deploy it first");
      });

      it("refuses a role the stack name contradicts, and an unknown setting", async () => {
        const config = { ...files["workload-app-dev"], "hybridnet:role": "connectivity" };
        const { error } = await refused("workload-app-dev", config);
        expect(error.problems.map((p) => p.path)).to.include("hybridnet:hub");
        const typo = { ...files["workload-app-dev"], "hybridnet:servce": "{}" };
        const second = await refused("workload-app-dev", typo);
        problemAt(second.error, "hybridnet:servce", {}, "not a setting here");
      });
    });
  });
});
