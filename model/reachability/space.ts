/**
 * Whole-space questions: between two zones, which destination addresses and ports are reachable, for every
 * address, not a sample. The address space is cut at every boundary any prefix of the network uses (routes,
 * VPC and subnet CIDRs, site prefixes, rules, the addresses of endpoints, load balancers and targets); inside
 * one piece every element treats every address alike, so one flow per piece (and per port range, cut at every
 * port a rule or listener names) answers for all of it.
 */
import type { FlowAnswer, FlowChecker } from "./flows";
import type { Place, Protocol } from "./forwarding";
import {
  clientVpnAddress,
  loadBalancerAddress,
  type NetworkIndex,
  PREFIX_LIST_STAND_IN_BASE,
} from "./networkIndex";
import { type Prefix, prefix, rangeToPrefixes } from "./prefixes";

/** Where a zone's hosts are: address ranges and the place a host there sends from. */
export interface ZoneSource {
  prefix: Prefix;
  place: Place;
}

export interface Zone {
  /** How the zone was named (`site:dc1`, `segment:workloads`). */
  ref: string;
  /** Its hosts, for flows that start in the zone. */
  sources: ZoneSource[];
  /** Its addresses, for flows that end in the zone. */
  destinations: Prefix[];
}

/** Every address where some element's behaviour may change: first addresses and one past last addresses. */
export function addressBoundaries(index: NetworkIndex): number[] {
  const cuts = new Set<number>([0]);
  const add = (p: Prefix | undefined) => {
    if (!p) return;
    cuts.add(p.first);
    cuts.add(p.last + 1);
  };
  const addText = (t: string) => add(prefix(t));
  const addHost = (a: number) => {
    cuts.add(a);
    cuts.add(a + 1);
  };
  const n = index.network;
  for (const v of n.vpcs) v.cidrs.forEach(addText);
  for (const s of n.subnets) addText(s.cidr);
  // Load balancer nodes and Client VPN interfaces: only in the subnets that have them.
  for (const lb of n.loadBalancers)
    for (const id of lb.subnetIds) addHost(loadBalancerAddress(index, id, lb));
  for (const c of n.clientVpnEndpoints) for (const id of c.subnetIds) addHost(clientVpnAddress(index, id));
  // A route to a prefix list cuts at the list's stand-in range.
  for (const t of n.routeTables) for (const r of t.routes) add(index.destinationPrefix(r.destination));
  for (const t of n.transitGatewayRouteTables) for (const r of t.routes) addText(r.destination);
  for (const s of n.sites) {
    s.prefixes.forEach(addText);
    for (const l of s.links) (l.staticRoutes ?? []).forEach(addText);
  }
  for (const g of n.directConnectGateways) for (const a of g.associations) a.allowedPrefixes.forEach(addText);
  for (const g of n.securityGroups) for (const r of [...g.ingress, ...g.egress]) if (r.cidr) addText(r.cidr);
  for (const e of n.interfaceEndpoints) for (const a of e.addresses) addText(a.address);
  for (const t of n.targetGroups) for (const x of t.targets) addText(x.address);
  for (const c of n.clientVpnEndpoints) {
    addText(c.clientCidr);
    for (const a of c.authorizations) addText(a.destination);
    for (const r of c.routes) addText(r.destination);
  }
  return [...cuts].filter((c) => c <= 2 ** 32).sort((a, b) => a - b);
}

/** Port ranges inside which every rule and listener treats every port alike. */
export function portClasses(index: NetworkIndex): [number, number][] {
  const cuts = new Set<number>([0, 65536]);
  for (const g of index.network.securityGroups)
    for (const r of [...g.ingress, ...g.egress])
      if (r.fromPort !== undefined && r.fromPort >= 0) {
        cuts.add(r.fromPort);
        cuts.add((r.toPort ?? r.fromPort) + 1);
      }
  for (const lb of index.network.loadBalancers)
    for (const l of lb.listeners) {
      cuts.add(l.port);
      cuts.add(l.port + 1);
    }
  const sorted = [...cuts].filter((c) => c <= 65536).sort((a, b) => a - b);
  return sorted.slice(0, -1).map((c, i) => [c, sorted[i + 1] - 1]);
}

/** The pieces of `p` between consecutive boundaries. */
export function piecesOf(p: Prefix, boundaries: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  // Binary search for the first boundary above p.first.
  let lo = 0;
  let hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (boundaries[mid] <= p.first) lo = mid + 1;
    else hi = mid;
  }
  let start = p.first;
  for (let i = lo; i < boundaries.length && boundaries[i] <= p.last; i++) {
    out.push([start, boundaries[i] - 1]);
    start = boundaries[i];
  }
  out.push([start, p.last]);
  return out;
}

export interface ReachableSet {
  /** Destination prefixes reachable on `ports`. */
  prefixes: string[];
  /** `443`, `0-65535`. */
  ports: string;
}

export interface SpaceAnswer {
  from: string;
  to: string;
  protocol: Protocol;
  reachable: ReachableSet[];
  /** A reachable flow (the first found), as a witness. */
  example?: { src: number; dst: number; port?: number; answer: FlowAnswer };
  /** Flows evaluated, and whole ranges found dropped at the first lookup. */
  evaluated: number;
}

export interface SpaceOptions {
  protocol?: Protocol;
  /** Only this port (or range). @default every port class. */
  ports?: [number, number];
  /** Stop at the first reachable flow (a deny proof needs no more). @default false */
  firstOnly?: boolean;
  /**
   * Evaluate every address piece and port class, without skipping what an earlier answer already settled
   * (the baseline the benchmark compares against). @default false
   */
  exhaustive?: boolean;
}

