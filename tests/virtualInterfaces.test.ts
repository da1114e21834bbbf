import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
  type VirtualInterfaceConnection,
  VirtualInterfaces,
  type VirtualInterfacesArgs,
} from "../components/VirtualInterfaces";
import { resolve } from "./harness";
import { builtBy, onlyProblemLine as onlyProblem, refusedBy } from "./refusals";

const COMPONENT = "hybridnet:index:VirtualInterfaces";
const PRIVATE_VIF = "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface";
const TRANSIT_VIF = "aws:directconnect/transitVirtualInterface:TransitVirtualInterface";
const PUBLIC_VIF = "aws:directconnect/publicVirtualInterface:PublicVirtualInterface";
const PRIVATE_ACCEPTER =
  "aws:directconnect/hostedPrivateVirtualInterfaceAccepter:HostedPrivateVirtualInterfaceAccepter";
const TRANSIT_ACCEPTER =
  "aws:directconnect/hostedTransitVirtualInterfaceAcceptor:HostedTransitVirtualInterfaceAcceptor";
const PUBLIC_ACCEPTER =
  "aws:directconnect/hostedPublicVirtualInterfaceAccepter:HostedPublicVirtualInterfaceAccepter";
const PASSWORD = "random:index/randomPassword:RandomPassword";
const WHERE = 'hybridnet:index:VirtualInterfaces "dx"';
const DXGW = "5f294f92-bafb-4011-916d-9b0bec736ebf";
const VGW = "vgw-0123456789abcdef0";

const conn = (over: Partial<VirtualInterfaceConnection> = {}): VirtualInterfaceConnection => ({
  connectionId: "dxcon-fguhmqlc",
  location: "EqDC2",
  device: "EqDC2-1abc",
  vlan: 101,
  ...over,
});

const transit = (over: Partial<VirtualInterfacesArgs> = {}): VirtualInterfacesArgs => ({
  type: "transit",
  dxGatewayId: DXGW,
  bgpAsn: 65010,
  connections: { a: conn() },
  ...over,
});

async function built(args: VirtualInterfacesArgs, stack = "connectivity-dev") {
  const { resources, result, logs } = await builtBy(() => new VirtualInterfaces("dx", args), { stack });
  return { resources, vifs: result, logs };
}

const refused = (args: VirtualInterfacesArgs) => refusedBy(() => new VirtualInterfaces("dx", args), WHERE);

