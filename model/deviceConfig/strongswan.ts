/**
 * strongSwan (swanctl.conf) + FRR (frr.conf) configuration of the customer gateway device of one VPN site,
 * rendered from what AWS holds for its tunnels (`DeviceSite`), so the device negotiates exactly what AWS does.
 *
 * Route-based, the way AWS runs its side: every tunnel's CHILD_SA has the traffic selectors AWS uses for a
 * route-based VPN (0.0.0.0/0 ↔ 0.0.0.0/0, or ::/0 for IPv6 inside addresses), and routing decides what enters
 * which tunnel: BGP over the tunnel inside addresses, or static routes to the AWS prefixes.
 *
 * How a tunnel becomes an interface. Each CHILD_SA carries `if_id_in`/`if_id_out` = the tunnel's interface id
 * (1, 2, … in connection order). On a Linux appliance with kernel IPsec (strongSwan ≥ 5.8, kernel ≥ 4.19) that
 * id binds the SA to an XFRM interface, which holds the tunnel's inside address; the header of swanctl.conf
 * lists the `ip` commands that create them. Set `charon { install_routes = no }` in strongswan.conf: routes
 * come from FRR, never from the 0.0.0.0/0 selectors. XFRM interfaces were chosen over VTI + marks because
 * they need no mark plumbing, keep the underlay's routing untouched and are what strongSwan documents for
 * route-based VPNs today.
 * strongSwan's userspace IPsec (`kernel-libipsec`, used where the kernel has no ESP, as in hybridnet's own
 * test) has no XFRM interfaces: it ignores the interface ids and carries ESP through one TUN device
 * (`ipsec0`), on which the inside addresses go instead. There, outbound packets are matched to an SA by their
 * selectors alone, so with two 0.0.0.0/0 tunnels every outbound packet takes the first tunnel's SA (both SAs
 * stay up and both BGP sessions establish, but the tunnels do not load-share). The same file serves both.
 *
 * Mapping of the tunnel options (AWS API names → swanctl):
 * - ikeVersions → `version` (2, 1, or 0 for both).
 * - phase 1 encryption × integrity × DH groups → IKE `proposals`: one proposal for the CBC ciphers
 *   (`aes256-sha256-…-modp2048-…`) and one for the GCM ciphers, whose integrity algorithms become PRFs
 *   (`aes256gcm16-prfsha256-…`), since an AEAD IKE SA has no separate integrity algorithm.
 * - phase 2 encryption × integrity × DH groups → `esp_proposals` the same way, except that ESP with GCM has
 *   no integrity and no PRF (`aes256gcm16-modp2048-…`); the DH groups are PFS groups (used at CHILD_SA rekey:
 *   IKEv2's first CHILD_SA inherits the IKE SA's keys).
 * - lifetimes, rekey margin and fuzz → strongSwan's expiry model (as its ipsec.conf → swanctl table does):
 *   CHILD_SA `life_time` = phase 2 lifetime, `rekey_time` = lifetime − margin, `rand_time` = margin × fuzz;
 *   IKE SA `rekey_time` = phase 1 lifetime − margin, `over_time` = margin, `rand_time` = margin × fuzz. The
 *   device rekeys before AWS's lifetime runs out, as AWS's own strongSwan example does with `margintime`.
 * - DPD: `dpd_delay = 10s` (AWS probes an idle tunnel every 10 s) and `dpd_timeout` = the tunnel's DPD timeout
 *   (strongSwan applies it to IKEv1; IKEv2 gives up after its retransmission timeouts).
 * - startupAction "add" (AWS waits for the device): the device starts the CHILD_SA at load, restarts it when
 *   DPD declares AWS dead and re-creates it when AWS closes it (`start_action = start`, `dpd_action = restart`,
 *   `close_action = start`). "start" (AWS initiates): the device answers (`start_action = none`) and clears on
 *   DPD, since AWS restarts the tunnel itself.
 * - replay window → `replay_window`. MOBIKE is off (AWS does not support it); `keyingtries = 0` retries forever.
 * What strongSwan cannot express is refused with a ValidationError: IKEv1 as the only IKE version with only
 * GCM phase 1 ciphers (strongSwan does not do AEAD in IKEv1).
 *
 * FRR: with BGP, `router bgp <customer ASN>` with one neighbour per tunnel (AWS's inside address, remote-as
 * the AWS ASN, the keepalive 10 s and hold time 30 s AWS recommends), advertising the customer prefixes
 * (anchored by a blackhole route of distance 250, so they are advertised while the LAN holds more specific
 * routes; on a device whose own router holds them, `unanchoredPrefixes`, with `no bgp network import-check`
 * instead) and only them (an outbound prefix list); the neighbours sit on the tunnels' /30s, so no
 * ebgp-multihop. With static routing: a static route per AWS prefix through each tunnel's AWS inside address.
 */
