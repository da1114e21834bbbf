/** Writes a generated landing zone (bench/generate.ts) as stack files, for `hybridnet plan --stacks DIR`. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dump } from "js-yaml";
import { generateLandingZone } from "./generate";

/** The stack files of a generated environment `env` in a new directory (or `dir`); returns the directory. */
export function writeLandingZone(env: string, workloads: number, sites: number, dir?: string): string {
  const target = dir ?? mkdtempSync(join(tmpdir(), `hybridnet-${env}-`));
  for (const [stack, config] of Object.entries(generateLandingZone(env, workloads, sites)))
    writeFileSync(join(target, `Pulumi.${stack}.yaml`), dump({ config }));
  return target;
}

if (require.main === module) {
  const [env, workloads, sites, dir] = process.argv.slice(2);
  console.log(writeLandingZone(env, Number(workloads), Number(sites), dir));
}
