/**
 * What the components that run a router on EC2 share (SoftwareVpnAppliance, SoftwareRemoteAccessVpn): the
 * security group's rules from a plan, the instance role and profile, the AMI, the hardened instance (IMDSv2
 * only with a hop limit of 1, an encrypted gp3 root volume, source/destination check off), its Elastic IP and a
 * status check alarm. Functions, not a base class: the schema analyzer finds only direct subclasses of
 * ComponentResource.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  type ApplianceRulePlan,
  EC2_ASSUME_ROLE_POLICY,
  type HostSettingsPlan,
  IMDS_HOP_LIMIT,
  IMDS_HTTP_TOKENS_REQUIRED,
} from "../model/softwareVpn/appliance";
import { userDataBase64 } from "../model/softwareVpn/userData";
import * as aws from "./aws";

/**
 * The router's security group (`${name}-${suffix}`, tagged `Name` too) with its rules as the plan lists them
 * (`${name}-in-<key>`, `${name}-out-<key>`). A rule for a peer whose address is known only at deployment takes
 * its CIDR from `peerCidrs`.
 */
export function routerSecurityGroup(
  name: string,
  suffix: string,
  group: { vpcId: pulumi.Input<string>; description: string; tags: Record<string, string> },
  rules: { ingress: readonly ApplianceRulePlan[]; egress: readonly ApplianceRulePlan[] },
  parent: pulumi.Resource,
  peerCidrs: Record<string, pulumi.Input<string>> = {},
): aws.ec2.SecurityGroup {
  const sg = new aws.ec2.SecurityGroup(
    `${name}-${suffix}`,
    {
      vpcId: group.vpcId,
      description: group.description,
      tags: { ...group.tags, Name: `${name}-${suffix}` },
    },
    { parent },
  );
  registerSecurityGroupRules(name, sg.id, rules, parent, peerCidrs);
  return sg;
}

/** A VPC route (`name`) to `destination` through the router's network interface. */
export function routeToRouter(
  name: string,
  routeTableId: pulumi.Input<string>,
  destination: string,
  networkInterfaceId: pulumi.Input<string>,
  parent: pulumi.Resource,
): aws.ec2.Route {
  return new aws.ec2.Route(
    name,
    { routeTableId, destinationCidrBlock: destination, networkInterfaceId },
    { parent },
  );
}

/** Registers a security group's rules as the plan lists them (`${name}-in-<key>`, `${name}-out-<key>`). */
function registerSecurityGroupRules(
  name: string,
  securityGroupId: pulumi.Input<string>,
  rules: { ingress: readonly ApplianceRulePlan[]; egress: readonly ApplianceRulePlan[] },
  parent: pulumi.Resource,
  peerCidrs: Record<string, pulumi.Input<string>>,
): void {
  for (const [direction, list] of [
    ["in", rules.ingress],
    ["out", rules.egress],
  ] as const)
    for (const rule of list) {
      const cidr = rule.cidr ?? (rule.peer !== undefined ? peerCidrs[rule.peer] : undefined);
      const props = {
        securityGroupId,
        ipProtocol: rule.protocol,
        ...(rule.fromPort !== undefined ? { fromPort: rule.fromPort, toPort: rule.toPort } : {}),
        ...(rule.self ? { referencedSecurityGroupId: securityGroupId } : { cidrIpv4: cidr }),
        description: `${name}: ${rule.description}`,
      };
      if (direction === "in")
        new aws.vpc.SecurityGroupIngressRule(`${name}-in-${rule.key}`, props, { parent });
      else new aws.vpc.SecurityGroupEgressRule(`${name}-out-${rule.key}`, props, { parent });
    }
}

/** The instances' role (EC2 may assume it) and its instance profile, both named `${name}-${suffix}`. */
export function instanceRole(
  name: string,
  suffix: string,
  description: string,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): { role: aws.iam.Role; profile: aws.iam.InstanceProfile } {
  const role = new aws.iam.Role(
    `${name}-${suffix}`,
    { assumeRolePolicy: JSON.stringify(EC2_ASSUME_ROLE_POLICY), description, tags },
    { parent },
  );
  const profile = new aws.iam.InstanceProfile(`${name}-${suffix}`, { role: role.name, tags }, { parent });
  return { role, profile };
}

