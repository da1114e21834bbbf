/**
 * The software VPN appliance pair as plain data (model/softwareVpn): what its arguments must be, the plan a
 * component registers (security group rules, routes, failover timing), the instance role's policy and the
 * cloud-init user data, parsed back as YAML. Values come from the AWS and Debian documentation: a subnet
 * 10.0.0.0/24 whose first four and last addresses AWS reserves, zone ids use1-az1/use1-az2, IKE on UDP 500,
 * NAT-T on UDP 4500, ESP as IP protocol 50, Debian's public SSM parameter for its AMIs.
 */
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { expect } from "chai";
import * as yaml from "js-yaml";
import { parseCidr } from "../model/addressing";
import { xfrmInterfacesOf } from "../model/deviceConfig/strongswan";
import { Problems, ValidationError } from "../model/errors";
import {
  architectureOf,
  debianAmiParameter,
  instanceTypeProblem,
  planSoftwareVpnAppliance,
  routeTableArn,
  type SoftwareVpnApplianceSpec,
  subnetAddressProblem,
  watchdogPolicyDocument,
} from "../model/softwareVpn/appliance";
import { applianceConfigFiles, applianceDeviceSite } from "../model/softwareVpn/managedVpnSite";
import {
  type CloudConfig,
  compressUserData,
  renderApplianceUserData,
  userDataBase64,
  userDataBytes,
  userDataSizeProblem,
  WATCHDOG_ENV_PATH,
  XFRM_PROGRAM_PATH,
} from "../model/softwareVpn/userData";
import { resolveTunnelOptions } from "../model/tunnelOptions";

const WHERE = 'hybridnet:index:SoftwareVpnAppliance "edge"';

const spec = (over: Partial<SoftwareVpnApplianceSpec> = {}): SoftwareVpnApplianceSpec => ({
  primary: {
    availabilityZoneId: "use1-az1",
    subnetId: "subnet-0aaaaaaaaaaaaaaaa",
    subnetCidr: "10.0.0.0/24",
    configFiles: { "swanctl.conf": "connections {}\n", "frr.conf": "router bgp 65010\n" },
  },
  standby: {
    availabilityZoneId: "use1-az2",
    subnetId: "subnet-0bbbbbbbbbbbbbbbb",
    subnetCidr: "10.0.1.0/24",
    configFiles: { "swanctl.conf": "connections {}\n" },
  },
  peers: {
    dc1: { address: "203.0.113.10" },
    dc2: { address: "198.51.100.20/32", description: "Frankfurt DC" },
  },
  forwardedCidrs: ["10.0.0.0/16"],
  routeTableIds: { private: "rtb-0123456789abcdef0" },
  destinationCidrs: ["192.168.0.0/16", "172.16.0.0/12"],
  ...over,
});

