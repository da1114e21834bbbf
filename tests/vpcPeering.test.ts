import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { VpcPeering, type VpcPeeringArgs } from "../components/VpcPeering";
import { ValidationError } from "../model/errors";
import { recordDependencies } from "./dependencies";
import { type RegisteredResource, resolve, runProgram } from "./harness";

const CONNECTION = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection";
const ACCEPTER = "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter";
const OPTIONS = "aws:ec2/peeringConnectionOptions:PeeringConnectionOptions";
const ROUTE = "aws:ec2/route:Route";

const REQUESTER_RTB = { private: "rtb-0a000000000000001", public: "rtb-0a000000000000002" };
const ACCEPTER_RTB = { app: "rtb-0b000000000000001" };

/** Two VPCs in one account and region: the requester with one CIDR, the accepter with two. */
function baseArgs(): VpcPeeringArgs {
  return {
    requester: { vpcId: "vpc-0a000000000000001", cidrs: ["10.0.0.0/16"], routeTables: { ...REQUESTER_RTB } },
    accepter: {
      vpcId: "vpc-0b000000000000001",
      cidrs: ["10.1.0.0/16", "100.64.0.0/20"],
      routeTables: { ...ACCEPTER_RTB },
    },
  };
}

/** Route table, destination and peering id of every registered route, sorted. */
function routeRows(routes: RegisteredResource[]): string[] {
  return routes
    .map(
      (r) => `${r.inputs.routeTableId} ${r.inputs.destinationCidrBlock ?? r.inputs.destinationIpv6CidrBlock}`,
    )
    .sort();
}

