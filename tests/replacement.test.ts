/**
 * Changing a live network: which inputs replace a resource (model/replacement), and the components register
 * what AWS cannot hold twice (one VGW per VPC, one VLAN per connection, inside CIDRs unique per VGW, one
 * association per attachment) so that a replacement deletes the old one first or takes over its place.
 */
import { expect } from "chai";
import { ManagedVpn } from "../components/ManagedVpn";
import { TransitGatewayHub } from "../components/TransitGatewayHub";
import { TransitGatewayVpn } from "../components/TransitGatewayVpn";
import { VirtualInterfaces } from "../components/VirtualInterfaces";
import { VpcAttachment } from "../components/VpcAttachment";
import { REPLACEMENT_RULES, replacementRule, replacingInputs } from "../model/replacement";
import { ofType, recording, SITE } from "./childOptions";
import { builtBy } from "./refusals";

const VPN = "aws:ec2/vpnConnection:VpnConnection";
const VGW = "aws:ec2/vpnGateway:VpnGateway";
const CGW = "aws:ec2/customerGateway:CustomerGateway";
const ASSOCIATION = "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation";
const PRIVATE_VIF = "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface";
const TRANSIT_VIF = "aws:directconnect/transitVirtualInterface:TransitVirtualInterface";

describe("changing a live network", () => {
  describe("the replacement table (model/replacement)", () => {
    // The facts below are written out from the issue, the AWS API reference and the Terraform AWS provider
    // schema (ForceNew), not read back from the table.
    it("knows what replaces a VPN connection, and that a pre-shared key or tunnel option does not", () => {
      for (const input of [
        "staticRoutesOnly",
        "enableAcceleration",
        "tunnelInsideIpVersion",
        "tunnel1InsideCidr",
        "tunnel2InsideCidr",
        "tunnel1InsideIpv6Cidr",
        "tunnel2InsideIpv6Cidr",
        "type",
        "outsideIpAddressType",
        "transportTransitGatewayAttachmentId",
      ])
        expect(replacingInputs(VPN, [input]), input).to.deep.equal([input]);
      expect(
        replacingInputs(VPN, [
          "tunnel1PresharedKey",
          "tunnel1Phase1LifetimeSeconds",
          "customerGatewayId",
          "vpnGatewayId",
          "transitGatewayId",
          "tags",
        ]),
      ).to.deep.equal([]);
    });

    it("knows that a virtual private gateway's Amazon side ASN replaces it, and its VPC does not", () => {
      expect(replacingInputs(VGW, ["amazonSideAsn", "vpcId", "tags"])).to.deep.equal(["amazonSideAsn"]);
    });

    it("knows that every field of a customer gateway but its tags replaces it", () => {
      for (const input of ["bgpAsn", "bgpAsnExtended", "ipAddress", "type", "deviceName", "certificateArn"])
        expect(replacingInputs(CGW, [input]), input).to.deep.equal([input]);
      expect(replacingInputs(CGW, ["tags"])).to.deep.equal([]);
    });

    it("knows that a VIF's name, VLAN, ASN, BGP key, addresses, connection and gateway replace it, and its MTU does not", () => {
      const replacing = [
        "name",
        "vlan",
        "bgpAsn",
        "bgpAuthKey",
        "amazonAddress",
        "customerAddress",
        "connectionId",
        "dxGatewayId",
      ];
      for (const type of [PRIVATE_VIF, TRANSIT_VIF])
        expect(replacingInputs(type, [...replacing, "mtu", "tags"]), type).to.deep.equal(replacing);
      expect(replacingInputs(PRIVATE_VIF, ["vpnGatewayId"])).to.deep.equal(["vpnGatewayId"]);
    });

    it("knows that a route table association is replaced when its table changes", () => {
      expect(replacingInputs(ASSOCIATION, ["transitGatewayRouteTableId"])).to.deep.equal([
        "transitGatewayRouteTableId",
      ]);
    });

    it("says where AWS cannot hold the old and the new at once", () => {
      expect(replacementRule(VGW)?.deleteFirst?.why).to.contain("one virtual private gateway");
      for (const type of [PRIVATE_VIF, TRANSIT_VIF])
        expect(replacementRule(type)?.deleteFirst?.why, type).to.contain(
          "VLAN is unique per Direct Connect connection",
        );
      expect(replacementRule(VPN)?.deleteFirst?.why).to.contain("unique per virtual private gateway");
      expect(replacementRule(ASSOCIATION)?.deleteFirst?.why).to.contain("replaceExistingAssociation");
      expect(replacementRule(CGW)?.deleteFirst).to.equal(undefined);
    });

    it("names a source for every entry and lists each type once", () => {
      for (const rule of REPLACEMENT_RULES) {
        expect(rule.source, rule.type).to.match(/Terraform AWS provider|AWS/);
        expect(rule.forceNew.length, rule.type).to.be.greaterThan(0);
      }
      const types = REPLACEMENT_RULES.map((r) => r.type);
      expect(new Set(types).size).to.equal(types.length);
      expect(replacementRule("aws:ec2/securityGroup:SecurityGroup")).to.equal(undefined);
      expect(replacingInputs("aws:ec2/securityGroup:SecurityGroup", ["name"])).to.deep.equal([]);
    });
  });

  describe("what the components register", () => {
    it("lets a VPC attachment move to another segment: its association replaces the existing one", async () => {
      const { seen, opts } = recording();
      const { resources } = await builtBy(() => {
        const hub = new TransitGatewayHub("hub", { segments: { prod: {}, shared: {} } });
        new VpcAttachment(
          "app",
          {
            vpcId: "vpc-0123456789abcdef0",
            subnets: [
              { availabilityZone: "us-east-1a", subnetId: "subnet-0123456789abcdef0" },
              { availabilityZone: "us-east-1b", subnetId: "subnet-0123456789abcdef1" },
            ],
            transitGatewayId: hub.transitGatewayId,
            segment: "prod",
            segments: hub.segmentRouting,
          },
          opts,
        );
        hub.attach("dx", { attachmentId: "tgw-attach-0123456789abcdef0", segment: "shared" });
      });
      const associations = resources.ofType(ASSOCIATION);
      expect(associations.map((a) => a.name).sort()).to.deep.equal(["app-association", "hub-dx-association"]);
      for (const a of associations) expect(a.inputs.replaceExistingAssociation, a.name).to.equal(true);
      expect(ofType(seen, ASSOCIATION)).to.have.length(1);
    });

    it("deletes a virtual private gateway and its VPN connections before replacing them", async () => {
      const { seen, opts } = recording();
      await builtBy(() => new ManagedVpn("corp", { vpcId: "vpc-0abc", sites: { dc1: SITE } }, opts));
      const [vgw] = ofType(seen, VGW);
      expect(vgw.opts.deleteBeforeReplace).to.equal(true);
      const [vpn] = ofType(seen, VPN);
      expect(vpn.opts.deleteBeforeReplace).to.equal(true);
      // A customer gateway may stand beside its replacement: nothing forces the old one out first.
      expect(ofType(seen, CGW)[0].opts.deleteBeforeReplace).not.to.equal(true);
    });

    it("creates a transit gateway's IPv4 VPN connection before deleting the old one, an IPv6 one after", async () => {
      const v4 = recording();
      await builtBy(() => new TransitGatewayVpn("dc", { sites: { dc1: SITE } }, v4.opts));
      expect(ofType(v4.seen, VPN)[0].opts.deleteBeforeReplace).not.to.equal(true);
      const v6 = recording();
      await builtBy(
        () =>
          new TransitGatewayVpn(
            "dc",
            { tunnelInsideIpVersion: "ipv6", sites: { dc1: { ...SITE, prefixes: ["fd10::/48"] } } },
            v6.opts,
          ),
      );
      expect(ofType(v6.seen, VPN)[0].opts.deleteBeforeReplace).to.equal(true);
    });

    it("deletes a virtual interface before replacing it, since its VLAN is taken on the connection", async () => {
      for (const type of ["transit", "private"] as const) {
        const { seen, opts } = recording();
        await builtBy(
          () =>
            new VirtualInterfaces(
              "dx",
              {
                type,
                dxGatewayId: "5f294f92-bafb-4011-916d-9b0bec736ebf",
                bgpAsn: 65010,
                connections: { a: { connectionId: "dxcon-fguhmqlc", location: "EqDC2", vlan: 101 } },
              },
              opts,
            ),
        );
        const [vif] = ofType(seen, type === "transit" ? TRANSIT_VIF : PRIVATE_VIF);
        expect(vif.opts.deleteBeforeReplace, type).to.equal(true);
      }
    });
  });
});
