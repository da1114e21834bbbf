/**
 * The EC2 / VPC part of the mock model: Availability Zones as each account names them, awsx VPCs and their
 * subnets (and the lookups that find them again), a new VPC's defaults, VPC peering, gateway endpoints, route
 * ids, and the addresses network interfaces get in a subnet.
 */
import { addressToString, parseCidr } from "../../model/addressing";
import { zoneIdPrefix } from "../../model/zones";
import {
  awsId,
  type CallContext,
  digest,
  type IdContext,
  type MockResourceAnswer,
  type MockResourceRequest,
  type MockState,
  type ResourceContext,
  type ServiceMock,
} from "./shared";

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

/** The zone id of the zone `name` in the account and region, or undefined. */
export function zoneIdOf(account: string, region: string, name: string | undefined): string | undefined {
  return mockAvailabilityZones(account, region).find((z) => z.name === name)?.zoneId;
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
 * An awsx VPC (a remote component: one registration, no children under mocks): its VPC id and subnet ids
 * by type, one subnet per spec and zone at the spec's explicit CIDR, and the layout as awsx reports it.
 */
export function awsxVpc(request: MockResourceRequest, seed: string, state: MockState): MockResourceAnswer {
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
      state.subnets.set(`${vpcId} ${cidr}`, subnet);
      state.subnetsById.set(id, subnet);
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

/**
 * A network interface's address in a subnet: the given one, or one derived from `seed` inside the subnet's
 * CIDR, past the four addresses AWS reserves at its start and before the broadcast address it reserves at
 * its end, and not one handed out already. A subnet this run did not create (another stack's, a hand-written
 * id) has no known CIDR: a derived 10.x.y.z address stands in.
 */
export function interfaceAddress(state: MockState, subnetId: string, seed: string, given?: string): string {
  const inUse = state.addressesInUse.get(subnetId) ?? new Set<string>();
  state.addressesInUse.set(subnetId, inUse);
  const h = digest(seed);
  const subnet = state.subnetsById.get(subnetId);
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

function id({ type, inputs }: IdContext): string | undefined {
  switch (type) {
    // Peering accepters and options manage the requester's connection or attachment: their id is its id.
    case "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter":
    case "aws:ec2/peeringConnectionOptions:PeeringConnectionOptions":
      return String(inputs.vpcPeeringConnectionId);
    // EC2 route ids: r-<route table id><number derived from the destination>.
    case "aws:ec2/route:Route":
      return `r-${inputs.routeTableId}${parseInt(digest(String(inputs.destinationCidrBlock ?? inputs.destinationIpv6CidrBlock)).slice(0, 8), 16)}`;
    default:
      return undefined;
  }
}

function outputs({ type, inputs, seed }: ResourceContext): Record<string, unknown> | undefined {
  switch (type) {
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
        : undefined;
    default:
      return undefined;
  }
}

/** Subnets of an awsx VPC, looked up by VPC and CIDR (the layout is planned, so the CIDR is known). */
function getSubnet({ inputs, place, state }: CallContext): Record<string, unknown> {
  const vpcId = String(inputs.vpcId);
  const cidrBlock = String(inputs.cidrBlock);
  const known = state.subnets.get(`${vpcId} ${cidrBlock}`);
  const id = known?.id ?? subnetId(vpcId, cidrBlock);
  return {
    ...inputs,
    id,
    vpcId,
    cidrBlock,
    availabilityZone: known?.availabilityZone ?? "",
    availabilityZoneId: zoneIdOf(place.account, place.region, known?.availabilityZone) ?? "",
    arn: `arn:aws:ec2:${place.region}:${place.account}:subnet/${id}`,
    ownerId: place.account,
    tags: {},
  };
}

/** awsx gives every subnet its own route table. */
function getRouteTable({ inputs, place, state }: CallContext): Record<string, unknown> {
  const subnet = String(inputs.subnetId);
  const id = subnetRouteTableId(subnet);
  const vpcId = state.subnetsById.get(subnet)?.vpcId ?? "";
  return {
    ...inputs,
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

function call(request: CallContext): Record<string, unknown> | undefined {
  const { place } = request;
  switch (request.token) {
    case "aws:ec2/getSubnet:getSubnet":
      return getSubnet(request);
    case "aws:ec2/getRouteTable:getRouteTable":
      return getRouteTable(request);
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
      return undefined;
  }
}

/** EC2 and VPC: VPCs, subnet lookups, zones, peering, gateway endpoints, routes. */
export const ec2Vpc: ServiceMock = { id, outputs, call };
