/**
 * Availability Zones across accounts: zone names map to physical zones differently in each account, and an
 * interface endpoint can only use zones its service's load balancer has, compared by zone id (AWS: "AZ IDs";
 * CreateVpcEndpoint fails with "does not support the Availability Zone of the subnet" otherwise). The mock model
 * maps names to ids per account as AWS does; the landing zone places every endpoint, in both directions, only in
 * zones (by id) its service offers.
 */
import { expect } from "chai";
import { MockModel, mockAvailabilityZones } from "../cli/mocks";
import { Problems, ValidationError } from "../model/errors";
import { type PrivateLinkEndpointSpec, planPrivateLinkEndpoint, subnetsInZones } from "../model/privateLink";
import { zoneIdPrefix, zoneIdProblem, zoneNamesById } from "../model/zones";
import { runEnvironment, type StackRun } from "./environment";
import type { RegisteredResource } from "./harness";

/** The account of the provider a resource was registered with. */
function accountOf(run: StackRun, r: RegisteredResource): string {
  const name = r.provider?.split("::").slice(-2)[0];
  const provider = run.resources.ofType("pulumi:providers:aws").find((p) => p.name === name);
  if (!provider) return expect.fail(`no provider ${name} for ${r.name}`);
  return (JSON.parse(String(provider.inputs.assumeRoles)) as { roleArn: string }[])[0].roleArn.split(":")[4];
}

/**
 * The zone ids of the subnets `subnetIds` of a stack's awsx VPC, in the VPC's account: subnet id → CIDR from
 * the stack's `subnets` output, CIDR → the zone name awsx was given, name → id as that account maps it.
 * `user` is the load balancer or endpoint placed in them.
 */
function zoneIdsOf(run: StackRun, user: RegisteredResource): string[] {
  const subnetIds = (user.inputs.subnetIds ?? user.inputs.subnets) as string[];
  const vpc = run.resources.ofType("awsx:ec2:Vpc")[0];
  const names = vpc.inputs.availabilityZoneNames as string[];
  const specs = vpc.inputs.subnetSpecs as { cidrBlocks: string[] }[];
  const published = run.outputs.subnets as Record<string, Record<string, { id: string; cidr: string }>>;
  const cidrOf = new Map(
    Object.values(published).flatMap((tier) => Object.values(tier).map((s) => [s.id, s.cidr] as const)),
  );
  // awsx is a component (no provider of its own): the subnets are in the account of the resource using them.
  const zones = mockAvailabilityZones(accountOf(run, user), "us-east-1");
  return subnetIds.map((id) => {
    const cidr = cidrOf.get(id);
    const spec = specs.find((s) => s.cidrBlocks.includes(cidr ?? ""));
    const name = spec ? names[spec.cidrBlocks.indexOf(cidr ?? "")] : undefined;
    const zoneId = zones.find((z) => z.name === name)?.zoneId;
    if (!zoneId) return expect.fail(`subnet ${id} (${cidr}) of ${run.step.stack}: no zone`);
    return zoneId;
  });
}

/** The Network Load Balancer of the PrivateLinkService `name` (its security group has the same name). */
function nlbOf(run: StackRun, name: string): RegisteredResource {
  const found = run.resources
    .ofType("aws:lb/loadBalancer:LoadBalancer")
    .find((r) => r.name === `${name}-nlb`);
  if (!found) return expect.fail(`no load balancer ${name}-nlb in ${run.step.stack}`);
  return found;
}

function lastRun(runs: StackRun[], stack: string): StackRun {
  const found = runs.filter((r) => r.step.stack === stack).pop();
  if (!found) return expect.fail(`no run of ${stack}`);
  return found;
}

