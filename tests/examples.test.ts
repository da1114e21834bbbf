/**
 * The programs under examples/ against the package schema, without Pulumi: every resource whose type is one
 * of the package's exists in the schema; every property it sets is an input of that resource (through object
 * types, arrays and maps); required inputs are set; enum values are allowed; an output of another resource
 * goes only where the schema takes an Input, never into a plain argument; a reference to an output names one
 * the resource has. The YAML program is read with js-yaml; the Python program is parsed with Python's own
 * `ast` module (python3) and checked with the names Pulumi's Python code generator gives the SDK
 * (`pulumi_<package>`, snake_case arguments, `<Type>Args` classes, UPPER_CASE enum members).
 *
 * The checker works on any Pulumi package schema: its own tests run on a small hand-written schema under
 * tests/fixtures/examples/, with a failing case for each check. The examples are checked against schema.json
 * (scripts/packageSchema.ts), and the YAML program also runs with the TypeScript components under the mock
 * runtime, so its values pass the components' own checks too.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { load } from "js-yaml";
import * as hybridnet from "../index";
import { runProgram } from "./harness";

const ROOT = join(__dirname, "..");
const FIXTURES = join(__dirname, "fixtures", "examples");

// ---------------------------------------------------------------------------------------------------
// The package schema, as far as the checks read it

/** A property of a resource or object type, or the element type of an array or map. */
interface PropertySpec {
  type?: string;
  $ref?: string;
  items?: PropertySpec;
  additionalProperties?: PropertySpec;
  /** A plain value: known before deployment, so never an output of another resource. */
  plain?: boolean;
}

/** An object or enum type of the schema. */
interface TypeSpec {
  type: string;
  properties?: Record<string, PropertySpec>;
  required?: string[];
  enum?: { name?: string; value: string | number | boolean }[];
}

interface ResourceSpec {
  inputProperties?: Record<string, PropertySpec>;
  requiredInputs?: string[];
  properties?: Record<string, PropertySpec>;
}

interface PackageSchema {
  name: string;
  resources: Record<string, ResourceSpec>;
  types?: Record<string, TypeSpec>;
}

const ANY = "pulumi.json#/Any";

/** The type token a `$ref` names (`#/types/pkg:index:Site` → `pkg:index:Site`), or undefined for others. */
function refToken(ref: string): string | undefined {
  return ref.startsWith("#/types/") ? decodeURIComponent(ref.slice("#/types/".length)) : undefined;
}

/** The last part of a token (`pkg:index:Site` → `Site`). */
function tokenName(token: string): string {
  return token.split(":").pop() ?? token;
}

// ---------------------------------------------------------------------------------------------------
// Python names, as Pulumi's Python code generator makes them (pkg/codegen/python: PyName, PyPack,
// makeSafeEnumName; input object types are `<Name>Args`)

const PYTHON_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except exec finally for from global if import in is lambda nonlocal not or pass print raise return try while with yield".split(
    " ",
  ),
);

/** camelCase → snake_case as the generator does it: `bgpAsn` → `bgp_asn`, `SHA256Hash` → `sha256_hash`. */
function pyName(name: string): string {
  const isUpper = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase();
  const isDigit = (c: string) => c >= "0" && c <= "9";
  const parts: string[] = [];
  let current = "";
  let state: "first" | "upper" | "acronym" | "lower" = "first";
  for (const raw of name) {
    const c = /[\p{L}\p{N}_]/u.test(raw) ? raw : "_";
    if (state === "first") {
      if (!/[\p{L}_]/u.test(c)) current += "_";
      current += c.toLowerCase();
      state = isUpper(c) ? "upper" : "lower";
    } else if (state === "upper") {
      current += c.toLowerCase();
      state = isUpper(c) ? "acronym" : "lower";
    } else if (state === "acronym") {
      if (isUpper(c)) current += c.toLowerCase();
      else if (isDigit(c) || c === "s") {
        current += c;
        state = "lower";
      } else {
        parts.push(current.slice(0, -1));
        current = current.slice(-1) + c;
        state = "lower";
      }
    } else if (isUpper(c)) {
      parts.push(current);
      current = c.toLowerCase();
      state = "upper";
    } else current += c;
  }
  if (current) parts.push(current);
  const result = parts.filter((p) => p !== "").join("_");
  return PYTHON_KEYWORDS.has(result) ? `${result}_` : result;
}

/** The Python module of a package: `pulumi_<name>`, `-` as `_`. */
function pythonModule(packageName: string): string {
  return `pulumi_${packageName.replaceAll("-", "_")}`;
}

/** An enum member's Python name: `Sha2_256` → `SHA2_256`, `OpenVpn` → `OPEN_VPN`. */
function pythonEnumMember(name: string): string {
  return pyName(name).toUpperCase().replace(/_+/g, "_");
}

// ---------------------------------------------------------------------------------------------------
// What a program gives a property, whatever the language

/** A value a program passes, as far as can be known without running it. */
type Value =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" }
  | { kind: "array"; items: Value[] }
  /** An object or map literal; `className` when Python builds it with a generated `...Args` class. */
  | { kind: "object"; entries: Record<string, Value>; className?: string }
  /** Python `pkg.Enum.MEMBER`. */
  | { kind: "enumMember"; enumName: string; member: string }
  /** Known only at deployment: another resource's output (with its schema type when known) or a secret. */
  | { kind: "output"; from: string; spec?: PropertySpec }
  /** Known before deployment, but not to this check (config, a loop variable): only its type, if declared. */
  | { kind: "known"; from: string; type?: string }
  /** A string built from other values; `outputs` names those known only at deployment. */
  | { kind: "text"; outputs: string[] };

/** How a language spells the schema's names. */
interface Naming {
  language: "yaml" | "python";
  /** A property's name in the program. */
  property(schemaName: string): string;
  /** The class a program builds an input object type with, when it uses one (Python `<Name>Args`). */
  inputClass(typeToken: string): string;
  /** An enum member's name in the program. */
  enumMember(schemaName: string): string;
}

const YAML_NAMING: Naming = {
  language: "yaml",
  property: (n) => n,
  inputClass: (t) => tokenName(t),
  enumMember: (n) => n,
};

const PYTHON_NAMING: Naming = {
  language: "python",
  property: pyName,
  inputClass: (t) => `${tokenName(t)}Args`,
  enumMember: pythonEnumMember,
};

