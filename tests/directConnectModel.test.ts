import { expect } from "chai";
import { nonPublicIpv4Overlap, parseCidr, privateIpv4Problem } from "../model/addressing";
import {
  assessResiliency,
  bgpAuthKeyProblem,
  checkDxVpnTransport,
  checkPrefixList,
  type DirectConnectGatewaySpec,
  type DxVpnTransportSpec,
  dxIdProblem,
  environmentOfStack,
  isProdEnvironment,
  MAX_TGW_ALLOWED_PREFIXES,
  MAX_TGWS_PER_DX_GATEWAY,
  MAX_VGWS_PER_DX_GATEWAY,
  mtuProblem,
  parsePeerAddress,
  planDirectConnectGateway,
  planVirtualInterfaces,
  type ResiliencyConnection,
  type VirtualInterfacesSpec,
  vifAsnProblem,
  vifName,
  vlanProblem,
} from "../model/directConnect";
import { Problems, ValidationError } from "../model/errors";

const WHERE = 'hybridnet:index:DirectConnectGateway "dx"';

/** The ValidationError `fn` throws. */
function thrown(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ValidationError);
    return e as ValidationError;
  }
  return expect.fail("expected a ValidationError");
}

const paths = (error: ValidationError) => error.problems.map((p) => p.path);

/** Problems a checker records, as `path: allowed` lines. */
function recorded(check: (problems: Problems) => void): string[] {
  const problems = new Problems();
  check(problems);
  try {
    problems.throwIfAny("test");
    return [];
  } catch (e) {
    return (e as ValidationError).problems.map((p) => `${p.path}: ${p.allowed}`);
  }
}

function gateway(over: Partial<DirectConnectGatewaySpec> = {}): DirectConnectGatewaySpec {
  return { amazonSideAsn: 64600, ...over };
}

const tgwAssociation = (gatewayId: string, allowedPrefixes: string[] = ["10.0.0.0/8"]) => ({
  gatewayType: "tgw" as const,
  gatewayId,
  allowedPrefixes,
});
const vgwAssociation = (gatewayId: string, allowedPrefixes: string[], vpcCidrs?: string[]) => ({
  gatewayType: "vgw" as const,
  gatewayId,
  allowedPrefixes,
  ...(vpcCidrs ? { vpcCidrs } : {}),
});
const hex17 = (n: number) => n.toString(16).padStart(17, "0");

