/**
 * AWS PrivateLink, both sides: the plan of an endpoint service behind an internal Network Load Balancer
 * (listeners, target groups, health checks, the load balancer's security group rules, allowed principals,
 * acceptance, private DNS, cross-Region access) and the plan of an interface endpoint to a service. Every
 * AWS rule is checked before anything registers; the plan is plain data the components turn into resources.
 */
import { Validator } from "ip-num";
import { type Cidr, checkCidr } from "./addressing";
import { acmCertificateArnProblem, normalizePrincipal, PRINCIPAL_RULE } from "./arns";
import { FirstUse, Problems } from "./errors";
import { ec2IdProblem, regionProblem } from "./identifiers";
import { checkResourceKeys } from "./names";
import type {
  HealthCheckSpec,
  ListenerSpec,
  PrivateDnsSpec,
  PrivateLinkServiceSpec,
  TargetGroupSpec,
  TargetSpec,
} from "./privateLinkSpec";
import { portRuleKey } from "./securityGroups";
import { type CheckedSubnet, checkZonalSubnets, type ZonalSubnet, zoneProblem } from "./subnets";
import { isZoneId, zoneIdProblem } from "./zones";

export type * from "./privateLinkSpec";

// ---------------------------------------------------------------------------------------------------
// AWS rules

/** PrivateLink: a Network Load Balancer listener or target group protocol PrivateLink carries. */
export const ListenerProtocol = { Tcp: "TCP", Tls: "TLS", Udp: "UDP", TcpUdp: "TCP_UDP" } as const;
/** PrivateLink: a Network Load Balancer listener or target group protocol PrivateLink carries. */
export type ListenerProtocol = (typeof ListenerProtocol)[keyof typeof ListenerProtocol];
/**
 * Listener (and target group) protocols an endpoint service carries. TCP, and TLS (TCP with TLS ended at the
 * load balancer); and UDP, and TCP_UDP (TCP and UDP on one port): the AWS Networking & Content Delivery blog
 * "Accelerate IPv6 application migration with AWS PrivateLink and dual stack Network Load Balancers UDP
 * support" announces that PrivateLink carries UDP services ("You can now create VPC Endpoints to access
 * UDP-based VPC Endpoint Services, just like you access Transmission Control Protocol (TCP)-based services"),
 * replacing the PrivateLink guide's earlier "An endpoint service supports traffic only over TCP". The ELB API
 * (CreateListener) lists TCP, TLS, UDP and TCP_UDP for Network Load Balancers. Should AWS add more,
 * ListenerProtocol above is the one place to change.
 */
export const PRIVATELINK_LISTENER_PROTOCOLS: readonly ListenerProtocol[] = Object.values(ListenerProtocol);
/**
 * Network Load Balancer listener protocols PrivateLink is not known to carry: QUIC and TCP_QUIC. The UDP
 * announcement above names UDP services only, and no AWS text says an interface endpoint carries QUIC
 * listeners, so they stay refused rather than fail at deploy or silently drop traffic.
 */
const NOT_OVER_PRIVATELINK = ["QUIC", "TCP_QUIC"];
/** Security group protocols a listener or target group protocol needs: TCP_UDP needs both. */
export function ipProtocolsOf(protocol: ListenerProtocol): ("tcp" | "udp")[] {
  return protocol === "UDP" ? ["udp"] : protocol === "TCP_UDP" ? ["tcp", "udp"] : ["tcp"];
}
/**
 * ELB: the target group protocols a listener may forward to. A TLS listener forwards to TCP or TLS; a TCP, UDP or
 * TCP_UDP listener to a group of its own protocol ("A TCP_UDP listener must be associated with a TCP_UDP target
 * group").
 */
const TARGET_GROUP_PROTOCOLS_FOR: Record<ListenerProtocol, readonly ListenerProtocol[]> = {
  TCP: ["TCP"],
  TLS: ["TCP", "TLS"],
  UDP: ["UDP"],
  TCP_UDP: ["TCP_UDP"],
};
/** ELB: "AWS PrivateLink does not support Network Load Balancers with more than 50 listeners." */
export const MAX_PRIVATELINK_LISTENERS = 50;
/** A target type a Network Load Balancer target group takes (Lambda is for Application Load Balancers). */
export const TargetType = { Ip: "ip", Instance: "instance", Alb: "alb" } as const;
/** A target type a Network Load Balancer target group takes (Lambda is for Application Load Balancers). */
export type TargetType = (typeof TargetType)[keyof typeof TargetType];
/** Target types a Network Load Balancer target group takes (Lambda is for Application Load Balancers). */
export const TARGET_TYPES: readonly TargetType[] = Object.values(TargetType);
/**
 * Target group health checks of a Network Load Balancer: TCP, HTTP or HTTPS, for UDP and TCP_UDP target groups
 * too (ELB API, HealthCheckProtocol: "The GENEVE, TLS, UDP, and TCP_UDP protocols are not supported for health
 * checks").
 */
export const HealthCheckProtocol = { Tcp: "TCP", Http: "HTTP", Https: "HTTPS" } as const;
/** Network Load Balancer target group health check protocol: TCP, HTTP or HTTPS. */
export type HealthCheckProtocol = (typeof HealthCheckProtocol)[keyof typeof HealthCheckProtocol];
/** Network Load Balancer target group health check protocols: TCP, HTTP or HTTPS. */
export const HEALTH_CHECK_PROTOCOLS: readonly HealthCheckProtocol[] = Object.values(HealthCheckProtocol);
/** ELB target groups: health check interval 5–300 s. */
export const HEALTH_CHECK_INTERVAL = [5, 300] as const;
/** ELB target groups: health check timeout 2–120 s. */
export const HEALTH_CHECK_TIMEOUT = [2, 120] as const;
/** ELB target groups: healthy and unhealthy threshold counts 2–10. */
export const HEALTH_CHECK_THRESHOLD = [2, 10] as const;
/** ELB target groups: deregistration delay 0–3,600 s (AWS default 300). */
export const DEREGISTRATION_DELAY = [0, 3600] as const;
/** ELB security policy for TLS listeners when none is given: TLS 1.3 and 1.2, AWS's recommended policy. */
export const DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/**
 * ELB names (load balancers, target groups) are at most 32 characters; Pulumi names them `<resource name>-`
 * and 7 random characters, so a resource name may have at most 24.
 */
export const MAX_ELB_RESOURCE_NAME = 24;

/** What hybridnet registers when a health check setting is left out. */
export const HEALTH_CHECK_DEFAULTS = {
  protocol: "TCP" as HealthCheckProtocol,
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThreshold: 3,
  unhealthyThreshold: 3,
  path: "/",
  matcher: "200-399",
};

// ---------------------------------------------------------------------------------------------------
// Provider side: the endpoint service

