/**
 * The `workload` role: one workload account of one environment. An awsx VPC with the subnets planned in
 * model/vpcLayout; where configured, a VpcAttachment to the environment's hub (accepted and placed in its
 * segment in the network account, through a provider of that account); a PrivateLinkService for the
 * workload's service that allows only the network account; and an interface endpoint to the connectivity
 * stack's reverse service, for traffic the workload starts toward the data centers.
 *
 * It reads the connectivity stack (hard: it cannot deploy before that stack's pass 1): the hub, its segments,
 * the account to offer the service to, the reverse service, and — after the connectivity stack's pass 2 — the
 * endpoint to accept on its service.
 */
import * as pulumi from "@pulumi/pulumi";
import { PrivateLinkEndpoint, type PrivateLinkEndpointArgs } from "../components/PrivateLinkEndpoint";
import { PrivateLinkService, type PrivateLinkServiceArgs } from "../components/PrivateLinkService";
import { VpcAttachment, type VpcAttachmentArgs } from "../components/VpcAttachment";
import { componentWhere, Problems } from "../model/errors";
import { planPrivateLinkEndpoint, planPrivateLinkService, subnetsInZones } from "../model/privateLink";
import {
  CONFIG_NAMESPACE,
  connectivityStackName,
  needsPublicSubnets,
  qualifiedStackName,
  roleArnAccount,
  type StackIdentity,
  type WorkloadConfig,
} from "../model/stackConfig";
import {
  type ConnectivityOutputs,
  checkStackOutputs,
  connectivityOutputsSchema,
} from "../model/stackOutputs";
import { planVpcAttachment } from "../model/transitGateway";
import { planVpcLayout, type VpcLayout } from "../model/vpcLayout";
import {
  accountProvider,
  accountZoneNames,
  componentOptions,
  LATER,
  type LaidOutVpc,
  laidOutVpc,
  preflight,
  readOwnInsideCidrs,
  readStackOutputs,
  stackAccess,
  underConfig,
} from "./common";
import { addGatewayEndpoints, gatewayEndpointsArgs, preflightGatewayEndpoints } from "./gatewayEndpoints";
import { addPeerings, type Peer, preflightPeerings, type RequesterVpc, readPeers } from "./workloadPeering";
import { addRemoteAccess, preflightRemoteAccess, remoteAccessArgs } from "./workloadRemoteAccess";
import { addSoftwareVpn, preflightSoftwareVpn, softwareVpnPlan } from "./workloadSoftwareVpn";
import {
  addSoftwareVpnPeering,
  preflightSoftwareVpnPeering,
  readSoftwareVpnPeer,
  softwareVpnPeeringPlan,
} from "./workloadSoftwareVpnPeering";
import {
  addSoftwareVpnToHub,
  preflightSoftwareVpnToHub,
  softwareVpnToHubPlan,
} from "./workloadSoftwareVpnToHub";
import {
  preflightWorkloadVpn,
  WORKLOAD_VPN_COMPONENT,
  workloadVpn,
  workloadVpnArgs,
  workloadVpnName,
} from "./workloadVpn";

interface Ids {
  vpcId: pulumi.Input<string>;
  privateSubnets: { availabilityZone: string; subnetId: pulumi.Input<string>; cidr: string }[];
  transitSubnets: { availabilityZone: string; subnetId: pulumi.Input<string>; cidr: string }[];
  privateRouteTables: Record<string, pulumi.Input<string>>;
}

/**
 * The transit gateway of this workload's Region: the hub's own, or the environment's transit gateway in this
 * Region (hybridnet:hub.regions of the connectivity stack, peered with the hub). Undefined when there is none.
 */
function hubOfRegion(c: WorkloadConfig, hub: ConnectivityOutputs) {
  if (c.aws.region === hub.region) return { transitGatewayId: hub.transitGatewayId, segments: hub.segments };
  return hub.regionalHubs?.[c.aws.region];
}

