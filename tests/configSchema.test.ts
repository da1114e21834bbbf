/**
 * The stack config reference (schema/stack-config.schema.json, docs/config.md) against its source, the zod
 * schemas of model/stackConfig.ts: the committed files are what the generator makes now; every shipped stack
 * file names the schema and passes it and the program; bad stack files are refused by both, for the same
 * setting; every setting has a description, and its examples pass both; the patterns an editor checks never
 * refuse what the program's rules accept.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { expect } from "chai";
import { load } from "js-yaml";
import type { z } from "zod";
import { checkCidr, customerAsnProblem, publicIpv4Problem } from "../model/addressing";
import {
  AMAZON_SIDE_ASN_SHAPE,
  CUSTOMER_ASN_SHAPE,
  IPV4_ADDRESS_PATTERN,
  ipv4CidrPattern,
  PRIVATE_IPV4_ADDRESS_PATTERN,
  privateCidrPattern,
} from "../model/configPatterns";
import { cliConfig } from "../model/environment";
import { type Problem, ValidationError } from "../model/errors";
import { parseStackConfig, privateNetworkProblem } from "../model/stackConfig";
import { REGENERATE, staleFiles } from "../scripts/configReference";
import { type JsonSchema, ROLE_SCHEMAS, SCHEMA_FILE } from "../scripts/stackFileSchema";

const ROOT = join(__dirname, "..");
const FIXTURES = join(__dirname, "fixtures", "config-schema");
const schema = JSON.parse(readFileSync(join(ROOT, SCHEMA_FILE), "utf8")) as JsonSchema;

/** An independent validator of the committed schema: Ajv, strict, draft-07 (what the schema declares). */
const ajv = new Ajv({ allErrors: true, strict: true });
// An annotation the YAML language server shows in place of "does not match the pattern".
ajv.addKeyword({ keyword: "patternErrorMessage", schemaType: "string" });
addFormats(ajv);
const compile = (json: JsonSchema): ValidateFunction => ajv.compile(json);
const validateFile = compile(schema);

/** The stack files in `dir` (`Pulumi.<stack>.yaml`). */
function stackFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith("Pulumi.") && f.endsWith(".yaml"))
    .sort()
    .map((f) => join(dir, f));
}

/** A config path from an Ajv error: `/config/hybridnet:vpn/sites/dc1/prefixes/0` → `hybridnet:vpn.sites.dc1.prefixes[0]`. */
function ajvPath(error: ErrorObject): string {
  const parts = error.instancePath.split("/").slice(1);
  const named = (
    error.params as { additionalProperty?: string; missingProperty?: string; propertyName?: string }
  ).additionalProperty;
  const params = error.params as { missingProperty?: string; propertyName?: string };
  const extra = named ?? params.missingProperty ?? params.propertyName;
  if (extra !== undefined) parts.push(extra);
  if (parts[0] !== "config") return parts.join(".");
  const [key, ...rest] = parts.slice(1);
  return rest.reduce((path, p) => (/^\d+$/.test(p) ? `${path}[${p}]` : `${path}.${p}`), key ?? "config");
}

