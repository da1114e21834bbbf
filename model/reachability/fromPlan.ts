/**
 * The network model of a planned environment: every stack's registered resources (their last pass) read into
 * the records of ./network, plus what a plan does not show as resources — the awsx VPCs' subnets and route
 * tables (from each stack's `subnets` output) and the on-premises sites (from the config, ./sites).
 *
 * Resources refer to each other by id, as in AWS (a route names its route table's id, an association its
 * attachment's id), so records are joined by id across stacks: an attachment made in a workload stack is
 * associated in the hub's route table by the same id. A resource type the model does not know is skipped, and
 * so is a resource whose inputs lack what its record needs: the model never throws on a plan.
 *
 * This file reads the routing layer (VPCs, subnets, route tables, transit gateways, virtual private gateways,
 * Direct Connect, sites, peering); ./fromPlanAppliances the software VPN appliances and their remote sites;
 * ./fromPlanServices what filters and serves (security groups, PrivateLink, Client VPN). Pure: no Pulumi
 * import; model/ does not import cli/.
 */

import { readAppliances } from "./fromPlanAppliances";
import { readClientVpn, readPrivateLink, readSecurityGroups } from "./fromPlanServices";
import {
  type DirectConnectGateway,
  emptyNetwork,
  type Network,
  type Origin,
  type Site,
  type SiteLink,
  type TransitGatewayAttachment,
  type TransitGatewayRouteTable,
  type VpcRouteTable,
  type VpcRouteTarget,
} from "./network";
import {
  COMPONENT_TAG,
  cidrText,
  cidrTexts,
  type Entry,
  Plan,
  type PlannedStackInput,
  type Props,
  record,
  records,
  regionOfArn,
  SEGMENT_TAG,
  sortByKey,
  str,
  strs,
  T,
} from "./planInput";
import type { SiteDeclaration } from "./sites";

export type { PlannedResourceInput, PlannedStackInput } from "./planInput";

/** The indexed plan each network was read from, and the list of stacks it indexes ({@link planOf}). */
const readFrom = new WeakMap<Network, { stacks: readonly PlannedStackInput[]; plan: Plan }>();

/**
 * The stacks indexed by type: the index `network` was read from when it was read from this very list of stacks
 * (the connections view reads the same plan after the network model), else a new one.
 */
export function planOf(stacks: readonly PlannedStackInput[], network?: Network): Plan {
  const known = network ? readFrom.get(network) : undefined;
  return known && known.stacks === stacks ? known.plan : new Plan(stacks);
}

/**
 * The network of a planned environment: its stacks (each with the resources of its last pass and its
 * outputs) and the on-premises sites their config declares (./sites `siteDeclarations`).
 */
export function networkFromPlan(
  stacks: readonly PlannedStackInput[],
  sites: readonly SiteDeclaration[],
): Network {
  const plan = new Plan(stacks);
  const network = emptyNetwork();
  readFrom.set(network, { stacks, plan });
  readVpcs(plan, network);
  readVpcRouting(plan, network);
  readTransitGateways(plan, network);
  readVpnGateways(plan, network);
  readDirectConnect(plan, network);
  readSites(plan, network, sites);
  readPeerings(plan, network);
  readAppliances(plan, network, sites);
  readSecurityGroups(plan, network);
  readPrivateLink(plan, network);
  readClientVpn(plan, network);
  return network;
}

// ---------------------------------------------------------------------------------------------------
// VPCs and subnets

/** A subnet as the stacks publish it in their `subnets` output (stacks/common.ts). */
interface PublishedSubnet {
  id: string;
  cidr: string;
  routeTableId: string;
  tier: string;
  zone: string;
}

/** The subnets a stack publishes: `subnets.<tier>.<zone> = { id, cidr, routeTableId }`. */
function publishedSubnets(outputs: Props): PublishedSubnet[] {
  const found: PublishedSubnet[] = [];
  for (const [tier, zones] of Object.entries(record(outputs.subnets)))
    for (const [zone, value] of Object.entries(record(zones))) {
      const s = record(value);
      const id = str(s.id);
      const cidr = cidrText(s.cidr);
      if (id && cidr) found.push({ id, cidr, routeTableId: str(s.routeTableId) ?? "", tier, zone });
    }
  return found;
}