function refused(s: SoftwareVpnApplianceSpec): ValidationError {
  try {
    planSoftwareVpnAppliance(WHERE, s);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  return expect.fail("accepted");
}

function problemPaths(e: ValidationError): string[] {
  return e.problems.map((p) => p.path);
}

describe("software VPN appliance model", () => {
  describe("the plan", () => {
    const plan = planSoftwareVpnAppliance(WHERE, spec());

    it("places the primary and standby in their two zones at the subnets' last usable addresses", () => {
      // AWS reserves 10.0.0.255 (broadcast) of 10.0.0.0/24: the last usable address is 10.0.0.254.
      expect(
        plan.instances.map((i) => [i.role, i.availabilityZoneId, i.privateIp, i.peerPrivateIp]),
      ).to.deep.equal([
        ["primary", "use1-az1", "10.0.0.254", "10.0.1.254"],
        ["standby", "use1-az2", "10.0.1.254", "10.0.0.254"],
      ]);
      expect(plan.instances[0].files).to.deep.equal([
        { key: "frr.conf", path: "/etc/frr/frr.conf" },
        { key: "swanctl.conf", path: "/etc/swanctl/conf.d/hybridnet.conf" },
      ]);
      expect(plan.instances.map((i) => i.frr)).to.deep.equal([true, false]);
    });

    it("admits IKE (UDP 500), NAT-T (UDP 4500) and ESP (protocol 50) from each peer's /32 only", () => {
      const fromPeers = plan.ingress.filter((r) => r.cidr?.endsWith("/32"));
      expect(fromPeers.map((r) => [r.protocol, r.fromPort, r.cidr])).to.deep.equal([
        ["udp", 500, "203.0.113.10/32"],
        ["udp", 4500, "203.0.113.10/32"],
        ["50", undefined, "203.0.113.10/32"],
        ["udp", 500, "198.51.100.20/32"],
        ["udp", 4500, "198.51.100.20/32"],
        ["50", undefined, "198.51.100.20/32"],
      ]);
      expect(fromPeers[5].description).to.equal("ESP from Frankfurt DC");
      // Forwarded traffic from the VPC, and the watchdog's pings between the pair: nothing else, never a /0.
      expect(
        plan.ingress
          .filter((r) => !r.cidr?.endsWith("/32"))
          .map((r) => [r.key, r.protocol, r.cidr ?? "self"]),
      ).to.deep.equal([
        ["fwd-10-0-0-0-16", "-1", "10.0.0.0/16"],
        ["health", "icmp", "self"],
      ]);
      expect(plan.ingress.some((r) => r.cidr === "0.0.0.0/0")).to.equal(false);
    });

    it("sends to the peers, the VPC, the other instance, and HTTPS/HTTP for the EC2 API and Debian's mirrors", () => {
      expect(plan.egress.map((r) => r.key)).to.deep.equal([
        "ike-dc1",
        "natt-dc1",
        "esp-dc1",
        "ike-dc2",
        "natt-dc2",
        "esp-dc2",
        "fwd-10-0-0-0-16",
        "health",
        "https",
        "http",
      ]);
    });

    it("routes every destination of every route table to the active instance", () => {
      expect(plan.routes).to.deep.equal([
        { key: "private-192-168-0-0-16", routeTableKey: "private", destination: "192.168.0.0/16" },
        { key: "private-172-16-0-0-12", routeTableKey: "private", destination: "172.16.0.0/12" },
      ]);
    });

    it("fails over in about ten seconds by default: 3 missed checks 2 s apart, a ping timeout, the API calls", () => {
      expect(plan.watchdog).to.deep.equal({ intervalSeconds: 2, failures: 3, failoverSeconds: 10 });
      const slow = planSoftwareVpnAppliance(WHERE, spec({ watchdog: { intervalSeconds: 5, failures: 4 } }));
      expect(slow.watchdog.failoverSeconds).to.equal(24);
    });

    it("defaults to c6i.large on Debian 12 amd64 from Debian's public SSM parameter", () => {
      expect([plan.instanceType, plan.architecture, plan.amiParameter, plan.rootVolumeSizeGiB]).to.deep.equal(
        ["c6i.large", "amd64", "/aws/service/debian/release/12/latest/amd64", 16],
      );
      const graviton = planSoftwareVpnAppliance(WHERE, spec({ instanceType: "c6gn.xlarge" }));
      expect(graviton.amiParameter).to.equal("/aws/service/debian/release/12/latest/arm64");
    });

    it("may terminate tunnels without moving routes (no route tables, no destinations)", () => {
      const bare = planSoftwareVpnAppliance(
        WHERE,
        spec({ routeTableIds: undefined, destinationCidrs: undefined }),
      );
      expect(bare.routes).to.deep.equal([]);
    });
  });

  describe("instance types: a rule, not a list", () => {
    it("takes current-generation Nitro types of the t, c, m and r families, and tells the architecture", () => {
      for (const t of [
        "c6i.large",
        "c6gn.xlarge",
        "c7gn.2xlarge",
        "m7i-flex.large",
        "t3.small",
        "t4g.medium",
        "r6in.metal",
        "c8g.large",
      ])
        expect(instanceTypeProblem(t), t).to.equal(undefined);
      expect(
        ["t4g.small", "c6gn.large", "m7g.large", "c6i.large", "t3a.micro", "m5n.large"].map(architectureOf),
      ).to.deep.equal(["arm64", "arm64", "arm64", "amd64", "amd64", "amd64"]);
      expect(debianAmiParameter("arm64")).to.equal("/aws/service/debian/release/12/latest/arm64");
    });

    it("refuses previous generations, families not built for routing, nano, and what is not a type", () => {
      expect(instanceTypeProblem("t2.micro")).to.match(/^t2 is a previous generation/);
      expect(instanceTypeProblem("m4.large")).to.match(/^m4 is a previous generation/);
      expect(instanceTypeProblem("p4d.24xlarge")).to.match(/^family p is not built for routing/);
      expect(instanceTypeProblem("mac2.metal")).to.match(/^family mac is not built for routing/);
      expect(instanceTypeProblem("t3.nano")).to.match(/^nano has 0.5 GiB/);
      expect(instanceTypeProblem("large")).to.match(/^not an EC2 instance type/);
    });
  });

  describe("refusals, every problem at once, before anything registers", () => {
    it("refuses two instances in one zone: one appliance is a single point of failure", () => {
      const e = refused(spec({ standby: { ...spec().standby, availabilityZoneId: "use1-az1" } }));
      expect(problemPaths(e)).to.deep.equal(["standby.availabilityZoneId"]);
      expect(e.message).to.include("a zone other than the primary's (use1-az1)");
    });

    it("refuses zone names (they differ per account), one subnet for both, and overlapping subnets", () => {
      const e = refused(
        spec({
          primary: { ...spec().primary, availabilityZoneId: "us-east-1a" },
          standby: { ...spec().standby, subnetId: "subnet-0aaaaaaaaaaaaaaaa", subnetCidr: "10.0.0.0/25" },
        }),
      );
      expect(problemPaths(e)).to.deep.equal([
        "primary.availabilityZoneId",
        "standby.subnetId",
        "standby.subnetCidr",
      ]);
    });

    it("refuses an AWS-reserved or outside private address (10.0.0.0/24: .0–.3 and .255 are AWS's)", () => {
      const subnet = parseCidr("10.0.0.0/24");
      for (const reserved of ["10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.255"])
        expect(subnetAddressProblem(subnet, reserved), reserved).to.match(/AWS does not reserve/);
      expect(subnetAddressProblem(subnet, "10.0.0.4")).to.equal(undefined);
      expect(subnetAddressProblem(subnet, "10.0.1.4")).to.match(/inside the subnet's CIDR 10.0.0.0\/24/);
      const e = refused(spec({ primary: { ...spec().primary, privateIp: "10.0.0.2" } }));
      expect(e.message).to.include('primary.privateIp = "10.0.0.2": an address AWS does not reserve');
    });

    it("admits peers by one public address only: no blocks, no private addresses, no duplicates", () => {
      const e = refused(
        spec({
          peers: {
            wide: { address: "203.0.113.0/24" },
            private: { address: "192.168.1.1" },
            dc1: { address: "203.0.113.10" },
            again: { address: "203.0.113.10/32" },
          },
        }),
      );
      expect(problemPaths(e)).to.deep.equal([
        "peers.dc1.address",
        "peers.private.address",
        "peers.wide.address",
      ]);
      expect(e.message).to.include('peers.wide.address = "203.0.113.0/24": one address (or its /32)');
      expect(e.message).to.include("not internet-routable; use the peer's static public IPv4 address");
      expect(refused(spec({ peers: {} })).message).to.include("peers = {}: at least one remote peer");
    });

    it("never forwards 0.0.0.0/0, and refuses a destination overlapping a forwarded network", () => {
      const e = refused(spec({ forwardedCidrs: ["0.0.0.0/0"], destinationCidrs: ["10.0.5.0/24"] }));
      expect(problemPaths(e)).to.deep.equal(["forwardedCidrs[0]"]);
      expect(e.message).to.include("not 0.0.0.0/0: the security group would admit every source");
      const loop = refused(spec({ destinationCidrs: ["10.0.5.0/24"] }));
      expect(loop.message).to.include("overlaps forwarded network 10.0.0.0/16");
    });

    it("needs route tables and destinations together", () => {
      expect(problemPaths(refused(spec({ destinationCidrs: undefined })))).to.deep.equal([
        "destinationCidrs",
      ]);
      expect(problemPaths(refused(spec({ routeTableIds: undefined })))).to.deep.equal(["routeTableIds"]);
    });

    it("refuses more rules than a security group holds (60 per direction) and more routes than a table (50)", () => {
      const peers = Object.fromEntries(
        Array.from({ length: 20 }, (_, i) => [`p${i}`, { address: `198.51.100.${i + 1}` }]),
      );
      expect(refused(spec({ peers })).message).to.include("62 ingress rules");
      const destinations = Array.from({ length: 51 }, (_, i) => `172.16.${i}.0/24`);
      expect(refused(spec({ destinationCidrs: destinations })).message).to.include(
        "51 destinations; a route table holds 50",
      );
    });

    it("needs a strongSwan configuration and refuses files outside the daemons' directories", () => {
      const e = refused(
        spec({
          primary: {
            ...spec().primary,
            configFiles: { "frr.conf": "x", "/etc/passwd": "root::0:0::/:/bin/sh" },
          },
        }),
      );
      expect(problemPaths(e)).to.deep.equal(["primary.configFiles./etc/passwd", "primary.configFiles"]);
    });

    it("checks the instance type, volume size, watchdog timing and alarm actions", () => {
      const e = refused(
        spec({
          instanceType: "t2.micro",
          rootVolumeSizeGiB: 4,
          watchdog: { intervalSeconds: 0, failures: 1 },
          statusAlarms: { actions: ["not-an-arn"] },
        }),
      );
      expect(problemPaths(e)).to.deep.equal([
        "instanceType",
        "rootVolumeSizeGiB",
        "watchdog.intervalSeconds",
        "watchdog.failures",
        "statusAlarms.actions[0]",
      ]);
    });
  });

  describe("the instance role", () => {
    it("replaces and creates routes in the declared route tables only, and reads route tables", () => {
      const arn = routeTableArn("aws", "us-east-1", "111122223333", "rtb-0123456789abcdef0");
      expect(arn).to.equal("arn:aws:ec2:us-east-1:111122223333:route-table/rtb-0123456789abcdef0");
      expect(watchdogPolicyDocument([arn])).to.deep.equal({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "MoveRoutesToThisInstance",
            Effect: "Allow",
            Action: ["ec2:ReplaceRoute", "ec2:CreateRoute"],
            Resource: [arn],
          },
          { Sid: "ReadRouteTargets", Effect: "Allow", Action: ["ec2:DescribeRouteTables"], Resource: "*" },
        ],
      });
    });
  });

  describe("user data (cloud-init #cloud-config)", () => {
    const plan = planSoftwareVpnAppliance(WHERE, spec());
    const text = renderApplianceUserData({
      instance: plan.instances[0],
      contents: {
        "swanctl.conf": "secrets { ike-dc1 { secret = abcdefgh12345678 } }\n",
        "frr.conf": "router bgp 65010\n",
      },
      routeTableIds: ["rtb-0123456789abcdef0"],
      destinations: plan.destinations,
      watchdog: plan.watchdog,
    });
    const parsed = yaml.load(text.split("\n").slice(1).join("\n")) as CloudConfig;
    const file = (path: string) => parsed.write_files.find((f) => f.path === path);

    it("is a #cloud-config document that installs strongSwan, FRR and the AWS CLI from Debian", () => {
      expect(text.startsWith("#cloud-config\n")).to.equal(true);
      expect(parsed.package_update).to.equal(true);
      expect(parsed.packages).to.include.members([
        "strongswan-swanctl",
        "charon-systemd",
        "libcharon-extra-plugins",
        "frr",
        "awscli",
      ]);
    });

    it("writes the configuration files after the packages, strongSwan's readable by root only", () => {
      expect(file("/etc/swanctl/conf.d/hybridnet.conf")).to.deep.equal({
        path: "/etc/swanctl/conf.d/hybridnet.conf",
        content: "secrets { ike-dc1 { secret = abcdefgh12345678 } }\n",
        owner: "root:root",
        permissions: "0600",
        defer: true,
      });
      expect(file("/etc/frr/frr.conf")).to.include({ owner: "frr:frr", permissions: "0640", defer: true });
    });

    it("turns on IP forwarding and turns off ICMP redirects", () => {
      const sysctl = file("/etc/sysctl.d/90-hybridnet-router.conf")?.content ?? "";
      expect(sysctl).to.include("net.ipv4.ip_forward = 1\n");
      expect(sysctl).to.include("net.ipv4.conf.all.send_redirects = 0\n");
      expect(parsed.runcmd[0]).to.deep.equal(["sysctl", "--system"]);
    });

    it("starts FRR with bgpd, strongSwan, and the watchdog with the peer, route tables and destinations", () => {
      expect(parsed.runcmd).to.deep.include(["sed", "-i", "s/^bgpd=no/bgpd=yes/", "/etc/frr/daemons"]);
      expect(parsed.runcmd).to.deep.include(["systemctl", "restart", "strongswan"]);
      expect(parsed.runcmd.at(-1)).to.deep.equal([
        "systemctl",
        "enable",
        "--now",
        "hybridnet-watchdog.service",
      ]);
      expect(file(WATCHDOG_ENV_PATH)?.content).to.equal(
        'ROLE="primary"\nPEER_IP="10.0.1.254"\nROUTE_TABLES="rtb-0123456789abcdef0"\nDESTINATIONS="192.168.0.0/16 172.16.0.0/12"\nINTERVAL="2"\nFAILURES="3"\n',
      );
      const program = file("/usr/local/sbin/hybridnet-watchdog");
      expect(program?.permissions).to.equal("0755");
      expect(program?.content).to.include("aws ec2 replace-route");
      expect(program?.content).to.include("X-aws-ec2-metadata-token");
    });

    it("travels gzip-compressed, byte-stable, and uncompresses to the rendered text", () => {
      const gzip = compressUserData(text);
      // RFC 1952: magic 1f 8b, deflate (8), no flags, MTIME 0, XFL 2 (best compression), OS 3 (Unix).
      expect([...gzip.subarray(0, 10)]).to.deep.equal([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3]);
      expect(compressUserData(text).equals(gzip), "the same bytes on every run").to.equal(true);
      const uncompressed = gunzipSync(Buffer.from(userDataBase64(text), "base64")).toString("utf8");
      expect(uncompressed).to.equal(text);
      expect(
        uncompressed.startsWith("#cloud-config\npackage_update: true\npackages:\n  - strongswan-swanctl\n"),
      ).to.equal(true);
      expect(uncompressed).to.include("  - path: /etc/hybridnet/watchdog.env\n");
      // The rendered text compresses well below its size: repeated keys, paths and units.
      expect(userDataBytes(text)).to.equal(gzip.length);
      expect(gzip.length).to.be.below(Buffer.byteLength(text, "utf8") / 2);
      expect(userDataSizeProblem(text)).to.equal(undefined);
    });

    it("takes compressed user data of 16384 bytes (EC2's 16 KB) and refuses 16385", () => {
      // Text that barely compresses (random-looking letters), cut where its gzip crosses 16 × 1024 bytes.
      const noise = Array.from({ length: 8000 }, (_, i) =>
        createHash("sha256").update(String(i)).digest("base64").slice(0, 43),
      ).join("");
      const gzipped = (n: number) => gzipSync(Buffer.from(noise.slice(0, n)), { level: 9 }).length;
      let [low, high] = [0, noise.length];
      while (high - low > 1) {
        const mid = Math.floor((low + high) / 2);
        if (gzipped(mid) <= 16 * 1024) low = mid;
        else high = mid;
      }
      expect(gzipped(low)).to.equal(16384);
      expect(gzipped(high)).to.equal(16385);
      expect(Buffer.byteLength(noise.slice(0, low))).to.be.above(
        16384,
        "the raw text alone would be refused",
      );
      expect(userDataSizeProblem(noise.slice(0, low))).to.equal(undefined);
      expect(userDataSizeProblem(noise.slice(0, high))).to.equal(
        `the user data these files make is 16385 bytes gzip-compressed (${high} rendered); EC2 takes at most 16384 (16 KB): split the configuration`,
      );
    });

    it("does not start FRR on an instance given no FRR configuration", () => {
      const standby = renderApplianceUserData({
        instance: plan.instances[1],
        contents: { "swanctl.conf": "connections {}\n" },
        routeTableIds: [],
        destinations: [],
        watchdog: plan.watchdog,
      });
      const config = yaml.load(standby.split("\n").slice(1).join("\n")) as CloudConfig;
      expect(config.runcmd.flat()).to.not.include("frr");
    });
  });

  describe("user data: the XFRM interfaces of the rendered swanctl.conf", () => {
    const plan = planSoftwareVpnAppliance(WHERE, spec());
    // An appliance's two tunnels as AWS gives them (inside /30s: AWS takes the first usable address, the
    // customer gateway the second).
    const files = applianceConfigFiles(
      applianceDeviceSite({
        stack: "dev",
        component: 'hybridnet:index:SoftwareVpnToManagedVpn "a-to-b"',
        role: "primary",
        outsideAddress: "198.51.100.7",
        asn: 65010,
        awsAsn: 64512,
        advertisedCidrs: ["10.1.0.0/16"],
        remoteCidrs: ["10.2.0.0/16"],
        connectionKey: "primary",
        connectionId: "vpn-0123456789abcdef0",
        tunnels: [
          {
            outsideAddress: "203.0.113.21",
            insideCidr: "169.254.10.0/30",
            awsInsideAddress: "169.254.10.1",
            customerInsideAddress: "169.254.10.2",
          },
          {
            outsideAddress: "203.0.113.22",
            insideCidr: "169.254.11.4/30",
            awsInsideAddress: "169.254.11.5",
            customerInsideAddress: "169.254.11.6",
          },
        ],
        presharedKeys: ["abcdefgh12345678", "ijklmnop12345678"],
        options: resolveTunnelOptions({}, "tunnelOptions", new Problems()),
      }),
      "10.0.0.254",
    );
    const swanctl = files["swanctl.conf"] ?? "";
    const config = yaml.load(
      renderApplianceUserData({
        instance: plan.instances[0],
        contents: files,
        routeTableIds: [],
        destinations: [],
        watchdog: plan.watchdog,
      })
        .split("\n")
        .slice(1)
        .join("\n"),
    ) as CloudConfig;
    const program = config.write_files.find((f) => f.path === XFRM_PROGRAM_PATH)?.content ?? "";

    it("creates an interface on the uplink for every if_id of swanctl.conf, with the appliance's inside address", () => {
      const ifIds = [...swanctl.matchAll(/if_id_in = (\d+)/g)].map((m) => Number(m[1]));
      expect(ifIds).to.deep.equal([1, 2]);
      expect([...swanctl.matchAll(/if_id_out = (\d+)/g)].map((m) => Number(m[1]))).to.deep.equal(ifIds);
      expect(program.split("\n")).to.include.members([
        "UPLINK=$(ip -o route show default | awk '{print $5; exit}')",
        'ip link show xfrm1 >/dev/null 2>&1 || ip link add xfrm1 type xfrm dev "$UPLINK" if_id 1',
        "ip address replace 169.254.10.2/30 dev xfrm1",
        "ip link set xfrm1 up",
        'ip link show xfrm2 >/dev/null 2>&1 || ip link add xfrm2 type xfrm dev "$UPLINK" if_id 2',
        "ip address replace 169.254.11.6/30 dev xfrm2",
        "ip link set xfrm2 up",
      ]);
      for (const ifId of ifIds) expect(program).to.include(` if_id ${ifId}\n`);
      expect(xfrmInterfacesOf(swanctl)).to.deep.equal([
        { name: "xfrm1", ifId: 1, address: "169.254.10.2/30" },
        { name: "xfrm2", ifId: 2, address: "169.254.11.6/30" },
      ]);
    });

    it("brings the interfaces up at every boot, before strongSwan and FRR load", () => {
      const unit = config.write_files.find((f) => f.path === "/etc/systemd/system/hybridnet-xfrm.service");
      expect(unit?.content).to.include("Before=strongswan.service frr.service\n");
      expect(unit?.content).to.include("Type=oneshot\n");
      const order = config.runcmd.map((c) => c.join(" "));
      const xfrm = order.indexOf("systemctl enable --now hybridnet-xfrm.service");
      expect(xfrm).to.be.greaterThan(0);
      expect(xfrm).to.be.below(order.indexOf("systemctl restart strongswan"));
      expect(xfrm).to.be.below(order.indexOf("systemctl restart frr"));
    });

    it("creates no interface for a hand-written swanctl.conf without the rendered header", () => {
      expect(xfrmInterfacesOf("connections { t1 { children { t1 { if_id_in = 1 } } } }\n")).to.deep.equal([]);
    });
  });
});
