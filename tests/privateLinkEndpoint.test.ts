import { expect } from "chai";
import { PrivateLinkEndpoint, type PrivateLinkEndpointArgs } from "../components/PrivateLinkEndpoint";
import { type RegisteredResource, type ResourceList, resolve, runProgram } from "./harness";
import { onlyProblem, problemAt, refusedBy } from "./refusals";

const TYPE = {
  component: "hybridnet:index:PrivateLinkEndpoint",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
} as const;

const WHERE = 'hybridnet:index:PrivateLinkEndpoint "payments"';
const SERVICE = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";

function endpointArgs(overrides: Partial<PrivateLinkEndpointArgs> = {}): PrivateLinkEndpointArgs {
  return {
    vpcId: "vpc-0c0c0c0c0c0c0c0c0",
    serviceName: SERVICE,
    subnets: [
      { availabilityZone: "us-east-1a", subnetId: "subnet-0a0a0a0a0a0a0a0a0", cidr: "10.0.1.0/24" },
      { availabilityZone: "us-east-1b", subnetId: "subnet-0b0b0b0b0b0b0b0b0", cidr: "10.0.2.0/24" },
    ],
    ports: [443],
    allowedCidrs: ["10.0.0.0/16"],
    ...overrides,
  };
}

async function build(args: PrivateLinkEndpointArgs) {
  const run = await runProgram(() => new PrivateLinkEndpoint("payments", args));
  if (run.error) expect.fail(`PrivateLinkEndpoint refused valid arguments: ${run.error.message}`);
  return { resources: run.resources, endpoint: run.result as PrivateLinkEndpoint };
}

const refused = (args: PrivateLinkEndpointArgs) =>
  refusedBy(() => new PrivateLinkEndpoint("payments", args), WHERE);

function one(resources: ResourceList, type: string): RegisteredResource {
  const found = resources.ofType(type);
  expect(found, type).to.have.length(1);
  return found[0];
}

