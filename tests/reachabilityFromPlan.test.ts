/**
 * The network model read from a plan (model/reachability/fromPlan): the dev and prod reference environments,
 * run under mocks stack by stack as `hybridnet plan` runs them (each stack's last pass is its plan), and small
 * hand-written plans for the resource kinds the reference stacks do not use (VPC peering, a virtual private
 * gateway with static VPN routes, transit gateway peering and default route tables, Direct Connect sites,
 * security group variants, gateway endpoints, and input the model must skip).
 */
import { expect } from "chai";
import type { StackResult } from "../cli/plan";
import { parseCidr } from "../model/addressing";
import { readStackFiles } from "../model/environment";
import {
  networkFromPlan,
  type PlannedResourceInput,
  type PlannedStackInput,
} from "../model/reachability/fromPlan";
import type { Network, Origin } from "../model/reachability/network";
import { type SiteDeclaration, siteDeclarations } from "../model/reachability/sites";
import { parseStackConfig } from "../model/stackConfig";
import { plannedEnvironment, STACKS_DIR } from "./environment";

/** An environment's plan as the model takes it: every stack's last pass, and its site declarations. */
async function planned(env: string): Promise<{ stacks: PlannedStackInput[]; sites: SiteDeclaration[] }> {
  const { stacks, settings } = await plannedEnvironment(env);
  return { stacks, sites: siteDeclarations(settings) };
}

const at = (o: Origin) => `${o.stack}:${o.name}`;

/** Whether `address` (text, a host as /32) lies inside `cidr`, past the four addresses AWS reserves and before the last. */
function usableIn(address: string, cidr: string): boolean {
  const host = parseCidr(address.includes("/") ? address : `${address}/32`);
  const block = parseCidr(cidr);
  return host.first >= block.first + 4n && host.last < block.last;
}

function only<T>(items: T[], what: string): T {
  expect(items, what).to.have.length(1);
  return items[0];
}

/** Every origin in the network, nested ones (routes, rules, links, listeners) too, with the list it is under. */
function allOrigins(network: Network): { kind: string; origin: Origin }[] {
  const out: { kind: string; origin: Origin }[] = [];
  const walk = (kind: string, value: unknown) => {
    if (Array.isArray(value)) for (const v of value) walk(kind, v);
    else if (value !== null && typeof value === "object")
      for (const [key, v] of Object.entries(value))
        if (key === "origin") out.push({ kind, origin: v as Origin });
        else walk(kind, v);
  };
  for (const [kind, list] of Object.entries(network)) walk(kind, list);
  return out;
}

