/**
 * Which inputs force a replacement, per resource type the components register: what a change plan needs to
 * say "replaced (tunnel1InsideCidr changed)" and what a component needs to know where AWS cannot hold the old
 * and the new resource at once. Pure data, no Pulumi import. Input names are the @pulumi/aws (and
 * @pulumi/random) input names; each entry names its source: the Terraform AWS provider schema that
 * @pulumi/aws bridges (`ForceNew: true` on the attribute, or a resource with no update at all), and the AWS
 * API or documentation behind it.
 */

/** Why a replacement of this type must delete the old resource first, when AWS holds only one at a time. */
export interface DeleteFirst {
  /** The AWS rule that refuses the new resource while the old one exists. */
  why: string;
  /** Only when this holds (e.g. only on a virtual private gateway); always when absent. */
  when?: string;
}

/** The replacement rules of one resource type. */
export interface ReplacementRule {
  /** Pulumi type token, e.g. `aws:ec2/vpnConnection:VpnConnection`. */
  type: string;
  /** What users call it in a plan. */
  what: string;
  /** Inputs whose change replaces the resource (a new id, and for connections new outside addresses). */
  forceNew: readonly string[];
  /** A stateful connectivity resource: replacing it interrupts traffic until the far end is reconfigured. */
  stateful: boolean;
  /** Set when AWS cannot hold the old and the new at once: components register it with deleteBeforeReplace. */
  deleteFirst?: DeleteFirst;
  /** Where the rule comes from. */
  source: string;
}

const TF = "Terraform AWS provider (bridged by @pulumi/aws)";

/** What replaces a private or transit VIF: everything its BGP session and VLAN are (all but mtu, tags). */
const VIF_SESSION_INPUTS = [
  "addressFamily",
  "amazonAddress",
  "bgpAsn",
  "bgpAsnLong",
  "bgpAuthKey",
  "connectionId",
  "customerAddress",
  "dxGatewayId",
  "name",
  "vlan",
] as const;

/** A VIF's replacement deletes first: Direct Connect takes a VLAN tag once per connection. */
const VLAN_UNIQUE: DeleteFirst = { why: "a VLAN is unique per Direct Connect connection" };