describe("Availability Zones across accounts", () => {
  describe("the mock model maps zone names to ids per account, as AWS does", () => {
    it("gives us-east-1a a different zone id in the dev network account and the dev payments account", () => {
      // Written out: the mock's rotation for these two accounts (a fixed, documented mapping of the mock).
      expect(mockAvailabilityZones("111122223333", "us-east-1").slice(0, 2)).to.deep.equal([
        { name: "us-east-1a", zoneId: "use1-az5" },
        { name: "us-east-1b", zoneId: "use1-az6" },
      ]);
      expect(mockAvailabilityZones("333344445555", "us-east-1").slice(0, 2)).to.deep.equal([
        { name: "us-east-1a", zoneId: "use1-az4" },
        { name: "us-east-1b", zoneId: "use1-az5" },
      ]);
    });
    it("lists every zone of the Region once, by name and by id", () => {
      const zones = mockAvailabilityZones("444455556666", "us-east-1");
      expect(zones.map((z) => z.name)).to.deep.equal([
        "us-east-1a",
        "us-east-1b",
        "us-east-1c",
        "us-east-1d",
        "us-east-1e",
        "us-east-1f",
      ]);
      expect(zones.map((z) => z.zoneId).sort()).to.deep.equal([
        "use1-az1",
        "use1-az2",
        "use1-az3",
        "use1-az4",
        "use1-az5",
        "use1-az6",
      ]);
      expect(
        mockAvailabilityZones("444455556666", "eu-west-1")
          .map((z) => z.zoneId)
          .sort(),
      ).to.deep.equal(["euw1-az1", "euw1-az2", "euw1-az3"]);
    });
  });

  for (const env of ["dev", "prod"])
    describe(`${env}: every interface endpoint sits only in zones (by id) its service's load balancer has`, () => {
      let runs: StackRun[];
      before(async function () {
        this.timeout(300_000);
        runs = (await runEnvironment(env)).runs;
      });

      it("the network account's endpoint to each workload service", () => {
        const connectivity = lastRun(runs, `connectivity-${env}`);
        const endpoints = connectivity.resources
          .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
          .filter((e) => e.name.startsWith("to-"));
        expect(endpoints).to.have.length(2);
        for (const endpoint of endpoints) {
          const key = endpoint.name.replace(/^to-/, "").replace(/-endpoint$/, "");
          const workload = lastRun(runs, `workload-${key}-${env}`);
          const nlb = nlbOf(workload, key);
          const offered = zoneIdsOf(workload, nlb);
          const used = zoneIdsOf(connectivity, endpoint);
          expect(used.length, endpoint.name).to.be.at.least(2);
          for (const zone of used) expect(offered, `${endpoint.name} in ${zone}`).to.include(zone);
        }
      });

      it("each workload's endpoint to the reverse (on-premises) service", () => {
        const connectivity = lastRun(runs, `connectivity-${env}`);
        const nlb = nlbOf(connectivity, "onprem");
        const offered = zoneIdsOf(connectivity, nlb);
        const workloads = runs.filter((r) => r.step.stack.startsWith("workload-") && r.step.pass === 2);
        expect(workloads).to.have.length(2);
        for (const workload of workloads) {
          const endpoint = workload.resources
            .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
            .find((e) => e.name.endsWith("-onprem-endpoint"));
          if (!endpoint) return expect.fail(`no reverse endpoint in ${workload.step.stack}`);
          const used = zoneIdsOf(workload, endpoint);
          expect(used.length, workload.step.stack).to.be.at.least(2);
          for (const zone of used) expect(offered, `${workload.step.stack} in ${zone}`).to.include(zone);
        }
      });
    });
});

