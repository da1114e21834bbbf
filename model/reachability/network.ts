/**
 * The network model the reachability questions are asked of: plain data, one record per AWS element that
 * forwards or filters a packet, each carrying where it came from (stack, resource name, URN) so an answer can
 * name the element that drops a flow. Built from a planned environment (./fromPlan) or by hand (tests).
 * No Pulumi import.
 *
 * Ids join the records as they join AWS resources: a route names its route table's id, an association the
 * attachment's id, and so on. Addresses and prefixes are CIDR text (`10.20.0.0/16`, a host as `/32`).
 */

/** Where a record came from: what an answer names when the flow stops there. */
export interface Origin {
  /** The stack that registered it (`connectivity-dev`), or "on-premises" for sites. */
  stack: string;
  /** The resource's name in the program (`shared-private-us-east-1a`), or the site's key. */
  name: string;
  /** The resource's URN, when it is a registered resource (planned elements such as awsx subnets have none). */
  urn?: string;
  /** The name of the hybridnet component that registered it (`app` for PrivateLinkService "app"). */
  component?: string;
}

/** Where a VPC route sends a packet. */
export type VpcRouteTarget =
  | { kind: "local" }
  | { kind: "transitGateway"; id: string }
  | { kind: "vpnGateway"; id: string }
  | { kind: "peering"; id: string }
  /** A gateway endpoint (S3, DynamoDB): the route's destination is the service's prefix list. */
  | { kind: "gatewayEndpoint"; id: string }
  | { kind: "blackhole" }
  /** An internet or NAT gateway, an instance, a network interface: the packet leaves the modelled network. */
  | { kind: "other"; id: string };

export interface VpcRoute {
  /** Destination CIDR, or a prefix list id (`pl-…`) for gateway endpoints. */
  destination: string;
  target: VpcRouteTarget;
  origin: Origin;
}

export interface VpcRouteTable {
  id: string;
  vpcId: string;
  /** Static routes (the local route is implied by the VPC's CIDRs and not listed). */
  routes: VpcRoute[];
  /** Virtual private gateways whose BGP or static VPN routes propagate into this table. */
  propagatingVpnGateways: string[];
  origin: Origin;
}

export interface Vpc {
  id: string;
  /** IPv4 CIDR blocks; each is a local route of every route table of the VPC. */
  cidrs: string[];
  account?: string;
  region?: string;
  origin: Origin;
}

export interface Subnet {
  id: string;
  vpcId: string;
  cidr: string;
  /** Zone name or id as the plan knows it; compared only within one VPC. */
  zone: string;
  /** The route table associated with the subnet (awsx: one per subnet). */
  routeTableId: string;
  /** The layout tier (`private`, `transit`): transit subnets hold only attachment interfaces, no hosts. */
  tier?: string;
  origin: Origin;
}

export interface TransitGateway {
  id: string;
  /** The gateway's Region (`eu-west-1`), when the plan shows it: a hub in a second Region is peered, not attached. */
  region?: string;
  origin: Origin;
}

export type TransitGatewayAttachmentKind = "vpc" | "vpn" | "directConnectGateway" | "peering";

export interface TransitGatewayAttachment {
  id: string;
  transitGatewayId: string;
  kind: TransitGatewayAttachmentKind;
  /** vpc: the attached VPC and the subnets (one per zone) the attachment has a network interface in. */
  vpcId?: string;
  subnetIds?: string[];
  /** vpn: the site behind the connection. */
  site?: string;
  /** vpn: the connection's id. */
  vpnConnectionId?: string;
  /**
   * vpn: the software VPN appliance instance whose Elastic IP is the connection's customer gateway
   * (SoftwareVpnToManagedVpn on the hub, `hybridnet:softwareVpnToHub`), and the connection's tunnel outside
   * addresses (AWS's side, as /32s). The tunnels end in AWS, on that instance: it announces its VPC's CIDRs over
   * BGP and forwards into its VPC what comes through them. Such a connection leads to no site.
   */
  appliance?: { id: string; instanceId: string; tunnelAddresses: string[] };
  /** directConnectGateway: the Direct Connect gateway. */
  directConnectGatewayId?: string;
  /** peering: the other transit gateway's attachment id for the same peering (its side). */
  peerAttachmentId?: string;
  /** peering: the transit gateway on the other side. */
  peerTransitGatewayId?: string;
  origin: Origin;
}

export interface TransitGatewayRoute {
  destination: string;
  /** The attachment the route sends to; absent for a blackhole. */
  attachmentId?: string;
  blackhole?: boolean;
  origin: Origin;
}

export interface TransitGatewayRouteTable {
  id: string;
  transitGatewayId: string;
  /** The segment this table serves, when the hub tags it (`hybridnet:segment`). */
  segment?: string;
  /** Attachments associated with the table (an attachment has at most one association). */
  associations: string[];
  /** Attachments whose routes propagate into the table. */
  propagations: string[];
  /** Static routes and blackholes. */
  routes: TransitGatewayRoute[];
  origin: Origin;
}

