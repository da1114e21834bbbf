/**
 * The policy pack's security rules, driven through the pack's Analyzer gRPC service the way the CLI drives
 * it: hybridnet's secure defaults pass; what a team might register by hand, or through a component's escape
 * hatch (legacy crypto, acceptance off, DNS resolution off), is flagged at the level the rule declares.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ClientVpn, type ClientVpnArgs } from "../components/ClientVpn";
import { ManagedVpn } from "../components/ManagedVpn";
import { PrivateLinkService, type PrivateLinkServiceArgs } from "../components/PrivateLinkService";
import { TransitGatewayHub } from "../components/TransitGatewayHub";
import { VirtualInterfaces } from "../components/VirtualInterfaces";
import { VpcPeering } from "../components/VpcPeering";
import type { VpnSite } from "../components/vpnSites";
import { wireSecretPaths } from "../policy/lib/secrets";
import { DC1, DC2, paymentsEndpoint, rawVpn as rawVpnConnection, SUBNETS, VPC } from "./policyFixtures";
import { analyzeProgram, expectNoViolation, expectViolation, pick, usePolicyPack } from "./policySupport";

const CERT = "arn:aws:acm:us-east-1:111122223333:certificate/11111111-2222-3333-4444-555555555555";
const CLIENT_CA = "arn:aws:acm:us-east-1:111122223333:certificate/66666666-7777-8888-9999-000000000000";
const VPN_CONNECTION = "aws:ec2/vpnConnection:VpnConnection";

const managedVpn =
  (sites: Record<string, VpnSite> = { dc1: DC1 }, opts?: pulumi.ComponentResourceOptions) =>
  () =>
    new ManagedVpn("corp", { vpcId: VPC, sites }, opts);

/** A VPN connection registered without a component, so nothing fills in secure settings. */
const rawVpn = (extra: Partial<aws.ec2.VpnConnectionArgs> = {}) =>
  rawVpnConnection(
    "raw",
    { vpnGatewayId: "vgw-0123456789abcdef0" },
    { ipAddress: "203.0.113.50", bgpAsn: "65050" },
    extra,
  );

const serviceArgs = (over: Partial<PrivateLinkServiceArgs> = {}): PrivateLinkServiceArgs => ({
  vpcId: VPC,
  subnets: SUBNETS,
  targetGroups: { app: { port: 8443 } },
  listeners: { tls: { port: 443, targetGroup: "app" } },
  consumerCidrs: ["10.50.0.0/16"],
  targetCidrs: ["10.0.10.0/24"],
  allowedPrincipals: ["222233334444"],
  ...over,
});

const clientVpnArgs = (over: Partial<ClientVpnArgs> = {}): ClientVpnArgs => ({
  vpcId: VPC,
  vpcCidrs: ["10.0.0.0/16"],
  clientCidr: "172.16.0.0/22",
  serverCertificateArn: CERT,
  authentication: { mutualTls: { clientRootCertificateChainArn: CLIENT_CA } },
  subnets: SUBNETS,
  authorizationRules: { vpc: { destination: "10.0.0.0/16" } },
  ...over,
});