/** The closest of `names` to `name`, if it is a likely misspelling. */
function suggestion(name: string, names: string[]): string {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const kept = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = kept;
      }
    }
    return row[b.length];
  };
  const best = names
    .map((n) => ({ n, d: distance(name.toLowerCase(), n.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)[0];
  return best && best.d <= Math.max(2, Math.floor(name.length / 4)) ? `; did you mean "${best.n}"?` : "";
}

/** A short description of what a value is, for messages. */
function describeValue(value: Value): string {
  switch (value.kind) {
    case "string":
      return JSON.stringify(value.value);
    case "number":
    case "boolean":
      return String(value.value);
    case "null":
      return "null";
    case "array":
      return "a list";
    case "object":
      return value.className ? `${value.className}(...)` : "an object";
    case "enumMember":
      return `${value.enumName}.${value.member}`;
    case "output":
      return `${value.from} (an output)`;
    case "known":
      return value.from;
    case "text":
      return "a string";
  }
}

/** A schema type in words, for messages. */
function typeWords(schema: PackageSchema, spec: PropertySpec): string {
  if (spec.$ref) return tokenName(refToken(spec.$ref) ?? spec.$ref);
  if (spec.type === "array") return `list of ${spec.items ? typeWords(schema, spec.items) : "?"}`;
  if (spec.type === "object" && spec.additionalProperties)
    return `map of ${typeWords(schema, spec.additionalProperties)}`;
  return spec.type ?? "?";
}

// ---------------------------------------------------------------------------------------------------
// The checks

/** Checks the values one program gives the package's resources; collects every problem. */
class SchemaChecker {
  readonly problems: string[] = [];

  constructor(
    private readonly schema: PackageSchema,
    private readonly naming: Naming,
    /** The program file, as messages name it. */
    private readonly file: string,
  ) {}

  /** A resource token in the schema's form: `pkg:Name` is `pkg:index:Name`. */
  canonicalToken(type: string): string {
    const parts = type.split(":");
    return parts.length === 2 ? `${parts[0]}:index:${parts[1]}` : type;
  }

  isPackageType(type: string): boolean {
    return type.startsWith(`${this.schema.name}:`);
  }

  private report(where: string, path: string, message: string): void {
    this.problems.push(`${this.file}: ${where}${path ? ` ${path}` : ""}: ${message}`);
  }

  /** Checks one resource: `where` names it in messages (`resource "hub" (pkg:index:Hub)`). */
  checkResource(where: string, token: string, properties: Record<string, Value>): void {
    const resource = this.schema.resources[token];
    if (!resource) {
      this.report(
        where,
        "",
        `${token} is not a resource of package ${this.schema.name}${suggestion(token, Object.keys(this.schema.resources))}`,
      );
      return;
    }
    this.checkProperties(
      where,
      "",
      properties,
      resource.inputProperties ?? {},
      resource.requiredInputs ?? [],
      { one: `${tokenName(token)} input`, many: `${tokenName(token)} inputs` },
    );
  }

  /** The schema type of an output path of a resource (`routeTableIds`, `"prod"`), or undefined with a problem. */
  outputSpec(where: string, token: string, path: (string | number)[]): PropertySpec | undefined {
    const resource = this.schema.resources[token];
    if (!resource) return undefined;
    const [first, ...rest] = path;
    if (first === "urn") return { type: "string" };
    const outputs = resource.properties ?? {};
    const byName = new Map(Object.keys(outputs).map((n) => [this.naming.property(n), n]));
    const name = typeof first === "string" ? byName.get(first) : undefined;
    if (name === undefined) {
      this.report(
        where,
        "",
        `${tokenName(token)} has no output ${JSON.stringify(first)}${suggestion(String(first), [...byName.keys()])}`,
      );
      return undefined;
    }
    let spec: PropertySpec = outputs[name];
    const walked = [this.naming.property(name)];
    for (const step of rest) {
      const resolved = this.resolveRef(spec);
      if (spec.$ref === ANY) return spec;
      if (spec.type === "array" && spec.items && typeof step === "number") spec = spec.items;
      else if (spec.type === "object" && spec.additionalProperties) spec = spec.additionalProperties;
      else if (resolved?.properties) {
        const props = resolved.properties;
        const key = Object.keys(props).find((n) => this.naming.property(n) === step);
        if (key === undefined) {
          this.report(
            where,
            "",
            `output ${walked.join(".")} (${typeWords(this.schema, spec)}) has no ${JSON.stringify(step)}`,
          );
          return undefined;
        }
        spec = props[key];
      } else {
        this.report(
          where,
          "",
          `output ${walked.join(".")} (${typeWords(this.schema, spec)}) has no ${JSON.stringify(step)}`,
        );
        return undefined;
      }
      walked.push(String(step));
    }
    return spec;
  }

  private resolveRef(spec: PropertySpec): TypeSpec | undefined {
    const token = spec.$ref ? refToken(spec.$ref) : undefined;
    return token ? this.schema.types?.[token] : undefined;
  }

  private checkProperties(
    where: string,
    path: string,
    given: Record<string, Value>,
    properties: Record<string, PropertySpec>,
    required: string[],
    what: { one: string; many: string },
  ): void {
    const byName = new Map(Object.keys(properties).map((n) => [this.naming.property(n), n]));
    for (const [key, value] of Object.entries(given)) {
      const name = byName.get(key);
      const at = path ? `${path}.${key}` : key;
      if (name === undefined) {
        this.report(where, at, `not one of the ${what.many}${suggestion(key, [...byName.keys()])}`);
        continue;
      }
      if (value.kind === "null") continue;
      this.checkValue(where, at, value, properties[name]);
    }
    for (const name of required) {
      const key = this.naming.property(name);
      const value = given[key];
      if (value === undefined || value.kind === "null")
        this.report(where, path ? `${path}.${key}` : key, `required ${what.one} is not set`);
    }
  }

  private checkValue(where: string, path: string, value: Value, spec: PropertySpec): void {
    if (spec.$ref === ANY) return;
    if (value.kind === "output") {
      if (spec.plain)
        this.report(
          where,
          path,
          `takes a plain value, known before deployment, but is given ${value.from}, an output known only at deployment`,
        );
      else if (value.spec && !this.compatible(value.spec, spec))
        this.report(
          where,
          path,
          `takes ${typeWords(this.schema, spec)}, but ${value.from} is ${typeWords(this.schema, value.spec)}`,
        );
      return;
    }
    if (value.kind === "text" && value.outputs.length > 0 && spec.plain) {
      this.report(
        where,
        path,
        `takes a plain value, known before deployment, but is built from ${value.outputs.join(", ")}, known only at deployment`,
      );
      return;
    }
    if (spec.$ref) {
      const token = refToken(spec.$ref);
      const type = token ? this.schema.types?.[token] : undefined;
      if (!token || !type) {
        this.report(where, path, `the schema refers to ${spec.$ref}, which it does not define`);
        return;
      }
      if (type.enum) this.checkEnum(where, path, value, token, type);
      else this.checkObject(where, path, value, token, type);
      return;
    }
    const mismatch = () =>
      this.report(where, path, `takes ${typeWords(this.schema, spec)}, not ${describeValue(value)}`);
    if (value.kind === "known") {
      if (value.type && !this.primitiveFits(value.type, spec)) mismatch();
      return;
    }
    switch (spec.type) {
      case "string":
        if (value.kind !== "string" && value.kind !== "text") mismatch();
        return;
      case "integer":
        if (value.kind !== "number" || !Number.isInteger(value.value)) mismatch();
        return;
      case "number":
        if (value.kind !== "number") mismatch();
        return;
      case "boolean":
        if (value.kind !== "boolean") mismatch();
        return;
      case "array":
        if (value.kind !== "array") mismatch();
        else
          value.items.forEach((item, i) => {
            if (spec.items) this.checkValue(where, `${path}[${i}]`, item, spec.items);
          });
        return;
      case "object":
        if (value.kind !== "object" || value.className !== undefined) mismatch();
        else if (spec.additionalProperties) {
          for (const [key, item] of Object.entries(value.entries))
            this.checkValue(where, `${path}.${key}`, item, spec.additionalProperties);
        }
        return;
    }
  }

  private primitiveFits(given: string, spec: PropertySpec): boolean {
    const expected = spec.$ref ? this.resolveRef(spec)?.type : spec.type;
    if (expected === undefined) return true;
    if (given === "integer") return expected === "integer" || expected === "number";
    return given === expected || (given === "number" && expected === "integer");
  }

  private checkEnum(where: string, path: string, value: Value, token: string, type: TypeSpec): void {
    const members = type.enum ?? [];
    const allowed = members.map((m) => JSON.stringify(m.value)).join(", ");
    if (value.kind === "enumMember") {
      const names = members.map((m) => this.naming.enumMember(m.name ?? String(m.value)));
      if (value.enumName !== tokenName(token))
        this.report(where, path, `takes ${tokenName(token)}, not ${value.enumName}.${value.member}`);
      else if (!names.includes(value.member))
        this.report(
          where,
          path,
          `${tokenName(token)} has no member ${value.member} (members: ${names.join(", ")})${suggestion(value.member, names)}`,
        );
      return;
    }
    if (value.kind === "known" || value.kind === "text") return;
    if (value.kind !== "string" && value.kind !== "number" && value.kind !== "boolean") {
      this.report(where, path, `takes ${tokenName(token)} (${allowed}), not ${describeValue(value)}`);
      return;
    }
    if (!members.some((m) => m.value === value.value))
      this.report(where, path, `${describeValue(value)} is not a ${tokenName(token)}; allowed: ${allowed}`);
  }

  private checkObject(where: string, path: string, value: Value, token: string, type: TypeSpec): void {
    if (value.kind !== "object") {
      if (value.kind !== "known")
        this.report(where, path, `takes a ${tokenName(token)} object, not ${describeValue(value)}`);
      return;
    }
    const expectedClass = this.naming.inputClass(token);
    if (value.className !== undefined && value.className !== expectedClass) {
      this.report(where, path, `takes ${expectedClass}, not ${value.className}`);
      return;
    }
    this.checkProperties(where, path, value.entries, type.properties ?? {}, type.required ?? [], {
      one: `property of ${tokenName(token)}`,
      many: `properties of ${tokenName(token)}`,
    });
  }

  /** Whether an output of type `output` fits an input of type `input`. */
  private compatible(output: PropertySpec, input: PropertySpec, depth = 0): boolean {
    if (output.$ref === ANY || input.$ref === ANY || depth > 8) return true;
    if (output.$ref && output.$ref === input.$ref) return true;
    const outType = output.$ref ? this.resolveRef(output) : undefined;
    const inType = input.$ref ? this.resolveRef(input) : undefined;
    if (inType?.enum) return (outType?.type ?? output.type) === inType.type;
    if (outType?.properties && inType?.properties) {
      const outProps = outType.properties;
      const inProps = inType.properties;
      return (
        Object.keys(outProps).every(
          (k) => k in inProps && this.compatible(outProps[k], inProps[k], depth + 1),
        ) && (inType.required ?? []).every((k) => k in outProps)
      );
    }
    if (outType || inType) return false;
    if (output.type === "array" || input.type === "array")
      return (
        output.type === input.type &&
        (!output.items || !input.items || this.compatible(output.items, input.items, depth + 1))
      );
    if (output.additionalProperties || input.additionalProperties)
      return (
        !!output.additionalProperties &&
        !!input.additionalProperties &&
        this.compatible(output.additionalProperties, input.additionalProperties, depth + 1)
      );
    if (output.type === "integer") return input.type === "integer" || input.type === "number";
    return output.type === input.type;
  }
}

// ---------------------------------------------------------------------------------------------------
// Pulumi YAML

/** One step of a YAML property access: `.name`, `["key"]` or `[0]`. */
type Step = string | number;

/** Parses `${root.a["b"][0]}`'s inside into its root and steps, or undefined when it is not an access. */
function parseAccess(expression: string): { root: string; steps: Step[] } | undefined {
  const root = /^[A-Za-z_][\w:-]*/.exec(expression);
  if (!root) return undefined;
  const steps: Step[] = [];
  let rest = expression.slice(root[0].length);
  while (rest) {
    const step = /^\.([A-Za-z_][\w-]*)|^\["((?:[^"\\]|\\.)*)"\]|^\[(\d+)\]/.exec(rest);
    if (!step) return undefined;
    steps.push(step[1] ?? (step[2] !== undefined ? JSON.parse(`"${step[2]}"`) : Number(step[3])));
    rest = rest.slice(step[0].length);
  }
  return { root: root[0], steps };
}

