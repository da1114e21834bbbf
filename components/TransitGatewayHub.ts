import * as pulumi from "@pulumi/pulumi";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import { componentWhere, Problems } from "../model/errors";
import { ec2IdProblem } from "../model/identifiers";
import { RESOURCE_KEY, RESOURCE_KEY_RULE } from "../model/names";
import {
  type AttachmentRouting,
  attachmentRouting,
  cidrNameSafe,
  planSegments,
  planTransitGatewayHub,
  type SegmentSpec,
  type TransitGatewayHubPlan,
} from "../model/transitGateway";
import type { ExistingTransitGatewaySettings } from "../model/vpn";
import * as aws from "./aws";
import { ComponentState } from "./componentState";

export type { SegmentSpec } from "../model/transitGateway";

/** Arguments for `TransitGatewayHub`. */
export interface TransitGatewayHubArgs {
  /**
   * The segment policy, keyed by segment name (1–32 letters, digits, '-'; it names the route table
   * `<name>-<segment>`). One route table per segment: at most 20 per transit gateway (AWS quota,
   * adjustable; see `routeTableQuota`). See `SegmentSpec`: `isolated`, symmetric `reaches`,
   * `blackholes`.
   */
  segments: Record<string, SegmentSpec>;
  /** Amazon side BGP ASN of the transit gateway: 64512–65534 or 4200000000–4294967294. @default 64512. */
  amazonSideAsn?: number;
  /** Description of the transit gateway. @default `<name>: transit gateway hub`. */
  description?: string;
  /** DNS support: VPCs attached resolve public DNS names of peer VPC instances to private addresses. @default true. */
  dnsSupport?: boolean;
  /** ECMP across VPN connections' tunnels (BGP). @default true. */
  vpnEcmpSupport?: boolean;
  /**
   * RAM principals the transit gateway is shared with, so their VPCs can attach: 12-digit account ids,
   * organization ARNs (`arn:aws:organizations::<mgmt account>:organization/o-...`) or OU ARNs
   * (`arn:aws:organizations::<mgmt account>:ou/o-.../ou-...`). Sharing with an organization or OU needs
   * RAM sharing with AWS Organizations enabled. Attachments from these accounts wait for acceptance (the
   * hub never auto-accepts). @default not shared.
   */
  principals?: string[];
  /**
   * Let the share reach accounts outside your organization. Off, RAM refuses account principals that are
   * not in the organization. @default false.
   */
  allowExternalPrincipals?: boolean;
  /** Your route-tables-per-transit-gateway quota, if raised above AWS's default of 20. @default 20. */
  routeTableQuota?: number;
  /**
   * CIDR blocks of the transit gateway (IPv4 /24 or larger, IPv6 /64 or larger, at least one IPv4): where AWS
   * takes the private outside addresses of a private IP VPN over Direct Connect. Give DirectConnectVpn the
   * same blocks as its `transport.transitGatewayCidrBlocks`. @default none.
   */
  transitGatewayCidrBlocks?: string[];
  /** Tags on every AWS resource the component creates. */
  tags?: Record<string, string>;
}

/** A segment as an attachment needs it: its route table and the segments it propagates into. */
export interface HubSegment {
  /** Transit gateway route table id of the segment (`tgw-rtb-...`). */
  routeTableId: pulumi.Input<string>;
  /** Segments whose route tables the segment's attachments propagate into. */
  propagatesTo: string[];
}

/** A segment as the hub outputs it, resolved. */
export interface HubSegmentOutput {
  routeTableId: string;
  propagatesTo: string[];
}

/** The association and propagations registered for one attachment. */
export interface SegmentRoutingResources {
  association: aws.ec2transitgateway.RouteTableAssociation;
  /** Propagations by the segment whose route table they propagate into. */
  propagations: Record<string, aws.ec2transitgateway.RouteTablePropagation>;
}