/** What the program says of a stack file: its problems (none when it accepts the file). */
function programProblems(file: string): readonly Problem[] {
  const stack = basename(file).slice("Pulumi.".length, -".yaml".length);
  const parsed = load(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
  try {
    parseStackConfig(stack, cliConfig(parsed?.config ?? {}));
    return [];
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
}

/** What the schema says of a stack file: the config paths of its errors (none when it accepts the file). */
function schemaErrors(file: string): string[] {
  if (validateFile(load(readFileSync(file, "utf8")))) return [];
  return (validateFile.errors ?? []).map(ajvPath);
}

describe("stack config reference (schema/stack-config.schema.json, docs/config.md)", () => {
  it("the committed schema and docs/config.md are what the generator makes from the zod schemas now", () => {
    const stale = staleFiles(ROOT);
    expect(stale, `stale: ${stale.join(", ")}; regenerate with \`${REGENERATE}\` and commit`).to.deep.equal(
      [],
    );
  });

  it("every shipped stack file names the schema on its first line, relative to itself", () => {
    const files = stackFiles(join(ROOT, "stacks"));
    expect(files).to.have.length.greaterThan(3);
    for (const file of files)
      expect(readFileSync(file, "utf8").split("\n")[0], basename(file)).to.equal(
        "# yaml-language-server: $schema=../schema/stack-config.schema.json",
      );
  });

  describe("stack files the program accepts pass the schema", () => {
    const files = [
      ...stackFiles(join(ROOT, "stacks")),
      ...stackFiles(join(__dirname, "fixtures", "accelerated")),
      ...stackFiles(join(FIXTURES, "good")),
    ];
    it("finds the shipped stacks and the good fixtures", () => expect(files).to.have.length.greaterThan(10));
    for (const file of files)
      it(`${file.slice(ROOT.length + 1)}: accepted by both`, () => {
        expect(programProblems(file), "the program's problems").to.deep.equal([]);
        expect(schemaErrors(file), "the schema's errors").to.deep.equal([]);
      });
  });

  describe("bad stack files are refused by the schema and by the program, at the same setting", () => {
    const files = stackFiles(join(FIXTURES, "bad"));
    it("finds the bad fixtures", () => expect(files).to.have.length.greaterThan(20));
    for (const file of files) {
      const expected = /^# expect: (\S+)$/m.exec(readFileSync(file, "utf8"))?.[1];
      it(`${basename(file)}: refused at ${expected}`, () => {
        expect(expected, "the fixture's `# expect: <config path>` line").to.be.a("string");
        const program = programProblems(file).map((p) => p.path);
        expect(program, "the program's problems").to.include(expected);
        expect(schemaErrors(file), "the schema's errors").to.include(expected);
      });
    }
  });
});

/** Every property schema of `json` with its path, in the role branches and the file's own keys. */
function properties(json: JsonSchema, path: string[] = []): { path: string[]; schema: JsonSchema }[] {
  const found: { path: string[]; schema: JsonSchema }[] = [];
  const visit = (value: unknown, at: string[]) => {
    if (value === null || typeof value !== "object") return;
    const node = value as JsonSchema;
    for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>)) {
      // A reference (the file's `config`) is described where it points.
      if (child.$ref) continue;
      found.push({ path: [...at, name], schema: child });
      visit(child, [...at, name]);
    }
    // The entry of a map keyed by name, and the item of a list of maps, are described too (an editor shows it).
    const entry = node.propertyNames ? (node.additionalProperties as JsonSchema | undefined) : undefined;
    const item =
      (node.items as JsonSchema | undefined)?.type === "object" ? (node.items as JsonSchema) : undefined;
    if (entry) found.push({ path: [...at, "<name>"], schema: entry });
    if (item) found.push({ path: [...at, "[]"], schema: item });
    visit(entry, [...at, "<name>"]);
    visit(node.items, [...at, "[]"]);
    // The branches of a union (a discriminated union of maps) hold settings at the same path.
    for (const branch of [node.anyOf, node.oneOf, node.allOf].flat()) visit(branch, at);
  };
  visit(json, path);
  for (const [name, def] of Object.entries((json.definitions ?? {}) as Record<string, JsonSchema>))
    visit(def, [name]);
  return found;
}

/** The zod schema at a path of property names (`<name>` an entry of a map, `[]` an item of a list). */
function zodAt(schema: z.ZodType | undefined, path: readonly string[]): z.ZodType | undefined {
  const def = schema?._zod.def as unknown as {
    type: string;
    innerType?: z.ZodType;
    options?: z.ZodType[];
    shape?: Record<string, z.ZodType>;
    valueType?: z.ZodType;
    element?: z.ZodType;
  };
  if (!def || path.length === 0) return schema;
  if (def.type === "optional") return zodAt(def.innerType, path);
  // A union: the first branch that has the path (a discriminated union's branches share only the key).
  if (def.type === "union") return def.options?.map((o) => zodAt(o, path)).find((found) => found);
  const [part, ...rest] = path;
  if (def.type === "object" && part !== "<name>" && part !== "[]") return zodAt(def.shape?.[part], rest);
  if (def.type === "record" && part === "<name>") return zodAt(def.valueType, rest);
  if (def.type === "array" && part === "[]") return zodAt(def.element, rest);
  return undefined;
}

