/**
 * Small hand-built networks for the reachability tests: each call adds the records one AWS element needs,
 * with stable ids and origins, so a test reads like the topology it describes.
 */
import {
  emptyNetwork,
  type Network,
  type Origin,
  type SecurityGroupRule,
  type Subnet,
  type VpcRouteTarget,
} from "../model/reachability/network";

export interface BuiltVpc {
  id: string;
  /** The host subnet in each zone, by zone. */
  subnets: Subnet[];
  /** The transit gateway attachment subnets. */
  transit: Subnet[];
}

const o = (stack: string, name: string): Origin => ({
  stack,
  name,
  urn: `urn:pulumi:${stack}::test::x::${name}`,
});

export class Topology {
  readonly network: Network = emptyNetwork();

  /** A VPC with a host subnet and an attachment subnet per zone (the first /24s and the last /28s). */
  vpc(
    name: string,
    cidr: string,
    opts: { stack?: string; zones?: string[]; account?: string; region?: string } = {},
  ): BuiltVpc {
    const stack = opts.stack ?? name;
    const id = `vpc-${name}`;
    this.network.vpcs.push({
      id,
      cidrs: [cidr],
      ...(opts.account ? { account: opts.account } : {}),
      ...(opts.region ? { region: opts.region } : {}),
      origin: o(stack, name),
    });
    const [base, bits] = cidr.split("/");
    const octets = base.split(".").map(Number);
    const zones = opts.zones ?? ["az1", "az2"];
    const subnets: Subnet[] = [];
    const transit: Subnet[] = [];
    zones.forEach((zone, i) => {
      const host = `${octets[0]}.${octets[1]}.${octets[2] + i}.0/24`;
      const att = `${octets[0]}.${octets[1]}.${octets[2] + 200 + i}.0/28`;
      if (Number(bits) > 16) throw new Error("test VPCs are /16 or larger");
      for (const [tier, sub, list] of [
        ["private", host, subnets],
        ["transit", att, transit],
      ] as const) {
        const sid = `subnet-${name}-${tier}-${zone}`;
        const rtb = `rtb-${name}-${tier}-${zone}`;
        this.network.routeTables.push({
          id: rtb,
          vpcId: id,
          routes: [],
          propagatingVpnGateways: [],
          origin: o(stack, `${name}-${tier}-${zone}`),
        });
        const subnet: Subnet = {
          id: sid,
          vpcId: id,
          cidr: sub,
          zone,
          routeTableId: rtb,
          tier,
          origin: o(stack, `${tier}-${zone}`),
        };
        this.network.subnets.push(subnet);
        list.push(subnet);
      }
    });
    return { id, subnets, transit };
  }

  /** A route in the route tables of the VPC's host subnets (or of the given subnets). */
  route(vpc: BuiltVpc, destination: string, target: VpcRouteTarget, subnets: Subnet[] = vpc.subnets): void {
    for (const s of subnets) {
      const table = this.network.routeTables.find((t) => t.id === s.routeTableId)!;
      table.routes.push({
        destination,
        target,
        origin: o(table.origin.stack, `${table.origin.name}-${destination}`),
      });
    }
  }

  transitGateway(name: string, stack = "hub", region?: string): string {
    const id = `tgw-${name}`;
    this.network.transitGateways.push({ id, ...(region ? { region } : {}), origin: o(stack, name) });
    return id;
  }

