/**
 * What a `PrivateLinkService` is asked for, as the model checks it: health checks, targets, target groups,
 * listeners, private DNS and the service itself. The checks and the plan are in model/privateLink.ts, which
 * re-exports these types.
 */
import type { HealthCheckProtocol, ListenerProtocol, TargetType } from "./privateLink";
import type { ZonalSubnet } from "./subnets";

/** Health check of a target group. Health checks come from the load balancer's addresses in its subnets. */
export interface HealthCheckSpec {
  /** "TCP", "HTTP" or "HTTPS". @default "TCP" ("HTTP" for an "alb" target group, which takes no TCP check). */
  protocol?: HealthCheckProtocol;
  /** Port probed on each target: 1–65535. @default the target's traffic port. */
  port?: number;
  /** HTTP(S) path, starting with "/" (1,024 characters at most). @default "/". Only for HTTP and HTTPS. */
  path?: string;
  /** HTTP status codes counted healthy, 200–599 (`"200"`, `"200,204"`, `"200-399"`). @default "200-399". */
  matcher?: string;
  /** Seconds between checks of one target: 5–300. @default 10. */
  intervalSeconds?: number;
  /** Seconds without an answer that fail a check: 2–120, and less than the interval. @default 5. */
  timeoutSeconds?: number;
  /** Consecutive successes before a target counts healthy: 2–10. @default 3. */
  healthyThreshold?: number;
  /** Consecutive failures before a target counts unhealthy: 2–10. @default 3. */
  unhealthyThreshold?: number;
}

/** One target registered with a target group. */
export interface TargetSpec {
  /** Instance id (`i-...`), IPv4 address, or Application Load Balancer ARN, per the group's `targetType`. */
  id: unknown;
  /** Port the target receives traffic on: 1–65535. @default the target group's port. */
  port?: number;
  /**
   * Zone of an IP target: an Availability Zone of the VPC, or "all" for an address outside the VPC (on
   * premises over Direct Connect or VPN, or a peered VPC). @default the zone of the address's subnet.
   */
  availabilityZone?: string;
}

/** A target group behind the service's load balancer. */
export interface TargetGroupSpec {
  /** Port the targets receive traffic on: 1–65535. */
  port: number;
  /**
   * "TCP", "TLS" (TLS re-encrypts to the targets; only behind a TLS listener), "UDP" or "TCP_UDP" (behind a
   * listener of the same protocol; health checked over TCP, HTTP or HTTPS, never UDP). @default "TCP".
   */
  protocol?: ListenerProtocol;
  /**
   * "ip" (addresses in the VPC, or on premises and in peered VPCs with `availabilityZone: "all"`),
   * "instance" or "alb" (an Application Load Balancer, TCP only). @default "ip".
   */
  targetType?: TargetType;
  /** Health check. @default TCP on the traffic port every 10 s, 3 checks to change state. */
  healthCheck?: HealthCheckSpec;
  /** Seconds a deregistering target keeps its connections: 0–3,600. @default 300. */
  deregistrationDelaySeconds?: number;
  /**
   * Prepend a proxy protocol v2 header, which carries the consumer's address and interface endpoint id: behind
   * PrivateLink the targets otherwise see the load balancer's addresses. @default false.
   */
  proxyProtocolV2?: boolean;
  /** Targets to register, keyed by a stable name used in resource names. @default none (register them elsewhere). */
  targets?: Record<string, TargetSpec>;
}

/** A listener of the service's load balancer. */
export interface ListenerSpec {
  /** Port consumers connect to: 1–65535, one listener per port. */
  port: number;
  /**
   * "TCP", "TLS", "UDP" or "TCP_UDP" (TCP and UDP on one port). Not QUIC or TCP_QUIC: no AWS text says
   * PrivateLink carries them. @default "TCP".
   */
  protocol?: ListenerProtocol;
  /** Key of the target group in `targetGroups` the listener forwards to. */
  targetGroup: string;
  /** ACM certificate ARN the listener presents. Required for "TLS", refused for "TCP". */
  certificateArn?: unknown;
  /** ELB security policy of a TLS listener. @default "ELBSecurityPolicy-TLS13-1-2-2021-06". */
  sslPolicy?: string;
}

