/**
 * Environments (model/environment) and VPC layouts (model/vpcLayout): which stack references which, the order
 * they deploy in, the checks across an environment's stacks, and the subnets every VPC gets. Pure.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { dump } from "js-yaml";
import {
  checkEnvironment,
  cliConfig,
  deploymentOrder,
  planEnvironment,
  readStackFiles,
  type StackReferenceEdge,
  teardownOrder,
} from "../model/environment";
import { ValidationError } from "../model/errors";
import { parseStackConfig } from "../model/stackConfig";
import { planVpcLayout } from "../model/vpcLayout";
import { STACKS_DIR } from "./environment";
import { problemAt } from "./refusals";

const order = (steps: { stack: string; pass: number }[]) => steps.map((s) => `${s.stack}#${s.pass}`);

describe("environments (model/environment)", () => {
  it("orders dev and prod: connectivity, the workloads, connectivity again, the workloads again", () => {
    for (const env of ["dev", "prod"]) {
      const plan = planEnvironment(STACKS_DIR, env);
      const workloads = plan.stacks.filter((s) => s.role === "workload").map((s) => s.identity.stack);
      expect(workloads.length).to.be.at.least(2);
      expect(order(plan.steps)).to.deep.equal([
        `connectivity-${env}#1`,
        ...workloads.map((w) => `${w}#1`),
        `connectivity-${env}#2`,
        ...workloads.map((w) => `${w}#2`),
      ]);
      expect(plan.references.filter((r) => r.kind === "hard").map((r) => `${r.from}→${r.to}`)).to.deep.equal(
        workloads.map((w) => `${w}→connectivity-${env}`),
      );
    }
  });

  it("orders any stacks by their references, and refuses a cycle of hard references", () => {
    const edges: StackReferenceEdge[] = [
      { from: "c", to: "b", kind: "hard", reads: [] },
      { from: "b", to: "a", kind: "hard", reads: [] },
      { from: "a", to: "c", kind: "soft", reads: [] },
    ];
    expect(order(deploymentOrder(["c", "b", "a"], edges))).to.deep.equal(["a#1", "b#1", "c#1", "a#2", "b#2"]);
    expect(
      order(deploymentOrder(["a", "b"], [{ from: "b", to: "a", kind: "hard", reads: [] }])),
    ).to.deep.equal(["a#1", "b#1"]);
    expect(() =>
      deploymentOrder(
        ["a", "b"],
        [
          { from: "a", to: "b", kind: "hard", reads: [] },
          { from: "b", to: "a", kind: "hard", reads: [] },
        ],
      ),
    ).to.throw(/cycle no order satisfies: a → b → a/);
  });

  describe("teardown order", () => {
    const accepter =
      "hybridnet:index:PrivateLinkService$aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter";
    const endpoint = "hybridnet:index:PrivateLinkEndpoint";

    it("undoes the PrivateLink handshake first, then destroys the workloads, then the hub (prod)", () => {
      const steps = teardownOrder(planEnvironment(STACKS_DIR, "prod"));
      expect(
        steps.map((s) => ({ stack: s.stack, targets: s.targets, unprotect: s.unprotectFirst })),
      ).to.deep.equal([
        {
          stack: "workload-orders-prod",
          targets: [`urn:pulumi:workload-orders-prod::hybridnet::${endpoint}::orders-onprem`],
          unprotect: false,
        },
        {
          stack: "workload-payments-prod",
          targets: [`urn:pulumi:workload-payments-prod::hybridnet::${endpoint}::payments-onprem`],
          unprotect: false,
        },
        {
          stack: "connectivity-prod",
          targets: [
            `urn:pulumi:connectivity-prod::hybridnet::${endpoint}::to-orders`,
            `urn:pulumi:connectivity-prod::hybridnet::${endpoint}::to-payments`,
            `urn:pulumi:connectivity-prod::hybridnet::${accepter}::onprem-accept-orders`,
            `urn:pulumi:connectivity-prod::hybridnet::${accepter}::onprem-accept-payments`,
          ],
          unprotect: false,
        },
        { stack: "workload-orders-prod", targets: [], unprotect: true },
        { stack: "workload-payments-prod", targets: [], unprotect: true },
        { stack: "connectivity-prod", targets: [], unprotect: true },
      ]);
    });

    it("gives the commands to type: targeted destroys, then unprotect and destroy in prod only", () => {
      const prod = teardownOrder(planEnvironment(STACKS_DIR, "prod"));
      expect(prod[0].commands).to.deep.equal([
        `pulumi destroy --stack workload-orders-prod --target 'urn:pulumi:workload-orders-prod::hybridnet::${endpoint}::orders-onprem' --target-dependents`,
      ]);
      expect(prod[5].commands).to.deep.equal([
        "pulumi state unprotect --all --stack connectivity-prod",
        "pulumi destroy --stack connectivity-prod",
      ]);
      const dev = teardownOrder(planEnvironment(STACKS_DIR, "dev"));
      expect(dev.map((s) => s.stack)).to.deep.equal([
        "workload-app-dev",
        "workload-payments-dev",
        "connectivity-dev",
        "workload-app-dev",
        "workload-payments-dev",
        "connectivity-dev",
      ]);
      expect(dev.at(-1)?.commands).to.deep.equal(["pulumi destroy --stack connectivity-dev"]);
      expect(dev.some((s) => s.unprotectFirst)).to.equal(false);
    });
  });

  it("turns a stack file's config into what the CLI hands the program", () => {
    expect(
      cliConfig({ "hybridnet:role": "workload", "hybridnet:vpc": { cidr: "10.0.0.0/16" } }),
    ).to.deep.equal({
      "hybridnet:role": "workload",
      "hybridnet:vpc": '{"cidr":"10.0.0.0/16"}',
    });
  });

  describe("checks across stacks", () => {
    const stacks = () =>
      readStackFiles(STACKS_DIR, "prod").map((f) => ({ stack: f.stack, config: { ...f.config } }));
    function refused(files: { stack: string; config: Record<string, string> }[]): ValidationError {
      try {
        checkEnvironment(
          "prod",
          files.map((f) => parseStackConfig(f.stack, f.config)),
        );
      } catch (e) {
        if (e instanceof ValidationError) return e;
        throw e;
      }
      return expect.fail("accepted");
    }

    it("refuses two attached workloads with one CIDR: routed networks must be unique", () => {
      const files = stacks();
      for (const f of files.filter((x) => x.stack.startsWith("workload-")))
        Object.assign(
          f.config,
          cliConfig({
            "hybridnet:attachment": {
              segment: "workloads",
              hubRoleArn: "arn:aws:iam::444455556666:role/attach",
            },
          }),
        );
      const error = refused(files);
      problemAt(
        error,
        "workload-payments-prod: hybridnet:vpc.cidr",
        "10.50.0.0/16",
        "overlaps workload-orders-prod",
      );
    });

    it("refuses a workload account or CIDR the connectivity stack has wrong, and a workload it does not list", () => {
      const files = stacks();
      const hub = files.find((f) => f.stack === "connectivity-prod")!;
      const workloads = JSON.parse(hub.config["hybridnet:workloads"]);
      workloads.orders.accountId = "777788889999";
      delete workloads.payments;
      workloads.billing = { accountId: "888899990000", vpcCidr: "10.60.0.0/16" };
      hub.config["hybridnet:workloads"] = JSON.stringify(workloads);
      // Intents naming the dropped workload would be refused first (the stack's own config).
      const intents = JSON.parse(hub.config["hybridnet:intents"]);
      delete intents["dc1-to-payments"];
      hub.config["hybridnet:intents"] = JSON.stringify(intents);
      const error = refused(files);
      problemAt(
        error,
        "connectivity-prod: hybridnet:workloads.orders.accountId",
        "777788889999",
        "666677778888",
      );
      problemAt(
        error,
        "connectivity-prod: hybridnet:workloads.billing",
        "billing",
        "Pulumi.workload-billing-prod.yaml",
      );
      problemAt(
        error,
        "workload-payments-prod",
        "payments",
        "listed in connectivity-prod's hybridnet:workloads",
      );
    });

    it("refuses a workload in another Region, or with fewer than two zone ids in common with the connectivity VPC", () => {
      const files = stacks();
      const orders = files.find((f) => f.stack === "workload-orders-prod")!;
      const payments = files.find((f) => f.stack === "workload-payments-prod")!;
      // connectivity-prod spans use1-az1, use1-az2, use1-az4.
      const vpc = JSON.parse(payments.config["hybridnet:vpc"]);
      payments.config["hybridnet:vpc"] = JSON.stringify({
        ...vpc,
        availabilityZones: ["use1-az4", "use1-az5"],
      });
      orders.config["hybridnet:aws"] = JSON.stringify({
        ...JSON.parse(orders.config["hybridnet:aws"]),
        region: "us-west-2",
      });
      orders.config["hybridnet:vpc"] = JSON.stringify({
        ...vpc,
        availabilityZones: ["usw2-az1", "usw2-az2"],
      });
      const error = refused(files);
      expect(error.problems.map((p) => [p.path, p.value])).to.deep.equal([
        ["workload-payments-prod: hybridnet:vpc.availabilityZones", ["use1-az4", "use1-az5"]],
        ["workload-orders-prod: hybridnet:aws.region", "us-west-2"],
      ]);
      problemAt(
        error,
        "workload-payments-prod: hybridnet:vpc.availabilityZones",
        ["use1-az4", "use1-az5"],
        "at least two of connectivity-prod's zone ids (use1-az1, use1-az2, use1-az4): the endpoints between the two VPCs can use only zones both have",
      );
      problemAt(
        error,
        "workload-orders-prod: hybridnet:aws.region",
        "us-west-2",
        "us-east-1, the Region connectivity-prod has it in (hybridnet:workloads.orders.region, default its own hybridnet:aws.region)",
      );
      // Two zones in common of three is enough.
      payments.config["hybridnet:vpc"] = JSON.stringify({
        ...vpc,
        availabilityZones: ["use1-az4", "use1-az1"],
      });
      orders.config = stacks().find((f) => f.stack === "workload-orders-prod")!.config;
      expect(() =>
        checkEnvironment(
          "prod",
          files.map((f) => parseStackConfig(f.stack, f.config)),
        ),
      ).not.to.throw();
    });

    it("reads only the files of the environment asked for", () => {
      const dir = mkdtempSync(join(tmpdir(), "hybridnet-env-"));
      writeFileSync(
        join(dir, "Pulumi.connectivity-dev.yaml"),
        dump({ config: { "hybridnet:role": "connectivity" } }),
      );
      writeFileSync(join(dir, "Pulumi.yaml"), dump({ name: "hybridnet" }));
      expect(readStackFiles(dir, "dev").map((f) => f.stack)).to.deep.equal(["connectivity-dev"]);
      expect(readStackFiles(dir, "prod")).to.deep.equal([]);
      expect(() => planEnvironment(dir, "prod")).to.throw(/no stack files Pulumi\.\*-prod\.yaml/);
    });
  });
});

describe("VPC layout (model/vpcLayout)", () => {
  it("gives each zone a private quarter and a /28 transit subnet from the fourth", () => {
    const layout = planVpcLayout("x", {
      cidr: "10.20.0.0/16",
      availabilityZones: ["use1-az1", "use1-az2", "use1-az3"],
    });
    expect(layout.tiers).to.deep.equal({
      private: {
        "use1-az1": "10.20.0.0/18",
        "use1-az2": "10.20.64.0/18",
        "use1-az3": "10.20.128.0/18",
      },
      transit: {
        "use1-az1": "10.20.192.0/28",
        "use1-az2": "10.20.192.16/28",
        "use1-az3": "10.20.192.32/28",
      },
    });
    expect(layout.subnets.map((s) => s.key)).to.deep.equal([
      "private-use1-az1",
      "private-use1-az2",
      "private-use1-az3",
      "transit-use1-az1",
      "transit-use1-az2",
      "transit-use1-az3",
    ]);
  });

  it("keeps the first zones' subnets when a third zone is added", () => {
    const two = planVpcLayout("x", { cidr: "10.10.0.0/20", availabilityZones: ["use1-az1", "use1-az2"] });
    const three = planVpcLayout("x", {
      cidr: "10.10.0.0/20",
      availabilityZones: ["use1-az1", "use1-az2", "use1-az3"],
    });
    for (const tier of ["private", "transit"] as const)
      for (const zone of ["use1-az1", "use1-az2"])
        expect(three.tiers[tier][zone]).to.equal(two.tiers[tier][zone]);
  });

  it("lays out every VPC size it accepts without overlap, and refuses what it cannot", () => {
    for (let prefix = 16; prefix <= 24; prefix++) {
      const layout = planVpcLayout("x", {
        cidr: `10.0.0.0/${prefix}`,
        availabilityZones: ["usw2-az1", "usw2-az2", "usw2-az3"],
      });
      expect(new Set(layout.subnets.map((s) => s.cidr)).size).to.equal(6);
    }
    expect(() =>
      planVpcLayout("x", { cidr: "10.0.0.0/25", availabilityZones: ["use1-az1", "use1-az2"] }),
    ).to.throw(ValidationError, /vpc\.cidr = "10\.0\.0\.0\/25": \/25 is too small/);
    expect(() => planVpcLayout("x", { cidr: "10.0.0.0/16", availabilityZones: ["use1-az1"] })).to.throw(
      /vpc\.availabilityZones = \["use1-az1"\]: 2 or 3 Availability Zone ids/,
    );
    // Zone names map to different zones in each account: a layout is of zone ids.
    expect(() =>
      planVpcLayout("x", { cidr: "10.0.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b"] }),
    ).to.throw(
      /vpc\.availabilityZones\[0\] = "us-east-1a": an Availability Zone id such as "use1-az1" \(the same zone in every account; names such as "us-east-1a" differ per account\)/,
    );
  });
});
