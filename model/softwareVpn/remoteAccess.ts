/**
 * A software remote-access VPN (WireGuard on one EC2 instance), as plain data: the checks its arguments must
 * pass, the plan a component registers, the server's `wg0.conf`, each client's configuration and the instance's
 * cloud-config. Pure: no Pulumi import (Node's crypto derives the server's public key).
 *
 * WireGuard, not OpenVPN: no PKI to run (AWS Client VPN already covers the certificate and SAML OpenVPN case,
 * and hybridnet has `ClientVpn`), one UDP port, fixed modern cryptography (Curve25519, ChaCha20-Poly1305,
 * BLAKE2s), and a client configuration of a few lines. Clients bring their own key pairs: only their public keys
 * reach the plan, so no client private key is ever generated, stored or output here.
 *
 * WireGuard docs: wg(8) (`ListenPort`, `PublicKey`, `AllowedIPs`, `Endpoint`, `PersistentKeepalive`: 0 or
 * 1–65535 s; 25 s "works with a wide variety of firewalls"), wg-quick(8) (`Address`, `DNS`, `PostUp`), the
 * protocol paper (keys are 32 bytes, base64 in configurations; a peer that cannot prove it knows the server's
 * public key gets no answer). AWS docs: "Amazon DNS server" (the VPC's base address plus two), "Recover your
 * instance" (the `ec2:recover` alarm action keeps the instance id, private and Elastic IP addresses).
 */
import { createPrivateKey, createPublicKey } from "node:crypto";
import * as yaml from "js-yaml";
import { addressToString, type Cidr, checkCidr, cidrContains, cidrsOverlap } from "../addressing";
import { snsTopicArnProblem } from "../alarms";
import { FirstUse, Problems } from "../errors";
import { checkResourceKeys } from "../names";
import {
  type ApplianceRulePlan,
  type CheckedPlacement,
  checkHostSettings,
  checkInstancePlacement,
  cidrKey,
  type HostSettingsPlan,
  type HostSettingsSpec,
  packageEgressRules,
} from "./appliance";
import {
  MAX_USER_DATA_BYTES,
  ROUTER_SYSCTLS,
  SYSCTL_PATH,
  userDataBytes,
  userDataSizeProblem,
} from "./userData";

/** WireGuard's default port (wg-quick and every client's examples), UDP. */
export const DEFAULT_LISTEN_PORT = 51820;
/** Seconds between a client's keepalives: WireGuard's suggestion for clients behind NAT and stateful firewalls. */
export const DEFAULT_KEEPALIVE_SECONDS = 25;
/** Failed one-minute system status checks before EC2 recovers the server. */
export const DEFAULT_RECOVERY_PERIODS = 2;
/** Client pools: /16 (65,533 clients) to /28 (13 clients). */
export const POOL_PREFIXES = { min: 16, max: 28 } as const;
/** The interface on the server, and its configuration file. */
export const WIREGUARD_INTERFACE = "wg0";
export const WIREGUARD_CONFIG_PATH = `/etc/wireguard/${WIREGUARD_INTERFACE}.conf`;
/** What a client's configuration holds where its own private key goes: the client keeps that key. */
export const CLIENT_PRIVATE_KEY_PLACEHOLDER = "<client private key>";
/** The tag value of the server's instance and security group (`hybridnet:role`); the policy pack reads it. */
export const REMOTE_ACCESS_ROLE_VALUE = "remote-access-vpn";
/** The tag on the server's security group naming its WireGuard port: the one port it may open to the internet. */
export const WIREGUARD_PORT_TAG = "hybridnet:wireguard-port";
/** Type token of the component; policies also find its instance by its parent. */
export const REMOTE_ACCESS_COMPONENT_TYPE = "hybridnet:index:SoftwareRemoteAccessVpn";
/** Debian 12 packages the server runs: the WireGuard tools (the kernel has the module) and nftables for NAT. */
export const REMOTE_ACCESS_PACKAGES: readonly string[] = ["wireguard-tools", "nftables"];

/** Address blocks a client pool may come from: RFC 1918 and the shared address space (RFC 6598). */
export const POOL_BLOCKS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"] as const;

// ---------------------------------------------------------------------------------------------------
// Keys

/** A WireGuard key: 32 bytes in base64 (44 characters, one `=`); the last character before it is canonical. */
export const WIREGUARD_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** Why `value` is not a WireGuard public key, or undefined. */
export function wireguardKeyProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || !WIREGUARD_KEY.test(value))
    return "a WireGuard public key: 32 bytes in base64, 44 characters ending in = (what `wg pubkey` prints)";
  return undefined;
}

