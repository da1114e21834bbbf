import * as aws from "@pulumi/aws";
import { expect } from "chai";
import {
  hubSegmentsFromPolicy,
  TransitGatewayHub,
  type TransitGatewayHubArgs,
} from "../components/TransitGatewayHub";
import { ValidationError } from "../model/errors";
import { type ResourceList, resolve, runProgram } from "./harness";
import { onlyProblem, refusedBy } from "./refusals";

const TYPE = {
  component: "hybridnet:index:TransitGatewayHub",
  tgw: "aws:ec2transitgateway/transitGateway:TransitGateway",
  table: "aws:ec2transitgateway/routeTable:RouteTable",
  route: "aws:ec2transitgateway/route:Route",
  association: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
  propagation: "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
  share: "aws:ram/resourceShare:ResourceShare",
  shareResource: "aws:ram/resourceAssociation:ResourceAssociation",
  sharePrincipal: "aws:ram/principalAssociation:PrincipalAssociation",
} as const;

/**
 * The landing-zone policy: prod isolated; prod↔shared, nonprod↔shared, onprem↔prod, onprem↔nonprod,
 * onprem↔shared. Written with each pair once, on either side, to exercise the symmetry.
 */
const LANDING_ZONE: TransitGatewayHubArgs["segments"] = {
  prod: { isolated: true, reaches: ["shared"] },
  nonprod: { reaches: ["shared"] },
  shared: { reaches: ["onprem"] },
  onprem: { reaches: ["prod", "nonprod"] },
};

/**
 * Where each segment's attachments must propagate, derived by hand from the policy above: every segment but
 * prod propagates into its own table; each reaching pair propagates both ways. 2 + 3 + 4 + 4 = 13.
 */
const EXPECTED_PROPAGATIONS: Record<string, string[]> = {
  prod: ["shared", "onprem"],
  nonprod: ["nonprod", "shared", "onprem"],
  shared: ["shared", "prod", "nonprod", "onprem"],
  onprem: ["onprem", "prod", "nonprod", "shared"],
};

async function build(args: TransitGatewayHubArgs, then?: (hub: TransitGatewayHub) => void) {
  const run = await runProgram(() => {
    const hub = new TransitGatewayHub("hub", args);
    then?.(hub);
    return hub;
  });
  if (run.error) expect.fail(`TransitGatewayHub refused valid arguments: ${run.error.message}`);
  return { resources: run.resources, hub: run.result as TransitGatewayHub };
}

const refused = (args: TransitGatewayHubArgs) =>
  refusedBy(() => new TransitGatewayHub("hub", args), 'hybridnet:index:TransitGatewayHub "hub"');

/** A transit gateway attachment id (17 hex digits), distinct per `n`. */
const attachmentId = (n: number) => `tgw-attach-${n.toString(16).padStart(17, "0")}`;

/** One attachment per segment of the landing zone, by segment. */
const ATTACHMENTS: Record<string, string> = {
  prod: attachmentId(1),
  nonprod: attachmentId(2),
  shared: attachmentId(3),
  onprem: attachmentId(4),
};

/**
 * `<segment>-vpc → <segment>` for every propagation (or association): the attachment's segment, then the
 * segment whose route table it lands in.
 */
async function edges(resources: ResourceList, hub: TransitGatewayHub, type: string): Promise<string[]> {
  const tables = (await resolve(hub.routeTableIds)).value;
  const segmentOf = Object.fromEntries(Object.entries(tables).map(([segment, id]) => [id, segment]));
  const attachmentOf = Object.fromEntries(
    Object.entries(ATTACHMENTS).map(([segment, id]) => [id, `${segment}-vpc`]),
  );
  return resources
    .ofType(type)
    .map(
      (r) =>
        `${attachmentOf[String(r.inputs.transitGatewayAttachmentId)]} → ${segmentOf[String(r.inputs.transitGatewayRouteTableId)]}`,
    )
    .sort();
}

