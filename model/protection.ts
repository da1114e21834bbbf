/**
 * What a production stack protects against deletion (Pulumi `protect`), and what it deliberately does not.
 *
 * Protection blocks a delete and a replacement alike, so it belongs on the anchors: resources whose id,
 * addresses or keys other parties hold (devices, other accounts, other stacks), or that AWS takes hours or a
 * provider's work to bring back. On anything a routine change replaces (routes, rules, associations, alarms,
 * generated keys) it only turns that change into a failed `pulumi up`, and teaches operators to unprotect
 * everything. `prod-deletion-protection` requires exactly the protected set; the stacks apply it per child type
 * with {@link isProtectedInProd}. No Pulumi import.
 */

/** One resource type and the reason it is, or is not, protected in production. */
export interface ProtectionEntry {
  /** Pulumi type token (`aws:ec2/vpnConnection:VpnConnection`). */
  type: string;
  /** The AWS semantics that decide it. */
  why: string;
}

/** The stateful anchors: protected in production. */
export const PROTECTED_IN_PROD: readonly ProtectionEntry[] = [
  {
    type: "awsx:ec2:Vpc",
    why: "the VPC (with its subnets, which its children inherit) holds the workloads' network interfaces; its id and CIDR are in every other stack",
  },
  {
    type: "aws:ec2/vpc:Vpc",
    why: "holds the workloads' network interfaces; its id and CIDR are in every other stack",
  },
  {
    type: "aws:ec2transitgateway/transitGateway:TransitGateway",
    why: "every attachment, RAM share, route table and Direct Connect association hangs on its id: a new one means re-attaching every VPC and VPN",
  },
  {
    type: "aws:ec2/vpnGateway:VpnGateway",
    why: "its VPN connections and Direct Connect associations hang on it, and a VPC takes one: a new one means new VPN connections",
  },
  {
    type: "aws:ec2/customerGateway:CustomerGateway",
    why: "a VPN connection cannot exist without it; every field forces a new one, and moving its connections to another is an outage",
  },
  {
    type: "aws:ec2/vpnConnection:VpnConnection",
    why: "a new one has new tunnel outside addresses and keys: an outage until the on-premises device is reconfigured",
  },
  {
    type: "aws:directconnect/gateway:Gateway",
    why: "its VIFs and gateway associations hang on it; a new one means new VIFs, which the connection owner or partner must bring up again",
  },
  {
    type: "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface",
    why: "its VLAN, BGP peering and key are configured on the on-premises router; a new one is down until the router matches",
  },
  {
    type: "aws:directconnect/transitVirtualInterface:TransitVirtualInterface",
    why: "its VLAN, BGP peering and key are configured on the on-premises router; a new one is down until the router matches",
  },
  {
    type: "aws:directconnect/publicVirtualInterface:PublicVirtualInterface",
    why: "its VLAN, BGP peering and key are configured on the router, and its public prefixes are verified by AWS again (days) when it is recreated",
  },
  {
    type: "aws:ec2/vpcEndpointService:VpcEndpointService",
    why: "its service name is what consumers in other accounts made endpoints to; a new one means every consumer's endpoint is made and accepted again",
  },
  {
    type: "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
    why: "the peer account accepted its id and routes to it: a new one must be accepted again and every peer route changed",
  },
  {
    type: "aws:ec2transitgateway/peeringAttachment:PeeringAttachment",
    why: "the peer hub's owner accepted its id and routes to it: a new one must be accepted again in the other Region",
  },
  {
    type: "aws:ec2clientvpn/endpoint:Endpoint",
    why: "its DNS name is in every user's client configuration file: a new one means distributing new profiles",
  },
  {
    type: "aws:cloudwatch/logGroup:LogGroup",
    why: "tunnel and connection logs are the record of an outage; protection stops a refactor from replacing them (they are also kept on delete)",
  },
  {
    type: "aws:ec2/eip:Eip",
    why: "a software VPN appliance's or WireGuard server's public address is the customer gateway, the peer address on every remote device and the endpoint in every client's configuration: a new one is an outage until they all change",
  },
  {
    type: "random:index/randomBytes:RandomBytes",
    why: "the WireGuard server's private key: its public key is in every client's configuration, so a new one means distributing new configurations",
  },
];

/** Deliberately not protected, with the reason: routine changes replace them, or deleting them loses nothing. */
export const NOT_PROTECTED: readonly ProtectionEntry[] = [
  { type: "aws:ec2/route:Route", why: "routes change with every new network; recreated in seconds" },
  {
    type: "aws:ec2transitgateway/route:Route",
    why: "routes change with every new network; recreated in seconds",
  },
  {
    type: "aws:ec2/vpnConnectionRoute:VpnConnectionRoute",
    why: "static routes follow the site's prefixes; recreated in seconds",
  },
  {
    type: "aws:ec2transitgateway/routeTable:RouteTable",
    why: "segments are redesigned; its associations and propagations move with replaceExistingAssociation",
  },
  {
    type: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
    why: "moving an attachment to another segment replaces it",
  },
  {
    type: "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
    why: "moving an attachment to another segment replaces it",
  },
  {
    type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    why: "rules follow the ports and prefixes; recreated in seconds",
  },
  {
    type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    why: "rules follow the ports and prefixes; recreated in seconds",
  },
  { type: "aws:cloudwatch/metricAlarm:MetricAlarm", why: "alarms are tuned routinely and hold no state" },
  {
    type: "aws:ec2/instance:Instance",
    why: "a software VPN appliance or WireGuard server is replaced whenever its boot configuration changes (cloud-init runs once); its Elastic IP, the anchor, moves to the new instance",
  },
  {
    type: "random:index/randomPassword:RandomPassword",
    why: "a generated key lives on in the VPN connection or VIF that uses it; rotating it is a routine change",
  },
  {
    type: "aws:ec2/vpcEndpoint:VpcEndpoint",
    why: "the consumer side: the stacks' second pass makes and accepts it again, and a teardown removes it first",
  },
  {
    type: "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter",
    why: "re-accepts on the next run, and a teardown removes it first",
  },
  {
    type: "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
    why: "owned by the workload stack, recreated and re-accepted by it; the hub it attaches to is the anchor",
  },
  {
    type: "aws:directconnect/gatewayAssociation:GatewayAssociation",
    why: "its allowed prefixes change in place; the gateway on each side is the anchor",
  },
  {
    type: "aws:directconnect/hostedPrivateVirtualInterfaceAccepter:HostedPrivateVirtualInterfaceAccepter",
    why: "deleting it deletes nothing in AWS (the provider only forgets the VIF)",
  },
  {
    type: "aws:directconnect/hostedTransitVirtualInterfaceAcceptor:HostedTransitVirtualInterfaceAcceptor",
    why: "deleting it deletes nothing in AWS (the provider only forgets the VIF)",
  },
];

/** Whether a resource of `type` is protected in a production stack. */
export function isProtectedInProd(type: string): boolean {
  return PROTECTED_IN_PROD.some((e) => e.type === type);
}

/** Why `type` is protected in production, or undefined when it is not. */
export function protectionReason(type: string): string | undefined {
  return PROTECTED_IN_PROD.find((e) => e.type === type)?.why;
}
