/**
 * A RAM share reaching the workload account by invitation (an account outside the hub's organization, or RAM
 * sharing with AWS Organizations not enabled) must be accepted there before its VPC can attach: VpcAttachment
 * accepts it (aws.ram.ResourceShareAccepter) in its own account, before the attachment.
 */
import { expect } from "chai";
import type { HubSegment } from "../components/TransitGatewayHub";
import { VpcAttachment, type VpcAttachmentArgs } from "../components/VpcAttachment";
import { recordDependencies } from "./dependencies";
import { runProgram } from "./harness";
import { problemAt, refusedBy } from "./refusals";

const SHARE = "arn:aws:ram:us-east-1:444455556666:resource-share/0123abcd-0123-4567-89ab-0123456789ab";
const ACCEPTER = "aws:ram/resourceShareAccepter:ResourceShareAccepter";
const ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";
const SEGMENTS: Record<string, HubSegment> = {
  prod: { routeTableId: "tgw-rtb-00000000000000001", propagatesTo: [] },
};
const args = (over: Partial<VpcAttachmentArgs>): VpcAttachmentArgs => ({
  vpcId: "vpc-00000000000000001",
  subnets: [
    { availabilityZone: "us-east-1a", subnetId: "subnet-00000000000000001" },
    { availabilityZone: "us-east-1b", subnetId: "subnet-00000000000000002" },
  ],
  transitGatewayId: "tgw-00000000000000001",
  segment: "prod",
  segments: SEGMENTS,
  ...over,
});
/** The hub owner's account, as data: the component makes its provider. */
const HUB = {
  hubAccess: { roleArn: "arn:aws:iam::444455556666:role/network-admin" },
  hubRegion: "us-east-1",
} as const;

describe("VpcAttachment: accepting the hub's RAM share", () => {
  it("accepts the share in the attachment's own account, before the attachment is requested", async () => {
    let dependencies = new Map<string, string[]>();
    const run = await runProgram(() => {
      dependencies = recordDependencies();
      return new VpcAttachment("app", args({ ...HUB, resourceShareArn: SHARE }));
    });
    expect(run.error).to.equal(undefined);
    const [accepter] = run.resources.ofType(ACCEPTER);
    expect(accepter.name).to.equal("app-share");
    expect(accepter.inputs).to.deep.equal({ shareArn: SHARE });
    // The workload account's provider (the component's), not the hub owner's.
    expect(accepter.provider).to.equal(undefined);
    const [attachment] = run.resources.ofType(ATTACHMENT);
    expect(dependencies.get(attachment.name) ?? []).to.include(accepter.urn);
  });

  it("accepts nothing when the share is not given (an organization share needs no invitation)", async () => {
    const run = await runProgram(() => new VpcAttachment("app", args(HUB)));
    expect(run.error).to.equal(undefined);
    expect(run.resources.ofType(ACCEPTER)).to.deep.equal([]);
  });

  it("refuses a share to accept on a same-account attachment, and a value that is not a RAM share ARN", async () => {
    const where = 'hybridnet:index:VpcAttachment "app"';
    problemAt(
      await refusedBy(() => new VpcAttachment("app", args({ resourceShareArn: SHARE })), where),
      "resourceShareArn",
      SHARE,
      "only with hubAccess",
    );
    problemAt(
      await refusedBy(() => new VpcAttachment("app", args({ ...HUB, resourceShareArn: "rs-123" })), where),
      "resourceShareArn",
      "rs-123",
      "arn:aws:ram:<region>:<account>:resource-share/<id>",
    );
  });
});