/** awsx subnet types by the output listing their ids. */
const AWSX_SUBNET_IDS: Record<string, string> = {
  Private: "privateSubnetIds",
  Public: "publicSubnetIds",
  Isolated: "isolatedSubnetIds",
};

/**
 * The subnets of an awsx VPC from its own outputs, when its stack publishes none: awsx creates them zone by
 * zone, each zone's specs in order, and lists each type's ids in that order. Their route tables are unknown.
 */
function awsxSubnets(e: Entry): PublishedSubnet[] {
  const zones = strs(Plan.value(e, "availabilityZoneNames"));
  const specs = records(e.inputs.subnetSpecs);
  const next: Record<string, number> = {};
  const found: PublishedSubnet[] = [];
  zones.forEach((zone, i) => {
    for (const spec of specs) {
      const type = str(spec.type) ?? "";
      const cidr = cidrText(strs(spec.cidrBlocks)[i]);
      const output = AWSX_SUBNET_IDS[type];
      if (!cidr || !output) continue;
      const at = next[output] ?? 0;
      next[output] = at + 1;
      const id = strs(e.outputs[output])[at];
      if (id) found.push({ id, cidr, routeTableId: "", tier: str(spec.name) ?? type.toLowerCase(), zone });
    }
  });
  return found;
}

/**
 * Where each VPC is: the account and region in the ARN of a resource created in it (security groups first:
 * they are always the VPC owner's). An awsx VPC reports neither itself.
 */
function vpcPlacements(plan: Plan): Map<string, { account: string; region: string }> {
  const placements = new Map<string, { account: string; region: string }>();
  for (const e of plan.of(T.securityGroup, T.tgwVpcAttachment, T.targetGroup, T.vpnGateway, T.vpcEndpoint)) {
    const vpcId = str(Plan.value(e, "vpcId"));
    const arn = str(e.outputs.arn)?.split(":");
    if (vpcId && !placements.has(vpcId) && arn && arn.length > 4 && arn[3] && arn[4])
      placements.set(vpcId, { account: arn[4], region: arn[3] });
  }
  return placements;
}

/** VPCs, their subnets and route tables (their routes come after, in readVpcRouting). */
function readVpcs(plan: Plan, network: Network): void {
  const placements = vpcPlacements(plan);
  readAwsxVpcs(plan, network, placements);
  readEc2Vpcs(plan, network, placements);
}

type Placements = ReadonlyMap<string, { account: string; region: string }>;

/** awsx VPCs: one resource each, their subnets and route tables from the stack's `subnets` output. */
function readAwsxVpcs(plan: Plan, network: Network, placements: Placements): void {
  const stacks = new Map(plan.stacks.map((s) => [s.name, s]));
  for (const e of plan.of(T.awsxVpc)) {
    const vpcId = str(e.outputs.vpcId);
    const cidr = cidrText(e.inputs.cidrBlock);
    if (!vpcId || !cidr) continue;
    e.id = vpcId;
    network.vpcs.push({ id: vpcId, cidrs: [cidr], ...placements.get(vpcId), origin: e.origin });
    const ids = new Set(Object.values(AWSX_SUBNET_IDS).flatMap((k) => strs(e.outputs[k])));
    const published = publishedSubnets(stacks.get(e.stack)?.outputs ?? {}).filter((s) => ids.has(s.id));
    for (const s of published.length > 0 ? published : awsxSubnets(e)) {
      // awsx's subnets and route tables are not resources of the plan: they have no URN.
      const origin: Origin = { stack: e.stack, name: `${e.r.name}-${s.tier}-${s.zone}` };
      network.subnets.push({
        id: s.id,
        vpcId,
        cidr: s.cidr,
        zone: s.zone,
        routeTableId: s.routeTableId,
        tier: s.tier,
        origin,
      });
      if (s.routeTableId)
        network.routeTables.push({
          id: s.routeTableId,
          vpcId,
          routes: [],
          propagatingVpnGateways: [],
          origin,
        });
    }
  }
}

