/**
 * The whitepaper's transit VPC (`TransitVpc`), as plain data: a hub VPC holding an HA pair of software VPN
 * appliances, and spoke VPCs whose virtual private gateways connect to both appliance instances with AWS managed
 * VPNs (one customer gateway per instance in each spoke's account, so two VPN connections, four tunnels and four
 * BGP sessions per spoke). Spoke-to-spoke traffic passes through the appliances: FRR re-advertises each spoke's
 * CIDRs to the other spokes.
 *
 * ASNs. A virtual private gateway takes a private ASN (64512–65534 or 4200000000–4294967294; default 64512) and
 * the appliances' must differ from every spoke's (eBGP). Spokes may share one ASN (every VGW on the default
 * 64512): the appliances see each VGW as its own eBGP neighbour, but a VGW drops a path holding its own ASN (AS
 * path loop prevention), so spoke B would never learn spoke A's CIDRs through a path `65000 64512`. `allowas-in`
 * would have to be set on the receiving side, the VGW, which takes no such setting; so the appliances apply
 * `as-override` to their spoke neighbours (the path reaches spoke B as `65000 65000`). It is rendered only where
 * two spokes share an ASN; with distinct ASNs the paths stay as they are.
 *
 * Limits (AWS quotas, defaults): one virtual private gateway per VPC; 10 VPN connections per virtual private
 * gateway (a spoke uses 2); 50 customer gateways per Region (2 per spoke account and Region, shared by its
 * spokes). The binding one is the appliances' security group: 60 rules per direction, and each spoke takes 12
 * (IKE, NAT-T and ESP from each of its four AWS tunnel endpoints), beside one per hub CIDR and the health check:
 * with one hub CIDR, at most 4 spokes ({@link maxSpokes}). The appliances' files travel in the user data, gzip-
 * compressed: about 4.6 KB rendered and 0.36 KB compressed per spoke, so EC2's 16 KB hold far more spokes than the
 * security group ({@link widestUserDataBytes}). Inside /30s are unique across every spoke, since all tunnels end
 * on the same two instances.
 *
 * Pure: no Pulumi import.
 */
import { createHash } from "node:crypto";
import {
  allocateTunnelInsideCidrs,
  amazonSideAsnProblem,
  type Cidr,
  checkCidr,
  cidrsOverlap,
  customerAsnProblem,
  DEFAULT_AMAZON_SIDE_ASN,
  parseCidr,
  TUNNEL_INSIDE_IPV4_POOL,
  tunnelInsideAddresses,
  tunnelInsideCapacity,
} from "../addressing";
import { type AccountAccessSpec, checkAccountAccess, roleArnAccount } from "../arns";
import type { DeviceSite } from "../deviceConfig/site";
import { FirstUse, Problems } from "../errors";
import { regionProblem } from "../identifiers";
import { checkResourceKeys } from "../names";
import { checkPreviousInsideCidrs } from "../previousInsideCidrs";
import { type ResolvedTunnelOptions, resolveTunnelOptions, type TunnelOptions } from "../tunnelOptions";
import { DEFAULT_CUSTOMER_ASN } from "../vpn";
import {
  APPLIANCE_ROLES,
  type ApplianceRole,
  SECURITY_GROUP_RULES_PER_DIRECTION,
  type SoftwareVpnAppliancePlan,
} from "./appliance";
import { applianceConfigFiles, applianceDeviceSite } from "./managedVpnSite";
import { MAX_USER_DATA_BYTES, renderApplianceUserData, userDataBytes } from "./userData";

/** Each spoke's VPN connections: one to each appliance instance (a VGW holds 10: AWS quota). */
export const CONNECTIONS_PER_SPOKE = APPLIANCE_ROLES.length;
/** Security group rules a spoke takes per direction: IKE, NAT-T and ESP from each of its four tunnel endpoints. */
export const RULES_PER_SPOKE = 3 * 2 * CONNECTIONS_PER_SPOKE;
/** Amazon EC2 quota: customer gateways per Region (default). */
export const CUSTOMER_GATEWAYS_PER_REGION = 50;

/**
 * The most spokes the appliances' security group holds at the default quota of 60 rules per direction, beside
 * one rule per hub CIDR (forwarded traffic) and the pair's health check.
 */
