import * as pulumi from "@pulumi/pulumi";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import { componentWhere } from "../model/errors";
import {
  type PrivateLinkEndpointPlan,
  type PrivateLinkEndpointSpec,
  planPrivateLinkEndpoint,
} from "../model/privateLink";
import type { ZonalSubnet } from "../model/subnets";
import * as aws from "./aws";
import { ComponentState } from "./componentState";

/** A subnet of the endpoint; see `ZonalSubnet`. */
export interface PrivateLinkEndpointSubnet extends ZonalSubnet {
  /** Subnet id (`subnet-...`). */
  subnetId: pulumi.Input<string>;
  /** IPv4 CIDR of the subnet. When given, `ipv4Address` is checked against it. @default not checked. */
  cidr?: string;
  /**
   * Fixed address of the endpoint's interface in this subnet (for firewall rules or DNS on premises): not one
   * of the five addresses AWS reserves in a subnet. @default one AWS picks.
   */
  ipv4Address?: string;
}

/** @deprecated Renamed `PrivateLinkEndpointSubnet`: the name the package schema gives other languages. */
export type PrivateLinkEndpointSubnetArgs = PrivateLinkEndpointSubnet;

/** Arguments for `PrivateLinkEndpoint`. See `PrivateLinkEndpointSpec` for every rule checked. */
export interface PrivateLinkEndpointArgs extends PrivateLinkEndpointSpec {
  /** VPC of the endpoint. */
  vpcId: pulumi.Input<string>;
  /**
   * Name of the endpoint service (`com.amazonaws.vpce.<region>.vpce-svc-...`): the provider stack's
   * `serviceName` output, or the name its owner gave you. A plain string is checked before anything registers.
   */
  serviceName: pulumi.Input<string>;
  /**
   * Subnets for the endpoint's network interfaces: one per Availability Zone (AWS takes one subnet per zone),
   * at least two zones, in zones the service also has (cross-Region endpoints excepted). With `serviceZoneIds`,
   * give each subnet's `availabilityZone` as a zone id (`use1-az1`): a subnet in a zone the service lacks is refused
   * before anything registers.
   */
  subnets: PrivateLinkEndpointSubnet[];
  /** Source security groups admitted on `ports`, keyed by a stable name used in resource names. @default none. */
  allowedSecurityGroupIds?: Record<string, pulumi.Input<string>>;
  /** Tags on every AWS resource the component creates. */
  tags?: Record<string, string>;
}

/** One DNS name AWS gives the endpoint. */
export interface EndpointDnsEntry {
  dnsName: string;
  hostedZoneId: string;
}

/** The keys PrivateLinkEndpoint's arguments may have (model/argumentKeys). */
const ARGUMENT_KEYS = keysOf<PrivateLinkEndpointArgs>({
  vpcId: "value",
  serviceName: "value",
  serviceRegion: "value",
  serviceZoneIds: "value",
  subnets: {
    list: { keys: { availabilityZone: "value", subnetId: "value", cidr: "value", ipv4Address: "value" } },
  },
  ports: "value",
  udpPorts: "value",
  allowedCidrs: "value",
  allowedSecurityGroupIds: "value",
  privateDns: "value",
  tags: "value",
});

const plans = new ComponentState<PrivateLinkEndpoint, PrivateLinkEndpointPlan>();

/**
 * AWS PrivateLink, consumer side: an interface VPC endpoint to a service name, with a network interface in
 * each of at least two Availability Zones and a security group that admits only the declared source networks
 * and security groups on the service's TCP ports (`ports`) and UDP ports (`udpPorts`). Its `endpointId` is what the provider accepts. PrivateLink
 * is one-way: the consumer reaches the service, never the provider's network, so the two VPCs may overlap.
 */
export class PrivateLinkEndpoint extends pulumi.ComponentResource {
  /** Interface endpoint id (`vpce-...`): give it to the provider to accept. */
  public readonly endpointId: pulumi.Output<string>;
  /** Endpoint state: "pendingAcceptance" until the provider accepts it, then "available". */
  public readonly state: pulumi.Output<string>;
  /** DNS names of the endpoint: the Regional name first, then one per zone. */
  public readonly dnsNames: pulumi.Output<string[]>;
  /** DNS names with their Route 53 hosted zone (for alias records). */
  public readonly dnsEntries: pulumi.Output<EndpointDnsEntry[]>;
  /** Private IPv4 address of the endpoint's interface, by Availability Zone. */
  public readonly addresses: pulumi.Output<Record<string, string>>;
  /** Network interface ids of the endpoint. */
  public readonly networkInterfaceIds: pulumi.Output<string[]>;
  /** Security group of the endpoint (`sg-...`). */
  public readonly securityGroupId: pulumi.Output<string>;
  /** The plan the component registered. */
  public get plan(): PrivateLinkEndpointPlan {
    return plans.get(this);
  }

