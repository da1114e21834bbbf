/**
 * The config of the landing-zone stacks (`stacks/Pulumi.<stack>.yaml`), as zod schemas of its two roles, and
 * the checks that turn a stack's raw config into typed settings or one ValidationError naming the stack, each
 * config path (`hybridnet:vpn.sites.dc1.ipAddress`), the bad value and what is allowed. Field rules call the
 * same model functions the components and the policy pack call, so a value means the same thing everywhere.
 * Pure: no Pulumi import; the program hands this the stack name and the config map.
 *
 * Stack names are `<account>-<env>`: `connectivity-<env>` for the network account, `workload-<key>-<env>` for a
 * workload account. The names are what StackReferences resolve, so they are checked like any other value.
 */
import { z } from "zod";
import {
  amazonSideAsnProblem,
  type Cidr,
  checkCidr,
  cidrContains,
  cidrsOverlap,
  customerAsnProblem,
  findOverlaps,
  privateIpv4Problem,
  publicIpv4Problem,
  RFC1918_IPV4,
} from "./addressing";
import { checkProdAlarmActions, snsTopicArnProblem } from "./alarms";
import { acmCertificateArnProblem } from "./arns";
import { dxIdProblem, isProdEnvironment, vlanProblem } from "./directConnect";
import { type Problem, Problems, ValidationError } from "./errors";
import { GATEWAY_SERVICES } from "./gatewayEndpoints";
import { accountIdProblem, regionProblem } from "./identifiers";
import { RESOURCE_KEY, RESOURCE_KEY_RULE } from "./names";
import { zoneRefProblem } from "./reachability/intents";
import { resolveSegments } from "./transitGateway";
import { checkVpcLayout } from "./vpcLayout";
import { isZoneId, zoneIdProblem } from "./zones";

/** Every key of the stacks' config lives under this namespace (`hybridnet:vpc`). */
export const CONFIG_NAMESPACE = "hybridnet";
export const ROLES = ["connectivity", "workload"] as const;
export type Role = (typeof ROLES)[number];
/** The backend organization StackReferences name when the config sets none: the DIY backend's own. */
export const DEFAULT_ORGANIZATION = "organization";
/** The Pulumi project the stacks belong to (Pulumi.yaml `name`). */
export const PROJECT = "hybridnet";

// ---------------------------------------------------------------------------------------------------
// Field rules: zod types whose messages are the model's words.

/** A string checked by a model rule; a missing or non-string value gets the rule's own message. */
function ruled(check: (value: unknown) => string | undefined) {
  return z.string({ error: (issue) => check(issue.input) ?? "a string" }).superRefine((value, ctx) => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
  });
}

/** An integer checked by a model rule. */
function ruledNumber(check: (value: unknown) => string | undefined) {
  return z.number({ error: (issue) => check(issue.input) ?? "a number" }).superRefine((value, ctx) => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
  });
}

function cidrRule(rules: Parameters<typeof checkCidr>[1], what: string) {
  return (value: unknown) => {
    const result = checkCidr(value, rules);
    return "problem" in result ? `${result.problem} (${what})` : undefined;
  };
}

const RFC1918 = RFC1918_IPV4.map((text) => (checkCidr(text) as { cidr: Cidr }).cidr);

/** Why `value` cannot be a private (RFC 1918) IPv4 network, or undefined. */
export function privateNetworkProblem(value: unknown, what: string): string | undefined {
  const result = checkCidr(value, { version: 4 });
  if ("problem" in result) return `${result.problem} (${what})`;
  if (!RFC1918.some((block) => cidrContains(block, result.cidr)))
    return `not inside ${RFC1918_IPV4.join(", ")}; ${what} is a private (RFC 1918) network`;
  return undefined;
}

/** IAM role ARNs: `arn:<partition>:iam::<account>:role/<path/name>`. */
const ROLE_ARN = /^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):role\/[\w+=,.@-]+(?:\/[\w+=,.@-]+)*$/;
export const ROLE_ARN_RULE = "an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>";

/** Why `value` cannot be an IAM role ARN, or undefined. */
export function roleArnProblem(value: unknown): string | undefined {
  return typeof value === "string" && ROLE_ARN.test(value) ? undefined : ROLE_ARN_RULE;
}

