/**
 * The WireGuard remote-access plan (model/softwareVpn/remoteAccess): keys (RFC 7748's X25519 vectors and pairs
 * `wg genkey | wg pubkey` made), the client pool and addresses, what clients send into the tunnel, the security
 * group's rules, the server's wg0.conf and a client's configuration written out in full, the cloud-config, and
 * every refusal with its path, value and what is allowed.
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { expect } from "chai";
import * as yaml from "js-yaml";
import { type Problem, ValidationError } from "../model/errors";
import {
  planRemoteAccessVpn,
  type RemoteAccessSpec,
  renderClientConfig,
  renderRemoteAccessUserData,
  renderServerConfig,
  wireguardKeyProblem,
  wireguardPublicKey,
} from "../model/softwareVpn/remoteAccess";

const WHERE = 'hybridnet:index:SoftwareRemoteAccessVpn "staff"';
/** Key pairs from `wg genkey | tee /dev/stderr | wg pubkey` (wireguard-tools 1.0.20210914). */
const PAIRS = [
  ["2BweH0YhRczWBy4Bie1rM8bfTEkxis1P4n57TSjWdng=", "29bRCpKSA3n/7DPxHGXak85vjR4o/w9T+KRAEV9LDyA="],
  ["mKRWPqIujiFr0esUOkiyted2EIKKVsGJ7ghcKRohn2M=", "gZ0XdiHq0yeH1VCZG0BJOwVdJp5rYlEKLSGaJeBHO3M="],
  ["WN4CJdyAjiMJ/06gGduSt7elT91+7auItb5iwSekHHQ=", "VTRy0B0T/7fO4HYpLIEueZi1YVCEZA5QP4TbwtTj5hk="],
] as const;
const ALICE = PAIRS[0][1];
const BOB = PAIRS[1][1];
const SERVER_PRIVATE = PAIRS[2][0];

function spec(overrides: Partial<RemoteAccessSpec> = {}): RemoteAccessSpec {
  return {
    availabilityZoneId: "use1-az1",
    subnetId: "subnet-0a0a0a0a0a0a0a0a0",
    subnetCidr: "10.0.0.0/24",
    vpcCidrs: ["10.0.0.0/16"],
    routes: ["192.168.0.0/16"],
    clientPool: "10.250.0.0/24",
    clients: { bob: { publicKey: BOB }, alice: { publicKey: ALICE } },
    clientSourceCidrs: ["198.51.100.0/24"],
    routeTableIds: { private: "rtb-0123456789abcdef0" },
    ...overrides,
  };
}

function problemsOf(s: RemoteAccessSpec): Problem[] {
  try {
    planRemoteAccessVpn(WHERE, s);
  } catch (e) {
    expect(e).to.be.instanceOf(ValidationError);
    expect((e as ValidationError).where).to.equal(WHERE);
    return [...(e as ValidationError).problems];
  }
  return expect.fail("expected a ValidationError");
}

/** The one problem of `s`: at `path`, showing `value`, its `allowed` text matching `allowed`. */
function onlyProblem(s: RemoteAccessSpec, path: string, value: unknown, allowed: RegExp): void {
  const problems = problemsOf(s);
  expect(
    problems.map((p) => p.path),
    JSON.stringify(problems),
  ).to.deep.equal([path]);
  expect(problems[0].value).to.deep.equal(value);
  expect(problems[0].allowed).to.match(allowed);
}

