/**
 * What the landing-zone stacks read from each other through StackReferences, as zod schemas: the outputs of
 * the connectivity stack a workload stack needs, and the outputs of a workload stack the connectivity stack
 * picks up on its second pass. A stack checks what it read before it registers anything, so a stack deployed
 * out of order, or an output of the wrong shape, fails with the referenced stack, the output, its value and
 * what was expected. Pure: no Pulumi import.
 */
import { z } from "zod";
import { type Problem, Problems, ValidationError } from "./errors";
import { accountIdProblem, regionProblem } from "./identifiers";
import { problemsFromIssues } from "./stackConfig";
import { ZONE_ID_RULE, zoneIdProblem } from "./zones";

const ENDPOINT_SERVICE_NAME = /^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-f]{8,17}$/;
const serviceName = z
  .string()
  .regex(ENDPOINT_SERVICE_NAME, "an endpoint service name: com.amazonaws.vpce.<region>.vpce-svc-...");
const endpointId = z.string().regex(/^vpce-[0-9a-f]{8,17}$/, "an interface endpoint id (vpce-...)");
const port = z.int().min(1).max(65535);
/** Zone ids of a service's load balancer: ids, since names differ between the provider's and consumer's accounts. */
const zoneIds = z
  .array(z.string().refine((v) => !zoneIdProblem(v), ZONE_ID_RULE))
  .min(1, "the zone ids (use1-az1) of the service's load balancer");

const transitGatewayId = z.string().regex(/^tgw-[0-9a-f]{8,17}$/, "a transit gateway id (tgw-...)");
const segments = z.record(
  z.string(),
  z.object({
    routeTableId: z.string().regex(/^tgw-rtb-[0-9a-f]{8,17}$/),
    propagatesTo: z.array(z.string()),
  }),
);

/** The connectivity stack's outputs a workload stack reads. */
export const connectivityOutputsSchema = z.object({
  transitGatewayId,
  segments,
  /**
   * The transit gateways of the environment's other Regions (hybridnet:hub.regions), by Region: a workload in
   * one of them attaches there. Absent when the environment has one Region.
   */
  regionalHubs: z.record(z.string(), z.object({ transitGatewayId, segments })).optional(),
  connectivityAccountId: z.string().refine((v) => !accountIdProblem(v), "a 12-digit account id"),
  /** The hub's Region: a workload stack in another Region cannot attach to it or reach its services as configured. */
  region: z.string().refine((v) => !regionProblem(v), "a region code such as us-east-1"),
  sharedVpcCidr: z.string(),
  clientCidrs: z.array(z.string()).min(1),
  /** The reverse service: its name, port and the zone ids of its load balancer (the endpoints go there only). */
  onPremService: z.object({
    serviceName,
    port,
    zoneIds,
    /** Regions whose consumers may reach it (its own and, cross-Region, the other workloads' Regions). */
    supportedRegions: z.array(z.string()).optional(),
  }),
  /** Connectivity's endpoints to the workload services, by workload: present from its second pass on. */
  endpointIds: z.record(z.string(), endpointId).optional(),
  /** The VPN connections to each workload's appliance pair (hybridnet:softwareVpnToHub): from its second pass on. */
  get softwareVpnHub() {
    return z.record(z.string(), softwareVpnHubOutputSchema).optional();
  },
});
export type ConnectivityOutputs = z.infer<typeof connectivityOutputsSchema>;

/** A workload stack's outputs the connectivity stack reads; every one absent until the workload deploys. */
export const workloadOutputsSchema = z.object({
  serviceName: serviceName.optional(),
  servicePort: port.optional(),
  /** Zone ids of the service's load balancer: the network account's endpoint can use only these zones. */
  serviceZoneIds: zoneIds.optional(),
  onPremEndpointId: endpointId.optional(),
  /** The workload VPC's CIDR and, when it is attached to the hub, its attachment: the hub VPC routes back to it. */
  vpcCidr: z.string().optional(),
  attachmentId: z
    .string()
    .regex(/^tgw-attach-[0-9a-f]{8,17}$/, "a transit gateway attachment id")
    .optional(),
  /** The hub segment of the attachment: the transit gateway peering routes to it as the segment policy allows. */
  segment: z.string().optional(),
  /** Regions whose consumers may reach the service (its own and the cross-Region ones it supports). */
  serviceRegions: z.array(z.string()).optional(),
  /** Its appliance pair for the hub (hybridnet:softwareVpnToHub): the VPN connections here end on it. */
  get softwareVpnToHub() {
    return softwareVpnToHubOutputSchema.optional();
  },
});
export type WorkloadOutputs = z.infer<typeof workloadOutputsSchema>;

