import { expect } from "chai";
import { Problems, ValidationError } from "../model/errors";
import {
  attachmentRouting,
  checkPrincipal,
  planTransitGatewayHub,
  planVpcAttachment,
  type ResolvedSegment,
  type SegmentSpec,
  type VpcAttachmentPlanInput,
} from "../model/transitGateway";

const WHERE = 'hybridnet:index:TransitGatewayHub "hub"';

/** The landing-zone policy: prod VPCs isolated from each other, everything reaches shared and on-premises. */
const LANDING_ZONE: Record<string, SegmentSpec> = {
  prod: { isolated: true, reaches: ["shared"] },
  nonprod: { reaches: ["shared"] },
  shared: {},
  onprem: { reaches: ["prod", "nonprod", "shared"] },
};

/** Resolves a policy that must be valid; fails the test with the problems otherwise. */
function resolved(segments: Record<string, SegmentSpec>): Record<string, ResolvedSegment> {
  try {
    return planTransitGatewayHub(WHERE, { segments }).segments;
  } catch (e) {
    return expect.fail(`policy refused: ${(e as Error).message}`);
  }
}

/** Plans a hub that must be refused; returns the error. */
function refusedHub(input: Parameters<typeof planTransitGatewayHub>[1]): ValidationError {
  try {
    planTransitGatewayHub(WHERE, input);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  return expect.fail("planTransitGatewayHub accepted invalid input");
}

/** The problem at `path`; fails the test when there is none. */
function at(error: ValidationError, path: string) {
  const problem = error.problems.find((p) => p.path === path);
  if (!problem) return expect.fail(`no problem at ${path}; got:\n${error.message}`);
  return problem;
}

const propagation = (segments: Record<string, ResolvedSegment>) =>
  Object.fromEntries(Object.entries(segments).map(([k, s]) => [k, s.propagatesTo]));

/** Deterministic pseudo-random numbers (mulberry32), so generated policies are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An EC2 id of the kind `prefix` with 17 hex digits, distinct per `n`. */
const ec2Id = (prefix: string, n: number) => `${prefix}-${n.toString(16).padStart(17, "0")}`;
/** A subnet in `availabilityZone`, with an id derived from its position. */
const subnet = (availabilityZone: string, n = 0) => ({ availabilityZone, subnetId: ec2Id("subnet", n) });
const TWO_AZS = [subnet("us-east-1a", 1), subnet("us-east-1b", 2)];
const HUB_SEGMENTS = {
  prod: { propagatesTo: ["onprem", "shared"] },
  shared: { propagatesTo: ["onprem", "prod", "shared"] },
  onprem: { propagatesTo: ["onprem", "prod", "shared"] },
};

function attachmentInput(overrides: Partial<VpcAttachmentPlanInput> = {}): VpcAttachmentPlanInput {
  return {
    vpcId: ec2Id("vpc", 1),
    transitGatewayId: ec2Id("tgw", 1),
    subnets: TWO_AZS,
    segment: "prod",
    segments: HUB_SEGMENTS,
    ...overrides,
  };
}

function refusedAttachment(input: VpcAttachmentPlanInput): ValidationError {
  try {
    planVpcAttachment('hybridnet:index:VpcAttachment "app"', input);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  return expect.fail("planVpcAttachment accepted invalid input");
}

describe("transit gateway model", () => {
  describe("segment policy", () => {
    it("resolves the landing-zone policy into the propagations each segment's attachments make", () => {
      expect(propagation(resolved(LANDING_ZONE))).to.deep.equal({
        nonprod: ["nonprod", "onprem", "shared"],
        onprem: ["nonprod", "onprem", "prod", "shared"],
        prod: ["onprem", "shared"],
        shared: ["nonprod", "onprem", "prod", "shared"],
      });
    });

    it("treats reaches as symmetric: one side, the other side or both give the same plan", () => {
      const oneSide = resolved({ a: { reaches: ["b"] }, b: {} });
      const otherSide = resolved({ a: {}, b: { reaches: ["a"] } });
      const bothSides = resolved({ a: { reaches: ["b"] }, b: { reaches: ["a"] } });
      expect(oneSide).to.deep.equal(otherSide).and.to.deep.equal(bothSides);
      expect(oneSide.b.reaches).to.deep.equal(["a"]);
      expect(oneSide.a.propagatesTo).to.deep.equal(["a", "b"]);
    });

    it("keeps an isolated segment's attachments out of its own table, and only there", () => {
      const plan = resolved({ prod: { isolated: true, reaches: ["shared"] }, shared: {} });
      expect(plan.prod.propagatesTo).to.deep.equal(["shared"]);
      expect(plan.shared.propagatesTo).to.deep.equal(["prod", "shared"]);
      const open = resolved({ prod: { reaches: ["shared"] }, shared: {} });
      expect(open.prod.propagatesTo).to.deep.equal(["prod", "shared"]);
    });

    it("propagates nowhere the policy does not say: unrelated segments stay apart", () => {
      const plan = resolved({ a: {}, b: {}, c: { isolated: true } });
      expect(propagation(plan)).to.deep.equal({ a: ["a"], b: ["b"], c: [] });
    });

    it("holds for generated policies: B is in A's propagations exactly when A = B not isolated, or A and B reach", () => {
      const next = random(7);
      for (let round = 0; round < 25; round++) {
        const keys = Array.from({ length: 2 + Math.floor(next() * 18) }, (_, i) => `s${i}`);
        const policy: Record<string, SegmentSpec> = {};
        for (const k of keys)
          policy[k] = {
            isolated: next() < 0.3,
            reaches: keys.filter((o) => o !== k && next() < 0.2),
          };
        const plan = resolved(policy);
        for (const a of keys)
          for (const b of keys) {
            const expected =
              a === b
                ? !policy[a].isolated
                : (policy[a].reaches ?? []).includes(b) || (policy[b].reaches ?? []).includes(a);
            expect(plan[a].propagatesTo.includes(b), `${a} → ${b} in round ${round}`).to.equal(expected);
          }
      }
    });

    it("refuses a policy naming an unknown segment, and names the segments there are", () => {
      const error = refusedHub({ segments: { prod: { reaches: ["shard"] }, shared: {} } });
      const problem = at(error, "segments.prod.reaches[0]");
      expect(problem.value).to.equal("shard");
      expect(problem.allowed).to.equal('not a segment of this policy; use one of "prod", "shared"');
    });

    it("refuses a segment reaching itself", () => {
      const error = refusedHub({ segments: { prod: { reaches: ["prod"] } } });
      expect(at(error, "segments.prod.reaches[0]").allowed).to.match(/cannot reach itself/);
    });

    it("refuses a segment listed twice in reaches, a non-boolean isolated and an empty policy", () => {
      const error = refusedHub({
        segments: { a: { reaches: ["b", "b"], isolated: "yes" as unknown as boolean }, b: {} },
      });
      expect(at(error, "segments.a.reaches[1]").allowed).to.match(/listed twice/);
      expect(at(error, "segments.a.isolated").value).to.equal("yes");
      expect(at(refusedHub({ segments: {} }), "segments").allowed).to.match(/at least one segment/);
    });

    it("refuses segment keys that cannot name a route table", () => {
      const error = refusedHub({ segments: { "prod vpcs": {}, shared: {} } });
      expect(at(error, "segments.prod vpcs").allowed).to.match(/1–32 letters, digits or '-'/);
    });

    it("canonicalizes blackhole CIDRs and refuses bad or repeated ones", () => {
      const plan = resolved({ a: { blackholes: ["10.99.0.0/16", "FD00::/8"] } });
      expect(plan.a.blackholes).to.deep.equal(["10.99.0.0/16", "fd00::/8"]);
      const error = refusedHub({
        segments: { a: { blackholes: ["10.99.0.1/16", "10.1.0.0/16", "10.1.0.0/16"] } },
      });
      expect(at(error, "segments.a.blackholes[0]").allowed).to.equal(
        "host bits are set; the network is 10.99.0.0/16",
      );
      expect(at(error, "segments.a.blackholes[2]").allowed).to.match(/listed twice/);
    });

    it("refuses more blackholes than the 10,000 static routes a transit gateway holds", () => {
      const cidrs = (from: number, count: number) =>
        Array.from({ length: count }, (_, i) => `10.${(from + i) >> 8}.${(from + i) & 255}.0/24`);
      expect(
        Object.keys(resolved({ a: { blackholes: cidrs(0, 5000) }, b: { blackholes: cidrs(5000, 5000) } })),
      ).to.have.length(2);
      const error = refusedHub({
        segments: { a: { blackholes: cidrs(0, 5000) }, b: { blackholes: cidrs(5000, 5001) } },
      });
      expect(at(error, "segments").allowed).to.match(/at most 10000 static routes per transit gateway/);
    });

    it("reports every problem of a policy in one error", () => {
      const error = refusedHub({
        amazonSideAsn: 7224,
        segments: { prod: { reaches: ["nope", "prod"], blackholes: ["x"] } },
        principals: ["12345"],
      });
      expect(error.problems.map((p) => p.path)).to.have.members([
        "amazonSideAsn",
        "segments.prod.reaches[0]",
        "segments.prod.reaches[1]",
        "segments.prod.blackholes[0]",
        "principals[0]",
      ]);
      expect(error.message).to.match(/^hybridnet:index:TransitGatewayHub "hub": 5 invalid arguments\n/);
    });
  });

  describe("hub limits", () => {
    it("defaults the Amazon side ASN to 64512 and refuses a public one", () => {
      expect(planTransitGatewayHub(WHERE, { segments: { a: {} } }).amazonSideAsn).to.equal(64512);
      expect(
        planTransitGatewayHub(WHERE, { segments: { a: {} }, amazonSideAsn: 4200000000 }).amazonSideAsn,
      ).to.equal(4200000000);
      expect(at(refusedHub({ segments: { a: {} }, amazonSideAsn: 65535 }), "amazonSideAsn").allowed).to.match(
        /private ASN: 64512–65534 or 4200000000–4294967294/,
      );
    });

    it("allows 20 route tables by default and more only with a raised quota", () => {
      const segments = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, {}]));
      expect(Object.keys(planTransitGatewayHub(WHERE, { segments: segments(20) }).segments)).to.have.length(
        20,
      );
      const error = refusedHub({ segments: segments(21) });
      expect(at(error, "segments").allowed).to.match(/at most 20 route tables/);
      expect(
        planTransitGatewayHub(WHERE, { segments: segments(21), routeTableQuota: 25 }).segments,
      ).to.have.property("s20");
    });

    it("accepts account, organization and OU principals and keys them by their ids", () => {
      expect(checkPrincipal("444455556666")).to.deep.equal({
        key: "444455556666",
        principal: "444455556666",
        kind: "account",
      });
      expect(checkPrincipal("arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5")).to.include({
        key: "o-a1b2c3d4e5",
        kind: "organization",
      });
      expect(
        checkPrincipal("arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12-cdef3456"),
      ).to.include({ key: "ou-ab12-cdef3456", kind: "organizationalUnit" });
      const plan = planTransitGatewayHub(WHERE, {
        segments: { a: {} },
        principals: ["555566667777", "arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5"],
      });
      expect(plan.principals.map((p) => p.key)).to.deep.equal(["555566667777", "o-a1b2c3d4e5"]);
    });

    it("refuses principals RAM cannot share a transit gateway with", () => {
      for (const bad of [
        "44445555666",
        "4444555566667",
        "arn:aws:iam::444455556666:root",
        "arn:aws:organizations::111122223333:organization/a1b2c3d4e5",
        "arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/r-ab12",
        "o-a1b2c3d4e5",
        "",
      ])
        expect(checkPrincipal(bad), bad)
          .to.have.property("problem")
          .that.matches(/12-digit account id/);
      const error = refusedHub({ segments: { a: {} }, principals: ["444455556666", "444455556666"] });
      expect(at(error, "principals[1]").allowed).to.match(/listed twice/);
    });
  });

  describe("attachment routing", () => {
    it("associates with the segment and propagates where the hub's policy says", () => {
      const problems = new Problems();
      expect(attachmentRouting(problems, "prod", HUB_SEGMENTS)).to.deep.equal({
        segment: "prod",
        propagatesTo: ["onprem", "shared"],
      });
      expect(problems.count).to.equal(0);
    });

    it("refuses a segment the hub does not have, and hub data naming unknown segments", () => {
      const problems = new Problems();
      expect(attachmentRouting(problems, "dev", HUB_SEGMENTS)).to.equal(undefined);
      expect(attachmentRouting(problems, "a", { a: { propagatesTo: ["b"] } })).to.equal(undefined);
      expect(() => problems.throwIfAny("x"))
        .to.throw(ValidationError)
        .with.property("problems")
        .that.deep.equals([
          {
            path: "segment",
            value: "dev",
            allowed: 'not a segment of the hub; use one of "onprem", "prod", "shared"',
          },
          {
            path: "segments.a.propagatesTo[0]",
            value: "b",
            allowed: 'not a segment of the hub; use one of "a"',
          },
        ]);
    });
  });

  describe("VPC attachment", () => {
    it("plans one route per route table and destination, named after both", () => {
      const plan = planVpcAttachment("x", {
        ...attachmentInput(),
        routeTables: { private: ec2Id("rtb", 1), data: ec2Id("rtb", 2) },
        destinations: ["10.0.0.0/8", "fd00::/8"],
        ipv6Support: true,
      });
      expect(plan.routes.map((r) => [r.key, r.table, r.destination, r.version])).to.deep.equal([
        ["data-10-0-0-0-8", "data", "10.0.0.0/8", 4],
        ["data-fd00---8", "data", "fd00::/8", 6],
        ["private-10-0-0-0-8", "private", "10.0.0.0/8", 4],
        ["private-fd00---8", "private", "fd00::/8", 6],
      ]);
      expect(plan.availabilityZones).to.deep.equal(["us-east-1a", "us-east-1b"]);
      expect(plan.propagatesTo).to.deep.equal(["onprem", "shared"]);
    });

    it("refuses subnets in a single Availability Zone (hybridnet: at least two)", () => {
      const error = refusedAttachment(attachmentInput({ subnets: [subnet("us-east-1a")] }));
      expect(at(error, "subnets").allowed).to.match(/needs subnets in at least 2 zones/);
      expect(planVpcAttachment("x", attachmentInput()).availabilityZones).to.have.length(2);
    });

    it("refuses two subnets in one Availability Zone (AWS: one per AZ)", () => {
      const error = refusedAttachment(
        attachmentInput({
          subnets: [subnet("use1-az1", 1), subnet("use1-az2", 2), subnet("use1-az1", 3)],
        }),
      );
      expect(at(error, "subnets[2].availabilityZone").allowed).to.match(
        /also the zone of subnets\[0\]; a transit gateway VPC attachment takes one subnet per Availability Zone/,
      );
    });

    it("refuses AZ names mixed with AZ ids, and values that are neither", () => {
      const mixed = refusedAttachment(
        attachmentInput({ subnets: [subnet("us-east-1a", 1), subnet("use1-az1", 2)] }),
      );
      expect(at(mixed, "subnets").allowed).to.match(/names and AZ ids mixed/);
      const bad = refusedAttachment(
        attachmentInput({
          subnets: [subnet("us-east-1a", 1), subnet("US East 1b", 2)],
        }),
      );
      expect(at(bad, "subnets[1].availabilityZone").value).to.equal("US East 1b");
    });

    it("refuses plain ids of the wrong kind, and leaves ids that are not strings (Outputs) to AWS", () => {
      const error = refusedAttachment(
        attachmentInput({
          vpcId: "vpc-app",
          transitGatewayId: ec2Id("vpc", 1),
          routeTables: { private: "rtb-1" },
        }),
      );
      expect(error.problems.map((p) => p.path)).to.include.members([
        "vpcId",
        "transitGatewayId",
        "routeTables.private",
      ]);
      const output = { apply: () => undefined };
      expect(
        planVpcAttachment("x", attachmentInput({ vpcId: output, transitGatewayId: output })).segment,
      ).to.equal("prod");
    });

    it("refuses bad destinations, IPv6 ones without ipv6Support, and routes without both halves", () => {
      const error = refusedAttachment(
        attachmentInput({
          routeTables: { private: ec2Id("rtb", 1) },
          destinations: ["10.0.0.0/33", "fd00::/8"],
        }),
      );
      expect(at(error, "destinations[0]").allowed).to.match(/^not a CIDR/);
      expect(at(error, "destinations[1]").allowed).to.match(/needs ipv6Support: true/);
      expect(
        at(refusedAttachment(attachmentInput({ destinations: ["10.0.0.0/8"] })), "routeTables").allowed,
      ).to.match(/VPC route tables/);
      expect(
        at(refusedAttachment(attachmentInput({ routeTables: { private: ec2Id("rtb", 1) } })), "destinations")
          .allowed,
      ).to.match(/CIDRs to route/);
    });
  });
});
