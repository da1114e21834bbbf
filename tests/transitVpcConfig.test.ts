/**
 * The transit VPC from stack config (`hybridnet:transitVpc` on the connectivity stack): the setting's checks
 * (each naming the stack, the config path, the value and what is allowed), the component's own checks reported
 * at config paths before anything registers, and the dev connectivity stack run under mocks with a transit VPC of
 * two spokes, one in another account: the appliances in the connectivity VPC's new public subnets, routes from its
 * private route tables to the spokes, and the inside CIDRs among the stack's `tunnelInsideCidrs`.
 */
import { expect } from "chai";
import { cliConfig, readStackFiles } from "../model/environment";
import { type ConnectivityConfig, parseStackConfig } from "../model/stackConfig";
import { runStackProgram, STACKS_DIR } from "./environment";
import { resolve } from "./harness";
import { configRefused, onlyProblem, problemAt } from "./refusals";

const STACK = "connectivity-dev";
const base = Object.fromEntries(readStackFiles(STACKS_DIR, "dev").map((f) => [f.stack, f.config]))[STACK];

/** A transit VPC of two spokes: one in the network account (its VPC), one in account 444455556666. */
const transitVpc = () => ({
  appliance: { bgpAsn: 65040, instanceType: "t3.small" },
  spokes: {
    legacy: {
      cidrs: ["10.60.0.0/16"],
      vpcId: "vpc-0a1b2c3d4e5f60718",
      routeTableIds: { main: "rtb-0a1b2c3d4e5f60718" },
    },
    partner: {
      cidrs: ["10.61.0.0/16"],
      vpnGatewayId: "vgw-0a1b2c3d4e5f60718",
      amazonSideAsn: 64601,
      roleArn: "arn:aws:iam::444455556666:role/hybridnet-transit",
    },
  },
});

/** The dev connectivity stack's config with `hybridnet:transitVpc` set to `value`. */
const withTransit = (value: unknown) => ({ ...base, ...cliConfig({ "hybridnet:transitVpc": value }) });

