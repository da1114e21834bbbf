/**
 * `renderStrongswan`: the expected lines are written out from the AWS tunnel option documentation
 * (ModifyVpnTunnelOptions), strongSwan's swanctl.conf reference and IKEv2 cipher suite table, and FRR's BGP
 * reference, not produced by the function under test.
 */
import { expect } from "chai";
import type { DeviceSite, DeviceTunnel } from "../model/deviceConfig/site";
import { renderStrongswan } from "../model/deviceConfig/strongswan";
import { ValidationError } from "../model/errors";
import { type ResolvedTunnelOptions, SECURE_TUNNEL_DEFAULTS } from "../model/tunnelOptions";

function tunnel(number: 1 | 2, over: Partial<DeviceTunnel> = {}): DeviceTunnel {
  const third = number === 1 ? 10 : 11;
  return {
    number,
    awsOutsideAddress: number === 1 ? "198.51.100.1" : "198.51.100.2",
    insideCidr: `169.254.${third}.0/30`,
    awsInsideAddress: `169.254.${third}.1`,
    customerInsideAddress: `169.254.${third}.2`,
    presharedKey: number === 1 ? "key_one.tunnel1" : "key_two.tunnel2",
    options: SECURE_TUNNEL_DEFAULTS,
    ...over,
  };
}

function site(over: Partial<DeviceSite> = {}): DeviceSite {
  return {
    stack: "connectivity-dev",
    component: 'hybridnet:index:TransitGatewayVpn "hub"',
    site: "dc1",
    deviceName: "edge-1",
    customerOutsideAddress: "192.0.2.10",
    customerAsn: 65010,
    awsAsn: 64512,
    routing: "bgp",
    customerPrefixes: ["10.10.0.0/16", "10.11.0.0/16"],
    awsPrefixes: ["10.20.0.0/16"],
    insideIpVersion: "ipv4",
    connections: [{ key: "dc1", connectionId: "vpn-0123456789abcdef0", tunnels: [tunnel(1), tunnel(2)] }],
    ...over,
  };
}

function withOptions(options: Partial<ResolvedTunnelOptions>): DeviceSite {
  const o = { ...SECURE_TUNNEL_DEFAULTS, ...options };
  return site({
    connections: [
      {
        key: "dc1",
        connectionId: "vpn-0123456789abcdef0",
        tunnels: [tunnel(1, { options: o }), tunnel(2, { options: o })],
      },
    ],
  });
}

/** The file's lines, trimmed, comments kept. */
const lines = (text: string) => text.split("\n").map((l) => l.trim());

/** The lines of the block `name {` … its closing `}` (first occurrence), trimmed. */
function block(text: string, name: string): string[] {
  const all = text.split("\n");
  const start = all.findIndex((l) => l.trim() === `${name} {`);
  if (start < 0) throw new Error(`no block ${name} in\n${text}`);
  const indent = all[start].length - all[start].trimStart().length;
  const end = all.findIndex((l, i) => i > start && l === `${" ".repeat(indent)}}`);
  return all.slice(start + 1, end).map((l) => l.trim());
}

/** `expected` appear in `actual` in this order (other lines may come between). */
function expectInOrder(actual: string[], expected: string[]): void {
  let at = 0;
  for (const line of expected) {
    const found = actual.indexOf(line, at);
    expect(found, `"${line}" after line ${at} of\n${actual.join("\n")}`).to.be.at.least(0);
    at = found + 1;
  }
}

