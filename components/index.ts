export * from "./ManagedVpn";
export * from "./TransitGatewayVpn";
export * from "./VpnCloudHub";
export type {
  OnPremIngressArgs,
  TunnelAlarmArgs,
  TunnelLogArgs,
  VpnConnectionInfo,
  VpnSiteArgs,
  VpnTunnelArgs,
  VpnTunnelInfo,
} from "./vpnSites";
