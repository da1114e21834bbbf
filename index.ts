/** hybridnet: Pulumi components for AWS hybrid network connectivity. */
export * from "./components";
export type { ResiliencyAssessment, VifType } from "./model/directConnect";
export { type Problem, ValidationError } from "./model/errors";
export type { GatewayService } from "./model/gatewayEndpoints";
export type { SegmentSpec } from "./model/transitGateway";
export type { TunnelOptions } from "./model/tunnelOptions";
export type { EcmpPlan, PlannedConnection, PlannedSite, PlannedTunnel, VpnPlan } from "./model/vpn";
