import { expect } from "chai";
import { DirectConnectGateway } from "../components/DirectConnectGateway";
import {
  DirectConnectVpn,
  type DirectConnectVpnArgs,
  type DirectConnectVpnSite,
  type DirectConnectVpnTransport,
} from "../components/DirectConnectVpn";
import { VirtualInterfaces } from "../components/VirtualInterfaces";
import { SECURE_TUNNEL_DEFAULTS } from "../model/tunnelOptions";
import { resolve, runProgram } from "./harness";
import { builtBy, onlyProblemLine as onlyProblem, refusedBy } from "./refusals";

const COMPONENT = "hybridnet:index:DirectConnectVpn";
const VPN = "aws:ec2/vpnConnection:VpnConnection";
const CGW = "aws:ec2/customerGateway:CustomerGateway";
const VPN_ROUTE = "aws:ec2/vpnConnectionRoute:VpnConnectionRoute";
const ASSOCIATION = "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation";
const PROPAGATION = "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation";
const TRANSIT_VIF = "aws:directconnect/transitVirtualInterface:TransitVirtualInterface";
const WHERE = 'hybridnet:index:DirectConnectVpn "dxvpn"';
const TGW = "tgw-0123456789abcdef0";
const VGW = "vgw-0123456789abcdef0";
const DXGW = "5f294f92-bafb-4011-916d-9b0bec736ebf";
const ATTACHMENT = "tgw-attach-0123456789abcdef0";
/** An existing transit gateway with AWS's defaults (association and propagation on), routed through on purpose. */
const DEFAULT_TABLE_ACCEPTED = {
  defaultRouteTableAssociation: "enable",
  defaultRouteTablePropagation: "enable",
  acceptDefaultRouteTable: true,
} as const;

const privateTransport = (over: Partial<DirectConnectVpnTransport> = {}): DirectConnectVpnTransport => ({
  type: "private",
  dxGatewayId: DXGW,
  transitGatewayCidrBlocks: ["10.255.0.0/24"],
  ...over,
});
const site = (over: Partial<DirectConnectVpnSite> = {}): DirectConnectVpnSite => ({
  ipAddress: "10.50.0.10",
  bgpAsn: 65010,
  prefixes: ["10.10.0.0/16"],
  ...over,
});
const privateVpn = (over: Partial<DirectConnectVpnArgs> = {}): DirectConnectVpnArgs => ({
  transport: privateTransport(),
  transitGatewayId: TGW,
  existingTransitGateway: DEFAULT_TABLE_ACCEPTED,
  sites: { dc1: site() },
  ...over,
});
const publicVpn = (over: Partial<DirectConnectVpnArgs> = {}): DirectConnectVpnArgs => ({
  transport: { type: "public", advertisedPrefixes: ["198.51.100.0/24"] },
  transitGatewayId: TGW,
  existingTransitGateway: DEFAULT_TABLE_ACCEPTED,
  sites: { dc1: site({ ipAddress: "198.51.100.10" }) },
  ...over,
});

async function built(args: DirectConnectVpnArgs) {
  const { resources, result } = await builtBy(() => new DirectConnectVpn("dxvpn", args));
  return { resources, vpn: result };
}

const refused = (args: DirectConnectVpnArgs) => refusedBy(() => new DirectConnectVpn("dxvpn", args), WHERE);

