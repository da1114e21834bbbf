/**
 * docs/config.md, the stack config reference, rendered from the stack-file JSON Schema (scripts/stackFileSchema.ts):
 * one table per top-level key of each role, a row per setting with its type, whether it is required, its
 * default, what is allowed, its description and an example. Nothing here names a setting: a field added to the
 * zod schemas appears with what its metadata says.
 */
import { CONFIG_NAMESPACE } from "../model/stackConfig";
import { type JsonSchema, ROLE_SCHEMAS, SCHEMA_FILE } from "./stackFileSchema";

export const DOC_FILE = "docs/config.md";
const GENERATOR = "npm run schema";

/** One row of a table: a setting at `path`; `when` the value of a union's discriminator it belongs to. */
interface Row {
  path: string;
  schema: JsonSchema;
  required: boolean;
  when?: string;
}

const json = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
const asSchema = (value: unknown): JsonSchema | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonSchema) : undefined;
const propertiesOf = (schema: JsonSchema) =>
  (asSchema(schema.properties) ?? {}) as Record<string, JsonSchema>;
const requiredOf = (schema: JsonSchema) => new Set((schema.required as string[] | undefined) ?? []);
/** The entry schema of a map keyed by name (`z.record`), or undefined. */
const entryOf = (schema: JsonSchema) =>
  schema.propertyNames ? asSchema(schema.additionalProperties) : undefined;
