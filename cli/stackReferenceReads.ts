/**
 * The `stackReferenceReads` cut of cli/offlineSdk.ts (offline stack process only): a StackReference's
 * `getOutputDetails`, `getOutputValue` and `requireOutputValue` read one output without copying all of them.
 *
 * The SDK's (stackReference.js, 3.248) go through `readOutputValue`, which makes `getOutput(name)`:
 * `all([output(name), this.outputs]).apply(([n, os]) => os[n])`. `output(this.outputs)` deep-copies every
 * output of the referenced stack, and three Outputs on the way each walk the whole copy for unknowns: for one
 * output. A workload stack reads nineteen outputs of the connectivity stack (38 KB of JSON) one by one, so
 * nineteen copies and some sixty walks of everything: about a sixth of a warm workload pass's CPU.
 *
 * The cut answers the same `[value, isSecret]`: when the referenced stack's outputs are known plain data (what
 * the mock model's answer deserializes to: objects, arrays and primitives, no Output, promise, resource or
 * unknown anywhere), the value is a copy of that one output made as the SDK's copy makes it, and its secrecy is
 * decided as the SDK's `isSecretOutputName` decides it. It settles in the same microtask turn as the SDK's
 * (tests/stackReferenceReads.test.ts counts them), so the run proceeds in the same order. Anything else (outputs
 * unknown or not plain, a name that is not a string, a missing output that is required, a name that is not
 * the outputs' own) takes the SDK's path, started once the outputs have settled.
 */

// biome-ignore lint/suspicious/noExplicitAny: the SDK's internals are untyped JavaScript.
type Untyped = any;

/**
 * Microtask turns the SDK's `readOutputValue` (3.248) takes to settle: from the call when the outputs had
 * settled before it, and from the outputs settling when they had not (past the turns spent here awaiting them);
 * `requireOutputValue`'s Output takes more. Measured, and checked by tests/stackReferenceReads.test.ts. Only as
 * many turns are spent waiting as the SDK's chain takes (it spends more microtasks on them: several chains at once).
 */
const SDK_TURNS = {
  optional: { call: 63, outputs: 52 },
  required: { call: 80, outputs: 75 },
};

/** Resolves after `n` microtask turns. */
async function turns(n: number): Promise<void> {
  for (let turn = 0; turn < n; turn++) await undefined;
}

/** Deeper than this, a value is not taken for plain data (a cycle, say): the SDK's path decides. */
const MAX_DEPTH = 64;

/** Whether `value` is data the SDK's `outputRec` copies as plain data and in which `containsUnknowns` finds none. */
function isPlain(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== "object") return true;
  if (depth > MAX_DEPTH) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    for (const element of value as unknown[]) if (!isPlain(element, depth + 1)) return false;
    return true;
  }
  if (proto !== Object.prototype) return false;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!isPlain(record[key], depth + 1)) return false;
  return true;
}

/** The SDK's `outputRec` copy of plain data: arrays element by element, objects key by key, as it assigns them. */
function copyPlain(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    for (const element of value) copy.push(copyPlain(element));
    return copy;
  }
  const record = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) copy[key] = copyPlain(record[key]);
  return copy;
}

/** The SDK's `isSecretOutputName` (stackReference.js, not exported) for a name that is a string. */
async function isSecretOutputName(ref: Untyped, name: string): Promise<boolean> {
  if (!(await ref.secretOutputNames.isKnown)) return await ref.outputs.isSecret;
  const names: string[] | undefined = await ref.secretOutputNames.promise();
  if (!names) return await ref.outputs.isSecret;
  return names.includes(name);
}

/**
 * What `readOutputValue` answers for `name` from settled outputs `os`, or undefined when the SDK's path must
 * decide (see the module comment).
 */
function plainAnswer(
  os: unknown,
  known: boolean,
  name: string,
  required: boolean,
): { value: unknown } | undefined {
  if (!known || os === null || typeof os !== "object" || Object.getPrototypeOf(os) !== Object.prototype)
    return undefined;
  const record = os as Record<string, unknown>;
  if (!isPlain(record)) return undefined;
  // `requireOutput` calls `os.hasOwnProperty`: an output of that name would be called instead.
  if (Object.hasOwn(record, "hasOwnProperty")) return undefined;
  // An output named `__proto__` would make the SDK's copy another object's heir.
  if (Object.hasOwn(record, "__proto__")) return undefined;
  if (Object.hasOwn(record, name)) return { value: copyPlain(record[name]) };
  // Not an output: the SDK's error when required; else what the copy inherits (`toString`), uncopied, or undefined.
  return required ? undefined : { value: record[name] };
}

/** Replaces `StackReference.prototype.readOutputValue` (its three readers call it as `this.readOutputValue`). */
export function installStackReferenceReads(): void {
  const { StackReference } = require("@pulumi/pulumi/stackReference") as Untyped;
  const proto = StackReference.prototype;
  const sdkRead: (callerName: string, outputName: unknown, required: boolean) => Promise<[unknown, boolean]> =
    proto.readOutputValue;
  proto.readOutputValue = function readOutputValue(
    this: Untyped,
    callerName: string,
    outputName: unknown,
    required: boolean,
  ): Promise<[unknown, boolean]> {
    // Not through an async function, which would take turns of its own.
    if (typeof outputName !== "string") return sdkRead.call(this, callerName, outputName, required);
    return readPlain(this, sdkRead, callerName, outputName, required);
  };
}

/** `readOutputValue` of a name that is a string. */
async function readPlain(
  ref: Untyped,
  sdkRead: (callerName: string, outputName: unknown, required: boolean) => Promise<[unknown, boolean]>,
  callerName: string,
  outputName: string,
  required: boolean,
): Promise<[unknown, boolean]> {
  const sdkTurns = required ? SDK_TURNS.required : SDK_TURNS.optional;
  // Counts the turns from the call, until the outputs have settled.
  let elapsed = 0;
  let counting = true;
  const byCall = (async () => {
    while (counting && elapsed < sdkTurns.call) {
      await undefined;
      elapsed++;
    }
  })();
  // `requireOutput` also takes the stack's name into its Output (read first, as there): known plain text, or
  // the SDK decides.
  const stackNameOutput = required ? ref.name : undefined;
  const outputs = ref.outputs;
  const [os, known, stackName, nameKnown] = await Promise.all([
    outputs.promise(true),
    outputs.isKnown,
    stackNameOutput ? stackNameOutput.promise(true) : "",
    stackNameOutput ? stackNameOutput.isKnown : true,
  ]);
  counting = false;
  const answer =
    typeof stackName === "string" && nameKnown ? plainAnswer(os, known, outputName, required) : undefined;
  if (!answer) return sdkRead.call(ref, callerName, outputName, required);
  const secret = isSecretOutputName(ref, outputName);
  // The rest of the SDK's turns: those from the outputs, or those left from the call (one is awaiting `byCall`).
  await turns(Math.max(sdkTurns.outputs, sdkTurns.call - elapsed - 1));
  await byCall;
  return [answer.value, await secret];
}
