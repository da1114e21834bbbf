/**
 * The landing-zone program: reads the stack's name and config, validates them against the role's schema
 * (model/stackConfig) before anything registers, and runs the role — `connectivity` or `workload` — returning
 * its outputs as the stack's outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "../model/stackConfig";
import { connectivityStack } from "./connectivity";
import { workloadStack } from "./workload";

/** Runs the stack `pulumi.getStack()` names with the config the CLI (or a test) set. */
export async function runStack(): Promise<Record<string, unknown>> {
  const settings = parseStackConfig(pulumi.getStack(), pulumi.runtime.allConfig());
  return settings.role === "connectivity"
    ? connectivityStack(settings.identity, settings.config)
    : workloadStack(settings.identity, settings.config);
}