/**
 * Where the endpoint to the connectivity stack's reverse service goes. Same Region: only the zones (by id) the
 * service's load balancer has (AWS refuses an endpoint subnet elsewhere). Another Region: cross-Region
 * PrivateLink (`serviceRegion`), in every zone here (zones are per Region).
 */
function onPremPlacement(c: WorkloadConfig, ids: Ids, hub: ConnectivityOutputs) {
  if (c.aws.region !== hub.region) return { subnets: ids.privateSubnets, serviceRegion: hub.region };
  return {
    subnets: subnetsInZones(ids.privateSubnets, hub.onPremService.zoneIds),
    serviceZoneIds: hub.onPremService.zoneIds,
  };
}

/** The arguments of the stack's components, from its config, the ids and what the connectivity stack published. */
function componentArgs(key: string, c: WorkloadConfig, env: string, ids: Ids, hub: ConnectivityOutputs) {
  const tags = { "hybridnet:environment": env, "hybridnet:workload": key };
  const transitGateway = hubOfRegion(c, hub);
  const attachment: VpcAttachmentArgs | undefined = c.attachment && {
    vpcId: ids.vpcId,
    subnets: ids.transitSubnets,
    transitGatewayId: transitGateway?.transitGatewayId ?? LATER,
    segment: c.attachment.segment,
    segments: transitGateway?.segments ?? {},
    routeTables: ids.privateRouteTables,
    destinations: c.attachment.destinations ?? [hub.sharedVpcCidr],
    tags,
  };
  const accept = hub.endpointIds?.[key];
  const service: PrivateLinkServiceArgs = {
    vpcId: ids.vpcId,
    subnets: ids.privateSubnets,
    targetGroups: {
      app: {
        port: c.service.targetPort ?? c.service.port,
        targetType: "ip",
        ...(c.service.targets
          ? {
              targets: Object.fromEntries(
                Object.entries(c.service.targets).map(([k, t]) => [k, { id: t.ip }]),
              ),
            }
          : {}),
      },
    },
    listeners: { tcp: { port: c.service.port, targetGroup: "app" } },
    // The clients of the service are on premises, at branches and in the connectivity VPC, where its endpoint is.
    consumerCidrs: hub.clientCidrs,
    targetCidrs: ids.privateSubnets.map((s) => s.cidr),
    allowedPrincipals: [hub.connectivityAccountId],
    // The connectivity VPC's endpoint to it is cross-Region when the hub is in another Region.
    ...(c.aws.region !== hub.region ? { consumerRegions: [hub.region] } : {}),
    ...(accept ? { acceptEndpoints: { connectivity: accept } } : {}),
    tags,
  };
  const onPrem: PrivateLinkEndpointArgs = {
    vpcId: ids.vpcId,
    serviceName: hub.onPremService.serviceName,
    ...onPremPlacement(c, ids, hub),
    ports: [hub.onPremService.port],
    allowedCidrs: [c.vpc.cidr],
    tags,
  };
  return { attachment, service, onPrem };
}

