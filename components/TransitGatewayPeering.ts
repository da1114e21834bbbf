import * as pulumi from "@pulumi/pulumi";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import { componentWhere } from "../model/errors";
import {
  planTransitGatewayPeering,
  type TransitGatewayPeeringPlan,
  type TransitGatewayPeeringSideSpec,
} from "../model/peering";
import { ACCOUNT_ACCESS_KEYS, type AccountAccess, accessProvider } from "./accountAccess";
import * as aws from "./aws";
import { ComponentState } from "./componentState";

/** One transit gateway of a `TransitGatewayPeering`. */
export interface TransitGatewayPeeringSide extends TransitGatewayPeeringSideSpec {
  /** The transit gateway id (`tgw-...`). A plain string is checked; an Output is taken as is. */
  transitGatewayId: pulumi.Input<string>;
  /** Region of the transit gateway, such as "us-east-1". The peer's becomes the attachment's `peerRegion`. */
  region: string;
  /**
   * Account of the transit gateway: 12 digits. Give the peer's when it is in another account (it becomes
   * the attachment's `peerAccountId`). @default the local side's account.
   */
  accountId?: string;
  /**
   * Amazon side ASN of the transit gateway (64512–65534 or 4200000000–4294967294). When both sides give
   * theirs, they must differ: AWS recommends a unique ASN for each peered transit gateway. Give both (the
   * default ASN of a transit gateway is 64512, so two left at the default collide). @default not checked.
   */
  amazonSideAsn?: number;
  /**
   * Networks reached through this transit gateway (its VPCs, on-premises prefixes), IPv4 or IPv6. The other
   * side's route tables get a static route to each through the peering attachment; the two sides' networks
   * must not overlap.
   */
  cidrs: string[];
  /**
   * Transit gateway route table (`tgw-rtb-...`) the peering attachment is associated with on this side: the
   * table that routes traffic arriving from the other side. An existing association (to a default table) is
   * replaced.
   */
  associationRouteTableId: pulumi.Input<string>;
  /**
   * Transit gateway route tables of this side that get static routes to the other side's networks, keyed by
   * a stable name used in resource names. At least one. 10,000 routes per transit gateway by default, all
   * tables together.
   */
  routeTables: Record<string, pulumi.Input<string>>;
  /**
   * By key of `routeTables`, the other side's networks that table routes to, each one of the other side's
   * `cidrs`; every table needs an entry. Segmentation over one peering: without it every table of this side
   * reaches every network of the other. @default every network of the other side, for every table.
   */
  destinations?: Record<string, string[]>;
  /**
   * The role this side's resources are made with. The component makes a provider from it (its child
   * `<name>-<side>-provider`) in this side's `region`, limited to this side's `accountId` (@default the role's
   * account); the role's account must be `accountId` when both are given. Required on the peer side when it is
   * in another account or region: the accepter, the peer's association and the peer's routes are made with its
   * credentials in its region. @default the component's provider.
   */
  access?: AccountAccess;
}

/** @deprecated Renamed `TransitGatewayPeeringSide`: the name the package schema gives other languages. */
export type TransitGatewayPeeringSideArgs = TransitGatewayPeeringSide;

/** Arguments for `TransitGatewayPeering`. */
export interface TransitGatewayPeeringArgs {
  /** The transit gateway that requests the peering attachment. */
  local: TransitGatewayPeeringSide;
  /** The transit gateway that accepts it: in another region (or the same one), in this account or another. */
  peer: TransitGatewayPeeringSide;
  /**
   * Tags on every AWS resource the component creates that takes tags, with `hybridnet:component` added.
   * @default none.
   */
  tags?: Record<string, string>;
}

/** The keys of one side of the peering: both sides take the same arguments. */
const SIDE_KEYS = keysOf<TransitGatewayPeeringSide>({
  transitGatewayId: "value",
  region: "value",
  accountId: "value",
  amazonSideAsn: "value",
  cidrs: "value",
  associationRouteTableId: "value",
  routeTables: "value",
  destinations: "value",
  access: ACCOUNT_ACCESS_KEYS,
});

/** The keys TransitGatewayPeering's arguments may have (model/argumentKeys). */
const ARGUMENT_KEYS = keysOf<TransitGatewayPeeringArgs>({
  local: SIDE_KEYS,
  peer: SIDE_KEYS,
  tags: "value",
});

