/**
 * What connects to what, stack by stack, in a planned environment (`hybridnet plan`'s connections view and its
 * `--json` `stacks[].connections`): sites → VPN / Direct Connect → transit gateway segment, VPC attachments and
 * segment reachability, PrivateLink from consumer to targets, gateway endpoints, peerings, the routes added to
 * VPC route tables, the VPCs' laid-out subnets, Client VPN and the protected anchors. Elements are shown in the
 * stack that registers them; what they lead to is looked up across the whole environment (an endpoint's service
 * in another stack, an attachment's association made by the hub). Pure: no Pulumi import.
 */
import { networkFromPlan, planOf } from "../reachability/fromPlan";
import type { Network } from "../reachability/network";
import type { PlannedResourceInput } from "../reachability/planInput";
import type { SiteDeclaration } from "../reachability/sites";
import { Lookup, uniqueSorted } from "./lookup";
import {
  attachments,
  directConnectGateways,
  segments,
  siteConnections,
  transitGatewayPeerings,
  virtualInterfaces,
  vpcPeerings,
} from "./routing";
import {
  clientVpns,
  endpointServices,
  gatewayEndpoints,
  interfaceEndpoints,
  routeTables,
  vpcs,
} from "./services";
import type { StackConnections } from "./types";

export type * from "./types";

/** One stack of a planned environment as the connections view reads it: its last pass and its outputs. */
export interface ConnectionsStackInput {
  name: string;
  resources: readonly (PlannedResourceInput & { protect?: boolean })[];
  /** Stack outputs: the `subnets` output places an awsx VPC's subnets and route tables. */
  outputs: Record<string, unknown>;
}

/** `aws:ec2/vpnConnection:VpnConnection` → `VpnConnection`. */
function shortType(type: string): string {
  return type.split(":").pop() ?? type;
}

/**
 * The connections of every stack of a planned environment, by stack name. `sites` (./reachability/sites
 * `siteDeclarations`) gives the sites' prefixes, which are config, not resources; without it a site shows the
 * static routes toward it. `network`: the network model of these stacks and sites, when already built.
 */
export function connectionsOfPlan(
  stacks: readonly ConnectionsStackInput[],
  sites: readonly SiteDeclaration[] = [],
  network: Network = networkFromPlan(stacks, sites),
): Map<string, StackConnections> {
  const look = new Lookup(planOf(stacks, network), network);
  const result = new Map<string, StackConnections>();
  for (const stack of stacks) {
    const name = stack.name;
    result.set(name, {
      sites: siteConnections(look, name),
      directConnectGateways: directConnectGateways(look, name),
      virtualInterfaces: virtualInterfaces(look, name),
      segments: segments(look, name),
      attachments: attachments(look, name),
      transitGatewayPeerings: transitGatewayPeerings(look, name),
      vpcPeerings: vpcPeerings(look, name),
      endpointServices: endpointServices(look, name),
      interfaceEndpoints: interfaceEndpoints(look, name),
      gatewayEndpoints: gatewayEndpoints(look, name),
      vpcs: vpcs(look, name),
      routeTables: routeTables(look, name),
      clientVpns: clientVpns(look, name),
      protected: uniqueSorted(
        stack.resources.filter((r) => r.protect === true).map((r) => `${shortType(r.type)} ${r.name}`),
      ),
    });
  }
  return result;
}
