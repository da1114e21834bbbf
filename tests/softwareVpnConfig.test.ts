/**
 * A workload's software VPN from stack config (`hybridnet:softwareVpn`): the setting's checks (good and bad
 * values, each naming the config path, the value and what is allowed), the public subnets it adds to the VPC's
 * layout, and the appliance's own strongSwan + FRR configuration rendered from it by model/deviceConfig. Pure:
 * no mock runtime (tests/stagingEnvironment.test.ts plans the reference stack that declares one).
 */
import { expect } from "chai";
import { renderDeviceConfig } from "../model/deviceConfig";
import { cliConfig, readStackFiles } from "../model/environment";
import { ValidationError } from "../model/errors";
import { applianceDeviceSite, withPresharedKeys } from "../model/softwareVpn/fromConfig";
import { parseStackConfig, type WorkloadConfig } from "../model/stackConfig";
import { SECURE_TUNNEL_DEFAULTS } from "../model/tunnelOptions";
import { planVpcLayout } from "../model/vpcLayout";
import { STACKS_DIR } from "./environment";
import { configRefused, onlyProblem, problemAt } from "./refusals";

const STACK = "workload-web-staging";
const base = Object.fromEntries(readStackFiles(STACKS_DIR, "staging").map((f) => [f.stack, f.config]))[STACK];
const setting = () => JSON.parse(base["hybridnet:softwareVpn"]);

/** The staging web stack's config with `hybridnet:<key>` set to `value`. */
function withValue(key: string, value: unknown): Record<string, string> {
  return { ...base, ...cliConfig({ [`hybridnet:${key}`]: value }) };
}

const refused = (config: Record<string, string>) => configRefused(STACK, config);