export interface PlannedHealthCheck {
  protocol: HealthCheckProtocol;
  /** "traffic-port" or a port number. */
  port: "traffic-port" | number;
  path?: string;
  matcher?: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
}

export interface PlannedTargetGroup {
  key: string;
  port: number;
  protocol: ListenerProtocol;
  targetType: TargetType;
  healthCheck: PlannedHealthCheck;
  deregistrationDelaySeconds: number;
  proxyProtocolV2: boolean;
  /** Target keys, sorted. */
  targets: string[];
}

export interface PlannedListener {
  key: string;
  port: number;
  protocol: ListenerProtocol;
  targetGroup: string;
  sslPolicy?: string;
}

/** One security group rule: TCP or UDP on one port, to or from one CIDR. */
export interface PlannedPortRule {
  /** Stable resource-name fragment: `tcp-443-443-10-1-0-0-16`, `udp-53-53-10-1-0-0-16`. */
  key: string;
  protocol: "tcp" | "udp";
  port: number;
  cidr: string;
}

export interface PrivateLinkServicePlan {
  subnets: CheckedSubnet[];
  /** Where health checks (and PrivateLink traffic) reach the targets from: the load balancer's subnets. */
  healthCheckSourceCidrs: string[];
  targetGroups: PlannedTargetGroup[];
  listeners: PlannedListener[];
  enforceInboundRulesOnPrivateLinkTraffic: boolean;
  /** Inbound rules of the load balancer's security group: every listener port from every consumer CIDR. */
  ingress: PlannedPortRule[];
  /** Ports the load balancer sends to its targets on: traffic and health check ports, sorted. */
  targetPorts: number[];
  /**
   * The same with their protocol: udp for the traffic port of a UDP group, tcp and udp for a TCP_UDP one, tcp
   * for TCP and TLS groups and every health check port; sorted by port, then protocol.
   */
  targetProtocolPorts: { protocol: "tcp" | "udp"; port: number }[];
  /** Outbound rules to `targetCidrs`: every target port to every CIDR. */
  egress: PlannedPortRule[];
  /** Normalized principal ARNs, sorted (with "*" when every principal is allowed). */
  allowedPrincipals: string[];
  acceptanceRequired: boolean;
  /** Keys of `acceptEndpoints`, sorted. */
  acceptEndpoints: string[];
  privateDnsName?: string;
  consumerRegions: string[];
}

/** What is allowed instead of a listener or target group protocol PrivateLink does not carry. */
function protocolProblem(protocol: unknown): string {
  const allowed = PRIVATELINK_LISTENER_PROTOCOLS.map((p) => `"${p}"`).join(", ");
  return NOT_OVER_PRIVATELINK.includes(String(protocol))
    ? `${protocol} cannot be carried over PrivateLink (AWS documents TCP and UDP services only); use one of ${allowed}`
    : `one of ${allowed}`;
}

/** `protocol/port` strings as { protocol, port }, sorted by port, then protocol. */
function sortProtocolPorts(set: Set<string>): { protocol: "tcp" | "udp"; port: number }[] {
  return [...set]
    .map((x) => {
      const [protocol, port] = x.split("/");
      return { protocol: protocol as "tcp" | "udp", port: Number(port) };
    })
    .sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

/** A security group rule on one port from or to one CIDR; TCP keys are those of earlier versions. */
function portRule(protocol: "tcp" | "udp", port: number, cidr: Cidr): PlannedPortRule {
  return { key: portRuleKey({ protocol, fromPort: port }, cidr.text), protocol, port, cidr: cidr.text };
}

function isPortNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535;
}

function checkRange(
  problems: Problems,
  path: string,
  value: unknown,
  [lo, hi]: readonly [number, number],
): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi)
    problems.add(path, value, `an integer in ${lo}–${hi}`);
}

/** Checks a list of CIDRs; records problems under `path[i]`; returns the valid ones, canonical and unique. */
export function checkCidrList(
  problems: Problems,
  path: string,
  value: unknown,
  what: string,
  options: { refuseDefaultRoute?: string } = {},
): Cidr[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.add(path, value, `a list of IPv4 CIDRs (${what})`);
    return [];
  }
  const out: Cidr[] = [];
  const seen = new Set<string>();
  value.forEach((c, i) => {
    const result = checkCidr(c, { version: 4 });
    if ("problem" in result) problems.add(`${path}[${i}]`, c, result.problem);
    else if (seen.has(result.cidr.text))
      problems.add(`${path}[${i}]`, c, "listed twice; list each CIDR once");
    else if (options.refuseDefaultRoute && result.cidr.prefix === 0)
      problems.add(`${path}[${i}]`, c, options.refuseDefaultRoute);
    else {
      seen.add(result.cidr.text);
      out.push(result.cidr);
    }
  });
  return out;
}

/** A required VPC id (`vpc-...`, or an Output of one) at `vpcId`; `what` says which VPC when it is missing. */
export function checkVpcId(problems: Problems, vpcId: unknown, what: string): void {
  if (vpcId === undefined || vpcId === null || vpcId === "") problems.add("vpcId", vpcId, what);
  else problems.addIf("vpcId", vpcId, ec2IdProblem("vpc", vpcId));
}

/** Why `value` cannot be a DNS domain name for private DNS, or undefined. */
export function domainNameProblem(value: unknown): string | undefined {
  const rule =
    'a domain name such as "api.example.com": labels of letters, digits and "-" (not at either end), at most 63 characters each and 255 in all';
  if (typeof value !== "string" || value.length > 255 || value.endsWith(".")) return rule;
  const labels = value.toLowerCase().split(".");
  if (labels.length < 2) return rule;
  const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
  if (!labels.every((l, i) => label.test(l) || (i === 0 && l === "*"))) return rule;
  return undefined;
}

/** Route 53: hosted zone ids are "Z" and up to 32 upper-case letters and digits. */
export function hostedZoneIdProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  if (!/^Z[A-Z0-9]{1,32}$/.test(value))
    return 'a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ", or an Output of one';
  return undefined;
}

/** Why `name` cannot prefix the names of load balancers and target groups, or undefined. */
function elbNameProblem(resourceName: string): string | undefined {
  if (
    !/^[A-Za-z0-9](?:[A-Za-z0-9-]*)$/.test(resourceName) ||
    resourceName.toLowerCase().startsWith("internal-")
  )
    return `names the load balancer and target groups, so only letters, digits and "-", not starting with "-" or "internal-"`;
  if (resourceName.length > MAX_ELB_RESOURCE_NAME)
    return `"${resourceName}" names a load balancer or target group, whose names AWS caps at 32 characters (${MAX_ELB_RESOURCE_NAME} plus Pulumi's random suffix); shorten the component name or key`;
  return undefined;
}

