import * as pulumi from "@pulumi/pulumi";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import { componentWhere } from "../model/errors";
import { planVpcPeering, type VpcPeeringPlan, type VpcPeeringSideSpec } from "../model/peering";
import { ACCOUNT_ACCESS_KEYS, type AccountAccess, accessProvider } from "./accountAccess";
import * as aws from "./aws";
import { ComponentState } from "./componentState";

/** One VPC of a `VpcPeering`. */
export interface VpcPeeringSide extends VpcPeeringSideSpec {
  /** The VPC id (`vpc-...`). A plain string is checked; an Output is taken as is. */
  vpcId: pulumi.Input<string>;
  /**
   * Every CIDR block of the VPC, IPv4 (/16–/28) and IPv6 (/44–/64). AWS refuses to peer VPCs whose CIDR
   * blocks match or overlap, any of them, even blocks you do not mean to route; the peer's route tables get
   * a route to each of these (unless the peer's `destinations` narrows them). A VPC holds 5 IPv4 blocks
   * by default (adjustable to 50) and 5 IPv6 blocks.
   */
  cidrs: string[];
  /**
   * Route tables of this VPC that get a route to the peer, keyed by a stable name used in resource names
   * (`{ private: "rtb-..." }`). At least one: traffic needs a route on both sides. A route table holds 50
   * routes by default (adjustable to 1,000), local and propagated routes included.
   */
  routeTables: Record<string, pulumi.Input<string>>;
  /**
   * Destinations this side routes through the peering: the peer's CIDRs, or blocks inside them to reach only
   * part of the peer. Peering is not transitive: the peer never forwards traffic to its other peers, VPN,
   * Direct Connect, internet or NAT gateways, so any other destination is refused.
   * @default every CIDR of the peer.
   */
  destinations?: string[];
  /**
   * Account of this VPC: 12 digits. Give the accepter's when it is in another account (the request then
   * names it as `peerOwnerId` and the accepter side accepts it through `provider`); give both to compare.
   * @default the requester's account (the accepter is in another account exactly when its accountId is
   * given and differs from the requester's).
   */
  accountId?: string;
  /**
   * Region of this VPC, such as "eu-west-1". Give the accepter's when it is in another region (the request
   * then names it as `peerRegion`); give both when they are the same region, so the peering is recognized
   * as intra-region. @default the requester's region.
   */
  region?: string;
  /**
   * The role this side's resources are made with: the requester's connection, options and routes, or the
   * accepter's acceptance, options and routes. The component makes a provider from it (its child
   * `<name>-<side>-provider`) in this side's `region` (@default the requester's) limited to this side's
   * `accountId` (@default the role's account), and the role's account must be `accountId` when both are given.
   * Required on the accepter side when it is in another account or region: cross-account peering needs each
   * account's own credentials, cross-region peering each region's endpoint. @default the component's provider.
   */
  access?: AccountAccess;
}

/** @deprecated Renamed `VpcPeeringSide`: the name the package schema gives other languages. */
export type VpcPeeringSideArgs = VpcPeeringSide;

/** Arguments for `VpcPeering`. */
export interface VpcPeeringArgs {
  /** The VPC that requests the peering connection. */
  requester: VpcPeeringSide;
  /** The VPC that accepts it: in the same account and region, or in another account and/or region. */
  accepter: VpcPeeringSide;
  /**
   * Resolve the peer VPC's public DNS hostnames to private addresses, on both sides
   * (`allowRemoteVpcDnsResolution`). Needs DNS support and DNS hostnames on in both VPCs.
   * @default true.
   */
  dnsResolution?: boolean;
  /**
   * Tags on every AWS resource the component creates that takes tags, with `hybridnet:component` added.
   * @default none.
   */
  tags?: Record<string, string>;
}

/** The keys of one side of the peering: both sides take the same arguments. */
const SIDE_KEYS = keysOf<VpcPeeringSide>({
  vpcId: "value",
  cidrs: "value",
  routeTables: "value",
  destinations: "value",
  accountId: "value",
  region: "value",
  access: ACCOUNT_ACCESS_KEYS,
});

/** The keys VpcPeering's arguments may have (model/argumentKeys). */
const ARGUMENT_KEYS = keysOf<VpcPeeringArgs>({
  requester: SIDE_KEYS,
  accepter: SIDE_KEYS,
  dnsResolution: "value",
  tags: "value",
});

const plans = new ComponentState<VpcPeering, VpcPeeringPlan>();