  /**
   * A transit gateway peering between `requester` and `accepter`: one attachment record per side, each associated
   * with its side's table. Unaccepted: the requester's side only, leading nowhere.
   */
  tgwPeering(
    name: string,
    requester: { tgw: string; table: string },
    accepter: { tgw: string; table: string },
    accepted = true,
  ): { requesterSide: string; accepterSide: string } {
    const requesterSide = `tgw-attach-${name}`;
    const accepterSide = `${requesterSide}@${accepter.tgw}`;
    this.network.transitGatewayAttachments.push({
      id: requesterSide,
      transitGatewayId: requester.tgw,
      kind: "peering",
      peerTransitGatewayId: accepter.tgw,
      ...(accepted ? { peerAttachmentId: accepterSide } : {}),
      origin: o("hub", name),
    });
    this.place(requesterSide, requester.table);
    if (accepted) {
      this.network.transitGatewayAttachments.push({
        id: accepterSide,
        transitGatewayId: accepter.tgw,
        kind: "peering",
        peerTransitGatewayId: requester.tgw,
        peerAttachmentId: requesterSide,
        origin: o("hub", `${name}-accepter`),
      });
      this.place(accepterSide, accepter.table);
    }
    return { requesterSide, accepterSide };
  }

  tgwTable(tgw: string, segment: string, stack = "hub"): string {
    const id = `tgw-rtb-${segment}`;
    this.network.transitGatewayRouteTables.push({
      id,
      transitGatewayId: tgw,
      segment,
      associations: [],
      propagations: [],
      routes: [],
      origin: o(stack, `hub-${segment}`),
    });
    return id;
  }

  private table(id: string) {
    return this.network.transitGatewayRouteTables.find((t) => t.id === id)!;
  }

  /** Associates `attachment` with `table` and propagates it into `propagateTo`. */
  place(attachment: string, table: string | undefined, propagateTo: string[] = []): void {
    if (table) this.table(table).associations.push(attachment);
    for (const t of propagateTo) this.table(t).propagations.push(attachment);
  }

  attachVpc(
    tgw: string,
    vpc: BuiltVpc,
    table?: string,
    propagateTo: string[] = [],
    zones?: string[],
  ): string {
    const id = `tgw-attach-${vpc.id}`;
    const subnets = vpc.transit.filter((s) => !zones || zones.includes(s.zone));
    this.network.transitGatewayAttachments.push({
      id,
      transitGatewayId: tgw,
      kind: "vpc",
      vpcId: vpc.id,
      subnetIds: subnets.map((s) => s.id),
      origin: o(this.network.vpcs.find((v) => v.id === vpc.id)!.origin.stack, `${vpc.id}-attachment`),
    });
    this.place(id, table, propagateTo);
    return id;
  }

  tgwRoute(table: string, destination: string, attachmentId?: string): void {
    this.table(table).routes.push({
      destination,
      ...(attachmentId ? { attachmentId } : { blackhole: true }),
      origin: o("hub", `route-${destination}`),
    });
  }

  /** A site with a VPN on the transit gateway (BGP unless `static`). */
  siteOnTgw(
    name: string,
    prefixes: string[],
    tgw: string,
    table?: string,
    propagateTo: string[] = [],
    routing: "bgp" | "static" = "bgp",
    link = `${name}-vpn`,
  ): string {
    const attachment = `tgw-attach-${link}`;
    this.network.transitGatewayAttachments.push({
      id: attachment,
      transitGatewayId: tgw,
      kind: "vpn",
      site: name,
      vpnConnectionId: `vpn-${link}`,
      origin: o("hub", link),
    });
    this.addLink(name, prefixes, {
      id: `vpn-${link}`,
      kind: "vpn",
      transitGatewayAttachmentId: attachment,
      routing,
      origin: o("hub", link),
    });
    this.place(attachment, table, propagateTo);
    return attachment;
  }

  /** A virtual private gateway attached to `vpc`, propagating into its host route tables. */
  vpnGateway(name: string, vpc: BuiltVpc, propagate = true): string {
    const id = `vgw-${name}`;
    this.network.vpnGateways.push({ id, vpcId: vpc.id, origin: o("hub", name) });
    if (propagate)
      for (const s of vpc.subnets)
        this.network.routeTables.find((t) => t.id === s.routeTableId)!.propagatingVpnGateways.push(id);
    return id;
  }

  siteOnVgw(
    name: string,
    prefixes: string[],
    vgw: string,
    routing: "bgp" | "static" = "bgp",
    staticRoutes?: string[],
  ): void {
    this.addLink(name, prefixes, {
      id: `vpn-${name}`,
      kind: "vpn",
      vpnGatewayId: vgw,
      routing,
      ...(staticRoutes ? { staticRoutes } : {}),
      origin: o("hub", `${name}-vpn`),
    });
  }