/** The account of a role ARN that passed {@link roleArnProblem}. */
export function roleArnAccount(arn: string): string {
  return ROLE_ARN.exec(arn)?.[1] ?? "";
}

const key = z.string().regex(RESOURCE_KEY, RESOURCE_KEY_RULE);
const keyed = <T extends z.ZodType>(value: T) => z.record(key, value);
const accountId = ruled(accountIdProblem);
const region = ruled(regionProblem);
const roleArn = ruled(roleArnProblem);
const amazonAsn = ruledNumber(amazonSideAsnProblem);
const customerAsn = ruledNumber(customerAsnProblem);
const publicIp = ruled(publicIpv4Problem);
const privateIp = ruled(privateIpv4Problem);
const onPremPrefix = ruled((v) => privateNetworkProblem(v, "an on-premises network"));
const port = z.int({ error: "a TCP port: an integer 1–65535" }).min(1).max(65535);
const certificateArn = ruled((v) => (typeof v === "string" ? acmCertificateArnProblem(v) : "an ACM ARN"));
const nonEmpty = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item, { error: `a list of ${what}` }).min(1, `at least one ${what}`);

/** The account a stack deploys into: the provider assumes `roleArn` in `region`. */
const awsAccount = z.strictObject({
  region,
  accountId,
  roleArn,
});

const vpc = {
  cidr: ruled((v) => privateNetworkProblem(v, "a VPC CIDR")),
  /** Zone ids (`use1-az1`), not names: names map to different zones in each account (checked in checkVpcLayout). */
  availabilityZones: z.array(z.string(), {
    error: 'a list of 2 or 3 Availability Zone ids such as ["use1-az1", "use1-az2"]',
  }),
};

/** A site reached over the internet: a public customer gateway address and BGP. */
const vpnSite = z.strictObject({
  ipAddress: publicIp,
  bgpAsn: customerAsn,
  prefixes: nonEmpty(onPremPrefix, "on-premises CIDR"),
  bandwidthGbps: z.number().positive("a bandwidth in Gbps above 0").optional(),
  accelerated: z.boolean().optional(),
  deviceName: z.string().max(255).optional(),
});

/** The common keys of both roles. */
const common = {
  role: z.enum(ROLES, { error: `one of ${ROLES.map((r) => `"${r}"`).join(", ")}` }),
  organization: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "a Pulumi organization name (letters, digits, '-', '_', '.')")
    .optional(),
  aws: awsAccount,
};

/** `connectivity`: the network account of one environment. */
export const connectivitySchema = z.strictObject({
  ...common,
  role: z.literal("connectivity"),
  hub: z.strictObject({
    amazonSideAsn: amazonAsn.optional(),
    segments: keyed(
      z.strictObject({
        isolated: z.boolean().optional(),
        reaches: z.array(z.string()).optional(),
        blackholes: z.array(z.string()).optional(),
      }),
    ),
    transitGatewayCidrBlocks: z
      .array(ruled(cidrRule({ version: 4, maxPrefix: 24 }, "a transit gateway CIDR block, /24 or larger")))
      .optional(),
  }),
  vpc: z.strictObject({ ...vpc, segment: z.string() }),
  vpn: z.strictObject({
    segment: z.string(),
    sites: keyed(vpnSite).refine((s) => Object.keys(s).length > 0, "at least one data center"),
  }),
  directConnect: z
    .strictObject({
      amazonSideAsn: amazonAsn,
      routerAsn: customerAsn,
      allowedPrefixes: nonEmpty(ruled(cidrRule({ version: 4 }, "an allowed prefix")), "allowed prefix"),
      connections: keyed(
        z.strictObject({
          connectionId: ruled((v) => dxIdProblem("connection", v)),
          location: z.string().min(1, "a Direct Connect location code such as EqDC2"),
          device: z.string().optional(),
          vlan: ruledNumber(vlanProblem),
        }),
      ),
      sites: keyed(
        z.strictObject({
          ipAddress: privateIp,
          bgpAsn: customerAsn,
          prefixes: nonEmpty(onPremPrefix, "on-premises CIDR"),
        }),
      ),
    })
    .optional(),
  branches: z
    .strictObject({
      amazonSideAsn: amazonAsn.optional(),
      sites: keyed(vpnSite.omit({ bandwidthGbps: true, accelerated: true })),
    })
    .optional(),
  clientVpn: z
    .strictObject({
      clientCidr: ruled(cidrRule({ version: 4, minPrefix: 12, maxPrefix: 22 }, "a client CIDR, /12 to /22")),
      serverCertificateArn: certificateArn,
      clientRootCertificateChainArn: certificateArn,
    })
    .optional(),
  workloads: keyed(
    z.strictObject({
      accountId,
      vpcCidr: ruled((v) => privateNetworkProblem(v, "a VPC CIDR")),
    }),
  ),
  onPremService: z.strictObject({
    port,
    targets: keyed(z.strictObject({ ip: privateIp, port: port.optional() })).refine(
      (t) => Object.keys(t).length > 0,
      "at least one on-premises target",
    ),
  }),
  /**
   * Who is told when the network breaks. `actions` (SNS topic ARNs) are paged when a VPN connection is down
   * (both tunnels), a site's tunnels carry less than its declared bandwidth, or a Direct Connect connection or
   * BGP session is down: required in production. `warningActions` hear of one tunnel down (AWS maintenance
   * takes one down routinely).
   */
  alarms: z
    .strictObject({
      actions: z.array(ruled(snsTopicArnProblem), { error: "a list of SNS topic ARNs" }).optional(),
      warningActions: z.array(ruled(snsTopicArnProblem), { error: "a list of SNS topic ARNs" }).optional(),
    })
    .optional(),
  /** The environment's intended flows, checked by `hybridnet plan` over the planned network (README "Flows"). */
  intents: keyed(
    z.strictObject({
      from: ruled(zoneRefProblem),
      to: ruled(zoneRefProblem),
      protocol: z.enum(["tcp", "udp", "icmp"], { error: 'one of "tcp", "udp", "icmp"' }).optional(),
      port: port.optional(),
      expect: z.enum(["allow", "deny"], { error: 'one of "allow", "deny"' }).optional(),
    }),
  ).optional(),
});

