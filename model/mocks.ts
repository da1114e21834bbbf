/**
 * The one mock model of AWS and random that tests and the offline planner share. Given a resource's type,
 * name and inputs it answers as the provider would after create: an id with the AWS prefix for the type,
 * an ARN in the account and region of the resource's provider, and the computed outputs later code reads
 * (tunnel addresses, attachment ids, generated secrets). Answers are a pure function of the resource and
 * its provider, so a plan is the same on every run. No Pulumi import: the runtime glue lives with its
 * callers and hands this model plain data.
 */
import { createHash } from "node:crypto";
import { addressToString, allocateTunnelInsideCidrs, parseCidr, tunnelInsideAddresses } from "./addressing";

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

/** A private outside address (private IP VPN over Direct Connect) inside the transport CIDR range. */
function privateOutsideAddress(seed: string): string {
  const h = digest(seed);
  return addressToString(
    parseCidr("10.255.0.0/16").first + BigInt(1 + (parseInt(h.slice(0, 4), 16) % 65533)),
    4,
  );
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
  "aws:ec2/subnet:Subnet": (id) => `ec2:subnet/${id}`,
  "aws:ec2/securityGroup:SecurityGroup": (id) => `ec2:security-group/${id}`,
};

function prefixFor(type: string): string {
  const known = ID_PREFIX[type];
  if (known) return known;
  const last = type.split(":").pop() ?? type;
  return last.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
}

/**
 * The mock model. One instance serves one program run: it remembers the providers registered so far, so a
 * resource created through an assume-role provider lands in that account and region.
 */
export class MockModel {
  private readonly placements = new Map<string, Placement>();

  /** Answers a resource registration (the `newResource` half of `pulumi.runtime.Mocks`). */
  newResource(request: MockResourceRequest): MockResourceAnswer {
    const { type, name, inputs } = request;
    const seed = `${type}::${name}`;
    if (type.startsWith("pulumi:providers:")) return this.provider(request, seed);
    const place = this.placement(request.provider);
    const id = request.id || this.idFor(type, name, inputs, seed);
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
      case "aws:index/getAvailabilityZones:getAvailabilityZones":
        return {
          names: ["a", "b", "c"].map((z) => `${place.region}${z}`),
          zoneIds: ["az1", "az2", "az3"].map((z) => `use1-${z}`),
          id: place.region,
        };
      default:
        return request.inputs;
    }
  }

  private provider(request: MockResourceRequest, seed: string): MockResourceAnswer {
    const inputs = request.inputs;
    const roles = inputs.assumeRoles as { roleArn?: string }[] | undefined;
    const roleArn = roles?.[0]?.roleArn ?? (inputs.assumeRole as { roleArn?: string } | undefined)?.roleArn;
    const account =
      roleArn?.split(":")[4] || (inputs.allowedAccountIds as string[] | undefined)?.[0] || DEFAULT_ACCOUNT;
    const region = typeof inputs.region === "string" ? inputs.region : DEFAULT_REGION;
    const id = digest(seed).slice(0, 36);
    this.placements.set(id, { account, region });
    return { id, state: inputs };
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
      case "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation":
        return `${inputs.vpnGatewayId}_${inputs.routeTableId}`;
      case "aws:ec2/vpnConnectionRoute:VpnConnectionRoute":
        return `${inputs.destinationCidrBlock}:${inputs.vpnConnectionId}`;
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
        const table = awsId("tgw-rtb", `${seed}:default`);
        return {
          amazonSideAsn: inputs.amazonSideAsn ?? 64512,
          associationDefaultRouteTableId: inputs.defaultRouteTableAssociation === "disable" ? "" : table,
          propagationDefaultRouteTableId: inputs.defaultRouteTablePropagation === "disable" ? "" : table,
        };
      }
      case "aws:ec2/vpnGateway:VpnGateway":
        return { amazonSideAsn: inputs.amazonSideAsn ?? "64512" };
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

  private vpnConnection(id: string, inputs: Record<string, unknown>, seed: string): Record<string, unknown> {
    const isPrivate = inputs.outsideIpAddressType === "PrivateIpv4";
    const outside = (n: number) =>
      isPrivate ? privateOutsideAddress(`${seed}:t${n}`) : outsideAddress(`${seed}:t${n}`);
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
}
