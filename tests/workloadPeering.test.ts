/**
 * VPC peering between the workloads of an environment from stack config (`hybridnet:peering.<peer>`): the
 * config rules, the hard reference from requester to accepter in the deployment and teardown orders, the checks
 * across the environment (a peer that exists, its account, CIDRs that do not overlap, one requester, no cycle),
 * and the stacks under mocks — what the requester registers on both sides, cross-account and cross-Region, what
 * it refuses from the peer's outputs before registering anything, and a preview whose new ids are unknown.
 */
import { expect } from "chai";
import { checkEnvironment, planEnvironment, readStackFiles, teardownOrder } from "../model/environment";
import { ValidationError } from "../model/errors";
import { parseStackConfig } from "../model/stackConfig";
import { runEnvironment, runStackProgram, type StackRun } from "./environment";
import type { RegisteredResource, ResourceList } from "./harness";
import { previewStack } from "./preview";
import { problemAt } from "./refusals";
import {
  addDataWorkload,
  editedEnvironment,
  PEERING_ROLE,
  requestPeering,
  type StackConfigs,
} from "./workloadEnvironments";

const T = {
  provider: "pulumi:providers:aws",
  peering: "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
  accepter: "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
  options: "aws:ec2/peeringConnectionOptions:PeeringConnectionOptions",
  route: "aws:ec2/route:Route",
  component: "hybridnet:index:VpcPeering",
} as const;

const steps = (plan: { steps: { stack: string; pass: number }[] }) =>
  plan.steps.map((s) => `${s.stack}#${s.pass}`);

/** The provider the VpcPeering makes for the accepter (`<component>-accepter-provider`). */
const PEER_PROVIDER = "app-to-payments-accepter-provider";

/** The name of the provider a resource was registered with. */
const providerName = (r: RegisteredResource) => r.provider?.split("::").slice(-2)[0];

