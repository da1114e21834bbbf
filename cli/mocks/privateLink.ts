/**
 * The Elastic Load Balancing and PrivateLink part of the mock model: load balancers, target groups and
 * listeners known by ARN, endpoint services (their service name, zones and private DNS verification record),
 * interface endpoints (DNS names, network interfaces and addresses; refused in a zone the service lacks, as
 * CreateVpcEndpoint refuses it), connection accepters and the Route 53 records of private DNS.
 */
import { interfaceAddress, mockAvailabilityZones, zoneIdOf } from "./ec2Vpc";
import {
  autoName,
  awsId,
  digest,
  type IdContext,
  type MockState,
  type Placement,
  type ResourceContext,
  type ServiceMock,
} from "./shared";

/** ELB ARNs name the load balancer type: `net` (network), `app` (application), `gwy` (gateway). */
const ELB_KIND: Record<string, string> = { network: "net", application: "app", gateway: "gwy" };

/** Route 53 hosted zones of Network Load Balancers and VPC endpoint DNS names in us-east-1 (AWS's own ids). */
const NLB_ZONE_US_EAST_1 = "Z26RNL4JYFTOTI";
const VPCE_ZONE_US_EAST_1 = "Z7HUB22UULQXV";

/** Load balancers, target groups and listeners are known by ARN; accepters and records by what they join. */
function id({ type, name, inputs, seed, place }: IdContext): string | undefined {
  const elb = `arn:aws:elasticloadbalancing:${place.region}:${place.account}`;
  const hex = digest(seed).slice(0, 16);
  switch (type) {
    case "aws:lb/loadBalancer:LoadBalancer": {
      const kind = ELB_KIND[String(inputs.loadBalancerType ?? "application")] ?? "app";
      return `${elb}:loadbalancer/${kind}/${String(inputs.name ?? autoName(name, seed))}/${hex}`;
    }
    case "aws:lb/targetGroup:TargetGroup":
      return `${elb}:targetgroup/${String(inputs.name ?? autoName(name, seed))}/${hex}`;
    case "aws:lb/listener:Listener":
      return `${String(inputs.loadBalancerArn).replace(":loadbalancer/", ":listener/")}/${hex}`;
    case "aws:lb/targetGroupAttachment:TargetGroupAttachment":
      return `${String(inputs.targetGroupArn)}-${digest(seed).slice(0, 20)}`;
    case "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter":
      return `${String(inputs.vpcEndpointServiceId)}_${String(inputs.vpcEndpointId)}`;
    case "aws:vpc/endpointServicePrivateDnsVerification:EndpointServicePrivateDnsVerification":
      return String(inputs.serviceId);
    case "aws:route53/record:Record":
      return `${String(inputs.zoneId)}_${String(inputs.name)}_${String(inputs.type)}`;
    default:
      return undefined;
  }
}

