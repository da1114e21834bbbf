/**
 * What connects to what in one stack of a planned environment: the shape of `hybridnet plan --json`
 * `stacks[].connections`, built by ./stackConnections from the planned resources and printed by
 * cli/connectionsView. Every list is sorted, so the same plan gives the same connections. Ids are AWS ids
 * (the mock model's in an offline plan); names are the resources' names in the program. No Pulumi import.
 */

/** A gateway a link ends on, as far as the plan tells. */
export interface GatewayRef {
  /** softwareVpnAppliance: a SoftwareVpnAppliance pair, its id the active (primary) instance's. */
  kind: "transitGateway" | "vpnGateway" | "directConnectGateway" | "softwareVpnAppliance";
  id: string;
  /** The resource's name in the program (`hub-tgw`), when a stack of the plan registered it. */
  name?: string;
  /** The Amazon side ASN (64512–65534, 4200000000–4294967294), when the plan sets it. */
  asn?: number;
  /** transitGateway: the segment (route table) the link's attachments are associated with. */
  segment?: string;
  /** transitGateway: the associated route table's id. */
  routeTableId?: string;
  /** vpnGateway: the VPC it is attached to; softwareVpnAppliance: the VPC its instances are in. */
  vpcId?: string;
}

/** One IPsec tunnel between a software VPN appliance instance and a remote peer. */
export interface ApplianceTunnelView {
  /** The appliance instance it ends on (`web-swvpn-primary`). */
  instance: string;
  /** The AWS side's outside address: the instance's Elastic IP. */
  outsideAddress?: string;
  /** The peer's outside address. */
  peerOutsideAddress?: string;
  /** The tunnel's inside /30 (config): the appliance takes its first address, the peer the second. */
  insideCidr?: string;
  insideAddress?: string;
  peerInsideAddress?: string;
}

/**
 * One on-premises site and how it reaches AWS through one component (internet VPN, VPN over DX, CloudHub, or
 * IPsec tunnels to a software VPN appliance pair: the site is then one remote peer of it).
 */
export interface SiteConnection {
  /** The site's key in the config (`dc1`), from the customer gateway's `Name` tag `<component>-<site>`. */
  site: string;
  /** The component that reaches it (`dc`, `dx-vpn`, `branches`). */
  component: string;
  /** The site's BGP ASN (the customer gateway's). */
  asn?: number;
  /** The customer gateway's address: public for an internet VPN, private for a VPN over Direct Connect. */
  address?: string;
  /** What the site owns: from the stack config, else from the static routes toward it. */
  prefixes: string[];
  /** VPN connections to the site (more than one: ECMP over a transit gateway). */
  connections: number;
  /** Tunnels over all its connections (two per connection). */
  tunnels: number;
  /** Accelerated VPN (Global Accelerator) on its connections. */
  accelerated: boolean;
  /** bgp: the site announces its prefixes; static: static routes only. */
  routing: "bgp" | "static";
  /** internet: public outside addresses; directConnect: private IP VPN over a transit VIF's attachment. */
  transport: "internet" | "directConnect";
  /** Where the connections terminate. */
  to: GatewayRef;
  /** A software VPN appliance's peer: its tunnels, one to each instance. */
  applianceTunnels?: ApplianceTunnelView[];
}

/** A Direct Connect virtual interface (one the stack creates, or a hosted one it accepts). */
export interface VirtualInterfaceView {
  name: string;
  type: "private" | "transit" | "public";
  /** A hosted VIF another account created and this stack accepts (VLAN and ASN are the owner's). */
  hosted: boolean;
  /** 802.1Q VLAN, 1–4094, unique per connection. */
  vlan?: number;
  /** The dedicated or hosted connection (or LAG) it runs on. */
  connectionId?: string;
  /** The on-premises router's BGP ASN. */
  customerAsn?: number;
  /** Where it lands: a Direct Connect gateway or (private) a virtual private gateway; none for a public VIF. */
  to?: GatewayRef;
  /** Public VIF: the public prefixes the router advertises (route filter prefixes). */
  advertisedPrefixes?: string[];
}

/** A Direct Connect gateway and its associations with transit or virtual private gateways. */
export interface DirectConnectGatewayView {
  name: string;
  id: string;
  asn?: number;
  associations: {
    to: GatewayRef;
    /** What AWS advertises on premises over the association (for a VGW without any: the VPC's CIDRs). */
    allowedPrefixes: string[];
    /** Proposed by the gateway's owner in another account, accepted here. */
    proposal: boolean;
  }[];
}

/** A transit gateway route table and what its attachments reach. */
export interface SegmentView {
  transitGatewayId: string;
  transitGatewayName?: string;
  asn?: number;
  /** The `hybridnet:segment` tag, or the route table's name. */
  segment: string;
  routeTableId: string;
  /** Attachments associated with the table, by label (`vpc shared`, `vpn dc1-1`). */
  members: string[];
  /** Segments whose members' routes the table holds (propagated or static): what members of this one reach. */
  reaches: string[];
  /** It has members and they do not reach each other. */
  isolated: boolean;
  /** Static routes and blackholes in the table. */
  staticRoutes: { destination: string; target: string }[];
}

