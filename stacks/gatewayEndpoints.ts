/**
 * `hybridnet:gatewayEndpoints` of a stack: the GatewayEndpoints component's arguments from the config and the
 * stack's laid-out VPC, its checks run before anything registers (problems at the config paths), and the
 * component itself. The endpoint policy is restricted to the stack's own account unless the config names an
 * organization, accounts or a whole policy: AWS's default policy lets any credentials used in the VPC reach
 * any bucket or table.
 */
import type * as pulumi from "@pulumi/pulumi";
import { GatewayEndpoints, type GatewayEndpointsArgs } from "../components/GatewayEndpoints";
import { componentWhere, Problems } from "../model/errors";
import { planGatewayEndpoints } from "../model/gatewayEndpoints";
import {
  CONFIG_NAMESPACE,
  type GatewayEndpointsConfig,
  gatewayEndpointRouteTables,
} from "../model/stackConfig";
import { preflight } from "./common";

/** Where the endpoints go: the stack's account and Region, its VPC and the VPC's private route tables by key. */
export interface GatewayEndpointsPlace {
  accountId: string;
  region: string;
  vpcId: pulumi.Input<string>;
  zones: readonly string[];
  /** Route table ids keyed `private-<zone id>`. */
  privateRouteTables: Record<string, pulumi.Input<string>>;
  tags: Record<string, string>;
}

/** The component's arguments for `config` at `place`. */
export function gatewayEndpointsArgs(
  config: GatewayEndpointsConfig,
  place: GatewayEndpointsPlace,
): GatewayEndpointsArgs {
  const keys = gatewayEndpointRouteTables(config, place.zones);
  const given = config.policy ?? config.allowedPrincipalOrgId ?? config.allowedAccountIds;
  return {
    vpcId: place.vpcId,
    region: place.region,
    services: config.services,
    routeTableIds: Object.fromEntries(keys.map((key) => [key, place.privateRouteTables[key]])),
    ...(config.policy !== undefined ? { policy: config.policy } : {}),
    ...(config.allowedPrincipalOrgId !== undefined
      ? { allowedPrincipalOrgId: config.allowedPrincipalOrgId }
      : {}),
    // Secure by default: nothing given, only the stack's own account's principals use the endpoints.
    ...(config.allowedAccountIds !== undefined || given === undefined
      ? { allowedAccountIds: config.allowedAccountIds ?? [place.accountId] }
      : {}),
    tags: place.tags,
  };
}

/** The config path of a GatewayEndpoints argument path (`routeTableIds.private-use1-az1` → `routeTables`). */
function configPathOf(path: string): string {
  const configured = path.startsWith("routeTableIds") ? "routeTables" : path;
  return `${CONFIG_NAMESPACE}:gatewayEndpoints.${configured}`;
}

/** Runs the component's checks on `args` (ids not known yet may be stand-ins) into `problems`. */
export function preflightGatewayEndpoints(
  problems: Problems,
  name: string,
  args: GatewayEndpointsArgs,
): void {
  preflight(problems, configPathOf, () =>
    planGatewayEndpoints(componentWhere("GatewayEndpoints", name), args),
  );
}

/**
 * Checks `config` (when the stack has one) at `place`, whose ids may be stand-ins, and throws one ValidationError
 * naming `stack` with every problem: the check before anything registers.
 */
export function checkStackGatewayEndpoints(
  stack: string,
  name: string,
  config: GatewayEndpointsConfig | undefined,
  place: GatewayEndpointsPlace,
): void {
  if (!config) return;
  const problems = new Problems();
  preflightGatewayEndpoints(problems, name, gatewayEndpointsArgs(config, place));
  problems.throwIfAny(stack);
}

/** The stack's gateway endpoints, and the outputs it publishes for them. */
export function addGatewayEndpoints(
  name: string,
  args: GatewayEndpointsArgs,
  opts: pulumi.ComponentResourceOptions,
): { gatewayEndpointIds: pulumi.Output<Record<string, string>> } {
  const endpoints = new GatewayEndpoints(name, args, opts);
  return { gatewayEndpointIds: endpoints.endpointIds };
}
