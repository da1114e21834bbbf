/**
 * The one mock model of AWS and random that tests and the offline planner share. Given a resource's type,
 * name and inputs it answers as the provider would after create: an id with the AWS prefix for the type,
 * an ARN in the account and region of the resource's provider, and the computed outputs later code reads
 * (tunnel addresses, attachment ids, generated secrets). Answers are a pure function of the resource, its
 * stack and its provider's account and region, so a plan is the same on every run, and two stacks or two
 * accounts that name a resource alike get different ids, as in AWS. No Pulumi import: the runtime glue lives
 * with its callers and hands this model plain data.
 */
import { createHash } from "node:crypto";
import {
  addressToString,
  allocateTunnelInsideCidrs,
  type Cidr,
  parseCidr,
  tunnelInsideAddresses,
} from "../../model/addressing";
import { zoneIdPrefix } from "../../model/zones";

/** Where resources land when their provider names no region or role (an AWS documentation account). */
export const DEFAULT_ACCOUNT = "111122223333";
export const DEFAULT_REGION = "us-east-1";

/** Pulumi's wire marker for a secret value; a mock returns it so the SDK keeps the output secret. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export interface MockSecret {
  [SECRET_SIG]: typeof SECRET_VALUE;
  value: unknown;
}

/** Wraps a value the way the engine marks a secret output. */
export function mockSecret(value: unknown): MockSecret {
  return { [SECRET_SIG]: SECRET_VALUE, value };
}

/** What the runtime hands a mock: the same fields as `pulumi.runtime.MockResourceArgs`. */
export interface MockResourceRequest {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  provider?: string;
  id?: string;
  custom?: boolean;
}

export interface MockResourceAnswer {
  id: string;
  state: Record<string, unknown>;
}

export interface MockCallRequest {
  token: string;
  inputs: Record<string, unknown>;
  provider?: string;
}

