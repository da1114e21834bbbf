/**
 * Intents: the flows a team expects to work or to be impossible, declared in the environment's config or
 * implied by it, answered over the planned network.
 *
 * - `allow`: a flow from a host of the source zone to the destination works both ways; the answer is its path
 *   (through a PrivateLink service: through some endpoint of it, preferring one in the source's own VPC).
 * - `deny`: no host of the source zone reaches any address of the destination zone on the port (every port
 *   when none is given), proven over every address and port class (./space); the answer to a failed deny is
 *   the path of a flow that gets through.
 *
 * Zones are named `site:<name>`, `vpc:<stack>` (the VPCs a stack made), `workload:<key>` (the VPC of the
 * workload stack `workload-<key>-<env>`), `connectivity` (the connectivity stack's VPC), `segment:<name>`
 * (every VPC and site whose attachment is associated with the segment's table), `clients:<name>` (the users
 * of a Client VPN), `service:<name>` (a PrivateLink service, reached through its interface endpoints; a
 * destination only), `aws:<service>` (S3 or DynamoDB through a gateway endpoint: `aws:s3`, `aws:dynamodb`; a
 * destination only, the service in the source's own Region first), or an address or CIDR (`10.20.0.10`,
 * `172.16.0.0/16`).
 */
import { GATEWAY_SERVICES } from "../gatewayEndpoints";
import { type FlowAnswer, FlowChecker } from "./flows";
import type { Hop, Place, Protocol } from "./forwarding";
import type { InterfaceEndpoint, Network, Subnet, Vpc } from "./network";
import type { NetworkIndex } from "./networkIndex";
import { addressText, contains, covers, hostIn, type Prefix, prefix } from "./prefixes";
import { addressBoundaries, portClasses, reachableSpace, type Zone } from "./space";

export type Expectation = "allow" | "deny";

/** One intended flow. */
export interface Intent {
  /** Unique name: the config key of a declared intent, a generated one for implied intents. */
  name: string;
  from: string;
  to: string;
  protocol: Protocol;
  port?: number;
  expect: Expectation;
  /** Through this interface endpoint only (an implied PrivateLink intent: the endpoint's declared consumers). */
  via?: string;
  /** Why an implied intent exists (`segment onprem reaches shared`); absent for declared intents. */
  implied?: string;
}

/** An intent's answer: the plan JSON's `flows[]` entry (the intent, and how it fared). */
export interface FlowVerdict extends Intent {
  verdict: "pass" | "fail";
  /** Whether the flow (or, for deny, any flow) gets through both ways. */
  reachable: boolean;
  /** The request's hops (allow: the flow checked; deny: a flow that got through, if one did). */
  path: Hop[];
  /** The reply's hops. */
  reply: Hop[];
  /** The hop that dropped the flow: where a failed allow breaks. */
  blockedAt?: Hop & { direction: "forward" | "reply" };
  /** The source and destination addresses of the flow shown. */
  src?: string;
  dst?: string;
  /** A zone that names nothing in the plan, or a question that cannot be asked. */
  error?: string;
}

/** What a segment policy says: segments it reaches (symmetric) and whether its own members are kept apart. */
export interface SegmentPolicy {
  reaches?: string[];
  isolated?: boolean;
}

/** The zone kinds a name may start with. */
export const ZONE_KINDS = [
  "site",
  "vpc",
  "workload",
  "connectivity",
  "segment",
  "clients",
  "service",
  "aws",
] as const;
export const ZONE_RULE =
  "a zone: site:<name>, vpc:<stack>, workload:<key>, connectivity, segment:<name>, clients:<name>, service:<name>, aws:s3, aws:dynamodb, or an IPv4 address or CIDR";

/** Whether `ref` is a well-formed zone name (whether it names something is known only over a plan). */
export function zoneRefProblem(ref: unknown): string | undefined {
  if (typeof ref !== "string" || ref.length === 0) return ZONE_RULE;
  if (ref === "connectivity") return undefined;
  const [kind, ...rest] = ref.split(":");
  // Gateway endpoints exist for these two AWS services only.
  if (kind === "aws" && !(GATEWAY_SERVICES as readonly string[]).includes(rest.join(":")))
    return `${ZONE_RULE}; "aws:" names an AWS service with gateway endpoints: ${GATEWAY_SERVICES.map((x) => `aws:${x}`).join(", ")}`;
  if ((ZONE_KINDS as readonly string[]).includes(kind) && kind !== "connectivity")
    return rest.join(":").length > 0 ? undefined : `${ZONE_RULE}; "${kind}:" needs a name`;
  return prefix(ref) ? undefined : ZONE_RULE;
}