/** `workload`: one workload account of one environment. */
export const workloadSchema = z.strictObject({
  ...common,
  role: z.literal("workload"),
  vpc: z.strictObject(vpc),
  attachment: z
    .strictObject({
      segment: z.string(),
      /** Role in the network account that accepts the attachment and places it in its segment. */
      hubRoleArn: roleArn,
      destinations: z.array(ruled(cidrRule({ version: 4 }, "a destination"))).optional(),
    })
    .optional(),
  service: z.strictObject({
    port,
    targetPort: port.optional(),
    targets: keyed(z.strictObject({ ip: privateIp })).optional(),
  }),
});

export type ConnectivityConfig = z.infer<typeof connectivitySchema>;
export type WorkloadConfig = z.infer<typeof workloadSchema>;

/** Where a stack sits: its name, the account part and the environment, and what its name implies. */
export interface StackIdentity {
  stack: string;
  /** `connectivity`, `workload-app`. */
  account: string;
  env: string;
  prod: boolean;
  /** The workload's key (`app` of `workload-app-dev`); undefined for the connectivity stack. */
  workload?: string;
  organization: string;
}

export type StackSettings =
  | ({ role: "connectivity"; identity: StackIdentity } & { config: ConnectivityConfig })
  | ({ role: "workload"; identity: StackIdentity } & { config: WorkloadConfig });

const STACK_NAME = /^(connectivity|workload-([a-z0-9][a-z0-9-]*?))-([a-z][a-z0-9]*)$/;
const STACK_NAME_RULE =
  "a stack name <account>-<env>: connectivity-<env> or workload-<key>-<env> (lower case, e.g. workload-payments-prod)";

/** The stack name a connectivity stack of `env` has, and a workload's. */
export const connectivityStackName = (env: string) => `connectivity-${env}`;
export const workloadStackName = (workload: string, env: string) => `workload-${workload}-${env}`;
/** The name a StackReference resolves: `<organization>/hybridnet/<stack>`. */
export const qualifiedStackName = (organization: string, stack: string) =>
  `${organization}/${PROJECT}/${stack}`;

// ---------------------------------------------------------------------------------------------------
// Reading the config map

/**
 * The values under `hybridnet:` of a stack's config map as the Pulumi CLI hands it to a program (every value
 * a string; objects and lists as JSON text), parsed back to the YAML's structure. Top-level values are
 * strings or objects: a top-level string is kept as written (an account id keeps its leading zeros).
 */