describe("stack config metadata", () => {
  const all = properties(schema);

  it("every setting in the schema has a description", () => {
    expect(all.length).to.be.greaterThan(60);
    const missing = all.filter((p) => typeof p.schema.description !== "string").map((p) => p.path.join("."));
    expect(
      missing,
      "settings without a description: add .meta({ description }) in model/stackConfig.ts",
    ).to.deep.equal([]);
  });

  it("numeric bounds are the ones declared: none of the safe-integer bounds zod puts on every integer", () => {
    const bounds: number[] = [];
    const visit = (value: unknown) => {
      if (value === null || typeof value !== "object") return;
      for (const [key, child] of Object.entries(value)) {
        if ((key === "minimum" || key === "maximum") && typeof child === "number") bounds.push(child);
        else visit(child);
      }
    };
    visit(schema);
    expect(bounds.length).to.be.greaterThan(4);
    expect(bounds.filter((b) => Math.abs(b) === 9007199254740991)).to.deep.equal([]);
    // A declared range stays: the Amazon side ASN of a transit gateway (AWS: 64512–65534 or 4200000000–4294967294).
    expect(bounds).to.include.members([64512, 65534, 4200000000, 4294967294]);
    expect(readFileSync(join(ROOT, "docs/config.md"), "utf8")).not.to.include("9007199254740991");
  });

  it("every value setting (not a map) has an example", () => {
    const values = all.filter((p) => p.schema.type !== "object");
    expect(values.length).to.be.greaterThan(40);
    const missing = values
      .filter(
        (p) => !Array.isArray(p.schema.examples) && !["encryptedkey", "encryptionsalt"].includes(p.path[0]),
      )
      .map((p) => p.path.join("."));
    expect(
      missing,
      "settings without an example: add .meta({ examples }) in model/stackConfig.ts",
    ).to.deep.equal([]);
  });

  it("every example passes the schema of its setting and the zod field it documents", () => {
    let checked = 0;
    for (const { path, schema: setting } of all) {
      const role = ROLE_SCHEMAS[path[0] as keyof typeof ROLE_SCHEMAS];
      const zodField =
        role &&
        zodAt(
          role,
          path.slice(1).map((p) => p.replace(/^hybridnet:/, "")),
        );
      for (const example of (setting.examples as unknown[] | undefined) ?? []) {
        const where = `${path.join(".")} example ${JSON.stringify(example)}`;
        expect(compile(setting)(example), `${where}: the schema`).to.equal(true);
        if (role) {
          expect(zodField, `${path.join(".")}: the zod field`).to.not.equal(undefined);
          expect(zodField?.safeParse(example).success, `${where}: zod`).to.equal(true);
        }
        checked++;
      }
    }
    expect(checked).to.be.greaterThan(50);
  });

  it("refuses a wrong example: a site's ASN example AWS reserves fails both", () => {
    const site = properties(schema).find(
      (p) => p.path.join(".") === "connectivity.hybridnet:vpn.sites.<name>.bgpAsn",
    );
    expect(site, "the site ASN setting").to.not.equal(undefined);
    const zodField = zodAt(ROLE_SCHEMAS.connectivity, ["vpn", "sites", "<name>", "bgpAsn"]);
    expect(compile(site!.schema)(7224)).to.equal(false);
    expect(zodField?.safeParse(7224).success).to.equal(false);
    expect(compile(site!.schema)(65001)).to.equal(true);
  });
});