describe("DirectConnectVpn", () => {
  describe("private IP VPN over a transit VIF (DX + TGW + VPN)", () => {
    it("creates a private-address customer gateway and a PrivateIpv4 VPN over the Direct Connect attachment", async () => {
      const { resources, vpn } = await built(privateVpn());
      const component = resources.ofType(COMPONENT)[0];
      const [cgw] = resources.ofType(CGW);
      expect(cgw.inputs).to.deep.include({ ipAddress: "10.50.0.10", bgpAsn: "65010", type: "ipsec.1" });
      const [connection] = resources.ofType(VPN);
      expect(connection.name).to.equal("dxvpn-dc1-1-vpn");
      expect(connection.parent).to.equal(component.urn);
      const attachment = (await resolve(vpn.transportAttachmentId)).value;
      expect(attachment).to.match(/^tgw-attach-[0-9a-f]{17}$/);
      expect(connection.inputs).to.deep.include({
        transitGatewayId: TGW,
        outsideIpAddressType: "PrivateIpv4",
        transportTransitGatewayAttachmentId: attachment,
        enableAcceleration: false,
        staticRoutesOnly: false,
        tunnel1IkeVersions: SECURE_TUNNEL_DEFAULTS.ikeVersions,
      });
      expect(connection.inputs).not.to.have.property("vpnGatewayId");
      expect(connection.secretInputs).to.include.members(["tunnel1PresharedKey", "tunnel2PresharedKey"]);
      expect(vpn.plan.outsideIpAddressType).to.equal("PrivateIpv4");
      const info = (await resolve(vpn.connections)).value["dc1-1"];
      for (const tunnel of info.tunnels) expect(tunnel.outsideAddress).to.match(/^10\.255\./);
      expect((await resolve(vpn.presharedKeys)).secret).to.equal(true);
    });

    it("uses a given transport attachment instead of looking it up", async () => {
      const { resources, vpn } = await built(
        privateVpn({
          transport: privateTransport({ dxGatewayId: undefined, transportAttachmentId: ATTACHMENT }),
        }),
      );
      expect(resources.ofType(VPN)[0].inputs.transportTransitGatewayAttachmentId).to.equal(ATTACHMENT);
      expect((await resolve(vpn.transportAttachmentId)).value).to.equal(ATTACHMENT);
    });

    it("looks up the same attachment the Direct Connect gateway's transit gateway association reports", async () => {
      const { resources, result, error } = await runProgram(() => {
        const dx = new DirectConnectGateway("dx", {
          amazonSideAsn: 64600,
          associations: {
            hub: {
              gatewayType: "tgw",
              gatewayId: TGW,
              allowedPrefixes: ["10.20.0.0/16", "10.255.0.0/24"],
              transitGatewayAsn: 64512,
            },
          },
        });
        const vifs = new VirtualInterfaces("dx-transit", {
          type: "transit",
          dxGatewayId: dx.dxGatewayId,
          bgpAsn: 65010,
          amazonSideAsn: 64600,
          connections: {
            dc: { connectionId: "dxcon-fguhmqlc", location: "EqDC2", vlan: 100 },
            ny: { connectionId: "dxcon-ffrz71kw", location: "EqNY5", vlan: 100 },
          },
        });
        const vpn = new DirectConnectVpn("dxvpn", {
          transport: privateTransport({
            dxGatewayId: dx.dxGatewayId,
            allowedPrefixes: dx.plan.associations[0].allowedPrefixes,
          }),
          transitGatewayId: TGW,
          existingTransitGateway: DEFAULT_TABLE_ACCEPTED,
          sites: { dc1: site() },
        });
        return { dx, vifs, vpn };
      });
      if (error || !result) return expect.fail(error?.message);
      const fromGateway = (await resolve(result.dx.transitGatewayAttachmentIds)).value.hub;
      expect((await resolve(result.vpn.transportAttachmentId)).value).to.equal(fromGateway);
      expect(resources.ofType(VPN)[0].inputs.transportTransitGatewayAttachmentId).to.equal(fromGateway);
      expect(resources.ofType(TRANSIT_VIF)).to.have.length(2);
      expect((await resolve(result.vifs.resiliency)).value.level).to.equal("high");
    });

    it("associates and propagates the attachments in the route tables given", async () => {
      const { resources, vpn } = await built(
        privateVpn({
          routeTables: {
            association: "tgw-rtb-0123456789abcdef0",
            propagation: { prod: "tgw-rtb-0123456789abcdef1" },
          },
        }),
      );
      const attachment = (await resolve(vpn.connections)).value["dc1-1"].transitGatewayAttachmentId;
      expect(resources.named("dxvpn-dc1-1-association").inputs).to.deep.equal({
        transitGatewayAttachmentId: attachment,
        transitGatewayRouteTableId: "tgw-rtb-0123456789abcdef0",
        replaceExistingAssociation: true,
      });
      expect(resources.ofType(PROPAGATION).map((r) => r.name)).to.deep.equal([
        "dxvpn-dc1-1-propagation-prod",
      ]);
    });

    it("sizes ECMP connections over Direct Connect like any transit gateway VPN", async () => {
      const { resources, vpn } = await built(privateVpn({ sites: { dc1: site({ bandwidthGbps: 3 }) } }));
      expect(resources.ofType(VPN).map((r) => r.name)).to.deep.equal(["dxvpn-dc1-1-vpn", "dxvpn-dc1-2-vpn"]);
      expect((await resolve(vpn.ecmp)).value.dc1.connections).to.equal(2);
      for (const connection of resources.ofType(VPN))
        expect(connection.inputs.outsideIpAddressType).to.equal("PrivateIpv4");
    });

    describe("bad input", () => {
      it("refuses a public customer gateway address", async () => {
        const line = onlyProblem(
          await refused(privateVpn({ sites: { dc1: site({ ipAddress: "203.0.113.10" }) } })),
          "sites.dc1.ipAddress",
        );
        expect(line).to.match(/not a private \(RFC 1918\) address/);
      });

      it("refuses a static site with no transit gateway route table to hold its routes", async () => {
        const line = onlyProblem(
          await refused(privateVpn({ sites: { dc1: site({ routing: "static" }) } })),
          "sites.dc1.routeTables.propagation",
        );
        expect(line).to.contain("a static attachment propagates no routes");
      });

      it("refuses acceleration", async () => {
        const line = onlyProblem(
          await refused(privateVpn({ sites: { dc1: site({ accelerated: true }) } })),
          "sites.dc1.accelerated",
        );
        expect(line).to.equal(
          "  sites.dc1.accelerated = true: a private IP VPN runs over Direct Connect, not Global Accelerator; leave accelerated out",
        );
      });

      it("refuses a virtual private gateway", async () => {
        const error = await refused(
          privateVpn({ transitGatewayId: undefined, existingTransitGateway: undefined, vpnGatewayId: VGW }),
        );
        expect(error.problems.map((p) => p.path)).to.include.members(["vpnGatewayId", "transitGatewayId"]);
      });

      it("refuses a transit gateway CIDR block smaller than /24 or not covered by the allowed prefixes", async () => {
        expect(
          onlyProblem(
            await refused(
              privateVpn({ transport: privateTransport({ transitGatewayCidrBlocks: ["10.255.0.0/28"] }) }),
            ),
            "transport.transitGatewayCidrBlocks[0]",
          ),
        ).to.match(/\/24 or larger/);
        const line = onlyProblem(
          await refused(privateVpn({ transport: privateTransport({ allowedPrefixes: ["10.20.0.0/16"] }) })),
          "transport.transitGatewayCidrBlocks[0]",
        );
        expect(line).to.match(/not covered by transport.allowedPrefixes/);
      });

      it("refuses a private IP VPN with neither a Direct Connect gateway nor a transport attachment", async () => {
        expect(
          onlyProblem(
            await refused(privateVpn({ transport: privateTransport({ dxGatewayId: undefined }) })),
            "transport.dxGatewayId",
          ),
        ).to.match(/transportAttachmentId/);
      });

      it("refuses on-premises addresses inside the transit gateway CIDR block", async () => {
        const error = await refused(
          privateVpn({ sites: { dc1: site({ ipAddress: "10.255.0.10", prefixes: ["10.255.0.0/16"] }) } }),
        );
        expect(error.problems.map((p) => p.path)).to.deep.equal([
          "sites.dc1.ipAddress",
          "sites.dc1.prefixes[0]",
        ]);
      });
    });
  });

  describe("VPN over a public VIF (DX + VPN)", () => {
    it("creates a public VPN to a transit gateway for a customer gateway inside the public VIF's prefixes", async () => {
      const { resources, vpn } = await built(publicVpn());
      const [connection] = resources.ofType(VPN);
      expect(connection.inputs).to.deep.include({ transitGatewayId: TGW, enableAcceleration: false });
      expect(connection.inputs).not.to.have.property("outsideIpAddressType");
      expect(connection.inputs).not.to.have.property("transportTransitGatewayAttachmentId");
      expect(resources.ofType(CGW)[0].inputs.ipAddress).to.equal("198.51.100.10");
      expect((await resolve(vpn.transportAttachmentId)).value).to.equal(undefined);
      const outside = (await resolve(vpn.connections)).value["dc1-1"].tunnels[0].outsideAddress;
      expect(outside).to.match(/^52\./);
    });

    it("terminates on an existing virtual private gateway, with static routes for a static site", async () => {
      const { resources } = await built(
        publicVpn({
          transitGatewayId: undefined,
          existingTransitGateway: undefined,
          vpnGatewayId: VGW,
          sites: { dc1: site({ ipAddress: "198.51.100.10", routing: "static" }) },
        }),
      );
      const [connection] = resources.ofType(VPN);
      expect(connection.inputs).to.deep.include({ vpnGatewayId: VGW, staticRoutesOnly: true });
      expect(connection.inputs).not.to.have.property("enableAcceleration");
      expect(resources.ofType(VPN_ROUTE).map((r) => r.inputs.destinationCidrBlock)).to.deep.equal([
        "10.10.0.0/16",
      ]);
      expect(resources.ofType(ASSOCIATION)).to.deep.equal([]);
    });

    describe("bad input", () => {
      it("refuses a customer gateway the public VIF does not advertise", async () => {
        const line = onlyProblem(
          await refused(publicVpn({ sites: { dc1: site({ ipAddress: "203.0.113.10" }) } })),
          "sites.dc1.ipAddress",
        );
        expect(line).to.match(/not inside transport.advertisedPrefixes/);
      });

      it("refuses private-IP settings, private advertised prefixes and a private customer gateway", async () => {
        const error = await refused(
          publicVpn({
            transport: {
              type: "public",
              advertisedPrefixes: ["10.0.0.0/8"],
              transitGatewayCidrBlocks: ["10.255.0.0/24"],
            },
            sites: { dc1: site() },
          }),
        );
        expect(error.problems.map((p) => p.path)).to.deep.equal([
          "transport.transitGatewayCidrBlocks",
          "transport.advertisedPrefixes[0]",
          "sites.dc1.ipAddress",
        ]);
      });

      it("refuses transit-gateway-only settings on a virtual private gateway and two gateways at once", async () => {
        const error = await refused(
          publicVpn({
            transitGatewayId: undefined,
            existingTransitGateway: undefined,
            vpnGatewayId: VGW,
            routeTables: { association: "tgw-rtb-0123456789abcdef0" },
            sites: { dc1: site({ ipAddress: "198.51.100.10", bandwidthGbps: 2 }) },
          }),
        );
        expect(error.problems.map((p) => p.path)).to.deep.equal(["routeTables", "sites.dc1.bandwidthGbps"]);
        expect(onlyProblem(await refused(publicVpn({ vpnGatewayId: VGW })), "vpnGatewayId")).to.match(
          /one gateway/,
        );
      });

      it("refuses an unknown transport", async () => {
        const error = await refused(
          publicVpn({ transport: { type: "internet" as "public", advertisedPrefixes: ["198.51.100.0/24"] } }),
        );
        expect(error.problems.map((p) => p.path)).to.deep.equal(["transport.type"]);
      });
    });
  });
});
