/**
 * SoftwareVpnToManagedVpn: the appliance pair in VPC A as the customer gateway of a managed VPN on VPC B's
 * virtual private gateway or a transit gateway. What it registers (Elastic IPs first, one customer gateway
 * and one VPN connection per appliance instance, the appliance pair as a child), the files rendered from the
 * connections' outputs, the keys secret end to end, the refusals before anything registers, and a first preview.
 */
import { expect } from "chai";
import * as yaml from "js-yaml";
import { runUnderMocks } from "../cli/mockRuntime";
import {
  SoftwareVpnToManagedVpn,
  type SoftwareVpnToManagedVpnArgs,
} from "../components/SoftwareVpnToManagedVpn";
import type { CloudConfig } from "../model/softwareVpn/userData";
import { type RegisteredResource, type ResourceList, resolve, runProgram } from "./harness";
import { onlyProblem, refusedBy } from "./refusals";
import { inputText, instanceUserData } from "./userData";

const TYPE = {
  component: "hybridnet:index:SoftwareVpnToManagedVpn",
  appliance: "hybridnet:index:SoftwareVpnAppliance",
  eip: "aws:ec2/eip:Eip",
  cgw: "aws:ec2/customerGateway:CustomerGateway",
  vpn: "aws:ec2/vpnConnection:VpnConnection",
  vgw: "aws:ec2/vpnGateway:VpnGateway",
  propagation: "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
  instance: "aws:ec2/instance:Instance",
  association: "aws:ec2/eipAssociation:EipAssociation",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  route: "aws:ec2/route:Route",
  password: "random:index/randomPassword:RandomPassword",
  tgwAssociation: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
  tgwPropagation: "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
} as const;

const WHERE = 'hybridnet:index:SoftwareVpnToManagedVpn "a-to-b"';

function vpnArgs(overrides: Partial<SoftwareVpnToManagedVpnArgs> = {}): SoftwareVpnToManagedVpnArgs {
  return {
    vpcId: "vpc-0a0a0a0a0a0a0a0a0",
    vpcCidrs: ["10.1.0.0/16"],
    remoteCidrs: ["10.2.0.0/16"],
    primary: {
      availabilityZoneId: "use1-az1",
      subnetId: "subnet-0a0a0a0a0a0a0a0a1",
      subnetCidr: "10.1.0.0/24",
    },
    standby: {
      availabilityZoneId: "use1-az2",
      subnetId: "subnet-0a0a0a0a0a0a0a0a2",
      subnetCidr: "10.1.1.0/24",
    },
    routeTableIds: { private: "rtb-0a0a0a0a0a0a0a0a0" },
    virtualPrivateGateway: {
      vpcId: "vpc-0b0b0b0b0b0b0b0b0",
      amazonSideAsn: 64512,
      routeTableIds: { private: "rtb-0b0b0b0b0b0b0b0b0" },
    },
    applianceAsn: 65010,
    ...overrides,
  };
}

async function build(args: SoftwareVpnToManagedVpnArgs, options: { preview?: boolean } = {}) {
  const run = await runProgram(() => new SoftwareVpnToManagedVpn("a-to-b", args), options);
  if (run.error) return expect.fail(`SoftwareVpnToManagedVpn refused valid arguments: ${run.error.stack}`);
  return { resources: run.resources, component: run.result as SoftwareVpnToManagedVpn };
}

const refused = (args: SoftwareVpnToManagedVpnArgs) =>
  refusedBy(() => new SoftwareVpnToManagedVpn("a-to-b", args), WHERE);

function named(resources: ResourceList, name: string): RegisteredResource {
  return resources.named(name);
}

function cloudConfig(inputs: Record<string, unknown>): CloudConfig {
  const text = instanceUserData(inputs);
  expect(text.startsWith("#cloud-config\n"), text.slice(0, 40)).to.equal(true);
  return yaml.load(text.slice("#cloud-config\n".length)) as CloudConfig;
}

