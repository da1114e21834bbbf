/**
 * AWS Client VPN: the plan of an endpoint (client CIDR, authentication, target networks, authorization rules,
 * routes, connection logs) after checking every AWS rule that applies. Pure data in, pure data out; the
 * ClientVpn component turns a plan into resources.
 */
import { Validator } from "ip-num";
import { type Cidr, checkCidr, cidrContains, cidrsOverlap } from "./addressing";
import { acmCertificateArnProblem, samlProviderArnProblem } from "./arns";
import { Problems } from "./errors";
import { checkLogRetention } from "./logs";
import { checkResourceKeys } from "./names";
import { checkCidrList, checkVpcId } from "./privateLink";
import { type CheckedSubnet, checkZonalSubnets, type ZonalSubnet } from "./subnets";

/** Client VPN: "Client CIDR ranges must have a block size of at least /22 and must not be greater than /12." */
export const CLIENT_CIDR_PREFIX = [12, 22] as const;
/** Client VPN: maximum VPN session duration, in hours: 8, 10, 12 or 24 (AWS default 24). */
export const SessionTimeoutHours = { Hours8: 8, Hours10: 10, Hours12: 12, Hours24: 24 } as const;
/** Client VPN: maximum VPN session duration, in hours: 8, 10, 12 or 24 (AWS default 24). */
export type SessionTimeoutHours = (typeof SessionTimeoutHours)[keyof typeof SessionTimeoutHours];
/** Client VPN: the port the endpoint listens on, 443 or 1194 (AWS default 443). */
export const VpnPort = { Https: 443, OpenVpn: 1194 } as const;
/** Client VPN: the port the endpoint listens on, 443 or 1194 (AWS default 443). */
export type VpnPort = (typeof VpnPort)[keyof typeof VpnPort];
/** Client VPN: the transport of the VPN session, UDP or TCP (AWS default UDP). */
export const TransportProtocol = { Udp: "udp", Tcp: "tcp" } as const;
/** Client VPN: the transport of the VPN session, UDP or TCP (AWS default UDP). */
export type TransportProtocol = (typeof TransportProtocol)[keyof typeof TransportProtocol];

/** Client VPN: maximum VPN session duration, in hours: 8, 10, 12 or 24 (AWS default 24). */
export const SESSION_TIMEOUT_HOURS: readonly SessionTimeoutHours[] = Object.values(SessionTimeoutHours);
/** Client VPN: the endpoint listens on 443 or 1194 (AWS default 443). */
export const VPN_PORTS: readonly VpnPort[] = Object.values(VpnPort);
/** Client VPN: the VPN session runs over UDP or TCP (AWS default UDP). */
export const TRANSPORT_PROTOCOLS: readonly TransportProtocol[] = Object.values(TransportProtocol);
/** Client VPN: at most two DNS servers. */
export const MAX_DNS_SERVERS = 2;
/** Client VPN target networks: "The subnet must have a CIDR block with at least a /27 bitmask." */
export const MAX_TARGET_SUBNET_PREFIX = 27;
/** Client VPN quota: authorization rules per endpoint (adjustable). */
export const DEFAULT_AUTHORIZATION_RULE_QUOTA = 200;
/** Client VPN quota: routes per target network association (adjustable). */
export const DEFAULT_ROUTE_QUOTA = 100;
/** Client VPN: IdP group ids are at most 255 characters. */
export const MAX_GROUP_ID_LENGTH = 255;

/** How clients authenticate: mutual TLS or SAML federation, one of the two. */
export interface ClientAuthenticationSpec {
  /** Mutual TLS: clients present certificates issued by this root (or intermediate) CA. */
  mutualTls?: {
    /** ACM ARN of the client certificate chain's root CA. */
    clientRootCertificateChainArn: unknown;
  };
  /** SAML 2.0 federation. */
  saml?: {
    /** ARN of the IAM SAML identity provider. */
    samlProviderArn: unknown;
    /** ARN of the IAM SAML provider for the self-service portal. @default `samlProviderArn`. */
    selfServiceSamlProviderArn?: unknown;
  };
}

