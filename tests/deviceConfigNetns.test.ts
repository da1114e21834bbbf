/**
 * The strongSwan + FRR device configuration proven against real strongSwan and FRR: a device namespace runs
 * what `renderStrongswan` wrote for a site planned by a real `TransitGatewayVpn` run (secure defaults), an AWS
 * namespace runs the same tunnels as AWS holds them (tests/netns/awsSide.ts, rendered independently), and the
 * test watches IKE, ESP, BGP and a TCP connection between them. Needs root, network namespaces, strongSwan and
 * FRR (.ci/run installs them); elsewhere it says "skipped: needs root and network namespaces".
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { TransitGatewayVpn } from "../components/TransitGatewayVpn";
import type { DeviceSite } from "../model/deviceConfig/site";
import { renderStrongswan, xfrmInterfacesOf } from "../model/deviceConfig/strongswan";
import type { TunnelOptions } from "../model/tunnelOptions";
import { runProgram } from "./harness";
import { awsFrr, awsSwanctl } from "./netns/awsSide";
import { Lab, type LabSide, labUnavailable, waitFor } from "./netns/lab";
import { deviceSiteFromRun } from "./netns/siteFromRun";

const SKIPPED = "skipped: needs root and network namespaces";
/** The site: its device's outside address and its network, on documentation and private space. */
const DEVICE_OUTSIDE = "192.0.2.10";
const CUSTOMER_PREFIX = "10.10.0.0/16";
const CUSTOMER_HOST = "10.10.0.10";
/** The network the AWS side advertises (a VPC behind the transit gateway) and a host in it. */
const AWS_PREFIX = "10.20.0.0/16";
const AWS_HOST = "10.20.0.10";
/**
 * The mock answers AWS-owned public outside addresses (52.x); in the lab they stand on documentation
 * addresses beside the device's, so nothing in the namespaces looks routable.
 */
const AWS_OUTSIDE_IN_LAB = ["192.0.2.101", "192.0.2.102"];

/** The site as planned by a TransitGatewayVpn with secure defaults, outside addresses moved into the lab. */
async function plannedSite(tunnelOptions?: TunnelOptions): Promise<DeviceSite> {
  const { resources, error } = await runProgram(
    () =>
      new TransitGatewayVpn("hub", {
        sites: {
          dc1: {
            ipAddress: DEVICE_OUTSIDE,
            bgpAsn: 65010,
            prefixes: [CUSTOMER_PREFIX],
            ...(tunnelOptions ? { tunnelOptions } : {}),
          },
        },
      }),
  );
  if (error) throw error;
  const site = deviceSiteFromRun(resources, {
    site: "dc1",
    component: 'hybridnet:index:TransitGatewayVpn "hub"',
    customerPrefixes: [CUSTOMER_PREFIX],
    awsPrefixes: [AWS_PREFIX],
  });
  const tunnels = site.connections.flatMap((c) => c.tunnels);
  expect(tunnels, "one connection, two tunnels").to.have.length(2);
  expect(
    new Set(tunnels.map((t) => t.awsOutsideAddress)).size,
    "distinct planned outside addresses",
  ).to.equal(2);
  tunnels.forEach((t, i) => {
    t.awsOutsideAddress = AWS_OUTSIDE_IN_LAB[i];
  });
  return site;
}

const tunnelsOf = (site: DeviceSite) => site.connections.flatMap((c) => c.tunnels);
const inside = (address: string, cidr: string) => `${address}/${cidr.split("/")[1]}`;

/** The lab with both ends configured: charon and FRR up in both namespaces, the device initiating. */
async function startLab(site: DeviceSite, deviceSite: DeviceSite, withBgp: boolean): Promise<Lab> {
  const lab = await Lab.create({
    device: site.customerOutsideAddress,
    aws: tunnelsOf(site).map((t) => t.awsOutsideAddress),
    prefixLength: 24,
  });
  try {
    await lab.device.ip("address", "add", `${CUSTOMER_HOST}/32`, "dev", "lo");
    await lab.aws.ip("address", "add", `${AWS_HOST}/32`, "dev", "lo");
    const rendered = renderStrongswan(deviceSite);
    // The device's inside addresses are those the appliance's user data puts on its XFRM interfaces, read from
    // the rendered swanctl.conf; this kernel has no XFRM interface type, so they go on kernel-libipsec's ipsec0.
    const deviceInside = xfrmInterfacesOf(rendered.files["swanctl.conf"] ?? "").map((i) => i.address);
    expect(deviceInside).to.deep.equal(
      tunnelsOf(site).map((t) => inside(t.customerInsideAddress, t.insideCidr)),
    );
    await Promise.all([
      lab.device.startCharon(deviceInside),
      lab.aws.startCharon(tunnelsOf(site).map((t) => inside(t.awsInsideAddress, t.insideCidr))),
    ]);
    if (withBgp)
      await Promise.all([lab.device.startFrr(rendered.files["frr.conf"]), lab.aws.startFrr(awsFrr(site))]);
    await lab.aws.loadSwanctl(awsSwanctl(site));
    await lab.device.loadSwanctl(rendered.files["swanctl.conf"]);
    return lab;
  } catch (e) {
    await lab.destroy();
    throw e;
  }
}

