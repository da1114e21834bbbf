/**
 * The route plan between the hub and a transit gateway of the same environment in another Region, joined by
 * transit gateway inter-Region peering. Pure: no Pulumi import.
 *
 * What AWS does over a peering attachment, and so what the plan must say:
 * - nothing propagates across it: every network of the other Region needs a static route (Transit gateway
 *   peering attachments: "static routes only");
 * - traffic arriving over it is looked up in the one route table the attachment is associated with on the
 *   receiving side.
 *
 * So each side associates the attachment with the route table of the association segment (the connectivity
 * VPC's segment, hybridnet:vpc.segment: the one every other segment reaches in a hub-and-spoke policy), and
 * segment S on one side gets a static route to a member of segment T on the other side only when
 * - S reaches T (T is in S's `propagatesTo`, as it would be on one transit gateway), and
 * - the association segment reaches T (so the receiving side can deliver it), and
 * - the association segment reaches S (so the reply, arriving on the other side, can be delivered back).
 * The segment policy thus holds across Regions as it holds within one: isolated segments stay isolated.
 */

/** A segment as the route plan needs it: the segments its attachments' routes reach (transitGateway.ts). */
export interface SegmentReach {
  propagatesTo: string[];
}

/** The networks attached to one transit gateway, by segment: the members a peering routes to. */
export type SegmentMembers = Record<string, string[]>;

/** The static routes of one side of a peering: by segment (route table), the other side's networks. */
export type SegmentRoutes = Record<string, string[]>;

export interface RegionPeeringPlan {
  /** The segment whose route table the peering attachment is associated with, on both sides. */
  associationSegment: string;
  /** The hub's route tables: by segment, the networks of the other Region they route over the peering. */
  hubRoutes: SegmentRoutes;
  /** The other Region's route tables: by segment, the hub's networks they route over the peering. */
  regionRoutes: SegmentRoutes;
  /** Every network of the hub's side the other Region routes to (the peering's `cidrs` on the hub side). */
  hubCidrs: string[];
  /** Every network of the other Region the hub routes to. */
  regionCidrs: string[];
  /** Both sides route something: the peering has work to do (an empty side cannot be peered yet). */
  complete: boolean;
}

/** `from`'s tables route to `to`'s members of the segments the policy lets them reach, both ways. */
function routesBetween(
  segments: Record<string, SegmentReach>,
  association: string,
  to: SegmentMembers,
): SegmentRoutes {
  const reaches = (a: string, b: string) => segments[a]?.propagatesTo.includes(b) ?? false;
  const routes: SegmentRoutes = {};
  for (const source of Object.keys(segments).sort()) {
    if (!reaches(association, source)) continue;
    const destinations = Object.keys(to)
      .sort()
      .filter((target) => reaches(source, target) && reaches(association, target))
      .flatMap((target) => to[target]);
    const unique = [...new Set(destinations)].sort();
    if (unique.length > 0) routes[source] = unique;
  }
  return routes;
}

/**
 * The peering routes between the hub (members `hub`) and another Region's transit gateway (members `region`),
 * both with the segments `segments`, the attachment associated on both sides with `associationSegment`.
 */
export function planRegionPeering(
  segments: Record<string, SegmentReach>,
  associationSegment: string,
  hub: SegmentMembers,
  region: SegmentMembers,
): RegionPeeringPlan {
  const hubRoutes = routesBetween(segments, associationSegment, region);
  const regionRoutes = routesBetween(segments, associationSegment, hub);
  const union = (routes: SegmentRoutes) => [...new Set(Object.values(routes).flat())].sort();
  const regionCidrs = union(hubRoutes);
  const hubCidrs = union(regionRoutes);
  return {
    associationSegment,
    hubRoutes,
    regionRoutes,
    hubCidrs,
    regionCidrs,
    complete: hubCidrs.length > 0 && regionCidrs.length > 0,
  };
}

/** Adds `cidrs` to `segment`'s members. */
export function addMembers(members: SegmentMembers, segment: string, cidrs: readonly string[]): void {
  members[segment] = [...new Set([...(members[segment] ?? []), ...cidrs])].sort();
}
