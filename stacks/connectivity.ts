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
import * as aws from "../components/aws";
import { ClientVpn, type ClientVpnArgs } from "../components/ClientVpn";
import { DirectConnectGateway, type DirectConnectGatewayArgs } from "../components/DirectConnectGateway";
import {
  DirectConnectVpn,
  type DirectConnectVpnArgs,
  type DirectConnectVpnSite,
} from "../components/DirectConnectVpn";
import { PrivateLinkEndpoint, type PrivateLinkEndpointArgs } from "../components/PrivateLinkEndpoint";
import { PrivateLinkService, type PrivateLinkServiceArgs } from "../components/PrivateLinkService";
import {
  type HubSegment,
  HYBRIDNET_TRANSIT_GATEWAY_DEFAULTS,
  TransitGatewayHub,
  type TransitGatewayHubArgs,
} from "../components/TransitGatewayHub";
import { TransitGatewayPeering, type TransitGatewayPeeringArgs } from "../components/TransitGatewayPeering";
import { TransitGatewayVpn, type TransitGatewayVpnArgs } from "../components/TransitGatewayVpn";
import { VirtualInterfaces, type VirtualInterfacesArgs } from "../components/VirtualInterfaces";
import { VpcAttachment, type VpcAttachmentArgs } from "../components/VpcAttachment";
import { VpnCloudHub, type VpnCloudHubArgs } from "../components/VpnCloudHub";
import { planClientVpn } from "../model/clientVpn";
import { checkDxVpnTransport, planDirectConnectGateway, planVirtualInterfaces } from "../model/directConnect";
import { componentWhere, Problems } from "../model/errors";
import { planTransitGatewayPeering } from "../model/peering";
import { planPrivateLinkEndpoint, planPrivateLinkService, subnetsInZones } from "../model/privateLink";
import { addMembers, planRegionPeering, type SegmentMembers } from "../model/regions";
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
  componentSites,
  type InsideCidrsByComponent,
  LATER,
  type LaidOutSubnet,
  laidOutVpc,
  preflight,
  readOwnInsideCidrs,
  readStackOutputs,
  stackAccess,
  underConfig,
} from "./common";
import {
  addSoftwareVpnHub,
  preflightSoftwareVpnHub,
  softwareVpnHubArgs,
  softwareVpnHubWorkloads,
} from "./connectivitySoftwareVpn";
import {
  addTransitVpc,
  laterPublicSubnets,
  preflightTransitVpc,
  TRANSIT_VPC_NAME,
  transitVpcArgs,
  withTransitVpcOutputs,
} from "./connectivityTransitVpc";
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
  /** The virtual private gateway of the connectivity VPC (Direct Connect gateway "vgw"). */
  vpnGatewayId: pulumi.Input<string>;
  /** The transit gateways of the other Regions (hybridnet:hub.regions), by Region. */
  regions: Record<string, { transitGatewayId: pulumi.Input<string>; segments: Record<string, HubSegment> }>;
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
  const workloadAccounts = accountsIn(c, c.aws.region);
  const dcPrefixes = Object.values(c.vpn.sites).flatMap((s) => s.prefixes);
  const branchPrefixes = Object.values(c.branches?.sites ?? {}).flatMap((s) => s.prefixes);
  // Who uses the workload services through the endpoints here: the data centers, the branches, Client VPN
  // users (their traffic leaves the VPN with the endpoint's addresses, in this VPC) and this VPC itself.
  // Direct Connect-only sites (gateway "vgw") use the services too, and the reverse service's targets may be there.
  const dxOnlyPrefixes =
    c.directConnect?.gateway === "vgw" ? Object.values(c.directConnect.sites).flatMap((s) => s.prefixes) : [];
  const clientCidrs = [c.vpc.cidr, ...dcPrefixes, ...branchPrefixes, ...dxOnlyPrefixes];
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
    sites: componentSites(c.vpn.sites),
    routeTables: onpremTables,
    tunnelAlarms,
    ...keep("dc"),
    tags,
  };
  const { dxGateway, vifs, dxVpn, publicVifs } = directConnectArgs(c, identity, ids, {
    tags,
    tunnelAlarms,
    dxAlarms,
    onpremTables,
    keep: keep("dx-vpn"),
  });
  const branches: VpnCloudHubArgs | undefined = c.branches && {
    vpcId: ids.vpcId,
    vpcCidrs: [c.vpc.cidr],
    ...(c.branches.amazonSideAsn !== undefined ? { amazonSideAsn: c.branches.amazonSideAsn } : {}),
    sites: componentSites(c.branches.sites),
    routeTableIds: ids.privateRouteTables,
    tunnelAlarms,
    ...keep("branches"),
    tags,
  };
  const clientVpn = clientVpnArgs(c, ids.vpcId, subnets, tags);
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
    targetCidrs: [...new Set([...dcPrefixes, ...dxOnlyPrefixes])],
    // Every account of the environment's workloads, in the hub's Region or another (cross-Region PrivateLink).
    allowedPrincipals: accountsIn(c),
    ...(otherRegions(c).length > 0 ? { consumerRegions: otherRegions(c) } : {}),
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
                ...endpointPlacement(c, k, subnets, p),
                ports: [p.servicePort],
                allowedCidrs: [...new Set(clientCidrs)],
                tags: { ...tags, "hybridnet:workload": k },
              },
            ],
          ]
        : [],
    ),
  );
  const regionalHubs: Record<string, TransitGatewayHubArgs> = Object.fromEntries(
    Object.entries(c.hub.regions ?? {}).map(([region, spec]) => [
      region,
      {
        segments: c.hub.segments,
        amazonSideAsn: spec.amazonSideAsn,
        principals: accountsIn(c, region),
        ...(spec.transitGatewayCidrBlocks ? { transitGatewayCidrBlocks: spec.transitGatewayCidrBlocks } : {}),
        tags,
      },
    ]),
  );
  return {
    hub,
    attachment,
    vpn,
    dxGateway,
    vifs,
    dxVpn,
    publicVifs,
    regionalHubs,
    peerings: peeringArgs(identity, c, ids, published, tags),
    branches,
    clientVpn,
    reverseService,
    endpoints,
    clientCidrs: [...new Set(clientCidrs)],
  };
}

