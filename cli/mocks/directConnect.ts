/**
 * The Direct Connect part of the mock model: gateways (global, no region in their ARN), association proposals
 * and associations across accounts, the transit gateway attachment an association creates, hosted VIF
 * accepters, and virtual interfaces with the peer addresses and BGP key AWS generates when none are given.
 */
import { addressToString, parseCidr } from "../../model/addressing";
import {
  awsId,
  type CallContext,
  digest,
  type IdContext,
  mockSecret,
  type ResourceContext,
  type ServiceMock,
  uuid,
} from "./shared";

/** The id of a transit gateway's attachment to a Direct Connect gateway: one per pair of gateways. */
function dxAttachmentId(dxGatewayId: string, transitGatewayId: string): string {
  return awsId("tgw-attach", `dx-attachment:${dxGatewayId}:${transitGatewayId}`);
}

function gatewayType(gatewayId: unknown): string {
  return String(gatewayId).startsWith("tgw-") ? "transitGateway" : "virtualPrivateGateway";
}

/**
 * Direct Connect: an association's id joins the two gateway ids; a proposal's is a UUID; an accepter manages
 * the hosted VIF, so its id is the VIF's.
 */
function id({ type, inputs, seed, state }: IdContext): string | undefined {
  switch (type) {
    case "aws:directconnect/gatewayAssociation:GatewayAssociation":
      return `ga-${inputs.dxGatewayId}${inputs.associatedGatewayId ?? state.proposals.get(String(inputs.proposalId)) ?? inputs.proposalId}`;
    case "aws:directconnect/gatewayAssociationProposal:GatewayAssociationProposal":
      return uuid(seed);
    case "aws:directconnect/hostedPrivateVirtualInterfaceAccepter:HostedPrivateVirtualInterfaceAccepter":
    case "aws:directconnect/hostedTransitVirtualInterfaceAcceptor:HostedTransitVirtualInterfaceAcceptor":
    case "aws:directconnect/hostedPublicVirtualInterfaceAccepter:HostedPublicVirtualInterfaceAccepter":
      return String(inputs.virtualInterfaceId);
    default:
      return undefined;
  }
}

/** A virtual interface: its ARN and device, and the peer addresses and BGP key AWS assigns when none are given. */
function virtualInterface({ id, inputs, seed, place }: ResourceContext): Record<string, unknown> {
  // AWS assigns IPv4 peer addresses from 169.254.0.0/16 when none are given (a /29 per VIF).
  const block =
    parseCidr("169.254.0.0/16").first + BigInt((parseInt(digest(seed).slice(0, 4), 16) % 8192) * 8);
  const ipv4 = inputs.addressFamily !== "ipv6";
  return {
    arn: `arn:aws:directconnect:${place.region}:${place.account}:dxvif/${id}`,
    awsDevice: `${place.region.replace(/-/g, "")}-${digest(`${seed}:device`).slice(0, 12)}`,
    amazonSideAsn: "64512",
    jumboFrameCapable: true,
    amazonAddress: inputs.amazonAddress ?? (ipv4 ? `${addressToString(block + 1n, 4)}/29` : "fd00::1/125"),
    customerAddress:
      inputs.customerAddress ?? (ipv4 ? `${addressToString(block + 2n, 4)}/29` : "fd00::2/125"),
    // Without a key, AWS generates one (a given key comes back as given, secret if it was).
    ...(inputs.bgpAuthKey === undefined
      ? { bgpAuthKey: mockSecret(digest(`${seed}:bgp`).slice(0, 24)) }
      : {}),
  };
}

/** Direct Connect gateways, associations, proposals and virtual interfaces as the service reports them. */
function outputs(resource: ResourceContext): Record<string, unknown> | undefined {
  const { type, id, inputs, seed, place, state } = resource;
  switch (type) {
    case "aws:directconnect/gateway:Gateway":
      // A Direct Connect gateway is global: its ARN has no region.
      return {
        arn: `arn:aws:directconnect::${place.account}:dx-gateway/${id}`,
        ownerAccountId: place.account,
      };
    case "aws:directconnect/gatewayAssociationProposal:GatewayAssociationProposal":
      state.proposals.set(id, String(inputs.associatedGatewayId));
      return {
        associatedGatewayOwnerAccountId: place.account,
        associatedGatewayType: gatewayType(inputs.associatedGatewayId),
      };
    case "aws:directconnect/gatewayAssociation:GatewayAssociation": {
      const associated = String(inputs.associatedGatewayId ?? state.proposals.get(String(inputs.proposalId)));
      const kind = gatewayType(associated);
      return {
        associatedGatewayId: associated,
        associatedGatewayType: kind,
        associatedGatewayOwnerAccountId: inputs.associatedGatewayOwnerAccountId ?? place.account,
        dxGatewayOwnerAccountId: place.account,
        dxGatewayAssociationId: uuid(`${seed}:association`),
        transitGatewayAttachmentId:
          kind === "transitGateway" ? dxAttachmentId(String(inputs.dxGatewayId), associated) : "",
      };
    }
    case "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface":
    case "aws:directconnect/transitVirtualInterface:TransitVirtualInterface":
    case "aws:directconnect/publicVirtualInterface:PublicVirtualInterface":
      return virtualInterface(resource);
    default:
      return undefined;
  }
}

function call({ token, inputs, place }: CallContext): Record<string, unknown> | undefined {
  // The transit gateway's attachment to a Direct Connect gateway: the id the association reports too.
  if (token !== "aws:ec2transitgateway/getDirectConnectGatewayAttachment:getDirectConnectGatewayAttachment")
    return undefined;
  const id = dxAttachmentId(String(inputs.dxGatewayId), String(inputs.transitGatewayId));
  return {
    ...inputs,
    id,
    arn: `arn:aws:ec2:${place.region}:${place.account}:transit-gateway-attachment/${id}`,
    region: place.region,
    tags: {},
  };
}

/** Direct Connect gateways, associations and virtual interfaces. */
export const directConnect: ServiceMock = { id, outputs, call };
