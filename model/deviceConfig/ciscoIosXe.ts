/**
 * Cisco IOS-XE: the on-premises side of a site as a route-based IKEv2 VPN, the way AWS's own downloadable
 * IOS-XE configurations build it — an IKEv2 proposal, policy, keyring and profile, an IPsec transform set and
 * profile, one static virtual tunnel interface per AWS tunnel with the inside addresses, TCP MSS 1379 and MTU
 * 1436, dead peer detection, and BGP to AWS's inside addresses with AWS's timers (keepalive 10, hold 30), or
 * static routes over the tunnels. Every algorithm and group comes from the tunnel options through the tables
 * below (./vendor "how match exactly is kept"). Pure: no Pulumi import.
 */
import type { DpdTimeoutAction, EncryptionAlgorithm, IntegrityAlgorithm } from "../tunnelOptions";
import type { DeviceSite, DeviceTunnel, RenderedDeviceConfig } from "./site";
import {
  AWS_BGP_HOLD_TIME,
  AWS_BGP_KEEPALIVE,
  AWS_TCP_MSS,
  AWS_TUNNEL_MTU,
  DeviceConfigError,
  dpdTimers,
  header,
  keyOf,
  netmask,
  requireIpv4Inside,
  splitCidr,
  translate,
  tunnelsOf,
} from "./vendor";

const FORMAT = "cisco-ios-xe" as const;

/** AWS phase 1 encryption → `crypto ikev2 proposal` `encryption` keyword. */
export const IOS_XE_IKE_ENCRYPTION: Record<EncryptionAlgorithm, string> = {
  AES128: "aes-cbc-128",
  AES256: "aes-cbc-256",
  "AES128-GCM-16": "aes-gcm-128",
  "AES256-GCM-16": "aes-gcm-256",
};
/** AWS phase 1 integrity → `integrity` keyword (and `prf` of a GCM proposal, which has no integrity). */
export const IOS_XE_IKE_INTEGRITY: Record<IntegrityAlgorithm, string> = {
  SHA1: "sha1",
  "SHA2-256": "sha256",
  "SHA2-384": "sha384",
  "SHA2-512": "sha512",
};
/**
 * AWS DH group → IKEv2 proposal `group` number. IOS-XE has MODP 2, 5, 14–16, 24 and ECP 19–21; it has no
 * groups 17, 18 (MODP 6144/8192) nor 22, 23 (MODP with prime-order subgroups).
 */
export const IOS_XE_DH_GROUP: Partial<Record<number, string>> = {
  2: "2",
  5: "5",
  14: "14",
  15: "15",
  16: "16",
  19: "19",
  20: "20",
  21: "21",
  24: "24",
};
/** AWS phase 2 encryption → transform set cipher. */
export const IOS_XE_ESP_ENCRYPTION: Record<EncryptionAlgorithm, string> = {
  AES128: "esp-aes 128",
  AES256: "esp-aes 256",
  "AES128-GCM-16": "esp-gcm 128",
  "AES256-GCM-16": "esp-gcm 256",
};
/** AWS phase 2 integrity → transform set HMAC (GCM transform sets take none). */
export const IOS_XE_ESP_INTEGRITY: Record<IntegrityAlgorithm, string> = {
  SHA1: "esp-sha-hmac",
  "SHA2-256": "esp-sha256-hmac",
  "SHA2-384": "esp-sha384-hmac",
  "SHA2-512": "esp-sha512-hmac",
};
/** AWS phase 2 DH group → IPsec profile `set pfs` group (one per profile). */
export const IOS_XE_PFS_GROUP: Partial<Record<number, string>> = {
  2: "group2",
  5: "group5",
  14: "group14",
  15: "group15",
  16: "group16",
  19: "group19",
  20: "group20",
  21: "group21",
  24: "group24",
};
/** The one PFS group an IPsec profile proposes: the first of these the tunnel allows. */
export const PFS_PREFERENCE = [20, 19, 21, 16, 15, 14, 24, 5, 2] as const;
/** IOS-XE anti-replay window sizes. */
export const IOS_XE_REPLAY_WINDOWS = [64, 128, 256, 512, 1024] as const;
/** An IPsec profile lists at most this many transform sets. */
export const MAX_TRANSFORM_SETS = 6;

