/**
 * The part of a planned environment's network that filters and serves traffic: security groups and their
 * rules, PrivateLink (interface endpoints, endpoint services and their acceptances, network load balancers,
 * listeners, target groups and their IP targets) and Client VPN endpoints. Read after ./fromPlan has read the
 * VPCs and subnets, which these records are placed in. Pure: no Pulumi import.
 */
import type {
  ClientVpnEndpoint,
  LoadBalancer,
  Network,
  Origin,
  SecurityGroup,
  SecurityGroupRule,
  TargetGroup,
} from "./network";
import {
  cidrText,
  cidrTexts,
  hostCidr,
  num,
  Plan,
  type Props,
  record,
  records,
  regionOfArn,
  str,
  strs,
  T,
} from "./planInput";

// ---------------------------------------------------------------------------------------------------
// Security groups

/** EC2 protocol names: by name or IANA number; "-1" (or "all") is every protocol. */
function protocolOf(value: unknown): string {
  const text = String(value ?? "-1").toLowerCase();
  return ({ "6": "tcp", "17": "udp", "1": "icmp", all: "-1" } as Record<string, string>)[text] ?? text;
}

/** One rule per peer (CIDR or group): a rule with several CIDRs is several rules to the model. */
function rulesOf(
  props: Props,
  peers: { cidrs: string[]; groups: string[] },
  origin: Origin,
): SecurityGroupRule[] {
  const protocol = protocolOf(props.ipProtocol ?? props.protocol);
  const from = num(props.fromPort);
  const to = num(props.toPort);
  const ports =
    protocol === "-1"
      ? {}
      : { ...(from !== undefined ? { fromPort: from } : {}), ...(to !== undefined ? { toPort: to } : {}) };
  return [
    ...peers.cidrs.map((cidr) => ({ protocol, ...ports, cidr, origin })),
    ...peers.groups.map((securityGroupId) => ({ protocol, ...ports, securityGroupId, origin })),
  ];
}