/** PKCS #8 prefix of a raw X25519 private key (RFC 8410): Node 20 imports a JWK only with its public half. */
const X25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");

/**
 * The WireGuard public key of a private key (both base64): X25519 of the clamped scalar and the base point, as
 * `wg pubkey` computes it. Any 32 bytes are a valid private key (X25519 clamps them).
 */
export function wireguardPublicKey(privateKeyBase64: string): string {
  const raw = Buffer.from(privateKeyBase64, "base64");
  if (raw.length !== 32) throw new Error("a WireGuard private key is 32 bytes (44 base64 characters)");
  const key = createPrivateKey({
    key: Buffer.concat([X25519_PKCS8_PREFIX, raw]),
    format: "der",
    type: "pkcs8",
  });
  const jwk = createPublicKey(key).export({ format: "jwk" });
  return Buffer.from(String(jwk.x), "base64url").toString("base64");
}

// ---------------------------------------------------------------------------------------------------
// Arguments

/** A client, keyed by a stable name. */
export interface RemoteAccessClientSpec {
  /** The client's WireGuard public key (`wg pubkey`): it keeps its private key. */
  publicKey: string;
  /** The client's address in the pool. @default the lowest free address, clients taken in name order. */
  address?: string;
}

/** Everything about the server that is a plain value, checked before anything registers. */
export interface RemoteAccessSpec extends HostSettingsSpec {
  /** Zone id (`use1-az1`) of the server's subnet. */
  availabilityZoneId: string;
  /** The server's public subnet (an id, or an Output of one). */
  subnetId: unknown;
  /** The subnet's IPv4 CIDR. */
  subnetCidr: string;
  /** The server's fixed private address. @default the subnet's last usable address. */
  privateIp?: string;
  /** An Elastic IP allocation (`eipalloc-...`). @default a new Elastic IP. */
  elasticIpAllocationId?: unknown;
  /** The VPC's IPv4 CIDRs, primary first: pushed to clients, and the pool must not overlap them. */
  vpcCidrs: string[];
  /** Other networks reached through the VPC (on premises, peered VPCs): pushed to clients too. */
  routes?: string[];
  /** The clients' addresses: an IPv4 CIDR /16–/28 in RFC 1918 or 100.64.0.0/10. The server takes the first. */
  clientPool: string;
  /** UDP port the server listens on. @default 51820. */
  listenPort?: number;
  /** Clients by a stable name. At least one. */
  clients: Record<string, RemoteAccessClientSpec>;
  /** Where clients connect from: the only sources the security group admits to the port. 0.0.0.0/0 only if given. */
  clientSourceCidrs: string[];
  /** Send all of a client's traffic through the server (0.0.0.0/0), NATed to the internet. @default false. */
  fullTunnel?: boolean;
  /** DNS servers pushed to clients. @default the VPC's resolver (the primary CIDR's base address plus two). */
  dnsServers?: string[];
  /** Keepalive a client sends (seconds; 0 turns it off). @default 25. 0–65535. */
  persistentKeepaliveSeconds?: number;
  /** Route tables whose route to the pool points at the server, by a stable key. At least one. */
  routeTableIds: Record<string, unknown>;
  /** The recovery alarm: SNS topics to tell, one-minute periods before EC2 recovers the instance. */
  recovery?: { notify?: string[]; evaluationPeriods?: number };
}

// ---------------------------------------------------------------------------------------------------
// The plan

/** One client: its name, key and address (a /32 in the pool). */
export interface RemoteAccessClientPlan {
  name: string;
  publicKey: string;
  address: string;
}