import { type Problem, ValidationError } from "../errors";
import type { EncryptionAlgorithm, IntegrityAlgorithm, ResolvedTunnelOptions } from "../tunnelOptions";
import {
  type DeviceSite,
  type DeviceTunnel,
  presharedKeyPlaceholder,
  type RenderedDeviceConfig,
} from "./site";

/** strongSwan keyword of an AWS encryption algorithm. */
const ENCRYPTION: Record<EncryptionAlgorithm, string> = {
  AES128: "aes128",
  AES256: "aes256",
  "AES128-GCM-16": "aes128gcm16",
  "AES256-GCM-16": "aes256gcm16",
};

/** strongSwan keyword of an AWS integrity algorithm (HMAC-SHA-* with truncation per RFC 4868). */
const INTEGRITY: Record<IntegrityAlgorithm, string> = {
  SHA1: "sha1",
  "SHA2-256": "sha256",
  "SHA2-384": "sha384",
  "SHA2-512": "sha512",
};

/** strongSwan keyword of an IKE Diffie-Hellman group number (RFC 2409, 3526, 5114, 5903). */
const DH_GROUP: Record<number, string> = {
  2: "modp1024",
  5: "modp1536",
  14: "modp2048",
  15: "modp3072",
  16: "modp4096",
  17: "modp6144",
  18: "modp8192",
  19: "ecp256",
  20: "ecp384",
  21: "ecp521",
  22: "modp1024s160",
  23: "modp2048s224",
  24: "modp2048s256",
};

/** AWS probes an idle tunnel with dead peer detection every 10 seconds. */
const DPD_DELAY_SECONDS = 10;
/** BGP keepalive and hold time AWS recommends for its tunnels. */
const BGP_KEEPALIVE_SECONDS = 10;
const BGP_HOLD_SECONDS = 30;

const isGcm = (algorithm: EncryptionAlgorithm) => algorithm.includes("GCM");

function dhGroups(numbers: readonly number[]): string[] {
  return numbers.map((n) => {
    const name = DH_GROUP[n];
    if (name === undefined) throw new Error(`no strongSwan name for DH group ${n}`);
    return name;
  });
}

/** IKE proposals: CBC ciphers with integrity algorithms, GCM ciphers with the same algorithms as PRFs. */
export function ikeProposals(o: ResolvedTunnelOptions): string[] {
  const integrity = o.phase1IntegrityAlgorithms.map((a) => INTEGRITY[a]);
  const groups = dhGroups(o.phase1DhGroupNumbers);
  const cbc = o.phase1EncryptionAlgorithms.filter((a) => !isGcm(a)).map((a) => ENCRYPTION[a]);
  const gcm = o.phase1EncryptionAlgorithms.filter(isGcm).map((a) => ENCRYPTION[a]);
  const proposals: string[] = [];
  if (cbc.length > 0) proposals.push([...cbc, ...integrity, ...groups].join("-"));
  if (gcm.length > 0) proposals.push([...gcm, ...integrity.map((i) => `prf${i}`), ...groups].join("-"));
  return proposals;
}

