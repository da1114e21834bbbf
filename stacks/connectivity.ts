/**
 * The `connectivity` role: the network account of one environment. A transit gateway hub with the
 * environment's segments, shared with the workload accounts through RAM; a VPC of its own attached to the
 * hub; a site-to-site VPN to each data center (BGP, two tunnels each); in production a Direct Connect gateway
 * with transit VIFs carrying a private IP VPN (DX + TGW + VPN), the internet VPN its backup; a VPN CloudHub
 * for branch offices and a Client VPN where configured; the reverse PrivateLink service (workloads reach data
 * center services through it); and, once the workload stacks have published their services, an interface
 * endpoint to each.
 *
 * It reads each workload stack (soft: a workload not deployed yet simply has no endpoint here yet): pass 1
 * creates everything the workloads need; pass 2, after their first pass, adds the endpoints to their services
 * and accepts the endpoints they made to the reverse service.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClientVpn, type ClientVpnArgs } from "../components/ClientVpn";
import { DirectConnectGateway, type DirectConnectGatewayArgs } from "../components/DirectConnectGateway";
import { DirectConnectVpn, type DirectConnectVpnArgs } from "../components/DirectConnectVpn";
import { PrivateLinkEndpoint, type PrivateLinkEndpointArgs } from "../components/PrivateLinkEndpoint";
import { PrivateLinkService, type PrivateLinkServiceArgs } from "../components/PrivateLinkService";
import {
  type HubSegment,
  HYBRIDNET_TRANSIT_GATEWAY_DEFAULTS,
  TransitGatewayHub,
  type TransitGatewayHubArgs,
} from "../components/TransitGatewayHub";
import { TransitGatewayVpn, type TransitGatewayVpnArgs } from "../components/TransitGatewayVpn";
import { VirtualInterfaces, type VirtualInterfacesArgs } from "../components/VirtualInterfaces";
import { VpcAttachment, type VpcAttachmentArgs } from "../components/VpcAttachment";
import { VpnCloudHub, type VpnCloudHubArgs } from "../components/VpnCloudHub";
import { planClientVpn } from "../model/clientVpn";
import { checkDxVpnTransport, planDirectConnectGateway, planVirtualInterfaces } from "../model/directConnect";
import { componentWhere, Problems } from "../model/errors";
import { planPrivateLinkEndpoint, planPrivateLinkService, subnetsInZones } from "../model/privateLink";
import {
  CONFIG_NAMESPACE,
  type ConnectivityConfig,
  qualifiedStackName,
  type StackIdentity,
  workloadStackName,
} from "../model/stackConfig";
import { checkStackOutputs, type WorkloadOutputs, workloadOutputsSchema } from "../model/stackOutputs";
import { planTransitGatewayHub, planVpcAttachment } from "../model/transitGateway";
import { planVpcLayout } from "../model/vpcLayout";
import { DEFAULT_VGW_CONNECTION_QUOTA, planVpnSites } from "../model/vpn";
import {
  accountProvider,
  accountZoneNames,
  componentOptions,
  type InsideCidrsByComponent,
  LATER,
  type LaidOutSubnet,
  laidOutVpc,
  preflight,
  readOwnInsideCidrs,
  readStackOutputs,
  underConfig,
} from "./common";
import { addGatewayEndpoints, checkStackGatewayEndpoints, gatewayEndpointsArgs } from "./gatewayEndpoints";

const TRANSIT_GATEWAY_ASN = 64512;

/** The ids the components take from each other: stand-ins in the preflight, Outputs when registering. */
interface Ids {
  vpcId: pulumi.Input<string>;
  transitGatewayId: pulumi.Input<string>;
  dxGatewayId: pulumi.Input<string>;
  segments: Record<string, HubSegment>;
  privateSubnets:
    | LaidOutSubnet[]
    | { availabilityZone: string; subnetId: pulumi.Input<string>; cidr: string }[];
  transitSubnets: { availabilityZone: string; subnetId: pulumi.Input<string>; cidr: string }[];
  privateRouteTables: Record<string, pulumi.Input<string>>;
}

/** What the workload stacks have published, by workload key. */
type Published = Record<string, WorkloadOutputs>;

/**
 * The arguments of every component of the stack, built once from the config, the ids, the workloads and the
 * inside CIDRs the stack's last deployment allocated.
 */