export function maxSpokes(hubCidrCount: number): number {
  return Math.floor((SECURITY_GROUP_RULES_PER_DIRECTION - hubCidrCount - 1) / RULES_PER_SPOKE);
}

/** One spoke as the plan reads it. */
export interface TransitVpcSpokeSpec {
  /** The spoke VPC's CIDRs: learned by the appliances from its VGW and re-advertised to the other spokes. */
  vpcCidrs: string[];
  /** Amazon side ASN of the spoke's virtual private gateway. @default 64512. */
  amazonSideAsn?: number;
  /** The spoke's account (a role to assume): its gateway, customer gateways and connections are made there. */
  access?: AccountAccessSpec;
  /** With `access`: the spoke VPC's Region, where its provider acts. Required with `access`. */
  region?: unknown;
}

/** What `planTransitVpc` reads. */
export interface TransitVpcSpec {
  /** The hub VPC's CIDRs: advertised by the appliances to every spoke. */
  hubCidrs: string[];
  /** BGP ASN of both appliance instances. @default 65000. */
  applianceAsn?: number;
  /** Spokes, keyed by a stable name used in resource names. */
  spokes: Record<string, TransitVpcSpokeSpec>;
  /** Tunnel options of every tunnel. @default the secure defaults. */
  tunnelOptions?: TunnelOptions;
  /** Pool of the inside /30s, inside 169.254.0.0/16. @default 169.254.0.0/16. */
  insideCidrPool?: string;
  /**
   * The inside CIDRs the previous run allocated, by connection key (`<spoke>-<role>`), tunnel 1 then tunnel 2:
   * what the component output as `insideCidrs`. Those tunnels keep them, and a removed spoke's stay taken for
   * the run that deletes it, so adding or removing a spoke never moves another spoke's tunnels (a changed inside
   * CIDR replaces the VPN connection). @default none: allocation by hash slot, which a new spoke can displace.
   */
  previousInsideCidrs?: Record<string, string[]>;
}

/** One tunnel of a spoke's connection to one appliance instance. */
export interface TransitTunnelPlan {
  insideCidr: string;
  /** The VGW's inside address (the first usable), the appliance's BGP neighbour. */
  awsInsideAddress: string;
  /** The appliance's inside address (the second usable). */
  customerInsideAddress: string;
}

/** A spoke's VPN connection to one appliance instance. */
export interface TransitConnectionPlan {
  /** Stable key: `<spoke>-<role>`. */
  key: string;
  role: ApplianceRole;
  tunnels: [TransitTunnelPlan, TransitTunnelPlan];
}

/**
 * Where a spoke's managed VPN lives: the hub's account (`key` "", the component's provider) or another account
 * and Region, whose spokes share two customer gateways there.
 */
export interface TransitAccountPlan {
  /** "" for the hub's account; `<account>-<region>` for another (a resource-name fragment). */
  key: string;
  accountId?: string;
  region?: string;
  /** The spoke whose `access` the provider is made from (the first in name order; all of them agree). */
  accessFrom?: string;
  /** Spokes in name order. */
  spokes: string[];
}

export interface TransitSpokePlan {
  key: string;
  /** The key of its account ({@link TransitAccountPlan}): "" for the hub's. */
  account: string;
  vpcCidrs: string[];
  amazonSideAsn: number;
  /** Primary's connection first. */
  connections: TransitConnectionPlan[];
}

export interface TransitVpcPlan {
  hubCidrs: string[];
  /** The accounts the spokes' VPNs are in, the hub's ("") first when a spoke is there. */
  accounts: TransitAccountPlan[];
  applianceAsn: number;
  spokes: TransitSpokePlan[];
  /** Two spokes share an ASN: the appliances render `as-override` on their spoke neighbours. */
  asOverride: boolean;
  tunnelOptions: ResolvedTunnelOptions;
}

function cidrList(problems: Problems, path: string, value: unknown, what: string): Cidr[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(path, value, `at least one IPv4 CIDR: ${what}`);
    return [];
  }
  return value.flatMap((raw, i) => {
    const checked = checkCidr(raw, { version: 4 });
    if ("problem" in checked) {
      problems.add(`${path}[${i}]`, raw, checked.problem);
      return [];
    }
    return [checked.cidr];
  });
}