/** Who may reach which network once connected. */
export interface AuthorizationRuleSpec {
  /** Network the rule opens (IPv4 CIDR): a VPC CIDR, a network behind a route, or 0.0.0.0/0. */
  destination: string;
  /**
   * IdP group (SAML group attribute value) the rule applies to. Not with mutual TLS, which has no groups.
   * @default every authenticated client.
   */
  groupId?: string;
  /** Description (255 characters at most). */
  description?: string;
}

/** A route in the endpoint's route table, through every associated subnet. */
export interface RouteSpec {
  /** Destination (IPv4 CIDR): a peered VPC, an on-premises network, or 0.0.0.0/0 for the internet. */
  destination: string;
  /** Description (255 characters at most). */
  description?: string;
}

/** Connection logs in CloudWatch Logs. Always on. */
export interface ConnectionLogSpec {
  /** Days to keep the logs: a CloudWatch Logs retention value. @default 365. */
  retentionInDays?: number;
  /** KMS key ARN to encrypt the log group with. @default the CloudWatch Logs service key. */
  kmsKeyId?: unknown;
}

/** The arguments of a Client VPN endpoint that rules are checked on. */
export interface ClientVpnSpec {
  /** VPC of the target subnets. */
  vpcId: unknown;
  /** IPv4 CIDRs of that VPC: the client CIDR must not overlap them, and the subnets must lie in them. */
  vpcCidrs: string[];
  /** Addresses given to clients: an IPv4 CIDR of /12 to /22, overlapping neither the VPC nor any route. Fixed once created. */
  clientCidr: string;
  /** ACM ARN of the server certificate. */
  serverCertificateArn: unknown;
  /** Mutual TLS or SAML. */
  authentication: ClientAuthenticationSpec;
  /** Target subnets (network associations): one per Availability Zone, at least two zones, each /27 or larger. */
  subnets: ZonalSubnet[];
  /** Send only traffic for the endpoint's routes through the VPN. @default true. */
  splitTunnel?: boolean;
  /** "udp" or "tcp". @default "udp". */
  transportProtocol?: TransportProtocol;
  /** 443 or 1194. @default 443. */
  vpnPort?: VpnPort;
  /** Maximum session length in hours: 8, 10, 12 or 24. @default 24. */
  sessionTimeoutHours?: SessionTimeoutHours;
  /** End the session at the timeout instead of reconnecting. @default false. */
  disconnectOnSessionTimeout?: boolean;
  /** DNS servers for clients (at most two IPv4 addresses). @default the client device's own. */
  dnsServers?: string[];
  /** Self-service portal for downloading the client configuration (SAML only). @default false. */
  selfServicePortal?: boolean;
  /** Authorization rules, keyed by a stable name used in resource names. */
  authorizationRules: Record<string, AuthorizationRuleSpec>;
  /** Routes beyond the VPC's own (which AWS adds per associated subnet), keyed by a stable name. @default none. */
  routes?: Record<string, RouteSpec>;
  /** Connection logs. */
  connectionLogs?: ConnectionLogSpec;
  /** Your authorization-rules-per-endpoint quota, if raised above AWS's default of 200. @default 200. */
  authorizationRuleQuota?: number;
  /** Your routes-per-association quota, if raised above AWS's default of 100. @default 100. */
  routeQuota?: number;
  /** Description of the endpoint (255 characters at most). */
  description?: string;
}

export interface PlannedAuthorizationRule {
  key: string;
  destination: string;
  groupId?: string;
  description?: string;
}

export interface PlannedRoute {
  key: string;
  destination: string;
  description?: string;
}

export interface ClientVpnPlan {
  clientCidr: string;
  vpcCidrs: string[];
  subnets: CheckedSubnet[];
  authentication: "mutual-tls" | "saml";
  splitTunnel: boolean;
  transportProtocol: TransportProtocol;
  vpnPort: VpnPort;
  sessionTimeoutHours: SessionTimeoutHours;
  disconnectOnSessionTimeout: boolean;
  dnsServers: string[];
  selfServicePortal: boolean;
  authorizationRules: PlannedAuthorizationRule[];
  routes: PlannedRoute[];
  /** Networks the endpoint's security group may send to: every authorization rule's destination, sorted. */
  egressCidrs: string[];
  logRetentionInDays: number;
}

function checkDescription(problems: Problems, path: string, value: unknown): void {
  if (value !== undefined && (typeof value !== "string" || value.length > 255))
    problems.add(path, value, "a string of at most 255 characters");
}

