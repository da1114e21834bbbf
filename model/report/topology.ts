/**
 * A plan's topology for the report: the elements and links (./elements), each planned resource claimed by
 * exactly one of them (so hovering an element lists the URNs it stands for), the policy findings on those
 * resources, and each intent as a path over the elements (./flowPaths).
 */
import { type Collected, collectElements, connectionsOf } from "./elements";
import { flowPaths } from "./flowPaths";
import type {
  ReportPlan,
  ReportResource,
  ReportStack,
  Topology,
  TopologyElement,
  TopologyLink,
} from "./types";

const COMPONENT_TYPE = /^hybridnet:index:/;

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Each resource's nearest hybridnet component (its URN), if any. */
function componentsOf(stack: ReportStack): Map<string, string | undefined> {
  const byUrn = new Map(stack.resources.map((r) => [r.urn, r]));
  const result = new Map<string, string | undefined>();
  for (const r of stack.resources) {
    let p = r.parent ? byUrn.get(r.parent) : undefined;
    while (p && !COMPONENT_TYPE.test(p.type)) p = p.parent ? byUrn.get(p.parent) : undefined;
    result.set(r.urn, p?.urn);
  }
  return result;
}

function directClaim(c: Collected, stack: string, r: ReportResource): string | undefined {
  const id = r.id ?? (typeof r.outputs?.id === "string" ? r.outputs.id : undefined);
  const byId = id ? c.anchors.get(`id:${id}`) : undefined;
  if (byId) return byId;
  const byName = c.anchors.get(`name:${stack}:${r.name}`);
  if (byName) return byName;
  let best: { prefix: string; element: string } | undefined;
  for (const p of c.prefixes)
    if (p.stack === stack && r.name.startsWith(p.prefix) && (!best || p.prefix.length > best.prefix.length))
      best = p;
  return best?.element;
}

/**
 * URN → the element or link that stands for it: the one its AWS id, name or site prefix names; else the one
 * that claimed another resource of its component; else its stack's account.
 */
export function claimResources(plan: ReportPlan, c: Collected): Map<string, string> {
  const claims = new Map<string, string>();
  for (const stack of plan.stacks) {
    const components = componentsOf(stack);
    const owner = new Map<string, string>();
    for (const r of stack.resources) {
      const target = directClaim(c, stack.name, r);
      if (!target) continue;
      claims.set(r.urn, target);
      const component = components.get(r.urn);
      if (component && !owner.has(component)) owner.set(component, target);
    }
    for (const r of stack.resources) {
      if (claims.has(r.urn)) continue;
      const component = COMPONENT_TYPE.test(r.type) ? r.urn : components.get(r.urn);
      claims.set(r.urn, (component && owner.get(component)) || `account:${stack.name}`);
    }
  }
  return claims;
}

/** Stacks with gateways or sites (the hubs) come first, then the others; by name within each. */
function accountOrder(plan: ReportPlan, elements: readonly TopologyElement[]): string[] {
  const hub = new Set(
    elements
      .filter((e) => ["transitGateway", "directConnectGateway", "virtualInterface"].includes(e.kind))
      .map((e) => e.account),
  );
  for (const s of plan.stacks) if (connectionsOf(s).sites.length > 0 && !hub.has(s.name)) hub.add(s.name);
  return plan.stacks
    .map((s) => s.name)
    .sort((a, b) => (hub.has(a) === hub.has(b) ? byText(a, b) : hub.has(a) ? -1 : 1));
}

/** The topology the report draws from a plan. */
export function buildTopology(plan: ReportPlan): Topology {
  const collected = collectElements(plan);
  const claims = claimResources(plan, collected);
  const targets = new Map<string, TopologyElement | TopologyLink>([
    ...collected.elements,
    ...collected.links,
  ]);
  for (const stack of plan.stacks) {
    for (const r of stack.resources) targets.get(claims.get(r.urn) as string)?.urns.push(r.urn);
    for (const d of stack.diagnostics) {
      const target = (d.urn && targets.get(claims.get(d.urn) ?? "")) || targets.get(`account:${stack.name}`);
      target?.findings.push(d);
    }
  }
  for (const t of targets.values()) t.urns.sort(byText);
  const all = [...collected.elements.values()];
  for (const a of all.filter((e) => e.kind === "account")) {
    const stack = plan.stacks.find((s) => s.name === a.title) as ReportStack;
    a.lines = [`${stack.resources.length} resources`];
  }
  const accounts = accountOrder(plan, all).map(
    (name) => collected.elements.get(`account:${name}`) as TopologyElement,
  );
  const elements = all.filter((e) => e.kind !== "account").sort((a, b) => byText(a.id, b.id));
  const links = [...collected.links.values()].sort((a, b) => byText(a.id, b.id));
  return {
    env: plan.env,
    accounts,
    elements,
    links,
    flows: flowPaths(plan, { elements, links, claims }),
  };
}
