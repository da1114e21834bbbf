/** hybridnet: Pulumi components for AWS hybrid network connectivity. */

// The root of @pulumi/aws registers the `aws` provider package with the Pulumi runtime: a provider passed to a
// component through Construct (from another language, `pulumi package add`) becomes an `aws.Provider` only
// then. The components import only the services they use (components/aws.ts), so the package's entry loads the
// root; a plain require() is not followed by the type checker (about 3,200 declaration files).
require("@pulumi/aws");

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