function checkHealthCheck(
  problems: Problems,
  path: string,
  spec: HealthCheckSpec | undefined,
  targetType: TargetType,
): PlannedHealthCheck {
  const hc = spec ?? {};
  if (spec !== undefined && (spec === null || typeof spec !== "object"))
    problems.add(path, spec, "a health check: { protocol, port, path, intervalSeconds, ... }");
  const protocol = hc.protocol ?? (targetType === "alb" ? "HTTP" : HEALTH_CHECK_DEFAULTS.protocol);
  if (!HEALTH_CHECK_PROTOCOLS.includes(protocol))
    problems.add(
      `${path}.protocol`,
      hc.protocol,
      String(protocol) === "UDP"
        ? `one of ${HEALTH_CHECK_PROTOCOLS.join(", ")}: a Network Load Balancer cannot check health over UDP, so a UDP service is checked over TCP, HTTP or HTTPS`
        : `one of ${HEALTH_CHECK_PROTOCOLS.join(", ")}`,
    );
  // ELB: an Application Load Balancer target is checked over HTTP or HTTPS.
  else if (targetType === "alb" && protocol === "TCP")
    problems.add(`${path}.protocol`, protocol, 'an "alb" target is checked over "HTTP" or "HTTPS"');
  if (hc.port !== undefined && !isPortNumber(hc.port))
    problems.add(`${path}.port`, hc.port, "a port in 1–65535 (leave it out for the traffic port)");
  const isHttp = protocol === "HTTP" || protocol === "HTTPS";
  if (hc.path !== undefined) {
    if (!isHttp) problems.add(`${path}.path`, hc.path, 'only for "HTTP" and "HTTPS" health checks');
    else if (typeof hc.path !== "string" || !hc.path.startsWith("/") || hc.path.length > 1024)
      problems.add(`${path}.path`, hc.path, 'a path starting with "/", at most 1,024 characters');
  }
  if (hc.matcher !== undefined) {
    // ELB: a Network Load Balancer's HTTP(S) health check takes codes 200–599, single, listed or ranges.
    const codes = /^[2-5]\d\d(?:-[2-5]\d\d)?(?:,[2-5]\d\d(?:-[2-5]\d\d)?)*$/;
    if (!isHttp) problems.add(`${path}.matcher`, hc.matcher, 'only for "HTTP" and "HTTPS" health checks');
    else if (typeof hc.matcher !== "string" || !codes.test(hc.matcher))
      problems.add(`${path}.matcher`, hc.matcher, 'HTTP codes in 200–599: "200", "200,204" or "200-399"');
  }
  checkRange(problems, `${path}.intervalSeconds`, hc.intervalSeconds, HEALTH_CHECK_INTERVAL);
  checkRange(problems, `${path}.timeoutSeconds`, hc.timeoutSeconds, HEALTH_CHECK_TIMEOUT);
  checkRange(problems, `${path}.healthyThreshold`, hc.healthyThreshold, HEALTH_CHECK_THRESHOLD);
  checkRange(problems, `${path}.unhealthyThreshold`, hc.unhealthyThreshold, HEALTH_CHECK_THRESHOLD);
  const intervalSeconds = hc.intervalSeconds ?? HEALTH_CHECK_DEFAULTS.intervalSeconds;
  const timeoutSeconds = hc.timeoutSeconds ?? HEALTH_CHECK_DEFAULTS.timeoutSeconds;
  // ELB: a check must time out before the next one starts.
  if (
    typeof intervalSeconds === "number" &&
    typeof timeoutSeconds === "number" &&
    timeoutSeconds >= intervalSeconds
  )
    problems.add(`${path}.timeoutSeconds`, timeoutSeconds, `less than the interval (${intervalSeconds} s)`);
  return {
    protocol,
    port: hc.port ?? "traffic-port",
    ...(isHttp
      ? { path: hc.path ?? HEALTH_CHECK_DEFAULTS.path, matcher: hc.matcher ?? HEALTH_CHECK_DEFAULTS.matcher }
      : {}),
    intervalSeconds,
    timeoutSeconds,
    healthyThreshold: hc.healthyThreshold ?? HEALTH_CHECK_DEFAULTS.healthyThreshold,
    unhealthyThreshold: hc.unhealthyThreshold ?? HEALTH_CHECK_DEFAULTS.unhealthyThreshold,
  };
}

function checkTarget(
  problems: Problems,
  path: string,
  target: TargetSpec,
  targetType: TargetType,
): number | undefined {
  if (target === null || typeof target !== "object") {
    problems.add(path, target, "a target: { id, port?, availabilityZone? }");
    return undefined;
  }
  const id = target.id;
  if (id === undefined || id === null || id === "")
    problems.add(
      `${path}.id`,
      id,
      `the target: ${targetType === "ip" ? "an IPv4 address" : targetType === "instance" ? "an instance id" : "an Application Load Balancer ARN"}, or an Output of one`,
    );
  else if (typeof id === "string") {
    if (targetType === "ip" && !Validator.isValidIPv4String(id)[0])
      problems.add(`${path}.id`, id, 'an IPv4 address (the target group\'s targetType is "ip")');
    if (targetType === "instance" && ec2IdProblem("i", id))
      problems.add(
        `${path}.id`,
        id,
        'an instance id, "i-" and 8 or 17 hexadecimal digits (the target group\'s targetType is "instance")',
      );
    if (
      targetType === "alb" &&
      !/^arn:aws(?:-cn|-us-gov)?:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\//.test(id)
    )
      problems.add(
        `${path}.id`,
        id,
        'an Application Load Balancer ARN (the target group\'s targetType is "alb")',
      );
  }
  if (target.port !== undefined && !isPortNumber(target.port))
    problems.add(`${path}.port`, target.port, "a port in 1–65535");
  if (target.availabilityZone !== undefined) {
    if (targetType !== "ip")
      problems.add(`${path}.availabilityZone`, target.availabilityZone, 'only for "ip" targets');
    else if (target.availabilityZone !== "all" && zoneProblem(target.availabilityZone))
      problems.add(
        `${path}.availabilityZone`,
        target.availabilityZone,
        `"all" for an address outside the VPC, or ${zoneProblem(target.availabilityZone)}`,
      );
  }
  return isPortNumber(target.port) ? target.port : undefined;
}

/** Target ports the load balancer's security group sends to, as plain ports and as `<protocol>/<port>`. */
class TargetPorts {
  readonly ports = new Set<number>();
  readonly protocolPorts = new Set<string>();
  add(port: number, protocols: ("tcp" | "udp")[]): void {
    this.ports.add(port);
    for (const p of protocols) this.protocolPorts.add(`${p}/${port}`);
  }
}

