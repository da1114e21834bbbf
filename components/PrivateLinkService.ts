import * as pulumi from "@pulumi/pulumi";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import { componentWhere } from "../model/errors";
import type { HealthCheckSpec } from "../model/privateLink";
import {
  type ListenerSpec,
  type PlannedPortRule,
  type PrivateDnsSpec,
  type PrivateLinkServicePlan,
  type PrivateLinkServiceSpec,
  planPrivateLinkService,
  type TargetGroupSpec,
  type TargetSpec,
} from "../model/privateLink";
import type { ZonalSubnet } from "../model/subnets";
import * as aws from "./aws";
import { ComponentState } from "./componentState";

/** A subnet of the load balancer; see `ZonalSubnet`. Its CIDR is required here. */
export interface PrivateLinkSubnet extends ZonalSubnet {
  /** Subnet id (`subnet-...`). */
  subnetId: pulumi.Input<string>;
  /** IPv4 CIDR of the subnet: health checks reach the targets from the load balancer's addresses in it. */
  cidr: string;
}

/** @deprecated Renamed `PrivateLinkSubnet`: the name the package schema gives other languages. */
export type PrivateLinkSubnetArgs = PrivateLinkSubnet;

/** A target registered with a target group; see `TargetSpec`. */
export interface PrivateLinkTarget extends TargetSpec {
  /** Instance id (`i-...`), IPv4 address, or Application Load Balancer ARN, per the group's `targetType`. */
  id: pulumi.Input<string>;
}

/** @deprecated Renamed `PrivateLinkTarget`: the name the package schema gives other languages. */
export type PrivateLinkTargetArgs = PrivateLinkTarget;

/** A target group behind the service's load balancer; see `TargetGroupSpec`. */
export interface PrivateLinkTargetGroup extends TargetGroupSpec {
  /** Targets to register, keyed by a stable name used in resource names. @default none (register them elsewhere). */
  targets?: Record<string, PrivateLinkTarget>;
}

/** @deprecated Renamed `PrivateLinkTargetGroup`: the name the package schema gives other languages. */
export type PrivateLinkTargetGroupArgs = PrivateLinkTargetGroup;

/** A listener of the service's load balancer; see `ListenerSpec`. */
export interface PrivateLinkListener extends ListenerSpec {
  /** ACM certificate ARN the listener presents. Required for "TLS", refused for "TCP". */
  certificateArn?: pulumi.Input<string>;
}

/** @deprecated Renamed `PrivateLinkListener`: the name the package schema gives other languages. */
export type PrivateLinkListenerArgs = PrivateLinkListener;

/** The service's private DNS name; see `PrivateDnsSpec`. */
export interface PrivateLinkPrivateDns extends PrivateDnsSpec {
  /**
   * Route 53 public hosted zone of the domain: the component writes the verification TXT record there and
   * starts AWS's verification. @default none: publish the `privateDnsVerification` record yourself.
   */
  hostedZoneId?: pulumi.Input<string>;
}

/** @deprecated Renamed `PrivateLinkPrivateDns`: the name the package schema gives other languages. */
export type PrivateLinkPrivateDnsArgs = PrivateLinkPrivateDns;

/** Arguments for `PrivateLinkService`. See `PrivateLinkServiceSpec` for every rule checked. */
export interface PrivateLinkServiceArgs extends PrivateLinkServiceSpec {
  /** VPC of the load balancer and the targets. */
  vpcId: pulumi.Input<string>;
  /**
   * Subnets of the internal Network Load Balancer: one per Availability Zone (a load balancer takes one subnet
   * per zone), at least two zones, each with its CIDR. Consumers can place endpoints only in zones the service
   * has in common with them.
   */
  subnets: PrivateLinkSubnet[];
  /** Target groups, keyed by a stable name used in resource names (`<name>-<key>` is at most 24 characters). */
  targetGroups: Record<string, PrivateLinkTargetGroup>;
  /** Listeners, keyed by a stable name used in resource names: TCP or TLS, at most 50 (PrivateLink's limit). */
  listeners: Record<string, PrivateLinkListener>;
  /**
   * Security group of the targets: the load balancer may send to it on the target and health check ports,
   * and it admits the load balancer's security group there. @default none (give `targetCidrs`).
   */
  targetSecurityGroupId?: pulumi.Input<string>;
  /**
   * Interface endpoints to accept, keyed by a stable name (the consumer), valued by endpoint id (`vpce-...`,
   * for example another stack's output): the consumer creates its endpoint, the provider accepts it by id.
   * Only with `acceptanceRequired`. @default none.
   */
  acceptEndpoints?: Record<string, pulumi.Input<string>>;
  /** Private DNS name of the service. @default none. */
  privateDns?: PrivateLinkPrivateDns;
  /** Tags on every AWS resource the component creates. */
  tags?: Record<string, string>;
}