/** Options for the resources an attachment's association and propagations are. */
export interface SegmentRoutingOptions {
  /**
   * Provider of the transit gateway owner's account: associations and propagations live there, also for
   * an attachment another account requested. @default the parent's provider. (TransitGatewayAssociation,
   * the component form of `attach()`, takes no such argument: its own `provider` resource option does this.)
   */
  provider?: pulumi.ProviderResource;
  /** Resources that must exist first (an attachment accepter). */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * Registers what the segment policy implies for one attachment, nothing more: a RouteTableAssociation with
 * its segment's route table (`<name>-association`) and a RouteTablePropagation into the route table of
 * each segment in `routing.propagatesTo` (`<name>-propagation-<segment>`). The caller has checked `routing`
 * with `attachmentRouting` from model/transitGateway.
 */
export function registerSegmentRouting(
  parent: pulumi.Resource,
  name: string,
  attachmentId: pulumi.Input<string>,
  routing: AttachmentRouting,
  segments: Record<string, HubSegment>,
  options: SegmentRoutingOptions = {},
): SegmentRoutingResources {
  const opts: pulumi.CustomResourceOptions = {
    parent,
    ...(options.provider ? { provider: options.provider } : {}),
    ...(options.dependsOn ? { dependsOn: options.dependsOn } : {}),
  };
  const association = new aws.ec2transitgateway.RouteTableAssociation(
    `${name}-association`,
    {
      transitGatewayAttachmentId: attachmentId,
      transitGatewayRouteTableId: segments[routing.segment].routeTableId,
      // An attachment has one association: moving it to another segment replaces the association, and the
      // new one must take the old one's place (AWS answers Resource.AlreadyAssociated otherwise).
      replaceExistingAssociation: true,
    },
    opts,
  );
  const propagations = Object.fromEntries(
    routing.propagatesTo.map((target) => [
      target,
      new aws.ec2transitgateway.RouteTablePropagation(
        `${name}-propagation-${target}`,
        {
          transitGatewayAttachmentId: attachmentId,
          transitGatewayRouteTableId: segments[target].routeTableId,
        },
        opts,
      ),
    ]),
  );
  return { association, propagations };
}

/**
 * The segments an attachment needs, for a stack that attaches to a hub another stack created: the same
 * policy resolved here, with the hub's `routeTableIds` output (for example from a StackReference).
 * Throws a ValidationError when the policy is invalid.
 */
export function hubSegmentsFromPolicy(
  segments: Record<string, SegmentSpec>,
  routeTableIds: pulumi.Input<Record<string, string>>,
): Record<string, HubSegment> {
  const resolved = planSegments("hybridnet:index:TransitGatewayHub segments", segments);
  const ids = pulumi.output(routeTableIds);
  return Object.fromEntries(
    Object.values(resolved).map((s) => [
      s.key,
      { routeTableId: ids.apply((t) => t[s.key]), propagatesTo: s.propagatesTo },
    ]),
  );
}

/**
 * The default route table options of every transit gateway hybridnet creates: both off. What a VPN component
 * on such a gateway states as its `existingTransitGateway`.
 */
export const HYBRIDNET_TRANSIT_GATEWAY_DEFAULTS = {
  defaultRouteTableAssociation: "disable",
  defaultRouteTablePropagation: "disable",
} as const satisfies ExistingTransitGatewaySettings;

/**
 * The transit gateway settings hybridnet creates every transit gateway with (TransitGatewayHub, and
 * TransitGatewayVpn when it makes its own): segmentation is explicit, so an attachment lands in no route
 * table unless a policy puts it there; another account's attachment joins only when the owner accepts it.
 */
export function secureTransitGatewayArgs(options: {
  description: string;
  amazonSideAsn: number;
  dnsSupport: boolean;
  vpnEcmpSupport: boolean;
  tags: Record<string, string>;
  transitGatewayCidrBlocks?: string[];
}): aws.ec2transitgateway.TransitGatewayArgs {
  return {
    ...(options.transitGatewayCidrBlocks?.length
      ? { transitGatewayCidrBlocks: options.transitGatewayCidrBlocks }
      : {}),
    description: options.description,
    amazonSideAsn: options.amazonSideAsn,
    ...HYBRIDNET_TRANSIT_GATEWAY_DEFAULTS,
    autoAcceptSharedAttachments: "disable",
    dnsSupport: options.dnsSupport ? "enable" : "disable",
    vpnEcmpSupport: options.vpnEcmpSupport ? "enable" : "disable",
    tags: options.tags,
  };
}

/** The keys TransitGatewayHub's arguments may have (model/argumentKeys). */
const ARGUMENT_KEYS = keysOf<TransitGatewayHubArgs>({
  segments: "value",
  amazonSideAsn: "value",
  description: "value",
  dnsSupport: "value",
  vpnEcmpSupport: "value",
  principals: "value",
  allowExternalPrincipals: "value",
  routeTableQuota: "value",
  transitGatewayCidrBlocks: "value",
  tags: "value",
});

/** What a hub keeps for `attach`: its plan, its name, the keys attached so far, its segments' routing. */
interface HubState {
  plan: TransitGatewayHubPlan;
  name: string;
  attached: Set<string>;
  segmentRouting: Record<string, HubSegment>;
}

const hubs = new ComponentState<TransitGatewayHub, HubState>();

/**
 * AWS Transit Gateway hub with route-table segmentation: a transit gateway with default route table
 * association and propagation off (every attachment is placed explicitly), auto-accept of shared
 * attachments off, DNS support and VPN ECMP on; one route table per segment with its blackhole routes;
 * and, when principals are given, a RAM share of the transit gateway with them. `TransitGatewayHub.attach`,
 * `TransitGatewayAssociation` (the same as a component, for every Pulumi language) or `VpcAttachment`
 * associates an attachment and propagates it exactly as the policy says.
 */
export class TransitGatewayHub extends pulumi.ComponentResource {
  /** Transit gateway id (`tgw-...`). */
  public readonly transitGatewayId: pulumi.Output<string>;
  /** Transit gateway ARN, the resource the RAM share carries. */
  public readonly transitGatewayArn: pulumi.Output<string>;
  /** Amazon side BGP ASN of the transit gateway. */
  public readonly amazonSideAsn: pulumi.Output<number>;
  /** Route table ids (`tgw-rtb-...`) by segment. At most 20 per transit gateway unless raised. */
  public readonly routeTableIds: pulumi.Output<Record<string, string>>;
  /** The segment policy resolved as plain data: per segment its route table and where it propagates. */
  public readonly segments: pulumi.Output<Record<string, HubSegmentOutput>>;
  /** ARN of the RAM resource share, when principals were given. */
  public readonly resourceShareArn: pulumi.Output<string | undefined>;
  /** Segments with names known now and route table ids as Outputs: pass to VpcAttachment's `segments`. */
  public get segmentRouting(): Record<string, HubSegment> {
    return hubs.get(this).segmentRouting;
  }
  /** The plan the component registered: ASN, resolved segments, principals. */
  public get plan(): TransitGatewayHubPlan {
    return hubs.get(this).plan;
  }