/** EC2 VPCs, subnets and route tables registered one by one (a program without awsx). */
function readEc2Vpcs(plan: Plan, network: Network, placements: Placements): void {
  const mainOf = new Map<string, string>();
  for (const e of plan.of(T.vpc)) {
    const cidr = cidrText(e.inputs.cidrBlock);
    if (!e.id || !cidr) continue;
    const extra = plan
      .of(T.vpcCidrAssociation)
      .filter((a) => a.inputs.vpcId === e.id)
      .flatMap((a) => cidrTexts([a.inputs.cidrBlock]));
    // A VPC registered itself reports its account and Region in its ARN.
    const own = str(e.outputs.arn)?.split(":");
    const placed =
      placements.get(e.id) ?? (own?.[3] && own[4] ? { account: own[4], region: own[3] } : undefined);
    network.vpcs.push({ id: e.id, cidrs: [cidr, ...extra], ...placed, origin: e.origin });
    // The main route table routes every subnet that has no table of its own.
    const main = str(e.outputs.mainRouteTableId) ?? str(e.outputs.defaultRouteTableId);
    if (!main) continue;
    mainOf.set(e.id, main);
    network.routeTables.push({
      id: main,
      vpcId: e.id,
      routes: [],
      propagatingVpnGateways: [],
      origin: { ...e.origin, name: `${e.r.name} (main route table)` },
    });
  }
  const associated = new Map(
    plan.of(T.routeTableAssociation).flatMap((a) => {
      const subnet = str(a.inputs.subnetId);
      const table = str(a.inputs.routeTableId);
      return subnet && table ? [[subnet, table] as const] : [];
    }),
  );
  for (const e of plan.of(T.subnet)) {
    const vpcId = str(e.inputs.vpcId);
    const cidr = cidrText(e.inputs.cidrBlock);
    if (!e.id || !vpcId || !cidr) continue;
    network.subnets.push({
      id: e.id,
      vpcId,
      cidr,
      zone: str(Plan.value(e, "availabilityZone")) ?? str(Plan.value(e, "availabilityZoneId")) ?? "",
      routeTableId: associated.get(e.id) ?? mainOf.get(vpcId) ?? "",
      origin: e.origin,
    });
  }
  for (const e of plan.of(T.routeTable)) {
    const vpcId = str(e.inputs.vpcId);
    if (!e.id || !vpcId) continue;
    const table: VpcRouteTable = {
      id: e.id,
      vpcId,
      routes: [],
      propagatingVpnGateways: strs(e.inputs.propagatingVgws),
      origin: e.origin,
    };
    // Routes written inline on the table.
    for (const route of records(e.inputs.routes)) {
      const destination = cidrText(route.cidrBlock) ?? str(route.destinationPrefixListId);
      if (destination) table.routes.push({ destination, target: routeTarget(route), origin: e.origin });
    }
    network.routeTables.push(table);
  }
}

// ---------------------------------------------------------------------------------------------------
// VPC routes

/** Where an EC2 route sends a packet, from the target field it sets. */
function routeTarget(route: Props): VpcRouteTarget {
  const tgw = str(route.transitGatewayId);
  if (tgw) return { kind: "transitGateway", id: tgw };
  const peering = str(route.vpcPeeringConnectionId);
  if (peering) return { kind: "peering", id: peering };
  const gateway = str(route.gatewayId);
  if (gateway === "local") return { kind: "local" };
  if (gateway?.startsWith("vgw-")) return { kind: "vpnGateway", id: gateway };
  const other =
    gateway ??
    str(route.natGatewayId) ??
    str(route.networkInterfaceId) ??
    str(route.vpcEndpointId) ??
    str(route.egressOnlyGatewayId) ??
    str(route.localGatewayId) ??
    str(route.carrierGatewayId) ??
    str(route.coreNetworkArn) ??
    str(route.instanceId);
  // EC2 takes no route without a target; one whose target is gone is a blackhole, which is what this is.
  return other ? { kind: "other", id: other } : { kind: "blackhole" };
}