export function namespaceValues(config: Record<string, string>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [full, text] of Object.entries(config)) {
    const at = full.indexOf(":");
    if (full.slice(0, at) !== CONFIG_NAMESPACE) continue;
    const name = full.slice(at + 1);
    const trimmed = typeof text === "string" ? text.trim() : text;
    if (typeof trimmed === "string" && (trimmed.startsWith("{") || trimmed.startsWith("[")))
      try {
        values[name] = JSON.parse(trimmed);
        continue;
      } catch {
        // Not JSON after all: the schema reports the text as it is.
      }
    values[name] = text;
  }
  return values;
}

/** A config path as users write it in `pulumi config --path`: `hybridnet:vpn.sites.dc1.prefixes[0]`. */
export function configPath(path: readonly PropertyKey[]): string {
  let text = "";
  path.forEach((part, i) => {
    if (i === 0) text = `${CONFIG_NAMESPACE}:${String(part)}`;
    else if (typeof part === "number") text += `[${part}]`;
    else text += `.${String(part)}`;
  });
  return text || `${CONFIG_NAMESPACE}:`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = data;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/**
 * Problems in the user's terms for zod's issues on `data`; `schema` (the one that raised them) names the
 * settings allowed where a key is unknown.
 */
/**
 * Setting names that hold a secret (a pre-shared key, a BGP key, a password): a value under such a name is
 * refused from plaintext stack config, and its error shows `[secret]`, never the value.
 */
const SECRET_NAME = /(preshared|psk|authkey|password|secret)/i;

/** `name` (the last part of a config path) names a secret. */
export function isSecretSettingName(name: PropertyKey): boolean {
  return SECRET_NAME.test(String(name));
}

export function problemsFromIssues(
  data: unknown,
  issues: readonly z.core.$ZodIssue[],
  schema?: z.ZodType,
): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path;
    if (issue.code === "unrecognized_keys") {
      const parent = valueAt(data, path);
      const allowed = schema ? allowedKeysAt(schema, path) : undefined;
      for (const name of issue.keys)
        problems.push({
          path: configPath([...path, name]),
          value: (parent as Record<string, unknown> | undefined)?.[name],
          allowed: `not a setting here${allowed ? `; the settings here are ${allowed}` : ""}`,
          // A key in plaintext config is refused, and must not be printed while being refused.
          ...(isSecretSettingName(name) ? { secret: true } : {}),
        });
      continue;
    }
    if (issue.code === "invalid_union") {
      problems.push({ path: configPath(path), value: valueAt(data, path), allowed: issue.message });
      continue;
    }
    problems.push({ path: configPath(path), value: valueAt(data, path), allowed: allowedFor(issue) });
  }
  return problems;
}

/** The keys `schema` allows at `path`, for an unknown-key message. */
function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string | undefined {
  let shape: z.ZodType | undefined = schema;
  for (const part of path) {
    const inner = unwrapped(shape);
    if (inner instanceof z.ZodObject) shape = (inner.shape as Record<string, z.ZodType>)[String(part)];
    else if (inner instanceof z.ZodRecord) shape = inner.valueType as z.ZodType;
    else return undefined;
  }
  const inner = unwrapped(shape);
  if (!(inner instanceof z.ZodObject)) return undefined;
  return Object.keys(inner.shape)
    .map((k) => (path.length === 0 ? `${CONFIG_NAMESPACE}:${k}` : k))
    .join(", ");
}

function unwrapped(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodPipe)
    current = current instanceof z.ZodOptional ? (current.unwrap() as z.ZodType) : (current.in as z.ZodType);
  return current;
}

function allowedFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.message && !issue.message.startsWith("Invalid input")) return issue.message;
      return issue.input === undefined
        ? `required: ${article(issue.expected)}`
        : `${article(issue.expected)}, not ${describe(issue.input)}`;
    case "invalid_value":
      if (issue.message && !issue.message.startsWith("Invalid")) return issue.message;
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
    case "too_big":
      if (issue.message && !issue.message.startsWith("Too ")) return issue.message;
      return issue.code === "too_small"
        ? `at least ${String(issue.minimum)}${issue.origin === "array" ? " entries" : ""}`
        : `at most ${String(issue.maximum)}${issue.origin === "array" ? " entries" : ""}`;
    case "invalid_format":
      return issue.message && !issue.message.startsWith("Invalid") ? issue.message : `a ${issue.format}`;
    case "invalid_key":
      return RESOURCE_KEY_RULE;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  const words: Record<string, string> = {
    string: "a string",
    number: "a number",
    int: "an integer",
    boolean: "true or false",
    object: "a map of settings",
    array: "a list",
    record: "a map keyed by name",
  };
  return words[expected] ?? expected;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a map" : `a ${typeof value}`;
}

