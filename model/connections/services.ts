/**
 * The serving half of a stack's connections: PrivateLink (consumer endpoint → endpoint service → listeners →
 * target groups → targets), gateway endpoints, the VPCs the stack lays out with their subnets, the routes it
 * adds to VPC route tables, Client VPN. Pure: no Pulumi import.
 */
import type { EndpointService, VpcRouteTarget } from "../reachability/network";
import { Plan, str, strs, T } from "../reachability/planInput";
import { componentName, type Lookup, sorted, uniqueSorted } from "./lookup";
import type {
  ClientVpnView,
  EndpointServiceView,
  GatewayEndpointView,
  InterfaceEndpointView,
  ListenerChain,
  RouteTableView,
  VpcView,
} from "./types";

/** The listeners of a service's load balancers and where each forwards, down to the targets and their ports. */
function listenerChains(look: Lookup, service: EndpointService): ListenerChain[] {
  const chains: ListenerChain[] = [];
  for (const lb of look.network.loadBalancers.filter((l) => service.loadBalancerArns.includes(l.arn)))
    for (const listener of lb.listeners) {
      const group = look.targetGroup(listener.targetGroupArn);
      const groupEntry = look.byId.get(listener.targetGroupArn);
      chains.push({
        protocol: listener.protocol,
        port: listener.port,
        targetGroup: groupEntry ? groupEntry.r.name : listener.targetGroupArn,
        targetProtocol: group?.protocol ?? "",
        ...(group ? { targetPort: group.port } : {}),
        targets: sorted(
          (group?.targets ?? []).map((t) => ({
            target: t.address.replace(/\/32$/, ""),
            ...(t.port !== undefined ? { port: t.port } : {}),
          })),
          (t) => `${t.target}:${t.port ?? ""}`,
        ),
      });
    }
  return sorted(chains, (c) => `${c.protocol} ${String(c.port).padStart(5, "0")}`);
}

function serviceName(look: Lookup, service: EndpointService): string {
  const e = look.byId.get(service.id);
  return e ? componentName(e) : service.origin.name;
}

/** The endpoint services the stack offers, each with its listener chains and its consumers in the plan. */
export function endpointServices(look: Lookup, stack: string): EndpointServiceView[] {
  const views = look.inStack(look.network.endpointServices, stack).map((s) => {
    const e = look.byId.get(s.id);
    const consumers = look.network.interfaceEndpoints
      .filter((i) => i.serviceName === s.serviceName)
      .map((i) => ({
        name: i.origin.component ?? i.origin.name,
        stack: i.origin.stack,
        id: i.id,
        vpcId: i.vpcId,
        vpcName: look.vpcName(i.vpcId),
        accepted: !s.acceptanceRequired || s.acceptedEndpointIds.includes(i.id),
      }));
    return {
      name: serviceName(look, s),
      id: s.id,
      serviceName: s.serviceName,
      acceptanceRequired: s.acceptanceRequired,
      allowedPrincipals: uniqueSorted(e ? strs(e.inputs.allowedPrincipals) : []),
      listeners: listenerChains(look, s),
      consumers: sorted(consumers, (c) => `${c.stack} ${c.name}`),
    };
  });
  return sorted(views, (s) => s.name);
}

/** The interface endpoints the stack creates, each with the service behind it when the plan offers it. */
export function interfaceEndpoints(look: Lookup, stack: string): InterfaceEndpointView[] {
  const views = look.inStack(look.network.interfaceEndpoints, stack).map((i) => {
    const s = look.network.endpointServices.find((x) => x.serviceName === i.serviceName);
    return {
      name: i.origin.component ?? i.origin.name,
      id: i.id,
      vpcId: i.vpcId,
      vpcName: look.vpcName(i.vpcId),
      serviceName: i.serviceName,
      ...(s
        ? {
            service: {
              name: serviceName(look, s),
              stack: s.origin.stack,
              acceptanceRequired: s.acceptanceRequired,
              accepted: !s.acceptanceRequired || s.acceptedEndpointIds.includes(i.id),
              listeners: listenerChains(look, s),
            },
          }
        : {}),
    };
  });
  return sorted(views, (i) => i.name);
}

/** Gateway endpoints (S3, DynamoDB) of the stack and the route tables they add a prefix-list route to. */
export function gatewayEndpoints(look: Lookup, stack: string): GatewayEndpointView[] {
  const associations = look.plan.of(T.endpointRouteTableAssociation);
  const views = look
    .entriesIn(T.vpcEndpoint, stack)
    .filter((e) => e.id && e.inputs.vpcEndpointType === "Gateway")
    .map((e) => {
      const prefixListId = str(e.outputs.prefixListId);
      return {
        name: e.r.name,
        id: e.id,
        serviceName: str(e.inputs.serviceName) ?? "",
        vpcId: str(e.inputs.vpcId) ?? "",
        ...(prefixListId ? { prefixListId } : {}),
        routeTableIds: uniqueSorted([
          ...strs(e.inputs.routeTableIds),
          ...associations
            .filter((a) => a.inputs.vpcEndpointId === e.id)
            .flatMap((a) => strs([a.inputs.routeTableId])),
        ]),
      };
    });
  return sorted(views, (g) => g.name);
}