/** An unknown zone name; the message lists the names the plan knows. */
export class ZoneError extends Error {}

/** The host subnets of a VPC: every subnet but the attachment (transit) tier. */
function hostSubnets(index: NetworkIndex, vpcId: string): Subnet[] {
  return (index.subnetsOfVpc.get(vpcId) ?? []).filter((s) => s.tier !== "transit");
}

function vpcZone(index: NetworkIndex, ref: string, vpcs: Vpc[]): Zone {
  return {
    ref,
    sources: vpcs.flatMap((v) =>
      hostSubnets(index, v.id).flatMap((s) => {
        const p = index.subnetPrefix.get(s.id);
        return p ? [{ prefix: p, place: { kind: "subnet" as const, subnetId: s.id } }] : [];
      }),
    ),
    // Hosts live in the host subnets: an address outside them is nobody's to reach.
    destinations: vpcs.flatMap((v) =>
      hostSubnets(index, v.id).flatMap((s) => {
        const p = index.subnetPrefix.get(s.id);
        return p ? [p] : [];
      }),
    ),
  };
}

function siteZone(index: NetworkIndex, ref: string, name: string): Zone {
  const site = index.sites.get(name);
  if (!site)
    throw new ZoneError(
      `${ref}: no site "${name}" in the plan; sites: ${[...index.sites.keys()].sort().join(", ") || "(none)"}`,
    );
  const prefixes = index.sitePrefixes(site);
  return {
    ref,
    sources: prefixes.map((p) => ({ prefix: p, place: { kind: "site", site: name } })),
    destinations: prefixes,
  };
}

/**
 * The VPCs and sites whose attachments are associated with `segment`'s table (a VPC also through the VPN
 * attachments of its appliance pair, `hybridnet:softwareVpnToHub`).
 */
export function segmentMembers(index: NetworkIndex, segment: string): string[] {
  const members: string[] = [];
  for (const table of index.tgwTables.values()) {
    if (table.segment !== segment) continue;
    for (const id of table.associations) {
      const a = index.attachments.get(id);
      if (a?.kind === "vpc" && a.vpcId) {
        const v = index.vpcs.get(a.vpcId);
        if (v) members.push(`vpc:${v.origin.stack}`);
      } else if (a?.kind === "vpn" && a.appliance) {
        // The hub's connection to an appliance pair: the pair's VPC is the member.
        const v = index.vpcs.get(index.appliances.get(a.appliance.id)?.vpcId ?? "");
        if (v) members.push(`vpc:${v.origin.stack}`);
      } else if (a?.kind === "vpn") {
        const behind = index.siteOfAttachment.get(a.id);
        if (behind) members.push(`site:${behind.site.name}`);
      }
    }
  }
  return [...new Set(members)].sort();
}