/** Reads the connectivity stack, and checks what this stack's config names in it. */
async function readConnectivity(identity: StackIdentity, c: WorkloadConfig): Promise<ConnectivityOutputs> {
  const stack = connectivityStackName(identity.env);
  const reference = new pulumi.StackReference(stack, {
    name: qualifiedStackName(identity.organization, stack),
  });
  const outputs = await readStackOutputs(reference, Object.keys(connectivityOutputsSchema.shape));
  const hub = checkStackOutputs(identity.stack, stack, connectivityOutputsSchema, outputs);
  const problems = new Problems();
  const ns = CONFIG_NAMESPACE;
  // Another Region: a transit gateway attachment is regional, so it needs the environment's transit gateway of
  // this Region (hybridnet:hub.regions, peered with the hub); the endpoints are cross-Region PrivateLink, which
  // AWS allows only from a Region the reverse service supports.
  const regions = [hub.region, ...Object.keys(hub.regionalHubs ?? {})];
  if (c.attachment && !hubOfRegion(c, hub))
    problems.add(
      `${ns}:aws.region`,
      c.aws.region,
      `a Region with a transit gateway of ${stack} to attach to: ${regions.join(", ")} (stack outputs ${stack}.region, ${stack}.regionalHubs); add hybridnet:hub.regions.${c.aws.region} to ${stack}, or leave hybridnet:attachment out (PrivateLink only)`,
    );
  const supported = hub.onPremService.supportedRegions ?? [hub.region];
  if (!supported.includes(c.aws.region))
    problems.add(
      `${ns}:aws.region`,
      c.aws.region,
      `a Region ${stack}'s reverse service supports (stack output ${stack}.onPremService.supportedRegions: ${supported.join(", ")}): set hybridnet:workloads.<key>.region to ${c.aws.region} in ${stack} and deploy it first`,
    );
  // PrivateLink pairs zones by id: the reverse endpoint needs two zones that its service's load balancer has too.
  const common = c.vpc.availabilityZones.filter((z) => hub.onPremService.zoneIds.includes(z));
  if (c.aws.region === hub.region && common.length < 2)
    problems.add(
      `${ns}:vpc.availabilityZones`,
      c.vpc.availabilityZones,
      `at least two zone ids of ${stack}'s on-premises service (stack output ${stack}.onPremService.zoneIds: ${hub.onPremService.zoneIds.join(", ")}): an interface endpoint can use only zones its service's load balancer has`,
    );
  if (c.attachment) {
    const segments = Object.keys(hub.segments).sort();
    if (!segments.includes(c.attachment.segment))
      problems.add(
        `${ns}:attachment.segment`,
        c.attachment.segment,
        `not a segment of ${stack}'s hub; use one of ${segments.map((s) => JSON.stringify(s)).join(", ")}`,
      );
    if (roleArnAccount(c.attachment.hubRoleArn) !== hub.connectivityAccountId)
      problems.add(
        `${ns}:attachment.hubRoleArn`,
        c.attachment.hubRoleArn,
        `a role in ${stack}'s account ${hub.connectivityAccountId}, which owns the hub and accepts the attachment`,
      );
  }
  problems.throwIfAny(identity.stack);
  return hub;
}

function preflightAll(
  stack: string,
  key: string,
  args: ReturnType<typeof componentArgs>,
  more: (problems: Problems) => void,
): void {
  const problems = new Problems();
  more(problems);
  if (args.attachment) {
    const attachment = args.attachment;
    preflight(problems, underConfig("segment", "attachment.segment"), () =>
      planVpcAttachment(componentWhere("VpcAttachment", "hub"), attachment),
    );
  }
  preflight(problems, underConfig("targetGroups.app.targets", "service.targets"), () =>
    planPrivateLinkService(componentWhere("PrivateLinkService", key), key, args.service),
  );
  preflight(
    problems,
    () => undefined,
    () => planPrivateLinkEndpoint(componentWhere("PrivateLinkEndpoint", `${key}-onprem`), args.onPrem),
  );
  problems.throwIfAny(stack);
}

function laterIds(layout: VpcLayout): Ids {
  const later = (tier: string) =>
    layout.subnets.filter((s) => s.tier === tier).map((s) => ({ ...s, subnetId: LATER }));
  return {
    vpcId: LATER,
    privateSubnets: later("private"),
    transitSubnets: later("transit"),
    privateRouteTables: Object.fromEntries(layout.availabilityZones.map((z) => [`private-${z}`, LATER])),
  };
}

/**
 * The peerings (`hybridnet:peering`) and gateway endpoints (`hybridnet:gatewayEndpoints`) of the workload's VPC:
 * with `vpc` undefined, their checks run on the planned layout (ids not known yet) and throw one ValidationError
 * before anything registers; with the laid-out VPC, they register and return their outputs.
 */
