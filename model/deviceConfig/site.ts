/**
 * The on-premises side of one site of a managed VPN, as a device configuration needs it: every field comes
 * from what AWS holds for the site's VPN connections (the registered `aws:ec2/vpnConnection:VpnConnection`
 * inputs and outputs, its customer gateway, the gateway's ASN). Renderers (strongSwan + FRR, Cisco IOS-XE,
 * Juniper SRX) take a `DeviceSite` and nothing else, so every format negotiates exactly what AWS does.
 */
import type { ResolvedTunnelOptions } from "../tunnelOptions";
import type { TunnelInsideIpVersion, VpnRouting } from "../vpn";

/** One tunnel of a VPN connection, seen from the customer gateway device. */
export interface DeviceTunnel {
  /** 1 or 2: the tunnel's number on its VPN connection (`tunnel1…`, `tunnel2…`). */
  number: 1 | 2;
  /** AWS's outside address of the tunnel (`tunnelNAddress`): the device's IKE peer. */
  awsOutsideAddress: string;
  /** Inside CIDR of the tunnel (`tunnelNInsideCidr`), a /30 in 169.254.0.0/16 (a /126 for IPv6 tunnels). */
  insideCidr: string;
  /** AWS's inside address (first usable address of the inside CIDR): the BGP neighbour. */
  awsInsideAddress: string;
  /** The device's inside address (second usable address of the inside CIDR). */
  customerInsideAddress: string;
  /**
   * The tunnel's pre-shared key. Absent unless the caller explicitly asked for secrets; renderers then write
   * a placeholder that names where to find the key, never an empty or made-up key.
   */
  presharedKey?: string;
  /** IPsec and IKE settings of this tunnel, as registered on the connection (`tunnelN…` inputs). */
  options: ResolvedTunnelOptions;
}

/** One VPN connection of the site (a site with ECMP on a transit gateway has several). */
export interface DeviceConnection {
  /** Stable key of the connection in resource names: `<site>` or `<site>-<n>`. */
  key: string;
  /** VPN connection id (`vpn-...`). */
  connectionId: string;
  /** Both tunnels, tunnel 1 first. */
  tunnels: DeviceTunnel[];
  /**
   * The AWS side's BGP ASN of this connection, where the site's connections end on gateways of different ASNs
   * (a transit VPC hub: one virtual private gateway per spoke). @default the site's `awsAsn`.
   */
  awsAsn?: number;
}

/** Everything a device configuration for one site needs. */
export interface DeviceSite {
  /** Stack the site belongs to (`connectivity-dev`). */
  stack: string;
  /** Component that terminates the site, as errors name it (`hybridnet:index:TransitGatewayVpn "hub"`). */
  component: string;
  /** Site key (`dc1`). */
  site: string;
  /** Device name from the site's `deviceName` (the customer gateway's `hybridnet:device` tag), if any. */
  deviceName?: string;
  /** The device's public (outside) IPv4 address: the customer gateway's `ipAddress`. */
  customerOutsideAddress: string;
  /** The device's BGP ASN: the customer gateway's `bgpAsn`. */
  customerAsn: number;
  /** The AWS side's BGP ASN: the transit gateway's or virtual private gateway's Amazon side ASN. */
  awsAsn: number;
  /** "bgp" or "static" (`staticRoutesOnly`). */
  routing: VpnRouting;
  /** On-premises networks behind the device: advertised over BGP, or the connection's static routes. */
  customerPrefixes: string[];
  /**
   * AWS networks the device routes into the tunnels with static routing (the VPC or hub CIDRs the site
   * reaches). With BGP they are learned, and this lists what the plan expects to be learned.
   */
  awsPrefixes: string[];
  /**
   * Networks the device learns over one connection and passes on to the others (a transit VPC hub re-advertises
   * each spoke's CIDRs to the other spokes): permitted out, never originated, so a spoke whose tunnels are down
   * is withdrawn rather than blackholed. @default none.
   */
  transitPrefixes?: string[];
  /**
   * Replace the receiving neighbour's ASN with the device's own in the AS paths it advertises (FRR
   * `as-override`): where several connections' gateways share one ASN (spoke VGWs all on 64512), a gateway
   * drops a path that holds its own ASN (eBGP loop prevention), so without it no spoke learns another's CIDRs.
   * @default false.
   */
  asOverride?: boolean;
  /** "ipv4" or "ipv6" inside addresses. */
  insideIpVersion: TunnelInsideIpVersion;
  /**
   * The device reaches `customerPrefixes` through a router it does not hold routes from (an appliance in a VPC:
   * its default route goes to the VPC router): FRR then advertises them without anchoring blackhole routes,
   * which would swallow the traffic (`no bgp network import-check`). @default false (a data center device).
   */
  unanchoredPrefixes?: boolean;
  /** The site's VPN connections. */
  connections: DeviceConnection[];
  /**
   * The stack output that holds the site's pre-shared keys by connection key, tunnel 1 then tunnel 2
   * (`vpnPresharedKeys`), when the stack exports them: where a placeholder sends the reader for a key.
   */
  presharedKeyOutput?: string;
}

/**
 * What a renderer writes for a tunnel's pre-shared key when the site has none (secrets not asked for): a
 * `token` that is plainly not the key and can never match one (AWS keys are letters, digits, `.` and `_`;
 * the token holds `<`, `>` and `[`), so a tunnel configured with it cannot come up; and a `hint` naming where
 * to read the key.
 */
export function presharedKeyPlaceholder(
  site: DeviceSite,
  connection: DeviceConnection,
  tunnel: DeviceTunnel,
): { token: string; hint: string } {
  if (site.presharedKeyOutput === undefined)
    return {
      token: `<psk-${connection.connectionId}-tunnel${tunnel.number}>`,
      hint: `pre-shared key of tunnel ${tunnel.number} of ${connection.connectionId}: not in the plan (secret); rerun with --show-secrets`,
    };
  return {
    token: `<${site.presharedKeyOutput}.${connection.key}[${tunnel.number - 1}]>`,
    hint: `pre-shared key: pulumi stack output ${site.presharedKeyOutput} --stack ${site.stack} --show-secrets, then ["${connection.key}"][${tunnel.number - 1}] (or hybridnet device-config --show-secrets)`,
  };
}

/** Output formats of `hybridnet device-config`. */
export const DeviceConfigFormat = {
  Strongswan: "strongswan",
  CiscoIosXe: "cisco-ios-xe",
  JuniperSrx: "juniper-srx",
} as const;

/** One of `DeviceConfigFormat`. */
export type DeviceConfigFormat = (typeof DeviceConfigFormat)[keyof typeof DeviceConfigFormat];

/**
 * A rendered device configuration: one or more files by name (`swanctl.conf` and `frr.conf` for strongSwan +
 * FRR; one file for a vendor format), in the order a reader applies them.
 */
export interface RenderedDeviceConfig {
  format: DeviceConfigFormat;
  /** File name → content. */
  files: Record<string, string>;
}

/** A renderer: a pure function of the site, with no other input. */
export type DeviceConfigRenderer = (site: DeviceSite) => RenderedDeviceConfig;
