/**
 * SoftwareVpnPeering: two appliance pairs, one per VPC, with four tunnels between them rendered from one plan.
 * The pure plan (inside /30s, ASNs, both ends' device sites), what the component registers (Elastic IPs and
 * keys first, two SoftwareVpnAppliance children), the files of all four instances, keys secret end to end,
 * refusals before anything registers, and a first preview.
 */
import { expect } from "chai";
import * as yaml from "js-yaml";
import { runUnderMocks } from "../cli/mockRuntime";
import { SoftwareVpnPeering, type SoftwareVpnPeeringArgs } from "../components/SoftwareVpnPeering";
import { parseCidr, RESERVED_TUNNEL_INSIDE_CIDRS } from "../model/addressing";
import { renderStrongswan } from "../model/deviceConfig/strongswan";
import { peeringDeviceSite, planSoftwareVpnPeering } from "../model/softwareVpn/peering";
import { SECURE_TUNNEL_DEFAULTS } from "../model/tunnelOptions";
import { type RegisteredResource, type ResourceList, resolve, runProgram } from "./harness";
import { onlyProblem, refusedBy } from "./refusals";
import { inputText, instanceUserData } from "./userData";

const TYPE = {
  component: "hybridnet:index:SoftwareVpnPeering",
  appliance: "hybridnet:index:SoftwareVpnAppliance",
  eip: "aws:ec2/eip:Eip",
  password: "random:index/randomPassword:RandomPassword",
  instance: "aws:ec2/instance:Instance",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  route: "aws:ec2/route:Route",
} as const;

const WHERE = 'hybridnet:index:SoftwareVpnPeering "a-b"';

function peeringArgs(overrides: Partial<SoftwareVpnPeeringArgs> = {}): SoftwareVpnPeeringArgs {
  return {
    a: {
      vpcId: "vpc-0a0a0a0a0a0a0a0a0",
      vpcCidrs: ["10.1.0.0/16"],
      asn: 65001,
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
    },
    b: {
      vpcId: "vpc-0b0b0b0b0b0b0b0b0",
      vpcCidrs: ["10.2.0.0/16"],
      asn: 65002,
      primary: {
        availabilityZoneId: "use1-az1",
        subnetId: "subnet-0b0b0b0b0b0b0b0b1",
        subnetCidr: "10.2.0.0/24",
      },
      standby: {
        availabilityZoneId: "use1-az3",
        subnetId: "subnet-0b0b0b0b0b0b0b0b2",
        subnetCidr: "10.2.1.0/24",
      },
      routeTableIds: { private: "rtb-0b0b0b0b0b0b0b0b0" },
    },
    ...overrides,
  };
}

async function build(args: SoftwareVpnPeeringArgs, options: { preview?: boolean } = {}) {
  const run = await runProgram(() => new SoftwareVpnPeering("a-b", args), options);
  if (run.error) return expect.fail(`SoftwareVpnPeering refused valid arguments: ${run.error.stack}`);
  return { resources: run.resources, component: run.result as SoftwareVpnPeering };
}

/** The instance of that name (the Elastic IP the component pre-creates for it has the same name). */
function instanceNamed(resources: ResourceList, name: string): RegisteredResource {
  const found = resources.ofType(TYPE.instance).find((r) => r.name === name);
  expect(found, name).to.not.equal(undefined);
  return found as RegisteredResource;
}

function writtenFiles(instance: RegisteredResource): Record<string, string> {
  const text = instanceUserData(instance.inputs);
  const config = yaml.load(text.slice("#cloud-config\n".length)) as {
    write_files?: { path: string; content: string }[];
  };
  return Object.fromEntries((config.write_files ?? []).map((f) => [f.path, f.content]));
}

function fileEnding(files: Record<string, string>, ending: string): string {
  const found = Object.entries(files).find(([path]) => path.endsWith(ending));
  expect(found, `a file ending ${ending}`).to.not.equal(undefined);
  return (found as [string, string])[1];
}