export interface RemoteAccessPlan {
  host: HostSettingsPlan;
  placement: Required<Pick<CheckedPlacement, "zone" | "privateIp">> & { subnet: string };
  pool: string;
  /** The server's address: the pool's first usable one. */
  serverAddress: string;
  listenPort: number;
  /** Clients in name order. */
  clients: RemoteAccessClientPlan[];
  /** The networks clients reach through the server: the VPC's CIDRs and the declared routes. */
  networks: string[];
  /** What each client sends into the tunnel: the networks and the server, or 0.0.0.0/0 with `fullTunnel`. */
  allowedIps: string[];
  dnsServers: string[];
  keepaliveSeconds: number;
  fullTunnel: boolean;
  clientSourceCidrs: string[];
  ingress: ApplianceRulePlan[];
  egress: ApplianceRulePlan[];
  routeTableKeys: string[];
  /** The recovery alarm: EC2 recovers the instance after `evaluationPeriods` failed minutes, `notify` is told. */
  recovery: { notify: string[]; evaluationPeriods: number };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const POOL = POOL_BLOCKS.map((b) => (checkCidr(b) as { cidr: Cidr }).cidr);

/** A list of IPv4 CIDRs, each once; `zero` says why /0 is refused (undefined: accepted). */
function checkCidrs(
  problems: Problems,
  path: string,
  value: unknown,
  what: string,
  options: { required: boolean; zero?: string },
): Cidr[] {
  if (value === undefined && !options.required) return [];
  if (!Array.isArray(value) || (options.required && value.length === 0)) {
    problems.add(path, value, `${options.required ? "at least one" : "a list of"} IPv4 CIDR: ${what}`);
    return [];
  }
  const seen = new FirstUse<string>();
  const cidrs: Cidr[] = [];
  value.forEach((raw, i) => {
    const result = checkCidr(raw, { version: 4 });
    if ("problem" in result) problems.add(`${path}[${i}]`, raw, result.problem);
    else if (options.zero && result.cidr.prefix === 0) problems.add(`${path}[${i}]`, raw, options.zero);
    else {
      const first = seen.claim(result.cidr.text, `${path}[${i}]`);
      if (first) problems.add(`${path}[${i}]`, raw, `also ${first}; list each network once`);
      else cidrs.push(result.cidr);
    }
  });
  return cidrs;
}

/** The pool: a private block of /16–/28 that overlaps none of the networks clients reach. */
function checkPool(problems: Problems, value: unknown, networks: readonly { path: string; cidr: Cidr }[]) {
  const result = checkCidr(value, { version: 4, minPrefix: POOL_PREFIXES.min, maxPrefix: POOL_PREFIXES.max });
  if ("problem" in result) {
    problems.add("clientPool", value, `${result.problem} (the clients' addresses)`);
    return undefined;
  }
  const pool = result.cidr;
  if (!POOL.some((b) => cidrContains(b, pool))) {
    problems.add(
      "clientPool",
      value,
      `a private block inside ${POOL_BLOCKS.join(", ")}: clients route the pool into the tunnel, and a public one would take over addresses on the internet`,
    );
    return undefined;
  }
  const clash = networks.find((n) => cidrsOverlap(n.cidr, pool));
  if (clash) {
    problems.add(
      "clientPool",
      value,
      `overlaps ${clash.path} ${clash.cidr.text}; the VPC routes the pool to the server, so clients need addresses no reached network uses`,
    );
    return undefined;
  }
  return pool;
}

/** The clients' keys and addresses: explicit ones first, then the lowest free addresses in name order. */
function checkClients(problems: Problems, value: unknown, pool: Cidr | undefined): RemoteAccessClientPlan[] {
  if (!isRecord(value) || Object.keys(value).length === 0) {
    problems.add(
      "clients",
      value,
      'at least one client, keyed by a stable name: { alice: { publicKey: "<wg pubkey output>" } }',
    );
    return [];
  }
  checkResourceKeys(problems, "clients", value);
  const names = Object.keys(value).sort();
  const keys = new FirstUse<string>();
  const taken = new FirstUse<bigint>();
  const fixed = new Map<string, bigint>();
  for (const name of names) {
    const client = value[name];
    const at = `clients.${name}`;
    if (!isRecord(client)) {
      problems.add(at, client, '{ publicKey: "<wg pubkey output>" }');
      continue;
    }
    const bad = wireguardKeyProblem(client.publicKey);
    problems.addIf(`${at}.publicKey`, client.publicKey, bad);
    const other = bad ? undefined : keys.claim(client.publicKey as string, at);
    if (other)
      problems.add(
        `${at}.publicKey`,
        client.publicKey,
        `the key of ${other} too; WireGuard knows a peer by its key`,
      );
    if (client.address === undefined || !pool) continue;
    const address = checkCidr(`${client.address}/32`, { version: 4 });
    const value32 = "cidr" in address ? address.cidr.first : undefined;
    if (value32 === undefined || value32 <= pool.first + 1n || value32 >= pool.last)
      problems.add(
        `${at}.address`,
        client.address,
        `an address in ${pool.text} other than its first two (the network and the server's) and its last`,
      );
    else {
      const owner = taken.claim(value32, at);
      if (owner) problems.add(`${at}.address`, client.address, `also ${owner}'s; one address per client`);
      fixed.set(name, value32);
    }
  }
  if (!pool) return [];
  const capacity = pool.last - pool.first - 2n;
  if (BigInt(names.length) > capacity) {
    problems.add(
      "clients",
      names,
      `${names.length} clients; ${pool.text} holds ${capacity} (one address each)`,
    );
    return [];
  }
  let next = pool.first + 2n;
  const reserved = new Set(fixed.values());
  return names.map((name) => {
    let address = fixed.get(name);
    if (address === undefined) {
      while (reserved.has(next)) next++;
      address = next++;
    }
    const client = value[name] as Record<string, unknown>;
    return { name, publicKey: String(client.publicKey), address: addressToString(address, 4) };
  });
}

function checkInteger(
  problems: Problems,
  path: string,
  value: unknown,
  [lo, hi]: readonly [number, number],
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi) {
    problems.add(path, value, `an integer in ${lo}–${hi}`);
    return fallback;
  }
  return value;
}

