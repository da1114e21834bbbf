/**
 * The monthly cost estimate of a plan (issue 18): the JSON contract shared by the planner, the plan table
 * and the HTML report. Figures are US dollars for a 730-hour month at AWS list prices (model/cost data
 * file, each price with its date and source page); usage-priced items (data processing per GB) use the
 * volume the plan declares.
 */

/** One priced item of a stack: a resource (or a group of like resources) times a unit price. */
export interface CostLine {
  /** What is priced, e.g. "Site-to-Site VPN connection". */
  item: string;
  /** The priced resources' URNs (the report links lines to resources). */
  urns: string[];
  /** How many units a month, e.g. 730 connection-hours, or 1000 GB. */
  quantity: number;
  /** The unit, e.g. "connection-hour", "attachment-hour", "GB". */
  unit: string;
  /** USD per unit, from the price file. */
  unitPriceUsd: number;
  /** quantity × unitPriceUsd, rounded to cents. */
  monthlyUsd: number;
  /** The price file entry's key (its date and source page are in `PlanCost.prices`). */
  price: string;
}

/** One stack's estimate. */
export interface StackCost {
  stack: string;
  region: string;
  lines: CostLine[];
  /** Sum of `lines`, rounded to cents. */
  monthlyUsd: number;
}

/** The estimate of a whole plan. */
export interface PlanCost {
  currency: "USD";
  /** Hours in the priced month. @default 730 */
  hoursPerMonth: number;
  stacks: StackCost[];
  /** Sum over stacks, rounded to cents. */
  monthlyUsd: number;
  /** The price file entries used: key → { usd, unit, region, asOf (YYYY-MM-DD), source (URL) }. */
  prices: Record<string, { usd: number; unit: string; region: string; asOf: string; source: string }>;
  /** With `--against`: this plan's monthly total minus the earlier plan's, per stack and in total. */
  difference?: { monthlyUsd: number; stacks: { stack: string; monthlyUsd: number }[] };
}
