/**
 * The connectivity stack's options beyond dev and prod, from stack config: transit gateways in other Regions
 * and their peering route plan (model/regions), workloads in another Region, Direct Connect on a virtual private
 * gateway with private and public VIFs, per-site tunnel options and inside CIDRs, and the Client VPN's
 * settings. Each has a passing case (the staging stack file) and failing ones naming the config path, the value
 * and what is allowed; the component checks run from the stack before anything registers.
 */
import { expect } from "chai";
import { cliConfig, readStackFiles } from "../model/environment";
import { Problems, ValidationError } from "../model/errors";
import { planTransitGatewayPeering } from "../model/peering";
import { planRegionPeering } from "../model/regions";
import { parseStackConfig } from "../model/stackConfig";
import { resolveSegments } from "../model/transitGateway";
import { STACKS_DIR } from "./environment";
import { configRefused, problemAt, stackRefused } from "./refusals";

const STACK = "connectivity-staging";
const staging = Object.fromEntries(readStackFiles(STACKS_DIR, "staging").map((f) => [f.stack, f.config]));
const base = staging[STACK];

/** Parsed stack-file YAML, as the tests edit it: any shape, changed in place. */
// biome-ignore lint/suspicious/noExplicitAny: a test edits arbitrary parsed config
type Yaml = Record<string, any>;

/** The staging connectivity config with `key`'s object changed by `change`. */
function edited(key: string, change: (value: Yaml) => unknown): Record<string, string> {
  const value = JSON.parse(base[key]) as Yaml;
  return { ...base, ...cliConfig({ [key]: change(structuredClone(value)) }) };
}

const refused = (config: Record<string, string>) => configRefused(STACK, config);
const refusedByStack = async (config: Record<string, string>) => (await stackRefused(STACK, config)).error;

const SEGMENTS = {
  onprem: { isolated: true, reaches: ["shared"] },
  shared: {},
  workloads: { isolated: true, reaches: ["shared"] },
};