/** Security groups with their inline rules and their separate rule resources. */
export function readSecurityGroups(plan: Plan, network: Network): void {
  const groups = new Map<string, SecurityGroup>();
  for (const e of plan.of(T.securityGroup)) {
    const vpcId = str(e.inputs.vpcId);
    if (!e.id || !vpcId) continue;
    const group: SecurityGroup = { id: e.id, vpcId, ingress: [], egress: [], origin: e.origin };
    // Inline rules. The provider removes the allow-all egress rule AWS adds to a new group: none is implied.
    for (const direction of ["ingress", "egress"] as const)
      for (const rule of records(e.inputs[direction]))
        group[direction].push(
          ...rulesOf(
            rule,
            {
              cidrs: cidrTexts(rule.cidrBlocks),
              groups: [...strs(rule.securityGroups), ...(rule.self === true ? [e.id] : [])],
            },
            e.origin,
          ),
        );
    groups.set(e.id, group);
    network.securityGroups.push(group);
  }
  for (const e of plan.of(T.ingressRule, T.egressRule)) {
    const group = groups.get(str(e.inputs.securityGroupId) ?? "");
    if (!group) continue;
    const cidr = cidrText(e.inputs.cidrIpv4);
    const peer = str(e.inputs.referencedSecurityGroupId);
    const rules = rulesOf(e.inputs, { cidrs: cidr ? [cidr] : [], groups: peer ? [peer] : [] }, e.origin);
    group[e.r.type === T.ingressRule ? "ingress" : "egress"].push(...rules);
  }
  for (const e of plan.of(T.securityGroupRule)) {
    const group = groups.get(str(e.inputs.securityGroupId) ?? "");
    const direction =
      e.inputs.type === "egress" ? "egress" : e.inputs.type === "ingress" ? "ingress" : undefined;
    if (!group || !direction) continue;
    const source = str(e.inputs.sourceSecurityGroupId);
    group[direction].push(
      ...rulesOf(
        e.inputs,
        {
          cidrs: cidrTexts(e.inputs.cidrBlocks),
          groups: [...(source ? [source] : []), ...(e.inputs.self === true ? [group.id] : [])],
        },
        e.origin,
      ),
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// PrivateLink: interface endpoints, endpoint services, load balancers, target groups

/** Interface endpoints, endpoint services (with the endpoints they accepted), load balancers, target groups. */
export function readPrivateLink(plan: Plan, network: Network): void {
  for (const e of plan.of(T.vpcEndpoint)) {
    if (e.inputs.vpcEndpointType !== "Interface") continue;
    const vpcId = str(e.inputs.vpcId);
    const serviceName = str(e.inputs.serviceName);
    if (!e.id || !vpcId || !serviceName) continue;
    const addresses = records(e.outputs.subnetConfigurations).flatMap((c) => {
      const subnetId = str(c.subnetId);
      const address = hostCidr(str(c.ipv4));
      return subnetId && address ? [{ subnetId, address }] : [];
    });
    const region = regionOfArn(e);
    const serviceRegion = str(e.inputs.serviceRegion);
    network.interfaceEndpoints.push({
      id: e.id,
      vpcId,
      serviceName,
      subnetIds: strs(e.inputs.subnetIds),
      securityGroupIds: strs(e.inputs.securityGroupIds),
      addresses,
      ...(region ? { region } : {}),
      ...(serviceRegion ? { serviceRegion } : {}),
      origin: e.origin,
    });
  }
  const accepted = new Map<string, string[]>();
  for (const e of plan.of(T.endpointAccepter)) {
    const service = str(e.inputs.vpcEndpointServiceId);
    const endpoint = str(e.inputs.vpcEndpointId);
    if (service && endpoint) pushTo(accepted, service, endpoint);
  }
  for (const e of plan.of(T.endpointService)) {
    const serviceName = str(e.outputs.serviceName);
    if (!e.id || !serviceName) continue;
    const region = regionOfArn(e);
    const supported = strs(Plan.value(e, "supportedRegions"));
    network.endpointServices.push({
      id: e.id,
      serviceName,
      loadBalancerArns: strs(e.inputs.networkLoadBalancerArns),
      acceptanceRequired: e.inputs.acceptanceRequired === true,
      acceptedEndpointIds: accepted.get(e.id) ?? [],
      ...(region ? { region } : {}),
      // AWS lists the service's own Region among its supported Regions.
      ...(supported.length > 0
        ? { supportedRegions: [...new Set([...(region ? [region] : []), ...supported])] }
        : {}),
      origin: e.origin,
    });
  }
  readLoadBalancers(plan, network);
}

function readLoadBalancers(plan: Plan, network: Network): void {
  const vpcOfSubnet = new Map(network.subnets.map((s) => [s.id, s.vpcId]));
  const listenersOf = new Map<string, LoadBalancer["listeners"]>();
  for (const e of plan.of(T.listener, T.albListener)) {
    const lb = str(e.inputs.loadBalancerArn);
    const port = num(e.inputs.port);
    const targetGroupArn = forwardTarget(records(e.inputs.defaultActions));
    if (!lb || port === undefined || !targetGroupArn) continue;
    const protocol = str(e.inputs.protocol) ?? "TCP";
    pushTo(listenersOf, lb, { port, protocol, targetGroupArn, origin: e.origin });
  }
  for (const e of plan.of(T.loadBalancer, T.albLoadBalancer)) {
    const arn = str(e.outputs.arn) ?? e.id;
    const subnetIds = [
      ...strs(e.inputs.subnets),
      ...records(e.inputs.subnetMappings).flatMap((m) => strs([m.subnetId])),
    ];
    const vpcId = subnetIds.map((s) => vpcOfSubnet.get(s)).find((v) => v !== undefined);
    if (!arn || !vpcId) continue;
    const nodeAddresses = Object.fromEntries(
      records(e.outputs.subnetMappings).flatMap((m) => {
        const [subnetId, address] = [str(m.subnetId), str(m.privateIpv4Address)];
        return subnetId && address ? [[subnetId, address]] : [];
      }),
    );
    network.loadBalancers.push({
      arn,
      vpcId,
      subnetIds,
      ...(Object.keys(nodeAddresses).length > 0 ? { nodeAddresses } : {}),
      securityGroupIds: strs(e.inputs.securityGroups),
      // AWS's default is on: the group's inbound rules see PrivateLink clients' addresses.
      enforceInboundOnPrivateLink: e.inputs.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic !== "off",
      listeners: listenersOf.get(arn) ?? [],
      origin: e.origin,
    });
  }
  const targetsOf = new Map<string, TargetGroup["targets"]>();
  for (const e of plan.of(T.targetGroupAttachment, T.albTargetGroupAttachment)) {
    const group = str(e.inputs.targetGroupArn);
    // Only IP targets have an address the model can place; instances and Lambda functions are skipped.
    const address = hostCidr(str(e.inputs.targetId));
    if (!group || !address) continue;
    const port = num(e.inputs.port);
    pushTo(targetsOf, group, { address, ...(port !== undefined ? { port } : {}), origin: e.origin });
  }
  for (const e of plan.of(T.targetGroup, T.albTargetGroup)) {
    const arn = str(e.outputs.arn) ?? e.id;
    const vpcId = str(e.inputs.vpcId);
    const port = num(e.inputs.port);
    if (!arn || !vpcId || port === undefined) continue;
    network.targetGroups.push({
      arn,
      vpcId,
      port,
      protocol: str(e.inputs.protocol) ?? "TCP",
      targets: targetsOf.get(arn) ?? [],
      origin: e.origin,
    });
  }
}

/** Adds `value` to the list under `key`. */
function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The target group a listener forwards to: a `forward` action's group, or the first of a weighted forward. */
function forwardTarget(actions: Props[]): string | undefined {
  for (const action of actions) {
    if (action.type !== "forward") continue;
    const direct = str(action.targetGroupArn);
    if (direct) return direct;
    const weighted = records(record(action.forward).targetGroups).map((g) => str(g.arn));
    const first = weighted.find((arn) => arn !== undefined);
    if (first) return first;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Client VPN

/** Client VPN endpoints with their associated subnets, authorization rules and routes. */
export function readClientVpn(plan: Plan, network: Network): void {
  const endpoints = new Map<string, ClientVpnEndpoint>();
  const vpcOfSubnet = new Map(network.subnets.map((s) => [s.id, s.vpcId]));
  const associations = plan.of(T.clientVpnAssociation);
  for (const e of plan.of(T.clientVpnEndpoint)) {
    const clientCidr = cidrText(e.inputs.clientCidrBlock);
    if (!e.id || !clientCidr) continue;
    const subnetIds = associations
      .filter((a) => a.inputs.clientVpnEndpointId === e.id)
      .flatMap((a) => strs([a.inputs.subnetId]));
    const vpcId =
      str(e.inputs.vpcId) ?? subnetIds.map((s) => vpcOfSubnet.get(s)).find((v) => v !== undefined);
    if (!vpcId) continue;
    const endpoint: ClientVpnEndpoint = {
      id: e.id,
      vpcId,
      clientCidr,
      subnetIds,
      securityGroupIds: strs(e.inputs.securityGroupIds),
      authorizations: [],
      routes: [],
      origin: e.origin,
    };
    endpoints.set(e.id, endpoint);
    network.clientVpnEndpoints.push(endpoint);
  }
  // Associating a subnet adds a route to the VPC's CIDRs through it to the endpoint's route table (AWS does).
  const cidrsOfVpc = new Map(network.vpcs.map((v) => [v.id, v.cidrs]));
  for (const a of associations) {
    const endpoint = endpoints.get(str(a.inputs.clientVpnEndpointId) ?? "");
    const subnetId = str(a.inputs.subnetId);
    if (!endpoint || !subnetId) continue;
    for (const destination of cidrsOfVpc.get(endpoint.vpcId) ?? [])
      endpoint.routes.push({ destination, subnetId, origin: a.origin });
  }
  for (const e of plan.of(T.clientVpnAuthorization)) {
    const endpoint = endpoints.get(str(e.inputs.clientVpnEndpointId) ?? "");
    const destination = cidrText(e.inputs.targetNetworkCidr);
    if (endpoint && destination) endpoint.authorizations.push({ destination, origin: e.origin });
  }
  for (const e of plan.of(T.clientVpnRoute)) {
    const endpoint = endpoints.get(str(e.inputs.clientVpnEndpointId) ?? "");
    const destination = cidrText(e.inputs.destinationCidrBlock);
    const subnetId = str(e.inputs.targetVpcSubnetId);
    if (endpoint && destination && subnetId)
      endpoint.routes.push({ destination, subnetId, origin: e.origin });
  }
}