interface YamlProgram {
  name?: string;
  runtime?: string | { name?: string };
  packages?: Record<string, unknown>;
  config?: Record<string, unknown>;
  variables?: Record<string, unknown>;
  resources?: Record<string, { type?: string; properties?: Record<string, unknown> }>;
  outputs?: Record<string, unknown>;
}

/** Checks a Pulumi YAML program (the text of its Pulumi.yaml) against `schema`; returns the problems. */
function checkYamlProgram(schema: PackageSchema, text: string, file: string): string[] {
  const program = load(text) as YamlProgram;
  const checker = new SchemaChecker(schema, YAML_NAMING, file);
  const problems = checker.problems;
  const runtime = typeof program.runtime === "string" ? program.runtime : program.runtime?.name;
  if (runtime !== "yaml") problems.push(`${file}: runtime is ${JSON.stringify(runtime)}, not "yaml"`);
  if (!program.packages || !(schema.name in program.packages))
    problems.push(`${file}: packages has no entry for ${schema.name} (what \`pulumi package add\` records)`);
  const resources = program.resources ?? {};
  const config = program.config ?? {};
  const variables = program.variables ?? {};

  /** The value of `${expression}` used at `where`. */
  const reference = (where: string, expression: string): Value => {
    const access = parseAccess(expression.trim());
    if (!access) return { kind: "known", from: `\${${expression}}` };
    const { root, steps } = access;
    const resource = resources[root];
    if (resource) {
      const type = checker.canonicalToken(resource.type ?? "");
      const from = `\${${expression}}`;
      if (!checker.isPackageType(type)) return { kind: "output", from };
      if (steps.length === 0) return { kind: "output", from, spec: { $ref: ANY } };
      return { kind: "output", from, spec: checker.outputSpec(where, type, steps) ?? { $ref: ANY } };
    }
    if (root in config) {
      const declared = config[root];
      const spec = (typeof declared === "object" && declared !== null ? declared : {}) as {
        type?: string;
        secret?: boolean;
      };
      if (spec.secret) return { kind: "output", from: `secret config ${root}` };
      const type = spec.type === "integer" ? "integer" : spec.type;
      return { kind: "known", from: `config ${root}`, type: steps.length ? undefined : type };
    }
    if (root in variables) return { kind: "known", from: `variable ${root}` };
    if (root.startsWith("pulumi.") || root === "pulumi") return { kind: "known", from: root, type: "string" };
    problems.push(`${file}: ${where}: \${${expression}} names no resource, config key or variable`);
    return { kind: "known", from: `\${${expression}}` };
  };

  const convert = (where: string, raw: unknown): Value => {
    if (raw === null || raw === undefined) return { kind: "null" };
    if (typeof raw === "number") return { kind: "number", value: raw };
    if (typeof raw === "boolean") return { kind: "boolean", value: raw };
    if (typeof raw === "string") {
      const whole = /^\$\{([^}]*)\}$/.exec(raw);
      if (whole) return reference(where, whole[1]);
      const parts = [...raw.replaceAll("$${", "").matchAll(/\$\{([^}]*)\}/g)];
      if (parts.length === 0) return { kind: "string", value: raw.replaceAll("$${", "${") };
      const outputs = parts
        .map((p) => reference(where, p[1]))
        .filter((v) => v.kind === "output")
        .map((v) => v.from);
      return { kind: "text", outputs };
    }
    if (raw instanceof Date) return { kind: "string", value: raw.toISOString() };
    if (Array.isArray(raw)) return { kind: "array", items: raw.map((r) => convert(where, r)) };
    const entries = Object.entries(raw as Record<string, unknown>);
    if (entries.length === 1 && entries[0][0].startsWith("fn::")) {
      const [fn] = entries[0];
      return fn === "fn::secret" ? { kind: "output", from: fn } : { kind: "known", from: fn };
    }
    return { kind: "object", entries: Object.fromEntries(entries.map(([k, v]) => [k, convert(where, v)])) };
  };

  for (const [name, resource] of Object.entries(resources)) {
    const type = checker.canonicalToken(resource.type ?? "");
    const where = `resource "${name}" (${type})`;
    const properties = convert(where, resource.properties ?? {});
    if (!checker.isPackageType(type)) continue;
    checker.checkResource(where, type, properties.kind === "object" ? properties.entries : {});
  }
  for (const [name, value] of Object.entries(program.outputs ?? {})) convert(`output "${name}"`, value);
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Python

