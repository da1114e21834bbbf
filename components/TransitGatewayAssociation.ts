import * as pulumi from "@pulumi/pulumi";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import { componentWhere } from "../model/errors";
import { planTransitGatewayAssociation } from "../model/transitGateway";
import { type HubSegment, registerSegmentRouting } from "./TransitGatewayHub";

/** Arguments for `TransitGatewayAssociation`. */
export interface TransitGatewayAssociationArgs {
  /**
   * The existing transit gateway attachment (`tgw-attach-...`): of a VPN connection, a transit gateway
   * peering, a Direct Connect gateway or a Connect attachment. A plain string is checked; an Output is taken
   * as is. For a VPC, use `VpcAttachment`, which creates the attachment too.
   */
  attachmentId: pulumi.Input<string>;
  /** Segment of the hub the attachment belongs to: a key of `segments`. */
  segment: string;
  /**
   * The hub's segments, keyed by segment name: the map itself and each `propagatesTo` are plain data (they
   * decide which propagations exist), each `routeTableId` may be an Output. In TypeScript, `hub.segmentRouting`
   * or `hubSegmentsFromPolicy(policy, routeTableIds)`; from other languages, the hub's segment policy written
   * out, with `routeTableId` from the hub's `routeTableIds` output. The same shape VpcAttachment takes.
   */
  segments: Record<string, HubSegment>;
}

/** The keys TransitGatewayAssociation's arguments may have (model/argumentKeys). */
const ARGUMENT_KEYS = keysOf<TransitGatewayAssociationArgs>({
  attachmentId: "value",
  segment: "value",
  segments: { record: keysOf<HubSegment>({ routeTableId: "value", propagatesTo: "value" }) },
});

/**
 * Places an existing transit gateway attachment (VPN, peering, Direct Connect gateway, Connect) in one
 * segment of a TransitGatewayHub: a RouteTableAssociation with the segment's route table
 * (`<name>-association`) and a RouteTablePropagation into the route table of each segment the policy says
 * the segment's attachments propagate into (`<name>-propagation-<segment>`), nothing more. What
 * `TransitGatewayHub.attach()` does, as a component of its own, so that every Pulumi language can use it.
 *
 * Cross-account: associations and propagations live in the transit gateway owner's account, also for an
 * attachment another account requested. Give the component that account's provider as its own resource
 * option (`{ provider: hubOwner }` in TypeScript, `providers`/`provider` in the other languages); its
 * children use it. Throws a ValidationError, registering nothing, on a bad attachment id, segment or
 * route table id. Moving an attachment from `hub.attach()` to this component changes its resources'
 * parent, hence their URNs: without aliases, Pulumi replaces them.
 */
export class TransitGatewayAssociation extends pulumi.ComponentResource {
  /** The attachment associated (`tgw-attach-...`). */
  public readonly attachmentId: pulumi.Output<string>;
  /** The segment the attachment is associated with. */
  public readonly segment: string;
  /** Segments whose route tables the attachment propagates into, sorted. */
  public readonly propagatesTo: string[];
  /** Id of the route table association. */
  public readonly associationId: pulumi.Output<string>;
  /** Ids of the route table propagations, by the segment they propagate into. */
  public readonly propagationIds: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: TransitGatewayAssociationArgs, opts?: pulumi.ComponentResourceOptions) {
    const where = componentWhere("TransitGatewayAssociation", name);
    refuseUnknownKeys(where, ARGUMENT_KEYS, args);
    const routing = planTransitGatewayAssociation(where, {
      attachmentId: args.attachmentId,
      segment: args.segment,
      segments: args.segments,
    });
    super("hybridnet:index:TransitGatewayAssociation", name, {}, opts);

    // No provider here: the children take the component's own (its `provider` resource option).
    const { association, propagations } = registerSegmentRouting(
      this,
      name,
      args.attachmentId,
      routing,
      args.segments,
    );

    this.attachmentId = pulumi.output(args.attachmentId);
    this.segment = routing.segment;
    this.propagatesTo = routing.propagatesTo;
    this.associationId = association.id;
    this.propagationIds = pulumi.all(
      Object.fromEntries(Object.entries(propagations).map(([segment, p]) => [segment, p.id])),
    );
    this.registerOutputs({
      attachmentId: this.attachmentId,
      segment: this.segment,
      propagatesTo: this.propagatesTo,
      associationId: this.associationId,
      propagationIds: this.propagationIds,
    });
  }
}