const DPD_ACTION: Record<DpdTimeoutAction, string> = {
  clear: "AWS clears the tunnel when DPD times out: this device brings it back up (BGP or traffic)",
  none: "AWS takes no action when DPD times out",
  restart: "AWS restarts IKE when DPD times out",
};

const isGcm = (e: EncryptionAlgorithm) => e.endsWith("-GCM-16");

/** The IKEv2 proposals of a tunnel: one for CBC ciphers with integrity, one for GCM with a PRF. */
function ikeProposals(
  tunnel: DeviceTunnel,
  path: string,
  missing: string[],
): { name: string; lines: string[] }[] {
  const o = tunnel.options;
  const encryption = translate(
    FORMAT,
    `${path} phase1EncryptionAlgorithms`,
    o.phase1EncryptionAlgorithms,
    IOS_XE_IKE_ENCRYPTION,
    missing,
  );
  const integrity = translate(
    FORMAT,
    `${path} phase1IntegrityAlgorithms`,
    o.phase1IntegrityAlgorithms,
    IOS_XE_IKE_INTEGRITY,
    missing,
  );
  const groups = translate(
    FORMAT,
    `${path} phase1DhGroupNumbers`,
    o.phase1DhGroupNumbers,
    IOS_XE_DH_GROUP,
    missing,
  );
  const group = ` group ${groups.map((g) => g.keyword).join(" ")}`;
  const hashes = integrity.map((i) => i.keyword).join(" ");
  const proposals: { name: string; lines: string[] }[] = [];
  const cbc = encryption.filter((e) => !isGcm(e.value));
  const gcm = encryption.filter((e) => isGcm(e.value));
  if (cbc.length > 0)
    proposals.push({
      name: "AWS-IKEV2-CBC",
      lines: [` encryption ${cbc.map((e) => e.keyword).join(" ")}`, ` integrity ${hashes}`, group],
    });
  if (gcm.length > 0)
    proposals.push({
      name: "AWS-IKEV2-GCM",
      lines: [` encryption ${gcm.map((e) => e.keyword).join(" ")}`, ` prf ${hashes}`, group],
    });
  return proposals;
}

/** The transform sets of a tunnel: each CBC cipher with each HMAC, each GCM cipher alone; at most six. */
function transformSets(tunnel: DeviceTunnel, path: string, missing: string[]): string[] {
  const o = tunnel.options;
  const encryption = translate(
    FORMAT,
    `${path} phase2EncryptionAlgorithms`,
    o.phase2EncryptionAlgorithms,
    IOS_XE_ESP_ENCRYPTION,
    missing,
  );
  const integrity = translate(
    FORMAT,
    `${path} phase2IntegrityAlgorithms`,
    o.phase2IntegrityAlgorithms,
    IOS_XE_ESP_INTEGRITY,
    missing,
  );
  const sets = encryption.flatMap((e) =>
    isGcm(e.value) ? [e.keyword] : integrity.map((i) => `${e.keyword} ${i.keyword}`),
  );
  for (const dropped of sets.slice(MAX_TRANSFORM_SETS)) missing.push(`${path} transform set ${dropped}`);
  return sets.slice(0, MAX_TRANSFORM_SETS);
}

function pfsGroup(tunnel: DeviceTunnel, path: string): string {
  const group = PFS_PREFERENCE.find((g) => tunnel.options.phase2DhGroupNumbers.includes(g));
  if (group === undefined)
    throw new DeviceConfigError(
      FORMAT,
      `${path} phase2DhGroupNumbers`,
      tunnel.options.phase2DhGroupNumbers,
      `${FORMAT} has none of these; its PFS groups are ${Object.keys(IOS_XE_PFS_GROUP).join(", ")}`,
    );
  return IOS_XE_PFS_GROUP[group] as string;
}

