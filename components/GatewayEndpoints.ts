import * as pulumi from "@pulumi/pulumi";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import { componentWhere } from "../model/errors";
import {
  type GatewayEndpointPoliciesSpec,
  type GatewayEndpointsPlan,
  type GatewayEndpointsSpec,
  type GatewayService,
  planGatewayEndpoints,
} from "../model/gatewayEndpoints";
import * as aws from "./aws";
import { ComponentState } from "./componentState";

/**
 * Endpoint policies per service, each a policy document as JSON text (see `GatewayEndpointsArgs.policy`).
 * Each wins over `policy` for its service.
 */
export interface GatewayEndpointPolicies extends GatewayEndpointPoliciesSpec {
  /** Policy of the Amazon S3 endpoint (JSON text). @default `policy`. */
  s3?: pulumi.Input<string>;
  /** Policy of the DynamoDB endpoint (JSON text). @default `policy`. */
  dynamodb?: pulumi.Input<string>;
}

/** @deprecated Renamed `GatewayEndpointPolicies`: the name the package schema gives other languages. */
export type GatewayEndpointPoliciesArgs = GatewayEndpointPolicies;

/** Arguments for `GatewayEndpoints`. */
export interface GatewayEndpointsArgs extends GatewayEndpointsSpec {
  /** The VPC the endpoints are created in (`vpc-...`). A plain string is checked; an Output is taken as is. */
  vpcId: pulumi.Input<string>;
  /**
   * Region of the VPC, such as "eu-west-1": it names the services (`com.amazonaws.eu-west-1.s3`). It must
   * be the region of the component's provider; a gateway endpoint serves only its own region's service.
   */
  region: string;
  /**
   * Services to create a gateway endpoint for: "s3" and/or "dynamodb", the only services with gateway
   * endpoints (every other service needs an interface endpoint). Gateway endpoints cost nothing.
   * @default ["s3", "dynamodb"].
   */
  services?: GatewayService[];
  /**
   * Route tables the endpoints serve, keyed by a stable name (`{ private: "rtb-..." }`). At least one: an
   * endpoint is reached only through the route to the service's prefix list that AWS adds to each of them.
   * A route table can hold one gateway endpoint route per service.
   */
  routeTableIds: Record<string, pulumi.Input<string>>;
  /**
   * Endpoint policy for every endpoint: the policy document as JSON text, with a `Statement`, at most 20,480
   * characters, such as `JSON.stringify({ Statement: [...] })` or the `json` of
   * `aws.iam.getPolicyDocumentOutput(...)`. Plain text is checked before anything registers; an Output is
   * taken as is (AWS checks it). An object is refused: stringify it. @default the narrower policy of
   * `allowedPrincipalOrgId` / `allowedAccountIds` when either is given, else AWS's default full-access policy.
   */
  policy?: pulumi.Input<string>;
  /**
   * Endpoint policy per service (`{ s3: JSON.stringify({...}) }`), JSON text each as `policy`; wins over
   * `policy` for that service. Only services listed in `services`. @default `policy`.
   */
  policies?: GatewayEndpointPolicies;
  /**
   * Only principals of this AWS Organizations organization (`o-...`) may use the endpoints: the generated
   * policy allows the service's actions with the condition `aws:PrincipalOrgID`. Better than AWS's default
   * full-access policy, which lets any credentials used inside the VPC, including another organization's
   * (stolen, or an insider's own), reach any bucket or table through the endpoint: an exfiltration path
   * that this closes. It also refuses anonymous requests and requests signed by AWS service accounts
   * (public Amazon Linux repositories, ECR image layers in AWS-owned buckets): allow those in `policies`
   * if the VPC needs them. @default no restriction.
   */
  allowedPrincipalOrgId?: string;
  /**
   * Only principals of these accounts (12 digits each) may use the endpoints: the generated policy allows
   * the service's actions with the condition `aws:PrincipalAccount`. With `allowedPrincipalOrgId` too, a
   * principal of either may use them. Same benefit and caveats as `allowedPrincipalOrgId`.
   * @default no restriction.
   */
  allowedAccountIds?: string[];
  /** Tags on the endpoints (with `hybridnet:component` and `Name`). @default none. */
  tags?: Record<string, string>;
}

/** The keys GatewayEndpoints's arguments may have (model/argumentKeys). */
const ARGUMENT_KEYS = keysOf<GatewayEndpointsArgs>({
  vpcId: "value",
  region: "value",
  services: "value",
  routeTableIds: "value",
  policy: "value",
  policies: keysOf<GatewayEndpointPolicies>({ s3: "value", dynamodb: "value" }),
  allowedPrincipalOrgId: "value",
  allowedAccountIds: "value",
  tags: "value",
});

const plans = new ComponentState<GatewayEndpoints, GatewayEndpointsPlan>();

/** Whether a value is known only at deployment (an Output or a promise): the model takes such a policy as is. */
function isDeferred(value: unknown): boolean {
  return pulumi.Output.isInstance(value) || value instanceof Promise;
}

/**
 * Gateway VPC endpoints for Amazon S3 and DynamoDB: traffic from the route tables given reaches the service
 * without an internet or NAT gateway, under an endpoint policy narrowed to your organization or accounts
 * when you give them.
 *
 * A gateway endpoint serves only traffic that starts in its VPC, in its region: on-premises networks (VPN,
 * Direct Connect), peered VPCs and transit gateway attachments cannot use it; give them an interface
 * endpoint. 20 gateway endpoints per region by default (adjustable), not checked here.
 */
export class GatewayEndpoints extends pulumi.ComponentResource {
  /** Endpoint ids (`vpce-...`) by service. */
  public readonly endpointIds: pulumi.Output<Record<string, string>>;
  /**
   * Prefix list ids (`pl-...`) of the services by service: the destination of the endpoint routes, and what
   * security group and network ACL rules name to allow traffic to the service.
   */
  public readonly prefixListIds: pulumi.Output<Record<string, string>>;
  /** The plan the component registered: services, service names and policies. */
  public get plan(): GatewayEndpointsPlan {
    return plans.get(this);
  }

  constructor(name: string, args: GatewayEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseUnknownKeys(componentWhere("GatewayEndpoints", name), ARGUMENT_KEYS, args);
    const plan = planGatewayEndpoints(componentWhere("GatewayEndpoints", name), args, isDeferred);
    super("hybridnet:index:GatewayEndpoints", name, {}, opts);
    plans.set(this, plan);
    const tags = { ...args.tags, "hybridnet:component": name };
    const routeTableIds = plan.routeTableKeys.map((key) => args.routeTableIds[key]);

    const endpointIds: Record<string, pulumi.Output<string>> = {};
    const prefixListIds: Record<string, pulumi.Output<string>> = {};
    for (const endpoint of plan.endpoints) {
      const created = new aws.ec2.VpcEndpoint(
        `${name}-${endpoint.service}`,
        {
          vpcId: args.vpcId,
          serviceName: endpoint.serviceName,
          vpcEndpointType: "Gateway",
          routeTableIds,
          // A policy given as an Output is in no plan: it is passed on as given.
          policy: endpoint.policy ?? args.policies?.[endpoint.service] ?? args.policy,
          tags: { ...tags, Name: `${name}-${endpoint.service}` },
        },
        { parent: this },
      );
      endpointIds[endpoint.service] = created.id;
      prefixListIds[endpoint.service] = created.prefixListId;
    }

    this.endpointIds = pulumi.output(endpointIds);
    this.prefixListIds = pulumi.output(prefixListIds);
    this.registerOutputs({ endpointIds: this.endpointIds, prefixListIds: this.prefixListIds });
  }
}