function checkQuota(problems: Problems, path: string, value: unknown): void {
  if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 1))
    problems.add(path, value, "a positive integer: your account's quota");
}

/** The client CIDR: /12 to /22, outside the VPC's CIDRs. Undefined when it is not a valid CIDR. */
function checkClientCidr(problems: Problems, clientCidr: unknown, vpcCidrs: Cidr[]): Cidr | undefined {
  const result = checkCidr(clientCidr, {
    version: 4,
    minPrefix: CLIENT_CIDR_PREFIX[0],
    maxPrefix: CLIENT_CIDR_PREFIX[1],
  });
  if ("problem" in result) {
    problems.add(
      "clientCidr",
      clientCidr,
      `${result.problem}; Client VPN takes a client CIDR of /${CLIENT_CIDR_PREFIX[0]} to /${CLIENT_CIDR_PREFIX[1]}`,
    );
    return undefined;
  }
  const client = result.cidr;
  // Client VPN: the client CIDR cannot overlap the local CIDR of the VPC of the associated subnets.
  for (const [i, vpc] of vpcCidrs.entries())
    if (cidrsOverlap(vpc, client))
      problems.add(
        "clientCidr",
        clientCidr,
        `overlaps the VPC CIDR ${vpc.text} (vpcCidrs[${i}]); clients need addresses the VPC does not use`,
      );
  return client;
}

/** Target subnets: two zones or more, /27 or larger, inside the VPC's CIDRs. */
function checkTargetSubnets(problems: Problems, specs: ZonalSubnet[], vpcCidrs: Cidr[]): CheckedSubnet[] {
  const subnets = checkZonalSubnets(problems, "subnets", specs, {
    what: "a Client VPN endpoint",
    minZones: 2,
    cidrRequiredBecause: "Client VPN needs /27 or larger subnets inside the VPC, outside the client CIDR",
    maxPrefix: {
      prefix: MAX_TARGET_SUBNET_PREFIX,
      why: `too small; a Client VPN target subnet must be /${MAX_TARGET_SUBNET_PREFIX} or larger (and keep 20 addresses free)`,
    },
  });
  // Client VPN target networks cannot overlap the client CIDR: a subnet inside the VPC never does, once the
  // client CIDR stays outside the VPC.
  for (const subnet of subnets) {
    if (!subnet.cidr) continue;
    const at = `subnets[${subnet.index}].cidr`;
    if (vpcCidrs.length > 0 && !vpcCidrs.some((v) => cidrContains(v, subnet.cidr as Cidr)))
      problems.add(
        at,
        subnet.cidr.text,
        `not inside the VPC's CIDRs (${vpcCidrs.map((v) => v.text).join(", ")})`,
      );
  }
  return subnets;
}

/** Whether clients authenticate with mutual TLS only (which carries no groups and has no self-service portal). */
function mutualTlsOnly(auth: ClientAuthenticationSpec | undefined): boolean {
  return auth?.mutualTls !== undefined && auth?.saml === undefined;
}

/** The server certificate and exactly one way clients authenticate: mutual TLS or SAML. */
function checkAuthentication(problems: Problems, s: ClientVpnSpec): ClientVpnPlan["authentication"] {
  const auth = s.authentication;
  problems.addIf(
    "serverCertificateArn",
    s.serverCertificateArn,
    acmCertificateArnProblem(s.serverCertificateArn),
  );
  if (
    auth === null ||
    typeof auth !== "object" ||
    (auth.mutualTls === undefined) === (auth.saml === undefined)
  ) {
    problems.add(
      "authentication",
      auth,
      "exactly one of { mutualTls: { clientRootCertificateChainArn } } or { saml: { samlProviderArn } }",
    );
    return "mutual-tls";
  }
  if (auth.mutualTls !== undefined) {
    problems.addIf(
      "authentication.mutualTls.clientRootCertificateChainArn",
      auth.mutualTls?.clientRootCertificateChainArn,
      acmCertificateArnProblem(auth.mutualTls?.clientRootCertificateChainArn),
    );
    return "mutual-tls";
  }
  problems.addIf(
    "authentication.saml.samlProviderArn",
    auth.saml?.samlProviderArn,
    samlProviderArnProblem(auth.saml?.samlProviderArn),
  );
  if (auth.saml?.selfServiceSamlProviderArn !== undefined)
    problems.addIf(
      "authentication.saml.selfServiceSamlProviderArn",
      auth.saml.selfServiceSamlProviderArn,
      samlProviderArnProblem(auth.saml.selfServiceSamlProviderArn),
    );
  return "saml";
}