/** The files the instance's user data writes, by path. */
function writtenFiles(instance: RegisteredResource): Record<string, string> {
  const config = cloudConfig(instance.inputs) as {
    write_files?: { path: string; content: string }[];
  };
  return Object.fromEntries((config.write_files ?? []).map((f) => [f.path, f.content]));
}

function fileEnding(files: Record<string, string>, ending: string): string {
  const found = Object.entries(files).find(([path]) => path.endsWith(ending));
  expect(found, `a file ending ${ending} in ${Object.keys(files).join(", ")}`).to.not.equal(undefined);
  return (found as [string, string])[1];
}

describe("SoftwareVpnToManagedVpn", () => {
  describe("on a virtual private gateway", () => {
    it("pre-creates two Elastic IPs and gives each appliance instance its own customer gateway and VPN connection", async () => {
      const { resources } = await build(vpnArgs());
      const component = resources.ofType(TYPE.component)[0];
      const eips = resources.ofType(TYPE.eip);
      expect(eips.map((e) => e.name)).to.deep.equal(["a-to-b-primary", "a-to-b-standby"]);
      for (const e of eips) expect(e.parent).to.equal(component.urn);
      const cgws = resources.ofType(TYPE.cgw);
      expect(cgws.map((c) => c.name)).to.deep.equal(["a-to-b-primary-cgw", "a-to-b-standby-cgw"]);
      for (const c of cgws) {
        expect(c.parent).to.equal(component.urn);
        expect(c.inputs).to.deep.include({ type: "ipsec.1", bgpAsn: "65010" });
      }
      // Each gateway is at its instance's Elastic IP (an Output of the Eip, passed as the customer gateway's input).
      const [primaryEip, standbyEip] = eips.map((e) => e.outputs?.publicIp);
      expect(String(primaryEip)).to.match(/^\d+\.\d+\.\d+\.\d+$/);
      expect(String(standbyEip)).to.match(/^\d+\.\d+\.\d+\.\d+$/);
      expect(primaryEip).to.not.equal(standbyEip);
      expect(cgws[0].inputs.ipAddress).to.equal(primaryEip);
      expect(cgws[1].inputs.ipAddress).to.equal(standbyEip);
      const vgw = resources.ofType(TYPE.vgw)[0];
      expect(vgw.inputs).to.deep.include({ vpcId: "vpc-0b0b0b0b0b0b0b0b0", amazonSideAsn: "64512" });
      expect(resources.ofType(TYPE.propagation)[0].inputs.routeTableId).to.equal("rtb-0b0b0b0b0b0b0b0b0");
      const vpns = resources.ofType(TYPE.vpn);
      expect(vpns.map((v) => v.name)).to.deep.equal(["a-to-b-primary-vpn", "a-to-b-standby-vpn"]);
      for (const v of vpns) {
        expect(v.inputs.staticRoutesOnly).to.equal(false);
        expect(v.inputs.tunnel1IkeVersions).to.deep.equal(["ikev2"]);
        expect(v.secretInputs).to.include.members(["tunnel1PresharedKey", "tunnel2PresharedKey"]);
      }
      const insides = vpns.flatMap((v) => [v.inputs.tunnel1InsideCidr, v.inputs.tunnel2InsideCidr]);
      expect(new Set(insides).size, "inside CIDRs unique per virtual private gateway").to.equal(4);
      // The appliance pair is a child, on the pre-created Elastic IPs.
      const appliance = resources.ofType(TYPE.appliance)[0];
      expect(appliance.name).to.equal("a-to-b-appliance");
      expect(appliance.parent).to.equal(component.urn);
      expect(resources.ofType(TYPE.eip)).to.have.length(2);
      expect(resources.ofType(TYPE.association)).to.have.length(2);
    });

    it("routes VPC B's CIDRs in VPC A to the active appliance", async () => {
      const { resources } = await build(vpnArgs());
      const routes = resources.ofType(TYPE.route);
      expect(routes).to.have.length(1);
      expect(routes[0].inputs).to.deep.include({
        routeTableId: "rtb-0a0a0a0a0a0a0a0a0",
        destinationCidrBlock: "10.2.0.0/16",
      });
    });

    it("admits IKE, NAT-T and ESP only from the four AWS tunnel endpoints (Outputs of the connections)", async () => {
      const { resources } = await build(vpnArgs());
      const vpns = resources.ofType(TYPE.vpn);
      const tunnelAddresses = vpns.flatMap((v) => [v.outputs?.tunnel1Address, v.outputs?.tunnel2Address]);
      const ipsec = [...resources.ofType(TYPE.ingress), ...resources.ofType(TYPE.egress)].filter(
        (r) => r.inputs.ipProtocol === "50" || [500, 4500].includes(Number(r.inputs.fromPort)),
      );
      expect(ipsec).to.have.length(24);
      const cidrs = new Set(ipsec.map((r) => String(r.inputs.cidrIpv4)));
      expect([...cidrs].sort()).to.deep.equal(tunnelAddresses.map((a) => `${a}/32`).sort());
      expect(JSON.stringify(resources.all.map((r) => r.inputs))).to.not.include("192.0.2.");
    });

    it("renders each instance's swanctl.conf and frr.conf from its connection: addresses, ASNs, prefixes, keys", async () => {
      const { resources, component } = await build(vpnArgs());
      const connections = (await resolve(component.connections)).value;
      const keys = await resolve(component.presharedKeys);
      expect(keys.secret).to.equal(true);
      const publicIps = (await resolve(component.publicIps)).value;
      for (const role of ["primary", "standby"] as const) {
        const instance = named(resources, `a-to-b-appliance-${role}`);
        expect(instance.secretInputs).to.include("userDataBase64");
        const files = writtenFiles(instance);
        const swanctl = fileEnding(files, "hybridnet.conf");
        const frr = fileEnding(files, "frr.conf");
        const connection = connections[role];
        const privateIp = role === "primary" ? "10.1.0.254" : "10.1.1.254";
        expect(swanctl).to.include(`local_addrs = ${privateIp}`);
        expect(swanctl).to.include(`id = ${publicIps[role]}`);
        expect(swanctl).to.not.include(`local_addrs = ${publicIps[role]}`);
        for (const [i, tunnel] of connection.tunnels.entries()) {
          expect(swanctl).to.include(`remote_addrs = ${tunnel.outsideAddress}`);
          expect(swanctl).to.include(`secret = "${keys.value[role][i]}"`);
          expect(frr).to.include(`neighbor ${tunnel.awsInsideAddress} remote-as 64512`);
        }
        expect(swanctl).to.include("version = 2");
        expect(frr).to.include("router bgp 65010");
        expect(frr).to.include("network 10.1.0.0/16");
        expect(frr).to.include("ip prefix-list HYBRIDNET-CUSTOMER seq 5 permit 10.1.0.0/16");
      }
    });

    it("keeps the generated keys secret from the VPN connection to the user data: no plain key in any input", async () => {
      const { resources, component } = await build(vpnArgs());
      const keys = await resolve(component.presharedKeys);
      expect(keys.secret).to.equal(true);
      const all = Object.values(keys.value).flat();
      expect(all).to.have.length(4);
      // Every input that holds a key is a secret input: the VPN connections' keys and the appliances' user data.
      const holders: string[] = [];
      for (const r of resources.all)
        for (const input of Object.keys(r.inputs))
          if (all.some((key) => inputText(r.inputs, input).includes(key))) {
            expect(r.secretInputs, `${r.name}.${input}`).to.include(input);
            holders.push(`${r.type} ${input}`);
          }
      expect(new Set(holders)).to.deep.equal(
        new Set([
          `${TYPE.vpn} tunnel1PresharedKey`,
          `${TYPE.vpn} tunnel2PresharedKey`,
          `${TYPE.instance} userDataBase64`,
        ]),
      );
      // The planner's recorder shows them as "[secret]".
      const redacted = await runUnderMocks(() => new SoftwareVpnToManagedVpn("a-to-b", vpnArgs()), {
        secrets: "redact",
      });
      if (redacted.error) return expect.fail(redacted.error.stack);
      for (const r of redacted.resources.filter((x) => x.type === TYPE.vpn)) {
        expect(r.inputs.tunnel1PresharedKey).to.equal("[secret]");
        expect(r.inputs.tunnel2PresharedKey).to.equal("[secret]");
      }
      for (const r of redacted.resources.filter((x) => x.type === TYPE.instance))
        expect(r.inputs.userDataBase64).to.equal("[secret]");
    });
  });

  describe("on a transit gateway", () => {
    it("attaches both connections to the transit gateway and its route tables", async () => {
      const { resources } = await build(
        vpnArgs({
          virtualPrivateGateway: undefined,
          transitGateway: {
            transitGatewayId: "tgw-0c0c0c0c0c0c0c0c0",
            amazonSideAsn: 64600,
            routeTables: {
              association: "tgw-rtb-0c0c0c0c0c0c0c0c1",
              propagation: { vpcs: "tgw-rtb-0c0c0c0c0c0c0c0c2" },
            },
          },
        }),
      );
      expect(resources.ofType(TYPE.vgw)).to.have.length(0);
      const vpns = resources.ofType(TYPE.vpn);
      expect(vpns).to.have.length(2);
      for (const v of vpns) expect(v.inputs.transitGatewayId).to.equal("tgw-0c0c0c0c0c0c0c0c0");
      expect(resources.ofType(TYPE.tgwAssociation)).to.have.length(2);
      expect(resources.ofType(TYPE.tgwPropagation)).to.have.length(2);
      const frr = fileEnding(writtenFiles(named(resources, "a-to-b-appliance-primary")), "frr.conf");
      expect(frr).to.include("remote-as 64600");
    });
  });

  describe("preview", () => {
    it("registers the same resources in a first preview: the files stay Outputs while the tunnels are unknown", async () => {
      const up = await build(vpnArgs());
      const preview = await build(vpnArgs(), { preview: true });
      const names = (l: ResourceList) => l.all.map((r) => `${r.type} ${r.name}`).sort();
      expect(names(preview.resources)).to.deep.equal(names(up.resources));
    });
  });

  describe("refusals, before anything registers", () => {
    it("refuses equal appliance and gateway ASNs", async () => {
      const e = await refused(vpnArgs({ applianceAsn: 64512 }));
      onlyProblem(
        e,
        "applianceAsn",
        64512,
        "an ASN other than the gateway's Amazon side ASN 64512: eBGP needs two autonomous systems",
      );
    });

    it("refuses overlapping VPC A and VPC B CIDRs", async () => {
      const e = await refused(vpnArgs({ remoteCidrs: ["10.1.128.0/17"] }));
      onlyProblem(
        e,
        "remoteCidrs[0]",
        "10.1.128.0/17",
        "a network that does not overlap VPC A's 10.1.0.0/16: traffic to it would never leave VPC A",
      );
    });

    it("refuses a pair in one Availability Zone", async () => {
      const args = vpnArgs();
      const e = await refused(vpnArgs({ standby: { ...args.standby, availabilityZoneId: "use1-az1" } }));
      onlyProblem(e, "standby.availabilityZoneId", "use1-az1", "a zone other than the primary's (use1-az1)");
    });

    it("refuses both gateways, or none", async () => {
      await refused(
        vpnArgs({
          transitGateway: {
            transitGatewayId: "tgw-0c0c0c0c0c0c0c0c0",
            amazonSideAsn: 64600,
            routeTables: { association: "tgw-rtb-0c0c0c0c0c0c0c0c1" },
          },
        }),
      );
      await refused(vpnArgs({ virtualPrivateGateway: undefined }));
    });
  });
});
