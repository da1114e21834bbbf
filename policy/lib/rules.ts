/**
 * How a rule file becomes a CrossGuard policy: a resource rule checks one resource of the types it names, a
 * stack rule checks the stack's resource graph; both read their config with the schema's defaults filled in
 * and report one violation per message the model check returns.
 */
import type {
  EnforcementLevel,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { APPLIES_TO_TYPES } from "../../model/policyRules";
import { type Finding, type PlannedResource, ResourceGraph } from "../../model/resourceGraph";
import { rawProps, secretPathsOf } from "./secrets";

/** A rule's config: JSON schema per key, each with the default a team gets without config. */
export type ConfigSchema<C> = { [K in keyof C]: PolicyConfigJSONSchema & { default?: C[K] } };

interface RuleBase<C> {
  name: string;
  /** Why the rule exists: the AWS limit or the risk. The first line of every violation message. */
  description: string;
  enforcementLevel: EnforcementLevel;
  config?: ConfigSchema<C>;
}

/** The rule's config: what the team set, with each property's schema default where they set nothing. */
function configOf<C>(schema: ConfigSchema<C> | undefined, given: object): C {
  const defaults = Object.fromEntries(
    Object.entries(schema ?? {}).map(([k, s]) => [k, (s as { default?: unknown }).default]),
  );
  return { ...defaults, ...given } as C;
}

function schemaOf<C>(config: ConfigSchema<C> | undefined) {
  return config ? { configSchema: { properties: config as Record<string, PolicyConfigJSONSchema> } } : {};
}

/** A resource as the model checks see it, with the paths of its secret properties. */
export function plannedResource(args: ResourceValidationArgs): PlannedResource {
  return {
    type: args.type,
    name: args.name,
    urn: args.urn,
    ...(args.opts.parent ? { parent: args.opts.parent } : {}),
    props: args.props,
    protect: args.opts.protect,
    secretPaths: secretPathsOf(args.props),
  };
}

function stackResource(r: PolicyResource): PlannedResource {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    ...(r.parent ? { parent: r.parent.urn } : {}),
    props: r.props,
    protect: r.opts.protect,
    propertyDependencies: Object.fromEntries(
      Object.entries(r.propertyDependencies).map(([k, deps]) => [k, deps.map((d) => d.urn)]),
    ),
    secretPaths: secretPathsOf(r.props),
  };
}

/** The last stack's graph, and the properties of its resources it was built from. */
let lastGraph: { props: readonly object[]; graph: ResourceGraph } | undefined;

/**
 * The stack's resources as a graph the model's stack checks walk. @pulumi/policy hands every stack policy its
 * own resource objects, over the same deserialized properties (lib/secrets.ts): the graph is built once per
 * `analyzeStack` and shared by its stack policies while the properties are those it was built from.
 */
export function stackGraph(args: StackValidationArgs): ResourceGraph {
  const props = args.resources.map((r) => rawProps(r.props));
  const last = lastGraph;
  if (last && last.props.length === props.length && props.every((p, i) => p === last.props[i]))
    return last.graph;
  const graph = new ResourceGraph(args.resources.map(stackResource));
  lastGraph = { props, graph };
  return graph;
}

/** A rule that checks each resource of `types` on its own, as it registers. */
export function resourceRule<C = Record<string, never>>(
  rule: RuleBase<C> & {
    /** Resource types the rule reads. @default every type. */
    types?: readonly string[];
    check: (resource: PlannedResource, config: C) => string[];
  },
): ResourceValidationPolicy {
  const policy: ResourceValidationPolicy = {
    name: rule.name,
    description: rule.description,
    enforcementLevel: rule.enforcementLevel,
    ...schemaOf(rule.config),
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
      if (rule.types && !rule.types.includes(args.type)) return;
      const config = configOf(rule.config, args.getConfig());
      for (const message of rule.check(plannedResource(args), config)) report(message);
    },
  };
  // For the planner's in-process pack only (cli/policyCuts.ts `typeFilter`): the types past which the
  // validation returns at once. Not enumerable, and @pulumi/policy reads no such property.
  if (rule.types) Object.defineProperty(policy, APPLIES_TO_TYPES, { value: rule.types, enumerable: false });
  return policy;
}

/** A rule that checks the stack's resources together (what connects to what), once per preview or update. */
export function stackRule<C = Record<string, never>>(
  rule: RuleBase<C> & { check: (graph: ResourceGraph, config: C) => Finding[] },
): StackValidationPolicy {
  return {
    name: rule.name,
    description: rule.description,
    enforcementLevel: rule.enforcementLevel,
    ...schemaOf(rule.config),
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const config = configOf(rule.config, args.getConfig());
      for (const finding of rule.check(stackGraph(args), config)) report(finding.message, finding.urn);
    },
  };
}

/**
 * Config the network rules share: what a stack's resources do not show about networks it only references
 * (another stack's VPCs, the prefixes sites announce over BGP).
 */
export const NETWORK_CONFIG = {
  vpcCidrs: {
    type: "object",
    additionalProperties: { type: "array", items: { type: "string" } },
    description: "CIDRs of VPCs this stack names only by id (another stack's), by VPC id.",
    default: {},
  },
  onPremisesPrefixes: {
    type: "object",
    additionalProperties: { type: "array", items: { type: "string" } },
    description:
      "Prefixes each site announces over BGP (they are not in the stack's resources), by customer gateway address or resource name.",
    default: {},
  },
} as const;

/** The `prodStackSuffixes` setting of every rule that applies to production stacks only. */
export const PROD_STACK_SUFFIXES_CONFIG = {
  type: "array",
  items: { type: "string" },
  description:
    'Stack name endings that mark production ("-prod"). Unset: the last "-" segment of the stack name is prod, production or prd.',
} as const;