/** The endpoint service's private DNS name (consumers resolve it to their interface endpoint). */
export interface PrivateDnsSpec {
  /**
   * Domain name consumers use (`api.example.com`). AWS publishes it to consumers only once you prove you own
   * the domain with a TXT record (the `privateDnsVerification` output).
   */
  name: string;
  /**
   * Route 53 public hosted zone of the domain: the component writes the TXT record there and starts the
   * verification. @default none: publish the record yourself.
   */
  hostedZoneId?: unknown;
  /** Wait until AWS reports the name verified (with `hostedZoneId` only). @default false. */
  waitForVerification?: boolean;
}

/** The arguments of a PrivateLink endpoint service that rules are checked on. */
export interface PrivateLinkServiceSpec {
  /** VPC of the load balancer and the targets. */
  vpcId: unknown;
  /**
   * Subnets of the internal Network Load Balancer: one per Availability Zone, at least two zones, each with
   * its CIDR (health checks and PrivateLink traffic reach the targets from the load balancer's addresses there).
   */
  subnets: ZonalSubnet[];
  /** Target groups, keyed by a stable name used in resource names. */
  targetGroups: Record<string, TargetGroupSpec>;
  /** Listeners, keyed by a stable name used in resource names: at most 50 (PrivateLink's limit). */
  listeners: Record<string, ListenerSpec>;
  /**
   * Consumer networks the load balancer's security group admits on the listener ports. With inbound rules
   * enforced on PrivateLink traffic, the rules see the consumer client's own address, so list the consumers'
   * client ranges (they may overlap this VPC). Not 0.0.0.0/0. @default none; required while inbound rules are
   * enforced on PrivateLink traffic.
   */
  consumerCidrs?: string[];
  /**
   * Evaluate the security group's inbound rules on traffic that arrives through PrivateLink. Off, any
   * consumer whose connection you accepted reaches the listeners. @default true (AWS's default, "on").
   */
  enforceInboundRulesOnPrivateLinkTraffic?: boolean;
  /**
   * Networks the targets are in: the load balancer's security group sends traffic and health checks there on
   * the target and health check ports. @default none (give `targetSecurityGroupId`); one of the two is required.
   */
  targetCidrs?: string[];
  /**
   * Security group of the targets: the load balancer may send to it, and it admits the load balancer's
   * security group on the target and health check ports. @default none (give `targetCidrs`).
   */
  targetSecurityGroupId?: unknown;
  /**
   * Principals allowed to find and connect to the service: 12-digit account ids (taken as the account's root),
   * or IAM ARNs of an account root, role or user. "*" only with `allowAnyPrincipal`. @default none: no other
   * principal can find the service.
   */
  allowedPrincipals?: string[];
  /** Allow every AWS principal ("*"). Needs `acceptanceRequired`. @default false. */
  allowAnyPrincipal?: boolean;
  /** You accept each endpoint connection (see `acceptEndpoints`). @default true. */
  acceptanceRequired?: boolean;
  /**
   * Interface endpoints to accept, keyed by a stable name (the consumer), valued by endpoint id (`vpce-...`):
   * a consumer stack creates its endpoint, and the provider stack, given its id, accepts it. @default none.
   */
  acceptEndpoints?: Record<string, unknown>;
  /** Private DNS name of the service. @default none. */
  privateDns?: PrivateDnsSpec;
  /**
   * Regions other than the service's own whose consumers may connect (cross-Region PrivateLink; the caller
   * needs the `vpce:AllowMultiRegion` permission, and consumers set `serviceRegion`). @default none.
   */
  consumerRegions?: string[];
}