describe("VpcPeering", () => {
  describe("within one account and region", () => {
    it("requests a peering connection between the two VPCs and accepts it itself", async () => {
      const { resources, result, error } = await runProgram(() => new VpcPeering("apps", baseArgs()));
      expect(error).to.equal(undefined);
      const [component] = resources.ofType("hybridnet:index:VpcPeering");
      const connections = resources.ofType(CONNECTION);
      expect(connections).to.have.length(1);
      expect(connections[0].name).to.equal("apps-peering");
      expect(connections[0].parent).to.equal(component.urn);
      expect(connections[0].inputs).to.include({
        vpcId: "vpc-0a000000000000001",
        peerVpcId: "vpc-0b000000000000001",
        autoAccept: true,
      });
      expect(connections[0].inputs).not.to.have.any.keys("peerOwnerId", "peerRegion");
      expect(resources.ofType(ACCEPTER)).to.have.length(0);
      const id = (await resolve(result!.peeringConnectionId)).value;
      expect(id).to.match(/^pcx-[0-9a-f]{17}$/);
    });

    it("enables DNS resolution of the peer's private hostnames on both sides by default", async () => {
      const { resources } = await runProgram(() => new VpcPeering("apps", baseArgs()));
      const options = resources.ofType(OPTIONS);
      expect(options.map((o) => o.name).sort()).to.deep.equal([
        "apps-accepter-options",
        "apps-requester-options",
      ]);
      const requester = resources.named("apps-requester-options");
      const accepter = resources.named("apps-accepter-options");
      expect(requester.inputs.requester).to.deep.equal({ allowRemoteVpcDnsResolution: true });
      expect(requester.inputs).not.to.have.property("accepter");
      expect(accepter.inputs.accepter).to.deep.equal({ allowRemoteVpcDnsResolution: true });
      expect(accepter.inputs).not.to.have.property("requester");
      const pcx = resources.named("apps-peering");
      const connectionId = (resources.ofType(ROUTE)[0].inputs.vpcPeeringConnectionId as string) ?? "";
      expect(connectionId).to.match(/^pcx-/);
      for (const o of options) expect(o.inputs.vpcPeeringConnectionId).to.equal(connectionId);
      expect(pcx.inputs.autoAccept).to.equal(true);
    });

    it("leaves DNS resolution alone when dnsResolution is false", async () => {
      const { resources } = await runProgram(
        () => new VpcPeering("apps", { ...baseArgs(), dnsResolution: false }),
      );
      expect(resources.ofType(OPTIONS)).to.have.length(0);
      expect(resources.ofType(CONNECTION)).to.have.length(1);
    });

    it("routes every requester table to every accepter CIDR and every accepter table to every requester CIDR", async () => {
      const { resources, result } = await runProgram(() => new VpcPeering("apps", baseArgs()));
      const routes = resources.ofType(ROUTE);
      expect(routeRows(routes)).to.deep.equal(
        [
          "rtb-0a000000000000001 10.1.0.0/16",
          "rtb-0a000000000000001 100.64.0.0/20",
          "rtb-0a000000000000002 10.1.0.0/16",
          "rtb-0a000000000000002 100.64.0.0/20",
          "rtb-0b000000000000001 10.0.0.0/16",
        ].sort(),
      );
      const pcx = (await resolve(result!.peeringConnectionId)).value;
      for (const r of routes) expect(r.inputs.vpcPeeringConnectionId).to.equal(pcx);
      expect(routes.map((r) => r.name).sort()).to.deep.equal([
        "apps-accepter-app-10-0-0-0-16",
        "apps-requester-private-10-1-0-0-16",
        "apps-requester-private-100-64-0-0-20",
        "apps-requester-public-10-1-0-0-16",
        "apps-requester-public-100-64-0-0-20",
      ]);
      const ids = (await resolve(result!.routeIds)).value;
      expect(Object.keys(ids).sort()).to.deep.equal([
        "accepter:app:10.0.0.0/16",
        "requester:private:10.1.0.0/16",
        "requester:private:100.64.0.0/20",
        "requester:public:10.1.0.0/16",
        "requester:public:100.64.0.0/20",
      ]);
      expect(ids["accepter:app:10.0.0.0/16"]).to.match(/^r-rtb-0b000000000000001\d+$/);
    });

    it("routes only the destinations a side names when they lie inside the peer's CIDRs", async () => {
      const args = baseArgs();
      args.requester.destinations = ["10.1.8.0/21"];
      const { resources } = await runProgram(() => new VpcPeering("apps", args));
      expect(routeRows(resources.ofType(ROUTE))).to.deep.equal([
        "rtb-0a000000000000001 10.1.8.0/21",
        "rtb-0a000000000000002 10.1.8.0/21",
        "rtb-0b000000000000001 10.0.0.0/16",
      ]);
    });

    it("routes IPv6 CIDRs with destinationIpv6CidrBlock", async () => {
      const args = baseArgs();
      args.requester.cidrs = ["10.0.0.0/16", "2600:1f18:1234:5600::/56"];
      const { resources } = await runProgram(() => new VpcPeering("apps", args));
      const v6 = resources.ofType(ROUTE).filter((r) => r.inputs.destinationIpv6CidrBlock !== undefined);
      expect(
        v6.map((r) => [r.name, r.inputs.destinationIpv6CidrBlock, r.inputs.destinationCidrBlock]),
      ).to.deep.equal([
        ["apps-accepter-app-2600-1f18-1234-5600---56", "2600:1f18:1234:5600::/56", undefined],
      ]);
    });

    it("registers nothing outside the component and tags what it creates", async () => {
      const args = { ...baseArgs(), tags: { team: "net" } };
      const { resources } = await runProgram(() => new VpcPeering("apps", args));
      const [component] = resources.ofType("hybridnet:index:VpcPeering");
      expect(resources.all.filter((r) => r !== component).every((r) => r.parent === component.urn)).to.equal(
        true,
      );
      expect(resources.named("apps-peering").inputs.tags).to.deep.equal({
        team: "net",
        "hybridnet:component": "apps",
        Name: "apps",
        Side: "requester",
      });
    });
  });

  describe("across accounts and regions", () => {
    /**
     * The requester through the stack's provider in us-east-1 (111122223333); the accepter through the role of
     * its account (222233334444 unless `place` says otherwise), as data: the component makes its provider.
     */
    async function crossRun(place: { accountId?: string; region?: string }) {
      let requesterUrn: pulumi.Output<string> | undefined;
      let dependencies = new Map<string, string[]>();
      const run = await runProgram(() => {
        dependencies = recordDependencies();
        const requester = new aws.Provider("hub", { region: "us-east-1" });
        requesterUrn = requester.urn;
        const args = baseArgs();
        return new VpcPeering(
          "apps",
          {
            requester: { ...args.requester, accountId: "111122223333", region: "us-east-1" },
            accepter: {
              ...args.accepter,
              access: { roleArn: `arn:aws:iam::${place.accountId ?? "111122223333"}:role/peering` },
              ...place,
            },
          },
          { provider: requester },
        );
      });
      expect(run.error).to.equal(undefined);
      return {
        ...run,
        dependencies,
        requesterUrn: (await resolve(requesterUrn!)).value,
        accepterUrn: run.resources.named("apps-accepter-provider").urn,
      };
    }

    it("makes the accepter's provider from its access, as its child, in the accepter's Region and account", async () => {
      const { resources } = await crossRun({ accountId: "222233334444", region: "eu-west-1" });
      const provider = resources.named("apps-accepter-provider");
      expect(provider.type).to.equal("pulumi:providers:aws");
      expect(provider.parent).to.equal(resources.ofType("hybridnet:index:VpcPeering")[0].urn);
      expect(provider.inputs.region).to.equal("eu-west-1");
      expect(JSON.parse(String(provider.inputs.assumeRoles))).to.deep.equal([
        { roleArn: "arn:aws:iam::222233334444:role/peering", sessionName: "hybridnet-apps" },
      ]);
      expect(JSON.parse(String(provider.inputs.allowedAccountIds))).to.deep.equal(["222233334444"]);
      expect(
        resources
          .ofType("pulumi:providers:aws")
          .map((p) => p.name)
          .sort(),
      ).to.deep.equal(["apps-accepter-provider", "hub"]);
    });

    it("makes the accepter's provider in the requester's Region when the accepter names none", async () => {
      const { resources } = await crossRun({ accountId: "222233334444" });
      expect(resources.named("apps-accepter-provider").inputs.region).to.equal("us-east-1");
    });

    it("makes a requester's provider too when the requester gives an access", async () => {
      const { resources, error } = await runProgram(() => {
        const args = baseArgs();
        return new VpcPeering("apps", {
          requester: {
            ...args.requester,
            region: "us-east-1",
            access: { roleArn: "arn:aws:iam::111122223333:role/peering", sessionName: "net-deploy" },
          },
          accepter: args.accepter,
        });
      });
      expect(error).to.equal(undefined);
      const provider = resources.named("apps-requester-provider");
      expect(JSON.parse(String(provider.inputs.assumeRoles))[0].sessionName).to.equal("net-deploy");
      const connection = resources.named("apps-peering");
      expect(connection.provider?.startsWith(`${provider.urn}::`)).to.equal(true);
    });

    it("sends a cross-account request without auto-accept and accepts it with the accepter's provider", async () => {
      const { resources, requesterUrn, accepterUrn } = await crossRun({ accountId: "222233334444" });
      const connection = resources.named("apps-peering");
      expect(connection.inputs).to.include({ peerOwnerId: "222233334444", autoAccept: false });
      expect(connection.inputs).not.to.have.property("peerRegion");
      expect(connection.provider?.startsWith(`${requesterUrn}::`)).to.equal(true);
      const accepters = resources.ofType(ACCEPTER);
      expect(accepters).to.have.length(1);
      expect(accepters[0].inputs.autoAccept).to.equal(true);
      expect(accepters[0].inputs.vpcPeeringConnectionId).to.match(/^pcx-/);
      expect(accepters[0].provider?.startsWith(`${accepterUrn}::`)).to.equal(true);
    });

    it("sets each side's DNS option and routes through that side's own provider", async () => {
      const { resources, requesterUrn, accepterUrn } = await crossRun({ accountId: "222233334444" });
      const uses = (r: RegisteredResource, urn: string) => r.provider?.startsWith(`${urn}::`) === true;
      expect(uses(resources.named("apps-requester-options"), requesterUrn)).to.equal(true);
      expect(uses(resources.named("apps-accepter-options"), accepterUrn)).to.equal(true);
      const routes = resources.ofType(ROUTE);
      const requesterRoutes = routes.filter((r) => r.name.startsWith("apps-requester-"));
      const accepterRoutes = routes.filter((r) => r.name.startsWith("apps-accepter-"));
      expect(requesterRoutes).to.have.length(4);
      expect(accepterRoutes).to.have.length(1);
      for (const r of requesterRoutes) expect(uses(r, requesterUrn), r.name).to.equal(true);
      for (const r of accepterRoutes) expect(uses(r, accepterUrn), r.name).to.equal(true);
      expect(routeRows(accepterRoutes)).to.deep.equal(["rtb-0b000000000000001 10.0.0.0/16"]);
    });

    it("sets options and routes only once the accepter has accepted the request", async () => {
      const { resources, dependencies } = await crossRun({ accountId: "222233334444" });
      const accepterUrn = resources.named("apps-accepter").urn;
      const waiting = [...resources.ofType(OPTIONS), ...resources.ofType(ROUTE)];
      expect(waiting).to.have.length(7);
      for (const r of waiting) expect(dependencies.get(r.name), r.name).to.include(accepterUrn);
      expect(dependencies.get("apps-peering")).not.to.include(accepterUrn);
    });

    it("names the peer region of a cross-region request in the same account", async () => {
      const { resources, accepterUrn } = await crossRun({ region: "eu-west-1" });
      const connection = resources.named("apps-peering");
      expect(connection.inputs).to.include({ peerRegion: "eu-west-1", autoAccept: false });
      expect(connection.inputs).not.to.have.property("peerOwnerId");
      expect(resources.named("apps-accepter").provider?.startsWith(`${accepterUrn}::`)).to.equal(true);
    });

    it("names both the peer account and region when both differ", async () => {
      const { resources } = await crossRun({ accountId: "222233334444", region: "eu-west-1" });
      expect(resources.named("apps-peering").inputs).to.include({
        peerOwnerId: "222233334444",
        peerRegion: "eu-west-1",
        autoAccept: false,
      });
    });

    it("treats an accepter in the requester's own account and region as local: auto-accept, no accepter", async () => {
      const { resources } = await crossRun({ accountId: "111122223333", region: "us-east-1" });
      expect(resources.named("apps-peering").inputs).to.include({ autoAccept: true });
      expect(resources.named("apps-peering").inputs).not.to.have.any.keys("peerOwnerId", "peerRegion");
      expect(resources.ofType(ACCEPTER)).to.have.length(0);
    });
  });

  describe("refuses invalid arguments and registers nothing", () => {
    const cases: [string, (a: VpcPeeringArgs) => void, string, string][] = [
      [
        "overlapping CIDRs",
        (a) => {
          a.accepter.cidrs = ["10.0.128.0/17"];
        },
        "accepter.cidrs[0]",
        "overlapping CIDR blocks",
      ],
      [
        "matching CIDRs in another account",
        (a) => {
          a.accepter.cidrs = ["10.0.0.0/16"];
          a.accepter.accountId = "222233334444";
          a.accepter.access = { roleArn: "arn:aws:iam::222233334444:role/peering" };
        },
        "accepter.cidrs[0]",
        "matching or overlapping",
      ],
      [
        "a VPC peered with itself by id",
        (a) => {
          a.accepter.vpcId = a.requester.vpcId;
        },
        "accepter.vpcId",
        "cannot peer with itself",
      ],
      [
        "a VPC peered with itself by place and CIDRs",
        (a) => {
          a.requester.vpcId = pulumi.output("vpc-0a000000000000001");
          a.accepter.vpcId = pulumi.output("vpc-0a000000000000001");
          a.accepter.cidrs = ["10.0.0.0/16"];
        },
        "accepter.cidrs",
        "same VPC",
      ],
      [
        "an account id that is not 12 digits",
        (a) => {
          a.accepter.accountId = "2222-3333-4444";
        },
        "accepter.accountId",
        "exactly 12 digits",
      ],
      [
        "a malformed region",
        (a) => {
          a.accepter.region = "US-West-2";
        },
        "accepter.region",
        "region code",
      ],
      [
        "a cross-region accepter without an access",
        (a) => {
          a.accepter.region = "eu-west-1";
        },
        "accepter.access",
        "region eu-west-1",
      ],
      [
        "a cross-account accepter without an access",
        (a) => {
          a.accepter.accountId = "222233334444";
        },
        "accepter.access",
        "account 222233334444",
      ],
      [
        "an accepter role in another account than the accepter's",
        (a) => {
          a.accepter.accountId = "222233334444";
          a.accepter.access = { roleArn: "arn:aws:iam::333344445555:role/peering" };
        },
        "accepter.access.roleArn",
        "a role in account 222233334444 (accepter.accountId)",
      ],
      [
        "an accepter role that is not a role ARN",
        (a) => {
          a.accepter.accountId = "222233334444";
          a.accepter.access = { roleArn: "222233334444" };
        },
        "accepter.access.roleArn",
        "an IAM role ARN",
      ],
      [
        "an access with no Region to make its provider in",
        (a) => {
          a.accepter.accountId = "222233334444";
          a.accepter.access = { roleArn: "arn:aws:iam::222233334444:role/peering" };
        },
        "accepter.region",
        "accepter.access makes a provider in it",
      ],
      [
        "an access without a role",
        (a) => {
          a.accepter.accountId = "222233334444";
          a.accepter.region = "us-east-1";
          // As an untyped caller (YAML, another language) can pass it.
          a.accepter.access = JSON.parse("{}");
        },
        "accepter.access.roleArn",
        "an IAM role ARN to assume",
      ],
      [
        "a destination outside the peer's CIDRs",
        (a) => {
          a.requester.destinations = ["0.0.0.0/0"];
        },
        "requester.destinations[0]",
        "peering is not transitive: a VPC does not forward",
      ],
      [
        "a destination beyond the requester, from the accepter side",
        (a) => {
          a.accepter.destinations = ["172.16.0.0/12"];
        },
        "accepter.destinations[0]",
        "traffic to 172.16.0.0/12 does not go through the requester",
      ],
      [
        "a CIDR larger than a VPC block",
        (a) => {
          a.requester.cidrs = ["10.0.0.0/8"];
        },
        "requester.cidrs[0]",
        "/8 is too large",
      ],
      [
        "no CIDRs",
        (a) => {
          a.accepter.cidrs = [];
        },
        "accepter.cidrs",
        "at least one CIDR",
      ],
      [
        "a malformed VPC id",
        (a) => {
          a.requester.vpcId = "vpc-123";
        },
        "requester.vpcId",
        "8 or 17 hexadecimal digits",
      ],
      [
        "no route tables",
        (a) => {
          a.accepter.routeTables = {};
        },
        "accepter.routeTables",
        "route on both sides",
      ],
      [
        "a route table key that cannot name a resource",
        (a) => {
          a.requester.routeTables = { "private subnets": "rtb-0a000000000000001" };
        },
        "requester.routeTables.private subnets",
        "1–32 letters",
      ],
      [
        "the same route table under two keys",
        (a) => {
          a.requester.routeTables = { one: "rtb-0a000000000000001", two: "rtb-0a000000000000001" };
        },
        "requester.routeTables.two",
        "same route table as requester.routeTables.one",
      ],
      [
        "a VPC's own CIDRs overlapping each other",
        (a) => {
          a.accepter.cidrs = ["10.1.0.0/16", "10.1.4.0/24"];
        },
        "accepter.cidrs[1]",
        "never overlap",
      ],
    ];
    for (const [title, mutate, path, fragment] of cases)
      it(`refuses ${title}`, async () => {
        const { resources, error } = await runProgram(() => {
          const args = baseArgs();
          mutate(args);
          return new VpcPeering("apps", args);
        });
        expect(error).to.be.instanceOf(ValidationError);
        expect(error!.message).to.contain('hybridnet:index:VpcPeering "apps"');
        const problem = (error as ValidationError).problems.find((p) => p.path === path);
        expect(problem, error!.message).to.not.equal(undefined);
        expect(problem!.allowed).to.contain(fragment);
        expect(resources.all.filter((r) => r.type !== "pulumi:providers:aws")).to.have.length(0);
      });

    it("reports every problem at once", async () => {
      const { resources, error } = await runProgram(() => {
        const args = baseArgs();
        args.accepter.cidrs = ["10.0.0.0/16"];
        args.accepter.accountId = "42";
        args.requester.destinations = ["192.168.0.0/16"];
        return new VpcPeering("apps", args);
      });
      expect((error as ValidationError).problems.map((p) => p.path)).to.have.members([
        "accepter.accountId",
        "accepter.access",
        "accepter.cidrs[0]",
        "requester.destinations[0]",
      ]);
      expect(resources.length).to.equal(0);
    });
  });
});