function componentArgs(
  c: ConnectivityConfig,
  identity: StackIdentity,
  ids: Ids,
  published: Published,
  previous: InsideCidrsByComponent = {},
) {
  const keep = (component: string) =>
    previous[component] !== undefined ? { previousInsideCidrs: previous[component] } : {};
  const tags = { "hybridnet:environment": identity.env };
  const amazonSideAsn = c.hub.amazonSideAsn ?? TRANSIT_GATEWAY_ASN;
  const workloadAccounts = [...new Set(Object.values(c.workloads).map((w) => w.accountId))].sort();
  const dcPrefixes = Object.values(c.vpn.sites).flatMap((s) => s.prefixes);
  const branchPrefixes = Object.values(c.branches?.sites ?? {}).flatMap((s) => s.prefixes);
  // Who uses the workload services through the endpoints here: the data centers, the branches, Client VPN
  // users (their traffic leaves the VPN with the endpoint's addresses, in this VPC) and this VPC itself.
  const clientCidrs = [c.vpc.cidr, ...dcPrefixes, ...branchPrefixes];
  const onprem = ids.segments[c.vpn.segment];
  const onpremTables = {
    association: onprem?.routeTableId,
    propagation: Object.fromEntries(
      (onprem?.propagatesTo ?? []).map((s) => [s, ids.segments[s].routeTableId]),
    ),
  };
  const subnets = ids.privateSubnets.map((s) => ({ ...s }));
  // Who is paged (a connection or link down) and who is only warned (one tunnel down: routine AWS maintenance).
  const tunnelAlarms = {
    ...(c.alarms?.actions ? { actions: c.alarms.actions } : {}),
    ...(c.alarms?.warningActions ? { warningActions: c.alarms.warningActions } : {}),
  };
  const dxAlarms = c.alarms?.actions ? { actions: c.alarms.actions } : {};

  const hub: TransitGatewayHubArgs = {
    segments: c.hub.segments,
    amazonSideAsn,
    principals: workloadAccounts,
    ...(c.hub.transitGatewayCidrBlocks ? { transitGatewayCidrBlocks: c.hub.transitGatewayCidrBlocks } : {}),
    tags,
  };
  const attachment: VpcAttachmentArgs = {
    vpcId: ids.vpcId,
    subnets: ids.transitSubnets,
    transitGatewayId: ids.transitGatewayId,
    segment: c.vpc.segment,
    segments: ids.segments,
    routeTables: ids.privateRouteTables,
    // The data centers' networks go to the hub; the branches' come from the CloudHub's gateway by propagation.
    // The attached workloads' VPCs too: without these routes every session a workload starts toward this VPC
    // is dropped on its way back (found by the reachability check, `hybridnet plan` flows).
    destinations: [...new Set([...dcPrefixes, ...attachedWorkloadCidrs(published)])],
    tags,
  };
  const vpn: TransitGatewayVpnArgs = {
    transitGatewayId: ids.transitGatewayId,
    amazonSideAsn,
    // The hub's transit gateway: default route table association and propagation off.
    existingTransitGateway: HYBRIDNET_TRANSIT_GATEWAY_DEFAULTS,
    sites: c.vpn.sites,
    routeTables: onpremTables,
    tunnelAlarms,
    ...keep("dc"),
    tags,
  };
  const dx = c.directConnect;
  const dxGateway: DirectConnectGatewayArgs | undefined = dx && {
    amazonSideAsn: dx.amazonSideAsn,
    associations: {
      hub: {
        gatewayType: "tgw",
        gatewayId: ids.transitGatewayId,
        allowedPrefixes: dx.allowedPrefixes,
        transitGatewayAsn: amazonSideAsn,
      },
    },
    tags,
  };
  const vifs: VirtualInterfacesArgs | undefined = dx && {
    type: "transit",
    dxGatewayId: ids.dxGatewayId,
    bgpAsn: dx.routerAsn,
    amazonSideAsn: dx.amazonSideAsn,
    mtu: 8500,
    connections: dx.connections,
    environment: identity.env,
    alarms: dxAlarms,
    tags,
  };
  const dxVpn: DirectConnectVpnArgs | undefined = dx && {
    transport: {
      type: "private",
      dxGatewayId: ids.dxGatewayId,
      transitGatewayCidrBlocks: c.hub.transitGatewayCidrBlocks ?? [],
      allowedPrefixes: dx.allowedPrefixes,
    },
    transitGatewayId: ids.transitGatewayId,
    amazonSideAsn,
    existingTransitGateway: HYBRIDNET_TRANSIT_GATEWAY_DEFAULTS,
    sites: dx.sites,
    routeTables: onpremTables,
    tunnelAlarms,
    ...keep("dx-vpn"),
    tags,
  };
  const branches: VpnCloudHubArgs | undefined = c.branches && {
    vpcId: ids.vpcId,
    vpcCidrs: [c.vpc.cidr],
    ...(c.branches.amazonSideAsn !== undefined ? { amazonSideAsn: c.branches.amazonSideAsn } : {}),
    sites: c.branches.sites,
    routeTableIds: ids.privateRouteTables,
    tunnelAlarms,
    ...keep("branches"),
    tags,
  };
  const clientVpn: ClientVpnArgs | undefined = c.clientVpn && {
    vpcId: ids.vpcId,
    vpcCidrs: [c.vpc.cidr],
    clientCidr: c.clientVpn.clientCidr,
    serverCertificateArn: c.clientVpn.serverCertificateArn,
    authentication: {
      mutualTls: { clientRootCertificateChainArn: c.clientVpn.clientRootCertificateChainArn },
    },
    subnets,
    // Remote staff reach the endpoints to the workload services (in this VPC), nothing else.
    authorizationRules: {
      vpc: { destination: c.vpc.cidr, description: "the endpoints to the workload services" },
    },
    tags,
  };
  const reverseService: PrivateLinkServiceArgs = {
    vpcId: ids.vpcId,
    subnets,
    targetGroups: {
      dc: {
        port: c.onPremService.port,
        targetType: "ip",
        // Targets on premises, reached through the hub: "all" zones, as they are outside the VPC.
        targets: Object.fromEntries(
          Object.entries(c.onPremService.targets).map(([k, t]) => [
            k,
            { id: t.ip, availabilityZone: "all", ...(t.port !== undefined ? { port: t.port } : {}) },
          ]),
        ),
      },
    },
    listeners: { tcp: { port: c.onPremService.port, targetGroup: "dc" } },
    consumerCidrs: [...new Set(Object.values(c.workloads).map((w) => w.vpcCidr))].sort(),
    targetCidrs: [...new Set(dcPrefixes)],
    allowedPrincipals: workloadAccounts,
    acceptEndpoints: Object.fromEntries(
      Object.entries(published).flatMap(([k, p]) => (p.onPremEndpointId ? [[k, p.onPremEndpointId]] : [])),
    ),
    tags,
  };
  const endpoints: Record<string, PrivateLinkEndpointArgs> = Object.fromEntries(
    Object.entries(published).flatMap(([k, p]) =>
      p.serviceName && p.servicePort
        ? [
            [
              k,
              {
                vpcId: ids.vpcId,
                serviceName: p.serviceName,
                // Only the zones (by id) the workload's load balancer has: AWS refuses an endpoint subnet
                // elsewhere, and this VPC may span zones the workload does not.
                subnets: subnetsInZones(subnets, p.serviceZoneIds ?? []),
                serviceZoneIds: p.serviceZoneIds ?? [],
                ports: [p.servicePort],
                allowedCidrs: [...new Set(clientCidrs)],
                tags: { ...tags, "hybridnet:workload": k },
              },
            ],
          ]
        : [],
    ),
  );
  return {
    hub,
    attachment,
    vpn,
    dxGateway,
    vifs,
    dxVpn,
    branches,
    clientVpn,
    reverseService,
    endpoints,
    clientCidrs: [...new Set(clientCidrs)],
  };
}