/** One target group: its protocol, target type, health check, options and targets; adds its ports. */
function checkTargetGroup(
  problems: Problems,
  name: string,
  key: string,
  tg: TargetGroupSpec,
  ports: TargetPorts,
): PlannedTargetGroup | undefined {
  const path = `targetGroups.${key}`;
  if (tg === null || typeof tg !== "object") {
    problems.add(path, tg, "a target group: { port, protocol?, targetType?, healthCheck?, targets? }");
    return undefined;
  }
  problems.addIf(path, key, elbNameProblem(`${name}-${key}`));
  if (!isPortNumber(tg.port))
    problems.add(`${path}.port`, tg.port, "the port the targets receive traffic on: 1–65535");
  const protocol = tg.protocol ?? "TCP";
  if (!PRIVATELINK_LISTENER_PROTOCOLS.includes(protocol))
    problems.add(`${path}.protocol`, tg.protocol, protocolProblem(protocol));
  const targetType = tg.targetType ?? "ip";
  if (!TARGET_TYPES.includes(targetType))
    problems.add(
      `${path}.targetType`,
      tg.targetType,
      `one of ${TARGET_TYPES.map((t) => `"${t}"`).join(", ")}`,
    );
  // ELB: an Application Load Balancer as a target takes TCP only.
  else if (targetType === "alb" && protocol !== "TCP")
    problems.add(`${path}.protocol`, protocol, 'an "alb" target group takes "TCP" only');
  const healthCheck = checkHealthCheck(problems, `${path}.healthCheck`, tg.healthCheck, targetType);
  const trafficProtocols = PRIVATELINK_LISTENER_PROTOCOLS.includes(protocol) ? ipProtocolsOf(protocol) : [];
  checkRange(
    problems,
    `${path}.deregistrationDelaySeconds`,
    tg.deregistrationDelaySeconds,
    DEREGISTRATION_DELAY,
  );
  if (tg.proxyProtocolV2 !== undefined && typeof tg.proxyProtocolV2 !== "boolean")
    problems.add(`${path}.proxyProtocolV2`, tg.proxyProtocolV2, "true or false");
  const targets = tg.targets ?? {};
  if (targets === null || typeof targets !== "object")
    problems.add(`${path}.targets`, targets, "targets keyed by a stable name");
  else checkResourceKeys(problems, `${path}.targets`, targets);
  for (const [targetKey, target] of Object.entries(targets ?? {})) {
    const port = checkTarget(problems, `${path}.targets.${targetKey}`, target, targetType);
    if (port !== undefined) ports.add(port, trafficProtocols);
  }
  if (isPortNumber(tg.port)) ports.add(tg.port, trafficProtocols);
  // Health checks are TCP, HTTP or HTTPS: tcp on the health check port, the traffic port by default.
  const healthPort = healthCheck.port === "traffic-port" ? tg.port : healthCheck.port;
  if (isPortNumber(healthPort)) ports.add(healthPort, ["tcp"]);
  return {
    key,
    port: tg.port,
    protocol,
    targetType,
    healthCheck,
    deregistrationDelaySeconds: tg.deregistrationDelaySeconds ?? 300,
    proxyProtocolV2: tg.proxyProtocolV2 ?? false,
    targets: Object.keys(targets ?? {}).sort(),
  };
}

/** Target groups: at least one, each checked by {@link checkTargetGroup}, in key order. */
function checkTargetGroups(
  problems: Problems,
  name: string,
  groups: PrivateLinkServiceSpec["targetGroups"],
  ports: TargetPorts,
): PlannedTargetGroup[] {
  if (groups === null || typeof groups !== "object" || Object.keys(groups).length === 0) {
    problems.add(
      "targetGroups",
      groups,
      "at least one target group, keyed by a stable name: { app: { port: 8443 } }",
    );
    return [];
  }
  checkResourceKeys(problems, "targetGroups", groups);
  return Object.keys(groups)
    .sort()
    .flatMap((key) => checkTargetGroup(problems, name, key, groups[key], ports) ?? []);
}

/** A listener's TLS settings: a certificate and security policy on a TLS listener, and on no other. */
function checkListenerTls(
  problems: Problems,
  path: string,
  l: ListenerSpec,
  protocol: ListenerProtocol,
): void {
  if (protocol === "TLS")
    problems.addIf(`${path}.certificateArn`, l.certificateArn, acmCertificateArnProblem(l.certificateArn));
  else if (l.certificateArn !== undefined)
    problems.add(
      `${path}.certificateArn`,
      "(given)",
      protocol === "TCP"
        ? 'only for a "TLS" listener; a "TCP" listener passes TLS through to the targets'
        : 'only for a "TLS" listener (TLS runs over TCP only)',
    );
  if (l.sslPolicy !== undefined) {
    if (protocol !== "TLS") problems.add(`${path}.sslPolicy`, l.sslPolicy, 'only for a "TLS" listener');
    else if (typeof l.sslPolicy !== "string" || !/^ELBSecurityPolicy-[A-Za-z0-9-]+$/.test(l.sslPolicy))
      problems.add(
        `${path}.sslPolicy`,
        l.sslPolicy,
        `an ELB security policy name such as "${DEFAULT_TLS_POLICY}"`,
      );
  }
}

/** A listener's target group: one of `targetGroups`, of a protocol the listener's protocol forwards to. */
function checkListenerTarget(
  problems: Problems,
  path: string,
  l: ListenerSpec,
  protocol: ListenerProtocol,
  groups: PrivateLinkServiceSpec["targetGroups"],
  targetGroups: PlannedTargetGroup[],
): void {
  const group = targetGroups.find((g) => g.key === l.targetGroup);
  if (typeof l.targetGroup !== "string" || !(l.targetGroup in (groups ?? {})))
    problems.add(
      `${path}.targetGroup`,
      l.targetGroup,
      `the key of a target group in targetGroups (${Object.keys(groups ?? {}).join(", ") || "none given"})`,
    );
  // ELB: a TCP listener forwards to a TCP target group; a TLS listener to a TCP or TLS one; UDP and
  // TCP_UDP listeners to a group of their own protocol.
  else if (group && protocol === "TCP" && group.protocol === "TLS")
    problems.add(
      `${path}.protocol`,
      protocol,
      `targetGroups.${group.key} is "TLS", which needs a "TLS" listener`,
    );
  else if (
    group &&
    PRIVATELINK_LISTENER_PROTOCOLS.includes(protocol) &&
    PRIVATELINK_LISTENER_PROTOCOLS.includes(group.protocol) &&
    !TARGET_GROUP_PROTOCOLS_FOR[protocol].includes(group.protocol)
  )
    problems.add(
      `${path}.protocol`,
      protocol,
      `targetGroups.${group.key} is "${group.protocol}"; a "${protocol}" listener forwards to a ${TARGET_GROUP_PROTOCOLS_FOR[protocol].map((p) => `"${p}"`).join(" or ")} target group`,
    );
}

