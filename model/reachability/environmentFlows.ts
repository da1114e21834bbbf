/**
 * The flows an environment is checked for after its last pass: the intents its connectivity stack declares
 * (`hybridnet:intents`), the intents its config implies (the hub's segment policy both ways, every PrivateLink
 * consumer to its service), and no site announcing a range inside an attached VPC. Pure: settings and a
 * network in, verdicts out.
 */
import type { StackSettings } from "../stackConfig";
import { findHijacks } from "./hijacks";
import { type FlowVerdict, type Intent, IntentChecker, impliedIntents } from "./intents";
import type { Network } from "./network";

/** The intents of an environment: declared first (in key order), then implied. */
export function environmentIntents(checker: IntentChecker, settings: readonly StackSettings[]): Intent[] {
  const declared: Intent[] = [];
  const intents: Intent[] = [];
  for (const s of settings) {
    if (s.role !== "connectivity") continue;
    for (const [name, i] of Object.entries(s.config.intents ?? {}).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    ))
      declared.push({
        name,
        from: i.from,
        to: i.to,
        protocol: i.protocol ?? "tcp",
        ...(i.port !== undefined ? { port: i.port } : {}),
        expect: i.expect ?? "allow",
      });
    intents.push(...impliedIntents(checker.index, s.config.hub.segments));
  }
  return [...declared, ...intents];
}

/** Every flow verdict of an environment, hijacks included (each a failed verdict naming the route table). */
export function checkEnvironmentFlows(network: Network, settings: readonly StackSettings[]): FlowVerdict[] {
  const checker = new IntentChecker(network);
  const verdicts = checker.checkAll(environmentIntents(checker, settings));
  for (const h of findHijacks(checker.index))
    verdicts.push({
      name: `site:${h.site} announces ${h.prefix} inside ${h.vpc} (${h.vpcCidr})`,
      from: `site:${h.site}`,
      to: h.vpc,
      protocol: "tcp",
      expect: "deny",
      verdict: "fail",
      reachable: true,
      path: [h.table],
      reply: [],
      blockedAt: { ...h.table, direction: "forward" },
      implied: "no site announces a range inside an attached VPC",
    });
  return verdicts;
}