/** The AMI given, or the newest Debian 12 image of the architecture from Debian's public SSM parameter. */
export function routerAmi(
  ami: pulumi.Input<string> | undefined,
  host: HostSettingsPlan,
  parent: pulumi.Resource,
): pulumi.Input<string> {
  return ami ?? aws.ssm.getParameterOutput({ name: host.amiParameter }, { parent }).insecureValue;
}

/** What one router instance needs besides its host settings. */
export interface RouterInstanceInput {
  ami: pulumi.Input<string>;
  host: HostSettingsPlan;
  subnetId: pulumi.Input<string>;
  privateIp: string;
  securityGroupId: pulumi.Input<string>;
  profileName: pulumi.Input<string>;
  kmsKeyId?: pulumi.Input<string>;
  /** The rendered user data (cloud-config). Secret: it carries keys. Sent gzip-compressed. */
  userData: pulumi.Output<string>;
  tags: Record<string, string>;
}

/** The hardened router instance. */
export function routerInstance(
  name: string,
  input: RouterInstanceInput,
  parent: pulumi.Resource,
): aws.ec2.Instance {
  return new aws.ec2.Instance(
    name,
    {
      ami: input.ami,
      instanceType: input.host.instanceType,
      subnetId: input.subnetId,
      privateIp: input.privateIp,
      vpcSecurityGroupIds: [input.securityGroupId],
      // It routes packets it is neither the source nor the destination of.
      sourceDestCheck: false,
      iamInstanceProfile: input.profileName,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: IMDS_HTTP_TOKENS_REQUIRED,
        httpPutResponseHopLimit: IMDS_HOP_LIMIT,
      },
      rootBlockDevice: {
        encrypted: true,
        volumeType: "gp3",
        volumeSize: input.host.rootVolumeSizeGiB,
        deleteOnTermination: true,
        ...(input.kmsKeyId !== undefined ? { kmsKeyId: input.kmsKeyId } : {}),
      },
      // Compressed (cloud-init uncompresses gzip): EC2's 16 KB then hold about five times the configuration.
      userDataBase64: input.userData.apply(userDataBase64),
      // cloud-init applies user data at first boot only: new configuration, new instance.
      userDataReplaceOnChange: true,
      tags: input.tags,
    },
    // Its fixed private address cannot be on two instances: the old one goes first.
    { parent, deleteBeforeReplace: true },
  );
}

/** The instance's Elastic IP (the allocation given, or a new one named `name`) and its association. */
export function routerElasticIp(
  name: string,
  instanceId: pulumi.Input<string>,
  allocationId: pulumi.Input<string> | undefined,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): aws.ec2.EipAssociation {
  const allocation =
    allocationId ??
    new aws.ec2.Eip(name, { domain: "vpc", tags: { ...tags, Name: name } }, { parent }).allocationId;
  return new aws.ec2.EipAssociation(name, { allocationId: allocation, instanceId }, { parent });
}

/** An alarm on one of an instance's EC2 status checks (one-minute periods). */
export interface StatusAlarmInput {
  description: string;
  /** "StatusCheckFailed" (either check) or "StatusCheckFailed_System" (the host: what recovery fixes). */
  metricName: string;
  instanceId: pulumi.Input<string>;
  evaluationPeriods: number;
  alarmActions: pulumi.Input<string>[];
  okActions: pulumi.Input<string>[];
  tags: Record<string, string>;
}

/** The status check alarm. */
export function statusAlarm(name: string, input: StatusAlarmInput, parent: pulumi.Resource): void {
  new aws.cloudwatch.MetricAlarm(
    name,
    {
      alarmDescription: input.description,
      namespace: "AWS/EC2",
      metricName: input.metricName,
      dimensions: { InstanceId: input.instanceId },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: input.evaluationPeriods,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      // A stopped or terminated instance reports nothing: that is a failure too.
      treatMissingData: "breaching",
      alarmActions: input.alarmActions,
      okActions: input.okActions,
      tags: input.tags,
    },
    { parent },
  );
}