/** Listeners: at least one and at most 50 (PrivateLink's limit), one per port, each with a valid target group. */
function checkListeners(
  problems: Problems,
  listenerSpecs: PrivateLinkServiceSpec["listeners"],
  groups: PrivateLinkServiceSpec["targetGroups"],
  targetGroups: PlannedTargetGroup[],
): PlannedListener[] {
  if (
    listenerSpecs === null ||
    typeof listenerSpecs !== "object" ||
    Object.keys(listenerSpecs).length === 0
  ) {
    problems.add(
      "listeners",
      listenerSpecs,
      'at least one listener, keyed by a stable name: { https: { port: 443, targetGroup: "app" } }',
    );
    return [];
  }
  checkResourceKeys(problems, "listeners", listenerSpecs);
  const keys = Object.keys(listenerSpecs).sort();
  if (keys.length > MAX_PRIVATELINK_LISTENERS)
    problems.add(
      "listeners",
      `${keys.length} listeners`,
      `at most ${MAX_PRIVATELINK_LISTENERS}: PrivateLink does not support a Network Load Balancer with more`,
    );
  const portOwner = new FirstUse<number>();
  const listeners: PlannedListener[] = [];
  for (const key of keys) {
    const path = `listeners.${key}`;
    const l = listenerSpecs[key];
    if (l === null || typeof l !== "object") {
      problems.add(path, l, "a listener: { port, protocol?, targetGroup, certificateArn? }");
      continue;
    }
    if (!isPortNumber(l.port)) problems.add(`${path}.port`, l.port, "the port consumers connect to: 1–65535");
    else {
      const owner = portOwner.claim(l.port, key);
      if (owner)
        problems.add(`${path}.port`, l.port, `also the port of listeners.${owner}; one listener per port`);
    }
    const protocol = l.protocol ?? "TCP";
    if (!PRIVATELINK_LISTENER_PROTOCOLS.includes(protocol))
      problems.add(`${path}.protocol`, l.protocol, protocolProblem(protocol));
    checkListenerTls(problems, path, l, protocol);
    checkListenerTarget(problems, path, l, protocol, groups, targetGroups);
    listeners.push({
      key,
      port: l.port,
      protocol,
      targetGroup: l.targetGroup,
      ...(protocol === "TLS" ? { sslPolicy: l.sslPolicy ?? DEFAULT_TLS_POLICY } : {}),
    });
  }
  return listeners;
}

/** The load balancer's security group rules: consumers in on the listener ports, out to the targets' ports. */
type LoadBalancerRules = Pick<
  PrivateLinkServicePlan,
  "enforceInboundRulesOnPrivateLinkTraffic" | "ingress" | "targetPorts" | "targetProtocolPorts" | "egress"
>;

/**
 * The load balancer's security group: consumer networks (required while inbound rules are enforced on
 * PrivateLink traffic), where the targets are (CIDRs or a security group), and the rules between them.
 */
function planLoadBalancerRules(
  problems: Problems,
  s: PrivateLinkServiceSpec,
  listeners: PlannedListener[],
  ports: TargetPorts,
): LoadBalancerRules {
  const enforce = s.enforceInboundRulesOnPrivateLinkTraffic ?? true;
  if (typeof enforce !== "boolean")
    problems.add("enforceInboundRulesOnPrivateLinkTraffic", enforce, "true or false");
  const consumers = checkCidrList(problems, "consumerCidrs", s.consumerCidrs, "consumer networks", {
    refuseDefaultRoute:
      "admits every address; list the consumers' networks, or set enforceInboundRulesOnPrivateLinkTraffic: false to leave access to allowed principals and acceptance",
  });
  if (
    enforce === true &&
    consumers.length === 0 &&
    (s.consumerCidrs === undefined || (Array.isArray(s.consumerCidrs) && s.consumerCidrs.length === 0))
  )
    problems.add(
      "consumerCidrs",
      s.consumerCidrs,
      "the consumer networks to admit on the listener ports: with inbound rules enforced on PrivateLink traffic (the default) nothing else reaches the listeners",
    );
  const targetCidrs = checkCidrList(problems, "targetCidrs", s.targetCidrs, "networks the targets are in", {
    refuseDefaultRoute: "sends to every address; list the networks the targets are in",
  });
  if (s.targetSecurityGroupId !== undefined)
    problems.addIf(
      "targetSecurityGroupId",
      s.targetSecurityGroupId,
      ec2IdProblem("sg", s.targetSecurityGroupId),
    );
  const noTargetCidrs =
    s.targetCidrs === undefined || (Array.isArray(s.targetCidrs) && s.targetCidrs.length === 0);
  if (noTargetCidrs && s.targetSecurityGroupId === undefined)
    problems.add(
      "targetCidrs",
      undefined,
      "where the targets are, as targetCidrs or targetSecurityGroupId: the load balancer's security group sends traffic and health checks only there",
    );
  const listenerPorts = sortProtocolPorts(
    new Set(
      listeners.flatMap((l) =>
        isPortNumber(l.port) && PRIVATELINK_LISTENER_PROTOCOLS.includes(l.protocol)
          ? ipProtocolsOf(l.protocol).map((p) => `${p}/${l.port}`)
          : [],
      ),
    ),
  );
  const targetProtocolPorts = sortProtocolPorts(ports.protocolPorts);
  return {
    enforceInboundRulesOnPrivateLinkTraffic: enforce,
    ingress: listenerPorts.flatMap((p) => consumers.map((c) => portRule(p.protocol, p.port, c))),
    targetPorts: [...ports.ports].sort((a, b) => a - b),
    targetProtocolPorts,
    egress: targetProtocolPorts.flatMap((p) => targetCidrs.map((c) => portRule(p.protocol, p.port, c))),
  };
}

/** Principals allowed to find and connect: each once, "*" only with `allowAnyPrincipal`. */
function checkAllowedPrincipals(problems: Problems, s: PrivateLinkServiceSpec): string[] {
  const principals = new Set<string>();
  const allowAny = s.allowAnyPrincipal ?? false;
  if (typeof allowAny !== "boolean") problems.add("allowAnyPrincipal", allowAny, "true or false");
  if (s.allowedPrincipals !== undefined && !Array.isArray(s.allowedPrincipals))
    problems.add("allowedPrincipals", s.allowedPrincipals, `a list of principals: ${PRINCIPAL_RULE}`);
  (Array.isArray(s.allowedPrincipals) ? s.allowedPrincipals : []).forEach((p, i) => {
    const at = `allowedPrincipals[${i}]`;
    if (p === "*") {
      if (allowAny !== true)
        problems.add(
          at,
          p,
          "the wildcard lets every AWS account find and request your service; name the principals, or set allowAnyPrincipal: true to mean it",
        );
      else principals.add("*");
      return;
    }
    const result = normalizePrincipal(p);
    if ("problem" in result) problems.add(at, p, result.problem);
    else if (principals.has(result.arn))
      problems.add(at, p, `${result.arn} is listed twice; list each principal once`);
    else principals.add(result.arn);
  });
  if (allowAny === true) principals.add("*");
  return [...principals].sort();
}

