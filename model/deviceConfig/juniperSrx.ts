/**
 * Juniper SRX (Junos `set` commands): the on-premises side of a site as a route-based VPN, the way AWS's own
 * downloadable SRX configurations build it — IKE proposals, policy and gateway with dead peer detection, IPsec
 * proposals, policy and a VPN bound to a secure tunnel interface `st0.N` per AWS tunnel with the inside
 * addresses, MTU 1436 and TCP MSS 1379, the tunnel interfaces in a security zone that admits BGP, and a BGP
 * group to AWS's inside addresses (hold time 30: keepalive 10), or static routes over the tunnels. Every
 * algorithm and group comes from the tunnel options through the tables below (./vendor "how match exactly is
 * kept"). Pure: no Pulumi import.
 */
import type { DpdTimeoutAction, EncryptionAlgorithm, IntegrityAlgorithm } from "../tunnelOptions";
import type { DeviceSite, DeviceTunnel, RenderedDeviceConfig } from "./site";
import {
  AWS_BGP_HOLD_TIME,
  AWS_TCP_MSS,
  AWS_TUNNEL_MTU,
  DeviceConfigError,
  dpdTimers,
  header,
  keyOf,
  requireIpv4Inside,
  translate,
  tunnelsOf,
} from "./vendor";

const FORMAT = "juniper-srx" as const;

/** AWS phase 1 encryption → `security ike proposal … encryption-algorithm` (GCM: IKEv2 only). */
export const JUNOS_IKE_ENCRYPTION: Record<EncryptionAlgorithm, string> = {
  AES128: "aes-128-cbc",
  AES256: "aes-256-cbc",
  "AES128-GCM-16": "aes-128-gcm",
  "AES256-GCM-16": "aes-256-gcm",
};
/** AWS phase 1 integrity → `authentication-algorithm` (a GCM proposal has none). */
export const JUNOS_IKE_INTEGRITY: Record<IntegrityAlgorithm, string> = {
  SHA1: "sha1",
  "SHA2-256": "sha-256",
  "SHA2-384": "sha-384",
  "SHA2-512": "sha-512",
};
/**
 * AWS DH group → `dh-group` (IKE) and `perfect-forward-secrecy keys` (IPsec). Junos has MODP 2, 5, 14–16, 24
 * and ECP 19–21; it has no groups 17, 18, 22, 23.
 */