type Args = ReturnType<typeof componentArgs>;

/** The VPC CIDRs of the workloads that published a transit gateway attachment (known from their first pass). */
function attachedWorkloadCidrs(published: Published): string[] {
  return Object.keys(published)
    .sort()
    .flatMap((k) =>
      published[k].attachmentId && published[k].vpcCidr ? [published[k].vpcCidr as string] : [],
    );
}

/** Every component's own checks, before anything registers; problems at config paths where they have one. */
function preflightAll(stack: string, args: Args): void {
  const problems = new Problems();
  preflight(
    problems,
    (p) => underConfig("segments", "hub.segments")(p) ?? underConfig("amazonSideAsn", "hub.amazonSideAsn")(p),
    () => planTransitGatewayHub(componentWhere("TransitGatewayHub", "hub"), args.hub),
  );
  preflight(problems, underConfig("sites", "vpn.sites"), () =>
    planVpnSites(componentWhere("TransitGatewayVpn", "dc"), "dc", args.vpn.sites, {
      gateway: "tgw",
      amazonSideAsn: args.vpn.amazonSideAsn,
      ecmp: true,
      ...(args.vpn.previousInsideCidrs ? { previousInsideCidrs: args.vpn.previousInsideCidrs } : {}),
    }),
  );
  preflight(problems, underConfig("subnets", "vpc.availabilityZones"), () =>
    planVpcAttachment(componentWhere("VpcAttachment", "shared"), args.attachment),
  );
  if (args.dxGateway && args.vifs && args.dxVpn) {
    const { dxGateway, vifs, dxVpn } = args;
    preflight(
      problems,
      underConfig("associations.hub.allowedPrefixes", "directConnect.allowedPrefixes"),
      () => planDirectConnectGateway(componentWhere("DirectConnectGateway", "dx"), "dx", dxGateway),
    );
    preflight(problems, underConfig("connections", "directConnect.connections"), () =>
      planVirtualInterfaces(componentWhere("VirtualInterfaces", "dx"), "dx", vifs),
    );
    preflight(problems, underConfig("sites", "directConnect.sites"), () =>
      planVpnSites(
        componentWhere("DirectConnectVpn", "dx-vpn"),
        "dx-vpn",
        dxVpn.sites,
        {
          gateway: "tgw",
          amazonSideAsn: dxVpn.amazonSideAsn,
          ecmp: true,
          outsideIpAddressType: "PrivateIpv4",
          ...(dxVpn.previousInsideCidrs ? { previousInsideCidrs: dxVpn.previousInsideCidrs } : {}),
        },
        (inner) =>
          checkDxVpnTransport(inner, {
            transport: dxVpn.transport,
            transitGatewayId: dxVpn.transitGatewayId,
            sites: dxVpn.sites,
          }),
      ),
    );
  }
  if (args.branches) {
    const branches = args.branches;
    preflight(problems, underConfig("sites", "branches.sites"), () =>
      planVpnSites(componentWhere("VpnCloudHub", "branches"), "branches", branches.sites, {
        gateway: "vgw",
        cloudHub: true,
        ...(branches.amazonSideAsn !== undefined ? { amazonSideAsn: branches.amazonSideAsn } : {}),
        awsCidrs: branches.vpcCidrs,
        connectionQuota: DEFAULT_VGW_CONNECTION_QUOTA,
        ...(branches.previousInsideCidrs ? { previousInsideCidrs: branches.previousInsideCidrs } : {}),
      }),
    );
  }
  if (args.clientVpn) {
    const clientVpn = args.clientVpn;
    preflight(problems, underConfig("clientCidr", "clientVpn.clientCidr"), () =>
      planClientVpn(componentWhere("ClientVpn", "staff"), clientVpn),
    );
  }
  preflight(problems, underConfig("targetGroups.dc.targets", "onPremService.targets"), () =>
    planPrivateLinkService(componentWhere("PrivateLinkService", "onprem"), "onprem", args.reverseService),
  );
  for (const [k, endpoint] of Object.entries(args.endpoints))
    preflight(
      problems,
      () => undefined,
      () => planPrivateLinkEndpoint(componentWhere("PrivateLinkEndpoint", `to-${k}`), endpoint),
    );
  problems.throwIfAny(stack);
}

