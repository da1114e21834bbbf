/**
 * The flows of a plan: the network model built from every stack's final pass (model/reachability/fromPlan),
 * the environment's declared and implied intents answered over it, and how they print.
 */
import { checkEnvironmentFlows } from "../model/reachability/environmentFlows";
import type { Hop } from "../model/reachability/forwarding";
import { networkFromPlan, type PlannedStackInput } from "../model/reachability/fromPlan";
import type { FlowVerdict } from "../model/reachability/intents";
import type { Network } from "../model/reachability/network";
import { siteDeclarations } from "../model/reachability/sites";
import type { StackSettings } from "../model/stackConfig";

/** The network of a planned environment: every stack's last pass, and the sites its config declares. */
export function networkOfPlan(
  stacks: readonly PlannedStackInput[],
  settings: readonly StackSettings[],
): Network {
  return networkFromPlan(stacks, siteDeclarations(settings));
}

/** Every intent of the environment answered over its planned network (`network`, when already built from them). */
export function flowsOfPlan(
  stacks: readonly PlannedStackInput[],
  settings: readonly StackSettings[],
  network: Network = networkOfPlan(stacks, settings),
): FlowVerdict[] {
  return checkEnvironmentFlows(network, settings);
}

/** A hop in one line: `stack name: what`. */
export function hopText(h: Hop): string {
  return `${h.stack} ${h.name}: ${h.what}`;
}

function service(v: FlowVerdict): string {
  return v.protocol === "icmp" ? "icmp" : `${v.protocol}/${v.port ?? "any"}`;
}

/** A path as the names of the elements it crosses, each once in a row. */
export function pathText(hops: readonly Hop[]): string {
  const names: string[] = [];
  for (const h of hops) if (names[names.length - 1] !== h.name) names.push(h.name);
  return names.join(" → ");
}

/** Where a failed flow stops, in an engineer's words. */
export function blockedText(v: FlowVerdict): string {
  if (v.error) return v.error;
  if (v.expect === "deny") {
    const via = v.path.length > 0 ? `; path: ${v.path.map((h) => h.what).join(" → ")}` : "";
    return v.blockedAt && v.implied === "no site announces a range inside an attached VPC"
      ? `${v.blockedAt.stack}: ${v.blockedAt.what}`
      : `reachable, but intended not to be: ${v.src ?? "?"} → ${v.dst ?? "?"} gets through${via}`;
  }
  const b = v.blockedAt;
  if (!b) return "not reachable";
  const reply = b.direction === "reply" ? ` — the reply to ${v.from} is dropped` : "";
  return `${b.stack}: ${b.what}${reply}`;
}

/** The flows section of the plan table: one line per intent, the blocking hop under each failure. */
export function formatFlows(verdicts: readonly FlowVerdict[]): string[] {
  if (verdicts.length === 0) return [];
  const lines = ["", "flows"];
  const width = Math.min(60, Math.max(...verdicts.map((v) => `${v.from} → ${v.to}`.length)));
  for (const v of verdicts) {
    const mark = v.verdict === "pass" ? "✔" : "✘";
    const label = v.implied ? (v.via ? `  via ${v.name.split(" via ").pop()}` : "") : `  (${v.name})`;
    lines.push(
      `  ${mark} ${v.expect.padEnd(5)} ${`${v.from} → ${v.to}`.padEnd(width)} ${service(v)}${label}`,
    );
    if (v.verdict === "pass" && v.expect === "allow" && v.path.length > 0)
      lines.push(`        via ${pathText(v.path)}`);
    if (v.verdict === "fail") {
      lines.push(`        ${blockedText(v)}`);
      if (v.implied) lines.push(`        implied by: ${v.implied}`);
    }
  }
  const failed = verdicts.filter((v) => v.verdict === "fail").length;
  lines.push(
    `  ${verdicts.length - failed} of ${verdicts.length} flows as intended${failed > 0 ? `, ${failed} not` : ""}`,
  );
  return lines;
}

/** One flow answer in full, both ways (`hybridnet flow`). */
export function formatFlowAnswer(v: FlowVerdict): string[] {
  const lines = [
    `${v.from} → ${v.to} ${service(v)}${v.src ? ` (${v.src} → ${v.dst})` : ""}: ${v.reachable ? "reachable" : "not reachable"}`,
  ];
  if (v.error) lines.push(`  ${v.error}`);
  if (v.path.length > 0) lines.push("  request:", ...v.path.map((h) => `    ${hopText(h)}`));
  if (v.reply.length > 0) lines.push("  reply:", ...v.reply.map((h) => `    ${hopText(h)}`));
  if (v.blockedAt)
    lines.push(
      `  blocked (${v.blockedAt.direction}) at ${hopText(v.blockedAt)}`,
      ...(v.blockedAt.urn ? [`    ${v.blockedAt.urn}`] : []),
    );
  return lines;
}