/** ESP proposals: CBC ciphers with integrity algorithms, GCM ciphers alone; the DH groups are PFS groups. */
export function espProposals(o: ResolvedTunnelOptions): string[] {
  const integrity = o.phase2IntegrityAlgorithms.map((a) => INTEGRITY[a]);
  const groups = dhGroups(o.phase2DhGroupNumbers);
  const cbc = o.phase2EncryptionAlgorithms.filter((a) => !isGcm(a)).map((a) => ENCRYPTION[a]);
  const gcm = o.phase2EncryptionAlgorithms.filter(isGcm).map((a) => ENCRYPTION[a]);
  const proposals: string[] = [];
  if (cbc.length > 0) proposals.push([...cbc, ...integrity, ...groups].join("-"));
  if (gcm.length > 0) proposals.push([...gcm, ...groups].join("-"));
  return proposals;
}

function ikeVersion(versions: readonly string[]): number {
  if (versions.includes("ikev1") && versions.includes("ikev2")) return 0;
  return versions.includes("ikev1") ? 1 : 2;
}

/** What AWS holds for a tunnel that strongSwan cannot express. */
function refusals(site: DeviceSite): Problem[] {
  const problems: Problem[] = [];
  for (const [c, connection] of site.connections.entries())
    for (const tunnel of connection.tunnels) {
      const o = tunnel.options;
      if (o.ikeVersions.every((v) => v === "ikev1") && o.phase1EncryptionAlgorithms.every(isGcm))
        problems.push({
          path: `connections[${c}].tunnels[${tunnel.number - 1}].options.phase1EncryptionAlgorithms`,
          value: o.phase1EncryptionAlgorithms,
          allowed:
            "strongSwan does not negotiate GCM in IKEv1; add AES128 or AES256 to phase 1, or allow ikev2",
        });
    }
  return problems;
}

interface NamedTunnel {
  /** Connection and child name in swanctl.conf (`dc1-t1`). */
  name: string;
  /** XFRM interface id. */
  ifId: number;
  connectionKey: string;
  connectionId: string;
  /** The AWS side's ASN of the tunnel's connection. */
  awsAsn: number;
  tunnel: DeviceTunnel;
}

function namedTunnels(site: DeviceSite): NamedTunnel[] {
  const named: NamedTunnel[] = [];
  for (const connection of site.connections)
    for (const tunnel of connection.tunnels)
      named.push({
        name: `${connection.key}-t${tunnel.number}`,
        ifId: named.length + 1,
        connectionKey: connection.key,
        connectionId: connection.connectionId,
        awsAsn: connection.awsAsn ?? site.awsAsn,
        tunnel,
      });
  return named;
}

function prefixLength(cidr: string): string {
  return cidr.split("/")[1] ?? "";
}

function header(site: DeviceSite, comment: string, what: string): string[] {
  const device = site.deviceName ? ` (device ${site.deviceName})` : "";
  return [
    `${comment} ${what} for site ${site.site}${device} of ${site.component}, stack ${site.stack}.`,
    `${comment} Rendered by hybridnet from the planned VPN tunnels; the tunnel options match AWS's exactly.`,
  ];
}

function secretLine(site: DeviceSite, t: NamedTunnel): string[] {
  if (t.tunnel.presharedKey !== undefined) return [`secret = "${t.tunnel.presharedKey}"`];
  const { token, hint } = presharedKeyPlaceholder(
    site,
    { key: t.connectionKey, connectionId: t.connectionId, tunnels: [] },
    t.tunnel,
  );
  return [`# ${hint}`, `secret = "${token}"`];
}

/** An XFRM interface a route-based tunnel's CHILD_SA is bound to (`if_id_in`/`if_id_out`), with its inside address. */
export interface XfrmInterface {
  /** `xfrm<ifId>`. */
  name: string;
  ifId: number;
  /** The device's own inside address of the tunnel, in CIDR notation (`169.254.10.2/30`). */
  address: string;
}

const XFRM_LINK = /^#\s+ip link add (xfrm\d+) type xfrm dev \S+ if_id (\d+)$/;
const XFRM_ADDRESS = /^#\s+ip address add (\S+) dev (xfrm\d+)$/;

/**
 * The XFRM interfaces a rendered swanctl.conf binds its tunnels to, read back from the commands its header lists
 * (rendered from the same tunnels as each CHILD_SA's `if_id`): what an appliance creates before strongSwan
 * loads. A file without that header (written by hand) yields none.
 */
