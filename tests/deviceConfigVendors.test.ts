/**
 * The Cisco IOS-XE and Juniper SRX renderers (model/deviceConfig) on hand-made sites: the expected lines are
 * written out from AWS's downloadable configurations for these devices and the vendors' syntax (IKEv2
 * proposal/policy/keyring/profile and IPsec transform set/profile on IOS-XE; ike/ipsec proposal, policy,
 * gateway and vpn bound to st0.N on Junos), for the secure defaults and a legacy site, BGP and static routing,
 * two tunnels, a placeholder and a shown pre-shared key; and the refusals of what a format cannot express.
 */
import { expect } from "chai";
import { DeviceConfigError, type DeviceSite, renderDeviceConfig } from "../model/deviceConfig";
import { renderCiscoIosXe } from "../model/deviceConfig/ciscoIosXe";
import { AWS_TUNNEL_DEFAULTS, tunnelOptionsOf } from "../model/deviceConfig/fromResources";
import { renderJuniperSrx } from "../model/deviceConfig/juniperSrx";
import { type ResolvedTunnelOptions, SECURE_TUNNEL_DEFAULTS } from "../model/tunnelOptions";

const LEGACY: ResolvedTunnelOptions = {
  ...SECURE_TUNNEL_DEFAULTS,
  ikeVersions: ["ikev1", "ikev2"],
  phase1EncryptionAlgorithms: ["AES128"],
  phase2EncryptionAlgorithms: ["AES128"],
  phase1IntegrityAlgorithms: ["SHA1"],
  phase2IntegrityAlgorithms: ["SHA1"],
  phase1DhGroupNumbers: [2],
  phase2DhGroupNumbers: [2],
  phase1LifetimeSeconds: 28800,
  phase2LifetimeSeconds: 3600,
  dpdTimeoutSeconds: 30,
  dpdTimeoutAction: "clear",
};

function site(
  overrides: Partial<DeviceSite> = {},
  options: ResolvedTunnelOptions = SECURE_TUNNEL_DEFAULTS,
): DeviceSite {
  return {
    stack: "connectivity-dev",
    component: 'hybridnet:index:TransitGatewayVpn "dc"',
    site: "dc1",
    customerOutsideAddress: "203.0.113.10",
    customerAsn: 65001,
    awsAsn: 64512,
    routing: "bgp",
    customerPrefixes: ["172.16.0.0/16"],
    awsPrefixes: ["10.10.0.0/20"],
    insideIpVersion: "ipv4",
    presharedKeyOutput: "vpnPresharedKeys",
    connections: [
      {
        key: "dc1-1",
        connectionId: "vpn-0123456789abcdef0",
        tunnels: [
          {
            number: 1,
            awsOutsideAddress: "198.51.100.1",
            insideCidr: "169.254.10.0/30",
            awsInsideAddress: "169.254.10.1",
            customerInsideAddress: "169.254.10.2",
            options,
          },
          {
            number: 2,
            awsOutsideAddress: "198.51.100.2",
            insideCidr: "169.254.11.0/30",
            awsInsideAddress: "169.254.11.1",
            customerInsideAddress: "169.254.11.2",
            options,
          },
        ],
      },
    ],
    ...overrides,
  };
}

function withKeys(s: DeviceSite, keys: [string, string]): DeviceSite {
  return {
    ...s,
    connections: s.connections.map((c) => ({
      ...c,
      tunnels: c.tunnels.map((t, i) => ({ ...t, presharedKey: keys[i] })),
    })),
  };
}

function lines(text: string): string[] {
  return text.split("\n");
}

/** The one file of a vendor rendering, as lines. */
function rendered(s: DeviceSite, format: "cisco-ios-xe" | "juniper-srx"): string[] {
  const files = renderDeviceConfig(s, format).files;
  expect(Object.keys(files)).to.deep.equal([`${s.site}-${format}.txt`]);
  return lines(Object.values(files)[0]);
}

