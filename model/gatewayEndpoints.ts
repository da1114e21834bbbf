/**
 * Plans for gateway VPC endpoints (S3 and DynamoDB): the service names in a region, the route tables they
 * serve, and each endpoint's policy (given, narrowed to an organization or accounts, or AWS's default),
 * after checking the AWS rules. Pure data in, pure data out.
 */
import { Problems } from "./errors";
import {
  accountIdProblem,
  checkKeyedIds,
  ec2IdProblem,
  organizationIdProblem,
  regionProblem,
} from "./identifiers";

/** VPC endpoints: an AWS service reached through a gateway endpoint (only Amazon S3 and DynamoDB). */
export const GatewayService = { S3: "s3", Dynamodb: "dynamodb" } as const;
/** VPC endpoints: an AWS service reached through a gateway endpoint (only Amazon S3 and DynamoDB). */
export type GatewayService = (typeof GatewayService)[keyof typeof GatewayService];
/** VPC endpoints: only Amazon S3 and DynamoDB are reached through gateway endpoints. */
export const GATEWAY_SERVICES: readonly GatewayService[] = Object.values(GatewayService);
/** VPC endpoints: an endpoint policy holds at most 20,480 characters, white space included. */
export const MAX_ENDPOINT_POLICY_CHARACTERS = 20480;
/** IAM: the policy language versions a policy document may name. */
export const POLICY_VERSIONS = ["2012-10-17", "2008-10-17"] as const;

/** The policy AWS attaches to an endpoint created without one: every principal, every action, every resource. */
export const FULL_ACCESS_POLICY = {
  Version: "2008-10-17",
  Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
} as const;

/**
 * An endpoint policy document as the model checks it: JSON text, or the document as an object (what
 * `endpointPolicyProblem` takes; the component takes JSON text only, see `planGatewayEndpoints`).
 */
export type EndpointPolicy = string | Record<string, unknown>;

/** Per-service endpoint policies (JSON text, or a value known only at deployment), keyed by gateway service. */
export interface GatewayEndpointPoliciesSpec {
  /** Policy of the Amazon S3 endpoint. */
  s3?: unknown;
  /** Policy of the DynamoDB endpoint. */
  dynamodb?: unknown;
}

export interface GatewayEndpointsSpec {
  /** The VPC. A plain string is checked (`vpc-...`). */
  vpcId: unknown;
  /** Region of the VPC, which names the services (`com.amazonaws.<region>.s3`). */
  region: string;
  /** Services to create gateway endpoints for. @default ["s3", "dynamodb"]. */
  services?: string[];
  /** Route tables the endpoints serve, keyed by a stable name. At least one. */
  routeTableIds: Record<string, unknown>;
  /** Policy for every endpoint: JSON text, checked; a value known only at deployment is taken as is. */
  policy?: unknown;
  /** Policy per service; wins over `policy`. Keys are gateway services. */
  policies?: GatewayEndpointPoliciesSpec;
  /** Only principals of this organization may use the endpoints (generated policy). */
  allowedPrincipalOrgId?: string;
  /** Only principals of these accounts may use the endpoints (generated policy). */
  allowedAccountIds?: string[];
}

/** Where an endpoint's policy came from. */
export type PolicySource = "given" | "restricted" | "full-access";

export interface PlannedGatewayEndpoint {
  service: GatewayService;
  /** `com.amazonaws.<region>.<service>`. */
  serviceName: string;
  /** The policy document as JSON text; absent when it was given as a value known only at deployment. */
  policy?: string;
  policySource: PolicySource;
}

export interface GatewayEndpointsPlan {
  endpoints: PlannedGatewayEndpoint[];
  /** Route table keys in code-unit order: the order of the endpoints' `routeTableIds`. */
  routeTableKeys: string[];
}

/** The gateway endpoint service name of `service` in `region`. */
export function gatewayServiceName(region: string, service: GatewayService): string {
  return `com.amazonaws.${region}.${service}`;
}

/**
 * Why `value` cannot be an endpoint policy, or undefined: it must parse as a JSON object with a
 * `Statement`, name a known policy version if any, and fit in 20,480 characters.
 */
