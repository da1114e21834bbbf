/**
 * The PrivateLink handshake across two stacks, as a provider and a consumer run it: the provider publishes a
 * service name, the consumer creates an endpoint to it and outputs the endpoint id, and the provider's next
 * run accepts that id. Each pass is its own program under the mock runtime, as each stack is its own
 * `pulumi up`; only plain output values cross between them.
 */
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { PrivateLinkEndpoint } from "../components/PrivateLinkEndpoint";
import { PrivateLinkService, type PrivateLinkServiceArgs } from "../components/PrivateLinkService";
import { resolve, runProgram } from "./harness";

const ACCEPTER = "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter";
const CONSUMER_ACCOUNT = "444455556666";

/** The provider stack: a workload account's service, offered to the consumer's account. */
function provider(accept?: Record<string, string>) {
  const args: PrivateLinkServiceArgs = {
    vpcId: "vpc-0123456789abcdef0",
    // The consumer's VPC below uses the same 10.0.0.0/16: PrivateLink does not route between the networks.
    subnets: [
      { availabilityZone: "us-east-1a", subnetId: "subnet-0aaaaaaaaaaaaaaaa", cidr: "10.0.1.0/24" },
      { availabilityZone: "us-east-1b", subnetId: "subnet-0bbbbbbbbbbbbbbbb", cidr: "10.0.2.0/24" },
    ],
    targetGroups: { app: { port: 8443 } },
    listeners: { tls: { port: 443, targetGroup: "app" } },
    consumerCidrs: ["10.0.0.0/16"],
    targetCidrs: ["10.0.10.0/24"],
    allowedPrincipals: [CONSUMER_ACCOUNT],
    ...(accept ? { acceptEndpoints: accept } : {}),
  };
  return new PrivateLinkService("pay", args);
}

/** The consumer stack, deployed into the consumer's account through an assume-role provider. */
function consumer(serviceName: string) {
  const account = new aws.Provider("consumer", {
    region: "us-east-1",
    assumeRoles: [{ roleArn: `arn:aws:iam::${CONSUMER_ACCOUNT}:role/deploy` }],
  });
  return new PrivateLinkEndpoint(
    "payments",
    {
      vpcId: "vpc-0cccccccccccccccc",
      serviceName,
      subnets: [
        { availabilityZone: "us-east-1a", subnetId: "subnet-0cccccccccccccccc", cidr: "10.0.1.0/24" },
        { availabilityZone: "us-east-1b", subnetId: "subnet-0dddddddddddddddd", cidr: "10.0.2.0/24" },
      ],
      ports: [443],
      allowedCidrs: ["10.0.0.0/16"],
    },
    { providers: [account] },
  );
}

async function run<T>(program: () => T, stack: string) {
  const result = await runProgram(program, { stack });
  if (result.error) expect.fail(`${stack} failed: ${result.error.message}`);
  return { resources: result.resources, component: result.result as T };
}

describe("PrivateLink acceptance across a provider and a consumer stack", () => {
  it("accepts, in the provider's second pass, the endpoint id the consumer's run output", async () => {
    // Pass 1, provider: the service exists and nothing is accepted yet.
    const first = await run(() => provider(), "workload-payments-prod");
    expect(first.resources.ofType(ACCEPTER)).to.have.length(0);
    const serviceName = (await resolve(first.component.serviceName)).value;
    const serviceId = (await resolve(first.component.serviceId)).value;

    // The consumer creates its endpoint to that name, in its own account, and outputs the id.
    const middle = await run(() => consumer(serviceName), "connectivity-prod");
    const endpoint = middle.resources.ofType("aws:ec2/vpcEndpoint:VpcEndpoint")[0];
    expect(endpoint.inputs.serviceName).to.equal(serviceName);
    expect(endpoint.provider).to.match(/::consumer::/);
    const endpointId = (await resolve(middle.component.endpointId)).value;
    expect((await resolve(middle.component.state)).value).to.equal("pendingAcceptance");

    // Pass 2, provider: given the id, it accepts exactly that endpoint on its own service.
    const second = await run(() => provider({ payments: endpointId }), "workload-payments-prod");
    const accepters = second.resources.ofType(ACCEPTER);
    expect(accepters).to.have.length(1);
    expect(accepters[0].name).to.equal("pay-accept-payments");
    expect(accepters[0].inputs).to.deep.equal({ vpcEndpointId: endpointId, vpcEndpointServiceId: serviceId });
    expect(accepters[0].parent).to.equal(
      second.resources.ofType("hybridnet:index:PrivateLinkService")[0].urn,
    );
    expect((await resolve(second.component.acceptedEndpointIds)).value).to.deep.equal({
      payments: endpointId,
    });
    expect((await resolve(second.component.serviceName)).value).to.equal(serviceName);

    // Accepting adds the accepter and changes nothing the first pass registered.
    const registered = (r: typeof first.resources) =>
      r.all.map((x) => `${x.type} ${x.name} ${JSON.stringify(x.inputs)}`);
    for (const line of registered(first.resources)) expect(registered(second.resources)).to.include(line);
    expect(second.resources.length).to.equal(first.resources.length + 1);
  });

  it("keeps each consumer's accepter under its own key as consumers come and go", async () => {
    const both = await run(
      () => provider({ payments: "vpce-0123456789abcdef0", reporting: "vpce-0fedcba9876543210" }),
      "workload-payments-prod",
    );
    expect(both.resources.ofType(ACCEPTER).map((a) => `${a.name} ${a.inputs.vpcEndpointId}`)).to.have.members(
      ["pay-accept-payments vpce-0123456789abcdef0", "pay-accept-reporting vpce-0fedcba9876543210"],
    );
    const one = await run(() => provider({ reporting: "vpce-0fedcba9876543210" }), "workload-payments-prod");
    expect(one.resources.ofType(ACCEPTER).map((a) => a.name)).to.deep.equal(["pay-accept-reporting"]);
  });
});
