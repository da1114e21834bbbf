/**
 * Operating a live network: what survives a teardown (log groups kept on delete), which alarms page and which
 * only warn, and what production protects. Assertions read what the components asked of each child (the
 * resource options a component transformation sees), since the mock monitor records inputs, not options.
 */
import type * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ClientVpn } from "../components/ClientVpn";
import { DirectConnectVpn } from "../components/DirectConnectVpn";
import { ManagedVpn } from "../components/ManagedVpn";
import { protectAnchors } from "../components/protection";
import { TransitGatewayVpn } from "../components/TransitGatewayVpn";
import { VirtualInterfaces } from "../components/VirtualInterfaces";
import { isProtectedInProd, NOT_PROTECTED, PROTECTED_IN_PROD } from "../model/protection";
import { ofType, recording, SITE } from "./childOptions";
import type { RegisteredResource, ResourceList } from "./harness";
import { builtBy, onlyProblem, refusedBy } from "./refusals";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const VPN = "aws:ec2/vpnConnection:VpnConnection";
const PAGE = "arn:aws:sns:us-east-1:444455556666:network-oncall";
const WARN = "arn:aws:sns:us-east-1:444455556666:network-warnings";

const alarms = (resources: ResourceList) =>
  Object.fromEntries(resources.ofType(ALARM).map((a) => [a.name, a])) as Record<string, RegisteredResource>;