/** Reads what each workload stack has published; a workload not deployed yet has published nothing. */
async function readWorkloads(identity: StackIdentity, c: ConnectivityConfig): Promise<Published> {
  const published: Published = {};
  const problems = new Problems();
  for (const workload of Object.keys(c.workloads).sort()) {
    const stack = workloadStackName(workload, identity.env);
    const reference = new pulumi.StackReference(stack, {
      name: qualifiedStackName(identity.organization, stack),
    });
    const outputs = await readStackOutputs(reference, Object.keys(workloadOutputsSchema.shape));
    try {
      const p = checkStackOutputs(identity.stack, stack, workloadOutputsSchema, outputs);
      published[workload] = p;
      if (p.serviceName && !p.serviceZoneIds)
        problems.add(
          `stack output ${stack}.serviceZoneIds`,
          undefined,
          `the zone ids of ${stack}'s load balancer, where the endpoint to its service can go; ${stack} does not output it: update ${stack} to this version of the program`,
        );
      // PrivateLink pairs zones by id: the endpoint needs two zones of this VPC that the service has too.
      const common = c.vpc.availabilityZones.filter((z) => p.serviceZoneIds?.includes(z));
      if (p.serviceName && p.serviceZoneIds && common.length < 2)
        problems.add(
          `${CONFIG_NAMESPACE}:vpc.availabilityZones`,
          c.vpc.availabilityZones,
          `at least two zone ids of ${stack}'s service (stack output ${stack}.serviceZoneIds: ${p.serviceZoneIds.join(", ")}): an interface endpoint can use only zones its service's load balancer has`,
        );
    } catch (e) {
      for (const p of (e as { problems?: { path: string; value: unknown; allowed: string }[] }).problems ??
        [])
        problems.add(p.path, p.value, p.allowed);
    }
  }
  problems.throwIfAny(identity.stack);
  return published;
}