export interface VpnGateway {
  id: string;
  /** The VPC it is attached to (one VGW per VPC). */
  vpcId?: string;
  origin: Origin;
}

/** How an on-premises site reaches AWS: a VPN connection, or a Direct Connect gateway. */
export interface SiteLink {
  /** The VPN connection (or Direct Connect gateway association) this link is. */
  id: string;
  kind: "vpn" | "directConnect";
  /** A VPN on a transit gateway: its attachment. */
  transitGatewayAttachmentId?: string;
  /** A VPN on a virtual private gateway (VGW VPN, CloudHub). */
  vpnGatewayId?: string;
  /** A Direct Connect link: the gateway whose allowed prefixes the site learns. */
  directConnectGatewayId?: string;
  /**
   * A Direct Connect link: the private (or transit) virtual interface the site's router peers over. Without one
   * the site has no BGP session with the gateway and reaches nothing over it.
   */
  virtualInterfaceId?: string;
  /**
   * A tunnel to a software VPN appliance (SoftwareVpnAppliance): the appliance and the instance the tunnel ends
   * on, and the key of the peer (the site's device) in the appliance's arguments.
   */
  appliance?: { id: string; instanceId: string; peer: string };
  /** bgp: the site announces its prefixes; static: the prefixes are the connection's static routes. */
  routing: "bgp" | "static";
  /** Static routing on a VGW: the connection's static routes (VpnConnectionRoute). */
  staticRoutes?: string[];
  origin: Origin;
}

/** An on-premises network (data center, branch): the prefixes it owns and the links it reaches AWS over. */
export interface Site {
  name: string;
  /** What the site owns and announces (BGP) or is statically routed to it. */
  prefixes: string[];
  links: SiteLink[];
  origin: Origin;
}

export interface DirectConnectGatewayAssociation {
  /** The associated transit gateway or virtual private gateway. */
  gatewayId: string;
  /** What AWS advertises to on premises over this association, and accepts from it. */
  allowedPrefixes: string[];
  /** A transit gateway association's attachment. */
  transitGatewayAttachmentId?: string;
  origin: Origin;
}

export interface DirectConnectGateway {
  id: string;
  associations: DirectConnectGatewayAssociation[];
  origin: Origin;
}

export interface VpcPeering {
  id: string;
  requesterVpcId: string;
  accepterVpcId: string;
  /** The peering is active (accepted). */
  active: boolean;
  origin: Origin;
}

/** A security group rule; a rule names a CIDR or another security group. */
export interface SecurityGroupRule {
  /** "tcp", "udp", "icmp" or "-1" (all). */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidr?: string;
  securityGroupId?: string;
  origin: Origin;
}

export interface SecurityGroup {
  id: string;
  vpcId: string;
  ingress: SecurityGroupRule[];
  egress: SecurityGroupRule[];
  origin: Origin;
}

export interface InterfaceEndpoint {
  id: string;
  vpcId: string;
  serviceName: string;
  subnetIds: string[];
  securityGroupIds: string[];
  /** The endpoint's address in each subnet. */
  addresses: { subnetId: string; address: string }[];
  /** The consumer VPC's Region, when the plan shows it. */
  region?: string;
  /**
   * The Region of the service the endpoint connects to (cross-Region PrivateLink, `service_region`); absent: the
   * endpoint's own Region, where it finds only services of that Region.
   */
  serviceRegion?: string;
  origin: Origin;
}

/**
 * A gateway endpoint (S3, DynamoDB): a route to the service's prefix list in each of its route tables. Only
 * these two AWS services have gateway endpoints, and one serves only its own Region's service.
 */
export interface GatewayEndpoint {
  id: string;
  vpcId: string;
  /** `com.amazonaws.<region>.s3` or `com.amazonaws.<region>.dynamodb`. */
  serviceName: string;
  /** The AWS-managed prefix list (`pl-…`) of the service in the Region: the routes' destination. */
  prefixListId: string;
  origin: Origin;
}

export interface EndpointService {
  id: string;
  serviceName: string;
  loadBalancerArns: string[];
  acceptanceRequired: boolean;
  /** Endpoint ids the provider accepted (VpcEndpointConnectionAccepter). */
  acceptedEndpointIds: string[];
  /** The service's Region, when the plan shows it. */
  region?: string;
  /**
   * Regions whose consumers may connect (cross-Region PrivateLink, `supported_regions`); AWS always includes the
   * service's own Region. Absent: the service's own Region only.
   */
  supportedRegions?: string[];
  origin: Origin;
}

export interface LoadBalancerListener {
  port: number;
  protocol: string;
  targetGroupArn: string;
  origin: Origin;
}

