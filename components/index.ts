export type { AccountAccess } from "./accountAccess";
export * from "./ClientVpn";
export * from "./DirectConnectGateway";
export * from "./DirectConnectVpn";
export * from "./GatewayEndpoints";
export * from "./ManagedVpn";
export * from "./PrivateLinkEndpoint";
export * from "./PrivateLinkService";
export * from "./protection";
export * from "./SoftwareRemoteAccessVpn";
export * from "./SoftwareVpnAppliance";
export * from "./SoftwareVpnPeering";
export * from "./SoftwareVpnToManagedVpn";
export * from "./TransitGatewayAssociation";
export * from "./TransitGatewayHub";
export * from "./TransitGatewayPeering";
export * from "./TransitGatewayVpn";
export * from "./TransitVpc";
export * from "./VirtualInterfaces";
export * from "./VpcAttachment";
export * from "./VpcPeering";
export * from "./VpnCloudHub";
export type {
  OnPremIngress,
  OnPremIngressArgs,
  TunnelAlarm,
  TunnelAlarmArgs,
  TunnelLog,
  TunnelLogArgs,
  VgwVpnArgs,
  VpnConnectionInfo,
  VpnSite,
  VpnSiteArgs,
  VpnTunnel,
  VpnTunnelArgs,
  VpnTunnelInfo,
} from "./vpnSites";
