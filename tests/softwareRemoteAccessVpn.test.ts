/**
 * SoftwareRemoteAccessVpn: what the WireGuard server registers (security group and rules, a role-less profile,
 * the server key, one hardened instance with its Elastic IP, the pool's routes, the recovery alarm), its outputs
 * (public key, endpoint, client configurations without private keys), the server's private key secret end to
 * end, what it refuses before anything registers, and how it runs as a first `pulumi preview`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as yaml from "js-yaml";
import { runUnderMocks } from "../cli/mockRuntime";
import {
  SoftwareRemoteAccessVpn,
  type SoftwareRemoteAccessVpnArgs,
} from "../components/SoftwareRemoteAccessVpn";
import { type RegisteredResource, type ResourceList, type RunOptions, resolve } from "./harness";
import { builtBy, onlyProblem, refusedBy } from "./refusals";
import { ROUTER_TYPES } from "./routerTypes";
import { instanceUserData } from "./userData";

const { unknownValue } = require("@pulumi/pulumi/runtime/rpc") as { unknownValue: string };

const TYPE = {
  component: "hybridnet:index:SoftwareRemoteAccessVpn",
  ...ROUTER_TYPES,
  key: "random:index/randomBytes:RandomBytes",
} as const;

const WHERE = 'hybridnet:index:SoftwareRemoteAccessVpn "staff"';
/** Public keys from `wg genkey | wg pubkey`. */
const ALICE = "29bRCpKSA3n/7DPxHGXak85vjR4o/w9T+KRAEV9LDyA=";
const BOB = "gZ0XdiHq0yeH1VCZG0BJOwVdJp5rYlEKLSGaJeBHO3M=";

function args(overrides: Partial<SoftwareRemoteAccessVpnArgs> = {}): SoftwareRemoteAccessVpnArgs {
  return {
    vpcId: "vpc-0c0c0c0c0c0c0c0c0",
    availabilityZoneId: "use1-az1",
    subnetId: "subnet-0a0a0a0a0a0a0a0a0",
    subnetCidr: "10.0.0.0/24",
    vpcCidrs: ["10.0.0.0/16"],
    routes: ["192.168.0.0/16"],
    clientPool: "10.250.0.0/24",
    clients: { alice: { publicKey: ALICE }, bob: { publicKey: BOB } },
    clientSourceCidrs: ["0.0.0.0/0"],
    routeTableIds: { private: "rtb-0123456789abcdef0", data: "rtb-0fedcba9876543210" },
    ...overrides,
  };
}

async function build(a: SoftwareRemoteAccessVpnArgs, options: RunOptions = {}) {
  const { resources, result } = await builtBy(() => new SoftwareRemoteAccessVpn("staff", a), options);
  return { resources, vpn: result };
}

const refused = (a: SoftwareRemoteAccessVpnArgs) =>
  refusedBy(() => new SoftwareRemoteAccessVpn("staff", a), WHERE);

/** The server's wg0.conf, read from the instance's cloud-config. */
function serverConfig(instance: RegisteredResource): string {
  const text = instanceUserData(instance.inputs);
  expect(text.startsWith("#cloud-config\n"), text.slice(0, 40)).to.equal(true);
  const config = yaml.load(text.slice("#cloud-config\n".length)) as {
    write_files: { path: string; content: string }[];
  };
  const file = config.write_files.find((f) => f.path === "/etc/wireguard/wg0.conf");
  return file ? file.content : expect.fail("no /etc/wireguard/wg0.conf in the user data");
}