// ---------------------------------------------------------------------------------------------------
// Rules across fields (after the shape is right)

function segmentKnown(problems: Problems, path: string, segment: string, segments: string[]): void {
  if (!segments.includes(segment))
    problems.add(
      path,
      segment,
      `not a segment of the hub; use one of ${segments.map((s) => JSON.stringify(s)).join(", ")}`,
    );
}

/** Zone ids of the stack's Region (`use1-az1` is a zone of us-east-1); a malformed id is checkVpcLayout's to report. */
function zonesInRegion(problems: Problems, path: string, zones: string[], region: string): void {
  zones.forEach((zone, i) => {
    if (!isZoneId(zone)) return;
    const problem = zoneIdProblem(zone, region);
    if (problem) problems.add(`${path}[${i}]`, zone, `${problem} (the stack's region, hybridnet:aws.region)`);
  });
}

function checkAccount(problems: Problems, account: { accountId: string; roleArn: string }): void {
  const roleAccount = roleArnAccount(account.roleArn);
  if (roleAccount !== account.accountId)
    problems.add(
      `${CONFIG_NAMESPACE}:aws.roleArn`,
      account.roleArn,
      `a role in the stack's account ${account.accountId} (hybridnet:aws.accountId); the provider refuses any other account`,
    );
}

function parseCidrs(values: readonly string[]): Cidr[] {
  return values.flatMap((v) => {
    const result = checkCidr(v);
    return "cidr" in result ? [result.cidr] : [];
  });
}

/**
 * The zones an intent names must exist in the environment's config: a misspelled site or segment would make
 * a deny intent pass vacuously.
 */
function intentZonesKnown(problems: Problems, c: ConnectivityConfig): void {
  const known: Record<string, string[]> = {
    site: [
      ...new Set([
        ...Object.keys(c.vpn.sites),
        ...Object.keys(c.directConnect?.sites ?? {}),
        ...Object.keys(c.branches?.sites ?? {}),
      ]),
    ].sort(),
    segment: Object.keys(c.hub.segments).sort(),
    workload: Object.keys(c.workloads).sort(),
    clients: c.clientVpn ? ["staff"] : [],
    service: [...Object.keys(c.workloads), "onprem"].sort(),
    aws: [...GATEWAY_SERVICES],
  };
  for (const [key, intent] of Object.entries(c.intents ?? {}))
    for (const end of ["from", "to"] as const) {
      const [kind, ...rest] = intent[end].split(":");
      const names = known[kind];
      const name = rest.join(":");
      if (names && !names.includes(name))
        problems.add(
          `${CONFIG_NAMESPACE}:intents.${key}.${end}`,
          intent[end],
          names.length > 0
            ? `a ${kind} of this environment: ${names.map((n) => `${kind}:${n}`).join(", ")}`
            : `this environment has no ${kind}`,
        );
    }
}

