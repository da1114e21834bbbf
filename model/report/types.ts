/**
 * The report's model (issue 18): what `hybridnet plan --out DIR` draws in `topology.svg` and `report.html`.
 * A plan (the shape of `hybridnet plan --json`, read structurally so that `model/` needs nothing from `cli/`)
 * becomes a topology: accounts (stacks) holding their VPCs, gateways, endpoints and services; on-premises
 * sites beside them; links between them; and every intent of the plan as a path over those elements. Every
 * list is sorted, so the same plan gives the same topology and the same picture. No Pulumi import.
 */
import type { StackConnections } from "../connections/types";
import type { PlanCost } from "../cost/types";
import type { FlowVerdict } from "../reachability/intents";
import type { PlannedResourceInput } from "../reachability/planInput";

/** A planned resource as the plan JSON holds it: the reachability model's planned resource. */
export type ReportResource = PlannedResourceInput;

/** A policy finding as the plan JSON holds it. */
export interface Finding {
  policy: string;
  level: string;
  message: string;
  urn?: string;
}

/** One stack of the plan. */
export interface ReportStack {
  name: string;
  resources: ReportResource[];
  diagnostics: Finding[];
  connections?: StackConnections;
}

/** The plan the report draws: `PlanResult` of cli/plan.ts fits it. */
export interface ReportPlan {
  env: string;
  stacks: ReportStack[];
  flows: FlowVerdict[];
  cost?: PlanCost;
  summary: {
    resources: number;
    mandatory: number;
    advisory: number;
    flows: { checked: number; failed: number };
  };
}

export type ElementKind =
  | "account"
  | "site"
  | "dxConnection"
  | "vpc"
  | "transitGateway"
  | "vpnGateway"
  | "directConnectGateway"
  | "virtualInterface"
  | "endpointService"
  | "interfaceEndpoint"
  | "gatewayEndpoint"
  | "clientVpn"
  | "softwareVpnAppliance";

/** A box of the diagram: an account, or a node inside one, or a site outside every account. */
export interface TopologyElement {
  /** Stable id, unique in the topology (`vpc:workload-app-dev:vpc-…`). */
  id: string;
  kind: ElementKind;
  /** The account (stack) box it sits in; none for sites and Direct Connect connections. */
  account?: string;
  /** The first line, bold. */
  title: string;
  /** The lines under it: CIDRs, ASNs, segments, tunnels. */
  lines: string[];
  /** The planned resources it stands for. */
  urns: string[];
  /** Policy findings on those resources (on an account: findings with no resource). */
  findings: Finding[];
}

export type LinkKind =
  | "vpn"
  | "directConnect"
  | "attachment"
  | "tgwPeering"
  | "vpcPeering"
  | "privateLink"
  | "clientVpn"
  | "gatewayEndpoint"
  | "dxAssociation"
  | "vgwAttachment"
  | "applianceRoutes";

/** A line between two elements. */
export interface TopologyLink {
  id: string;
  kind: LinkKind;
  from: string;
  to: string;
  /** What the line is, for the details panel (`VPN dc: 1 connection, 2 tunnels, BGP`). */
  label: string;
  urns: string[];
  findings: Finding[];
}

/** One intent drawn as a path over elements. */
export interface FlowPath {
  /** Index into the plan's `flows`. */
  index: number;
  name: string;
  text: string;
  verdict: "pass" | "fail";
  expect: "allow" | "deny";
  /** Element ids in the order the flow crosses them (each once in a row). */
  elements: string[];
  /** The element where a failed flow stops. */
  blockedAt?: string;
  /** Where and why it stops, in words. */
  blocked?: string;
}

export interface Topology {
  env: string;
  /** Account boxes (stacks), sorted: stacks with gateways or sites first, then by name. */
  accounts: TopologyElement[];
  /** Every other element, sorted by id. */
  elements: TopologyElement[];
  links: TopologyLink[];
  flows: FlowPath[];
}