export const JUNOS_DH_GROUP: Partial<Record<number, string>> = {
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
/** AWS phase 2 encryption → `security ipsec proposal … encryption-algorithm`. */
export const JUNOS_ESP_ENCRYPTION: Record<EncryptionAlgorithm, string> = {
  AES128: "aes-128-cbc",
  AES256: "aes-256-cbc",
  "AES128-GCM-16": "aes-128-gcm",
  "AES256-GCM-16": "aes-256-gcm",
};
/** AWS phase 2 integrity → `authentication-algorithm` of an IPsec proposal (GCM proposals take none). */
export const JUNOS_ESP_INTEGRITY: Record<IntegrityAlgorithm, string> = {
  SHA1: "hmac-sha1-96",
  "SHA2-256": "hmac-sha-256-128",
  "SHA2-384": "hmac-sha-384",
  "SHA2-512": "hmac-sha-512",
};
/** The one PFS group an IPsec policy proposes: the first of these the tunnel allows. */
export const PFS_PREFERENCE = [20, 19, 21, 16, 15, 14, 24, 5, 2] as const;
/** An IKE or IPsec policy lists at most this many proposals. */
export const MAX_PROPOSALS = 4;

const DPD_ACTION: Record<DpdTimeoutAction, string> = {
  clear: "AWS clears the tunnel when DPD times out: establish-tunnels immediately brings it back",
  none: "AWS takes no action when DPD times out",
  restart: "AWS restarts IKE when DPD times out",
};

const isGcm = (e: EncryptionAlgorithm) => e.endsWith("-GCM-16");

/**
 * The proposals of one phase: each cipher of the tunnel (in its order) with the first integrity algorithm it
 * allows (none for GCM), at most four. Every value is one the tunnel allows; the rest are listed as missing.
 */
function proposals(
  phase: 1 | 2,
  tunnel: DeviceTunnel,
  path: string,
  missing: string[],
): { encryption: string; integrity?: string }[] {
  const o = tunnel.options;
  const encryption = translate(
    FORMAT,
    `${path} phase${phase}EncryptionAlgorithms`,
    phase === 1 ? o.phase1EncryptionAlgorithms : o.phase2EncryptionAlgorithms,
    phase === 1 ? JUNOS_IKE_ENCRYPTION : JUNOS_ESP_ENCRYPTION,
    missing,
  );
  const integrity = translate(
    FORMAT,
    `${path} phase${phase}IntegrityAlgorithms`,
    phase === 1 ? o.phase1IntegrityAlgorithms : o.phase2IntegrityAlgorithms,
    phase === 1 ? JUNOS_IKE_INTEGRITY : JUNOS_ESP_INTEGRITY,
    missing,
  );
  const v1Only = !o.ikeVersions.includes("ikev2");
  const usable = encryption.filter((e) => !(phase === 1 && v1Only && isGcm(e.value)));
  if (usable.length === 0)
    throw new DeviceConfigError(
      FORMAT,
      `${path} phase1EncryptionAlgorithms`,
      o.phase1EncryptionAlgorithms,
      "a CBC cipher: IKEv1 has no GCM in phase 1",
    );
  const all = usable.map((e) => ({
    encryption: e.keyword,
    ...(isGcm(e.value) ? {} : { integrity: integrity[0].keyword }),
  }));
  for (const i of integrity.slice(1))
    missing.push(`${path} phase${phase} ${i.value} (one integrity per proposal)`);
  for (const p of all.slice(MAX_PROPOSALS)) missing.push(`${path} phase${phase} proposal ${p.encryption}`);
  return all.slice(0, MAX_PROPOSALS);
}

function dhGroup(phase: 1 | 2, tunnel: DeviceTunnel, path: string, missing: string[]): string {
  const groups = phase === 1 ? tunnel.options.phase1DhGroupNumbers : tunnel.options.phase2DhGroupNumbers;
  const group = PFS_PREFERENCE.find((g) => groups.includes(g));
  if (group === undefined)
    throw new DeviceConfigError(
      FORMAT,
      `${path} phase${phase}DhGroupNumbers`,
      groups,
      `${FORMAT} has none of these; its groups are ${Object.keys(JUNOS_DH_GROUP).join(", ")}`,
    );
  const others = groups.filter((g) => g !== group);
  if (others.length > 0)
    missing.push(`${path} phase${phase} DH groups ${others.join(", ")} (one group per proposal: ${group})`);
  return JUNOS_DH_GROUP[group] as string;
}

/** Renders the site as Junos `set` commands (one file, `<site>-juniper-srx.txt`). */
export function renderJuniperSrx(site: DeviceSite): RenderedDeviceConfig {
  requireIpv4Inside(FORMAT, site);
  const tunnels = tunnelsOf(site);
  if (tunnels.length === 0)
    throw new DeviceConfigError(FORMAT, `${site.site} connections`, [], "a site with VPN connections");
  const missing: string[] = [];
  const lines: string[] = header("#", FORMAT, site).concat([
    "# Replace ge-0/0/0.0 below with the interface that holds the customer gateway address.",
    "",
  ]);
  lines.push(
    "set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic system-services ike",
    `set security flow tcp-mss ipsec-vpn mss ${AWS_TCP_MSS}`,
  );
  for (const { connection, tunnel, index } of tunnels) {
    const name = `aws-${connection.key}-t${tunnel.number}`;
    const path = `${connection.key} tunnel ${tunnel.number}`;
    const o = tunnel.options;
    const { key, hint } = keyOf(site, connection, tunnel);
    const dpd = dpdTimers(o.dpdTimeoutSeconds, { minInterval: 10, maxInterval: 60, maxRetries: 5 });
    const ike = proposals(1, tunnel, path, missing);
    const ikeGroup = dhGroup(1, tunnel, path, missing);
    const esp = proposals(2, tunnel, path, missing);
    const pfs = dhGroup(2, tunnel, path, missing);
    const v2 = o.ikeVersions.includes("ikev2");
    // GCM in phase 1 is IKEv2 only: an IKEv1 tunnel keeps its CBC proposals.
    const ikeNames = ike.map((_, i) => `${name}-ike-${i + 1}`);
    const espNames = esp.map((_, i) => `${name}-ipsec-${i + 1}`);
    lines.push(
      "",
      `# ${connection.connectionId} tunnel ${tunnel.number}: AWS ${tunnel.awsOutsideAddress}, inside ${tunnel.insideCidr}`,
      `set interfaces st0 unit ${index} family inet address ${tunnel.customerInsideAddress}/${tunnel.insideCidr.split("/")[1]}`,
      `set interfaces st0 unit ${index} family inet mtu ${AWS_TUNNEL_MTU}`,
      `set security zones security-zone aws interfaces st0.${index} host-inbound-traffic protocols bgp`,
      `set security zones security-zone aws interfaces st0.${index} host-inbound-traffic system-services ping`,
      ...ike.flatMap((p, i) => [
        `set security ike proposal ${ikeNames[i]} authentication-method pre-shared-keys`,
        `set security ike proposal ${ikeNames[i]} dh-group ${ikeGroup}`,
        ...(p.integrity
          ? [`set security ike proposal ${ikeNames[i]} authentication-algorithm ${p.integrity}`]
          : []),
        `set security ike proposal ${ikeNames[i]} encryption-algorithm ${p.encryption}`,
        `set security ike proposal ${ikeNames[i]} lifetime-seconds ${o.phase1LifetimeSeconds}`,
      ]),
      ...(v2 ? [] : [`set security ike policy ${name} mode main`]),
      `set security ike policy ${name} proposals [ ${ikeNames.join(" ")} ]`,
      ...(hint ? [`# ${hint}`] : []),
      `set security ike policy ${name} pre-shared-key ascii-text "${key}"`,
      `set security ike gateway ${name} ike-policy ${name}`,
      `set security ike gateway ${name} address ${tunnel.awsOutsideAddress}`,
      `set security ike gateway ${name} local-address ${site.customerOutsideAddress}`,
      `set security ike gateway ${name} external-interface ge-0/0/0.0`,
      `set security ike gateway ${name} version ${v2 ? "v2-only" : "v1-only"}`,
      `# ${DPD_ACTION[o.dpdTimeoutAction]}; ${o.startupAction === "start" ? "AWS starts IKE" : "this device starts IKE (AWS waits: startup action add)"}.`,
      `set security ike gateway ${name} dead-peer-detection interval ${dpd.interval}`,
      `set security ike gateway ${name} dead-peer-detection threshold ${dpd.retries}`,
      ...esp.flatMap((p, i) => [
        `set security ipsec proposal ${espNames[i]} protocol esp`,
        ...(p.integrity
          ? [`set security ipsec proposal ${espNames[i]} authentication-algorithm ${p.integrity}`]
          : []),
        `set security ipsec proposal ${espNames[i]} encryption-algorithm ${p.encryption}`,
        `set security ipsec proposal ${espNames[i]} lifetime-seconds ${o.phase2LifetimeSeconds}`,
      ]),
      `set security ipsec policy ${name} perfect-forward-secrecy keys ${pfs}`,
      `set security ipsec policy ${name} proposals [ ${espNames.join(" ")} ]`,
      `set security ipsec vpn ${name} bind-interface st0.${index}`,
      `set security ipsec vpn ${name} ike gateway ${name}`,
      `set security ipsec vpn ${name} ike ipsec-policy ${name}`,
      `set security ipsec vpn ${name} df-bit clear`,
      `set security ipsec vpn ${name} establish-tunnels immediately`,
    );
  }
  lines.push("");
  if (site.routing === "bgp") {
    lines.push(
      `set routing-options autonomous-system ${site.customerAsn}`,
      "set policy-options policy-statement aws-export term site from protocol [ direct static ]",
      ...site.customerPrefixes.map(
        (p) => `set policy-options policy-statement aws-export term site from route-filter ${p} exact`,
      ),
      "set policy-options policy-statement aws-export term site then accept",
      "set policy-options policy-statement aws-export term rest then reject",
      "set protocols bgp group aws type external",
      `set protocols bgp group aws peer-as ${site.awsAsn}`,
      // Junos sends keepalives every third of the hold time: 10 s.
      `set protocols bgp group aws hold-time ${AWS_BGP_HOLD_TIME}`,
      "set protocols bgp group aws export aws-export",
      ...(site.connections.length > 1 ? ["set protocols bgp group aws multipath"] : []),
      ...tunnels.map(
        ({ tunnel }) =>
          `set protocols bgp group aws neighbor ${tunnel.awsInsideAddress} local-address ${tunnel.customerInsideAddress}`,
      ),
      `# AWS announces ${site.awsPrefixes.join(", ") || "the networks of the site's segment"}.`,
      "# Traffic between your zones and zone aws needs security policies (from-zone trust to-zone aws, and back).",
    );
  } else {
    lines.push(
      "# Static routing: AWS's networks over tunnel 1 of each connection, tunnel 2 as the fallback.",
    );
    for (const p of site.awsPrefixes)
      for (const { tunnel, index } of tunnels)
        lines.push(
          tunnel.number === 1
            ? `set routing-options static route ${p} next-hop st0.${index}`
            : `set routing-options static route ${p} qualified-next-hop st0.${index} preference 10`,
        );
  }
  if (missing.length > 0)
    lines.push(
      "",
      "# Allowed by the tunnel options but not proposed here (no Junos keyword, or one per proposal):",
      ...missing.map((m) => `#   ${m}`),
    );
  lines.push("");
  return { format: FORMAT, files: { [`${site.site}-juniper-srx.txt`]: lines.join("\n") } };
}
