/**
 * The policy rules of software VPN appliances and the EC2 instances they run on, through the running pack as
 * `pulumi preview --policy-pack policy` drives it: IMDSv2 required, encrypted volumes, appliance security groups
 * never open to the internet, and in production an appliance's instances in two Availability Zones. Each rule
 * passes SoftwareVpnAppliance and flags the raw resources that break it.
 */
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { SoftwareRemoteAccessVpn } from "../components/SoftwareRemoteAccessVpn";
import { SoftwareVpnAppliance, type SoftwareVpnApplianceArgs } from "../components/SoftwareVpnAppliance";
import {
  analyzeProgram,
  expectNoViolation,
  expectViolation,
  pick,
  usePolicyPack,
  violationsOf,
} from "./policySupport";

const VPC = "vpc-0a0a0a0a0a0a0a0a0";

const applianceArgs: SoftwareVpnApplianceArgs = {
  vpcId: VPC,
  primary: {
    availabilityZoneId: "use1-az1",
    subnetId: "subnet-0aaaaaaaaaaaaaaaa",
    subnetCidr: "10.0.0.0/24",
    configFiles: { "swanctl.conf": "connections {}\n" },
  },
  standby: {
    availabilityZoneId: "use1-az2",
    subnetId: "subnet-0bbbbbbbbbbbbbbbb",
    subnetCidr: "10.0.1.0/24",
    configFiles: { "swanctl.conf": "connections {}\n" },
  },
  peers: { dc1: { address: "203.0.113.10" } },
  forwardedCidrs: ["10.0.0.0/16"],
  routeTableIds: { private: "rtb-0123456789abcdef0" },
  destinationCidrs: ["192.168.0.0/16"],
};

const appliance = () => new SoftwareVpnAppliance("edge", applianceArgs);

/** A hardened instance tagged as a VPN appliance, without the component. */
function rawAppliance(name: string, extra: Partial<aws.ec2.InstanceArgs> = {}): aws.ec2.Instance {
  return new aws.ec2.Instance(name, {
    ami: "ami-0123456789abcdef0",
    instanceType: "c6i.large",
    subnetId: "subnet-0aaaaaaaaaaaaaaaa",
    metadataOptions: { httpTokens: "required" },
    rootBlockDevice: { encrypted: true },
    tags: { "hybridnet:role": "vpn-appliance", "hybridnet:component": "diy" },
    ...extra,
  });
}

const RULES = ["instance-imdsv2", "ebs-encrypted", "appliance-sg-not-open", "appliance-multi-az"];