describe("zone ids (model/zones)", () => {
  it("derives each Region's zone id prefix as AWS writes it", () => {
    // AWS "AWS Availability Zones": use1-az1 (us-east-1), euw1-az1 (eu-west-1); the AZ id tables list
    // apne1-az1 (ap-northeast-1), apse2-az1 (ap-southeast-2), euc1-az1 (eu-central-1), cac1-az1 (ca-central-1),
    // usw2-az1 (us-west-2), sae1-az1 (sa-east-1), usgw1-az1 (us-gov-west-1).
    const expected: Record<string, string> = {
      "us-east-1": "use1",
      "us-west-2": "usw2",
      "eu-west-1": "euw1",
      "eu-central-1": "euc1",
      "ap-northeast-1": "apne1",
      "ap-southeast-2": "apse2",
      "ca-central-1": "cac1",
      "sa-east-1": "sae1",
      "us-gov-west-1": "usgw1",
    };
    for (const [region, prefix] of Object.entries(expected))
      expect(zoneIdPrefix(region), region).to.equal(prefix);
  });

  it("takes a zone id of the Region, and refuses a name, another Region's id and a malformed id", () => {
    expect(zoneIdProblem("use1-az1", "us-east-1")).to.equal(undefined);
    expect(zoneIdProblem("apne1-az4", "ap-northeast-1")).to.equal(undefined);
    expect(zoneIdProblem("us-east-1a", "us-east-1")).to.match(/^an Availability Zone id such as "use1-az1"/);
    expect(zoneIdProblem("use1-az", "us-east-1")).to.match(/^an Availability Zone id/);
    expect(zoneIdProblem("usw2-az1", "us-east-1")).to.equal(
      "a zone id of us-east-1 (use1-az1, use1-az2, …): usw2-az1 is a zone of another Region",
    );
  });

  it("maps zone ids to the account's names, and names a zone id the account does not have", () => {
    const zones = { names: ["us-east-1a", "us-east-1b"], zoneIds: ["use1-az4", "use1-az6"] };
    const problems = new Problems();
    expect(
      zoneNamesById(
        problems,
        "hybridnet:vpc.availabilityZones",
        ["use1-az6", "use1-az4"],
        zones,
        "111122223333",
      ),
    ).to.deep.equal({
      "use1-az6": "us-east-1b",
      "use1-az4": "us-east-1a",
    });
    expect(problems.count).to.equal(0);
    zoneNamesById(
      problems,
      "hybridnet:vpc.availabilityZones",
      ["use1-az4", "use1-az3"],
      zones,
      "111122223333",
    );
    let error: ValidationError | undefined;
    try {
      problems.throwIfAny("workload-app-dev");
    } catch (e) {
      error = e as ValidationError;
    }
    expect(error?.problems.map((p) => [p.path, p.value, p.allowed])).to.deep.equal([
      [
        "hybridnet:vpc.availabilityZones[1]",
        "use1-az3",
        "a zone id account 111122223333 has: use1-az4, use1-az6",
      ],
    ]);
  });
});

describe("an interface endpoint only in zones its service has (planPrivateLinkEndpoint serviceZoneIds)", () => {
  const WHERE = 'hybridnet:index:PrivateLinkEndpoint "to-pay"';
  const spec = (
    zones: string[],
    overrides: Partial<PrivateLinkEndpointSpec> = {},
  ): PrivateLinkEndpointSpec => ({
    vpcId: "vpc-0123456789abcdef0",
    serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
    subnets: zones.map((z, i) => ({ availabilityZone: z, subnetId: `subnet-0${String(i).repeat(16)}` })),
    ports: [443],
    allowedCidrs: ["10.0.0.0/16"],
    serviceZoneIds: ["use1-az1", "use1-az2", "use1-az4"],
    ...overrides,
  });
  const refusal = (s: PrivateLinkEndpointSpec) => {
    try {
      planPrivateLinkEndpoint(WHERE, s);
    } catch (e) {
      if (e instanceof ValidationError) return e;
      throw e;
    }
    return expect.fail("expected a ValidationError");
  };

  it("plans subnets in zones the service has", () => {
    const plan = planPrivateLinkEndpoint(WHERE, spec(["use1-az4", "use1-az1"]));
    expect(plan.subnets.map((s) => s.availabilityZone)).to.deep.equal(["use1-az4", "use1-az1"]);
  });

  it("refuses a subnet in a zone the service does not have, naming the zones it has", () => {
    const error = refusal(spec(["use1-az1", "use1-az6"]));
    expect(error.problems.map((p) => [p.path, p.value, p.allowed])).to.deep.equal([
      [
        "subnets[1].availabilityZone",
        "use1-az6",
        "a zone the service's load balancer has (use1-az1, use1-az2, use1-az4); AWS refuses an endpoint subnet in a zone the service does not support",
      ],
    ]);
  });

  it("refuses a subnet given by zone name, which cannot be compared across accounts", () => {
    const error = refusal(spec(["us-east-1a", "use1-az2"]));
    expect(error.problems.map((p) => [p.path, p.value])).to.deep.equal([
      ["subnets[0].availabilityZone", "us-east-1a"],
    ]);
    expect(error.problems[0].allowed).to.match(
      /^a zone id \(e\.g\. use1-az1\): .*zone names differ per account$/,
    );
  });

  it("refuses malformed service zone ids, and service zones with a cross-Region endpoint", () => {
    expect(
      refusal(spec(["use1-az1", "use1-az2"], { serviceZoneIds: ["use1-az1", "us-east-1b"] })).problems.map(
        (p) => p.path,
      ),
    ).to.deep.equal(["serviceZoneIds[1]"]);
    const cross = refusal(spec(["usw2-az1", "usw2-az2"], { serviceRegion: "us-east-1" }));
    expect(cross.problems.map((p) => p.path)).to.deep.equal(["serviceZoneIds"]);
  });

  it("picks the subnets of a VPC in the zones the service has (subnetsInZones)", () => {
    const subnets = ["use1-az1", "use1-az2", "use1-az6"].map((z) => ({ availabilityZone: z, subnetId: z }));
    expect(subnetsInZones(subnets, ["use1-az6", "use1-az1"]).map((s) => s.availabilityZone)).to.deep.equal([
      "use1-az1",
      "use1-az6",
    ]);
  });
});