/** Routes, virtual private gateway propagation and gateway endpoint routes into the VPC route tables. */
function readVpcRouting(plan: Plan, network: Network): void {
  const tables = new Map(network.routeTables.map((t) => [t.id, t]));
  for (const e of plan.of(T.route)) {
    const table = tables.get(str(e.inputs.routeTableId) ?? "");
    const destination = cidrText(e.inputs.destinationCidrBlock) ?? str(e.inputs.destinationPrefixListId);
    if (table && destination)
      table.routes.push({ destination, target: routeTarget(e.inputs), origin: e.origin });
  }
  for (const e of plan.of(T.vgwRoutePropagation)) {
    const table = tables.get(str(e.inputs.routeTableId) ?? "");
    const vgw = str(e.inputs.vpnGatewayId);
    if (table && vgw && !table.propagatingVpnGateways.includes(vgw)) table.propagatingVpnGateways.push(vgw);
  }
  // A gateway endpoint (S3, DynamoDB) adds a route to its service's prefix list in each of its route tables.
  const gatewayEndpoints = plan.of(T.vpcEndpoint).filter((e) => e.inputs.vpcEndpointType === "Gateway");
  const endpointTables = new Map(gatewayEndpoints.map((e) => [e.id, strs(e.inputs.routeTableIds)]));
  for (const a of plan.of(T.endpointRouteTableAssociation)) {
    const endpoint = str(a.inputs.vpcEndpointId);
    const table = str(a.inputs.routeTableId);
    if (endpoint && table) endpointTables.get(endpoint)?.push(table);
  }
  for (const e of gatewayEndpoints) {
    const prefixList = str(e.outputs.prefixListId);
    const vpcId = str(e.inputs.vpcId);
    const serviceName = str(e.inputs.serviceName);
    if (!e.id || !prefixList) continue;
    if (vpcId && serviceName)
      network.gatewayEndpoints.push({
        id: e.id,
        vpcId,
        serviceName,
        prefixListId: prefixList,
        origin: e.origin,
      });
    for (const id of new Set(endpointTables.get(e.id)))
      tables.get(id)?.routes.push({
        destination: prefixList,
        target: { kind: "gatewayEndpoint", id: e.id },
        origin: e.origin,
      });
  }
}

// ---------------------------------------------------------------------------------------------------
// Transit gateways

/** Transit gateways, their route tables (the default one too), attachments, associations and propagations. */
function readTransitGateways(plan: Plan, network: Network): void {
  const defaults = new Map<string, { association?: string; propagation?: string }>();
  for (const e of plan.of(T.transitGateway)) {
    if (!e.id) continue;
    const region = regionOfArn(e);
    network.transitGateways.push({ id: e.id, ...(region ? { region } : {}), origin: e.origin });
    // With default association or propagation on, the gateway has a default route table of its own.
    const association = str(e.outputs.associationDefaultRouteTableId);
    const propagation = str(e.outputs.propagationDefaultRouteTableId);
    defaults.set(e.id, { ...(association ? { association } : {}), ...(propagation ? { propagation } : {}) });
    for (const id of new Set([association, propagation]))
      if (id)
        network.transitGatewayRouteTables.push(
          tgwTable(id, e.id, undefined, { ...e.origin, name: `${e.r.name} (default route table)` }),
        );
  }
  for (const e of plan.of(T.tgwRouteTable)) {
    const tgw = str(e.inputs.transitGatewayId);
    if (e.id && tgw)
      network.transitGatewayRouteTables.push(tgwTable(e.id, tgw, Plan.tags(e)[SEGMENT_TAG], e.origin));
  }
  readTgwAttachments(plan, network);
  const tables = new Map(network.transitGatewayRouteTables.map((t) => [t.id, t]));
  const attachments = new Map(network.transitGatewayAttachments.map((a) => [a.id, a]));
  // A peering attachment has one id on both sides; the model gives the accepter side its own (see below).
  const sideOf = (attachmentId: string, table: TransitGatewayRouteTable) => {
    const accepterSide = peeringSideId(attachmentId, table.transitGatewayId);
    return attachments.has(accepterSide) ? accepterSide : attachmentId;
  };
  for (const e of plan.of(T.tgwAssociation, T.tgwPropagation)) {
    const table = tables.get(str(e.inputs.transitGatewayRouteTableId) ?? "");
    const attachment = str(e.inputs.transitGatewayAttachmentId);
    if (!table || !attachment) continue;
    const list = e.r.type === T.tgwAssociation ? table.associations : table.propagations;
    const id = sideOf(attachment, table);
    if (!list.includes(id)) list.push(id);
  }
  for (const e of plan.of(T.tgwRoute)) {
    const table = tables.get(str(e.inputs.transitGatewayRouteTableId) ?? "");
    const destination = cidrText(e.inputs.destinationCidrBlock);
    if (!table || !destination) continue;
    const attachment = str(e.inputs.transitGatewayAttachmentId);
    // A route names an attachment or is a blackhole (AWS takes one or the other).
    table.routes.push(
      e.inputs.blackhole === true || !attachment
        ? { destination, blackhole: true, origin: e.origin }
        : { destination, attachmentId: sideOf(attachment, table), origin: e.origin },
    );
  }
  applyDefaultTables(plan, network, defaults, tables);
}