describe("connectivity options from stack config", function () {
  this.timeout(120_000);

  describe("config (model/stackConfig)", () => {
    it("accepts the staging stack file with every new option set", () => {
      const settings = parseStackConfig(STACK, base);
      if (settings.role !== "connectivity") return expect.fail("not a connectivity stack");
      const c = settings.config;
      expect(c.hub.regions).to.deep.equal({ "eu-central-1": { amazonSideAsn: 64521 } });
      expect(c.workloads.analytics.region).to.equal("eu-central-1");
      expect(c.directConnect?.gateway).to.equal("vgw");
      expect(c.directConnect?.publicVifs?.advertisedPrefixes).to.deep.equal(["192.0.1.0/28"]);
      expect(c.vpn.sites.lon1.tunnels).to.deep.equal([
        { insideCidr: "169.254.40.0/30" },
        { insideCidr: "169.254.40.4/30" },
      ]);
      expect(c.vpn.sites.lon1.tunnelOptions?.startupAction).to.equal("start");
      expect(c.clientVpn?.samlProviderArn).to.equal("arn:aws:iam::444455556666:saml-provider/corp-idp");
      expect(c.clientVpn?.authorizationRules?.staff.groupId).to.equal("staff");
    });

    it("refuses a region key that is not a Region, the hub's own Region, and an ASN another gateway has", () => {
      const error = refused(
        edited("hybridnet:hub", (hub) => ({
          ...hub,
          regions: { "eu-centre": { amazonSideAsn: 64530 }, "eu-west-1": { amazonSideAsn: 64520 } },
        })),
      );
      problemAt(error, "hybridnet:hub.regions.eu-centre", "eu-centre", "a key that is a Region code");
      problemAt(error, "hybridnet:hub.regions.eu-west-1", "eu-west-1", "a Region other than the hub's own");
      problemAt(
        error,
        "hybridnet:hub.regions.eu-west-1.amazonSideAsn",
        64520,
        "hybridnet:hub.amazonSideAsn has it",
      );
    });

    it("refuses a workload in a Region without a transit gateway of the environment", () => {
      const error = refused(
        edited("hybridnet:workloads", (w) => ({ ...w, analytics: { ...w.analytics, region: "us-west-2" } })),
      );
      problemAt(error, "hybridnet:workloads.analytics.region", "us-west-2", "eu-west-1, eu-central-1");
    });

    it('refuses VPN settings on a "vgw" Direct Connect site, and a "tgw" site without its device address', () => {
      const vgw = refused(
        edited("hybridnet:directConnect", (dx) => ({
          ...dx,
          sites: { colo1: { ...dx.sites.colo1, ipAddress: "172.25.255.10", tunnels: [{}] } },
        })),
      );
      problemAt(
        vgw,
        "hybridnet:directConnect.sites.colo1.ipAddress",
        "172.25.255.10",
        'only with gateway "tgw"',
      );
      problemAt(vgw, "hybridnet:directConnect.sites.colo1.tunnels", [{}], 'only with gateway "tgw"');
      const tgw = refused(
        edited("hybridnet:directConnect", (dx) => ({
          ...dx,
          gateway: "tgw",
          sites: { lon1: dx.sites.colo1 },
        })),
      );
      problemAt(tgw, "hybridnet:directConnect.sites.lon1.ipAddress", undefined, "required");
      problemAt(tgw, "hybridnet:directConnect.vpnGatewayAsn", 64522, 'only with gateway "vgw"');
    });

    it("refuses a public VIF on a VLAN a private VIF already has on that connection", () => {
      const error = refused(
        edited("hybridnet:directConnect", (dx) => {
          dx.publicVifs.connections.lhr.vlan = 201;
          return dx;
        }),
      );
      problemAt(
        error,
        "hybridnet:directConnect.publicVifs.connections.lhr.vlan",
        201,
        "a VLAN is unique per connection",
      );
    });

    it("refuses a Client VPN with both authentications, and groups without SAML", () => {
      const both = refused(
        edited("hybridnet:clientVpn", (v) => ({
          ...v,
          clientRootCertificateChainArn:
            "arn:aws:acm:eu-west-1:444455556666:certificate/66666666-7777-8888-9999-000000000000",
        })),
      );
      problemAt(both, "hybridnet:clientVpn", "both", "exactly one of clientRootCertificateChainArn");
      const mtls = refused(
        edited("hybridnet:clientVpn", ({ samlProviderArn: _saml, ...v }) => ({
          ...v,
          clientRootCertificateChainArn:
            "arn:aws:acm:eu-west-1:444455556666:certificate/66666666-7777-8888-9999-000000000000",
        })),
      );
      problemAt(
        mtls,
        "hybridnet:clientVpn.authorizationRules.staff.groupId",
        "staff",
        "mutual TLS has no groups",
      );
      problemAt(mtls, "hybridnet:clientVpn.selfServicePortal", true, "only with samlProviderArn");
      const port = refused(edited("hybridnet:clientVpn", (v) => ({ ...v, vpnPort: 8443 })));
      problemAt(port, "hybridnet:clientVpn.vpnPort", 8443, "443 or 1194");
    });

    it("refuses a third tunnel, an unknown IKE version, and a pre-shared key in plaintext without printing it", () => {
      const error = refused(
        edited("hybridnet:vpn", (vpn) => {
          const lon1 = vpn.sites.lon1;
          lon1.tunnels = [{}, {}, { presharedKey: "plaintext.key.1" }];
          lon1.tunnelOptions.ikeVersions = ["ikev3"];
          return vpn;
        }),
      );
      problemAt(
        error,
        "hybridnet:vpn.sites.lon1.tunnels",
        [{}, {}, { presharedKey: "plaintext.key.1" }],
        "at most two tunnels",
      );
      problemAt(error, "hybridnet:vpn.sites.lon1.tunnelOptions.ikeVersions[0]", "ikev3", '"ikev1", "ikev2"');
      expect(error.message).not.to.include("plaintext.key.1");
    });
  });

  describe("component checks at config paths, before anything registers", () => {
    it("refuses tunnel options AWS refuses and an inside CIDR AWS reserves, at the site's config path", async () => {
      const error = await refusedByStack(
        edited("hybridnet:vpn", (vpn) => {
          vpn.sites.lon1.tunnelOptions.phase1LifetimeSeconds = 600;
          vpn.sites.lon1.tunnels[1].insideCidr = "169.254.169.252/30";
          return vpn;
        }),
      );
      problemAt(error, "hybridnet:vpn.sites.lon1.tunnelOptions.phase1LifetimeSeconds", 600, "900");
      problemAt(error, "hybridnet:vpn.sites.lon1.tunnels[1].insideCidr", "169.254.169.252/30", "reserved");
    });

    it("refuses allowed prefixes narrower than the VPC on a virtual private gateway, and a private public-VIF prefix", async () => {
      const error = await refusedByStack(
        edited("hybridnet:directConnect", (dx) => {
          dx.allowedPrefixes = ["10.40.0.0/24"];
          dx.publicVifs.advertisedPrefixes = ["10.99.0.0/24"];
          return dx;
        }),
      );
      problemAt(
        error,
        "hybridnet:directConnect.allowedPrefixes[0]",
        "10.40.0.0/24",
        "narrower than the VPC CIDR",
      );
      problemAt(error, "hybridnet:vpc.cidr", "10.40.0.0/20", "not covered by an allowed prefix");
      problemAt(
        error,
        "hybridnet:directConnect.publicVifs.advertisedPrefixes[0]",
        "10.99.0.0/24",
        "not internet-routable",
      );
    });

    it("refuses three DNS servers for Client VPN users at hybridnet:clientVpn.dnsServers", async () => {
      const error = await refusedByStack(
        edited("hybridnet:clientVpn", (v) => ({ ...v, dnsServers: ["10.40.0.2", "10.40.0.3", "10.40.0.4"] })),
      );
      problemAt(
        error,
        "hybridnet:clientVpn.dnsServers",
        ["10.40.0.2", "10.40.0.3", "10.40.0.4"],
        "at most 2 IPv4",
      );
    });
  });

  describe("inter-Region route plan (model/regions)", () => {
    const problems = new Problems();
    const segments = resolveSegments(problems, SEGMENTS);
    const hub = { shared: ["10.40.0.0/20"], onprem: ["172.24.0.0/16"], workloads: ["10.50.0.0/16"] };

    it("routes each segment only to what the segment policy lets it reach, both ways, associated with shared", () => {
      expect(problems.count).to.equal(0);
      const plan = planRegionPeering(segments, "shared", hub, { workloads: ["10.60.0.0/16"] });
      expect(plan).to.deep.equal({
        associationSegment: "shared",
        // The hub: only the shared table routes to the other Region's workload (workloads never reach each
        // other; on-premises reaches shared only).
        hubRoutes: { shared: ["10.60.0.0/16"] },
        // The other Region: its workloads reach the connectivity VPC; its shared table reaches everything.
        regionRoutes: {
          onprem: ["10.40.0.0/20"],
          shared: ["10.40.0.0/20", "10.50.0.0/16", "172.24.0.0/16"],
          workloads: ["10.40.0.0/20"],
        },
        hubCidrs: ["10.40.0.0/20", "10.50.0.0/16", "172.24.0.0/16"],
        regionCidrs: ["10.60.0.0/16"],
        complete: true,
      });
    });

    it("is incomplete while the other Region has nothing attached, and keeps isolated segments apart", () => {
      expect(planRegionPeering(segments, "shared", hub, {}).complete).to.equal(false);
      // Association with an isolated segment that reaches only shared: nothing but shared members cross.
      const plan = planRegionPeering(segments, "workloads", hub, { workloads: ["10.60.0.0/16"] });
      expect(plan.hubRoutes).to.deep.equal({});
      expect(plan.complete).to.equal(false);
    });
  });

  describe("transit gateway peering per-table destinations (model/peering)", () => {
    const side = (region: string, cidrs: string[], tables: Record<string, string>) => ({
      transitGatewayId: `tgw-0${region === "eu-west-1" ? "1" : "2"}234567890abcdef`,
      region,
      cidrs,
      associationRouteTableId: "tgw-rtb-01234567890abcdef",
      routeTables: tables,
    });
    const local = side("eu-west-1", ["10.40.0.0/20", "10.50.0.0/16"], {
      shared: "tgw-rtb-0aaaaaaaaaaaaaaaa",
    });
    const peer = {
      ...side("eu-central-1", ["10.60.0.0/16"], {
        shared: "tgw-rtb-0bbbbbbbbbbbbbbbb",
        workloads: "tgw-rtb-0cccccccccccccccc",
      }),
      access: { roleArn: "arn:aws:iam::111122223333:role/network" },
    };

    it("gives each table only its destinations", () => {
      const plan = planTransitGatewayPeering("peering", {
        local,
        peer: {
          ...peer,
          destinations: { shared: ["10.40.0.0/20", "10.50.0.0/16"], workloads: ["10.40.0.0/20"] },
        },
      });
      expect(plan.routes.map((r) => r.id)).to.deep.equal([
        "local:shared:10.60.0.0/16",
        "peer:shared:10.40.0.0/20",
        "peer:shared:10.50.0.0/16",
        "peer:workloads:10.40.0.0/20",
      ]);
    });

    it("refuses a destination the other side does not have, and a table with no entry", () => {
      try {
        planTransitGatewayPeering("peering", {
          local,
          peer: { ...peer, destinations: { shared: ["10.70.0.0/16"] } },
        });
        expect.fail("accepted");
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        problemAt(e, "peer.destinations.shared[0]", "10.70.0.0/16", "one of local.cidrs");
        problemAt(e, "peer.destinations", { shared: ["10.70.0.0/16"] }, "workloads has none");
      }
    });
  });
});