describe("network model from a plan (model/reachability/fromPlan)", () => {
  describe("dev reference environment", () => {
    let network: Network;
    let stacks: PlannedStackInput[];
    before(async function () {
      this.timeout(60_000);
      const plan = await planned("dev");
      stacks = plan.stacks;
      network = networkFromPlan(plan.stacks, plan.sites);
    });

    it("has the three VPCs with their CIDRs, accounts and region", () => {
      expect(
        network.vpcs.map((v) => `${at(v.origin)} ${v.cidrs.join(",")} ${v.account} ${v.region}`).sort(),
      ).to.deep.equal([
        "connectivity-dev:connectivity 10.10.0.0/20 111122223333 us-east-1",
        "workload-app-dev:app-vpc 10.20.0.0/16 222233334444 us-east-1",
        "workload-payments-dev:payments-vpc 10.30.0.0/16 333344445555 us-east-1",
      ]);
      expect(new Set(network.vpcs.map((v) => v.id)).size).to.equal(3);
    });

    it("has each awsx subnet by tier and zone, each with its own route table of its VPC", () => {
      const connectivity = only(
        network.vpcs.filter((v) => v.origin.stack === "connectivity-dev"),
        "connectivity VPC",
      );
      const subnets = network.subnets.filter((s) => s.vpcId === connectivity.id);
      expect(subnets.map((s) => `${s.tier} ${s.zone} ${s.cidr} ${s.origin.name}`)).to.deep.equal([
        "private use1-az1 10.10.0.0/22 connectivity-private-use1-az1",
        "private use1-az2 10.10.4.0/22 connectivity-private-use1-az2",
        "transit use1-az1 10.10.12.0/28 connectivity-transit-use1-az1",
        "transit use1-az2 10.10.12.16/28 connectivity-transit-use1-az2",
      ]);
      expect(network.subnets).to.have.length(12);
      const tables = new Map(network.routeTables.map((t) => [t.id, t]));
      for (const s of network.subnets) {
        expect(s.routeTableId, s.origin.name).to.match(/^rtb-[0-9a-f]{17}$/);
        expect(tables.get(s.routeTableId)?.vpcId, s.origin.name).to.equal(s.vpcId);
        // awsx's subnets are not resources of the plan: no URN to name.
        expect(s.origin.urn).to.equal(undefined);
      }
      expect(new Set(network.subnets.map((s) => s.routeTableId)).size).to.equal(12);
    });

    it("routes the connectivity VPC's private subnets to the data centers and attached workloads over the hub", () => {
      const tgw = only(network.transitGateways, "transit gateway");
      const routesOf = (name: string) => {
        const subnet = only(
          network.subnets.filter((s) => s.origin.name === name),
          name,
        );
        const table = only(
          network.routeTables.filter((t) => t.id === subnet.routeTableId),
          `${name}'s table`,
        );
        return table.routes.map(
          (r) => `${r.destination} ${r.target.kind} ${"id" in r.target ? r.target.id : ""}`,
        );
      };
      const viaHub = (cidr: string) => `${cidr} transitGateway ${tgw.id}`;
      for (const zone of ["use1-az1", "use1-az2"]) {
        expect(routesOf(`connectivity-private-${zone}`)).to.deep.equal([
          viaHub("172.16.0.0/16"),
          viaHub("172.17.0.0/16"),
          viaHub("10.20.0.0/16"),
          viaHub("10.30.0.0/16"),
        ]);
        // The transit subnets hold only the attachment's interfaces: no routes of their own.
        expect(routesOf(`connectivity-transit-${zone}`)).to.deep.equal([]);
        expect(routesOf(`app-vpc-private-${zone}`)).to.deep.equal([viaHub("10.10.0.0/20")]);
        expect(routesOf(`payments-vpc-private-${zone}`)).to.deep.equal([viaHub("10.10.0.0/20")]);
      }
    });

    it("has the hub's three segment route tables with their associations and propagations", () => {
      const attachments = new Map(network.transitGatewayAttachments.map((a) => [a.id, a]));
      const names = (ids: string[]) =>
        ids.map((id) => at(attachments.get(id)?.origin ?? { stack: "?", name: id }));
      expect(
        network.transitGatewayRouteTables.map((t) => ({
          segment: t.segment,
          name: at(t.origin),
          associations: names(t.associations).sort(),
          propagations: names(t.propagations).sort(),
          routes: t.routes,
        })),
      ).to.deep.equal([
        {
          segment: "onprem",
          name: "connectivity-dev:hub-onprem",
          associations: ["connectivity-dev:dc-dc1-1-vpn", "connectivity-dev:dc-dc2-1-vpn"],
          propagations: ["connectivity-dev:shared-attachment"],
          routes: [],
        },
        {
          segment: "shared",
          name: "connectivity-dev:hub-shared",
          associations: ["connectivity-dev:shared-attachment"],
          propagations: [
            "connectivity-dev:dc-dc1-1-vpn",
            "connectivity-dev:dc-dc2-1-vpn",
            "connectivity-dev:shared-attachment",
            "workload-app-dev:hub-attachment",
            "workload-payments-dev:hub-attachment",
          ],
          routes: [],
        },
        {
          segment: "workloads",
          name: "connectivity-dev:hub-workloads",
          associations: ["workload-app-dev:hub-attachment", "workload-payments-dev:hub-attachment"],
          propagations: ["connectivity-dev:shared-attachment"],
          routes: [],
        },
      ]);
      const tgw = only(network.transitGateways, "transit gateway");
      for (const t of network.transitGatewayRouteTables) expect(t.transitGatewayId).to.equal(tgw.id);
    });

    it("attaches each workload VPC by its own attachment, in its transit subnets", () => {
      const vpcAttachments = network.transitGatewayAttachments.filter((a) => a.kind === "vpc");
      expect(vpcAttachments.map((a) => at(a.origin))).to.deep.equal([
        "connectivity-dev:shared-attachment",
        "workload-app-dev:hub-attachment",
        "workload-payments-dev:hub-attachment",
      ]);
      // Both workloads name theirs `hub-attachment`: two attachments all the same.
      expect(new Set(vpcAttachments.map((a) => a.id)).size).to.equal(3);
      const subnets = new Map(network.subnets.map((s) => [s.id, s]));
      const cidrs = (a: (typeof vpcAttachments)[number]) =>
        (a.subnetIds ?? []).map((id) => `${subnets.get(id)?.tier} ${subnets.get(id)?.cidr}`);
      expect(vpcAttachments.map(cidrs)).to.deep.equal([
        ["transit 10.10.12.0/28", "transit 10.10.12.16/28"],
        ["transit 10.20.192.0/28", "transit 10.20.192.16/28"],
        ["transit 10.30.192.0/28", "transit 10.30.192.16/28"],
      ]);
      const vpcs = new Map(network.vpcs.map((v) => [v.id, v]));
      expect(vpcAttachments.map((a) => vpcs.get(a.vpcId ?? "")?.cidrs[0])).to.deep.equal([
        "10.10.0.0/20",
        "10.20.0.0/16",
        "10.30.0.0/16",
      ]);
    });

    it("has the two data centers with their prefixes, each on one BGP VPN attached to the hub", () => {
      expect(network.sites.map((s) => `${s.name} ${s.prefixes.join(",")} ${s.links.length}`)).to.deep.equal([
        "dc1 172.16.0.0/16 1",
        "dc2 172.17.0.0/16 1",
      ]);
      const attachments = new Map(network.transitGatewayAttachments.map((a) => [a.id, a]));
      for (const site of network.sites) {
        expect(site.origin).to.deep.equal({ stack: "on-premises", name: site.name });
        const link = site.links[0];
        expect(link).to.include({ kind: "vpn", routing: "bgp" });
        expect(link.id).to.match(/^vpn-[0-9a-f]{17}$/);
        expect(link.origin.name).to.equal(`dc-${site.name}-1-vpn`);
        expect(link.origin.component).to.equal("dc");
        expect(link.vpnGatewayId).to.equal(undefined);
        const attachment = attachments.get(link.transitGatewayAttachmentId ?? "");
        expect(attachment, site.name).to.include({ kind: "vpn", site: site.name, vpnConnectionId: link.id });
      }
    });

    it("puts each interface endpoint's addresses inside its subnets, guarded by its security group", () => {
      expect(network.interfaceEndpoints.map((e) => at(e.origin))).to.deep.equal([
        "connectivity-dev:to-app-endpoint",
        "connectivity-dev:to-payments-endpoint",
        "workload-app-dev:app-onprem-endpoint",
        "workload-payments-dev:payments-onprem-endpoint",
      ]);
      const subnets = new Map(network.subnets.map((s) => [s.id, s]));
      const groups = new Map(network.securityGroups.map((g) => [g.id, g]));
      const seen = new Set<string>();
      for (const e of network.interfaceEndpoints) {
        expect(
          e.addresses.map((a) => a.subnetId),
          e.origin.name,
        ).to.deep.equal(e.subnetIds);
        expect(e.subnetIds.map((id) => subnets.get(id)?.tier)).to.deep.equal(["private", "private"]);
        for (const a of e.addresses) {
          const subnet = subnets.get(a.subnetId);
          expect(subnet?.vpcId).to.equal(e.vpcId);
          expect(
            usableIn(a.address, subnet?.cidr ?? "0.0.0.0/32"),
            `${a.address} in ${subnet?.cidr}`,
          ).to.equal(true);
          seen.add(a.address);
        }
        const group = only(e.securityGroupIds, e.origin.name);
        expect(groups.get(group)?.vpcId).to.equal(e.vpcId);
      }
      expect(seen.size).to.equal(8);
      // The endpoints to the workload services admit the connectivity VPC and the data centers on 443.
      const toApp = network.interfaceEndpoints[0];
      expect(
        groups
          .get(toApp.securityGroupIds[0])
          ?.ingress.map((r) => `${r.protocol} ${r.fromPort}-${r.toPort} ${r.cidr}`),
      ).to.deep.equal(["tcp 443-443 10.10.0.0/20", "tcp 443-443 172.16.0.0/16", "tcp 443-443 172.17.0.0/16"]);
    });

    it("joins PrivateLink across stacks: endpoint → service it accepted → NLB, listener, targets", () => {
      const byName = new Map(network.interfaceEndpoints.map((e) => [e.origin.name, e]));
      const services = new Map(network.endpointServices.map((s) => [s.serviceName, s]));
      expect(network.endpointServices.map((s) => `${at(s.origin)} ${s.acceptanceRequired}`)).to.deep.equal([
        "connectivity-dev:onprem-service true",
        "workload-app-dev:app-service true",
        "workload-payments-dev:payments-service true",
      ]);
      const app = services.get(byName.get("to-app-endpoint")?.serviceName ?? "");
      expect(app?.origin.name).to.equal("app-service");
      expect(app?.acceptedEndpointIds).to.deep.equal([byName.get("to-app-endpoint")?.id]);
      const onprem = services.get(byName.get("app-onprem-endpoint")?.serviceName ?? "");
      expect(onprem?.origin.name).to.equal("onprem-service");
      expect(onprem?.acceptedEndpointIds).to.deep.equal([
        byName.get("app-onprem-endpoint")?.id,
        byName.get("payments-onprem-endpoint")?.id,
      ]);

      const lb = only(
        network.loadBalancers.filter((l) => l.arn === app?.loadBalancerArns[0]),
        "the app service's NLB",
      );
      const appVpc = only(
        network.vpcs.filter((v) => v.origin.stack === "workload-app-dev"),
        "app VPC",
      );
      expect(lb.origin.name).to.equal("app-nlb");
      expect(lb.vpcId).to.equal(appVpc.id);
      expect(lb.enforceInboundOnPrivateLink).to.equal(true);
      const listener = only(lb.listeners, "listener");
      expect(listener).to.include({ port: 443, protocol: "TCP" });
      const group = only(
        network.targetGroups.filter((t) => t.arn === listener.targetGroupArn),
        "target group",
      );
      expect(group).to.include({ port: 8443, protocol: "TCP", vpcId: appVpc.id });
      expect(group.targets.map((t) => t.address)).to.deep.equal(["10.20.0.10/32", "10.20.64.10/32"]);
      const nlbGroup = network.securityGroups.find((g) => g.id === lb.securityGroupIds[0]);
      expect(nlbGroup?.ingress.map((r) => `${r.protocol} ${r.fromPort} ${r.cidr}`)).to.deep.equal([
        "tcp 443 10.10.0.0/20",
        "tcp 443 172.16.0.0/16",
        "tcp 443 172.17.0.0/16",
      ]);
      expect(nlbGroup?.egress.map((r) => `${r.protocol} ${r.fromPort} ${r.cidr}`)).to.deep.equal([
        "tcp 8443 10.20.0.0/18",
        "tcp 8443 10.20.64.0/18",
      ]);
      // The reverse service's targets are on premises.
      const reverse = network.targetGroups.find((t) => t.origin.name === "onprem-dc");
      expect(reverse?.targets.map((t) => t.address)).to.deep.equal(["172.16.10.10/32", "172.17.10.10/32"]);
    });

    it("has the staff Client VPN in the connectivity VPC's private subnets, authorized and routed to the VPC", () => {
      const cvpn = only(network.clientVpnEndpoints, "Client VPN endpoint");
      const privateSubnets = network.subnets
        .filter((s) => s.origin.name.startsWith("connectivity-private-"))
        .map((s) => s.id);
      expect(privateSubnets).to.have.length(2);
      expect(cvpn.clientCidr).to.equal("192.168.100.0/22");
      expect(cvpn.subnetIds).to.deep.equal(privateSubnets);
      expect(cvpn.authorizations.map((a) => a.destination)).to.deep.equal(["10.10.0.0/20"]);
      // Associating a subnet routes the VPC's CIDR through it (AWS adds the route).
      expect(cvpn.routes.map((r) => `${r.destination} ${r.subnetId}`)).to.deep.equal(
        privateSubnets.map((id) => `10.10.0.0/20 ${id}`),
      );
      expect(cvpn.routes.map((r) => r.origin.name)).to.deep.equal(["staff-use1-az1", "staff-use1-az2"]);
      expect(only(cvpn.securityGroupIds, "Client VPN group")).to.match(/^sg-/);
    });

    it("gives every record its origin: stack, name, and the URN of the resource it came from", () => {
      const records = allOrigins(network);
      // 60 top-level records, and their routes, rules, links, listeners, targets, authorizations.
      expect(records.length).to.be.greaterThan(100);
      const urns = new Set(stacks.flatMap((s) => s.resources.map((r) => r.urn)));
      for (const { kind, origin } of records) {
        expect(origin.stack, kind).to.be.a("string").and.not.equal("");
        expect(origin.name, kind).to.be.a("string").and.not.equal("");
        // Only what the plan does not show as resources has no URN: awsx subnets and route tables, sites.
        if (origin.urn === undefined) expect(["subnets", "routeTables", "sites"], kind).to.include(kind);
        else expect(urns.has(origin.urn), `${kind} ${origin.urn}`).to.equal(true);
      }
      // The component that registered it: the hub's gateway and tables are the TransitGatewayHub "hub"'s.
      expect(only(network.transitGateways, "transit gateway").origin.component).to.equal("hub");
      expect(network.transitGatewayRouteTables.map((t) => t.origin.component)).to.deep.equal([
        "hub",
        "hub",
        "hub",
      ]);
    });
  });

  describe("prod reference environment", () => {
    let network: Network;
    let stacks: PlannedStackInput[];
    before(async function () {
      this.timeout(60_000);
      const plan = await planned("prod");
      stacks = plan.stacks;
      network = networkFromPlan(plan.stacks, plan.sites);
    });

    it("has the connectivity VPC and two workload VPCs that share one CIDR, never attached", () => {
      expect(
        network.vpcs.map((v) => `${at(v.origin)} ${v.cidrs.join(",")} ${v.account}`).sort(),
      ).to.deep.equal([
        "connectivity-prod:connectivity 10.110.0.0/20 444455556666",
        "workload-orders-prod:orders-vpc 10.50.0.0/16 666677778888",
        "workload-payments-prod:payments-vpc 10.50.0.0/16 555566667777",
      ]);
      expect(new Set(network.vpcs.map((v) => v.id)).size).to.equal(3);
      expect(
        network.transitGatewayAttachments.filter((a) => a.kind === "vpc").map((a) => at(a.origin)),
      ).to.deep.equal(["connectivity-prod:shared-attachment"]);
    });

    it("associates the Direct Connect gateway with the hub, advertising only 10.255.0.0/24", () => {
      const tgw = only(network.transitGateways, "transit gateway");
      const dx = only(network.directConnectGateways, "Direct Connect gateway");
      expect(at(dx.origin)).to.equal("connectivity-prod:dx-dxgw");
      expect(dx.id).to.match(/^dxgw-[0-9a-f]{17}$/);
      const association = only(dx.associations, "association");
      expect(association.gatewayId).to.equal(tgw.id);
      expect(association.allowedPrefixes).to.deep.equal(["10.255.0.0/24"]);
      expect(association.origin.name).to.equal("dx-hub-association");
      const attachment = only(
        network.transitGatewayAttachments.filter((a) => a.id === association.transitGatewayAttachmentId),
        "the gateway's attachment",
      );
      expect(attachment).to.include({
        kind: "directConnectGateway",
        directConnectGatewayId: dx.id,
        transitGatewayId: tgw.id,
      });
    });

    it("runs a private IP VPN to each data center over Direct Connect, beside the internet VPN", () => {
      const links = (name: string) =>
        only(
          network.sites.filter((s) => s.name === name),
          name,
        ).links.map((l) => `${l.origin.component} ${l.origin.name} ${l.routing}`);
      // dc1 asks 2 Gbps on the internet: two ECMP connections.
      expect(links("dc1")).to.deep.equal([
        "dc dc-dc1-1-vpn bgp",
        "dc dc-dc1-2-vpn bgp",
        "dx-vpn dx-vpn-dc1-1-vpn bgp",
      ]);
      expect(links("dc2")).to.deep.equal(["dc dc-dc2-1-vpn bgp", "dx-vpn dx-vpn-dc2-1-vpn bgp"]);
      // The private IP VPN's tunnels ride the Direct Connect gateway's attachment (the plan's transport).
      const dxAttachment = only(
        network.transitGatewayAttachments.filter((a) => a.kind === "directConnectGateway"),
        "DX attachment",
      );
      const overDx = stacks
        .flatMap((s) => s.resources)
        .filter((r) => r.type === "aws:ec2/vpnConnection:VpnConnection" && r.name.startsWith("dx-vpn-"));
      expect(overDx.map((r) => r.inputs.transportTransitGatewayAttachmentId)).to.deep.equal([
        dxAttachment.id,
        dxAttachment.id,
      ]);
      const onprem = only(
        network.transitGatewayRouteTables.filter((t) => t.segment === "onprem"),
        "onprem table",
      );
      const attachments = new Map(network.transitGatewayAttachments.map((a) => [a.id, a]));
      expect(
        onprem.associations.map((id) => `${attachments.get(id)?.kind} ${attachments.get(id)?.site}`),
      ).to.deep.equal(["vpn dc1", "vpn dc1", "vpn dc2", "vpn dc1", "vpn dc2"]);
    });

    it("has the branches on the CloudHub's virtual private gateway, which propagates into the private tables", () => {
      const vgw = only(network.vpnGateways, "virtual private gateway");
      const connectivity = only(
        network.vpcs.filter((v) => v.origin.stack === "connectivity-prod"),
        "connectivity VPC",
      );
      expect(at(vgw.origin)).to.equal("connectivity-prod:branches-vgw");
      expect(vgw.vpcId).to.equal(connectivity.id);
      const branches = network.sites.filter((s) => s.name === "boston" || s.name === "denver");
      expect(branches.map((s) => `${s.name} ${s.prefixes.join(",")}`)).to.deep.equal([
        "boston 172.20.1.0/24",
        "denver 172.20.2.0/24",
      ]);
      for (const s of branches)
        expect(only(s.links, s.name)).to.include({ kind: "vpn", routing: "bgp", vpnGatewayId: vgw.id });
      const propagating = network.routeTables
        .filter((t) => t.propagatingVpnGateways.includes(vgw.id))
        .map((t) => t.origin.name);
      expect(propagating).to.deep.equal([
        "connectivity-private-use1-az1",
        "connectivity-private-use1-az2",
        "connectivity-private-use1-az4",
      ]);
    });

    it("reaches both workloads (one CIDR) only through PrivateLink: an endpoint to each, accepted", () => {
      const endpoints = network.interfaceEndpoints.filter((e) => e.origin.stack === "connectivity-prod");
      expect(endpoints.map((e) => e.origin.name)).to.deep.equal([
        "to-orders-endpoint",
        "to-payments-endpoint",
      ]);
      const services = new Map(network.endpointServices.map((s) => [s.serviceName, s]));
      for (const e of endpoints) {
        const service = services.get(e.serviceName);
        expect(service?.origin.stack, e.origin.name).to.equal(`workload-${e.origin.name.split("-")[1]}-prod`);
        expect(service?.acceptedEndpointIds).to.deep.equal([e.id]);
        expect(e.addresses).to.have.length(3);
        const subnets = new Map(network.subnets.map((s) => [s.id, s]));
        for (const a of e.addresses)
          expect(usableIn(a.address, subnets.get(a.subnetId)?.cidr ?? "0.0.0.0/32"), a.address).to.equal(
            true,
          );
      }
      expect(network.clientVpnEndpoints).to.deep.equal([]);
    });
  });

  describe("site declarations from the config (model/reachability/sites)", () => {
    const declarations = (env: string) =>
      siteDeclarations(readStackFiles(STACKS_DIR, env).map((f) => parseStackConfig(f.stack, f.config))).map(
        (d) =>
          `${d.stack} ${d.component} ${d.site} ${d.prefixes.join(",")} ${d.over}${d.deviceFormat ? ` ${d.deviceFormat}` : ""}`,
      );

    it("declares the data centers on the internet VPN, on the VPN over Direct Connect, and the branches, with their device formats", () => {
      expect(declarations("dev")).to.deep.equal([
        "connectivity-dev dc dc1 172.16.0.0/16 vpn strongswan",
        "connectivity-dev dc dc2 172.17.0.0/16 vpn",
      ]);
      expect(declarations("prod")).to.deep.equal([
        "connectivity-prod dc dc1 172.16.0.0/16 vpn",
        "connectivity-prod dc dc2 172.17.0.0/16 vpn",
        "connectivity-prod dx-vpn dc1 172.16.0.0/16 vpn",
        "connectivity-prod dx-vpn dc2 172.17.0.0/16 vpn",
        "connectivity-prod branches boston 172.20.1.0/24 vpn juniper-srx",
        "connectivity-prod branches denver 172.20.2.0/24 vpn",
      ]);
    });
  });

  describe("hand-written plans", () => {
    /** A registered resource of `stack`, its URN as the engine makes it. */
    function res(
      stack: string,
      type: string,
      name: string,
      id: string,
      inputs: Record<string, unknown>,
      outputs: Record<string, unknown> = {},
    ): PlannedResourceInput {
      return {
        type,
        name,
        urn: `urn:pulumi:${stack}::hybridnet::${type}::${name}`,
        id,
        inputs,
        outputs: { ...inputs, ...outputs },
      };
    }
    const R = {
      vpc: "aws:ec2/vpc:Vpc",
      subnet: "aws:ec2/subnet:Subnet",
      routeTable: "aws:ec2/routeTable:RouteTable",
      association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
      route: "aws:ec2/route:Route",
      peering: "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
      peeringAccepter: "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
      vgw: "aws:ec2/vpnGateway:VpnGateway",
      vgwAttachment: "aws:ec2/vpnGatewayAttachment:VpnGatewayAttachment",
      propagation: "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
      cgw: "aws:ec2/customerGateway:CustomerGateway",
      vpn: "aws:ec2/vpnConnection:VpnConnection",
      vpnRoute: "aws:ec2/vpnConnectionRoute:VpnConnectionRoute",
      tgw: "aws:ec2transitgateway/transitGateway:TransitGateway",
      tgwTable: "aws:ec2transitgateway/routeTable:RouteTable",
      tgwAttachment: "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
      tgwAssociation: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
      tgwRoute: "aws:ec2transitgateway/route:Route",
      tgwPeering: "aws:ec2transitgateway/peeringAttachment:PeeringAttachment",
      tgwPeeringAccepter: "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter",
      dxGateway: "aws:directconnect/gateway:Gateway",
      dxAssociation: "aws:directconnect/gatewayAssociation:GatewayAssociation",
      privateVif: "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface",
      hostedPrivateVifAccepter:
        "aws:directconnect/hostedPrivateVirtualInterfaceAccepter:HostedPrivateVirtualInterfaceAccepter",
      endpointService: "aws:ec2/vpcEndpointService:VpcEndpointService",
      sg: "aws:ec2/securityGroup:SecurityGroup",
      sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
      ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
      endpointTable: "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation",
    };

    it("VPC peering: active once the other side accepts it, in its own stack; routes to it name it", () => {
      const a = "net-a";
      const stackA: PlannedStackInput = {
        name: a,
        outputs: {},
        resources: [
          res(a, R.vpc, "a", "vpc-0a", { cidrBlock: "10.1.0.0/16" }, { mainRouteTableId: "rtb-0amain" }),
          res(a, R.subnet, "a-1", "subnet-0a1", {
            vpcId: "vpc-0a",
            cidrBlock: "10.1.1.0/24",
            availabilityZone: "us-east-1a",
          }),
          res(a, R.subnet, "a-2", "subnet-0a2", {
            vpcId: "vpc-0a",
            cidrBlock: "10.1.2.0/24",
            availabilityZone: "us-east-1b",
          }),
          res(a, R.routeTable, "a-rt", "rtb-0a", { vpcId: "vpc-0a" }),
          res(a, R.association, "a-1-rt", "rtbassoc-0a1", { subnetId: "subnet-0a1", routeTableId: "rtb-0a" }),
          res(a, R.route, "a-to-b", "r-1", {
            routeTableId: "rtb-0a",
            destinationCidrBlock: "10.2.0.0/16",
            vpcPeeringConnectionId: "pcx-0ab",
          }),
          res(
            a,
            R.peering,
            "a-b",
            "pcx-0ab",
            { vpcId: "vpc-0a", peerVpcId: "vpc-0b", peerOwnerId: "222233334444" },
            { acceptStatus: "pending-acceptance" },
          ),
          res(
            a,
            R.peering,
            "a-c",
            "pcx-0ac",
            { vpcId: "vpc-0a", peerVpcId: "vpc-0c" },
            { acceptStatus: "pending-acceptance" },
          ),
        ],
      };
      const b = "net-b";
      const stackB: PlannedStackInput = {
        name: b,
        outputs: {},
        resources: [
          res(b, R.vpc, "b", "vpc-0b", { cidrBlock: "10.2.0.0/16" }),
          res(
            b,
            R.peeringAccepter,
            "b-accepts-a",
            "pcx-0ab",
            { vpcPeeringConnectionId: "pcx-0ab", autoAccept: true },
            { acceptStatus: "active" },
          ),
        ],
      };
      const network = networkFromPlan([stackA, stackB], []);
      expect(
        network.peerings.map((p) => `${p.id} ${p.requesterVpcId}→${p.accepterVpcId} ${p.active}`),
      ).to.deep.equal([
        "pcx-0ab vpc-0a→vpc-0b true",
        // Nobody accepted a-c: it carries nothing.
        "pcx-0ac vpc-0a→vpc-0c false",
      ]);
      const table = only(
        network.routeTables.filter((t) => t.id === "rtb-0a"),
        "a's table",
      );
      expect(table.routes.map((r) => ({ destination: r.destination, target: r.target }))).to.deep.equal([
        { destination: "10.2.0.0/16", target: { kind: "peering", id: "pcx-0ab" } },
      ]);
      // A subnet with no table of its own is routed by the VPC's main table.
      expect(network.subnets.map((s) => `${s.id} ${s.routeTableId}`)).to.deep.equal([
        "subnet-0a1 rtb-0a",
        "subnet-0a2 rtb-0amain",
      ]);
      expect(network.routeTables.find((t) => t.id === "rtb-0amain")?.origin.name).to.equal(
        "a (main route table)",
      );
    });

    it("a virtual private gateway: static sites learn their connection's routes, BGP sites their declared prefixes", () => {
      const s = "branch-net";
      const tags = (name: string) => ({ Name: name, "hybridnet:component": "shops" });
      const stack: PlannedStackInput = {
        name: s,
        outputs: {},
        resources: [
          res(s, R.vpc, "v", "vpc-0v", { cidrBlock: "10.9.0.0/16" }),
          res(s, R.routeTable, "v-rt", "rtb-0v", { vpcId: "vpc-0v" }),
          res(s, R.vgw, "shops-vgw", "vgw-0v", { tags: tags("shops") }),
          res(s, R.vgwAttachment, "shops-vgw-attach", "vpc-attach-0v", {
            vpcId: "vpc-0v",
            vpnGatewayId: "vgw-0v",
          }),
          res(s, R.propagation, "shops-propagate", "vgw-0v_rtb-0v", {
            vpnGatewayId: "vgw-0v",
            routeTableId: "rtb-0v",
          }),
          // Site keys may hold dashes and digits: `north-1` is a site, not connection 1 of `north`.
          res(s, R.vpn, "shops-north-1-vpn", "vpn-01", {
            vpnGatewayId: "vgw-0v",
            customerGatewayId: "cgw-01",
            staticRoutesOnly: true,
            tags: tags("shops-north-1"),
          }),
          res(s, R.vpnRoute, "shops-north-1-route-a", "192.168.10.0/24:vpn-01", {
            vpnConnectionId: "vpn-01",
            destinationCidrBlock: "192.168.10.0/24",
          }),
          res(s, R.vpnRoute, "shops-north-1-route-b", "192.168.11.0/24:vpn-01", {
            vpnConnectionId: "vpn-01",
            destinationCidrBlock: "192.168.11.0/24",
          }),
          // No tags of its own: its customer gateway's name says the site.
          res(s, R.cgw, "shops-north-cgw", "cgw-02", { tags: tags("shops-north") }),
          res(s, R.vpn, "untagged-vpn", "vpn-02", {
            vpnGatewayId: "vgw-0v",
            customerGatewayId: "cgw-02",
            staticRoutesOnly: false,
          }),
          // A site the config does not declare: linked, with no prefixes known.
          res(s, R.vpn, "shops-south-vpn", "vpn-03", {
            vpnGatewayId: "vgw-0v",
            staticRoutesOnly: false,
            tags: tags("shops-south"),
          }),
        ],
      };
      const declared: SiteDeclaration[] = [
        { stack: s, component: "shops", site: "north", prefixes: ["192.168.20.0/24"], over: "vpn" },
        { stack: s, component: "shops", site: "north-1", prefixes: ["192.168.10.0/23"], over: "vpn" },
        // Another stack's declaration does not claim this stack's connections; a site is still one place by
        // name, so `south` (named by its connection's tag) has the prefixes declared for it there.
        { stack: "elsewhere", component: "shops", site: "south", prefixes: ["192.168.30.0/24"], over: "vpn" },
      ];
      const network = networkFromPlan([stack], declared);
      expect(network.vpnGateways.map((g) => `${g.id} ${g.vpcId}`)).to.deep.equal(["vgw-0v vpc-0v"]);
      expect(network.routeTables.find((t) => t.id === "rtb-0v")?.propagatingVpnGateways).to.deep.equal([
        "vgw-0v",
      ]);
      expect(
        network.sites.map((site) => ({
          name: site.name,
          prefixes: site.prefixes,
          links: site.links.map((l) => ({
            id: l.id,
            routing: l.routing,
            vpnGatewayId: l.vpnGatewayId,
            staticRoutes: l.staticRoutes,
          })),
        })),
      ).to.deep.equal([
        {
          name: "north",
          prefixes: ["192.168.20.0/24"],
          links: [{ id: "vpn-02", routing: "bgp", vpnGatewayId: "vgw-0v", staticRoutes: undefined }],
        },
        {
          name: "north-1",
          prefixes: ["192.168.10.0/23"],
          links: [
            {
              id: "vpn-01",
              routing: "static",
              vpnGatewayId: "vgw-0v",
              staticRoutes: ["192.168.10.0/24", "192.168.11.0/24"],
            },
          ],
        },
        {
          name: "south",
          prefixes: ["192.168.30.0/24"],
          links: [{ id: "vpn-03", routing: "bgp", vpnGatewayId: "vgw-0v", staticRoutes: undefined }],
        },
      ]);
    });

    it("transit gateway peering: one record per side naming the other; blackholes; the default route table", () => {
      const e = "east";
      const w = "west";
      const east: PlannedStackInput = {
        name: e,
        outputs: {},
        resources: [
          res(
            e,
            R.tgw,
            "east-tgw",
            "tgw-0e",
            {},
            {
              associationDefaultRouteTableId: "tgw-rtb-0edef",
              propagationDefaultRouteTableId: "tgw-rtb-0edef",
            },
          ),
          res(e, R.vpc, "e", "vpc-0e", { cidrBlock: "10.3.0.0/16" }),
          res(e, R.vpc, "x", "vpc-0x", { cidrBlock: "10.5.0.0/16" }),
          res(e, R.tgwAttachment, "e-attach", "tgw-attach-0e", {
            transitGatewayId: "tgw-0e",
            vpcId: "vpc-0e",
            subnetIds: [],
          }),
          // Placed by hand: kept out of the default table.
          res(e, R.tgwAttachment, "x-attach", "tgw-attach-0x", {
            transitGatewayId: "tgw-0e",
            vpcId: "vpc-0x",
            subnetIds: [],
            transitGatewayDefaultRouteTableAssociation: false,
            transitGatewayDefaultRouteTablePropagation: false,
          }),
          res(e, R.tgwPeering, "east-west", "tgw-attach-0p", {
            transitGatewayId: "tgw-0e",
            peerTransitGatewayId: "tgw-0w",
            peerRegion: "us-west-2",
          }),
          res(e, R.tgwPeering, "east-south", "tgw-attach-0q", {
            transitGatewayId: "tgw-0e",
            peerTransitGatewayId: "tgw-0s",
          }),
          res(e, R.tgwRoute, "to-west", "tgw-rtb-0edef_10.4.0.0/16", {
            transitGatewayRouteTableId: "tgw-rtb-0edef",
            destinationCidrBlock: "10.4.0.0/16",
            transitGatewayAttachmentId: "tgw-attach-0p",
          }),
          res(e, R.tgwRoute, "drop", "tgw-rtb-0edef_10.99.0.0/16", {
            transitGatewayRouteTableId: "tgw-rtb-0edef",
            destinationCidrBlock: "10.99.0.0/16",
            blackhole: true,
          }),
        ],
      };
      const west: PlannedStackInput = {
        name: w,
        outputs: {},
        resources: [
          res(
            w,
            R.tgw,
            "west-tgw",
            "tgw-0w",
            {},
            { associationDefaultRouteTableId: "", propagationDefaultRouteTableId: "" },
          ),
          res(w, R.tgwTable, "west-rt", "tgw-rtb-0w", {
            transitGatewayId: "tgw-0w",
            tags: { "hybridnet:segment": "west" },
          }),
          res(w, R.tgwPeeringAccepter, "west-accepts", "tgw-attach-0p", {
            transitGatewayAttachmentId: "tgw-attach-0p",
          }),
          res(w, R.tgwAssociation, "west-assoc", "tgw-rtb-0w_tgw-attach-0p", {
            transitGatewayRouteTableId: "tgw-rtb-0w",
            transitGatewayAttachmentId: "tgw-attach-0p",
          }),
          res(w, R.tgwRoute, "to-east", "tgw-rtb-0w_10.3.0.0/16", {
            transitGatewayRouteTableId: "tgw-rtb-0w",
            destinationCidrBlock: "10.3.0.0/16",
            transitGatewayAttachmentId: "tgw-attach-0p",
          }),
        ],
      };
      const network = networkFromPlan([east, west], []);
      const peering = network.transitGatewayAttachments.filter((a) => a.kind === "peering");
      expect(peering.map((a) => ({ ...a, origin: at(a.origin) }))).to.deep.equal([
        {
          id: "tgw-attach-0p",
          transitGatewayId: "tgw-0e",
          kind: "peering",
          peerTransitGatewayId: "tgw-0w",
          peerAttachmentId: "tgw-attach-0p@tgw-0w",
          origin: "east:east-west",
        },
        {
          id: "tgw-attach-0p@tgw-0w",
          transitGatewayId: "tgw-0w",
          kind: "peering",
          peerTransitGatewayId: "tgw-0e",
          peerAttachmentId: "tgw-attach-0p",
          origin: "west:west-accepts",
        },
        // Not accepted: no other side to go to.
        {
          id: "tgw-attach-0q",
          transitGatewayId: "tgw-0e",
          kind: "peering",
          peerTransitGatewayId: "tgw-0s",
          origin: "east:east-south",
        },
      ]);
      const tables = new Map(network.transitGatewayRouteTables.map((t) => [t.id, t]));
      const simple = (id: string) => {
        const t = tables.get(id);
        return {
          segment: t?.segment,
          associations: t?.associations,
          propagations: t?.propagations,
          routes: t?.routes.map((r) => `${r.destination} ${r.blackhole ? "blackhole" : r.attachmentId}`),
        };
      };
      expect(simple("tgw-rtb-0edef")).to.deep.equal({
        segment: undefined,
        associations: ["tgw-attach-0e"],
        propagations: ["tgw-attach-0e"],
        routes: ["10.4.0.0/16 tgw-attach-0p", "10.99.0.0/16 blackhole"],
      });
      expect(tables.get("tgw-rtb-0edef")?.origin.name).to.equal("east-tgw (default route table)");
      // The accepter gateway's table refers to its own side of the peering.
      expect(simple("tgw-rtb-0w")).to.deep.equal({
        segment: "west",
        associations: ["tgw-attach-0p@tgw-0w"],
        propagations: [],
        routes: ["10.3.0.0/16 tgw-attach-0p@tgw-0w"],
      });
    });

    it("Direct Connect: a site announcing over a gateway; a VGW association's allowed prefixes default to its VPC", () => {
      const s = "dc-net";
      const stack: PlannedStackInput = {
        name: s,
        outputs: {},
        resources: [
          res(s, R.vpc, "hq-vpc", "vpc-0h", { cidrBlock: "10.7.0.0/16" }),
          res(s, R.vgw, "hq-vgw", "vgw-0h", { vpcId: "vpc-0h" }),
          res(s, R.dxGateway, "direct-dxgw", "dxgw-0d", {
            name: "direct",
            amazonSideAsn: "64600",
            tags: { "hybridnet:component": "direct" },
          }),
          res(s, R.dxAssociation, "direct-hq", "ga-dxgw-0dvgw-0h", {
            dxGatewayId: "dxgw-0d",
            associatedGatewayId: "vgw-0h",
          }),
          res(s, R.dxGateway, "other-dxgw", "dxgw-0o", {
            name: "other",
            tags: { "hybridnet:component": "other" },
          }),
          // hq's router peers over a private VIF on the gateway; a hosted VIF's accepter names the VIF it accepts.
          res(s, R.privateVif, "direct-hq-vif", "dxvif-0h", { dxGatewayId: "dxgw-0d", vlan: 101 }),
          res(s, R.hostedPrivateVifAccepter, "direct-hq-backup-accepter", "dxvif-0k", {
            dxGatewayId: "dxgw-0d",
            virtualInterfaceId: "dxvif-0k",
          }),
        ],
      };
      const network = networkFromPlan(
        [stack],
        [
          { stack: s, component: "direct", site: "hq", prefixes: ["10.200.0.0/16"], over: "directConnect" },
          { stack: s, component: "other", site: "lab", prefixes: ["10.201.0.0/16"], over: "directConnect" },
        ],
      );
      const dx = network.directConnectGateways.find((g) => g.id === "dxgw-0d");
      expect(
        dx?.associations.map((a) => ({ gatewayId: a.gatewayId, allowedPrefixes: a.allowedPrefixes })),
      ).to.deep.equal([{ gatewayId: "vgw-0h", allowedPrefixes: ["10.7.0.0/16"] }]);
      const [hq, lab] = network.sites;
      expect([hq.name, lab.name]).to.deep.equal(["hq", "lab"]);
      expect(hq.prefixes).to.deep.equal(["10.200.0.0/16"]);
      const links = (site: typeof hq) =>
        site.links.map((l) => ({
          id: l.id,
          kind: l.kind,
          directConnectGatewayId: l.directConnectGatewayId,
          virtualInterfaceId: l.virtualInterfaceId,
          routing: l.routing,
        }));
      // Only the declared component's gateway, over each VIF on it.
      expect(links(hq)).to.deep.equal([
        {
          id: "dxgw-0d/hq/dxvif-0h",
          kind: "directConnect",
          directConnectGatewayId: "dxgw-0d",
          virtualInterfaceId: "dxvif-0h",
          routing: "bgp",
        },
        {
          id: "dxgw-0d/hq/dxvif-0k",
          kind: "directConnect",
          directConnectGatewayId: "dxgw-0d",
          virtualInterfaceId: "dxvif-0k",
          routing: "bgp",
        },
      ]);
      // A gateway with no VIF: one link without, which carries nothing.
      expect(links(lab)).to.deep.equal([
        {
          id: "dxgw-0o/lab",
          kind: "directConnect",
          directConnectGatewayId: "dxgw-0o",
          virtualInterfaceId: undefined,
          routing: "bgp",
        },
      ]);
    });

    it("security groups: inline rules per CIDR, rule resources by protocol number, self and group references", () => {
      const s = "sg-net";
      const stack: PlannedStackInput = {
        name: s,
        outputs: {},
        resources: [
          res(s, R.sg, "web", "sg-01", {
            vpcId: "vpc-0a",
            ingress: [
              { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8", "192.168.0.0/16"] },
            ],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
          }),
          res(s, R.sgRule, "web-https-self", "sgrule-1", {
            type: "ingress",
            securityGroupId: "sg-01",
            protocol: "6",
            fromPort: "443",
            toPort: "443",
            self: true,
          }),
          res(s, R.ingress, "web-dns-from-db", "sgr-1", {
            securityGroupId: "sg-01",
            ipProtocol: "udp",
            fromPort: 53,
            toPort: 53,
            referencedSecurityGroupId: "sg-02",
          }),
          // A rule for a group the plan does not have is skipped.
          res(s, R.ingress, "stray", "sgr-2", {
            securityGroupId: "sg-99",
            ipProtocol: "tcp",
            fromPort: 1,
            toPort: 1,
            cidrIpv4: "10.0.0.0/8",
          }),
        ],
      };
      const network = networkFromPlan([stack], []);
      const group = only(network.securityGroups, "group");
      const text = (r: (typeof group.ingress)[number]) =>
        `${r.protocol} ${r.fromPort === undefined ? "all ports" : `${r.fromPort}-${r.toPort}`} ${r.cidr ?? r.securityGroupId} ${r.origin.name}`;
      expect(group.ingress.map(text)).to.deep.equal([
        "tcp 22-22 10.0.0.0/8 web",
        "tcp 22-22 192.168.0.0/16 web",
        "udp 53-53 sg-02 web-dns-from-db",
        "tcp 443-443 sg-01 web-https-self",
      ]);
      // All traffic has no ports.
      expect(group.egress.map(text)).to.deep.equal(["-1 all ports 0.0.0.0/0 web"]);
    });

    it("gateway endpoints route their service's prefix list from each of their route tables", () => {
      const s = "gw-net";
      const stack: PlannedStackInput = {
        name: s,
        outputs: {},
        resources: [
          res(s, R.vpc, "g", "vpc-0g", { cidrBlock: "10.8.0.0/16" }, { mainRouteTableId: "rtb-0gmain" }),
          res(s, R.routeTable, "g-rt", "rtb-0g", { vpcId: "vpc-0g" }),
          res(
            s,
            R.endpoint,
            "s3",
            "vpce-0s3",
            {
              vpcId: "vpc-0g",
              serviceName: "com.amazonaws.us-east-1.s3",
              vpcEndpointType: "Gateway",
              routeTableIds: ["rtb-0g"],
            },
            { prefixListId: "pl-63a5400a" },
          ),
          res(s, R.endpointTable, "s3-main", "a-vpce-0s3", {
            vpcEndpointId: "vpce-0s3",
            routeTableId: "rtb-0gmain",
          }),
        ],
      };
      const network = networkFromPlan([stack], []);
      expect(
        network.routeTables.map(
          (t) => `${t.id}: ${t.routes.map((r) => `${r.destination} ${JSON.stringify(r.target)}`).join(", ")}`,
        ),
      ).to.deep.equal([
        `rtb-0gmain: pl-63a5400a {"kind":"gatewayEndpoint","id":"vpce-0s3"}`,
        `rtb-0g: pl-63a5400a {"kind":"gatewayEndpoint","id":"vpce-0s3"}`,
      ]);
      expect(network.interfaceEndpoints).to.deep.equal([]);
      expect(network.gatewayEndpoints).to.deep.equal([
        {
          id: "vpce-0s3",
          vpcId: "vpc-0g",
          serviceName: "com.amazonaws.us-east-1.s3",
          prefixListId: "pl-63a5400a",
          origin: network.gatewayEndpoints[0].origin,
        },
      ]);
    });

    it("cross-Region PrivateLink: each end's Region from its ARN, the endpoint's service Region, the supported Regions", () => {
      const consumer = "net-west";
      const provider = "net-central";
      const name = "com.amazonaws.vpce.eu-central-1.vpce-svc-0c";
      const stacks: PlannedStackInput[] = [
        {
          name: provider,
          outputs: {},
          resources: [
            res(
              provider,
              R.endpointService,
              "svc",
              "vpce-svc-0c",
              {
                acceptanceRequired: false,
                networkLoadBalancerArns: [],
                supportedRegions: ["eu-west-1"],
              },
              {
                serviceName: name,
                arn: "arn:aws:ec2:eu-central-1:666677778888:vpc-endpoint-service/vpce-svc-0c",
              },
            ),
          ],
        },
        {
          name: consumer,
          outputs: {},
          resources: [
            res(
              consumer,
              R.endpoint,
              "to-svc",
              "vpce-0w",
              {
                vpcId: "vpc-0w",
                serviceName: name,
                vpcEndpointType: "Interface",
                serviceRegion: "eu-central-1",
              },
              { arn: "arn:aws:ec2:eu-west-1:444455556666:vpc-endpoint/vpce-0w" },
            ),
          ],
        },
      ];
      const network = networkFromPlan(stacks, []);
      const [service] = network.endpointServices;
      expect([service.region, service.supportedRegions]).to.deep.equal([
        "eu-central-1",
        ["eu-central-1", "eu-west-1"],
      ]);
      const [endpoint] = network.interfaceEndpoints;
      expect([endpoint.region, endpoint.serviceRegion]).to.deep.equal(["eu-west-1", "eu-central-1"]);
    });

    it("reads the stacks of `hybridnet plan --json` as they are", () => {
      const s = "json";
      const vpc = res(s, R.vpc, "j", "vpc-0j", { cidrBlock: "10.11.0.0/16" });
      const printed = JSON.stringify({
        stacks: [
          { name: s, passes: [1], resources: [{ ...vpc, protect: false }], outputs: {}, diagnostics: [] },
        ],
      });
      // The type says a plan's stacks are this model's input with no conversion.
      const plan = JSON.parse(printed) as { stacks: StackResult[] };
      expect(networkFromPlan(plan.stacks, []).vpcs.map((v) => `${v.id} ${v.cidrs[0]}`)).to.deep.equal([
        "vpc-0j 10.11.0.0/16",
      ]);
    });

    it("skips what it does not model or cannot read, and never throws on a plan", () => {
      const s = "odd";
      const stack: PlannedStackInput = {
        name: s,
        outputs: { subnets: "[secret]" },
        resources: [
          res(s, "aws:s3/bucket:Bucket", "logs", "logs-bucket", { bucket: "logs" }),
          res(s, "hybridnet:index:Unknown", "thing", "", {}),
          res(s, R.vpc, "no-cidr", "vpc-0n", {}),
          res(s, R.vpc, "secret-cidr", "vpc-0s", { cidrBlock: "[secret]" }),
          res(s, R.route, "orphan", "r-9", {
            routeTableId: "rtb-missing",
            destinationCidrBlock: "10.0.0.0/8",
            gatewayId: "igw-1",
          }),
          res(s, R.tgwRoute, "orphan-tgw", "x", {
            transitGatewayRouteTableId: "tgw-rtb-missing",
            destinationCidrBlock: "10.0.0.0/8",
          }),
          res(s, R.endpoint, "no-outputs", "vpce-0n", {
            vpcEndpointType: "Interface",
            vpcId: "vpc-0z",
            serviceName: "svc",
            subnetIds: "[secret]",
          }),
          res(
            s,
            "awsx:ec2:Vpc",
            "half",
            "",
            { cidrBlock: "10.6.0.0/16" },
            { vpcId: "vpc-0x", privateSubnetIds: null },
          ),
          {
            type: R.sg,
            name: "no-id",
            urn: `urn:pulumi:${s}::hybridnet::${R.sg}::no-id`,
            inputs: { vpcId: "vpc-0x" },
          },
        ],
      };
      const network = networkFromPlan(
        [stack],
        [{ stack: s, component: "none", site: "ghost", prefixes: [], over: "vpn" }],
      );
      // The one readable VPC: one without a CIDR, or with one that is not a CIDR (a secret), is skipped.
      expect(network.vpcs.map((v) => `${v.id} ${v.cidrs.join(",")}`)).to.deep.equal(["vpc-0x 10.6.0.0/16"]);
      expect(
        network.interfaceEndpoints.map((x) => ({ subnetIds: x.subnetIds, addresses: x.addresses })),
      ).to.deep.equal([{ subnetIds: [], addresses: [] }]);
      expect(network.subnets).to.deep.equal([]);
      expect(network.routeTables).to.deep.equal([]);
      expect(network.securityGroups).to.deep.equal([]);
      expect(network.transitGatewayRouteTables).to.deep.equal([]);
      // A declared site with no connections in the plan is known, with no link to AWS.
      expect(network.sites.map((x) => `${x.name} ${x.links.length}`)).to.deep.equal(["ghost 0"]);
      expect(networkFromPlan([], [])).to.deep.equal(
        networkFromPlan([{ name: "empty", resources: [], outputs: {} }], []),
      );
    });
  });
});