/**
 * VPC peering: a peering connection between two VPCs, in one account or two, in one region or two, with
 * routes on both sides and DNS resolution of the peer's private hostnames.
 *
 * Peering is not transitive: each VPC reaches only the other's own CIDRs, never a third VPC peered with it,
 * nor its VPN, Direct Connect, internet or NAT gateways or gateway endpoints. For many VPCs, or transit,
 * use a transit gateway.
 *
 * Within one account and one region the request is auto-accepted. Otherwise EC2 refuses auto-accept on
 * the request, so a `VpcPeeringConnectionAccepter` accepts it through the accepter's provider (made from
 * `accepter.access`), and the accepter's options and routes go through that provider too.
 *
 * Limits not checked here, since they need the account: 50 active peering connections per VPC (adjustable
 * to 125), 25 pending requests per account; an unaccepted request expires after a week.
 */
export class VpcPeering extends pulumi.ComponentResource {
  /** The peering connection id (`pcx-...`). */
  public readonly peeringConnectionId: pulumi.Output<string>;
  /** Route ids by `<side>:<route table key>:<destination>` (`requester:private:10.1.0.0/16`). */
  public readonly routeIds: pulumi.Output<Record<string, string>>;
  /** The plan the component registered: placement, acceptance, routes. */
  public get plan(): VpcPeeringPlan {
    return plans.get(this);
  }

  constructor(name: string, args: VpcPeeringArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseUnknownKeys(componentWhere("VpcPeering", name), ARGUMENT_KEYS, args);
    const plan = planVpcPeering(componentWhere("VpcPeering", name), args);
    super("hybridnet:index:VpcPeering", name, {}, opts);
    plans.set(this, plan);
    const tags = { ...args.tags, "hybridnet:component": name };
    // The region check in the plan guarantees a Region for every side that gives an access.
    const sideProvider = (side: "requester" | "accepter") => {
      const given = args[side];
      if (given.access === undefined) return undefined;
      return accessProvider(this, `${name}-${side}-provider`, name, given.access, {
        region: (given.region ?? args.requester.region)!,
        ...(given.accountId !== undefined ? { accountId: given.accountId } : {}),
      });
    };
    const requesterOpts = { parent: this, provider: sideProvider("requester") };
    const accepterProvider = sideProvider("accepter");

    const connection = new aws.ec2.VpcPeeringConnection(
      `${name}-peering`,
      {
        vpcId: args.requester.vpcId,
        peerVpcId: args.accepter.vpcId,
        ...(plan.peerOwnerId !== undefined ? { peerOwnerId: plan.peerOwnerId } : {}),
        ...(plan.peerRegion !== undefined ? { peerRegion: plan.peerRegion } : {}),
        // EC2 accepts auto-accept only when both VPCs are in the requester's account and region.
        autoAccept: plan.autoAccept,
        tags: { ...tags, Name: name, Side: "requester" },
      },
      requesterOpts,
    );

    let accepter: aws.ec2.VpcPeeringConnectionAccepter | undefined;
    if (!plan.autoAccept)
      accepter = new aws.ec2.VpcPeeringConnectionAccepter(
        `${name}-accepter`,
        {
          vpcPeeringConnectionId: connection.id,
          autoAccept: true,
          tags: { ...tags, Name: name, Side: "accepter" },
        },
        { parent: this, provider: accepterProvider },
      );
    // Options and routes need an active connection: after the accepter has accepted it.
    const active = accepter ? [accepter] : [];
    const accepterOpts = { parent: this, provider: accepterProvider, dependsOn: active };
    const activeId = accepter ? accepter.id : connection.id;

    if (plan.dnsResolution) {
      // Each side's option is set in that side's account and region, so each goes through its own provider.
      new aws.ec2.PeeringConnectionOptions(
        `${name}-requester-options`,
        { vpcPeeringConnectionId: activeId, requester: { allowRemoteVpcDnsResolution: true } },
        { ...requesterOpts, dependsOn: active },
      );
      new aws.ec2.PeeringConnectionOptions(
        `${name}-accepter-options`,
        { vpcPeeringConnectionId: activeId, accepter: { allowRemoteVpcDnsResolution: true } },
        accepterOpts,
      );
    }

    const tables = { requester: args.requester.routeTables, accepter: args.accepter.routeTables };
    const routeIds: Record<string, pulumi.Output<string>> = {};
    for (const route of plan.routes) {
      const side = route.side as "requester" | "accepter";
      const created = new aws.ec2.Route(
        `${name}-${route.key}`,
        {
          routeTableId: tables[side][route.tableKey],
          ...(route.ipv6
            ? { destinationIpv6CidrBlock: route.destination }
            : { destinationCidrBlock: route.destination }),
          vpcPeeringConnectionId: activeId,
        },
        side === "requester" ? { ...requesterOpts, dependsOn: active } : accepterOpts,
      );
      routeIds[route.id] = created.id;
    }

    this.peeringConnectionId = connection.id;
    this.routeIds = pulumi.output(routeIds);
    this.registerOutputs({ peeringConnectionId: this.peeringConnectionId, routeIds: this.routeIds });
  }
}
