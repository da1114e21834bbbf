/**
 * Software-to-software VPC-to-VPC VPN (`SoftwareVpnPeering`): two appliance pairs, one per VPC, with a tunnel
 * from each instance of side A to each instance of side B (four tunnels: either instance of either pair can
 * carry traffic, so each side fails over on its own). One plan gives both ends: inside /30s allocated from
 * 169.254.0.0/16 outside AWS's reserved blocks (the same allocation as a managed VPN's), IKEv2 and the secure
 * tunnel defaults of model/tunnelOptions, and each instance's view as a `DeviceSite`, so `renderStrongswan`
 * renders both ends unchanged.
 *
 * The adapter: a `DeviceSite` is the on-premises side of an AWS VPN. Here each instance is the "customer" of its
 * own site and the other pair's instances play "AWS": side A takes the second usable address of each /30, side
 * B the first. Side A initiates (startup action "add": swanctl `start_action = start`) and side B answers
 * (startup action "start": `start_action = none`), so the two ends never race to create duplicate SAs.
 *
 * Pure: no Pulumi import.
 */
import { allocateTunnelInsideCidrs, cidrsOverlap, parseCidr, tunnelInsideAddresses } from "../addressing";
import type { DeviceSite, DeviceTunnel } from "../deviceConfig/site";
import { Problems } from "../errors";
import { type ResolvedTunnelOptions, resolveTunnelOptions, type TunnelOptions } from "../tunnelOptions";
import { APPLIANCE_ROLES, type ApplianceRole } from "./appliance";

/** The two sides. */
export const PeeringSide = { A: "a", B: "b" } as const;
/** One of `PeeringSide`. */
export type PeeringSide = (typeof PeeringSide)[keyof typeof PeeringSide];
export const PEERING_SIDES: readonly PeeringSide[] = [PeeringSide.A, PeeringSide.B];

/** What the plan reads of one side. */
export interface PeeringSideSpec {
  /** The VPC's CIDRs: advertised over BGP to the other side. */
  vpcCidrs: string[];
  /** BGP ASN of the side's appliances. */
  asn: number;
}

/** What `planSoftwareVpnPeering` reads. */
export interface SoftwareVpnPeeringSpec {
  a: PeeringSideSpec;
  b: PeeringSideSpec;
  /** Tunnel options of every tunnel. @default the secure defaults (IKEv2, AES-256, SHA-2, DH 14–21). */
  tunnelOptions?: TunnelOptions;
  /** Pool of the inside CIDRs, inside 169.254.0.0/16. @default 169.254.0.0/16. */
  insideCidrPool?: string;
}

/** One tunnel between an instance of side A and an instance of side B. */
export interface PeeringTunnelPlan {
  /** Stable key: `<a role>-<b role>` (`primary-standby`). */
  key: string;
  aRole: ApplianceRole;
  bRole: ApplianceRole;
  /** The /30. */
  insideCidr: string;
  /** Side A's inside address (the second usable). */
  aInsideAddress: string;
  /** Side B's inside address (the first usable). */
  bInsideAddress: string;
}

export interface SoftwareVpnPeeringPlan {
  a: PeeringSideSpec;
  b: PeeringSideSpec;
  /** Four tunnels: primary-primary, primary-standby, standby-primary, standby-standby. */
  tunnels: PeeringTunnelPlan[];
  /** The resolved tunnel options (side A's; side B's differ only in the startup action). */
  tunnelOptions: ResolvedTunnelOptions;
}

function checkSide(problems: Problems, path: string, side: PeeringSideSpec | undefined): void {
  if (side === null || typeof side !== "object") {
    problems.add(path, side, "{ vpcCidrs, asn, ... }");
    return;
  }
  if (!Array.isArray(side.vpcCidrs) || side.vpcCidrs.length === 0)
    problems.add(`${path}.vpcCidrs`, side.vpcCidrs, "the VPC's CIDRs (at least one)");
  if (!Number.isInteger(side.asn) || side.asn < 1 || side.asn > 4294967295)
    problems.add(`${path}.asn`, side.asn, "a BGP ASN, 1–4294967295 (a private ASN: 64512–65534)");
}

