/**
 * Unknown or misspelled argument keys (arguments built from JSON or YAML) are refused before anything
 * registers, with the full argument path and the keys allowed there; Output-valued arguments are not walked.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ClientVpn } from "../components/ClientVpn";
import { DirectConnectGateway } from "../components/DirectConnectGateway";
import { DirectConnectVpn } from "../components/DirectConnectVpn";
import { GatewayEndpoints } from "../components/GatewayEndpoints";
import { ManagedVpn } from "../components/ManagedVpn";
import { PrivateLinkEndpoint } from "../components/PrivateLinkEndpoint";
import { PrivateLinkService } from "../components/PrivateLinkService";
import { TransitGatewayHub } from "../components/TransitGatewayHub";
import { TransitGatewayPeering } from "../components/TransitGatewayPeering";
import { TransitGatewayVpn } from "../components/TransitGatewayVpn";
import { VirtualInterfaces } from "../components/VirtualInterfaces";
import { VpcAttachment } from "../components/VpcAttachment";
import { VpcPeering } from "../components/VpcPeering";
import { VpnCloudHub } from "../components/VpnCloudHub";
import { checkArgumentKeys, keysOf } from "../model/argumentKeys";
import { Problems, type ValidationError } from "../model/errors";
import { builtBy, problemAt, refusedBy } from "./refusals";

/** Arguments as a YAML or JSON file gives them: untyped. */
// biome-ignore lint/suspicious/noExplicitAny: arguments from a file are untyped; that is the point
type Untyped = any;

const site = { ipAddress: "203.0.113.10", bgpAsn: 65010, prefixes: ["10.10.0.0/16"] };