/**
 * Reads a Python program with Python's `ast` module and prints, as JSON, every statement-level call of
 * `<alias>.<Name>(...)` (the SDK imported as `import <module> as <alias>`) with its arguments as values, and
 * every `pulumi.export`. Module-level names are followed in order; resource variables make outputs.
 */
const PYTHON_READER = `
import ast, json, sys

module_name = sys.argv[1]
source = sys.stdin.read()
tree = ast.parse(source, sys.argv[2])
alias = None
for node in ast.walk(tree):
    if isinstance(node, ast.Import):
        for a in node.names:
            if a.name == module_name:
                alias = a.asname or a.name
calls, exports, env = [], [], {}
CONFIG_TYPES = {"require": "string", "get": "string", "require_int": "integer", "get_int": "integer",
                "require_float": "number", "get_float": "number", "require_bool": "boolean", "get_bool": "boolean"}

def sdk_name(node):
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == alias:
        return node.attr
    return None

def value(node, local):
    if isinstance(node, ast.Constant):
        v = node.value
        if v is None: return {"kind": "null"}
        if isinstance(v, bool): return {"kind": "boolean", "value": v}
        if isinstance(v, (int, float)): return {"kind": "number", "value": v}
        if isinstance(v, str): return {"kind": "string", "value": v}
        return {"kind": "known", "from": repr(v)}
    if isinstance(node, (ast.List, ast.Tuple)):
        return {"kind": "array", "items": [value(e, local) for e in node.elts]}
    if isinstance(node, ast.Dict):
        entries = {}
        for k, v in zip(node.keys, node.values):
            if not (isinstance(k, ast.Constant) and isinstance(k.value, str)):
                return {"kind": "known", "from": "a dict with computed keys"}
            entries[k.value] = value(v, local)
        return {"kind": "object", "entries": entries}
    if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
        inner = dict(local)
        for gen in node.generators:
            for t in ast.walk(gen.target):
                if isinstance(t, ast.Name): inner[t.id] = {"kind": "known", "from": t.id}
        return {"kind": "array", "items": [value(node.elt, inner)]}
    if isinstance(node, ast.JoinedStr):
        outs = [v["from"] for v in (value(p.value, local) for p in node.values if isinstance(p, ast.FormattedValue)) if v["kind"] == "output"]
        return {"kind": "text", "outputs": outs}
    if isinstance(node, ast.Name):
        if node.id in local: return local[node.id]
        if node.id in env: return env[node.id]
        return {"kind": "known", "from": node.id}
    if isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Attribute) and sdk_name(node.value):
            return {"kind": "enumMember", "enumName": node.value.attr, "member": node.attr}
        base = value(node.value, local)
        if base["kind"] == "resource":
            return {"kind": "outputRef", "var": base["var"], "path": [node.attr], "line": node.lineno}
        if base["kind"] == "outputRef":
            return dict(base, path=base["path"] + [node.attr])
        return {"kind": "known", "from": ast.unparse(node)}
    if isinstance(node, ast.Subscript):
        base = value(node.value, local)
        key = node.slice
        if base["kind"] == "outputRef" and isinstance(key, ast.Constant) and isinstance(key.value, (str, int)):
            return dict(base, path=base["path"] + [key.value])
        if base["kind"] == "outputRef":
            return {"kind": "output", "from": ast.unparse(node)}
        return {"kind": "known", "from": ast.unparse(node)}
    if isinstance(node, ast.Call):
        name = sdk_name(node.func)
        if name:
            return {"kind": "call", "callee": name, "line": node.lineno,
                    "args": [value(a, local) for a in node.args],
                    "kwargs": {k.arg: value(k.value, local) for k in node.keywords if k.arg}}
        f = node.func
        if isinstance(f, ast.Attribute):
            if f.attr in ("require_secret", "get_secret") or (f.attr == "secret" and "Output" in ast.unparse(f.value)):
                return {"kind": "output", "from": ast.unparse(node)}
            if f.attr in CONFIG_TYPES:
                return {"kind": "known", "from": ast.unparse(node), "type": CONFIG_TYPES[f.attr]}
            base = value(f.value, local)
            if base["kind"] in ("outputRef", "output"):
                return {"kind": "output", "from": ast.unparse(node)}
        return {"kind": "known", "from": ast.unparse(node)}
    return {"kind": "known", "from": ast.unparse(node)}

def statements(body, local):
    for stmt in body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.Expr)):
            v = value(stmt.value, local) if stmt.value is not None else {"kind": "null"}
            targets = stmt.targets if isinstance(stmt, ast.Assign) else ([stmt.target] if isinstance(stmt, ast.AnnAssign) else [])
            var = targets[0].id if len(targets) == 1 and isinstance(targets[0], ast.Name) else None
            if v["kind"] == "call":
                calls.append(dict(v, var=var))
                if var: v = {"kind": "resource", "var": var, "callee": v["callee"]}
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and ast.unparse(stmt.value.func) == "pulumi.export":
                args = stmt.value.args
                if len(args) == 2:
                    exports.append({"line": stmt.lineno, "name": ast.unparse(args[0]), "value": value(args[1], local)})
            for t in targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name):
                        local[n.id] = v if var else {"kind": "known", "from": n.id}
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            inner = dict(local) if local is not env else env
            for n in ast.walk(stmt.target):
                if isinstance(n, ast.Name): inner[n.id] = {"kind": "known", "from": n.id}
            statements(stmt.body, inner)
        elif isinstance(stmt, (ast.If, ast.While, ast.With, ast.Try)):
            for part in ("body", "orelse", "finalbody"):
                statements(getattr(stmt, part, []) or [], local)
            for h in getattr(stmt, "handlers", []) or []:
                statements(h.body, local)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner = {a.arg: {"kind": "known", "from": a.arg} for a in stmt.args.args + stmt.args.kwonlyargs}
            statements(stmt.body, inner)

statements(tree.body, env)
print(json.dumps({"alias": alias, "calls": calls, "exports": exports}))
`;