/** DNS servers clients use: at most two IPv4 addresses. */
function checkDnsServers(problems: Problems, servers: unknown[] | undefined): string[] {
  const dnsServers: string[] = [];
  if (servers === undefined) return dnsServers;
  if (!Array.isArray(servers) || servers.length > MAX_DNS_SERVERS)
    problems.add("dnsServers", servers, `at most ${MAX_DNS_SERVERS} IPv4 addresses`);
  else
    servers.forEach((d, i) => {
      if (typeof d !== "string" || !Validator.isValidIPv4String(d)[0])
        problems.add(`dnsServers[${i}]`, d, "an IPv4 address, e.g. the VPC resolver (VPC base + 2)");
      else dnsServers.push(d);
    });
  return dnsServers;
}

type SessionSettings = Pick<
  ClientVpnPlan,
  | "splitTunnel"
  | "transportProtocol"
  | "vpnPort"
  | "sessionTimeoutHours"
  | "disconnectOnSessionTimeout"
  | "dnsServers"
  | "selfServicePortal"
>;

/** Session settings (split tunnel, transport, port, timeout, DNS, self-service portal), descriptions and quotas. */
function checkSessionSettings(problems: Problems, s: ClientVpnSpec): SessionSettings {
  const splitTunnel = s.splitTunnel ?? true;
  if (typeof splitTunnel !== "boolean") problems.add("splitTunnel", splitTunnel, "true or false");
  const transportProtocol = s.transportProtocol ?? "udp";
  if (!TRANSPORT_PROTOCOLS.includes(transportProtocol))
    problems.add("transportProtocol", s.transportProtocol, 'one of "udp", "tcp"');
  const vpnPort = s.vpnPort ?? 443;
  if (!VPN_PORTS.includes(vpnPort)) problems.add("vpnPort", s.vpnPort, "443 or 1194");
  const sessionTimeoutHours = s.sessionTimeoutHours ?? 24;
  if (!SESSION_TIMEOUT_HOURS.includes(sessionTimeoutHours))
    problems.add(
      "sessionTimeoutHours",
      s.sessionTimeoutHours,
      `one of ${SESSION_TIMEOUT_HOURS.join(", ")} (hours)`,
    );
  const disconnect = s.disconnectOnSessionTimeout ?? false;
  if (typeof disconnect !== "boolean")
    problems.add("disconnectOnSessionTimeout", disconnect, "true or false");
  const dnsServers = checkDnsServers(problems, s.dnsServers);
  const selfServicePortal = s.selfServicePortal ?? false;
  if (typeof selfServicePortal !== "boolean")
    problems.add("selfServicePortal", selfServicePortal, "true or false");
  // Client VPN: "The self-service portal is not available for clients that authenticate using mutual authentication."
  else if (selfServicePortal && mutualTlsOnly(s.authentication))
    problems.add(
      "selfServicePortal",
      true,
      "only with SAML: the self-service portal is not available with mutual TLS",
    );
  checkDescription(problems, "description", s.description);
  checkQuota(problems, "authorizationRuleQuota", s.authorizationRuleQuota);
  checkQuota(problems, "routeQuota", s.routeQuota);
  checkLogRetention(problems, "connectionLogs.retentionInDays", s.connectionLogs?.retentionInDays);
  return {
    splitTunnel,
    transportProtocol,
    vpnPort,
    sessionTimeoutHours,
    disconnectOnSessionTimeout: disconnect,
    dnsServers,
    selfServicePortal,
  };
}

/**
 * The keys of a keyed map of rules in sorted order, within `quota`; undefined (with the problem) when `specs`
 * is not such a map, or, with `required`, is empty.
 */
function keyedSpecs(
  problems: Problems,
  path: string,
  specs: unknown,
  quota: { limit: number; what: string; rule: string },
  expected: string,
  required: boolean,
): string[] | undefined {
  if (
    specs === null ||
    typeof specs !== "object" ||
    Array.isArray(specs) ||
    (required && Object.keys(specs).length === 0)
  ) {
    problems.add(path, specs, expected);
    return undefined;
  }
  checkResourceKeys(problems, path, specs as Record<string, unknown>);
  const keys = Object.keys(specs).sort();
  if (keys.length > quota.limit) problems.add(path, `${keys.length} ${quota.what}`, quota.rule);
  return keys;
}

