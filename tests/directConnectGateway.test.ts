import { expect } from "chai";
import {
  DirectConnectGateway,
  type DirectConnectGatewayArgs,
  type DirectConnectGatewayAssociation,
} from "../components/DirectConnectGateway";
import { resolve } from "./harness";
import { builtBy, refusedBy } from "./refusals";

const COMPONENT = "hybridnet:index:DirectConnectGateway";
const GATEWAY = "aws:directconnect/gateway:Gateway";
const ASSOCIATION = "aws:directconnect/gatewayAssociation:GatewayAssociation";
const PROPOSAL = "aws:directconnect/gatewayAssociationProposal:GatewayAssociationProposal";
const WHERE = 'hybridnet:index:DirectConnectGateway "dx"';
const TGW = "tgw-0123456789abcdef0";
const VGW_A = "vgw-0123456789abcdef0";
const VGW_B = "vgw-0123456789abcdef1";

const tgw = (over: Partial<DirectConnectGatewayAssociation> = {}): DirectConnectGatewayAssociation => ({
  gatewayType: "tgw",
  gatewayId: TGW,
  allowedPrefixes: ["10.0.0.0/8"],
  ...over,
});

async function built(args: DirectConnectGatewayArgs, program?: () => DirectConnectGateway) {
  const { resources, result } = await builtBy(program ?? (() => new DirectConnectGateway("dx", args)));
  return { resources, dx: result };
}

const refused = (args: DirectConnectGatewayArgs) =>
  refusedBy(() => new DirectConnectGateway("dx", args), WHERE);

