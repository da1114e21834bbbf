/**
 * TransitGatewayAssociation: what `TransitGatewayHub.attach()` does, as a component every Pulumi language can
 * construct. It must register the same association and propagations as attach() (only their parent differs),
 * take the hub's segments as plain data, use its own provider for cross-account hubs, refuse bad input before
 * anything registers, and build under `pulumi preview`, where the hub's ids are unknown.
 */
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import {
  TransitGatewayAssociation,
  type TransitGatewayAssociationArgs,
} from "../components/TransitGatewayAssociation";
import { TransitGatewayHub, type TransitGatewayHubArgs } from "../components/TransitGatewayHub";
import type { ValidationError } from "../model/errors";
import { type RegisteredResource, type ResourceList, resolve, runProgram } from "./harness";
import { refusedBy } from "./refusals";

const { unknownValue } = require("@pulumi/pulumi/runtime/rpc") as { unknownValue: string };

const TYPE = {
  component: "hybridnet:index:TransitGatewayAssociation",
  hub: "hybridnet:index:TransitGatewayHub",
  association: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
  propagation: "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
} as const;

const SEGMENTS: TransitGatewayHubArgs["segments"] = {
  prod: { isolated: true, reaches: ["shared"] },
  nonprod: { reaches: ["shared"] },
  shared: { reaches: ["onprem"] },
  onprem: { reaches: ["prod", "nonprod"] },
};

const ATTACHMENT = "tgw-attach-0000000000000000a";

/** The hub's segments as a stack that only references the hub has them: plain ids. */
const PLAIN_SEGMENTS: TransitGatewayAssociationArgs["segments"] = {
  prod: { routeTableId: "tgw-rtb-00000000000000001", propagatesTo: ["onprem", "shared"] },
  shared: { routeTableId: "tgw-rtb-00000000000000002", propagatesTo: ["onprem", "prod", "shared"] },
  onprem: { routeTableId: "tgw-rtb-00000000000000003", propagatesTo: ["onprem", "prod", "shared"] },
};

/** What a registration says apart from its parent: type, name, inputs, provider. */
const shape = (r: RegisteredResource) => ({
  type: r.type,
  name: r.name,
  inputs: r.inputs,
  provider: r.provider,
});