describe("SoftwareRemoteAccessVpn", () => {
  describe("resources", () => {
    it("registers one server and what it needs, all under the component", async () => {
      const { resources } = await build(args());
      const component = resources.single(TYPE.component);
      const children = resources.all.filter((r) => r.type !== TYPE.component);
      expect(children.length).to.be.greaterThan(0);
      for (const r of children) expect(r.parent, `${r.type} ${r.name}`).to.equal(component.urn);
      expect(children.map((r) => `${r.type} ${r.name}`).sort()).to.deep.equal(
        [
          `${TYPE.key} staff-server-key`,
          `${TYPE.sg} staff-server`,
          `${TYPE.ingress} staff-in-wg-0-0-0-0-0`,
          `${TYPE.egress} staff-out-wg-0-0-0-0-0`,
          `${TYPE.egress} staff-out-fwd-10-0-0-0-16`,
          `${TYPE.egress} staff-out-fwd-192-168-0-0-16`,
          `${TYPE.egress} staff-out-https`,
          `${TYPE.egress} staff-out-http`,
          `${TYPE.role} staff-server`,
          `${TYPE.profile} staff-server`,
          `${TYPE.instance} staff-server`,
          `${TYPE.eip} staff-server`,
          `${TYPE.association} staff-server`,
          `${TYPE.route} staff-private-pool`,
          `${TYPE.route} staff-data-pool`,
          `${TYPE.alarm} staff-server-recovery`,
        ].sort(),
      );
      // The server calls no AWS API: its role has no policy.
      expect(resources.ofType(TYPE.rolePolicy)).to.deep.equal([]);
    });

    it("hardens the instance: IMDSv2 only, encrypted gp3 root, source/dest check off, fixed address, secret user data", async () => {
      const { resources } = await build(args());
      const instance = resources.single(TYPE.instance);
      expect(instance.inputs).to.deep.include({
        instanceType: "c6i.large",
        subnetId: "subnet-0a0a0a0a0a0a0a0a0",
        privateIp: "10.0.0.254",
        sourceDestCheck: false,
        vpcSecurityGroupIds: [resources.single(TYPE.sg).id],
        iamInstanceProfile: resources.single(TYPE.profile).outputs.name,
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: 16, deleteOnTermination: true },
        userDataReplaceOnChange: true,
      });
      expect(instance.inputs.ami).to.match(/^ami-[0-9a-f]{17}$/);
      expect(instance.inputs.tags).to.deep.include({
        "hybridnet:role": "remote-access-vpn",
        "hybridnet:zone-id": "use1-az1",
        "hybridnet:component": "staff",
      });
      expect(instance.secretInputs).to.include("userDataBase64");
    });

    it("admits UDP 51820 from the declared sources only, and tags the group with its port", async () => {
      const { resources } = await build(args({ clientSourceCidrs: ["198.51.100.0/24", "203.0.113.0/24"] }));
      const sg = resources.single(TYPE.sg);
      expect(sg.inputs.tags).to.deep.include({
        "hybridnet:role": "remote-access-vpn",
        "hybridnet:wireguard-port": "51820",
      });
      expect(
        resources
          .ofType(TYPE.ingress)
          .map((r) => [
            r.name,
            r.inputs.ipProtocol,
            r.inputs.fromPort,
            r.inputs.toPort,
            r.inputs.cidrIpv4,
            r.inputs.securityGroupId,
          ]),
      ).to.deep.equal([
        ["staff-in-wg-198-51-100-0-24", "udp", 51820, 51820, "198.51.100.0/24", sg.id],
        ["staff-in-wg-203-0-113-0-24", "udp", 51820, 51820, "203.0.113.0/24", sg.id],
      ]);
    });

    it("routes the client pool to the server's network interface in every declared route table", async () => {
      const { resources } = await build(args());
      const instance = resources.single(TYPE.instance);
      expect(resources.ofType(TYPE.route).map((r) => r.inputs)).to.deep.equal([
        {
          routeTableId: "rtb-0fedcba9876543210",
          destinationCidrBlock: "10.250.0.0/24",
          networkInterfaceId: instance.outputs.primaryNetworkInterfaceId,
        },
        {
          routeTableId: "rtb-0123456789abcdef0",
          destinationCidrBlock: "10.250.0.0/24",
          networkInterfaceId: instance.outputs.primaryNetworkInterfaceId,
        },
      ]);
    });

    it("recovers the instance after two failed system status checks and tells the topics given", async () => {
      const topic = "arn:aws:sns:us-east-1:111122223333:network-pager";
      const { resources } = await build(args({ recovery: { notify: [topic], evaluationPeriods: 3 } }));
      const instance = resources.single(TYPE.instance);
      expect(resources.single(TYPE.alarm).inputs).to.deep.include({
        namespace: "AWS/EC2",
        metricName: "StatusCheckFailed_System",
        dimensions: { InstanceId: instance.id },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 3,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        alarmActions: ["arn:aws:automate:us-east-1:ec2:recover", topic],
        okActions: [topic],
      });
    });

    it("uses a given Elastic IP allocation instead of creating one", async () => {
      const { resources, vpn } = await build(args({ elasticIpAllocationId: "eipalloc-0123456789abcdef0" }));
      expect(resources.ofType(TYPE.eip)).to.deep.equal([]);
      expect(resources.single(TYPE.association).inputs.allocationId).to.equal("eipalloc-0123456789abcdef0");
      expect((await resolve(vpn.endpoint)).value).to.match(/^3\.\d+\.\d+\.\d+:51820$/);
    });
  });

  describe("outputs and keys", () => {
    it("generates the server's key (32 random bytes) and publishes its public key, the endpoint and client configurations", async () => {
      const { resources, vpn } = await build(args({ listenPort: 443 }));
      expect(resources.single(TYPE.key).inputs).to.deep.equal({ length: 32 });
      const publicKey = await resolve(vpn.serverPublicKey);
      expect(publicKey.secret, "the public key is not secret").to.equal(false);
      expect(publicKey.value).to.match(/^[A-Za-z0-9+/]{43}=$/);
      const eip = resources.single(TYPE.eip);
      const endpoint = await resolve(vpn.endpoint);
      expect(endpoint.value).to.equal(`${eip.outputs.publicIp}:443`);
      const configs = await resolve(vpn.clientConfigs);
      expect(configs.secret).to.equal(false);
      expect(Object.keys(configs.value)).to.deep.equal(["alice", "bob"]);
      // The whole text is written out in tests/softwareRemoteAccessModel.test.ts; here, what the outputs fill in.
      expect(configs.value.bob).to.include("PrivateKey = <client private key>\nAddress = 10.250.0.3/32\n");
      expect(configs.value.bob).to.include(
        `[Peer]\nPublicKey = ${publicKey.value}\nEndpoint = ${eip.outputs.publicIp}:443\n`,
      );
      expect((await resolve(vpn.clientAddresses)).value).to.deep.equal({
        alice: "10.250.0.2",
        bob: "10.250.0.3",
      });
      expect((await resolve(vpn.instanceId)).value).to.equal(resources.single(TYPE.instance).id);
      expect((await resolve(vpn.securityGroupId)).value).to.equal(resources.single(TYPE.sg).id);
    });

    it("keeps the server's private key secret end to end: in the user data only, never in an output", async () => {
      const { resources, vpn } = await build(args());
      const instance = resources.single(TYPE.instance);
      const key = resources.single(TYPE.key);
      expect(key.secretOutputs, "the provider's bytes are secret").to.include("base64");
      const privateKey = String(key.outputs.base64);
      expect(privateKey).to.match(/^[A-Za-z0-9+/]{43}=$/);
      const wg0 = serverConfig(instance);
      expect(wg0).to.include(`PrivateKey = ${privateKey}\n`);
      expect(wg0).to.include(`[Peer]\n# alice\nPublicKey = ${ALICE}\nAllowedIPs = 10.250.0.2/32\n`);
      expect(instance.secretInputs).to.include("userDataBase64");
      const outputs = [vpn.serverPublicKey, vpn.endpoint, vpn.clientConfigs, vpn.clientAddresses];
      for (const output of outputs as pulumi.Output<unknown>[])
        expect(JSON.stringify((await resolve(output)).value)).to.not.include(privateKey);
      // The planner's recorder shows secrets as "[secret]", never the key.
      const redacted = await runUnderMocks(() => new SoftwareRemoteAccessVpn("staff", args()), {
        secrets: "redact",
      });
      const server = redacted.resources.find((r) => r.type === TYPE.instance);
      expect(server?.inputs.userDataBase64).to.equal("[secret]");
      expect(JSON.stringify(redacted.resources)).to.not.include(privateKey);
    });
  });

  describe("refusals", () => {
    it("refuses arguments before anything registers, naming the path, the value and what is allowed", async () => {
      onlyProblem(
        await refused(args({ clientPool: "10.0.4.0/24" })),
        "clientPool",
        "10.0.4.0/24",
        "overlaps vpcCidrs[0] 10.0.0.0/16",
      );
      onlyProblem(
        await refused(args({ clientSourceCidrs: [] })),
        "clientSourceCidrs",
        [],
        "0.0.0.0/0 for anywhere, given explicitly",
      );
      onlyProblem(
        await refused(args({ clients: { alice: { publicKey: "not-a-key" } } })),
        "clients.alice.publicKey",
        "not-a-key",
        "what `wg pubkey` prints",
      );
      onlyProblem(
        await refused(args({ routes: ["0.0.0.0/0"] })),
        "routes[0]",
        "0.0.0.0/0",
        "set fullTunnel: true",
      );
    });

    it("refuses an unknown argument key, with the closest known one", async () => {
      const error = await refused({ ...args(), fulltunnel: true } as unknown as SoftwareRemoteAccessVpnArgs);
      expect(error.message).to.include("fulltunnel");
      expect(error.message).to.include("fullTunnel");
    });
  });

  describe("preview", () => {
    it("registers the same resources in a first preview, with ids, addresses and keys unknown", async () => {
      const up = await build(args({ routeTableIds: { private: "rtb-0123456789abcdef0" } }));
      const preview = await build(args({ routeTableIds: { private: "rtb-0123456789abcdef0" } }), {
        preview: true,
      });
      const names = (l: ResourceList) => l.all.map((r) => `${r.type} ${r.name}`).sort();
      expect(names(preview.resources)).to.deep.equal(names(up.resources));
      const instance = preview.resources.single(TYPE.instance);
      // The key does not exist yet: the user data that holds it is unknown, not rendered with a stand-in.
      expect(instance.inputs.userDataBase64).to.equal(unknownValue);
      expect(instance.inputs).to.deep.include({ privateIp: "10.0.0.254", sourceDestCheck: false });
      expect(preview.resources.single(TYPE.route).inputs.destinationCidrBlock).to.equal("10.250.0.0/24");
    });
  });
});
