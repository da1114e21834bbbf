/**
 * Gateway endpoints from stack config (`hybridnet:gatewayEndpoints`), on workload stacks and the connectivity
 * stack: the config rules, the endpoint policy (the stack's own account by default, an organization or accounts
 * when given), the route tables (every private one by default), and the stacks under mocks.
 */
import { expect } from "chai";
import { readStackFiles } from "../model/environment";
import { Problems, ValidationError } from "../model/errors";
import { parseStackConfig } from "../model/stackConfig";
import { gatewayEndpointsArgs, preflightGatewayEndpoints } from "../stacks/gatewayEndpoints";
import { runEnvironment, type StackRun } from "./environment";
import { problemAt } from "./refusals";
import { editedEnvironment } from "./workloadEnvironments";

const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

/** The app workload's config with `hybridnet:gatewayEndpoints` set to `value`. */
function appWith(value: unknown): Record<string, string> {
  const file = readStackFiles(
    editedEnvironment("gwe", () => {}),
    "gwe",
  ).find((f) => f.stack === "workload-app-gwe")!;
  return { ...file.config, "hybridnet:gatewayEndpoints": JSON.stringify(value) };
}

function refusedConfig(value: unknown): ValidationError {
  try {
    parseStackConfig("workload-app-gwe", appWith(value));
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  return expect.fail("accepted");
}

/** The generated policy of one service for the given condition, as AWS reads it. */
const restricted = (action: string, sid: string, condition: Record<string, unknown>) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: sid,
        Effect: "Allow",
        Principal: "*",
        Action: action,
        Resource: "*",
        Condition: { StringEquals: condition },
      },
    ],
  });

