import * as aws from "@pulumi/aws";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import * as random from "@pulumi/random";
import { expect } from "chai";
import { DEFAULT_ACCOUNT, DEFAULT_REGION, MockModel, type MockResourceRequest } from "../cli/mocks";
import {
  parseCidr,
  presharedKeyProblem,
  publicIpv4Problem,
  tunnelInsideCidrProblem,
} from "../model/addressing";
import { resolve, runProgram } from "./harness";

const VGW = "aws:ec2/vpnGateway:VpnGateway";
const CGW = "aws:ec2/customerGateway:CustomerGateway";
const VPN = "aws:ec2/vpnConnection:VpnConnection";
const TGW = "aws:ec2transitgateway/transitGateway:TransitGateway";
const TGW_RTB = "aws:ec2transitgateway/routeTable:RouteTable";
const PASSWORD = "random:index/randomPassword:RandomPassword";

/** Whether `value` is marked the way the Pulumi engine marks a secret output. */
function isSecret(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[specialSigKey] === specialSecretSig
  );
}

/** The value inside a secret; fails the test when `value` is not a secret. */
function secretValue(value: unknown): unknown {
  expect(isSecret(value), `${JSON.stringify(value)} is not a secret`).to.equal(true);
  return (value as { value: unknown }).value;
}

function create(
  model: MockModel,
  type: string,
  name: string,
  inputs: Record<string, unknown> = {},
  provider?: string,
) {
  return model.newResource({ type, name, inputs, custom: true, ...(provider ? { provider } : {}) });
}

/** Registers an assume-role provider the way the runtime hands it over and returns its reference. */
function assumeRoleProvider(model: MockModel, name: string, region: string, roleArn: string): string {
  const request: MockResourceRequest = {
    type: "pulumi:providers:aws",
    name,
    inputs: { region, assumeRoles: [{ roleArn }] },
    custom: true,
  };
  const { id } = model.newResource(request);
  return `urn:pulumi:test::hybridnet::pulumi:providers:aws::${name}::${id}`;
}

const addressValue = (address: string) => parseCidr(`${address}/32`).first;