describe("SoftwareVpnPeering", () => {
  describe("the plan (model/softwareVpn/peering)", () => {
    const plan = planSoftwareVpnPeering(WHERE, {
      a: { vpcCidrs: ["10.1.0.0/16"], asn: 65001 },
      b: { vpcCidrs: ["10.2.0.0/16"], asn: 65002 },
    });

    it("allocates four distinct inside /30s in 169.254.0.0/16, outside AWS's reserved blocks", () => {
      expect(plan.tunnels.map((t) => t.key)).to.deep.equal([
        "primary-primary",
        "primary-standby",
        "standby-primary",
        "standby-standby",
      ]);
      const cidrs = plan.tunnels.map((t) => t.insideCidr);
      expect(new Set(cidrs).size).to.equal(4);
      for (const cidr of cidrs) {
        expect(cidr).to.match(/^169\.254\.\d+\.\d+\/30$/);
        expect(RESERVED_TUNNEL_INSIDE_CIDRS).to.not.include(cidr);
        parseCidr(cidr);
      }
      expect(plan.tunnelOptions).to.deep.equal(SECURE_TUNNEL_DEFAULTS);
    });

    it("gives both ends matching views: addresses crossed, ASNs crossed, side a initiates and side b answers", () => {
      const resolved = {
        stack: "test",
        component: WHERE,
        publicIps: {
          a: { primary: "198.51.100.1", standby: "198.51.100.2" },
          b: { primary: "203.0.113.1", standby: "203.0.113.2" },
        },
        presharedKeys: Object.fromEntries(plan.tunnels.map((t) => [t.key, `key_${t.key.replace("-", "_")}`])),
      };
      const a = peeringDeviceSite(plan, resolved, "a", "primary");
      const b = peeringDeviceSite(plan, resolved, "b", "standby");
      expect(a.customerAsn).to.equal(65001);
      expect(a.awsAsn).to.equal(65002);
      expect(b.customerAsn).to.equal(65002);
      const aToBStandby = a.connections[0].tunnels[1];
      const bToAPrimary = b.connections[0].tunnels[0];
      expect(aToBStandby.insideCidr).to.equal(bToAPrimary.insideCidr);
      expect(aToBStandby.customerInsideAddress).to.equal(bToAPrimary.awsInsideAddress);
      expect(aToBStandby.awsInsideAddress).to.equal(bToAPrimary.customerInsideAddress);
      expect(aToBStandby.awsOutsideAddress).to.equal("203.0.113.2");
      expect(bToAPrimary.awsOutsideAddress).to.equal("198.51.100.1");
      expect(aToBStandby.presharedKey).to.equal(bToAPrimary.presharedKey);
      const aConf = renderStrongswan(a).files["swanctl.conf"];
      const bConf = renderStrongswan(b).files["swanctl.conf"];
      expect(aConf).to.include("start_action = start");
      expect(bConf).to.include("start_action = none");
      expect(aConf).to.include("version = 2");
      expect(renderStrongswan(b).files["frr.conf"]).to.include(
        `neighbor ${bToAPrimary.awsInsideAddress} remote-as 65001`,
      );
    });
  });

  describe("the component", () => {
    it("registers four Elastic IPs, four generated keys and two appliance pairs, children of the component", async () => {
      const { resources } = await build(peeringArgs());
      const component = resources.ofType(TYPE.component)[0];
      expect(resources.ofType(TYPE.eip).map((e) => e.name)).to.deep.equal([
        "a-b-a-primary-eip",
        "a-b-a-standby-eip",
        "a-b-b-primary-eip",
        "a-b-b-standby-eip",
      ]);
      const passwords = resources.ofType(TYPE.password);
      expect(passwords.map((p) => p.name)).to.deep.equal([
        "a-b-primary-primary-psk",
        "a-b-primary-standby-psk",
        "a-b-standby-primary-psk",
        "a-b-standby-standby-psk",
      ]);
      const appliances = resources.ofType(TYPE.appliance);
      expect(appliances.map((a) => a.name)).to.deep.equal(["a-b-a", "a-b-b"]);
      for (const r of [...resources.ofType(TYPE.eip), ...passwords, ...appliances])
        expect(r.parent).to.equal(component.urn);
      expect(resources.ofType(TYPE.instance)).to.have.length(4);
      // Each VPC routes the other's CIDRs to its active appliance.
      const routes = resources
        .ofType(TYPE.route)
        .map((r) => [r.inputs.routeTableId, r.inputs.destinationCidrBlock]);
      expect(routes).to.deep.include.members([
        ["rtb-0a0a0a0a0a0a0a0a0", "10.2.0.0/16"],
        ["rtb-0b0b0b0b0b0b0b0b0", "10.1.0.0/16"],
      ]);
    });

    it("admits IKE, NAT-T and ESP on each side only from the other side's Elastic IPs (Outputs)", async () => {
      const { resources, component } = await build(peeringArgs());
      const ips = (await resolve(component.publicIps)).value;
      const ipsec = [...resources.ofType(TYPE.ingress), ...resources.ofType(TYPE.egress)].filter(
        (r) => r.inputs.ipProtocol === "50" || [500, 4500].includes(Number(r.inputs.fromPort)),
      );
      expect(ipsec).to.have.length(24);
      const all = new Set(ipsec.map((r) => String(r.inputs.cidrIpv4)));
      expect([...all].sort()).to.deep.equal(
        [ips.a.primary, ips.a.standby, ips.b.primary, ips.b.standby].map((ip) => `${ip}/32`).sort(),
      );
      expect(JSON.stringify(resources.all.map((r) => r.inputs))).to.not.include("192.0.2.");
    });

    it("renders all four instances' files from the one plan, with the keys, and keeps every key secret", async () => {
      const { resources, component } = await build(peeringArgs());
      const keys = await resolve(component.presharedKeys);
      expect(keys.secret).to.equal(true);
      const ips = (await resolve(component.publicIps)).value;
      const a = fileEnding(writtenFiles(instanceNamed(resources, "a-b-a-primary")), "hybridnet.conf");
      const b = fileEnding(writtenFiles(instanceNamed(resources, "a-b-b-standby")), "hybridnet.conf");
      expect(a).to.include(`local_addrs = 10.1.0.254`);
      expect(a).to.include(`remote_addrs = ${ips.b.standby}`);
      expect(b).to.include(`remote_addrs = ${ips.a.primary}`);
      expect(a).to.include(`secret = "${keys.value["primary-standby"]}"`);
      expect(b).to.include(`secret = "${keys.value["primary-standby"]}"`);
      const frrB = fileEnding(writtenFiles(instanceNamed(resources, "a-b-b-standby")), "frr.conf");
      expect(frrB).to.include("router bgp 65002");
      expect(frrB).to.include("network 10.2.0.0/16");
      const values = Object.values(keys.value);
      for (const r of resources.all)
        for (const input of Object.keys(r.inputs))
          if (values.some((k) => inputText(r.inputs, input).includes(k)))
            expect(r.secretInputs, `${r.name}.${input}`).to.include(input);
      const redacted = await runUnderMocks(() => new SoftwareVpnPeering("a-b", peeringArgs()), {
        secrets: "redact",
      });
      if (redacted.error) return expect.fail(redacted.error.stack);
      for (const r of redacted.resources.filter((x) => x.type === TYPE.instance))
        expect(r.inputs.userDataBase64).to.equal("[secret]");
    });

    it("registers the same resources in a first preview: the files stay Outputs while the addresses are unknown", async () => {
      const up = await build(peeringArgs());
      const preview = await build(peeringArgs(), { preview: true });
      const names = (l: ResourceList) => l.all.map((r) => `${r.type} ${r.name}`).sort();
      expect(names(preview.resources)).to.deep.equal(names(up.resources));
    });
  });

  describe("refusals, before anything registers", () => {
    it("refuses overlapping VPCs", async () => {
      const args = peeringArgs();
      const e = await refusedBy(
        () => new SoftwareVpnPeering("a-b", { ...args, b: { ...args.b, vpcCidrs: ["10.1.0.0/20"] } }),
        WHERE,
      );
      onlyProblem(
        e,
        "b.vpcCidrs[0]",
        "10.1.0.0/20",
        "a network that does not overlap side a's 10.1.0.0/16: traffic to it would never leave side a's VPC",
      );
    });

    it("refuses equal ASNs", async () => {
      const args = peeringArgs();
      const e = await refusedBy(
        () => new SoftwareVpnPeering("a-b", { ...args, b: { ...args.b, asn: 65001 } }),
        WHERE,
      );
      onlyProblem(e, "b.asn", 65001, "an ASN other than side a's 65001: eBGP needs two autonomous systems");
    });

    it("refuses a pair in one Availability Zone", async () => {
      const args = peeringArgs();
      const e = await refusedBy(
        () =>
          new SoftwareVpnPeering("a-b", {
            ...args,
            b: { ...args.b, standby: { ...args.b.standby, availabilityZoneId: "use1-az1" } },
          }),
        `${WHERE} (side b)`,
      );
      onlyProblem(e, "standby.availabilityZoneId", "use1-az1", "a zone other than the primary's (use1-az1)");
    });
  });
});