export function endpointPolicyProblem(value: unknown): string | undefined {
  let document: unknown;
  let text: string;
  if (typeof value === "string") {
    text = value;
    try {
      document = JSON.parse(value);
    } catch (e) {
      return `not valid JSON (${(e as Error).message}); give a policy document such as {"Statement": [...]}`;
    }
  } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    document = value;
    try {
      text = JSON.stringify(value);
    } catch (e) {
      return `cannot be written as JSON (${(e as Error).message})`;
    }
  } else return "a policy document: a JSON string or an object such as { Statement: [...] }";
  if (document === null || typeof document !== "object" || Array.isArray(document))
    return 'a policy document is a JSON object such as {"Statement": [...]}';
  const doc = document as Record<string, unknown>;
  const statement = doc.Statement;
  const hasStatement = Array.isArray(statement)
    ? statement.length > 0
    : statement !== null && typeof statement === "object";
  if (!hasStatement) return "a policy document needs a Statement: one statement object or a non-empty list";
  if (doc.Version !== undefined && !(POLICY_VERSIONS as readonly unknown[]).includes(doc.Version))
    return `Version must be ${POLICY_VERSIONS.map((v) => `"${v}"`).join(" or ")}`;
  if (text.length > MAX_ENDPOINT_POLICY_CHARACTERS)
    return `${text.length} characters; an endpoint policy holds at most ${MAX_ENDPOINT_POLICY_CHARACTERS}`;
  return undefined;
}

/**
 * Why `value`, given to the component as an endpoint policy, is refused, or undefined: JSON text checked
 * as `endpointPolicyProblem` does; a value `deferred` says is known only at deployment (an Output) is taken
 * as is; an object is refused, so that one argument means one type in every language.
 */
function givenPolicyProblem(value: unknown, deferred: (value: unknown) => boolean): string | undefined {
  if (typeof value === "string") return endpointPolicyProblem(value);
  if (deferred(value)) return undefined;
  if (value !== null && typeof value === "object" && !Array.isArray(value))
    return "JSON text, not an object: pass JSON.stringify(document), or the json of aws.iam.getPolicyDocumentOutput";
  return "a policy document as JSON text, such as JSON.stringify({ Statement: [...] })";
}

/**
 * The narrower default: the service's actions for principals of the organization and/or the accounts
 * given (two Allow statements when both are given: either one lets a principal in).
 */
