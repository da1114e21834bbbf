/**
 * Which properties the engine sent as secrets.
 *
 * The Pulumi CLI marshals an analyzer's properties with secrets kept (`KeepSecrets: true`): a secret value
 * arrives wrapped as `{ "4dabf181…": "1b47061264…", value }`. @pulumi/policy 1.21 unwraps that wrapper before
 * a policy sees the properties (`deserializeProperties(struct, false)` in analyze and analyzeStack), so a
 * policy cannot tell a secret from a plain value (pulumi/pulumi-policy#241, open). The rules that must tell
 * (`vpn-psk-secret`, `dx-bgp-auth-key`) need that bit, so this module wraps that one function: it records the
 * paths of the secret values of every property bag it deserializes, keyed by the object it returns, and the
 * rules look them up. @pulumi/policy is pinned to an exact version; if its internals move, the pack refuses to
 * start rather than call every key plain text or every key secret.
 */
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { propertyPath } from "../../model/policyRules";

interface WireStruct {
  toJavaScript(): Record<string, unknown>;
}

interface DeserializeModule {
  deserializeProperties(struct: WireStruct, proxySecrets: boolean): Record<string, unknown>;
}

interface ProxyModule {
  getSpecialProxyTarget: string;
  [sentinel: string]: unknown;
}

const deserialize = require("@pulumi/policy/deserialize") as DeserializeModule;
const proxy = require("@pulumi/policy/proxy") as ProxyModule;

if (
  typeof deserialize.deserializeProperties !== "function" ||
  typeof proxy.getSpecialProxyTarget !== "string"
)
  throw new Error(
    "hybridnet policy pack: @pulumi/policy no longer has deserializeProperties/getSpecialProxyTarget where 1.21 had them; the secret-aware rules cannot run. Pin @pulumi/policy to 1.21.0 or update policy/lib/secrets.ts.",
  );

const secretPaths = new WeakMap<object, ReadonlySet<string>>();

/** Paths of the values wrapped as secrets in a wire property bag: `tunnel1PresharedKey`, `tags.Psk`. */
export function wireSecretPaths(wire: Record<string, unknown>): Set<string> {
  const found = new Set<string>();
  // The keys and indexes down to the value walked; a path is spelled only for a secret.
  const at: (string | number)[] = [];
  const spelled = () => propertyPath(at);
  const walk = (value: unknown) => {
    if (value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        at.push(i);
        walk(value[i]);
        at.pop();
      }
      return;
    }
    const record = value as Record<string, unknown>;
    if (record[specialSigKey] === specialSecretSig) {
      found.add(spelled());
      return;
    }
    for (const k in record) {
      if (!Object.hasOwn(record, k)) continue;
      at.push(k);
      walk(record[k]);
      at.pop();
    }
  };
  walk(wire);
  return found;
}

/**
 * Each wire property bag's properties, deserialized once. @pulumi/policy deserializes a request's properties
 * again for every policy it runs (`analyze`: every resource policy; `analyzeStack`: every resource, for every
 * stack policy; the provider's with each), and converting a protobuf Struct is most of a pack's work: here
 * the policies of one request share one plain object, and its secret paths are found once. The rules only
 * read properties, so sharing changes nothing they can see (each still gets its own unknown-checking proxy).
 */
const deserialized = new WeakMap<WireStruct, Record<string, unknown>>();

const original = deserialize.deserializeProperties;
deserialize.deserializeProperties = (struct, proxySecrets) => {
  // Only a remediation asks for secret proxies (this pack has none): not shared, as it may change them.
  const cached = proxySecrets ? undefined : deserialized.get(struct);
  if (cached) return cached;
  const wire = struct.toJavaScript();
  const props = original({ toJavaScript: () => wire }, proxySecrets);
  secretPaths.set(props, wireSecretPaths(wire));
  if (!proxySecrets) deserialized.set(struct, props);
  return props;
};

/** The plain object behind the unknown-checking proxy @pulumi/policy hands a policy. */
export function rawProps(props: Record<string, unknown>): Record<string, unknown> {
  return (props[proxy.getSpecialProxyTarget] as Record<string, unknown> | undefined) ?? props;
}

/**
 * Paths of the secret properties of `props` (a policy's `args.props` or a stack resource's `props`). Throws
 * when the pack did not deserialize them: a rule must not guess.
 */
export function secretPathsOf(props: Record<string, unknown>): ReadonlySet<string> {
  const paths = secretPaths.get(rawProps(props));
  if (!paths) throw new Error("hybridnet policy pack: no secret information for these properties");
  return paths;
}

const UNKNOWN = new Set(
  [
    "unknownBooleanValue",
    "unknownNumberValue",
    "unknownStringValue",
    "unknownArrayValue",
    "unknownAssetValue",
    "unknownArchiveValue",
    "unknownObjectValue",
  ].map((k) => proxy[k]),
);

/** A value the engine does not know yet (during a preview). */
export function isUnknownValue(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN.has(value);
}