/** Addresses no host holds: AWS-owned interfaces (endpoints, load balancer nodes, Client VPN) are no sources. */
function serviceAddresses(index: NetworkIndex): Set<number> {
  const out = new Set<number>();
  for (const e of index.network.interfaceEndpoints)
    for (const a of e.addresses) {
      const p = prefix(a.address);
      if (p) out.add(p.first);
    }
  for (const lb of index.network.loadBalancers)
    for (const id of lb.subnetIds) out.add(loadBalancerAddress(index, id, lb));
  for (const c of index.network.clientVpnEndpoints)
    for (const id of c.subnetIds) out.add(clientVpnAddress(index, id));
  return out;
}

/**
 * Which addresses of `to` and which ports hosts of `from` reach (both ways), proven per equivalence class.
 * `boundaries` and `ports` may be passed in when many questions share one network.
 */
export function reachableSpace(
  checker: FlowChecker,
  from: Zone,
  to: Zone,
  options: SpaceOptions = {},
  shared?: { boundaries: number[]; ports: [number, number][]; reserved: Set<number> },
): SpaceAnswer {
  const index = checker.index;
  const protocol = options.protocol ?? "tcp";
  const boundaries = shared?.boundaries ?? addressBoundaries(index);
  const reserved = shared?.reserved ?? serviceAddresses(index);
  const allPorts = protocol === "icmp" ? [[0, 0] as [number, number]] : (shared?.ports ?? portClasses(index));
  const ports = options.ports
    ? allPorts
        .map(([a, b]) => [Math.max(a, options.ports![0]), Math.min(b, options.ports![1])] as [number, number])
        .filter(([a, b]) => a <= b)
    : allPorts;
  /** Reachable destination pieces: first address → the piece's last address and the port ranges reached. */
  const reached = new Map<number, { last: number; ports: [number, number][] }>();
  let evaluated = 0;
  let example: SpaceAnswer["example"];
  for (const source of from.sources) {
    const srcPieces = piecesOf(source.prefix, boundaries).filter(([a, b]) => !(a === b && reserved.has(a)));
    // Ranges dropped whole at the first lookup need no piece-by-piece walk.
    const dstPieces = to.destinations
      .filter((d) => {
        if (options.exhaustive || !checker.forwarder.firstHopDropsRange(source.place, d)) return true;
        evaluated++;
        return false;
      })
      .flatMap((d) => piecesOf(d, boundaries));
    // Destinations the forward walk drops for this place whatever the source address: skip for the rest.
    const deadForPlace = new Set<number>();
    for (const [srcFirst] of srcPieces) {
      for (const [dstFirst, dstLast] of dstPieces) {
        if (deadForPlace.has(dstFirst)) continue;
        if (dstFirst === srcFirst && source.place.kind === "subnet") continue;
        for (const [portFirst, portLast] of ports) {
          evaluated++;
          const answer = checker.check(source.place, {
            src: srcFirst,
            dst: dstFirst,
            protocol,
            ...(protocol === "icmp" ? {} : { port: portFirst }),
          });
          // An answer no port decided holds for every port of the question.
          const span: [number, number] = answer.portSensitive
            ? [portFirst, portLast]
            : [ports[0][0], ports[ports.length - 1][1]];
          if (answer.reachable) {
            const entry = reached.get(dstFirst) ?? { last: dstLast, ports: [] };
            entry.ports.push(span);
            reached.set(dstFirst, entry);
            if (!example) example = { src: srcFirst, dst: dstFirst, port: portFirst, answer };
            if (options.firstOnly) return finish();
          } else if (
            !options.exhaustive &&
            answer.blockedAt?.direction === "forward" &&
            !answer.sourceSensitive &&
            !answer.portSensitive
          )
            deadForPlace.add(dstFirst);
          if (!answer.portSensitive && !options.exhaustive) break;
        }
      }
    }
  }
  return finish();

  function finish(): SpaceAnswer {
    // Pieces reached on the same ports form one set; within it, adjacent pieces merge into prefixes.
    const byPorts = new Map<string, [number, number][]>();
    for (const [first, { last, ports: spans }] of reached) {
      const key = mergeRanges(spans)
        .map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`))
        .join(", ");
      const list = byPorts.get(key) ?? [];
      list.push([first, last]);
      byPorts.set(key, list);
    }
    const reachable: ReachableSet[] = [...byPorts.entries()]
      .map(([ports, ranges]) => ({
        prefixes: mergeRanges(ranges).flatMap(([a, b]) => rangeText(index, a, b)),
        ports,
        first: Math.min(...ranges.map((r) => r[0])),
      }))
      .sort((a, b) => a.first - b.first || (a.ports < b.ports ? -1 : 1))
      .map(({ prefixes, ports }) => ({ prefixes, ports }));
    return {
      from: from.ref,
      to: to.ref,
      protocol,
      reachable,
      ...(example ? { example } : {}),
      evaluated,
    };
  }
}

/** A reached range as prefixes; the stand-in range of a prefix list as the list's id (`pl-6da54004`). */
function rangeText(index: NetworkIndex, first: number, last: number): string[] {
  const lists = [...index.prefixLists.values()].filter(
    (l) => first <= l.prefix.first && l.prefix.last <= last,
  );
  const standIn = first >= PREFIX_LIST_STAND_IN_BASE && last < PREFIX_LIST_STAND_IN_BASE + 2 ** 24;
  return standIn && lists.length > 0 ? lists.map((l) => l.id) : rangeToPrefixes(first, last);
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}