/** Each spoke's CIDRs: valid, none given twice, none overlapping the hub or another spoke. */
function checkSpokeCidrs(
  problems: Problems,
  keys: readonly string[],
  spokes: Record<string, TransitVpcSpokeSpec>,
  hub: readonly Cidr[],
): void {
  const owners = new FirstUse<string>();
  const seen: { path: string; cidr: Cidr }[] = [];
  for (const key of keys) {
    const path = `spokes.${key}.vpcCidrs`;
    cidrList(problems, path, spokes[key]?.vpcCidrs, "the spoke VPC's CIDRs").forEach((cidr, i) => {
      const at = `${path}[${i}]`;
      const owner = owners.claim(cidr.text, at);
      if (owner) {
        problems.add(at, cidr.text, `also ${owner}; every spoke needs its own network (routes are by CIDR)`);
        return;
      }
      const onHub = hub.find((h) => cidrsOverlap(h, cidr));
      if (onHub) {
        problems.add(
          at,
          cidr.text,
          `overlaps the hub's ${onHub.text}: traffic to it would never leave the hub`,
        );
        return;
      }
      const other = seen.find((s) => cidrsOverlap(s.cidr, cidr));
      if (other)
        problems.add(
          at,
          cidr.text,
          `overlaps ${other.path} ${other.cidr.text}: the appliances route by CIDR`,
        );
      else seen.push({ path: at, cidr });
    });
  }
}

/** ASNs: each spoke's VGW a private Amazon side ASN, the appliances' a customer ASN differing from every one. */
function checkAsns(
  problems: Problems,
  spec: TransitVpcSpec,
  keys: readonly string[],
): { applianceAsn: number; spokeAsns: Record<string, number> } {
  const spokeAsns: Record<string, number> = {};
  for (const key of keys) {
    const given = spec.spokes[key]?.amazonSideAsn;
    const bad = given === undefined ? undefined : amazonSideAsnProblem(given);
    problems.addIf(`spokes.${key}.amazonSideAsn`, given, bad);
    spokeAsns[key] = given ?? DEFAULT_AMAZON_SIDE_ASN;
  }
  const applianceAsn = spec.applianceAsn ?? DEFAULT_CUSTOMER_ASN;
  if (spec.applianceAsn !== undefined)
    problems.addIf("applianceAsn", spec.applianceAsn, customerAsnProblem(spec.applianceAsn));
  const clash = keys.find((k) => spokeAsns[k] === applianceAsn);
  if (clash)
    problems.add(
      "applianceAsn",
      applianceAsn,
      `an ASN other than spoke ${clash}'s virtual private gateway's ${applianceAsn}: eBGP needs two autonomous systems`,
    );
  return { applianceAsn, spokeAsns };
}

/**
 * Each spoke's account: the hub's, or the role's account and the Region its `access` names. The role must be a
 * plain ARN (the customer gateways are shared per account and Region, so the account is needed before anything
 * registers), and the spokes of one account and Region give the same role and external id (one provider makes
 * their shared gateways).
 */