/** `expected` appear in `actual` in this order, each a whole line. */
function inOrder(actual: string[], expected: string[]): void {
  let at = -1;
  for (const line of expected) {
    const next = actual.indexOf(line, at + 1);
    expect(next, `"${line}" after line ${at} in\n${actual.join("\n")}`).to.be.greaterThan(at);
    at = next;
  }
}

describe("device configurations: Cisco IOS-XE", () => {
  it("writes the IKEv2 proposals, policy, keyring and profile of the secure defaults", () => {
    const out = rendered(site(), "cisco-ios-xe");
    inOrder(out, [
      "crypto ikev2 proposal AWS-IKEV2-CBC",
      " encryption aes-cbc-256",
      " integrity sha256 sha384 sha512",
      // Groups 17 and 18 (MODP 6144/8192) have no IOS-XE keyword: every other allowed group is proposed.
      " group 14 15 16 19 20 21",
      "crypto ikev2 proposal AWS-IKEV2-GCM",
      " encryption aes-gcm-256",
      " prf sha256 sha384 sha512",
      " group 14 15 16 19 20 21",
      "crypto ikev2 policy AWS-IKEV2-POLICY",
      " match address local 203.0.113.10",
      " proposal AWS-IKEV2-CBC",
      " proposal AWS-IKEV2-GCM",
      "crypto ikev2 keyring AWS-dc1-1-T1",
      " peer AWS-dc1-1-T1",
      "  address 198.51.100.1",
      "crypto ikev2 profile AWS-dc1-1-T1",
      " match identity remote address 198.51.100.1 255.255.255.255",
      " identity local address 203.0.113.10",
      " authentication remote pre-share",
      " authentication local pre-share",
      " keyring local AWS-dc1-1-T1",
      " lifetime 28800",
      " dpd 10 3 periodic",
    ]);
    expect(out).to.include("!   dc1 phase 1 phase1DhGroupNumbers 17");
    expect(out).to.include("!   dc1 phase 1 phase1DhGroupNumbers 18");
  });

  it("writes the transform sets, IPsec profile and one tunnel interface per tunnel", () => {
    const out = rendered(site(), "cisco-ios-xe");
    inOrder(out, [
      "crypto ipsec transform-set AWS-dc1-1-T1-TS1 esp-aes 256 esp-sha256-hmac",
      "crypto ipsec transform-set AWS-dc1-1-T1-TS2 esp-aes 256 esp-sha384-hmac",
      "crypto ipsec transform-set AWS-dc1-1-T1-TS3 esp-aes 256 esp-sha512-hmac",
      "crypto ipsec transform-set AWS-dc1-1-T1-TS4 esp-gcm 256",
      "crypto ipsec profile AWS-dc1-1-T1",
      " set transform-set AWS-dc1-1-T1-TS1 AWS-dc1-1-T1-TS2 AWS-dc1-1-T1-TS3 AWS-dc1-1-T1-TS4",
      " set pfs group20",
      " set security-association lifetime seconds 3600",
      " set security-association replay window-size 1024",
      " set ikev2-profile AWS-dc1-1-T1",
      "interface Tunnel1",
      " ip address 169.254.10.2 255.255.255.252",
      " ip mtu 1436",
      " ip tcp adjust-mss 1379",
      " tunnel mode ipsec ipv4",
      " tunnel destination 198.51.100.1",
      " tunnel protection ipsec profile AWS-dc1-1-T1",
      "crypto ikev2 keyring AWS-dc1-1-T2",
      "  address 198.51.100.2",
      "interface Tunnel2",
      " ip address 169.254.11.2 255.255.255.252",
      " tunnel destination 198.51.100.2",
      " tunnel protection ipsec profile AWS-dc1-1-T2",
    ]);
  });

  it("peers BGP with AWS's inside addresses and timers (keepalive 10, hold 30) and announces the site", () => {
    inOrder(rendered(site(), "cisco-ios-xe"), [
      "router bgp 65001",
      " neighbor 169.254.10.1 remote-as 64512",
      " neighbor 169.254.10.1 timers 10 30 30",
      " neighbor 169.254.11.1 remote-as 64512",
      " neighbor 169.254.11.1 timers 10 30 30",
      " address-family ipv4 unicast",
      "  network 172.16.0.0 mask 255.255.0.0",
      "  neighbor 169.254.10.1 activate",
      "  neighbor 169.254.11.1 activate",
      " exit-address-family",
    ]);
  });

  it("routes AWS's networks over the tunnels with static routing: tunnel 2 as the fallback", () => {
    const out = rendered(site({ routing: "static" }), "cisco-ios-xe");
    inOrder(out, ["ip route 10.10.0.0 255.255.240.0 Tunnel1", "ip route 10.10.0.0 255.255.240.0 Tunnel2 10"]);
    expect(out.some((l) => l.startsWith("router bgp"))).to.equal(false);
  });

  it("writes a legacy site's AES128, SHA1 and group 2 exactly", () => {
    const out = rendered(site({}, LEGACY), "cisco-ios-xe");
    inOrder(out, [
      "crypto ikev2 proposal AWS-IKEV2-CBC",
      " encryption aes-cbc-128",
      " integrity sha1",
      " group 2",
      "crypto ipsec transform-set AWS-dc1-1-T1-TS1 esp-aes 128 esp-sha-hmac",
      " set pfs group2",
    ]);
    expect(out.some((l) => l.includes("GCM") || l.includes("aes-cbc-256"))).to.equal(false);
  });

  it("writes a placeholder naming the stack output without the key, the key when shown", () => {
    const hidden = rendered(site(), "cisco-ios-xe");
    expect(hidden).to.include("  pre-shared-key <vpnPresharedKeys.dc1-1[0]>");
    expect(hidden).to.include("  pre-shared-key <vpnPresharedKeys.dc1-1[1]>");
    expect(hidden.join("\n")).to.include(
      'pulumi stack output vpnPresharedKeys --stack connectivity-dev --show-secrets, then ["dc1-1"][0]',
    );
    const shown = rendered(withKeys(site(), ["k3yOne_for.tunnel1", "k3yTwo_for.tunnel2"]), "cisco-ios-xe");
    expect(shown).to.include("  pre-shared-key k3yOne_for.tunnel1");
    expect(shown).to.include("  pre-shared-key k3yTwo_for.tunnel2");
    expect(shown.join("\n")).to.not.include("vpnPresharedKeys");
  });

  it("refuses what IOS-XE cannot express, naming the field and what it takes", () => {
    const refuses = (options: Partial<ResolvedTunnelOptions>, field: string) => {
      expect(() => renderCiscoIosXe(site({}, { ...SECURE_TUNNEL_DEFAULTS, ...options })))
        .to.throw(DeviceConfigError)
        .with.property("path")
        .that.includes(field);
    };
    refuses({ phase1DhGroupNumbers: [17, 18] }, "phase1DhGroupNumbers");
    refuses({ phase2DhGroupNumbers: [22, 23] }, "phase2DhGroupNumbers");
    refuses({ ikeVersions: ["ikev1"] }, "ikeVersions");
    refuses({ replayWindowSize: 2048 }, "replayWindowSize");
    // Two tunnels of one device with different phase 1 groups: IOS-XE picks proposals by local address.
    const mixed = site();
    mixed.connections[0].tunnels[1] = {
      ...mixed.connections[0].tunnels[1],
      options: { ...SECURE_TUNNEL_DEFAULTS, phase1DhGroupNumbers: [20] },
    };
    expect(() => renderCiscoIosXe(mixed)).to.throw(DeviceConfigError, /local address/);
    expect(() => renderCiscoIosXe(site({ insideIpVersion: "ipv6" }))).to.throw(DeviceConfigError, /IPv4/);
  });
});

