/**
 * SoftwareVpnAppliance: what the HA pair registers (security group and rules, instance role, two hardened
 * instances with their Elastic IPs, the routes to the primary, status alarms), what it refuses before anything
 * registers, how it runs as a first `pulumi preview`, and that a pre-shared key in a configuration file stays
 * secret in the user data.
 */

import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as yaml from "js-yaml";
import { runUnderMocks } from "../cli/mockRuntime";
import { SoftwareVpnAppliance, type SoftwareVpnApplianceArgs } from "../components/SoftwareVpnAppliance";
import type { CloudConfig } from "../model/softwareVpn/userData";
import { type RegisteredResource, type ResourceList, resolve, runProgram } from "./harness";
import { onlyProblem, refusedBy } from "./refusals";
import { ROUTER_TYPES } from "./routerTypes";
import { instanceUserData } from "./userData";

const TYPE = {
  component: "hybridnet:index:SoftwareVpnAppliance",
  ...ROUTER_TYPES,
} as const;

const WHERE = 'hybridnet:index:SoftwareVpnAppliance "edge"';
const PSK = "Str0ngPreSharedKey_0123456789";
const SWANCTL = `connections { dc1 { remote_addrs = 203.0.113.10 } }\nsecrets { ike-dc1 { secret = ${PSK} } }\n`;

function applianceArgs(overrides: Partial<SoftwareVpnApplianceArgs> = {}): SoftwareVpnApplianceArgs {
  return {
    vpcId: "vpc-0c0c0c0c0c0c0c0c0",
    primary: {
      availabilityZoneId: "use1-az1",
      subnetId: "subnet-0a0a0a0a0a0a0a0a0",
      subnetCidr: "10.0.0.0/24",
      configFiles: { "swanctl.conf": SWANCTL, "frr.conf": "router bgp 65001\n" },
    },
    standby: {
      availabilityZoneId: "use1-az2",
      subnetId: "subnet-0b0b0b0b0b0b0b0b0",
      subnetCidr: "10.0.1.0/24",
      configFiles: { "swanctl.conf": SWANCTL, "frr.conf": "router bgp 65001\n" },
    },
    peers: { dc1: { address: "203.0.113.10" } },
    forwardedCidrs: ["10.0.0.0/16"],
    routeTableIds: { private: "rtb-0123456789abcdef0", data: "rtb-0fedcba9876543210" },
    destinationCidrs: ["192.168.0.0/16"],
    ...overrides,
  };
}

async function build(args: SoftwareVpnApplianceArgs, options: { preview?: boolean } = {}) {
  const run = await runProgram(() => new SoftwareVpnAppliance("edge", args), options);
  if (run.error) expect.fail(`SoftwareVpnAppliance refused valid arguments: ${run.error.stack}`);
  return { resources: run.resources, appliance: run.result as SoftwareVpnAppliance };
}

const refused = (args: SoftwareVpnApplianceArgs) =>
  refusedBy(() => new SoftwareVpnAppliance("edge", args), WHERE);

function one(resources: ResourceList, type: string): RegisteredResource {
  const found = resources.ofType(type);
  expect(found, type).to.have.length(1);
  return found[0];
}

function cloudConfig(inputs: Record<string, unknown>): CloudConfig {
  const text = instanceUserData(inputs);
  expect(text.startsWith("#cloud-config\n"), text.slice(0, 40)).to.equal(true);
  return yaml.load(text.slice("#cloud-config\n".length)) as CloudConfig;
}