describe("operating a live network", () => {
  describe("log groups outlive a teardown", () => {
    it("keeps every VPN component's tunnel log group on delete", async () => {
      const programs: [string, (opts: pulumi.ComponentResourceOptions) => unknown][] = [
        ["ManagedVpn", (opts) => new ManagedVpn("corp", { vpcId: "vpc-0abc", sites: { dc1: SITE } }, opts)],
        ["TransitGatewayVpn", (opts) => new TransitGatewayVpn("dc", { sites: { dc1: SITE } }, opts)],
        [
          "DirectConnectVpn",
          (opts) =>
            new DirectConnectVpn(
              "dx",
              {
                transport: {
                  type: "private",
                  dxGatewayId: "5f294f92-bafb-4011-916d-9b0bec736ebf",
                  transitGatewayCidrBlocks: ["10.255.0.0/24"],
                },
                transitGatewayId: "tgw-0123456789abcdef0",
                existingTransitGateway: {
                  defaultRouteTableAssociation: "enable",
                  defaultRouteTablePropagation: "enable",
                  acceptDefaultRouteTable: true,
                },
                sites: { dc1: { ...SITE, ipAddress: "10.50.0.10" } },
              },
              opts,
            ),
        ],
      ];
      for (const [component, program] of programs) {
        const { seen, opts } = recording();
        await builtBy(() => program(opts));
        const groups = ofType(seen, LOG_GROUP);
        expect(groups, component).to.have.length(1);
        expect(groups[0].opts.retainOnDelete, component).to.equal(true);
      }
    });

    it("keeps the Client VPN connection log group on delete", async () => {
      const { seen, opts } = recording();
      await builtBy(
        () =>
          new ClientVpn(
            "staff",
            {
              vpcId: "vpc-0123456789abcdef0",
              vpcCidrs: ["10.0.0.0/16"],
              clientCidr: "172.16.0.0/22",
              serverCertificateArn:
                "arn:aws:acm:us-east-1:111122223333:certificate/11111111-2222-3333-4444-555555555555",
              authentication: {
                mutualTls: {
                  clientRootCertificateChainArn:
                    "arn:aws:acm:us-east-1:111122223333:certificate/66666666-7777-8888-9999-000000000000",
                },
              },
              subnets: [
                { availabilityZone: "us-east-1a", subnetId: "subnet-0aaaaaaaaaaaaaaaa", cidr: "10.0.1.0/24" },
                { availabilityZone: "us-east-1b", subnetId: "subnet-0bbbbbbbbbbbbbbbb", cidr: "10.0.2.0/24" },
              ],
              authorizationRules: { vpc: { destination: "10.0.0.0/16" } },
            },
            opts,
          ),
      );
      const groups = ofType(seen, LOG_GROUP);
      expect(groups).to.have.length(1);
      expect(groups[0].opts.retainOnDelete).to.equal(true);
    });
  });

  describe("what production protects (model/protection)", () => {
    it("protects the stateful anchors and not what routine changes replace", () => {
      // Written out from AWS semantics, not read from the table.
      for (const type of [
        "aws:ec2transitgateway/transitGateway:TransitGateway",
        "aws:ec2/vpnGateway:VpnGateway",
        "aws:ec2/customerGateway:CustomerGateway",
        "aws:ec2/vpnConnection:VpnConnection",
        "aws:directconnect/gateway:Gateway",
        "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface",
        "aws:directconnect/transitVirtualInterface:TransitVirtualInterface",
        "aws:directconnect/publicVirtualInterface:PublicVirtualInterface",
        "aws:ec2/vpcEndpointService:VpcEndpointService",
        "aws:ec2clientvpn/endpoint:Endpoint",
        "aws:cloudwatch/logGroup:LogGroup",
        // A software VPN appliance's or WireGuard server's public address is on every peer device and client.
        "aws:ec2/eip:Eip",
        // The WireGuard server's private key: its public key is in every client's configuration.
        "random:index/randomBytes:RandomBytes",
      ])
        expect(isProtectedInProd(type), type).to.equal(true);
      for (const type of [
        "aws:ec2/route:Route",
        "aws:ec2transitgateway/route:Route",
        "aws:ec2/vpnConnectionRoute:VpnConnectionRoute",
        "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "random:index/randomPassword:RandomPassword",
        // An appliance instance is replaced whenever its boot configuration changes; its Elastic IP stays.
        "aws:ec2/instance:Instance",
        // The provider's delete of a hosted VIF accepter only forgets the VIF: nothing to protect.
        "aws:directconnect/hostedTransitVirtualInterfaceAcceptor:HostedTransitVirtualInterfaceAcceptor",
        "hybridnet:index:ManagedVpn",
      ])
        expect(isProtectedInProd(type), type).to.equal(false);
    });

    it("gives every entry a reason and never lists a type on both sides", () => {
      for (const e of [...PROTECTED_IN_PROD, ...NOT_PROTECTED])
        expect(e.why.length, e.type).to.be.greaterThan(20);
      const protectedTypes = PROTECTED_IN_PROD.map((e) => e.type);
      expect(NOT_PROTECTED.filter((e) => protectedTypes.includes(e.type))).to.deep.equal([]);
    });

    it("protectAnchors protects a VPN's connection, gateways and log group, not its routes, alarms or keys", async () => {
      const { resources } = await builtBy(
        () =>
          new ManagedVpn(
            "corp",
            { vpcId: "vpc-0abc", sites: { dc1: { ...SITE, routing: "static" } } },
            { transformations: [protectAnchors] },
          ),
      );
      const byProtection = (protect: boolean) =>
        [...new Set(resources.all.filter((r) => r.protect === protect).map((r) => r.type))].sort();
      expect(byProtection(true)).to.deep.equal([
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:ec2/customerGateway:CustomerGateway",
        "aws:ec2/vpnConnection:VpnConnection",
        "aws:ec2/vpnGateway:VpnGateway",
      ]);
      expect(byProtection(false)).to.deep.equal([
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:ec2/vpnConnectionRoute:VpnConnectionRoute",
        "hybridnet:index:ManagedVpn",
        "random:index/randomPassword:RandomPassword",
      ]);
    });
  });

  describe("alarms that page (model/alarms)", () => {
    it("pages when both tunnels of a connection are down, and only warns for one tunnel", async () => {
      const { resources } = await builtBy(
        () =>
          new ManagedVpn("corp", {
            vpcId: "vpc-0abc",
            sites: { dc1: SITE },
            tunnelAlarms: { actions: [PAGE], warningActions: [WARN] },
          }),
      );
      const [vpn] = resources.ofType(VPN);
      const byName = alarms(resources);
      expect(Object.keys(byName).sort()).to.deep.equal([
        "corp-dc1-down",
        "corp-dc1-tunnel1-down",
        "corp-dc1-tunnel2-down",
      ]);
      for (const n of [1, 2]) {
        const tunnel = byName[`corp-dc1-tunnel${n}-down`].inputs;
        expect(tunnel.alarmActions, `tunnel ${n}`).to.deep.equal([WARN]);
        expect(tunnel.metricName).to.equal("TunnelState");
      }
      const connection = byName["corp-dc1-down"].inputs;
      expect(connection).to.deep.include({
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        alarmActions: [PAGE],
        okActions: [PAGE],
        treatMissingData: "breaching",
      });
      const queries = connection.metricQueries as {
        id: string;
        expression?: string;
        returnData?: boolean;
        metric?: {
          namespace: string;
          metricName: string;
          stat: string;
          period: number;
          dimensions: Record<string, string>;
        };
      }[];
      expect(queries.map((q) => q.id)).to.deep.equal(["t1", "t2", "up"]);
      expect(queries[2]).to.deep.include({ expression: "MAX([t1, t2])", returnData: true });
      for (const n of [1, 2])
        expect(queries[n - 1].metric, `t${n}`).to.deep.equal({
          namespace: "AWS/VPN",
          metricName: "TunnelState",
          stat: "Maximum",
          period: 300,
          dimensions: { VpnId: vpn.id, TunnelIpAddress: vpn.outputs[`tunnel${n}Address`] },
        });
      expect(vpn.id).to.match(/^vpn-/);
    });

    it("pages when a site's tunnels up carry less than its declared bandwidth (transit gateway ECMP)", async () => {
      const { resources } = await builtBy(
        () =>
          new TransitGatewayVpn("dc", {
            sites: { dc1: { ...SITE, bandwidthGbps: 2 } },
            tunnelAlarms: { actions: [PAGE] },
          }),
      );
      const byName = alarms(resources);
      // 2 Gbps needs 2 tunnels of 1.25 Gbps plus 1 spare: 2 connections, 4 tunnels.
      expect(
        Object.keys(byName)
          .filter((n) => !n.includes("tunnel"))
          .sort(),
      ).to.deep.equal(["dc-dc1-1-down", "dc-dc1-2-down", "dc-dc1-capacity"]);
      const capacity = byName["dc-dc1-capacity"].inputs;
      expect(capacity).to.deep.include({
        comparisonOperator: "LessThanThreshold",
        threshold: 2,
        alarmActions: [PAGE],
      });
      const queries = capacity.metricQueries as {
        id: string;
        expression?: string;
        metric?: { stat: string; dimensions: Record<string, string> };
      }[];
      expect(queries.map((q) => q.id)).to.deep.equal(["c1", "c2", "gbps"]);
      expect(queries[2].expression).to.equal("SUM([c1, c2]) * 2 * 1.25");
      expect(Object.keys(queries[0].metric?.dimensions ?? {})).to.deep.equal(["VpnId"]);
      expect(queries[0].metric?.stat).to.equal("Average");
      // Single tunnels warn nobody unless warning actions are given.
      for (const n of [1, 2])
        expect(byName[`dc-dc1-1-tunnel${n}-down`].inputs.alarmActions).to.deep.equal([]);
    });

    it("registers no capacity alarm where no bandwidth is declared", async () => {
      const { resources } = await builtBy(() => new TransitGatewayVpn("dc", { sites: { dc1: SITE } }));
      expect(Object.keys(alarms(resources)).filter((n) => n.endsWith("-capacity"))).to.deep.equal([]);
      expect(alarms(resources)["dc-dc1-1-down"].inputs.alarmActions).to.deep.equal([]);
    });

    it("pages when a Direct Connect connection or a VIF's BGP session is down", async () => {
      const { resources } = await builtBy(
        () =>
          new VirtualInterfaces("dx", {
            type: "transit",
            dxGatewayId: "5f294f92-bafb-4011-916d-9b0bec736ebf",
            bgpAsn: 65010,
            connections: {
              ashburn: { connectionId: "dxcon-ffa1b2c3", location: "EqDC2", vlan: 101 },
              reston: { connectionId: "dxcon-fgd4e5f6", location: "CSVA1", vlan: 102 },
            },
            alarms: { actions: [PAGE] },
          }),
      );
      const byName = alarms(resources);
      expect(Object.keys(byName).sort()).to.deep.equal([
        "dx-ashburn-bgp-down",
        "dx-ashburn-connection-down",
        "dx-reston-bgp-down",
        "dx-reston-connection-down",
      ]);
      const vif = resources.named("dx-ashburn-vif");
      expect(byName["dx-ashburn-connection-down"].inputs).to.deep.include({
        namespace: "AWS/DX",
        metricName: "ConnectionState",
        dimensions: { ConnectionId: "dxcon-ffa1b2c3" },
        statistic: "Minimum",
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        alarmActions: [PAGE],
        okActions: [PAGE],
      });
      expect(byName["dx-ashburn-bgp-down"].inputs).to.deep.include({
        namespace: "AWS/DX",
        metricName: "VirtualInterfaceBgpStatus",
        dimensions: { ConnectionId: "dxcon-ffa1b2c3", VirtualInterfaceId: vif.id },
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        alarmActions: [PAGE],
      });
      expect(vif.id).to.match(/^dxvif-/);
    });

    it("refuses Direct Connect alarm periods outside 1–288 before anything registers", async () => {
      const error = await refusedBy(
        () =>
          new VirtualInterfaces("dx", {
            type: "transit",
            dxGatewayId: "5f294f92-bafb-4011-916d-9b0bec736ebf",
            bgpAsn: 65010,
            connections: { ashburn: { connectionId: "dxcon-ffa1b2c3", location: "EqDC2", vlan: 101 } },
            alarms: { actions: [PAGE], evaluationPeriods: 0 },
          }),
        'hybridnet:index:VirtualInterfaces "dx"',
      );
      onlyProblem(
        error,
        "alarms.evaluationPeriods",
        0,
        "an integer in 1–288 (five-minute periods, up to a day)",
      );
    });
  });
});