interface Placement {
  account: string;
  region: string;
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** An AWS-style id: the type's prefix and 17 hex digits derived from the resource's identity. */
function awsId(prefix: string, seed: string): string {
  return `${prefix}-${digest(seed).slice(0, 17)}`;
}

/** A public tunnel outside address in AWS-owned space, distinct per connection and tunnel. */
function outsideAddress(seed: string): string {
  const h = digest(seed);
  return `52.${parseInt(h.slice(0, 2), 16)}.${parseInt(h.slice(2, 4), 16)}.${1 + (parseInt(h.slice(4, 6), 16) % 254)}`;
}

/**
 * A private outside address (private IP VPN over Direct Connect): AWS takes it from the transit gateway's
 * IPv4 CIDR block; 10.255.0.0/16 stands in when the transit gateway is not in this run (another stack's).
 */
function privateOutsideAddress(seed: string, block: Cidr = parseCidr("10.255.0.0/16")): string {
  const hosts = Number(block.last - block.first) - 1;
  return addressToString(block.first + BigInt(1 + (parseInt(digest(seed).slice(0, 8), 16) % hosts)), 4);
}

/** A UUID-shaped id (Direct Connect gateways' proposals and associations use UUIDs). */
function uuid(seed: string): string {
  const h = digest(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The id of a transit gateway's attachment to a Direct Connect gateway: one per pair of gateways. */
function dxAttachmentId(dxGatewayId: string, transitGatewayId: string): string {
  return awsId("tgw-attach", `dx-attachment:${dxGatewayId}:${transitGatewayId}`);
}

/** One Availability Zone as an account sees it: its name (per account) and its zone id (the same everywhere). */
export interface MockZone {
  name: string;
  zoneId: string;
}

/**
 * The Availability Zones of `region` as account `account` sees them. AWS maps zone names to physical zones
 * independently per account in its oldest Regions (accounts created before November 2025): `us-east-1a` in
 * one account may be `use1-az4` and in another `use1-az2`; the zone id is the same physical zone everywhere.
 * The mock does this in every Region, as the worst case: the zone ids are rotated against the letters by an
 * amount derived from the account id, so the mapping differs between accounts and is the same on every run.
 * us-east-1 has six zones (a–f, `use1-az1`–`use1-az6`), other Regions three.
 */
export function mockAvailabilityZones(account: string, region: string): MockZone[] {
  const count = region === "us-east-1" ? 6 : 3;
  const shift = parseInt(digest(`zones:${account}`).slice(0, 8), 16) % count;
  const prefix = zoneIdPrefix(region);
  return Array.from({ length: count }, (_, i) => ({
    name: `${region}${"abcdef"[i]}`,
    zoneId: `${prefix}-az${((i + shift) % count) + 1}`,
  }));
}

/** Id prefixes AWS uses, by Pulumi type token. Types not listed get a prefix from their name. */
const ID_PREFIX: Record<string, string> = {
  "aws:ec2/vpnGateway:VpnGateway": "vgw",
  "aws:ec2/customerGateway:CustomerGateway": "cgw",
  "aws:ec2/vpnConnection:VpnConnection": "vpn",
  "aws:ec2/vpc:Vpc": "vpc",
  "aws:ec2/subnet:Subnet": "subnet",
  "aws:ec2/routeTable:RouteTable": "rtb",
  "aws:ec2/securityGroup:SecurityGroup": "sg",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
  "aws:ec2/vpcEndpointService:VpcEndpointService": "vpce-svc",
  "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": "pcx",
  "aws:ec2/internetGateway:InternetGateway": "igw",
  "aws:ec2/natGateway:NatGateway": "nat",
  "aws:ec2/eip:Eip": "eipalloc",
  "aws:ec2transitgateway/transitGateway:TransitGateway": "tgw",
  "aws:ec2transitgateway/routeTable:RouteTable": "tgw-rtb",
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment": "tgw-attach",
  "aws:ec2transitgateway/peeringAttachment:PeeringAttachment": "tgw-attach",
  "aws:directconnect/gateway:Gateway": "dxgw",
  "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface": "dxvif",
  "aws:directconnect/transitVirtualInterface:TransitVirtualInterface": "dxvif",
  "aws:directconnect/publicVirtualInterface:PublicVirtualInterface": "dxvif",
  "aws:ec2clientvpn/endpoint:Endpoint": "cvpn-endpoint",
  "aws:ram/resourceShare:ResourceShare": "rs",
};

/** ARN service and resource path by type, for the types whose ARN later code reads. */
const ARN_PATH: Record<string, (id: string, inputs: Record<string, unknown>) => string> = {
  "aws:ec2/vpnGateway:VpnGateway": (id) => `ec2:vpn-gateway/${id}`,
  "aws:ec2/customerGateway:CustomerGateway": (id) => `ec2:customer-gateway/${id}`,
  "aws:ec2/vpnConnection:VpnConnection": (id) => `ec2:vpn-connection/${id}`,
  "aws:ec2transitgateway/transitGateway:TransitGateway": (id) => `ec2:transit-gateway/${id}`,
  "aws:ec2transitgateway/routeTable:RouteTable": (id) => `ec2:transit-gateway-route-table/${id}`,
  "aws:cloudwatch/logGroup:LogGroup": (_id, state) => `logs:log-group:${String(state.name)}`,
  "aws:cloudwatch/metricAlarm:MetricAlarm": (id) => `cloudwatch:alarm:${id}`,
  "aws:ec2/vpc:Vpc": (id) => `ec2:vpc/${id}`,
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment": (id) => `ec2:transit-gateway-attachment/${id}`,
  "aws:ram/resourceShare:ResourceShare": (id) => `ram:resource-share/${id}`,
  "aws:ec2/subnet:Subnet": (id) => `ec2:subnet/${id}`,
  "aws:ec2/securityGroup:SecurityGroup": (id) => `ec2:security-group/${id}`,
};

function prefixFor(type: string): string {
  const known = ID_PREFIX[type];
  if (known) return known;
  const last = type.split(":").pop() ?? type;
  return last.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
}

/** Types the PrivateLink and Client VPN part of the model answers for (load balancers, endpoints, Client VPN). */
const ACCESS_TYPES = new Set([
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:lb/targetGroup:TargetGroup",
  "aws:lb/listener:Listener",
  "aws:ec2/vpcEndpointService:VpcEndpointService",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter",
  "aws:ec2clientvpn/endpoint:Endpoint",
  "aws:ec2clientvpn/networkAssociation:NetworkAssociation",
  "aws:cloudwatch/logStream:LogStream",
  "aws:route53/record:Record",
]);

/** ELB ARNs name the load balancer type: `net` (network), `app` (application), `gwy` (gateway). */
const ELB_KIND: Record<string, string> = { network: "net", application: "app", gateway: "gwy" };

/** Route 53 hosted zones of Network Load Balancers and VPC endpoint DNS names in us-east-1 (AWS's own ids). */
const NLB_ZONE_US_EAST_1 = "Z26RNL4JYFTOTI";
const VPCE_ZONE_US_EAST_1 = "Z7HUB22UULQXV";

/** A name the way Pulumi auto-names a resource: the resource name, "-", 7 hex characters. */
function autoName(name: string, seed: string): string {
  return `${name}-${digest(seed).slice(0, 7)}`;
}

/** The outputs of other stacks, by fully qualified name (`organization/hybridnet/connectivity-dev`). */
export type StackOutputs = Record<string, Record<string, unknown>>;

export interface MockModelOptions {
  /**
   * The stack the program runs as (`workload-app-dev`): part of every resource's identity, with its provider's
   * account and region. @default "" (one unnamed stack).
   */
  stack?: string;
  /**
   * Outputs of the stacks a program references, as their last deployment left them: a StackReference to a
   * stack listed here reads these (values wrapped with {@link mockSecret} stay secret); to any other stack,
   * no outputs, as a stack initialized but not yet deployed.
   */
  stackOutputs?: StackOutputs;
}

/** A subnet of an awsx VPC: what a `getSubnet` lookup by VPC and CIDR answers. */
interface MockSubnet {
  id: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  type: string;
}

/** awsx subnet types and the output listing their ids. */
const AWSX_SUBNET_OUTPUT: Record<string, string> = {
  Private: "privateSubnetIds",
  Public: "publicSubnetIds",
  Isolated: "isolatedSubnetIds",
};

/** The id of the subnet of `vpcId` with `cidr`, the same whether awsx creates it or a lookup finds it. */
function subnetId(vpcId: string, cidr: string): string {
  return awsId("subnet", `subnet:${vpcId}:${cidr}`);
}

/** The route table awsx creates for each subnet (one per subnet). */
function subnetRouteTableId(subnet: string): string {
  return awsId("rtb", `rtb:${subnet}`);
}

/**
 * The mock model. One instance serves one program run: it remembers the providers registered so far, so a
 * resource created through an assume-role provider lands in that account and region.
 */
export class MockModel {
  private readonly placements = new Map<string, Placement>();
  /** Direct Connect association proposals registered so far: proposal id → the gateway it proposes. */
  private readonly proposals = new Map<string, string>();
  /** First IPv4 CIDR block of each transit gateway registered so far, by id. */
  private readonly transitGatewayBlocks = new Map<string, Cidr>();
  /** Subnets of the awsx VPCs registered so far, by `<vpc id> <cidr>`. */
  private readonly subnets = new Map<string, MockSubnet>();
  /** The same subnets by id. */
  private readonly subnetsById = new Map<string, MockSubnet>();
  /** Addresses handed to network interfaces so far, by subnet id: AWS never gives one address twice. */
  private readonly addressesInUse = new Map<string, Set<string>>();
  /** Zone ids of the load balancers registered so far, by ARN (from their subnets, in their account). */
  private readonly loadBalancerZones = new Map<string, string[]>();
  /** Zone ids of the endpoint services registered so far (their load balancers'), by service name. */
  private readonly serviceZones = new Map<string, string[]>();
  private readonly stackOutputs: StackOutputs;
  private readonly stack: string;

  constructor(options: MockModelOptions = {}) {
    this.stackOutputs = options.stackOutputs ?? {};
    this.stack = options.stack ?? "";
  }

  /**
   * What every generated value of a resource derives from: its stack, account, region, type and name. Within
   * one stack a type and name are unique (Pulumi's URN); the account and region keep two providers' resources
   * of one name apart.
   */
  private seedOf(place: Placement, type: string, name: string): string {
    return `${this.stack}/${place.account}/${place.region}/${type}::${name}`;
  }

  /** Answers a resource registration (the `newResource` half of `pulumi.runtime.Mocks`). */
  newResource(request: MockResourceRequest): MockResourceAnswer {
    const { type, name, inputs } = request;
    if (type.startsWith("pulumi:providers:")) return this.provider(request);
    if (type === "pulumi:pulumi:StackReference") return this.stackReference(request);
    const place = this.placement(request.provider);
    const seed = this.seedOf(place, type, name);
    if (type === "awsx:ec2:Vpc") return this.awsxVpc(request, seed);
    const id =
      request.id || this.accessId(type, name, inputs, seed, place) || this.idFor(type, name, inputs, seed);
    const state: Record<string, unknown> = { ...inputs };
    // Auto-named resources (a namePrefix, or no name at all) get a name the way the provider makes one.
    if (type === "aws:cloudwatch/logGroup:LogGroup" && inputs.name === undefined)
      state.name = `${inputs.namePrefix ?? `${name}-`}${digest(seed).slice(0, 26)}`;
    const arnPath = ARN_PATH[type];
    const service = type.startsWith("aws:") ? arnPath?.(id, state) : undefined;
    if (service) {
      const [svc, ...rest] = service.split(":");
      state.arn = `arn:aws:${svc}:${place.region}:${place.account}:${rest.join(":")}`;
    }
    if (type.startsWith("aws:")) {
      state.ownerId = place.account;
      state.tagsAll = inputs.tags ?? {};
    }
    Object.assign(state, this.computed(type, id, inputs, seed));
    if (type.startsWith("aws:directconnect/"))
      Object.assign(state, this.directConnect(type, id, inputs, seed, place));
    if (ACCESS_TYPES.has(type)) Object.assign(state, this.access(type, id, name, inputs, seed, place));
    return { id, state };
  }

  /** Answers provider function calls (`call` half of `pulumi.runtime.Mocks`) the programs make. */
  call(request: MockCallRequest): Record<string, unknown> {
    const place = this.placement(request.provider);
    switch (request.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return {
          accountId: place.account,
          arn: `arn:aws:iam::${place.account}:user/mock`,
          userId: "AIDAMOCK",
          id: place.account,
        };
      case "aws:index/getRegion:getRegion":
        return {
          name: place.region,
          region: place.region,
          id: place.region,
          endpoint: `ec2.${place.region}.amazonaws.com`,
        };
      // The transit gateway's attachment to a Direct Connect gateway: the id the association reports too.
      case "aws:ec2transitgateway/getDirectConnectGatewayAttachment:getDirectConnectGatewayAttachment": {
        const id = dxAttachmentId(
          String(request.inputs.dxGatewayId),
          String(request.inputs.transitGatewayId),
        );
        return {
          ...request.inputs,
          id,
          arn: `arn:aws:ec2:${place.region}:${place.account}:transit-gateway-attachment/${id}`,
          region: place.region,
          tags: {},
        };
      }
      // Subnets of an awsx VPC, looked up by VPC and CIDR (the layout is planned, so the CIDR is known).
      case "aws:ec2/getSubnet:getSubnet": {
        const vpcId = String(request.inputs.vpcId);
        const cidrBlock = String(request.inputs.cidrBlock);
        const known = this.subnets.get(`${vpcId} ${cidrBlock}`);
        const id = known?.id ?? subnetId(vpcId, cidrBlock);
        return {
          ...request.inputs,
          id,
          vpcId,
          cidrBlock,
          availabilityZone: known?.availabilityZone ?? "",
          availabilityZoneId:
            mockAvailabilityZones(place.account, place.region).find((z) => z.name === known?.availabilityZone)
              ?.zoneId ?? "",
          arn: `arn:aws:ec2:${place.region}:${place.account}:subnet/${id}`,
          ownerId: place.account,
          tags: {},
        };
      }
      // awsx gives every subnet its own route table.
      case "aws:ec2/getRouteTable:getRouteTable": {
        const subnet = String(request.inputs.subnetId);
        const id = subnetRouteTableId(subnet);
        const vpcId = this.subnetsById.get(subnet)?.vpcId ?? "";
        return {
          ...request.inputs,
          id,
          routeTableId: id,
          vpcId,
          arn: `arn:aws:ec2:${place.region}:${place.account}:route-table/${id}`,
          ownerId: place.account,
          associations: [{ subnetId: subnet, routeTableId: id, main: false }],
          routes: [],
          tags: {},
        };
      }
      case "aws:index/getAvailabilityZones:getAvailabilityZones": {
        const zones = mockAvailabilityZones(place.account, place.region);
        return {
          names: zones.map((z) => z.name),
          zoneIds: zones.map((z) => z.zoneId),
          groupNames: zones.map(() => place.region),
          id: place.region,
        };
      }
      default:
        return request.inputs;
    }
  }

  private provider(request: MockResourceRequest): MockResourceAnswer {
    const inputs = request.inputs;
    // @pulumi/aws sends a provider's object and list inputs as JSON text.
    const json = <T>(value: unknown): T | undefined =>
      typeof value === "string" ? (JSON.parse(value) as T) : (value as T | undefined);
    const roles = json<{ roleArn?: string }[]>(inputs.assumeRoles);
    const roleArn = roles?.[0]?.roleArn ?? json<{ roleArn?: string }>(inputs.assumeRole)?.roleArn;
    const account =
      roleArn?.split(":")[4] || json<string[]>(inputs.allowedAccountIds)?.[0] || DEFAULT_ACCOUNT;
    const region = typeof inputs.region === "string" ? inputs.region : DEFAULT_REGION;
    const id = digest(this.seedOf({ account, region }, request.type, request.name)).slice(0, 36);
    this.placements.set(id, { account, region });
    return { id, state: inputs };
  }

  /** A StackReference reads the outputs registered for the stack; a stack not deployed yet has none. */
  private stackReference(request: MockResourceRequest): MockResourceAnswer {
    const name = String(request.inputs.name ?? request.name);
    const outputs = this.stackOutputs[name] ?? {};
    const secretOutputNames = Object.entries(outputs)
      .filter(
        ([, v]) => typeof v === "object" && v !== null && (v as MockSecret)[SECRET_SIG] === SECRET_VALUE,
      )
      .map(([k]) => k)
      .sort();
    return { id: name, state: { name, outputs, secretOutputNames } };
  }

  /**
   * An awsx VPC (a remote component: one registration, no children under mocks): its VPC id and subnet ids
   * by type, one subnet per spec and zone at the spec's explicit CIDR, and the layout as awsx reports it.
   */
  private awsxVpc(request: MockResourceRequest, seed: string): MockResourceAnswer {
    const inputs = request.inputs;
    const vpcId = awsId("vpc", seed);
    const zones = (inputs.availabilityZoneNames as string[] | undefined) ?? [];
    const specs = (inputs.subnetSpecs as { type: string; name?: string; cidrBlocks?: string[] }[]) ?? [];
    const ids: Record<string, string[]> = {
      privateSubnetIds: [],
      publicSubnetIds: [],
      isolatedSubnetIds: [],
    };
    // awsx creates subnets zone by zone, each zone's specs in order.
    zones.forEach((zone, i) => {
      for (const spec of specs) {
        const cidr = spec.cidrBlocks?.[i];
        const output = AWSX_SUBNET_OUTPUT[spec.type];
        if (!cidr || !output) continue;
        const id = subnetId(vpcId, cidr);
        const subnet = { id, vpcId, cidrBlock: cidr, availabilityZone: zone, type: spec.type };
        this.subnets.set(`${vpcId} ${cidr}`, subnet);
        this.subnetsById.set(id, subnet);
        ids[output].push(id);
      }
    });
    return {
      id: "",
      state: {
        vpcId,
        ...ids,
        subnetLayout: specs.map((s) => ({
          type: s.type,
          ...(s.name !== undefined ? { name: s.name } : {}),
          ...(s.cidrBlocks ? { cidrBlocks: s.cidrBlocks } : {}),
        })),
        natGateways: [],
        eips: [],
      },
    };
  }

  /** Provider references arrive as `<urn>::<id>`; the id is what `provider()` remembered. */
  private placement(provider: string | undefined): Placement {
    const id = provider?.split("::").pop();
    return (id && this.placements.get(id)) || { account: DEFAULT_ACCOUNT, region: DEFAULT_REGION };
  }

  private idFor(type: string, name: string, inputs: Record<string, unknown>, seed: string): string {
    switch (type) {
      case "aws:cloudwatch/logGroup:LogGroup":
        return String(inputs.name ?? `${inputs.namePrefix ?? `${name}-`}${digest(seed).slice(0, 26)}`);
      case "aws:cloudwatch/metricAlarm:MetricAlarm":
        return String(inputs.name ?? `${name}-${digest(seed).slice(0, 7)}`);
      case "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation":
      case "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation":
        return `${inputs.transitGatewayRouteTableId}_${inputs.transitGatewayAttachmentId}`;
      case "aws:ec2transitgateway/route:Route":
        return `${inputs.transitGatewayRouteTableId}_${inputs.destinationCidrBlock}`;
      // The accepter manages the requester's attachment: its id is the attachment id.
      case "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter":
        return String(inputs.transitGatewayAttachmentId);
      // Peering accepters and options manage the requester's connection or attachment: their id is its id.
      case "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter":
      case "aws:ec2/peeringConnectionOptions:PeeringConnectionOptions":
        return String(inputs.vpcPeeringConnectionId);
      case "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter":
        return String(inputs.transitGatewayAttachmentId);
      case "aws:ram/resourceAssociation:ResourceAssociation":
        return `${inputs.resourceShareArn},${inputs.resourceArn}`;
      case "aws:ram/principalAssociation:PrincipalAssociation":
        return `${inputs.resourceShareArn},${inputs.principal}`;
      // EC2 route ids: r-<route table id><number derived from the destination>.
      case "aws:ec2/route:Route":
        return `r-${inputs.routeTableId}${parseInt(digest(String(inputs.destinationCidrBlock ?? inputs.destinationIpv6CidrBlock)).slice(0, 8), 16)}`;
      case "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation":
        return `${inputs.vpnGatewayId}_${inputs.routeTableId}`;
      case "aws:ec2/vpnConnectionRoute:VpnConnectionRoute":
        return `${inputs.destinationCidrBlock}:${inputs.vpnConnectionId}`;
      // Direct Connect: an association's id joins the two gateway ids; a proposal's is a UUID; an accepter
      // manages the hosted VIF, so its id is the VIF's.
      case "aws:directconnect/gatewayAssociation:GatewayAssociation":
        return `ga-${inputs.dxGatewayId}${inputs.associatedGatewayId ?? this.proposals.get(String(inputs.proposalId)) ?? inputs.proposalId}`;
      case "aws:directconnect/gatewayAssociationProposal:GatewayAssociationProposal":
        return uuid(seed);
      case "aws:directconnect/hostedPrivateVirtualInterfaceAccepter:HostedPrivateVirtualInterfaceAccepter":
      case "aws:directconnect/hostedTransitVirtualInterfaceAcceptor:HostedTransitVirtualInterfaceAcceptor":
      case "aws:directconnect/hostedPublicVirtualInterfaceAccepter:HostedPublicVirtualInterfaceAccepter":
        return String(inputs.virtualInterfaceId);
      case "random:index/randomPassword:RandomPassword":
      case "random:index/randomString:RandomString":
        return "none";
      default:
        return awsId(prefixFor(type), seed);
    }
  }

  private computed(
    type: string,
    id: string,
    inputs: Record<string, unknown>,
    seed: string,
  ): Record<string, unknown> {
    switch (type) {
      case "aws:ec2/vpnConnection:VpnConnection":
        return this.vpnConnection(id, inputs, seed);
      case "aws:ec2transitgateway/transitGateway:TransitGateway": {
        const blocks = (inputs.transitGatewayCidrBlocks as string[] | undefined) ?? [];
        const ipv4 = blocks.map(parseCidr).find((b) => b.version === 4);
        if (ipv4) this.transitGatewayBlocks.set(id, ipv4);
        const table = awsId("tgw-rtb", `${seed}:default`);
        return {
          amazonSideAsn: inputs.amazonSideAsn ?? 64512,
          associationDefaultRouteTableId: inputs.defaultRouteTableAssociation === "disable" ? "" : table,
          propagationDefaultRouteTableId: inputs.defaultRouteTablePropagation === "disable" ? "" : table,
        };
      }
      case "aws:ec2/vpnGateway:VpnGateway":
        return { amazonSideAsn: inputs.amazonSideAsn ?? "64512" };
      // A new VPC comes with a main route table (which routes every subnet not given one), a default security
      // group and a default network ACL.
      case "aws:ec2/vpc:Vpc": {
        const main = awsId("rtb", `${seed}:main`);
        return {
          mainRouteTableId: main,
          defaultRouteTableId: main,
          defaultSecurityGroupId: awsId("sg", `${seed}:default`),
          defaultNetworkAclId: awsId("acl", `${seed}:default`),
        };
      }
      // A request that is not auto-accepted waits for the accepter side.
      case "aws:ec2/vpcPeeringConnection:VpcPeeringConnection":
        return { acceptStatus: inputs.autoAccept === true ? "active" : "pending-acceptance" };
      case "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter":
        return { acceptStatus: "active" };
      // A gateway endpoint's prefix list belongs to the service in its region, the same for every endpoint.
      case "aws:ec2/vpcEndpoint:VpcEndpoint":
        return inputs.vpcEndpointType === "Gateway"
          ? { prefixListId: `pl-${digest(String(inputs.serviceName)).slice(0, 8)}`, state: "available" }
          : {};
      case "random:index/randomPassword:RandomPassword":
      case "random:index/randomString:RandomString": {
        const length = Number(inputs.length ?? 16);
        const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        const h = digest(seed).repeat(Math.ceil(length / 32) + 1);
        let result = "";
        for (let i = 0; i < length; i++)
          result += chars[parseInt(h.slice(i * 2, i * 2 + 2), 16) % chars.length];
        return { result: type.includes("Password") ? mockSecret(result) : result };
      }
      default:
        return {};
    }
  }

  /** Direct Connect gateways, associations, proposals and virtual interfaces as the service reports them. */
  private directConnect(
    type: string,
    id: string,
    inputs: Record<string, unknown>,
    seed: string,
    place: Placement,
  ): Record<string, unknown> {
    const gatewayType = (gatewayId: unknown) =>
      String(gatewayId).startsWith("tgw-") ? "transitGateway" : "virtualPrivateGateway";
    switch (type) {
      case "aws:directconnect/gateway:Gateway":
        // A Direct Connect gateway is global: its ARN has no region.
        return {
          arn: `arn:aws:directconnect::${place.account}:dx-gateway/${id}`,
          ownerAccountId: place.account,
        };
      case "aws:directconnect/gatewayAssociationProposal:GatewayAssociationProposal":
        this.proposals.set(id, String(inputs.associatedGatewayId));
        return {
          associatedGatewayOwnerAccountId: place.account,
          associatedGatewayType: gatewayType(inputs.associatedGatewayId),
        };
      case "aws:directconnect/gatewayAssociation:GatewayAssociation": {
        const associated = String(
          inputs.associatedGatewayId ?? this.proposals.get(String(inputs.proposalId)),
        );
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
      case "aws:directconnect/publicVirtualInterface:PublicVirtualInterface": {
        // AWS assigns IPv4 peer addresses from 169.254.0.0/16 when none are given (a /29 per VIF).
        const block =
          parseCidr("169.254.0.0/16").first + BigInt((parseInt(digest(seed).slice(0, 4), 16) % 8192) * 8);
        const ipv4 = inputs.addressFamily !== "ipv6";
        return {
          arn: `arn:aws:directconnect:${place.region}:${place.account}:dxvif/${id}`,
          awsDevice: `${place.region.replace(/-/g, "")}-${digest(`${seed}:device`).slice(0, 12)}`,
          amazonSideAsn: "64512",
          jumboFrameCapable: true,
          amazonAddress:
            inputs.amazonAddress ?? (ipv4 ? `${addressToString(block + 1n, 4)}/29` : "fd00::1/125"),
          customerAddress:
            inputs.customerAddress ?? (ipv4 ? `${addressToString(block + 2n, 4)}/29` : "fd00::2/125"),
          // Without a key, AWS generates one (a given key comes back as given, secret if it was).
          ...(inputs.bgpAuthKey === undefined
            ? { bgpAuthKey: mockSecret(digest(`${seed}:bgp`).slice(0, 24)) }
            : {}),
        };
      }
      default:
        return {};
    }
  }

  private vpnConnection(id: string, inputs: Record<string, unknown>, seed: string): Record<string, unknown> {
    const isPrivate = inputs.outsideIpAddressType === "PrivateIpv4";
    const block = this.transitGatewayBlocks.get(String(inputs.transitGatewayId));
    const outside = (n: number) =>
      isPrivate ? privateOutsideAddress(`${seed}:t${n}`, block) : outsideAddress(`${seed}:t${n}`);
    const ipv6 = inputs.tunnelInsideIpVersion === "ipv6";
    const auto = allocateTunnelInsideCidrs([`${seed}:t1`, `${seed}:t2`], { version: ipv6 ? 6 : 4 });
    const state: Record<string, unknown> = {};
    for (const n of [1, 2]) {
      const given = inputs[ipv6 ? `tunnel${n}InsideIpv6Cidr` : `tunnel${n}InsideCidr`];
      const inside = typeof given === "string" ? parseCidr(given) : auto[`${seed}:t${n}`];
      const addresses = tunnelInsideAddresses(inside);
      const psk =
        inputs[`tunnel${n}PresharedKey`] ?? digest(`${seed}:psk${n}`).slice(0, 32).replace(/^0/, "a");
      Object.assign(state, {
        [`tunnel${n}Address`]: outside(n),
        [ipv6 ? `tunnel${n}InsideIpv6Cidr` : `tunnel${n}InsideCidr`]: inside.text,
        [`tunnel${n}VgwInsideAddress`]: addresses.aws,
        [`tunnel${n}CgwInsideAddress`]: addresses.customer,
        [`tunnel${n}BgpHoldtime`]: 30,
        [`tunnel${n}PresharedKey`]: mockSecret(psk),
      });
    }
    if (inputs.transitGatewayId) state.transitGatewayAttachmentId = awsId("tgw-attach", `${seed}:attachment`);
    state.customerGatewayConfiguration = mockSecret(`<vpn_connection id="${id}"/>`);
    state.routes = [];
    state.vgwTelemetries = [];
    return state;
  }
  /**
   * Ids of PrivateLink and Client VPN resources whose id AWS derives from other values: load balancers,
   * target groups and listeners are known by ARN; accepters, rules and routes by what they join.
   */
  private accessId(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    seed: string,
    place: Placement,
  ): string | undefined {
    const elb = `arn:aws:elasticloadbalancing:${place.region}:${place.account}`;
    const hex = digest(seed).slice(0, 16);
    switch (type) {
      case "aws:lb/loadBalancer:LoadBalancer": {
        const kind = ELB_KIND[String(inputs.loadBalancerType ?? "application")] ?? "app";
        return `${elb}:loadbalancer/${kind}/${String(inputs.name ?? autoName(name, seed))}/${hex}`;
      }
      case "aws:lb/targetGroup:TargetGroup":
        return `${elb}:targetgroup/${String(inputs.name ?? autoName(name, seed))}/${hex}`;
      case "aws:lb/listener:Listener":
        return `${String(inputs.loadBalancerArn).replace(":loadbalancer/", ":listener/")}/${hex}`;
      case "aws:lb/targetGroupAttachment:TargetGroupAttachment":
        return `${String(inputs.targetGroupArn)}-${digest(seed).slice(0, 20)}`;
      case "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter":
        return `${String(inputs.vpcEndpointServiceId)}_${String(inputs.vpcEndpointId)}`;
      case "aws:vpc/endpointServicePrivateDnsVerification:EndpointServicePrivateDnsVerification":
        return String(inputs.serviceId);
      case "aws:ec2clientvpn/networkAssociation:NetworkAssociation":
        return awsId("cvpn-assoc", seed);
      case "aws:ec2clientvpn/authorizationRule:AuthorizationRule":
        return [inputs.clientVpnEndpointId, inputs.targetNetworkCidr, inputs.accessGroupId]
          .filter((part) => part !== undefined)
          .join(",");
      case "aws:ec2clientvpn/route:Route":
        return `${String(inputs.clientVpnEndpointId)},${String(inputs.targetVpcSubnetId)},${String(inputs.destinationCidrBlock)}`;
      case "aws:cloudwatch/logStream:LogStream":
        return String(inputs.name ?? autoName(name, seed));
      case "aws:route53/record:Record":
        return `${String(inputs.zoneId)}_${String(inputs.name)}_${String(inputs.type)}`;
      default:
        return undefined;
    }
  }

  /**
   * What AWS reports about load balancers, endpoint services, interface endpoints and Client VPN endpoints:
   * ARNs and names, the service name consumers use, endpoint DNS names and addresses, verification records.
   */
  private access(
    type: string,
    id: string,
    name: string,
    inputs: Record<string, unknown>,
    seed: string,
    place: Placement,
  ): Record<string, unknown> {
    const ec2 = `arn:aws:ec2:${place.region}:${place.account}`;
    switch (type) {
      case "aws:lb/loadBalancer:LoadBalancer": {
        const [, , lbName, hex] = id.split(":").pop()?.split("/") ?? [];
        const internal = inputs.internal === true && inputs.loadBalancerType !== "network" ? "internal-" : "";
        // Its zones by id, from the subnets this run registered (awsx), as the load balancer's account maps them.
        const zones = mockAvailabilityZones(place.account, place.region);
        const zoneIds = ((inputs.subnets as unknown[] | undefined) ?? []).flatMap((subnet) => {
          const name = this.subnetsById.get(String(subnet))?.availabilityZone;
          const zone = zones.find((z) => z.name === name);
          return zone ? [zone.zoneId] : [];
        });
        this.loadBalancerZones.set(id, zoneIds);
        return {
          arn: id,
          arnSuffix: id.split(":loadbalancer/")[1],
          name: lbName,
          dnsName: `${internal}${lbName}-${hex}.elb.${place.region}.amazonaws.com`,
          zoneId:
            place.region === "us-east-1"
              ? NLB_ZONE_US_EAST_1
              : `Z${digest(place.region).slice(0, 13).toUpperCase()}`,
        };
      }
      case "aws:lb/targetGroup:TargetGroup":
        return { arn: id, arnSuffix: id.split(":").pop(), name: id.split("/")[1] };
      case "aws:lb/listener:Listener":
        return { arn: id };
      case "aws:ec2/vpcEndpointService:VpcEndpointService": {
        const dns = inputs.privateDnsName;
        // The service is in its load balancers' zones; AWS reports them by name, in the provider's account.
        const zoneIds = [
          ...new Set(
            ((inputs.networkLoadBalancerArns as unknown[] | undefined) ?? []).flatMap(
              (arn) => this.loadBalancerZones.get(String(arn)) ?? [],
            ),
          ),
        ];
        if (zoneIds.length > 0) this.serviceZones.set(`com.amazonaws.vpce.${place.region}.${id}`, zoneIds);
        const zones = mockAvailabilityZones(place.account, place.region);
        return {
          arn: `${ec2}:vpc-endpoint-service/${id}`,
          serviceName: `com.amazonaws.vpce.${place.region}.${id}`,
          serviceType: "Interface",
          state: "Available",
          baseEndpointDnsNames: [`${id}.${place.region}.vpce.amazonaws.com`],
          managesVpcEndpoints: false,
          availabilityZones: zones.filter((z) => zoneIds.includes(z.zoneId)).map((z) => z.name),
          supportedRegions: inputs.supportedRegions ?? [place.region],
          supportedIpAddressTypes: inputs.supportedIpAddressTypes ?? ["ipv4"],
          allowedPrincipals: inputs.allowedPrincipals ?? [],
          privateDnsNameConfigurations:
            typeof dns === "string"
              ? [
                  {
                    name: `_${digest(`${seed}:dns`).slice(0, 20)}`,
                    type: "TXT",
                    value: `vpce:${digest(`${seed}:txt`).slice(0, 20)}`,
                    state: "pendingVerification",
                  },
                ]
              : [],
        };
      }
      case "aws:ec2/vpcEndpoint:VpcEndpoint":
        return inputs.vpcEndpointType === "Interface" ? this.interfaceEndpoint(id, inputs, seed, place) : {};
      case "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter":
        return { vpcEndpointState: "available" };
      case "aws:ec2clientvpn/endpoint:Endpoint":
        return {
          arn: `${ec2}:client-vpn-endpoint/${id}`,
          dnsName: `*.${id}.prod.clientvpn.${place.region}.amazonaws.com`,
          selfServicePortalUrl:
            inputs.selfServicePortal === "enabled"
              ? `https://self-service.clientvpn.amazonaws.com/endpoints/${id}`
              : "",
        };
      case "aws:ec2clientvpn/networkAssociation:NetworkAssociation":
        return { associationId: id };
      case "aws:cloudwatch/logStream:LogStream":
        return {
          arn: `arn:aws:logs:${place.region}:${place.account}:log-group:${String(inputs.logGroupName)}:log-stream:${id}`,
          name: id,
        };
      case "aws:route53/record:Record":
        return { fqdn: String(inputs.name ?? name) };
      default:
        return {};
    }
  }

  /**
   * An interface endpoint's DNS names (Regional, then one per subnet's zone) under its service's name, and one
   * network interface and address per subnet (given addresses are kept). An endpoint to an endpoint service
   * waits for the provider's acceptance; one to an AWS service is available at once.
   */
  private interfaceEndpoint(
    id: string,
    inputs: Record<string, unknown>,
    seed: string,
    place: Placement,
  ): Record<string, unknown> {
    const serviceName = String(inputs.serviceName);
    this.refuseZonesTheServiceLacks(serviceName, inputs, place);
    const endpointService = /^com\.amazonaws\.vpce\.([a-z0-9-]+)\.(vpce-svc-[0-9a-f]+)$/.exec(serviceName);
    const awsService = /^com\.amazonaws\.([a-z]{2}(?:-[a-z]+)+-\d)\.(.+)$/.exec(serviceName);
    const serviceRegion = String(
      inputs.serviceRegion ?? endpointService?.[1] ?? awsService?.[1] ?? place.region,
    );
    const suffix = endpointService
      ? `${endpointService[2]}.${serviceRegion}.vpce.amazonaws.com`
      : `${awsService?.[2] ?? serviceName.split(".").pop()}.${serviceRegion}.vpce.amazonaws.com`;
    const local = `${id}-${digest(seed).slice(0, 8)}`;
    const subnetIds = (inputs.subnetIds as unknown[] | undefined) ?? [];
    const zone =
      place.region === "us-east-1"
        ? VPCE_ZONE_US_EAST_1
        : `Z${digest(`vpce:${place.region}`).slice(0, 13).toUpperCase()}`;
    const given = (inputs.subnetConfigurations as { subnetId?: string; ipv4?: string }[] | undefined) ?? [];
    return {
      arn: `arn:aws:ec2:${place.region}:${place.account}:vpc-endpoint/${id}`,
      state: endpointService ? "pendingAcceptance" : "available",
      serviceRegion,
      dnsEntries: [
        { dnsName: `${local}.${suffix}`, hostedZoneId: zone },
        ...subnetIds.map((_, i) => ({
          dnsName: `${local}-${place.region}${"abcdef"[i % 6]}.${suffix}`,
          hostedZoneId: zone,
        })),
      ],
      networkInterfaceIds: subnetIds.map((_, i) => awsId("eni", `${seed}:eni${i}`)),
      subnetConfigurations: subnetIds.map((subnetId, i) => ({
        subnetId,
        ipv4: this.interfaceAddress(
          String(subnetId),
          `${seed}:address${i}`,
          given.find((c) => c.subnetId === subnetId)?.ipv4,
        ),
      })),
    };
  }

  /**
   * CreateVpcEndpoint fails when a subnet is in a zone the endpoint service's load balancer does not have,
   * compared by zone id (a zone name means a different zone in each account). Checked where this run knows both
   * the service (registered here) and the subnet's zone (an awsx subnet registered here); a service or subnet of
   * another run is not known, as AWS would know it, so it passes.
   */
  private refuseZonesTheServiceLacks(
    serviceName: string,
    inputs: Record<string, unknown>,
    place: Placement,
  ): void {
    const offered = this.serviceZones.get(serviceName);
    if (!offered || inputs.serviceRegion !== undefined) return;
    const zones = mockAvailabilityZones(place.account, place.region);
    for (const subnetId of (inputs.subnetIds as unknown[] | undefined) ?? []) {
      const name = this.subnetsById.get(String(subnetId))?.availabilityZone;
      const zoneId = zones.find((z) => z.name === name)?.zoneId;
      if (zoneId && !offered.includes(zoneId))
        throw new Error(
          `InvalidParameter: The VPC endpoint service ${serviceName} does not support the Availability Zone of the subnet: ${String(subnetId)} (${name}, ${zoneId}; the service is in ${offered.join(", ")})`,
        );
    }
  }

  /**
   * A network interface's address in a subnet: the given one, or one derived from `seed` inside the subnet's
   * CIDR, past the four addresses AWS reserves at its start and before the broadcast address it reserves at
   * its end, and not one handed out already. A subnet this run did not create (another stack's, a hand-written
   * id) has no known CIDR: a derived 10.x.y.z address stands in.
   */
  private interfaceAddress(subnetId: string, seed: string, given?: string): string {
    const inUse = this.addressesInUse.get(subnetId) ?? new Set<string>();
    this.addressesInUse.set(subnetId, inUse);
    const h = digest(seed);
    const subnet = this.subnetsById.get(subnetId);
    const block = subnet ? parseCidr(subnet.cidrBlock) : undefined;
    let address = given;
    if (address === undefined && block?.version === 4 && block.last - block.first > 4n) {
      // AWS reserves the network address, the next three (router, DNS, future use) and the last.
      const usable = Number(block.last - block.first) - 4;
      const start = parseInt(h.slice(0, 8), 16) % usable;
      for (let i = 0; i < usable && address === undefined; i++) {
        const candidate = addressToString(block.first + 4n + BigInt((start + i) % usable), 4);
        if (!inUse.has(candidate)) address = candidate;
      }
    }
    address ??= `10.${parseInt(h.slice(0, 2), 16)}.${parseInt(h.slice(2, 4), 16)}.${4 + (parseInt(h.slice(4, 6), 16) % 250)}`;
    inUse.add(address);
    return address;
  }
}
