/**
 * The Client VPN part of the mock model: an endpoint's ARN, DNS name and self-service portal, and the ids of
 * target network associations, authorization rules and routes, which AWS builds from what they join.
 */
import { awsId, type IdContext, type ResourceContext, type ServiceMock } from "./shared";

function id({ type, inputs, seed }: IdContext): string | undefined {
  switch (type) {
    case "aws:ec2clientvpn/networkAssociation:NetworkAssociation":
      return awsId("cvpn-assoc", seed);
    case "aws:ec2clientvpn/authorizationRule:AuthorizationRule":
      return [inputs.clientVpnEndpointId, inputs.targetNetworkCidr, inputs.accessGroupId]
        .filter((part) => part !== undefined)
        .join(",");
    case "aws:ec2clientvpn/route:Route":
      return `${String(inputs.clientVpnEndpointId)},${String(inputs.targetVpcSubnetId)},${String(inputs.destinationCidrBlock)}`;
    default:
      return undefined;
  }
}

function outputs({ type, id, inputs, place }: ResourceContext): Record<string, unknown> | undefined {
  switch (type) {
    case "aws:ec2clientvpn/endpoint:Endpoint":
      return {
        arn: `arn:aws:ec2:${place.region}:${place.account}:client-vpn-endpoint/${id}`,
        dnsName: `*.${id}.prod.clientvpn.${place.region}.amazonaws.com`,
        selfServicePortalUrl:
          inputs.selfServicePortal === "enabled"
            ? `https://self-service.clientvpn.amazonaws.com/endpoints/${id}`
            : "",
      };
    case "aws:ec2clientvpn/networkAssociation:NetworkAssociation":
      return { associationId: id };
    default:
      return undefined;
  }
}

/** Client VPN endpoints, their target network associations, authorization rules and routes. */
export const clientVpn: ServiceMock = { id, outputs };
