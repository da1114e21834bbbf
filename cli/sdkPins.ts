/**
 * The offline SDK cuts (cli/offlineSdk.ts) by name, and the SDK files each replaces internals of, pinned by
 * digest. A module apart, without side effects: importing cli/offlineSdk.ts installs the cuts.
 */

export const SDK_CUTS = [
  "lazyClosure",
  "lazyAutomation",
  "lazyLibraries",
  "promises",
  "callsites",
  "lazyOutputs",
  "leanRegistration",
  "boundedHeap",
  "stackReferenceReads",
] as const;
export type SdkCut = (typeof SDK_CUTS)[number];

/** Per cut, the SDK files (under @pulumi/pulumi) whose internals it replaces or copies: the first 16 hex digits of their SHA-256 in 3.248.0. */
export const PINNED_SDK_FILES: Readonly<Record<SdkCut, Readonly<Record<string, string>>>> = {
  lazyClosure: {
    "runtime/index.js": "f14f8b0d3b981aee",
    "runtime/closure/codePaths.js": "3cf7e85bb909599e",
    "runtime/closure/serializeClosure.js": "2c31c60e64ee6bd3",
  },
  // Nothing of the SDK replaced (by these two): a module read at load is loaded then, as the SDK ships.
  lazyAutomation: {},
  lazyLibraries: {},
  promises: { "runtime/debuggable.js": "2115dc7363706f56" },
  callsites: { "resource.js": "2b7bcbcbccb9f2a6" },
  lazyOutputs: { "runtime/rpc.js": "08b3d1eae49d4a2e" },
  leanRegistration: {
    "runtime/resource.js": "7874f2c6b5694cac",
    "runtime/rpc.js": "08b3d1eae49d4a2e",
    "runtime/dependsOn.js": "11372ed6430efb45",
    "resource.js": "2b7bcbcbccb9f2a6",
  },
  boundedHeap: {},
  stackReferenceReads: {
    "stackReference.js": "f156c840cd1cdadf",
    "output.js": "85deaccb080b33d4",
  },
};

/**
 * The cuts of `all` a switch's comma-separated value names (`HYBRIDNET_SDK_CUTS`, `HYBRIDNET_POLICY_CUTS`), in
 * the order of `all`: every one when the switch is unset, none for `none` (or any value naming none of them).
 */
export function chosenNames<Name extends string>(all: readonly Name[], chosen: string | undefined): Name[] {
  if (chosen === undefined) return [...all];
  const names = chosen.split(",").map((s) => s.trim());
  return all.filter((name) => names.includes(name));
}

/**
 * How a pinned library file is named in the pins (here and cli/policyCuts.ts): the first 16 hex digits of its
 * SHA-256.
 */
export function pinDigest(bytes: Uint8Array): string {
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  return createHash("sha256").update(bytes).digest("hex").slice(0, 16);
}

/** The SDK files of `cuts` that differ from the ones the cuts were written against, as `cut: file`. */
export function movedSdkFiles(cuts: readonly SdkCut[], root = sdkRoot()): string[] {
  const { readFileSync } = require("node:fs") as typeof import("node:fs");
  const moved: string[] = [];
  for (const cut of cuts)
    for (const [file, digest] of Object.entries(PINNED_SDK_FILES[cut])) {
      let text: Buffer | undefined;
      try {
        text = readFileSync(`${root}/${file}`);
      } catch {}
      if (!text || pinDigest(text) !== digest) moved.push(`${cut}: ${file}`);
    }
  return moved;
}

function sdkRoot(): string {
  return require("node:path").dirname(require.resolve("@pulumi/pulumi/package.json"));
}