  constructor(name: string, args: PrivateLinkEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseUnknownKeys(componentWhere("PrivateLinkEndpoint", name), ARGUMENT_KEYS, args);
    const plan = planPrivateLinkEndpoint(componentWhere("PrivateLinkEndpoint", name), args);
    super("hybridnet:index:PrivateLinkEndpoint", name, {}, opts);
    plans.set(this, plan);
    const tags = { ...args.tags, "hybridnet:component": name };

    const sg = new aws.ec2.SecurityGroup(
      `${name}-endpoint`,
      {
        vpcId: args.vpcId,
        description: `${name}: PrivateLink interface endpoint (declared sources in)`,
        tags: { ...tags, Name: `${name}-endpoint` },
      },
      { parent: this },
    );
    for (const r of plan.cidrIngress)
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-in-${r.key}`,
        {
          securityGroupId: sg.id,
          ipProtocol: r.protocol,
          fromPort: r.port,
          toPort: r.port,
          cidrIpv4: r.cidr,
          description: `${name}: ${r.cidr}`,
        },
        { parent: this },
      );
    const protocolPorts = [
      ...plan.ports.map((port) => ({ protocol: "tcp", port })),
      ...plan.udpPorts.map((port) => ({ protocol: "udp", port })),
    ];
    for (const key of plan.securityGroupSources)
      for (const { protocol, port } of protocolPorts)
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-in-${protocol}-${port}-${port}-${key}`,
          {
            securityGroupId: sg.id,
            ipProtocol: protocol,
            fromPort: port,
            toPort: port,
            referencedSecurityGroupId: (args.allowedSecurityGroupIds as Record<string, pulumi.Input<string>>)[
              key
            ],
            description: `${name}: security group ${key}`,
          },
          { parent: this },
        );

    const subnetIds = plan.subnets.map((z) => args.subnets[z.index].subnetId);
    const fixed = plan.subnets.flatMap((z) =>
      plan.addresses[z.index] !== undefined
        ? [{ subnetId: args.subnets[z.index].subnetId, ipv4: plan.addresses[z.index] }]
        : [],
    );
    const endpoint = new aws.ec2.VpcEndpoint(
      `${name}-endpoint`,
      {
        vpcId: args.vpcId,
        serviceName: args.serviceName,
        vpcEndpointType: "Interface",
        subnetIds,
        securityGroupIds: [sg.id],
        privateDnsEnabled: plan.privateDns,
        ipAddressType: "ipv4",
        dnsOptions: { dnsRecordIpType: "ipv4" },
        ...(plan.serviceRegion !== undefined ? { serviceRegion: plan.serviceRegion } : {}),
        ...(fixed.length > 0 ? { subnetConfigurations: fixed } : {}),
        tags: { ...tags, Name: name },
      },
      { parent: this },
    );

    this.endpointId = endpoint.id;
    this.state = endpoint.state;
    this.dnsEntries = endpoint.dnsEntries.apply((entries) =>
      entries.map((e) => ({ dnsName: e.dnsName, hostedZoneId: e.hostedZoneId })),
    );
    this.dnsNames = this.dnsEntries.apply((entries) => entries.map((e) => e.dnsName));
    this.networkInterfaceIds = endpoint.networkInterfaceIds;
    this.addresses = pulumi
      .all([endpoint.subnetConfigurations, pulumi.all(subnetIds)])
      .apply(([configs, ids]) =>
        Object.fromEntries(
          plan.subnets.flatMap((z, i) => {
            const address = configs.find((c) => c.subnetId === ids[i])?.ipv4;
            return address ? [[z.availabilityZone, address]] : [];
          }),
        ),
      );
    this.securityGroupId = sg.id;
    this.registerOutputs({
      endpointId: this.endpointId,
      state: this.state,
      dnsNames: this.dnsNames,
      dnsEntries: this.dnsEntries,
      addresses: this.addresses,
      networkInterfaceIds: this.networkInterfaceIds,
      securityGroupId: this.securityGroupId,
    });
  }
}