describe("policy rules: software VPN appliances", function () {
  this.timeout(60_000);
  const pack = usePolicyPack();

  it("pass a SoftwareVpnAppliance, in production too", async () => {
    const run = await analyzeProgram(pack(), appliance, { stack: "connectivity-prod" });
    for (const rule of RULES) expectNoViolation(run, rule);
  });

  describe("instance-imdsv2", () => {
    it("flags an instance that leaves IMDSv1 on, and one that allows it", async () => {
      const run = await analyzeProgram(pack(), () => {
        rawAppliance("unset", { metadataOptions: undefined });
        rawAppliance("optional", { metadataOptions: { httpTokens: "optional" } });
        rawAppliance("required");
      });
      const found = expectViolation(run, "instance-imdsv2", {
        level: "mandatory",
        count: 2,
        on: "unset",
        message:
          'metadataOptions.httpTokens is unset (AWS then accepts IMDSv1 unless the AMI or account says otherwise): set it to "required"',
      });
      pick(found, { on: "optional", message: 'metadataOptions.httpTokens is "optional"' });
    });

    it("flags a launch template that allows IMDSv1", async () => {
      const run = await analyzeProgram(pack(), () => {
        new aws.ec2.LaunchTemplate("lt", { metadataOptions: { httpTokens: "optional" } });
      });
      expectViolation(run, "instance-imdsv2", { level: "mandatory", on: "lt", message: '"optional"' });
    });
  });

  describe("ebs-encrypted", () => {
    it("flags an unencrypted root, an attached device and a volume; unset counts as unencrypted", async () => {
      const run = await analyzeProgram(pack(), () => {
        rawAppliance("bare", {
          rootBlockDevice: undefined,
          ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: false, volumeSize: 8 }],
        });
        new aws.ebs.Volume("logs", { availabilityZone: "us-east-1a", size: 8 });
        new aws.ebs.Volume("sealed", { availabilityZone: "us-east-1a", size: 8, encrypted: true });
      });
      const found = expectViolation(run, "ebs-encrypted", {
        level: "mandatory",
        count: 3,
        on: "logs",
        message:
          "the volume is not set to be encrypted (then only the account's encryption-by-default setting decides)",
      });
      pick(found, { on: "bare", message: "rootBlockDevice is not set to be encrypted" });
      pick(found, { on: "bare", message: "ebsBlockDevices[0] is not encrypted" });
    });
  });

  describe("appliance-sg-not-open (stack)", () => {
    it("flags a rule opening the appliance's security group to 0.0.0.0/0, not an open group of another instance", async () => {
      const run = await analyzeProgram(pack(), () => {
        const edge = appliance();
        new aws.vpc.SecurityGroupIngressRule("ssh-anywhere", {
          securityGroupId: edge.securityGroupId,
          ipProtocol: "tcp",
          fromPort: 22,
          toPort: 22,
          cidrIpv4: "0.0.0.0/0",
        });
        const web = new aws.ec2.SecurityGroup("web", {
          vpcId: VPC,
          ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
        });
        new aws.ec2.Instance("web", {
          ami: "ami-0123456789abcdef0",
          instanceType: "t3.small",
          vpcSecurityGroupIds: [web.id],
          metadataOptions: { httpTokens: "required" },
          rootBlockDevice: { encrypted: true },
        });
      });
      expectViolation(run, "appliance-sg-not-open", {
        level: "mandatory",
        on: "ssh-anywhere",
        message:
          /^the ingress rule opens security group "edge-appliance" of VPN appliance instance "edge-(primary|standby)" to 0\.0\.0\.0\/0: admit IKE \(UDP 500\)/,
      });
    });

    it("flags an inline ::/0 rule on the group of a tagged appliance instance", async () => {
      const run = await analyzeProgram(pack(), () => {
        const sg = new aws.ec2.SecurityGroup("diy", {
          vpcId: VPC,
          ingress: [{ protocol: "udp", fromPort: 500, toPort: 500, ipv6CidrBlocks: ["::/0"] }],
        });
        rawAppliance("diy-a", { vpcSecurityGroupIds: [sg.id] });
      });
      expectViolation(run, "appliance-sg-not-open", {
        level: "mandatory",
        on: "diy",
        message: 'ingress[0] opens security group "diy" of VPN appliance instance "diy-a" to ::/0',
      });
    });
  });

  describe("appliance-sg-not-open on a WireGuard remote-access server", () => {
    const staff = (listenPort?: number) =>
      new SoftwareRemoteAccessVpn("staff", {
        vpcId: VPC,
        availabilityZoneId: "use1-az1",
        subnetId: "subnet-0aaaaaaaaaaaaaaaa",
        subnetCidr: "10.0.0.0/24",
        vpcCidrs: ["10.0.0.0/16"],
        clientPool: "10.250.0.0/24",
        clients: { alice: { publicKey: "29bRCpKSA3n/7DPxHGXak85vjR4o/w9T+KRAEV9LDyA=" } },
        clientSourceCidrs: ["0.0.0.0/0"],
        routeTableIds: { private: "rtb-0123456789abcdef0" },
        ...(listenPort ? { listenPort } : {}),
      });

    it("accepts the declared WireGuard port open to 0.0.0.0/0, in production too, and passes the other rules", async () => {
      const run = await analyzeProgram(pack(), () => staff(443), { stack: "connectivity-prod" });
      for (const rule of RULES) expectNoViolation(run, rule);
    });

    it("flags anything else open on the server's group: another UDP port, TCP on the port, a port range", async () => {
      const run = await analyzeProgram(pack(), () => {
        const server = staff();
        for (const [name, ipProtocol, fromPort, toPort] of [
          ["dns", "udp", 53, 53],
          ["tcp-wg", "tcp", 51820, 51820],
          ["range", "udp", 51820, 51830],
        ] as const)
          new aws.vpc.SecurityGroupIngressRule(name, {
            securityGroupId: server.securityGroupId,
            ipProtocol,
            fromPort,
            toPort,
            cidrIpv4: "0.0.0.0/0",
          });
      });
      const found = expectViolation(run, "appliance-sg-not-open", {
        level: "mandatory",
        count: 3,
        on: "dns",
        message:
          /^the ingress rule opens security group "staff-server" of WireGuard server instance "staff-server" to 0\.0\.0\.0\/0: .*a WireGuard server: its UDP port only/,
      });
      pick(found, { on: "tcp-wg", message: "0.0.0.0/0" });
      pick(found, { on: "range", message: "0.0.0.0/0" });
    });
  });

  describe("appliance-multi-az (stack)", () => {
    const oneZone = () => {
      rawAppliance("diy-a", {
        tags: {
          "hybridnet:role": "vpn-appliance",
          "hybridnet:component": "diy",
          "hybridnet:zone-id": "use1-az1",
        },
      });
      rawAppliance("diy-b", {
        tags: {
          "hybridnet:role": "vpn-appliance",
          "hybridnet:component": "diy",
          "hybridnet:zone-id": "use1-az1",
        },
      });
      rawAppliance("lone", { tags: { "hybridnet:role": "vpn-appliance" } });
    };

    it("flags, in production, an appliance whose two instances share a zone and a lone appliance instance", async () => {
      const run = await analyzeProgram(pack(), oneZone, { stack: "connectivity-prod" });
      const found = expectViolation(run, "appliance-multi-az", {
        level: "mandatory",
        count: 2,
        on: "diy-a",
        message:
          'VPN appliance "diy" in production stack "connectivity-prod" has 2 instances in 1 known Availability Zone (use1-az1): run it in at least 2 zones',
      });
      pick(found, {
        on: "lone",
        message: 'no zone declared for "lone" (tag hybridnet:zone-id or availabilityZone)',
      });
    });

    it("leaves development stacks alone, and reads availabilityZone where no zone tag is set", async () => {
      expectNoViolation(
        await analyzeProgram(pack(), oneZone, { stack: "connectivity-dev" }),
        "appliance-multi-az",
      );
      const run = await analyzeProgram(
        pack(),
        () => {
          rawAppliance("a", { availabilityZone: "us-east-1a" });
          rawAppliance("b", { availabilityZone: "us-east-1b" });
        },
        { stack: "connectivity-prod" },
      );
      expect(violationsOf(run, "appliance-multi-az")).to.deep.equal([]);
    });
  });
});
