/**
 * The AWS end of a site's tunnels for the namespace lab, rendered here from the tunnel options as AWS holds
 * them, independently of model/deviceConfig: its own names for the algorithms (from the IANA IKEv2 registry
 * and strongSwan's algorithm table) and one proposal per accepted combination, the way AWS lists what a tunnel
 * accepts, rather than the device renderer's compact proposals. AWS answers (it never starts IKE on an "add"
 * tunnel) and its BGP side uses short timers so the lab settles in seconds.
 */
import type { DeviceSite, DeviceTunnel } from "../../model/deviceConfig/site";

/** strongSwan names of the AWS algorithms, from strongSwan's "IKEv2 Cipher Suites" table. */
const CIPHER: Record<string, { name: string; aead: boolean }> = {
  AES128: { name: "aes128", aead: false },
  AES256: { name: "aes256", aead: false },
  "AES128-GCM-16": { name: "aes128gcm16", aead: true },
  "AES256-GCM-16": { name: "aes256gcm16", aead: true },
};
const HASH: Record<string, string> = {
  SHA1: "sha1",
  "SHA2-256": "sha256",
  "SHA2-384": "sha384",
  "SHA2-512": "sha512",
};
const GROUP: Record<number, string> = {
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

/** Every combination AWS accepts in phase 1, one proposal each. */
function phase1(t: DeviceTunnel): string[] {
  const o = t.options;
  const out: string[] = [];
  for (const e of o.phase1EncryptionAlgorithms)
    for (const i of o.phase1IntegrityAlgorithms)
      for (const g of o.phase1DhGroupNumbers) {
        const c = CIPHER[e];
        out.push(c.aead ? `${c.name}-prf${HASH[i]}-${GROUP[g]}` : `${c.name}-${HASH[i]}-${GROUP[g]}`);
      }
  return out;
}

/** Every combination AWS accepts in phase 2 (GCM carries no integrity in ESP), one proposal each. */
function phase2(t: DeviceTunnel): string[] {
  const o = t.options;
  const out = new Set<string>();
  for (const e of o.phase2EncryptionAlgorithms)
    for (const i of o.phase2IntegrityAlgorithms)
      for (const g of o.phase2DhGroupNumbers) {
        const c = CIPHER[e];
        out.add(c.aead ? `${c.name}-${GROUP[g]}` : `${c.name}-${HASH[i]}-${GROUP[g]}`);
      }
  return [...out];
}

interface AwsEndpoint {
  name: string;
  tunnel: DeviceTunnel;
}

function endpoints(site: DeviceSite): AwsEndpoint[] {
  return site.connections.flatMap((c) =>
    c.tunnels.map((tunnel) => ({ name: `aws-${c.key}-${tunnel.number}`, tunnel })),
  );
}

/** AWS's swanctl.conf: one responder connection per tunnel endpoint. */
export function awsSwanctl(site: DeviceSite): string {
  const lines = ["connections {"];
  for (const { name, tunnel } of endpoints(site)) {
    const versions = tunnel.options.ikeVersions;
    const version = versions.length === 2 ? 0 : versions[0] === "ikev1" ? 1 : 2;
    lines.push(
      `  ${name} {`,
      `    version = ${version}`,
      `    local_addrs = ${tunnel.awsOutsideAddress}`,
      `    remote_addrs = ${site.customerOutsideAddress}`,
      `    proposals = ${phase1(tunnel).join(",")}`,
      "    local {",
      "      auth = psk",
      `      id = ${tunnel.awsOutsideAddress}`,
      "    }",
      "    remote {",
      "      auth = psk",
      `      id = ${site.customerOutsideAddress}`,
      "    }",
      "    children {",
      `      ${name} {`,
      `        local_ts = ${site.insideIpVersion === "ipv6" ? "::/0" : "0.0.0.0/0"}`,
      `        remote_ts = ${site.insideIpVersion === "ipv6" ? "::/0" : "0.0.0.0/0"}`,
      `        esp_proposals = ${phase2(tunnel).join(",")}`,
      `        life_time = ${tunnel.options.phase2LifetimeSeconds}s`,
      "      }",
      "    }",
      "  }",
    );
  }
  lines.push("}", "secrets {");
  for (const { name, tunnel } of endpoints(site))
    lines.push(
      `  ike-${name} {`,
      `    id-aws = ${tunnel.awsOutsideAddress}`,
      `    id-device = ${site.customerOutsideAddress}`,
      `    secret = "${tunnel.presharedKey}"`,
      "  }",
    );
  lines.push("}", "");
  return lines.join("\n");
}

/** AWS's BGP speaker: the AWS ASN, one neighbour per tunnel, advertising the AWS prefixes. */
export function awsFrr(site: DeviceSite): string {
  const lines = [
    `router bgp ${site.awsAsn}`,
    ` bgp router-id ${endpoints(site)[0].tunnel.awsOutsideAddress}`,
    " no bgp ebgp-requires-policy",
    " no bgp network import-check",
    " no bgp default ipv4-unicast",
  ];
  for (const { tunnel } of endpoints(site))
    lines.push(
      ` neighbor ${tunnel.customerInsideAddress} remote-as ${site.customerAsn}`,
      ` neighbor ${tunnel.customerInsideAddress} timers 1 3`,
      ` neighbor ${tunnel.customerInsideAddress} timers connect 1`,
    );
  lines.push(" address-family ipv4 unicast");
  for (const prefix of site.awsPrefixes) lines.push(`  network ${prefix}`);
  for (const { tunnel } of endpoints(site)) lines.push(`  neighbor ${tunnel.customerInsideAddress} activate`);
  lines.push("  maximum-paths 8", " exit-address-family", "exit", "");
  return lines.join("\n");
}
