/** `npm run bench`: every benchmark, each printing its figures beside a baseline measured in the same run. */
import { benchOverlaps } from "./overlaps";

for (const line of benchOverlaps()) console.log(line);
