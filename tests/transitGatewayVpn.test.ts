import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
  TransitGatewayVpn,
  type TransitGatewayVpnArgs,
  type TransitGatewayVpnSite,
} from "../components/TransitGatewayVpn";
import {
  parseCidr,
  presharedKeyProblem,
  publicIpv4Problem,
  tunnelInsideCidrProblem,
} from "../model/addressing";
import { SECURE_TUNNEL_DEFAULTS } from "../model/tunnelOptions";
import { type RegisteredResource, type ResourceList, resolve } from "./harness";
import { builtBy, onlyProblemLine as onlyProblem, refusedBy } from "./refusals";

const COMPONENT = "hybridnet:index:TransitGatewayVpn";
const TGW = "aws:ec2transitgateway/transitGateway:TransitGateway";
const TGW_RTB = "aws:ec2transitgateway/routeTable:RouteTable";
const ASSOCIATION = "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation";
const PROPAGATION = "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation";
const TGW_ROUTE = "aws:ec2transitgateway/route:Route";
const VPN = "aws:ec2/vpnConnection:VpnConnection";
const VPN_ROUTE = "aws:ec2/vpnConnectionRoute:VpnConnectionRoute";
const CGW = "aws:ec2/customerGateway:CustomerGateway";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const PASSWORD = "random:index/randomPassword:RandomPassword";

const EXISTING_TGW = "tgw-0123456789abcdef0";
const WHERE = 'hybridnet:index:TransitGatewayVpn "hub"';
/** An existing transit gateway with AWS's defaults (association and propagation on), routed through on purpose. */
const DEFAULT_TABLE_ACCEPTED = {
  defaultRouteTableAssociation: "enable",
  defaultRouteTablePropagation: "enable",
  acceptDefaultRouteTable: true,
} as const;

function site(over: Partial<TransitGatewayVpnSite> = {}): TransitGatewayVpnSite {
  return { ipAddress: "203.0.113.10", bgpAsn: 65010, prefixes: ["10.10.0.0/16"], ...over };
}

async function built(args: TransitGatewayVpnArgs) {
  const { resources, result } = await builtBy(() => new TransitGatewayVpn("hub", args));
  return { resources, hub: result };
}

const refused = (args: TransitGatewayVpnArgs) => refusedBy(() => new TransitGatewayVpn("hub", args), WHERE);

const insideCidrs = (vpn: RegisteredResource) =>
  [vpn.inputs.tunnel1InsideCidr, vpn.inputs.tunnel2InsideCidr] as string[];
const names = (list: RegisteredResource[]) => list.map((r) => r.name).sort();
const component = (resources: ResourceList) => resources.ofType(COMPONENT)[0];

