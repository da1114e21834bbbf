/**
 * The hybridnet CrossGuard policy pack: `pulumi preview --policy-pack policy`. One rule per file in rules/;
 * this file only assembles them. The pack serves the Analyzer gRPC service and prints its port.
 */
import { PolicyPack } from "@pulumi/policy";
import { applianceMultiAz } from "./rules/appliance-multi-az";
import { applianceSgNotOpen } from "./rules/appliance-sg-not-open";
import { asnRanges } from "./rules/asn-ranges";
import { bgpAsnsUnique } from "./rules/bgp-asns-unique";
import { cidrsNoOverlap } from "./rules/cidrs-no-overlap";
import { clientVpnConnectionLogs } from "./rules/client-vpn-connection-logs";
import { clientVpnSplitTunnel } from "./rules/client-vpn-split-tunnel";
import { customerGatewayApproved } from "./rules/customer-gateway-approved";
import { dxBgpAuthKey } from "./rules/dx-bgp-auth-key";
import { dxGatewayVifTypes } from "./rules/dx-gateway-vif-types";
import { ebsEncrypted } from "./rules/ebs-encrypted";
import { endpointServiceAccess } from "./rules/endpoint-service-access";
import { endpointSgNotOpen } from "./rules/endpoint-sg-not-open";
import { endpointsMultiAz } from "./rules/endpoints-multi-az";
import { instanceImdsv2 } from "./rules/instance-imdsv2";
import { oneVgwPerVpc } from "./rules/one-vgw-per-vpc";
import { peeringDnsResolution } from "./rules/peering-dns-resolution";
import { peeringNotTransit } from "./rules/peering-not-transit";
import { privatelinkListenerProtocols } from "./rules/privatelink-listener-protocols";
import { prodDeletionProtection } from "./rules/prod-deletion-protection";
import { tgwSegmentation } from "./rules/tgw-segmentation";
import { tunnelInsideCidrs } from "./rules/tunnel-inside-cidrs";
import { vpcCidrInSupernets } from "./rules/vpc-cidr-in-supernets";
import { vpnBandwidth } from "./rules/vpn-bandwidth";
import { vpnIkev2Only } from "./rules/vpn-ikev2-only";
import { vpnPagingAlarm } from "./rules/vpn-paging-alarm";
import { vpnPskSecret } from "./rules/vpn-psk-secret";
import { vpnStrongCrypto } from "./rules/vpn-strong-crypto";
import { vpnTunnelLogging } from "./rules/vpn-tunnel-logging";

new PolicyPack("hybridnet", {
  description:
    "AWS hybrid connectivity: the constraints AWS enforces late or silently, and the network team's security rules.",
  policies: [
    // AWS constraints
    cidrsNoOverlap,
    bgpAsnsUnique,
    oneVgwPerVpc,
    dxGatewayVifTypes,
    asnRanges,
    tunnelInsideCidrs,
    privatelinkListenerProtocols,
    endpointsMultiAz,
    vpnBandwidth,
    peeringNotTransit,
    // Security
    vpnIkev2Only,
    vpnStrongCrypto,
    vpnPskSecret,
    vpnTunnelLogging,
    endpointServiceAccess,
    endpointSgNotOpen,
    dxBgpAuthKey,
    tgwSegmentation,
    peeringDnsResolution,
    clientVpnConnectionLogs,
    clientVpnSplitTunnel,
    prodDeletionProtection,
    vpnPagingAlarm,
    customerGatewayApproved,
    vpcCidrInSupernets,
    // Software VPN appliances and the instances they run on
    instanceImdsv2,
    ebsEncrypted,
    applianceSgNotOpen,
    applianceMultiAz,
  ],
});
