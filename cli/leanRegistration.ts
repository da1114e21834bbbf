/**
 * The `leanRegistration` cut of cli/offlineSdk.ts (offline stack process only): a resource registration that the
 * lean monitor of cli/mockRuntime.ts answers goes from the SDK's `prepareResource` straight to the monitor, in
 * one async function, instead of through the SDK's `registerResource` chain. What it leaves out is what a mock
 * run never reads: the protobuf `RegisterResourceRequest` (its inputs converted to a `Struct`, which the lean
 * monitor converted straight back), the engine's serialization chain (`runAsyncResourceOp`: two more promises
 * and a generator per resource; the mock runtime runs unserialized anyway), the debugging wrappers, and the
 * protobuf alias, source-position and stack-trace messages.
 *
 * What a program observes stays the same: `prepareResource` is the SDK's own (the URN and id Outputs, the
 * property Outputs, inputs serialized with their secrecy, known-ness and dependencies, the parent, providers,
 * aliases awaited); the request the monitor gets carries the same fields, its inputs with their keys sorted as
 * the protobuf round trip sorted them; the answer resolves the URN, the id and the outputs exactly as the SDK's
 * `registerResource` and `resolveOutputs` do (copied below, as they are not exported), errors included. A
 * registration that uses anything else (transforms, hooks, `replaceWith`, `replacementTrigger`, `deletedWith`,
 * environment variable mappings, a package reference, remote components, a serialized run) or that another
 * monitor answers takes the SDK's path unchanged.
 */

/** Marks the lean monitor's `registerResource`: it takes a {@link LeanRequest} and answers in plain data. */
export const LEAN_MONITOR = Symbol.for("hybridnet.leanMonitor");

type Props = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: the SDK's internals are untyped JavaScript.
type Untyped = any;

/** What `prepareResource` returns (runtime/resource.js, SDK 3.248). */
interface PreparedResource {
  serializedProps: Props;
  parentURN?: string;
  providerRef?: string;
  providerRefs: Map<string, string>;
  allDirectDependencyURNs: Set<string>;
  propertyToDirectDependencyURNs: Map<string, Set<string>>;
  aliases: unknown[];
  import?: string;
  monitorSupportsStructuredAliases: boolean;
}

/**
 * A value as `Struct.fromJavaScript(...).toJavaScript()` returns it: objects' keys sorted (jspb maps iterate
 * sorted), anything that is not JSON data refused with the protobuf library's error.
 */
export function asStructValue(value: unknown): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "object": {
      if (Array.isArray(value)) return value.map(asStructValue);
      const record = value as Props;
      const out: Props = {};
      const keys: string[] = [];
      for (const key in record) keys.push(key);
      for (const key of keys.sort()) out[key] = asStructValue(record[key]);
      return out;
    }
    default:
      throw new Error("Unexpected struct type.");
  }
}

/**
 * The register request the lean monitor gets: the getters of the protobuf message that the recorder and the
 * mock model read, over plain data.
 */
export class LeanRequest {
  constructor(
    private readonly type: string,
    private readonly name: string,
    private readonly custom: boolean,
    private readonly remote: boolean,
    private readonly resop: PreparedResource,
    private readonly inputs: Props,
    private readonly protect: boolean,
    private readonly additionalSecretOutputs: string[],
  ) {}
  getType(): string {
    return this.type;
  }
  getName(): string {
    return this.name;
  }
  getParent(): string {
    return this.resop.parentURN || "";
  }
  getCustom(): boolean {
    return this.custom;
  }
  getRemote(): boolean {
    return this.remote;
  }
  getProvider(): string {
    return this.resop.providerRef || "";
  }
  getProvidersMap(): { get(key: string): string | undefined } {
    return this.resop.providerRefs;
  }
  getProtect(): boolean {
    return this.protect;
  }
  getImportid(): string {
    return this.resop.import || "";
  }
  getDependenciesList(): string[] {
    return Array.from(this.resop.allDirectDependencyURNs);
  }
  getAdditionalsecretoutputsList(): string[] {
    return this.additionalSecretOutputs;
  }
  /** As the protobuf map iterates: keys sorted. */
  getPropertydependenciesMap(): {
    forEach(each: (deps: { getUrnsList(): string[] }, key: string) => void): void;
  } {
    const map = this.resop.propertyToDirectDependencyURNs;
    return {
      forEach(each) {
        for (const key of [...map.keys()].sort()) {
          const urns = Array.from(map.get(key) ?? []);
          each({ getUrnsList: () => urns }, key);
        }
      },
    };
  }
  getObject(): { toJavaScript(): Props } {
    const inputs = this.inputs;
    return { toJavaScript: () => inputs };
  }
}