/** Resolves a zone name over the plan. Throws {@link ZoneError} naming what exists. */
export function resolveZone(index: NetworkIndex, ref: string): Zone {
  const [kind, ...rest] = ref.split(":");
  const name = rest.join(":");
  const vpcs = [...index.vpcs.values()];
  const byStack = (test: (stack: string) => boolean, what: string) => {
    const found = vpcs.filter((v) => test(v.origin.stack));
    if (found.length === 0)
      throw new ZoneError(
        `${ref}: no ${what} in the plan; stacks with VPCs: ${[...new Set(vpcs.map((v) => v.origin.stack))].sort().join(", ")}`,
      );
    return vpcZone(index, ref, found);
  };
  switch (kind) {
    case "site":
      return siteZone(index, ref, name);
    case "vpc":
      return byStack((s) => s === name, `stack "${name}" with a VPC`);
    case "workload":
      return byStack((s) => s.startsWith(`workload-${name}-`), `workload "${name}"`);
    case "connectivity":
      return byStack((s) => s.startsWith("connectivity-"), "connectivity stack");
    case "segment": {
      const members = segmentMembers(index, name);
      const segments = [
        ...new Set([...index.tgwTables.values()].map((t) => t.segment).filter(Boolean)),
      ].sort();
      if (!segments.includes(name))
        throw new ZoneError(`${ref}: no segment "${name}"; segments: ${segments.join(", ") || "(none)"}`);
      const zones = members.map((m) => resolveZone(index, m));
      return {
        ref,
        sources: zones.flatMap((z) => z.sources),
        destinations: zones.flatMap((z) => z.destinations),
      };
    }
    case "clients": {
      const c = [...index.clientVpns.values()].find(
        (x) => x.origin.component === name || x.origin.name === name,
      );
      if (!c)
        throw new ZoneError(
          `${ref}: no Client VPN "${name}"; Client VPNs: ${[...index.clientVpns.values()].map((x) => x.origin.component ?? x.origin.name).join(", ") || "(none)"}`,
        );
      const p = prefix(c.clientCidr);
      return {
        ref,
        sources: p ? [{ prefix: p, place: { kind: "clientVpn", endpointId: c.id } }] : [],
        destinations: [],
      };
    }
    case "service": {
      const endpoints = serviceEndpoints(index, name);
      return {
        ref,
        sources: [],
        destinations: endpoints.flatMap((e) =>
          e.addresses.map((a) => prefix(a.address)).filter((p): p is Prefix => !!p),
        ),
      };
    }
    case "aws":
      return awsServiceZone(index, ref, name);
    default: {
      const p = prefix(ref);
      if (!p)
        throw new ZoneError(
          `${JSON.stringify(ref)} names no zone: use ${ZONE_RULE.slice("a zone: ".length)}`,
        );
      return { ref, sources: sourcesOfPrefix(index, p), destinations: [p] };
    }
  }
}

/**
 * An AWS service reached through gateway endpoints: the stand-in ranges of its prefix lists in every Region the
 * plan has a gateway endpoint to it (a gateway endpoint serves only its own Region's service).
 */
function awsServiceZone(index: NetworkIndex, ref: string, service: string): Zone {
  const lists = [...index.prefixLists.values()];
  const found = lists.filter((l) => gatewayServiceOf(l.serviceName) === service);
  if (found.length === 0)
    throw new ZoneError(
      `${ref}: no gateway endpoint to ${service} in the plan; services with gateway endpoints: ${
        [...new Set(lists.map((l) => `aws:${gatewayServiceOf(l.serviceName)}`))].sort().join(", ") || "(none)"
      }`,
    );
  return { ref, sources: [], destinations: found.map((l) => l.prefix) };
}

/** `s3` of `com.amazonaws.eu-west-1.s3`. */
function gatewayServiceOf(serviceName: string): string {
  return serviceName.split(".").pop() ?? serviceName;
}

/** The Region of `com.amazonaws.eu-west-1.s3`. */
function gatewayRegionOf(serviceName: string): string | undefined {
  return serviceName.split(".")[2];
}

/** Where hosts of an address range sit: host subnets of VPCs that overlap it, sites that hold it. */
function sourcesOfPrefix(index: NetworkIndex, p: Prefix): Zone["sources"] {
  const out: Zone["sources"] = [];
  for (const s of index.subnets.values()) {
    const sp = index.subnetPrefix.get(s.id);
    if (!sp || s.tier === "transit") continue;
    if (covers(sp, p)) out.push({ prefix: p, place: { kind: "subnet", subnetId: s.id } });
    else if (covers(p, sp)) out.push({ prefix: sp, place: { kind: "subnet", subnetId: s.id } });
  }
  for (const site of index.sites.values())
    for (const sp of index.sitePrefixes(site)) {
      if (covers(sp, p)) out.push({ prefix: p, place: { kind: "site", site: site.name } });
      else if (covers(p, sp)) out.push({ prefix: sp, place: { kind: "site", site: site.name } });
    }
  return out;
}

/** The interface endpoints of the PrivateLink service a component named `name` registered. */
function serviceEndpoints(index: NetworkIndex, name: string) {
  const services = index.network.endpointServices.filter(
    (s) => s.origin.component === name || s.origin.name === name || s.origin.name === `${name}-service`,
  );
  if (services.length === 0)
    throw new ZoneError(
      `service:${name}: no PrivateLink service "${name}"; services: ${
        index.network.endpointServices
          .map((s) => s.origin.component ?? s.origin.name)
          .sort()
          .join(", ") || "(none)"
      }`,
    );
  const names = new Set(services.map((s) => s.serviceName));
  return index.network.interfaceEndpoints.filter((e) => names.has(e.serviceName));
}

