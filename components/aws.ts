/**
 * The parts of `@pulumi/aws` the components use, each from its own submodule (`@pulumi/aws/ec2`, ...), under
 * the names the root module gives them: a component imports `* as aws from "./aws"` and writes `aws.ec2.Vpc`
 * as before, with the very same types. The root module's declarations pull in every service (about 3,200
 * files), and the schema analyzer and run-plugin's ts-node type-check every file the package reaches; the
 * submodules keep that to the services listed here (issue 15, docs/performance.md). Add a service here
 * before a component uses it.
 *
 * Nor does a program that imports the components load the root module at run time: it requires every one of
 * about 250 services' modules (a fifth of a program's start). The package's entry (index.ts) loads it, for the
 * registration of the `aws` provider package that a component provider needs (docs/performance.md).
 */
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as directconnect from "@pulumi/aws/directconnect";
export * as ec2 from "@pulumi/aws/ec2";
export * as ec2clientvpn from "@pulumi/aws/ec2clientvpn";
export * as ec2transitgateway from "@pulumi/aws/ec2transitgateway";
export { getAvailabilityZones } from "@pulumi/aws/getAvailabilityZones";
export { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
export { getPartitionOutput } from "@pulumi/aws/getPartition";
export { getRegionOutput } from "@pulumi/aws/getRegion";
export * as iam from "@pulumi/aws/iam";
export * as lb from "@pulumi/aws/lb";
export { Provider } from "@pulumi/aws/provider";
export * as ram from "@pulumi/aws/ram";
export * as route53 from "@pulumi/aws/route53";
export * as ssm from "@pulumi/aws/ssm";
export type { Region } from "@pulumi/aws/types/enums";
export * as vpc from "@pulumi/aws/vpc";