/** Acceptance: required unless no principal is a wildcard; the endpoints to accept, each once. */
function checkAcceptance(
  problems: Problems,
  s: PrivateLinkServiceSpec,
): Pick<PrivateLinkServicePlan, "acceptanceRequired" | "acceptEndpoints"> {
  const acceptanceRequired = s.acceptanceRequired ?? true;
  if (typeof acceptanceRequired !== "boolean")
    problems.add("acceptanceRequired", acceptanceRequired, "true or false");
  else if (s.allowAnyPrincipal === true && !acceptanceRequired)
    problems.add(
      "acceptanceRequired",
      false,
      "with every principal allowed, any AWS account could connect unreviewed; keep acceptanceRequired true and accept the endpoints you know",
    );
  const accept = s.acceptEndpoints ?? {};
  if (accept === null || typeof accept !== "object" || Array.isArray(accept))
    problems.add(
      "acceptEndpoints",
      accept,
      'endpoint ids keyed by a stable name: { payments: "vpce-0123456789abcdef0" }',
    );
  else {
    checkResourceKeys(problems, "acceptEndpoints", accept);
    const idOwner = new FirstUse<string>();
    for (const [key, id] of Object.entries(accept)) {
      const at = `acceptEndpoints.${key}`;
      if (id === undefined || id === null || id === "")
        problems.add(at, id, "the id of the interface endpoint to accept (vpce-...), or an Output of one");
      else problems.addIf(at, id, ec2IdProblem("vpce", id));
      if (typeof id === "string") {
        const owner = idOwner.claim(id, key);
        if (owner) problems.add(at, id, `also acceptEndpoints.${owner}; accept each endpoint once`);
      }
    }
    if (acceptanceRequired === false && Object.keys(accept).length > 0)
      problems.add(
        "acceptEndpoints",
        Object.keys(accept).sort(),
        "acceptanceRequired is false, so AWS accepts every connection itself; remove acceptEndpoints or require acceptance",
      );
  }
  return { acceptanceRequired, acceptEndpoints: Object.keys(accept).sort() };
}

/** The private DNS name, lower-cased, when it is a valid domain name; its hosted zone and verification wait. */
function checkPrivateDns(problems: Problems, dns: PrivateDnsSpec | undefined): string | undefined {
  if (dns === undefined) return undefined;
  if (dns === null || typeof dns !== "object") {
    problems.add("privateDns", dns, '{ name: "api.example.com", hostedZoneId? }');
    return undefined;
  }
  const bad = domainNameProblem(dns.name);
  problems.addIf("privateDns.name", dns.name, bad);
  problems.addIf("privateDns.hostedZoneId", dns.hostedZoneId, hostedZoneIdProblem(dns.hostedZoneId));
  if (dns.waitForVerification !== undefined && dns.hostedZoneId === undefined)
    problems.add(
      "privateDns.waitForVerification",
      dns.waitForVerification,
      "only with hostedZoneId: the component starts verification after writing the TXT record",
    );
  return bad ? undefined : dns.name.toLowerCase();
}

/** Cross-Region consumers: valid region codes, each once, not the service's own (from its subnets' zones). */
function checkConsumerRegions(
  problems: Problems,
  consumerRegions: string[] | undefined,
  subnets: CheckedSubnet[],
): string[] {
  const regions: string[] = [];
  if (consumerRegions !== undefined) {
    if (!Array.isArray(consumerRegions))
      problems.add("consumerRegions", consumerRegions, 'a list of region codes, e.g. ["eu-west-1"]');
    else
      consumerRegions.forEach((r, i) => {
        const bad = regionProblem(r);
        if (bad) problems.add(`consumerRegions[${i}]`, r, bad);
        else if (regions.includes(r))
          problems.add(`consumerRegions[${i}]`, r, "listed twice; list each region once");
        else regions.push(r);
      });
  }
  const zoneRegion = subnets.find((z) => z.region)?.region;
  if (zoneRegion && regions.includes(zoneRegion))
    problems.add(
      `consumerRegions[${regions.indexOf(zoneRegion)}]`,
      zoneRegion,
      "the service's own region (from its subnets' zones); list only the other regions consumers connect from",
    );
  return regions;
}

/**
 * Plans an endpoint service behind an internal Network Load Balancer. Collects every problem and throws one
 * ValidationError naming `where`; returns the plan only when all arguments are valid.
 */
export function planPrivateLinkService(
  where: string,
  name: string,
  spec: PrivateLinkServiceSpec,
): PrivateLinkServicePlan {
  const problems = new Problems();
  const s = (spec ?? {}) as PrivateLinkServiceSpec;
  checkVpcId(problems, s.vpcId, "the id of the VPC the load balancer and targets are in");
  problems.addIf("name", name, elbNameProblem(`${name}-nlb`));
  const subnets = checkZonalSubnets(problems, "subnets", s.subnets, {
    what: "an internal Network Load Balancer",
    minZones: 2,
    cidrRequiredBecause: "health checks reach the targets from the load balancer's addresses in its subnets",
  });
  const ports = new TargetPorts();
  const targetGroups = checkTargetGroups(problems, name, s.targetGroups, ports);
  const listeners = checkListeners(problems, s.listeners, s.targetGroups, targetGroups);
  const rules = planLoadBalancerRules(problems, s, listeners, ports);
  const allowedPrincipals = checkAllowedPrincipals(problems, s);
  const acceptance = checkAcceptance(problems, s);
  const privateDnsName = checkPrivateDns(problems, s.privateDns);
  const consumerRegions = checkConsumerRegions(problems, s.consumerRegions, subnets);
  problems.throwIfAny(where);
  return {
    subnets,
    healthCheckSourceCidrs: subnets.flatMap((z) => (z.cidr ? [z.cidr.text] : [])),
    targetGroups,
    listeners,
    ...rules,
    allowedPrincipals,
    ...acceptance,
    ...(privateDnsName ? { privateDnsName } : {}),
    consumerRegions,
  };
}

// ---------------------------------------------------------------------------------------------------
// Consumer side: the interface endpoint

/** An endpoint service name: `com.amazonaws.vpce.<region>.vpce-svc-<8 or 17 hex digits>`. */
const ENDPOINT_SERVICE_NAME = /^com\.amazonaws\.vpce\.([a-z0-9-]+)\.vpce-svc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** AWS service names: `com.amazonaws.<region>.<service>`, `com.amazonaws.<service>`, `aws.sagemaker.<region>.notebook`. */
const AWS_SERVICE_NAME = /^(?:cn\.)?(?:com\.amazonaws|aws\.[a-z]+)(?:\.[a-z0-9-]+)+$/;

