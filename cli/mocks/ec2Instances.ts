/**
 * The EC2 instance part of the mock model (the software VPN appliance): instances (id `i-…`, primary network
 * interface, private address, ARN), Elastic IPs and their associations (a public address AWS owns, the same
 * for an allocation wherever it is read), IAM roles, instance profiles and inline role policies (names, ARNs),
 * and the lookups an appliance makes: the partition, and Debian's public SSM parameters for its AMIs.
 */
import {
  autoName,
  awsId,
  type CallContext,
  digest,
  type IdContext,
  type ResourceContext,
  type ServiceMock,
} from "./shared";

/** A public address in AWS-owned space (3.0.0.0/9 is Amazon EC2's), the same for one allocation id. */
export function elasticIpAddress(allocationId: string): string {
  const h = digest(`eip:${allocationId}`);
  return `3.${parseInt(h.slice(0, 2), 16) % 128}.${parseInt(h.slice(2, 4), 16)}.${1 + (parseInt(h.slice(4, 6), 16) % 254)}`;
}

/** A private address when an instance is given none: AWS picks one of the subnet's (here from the identity). */
function privateAddress(seed: string): string {
  const h = digest(`${seed}:ip`);
  return `10.${parseInt(h.slice(0, 2), 16)}.${parseInt(h.slice(2, 4), 16)}.${4 + (parseInt(h.slice(4, 6), 16) % 250)}`;
}

/** The AWS partition of a Region: China and GovCloud have their own. */
function partitionOf(region: string): { partition: string; dnsSuffix: string } {
  if (region.startsWith("cn-")) return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn" };
  if (region.startsWith("us-gov-")) return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com" };
  return { partition: "aws", dnsSuffix: "amazonaws.com" };
}

function id({ type, name, inputs, seed }: IdContext): string | undefined {
  switch (type) {
    case "aws:ec2/instance:Instance":
      return awsId("i", seed);
    case "aws:ec2/eipAssociation:EipAssociation":
      return awsId("eipassoc", seed);
    // IAM roles and instance profiles are known by name; Pulumi auto-names them as `<name>-<7 hex>`.
    case "aws:iam/role:Role":
    case "aws:iam/instanceProfile:InstanceProfile":
      return String(inputs.name ?? autoName(name, seed));
    case "aws:iam/rolePolicy:RolePolicy":
      return `${inputs.role}:${inputs.name ?? autoName(name, seed)}`;
    default:
      return undefined;
  }
}

function outputs({ type, id, inputs, seed, place }: ResourceContext): Record<string, unknown> | undefined {
  const arn = (service: string, path: string, region = place.region) =>
    `arn:${partitionOf(place.region).partition}:${service}:${region}:${place.account}:${path}`;
  switch (type) {
    case "aws:ec2/instance:Instance": {
      const privateIp = typeof inputs.privateIp === "string" ? inputs.privateIp : privateAddress(seed);
      return {
        arn: arn("ec2", `instance/${id}`),
        privateIp,
        privateDns: `ip-${privateIp.replace(/\./g, "-")}.ec2.internal`,
        primaryNetworkInterfaceId: awsId("eni", `${seed}:eni`),
        instanceState: "running",
        publicIp: "",
      };
    }
    case "aws:ec2/eip:Eip":
      return {
        allocationId: id,
        publicIp: elasticIpAddress(id),
        domain: "vpc",
        arn: arn("ec2", `elastic-ip/${id}`),
      };
    case "aws:ec2/eipAssociation:EipAssociation":
      return typeof inputs.allocationId === "string"
        ? { publicIp: elasticIpAddress(inputs.allocationId), privateIpAddress: inputs.privateIpAddress ?? "" }
        : undefined;
    case "aws:iam/role:Role":
      return {
        name: id,
        arn: arn("iam", `role/${id}`, ""),
        uniqueId: `AROA${digest(seed).slice(0, 17).toUpperCase()}`,
      };
    case "aws:iam/instanceProfile:InstanceProfile":
      return {
        name: id,
        arn: arn("iam", `instance-profile/${id}`, ""),
        uniqueId: `AIPA${digest(seed).slice(0, 17).toUpperCase()}`,
      };
    case "aws:iam/rolePolicy:RolePolicy":
      return { name: id.split(":").slice(1).join(":") };
    default:
      return undefined;
  }
}

function call({ token, inputs, place }: CallContext): Record<string, unknown> | undefined {
  switch (token) {
    case "aws:index/getPartition:getPartition": {
      const { partition, dnsSuffix } = partitionOf(place.region);
      return {
        id: partition,
        partition,
        dnsSuffix,
        reverseDnsPrefix: dnsSuffix.split(".").reverse().join("."),
      };
    }
    // Debian publishes its AMIs' ids as public parameters (/aws/service/debian/release/<release>/latest/<arch>):
    // one image per Region and architecture; a public parameter's ARN names no account.
    case "aws:ssm/getParameter:getParameter": {
      const name = String(inputs.name ?? "");
      if (!name.startsWith("/aws/service/debian/release/")) return undefined;
      const ami = awsId("ami", `${place.region}:${name}`);
      return {
        id: name,
        name,
        arn: `arn:${partitionOf(place.region).partition}:ssm:${place.region}::parameter${name}`,
        type: "String",
        value: ami,
        insecureValue: ami,
        version: 1,
        withDecryption: inputs.withDecryption ?? true,
      };
    }
    default:
      return undefined;
  }
}

/** EC2 instances, Elastic IPs, IAM roles and profiles, and the appliance's lookups. */
export const ec2Instances: ServiceMock = { id, outputs, call };