type Args = ReturnType<typeof componentArgs>;

/** The Region of workload `key` (hybridnet:workloads.<key>.region): the hub's unless set. */
function workloadRegion(c: ConnectivityConfig, key: string): string {
  return c.workloads[key]?.region ?? c.aws.region;
}

/** The workload accounts, sorted: of Region `region`, or of every Region. */
function accountsIn(c: ConnectivityConfig, region?: string): string[] {
  const keys = Object.keys(c.workloads).filter(
    (k) => region === undefined || workloadRegion(c, k) === region,
  );
  return [...new Set(keys.map((k) => c.workloads[k].accountId))].sort();
}

/** The Regions other than the hub's that workloads are in: they consume the reverse service cross-Region. */
function otherRegions(c: ConnectivityConfig): string[] {
  const regions = Object.keys(c.workloads).map((k) => workloadRegion(c, k));
  return [...new Set(regions)].filter((r) => r !== c.aws.region).sort();
}

/**
 * Where the endpoint to workload `key`'s service goes. Same Region: only the zones (by id) the workload's load
 * balancer has (AWS refuses an endpoint subnet elsewhere, and this VPC may span zones the workload does not).
 * Another Region: cross-Region PrivateLink, `serviceRegion`, in every zone here (zones are per Region).
 */
function endpointPlacement<S extends { availabilityZone: string }>(
  c: ConnectivityConfig,
  key: string,
  subnets: S[],
  p: WorkloadOutputs,
) {
  const region = workloadRegion(c, key);
  if (region !== c.aws.region) return { subnets, serviceRegion: region };
  return { subnets: subnetsInZones(subnets, p.serviceZoneIds ?? []), serviceZoneIds: p.serviceZoneIds ?? [] };
}