describe("unknown argument keys", () => {
  describe("checkArgumentKeys", () => {
    const shape = keysOf<{ a?: number; nested?: { x?: number }; list?: { y?: number }[]; map?: unknown }>({
      a: "value",
      nested: { keys: { x: "value" } },
      list: { list: { keys: { y: "value" } } },
      map: { record: { keys: { z: "value" } } },
    });
    const problems = (value: unknown) => {
      const p = new Problems();
      checkArgumentKeys(p, shape, value);
      try {
        p.throwIfAny("here");
        return [];
      } catch (e) {
        return (e as ValidationError).problems;
      }
    };

    it("accepts known keys at every depth", () => {
      expect(problems({ a: 1, nested: { x: 1 }, list: [{ y: 1 }], map: { k: { z: 1 } } })).to.deep.equal([]);
    });

    it("names the full path of an unknown key, what it probably meant and the keys allowed", () => {
      const found = problems({
        nested: { xx: 1 },
        list: [{ y: 1 }, { why: 2 }],
        map: { k: { zz: 3 } },
        b: 4,
      });
      expect(found.map((p) => p.path)).to.deep.equal(["nested.xx", "list[1].why", "map.k.zz", "b"]);
      expect(found[0].allowed).to.equal("unknown argument; did you mean x? allowed in nested: x");
      expect(found[3].allowed).to.equal("unknown argument; did you mean a? allowed: a, list, map, nested");
    });

    it("never walks into an Output, or any object that is not plain data", () => {
      const output = pulumi.output({ anything: 1 });
      expect(problems({ nested: output, list: [output], map: { k: output } })).to.deep.equal([]);
    });

    it("shows the value of a misspelled key that may hold a secret as [secret]", () => {
      const [problem] = problems({ preSharedKey: "s3cret.value" });
      expect(problem.secret).to.equal(true);
    });
  });

  describe("components", () => {
    it("TransitGatewayVpn: refuses tunnelOptions.phase1LifetimeSecs, which used to build with the default", async () => {
      const args: Untyped = { sites: { dc1: { ...site, tunnelOptions: { phase1LifetimeSecs: 14400 } } } };
      const error = await refusedBy(
        () => new TransitGatewayVpn("hub", args),
        'hybridnet:index:TransitGatewayVpn "hub"',
      );
      problemAt(
        error,
        "sites.dc1.tunnelOptions.phase1LifetimeSecs",
        14400,
        "did you mean phase1LifetimeSeconds?",
      );
      expect(error.message).to.include(
        "allowed in sites.dc1.tunnelOptions: allowLegacyCrypto, dpdTimeoutAction,",
      );
      await builtBy(
        () =>
          new TransitGatewayVpn("hub", {
            sites: { dc1: { ...site, tunnelOptions: { phase1LifetimeSeconds: 14400 } } },
          }),
      );
    });

    it("TransitGatewayVpn: refuses an unknown top-level key and one in a tunnel", async () => {
      const args: Untyped = {
        sites: { dc1: { ...site, tunnels: [{ insideCidr: "169.254.10.0/30", psk: "x" }] } },
        ecmp: true,
      };
      const error = await refusedBy(
        () => new TransitGatewayVpn("hub", args),
        'hybridnet:index:TransitGatewayVpn "hub"',
      );
      expect(error.problems.map((p) => p.path)).to.deep.equal(["sites.dc1.tunnels[0].psk", "ecmp"]);
    });

    it("ManagedVpn: refuses a misspelled site key, and builds with Output-valued ids", async () => {
      const args: Untyped = { vpcId: "vpc-0123456789abcdef0", sites: { dc1: { ...site, bgpASN: 65010 } } };
      const error = await refusedBy(() => new ManagedVpn("corp", args), 'hybridnet:index:ManagedVpn "corp"');
      problemAt(error, "sites.dc1.bgpASN", 65010, "did you mean bgpAsn?");
      await builtBy(
        () =>
          new ManagedVpn("corp", {
            vpcId: pulumi.output("vpc-0123456789abcdef0"),
            routeTableIds: { private: pulumi.output("rtb-0123456789abcdef0") },
            sites: { dc1: site },
          }),
      );
    });

    it("VpnCloudHub: refuses an unknown key in securityGroupIngress.ports", async () => {
      const args: Untyped = {
        vpcId: "vpc-0123456789abcdef0",
        vpcCidrs: ["10.0.0.0/16"],
        sites: { b1: site },
        securityGroupIngress: {
          securityGroupId: "sg-0123456789abcdef0",
          ports: [{ protocol: "tcp", port: 443 }],
        },
      };
      const error = await refusedBy(() => new VpnCloudHub("br", args), 'hybridnet:index:VpnCloudHub "br"');
      problemAt(
        error,
        "securityGroupIngress.ports[0].port",
        443,
        "allowed in securityGroupIngress.ports[0]: description, fromPort, protocol, toPort",
      );
    });

    it("DirectConnectVpn: refuses an unknown key in transport", async () => {
      const args: Untyped = {
        transport: { type: "public", advertisedPrefixes: ["198.51.100.0/24"], prefixes: [] },
        vpnGatewayId: "vgw-0123456789abcdef0",
        sites: { dc1: { ...site, ipAddress: "198.51.100.10" } },
      };
      const error = await refusedBy(
        () => new DirectConnectVpn("dxvpn", args),
        'hybridnet:index:DirectConnectVpn "dxvpn"',
      );
      problemAt(
        error,
        "transport.prefixes",
        [],
        "allowed in transport: advertisedPrefixes, allowedPrefixes,",
      );
    });
  });

  describe("every other component", () => {
    // Each: the component, arguments with one misspelled key (the rest may be incomplete: unknown keys are
    // refused first), the path named and the keys that error lists as allowed there.
    const cases: [string, (args: Untyped) => unknown, Untyped, string, string][] = [
      [
        "ClientVpn",
        (a) => new ClientVpn("c", a),
        { authentication: { mutualTLS: { clientRootCertificateChainArn: "arn" } } },
        "authentication.mutualTLS",
        "did you mean mutualTls? allowed in authentication: mutualTls, saml",
      ],
      [
        "DirectConnectGateway",
        (a) => new DirectConnectGateway("c", a),
        { amazonSideAsn: 64512, associations: { hub: { gatewayType: "tgw", allowedPrefix: [] } } },
        "associations.hub.allowedPrefix",
        "did you mean allowedPrefixes?",
      ],
      [
        "GatewayEndpoints",
        (a) => new GatewayEndpoints("c", a),
        { vpcId: "vpc-1", region: "us-east-1", routeTableIds: {}, service: ["s3"] },
        "service",
        "did you mean services?",
      ],
      [
        "PrivateLinkEndpoint",
        (a) => new PrivateLinkEndpoint("c", a),
        { subnets: [{ availabilityZone: "use1-az1", subnetId: "subnet-1", ipAddress: "10.0.0.5" }] },
        "subnets[0].ipAddress",
        "allowed in subnets[0]: availabilityZone, cidr, ipv4Address, subnetId",
      ],
      [
        "PrivateLinkService",
        (a) => new PrivateLinkService("c", a),
        { targetGroups: { web: { port: 443, healthCheck: { intervalSecs: 10 } } } },
        "targetGroups.web.healthCheck.intervalSecs",
        "did you mean intervalSeconds?",
      ],
      [
        "TransitGatewayHub",
        (a) => new TransitGatewayHub("c", a),
        { segments: {}, allowExternalPrincipal: true },
        "allowExternalPrincipal",
        "did you mean allowExternalPrincipals?",
      ],
      [
        "TransitGatewayPeering",
        (a) => new TransitGatewayPeering("c", a),
        { local: { transitGatewayId: "tgw-1", regoin: "us-east-1" }, peer: {} },
        "local.regoin",
        "did you mean region?",
      ],
      [
        "VirtualInterfaces",
        (a) => new VirtualInterfaces("c", a),
        { type: "transit", connections: { a: { location: "EqDC2", bgpAuthkey: "k" } } },
        "connections.a.bgpAuthkey",
        "did you mean bgpAuthKey?",
      ],
      [
        "VpcAttachment",
        (a) => new VpcAttachment("c", a),
        { vpcId: "vpc-1", segment: "prod", applianceMode: true },
        "applianceMode",
        "did you mean applianceModeSupport?",
      ],
      [
        "VpcPeering",
        (a) => new VpcPeering("c", a),
        { requester: { vpcId: "vpc-1" }, accepter: { vpcId: "vpc-2", routeTable: {} } },
        "accepter.routeTable",
        "did you mean routeTables?",
      ],
    ];
    for (const [component, build, args, path, allowed] of cases)
      it(`${component}: refuses ${path} before anything registers`, async () => {
        const error = await refusedBy(() => build(args), `hybridnet:index:${component} "c"`);
        expect(error.problems.map((p) => p.path)).to.deep.equal([path]);
        expect(error.problems[0].allowed).to.include(allowed);
      });
  });
});
