/** `npm run bench`: every benchmark, each printing its figures beside a baseline measured in the same run. */
import { benchOverlaps } from "./overlaps";
import { benchPlan } from "./plan";
import { benchReachability } from "./reachability";

async function main(): Promise<void> {
  for (const line of benchOverlaps()) console.log(line);
  for (const line of benchReachability()) console.log(line);
  await benchPlan((line) => console.log(line));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