/** What the Direct Connect components share with the others. */
interface DirectConnectShared {
  tags: Record<string, string>;
  tunnelAlarms: DirectConnectVpnArgs["tunnelAlarms"];
  dxAlarms: VirtualInterfacesArgs["alarms"];
  onpremTables: DirectConnectVpnArgs["routeTables"];
  keep: { previousInsideCidrs?: Record<string, string[]> };
}

/**
 * Direct Connect from hybridnet:directConnect. "tgw": the gateway on the hub, transit VIFs and a private IP VPN
 * to each data center (DX + TGW + VPN). "vgw": the gateway on the connectivity VPC's virtual private gateway
 * and private VIFs to the Direct Connect-only sites. Either way, the public VIFs where configured.
 */
function directConnectArgs(
  c: ConnectivityConfig,
  identity: StackIdentity,
  ids: Ids,
  shared: DirectConnectShared,
) {
  const dx = c.directConnect;
  if (!dx) return {};
  const { tags, tunnelAlarms, dxAlarms, onpremTables, keep } = shared;
  const onVgw = dx.gateway === "vgw";
  const amazonSideAsn = c.hub.amazonSideAsn ?? TRANSIT_GATEWAY_ASN;
  const dxGateway: DirectConnectGatewayArgs = {
    amazonSideAsn: dx.amazonSideAsn,
    associations: onVgw
      ? {
          // AWS advertises whole VPC CIDRs over a VGW association: each allowed prefix covers the VPC's CIDR.
          vpc: {
            gatewayType: "vgw",
            gatewayId: ids.vpnGatewayId,
            allowedPrefixes: dx.allowedPrefixes,
            vpcCidrs: [c.vpc.cidr],
          },
        }
      : {
          hub: {
            gatewayType: "tgw",
            gatewayId: ids.transitGatewayId,
            allowedPrefixes: dx.allowedPrefixes,
            transitGatewayAsn: amazonSideAsn,
          },
        },
    tags,
  };
  const vifs: VirtualInterfacesArgs = {
    type: onVgw ? "private" : "transit",
    dxGatewayId: ids.dxGatewayId,
    bgpAsn: dx.routerAsn,
    amazonSideAsn: dx.amazonSideAsn,
    ...(onVgw ? {} : { mtu: 8500 }),
    connections: dx.connections,
    environment: identity.env,
    alarms: dxAlarms,
    tags,
  };
  const dxVpn: DirectConnectVpnArgs | undefined = onVgw
    ? undefined
    : {
        transport: {
          type: "private",
          dxGatewayId: ids.dxGatewayId,
          transitGatewayCidrBlocks: c.hub.transitGatewayCidrBlocks ?? [],
          allowedPrefixes: dx.allowedPrefixes,
        },
        transitGatewayId: ids.transitGatewayId,
        amazonSideAsn,
        existingTransitGateway: HYBRIDNET_TRANSIT_GATEWAY_DEFAULTS,
        // Every "tgw" site has its device's address and ASN (checked with the config).
        sites: dx.sites as Record<string, DirectConnectVpnSite>,
        routeTables: onpremTables,
        tunnelAlarms,
        ...keep,
        tags,
      };
  const publicVifs: VirtualInterfacesArgs | undefined = dx.publicVifs && {
    type: "public",
    bgpAsn: dx.publicVifs.routerAsn ?? dx.routerAsn,
    advertisedPrefixes: dx.publicVifs.advertisedPrefixes,
    connections: dx.publicVifs.connections,
    environment: identity.env,
    alarms: dxAlarms,
    tags,
  };
  return { dxGateway, vifs, dxVpn, publicVifs };
}

/**
 * The Client VPN from hybridnet:clientVpn: mutual TLS or SAML, the settings as given, and by default every user
 * authorized to the connectivity VPC only (the endpoints to the workload services).
 */