/**
 * The intents the config implies: segment policy both ways, every PrivateLink consumer to its service, peered
 * VPCs both ways, each gateway endpoint's VPC to its service, each Direct Connect site to the VPC of the virtual
 * private gateway its gateway is associated with, and back, and each software VPN appliance's remote sites to its
 * VPC, and back.
 */
export function impliedIntents(index: NetworkIndex, segments: Record<string, SegmentPolicy>): Intent[] {
  const peered = peeringIntents(index);
  const softwareVpn = softwareVpnIntents(index);
  // A peering (VPC peering, or two appliance pairs' tunnels: SoftwareVpnPeering) is an explicit decision to
  // connect two VPCs: it overrides their segments' isolation.
  const pairs = new Set([...peered, ...softwareVpn].map((i) => `${i.from} ${i.to}`));
  return [
    ...segmentIntents(index, segments).filter((i) => !pairs.has(`${i.from} ${i.to}`)),
    ...privateLinkIntents(index),
    ...peered,
    ...gatewayEndpointIntents(index),
    ...directConnectIntents(index),
    ...softwareVpn,
  ];
}

/**
 * Each remote site of a software VPN appliance (a peer device and the prefixes it announces) reaches the
 * appliance's VPC over the tunnels, and the VPC reaches the site: what the appliance pair is for. A pair peered
 * with another pair (SoftwareVpnPeering) in another stack's VPC reaches that VPC.
 */
function softwareVpnIntents(index: NetworkIndex): Intent[] {
  const intents: Intent[] = [];
  for (const appliance of index.appliances.values()) {
    const vpc = vpcRef(index, appliance.vpcId);
    if (!vpc) continue;
    const sites = new Set<string>();
    for (const instance of appliance.instances)
      for (const t of index.tunnelsOf.get(instance.id) ?? []) sites.add(t.site.name);
    const name = appliance.origin.name;
    // Another appliance pair it peers with (SoftwareVpnPeering): this VPC reaches that one's.
    for (const peer of appliance.peers) {
      const other = peer.aws?.kind === "appliance" ? index.appliances.get(peer.aws.id) : undefined;
      const to = other ? vpcRef(index, other.vpcId) : undefined;
      if (to && to !== vpc && !intents.some((i) => i.from === vpc && i.to === to))
        intents.push({
          name: `${vpc} → ${to} over ${name}`,
          from: vpc,
          to,
          protocol: "tcp",
          expect: "allow",
          implied: `software VPN appliance ${name} peers with ${other?.origin.name} in ${to}`,
        });
    }
    for (const site of [...sites].sort())
      intents.push(
        ...bothWays(
          `site:${site}`,
          vpc,
          name,
          `software VPN appliance ${name} connects site:${site} and ${vpc}`,
        ),
      );
  }
  return intents;
}

/** Every pair of members of the hub's segments, both ways: `reaches` (or one non-isolated segment) allows. */
function segmentIntents(index: NetworkIndex, segments: Record<string, SegmentPolicy>): Intent[] {
  const intents: Intent[] = [];
  const names = Object.keys(segments).sort();
  const reaches = (a: string, b: string) =>
    a === b
      ? segments[a].isolated !== true
      : (segments[a].reaches ?? []).includes(b) || (segments[b].reaches ?? []).includes(a);
  const members = Object.fromEntries(names.map((s) => [s, segmentMembers(index, s)]));
  for (const a of names)
    for (const b of names)
      for (const x of members[a])
        for (const y of members[b]) {
          if (x === y) continue;
          const expect: Expectation = reaches(a, b) ? "allow" : "deny";
          intents.push({
            name: `${x} → ${y}`,
            from: x,
            to: y,
            protocol: "tcp",
            expect,
            implied:
              a === b
                ? `segment ${a} is ${expect === "allow" ? "not isolated" : "isolated"}`
                : `segment ${a} ${expect === "allow" ? "reaches" : "does not reach"} ${b}`,
          });
        }
  return intents;
}