/** The SDK 3.248 functions this cut calls or replaces, and what it reads of the runtime's state. */
function sdkInternals() {
  return {
    resource: require("@pulumi/pulumi/runtime/resource") as Untyped,
    settings: require("@pulumi/pulumi/runtime/settings") as Untyped,
    rpc: require("@pulumi/pulumi/runtime/rpc") as Untyped,
    state: require("@pulumi/pulumi/runtime/state") as Untyped,
    resproto: require("@pulumi/pulumi/proto/resource_pb") as Untyped,
    dependsOn: require("@pulumi/pulumi/runtime/dependsOn") as Untyped,
    resources: require("@pulumi/pulumi/resource") as Untyped,
    output: require("@pulumi/pulumi/output") as Untyped,
    errors: require("@pulumi/pulumi/errors") as Untyped,
    log: require("@pulumi/pulumi/log") as Untyped,
  };
}
type Sdk = ReturnType<typeof sdkInternals>;

/** Options a lean registration handles; any other makes it take the SDK's path. */
function leanOptions(opts: Untyped, remote: boolean, packageRef: unknown): boolean {
  return (
    !remote &&
    packageRef === undefined &&
    !opts.transforms?.length &&
    (!opts.hooks || Object.keys(opts.hooks).length === 0) &&
    opts.replaceWith === undefined &&
    opts.replacementTrigger === undefined &&
    opts.deletedWith === undefined &&
    opts.envVarMappings === undefined
  );
}

/**
 * A resource's `urn` or `id` Output, made when first read or when registration answers, whichever comes first.
 * The SDK makes both when a resource is constructed, each an Output with a chain of about seven pending promises
 * and a dozen closures, and a program constructs all of its resources before the first answer: most of those
 * Outputs are not read in that time (a resource's id, the URN of a resource nothing depends on), so they need
 * not exist yet. Made at the answer and settled at once, an Output's chain runs in the same turns as the SDK's,
 * made at construction and settled at the answer: the run proceeds exactly as it does with the SDK's (the
 * registrations reach the monitor in the same order).
 */
class LazyIdentity {
  private settle?: (value: unknown, isKnown: boolean, err?: Error) => void;
  constructor(
    private readonly sdk: Sdk,
    private readonly res: Untyped,
    private readonly key: "urn" | "id",
  ) {}

