import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ManagedVpn, type ManagedVpnArgs } from "../components/ManagedVpn";
import type { VpnConnectionInfo, VpnSite } from "../components/vpnSites";
import { ValidationError } from "../model/errors";
import { type RegisteredResource, type ResourceList, resolve, runProgram } from "./harness";
import { onlyProblem, problemAt, refusedBy } from "./refusals";

const TYPE = {
  component: "hybridnet:index:ManagedVpn",
  vgw: "aws:ec2/vpnGateway:VpnGateway",
  cgw: "aws:ec2/customerGateway:CustomerGateway",
  vpn: "aws:ec2/vpnConnection:VpnConnection",
  route: "aws:ec2/vpnConnectionRoute:VpnConnectionRoute",
  propagation: "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  password: "random:index/randomPassword:RandomPassword",
} as const;

/** The /30 blocks AWS keeps for itself (Site-to-Site VPN tunnel options), written out independently of model/. */
const AWS_RESERVED_INSIDE = [
  "169.254.0.0/30",
  "169.254.1.0/30",
  "169.254.2.0/30",
  "169.254.3.0/30",
  "169.254.4.0/30",
  "169.254.5.0/30",
  "169.254.169.252/30",
];

/** What AWS accepts as a pre-shared key. */
const AWS_PSK = /^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/;

const DC1: VpnSite = { ipAddress: "203.0.113.10", bgpAsn: 65010, prefixes: ["192.168.0.0/16"] };
const DC2: VpnSite = {
  ipAddress: "198.51.100.20",
  routing: "static",
  prefixes: ["172.16.0.0/16", "172.17.0.0/16"],
};

function vpnArgs(overrides: Partial<ManagedVpnArgs> = {}): ManagedVpnArgs {
  return { vpcId: "vpc-0abc", vpcCidrs: ["10.0.0.0/16"], sites: { dc1: DC1 }, ...overrides };
}

/** A site with a distinct documentation-range public address per index. */
function branch(i: number, extra: Partial<VpnSite> = {}): VpnSite {
  return { ipAddress: `203.0.113.${i + 1}`, bgpAsn: 65100 + i, prefixes: [`10.${100 + i}.0.0/16`], ...extra };
}

function sitesOf(count: number): Record<string, VpnSite> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`site${i + 1}`, branch(i)]));
}

async function build(args: ManagedVpnArgs) {
  const run = await runProgram(() => new ManagedVpn("corp", args));
  if (run.error) expect.fail(`ManagedVpn refused valid arguments: ${run.error.message}`);
  return { resources: run.resources, vpn: run.result as ManagedVpn };
}

async function connectionsOf(vpn: ManagedVpn): Promise<Record<string, VpnConnectionInfo>> {
  return (await resolve(vpn.connections)).value;
}

const refused = (args: ManagedVpnArgs) =>
  refusedBy(() => new ManagedVpn("corp", args), 'hybridnet:index:ManagedVpn "corp"');

function componentUrn(resources: ResourceList): string {
  const [component] = resources.ofType(TYPE.component);
  return component.urn;
}