describe("software remote-access VPN model", () => {
  describe("keys", () => {
    it("derives X25519 public keys as RFC 7748 section 6.1 and `wg pubkey` do", () => {
      const b64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");
      // RFC 7748 6.1: Alice's and Bob's private and public keys.
      expect(
        wireguardPublicKey(b64("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")),
      ).to.equal(b64("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
      expect(
        wireguardPublicKey(b64("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")),
      ).to.equal(b64("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));
      expect(PAIRS.length).to.equal(3);
      for (const [priv, pub] of PAIRS) expect(wireguardPublicKey(priv)).to.equal(pub);
    });

    it("refuses a private key that is not 32 bytes", () => {
      expect(() => wireguardPublicKey("AAAA")).to.throw(/32 bytes/);
    });

    it("accepts 44-character base64 keys of 32 bytes and nothing else", () => {
      expect(PAIRS.map(([, pub]) => wireguardKeyProblem(pub))).to.deep.equal([
        undefined,
        undefined,
        undefined,
      ]);
      for (const bad of [
        ALICE.slice(0, 43), // 43 characters
        `${ALICE.slice(0, 43)}==`, // 45
        "29bRCpKSA3n/7DPxHGXak85vjR4o/w9T+KRAEV9LDyB=", // B before =: bits past the 32nd byte (not canonical)
        "29bRCpKSA3n_7DPxHGXak85vjR4o-w9T+KRAEV9LDyA=", // base64url, not base64
        "",
        42,
      ])
        expect(wireguardKeyProblem(bad), String(bad)).to.match(/32 bytes in base64, 44 characters/);
    });
  });

  describe("plan", () => {
    it("gives the server the pool's first address and clients the next ones in name order", () => {
      const plan = planRemoteAccessVpn(WHERE, spec());
      expect(plan.pool).to.equal("10.250.0.0/24");
      expect(plan.serverAddress).to.equal("10.250.0.1");
      expect(plan.clients).to.deep.equal([
        { name: "alice", publicKey: ALICE, address: "10.250.0.2" },
        { name: "bob", publicKey: BOB, address: "10.250.0.3" },
      ]);
      expect(plan.listenPort).to.equal(51820);
      expect(plan.keepaliveSeconds).to.equal(25);
      expect(plan.placement).to.deep.equal({
        zone: "use1-az1",
        subnet: "10.0.0.0/24",
        privateIp: "10.0.0.254",
      });
      expect(plan.host).to.deep.equal({
        instanceType: "c6i.large",
        architecture: "amd64",
        amiParameter: "/aws/service/debian/release/12/latest/amd64",
        rootVolumeSizeGiB: 16,
      });
      expect(plan.recovery).to.deep.equal({ notify: [], evaluationPeriods: 2 });
    });

    it("keeps a client's fixed address and fills the others around it", () => {
      const plan = planRemoteAccessVpn(
        WHERE,
        spec({
          clients: {
            alice: { publicKey: ALICE, address: "10.250.0.2" },
            bob: { publicKey: BOB },
            carol: { publicKey: PAIRS[2][1], address: "10.250.0.3" },
          },
        }),
      );
      expect(plan.clients.map((c) => [c.name, c.address])).to.deep.equal([
        ["alice", "10.250.0.2"],
        ["bob", "10.250.0.4"],
        ["carol", "10.250.0.3"],
      ]);
    });

    it("pushes the VPC, the declared routes and the server, and the VPC's resolver (base + 2)", () => {
      const plan = planRemoteAccessVpn(WHERE, spec({ vpcCidrs: ["172.31.0.0/16", "100.70.0.0/20"] }));
      expect(plan.allowedIps).to.deep.equal([
        "172.31.0.0/16",
        "100.70.0.0/20",
        "192.168.0.0/16",
        "10.250.0.1/32",
      ]);
      expect(plan.dnsServers).to.deep.equal(["172.31.0.2"]);
      expect(plan.fullTunnel).to.equal(false);
      expect(planRemoteAccessVpn(WHERE, spec({ dnsServers: ["10.0.0.53"] })).dnsServers).to.deep.equal([
        "10.0.0.53",
      ]);
    });

    it("sends everything through the server only with fullTunnel", () => {
      const plan = planRemoteAccessVpn(WHERE, spec({ fullTunnel: true }));
      expect(plan.allowedIps).to.deep.equal(["0.0.0.0/0"]);
      expect(plan.egress.map((r) => [r.key, r.protocol, r.cidr])).to.deep.equal([
        ["wg-198-51-100-0-24", "udp", "198.51.100.0/24"],
        ["fwd-0-0-0-0-0", "-1", "0.0.0.0/0"],
      ]);
    });

    it("admits the WireGuard port only from the declared sources, and sends client traffic only to the networks", () => {
      const plan = planRemoteAccessVpn(WHERE, spec({ clientSourceCidrs: ["198.51.100.0/24", "0.0.0.0/0"] }));
      expect(plan.ingress).to.deep.equal([
        {
          key: "wg-198-51-100-0-24",
          protocol: "udp",
          fromPort: 51820,
          toPort: 51820,
          cidr: "198.51.100.0/24",
          description: "WireGuard from 198.51.100.0/24",
        },
        {
          key: "wg-0-0-0-0-0",
          protocol: "udp",
          fromPort: 51820,
          toPort: 51820,
          cidr: "0.0.0.0/0",
          description: "WireGuard from 0.0.0.0/0",
        },
      ]);
      expect(plan.egress.map((r) => [r.key, r.protocol, r.fromPort, r.toPort, r.cidr])).to.deep.equal([
        ["wg-198-51-100-0-24", "udp", 0, 65535, "198.51.100.0/24"],
        ["wg-0-0-0-0-0", "udp", 0, 65535, "0.0.0.0/0"],
        ["fwd-10-0-0-0-16", "-1", undefined, undefined, "10.0.0.0/16"],
        ["fwd-192-168-0-0-16", "-1", undefined, undefined, "192.168.0.0/16"],
        ["https", "tcp", 443, 443, "0.0.0.0/0"],
        ["http", "tcp", 80, 80, "0.0.0.0/0"],
      ]);
    });

    it("takes a /28 of 13 clients and refuses a 14th", () => {
      const clients = (n: number) =>
        Object.fromEntries(
          Array.from({ length: n }, (_, i) => [
            `c${String(i).padStart(2, "0")}`,
            { publicKey: `${String(i).padStart(2, "0")}${"A".repeat(41)}=` },
          ]),
        );
      const plan = planRemoteAccessVpn(WHERE, spec({ clientPool: "10.250.0.0/28", clients: clients(13) }));
      expect(plan.clients).to.have.length(13);
      expect(plan.clients.at(-1)?.address).to.equal("10.250.0.14");
      onlyProblem(
        spec({ clientPool: "10.250.0.0/28", clients: clients(14) }),
        "clients",
        Object.keys(clients(14)),
        /14 clients; 10\.250\.0\.0\/28 holds 13/,
      );
    });

    it("holds 300 clients in 16 KB of gzip-compressed user data and refuses 450", () => {
      // Real keys are random (32 bytes each): keys made from SHA-256 compress as little as they do.
      const clients = (n: number) =>
        Object.fromEntries(
          Array.from({ length: n }, (_, i) => [
            `user-${String(i).padStart(3, "0")}`,
            { publicKey: createHash("sha256").update(`client ${i}`).digest("base64") },
          ]),
        );
      const plan = planRemoteAccessVpn(WHERE, spec({ clientPool: "10.250.0.0/16", clients: clients(300) }));
      const text = renderRemoteAccessUserData(renderServerConfig(plan, SERVER_PRIVATE));
      expect(Buffer.byteLength(text, "utf8")).to.be.above(16384, "300 clients outgrow 16 KB uncompressed");
      expect(gzipSync(Buffer.from(text), { level: 9 }).length).to.be.at.most(16384);
      onlyProblem(
        spec({ clientPool: "10.250.0.0/16", clients: clients(450) }),
        "clients",
        450,
        /^450 clients make \d+ bytes of gzip-compressed user data; EC2 takes at most 16384 \(16 KB\), about 350 clients with 8-character names: split them over two servers with separate pools$/,
      );
    });
  });

  describe("refusals", () => {
    it("refuses a pool that overlaps the VPC or a route, is public, or is too large or small", () => {
      onlyProblem(
        spec({ clientPool: "10.0.128.0/24" }),
        "clientPool",
        "10.0.128.0/24",
        /overlaps vpcCidrs\[0\] 10\.0\.0\.0\/16/,
      );
      onlyProblem(
        spec({ clientPool: "192.168.4.0/24" }),
        "clientPool",
        "192.168.4.0/24",
        /overlaps routes\[0\] 192\.168\.0\.0\/16/,
      );
      onlyProblem(
        spec({ clientPool: "203.0.113.0/24" }),
        "clientPool",
        "203.0.113.0/24",
        /a private block inside 10\.0\.0\.0\/8, 172\.16\.0\.0\/12, 192\.168\.0\.0\/16, 100\.64\.0\.0\/10/,
      );
      onlyProblem(
        spec({ clientPool: "10.250.0.0/29" }),
        "clientPool",
        "10.250.0.0/29",
        /\/29 is too small; the prefix must be \/16 to \/28/,
      );
      onlyProblem(spec({ clientPool: "10.240.0.0/15" }), "clientPool", "10.240.0.0/15", /\/15 is too large/);
    });

    it("refuses bad and shared client keys, and addresses outside the pool or the server's", () => {
      onlyProblem(
        spec({ clients: { alice: { publicKey: ALICE.slice(0, 43) } } }),
        "clients.alice.publicKey",
        ALICE.slice(0, 43),
        /what `wg pubkey` prints/,
      );
      onlyProblem(
        spec({ clients: { alice: { publicKey: ALICE }, bob: { publicKey: ALICE } } }),
        "clients.bob.publicKey",
        ALICE,
        /the key of clients\.alice too/,
      );
      for (const address of ["10.250.0.1", "10.250.0.0", "10.250.0.255", "10.251.0.7", "nope"])
        onlyProblem(
          spec({ clients: { alice: { publicKey: ALICE, address } } }),
          "clients.alice.address",
          address,
          /an address in 10\.250\.0\.0\/24 other than its first two \(the network and the server's\) and its last/,
        );
      onlyProblem(
        spec({
          clients: {
            alice: { publicKey: ALICE, address: "10.250.0.9" },
            bob: { publicKey: BOB, address: "10.250.0.9" },
          },
        }),
        "clients.bob.address",
        "10.250.0.9",
        /also clients\.alice's/,
      );
      onlyProblem(spec({ clients: {} }), "clients", {}, /at least one client/);
    });

    it("refuses 0.0.0.0/0 among the pushed networks (fullTunnel says it) but takes it as a client source", () => {
      onlyProblem(spec({ routes: ["0.0.0.0/0"] }), "routes[0]", "0.0.0.0/0", /set fullTunnel: true/);
      onlyProblem(spec({ vpcCidrs: ["0.0.0.0/0"] }), "vpcCidrs[0]", "0.0.0.0/0", /set fullTunnel: true/);
      expect(
        planRemoteAccessVpn(WHERE, spec({ clientSourceCidrs: ["0.0.0.0/0"] })).clientSourceCidrs,
      ).to.deep.equal(["0.0.0.0/0"]);
    });

    it("requires the client sources, a route table and a VPC CIDR, with no defaults", () => {
      onlyProblem(
        spec({ clientSourceCidrs: [] }),
        "clientSourceCidrs",
        [],
        /0\.0\.0\.0\/0 for anywhere, given explicitly/,
      );
      onlyProblem(
        spec({ routeTableIds: {} }),
        "routeTableIds",
        {},
        /route to the client pool points at the server/,
      );
      onlyProblem(spec({ vpcCidrs: [] }), "vpcCidrs", [], /the VPC's CIDRs, primary first/);
    });

    it("refuses ports, keepalives, DNS servers and recovery settings out of range", () => {
      onlyProblem(spec({ listenPort: 0 }), "listenPort", 0, /an integer in 1–65535/);
      onlyProblem(spec({ listenPort: 51820.5 }), "listenPort", 51820.5, /an integer in 1–65535/);
      onlyProblem(
        spec({ persistentKeepaliveSeconds: 65536 }),
        "persistentKeepaliveSeconds",
        65536,
        /an integer in 0–65535/,
      );
      onlyProblem(
        spec({ dnsServers: ["10.0.0.2", "10.0.0.2"] }),
        "dnsServers[1]",
        "10.0.0.2",
        /also dnsServers\[0\]/,
      );
      onlyProblem(spec({ dnsServers: ["resolver"] }), "dnsServers[0]", "resolver", /an IPv4 address/);
      onlyProblem(spec({ recovery: { notify: ["pager"] } }), "recovery.notify[0]", "pager", /SNS topic ARN/);
      onlyProblem(spec({ recovery: { evaluationPeriods: 0 } }), "recovery.evaluationPeriods", 0, /1–1440/);
      // A day of one-minute periods is CloudWatch's limit (periods × 60 s ≤ 86,400 s).
      onlyProblem(
        spec({ recovery: { evaluationPeriods: 1441 } }),
        "recovery.evaluationPeriods",
        1441,
        /1–1440/,
      );
      onlyProblem(spec({ instanceType: "t2.micro" }), "instanceType", "t2.micro", /previous generation/);
      onlyProblem(spec({ subnetCidr: "10.0.0.0/29" }), "subnetCidr", "10.0.0.0/29", /too small/);
    });

    it("collects every problem before it throws", () => {
      const problems = problemsOf(spec({ listenPort: 0, clientPool: "8.8.8.0/24", clientSourceCidrs: [] }));
      expect(problems.map((p) => p.path)).to.deep.equal(["clientPool", "clientSourceCidrs", "listenPort"]);
    });
  });

  describe("configurations", () => {
    it("renders the server's wg0.conf with one peer per client", () => {
      const plan = planRemoteAccessVpn(WHERE, spec());
      expect(renderServerConfig(plan, SERVER_PRIVATE)).to.equal(
        [
          "# hybridnet SoftwareRemoteAccessVpn: the WireGuard server (wg-quick format)",
          "[Interface]",
          "Address = 10.250.0.1/24",
          "ListenPort = 51820",
          `PrivateKey = ${SERVER_PRIVATE}`,
          "",
          "[Peer]",
          "# alice",
          `PublicKey = ${ALICE}`,
          "AllowedIPs = 10.250.0.2/32",
          "",
          "[Peer]",
          "# bob",
          `PublicKey = ${BOB}`,
          "AllowedIPs = 10.250.0.3/32",
          "",
        ].join("\n"),
      );
    });

    it("NATs a full tunnel's internet traffic, not the VPC's", () => {
      const plan = planRemoteAccessVpn(WHERE, spec({ fullTunnel: true, listenPort: 443 }));
      const text = renderServerConfig(plan, SERVER_PRIVATE);
      expect(text).to.include("ListenPort = 443\n");
      expect(text).to.include(
        `PostUp = nft add table ip hybridnet; nft add chain ip hybridnet postrouting '{ type nat hook postrouting priority 100; }'; nft add rule ip hybridnet postrouting ip saddr 10.250.0.0/24 ip daddr != { 10.0.0.0/16, 192.168.0.0/16 } oifname != "wg0" masquerade\n`,
      );
      expect(text).to.include("PostDown = nft delete table ip hybridnet\n");
    });

    it("renders a client's configuration with a placeholder for its own private key", () => {
      const plan = planRemoteAccessVpn(WHERE, spec());
      const serverPublic = PAIRS[2][1];
      expect(
        renderClientConfig(plan, plan.clients[1], { publicKey: serverPublic, endpoint: "3.1.2.3:51820" }),
      ).to.equal(
        [
          "# hybridnet SoftwareRemoteAccessVpn: client bob; put its own private key in place of the placeholder",
          "[Interface]",
          "PrivateKey = <client private key>",
          "Address = 10.250.0.3/32",
          "DNS = 10.0.0.2",
          "",
          "[Peer]",
          `PublicKey = ${serverPublic}`,
          "Endpoint = 3.1.2.3:51820",
          "AllowedIPs = 10.0.0.0/16, 192.168.0.0/16, 10.250.0.1/32",
          "PersistentKeepalive = 25",
          "",
        ].join("\n"),
      );
      const quiet = planRemoteAccessVpn(WHERE, spec({ persistentKeepaliveSeconds: 0 }));
      expect(
        renderClientConfig(quiet, quiet.clients[0], { publicKey: serverPublic, endpoint: "x:1" }),
      ).to.not.include("PersistentKeepalive");
    });

    it("boots the server with WireGuard's tools, its configuration root-only, forwarding on and wg-quick@wg0", () => {
      const text = renderRemoteAccessUserData("[Interface]\nPrivateKey = k\n");
      expect(text.startsWith("#cloud-config\n")).to.equal(true);
      const config = yaml.load(text.slice("#cloud-config\n".length)) as Record<string, unknown>;
      expect(config.packages).to.deep.equal(["wireguard-tools", "nftables"]);
      expect(config.write_files).to.deep.equal([
        {
          path: "/etc/wireguard/wg0.conf",
          content: "[Interface]\nPrivateKey = k\n",
          owner: "root:root",
          permissions: "0600",
          defer: true,
        },
        {
          path: "/etc/sysctl.d/90-hybridnet-router.conf",
          content:
            "net.ipv4.ip_forward = 1\nnet.ipv4.conf.all.send_redirects = 0\nnet.ipv4.conf.default.send_redirects = 0\nnet.ipv4.conf.all.rp_filter = 2\nnet.ipv4.conf.default.rp_filter = 2\n",
          owner: "root:root",
          permissions: "0644",
          defer: false,
        },
      ]);
      expect(config.runcmd).to.deep.equal([
        ["sysctl", "--system"],
        ["systemctl", "enable", "--now", "wg-quick@wg0"],
      ]);
    });
  });
});
