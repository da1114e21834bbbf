import { expect } from "chai";
import { ValidationError } from "../model/errors";
import {
  endpointPolicyProblem,
  FULL_ACCESS_POLICY,
  gatewayServiceName,
  MAX_ENDPOINT_POLICY_CHARACTERS,
  planGatewayEndpoints,
  restrictedPolicy,
} from "../model/gatewayEndpoints";
import { accountIdProblem, ec2IdProblem, organizationIdProblem, regionProblem } from "../model/identifiers";
import {
  cidrNamePart,
  NOT_TRANSITIVE,
  planTransitGatewayPeering,
  planVpcPeering,
  type TransitGatewayPeeringSpec,
  type VpcPeeringSpec,
} from "../model/peering";

const WHERE = 'hybridnet:index:VpcPeering "test"';

function vpcSpec(): VpcPeeringSpec {
  return {
    requester: {
      vpcId: "vpc-0a000000000000001",
      cidrs: ["10.0.0.0/16"],
      routeTables: { a: "rtb-0a000000000000001" },
    },
    accepter: {
      vpcId: "vpc-0b000000000000001",
      cidrs: ["10.1.0.0/16"],
      routeTables: { b: "rtb-0b000000000000001" },
    },
  };
}

function tgwSpec(): TransitGatewayPeeringSpec {
  return {
    local: {
      transitGatewayId: "tgw-0a000000000000001",
      region: "us-east-1",
      cidrs: ["10.0.0.0/12"],
      associationRouteTableId: "tgw-rtb-0a000000000000001",
      routeTables: { main: "tgw-rtb-0a000000000000001" },
    },
    peer: {
      transitGatewayId: "tgw-0b000000000000001",
      region: "us-east-1",
      cidrs: ["10.32.0.0/12"],
      associationRouteTableId: "tgw-rtb-0b000000000000001",
      routeTables: { main: "tgw-rtb-0b000000000000001" },
    },
  };
}

/** The ValidationError `plan` throws; fails the test when it returns. */
function refused(plan: () => unknown): ValidationError {
  try {
    plan();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  return expect.fail("the plan was accepted");
}

/** `count` adjacent /24s from `first` (a 10.x.y.0 third and second octet walk). */
function blocks(secondOctet: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `10.${secondOctet + Math.floor(i / 256)}.${i % 256}.0/24`);
}

