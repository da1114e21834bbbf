/**
 * The software VPN appliance as the customer gateway of an AWS managed VPN (`SoftwareVpnToManagedVpn`): the
 * `DeviceSite` of one appliance instance, built from what AWS reports for its VPN connection, and the
 * strongSwan + FRR files `renderStrongswan` renders from it, adapted to an EC2 instance.
 *
 * The adaptation: on EC2 the Elastic IP is a 1:1 NAT in front of the instance's private address, so charon
 * sends and receives IKE on the private address (`local_addrs`) while it still identifies itself by the Elastic
 * IP (`id`), the address the customer gateway names and AWS expects as the IKE identity. The renderer's
 * contract is unchanged: only the `local_addrs` lines of its output are rewritten.
 *
 * Pure: no Pulumi import.
 */
import type { DeviceSite, DeviceTunnel } from "../deviceConfig/site";
import { renderStrongswan } from "../deviceConfig/strongswan";
import type { ResolvedTunnelOptions } from "../tunnelOptions";

/** One tunnel of the instance's VPN connection, as the connection reports it. */
export interface ApplianceVpnTunnel {
  /** AWS's outside address of the tunnel. */
  outsideAddress: string;
  /** Inside CIDR (a /30 in 169.254.0.0/16). */
  insideCidr: string;
  /** AWS's inside address: the BGP neighbour. */
  awsInsideAddress: string;
  /** The appliance's inside address. */
  customerInsideAddress: string;
}

/** What `applianceDeviceSite` reads for one appliance instance. */
export interface ApplianceSiteInput {
  /** Stack name, for the files' header. */
  stack: string;
  /** Component label, as errors name it (`hybridnet:index:SoftwareVpnToManagedVpn "a-to-b"`). */
  component: string;
  /** The instance's role (`primary`, `standby`): the site key. */
  role: string;
  /** The instance's Elastic IP: the customer gateway's address and the IKE identity. */
  outsideAddress: string;
  /** The appliance's BGP ASN. */
  asn: number;
  /** The gateway's Amazon side ASN. */
  awsAsn: number;
  /** What the appliance advertises: the CIDRs of its VPC. */
  advertisedCidrs: string[];
  /** What the appliance expects to learn: the networks behind the gateway. */
  remoteCidrs: string[];
  /** The connection's key in resource names. */
  connectionKey: string;
  /** The VPN connection id. */
  connectionId: string;
  /** Tunnel 1 and tunnel 2. */
  tunnels: ApplianceVpnTunnel[];
  /** Pre-shared keys, tunnel 1 then tunnel 2 (secret: the caller keeps them in secret Outputs). */
  presharedKeys: string[];
  /** The tunnel options both tunnels were registered with. */
  options: ResolvedTunnelOptions;
}

/** The device site of one appliance instance: BGP over both tunnels of its VPN connection, keys included. */
export function applianceDeviceSite(input: ApplianceSiteInput): DeviceSite {
  const tunnels = input.tunnels.slice(0, 2).map(
    (t, i): DeviceTunnel => ({
      number: i === 0 ? 1 : 2,
      awsOutsideAddress: t.outsideAddress,
      insideCidr: t.insideCidr,
      awsInsideAddress: t.awsInsideAddress,
      customerInsideAddress: t.customerInsideAddress,
      ...(input.presharedKeys[i] !== undefined ? { presharedKey: input.presharedKeys[i] } : {}),
      options: input.options,
    }),
  );
  return {
    stack: input.stack,
    component: input.component,
    site: input.role,
    deviceName: `appliance-${input.role}`,
    customerOutsideAddress: input.outsideAddress,
    customerAsn: input.asn,
    awsAsn: input.awsAsn,
    routing: "bgp",
    customerPrefixes: [...input.advertisedCidrs],
    awsPrefixes: [...input.remoteCidrs],
    insideIpVersion: "ipv4",
    connections: [{ key: input.connectionKey, connectionId: input.connectionId, tunnels }],
  };
}

/**
 * `swanctl.conf` as rendered, with IKE bound to the instance's private address: the Elastic IP stays the IKE
 * identity (`id`, `id-local`), since AWS authenticates the customer gateway by it.
 */
export function bindToPrivateAddress(swanctl: string, outsideAddress: string, privateIp: string): string {
  return swanctl
    .split("\n")
    .map((line) =>
      line.trim() === `local_addrs = ${outsideAddress}`
        ? `${line.slice(0, line.indexOf("local_addrs"))}local_addrs = ${privateIp}`
        : line,
    )
    .join("\n");
}

/** The instance's configuration files (`swanctl.conf`, `frr.conf`), by the names SoftwareVpnAppliance takes. */
export function applianceConfigFiles(site: DeviceSite, privateIp: string): Record<string, string> {
  const rendered = renderStrongswan(site).files;
  return {
    ...rendered,
    "swanctl.conf": bindToPrivateAddress(
      rendered["swanctl.conf"] ?? "",
      site.customerOutsideAddress,
      privateIp,
    ),
  };
}
