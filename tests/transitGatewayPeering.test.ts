import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { TransitGatewayPeering, type TransitGatewayPeeringArgs } from "../components/TransitGatewayPeering";
import { ValidationError } from "../model/errors";
import { recordDependencies } from "./dependencies";
import { type RegisteredResource, resolve, runProgram } from "./harness";

const ATTACHMENT = "aws:ec2transitgateway/peeringAttachment:PeeringAttachment";
const ACCEPTER = "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter";
const ASSOCIATION = "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation";
const ROUTE = "aws:ec2transitgateway/route:Route";

/** A hub in us-east-1 peered with a hub in eu-west-1 of another account. Providers are added per test. */
function baseArgs(): TransitGatewayPeeringArgs {
  return {
    local: {
      transitGatewayId: "tgw-0a000000000000001",
      region: "us-east-1",
      accountId: "111122223333",
      amazonSideAsn: 64512,
      cidrs: ["10.0.0.0/12", "192.168.0.0/16"],
      associationRouteTableId: "tgw-rtb-0a000000000000001",
      routeTables: { shared: "tgw-rtb-0a000000000000001", prod: "tgw-rtb-0a000000000000002" },
    },
    peer: {
      transitGatewayId: "tgw-0b000000000000001",
      region: "eu-west-1",
      accountId: "222233334444",
      amazonSideAsn: 64513,
      cidrs: ["10.32.0.0/12"],
      associationRouteTableId: "tgw-rtb-0b000000000000001",
      routeTables: { main: "tgw-rtb-0b000000000000001" },
    },
  };
}

/** The role the peer side is reached through: in the peer's account. */
const PEER_ROLE = "arn:aws:iam::222233334444:role/network";

/**
 * Runs the peering with the stack's provider for the local side and the peer's access as data; returns the
 * local provider's URN, the URN of the provider the component made for the peer, and what depended on what.
 */
async function peeredRun(mutate: (args: TransitGatewayPeeringArgs) => void = () => {}) {
  let urns: pulumi.Output<string>[] = [];
  let dependencies = new Map<string, string[]>();
  const run = await runProgram(() => {
    dependencies = recordDependencies();
    const local = new aws.Provider("us", { region: "us-east-1" });
    urns = [local.urn];
    const args = baseArgs();
    args.peer.access = { roleArn: PEER_ROLE };
    mutate(args);
    return new TransitGatewayPeering("hubs", args, { provider: local });
  });
  expect(run.error).to.equal(undefined);
  return {
    ...run,
    dependencies,
    localUrn: (await resolve(urns[0])).value,
    peerUrn: run.resources.named("hubs-peer-provider").urn,
  };
}

function uses(resource: RegisteredResource, providerUrn: string): boolean {
  return resource.provider?.startsWith(`${providerUrn}::`) === true;
}

function routeRows(routes: RegisteredResource[]): string[] {
  return routes
    .map(
      (r) =>
        `${r.inputs.transitGatewayRouteTableId} ${r.inputs.destinationCidrBlock} ${r.inputs.transitGatewayAttachmentId}`,
    )
    .sort();
}