/** The TXT record that proves ownership of the private DNS name's domain, as AWS asks for it. */
export interface PrivateDnsVerification {
  /** Record name: `<name>.<private DNS name>`. */
  name: string;
  /** Record type ("TXT"). */
  type: string;
  /** Record value. */
  value: string;
  /** "pendingVerification", "verified" or "failed": consumers can use the name once "verified". */
  state: string;
}

/** The keys PrivateLinkService's arguments may have (model/argumentKeys). */
const ARGUMENT_KEYS = keysOf<PrivateLinkServiceArgs>({
  vpcId: "value",
  subnets: { list: { keys: { availabilityZone: "value", subnetId: "value", cidr: "value" } } },
  targetGroups: {
    record: keysOf<PrivateLinkTargetGroup>({
      port: "value",
      protocol: "value",
      targetType: "value",
      healthCheck: keysOf<HealthCheckSpec>({
        protocol: "value",
        port: "value",
        path: "value",
        matcher: "value",
        intervalSeconds: "value",
        timeoutSeconds: "value",
        healthyThreshold: "value",
        unhealthyThreshold: "value",
      }),
      deregistrationDelaySeconds: "value",
      proxyProtocolV2: "value",
      targets: {
        record: keysOf<PrivateLinkTarget>({ id: "value", port: "value", availabilityZone: "value" }),
      },
    }),
  },
  listeners: {
    record: keysOf<PrivateLinkListener>({
      port: "value",
      protocol: "value",
      targetGroup: "value",
      certificateArn: "value",
      sslPolicy: "value",
    }),
  },
  consumerCidrs: "value",
  enforceInboundRulesOnPrivateLinkTraffic: "value",
  targetCidrs: "value",
  targetSecurityGroupId: "value",
  allowedPrincipals: "value",
  allowAnyPrincipal: "value",
  acceptanceRequired: "value",
  acceptEndpoints: "value",
  consumerRegions: "value",
  privateDns: keysOf<PrivateLinkPrivateDns>({
    name: "value",
    hostedZoneId: "value",
    waitForVerification: "value",
  }),
  tags: "value",
});

/**
 * The load balancer's security group: consumers in on the listener ports, out to the targets on the target and
 * health check ports, and, with a target security group, the rules between the two groups.
 */
function registerSecurityGroup(
  parent: pulumi.Resource,
  name: string,
  args: PrivateLinkServiceArgs,
  plan: PrivateLinkServicePlan,
  tags: Record<string, string>,
): aws.ec2.SecurityGroup {
  const sg = new aws.ec2.SecurityGroup(
    `${name}-nlb`,
    {
      vpcId: args.vpcId,
      description: `${name}: PrivateLink load balancer (consumers in, targets out)`,
      tags: { ...tags, Name: `${name}-nlb` },
    },
    { parent },
  );
  const port = (r: PlannedPortRule) => ({ ipProtocol: r.protocol, fromPort: r.port, toPort: r.port });
  for (const r of plan.ingress)
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-nlb-in-${r.key}`,
      { securityGroupId: sg.id, ...port(r), cidrIpv4: r.cidr, description: `${name}: consumers ${r.cidr}` },
      { parent },
    );
  // Health checks are subject to the load balancer's outbound rules, not its inbound ones: they need a way
  // out to the targets on the health check port, like the traffic itself on the target port.
  for (const r of plan.egress)
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-nlb-out-${r.key}`,
      { securityGroupId: sg.id, ...port(r), cidrIpv4: r.cidr, description: `${name}: targets ${r.cidr}` },
      { parent },
    );
  if (args.targetSecurityGroupId !== undefined)
    for (const { protocol, port: p } of plan.targetProtocolPorts) {
      const rule = { ipProtocol: protocol, fromPort: p, toPort: p };
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-nlb-out-${protocol}-${p}-${p}-targets`,
        {
          securityGroupId: sg.id,
          ...rule,
          referencedSecurityGroupId: args.targetSecurityGroupId,
          description: `${name}: targets`,
        },
        { parent },
      );
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-targets-in-${protocol}-${p}-${p}-nlb`,
        {
          securityGroupId: args.targetSecurityGroupId,
          ...rule,
          referencedSecurityGroupId: sg.id,
          description: `${name}: traffic and health checks from the PrivateLink load balancer`,
        },
        { parent },
      );
    }
  return sg;
}