/** The recovery alarm's SNS topics and periods (one-minute, 1–1440: CloudWatch evaluates at most a day). */
function checkRecovery(problems: Problems, value: unknown): RemoteAccessPlan["recovery"] {
  const fallback = { notify: [], evaluationPeriods: DEFAULT_RECOVERY_PERIODS };
  if (value === undefined) return fallback;
  if (!isRecord(value)) {
    problems.add("recovery", value, "{ notify?: [SNS topic ARNs], evaluationPeriods?: 1–1440 }");
    return fallback;
  }
  const notify = value.notify ?? [];
  if (!Array.isArray(notify)) problems.add("recovery.notify", notify, "a list of SNS topic ARNs");
  else
    notify.forEach((a, i) => {
      problems.addIf(`recovery.notify[${i}]`, a, snsTopicArnProblem(a));
    });
  return {
    notify: Array.isArray(notify) ? notify.map(String) : [],
    evaluationPeriods: checkInteger(
      problems,
      "recovery.evaluationPeriods",
      value.evaluationPeriods,
      [1, 1440],
      DEFAULT_RECOVERY_PERIODS,
    ),
  };
}

/** DNS server addresses: IPv4, each once. */
function checkDnsServers(problems: Problems, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length === 0) {
    problems.add("dnsServers", value, "a list of IPv4 addresses (the VPC's resolver by default)");
    return [];
  }
  const seen = new FirstUse<string>();
  return value.flatMap((raw, i) => {
    const checked = typeof raw === "string" ? checkCidr(`${raw}/32`, { version: 4 }) : undefined;
    if (!checked || "problem" in checked) {
      problems.add(`dnsServers[${i}]`, raw, "an IPv4 address such as 10.0.0.2");
      return [];
    }
    const first = seen.claim(raw as string, `dnsServers[${i}]`);
    if (first) problems.add(`dnsServers[${i}]`, raw, `also ${first}; list each server once`);
    return first ? [] : [raw as string];
  });
}

/** Route table ids by a stable key, each given; returns the keys in order. */
function checkRouteTables(problems: Problems, value: unknown): string[] {
  if (!isRecord(value) || Object.keys(value).length === 0) {
    problems.add(
      "routeTableIds",
      value,
      "at least one VPC route table, by a stable key: its route to the client pool points at the server, so replies reach the clients",
    );
    return [];
  }
  checkResourceKeys(problems, "routeTableIds", value);
  const keys = Object.keys(value).sort();
  for (const key of keys)
    if (value[key] === undefined || value[key] === null || value[key] === "")
      problems.add(`routeTableIds.${key}`, value[key], "a route table id (rtb-...) or an Output of one");
  return keys;
}

/** The server's security group rules: its port from the declared sources, client traffic out, packages. */
function securityGroupRules(
  port: number,
  sources: readonly Cidr[],
  networks: readonly string[],
  fullTunnel: boolean,
): { ingress: ApplianceRulePlan[]; egress: ApplianceRulePlan[] } {
  const wireguard = (c: Cidr, direction: string): ApplianceRulePlan => ({
    key: `wg-${cidrKey(c.text)}`,
    protocol: "udp",
    fromPort: direction === "from" ? port : 0,
    toPort: direction === "from" ? port : 65535,
    cidr: c.text,
    description:
      direction === "from"
        ? `WireGuard from ${c.text}`
        : `WireGuard handshakes the server starts to ${c.text}`,
  });
  const forwarded = fullTunnel ? ["0.0.0.0/0"] : networks;
  return {
    ingress: sources.map((c) => wireguard(c, "from")),
    egress: [
      ...sources.map((c) => wireguard(c, "to")),
      ...forwarded.map((n) => ({
        key: `fwd-${cidrKey(n)}`,
        protocol: "-1",
        cidr: n,
        description: `client traffic to ${n}`,
      })),
      ...(fullTunnel ? [] : packageEgressRules("Debian mirrors")),
    ],
  };
}