export function xfrmInterfacesOf(swanctl: string): XfrmInterface[] {
  const addresses = new Map<string, string>();
  const links: { name: string; ifId: number }[] = [];
  for (const line of swanctl.split("\n")) {
    const link = XFRM_LINK.exec(line);
    if (link) links.push({ name: link[1], ifId: Number(link[2]) });
    const address = XFRM_ADDRESS.exec(line);
    if (address) addresses.set(address[2], address[1]);
  }
  return links.flatMap((l) => {
    const address = addresses.get(l.name);
    return address === undefined ? [] : [{ ...l, address }];
  });
}

function renderSwanctl(site: DeviceSite, tunnels: NamedTunnel[]): string {
  const anyTs = site.insideIpVersion === "ipv6" ? "::/0" : "0.0.0.0/0";
  const lines = [
    ...header(site, "#", "strongSwan swanctl.conf"),
    "# Route-based: each tunnel's CHILD_SA is bound to an XFRM interface by if_id; with kernel IPsec create them",
    "# (replace eth0 with the outside interface), and set charon { install_routes = no } in strongswan.conf:",
  ];
  for (const t of tunnels) {
    const dev = `xfrm${t.ifId}`;
    lines.push(
      `#   ip link add ${dev} type xfrm dev eth0 if_id ${t.ifId}`,
      `#   ip address add ${t.tunnel.customerInsideAddress}/${prefixLength(t.tunnel.insideCidr)} dev ${dev}`,
      `#   ip link set ${dev} up`,
    );
  }
  lines.push("connections {");
  for (const t of tunnels) {
    const o = t.tunnel.options;
    const margin = o.rekeyMarginTimeSeconds;
    const rand = Math.floor((margin * o.rekeyFuzzPercentage) / 100);
    const initiates = o.startupAction === "add";
    lines.push(
      `  ${t.name} {`,
      `    # ${t.connectionId} tunnel ${t.tunnel.number}: inside ${t.tunnel.insideCidr}`,
      `    version = ${ikeVersion(o.ikeVersions)}`,
      `    local_addrs = ${site.customerOutsideAddress}`,
      `    remote_addrs = ${t.tunnel.awsOutsideAddress}`,
      `    proposals = ${ikeProposals(o).join(",")}`,
      `    rekey_time = ${o.phase1LifetimeSeconds - margin}s`,
      `    over_time = ${margin}s`,
      `    rand_time = ${rand}s`,
      `    dpd_delay = ${DPD_DELAY_SECONDS}s`,
      `    dpd_timeout = ${o.dpdTimeoutSeconds}s`,
      "    mobike = no",
      "    keyingtries = 0",
      "    local {",
      "      auth = psk",
      `      id = ${site.customerOutsideAddress}`,
      "    }",
      "    remote {",
      "      auth = psk",
      `      id = ${t.tunnel.awsOutsideAddress}`,
      "    }",
      "    children {",
      `      ${t.name} {`,
      `        local_ts = ${anyTs}`,
      `        remote_ts = ${anyTs}`,
      `        esp_proposals = ${espProposals(o).join(",")}`,
      `        life_time = ${o.phase2LifetimeSeconds}s`,
      `        rekey_time = ${o.phase2LifetimeSeconds - margin}s`,
      `        rand_time = ${rand}s`,
      `        replay_window = ${o.replayWindowSize}`,
      `        if_id_in = ${t.ifId}`,
      `        if_id_out = ${t.ifId}`,
      `        start_action = ${initiates ? "start" : "none"}`,
      `        dpd_action = ${initiates ? "restart" : "clear"}`,
      `        close_action = ${initiates ? "start" : "none"}`,
      "      }",
      "    }",
      "  }",
    );
  }
  lines.push("}", "secrets {");
  for (const t of tunnels)
    lines.push(
      `  ike-${t.name} {`,
      `    id-local = ${site.customerOutsideAddress}`,
      `    id-remote = ${t.tunnel.awsOutsideAddress}`,
      ...secretLine(site, t).map((line) => `    ${line}`),
      "  }",
    );
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

const isIpv6 = (prefix: string) => prefix.includes(":");

function renderFrr(site: DeviceSite, tunnels: NamedTunnel[]): string {
  const lines = [...header(site, "!", "FRR frr.conf"), "!"];
  // What the device advertises: its own prefixes, and those it passes on between connections (a transit hub).
  const advertised = [...site.customerPrefixes, ...(site.transitPrefixes ?? [])];
  const v4 = advertised.filter((p) => !isIpv6(p));
  const v6 = advertised.filter(isIpv6);
  const originated = new Set(site.customerPrefixes);
  if (site.routing === "static") {
    lines.push("! Static routing: AWS routes the customer prefixes itself (the connection's static routes).");
    if (site.awsPrefixes.length === 0) lines.push("! No AWS prefixes are planned for this site.");
    for (const prefix of site.awsPrefixes)
      for (const t of tunnels)
        lines.push(`${isIpv6(prefix) ? "ipv6" : "ip"} route ${prefix} ${t.tunnel.awsInsideAddress}`);
    lines.push("!");
    return `${lines.join("\n")}\n`;
  }
  const family = site.insideIpVersion === "ipv6" ? "ipv6" : "ipv4";
  for (const [i, prefix] of v4.entries())
    lines.push(`ip prefix-list HYBRIDNET-CUSTOMER seq ${(i + 1) * 5} permit ${prefix}`);
  for (const [i, prefix] of v6.entries())
    lines.push(`ipv6 prefix-list HYBRIDNET-CUSTOMER6 seq ${(i + 1) * 5} permit ${prefix}`);
  lines.push(
    "!",
    "route-map HYBRIDNET-AWS-IN permit 10",
    "exit",
    "!",
    "route-map HYBRIDNET-AWS-OUT permit 10",
    ` match ${family === "ipv6" ? "ipv6" : "ip"} address prefix-list HYBRIDNET-CUSTOMER${family === "ipv6" ? "6" : ""}`,
    "exit",
    "!",
  );
  if (!site.unanchoredPrefixes)
    for (const prefix of site.customerPrefixes)
      lines.push(`${isIpv6(prefix) ? "ipv6" : "ip"} route ${prefix} blackhole 250`);
  lines.push(
    "!",
    `router bgp ${site.customerAsn}`,
    ` bgp router-id ${site.customerOutsideAddress}`,
    " no bgp default ipv4-unicast",
    // Advertised whether or not the RIB holds them: the VPC router, not this device, routes them.
    ...(site.unanchoredPrefixes ? [" no bgp network import-check"] : []),
  );
  for (const t of tunnels) {
    const peer = t.tunnel.awsInsideAddress;
    lines.push(
      ` neighbor ${peer} remote-as ${t.awsAsn}`,
      ` neighbor ${peer} description ${t.connectionId} tunnel ${t.tunnel.number}`,
      ` neighbor ${peer} timers ${BGP_KEEPALIVE_SECONDS} ${BGP_HOLD_SECONDS}`,
    );
  }
  lines.push(` !`, ` address-family ${family} unicast`);
  for (const prefix of family === "ipv6" ? v6 : v4)
    if (originated.has(prefix)) lines.push(`  network ${prefix}`);
  for (const t of tunnels) {
    const peer = t.tunnel.awsInsideAddress;
    lines.push(
      `  neighbor ${peer} activate`,
      `  neighbor ${peer} route-map HYBRIDNET-AWS-IN in`,
      `  neighbor ${peer} route-map HYBRIDNET-AWS-OUT out`,
      ...(site.asOverride ? [`  neighbor ${peer} as-override`] : []),
    );
  }
  lines.push(`  maximum-paths ${tunnels.length}`, " exit-address-family", "exit", "!");
  return `${lines.join("\n")}\n`;
}

/**
 * The strongSwan (swanctl.conf) and FRR (frr.conf) configuration of the site's device. Throws a
 * ValidationError, naming the site's component, for tunnel options strongSwan cannot express.
 */
export function renderStrongswan(site: DeviceSite): RenderedDeviceConfig {
  const problems = refusals(site);
  if (problems.length > 0) throw new ValidationError(`${site.component} site ${site.site}`, problems);
  const tunnels = namedTunnels(site);
  return {
    format: "strongswan",
    files: { "swanctl.conf": renderSwanctl(site, tunnels), "frr.conf": renderFrr(site, tunnels) },
  };
}
