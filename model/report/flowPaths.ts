/**
 * Each intent of a plan as a path over the report's elements: the source zone's element, then the element or
 * link each hop of the request names (by URN, else by the resource or VPC name the hop carries), then (when it
 * arrives) the destination's. A failed flow keeps the path up to the hop that dropped it, marked.
 */
import type { Hop } from "../reachability/forwarding";
import type { FlowVerdict } from "../reachability/intents";
import type { FlowPath, ReportPlan, TopologyElement, TopologyLink } from "./types";

interface Index {
  elements: readonly TopologyElement[];
  links: readonly TopologyLink[];
  /** URN → element or link id. */
  claims: ReadonlyMap<string, string>;
}

/** The element a zone name (`site:dc1`, `workload:app`, `service:app`, `clients:staff`) stands for. */
function zoneElement(plan: ReportPlan, index: Index, zone: string): string | undefined {
  const [kind, ...rest] = zone.split(":");
  const name = rest.join(":");
  const firstVpc = (stack: string) => index.elements.find((e) => e.kind === "vpc" && e.account === stack)?.id;
  const titled = (kind: TopologyElement["kind"], title: string) =>
    index.elements.find((e) => e.kind === kind && e.title === title)?.id;
  switch (kind) {
    case "site":
      return index.elements.find((e) => e.id === `site:${name}`)?.id;
    case "vpc":
      return firstVpc(name);
    case "workload":
      return firstVpc(`workload-${name}-${plan.env}`);
    case "connectivity":
      return firstVpc(`connectivity-${plan.env}`);
    case "clients":
      return titled("clientVpn", `Client VPN ${name}`);
    case "service":
      return titled("endpointService", `PrivateLink service ${name}`);
    default:
      return undefined;
  }
}

/** The element or link a hop names. */
function hopTarget(plan: ReportPlan, index: Index, hop: Hop): string | undefined {
  if (hop.urn && index.claims.has(hop.urn)) return index.claims.get(hop.urn);
  const stack = plan.stacks.find((s) => s.name === hop.stack);
  const resource = stack?.resources.find((r) => r.name === hop.name);
  if (resource) return index.claims.get(resource.urn);
  // A VPC route table or subnet the layout names `<vpc>-<tier>-<zone>`: the VPC.
  const vpcs = index.elements.filter((e) => e.kind === "vpc" && e.account === hop.stack);
  return vpcs.find((v) => {
    const name = v.title.replace(/^VPC /, "");
    return hop.name === name || hop.name.startsWith(`${name}-`);
  })?.id;
}

/** Appends a hop's target to a path: an element itself, a link as the end not yet reached. */
function extend(path: string[], target: string | undefined, links: ReadonlyMap<string, TopologyLink>): void {
  if (!target) return;
  const link = links.get(target);
  const last = path[path.length - 1];
  const next = !link
    ? [target]
    : last === link.from
      ? [link.to]
      : last === link.to
        ? [link.from]
        : [link.from, link.to];
  for (const n of next) if (path[path.length - 1] !== n) path.push(n);
}

function flowText(v: FlowVerdict): string {
  const service = v.protocol === "icmp" ? "icmp" : `${v.protocol}/${v.port ?? "any"}`;
  return `${v.expect} ${v.from} → ${v.to} ${service}${v.via ? ` via ${v.via}` : ""}`;
}

function blockedWords(v: FlowVerdict): string | undefined {
  if (v.verdict === "pass") return undefined;
  if (v.error) return v.error;
  if (v.expect === "deny") return `reachable, but intended not to be (${v.src ?? "?"} → ${v.dst ?? "?"})`;
  if (!v.blockedAt) return "not reachable";
  return `${v.blockedAt.stack} ${v.blockedAt.name}: ${v.blockedAt.what}${v.blockedAt.direction === "reply" ? " (the reply)" : ""}`;
}

/** Every intent of the plan as a path over the topology. */
export function flowPaths(plan: ReportPlan, index: Index): FlowPath[] {
  const links = new Map(index.links.map((l) => [l.id, l]));
  return plan.flows.map((v, i) => {
    const path: string[] = [];
    extend(path, zoneElement(plan, index, v.from), links);
    for (const hop of v.path) extend(path, hopTarget(plan, index, hop), links);
    let blockedAt: string | undefined;
    if (v.verdict === "fail" && v.blockedAt) {
      const target = hopTarget(plan, index, v.blockedAt);
      extend(path, target, links);
      if (target) blockedAt = path[path.length - 1];
    } else if (v.verdict === "pass" && v.expect === "allow")
      extend(path, zoneElement(plan, index, v.to), links);
    const blocked = blockedWords(v);
    return {
      index: i,
      name: v.name,
      text: flowText(v),
      verdict: v.verdict,
      expect: v.expect,
      elements: path,
      ...(blockedAt ? { blockedAt } : {}),
      ...(blocked ? { blocked } : {}),
    };
  });
}
