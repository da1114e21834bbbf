import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { GatewayEndpoints, type GatewayEndpointsArgs } from "../components/GatewayEndpoints";
import { ValidationError } from "../model/errors";
import { type RegisteredResource, resolve, runProgram } from "./harness";

const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

function baseArgs(): GatewayEndpointsArgs {
  return {
    vpcId: "vpc-0a000000000000001",
    region: "eu-west-1",
    routeTableIds: { public: "rtb-0a000000000000003", private: "rtb-0a000000000000001" },
  };
}

function byService(resources: RegisteredResource[]): Record<string, RegisteredResource> {
  return Object.fromEntries(resources.map((r) => [String(r.inputs.serviceName).split(".").pop(), r]));
}

function policyOf(endpoint: RegisteredResource): { Version: string; Statement: Record<string, unknown>[] } {
  return JSON.parse(String(endpoint.inputs.policy));
}

describe("GatewayEndpoints", () => {
  it("creates an S3 and a DynamoDB gateway endpoint in the region, serving every route table given", async () => {
    const { resources, error } = await runProgram(() => new GatewayEndpoints("vpce", baseArgs()));
    expect(error).to.equal(undefined);
    const endpoints = resources.ofType(ENDPOINT);
    expect(endpoints.map((e) => e.name).sort()).to.deep.equal(["vpce-dynamodb", "vpce-s3"]);
    const { s3, dynamodb } = byService(endpoints);
    expect(s3.inputs).to.include({
      vpcId: "vpc-0a000000000000001",
      serviceName: "com.amazonaws.eu-west-1.s3",
      vpcEndpointType: "Gateway",
    });
    expect(dynamodb.inputs.serviceName).to.equal("com.amazonaws.eu-west-1.dynamodb");
    // In key order (private, public), so adding a table never reorders the others.
    for (const e of endpoints)
      expect(e.inputs.routeTableIds).to.deep.equal(["rtb-0a000000000000001", "rtb-0a000000000000003"]);
    const [component] = resources.ofType("hybridnet:index:GatewayEndpoints");
    for (const e of endpoints) expect(e.parent).to.equal(component.urn);
  });

  it("attaches AWS's full-access policy when no restriction or policy is given", async () => {
    const { resources } = await runProgram(() => new GatewayEndpoints("vpce", baseArgs()));
    for (const e of resources.ofType(ENDPOINT))
      expect(policyOf(e)).to.deep.equal({
        Version: "2008-10-17",
        Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
      });
  });

  it("allows only principals of the organization when allowedPrincipalOrgId is given", async () => {
    const { resources } = await runProgram(
      () => new GatewayEndpoints("vpce", { ...baseArgs(), allowedPrincipalOrgId: "o-a1b2c3d4e5" }),
    );
    const { s3, dynamodb } = byService(resources.ofType(ENDPOINT));
    expect(policyOf(s3).Statement).to.deep.equal([
      {
        Sid: "AllowOrganizationPrincipals",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:*",
        Resource: "*",
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
      },
    ]);
    expect(policyOf(dynamodb).Statement[0].Action).to.equal("dynamodb:*");
  });

  it("allows only principals of the accounts given, and either those or the organization's when both are", async () => {
    const accounts = ["111122223333", "444455556666"];
    const only = await runProgram(
      () => new GatewayEndpoints("vpce", { ...baseArgs(), allowedAccountIds: accounts }),
    );
    const statements = policyOf(byService(only.resources.ofType(ENDPOINT)).s3).Statement;
    expect(statements).to.have.length(1);
    expect(statements[0].Condition).to.deep.equal({ StringEquals: { "aws:PrincipalAccount": accounts } });

    const both = await runProgram(
      () =>
        new GatewayEndpoints("vpce", {
          ...baseArgs(),
          allowedAccountIds: accounts,
          allowedPrincipalOrgId: "o-a1b2c3d4e5",
        }),
    );
    const sids = policyOf(byService(both.resources.ofType(ENDPOINT)).s3).Statement.map((s) => s.Sid);
    expect(sids).to.deep.equal(["AllowOrganizationPrincipals", "AllowListedAccounts"]);
  });

  it("uses a policy given as text unchanged, for every endpoint or per service", async () => {
    const text =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}';
    const s3Policy = {
      Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }],
    };
    const { resources } = await runProgram(
      () =>
        new GatewayEndpoints("vpce", {
          ...baseArgs(),
          policy: text,
          policies: { s3: JSON.stringify(s3Policy) },
        }),
    );
    const { s3, dynamodb } = byService(resources.ofType(ENDPOINT));
    expect(dynamodb.inputs.policy).to.equal(text);
    expect(policyOf(s3)).to.deep.equal(s3Policy);
  });

  it("passes a policy given as an Output on as it resolves, unchecked, and plans it as given", async () => {
    const s3Policy = { Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }] };
    const { resources, result, error } = await runProgram(
      () =>
        new GatewayEndpoints("vpce", {
          ...baseArgs(),
          policies: { s3: pulumi.output(JSON.stringify(s3Policy)) },
          allowedAccountIds: ["111122223333"],
        }),
    );
    expect(error).to.equal(undefined);
    const { s3, dynamodb } = byService(resources.ofType(ENDPOINT));
    expect(policyOf(s3)).to.deep.equal(s3Policy);
    expect(policyOf(dynamodb).Statement[0].Sid).to.equal("AllowListedAccounts");
    expect(
      result!.plan.endpoints.map((e) => [e.service, e.policySource, e.policy === undefined]),
    ).to.deep.equal([
      ["s3", "given", true],
      ["dynamodb", "restricted", false],
    ]);
  });

  it("restricts the endpoints without a given policy and keeps the given one elsewhere", async () => {
    const s3Policy = { Statement: { Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" } };
    const { resources, error } = await runProgram(
      () =>
        new GatewayEndpoints("vpce", {
          ...baseArgs(),
          policies: { s3: JSON.stringify(s3Policy) },
          allowedPrincipalOrgId: "o-a1b2c3d4e5",
        }),
    );
    expect(error).to.equal(undefined);
    const { s3, dynamodb } = byService(resources.ofType(ENDPOINT));
    expect(policyOf(s3)).to.deep.equal(s3Policy);
    expect(policyOf(dynamodb).Statement[0].Condition).to.deep.equal({
      StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
    });
  });

  it("creates only the services asked for", async () => {
    const { resources, result } = await runProgram(
      () => new GatewayEndpoints("vpce", { ...baseArgs(), services: ["dynamodb"] }),
    );
    expect(resources.ofType(ENDPOINT).map((e) => e.name)).to.deep.equal(["vpce-dynamodb"]);
    expect(Object.keys((await resolve(result!.endpointIds)).value)).to.deep.equal(["dynamodb"]);
  });

  it("outputs endpoint ids and the services' prefix list ids by service", async () => {
    const { result } = await runProgram(() => new GatewayEndpoints("vpce", baseArgs()));
    const endpointIds = (await resolve(result!.endpointIds)).value;
    const prefixListIds = (await resolve(result!.prefixListIds)).value;
    expect(Object.keys(endpointIds).sort()).to.deep.equal(["dynamodb", "s3"]);
    for (const id of Object.values(endpointIds)) expect(id).to.match(/^vpce-[0-9a-f]{17}$/);
    expect(Object.keys(prefixListIds).sort()).to.deep.equal(["dynamodb", "s3"]);
    for (const id of Object.values(prefixListIds)) expect(id).to.match(/^pl-[0-9a-f]{8}$/);
    expect(prefixListIds.s3).to.not.equal(prefixListIds.dynamodb);
  });

  describe("refuses invalid arguments and registers nothing", () => {
    const cases: [string, Partial<Record<keyof GatewayEndpointsArgs, unknown>>, string, string][] = [
      [
        "a service without gateway endpoints",
        { services: ["s3", "sqs"] },
        "services[1]",
        "interface endpoint",
      ],
      ["a service listed twice", { services: ["s3", "s3"] }, "services[1]", "listed twice"],
      ["no services", { services: [] }, "services", "at least one"],
      ["a region in the wrong format", { region: "EU-West-1" }, "region", "region code"],
      ["a missing region", { region: undefined }, "region", "region code"],
      ["a policy that is not JSON", { policy: "{Statement: []" }, "policy", "not valid JSON"],
      ["a policy without a Statement", { policy: '{"Version":"2012-10-17"}' }, "policy", "needs a Statement"],
      [
        "a policy with an empty Statement list",
        { policy: JSON.stringify({ Statement: [] }) },
        "policy",
        "needs a Statement",
      ],
      [
        "a policy with an unknown version",
        { policy: JSON.stringify({ Version: "2024-01-01", Statement: [{}] }) },
        "policy",
        '"2012-10-17"',
      ],
      [
        "a policy longer than 20,480 characters",
        { policy: JSON.stringify({ Statement: [{ Sid: "x".repeat(20500) }] }) },
        "policy",
        "at most 20480",
      ],
      [
        "a policy given as an object rather than JSON text",
        { policy: { Statement: [{}] } },
        "policy",
        "JSON.stringify(document)",
      ],
      [
        "a per-service policy given as an object",
        { policies: { s3: { Statement: [{}] } } },
        "policies.s3",
        "JSON text, not an object",
      ],
      ["a policy that is a number", { policy: 42 }, "policy", "JSON text"],
      [
        "a policy for a service that gets no endpoint",
        { services: ["s3"], policies: { dynamodb: JSON.stringify({ Statement: [{}] }) } },
        "policies.dynamodb",
        "no dynamodb endpoint",
      ],
      [
        "a policy for a service that has no gateway endpoint",
        { policies: { sqs: JSON.stringify({ Statement: [{}] }) } },
        "policies.sqs",
        "",
      ],
      ["a malformed organization id", { allowedPrincipalOrgId: "org-123" }, "allowedPrincipalOrgId", '"o-"'],
      [
        "a malformed account id",
        { allowedAccountIds: ["111122223333", "1111-2222-3333"] },
        "allowedAccountIds[1]",
        "12 digits",
      ],
      ["an empty account list", { allowedAccountIds: [] }, "allowedAccountIds", "at least one"],
      [
        "a restriction that no endpoint would use",
        { policy: JSON.stringify({ Statement: [{}] }), allowedAccountIds: ["111122223333"] },
        "allowedAccountIds",
        "has no effect",
      ],
      ["no route tables", { routeTableIds: {} }, "routeTableIds", "at least one route table"],
      [
        "a route table key that cannot name a resource",
        { routeTableIds: { "a/b": "rtb-0a000000000000001" } },
        "routeTableIds.a/b",
        "1–32 letters",
      ],
      [
        "the same route table twice",
        { routeTableIds: { a: "rtb-0a000000000000001", b: "rtb-0a000000000000001" } },
        "routeTableIds.b",
        "same route table as routeTableIds.a",
      ],
      ["a malformed VPC id", { vpcId: "vpc_0a000000000000001" }, "vpcId", "vpc id"],
    ];
    for (const [title, change, path, fragment] of cases)
      it(`refuses ${title}`, async () => {
        const { resources, error } = await runProgram(
          () => new GatewayEndpoints("vpce", { ...baseArgs(), ...change } as GatewayEndpointsArgs),
        );
        expect(error).to.be.instanceOf(ValidationError);
        expect(error!.message).to.contain('hybridnet:index:GatewayEndpoints "vpce"');
        const problem = (error as ValidationError).problems.find((p) => p.path === path);
        expect(problem, error!.message).to.not.equal(undefined);
        expect(problem!.allowed).to.contain(fragment);
        expect(resources.length).to.equal(0);
      });
  });
});