function tgwTable(
  id: string,
  transitGatewayId: string,
  segment: string | undefined,
  origin: Origin,
): TransitGatewayRouteTable {
  return {
    id,
    transitGatewayId,
    ...(segment ? { segment } : {}),
    associations: [],
    propagations: [],
    routes: [],
    origin,
  };
}

/**
 * The id the model gives the accepter side of a transit gateway peering. AWS gives a peering attachment one
 * id, seen from both gateways; the model keeps one record per side, each naming the other as its peer, so the
 * accepter gateway's tables refer to `<attachment id>@<accepter gateway id>`.
 */
export function peeringSideId(attachmentId: string, transitGatewayId: string): string {
  return `${attachmentId}@${transitGatewayId}`;
}

/**
 * Attachments by kind: VPC, VPN (a connection on a transit gateway), Direct Connect gateway (an association
 * with a transit gateway), peering (one record per side once accepted). An accepter is the attachment it
 * accepts, not another.
 */
function readTgwAttachments(plan: Plan, network: Network): void {
  const seen = new Set<string>();
  const add = (a: TransitGatewayAttachment) => {
    if (seen.has(a.id)) return;
    seen.add(a.id);
    network.transitGatewayAttachments.push(a);
  };
  for (const e of plan.of(T.tgwVpcAttachment)) {
    const tgw = str(e.inputs.transitGatewayId);
    const vpcId = str(e.inputs.vpcId);
    if (e.id && tgw && vpcId)
      add({
        id: e.id,
        transitGatewayId: tgw,
        kind: "vpc",
        vpcId,
        subnetIds: strs(e.inputs.subnetIds),
        origin: e.origin,
      });
  }
  for (const e of plan.of(T.vpnConnection)) {
    const id = str(e.outputs.transitGatewayAttachmentId);
    const tgw = str(e.inputs.transitGatewayId);
    // The site is filled in by readSites, from the connection's tags and the declared sites.
    if (id && tgw) add({ id, transitGatewayId: tgw, kind: "vpn", vpnConnectionId: e.id, origin: e.origin });
  }
  for (const e of plan.of(T.dxAssociation)) {
    const id = str(e.outputs.transitGatewayAttachmentId);
    const tgw = str(Plan.value(e, "associatedGatewayId"));
    const dxgw = str(e.inputs.dxGatewayId);
    if (id && tgw && dxgw)
      add({
        id,
        transitGatewayId: tgw,
        kind: "directConnectGateway",
        directConnectGatewayId: dxgw,
        origin: e.origin,
      });
  }
  const accepters = new Map(
    plan.of(T.tgwPeeringAttachmentAccepter).map((e) => [str(e.inputs.transitGatewayAttachmentId) ?? "", e]),
  );
  for (const e of plan.of(T.tgwPeeringAttachment)) {
    const tgw = str(e.inputs.transitGatewayId);
    const peerTgw = str(e.inputs.peerTransitGatewayId);
    if (!e.id || !tgw || !peerTgw) continue;
    const accepter = accepters.get(e.id);
    const accepterSide = peeringSideId(e.id, peerTgw);
    add({
      id: e.id,
      transitGatewayId: tgw,
      kind: "peering",
      peerTransitGatewayId: peerTgw,
      // Until the peer accepts, the requester side leads nowhere.
      ...(accepter ? { peerAttachmentId: accepterSide } : {}),
      origin: e.origin,
    });
    if (accepter)
      add({
        id: accepterSide,
        transitGatewayId: peerTgw,
        kind: "peering",
        peerTransitGatewayId: tgw,
        peerAttachmentId: e.id,
        origin: accepter.origin,
      });
  }
}