describe("hybridnet:transitVpc (a transit VPC on the connectivity VPC)", () => {
  describe("the setting", () => {
    it("accepts two spokes, one in another account", () => {
      const c = parseStackConfig(STACK, withTransit(transitVpc())).config as ConnectivityConfig;
      expect(c.transitVpc?.spokes.partner).to.deep.equal({
        cidrs: ["10.61.0.0/16"],
        vpnGatewayId: "vgw-0a1b2c3d4e5f60718",
        amazonSideAsn: 64601,
        roleArn: "arn:aws:iam::444455556666:role/hybridnet-transit",
      });
    });

    it("refuses both gateways, a Region without a role, a role of the network account, and an overlap", () => {
      const value = transitVpc();
      const spokes = value.spokes as Record<string, Record<string, unknown>>;
      spokes.legacy.vpnGatewayId = "vgw-0b1b2c3d4e5f60718";
      spokes.legacy.region = "eu-west-1";
      // The network account (hybridnet:aws.accountId) in the stack's Region: AWS would hand back its gateways.
      spokes.partner.roleArn = "arn:aws:iam::111122223333:role/hybridnet-transit";
      // Workload app's VPC is 10.20.0.0/16.
      spokes.partner.cidrs = ["10.20.128.0/17"];
      const error = configRefused(STACK, withTransit(value));
      expect(error.problems.map((p) => [p.path, p.value])).to.deep.equal([
        ["hybridnet:transitVpc.spokes.legacy", "vpc-0a1b2c3d4e5f60718"],
        ["hybridnet:transitVpc.spokes.legacy.region", "eu-west-1"],
        ["hybridnet:transitVpc.spokes.partner.roleArn", "arn:aws:iam::111122223333:role/hybridnet-transit"],
        ["hybridnet:transitVpc.spokes.partner.cidrs[0]", "10.20.128.0/17"],
      ]);
      expect(error.problems[0].allowed).to.equal(
        "exactly one of vpcId (the stack creates the gateway) or vpnGatewayId (an existing one)",
      );
      expect(error.problems[2].allowed).to.include("AWS returns the stack's own customer gateways");
      expect(error.problems[3].allowed).to.equal(
        "overlaps workload app's VPC (10.20.0.0/16); the spokes are routed by CIDR from the connectivity VPC",
      );
      expect(error.message).to.include(`${STACK}: 4 invalid arguments`);
    });

    it("refuses a malformed VPC id, a public ASN on a gateway and an unknown key, by path", () => {
      const value = transitVpc() as unknown as { spokes: Record<string, Record<string, unknown>> };
      value.spokes.legacy.vpcId = "vpc-123";
      problemAt(
        configRefused(STACK, withTransit(value)),
        "hybridnet:transitVpc.spokes.legacy.vpcId",
        "vpc-123",
        'a vpc id: "vpc-" and 8 or 17 hexadecimal digits',
      );
      const asn = transitVpc() as unknown as { spokes: Record<string, Record<string, unknown>> };
      asn.spokes.partner.amazonSideAsn = 65000 + 2000;
      problemAt(
        configRefused(STACK, withTransit(asn)),
        "hybridnet:transitVpc.spokes.partner.amazonSideAsn",
        67000,
        "64512",
      );
      onlyProblem(
        configRefused(STACK, withTransit({ ...transitVpc(), hub: "vpc-0a1b2c3d" })),
        "hybridnet:transitVpc.hub",
        "vpc-0a1b2c3d",
        "not a setting here; the settings here are appliance, spokes",
      );
    });
  });

  describe("the connectivity stack", () => {
    it("registers the transit VPC on the connectivity VPC's public subnets, with a spoke in another account", async () => {
      const run = await runStackProgram(STACK, withTransit(transitVpc()));
      if (run.error) return expect.fail(run.error.stack);
      const transit = run.resources.named("transit");
      expect(transit.type).to.equal("hybridnet:index:TransitVpc");
      // The layout's public /28s: the last ones of the VPC's fourth quarter (10.10.12.0/22), one per zone.
      const vpc = run.resources.ofType("awsx:ec2:Vpc")[0];
      const specs = vpc.inputs.subnetSpecs as { type: string; cidrBlocks: string[] }[];
      expect(specs.find((s) => s.type === "Public")?.cidrBlocks).to.deep.equal([
        "10.10.15.240/28",
        "10.10.15.224/28",
      ]);
      const instances = run.resources
        .ofType("aws:ec2/instance:Instance")
        .filter((i) => i.name.startsWith("transit-"));
      expect(instances.map((i) => [i.name, i.inputs.privateIp, i.inputs.instanceType])).to.deep.equal([
        ["transit-appliance-primary", "10.10.15.254", "t3.small"],
        ["transit-appliance-standby", "10.10.15.238", "t3.small"],
      ]);
      // The connectivity VPC's two private route tables send both spokes' CIDRs to the primary.
      const routes = run.resources
        .ofType("aws:ec2/route:Route")
        .filter((r) => r.name.startsWith("transit-appliance-"))
        .map((r) => r.inputs.destinationCidrBlock)
        .sort();
      expect(routes).to.deep.equal(["10.60.0.0/16", "10.60.0.0/16", "10.61.0.0/16", "10.61.0.0/16"]);
      // The partner spoke through its account's provider, in the stack's Region; legacy's in the network account.
      const provider = run.resources.named("transit-444455556666-us-east-1-provider");
      expect(provider.inputs.region).to.equal("us-east-1");
      const vpns = run.resources
        .ofType("aws:ec2/vpnConnection:VpnConnection")
        .filter((v) => v.name.startsWith("transit-"));
      expect(vpns.map((v) => [v.name, v.provider?.split("::")[3]])).to.deep.equal([
        ["transit-legacy-primary-vpn", "network"],
        ["transit-legacy-standby-vpn", "network"],
        ["transit-partner-primary-vpn", "transit-444455556666-us-east-1-provider"],
        ["transit-partner-standby-vpn", "transit-444455556666-us-east-1-provider"],
      ]);
      // The next run reads the tunnels' inside CIDRs back: no spoke's tunnel moves when one is added.
      const outputs = run.result as Record<string, unknown>;
      const inside = (await resolve(outputs.tunnelInsideCidrs as Record<string, Record<string, string[]>>))
        .value.transit;
      expect(Object.keys(inside)).to.deep.equal([
        "legacy-primary",
        "legacy-standby",
        "partner-primary",
        "partner-standby",
      ]);
      expect((await resolve(outputs.transitVpcPresharedKeys)).secret).to.equal(true);
    });

    it("reports the component's checks at config paths before anything registers", async () => {
      const value = transitVpc();
      // The appliances' ASN on a spoke's gateway: eBGP needs two autonomous systems.
      value.appliance.bgpAsn = 64601;
      (value.spokes.partner as Record<string, unknown>).amazonSideAsn = 64601;
      const run = await runStackProgram(STACK, withTransit(value));
      expect(run.error?.message).to.include(
        "hybridnet:transitVpc.appliance.bgpAsn = 64601: an ASN other than spoke partner's virtual private gateway's 64601",
      );
      expect(run.resources.all).to.have.length(0);
    });
  });
});
