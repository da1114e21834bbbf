/**
 * Plans made by hand for the report's tests, at any number of workloads: a connectivity stack with a transit
 * gateway (three segments), internet VPN sites, Direct Connect (a gateway, two transit VIFs on two
 * connections), Client VPN and an interface endpoint to each workload's service; each workload stack a VPC
 * attached to the hub, a PrivateLink service and an endpoint to the on-premises service. Flows: each site to
 * one workload's service (allow, passing), and site1 → workload w01 failing at the onprem route table.
 */
import { emptyStackConnections as empty, type StackConnections } from "../model/connections/types";
import type { FlowVerdict } from "../model/reachability/intents";
import type { ReportPlan, ReportResource, ReportStack } from "../model/report";

export const ENV = "test";
const TGW = "tgw-0hub";
const CONNECTIVITY_VPC = "vpc-0connectivity";

/** A stack's resources: components and their children, with URNs as Pulumi writes them. */
class Resources {
  list: ReportResource[] = [];
  constructor(private readonly stack: string) {}
  urn(type: string, name: string, parentType?: string): string {
    return `urn:pulumi:${this.stack}::hybridnet::${parentType ? `${parentType}$` : ""}${type}::${name}`;
  }
  component(type: string, name: string): string {
    const urn = this.urn(`hybridnet:index:${type}`, name);
    this.list.push({ type: `hybridnet:index:${type}`, name, urn, inputs: {} });
    return urn;
  }
  child(
    parent: string,
    type: string,
    name: string,
    id: string,
    inputs: Record<string, unknown> = {},
  ): string {
    const parentType = parent.split("::")[2];
    const urn = this.urn(type, name, parentType);
    this.list.push({ type, name, urn, parent, id, inputs, outputs: { id, ...inputs } });
    return urn;
  }
}

export const workloadKey = (i: number) => `w${String(i + 1).padStart(2, "0")}`;
const serviceName = (key: string) => `com.amazonaws.vpce.us-east-1.vpce-svc-0${key}`;

function segments(c: StackConnections): void {
  const policy: [string, string[], boolean][] = [
    ["onprem", ["shared", "workloads"], true],
    ["shared", ["onprem", "workloads"], false],
    ["workloads", ["shared"], true],
  ];
  for (const [segment, reaches, isolated] of policy)
    c.segments.push({
      transitGatewayId: TGW,
      transitGatewayName: "hub-tgw",
      asn: 64512,
      segment,
      routeTableId: `tgw-rtb-0${segment}`,
      members: [],
      reaches,
      isolated,
      staticRoutes: [],
    });
}

