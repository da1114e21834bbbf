/**
 * A stack run as `pulumi preview` of a first deployment runs it: the SDK in dry-run mode, and every resource the
 * program creates answering with an unknown id and unknown outputs (but its inputs), as the engine answers
 * before anything exists. StackReferences and providers answer as they would (a referenced stack's outputs
 * are known; a provider is configured during a preview). What a program awaits or applies on a new resource's
 * output would never run: the test sees which inputs stayed unknown.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockModel, type StackOutputs } from "../model/mocks";
import { runStack } from "../stacks/program";

const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> };
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
  const model = new MockModel({ stack, stackOutputs: deployed });
  const registered: PreviewedResource[] = [];
  const known = (type: string) =>
    type.startsWith("pulumi:providers:") || type === "pulumi:pulumi:StackReference";
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const answer = model.newResource(args);
        const unknownInputs = Object.keys(args.inputs).filter((k) => pulumi.isUnknown(args.inputs[k]));
        registered.push({
          type: args.type,
          name: args.name,
          inputs: Object.fromEntries(Object.entries(args.inputs).filter(([k]) => !unknownInputs.includes(k))),
          unknownInputs,
        });
        if (known(args.type)) return answer;
        // Before it exists, a resource's outputs are what it was given; everything else is unknown.
        const state = Object.fromEntries(
          Object.keys(answer.state).map((k) => [
            k,
            k in args.inputs && !unknownInputs.includes(k) ? args.inputs[k] : unknownValue,
          ]),
        );
        return { id: undefined, state };
      },
      call: (args) => model.call(args),
    },
    "hybridnet",
    stack,
    true,
    "organization",
  );
  pulumi.runtime.setAllConfig(config, []);
  let error: Error | undefined;
  const onRejection = (reason: unknown) => {
    error ??= reason instanceof Error ? reason : new Error(String(reason));
  };
  process.on("unhandledRejection", onRejection);
  try {
    await runStack();
    await waitForRPCs();
  } catch (e) {
    error ??= e as Error;
  } finally {
    await new Promise((done) => setImmediate(done));
    process.off("unhandledRejection", onRejection);
  }
  return { registered, ...(error ? { error } : {}) };
}
