import * as pulumi from "@pulumi/pulumi";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import { checkAccountAccess } from "../model/arns";
import { componentWhere, type Problems } from "../model/errors";
import { accountIdProblem, ec2IdProblem, regionProblem } from "../model/identifiers";
import { planVpcAttachment, resourceShareArnProblem, type VpcAttachmentPlan } from "../model/transitGateway";
import { ACCOUNT_ACCESS_KEYS, type AccountAccess, accessProvider } from "./accountAccess";
import * as aws from "./aws";
import { ComponentState } from "./componentState";
import { type HubSegment, registerSegmentRouting } from "./TransitGatewayHub";

/** A subnet of the attachment. */
export interface AttachmentSubnet {
  /**
   * Availability Zone of the subnet, as a name (`us-east-1a`) or an id (`use1-az1`), the same form for
   * every subnet. Plain data, so the AZ rules are checked before anything registers.
   */
  availabilityZone: string;
  /** Subnet id (`subnet-...`). A small dedicated /28 per AZ is the AWS recommendation. */
  subnetId: pulumi.Input<string>;
  /** IPv4 CIDR of the subnet, as laid-out subnets carry it. Not used: the attachment needs only the id. */
  cidr?: string;
}

/** @deprecated Renamed `AttachmentSubnet`: the name the package schema gives other languages. */
export type AttachmentSubnetArgs = AttachmentSubnet;

/** Arguments for `VpcAttachment`. */
export interface VpcAttachmentArgs {
  /** VPC to attach. */
  vpcId: pulumi.Input<string>;
  /**
   * Subnets the transit gateway uses in the VPC: at most one per Availability Zone (AWS rule) and at least
   * two Availability Zones (hybridnet rule: the transit gateway reaches the VPC only through these AZs).
   */
  subnets: AttachmentSubnet[];
  /** Transit gateway to attach to: the hub's, shared through RAM when it is in another account. */
  transitGatewayId: pulumi.Input<string>;
  /** Segment of the hub the attachment belongs to: a key of `segments`. */
  segment: string;
  /**
   * The hub's segments: `hub.segmentRouting`, or `hubSegmentsFromPolicy(policy, routeTableIds)` in a
   * stack that references the hub's. Names and `propagatesTo` are plain; route table ids may be Outputs.
   */
  segments: Record<string, HubSegment>;
  /**
   * Appliance mode: a flow keeps one AZ in both directions, for stateful appliances (firewalls) in this
   * VPC. @default false.
   */
  applianceModeSupport?: boolean;
  /** DNS support across the attachment. @default true. */
  dnsSupport?: boolean;
  /** IPv6 across the attachment; the subnets need IPv6 CIDRs. Needed for IPv6 destinations. @default false. */
  ipv6Support?: boolean;
  /**
   * VPC route tables that get a route toward the transit gateway for each of `destinations`, keyed by a
   * stable name (`{ private: "rtb-..." }`). A VPC route table holds 50 routes by default (adjustable to
   * 1,000). @default none.
   */
  routeTables?: Record<string, pulumi.Input<string>>;
  /** CIDRs (IPv4, or IPv6 with `ipv6Support`) routed toward the transit gateway from `routeTables`. @default none. */
  destinations?: string[];
  /**
   * The hub owner's account, when the transit gateway is another account's (shared through RAM): the role the
   * component assumes there. It makes a provider from it (its child `<name>-hub-provider`, in `hubRegion`,
   * limited to `hubAccountId`), accepts the attachment there (the hub never auto-accepts) and associates and
   * propagates it there. @default the same account: the attachment's own provider does everything.
   */
  hubAccess?: AccountAccess;
  /**
   * With `hubAccess`: Region of the transit gateway, which is the VPC's (an attachment never crosses Regions).
   * The hub owner's provider is made in it. Required with `hubAccess`.
   */
  hubRegion?: string;
  /**
   * With `hubAccess`: the hub owner's account, 12 digits. The hub owner's provider acts only in it, and the
   * role's account must be this one. @default the account of `hubAccess.roleArn`.
   */
  hubAccountId?: string;
  /**
   * With `hubAccess`: the hub's RAM resource share (TransitGatewayHub `resourceShareArn`) when it reaches
   * this account by invitation — an account outside the hub's organization (the hub's
   * `allowExternalPrincipals`), or an organization without RAM sharing with AWS Organizations enabled. The
   * component accepts the invitation here (aws.ram.ResourceShareAccepter, with this component's provider)
   * before it requests the attachment, which AWS refuses until the transit gateway is shared. @default none:
   * the share needs no acceptance (RAM shares within an organization with sharing enabled are not invitations).
   */
  resourceShareArn?: pulumi.Input<string>;
  /** Tags on every AWS resource the component creates. */
  tags?: Record<string, string>;
}