/** A deterministic stream of numbers (a linear congruential generator), so a failure repeats. */
function numbers(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

/** Addresses and CIDRs that reach every RFC 1918 block, the blocks around them and every prefix length. */
function sampleCidrs(count: number): string[] {
  const next = numbers(14);
  const firsts = [10, 11, 172, 192, 100, 203, 0, 255, 9];
  const samples: string[] = [];
  for (let i = 0; i < count; i++) {
    const a = firsts[next() % firsts.length];
    const b =
      a === 172
        ? 12 + (next() % 24)
        : a === 192
          ? next() % 3 === 0
            ? 167 + (next() % 3)
            : 168
          : next() % 256;
    const prefix = next() % 33;
    const bits = ((a << 24) | (b << 16) | ((next() % 256) << 8) | (next() % 256)) >>> 0;
    const network = prefix === 0 ? 0 : (bits & (0xffffffff << (32 - prefix))) >>> 0;
    const value = next() % 4 === 0 ? bits : network;
    samples.push(`${[24, 16, 8, 0].map((s) => (value >>> s) & 255).join(".")}/${prefix}`);
  }
  return samples;
}

describe("editor patterns never refuse what the program's rules accept", () => {
  const cidrs = sampleCidrs(4000);
  const matches = (pattern: string, value: string) => new RegExp(pattern, "u").test(value);

  /** Checks `pattern` over `values`: every value `accepts` takes matches; returns how many it took. */
  function agree(pattern: string, values: string[], accepts: (value: string) => boolean): number {
    let accepted = 0;
    for (const value of values)
      if (accepts(value)) {
        accepted++;
        expect(matches(pattern, value), `${value} is accepted by the rule but not by ${pattern}`).to.equal(
          true,
        );
      }
    return accepted;
  }

  it("private networks (RFC 1918), any size and /16 to /24", () => {
    const accepts = (v: string) => privateNetworkProblem(v, "a network") === undefined;
    expect(agree(privateCidrPattern(), cidrs, accepts)).to.be.greaterThan(200);
    const vpcAccepts = (v: string) =>
      accepts(v) && !("problem" in checkCidr(v, { version: 4, minPrefix: 16, maxPrefix: 24 }));
    expect(agree(privateCidrPattern(16, 24), cidrs, vpcAccepts)).to.be.greaterThan(20);
    expect(matches(privateCidrPattern(16, 24), "10.10.0.0/26"), "a /26 VPC").to.equal(false);
    expect(matches(privateCidrPattern(), "100.64.0.0/20"), "shared address space").to.equal(false);
  });

  it("IPv4 CIDRs of a prefix range", () => {
    for (const [min, max] of [
      [0, 32],
      [0, 24],
      [12, 22],
    ] as const) {
      const accepts = (v: string) =>
        !("problem" in checkCidr(v, { version: 4, minPrefix: min, maxPrefix: max }));
      expect(agree(ipv4CidrPattern(min, max), cidrs, accepts)).to.be.greaterThan(50);
    }
    expect(matches(ipv4CidrPattern(12, 22), "192.168.100.0/24")).to.equal(false);
  });

  it("public and private IPv4 addresses", () => {
    const addresses = cidrs.map((c) => c.split("/")[0]);
    expect(
      agree(IPV4_ADDRESS_PATTERN, addresses, (v) => publicIpv4Problem(v) === undefined),
    ).to.be.greaterThan(200);
    const privateAccepts = (v: string) => privateNetworkProblem(`${v}/32`, "an address") === undefined;
    expect(agree(PRIVATE_IPV4_ADDRESS_PATTERN, addresses, privateAccepts)).to.be.greaterThan(200);
    expect(matches(IPV4_ADDRESS_PATTERN, "203.0.113.010"), "a leading zero").to.equal(false);
  });

  it("ASNs: the customer gateway range less the reserved ones, the private Amazon side ranges", () => {
    const customer = compile(CUSTOMER_ASN_SHAPE);
    const amazon = compile(AMAZON_SIDE_ASN_SHAPE);
    const next = numbers(64512);
    const edges = [0, 1, 7224, 9059, 10124, 17943, 23456, 64511, 64512, 65534, 65535, 65536];
    const asns = [...edges, 4199999999, 4200000000, 4294967294, 4294967295, 4294967296, 1.5];
    for (let i = 0; i < 2000; i++)
      asns.push(next() % 2 === 0 ? next() % 70000 : 4199990000 + (next() % 95000000));
    for (const asn of asns) {
      expect(customer(asn), `customer ASN ${asn}`).to.equal(customerAsnProblem(asn) === undefined);
      expect(amazon(asn), `Amazon side ASN ${asn}`).to.equal(
        Number.isInteger(asn) && ((asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294)),
      );
    }
  });
});
