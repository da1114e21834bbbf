/**
 * For the offline stack process only (never the library, never a real `pulumi up`): cuts of per-promise and
 * per-resource work the SDK does for the engine and for debugging, which a mock run never reads. Import
 * this module before anything else in the process. tests/stackProcess.test.ts checks that a plan is the
 * same with and without them; `npx mocha --require ./.build/cli/offlineSdk.js` runs the whole suite with
 * every cut in place (it passes, as it does without them).
 *
 * - `promises`: `debuggablePromise` becomes a pass-through. The SDK wraps every promise it makes (several
 *   per resource and per output property) to debug leaks: it captures `new Error().stack`, defines three
 *   properties, adds the promise to a set of leak candidates and chains `.then`/`.catch` to take it out
 *   again; at exit it reports candidates still pending. Offline that is overhead: the stack process waits
 *   for every registration itself (`waitForRPCs`) and reports a program's failure as its error, so the
 *   exit-time leak report adds nothing; without the wrapper no candidate is recorded and no exit hook is
 *   installed. A caller gets the original promise, which settles exactly as the wrapper did.
 * - `callsites`: `Resource.callsites` returns no frames. For every resource the SDK takes a full stack trace
 *   (it lifts the stack trace limit to Infinity for it, so `--stack-trace-limit=0` does not help) and
 *   parses it into the source position and stack trace it sends the engine for diagnostics. A plan records
 *   neither.
 * - `lazyOutputs`: a custom resource's output properties become Outputs when first read. The SDK makes an
 *   Output for every property of the resource's type up front (a VpnConnection has over a hundred), each
 *   with about ten promises and thirty closures, and keeps them all alive until registration answers: that
 *   is most of the heap of a large program, which builds every resource before the first answer. A program
 *   reads a few of them (`vpn.id`, `vpn.tunnel1Address`). A property read before the answer gets a pending
 *   Output that the answer settles; one read after gets an Output settled with the same value, secrecy,
 *   known-ness and dependencies; an error reaches it the same way.
 *
 * - `lazyClosure`: the SDK's function serialization (`runtime/closure`: serializeFunction, computeCodePaths)
 *   loads when first called instead of with the SDK. It is for callbacks turned into Lambda code and dynamic
 *   providers, which a plan never deploys, and it pulls in npm's arborist, pacote, sigstore and TypeScript:
 *   half the SDK's load time and 70 MB. Calls behave the same; only the loading moves.
 *
 * - `lazyAutomation`: the Automation API (`@pulumi/pulumi/automation`: LocalWorkspace, Stack, the CLI wrapper)
 *   loads when something of it is first read instead of with the SDK, whose index loads it. A plan never
 *   drives the Pulumi CLI, and it pulls in execa, cross-spawn, tmp, semver and a file tailer: about 30 ms of
 *   every worker's and stack process's start. `pulumi.automation` is the stand-in itself, which reads as the
 *   real module (the same names, values and `__esModule`).
 *
 * - `lazyLibraries`: gRPC (`@grpc/grpc-js`), OpenTelemetry (`@opentelemetry/api`) and `semver`, as the SDK resolves
 *   them, and zod's translations (`zod/v4/locales`) load when something of them is first read instead of with the
 *   SDK and zod. A mock run never talks to an engine: the SDK reads gRPC and OpenTelemetry only in its clients and
 *   their interceptor, and `semver` only to compare the versions of resource packages; the config's errors are in
 *   English, which zod takes from its own file. That is about 65 ms of a worker's start with the code cache (about
 *   125 ms of CPU for a stack process without it), and the first worker's start is on the plan's critical path.
 *   The one use at load, the client constructors of the SDK's generated `*_grpc_pb` modules
 *   (`makeGenericClientConstructor`), gets a constructor that makes gRPC's own when it is first used
 *   (constructed, called or read). The policy pack a worker loads gets its service captured without gRPC
 *   (cli/inProcessPack.ts).
 *
 * - `leanRegistration`: a registration the lean monitor (cli/mockRuntime.ts) answers goes from the SDK's
 *   `prepareResource` to the monitor in one async function, with no protobuf request and no serialization
 *   chain (cli/leanRegistration.ts says what is left out and why a program sees no difference).
 *
 * - `stackReferenceReads`: a StackReference's `getOutputDetails`, `getOutputValue` and `requireOutputValue` read the
 *   one output asked for, instead of the SDK's deep copy of every output of the referenced stack per read, with the
 *   same value, secrecy and microtask turn (cli/stackReferenceReads.ts).
 *
 * - `boundedHeap`: in the one-stack process only, the old generation grows by a third past what the last full
 *   collection left instead of up to fourfold (cli/boundedHeap.ts): much of one big stack's peak is garbage.
 *
 * `HYBRIDNET_SDK_CUTS` picks cuts (`lazyClosure,lazyAutomation,lazyLibraries,promises,callsites,lazyOutputs,
 * leanRegistration,boundedHeap,stackReferenceReads`, or `none`;
 * default all), for measuring what each buys. PULUMI_DEBUG_PROMISE_LEAKS keeps the SDK as it is (its leak
 * report, with stack traces).
 *
 * The cuts replace internals of @pulumi/pulumi 3.248.0 (package.json pins it). Each names the SDK files whose
 * code it replaces or copies, with their SHA-256: when a file differs (another SDK version), importing this
 * module throws, so a stack process or worker refuses to start instead of planning with internals that moved.
 */