/** Every declared consumer of a PrivateLink service (the endpoint's inbound CIDRs) reaches its ports. */
function privateLinkIntents(index: NetworkIndex): Intent[] {
  const intents: Intent[] = [];
  for (const e of index.network.interfaceEndpoints) {
    const svc = index.endpointServices.get(e.serviceName);
    if (!svc) continue;
    const service = svc.origin.component ?? svc.origin.name;
    for (const groupId of e.securityGroupIds) {
      const group = index.securityGroups.get(groupId);
      for (const rule of group?.ingress ?? []) {
        const p = rule.cidr ? prefix(rule.cidr) : undefined;
        if (!p || rule.fromPort === undefined) continue;
        const from = consumerZone(index, p, e.vpcId);
        if (!from) continue;
        intents.push({
          name: `${from} → service:${service} via ${e.origin.component ?? e.origin.name}`,
          from,
          to: `service:${service}`,
          via: e.id,
          protocol: rule.protocol === "udp" ? "udp" : "tcp",
          port: rule.fromPort,
          expect: "allow",
          implied: `${e.origin.component ?? e.origin.name} admits ${p.text} on ${rule.protocol}/${rule.fromPort}`,
        });
      }
    }
  }
  return intents;
}

/** The zone of a VPC: `vpc:<the stack that made it>`. */
function vpcRef(index: NetworkIndex, vpcId: string): string | undefined {
  const v = index.vpcs.get(vpcId);
  return v ? `vpc:${v.origin.stack}` : undefined;
}

/** Peered VPCs reach each other both ways (the peering routes only their own CIDRs; it is not transitive). */
function peeringIntents(index: NetworkIndex): Intent[] {
  const intents: Intent[] = [];
  for (const peering of index.network.peerings) {
    const a = vpcRef(index, peering.requesterVpcId);
    const b = vpcRef(index, peering.accepterVpcId);
    if (!a || !b || a === b) continue;
    const name = peering.origin.component ?? peering.origin.name;
    intents.push(...bothWays(a, b, name, `VPC peering ${name} connects ${a} and ${b}`));
  }
  return intents;
}

/** A gateway endpoint's VPC reaches its service (S3, DynamoDB) through it. */
function gatewayEndpointIntents(index: NetworkIndex): Intent[] {
  const seen = new Set<string>();
  const intents: Intent[] = [];
  for (const g of index.network.gatewayEndpoints) {
    const from = vpcRef(index, g.vpcId);
    const to = `aws:${gatewayServiceOf(g.serviceName)}`;
    if (!from || seen.has(`${from} ${to}`)) continue;
    seen.add(`${from} ${to}`);
    intents.push({
      name: `${from} → ${to}`,
      from,
      to,
      protocol: "tcp",
      port: 443,
      expect: "allow",
      implied: `gateway endpoint ${g.origin.component ?? g.origin.name} routes ${g.serviceName}`,
    });
  }
  return intents;
}

/**
 * A site on a Direct Connect gateway associated with a virtual private gateway reaches that gateway's VPC over
 * its virtual interface, and the VPC reaches the site.
 */
function directConnectIntents(index: NetworkIndex): Intent[] {
  const intents: Intent[] = [];
  for (const site of index.sites.values())
    for (const link of site.links) {
      if (link.kind !== "directConnect") continue;
      const gateway = index.directConnectGateways.get(link.directConnectGatewayId ?? "");
      for (const a of gateway?.associations ?? []) {
        const vpc = index.vpnGateways.get(a.gatewayId)?.vpcId;
        const ref = vpc ? vpcRef(index, vpc) : undefined;
        if (!ref || a.transitGatewayAttachmentId) continue;
        const why = `Direct Connect gateway ${gateway?.origin.name} is associated with the virtual private gateway of ${ref}`;
        for (const [from, to] of [
          [`site:${site.name}`, ref],
          [ref, `site:${site.name}`],
        ])
          if (!intents.some((i) => i.from === from && i.to === to))
            intents.push({
              name: `${from} → ${to}`,
              from,
              to,
              protocol: "tcp",
              expect: "allow",
              implied: why,
            });
      }
    }
  return intents;
}