/** A value as the Python reader prints it. */
type PythonValue =
  | Value
  | { kind: "call"; callee: string; line: number; args: PythonValue[]; kwargs: Record<string, PythonValue> }
  | { kind: "resource"; var: string; callee: string }
  | { kind: "outputRef"; var: string; path: Step[]; line: number };

interface PythonReading {
  alias: string | null;
  calls: {
    callee: string;
    line: number;
    var: string | null;
    args: PythonValue[];
    kwargs: Record<string, PythonValue>;
  }[];
  exports: { line: number; name: string; value: PythonValue }[];
}

let python: string | null | undefined;

/**
 * The Python interpreter python3 runs, or null when there is none. Resolved once: a version manager's
 * `python3` shim (pyenv) costs a second a start.
 */
function pythonExecutable(): string | null {
  if (python === undefined) {
    const run = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" });
    python = run.status === 0 && run.stdout.trim() ? run.stdout.trim() : null;
  }
  return python;
}

/** Checks a Python program (its source) against `schema`; returns the problems. */
function checkPythonProgram(schema: PackageSchema, source: string, file: string): string[] {
  const module = pythonModule(schema.name);
  const executable = pythonExecutable();
  if (executable === null) return [`${file}: cannot be read: python3 is not installed`];
  const run = spawnSync(executable, ["-c", PYTHON_READER, module, file], { input: source, encoding: "utf8" });
  if (run.status !== 0) return [`${file}: python3 could not read it: ${run.stderr.trim().split("\n").pop()}`];
  const reading = JSON.parse(run.stdout) as PythonReading;
  const checker = new SchemaChecker(schema, PYTHON_NAMING, file);
  const problems = checker.problems;
  if (reading.alias === null) {
    problems.push(`${file}: does not import ${module}`);
    return problems;
  }
  const resourceClasses = new Map(Object.keys(schema.resources).map((t) => [tokenName(t), t]));
  const types = Object.entries(schema.types ?? {});
  const inputClasses = new Map(
    types.filter(([, t]) => !t.enum).map(([token]) => [PYTHON_NAMING.inputClass(token), token]),
  );
  const enums = new Set(types.filter(([, t]) => t.enum).map(([token]) => tokenName(token)));
  const resourceOf = new Map(reading.calls.filter((c) => c.var).map((c) => [c.var as string, c.callee]));
  const sdk = reading.alias;

  const convert = (where: string, raw: PythonValue): Value => {
    switch (raw.kind) {
      case "array":
        return { kind: "array", items: raw.items.map((i) => convert(where, i)) };
      case "object":
        return {
          kind: "object",
          entries: Object.fromEntries(Object.entries(raw.entries).map(([k, v]) => [k, convert(where, v)])),
        };
      case "call": {
        if (!inputClasses.has(raw.callee)) {
          const known = [...inputClasses.keys(), ...resourceClasses.keys()];
          problems.push(
            `${file}:${raw.line}: ${where}: ${sdk}.${raw.callee} is not an input class of ${module}${suggestion(raw.callee, known)}`,
          );
          return { kind: "known", from: `${sdk}.${raw.callee}(...)` };
        }
        if (raw.args.length > 0)
          problems.push(`${file}:${raw.line}: ${where}: ${sdk}.${raw.callee} takes keyword arguments only`);
        return {
          kind: "object",
          className: raw.callee,
          entries: Object.fromEntries(Object.entries(raw.kwargs).map(([k, v]) => [k, convert(where, v)])),
        };
      }
      case "enumMember":
        if (!enums.has(raw.enumName))
          problems.push(
            `${file}: ${where}: ${module} has no enum ${raw.enumName}${suggestion(raw.enumName, [...enums])}`,
          );
        return raw;
      case "resource":
        return { kind: "output", from: raw.var };
      case "outputRef": {
        const callee = resourceOf.get(raw.var) ?? "";
        const token = resourceClasses.get(callee);
        const from = `${raw.var}.${raw.path.map((s) => (typeof s === "number" ? `[${s}]` : s)).join(".")}`;
        if (!token) return { kind: "output", from };
        const spec = checker.outputSpec(`line ${raw.line}, ${raw.var} (${callee})`, token, raw.path);
        return { kind: "output", from, spec: spec ?? { $ref: ANY } };
      }
      default:
        return raw;
    }
  };

  for (const call of reading.calls) {
    const token = resourceClasses.get(call.callee);
    const where = `line ${call.line}, ${sdk}.${call.callee}(${call.args[0]?.kind === "string" ? JSON.stringify(call.args[0].value) : ""})`;
    if (!token) {
      // An input class assigned to a variable is checked where it is used.
      if (inputClasses.has(call.callee) || resourceClasses.has(call.callee.replace(/Args$/, ""))) continue;
      const known = [...resourceClasses.keys(), ...inputClasses.keys()];
      problems.push(`${file}: ${where}: ${module} has no ${call.callee}${suggestion(call.callee, known)}`);
      continue;
    }
    if (call.args.length === 0 && !("resource_name" in call.kwargs))
      problems.push(`${file}: ${where}: no resource name (the first argument)`);
    // The generated constructor's other form: `Gateway("edge", GatewayArgs(...), opts)`, or `args=GatewayArgs(...)`.
    const args = call.args[1] ?? call.kwargs.args;
    let given = call.kwargs;
    if (args?.kind === "call" && args.callee === `${call.callee}Args`)
      given = { ...args.kwargs, ...call.kwargs };
    else if (args !== undefined)
      problems.push(
        `${file}: ${where}: takes the resource name, then ${call.callee}Args(...) or keyword arguments`,
      );
    if (call.args.length > 3)
      problems.push(`${file}: ${where}: takes the resource name, then keyword arguments only`);
    const kwargs = Object.fromEntries(
      Object.entries(given)
        .filter(([k]) => k !== "opts" && k !== "resource_name" && k !== "args")
        .map(([k, v]) => [k, convert(where, v)]),
    );
    checker.checkResource(where, token, kwargs);
  }
  for (const exported of reading.exports)
    convert(`line ${exported.line}, export ${exported.name}`, exported.value);
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Tests

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;
const fixtureSchema = readJson<PackageSchema>(join(FIXTURES, "schema.json"));
const fixtureYaml = readFileSync(join(FIXTURES, "yaml", "Pulumi.yaml"), "utf8");
const fixturePython = readFileSync(join(FIXTURES, "python", "__main__.py"), "utf8");

/** `text` with `from` replaced by `to`, failing if `from` is not there (so a mutation cannot silently miss). */
function mutate(text: string, from: string, to: string): string {
  expect(text, `the fixture contains ${JSON.stringify(from)}`).to.include(from);
  return text.replace(from, to);
}

describe("Python names as Pulumi's code generator makes them", () => {
  it("snake_cases camelCase properties, keeping digits and acronyms together", () => {
    const cases: Record<string, string> = {
      bgpAsn: "bgp_asn",
      ipv6Support: "ipv6_support",
      phase1DhGroupNumbers: "phase1_dh_group_numbers",
      transitGatewayCidrBlocks: "transit_gateway_cidr_blocks",
      SHA256Hash: "sha256_hash",
      Sha256Hash: "sha256_hash",
      privateIPs: "private_ips",
      getPublicIPAddress: "get_public_ip_address",
      vpcId: "vpc_id",
      lambda: "lambda_",
    };
    for (const [camel, snake] of Object.entries(cases)) expect(pyName(camel), camel).to.equal(snake);
  });

  it("names the module pulumi_<package> and enum members in upper case", () => {
    expect(pythonModule("hybridnet")).to.equal("pulumi_hybridnet");
    expect(pythonModule("my-net")).to.equal("pulumi_my_net");
    expect(pythonEnumMember("Sha2_256")).to.equal("SHA2_256");
    expect(pythonEnumMember("OpenVpn")).to.equal("OPEN_VPN");
    expect(pythonEnumMember("Aes256Gcm16")).to.equal("AES256_GCM16");
    expect(pythonEnumMember("None")).to.equal("NONE");
  });
});

describe("the example checker, on a hand-written schema", () => {
  const yamlFile = "fixtures/examples/yaml/Pulumi.yaml";
  const checkYaml = (text: string) => checkYamlProgram(fixtureSchema, text, yamlFile);

  describe("a YAML program", () => {
    it("passes when every resource, property, enum value and output reference is in the schema", () => {
      expect(checkYaml(fixtureYaml)).to.deep.equal([]);
    });

    it("reports a resource type the package does not have", () => {
      expect(
        checkYaml(mutate(fixtureYaml, "type: acme:index:Gateway", "type: acme:index:Gatway")),
      ).to.deep.equal([
        `${yamlFile}: resource "edge" (acme:index:Gatway): acme:index:Gatway is not a resource of package acme; did you mean "acme:index:Gateway"?`,
      ]);
    });

    it("reads the short token pkg:Name as pkg:index:Name", () => {
      expect(checkYaml(mutate(fixtureYaml, "type: acme:index:Gateway", "type: acme:Gateway"))).to.deep.equal(
        [],
      );
    });

    it("reports a misspelled property, naming the resource and the property", () => {
      expect(checkYaml(mutate(fixtureYaml, "asn: 65010", "asnn: 65010"))).to.deep.equal([
        `${yamlFile}: resource "edge" (acme:index:Gateway) sites.dc1.asnn: not one of the properties of Site; did you mean "asn"?`,
      ]);
    });

    it("reports a value of the wrong type", () => {
      expect(checkYaml(mutate(fixtureYaml, "asn: 65010", "asn: sixty-five"))).to.deep.equal([
        `${yamlFile}: resource "edge" (acme:index:Gateway) sites.dc1.asn: takes number, not "sixty-five"`,
      ]);
      expect(
        checkYaml(mutate(fixtureYaml, "prefixes: [10.1.0.0/16]", "prefixes: 10.1.0.0/16")),
      ).to.deep.equal([
        `${yamlFile}: resource "edge" (acme:index:Gateway) sites.dc1.prefixes: takes list of string, not "10.1.0.0/16"`,
      ]);
    });

    it("reports a missing required input, at the top and inside an object", () => {
      expect(checkYaml(mutate(fixtureYaml, `      vpcId: \${vpcId}\n`, ""))).to.deep.equal([
        `${yamlFile}: resource "edge" (acme:index:Gateway) vpcId: required Gateway input is not set`,
      ]);
      expect(checkYaml(mutate(fixtureYaml, "          ipAddress: 203.0.113.10\n", ""))).to.deep.equal([
        `${yamlFile}: resource "edge" (acme:index:Gateway) sites.dc1.ipAddress: required property of Site is not set`,
      ]);
    });

    it("reports an enum value the schema does not allow", () => {
      expect(checkYaml(mutate(fixtureYaml, "mode: bgp", "mode: ospf"))).to.deep.equal([
        `${yamlFile}: resource "edge" (acme:index:Gateway) sites.dc1.mode: "ospf" is not a Mode; allowed: "bgp", "static"`,
      ]);
    });

    it("reports a reference to an output the resource does not have", () => {
      expect(
        checkYaml(mutate(fixtureYaml, `gatewayId: \${edge.gatewayId}`, `gatewayId: \${edge.gatewayID}`)),
      ).to.deep.equal([
        `${yamlFile}: resource "link" (acme:index:Link): Gateway has no output "gatewayID"; did you mean "gatewayId"?`,
      ]);
      expect(checkYaml(mutate(fixtureYaml, "dc1.tunnelAddresses[0]", "dc1.tunnelAddress[0]"))).to.deep.equal([
        `${yamlFile}: output "firstTunnel": output sites.dc1 (SiteInfo) has no "tunnelAddress"`,
      ]);
      expect(
        checkYaml(
          mutate(
            fixtureYaml,
            `routeTableId: \${edge.routeTableIds["core"]}`,
            `routeTableId: \${edge.routeTableIds.core.id}`,
          ),
        ),
      ).to.deep.equal([
        `${yamlFile}: resource "link" (acme:index:Link): output routeTableIds.core (string) has no "id"`,
      ]);
    });

    it("reports a reference that names nothing in the program", () => {
      expect(checkYaml(mutate(fixtureYaml, `vpcId: \${vpcId}`, `vpcId: \${vpc}`))).to.deep.equal([
        `${yamlFile}: resource "edge" (acme:index:Gateway): \${vpc} names no resource, config key or variable`,
      ]);
    });

    it("reports an output or a secret given to a plain argument", () => {
      expect(checkYaml(mutate(fixtureYaml, "segment: core", `segment: \${edge.gatewayId}`))).to.deep.equal([
        `${yamlFile}: resource "link" (acme:index:Link) segment: takes a plain value, known before deployment, but is given \${edge.gatewayId}, an output known only at deployment`,
      ]);
      expect(checkYaml(mutate(fixtureYaml, "ipAddress: 203.0.113.10", `ipAddress: \${psk}`))).to.deep.equal([
        `${yamlFile}: resource "edge" (acme:index:Gateway) sites.dc1.ipAddress: takes a plain value, known before deployment, but is given secret config psk, an output known only at deployment`,
      ]);
    });

    it("reports an output of the wrong type given to an input", () => {
      expect(
        checkYaml(
          mutate(
            fixtureYaml,
            `routeTableId: \${edge.routeTableIds["core"]}`,
            `routeTableId: \${edge.routeTableIds}`,
          ),
        ),
      ).to.deep.equal([
        `${yamlFile}: resource "link" (acme:index:Link) routeTableId: takes string, but \${edge.routeTableIds} is map of string`,
      ]);
    });

    it("reports a program that is not a YAML program with the package", () => {
      expect(
        checkYaml(mutate(mutate(fixtureYaml, "runtime: yaml", "runtime: nodejs"), "  acme: ", "  other: ")),
      ).to.deep.equal([
        `${yamlFile}: runtime is "nodejs", not "yaml"`,
        `${yamlFile}: packages has no entry for acme (what \`pulumi package add\` records)`,
      ]);
    });
  });

  describe("a Python program", () => {
    before(function () {
      if (pythonExecutable() === null) this.skip();
    });
    const pyFile = "fixtures/examples/python/__main__.py";
    const checkPython = (source: string) => checkPythonProgram(fixtureSchema, source, pyFile);

    it("passes when every class, keyword argument, enum member and output is the generated SDK's", () => {
      expect(checkPython(fixturePython)).to.deep.equal([]);
    });

    it("reports a resource class the SDK does not have", () => {
      expect(checkPython(mutate(fixturePython, "acme.Gateway(", "acme.Gatway("))).to.deep.equal([
        `${pyFile}: line 12, acme.Gatway("edge"): pulumi_acme has no Gatway; did you mean "Gateway"?`,
      ]);
    });

    it("reports a keyword argument that is not a snake_case input, naming the call and the argument", () => {
      expect(checkPython(mutate(fixturePython, "vpc_id=vpc_id", "vpcId=vpc_id"))).to.deep.equal([
        `${pyFile}: line 12, acme.Gateway("edge") vpcId: not one of the Gateway inputs; did you mean "vpc_id"?`,
        `${pyFile}: line 12, acme.Gateway("edge") vpc_id: required Gateway input is not set`,
      ]);
      expect(checkPython(mutate(fixturePython, "ip_address=", "ip_adress="))).to.deep.equal([
        `${pyFile}: line 12, acme.Gateway("edge") sites.dc1.ip_adress: not one of the properties of Site; did you mean "ip_address"?`,
        `${pyFile}: line 12, acme.Gateway("edge") sites.dc1.ip_address: required property of Site is not set`,
      ]);
    });

    it("reports a value of the wrong type and a missing required input", () => {
      expect(checkPython(mutate(fixturePython, "asn=65010", 'asn="65010"'))).to.deep.equal([
        `${pyFile}: line 12, acme.Gateway("edge") sites.dc1.asn: takes number, not "65010"`,
      ]);
      expect(checkPython(mutate(fixturePython, "    vpc_id=vpc_id,\n", ""))).to.deep.equal([
        `${pyFile}: line 12, acme.Gateway("edge") vpc_id: required Gateway input is not set`,
      ]);
    });

    it("reports the wrong Args class for a nested object", () => {
      expect(checkPython(mutate(fixturePython, "acme.SiteArgs(", "acme.TunnelArgs("))).to.deep.equal([
        `${pyFile}: line 12, acme.Gateway("edge") sites.dc1: takes SiteArgs, not TunnelArgs`,
      ]);
    });

    it("reports an enum member or value the schema does not have", () => {
      expect(checkPython(mutate(fixturePython, "acme.Mode.BGP", "acme.Mode.OSPF"))).to.deep.equal([
        `${pyFile}: line 12, acme.Gateway("edge") sites.dc1.mode: Mode has no member OSPF (members: BGP, STATIC)`,
      ]);
      expect(checkPython(mutate(fixturePython, "acme.Mode.BGP", '"ospf"'))).to.deep.equal([
        `${pyFile}: line 12, acme.Gateway("edge") sites.dc1.mode: "ospf" is not a Mode; allowed: "bgp", "static"`,
      ]);
    });

    it("reports an output the resource does not have, and an output given to a plain argument", () => {
      expect(checkPython(mutate(fixturePython, "edge.gateway_id)", "edge.gatewayId)"))).to.deep.equal([
        `${pyFile}: line 40, edge (Gateway): Gateway has no output "gatewayId"; did you mean "gateway_id"?`,
      ]);
      expect(checkPython(mutate(fixturePython, 'segment="core"', "segment=edge.gateway_id"))).to.deep.equal([
        `${pyFile}: line 27, acme.Link("link") segment: takes a plain value, known before deployment, but is given edge.gateway_id, an output known only at deployment`,
      ]);
    });

    it("reads the constructor's other form, a resource's Args class", () => {
      const link = 'acme.Link("link-c", acme.LinkArgs(gateway_id=edge.gateway_id, segment="c"))';
      expect(checkPython(`${fixturePython}\n${link}\n`)).to.deep.equal([]);
      expect(checkPython(`${fixturePython}\n${link.replace("segment=", "segmnt=")}\n`)).to.deep.equal([
        `${pyFile}: line 44, acme.Link("link-c") segmnt: not one of the Link inputs; did you mean "segment"?`,
        `${pyFile}: line 44, acme.Link("link-c") segment: required Link input is not set`,
      ]);
    });

    it("reports a program that does not parse or does not import the SDK", () => {
      expect(checkPython(`${fixturePython}\nif True\n`)[0]).to.match(
        /^fixtures\/examples\/python\/__main__.py: python3 could not read it: SyntaxError/,
      );
      expect(
        checkPython(mutate(fixturePython, "import pulumi_acme as acme", "import pulumi_other as acme")),
      ).to.deep.equal([`${pyFile}: does not import pulumi_acme`]);
    });
  });
});

describe("examples/ against the package schema (schema.json)", () => {
  const schemaPath = join(ROOT, "schema.json");
  const yamlPath = join(ROOT, "examples", "yaml", "Pulumi.yaml");
  const pythonPath = join(ROOT, "examples", "python", "__main__.py");
  const display = (p: string) => relative(ROOT, p);
  const schema = readJson<PackageSchema>(schemaPath);

  it("the YAML program uses the package's resources, inputs, enum values and outputs as the schema has them", () => {
    expect(checkYamlProgram(schema, readFileSync(yamlPath, "utf8"), display(yamlPath))).to.deep.equal([]);
  });

  it("the README's and docs' YAML snippets use the package as the schema has it", () => {
    const snippets = ["README.md", join("docs", "languages.md")].flatMap((doc) =>
      [...readFileSync(join(ROOT, doc), "utf8").matchAll(/```yaml\n([\s\S]*?)```/g)]
        .filter((m) => m[1].includes("hybridnet:index:"))
        .map((m) => ({ doc, text: m[1] })),
    );
    expect(snippets, "a YAML snippet in README.md").to.have.length.greaterThan(0);
    for (const { doc, text } of snippets) expect(checkYamlProgram(schema, text, doc), doc).to.deep.equal([]);
    // The check bites: a misspelled property in the snippet is reported.
    const bad = snippets[0].text.replace("bgpAsn:", "bgpASN:");
    expect(checkYamlProgram(schema, bad, "README.md").join("\n")).to.include("bgpASN");
  });

  it("the Python program compiles and uses the generated SDK's classes, arguments, enums and outputs", function () {
    const executable = pythonExecutable();
    if (executable === null) return this.skip();
    // compile() as py_compile does, without writing __pycache__ into examples/.
    const compile = spawnSync(
      executable,
      ["-c", "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')", pythonPath],
      { encoding: "utf8" },
    );
    expect(compile.status, compile.stderr).to.equal(0);
    expect(checkPythonProgram(schema, readFileSync(pythonPath, "utf8"), display(pythonPath))).to.deep.equal(
      [],
    );
  });

  it("names the example file, the resource and the property when an example goes wrong", function () {
    const yaml = readFileSync(yamlPath, "utf8");
    expect(
      checkYamlProgram(schema, mutate(yaml, "bgpAsn: 65010", "bgpASN: 65010"), display(yamlPath)),
    ).to.deep.equal([
      `examples/yaml/Pulumi.yaml: resource "vpn" (hybridnet:index:TransitGatewayVpn) sites.dc1.bgpASN: not one of the properties of TransitGatewayVpnSite; did you mean "bgpAsn"?`,
    ]);
    if (pythonExecutable() === null) return this.skip();
    const python = readFileSync(pythonPath, "utf8");
    expect(
      checkPythonProgram(schema, mutate(python, "bgp_asn=65010", 'bgp_asn="65010"'), display(pythonPath)),
    ).to.deep.equal([
      `examples/python/__main__.py: line 44, hybridnet.TransitGatewayVpn("vpn") sites.dc1.bgp_asn: takes number, not "65010"`,
    ]);
  });

  it("the Python program lists the generated SDK in requirements.txt, as pulumi package add does", () => {
    const requirements = readFileSync(join(ROOT, "examples", "python", "requirements.txt"), "utf8");
    expect(requirements.split("\n").map((l) => l.trim())).to.include(`sdks/${schema.name}`);
  });
});

/**
 * Runs a Pulumi YAML program's resources of this package with the TypeScript components under the SDK's mock
 * runtime, as the package's plugin would construct them: `${config}` from `config` (secret ones as secrets),
 * `${resource.output["key"]}` from the components built before. So the example's values (ASNs, CIDRs, the
 * segment policy, tunnel options) pass the components' own checks, not only the schema's shapes.
 */
function yamlProgramUnderMocks(text: string, config: Record<string, string>): () => void {
  const program = load(text) as YamlProgram;
  const components = hybridnet as unknown as Record<
    string,
    new (
      name: string,
      args: unknown,
    ) => pulumi.ComponentResource
  >;
  return () => {
    const built: Record<string, Record<string, unknown>> = {};
    const reference = (expression: string): unknown => {
      const access = parseAccess(expression);
      if (!access) throw new Error(`cannot resolve \${${expression}}`);
      const { root, steps } = access;
      if (root in (program.config ?? {})) {
        if (!(root in config)) throw new Error(`no value for config ${root}`);
        const declared = (program.config?.[root] ?? {}) as { secret?: boolean };
        return declared.secret ? pulumi.secret(config[root]) : config[root];
      }
      const resource = built[root];
      if (!resource || steps.length === 0) throw new Error(`cannot resolve \${${expression}}`);
      const [output, ...rest] = steps;
      const value = pulumi.output(resource[output as string]) as unknown as pulumi.Output<unknown>;
      return value.apply((v: unknown) =>
        rest.reduce((at: unknown, step) => (at as Record<string | number, unknown>)[step], v),
      );
    };
    const resolve = (raw: unknown): unknown => {
      if (typeof raw === "string") {
        const whole = /^\$\{([^}]*)\}$/.exec(raw);
        return whole ? reference(whole[1]) : raw;
      }
      if (Array.isArray(raw)) return raw.map(resolve);
      if (raw !== null && typeof raw === "object")
        return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, resolve(v)]));
      return raw;
    };
    for (const [name, resource] of Object.entries(program.resources ?? {})) {
      const component = components[tokenName(resource.type ?? "")];
      if (!component) throw new Error(`${name}: no component ${resource.type} in the package`);
      built[name] = new component(name, resolve(resource.properties ?? {})) as unknown as Record<
        string,
        unknown
      >;
    }
  };
}

