/**
 * The report files `hybridnet plan --out DIR` writes beside plan.json: `report.html` (one self-contained
 * page: the topology, flows, findings and cost) and `topology.svg` (the diagram alone, for pull requests).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildTopology, layoutTopology, renderReport, renderSvg } from "../model/report";
import type { PlanResult } from "./plan";

/** Writes DIR/report.html and DIR/topology.svg for a plan. */
export function writeReport(dir: string, result: PlanResult): void {
  const topology = buildTopology(result);
  fs.writeFileSync(path.join(dir, "topology.svg"), renderSvg(topology, layoutTopology(topology)));
  fs.writeFileSync(path.join(dir, "report.html"), renderReport(result, topology));
}
