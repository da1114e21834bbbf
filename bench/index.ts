/**
 * `npm run bench`: every benchmark, each printing its figures beside a baseline measured in the same run.
 * `npm run bench -- --only environment --env-sizes 10,40`: one benchmark (overlaps, reachability, plan,
 * environment, start), and the landing-zone sizes (workload stacks) of the environment benchmark;
 * `--baseline-sizes 10,40`: only these sizes also run the baseline (the 200-workload one takes many minutes);
 * `--warm-runs 3`: runs of the warm planner per size (the table shows the median).
 */
import { benchEnvironments, ENV_SIZES, WARM_RUNS } from "./environment";
import { benchOverlaps } from "./overlaps";
import { benchPlan } from "./plan";
import { benchReachability } from "./reachability";
import { benchStart } from "./start";

const BENCHMARKS = ["overlaps", "reachability", "plan", "environment", "start"] as const;

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const only = option("--only");
  if (only !== undefined && !(BENCHMARKS as readonly string[]).includes(only))
    throw new Error(`--only ${only}: one of ${BENCHMARKS.join(", ")}`);
  const sizes = option("--env-sizes")?.split(",").map(Number) ?? ENV_SIZES;
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 1024))
    throw new Error(`--env-sizes ${option("--env-sizes")}: workload counts 1–1024, comma-separated`);
  const baselineSizes = option("--baseline-sizes")?.split(",").map(Number);
  const warmRuns = Number(option("--warm-runs") ?? WARM_RUNS);
  if (!Number.isInteger(warmRuns) || warmRuns < 1 || warmRuns > 20)
    throw new Error(`--warm-runs ${option("--warm-runs")}: a count of runs, 1–20`);
  const runs = (name: (typeof BENCHMARKS)[number]) => only === undefined || only === name;
  if (runs("overlaps")) for (const line of benchOverlaps()) console.log(line);
  if (runs("reachability")) for (const line of benchReachability()) console.log(line);
  if (runs("plan")) await benchPlan((line) => console.log(line));
  if (runs("environment"))
    await benchEnvironments((line) => console.log(line), sizes, baselineSizes, warmRuns);
  if (runs("start")) await benchStart((line) => console.log(line));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
