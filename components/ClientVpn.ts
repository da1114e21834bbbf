import * as pulumi from "@pulumi/pulumi";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import {
  type ClientAuthenticationSpec,
  type ClientVpnPlan,
  type ClientVpnSpec,
  type ConnectionLogSpec,
  planClientVpn,
} from "../model/clientVpn";
import { componentWhere } from "../model/errors";
import type { ZonalSubnet } from "../model/subnets";
import * as aws from "./aws";
import { ComponentState } from "./componentState";

/** A target subnet (network association); see `ZonalSubnet`. Its CIDR is required here. */
export interface ClientVpnSubnet extends ZonalSubnet {
  /** Subnet id (`subnet-...`). */
  subnetId: pulumi.Input<string>;
  /** IPv4 CIDR of the subnet: /27 or larger, inside the VPC's CIDRs, outside the client CIDR. */
  cidr: string;
}

/** @deprecated Renamed `ClientVpnSubnet`: the name the package schema gives other languages. */
export type ClientVpnSubnetArgs = ClientVpnSubnet;

/** Mutual TLS authentication: clients present certificates issued by one CA. */
export interface ClientVpnMutualTls {
  /** ACM ARN of the client certificate chain's root CA. */
  clientRootCertificateChainArn: pulumi.Input<string>;
}

/** @deprecated Renamed `ClientVpnMutualTls`: the name the package schema gives other languages. */
export type ClientVpnMutualTlsArgs = ClientVpnMutualTls;

/** SAML 2.0 federation through an IAM SAML provider. */
export interface ClientVpnSaml {
  /** ARN of the IAM SAML identity provider. */
  samlProviderArn: pulumi.Input<string>;
  /** ARN of the IAM SAML provider for the self-service portal. @default `samlProviderArn`. */
  selfServiceSamlProviderArn?: pulumi.Input<string>;
}

/** @deprecated Renamed `ClientVpnSaml`: the name the package schema gives other languages. */
export type ClientVpnSamlArgs = ClientVpnSaml;

/** How clients authenticate; see `ClientAuthenticationSpec`. Exactly one of the two. */
export interface ClientVpnAuthentication extends ClientAuthenticationSpec {
  /** Mutual TLS: clients present certificates issued by this CA. Groups do not exist with it. */
  mutualTls?: ClientVpnMutualTls;
  /** SAML 2.0 federation through an IAM SAML provider. Authorization rules may name IdP groups. */
  saml?: ClientVpnSaml;
}

/** @deprecated Renamed `ClientVpnAuthentication`: the name the package schema gives other languages. */
export type ClientVpnAuthenticationArgs = ClientVpnAuthentication;

/** Connection logs; see `ConnectionLogSpec`. */
export interface ClientVpnConnectionLog extends ConnectionLogSpec {
  /** KMS key ARN to encrypt the log group with. @default the CloudWatch Logs service key. */
  kmsKeyId?: pulumi.Input<string>;
}

/** @deprecated Renamed `ClientVpnConnectionLog`: the name the package schema gives other languages. */
export type ClientVpnConnectionLogArgs = ClientVpnConnectionLog;

/** Arguments for `ClientVpn`. See `ClientVpnSpec` for every rule checked. */
export interface ClientVpnArgs extends ClientVpnSpec {
  /** VPC of the target subnets. */
  vpcId: pulumi.Input<string>;
  /** ACM ARN of the server certificate clients verify. */
  serverCertificateArn: pulumi.Input<string>;
  /** Mutual TLS (`mutualTls`) or SAML (`saml`), exactly one. */
  authentication: ClientVpnAuthentication;
  /**
   * Target subnets (network associations): one per Availability Zone (AWS takes one per zone), at least two
   * zones, each /27 or larger with its CIDR.
   */
  subnets: ClientVpnSubnet[];
  /** Connection logs in CloudWatch Logs (always on). @default a log group kept 365 days. */
  connectionLogs?: ClientVpnConnectionLog;
  /** Tags on every AWS resource the component creates. */
  tags?: Record<string, string>;
}

