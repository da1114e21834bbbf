/**
 * The Site-to-Site VPN part of the mock model: a virtual private gateway's ASN, a VPN connection's two tunnels
 * (outside addresses, inside CIDRs and addresses, pre-shared keys kept secret, the transit gateway attachment),
 * and the ids of VPN routes and route propagation.
 */
import {
  addressToString,
  allocateTunnelInsideCidrs,
  type Cidr,
  parseCidr,
  tunnelInsideAddresses,
} from "../../model/addressing";
import {
  awsId,
  digest,
  type IdContext,
  type MockState,
  mockSecret,
  type ResourceContext,
  type ServiceMock,
} from "./shared";

/** A public tunnel outside address in AWS-owned space, distinct per connection and tunnel. */
function outsideAddress(seed: string): string {
  const h = digest(seed);
  return `52.${parseInt(h.slice(0, 2), 16)}.${parseInt(h.slice(2, 4), 16)}.${1 + (parseInt(h.slice(4, 6), 16) % 254)}`;
}

/**
 * A private outside address (private IP VPN over Direct Connect): AWS takes it from the transit gateway's
 * IPv4 CIDR block; 10.255.0.0/16 stands in when the transit gateway is not in this run (another stack's).
 */
function privateOutsideAddress(seed: string, block: Cidr = parseCidr("10.255.0.0/16")): string {
  const hosts = Number(block.last - block.first) - 1;
  return addressToString(block.first + BigInt(1 + (parseInt(digest(seed).slice(0, 8), 16) % hosts)), 4);
}

/** A VPN connection's two tunnels as AWS reports them, the given inside CIDRs and keys kept. */
function vpnConnection(
  id: string,
  inputs: Record<string, unknown>,
  seed: string,
  state: MockState,
): Record<string, unknown> {
  const isPrivate = inputs.outsideIpAddressType === "PrivateIpv4";
  const block = state.transitGatewayBlocks.get(String(inputs.transitGatewayId));
  const outside = (n: number) =>
    isPrivate ? privateOutsideAddress(`${seed}:t${n}`, block) : outsideAddress(`${seed}:t${n}`);
  const ipv6 = inputs.tunnelInsideIpVersion === "ipv6";
  const auto = allocateTunnelInsideCidrs([`${seed}:t1`, `${seed}:t2`], { version: ipv6 ? 6 : 4 });
  const reported: Record<string, unknown> = {};
  for (const n of [1, 2]) {
    const given = inputs[ipv6 ? `tunnel${n}InsideIpv6Cidr` : `tunnel${n}InsideCidr`];
    const inside = typeof given === "string" ? parseCidr(given) : auto[`${seed}:t${n}`];
    const addresses = tunnelInsideAddresses(inside);
    const psk = inputs[`tunnel${n}PresharedKey`] ?? digest(`${seed}:psk${n}`).slice(0, 32).replace(/^0/, "a");
    Object.assign(reported, {
      [`tunnel${n}Address`]: outside(n),
      [ipv6 ? `tunnel${n}InsideIpv6Cidr` : `tunnel${n}InsideCidr`]: inside.text,
      [`tunnel${n}VgwInsideAddress`]: addresses.aws,
      [`tunnel${n}CgwInsideAddress`]: addresses.customer,
      [`tunnel${n}BgpHoldtime`]: 30,
      [`tunnel${n}PresharedKey`]: mockSecret(psk),
    });
  }
  if (inputs.transitGatewayId)
    reported.transitGatewayAttachmentId = awsId("tgw-attach", `${seed}:attachment`);
  reported.customerGatewayConfiguration = mockSecret(`<vpn_connection id="${id}"/>`);
  reported.routes = [];
  reported.vgwTelemetries = [];
  return reported;
}

/**
 * A customer gateway's id. CreateCustomerGateway is idempotent: the address, BGP ASN and type of an existing
 * gateway in the account and Region return that gateway's id. A second Pulumi resource would then own the same
 * gateway (and delete it under the first), so the model refuses it, naming both.
 */
function customerGatewayId({ name, inputs, seed, place, state }: IdContext): string {
  const asn = inputs.bgpAsn ?? inputs.bgpAsnExtended;
  const key = `${place.account}/${place.region}/${inputs.type}/${inputs.ipAddress}/${asn}`;
  const existing = state.customerGateways.get(key);
  if (existing && existing.name !== name)
    throw new Error(
      `CreateCustomerGateway for ${name} returned the existing ${existing.id} of ${existing.name} (same address ${inputs.ipAddress}, ASN ${asn} and type in account ${place.account}, ${place.region}): two resources would own one customer gateway`,
    );
  const id = awsId("cgw", seed);
  state.customerGateways.set(key, { id, name });
  return id;
}

function id(resource: IdContext): string | undefined {
  const { type, inputs } = resource;
  switch (type) {
    case "aws:ec2/customerGateway:CustomerGateway":
      return typeof resource.inputs.ipAddress === "string" ? customerGatewayId(resource) : undefined;
    case "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation":
      return `${inputs.vpnGatewayId}_${inputs.routeTableId}`;
    case "aws:ec2/vpnConnectionRoute:VpnConnectionRoute":
      return `${inputs.destinationCidrBlock}:${inputs.vpnConnectionId}`;
    default:
      return undefined;
  }
}

function outputs({ type, id, inputs, seed, state }: ResourceContext): Record<string, unknown> | undefined {
  switch (type) {
    case "aws:ec2/vpnConnection:VpnConnection":
      return vpnConnection(id, inputs, seed, state);
    case "aws:ec2/vpnGateway:VpnGateway":
      return { amazonSideAsn: inputs.amazonSideAsn ?? "64512" };
    default:
      return undefined;
  }
}

/** Virtual private gateways, VPN connections and their routes. */
export const siteToSiteVpn: ServiceMock = { id, outputs };