describe("SoftwareVpnAppliance", () => {
  describe("resources", () => {
    it("registers everything under the component, named by role and key", async () => {
      const { resources } = await build(applianceArgs());
      const component = one(resources, TYPE.component);
      for (const r of resources.all.filter((r) => r.type !== TYPE.component))
        expect(r.parent, `${r.type} ${r.name}`).to.equal(component.urn);
      expect(resources.ofType(TYPE.instance).map((r) => r.name)).to.deep.equal([
        "edge-primary",
        "edge-standby",
      ]);
      expect(resources.ofType(TYPE.eip).map((r) => r.name)).to.deep.equal(["edge-primary", "edge-standby"]);
      expect(resources.ofType(TYPE.association)).to.have.length(2);
      expect(resources.ofType(TYPE.route).map((r) => r.name)).to.deep.equal([
        "edge-data-192-168-0-0-16",
        "edge-private-192-168-0-0-16",
      ]);
      expect(resources.ofType(TYPE.alarm)).to.deep.equal([]);
    });

    it("hardens both instances: IMDSv2 only, encrypted gp3 root, source/dest check off, fixed addresses, secret user data", async () => {
      const { resources } = await build(applianceArgs());
      const [primary, standby] = resources.ofType(TYPE.instance);
      const sg = one(resources, TYPE.sg);
      const profile = one(resources, TYPE.profile);
      for (const [instance, subnet, ip, zone] of [
        [primary, "subnet-0a0a0a0a0a0a0a0a0", "10.0.0.254", "use1-az1"],
        [standby, "subnet-0b0b0b0b0b0b0b0b0", "10.0.1.254", "use1-az2"],
      ] as const) {
        expect(instance.inputs).to.deep.include({
          instanceType: "c6i.large",
          subnetId: subnet,
          privateIp: ip,
          sourceDestCheck: false,
          vpcSecurityGroupIds: [sg.id],
          iamInstanceProfile: profile.outputs.name,
          metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
          rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: 16, deleteOnTermination: true },
          userDataReplaceOnChange: true,
        });
        expect(instance.inputs.ami).to.match(/^ami-[0-9a-f]{17}$/);
        expect(instance.inputs.tags).to.deep.include({
          "hybridnet:role": "vpn-appliance",
          "hybridnet:zone-id": zone,
          "hybridnet:component": "edge",
        });
        expect(instance.secretInputs).to.include("userDataBase64");
      }
      // Both instances run the same image: Debian 12's, read from Debian's public SSM parameter.
      expect(primary.inputs.ami).to.equal(standby.inputs.ami);
    });

    it("associates an Elastic IP with each instance and publishes the addresses by role", async () => {
      const { resources, appliance } = await build(applianceArgs());
      const [primary, standby] = resources.ofType(TYPE.instance);
      const [eipPrimary, eipStandby] = resources.ofType(TYPE.eip);
      expect(eipPrimary.inputs).to.deep.include({ domain: "vpc" });
      const associations = resources.ofType(TYPE.association).map((a) => a.inputs);
      expect(associations).to.deep.equal([
        { allocationId: eipPrimary.id, instanceId: primary.id },
        { allocationId: eipStandby.id, instanceId: standby.id },
      ]);
      const publicIps = (await resolve(appliance.publicIps)).value;
      expect(publicIps).to.deep.equal({
        primary: eipPrimary.outputs.publicIp,
        standby: eipStandby.outputs.publicIp,
      });
      expect(publicIps.primary).to.match(/^3\.\d+\.\d+\.\d+$/);
      expect((await resolve(appliance.privateIps)).value).to.deep.equal({
        primary: "10.0.0.254",
        standby: "10.0.1.254",
      });
      expect((await resolve(appliance.instanceIds)).value).to.deep.equal({
        primary: primary.id,
        standby: standby.id,
      });
      expect((await resolve(appliance.activeInstanceId)).value).to.equal(primary.id);
      expect((await resolve(appliance.securityGroupId)).value).to.equal(one(resources, TYPE.sg).id);
    });

    it("uses a given Elastic IP allocation instead of creating one", async () => {
      const { resources } = await build(
        applianceArgs({
          primary: { ...applianceArgs().primary, elasticIpAllocationId: "eipalloc-0123456789abcdef0" },
        }),
      );
      expect(resources.ofType(TYPE.eip).map((r) => r.name)).to.deep.equal(["edge-standby"]);
      expect(resources.ofType(TYPE.association)[0].inputs.allocationId).to.equal(
        "eipalloc-0123456789abcdef0",
      );
    });

    it("admits IKE, NAT-T and ESP from the peer only, forwarded traffic from the VPC, and pings within the pair", async () => {
      const { resources } = await build(applianceArgs());
      const sg = one(resources, TYPE.sg);
      expect(sg.inputs.tags).to.deep.include({ "hybridnet:role": "vpn-appliance" });
      const ingress = resources
        .ofType(TYPE.ingress)
        .map((r) => ({ ...r.inputs, name: r.name }) as Record<string, unknown>)
        .sort((a, b) => String(a.name).localeCompare(String(b.name)));
      for (const rule of ingress) expect(rule.securityGroupId).to.equal(sg.id);
      expect(
        ingress.map((r) => [r.name, r.ipProtocol, r.fromPort, r.cidrIpv4 ?? r.referencedSecurityGroupId]),
      ).to.deep.equal([
        ["edge-in-esp-dc1", "50", undefined, "203.0.113.10/32"],
        ["edge-in-fwd-10-0-0-0-16", "-1", undefined, "10.0.0.0/16"],
        ["edge-in-health", "icmp", -1, sg.id],
        ["edge-in-ike-dc1", "udp", 500, "203.0.113.10/32"],
        ["edge-in-natt-dc1", "udp", 4500, "203.0.113.10/32"],
      ]);
      const egress = resources.ofType(TYPE.egress).map((r) => r.inputs);
      expect(
        egress.filter((r) => r.cidrIpv4 === "0.0.0.0/0").map((r) => [r.ipProtocol, r.fromPort]),
      ).to.deep.equal([
        ["tcp", 443],
        ["tcp", 80],
      ]);
    });

    it("lets the instances' role move routes only in the declared route tables", async () => {
      const { resources, appliance } = await build(applianceArgs());
      const role = one(resources, TYPE.role);
      expect(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Principal).to.deep.equal({
        Service: "ec2.amazonaws.com",
      });
      const policy = one(resources, TYPE.rolePolicy);
      expect(policy.inputs.role).to.equal(role.outputs.name);
      expect(JSON.parse(String(policy.inputs.policy)).Statement).to.deep.equal([
        {
          Sid: "MoveRoutesToThisInstance",
          Effect: "Allow",
          Action: ["ec2:ReplaceRoute", "ec2:CreateRoute"],
          Resource: [
            "arn:aws:ec2:us-east-1:111122223333:route-table/rtb-0fedcba9876543210",
            "arn:aws:ec2:us-east-1:111122223333:route-table/rtb-0123456789abcdef0",
          ],
        },
        { Sid: "ReadRouteTargets", Effect: "Allow", Action: ["ec2:DescribeRouteTables"], Resource: "*" },
      ]);
      expect(one(resources, TYPE.profile).inputs.role).to.equal(role.outputs.name);
      expect((await resolve(appliance.roleArn)).value).to.equal(role.outputs.arn);
    });

    it("points each declared route at the primary's network interface", async () => {
      const { resources } = await build(applianceArgs());
      const primary = resources.ofType(TYPE.instance)[0];
      expect(resources.ofType(TYPE.route).map((r) => r.inputs)).to.deep.equal([
        {
          routeTableId: "rtb-0fedcba9876543210",
          destinationCidrBlock: "192.168.0.0/16",
          networkInterfaceId: primary.outputs.primaryNetworkInterfaceId,
        },
        {
          routeTableId: "rtb-0123456789abcdef0",
          destinationCidrBlock: "192.168.0.0/16",
          networkInterfaceId: primary.outputs.primaryNetworkInterfaceId,
        },
      ]);
    });

    it("boots each instance with its own files and a watchdog that checks the other instance", async () => {
      const { resources } = await build(
        applianceArgs({
          standby: { ...applianceArgs().standby, configFiles: { "swanctl.conf": "connections {}\n" } },
        }),
      );
      const [primary, standby] = resources.ofType(TYPE.instance).map((i) => cloudConfig(i.inputs));
      const env = (c: CloudConfig) =>
        c.write_files.find((f) => f.path === "/etc/hybridnet/watchdog.env")?.content;
      expect(env(primary)).to.include('PEER_IP="10.0.1.254"\n');
      expect(env(standby)).to.include('PEER_IP="10.0.0.254"\n');
      expect(env(primary)).to.include('ROUTE_TABLES="rtb-0fedcba9876543210 rtb-0123456789abcdef0"\n');
      expect(
        primary.write_files.find((f) => f.path === "/etc/swanctl/conf.d/hybridnet.conf")?.content,
      ).to.equal(SWANCTL);
      expect(primary.write_files.map((f) => f.path)).to.include("/etc/frr/frr.conf");
      expect(standby.write_files.map((f) => f.path)).to.not.include("/etc/frr/frr.conf");
    });

    it("takes an AMI, an instance type, a KMS key and status alarms", async () => {
      const topic = "arn:aws:sns:us-east-1:111122223333:network-pager";
      const { resources } = await build(
        applianceArgs({
          ami: "ami-0123456789abcdef0",
          instanceType: "c6gn.large",
          kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          statusAlarms: { actions: [topic] },
        }),
      );
      const [primary] = resources.ofType(TYPE.instance);
      expect(primary.inputs).to.deep.include({ ami: "ami-0123456789abcdef0", instanceType: "c6gn.large" });
      expect((primary.inputs.rootBlockDevice as Record<string, unknown>).kmsKeyId).to.match(/^arn:aws:kms:/);
      const alarms = resources.ofType(TYPE.alarm);
      expect(alarms.map((a) => a.name)).to.deep.equal(["edge-primary-status", "edge-standby-status"]);
      expect(alarms[0].inputs).to.deep.include({
        namespace: "AWS/EC2",
        metricName: "StatusCheckFailed",
        dimensions: { InstanceId: primary.id },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 2,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "breaching",
        alarmActions: [topic],
      });
    });

    it("terminates tunnels without routes or a role policy when no route table is declared", async () => {
      const { resources } = await build(
        applianceArgs({ routeTableIds: undefined, destinationCidrs: undefined }),
      );
      expect(resources.ofType(TYPE.route)).to.deep.equal([]);
      expect(resources.ofType(TYPE.rolePolicy)).to.deep.equal([]);
      expect(resources.ofType(TYPE.instance)).to.have.length(2);
    });
  });

  describe("secrets", () => {
    it("keeps a pre-shared key given as a secret Output secret in the user data, and the user data secret always", async () => {
      const run = await runProgram(() => {
        const swanctl = pulumi.secret(SWANCTL);
        const args = applianceArgs();
        return new SoftwareVpnAppliance("edge", {
          ...args,
          primary: { ...args.primary, configFiles: { "swanctl.conf": swanctl } },
          standby: { ...args.standby, configFiles: { "swanctl.conf": swanctl } },
        });
      });
      if (run.error) return expect.fail(run.error.stack);
      for (const instance of run.resources.ofType(TYPE.instance)) {
        expect(instance.secretInputs).to.include("userDataBase64");
        expect(instanceUserData(instance.inputs)).to.include(PSK);
      }
      // The planner's recorder shows secrets as "[secret]", never the key.
      const redacted = await runUnderMocks(() => new SoftwareVpnAppliance("edge", applianceArgs()), {
        secrets: "redact",
      });
      for (const instance of redacted.resources.filter((r) => r.type === TYPE.instance))
        expect(instance.inputs.userDataBase64).to.equal("[secret]");
      expect(JSON.stringify(redacted.resources)).to.not.include(PSK);
    });
  });

  describe("preview", () => {
    it("registers the same resources in a first preview, with ids and addresses unknown", async () => {
      const up = await build(applianceArgs());
      const preview = await build(applianceArgs(), { preview: true });
      const names = (l: ResourceList) => l.all.map((r) => `${r.type} ${r.name}`).sort();
      expect(names(preview.resources)).to.deep.equal(names(up.resources));
      const route = preview.resources.ofType(TYPE.route)[0];
      expect(route.inputs.destinationCidrBlock).to.equal("192.168.0.0/16");
      const instance = preview.resources.ofType(TYPE.instance)[0];
      expect(instance.inputs).to.deep.include({ privateIp: "10.0.0.254", sourceDestCheck: false });
    });
  });

  describe("refusals, before anything registers", () => {
    it("refuses two instances in one zone", async () => {
      const e = await refused(
        applianceArgs({ standby: { ...applianceArgs().standby, availabilityZoneId: "use1-az1" } }),
      );
      onlyProblem(e, "standby.availabilityZoneId", "use1-az1", "a zone other than the primary's (use1-az1)");
    });

    it("refuses a peer given as a block, and forwarding from 0.0.0.0/0", async () => {
      const e = await refused(
        applianceArgs({ peers: { all: { address: "0.0.0.0/0" } }, forwardedCidrs: ["0.0.0.0/0"] }),
      );
      expect(e.problems.map((p) => p.path)).to.deep.equal(["peers.all.address", "forwardedCidrs[0]"]);
    });

    it("refuses an unknown argument with the one it probably meant", async () => {
      const e = await refused({
        ...applianceArgs(),
        destinationCidr: ["10.9.0.0/16"],
      } as SoftwareVpnApplianceArgs);
      expect(e.message).to.include(
        'destinationCidr = ["10.9.0.0/16"]: unknown argument; did you mean destinationCidrs?',
      );
    });

    it("takes up to a day of one-minute alarm periods (CloudWatch: periods × 60 s ≤ 86,400 s), not 1,441", async () => {
      const topic = "arn:aws:sns:us-east-1:111122223333:network-pager";
      const { resources } = await build(
        applianceArgs({ statusAlarms: { actions: [topic], evaluationPeriods: 1440 } }),
      );
      expect(resources.ofType(TYPE.alarm).map((a) => a.inputs.evaluationPeriods)).to.deep.equal([1440, 1440]);
      const e = await refused(applianceArgs({ statusAlarms: { actions: [topic], evaluationPeriods: 1441 } }));
      onlyProblem(
        e,
        "statusAlarms.evaluationPeriods",
        1441,
        "an integer in 1–1440 (one-minute periods, up to a day)",
      );
    });

    it("refuses a malformed AMI id and a previous-generation instance type", async () => {
      const e = await refused(applianceArgs({ ami: "debian-12", instanceType: "m4.large" }));
      expect(e.problems.map((p) => p.path)).to.deep.equal(["instanceType", "ami"]);
    });

    it("refuses files that make more than EC2's 16 KB of compressed user data, without showing them", async () => {
      // 30 KB of random-looking text (6 bits a character) compresses to about 23 KB: too much. 30 KB of one
      // repeated character would compress to a few dozen bytes and be taken.
      const noise = Array.from({ length: 700 }, (_, i) =>
        createHash("sha256").update(String(i)).digest("base64").slice(0, 43),
      ).join("");
      const big = `# ${noise}\n`;
      const e = await refused(
        applianceArgs({ standby: { ...applianceArgs().standby, configFiles: { "swanctl.conf": big } } }),
      );
      expect(e.problems.map((p) => p.path)).to.deep.equal(["standby.configFiles"]);
      expect(e.message).to.match(
        /standby\.configFiles = \[secret\]: the user data these files make is \d+ bytes gzip-compressed \(\d+ rendered\); EC2 takes at most 16384/,
      );
      // Given as an Output, the files are checked when they resolve: the instance never registers.
      const run = await runProgram(
        () =>
          new SoftwareVpnAppliance(
            "edge",
            applianceArgs({
              standby: { ...applianceArgs().standby, configFiles: { "swanctl.conf": pulumi.secret(big) } },
            }),
          ),
      );
      expect(run.error?.message).to.include(
        "standby.configFiles = [secret]: the user data these files make is",
      );
      expect(run.resources.ofType(TYPE.instance).map((r) => r.name)).to.deep.equal(["edge-primary"]);
    });

    it("admits a peer whose address is another resource's Output (an Elastic IP) at that address's /32", async () => {
      const run = await runProgram(() => {
        const eip = new aws.ec2.Eip("remote", { domain: "vpc" });
        return new SoftwareVpnAppliance(
          "edge",
          applianceArgs({ peers: { remote: { address: eip.publicIp } } }),
        );
      });
      if (run.error) return expect.fail(run.error.stack);
      const eip = run.resources.ofType(TYPE.eip).find((r) => r.name === "remote");
      if (!eip) return expect.fail("no remote Elastic IP");
      const address = String(eip.outputs.publicIp);
      expect(address).to.match(/^\d+\.\d+\.\d+\.\d+$/);
      const peerRules = [...run.resources.ofType(TYPE.ingress), ...run.resources.ofType(TYPE.egress)]
        .filter((r) => /-(ike|natt|esp)-remote$/.test(r.name))
        .map((r) => [r.name, r.inputs.cidrIpv4]);
      expect(peerRules).to.have.length(6);
      for (const [name, cidr] of peerRules) expect(cidr, String(name)).to.equal(`${address}/32`);
    });

    it("checks a peer address given as an Output when it resolves: a private one fails its rules, naming the peer", async () => {
      const run = await runProgram(
        () =>
          new SoftwareVpnAppliance(
            "edge",
            applianceArgs({ peers: { lan: { address: pulumi.output("10.1.2.3") } } }),
          ),
      );
      expect(run.error?.message).to.include(WHERE);
      expect(run.error?.message).to.include('peers.lan.address = "10.1.2.3"');
      expect(run.resources.ofType(TYPE.ingress).filter((r) => r.name.endsWith("-lan"))).to.deep.equal([]);
    });

    it("accepts ids given as Outputs of other resources", async () => {
      const run = await runProgram(() => {
        const rtb = new aws.ec2.RouteTable("private", { vpcId: "vpc-0c0c0c0c0c0c0c0c0" });
        return new SoftwareVpnAppliance("edge", applianceArgs({ routeTableIds: { private: rtb.id } }));
      });
      if (run.error) return expect.fail(run.error.stack);
      const rtb = run.resources.ofType("aws:ec2/routeTable:RouteTable")[0];
      expect(run.resources.ofType(TYPE.route)[0].inputs.routeTableId).to.equal(rtb.id);
    });
  });
});