describe("TransitGatewayAssociation", () => {
  it("registers exactly what hub.attach() registers for the same attachment, under the component", async () => {
    const attached = await runProgram(() => {
      const hub = new TransitGatewayHub("hub", { segments: SEGMENTS });
      hub.attach("dc1-vpn", { attachmentId: ATTACHMENT, segment: "onprem" });
    });
    const component = await runProgram(() => {
      const hub = new TransitGatewayHub("hub", { segments: SEGMENTS });
      return new TransitGatewayAssociation("hub-dc1-vpn", {
        attachmentId: ATTACHMENT,
        segment: "onprem",
        segments: hub.segmentRouting,
      });
    });
    for (const run of [attached, component]) expect(run.error).to.equal(undefined);
    const routing = (run: { resources: ResourceList }) =>
      [...run.resources.ofType(TYPE.association), ...run.resources.ofType(TYPE.propagation)]
        .map(shape)
        .sort((a, b) => a.name.localeCompare(b.name));
    expect(routing(component)).to.deep.equal(routing(attached));
    expect(routing(component).map((r) => r.name)).to.deep.equal([
      "hub-dc1-vpn-association",
      "hub-dc1-vpn-propagation-nonprod",
      "hub-dc1-vpn-propagation-onprem",
      "hub-dc1-vpn-propagation-prod",
      "hub-dc1-vpn-propagation-shared",
    ]);
    const [own] = component.resources.ofType(TYPE.component);
    for (const r of [
      ...component.resources.ofType(TYPE.association),
      ...component.resources.ofType(TYPE.propagation),
    ])
      expect(r.parent, r.name).to.equal(own.urn);
    const [hub] = attached.resources.ofType(TYPE.hub);
    expect(attached.resources.named("hub-dc1-vpn-association").parent).to.equal(hub.urn);
  });

  it("takes the hub's segments as plain data and outputs the ids it registered", async () => {
    const { resources, result, error } = await runProgram(
      () =>
        new TransitGatewayAssociation("peer", {
          attachmentId: ATTACHMENT,
          segment: "prod",
          segments: PLAIN_SEGMENTS,
        }),
    );
    expect(error).to.equal(undefined);
    const association = resources.named("peer-association");
    expect(association.inputs).to.include({
      transitGatewayAttachmentId: ATTACHMENT,
      transitGatewayRouteTableId: "tgw-rtb-00000000000000001",
      replaceExistingAssociation: true,
    });
    expect(
      resources.ofType(TYPE.propagation).map((p) => [p.name, p.inputs.transitGatewayRouteTableId]),
    ).to.deep.equal([
      ["peer-propagation-onprem", "tgw-rtb-00000000000000003"],
      ["peer-propagation-shared", "tgw-rtb-00000000000000002"],
    ]);
    const component = result!;
    expect(component.segment).to.equal("prod");
    expect(component.propagatesTo).to.deep.equal(["onprem", "shared"]);
    expect((await resolve(component.attachmentId)).value).to.equal(ATTACHMENT);
    expect((await resolve(component.associationId)).value)
      .to.be.a("string")
      .and.not.equal("");
    expect(Object.keys((await resolve(component.propagationIds)).value)).to.deep.equal(["onprem", "shared"]);
  });

  it("registers in the hub owner's account through the component's own provider option", async () => {
    const { resources, error } = await runProgram(() => {
      const owner = new aws.Provider("network", {
        region: "us-east-1",
        assumeRoles: [{ roleArn: "arn:aws:iam::999988887777:role/network-admin" }],
      });
      return new TransitGatewayAssociation(
        "peer",
        { attachmentId: ATTACHMENT, segment: "shared", segments: PLAIN_SEGMENTS },
        { provider: owner },
      );
    });
    expect(error).to.equal(undefined);
    const provider = resources.named("network");
    const routing = [...resources.ofType(TYPE.association), ...resources.ofType(TYPE.propagation)];
    expect(routing).to.have.length(4);
    for (const r of routing) expect(r.provider, r.name).to.match(new RegExp(`^${provider.urn}::`));
  });

  it("builds under pulumi preview, with the hub's route table ids and the attachment id unknown", async () => {
    const { resources, error } = await runProgram(
      () => {
        const hub = new TransitGatewayHub("hub", { segments: SEGMENTS });
        const vpn = new aws.ec2.VpnConnection("dc1", {
          customerGatewayId: "cgw-0000000000000000a",
          transitGatewayId: hub.transitGatewayId,
          type: "ipsec.1",
        });
        return new TransitGatewayAssociation("dc1", {
          attachmentId: vpn.transitGatewayAttachmentId,
          segment: "onprem",
          segments: hub.segmentRouting,
        });
      },
      { preview: true },
    );
    if (error) return expect.fail(error.stack);
    expect(resources.ofType(TYPE.association).map((r) => r.name)).to.deep.equal(["dc1-association"]);
    // The engine's marker of an unknown value: both ids are known only once AWS has created them.
    const { inputs } = resources.named("dc1-association");
    expect(inputs.transitGatewayAttachmentId).to.equal(unknownValue);
    expect(inputs.transitGatewayRouteTableId).to.equal(unknownValue);
    expect(resources.ofType(TYPE.propagation)).to.have.length(4);
  });

  describe("refuses bad input before anything registers", () => {
    const WHERE = 'hybridnet:index:TransitGatewayAssociation "a"';
    const refused = (args: Partial<Record<keyof TransitGatewayAssociationArgs, unknown>>) =>
      refusedBy(
        () =>
          new TransitGatewayAssociation("a", {
            attachmentId: ATTACHMENT,
            segment: "prod",
            segments: PLAIN_SEGMENTS,
            ...args,
          } as TransitGatewayAssociationArgs),
        WHERE,
      );
    const problem = (error: ValidationError, path: string) => {
      const found = error.problems.find((p) => p.path === path);
      expect(found, error.message).to.not.equal(undefined);
      return found!;
    };

    it("a segment the hub does not have, naming the ones it has", async () => {
      const error = await refused({ segment: "dev" });
      expect(problem(error, "segment").allowed).to.equal(
        'not a segment of the hub; use one of "onprem", "prod", "shared"',
      );
    });

    it("an id that is not a transit gateway attachment's, or none", async () => {
      expect(
        problem(await refused({ attachmentId: "vpc-0123456789abcdef0" }), "attachmentId").allowed,
      ).to.contain("tgw-attach");
      expect(problem(await refused({ attachmentId: "" }), "attachmentId").allowed).to.contain("tgw-attach");
    });

    it("a segment whose route table id is not one, or that propagates to an unknown segment", async () => {
      const error = await refused({
        segments: {
          ...PLAIN_SEGMENTS,
          prod: { routeTableId: "rtb-00000000000000001", propagatesTo: ["shard"] },
        },
      });
      expect(problem(error, "segments.prod.routeTableId").allowed).to.contain("tgw-rtb");
      expect(problem(error, "segments.prod.propagatesTo[0]").value).to.equal("shard");
    });

    it("no segments, and an unknown key in a segment", async () => {
      expect(problem(await refused({ segments: {} }), "segments").allowed).to.contain("routeTableId");
      const error = await refused({
        segments: { ...PLAIN_SEGMENTS, prod: { ...PLAIN_SEGMENTS.prod, isolated: true } },
      });
      expect(error.problems.map((p) => p.path)).to.deep.equal(["segments.prod.isolated"]);
    });
  });
});