/** The branches of a union. */
const branchesOf = (schema: JsonSchema) =>
  ((schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined)?.filter((b) => asSchema(b)) ?? [];

/** The key every branch of a union of maps fixes to a value of its own (`type: vgw` | `type: tgw`), if any. */
function discriminatorOf(branches: readonly JsonSchema[]): string | undefined {
  if (branches.length < 2) return undefined;
  const [first, ...rest] = branches;
  return Object.keys(propertiesOf(first)).find(
    (key) =>
      propertiesOf(first)[key].const !== undefined &&
      rest.every((b) => propertiesOf(b)[key]?.const !== undefined),
  );
}

/** Rows with one path merged: a setting several branches of a union have is listed once, for all of them. */
function mergeRows(rows: readonly Row[]): Row[] {
  const byPath = new Map<string, Row>();
  for (const row of rows) {
    const known = byPath.get(row.path);
    if (!known) byPath.set(row.path, row);
    else if (known.when && row.when && !known.when.includes(row.when))
      byPath.set(row.path, { ...known, when: `${known.when} or ${row.when}` });
  }
  return [...byPath.values()];
}

/** The rows of `schema` at `path` and of every setting below it, in declaration order. */
export function settingRows(path: string, schema: JsonSchema, required: boolean, when?: string): Row[] {
  const rows: Row[] = [{ path, schema, required, ...(when ? { when } : {}) }];
  const below = (at: string, inner: JsonSchema, within = when, skip?: string) => {
    const requiredKeys = requiredOf(inner);
    for (const [name, child] of Object.entries(propertiesOf(inner)))
      if (name !== skip) rows.push(...settingRows(`${at}.${name}`, child, requiredKeys.has(name), within));
  };
  const entry = entryOf(schema);
  if (entry) below(`${path}.<name>`, entry);
  const items = asSchema(schema.items);
  if (items && (items.properties || entryOf(items))) below(`${path}[]`, items);
  below(path, schema);
  const branches = branchesOf(schema);
  const key = discriminatorOf(branches);
  if (key) {
    const values = branches.map((b) => propertiesOf(b)[key].const);
    const first = propertiesOf(branches[0])[key];
    rows.push({
      path: `${path}.${key}`,
      schema: { ...first, const: undefined, enum: values },
      required: true,
    });
  }
  for (const branch of branches)
    below(path, branch, key ? `${key}: ${json(propertiesOf(branch)[key].const)}` : when, key);
  return mergeRows(rows);
}

/** The type of a setting in YAML terms. */
export function typeText(schema: JsonSchema): string {
  const branches = branchesOf(schema).filter((b) => b.type);
  if (!schema.type && branches.length > 0) return [...new Set(branches.map(typeText))].join(" or ");
  const type = schema.type;
  if (Array.isArray(type)) return type.join(" or ");
  if (type === "array") {
    const items = asSchema(schema.items);
    return items ? `list of ${typeText(items)}` : "list";
  }
  if (type === "object") return entryOf(schema) ? "map by name" : "map";
  return typeof type === "string" ? type : "any";
}

const quoted = (values: unknown[]) => values.map((v) => JSON.stringify(v)).join(", ");

/** A numeric range: `1–65535`, `> 0`, `≥ 1`. */
function rangeText(schema: JsonSchema): string | undefined {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema;
  if (minimum !== undefined && maximum !== undefined) return `${minimum}–${maximum}`;
  const bounds = [
    minimum !== undefined ? `≥ ${minimum}` : "",
    exclusiveMinimum !== undefined ? `> ${exclusiveMinimum}` : "",
    maximum !== undefined ? `≤ ${maximum}` : "",
    exclusiveMaximum !== undefined ? `< ${exclusiveMaximum}` : "",
  ].filter(Boolean);
  return bounds.length > 0 ? bounds.join(", ") : undefined;
}

/** How many entries a list or map takes: `2–3 items`, `at least 1 entry`. */
function countText(min: unknown, max: unknown, one: string, many: string): string | undefined {
  const what = (n: unknown) => (n === 1 ? one : many);
  if (min !== undefined && max !== undefined) return `${min}–${max} ${many}`;
  if (min !== undefined) return `at least ${min} ${what(min)}`;
  if (max !== undefined) return `at most ${max} ${what(max)}`;
  return undefined;
}

/** What values a setting allows, from its schema: values, ranges, patterns (in words where given), sizes. */
export function allowedText(schema: JsonSchema): string {
  const parts: string[] = [];
  if (schema.const !== undefined) parts.push(quoted([schema.const]));
  if (Array.isArray(schema.enum)) parts.push(`one of ${quoted(schema.enum)}`);
  const range = rangeText(schema);
  if (range) parts.push(range);
  const ranges = branchesOf(schema).map(rangeText).filter(Boolean);
  if (ranges.length > 0) parts.push(ranges.join(" or "));
  const not = asSchema(schema.not);
  if (not && Array.isArray(not.enum)) parts.push(`not ${quoted(not.enum)}`);
  if (typeof schema.patternErrorMessage === "string") parts.push(schema.patternErrorMessage);
  else if (typeof schema.pattern === "string") parts.push(`matches \`${schema.pattern}\``);
  const length = countText(schema.minLength, schema.maxLength, "character", "characters");
  if (length) parts.push(length);
  const items = countText(schema.minItems, schema.maxItems, "item", "items");
  if (items) parts.push(items);
  if (schema.uniqueItems) parts.push("each once");
  const entries = countText(schema.minProperties, schema.maxProperties, "entry", "entries");
  if (entries) parts.push(entries);
  const keys = asSchema(schema.propertyNames);
  if (keys && entryOf(schema)) parts.push(`keys: ${allowedText(keys)}`);
  const element = asSchema(schema.items);
  if (element && !element.properties) {
    const each = allowedText(element);
    if (each) parts.push(`each: ${each}`);
  }
  return parts.join("; ");
}

/** Markdown text: `<name>` outside code spans escaped, so it shows instead of reading as an HTML tag. */
const escaped = (text: string) =>
  text
    .split("`")
    .map((part, i) => (i % 2 === 0 ? part.replace(/</g, "&lt;") : part))
    .join("`");
/** Markdown table cell text: one line, pipes escaped. */
const cell = (text: string) => text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
const code = (value: unknown) => (value === undefined ? "" : `\`${json(value)}\``);

function rowText({ path, schema, required, when }: Row): string {
  const examples = Array.isArray(schema.examples) ? schema.examples : [];
  const description = [
    typeof schema.description === "string" ? schema.description : "",
    examples.length > 0 ? `Example: ${code(examples[0])}` : "",
  ].filter(Boolean);
  return `| ${[
    `\`${path}\``,
    typeText(schema),
    `${required ? "required" : "optional"}${when ? ` when ${when}` : ""}`,
    code(schema.default) || "—",
    escaped(allowedText(schema)),
    escaped(description.join(" ")),
  ]
    .map(cell)
    .join(" | ")} |`;
}

const TABLE_HEAD = [
  "| Setting | Type | Required | Default | Allowed | Description |",
  "|---|---|---|---|---|---|",
];

/** The section of one top-level map: its description and the table of the settings in it. */
function keySection(key: string, schema: JsonSchema, required: boolean): string[] {
  const [, ...rows] = settingRows(key, schema, required);
  return [
    `### \`${key}\` (${typeText(schema)}, ${required ? "required" : "optional"})`,
    "",
    ...(typeof schema.description === "string" ? [escaped(schema.description), ""] : []),
    ...(rows.length > 0 ? [...TABLE_HEAD, ...rows.map(rowText), ""] : []),
  ];
}