import { installLeanRegistration } from "./leanRegistration";
import { type Exports, moduleView } from "./moduleView";
import { chosenNames, movedSdkFiles, PINNED_SDK_FILES, SDK_CUTS, type SdkCut } from "./sdkPins";
import { installStackReferenceReads } from "./stackReferenceReads";

export { PINNED_SDK_FILES, SDK_CUTS, type SdkCut };

function chosenCuts(): SdkCut[] {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return [];
  return chosenNames(SDK_CUTS, process.env.HYBRIDNET_SDK_CUTS);
}

/** The cuts in place in this process. */
export const sdkCuts: readonly SdkCut[] = chosenCuts();

const moved = movedSdkFiles(sdkCuts);
if (moved.length > 0)
  throw new Error(
    `cli/offlineSdk.ts: the SDK cuts were written for @pulumi/pulumi 3.248.0 and these files of the installed ` +
      `SDK (${(require("@pulumi/pulumi/package.json") as { version: string }).version}) differ: ` +
      `${moved.join(", ")}. Update the cuts and their pinned digests, or run with HYBRIDNET_SDK_CUTS=none.`,
  );

type Resolver = (v: unknown, isKnown: boolean, isSecret: boolean, deps?: unknown[], err?: Error) => void;

/**
 * Per resource: its lazy properties, and per property what registration answered before the first read, or the
 * Output's settler (the maps made when first needed).
 */
interface LazyProperties {
  keys: string[];
  answered?: Map<string, Parameters<Resolver>>;
  settle?: Map<string, Resolver>;
}

const LAZY = Symbol("hybridnet.lazyOutputs");

function sdk() {
  return {
    Output: (require("@pulumi/pulumi/output") as { Output: new (...args: unknown[]) => unknown }).Output,
    isGrpcError: (require("@pulumi/pulumi/errors") as { isGrpcError: (e: unknown) => boolean }).isGrpcError,
  };
}
let loaded: ReturnType<typeof sdk> | undefined;

function defineValue(onto: object, k: string, value: unknown): void {
  Object.defineProperty(onto, k, { value, writable: true, enumerable: true, configurable: true });
}

