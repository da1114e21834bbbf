/**
 * The JSON Schema of a whole `Pulumi.<stack>.yaml` file as the Pulumi CLI reads it, generated from the zod
 * schemas of model/stackConfig.ts: the file's top-level keys (`config`, `secretsprovider`, `encryptedkey`,
 * `encryptionsalt`, `environment`), and under `config` the namespaced keys (`hybridnet:vpc`), branching on
 * `hybridnet:role` so an editor offers the keys of the stack's role and refuses unknown `hybridnet:` keys (the
 * zod schemas are strict). Keys of other namespaces (`aws:region`, `pulumi:tags`) are Pulumi's and the
 * providers' own: allowed as they are. Draft-07: the draft every YAML language server implements fully.
 */
import { z } from "zod";
import { CONFIG_NAMESPACE, connectivitySchema, ROLES, workloadSchema } from "../model/stackConfig";

/** A JSON Schema, as plain JSON. */
export type JsonSchema = { [key: string]: unknown };

export const SCHEMA_FILE = "schema/stack-config.schema.json";
const DRAFT_07 = "http://json-schema.org/draft-07/schema#";
const NS = CONFIG_NAMESPACE;

/**
 * Pulumi config keys: `<namespace>:<name>`, or the old `<namespace>:config:<name>` (pulumi/pulumi
 * sdk/go/common/resource/config/key.go, ParseKey). A key without a namespace is refused in a stack file.
 */
export const CONFIG_KEY_PATTERN = "^[^:]+:(?:config:)?[^:]+$";
/** Any key outside the `hybridnet:` namespace. */
export const OTHER_NAMESPACE_PATTERN = `^(?!${NS}:)`;

/** The zod schema of each role, by the value of `hybridnet:role` that selects it. */
export const ROLE_SCHEMAS: Record<(typeof ROLES)[number], z.ZodType> = {
  connectivity: connectivitySchema,
  workload: workloadSchema,
};

/** The JSON Schema zod makes of `schema`: what the user writes (the input side), as draft-07. */
export function zodJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: "draft-07",
    io: "input",
    // zod bounds every `.int()` by the safe-integer range; "integer" says as much, and an editor or the
    // reference showing -9007199254740991–9007199254740991 as a setting's range tells the user nothing.
    override: ({ jsonSchema }) => {
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** One role's config map: its settings under `hybridnet:`, anything under other namespaces. */
function roleConfig(role: string, schema: z.ZodType): JsonSchema {
  const json = zodJsonSchema(schema);
  const properties = Object.entries(json.properties as Record<string, JsonSchema>).map(([name, value]) => [
    `${NS}:${name}`,
    value,
  ]);
  return {
    description: `The config of a ${role} stack: the ${NS}: settings of that role; no other ${NS}: key.`,
    type: "object",
    properties: Object.fromEntries(properties),
    required: ((json.required as string[] | undefined) ?? []).map((name) => `${NS}:${name}`),
    patternProperties: { [OTHER_NAMESPACE_PATTERN]: true },
    additionalProperties: false,
  };
}

/** `then` for the first role, `else` → `if` for the next: the branch the value of `hybridnet:role` selects. */
function roleBranches(roles: readonly string[]): JsonSchema {
  const [role, ...rest] = roles;
  return {
    if: { properties: { [`${NS}:role`]: { const: role } }, required: [`${NS}:role`] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keywords, not a thenable.
    then: { $ref: `#/definitions/${role}` },
    ...(rest.length > 0 ? { else: roleBranches(rest) } : {}),
  };
}

/** The keys of the `pulumi:` namespace a stack file sets. */
const PULUMI_KEYS: Record<string, JsonSchema> = {
  "pulumi:disable-default-providers": {
    description:
      "Providers Pulumi may not create by default. The shipped stacks set [aws]: every AWS resource then uses the stack's own provider, which assumes hybridnet:aws.roleArn, and never the ambient credentials.",
    type: "array",
    items: { type: "string" },
    examples: [["aws"]],
  },
  "pulumi:tags": {
    description: "Tags of the stack in the Pulumi backend (not AWS tags): a map of strings.",
    type: "object",
    additionalProperties: { type: "string" },
    examples: [{ team: "network" }],
  },
};

/** The `config:` map of a stack file. */
function configMap(): JsonSchema {
  const role = zodJsonSchema(ROLE_SCHEMAS.connectivity).properties as Record<string, JsonSchema>;
  return {
    description: `The stack's config. Keys are namespaced: ${NS}: for this program's settings (the role decides which), pulumi: for Pulumi's own, and any other namespace (aws:, …) for providers.`,
    type: "object",
    propertyNames: {
      pattern: CONFIG_KEY_PATTERN,
      patternErrorMessage: "a namespaced key: <namespace>:<name>, e.g. hybridnet:vpc",
    },
    properties: {
      [`${NS}:role`]: {
        description: role.role.description,
        type: "string",
        enum: [...ROLES],
        examples: [...ROLES],
      },
      ...PULUMI_KEYS,
    },
    required: [`${NS}:role`],
    ...roleBranches(Object.keys(ROLE_SCHEMAS)),
  };
}

/** The top-level keys of a stack file besides `config` (pulumi/pulumi workspace.ProjectStack). */
const STACK_FILE_KEYS: Record<string, JsonSchema> = {
  secretsprovider: {
    description:
      "The stack's secrets provider (passphrase, awskms://…, azurekeyvault://…, gcpkms://…, hashivault://…); written by pulumi stack init/change-secrets-provider. Default: the backend's.",
    type: "string",
    examples: ["awskms://alias/pulumi-secrets?region=us-east-1"],
  },
  encryptedkey: {
    description: "The data key of a cloud secrets provider, encrypted by it; written by Pulumi.",
    type: "string",
  },
  encryptionsalt: {
    description: "The salt of the passphrase secrets provider; written by Pulumi.",
    type: "string",
  },
  environment: {
    description:
      "Pulumi ESC environments whose values the stack imports: a list of environment names, or an inline environment definition.",
    anyOf: [{ type: "array", items: { type: "string" } }, { type: "object" }],
    examples: [["network/prod"]],
  },
};

/** The JSON Schema of a whole stack file. */
export function stackFileSchema(): JsonSchema {
  const definitions: Record<string, JsonSchema> = { config: configMap() };
  for (const [role, schema] of Object.entries(ROLE_SCHEMAS)) definitions[role] = roleConfig(role, schema);
  return {
    $schema: DRAFT_07,
    // No title: the YAML language server would head every hover and label every completion with it.
    description:
      "A hybridnet stack file (Pulumi.<stack>.yaml): one stack of the landing zone. Generated from the zod schemas in model/stackConfig.ts by `npm run schema`; docs/config.md is the reference. The program checks more than this schema can (rules across settings): see docs/config.md.",
    type: "object",
    properties: { config: { $ref: "#/definitions/config" }, ...STACK_FILE_KEYS },
    required: ["config"],
    additionalProperties: false,
    definitions,
  };
}
