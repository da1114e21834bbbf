import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import type { ManagedVpnArgs } from "../components/ManagedVpn";
import * as api from "../index";
import type { TunnelOptions } from "../model/tunnelOptions";

/**
 * The string and number enums of the public arguments, written as `as const` objects so the SDK's schema
 * analyzer turns them into schema enums. Each one's values, written out here from the AWS documentation (or,
 * where the value is hybridnet's own word for an AWS choice, from the argument's documentation).
 */
const EXPECTED: Record<string, readonly (string | number)[]> = {
  // Site-to-Site VPN tunnel options (ModifyVpnTunnelOptions).
  IkeVersion: ["ikev1", "ikev2"],
  EncryptionAlgorithm: ["AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16"],
  IntegrityAlgorithm: ["SHA1", "SHA2-256", "SHA2-384", "SHA2-512"],
  DpdTimeoutAction: ["clear", "none", "restart"],
  StartupAction: ["add", "start"],
  // Site-to-Site VPN connection options: TunnelInsideIpVersion, TunnelBandwidth; routing: BGP or static routes.
  TunnelInsideIpVersion: ["ipv4", "ipv6"],
  TunnelBandwidth: ["standard", "large"],
  VpnRouting: ["bgp", "static"],
  // Transit gateway DefaultRouteTableAssociation / DefaultRouteTablePropagation.
  DefaultRouteTableSetting: ["enable", "disable"],
  // Client VPN endpoint: TransportProtocol, VpnPort, SessionTimeoutHours.
  TransportProtocol: ["udp", "tcp"],
  VpnPort: [443, 1194],
  SessionTimeoutHours: [8, 10, 12, 24],
  // Direct Connect: virtual interface types, BGP address family; gateway association to a VGW or a TGW;
  // a VPN over Direct Connect as a private IP VPN (transit VIF) or to the public endpoints (public VIF).
  VifType: ["private", "transit", "public"],
  VifAddressFamily: ["ipv4", "ipv6"],
  DxAssociationType: ["vgw", "tgw"],
  DxVpnTransportType: ["private", "public"],
  // Direct Connect Resiliency Toolkit: Maximum Resiliency (99.99% SLA), High Resiliency (99.9% SLA),
  // Development and Test (no SLA); "none" is hybridnet's word for a layout reaching none of them.
  ResiliencyLevel: ["maximum", "high", "development-and-test", "none"],
  ResiliencySla: ["99.99%", "99.9%"],
  // VPC gateway endpoints: Amazon S3 and DynamoDB only.
  GatewayService: ["s3", "dynamodb"],
  // Network Load Balancer (CreateListener, CreateTargetGroup) as PrivateLink carries it.
  ListenerProtocol: ["TCP", "TLS", "UDP", "TCP_UDP"],
  TargetType: ["ip", "instance", "alb"],
  HealthCheckProtocol: ["TCP", "HTTP", "HTTPS"],
  // EC2 security group rule IpProtocol.
  PortProtocol: ["tcp", "udp", "icmp", "icmpv6", "-1"],
};

/** Every `export type X = (typeof X)[keyof typeof X]` in model/, with the module it is declared in. */
function declaredEnums(): { name: string; file: string }[] {
  const dir = join(__dirname, "..", "model");
  const found: { name: string; file: string }[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(join(dir, file), "utf8");
    for (const m of text.matchAll(/export type (\w+) =\s*\(typeof (\w+)\)\[keyof typeof (\w+)\]/g))
      if (m[1] === m[2] && m[2] === m[3]) found.push({ name: m[1], file });
  }
  return found;
}

describe("enums of the public arguments", () => {
  const enums = declaredEnums();

  it("finds the enums declared in model/, exactly the ones this test knows", () => {
    expect(enums.length).to.be.greaterThan(0);
    expect(enums.map((e) => e.name).sort()).to.deep.equal(Object.keys(EXPECTED).sort());
  });

  it("holds exactly AWS's documented values, each once, and the package root exports it", () => {
    expect(enums.length).to.be.greaterThan(0);
    for (const { name, file } of enums) {
      const module = require(join(__dirname, "..", "model", file)) as Record<string, unknown>;
      const value = module[name] as Record<string, string | number>;
      expect(value, `${name} in model/${file}`).to.be.an("object");
      expect(Object.values(value), name).to.deep.equal(EXPECTED[name]);
      expect((api as Record<string, unknown>)[name], `${name} exported from the package root`).to.equal(
        value,
      );
    }
  });

  it("lets TypeScript callers write either the enum member or the string literal", () => {
    const options: TunnelOptions[] = [
      { dpdTimeoutAction: api.DpdTimeoutAction.Restart, ikeVersions: [api.IkeVersion.Ikev2] },
      { dpdTimeoutAction: "restart", ikeVersions: ["ikev2"], startupAction: "start" },
    ];
    const site: ManagedVpnArgs["sites"][string] = {
      ipAddress: "203.0.113.10",
      routing: "static",
      prefixes: ["10.10.0.0/16"],
      tunnels: [{ insideCidr: "169.254.10.0/30" }],
    };
    const ingress: NonNullable<ManagedVpnArgs["securityGroupIngress"]>["ports"] = [
      { protocol: "tcp", fromPort: 443 },
      { protocol: api.PortProtocol.All },
    ];
    expect(options[0]).to.deep.equal({ dpdTimeoutAction: "restart", ikeVersions: ["ikev2"] });
    expect(site.routing).to.equal(api.VpnRouting.Static);
    expect(ingress.map((r) => r.protocol)).to.deep.equal(["tcp", "-1"]);
  });
});