/** The Output of property `k` of `onto`, made at its first read; it replaces the accessor. */
function materialize(onto: Record<string | symbol, unknown>, k: string): unknown {
  loaded ??= sdk();
  const { Output, isGrpcError } = loaded;
  const lazy = onto[LAZY] as LazyProperties;
  const settlers: { resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  const promise = () => new Promise((resolve, reject) => settlers.push({ resolve, reject }));
  const output = new Output(onto, promise(), promise(), promise(), promise());
  const settle: Resolver = (v, isKnown, isSecret, deps = [], err) => {
    if (err) {
      // As the SDK does: a gRPC error leaves the properties pending (the run is shutting down).
      if (isGrpcError(err)) return;
      for (const s of settlers) s.reject(err);
    } else {
      const values = [v, isKnown, isSecret, deps];
      for (let i = 0; i < values.length; i++) settlers[i].resolve(values[i]);
    }
  };
  const answered = lazy.answered?.get(k);
  if (answered) {
    lazy.answered?.delete(k);
    settle(...answered);
  } else {
    lazy.settle ??= new Map();
    lazy.settle.set(k, settle);
  }
  defineValue(onto, k, output);
  return output;
}

/** One accessor per property name, shared by every resource (`this` is the resource). */
const accessors = new Map<string, PropertyDescriptor>();
function accessorFor(k: string): PropertyDescriptor {
  let accessor = accessors.get(k);
  if (!accessor) {
    accessor = {
      enumerable: true,
      configurable: true,
      get(this: Record<string | symbol, unknown>) {
        return materialize(this, k);
      },
      set(this: object, value: unknown) {
        defineValue(this, k, value);
      },
    };
    accessors.set(k, accessor);
  }
  return accessor;
}

/**
 * The SDK's `transferProperties` (runtime/rpc.js), with each Output made on first read. Same contract: sets
 * a property per key of `props` on `onto` and returns a resolver per key, which registration calls once.
 */
function lazyTransferProperties(onto: Record<string | symbol, unknown>, label: string, props: object) {
  return resolversOf(lazyProperties(onto, label, props));
}

/** The accessors of `lazyTransferProperties`; the resolvers come later, from {@link resolversOf}. */
function lazyProperties(
  onto: Record<string | symbol, unknown>,
  label: string,
  props: object,
): LazyProperties {
  const lazy: LazyProperties = { keys: [] };
  Object.defineProperty(onto, LAZY, { value: lazy });
  for (const k of Object.keys(props)) {
    if (k === "id" || k === "urn") continue;
    if (Object.hasOwn(onto, k)) throw new Error(`Property '${k}' is already initialized on target '${label}`);
    lazy.keys.push(k);
    Object.defineProperty(onto, k, accessorFor(k));
  }
  return lazy;
}

/** A resolver per lazy property, which registration calls once. */
function resolversOf(lazy: LazyProperties): Record<string, Resolver> {
  const resolvers: Record<string, Resolver> = {};
  for (const k of lazy.keys)
    resolvers[k] = (...args) => {
      const settle = lazy.settle?.get(k);
      if (settle) settle(...args);
      else {
        lazy.answered ??= new Map();
        lazy.answered.set(k, args);
      }
    };
  return resolvers;
}

/**
 * What the `leanRegistration` cut gives a resource instead of the SDK's `transferProperties`: the same
 * properties, and its resolvers when registration answers. With `lazyOutputs` the resolvers are made then (a
 * program builds every resource before the first answer: sixteen closures a resource fewer meanwhile).
 */
function transferForLeanRegistration(): Parameters<typeof installLeanRegistration>[0] {
  if (sdkCuts.includes("lazyOutputs"))
    return (onto, label, props) => {
      const lazy = lazyProperties(onto, label, props);
      return () => resolversOf(lazy);
    };
  const rpc = require("@pulumi/pulumi/runtime/rpc") as { transferProperties: typeof lazyTransferProperties };
  return (onto, label, props) => {
    const resolvers = rpc.transferProperties(onto, label, props);
    return () => resolvers;
  };
}

/**
 * Puts a stand-in for module `request` (or the module file `filename`) in the require cache, its exports made by
 * `exportsOf` over `load`, which loads the real module (once) and returns it. Must run before anything requires it.
 */
function standIn(
  request: string,
  exportsOf: (load: () => Exports) => Exports,
  filename = require.resolve(request),
): void {
  const Module = require("node:module") as typeof import("node:module") & {
    new (id: string, parent?: NodeModule): NodeModule;
  };
  if (require.cache[filename]) return;
  let real: Exports | undefined;
  const stand = new Module(filename, module);
  const load = () => {
    if (!real) {
      delete require.cache[filename];
      real = require(filename) as Exports;
      require.cache[filename] = stand;
    }
    return real;
  };
  stand.filename = filename;
  stand.loaded = true;
  stand.exports = exportsOf(load);
  require.cache[filename] = stand;
}

/** A stand-in for `request` that exports `names` as functions loading the real module on their first call. */
function loadOnFirstCall(request: string, names: readonly string[]): void {
  standIn(request, (load) =>
    Object.fromEntries([
      ["__esModule", true],
      ...names.map((name) => [
        name,
        (...args: unknown[]) => (load()[name] as (...a: unknown[]) => unknown)(...args),
      ]),
    ]),
  );
}

/**
 * A class (or function) made by `make` when first constructed, called or read: a stand-in for the class and, once
 * made, a view of it (its statics, its prototype, `instanceof`).
 */
function madeOnFirstUse(make: () => object): unknown {
  let made: object | undefined;
  const real = () => {
    made ??= make();
    return made;
  };
  // A function, not a class, for the target: a proxy must report a class's fixed `prototype` as its own.
  return new Proxy(function LazyClass() {}, {
    construct: (_target, args, newTarget) => Reflect.construct(real() as new () => object, args, newTarget),
    apply: (_target, self, args) => Reflect.apply(real() as () => unknown, self, args),
    get: (_target, key) => Reflect.get(real(), key),
    set: (_target, key, value) => Reflect.set(real(), key, value),
    has: (_target, key) => Reflect.has(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      // As the target's: its `prototype` writable, anything else configurable (a proxy may not report more fixed).
      if (descriptor && key === "prototype") descriptor.writable = true;
      else if (descriptor) descriptor.configurable = true;
      return descriptor;
    },
  });
}

/**
 * A stand-in for the module file `filename` that loads the real module when anything of it is first read, but
 * `__esModule` (TypeScript's `__importStar` then takes the stand-in as it is, reading nothing) and the members of
 * `early`, which do without it.
 */
function loadOnAnyRead(filename: string, early: (load: () => Exports) => Exports = () => ({})): void {
  standIn(filename, (load) => moduleView(load, early(load)), filename);
}

/**
 * The files of the libraries `lazyLibraries` loads on first read: gRPC, OpenTelemetry and `semver` as the SDK's
 * runtime resolves them, and zod's translations of its messages (zod loads every language with itself; the
 * config's errors are in English, which zod takes from its own file).
 */
export function lazyLibraryFiles(): {
  grpc: string;
  openTelemetry: string;
  semver: string;
  zodLocales: string;
} {
  const { createRequire } = require("node:module") as typeof import("node:module");
  const fromSdk = createRequire(require.resolve("@pulumi/pulumi/runtime/settings"));
  return {
    grpc: fromSdk.resolve("@grpc/grpc-js"),
    openTelemetry: fromSdk.resolve("@opentelemetry/api"),
    semver: fromSdk.resolve("semver"),
    zodLocales: require.resolve("zod/v4/locales"),
  };
}

if (sdkCuts.includes("lazyAutomation")) loadOnAnyRead(require.resolve("@pulumi/pulumi/automation"));
if (sdkCuts.includes("lazyLibraries")) {
  const files = lazyLibraryFiles();
  loadOnAnyRead(files.grpc, (load) => ({
    makeGenericClientConstructor: (...args: unknown[]) =>
      madeOnFirstUse(() => (load().makeGenericClientConstructor as (...a: unknown[]) => object)(...args)),
  }));
  loadOnAnyRead(files.openTelemetry);
  loadOnAnyRead(files.semver);
  loadOnAnyRead(files.zodLocales);
}
if (sdkCuts.includes("lazyClosure")) {
  // runtime/index.js copies these exports at load; the stand-ins forward each call to the real module.
  loadOnFirstCall("@pulumi/pulumi/runtime/closure/codePaths", ["computeCodePaths", "findWorkspaceRoot"]);
  loadOnFirstCall("@pulumi/pulumi/runtime/closure/serializeClosure", [
    "serializeFunction",
    "serializeFunctionAsync",
  ]);
}
if (sdkCuts.includes("promises")) {
  // The SDK's modules call these as property reads at each call (`debuggable_1.debuggablePromise(...)`,
  // `Resource.callsites()`, `rpc_1.transferProperties(...)`), so replacing them reaches every caller,
  // loaded before or after.
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
    debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
  };
  debuggable.debuggablePromise = <T>(p: Promise<T>) => p;
}
if (sdkCuts.includes("callsites")) {
  const { Resource } = require("@pulumi/pulumi/resource") as { Resource: { callsites: () => unknown[] } };
  Resource.callsites = () => [];
}
if (sdkCuts.includes("lazyOutputs")) {
  const rpc = require("@pulumi/pulumi/runtime/rpc") as { transferProperties: typeof lazyTransferProperties };
  rpc.transferProperties = lazyTransferProperties;
}
if (sdkCuts.includes("leanRegistration")) installLeanRegistration(transferForLeanRegistration());
if (sdkCuts.includes("stackReferenceReads")) installStackReferenceReads();
