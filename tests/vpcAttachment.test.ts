import * as aws from "@pulumi/aws";
import { expect } from "chai";
import {
  type HubSegment,
  TransitGatewayHub,
  type TransitGatewayHubArgs,
} from "../components/TransitGatewayHub";
import { VpcAttachment, type VpcAttachmentArgs } from "../components/VpcAttachment";
import type { ValidationError } from "../model/errors";
import { recordDependencies } from "./dependencies";
import { type RegisteredResource, type ResourceList, resolve, runProgram } from "./harness";
import { refusedBy } from "./refusals";

const TYPE = {
  component: "hybridnet:index:VpcAttachment",
  attachment: "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
  accepter: "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter",
  association: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
  propagation: "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
  route: "aws:ec2/route:Route",
} as const;

/** prod isolated; prod↔shared, nonprod↔shared, onprem↔prod, onprem↔nonprod, onprem↔shared. */
const LANDING_ZONE: TransitGatewayHubArgs["segments"] = {
  prod: { isolated: true, reaches: ["shared", "onprem"] },
  nonprod: { reaches: ["shared", "onprem"] },
  shared: { reaches: ["onprem"] },
  onprem: {},
};

/** Derived by hand from the policy: 2 + 3 + 4 + 4 = 13 propagations for one VPC per segment. */
const EXPECTED_PROPAGATIONS: Record<string, string[]> = {
  prod: ["shared", "onprem"],
  nonprod: ["nonprod", "shared", "onprem"],
  shared: ["shared", "prod", "nonprod", "onprem"],
  onprem: ["onprem", "prod", "nonprod", "shared"],
};

/** An EC2 id of the kind `prefix` with 17 hex digits, distinct per `n`. */
const ec2Id = (prefix: string, n: number) => `${prefix}-${n.toString(16).padStart(17, "0")}`;
const VPC = ec2Id("vpc", 1);
const TGW = ec2Id("tgw", 1);
const RTB = { prod: ec2Id("tgw-rtb", 1), shared: ec2Id("tgw-rtb", 2), onprem: ec2Id("tgw-rtb", 3) };
const PRIVATE_RTB = ec2Id("rtb", 1);
const DATA_RTB = ec2Id("rtb", 2);

/** Hub data as a stack that only references the hub would have it: plain names, plain table ids. */
const PLAIN_SEGMENTS: Record<string, HubSegment> = {
  prod: { routeTableId: RTB.prod, propagatesTo: ["onprem", "shared"] },
  shared: { routeTableId: RTB.shared, propagatesTo: ["onprem", "prod", "shared"] },
  onprem: { routeTableId: RTB.onprem, propagatesTo: ["onprem", "prod", "shared"] },
};

const SUBNETS = [
  { availabilityZone: "us-east-1a", subnetId: ec2Id("subnet", 1) },
  { availabilityZone: "us-east-1b", subnetId: ec2Id("subnet", 2) },
];

function args(overrides: Partial<VpcAttachmentArgs> = {}): VpcAttachmentArgs {
  return {
    vpcId: VPC,
    subnets: SUBNETS,
    transitGatewayId: TGW,
    segment: "prod",
    segments: PLAIN_SEGMENTS,
    ...overrides,
  };
}

async function build(program: () => VpcAttachment) {
  let dependencies = new Map<string, string[]>();
  const run = await runProgram(() => {
    dependencies = recordDependencies();
    return program();
  });
  if (run.error) expect.fail(`VpcAttachment refused valid arguments: ${run.error.message}`);
  return { resources: run.resources, attachment: run.result as VpcAttachment, dependencies };
}

/** Runs VpcAttachment with bad arguments: it must throw one ValidationError and register nothing. */
function refused(bad: VpcAttachmentArgs): Promise<ValidationError> {
  return refusedBy(() => new VpcAttachment("app", bad), 'hybridnet:index:VpcAttachment "app"');
}

const only = (resources: ResourceList, type: string): RegisteredResource => {
  const found = resources.ofType(type);
  expect(found, type).to.have.length(1);
  return found[0];
};