function checkSpokeAccounts(
  problems: Problems,
  keys: readonly string[],
  spokes: Record<string, TransitVpcSpokeSpec>,
): TransitAccountPlan[] {
  const accounts = new Map<string, TransitAccountPlan>();
  for (const key of keys) {
    const spoke = spokes[key];
    const path = `spokes.${key}`;
    if (spoke?.access === undefined) {
      if (spoke?.region !== undefined)
        problems.add(
          `${path}.region`,
          spoke.region,
          "only with access: a spoke in the hub's account is in its Region",
        );
      const hub = accounts.get("") ?? { key: "", spokes: [] };
      hub.spokes.push(key);
      accounts.set("", hub);
      continue;
    }
    checkAccountAccess(problems, `${path}.access`, spoke.access);
    const accountId = roleArnAccount(spoke.access.roleArn);
    if (typeof spoke.access.roleArn !== "string")
      problems.add(
        `${path}.access.roleArn`,
        "(an Output)",
        "a plain role ARN: spokes in one account and Region share two customer gateways, so the account must be known before anything registers",
      );
    problems.addIf(
      `${path}.region`,
      spoke.region,
      spoke.region === undefined
        ? "the spoke VPC's Region (such as eu-west-1): its account's provider acts there"
        : regionProblem(spoke.region),
    );
    if (accountId === undefined || typeof spoke.region !== "string" || regionProblem(spoke.region)) continue;
    const accountKey = `${accountId}-${spoke.region}`;
    const group = accounts.get(accountKey);
    if (!group) {
      accounts.set(accountKey, {
        key: accountKey,
        accountId,
        region: spoke.region,
        accessFrom: key,
        spokes: [key],
      });
      continue;
    }
    const first = spokes[group.accessFrom as string].access as AccountAccessSpec;
    if (first.roleArn !== spoke.access.roleArn || first.externalId !== spoke.access.externalId)
      problems.add(
        `${path}.access`,
        spoke.access.roleArn,
        `the role and external id of spokes.${group.accessFrom}.access (${String(first.roleArn)}): spokes in account ${accountId}, ${spoke.region} share its two customer gateways, made with one role`,
      );
    group.spokes.push(key);
  }
  return [...accounts.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function checkPool(problems: Problems, pool: unknown): Cidr | undefined {
  if (pool === undefined) return undefined;
  const checked = checkCidr(pool, { version: 4, minPrefix: 16, maxPrefix: 28 });
  if ("problem" in checked || !cidrsOverlap(checked.cidr, parseCidr("169.254.0.0/16"))) {
    problems.add("insideCidrPool", pool, "a block of 169.254.0.0/16 of /16–/28");
    return undefined;
  }
  return checked.cidr;
}

/**
 * The previous run's inside CIDRs, by allocator key (`<spoke>-<role>-t<n>`): each a /30 of the pool, none twice.
 * Keys of spokes no longer declared are kept too: their /30s stay taken while their connections are deleted.
 */
function previousAllocation(problems: Problems, previous: unknown, pool: Cidr): Record<string, string> {
  const kept = checkPreviousInsideCidrs(problems, previous, {
    version: 4,
    pool,
    poolName: "the pool",
    keyPattern: /^[A-Za-z0-9-]+-(primary|standby)$/,
    bothTunnels: true,
    entry: "a connection key <spoke>-primary or <spoke>-standby with tunnel 1 and tunnel 2's inside CIDRs",
    example:
      'the insideCidrs output of the previous run, by connection key: { "app-primary": ["169.254.10.0/30", "169.254.10.4/30"] }',
  });
  return Object.fromEntries(kept.map((k) => [`${k.key}-t${k.tunnel}`, k.cidr.text]));
}

/** The spokes' tunnels fit the pool, beside the /30s kept for spokes this run deletes. */
function checkPoolCapacity(
  problems: Problems,
  pool: Cidr,
  tunnelKeys: readonly string[],
  kept: Record<string, string>,
) {
  const wanted = new Set(tunnelKeys);
  const stale = Object.keys(kept).filter((k) => !wanted.has(k)).length;
  const capacity = tunnelInsideCapacity(pool);
  if (tunnelKeys.length + stale > capacity)
    problems.add(
      "insideCidrPool",
      pool.text,
      `${capacity} /30s for ${tunnelKeys.length} tunnels${stale > 0 ? ` and ${stale} kept for spokes deleted in this run` : ""}; use a larger pool`,
    );
}

/**
 * Checks a transit VPC's plain arguments, collecting every problem, and throws one ValidationError naming `where`;
 * returns the spokes' connections with their inside /30s, unique across all spokes.
 */
export function planTransitVpc(where: string, spec: TransitVpcSpec): TransitVpcPlan {
  const problems = new Problems();
  const hub = cidrList(problems, "hubCidrs", spec.hubCidrs, "the hub VPC's CIDRs");
  const spokes = spec.spokes !== null && typeof spec.spokes === "object" ? spec.spokes : {};
  const keys = Object.keys(spokes).sort();
  if (keys.length === 0)
    problems.add(
      "spokes",
      spec.spokes,
      "at least one spoke VPC, keyed by a stable name: { app: { vpcCidrs } }",
    );
  checkResourceKeys(problems, "spokes", spokes);
  const limit = maxSpokes(Array.isArray(spec.hubCidrs) ? spec.hubCidrs.length : 1);
  if (keys.length > limit)
    problems.add(
      "spokes",
      keys,
      `${keys.length} spokes; the appliances' security group holds ${SECURITY_GROUP_RULES_PER_DIRECTION} rules per direction (Amazon VPC quota), ${RULES_PER_SPOKE} per spoke (IKE, NAT-T and ESP from its four tunnel endpoints) beside the hub's: at most ${limit}`,
    );
  checkSpokeCidrs(problems, keys, spokes, hub);
  const accounts = checkSpokeAccounts(problems, keys, spokes);
  const { applianceAsn, spokeAsns } = checkAsns(problems, { ...spec, spokes }, keys);
  const tunnelOptions = resolveTunnelOptions(spec.tunnelOptions, "tunnelOptions", problems);
  const pool = checkPool(problems, spec.insideCidrPool);
  const poolCidr = pool ?? parseCidr(TUNNEL_INSIDE_IPV4_POOL);
  const previous = previousAllocation(problems, spec.previousInsideCidrs, poolCidr);
  const tunnelKeys = keys.flatMap((spoke) =>
    APPLIANCE_ROLES.flatMap((role) => [1, 2].map((n) => `${spoke}-${role}-t${n}`)),
  );
  checkPoolCapacity(problems, poolCidr, tunnelKeys, previous);
  problems.throwIfAny(where);

  const allocated = allocateTunnelInsideCidrs(tunnelKeys, { pool: poolCidr, version: 4, previous });
  const tunnel = (key: string): TransitTunnelPlan => {
    const addresses = tunnelInsideAddresses(allocated[key]);
    return {
      insideCidr: allocated[key].text,
      awsInsideAddress: addresses.aws,
      customerInsideAddress: addresses.customer,
    };
  };
  const asns = keys.map((k) => spokeAsns[k]);
  return {
    hubCidrs: hub.map((c) => c.text),
    accounts,
    applianceAsn,
    spokes: keys.map((key) => ({
      key,
      account: accounts.find((a) => a.spokes.includes(key))?.key ?? "",
      vpcCidrs: [...spokes[key].vpcCidrs],
      amazonSideAsn: spokeAsns[key],
      connections: APPLIANCE_ROLES.map((role) => ({
        key: `${key}-${role}`,
        role,
        tunnels: [tunnel(`${key}-${role}-t1`), tunnel(`${key}-${role}-t2`)],
      })),
    })),
    asOverride: new Set(asns).size < asns.length,
    tunnelOptions,
  };
}

/** The plan's inside CIDRs by connection key (`<spoke>-<role>`), tunnel 1 then 2: the next run's `previousInsideCidrs`. */
export function transitInsideCidrs(plan: TransitVpcPlan): Record<string, string[]> {
  return Object.fromEntries(
    plan.spokes.flatMap((s) => s.connections.map((c) => [c.key, c.tunnels.map((t) => t.insideCidr)])),
  );
}

/** What AWS reports for one spoke's connection to the instance, once it exists. */
export interface TransitConnectionResolved {
  connectionId: string;
  /** The VGW's outside addresses, tunnel 1 then 2. */
  outsideAddresses: string[];
  /** Pre-shared keys, tunnel 1 then 2 (secret: the caller keeps them in secret Outputs). */
  presharedKeys: string[];
}

/** What the device site of one appliance instance needs beyond the plan. */
export interface TransitInstanceResolved {
  stack: string;
  component: string;
  role: ApplianceRole;
  /** The instance's Elastic IP: the customer gateways' address and its IKE identity. */
  outsideAddress: string;
  /** Each spoke's connection to this instance, by spoke key. */
  connections: Record<string, TransitConnectionResolved>;
}

/**
 * The device site of one appliance instance: one connection per spoke (its VGW's ASN on each), the hub's CIDRs
 * originated, every spoke's CIDRs passed on between spokes, and `as-override` where spokes share an ASN. Built
 * from the managed VPN appliance's site (model/softwareVpn/managedVpnSite), one per spoke, joined.
 */
export function transitDeviceSite(plan: TransitVpcPlan, resolved: TransitInstanceResolved): DeviceSite {
  const spokeCidrs = plan.spokes.flatMap((s) => s.vpcCidrs);
  const perSpoke = plan.spokes.map((spoke) => {
    const connection = spoke.connections.find((c) => c.role === resolved.role);
    const got = resolved.connections[spoke.key];
    if (!connection || !got) throw new Error(`${resolved.component}: no connection of spoke ${spoke.key}`);
    const site = applianceDeviceSite({
      stack: resolved.stack,
      component: resolved.component,
      role: resolved.role,
      outsideAddress: resolved.outsideAddress,
      asn: plan.applianceAsn,
      awsAsn: spoke.amazonSideAsn,
      advertisedCidrs: plan.hubCidrs,
      remoteCidrs: spokeCidrs,
      connectionKey: connection.key,
      connectionId: got.connectionId,
      tunnels: connection.tunnels.map((t, i) => ({ ...t, outsideAddress: got.outsideAddresses[i] ?? "" })),
      presharedKeys: got.presharedKeys,
      options: plan.tunnelOptions,
    });
    return { site, awsAsn: spoke.amazonSideAsn };
  });
  const [first] = perSpoke;
  return {
    ...first.site,
    connections: perSpoke.flatMap(({ site, awsAsn }) => site.connections.map((c) => ({ ...c, awsAsn }))),
    transitPrefixes: spokeCidrs,
    asOverride: plan.asOverride,
  };
}

/** Deterministic stand-in characters as random as the values AWS generates (SHA-256 of the seed, counter mode). */
function randomLooking(seed: string, length: number, alphabet: string): string {
  let out = "";
  for (let block = 0; out.length < length; block++)
    for (const byte of createHash("sha256").update(`${seed}/${block}`).digest())
      if (out.length < length) out += alphabet[byte % alphabet.length];
  return out;
}

const DIGITS = "0123456789";
const HEX = "0123456789abcdef";
/** The characters of a pre-shared key AWS generates (alphanumerics, periods, underscores). */
const PSK_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";

/** The widest IPv4 address AWS can report (15 characters), with random octets of 100–255. */
function widestAddress(seed: string): string {
  return [0, 1, 2, 3]
    .map((i) => String(100 + (Number(randomLooking(`${seed}/${i}`, 3, DIGITS)) % 156)))
    .join(".");
}

/**
 * The largest user data an appliance instance of the transit VPC can get, in gzip-compressed bytes (what EC2
 * counts), before the connections exist: its files rendered with the widest addresses and ids AWS reports and
 * keys of `keyLength` characters, all random-looking, since what is random does not compress. Each spoke adds
 * four tunnels to strongSwan's and FRR's files (about 4.6 KB rendered, 0.36 KB compressed), and EC2 takes
 * at most 16 KB. The component checks the real files again when they resolve.
 */
export function widestUserDataBytes(
  plan: TransitVpcPlan,
  appliance: SoftwareVpnAppliancePlan,
  names: { stack: string; component: string },
  keyLength = 32,
): number {
  const sizes = appliance.instances.map((instance) => {
    const seed = (what: string) => `${instance.role}/${what}`;
    const connections = Object.fromEntries(
      plan.spokes.map((s) => [
        s.key,
        {
          connectionId: `vpn-${randomLooking(seed(`${s.key}/id`), 17, HEX)}`,
          outsideAddresses: [1, 2].map((t) => widestAddress(seed(`${s.key}/t${t}`))),
          presharedKeys: [1, 2].map((t) => randomLooking(seed(`${s.key}/psk${t}`), keyLength, PSK_ALPHABET)),
        },
      ]),
    );
    const site = transitDeviceSite(plan, {
      ...names,
      role: instance.role,
      outsideAddress: widestAddress(seed("eip")),
      connections,
    });
    const text = renderApplianceUserData({
      instance,
      contents: applianceConfigFiles(site, instance.privateIp),
      routeTableIds: appliance.routeTableKeys.map((k) => `rtb-${randomLooking(seed(`rtb/${k}`), 17, HEX)}`),
      destinations: appliance.destinations,
      watchdog: appliance.watchdog,
    });
    return userDataBytes(text);
  });
  return Math.max(...sizes);
}

/** A problem when the widest user data does not fit EC2's 16 KB. */
export function transitUserDataProblem(spokeCount: number, bytes: number): string | undefined {
  return bytes > MAX_USER_DATA_BYTES
    ? `${spokeCount} spokes; the appliances' configuration (four tunnels per spoke) makes gzip-compressed user data of up to ${bytes} bytes, and EC2 takes at most ${MAX_USER_DATA_BYTES} (16 KB): fewer spokes per transit VPC`
    : undefined;
}