/** Checks both sides (VPCs that do not overlap, two ASNs), allocates the four inside /30s. */
export function planSoftwareVpnPeering(where: string, spec: SoftwareVpnPeeringSpec): SoftwareVpnPeeringPlan {
  const problems = new Problems();
  checkSide(problems, "a", spec.a);
  checkSide(problems, "b", spec.b);
  const tunnelOptions = resolveTunnelOptions(spec.tunnelOptions, "tunnelOptions", problems);
  if (spec.a?.asn !== undefined && spec.a.asn === spec.b?.asn)
    problems.add(
      "b.asn",
      spec.b.asn,
      `an ASN other than side a's ${spec.a.asn}: eBGP needs two autonomous systems`,
    );
  for (const [i, cidr] of (Array.isArray(spec.b?.vpcCidrs) ? spec.b.vpcCidrs : []).entries())
    for (const other of Array.isArray(spec.a?.vpcCidrs) ? spec.a.vpcCidrs : []) {
      let overlap = false;
      let valid = true;
      try {
        overlap = cidrsOverlap(parseCidr(cidr), parseCidr(other));
      } catch {
        valid = false;
      }
      if (!valid) problems.add(`b.vpcCidrs[${i}]`, cidr, "an IPv4 CIDR");
      else if (overlap)
        problems.add(
          `b.vpcCidrs[${i}]`,
          cidr,
          `a network that does not overlap side a's ${other}: traffic to it would never leave side a's VPC`,
        );
    }
  let pool: ReturnType<typeof parseCidr> | undefined;
  if (spec.insideCidrPool !== undefined) {
    try {
      pool = parseCidr(spec.insideCidrPool);
      if (!cidrsOverlap(pool, parseCidr("169.254.0.0/16")) || pool.prefix < 16 || pool.prefix > 28)
        throw new Error("outside");
    } catch {
      problems.add("insideCidrPool", spec.insideCidrPool, "a block of 169.254.0.0/16 of /16–/28");
    }
  }
  problems.throwIfAny(where);
  const keys = APPLIANCE_ROLES.flatMap((a) => APPLIANCE_ROLES.map((b) => `${a}-${b}`));
  const allocated = allocateTunnelInsideCidrs(keys, { ...(pool ? { pool } : {}), version: 4 });
  const tunnels = keys.map((key): PeeringTunnelPlan => {
    const [aRole, bRole] = key.split("-") as [ApplianceRole, ApplianceRole];
    const cidr = allocated[key];
    const addresses = tunnelInsideAddresses(cidr);
    return {
      key,
      aRole,
      bRole,
      insideCidr: cidr.text,
      aInsideAddress: addresses.customer,
      bInsideAddress: addresses.aws,
    };
  });
  return { a: spec.a, b: spec.b, tunnels, tunnelOptions };
}

/** What AWS allocates or generates: the instances' Elastic IPs and the tunnels' keys. */
export interface PeeringResolved {
  /** Stack name, for the files' header. */
  stack: string;
  /** Component label (`hybridnet:index:SoftwareVpnPeering "a-b"`). */
  component: string;
  /** Elastic IPs by side, then role. */
  publicIps: Record<PeeringSide, Record<ApplianceRole, string>>;
  /** Pre-shared key by tunnel key (secret: the caller keeps it in secret Outputs). */
  presharedKeys: Record<string, string>;
}

/** The other side. */
export function otherSide(side: PeeringSide): PeeringSide {
  return side === PeeringSide.A ? PeeringSide.B : PeeringSide.A;
}

/**
 * One instance's view of the plan as a `DeviceSite`: its two tunnels (to the other side's primary, then its
 * standby), its ASN as the "customer" ASN and the other side's as the "AWS" ASN.
 */
export function peeringDeviceSite(
  plan: SoftwareVpnPeeringPlan,
  resolved: PeeringResolved,
  side: PeeringSide,
  role: ApplianceRole,
): DeviceSite {
  const other = otherSide(side);
  const mine = plan[side];
  const theirs = plan[other];
  const options: ResolvedTunnelOptions = {
    ...plan.tunnelOptions,
    startupAction: side === PeeringSide.A ? "add" : "start",
  };
  const tunnels = plan.tunnels
    .filter((t) => (side === PeeringSide.A ? t.aRole : t.bRole) === role)
    .map((t, i): DeviceTunnel => {
      const remoteRole = side === PeeringSide.A ? t.bRole : t.aRole;
      const key = resolved.presharedKeys[t.key];
      return {
        number: i === 0 ? 1 : 2,
        awsOutsideAddress: resolved.publicIps[other][remoteRole],
        insideCidr: t.insideCidr,
        awsInsideAddress: side === PeeringSide.A ? t.bInsideAddress : t.aInsideAddress,
        customerInsideAddress: side === PeeringSide.A ? t.aInsideAddress : t.bInsideAddress,
        ...(key !== undefined ? { presharedKey: key } : {}),
        options,
      };
    });
  return {
    stack: resolved.stack,
    component: resolved.component,
    site: `${side}-${role}`,
    deviceName: `appliance-${side}-${role}`,
    customerOutsideAddress: resolved.publicIps[side][role],
    customerAsn: mine.asn,
    awsAsn: theirs.asn,
    routing: "bgp",
    customerPrefixes: [...mine.vpcCidrs],
    awsPrefixes: [...theirs.vpcCidrs],
    insideIpVersion: "ipv4",
    connections: [{ key: `${side}-${role}`, connectionId: `${side}-${role}-to-${other}`, tunnels }],
  };
}