/** The target groups, with their health checks and the targets attached, by key. */
function registerTargetGroups(
  parent: pulumi.Resource,
  name: string,
  args: PrivateLinkServiceArgs,
  plan: PrivateLinkServicePlan,
  tags: Record<string, string>,
): Record<string, aws.lb.TargetGroup> {
  const groups: Record<string, aws.lb.TargetGroup> = {};
  for (const tg of plan.targetGroups) {
    const hc = tg.healthCheck;
    const group = new aws.lb.TargetGroup(
      `${name}-${tg.key}`,
      {
        vpcId: args.vpcId,
        port: tg.port,
        protocol: tg.protocol,
        targetType: tg.targetType,
        deregistrationDelay: tg.deregistrationDelaySeconds,
        proxyProtocolV2: tg.proxyProtocolV2,
        healthCheck: {
          enabled: true,
          protocol: hc.protocol,
          port: String(hc.port),
          ...(hc.path !== undefined ? { path: hc.path } : {}),
          ...(hc.matcher !== undefined ? { matcher: hc.matcher } : {}),
          interval: hc.intervalSeconds,
          timeout: hc.timeoutSeconds,
          healthyThreshold: hc.healthyThreshold,
          unhealthyThreshold: hc.unhealthyThreshold,
        },
        tags: { ...tags, Name: `${name}-${tg.key}` },
      },
      { parent },
    );
    groups[tg.key] = group;
    for (const key of tg.targets) {
      const target = args.targetGroups[tg.key].targets?.[key] as PrivateLinkTarget;
      new aws.lb.TargetGroupAttachment(
        `${name}-${tg.key}-${key}`,
        {
          targetGroupArn: group.arn,
          targetId: target.id,
          ...(target.port !== undefined ? { port: target.port } : {}),
          ...(target.availabilityZone !== undefined ? { availabilityZone: target.availabilityZone } : {}),
        },
        { parent },
      );
    }
  }
  return groups;
}

/**
 * The TXT record that verifies the private DNS name, as the service reports it; with a hosted zone, the record
 * written there and verification started.
 */
function registerDnsVerification(
  parent: pulumi.Resource,
  name: string,
  args: PrivateLinkServiceArgs,
  plan: PrivateLinkServicePlan,
  service: aws.ec2.VpcEndpointService,
): pulumi.Output<PrivateDnsVerification | undefined> {
  const verification = plan.privateDnsName
    ? service.privateDnsNameConfigurations.apply((configs) => {
        const c = configs[0];
        return c
          ? { name: `${c.name}.${plan.privateDnsName}`, type: c.type, value: c.value, state: c.state }
          : undefined;
      })
    : pulumi.output(undefined);
  if (plan.privateDnsName && args.privateDns?.hostedZoneId !== undefined) {
    const record = new aws.route53.Record(
      `${name}-dns-verification`,
      {
        zoneId: args.privateDns.hostedZoneId,
        name: verification.apply((v) => v?.name ?? ""),
        type: "TXT",
        ttl: 1800,
        records: [verification.apply((v) => v?.value ?? "")],
      },
      { parent },
    );
    new aws.vpc.EndpointServicePrivateDnsVerification(
      `${name}-dns-verify`,
      { serviceId: service.id, waitForVerification: args.privateDns.waitForVerification ?? false },
      { parent, dependsOn: [record] },
    );
  }
  return verification;
}

const plans = new ComponentState<PrivateLinkService, PrivateLinkServicePlan>();

/**
 * AWS PrivateLink, provider side: an internal Network Load Balancer (cross-zone on, at least two zones, TCP or
 * TLS listeners, target groups with health checks) behind a VPC endpoint service that requires acceptance by
 * default and allows only the principals named. The load balancer's security group admits only the consumer
 * networks on the listener ports and sends only to the targets; endpoint connections given by id are accepted,
 * so a consumer stack and this stack finish the handshake in two passes.
 */
export class PrivateLinkService extends pulumi.ComponentResource {
  /** Endpoint service id (`vpce-svc-...`). */
  public readonly serviceId: pulumi.Output<string>;
  /** Service name consumers create their endpoints with (`com.amazonaws.vpce.<region>.vpce-svc-...`). */
  public readonly serviceName: pulumi.Output<string>;
  /** Network Load Balancer ARN. */
  public readonly loadBalancerArn: pulumi.Output<string>;
  /** Network Load Balancer DNS name (for clients inside the provider VPC). */
  public readonly loadBalancerDnsName: pulumi.Output<string>;
  /** Security group of the load balancer (`sg-...`). */
  public readonly securityGroupId: pulumi.Output<string>;
  /** Target group ARNs by key. */
  public readonly targetGroupArns: pulumi.Output<Record<string, string>>;
  /** Endpoint ids accepted, by key of `acceptEndpoints`. */
  public readonly acceptedEndpointIds: pulumi.Output<Record<string, string>>;
  /** The TXT record that verifies the private DNS name, when one is set. */
  public readonly privateDnsVerification: pulumi.Output<PrivateDnsVerification | undefined>;
  /**
   * Where health checks and PrivateLink traffic reach the targets from: the load balancer's subnets. A firewall
   * in front of targets outside the VPC admits these.
   */
  public readonly healthCheckSourceCidrs: string[];
  /** The plan the component registered. */
  public get plan(): PrivateLinkServicePlan {
    return plans.get(this);
  }

