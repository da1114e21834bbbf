/**
 * VPNs attached to a transit gateway the component did not create: its default route table association and
 * propagation (on by default in AWS) would put the VPN attachments in the default route table, so they are
 * stated, refused when on unless accepted, and every attachment gets route tables of its own.
 */
import { expect } from "chai";
import { DirectConnectVpn, type DirectConnectVpnArgs } from "../components/DirectConnectVpn";
import { TransitGatewayVpn, type TransitGatewayVpnArgs } from "../components/TransitGatewayVpn";
import { builtBy, problemAt, refusedBy } from "./refusals";

const TGW = "tgw-0123456789abcdef0";
const ASSOCIATION = "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation";
const PROPAGATION = "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation";
const VPN = "aws:ec2/vpnConnection:VpnConnection";
const OFF = { defaultRouteTableAssociation: "disable", defaultRouteTablePropagation: "disable" } as const;
const ON = { defaultRouteTableAssociation: "enable", defaultRouteTablePropagation: "enable" } as const;
const TABLES = { association: "tgw-rtb-onprem", propagation: { shared: "tgw-rtb-shared" } };
const site = { ipAddress: "203.0.113.10", bgpAsn: 65010, prefixes: ["10.10.0.0/16"] };

const tgwVpn = (over: Partial<TransitGatewayVpnArgs>): TransitGatewayVpnArgs => ({
  transitGatewayId: TGW,
  sites: { dc1: site },
  ...over,
});
const WHERE = 'hybridnet:index:TransitGatewayVpn "hub"';
const refused = (args: TransitGatewayVpnArgs) => refusedBy(() => new TransitGatewayVpn("hub", args), WHERE);

describe("VPN on an existing transit gateway", () => {
  describe("TransitGatewayVpn", () => {
    it("builds with the gateway's defaults stated off and route tables for every attachment", async () => {
      const { resources } = await builtBy(
        () => new TransitGatewayVpn("hub", tgwVpn({ existingTransitGateway: OFF, routeTables: TABLES })),
      );
      expect(resources.ofType(VPN)).to.have.length(1);
      expect(resources.ofType(ASSOCIATION)[0].inputs.transitGatewayRouteTableId).to.equal("tgw-rtb-onprem");
      expect(resources.ofType(PROPAGATION)[0].inputs.transitGatewayRouteTableId).to.equal("tgw-rtb-shared");
    });

    it("refuses an existing transit gateway whose default association and propagation are not stated", async () => {
      const error = await refused(tgwVpn({ routeTables: TABLES }));
      problemAt(
        error,
        "existingTransitGateway",
        undefined,
        "defaultRouteTableAssociation, defaultRouteTablePropagation",
      );
    });

    it("refuses default route table association and propagation left on, naming what they would do", async () => {
      const error = await refused(tgwVpn({ existingTransitGateway: ON, routeTables: TABLES }));
      problemAt(
        error,
        "existingTransitGateway.defaultRouteTablePropagation",
        "enable",
        "propagate the on-premises networks into the default route table",
      );
      problemAt(
        error,
        "existingTransitGateway.defaultRouteTableAssociation",
        "enable",
        "associated with the default route table",
      );
    });

    it("refuses a value other than enable or disable", async () => {
      const error = await refused(
        tgwVpn({
          existingTransitGateway: { ...OFF, defaultRouteTablePropagation: "on" as "enable" },
          routeTables: TABLES,
        }),
      );
      problemAt(
        error,
        "existingTransitGateway.defaultRouteTablePropagation",
        "on",
        'one of "enable", "disable"',
      );
    });

    it("requires an association and a propagation table for every site when none are given", async () => {
      const error = await refused(tgwVpn({ existingTransitGateway: OFF }));
      problemAt(
        error,
        "sites.dc1.routeTables.association",
        undefined,
        "an attachment with no association forwards nothing",
      );
      problemAt(error, "sites.dc1.routeTables.propagation", undefined, "nothing routes to the site");
    });

    it("accepts the default route table when told to, and then needs no route tables of its own", async () => {
      const { resources } = await builtBy(
        () =>
          new TransitGatewayVpn(
            "hub",
            tgwVpn({ existingTransitGateway: { ...ON, acceptDefaultRouteTable: true } }),
          ),
      );
      expect(resources.ofType(VPN)).to.have.length(1);
      expect(resources.ofType(ASSOCIATION)).to.deep.equal([]);
    });

    it("refuses existingTransitGateway without transitGatewayId: the component creates its own, with both off", async () => {
      const error = await refused({ sites: { dc1: site }, existingTransitGateway: OFF });
      problemAt(error, "existingTransitGateway", OFF, "only with transitGatewayId");
    });
  });

  describe("DirectConnectVpn", () => {
    const WHERE_DX = 'hybridnet:index:DirectConnectVpn "dxvpn"';
    const dxVpn = (over: Partial<DirectConnectVpnArgs>): DirectConnectVpnArgs => ({
      transport: { type: "public", advertisedPrefixes: ["198.51.100.0/24"] },
      transitGatewayId: TGW,
      sites: { dc1: { ...site, ipAddress: "198.51.100.10" } },
      ...over,
    });

    it("builds on a transit gateway with its defaults stated off and route tables given", async () => {
      const { resources } = await builtBy(
        () => new DirectConnectVpn("dxvpn", dxVpn({ existingTransitGateway: OFF, routeTables: TABLES })),
      );
      expect(resources.ofType(ASSOCIATION)).to.have.length(1);
    });

    it("refuses default propagation left on, and missing route tables", async () => {
      const error = await refusedBy(
        () =>
          new DirectConnectVpn(
            "dxvpn",
            dxVpn({ existingTransitGateway: { ...OFF, defaultRouteTablePropagation: "enable" } }),
          ),
        WHERE_DX,
      );
      problemAt(
        error,
        "existingTransitGateway.defaultRouteTablePropagation",
        "enable",
        "default route table",
      );
      problemAt(error, "sites.dc1.routeTables.association", undefined, "forwards nothing");
    });
  });
});
