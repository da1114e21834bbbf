/**
 * The parts of `@pulumi/aws` the components use, each from its own submodule (`@pulumi/aws/ec2`, ...), under
 * the names the root module gives them: a component imports `* as aws from "./aws"` and writes `aws.ec2.Vpc`
 * as before, with the very same types. The root module's declarations pull in every service (about 3,200
 * files), and the schema analyzer and run-plugin's ts-node type-check every file the package reaches; the
 * submodules keep that to the services listed here (issue 15, docs/performance.md). Add a service here
 * before a component uses it.
 */
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as directconnect from "@pulumi/aws/directconnect";
export * as ec2 from "@pulumi/aws/ec2";
export * as ec2clientvpn from "@pulumi/aws/ec2clientvpn";
export * as ec2transitgateway from "@pulumi/aws/ec2transitgateway";
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

// The root module registers the `aws` provider package with the Pulumi runtime: a provider passed to a
// component through Construct (from another language) becomes an `aws.Provider` only then. Loaded at run
// time as before; a plain require() is not followed by the type checker.
require("@pulumi/aws");
