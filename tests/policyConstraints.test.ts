/**
 * The policy pack's AWS-constraint rules, driven through the pack's Analyzer gRPC service the way the CLI
 * drives it: each rule passes what hybridnet's components register and flags what breaks the AWS rule,
 * including layouts no single component can see (two components on one VPC or one transit gateway).
 */
import * as aws from "@pulumi/aws";
import { DirectConnectGateway } from "../components/DirectConnectGateway";
import { ManagedVpn } from "../components/ManagedVpn";
import { PrivateLinkService } from "../components/PrivateLinkService";
import { TransitGatewayHub } from "../components/TransitGatewayHub";
import { TransitGatewayVpn } from "../components/TransitGatewayVpn";
import { type VirtualInterfaceConnection, VirtualInterfaces } from "../components/VirtualInterfaces";
import { VpcPeering } from "../components/VpcPeering";
import { VpnCloudHub } from "../components/VpnCloudHub";
import { DC1, DC2, paymentsEndpoint, rawVpn, SUBNETS, VPC } from "./policyFixtures";
import { analyzeProgram, expectNoViolation, expectViolation, pick, usePolicyPack } from "./policySupport";

const TGW = "tgw-0123456789abcdef0";

/** The Direct Connect connections of the prod reference environment (stacks/Pulumi.connectivity-prod.yaml). */
const DX_CONNECTIONS: Record<string, VirtualInterfaceConnection> = {
  ashburn: { connectionId: "dxcon-ffa1b2c3", location: "EqDC2", vlan: 101 },
  reston: { connectionId: "dxcon-fgd4e5f6", location: "CSVA1", vlan: 102 },
};

/**
 * The prod reference environment's Direct Connect layout (stacks/connectivity.ts): a transit gateway hub, a
 * Direct Connect gateway associated with it, and VIFs of `vifType` on `connections` attached to that gateway.
 */
function dxOnTransitGateway(
  vifType: "private" | "transit",
  connections: Record<string, VirtualInterfaceConnection> = DX_CONNECTIONS,
) {
  return () => {
    const hub = new TransitGatewayHub("hub", {
      amazonSideAsn: 64512,
      segments: { onprem: { isolated: true, reaches: ["shared"] }, shared: {} },
    });
    const dx = new DirectConnectGateway("dx", {
      amazonSideAsn: 64700,
      associations: {
        hub: {
          gatewayType: "tgw",
          gatewayId: hub.transitGatewayId,
          allowedPrefixes: ["10.255.0.0/24"],
          transitGatewayAsn: 64512,
        },
      },
    });
    new VirtualInterfaces("dx", {
      type: vifType,
      dxGatewayId: dx.dxGatewayId,
      bgpAsn: 65010,
      amazonSideAsn: 64700,
      ...(vifType === "transit" ? { mtu: 8500 } : {}),
      connections,
    });
  };
}

/** An existing transit gateway with AWS's defaults (association and propagation on), routed through on purpose. */
const DEFAULT_TABLE_ACCEPTED = {
  defaultRouteTableAssociation: "enable",
  defaultRouteTablePropagation: "enable",
  acceptDefaultRouteTable: true,
} as const;