/** The replacement table, one entry per resource type the components register that has a replacing input. */
export const REPLACEMENT_RULES: readonly ReplacementRule[] = [
  {
    type: "aws:ec2/customerGateway:CustomerGateway",
    what: "customer gateway",
    // Every field but tags: AWS has no ModifyCustomerGateway.
    forceNew: ["bgpAsn", "bgpAsnExtended", "certificateArn", "deviceName", "ipAddress", "type"],
    stateful: true,
    source: `${TF} internal/service/ec2/customer_gateway.go: every attribute but tags is ForceNew; EC2 API has no ModifyCustomerGateway`,
  },
  {
    type: "aws:ec2/vpnConnection:VpnConnection",
    what: "VPN connection",
    forceNew: [
      "type",
      "staticRoutesOnly",
      "enableAcceleration",
      "tunnelInsideIpVersion",
      "tunnel1InsideCidr",
      "tunnel2InsideCidr",
      "tunnel1InsideIpv6Cidr",
      "tunnel2InsideIpv6Cidr",
      "outsideIpAddressType",
      "transportTransitGatewayAttachmentId",
    ],
    stateful: true,
    deleteFirst: {
      why: "tunnel inside CIDRs are unique per virtual private gateway (IPv6 ones per transit gateway): the new connection keeps the old one's inside CIDRs unless they are what changed",
      when: "on a virtual private gateway, or with IPv6 tunnels on a transit gateway",
    },
    source: `${TF} internal/service/ec2/vpnsite_connection.go (ForceNew: type, static_routes_only, enable_acceleration, tunnel_inside_ip_version, tunnelN_inside_cidr, tunnelN_inside_ipv6_cidr; outside_ip_address_type and transport_transit_gateway_attachment_id since provider v5); ModifyVpnConnectionOptions and ModifyVpnTunnelOptions change none of these`,
  },
  {
    type: "aws:ec2/vpnGateway:VpnGateway",
    what: "virtual private gateway",
    forceNew: ["amazonSideAsn", "availabilityZone"],
    stateful: true,
    deleteFirst: { why: "a VPC has at most one virtual private gateway attached" },
    source: `${TF} internal/service/ec2/vpnsite_gateway.go (amazon_side_asn, availability_zone ForceNew; vpc_id attaches and detaches in place); Site-to-Site VPN quotas: one virtual private gateway per VPC`,
  },
  {
    type: "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
    what: "route propagation",
    forceNew: ["vpnGatewayId", "routeTableId"],
    stateful: false,
    source: `${TF} internal/service/ec2/vpnsite_gateway_route_propagation.go: no update; every attribute ForceNew`,
  },
  {
    type: "aws:ec2/vpnConnectionRoute:VpnConnectionRoute",
    what: "VPN static route",
    forceNew: ["destinationCidrBlock", "vpnConnectionId"],
    stateful: false,
    source: `${TF} internal/service/ec2/vpnsite_connection_route.go: no update; every attribute ForceNew`,
  },
  {
    type: "aws:ec2transitgateway/routeTable:RouteTable",
    what: "transit gateway route table",
    forceNew: ["transitGatewayId"],
    stateful: false,
    source: `${TF} internal/service/ec2/transitgateway_route_table.go (transit_gateway_id ForceNew)`,
  },
  {
    type: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
    what: "transit gateway route table association",
    forceNew: ["transitGatewayAttachmentId", "transitGatewayRouteTableId"],
    stateful: false,
    deleteFirst: {
      why: "an attachment has one route table association: the component sets replaceExistingAssociation instead, which disassociates the old table before associating the new (AWS Resource.AlreadyAssociated otherwise)",
    },
    source: `${TF} internal/service/ec2/transitgateway_route_table_association.go (transit_gateway_attachment_id, transit_gateway_route_table_id ForceNew; replace_existing_association); AWS Transit Gateway: each attachment is associated with exactly one route table`,
  },
  {
    type: "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
    what: "transit gateway route propagation",
    forceNew: ["transitGatewayAttachmentId", "transitGatewayRouteTableId"],
    stateful: false,
    source: `${TF} internal/service/ec2/transitgateway_route_table_propagation.go: both attributes ForceNew`,
  },
  {
    type: "aws:ec2transitgateway/route:Route",
    what: "transit gateway route",
    forceNew: [
      "destinationCidrBlock",
      "transitGatewayRouteTableId",
      "transitGatewayAttachmentId",
      "blackhole",
    ],
    stateful: false,
    source: `${TF} internal/service/ec2/transitgateway_route.go: no update; every attribute ForceNew`,
  },
  {
    type: "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
    what: "transit gateway VPC attachment",
    forceNew: ["transitGatewayId", "vpcId"],
    stateful: true,
    source: `${TF} internal/service/ec2/transitgateway_vpc_attachment.go (transit_gateway_id, vpc_id ForceNew; subnet_ids in place)`,
  },
  {
    type: "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface",
    what: "private virtual interface",
    forceNew: [...VIF_SESSION_INPUTS, "vpnGatewayId"],
    stateful: true,
    deleteFirst: VLAN_UNIQUE,
    source: `${TF} internal/service/directconnect/private_virtual_interface.go (all but mtu, sitelink_enabled, tags ForceNew); Direct Connect: a VLAN tag is unique on a connection`,
  },
  {
    type: "aws:directconnect/transitVirtualInterface:TransitVirtualInterface",
    what: "transit virtual interface",
    forceNew: VIF_SESSION_INPUTS,
    stateful: true,
    deleteFirst: VLAN_UNIQUE,
    source: `${TF} internal/service/directconnect/transit_virtual_interface.go (all but mtu, sitelink_enabled, tags ForceNew); Direct Connect: a VLAN tag is unique on a connection`,
  },
  {
    type: "aws:directconnect/publicVirtualInterface:PublicVirtualInterface",
    what: "public virtual interface",
    forceNew: [
      "addressFamily",
      "amazonAddress",
      "bgpAsn",
      "bgpAuthKey",
      "connectionId",
      "customerAddress",
      "name",
      "routeFilterPrefixes",
      "vlan",
    ],
    stateful: true,
    deleteFirst: VLAN_UNIQUE,
    source: `${TF} internal/service/directconnect/public_virtual_interface.go: no update but tags; Direct Connect: a VLAN tag is unique on a connection`,
  },
  {
    type: "aws:directconnect/gateway:Gateway",
    what: "Direct Connect gateway",
    forceNew: ["amazonSideAsn"],
    stateful: true,
    source: `${TF} internal/service/directconnect/gateway.go (amazon_side_asn ForceNew; name in place)`,
  },
  {
    type: "aws:directconnect/gatewayAssociation:GatewayAssociation",
    what: "Direct Connect gateway association",
    forceNew: ["dxGatewayId", "associatedGatewayId", "associatedGatewayOwnerAccountId", "proposalId"],
    stateful: true,
    source: `${TF} internal/service/directconnect/gateway_association.go (allowed_prefixes in place)`,
  },
  {
    type: "aws:ec2/vpcEndpoint:VpcEndpoint",
    what: "VPC endpoint",
    forceNew: ["serviceName", "vpcEndpointType", "vpcId"],
    stateful: true,
    source: `${TF} internal/service/ec2/vpc_endpoint.go (service_name, vpc_endpoint_type, vpc_id ForceNew; subnets and security groups in place)`,
  },
  {
    type: "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
    what: "VPC peering connection",
    forceNew: ["peerOwnerId", "peerRegion", "peerVpcId", "vpcId"],
    stateful: true,
    source: `${TF} internal/service/ec2/vpc_peering_connection.go (peer_owner_id, peer_region, peer_vpc_id, vpc_id ForceNew)`,
  },
  {
    type: "aws:ec2/route:Route",
    what: "VPC route",
    forceNew: ["destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId", "routeTableId"],
    stateful: false,
    source: `${TF} internal/service/ec2/vpc_route.go (destinations and route_table_id ForceNew; targets in place: ReplaceRoute)`,
  },
  {
    type: "aws:ec2clientvpn/endpoint:Endpoint",
    what: "Client VPN endpoint",
    forceNew: ["clientCidrBlock", "authenticationOptions", "transportProtocol"],
    stateful: true,
    source: `${TF} internal/service/ec2/clientvpn_endpoint.go (client_cidr_block, authentication_options, transport_protocol ForceNew); ModifyClientVpnEndpoint cannot change them`,
  },
  {
    type: "aws:cloudwatch/logGroup:LogGroup",
    what: "log group",
    forceNew: ["name", "namePrefix"],
    stateful: false,
    source: `${TF} internal/service/logs/group.go (name, name_prefix ForceNew; retention and KMS key in place)`,
  },
];

const BY_TYPE = new Map(REPLACEMENT_RULES.map((r) => [r.type, r]));

/** The replacement rule of `type`, or undefined for a type no input of which replaces it. */
export function replacementRule(type: string): ReplacementRule | undefined {
  return BY_TYPE.get(type);
}

/** Of the `changed` inputs of a resource of `type`, those that force its replacement, in `changed`'s order. */
export function replacingInputs(type: string, changed: readonly string[]): string[] {
  const rule = BY_TYPE.get(type);
  return rule ? changed.filter((input) => rule.forceNew.includes(input)) : [];
}
