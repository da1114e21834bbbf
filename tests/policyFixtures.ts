/** Resources the policy pack tests build again and again: a VPC, two data centers, two zones, an endpoint. */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { PrivateLinkEndpoint } from "../components/PrivateLinkEndpoint";
import type { VpnSite } from "../components/vpnSites";

export const VPC = "vpc-0a0a0a0a0a0a0a0a0";
export const DC1: VpnSite = { ipAddress: "203.0.113.10", bgpAsn: 65010, prefixes: ["192.168.0.0/16"] };
export const DC2: VpnSite = {
  ipAddress: "198.51.100.20",
  routing: "static",
  prefixes: ["172.16.0.0/16"],
};
export const SUBNETS = [
  { availabilityZone: "us-east-1a", subnetId: "subnet-0aaaaaaaaaaaaaaaa", cidr: "10.0.1.0/24" },
  { availabilityZone: "us-east-1b", subnetId: "subnet-0bbbbbbbbbbbbbbbb", cidr: "10.0.2.0/24" },
];

/** An interface endpoint in two zones, open to 10.0.0.0/16 on 443. */
export const paymentsEndpoint = () =>
  new PrivateLinkEndpoint("payments", {
    vpcId: VPC,
    serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
    subnets: SUBNETS,
    ports: [443],
    allowedCidrs: ["10.0.0.0/16"],
  });

/** A VPN connection registered without a component (nothing fills in secure settings), and its gateway. */
export function rawVpn(
  name: string,
  gateway: { vpnGatewayId?: pulumi.Input<string>; transitGatewayId?: pulumi.Input<string> },
  site: { ipAddress: string; bgpAsn: string },
  extra: Partial<aws.ec2.VpnConnectionArgs> = {},
): aws.ec2.VpnConnection {
  const cgw = new aws.ec2.CustomerGateway(`${name}-cgw`, { type: "ipsec.1", ...site });
  return new aws.ec2.VpnConnection(`${name}-vpn`, {
    type: "ipsec.1",
    customerGatewayId: cgw.id,
    ...gateway,
    ...extra,
  });
}