function peeringAndEndpoints(
  identity: StackIdentity,
  c: WorkloadConfig,
  layout: VpcLayout,
  peers: readonly Peer[],
  registered?: { vpc: LaidOutVpc; opts: pulumi.ComponentResourceOptions },
) {
  const ids = registered?.vpc ?? laterIds(layout);
  const requester: RequesterVpc = {
    vpcId: ids.vpcId,
    cidr: layout.cidr,
    privateRouteTables: ids.privateRouteTables,
  };
  const endpoints =
    c.gatewayEndpoints &&
    gatewayEndpointsArgs(c.gatewayEndpoints, {
      accountId: c.aws.accountId,
      region: c.aws.region,
      vpcId: ids.vpcId,
      zones: layout.availabilityZones,
      privateRouteTables: ids.privateRouteTables,
      tags: { "hybridnet:environment": identity.env, "hybridnet:workload": identity.workload! },
    });
  const name = `${identity.workload}-endpoints`;
  if (!registered) {
    const problems = new Problems();
    preflightPeerings(problems, identity, c, requester, peers);
    if (endpoints) preflightGatewayEndpoints(problems, name, endpoints);
    problems.throwIfAny(identity.stack);
    return {};
  }
  return {
    region: c.aws.region,
    privateRouteTableIds: pulumi.output(registered.vpc.privateRouteTables),
    peers: Object.keys(c.peering ?? {}).sort(),
    ...addPeerings(identity, c, requester, peers, registered.opts),
    ...(endpoints ? addGatewayEndpoints(name, endpoints, registered.opts) : {}),
  };
}