/** A load balancer: its name and DNS name, and its zones by id, from the subnets this run registered (awsx). */
function loadBalancer({ id, inputs, seed, place, state }: ResourceContext): Record<string, unknown> {
  const [, , lbName, hex] = id.split(":").pop()?.split("/") ?? [];
  const internal = inputs.internal === true && inputs.loadBalancerType !== "network" ? "internal-" : "";
  // Its zones by id, as the load balancer's account maps them.
  const zoneIds = ((inputs.subnets as unknown[] | undefined) ?? []).flatMap((subnet) => {
    const zoneId = zoneIdOf(
      place.account,
      place.region,
      state.subnetsById.get(String(subnet))?.availabilityZone,
    );
    return zoneId ? [zoneId] : [];
  });
  state.loadBalancerZones.set(id, zoneIds);
  // Each node's network interface takes an address of its subnet like any other interface (AWS picks a free
  // one; a mapping may give it): never one an endpoint or instance of the same subnet holds.
  const mappings: { subnetId: string; privateIpv4Address?: string }[] = [
    ...((inputs.subnets as unknown[] | undefined) ?? []).map((subnetId) => ({ subnetId: String(subnetId) })),
    ...(
      (inputs.subnetMappings as { subnetId?: unknown; privateIpv4Address?: unknown }[] | undefined) ?? []
    ).map((m) => ({
      subnetId: String(m.subnetId),
      ...(typeof m.privateIpv4Address === "string" ? { privateIpv4Address: m.privateIpv4Address } : {}),
    })),
  ];
  return {
    arn: id,
    subnetMappings: mappings.map((m, i) => ({
      subnetId: m.subnetId,
      privateIpv4Address: interfaceAddress(state, m.subnetId, `${seed}:node${i}`, m.privateIpv4Address),
    })),
    arnSuffix: id.split(":loadbalancer/")[1],
    name: lbName,
    dnsName: `${internal}${lbName}-${hex}.elb.${place.region}.amazonaws.com`,
    zoneId:
      place.region === "us-east-1"
        ? NLB_ZONE_US_EAST_1
        : `Z${digest(place.region).slice(0, 13).toUpperCase()}`,
  };
}

/** An endpoint service: its service name, its load balancers' zones (by name, in the provider's account), DNS. */
function endpointService({ id, inputs, seed, place, state }: ResourceContext): Record<string, unknown> {
  const dns = inputs.privateDnsName;
  const zoneIds = [
    ...new Set(
      ((inputs.networkLoadBalancerArns as unknown[] | undefined) ?? []).flatMap(
        (arn) => state.loadBalancerZones.get(String(arn)) ?? [],
      ),
    ),
  ];
  if (zoneIds.length > 0) state.serviceZones.set(`com.amazonaws.vpce.${place.region}.${id}`, zoneIds);
  const zones = mockAvailabilityZones(place.account, place.region);
  return {
    arn: `arn:aws:ec2:${place.region}:${place.account}:vpc-endpoint-service/${id}`,
    serviceName: `com.amazonaws.vpce.${place.region}.${id}`,
    serviceType: "Interface",
    state: "Available",
    baseEndpointDnsNames: [`${id}.${place.region}.vpce.amazonaws.com`],
    managesVpcEndpoints: false,
    availabilityZones: zones.filter((z) => zoneIds.includes(z.zoneId)).map((z) => z.name),
    supportedRegions: inputs.supportedRegions ?? [place.region],
    supportedIpAddressTypes: inputs.supportedIpAddressTypes ?? ["ipv4"],
    allowedPrincipals: inputs.allowedPrincipals ?? [],
    privateDnsNameConfigurations:
      typeof dns === "string"
        ? [
            {
              name: `_${digest(`${seed}:dns`).slice(0, 20)}`,
              type: "TXT",
              value: `vpce:${digest(`${seed}:txt`).slice(0, 20)}`,
              state: "pendingVerification",
            },
          ]
        : [],
  };
}

/**
 * CreateVpcEndpoint fails when a subnet is in a zone the endpoint service's load balancer does not have,
 * compared by zone id (a zone name means a different zone in each account). Checked where this run knows both
 * the service (registered here) and the subnet's zone (an awsx subnet registered here); a service or subnet of
 * another run is not known, as AWS would know it, so it passes.
 */
function refuseZonesTheServiceLacks(
  state: MockState,
  serviceName: string,
  inputs: Record<string, unknown>,
  place: Placement,
): void {
  const offered = state.serviceZones.get(serviceName);
  if (!offered || inputs.serviceRegion !== undefined) return;
  for (const subnetId of (inputs.subnetIds as unknown[] | undefined) ?? []) {
    const name = state.subnetsById.get(String(subnetId))?.availabilityZone;
    const zoneId = zoneIdOf(place.account, place.region, name);
    if (zoneId && !offered.includes(zoneId))
      throw new Error(
        `InvalidParameter: The VPC endpoint service ${serviceName} does not support the Availability Zone of the subnet: ${String(subnetId)} (${name}, ${zoneId}; the service is in ${offered.join(", ")})`,
      );
  }
}