const plans = new ComponentState<TransitGatewayPeering, TransitGatewayPeeringPlan>();

/**
 * Transit gateway peering: a peering attachment between two hubs, usually in two regions (intra-region
 * peering exists too), accepted on the peer side, associated with a route table on each side, and static
 * routes on both sides toward the other side's networks.
 *
 * A peering attachment carries no dynamic routes: nothing propagates across it, so every network of the
 * other side needs a static route, which this component creates from `cidrs`. Route 53 Resolver does not
 * resolve private hostnames across a transit gateway peering.
 *
 * Limits not checked here, since they need the account: 50 peering attachments per transit gateway
 * (adjustable), 10 pending ones, and one peering attachment between the same two transit gateways.
 */
export class TransitGatewayPeering extends pulumi.ComponentResource {
  /** The peering attachment id (`tgw-attach-...`), the same on both sides. */
  public readonly attachmentId: pulumi.Output<string>;
  /** Static route ids by `<side>:<route table key>:<destination>` (`local:main:10.20.0.0/16`). */
  public readonly routeIds: pulumi.Output<Record<string, string>>;
  /** The plan the component registered. */
  public get plan(): TransitGatewayPeeringPlan {
    return plans.get(this);
  }

  constructor(name: string, args: TransitGatewayPeeringArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseUnknownKeys(componentWhere("TransitGatewayPeering", name), ARGUMENT_KEYS, args);
    const plan = planTransitGatewayPeering(componentWhere("TransitGatewayPeering", name), args);
    super("hybridnet:index:TransitGatewayPeering", name, {}, opts);
    plans.set(this, plan);
    const tags = { ...args.tags, "hybridnet:component": name };
    const sideProvider = (side: "local" | "peer") => {
      const given = args[side];
      if (given.access === undefined) return undefined;
      return accessProvider(this, `${name}-${side}-provider`, name, given.access, {
        region: given.region,
        ...(given.accountId !== undefined ? { accountId: given.accountId } : {}),
      });
    };
    const providers = { local: sideProvider("local"), peer: sideProvider("peer") };

    const attachment = new aws.ec2transitgateway.PeeringAttachment(
      `${name}-attachment`,
      {
        transitGatewayId: args.local.transitGatewayId,
        peerTransitGatewayId: args.peer.transitGatewayId,
        peerRegion: plan.peerRegion,
        ...(plan.peerAccountId !== undefined ? { peerAccountId: plan.peerAccountId } : {}),
        tags: { ...tags, Name: name, Side: "local" },
      },
      { parent: this, provider: providers.local },
    );
    // The peer's owner must accept, even within one account: there is no auto-accept for peering attachments.
    const accepter = new aws.ec2transitgateway.PeeringAttachmentAccepter(
      `${name}-accepter`,
      { transitGatewayAttachmentId: attachment.id, tags: { ...tags, Name: name, Side: "peer" } },
      { parent: this, provider: providers.peer },
    );
    // Associations and routes need an available attachment: after the accepter has accepted it.
    const localOpts = { parent: this, provider: providers.local, dependsOn: [accepter] };
    const peerOpts = { parent: this, provider: providers.peer, dependsOn: [accepter] };
    const attachmentIds = { local: attachment.id, peer: accepter.transitGatewayAttachmentId };

    for (const side of ["local", "peer"] as const)
      new aws.ec2transitgateway.RouteTableAssociation(
        `${name}-${side}-association`,
        {
          transitGatewayAttachmentId: attachmentIds[side],
          transitGatewayRouteTableId: args[side].associationRouteTableId,
          replaceExistingAssociation: true,
        },
        side === "local" ? localOpts : peerOpts,
      );

    const routeIds: Record<string, pulumi.Output<string>> = {};
    for (const route of plan.routes) {
      const side = route.side as "local" | "peer";
      const created = new aws.ec2transitgateway.Route(
        `${name}-${route.key}`,
        {
          transitGatewayRouteTableId: args[side].routeTables[route.tableKey],
          destinationCidrBlock: route.destination,
          transitGatewayAttachmentId: attachmentIds[side],
        },
        side === "local" ? localOpts : peerOpts,
      );
      routeIds[route.id] = created.id;
    }

    this.attachmentId = attachment.id;
    this.routeIds = pulumi.output(routeIds);
    this.registerOutputs({ attachmentId: this.attachmentId, routeIds: this.routeIds });
  }
}