/** The workload stack: registers its resources and returns the outputs the connectivity stack reads. */
export async function workloadStack(identity: StackIdentity, c: WorkloadConfig) {
  const key = identity.workload!;
  const hub = await readConnectivity(identity, c);
  const peers = await readPeers(identity, c);
  const softwarePeer = await readSoftwareVpnPeer(identity, c);
  // A software VPN's appliances need public subnets: awsx takes one in every zone or in none.
  const publicZones = needsPublicSubnets(c) ? { publicZones: c.vpc.availabilityZones } : {};
  const layout = planVpcLayout(identity.stack, { ...c.vpc, ...publicZones }, "hybridnet:vpc");
  const previousVpn = c.vpn ? (await readOwnInsideCidrs(identity))[WORKLOAD_VPN_COMPONENT] : undefined;
  const softwareVpn = softwareVpnPlan(identity, c, layout);
  const softwarePeering = softwareVpnPeeringPlan(identity, c, layout, softwarePeer);
  const toHub = softwareVpnToHubPlan(identity, c, layout, hub);
  preflightAll(
    identity.stack,
    key,
    componentArgs(key, c, identity.env, laterIds(layout), hub),
    (problems) => {
      preflightWorkloadVpn(
        problems,
        workloadVpnName(key),
        workloadVpnArgs(identity, c, laterIds(layout), previousVpn),
      );
      const laterPublic = {
        vpcId: LATER,
        publicSubnets: Object.fromEntries(layout.availabilityZones.map((z) => [z, LATER])),
        privateRouteTables: laterIds(layout).privateRouteTables,
      };
      preflightSoftwareVpn(problems, identity, c, softwareVpn, laterPublic);
      preflightRemoteAccess(problems, identity, remoteAccessArgs(identity, c, layout, laterPublic));
      preflightSoftwareVpnPeering(problems, identity, c, softwarePeering, softwarePeer, laterPublic);
      preflightSoftwareVpnToHub(problems, identity, c, toHub, laterPublic);
    },
  );
  peeringAndEndpoints(identity, c, layout, peers);

  // Nothing registered before this line: every check above passed.
  const provider = accountProvider(key, identity, c.aws);
  const zoneNames = await accountZoneNames(
    identity.stack,
    provider,
    c.aws.accountId,
    layout.availabilityZones,
    `${CONFIG_NAMESPACE}:vpc.availabilityZones`,
  );
  const opts = componentOptions(provider, identity.prod);
  const vpc = laidOutVpc(`${key}-vpc`, layout, zoneNames, provider, opts, {
    "hybridnet:environment": identity.env,
  });
  const args = componentArgs(
    key,
    c,
    identity.env,
    {
      vpcId: vpc.vpcId,
      privateSubnets: vpc.subnets.private,
      transitSubnets: vpc.subnets.transit,
      privateRouteTables: vpc.privateRouteTables,
    },
    hub,
  );
  let attachment: VpcAttachment | undefined;
  if (args.attachment && c.attachment) {
    // The hub's owner accepts the attachment and places it in its segment: the network account, through a role
    // that may do only that (hybridnet:attachment.hubRoleArn); the component makes that provider.
    attachment = new VpcAttachment(
      "hub",
      {
        ...args.attachment,
        hubAccess: stackAccess(identity, c.attachment.hubRoleArn),
        hubAccountId: hub.connectivityAccountId,
        // The transit gateway of this Region: the hub's own Region, or the environment's gateway here.
        hubRegion: c.aws.region,
      },
      opts,
    );
  }
  const service = new PrivateLinkService(key, args.service, opts);
  const onPrem = new PrivateLinkEndpoint(`${key}-onprem`, args.onPrem, opts);
  const connections = peeringAndEndpoints(identity, c, layout, peers, { vpc, opts });
  const vpnArgs = workloadVpnArgs(
    identity,
    c,
    { vpcId: vpc.vpcId, privateRouteTables: vpc.privateRouteTables },
    previousVpn,
  );
  const vpn = vpnArgs && workloadVpn(workloadVpnName(key), vpnArgs, opts);
  const appliance =
    softwareVpn &&
    addSoftwareVpn(
      identity,
      c,
      softwareVpn,
      {
        vpcId: vpc.vpcId,
        publicSubnets: Object.fromEntries(vpc.subnets.public.map((s) => [s.availabilityZone, s.subnetId])),
        privateRouteTables: vpc.privateRouteTables,
      },
      opts,
    );
  const publicIds = {
    vpcId: vpc.vpcId,
    publicSubnets: Object.fromEntries(vpc.subnets.public.map((s) => [s.availabilityZone, s.subnetId])),
    privateRouteTables: vpc.privateRouteTables,
  };
  const remoteAccess = remoteAccessArgs(identity, c, layout, publicIds);
  return {
    accountId: c.aws.accountId,
    vpcId: vpc.vpcId,
    vpcCidr: layout.cidr,
    subnetLayout: layout.tiers,
    subnets: vpc.published,
    serviceName: service.serviceName,
    servicePort: c.service.port,
    serviceZoneIds: service.plan.subnets.map((s) => s.availabilityZone),
    // Cross-Region: the connectivity stack checks its Region is among them before making its endpoint.
    ...(args.service.consumerRegions
      ? { serviceRegions: [...new Set([c.aws.region, ...args.service.consumerRegions])].sort() }
      : {}),
    acceptedEndpointIds: service.acceptedEndpointIds,
    onPremEndpointId: onPrem.endpointId,
    onPremEndpointState: onPrem.state,
    onPremDnsNames: onPrem.dnsNames,
    ...(attachment ? { attachmentId: attachment.attachmentId, segment: attachment.segment } : {}),
    ...connections,
    // Read back by the next run (readOwnInsideCidrs), so no tunnel's inside CIDR ever moves.
    ...(vpn
      ? { ...vpn.outputs, tunnelInsideCidrs: pulumi.all({ [WORKLOAD_VPN_COMPONENT]: vpn.insideCidrs }) }
      : {}),
    ...(appliance ?? {}),
    ...(remoteAccess ? addRemoteAccess(identity, remoteAccess, opts) : {}),
    ...(softwarePeering && softwarePeer
      ? addSoftwareVpnPeering(identity, c, softwarePeering, softwarePeer, publicIds, opts)
      : {}),
    ...(toHub ? addSoftwareVpnToHub(identity, c, toHub, publicIds, opts) : {}),
  };
}