function clientVpnArgs(
  c: ConnectivityConfig,
  vpcId: pulumi.Input<string>,
  subnets: ClientVpnArgs["subnets"],
  tags: Record<string, string>,
): ClientVpnArgs | undefined {
  if (!c.clientVpn) return undefined;
  const {
    clientCidr,
    serverCertificateArn,
    clientRootCertificateChainArn,
    samlProviderArn,
    selfServiceSamlProviderArn,
    authorizationRules,
    ...settings
  } = c.clientVpn;
  return {
    vpcId,
    vpcCidrs: [c.vpc.cidr],
    clientCidr,
    serverCertificateArn,
    authentication:
      samlProviderArn !== undefined
        ? { saml: { samlProviderArn, ...(selfServiceSamlProviderArn ? { selfServiceSamlProviderArn } : {}) } }
        : { mutualTls: { clientRootCertificateChainArn: clientRootCertificateChainArn ?? "" } },
    subnets,
    // Remote staff reach the endpoints to the workload services (in this VPC), nothing else, unless configured.
    authorizationRules: authorizationRules ?? {
      vpc: { destination: c.vpc.cidr, description: "the endpoints to the workload services" },
    },
    ...settings,
    tags,
  };
}

/** The networks attached to each Region's transit gateway, by segment (model/regions). */
function membersByRegion(c: ConnectivityConfig, published: Published): Record<string, SegmentMembers> {
  const members: Record<string, SegmentMembers> = { [c.aws.region]: {} };
  addMembers(members[c.aws.region], c.vpc.segment, [c.vpc.cidr]);
  addMembers(
    members[c.aws.region],
    c.vpn.segment,
    Object.values(c.vpn.sites).flatMap((s) => s.prefixes),
  );
  for (const key of Object.keys(published).sort()) {
    const p = published[key];
    if (!p.attachmentId || !p.vpcCidr || !p.segment) continue;
    const region = workloadRegion(c, key);
    members[region] ??= {};
    addMembers(members[region], p.segment, [p.vpcCidr]);
  }
  return members;
}

/**
 * The transit gateway peering of each other Region with the hub: associated on both sides with the connectivity
 * VPC's segment, static routes per segment as the segment policy allows (model/regions). A Region is peered
 * once it has a network to route to: a workload attached there (the workload's first run, then this stack's).
 * The peer side is reached through the network account's role in the peer's Region: the component makes that provider.
 */
function peeringArgs(
  identity: StackIdentity,
  c: ConnectivityConfig,
  ids: Ids,
  published: Published,
  tags: Record<string, string>,
): Record<string, TransitGatewayPeeringArgs> {
  const members = membersByRegion(c, published);
  const association = c.vpc.segment;
  const peerings: Record<string, TransitGatewayPeeringArgs> = {};
  for (const [region, spec] of Object.entries(c.hub.regions ?? {})) {
    const remote = ids.regions[region];
    if (!remote) continue;
    const plan = planRegionPeering(ids.segments, association, members[c.aws.region], members[region] ?? {});
    if (!plan.complete) continue;
    const tables = (segments: Record<string, HubSegment>, routes: Record<string, string[]>) =>
      Object.fromEntries(Object.keys(routes).map((s) => [s, segments[s].routeTableId]));
    peerings[region] = {
      local: {
        transitGatewayId: ids.transitGatewayId,
        region: c.aws.region,
        accountId: c.aws.accountId,
        amazonSideAsn: c.hub.amazonSideAsn ?? TRANSIT_GATEWAY_ASN,
        cidrs: plan.hubCidrs,
        associationRouteTableId: ids.segments[association]?.routeTableId,
        routeTables: tables(ids.segments, plan.hubRoutes),
        destinations: plan.hubRoutes,
      },
      peer: {
        transitGatewayId: remote.transitGatewayId,
        region,
        accountId: c.aws.accountId,
        amazonSideAsn: spec.amazonSideAsn,
        cidrs: plan.regionCidrs,
        associationRouteTableId: remote.segments[association]?.routeTableId,
        routeTables: tables(remote.segments, plan.regionRoutes),
        destinations: plan.regionRoutes,
        access: stackAccess(identity, c.aws.roleArn),
      },
      tags,
    };
  }
  return peerings;
}