describe("the mock model refuses an endpoint subnet in a zone its service lacks, as CreateVpcEndpoint does", () => {
  const model = new MockModel();
  /** An assume-role provider of `account` in us-east-1, as the runtime hands it over. */
  const provider = (name: string, account: string) => {
    const { id } = model.newResource({
      type: "pulumi:providers:aws",
      name,
      inputs: { region: "us-east-1", assumeRoles: [{ roleArn: `arn:aws:iam::${account}:role/deploy` }] },
      custom: true,
    });
    return `urn:pulumi:test::hybridnet::pulumi:providers:aws::${name}::${id}`;
  };
  const create = (type: string, name: string, inputs: Record<string, unknown>, ref: string) =>
    model.newResource({ type, name, inputs, custom: true, provider: ref });
  const vpc = (name: string, ref: string, zones: string[], base: number) =>
    create(
      "awsx:ec2:Vpc",
      name,
      {
        availabilityZoneNames: zones,
        subnetSpecs: [
          { type: "Private", name: "private", cidrBlocks: zones.map((_, i) => `10.${base}.${i}.0/24`) },
        ],
      },
      ref,
    ).state.privateSubnetIds as string[];

  // The provider's account 111122223333 maps us-east-1a/b to use1-az5/az6; the consumer's 333344445555 maps
  // us-east-1a/b/c to use1-az4/az5/az6 (the rotations written out in the first test above).
  const providerAccount = provider("service", "111122223333");
  const consumerAccount = provider("consumer", "333344445555");
  const serviceSubnets = vpc("service-vpc", providerAccount, ["us-east-1a", "us-east-1b"], 0);
  const consumerSubnets = vpc("consumer-vpc", consumerAccount, ["us-east-1a", "us-east-1b", "us-east-1c"], 1);
  const lb = create(
    "aws:lb/loadBalancer:LoadBalancer",
    "pay-nlb",
    { name: "pay-nlb", loadBalancerType: "network", internal: true, subnets: serviceSubnets },
    providerAccount,
  );
  const service = create(
    "aws:ec2/vpcEndpointService:VpcEndpointService",
    "pay",
    { acceptanceRequired: true, networkLoadBalancerArns: [lb.id] },
    providerAccount,
  );
  const endpoint = (name: string, subnetIds: string[]) =>
    create(
      "aws:ec2/vpcEndpoint:VpcEndpoint",
      name,
      { vpcEndpointType: "Interface", serviceName: service.state.serviceName, subnetIds },
      consumerAccount,
    );

  it("reports the service's zones by name in the provider's account", () => {
    expect(service.state.availabilityZones).to.deep.equal(["us-east-1a", "us-east-1b"]);
  });

  it("creates an endpoint whose subnets are in the service's zones by id, though not by name", () => {
    // The consumer's us-east-1b and us-east-1c are use1-az5 and use1-az6: the provider's us-east-1a and b.
    expect(endpoint("ok", consumerSubnets.slice(1)).state.state).to.equal("pendingAcceptance");
  });

  it("fails an endpoint with a subnet in a zone the service lacks, though its name is one the service has", () => {
    expect(() => endpoint("bad", consumerSubnets.slice(0, 2))).to.throw(
      `does not support the Availability Zone of the subnet: ${consumerSubnets[0]} (us-east-1a, use1-az4; the service is in use1-az5, use1-az6)`,
    );
  });
});