/** A provider for another account, the way a landing zone reaches the workload's account. */
function accountProvider(name: string, account: string): aws.Provider {
  return new aws.Provider(name, {
    region: "us-east-1",
    assumeRoles: [{ roleArn: `arn:aws:iam::${account}:role/network-admin` }],
  });
}

/** The hub owner's account as data, the way a landing zone reaches it: the component makes the provider. */
const HUB_ROLE = "arn:aws:iam::444455556666:role/network-admin";
const HUB = { hubAccess: { roleArn: HUB_ROLE }, hubRegion: "us-east-1" };

describe("VpcAttachment", () => {
  describe("same account", () => {
    it("attaches the VPC through one subnet per AZ with the secure defaults", async () => {
      const { resources } = await build(() => new VpcAttachment("app", args()));
      const attachment = only(resources, TYPE.attachment);
      expect(attachment.name).to.equal("app-attachment");
      expect(attachment.inputs).to.deep.include({
        vpcId: VPC,
        subnetIds: [ec2Id("subnet", 1), ec2Id("subnet", 2)],
        transitGatewayId: TGW,
        applianceModeSupport: "disable",
        dnsSupport: "enable",
        ipv6Support: "disable",
        transitGatewayDefaultRouteTableAssociation: false,
        transitGatewayDefaultRouteTablePropagation: false,
      });
      expect(attachment.parent).to.equal(only(resources, TYPE.component).urn);
      expect(resources.ofType(TYPE.accepter)).to.have.length(0);
    });

    it("turns appliance mode and IPv6 on, and DNS support off, when asked", async () => {
      const { resources } = await build(
        () =>
          new VpcAttachment(
            "app",
            args({ applianceModeSupport: true, ipv6Support: true, dnsSupport: false }),
          ),
      );
      expect(only(resources, TYPE.attachment).inputs).to.include({
        applianceModeSupport: "enable",
        ipv6Support: "enable",
        dnsSupport: "disable",
      });
    });

    it("associates with its segment's table and propagates where the policy says, with the default provider", async () => {
      const { resources, attachment } = await build(() => new VpcAttachment("app", args()));
      const attachmentId = (await resolve(attachment.attachmentId)).value;
      expect(attachmentId).to.match(/^tgw-attach-[0-9a-f]{17}$/);
      const association = only(resources, TYPE.association);
      expect(association.name).to.equal("app-association");
      expect(association.inputs).to.deep.equal({
        transitGatewayAttachmentId: attachmentId,
        transitGatewayRouteTableId: RTB.prod,
        // Moving the VPC to another segment replaces the association, which must take the old one's place.
        replaceExistingAssociation: true,
      });
      const propagations = resources.ofType(TYPE.propagation);
      expect(propagations.map((p) => [p.name, p.inputs.transitGatewayRouteTableId]).sort()).to.deep.equal([
        ["app-propagation-onprem", RTB.onprem],
        ["app-propagation-shared", RTB.shared],
      ]);
      for (const r of [association, ...propagations]) {
        expect(r.provider, r.name).to.equal(undefined);
        expect(r.inputs.transitGatewayAttachmentId).to.equal(attachmentId);
      }
      expect(attachment.segment).to.equal("prod");
      expect(attachment.propagatesTo).to.deep.equal(["onprem", "shared"]);
    });

    it("yields exactly the policy's associations and propagations for one VPC per segment of a hub", async () => {
      let hub: TransitGatewayHub | undefined;
      let attachments: Record<string, VpcAttachment> = {};
      const { resources } = await build(() => {
        hub = new TransitGatewayHub("hub", { segments: LANDING_ZONE });
        attachments = Object.fromEntries(
          Object.keys(LANDING_ZONE).map((segment, i) => [
            segment,
            new VpcAttachment(`${segment}-vpc`, {
              ...args({ vpcId: ec2Id("vpc", i + 1) }),
              transitGatewayId: hub!.transitGatewayId,
              segment,
              segments: hub!.segmentRouting,
            }),
          ]),
        );
        return attachments.prod;
      });
      const tables = (await resolve(hub!.routeTableIds)).value;
      const segmentOfTable = Object.fromEntries(Object.entries(tables).map(([s, id]) => [id, s]));
      const segmentOfAttachment: Record<string, string> = {};
      for (const [segment, a] of Object.entries(attachments))
        segmentOfAttachment[(await resolve(a.attachmentId)).value] = segment;
      const edge = (r: RegisteredResource) =>
        `${segmentOfAttachment[String(r.inputs.transitGatewayAttachmentId)]}-vpc → ${segmentOfTable[String(r.inputs.transitGatewayRouteTableId)]}`;

      expect(resources.ofType(TYPE.attachment)).to.have.length(4);
      expect(resources.ofType(TYPE.association).map(edge).sort()).to.deep.equal([
        "nonprod-vpc → nonprod",
        "onprem-vpc → onprem",
        "prod-vpc → prod",
        "shared-vpc → shared",
      ]);
      expect(resources.ofType(TYPE.propagation)).to.have.length(13);
      expect(resources.ofType(TYPE.propagation).map(edge).sort()).to.deep.equal(
        Object.entries(EXPECTED_PROPAGATIONS)
          .flatMap(([segment, to]) => to.map((t) => `${segment}-vpc → ${t}`))
          .sort(),
      );
    });
  });

  describe("routes toward the transit gateway", () => {
    it("adds one route per route table and destination, named after both, after the attachment exists", async () => {
      const { resources, attachment, dependencies } = await build(
        () =>
          new VpcAttachment(
            "app",
            args({
              routeTables: { private: PRIVATE_RTB, data: DATA_RTB },
              destinations: ["10.0.0.0/8", "192.168.0.0/16"],
            }),
          ),
      );
      const routes = resources.ofType(TYPE.route);
      expect(routes.map((r) => r.name).sort()).to.deep.equal([
        "app-data-10-0-0-0-8",
        "app-data-192-168-0-0-16",
        "app-private-10-0-0-0-8",
        "app-private-192-168-0-0-16",
      ]);
      expect(resources.named("app-private-192-168-0-0-16").inputs).to.deep.equal({
        routeTableId: PRIVATE_RTB,
        destinationCidrBlock: "192.168.0.0/16",
        transitGatewayId: TGW,
      });
      const attachmentUrn = only(resources, TYPE.attachment).urn;
      for (const r of routes) expect(dependencies.get(r.name), r.name).to.include(attachmentUrn);
      const ids = (await resolve(attachment.routeIds)).value;
      expect(Object.keys(ids).sort()).to.deep.equal(["data", "private"]);
      expect(Object.keys(ids.private).sort()).to.deep.equal(["10.0.0.0/8", "192.168.0.0/16"]);
      expect(ids.private["10.0.0.0/8"]).to.match(new RegExp(`^r-${PRIVATE_RTB}\\d+$`));
    });

    it("routes IPv6 destinations as destinationIpv6CidrBlock when the attachment carries IPv6", async () => {
      const { resources } = await build(
        () =>
          new VpcAttachment(
            "app",
            args({
              ipv6Support: true,
              routeTables: { private: PRIVATE_RTB },
              destinations: ["fd00:10::/32"],
            }),
          ),
      );
      expect(only(resources, TYPE.route).inputs).to.deep.equal({
        routeTableId: PRIVATE_RTB,
        destinationIpv6CidrBlock: "fd00:10::/32",
        transitGatewayId: TGW,
      });
    });

    it("adds no route when no route tables are given", async () => {
      const { resources, attachment } = await build(() => new VpcAttachment("app", args()));
      expect(resources.ofType(TYPE.route)).to.have.length(0);
      expect((await resolve(attachment.routeIds)).value).to.deep.equal({});
    });
  });

  describe("cross-account", () => {
    it("requests from the workload account and accepts, associates and propagates in the hub owner's", async () => {
      const { resources, attachment } = await build(() => {
        const workload = accountProvider("workload", "555566667777");
        return new VpcAttachment("app", args(HUB), { providers: [workload] });
      });
      const hubUrn = resources.named("app-hub-provider").urn;
      const workloadUrn = resources.named("workload").urn;
      const requester = only(resources, TYPE.attachment);
      expect(requester.provider).to.match(new RegExp(`^${workloadUrn}::`));

      const accepter = only(resources, TYPE.accepter);
      expect(accepter.name).to.equal("app-accepter");
      expect(accepter.provider?.startsWith(`${hubUrn}::`)).to.equal(true);
      expect(accepter.parent).to.equal(only(resources, TYPE.component).urn);
      const requested = (await resolve(attachment.attachmentId)).value;
      expect(accepter.inputs).to.include({
        transitGatewayAttachmentId: requested,
        transitGatewayDefaultRouteTableAssociation: false,
        transitGatewayDefaultRouteTablePropagation: false,
      });

      const hubSide = [only(resources, TYPE.association), ...resources.ofType(TYPE.propagation)];
      expect(hubSide).to.have.length(3);
      for (const r of hubSide) {
        expect(r.provider?.startsWith(`${hubUrn}::`), r.name).to.equal(true);
        expect(r.inputs.transitGatewayAttachmentId).to.equal(requested);
      }
    });

    it("makes the hub owner's provider from hubAccess: its child, in hubRegion, assuming the role, only in the hub's account", async () => {
      const { resources } = await build(
        () =>
          new VpcAttachment(
            "app",
            args({
              ...HUB,
              hubAccess: {
                roleArn: HUB_ROLE,
                sessionName: "hybridnet-workload-app-dev",
                defaultTags: { env: "dev" },
              },
              hubAccountId: "444455556666",
              hubRegion: "eu-west-1",
            }),
          ),
      );
      const providers = resources.ofType("pulumi:providers:aws");
      expect(providers.map((p) => p.name)).to.deep.equal(["app-hub-provider"]);
      const [provider] = providers;
      expect(provider.parent).to.equal(only(resources, TYPE.component).urn);
      expect(provider.inputs.region).to.equal("eu-west-1");
      expect(JSON.parse(String(provider.inputs.assumeRoles))).to.deep.equal([
        { roleArn: HUB_ROLE, sessionName: "hybridnet-workload-app-dev" },
      ]);
      expect(JSON.parse(String(provider.inputs.allowedAccountIds))).to.deep.equal(["444455556666"]);
      expect(JSON.parse(String(provider.inputs.defaultTags))).to.deep.equal({ tags: { env: "dev" } });
    });

    it("registers no provider of its own in the same account", async () => {
      const { resources } = await build(() => new VpcAttachment("app", args()));
      expect(resources.ofType("pulumi:providers:aws")).to.deep.equal([]);
    });

    it("leaves the default route table settings off the requester, which cannot set them on a shared hub", async () => {
      const { resources } = await build(() => new VpcAttachment("app", args(HUB)));
      const requester = only(resources, TYPE.attachment);
      expect(requester.provider).to.equal(undefined);
      expect(requester.inputs).not.to.have.property("transitGatewayDefaultRouteTableAssociation");
      expect(requester.inputs).not.to.have.property("transitGatewayDefaultRouteTablePropagation");
    });

    it("associates and routes only after the hub owner accepted the attachment", async () => {
      const { resources, dependencies } = await build(
        () =>
          new VpcAttachment(
            "app",
            args({ ...HUB, routeTables: { private: PRIVATE_RTB }, destinations: ["10.0.0.0/8"] }),
          ),
      );
      const accepterUrn = only(resources, TYPE.accepter).urn;
      for (const r of [
        only(resources, TYPE.association),
        ...resources.ofType(TYPE.propagation),
        only(resources, TYPE.route),
      ])
        expect(dependencies.get(r.name), r.name).to.include(accepterUrn);
      expect(only(resources, TYPE.route).provider).to.equal(undefined);
    });
  });

  describe("bad input", () => {
    const cases: [string, Partial<VpcAttachmentArgs>, string, string][] = [
      [
        "a hub role that is not an IAM role ARN",
        { ...HUB, hubAccess: { roleArn: "arn:aws:iam::444455556666:root" } },
        "hubAccess.roleArn",
        "arn:aws:iam::<12-digit account>:role/<name>",
      ],
      [
        "a hub role in another account than the hub's",
        { ...HUB, hubAccountId: "111122223333" },
        "hubAccess.roleArn",
        "a role in account 111122223333 (hubAccountId)",
      ],
      [
        "a hub access without a Region",
        { hubAccess: { roleArn: HUB_ROLE } },
        "hubRegion",
        "the transit gateway's Region",
      ],
      ["a malformed hub Region", { ...HUB, hubRegion: "US East" }, "hubRegion", "region code"],
      ["a malformed hub account", { ...HUB, hubAccountId: "4444" }, "hubAccountId", "exactly 12 digits"],
      ["a hub Region without a hub access", { hubRegion: "us-east-1" }, "hubRegion", "only with hubAccess"],
    ];
    for (const [title, over, path, fragment] of cases)
      it(`refuses ${title} and registers nothing`, async () => {
        const error = await refused(args(over));
        const problem = error.problems.find((p) => p.path === path);
        expect(problem, error.message).to.not.equal(undefined);
        expect(problem!.allowed).to.contain(fragment);
      });

    it("refuses subnets in one Availability Zone", async () => {
      const error = await refused(
        args({
          subnets: [SUBNETS[0]],
        }),
      );
      expect(error.problems).to.have.length(1);
      expect(error.problems[0].path).to.equal("subnets");
      expect(error.problems[0].allowed).to.match(/needs subnets in at least 2 zones/);
    });

    it("refuses two subnets in one Availability Zone", async () => {
      const error = await refused(
        args({ subnets: [...SUBNETS, { availabilityZone: "us-east-1a", subnetId: ec2Id("subnet", 3) }] }),
      );
      expect(error.problems).to.have.length(1);
      expect(error.problems[0]).to.include({ path: "subnets[2].availabilityZone", value: "us-east-1a" });
    });

    it("refuses a destination that is not a CIDR", async () => {
      const error = await refused(
        args({ routeTables: { private: PRIVATE_RTB }, destinations: ["10.0.0.0/8", "10.1.0.0"] }),
      );
      expect(error.problems).to.have.length(1);
      expect(error.problems[0]).to.include({ path: "destinations[1]", value: "10.1.0.0" });
    });

    it("refuses a segment the hub does not have", async () => {
      const error = await refused(args({ segment: "nonprod" }));
      expect(error.problems[0]).to.include({ path: "segment", value: "nonprod" });
      expect(error.problems[0].allowed).to.equal(
        'not a segment of the hub; use one of "onprem", "prod", "shared"',
      );
    });

    it("refuses hub segment data naming a segment it does not define", async () => {
      const error = await refused(
        args({ segments: { prod: { routeTableId: RTB.prod, propagatesTo: ["prod", "shared"] } } }),
      );
      expect(error.problems[0]).to.include({ path: "segments.prod.propagatesTo[1]", value: "shared" });
    });

    it("refuses plain ids of the wrong kind for the VPC, the transit gateway and a segment's route table", async () => {
      const error = await refused(
        args({
          vpcId: TGW,
          transitGatewayId: "tgw-hub",
          segments: { ...PLAIN_SEGMENTS, shared: { routeTableId: PRIVATE_RTB, propagatesTo: ["shared"] } },
        }),
      );
      expect(error.problems.map((p) => [p.path, p.value])).to.deep.equal([
        ["vpcId", TGW],
        ["transitGatewayId", "tgw-hub"],
        ["segments.shared.routeTableId", PRIVATE_RTB],
      ]);
    });

    it("refuses route table keys that cannot name a route, reporting every problem at once", async () => {
      const error = await refused(
        args({
          subnets: [SUBNETS[0]],
          routeTables: { "private rt": PRIVATE_RTB },
          destinations: ["10.0.0.1/8"],
        }),
      );
      expect(error.problems.map((p) => p.path)).to.have.members([
        "subnets",
        "routeTables.private rt",
        "destinations[0]",
      ]);
    });
  });
});