/** The keys VpcAttachment's arguments may have (model/argumentKeys). */
const ARGUMENT_KEYS = keysOf<VpcAttachmentArgs>({
  vpcId: "value",
  subnets: {
    list: keysOf<AttachmentSubnet>({ availabilityZone: "value", subnetId: "value", cidr: "value" }),
  },
  transitGatewayId: "value",
  segment: "value",
  segments: "value",
  applianceModeSupport: "value",
  dnsSupport: "value",
  ipv6Support: "value",
  routeTables: "value",
  destinations: "value",
  hubAccess: ACCOUNT_ACCESS_KEYS,
  hubRegion: "value",
  hubAccountId: "value",
  resourceShareArn: "value",
  tags: "value",
});

const plans = new ComponentState<VpcAttachment, VpcAttachmentPlan>();

/** The hub owner's access: a role (in `hubAccountId` when given), a Region to make its provider in; nothing without it. */
function checkHubAccess(problems: Problems, args: VpcAttachmentArgs): void {
  if (args.hubAccountId !== undefined)
    problems.addIf("hubAccountId", args.hubAccountId, accountIdProblem(args.hubAccountId));
  if (args.hubRegion !== undefined)
    problems.addIf("hubRegion", args.hubRegion, regionProblem(args.hubRegion));
  if (args.hubAccess === undefined) {
    for (const key of ["hubRegion", "hubAccountId"] as const)
      if (args[key] !== undefined)
        problems.add(key, args[key], "only with hubAccess: it places the hub owner's provider");
    return;
  }
  checkAccountAccess(
    problems,
    "hubAccess",
    args.hubAccess,
    args.hubAccountId !== undefined ? { path: "hubAccountId", accountId: args.hubAccountId } : undefined,
  );
  if (args.hubRegion === undefined)
    problems.add(
      "hubRegion",
      undefined,
      "the transit gateway's Region (the VPC's): hubAccess makes the hub owner's provider in it",
    );
}

/**
 * A VPC attached to a transit gateway hub, in the hub's account or another one: the attachment (one subnet
 * per AZ, at least two AZs), its acceptance in the hub owner's account when cross-account, the association
 * with its segment's route table and the propagations the segment policy implies, and routes toward the
 * transit gateway in the VPC's route tables.
 */
export class VpcAttachment extends pulumi.ComponentResource {
  /** Transit gateway attachment id (`tgw-attach-...`). */
  public readonly attachmentId: pulumi.Output<string>;
  /** The segment the attachment is associated with. */
  public readonly segment: string;
  /** Segments whose route tables the attachment propagates into. */
  public readonly propagatesTo: string[];
  /** Ids of the routes toward the transit gateway, by route table key, then destination CIDR. */
  public readonly routeIds: pulumi.Output<Record<string, Record<string, string>>>;
  /** The plan the component registered. */
  public get plan(): VpcAttachmentPlan {
    return plans.get(this);
  }