/**
 * A workload stack's outputs that a workload peering with it reads (the requester reads its accepter): where
 * its VPC is, its CIDR, the private route tables that get routes back to the requester, and which workloads it
 * requests peering with itself (two stacks declaring the same peering would request two connections).
 */
export const workloadPeerOutputsSchema = z.object({
  accountId: z.string().refine((v) => !accountIdProblem(v), "a 12-digit account id"),
  region: z.string().refine((v) => !regionProblem(v), "a region code such as us-east-1"),
  vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, "a VPC id (vpc-...)"),
  vpcCidr: z.string(),
  /** Route table ids of the VPC's private subnets, keyed `private-<zone id>`. */
  privateRouteTableIds: z
    .record(z.string(), z.string().regex(/^rtb-[0-9a-f]{8,17}$/, "a route table id (rtb-...)"))
    .refine((r) => Object.keys(r).length > 0, "at least one private route table"),
  /** The workloads this one requests VPC peering with (its hybridnet:peering keys). */
  peers: z.array(z.string()),
});
export type WorkloadPeerOutputs = z.infer<typeof workloadPeerOutputsSchema>;

/**
 * Checks `outputs`, read from stack `referenced` by stack `reader`, against `schema`. Missing required outputs
 * say to deploy the referenced stack first. Throws one ValidationError naming `reader`.
 */
export function checkStackOutputs<T extends z.ZodType>(
  reader: string,
  referenced: string,
  schema: T,
  outputs: Record<string, unknown>,
): z.infer<T> {
  const parsed = schema.safeParse(outputs);
  if (parsed.success) return parsed.data;
  const problems = new Problems();
  const deployed = Object.keys(outputs).length > 0;
  for (const p of problemsFromIssues(outputs, parsed.error.issues) as Problem[]) {
    const output = p.path.replace(/^hybridnet:/, "");
    problems.add(
      `stack output ${referenced}.${output}`,
      p.value,
      p.value === undefined
        ? deployed
          ? `${p.allowed}; ${referenced} does not output it: update ${referenced} to this version of the program`
          : `${p.allowed}; ${referenced} has no outputs yet: deploy it first (its pass 1)`
        : p.allowed,
    );
  }
  problems.throwIfAny(reader);
  throw new ValidationError(reader, []);
}

// ---------------------------------------------------------------------------------------------------
// The software VPN options across stacks (issue 16): what each side of hybridnet:softwareVpnPeering and of
// hybridnet:softwareVpnToHub publishes for the other. A block of its own.

const ipv4 = z.string().regex(/^\d{1,3}(?:\.\d{1,3}){3}$/, "an IPv4 address");
/** An appliance pair's Elastic IPs, by role. */
const applianceIps = z.object({ primary: ipv4, standby: ipv4 });

/** A workload's side of a software VPN peering (its `softwareVpnPeering` output), as the other side reads it. */
export const softwarePeerOutputsSchema = z.object({
  softwareVpnPeering: z.object({
    /** The workload it peers with. */
    peer: z.string(),
    side: z.enum(["a", "b"]),
    /** Its appliances' BGP ASN. */
    asn: z.int(),
    vpcCidr: z.string(),
    publicIps: applianceIps,
  }),
});
export type SoftwarePeerOutputs = z.infer<typeof softwarePeerOutputsSchema>["softwareVpnPeering"];

/** A workload's appliance pair for the hub (its `softwareVpnToHub` output), as the connectivity stack reads it. */
export const softwareVpnToHubOutputSchema = z.object({
  segment: z.string(),
  asn: z.int(),
  vpcCidr: z.string(),
  publicIps: applianceIps,
});
export type SoftwareVpnToHubOutput = z.infer<typeof softwareVpnToHubOutputSchema>;

const tunnelInfo = z.object({
  outsideAddress: ipv4,
  insideCidr: z.string(),
  awsInsideAddress: z.string(),
  customerInsideAddress: z.string(),
});
/**
 * The connectivity stack's VPN connections to one workload's appliance pair (its `softwareVpnHub.<workload>`
 * output): the hub's ASN and, by appliance role, the connection's id and two tunnels. The keys are a secret
 * output of their own (`softwareVpnHubPresharedKeys`).
 */
export const softwareVpnHubOutputSchema = z.object({
  amazonSideAsn: z.int(),
  connections: z.object({
    primary: z.object({ connectionId: z.string(), tunnels: z.array(tunnelInfo).length(2) }),
    standby: z.object({ connectionId: z.string(), tunnels: z.array(tunnelInfo).length(2) }),
  }),
});
export type SoftwareVpnHubOutput = z.infer<typeof softwareVpnHubOutputSchema>;