function connectivityStack(workloads: number, sites: number): ReportStack {
  const name = `connectivity-${ENV}`;
  const r = new Resources(name);
  const c = empty();
  const hub = r.component("TransitGatewayHub", "hub");
  r.child(hub, "aws:ec2transitgateway/transitGateway:TransitGateway", "hub-tgw", TGW, {
    amazonSideAsn: 64512,
  });
  for (const s of ["onprem", "shared", "workloads"])
    r.child(hub, "aws:ec2transitgateway/routeTable:RouteTable", `hub-${s}`, `tgw-rtb-0${s}`, {
      transitGatewayId: TGW,
    });
  segments(c);
  const vpc = r.component("Vpc", "connectivity");
  r.child(vpc, "aws:ec2/vpc:Vpc", "connectivity-vpc", CONNECTIVITY_VPC, { cidrBlock: "10.10.0.0/20" });
  c.vpcs.push({ name: "connectivity", id: CONNECTIVITY_VPC, cidrs: ["10.10.0.0/20"], subnets: [] });
  const attach = r.component("VpcAttachment", "shared");
  r.child(
    attach,
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
    "shared-attachment",
    "tgw-attach-0shared",
  );
  c.attachments.push({
    name: "shared",
    id: "tgw-attach-0shared",
    transitGatewayId: TGW,
    vpcId: CONNECTIVITY_VPC,
    vpcName: "connectivity",
    cidrs: ["10.10.0.0/20"],
    segment: "shared",
    propagatesTo: ["onprem", "shared", "workloads"],
  });
  const vpn = r.component("TransitGatewayVpn", "dc");
  for (let i = 1; i <= sites; i++) {
    const site = `site${i}`;
    r.child(vpn, "aws:ec2/customerGateway:CustomerGateway", `dc-${site}-cgw`, `cgw-0${site}`);
    r.child(vpn, "aws:ec2/vpnConnection:VpnConnection", `dc-${site}-1-vpn`, `vpn-0${site}`);
    c.sites.push({
      site,
      component: "dc",
      asn: 65000 + i,
      address: `203.0.113.${10 + i}`,
      prefixes: [`172.${15 + i}.0.0/16`],
      connections: 1,
      tunnels: 2,
      accelerated: false,
      routing: "bgp",
      transport: "internet",
      to: { kind: "transitGateway", id: TGW, name: "hub-tgw", asn: 64512, segment: "onprem" },
    });
  }
  const dx = r.component("DirectConnectGateway", "dx");
  r.child(dx, "aws:directconnect/gateway:Gateway", "dx-dxgw", "dxgw-0dx", { amazonSideAsn: "64700" });
  c.directConnectGateways.push({
    name: "dx-dxgw",
    id: "dxgw-0dx",
    asn: 64700,
    associations: [
      {
        to: { kind: "transitGateway", id: TGW, name: "hub-tgw", asn: 64512 },
        allowedPrefixes: ["10.0.0.0/8"],
        proposal: false,
      },
    ],
  });
  const vifs = r.component("VirtualInterfaces", "dx");
  for (const [i, location] of ["ashburn", "reston"].entries()) {
    r.child(
      vifs,
      "aws:directconnect/transitVirtualInterface:TransitVirtualInterface",
      `dx-${location}`,
      `dxvif-0${location}`,
    );
    r.child(
      vifs,
      "aws:directconnect/connection:Connection",
      `dx-${location}-connection`,
      `dxcon-0${location}`,
      { bandwidth: "10Gbps" },
    );
    c.virtualInterfaces.push({
      name: `dx-${location}`,
      type: "transit",
      hosted: false,
      vlan: 101 + i,
      connectionId: `dxcon-0${location}`,
      customerAsn: 65010,
      to: { kind: "directConnectGateway", id: "dxgw-0dx", name: "dx-dxgw", asn: 64700 },
    });
  }
  const cvpn = r.component("ClientVpn", "staff");
  r.child(cvpn, "aws:ec2clientvpn/endpoint:Endpoint", "staff-endpoint", "cvpn-endpoint-0staff", {
    vpcId: CONNECTIVITY_VPC,
  });
  c.clientVpns.push({
    name: "staff",
    id: "cvpn-endpoint-0staff",
    clientCidr: "192.168.100.0/22",
    vpcId: CONNECTIVITY_VPC,
    associations: ["connectivity private use1-az1"],
    authorizations: [{ destination: "10.10.0.0/20", groups: "all groups" }],
    routes: [],
  });
  const onprem = r.component("PrivateLinkService", "onprem");
  r.child(onprem, "aws:ec2/vpcEndpointService:VpcEndpointService", "onprem-service", "vpce-svc-0onprem");
  c.endpointServices.push({
    name: "onprem",
    id: "vpce-svc-0onprem",
    serviceName: serviceName("onprem"),
    acceptanceRequired: true,
    allowedPrincipals: [],
    listeners: [
      {
        protocol: "TCP",
        port: 443,
        targetGroup: "onprem-dc",
        targetProtocol: "TCP",
        targetPort: 443,
        targets: [{ target: "172.16.10.10" }],
      },
    ],
    consumers: [],
  });
  for (let i = 0; i < workloads; i++) {
    const key = workloadKey(i);
    const ep = r.component("PrivateLinkEndpoint", `to-${key}`);
    r.child(ep, "aws:ec2/vpcEndpoint:VpcEndpoint", `to-${key}-endpoint`, `vpce-0to${key}`, {
      vpcId: CONNECTIVITY_VPC,
    });
    r.child(ep, "aws:ec2/securityGroup:SecurityGroup", `to-${key}-endpoint`, `sg-0to${key}`, {
      vpcId: CONNECTIVITY_VPC,
    });
    c.interfaceEndpoints.push({
      name: `to-${key}`,
      id: `vpce-0to${key}`,
      vpcId: CONNECTIVITY_VPC,
      vpcName: "connectivity",
      serviceName: serviceName(key),
      service: {
        name: key,
        stack: `workload-${key}-${ENV}`,
        acceptanceRequired: true,
        accepted: true,
        listeners: [],
      },
    });
  }
  r.list.push({
    type: "pulumi:providers:aws",
    name: "network",
    urn: r.urn("pulumi:providers:aws", "network"),
    inputs: {},
  });
  return { name, resources: r.list, diagnostics: [], connections: c };
}