describe("DirectConnectGateway", () => {
  it("creates the gateway with its Amazon side ASN, named after the component, under the component", async () => {
    const { resources, dx } = await built({ amazonSideAsn: 64600 });
    const component = resources.ofType(COMPONENT)[0];
    const [gateway] = resources.ofType(GATEWAY);
    expect(gateway.name).to.equal("dx-dxgw");
    expect(gateway.parent).to.equal(component.urn);
    expect(gateway.inputs).to.deep.equal({
      name: "dx",
      amazonSideAsn: "64600",
      tags: { "hybridnet:component": "dx" },
    });
    expect(resources.ofType(ASSOCIATION)).to.deep.equal([]);
    expect((await resolve(dx.dxGatewayId)).value).to.match(/^dxgw-/);
    expect((await resolve(dx.ownerAccountId)).value).to.equal("111122223333");
    expect((await resolve(dx.amazonSideAsn)).value).to.equal(64600);
    expect((await resolve(dx.associationIds)).value).to.deep.equal({});
  });

  it("takes a gateway name and tags", async () => {
    const { resources } = await built({
      amazonSideAsn: 4200000000,
      gatewayName: "corp-dx",
      tags: { team: "net" },
    });
    expect(resources.ofType(GATEWAY)[0].inputs).to.deep.equal({
      name: "corp-dx",
      amazonSideAsn: "4200000000",
      tags: { team: "net", "hybridnet:component": "dx" },
    });
  });

  it("associates a transit gateway with its allowed prefixes and outputs the attachment id", async () => {
    const { resources, dx } = await built({
      amazonSideAsn: 64600,
      associations: {
        hub: tgw({ allowedPrefixes: ["10.0.0.0/8", "10.255.0.0/24"], transitGatewayAsn: 64512 }),
      },
    });
    const dxId = (await resolve(dx.dxGatewayId)).value;
    const association = resources.named("dx-hub-association");
    expect(association.type).to.equal(ASSOCIATION);
    expect(association.parent).to.equal(resources.ofType(COMPONENT)[0].urn);
    expect(association.inputs).to.deep.equal({
      dxGatewayId: dxId,
      associatedGatewayId: TGW,
      allowedPrefixes: ["10.0.0.0/8", "10.255.0.0/24"],
    });
    expect(dx.plan.associationType).to.equal("tgw");
    const attachments = (await resolve(dx.transitGatewayAttachmentIds)).value;
    expect(attachments.hub).to.match(/^tgw-attach-/);
    expect((await resolve(dx.associationIds)).value.hub).to.match(/^[0-9a-f]{8}-/);
  });

  it("associates virtual private gateways of VPCs in other regions, one association per VPC", async () => {
    const { resources, dx } = await built({
      amazonSideAsn: 64600,
      associations: {
        east: {
          gatewayType: "vgw",
          gatewayId: VGW_A,
          allowedPrefixes: ["10.1.0.0/16"],
          vpcCidrs: ["10.1.0.0/16"],
        },
        west: {
          gatewayType: "vgw",
          gatewayId: VGW_B,
          allowedPrefixes: ["10.2.0.0/15"],
          vpcCidrs: ["10.2.0.0/16"],
          region: "us-west-2",
        },
      },
    });
    expect(resources.ofType(ASSOCIATION).map((r) => r.name)).to.deep.equal([
      "dx-east-association",
      "dx-west-association",
    ]);
    expect(resources.named("dx-west-association").inputs).to.deep.include({
      associatedGatewayId: VGW_B,
      allowedPrefixes: ["10.2.0.0/15"],
      region: "us-west-2",
    });
    expect(resources.named("dx-east-association").inputs).not.to.have.property("region");
    expect((await resolve(dx.transitGatewayAttachmentIds)).value).to.deep.equal({});
  });

  it("proposes a cross-account association in the owner's account and accepts it in its own", async () => {
    const { resources, dx } = await built(
      { amazonSideAsn: 64600 },
      () =>
        new DirectConnectGateway("dx", {
          amazonSideAsn: 64600,
          associations: {
            payments: {
              gatewayType: "vgw",
              gatewayId: VGW_A,
              allowedPrefixes: ["10.30.0.0/16"],
              region: "eu-west-1",
              ownerAccountId: "444455556666",
              proposalAccess: { roleArn: "arn:aws:iam::444455556666:role/network" },
            },
          },
        }),
    );
    const dxId = (await resolve(dx.dxGatewayId)).value;
    // The owner's provider: made by the component from proposalAccess, its child, in the gateway's Region.
    const owner = resources.named("dx-payments-owner-provider");
    expect(owner.type).to.equal("pulumi:providers:aws");
    expect(owner.parent).to.equal(resources.ofType(COMPONENT)[0].urn);
    expect(owner.inputs.region).to.equal("eu-west-1");
    expect(JSON.parse(String(owner.inputs.assumeRoles))).to.deep.equal([
      { roleArn: "arn:aws:iam::444455556666:role/network", sessionName: "hybridnet-dx" },
    ]);
    expect(JSON.parse(String(owner.inputs.allowedAccountIds))).to.deep.equal(["444455556666"]);
    const [proposal] = resources.ofType(PROPOSAL);
    expect(proposal.name).to.equal("dx-payments-proposal");
    expect(proposal.provider?.startsWith(`${owner.urn}::`)).to.equal(true);
    expect(proposal.parent).to.equal(resources.ofType(COMPONENT)[0].urn);
    expect(proposal.inputs).to.deep.equal({
      dxGatewayId: dxId,
      dxGatewayOwnerAccountId: "111122223333",
      associatedGatewayId: VGW_A,
      allowedPrefixes: ["10.30.0.0/16"],
      region: "eu-west-1",
    });
    const proposalId = (await resolve(dx.proposalIds)).value.payments;
    const association = resources.named("dx-payments-association");
    expect(association.provider).to.equal(undefined);
    expect(association.inputs).to.deep.equal({
      dxGatewayId: dxId,
      proposalId,
      associatedGatewayOwnerAccountId: "444455556666",
      allowedPrefixes: ["10.30.0.0/16"],
      region: "eu-west-1",
    });
  });

  describe("bad input", () => {
    it("refuses a public Amazon side ASN and registers nothing", async () => {
      const error = await refused({ amazonSideAsn: 7224 });
      expect(error.message).to.equal(
        `${WHERE}: 1 invalid argument\n  amazonSideAsn = 7224: Amazon side ASN must be a private ASN: 64512–65534 or 4200000000–4294967294`,
      );
    });

    it("refuses allowed prefixes that are not CIDRs or exceed the transit gateway limit", async () => {
      const many = Array.from({ length: 201 }, (_, i) => `10.${i}.0.0/16`);
      const error = await refused({
        amazonSideAsn: 64600,
        associations: {
          a: tgw({ allowedPrefixes: many }),
          b: tgw({ gatewayId: "tgw-0123456789abcdef1", allowedPrefixes: ["10.0.0.0/33"] }),
        },
      });
      expect(error.problems.map((p) => p.path)).to.deep.equal([
        "associations.a.allowedPrefixes",
        "associations.b.allowedPrefixes[0]",
      ]);
      expect(error.message).to.include(
        'associations.a.allowedPrefixes = "201 prefixes": at most 200 allowed prefixes (AWS advertises at most 200 prefixes per transit gateway to on-premises); summarize them',
      );
    });

    it("refuses a transit gateway with the Direct Connect gateway's ASN next to a virtual private gateway", async () => {
      const error = await refused({
        amazonSideAsn: 64512,
        associations: {
          hub: tgw({ transitGatewayAsn: 64512 }),
          vpc: { gatewayType: "vgw", gatewayId: VGW_A, allowedPrefixes: ["10.1.0.0/16"] },
        },
      });
      expect(error.problems.map((p) => p.path)).to.deep.equal([
        "associations.hub.transitGatewayAsn",
        "associations.hub.gatewayType",
      ]);
    });
  });
});