/** The connectivity stack: registers its resources and returns the outputs the workload stacks read. */
export async function connectivityStack(identity: StackIdentity, c: ConnectivityConfig) {
  const published = await readWorkloads(identity, c);
  const previous = await readOwnInsideCidrs(identity);
  const layout = planVpcLayout(identity.stack, c.vpc, "hybridnet:vpc");
  // The components' own checks on stand-in ids: the segments as the policy resolves them, the planned subnets.
  const resolved = planTransitGatewayHubSafe(c).segments;
  const later = laterIds(layout);
  later.segments = Object.fromEntries(
    Object.keys(c.hub.segments).map((s) => [
      s,
      { routeTableId: LATER, propagatesTo: resolved[s]?.propagatesTo ?? [] },
    ]),
  );
  preflightAll(identity.stack, componentArgs(c, identity, later, published, previous));
  const endpointsAt = (ids: {
    vpcId: pulumi.Input<string>;
    privateRouteTables: Ids["privateRouteTables"];
  }) => ({
    accountId: c.aws.accountId,
    region: c.aws.region,
    vpcId: ids.vpcId,
    zones: layout.availabilityZones,
    privateRouteTables: ids.privateRouteTables,
    tags: { "hybridnet:environment": identity.env },
  });
  checkStackGatewayEndpoints(
    identity.stack,
    "connectivity-endpoints",
    c.gatewayEndpoints,
    endpointsAt(later),
  );

  // Nothing registered before this line: every check above passed.
  const provider = accountProvider("network", identity, c.aws);
  const zoneNames = await accountZoneNames(
    identity.stack,
    provider,
    c.aws.accountId,
    layout.availabilityZones,
    `${CONFIG_NAMESPACE}:vpc.availabilityZones`,
  );
  const opts = componentOptions(provider, identity.prod);
  const tags = { "hybridnet:environment": identity.env };
  const hub = new TransitGatewayHub("hub", componentArgs(c, identity, later, published, previous).hub, opts);
  const vpc = laidOutVpc("connectivity", layout, zoneNames, provider, opts, tags);
  const ids: Ids = {
    vpcId: vpc.vpcId,
    transitGatewayId: hub.transitGatewayId,
    dxGatewayId: LATER,
    segments: hub.segmentRouting,
    privateSubnets: vpc.subnets.private,
    transitSubnets: vpc.subnets.transit,
    privateRouteTables: vpc.privateRouteTables,
  };
  // The Direct Connect gateway first: the VIFs and the private IP VPN take its id.
  const dxGatewayArgs = componentArgs(c, identity, ids, published, previous).dxGateway;
  const dxGateway = dxGatewayArgs && new DirectConnectGateway("dx", dxGatewayArgs, opts);
  if (dxGateway) ids.dxGatewayId = dxGateway.dxGatewayId;
  const args = componentArgs(c, identity, ids, published, previous);
  const shared = new VpcAttachment("shared", args.attachment, opts);
  const dcVpn = new TransitGatewayVpn("dc", args.vpn, opts);
  const vifs = args.vifs && new VirtualInterfaces("dx", args.vifs, opts);
  const dxVpn =
    args.dxVpn &&
    new DirectConnectVpn(
      "dx-vpn",
      {
        ...args.dxVpn,
        transport: {
          ...args.dxVpn.transport,
          transportAttachmentId: dxGateway!.transitGatewayAttachmentIds.apply((a) => a.hub),
        },
      },
      { ...opts, dependsOn: vifs ? [vifs] : [] },
    );
  const branches = args.branches && new VpnCloudHub("branches", args.branches, opts);
  const clientVpn = args.clientVpn && new ClientVpn("staff", args.clientVpn, opts);
  const onPrem = new PrivateLinkService("onprem", args.reverseService, opts);
  const endpoints = Object.fromEntries(
    Object.entries(args.endpoints).map(([k, a]) => [k, new PrivateLinkEndpoint(`to-${k}`, a, opts)]),
  );

  const gatewayEndpoints =
    c.gatewayEndpoints &&
    addGatewayEndpoints(
      "connectivity-endpoints",
      gatewayEndpointsArgs(c.gatewayEndpoints, endpointsAt(vpc)),
      opts,
    );

  const byKey = <T>(entries: [string, pulumi.Output<T>][]) =>
    pulumi.all(Object.fromEntries(entries)) as pulumi.Output<Record<string, pulumi.Unwrap<T>>>;
  return {
    connectivityAccountId: c.aws.accountId,
    region: c.aws.region,
    transitGatewayId: hub.transitGatewayId,
    transitGatewayAsn: hub.amazonSideAsn,
    segments: hub.segments,
    resourceShareArn: hub.resourceShareArn,
    sharedVpcId: vpc.vpcId,
    sharedVpcCidr: c.vpc.cidr,
    sharedVpcAttachmentId: shared.attachmentId,
    subnetLayout: layout.tiers,
    subnets: vpc.published,
    clientCidrs: args.clientCidrs,
    onPremService: {
      serviceName: onPrem.serviceName,
      port: c.onPremService.port,
      zoneIds: onPrem.plan.subnets.map((s) => s.availabilityZone),
    },
    acceptedEndpointIds: onPrem.acceptedEndpointIds,
    endpointIds: byKey(Object.entries(endpoints).map(([k, e]) => [k, e.endpointId])),
    endpointDnsNames: byKey(Object.entries(endpoints).map(([k, e]) => [k, e.dnsNames])),
    vpnConnections: dcVpn.connections,
    vpnPresharedKeys: dcVpn.presharedKeys,
    // Read back by the next run (readOwnInsideCidrs), so no tunnel's inside CIDR ever moves.
    tunnelInsideCidrs: pulumi.all({
      dc: dcVpn.insideCidrs,
      ...(dxVpn ? { "dx-vpn": dxVpn.insideCidrs } : {}),
      ...(branches ? { branches: branches.insideCidrs } : {}),
    }),
    ...(dxGateway && vifs && dxVpn
      ? {
          directConnect: {
            dxGatewayId: dxGateway.dxGatewayId,
            virtualInterfaceIds: vifs.virtualInterfaceIds,
            vpnConnections: dxVpn.connections,
          },
          directConnectPresharedKeys: dxVpn.presharedKeys,
        }
      : {}),
    ...(branches
      ? { branchConnections: branches.connections, branchPresharedKeys: branches.presharedKeys }
      : {}),
    ...(clientVpn ? { clientVpnEndpointId: clientVpn.endpointId, clientVpnDnsName: clientVpn.dnsName } : {}),
    ...gatewayEndpoints,
  };
}

function laterIds(layout: ReturnType<typeof planVpcLayout>): Ids {
  const placeholders = (tier: string) =>
    layout.subnets.filter((s) => s.tier === tier).map((s) => ({ ...s, subnetId: LATER }));
  return {
    vpcId: LATER,
    transitGatewayId: LATER,
    dxGatewayId: LATER,
    segments: {},
    privateSubnets: placeholders("private"),
    transitSubnets: placeholders("transit"),
    privateRouteTables: Object.fromEntries(layout.availabilityZones.map((z) => [`private-${z}`, LATER])),
  };
}

/** The hub's resolved segments for the preflight; a policy the hub refuses resolves to none here. */
function planTransitGatewayHubSafe(c: ConnectivityConfig) {
  try {
    return planTransitGatewayHub("hub", { segments: c.hub.segments });
  } catch {
    return { segments: {} as Record<string, { propagatesTo: string[] }> };
  }
}