function workloadStack(i: number): ReportStack {
  const key = workloadKey(i);
  const name = `workload-${key}-${ENV}`;
  const r = new Resources(name);
  const c = empty();
  const vpcId = `vpc-0${key}`;
  const cidr = `10.${20 + i}.0.0/16`;
  const vpc = r.component("Vpc", `${key}-vpc`);
  r.child(vpc, "aws:ec2/vpc:Vpc", `${key}-vpc`, vpcId, { cidrBlock: cidr });
  c.vpcs.push({ name: `${key}-vpc`, id: vpcId, cidrs: [cidr], subnets: [] });
  const attach = r.component("VpcAttachment", "hub");
  r.child(
    attach,
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
    "hub-attachment",
    `tgw-attach-0${key}`,
    {
      vpcId,
      transitGatewayId: TGW,
    },
  );
  c.attachments.push({
    name: "hub",
    id: `tgw-attach-0${key}`,
    transitGatewayId: TGW,
    vpcId,
    vpcName: `${key}-vpc`,
    cidrs: [cidr],
    segment: "workloads",
    propagatesTo: ["shared"],
  });
  const svc = r.component("PrivateLinkService", key);
  r.child(svc, "aws:ec2/vpcEndpointService:VpcEndpointService", `${key}-service`, `vpce-svc-0${key}`);
  r.child(
    svc,
    "aws:lb/loadBalancer:LoadBalancer",
    `${key}-nlb`,
    `arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/${key}`,
  );
  c.endpointServices.push({
    name: key,
    id: `vpce-svc-0${key}`,
    serviceName: serviceName(key),
    acceptanceRequired: true,
    allowedPrincipals: [],
    listeners: [
      {
        protocol: "TCP",
        port: 443,
        targetGroup: `${key}-app`,
        targetProtocol: "TCP",
        targetPort: 8443,
        targets: [{ target: `10.${20 + i}.0.10` }],
      },
    ],
    consumers: [],
  });
  const ep = r.component("PrivateLinkEndpoint", `${key}-onprem`);
  r.child(ep, "aws:ec2/vpcEndpoint:VpcEndpoint", `${key}-onprem-endpoint`, `vpce-0${key}onprem`, { vpcId });
  c.interfaceEndpoints.push({
    name: `${key}-onprem`,
    id: `vpce-0${key}onprem`,
    vpcId,
    vpcName: `${key}-vpc`,
    serviceName: serviceName("onprem"),
    service: {
      name: "onprem",
      stack: `connectivity-${ENV}`,
      acceptanceRequired: true,
      accepted: true,
      listeners: [],
    },
  });
  return { name, resources: r.list, diagnostics: [], connections: c };
}

function hop(stack: ReportStack, name: string, what: string) {
  const r = stack.resources.find((x) => x.name === name);
  return { stack: stack.name, name, ...(r ? { urn: r.urn } : {}), what };
}

function flows(connectivity: ReportStack, workloads: ReportStack[], sites: number): FlowVerdict[] {
  const result: FlowVerdict[] = [];
  for (let i = 1; i <= sites; i++) {
    const w = workloads[(i - 1) % workloads.length];
    const key = w.name.split("-")[1];
    result.push({
      name: `site${i}-to-${key}`,
      from: `site:site${i}`,
      to: `service:${key}`,
      protocol: "tcp",
      port: 443,
      expect: "allow",
      verdict: "pass",
      reachable: true,
      path: [
        hop(connectivity, `dc-site${i}-1-vpn`, "site sends over VPN"),
        hop(connectivity, "hub-onprem", "segment onprem"),
        hop(connectivity, `to-${key}-endpoint`, "interface endpoint admits tcp/443"),
        hop(w, `${key}-service`, "endpoint service"),
        hop(w, `${key}-vpc-private-use1-az1`, "delivered"),
      ],
      reply: [],
    });
  }
  const blockedAt = {
    ...hop(connectivity, "hub-onprem", "no route to 10.20.0.0/16"),
    direction: "forward" as const,
  };
  result.push({
    name: "site1-to-w01-vpc",
    from: "site:site1",
    to: "workload:w01",
    protocol: "tcp",
    expect: "allow",
    verdict: "fail",
    reachable: false,
    path: [hop(connectivity, "dc-site1-1-vpn", "site sends over VPN")],
    reply: [],
    blockedAt,
  });
  return result;
}

/** A plan with `workloads` workload stacks (and 2 + workloads/10 sites), one failed flow and two findings. */
export function syntheticPlan(workloads: number): ReportPlan {
  const sites = 2 + Math.floor(workloads / 10);
  const connectivity = connectivityStack(workloads, sites);
  const stacks = Array.from({ length: workloads }, (_, i) => workloadStack(i));
  connectivity.diagnostics.push({
    policy: "tgw-default-route-table",
    level: "mandatory",
    message: "a finding with no resource",
  });
  stacks[0].diagnostics.push({
    policy: "attachment-segment",
    level: "advisory",
    message: 'attachment <hub> & "quoted"',
    urn: stacks[0].resources.find((r) => r.name === "hub-attachment")?.urn,
  });
  const all = [connectivity, ...stacks];
  const f = flows(connectivity, stacks, sites);
  return {
    env: ENV,
    stacks: all,
    flows: f,
    summary: {
      resources: all.reduce((n, s) => n + s.resources.length, 0),
      mandatory: 1,
      advisory: 1,
      flows: { checked: f.length, failed: 1 },
    },
  };
}