describe("gateway endpoints from stack config (hybridnet:gatewayEndpoints)", () => {
  describe("config", () => {
    it("accepts services with an organization, accounts or a whole policy, and route tables of the VPC", () => {
      for (const value of [
        { services: ["s3"] },
        {
          services: ["s3", "dynamodb"],
          allowedPrincipalOrgId: "o-a1b2c3d4e5",
          routeTables: ["private-use1-az2"],
        },
        { services: ["dynamodb"], allowedAccountIds: ["222233334444", "333344445555"] },
        {
          services: ["s3"],
          policy: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}',
        },
      ]) {
        const settings = parseStackConfig("workload-app-gwe", appWith(value));
        expect(settings.role === "workload" && settings.config.gatewayEndpoints).to.deep.equal(value);
      }
    });

    it("refuses a service without gateway endpoints, a bad organization id and a policy that is not JSON", () => {
      const error = refusedConfig({
        services: ["s3", "sqs"],
        allowedPrincipalOrgId: "o-1",
        policy: "{Statement",
      });
      problemAt(error, "hybridnet:gatewayEndpoints.services[1]", "sqs", 'one of "s3", "dynamodb"');
      problemAt(error, "hybridnet:gatewayEndpoints.allowedPrincipalOrgId", "o-1", "an organization id");
      problemAt(error, "hybridnet:gatewayEndpoints.policy", "{Statement", "not valid JSON");
      expect(refusedConfig({ services: [] }).problems.map((p) => p.allowed)).to.deep.equal([
        'at least one of "s3", "dynamodb"',
      ]);
    });

    it("refuses a route table the VPC does not have, a service twice, and a policy beside a restriction", () => {
      const policy = '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}';
      const error = refusedConfig({
        services: ["s3", "s3"],
        routeTables: ["private-use1-az3", "private-use1-az1", "private-use1-az1"],
        allowedAccountIds: ["222233334444"],
        policy,
      });
      problemAt(
        error,
        "hybridnet:gatewayEndpoints.routeTables[0]",
        "private-use1-az3",
        "a private route table of this VPC: private-use1-az1, private-use1-az2",
      );
      problemAt(error, "hybridnet:gatewayEndpoints.routeTables[2]", "private-use1-az1", "listed twice");
      problemAt(error, "hybridnet:gatewayEndpoints.services[1]", "s3", "one gateway endpoint per service");
      problemAt(error, "hybridnet:gatewayEndpoints.policy", policy, "not both");
      expect(error.problems).to.have.length(4);
    });
  });

  describe("component arguments", () => {
    const place = {
      accountId: "222233334444",
      region: "eu-west-1",
      vpcId: "vpc-0123456789abcdef0",
      zones: ["euw1-az1", "euw1-az2"],
      privateRouteTables: { "private-euw1-az1": "rtb-11111111", "private-euw1-az2": "rtb-22222222" },
      tags: {},
    };

    it("restricts to the stack's own account when nothing else is given, into every private route table", () => {
      expect(gatewayEndpointsArgs({ services: ["s3"] }, place)).to.deep.include({
        region: "eu-west-1",
        services: ["s3"],
        allowedAccountIds: ["222233334444"],
        routeTableIds: { "private-euw1-az1": "rtb-11111111", "private-euw1-az2": "rtb-22222222" },
      });
      const org = gatewayEndpointsArgs({ services: ["s3"], allowedPrincipalOrgId: "o-a1b2c3d4e5" }, place);
      expect(org).to.include({ allowedPrincipalOrgId: "o-a1b2c3d4e5" });
      expect(org).not.to.have.property("allowedAccountIds");
      const given = gatewayEndpointsArgs(
        { services: ["s3"], policy: "{}", routeTables: ["private-euw1-az2"] },
        place,
      );
      expect(given).to.include({ policy: "{}" });
      expect(given).not.to.have.property("allowedAccountIds");
      expect(given.routeTableIds).to.deep.equal({ "private-euw1-az2": "rtb-22222222" });
    });

    it("reports what the component refuses at the config path it came from", () => {
      const problems = new Problems();
      const args = gatewayEndpointsArgs({ services: ["s3"], routeTables: ["private-euw1-az1"] }, place);
      preflightGatewayEndpoints(problems, "app-endpoints", {
        ...args,
        services: ["s3", "sqs" as "s3"],
        routeTableIds: { "private-euw1-az1": "subnet-11111111" },
      });
      let error: ValidationError | undefined;
      try {
        problems.throwIfAny("workload-app-gwe");
      } catch (e) {
        error = e as ValidationError;
      }
      problemAt(error!, "hybridnet:gatewayEndpoints.services[1]", "sqs", "need an interface endpoint");
      problemAt(
        error!,
        "hybridnet:gatewayEndpoints.routeTables",
        "subnet-11111111",
        '"rtb-" and 8 or 17 hexadecimal digits',
      );
    });
  });

  describe("stacks under mocks", () => {
    let env: Awaited<ReturnType<typeof runEnvironment>>;
    const last = (stack: string): StackRun =>
      env.runs.filter((r) => r.step.stack === stack).at(-1) ?? expect.fail(`no run of ${stack}`);

    before(async function () {
      this.timeout(120_000);
      const dir = editedEnvironment("gwe", (c) => {
        c["workload-app"]["hybridnet:gatewayEndpoints"] = {
          services: ["s3"],
          routeTables: ["private-use1-az1"],
        };
        c["workload-payments"]["hybridnet:gatewayEndpoints"] = {
          services: ["dynamodb"],
          allowedPrincipalOrgId: "o-a1b2c3d4e5",
        };
        c.connectivity["hybridnet:gatewayEndpoints"] = {
          services: ["s3", "dynamodb"],
          allowedAccountIds: ["111122223333", "222233334444"],
        };
      });
      env = await runEnvironment("gwe", dir);
    });

    it("gives a workload an S3 endpoint in the route tables named, for its own account only", () => {
      const app = last("workload-app-gwe");
      const endpoints = app.resources.ofType(ENDPOINT).filter((r) => r.inputs.vpcEndpointType === "Gateway");
      expect(endpoints.map((e) => e.name)).to.deep.equal(["app-endpoints-s3"]);
      const tables = app.outputs.privateRouteTableIds as Record<string, string>;
      expect(endpoints[0].inputs).to.deep.include({
        vpcId: app.outputs.vpcId,
        serviceName: "com.amazonaws.us-east-1.s3",
        routeTableIds: [tables["private-use1-az1"]],
        policy: restricted("s3:*", "AllowListedAccounts", { "aws:PrincipalAccount": ["222233334444"] }),
      });
      expect(endpoints[0].provider?.split("::").slice(-2)[0]).to.equal("app");
      expect(Object.keys(app.outputs.gatewayEndpointIds as object)).to.deep.equal(["s3"]);
      expect((app.outputs.gatewayEndpointIds as Record<string, string>).s3).to.match(/^vpce-[0-9a-f]{17}$/);
    });

    it("restricts a workload's DynamoDB endpoint to the organization, in every private route table", () => {
      const payments = last("workload-payments-gwe");
      const [endpoint] = payments.resources
        .ofType(ENDPOINT)
        .filter((r) => r.inputs.vpcEndpointType === "Gateway");
      const tables = payments.outputs.privateRouteTableIds as Record<string, string>;
      expect(endpoint.inputs).to.deep.include({
        serviceName: "com.amazonaws.us-east-1.dynamodb",
        routeTableIds: [tables["private-use1-az1"], tables["private-use1-az2"]],
        policy: restricted("dynamodb:*", "AllowOrganizationPrincipals", {
          "aws:PrincipalOrgID": "o-a1b2c3d4e5",
        }),
      });
    });

    it("gives the connectivity VPC both endpoints for the accounts listed", () => {
      const c = last("connectivity-gwe");
      const endpoints = c.resources.ofType(ENDPOINT).filter((r) => r.inputs.vpcEndpointType === "Gateway");
      expect(endpoints.map((e) => e.inputs.serviceName)).to.deep.equal([
        "com.amazonaws.us-east-1.s3",
        "com.amazonaws.us-east-1.dynamodb",
      ]);
      for (const e of endpoints) {
        expect(e.inputs.vpcId).to.equal(c.outputs.sharedVpcId);
        expect(e.inputs.routeTableIds).to.have.length(2);
      }
      expect(endpoints[1].inputs.policy).to.equal(
        restricted("dynamodb:*", "AllowListedAccounts", {
          "aws:PrincipalAccount": ["111122223333", "222233334444"],
        }),
      );
      expect(Object.keys(c.outputs.gatewayEndpointIds as object)).to.deep.equal(["s3", "dynamodb"]);
    });
  });
});