/** The IPv4 destination of the route or rule at `path`, or undefined (with the problem). */
function checkDestination(problems: Problems, path: string, destination: unknown): Cidr | undefined {
  const result = checkCidr(destination, { version: 4 });
  if ("problem" in result) {
    problems.add(`${path}.destination`, destination, result.problem);
    return undefined;
  }
  return result.cidr;
}

/** One route: a valid IPv4 destination, routed once, not the VPC's own CIDR, not inside the client CIDR. */
function checkRoute(
  problems: Problems,
  key: string,
  route: RouteSpec,
  vpcCidrs: Cidr[],
  client: Cidr | undefined,
  owner: Map<string, string>,
): PlannedRoute | undefined {
  const path = `routes.${key}`;
  if (route === null || typeof route !== "object") {
    problems.add(path, route, '{ destination: "10.10.0.0/16", description? }');
    return undefined;
  }
  checkDescription(problems, `${path}.description`, route.description);
  const dest = checkDestination(problems, path, route.destination);
  if (!dest) return undefined;
  const vpc = vpcCidrs.find((v) => v.text === dest.text);
  if (owner.has(dest.text))
    problems.add(
      `${path}.destination`,
      route.destination,
      `also routes.${owner.get(dest.text)}; route each destination once`,
    );
  else if (vpc)
    problems.add(
      `${path}.destination`,
      route.destination,
      "the VPC's own CIDR: AWS adds that route for every associated subnet; leave it out",
    );
  // Client VPN: the client CIDR cannot overlap a route you add. A wider route (0.0.0.0/0 for internet
  // access, a summary of on-premises networks) is AWS's own documented setup, so only routes inside the
  // client CIDR are refused.
  else if (client && cidrContains(client, dest))
    problems.add(
      `${path}.destination`,
      route.destination,
      `inside the client CIDR ${client.text}; routes lead away from the clients' own addresses`,
    );
  else {
    owner.set(dest.text, key);
    return {
      key,
      destination: dest.text,
      ...(route.description !== undefined ? { description: route.description } : {}),
    };
  }
  return undefined;
}

/** Routes, keyed by a stable name, within the route quota per target network association. */
function checkRoutes(
  problems: Problems,
  s: ClientVpnSpec,
  vpcCidrs: Cidr[],
  client: Cidr | undefined,
): PlannedRoute[] {
  const routeSpecs = s.routes ?? {};
  const quota = s.routeQuota ?? DEFAULT_ROUTE_QUOTA;
  const keys = keyedSpecs(
    problems,
    "routes",
    routeSpecs,
    {
      limit: quota,
      what: "routes",
      rule: `at most ${quota} routes per target network association (AWS default quota); raise the quota and set routeQuota`,
    },
    'routes keyed by a stable name: { onprem: { destination: "10.10.0.0/16" } }',
    false,
  );
  const owner = new Map<string, string>();
  return (keys ?? []).flatMap(
    (key) => checkRoute(problems, key, routeSpecs[key], vpcCidrs, client, owner) ?? [],
  );
}