/** The arguments of an interface endpoint that rules are checked on. */
export interface PrivateLinkEndpointSpec {
  /** VPC of the endpoint. */
  vpcId: unknown;
  /** Service name (`com.amazonaws.vpce.us-east-1.vpce-svc-...`), or an Output of one (another stack's). */
  serviceName: unknown;
  /** Region of the service when it is not the endpoint's own (cross-Region PrivateLink). @default the endpoint's region. */
  serviceRegion?: string;
  /** Subnets for the endpoint's network interfaces: one per Availability Zone, at least two zones. */
  subnets: (ZonalSubnet & { ipv4Address?: string })[];
  /**
   * Zone ids (`use1-az1`) of the service's load balancer, as its provider publishes them. When given, every
   * subnet must be given by zone id and be in one of these zones: AWS refuses an endpoint subnet in a zone the
   * service does not have ("does not support the Availability Zone of the subnet"), and zone names cannot be
   * compared across accounts. Not with `serviceRegion` (a cross-Region endpoint uses its own Region's zones).
   * @default not checked.
   */
  serviceZoneIds?: string[];
  /**
   * TCP ports of the service (its TCP, TLS and TCP_UDP listener ports) that the endpoint's security group
   * admits. @default none; this or `udpPorts` is required.
   */
  ports?: number[];
  /**
   * UDP ports of the service (its UDP and TCP_UDP listener ports) that the endpoint's security group admits over
   * udp: PrivateLink carries UDP services. A TCP_UDP listener's port goes in both lists. @default none.
   */
  udpPorts?: number[];
  /** Source networks admitted on `ports` and `udpPorts` (not 0.0.0.0/0). @default none; this or `allowedSecurityGroupIds` is required. */
  allowedCidrs?: string[];
  /** Source security groups admitted on `ports`, keyed by a stable name used in resource names. @default none. */
  allowedSecurityGroupIds?: Record<string, unknown>;
  /** Resolve the service's private DNS name to this endpoint in the VPC. Only for a service that has one. @default false. */
  privateDns?: boolean;
}

export interface PrivateLinkEndpointPlan {
  subnets: CheckedSubnet[];
  /** TCP ports, sorted. */
  ports: number[];
  /** UDP ports, sorted. */
  udpPorts: number[];
  /** Inbound rules from CIDRs: every TCP and UDP port from every CIDR. */
  cidrIngress: PlannedPortRule[];
  /** Keys of `allowedSecurityGroupIds`, sorted. */
  securityGroupSources: string[];
  /** Fixed addresses by subnet index, where the caller gave them. */
  addresses: Record<number, string>;
  serviceRegion?: string;
  privateDns: boolean;
}

/**
 * The endpoint's subnets against the zones its service offers (`serviceZoneIds`). A subnet in a zone the
 * service lacks is refused, not skipped: the subnet list is the caller's placement, and dropping one silently
 * would leave the endpoint in fewer zones than asked (AWS refuses the whole CreateVpcEndpoint the same way).
 * A caller that spans more zones than the service picks the common ones itself ({@link subnetsInZones}).
 */
function checkServiceZones(problems: Problems, s: PrivateLinkEndpointSpec, subnets: CheckedSubnet[]): void {
  const offered = s.serviceZoneIds;
  if (offered === undefined) return;
  if (!Array.isArray(offered) || offered.length === 0) {
    problems.add(
      "serviceZoneIds",
      offered,
      'the zone ids of the service\'s load balancer, e.g. ["use1-az1", "use1-az2"]',
    );
    return;
  }
  const bad = offered.flatMap((z, i) => {
    const problem = zoneIdProblem(z);
    return problem ? [{ i, z, problem }] : [];
  });
  for (const { i, z, problem } of bad) problems.add(`serviceZoneIds[${i}]`, z, problem);
  if (bad.length > 0) return;
  if (s.serviceRegion !== undefined) {
    problems.add(
      "serviceZoneIds",
      offered,
      "only for a service in the endpoint's own Region; a cross-Region endpoint (serviceRegion) uses the zones of its own Region",
    );
    return;
  }
  for (const subnet of subnets) {
    const at = `subnets[${subnet.index}].availabilityZone`;
    if (!isZoneId(subnet.availabilityZone))
      problems.add(
        at,
        subnet.availabilityZone,
        `a zone id (e.g. ${offered[0]}): the service's zones are known by id (serviceZoneIds), and zone names differ per account`,
      );
    else if (!offered.includes(subnet.availabilityZone))
      problems.add(
        at,
        subnet.availabilityZone,
        `a zone the service's load balancer has (${offered.join(", ")}); AWS refuses an endpoint subnet in a zone the service does not support`,
      );
  }
}

/**
 * The subnets of `subnets` whose zone (by id) is in `zoneIds`, in their order: where an endpoint can go when its
 * VPC spans zones its service does not have.
 */
export function subnetsInZones<T extends { availabilityZone: string }>(
  subnets: readonly T[],
  zoneIds: readonly string[],
): T[] {
  return subnets.filter((s) => zoneIds.includes(s.availabilityZone));
}

/**
 * The service's name (an endpoint service's, or an AWS service's) and region: a region given must match the
 * name's. Returns the region the name says, for an endpoint service's name.
 */
function checkServiceName(problems: Problems, s: PrivateLinkEndpointSpec): string | undefined {
  let nameRegion: string | undefined;
  if (s.serviceName === undefined || s.serviceName === null || s.serviceName === "")
    problems.add(
      "serviceName",
      s.serviceName,
      "the endpoint service's name (com.amazonaws.vpce.<region>.vpce-svc-...), or an Output of one",
    );
  else if (typeof s.serviceName === "string") {
    const match = ENDPOINT_SERVICE_NAME.exec(s.serviceName);
    if (match) nameRegion = match[1];
    else if (s.serviceName.includes("vpce-svc-") || !AWS_SERVICE_NAME.test(s.serviceName))
      problems.add(
        "serviceName",
        s.serviceName,
        "an endpoint service name: com.amazonaws.vpce.<region>.vpce-svc-<8 or 17 hex digits> (or an AWS service name such as com.amazonaws.us-east-1.s3)",
      );
  }
  if (s.serviceRegion !== undefined) {
    const bad = regionProblem(s.serviceRegion);
    problems.addIf("serviceRegion", s.serviceRegion, bad);
    if (!bad && nameRegion && nameRegion !== s.serviceRegion)
      problems.add(
        "serviceRegion",
        s.serviceRegion,
        `the service name says its region is ${nameRegion}; use that, or the service's own name`,
      );
  }
  return nameRegion;
}

