/**
 * The resources of one stack as a policy pack (and the offline planner) sees them: type, name, URN, parent,
 * the properties the engine hands an analyzer, and which resource each property's value came from. Pure: no
 * Pulumi import. Rules ask it what a reference points at (the VPC a gateway attaches to, the gateway a VPN
 * connection ends on) through property dependencies, so they work during a preview, when ids are unknown.
 */

/** One resource as an analyzer receives it. */
export interface PlannedResource {
  type: string;
  name: string;
  urn: string;
  /** URN of the parent resource. */
  parent?: string;
  /** Input properties (outputs, for a stack that was updated), secrets unwrapped. */
  props: Record<string, unknown>;
  /** The resource is protected against deletion. */
  protect?: boolean;
  /** Property name → URNs of the resources its value came from. */
  propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  /**
   * Paths of the properties that are secret (`tunnel1PresharedKey`, `tags.Psk`, `routes[0].gatewayId`); a
   * property inside a secret one is secret too. Undefined when the caller cannot tell.
   */
  secretPaths?: ReadonlySet<string>;
}

/** A violation a stack rule found: the resource it belongs to and what is wrong, in the user's terms. */
export interface Finding {
  /** The resource at fault; undefined when the violation belongs to the stack as a whole. */
  urn?: string;
  message: string;
}

/** Type tokens of the AWS resources the rules read. */
export const TYPES = {
  vpc: "aws:ec2/vpc:Vpc",
  awsxVpc: "awsx:ec2:Vpc",
  vpcCidrAssociation: "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
  routeTable: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  vpnGateway: "aws:ec2/vpnGateway:VpnGateway",
  vpnGatewayAttachment: "aws:ec2/vpnGatewayAttachment:VpnGatewayAttachment",
  customerGateway: "aws:ec2/customerGateway:CustomerGateway",
  vpnConnection: "aws:ec2/vpnConnection:VpnConnection",
  vpnConnectionRoute: "aws:ec2/vpnConnectionRoute:VpnConnectionRoute",
  transitGateway: "aws:ec2transitgateway/transitGateway:TransitGateway",
  tgwVpcAttachment: "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
  tgwVpcAttachmentAccepter: "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter",
  tgwPeeringAttachment: "aws:ec2transitgateway/peeringAttachment:PeeringAttachment",
  tgwPeeringAttachmentAccepter: "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter",
  tgwRoute: "aws:ec2transitgateway/route:Route",
  peeringConnection: "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
  peeringAccepter: "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
  peeringOptions: "aws:ec2/peeringConnectionOptions:PeeringConnectionOptions",
  vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  endpointService: "aws:ec2/vpcEndpointService:VpcEndpointService",
  endpointServicePrincipal: "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  albLoadBalancer: "aws:alb/loadBalancer:LoadBalancer",
  listener: "aws:lb/listener:Listener",
  albListener: "aws:alb/listener:Listener",
  dxGateway: "aws:directconnect/gateway:Gateway",
  dxAssociation: "aws:directconnect/gatewayAssociation:GatewayAssociation",
  dxAssociationProposal: "aws:directconnect/gatewayAssociationProposal:GatewayAssociationProposal",
  privateVif: "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface",
  transitVif: "aws:directconnect/transitVirtualInterface:TransitVirtualInterface",
  publicVif: "aws:directconnect/publicVirtualInterface:PublicVirtualInterface",
  hostedPrivateVifAccepter:
    "aws:directconnect/hostedPrivateVirtualInterfaceAccepter:HostedPrivateVirtualInterfaceAccepter",
  hostedTransitVifAcceptor:
    "aws:directconnect/hostedTransitVirtualInterfaceAcceptor:HostedTransitVirtualInterfaceAcceptor",
  clientVpnEndpoint: "aws:ec2clientvpn/endpoint:Endpoint",
} as const;

