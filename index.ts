/** hybridnet: Pulumi components for AWS hybrid network connectivity. */
export * from "./components";
export { SessionTimeoutHours, TransportProtocol, VpnPort } from "./model/clientVpn";
export {
  DxAssociationType,
  DxVpnTransportType,
  type ResiliencyAssessment,
  ResiliencyLevel,
  ResiliencySla,
  VifAddressFamily,
  VifType,
} from "./model/directConnect";
export { type Problem, ValidationError } from "./model/errors";
export { GatewayService } from "./model/gatewayEndpoints";
export { HealthCheckProtocol, ListenerProtocol, TargetType } from "./model/privateLink";
export { PortProtocol } from "./model/securityGroups";
export type { SegmentSpec } from "./model/transitGateway";
export {
  DpdTimeoutAction,
  EncryptionAlgorithm,
  IkeVersion,
  IntegrityAlgorithm,
  StartupAction,
  type TunnelOptions,
} from "./model/tunnelOptions";
export {
  DefaultRouteTableSetting,
  type EcmpPlan,
  type PlannedConnection,
  type PlannedSite,
  type PlannedTunnel,
  TunnelBandwidth,
  TunnelInsideIpVersion,
  type VpnPlan,
  VpnRouting,
} from "./model/vpn";