function connectivityRules(problems: Problems, c: ConnectivityConfig): void {
  const ns = CONFIG_NAMESPACE;
  checkAccount(problems, c.aws);
  const resolved = resolveSegments(problems, c.hub.segments, `${ns}:hub.segments`);
  const segments = Object.keys(resolved).length > 0 ? Object.keys(c.hub.segments) : [];
  if (segments.length > 0) {
    segmentKnown(problems, `${ns}:vpc.segment`, c.vpc.segment, segments);
    segmentKnown(problems, `${ns}:vpn.segment`, c.vpn.segment, segments);
  }
  checkVpcLayout(problems, `${ns}:vpc`, c.vpc);
  zonesInRegion(problems, `${ns}:vpc.availabilityZones`, c.vpc.availabilityZones, c.aws.region);
  intentZonesKnown(problems, c);

  // On-premises networks: the data centers', the branches' and the Client VPN's never overlap the hub VPC,
  // and the data centers' and branches' never overlap each other (one routing domain).
  const hubVpc = parseCidrs([c.vpc.cidr])[0];
  const onPrem: { name: string; cidr: Cidr }[] = [];
  const sources: [string, Record<string, { prefixes: string[] }> | undefined][] = [
    ["vpn.sites", c.vpn.sites],
    ["branches.sites", c.branches?.sites],
  ];
  for (const [path, sites] of sources)
    for (const [site, spec] of Object.entries(sites ?? {}))
      spec.prefixes.forEach((p, i) => {
        const [cidr] = parseCidrs([p]);
        if (cidr) onPrem.push({ name: `${ns}:${path}.${site}.prefixes[${i}]`, cidr });
      });
  for (const network of onPrem)
    if (hubVpc && cidrsOverlap(network.cidr, hubVpc))
      problems.add(
        network.name,
        network.cidr.text,
        `overlaps the connectivity VPC ${hubVpc.text} (hybridnet:vpc.cidr); on-premises networks are routed to it`,
      );
  // The same data center may announce a prefix over the internet VPN and over Direct Connect; across sites
  // and branches, an overlap is a routing conflict.
  const bySite = onPrem.filter((n) => !n.name.includes(":directConnect."));
  for (const { a, b } of findOverlaps(bySite))
    if (a.name.split(".prefixes")[0] !== b.name.split(".prefixes")[0])
      problems.add(
        b.name,
        b.cidr.text,
        `overlaps ${a.name} (${a.cidr.text}); on-premises networks are one routing domain`,
      );
  if (c.clientVpn) {
    const [client] = parseCidrs([c.clientVpn.clientCidr]);
    if (client && hubVpc && cidrsOverlap(client, hubVpc))
      problems.add(
        `${ns}:clientVpn.clientCidr`,
        c.clientVpn.clientCidr,
        `overlaps the connectivity VPC ${hubVpc.text}; clients need addresses of their own`,
      );
  }

  const amazonAsn = c.hub.amazonSideAsn ?? 64512;
  for (const [site, spec] of Object.entries(c.vpn.sites))
    if (spec.bgpAsn === amazonAsn)
      problems.add(
        `${ns}:vpn.sites.${site}.bgpAsn`,
        spec.bgpAsn,
        `equals the transit gateway's ASN ${amazonAsn} (hybridnet:hub.amazonSideAsn); a BGP session needs two different ASNs`,
      );
  if (c.directConnect) {
    const dx = c.directConnect;
    if (dx.amazonSideAsn === amazonAsn)
      problems.add(
        `${ns}:directConnect.amazonSideAsn`,
        dx.amazonSideAsn,
        `equals the transit gateway's ASN ${amazonAsn}; AWS refuses to associate gateways with one ASN`,
      );
    if (dx.routerAsn === dx.amazonSideAsn)
      problems.add(
        `${ns}:directConnect.routerAsn`,
        dx.routerAsn,
        "equals the Direct Connect gateway's ASN; a BGP session needs two different ASNs",
      );
    if (!c.hub.transitGatewayCidrBlocks?.length)
      problems.add(
        `${ns}:hub.transitGatewayCidrBlocks`,
        undefined,
        "a /24 (or larger) block for the private IP VPN over Direct Connect: AWS takes its outside addresses there",
      );
    if (Object.keys(dx.connections).length === 0)
      problems.add(
        `${ns}:directConnect.connections`,
        dx.connections,
        "at least one Direct Connect connection",
      );
    for (const site of Object.keys(dx.sites))
      if (!(site in c.vpn.sites))
        problems.add(
          `${ns}:directConnect.sites.${site}`,
          site,
          `a data center of hybridnet:vpn.sites (${Object.keys(c.vpn.sites).join(", ")}): Direct Connect is its primary path, the internet VPN its backup`,
        );
  }
  if (c.branches && Object.keys(c.branches.sites).length === 0)
    problems.add(
      `${ns}:branches.sites`,
      c.branches.sites,
      "at least one branch site (or leave hybridnet:branches out)",
    );
  if (Object.keys(c.workloads).length === 0)
    problems.add(`${ns}:workloads`, c.workloads, "at least one workload account of the environment");
  for (const [workload, spec] of Object.entries(c.workloads))
    if (spec.accountId === c.aws.accountId)
      problems.add(
        `${ns}:workloads.${workload}.accountId`,
        spec.accountId,
        "a workload account, not the network account itself (hybridnet:aws.accountId)",
      );
}