/**
 * Checks every argument of a WireGuard remote-access server, collecting every problem, and throws one
 * ValidationError naming `where` before anything registers; returns the plan.
 */
export function planRemoteAccessVpn(where: string, spec: RemoteAccessSpec): RemoteAccessPlan {
  const problems = new Problems();
  const placement = checkInstancePlacement(problems, "", isRecord(spec) ? spec : {});
  const host = checkHostSettings(problems, spec);
  const zero = "not 0.0.0.0/0: set fullTunnel: true to send all of a client's traffic through the server";
  const vpc = checkCidrs(problems, "vpcCidrs", spec.vpcCidrs, "the VPC's CIDRs, primary first", {
    required: true,
    zero,
  });
  const routes = checkCidrs(problems, "routes", spec.routes, "networks reached through the VPC", {
    required: false,
    zero,
  });
  const reached = [
    ...vpc.map((cidr, i) => ({ path: `vpcCidrs[${i}]`, cidr })),
    ...routes.map((cidr, i) => ({ path: `routes[${i}]`, cidr })),
  ];
  const pool = checkPool(problems, spec.clientPool, reached);
  const clients = checkClients(problems, spec.clients, pool);
  const sources = checkCidrs(
    problems,
    "clientSourceCidrs",
    spec.clientSourceCidrs,
    "where clients connect from (0.0.0.0/0 for anywhere, given explicitly)",
    { required: true },
  );
  const listenPort = checkInteger(problems, "listenPort", spec.listenPort, [1, 65535], DEFAULT_LISTEN_PORT);
  const keepaliveSeconds = checkInteger(
    problems,
    "persistentKeepaliveSeconds",
    spec.persistentKeepaliveSeconds,
    [0, 65535],
    DEFAULT_KEEPALIVE_SECONDS,
  );
  if (spec.fullTunnel !== undefined && typeof spec.fullTunnel !== "boolean")
    problems.add("fullTunnel", spec.fullTunnel, "true or false");
  const dns = checkDnsServers(problems, spec.dnsServers);
  const routeTableKeys = checkRouteTables(problems, spec.routeTableIds);
  const recovery = checkRecovery(problems, spec.recovery);
  problems.throwIfAny(where);
  const fullTunnel = spec.fullTunnel === true;
  const serverAddress = addressToString((pool as Cidr).first + 1n, 4);
  const networks = reached.map((n) => n.cidr.text);
  const primary = vpc[0];
  const plan: RemoteAccessPlan = {
    host,
    placement: {
      zone: placement.zone as string,
      subnet: (placement.subnet as Cidr).text,
      privateIp: placement.privateIp as string,
    },
    pool: (pool as Cidr).text,
    serverAddress,
    listenPort,
    clients,
    networks,
    allowedIps: fullTunnel ? ["0.0.0.0/0"] : [...networks, `${serverAddress}/32`],
    // The Amazon DNS server: the primary CIDR's base address plus two.
    dnsServers: dns.length > 0 ? dns : [addressToString(primary.first + 2n, 4)],
    keepaliveSeconds,
    fullTunnel,
    clientSourceCidrs: sources.map((c) => c.text),
    ...securityGroupRules(listenPort, sources, networks, fullTunnel),
    routeTableKeys,
    recovery,
  };
  // The private key's length is fixed and it is random: the user data's size is known before the key exists.
  const text = renderRemoteAccessUserData(renderServerConfig(plan, PRIVATE_KEY_STAND_IN));
  if (userDataSizeProblem(text))
    problems.add(
      "clients",
      clients.length,
      `${clients.length} clients make ${userDataBytes(text)} bytes of gzip-compressed user data; EC2 takes at most ${MAX_USER_DATA_BYTES} (16 KB), about 350 clients with 8-character names: split them over two servers with separate pools`,
    );
  problems.throwIfAny(where);
  return plan;
}

// ---------------------------------------------------------------------------------------------------
// Configurations

const poolPrefix = (plan: RemoteAccessPlan) => plan.pool.split("/")[1];

/**
 * With `fullTunnel`, the server NATs clients' traffic to anything but the reached networks behind its own
 * address (the pool is not routable on the internet); the VPC and the declared routes see the clients' own
 * addresses.
 */
