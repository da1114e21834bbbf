/**
 * A stack run as `pulumi preview` of a first deployment runs it (cli/mockRuntime `preview`): the SDK in dry-run
 * mode, every resource the program creates answering with no id and only its inputs, as the engine answers
 * before anything exists; StackReferences and providers answer as they would. The test sees which inputs of
 * each registration stayed unknown.
 */
import { runUnderMocks } from "../cli/mockRuntime";
import type { StackOutputs } from "../cli/mocks";
import { runStack } from "../stacks/program";

const { unknownValue } = require("@pulumi/pulumi/runtime/rpc") as { unknownValue: string };

export interface PreviewedResource {
  type: string;
  name: string;
  /** Inputs as the engine received them; unknown ones are left out here and named in `unknownInputs`. */
  inputs: Record<string, unknown>;
  unknownInputs: string[];
}

/** Runs stack `stack` with `config` (the CLI's form) as a preview against the deployed outputs of the others. */
export async function previewStack(
  stack: string,
  config: Record<string, string>,
  deployed: StackOutputs,
): Promise<{ registered: PreviewedResource[]; error?: Error }> {
  const run = await runUnderMocks(() => runStack(), { stack, config, stackOutputs: deployed, preview: true });
  const registered = run.resources.map((r) => {
    const unknownInputs = Object.keys(r.inputs).filter((k) => r.inputs[k] === unknownValue);
    return {
      type: r.type,
      name: r.name,
      inputs: Object.fromEntries(Object.entries(r.inputs).filter(([k]) => !unknownInputs.includes(k))),
      unknownInputs,
    };
  });
  return { registered, ...(run.error ? { error: run.error } : {}) };
}