/**
 * The section of one role: its top-level scalar settings in one table, then a section per top-level map of the
 * role's branch of the schema (`hybridnet:role` is in the keys of every stack file).
 */
function roleSection(role: string, branch: JsonSchema): string[] {
  const required = requiredOf(branch);
  const keys = Object.entries(propertiesOf(branch)).filter(([key]) => key !== `${CONFIG_NAMESPACE}:role`);
  const isMap = (schema: JsonSchema) => schema.type === "object";
  const scalars = keys.filter(([, schema]) => !isMap(schema));
  const lines = [`## Role \`${role}\``, "", escaped(`${branch.description}`), ""];
  if (scalars.length > 0)
    lines.push(
      ...TABLE_HEAD,
      ...scalars.map(([path, schema]) => rowText({ path, schema, required: required.has(path) })),
      "",
    );
  for (const [key, schema] of keys)
    if (isMap(schema)) lines.push(...keySection(key, schema, required.has(key)));
  return lines;
}

/** The keys every stack file may have: the file's own, Pulumi's, and `hybridnet:role`. */
function fileSection(schema: JsonSchema): string[] {
  const config = asSchema(asSchema(schema.definitions)?.config) ?? {};
  const rows: Row[] = [];
  const fileRequired = requiredOf(schema);
  for (const [key, value] of Object.entries(propertiesOf(schema)))
    if (key !== "config") rows.push({ path: key, schema: value, required: fileRequired.has(key) });
  const configRequired = requiredOf(config);
  for (const [key, value] of Object.entries(propertiesOf(config)))
    rows.push({ path: `config: ${key}`, schema: value, required: configRequired.has(key) });
  return [
    "## Keys of every stack file",
    "",
    escaped(`${config.description}`),
    "",
    ...TABLE_HEAD,
    ...rows.map(rowText),
    "",
  ];
}

/** docs/config.md for `schema` (the stack-file schema) and the text on what only the program checks. */
export function configReference(schema: JsonSchema, programChecks: readonly string[]): string {
  const definitions = asSchema(schema.definitions) ?? {};
  const roles = Object.keys(ROLE_SCHEMAS);
  const lines = [
    "# Stack config reference",
    "",
    `<!-- Generated by \`${GENERATOR}\` from the zod schemas in model/stackConfig.ts. Do not edit: change the schema's metadata and rerun. -->`,
    "",
    `Every \`stacks/Pulumi.<stack>.yaml\` sets a stack's config. \`${CONFIG_NAMESPACE}:role\` picks the settings: ${roles.map((r) => `[\`${r}\`](#role-${r})`).join(" or ")}. The program checks the config before it creates anything and names every bad value with its config path (\`hybridnet:vpn.sites.dc1.ipAddress\`); \`hybridnet plan\` exits 2 on it.`,
    "",
    "## Editor support",
    "",
    `[\`${SCHEMA_FILE}\`](../${SCHEMA_FILE}) is the JSON Schema (draft-07) of a whole stack file, generated from the same source as this page. Each shipped stack file starts with`,
    "",
    "```yaml",
    `# yaml-language-server: $schema=../${SCHEMA_FILE}`,
    "```",
    "",
    "which the YAML language server (VS Code's YAML extension, and editors built on it) reads: it completes the keys of the stack's role, shows these descriptions on hover, and marks unknown `hybridnet:` keys, wrong types, values out of range and malformed CIDRs, addresses, ARNs and ids while you type. Copy the line into a new stack file (adjust the relative path if the file lives elsewhere).",
    "",
    "The schema checks each value on its own. The program checks more, across settings; an editor does not flag these:",
    "",
    ...programChecks.map((check) => `- ${check}`),
    "",
    "Where the schema is stricter than Pulumi: Pulumi hands a top-level scalar to the program as text, so `hybridnet:organization: 123` works though the schema asks for a string (quote it), and the legacy key form `hybridnet:config:vpc` is refused (write `hybridnet:vpc`).",
    "",
    ...fileSection(schema),
  ];
  for (const role of roles) lines.push(...roleSection(role, asSchema(definitions[role]) ?? {}));
  return `${lines.join("\n").trimEnd()}\n`;
}