/**
 * Attachments that take the gateway's default route table: a VPC attachment unless it (or its accepter) opts
 * out, every VPN and Direct Connect gateway attachment. Attachments placed explicitly keep their association.
 */
function applyDefaultTables(
  plan: Plan,
  network: Network,
  defaults: ReadonlyMap<string, { association?: string; propagation?: string }>,
  tables: ReadonlyMap<string, TransitGatewayRouteTable>,
): void {
  const optOut = new Map<string, { association: boolean; propagation: boolean }>();
  for (const e of plan.of(T.tgwVpcAttachment, T.tgwVpcAttachmentAccepter)) {
    const id = e.r.type === T.tgwVpcAttachment ? e.id : str(e.inputs.transitGatewayAttachmentId);
    if (!id) continue;
    const known = optOut.get(id) ?? { association: false, propagation: false };
    optOut.set(id, {
      association: known.association || e.inputs.transitGatewayDefaultRouteTableAssociation === false,
      propagation: known.propagation || e.inputs.transitGatewayDefaultRouteTablePropagation === false,
    });
  }
  const associated = new Set(network.transitGatewayRouteTables.flatMap((t) => t.associations));
  for (const a of network.transitGatewayAttachments) {
    if (a.kind === "peering") continue;
    const gateway = defaults.get(a.transitGatewayId);
    const out = optOut.get(a.id);
    const association = gateway?.association ? tables.get(gateway.association) : undefined;
    if (association && !out?.association && !associated.has(a.id)) association.associations.push(a.id);
    const propagation = gateway?.propagation ? tables.get(gateway.propagation) : undefined;
    if (propagation && !out?.propagation && !propagation.propagations.includes(a.id))
      propagation.propagations.push(a.id);
  }
}

// ---------------------------------------------------------------------------------------------------
// Virtual private gateways and Direct Connect

function readVpnGateways(plan: Plan, network: Network): void {
  const attachedTo = new Map(
    plan.of(T.vpnGatewayAttachment).flatMap((e) => {
      const vgw = str(e.inputs.vpnGatewayId);
      const vpc = str(e.inputs.vpcId);
      return vgw && vpc ? [[vgw, vpc] as const] : [];
    }),
  );
  for (const e of plan.of(T.vpnGateway)) {
    if (!e.id) continue;
    const vpcId = str(e.inputs.vpcId) ?? attachedTo.get(e.id);
    network.vpnGateways.push({ id: e.id, ...(vpcId ? { vpcId } : {}), origin: e.origin });
  }
}