  directConnectGateway(
    name: string,
    associations: { gatewayId: string; allowedPrefixes: string[]; attachmentId?: string }[],
  ): string {
    const id = `dxgw-${name}`;
    this.network.directConnectGateways.push({
      id,
      associations: associations.map((a) => ({
        gatewayId: a.gatewayId,
        allowedPrefixes: a.allowedPrefixes,
        ...(a.attachmentId ? { transitGatewayAttachmentId: a.attachmentId } : {}),
        origin: o("hub", `${name}-${a.gatewayId}`),
      })),
      origin: o("hub", name),
    });
    return id;
  }

  /** A transit gateway attachment of a Direct Connect gateway. */
  attachDirectConnect(tgw: string, dxgw: string, table?: string, propagateTo: string[] = []): string {
    const id = `tgw-attach-${dxgw}`;
    this.network.transitGatewayAttachments.push({
      id,
      transitGatewayId: tgw,
      kind: "directConnectGateway",
      directConnectGatewayId: dxgw,
      origin: o("hub", `${dxgw}-attachment`),
    });
    this.place(id, table, propagateTo);
    return id;
  }

  /** A site announcing its prefixes to a Direct Connect gateway over a private VIF (none: `vif: false`). */
  siteOnDirectConnect(name: string, prefixes: string[], dxgw: string, vif = true): void {
    this.addLink(name, prefixes, {
      id: `dx-${name}`,
      kind: "directConnect",
      directConnectGatewayId: dxgw,
      ...(vif ? { virtualInterfaceId: `dxvif-${name}` } : {}),
      routing: "bgp",
      origin: o("hub", `${name}-vif`),
    });
  }

  private addLink(name: string, prefixes: string[], link: Network["sites"][number]["links"][number]): void {
    const site = this.network.sites.find((s) => s.name === name);
    if (site) site.links.push(link);
    else this.network.sites.push({ name, prefixes, links: [link], origin: { stack: "on-premises", name } });
  }