describe("policy pack: security", function () {
  this.timeout(60_000);
  const pack = usePolicyPack();

  describe("vpn-ikev2-only", () => {
    it("passes the tunnels ManagedVpn registers (IKEv2 only)", async () => {
      expectNoViolation(await analyzeProgram(pack(), managedVpn()), "vpn-ikev2-only");
    });

    it("flags a tunnel that allows IKEv1, and one whose IKE versions are unset", async () => {
      const run = await analyzeProgram(pack(), () => rawVpn({ tunnel1IkeVersions: ["ikev1", "ikev2"] }));
      const found = expectViolation(run, "vpn-ikev2-only", {
        level: "mandatory",
        count: 2,
        on: "raw-vpn",
        message: 'tunnel1IkeVersions = ["ikev1","ikev2"]: IKEv1 is legacy',
      });
      pick(found, {
        on: "raw-vpn",
        message: /^tunnel2IkeVersions is unset, so AWS accepts \["ikev1","ikev2"\]/,
      });
    });
  });

  describe("vpn-strong-crypto", () => {
    it("passes ManagedVpn's defaults: AES-256, SHA-2, DH 14–21", async () => {
      expectNoViolation(await analyzeProgram(pack(), managedVpn()), "vpn-strong-crypto");
    });

    it("flags the legacy crypto a component lets a site opt into", async () => {
      const legacy = { ...DC1, tunnelOptions: { allowLegacyCrypto: true, phase1DhGroupNumbers: [2, 14] } };
      const run = await analyzeProgram(pack(), managedVpn({ dc1: legacy }));
      const found = expectViolation(run, "vpn-strong-crypto", {
        level: "mandatory",
        count: 2,
        on: "corp-dc1-vpn",
        message: "tunnel1Phase1DhGroupNumbers = [2,14]: [2] is weak; DH groups below 14 and 22–24 are weak",
      });
      pick(found, { on: "corp-dc1-vpn", message: /^tunnel2Phase1DhGroupNumbers = \[2,14\]/ });
    });

    it("raises the DH floor from config: group 19 makes ManagedVpn's 14–18 weak", async () => {
      const run = await analyzeProgram(pack(), managedVpn(), {
        config: { "vpn-strong-crypto": { minDhGroup: 19 } },
      });
      expectViolation(run, "vpn-strong-crypto", {
        level: "mandatory",
        count: 4,
        message: "tunnel1Phase1DhGroupNumbers = [14,15,16,17,18,19,20,21]: [14,15,16,17,18] are weak",
      });
    });
  });

  describe("vpn-psk-secret", () => {
    it("passes generated keys and keys given as secrets", async () => {
      const sites = {
        dc1: { ...DC1, tunnels: [{ presharedKey: pulumi.secret("Given.key_0001") }] },
        dc2: DC2,
      };
      expectNoViolation(await analyzeProgram(pack(), managedVpn(sites)), "vpn-psk-secret");
    });

    it("reads secrecy off the wire: the same key sent unmarked, as an SDK that does not mark it would, is flagged", async () => {
      const sites = { dc1: { ...DC1, tunnels: [{ presharedKey: pulumi.secret("Given.key_0001") }] } };
      const run = await analyzeProgram(pack(), managedVpn(sites), {
        alter: (resources) =>
          resources.map((r) =>
            r.type === VPN_CONNECTION
              ? { ...r, secretInputs: (r.secretInputs ?? []).filter((k) => k !== "tunnel1PresharedKey") }
              : r,
          ),
      });
      const [found] = expectViolation(run, "vpn-psk-secret", {
        level: "mandatory",
        on: "corp-dc1-vpn",
        message: "tunnel1PresharedKey holds a pre-shared key in plain text",
      });
      expect(found.message).not.to.include("Given.key_0001");
    });

    it("finds the engine's secret markers at any depth: `key`, `tags.Psk`, `list[0].x`", () => {
      // The engine's secret signature (sdk/go/common/resource/sig/sig.go: Key, Secret).
      const secret = (value: unknown) => ({
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        value,
      });
      const wire = {
        key: secret("k"),
        plain: "p",
        tags: { Name: "n", Psk: secret("k") },
        list: [{ x: secret(["inner"]) }, { y: 1 }],
        nested: [[secret(1)]],
      };
      expect([...wireSecretPaths(wire)]).to.deep.equal(["key", "tags.Psk", "list[0].x", "nested[0][0]"]);
      expect([...wireSecretPaths({ plain: "p", tags: { Psk: "k" } })]).to.deep.equal([]);
    });

    it("flags a key copied into a tag, where nothing makes it secret", async () => {
      const run = await analyzeProgram(pack(), () =>
        rawVpn({ tunnel1PresharedKey: "Plain.key_0001", tags: { Psk: "Plain.key_0001" } }),
      );
      // @pulumi/aws marks a VPN connection's key inputs secret itself; the tag stays plain text.
      expectViolation(run, "vpn-psk-secret", {
        level: "mandatory",
        on: "raw-vpn",
        message: "tags.Psk holds a pre-shared key in plain text",
      });
    });
  });

  describe("vpn-tunnel-logging", () => {
    it("passes ManagedVpn's tunnel and BGP logs, also when BGP logs are required", async () => {
      const run = await analyzeProgram(pack(), managedVpn(), {
        config: { "vpn-tunnel-logging": { requireBgpLogs: true } },
      });
      expectNoViolation(run, "vpn-tunnel-logging");
    });

    it("flags tunnels without logs", async () => {
      const run = await analyzeProgram(pack(), () =>
        rawVpn({ tunnel1LogOptions: { cloudwatchLogOptions: { logEnabled: false } } }),
      );
      const found = expectViolation(run, "vpn-tunnel-logging", {
        level: "mandatory",
        count: 2,
        on: "raw-vpn",
        message:
          "tunnel1LogOptions.cloudwatchLogOptions.logEnabled = false: turn tunnel 1's activity logs on",
      });
      pick(found, {
        on: "raw-vpn",
        message: /^tunnel2LogOptions.cloudwatchLogOptions.logEnabled = \(unset\)/,
      });
    });
  });

  describe("endpoint-service-access", () => {
    it("passes a PrivateLinkService: acceptance required, principals named", async () => {
      expectNoViolation(
        await analyzeProgram(pack(), () => new PrivateLinkService("pay", serviceArgs())),
        "endpoint-service-access",
      );
    });

    it("flags acceptance turned off, and a wildcard principal", async () => {
      const run = await analyzeProgram(pack(), () => {
        new PrivateLinkService("pay", serviceArgs({ acceptanceRequired: false }));
        new aws.ec2.VpcEndpointServiceAllowedPrinciple("anyone", {
          vpcEndpointServiceId: "vpce-svc-0123456789abcdef0",
          principalArn: "*",
        });
      });
      const found = expectViolation(run, "endpoint-service-access", {
        level: "mandatory",
        count: 2,
        on: "pay-service",
        message: "acceptanceRequired = false: every allowed principal's endpoint connects at once",
      });
      pick(found, { on: "anyone", message: 'principalArn = "*": a wildcard' });
    });
  });

  describe("endpoint-sg-not-open (stack)", () => {
    const endpoint = paymentsEndpoint;

    it("passes a PrivateLinkEndpoint open to its declared networks only", async () => {
      expectNoViolation(await analyzeProgram(pack(), endpoint), "endpoint-sg-not-open");
    });

    it("flags a rule that opens the endpoint's security group to 0.0.0.0/0, not one on another group", async () => {
      const run = await analyzeProgram(pack(), () => {
        const ep = endpoint();
        const open = { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" };
        new aws.vpc.SecurityGroupIngressRule("open-endpoint", {
          securityGroupId: ep.securityGroupId,
          ...open,
        });
        const web = new aws.ec2.SecurityGroup("web", { vpcId: VPC });
        new aws.vpc.SecurityGroupIngressRule("open-web", { securityGroupId: web.id, ...open });
      });
      expectViolation(run, "endpoint-sg-not-open", {
        level: "mandatory",
        on: "open-endpoint",
        message:
          'the ingress rule opens security group "payments-endpoint" of interface endpoint "payments-endpoint" to 0.0.0.0/0',
      });
    });

    it("flags an inline ::/0 rule on a Network Load Balancer's group", async () => {
      const run = await analyzeProgram(pack(), () => {
        const sg = new aws.ec2.SecurityGroup("nlb", {
          vpcId: VPC,
          ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, ipv6CidrBlocks: ["::/0"] }],
        });
        new aws.lb.LoadBalancer("nlb", {
          loadBalancerType: "network",
          subnets: SUBNETS.map((s) => s.subnetId),
          securityGroups: [sg.id],
        });
      });
      expectViolation(run, "endpoint-sg-not-open", {
        level: "mandatory",
        message: 'ingress[0] opens security group "nlb" of Network Load Balancer "nlb" to ::/0',
      });
    });
  });

  describe("dx-bgp-auth-key", () => {
    it("passes VirtualInterfaces' generated secret key", async () => {
      const run = await analyzeProgram(
        pack(),
        () =>
          new VirtualInterfaces("dx", {
            type: "transit",
            dxGatewayId: "5f294f92-bafb-4011-916d-9b0bec736ebf",
            bgpAsn: 65010,
            connections: { a: { connectionId: "dxcon-fguhmqlc", location: "EqDC2", vlan: 101 } },
          }),
      );
      expectNoViolation(run, "dx-bgp-auth-key");
    });

    it("flags a VIF without a key, and one with its key in plain text", async () => {
      const run = await analyzeProgram(pack(), () => {
        const vif = { connectionId: "dxcon-fguhmqlc", addressFamily: "ipv4", bgpAsn: 65010, vlan: 101 };
        new aws.directconnect.PrivateVirtualInterface("no-key", {
          ...vif,
          vpnGatewayId: "vgw-0123456789abcdef0",
        });
        new aws.directconnect.PrivateVirtualInterface("plain-key", {
          ...vif,
          vlan: 102,
          vpnGatewayId: "vgw-0123456789abcdef0",
          bgpAuthKey: "plain-md5-key",
        });
      });
      const found = expectViolation(run, "dx-bgp-auth-key", {
        level: "mandatory",
        count: 2,
        on: "no-key",
        message: "bgpAuthKey is unset: AWS then makes up a key and returns it in plain text",
      });
      pick(found, { on: "plain-key", message: "bgpAuthKey is in plain text" });
    });
  });

  describe("tgw-segmentation", () => {
    it("passes a TransitGatewayHub: no auto-accept, no default route tables", async () => {
      const run = await analyzeProgram(
        pack(),
        () => new TransitGatewayHub("hub", { segments: { prod: {} } }),
      );
      expectNoViolation(run, "tgw-segmentation");
    });

    it("flags AWS's defaults and auto-accept", async () => {
      const run = await analyzeProgram(
        pack(),
        () => new aws.ec2transitgateway.TransitGateway("open", { autoAcceptSharedAttachments: "enable" }),
      );
      const found = expectViolation(run, "tgw-segmentation", {
        level: "mandatory",
        count: 3,
        on: "open",
        message: 'autoAcceptSharedAttachments = "enable"',
      });
      pick(found, { on: "open", message: "defaultRouteTableAssociation = (unset) (AWS's default: enable)" });
    });
  });

  describe("peering-dns-resolution (stack)", () => {
    const peering = (dnsResolution?: boolean) => () =>
      new VpcPeering("apps", {
        requester: { vpcId: VPC, cidrs: ["10.0.0.0/16"], routeTables: { main: "rtb-0a000000000000001" } },
        accepter: {
          vpcId: "vpc-0b0b0b0b0b0b0b0b0",
          cidrs: ["10.1.0.0/16"],
          routeTables: { main: "rtb-0b000000000000001" },
        },
        ...(dnsResolution !== undefined ? { dnsResolution } : {}),
      });

    it("passes VpcPeering's options on both sides", async () => {
      expectNoViolation(await analyzeProgram(pack(), peering()), "peering-dns-resolution");
    });

    it("flags DNS resolution turned off, and a connection that sets it on one side only", async () => {
      const run = await analyzeProgram(pack(), () => {
        peering(false)();
        new aws.ec2.VpcPeeringConnection("half", {
          vpcId: VPC,
          peerVpcId: "vpc-0c0c0c0c0c0c0c0c0",
          autoAccept: true,
          requester: { allowRemoteVpcDnsResolution: true },
        });
      });
      const found = expectViolation(run, "peering-dns-resolution", {
        level: "mandatory",
        count: 2,
        on: "apps-peering",
        message:
          "the requester and accepter sides do not resolve the peer's DNS hostnames to private addresses",
      });
      pick(found, { on: "half", message: /^the accepter side does not resolve/ });
    });
  });

  describe("client-vpn-connection-logs and client-vpn-split-tunnel", () => {
    it("pass a ClientVpn: connection logs on, split tunnel", async () => {
      const run = await analyzeProgram(pack(), () => new ClientVpn("staff", clientVpnArgs()));
      expectNoViolation(run, "client-vpn-connection-logs");
      expectNoViolation(run, "client-vpn-split-tunnel");
    });

    it("flag an endpoint without logs (mandatory) and with a full tunnel (advisory)", async () => {
      const run = await analyzeProgram(pack(), () => {
        new aws.ec2clientvpn.Endpoint("open", {
          serverCertificateArn: CERT,
          clientCidrBlock: "172.16.0.0/22",
          authenticationOptions: [{ type: "certificate-authentication", rootCertificateChainArn: CLIENT_CA }],
          connectionLogOptions: { enabled: false },
        });
      });
      expectViolation(run, "client-vpn-connection-logs", {
        level: "mandatory",
        on: "open",
        message: "connectionLogOptions.enabled = false: turn connection logging on",
      });
      expectViolation(run, "client-vpn-split-tunnel", {
        level: "advisory",
        on: "open",
        message:
          "splitTunnel = (unset) (AWS's default: false): every client's internet traffic goes through the VPC",
      });
    });
  });

  describe("prod-deletion-protection (stack)", () => {
    it("passes a protected VPN in production, and an unprotected one outside production", async () => {
      const protectedRun = await analyzeProgram(pack(), managedVpn({ dc1: DC1 }, { protect: true }), {
        stack: "connectivity-prod",
      });
      expectNoViolation(protectedRun, "prod-deletion-protection");
      expectNoViolation(await analyzeProgram(pack(), managedVpn()), "prod-deletion-protection");
    });

    it("flags each unprotected connectivity resource of a production stack", async () => {
      const run = await analyzeProgram(pack(), managedVpn(), { stack: "connectivity-prod" });
      // The gateway, the customer gateway, the VPN connection and the tunnel log group.
      expectViolation(run, "prod-deletion-protection", {
        level: "mandatory",
        count: 4,
        on: "corp-vgw",
        message: '"corp-vgw" (VpnGateway) in production stack "connectivity-prod" is not protected',
      });
    });

    // The anchors a ManagedVpn registers, written out from AWS semantics (model/protection's table is the code
    // under test): the gateway, the customer gateway, the VPN connection and the tunnel log group.
    const VPN_ANCHORS = [
      "aws:ec2/vpnGateway:VpnGateway",
      "aws:ec2/customerGateway:CustomerGateway",
      VPN_CONNECTION,
      "aws:cloudwatch/logGroup:LogGroup",
    ];
    /** Component options that protect exactly the children of the given types. */
    const protecting = (types: string[]): pulumi.ComponentResourceOptions => ({
      transformations: [
        ({ type, props, opts }) => ({ props, opts: { ...opts, protect: types.includes(type) } }),
      ],
    });
    const STATIC = { ...DC1, routing: "static" as const };

    it("passes a production VPN whose anchors are protected and whose routes, alarms and keys are not", async () => {
      const run = await analyzeProgram(pack(), managedVpn({ dc1: STATIC }, protecting(VPN_ANCHORS)), {
        stack: "connectivity-prod",
      });
      const unprotected = run.resources.filter((r) => !r.protect).map((r) => r.type);
      expect(unprotected).to.include.members([
        "aws:ec2/vpnConnectionRoute:VpnConnectionRoute",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "random:index/randomPassword:RandomPassword",
      ]);
      expectNoViolation(run, "prod-deletion-protection");
    });

    it("flags a production VPN connection left unprotected, saying what its loss costs", async () => {
      const run = await analyzeProgram(
        pack(),
        managedVpn({ dc1: STATIC }, protecting(VPN_ANCHORS.filter((t) => t !== VPN_CONNECTION))),
        { stack: "connectivity-prod" },
      );
      expectViolation(run, "prod-deletion-protection", {
        level: "mandatory",
        on: "corp-dc1-vpn",
        message:
          /"corp-dc1-vpn" \(VpnConnection\) in production stack "connectivity-prod" is not protected: .*new tunnel outside addresses/,
      });
    });

    it("flags an unprotected tunnel log group in production: it is the record of an outage", async () => {
      const run = await analyzeProgram(
        pack(),
        managedVpn({ dc1: STATIC }, protecting(VPN_ANCHORS.filter((t) => !t.endsWith("LogGroup")))),
        { stack: "connectivity-prod" },
      );
      expectViolation(run, "prod-deletion-protection", {
        level: "mandatory",
        on: "corp-tunnel-logs",
        message: '"corp-tunnel-logs" (LogGroup) in production stack "connectivity-prod" is not protected',
      });
    });

    it("passes an unprotected interface endpoint in production: the consumer side is made again by the next run", async () => {
      const run = await analyzeProgram(pack(), paymentsEndpoint, { stack: "connectivity-prod" });
      expect(run.resources.some((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && !r.protect)).to.equal(
        true,
      );
      expectNoViolation(run, "prod-deletion-protection");
    });

    it("takes the production suffix from config", async () => {
      const config = { "prod-deletion-protection": { prodStackSuffixes: ["-live"] } };
      const live = await analyzeProgram(pack(), managedVpn(), { stack: "connectivity-live", config });
      expectViolation(live, "prod-deletion-protection", {
        level: "mandatory",
        count: 4,
        on: "corp-dc1-cgw",
        message: 'in production stack "connectivity-live" is not protected',
      });
      const prod = await analyzeProgram(pack(), managedVpn(), { stack: "connectivity-prod", config });
      expectNoViolation(prod, "prod-deletion-protection");
    });
  });

  describe("vpn-paging-alarm (stack)", () => {
    const TOPIC = "arn:aws:sns:us-east-1:444455556666:network-oncall";
    const prod = { stack: "connectivity-prod" };

    it("passes a production VPN whose connection alarm pages, and any VPN outside production", async () => {
      const paged = () =>
        new ManagedVpn("corp", { vpcId: VPC, sites: { dc1: DC1 }, tunnelAlarms: { actions: [TOPIC] } });
      expectNoViolation(await analyzeProgram(pack(), paged, prod), "vpn-paging-alarm");
      expectNoViolation(await analyzeProgram(pack(), managedVpn()), "vpn-paging-alarm");
    });

    it("flags a production VPN connection whose alarms page nobody", async () => {
      const run = await analyzeProgram(pack(), managedVpn(), prod);
      expectViolation(run, "vpn-paging-alarm", {
        level: "mandatory",
        on: "corp-dc1-vpn",
        message:
          '"corp-dc1-vpn" (VpnConnection) in production stack "connectivity-prod" has no alarm that pages when it is down',
      });
    });

    it("does not count a single tunnel's alarm as the page: AWS takes one tunnel down for maintenance", async () => {
      const run = await analyzeProgram(
        pack(),
        () => {
          const vpn = rawVpn();
          new aws.cloudwatch.MetricAlarm("raw-tunnel1-down", {
            namespace: "AWS/VPN",
            metricName: "TunnelState",
            dimensions: { VpnId: vpn.id, TunnelIpAddress: vpn.tunnel1Address },
            statistic: "Maximum",
            period: 300,
            evaluationPeriods: 1,
            comparisonOperator: "LessThanThreshold",
            threshold: 1,
            alarmActions: [TOPIC],
          });
        },
        prod,
      );
      expectViolation(run, "vpn-paging-alarm", {
        level: "mandatory",
        on: "raw-vpn",
        message: "a single tunnel's alarm does not count",
      });
    });
  });

  describe("customer-gateway-approved", () => {
    it("checks nothing until approved addresses are configured", async () => {
      expectNoViolation(await analyzeProgram(pack(), managedVpn()), "customer-gateway-approved");
    });

    it("flags a device outside the approved addresses once they are configured", async () => {
      const config = { "customer-gateway-approved": { approvedAddresses: ["198.51.100.0/24"] } };
      const run = await analyzeProgram(pack(), managedVpn({ dc1: DC1, dc2: DC2 }), { config });
      expectViolation(run, "customer-gateway-approved", {
        level: "mandatory",
        on: "corp-dc1-cgw",
        message: 'ipAddress = "203.0.113.10" is not an approved VPN device address (198.51.100.0/24)',
      });
    });
  });

  describe("vpc-cidr-in-supernets", () => {
    it("passes a VPC from the RFC 1918 supernets", async () => {
      const run = await analyzeProgram(pack(), () => new aws.ec2.Vpc("apps", { cidrBlock: "10.20.0.0/16" }));
      expectNoViolation(run, "vpc-cidr-in-supernets");
    });

    it("flags a VPC outside the supernets (advisory), by default and with the team's own", async () => {
      const vpcs = () => {
        new aws.ec2.Vpc("cgnat", { cidrBlock: "100.64.0.0/16" });
        new aws.ec2.Vpc("lab", { cidrBlock: "172.16.0.0/16" });
      };
      expectViolation(await analyzeProgram(pack(), vpcs), "vpc-cidr-in-supernets", {
        level: "advisory",
        on: "cgnat",
        message: 'cidrBlock = "100.64.0.0/16" is outside the supernets VPCs are allocated from',
      });
      const narrowed = await analyzeProgram(pack(), vpcs, {
        config: { "vpc-cidr-in-supernets": { supernets: ["10.0.0.0/8", "100.64.0.0/10"] } },
      });
      expectViolation(narrowed, "vpc-cidr-in-supernets", {
        level: "advisory",
        on: "lab",
        message: "172.16.0.0/16",
      });
    });
  });
});