  constructor(name: string, args: TransitGatewayHubArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseUnknownKeys(componentWhere("TransitGatewayHub", name), ARGUMENT_KEYS, args);
    const plan = planTransitGatewayHub(componentWhere("TransitGatewayHub", name), {
      segments: args.segments,
      ...(args.amazonSideAsn !== undefined ? { amazonSideAsn: args.amazonSideAsn } : {}),
      ...(args.principals !== undefined ? { principals: args.principals } : {}),
      ...(args.routeTableQuota !== undefined ? { routeTableQuota: args.routeTableQuota } : {}),
      ...(args.transitGatewayCidrBlocks !== undefined
        ? { transitGatewayCidrBlocks: args.transitGatewayCidrBlocks }
        : {}),
    });
    super("hybridnet:index:TransitGatewayHub", name, {}, opts);
    const tags = { ...args.tags, "hybridnet:component": name };

    const tgw = new aws.ec2transitgateway.TransitGateway(
      `${name}-tgw`,
      secureTransitGatewayArgs({
        description: args.description ?? `${name}: transit gateway hub`,
        amazonSideAsn: plan.amazonSideAsn,
        dnsSupport: args.dnsSupport ?? true,
        vpnEcmpSupport: args.vpnEcmpSupport ?? true,
        tags: { ...tags, Name: name },
        ...(args.transitGatewayCidrBlocks ? { transitGatewayCidrBlocks: args.transitGatewayCidrBlocks } : {}),
      }),
      { parent: this },
    );

    const tables: Record<string, aws.ec2transitgateway.RouteTable> = {};
    for (const segment of Object.values(plan.segments)) {
      const table = new aws.ec2transitgateway.RouteTable(
        `${name}-${segment.key}`,
        {
          transitGatewayId: tgw.id,
          tags: { ...tags, Name: `${name}-${segment.key}`, "hybridnet:segment": segment.key },
        },
        { parent: this },
      );
      tables[segment.key] = table;
      for (const cidr of segment.blackholes)
        new aws.ec2transitgateway.Route(
          `${name}-${segment.key}-blackhole-${cidrNameSafe(cidr)}`,
          { transitGatewayRouteTableId: table.id, destinationCidrBlock: cidr, blackhole: true },
          { parent: this },
        );
    }

    let share: aws.ram.ResourceShare | undefined;
    if (plan.principals.length > 0) {
      share = new aws.ram.ResourceShare(
        `${name}-share`,
        {
          name: `${name}-transit-gateway`,
          allowExternalPrincipals: args.allowExternalPrincipals ?? false,
          tags: { ...tags, Name: `${name}-transit-gateway` },
        },
        { parent: this },
      );
      new aws.ram.ResourceAssociation(
        `${name}-share-tgw`,
        { resourceArn: tgw.arn, resourceShareArn: share.arn },
        { parent: this },
      );
      for (const principal of plan.principals)
        new aws.ram.PrincipalAssociation(
          `${name}-share-${principal.key}`,
          { principal: principal.principal, resourceShareArn: share.arn },
          { parent: this },
        );
    }

    const segmentRouting: Record<string, HubSegment> = Object.fromEntries(
      Object.values(plan.segments).map((s) => [
        s.key,
        { routeTableId: tables[s.key].id, propagatesTo: s.propagatesTo },
      ]),
    );
    hubs.set(this, { plan, name, attached: new Set(), segmentRouting });
    this.transitGatewayId = tgw.id;
    this.transitGatewayArn = tgw.arn;
    this.amazonSideAsn = tgw.amazonSideAsn.apply((asn) => asn ?? plan.amazonSideAsn);
    this.routeTableIds = pulumi.all(Object.fromEntries(Object.entries(tables).map(([k, t]) => [k, t.id])));
    this.segments = pulumi.all(
      Object.fromEntries(
        Object.values(plan.segments).map((s) => [
          s.key,
          pulumi
            .output(tables[s.key].id)
            .apply((routeTableId) => ({ routeTableId, propagatesTo: s.propagatesTo })),
        ]),
      ),
    );
    this.resourceShareArn = share ? share.arn : pulumi.output(undefined);
    this.registerOutputs({
      transitGatewayId: this.transitGatewayId,
      transitGatewayArn: this.transitGatewayArn,
      amazonSideAsn: this.amazonSideAsn,
      routeTableIds: this.routeTableIds,
      segments: this.segments,
      resourceShareArn: this.resourceShareArn,
    });
  }