/** A VPC attachment the stack registers, and its place on the transit gateway. */
export interface AttachmentView {
  name: string;
  id: string;
  transitGatewayId: string;
  vpcId: string;
  /** The VPC's name in the program (`app-vpc`), else its id. */
  vpcName: string;
  /** The attached VPC's CIDRs, when a stack of the plan created it. */
  cidrs: string[];
  /** The segment it is associated with (one at most). */
  segment?: string;
  /** The segments its routes propagate into. */
  propagatesTo: string[];
}

/** A transit gateway peering (inter-Region or cross-account) the stack requests or accepts. */
export interface TransitGatewayPeeringView {
  name: string;
  attachmentId: string;
  local: { transitGatewayId: string; asn?: number; segment?: string };
  peer: { transitGatewayId: string; region?: string; accountId?: string; asn?: number; segment?: string };
  /** An accepter for it is in the plan. */
  accepted: boolean;
  /** Static routes toward the peering, per segment. */
  routes: { segment: string; destination: string }[];
}

/** A VPC peering connection the stack requests or accepts. */
export interface VpcPeeringView {
  name: string;
  id: string;
  requester: { vpcId: string; cidrs: string[] };
  accepter: { vpcId: string; cidrs: string[]; accountId?: string; region?: string };
  /** auto: same account and Region; accepter: an accepter resource; pending: nothing accepts it in the plan. */
  acceptance: "auto" | "accepter" | "pending";
  /** Each side resolves the other's private DNS names. */
  dnsResolution: boolean;
}

/** A network load balancer listener and where it forwards. */
export interface ListenerChain {
  protocol: string;
  port: number;
  targetGroup: string;
  targetProtocol: string;
  targetPort?: number;
  /** IP or instance targets with the port each receives on. */
  targets: { target: string; port?: number }[];
}

/** A PrivateLink endpoint service the stack offers, its load balancer and its consumers. */
export interface EndpointServiceView {
  name: string;
  id: string;
  /** `com.amazonaws.vpce.<region>.vpce-svc-…` */
  serviceName: string;
  acceptanceRequired: boolean;
  allowedPrincipals: string[];
  listeners: ListenerChain[];
  /** Interface endpoints to it anywhere in the plan. */
  consumers: { name: string; stack: string; id: string; vpcId: string; vpcName: string; accepted: boolean }[];
}

/** An interface endpoint the stack creates, and the service behind it. */
export interface InterfaceEndpointView {
  name: string;
  id: string;
  vpcId: string;
  /** The VPC's name in the program, else its id. */
  vpcName: string;
  serviceName: string;
  /** The service, when a stack of the plan offers it. */
  service?: {
    name: string;
    stack: string;
    acceptanceRequired: boolean;
    /** Accepted by the service (or acceptance not required). */
    accepted: boolean;
    listeners: ListenerChain[];
  };
}

/** A gateway endpoint (S3, DynamoDB): a route to the service's prefix list in each of its route tables. */
export interface GatewayEndpointView {
  name: string;
  id: string;
  serviceName: string;
  vpcId: string;
  prefixListId?: string;
  routeTableIds: string[];
}

/** A subnet of a VPC the stack creates, from its planned layout (awsx) or its resource. */
export interface SubnetView {
  tier: string;
  zone: string;
  cidr: string;
  id: string;
  routeTableId?: string;
}

/** A VPC the stack creates, with its subnets. */
export interface VpcView {
  name: string;
  id: string;
  cidrs: string[];
  subnets: SubnetView[];
}

/** Routes the stack adds to one VPC route table (its own or another stack's). */
export interface RouteTableView {
  id: string;
  /** `<vpc> <tier> <zone>` for a laid-out table, else the route table's name or id. */
  label: string;
  routes: { destination: string; target: string }[];
  /** Virtual private gateways whose routes the stack propagates into the table. */
  propagatesFrom: string[];
}

/** A Client VPN endpoint. */
export interface ClientVpnView {
  name: string;
  id: string;
  /** The clients' addresses (/12–/22). */
  clientCidr: string;
  vpcId?: string;
  /** Associated subnets, by label where the layout names them. */
  associations: string[];
  /** Authorized destinations (all groups, or the group id). */
  authorizations: { destination: string; groups: string }[];
  routes: { destination: string; subnet: string }[];
}

/** Everything of one stack that carries traffic, and what production protects. */
export interface StackConnections {
  sites: SiteConnection[];
  directConnectGateways: DirectConnectGatewayView[];
  virtualInterfaces: VirtualInterfaceView[];
  segments: SegmentView[];
  attachments: AttachmentView[];
  transitGatewayPeerings: TransitGatewayPeeringView[];
  vpcPeerings: VpcPeeringView[];
  endpointServices: EndpointServiceView[];
  interfaceEndpoints: InterfaceEndpointView[];
  gatewayEndpoints: GatewayEndpointView[];
  vpcs: VpcView[];
  routeTables: RouteTableView[];
  clientVpns: ClientVpnView[];
  /** Resources with `protect` set (production anchors), as `<type> <name>`, sorted. */
  protected: string[];
}

/** A stack's connections with nothing in them: every list empty. */
export function emptyStackConnections(): StackConnections {
  return {
    sites: [],
    directConnectGateways: [],
    virtualInterfaces: [],
    segments: [],
    attachments: [],
    transitGatewayPeerings: [],
    vpcPeerings: [],
    endpointServices: [],
    interfaceEndpoints: [],
    gatewayEndpoints: [],
    vpcs: [],
    routeTables: [],
    clientVpns: [],
    protected: [],
  };
}