/** Names of the IKE SAs ESTABLISHED and CHILD_SAs INSTALLED in `swanctl --list-sas` text. */
function upSas(text: string): { ike: string[]; child: string[] } {
  return {
    ike: [...text.matchAll(/^(\S+): #\d+, ESTABLISHED/gm)].map((m) => m[1]).sort(),
    child: [...text.matchAll(/^\s+(\S+): #\d+, reqid \d+, INSTALLED/gm)].map((m) => m[1]).sort(),
  };
}

/** Bytes the device's CHILD_SAs sent, summed. */
function bytesOut(text: string): number {
  return [...text.matchAll(/^\s+out \S+ \([^)]*\),\s+(\d+) bytes/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

interface BgpSummary {
  ipv4Unicast: { peers: Record<string, { state: string; pfxRcd: number }> };
}
interface BgpTable {
  routes: Record<string, { valid?: boolean; peerId: string }[]>;
}

async function skipWithoutLab(ctx: Mocha.Context): Promise<void> {
  const why = await labUnavailable();
  if (why) {
    console.log(`      ${SKIPPED} (${why})`);
    ctx.skip();
  }
}

describe("strongSwan + FRR device configuration against real strongSwan and FRR in network namespaces", function () {
  this.timeout(60000);

  describe("a site with secure defaults", () => {
    let site: DeviceSite;
    let lab: Lab | undefined;
    let started = 0;

    before(async function () {
      await skipWithoutLab(this);
      started = Date.now();
      site = await plannedSite();
      lab = await startLab(site, site, true);
    });

    after(async () => {
      await lab?.destroy();
      if (started)
        console.log(`      lab up and torn down in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });

    it("brings up both tunnels' IKE and CHILD SAs", async () => {
      const names = site.connections.flatMap((c) => c.tunnels.map((t) => `${c.key}-t${t.number}`)).sort();
      const sas = await waitFor("both tunnels' SAs", 20, async () => {
        const up = upSas(await (lab as Lab).device.listSas());
        return up.ike.length === 2 && up.child.length === 2 ? up : undefined;
      });
      expect(sas).to.deep.equal({ ike: names, child: names });
      const awsUp = upSas(await (lab as Lab).aws.listSas());
      expect(awsUp.ike).to.have.length(2);
      expect(awsUp.child).to.have.length(2);
    });

    it("establishes BGP over both tunnels' inside addresses", async () => {
      const awsPeers = tunnelsOf(site)
        .map((t) => t.awsInsideAddress)
        .sort();
      const devicePeers = tunnelsOf(site)
        .map((t) => t.customerInsideAddress)
        .sort();
      const established = async (side: LabSide) => {
        const summary = await side.vtyshJson<BgpSummary>("show bgp summary json");
        const peers = summary.ipv4Unicast?.peers ?? {};
        const up = Object.keys(peers).filter((p) => peers[p].state === "Established");
        return up.length === 2 ? up.sort() : undefined;
      };
      expect(
        await waitFor("BGP Established on the device", 30, () => established((lab as Lab).device)),
      ).to.deep.equal(awsPeers);
      expect(
        await waitFor("BGP Established on the AWS side", 10, () => established((lab as Lab).aws)),
      ).to.deep.equal(devicePeers);
    });

    it("learns the AWS prefixes on the device and only the customer prefixes on the AWS side, over both tunnels", async () => {
      const learned = async (side: LabSide, prefix: string) => {
        const table = await side.vtyshJson<BgpTable>("show ip bgp json");
        const paths = table.routes?.[prefix] ?? [];
        return paths.length === 2
          ? { prefixes: Object.keys(table.routes).sort(), peers: paths.map((p) => p.peerId).sort() }
          : undefined;
      };
      const onDevice = await waitFor("the AWS prefix on the device", 20, () =>
        learned((lab as Lab).device, AWS_PREFIX),
      );
      expect(onDevice.peers).to.deep.equal(
        tunnelsOf(site)
          .map((t) => t.awsInsideAddress)
          .sort(),
      );
      expect(onDevice.prefixes).to.include(AWS_PREFIX);
      const onAws = await waitFor("the customer prefix on the AWS side", 20, () =>
        learned((lab as Lab).aws, CUSTOMER_PREFIX),
      );
      expect(onAws.peers).to.deep.equal(
        tunnelsOf(site)
          .map((t) => t.customerInsideAddress)
          .sort(),
      );
      expect(onAws.prefixes, "what the device advertises").to.deep.equal(
        [AWS_PREFIX, CUSTOMER_PREFIX].sort(),
      );
    });

    it("passes a TCP connection from a customer address to an AWS address through the tunnel", async () => {
      const l = lab as Lab;
      const before = bytesOut(await l.device.listSas());
      const server = spawn(
        "ip",
        [
          "netns",
          "exec",
          l.aws.ns,
          process.execPath,
          "-e",
          `const s = require("node:net").createServer((c) => c.once("data", (d) => { c.end("aws got " + d + " from " + c.remoteAddress); s.close(); }));
           s.listen(8179, "${AWS_HOST}", () => console.log("listening"));`,
        ],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      try {
        await new Promise<void>((resolve, reject) => {
          server.stdout?.once("data", () => resolve());
          server.once("exit", (code) => reject(new Error(`server exited ${code}`)));
        });
        const reply = await l.device.exec(process.execPath, [
          "-e",
          `const c = require("node:net").connect({ host: "${AWS_HOST}", port: 8179, localAddress: "${CUSTOMER_HOST}" }, () => c.write("hello"));
           c.setTimeout(5000, () => { console.error("timeout"); process.exit(1); });
           c.on("data", (d) => process.stdout.write(d));`,
        ]);
        expect(reply).to.equal(`aws got hello from ${CUSTOMER_HOST}`);
      } finally {
        if (server.exitCode === null) server.kill();
      }
      expect(bytesOut(await l.device.listSas()), "bytes the device's CHILD_SAs sent").to.be.greaterThan(
        before,
      );
    });
  });

  describe("a legacy-crypto site", () => {
    let lab: Lab | undefined;

    before(async function () {
      await skipWithoutLab(this);
      const site = await plannedSite({
        allowLegacyCrypto: true,
        ikeVersions: ["ikev1", "ikev2"],
        phase1EncryptionAlgorithms: ["AES128"],
        phase1IntegrityAlgorithms: ["SHA1"],
        phase1DhGroupNumbers: [2, 24],
        phase2EncryptionAlgorithms: ["AES128-GCM-16"],
        phase2IntegrityAlgorithms: ["SHA1"],
        phase2DhGroupNumbers: [5],
        phase1LifetimeSeconds: 3600,
        phase2LifetimeSeconds: 900,
        rekeyMarginTimeSeconds: 60,
      });
      lab = await startLab(site, site, false);
    });

    after(async () => {
      await lab?.destroy();
    });

    it("brings up both tunnels with AES128, SHA1 and DH group 2 in phase 1 and AES128-GCM-16 in phase 2", async () => {
      const text = await waitFor("both tunnels' SAs", 20, async () => {
        const listed = await (lab as Lab).device.listSas();
        const up = upSas(listed);
        return up.ike.length === 2 && up.child.length === 2 ? listed : undefined;
      });
      expect(text.match(/AES_CBC-128\/HMAC_SHA1_96\/PRF_HMAC_SHA1\/MODP_1024$/gm)).to.have.length(2);
      expect(text.match(/INSTALLED, TUNNEL-in-UDP, ESP:AES_GCM_16-128$/gm)).to.have.length(2);
    });
  });

  describe("a device that offers a DH group the tunnel does not accept", () => {
    let lab: Lab | undefined;

    before(async function () {
      await skipWithoutLab(this);
      const site = await plannedSite();
      // The device offers only group 24 in phase 1; AWS holds the secure defaults, groups 14–21.
      const device: DeviceSite = {
        ...site,
        connections: site.connections.map((c) => ({
          ...c,
          tunnels: c.tunnels.map((t) => ({ ...t, options: { ...t.options, phase1DhGroupNumbers: [24] } })),
        })),
      };
      lab = await startLab(site, device, false);
    });

    after(async () => {
      await lab?.destroy();
    });

    it("fails IKE with NO_PROPOSAL_CHOSEN and brings up no SA", async () => {
      const l = lab as Lab;
      const deviceLog = await waitFor("the negotiation error in the device's charon log", 15, () => {
        const log = readFileSync(l.device.charonLog, "utf8");
        return /received NO_PROPOSAL_CHOSEN notify error/.test(log) ? log : undefined;
      });
      expect(deviceLog).to.match(/initiating IKE_SA/);
      const awsLog = readFileSync(l.aws.charonLog, "utf8");
      expect(awsLog, "what the device offered").to.match(/received proposals: IKE:\S+MODP_2048_256/);
      expect(awsLog).to.match(/received proposals unacceptable/);
      expect(upSas(await l.device.listSas())).to.deep.equal({ ike: [], child: [] });
    });
  });
});
