/**
 * A `DeviceSite` read from what a component registered under the mock runtime: the customer gateway's
 * address and ASN, the gateway's Amazon side ASN, and each VPN connection's `tunnelN…` inputs (inside CIDRs,
 * keys, options) and reported outside and inside addresses. The namespace lab renders both ends from it.
 */
import type { DeviceConnection, DeviceSite, DeviceTunnel } from "../../model/deviceConfig/site";
import { type ResolvedTunnelOptions, SECURE_TUNNEL_DEFAULTS } from "../../model/tunnelOptions";
import type { RegisteredResource, ResourceList } from "../harness";

const CGW = "aws:ec2/customerGateway:CustomerGateway";
const VPN = "aws:ec2/vpnConnection:VpnConnection";
const TGW = "aws:ec2transitgateway/transitGateway:TransitGateway";
const VGW = "aws:ec2/vpnGateway:VpnGateway";

/** `tunnel1IkeVersions` ← `ikeVersions`. */
function optionsOf(vpn: RegisteredResource, n: 1 | 2): ResolvedTunnelOptions {
  const options: Record<string, unknown> = {};
  for (const key of Object.keys(SECURE_TUNNEL_DEFAULTS)) {
    const input = `tunnel${n}${key[0].toUpperCase()}${key.slice(1)}`;
    if (!(input in vpn.inputs)) throw new Error(`${vpn.name} has no ${input}`);
    options[key] = vpn.inputs[input];
  }
  return options as unknown as ResolvedTunnelOptions;
}

function tunnelOf(vpn: RegisteredResource, n: 1 | 2): DeviceTunnel {
  const text = (v: unknown, what: string) => {
    if (typeof v !== "string") throw new Error(`${vpn.name}: ${what} is ${JSON.stringify(v)}`);
    return v;
  };
  return {
    number: n,
    awsOutsideAddress: text(vpn.outputs[`tunnel${n}Address`], `tunnel${n}Address`),
    insideCidr: text(vpn.inputs[`tunnel${n}InsideCidr`], `tunnel${n}InsideCidr`),
    awsInsideAddress: text(vpn.outputs[`tunnel${n}VgwInsideAddress`], `tunnel${n}VgwInsideAddress`),
    customerInsideAddress: text(vpn.outputs[`tunnel${n}CgwInsideAddress`], `tunnel${n}CgwInsideAddress`),
    presharedKey: text(vpn.inputs[`tunnel${n}PresharedKey`], `tunnel${n}PresharedKey`),
    options: optionsOf(vpn, n),
  };
}

/** What the run does not register: the site's key and declared prefixes, and what the AWS side advertises. */
export interface SiteOfRun {
  /** Site key (`dc1`). */
  site: string;
  /** The component's `where` (`hybridnet:index:TransitGatewayVpn "hub"`). */
  component: string;
  /** The site's `prefixes` argument. */
  customerPrefixes: string[];
  /** The networks the AWS side advertises to the site. */
  awsPrefixes: string[];
}

/** The device site (IPv4 inside addresses) of one site in a run of a VPN component. */
export function deviceSiteFromRun(
  resources: ResourceList,
  { site, component, customerPrefixes, awsPrefixes }: SiteOfRun,
): DeviceSite {
  const cgw = resources.ofType(CGW).find((r) => r.name.endsWith(`-${site}-cgw`));
  if (!cgw) throw new Error(`no customer gateway for site ${site}`);
  const vpns = resources
    .ofType(VPN)
    .filter((r) => r.inputs.customerGatewayId === cgw.outputs.id || r.inputs.customerGatewayId === cgw.id);
  if (vpns.length === 0) throw new Error(`no VPN connection for site ${site}`);
  const gateway = resources.ofType(TGW)[0] ?? resources.ofType(VGW)[0];
  const connections: DeviceConnection[] = vpns.map((vpn) => ({
    key: vpn.name.replace(/^.*?-(.*)-vpn$/, "$1"),
    connectionId: vpn.id,
    tunnels: [tunnelOf(vpn, 1), tunnelOf(vpn, 2)],
  }));
  const tags = (cgw.inputs.tags ?? {}) as Record<string, string>;
  const first = vpns[0];
  return {
    stack: "test",
    component,
    site,
    ...(tags["hybridnet:device"] ? { deviceName: tags["hybridnet:device"] } : {}),
    customerOutsideAddress: String(cgw.inputs.ipAddress),
    customerAsn: Number(cgw.inputs.bgpAsn ?? cgw.inputs.bgpAsnExtended),
    awsAsn: Number(gateway.inputs.amazonSideAsn ?? gateway.outputs.amazonSideAsn),
    routing: first.inputs.staticRoutesOnly ? "static" : "bgp",
    customerPrefixes,
    awsPrefixes,
    insideIpVersion: "ipv4",
    connections,
  };
}
