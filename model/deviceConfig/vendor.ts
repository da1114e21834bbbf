/**
 * What the vendor renderers (Cisco IOS-XE, Juniper SRX) share: translating AWS's names for tunnel options
 * into a vendor's keywords through a table, the refusal of a site the format cannot express, and the
 * timers AWS documents for customer gateways. Pure: no Pulumi import.
 *
 * How "match exactly" is kept: a device proposes, AWS picks from what the tunnel allows. Every algorithm
 * and group the rendered configuration proposes is one the tunnel option lists; the values the tunnel
 * allows that the vendor has no keyword for are left out and named in a comment; a field none of whose
 * values the vendor can write, and a setting the vendor's configuration model cannot hold, is refused with
 * a {@link DeviceConfigError}. Lifetimes are written exactly as AWS holds them.
 */
import type { DeviceConfigFormat, DeviceConnection, DeviceSite, DeviceTunnel } from "./site";
import { presharedKeyPlaceholder } from "./site";

/** BGP timers AWS's own customer gateway configurations use: keepalive 10 s, hold time 30 s. */
export const AWS_BGP_KEEPALIVE = 10;
/** BGP hold time of AWS's customer gateway configurations. */
export const AWS_BGP_HOLD_TIME = 30;
/** TCP MSS AWS recommends on the tunnel interfaces (its configurations: `tcp adjust-mss 1379`). */
export const AWS_TCP_MSS = 1379;
/** Tunnel interface MTU AWS recommends. */
export const AWS_TUNNEL_MTU = 1436;

/** A site a format cannot express: exit 2 in the CLI, with the field, the value and what the format takes. */
export class DeviceConfigError extends Error {
  constructor(
    readonly format: DeviceConfigFormat,
    /** Where: `dc1-1 tunnel 1 phase1DhGroupNumbers`. */
    readonly path: string,
    readonly value: unknown,
    /** What the format can write instead. */
    readonly allowed: string,
  ) {
    super(`${format}: ${path} ${JSON.stringify(value)}: ${allowed}`);
    this.name = "DeviceConfigError";
  }
}

/**
 * The vendor keywords for the values of one tunnel option, in the tunnel's order, through `table`; values
 * without a keyword go to `missing`. Refuses when none is left.
 */
export function translate<V extends string | number>(
  format: DeviceConfigFormat,
  path: string,
  values: readonly V[],
  table: Partial<Record<V, string>>,
  missing: string[],
): { value: V; keyword: string }[] {
  const out: { value: V; keyword: string }[] = [];
  for (const value of values) {
    const keyword = table[value];
    if (keyword === undefined) missing.push(`${path} ${value}`);
    else out.push({ value, keyword });
  }
  if (out.length === 0)
    throw new DeviceConfigError(
      format,
      path,
      values,
      `${format} has none of these; it writes ${Object.keys(table).join(", ")}`,
    );
  return out;
}

/** Dead peer detection probe interval and retries that declare the peer dead after AWS's DPD timeout. */
export function dpdTimers(
  timeoutSeconds: number,
  limits: { minInterval: number; maxInterval: number; maxRetries: number },
): { interval: number; retries: number } {
  const interval = Math.min(limits.maxInterval, Math.max(limits.minInterval, Math.floor(timeoutSeconds / 3)));
  const retries = Math.min(limits.maxRetries, Math.max(1, Math.ceil(timeoutSeconds / interval)));
  return { interval, retries };
}

/** The key a tunnel authenticates with: the shown key, or the placeholder and where to read the key. */
export function keyOf(
  site: DeviceSite,
  connection: DeviceConnection,
  tunnel: DeviceTunnel,
): { key: string; hint?: string } {
  if (tunnel.presharedKey !== undefined) return { key: tunnel.presharedKey };
  const placeholder = presharedKeyPlaceholder(site, connection, tunnel);
  return { key: placeholder.token, hint: placeholder.hint };
}

/** Every tunnel of the site with its connection, in order (connection by connection, tunnel 1 first). */
export function tunnelsOf(
  site: DeviceSite,
): { connection: DeviceConnection; tunnel: DeviceTunnel; index: number }[] {
  return site.connections
    .flatMap((connection) => connection.tunnels.map((tunnel) => ({ connection, tunnel })))
    .map((t, i) => ({ ...t, index: i + 1 }));
}

/** IPv4 prefix length → dotted mask (`20` → `255.255.240.0`). */
export function netmask(length: number): string {
  const bits = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return [24, 16, 8, 0].map((s) => (bits >>> s) & 255).join(".");
}

/** `10.10.0.0/20` → `["10.10.0.0", 20]`. */
export function splitCidr(cidr: string): [string, number] {
  const [address, length] = cidr.split("/");
  return [address, Number(length)];
}

/** Refuses IPv6 inside addresses: the vendor renderers write IPv4 tunnel interfaces and BGP sessions. */
export function requireIpv4Inside(format: DeviceConfigFormat, site: DeviceSite): void {
  if (site.insideIpVersion !== "ipv4")
    throw new DeviceConfigError(
      format,
      `${site.site} tunnelInsideIpVersion`,
      site.insideIpVersion,
      `${format} configurations are written for IPv4 inside addresses; use the strongswan format`,
    );
}

/** Header lines: what the configuration is for and how it was made, as comments with `mark`. */
export function header(mark: string, format: DeviceConfigFormat, site: DeviceSite): string[] {
  const device = site.deviceName ? ` (device ${site.deviceName})` : "";
  return [
    `${mark} hybridnet device-config --format ${format}: site ${site.site}${device} of ${site.component}, stack ${site.stack}`,
    `${mark} Customer gateway ${site.customerOutsideAddress}, ASN ${site.customerAsn}; AWS side ASN ${site.awsAsn}; ${site.routing} routing`,
    `${mark} Connections: ${site.connections.map((c) => `${c.key} ${c.connectionId}`).join(", ")}`,
    `${mark} Route-based IPsec: one tunnel interface per AWS tunnel; configure both tunnels of every connection.`,
  ];
}