describe("PrivateLinkEndpoint", () => {
  describe("resources", () => {
    it("registers an interface endpoint to the service in both zones with its own security group, under the component", async () => {
      const { resources } = await build(endpointArgs());
      const component = one(resources, TYPE.component);
      for (const r of resources.all.filter((r) => r.type !== TYPE.component))
        expect(r.parent, `${r.type} ${r.name}`).to.equal(component.urn);
      const endpoint = one(resources, TYPE.endpoint);
      expect(endpoint.name).to.equal("payments-endpoint");
      expect(endpoint.inputs).to.deep.include({
        vpcId: "vpc-0c0c0c0c0c0c0c0c0",
        serviceName: SERVICE,
        vpcEndpointType: "Interface",
        subnetIds: ["subnet-0a0a0a0a0a0a0a0a0", "subnet-0b0b0b0b0b0b0b0b0"],
        privateDnsEnabled: false,
        ipAddressType: "ipv4",
        dnsOptions: { dnsRecordIpType: "ipv4" },
      });
      expect(endpoint.inputs.serviceRegion).to.equal(undefined);
      expect(endpoint.inputs.subnetConfigurations).to.equal(undefined);
      const sg = one(resources, TYPE.sg);
      expect(sg.inputs.vpcId).to.equal("vpc-0c0c0c0c0c0c0c0c0");
      expect(endpoint.inputs.securityGroupIds).to.have.length(1);
    });

    it("admits only the declared networks and security groups, on the service's ports only, and sends nothing", async () => {
      const { resources, endpoint } = await build(
        endpointArgs({
          ports: [8443, 443],
          allowedCidrs: ["10.0.0.0/16", "192.168.0.0/16"],
          allowedSecurityGroupIds: { app: "sg-0123456789abcdef0" },
        }),
      );
      const sgId = (await resolve(endpoint.securityGroupId)).value;
      const ingress = resources
        .ofType(TYPE.ingress)
        .map(
          (r) =>
            `${r.name} ${r.inputs.ipProtocol} ${r.inputs.fromPort}-${r.inputs.toPort} ${r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId} on ${r.inputs.securityGroupId}`,
        )
        .sort();
      expect(ingress).to.deep.equal([
        `payments-in-tcp-443-443-10-0-0-0-16 tcp 443-443 10.0.0.0/16 on ${sgId}`,
        `payments-in-tcp-443-443-192-168-0-0-16 tcp 443-443 192.168.0.0/16 on ${sgId}`,
        `payments-in-tcp-443-443-app tcp 443-443 sg-0123456789abcdef0 on ${sgId}`,
        `payments-in-tcp-8443-8443-10-0-0-0-16 tcp 8443-8443 10.0.0.0/16 on ${sgId}`,
        `payments-in-tcp-8443-8443-192-168-0-0-16 tcp 8443-8443 192.168.0.0/16 on ${sgId}`,
        `payments-in-tcp-8443-8443-app tcp 8443-8443 sg-0123456789abcdef0 on ${sgId}`,
      ]);
      expect(resources.ofType(TYPE.egress)).to.have.length(0);
    });

    it("admits udpPorts over udp (UDP endpoint services), alone or beside TCP ports", async () => {
      const { resources, endpoint } = await build(
        endpointArgs({
          ports: [53],
          udpPorts: [53, 514],
          allowedCidrs: ["10.0.0.0/16"],
          allowedSecurityGroupIds: { app: "sg-0123456789abcdef0" },
        }),
      );
      const sgId = (await resolve(endpoint.securityGroupId)).value;
      const ingress = resources
        .ofType(TYPE.ingress)
        .map(
          (r) =>
            `${r.name} ${r.inputs.ipProtocol} ${r.inputs.fromPort}-${r.inputs.toPort} ${r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId} on ${r.inputs.securityGroupId}`,
        )
        .sort();
      expect(ingress).to.deep.equal([
        `payments-in-tcp-53-53-10-0-0-0-16 tcp 53-53 10.0.0.0/16 on ${sgId}`,
        `payments-in-tcp-53-53-app tcp 53-53 sg-0123456789abcdef0 on ${sgId}`,
        `payments-in-udp-514-514-10-0-0-0-16 udp 514-514 10.0.0.0/16 on ${sgId}`,
        `payments-in-udp-514-514-app udp 514-514 sg-0123456789abcdef0 on ${sgId}`,
        `payments-in-udp-53-53-10-0-0-0-16 udp 53-53 10.0.0.0/16 on ${sgId}`,
        `payments-in-udp-53-53-app udp 53-53 sg-0123456789abcdef0 on ${sgId}`,
      ]);
      const udpOnly = await build(endpointArgs({ ports: undefined, udpPorts: [53] }));
      expect(udpOnly.resources.ofType(TYPE.ingress).map((r) => r.inputs.ipProtocol)).to.deep.equal(["udp"]);
    });

    it("turns on private DNS, a cross-Region service region and fixed addresses when asked", async () => {
      const { resources, endpoint } = await build(
        endpointArgs({
          serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
          serviceRegion: "eu-west-1",
          privateDns: true,
          subnets: [
            {
              availabilityZone: "us-east-1a",
              subnetId: "subnet-0a0a0a0a0a0a0a0a0",
              cidr: "10.0.1.0/24",
              ipv4Address: "10.0.1.10",
            },
            {
              availabilityZone: "us-east-1b",
              subnetId: "subnet-0b0b0b0b0b0b0b0b0",
              cidr: "10.0.2.0/24",
              ipv4Address: "10.0.2.10",
            },
          ],
        }),
      );
      expect(one(resources, TYPE.endpoint).inputs).to.deep.include({
        privateDnsEnabled: true,
        serviceRegion: "eu-west-1",
        subnetConfigurations: [
          { subnetId: "subnet-0a0a0a0a0a0a0a0a0", ipv4: "10.0.1.10" },
          { subnetId: "subnet-0b0b0b0b0b0b0b0b0", ipv4: "10.0.2.10" },
        ],
      });
      expect((await resolve(endpoint.addresses)).value).to.deep.equal({
        "us-east-1a": "10.0.1.10",
        "us-east-1b": "10.0.2.10",
      });
      const [regional] = (await resolve(endpoint.dnsNames)).value;
      expect(regional).to.match(/\.vpce-svc-0123456789abcdef0\.eu-west-1\.vpce\.amazonaws\.com$/);
    });
  });

  describe("outputs", () => {
    it("outputs the endpoint id for the provider to accept, its DNS names and its address in each zone", async () => {
      const { endpoint } = await build(endpointArgs());
      const id = (await resolve(endpoint.endpointId)).value;
      expect(id).to.match(/^vpce-[0-9a-f]{17}$/);
      expect((await resolve(endpoint.state)).value).to.equal("pendingAcceptance");
      const names = (await resolve(endpoint.dnsNames)).value;
      expect(names).to.have.length(3);
      for (const name of names)
        expect(name).to.match(
          new RegExp(
            `^${id}-[0-9a-f]{8}(-us-east-1[a-z])?\\.vpce-svc-0123456789abcdef0\\.us-east-1\\.vpce\\.amazonaws\\.com$`,
          ),
        );
      const entries = (await resolve(endpoint.dnsEntries)).value;
      expect(entries.map((e) => e.dnsName)).to.deep.equal(names);
      expect(entries.every((e) => /^Z[A-Z0-9]+$/.test(e.hostedZoneId))).to.equal(true);
      const addresses = (await resolve(endpoint.addresses)).value;
      expect(Object.keys(addresses)).to.deep.equal(["us-east-1a", "us-east-1b"]);
      for (const address of Object.values(addresses)) expect(address).to.match(/^\d+\.\d+\.\d+\.\d+$/);
      expect((await resolve(endpoint.networkInterfaceIds)).value).to.have.length(2);
    });
  });

  describe("bad input", () => {
    it("refuses subnets in one Availability Zone", async () => {
      const single = await refused(
        endpointArgs({ subnets: [{ availabilityZone: "us-east-1a", subnetId: "subnet-0a0a0a0a0a0a0a0a0" }] }),
      );
      onlyProblem(
        single,
        "subnets",
        ["us-east-1a"],
        "an interface endpoint needs subnets in at least 2 zones",
      );
      const sameZone = await refused(
        endpointArgs({
          subnets: [
            { availabilityZone: "use1-az1", subnetId: "subnet-0a0a0a0a0a0a0a0a0" },
            { availabilityZone: "use1-az1", subnetId: "subnet-0b0b0b0b0b0b0b0b0" },
          ],
        }),
      );
      problemAt(sameZone, "subnets[1].availabilityZone", "use1-az1", "one subnet per Availability Zone");
      const none = await refused(endpointArgs({ subnets: [] }));
      onlyProblem(none, "subnets", [], "subnets in at least 2 Availability Zones");
    });

    it("refuses a service name that is not one, and a service region the name contradicts", async () => {
      const bad = await refused(endpointArgs({ serviceName: "vpce-svc-0123456789abcdef0" }));
      onlyProblem(bad, "serviceName", "vpce-svc-0123456789abcdef0", "com.amazonaws.vpce.<region>.vpce-svc-");
      const region = await refused(endpointArgs({ serviceRegion: "eu-west-1" }));
      onlyProblem(region, "serviceRegion", "eu-west-1", "the service name says its region is us-east-1");
      const notRegion = await refused(endpointArgs({ serviceRegion: "EU" }));
      onlyProblem(notRegion, "serviceRegion", "EU", "a region code");
      const remote = await refused(
        endpointArgs({ serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0" }),
      );
      onlyProblem(
        remote,
        "serviceRegion",
        undefined,
        "must name the service's region (cross-Region PrivateLink)",
      );
    });

    it("refuses no ports, ports out of range or listed twice", async () => {
      const none = await refused(endpointArgs({ ports: [] }));
      onlyProblem(none, "ports", [], "the service's TCP ports");
      const neither = await refused(endpointArgs({ ports: undefined, udpPorts: [] }));
      onlyProblem(neither, "ports", undefined, "or its UDP ports as udpPorts");
      const badUdp = await refused(endpointArgs({ udpPorts: [53, 53, 0] }));
      problemAt(badUdp, "udpPorts[1]", 53, "listed twice");
      problemAt(badUdp, "udpPorts[2]", 0, "a UDP port in 1–65535");
      const notList = await refused(endpointArgs({ udpPorts: 53 as unknown as number[] }));
      onlyProblem(notList, "udpPorts", 53, "a list of the service's UDP ports");
      const bad = await refused(endpointArgs({ ports: [443, 0, 443, 70000] }));
      problemAt(bad, "ports[1]", 0, "1–65535");
      problemAt(bad, "ports[2]", 443, "listed twice");
      problemAt(bad, "ports[3]", 70000, "1–65535");
    });

    it("refuses an endpoint open to nobody, or to every address", async () => {
      const nobody = await refused(endpointArgs({ allowedCidrs: undefined }));
      onlyProblem(nobody, "allowedCidrs", undefined, "allowedCidrs or allowedSecurityGroupIds");
      const everyone = await refused(endpointArgs({ allowedCidrs: ["0.0.0.0/0"] }));
      onlyProblem(everyone, "allowedCidrs[0]", "0.0.0.0/0", "admits every address");
      const badGroups = await refused(
        endpointArgs({ allowedSecurityGroupIds: { app: "app-sg", "two words": "sg-0123456789abcdef0" } }),
      );
      problemAt(badGroups, "allowedSecurityGroupIds.app", "app-sg", "a sg id");
      problemAt(badGroups, "allowedSecurityGroupIds.two words", "two words", "a key of 1–32 letters");
    });

    it("refuses a fixed address outside its subnet or reserved by AWS", async () => {
      const error = await refused(
        endpointArgs({
          subnets: [
            {
              availabilityZone: "us-east-1a",
              subnetId: "subnet-0a0a0a0a0a0a0a0a0",
              cidr: "10.0.1.0/24",
              ipv4Address: "10.0.2.10",
            },
            {
              availabilityZone: "us-east-1b",
              subnetId: "subnet-0b0b0b0b0b0b0b0b0",
              cidr: "10.0.2.0/24",
              ipv4Address: "10.0.2.3",
            },
            { availabilityZone: "us-east-1c", subnetId: "subnet-0c0c0c0c0c0c0c0c0", ipv4Address: "10.0.3" },
          ],
        }),
      );
      problemAt(error, "subnets[0].ipv4Address", "10.0.2.10", "not in the subnet's CIDR 10.0.1.0/24");
      problemAt(error, "subnets[1].ipv4Address", "10.0.2.3", "reserved by AWS");
      problemAt(error, "subnets[2].ipv4Address", "10.0.3", "an IPv4 address");
      expect(error.problems).to.have.length(3);
    });

    it("refuses a bad VPC id and a missing service name together", async () => {
      const error = await refused(endpointArgs({ vpcId: "main", serviceName: "" }));
      problemAt(error, "vpcId", "main", "a vpc id");
      problemAt(error, "serviceName", "", "the endpoint service's name");
      expect(error.problems).to.have.length(2);
    });
  });
});