/** The zone an endpoint's inbound CIDR stands for: its own VPC, a site, or the range itself. */
function consumerZone(index: NetworkIndex, p: Prefix, endpointVpc: string): string | undefined {
  const own = index.vpcs.get(endpointVpc);
  if (own && (index.vpcPrefixes.get(own.id) ?? []).some((v) => covers(v, p) || covers(p, v)))
    return `vpc:${own.origin.stack}`;
  for (const site of index.sites.values())
    if (index.sitePrefixes(site).some((s) => s.text === p.text)) return `site:${site.name}`;
  return p.text;
}

/** One representative host of a zone: the 10th address of its first source range. */
function representative(zone: Zone): { src: number; place: Place } | undefined {
  const s = zone.sources[0];
  return s ? { src: hostIn(s.prefix), place: s.place } : undefined;
}

/** Answers intents over a network. */
export class IntentChecker {
  readonly checker: FlowChecker;
  private readonly shared: { boundaries: number[]; ports: [number, number][]; reserved: Set<number> };
  /** Zones resolved so far, by name (an environment's intents name each zone hundreds of times). */
  private readonly zones = new Map<string, Zone | ZoneError>();
  /** The plan's interface endpoints by id (the first of an id, as a search would find it). */
  private readonly endpoints = new Map<string, InterfaceEndpoint>();

  /**
   * @param options.exhaustive the benchmark's baseline: every deny proof rebuilds its address pieces and port
   * classes and evaluates every one of them, skipping nothing an earlier answer settled.
   */
  constructor(
    network: Network | NetworkIndex,
    private readonly options: { exhaustive?: boolean } = {},
  ) {
    this.checker = new FlowChecker(network);
    const index = this.checker.index;
    const reserved = new Set<number>();
    for (const e of index.network.interfaceEndpoints)
      for (const a of e.addresses) {
        const p = prefix(a.address);
        if (p) reserved.add(p.first);
      }
    this.shared = { boundaries: addressBoundaries(index), ports: portClasses(index), reserved };
    for (const e of [...index.network.interfaceEndpoints].reverse()) this.endpoints.set(e.id, e);
  }

  get index(): NetworkIndex {
    return this.checker.index;
  }

  check(intent: Intent): FlowVerdict {
    let from: Zone;
    let to: Zone;
    try {
      from = this.zone(intent.from);
      to = intent.via ? this.endpointZone(intent.to, intent.via) : this.zone(intent.to);
    } catch (e) {
      if (!(e instanceof ZoneError)) throw e;
      return verdictOf(intent, "fail", false, [], [], { error: e.message });
    }
    if (from.sources.length === 0)
      return verdictOf(intent, "fail", false, [], [], {
        error: `${intent.from} has no hosts to start a flow from`,
      });
    if (intent.expect === "allow") return this.allow(from, to, intent);
    const space = reachableSpace(
      this.checker,
      from,
      to,
      {
        protocol: intent.protocol,
        firstOnly: true,
        ...(this.options.exhaustive ? { exhaustive: true } : {}),
        ...(intent.port !== undefined ? { ports: [intent.port, intent.port] as [number, number] } : {}),
      },
      this.options.exhaustive ? undefined : this.shared,
    );
    const ex = space.example;
    if (!ex) return verdictOf(intent, "pass", false, [], []);
    return verdictOf(intent, "fail", true, ex.answer.forward, ex.answer.reply, {
      src: addressText(ex.src),
      dst: addressText(ex.dst),
    });
  }

  /** {@link resolveZone}, once per name (the exhaustive baseline resolves it every time). */
  private zone(ref: string): Zone {
    let zone = this.options.exhaustive ? undefined : this.zones.get(ref);
    if (zone === undefined) {
      try {
        zone = resolveZone(this.index, ref);
      } catch (e) {
        if (!(e instanceof ZoneError)) throw e;
        zone = e;
      }
      this.zones.set(ref, zone);
    }
    if (zone instanceof ZoneError) throw zone;
    return zone;
  }

  private endpointZone(ref: string, endpointId: string): Zone {
    const e = this.endpoints.get(endpointId);
    if (!e) throw new ZoneError(`${ref}: no interface endpoint ${endpointId} in the plan`);
    return {
      ref,
      sources: [],
      destinations: (e?.addresses ?? []).map((a) => prefix(a.address)).filter((p): p is Prefix => !!p),
    };
  }