describe("strongSwan + FRR device configuration", () => {
  describe("a site with the secure defaults", () => {
    const rendered = renderStrongswan(site());
    const swanctl = rendered.files["swanctl.conf"];
    const frr = rendered.files["frr.conf"];

    it("renders swanctl.conf and frr.conf in the strongswan format", () => {
      expect(rendered.format).to.equal("strongswan");
      expect(Object.keys(rendered.files)).to.deep.equal(["swanctl.conf", "frr.conf"]);
    });

    it("names the site, device, component and stack in both files", () => {
      expect(swanctl.split("\n")[0]).to.equal(
        '# strongSwan swanctl.conf for site dc1 (device edge-1) of hybridnet:index:TransitGatewayVpn "hub", stack connectivity-dev.',
      );
      expect(frr.split("\n")[0]).to.equal(
        '! FRR frr.conf for site dc1 (device edge-1) of hybridnet:index:TransitGatewayVpn "hub", stack connectivity-dev.',
      );
    });

    it("gives each tunnel an IKEv2 connection between the device's and AWS's outside addresses, authenticated by PSK", () => {
      const t1 = block(swanctl, "dc1-t1");
      expect(t1).to.include.members([
        "version = 2",
        "local_addrs = 192.0.2.10",
        "remote_addrs = 198.51.100.1",
        "mobike = no",
        "keyingtries = 0",
      ]);
      expect(block(swanctl, "local")).to.deep.equal(["auth = psk", "id = 192.0.2.10"]);
      expect(block(swanctl, "remote")).to.deep.equal(["auth = psk", "id = 198.51.100.1"]);
      expect(block(swanctl, "dc1-t2")).to.include("remote_addrs = 198.51.100.2");
    });

    it("proposes exactly AWS's phase 1 defaults: AES256 and AES256-GCM-16 × SHA2-256/384/512 × DH 14–21", () => {
      // AES256-GCM-16 in IKE is an AEAD cipher: the SHA2 algorithms become its PRFs.
      expect(lines(swanctl)).to.include(
        "proposals = aes256-sha256-sha384-sha512-modp2048-modp3072-modp4096-modp6144-modp8192-ecp256-ecp384-ecp521," +
          "aes256gcm16-prfsha256-prfsha384-prfsha512-modp2048-modp3072-modp4096-modp6144-modp8192-ecp256-ecp384-ecp521",
      );
    });

    it("proposes exactly AWS's phase 2 defaults, GCM without integrity, the DH groups as PFS groups", () => {
      expect(lines(swanctl)).to.include(
        "esp_proposals = aes256-sha256-sha384-sha512-modp2048-modp3072-modp4096-modp6144-modp8192-ecp256-ecp384-ecp521," +
          "aes256gcm16-modp2048-modp3072-modp4096-modp6144-modp8192-ecp256-ecp384-ecp521",
      );
    });

    it("rekeys the IKE SA and CHILD_SA before AWS's lifetimes run out (margin 270 s, fuzz 100 %)", () => {
      // Phase 1 28,800 s: rekey at 28,800 − 270, at most 270 s earlier (fuzz), hard limit 270 s after the rekey.
      expect(block(swanctl, "dc1-t1").slice(0, 12)).to.include.members([
        "rekey_time = 28530s",
        "over_time = 270s",
        "rand_time = 270s",
      ]);
      // Phase 2 3,600 s: life_time 3,600 s, rekey at 3,600 − 270, randomised by up to 270 s.
      const child = block(block(swanctl, "dc1-t1").join("\n"), "dc1-t1");
      expect(child).to.include.members(["life_time = 3600s", "rekey_time = 3330s", "rand_time = 270s"]);
    });

    it("answers AWS's dead peer detection (10 s probes, 30 s timeout) and keeps the tunnel up as the initiator", () => {
      expect(block(swanctl, "dc1-t1")).to.include.members(["dpd_delay = 10s", "dpd_timeout = 30s"]);
      const child = block(block(swanctl, "dc1-t1").join("\n"), "dc1-t1");
      expect(child).to.include.members([
        "start_action = start",
        "dpd_action = restart",
        "close_action = start",
      ]);
    });

    it("is route-based: 0.0.0.0/0 selectors, each tunnel bound to its own XFRM interface id", () => {
      const child1 = block(block(swanctl, "dc1-t1").join("\n"), "dc1-t1");
      const child2 = block(block(swanctl, "dc1-t2").join("\n"), "dc1-t2");
      expect(child1).to.include.members([
        "local_ts = 0.0.0.0/0",
        "remote_ts = 0.0.0.0/0",
        "if_id_in = 1",
        "if_id_out = 1",
        "replay_window = 1024",
      ]);
      expect(child2).to.include.members(["if_id_in = 2", "if_id_out = 2"]);
      expect(lines(swanctl)).to.include.members([
        "#   ip link add xfrm1 type xfrm dev eth0 if_id 1",
        "#   ip address add 169.254.10.2/30 dev xfrm1",
        "#   ip link add xfrm2 type xfrm dev eth0 if_id 2",
        "#   ip address add 169.254.11.2/30 dev xfrm2",
      ]);
      expect(swanctl).to.include("install_routes = no");
    });

    it("writes each tunnel's pre-shared key for the pair of outside addresses", () => {
      expect(block(swanctl, "ike-dc1-t1")).to.deep.equal([
        "id-local = 192.0.2.10",
        "id-remote = 198.51.100.1",
        'secret = "key_one.tunnel1"',
      ]);
      expect(block(swanctl, "ike-dc1-t2")).to.include('secret = "key_two.tunnel2"');
    });

    it("peers BGP with AWS's inside address on each tunnel, AWS's ASN, keepalive 10 s and hold 30 s", () => {
      expectInOrder(lines(frr), [
        "router bgp 65010",
        "bgp router-id 192.0.2.10",
        "no bgp default ipv4-unicast",
        "neighbor 169.254.10.1 remote-as 64512",
        "neighbor 169.254.10.1 description vpn-0123456789abcdef0 tunnel 1",
        "neighbor 169.254.10.1 timers 10 30",
        "neighbor 169.254.11.1 remote-as 64512",
        "neighbor 169.254.11.1 description vpn-0123456789abcdef0 tunnel 2",
        "neighbor 169.254.11.1 timers 10 30",
      ]);
      expect(frr).not.to.include("ebgp-multihop");
    });

    it("advertises the customer prefixes, and only them, over both tunnels", () => {
      expectInOrder(lines(frr), [
        "ip prefix-list HYBRIDNET-CUSTOMER seq 5 permit 10.10.0.0/16",
        "ip prefix-list HYBRIDNET-CUSTOMER seq 10 permit 10.11.0.0/16",
        "route-map HYBRIDNET-AWS-OUT permit 10",
        "match ip address prefix-list HYBRIDNET-CUSTOMER",
        "ip route 10.10.0.0/16 blackhole 250",
        "ip route 10.11.0.0/16 blackhole 250",
        "address-family ipv4 unicast",
        "network 10.10.0.0/16",
        "network 10.11.0.0/16",
        "neighbor 169.254.10.1 activate",
        "neighbor 169.254.10.1 route-map HYBRIDNET-AWS-IN in",
        "neighbor 169.254.10.1 route-map HYBRIDNET-AWS-OUT out",
        "neighbor 169.254.11.1 activate",
        "neighbor 169.254.11.1 route-map HYBRIDNET-AWS-IN in",
        "neighbor 169.254.11.1 route-map HYBRIDNET-AWS-OUT out",
        "maximum-paths 2",
        "exit-address-family",
      ]);
    });
  });

  describe("a legacy-crypto site", () => {
    const legacy = withOptions({
      ikeVersions: ["ikev1", "ikev2"],
      phase1EncryptionAlgorithms: ["AES128"],
      phase1IntegrityAlgorithms: ["SHA1", "SHA2-256"],
      phase1DhGroupNumbers: [2, 14, 24],
      phase2EncryptionAlgorithms: ["AES128-GCM-16", "AES128"],
      phase2IntegrityAlgorithms: ["SHA1"],
      phase2DhGroupNumbers: [5, 22, 23],
      phase1LifetimeSeconds: 3600,
      phase2LifetimeSeconds: 1800,
      rekeyMarginTimeSeconds: 600,
      rekeyFuzzPercentage: 50,
      dpdTimeoutSeconds: 45,
      replayWindowSize: 64,
    });
    const swanctl = renderStrongswan(legacy).files["swanctl.conf"];
    const t1 = block(swanctl, "dc1-t1");
    const child = block(t1.join("\n"), "dc1-t1");

    it("accepts IKEv1 and IKEv2 (version 0)", () => {
      expect(t1).to.include("version = 0");
    });

    it("proposes AES128 × SHA1/SHA2-256 × DH 2 (modp1024), 14 (modp2048), 24 (modp2048s256) in phase 1", () => {
      expect(t1).to.include("proposals = aes128-sha1-sha256-modp1024-modp2048-modp2048s256");
    });

    it("proposes AES128 with SHA1 and AES128-GCM-16 alone, PFS with DH 5, 22, 23, in phase 2", () => {
      expect(child).to.include(
        "esp_proposals = aes128-sha1-modp1536-modp1024s160-modp2048s224,aes128gcm16-modp1536-modp1024s160-modp2048s224",
      );
    });

    it("derives rekeying from the shorter lifetimes, margin 600 s and fuzz 50 %", () => {
      expect(t1).to.include.members([
        "rekey_time = 3000s",
        "over_time = 600s",
        "rand_time = 300s",
        "dpd_timeout = 45s",
      ]);
      expect(child).to.include.members([
        "life_time = 1800s",
        "rekey_time = 1200s",
        "rand_time = 300s",
        "replay_window = 64",
      ]);
    });
  });

  it("names every DH group AWS takes by its strongSwan keyword", () => {
    const all = withOptions({ phase1DhGroupNumbers: [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24] });
    expect(block(renderStrongswan(all).files["swanctl.conf"], "dc1-t1")).to.include(
      "proposals = aes256-sha256-sha384-sha512-modp1024-modp2048-modp3072-modp4096-modp6144-modp8192-ecp256-ecp384-ecp521-modp1024s160-modp2048s224-modp2048s256," +
        "aes256gcm16-prfsha256-prfsha384-prfsha512-modp1024-modp2048-modp3072-modp4096-modp6144-modp8192-ecp256-ecp384-ecp521-modp1024s160-modp2048s224-modp2048s256",
    );
  });

  it("writes a placeholder naming where the key is, never a key, when the keys were not asked for", () => {
    const { presharedKey: _1, ...t1 } = tunnel(1);
    const { presharedKey: _2, ...t2 } = tunnel(2);
    const swanctl = renderStrongswan(
      site({ connections: [{ key: "dc1", connectionId: "vpn-0123456789abcdef0", tunnels: [t1, t2] }] }),
    ).files["swanctl.conf"];
    // Without the stack output that holds the keys, the placeholder names the connection and tunnel.
    expect(block(swanctl, "ike-dc1-t1")).to.include('secret = "<psk-vpn-0123456789abcdef0-tunnel1>"');
    expect(swanctl).not.to.include("key_one");
    // With it, the placeholder names the output and the entry, as the vendor formats do.
    const named = renderStrongswan(
      site({
        presharedKeyOutput: "vpnPresharedKeys",
        connections: [{ key: "dc1", connectionId: "vpn-0123456789abcdef0", tunnels: [t1, t2] }],
      }),
    ).files["swanctl.conf"];
    expect(block(named, "ike-dc1-t2")).to.include.members([
      '# pre-shared key: pulumi stack output vpnPresharedKeys --stack connectivity-dev --show-secrets, then ["dc1"][1] (or hybridnet device-config --show-secrets)',
      'secret = "<vpnPresharedKeys.dc1[1]>"',
    ]);
  });

  it("answers instead of initiating when AWS starts IKE (startupAction start)", () => {
    const swanctl = renderStrongswan(withOptions({ startupAction: "start" })).files["swanctl.conf"];
    const child = block(block(swanctl, "dc1-t1").join("\n"), "dc1-t1");
    expect(child).to.include.members(["start_action = none", "dpd_action = clear", "close_action = none"]);
  });

  it("routes the AWS prefixes statically through both tunnels on a static site, with no BGP", () => {
    const frr = renderStrongswan(site({ routing: "static", awsPrefixes: ["10.20.0.0/16", "10.30.0.0/16"] }))
      .files["frr.conf"];
    expectInOrder(lines(frr), [
      "ip route 10.20.0.0/16 169.254.10.1",
      "ip route 10.20.0.0/16 169.254.11.1",
      "ip route 10.30.0.0/16 169.254.10.1",
      "ip route 10.30.0.0/16 169.254.11.1",
    ]);
    expect(frr).not.to.include("router bgp");
  });

  it("gives every tunnel of an ECMP site its own connection and interface id, and BGP multipath over all", () => {
    const ecmp = site({
      connections: [
        { key: "dc1", connectionId: "vpn-0000000000000000a", tunnels: [tunnel(1), tunnel(2)] },
        {
          key: "dc1-2",
          connectionId: "vpn-0000000000000000b",
          tunnels: [
            tunnel(1, {
              awsOutsideAddress: "198.51.100.3",
              insideCidr: "169.254.12.0/30",
              awsInsideAddress: "169.254.12.1",
              customerInsideAddress: "169.254.12.2",
            }),
            tunnel(2, {
              awsOutsideAddress: "198.51.100.4",
              insideCidr: "169.254.13.0/30",
              awsInsideAddress: "169.254.13.1",
              customerInsideAddress: "169.254.13.2",
            }),
          ],
        },
      ],
    });
    const { files } = renderStrongswan(ecmp);
    const child = block(block(files["swanctl.conf"], "dc1-2-t2").join("\n"), "dc1-2-t2");
    expect(child).to.include.members(["if_id_in = 4", "if_id_out = 4"]);
    expect(block(files["swanctl.conf"], "dc1-2-t1")).to.include("remote_addrs = 198.51.100.3");
    expect(lines(files["frr.conf"])).to.include.members([
      "neighbor 169.254.13.1 remote-as 64512",
      "neighbor 169.254.13.1 description vpn-0000000000000000b tunnel 2",
      "maximum-paths 4",
    ]);
  });

  it("uses ::/0 selectors and IPv6 BGP neighbours for IPv6 inside addresses", () => {
    const v6 = (n: 1 | 2) =>
      tunnel(n, {
        insideCidr: `fd00:0:0:${n}::/126`,
        awsInsideAddress: `fd00:0:0:${n}::1`,
        customerInsideAddress: `fd00:0:0:${n}::2`,
      });
    const { files } = renderStrongswan(
      site({
        insideIpVersion: "ipv6",
        customerPrefixes: ["2001:db8:10::/48"],
        connections: [{ key: "dc1", connectionId: "vpn-0123456789abcdef0", tunnels: [v6(1), v6(2)] }],
      }),
    );
    const child = block(block(files["swanctl.conf"], "dc1-t1").join("\n"), "dc1-t1");
    expect(child).to.include.members(["local_ts = ::/0", "remote_ts = ::/0"]);
    expect(lines(files["swanctl.conf"])).to.include("#   ip address add fd00:0:0:1::2/126 dev xfrm1");
    expectInOrder(lines(files["frr.conf"]), [
      "ipv6 prefix-list HYBRIDNET-CUSTOMER6 seq 5 permit 2001:db8:10::/48",
      "match ipv6 address prefix-list HYBRIDNET-CUSTOMER6",
      "ipv6 route 2001:db8:10::/48 blackhole 250",
      "neighbor fd00:0:0:1::1 remote-as 64512",
      "address-family ipv6 unicast",
      "network 2001:db8:10::/48",
      "neighbor fd00:0:0:1::1 activate",
    ]);
  });

  it("refuses an IKEv1-only tunnel whose phase 1 offers only GCM, which strongSwan cannot negotiate", () => {
    const bad = withOptions({ ikeVersions: ["ikev1"], phase1EncryptionAlgorithms: ["AES256-GCM-16"] });
    let error: unknown;
    try {
      renderStrongswan(bad);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as ValidationError).message).to.equal(
      'hybridnet:index:TransitGatewayVpn "hub" site dc1: 2 invalid arguments\n' +
        '  connections[0].tunnels[0].options.phase1EncryptionAlgorithms = ["AES256-GCM-16"]: strongSwan does not negotiate GCM in IKEv1; add AES128 or AES256 to phase 1, or allow ikev2\n' +
        '  connections[0].tunnels[1].options.phase1EncryptionAlgorithms = ["AES256-GCM-16"]: strongSwan does not negotiate GCM in IKEv1; add AES128 or AES256 to phase 1, or allow ikev2',
    );
  });

  it("renders IKEv1 alone with a CBC cipher (version 1)", () => {
    const v1 = withOptions({ ikeVersions: ["ikev1"], phase1EncryptionAlgorithms: ["AES256"] });
    expect(block(renderStrongswan(v1).files["swanctl.conf"], "dc1-t1")).to.include.members([
      "version = 1",
      "proposals = aes256-sha256-sha384-sha512-modp2048-modp3072-modp4096-modp6144-modp8192-ecp256-ecp384-ecp521",
    ]);
  });
});