describe("TransitGatewayHub", () => {
  describe("transit gateway", () => {
    it("creates a transit gateway that associates, propagates and accepts nothing by itself", async () => {
      const { resources } = await build({ segments: { shared: {} } });
      const [tgw] = resources.ofType(TYPE.tgw);
      expect(resources.ofType(TYPE.tgw)).to.have.length(1);
      expect(tgw.name).to.equal("hub-tgw");
      expect(tgw.inputs).to.include({
        defaultRouteTableAssociation: "disable",
        defaultRouteTablePropagation: "disable",
        autoAcceptSharedAttachments: "disable",
        dnsSupport: "enable",
        vpnEcmpSupport: "enable",
        amazonSideAsn: 64512,
        description: "hub: transit gateway hub",
      });
      expect(tgw.parent).to.equal(resources.ofType(TYPE.component)[0].urn);
    });

    it("takes the ASN, description, DNS and ECMP settings and tags asked for", async () => {
      const { resources, hub } = await build({
        segments: { shared: {} },
        amazonSideAsn: 4200000001,
        description: "core network",
        dnsSupport: false,
        vpnEcmpSupport: false,
        tags: { team: "network" },
      });
      const [tgw] = resources.ofType(TYPE.tgw);
      expect(tgw.inputs).to.include({
        amazonSideAsn: 4200000001,
        description: "core network",
        dnsSupport: "disable",
        vpnEcmpSupport: "disable",
      });
      expect(tgw.inputs.tags).to.deep.equal({ team: "network", "hybridnet:component": "hub", Name: "hub" });
      expect((await resolve(hub.amazonSideAsn)).value).to.equal(4200000001);
      expect((await resolve(hub.transitGatewayArn)).value).to.match(
        /^arn:aws:ec2:us-east-1:111122223333:transit-gateway\/tgw-[0-9a-f]{17}$/,
      );
    });

    it("registers every AWS resource as a child of the component", async () => {
      const { resources } = await build({
        segments: { a: { blackholes: ["10.99.0.0/16"] } },
        principals: ["444455556666"],
      });
      const component = resources.ofType(TYPE.component)[0];
      const children = resources.all.filter((r) => r.type.startsWith("aws:"));
      expect(children).to.have.length(6);
      for (const r of children) expect(r.parent, r.name).to.equal(component.urn);
    });
  });

  describe("segments", () => {
    it("creates one route table per segment, named <name>-<segment>, on the transit gateway", async () => {
      const { resources, hub } = await build({ segments: LANDING_ZONE });
      const tables = resources.ofType(TYPE.table);
      expect(tables.map((t) => t.name).sort()).to.deep.equal([
        "hub-nonprod",
        "hub-onprem",
        "hub-prod",
        "hub-shared",
      ]);
      const tgwId = (await resolve(hub.transitGatewayId)).value;
      for (const t of tables) expect(t.inputs.transitGatewayId).to.equal(tgwId);
      expect(resources.named("hub-prod").inputs.tags).to.include({
        Name: "hub-prod",
        "hybridnet:segment": "prod",
      });
      const ids = (await resolve(hub.routeTableIds)).value;
      expect(Object.keys(ids).sort()).to.deep.equal(["nonprod", "onprem", "prod", "shared"]);
      for (const id of Object.values(ids)) expect(id).to.match(/^tgw-rtb-[0-9a-f]{17}$/);
    });

    it("outputs the resolved policy as plain data: each segment's table and where it propagates", async () => {
      const { hub } = await build({ segments: LANDING_ZONE });
      const ids = (await resolve(hub.routeTableIds)).value;
      const segments = (await resolve(hub.segments)).value;
      expect(segments).to.deep.equal(
        Object.fromEntries(
          Object.entries(EXPECTED_PROPAGATIONS).map(([s, to]) => [
            s,
            { routeTableId: ids[s], propagatesTo: [...to].sort() },
          ]),
        ),
      );
      expect(hub.segmentRouting.prod.propagatesTo).to.deep.equal(["onprem", "shared"]);
      expect((await resolve(hub.segmentRouting.prod.routeTableId)).value).to.equal(ids.prod);
    });

    it("gives a stack that only references the hub the same segment data from the policy and table ids", async () => {
      const { hub } = await build({ segments: LANDING_ZONE });
      const ids = (await resolve(hub.routeTableIds)).value;
      const segments = hubSegmentsFromPolicy(LANDING_ZONE, ids);
      expect(Object.keys(segments).sort()).to.deep.equal(Object.keys(hub.segmentRouting).sort());
      for (const [key, segment] of Object.entries(segments)) {
        expect(segment.propagatesTo, key).to.deep.equal(hub.segmentRouting[key].propagatesTo);
        expect((await resolve(segment.routeTableId)).value, key).to.equal(ids[key]);
      }
      expect(() => hubSegmentsFromPolicy({ prod: { reaches: ["shard"] } }, ids))
        .to.throw(ValidationError)
        .with.property("problems")
        .that.has.length(1);
    });

    it("associates and propagates one attachment per segment exactly as the policy says, and nothing else", async () => {
      const { resources, hub } = await build({ segments: LANDING_ZONE }, (h) => {
        for (const [segment, id] of Object.entries(ATTACHMENTS))
          h.attach(`${segment}-vpc`, { attachmentId: id, segment });
      });
      expect(resources.ofType(TYPE.association)).to.have.length(4);
      expect(resources.ofType(TYPE.propagation)).to.have.length(13);
      expect(await edges(resources, hub, TYPE.association)).to.deep.equal([
        "nonprod-vpc → nonprod",
        "onprem-vpc → onprem",
        "prod-vpc → prod",
        "shared-vpc → shared",
      ]);
      const expected = Object.entries(EXPECTED_PROPAGATIONS)
        .flatMap(([segment, to]) => to.map((t) => `${segment}-vpc → ${t}`))
        .sort();
      expect(await edges(resources, hub, TYPE.propagation)).to.deep.equal(expected);
      // Two prod VPCs never learn each other's routes: nothing propagates into the prod table from prod.
      expect(expected).not.to.include("prod-vpc → prod");
      expect(resources.named("hub-prod-vpc-association").parent).to.equal(
        resources.ofType(TYPE.component)[0].urn,
      );
      expect(resources.named("hub-prod-vpc-propagation-shared").inputs.transitGatewayAttachmentId).to.equal(
        ATTACHMENTS.prod,
      );
    });

    it("attaches through the provider given, for associations that live in the hub owner's account", async () => {
      const { resources } = await build({ segments: LANDING_ZONE }, (hub) => {
        const owner = new aws.Provider("network", {
          region: "us-east-1",
          assumeRoles: [{ roleArn: "arn:aws:iam::999988887777:role/network-admin" }],
        });
        hub.attach("app", { attachmentId: attachmentId(9), segment: "nonprod" }, { provider: owner });
      });
      const provider = resources.named("network");
      const attached = [...resources.ofType(TYPE.association), ...resources.ofType(TYPE.propagation)];
      expect(attached).to.have.length(4);
      for (const r of attached) expect(r.provider, r.name).to.match(new RegExp(`^${provider.urn}::`));
      expect(resources.named("hub-tgw").provider).to.equal(undefined);
    });

    it("refuses to attach to an unknown segment, under a key used twice or by a non-attachment id, registering nothing more", async () => {
      const errors: unknown[] = [];
      const { resources } = await build({ segments: LANDING_ZONE }, (hub) => {
        hub.attach("a", { attachmentId: attachmentId(1), segment: "shared" });
        for (const bad of [
          () => hub.attach("b", { attachmentId: attachmentId(2), segment: "dev" }),
          () => hub.attach("a", { attachmentId: attachmentId(3), segment: "shared" }),
          () => hub.attach("not ok", { attachmentId: attachmentId(4), segment: "shared" }),
          () => hub.attach("c", { attachmentId: "vpc-0123456789abcdef0", segment: "shared" }),
        ])
          try {
            bad();
          } catch (e) {
            errors.push(e);
          }
      });
      expect(errors).to.have.length(4);
      for (const e of errors) expect(e).to.be.instanceOf(ValidationError);
      const [unknown, twice, badKey, badId] = errors as ValidationError[];
      expect(unknown.message).to.match(
        /^hybridnet:index:TransitGatewayHub "hub" attach\("b"\): 1 invalid argument/,
      );
      expect(unknown.problems[0]).to.include({ path: "segment", value: "dev" });
      expect(twice.problems[0].allowed).to.match(/already attached/);
      expect(badKey.problems[0].path).to.equal("key");
      expect(badId.problems[0]).to.include({ path: "attachmentId", value: "vpc-0123456789abcdef0" });
      expect(resources.ofType(TYPE.association)).to.have.length(1);
      expect(resources.ofType(TYPE.propagation)).to.have.length(4);
    });
  });

  describe("blackholes", () => {
    it("drops each blackhole CIDR in its segment's table and nowhere else", async () => {
      const { resources, hub } = await build({
        segments: { prod: { blackholes: ["10.99.0.0/16", "fd00:99::/32"] }, shared: {} },
      });
      const ids = (await resolve(hub.routeTableIds)).value;
      const routes = resources.ofType(TYPE.route);
      expect(routes.map((r) => r.name).sort()).to.deep.equal([
        "hub-prod-blackhole-10-99-0-0-16",
        "hub-prod-blackhole-fd00-99---32",
      ]);
      for (const r of routes) {
        expect(r.inputs.blackhole).to.equal(true);
        expect(r.inputs.transitGatewayRouteTableId).to.equal(ids.prod);
        expect(r.inputs).not.to.have.property("transitGatewayAttachmentId");
      }
      expect(routes.map((r) => r.inputs.destinationCidrBlock).sort()).to.deep.equal([
        "10.99.0.0/16",
        "fd00:99::/32",
      ]);
    });
  });

  describe("RAM share", () => {
    it("shares nothing when no principals are given", async () => {
      const { resources, hub } = await build({ segments: { shared: {} } });
      for (const type of [TYPE.share, TYPE.shareResource, TYPE.sharePrincipal])
        expect(resources.ofType(type), type).to.have.length(0);
      expect((await resolve(hub.resourceShareArn)).value).to.equal(undefined);
    });

    it("shares the transit gateway with each principal, inside the organization by default", async () => {
      const org = "arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5";
      const ou = "arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12-cdef3456";
      const { resources, hub } = await build({
        segments: { shared: {} },
        principals: ["444455556666", org, ou],
      });
      const [share] = resources.ofType(TYPE.share);
      expect(resources.ofType(TYPE.share)).to.have.length(1);
      expect(share.inputs.allowExternalPrincipals).to.equal(false);
      const shareArn = (await resolve(hub.resourceShareArn)).value;
      expect(shareArn).to.match(/^arn:aws:ram:us-east-1:111122223333:resource-share\//);

      const [tgwShare] = resources.ofType(TYPE.shareResource);
      expect(resources.ofType(TYPE.shareResource)).to.have.length(1);
      expect(tgwShare.inputs).to.deep.equal({
        resourceArn: (await resolve(hub.transitGatewayArn)).value,
        resourceShareArn: shareArn,
      });

      const principals = resources.ofType(TYPE.sharePrincipal);
      expect(principals.map((p) => [p.name, p.inputs.principal]).sort()).to.deep.equal([
        ["hub-share-444455556666", "444455556666"],
        ["hub-share-o-a1b2c3d4e5", org],
        ["hub-share-ou-ab12-cdef3456", ou],
      ]);
      for (const p of principals) expect(p.inputs.resourceShareArn).to.equal(shareArn);
    });

    it("allows external principals only when asked", async () => {
      const { resources } = await build({
        segments: { shared: {} },
        principals: ["444455556666"],
        allowExternalPrincipals: true,
      });
      expect(resources.ofType(TYPE.share)[0].inputs.allowExternalPrincipals).to.equal(true);
    });
  });

  describe("bad input", () => {
    it("refuses a policy naming an unknown segment", async () => {
      const error = await refused({ segments: { prod: { reaches: ["shard"] }, shared: {} } });
      expect(error.problems).to.deep.equal([
        {
          path: "segments.prod.reaches[0]",
          value: "shard",
          allowed: 'not a segment of this policy; use one of "prod", "shared"',
        },
      ]);
      await build({ segments: { prod: { reaches: ["shared"] }, shared: {} } });
    });

    it("refuses a segment reaching itself and a segment key that cannot name a route table", async () => {
      const error = await refused({ segments: { prod: { reaches: ["prod"] }, "prod/vpcs": {} } });
      expect(error.problems.map((p) => p.path)).to.have.members([
        "segments.prod.reaches[0]",
        "segments.prod/vpcs",
      ]);
    });

    it("gives the transit gateway its CIDR blocks, and refuses one smaller than /24 or no IPv4 block", async () => {
      const { resources } = await build({
        segments: { shared: {} },
        transitGatewayCidrBlocks: ["10.255.0.0/24"],
      });
      expect(resources.ofType(TYPE.tgw)[0].inputs.transitGatewayCidrBlocks).to.deep.equal(["10.255.0.0/24"]);
      const small = await refused({ segments: { shared: {} }, transitGatewayCidrBlocks: ["10.255.0.0/25"] });
      expect(small.problems.map((p) => p.path)).to.deep.equal(["transitGatewayCidrBlocks[0]"]);
      const ipv6Only = await refused({ segments: { shared: {} }, transitGatewayCidrBlocks: ["fd00:1::/64"] });
      expect(ipv6Only.problems[0].allowed).to.contain("at least one IPv4 block");
    });

    it("refuses a CIDR block from 169.254.0.0/16 and more than five blocks, as AWS does", async () => {
      // Transit Gateway guide: any range "except for addresses in the 169.254.0.0/16 range"; quotas: 5 CIDR
      // blocks per transit gateway, not adjustable.
      const linkLocal = await refused({
        segments: { shared: {} },
        transitGatewayCidrBlocks: ["10.255.0.0/24", "169.254.100.0/24"],
      });
      onlyProblem(
        linkLocal,
        "transitGatewayCidrBlocks[1]",
        "169.254.100.0/24",
        "not from 169.254.0.0/16 (link-local, where AWS keeps tunnel inside addresses)",
      );
      const six = [
        "10.255.0.0/24",
        "10.255.1.0/24",
        "10.255.2.0/24",
        "10.255.3.0/24",
        "10.255.4.0/24",
        "fd00:1::/64",
      ];
      const tooMany = await refused({ segments: { shared: {} }, transitGatewayCidrBlocks: six });
      onlyProblem(
        tooMany,
        "transitGatewayCidrBlocks",
        six,
        "at most 5 CIDR blocks per transit gateway (AWS quota, not adjustable)",
      );
      const { resources } = await build({
        segments: { shared: {} },
        transitGatewayCidrBlocks: six.slice(0, 5),
      });
      expect(resources.ofType(TYPE.tgw)[0].inputs.transitGatewayCidrBlocks).to.have.length(5);
    });

    it("refuses a public Amazon side ASN", async () => {
      const error = await refused({ segments: { shared: {} }, amazonSideAsn: 7224 });
      expect(error.problems[0]).to.include({ path: "amazonSideAsn", value: 7224 });
      expect(error.message).to.include("amazonSideAsn = 7224: Amazon side ASN must be a private ASN");
    });

    it("refuses a principal that is not an account, organization or OU", async () => {
      const error = await refused({
        segments: { shared: {} },
        principals: ["444455556666", "arn:aws:iam::444455556666:role/admin"],
      });
      expect(error.problems).to.have.length(1);
      expect(error.problems[0]).to.include({
        path: "principals[1]",
        value: "arn:aws:iam::444455556666:role/admin",
      });
    });

    it("refuses a bad blackhole CIDR", async () => {
      const error = await refused({ segments: { shared: { blackholes: ["10.0.0.0/8", "10.0.0.0/64"] } } });
      expect(error.problems[0]).to.include({ path: "segments.shared.blackholes[1]", value: "10.0.0.0/64" });
    });

    it("refuses more segments than the route table quota, unless it is raised", async () => {
      const segments = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`s${i}`, {}]));
      const error = await refused({ segments });
      expect(error.problems[0].allowed).to.match(/at most 20 route tables/);
      const { resources } = await build({ segments, routeTableQuota: 21 });
      expect(resources.ofType(TYPE.table)).to.have.length(21);
    });
  });
});
