/**
 * Environments for the workload peering and gateway endpoint tests: the dev stack files copied under another
 * environment name into a temporary directory, with their config edited (js-yaml objects, as written in a
 * stack file), so the stacks, their references and the deployment order are those of real stack files.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dump, load } from "js-yaml";
import { STACKS_DIR } from "./environment";

/** Stack configs by stack name (`workload-app-<env>`), each the YAML's `config:` map. */
export type StackConfigs = Record<string, Record<string, unknown>>;

/** The dev stack files as `env`'s, edited by `edit`, in a new directory; returns the directory. */
export function editedEnvironment(env: string, edit: (configs: StackConfigs) => void): string {
  const configs: StackConfigs = {};
  for (const file of readdirSync(STACKS_DIR).filter((f) => /^Pulumi\..+-dev\.yaml$/.test(f))) {
    const parsed = load(readFileSync(join(STACKS_DIR, file), "utf8")) as { config: Record<string, unknown> };
    configs[file.slice("Pulumi.".length, -"-dev.yaml".length)] = parsed.config;
  }
  edit(configs);
  const dir = mkdtempSync(join(tmpdir(), `hybridnet-${env}-`));
  for (const [account, config] of Object.entries(configs))
    writeFileSync(join(dir, `Pulumi.${account}-${env}.yaml`), dump({ config }));
  return dir;
}

/** A third workload, `data` (10.40.0.0/16, account 444455556666), listed in the connectivity stack too. */
export function addDataWorkload(configs: StackConfigs): void {
  configs["workload-data"] = {
    ...configs["workload-payments"],
    "hybridnet:aws": {
      region: "us-east-1",
      accountId: "444455556666",
      roleArn: "arn:aws:iam::444455556666:role/hybridnet-deploy",
    },
    "hybridnet:vpc": { cidr: "10.40.0.0/16", availabilityZones: ["use1-az1", "use1-az2"] },
  };
  const workloads = configs.connectivity["hybridnet:workloads"] as Record<string, unknown>;
  workloads.data = { accountId: "444455556666", vpcCidr: "10.40.0.0/16" };
}

/** A peering request of `from` (an account key such as `workload-app`) with workload `peer`, through `roleArn`. */
export function requestPeering(configs: StackConfigs, from: string, peer: string, roleArn: string): void {
  const existing = (configs[from]["hybridnet:peering"] ?? {}) as Record<string, unknown>;
  configs[from]["hybridnet:peering"] = { ...existing, [peer]: { roleArn } };
}

/** The role ARNs of the dev accounts a peering assumes to accept. */
export const PEERING_ROLE = {
  app: "arn:aws:iam::222233334444:role/hybridnet-peering",
  payments: "arn:aws:iam::333344445555:role/hybridnet-peering",
  data: "arn:aws:iam::444455556666:role/hybridnet-peering",
} as const;