describe("VirtualInterfaces", () => {
  describe("transit VIFs", () => {
    it("creates one transit VIF per connection on the Direct Connect gateway, with a generated secret BGP key", async () => {
      const { resources, vifs } = await built(transit());
      const component = resources.ofType(COMPONENT)[0];
      const [vif] = resources.ofType(TRANSIT_VIF);
      expect(vif.name).to.equal("dx-a-vif");
      expect(vif.parent).to.equal(component.urn);
      const password = resources.named("dx-a-bgp-auth-key");
      expect(password.type).to.equal(PASSWORD);
      expect(password.inputs).to.deep.equal({ length: 32, special: false });
      expect(password.parent).to.equal(component.urn);
      const key = (await resolve(vifs.bgpAuthKeys)).value.a;
      expect(key).to.match(/^[A-Za-z0-9]{32}$/);
      expect(vif.inputs).to.deep.equal({
        connectionId: "dxcon-fguhmqlc",
        name: "dx-a",
        vlan: 101,
        addressFamily: "ipv4",
        bgpAsn: 65010,
        bgpAuthKey: key,
        mtu: 1500,
        dxGatewayId: DXGW,
        tags: { "hybridnet:component": "dx", "hybridnet:resiliency": "none", Name: "dx-a" },
      });
      expect(vif.secretInputs).to.deep.equal(["bgpAuthKey"]);
      expect((await resolve(vifs.bgpAuthKeys)).secret).to.equal(true);
    });

    it("outputs each VIF with the peer addresses and device AWS assigned", async () => {
      const { vifs } = await built(transit());
      const info = (await resolve(vifs.interfaces)).value.a;
      expect(info).to.deep.include({ type: "transit", hosted: false, location: "EqDC2", vlan: 101 });
      expect(info.id).to.match(/^dxvif-/);
      expect(info.amazonAddress).to.match(/^169\.254\.\d+\.\d+\/29$/);
      expect(info.awsDevice).to.be.a("string");
      expect((await resolve(vifs.virtualInterfaceIds)).value).to.deep.equal({ a: info.id });
    });

    it("takes jumbo frames (8500), a given key as a secret, peer addresses and a 4-byte ASN", async () => {
      const { resources, vifs } = await built(
        transit({
          bgpAsn: 4200000100,
          mtu: 8500,
          connections: {
            a: conn({
              bgpAuthKey: "given-md5-key",
              amazonAddress: "169.254.100.1/30",
              customerAddress: "169.254.100.2/30",
            }),
          },
        }),
      );
      expect(resources.ofType(PASSWORD)).to.deep.equal([]);
      const [vif] = resources.ofType(TRANSIT_VIF);
      expect(vif.inputs).to.deep.include({
        mtu: 8500,
        bgpAsnLong: "4200000100",
        bgpAuthKey: "given-md5-key",
        amazonAddress: "169.254.100.1/30",
        customerAddress: "169.254.100.2/30",
      });
      expect(vif.inputs).not.to.have.property("bgpAsn");
      expect(vif.secretInputs).to.deep.equal(["bgpAuthKey"]);
      const keys = await resolve(vifs.bgpAuthKeys);
      expect(keys).to.deep.equal({ value: { a: "given-md5-key" }, secret: true });
    });

    it("checks a key given as an Output when it resolves, without printing it, before anything registers", async () => {
      const error = await refused(
        transit({ connections: { a: conn({ bgpAuthKey: pulumi.secret("tiny") }) } }),
      );
      expect(error.problems.map((p) => [p.path, p.secret])).to.deep.equal([
        ["connections.a.bgpAuthKey", true],
      ]);
      expect(error.message).to.include(
        `${WHERE}: 1 invalid argument\n  connections.a.bgpAuthKey = [secret]: a BGP MD5 authentication key is 6–80 characters`,
      );
      expect(error?.message).not.to.include("tiny");
    });
  });

  describe("private VIFs", () => {
    it("attaches to a Direct Connect gateway with jumbo frames (9001)", async () => {
      const { resources } = await built(transit({ type: "private", mtu: 9001 }));
      const [vif] = resources.ofType(PRIVATE_VIF);
      expect(vif.inputs).to.deep.include({ dxGatewayId: DXGW, mtu: 9001 });
      expect(vif.inputs).not.to.have.property("vpnGatewayId");
    });

    it("attaches to a virtual private gateway instead", async () => {
      const { resources } = await built(
        transit({ type: "private", dxGatewayId: undefined, vpnGatewayId: VGW }),
      );
      const [vif] = resources.ofType(PRIVATE_VIF);
      expect(vif.inputs).to.deep.include({ vpnGatewayId: VGW, mtu: 1500 });
      expect(vif.inputs).not.to.have.property("dxGatewayId");
    });

    it("accepts a partner's hosted private VIF onto the gateway without creating a VIF or key", async () => {
      const { resources, vifs } = await built({
        type: "private",
        dxGatewayId: DXGW,
        connections: { partner: { hostedVirtualInterfaceId: "dxvif-ffhhk74f", location: "EqDC2" } },
      });
      expect(resources.ofType(PRIVATE_VIF)).to.deep.equal([]);
      expect(resources.ofType(PASSWORD)).to.deep.equal([]);
      const [accepter] = resources.ofType(PRIVATE_ACCEPTER);
      expect(accepter.name).to.equal("dx-partner-accepter");
      expect(accepter.inputs).to.deep.include({ virtualInterfaceId: "dxvif-ffhhk74f", dxGatewayId: DXGW });
      expect((await resolve(vifs.virtualInterfaceIds)).value).to.deep.equal({ partner: "dxvif-ffhhk74f" });
      expect((await resolve(vifs.interfaces)).value.partner).to.deep.equal({
        id: "dxvif-ffhhk74f",
        type: "private",
        hosted: true,
        location: "EqDC2",
      });
      expect((await resolve(vifs.bgpAuthKeys)).value).to.deep.equal({});
    });
  });

  describe("public VIFs and hosted accepters", () => {
    it("creates a public VIF advertising your public prefixes, with public peer addresses and no MTU", async () => {
      const { resources } = await built({
        type: "public",
        bgpAsn: 64512, // a private ASN is allowed on a public VIF
        advertisedPrefixes: ["198.51.100.0/24"],
        connections: { a: conn({ amazonAddress: "203.0.113.1/30", customerAddress: "203.0.113.2/30" }) },
      });
      const [vif] = resources.ofType(PUBLIC_VIF);
      expect(vif.inputs).to.deep.include({
        bgpAsn: 64512,
        routeFilterPrefixes: ["198.51.100.0/24"],
        amazonAddress: "203.0.113.1/30",
        customerAddress: "203.0.113.2/30",
      });
      expect(vif.inputs).not.to.have.property("mtu");
      expect(vif.inputs).not.to.have.property("dxGatewayId");
    });

    it("accepts hosted transit and public VIFs with the matching accepter", async () => {
      const hosted = { partner: { hostedVirtualInterfaceId: "dxvif-aaaabbbb", location: "EqDC2" } };
      const t = await built({ type: "transit", dxGatewayId: DXGW, connections: hosted });
      expect(t.resources.ofType(TRANSIT_ACCEPTER)[0].inputs).to.deep.include({
        virtualInterfaceId: "dxvif-aaaabbbb",
        dxGatewayId: DXGW,
      });
      const p = await built({ type: "public", connections: hosted });
      expect(p.resources.ofType(PUBLIC_ACCEPTER)[0].inputs).to.deep.include({
        virtualInterfaceId: "dxvif-aaaabbbb",
      });
    });
  });

  describe("resiliency", () => {
    it("says one connection reaches no resiliency model and warns about it in a prod stack", async () => {
      const { vifs, logs } = await built(transit(), "connectivity-prod");
      const resiliency = (await resolve(vifs.resiliency)).value;
      expect(resiliency).to.deep.include({ level: "none", connections: 1, locations: ["EqDC2"] });
      expect(resiliency.warnings).to.have.length(1);
      expect(resiliency.warnings[0]).to.match(/in the prod environment/);
      // The same warning is logged, as `pulumi up` shows it.
      expect(logs).to.deep.equal([{ level: "warning", message: resiliency.warnings[0] }]);
      const dev = await built(transit(), "connectivity-dev");
      expect((await resolve(dev.vifs.resiliency)).value.warnings).to.deep.equal([]);
      expect(dev.logs).to.deep.equal([]);
    });

    it("takes the environment from its argument over the stack name", async () => {
      const { vifs } = await built(transit({ environment: "prod" }), "sandbox");
      expect((await resolve(vifs.resiliency)).value.warnings).to.have.length(1);
    });

    it("rates two devices at one location, two locations, and two devices at two locations", async () => {
      const layouts: [Record<string, VirtualInterfaceConnection>, string, string | undefined][] = [
        [
          { a: conn(), b: conn({ connectionId: "dxcon-bbbbbbbb", device: "EqDC2-2def" }) },
          "development-and-test",
          undefined,
        ],
        [
          { a: conn(), b: conn({ connectionId: "dxcon-cccccccc", location: "EqNY5", device: "EqNY5-1" }) },
          "high",
          "99.9%",
        ],
        [
          {
            a: conn(),
            b: conn({ connectionId: "dxcon-bbbbbbbb", device: "EqDC2-2def" }),
            c: conn({ connectionId: "dxcon-cccccccc", location: "EqNY5", device: "EqNY5-1" }),
            d: conn({ connectionId: "dxcon-dddddddd", location: "EqNY5", device: "EqNY5-2" }),
          },
          "maximum",
          "99.99%",
        ],
      ];
      for (const [connections, level, sla] of layouts) {
        const { resources, vifs } = await built(transit({ connections }), "connectivity-prod");
        const resiliency = (await resolve(vifs.resiliency)).value;
        expect(resiliency.level).to.equal(level);
        expect(resiliency.sla).to.equal(sla);
        expect(resiliency.warnings.length).to.equal(level === "development-and-test" ? 1 : 0);
        for (const vif of resources.ofType(TRANSIT_VIF))
          expect((vif.inputs.tags as Record<string, string>)["hybridnet:resiliency"]).to.equal(level);
      }
    });
  });

  describe("bad input", () => {
    it("refuses a VLAN outside 1–4094", async () => {
      const line = onlyProblem(
        await refused(transit({ connections: { a: conn({ vlan: 4095 }) } })),
        "connections.a.vlan",
      );
      expect(line).to.equal(
        "  connections.a.vlan = 4095: a VLAN id is an integer in 1–4094 (802.1Q), unused on its connection",
      );
    });

    it("refuses a transit VIF pointed at a virtual private gateway", async () => {
      const error = await refused(transit({ dxGatewayId: undefined, vpnGatewayId: VGW }));
      expect(error.problems.map((p) => p.path)).to.deep.equal(["vpnGatewayId", "dxGatewayId"]);
      expect(error.message).to.include(
        'vpnGatewayId = "vgw-0123456789abcdef0": a transit VIF attaches only to a Direct Connect gateway associated with transit gateways; use type "private" for a virtual private gateway',
      );
    });

    it("refuses an MTU the VIF type does not support", async () => {
      expect(onlyProblem(await refused(transit({ mtu: 9001 })), "mtu")).to.equal(
        "  mtu = 9001: a transit VIF takes MTU 1500 or 8500 (jumbo frames)",
      );
      expect(onlyProblem(await refused(transit({ type: "private", mtu: 8500 })), "mtu")).to.equal(
        "  mtu = 8500: a private VIF takes MTU 1500 or 9001 (jumbo frames)",
      );
      const publicVif: VirtualInterfacesArgs = {
        type: "public",
        bgpAsn: 65010,
        mtu: 9001,
        advertisedPrefixes: ["198.51.100.0/24"],
        connections: { a: conn({ amazonAddress: "203.0.113.1/30", customerAddress: "203.0.113.2/30" }) },
      };
      expect(onlyProblem(await refused(publicVif), "mtu")).to.match(/public VIF runs at MTU 1500/);
    });

    it("refuses a 4-byte ASN on a public VIF and an ASN equal to the Amazon side's", async () => {
      const error = await refused({
        type: "public",
        bgpAsn: 4200000000,
        advertisedPrefixes: ["198.51.100.0/24"],
        connections: { a: conn({ amazonAddress: "203.0.113.1/30", customerAddress: "203.0.113.2/30" }) },
      });
      expect(onlyProblem(error, "bgpAsn")).to.match(/public VIF takes ASNs up to 2147483646/);
      expect(onlyProblem(await refused(transit({ amazonSideAsn: 65010 })), "bgpAsn")).to.match(
        /two different ASNs/,
      );
    });

    it("refuses public VIF prefixes that are private, not CIDRs, or more than 1,000", async () => {
      const base: VirtualInterfacesArgs = {
        type: "public",
        bgpAsn: 65010,
        connections: { a: conn({ amazonAddress: "203.0.113.1/30", customerAddress: "203.0.113.2/30" }) },
      };
      const error = await refused({ ...base, advertisedPrefixes: ["10.0.0.0/8", "198.51.100.0/33"] });
      expect(error.problems.map((p) => p.path)).to.deep.equal([
        "advertisedPrefixes[0]",
        "advertisedPrefixes[1]",
      ]);
      const many = Array.from({ length: 1001 }, (_, i) => `${20 + (i >> 8)}.${i & 255}.0.0/16`);
      expect(
        onlyProblem(await refused({ ...base, advertisedPrefixes: many }), "advertisedPrefixes"),
      ).to.match(/at most 1000 prefixes advertised to AWS/);
      expect(onlyProblem(await refused(base), "advertisedPrefixes")).to.match(/at least one CIDR/);
      expect(
        onlyProblem(
          await refused(transit({ advertisedPrefixes: ["198.51.100.0/24"] })),
          "advertisedPrefixes",
        ),
      ).to.match(/only a public VIF advertises prefixes/);
    });

    it("refuses missing or mismatched peer addresses", async () => {
      const publicVif = await refused({
        type: "public",
        bgpAsn: 65010,
        advertisedPrefixes: ["198.51.100.0/24"],
        connections: { a: conn({ amazonAddress: "10.0.0.1/30" }) },
      });
      expect(publicVif.problems.map((p) => p.path)).to.deep.equal(["connections.a.customerAddress"]);
      const half = await refused(transit({ connections: { a: conn({ amazonAddress: "169.254.1.1/30" }) } }));
      expect(onlyProblem(half, "connections.a.customerAddress")).to.match(/both peer addresses or neither/);
      const apart = await refused(
        transit({
          connections: { a: conn({ amazonAddress: "169.254.1.1/30", customerAddress: "169.254.2.2/30" }) },
        }),
      );
      expect(onlyProblem(apart, "connections.a.customerAddress")).to.match(
        /not in the subnet of amazonAddress/,
      );
      const v6 = await refused(
        transit({
          addressFamily: "ipv6",
          connections: { a: conn({ amazonAddress: "169.254.1.1/30", customerAddress: "169.254.1.2/30" }) },
        }),
      );
      expect(v6.problems.map((p) => p.path)).to.deep.equal([
        "connections.a.amazonAddress",
        "connections.a.customerAddress",
      ]);
    });

    it("refuses two VIFs on one connection that place it at different locations or devices", async () => {
      const error = await refused(
        transit({ connections: { a: conn(), b: conn({ vlan: 102, location: "EqNY5", device: "EqNY5-1" }) } }),
      );
      expect(error.problems.map((p) => p.path)).to.deep.equal([
        "connections.b.location",
        "connections.b.device",
      ]);
      expect(error.problems[0].allowed).to.equal(
        'connections.a puts dxcon-fguhmqlc at location "EqDC2"; a connection has one location',
      );
    });

    it("refuses a short BGP key without printing it", async () => {
      const error = await refused(transit({ connections: { a: conn({ bgpAuthKey: "abc12" }) } }));
      expect(onlyProblem(error, "connections.a.bgpAuthKey")).to.equal(
        "  connections.a.bgpAuthKey = [secret]: a BGP MD5 authentication key is 6–80 characters",
      );
      expect(error.message).not.to.include("abc12");
    });

    it("refuses partner-set fields on a hosted VIF and a hosted VIF with a connection id", async () => {
      const error = await refused({
        type: "transit",
        dxGatewayId: DXGW,
        connections: {
          p: {
            hostedVirtualInterfaceId: "dxvif-aaaabbbb",
            connectionId: "dxcon-fguhmqlc",
            location: "EqDC2",
            vlan: 5,
            bgpAuthKey: "secret-key",
          },
        },
      });
      expect(error.problems.map((p) => p.path)).to.deep.equal([
        "connections.p.connectionId",
        "connections.p.vlan",
        "connections.p.bgpAuthKey",
      ]);
      expect(error.message).not.to.include("secret-key");
    });

    it("refuses missing connections, locations, connection ids and ASN, all in one error", async () => {
      const error = await refused({
        type: "transit",
        dxGatewayId: DXGW,
        connections: { a: { connectionId: "eni-1", location: "", vlan: 100 } },
      });
      expect(error.problems.map((p) => p.path)).to.deep.equal([
        "bgpAsn",
        "connections.a.location",
        "connections.a.connectionId",
      ]);
      expect(onlyProblem(await refused(transit({ connections: {} })), "connections")).to.match(
        /at least one connection/,
      );
    });

    it("refuses a private VIF with both gateways or neither, and a public VIF with a gateway", async () => {
      expect(
        onlyProblem(await refused(transit({ type: "private", vpnGatewayId: VGW })), "vpnGatewayId"),
      ).to.match(/attaches to one gateway/);
      expect(
        onlyProblem(await refused(transit({ type: "private", dxGatewayId: undefined })), "dxGatewayId"),
      ).to.match(/attaches to one gateway/);
      const error = await refused({
        type: "public",
        dxGatewayId: DXGW,
        bgpAsn: 65010,
        advertisedPrefixes: ["198.51.100.0/24"],
        connections: { a: conn({ amazonAddress: "203.0.113.1/30", customerAddress: "203.0.113.2/30" }) },
      });
      expect(onlyProblem(error, "dxGatewayId")).to.match(/attaches to no gateway/);
    });
  });
});
