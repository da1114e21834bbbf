/**
 * What every part of the mock model of AWS uses: the requests and answers the runtime exchanges with it, where a
 * resource lands (account and region), what the model remembers of a run, how ids, UUIDs and auto-names derive
 * from a resource's identity, and how a secret output is marked. No Pulumi import.
 */
import * as crypto from "node:crypto";
import type { Cidr } from "../../model/addressing";

/** Where resources land when their provider names no region or role (an AWS documentation account). */
export const DEFAULT_ACCOUNT = "111122223333";
export const DEFAULT_REGION = "us-east-1";

/** Pulumi's wire marker for a secret value; a mock returns it so the SDK keeps the output secret. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

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

/** The account and region a resource lands in: its provider's. */
export interface Placement {
  account: string;
  region: string;
}

/** A subnet of an awsx VPC: what a `getSubnet` lookup by VPC and CIDR answers. */
export interface MockSubnet {
  id: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  type: string;
}

/**
 * What one program run's model remembers of the resources registered so far, where a later resource's answer
 * depends on an earlier one (a subnet's zone, a transit gateway's CIDR block, a proposal's gateway).
 */
export class MockState {
  /** Direct Connect association proposals registered so far: proposal id → the gateway it proposes. */
  readonly proposals = new Map<string, string>();
  /** First IPv4 CIDR block of each transit gateway registered so far, by id. */
  readonly transitGatewayBlocks = new Map<string, Cidr>();
  /** Subnets of the awsx VPCs registered so far, by `<vpc id> <cidr>`. */
  readonly subnets = new Map<string, MockSubnet>();
  /** The same subnets by id. */
  readonly subnetsById = new Map<string, MockSubnet>();
  /** Addresses handed to network interfaces so far, by subnet id: AWS never gives one address twice. */
  readonly addressesInUse = new Map<string, Set<string>>();
  /**
   * Customer gateways registered so far, by `<account>/<region>/<type>/<address>/<ASN>`: CreateCustomerGateway
   * with the address, ASN and type of an existing gateway returns that gateway, so a second resource would own it.
   */
  readonly customerGateways = new Map<string, { id: string; name: string }>();
  /** Zone ids of the load balancers registered so far, by ARN (from their subnets, in their account). */
  readonly loadBalancerZones = new Map<string, string[]>();
  /** Zone ids of the endpoint services registered so far (their load balancers'), by service name. */
  readonly serviceZones = new Map<string, string[]>();
}

/** A resource being answered, before its id is known. */
export interface IdContext {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** What every generated value of the resource derives from (see `MockModel`). */
  seed: string;
  place: Placement;
  state: MockState;
}

/** A resource being answered, its id known. */
export interface ResourceContext extends IdContext {
  id: string;
}

/** A provider function call being answered. */
export interface CallContext {
  token: string;
  inputs: Record<string, unknown>;
  place: Placement;
  state: MockState;
}

/**
 * The part of the mock model one AWS service (or group of them) answers for. Each answer is undefined for a
 * type or token the part does not model, so the model asks the next part.
 */
export interface ServiceMock {
  /** The id AWS gives the resource, where it is not the type's prefix and a hash (ARNs, joined ids). */
  id?(resource: IdContext): string | undefined;
  /** Outputs the service computes (addresses, names, states), merged over the inputs. */
  outputs?(resource: ResourceContext): Record<string, unknown> | undefined;
  /** The answer to a provider function call. */
  call?(call: CallContext): Record<string, unknown> | undefined;
}

/**
 * SHA-256 of `text`, hex: Node's one-shot `crypto.hash` where it has one (20.12 and later; a quarter of the CPU
 * of a `createHash` object per call, and a stack pass hashes a few hundred seeds), the same digest either way.
 */
export const digest: (text: string) => string =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha256", text, "hex")
    : (text) => crypto.createHash("sha256").update(text).digest("hex");

/** An AWS-style id: the type's prefix and 17 hex digits derived from the resource's identity. */
export function awsId(prefix: string, seed: string): string {
  return `${prefix}-${digest(seed).slice(0, 17)}`;
}

/** A UUID-shaped id (Direct Connect gateways' proposals and associations use UUIDs). */
export function uuid(seed: string): string {
  const h = digest(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A name the way Pulumi auto-names a resource: the resource name, "-", 7 hex characters. */
export function autoName(name: string, seed: string): string {
  return `${name}-${digest(seed).slice(0, 7)}`;
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

/** The id prefix of a type: AWS's where listed, else the type's name in kebab case. */
export function prefixFor(type: string): string {
  const known = ID_PREFIX[type];
  if (known) return known;
  const last = type.split(":").pop() ?? type;
  return last.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
}

/** ARN service and resource path by type, for the types whose ARN later code reads. */
export const ARN_PATH: Record<string, (id: string, inputs: Record<string, unknown>) => string> = {
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