  /**
   * Associates an attachment (VPC, VPN, peering, Direct Connect gateway) with `segment`'s route table and
   * propagates it into the route tables the policy names, nothing more. Resources are named
   * `<hub>-<key>-association` and `<hub>-<key>-propagation-<segment>` and are children of the hub. `key` is
   * a stable name for the attachment (1–32 letters, digits, '-'), unique on this hub. A transit gateway takes
   * at most 5,000 attachments, counted across every stack that attaches to it, which no single component
   * sees: the policy pack counts them. Throws a ValidationError, registering nothing, on a bad key or segment.
   * From other languages, where a method cannot be called, use `TransitGatewayAssociation` with the hub's
   * `segments` output: the same resources, children of that component instead of the hub.
   */
  attach(
    key: string,
    attachment: { attachmentId: pulumi.Input<string>; segment: string },
    options: SegmentRoutingOptions = {},
  ): SegmentRoutingResources {
    const hub = hubs.get(this);
    const problems = new Problems();
    if (typeof key !== "string" || !RESOURCE_KEY.test(key)) problems.add("key", key, RESOURCE_KEY_RULE);
    else if (hub.attached.has(key))
      problems.add("key", key, "already attached to this hub; give each attachment its own key");
    const attachmentId = attachment?.attachmentId;
    if (attachmentId === undefined || attachmentId === null || attachmentId === "")
      problems.add("attachmentId", attachmentId, "the attachment id (tgw-attach-...), or an Output of one");
    else problems.addIf("attachmentId", attachmentId, ec2IdProblem("tgw-attach", attachmentId));
    const routing = attachmentRouting(
      problems,
      attachment?.segment,
      Object.fromEntries(Object.values(hub.plan.segments).map((s) => [s.key, s])),
    );
    problems.throwIfAny(`${componentWhere("TransitGatewayHub", hub.name)} attach("${key}")`);
    hub.attached.add(key);
    return registerSegmentRouting(
      this,
      `${hub.name}-${key}`,
      attachment.attachmentId,
      routing!,
      hub.segmentRouting,
      options,
    );
  }
}