function natCommands(plan: RemoteAccessPlan): { up: string; down: string } | undefined {
  if (!plan.fullTunnel) return undefined;
  const keep = plan.networks.length > 0 ? ` ip daddr != { ${plan.networks.join(", ")} }` : "";
  return {
    up: `nft add table ip hybridnet; nft add chain ip hybridnet postrouting '{ type nat hook postrouting priority 100; }'; nft add rule ip hybridnet postrouting ip saddr ${plan.pool}${keep} oifname != "${WIREGUARD_INTERFACE}" masquerade`,
    down: "nft delete table ip hybridnet",
  };
}

/** The server's `wg0.conf` (wg-quick format): its key, its address and port, and one peer per client. */
export function renderServerConfig(plan: RemoteAccessPlan, privateKey: string): string {
  const nat = natCommands(plan);
  const lines = [
    "# hybridnet SoftwareRemoteAccessVpn: the WireGuard server (wg-quick format)",
    "[Interface]",
    `Address = ${plan.serverAddress}/${poolPrefix(plan)}`,
    `ListenPort = ${plan.listenPort}`,
    `PrivateKey = ${privateKey}`,
    ...(nat ? [`PostUp = ${nat.up}`, `PostDown = ${nat.down}`] : []),
  ];
  for (const client of plan.clients)
    lines.push(
      "",
      "[Peer]",
      `# ${client.name}`,
      `PublicKey = ${client.publicKey}`,
      `AllowedIPs = ${client.address}/32`,
    );
  return `${lines.join("\n")}\n`;
}

/**
 * A client's configuration (wg-quick format, which the WireGuard apps import): its address, the DNS servers,
 * the server's public key and endpoint, what it sends into the tunnel. Its own private key is a placeholder.
 */
export function renderClientConfig(
  plan: RemoteAccessPlan,
  client: RemoteAccessClientPlan,
  server: { publicKey: string; endpoint: string },
): string {
  return `${[
    `# hybridnet SoftwareRemoteAccessVpn: client ${client.name}; put its own private key in place of the placeholder`,
    "[Interface]",
    `PrivateKey = ${CLIENT_PRIVATE_KEY_PLACEHOLDER}`,
    `Address = ${client.address}/32`,
    `DNS = ${plan.dnsServers.join(", ")}`,
    "",
    "[Peer]",
    `PublicKey = ${server.publicKey}`,
    `Endpoint = ${server.endpoint}`,
    `AllowedIPs = ${plan.allowedIps.join(", ")}`,
    ...(plan.keepaliveSeconds > 0 ? [`PersistentKeepalive = ${plan.keepaliveSeconds}`] : []),
  ].join("\n")}\n`;
}

/** The server's cloud-config: WireGuard's tools, its configuration (root only), forwarding on, wg-quick@wg0. */
export function renderRemoteAccessUserData(serverConfig: string): string {
  const sysctl = Object.entries(ROUTER_SYSCTLS)
    .map(([k, v]) => `${k} = ${v}`)
    .join("\n");
  const config = {
    package_update: true,
    packages: [...REMOTE_ACCESS_PACKAGES],
    write_files: [
      // Written after the packages are installed, so /etc/wireguard exists with its own mode.
      {
        path: WIREGUARD_CONFIG_PATH,
        content: serverConfig,
        owner: "root:root",
        permissions: "0600",
        defer: true,
      },
      { path: SYSCTL_PATH, content: `${sysctl}\n`, owner: "root:root", permissions: "0644", defer: false },
    ],
    runcmd: [
      ["sysctl", "--system"],
      ["systemctl", "enable", "--now", `wg-quick@${WIREGUARD_INTERFACE}`],
    ],
  };
  return `#cloud-config\n${yaml.dump(config, { lineWidth: -1, noRefs: true })}`;
}

/** The client configurations of a plan, by client name. */
export function renderClientConfigs(
  plan: RemoteAccessPlan,
  server: { publicKey: string; endpoint: string },
): Record<string, string> {
  return Object.fromEntries(plan.clients.map((c) => [c.name, renderClientConfig(plan, c, server)]));
}

/**
 * A private key's stand-in of the same length and as random (a fixed 32 bytes in base64): compressed, it takes
 * what a real key takes, so the user data's size is known before the key exists.
 */
export const PRIVATE_KEY_STAND_IN = "q3Zx9T1mVbR8wLkP0sYe4NcHuJ7aGfD2iO5tXyWz6Eg=";