  /** A gateway endpoint to `service` (`s3`) in `region`, routed from the VPC's host route tables. */
  gatewayEndpoint(vpc: BuiltVpc, service: string, region: string, subnets: Subnet[] = vpc.subnets): string {
    const id = `vpce-${service}-${vpc.id}`;
    const prefixListId = `pl-${service}-${region}`;
    const stack = this.network.vpcs.find((v) => v.id === vpc.id)!.origin.stack;
    this.network.gatewayEndpoints.push({
      id,
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${region}.${service}`,
      prefixListId,
      origin: o(stack, `${service}-endpoint`),
    });
    this.route(vpc, prefixListId, { kind: "gatewayEndpoint", id }, subnets);
    return id;
  }

  peering(name: string, requester: BuiltVpc, accepter: BuiltVpc, active = true): string {
    const id = `pcx-${name}`;
    this.network.peerings.push({
      id,
      requesterVpcId: requester.id,
      accepterVpcId: accepter.id,
      active,
      origin: o("peering", name),
    });
    return id;
  }

  securityGroup(
    name: string,
    vpc: BuiltVpc,
    ingress: Partial<SecurityGroupRule>[],
    egress: Partial<SecurityGroupRule>[] = [],
  ): string {
    const id = `sg-${name}`;
    const rule = (r: Partial<SecurityGroupRule>, i: number, dir: string): SecurityGroupRule => ({
      protocol: "tcp",
      ...r,
      origin: o("sg", `${name}-${dir}-${i}`),
    });
    this.network.securityGroups.push({
      id,
      vpcId: vpc.id,
      ingress: ingress.map((r, i) => rule(r, i, "in")),
      egress: egress.map((r, i) => rule(r, i, "out")),
      origin: o(this.network.vpcs.find((v) => v.id === vpc.id)!.origin.stack, name),
    });
    return id;
  }

  /**
   * A PrivateLink service in `provider` (an NLB in its host subnets, a listener on `port` — TCP unless
   * `protocol` says "UDP" or "TCP_UDP" — targets at `targetPort`) and an interface endpoint to it in
   * `consumer`, at the 20th address of each host subnet.
   */
  privateLink(
    name: string,
    provider: BuiltVpc,
    consumer: BuiltVpc,
    opts: {
      port: number;
      targetPort?: number;
      targets: string[];
      endpointSg: string;
      nlbSg?: string;
      accepted?: boolean;
      acceptanceRequired?: boolean;
      protocol?: "TCP" | "UDP" | "TCP_UDP";
    },
  ): { endpointAddresses: string[]; serviceName: string } {
    const protocol = opts.protocol ?? "TCP";
    const serviceName = `com.amazonaws.vpce.us-east-1.vpce-svc-${name}`;
    const lbArn = `arn:lb/${name}`;
    const tgArn = `arn:tg/${name}`;
    const providerStack = this.network.vpcs.find((v) => v.id === provider.id)!.origin.stack;
    const consumerStack = this.network.vpcs.find((v) => v.id === consumer.id)!.origin.stack;
    this.network.loadBalancers.push({
      arn: lbArn,
      vpcId: provider.id,
      subnetIds: provider.subnets.map((s) => s.id),
      securityGroupIds: opts.nlbSg ? [opts.nlbSg] : [],
      enforceInboundOnPrivateLink: true,
      listeners: [
        {
          port: opts.port,
          protocol,
          targetGroupArn: tgArn,
          origin: o(providerStack, `${name}-${protocol.toLowerCase()}`),
        },
      ],
      origin: o(providerStack, `${name}-nlb`),
    });
    this.network.targetGroups.push({
      arn: tgArn,
      vpcId: provider.id,
      port: opts.targetPort ?? opts.port,
      protocol,
      targets: opts.targets.map((t) => ({ address: t, origin: o(providerStack, `${name}-${t}`) })),
      origin: o(providerStack, `${name}-tg`),
    });
    const endpointId = `vpce-${name}`;
    this.network.endpointServices.push({
      id: `vpce-svc-${name}`,
      serviceName,
      loadBalancerArns: [lbArn],
      acceptanceRequired: opts.acceptanceRequired ?? true,
      acceptedEndpointIds: opts.accepted === false ? [] : [endpointId],
      origin: o(providerStack, `${name}-service`),
    });
    const addresses = consumer.subnets.map((s) => ({
      subnetId: s.id,
      address: s.cidr.replace(/\.0\/24$/, ".20"),
    }));
    this.network.interfaceEndpoints.push({
      id: endpointId,
      vpcId: consumer.id,
      serviceName,
      subnetIds: consumer.subnets.map((s) => s.id),
      securityGroupIds: [opts.endpointSg],
      addresses,
      origin: o(consumerStack, `to-${name}-endpoint`),
    });
    return { endpointAddresses: addresses.map((a) => a.address), serviceName };
  }

  clientVpn(
    name: string,
    vpc: BuiltVpc,
    clientCidr: string,
    authorizations: string[],
    routes: string[],
    sg: string,
  ): string {
    const id = `cvpn-${name}`;
    const stack = this.network.vpcs.find((v) => v.id === vpc.id)!.origin.stack;
    this.network.clientVpnEndpoints.push({
      id,
      vpcId: vpc.id,
      clientCidr,
      subnetIds: vpc.subnets.map((s) => s.id),
      securityGroupIds: [sg],
      authorizations: authorizations.map((d) => ({ destination: d, origin: o(stack, `${name}-auth-${d}`) })),
      routes: routes.flatMap((d) =>
        vpc.subnets
          .slice(0, 1)
          .map((s) => ({ destination: d, subnetId: s.id, origin: o(stack, `${name}-route-${d}`) })),
      ),
      origin: o(stack, name),
    });
    return id;
  }
}