  constructor(name: string, args: VpcAttachmentArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseUnknownKeys(componentWhere("VpcAttachment", name), ARGUMENT_KEYS, args);
    const plan = planVpcAttachment(
      componentWhere("VpcAttachment", name),
      {
        vpcId: args.vpcId,
        transitGatewayId: args.transitGatewayId,
        subnets: args.subnets,
        segment: args.segment,
        segments: args.segments,
        ...(args.routeTables !== undefined ? { routeTables: args.routeTables } : {}),
        ...(args.destinations !== undefined ? { destinations: args.destinations } : {}),
        ...(args.ipv6Support !== undefined ? { ipv6Support: args.ipv6Support } : {}),
      },
      (problems) => {
        for (const key of Object.keys(args.segments ?? {})) {
          const id = args.segments[key]?.routeTableId;
          if (id === undefined || id === null || id === "")
            problems.add(
              `segments.${key}.routeTableId`,
              id,
              "the segment's transit gateway route table id (tgw-rtb-...), or an Output of one",
            );
          else problems.addIf(`segments.${key}.routeTableId`, id, ec2IdProblem("tgw-rtb", id));
        }
        checkHubAccess(problems, args);
        if (args.resourceShareArn !== undefined) {
          if (args.hubAccess === undefined)
            problems.add(
              "resourceShareArn",
              args.resourceShareArn,
              "only with hubAccess: a transit gateway in this VPC's own account is not shared, so there is no invitation to accept",
            );
          problems.addIf(
            "resourceShareArn",
            args.resourceShareArn,
            resourceShareArnProblem(args.resourceShareArn),
          );
        }
      },
    );
    super("hybridnet:index:VpcAttachment", name, {}, opts);
    plans.set(this, plan);
    const tags = { ...args.tags, "hybridnet:component": name };
    const crossAccount = args.hubAccess !== undefined;
    // checkHubAccess guarantees hubRegion with hubAccess.
    const hubProvider =
      args.hubAccess !== undefined
        ? accessProvider(this, `${name}-hub-provider`, name, args.hubAccess, {
            region: args.hubRegion!,
            ...(args.hubAccountId !== undefined ? { accountId: args.hubAccountId } : {}),
          })
        : undefined;

    // An invitation must be accepted before the shared transit gateway can be attached to.
    const shareAccepter =
      args.resourceShareArn !== undefined
        ? new aws.ram.ResourceShareAccepter(
            `${name}-share`,
            { shareArn: args.resourceShareArn },
            { parent: this },
          )
        : undefined;
    const attachment = new aws.ec2transitgateway.VpcAttachment(
      `${name}-attachment`,
      {
        vpcId: args.vpcId,
        subnetIds: args.subnets.map((s) => s.subnetId),
        transitGatewayId: args.transitGatewayId,
        applianceModeSupport: args.applianceModeSupport ? "enable" : "disable",
        dnsSupport: (args.dnsSupport ?? true) ? "enable" : "disable",
        ipv6Support: args.ipv6Support ? "enable" : "disable",
        // The default route table settings cannot be configured on a RAM-shared transit gateway (the
        // requester does not own it); the accepter sets them instead. Same account: off, the policy decides.
        ...(crossAccount
          ? {}
          : {
              transitGatewayDefaultRouteTableAssociation: false,
              transitGatewayDefaultRouteTablePropagation: false,
            }),
        tags: { ...tags, Name: name },
      },
      { parent: this, ...(shareAccepter ? { dependsOn: [shareAccepter] } : {}) },
    );

    let attachmentId: pulumi.Output<string> = attachment.id;
    let accepter: aws.ec2transitgateway.VpcAttachmentAccepter | undefined;
    if (crossAccount) {
      accepter = new aws.ec2transitgateway.VpcAttachmentAccepter(
        `${name}-accepter`,
        {
          transitGatewayAttachmentId: attachment.id,
          // The hub has no default route tables; false matches what the provider reads back (no diff).
          transitGatewayDefaultRouteTableAssociation: false,
          transitGatewayDefaultRouteTablePropagation: false,
          tags: { ...tags, Name: name },
        },
        { parent: this, provider: hubProvider },
      );
      // Association and propagation need an accepted (available) attachment.
      attachmentId = accepter.transitGatewayAttachmentId;
    }

    registerSegmentRouting(this, name, attachmentId, plan, args.segments, {
      ...(hubProvider ? { provider: hubProvider } : {}),
    });

    const routeIds: Record<string, Record<string, pulumi.Output<string>>> = {};
    for (const route of plan.routes) {
      const created = new aws.ec2.Route(
        `${name}-${route.key}`,
        {
          routeTableId: args.routeTables![route.table],
          ...(route.version === 6
            ? { destinationIpv6CidrBlock: route.destination }
            : { destinationCidrBlock: route.destination }),
          transitGatewayId: args.transitGatewayId,
        },
        // EC2 refuses a route to a transit gateway the VPC is not attached to (yet).
        { parent: this, dependsOn: accepter ? [attachment, accepter] : [attachment] },
      );
      routeIds[route.table] ??= {};
      routeIds[route.table][route.destination] = created.id;
    }

    this.attachmentId = attachmentId;
    this.segment = plan.segment;
    this.propagatesTo = plan.propagatesTo;
    this.routeIds = pulumi.output(routeIds) as pulumi.Output<Record<string, Record<string, string>>>;
    this.registerOutputs({
      attachmentId: this.attachmentId,
      segment: this.segment,
      propagatesTo: this.propagatesTo,
      routeIds: this.routeIds,
    });
  }
}