  private allow(from: Zone, to: Zone, intent: Intent): FlowVerdict {
    const source = representative(from)!;
    const candidates = this.destinations(to, source.place);
    if (candidates.length === 0)
      return verdictOf(intent, "fail", false, [], [], { error: `${intent.to} has no address to reach` });
    let first: { dst: number; answer: FlowAnswer } | undefined;
    for (const dst of candidates) {
      const answer = this.checker.check(source.place, {
        src: source.src,
        dst,
        protocol: intent.protocol,
        ...(intent.port !== undefined ? { port: intent.port } : {}),
      });
      first ??= { dst, answer };
      if (answer.reachable) {
        first = { dst, answer };
        break;
      }
    }
    const { dst, answer } = first!;
    return verdictOf(
      intent,
      answer.reachable ? "pass" : "fail",
      answer.reachable,
      answer.forward,
      answer.reply,
      {
        ...(answer.blockedAt ? { blockedAt: answer.blockedAt } : {}),
        src: addressText(source.src),
        dst: addressText(dst),
      },
    );
  }

  /**
   * Destination addresses to try for an allow: endpoints in the source's VPC first; for an AWS service, its
   * prefix list in the source's Region first; a host per range otherwise.
   */
  private destinations(to: Zone, from: Place): number[] {
    const sourceVpc = from.kind === "subnet" ? this.index.subnets.get(from.subnetId)?.vpcId : undefined;
    if (to.ref.startsWith("aws:")) {
      const region = sourceVpc ? this.index.vpcs.get(sourceVpc)?.region : undefined;
      const local = (p: Prefix) =>
        region !== undefined &&
        gatewayRegionOf(this.index.prefixLists.get(p.text)?.serviceName ?? "") === region;
      return [...to.destinations.filter(local), ...to.destinations.filter((p) => !local(p))].map((p) =>
        hostIn(p),
      );
    }
    const isEndpointZone = to.ref.startsWith("service:");
    if (!isEndpointZone) {
      // A host in the first host subnet of the zone's VPCs, or the 10th address of its first range.
      const host = to.sources[0]?.prefix ?? to.destinations[0];
      return host ? [hostIn(host)] : [];
    }
    const addresses = to.destinations.map((p) => p.first);
    const inOwnVpc = (a: number) =>
      sourceVpc !== undefined &&
      (this.index.vpcPrefixes.get(sourceVpc) ?? []).some((v) => contains(v, a)) &&
      this.index.endpointAt(sourceVpc, a) !== undefined;
    return [...addresses.filter(inOwnVpc), ...addresses.filter((a) => !inOwnVpc(a))];
  }

  /** Every intent, declared and implied, in a stable order. */
  checkAll(intents: readonly Intent[]): FlowVerdict[] {
    return intents.map((i) => this.check(i));
  }
}

/**
 * The verdict on `intent`, its fields in the plan document's order: the intent's (name, from, to, protocol,
 * port, expect, via, implied), then the answer's (verdict, reachable, path, reply, blockedAt, src, dst, error).
 * Written field by field: tens of thousands of verdicts in a large environment, each built once.
 */
function verdictOf(
  intent: Intent,
  verdict: FlowVerdict["verdict"],
  reachable: boolean,
  path: Hop[],
  reply: Hop[],
  more?: Pick<FlowVerdict, "blockedAt" | "src" | "dst" | "error">,
): FlowVerdict {
  const v = { name: intent.name, from: intent.from, to: intent.to, protocol: intent.protocol } as FlowVerdict;
  if (intent.port !== undefined) v.port = intent.port;
  v.expect = intent.expect;
  if (intent.via) v.via = intent.via;
  if (intent.implied) v.implied = intent.implied;
  v.verdict = verdict;
  v.reachable = reachable;
  v.path = path;
  v.reply = reply;
  if (more?.blockedAt) v.blockedAt = more.blockedAt;
  if (more?.src !== undefined) v.src = more.src;
  if (more?.dst !== undefined) v.dst = more.dst;
  if (more?.error !== undefined) v.error = more.error;
  return v;
}

/** `a` reaches `b` and `b` reaches `a` over a connection (`over`: its name), both implied by `implied`. */
function bothWays(a: string, b: string, over: string, implied: string): Intent[] {
  return [
    [a, b],
    [b, a],
  ].map(([from, to]) => ({
    name: `${from} → ${to} over ${over}`,
    from,
    to,
    protocol: "tcp",
    expect: "allow",
    implied,
  }));
}