describe("Direct Connect rules (model/directConnect)", () => {
  describe("VLAN, MTU, ASN, BGP key, ids", () => {
    it("accepts VLANs 1–4094 and refuses 0, 4095 and non-integers", () => {
      for (const vlan of [1, 100, 4094]) expect(vlanProblem(vlan), String(vlan)).to.equal(undefined);
      for (const vlan of [0, 4095, -1, 10.5, "100", undefined])
        expect(vlanProblem(vlan), String(vlan)).to.match(/1–4094/);
    });

    it("allows jumbo frames per VIF type: 9001 private, 8500 transit, none public", () => {
      expect(mtuProblem("private", 1500)).to.equal(undefined);
      expect(mtuProblem("private", 9001)).to.equal(undefined);
      expect(mtuProblem("private", 8500)).to.match(/1500 or 9001/);
      expect(mtuProblem("transit", 8500)).to.equal(undefined);
      expect(mtuProblem("transit", 9001)).to.match(/1500 or 8500/);
      expect(mtuProblem("public", 1500)).to.equal(undefined);
      expect(mtuProblem("public", 9001)).to.match(/public VIF runs at MTU 1500/);
    });

    it("takes BGP keys of 6–80 characters and never quotes the key", () => {
      expect(bgpAuthKeyProblem("abcdef")).to.equal(undefined);
      expect(bgpAuthKeyProblem("x".repeat(80))).to.equal(undefined);
      for (const key of ["short", "x".repeat(81), 42]) {
        const problem = bgpAuthKeyProblem(key);
        expect(problem).to.match(/6–80 characters/);
        expect(problem).not.to.include(String(key));
      }
    });

    it("takes public or private customer ASNs, refuses 4-byte ASNs on a public VIF and a clash with AWS's", () => {
      expect(vifAsnProblem("private", 65010)).to.equal(undefined);
      expect(vifAsnProblem("private", 4200000001)).to.equal(undefined);
      expect(vifAsnProblem("public", 64512)).to.equal(undefined); // a private ASN is allowed on a public VIF
      expect(vifAsnProblem("public", 16509)).to.equal(undefined);
      expect(vifAsnProblem("public", 4200000001)).to.match(/up to 2147483646/);
      expect(vifAsnProblem("transit", 0)).to.match(/1–4294967294/);
      expect(vifAsnProblem("transit", 4294967295)).to.match(/1–4294967294/);
      expect(vifAsnProblem("private", 64600, 64600)).to.match(/two different ASNs/);
    });

    it("checks plain connection, LAG and VIF ids and leaves Outputs alone", () => {
      expect(dxIdProblem("connection", "dxcon-fguhmqlc")).to.equal(undefined);
      expect(dxIdProblem("connection", "dxlag-ffrz71kw")).to.equal(undefined);
      expect(dxIdProblem("connection", "dxvif-ffrz71kw")).to.match(/dxcon-/);
      expect(dxIdProblem("vif", "dxvif-ffhhk74f")).to.equal(undefined);
      expect(dxIdProblem("vif", "vif-1")).to.match(/dxvif-/);
      expect(dxIdProblem("vif", { output: true })).to.equal(undefined);
    });

    it("names VIFs in the characters the API takes", () => {
      expect(vifName("Corp_DX", "EqDC2-a")).to.equal("corp-dx-eqdc2-a");
      expect(vifName("x".repeat(90), "y".repeat(20))).to.have.length(100);
    });
  });

  describe("peer addresses and prefix lists", () => {
    it("parses interface addresses with a prefix and refuses network, broadcast and malformed ones", () => {
      const result = parsePeerAddress("169.254.10.1/30");
      if ("problem" in result) return expect.fail(result.problem);
      expect(result.peer.subnet.text).to.equal("169.254.10.0/30");
      expect(parsePeerAddress("198.51.100.0/31")).to.have.property("peer");
      expect(parsePeerAddress("169.254.10.0/30")).to.deep.equal({
        problem: "the network address of 169.254.10.0/30",
      });
      expect(parsePeerAddress("169.254.10.3/30")).to.deep.equal({
        problem: "the broadcast address of 169.254.10.0/30",
      });
      for (const bad of ["169.254.10.1", "169.254.10.1/32", "300.1.1.1/30", 7])
        expect(parsePeerAddress(bad), String(bad)).to.have.property("problem");
    });

    it("records every bad entry of a prefix list and its length against the limit", () => {
      const lines = recorded((problems) =>
        checkPrefixList(problems, "p", ["10.0.0.0/8", "10.0.0.0/8", "nope", "10.0.0.1/8", "192.0.2.0/24"], {
          what: "allowed prefixes",
          max: { count: 4, why: "test" },
        }),
      );
      expect(lines).to.deep.equal([
        "p: at most 4 allowed prefixes (test); summarize them",
        "p[1]: same prefix as p[0]; list each prefix once",
        "p[2]: not a CIDR; use a CIDR such as 10.0.0.0/16",
        "p[3]: host bits are set; the network is 10.0.0.0/8",
      ]);
      expect(recorded((problems) => checkPrefixList(problems, "p", [], { what: "x" }))).to.deep.equal([
        "p: at least one CIDR in the x",
      ]);
    });

    it("refuses non-routable space where only public prefixes may go, including a block that straddles one", () => {
      const lines = recorded((problems) =>
        checkPrefixList(problems, "p", ["198.51.100.0/24", "10.1.0.0/16", "8.0.0.0/5"], {
          what: "x",
          publicOnly: true,
        }),
      );
      expect(lines).to.deep.equal([
        "p[1]: overlaps 10.0.0.0/8, which is not internet-routable; use public space you own",
        "p[2]: overlaps 10.0.0.0/8, which is not internet-routable; use public space you own",
      ]);
      expect(nonPublicIpv4Overlap(parseCidr("203.0.113.0/24"))).to.equal(undefined);
    });

    it("accepts RFC 1918 addresses only as private customer gateway addresses", () => {
      for (const ip of ["10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.1.1"])
        expect(privateIpv4Problem(ip), ip).to.equal(undefined);
      for (const ip of ["172.32.0.1", "203.0.113.10", "100.64.0.1", "10.0.0.0/8", undefined])
        expect(privateIpv4Problem(ip), String(ip)).to.be.a("string");
    });
  });

  describe("resiliency", () => {
    const at = (key: string, location: string, device?: string): ResiliencyConnection => ({
      key,
      location,
      ...(device ? { device } : {}),
    });

    it("rates one connection 'none' and warns about it in prod only", () => {
      const dev = assessResiliency([at("a", "EqDC2", "d1")], "dev");
      expect(dev).to.include({ level: "none", connections: 1 });
      expect(dev.sla).to.equal(undefined);
      expect(dev.warnings).to.deep.equal([]);
      const prod = assessResiliency([at("a", "EqDC2", "d1")], "prod");
      expect(prod.warnings).to.have.length(1);
      expect(prod.warnings[0]).to.match(
        /resiliency "none" in the prod environment \(one connection at EqDC2/,
      );
    });

    it("rates two connections on separate devices at one location 'development-and-test'", () => {
      const result = assessResiliency([at("a", "EqDC2", "d1"), at("b", "EqDC2", "d2")], "prod");
      expect(result.level).to.equal("development-and-test");
      expect(result.devicesByLocation).to.deep.equal({ EqDC2: 2 });
      expect(result.warnings).to.have.length(1);
    });

    it("does not count two connections at one location as separate devices unless both devices are known", () => {
      for (const layout of [
        [at("a", "EqDC2"), at("b", "EqDC2")],
        [at("a", "EqDC2", "d1"), at("b", "EqDC2")],
        [at("a", "EqDC2", "d1"), at("b", "EqDC2", "d1")],
      ]) {
        const result = assessResiliency(layout);
        expect(result.level).to.equal("none");
        expect(result.reason).to.match(/not shown on separate devices/);
      }
    });

    it("rates two locations 'high' (99.9%) and two devices at each of two locations 'maximum' (99.99%)", () => {
      const high = assessResiliency([at("a", "EqDC2"), at("b", "EqNY5")], "prod");
      expect(high).to.include({ level: "high", sla: "99.9%" });
      expect(high.locations).to.deep.equal(["EqDC2", "EqNY5"]);
      expect(high.warnings).to.deep.equal([]);
      const max = assessResiliency([
        at("a1", "EqDC2", "d1"),
        at("a2", "EqDC2", "d2"),
        at("b1", "EqNY5", "d3"),
        at("b2", "EqNY5", "d4"),
      ]);
      expect(max).to.include({ level: "maximum", sla: "99.99%", connections: 4 });
      const lopsided = assessResiliency([
        at("a1", "EqDC2", "d1"),
        at("a2", "EqDC2", "d2"),
        at("b", "EqNY5", "d3"),
      ]);
      expect(lopsided.level).to.equal("high");
    });

    it("rates large layouts in linear time and by the same rules", () => {
      const many = Array.from({ length: 5000 }, (_, i) => at(`c${i}`, `L${i % 50}`, `d${i % 100}`));
      const started = Date.now();
      const result = assessResiliency(many);
      expect(Date.now() - started).to.be.below(500);
      expect(result.level).to.equal("maximum");
      expect(result.locations).to.have.length(50);
    });

    it("reads the environment from the stack name", () => {
      expect(environmentOfStack("connectivity-prod")).to.equal("prod");
      expect(environmentOfStack("dev")).to.equal("dev");
      expect(isProdEnvironment("prod")).to.equal(true);
      expect(isProdEnvironment("Production")).to.equal(true);
      expect(isProdEnvironment("preprod")).to.equal(false);
      expect(isProdEnvironment(undefined)).to.equal(false);
    });
  });

  describe("planDirectConnectGateway", () => {
    it("plans a gateway with canonical allowed prefixes and names it after the component", () => {
      const plan = planDirectConnectGateway(
        WHERE,
        "dx",
        gateway({
          associations: { hub: tgwAssociation("tgw-0123456789abcdef0", ["10.0.0.0/8", "FD00::/56"]) },
        }),
      );
      expect(plan).to.deep.equal({
        gatewayName: "dx",
        amazonSideAsn: 64600,
        associationType: "tgw",
        associations: [
          {
            key: "hub",
            gatewayType: "tgw",
            allowedPrefixes: ["10.0.0.0/8", "fd00::/56"],
            crossAccount: false,
          },
        ],
      });
      expect(planDirectConnectGateway(WHERE, "dx", gateway()).associationType).to.equal("none");
    });

    it("refuses a public Amazon side ASN", () => {
      const error = thrown(() => planDirectConnectGateway(WHERE, "dx", gateway({ amazonSideAsn: 16509 })));
      expect(error.message).to.equal(
        `${WHERE}: 1 invalid argument\n  amazonSideAsn = 16509: Amazon side ASN must be a private ASN: 64512–65534 or 4200000000–4294967294`,
      );
    });

    it("refuses allowed prefixes that are not CIDRs, repeat, or exceed 200 on a transit gateway", () => {
      const many = Array.from({ length: MAX_TGW_ALLOWED_PREFIXES + 1 }, (_, i) => `10.${i}.0.0/16`);
      expect(() =>
        planDirectConnectGateway(
          WHERE,
          "dx",
          gateway({ associations: { a: tgwAssociation("tgw-0123456789abcdef0", many.slice(0, 200)) } }),
        ),
      ).not.to.throw();
      const error = thrown(() =>
        planDirectConnectGateway(
          WHERE,
          "dx",
          gateway({
            associations: {
              a: tgwAssociation("tgw-0123456789abcdef0", many),
              b: tgwAssociation("tgw-0123456789abcdef1", ["10.0.0.0/8", "10.0.0.0/8", "10.0.0.0"]),
            },
          }),
        ),
      );
      expect(paths(error)).to.deep.equal([
        "associations.a.allowedPrefixes",
        "associations.b.allowedPrefixes[1]",
        "associations.b.allowedPrefixes[2]",
      ]);
      expect(error.problems[0]).to.deep.include({ value: "201 prefixes" });
      expect(error.problems[0].allowed).to.match(/at most 200 allowed prefixes/);
    });

    it("does not cap a virtual private gateway's allowed prefixes at the transit gateway limit", () => {
      const many = Array.from({ length: 250 }, (_, i) => `10.${i}.0.0/16`);
      expect(() =>
        planDirectConnectGateway(
          WHERE,
          "dx",
          gateway({ associations: { a: vgwAssociation("vgw-0123456789abcdef0", many) } }),
        ),
      ).not.to.throw();
    });

    it("refuses virtual private gateways and transit gateways on one Direct Connect gateway", () => {
      const error = thrown(() =>
        planDirectConnectGateway(
          WHERE,
          "dx",
          gateway({
            associations: {
              vpc: vgwAssociation("vgw-0123456789abcdef0", ["10.1.0.0/16"]),
              hub: tgwAssociation("tgw-0123456789abcdef0"),
            },
          }),
        ),
      );
      expect(paths(error)).to.deep.equal(["associations.hub.gatewayType"]);
      expect(error.problems[0].allowed).to.match(/not both/);
    });

    it("enforces 20 virtual private gateways and 6 transit gateways per Direct Connect gateway", () => {
      const vgws = Object.fromEntries(
        Array.from({ length: MAX_VGWS_PER_DX_GATEWAY + 1 }, (_, i) => [
          `vpc${i}`,
          vgwAssociation(`vgw-${hex17(i)}`, [`10.${i}.0.0/16`]),
        ]),
      );
      expect(
        paths(thrown(() => planDirectConnectGateway(WHERE, "dx", gateway({ associations: vgws })))),
      ).to.deep.equal(["associations"]);
      const tgws = Object.fromEntries(
        Array.from({ length: MAX_TGWS_PER_DX_GATEWAY + 1 }, (_, i) => [
          `hub${i}`,
          tgwAssociation(`tgw-${hex17(i)}`),
        ]),
      );
      const error = thrown(() => planDirectConnectGateway(WHERE, "dx", gateway({ associations: tgws })));
      expect(error.problems[0]).to.deep.include({ path: "associations", value: "7 transit gateways" });
    });

    it("checks VGW allowed prefixes against the VPC CIDRs and VPCs against each other", () => {
      const error = thrown(() =>
        planDirectConnectGateway(
          WHERE,
          "dx",
          gateway({
            associations: {
              a: vgwAssociation(
                "vgw-0123456789abcdef0",
                ["10.1.0.0/24", "10.2.0.0/15"],
                ["10.1.0.0/16", "10.2.0.0/16"],
              ),
              b: vgwAssociation("vgw-0123456789abcdef1", ["10.2.0.0/16"], ["10.2.0.0/16"]),
            },
          }),
        ),
      );
      expect(error.problems.map((p) => `${p.path} = ${p.value}`)).to.deep.equal([
        "associations.a.vpcCidrs[0] = 10.1.0.0/16",
        "associations.a.allowedPrefixes[0] = 10.1.0.0/24",
        "associations.b.vpcCidrs[0] = 10.2.0.0/16",
      ]);
      expect(error.problems[2].allowed).to.match(/VPCs behind one Direct Connect gateway cannot overlap/);
    });

    it("refuses a transit gateway ASN equal to the Direct Connect gateway's, and shared across regions", () => {
      const error = thrown(() =>
        planDirectConnectGateway(
          WHERE,
          "dx",
          gateway({
            associations: {
              a: { ...tgwAssociation("tgw-0123456789abcdef0"), transitGatewayAsn: 64600 },
              b: {
                ...tgwAssociation("tgw-0123456789abcdef1"),
                transitGatewayAsn: 64700,
                region: "us-east-1",
              },
              c: {
                ...tgwAssociation("tgw-0123456789abcdef2"),
                transitGatewayAsn: 64700,
                region: "eu-west-1",
              },
              d: { ...tgwAssociation("tgw-0123456789abcdef3"), transitGatewayAsn: 1 },
            },
          }),
        ),
      );
      expect(paths(error)).to.deep.equal([
        "associations.a.transitGatewayAsn",
        "associations.c.transitGatewayAsn",
        "associations.d.transitGatewayAsn",
      ]);
    });

    it("needs both the owner account and the proposal access for a cross-account association", () => {
      const error = thrown(() =>
        planDirectConnectGateway(
          WHERE,
          "dx",
          gateway({
            associations: {
              a: { ...tgwAssociation("tgw-0123456789abcdef0"), ownerAccountId: "4444" },
              b: {
                ...tgwAssociation("tgw-0123456789abcdef1"),
                proposalAccess: { roleArn: "arn:aws:iam::444455556666:role/dx" },
              },
            },
          }),
        ),
      );
      expect(paths(error)).to.deep.equal([
        "associations.a.ownerAccountId",
        "associations.a.proposalAccess",
        "associations.b.ownerAccountId",
      ]);
    });

    it("checks the proposal access: a role ARN in the owner's account, and the gateway's Region to make it in", () => {
      const owner = { ownerAccountId: "444455556666", region: "eu-west-1" };
      const error = thrown(() =>
        planDirectConnectGateway(
          WHERE,
          "dx",
          gateway({
            associations: {
              a: { ...tgwAssociation("tgw-0123456789abcdef0"), ...owner, proposalAccess: { roleArn: "dx" } },
              b: {
                ...tgwAssociation("tgw-0123456789abcdef1"),
                ...owner,
                proposalAccess: { roleArn: "arn:aws:iam::111122223333:role/dx" },
              },
              c: {
                ...tgwAssociation("tgw-0123456789abcdef2"),
                ownerAccountId: "444455556666",
                proposalAccess: { roleArn: "arn:aws:iam::444455556666:role/dx" },
              },
            },
          }),
        ),
      );
      expect(error.problems.map((p) => `${p.path}: ${p.allowed}`)).to.deep.equal([
        "associations.a.proposalAccess.roleArn: an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>",
        "associations.b.proposalAccess.roleArn: a role in account 444455556666 (associations.b.ownerAccountId): the role's account is the account the provider acts in",
        "associations.c.region: the gateway's Region: the proposal is made in it, through a provider made from proposalAccess",
      ]);
      expect(() =>
        planDirectConnectGateway(
          WHERE,
          "dx",
          gateway({
            associations: {
              a: {
                ...tgwAssociation("tgw-0123456789abcdef0"),
                ...owner,
                proposalAccess: { roleArn: "arn:aws:iam::444455556666:role/dx" },
              },
            },
          }),
        ),
      ).not.to.throw();
    });

    it("refuses bad keys, gateway types and ids, and one gateway associated twice", () => {
      const error = thrown(() =>
        planDirectConnectGateway(
          WHERE,
          "dx",
          gateway({
            associations: {
              "bad key": tgwAssociation("tgw-0123456789abcdef0"),
              a: tgwAssociation("tgw-0123456789abcdef0"),
              b: { gatewayType: "cwan" as "tgw", gatewayId: "x", allowedPrefixes: [] },
              c: tgwAssociation("vgw-0123456789abcdef0"),
            },
          }),
        ),
      );
      expect(paths(error)).to.deep.equal([
        "associations.bad key",
        "associations.b.gatewayType",
        "associations.bad key.gatewayId",
        "associations.c.gatewayId",
      ]);
    });
  });

  describe("planVirtualInterfaces", () => {
    const VIFS = 'hybridnet:index:VirtualInterfaces "dx"';
    const spec = (over: Partial<VirtualInterfacesSpec> = {}): VirtualInterfacesSpec => ({
      type: "transit",
      dxGatewayId: "dxgw-1",
      bgpAsn: 65010,
      connections: { a: { connectionId: "dxcon-aaaaaaaa", location: "EqDC2", vlan: 100 } },
      ...over,
    });

    it("plans one VIF per connection with defaults and the resiliency of the layout", () => {
      const plan = planVirtualInterfaces(VIFS, "dx", spec());
      expect(plan).to.deep.include({
        type: "transit",
        attachTo: "dxGateway",
        addressFamily: "ipv4",
        mtu: 1500,
        bgpAsn: 65010,
      });
      expect(plan.interfaces).to.deep.equal([
        { key: "a", hosted: false, name: "dx-a", location: "EqDC2", vlan: 100, bgpAuthKeyGiven: false },
      ]);
      expect(plan.resiliency.level).to.equal("none");
    });

    it("refuses a transit VIF pointed at a virtual private gateway", () => {
      const error = thrown(() =>
        planVirtualInterfaces(
          VIFS,
          "dx",
          spec({ dxGatewayId: undefined, vpnGatewayId: "vgw-0123456789abcdef0" }),
        ),
      );
      expect(paths(error)).to.deep.equal(["vpnGatewayId", "dxGatewayId"]);
      expect(error.problems[0].allowed).to.match(/transit VIF attaches only to a Direct Connect gateway/);
    });

    it("refuses VLANs outside 1–4094 and one VLAN twice on a connection", () => {
      const error = thrown(() =>
        planVirtualInterfaces(
          VIFS,
          "dx",
          spec({
            connections: {
              a: { connectionId: "dxcon-aaaaaaaa", location: "EqDC2", vlan: 0 },
              b: { connectionId: "dxcon-aaaaaaaa", location: "EqDC2", vlan: 4095 },
              c: { connectionId: "dxcon-bbbbbbbb", location: "EqDC2", vlan: 7 },
              d: { connectionId: "dxcon-bbbbbbbb", location: "EqDC2", vlan: 7 },
            },
          }),
        ),
      );
      expect(error.problems.map((p) => `${p.path} = ${p.value}`)).to.deep.equal([
        "connections.a.vlan = 0",
        "connections.b.vlan = 4095",
        "connections.d.vlan = 7",
      ]);
    });
  });

  describe("checkDxVpnTransport", () => {
    const check = (transport: DxVpnTransportSpec, extra: Record<string, unknown> = {}) =>
      recorded((problems) =>
        checkDxVpnTransport(problems, {
          transport,
          transitGatewayId: "tgw-0123456789abcdef0",
          sites: { dc1: { ipAddress: "10.50.0.10", prefixes: ["10.10.0.0/16"] } },
          ...extra,
        }),
      );

    it("accepts a private IP VPN with a transit gateway CIDR block covered by the allowed prefixes", () => {
      expect(
        check({
          type: "private",
          dxGatewayId: "dxgw-1",
          transitGatewayCidrBlocks: ["10.255.0.0/24"],
          allowedPrefixes: ["10.0.0.0/16", "10.255.0.0/24"],
        }),
      ).to.deep.equal([]);
    });

    it("refuses small or missing transit gateway CIDR blocks, uncovered blocks and overlapping sites", () => {
      expect(
        check({ type: "private", dxGatewayId: "d", transitGatewayCidrBlocks: ["10.255.0.0/25"] }),
      ).to.deep.equal([
        "transport.transitGatewayCidrBlocks[0]: a transit gateway CIDR block is /24 or larger (IPv4), /64 or larger (IPv6)",
      ]);
      expect(check({ type: "private", transitGatewayCidrBlocks: ["fd00::/64"] })).to.deep.equal([
        "transport.dxGatewayId: the Direct Connect gateway the transit gateway is associated with (its attachment carries the tunnels), or transport.transportAttachmentId",
        "transport.transitGatewayCidrBlocks: at least one IPv4 block: the private outside addresses are IPv4",
      ]);
      const lines = check({
        type: "private",
        dxGatewayId: "d",
        transitGatewayCidrBlocks: ["10.10.0.0/24", "10.50.0.0/24"],
        allowedPrefixes: ["10.10.0.0/16"],
      });
      expect(lines.map((l) => l.split(":")[0])).to.deep.equal([
        "transport.transitGatewayCidrBlocks[1]",
        "sites.dc1.ipAddress",
        "sites.dc1.prefixes[0]",
      ]);
    });

    it("needs the public VIF's prefixes to contain every customer gateway address", () => {
      const sites = { dc1: { ipAddress: "198.51.100.10" }, dc2: { ipAddress: "203.0.113.10" } };
      expect(
        check({ type: "public", advertisedPrefixes: ["198.51.100.0/24"] }, { sites }).map(
          (l) => l.split(":")[0],
        ),
      ).to.deep.equal(["sites.dc2.ipAddress"]);
      expect(
        check(
          {
            type: "public",
            advertisedPrefixes: ["198.51.100.0/24"],
            transitGatewayCidrBlocks: ["10.0.0.0/24"],
          },
          { sites: {} },
        ),
      ).to.deep.equal([
        'transport.transitGatewayCidrBlocks: only for transport "private" (a private IP VPN over a transit VIF)',
      ]);
    });

    it("terminates a private IP VPN on a transit gateway only", () => {
      expect(
        check(
          { type: "private", dxGatewayId: "d", transitGatewayCidrBlocks: ["10.255.0.0/24"] },
          { transitGatewayId: undefined, vpnGatewayId: "vgw-0123456789abcdef0" },
        ).map((l) => l.split(":")[0]),
      ).to.deep.equal(["vpnGatewayId", "transitGatewayId"]);
    });
  });
});