/**
 * An interface endpoint's DNS names (Regional, then one per subnet's zone) under its service's name, and one
 * network interface and address per subnet (given addresses are kept). An endpoint to an endpoint service
 * waits for the provider's acceptance; one to an AWS service is available at once.
 */
function interfaceEndpoint({ id, inputs, seed, place, state }: ResourceContext): Record<string, unknown> {
  const serviceName = String(inputs.serviceName);
  refuseZonesTheServiceLacks(state, serviceName, inputs, place);
  const endpointService = /^com\.amazonaws\.vpce\.([a-z0-9-]+)\.(vpce-svc-[0-9a-f]+)$/.exec(serviceName);
  const awsService = /^com\.amazonaws\.([a-z]{2}(?:-[a-z]+)+-\d)\.(.+)$/.exec(serviceName);
  const serviceRegion = String(
    inputs.serviceRegion ?? endpointService?.[1] ?? awsService?.[1] ?? place.region,
  );
  const suffix = endpointService
    ? `${endpointService[2]}.${serviceRegion}.vpce.amazonaws.com`
    : `${awsService?.[2] ?? serviceName.split(".").pop()}.${serviceRegion}.vpce.amazonaws.com`;
  const local = `${id}-${digest(seed).slice(0, 8)}`;
  const subnetIds = (inputs.subnetIds as unknown[] | undefined) ?? [];
  const zone =
    place.region === "us-east-1"
      ? VPCE_ZONE_US_EAST_1
      : `Z${digest(`vpce:${place.region}`).slice(0, 13).toUpperCase()}`;
  const given = (inputs.subnetConfigurations as { subnetId?: string; ipv4?: string }[] | undefined) ?? [];
  return {
    arn: `arn:aws:ec2:${place.region}:${place.account}:vpc-endpoint/${id}`,
    state: endpointService ? "pendingAcceptance" : "available",
    serviceRegion,
    dnsEntries: [
      { dnsName: `${local}.${suffix}`, hostedZoneId: zone },
      ...subnetIds.map((_, i) => ({
        dnsName: `${local}-${place.region}${"abcdef"[i % 6]}.${suffix}`,
        hostedZoneId: zone,
      })),
    ],
    networkInterfaceIds: subnetIds.map((_, i) => awsId("eni", `${seed}:eni${i}`)),
    subnetConfigurations: subnetIds.map((subnetId, i) => ({
      subnetId,
      ipv4: interfaceAddress(
        state,
        String(subnetId),
        `${seed}:address${i}`,
        given.find((c) => c.subnetId === subnetId)?.ipv4,
      ),
    })),
  };
}

/** What AWS reports about load balancers, endpoint services, interface endpoints, accepters and records. */
function outputs(resource: ResourceContext): Record<string, unknown> | undefined {
  const { type, id, name, inputs } = resource;
  switch (type) {
    case "aws:lb/loadBalancer:LoadBalancer":
      return loadBalancer(resource);
    case "aws:lb/targetGroup:TargetGroup":
      return { arn: id, arnSuffix: id.split(":").pop(), name: id.split("/")[1] };
    case "aws:lb/listener:Listener":
      return { arn: id };
    case "aws:ec2/vpcEndpointService:VpcEndpointService":
      return endpointService(resource);
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      return inputs.vpcEndpointType === "Interface" ? interfaceEndpoint(resource) : undefined;
    case "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter":
      return { vpcEndpointState: "available" };
    case "aws:route53/record:Record":
      return { fqdn: String(inputs.name ?? name) };
    default:
      return undefined;
  }
}

/** Load balancers, endpoint services, interface endpoints and private DNS records. */
export const privateLink: ServiceMock = { id, outputs };
