/**
 * Writes the stack config reference from the zod schemas of model/stackConfig.ts:
 * schema/stack-config.schema.json (the JSON Schema editors validate `Pulumi.<stack>.yaml` with) and
 * docs/config.md. `--check` writes nothing and exits 1 when either file is not what it would write.
 *
 *   npm run schema [-- --check]   (npx tsx scripts/configReference.ts [--check])
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configReference, DOC_FILE } from "./configDoc";
import { SCHEMA_FILE, stackFileSchema } from "./stackFileSchema";

export const REGENERATE = "npm run schema";

/**
 * What the program checks and a JSON Schema cannot: rules across settings and against AWS's reserved blocks.
 * model/stackConfig.ts (connectivityRules, workloadRules) and model/vpcLayout.ts are the authority.
 */
export const PROGRAM_CHECKS = [
  "The stack name and the role agree: `connectivity-<env>` is a connectivity stack, `workload-<key>-<env>` a workload stack.",
  "`hybridnet:aws.roleArn` is a role of `hybridnet:aws.accountId`; a workload's `attachment.hubRoleArn` is a role of another account (the network account).",
  "Every segment named (`vpc.segment`, `vpn.segment`, a segment's `reaches`) is a key of `hybridnet:hub.segments`; a segment does not reach itself.",
  "The Availability Zone ids are zones of `hybridnet:aws.region` (`use1-az1` is in us-east-1).",
  "CIDRs have no host bits set (`10.0.0.1/16` is refused, naming `10.0.0.0/16`); a public address is outside the reserved and shared blocks.",
  "On-premises networks do not overlap the connectivity VPC, nor each other across sites and branches; the Client VPN CIDR does not overlap the connectivity VPC.",
  "A site's ASN differs from the transit gateway's; the Direct Connect gateway's ASN differs from the transit gateway's and from your routers'.",
  "With `hybridnet:directConnect`: `hybridnet:hub.transitGatewayCidrBlocks` is set, and every `directConnect.sites` key is a site of `hybridnet:vpn.sites`.",
  "A workload's account is not the network account; a workload's service targets are inside its VPC.",
  "Every zone an intent names (`site:dc1`, `service:app`, …) exists in the environment.",
  "A production environment (`prod`…) sets `hybridnet:alarms.actions`.",
];

/** The generated files, by path from the repository root. */
export function generatedFiles(): Record<string, string> {
  const schema = stackFileSchema();
  return {
    [SCHEMA_FILE]: `${JSON.stringify(schema, null, 2)}\n`,
    [DOC_FILE]: configReference(schema, PROGRAM_CHECKS),
  };
}

/** The generated files whose text on disk under `root` differs from what the generator makes now. */
export function staleFiles(root: string): string[] {
  return Object.entries(generatedFiles())
    .filter(([path, text]) => {
      try {
        return readFileSync(join(root, path), "utf8") !== text;
      } catch {
        return true;
      }
    })
    .map(([path]) => path);
}

function main(argv: readonly string[]): number {
  const root = join(__dirname, "..");
  if (argv.includes("--check")) {
    const stale = staleFiles(root);
    for (const path of stale) console.error(`${path} is stale: run ${REGENERATE}`);
    return stale.length > 0 ? 1 : 0;
  }
  for (const [path, text] of Object.entries(generatedFiles())) {
    writeFileSync(join(root, path), text);
    console.log(`wrote ${path}`);
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