/** Fixed endpoint addresses: IPv4, in their subnet's CIDR, not one AWS reserves. Returns them by subnet index. */
function checkEndpointAddresses(
  problems: Problems,
  specs: PrivateLinkEndpointSpec["subnets"],
  subnets: CheckedSubnet[],
): Record<number, string> {
  const addresses: Record<number, string> = {};
  (Array.isArray(specs) ? specs : []).forEach((subnet, i) => {
    const address = subnet?.ipv4Address;
    if (address === undefined) return;
    const at = `subnets[${i}].ipv4Address`;
    if (typeof address !== "string" || !Validator.isValidIPv4String(address)[0]) {
      problems.add(at, address, "an IPv4 address in the subnet");
      return;
    }
    const cidr = subnets.find((z) => z.index === i)?.cidr;
    const value = checkCidr(`${address}/32`);
    if (cidr && "cidr" in value) {
      const n = value.cidr.first;
      // VPC: the first four addresses and the last one of every subnet are reserved by AWS.
      if (n < cidr.first || n > cidr.last) problems.add(at, address, `not in the subnet's CIDR ${cidr.text}`);
      else if (n - cidr.first < 4n || n === cidr.last)
        problems.add(at, address, `reserved by AWS in ${cidr.text} (the first four addresses and the last)`);
      else addresses[i] = address;
    } else addresses[i] = address;
  });
  return addresses;
}

/** The service's TCP and UDP ports: each 1–65535 and listed once, at least one port in all. */
function checkEndpointPorts(
  problems: Problems,
  s: PrivateLinkEndpointSpec,
): { ports: number[]; udpPorts: number[] } {
  const checkPorts = (key: "ports" | "udpPorts", what: "TCP" | "UDP"): number[] => {
    const list = s[key];
    const out: number[] = [];
    if (list === undefined) return out;
    if (!Array.isArray(list)) {
      problems.add(key, list, `a list of the service's ${what} ports, e.g. [${what === "TCP" ? 443 : 53}]`);
      return out;
    }
    list.forEach((p, i) => {
      if (!isPortNumber(p)) problems.add(`${key}[${i}]`, p, `a ${what} port in 1–65535`);
      else if (out.includes(p)) problems.add(`${key}[${i}]`, p, "listed twice; list each port once");
      else out.push(p);
    });
    return out.sort((a, b) => a - b);
  };
  const ports = checkPorts("ports", "TCP");
  const udpPorts = checkPorts("udpPorts", "UDP");
  const noPorts = (list: unknown) => list === undefined || (Array.isArray(list) && list.length === 0);
  if (noPorts(s.ports) && noPorts(s.udpPorts))
    problems.add(
      "ports",
      s.ports,
      "the service's TCP ports (its listener ports), e.g. [443], or its UDP ports as udpPorts, e.g. [53]",
    );
  return { ports, udpPorts };
}

/** Who may use the endpoint: source CIDRs (not the whole internet) or security groups; at least one. */
function checkEndpointSources(
  problems: Problems,
  s: PrivateLinkEndpointSpec,
): { cidrs: Cidr[]; groupKeys: string[] } {
  const cidrs = checkCidrList(problems, "allowedCidrs", s.allowedCidrs, "source networks", {
    refuseDefaultRoute: "admits every address; list the networks that use the service",
  });
  const groups = s.allowedSecurityGroupIds ?? {};
  if (groups === null || typeof groups !== "object" || Array.isArray(groups))
    problems.add(
      "allowedSecurityGroupIds",
      groups,
      'security group ids keyed by a stable name: { app: "sg-..." }',
    );
  else {
    checkResourceKeys(problems, "allowedSecurityGroupIds", groups);
    for (const [key, id] of Object.entries(groups)) {
      if (id === undefined || id === null || id === "")
        problems.add(
          `allowedSecurityGroupIds.${key}`,
          id,
          "a security group id (sg-...), or an Output of one",
        );
      else problems.addIf(`allowedSecurityGroupIds.${key}`, id, ec2IdProblem("sg", id));
    }
  }
  const groupKeys = groups && typeof groups === "object" ? Object.keys(groups).sort() : [];
  if (
    cidrs.length === 0 &&
    groupKeys.length === 0 &&
    !(Array.isArray(s.allowedCidrs) && s.allowedCidrs.length > 0)
  )
    problems.add(
      "allowedCidrs",
      s.allowedCidrs,
      "the sources that may use the service, as allowedCidrs or allowedSecurityGroupIds: the endpoint's security group admits nothing else",
    );
  return { cidrs, groupKeys };
}

/**
 * Plans an interface endpoint to a PrivateLink service. Collects every problem and throws one
 * ValidationError naming `where`; returns the plan only when all arguments are valid.
 */
export function planPrivateLinkEndpoint(
  where: string,
  spec: PrivateLinkEndpointSpec,
): PrivateLinkEndpointPlan {
  const problems = new Problems();
  const s = (spec ?? {}) as PrivateLinkEndpointSpec;
  checkVpcId(problems, s.vpcId, "the id of the VPC the endpoint is in");
  const nameRegion = checkServiceName(problems, s);
  const subnets = checkZonalSubnets(problems, "subnets", s.subnets, {
    what: "an interface endpoint",
    minZones: 2,
  });
  // Cross-Region PrivateLink: an endpoint reaches a service in another region only when it names that region.
  const zoneRegion = subnets.find((z) => z.region)?.region;
  if (nameRegion && zoneRegion && nameRegion !== zoneRegion && s.serviceRegion === undefined)
    problems.add(
      "serviceRegion",
      undefined,
      `"${nameRegion}": the service is in ${nameRegion} and the endpoint's subnets in ${zoneRegion}, so the endpoint must name the service's region (cross-Region PrivateLink)`,
    );
  checkServiceZones(problems, s, subnets);
  const addresses = checkEndpointAddresses(problems, s.subnets, subnets);
  const { ports, udpPorts } = checkEndpointPorts(problems, s);
  const { cidrs, groupKeys } = checkEndpointSources(problems, s);
  if (s.privateDns !== undefined && typeof s.privateDns !== "boolean")
    problems.add("privateDns", s.privateDns, "true or false");
  problems.throwIfAny(where);
  return {
    subnets,
    ports,
    udpPorts,
    cidrIngress: [
      ...ports.map((port) => ({ protocol: "tcp" as const, port })),
      ...udpPorts.map((port) => ({ protocol: "udp" as const, port })),
    ].flatMap(({ protocol, port }) => cidrs.map((c) => portRule(protocol, port, c))),
    securityGroupSources: groupKeys,
    addresses,
    ...(s.serviceRegion !== undefined ? { serviceRegion: s.serviceRegion } : {}),
    privateDns: s.privateDns ?? false,
  };
}