/** The keys ClientVpn's arguments may have (model/argumentKeys). */
const ARGUMENT_KEYS = keysOf<ClientVpnArgs>({
  vpcId: "value",
  vpcCidrs: "value",
  clientCidr: "value",
  serverCertificateArn: "value",
  authentication: keysOf<ClientVpnAuthentication>({
    mutualTls: { keys: { clientRootCertificateChainArn: "value" } },
    saml: { keys: { samlProviderArn: "value", selfServiceSamlProviderArn: "value" } },
  }),
  subnets: { list: { keys: { availabilityZone: "value", subnetId: "value", cidr: "value" } } },
  splitTunnel: "value",
  transportProtocol: "value",
  vpnPort: "value",
  sessionTimeoutHours: "value",
  disconnectOnSessionTimeout: "value",
  dnsServers: "value",
  selfServicePortal: "value",
  authorizationRules: { record: { keys: { destination: "value", groupId: "value", description: "value" } } },
  routes: { record: { keys: { destination: "value", description: "value" } } },
  connectionLogs: keysOf<ClientVpnConnectionLog>({ retentionInDays: "value", kmsKeyId: "value" }),
  authorizationRuleQuota: "value",
  routeQuota: "value",
  description: "value",
  tags: "value",
});

const plans = new ComponentState<ClientVpn, ClientVpnPlan>();

/**
 * AWS Client VPN: a remote-access endpoint with mutual TLS or SAML, a client CIDR checked against AWS's size
 * limits and the VPC, split tunnel on by default, connection logs in CloudWatch Logs, associations with
 * subnets in at least two Availability Zones, authorization rules per group and destination, and routes
 * through every associated subnet. Its security group sends only to the authorized destinations.
 */
export class ClientVpn extends pulumi.ComponentResource {
  /** Client VPN endpoint id (`cvpn-endpoint-...`). */
  public readonly endpointId: pulumi.Output<string>;
  /** DNS name clients connect to (in the client configuration). */
  public readonly dnsName: pulumi.Output<string>;
  /** Security group of the endpoint's network interfaces: reference it in the targets' security groups. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** CloudWatch log group of the connection logs. */
  public readonly logGroupName: pulumi.Output<string>;
  /** Network association ids by Availability Zone. */
  public readonly associationIds: pulumi.Output<Record<string, string>>;
  /** Self-service portal URL (SAML with `selfServicePortal` only; empty otherwise). */
  public readonly selfServicePortalUrl: pulumi.Output<string>;
  /** The plan the component registered. */
  public get plan(): ClientVpnPlan {
    return plans.get(this);
  }

  constructor(name: string, args: ClientVpnArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseUnknownKeys(componentWhere("ClientVpn", name), ARGUMENT_KEYS, args);
    const plan = planClientVpn(componentWhere("ClientVpn", name), args);
    super("hybridnet:index:ClientVpn", name, {}, opts);
    plans.set(this, plan);
    const tags = { ...args.tags, "hybridnet:component": name };

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-connection-logs`,
      {
        namePrefix: `/hybridnet/client-vpn/${name}-`,
        retentionInDays: plan.logRetentionInDays,
        ...(args.connectionLogs?.kmsKeyId !== undefined ? { kmsKeyId: args.connectionLogs.kmsKeyId } : {}),
        tags,
      },
      // Who connected from where is an audit record: it outlives the endpoint, to its retention.
      { parent: this, retainOnDelete: true },
    );
    const logStream = new aws.cloudwatch.LogStream(
      `${name}-connections`,
      { logGroupName: logGroup.name, name: "connections" },
      { parent: this },
    );

    const sg = new aws.ec2.SecurityGroup(
      `${name}-endpoint`,
      {
        vpcId: args.vpcId,
        description: `${name}: Client VPN (out to the authorized networks only)`,
        tags: { ...tags, Name: `${name}-endpoint` },
      },
      { parent: this },
    );
    // Client traffic leaves the endpoint's interfaces in the target subnets: the security group lets it go
    // only where an authorization rule lets clients go.
    for (const cidr of plan.egressCidrs)
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-out-${cidr.replace(/[./]/g, "-")}`,
        {
          securityGroupId: sg.id,
          ipProtocol: "-1",
          cidrIpv4: cidr,
          description: `${name}: clients to ${cidr}`,
        },
        { parent: this },
      );