describe("TransitGatewayPeering", () => {
  it("requests a peering attachment to the peer hub through the local provider", async () => {
    const { resources, localUrn, result } = await peeredRun();
    const attachments = resources.ofType(ATTACHMENT);
    expect(attachments).to.have.length(1);
    expect(attachments[0].name).to.equal("hubs-attachment");
    expect(attachments[0].inputs).to.include({
      transitGatewayId: "tgw-0a000000000000001",
      peerTransitGatewayId: "tgw-0b000000000000001",
      peerRegion: "eu-west-1",
      peerAccountId: "222233334444",
    });
    expect(uses(attachments[0], localUrn)).to.equal(true);
    const [component] = resources.ofType("hybridnet:index:TransitGatewayPeering");
    expect(attachments[0].parent).to.equal(component.urn);
    expect((await resolve(result!.attachmentId)).value).to.match(/^tgw-attach-[0-9a-f]{17}$/);
  });

  it("makes the peer's provider from its access: a child in the peer's Region, assuming the role, only in the peer's account", async () => {
    const { resources } = await peeredRun((a) => {
      a.peer.access = { roleArn: PEER_ROLE, externalId: "x-1234", defaultTags: { team: "net" } };
    });
    const providers = resources.ofType("pulumi:providers:aws");
    expect(providers.map((p) => p.name).sort()).to.deep.equal(["hubs-peer-provider", "us"]);
    const peer = resources.named("hubs-peer-provider");
    const [component] = resources.ofType("hybridnet:index:TransitGatewayPeering");
    expect(peer.parent).to.equal(component.urn);
    expect(peer.inputs.region).to.equal("eu-west-1");
    expect(JSON.parse(String(peer.inputs.assumeRoles))).to.deep.equal([
      { roleArn: PEER_ROLE, sessionName: "hybridnet-hubs", externalId: "x-1234" },
    ]);
    expect(JSON.parse(String(peer.inputs.allowedAccountIds))).to.deep.equal(["222233334444"]);
    expect(JSON.parse(String(peer.inputs.defaultTags))).to.deep.equal({ tags: { team: "net" } });
  });

  it("takes the account the provider may act in from the role when the side names none", async () => {
    const { resources } = await peeredRun((a) => {
      delete a.peer.accountId;
      a.peer.access = { roleArn: "arn:aws:iam::111122223333:role/network" };
    });
    const peer = resources.named("hubs-peer-provider");
    expect(JSON.parse(String(peer.inputs.allowedAccountIds))).to.deep.equal(["111122223333"]);
    expect(peer.inputs.defaultTags).to.equal(undefined);
  });

  it("accepts the attachment on the peer side through the peer's provider", async () => {
    const { resources, peerUrn, result } = await peeredRun();
    const accepters = resources.ofType(ACCEPTER);
    expect(accepters).to.have.length(1);
    expect(uses(accepters[0], peerUrn)).to.equal(true);
    expect(accepters[0].inputs.transitGatewayAttachmentId).to.equal(
      (await resolve(result!.attachmentId)).value,
    );
  });

  it("associates the attachment with one route table on each side, each through its own provider", async () => {
    const { resources, localUrn, peerUrn, result } = await peeredRun();
    const attachmentId = (await resolve(result!.attachmentId)).value;
    const associations = resources.ofType(ASSOCIATION);
    expect(associations.map((a) => a.name).sort()).to.deep.equal([
      "hubs-local-association",
      "hubs-peer-association",
    ]);
    const local = resources.named("hubs-local-association");
    const peer = resources.named("hubs-peer-association");
    expect(local.inputs).to.include({
      transitGatewayRouteTableId: "tgw-rtb-0a000000000000001",
      transitGatewayAttachmentId: attachmentId,
      replaceExistingAssociation: true,
    });
    expect(peer.inputs).to.include({
      transitGatewayRouteTableId: "tgw-rtb-0b000000000000001",
      transitGatewayAttachmentId: attachmentId,
    });
    expect(uses(local, localUrn)).to.equal(true);
    expect(uses(peer, peerUrn)).to.equal(true);
  });

  it("adds static routes on both sides: local tables to peer CIDRs, peer tables to local CIDRs", async () => {
    const { resources, localUrn, peerUrn, result } = await peeredRun();
    const id = (await resolve(result!.attachmentId)).value;
    const routes = resources.ofType(ROUTE);
    expect(routeRows(routes)).to.deep.equal(
      [
        `tgw-rtb-0a000000000000001 10.32.0.0/12 ${id}`,
        `tgw-rtb-0a000000000000002 10.32.0.0/12 ${id}`,
        `tgw-rtb-0b000000000000001 10.0.0.0/12 ${id}`,
        `tgw-rtb-0b000000000000001 192.168.0.0/16 ${id}`,
      ].sort(),
    );
    for (const r of routes)
      expect(uses(r, r.name.startsWith("hubs-local-") ? localUrn : peerUrn), r.name).to.equal(true);
    expect(routes.map((r) => r.name).sort()).to.deep.equal([
      "hubs-local-prod-10-32-0-0-12",
      "hubs-local-shared-10-32-0-0-12",
      "hubs-peer-main-10-0-0-0-12",
      "hubs-peer-main-192-168-0-0-16",
    ]);
    const ids = (await resolve(result!.routeIds)).value;
    expect(ids).to.deep.equal({
      "local:prod:10.32.0.0/12": `tgw-rtb-0a000000000000002_10.32.0.0/12`,
      "local:shared:10.32.0.0/12": `tgw-rtb-0a000000000000001_10.32.0.0/12`,
      "peer:main:10.0.0.0/12": `tgw-rtb-0b000000000000001_10.0.0.0/12`,
      "peer:main:192.168.0.0/16": `tgw-rtb-0b000000000000001_192.168.0.0/16`,
    });
  });

  it("associates and routes only once the peer has accepted the attachment", async () => {
    const { resources, dependencies } = await peeredRun();
    const accepter = resources.named("hubs-accepter").urn;
    const waiting = [...resources.ofType(ASSOCIATION), ...resources.ofType(ROUTE)];
    expect(waiting).to.have.length(6);
    for (const r of waiting) expect(dependencies.get(r.name), r.name).to.include(accepter);
    expect(dependencies.get("hubs-attachment")).not.to.include(accepter);
  });

  it("peers two hubs in one region and account without naming a peer account", async () => {
    const { resources } = await runProgram(() => {
      const args = baseArgs();
      args.peer.region = "us-east-1";
      delete args.peer.accountId;
      return new TransitGatewayPeering("hubs", args);
    });
    const attachment = resources.named("hubs-attachment");
    expect(attachment.inputs).to.include({ peerRegion: "us-east-1" });
    expect(attachment.inputs).not.to.have.property("peerAccountId");
    expect(resources.ofType(ACCEPTER)).to.have.length(1);
    expect(resources.ofType(ROUTE)).to.have.length(4);
  });

  it("routes IPv6 networks the same way", async () => {
    const { resources } = await peeredRun((args) => {
      args.peer.cidrs = ["10.32.0.0/12", "2600:1f18:abcd::/48"];
    });
    const v6 = resources.ofType(ROUTE).filter((r) => String(r.inputs.destinationCidrBlock).includes(":"));
    expect(v6.map((r) => r.name).sort()).to.deep.equal([
      "hubs-local-prod-2600-1f18-abcd---48",
      "hubs-local-shared-2600-1f18-abcd---48",
    ]);
  });

  describe("refuses invalid arguments and registers nothing", () => {
    const cases: [string, (a: TransitGatewayPeeringArgs) => void, string, string][] = [
      [
        "overlapping networks on the two sides",
        (a) => {
          a.peer.cidrs = ["10.8.0.0/16"];
        },
        "peer.cidrs[0]",
        "overlaps 10.0.0.0/12 (local.cidrs[0])",
      ],
      [
        "a public ASN as an Amazon side ASN",
        (a) => {
          a.local.amazonSideAsn = 16509;
        },
        "local.amazonSideAsn",
        "private ASN",
      ],
      [
        "a transit gateway peered with itself",
        (a) => {
          a.peer.transitGatewayId = a.local.transitGatewayId;
          a.peer.region = a.local.region;
        },
        "peer.transitGatewayId",
        "cannot peer with itself",
      ],
      [
        "a malformed region",
        (a) => {
          a.peer.region = "eu-west";
        },
        "peer.region",
        "region code",
      ],
      [
        "a missing peer region",
        (a) => {
          (a.peer as { region?: string }).region = undefined;
        },
        "peer.region",
        "the region of the transit gateway",
      ],
      [
        "a malformed account id",
        (a) => {
          a.peer.accountId = "22223333444";
        },
        "peer.accountId",
        "exactly 12 digits",
      ],
      [
        "no static route tables on a side",
        (a) => {
          a.peer.routeTables = {};
        },
        "peer.routeTables",
        "only static routes",
      ],
      [
        "a route table key that cannot name a resource",
        (a) => {
          a.local.routeTables = { "-shared": "tgw-rtb-0a000000000000001" };
        },
        "local.routeTables.-shared",
        "1–32 letters",
      ],
      [
        "a VPC route table where a transit gateway route table belongs",
        (a) => {
          a.local.routeTables = { shared: "rtb-0a000000000000001" };
        },
        "local.routeTables.shared",
        '"tgw-rtb-"',
      ],
      [
        "a missing association route table",
        (a) => {
          (a.local as { associationRouteTableId?: string }).associationRouteTableId = undefined;
        },
        "local.associationRouteTableId",
        "associated with",
      ],
      [
        "a network that is not a CIDR",
        (a) => {
          a.local.cidrs = ["10.0.0.1/12"];
        },
        "local.cidrs[0]",
        "host bits are set",
      ],
      [
        "the same network listed twice",
        (a) => {
          a.local.cidrs = ["10.0.0.0/12", "10.0.0.0/12"];
        },
        "local.cidrs[1]",
        "list each CIDR once",
      ],
      [
        "a role that is not an IAM role ARN",
        (a) => {
          a.peer.access = { roleArn: "arn:aws:iam::222233334444:user/network" };
        },
        "peer.access.roleArn",
        "arn:aws:iam::<12-digit account>:role/<name>",
      ],
      [
        "a role in another account than the peer's",
        (a) => {
          a.peer.access = { roleArn: "arn:aws:iam::999988887777:role/network" };
        },
        "peer.access.roleArn",
        "a role in account 222233334444 (peer.accountId)",
      ],
      [
        "a session name STS refuses",
        (a) => {
          a.peer.access = { roleArn: PEER_ROLE, sessionName: "has space" };
        },
        "peer.access.sessionName",
        "2–64 letters",
      ],
      [
        "a misspelled access key",
        (a) => {
          a.peer.access = { roleArn: PEER_ROLE, ...{ roleARN: PEER_ROLE } };
        },
        "peer.access.roleARN",
        "",
      ],
      [
        "a malformed transit gateway id",
        (a) => {
          a.local.transitGatewayId = "tgw-xyz";
        },
        "local.transitGatewayId",
        "8 or 17 hexadecimal digits",
      ],
    ];
    for (const [title, mutate, path, fragment] of cases)
      it(`refuses ${title}`, async () => {
        const { resources, error } = await runProgram(() => {
          const args = baseArgs();
          args.peer.access = { roleArn: PEER_ROLE };
          mutate(args);
          return new TransitGatewayPeering("hubs", args);
        });
        expect(error).to.be.instanceOf(ValidationError);
        expect(error!.message).to.contain('hybridnet:index:TransitGatewayPeering "hubs"');
        const problem = (error as ValidationError).problems.find((p) => p.path === path);
        expect(problem, error!.message).to.not.equal(undefined);
        expect(problem!.allowed).to.contain(fragment);
        expect(resources.all.filter((r) => r.type !== "pulumi:providers:aws")).to.have.length(0);
      });

    it("refuses a peer in another region or account without an access for it", async () => {
      const { resources, error } = await runProgram(() => new TransitGatewayPeering("hubs", baseArgs()));
      const problem = (error as ValidationError).problems.find((p) => p.path === "peer.access");
      expect(problem?.allowed).to.contain("account 222233334444, region eu-west-1");
      expect(resources.length).to.equal(0);
    });
  });
});
