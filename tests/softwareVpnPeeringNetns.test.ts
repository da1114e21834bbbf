/**
 * SoftwareVpnPeering's two ends against each other in real strongSwan and FRR: one plan
 * (model/softwareVpn/peering) rendered by `renderStrongswan` for side a's primary (the "device" namespace) and
 * for side b's primary and standby (both in the other namespace, one charon; FRR of side b's primary only). The
 * test watches side a's primary bring up IKE and CHILD SAs to both side b instances and BGP with side b's
 * primary over the planned inside addresses, each side learning the other's VPC CIDR. Needs root, network
 * namespaces, strongSwan and FRR; elsewhere it says "skipped: needs root and network namespaces".
 */
import { expect } from "chai";
import type { DeviceSite } from "../model/deviceConfig/site";
import { renderStrongswan, xfrmInterfacesOf } from "../model/deviceConfig/strongswan";
import { peeringDeviceSite, planSoftwareVpnPeering } from "../model/softwareVpn/peering";
import { Lab, labUnavailable, waitFor } from "./netns/lab";

const SKIPPED = "skipped: needs root and network namespaces";
const A_CIDR = "10.1.0.0/16";
const B_CIDR = "10.2.0.0/16";
/** The Elastic IPs, on documentation space in the lab. */
const PUBLIC_IPS = {
  a: { primary: "192.0.2.10", standby: "192.0.2.11" },
  b: { primary: "192.0.2.101", standby: "192.0.2.102" },
};

interface BgpSummary {
  ipv4Unicast: { peers: Record<string, { state: string }> };
}
interface BgpTable {
  routes: Record<string, unknown[]>;
}

const tunnelsOf = (site: DeviceSite) => site.connections.flatMap((c) => c.tunnels);
const inside = (address: string, cidr: string) => `${address}/${cidr.split("/")[1]}`;

describe("SoftwareVpnPeering: both ends' rendered configurations against each other in network namespaces", function () {
  this.timeout(60000);
  let lab: Lab | undefined;
  let a: DeviceSite;
  let bPrimary: DeviceSite;

  before(async function () {
    const why = await labUnavailable();
    if (why) {
      console.log(`      ${SKIPPED} (${why})`);
      this.skip();
    }
    const plan = planSoftwareVpnPeering('hybridnet:index:SoftwareVpnPeering "lab"', {
      a: { vpcCidrs: [A_CIDR], asn: 65001 },
      b: { vpcCidrs: [B_CIDR], asn: 65002 },
    });
    const resolved = {
      stack: "lab",
      component: 'hybridnet:index:SoftwareVpnPeering "lab"',
      publicIps: PUBLIC_IPS,
      presharedKeys: Object.fromEntries(plan.tunnels.map((t, i) => [t.key, `labKey${i}_0123456789abcdef`])),
    };
    a = peeringDeviceSite(plan, resolved, "a", "primary");
    bPrimary = peeringDeviceSite(plan, resolved, "b", "primary");
    const bStandby = peeringDeviceSite(plan, resolved, "b", "standby");
    lab = await Lab.create({
      device: PUBLIC_IPS.a.primary,
      aws: [PUBLIC_IPS.b.primary, PUBLIC_IPS.b.standby],
      prefixLength: 24,
    });
    const l = lab;
    await l.device.ip("address", "add", "10.1.0.10/32", "dev", "lo");
    await l.aws.ip("address", "add", "10.2.0.10/32", "dev", "lo");
    // Side b's tunnels with side a's primary: one on each side b instance.
    const bInside = [bPrimary, bStandby].flatMap((s) =>
      tunnelsOf(s)
        .filter((t) => t.awsOutsideAddress === PUBLIC_IPS.a.primary)
        .map((t) => inside(t.customerInsideAddress, t.insideCidr)),
    );
    await Promise.all([
      // Side a's inside addresses as its user data puts them on its XFRM interfaces (read from the rendered
      // swanctl.conf); this kernel has no XFRM interface type, so they go on kernel-libipsec's ipsec0.
      l.device.startCharon(
        xfrmInterfacesOf(renderStrongswan(a).files["swanctl.conf"] ?? "").map((i) => i.address),
      ),
      l.aws.startCharon(bInside),
    ]);
    await Promise.all([
      l.device.startFrr(renderStrongswan(a).files["frr.conf"]),
      l.aws.startFrr(renderStrongswan(bPrimary).files["frr.conf"]),
    ]);
    // Both side b instances' connections in one charon: one file with both files' sections.
    await l.aws.loadSwanctl(
      renderStrongswan(bPrimary).files["swanctl.conf"] + renderStrongswan(bStandby).files["swanctl.conf"],
    );
    await l.device.loadSwanctl(renderStrongswan(a).files["swanctl.conf"]);
  });

  after(async () => {
    await lab?.destroy();
  });

  it("brings up side a's primary's IKE and CHILD SAs to both side b instances", async () => {
    const l = lab as Lab;
    const up = await waitFor("both tunnels' SAs", 20, async () => {
      const text = await l.device.listSas();
      const ike = [...text.matchAll(/^(\S+): #\d+, ESTABLISHED/gm)].map((m) => m[1]).sort();
      const child = [...text.matchAll(/^\s+(\S+): #\d+, reqid \d+, INSTALLED/gm)].map((m) => m[1]).sort();
      return ike.length === 2 && child.length === 2 ? { ike, child } : undefined;
    });
    expect(up).to.deep.equal({
      ike: ["a-primary-t1", "a-primary-t2"],
      child: ["a-primary-t1", "a-primary-t2"],
    });
  });

  it("establishes BGP with side b's primary over the planned inside addresses, each side learning the other's CIDR", async () => {
    const l = lab as Lab;
    const t1 = tunnelsOf(a)[0];
    await waitFor("BGP Established on side a", 30, async () => {
      const summary = await l.device.vtyshJson<BgpSummary>("show bgp summary json");
      return summary.ipv4Unicast?.peers?.[t1.awsInsideAddress]?.state === "Established" ? true : undefined;
    });
    const learned = (side: typeof l.device, prefix: string) =>
      waitFor(`${prefix} learned`, 20, async () => {
        const table = await side.vtyshJson<BgpTable>("show ip bgp json");
        return (table.routes?.[prefix] ?? []).length > 0 ? true : undefined;
      });
    expect(await learned(l.device, B_CIDR)).to.equal(true);
    expect(await learned(l.aws, A_CIDR)).to.equal(true);
    const bSummary = await l.aws.vtyshJson<BgpSummary>("show bgp summary json");
    expect(bSummary.ipv4Unicast.peers[t1.customerInsideAddress].state).to.equal("Established");
  });
});