/** One authorization rule: a group only with SAML, a valid destination, once per group, reachable by a route. */
function checkAuthorizationRule(
  problems: Problems,
  key: string,
  rule: AuthorizationRuleSpec,
  context: { auth: ClientAuthenticationSpec | undefined; vpcCidrs: Cidr[]; reachable: Cidr[] },
  owner: Map<string, string>,
): PlannedAuthorizationRule | undefined {
  const path = `authorizationRules.${key}`;
  if (rule === null || typeof rule !== "object") {
    problems.add(path, rule, '{ destination: "10.0.0.0/16", groupId?, description? }');
    return undefined;
  }
  checkDescription(problems, `${path}.description`, rule.description);
  if (rule.groupId !== undefined) {
    if (mutualTlsOnly(context.auth))
      problems.add(
        `${path}.groupId`,
        rule.groupId,
        "mutual TLS carries no groups; leave groupId out to authorize every client, or use SAML",
      );
    else if (
      typeof rule.groupId !== "string" ||
      rule.groupId.length === 0 ||
      rule.groupId.length > MAX_GROUP_ID_LENGTH
    )
      problems.add(`${path}.groupId`, rule.groupId, `the IdP group id: 1–${MAX_GROUP_ID_LENGTH} characters`);
  }
  const dest = checkDestination(problems, path, rule.destination);
  if (!dest) return undefined;
  const identity = `${dest.text} ${rule.groupId ?? "*"}`;
  if (owner.has(identity)) {
    problems.add(
      `${path}.destination`,
      rule.destination,
      `also authorizationRules.${owner.get(identity)} for the same ${rule.groupId ? "group" : "clients"}; authorize each once`,
    );
    return undefined;
  }
  owner.set(identity, key);
  const { vpcCidrs, reachable } = context;
  if (vpcCidrs.length > 0 && !reachable.some((r) => cidrsOverlap(r, dest)))
    problems.add(
      `${path}.destination`,
      rule.destination,
      `no route reaches it: it is outside the VPC (${vpcCidrs.map((v) => v.text).join(", ")}) and every route; add a route for it`,
    );
  return {
    key,
    destination: dest.text,
    ...(rule.groupId !== undefined ? { groupId: rule.groupId } : {}),
    ...(rule.description !== undefined ? { description: rule.description } : {}),
  };
}

/** Authorization rules: at least one (without one no client reaches anything), within the quota per endpoint. */
function checkAuthorizationRules(
  problems: Problems,
  s: ClientVpnSpec,
  vpcCidrs: Cidr[],
  routes: PlannedRoute[],
): PlannedAuthorizationRule[] {
  const ruleSpecs = s.authorizationRules;
  const quota = s.authorizationRuleQuota ?? DEFAULT_AUTHORIZATION_RULE_QUOTA;
  const keys = keyedSpecs(
    problems,
    "authorizationRules",
    ruleSpecs,
    {
      limit: quota,
      what: "rules",
      rule: `at most ${quota} authorization rules per endpoint (AWS default quota); raise the quota and set authorizationRuleQuota`,
    },
    'at least one rule, keyed by a stable name: { vpc: { destination: "10.0.0.0/16" } }; without one no client reaches anything',
    true,
  );
  const reachable = [
    ...vpcCidrs,
    ...routes.map((r) => checkCidr(r.destination) as { cidr: Cidr }).map((r) => r.cidr),
  ];
  const context = { auth: s.authentication, vpcCidrs, reachable };
  const owner = new Map<string, string>();
  return (keys ?? []).flatMap(
    (key) => checkAuthorizationRule(problems, key, ruleSpecs[key], context, owner) ?? [],
  );
}

/**
 * Plans a Client VPN endpoint. Collects every problem and throws one ValidationError naming `where`; returns
 * the plan only when all arguments are valid.
 */
export function planClientVpn(where: string, spec: ClientVpnSpec): ClientVpnPlan {
  const problems = new Problems();
  const s = (spec ?? {}) as ClientVpnSpec;
  checkVpcId(problems, s.vpcId, "the id of the VPC of the target subnets");
  const vpcCidrs = checkCidrList(problems, "vpcCidrs", s.vpcCidrs, "the VPC's CIDRs");
  if (s.vpcCidrs === undefined || (Array.isArray(s.vpcCidrs) && s.vpcCidrs.length === 0))
    problems.add("vpcCidrs", s.vpcCidrs, "the VPC's IPv4 CIDRs: the client CIDR must not overlap them");
  const client = checkClientCidr(problems, s.clientCidr, vpcCidrs);
  const subnets = checkTargetSubnets(problems, s.subnets, vpcCidrs);
  const authentication = checkAuthentication(problems, s);
  const session = checkSessionSettings(problems, s);
  const routes = checkRoutes(problems, s, vpcCidrs, client);
  const rules = checkAuthorizationRules(problems, s, vpcCidrs, routes);
  problems.throwIfAny(where);
  return {
    clientCidr: (client as Cidr).text,
    vpcCidrs: vpcCidrs.map((v) => v.text),
    subnets,
    authentication,
    ...session,
    authorizationRules: rules,
    routes,
    egressCidrs: [...new Set(rules.map((r) => r.destination))].sort(),
    logRetentionInDays: s.connectionLogs?.retentionInDays ?? 365,
  };
}
