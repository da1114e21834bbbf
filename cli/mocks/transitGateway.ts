/**
 * The transit gateway part of the mock model: a transit gateway's default route table and ASN (and its CIDR
 * block, which private IP VPNs take their outside addresses from), and the ids of associations, propagations,
 * routes and accepters, which AWS builds from what they join.
 */
import { parseCidr } from "../../model/addressing";
import { awsId, type IdContext, type ResourceContext, type ServiceMock } from "./shared";

function id({ type, inputs }: IdContext): string | undefined {
  switch (type) {
    case "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation":
    case "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation":
      return `${inputs.transitGatewayRouteTableId}_${inputs.transitGatewayAttachmentId}`;
    case "aws:ec2transitgateway/route:Route":
      return `${inputs.transitGatewayRouteTableId}_${inputs.destinationCidrBlock}`;
    // The accepter manages the requester's attachment: its id is the attachment id.
    case "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter":
    case "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter":
      return String(inputs.transitGatewayAttachmentId);
    default:
      return undefined;
  }
}

function outputs({ type, id, inputs, seed, state }: ResourceContext): Record<string, unknown> | undefined {
  if (type !== "aws:ec2transitgateway/transitGateway:TransitGateway") return undefined;
  const blocks = (inputs.transitGatewayCidrBlocks as string[] | undefined) ?? [];
  const ipv4 = blocks.map(parseCidr).find((b) => b.version === 4);
  if (ipv4) state.transitGatewayBlocks.set(id, ipv4);
  const table = awsId("tgw-rtb", `${seed}:default`);
  return {
    amazonSideAsn: inputs.amazonSideAsn ?? 64512,
    associationDefaultRouteTableId: inputs.defaultRouteTableAssociation === "disable" ? "" : table,
    propagationDefaultRouteTableId: inputs.defaultRouteTablePropagation === "disable" ? "" : table,
  };
}

/** Transit gateways, their route tables, attachments' accepters and routes. */
export const transitGateway: ServiceMock = { id, outputs };