export interface LoadBalancer {
  arn: string;
  vpcId: string;
  subnetIds: string[];
  /** Each node's address, by subnet id, as AWS reports it (`subnetMappings[].privateIpv4Address`). */
  nodeAddresses?: Record<string, string>;
  securityGroupIds: string[];
  /** Inbound rules apply to PrivateLink traffic, seen with the client's address (AWS default: on). */
  enforceInboundOnPrivateLink: boolean;
  listeners: LoadBalancerListener[];
  origin: Origin;
}

export interface TargetGroup {
  arn: string;
  vpcId: string;
  port: number;
  protocol: string;
  targets: { address: string; port?: number; origin: Origin }[];
  origin: Origin;
}

export interface ClientVpnEndpoint {
  id: string;
  vpcId: string;
  /** The clients' addresses. */
  clientCidr: string;
  /** Associated subnets: where client traffic enters the VPC (source-translated to the endpoint's address there). */
  subnetIds: string[];
  securityGroupIds: string[];
  /** Authorization rules: destinations clients may reach (per group; the model treats every group as authorized). */
  authorizations: { destination: string; origin: Origin }[];
  /** Routes of the endpoint's route table, each through an associated subnet. */
  routes: { destination: string; subnetId: string; origin: Origin }[];
  origin: Origin;
}

/** One EC2 instance of a software VPN appliance pair: a router in a subnet of its VPC. */
export interface ApplianceInstance {
  id: string;
  /** `primary` or `standby` (the `hybridnet:appliance` tag). */
  role: string;
  subnetId: string;
  /** Its fixed private address. */
  privateIp?: string;
  /** Its Elastic IP: the outside address of its tunnels. */
  publicIp?: string;
  /** The primary network interface, which VPC routes to the appliance name. */
  networkInterfaceId?: string;
  securityGroupIds: string[];
  /** EC2's source/destination check: on, the instance drops every packet it is neither the source nor the destination of. */
  sourceDestCheck: boolean;
  origin: Origin;
}

/** A remote IPsec peer of an appliance: the address its security group admits IKE from. */
export interface AppliancePeer {
  /** The peer's key in the component's arguments (`partner`): the site it leads to. */
  key: string;
  /** The peer's public address as a /32. */
  address?: string;
  /**
   * Where the address is in AWS, when the plan holds it: another appliance's Elastic IP (SoftwareVpnPeering) or a
   * managed VPN connection's tunnel (SoftwareVpnToManagedVpn, TransitVpc). Such a peer is no on-premises site.
   */
  aws?: { kind: "appliance"; id: string; instanceId: string } | { kind: "vpnConnection"; id: string };
  /**
   * What the config declares of the peer's tunnels (the plan keeps the rendered configuration secret in the user
   * data): both sides' BGP ASNs and the inside /30 of the tunnel to each instance, the primary's first.
   */
  declared?: { asn: number; remoteAsn: number; insideCidrs: string[] };
  origin: Origin;
}

/**
 * A software VPN appliance pair (SoftwareVpnAppliance, also inside SoftwareVpnPeering, SoftwareVpnToManagedVpn
 * and TransitVpc): VPC routes to an instance's network interface send packets to it; it forwards them into its
 * IPsec tunnels to the remote networks (the sites its links lead to) and back into the VPC.
 */
export interface SoftwareVpnAppliance {
  /** `<stack>/<component name>`. */
  id: string;
  vpcId: string;
  instances: ApplianceInstance[];
  peers: AppliancePeer[];
  /** The SoftwareVpnAppliance component. */
  origin: Origin;
}

/** The whole planned network of an environment. */
export interface Network {
  vpcs: Vpc[];
  subnets: Subnet[];
  routeTables: VpcRouteTable[];
  transitGateways: TransitGateway[];
  transitGatewayAttachments: TransitGatewayAttachment[];
  transitGatewayRouteTables: TransitGatewayRouteTable[];
  vpnGateways: VpnGateway[];
  sites: Site[];
  directConnectGateways: DirectConnectGateway[];
  peerings: VpcPeering[];
  securityGroups: SecurityGroup[];
  interfaceEndpoints: InterfaceEndpoint[];
  gatewayEndpoints: GatewayEndpoint[];
  endpointServices: EndpointService[];
  loadBalancers: LoadBalancer[];
  targetGroups: TargetGroup[];
  clientVpnEndpoints: ClientVpnEndpoint[];
  appliances: SoftwareVpnAppliance[];
}

/** An empty network, to fill by hand or from a plan. */
export function emptyNetwork(): Network {
  return {
    vpcs: [],
    subnets: [],
    routeTables: [],
    transitGateways: [],
    transitGatewayAttachments: [],
    transitGatewayRouteTables: [],
    vpnGateways: [],
    sites: [],
    directConnectGateways: [],
    peerings: [],
    securityGroups: [],
    interfaceEndpoints: [],
    gatewayEndpoints: [],
    endpointServices: [],
    loadBalancers: [],
    targetGroups: [],
    clientVpnEndpoints: [],
    appliances: [],
  };
}