describe("mock model (cli/mocks)", () => {
  describe("ids and ARNs", () => {
    it("gives gateways, connections and transit gateway tables the id prefixes AWS uses", () => {
      const model = new MockModel();
      const expected: [string, RegExp][] = [
        [VGW, /^vgw-[0-9a-f]{17}$/],
        [CGW, /^cgw-[0-9a-f]{17}$/],
        [VPN, /^vpn-[0-9a-f]{17}$/],
        [TGW, /^tgw-[0-9a-f]{17}$/],
        [TGW_RTB, /^tgw-rtb-[0-9a-f]{17}$/],
      ];
      for (const [type, pattern] of expected) expect(create(model, type, "x").id, type).to.match(pattern);
    });

    it("puts ARNs and owner ids in the default account and region when no provider is named", () => {
      const model = new MockModel();
      const vgw = create(model, VGW, "vgw");
      expect(vgw.state.arn).to.equal(
        `arn:aws:ec2:${DEFAULT_REGION}:${DEFAULT_ACCOUNT}:vpn-gateway/${vgw.id}`,
      );
      expect(vgw.state.ownerId).to.equal(DEFAULT_ACCOUNT);
      const tgw = create(model, TGW, "tgw");
      expect(tgw.state.arn).to.equal(`arn:aws:ec2:us-east-1:111122223333:transit-gateway/${tgw.id}`);
      const table = create(model, TGW_RTB, "rtb");
      expect(table.state.arn).to.equal(
        `arn:aws:ec2:us-east-1:111122223333:transit-gateway-route-table/${table.id}`,
      );
    });

    it("gives different resources different ids, and keeps an id the runtime already has", () => {
      const model = new MockModel();
      expect(create(model, VPN, "a").id).not.to.equal(create(model, VPN, "b").id);
      expect(create(model, VPN, "a").id).not.to.equal(create(model, CGW, "a").id);
      const imported = model.newResource({ type: VPN, name: "a", inputs: {}, id: "vpn-0123456789abcdef0" });
      expect(imported.id).to.equal("vpn-0123456789abcdef0");
    });
  });

  describe("ids across stacks and accounts", () => {
    it("gives a resource of one type and name different ids in different stacks, as AWS does", () => {
      const inStack = (stack: string) =>
        create(
          new MockModel({ stack }),
          "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
          "hub-attachment",
        ).id;
      const app = inStack("workload-app-dev");
      const payments = inStack("workload-payments-dev");
      expect(app).to.match(/^tgw-attach-[0-9a-f]{17}$/);
      expect(payments).to.match(/^tgw-attach-[0-9a-f]{17}$/);
      expect(app).not.to.equal(payments);
      // The same resource in the same stack: the same id on every run.
      expect(inStack("workload-app-dev")).to.equal(app);
    });

    it("gives a resource of one type and name different ids in different accounts and regions of one stack", () => {
      const model = new MockModel({ stack: "connectivity-dev" });
      const a = assumeRoleProvider(model, "a", "us-east-1", "arn:aws:iam::222233334444:role/x");
      const b = assumeRoleProvider(model, "b", "us-east-1", "arn:aws:iam::333344445555:role/x");
      const west = assumeRoleProvider(model, "west", "us-west-2", "arn:aws:iam::222233334444:role/x");
      const ids = [a, b, west].map((provider) => create(model, VGW, "vgw", {}, provider).id);
      expect(new Set(ids).size).to.equal(3);
      // Stacks and accounts also part an awsx VPC's id, and so its subnets'.
      const vpc = (m: MockModel) =>
        m.newResource({ type: "awsx:ec2:Vpc", name: "payments-vpc", inputs: {} }).state.vpcId;
      expect(vpc(new MockModel({ stack: "workload-payments-dev" }))).not.to.equal(
        vpc(new MockModel({ stack: "workload-payments-prod" })),
      );
    });
  });

  describe("provider placement", () => {
    it("puts a resource created through an assume-role provider in the role's account and the provider's region", () => {
      const model = new MockModel();
      const provider = assumeRoleProvider(model, "workload", "eu-west-1", "arn:aws:iam::222233334444:role/x");
      const cgw = create(model, CGW, "cgw", {}, provider);
      expect(cgw.state.arn).to.equal(`arn:aws:ec2:eu-west-1:222233334444:customer-gateway/${cgw.id}`);
      expect(cgw.state.ownerId).to.equal("222233334444");
      expect(
        model.call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {}, provider }),
      ).to.include({
        accountId: "222233334444",
      });
      expect(model.call({ token: "aws:index/getRegion:getRegion", inputs: {}, provider })).to.include({
        name: "eu-west-1",
      });
    });

    it("keeps resources of other providers, and of none, where they were", () => {
      const model = new MockModel();
      const workload = assumeRoleProvider(model, "workload", "eu-west-1", "arn:aws:iam::222233334444:role/x");
      const other = assumeRoleProvider(
        model,
        "network",
        "ap-southeast-2",
        "arn:aws:iam::555566667777:role/y",
      );
      expect(create(model, VGW, "a", {}, other).state.ownerId).to.equal("555566667777");
      expect(String(create(model, VGW, "b", {}, other).state.arn)).to.contain(":ap-southeast-2:");
      expect(create(model, VGW, "c", {}, workload).state.ownerId).to.equal("222233334444");
      expect(create(model, VGW, "d").state.ownerId).to.equal(DEFAULT_ACCOUNT);
      expect(
        create(model, VGW, "e", {}, "urn:pulumi:test::hybridnet::pulumi:providers:aws::gone::unknown-id")
          .state,
      ).to.include({ ownerId: DEFAULT_ACCOUNT });
    });

    it("places a region-only provider in the default account", () => {
      const model = new MockModel();
      const { id } = model.newResource({
        type: "pulumi:providers:aws",
        name: "west",
        inputs: { region: "us-west-2" },
      });
      const vgw = create(
        model,
        VGW,
        "vgw",
        {},
        `urn:pulumi:test::hybridnet::pulumi:providers:aws::west::${id}`,
      );
      expect(vgw.state.arn).to.equal(`arn:aws:ec2:us-west-2:${DEFAULT_ACCOUNT}:vpn-gateway/${vgw.id}`);
    });
  });

  describe("determinism", () => {
    it("answers the same resources the same way in two separate runs", () => {
      const requests: [string, string, Record<string, unknown>][] = [
        [TGW, "hub-tgw", { amazonSideAsn: 64512 }],
        [CGW, "hub-dc1-cgw", { ipAddress: "203.0.113.10", bgpAsn: "65010" }],
        [VPN, "hub-dc1-1-vpn", { transitGatewayId: "tgw-0123456789abcdef0" }],
        [PASSWORD, "hub-dc1-1-tunnel1-psk", { length: 32 }],
      ];
      const run = () => {
        const model = new MockModel();
        const provider = assumeRoleProvider(model, "net", "eu-west-1", "arn:aws:iam::222233334444:role/x");
        return requests.map(([type, name, inputs]) => create(model, type, name, inputs, provider));
      };
      const first = run();
      expect(run()).to.deep.equal(first);
      expect(new Set(first.map((a) => a.id)).size).to.be.above(1);
    });
  });

  describe("VPN connections", () => {
    it("reports the given inside CIDRs with AWS on the first address and the customer gateway on the second", () => {
      const model = new MockModel();
      const { state } = create(model, VPN, "vpn", {
        tunnel1InsideCidr: "169.254.10.0/30",
        tunnel2InsideCidr: "169.254.20.4/30",
      });
      expect(state).to.include({
        tunnel1InsideCidr: "169.254.10.0/30",
        tunnel1VgwInsideAddress: "169.254.10.1",
        tunnel1CgwInsideAddress: "169.254.10.2",
        tunnel2InsideCidr: "169.254.20.4/30",
        tunnel2VgwInsideAddress: "169.254.20.5",
        tunnel2CgwInsideAddress: "169.254.20.6",
      });
    });

    it("reports given IPv6 inside CIDRs of an IPv6 connection", () => {
      const model = new MockModel();
      const { state } = create(model, VPN, "vpn6", {
        tunnelInsideIpVersion: "ipv6",
        tunnel1InsideIpv6Cidr: "fd00:1::/126",
        tunnel2InsideIpv6Cidr: "fd00:2::4/126",
      });
      expect(state).to.include({
        tunnel1InsideIpv6Cidr: "fd00:1::/126",
        tunnel1VgwInsideAddress: "fd00:1::1",
        tunnel1CgwInsideAddress: "fd00:1::2",
        tunnel2VgwInsideAddress: "fd00:2::5",
        tunnel2CgwInsideAddress: "fd00:2::6",
      });
      expect(state).not.to.have.property("tunnel1InsideCidr");
    });

    it("allocates two distinct valid inside CIDRs when none are given", () => {
      const model = new MockModel();
      const { state } = create(model, VPN, "vpn");
      const [one, two] = [state.tunnel1InsideCidr, state.tunnel2InsideCidr] as string[];
      expect(tunnelInsideCidrProblem(one)).to.equal(undefined);
      expect(tunnelInsideCidrProblem(two)).to.equal(undefined);
      expect(one).not.to.equal(two);
      expect(addressValue(state.tunnel1VgwInsideAddress as string)).to.equal(parseCidr(one).first + 1n);
      const v6 = create(model, VPN, "vpn6", { tunnelInsideIpVersion: "ipv6" }).state;
      expect(tunnelInsideCidrProblem(v6.tunnel1InsideIpv6Cidr, 6)).to.equal(undefined);
    });

    it("gives each tunnel its own public outside address", () => {
      const model = new MockModel();
      const addresses = ["a", "b", "c"].flatMap((name) => {
        const { state } = create(model, VPN, name);
        return [state.tunnel1Address, state.tunnel2Address] as string[];
      });
      for (const address of addresses) expect(publicIpv4Problem(address), address).to.equal(undefined);
      expect(new Set(addresses).size).to.equal(addresses.length);
    });

    it("gives private outside addresses to a private IP VPN over Direct Connect", () => {
      const model = new MockModel();
      const { state } = create(model, VPN, "private", {
        outsideIpAddressType: "PrivateIpv4",
        transportTransitGatewayAttachmentId: "tgw-attach-0123456789abcdef0",
      });
      const transport = parseCidr("10.255.0.0/16");
      for (const address of [state.tunnel1Address, state.tunnel2Address] as string[]) {
        expect(publicIpv4Problem(address), address).to.contain("not internet-routable");
        const value = addressValue(address);
        expect(value >= transport.first && value <= transport.last, address).to.equal(true);
      }
      expect(state.tunnel1Address).not.to.equal(state.tunnel2Address);
    });

    it("takes a private IP VPN's outside addresses from its transit gateway's IPv4 CIDR block", () => {
      const model = new MockModel();
      const tgw = create(model, TGW, "hub", { transitGatewayCidrBlocks: ["fd00:1::/64", "10.254.7.0/24"] });
      const { state } = create(model, VPN, "private", {
        transitGatewayId: tgw.id,
        outsideIpAddressType: "PrivateIpv4",
      });
      const block = parseCidr("10.254.7.0/24");
      for (const address of [state.tunnel1Address, state.tunnel2Address] as string[]) {
        const value = addressValue(address);
        expect(value > block.first && value < block.last, address).to.equal(true);
      }
    });

    it("refuses a second customer gateway with the address, ASN and type of one in the same account and Region", () => {
      // CreateCustomerGateway is idempotent (EC2 API reference): the same IP address, BGP ASN and type return the
      // existing gateway, so a second resource would own (and on delete remove) the first one's gateway.
      const model = new MockModel();
      const gateway = { type: "ipsec.1", ipAddress: "198.51.100.7", bgpAsn: "65000" };
      const first = create(model, CGW, "spoke-a-primary-cgw", gateway);
      expect(first.id).to.match(/^cgw-[0-9a-f]{17}$/);
      expect(() => create(model, CGW, "spoke-b-primary-cgw", gateway)).to.throw(
        `returned the existing ${first.id} of spoke-a-primary-cgw`,
      );
      // Another ASN, another address, or another account is another gateway.
      expect(create(model, CGW, "asn", { ...gateway, bgpAsn: "65001" }).id).to.not.equal(first.id);
      expect(create(model, CGW, "address", { ...gateway, ipAddress: "198.51.100.8" }).id).to.not.equal(
        first.id,
      );
      const other = assumeRoleProvider(
        model,
        "other",
        DEFAULT_REGION,
        "arn:aws:iam::222222222222:role/deploy",
      );
      expect(create(model, CGW, "account", gateway, other).id).to.match(/^cgw-/);
      // The same resource registered again (a later step of one run) keeps its gateway.
      expect(create(model, CGW, "spoke-a-primary-cgw", gateway).id).to.equal(first.id);
    });

    it("reports a transit gateway attachment only for a connection on a transit gateway", () => {
      const model = new MockModel();
      const onTgw = create(model, VPN, "tgw-vpn", { transitGatewayId: "tgw-0123456789abcdef0" }).state;
      expect(onTgw.transitGatewayAttachmentId).to.match(/^tgw-attach-[0-9a-f]{17}$/);
      const onVgw = create(model, VPN, "vgw-vpn", { vpnGatewayId: "vgw-0123456789abcdef0" }).state;
      expect(onVgw).not.to.have.property("transitGatewayAttachmentId");
    });

    it("keeps pre-shared keys and the device configuration secret, and generates valid keys when none is given", () => {
      const model = new MockModel();
      const { state } = create(model, VPN, "vpn", { tunnel1PresharedKey: "given.key_123" });
      expect(secretValue(state.tunnel1PresharedKey)).to.equal("given.key_123");
      const generated = secretValue(state.tunnel2PresharedKey);
      expect(presharedKeyProblem(generated)).to.equal(undefined);
      expect(String(secretValue(state.customerGatewayConfiguration))).to.contain("<vpn_connection");
    });
  });

  describe("interface endpoints", () => {
    const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
    /** An awsx VPC with a /18 and a /28 subnet in one zone; returns the model and the two subnet ids. */
    function vpcWithSubnets() {
      const model = new MockModel({ stack: "test" });
      const { state } = model.newResource({
        type: "awsx:ec2:Vpc",
        name: "vpc",
        inputs: {
          availabilityZoneNames: ["us-east-1a"],
          subnetSpecs: [
            { type: "Private", name: "private", cidrBlocks: ["10.20.64.0/18"] },
            { type: "Isolated", name: "small", cidrBlocks: ["10.20.192.16/28"] },
          ],
        },
      });
      const [large] = state.privateSubnetIds as string[];
      const [small] = state.isolatedSubnetIds as string[];
      return { model, large, small };
    }
    const addresses = (state: Record<string, unknown>) =>
      (state.subnetConfigurations as { subnetId: string; ipv4: string }[]).map((c) => c.ipv4);
    /** `count` S3 interface endpoints in `subnet`, one after another: the address each got. */
    const s3Endpoints = (model: MockModel, subnet: string, count: number) =>
      Array.from(
        { length: count },
        (_, i) =>
          addresses(
            create(model, ENDPOINT, `e${i}`, {
              vpcEndpointType: "Interface",
              serviceName: "com.amazonaws.us-east-1.s3",
              subnetIds: [subnet],
            }).state,
          )[0],
      );
    const inside = (address: string, cidr: string) => {
      const block = parseCidr(cidr);
      const value = addressValue(address);
      // AWS reserves the first four addresses and the last of a subnet.
      return value >= block.first + 4n && value < block.last;
    };

    it("gives an endpoint an address inside each subnet's CIDR, past the addresses AWS reserves", () => {
      const { model, large, small } = vpcWithSubnets();
      const { state } = create(model, ENDPOINT, "to-app", {
        vpcEndpointType: "Interface",
        serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
        subnetIds: [large, small],
      });
      const [inLarge, inSmall] = addresses(state);
      expect(inside(inLarge, "10.20.64.0/18"), inLarge).to.equal(true);
      expect(inside(inSmall, "10.20.192.16/28"), inSmall).to.equal(true);
      // Not the old stand-in: an address anywhere in 10.0.0.0/8.
      expect(inside(inSmall, "10.20.0.0/18")).to.equal(false);
    });

    it("never gives two interfaces one address, even in a subnet of 11 usable addresses", () => {
      const { model, small } = vpcWithSubnets();
      const taken = s3Endpoints(model, small, 11);
      expect(new Set(taken).size).to.equal(11);
      for (const address of taken) expect(inside(address, "10.20.192.16/28"), address).to.equal(true);
    });

    it("keeps a given address, and stands in a fixed 10.x address for a subnet it does not know", () => {
      const { model, large } = vpcWithSubnets();
      const unknown = "subnet-0aaaaaaaaaaaaaaaa";
      const request = {
        vpcEndpointType: "Interface",
        serviceName: "com.amazonaws.us-east-1.s3",
        subnetIds: [large, unknown],
        subnetConfigurations: [{ subnetId: large, ipv4: "10.20.64.10" }],
      };
      const [given, standIn] = addresses(create(model, ENDPOINT, "fixed", request).state);
      expect(given).to.equal("10.20.64.10");
      expect(standIn).to.match(/^10\.\d+\.\d+\.\d+$/);
      const again = vpcWithSubnets();
      expect(addresses(create(again.model, ENDPOINT, "fixed", request).state)[1]).to.equal(standIn);
    });

    it("gives each load balancer node an address of its subnet that no endpoint holds, whichever registers first", () => {
      const { model, small } = vpcWithSubnets();
      const endpoints = s3Endpoints(model, small, 10);
      const nlb = create(model, "aws:lb/loadBalancer:LoadBalancer", "nlb", {
        loadBalancerType: "network",
        internal: true,
        subnets: [small],
      }).state.subnetMappings as { subnetId: string; privateIpv4Address: string }[];
      expect(nlb.length).to.equal(1);
      expect(nlb[0].subnetId).to.equal(small);
      // 10.20.192.16/28: 16 addresses, AWS reserves .16–.19 and .31; 11 usable, 10 taken by the endpoints.
      expect(inside(nlb[0].privateIpv4Address, "10.20.192.16/28"), nlb[0].privateIpv4Address).to.equal(true);
      expect(endpoints).to.not.include(nlb[0].privateIpv4Address);
      const given = create(model, "aws:lb/loadBalancer:LoadBalancer", "given", {
        loadBalancerType: "network",
        internal: true,
        subnetMappings: [{ subnetId: small, privateIpv4Address: "10.20.192.30" }],
      }).state.subnetMappings as { privateIpv4Address: string }[];
      expect(given.map((m) => m.privateIpv4Address)).to.deep.equal(["10.20.192.30"]);
    });
  });

  describe("other computed outputs", () => {
    it("wraps random passwords as secrets of the requested length, and leaves random strings plain", () => {
      const model = new MockModel();
      const password = create(model, PASSWORD, "psk", { length: 40, special: false });
      expect(password.id).to.equal("none");
      const value = secretValue(password.state.result);
      expect(value).to.match(/^[A-Za-z0-9]{40}$/);
      const plain = create(model, "random:index/randomString:RandomString", "suffix", { length: 8 }).state
        .result;
      expect(isSecret(plain)).to.equal(false);
      expect(plain).to.match(/^[A-Za-z0-9]{8}$/);
    });

    it("leaves a transit gateway's default route tables empty when association and propagation are disabled", () => {
      const model = new MockModel();
      const off = create(model, TGW, "off", {
        defaultRouteTableAssociation: "disable",
        defaultRouteTablePropagation: "disable",
      }).state;
      expect(off).to.include({ associationDefaultRouteTableId: "", propagationDefaultRouteTableId: "" });
      const on = create(model, TGW, "on").state;
      expect(on.associationDefaultRouteTableId).to.match(/^tgw-rtb-/);
      expect(on.propagationDefaultRouteTableId).to.equal(on.associationDefaultRouteTableId);
      expect(on.amazonSideAsn).to.equal(64512);
    });

    it("gives a new VPC its main route table, default security group and network ACL", () => {
      const model = new MockModel();
      const a = create(model, "aws:ec2/vpc:Vpc", "a", { cidrBlock: "10.1.0.0/16" }).state;
      const b = create(model, "aws:ec2/vpc:Vpc", "b", { cidrBlock: "10.2.0.0/16" }).state;
      expect(a.mainRouteTableId).to.match(/^rtb-[0-9a-f]{17}$/);
      expect(a.defaultRouteTableId).to.equal(a.mainRouteTableId);
      expect(a.defaultSecurityGroupId).to.match(/^sg-[0-9a-f]{17}$/);
      expect(a.defaultNetworkAclId).to.match(/^acl-[0-9a-f]{17}$/);
      expect(b.mainRouteTableId).not.to.equal(a.mainRouteTableId);
    });

    it("names an auto-named log group from its prefix and gives it an ARN with that name", () => {
      const model = new MockModel();
      const { id, state } = create(model, "aws:cloudwatch/logGroup:LogGroup", "logs", {
        namePrefix: "/hybridnet/vpn/hub-",
      });
      expect(id).to.equal(state.name);
      expect(String(state.name)).to.match(/^\/hybridnet\/vpn\/hub-[0-9a-f]{26}$/);
      expect(state.arn).to.equal(`arn:aws:logs:us-east-1:111122223333:log-group:${state.name}`);
    });
  });

  describe("through the Pulumi runtime", () => {
    it("keeps a generated password secret for the program that reads it", async () => {
      const { result, error } = await runProgram(() => new random.RandomPassword("psk", { length: 32 }));
      expect(error).to.equal(undefined);
      const { value, secret } = await resolve((result as random.RandomPassword).result);
      expect(secret).to.equal(true);
      expect(value).to.have.length(32);
    });

    it("places resources of a real aws.Provider with an assume role (sent as JSON text) in the role's account", async () => {
      const { result, resources, error } = await runProgram(() => {
        const workload = new aws.Provider("workload", {
          region: "eu-west-1",
          assumeRoles: [{ roleArn: "arn:aws:iam::222233334444:role/network" }],
        });
        return new aws.ec2.VpnGateway("vgw", {}, { provider: workload });
      });
      expect(error).to.equal(undefined);
      expect(resources.named("workload").inputs.assumeRoles).to.be.a("string");
      const arn = (await resolve((result as aws.ec2.VpnGateway).arn)).value;
      expect(arn).to.match(/^arn:aws:ec2:eu-west-1:222233334444:vpn-gateway\/vgw-[0-9a-f]{17}$/);
    });

    it("gives a program the same outputs on every run", async () => {
      const outputs = async () => {
        const { result } = await runProgram(() => new random.RandomPassword("psk", { length: 16 }));
        return (await resolve((result as random.RandomPassword).result)).value;
      };
      expect(await outputs()).to.equal(await outputs());
    });
  });
});