describe("device configurations: Juniper SRX", () => {
  it("writes IKE proposals, policy and gateway with dead peer detection for the secure defaults", () => {
    inOrder(rendered(site(), "juniper-srx"), [
      "set security flow tcp-mss ipsec-vpn mss 1379",
      "set interfaces st0 unit 1 family inet address 169.254.10.2/30",
      "set interfaces st0 unit 1 family inet mtu 1436",
      "set security zones security-zone aws interfaces st0.1 host-inbound-traffic protocols bgp",
      "set security ike proposal aws-dc1-1-t1-ike-1 authentication-method pre-shared-keys",
      "set security ike proposal aws-dc1-1-t1-ike-1 dh-group group20",
      "set security ike proposal aws-dc1-1-t1-ike-1 authentication-algorithm sha-256",
      "set security ike proposal aws-dc1-1-t1-ike-1 encryption-algorithm aes-256-cbc",
      "set security ike proposal aws-dc1-1-t1-ike-1 lifetime-seconds 28800",
      "set security ike proposal aws-dc1-1-t1-ike-2 dh-group group20",
      "set security ike proposal aws-dc1-1-t1-ike-2 encryption-algorithm aes-256-gcm",
      "set security ike policy aws-dc1-1-t1 proposals [ aws-dc1-1-t1-ike-1 aws-dc1-1-t1-ike-2 ]",
      'set security ike policy aws-dc1-1-t1 pre-shared-key ascii-text "<vpnPresharedKeys.dc1-1[0]>"',
      "set security ike gateway aws-dc1-1-t1 ike-policy aws-dc1-1-t1",
      "set security ike gateway aws-dc1-1-t1 address 198.51.100.1",
      "set security ike gateway aws-dc1-1-t1 local-address 203.0.113.10",
      "set security ike gateway aws-dc1-1-t1 version v2-only",
      "set security ike gateway aws-dc1-1-t1 dead-peer-detection interval 10",
      "set security ike gateway aws-dc1-1-t1 dead-peer-detection threshold 3",
    ]);
  });

  it("writes IPsec proposals, policy with PFS and a VPN bound to st0.N per tunnel", () => {
    const out = rendered(site(), "juniper-srx");
    inOrder(out, [
      "set security ipsec proposal aws-dc1-1-t1-ipsec-1 protocol esp",
      "set security ipsec proposal aws-dc1-1-t1-ipsec-1 authentication-algorithm hmac-sha-256-128",
      "set security ipsec proposal aws-dc1-1-t1-ipsec-1 encryption-algorithm aes-256-cbc",
      "set security ipsec proposal aws-dc1-1-t1-ipsec-1 lifetime-seconds 3600",
      "set security ipsec proposal aws-dc1-1-t1-ipsec-2 encryption-algorithm aes-256-gcm",
      "set security ipsec policy aws-dc1-1-t1 perfect-forward-secrecy keys group20",
      "set security ipsec policy aws-dc1-1-t1 proposals [ aws-dc1-1-t1-ipsec-1 aws-dc1-1-t1-ipsec-2 ]",
      "set security ipsec vpn aws-dc1-1-t1 bind-interface st0.1",
      "set security ipsec vpn aws-dc1-1-t1 ike gateway aws-dc1-1-t1",
      "set security ipsec vpn aws-dc1-1-t1 ike ipsec-policy aws-dc1-1-t1",
      "set security ipsec vpn aws-dc1-1-t1 establish-tunnels immediately",
      "set interfaces st0 unit 2 family inet address 169.254.11.2/30",
      "set security ike gateway aws-dc1-1-t2 address 198.51.100.2",
      "set security ipsec vpn aws-dc1-1-t2 bind-interface st0.2",
    ]);
    // A GCM proposal carries no separate authentication algorithm.
    expect(
      out.some((l) => l.startsWith("set security ipsec proposal aws-dc1-1-t1-ipsec-2 authentication")),
    ).to.equal(false);
  });

  it("writes the BGP group with AWS's hold time and the site's prefixes exported", () => {
    inOrder(rendered(site(), "juniper-srx"), [
      "set routing-options autonomous-system 65001",
      "set policy-options policy-statement aws-export term site from route-filter 172.16.0.0/16 exact",
      "set protocols bgp group aws type external",
      "set protocols bgp group aws peer-as 64512",
      "set protocols bgp group aws hold-time 30",
      "set protocols bgp group aws export aws-export",
      "set protocols bgp group aws neighbor 169.254.10.1 local-address 169.254.10.2",
      "set protocols bgp group aws neighbor 169.254.11.1 local-address 169.254.11.2",
    ]);
  });

  it("writes static routes over st0.1 with st0.2 as the fallback", () => {
    const out = rendered(site({ routing: "static" }), "juniper-srx");
    inOrder(out, [
      "set routing-options static route 10.10.0.0/20 next-hop st0.1",
      "set routing-options static route 10.10.0.0/20 qualified-next-hop st0.2 preference 10",
    ]);
    expect(out.some((l) => l.startsWith("set protocols bgp"))).to.equal(false);
  });

  it("writes a legacy IKEv1-capable site's algorithms exactly, and IKEv1 main mode when v2 is not allowed", () => {
    inOrder(rendered(site({}, LEGACY), "juniper-srx"), [
      "set security ike proposal aws-dc1-1-t1-ike-1 dh-group group2",
      "set security ike proposal aws-dc1-1-t1-ike-1 authentication-algorithm sha1",
      "set security ike proposal aws-dc1-1-t1-ike-1 encryption-algorithm aes-128-cbc",
      "set security ike gateway aws-dc1-1-t1 version v2-only",
      "set security ipsec proposal aws-dc1-1-t1-ipsec-1 authentication-algorithm hmac-sha1-96",
      "set security ipsec proposal aws-dc1-1-t1-ipsec-1 encryption-algorithm aes-128-cbc",
      "set security ipsec policy aws-dc1-1-t1 perfect-forward-secrecy keys group2",
    ]);
    const v1 = rendered(site({}, { ...LEGACY, ikeVersions: ["ikev1"] }), "juniper-srx");
    inOrder(v1, [
      "set security ike policy aws-dc1-1-t1 mode main",
      "set security ike gateway aws-dc1-1-t1 version v1-only",
    ]);
  });

  it("writes the shown keys, and refuses what Junos cannot express", () => {
    const shown = rendered(withKeys(site(), ["k3yOne_for.tunnel1", "k3yTwo_for.tunnel2"]), "juniper-srx");
    expect(shown).to.include(
      'set security ike policy aws-dc1-1-t1 pre-shared-key ascii-text "k3yOne_for.tunnel1"',
    );
    expect(shown).to.include(
      'set security ike policy aws-dc1-1-t2 pre-shared-key ascii-text "k3yTwo_for.tunnel2"',
    );
    expect(() => renderJuniperSrx(site({}, { ...SECURE_TUNNEL_DEFAULTS, phase1DhGroupNumbers: [17, 18] })))
      .to.throw(DeviceConfigError)
      .with.property("path")
      .that.includes("phase1DhGroupNumbers");
    expect(() =>
      renderJuniperSrx(
        site(
          {},
          {
            ...SECURE_TUNNEL_DEFAULTS,
            ikeVersions: ["ikev1"],
            phase1EncryptionAlgorithms: ["AES256-GCM-16"],
          },
        ),
      ),
    ).to.throw(DeviceConfigError, /IKEv1 has no GCM/);
  });
});

describe("device configurations: the registry and the plan's tunnel options", () => {
  it("reads every tunnelN option from a connection's inputs, AWS's defaults for the ones not set", () => {
    const inputs = {
      tunnel2IkeVersions: ["ikev2"],
      tunnel2Phase1DhGroupNumbers: [20],
      tunnel2Phase2LifetimeSeconds: 1800,
      tunnel2DpdTimeoutAction: "restart",
      tunnel2StartupAction: "start",
    };
    expect(tunnelOptionsOf(inputs, 1)).to.deep.equal(AWS_TUNNEL_DEFAULTS);
    expect(tunnelOptionsOf(inputs, 2)).to.deep.equal({
      ...AWS_TUNNEL_DEFAULTS,
      ikeVersions: ["ikev2"],
      phase1DhGroupNumbers: [20],
      phase2LifetimeSeconds: 1800,
      dpdTimeoutAction: "restart",
      startupAction: "start",
    });
  });
});