/** The phase 1 settings IOS-XE shares between the tunnels of one local address (its IKEv2 policy). */
function phase1Signature(tunnel: DeviceTunnel): string {
  const o = tunnel.options;
  return JSON.stringify([o.phase1EncryptionAlgorithms, o.phase1IntegrityAlgorithms, o.phase1DhGroupNumbers]);
}

/** Renders the site for Cisco IOS-XE (one file, `<site>-cisco-ios-xe.txt`). */
export function renderCiscoIosXe(site: DeviceSite): RenderedDeviceConfig {
  requireIpv4Inside(FORMAT, site);
  const tunnels = tunnelsOf(site);
  const first = tunnels[0]?.tunnel;
  if (!first)
    throw new DeviceConfigError(FORMAT, `${site.site} connections`, [], "a site with VPN connections");
  for (const { connection, tunnel } of tunnels) {
    const path = `${connection.key} tunnel ${tunnel.number}`;
    if (!tunnel.options.ikeVersions.includes("ikev2"))
      throw new DeviceConfigError(
        FORMAT,
        `${path} ikeVersions`,
        tunnel.options.ikeVersions,
        `${FORMAT} configurations are IKEv2 (crypto ikev2); allow "ikev2" on the tunnel`,
      );
    if (phase1Signature(tunnel) !== phase1Signature(first))
      throw new DeviceConfigError(
        FORMAT,
        `${path} phase 1 options`,
        tunnel.options.phase1DhGroupNumbers,
        "the same phase 1 algorithms and groups on every tunnel: IOS-XE picks IKEv2 proposals by local address, not by peer",
      );
    if (!(IOS_XE_REPLAY_WINDOWS as readonly number[]).includes(tunnel.options.replayWindowSize))
      throw new DeviceConfigError(
        FORMAT,
        `${path} replayWindowSize`,
        tunnel.options.replayWindowSize,
        `one of ${IOS_XE_REPLAY_WINDOWS.join(", ")} (IOS-XE anti-replay window sizes)`,
      );
  }
  const missing: string[] = [];
  const lines: string[] = header("!", FORMAT, site).concat([
    "! Replace GigabitEthernet1 below with the interface that holds the customer gateway address.",
    "!",
  ]);

  const proposals = ikeProposals(first, `${site.site} phase 1`, missing);
  for (const p of proposals) lines.push(`crypto ikev2 proposal ${p.name}`, ...p.lines, "!");
  lines.push(
    "crypto ikev2 policy AWS-IKEV2-POLICY",
    ` match address local ${site.customerOutsideAddress}`,
    ...proposals.map((p) => ` proposal ${p.name}`),
    "!",
  );

  for (const { connection, tunnel, index } of tunnels) {
    const name = `AWS-${connection.key}-T${tunnel.number}`;
    const path = `${connection.key} tunnel ${tunnel.number}`;
    const o = tunnel.options;
    const { key, hint } = keyOf(site, connection, tunnel);
    const dpd = dpdTimers(o.dpdTimeoutSeconds, { minInterval: 10, maxInterval: 3600, maxRetries: 60 });
    const sets = transformSets(tunnel, path, missing);
    lines.push(
      `! ${connection.connectionId} tunnel ${tunnel.number}: AWS ${tunnel.awsOutsideAddress}, inside ${tunnel.insideCidr}`,
      ...(hint ? [`! ${hint}`] : []),
      `crypto ikev2 keyring ${name}`,
      ` peer ${name}`,
      `  address ${tunnel.awsOutsideAddress}`,
      `  pre-shared-key ${key}`,
      "!",
      `crypto ikev2 profile ${name}`,
      ` match identity remote address ${tunnel.awsOutsideAddress} 255.255.255.255`,
      ` identity local address ${site.customerOutsideAddress}`,
      " authentication remote pre-share",
      " authentication local pre-share",
      ` keyring local ${name}`,
      ` lifetime ${o.phase1LifetimeSeconds}`,
      // AWS declares the peer dead after dpdTimeoutSeconds without an answer; probe so this side does too.
      ` dpd ${dpd.interval} ${dpd.retries} periodic`,
      "!",
      ...sets.flatMap((set, i) => [
        `crypto ipsec transform-set ${name}-TS${i + 1} ${set}`,
        " mode tunnel",
        "!",
      ]),
      `crypto ipsec profile ${name}`,
      ` set transform-set ${sets.map((_, i) => `${name}-TS${i + 1}`).join(" ")}`,
      ` set pfs ${pfsGroup(tunnel, path)}`,
      ` set security-association lifetime seconds ${o.phase2LifetimeSeconds}`,
      ` set security-association replay window-size ${o.replayWindowSize}`,
      ` set ikev2-profile ${name}`,
      "!",
      `! ${DPD_ACTION[o.dpdTimeoutAction]}; ${o.startupAction === "start" ? "AWS starts IKE" : "this device starts IKE (AWS waits: startup action add)"}.`,
      `interface Tunnel${index}`,
      ` description ${connection.connectionId} tunnel ${tunnel.number} (site ${site.site})`,
      ` ip address ${tunnel.customerInsideAddress} ${netmask(splitCidr(tunnel.insideCidr)[1])}`,
      ` ip mtu ${AWS_TUNNEL_MTU}`,
      ` ip tcp adjust-mss ${AWS_TCP_MSS}`,
      " tunnel source GigabitEthernet1",
      " tunnel mode ipsec ipv4",
      ` tunnel destination ${tunnel.awsOutsideAddress}`,
      ` tunnel protection ipsec profile ${name}`,
      " no shutdown",
      "!",
    );
  }

  if (site.routing === "bgp") {
    lines.push(
      `router bgp ${site.customerAsn}`,
      " bgp log-neighbor-changes",
      ...tunnels.flatMap(({ tunnel }) => [
        ` neighbor ${tunnel.awsInsideAddress} remote-as ${site.awsAsn}`,
        ` neighbor ${tunnel.awsInsideAddress} timers ${AWS_BGP_KEEPALIVE} ${AWS_BGP_HOLD_TIME} ${AWS_BGP_HOLD_TIME}`,
      ]),
      " address-family ipv4 unicast",
      ...site.customerPrefixes.map((p) => {
        const [address, length] = splitCidr(p);
        return `  network ${address} mask ${netmask(length)}`;
      }),
      ...tunnels.flatMap(({ tunnel }) => [
        `  neighbor ${tunnel.awsInsideAddress} activate`,
        `  neighbor ${tunnel.awsInsideAddress} soft-reconfiguration inbound`,
      ]),
      ...(site.connections.length > 1 ? [`  maximum-paths ${site.connections.length}`] : []),
      " exit-address-family",
      "!",
      `! AWS announces ${site.awsPrefixes.join(", ") || "the networks of the site's segment"}; each network above must be in this router's table.`,
    );
  } else {
    lines.push(
      "! Static routing: AWS's networks over tunnel 1 of each connection, tunnel 2 as the fallback.",
    );
    for (const p of site.awsPrefixes) {
      const [address, length] = splitCidr(p);
      for (const { tunnel, index } of tunnels)
        lines.push(
          `ip route ${address} ${netmask(length)} Tunnel${index}${tunnel.number === 2 ? " 10" : ""}`,
        );
    }
    lines.push("!");
  }
  if (missing.length > 0)
    lines.push(
      "! Allowed by the tunnel options but not proposed here (no IOS-XE keyword, or beyond six transform sets):",
      ...missing.map((m) => `!   ${m}`),
    );
  lines.push("end", "");
  return { format: FORMAT, files: { [`${site.site}-cisco-ios-xe.txt`]: lines.join("\n") } };
}