/** The stacks of an environment dir, validated one by one, then checked together: the error, if any. */
function environmentError(dir: string, env: string): ValidationError | undefined {
  const stacks = readStackFiles(dir, env).map((f) => parseStackConfig(f.stack, f.config));
  try {
    checkEnvironment(env, stacks);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  return undefined;
}

function refusedEnvironment(edit: (configs: StackConfigs) => void): ValidationError {
  const error = environmentError(editedEnvironment("peer", edit), "peer");
  return error ?? expect.fail("the environment was accepted");
}

describe("VPC peering between workloads (hybridnet:peering)", () => {
  describe("config of one stack", () => {
    const app = () =>
      Object.fromEntries(
        readStackFiles(
          editedEnvironment("peer", () => {}),
          "peer",
        )
          .filter((f) => f.stack === "workload-app-peer")
          .flatMap((f) => Object.entries(f.config)),
      ) as Record<string, string>;

    it("accepts a peer with the role to assume in its account, DNS resolution on unless turned off", () => {
      const settings = parseStackConfig("workload-app-peer", {
        ...app(),
        "hybridnet:peering": JSON.stringify({
          payments: { roleArn: PEERING_ROLE.payments, dnsResolution: false },
        }),
      });
      expect(settings.role === "workload" && settings.config.peering).to.deep.equal({
        payments: { roleArn: "arn:aws:iam::333344445555:role/hybridnet-peering", dnsResolution: false },
      });
    });

    it("refuses peering with itself, a role that is not a role ARN and an unknown setting, all at once", () => {
      const config = {
        ...app(),
        "hybridnet:peering": JSON.stringify({
          app: { roleArn: PEERING_ROLE.app },
          payments: { roleArn: "arn:aws:iam::333344445555:user/peering", dns: true },
        }),
      };
      let error: ValidationError | undefined;
      try {
        parseStackConfig("workload-app-peer", config);
      } catch (e) {
        error = e as ValidationError;
      }
      expect(error).to.be.instanceOf(ValidationError);
      problemAt(
        error!,
        "hybridnet:peering.payments.roleArn",
        "arn:aws:iam::333344445555:user/peering",
        "an IAM role ARN",
      );
      problemAt(
        error!,
        "hybridnet:peering.payments.dns",
        true,
        "not a setting here; the settings here are roleArn, dnsResolution",
      );
      // The shape is checked first; the rule across fields once the shape is right.
      const self = { ...app(), "hybridnet:peering": JSON.stringify({ app: { roleArn: PEERING_ROLE.app } }) };
      try {
        parseStackConfig("workload-app-peer", self);
        expect.fail("accepted peering with itself");
      } catch (e) {
        problemAt(e as ValidationError, "hybridnet:peering.app", "app", "AWS cannot peer a VPC with itself");
      }
    });
  });

  describe("environment: references, order, checks across stacks", () => {
    it("makes the requester read its accepter (a hard reference): the accepter deploys first", () => {
      const plain = planEnvironment(
        editedEnvironment("peer", () => {}),
        "peer",
      );
      const peered = planEnvironment(
        editedEnvironment("peer", (c) =>
          requestPeering(c, "workload-app", "payments", PEERING_ROLE.payments),
        ),
        "peer",
      );
      expect(steps(plain)).to.deep.equal([
        "connectivity-peer#1",
        "workload-app-peer#1",
        "workload-payments-peer#1",
        "connectivity-peer#2",
        "workload-app-peer#2",
        "workload-payments-peer#2",
      ]);
      expect(steps(peered)).to.deep.equal([
        "connectivity-peer#1",
        "workload-payments-peer#1",
        "workload-app-peer#1",
        "connectivity-peer#2",
        "workload-payments-peer#2",
        "workload-app-peer#2",
      ]);
      expect(peered.references.filter((r) => r.from === "workload-app-peer")).to.deep.equal([
        {
          from: "workload-app-peer",
          to: "connectivity-peer",
          kind: "hard",
          reads: [
            "transitGatewayId",
            "segments",
            "connectivityAccountId",
            "sharedVpcCidr",
            "clientCidrs",
            "onPremService",
            "endpointIds",
          ],
        },
        {
          from: "workload-app-peer",
          to: "workload-payments-peer",
          kind: "hard",
          reads: ["accountId", "region", "vpcId", "vpcCidr", "privateRouteTableIds", "peers"],
        },
      ]);
    });

    it("tears the requester down before its accepter: it holds the peering and the routes in the peer's tables", () => {
      const plain = teardownOrder(
        planEnvironment(
          editedEnvironment("peer", () => {}),
          "peer",
        ),
      );
      const peered = teardownOrder(
        planEnvironment(
          editedEnvironment("peer", (c) => requestPeering(c, "workload-payments", "app", PEERING_ROLE.app)),
          "peer",
        ),
      );
      const wholeStacks = (s: typeof plain) => s.filter((x) => x.targets.length === 0).map((x) => x.stack);
      expect(wholeStacks(plain)).to.deep.equal([
        "workload-app-peer",
        "workload-payments-peer",
        "connectivity-peer",
      ]);
      expect(wholeStacks(peered)).to.deep.equal([
        "workload-payments-peer",
        "workload-app-peer",
        "connectivity-peer",
      ]);
      expect(
        peered.find((s) => s.stack === "workload-payments-peer" && s.targets.length === 0)?.reason,
      ).to.include("workload-app-peer, whose VPCs it peers with");
    });

    it("accepts a peering of two workloads with their own CIDRs, the role in the peer's account", () => {
      const dir = editedEnvironment("peer", (c) =>
        requestPeering(c, "workload-app", "payments", PEERING_ROLE.payments),
      );
      expect(environmentError(dir, "peer")).to.equal(undefined);
    });

    it("refuses a peer not in the environment, and a role in another account than the peer's", () => {
      const error = refusedEnvironment((c) => {
        requestPeering(c, "workload-app", "billing", PEERING_ROLE.payments);
        requestPeering(c, "workload-app", "payments", PEERING_ROLE.app);
      });
      problemAt(
        error,
        "workload-app-peer: hybridnet:peering.billing",
        "billing",
        "a workload of environment peer with a stack file Pulumi.workload-billing-peer.yaml: app, payments",
      );
      problemAt(
        error,
        "workload-app-peer: hybridnet:peering.payments.roleArn",
        "arn:aws:iam::222233334444:role/hybridnet-peering",
        "a role in workload-payments-peer's account 333344445555",
      );
      expect(error.problems).to.have.length(2);
    });

    it("refuses peering VPCs whose CIDRs overlap, in AWS's words", () => {
      const error = refusedEnvironment((c) => {
        // Not attached to the hub, so the transit gateway's rule (routed networks unique) does not apply.
        delete c["workload-payments"]["hybridnet:attachment"];
        c["workload-payments"]["hybridnet:vpc"] = {
          cidr: "10.20.0.0/20",
          availabilityZones: ["use1-az1", "use1-az2"],
        };
        (c.connectivity["hybridnet:workloads"] as Record<string, { vpcCidr: string }>).payments.vpcCidr =
          "10.20.0.0/20";
        requestPeering(c, "workload-app", "payments", PEERING_ROLE.payments);
      });
      problemAt(
        error,
        "workload-app-peer: hybridnet:peering.payments",
        "payments",
        "workload-payments-peer's hybridnet:vpc.cidr 10.20.0.0/20 overlaps 10.20.0.0/16, and AWS cannot create a VPC peering connection between VPCs with matching or overlapping CIDR blocks",
      );
      expect(error.problems).to.have.length(1);
    });

    it("refuses two workloads that both request peering with each other: one requester only", () => {
      const error = refusedEnvironment((c) => {
        requestPeering(c, "workload-app", "payments", PEERING_ROLE.payments);
        requestPeering(c, "workload-payments", "app", PEERING_ROLE.app);
      });
      problemAt(
        error,
        "workload-app-peer: hybridnet:peering.payments",
        "payments",
        "workload-payments-peer declares hybridnet:peering.app too; AWS allows one peering connection between two VPCs",
      );
      expect(error.problems).to.have.length(1);
    });

    it("refuses a cycle of peering requests no deployment order satisfies", () => {
      const error = refusedEnvironment((c) => {
        addDataWorkload(c);
        requestPeering(c, "workload-app", "payments", PEERING_ROLE.payments);
        requestPeering(c, "workload-payments", "data", PEERING_ROLE.data);
        requestPeering(c, "workload-data", "app", PEERING_ROLE.app);
      });
      problemAt(error, "hybridnet:peering", "app → payments → data → app", "no order deploys a cycle");
      expect(error.problems).to.have.length(1);
      // Without the cycle, the chain deploys accepter first: data, then payments, then app.
      const chain = planEnvironment(
        editedEnvironment("peer", (c) => {
          addDataWorkload(c);
          requestPeering(c, "workload-app", "payments", PEERING_ROLE.payments);
          requestPeering(c, "workload-payments", "data", PEERING_ROLE.data);
        }),
        "peer",
      );
      expect(steps(chain).filter((s) => s.endsWith("#1"))).to.deep.equal([
        "connectivity-peer#1",
        "workload-data-peer#1",
        "workload-payments-peer#1",
        "workload-app-peer#1",
      ]);
    });
  });

  describe("stacks under mocks", () => {
    let env: Awaited<ReturnType<typeof runEnvironment>>;
    let dir: string;
    const last = (stack: string): StackRun => {
      const runs = env.runs.filter((r) => r.step.stack === stack);
      return runs.at(-1) ?? expect.fail(`no run of ${stack}`);
    };
    const ofComponent = (resources: ResourceList, type: string) =>
      resources.ofType(type).filter((r) => r.name.startsWith("app-to-payments-"));

    before(async function () {
      this.timeout(120_000);
      dir = editedEnvironment("peer", (c) =>
        requestPeering(c, "workload-app", "payments", PEERING_ROLE.payments),
      );
      env = await runEnvironment("peer", dir);
    });

    it("the accepter publishes where its VPC is: account, Region, VPC, CIDR, private route tables, its own requests", () => {
      const payments = last("workload-payments-peer").outputs;
      expect(payments.accountId).to.equal("333344445555");
      expect(payments.region).to.equal("us-east-1");
      expect(payments.vpcCidr).to.equal("10.30.0.0/16");
      expect(payments.vpcId).to.match(/^vpc-[0-9a-f]{17}$/);
      expect(Object.keys(payments.privateRouteTableIds as object)).to.deep.equal([
        "private-use1-az1",
        "private-use1-az2",
      ]);
      expect(payments.peers).to.deep.equal([]);
      expect(last("workload-app-peer").outputs.peers).to.deep.equal(["payments"]);
      expect(last("workload-app-peer").reads.map((r) => r.id)).to.deep.equal([
        "organization/hybridnet/connectivity-peer",
        "organization/hybridnet/workload-payments-peer",
      ]);
    });

    it("requests the peering cross-account, accepts it in the peer's account, DNS and routes on both sides", () => {
      const app = last("workload-app-peer");
      const payments = last("workload-payments-peer").outputs;
      const appTables = Object.values(app.outputs.privateRouteTableIds as Record<string, string>);
      const peerTables = Object.values(payments.privateRouteTableIds as Record<string, string>);
      expect(appTables).to.have.length(2);

      const [request] = ofComponent(app.resources, T.peering);
      expect(request.inputs).to.include({
        vpcId: app.outputs.vpcId,
        peerVpcId: payments.vpcId,
        peerOwnerId: "333344445555",
        autoAccept: false,
      });
      expect(request.inputs).not.to.have.property("peerRegion");
      expect(providerName(request)).to.equal("app");
      const accepter = ofComponent(app.resources, T.accepter);
      expect(accepter.map(providerName)).to.deep.equal([PEER_PROVIDER]);
      expect(app.outputs.peeringConnectionIds).to.deep.equal({
        payments: accepter[0].inputs.vpcPeeringConnectionId,
      });

      // The VpcPeering makes the accepter's provider from the configured role, as its child, tagged and
      // named like the stack's own provider and limited to the peer's account.
      const peerProvider = app.resources.named(PEER_PROVIDER);
      expect(peerProvider.parent).to.equal(app.resources.ofType("hybridnet:index:VpcPeering")[0].urn);
      expect(JSON.parse(String(peerProvider.inputs.assumeRoles))).to.deep.equal([
        {
          roleArn: "arn:aws:iam::333344445555:role/hybridnet-peering",
          sessionName: "hybridnet-workload-app-peer",
        },
      ]);
      expect(JSON.parse(String(peerProvider.inputs.allowedAccountIds))).to.deep.equal(["333344445555"]);
      expect(peerProvider.inputs.region).to.equal("us-east-1");
      expect(peerProvider.inputs.defaultTags).to.equal(app.resources.named("app").inputs.defaultTags);

      const options = ofComponent(app.resources, T.options);
      expect(options.map((o) => [providerName(o), o.inputs.requester ?? o.inputs.accepter])).to.deep.equal([
        ["app", { allowRemoteVpcDnsResolution: true }],
        [PEER_PROVIDER, { allowRemoteVpcDnsResolution: true }],
      ]);

      const routes = ofComponent(app.resources, T.route)
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .map((r) => [providerName(r), r.inputs.routeTableId, r.inputs.destinationCidrBlock]);
      expect(routes).to.deep.equal([
        [PEER_PROVIDER, peerTables[0], "10.20.0.0/16"],
        [PEER_PROVIDER, peerTables[1], "10.20.0.0/16"],
        ["app", appTables[0], "10.30.0.0/16"],
        ["app", appTables[1], "10.30.0.0/16"],
      ]);
      // The accepter's own stack registers nothing of the peering.
      expect(
        last("workload-payments-peer").resources.all.filter((r) => r.type.includes("eering")),
      ).to.deep.equal([]);
    });

    it("peers with a workload in another Region through a provider in that Region (cross-Region request)", async () => {
      const deployed = structuredClone(env.deployed);
      const payments = deployed["organization/hybridnet/workload-payments-peer"];
      payments.region = "eu-west-1";
      const config = readStackFiles(dir, "peer").find((f) => f.stack === "workload-app-peer")!.config;
      const run = await runStackProgram("workload-app-peer", config, deployed);
      if (run.error) expect.fail(run.error.stack);
      const [request] = ofComponent(run.resources, T.peering);
      expect(request.inputs).to.include({
        peerRegion: "eu-west-1",
        peerOwnerId: "333344445555",
        autoAccept: false,
      });
      const peerProvider = run.resources.ofType(T.provider).find((p) => p.name === PEER_PROVIDER);
      expect(peerProvider?.inputs.region).to.equal("eu-west-1");
      expect(ofComponent(run.resources, T.accepter).map(providerName)).to.deep.equal([PEER_PROVIDER]);
    });

    describe("refuses, before registering anything, what the peer's outputs contradict", () => {
      const appConfig = () =>
        readStackFiles(dir, "peer").find((f) => f.stack === "workload-app-peer")!.config;
      async function refused(change: (payments: Record<string, unknown>) => void) {
        const deployed = structuredClone(env.deployed);
        change(deployed["organization/hybridnet/workload-payments-peer"]);
        const run = await runStackProgram("workload-app-peer", appConfig(), deployed);
        if (!(run.error instanceof ValidationError))
          return expect.fail(`no ValidationError: ${run.error?.stack}`);
        expect(
          run.resources.all.map((r) => `${r.type} ${r.name}`),
          "registered before the error",
        ).to.deep.equal([]);
        expect(run.error.where).to.equal("workload-app-peer");
        return run.error;
      }

      it("a peer not deployed yet: deploy it first", async () => {
        const error = await refused((p) => {
          for (const k of Object.keys(p)) delete p[k];
        });
        problemAt(
          error,
          "hybridnet:peering.payments",
          "payments",
          "workload-payments-peer has no outputs yet; deploy it first (its pass 1)",
        );
        expect(error.problems).to.have.length(1);
      });

      const cases: [string, (p: Record<string, unknown>) => void, string, unknown, string][] = [
        [
          "a peer of an older version, which does not publish its private route tables",
          (p) => delete p.privateRouteTableIds,
          "stack output workload-payments-peer.privateRouteTableIds",
          undefined,
          "update workload-payments-peer to this version of the program (hybridnet:peering.payments)",
        ],
        [
          "a peer in another account than the role's",
          (p) => Object.assign(p, { accountId: "999988887777" }),
          "hybridnet:peering.payments.roleArn",
          "arn:aws:iam::333344445555:role/hybridnet-peering",
          "a role in workload-payments-peer's account 999988887777",
        ],
        [
          "a peer that requests peering with this workload too",
          (p) => Object.assign(p, { peers: ["app"] }),
          "hybridnet:peering.payments",
          "payments",
          "AWS allows one peering connection between two VPCs",
        ],
        [
          "a peer whose VPC CIDR overlaps this one",
          (p) => Object.assign(p, { vpcCidr: "10.20.128.0/17" }),
          "hybridnet:peering.payments (stack output workload-payments-peer.vpcCidr)",
          "10.20.128.0/17",
          "AWS cannot create a peering connection between VPCs with matching or overlapping CIDR blocks",
        ],
      ];
      for (const [title, change, path, value, allowed] of cases)
        it(title, async () => {
          const error = await refused(change);
          problemAt(error, path, value, allowed);
          expect(error.problems, error.message).to.have.length(1);
        });
    });

    it("previews a first deployment: the request names the accepter's known ids and this VPC's unknown one", async function () {
      this.timeout(60_000);
      const config = readStackFiles(dir, "peer").find((f) => f.stack === "workload-app-peer")!.config;
      const payments = env.deployed["organization/hybridnet/workload-payments-peer"];
      const deployed = { ...env.deployed };
      delete deployed["organization/hybridnet/workload-app-peer"];
      const preview = await previewStack("workload-app-peer", config, deployed);
      expect(preview.error, preview.error?.stack).to.equal(undefined);
      const request = preview.registered.find((r) => r.type === T.peering);
      expect(request?.inputs.peerVpcId).to.equal(payments.vpcId);
      expect(request?.unknownInputs).to.include("vpcId");
      const routes = preview.registered
        .filter((r) => r.type === T.route && r.name.startsWith("app-to-payments-"))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      expect(routes.map((r) => r.name)).to.deep.equal([
        "app-to-payments-accepter-private-use1-az1-10-20-0-0-16",
        "app-to-payments-accepter-private-use1-az2-10-20-0-0-16",
        "app-to-payments-requester-private-use1-az1-10-30-0-0-16",
        "app-to-payments-requester-private-use1-az2-10-30-0-0-16",
      ]);
      // The peer's route tables are known (read from its stack); this VPC's are not, before it exists.
      const peerTables = Object.values(payments.privateRouteTableIds as Record<string, string>);
      expect(routes.slice(0, 2).map((r) => r.inputs.routeTableId)).to.deep.equal(peerTables);
      expect(routes.slice(2).every((r) => r.unknownInputs.includes("routeTableId"))).to.equal(true);
      expect(preview.registered.filter((r) => r.type === T.component)).to.have.length(1);
    });
  });
});