/** Resource types that can be each kind of network element a reference points at. */
export const ELEMENT_TYPES = {
  vpc: [TYPES.vpc, TYPES.awsxVpc],
  vpnGateway: [TYPES.vpnGateway],
  transitGateway: [TYPES.transitGateway],
  customerGateway: [TYPES.customerGateway],
  vpnConnection: [TYPES.vpnConnection],
  peeringConnection: [TYPES.peeringConnection],
  securityGroup: [TYPES.securityGroup],
  loadBalancer: [TYPES.loadBalancer, TYPES.albLoadBalancer],
  dxGateway: [TYPES.dxGateway],
  /** What a transit gateway route or association names as its attachment. */
  tgwAttachment: [TYPES.vpnConnection, TYPES.tgwVpcAttachment, TYPES.tgwPeeringAttachment],
} as const;

/**
 * Resources that stand for another: an accepter manages the requester's peering connection or attachment,
 * and its id is that connection's or attachment's id. A reference through one leads to what it accepts.
 */
const STANDS_FOR: Record<string, string> = {
  [TYPES.peeringAccepter]: "vpcPeeringConnectionId",
  [TYPES.tgwVpcAttachmentAccepter]: "transitGatewayAttachmentId",
  [TYPES.tgwPeeringAttachmentAccepter]: "transitGatewayAttachmentId",
};

/** The key of an element known only by a literal id (a VPC of another stack): `id:vpc-0abc`. */
export function idKey(id: string): string {
  return `id:${id}`;
}

/** The stack a URN belongs to: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function stackOfUrn(urn: string): string | undefined {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  return match?.[1];
}

/** The resources of one stack, indexed, with the references between them. */
export class ResourceGraph {
  private readonly byUrn = new Map<string, PlannedResource>();
  private readonly byType = new Map<string, PlannedResource[]>();

  constructor(readonly resources: readonly PlannedResource[]) {
    for (const r of resources) {
      this.byUrn.set(r.urn, r);
      const list = this.byType.get(r.type);
      if (list) list.push(r);
      else this.byType.set(r.type, [r]);
    }
  }

  get(urn: string): PlannedResource | undefined {
    return this.byUrn.get(urn);
  }

  ofType(...types: readonly string[]): PlannedResource[] {
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  /** The stack's name, read from the URNs (an analyzer is not told it otherwise). */
  get stack(): string | undefined {
    for (const r of this.resources) {
      const stack = stackOfUrn(r.urn);
      if (stack) return stack;
    }
    return undefined;
  }

  /**
   * What property `prop` of `resource` refers to: the URN of the resource of one of `types` its value came
   * from (an accepter leads to what it accepts), else `id:<value>` for a literal id (an element another
   * stack owns, or one passed through config or a stack reference), else undefined.
   */
  target(resource: PlannedResource, prop: string, types: readonly string[]): string | undefined {
    const found = this.fromDependencies(resource, prop, types);
    if (found.length > 0) return found[0];
    const value = resource.props[prop];
    return typeof value === "string" && value !== "" ? idKey(value) : undefined;
  }

  /**
   * Every element a list property refers to (the security groups of an endpoint, the load balancers of an
   * endpoint service): the resources of `types` its values came from and each literal value as `id:<value>`.
   * A value that came from a resource appears both ways; callers test membership, not count.
   */
  targets(resource: PlannedResource, prop: string, types: readonly string[]): string[] {
    const value = resource.props[prop];
    const literals = Array.isArray(value)
      ? value.filter((v): v is string => typeof v === "string" && v !== "").map(idKey)
      : typeof value === "string" && value !== ""
        ? [idKey(value)]
        : [];
    return [...new Set([...this.fromDependencies(resource, prop, types), ...literals])];
  }

  private fromDependencies(resource: PlannedResource, prop: string, types: readonly string[]): string[] {
    const found: string[] = [];
    for (const urn of resource.propertyDependencies?.[prop] ?? []) {
      const source = this.byUrn.get(urn);
      if (!source) continue;
      if (types.includes(source.type)) found.push(urn);
      else {
        const via = STANDS_FOR[source.type];
        if (via) found.push(...this.fromDependencies(source, via, types));
      }
    }
    return [...new Set(found)];
  }

  /** How messages name an element: `"corp-vgw"` for a resource of the stack, `vpc-0abc` for a literal id. */
  label(key: string): string {
    if (key.startsWith("id:")) return key.slice(3);
    const resource = this.byUrn.get(key);
    return resource ? `"${resource.name}"` : key;
  }
}

/** An integer from a number or a string of digits (AWS providers take ASNs as either). */
export function integerOf(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return undefined;
}
