/**
 * The benchmark's Pulumi program: per generated region, an AWS provider for the region, a TransitGatewayHub,
 * a TransitGatewayVpn with the region's sites on the hub's transit gateway (associated with the on-premises
 * segment, propagating where the policy says) and the region's VpcAttachments. Sizes come from stack config
 * (`sites`, `attachments`, and `regionStart`/`regionCount` for a slice of the regions), so the raw SDK run and
 * the stack process run the very same program, whole or split.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HYBRIDNET_TRANSIT_GATEWAY_DEFAULTS, TransitGatewayHub } from "../components/TransitGatewayHub";
import { TransitGatewayVpn } from "../components/TransitGatewayVpn";
import { VpcAttachment } from "../components/VpcAttachment";
import { type GeneratedRegion, generateRegions, SEGMENTS } from "./generate";

function region(r: GeneratedRegion): Record<string, pulumi.Output<unknown>> {
  const provider = new aws.Provider(r.key, { region: r.region as aws.Region });
  const hub = new TransitGatewayHub(`hub-${r.key}`, { segments: SEGMENTS }, { provider });
  const onprem = hub.segmentRouting.onprem;
  const vpn =
    Object.keys(r.sites).length > 0
      ? new TransitGatewayVpn(
          `vpn-${r.key}`,
          {
            transitGatewayId: hub.transitGatewayId,
            existingTransitGateway: HYBRIDNET_TRANSIT_GATEWAY_DEFAULTS,
            sites: r.sites,
            routeTables: {
              association: onprem.routeTableId,
              propagation: Object.fromEntries(
                onprem.propagatesTo.map((segment) => [segment, hub.segmentRouting[segment].routeTableId]),
              ),
            },
          },
          { provider },
        )
      : undefined;
  for (const a of r.attachments)
    new VpcAttachment(
      a.key,
      {
        vpcId: a.vpcId,
        subnets: a.subnets,
        transitGatewayId: hub.transitGatewayId,
        segment: a.segment,
        segments: hub.segmentRouting,
        routeTables: a.routeTables,
        destinations: a.destinations,
      },
      { provider },
    );
  return {
    [`${r.key}TransitGatewayId`]: hub.transitGatewayId,
    [`${r.key}RouteTableIds`]: hub.routeTableIds,
    ...(vpn
      ? {
          [`${r.key}CustomerGatewayIds`]: vpn.customerGatewayIds,
          [`${r.key}PresharedKeys`]: vpn.presharedKeys,
        }
      : {}),
  };
}

export function hubProgram(): Record<string, pulumi.Output<unknown>> {
  const config = new pulumi.Config();
  const regions = generateRegions(
    { sites: config.requireNumber("sites"), attachments: config.requireNumber("attachments") },
    config.getNumber("regionStart") ?? 0,
    config.getNumber("regionCount"),
  );
  return Object.assign({}, ...regions.map(region));
}