    const auth = args.authentication;
    const authenticationOptions = auth.mutualTls
      ? [
          {
            type: "certificate-authentication",
            rootCertificateChainArn: auth.mutualTls.clientRootCertificateChainArn,
          },
        ]
      : [
          {
            type: "federated-authentication",
            samlProviderArn: auth.saml?.samlProviderArn,
            ...(auth.saml?.selfServiceSamlProviderArn !== undefined
              ? { selfServiceSamlProviderArn: auth.saml.selfServiceSamlProviderArn }
              : {}),
          },
        ];
    const endpoint = new aws.ec2clientvpn.Endpoint(
      `${name}-endpoint`,
      {
        ...(args.description !== undefined ? { description: args.description } : {}),
        vpcId: args.vpcId,
        securityGroupIds: [sg.id],
        clientCidrBlock: plan.clientCidr,
        serverCertificateArn: args.serverCertificateArn,
        authenticationOptions,
        connectionLogOptions: {
          enabled: true,
          cloudwatchLogGroup: logGroup.name,
          cloudwatchLogStream: logStream.name,
        },
        splitTunnel: plan.splitTunnel,
        transportProtocol: plan.transportProtocol,
        vpnPort: plan.vpnPort,
        sessionTimeoutHours: plan.sessionTimeoutHours,
        disconnectOnSessionTimeout: plan.disconnectOnSessionTimeout,
        ...(plan.dnsServers.length > 0 ? { dnsServers: plan.dnsServers } : {}),
        selfServicePortal: plan.selfServicePortal ? "enabled" : "disabled",
        tags: { ...tags, Name: name },
      },
      { parent: this },
    );

    // Resource names come from the zone: a Client VPN endpoint takes one subnet per zone.
    const associations = plan.subnets.map((z) => ({
      zone: z.availabilityZone,
      subnetId: args.subnets[z.index].subnetId,
      association: new aws.ec2clientvpn.NetworkAssociation(
        `${name}-${z.availabilityZone}`,
        { clientVpnEndpointId: endpoint.id, subnetId: args.subnets[z.index].subnetId },
        { parent: this },
      ),
    }));

    for (const rule of plan.authorizationRules)
      new aws.ec2clientvpn.AuthorizationRule(
        `${name}-auth-${rule.key}`,
        {
          clientVpnEndpointId: endpoint.id,
          targetNetworkCidr: rule.destination,
          ...(rule.groupId !== undefined ? { accessGroupId: rule.groupId } : { authorizeAllGroups: true }),
          description: rule.description ?? `${name}: ${rule.groupId ?? "all clients"} to ${rule.destination}`,
        },
        { parent: this },
      );

    // A route goes through each associated subnet, so losing a zone keeps the destination reachable; AWS
    // refuses a route through a subnet that is not associated yet.
    for (const route of plan.routes)
      for (const a of associations)
        new aws.ec2clientvpn.Route(
          `${name}-route-${route.key}-${a.zone}`,
          {
            clientVpnEndpointId: endpoint.id,
            destinationCidrBlock: route.destination,
            targetVpcSubnetId: a.subnetId,
            description: route.description ?? `${name}: ${route.destination} via ${a.zone}`,
          },
          { parent: this, dependsOn: [a.association] },
        );

    this.endpointId = endpoint.id;
    this.dnsName = endpoint.dnsName;
    this.securityGroupId = sg.id;
    this.logGroupName = logGroup.name;
    this.associationIds = pulumi
      .all(associations.map((a) => a.association.associationId.apply((id) => [a.zone, id] as const)))
      .apply((e) => Object.fromEntries(e));
    this.selfServicePortalUrl = endpoint.selfServicePortalUrl;
    this.registerOutputs({
      endpointId: this.endpointId,
      dnsName: this.dnsName,
      securityGroupId: this.securityGroupId,
      logGroupName: this.logGroupName,
      associationIds: this.associationIds,
      selfServicePortalUrl: this.selfServicePortalUrl,
    });
  }
}