describe("examples/yaml under the mock runtime", () => {
  const text = readFileSync(join(ROOT, "examples", "yaml", "Pulumi.yaml"), "utf8");
  const config = {
    vpcId: "vpc-0a1b2c3d4e5f60718",
    privateRouteTableId: "rtb-0a1b2c3d4e5f60718",
    tgwSubnetA: "subnet-0a1b2c3d4e5f60711",
    tgwSubnetB: "subnet-0a1b2c3d4e5f60712",
    appSubnetA: "subnet-0a1b2c3d4e5f60721",
    appSubnetB: "subnet-0a1b2c3d4e5f60722",
    partnerServiceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0a1b2c3d4e5f60718",
    dc1Tunnel1Psk: "dc1_tunnel1_Kx8v2Qp7",
    dc1Tunnel2Psk: "dc1_tunnel2_Lm3n9Rt4",
    dc2Tunnel1Psk: "dc2_tunnel1_Wz6y1Hs5",
    dc2Tunnel2Psk: "dc2_tunnel2_Jd4c8Gf2",
  };
  const run = (program: string) =>
    runProgram(yamlProgramUnderMocks(program, config), { config: { "aws:region": "eu-west-1" } });

  it("builds with the components: the example's values pass every component's checks", async () => {
    const { resources, error } = await run(text);
    expect(error?.message).to.equal(undefined);
    const count = (type: string) => resources.ofType(type).length;
    expect(count("aws:ec2transitgateway/routeTable:RouteTable")).to.equal(4);
    expect(count("aws:ec2/customerGateway:CustomerGateway")).to.equal(2);
    expect(count("aws:ec2/vpnConnection:VpnConnection")).to.equal(2);
    expect(count("aws:ec2transitgateway/vpcAttachment:VpcAttachment")).to.equal(1);
    expect(count("aws:ec2/vpcEndpoint:VpcEndpoint")).to.equal(1);
    const secretPsks = resources
      .ofType("aws:ec2/vpnConnection:VpnConnection")
      .flatMap((r) => r.secretInputs)
      .filter((k) => k.endsWith("PresharedKey"));
    expect(secretPsks).to.have.length(4);
  });

  it("stops at a value a component refuses, naming the argument", async () => {
    const { resources, error } = await run(mutate(text, "bgpAsn: 65010", "bgpAsn: 64600"));
    expect(error?.message).to.match(/sites\.dc1\.bgpAsn/);
    expect(resources.ofType("aws:ec2/vpnConnection:VpnConnection")).to.have.length(0);
  });
});