export function restrictedPolicy(
  service: GatewayService,
  orgId?: string,
  accountIds?: readonly string[],
): string {
  const statement = (sid: string, condition: Record<string, unknown>) => ({
    Sid: sid,
    Effect: "Allow",
    Principal: "*",
    Action: `${service}:*`,
    Resource: "*",
    Condition: { StringEquals: condition },
  });
  const statements = [
    ...(orgId !== undefined
      ? [statement("AllowOrganizationPrincipals", { "aws:PrincipalOrgID": orgId })]
      : []),
    ...(accountIds?.length
      ? [statement("AllowListedAccounts", { "aws:PrincipalAccount": [...accountIds] })]
      : []),
  ];
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * Plans the gateway endpoints. Collects every problem and throws one ValidationError naming `where`;
 * returns the plan only when all arguments are valid. `deferred` says which values are known only at
 * deployment (the component passes `pulumi.Output.isInstance`): such a policy is taken unchecked.
 */
export function planGatewayEndpoints(
  where: string,
  spec: GatewayEndpointsSpec,
  deferred: (value: unknown) => boolean = () => false,
): GatewayEndpointsPlan {
  const problems = new Problems();
  if (spec?.vpcId === undefined || spec?.vpcId === null)
    problems.add("vpcId", spec?.vpcId, "the VPC id (vpc-...) or an Output of one");
  else problems.addIf("vpcId", spec.vpcId, ec2IdProblem("vpc", spec.vpcId));
  problems.addIf("region", spec?.region, regionProblem(spec?.region));

  const services: GatewayService[] = [];
  const requested = spec?.services ?? [...GATEWAY_SERVICES];
  if (!Array.isArray(requested) || requested.length === 0)
    problems.add(
      "services",
      requested,
      `at least one of ${GATEWAY_SERVICES.map((s) => `"${s}"`).join(", ")}`,
    );
  else
    requested.forEach((service, i) => {
      if (!(GATEWAY_SERVICES as readonly unknown[]).includes(service))
        problems.add(
          `services[${i}]`,
          service,
          `only ${GATEWAY_SERVICES.map((s) => `"${s}"`).join(" and ")} have gateway endpoints; other services need an interface endpoint (PrivateLink)`,
        );
      else if (services.includes(service as GatewayService))
        problems.add(`services[${i}]`, service, "listed twice; one gateway endpoint per service");
      else services.push(service as GatewayService);
    });

  const routeTableKeys = checkKeyedIds(
    problems,
    "routeTableIds",
    spec?.routeTableIds,
    "rtb",
    "route table",
    "a gateway endpoint is reached only through the prefix-list routes it adds to route tables",
  );

  if (spec?.policy !== undefined)
    problems.addIf("policy", spec.policy, givenPolicyProblem(spec.policy, deferred));
  const policies = spec?.policies ?? {};
  if (policies === null || typeof policies !== "object" || Array.isArray(policies))
    problems.add("policies", policies, "{ s3?: policy, dynamodb?: policy }: a policy per service");
  else
    for (const [service, policy] of Object.entries(policies)) {
      if (policy === undefined) continue;
      if (!(GATEWAY_SERVICES as readonly string[]).includes(service))
        problems.add(
          `policies.${service}`,
          service,
          `not a gateway service; use ${GATEWAY_SERVICES.map((s) => `"${s}"`).join(" or ")}`,
        );
      else if (!services.includes(service as GatewayService))
        problems.add(
          `policies.${service}`,
          service,
          `no ${service} endpoint is created (services: ${services.join(", ") || "none valid"}); add it to services or drop this policy`,
        );
      else problems.addIf(`policies.${service}`, policy, givenPolicyProblem(policy, deferred));
    }

  const orgId = spec?.allowedPrincipalOrgId;
  if (orgId !== undefined) problems.addIf("allowedPrincipalOrgId", orgId, organizationIdProblem(orgId));
  const accounts = spec?.allowedAccountIds;
  if (accounts !== undefined) {
    if (!Array.isArray(accounts) || accounts.length === 0)
      problems.add("allowedAccountIds", accounts, "at least one 12-digit account id, or leave it out");
    else {
      const seen = new Set<string>();
      accounts.forEach((account, i) => {
        const problem = accountIdProblem(account);
        if (problem) problems.add(`allowedAccountIds[${i}]`, account, problem);
        else if (seen.has(account)) problems.add(`allowedAccountIds[${i}]`, account, "listed twice");
        else seen.add(account);
      });
    }
  }
  const restricting = orgId !== undefined || accounts !== undefined;
  const givenFor = (service: GatewayService) =>
    (policies as Partial<Record<string, unknown>>)?.[service] ?? spec?.policy;
  if (restricting && services.length > 0 && services.every((s) => givenFor(s) !== undefined))
    problems.add(
      orgId !== undefined ? "allowedPrincipalOrgId" : "allowedAccountIds",
      orgId ?? accounts,
      "has no effect: every endpoint has a given policy; put the aws:PrincipalOrgID / aws:PrincipalAccount condition in that policy, or leave the policy out",
    );

  problems.throwIfAny(where);

  const endpoints = services.map((service): PlannedGatewayEndpoint => {
    const given = givenFor(service);
    const [policy, policySource]: [string | undefined, PolicySource] =
      given !== undefined
        ? [typeof given === "string" ? given : undefined, "given"]
        : restricting
          ? [restrictedPolicy(service, orgId, accounts), "restricted"]
          : [JSON.stringify(FULL_ACCESS_POLICY), "full-access"];
    return {
      service,
      serviceName: gatewayServiceName(spec.region, service),
      ...(policy !== undefined ? { policy } : {}),
      policySource,
    };
  });
  return { endpoints, routeTableKeys };
}