describe("hybridnet:softwareVpn (a workload's software VPN appliance pair)", () => {
  describe("the setting", () => {
    it("accepts the staging web stack's partner VPN as written", () => {
      const settings = parseStackConfig(STACK, base);
      const vpn = (settings.config as WorkloadConfig).softwareVpn;
      expect(vpn).to.deep.equal({
        appliance: { bgpAsn: 65030, instanceType: "t3.small" },
        remote: { bgpAsn: 65300, prefixes: ["172.27.0.0/16"] },
        peers: {
          partner: { ipAddress: "198.51.100.60", insideCidrs: ["169.254.200.0/30", "169.254.200.4/30"] },
        },
      });
    });

    it("refuses a previous-generation instance type and a nano, saying which types run an appliance", () => {
      const vpn = setting();
      vpn.appliance.instanceType = "t2.micro";
      const error = refused(withValue("softwareVpn", vpn));
      onlyProblem(
        error,
        "hybridnet:softwareVpn.appliance.instanceType",
        "t2.micro",
        "t2 is a previous generation (Xen, no ENA guarantee); a current-generation Nitro type for a router",
      );
      vpn.appliance.instanceType = "t3.nano";
      problemAt(
        refused(withValue("softwareVpn", vpn)),
        "hybridnet:softwareVpn.appliance.instanceType",
        "t3.nano",
        "nano has 0.5 GiB of memory",
      );
    });

    it("refuses a reserved or malformed tunnel inside CIDR, and one used twice", () => {
      const vpn = setting();
      vpn.peers.partner.insideCidrs = ["169.254.169.252/30", "169.254.200.1/29"];
      const error = refused(withValue("softwareVpn", vpn));
      problemAt(
        error,
        "hybridnet:softwareVpn.peers.partner.insideCidrs[0]",
        "169.254.169.252/30",
        "reserved by AWS; use a /30 in 169.254.0.0/16 outside the AWS-reserved",
      );
      problemAt(
        error,
        "hybridnet:softwareVpn.peers.partner.insideCidrs[1]",
        "169.254.200.1/29",
        "use a /30 in 169.254.0.0/16",
      );
      vpn.peers.partner.insideCidrs = ["169.254.200.0/30", "169.254.200.4/30"];
      vpn.peers.second = {
        ipAddress: "198.51.100.61",
        insideCidrs: ["169.254.200.8/30", "169.254.200.4/30"],
      };
      onlyProblem(
        refused(withValue("softwareVpn", vpn)),
        "hybridnet:softwareVpn.peers.second.insideCidrs[1]",
        "169.254.200.4/30",
        "overlaps 169.254.200.4/30 (peers.partner.insideCidrs[1]); every tunnel of the appliances needs its own /30",
      );
      vpn.peers.second.insideCidrs = ["169.254.200.8/30"];
      onlyProblem(
        refused(withValue("softwareVpn", vpn)),
        "hybridnet:softwareVpn.peers.second.insideCidrs",
        ["169.254.200.8/30"],
        "two /30s: the tunnel to the primary, then the tunnel to the standby",
      );
    });

    it("refuses one ASN on both sides, remote prefixes inside the VPC, and a private peer address", () => {
      const vpn = setting();
      vpn.remote.bgpAsn = 65030;
      vpn.remote.prefixes = ["10.50.8.0/24"];
      const error = refused(withValue("softwareVpn", vpn));
      problemAt(
        error,
        "hybridnet:softwareVpn.remote.bgpAsn",
        65030,
        "equals the appliance's ASN 65030 (hybridnet:softwareVpn.appliance.bgpAsn); a BGP session needs two different ASNs",
      );
      problemAt(
        error,
        "hybridnet:softwareVpn.remote.prefixes[0]",
        "10.50.8.0/24",
        "overlaps the workload VPC 10.50.0.0/16 (hybridnet:vpc.cidr)",
      );
      expect(error.problems).to.have.length(2);
      const peer = setting();
      peer.peers.partner.ipAddress = "10.1.1.1";
      problemAt(
        refused(withValue("softwareVpn", peer)),
        "hybridnet:softwareVpn.peers.partner.ipAddress",
        "10.1.1.1",
        "not internet-routable",
      );
    });

    it("refuses appliance zones outside the VPC or one zone twice", () => {
      const vpn = setting();
      vpn.appliance.zones = ["euw1-az1", "euw1-az3"];
      onlyProblem(
        refused(withValue("softwareVpn", vpn)),
        "hybridnet:softwareVpn.appliance.zones[1]",
        "euw1-az3",
        "a zone of the VPC (hybridnet:vpc.availabilityZones: euw1-az1, euw1-az2)",
      );
      vpn.appliance.zones = ["euw1-az2", "euw1-az2"];
      onlyProblem(
        refused(withValue("softwareVpn", vpn)),
        "hybridnet:softwareVpn.appliance.zones[1]",
        "euw1-az2",
        "another zone than the primary's",
      );
    });

    it("refuses a /24 VPC in three zones, which has no room for the public subnets", () => {
      const config = withValue("vpc", {
        cidr: "10.50.0.0/24",
        availabilityZones: ["euw1-az1", "euw1-az2", "euw1-az3"],
      });
      const error = refused({
        ...config,
        ...cliConfig({
          "hybridnet:service": { port: 443, targets: { "web-1": { ip: "10.50.0.10" } } },
        }),
      });
      onlyProblem(
        error,
        "hybridnet:vpc.cidr",
        "10.50.0.0/24",
        "hybridnet:softwareVpn needs public subnets: the VPC 10.50.0.0/24 has room for 1 public /28 beside its 3 transit /28s (its fourth quarter holds 4); use a /23 or larger VPC, or fewer zones",
      );
    });

    it("refuses a pre-shared key in config without printing it: keys are generated", () => {
      const vpn = setting();
      vpn.peers.partner.presharedKey = "Sup3rSecretKey_0123456789";
      const error = refused(withValue("softwareVpn", vpn));
      const problem = onlyProblem(
        error,
        "hybridnet:softwareVpn.peers.partner.presharedKey",
        "Sup3rSecretKey_0123456789",
        "not a setting here; the settings here are ipAddress, insideCidrs",
      );
      expect(problem.secret).to.equal(true);
      expect(error.message).to.not.include("Sup3rSecretKey");
    });

    it("requires alarm actions in production, as for the workload's managed VPN", () => {
      const prod = Object.fromEntries(readStackFiles(STACKS_DIR, "prod").map((f) => [f.stack, f.config]))[
        "workload-payments-prod"
      ];
      const vpn = setting();
      vpn.appliance.zones = undefined;
      const config = { ...prod, ...cliConfig({ "hybridnet:softwareVpn": vpn }) };
      const error = configRefused("workload-payments-prod", config);
      problemAt(error, "hybridnet:alarms.actions", undefined, "required in production");
    });
  });

  describe("the VPC layout's public subnets", () => {
    it("puts a public /28 per zone at the end of the fourth quarter, the first zone's last", () => {
      const layout = planVpcLayout("t", {
        cidr: "10.0.0.0/24",
        availabilityZones: ["use1-az1", "use1-az2"],
        publicZones: ["use1-az1", "use1-az2"],
      });
      // 10.0.0.0/24: quarters /26; the fourth is 10.0.0.192/26 with four /28s: transit .192 and .208, public
      // .240 (first zone) and .224.
      expect(layout.tiers).to.deep.equal({
        private: { "use1-az1": "10.0.0.0/26", "use1-az2": "10.0.0.64/26" },
        transit: { "use1-az1": "10.0.0.192/28", "use1-az2": "10.0.0.208/28" },
        public: { "use1-az1": "10.0.0.240/28", "use1-az2": "10.0.0.224/28" },
      });
      expect(layout.subnets.filter((s) => s.tier === "public").map((s) => s.key)).to.deep.equal([
        "public-use1-az1",
        "public-use1-az2",
      ]);
      // Without public zones, the layout is what it always was.
      const plain = planVpcLayout("t", { cidr: "10.0.0.0/24", availabilityZones: ["use1-az1", "use1-az2"] });
      expect(plain.tiers).to.not.have.property("public");
      expect(plain.subnets).to.have.length(4);
    });

    it("refuses public subnets where the fourth quarter has no room for them", () => {
      expect(() =>
        planVpcLayout("t", {
          cidr: "10.0.0.0/24",
          availabilityZones: ["use1-az1", "use1-az2", "use1-az3"],
          publicZones: ["use1-az1", "use1-az2", "use1-az3"],
        }),
      )
        .to.throw(ValidationError)
        .with.property("message")
        .that.includes("has room for 1 public /28 beside its 3 transit /28s");
    });
  });

  describe("the appliance's own configuration (model/softwareVpn/fromConfig)", () => {
    const input = {
      stack: STACK,
      name: "web-swvpn",
      asn: 65030,
      advertised: ["10.50.0.0/16"],
      remote: { bgpAsn: 65300, prefixes: ["172.27.0.0/16"] },
      peers: {
        partner: { ipAddress: "198.51.100.60", insideCidrs: ["169.254.200.0/30", "169.254.200.4/30"] },
      },
      options: SECURE_TUNNEL_DEFAULTS,
      privateIps: { primary: "10.50.255.254", standby: "10.50.255.238" },
    };

    it("makes each instance the device of one tunnel to each peer, on its own inside /30", () => {
      const primary = applianceDeviceSite(input, "primary");
      const standby = applianceDeviceSite(input, "standby");
      expect(primary).to.deep.include({
        component: 'hybridnet:index:SoftwareVpnAppliance "web-swvpn"',
        site: "primary",
        customerOutsideAddress: "10.50.255.254",
        customerAsn: 65030,
        awsAsn: 65300,
        routing: "bgp",
        customerPrefixes: ["10.50.0.0/16"],
        awsPrefixes: ["172.27.0.0/16"],
        unanchoredPrefixes: true,
      });
      // The appliance takes the first address of the /30, the peer the second.
      expect(
        [primary, standby].map((s) => {
          const t = s.connections[0].tunnels[0];
          return [s.connections[0].key, t.awsOutsideAddress, t.customerInsideAddress, t.awsInsideAddress];
        }),
      ).to.deep.equal([
        ["partner", "198.51.100.60", "169.254.200.1", "169.254.200.2"],
        ["partner", "198.51.100.60", "169.254.200.5", "169.254.200.6"],
      ]);
      expect(primary.connections[0].tunnels[0]).to.not.have.property("presharedKey");
    });

    it("renders swanctl.conf and frr.conf with the private address as local address and the keys given", () => {
      const site = withPresharedKeys(applianceDeviceSite(input, "standby"), {
        partner: "k3yForThePartner0123",
      });
      const { files } = renderDeviceConfig(site, "strongswan");
      const swanctl = files["swanctl.conf"];
      expect(swanctl).to.include("    local_addrs = 10.50.255.238\n");
      expect(swanctl).to.include("    remote_addrs = 198.51.100.60\n");
      expect(swanctl).to.include('    secret = "k3yForThePartner0123"\n');
      expect(swanctl).to.not.include("<psk-");
      const frr = files["frr.conf"];
      expect(frr).to.include("router bgp 65030\n");
      expect(frr).to.include(" neighbor 169.254.200.6 remote-as 65300\n");
      expect(frr).to.include("  network 10.50.0.0/16\n");
      // In a VPC the instance routes the VPC through the VPC router: a blackhole anchor would swallow it.
      expect(frr).to.include(" no bgp network import-check\n");
      expect(frr).to.not.include("blackhole");
    });
  });
});