function readDirectConnect(plan: Plan, network: Network): void {
  const gateways = new Map<string, DirectConnectGateway>();
  for (const e of plan.of(T.dxGateway)) {
    if (!e.id) continue;
    const gateway: DirectConnectGateway = { id: e.id, associations: [], origin: e.origin };
    gateways.set(e.id, gateway);
    network.directConnectGateways.push(gateway);
  }
  const vpcOfVgw = new Map(network.vpnGateways.map((g) => [g.id, g.vpcId]));
  const cidrsOfVpc = new Map(network.vpcs.map((v) => [v.id, v.cidrs]));
  for (const e of plan.of(T.dxAssociation)) {
    const gateway = gateways.get(str(e.inputs.dxGatewayId) ?? "");
    const associated = str(Plan.value(e, "associatedGatewayId"));
    if (!gateway || !associated) continue;
    const given = cidrTexts(e.inputs.allowedPrefixes);
    // Without allowed prefixes, AWS advertises a virtual private gateway's VPC CIDRs.
    const allowedPrefixes =
      given.length > 0 ? given : (cidrsOfVpc.get(vpcOfVgw.get(associated) ?? "") ?? []).slice();
    const attachment = str(e.outputs.transitGatewayAttachmentId);
    gateway.associations.push({
      gatewayId: associated,
      allowedPrefixes,
      ...(attachment ? { transitGatewayAttachmentId: attachment } : {}),
      origin: e.origin,
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// On-premises sites

/**
 * The declared site a resource of `component` leads to, from its Name tag `<component>-<site>` or
 * `<component>-<site>-<n>` (ECMP connections): the longest declared key that fits, since keys may hold dashes.
 */
function declaredSite(
  name: string | undefined,
  component: string,
  declared: readonly SiteDeclaration[],
): SiteDeclaration | undefined {
  if (!name?.startsWith(`${component}-`)) return undefined;
  const rest = name.slice(component.length + 1);
  const fits = (site: string) =>
    rest === site || (rest.startsWith(`${site}-`) && /^\d+$/.test(rest.slice(site.length + 1)));
  let best: SiteDeclaration | undefined;
  for (const d of declared) if (fits(d.site) && d.site.length > (best?.site.length ?? -1)) best = d;
  return best;
}

/**
 * Sites: one record per declared site name, with a link per VPN connection that leads to it (found by its
 * tags, or its customer gateway's) and per Direct Connect gateway it announces its prefixes to.
 */
function readSites(plan: Plan, network: Network, declarations: readonly SiteDeclaration[]): void {
  const sites = new Map<string, Site>();
  const siteNamed = (name: string): Site => {
    let site = sites.get(name);
    if (!site) {
      site = { name, prefixes: [], links: [], origin: { stack: "on-premises", name } };
      sites.set(name, site);
    }
    return site;
  };
  for (const d of declarations) {
    const site = siteNamed(d.site);
    for (const p of cidrTexts(d.prefixes)) if (!site.prefixes.includes(p)) site.prefixes.push(p);
  }
  const customerGateways = new Map(plan.of(T.customerGateway).map((e) => [e.id, e]));
  const staticRoutes = new Map<string, string[]>();
  for (const e of plan.of(T.vpnConnectionRoute)) {
    const vpn = str(e.inputs.vpnConnectionId);
    const destination = cidrText(e.inputs.destinationCidrBlock);
    if (vpn && destination) staticRoutes.set(vpn, [...(staticRoutes.get(vpn) ?? []), destination]);
  }
  const attachments = new Map(network.transitGatewayAttachments.map((a) => [a.id, a]));
  for (const e of plan.of(T.vpnConnection)) {
    if (!e.id) continue;
    const declared = declarations.filter((d) => d.stack === e.stack && d.over === "vpn");
    const site = siteOfConnection(e, customerGateways.get(str(e.inputs.customerGatewayId) ?? ""), declared);
    if (!site) continue;
    const attachmentId = str(e.outputs.transitGatewayAttachmentId);
    const vpnGatewayId = str(e.inputs.vpnGatewayId);
    const routing = e.inputs.staticRoutesOnly === true ? "static" : "bgp";
    const link: SiteLink = {
      id: e.id,
      kind: "vpn",
      ...(attachmentId ? { transitGatewayAttachmentId: attachmentId } : {}),
      ...(vpnGatewayId ? { vpnGatewayId } : {}),
      routing,
      ...(routing === "static" && vpnGatewayId ? { staticRoutes: staticRoutes.get(e.id) ?? [] } : {}),
      origin: e.origin,
    };
    siteNamed(site).links.push(link);
    const attachment = attachmentId ? attachments.get(attachmentId) : undefined;
    if (attachment) attachment.site = site;
  }
  readDirectConnectSites(plan, declarations, siteNamed);
  network.sites.push(...sortByKey([...sites.values()], (s) => s.name));
}

/** Virtual interfaces that end on a Direct Connect gateway, created or accepted (hosted), by gateway id. */
function virtualInterfacesByGateway(plan: Plan): Map<string, Entry[]> {
  const byGateway = new Map<string, Entry[]>();
  for (const e of plan.of(
    T.privateVif,
    T.transitVif,
    T.hostedPrivateVifAccepter,
    T.hostedTransitVifAcceptor,
  )) {
    const gateway = str(e.inputs.dxGatewayId);
    if (!gateway) continue;
    byGateway.set(gateway, [...(byGateway.get(gateway) ?? []), e]);
  }
  return byGateway;
}

/**
 * Direct Connect-only sites: a link per virtual interface on the declared component's Direct Connect gateway
 * (the VIFs named for the site when some are, else every VIF of the gateway: the plan does not say which router
 * is whose); a site whose gateway has no VIF gets one link without, which carries nothing.
 */
function readDirectConnectSites(
  plan: Plan,
  declarations: readonly SiteDeclaration[],
  siteNamed: (name: string) => Site,
): void {
  const vifs = virtualInterfacesByGateway(plan);
  for (const d of declarations.filter((x) => x.over === "directConnect"))
    for (const g of plan.of(T.dxGateway)) {
      if (g.stack !== d.stack || !g.id) continue;
      if ((g.origin.component ?? Plan.tags(g)[COMPONENT_TAG] ?? g.r.name) !== d.component) continue;
      const onGateway = vifs.get(g.id) ?? [];
      const named = onGateway.filter((v) => v.r.name.includes(`-${d.site}-`));
      const links = named.length > 0 ? named : onGateway;
      const site = siteNamed(d.site);
      for (const v of links)
        site.links.push({
          id: `${g.id}/${d.site}/${str(v.inputs.virtualInterfaceId) ?? v.id}`,
          kind: "directConnect",
          directConnectGatewayId: g.id,
          virtualInterfaceId: str(v.inputs.virtualInterfaceId) ?? v.id,
          routing: "bgp",
          origin: v.origin,
        });
      if (links.length === 0)
        site.links.push({
          id: `${g.id}/${d.site}`,
          kind: "directConnect",
          directConnectGatewayId: g.id,
          routing: "bgp",
          origin: g.origin,
        });
    }
}

/**
 * The site a VPN connection leads to: from its tags (`Name`, `hybridnet:component`), or else its customer
 * gateway's, matched against the sites declared for that component; without a declaration, the site named
 * in the tag (it then has no known prefixes).
 */
function siteOfConnection(
  vpn: Entry,
  customerGateway: Entry | undefined,
  declared: readonly SiteDeclaration[],
): string | undefined {
  for (const e of [vpn, customerGateway]) {
    if (!e) continue;
    const tags = Plan.tags(e);
    const component = tags[COMPONENT_TAG] ?? e.origin.component;
    if (!component) continue;
    const forComponent = declared.filter((d) => d.component === component);
    const site = declaredSite(tags.Name, component, forComponent);
    if (site) return site.site;
  }
  const tags = Plan.tags(vpn);
  const component = tags[COMPONENT_TAG] ?? vpn.origin.component;
  if (component && tags.Name?.startsWith(`${component}-`))
    return tags.Name.slice(component.length + 1).replace(/-\d+$/, "");
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// VPC peering

function readPeerings(plan: Plan, network: Network): void {
  const accepted = new Set(
    plan
      .of(T.peeringAccepter)
      .filter((e) => e.outputs.acceptStatus === undefined || e.outputs.acceptStatus === "active")
      .map((e) => str(e.inputs.vpcPeeringConnectionId)),
  );
  for (const e of plan.of(T.peeringConnection)) {
    const requester = str(e.inputs.vpcId);
    const accepter = str(e.inputs.peerVpcId);
    if (!e.id || !requester || !accepter) continue;
    network.peerings.push({
      id: e.id,
      requesterVpcId: requester,
      accepterVpcId: accepter,
      active: e.outputs.acceptStatus === "active" || e.inputs.autoAccept === true || accepted.has(e.id),
      origin: e.origin,
    });
  }
}