/** The VPCs the stack creates, with their subnets (an awsx VPC's from its planned layout). */
export function vpcs(look: Lookup, stack: string): VpcView[] {
  const views = look.inStack(look.network.vpcs, stack).map((v) => ({
    name: v.origin.name,
    id: v.id,
    cidrs: [...v.cidrs],
    subnets: sorted(
      look.network.subnets
        .filter((s) => s.vpcId === v.id)
        .map((s) => ({
          tier: s.tier ?? "subnet",
          zone: s.zone,
          cidr: s.cidr,
          id: s.id,
          ...(s.routeTableId ? { routeTableId: s.routeTableId } : {}),
        })),
      (s) => `${s.tier} ${s.zone}`,
    ),
  }));
  return sorted(views, (v) => v.name);
}

/** Where a VPC route sends, in words: `tgw hub-tgw (tgw-…)`, `peering app-payments (pcx-…)`. */
function targetText(look: Lookup, target: VpcRouteTarget): string {
  if (target.kind === "local" || target.kind === "blackhole") return target.kind;
  const e = look.byId.get(target.id);
  const named = (kind: string) => (e ? `${kind} ${e.r.name} (${target.id})` : `${kind} ${target.id}`);
  switch (target.kind) {
    case "transitGateway":
      return named("tgw");
    case "vpnGateway":
      return named("vgw");
    case "peering":
      return named("peering");
    case "gatewayEndpoint":
      return named("endpoint");
    default: {
      // A software VPN appliance instance's network interface (or the instance itself).
      const instance = look.network.appliances
        .flatMap((a) => a.instances)
        .find((i) => i.networkInterfaceId === target.id || i.id === target.id);
      return instance ? `appliance ${instance.origin.name} (${target.id})` : target.id;
    }
  }
}

/** The routes and VGW propagations the stack adds to VPC route tables, table by table. */
export function routeTables(look: Lookup, stack: string): RouteTableView[] {
  const propagations = look.entriesIn(T.vgwRoutePropagation, stack);
  const views: RouteTableView[] = [];
  for (const table of look.network.routeTables) {
    const routes = look.inStack(table.routes, stack);
    const propagatesFrom = uniqueSorted(
      propagations
        .filter((p) => p.inputs.routeTableId === table.id)
        .flatMap((p) => strs([p.inputs.vpnGatewayId])),
    );
    if (routes.length === 0 && propagatesFrom.length === 0) continue;
    views.push({
      id: table.id,
      label: look.routeTableLabel(table.id),
      routes: sorted(
        routes.map((r) => ({ destination: r.destination, target: targetText(look, r.target) })),
        (r) => `${r.destination} ${r.target}`,
      ),
      propagatesFrom,
    });
  }
  return sorted(views, (t) => `${t.label} ${t.id}`);
}

/** The Client VPN endpoints of the stack: clients, associated subnets, authorizations, routes. */
export function clientVpns(look: Lookup, stack: string): ClientVpnView[] {
  const rules = look.plan.of(T.clientVpnAuthorization);
  const views = look.inStack(look.network.clientVpnEndpoints, stack).map((c) => {
    const e = look.byId.get(c.id);
    return {
      name: e ? componentName(e) : c.origin.name,
      id: c.id,
      clientCidr: c.clientCidr,
      ...(c.vpcId ? { vpcId: c.vpcId } : {}),
      associations: uniqueSorted(c.subnetIds.map((s) => look.subnetLabel(s))),
      authorizations: sorted(
        rules
          .filter((r) => r.inputs.clientVpnEndpointId === c.id)
          .map((r) => ({
            destination: str(r.inputs.targetNetworkCidr) ?? "",
            groups:
              r.inputs.authorizeAllGroups === true
                ? "all groups"
                : `group ${str(Plan.value(r, "accessGroupId")) ?? "?"}`,
          })),
        (a) => `${a.destination} ${a.groups}`,
      ),
      routes: sorted(
        c.routes.map((r) => ({ destination: r.destination, subnet: look.subnetLabel(r.subnetId) })),
        (r) => `${r.destination} ${r.subnet}`,
      ),
    };
  });
  return sorted(views, (c) => c.name);
}