/** The VPC CIDRs of the workloads that published a transit gateway attachment (known from their first pass). */
function attachedWorkloadCidrs(published: Published): string[] {
  return Object.keys(published)
    .sort()
    .flatMap((k) =>
      (published[k].attachmentId || published[k].softwareVpnToHub) && published[k].vpcCidr
        ? [published[k].vpcCidr as string]
        : [],
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
  preflightOptions(problems, args);
  if (args.dxVpn) {
    const { dxVpn } = args;
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
    preflight(problems, clientVpnConfigPath, () =>
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

/** The config path of a ClientVpn argument path: the settings keep their names, authentication is flattened. */
function clientVpnConfigPath(path: string): string | undefined {
  const flattened: Record<string, string> = {
    "authentication.mutualTls.clientRootCertificateChainArn": "clientRootCertificateChainArn",
    "authentication.saml.samlProviderArn": "samlProviderArn",
    "authentication.saml.selfServiceSamlProviderArn": "selfServiceSamlProviderArn",
    authentication: "",
  };
  for (const [arg, config] of Object.entries(flattened))
    if (path === arg || path.startsWith(`${arg}.`))
      return `${CONFIG_NAMESPACE}:clientVpn${config ? `.${config}` : ""}${path.slice(arg.length)}`;
  const top = path.split(/[.[]/)[0];
  if (top === "subnets" || top === "vpcId" || top === "vpcCidrs") return undefined;
  return `${CONFIG_NAMESPACE}:clientVpn.${path}`;
}

/**
 * The checks of the Direct Connect gateway and VIFs (either association), the public VIFs, the other Regions'
 * transit gateways and their peerings with the hub, before anything registers.
 */
function preflightOptions(problems: Problems, args: Args): void {
  const { dxGateway, vifs, publicVifs } = args;
  if (dxGateway)
    preflight(
      problems,
      (p) =>
        underConfig("associations.hub.allowedPrefixes", "directConnect.allowedPrefixes")(p) ??
        underConfig("associations.vpc.allowedPrefixes", "directConnect.allowedPrefixes")(p) ??
        underConfig("associations.vpc.vpcCidrs[0]", "vpc.cidr")(p) ??
        underConfig("amazonSideAsn", "directConnect.amazonSideAsn")(p),
      () => planDirectConnectGateway(componentWhere("DirectConnectGateway", "dx"), "dx", dxGateway),
    );
  if (vifs)
    preflight(problems, underConfig("connections", "directConnect.connections"), () =>
      planVirtualInterfaces(componentWhere("VirtualInterfaces", "dx"), "dx", vifs),
    );
  if (publicVifs)
    preflight(
      problems,
      (p) =>
        underConfig("connections", "directConnect.publicVifs.connections")(p) ??
        underConfig("advertisedPrefixes", "directConnect.publicVifs.advertisedPrefixes")(p) ??
        underConfig("bgpAsn", "directConnect.publicVifs.routerAsn")(p),
      () => planVirtualInterfaces(componentWhere("VirtualInterfaces", "dx-public"), "dx-public", publicVifs),
    );
  for (const [region, hub] of Object.entries(args.regionalHubs))
    preflight(
      problems,
      (p) =>
        underConfig("amazonSideAsn", `hub.regions.${region}.amazonSideAsn`)(p) ??
        underConfig("transitGatewayCidrBlocks", `hub.regions.${region}.transitGatewayCidrBlocks`)(p),
      () => planTransitGatewayHub(componentWhere("TransitGatewayHub", `hub-${region}`), hub),
    );
  for (const [region, peering] of Object.entries(args.peerings))
    preflight(
      problems,
      () => undefined,
      () => planTransitGatewayPeering(componentWhere("TransitGatewayPeering", `hub-${region}`), peering),
    );
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
      // Cross-Region PrivateLink: AWS refuses an endpoint from a Region the service does not support.
      const crossRegion = workloadRegion(c, workload) !== c.aws.region;
      if (crossRegion && p.serviceName && !p.serviceRegions?.includes(c.aws.region))
        problems.add(
          `stack output ${stack}.serviceRegions`,
          p.serviceRegions,
          `a list with ${c.aws.region}, this stack's Region: the service of ${stack} (in ${workloadRegion(c, workload)}) must support it for the cross-Region endpoint here; update ${stack} to this version of the program`,
        );
      // PrivateLink pairs zones by id: the endpoint needs two zones of this VPC that the service has too.
      const common = c.vpc.availabilityZones.filter((z) => p.serviceZoneIds?.includes(z));
      if (!crossRegion && p.serviceName && p.serviceZoneIds && common.length < 2)
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
  // The transit VPC's appliances need public subnets: awsx takes one in every zone or in none.
  const publicZones = c.transitVpc ? { publicZones: c.vpc.availabilityZones } : {};
  const layout = planVpcLayout(identity.stack, { ...c.vpc, ...publicZones }, "hybridnet:vpc");
  // The components' own checks on stand-in ids: the segments as the policy resolves them, the planned subnets.
  const resolved = planTransitGatewayHubSafe(c).segments;
  const later = laterIds(layout);
  later.segments = Object.fromEntries(
    Object.keys(c.hub.segments).map((s) => [
      s,
      { routeTableId: LATER, propagatesTo: resolved[s]?.propagatesTo ?? [] },
    ]),
  );
  later.regions = Object.fromEntries(
    Object.keys(c.hub.regions ?? {}).map((r) => [r, { transitGatewayId: LATER, segments: later.segments }]),
  );
  preflightAll(identity.stack, componentArgs(c, identity, later, published, previous));
  const hubVpnArgs = (hub: { transitGatewayId: pulumi.Input<string>; segments: Ids["segments"] }) =>
    Object.fromEntries(
      hubVpnWorkloads.map((key) => [
        key,
        softwareVpnHubArgs(key, published[key], hub, {
          amazonSideAsn: c.hub.amazonSideAsn ?? TRANSIT_GATEWAY_ASN,
          previous,
          tunnelAlarms: componentArgs(c, identity, later, published, previous).vpn.tunnelAlarms,
          tags: { "hybridnet:environment": identity.env },
        }),
      ]),
    );
  const hubVpnProblems = new Problems();
  const hubVpnWorkloads = softwareVpnHubWorkloads(hubVpnProblems, c, identity.env, published);
  preflightSoftwareVpnHub(hubVpnProblems, identity.env, hubVpnArgs(later));
  hubVpnProblems.throwIfAny(identity.stack);
  const transitProblems = new Problems();
  preflightTransitVpc(
    transitProblems,
    transitVpcArgs(
      identity,
      c,
      layout,
      { ...later, publicSubnets: laterPublicSubnets(layout) },
      previous[TRANSIT_VPC_NAME],
    ),
  );
  transitProblems.throwIfAny(identity.stack);
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
  const firstArgs = componentArgs(c, identity, later, published, previous);
  const hub = new TransitGatewayHub("hub", firstArgs.hub, opts);
  const regions = regionalHubs(identity, c, firstArgs.regionalHubs);
  const vpc = laidOutVpc("connectivity", layout, zoneNames, provider, opts, tags);
  const ids: Ids = {
    vpcId: vpc.vpcId,
    transitGatewayId: hub.transitGatewayId,
    dxGatewayId: LATER,
    segments: hub.segmentRouting,
    privateSubnets: vpc.subnets.private,
    transitSubnets: vpc.subnets.transit,
    privateRouteTables: vpc.privateRouteTables,
    vpnGatewayId: LATER,
    regions: Object.fromEntries(
      Object.entries(regions).map(([r, h]) => [
        r,
        { transitGatewayId: h.hub.transitGatewayId, segments: h.hub.segmentRouting },
      ]),
    ),
  };
  // A virtual private gateway for Direct Connect on the VPC: the CloudHub's where there is one (a VPC has one).
  const onVgw = c.directConnect?.gateway === "vgw";
  const earlyBranches =
    onVgw && firstArgs.branches
      ? new VpnCloudHub("branches", componentArgs(c, identity, ids, published, previous).branches!, opts)
      : undefined;
  if (onVgw)
    ids.vpnGatewayId = earlyBranches
      ? earlyBranches.vpnGatewayId
      : vpcGateway(c, ids, provider, opts, tags).vpnGatewayId;
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
  const publicVifs = args.publicVifs && new VirtualInterfaces("dx-public", args.publicVifs, opts);
  const branches = earlyBranches ?? (args.branches && new VpnCloudHub("branches", args.branches, opts));
  const clientVpn = args.clientVpn && new ClientVpn("staff", args.clientVpn, opts);
  const onPrem = new PrivateLinkService("onprem", args.reverseService, opts);
  const endpoints = Object.fromEntries(
    Object.entries(args.endpoints).map(([k, a]) => [k, new PrivateLinkEndpoint(`to-${k}`, a, opts)]),
  );
  const peerings = Object.fromEntries(
    Object.entries(args.peerings).map(([region, a]) => [
      region,
      new TransitGatewayPeering(`hub-${region}`, a, opts),
    ]),
  );

  const gatewayEndpoints =
    c.gatewayEndpoints &&
    addGatewayEndpoints(
      "connectivity-endpoints",
      gatewayEndpointsArgs(c.gatewayEndpoints, endpointsAt(vpc)),
      opts,
    );

  const hubVpn = addSoftwareVpnHub(
    hubVpnArgs({ transitGatewayId: hub.transitGatewayId, segments: hub.segmentRouting }),
    opts,
  );
  const publicSubnets = Object.fromEntries(vpc.subnets.public.map((s) => [s.availabilityZone, s.subnetId]));
  const transitArgs = transitVpcArgs(
    identity,
    c,
    layout,
    { ...vpc, publicSubnets },
    previous[TRANSIT_VPC_NAME],
  );
  const transit = transitArgs && addTransitVpc(transitArgs, opts);

  const outputs = connectivityOutputs(c, {
    hub,
    vpc,
    layout,
    shared,
    args,
    onPrem,
    endpoints,
    dcVpn,
    dxGateway,
    vifs,
    dxVpn,
    publicVifs,
    branches,
    clientVpn,
    regions,
    peerings,
    vpnGatewayId: onVgw ? ids.vpnGatewayId : undefined,
    gatewayEndpoints,
  });
  const withHubVpn = {
    ...outputs,
    ...hubVpn.outputs,
    tunnelInsideCidrs: pulumi
      .all([outputs.tunnelInsideCidrs, pulumi.all(hubVpn.insideCidrs)])
      .apply(([own, hubVpns]) => ({ ...own, ...hubVpns })),
  };
  return withTransitVpcOutputs(withHubVpn, transit);
}

/** What the connectivity stack registered, for its outputs. */
interface Registered {
  hub: TransitGatewayHub;
  vpc: ReturnType<typeof laidOutVpc>;
  layout: ReturnType<typeof planVpcLayout>;
  shared: VpcAttachment;
  args: Args;
  onPrem: PrivateLinkService;
  endpoints: Record<string, PrivateLinkEndpoint>;
  dcVpn: TransitGatewayVpn;
  dxGateway?: DirectConnectGateway;
  vifs?: VirtualInterfaces;
  dxVpn?: DirectConnectVpn;
  publicVifs?: VirtualInterfaces;
  branches?: VpnCloudHub;
  clientVpn?: ClientVpn;
  regions: ReturnType<typeof regionalHubs>;
  peerings: Record<string, TransitGatewayPeering>;
  /** The VPC's virtual private gateway of Direct Connect "vgw". */
  vpnGatewayId?: pulumi.Input<string>;
  /** The outputs of the VPC's gateway endpoints (hybridnet:gatewayEndpoints), when configured. */
  gatewayEndpoints?: ReturnType<typeof addGatewayEndpoints>;
}

/** The outputs the workload stacks (and this stack's next run) read, from what the stack registered. */
function connectivityOutputs(c: ConnectivityConfig, r: Registered) {
  const { hub, vpc, layout, shared, args, onPrem, endpoints, dcVpn, dxGateway, vifs, dxVpn } = r;
  const { publicVifs, branches, clientVpn, regions, peerings, vpnGatewayId, gatewayEndpoints } = r;
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
      // Cross-Region consumers: the workloads of other Regions check theirs is listed.
      ...(otherRegions(c).length > 0 ? { supportedRegions: [c.aws.region, ...otherRegions(c)] } : {}),
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
    ...(dxGateway && vifs && vpnGatewayId
      ? {
          directConnect: {
            dxGatewayId: dxGateway.dxGatewayId,
            virtualInterfaceIds: vifs.virtualInterfaceIds,
            vpnGatewayId,
          },
        }
      : {}),
    ...(publicVifs ? { publicVirtualInterfaceIds: publicVifs.virtualInterfaceIds } : {}),
    ...(branches
      ? { branchConnections: branches.connections, branchPresharedKeys: branches.presharedKeys }
      : {}),
    ...(clientVpn ? { clientVpnEndpointId: clientVpn.endpointId, clientVpnDnsName: clientVpn.dnsName } : {}),
    ...gatewayEndpoints,
    ...(Object.keys(regions).length > 0
      ? {
          regionalHubs: pulumi.all(
            Object.fromEntries(
              Object.entries(regions).map(([r, h]) => [
                r,
                pulumi.output({
                  transitGatewayId: h.hub.transitGatewayId,
                  transitGatewayAsn: h.hub.amazonSideAsn,
                  segments: h.hub.segments,
                  resourceShareArn: h.hub.resourceShareArn,
                  ...(peerings[r] ? { peeringAttachmentId: peerings[r].attachmentId } : {}),
                }),
              ]),
            ),
          ),
        }
      : {}),
  };
}

/**
 * The transit gateway of each other Region (hybridnet:hub.regions), through a provider of the network account
 * in that Region: the same segments as the hub, shared with the workload accounts of that Region.
 */
function regionalHubs(
  identity: StackIdentity,
  c: ConnectivityConfig,
  args: Record<string, TransitGatewayHubArgs>,
): Record<string, { hub: TransitGatewayHub; provider: aws.Provider }> {
  return Object.fromEntries(
    Object.entries(args).map(([region, a]) => {
      const provider = accountProvider(`network-${region}`, identity, { ...c.aws, region });
      const hub = new TransitGatewayHub(`hub-${region}`, a, componentOptions(provider, identity.prod));
      return [region, { hub, provider }];
    }),
  );
}

/**
 * The connectivity VPC's virtual private gateway for Direct Connect ("vgw"), attached to the VPC, its routes
 * propagated into the private route tables (the sites' prefixes, learned over the private VIFs).
 */
function vpcGateway(
  c: ConnectivityConfig,
  ids: Ids,
  provider: aws.Provider,
  opts: pulumi.ComponentResourceOptions,
  tags: Record<string, string>,
) {
  const resourceOpts = {
    provider,
    ...(opts.transformations ? { transformations: opts.transformations } : {}),
  };
  const gateway = new aws.ec2.VpnGateway(
    "dx-vgw",
    {
      vpcId: ids.vpcId,
      amazonSideAsn: String(c.directConnect?.vpnGatewayAsn ?? TRANSIT_GATEWAY_ASN),
      tags: { ...tags, Name: "dx-vgw" },
    },
    resourceOpts,
  );
  for (const [key, routeTableId] of Object.entries(ids.privateRouteTables))
    new aws.ec2.VpnGatewayRoutePropagation(
      `dx-vgw-${key}`,
      { vpnGatewayId: gateway.id, routeTableId },
      resourceOpts,
    );
  return { vpnGatewayId: gateway.id };
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
    vpnGatewayId: LATER,
    regions: {},
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