  /** The Output, as the SDK's `prepareResource` makes it; replaces the accessor on the resource. */
  materialize(): unknown {
    const { Output } = this.sdk.output;
    let resolveValue!: (v: unknown) => void;
    let rejectValue!: (e: unknown) => void;
    let resolveIsKnown!: (v: boolean) => void;
    let rejectIsKnown!: (e: unknown) => void;
    const value = new Promise((resolve, reject) => {
      resolveValue = resolve;
      rejectValue = reject;
    });
    const isKnown = new Promise<boolean>((resolve, reject) => {
      resolveIsKnown = resolve;
      rejectIsKnown = reject;
    });
    const output = new Output(this.res, value, isKnown, Promise.resolve(false), Promise.resolve(this.res));
    this.settle = (v, known, err) => {
      if (err) {
        rejectValue(err);
        rejectIsKnown(err);
      } else {
        resolveValue(v);
        resolveIsKnown(known);
      }
    };
    Object.defineProperty(this.res, this.key, {
      value: output,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    return output;
  }

  /** The SDK's `resolveURN` / `resolveID`: a gRPC error (the run shutting down) leaves the Output pending. */
  resolve(value: unknown, isKnown: boolean, err?: Error): void {
    if (err && this.sdk.errors.isGrpcError(err)) return;
    if (!this.settle) this.materialize();
    this.settle?.(value, isKnown, err);
  }
}

const IDENTITY = Symbol("hybridnet.lazyIdentity");

/** One accessor per key, shared by every resource (`this` is the resource). */
const identityAccessors = Object.fromEntries(
  (["urn", "id"] as const).map((key) => [
    key,
    {
      enumerable: true,
      configurable: true,
      get(this: Untyped) {
        return (this[IDENTITY] as Record<string, LazyIdentity>)[key].materialize();
      },
      set(this: object, value: unknown) {
        Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
      },
    } satisfies PropertyDescriptor,
  ]),
);

/**
 * Replaces the SDK's `registerResource` (runtime/resource.js, called as `resource_1.registerResource(...)` from
 * the Resource constructor, so the replacement reaches every resource) with the lean one where it applies.
 */
export function installLeanRegistration(
  transfer: (onto: Untyped, label: string, props: Props) => () => Resolvers,
): void {
  const sdk = sdkInternals();
  const original = sdk.resource.registerResource;
  sdk.resource.registerResource = function registerResource(
    res: Untyped,
    parent: Untyped,
    t: string,
    name: string,
    custom: boolean,
    remote: boolean,
    newDependency: Untyped,
    props: Props,
    opts: Untyped,
    sourcePosition: unknown,
    stackTrace: unknown,
    packageRef: unknown,
  ): void {
    const monitor = sdk.settings.getMonitor();
    if (
      monitor?.registerResource?.[LEAN_MONITOR] !== true ||
      sdk.settings.serialize() ||
      !leanOptions(opts, remote, packageRef)
    ) {
      original(
        res,
        parent,
        t,
        name,
        custom,
        remote,
        newDependency,
        props,
        opts,
        sourcePosition,
        stackTrace,
        packageRef,
      );
      return;
    }
    const label = `resource:${name}[${t}]`;
    const done: () => void = sdk.settings.rpcKeepAlive();
    // What `prepareResource` does before its first await: the resource gets its URN, id and property Outputs.
    const identity: Record<string, LazyIdentity> = { urn: new LazyIdentity(sdk, res, "urn") };
    if (custom) identity.id = new LazyIdentity(sdk, res, "id");
    Object.defineProperty(res, IDENTITY, { value: identity });
    for (const key in identity) Object.defineProperty(res, key, identityAccessors[key]);
    const resolvers: () => Resolvers =
      custom || opts.urn !== undefined ? transfer(res, label, props) : () => ({});
    const registration: Registration = { sdk, monitor, res, parent, t, name, custom, props, opts, label };
    // As the SDK's chain: a failure before the answer releases the run's keep-alive and stays unhandled (the
    // run reports it as its error).
    register(registration, identity, resolvers)
      .then(done)
      .catch((err: unknown) => {
        done();
        throw err;
      });
  };
}

// biome-ignore lint/suspicious/noExplicitAny: each resolver's arguments are the SDK's (value, isKnown, isSecret, deps, err).
type Resolvers = Record<string, (...args: any[]) => void>;

interface Registration {
  sdk: Sdk;
  monitor: Untyped;
  res: Untyped;
  parent: Untyped;
  t: string;
  name: string;
  custom: boolean;
  props: Props;
  opts: Untyped;
  label: string;
}

/** The rest of the SDK's `prepareResource` (runtime/resource.js) for a resource that is not remote. */
async function prepare(r: Registration): Promise<PreparedResource> {
  const { sdk, res, parent, custom, opts } = r;
  const { dependsOn, resources } = sdk;
  await dependsOn.gatherExplicitDependencies(opts.replaceWith);
  const explicitDirectDependencies = new Set<unknown>(
    await dependsOn.gatherExplicitDependencies(opts.dependsOn),
  );
  const [serializedProps, propertyToDirectDependencies] = await sdk.rpc.serializeResourceProperties(
    r.label,
    r.props,
    {
      keepOutputValues: false,
      excludeResourceReferencesFromDependencies: false,
    },
  );
  const parentURN: string | undefined = parent ? await parent.urn.promise() : undefined;
  const importID: string | undefined = custom ? opts.import : undefined;
  let providerRef: string | undefined;
  if (custom) providerRef = await resources.ProviderResource.register(opts.provider);
  const providerRefs = new Map<string, string>();
  if (!custom) {
    resources.expandProviders(opts);
    if (opts.provider !== undefined) {
      if (opts.providers === undefined) opts.providers = [opts.provider];
      else if (opts.providers?.indexOf(opts.provider) !== -1) {
        const pkg = opts.provider.getPackage();
        sdk.log.warn(
          `There is a conflict between the 'provider' field (${pkg}) and a member of the 'providers' map'. ` +
            "This will become an error in a future version. See https://github.com/pulumi/pulumi/issues/8799 for more details",
        );
      } else opts.providers.push(opts.provider);
    }
    for (const provider of opts.providers ?? []) {
      const pref = await resources.ProviderResource.register(provider);
      if (pref) providerRefs.set(provider.getPackage(), pref);
    }
  }
  const exclude = new Set([res]);
  const allDirectDependencyURNs: Set<string> = await dependsOn.getAllTransitivelyReferencedResourceURNs(
    explicitDirectDependencies,
    exclude,
  );
  const propertyToDirectDependencyURNs = new Map<string, Set<string>>();
  for (const [propertyName, directDependencies] of propertyToDirectDependencies as Map<
    string,
    Set<unknown>
  >) {
    const urns: Set<string> = await dependsOn.getAllTransitivelyReferencedResourceURNs(
      directDependencies,
      exclude,
    );
    for (const urn of urns) allDirectDependencyURNs.add(urn);
    propertyToDirectDependencyURNs.set(propertyName, urns);
  }
  const monitorSupportsStructuredAliases: boolean = sdk.state.getStore().supportsAliasSpecs;
  const computedAliases: unknown[] =
    !monitorSupportsStructuredAliases && parent
      ? resources.allAliases(opts.aliases || [], r.name, r.t, parent, parent.__name)
      : opts.aliases || [];
  const aliases: unknown[] = [];
  const uniqueAliases = new Set<unknown>();
  for (const alias of computedAliases) {
    const aliasVal = await sdk.output.output(alias).promise();
    if (!uniqueAliases.has(aliasVal)) {
      uniqueAliases.add(aliasVal);
      aliases.push(aliasVal);
    }
  }
  return {
    serializedProps,
    parentURN,
    providerRef,
    providerRefs,
    allDirectDependencyURNs,
    propertyToDirectDependencyURNs,
    aliases,
    import: importID,
    monitorSupportsStructuredAliases,
  };
}

/** Prepares the resource, asks the lean monitor and resolves what the answer settles, as the SDK does. */
async function register(
  r: Registration,
  identity: Record<string, LazyIdentity>,
  resolvers: () => Resolvers,
): Promise<void> {
  const { sdk, monitor, t, name } = r;
  const resop = await prepare(r);
  // From here to the monitor call, the same awaits as the SDK's `registerResource`, so that every registration
  // reaches the monitor in the same turn as there, and so in the same order relative to everything else the
  // run does (invokes, StackReference reads, other registrations).
  await sdk.settings.awaitStackRegistrations();
  await sdk.resource.prepareHooks(r.opts.hooks, `${t}_${name}`);
  // The SDK turns the aliases into protobuf messages, awaiting their parts: the mock monitor reads none of it,
  // but an alias part that fails fails the registration, so the parts are awaited as the SDK awaits them.
  if (resop.monitorSupportsStructuredAliases)
    await sdk.resource.mapAliasesForRequest(resop.aliases, resop.parentURN);
  // The SDK's `runAsyncResourceOp`: a turn through its (settled) chain of resource operations.
  await undefined;
  const request = new LeanRequest(
    t,
    name,
    r.custom,
    false,
    resop,
    asStructValue(resop.serializedProps) as Props,
    r.opts.protect === true,
    r.opts.additionalSecretOutputs || [],
  );
  let resp: Untyped;
  let err: Untyped;
  try {
    resp = await new Promise((resolve, reject) =>
      monitor.registerResource(request, (rpcErr: Untyped, innerResponse: Untyped) => {
        if (!rpcErr) {
          resolve(innerResponse);
          return;
        }
        // The SDK's handling of a monitor error (runtime/resource.js registerResource), message and code.
        const error: Error & { code?: number } = new Error();
        const { status } = require("@grpc/grpc-js") as Untyped;
        if (rpcErr.code === status.UNAVAILABLE || rpcErr.code === status.CANCELLED) {
          sdk.settings.terminateRpcs();
          rpcErr.message = "Resource monitor is terminating";
          error.code = rpcErr.code;
        }
        error.message = `failed to register new resource ${name} [${t}]: ${rpcErr.message}`;
        reject(error);
      }),
    );
  } catch (e) {
    err = e;
    resp = {
      getUrn: () => "",
      getId: () => undefined,
      getObject: () => request.getObject(),
      getResult: () => 0,
    };
  }
  identity.urn.resolve(resp.getUrn(), true, err);
  // 'id || undefined' collapses falsy ids to undefined, as the SDK does.
  if (identity.id) {
    const id = resp.getId() || undefined;
    identity.id.resolve(id, id !== undefined, err);
  }
  // The lean monitor answers no property dependencies (nor does the SDK's mock monitor).
  const keepUnknowns = resp.getResult() !== sdk.resproto.Result.SUCCESS;
  await resolveOutputs(sdk, r.res, t, name, r.props, resp.getObject(), resolvers(), err, keepUnknowns);
}

/** The SDK's `resolveOutputs` (runtime/resource.js, not exported), unchanged. */
async function resolveOutputs(
  sdk: Sdk,
  res: Untyped,
  t: string,
  name: string,
  props: Props,
  outputs: Untyped,
  resolvers: Resolvers,
  err: unknown,
  keepUnknowns: boolean,
): Promise<void> {
  const allProps: Props = {};
  if (outputs) Object.assign(allProps, sdk.rpc.deserializeProperties(outputs, keepUnknowns));
  const label = `resource:${name}[${t}]#...`;
  if (!sdk.settings.isDryRun() || sdk.settings.isLegacyApplyEnabled()) {
    for (const key of Object.keys(props)) {
      if (!Object.hasOwn(allProps, key)) {
        const inputProp = await sdk.rpc.serializeProperty(label, props[key], new Set(), {
          keepOutputValues: false,
        });
        if (inputProp === undefined) continue;
        allProps[key] = sdk.rpc.deserializeProperty(inputProp, keepUnknowns);
      }
    }
  }
  sdk.rpc.resolveProperties(res, resolvers, t, name, allProps, {}, err, keepUnknowns);
}