function ipv4ToNumber(address: string): number {
  return address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** Checks an inside CIDR the way a network engineer would: a /30 in 169.254.0.0/16 that AWS does not keep. */
function expectUsableInsideCidr(cidr: string): void {
  const [address, prefix] = cidr.split("/");
  expect(prefix, cidr).to.equal("30");
  expect(address.startsWith("169.254."), cidr).to.equal(true);
  expect(ipv4ToNumber(address) % 4, `${cidr} is aligned`).to.equal(0);
  expect(AWS_RESERVED_INSIDE, `${cidr} is reserved by AWS`).not.to.include(cidr);
}

function tunnelInput(connection: RegisteredResource, n: 1 | 2, field: string): unknown {
  return connection.inputs[`tunnel${n}${field}`];
}

describe("ManagedVpn", () => {
  describe("resources", () => {
    it("registers a VGW, a log group, and per site a CGW, a VPN connection, two keys and three alarms, all under the component", async () => {
      const { resources } = await build(
        vpnArgs({
          sites: { dc1: DC1, dc2: DC2 },
          routeTableIds: { private: "rtb-0private" },
          securityGroupIngress: { securityGroupId: "sg-0app", ports: [{ protocol: "tcp", fromPort: 443 }] },
        }),
      );
      const counts = Object.fromEntries(
        Object.entries(TYPE).map(([k, t]) => [k, resources.ofType(t).length]),
      );
      expect(counts).to.deep.equal({
        component: 1,
        vgw: 1,
        cgw: 2,
        vpn: 2,
        route: 2,
        propagation: 1,
        ingress: 3,
        // Per site: a warning per tunnel and a page for the connection.
        alarm: 6,
        logGroup: 1,
        password: 4,
      });
      expect(resources.length).to.equal(23);
      const urn = componentUrn(resources);
      expect(resources.ofType(TYPE.component)[0].parent).to.equal(undefined);
      expect(resources.childrenOf(urn)).to.have.length(resources.length - 1);
      for (const r of resources.all.filter((x) => x.type !== TYPE.component))
        expect(r.parent, `${r.type} ${r.name}`).to.equal(urn);
    });

    it("names child resources after the component and the site key", async () => {
      const { resources } = await build(vpnArgs({ sites: { dc1: DC1, dc2: DC2 } }));
      for (const name of [
        "corp-vgw",
        "corp-tunnel-logs",
        "corp-dc1-cgw",
        "corp-dc1-vpn",
        "corp-dc1-tunnel1-psk",
        "corp-dc1-tunnel2-psk",
        "corp-dc1-tunnel1-down",
        "corp-dc1-tunnel2-down",
        "corp-dc2-cgw",
        "corp-dc2-vpn",
        "corp-dc2-route-172-16-0-0-16",
        "corp-dc2-route-172-17-0-0-16",
      ])
        expect(resources.named(name).parent).to.equal(componentUrn(resources));
    });

    it("attaches the virtual private gateway to the VPC with the default Amazon side ASN 64512", async () => {
      const { resources } = await build(vpnArgs());
      const [vgw] = resources.ofType(TYPE.vgw);
      expect(vgw.inputs.vpcId).to.equal("vpc-0abc");
      expect(vgw.inputs.amazonSideAsn).to.equal("64512");
    });

    it("uses a custom Amazon side ASN, 2-byte or 4-byte", async () => {
      for (const asn of [65100, 4200000000]) {
        const { resources } = await build(vpnArgs({ amazonSideAsn: asn }));
        expect(resources.ofType(TYPE.vgw)[0].inputs.amazonSideAsn).to.equal(String(asn));
      }
    });

    it("creates one customer gateway per site with its public address and BGP ASN", async () => {
      const { resources } = await build(
        vpnArgs({ sites: { dc1: DC1, dc2: { ...DC2, deviceName: "edge-2" } } }),
      );
      const dc1 = resources.named("corp-dc1-cgw");
      expect(dc1.inputs).to.include({ type: "ipsec.1", ipAddress: "203.0.113.10", bgpAsn: "65010" });
      expect(dc1.inputs).not.to.have.property("bgpAsnExtended");
      const dc2 = resources.named("corp-dc2-cgw");
      // No ASN given: the CreateCustomerGateway default, 65000.
      expect(dc2.inputs).to.include({ ipAddress: "198.51.100.20", bgpAsn: "65000" });
    });

    it("records the device name only as a tag, so renaming the device does not replace its gateway", async () => {
      // CreateCustomerGateway's DeviceName cannot change (the provider's device_name is ForceNew); a tag can.
      const { resources } = await build(vpnArgs({ sites: { dc1: { ...DC1, deviceName: "edge-1" } } }));
      const cgw = resources.named("corp-dc1-cgw");
      expect(cgw.inputs).not.to.have.property("deviceName");
      expect(cgw.inputs.tags).to.deep.include({ "hybridnet:device": "edge-1" });
      const unnamed = await build(vpnArgs());
      expect(unnamed.resources.named("corp-dc1-cgw").inputs.tags).not.to.have.property("hybridnet:device");
    });

    it("refuses a second component that describes the same device, which AWS would silently share", async () => {
      // CreateCustomerGateway returns the existing gateway for the same type, IP address and BGP ASN.
      const { resources, error } = await runProgram(() => {
        new ManagedVpn("corp", vpnArgs());
        new ManagedVpn(
          "backup",
          vpnArgs({ vpcId: "vpc-0def", sites: { edge: { ...DC1, deviceName: "x" } } }),
        );
      });
      if (!(error instanceof ValidationError)) return expect.fail(`expected a ValidationError, got ${error}`);
      expect(error.where).to.equal('hybridnet:index:ManagedVpn "backup"');
      onlyProblem(
        error,
        "sites.edge.ipAddress",
        "203.0.113.10",
        'same device (ipsec.1, 203.0.113.10, BGP ASN 65010) as sites.dc1 of hybridnet:index:ManagedVpn "corp"',
      );
      expect(resources.all.filter((r) => r.name.startsWith("backup"))).to.deep.equal([]);
    });

    it("takes the same device address with another ASN, and the same device again in another program", async () => {
      const { error } = await runProgram(() => {
        new ManagedVpn("corp", vpnArgs());
        new ManagedVpn("backup", vpnArgs({ vpcId: "vpc-0def", sites: { edge: { ...DC1, bgpAsn: 65011 } } }));
      });
      expect(error).to.equal(undefined);
      await build(vpnArgs());
      await build(vpnArgs());
    });

    it("puts a 4-byte ASN above 2147483647 in bgpAsnExtended, and 2147483647 itself in bgpAsn", async () => {
      const { resources } = await build(
        vpnArgs({
          sites: {
            big: { ...DC1, bgpAsn: 4200000001 },
            edge: { ...DC2, ipAddress: "198.51.100.21", bgpAsn: 2147483647 },
          },
        }),
      );
      const big = resources.named("corp-big-cgw");
      expect(big.inputs.bgpAsnExtended).to.equal("4200000001");
      expect(big.inputs).not.to.have.property("bgpAsn");
      const edge = resources.named("corp-edge-cgw");
      expect(edge.inputs.bgpAsn).to.equal("2147483647");
      expect(edge.inputs).not.to.have.property("bgpAsnExtended");
    });

    it("creates one ipsec.1 VPN connection per site on the VGW, from that site's customer gateway", async () => {
      const { resources, vpn } = await build(vpnArgs({ sites: { dc1: DC1, dc2: DC2 } }));
      const vgwId = (await resolve(vpn.vpnGatewayId)).value;
      const cgwIds = (await resolve(vpn.customerGatewayIds)).value;
      for (const site of ["dc1", "dc2"]) {
        const connection = resources.named(`corp-${site}-vpn`);
        expect(connection.inputs.type).to.equal("ipsec.1");
        expect(connection.inputs.vpnGatewayId).to.equal(vgwId);
        expect(connection.inputs.customerGatewayId).to.equal(cgwIds[site]);
        expect(connection.inputs).not.to.have.property("transitGatewayId");
      }
    });
  });

  describe("tunnel inside CIDRs", () => {
    it("gives the two tunnels of every connection distinct, usable /30s in 169.254.0.0/16", async () => {
      const { resources, vpn } = await build(vpnArgs({ sites: sitesOf(10) }));
      const connections = await connectionsOf(vpn);
      const seen: string[] = [];
      for (const connection of resources.ofType(TYPE.vpn)) {
        const site = connection.name.replace(/^corp-/, "").replace(/-vpn$/, "");
        const inside = [tunnelInput(connection, 1, "InsideCidr"), tunnelInput(connection, 2, "InsideCidr")];
        for (const cidr of inside) expectUsableInsideCidr(cidr as string);
        expect(connections[site].tunnels.map((t) => t.insideCidr)).to.deep.equal(inside);
        seen.push(...(inside as string[]));
      }
      expect(seen).to.have.length(20);
      expect(new Set(seen).size, "inside CIDRs are unique on the gateway").to.equal(20);
    });

    it("never hands out 169.254.169.252/30, even from a pool that contains it", async () => {
      const pool = "169.254.169.240/28";
      const handedOut = new Set<string>();
      for (const key of ["a", "b", "c", "d", "e", "f", "g", "h"]) {
        const { vpn } = await build(vpnArgs({ insideCidrPool: pool, sites: { [key]: DC1 } }));
        const tunnels = (await connectionsOf(vpn))[key].tunnels;
        const inside = tunnels.map((t) => t.insideCidr);
        expect(inside[0]).not.to.equal(inside[1]);
        for (const cidr of inside) {
          expectUsableInsideCidr(cidr);
          expect(["169.254.169.240/30", "169.254.169.244/30", "169.254.169.248/30"]).to.include(cidr);
          handedOut.add(cidr);
        }
      }
      expect(handedOut.size, "every free slot of the pool is used by some key").to.equal(3);
    });

    it("uses a given inside CIDR and allocates the other tunnel around it", async () => {
      const { resources, vpn } = await build(
        vpnArgs({ sites: { dc1: { ...DC1, tunnels: [{ insideCidr: "169.254.10.0/30" }] } } }),
      );
      const connection = resources.named("corp-dc1-vpn");
      expect(tunnelInput(connection, 1, "InsideCidr")).to.equal("169.254.10.0/30");
      const other = tunnelInput(connection, 2, "InsideCidr") as string;
      expect(other).not.to.equal("169.254.10.0/30");
      expectUsableInsideCidr(other);
      const [t1] = (await connectionsOf(vpn)).dc1.tunnels;
      expect(t1).to.include({
        insideCidr: "169.254.10.0/30",
        awsInsideAddress: "169.254.10.1",
        customerInsideAddress: "169.254.10.2",
      });
    });
  });

  describe("tunnel options", () => {
    it("applies the secure defaults to both tunnels: IKEv2, AES-256, SHA-2, DH 14–21, DPD restart", async () => {
      const { resources } = await build(vpnArgs({ sites: { dc1: DC1, dc2: DC2 } }));
      for (const connection of resources.ofType(TYPE.vpn))
        for (const n of [1, 2] as const) {
          const at = `${connection.name} tunnel ${n}`;
          expect(tunnelInput(connection, n, "IkeVersions"), at).to.deep.equal(["ikev2"]);
          for (const phase of [1, 2]) {
            expect(tunnelInput(connection, n, `Phase${phase}EncryptionAlgorithms`), at).to.have.members([
              "AES256",
              "AES256-GCM-16",
            ]);
            const integrity = tunnelInput(connection, n, `Phase${phase}IntegrityAlgorithms`) as string[];
            expect(integrity, at).to.not.be.empty;
            for (const algorithm of integrity) expect(algorithm, at).to.match(/^SHA2-(256|384|512)$/);
            const groups = tunnelInput(connection, n, `Phase${phase}DhGroupNumbers`) as number[];
            expect(groups, at).to.not.be.empty;
            for (const group of groups) expect(group, at).to.be.within(14, 21);
          }
          expect(tunnelInput(connection, n, "DpdTimeoutAction"), at).to.equal("restart");
          expect(tunnelInput(connection, n, "DpdTimeoutSeconds"), at).to.equal(30);
          expect(tunnelInput(connection, n, "Phase1LifetimeSeconds"), at).to.equal(28800);
          expect(tunnelInput(connection, n, "Phase2LifetimeSeconds"), at).to.equal(3600);
        }
    });

    it("sends the tunnel options a site gives to both of its tunnels", async () => {
      const { resources } = await build(
        vpnArgs({
          sites: {
            dc1: {
              ...DC1,
              tunnelOptions: {
                phase1EncryptionAlgorithms: ["AES256-GCM-16"],
                phase2IntegrityAlgorithms: ["SHA2-512"],
                phase1DhGroupNumbers: [20, 21],
                phase1LifetimeSeconds: 14400,
                phase2LifetimeSeconds: 1800,
                dpdTimeoutSeconds: 40,
                startupAction: "start",
                rekeyMarginTimeSeconds: 600,
                replayWindowSize: 2048,
                enableTunnelLifecycleControl: true,
              },
            },
          },
        }),
      );
      const connection = resources.named("corp-dc1-vpn");
      for (const n of [1, 2] as const) {
        expect(tunnelInput(connection, n, "Phase1EncryptionAlgorithms")).to.deep.equal(["AES256-GCM-16"]);
        expect(tunnelInput(connection, n, "Phase2IntegrityAlgorithms")).to.deep.equal(["SHA2-512"]);
        expect(tunnelInput(connection, n, "Phase1DhGroupNumbers")).to.deep.equal([20, 21]);
        expect(tunnelInput(connection, n, "Phase1LifetimeSeconds")).to.equal(14400);
        expect(tunnelInput(connection, n, "Phase2LifetimeSeconds")).to.equal(1800);
        expect(tunnelInput(connection, n, "DpdTimeoutSeconds")).to.equal(40);
        expect(tunnelInput(connection, n, "StartupAction")).to.equal("start");
        expect(tunnelInput(connection, n, "RekeyMarginTimeSeconds")).to.equal(600);
        expect(tunnelInput(connection, n, "ReplayWindowSize")).to.equal(2048);
        expect(tunnelInput(connection, n, "EnableTunnelLifecycleControl")).to.equal(true);
        // Options the site left out keep the secure defaults.
        expect(tunnelInput(connection, n, "IkeVersions")).to.deep.equal(["ikev2"]);
      }
      expect(connection.inputs).not.to.have.property("allowLegacyCrypto");
    });

    it("accepts IKEv1 and other legacy crypto for an old device when allowLegacyCrypto is set", async () => {
      const { resources } = await build(
        vpnArgs({
          sites: {
            dc1: {
              ...DC1,
              tunnelOptions: {
                ikeVersions: ["ikev1", "ikev2"],
                phase1EncryptionAlgorithms: ["AES128"],
                phase1IntegrityAlgorithms: ["SHA1"],
                phase1DhGroupNumbers: [2, 14],
                allowLegacyCrypto: true,
              },
            },
          },
        }),
      );
      const connection = resources.named("corp-dc1-vpn");
      for (const n of [1, 2] as const) {
        expect(tunnelInput(connection, n, "IkeVersions")).to.deep.equal(["ikev1", "ikev2"]);
        expect(tunnelInput(connection, n, "Phase1EncryptionAlgorithms")).to.deep.equal(["AES128"]);
        expect(tunnelInput(connection, n, "Phase1IntegrityAlgorithms")).to.deep.equal(["SHA1"]);
        expect(tunnelInput(connection, n, "Phase1DhGroupNumbers")).to.deep.equal([2, 14]);
      }
    });
  });

  describe("tunnel logs", () => {
    it("sends tunnel and BGP logs of a BGP site to the component's log group", async () => {
      const { resources, vpn } = await build(vpnArgs());
      const logGroupName = (await resolve(vpn.logGroupName)).value;
      const connection = resources.named("corp-dc1-vpn");
      for (const n of [1, 2] as const) {
        const options = (tunnelInput(connection, n, "LogOptions") as Record<string, Record<string, unknown>>)
          .cloudwatchLogOptions;
        expect(options.logEnabled).to.equal(true);
        expect(options.logGroupArn).to.match(/^arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:/);
        expect(String(options.logGroupArn).endsWith(`:log-group:${logGroupName}`)).to.equal(true);
        expect(options.bgpLogEnabled).to.equal(true);
        expect(options.bgpLogGroupArn).to.equal(options.logGroupArn);
      }
    });

    it("logs tunnel activity but no BGP on a static site", async () => {
      const { resources } = await build(vpnArgs({ sites: { dc2: DC2 } }));
      const connection = resources.named("corp-dc2-vpn");
      for (const n of [1, 2] as const) {
        const options = (tunnelInput(connection, n, "LogOptions") as Record<string, Record<string, unknown>>)
          .cloudwatchLogOptions;
        expect(options.logEnabled).to.equal(true);
        expect(options).to.have.property("logGroupArn");
        expect(options).not.to.have.property("bgpLogEnabled");
        expect(options).not.to.have.property("bgpLogGroupArn");
      }
    });

    it("keeps tunnel logs 365 days by default, or the retention given", async () => {
      const byDefault = await build(vpnArgs());
      const [group] = byDefault.resources.ofType(TYPE.logGroup);
      expect(group.inputs.retentionInDays).to.equal(365);
      expect(String(group.inputs.namePrefix).startsWith("/hybridnet/vpn/corp")).to.equal(true);
      expect((await resolve(byDefault.vpn.logGroupName)).value.startsWith("/hybridnet/vpn/corp-")).to.equal(
        true,
      );
      const custom = await build(vpnArgs({ tunnelLogs: { retentionInDays: 90 } }));
      expect(custom.resources.ofType(TYPE.logGroup)[0].inputs.retentionInDays).to.equal(90);
    });
  });

  describe("pre-shared keys", () => {
    it("generates each tunnel's key with RandomPassword and passes it to the connection only as a secret", async () => {
      const { resources, vpn } = await build(vpnArgs());
      const passwords = resources.ofType(TYPE.password);
      expect(passwords.map((p) => p.name).sort()).to.deep.equal([
        "corp-dc1-tunnel1-psk",
        "corp-dc1-tunnel2-psk",
      ]);
      for (const p of passwords) {
        // AWS takes letters, digits, '.' and '_' only: no other special characters.
        expect(p.inputs.special).to.equal(false);
        expect(p.inputs.length).to.be.within(8, 64);
      }
      const connection = resources.named("corp-dc1-vpn");
      expect(connection.secretInputs).to.include.members(["tunnel1PresharedKey", "tunnel2PresharedKey"]);
      const keys = await resolve(vpn.presharedKeys);
      expect(keys.secret).to.equal(true);
      expect(keys.value.dc1).to.deep.equal([
        connection.inputs.tunnel1PresharedKey,
        connection.inputs.tunnel2PresharedKey,
      ]);
      expect(keys.value.dc1[0]).not.to.equal(keys.value.dc1[1]);
      for (const key of keys.value.dc1) expect(key).to.match(AWS_PSK);
    });

    it("uses a key the user gives, keeps it secret, and generates only the other tunnel's", async () => {
      const { resources, vpn } = await build(
        vpnArgs({ sites: { dc1: { ...DC1, tunnels: [{ presharedKey: "Given.key_0001" }] } } }),
      );
      expect(resources.ofType(TYPE.password).map((p) => p.name)).to.deep.equal(["corp-dc1-tunnel2-psk"]);
      const connection = resources.named("corp-dc1-vpn");
      expect(connection.inputs.tunnel1PresharedKey).to.equal("Given.key_0001");
      expect(connection.secretInputs).to.include("tunnel1PresharedKey");
      const keys = await resolve(vpn.presharedKeys);
      expect(keys.secret).to.equal(true);
      expect(keys.value.dc1[0]).to.equal("Given.key_0001");
    });

    it("accepts a key given as a secret Output for both tunnels", async () => {
      const { resources } = await build(
        vpnArgs({
          sites: {
            dc1: {
              ...DC1,
              tunnels: [
                { presharedKey: pulumi.secret("First.key_1") },
                { presharedKey: pulumi.secret("Second.key_2") },
              ],
            },
          },
        }),
      );
      expect(resources.ofType(TYPE.password)).to.have.length(0);
      const connection = resources.named("corp-dc1-vpn");
      expect(connection.inputs).to.include({
        tunnel1PresharedKey: "First.key_1",
        tunnel2PresharedKey: "Second.key_2",
      });
      expect(connection.secretInputs).to.include.members(["tunnel1PresharedKey", "tunnel2PresharedKey"]);
    });
  });

  describe("routing", () => {
    it("on a static site sets staticRoutesOnly and adds one VPN connection route per prefix", async () => {
      const { resources, vpn } = await build(vpnArgs({ sites: { dc2: DC2 } }));
      const connection = resources.named("corp-dc2-vpn");
      expect(connection.inputs.staticRoutesOnly).to.equal(true);
      const connectionId = (await connectionsOf(vpn)).dc2.connectionId;
      const routes = resources.ofType(TYPE.route);
      expect(routes.map((r) => r.inputs.destinationCidrBlock).sort()).to.deep.equal(DC2.prefixes);
      for (const route of routes) expect(route.inputs.vpnConnectionId).to.equal(connectionId);
    });

    it("on a BGP site learns routes dynamically: staticRoutesOnly false and no static routes", async () => {
      const { resources } = await build(
        vpnArgs({ sites: { dc1: { ...DC1, prefixes: ["192.168.0.0/16", "10.50.0.0/16"] } } }),
      );
      expect(resources.named("corp-dc1-vpn").inputs.staticRoutesOnly).to.equal(false);
      expect(resources.ofType(TYPE.route)).to.have.length(0);
    });

    it("accepts 100 routes on a static site, one VpnConnectionRoute each", async () => {
      const prefixes = Array.from({ length: 100 }, (_, i) => `172.16.${i}.0/24`);
      const { resources } = await build(vpnArgs({ sites: { dc2: { ...DC2, prefixes } } }));
      expect(resources.ofType(TYPE.route)).to.have.length(100);
    });

    it("propagates on-premises routes into each route table given, from the VGW", async () => {
      const { resources, vpn } = await build(
        vpnArgs({ routeTableIds: { private: "rtb-0private", data: "rtb-0data" } }),
      );
      const vgwId = (await resolve(vpn.vpnGatewayId)).value;
      const propagations = resources.ofType(TYPE.propagation);
      expect(propagations.map((p) => [p.name, p.inputs.routeTableId]).sort()).to.deep.equal([
        ["corp-propagate-data", "rtb-0data"],
        ["corp-propagate-private", "rtb-0private"],
      ]);
      for (const p of propagations) expect(p.inputs.vpnGatewayId).to.equal(vgwId);
    });

    it("propagates into no route table when none is given", async () => {
      const { resources } = await build(vpnArgs());
      expect(resources.ofType(TYPE.propagation)).to.have.length(0);
    });
  });

  describe("security group ingress", () => {
    it("opens the security group to every on-premises prefix on every port rule", async () => {
      const { resources } = await build(
        vpnArgs({
          sites: { dc1: DC1, dc2: DC2 },
          securityGroupIngress: {
            securityGroupId: "sg-0app",
            ports: [
              { protocol: "tcp", fromPort: 443 },
              { protocol: "udp", fromPort: 5000, toPort: 5100, description: "media" },
            ],
          },
        }),
      );
      const rules = resources.ofType(TYPE.ingress);
      expect(rules).to.have.length(6);
      const seen = rules.map(
        (r) => `${r.inputs.ipProtocol} ${r.inputs.fromPort}-${r.inputs.toPort} ${r.inputs.cidrIpv4}`,
      );
      expect(seen.sort()).to.deep.equal([
        "tcp 443-443 172.16.0.0/16",
        "tcp 443-443 172.17.0.0/16",
        "tcp 443-443 192.168.0.0/16",
        "udp 5000-5100 172.16.0.0/16",
        "udp 5000-5100 172.17.0.0/16",
        "udp 5000-5100 192.168.0.0/16",
      ]);
      for (const r of rules) expect(r.inputs.securityGroupId).to.equal("sg-0app");
      expect(
        rules.filter((r) => r.inputs.ipProtocol === "udp").map((r) => r.inputs.description),
      ).to.deep.equal(["media", "media", "media"]);
    });

    it("opens all traffic without ports for protocol -1, and opens nothing when not asked", async () => {
      const all = await build(
        vpnArgs({ securityGroupIngress: { securityGroupId: "sg-0app", ports: [{ protocol: "-1" }] } }),
      );
      const [rule] = all.resources.ofType(TYPE.ingress);
      expect(rule.inputs).to.include({ ipProtocol: "-1", cidrIpv4: "192.168.0.0/16" });
      expect(rule.inputs).not.to.have.property("fromPort");
      expect(rule.inputs).not.to.have.property("toPort");
      const none = await build(vpnArgs());
      expect(none.resources.ofType(TYPE.ingress)).to.have.length(0);
    });
  });

  describe("tunnel alarms", () => {
    it("watches each tunnel's TunnelState by its VPN id and outside address", async () => {
      const { resources, vpn } = await build(vpnArgs({ sites: { dc1: DC1, dc2: DC2 } }));
      const connections = await connectionsOf(vpn);
      expect(resources.ofType(TYPE.alarm).filter((a) => a.name.includes("-tunnel"))).to.have.length(4);
      for (const site of ["dc1", "dc2"])
        for (const n of [1, 2] as const) {
          const alarm = resources.named(`corp-${site}-tunnel${n}-down`);
          expect(alarm.inputs).to.include({
            namespace: "AWS/VPN",
            metricName: "TunnelState",
            comparisonOperator: "LessThanThreshold",
            threshold: 1,
            treatMissingData: "breaching",
          });
          expect(alarm.inputs.dimensions).to.deep.equal({
            VpnId: connections[site].connectionId,
            TunnelIpAddress: connections[site].tunnels[n - 1].outsideAddress,
          });
        }
      const dc1 = connections.dc1.tunnels.map((t) => t.outsideAddress);
      expect(dc1[0]).not.to.equal(dc1[1]);
    });

    it("pages the given actions when a connection is down and back; a tunnel down only warns", async () => {
      const topic = "arn:aws:sns:us-east-1:111122223333:netops";
      const { resources } = await build(
        vpnArgs({ tunnelAlarms: { actions: [topic], evaluationPeriods: 3 } }),
      );
      const alarms = resources.ofType(TYPE.alarm);
      expect(alarms.map((a) => a.name).sort()).to.deep.equal([
        "corp-dc1-down",
        "corp-dc1-tunnel1-down",
        "corp-dc1-tunnel2-down",
      ]);
      for (const alarm of alarms) {
        const paged = alarm.name.endsWith("dc1-down") ? [topic] : [];
        expect(alarm.inputs.alarmActions, alarm.name).to.deep.equal(paged);
        expect(alarm.inputs.okActions, alarm.name).to.deep.equal(paged);
        expect(alarm.inputs.evaluationPeriods).to.equal(3);
      }
    });
  });

  describe("outputs", () => {
    it("reports each site's connection with its tunnels' outside and inside addresses", async () => {
      const { resources, vpn } = await build(vpnArgs({ sites: { dc1: DC1, dc2: DC2 } }));
      const connections = await resolve(vpn.connections);
      expect(connections.secret).to.equal(false);
      expect(Object.keys(connections.value).sort()).to.deep.equal(["dc1", "dc2"]);
      const cgwIds = (await resolve(vpn.customerGatewayIds)).value;
      for (const site of ["dc1", "dc2"]) {
        const info = connections.value[site];
        expect(info.site).to.equal(site);
        expect(info.connectionId).to.match(/^vpn-[0-9a-f]+$/);
        expect(info.customerGatewayId).to.equal(cgwIds[site]);
        expect(info).not.to.have.property("transitGatewayAttachmentId");
        expect(info.tunnels).to.have.length(2);
        const registered = resources.named(`corp-${site}-vpn`);
        info.tunnels.forEach((t, i) => {
          expect(t.outsideAddress).to.match(/^\d+\.\d+\.\d+\.\d+$/);
          expect(t.insideCidr).to.equal(registered.inputs[`tunnel${i + 1}InsideCidr`]);
          const first = ipv4ToNumber(t.insideCidr.split("/")[0]);
          expect(ipv4ToNumber(t.awsInsideAddress)).to.equal(first + 1);
          expect(ipv4ToNumber(t.customerInsideAddress)).to.equal(first + 2);
        });
      }
    });

    it("reports customer gateway ids by site, the vgw- id and the log group name", async () => {
      const { vpn } = await build(vpnArgs({ sites: { dc1: DC1, dc2: DC2 } }));
      const cgwIds = (await resolve(vpn.customerGatewayIds)).value;
      expect(Object.keys(cgwIds).sort()).to.deep.equal(["dc1", "dc2"]);
      for (const id of Object.values(cgwIds)) expect(id).to.match(/^cgw-/);
      expect(cgwIds.dc1).not.to.equal(cgwIds.dc2);
      expect((await resolve(vpn.vpnGatewayId)).value).to.match(/^vgw-/);
      expect((await resolve(vpn.logGroupName)).value).to.match(/^\/hybridnet\/vpn\/corp-/);
    });

    it("tags every AWS resource with the user's tags and the component", async () => {
      const { resources } = await build(vpnArgs({ tags: { team: "network" } }));
      for (const type of [TYPE.vgw, TYPE.cgw, TYPE.vpn, TYPE.logGroup, TYPE.alarm])
        for (const r of resources.ofType(type))
          expect(r.inputs.tags, r.name).to.include({ team: "network", "hybridnet:component": "corp" });
    });
  });

  describe("stability", () => {
    it("adding a site changes neither an existing site's inside CIDRs nor its resource names", async () => {
      const before = await build(vpnArgs({ sites: { dc1: DC1 } }));
      const after = await build(vpnArgs({ sites: { colo: branch(7), dc1: DC1, dc2: DC2 } }));
      const names = (r: ResourceList) => r.all.map((x) => `${x.type}::${x.name}`);
      expect(names(after.resources)).to.include.members(names(before.resources));
      const insideBefore = (await connectionsOf(before.vpn)).dc1.tunnels.map((t) => t.insideCidr);
      const insideAfter = (await connectionsOf(after.vpn)).dc1.tunnels.map((t) => t.insideCidr);
      expect(insideAfter).to.deep.equal(insideBefore);
      const connection = (r: ResourceList) => r.named("corp-dc1-vpn").inputs;
      expect(connection(after.resources).tunnel1InsideCidr).to.equal(
        connection(before.resources).tunnel1InsideCidr,
      );
      expect(connection(after.resources).tunnel2InsideCidr).to.equal(
        connection(before.resources).tunnel2InsideCidr,
      );
    });

    it("gives the same inside CIDRs whatever order the sites are listed in", async () => {
      const a = await build(vpnArgs({ sites: { dc1: DC1, dc2: DC2 } }));
      const b = await build(vpnArgs({ sites: { dc2: DC2, dc1: DC1 } }));
      const inside = async (vpn: ManagedVpn) =>
        Object.fromEntries(
          Object.entries(await connectionsOf(vpn)).map(([k, v]) => [k, v.tunnels.map((t) => t.insideCidr)]),
        );
      expect(await inside(b.vpn)).to.deep.equal(await inside(a.vpn));
    });
  });

  describe("bad input", () => {
    it("refuses an on-premises prefix that overlaps the VPC", async () => {
      const error = await refused(
        vpnArgs({ sites: { dc1: { ...DC1, prefixes: ["192.168.0.0/16", "10.0.8.0/21"] } } }),
      );
      onlyProblem(
        error,
        "sites.dc1.prefixes[1]",
        "10.0.8.0/21",
        "overlaps the VPC CIDR 10.0.0.0/16 (vpcCidrs[0])",
      );
    });

    it("refuses a VPC CIDR that is not a network, naming the network it probably meant", async () => {
      const error = await refused(vpnArgs({ vpcCidrs: ["10.0.0.1/16"] }));
      onlyProblem(error, "vpcCidrs[0]", "10.0.0.1/16", "the network is 10.0.0.0/16");
    });

    it("refuses an inside CIDR AWS reserves", async () => {
      for (const reserved of ["169.254.169.252/30", "169.254.3.0/30"]) {
        const error = await refused(
          vpnArgs({ sites: { dc1: { ...DC1, tunnels: [{}, { insideCidr: reserved }] } } }),
        );
        onlyProblem(error, "sites.dc1.tunnels[1].insideCidr", reserved, "reserved by AWS");
      }
    });

    it("refuses an inside CIDR that is not a /30 in 169.254.0.0/16", async () => {
      for (const bad of ["169.254.10.0/29", "10.0.0.0/30", "169.254.10.1/30"]) {
        const error = await refused(vpnArgs({ sites: { dc1: { ...DC1, tunnels: [{ insideCidr: bad }] } } }));
        onlyProblem(error, "sites.dc1.tunnels[0].insideCidr", bad, "use a /30 in 169.254.0.0/16");
      }
    });

    it("refuses the same inside CIDR on two sites", async () => {
      const error = await refused(
        vpnArgs({
          sites: {
            dc1: { ...DC1, tunnels: [{ insideCidr: "169.254.10.0/30" }] },
            dc2: { ...DC2, tunnels: [{}, { insideCidr: "169.254.10.0/30" }] },
          },
        }),
      );
      onlyProblem(
        error,
        "sites.dc2.tunnels[1].insideCidr",
        "169.254.10.0/30",
        "same inside CIDR as sites.dc1.tunnels[0].insideCidr",
      );
    });

    it("refuses a pre-shared key AWS would reject, without printing the key", async () => {
      for (const key of ["0Hunter2secret", "short1", "has-a-dash-key", "x".repeat(65)]) {
        const error = await refused(
          vpnArgs({ sites: { dc1: { ...DC1, tunnels: [{ presharedKey: key }] } } }),
        );
        const problem = onlyProblem(error, "sites.dc1.tunnels[0].presharedKey", key, "not starting with 0");
        expect(problem.secret).to.equal(true);
        expect(error.message).to.include("sites.dc1.tunnels[0].presharedKey = [secret]: ");
        expect(error.message).not.to.include(key);
      }
    });

    it("refuses a secret key AWS would reject with its ValidationError, before anything registers", async () => {
      // The README's way: config.requireSecret. The key is known only when the Output resolves, so the
      // component's own registration waits for the check; nothing registers with a bad key.
      const error = await refused(
        vpnArgs({
          sites: {
            dc1: {
              ...DC1,
              tunnels: [
                { presharedKey: pulumi.secret("0Hunter2secret") },
                { presharedKey: pulumi.secret("short") },
              ],
            },
          },
        }),
      );
      expect(error.problems.map((p) => [p.path, p.secret])).to.deep.equal([
        ["sites.dc1.tunnels[0].presharedKey", true],
        ["sites.dc1.tunnels[1].presharedKey", true],
      ]);
      expect(error.message).to.include(
        "sites.dc1.tunnels[0].presharedKey = [secret]: pre-shared key must be",
      );
      expect(error.message).not.to.include("Hunter2");
      expect(error.message).not.to.include("short:");
    });

    it("refuses a customer ASN AWS reserves", async () => {
      const error = await refused(vpnArgs({ sites: { dc1: { ...DC1, bgpAsn: 7224 } } }));
      onlyProblem(error, "sites.dc1.bgpAsn", 7224, "reserved by AWS");
    });

    it("refuses a customer ASN outside 1–4294967295", async () => {
      for (const asn of [0, 4294967296, 65001.5]) {
        const error = await refused(vpnArgs({ sites: { dc1: { ...DC1, bgpAsn: asn } } }));
        onlyProblem(error, "sites.dc1.bgpAsn", asn, "1–4294967295");
      }
    });

    it("takes 4294967295, the top of CreateCustomerGateway's BgpAsnExtended range", async () => {
      const { resources } = await build(vpnArgs({ sites: { dc1: { ...DC1, bgpAsn: 4294967295 } } }));
      expect(resources.named("corp-dc1-cgw").inputs).to.include({ bgpAsnExtended: "4294967295" });
    });

    it("refuses a BGP site whose ASN equals the Amazon side ASN", async () => {
      const byDefault = await refused(vpnArgs({ sites: { dc1: { ...DC1, bgpAsn: 64512 } } }));
      onlyProblem(byDefault, "sites.dc1.bgpAsn", 64512, "equals the Amazon side ASN 64512");
      const custom = await refused(vpnArgs({ amazonSideAsn: 65010 }));
      onlyProblem(custom, "sites.dc1.bgpAsn", 65010, "equals the Amazon side ASN 65010");
    });

    it("refuses an Amazon side ASN that is not private", async () => {
      for (const asn of [65535, 7224, 4294967295, 64511]) {
        const error = await refused(vpnArgs({ amazonSideAsn: asn }));
        onlyProblem(error, "amazonSideAsn", asn, "64512–65534 or 4200000000–4294967294");
      }
    });

    it("refuses a customer gateway address that is not internet-routable", async () => {
      for (const [address, block] of [
        ["10.20.30.40", "10.0.0.0/8"],
        ["192.168.1.1", "192.168.0.0/16"],
        ["100.64.0.1", "100.64.0.0/10"],
      ]) {
        const error = await refused(vpnArgs({ sites: { dc1: { ...DC1, ipAddress: address } } }));
        onlyProblem(error, "sites.dc1.ipAddress", address, `in ${block}, which is not internet-routable`);
      }
      const notAnAddress = await refused(
        vpnArgs({ sites: { dc1: { ...DC1, ipAddress: "edge.example.com" } } }),
      );
      onlyProblem(notAnAddress, "sites.dc1.ipAddress", "edge.example.com", "not an IPv4 address");
    });

    it("refuses two sites on the same customer gateway address", async () => {
      const error = await refused(
        vpnArgs({ sites: { dc1: DC1, dc2: { ...DC2, ipAddress: DC1.ipAddress } } }),
      );
      onlyProblem(error, "sites.dc2.ipAddress", DC1.ipAddress, "also used by sites.dc1");
    });

    it("refuses more than two tunnels on one connection", async () => {
      const tunnels = [{}, {}, {}];
      const error = await refused(vpnArgs({ sites: { dc1: { ...DC1, tunnels } } }));
      onlyProblem(error, "sites.dc1.tunnels", tunnels, "a VPN connection has exactly two tunnels");
    });

    it("accepts 10 sites and refuses an 11th above the VGW's default quota", async () => {
      await build(vpnArgs({ sites: sitesOf(10) }));
      const error = await refused(vpnArgs({ sites: sitesOf(11) }));
      onlyProblem(error, "sites", "11 sites", "at most 10 VPN connections per virtual private gateway");
    });

    it("accepts more than 10 sites when vpnConnectionQuota says the quota was raised", async () => {
      const { resources } = await build(vpnArgs({ sites: sitesOf(11), vpnConnectionQuota: 20 }));
      expect(resources.ofType(TYPE.vpn)).to.have.length(11);
      const error = await refused(vpnArgs({ sites: sitesOf(12), vpnConnectionQuota: 11 }));
      onlyProblem(error, "sites", "12 sites", "at most 11 VPN connections");
    });

    it("refuses more than 100 prefixes on one site", async () => {
      const prefixes = Array.from({ length: 101 }, (_, i) => `172.16.${i}.0/24`);
      const error = await refused(vpnArgs({ sites: { dc1: { ...DC1, prefixes } } }));
      onlyProblem(error, "sites.dc1.prefixes", "101 prefixes", "at most 100 routes per VPN connection");
    });

    it("refuses a site key that cannot name resources", async () => {
      for (const key of ["dc_1", "-dc", "dc.1", "d".repeat(33)]) {
        const error = await refused(vpnArgs({ sites: { [key]: DC1 } }));
        onlyProblem(error, `sites.${key}`, key, "1–32 letters, digits or '-'");
      }
    });

    it("refuses no sites at all", async () => {
      const error = await refused(vpnArgs({ sites: {} }));
      onlyProblem(error, "sites", {}, "at least one site");
    });

    it("refuses a log retention CloudWatch Logs does not offer", async () => {
      const error = await refused(vpnArgs({ tunnelLogs: { retentionInDays: 42 } }));
      onlyProblem(
        error,
        "tunnelLogs.retentionInDays",
        42,
        "a CloudWatch Logs retention in days: 1, 3, 5, 7, 14",
      );
    });

    it("refuses a port rule with a bad port range or protocol", async () => {
      const ingress = (ports: unknown) =>
        vpnArgs({ securityGroupIngress: { securityGroupId: "sg-0app", ports: ports as never } });
      onlyProblem(
        await refused(ingress([{ protocol: "tcp", fromPort: 443, toPort: 70000 }])),
        "securityGroupIngress.ports[0].toPort",
        70000,
        "an integer in 0–65535",
      );
      onlyProblem(
        await refused(ingress([{ protocol: "udp", fromPort: -5, toPort: 53 }])),
        "securityGroupIngress.ports[0].fromPort",
        -5,
        "an integer in 0–65535",
      );
      onlyProblem(
        await refused(
          ingress([
            { protocol: "tcp", fromPort: 443 },
            { protocol: "tcp", fromPort: 443, toPort: 80 },
          ]),
        ),
        "securityGroupIngress.ports[1].toPort",
        80,
        "at least fromPort (443)",
      );
      onlyProblem(
        await refused(ingress([{ protocol: "gre" }])),
        "securityGroupIngress.ports[0].protocol",
        "gre",
        "one of tcp, udp, icmp, icmpv6, -1",
      );
      onlyProblem(await refused(ingress([])), "securityGroupIngress.ports", [], "at least one");
    });

    it("refuses weak crypto unless allowLegacyCrypto is set", async () => {
      const error = await refused(
        vpnArgs({
          sites: {
            dc1: {
              ...DC1,
              tunnelOptions: {
                ikeVersions: ["ikev1"],
                phase1EncryptionAlgorithms: ["AES128", "AES256"],
                phase2IntegrityAlgorithms: ["SHA1"],
                phase1DhGroupNumbers: [2, 14],
              },
            },
          },
        }),
      );
      const at = "sites.dc1.tunnelOptions";
      expect(error.problems).to.have.length(4);
      problemAt(error, `${at}.ikeVersions`, ["ikev1"], "allowLegacyCrypto: true");
      problemAt(error, `${at}.phase1EncryptionAlgorithms`, ["AES128"], "AES-128");
      problemAt(error, `${at}.phase2IntegrityAlgorithms`, ["SHA1"], "SHA1 is deprecated");
      problemAt(error, `${at}.phase1DhGroupNumbers`, [2], "use 14–21");
    });

    it("refuses a phase 2 lifetime that is not below the phase 1 lifetime", async () => {
      const equal = await refused(
        vpnArgs({ sites: { dc1: { ...DC1, tunnelOptions: { phase1LifetimeSeconds: 3600 } } } }),
      );
      onlyProblem(
        equal,
        "sites.dc1.tunnelOptions.phase2LifetimeSeconds",
        3600,
        "less than the phase 1 lifetime (3600 s)",
      );
      const longer = await refused(
        vpnArgs({
          sites: {
            dc1: { ...DC1, tunnelOptions: { phase1LifetimeSeconds: 1200, phase2LifetimeSeconds: 1800 } },
          },
        }),
      );
      onlyProblem(
        longer,
        "sites.dc1.tunnelOptions.phase2LifetimeSeconds",
        1800,
        "less than the phase 1 lifetime (1200 s)",
      );
    });

    it("refuses transit-gateway-only site fields (ECMP bandwidth, acceleration) on a VGW", async () => {
      const error = await refused(
        vpnArgs({ sites: { dc1: { ...DC1, bandwidthGbps: 2, accelerated: true } as VpnSite } }),
      );
      expect(error.problems).to.have.length(2);
      problemAt(error, "sites.dc1.bandwidthGbps", 2, "only on a transit gateway (TransitGatewayVpn)");
      problemAt(error, "sites.dc1.accelerated", true, "only on a transit gateway (TransitGatewayVpn)");
    });

    it("reports every problem together in one error", async () => {
      const error = await refused(
        vpnArgs({
          amazonSideAsn: 100,
          sites: {
            dc1: { ...DC1, ipAddress: "10.0.0.1", bgpAsn: 7224 },
            dc_2: DC2,
          },
          tunnelLogs: { retentionInDays: 42 },
        }),
      );
      expect(error.message).to.include(": 5 invalid arguments\n");
      expect(error.problems.map((p) => p.path).sort()).to.deep.equal([
        "amazonSideAsn",
        "sites.dc1.bgpAsn",
        "sites.dc1.ipAddress",
        "sites.dc_2",
        "tunnelLogs.retentionInDays",
      ]);
      problemAt(error, "amazonSideAsn", 100, "private ASN");
      problemAt(error, "sites.dc1.ipAddress", "10.0.0.1", "not internet-routable");
      problemAt(error, "sites.dc1.bgpAsn", 7224, "reserved by AWS");
      problemAt(error, "sites.dc_2", "dc_2", "letters, digits or '-'");
      problemAt(error, "tunnelLogs.retentionInDays", 42, "CloudWatch Logs retention");
    });
  });
});