  constructor(name: string, args: PrivateLinkServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseUnknownKeys(componentWhere("PrivateLinkService", name), ARGUMENT_KEYS, args);
    const plan = planPrivateLinkService(componentWhere("PrivateLinkService", name), name, args);
    super("hybridnet:index:PrivateLinkService", name, {}, opts);
    plans.set(this, plan);
    this.healthCheckSourceCidrs = plan.healthCheckSourceCidrs;
    const tags = { ...args.tags, "hybridnet:component": name };

    const sg = registerSecurityGroup(this, name, args, plan, tags);

    const subnetIds = plan.subnets.map((z) => args.subnets[z.index].subnetId);
    const lb = new aws.lb.LoadBalancer(
      `${name}-nlb`,
      {
        loadBalancerType: "network",
        internal: true,
        ipAddressType: "ipv4",
        subnets: subnetIds,
        enableCrossZoneLoadBalancing: true,
        securityGroups: [sg.id],
        enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: plan.enforceInboundRulesOnPrivateLinkTraffic
          ? "on"
          : "off",
        tags: { ...tags, Name: `${name}-nlb` },
      },
      { parent: this },
    );

    const groups = registerTargetGroups(this, name, args, plan, tags);

    for (const l of plan.listeners)
      new aws.lb.Listener(
        `${name}-${l.key}`,
        {
          loadBalancerArn: lb.arn,
          port: l.port,
          protocol: l.protocol,
          ...(l.protocol === "TLS"
            ? { certificateArn: args.listeners[l.key].certificateArn, sslPolicy: l.sslPolicy }
            : {}),
          defaultActions: [{ type: "forward", targetGroupArn: groups[l.targetGroup].arn }],
          tags: { ...tags, Name: `${name}-${l.key}` },
        },
        { parent: this },
      );

    // The service's own region is always a supported region; the consumer regions are added to it.
    const supportedRegions =
      plan.consumerRegions.length > 0
        ? aws
            .getRegionOutput({}, { parent: this })
            .apply((r) => [...new Set([r.region, ...plan.consumerRegions])].sort())
        : undefined;
    const service = new aws.ec2.VpcEndpointService(
      `${name}-service`,
      {
        acceptanceRequired: plan.acceptanceRequired,
        networkLoadBalancerArns: [lb.arn],
        allowedPrincipals: plan.allowedPrincipals,
        supportedIpAddressTypes: ["ipv4"],
        ...(plan.privateDnsName ? { privateDnsName: plan.privateDnsName } : {}),
        ...(supportedRegions ? { supportedRegions } : {}),
        tags: { ...tags, Name: name },
      },
      { parent: this },
    );

    const accepted = plan.acceptEndpoints.map((key) => {
      const accepter = new aws.ec2.VpcEndpointConnectionAccepter(
        `${name}-accept-${key}`,
        {
          vpcEndpointServiceId: service.id,
          vpcEndpointId: (args.acceptEndpoints as Record<string, pulumi.Input<string>>)[key],
        },
        { parent: this },
      );
      return accepter.vpcEndpointId.apply((id) => [key, id] as const);
    });

    const verification = registerDnsVerification(this, name, args, plan, service);

    this.serviceId = service.id;
    this.serviceName = service.serviceName;
    this.loadBalancerArn = lb.arn;
    this.loadBalancerDnsName = lb.dnsName;
    this.securityGroupId = sg.id;
    this.targetGroupArns = pulumi
      .all(Object.entries(groups).map(([key, g]) => g.arn.apply((arn) => [key, arn] as const)))
      .apply((e) => Object.fromEntries(e));
    this.acceptedEndpointIds = pulumi.all(accepted).apply((e) => Object.fromEntries(e));
    this.privateDnsVerification = verification;
    this.registerOutputs({
      serviceId: this.serviceId,
      serviceName: this.serviceName,
      loadBalancerArn: this.loadBalancerArn,
      loadBalancerDnsName: this.loadBalancerDnsName,
      securityGroupId: this.securityGroupId,
      targetGroupArns: this.targetGroupArns,
      acceptedEndpointIds: this.acceptedEndpointIds,
      privateDnsVerification: this.privateDnsVerification,
      healthCheckSourceCidrs: this.healthCheckSourceCidrs,
    });
  }
}
