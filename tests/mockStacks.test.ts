/**
 * The parts of the shared mock model (cli/mocks) the landing-zone stacks rely on: StackReferences answered
 * from the outputs registered for other stacks (secrets kept secret; a stack not deployed has none), and the
 * awsx VPC answered as the one resource it is under mocks, with subnets a lookup by CIDR finds again.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { MockModel, mockSecret } from "../cli/mocks";
import { resolve, runProgram } from "./harness";

describe("mock model: stack references and awsx VPCs", () => {
  it("answers a StackReference with the registered outputs, secrets secret, and a stack not deployed with none", async () => {
    const stackOutputs = {
      "organization/hybridnet/connectivity-dev": {
        transitGatewayId: "tgw-0123456789abcdef0",
        psk: mockSecret("s3cret.key"),
      },
    };
    const { result, reads, error } = await runProgram(
      async () => {
        const deployed = new pulumi.StackReference("hub", {
          name: "organization/hybridnet/connectivity-dev",
        });
        const missing = new pulumi.StackReference("other", { name: "organization/hybridnet/workload-x-dev" });
        return {
          tgw: await deployed.getOutputDetails("transitGatewayId"),
          psk: await deployed.getOutputDetails("psk"),
          none: await missing.getOutputDetails("serviceName"),
          secretOutput: await resolve(deployed.getOutput("psk")),
        };
      },
      { stackOutputs },
    );
    expect(error).to.equal(undefined);
    expect(result?.tgw).to.deep.equal({ value: "tgw-0123456789abcdef0" });
    expect(result?.psk).to.deep.equal({ secretValue: "s3cret.key" });
    expect(result?.none).to.deep.equal({ value: undefined });
    expect(result?.secretOutput).to.deep.equal({ value: "s3cret.key", secret: true });
    expect(reads.map((r) => `${r.type} ${r.id}`)).to.deep.equal([
      "pulumi:pulumi:StackReference organization/hybridnet/connectivity-dev",
      "pulumi:pulumi:StackReference organization/hybridnet/workload-x-dev",
    ]);
    expect(
      new MockModel().newResource({
        type: "pulumi:pulumi:StackReference",
        name: "x",
        inputs: { name: "a/b/c" },
      }),
    ).to.deep.equal({ id: "a/b/c", state: { name: "a/b/c", outputs: {}, secretOutputNames: [] } });
  });

  it("answers an awsx VPC with one subnet per spec and zone at the explicit CIDRs, found again by CIDR", async () => {
    const { result, resources } = await runProgram(() => {
      const provider = new aws.Provider("acct", {
        region: "us-east-1",
        assumeRoles: [{ roleArn: "arn:aws:iam::222233334444:role/deploy" }],
      });
      const vpc = new awsx.ec2.Vpc(
        "vpc",
        {
          cidrBlock: "10.0.0.0/16",
          availabilityZoneNames: ["us-east-1a", "us-east-1b"],
          subnetSpecs: [
            { type: "Private", name: "private", cidrBlocks: ["10.0.0.0/18", "10.0.64.0/18"] },
            { type: "Isolated", name: "transit", cidrBlocks: ["10.0.192.0/28", "10.0.192.16/28"] },
          ],
          natGateways: { strategy: "None" },
        },
        { providers: { aws: provider } },
      );
      const found = aws.ec2.getSubnetOutput({ vpcId: vpc.vpcId, cidrBlock: "10.0.64.0/18" }, { provider });
      const table = aws.ec2.getRouteTableOutput({ subnetId: found.id }, { provider });
      return pulumi.all([vpc.vpcId, vpc.privateSubnetIds, vpc.isolatedSubnetIds, found, table.routeTableId]);
    });
    expect(resources.ofType("awsx:ec2:Vpc")).to.have.length(1);
    const [vpcId, privateIds, isolatedIds, subnet, routeTableId] = (await resolve(result!)).value;
    expect(vpcId).to.match(/^vpc-[0-9a-f]{17}$/);
    expect(privateIds).to.have.length(2);
    expect(isolatedIds).to.have.length(2);
    expect(subnet.id).to.equal(privateIds[1]);
    expect(subnet.availabilityZone).to.equal("us-east-1b");
    expect(subnet.arn).to.include(":222233334444:subnet/");
    expect(routeTableId).to.match(/^rtb-[0-9a-f]{17}$/);
  });

  it("places an awsx VPC in the account of the aws provider it is given, so two accounts' VPCs differ", async () => {
    const vpcIn = async (account: string) => {
      const { result } = await runProgram(() => {
        const provider = new aws.Provider("acct", {
          region: "us-east-1",
          assumeRoles: [{ roleArn: `arn:aws:iam::${account}:role/deploy` }],
        });
        return new awsx.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" }, { providers: { aws: provider } }).vpcId;
      });
      return (await resolve(result!)).value;
    };
    const [a, again, b] = [
      await vpcIn("222233334444"),
      await vpcIn("222233334444"),
      await vpcIn("333344445555"),
    ];
    expect(a).to.match(/^vpc-[0-9a-f]{17}$/);
    expect(again).to.equal(a);
    expect(b).not.to.equal(a);
  });
});