describe("policy pack: AWS constraints", function () {
  this.timeout(60_000);
  const pack = usePolicyPack();

  describe("cidrs-no-overlap (stack)", () => {
    it("passes a VPN whose on-premises prefixes are clear of the VPC", async () => {
      const run = await analyzeProgram(
        pack(),
        () => new ManagedVpn("corp", { vpcId: VPC, sites: { dc1: DC1, dc2: DC2 } }),
        { config: { "cidrs-no-overlap": { vpcCidrs: { [VPC]: ["10.0.0.0/16"] } } } },
      );
      expectNoViolation(run, "cidrs-no-overlap");
    });

    it("flags an on-premises static prefix that overlaps the VPC behind the gateway", async () => {
      const run = await analyzeProgram(pack(), () => {
        const vpc = new aws.ec2.Vpc("hub", { cidrBlock: "10.0.0.0/16" });
        const vgw = new aws.ec2.VpnGateway("hub-vgw", { vpcId: vpc.id });
        const vpn = rawVpn("dc", { vpnGatewayId: vgw.id }, { ipAddress: "203.0.113.10", bgpAsn: "65010" });
        new aws.ec2.VpnConnectionRoute("dc-route", {
          vpnConnectionId: vpn.id,
          destinationCidrBlock: "10.0.0.0/8",
        });
      });
      expectViolation(run, "cidrs-no-overlap", {
        level: "mandatory",
        on: "dc-route",
        message:
          '10.0.0.0/8 (on-premises behind customer gateway "dc-cgw" 203.0.113.10) overlaps 10.0.0.0/16 (VPC "hub"), and the two are connected',
      });
    });

    it("flags overlapping VPCs attached to one transit gateway, and leaves them alone while they are apart", async () => {
      const vpcs = (attach: boolean) => () => {
        const a = new aws.ec2.Vpc("apps", { cidrBlock: "10.0.0.0/16" });
        const b = new aws.ec2.Vpc("data", { cidrBlock: "10.0.128.0/17" });
        if (!attach) return;
        const tgw = new aws.ec2transitgateway.TransitGateway("hub", {});
        for (const [name, vpc] of [
          ["apps", a],
          ["data", b],
        ] as const)
          new aws.ec2transitgateway.VpcAttachment(`${name}-attachment`, {
            vpcId: vpc.id,
            transitGatewayId: tgw.id,
            subnetIds: ["subnet-0aaaaaaaaaaaaaaaa"],
          });
      };
      expectNoViolation(await analyzeProgram(pack(), vpcs(false)), "cidrs-no-overlap");
      expectViolation(await analyzeProgram(pack(), vpcs(true)), "cidrs-no-overlap", {
        level: "mandatory",
        on: "data",
        message: '10.0.128.0/17 (VPC "data") overlaps 10.0.0.0/16 (VPC "apps")',
      });
    });

    it("checks BGP-announced prefixes given in config, unless the team allows the overlap", async () => {
      const program = () => new ManagedVpn("corp", { vpcId: VPC, sites: { dc1: DC1 } });
      const config = {
        vpcCidrs: { [VPC]: ["10.0.0.0/16"] },
        onPremisesPrefixes: { "203.0.113.10": ["10.0.4.0/22"] },
      };
      expectViolation(
        await analyzeProgram(pack(), program, { config: { "cidrs-no-overlap": config } }),
        "cidrs-no-overlap",
        {
          level: "mandatory",
          on: "corp-dc1-cgw",
          message:
            '10.0.4.0/22 (on-premises behind customer gateway "corp-dc1-cgw" 203.0.113.10, from policy config) overlaps 10.0.0.0/16 (VPC vpc-0a0a0a0a0a0a0a0a0, from policy config)',
        },
      );
      const allowed = { ...config, allowedOverlaps: ["10.0.0.0/16"] };
      expectNoViolation(
        await analyzeProgram(pack(), program, { config: { "cidrs-no-overlap": allowed } }),
        "cidrs-no-overlap",
      );
    });
  });

  describe("bgp-asns-unique (stack)", () => {
    it("passes a VPN CloudHub whose branches each have their own ASN", async () => {
      const run = await analyzeProgram(
        pack(),
        () =>
          new VpnCloudHub("branches", {
            vpcId: VPC,
            vpcCidrs: ["10.20.0.0/16"],
            sites: {
              paris: { ipAddress: "203.0.113.31", bgpAsn: 65101, prefixes: ["10.101.0.0/16"] },
              tokyo: { ipAddress: "203.0.113.32", bgpAsn: 65102, prefixes: ["10.102.0.0/16"] },
            },
          }),
      );
      expectNoViolation(run, "bgp-asns-unique");
    });

    it("flags two sites with one ASN on a VPN CloudHub gateway, and a site with the gateway's own ASN", async () => {
      const program = () => {
        // A CloudHub built from raw resources says so with a tag (VpnCloudHub's gateway is known by its parent).
        const vgw = new aws.ec2.VpnGateway("hub", { vpcId: VPC, tags: { "hybridnet:cloudhub": "true" } });
        rawVpn("paris", { vpnGatewayId: vgw.id }, { ipAddress: "203.0.113.31", bgpAsn: "65010" });
        rawVpn("tokyo", { vpnGatewayId: vgw.id }, { ipAddress: "203.0.113.32", bgpAsn: "65010" });
        rawVpn("lima", { vpnGatewayId: vgw.id }, { ipAddress: "203.0.113.33", bgpAsn: "64512" });
      };
      const run = await analyzeProgram(pack(), program);
      const found = expectViolation(run, "bgp-asns-unique", {
        level: "mandatory",
        count: 2,
        on: "lima-cgw",
        message:
          'customer gateway "lima-cgw" has BGP ASN 64512, the Amazon side ASN of virtual private gateway "hub": a BGP session needs two different ASNs',
      });
      pick(found, {
        on: "tokyo-cgw",
        message:
          'customer gateway "tokyo-cgw" has BGP ASN 65010, as "paris-cgw" does, and both connect to VPN CloudHub virtual private gateway "hub"',
      });
      const allowed = await analyzeProgram(pack(), program, {
        config: { "bgp-asns-unique": { allowedDuplicateAsns: [65010] } },
      });
      expectViolation(allowed, "bgp-asns-unique", { level: "mandatory", on: "lima-cgw", message: "64512" });
    });

    it("takes two customer gateways with one ASN on a plain virtual private gateway as one site's two devices", async () => {
      // Not a CloudHub: the sites need not learn each other's routes, so a shared ASN is no fault; the gateway's
      // own ASN still is.
      const run = await analyzeProgram(
        pack(),
        () =>
          new ManagedVpn("dc", {
            vpcId: VPC,
            sites: {
              "dc1-a": { ipAddress: "203.0.113.10", bgpAsn: 65010, prefixes: ["192.168.0.0/16"] },
              "dc1-b": { ipAddress: "203.0.113.11", bgpAsn: 65010, prefixes: ["192.168.0.0/16"] },
            },
          }),
      );
      expectNoViolation(run, "bgp-asns-unique");
      const raw = await analyzeProgram(pack(), () => {
        const vgw = new aws.ec2.VpnGateway("hub", { vpcId: VPC });
        rawVpn("dc1-a", { vpnGatewayId: vgw.id }, { ipAddress: "203.0.113.31", bgpAsn: "65010" });
        rawVpn("dc1-b", { vpnGatewayId: vgw.id }, { ipAddress: "203.0.113.32", bgpAsn: "65010" });
        rawVpn("lima", { vpnGatewayId: vgw.id }, { ipAddress: "203.0.113.33", bgpAsn: "64512" });
      });
      expectViolation(raw, "bgp-asns-unique", {
        level: "mandatory",
        count: 1,
        on: "lima-cgw",
        message: "64512",
      });
    });

    it("flags a shared ASN on the gateway of a VpnCloudHub built next to raw sites", async () => {
      const run = await analyzeProgram(pack(), () => {
        const hub = new VpnCloudHub("branches", {
          vpcId: VPC,
          vpcCidrs: ["10.20.0.0/16"],
          sites: { paris: { ipAddress: "203.0.113.31", bgpAsn: 65101, prefixes: ["10.101.0.0/16"] } },
        });
        rawVpn("tokyo", { vpnGatewayId: hub.vpnGatewayId }, { ipAddress: "203.0.113.32", bgpAsn: "65101" });
      });
      expectViolation(run, "bgp-asns-unique", {
        level: "mandatory",
        on: "branches-paris-cgw",
        message:
          'customer gateway "branches-paris-cgw" has BGP ASN 65101, as "tokyo-cgw" does, and both connect to VPN CloudHub virtual private gateway "branches-vgw"',
      });
    });

    it("takes one ASN on two customer gateways of a transit gateway as one site, unless told otherwise", async () => {
      const program = () => {
        const tgw = new aws.ec2transitgateway.TransitGateway("hub", {
          defaultRouteTableAssociation: "disable",
          defaultRouteTablePropagation: "disable",
        });
        rawVpn("dc1-internet", { transitGatewayId: tgw.id }, { ipAddress: "203.0.113.10", bgpAsn: "65001" });
        rawVpn("dc1-dx", { transitGatewayId: tgw.id }, { ipAddress: "10.255.0.10", bgpAsn: "65001" });
      };
      expectNoViolation(await analyzeProgram(pack(), program), "bgp-asns-unique");
      const strict = await analyzeProgram(pack(), program, {
        config: { "bgp-asns-unique": { includeTransitGateways: true } },
      });
      expectViolation(strict, "bgp-asns-unique", {
        level: "mandatory",
        on: "dc1-internet-cgw",
        message:
          'customer gateway "dc1-internet-cgw" has BGP ASN 65001, as "dc1-dx-cgw" does, and both connect to transit gateway "hub"',
      });
    });
  });

  describe("one-vgw-per-vpc (stack)", () => {
    it("passes one ManagedVpn on a VPC", async () => {
      const run = await analyzeProgram(
        pack(),
        () => new ManagedVpn("corp", { vpcId: VPC, sites: { dc1: DC1 } }),
      );
      expectNoViolation(run, "one-vgw-per-vpc");
    });

    it("flags a second component that gives the same VPC another virtual private gateway", async () => {
      const run = await analyzeProgram(pack(), () => {
        new ManagedVpn("corp", { vpcId: VPC, sites: { dc1: DC1 } });
        new ManagedVpn("branch", { vpcId: VPC, sites: { dc2: DC2 } });
      });
      expectViolation(run, "one-vgw-per-vpc", {
        level: "mandatory",
        on: "branch-vgw",
        message: `VPC ${VPC} gets virtual private gateway "branch-vgw" as well as "corp-vgw": a VPC takes one virtual private gateway`,
      });
    });
  });

  describe("dx-gateway-vif-types (stack)", () => {
    const HOSTED = { partner: { hostedVirtualInterfaceId: "dxvif-ffhhk74f", location: "EqDC2" } };

    it("passes the prod layout: transit VIFs on a Direct Connect gateway associated with a transit gateway", async () => {
      const run = await analyzeProgram(pack(), dxOnTransitGateway("transit"), { stack: "connectivity-prod" });
      expectNoViolation(run, "dx-gateway-vif-types");
    });

    it("flags private VIFs, created and hosted, on a Direct Connect gateway associated with a transit gateway", async () => {
      const run = await analyzeProgram(
        pack(),
        dxOnTransitGateway("private", { ashburn: DX_CONNECTIONS.ashburn, ...HOSTED }),
      );
      const found = expectViolation(run, "dx-gateway-vif-types", {
        level: "mandatory",
        count: 2,
        on: "dx-ashburn-vif",
        message:
          'private VIF "dx-ashburn-vif" attaches to Direct Connect gateway "dx-dxgw", which is associated with transit gateway "hub-tgw" (association "dx-hub-association"): a Direct Connect gateway with transit gateway associations takes transit VIFs only',
      });
      pick(found, {
        on: "dx-partner-accepter",
        message:
          'hosted private VIF "dx-partner-accepter" attaches to Direct Connect gateway "dx-dxgw", which is associated with transit gateway "hub-tgw"',
      });
    });

    it("flags transit VIFs on a Direct Connect gateway associated with a virtual private gateway, across accounts too", async () => {
      const run = await analyzeProgram(pack(), () => {
        const workload = new aws.Provider("workload", {
          region: "us-east-1",
          assumeRoles: [{ roleArn: "arn:aws:iam::444455556666:role/network" }],
        });
        const vgw = new aws.ec2.VpnGateway("payments-vgw", { vpcId: VPC }, { provider: workload });
        const dx = new DirectConnectGateway("dx", {
          amazonSideAsn: 64700,
          associations: {
            payments: {
              gatewayType: "vgw",
              gatewayId: vgw.id,
              allowedPrefixes: ["10.50.0.0/16"],
              ownerAccountId: "444455556666",
              region: "us-east-1",
              proposalAccess: { roleArn: "arn:aws:iam::444455556666:role/network" },
            },
          },
        });
        new VirtualInterfaces("dx", {
          type: "transit",
          dxGatewayId: dx.dxGatewayId,
          bgpAsn: 65010,
          connections: { ashburn: DX_CONNECTIONS.ashburn, ...HOSTED },
        });
      });
      const found = expectViolation(run, "dx-gateway-vif-types", {
        level: "mandatory",
        count: 2,
        on: "dx-ashburn-vif",
        message:
          'transit VIF "dx-ashburn-vif" attaches to Direct Connect gateway "dx-dxgw", which is associated with virtual private gateway "payments-vgw" (association "dx-payments-association"): a Direct Connect gateway with virtual private gateway associations takes private VIFs only',
      });
      pick(found, {
        on: "dx-partner-accepter",
        message: /^hosted transit VIF "dx-partner-accepter" attaches/,
      });
    });

    it("flags a transit VIF on another stack's Direct Connect gateway, associated by id with a virtual private gateway", async () => {
      const DXGW = "5f294f92-bafb-4011-916d-9b0bec736ebf";
      const run = await analyzeProgram(pack(), () => {
        new aws.directconnect.GatewayAssociation("legacy", {
          dxGatewayId: DXGW,
          associatedGatewayId: "vgw-0123456789abcdef0",
          allowedPrefixes: ["10.20.0.0/16"],
        });
        new VirtualInterfaces("dx", { type: "transit", dxGatewayId: DXGW, connections: HOSTED });
      });
      expectViolation(run, "dx-gateway-vif-types", {
        level: "mandatory",
        on: "dx-partner-accepter",
        message: `hosted transit VIF "dx-partner-accepter" attaches to Direct Connect gateway ${DXGW}, which is associated with virtual private gateway vgw-0123456789abcdef0 (association "legacy")`,
      });
    });

    it("flags a Direct Connect gateway associated with a virtual private gateway and a transit gateway", async () => {
      const run = await analyzeProgram(pack(), () => {
        const gateway = new aws.directconnect.Gateway("shared-dxgw", {
          name: "shared",
          amazonSideAsn: "64700",
        });
        const vgw = new aws.ec2.VpnGateway("app-vgw", { vpcId: VPC });
        const tgw = new aws.ec2transitgateway.TransitGateway("hub", {
          defaultRouteTableAssociation: "disable",
          defaultRouteTablePropagation: "disable",
        });
        new aws.directconnect.GatewayAssociation("shared-app", {
          dxGatewayId: gateway.id,
          associatedGatewayId: vgw.id,
          allowedPrefixes: ["10.20.0.0/16"],
        });
        new aws.directconnect.GatewayAssociation("shared-hub", {
          dxGatewayId: gateway.id,
          associatedGatewayId: tgw.id,
          allowedPrefixes: ["10.255.0.0/24"],
        });
        new VirtualInterfaces("dx", {
          type: "transit",
          dxGatewayId: gateway.id,
          bgpAsn: 65010,
          connections: { ashburn: DX_CONNECTIONS.ashburn },
        });
      });
      expectViolation(run, "dx-gateway-vif-types", {
        level: "mandatory",
        on: "shared-dxgw",
        message:
          'Direct Connect gateway "shared-dxgw" is associated with virtual private gateway "app-vgw" (association "shared-app") and with transit gateway "hub" (association "shared-hub"): AWS associates a Direct Connect gateway with virtual private gateways or with transit gateways, never both',
      });
    });
  });

  describe("asn-ranges", () => {
    it("passes the ASNs hybridnet's components register", async () => {
      const run = await analyzeProgram(pack(), () => {
        new ManagedVpn("corp", { vpcId: VPC, amazonSideAsn: 4200000001, sites: { dc1: DC1 } });
        new TransitGatewayVpn("dc", { sites: { dc2: { ...DC2, bgpAsn: 4200000002 } } });
      });
      expectNoViolation(run, "asn-ranges");
    });

    it("flags a public Amazon side ASN and a customer ASN AWS keeps for itself", async () => {
      const run = await analyzeProgram(pack(), () => {
        new aws.ec2.VpnGateway("hub", { vpcId: VPC, amazonSideAsn: "3356" });
        new aws.ec2.CustomerGateway("dc", { type: "ipsec.1", ipAddress: "203.0.113.10", bgpAsn: "7224" });
      });
      const found = expectViolation(run, "asn-ranges", {
        level: "mandatory",
        count: 2,
        on: "hub",
        message:
          'amazonSideAsn = "3356" of the virtual private gateway: Amazon side ASN must be a private ASN: 64512–65534 or 4200000000–4294967294',
      });
      pick(found, { on: "dc", message: /^bgpAsn = "7224": reserved by AWS/ });
    });
  });

  describe("tunnel-inside-cidrs (stack)", () => {
    it("passes the inside CIDRs a transit gateway VPN allocates across its ECMP connections", async () => {
      const run = await analyzeProgram(
        pack(),
        () => new TransitGatewayVpn("dc", { sites: { dc1: { ...DC1, bandwidthGbps: 4 } } }),
      );
      expectNoViolation(run, "tunnel-inside-cidrs");
    });

    it("passes one IPv4 inside CIDR on two connections of one transit gateway (unique per virtual private gateway only)", async () => {
      const run = await analyzeProgram(pack(), () => {
        new TransitGatewayVpn("east", {
          transitGatewayId: TGW,
          existingTransitGateway: DEFAULT_TABLE_ACCEPTED,
          sites: { dc1: { ...DC1, tunnels: [{ insideCidr: "169.254.10.0/30" }] } },
        });
        new TransitGatewayVpn("west", {
          transitGatewayId: TGW,
          existingTransitGateway: DEFAULT_TABLE_ACCEPTED,
          sites: {
            dc2: { ...DC1, ipAddress: "198.51.100.20", tunnels: [{ insideCidr: "169.254.10.0/30" }] },
          },
        });
      });
      expectNoViolation(run, "tunnel-inside-cidrs");
    });

    it("flags one IPv6 inside CIDR on two connections of one transit gateway (unique per transit gateway)", async () => {
      const run = await analyzeProgram(pack(), () => {
        for (const [name, address] of [
          ["east", "203.0.113.10"],
          ["west", "198.51.100.20"],
        ])
          rawVpn(
            name,
            { transitGatewayId: TGW },
            { ipAddress: address, bgpAsn: "65010" },
            { tunnelInsideIpVersion: "ipv6", tunnel1InsideIpv6Cidr: "fd00::10/126" },
          );
      });
      expectViolation(run, "tunnel-inside-cidrs", {
        level: "mandatory",
        on: "west-vpn",
        message: `tunnel1InsideIpv6Cidr of "west-vpn" is fd00::10/126, which overlaps tunnel1InsideIpv6Cidr of "east-vpn" (fd00::10/126) on ${TGW}: IPv6 inside CIDRs must be unique on a transit gateway`,
      });
    });

    it("flags the same inside CIDR on two connections of one virtual private gateway, and an AWS-reserved one", async () => {
      const run = await analyzeProgram(pack(), () => {
        const vgw = new aws.ec2.VpnGateway("vgw", { vpcId: VPC });
        rawVpn(
          "east",
          { vpnGatewayId: vgw.id },
          { ipAddress: "203.0.113.10", bgpAsn: "65010" },
          { tunnel1InsideCidr: "169.254.10.0/30" },
        );
        rawVpn(
          "west",
          { vpnGatewayId: vgw.id },
          { ipAddress: "198.51.100.20", bgpAsn: "65010" },
          { tunnel1InsideCidr: "169.254.10.0/30" },
        );
        rawVpn(
          "raw",
          { transitGatewayId: TGW },
          { ipAddress: "203.0.113.99", bgpAsn: "65099" },
          {
            tunnel1InsideCidr: "169.254.169.252/30",
          },
        );
      });
      const found = expectViolation(run, "tunnel-inside-cidrs", {
        level: "mandatory",
        count: 2,
        on: "raw-vpn",
        message: 'tunnel1InsideCidr = "169.254.169.252/30": reserved by AWS',
      });
      pick(found, {
        on: "west-vpn",
        message:
          'tunnel1InsideCidr of "west-vpn" is 169.254.10.0/30, which overlaps tunnel1InsideCidr of "east-vpn" (169.254.10.0/30) on virtual private gateway "vgw": inside CIDRs must be unique on a virtual private gateway',
      });
    });
  });

  describe("privatelink-listener-protocols (stack)", () => {
    it("passes the TLS listener of a PrivateLinkService", async () => {
      const run = await analyzeProgram(
        pack(),
        () =>
          new PrivateLinkService("pay", {
            vpcId: VPC,
            subnets: SUBNETS,
            targetGroups: { app: { port: 8443 } },
            listeners: { tls: { port: 443, targetGroup: "app" } },
            consumerCidrs: ["10.50.0.0/16"],
            targetCidrs: ["10.0.10.0/24"],
            allowedPrincipals: ["222233334444"],
          }),
      );
      expectNoViolation(run, "privatelink-listener-protocols");
    });

    it("passes UDP and TCP_UDP listeners behind an endpoint service (PrivateLink carries UDP), flags QUIC there only", async () => {
      const run = await analyzeProgram(pack(), () => {
        const forward = (name: string, lb: aws.lb.LoadBalancer, protocol: string, port: number) =>
          new aws.lb.Listener(name, {
            loadBalancerArn: lb.arn,
            port,
            protocol,
            defaultActions: [{ type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:tg" }],
          });
        const subnets = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"];
        const shared = new aws.lb.LoadBalancer("shared", {
          loadBalancerType: "network",
          internal: true,
          subnets,
        });
        new aws.ec2.VpcEndpointService("dns", {
          acceptanceRequired: true,
          networkLoadBalancerArns: [shared.arn],
          allowedPrincipals: ["arn:aws:iam::222233334444:root"],
        });
        forward("shared-dns", shared, "UDP", 53);
        forward("shared-dns-both", shared, "TCP_UDP", 54);
        forward("shared-quic", shared, "QUIC", 443);
        forward(
          "local-quic",
          new aws.lb.LoadBalancer("local", { loadBalancerType: "network", subnets }),
          "QUIC",
          443,
        );
      });
      expectViolation(run, "privatelink-listener-protocols", {
        level: "mandatory",
        on: "shared-quic",
        message:
          'protocol = "QUIC" on a load balancer behind an endpoint service: PrivateLink carries only TCP, TLS, UDP and TCP_UDP',
      });
    });
  });

  describe("endpoints-multi-az", () => {
    const endpoint = paymentsEndpoint;

    it("passes an interface endpoint in two zones", async () => {
      expectNoViolation(await analyzeProgram(pack(), endpoint), "endpoints-multi-az");
    });

    it("flags an interface endpoint and a Network Load Balancer in one zone", async () => {
      const run = await analyzeProgram(pack(), () => {
        new aws.ec2.VpcEndpoint("single", {
          vpcId: VPC,
          vpcEndpointType: "Interface",
          serviceName: "com.amazonaws.us-east-1.ssm",
          subnetIds: ["subnet-0aaaaaaaaaaaaaaaa"],
        });
        new aws.lb.LoadBalancer("single-nlb", {
          loadBalancerType: "network",
          subnets: ["subnet-0aaaaaaaaaaaaaaaa"],
        });
      });
      const found = expectViolation(run, "endpoints-multi-az", {
        level: "mandatory",
        count: 2,
        on: "single",
        message: 'the interface endpoint is in 1 subnet ["subnet-0aaaaaaaaaaaaaaaa"], so 1 Availability Zone',
      });
      pick(found, { on: "single-nlb", message: /^the Network Load Balancer is in 1 subnet/ });
    });

    it("holds a team's higher minimum from config", async () => {
      const run = await analyzeProgram(pack(), endpoint, {
        config: { "endpoints-multi-az": { minZones: 3 } },
      });
      expectViolation(run, "endpoints-multi-az", {
        level: "mandatory",
        on: "payments-endpoint",
        message: "place it in at least 3 zones",
      });
    });
  });

  describe("vpn-bandwidth (stack)", () => {
    it("passes a site on a transit gateway sized for its bandwidth with ECMP", async () => {
      const run = await analyzeProgram(
        pack(),
        () => new TransitGatewayVpn("dc", { sites: { dc1: { ...DC1, bandwidthGbps: 3 } } }),
        { config: { "vpn-bandwidth": { requiredGbps: { "203.0.113.10": 3 } } } },
      );
      expectNoViolation(run, "vpn-bandwidth");
    });

    it("flags more than one tunnel's bandwidth on a virtual private gateway", async () => {
      const run = await analyzeProgram(
        pack(),
        () => new ManagedVpn("corp", { vpcId: VPC, sites: { dc1: DC1 } }),
        {
          config: { "vpn-bandwidth": { requiredGbps: { "corp-dc1-cgw": 2 } } },
        },
      );
      expectViolation(run, "vpn-bandwidth", {
        level: "mandatory",
        on: "corp-dc1-cgw",
        message:
          'customer gateway "corp-dc1-cgw" needs 2 Gbps, but its VPN connections carry 1.25 Gbps: a virtual private gateway has no ECMP, so one tunnel carries the traffic; 2 VPN connection(s) with BGP on a transit gateway with VPN ECMP carry it',
      });
    });

    it("flags a transit gateway site declared above what its connections carry", async () => {
      const run = await analyzeProgram(pack(), () => new TransitGatewayVpn("dc", { sites: { dc1: DC1 } }), {
        config: { "vpn-bandwidth": { requiredGbps: { "203.0.113.10": 4 } } },
      });
      expectViolation(run, "vpn-bandwidth", {
        level: "mandatory",
        message: "carry 2.5 Gbps: 1 connection(s) × 2 tunnels with BGP ECMP on a transit gateway",
      });
    });
  });

  describe("peering-not-transit (stack)", () => {
    const peered = (extraRoutes: (id: VpcPeering["peeringConnectionId"]) => void) => () => {
      const a = new aws.ec2.Vpc("apps", { cidrBlock: "10.0.0.0/16" });
      const b = new aws.ec2.Vpc("data", { cidrBlock: "10.1.0.0/16" });
      new aws.ec2.Vpc("tools", { cidrBlock: "10.2.0.0/16" });
      const peering = new VpcPeering("ab", {
        requester: { vpcId: a.id, cidrs: ["10.0.0.0/16"], routeTables: { main: "rtb-0a000000000000001" } },
        accepter: { vpcId: b.id, cidrs: ["10.1.0.0/16"], routeTables: { main: "rtb-0b000000000000001" } },
      });
      extraRoutes(peering.peeringConnectionId);
    };

    it("passes the routes VpcPeering adds toward the peer VPC", async () => {
      expectNoViolation(
        await analyzeProgram(
          pack(),
          peered(() => {}),
        ),
        "peering-not-transit",
      );
    });

    it("flags a default route and a route to a third VPC through the peering", async () => {
      const run = await analyzeProgram(
        pack(),
        peered((id) => {
          const via = { routeTableId: "rtb-0a000000000000001", vpcPeeringConnectionId: id };
          new aws.ec2.Route("to-tools", { ...via, destinationCidrBlock: "10.2.0.0/16" });
          new aws.ec2.Route("to-internet", { ...via, destinationCidrBlock: "0.0.0.0/0" });
        }),
      );
      const found = expectViolation(run, "peering-not-transit", {
        level: "mandatory",
        count: 2,
        on: "to-tools",
        message:
          'destinationCidrBlock = "10.2.0.0/16" through peering connection "ab-peering": it leads to 10.2.0.0/16 (VPC "tools"), beyond the peered VPCs; peering is not transitive',
      });
      pick(found, { on: "to-internet", message: "a default route sends everything to the peer" });
    });
  });
});
