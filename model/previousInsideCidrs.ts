/**
 * The `previousInsideCidrs` argument every component that allocates tunnel inside CIDRs takes back from its
 * previous run (ManagedVpn, TransitGatewayVpn, DirectConnectVpn, SoftwareVpnToManagedVpn, TransitVpc): by
 * connection key, tunnel 1 then tunnel 2. A tunnel's inside CIDR never changes without replacing its VPN
 * connection (model/replacement.ts), so allocated tunnels keep theirs and adding a connection moves none.
 */
import { type Cidr, cidrContains, parseCidr, tunnelInsideCidrProblem } from "./addressing";
import { FirstUse, type Problems } from "./errors";

/** What a component accepts as `previousInsideCidrs`. */
export interface PreviousInsideCidrsRules {
  /** 4, or 6 for IPv6 tunnels (a /126 of fd00::/8). */
  version: 4 | 6;
  /** The pool the allocation draws from: every kept CIDR must lie in it. */
  pool: Cidr;
  /** How an error names the pool: "insideCidrPool" when the user set it, else "the pool". */
  poolName: string;
  /** The connection keys the component has; undefined when any key is allowed (a deleted site's too). */
  keyPattern?: RegExp;
  /** Whether each key must give both tunnels (true) or may give only tunnel 1 (false). */
  bothTunnels: boolean;
  /** What an entry looks like, for the error on a malformed entry. */
  entry: string;
  /** The whole argument, for the error when it is not a map. */
  example: string;
}

/** One tunnel's kept inside CIDR. */
export interface KeptInsideCidr {
  /** The connection key as given. */
  key: string;
  /** 1 or 2. */
  tunnel: number;
  /** Where it was given: `previousInsideCidrs.<key>[<i>]`. */
  path: string;
  cidr: Cidr;
}

/**
 * The previous run's inside CIDRs, checked: each a valid tunnel inside CIDR for AWS, in the pool, none twice.
 * Problems go to `problems`; the entries that passed come back in key order.
 */
export function checkPreviousInsideCidrs(
  problems: Problems,
  previous: unknown,
  rules: PreviousInsideCidrsRules,
): KeptInsideCidr[] {
  const kept: KeptInsideCidr[] = [];
  if (previous === undefined) return kept;
  if (previous === null || typeof previous !== "object" || Array.isArray(previous)) {
    problems.add("previousInsideCidrs", previous, rules.example);
    return kept;
  }
  const owners = new FirstUse<string>();
  for (const key of Object.keys(previous).sort()) {
    const cidrs = (previous as Record<string, unknown>)[key];
    const wellFormed =
      (rules.keyPattern === undefined || rules.keyPattern.test(key)) &&
      Array.isArray(cidrs) &&
      (rules.bothTunnels ? cidrs.length === 2 : cidrs.length <= 2);
    if (!wellFormed) {
      problems.add(`previousInsideCidrs.${key}`, cidrs, rules.entry);
      continue;
    }
    for (const [i, text] of (cidrs as unknown[]).entries()) {
      const path = `previousInsideCidrs.${key}[${i}]`;
      const problem = tunnelInsideCidrProblem(text, rules.version);
      const cidr = problem ? undefined : parseCidr(text as string);
      if (!cidr || !cidrContains(rules.pool, cidr)) {
        problems.add(
          path,
          text,
          problem ??
            `outside ${rules.poolName} ${rules.pool.text}; a tunnel's inside CIDR never moves (a new one replaces the VPN connection), so keep the pool around every CIDR allocated before`,
        );
        continue;
      }
      const owner = owners.claim(cidr.text, path);
      if (owner) problems.add(path, text, `also allocated at ${owner}; each tunnel has its own`);
      else kept.push({ key, tunnel: i + 1, path, cidr });
    }
  }
  return kept;
}