describe("peering model", () => {
  describe("identifiers", () => {
    it("accepts 12-digit account ids as strings, leading zeros included, and nothing else", () => {
      expect(accountIdProblem("012345678901")).to.equal(undefined);
      for (const bad of ["12345678901", "1234567890123", "1234-5678-9012", 123456789012, "", undefined])
        expect(accountIdProblem(bad), String(bad)).to.contain("12 digits");
    });

    it("accepts region codes of every partition and refuses other spellings", () => {
      for (const good of [
        "us-east-1",
        "eu-central-2",
        "ap-southeast-4",
        "us-gov-west-1",
        "cn-northwest-1",
        "us-iso-east-1",
        "eusc-de-east-1",
      ])
        expect(regionProblem(good), good).to.equal(undefined);
      for (const bad of ["us-east", "useast1", "US-EAST-1", "us_east_1", "us-east-1a", " us-east-1", 1])
        expect(regionProblem(bad), String(bad)).to.contain("region code");
    });

    it("checks plain EC2 ids by prefix and leaves Outputs to deployment", () => {
      expect(ec2IdProblem("vpc", "vpc-0a1b2c3d")).to.equal(undefined);
      expect(ec2IdProblem("vpc", "vpc-0a1b2c3d4e5f60718")).to.equal(undefined);
      expect(ec2IdProblem("vpc", "vpc-0A1B2C3D")).to.contain("hexadecimal");
      expect(ec2IdProblem("rtb", "tgw-rtb-0a1b2c3d")).to.contain("rtb id");
      expect(ec2IdProblem("tgw-rtb", "tgw-rtb-0a1b2c3d")).to.equal(undefined);
      expect(ec2IdProblem("vpc", { some: "output" })).to.equal(undefined);
    });

    it("accepts organization ids of o- and 10 to 32 characters", () => {
      expect(organizationIdProblem("o-a1b2c3d4e5")).to.equal(undefined);
      expect(organizationIdProblem(`o-${"a".repeat(32)}`)).to.equal(undefined);
      for (const bad of ["o-a1b2c3d4e", `o-${"a".repeat(33)}`, "o-A1B2C3D4E5", "r-a1b2c3d4e5"])
        expect(organizationIdProblem(bad), bad).to.contain('"o-"');
    });
  });

  describe("planVpcPeering", () => {
    const placements: [string, { accountId?: string; region?: string }, Record<string, unknown>][] = [
      ["same account and region", {}, { autoAccept: true, crossAccount: false, crossRegion: false }],
      ["another account", { accountId: "222233334444" }, { autoAccept: false, peerOwnerId: "222233334444" }],
      ["another region", { region: "eu-west-1" }, { autoAccept: false, peerRegion: "eu-west-1" }],
      [
        "another account and region",
        { accountId: "222233334444", region: "eu-west-1" },
        { autoAccept: false, peerOwnerId: "222233334444", peerRegion: "eu-west-1" },
      ],
      [
        "the requester's own account and region, stated",
        { accountId: "111122223333", region: "us-east-1" },
        { autoAccept: true, crossAccount: false, crossRegion: false },
      ],
    ];
    for (const [title, place, expected] of placements)
      it(`auto-accepts only within one account and region: ${title}`, () => {
        const spec = vpcSpec();
        spec.requester = { ...spec.requester, accountId: "111122223333", region: "us-east-1" };
        spec.accepter = {
          ...spec.accepter,
          ...place,
          access: { roleArn: `arn:aws:iam::${place.accountId ?? "111122223333"}:role/peering` },
        };
        const plan = planVpcPeering(WHERE, spec);
        expect(plan).to.include(expected);
        if (!("peerOwnerId" in expected)) expect(plan).not.to.have.property("peerOwnerId");
        if (!("peerRegion" in expected)) expect(plan).not.to.have.property("peerRegion");
      });

    it("plans a route for every table of one side to every CIDR of the other", () => {
      const spec = vpcSpec();
      spec.requester.routeTables = {
        a: "rtb-0a000000000000001",
        b: "rtb-0a000000000000002",
        c: "rtb-0a000000000000003",
      };
      spec.accepter.cidrs = ["10.1.0.0/16", "10.2.0.0/16"];
      const plan = planVpcPeering(WHERE, spec);
      expect(plan.routes.filter((r) => r.side === "requester")).to.have.length(6);
      expect(plan.routes.filter((r) => r.side === "accepter").map((r) => r.id)).to.deep.equal([
        "accepter:b:10.0.0.0/16",
      ]);
      expect(plan.dnsResolution).to.equal(true);
    });

    it("accepts a destination inside a peer CIDR and refuses one beyond it as not transitive", () => {
      const spec = vpcSpec();
      spec.requester.destinations = ["10.1.255.0/24"];
      expect(
        planVpcPeering(WHERE, spec)
          .routes.filter((r) => r.side === "requester")
          .map((r) => r.destination),
      ).to.deep.equal(["10.1.255.0/24"]);
      spec.requester.destinations = ["10.0.0.0/15"];
      const error = refused(() => planVpcPeering(WHERE, spec));
      expect(error.message).to.contain(NOT_TRANSITIVE);
      expect(error.message).to.contain("traffic to 10.0.0.0/15 does not go through the accepter");
    });

    it("finds the one overlapping pair among 2,000 networks and names both", () => {
      const spec = vpcSpec();
      spec.requester.cidrs = blocks(0, 1000).map((c) => c.replace(/\/24$/, "/28"));
      spec.accepter.cidrs = [...blocks(100, 999).map((c) => c.replace(/\/24$/, "/28")), "10.3.231.0/24"];
      const started = Date.now();
      const error = refused(() => planVpcPeering(WHERE, spec));
      expect(Date.now() - started).to.be.below(2000);
      expect(error.problems).to.have.length(1);
      expect(error.problems[0].path).to.equal("accepter.cidrs[999]");
      expect(error.problems[0].allowed).to.contain("(requester.cidrs[999])");
    });

    it("plans thousands of routes for many tables and networks without a problem", () => {
      const spec = vpcSpec();
      spec.requester.routeTables = Object.fromEntries(
        Array.from({ length: 20 }, (_, i) => [`t${i}`, `rtb-0a0000000000000${String(i).padStart(2, "0")}`]),
      );
      spec.accepter.cidrs = blocks(100, 100).map((c) => c.replace(/\/24$/, "/28"));
      const plan = planVpcPeering(WHERE, spec);
      expect(plan.routes.filter((r) => r.side === "requester")).to.have.length(2000);
      expect(new Set(plan.routes.map((r) => r.key)).size).to.equal(plan.routes.length);
    });

    it("refuses a missing side without throwing anything but a ValidationError", () => {
      const error = refused(() =>
        planVpcPeering(WHERE, { requester: vpcSpec().requester } as VpcPeeringSpec),
      );
      expect(error.problems.map((p) => p.path)).to.include.members([
        "accepter",
        "accepter.vpcId",
        "accepter.cidrs",
      ]);
    });

    it("writes CIDRs into resource names with only letters, digits and '-'", () => {
      expect(cidrNamePart("10.1.0.0/16")).to.equal("10-1-0-0-16");
      expect(cidrNamePart("2600:1f18::/56")).to.equal("2600-1f18---56");
    });
  });

  describe("planTransitGatewayPeering", () => {
    it("allows intra-region peering and names no peer account in one account", () => {
      const plan = planTransitGatewayPeering(WHERE, tgwSpec());
      expect(plan).to.include({ crossAccount: false, crossRegion: false, peerRegion: "us-east-1" });
      expect(plan).not.to.have.property("peerAccountId");
      expect(plan.routes.map((r) => r.id)).to.deep.equal([
        "local:main:10.32.0.0/12",
        "peer:main:10.0.0.0/12",
      ]);
    });

    it("names the peer account only when it differs from the local one", () => {
      const spec = tgwSpec();
      spec.local.accountId = "111122223333";
      spec.peer.accountId = "111122223333";
      expect(planTransitGatewayPeering(WHERE, spec)).not.to.have.property("peerAccountId");
      spec.peer.accountId = "222233334444";
      spec.peer.access = { roleArn: "arn:aws:iam::222233334444:role/peering" };
      expect(planTransitGatewayPeering(WHERE, spec).peerAccountId).to.equal("222233334444");
    });

    it("accepts equal ASNs on the two sides (AWS recommends, not requires, unique ones) and refuses a public one", () => {
      const spec = tgwSpec();
      spec.local.amazonSideAsn = 4200000001;
      spec.peer.amazonSideAsn = 4200000001;
      expect(() => planTransitGatewayPeering(WHERE, spec)).not.to.throw();
      spec.peer.amazonSideAsn = 16509;
      const error = refused(() => planTransitGatewayPeering(WHERE, spec));
      expect(error.problems.map((p) => p.path)).to.deep.equal(["peer.amazonSideAsn"]);
    });

    it("refuses adjacent-but-overlapping networks and accepts adjacent ones", () => {
      const spec = tgwSpec();
      spec.peer.cidrs = ["10.16.0.0/12"];
      expect(() => planTransitGatewayPeering(WHERE, spec)).not.to.throw();
      spec.peer.cidrs = ["10.15.255.0/24"];
      expect(refused(() => planTransitGatewayPeering(WHERE, spec)).problems[0].path).to.equal(
        "peer.cidrs[0]",
      );
    });
  });

  describe("gateway endpoints", () => {
    const base = {
      vpcId: "vpc-0a000000000000001",
      region: "ap-southeast-2",
      routeTableIds: { a: "rtb-0a000000000000001" },
    };

    it("names the services by region", () => {
      expect(gatewayServiceName("ap-southeast-2", "s3")).to.equal("com.amazonaws.ap-southeast-2.s3");
      const plan = planGatewayEndpoints(WHERE, base);
      expect(plan.endpoints.map((e) => [e.service, e.serviceName, e.policySource])).to.deep.equal([
        ["s3", "com.amazonaws.ap-southeast-2.s3", "full-access"],
        ["dynamodb", "com.amazonaws.ap-southeast-2.dynamodb", "full-access"],
      ]);
      expect(JSON.parse(plan.endpoints[0].policy!)).to.deep.equal(FULL_ACCESS_POLICY);
    });

    it("checks a policy's JSON, Statement, version and size", () => {
      expect(endpointPolicyProblem('{"Statement":{"Effect":"Allow"}}')).to.equal(undefined);
      expect(endpointPolicyProblem({ Version: "2012-10-17", Statement: [{}] })).to.equal(undefined);
      expect(endpointPolicyProblem("[]")).to.contain("JSON object");
      expect(endpointPolicyProblem("null")).to.contain("JSON object");
      expect(endpointPolicyProblem(42)).to.contain("policy document");
      expect(endpointPolicyProblem({ Statement: "Allow" })).to.contain("Statement");
      const padded = `{"Statement":[{}]${" ".repeat(MAX_ENDPOINT_POLICY_CHARACTERS)}}`;
      expect(endpointPolicyProblem(padded)).to.contain("at most 20480");
    });

    it("builds the narrower policy from an organization, accounts or both", () => {
      const org = JSON.parse(restrictedPolicy("s3", "o-a1b2c3d4e5"));
      expect(org.Version).to.equal("2012-10-17");
      expect(org.Statement.map((s: { Condition: unknown }) => s.Condition)).to.deep.equal([
        { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
      ]);
      const both = JSON.parse(restrictedPolicy("dynamodb", "o-a1b2c3d4e5", ["111122223333"]));
      expect(both.Statement).to.have.length(2);
      expect(both.Statement[1].Condition.StringEquals["aws:PrincipalAccount"]).to.deep.equal([
        "111122223333",
      ]);
      const plan = planGatewayEndpoints(WHERE, { ...base, allowedAccountIds: ["111122223333"] });
      expect(plan.endpoints.map((e) => e.policySource)).to.deep.equal(["restricted", "restricted"]);
    });

    it("takes a given policy as JSON text only, and one known only at deployment as is", () => {
      const text = JSON.stringify({
        Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
      });
      const deferred = { pending: true };
      const plan = planGatewayEndpoints(
        WHERE,
        { ...base, policy: text, policies: { s3: deferred } },
        (v) => v === deferred,
      );
      expect(plan.endpoints.map((e) => [e.service, e.policySource, e.policy])).to.deep.equal([
        ["s3", "given", undefined],
        ["dynamodb", "given", text],
      ]);
      const error = refused(() =>
        planGatewayEndpoints(WHERE, {
          ...base,
          policy: { Statement: [{}] },
          policies: { sqs: text } as Record<string, unknown>,
        }),
      );
      expect(error.problems.map((p) => [p.path, p.allowed])).to.deep.equal([
        [
          "policy",
          "JSON text, not an object: pass JSON.stringify(document), or the json of aws.iam.getPolicyDocumentOutput",
        ],
        ["policies.sqs", 'not a gateway service; use "s3" or "dynamodb"'],
      ]);
    });

    it("collects every problem in one error", () => {
      const error = refused(() =>
        planGatewayEndpoints(WHERE, { ...base, region: "mars-1", services: ["ec2"], routeTableIds: {} }),
      );
      expect(error.problems.map((p) => p.path)).to.deep.equal(["region", "services[0]", "routeTableIds"]);
    });
  });
});