function workloadRules(problems: Problems, c: WorkloadConfig): void {
  const ns = CONFIG_NAMESPACE;
  checkAccount(problems, c.aws);
  checkVpcLayout(problems, `${ns}:vpc`, c.vpc);
  zonesInRegion(problems, `${ns}:vpc.availabilityZones`, c.vpc.availabilityZones, c.aws.region);
  if (c.attachment && roleArnAccount(c.attachment.hubRoleArn) === c.aws.accountId)
    problems.add(
      `${ns}:attachment.hubRoleArn`,
      c.attachment.hubRoleArn,
      "a role in the network account (the hub's owner accepts the attachment), not in this workload account",
    );
  const [vpcCidr] = parseCidrs([c.vpc.cidr]);
  for (const [target, spec] of Object.entries(c.service.targets ?? {})) {
    const [address] = parseCidrs([`${spec.ip}/32`]);
    if (address && vpcCidr && !cidrContains(vpcCidr, address))
      problems.add(
        `${ns}:service.targets.${target}.ip`,
        spec.ip,
        `an address in the workload VPC ${vpcCidr.text}: the service's targets live there`,
      );
  }
}

// ---------------------------------------------------------------------------------------------------
// The entry point

/** Names and values of one stack's identity, or the problems its name has. */
export function stackIdentity(stack: string, organization?: string): StackIdentity | Problem {
  const match = STACK_NAME.exec(stack);
  if (!match) return { path: "stack name", value: stack, allowed: STACK_NAME_RULE };
  const [, account, workload, env] = match;
  return {
    stack,
    account,
    env,
    prod: isProdEnvironment(env),
    ...(workload ? { workload } : {}),
    organization: organization ?? DEFAULT_ORGANIZATION,
  };
}

/**
 * Validates the config map of stack `stack` (the CLI's form: `hybridnet:vpc` → JSON text) and returns its typed
 * settings. Throws one ValidationError naming the stack with every problem: config path, value, what is allowed.
 */
export function parseStackConfig(stack: string, config: Record<string, string>): StackSettings {
  const raw = namespaceValues(config);
  const problems: Problem[] = [];
  const organization = typeof raw.organization === "string" ? raw.organization : undefined;
  const identity = stackIdentity(stack, organization);
  if (!("stack" in identity)) problems.push(identity);

  const role = raw.role;
  const schema =
    role === "connectivity" ? connectivitySchema : role === "workload" ? workloadSchema : undefined;
  if (!schema) {
    const roleIssues = z.object({ role: common.role }).safeParse({ role }).error?.issues ?? [];
    problems.push(...problemsFromIssues(raw, roleIssues));
    throw new ValidationError(stack, problems);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...problemsFromIssues(raw, parsed.error.issues, schema));
    throw new ValidationError(stack, problems);
  }
  const rules = new Problems();
  if (parsed.data.role === "connectivity") connectivityRules(rules, parsed.data);
  else workloadRules(rules, parsed.data);
  if ("stack" in identity && identity.prod && parsed.data.role === "connectivity")
    checkProdAlarmActions(rules, `${CONFIG_NAMESPACE}:alarms.actions`, parsed.data.alarms?.actions);
  if ("stack" in identity) {
    const expected = parsed.data.role === "connectivity" ? "connectivity" : "workload-<key>";
    if ((parsed.data.role === "connectivity") !== (identity.account === "connectivity"))
      rules.add(
        `${CONFIG_NAMESPACE}:role`,
        parsed.data.role,
        `the role of a stack named ${identity.account}-<env> is ${identity.account === "connectivity" ? '"connectivity"' : '"workload"'}; a ${parsed.data.role} stack is named ${expected}-<env>`,
      );
  }
  try {
    rules.throwIfAny(stack);
  } catch (e) {
    problems.push(...(e as ValidationError).problems);
  }
  if (problems.length > 0) throw new ValidationError(stack, problems);
  const id = identity as StackIdentity;
  return parsed.data.role === "connectivity"
    ? { role: "connectivity", identity: id, config: parsed.data }
    : { role: "workload", identity: id, config: parsed.data };
}

export { isProdEnvironment };