describe("TransitGatewayVpn", () => {
  describe("transit gateway", () => {
    it("creates a transit gateway that attaches, associates and propagates nothing by itself, with VPN ECMP on", async () => {
      const { resources } = await built({ sites: { dc1: site() } });
      const tgws = resources.ofType(TGW);
      expect(tgws).to.have.length(1);
      expect(tgws[0].name).to.equal("hub-tgw");
      expect(tgws[0].inputs).to.include({
        defaultRouteTableAssociation: "disable",
        defaultRouteTablePropagation: "disable",
        autoAcceptSharedAttachments: "disable",
        dnsSupport: "enable",
        vpnEcmpSupport: "enable",
        amazonSideAsn: 64512,
      });
      expect(tgws[0].parent).to.equal(component(resources).urn);
    });

    it("gives the created transit gateway the Amazon side ASN asked for", async () => {
      const { resources } = await built({ amazonSideAsn: 65100, sites: { dc1: site() } });
      expect(resources.ofType(TGW)[0].inputs.amazonSideAsn).to.equal(65100);
    });

    it("creates an on-premises route table that every attachment is associated with and propagates to", async () => {
      const { resources, hub } = await built({ sites: { dc1: site() } });
      const tables = resources.ofType(TGW_RTB);
      expect(names(tables)).to.deep.equal(["hub-onprem"]);
      const tgwId = (await resolve(hub.transitGatewayId)).value;
      expect(tgwId).to.match(/^tgw-[0-9a-f]{17}$/);
      expect(tables[0].inputs.transitGatewayId).to.equal(tgwId);
      const tableId = (await resolve(hub.routeTableId)).value;
      expect(tableId).to.match(/^tgw-rtb-/);
      const vpnAttachment = (await resolve(hub.connections)).value["dc1-1"].transitGatewayAttachmentId;
      expect(resources.named("hub-dc1-1-association").inputs).to.deep.equal({
        transitGatewayAttachmentId: vpnAttachment,
        transitGatewayRouteTableId: tableId,
        replaceExistingAssociation: true,
      });
      expect(resources.named("hub-dc1-1-propagation-onprem").inputs).to.deep.equal({
        transitGatewayAttachmentId: vpnAttachment,
        transitGatewayRouteTableId: tableId,
      });
    });

    it("attaches to an existing transit gateway without creating one or a route table", async () => {
      const { resources, hub } = await built({
        transitGatewayId: EXISTING_TGW,
        existingTransitGateway: DEFAULT_TABLE_ACCEPTED,
        sites: { dc1: site() },
      });
      expect(resources.ofType(TGW)).to.deep.equal([]);
      expect(resources.ofType(TGW_RTB)).to.deep.equal([]);
      const [vpn] = resources.ofType(VPN);
      expect(vpn.inputs.transitGatewayId).to.equal(EXISTING_TGW);
      expect(vpn.inputs).not.to.have.property("vpnGatewayId");
      expect((await resolve(hub.transitGatewayId)).value).to.equal(EXISTING_TGW);
      expect((await resolve(hub.routeTableId)).value).to.equal(undefined);
      // Without route tables the existing gateway's own defaults apply (accepted): nothing is associated here.
      expect(resources.ofType(ASSOCIATION)).to.deep.equal([]);
      expect(resources.ofType(PROPAGATION)).to.deep.equal([]);
    });

    it("associates and propagates into the route tables given for an existing transit gateway", async () => {
      const { resources } = await built({
        transitGatewayId: EXISTING_TGW,
        existingTransitGateway: DEFAULT_TABLE_ACCEPTED,
        routeTables: {
          association: "tgw-rtb-onprem",
          propagation: { shared: "tgw-rtb-shared", prod: "tgw-rtb-prod" },
        },
        sites: { dc1: site() },
      });
      expect(resources.named("hub-dc1-1-association").inputs).to.include({
        transitGatewayRouteTableId: "tgw-rtb-onprem",
        replaceExistingAssociation: true,
      });
      expect(names(resources.ofType(PROPAGATION))).to.deep.equal([
        "hub-dc1-1-propagation-prod",
        "hub-dc1-1-propagation-shared",
      ]);
      expect(resources.named("hub-dc1-1-propagation-prod").inputs.transitGatewayRouteTableId).to.equal(
        "tgw-rtb-prod",
      );
    });

    it("lets a site's route tables replace the component's", async () => {
      const { resources } = await built({
        transitGatewayId: EXISTING_TGW,
        existingTransitGateway: DEFAULT_TABLE_ACCEPTED,
        routeTables: { association: "tgw-rtb-default", propagation: { all: "tgw-rtb-default" } },
        sites: {
          dc1: site(),
          dc2: site({
            ipAddress: "203.0.113.20",
            prefixes: ["10.20.0.0/16"],
            routeTables: { association: "tgw-rtb-dmz", propagation: { dmz: "tgw-rtb-dmz" } },
          }),
        },
      });
      expect(resources.named("hub-dc1-1-association").inputs.transitGatewayRouteTableId).to.equal(
        "tgw-rtb-default",
      );
      expect(resources.named("hub-dc2-1-association").inputs.transitGatewayRouteTableId).to.equal(
        "tgw-rtb-dmz",
      );
      expect(names(resources.ofType(PROPAGATION))).to.deep.equal([
        "hub-dc1-1-propagation-all",
        "hub-dc2-1-propagation-dmz",
      ]);
    });

    it("keeps every resource inside the component and tags every AWS resource with it", async () => {
      const { resources } = await built({ tags: { team: "network" }, sites: { dc1: site() } });
      const hub = component(resources);
      expect(hub.parent).to.equal(undefined);
      const children = resources.all.filter((r) => r !== hub);
      expect(children.length).to.be.above(0);
      for (const child of children) expect(child.parent, child.name).to.equal(hub.urn);
      for (const r of children.filter((c) => c.inputs.tags !== undefined))
        expect(r.inputs.tags, r.name).to.include({ team: "network", "hybridnet:component": "hub" });
      expect(resources.ofType(VPN)[0].inputs.tags).to.include({ Name: "hub-dc1-1" });
    });
  });

  describe("ECMP sizing", () => {
    it("gives a 3 Gbps BGP site two VPN connections, each with its own association and propagation", async () => {
      const { resources, hub } = await built({ sites: { dc1: site({ bandwidthGbps: 3 }) } });
      expect(names(resources.ofType(VPN))).to.deep.equal(["hub-dc1-1-vpn", "hub-dc1-2-vpn"]);
      expect(resources.ofType(CGW)).to.have.length(1);
      const cgwId = (await resolve(hub.customerGatewayIds)).value.dc1;
      for (const vpn of resources.ofType(VPN)) expect(vpn.inputs.customerGatewayId).to.equal(cgwId);
      expect(names(resources.ofType(ASSOCIATION))).to.deep.equal([
        "hub-dc1-1-association",
        "hub-dc1-2-association",
      ]);
      expect(names(resources.ofType(PROPAGATION))).to.deep.equal([
        "hub-dc1-1-propagation-onprem",
        "hub-dc1-2-propagation-onprem",
      ]);
      const connections = (await resolve(hub.connections)).value;
      expect(Object.keys(connections).sort()).to.deep.equal(["dc1-1", "dc1-2"]);
      const attachments = resources.ofType(ASSOCIATION).map((a) => a.inputs.transitGatewayAttachmentId);
      expect(attachments.sort()).to.deep.equal(
        Object.values(connections)
          .map((c) => c.transitGatewayAttachmentId)
          .sort(),
      );
      expect(new Set(attachments).size).to.equal(2);
    });

    it("reports the connections, capacity and reason in the ecmp output", async () => {
      const { hub } = await built({ sites: { dc1: site({ bandwidthGbps: 3 }) } });
      const { value } = await resolve(hub.ecmp);
      expect(value.dc1).to.include({
        requiredGbps: 3,
        perTunnelGbps: 1.25,
        connections: 2,
        activeTunnels: 4,
        spareTunnels: 1,
        capacityGbps: 5,
      });
      expect(value.dc1.reason).to.contain("3 tunnel(s) of 1.25 Gbps plus 1 spare");
    });

    it("needs one connection fewer for 2.5 Gbps when no spare tunnel is kept", async () => {
      const spare = await built({ sites: { dc1: site({ bandwidthGbps: 2.5 }) } });
      expect(spare.resources.ofType(VPN)).to.have.length(2);
      const none = await built({ sites: { dc1: site({ bandwidthGbps: 2.5, spareTunnels: 0 }) } });
      expect(none.resources.ofType(VPN)).to.have.length(1);
      expect((await resolve(none.hub.ecmp)).value.dc1).to.include({ spareTunnels: 0, capacityGbps: 2.5 });
    });

    it("registers large tunnels at 5 Gbps each: 3 Gbps fits one connection, 10 Gbps takes two", async () => {
      const three = await built({ sites: { dc1: site({ bandwidthGbps: 3, tunnelBandwidth: "large" }) } });
      const vpns = three.resources.ofType(VPN);
      expect(vpns).to.have.length(1);
      expect(vpns[0].inputs.tunnelBandwidth).to.equal("large");
      expect((await resolve(three.hub.ecmp)).value.dc1.perTunnelGbps).to.equal(5);
      const ten = await built({ sites: { dc1: site({ bandwidthGbps: 10, tunnelBandwidth: "large" }) } });
      expect(ten.resources.ofType(VPN)).to.have.length(2);
      for (const vpn of ten.resources.ofType(VPN)) expect(vpn.inputs.tunnelBandwidth).to.equal("large");
      expect((await resolve(ten.hub.ecmp)).value.dc1).to.include({ connections: 2, capacityGbps: 20 });
    });

    it("leaves tunnelBandwidth unset on standard tunnels", async () => {
      const { resources } = await built({ sites: { dc1: site({ bandwidthGbps: 3 }) } });
      for (const vpn of resources.ofType(VPN)) expect(vpn.inputs).not.to.have.property("tunnelBandwidth");
    });

    it("keeps one connection when VPN ECMP is off, and refuses bandwidth above one tunnel", async () => {
      const { resources } = await built({ vpnEcmpSupport: false, sites: { dc1: site() } });
      expect(resources.ofType(TGW)[0].inputs.vpnEcmpSupport).to.equal("disable");
      expect(resources.ofType(VPN)).to.have.length(1);
      const error = await refused({ vpnEcmpSupport: false, sites: { dc1: site({ bandwidthGbps: 2 }) } });
      const line = onlyProblem(error, "sites.dc1.bandwidthGbps");
      expect(line).to.contain("= 2: 2 Gbps exceeds one tunnel (1.25 Gbps)");
      expect(line).to.contain("VPN ECMP is off on the transit gateway");
    });

    it("refuses a site that would need more VPN connections than the regional quota", async () => {
      const error = await refused({ sites: { dc1: site({ bandwidthGbps: 200 }) } });
      expect(onlyProblem(error, "sites.dc1.bandwidthGbps")).to.contain(
        "above the default quota of 50 per region",
      );
    });
  });

  describe("static routing", () => {
    const staticSite = site({ routing: "static", prefixes: ["10.10.0.0/16", "172.16.8.0/22"] });

    it("makes one static connection and a transit gateway route per prefix instead of propagation", async () => {
      const { resources, hub } = await built({ sites: { dc1: staticSite } });
      const vpns = resources.ofType(VPN);
      expect(vpns).to.have.length(1);
      expect(vpns[0].inputs.staticRoutesOnly).to.equal(true);
      expect(resources.ofType(PROPAGATION)).to.deep.equal([]);
      // A transit gateway takes no VPN connection routes: routes live in its route tables.
      expect(resources.ofType(VPN_ROUTE)).to.deep.equal([]);
      const attachment = (await resolve(hub.connections)).value["dc1-1"].transitGatewayAttachmentId;
      const tableId = (await resolve(hub.routeTableId)).value;
      const routes = resources.ofType(TGW_ROUTE);
      expect(names(routes)).to.deep.equal([
        "hub-dc1-1-onprem-10-10-0-0-16",
        "hub-dc1-1-onprem-172-16-8-0-22",
      ]);
      expect(routes.map((r) => r.inputs.destinationCidrBlock).sort()).to.deep.equal([
        "10.10.0.0/16",
        "172.16.8.0/22",
      ]);
      for (const route of routes)
        expect(route.inputs).to.include({
          transitGatewayAttachmentId: attachment,
          transitGatewayRouteTableId: tableId,
        });
      expect(resources.named("hub-dc1-1-association").inputs.transitGatewayRouteTableId).to.equal(tableId);
    });

    it("adds the static routes to every propagation table", async () => {
      const { resources } = await built({
        transitGatewayId: EXISTING_TGW,
        existingTransitGateway: DEFAULT_TABLE_ACCEPTED,
        routeTables: { propagation: { shared: "tgw-rtb-shared", prod: "tgw-rtb-prod" } },
        sites: { dc1: staticSite },
      });
      const routes = resources.ofType(TGW_ROUTE);
      expect(routes).to.have.length(4);
      expect(routes.filter((r) => r.inputs.transitGatewayRouteTableId === "tgw-rtb-prod")).to.have.length(2);
      expect(routes.filter((r) => r.inputs.transitGatewayRouteTableId === "tgw-rtb-shared")).to.have.length(
        2,
      );
    });

    it("turns BGP off on the VPN logs of a static site", async () => {
      const { resources } = await built({ sites: { dc1: staticSite } });
      const options = resources.ofType(VPN)[0].inputs.tunnel1LogOptions as {
        cloudwatchLogOptions: Record<string, unknown>;
      };
      expect(options.cloudwatchLogOptions).to.include({ logEnabled: true });
      expect(options.cloudwatchLogOptions).not.to.have.property("bgpLogEnabled");
    });

    it("refuses static routing above one tunnel's bandwidth and says BGP with ECMP is needed", async () => {
      const error = await refused({ sites: { dc1: site({ routing: "static", bandwidthGbps: 2 }) } });
      const line = onlyProblem(error, "sites.dc1.bandwidthGbps");
      expect(line).to.contain("static routing uses one tunnel at a time");
      expect(line).to.contain("use BGP with ECMP");
    });
  });

  describe("acceleration and tunnel addressing", () => {
    it("enables acceleration only on accelerated sites", async () => {
      const { resources } = await built({
        sites: { fast: site({ accelerated: true }), slow: site({ ipAddress: "203.0.113.20" }) },
      });
      expect(resources.named("hub-fast-1-vpn").inputs.enableAcceleration).to.equal(true);
      expect(resources.named("hub-slow-1-vpn").inputs.enableAcceleration).to.equal(false);
    });

    it("refuses large tunnels on an accelerated site", async () => {
      const error = await refused({ sites: { dc1: site({ accelerated: true, tunnelBandwidth: "large" }) } });
      expect(onlyProblem(error, "sites.dc1.tunnelBandwidth")).to.contain(
        "large tunnels cannot be accelerated",
      );
    });

    it("gives IPv6 tunnels /126 inside CIDRs in fd00::/8 and reports them in the outputs", async () => {
      const { resources, hub } = await built({
        tunnelInsideIpVersion: "ipv6",
        sites: { dc1: site({ prefixes: ["fd12:3456::/48"] }) },
      });
      const [vpn] = resources.ofType(VPN);
      expect(vpn.inputs.tunnelInsideIpVersion).to.equal("ipv6");
      expect(vpn.inputs).not.to.have.property("tunnel1InsideCidr");
      const inside = [vpn.inputs.tunnel1InsideIpv6Cidr, vpn.inputs.tunnel2InsideIpv6Cidr] as string[];
      for (const cidr of inside) {
        expect(tunnelInsideCidrProblem(cidr, 6), cidr).to.equal(undefined);
        expect(parseCidr(cidr).prefix).to.equal(126);
      }
      expect(inside[0]).not.to.equal(inside[1]);
      const tunnels = (await resolve(hub.connections)).value["dc1-1"].tunnels;
      expect(tunnels.map((t) => t.insideCidr)).to.deep.equal(inside);
      expect(parseCidr(`${tunnels[0].awsInsideAddress}/128`).first).to.equal(parseCidr(inside[0]).first + 1n);
    });

    it("registers IPv4 tunnels with IPv4 inside CIDRs by default", async () => {
      const { resources } = await built({ sites: { dc1: site() } });
      const [vpn] = resources.ofType(VPN);
      expect(vpn.inputs.tunnelInsideIpVersion).to.equal("ipv4");
      expect(vpn.inputs).not.to.have.property("tunnel1InsideIpv6Cidr");
      for (const cidr of insideCidrs(vpn)) expect(tunnelInsideCidrProblem(cidr), cidr).to.equal(undefined);
    });

    it("refuses an IPv4 inside CIDR on an IPv6 VPN", async () => {
      const error = await refused({
        tunnelInsideIpVersion: "ipv6",
        sites: { dc1: site({ prefixes: ["fd12:3456::/48"], tunnels: [{ insideCidr: "169.254.10.0/30" }] }) },
      });
      expect(onlyProblem(error, "sites.dc1.tunnels[0].insideCidr")).to.contain("IPv4 where IPv6 is required");
    });

    it("uses a given inside CIDR on a single-connection site", async () => {
      const { resources, hub } = await built({
        sites: { dc1: site({ tunnels: [{ insideCidr: "169.254.44.0/30" }] }) },
      });
      const [vpn] = resources.ofType(VPN);
      expect(vpn.inputs.tunnel1InsideCidr).to.equal("169.254.44.0/30");
      expect(vpn.inputs.tunnel2InsideCidr).not.to.equal("169.254.44.0/30");
      const tunnels = (await resolve(hub.connections)).value["dc1-1"].tunnels;
      expect(tunnels[0]).to.include({
        awsInsideAddress: "169.254.44.1",
        customerInsideAddress: "169.254.44.2",
      });
    });

    it("refuses a given inside CIDR on a site that gets several ECMP connections", async () => {
      const error = await refused({
        sites: { dc1: site({ bandwidthGbps: 3, tunnels: [{ insideCidr: "169.254.44.0/30" }] }) },
      });
      const line = onlyProblem(error, "sites.dc1.tunnels[0].insideCidr");
      expect(line).to.contain('= "169.254.44.0/30": this site gets 2 ECMP connections');
    });

    it("gives every tunnel of every connection its own inside CIDR", async () => {
      const { resources } = await built({
        sites: {
          dc1: site({ bandwidthGbps: 6 }),
          dc2: site({ ipAddress: "203.0.113.20", bandwidthGbps: 3, tunnels: [] }),
          dc3: site({ ipAddress: "203.0.113.30", tunnels: [{}, { insideCidr: "169.254.200.0/30" }] }),
        },
      });
      const vpns = resources.ofType(VPN);
      // 6 Gbps: 5 tunnels + 1 spare = 3 connections; 3 Gbps: 2; no bandwidth: 1.
      expect(vpns).to.have.length(3 + 2 + 1);
      const all = vpns.flatMap(insideCidrs);
      expect(new Set(all).size).to.equal(all.length);
      expect(all).to.include("169.254.200.0/30");
      for (const cidr of all) expect(tunnelInsideCidrProblem(cidr), cidr).to.equal(undefined);
    });

    it("reports public outside addresses and the attachment of every connection", async () => {
      const { hub } = await built({ sites: { dc1: site({ bandwidthGbps: 3 }) } });
      const connections = (await resolve(hub.connections)).value;
      for (const [key, info] of Object.entries(connections)) {
        expect(info.site).to.equal("dc1");
        expect(info.connectionId, key).to.match(/^vpn-/);
        expect(info.customerGatewayId, key).to.match(/^cgw-/);
        expect(info.transitGatewayAttachmentId, key).to.match(/^tgw-attach-/);
        expect(info.tunnels).to.have.length(2);
        for (const t of info.tunnels) expect(publicIpv4Problem(t.outsideAddress)).to.equal(undefined);
      }
    });
  });

  describe("tunnel security", () => {
    it("registers the secure tunnel defaults on both tunnels of every connection", async () => {
      const { resources } = await built({ sites: { dc1: site({ bandwidthGbps: 3 }) } });
      for (const vpn of resources.ofType(VPN))
        for (const n of [1, 2])
          expect(vpn.inputs, vpn.name).to.include({
            [`tunnel${n}Phase1LifetimeSeconds`]: 28800,
            [`tunnel${n}DpdTimeoutAction`]: "restart",
            [`tunnel${n}StartupAction`]: "add",
          });
      const [vpn] = resources.ofType(VPN);
      expect(vpn.inputs.tunnel1IkeVersions).to.deep.equal(["ikev2"]);
      expect(vpn.inputs.tunnel2Phase1EncryptionAlgorithms).to.deep.equal(
        SECURE_TUNNEL_DEFAULTS.phase1EncryptionAlgorithms,
      );
      expect(vpn.inputs.tunnel2Phase2DhGroupNumbers).to.deep.equal(
        SECURE_TUNNEL_DEFAULTS.phase2DhGroupNumbers,
      );
      expect(vpn.inputs.tunnel1Phase1IntegrityAlgorithms).not.to.include("SHA1");
    });

    it("generates a secret 32-character key for each tunnel and hands them out only as a secret", async () => {
      const { resources, hub } = await built({ sites: { dc1: site({ bandwidthGbps: 3 }) } });
      const passwords = resources.ofType(PASSWORD);
      expect(names(passwords)).to.deep.equal([
        "hub-dc1-1-tunnel1-psk",
        "hub-dc1-1-tunnel2-psk",
        "hub-dc1-2-tunnel1-psk",
        "hub-dc1-2-tunnel2-psk",
      ]);
      for (const p of passwords) expect(p.inputs).to.include({ length: 32, special: false });
      for (const vpn of resources.ofType(VPN))
        expect(vpn.secretInputs).to.include.members(["tunnel1PresharedKey", "tunnel2PresharedKey"]);
      const keys = await resolve(hub.presharedKeys);
      expect(keys.secret).to.equal(true);
      const all = Object.values(keys.value).flat();
      expect(all).to.have.length(4);
      expect(new Set(all).size).to.equal(4);
      for (const key of all) expect(presharedKeyProblem(key)).to.equal(undefined);
      expect(resources.named("hub-dc1-1-vpn").inputs.tunnel1PresharedKey).to.equal(keys.value["dc1-1"][0]);
    });

    it("stores a key given as plain text as a secret and generates none for that tunnel", async () => {
      const { resources, hub } = await built({
        sites: { dc1: site({ tunnels: [{ presharedKey: "given.key_1" }] }) },
      });
      const [vpn] = resources.ofType(VPN);
      expect(vpn.inputs.tunnel1PresharedKey).to.equal("given.key_1");
      expect(vpn.secretInputs).to.include("tunnel1PresharedKey");
      expect(names(resources.ofType(PASSWORD))).to.deep.equal(["hub-dc1-1-tunnel2-psk"]);
      expect((await resolve(hub.presharedKeys)).value["dc1-1"][0]).to.equal("given.key_1");
    });

    it("accepts a key given as a secret output", async () => {
      const { resources } = await built({
        sites: { dc1: site({ tunnels: [{}, { presharedKey: pulumi.secret("from.config_2") }] }) },
      });
      const [vpn] = resources.ofType(VPN);
      expect(vpn.inputs.tunnel2PresharedKey).to.equal("from.config_2");
      expect(vpn.secretInputs).to.include("tunnel2PresharedKey");
    });

    it("refuses a bad plain-text key without printing it", async () => {
      const error = await refused({ sites: { dc1: site({ tunnels: [{ presharedKey: "0short" }] }) } });
      expect(onlyProblem(error, "sites.dc1.tunnels[0].presharedKey")).to.contain(
        "= [secret]: pre-shared key must be",
      );
      expect(error.message).not.to.contain("0short");
    });

    it("refuses weak crypto unless legacy crypto is allowed for the site", async () => {
      const weak = { ikeVersions: ["ikev1" as const], phase1DhGroupNumbers: [2] };
      const error = await refused({ sites: { dc1: site({ tunnelOptions: weak }) } });
      expect(error.problems.map((p) => p.path)).to.deep.equal([
        "sites.dc1.tunnelOptions.ikeVersions",
        "sites.dc1.tunnelOptions.phase1DhGroupNumbers",
      ]);
      const { resources } = await built({
        sites: { dc1: site({ tunnelOptions: { ...weak, allowLegacyCrypto: true } }) },
      });
      expect(resources.ofType(VPN)[0].inputs.tunnel1IkeVersions).to.deep.equal(["ikev1"]);
      expect(resources.ofType(VPN)[0].inputs.tunnel2Phase1DhGroupNumbers).to.deep.equal([2]);
    });
  });

  describe("logs and alarms", () => {
    it("sends tunnel and BGP logs of both tunnels to the component's log group", async () => {
      const { resources, hub } = await built({ tunnelLogs: { retentionInDays: 30 }, sites: { dc1: site() } });
      const [group] = resources.ofType(LOG_GROUP);
      expect(group.inputs).to.include({ retentionInDays: 30, namePrefix: "/hybridnet/vpn/hub-" });
      const logGroupName = (await resolve(hub.logGroupName)).value;
      const [vpn] = resources.ofType(VPN);
      for (const n of [1, 2]) {
        const options = (
          vpn.inputs[`tunnel${n}LogOptions`] as { cloudwatchLogOptions: Record<string, unknown> }
        ).cloudwatchLogOptions;
        expect(options).to.include({ logEnabled: true, bgpLogEnabled: true, logOutputFormat: "json" });
        expect(String(options.logGroupArn)).to.match(new RegExp(`:log-group:${logGroupName}$`));
      }
    });

    it("refuses a retention CloudWatch Logs does not offer", async () => {
      const error = await refused({ tunnelLogs: { retentionInDays: 10 }, sites: { dc1: site() } });
      onlyProblem(error, "tunnelLogs.retentionInDays");
    });

    it("warns per tunnel on TunnelState and pages per connection and for the site's capacity", async () => {
      const page = "arn:aws:sns:us-east-1:111122223333:network";
      const { resources, hub } = await built({
        tunnelAlarms: { actions: [page], evaluationPeriods: 3 },
        sites: { dc1: site({ bandwidthGbps: 3 }) },
      });
      const alarms = resources.ofType(ALARM);
      // 3 Gbps: 3 tunnels of 1.25 Gbps plus 1 spare, 2 connections.
      expect(names(alarms).sort()).to.deep.equal([
        "hub-dc1-1-down",
        "hub-dc1-1-tunnel1-down",
        "hub-dc1-1-tunnel2-down",
        "hub-dc1-2-down",
        "hub-dc1-2-tunnel1-down",
        "hub-dc1-2-tunnel2-down",
        "hub-dc1-capacity",
      ]);
      const connections = (await resolve(hub.connections)).value;
      for (const key of ["dc1-1", "dc1-2"]) {
        for (const n of [1, 2]) {
          const alarm = resources.named(`hub-${key}-tunnel${n}-down`);
          expect(alarm.inputs).to.include({
            namespace: "AWS/VPN",
            metricName: "TunnelState",
            comparisonOperator: "LessThanThreshold",
            threshold: 1,
            evaluationPeriods: 3,
            treatMissingData: "breaching",
          });
          expect(alarm.inputs.dimensions).to.deep.equal({
            VpnId: connections[key].connectionId,
            TunnelIpAddress: connections[key].tunnels[n - 1].outsideAddress,
          });
          // AWS takes one tunnel down for maintenance routinely: a tunnel alarm pages nobody.
          expect(alarm.inputs.alarmActions).to.deep.equal([]);
        }
        const down = resources.named(`hub-${key}-down`);
        expect(down.inputs).to.deep.include({
          alarmActions: [page],
          okActions: [page],
          evaluationPeriods: 3,
        });
      }
      expect(resources.named("hub-dc1-capacity").inputs).to.deep.include({
        threshold: 3,
        alarmActions: [page],
      });
    });

    it("refuses alarm evaluation periods outside 1–288", async () => {
      const error = await refused({ tunnelAlarms: { evaluationPeriods: 0 }, sites: { dc1: site() } });
      onlyProblem(error, "tunnelAlarms.evaluationPeriods");
    });
  });

  describe("bad input", () => {
    it("refuses route tables for a transit gateway the component creates, since tables belong to another gateway", async () => {
      const error = await refused({ routeTables: { association: "tgw-rtb-1" }, sites: { dc1: site() } });
      expect(onlyProblem(error, "routeTables")).to.contain("give transitGatewayId");
      const perSite = await refused({ sites: { dc1: site({ routeTables: { association: "tgw-rtb-1" } }) } });
      expect(onlyProblem(perSite, "sites.dc1.routeTables")).to.contain("give transitGatewayId");
    });

    it("refuses a static site on an existing transit gateway with no route table to hold its routes", async () => {
      const error = await refused({
        transitGatewayId: EXISTING_TGW,
        existingTransitGateway: DEFAULT_TABLE_ACCEPTED,
        sites: { dc1: site({ routing: "static" }) },
      });
      expect(onlyProblem(error, "sites.dc1.routeTables.propagation")).to.contain(
        "a static attachment propagates no routes",
      );
      const { resources } = await built({
        transitGatewayId: EXISTING_TGW,
        existingTransitGateway: DEFAULT_TABLE_ACCEPTED,
        sites: { dc1: site({ routing: "static", routeTables: { propagation: { core: "tgw-rtb-core" } } }) },
      });
      expect(
        resources.ofType("aws:ec2transitgateway/route:Route").map((r) => r.inputs.transitGatewayRouteTableId),
      ).to.deep.equal(["tgw-rtb-core"]);
    });

    it("refuses a site ASN equal to the transit gateway's ASN and says why", async () => {
      const error = await refused({ amazonSideAsn: 65010, sites: { dc1: site({ bgpAsn: 65010 }) } });
      expect(onlyProblem(error, "sites.dc1.bgpAsn")).to.equal(
        "  sites.dc1.bgpAsn = 65010: equals the Amazon side ASN 65010; a BGP session needs two different ASNs",
      );
    });

    it("checks a site ASN against the default 64512 of an existing transit gateway", async () => {
      const error = await refused({
        transitGatewayId: EXISTING_TGW,
        existingTransitGateway: DEFAULT_TABLE_ACCEPTED,
        sites: { dc1: site({ bgpAsn: 64512 }) },
      });
      onlyProblem(error, "sites.dc1.bgpAsn");
    });

    it("refuses an Amazon side ASN outside the private ranges", async () => {
      const error = await refused({ amazonSideAsn: 65535, sites: { dc1: site() } });
      expect(onlyProblem(error, "amazonSideAsn")).to.contain("64512–65534 or 4200000000–4294967294");
    });

    it("refuses keys that cannot name resources, in sites and in propagation tables", async () => {
      const error = await refused({
        transitGatewayId: EXISTING_TGW,
        existingTransitGateway: DEFAULT_TABLE_ACCEPTED,
        routeTables: { propagation: { "prod tables": "tgw-rtb-1" } },
        sites: { dc_1: site({ routeTables: { propagation: { "a.b": "tgw-rtb-2" } } }) },
      });
      expect(error.problems.map((p) => p.path).sort()).to.deep.equal([
        "routeTables.propagation.prod tables",
        "sites.dc_1",
        "sites.dc_1.routeTables.propagation.a.b",
      ]);
    });

    it("lists every problem at once, with the path, the value and what is allowed", async () => {
      const error = await refused({
        sites: {
          dc1: site({ ipAddress: "192.168.1.1", prefixes: ["10.10.0.0/33"] }),
          dc2: site({ ipAddress: "203.0.113.20", spareTunnels: 9 }),
        },
      });
      const lines = error.message.split("\n");
      expect(lines[0]).to.equal(`${WHERE}: 3 invalid arguments`);
      expect(lines.slice(1)).to.deep.equal([
        '  sites.dc1.ipAddress = "192.168.1.1": in 192.168.0.0/16, which is not internet-routable; use the device\'s static public IPv4 address',
        '  sites.dc1.prefixes[0] = "10.10.0.0/33": not a CIDR; use an IPv4 CIDR such as 10.0.0.0/16',
        "  sites.dc2.spareTunnels = 9: an integer in 0–4",
      ]);
    });

    it("refuses a component with no sites", async () => {
      const error = await refused({ sites: {} });
      expect(onlyProblem(error, "sites")).to.contain("at least one site");
    });
  });
});
