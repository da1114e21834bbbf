/**
 * The plan's monthly cost estimate (issue 18; docs/plan.md "Cost"): estimated from the planned stacks with
 * model/cost, compared with an earlier plan's under `--against`, and shown in the plan table.
 */
import type { ComparableStack } from "../model/changePlan";
import { type CostStack, type CostUsage, costDifference, estimatePlan } from "../model/cost/estimate";
import type { PlanCost } from "../model/cost/types";

/** An earlier plan to compare with: its stacks and, when it has one, its own estimate. */
export interface EarlierPlan {
  stacks: readonly ComparableStack[];
  cost?: PlanCost;
}

/**
 * The estimate of the planned stacks; with an earlier plan, the difference from that plan's own estimate
 * (re-estimated from its resources with the same usage when it has none). An item with no price in a
 * Region is listed in `missingPrices`, never a failed plan.
 */
export function planCost(
  stacks: readonly CostStack[],
  options: { usage?: Partial<CostUsage>; against?: EarlierPlan; regions?: Record<string, string> } = {},
): PlanCost {
  const estimate = (s: readonly CostStack[]) =>
    estimatePlan(s, {
      missing: "collect",
      ...(options.usage ? { usage: options.usage } : {}),
      ...(options.regions ? { regions: options.regions } : {}),
    });
  const cost = estimate(stacks);
  if (!options.against) return cost;
  const earlier = options.against.cost ?? estimate(options.against.stacks);
  return { ...cost, difference: costDifference(cost, earlier) };
}

const usd = (n: number) => `$${n.toFixed(2)}`;
const signed = (n: number) => (n < 0 ? `-${usd(-n)}` : `+${usd(n)}`);

/** The estimate in the plan table: per stack its lines and monthly sum, the total, and any difference. */
export function formatCost(cost: PlanCost): string[] {
  const dates = [...new Set(Object.values(cost.prices).map((p) => p.asOf))].sort();
  const usage = cost.usage
    ? `; ${cost.usage.trafficGb} GB a month per transit gateway attachment and interface endpoint, ${cost.usage.clientVpnConnections} Client VPN connections per endpoint`
    : "";
  const lines = [
    "",
    `monthly cost estimate (USD, ${cost.hoursPerMonth} h, AWS list prices of ${dates.join(", ") || "-"}${usage})`,
  ];
  const width = Math.max(...cost.stacks.map((s) => s.stack.length), "total".length);
  for (const stack of cost.stacks) {
    lines.push(
      `  ${stack.stack.padEnd(width)}  ${stack.region.padEnd(14)} ${usd(stack.monthlyUsd).padStart(11)}`,
    );
    for (const l of stack.lines)
      lines.push(
        `      ${usd(l.monthlyUsd).padStart(10)}  ${l.item}${l.region ? ` [${l.region}]` : ""}: ${l.quantity} ${l.unit} × $${l.unitPriceUsd} (${l.urns.length} resource${l.urns.length === 1 ? "" : "s"})`,
      );
  }
  lines.push(`  ${"total".padEnd(width)}  ${"".padEnd(14)} ${usd(cost.monthlyUsd).padStart(11)} a month`);
  for (const missing of cost.missingPrices ?? []) lines.push(`  not priced: ${missing}`);
  if (cost.difference) {
    const changed = cost.difference.stacks.filter((s) => s.monthlyUsd !== 0);
    lines.push(
      `  against the earlier plan: ${signed(cost.difference.monthlyUsd)} a month${changed.length > 0 ? ` (${changed.map((s) => `${s.stack} ${signed(s.monthlyUsd)}`).join(", ")})` : ""}`,
    );
  }
  return lines;
}
