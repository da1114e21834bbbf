/**
 * SoftwareRemoteAccessVpn proven against real WireGuard (Debian's wireguard-go and wg) in two network
 * namespaces joined by a veth pair on documentation addresses: the server namespace runs the wg0.conf the
 * component wrote into its instance's user data (its key from the mock's RandomBytes), the client namespace runs
 * the client configuration the component outputs, with a key pair `wg genkey` made in place of the placeholder
 * and the Endpoint moved onto the lab's address. The handshake completes, so the public key the component
 * derived matches the private key it wrote; TCP passes from the client's pool address to an address of the VPC;
 * a client configured with another server key gets no handshake and no connection. Needs root, namespaces and
 * the tools (.ci/run installs them); elsewhere it says "skipped: needs root and network namespaces".
 */
import { spawn } from "node:child_process";
import { expect } from "chai";
import * as yaml from "js-yaml";
import { SoftwareRemoteAccessVpn } from "../components/SoftwareRemoteAccessVpn";
import { CLIENT_PRIVATE_KEY_PLACEHOLDER, wireguardPublicKey } from "../model/softwareVpn/remoteAccess";
import { resolve } from "./harness";
import { Lab, type LabSide } from "./netns/lab";
import { generateKeyPair, WireguardInterface, wireguardUnavailable } from "./netns/wireguard";
import { builtBy } from "./refusals";
import { instanceUserData } from "./userData";

const SKIPPED = "skipped: needs root and network namespaces";
/** The client's public address and the server's Elastic IP, moved onto one documentation /24 in the lab. */
const CLIENT_OUTSIDE = "192.0.2.10";
const SERVER_OUTSIDE = "192.0.2.1";
/** A host in the VPC (10.0.0.0/16) on the server's side. */
const VPC_HOST = "10.0.0.10";
const PORT = 8179;

interface Rendered {
  serverConfig: string;
  clientConfig: string;
  serverPublicKey: string;
  clientPrivateKey: string;
  allowedIps: string[];
}

/** The component's server wg0.conf and the laptop's client configuration, with the laptop's own key in it. */
async function rendered(): Promise<Rendered> {
  const client = await generateKeyPair();
  const { resources, result } = await builtBy(
    () =>
      new SoftwareRemoteAccessVpn("staff", {
        vpcId: "vpc-0c0c0c0c0c0c0c0c0",
        availabilityZoneId: "use1-az1",
        subnetId: "subnet-0a0a0a0a0a0a0a0a0",
        subnetCidr: "10.0.0.0/24",
        vpcCidrs: ["10.0.0.0/16"],
        clientPool: "10.250.0.0/24",
        clients: { laptop: { publicKey: client.publicKey } },
        clientSourceCidrs: ["192.0.2.0/24"],
        routeTableIds: { private: "rtb-0123456789abcdef0" },
      }),
  );
  const instance = resources.single("aws:ec2/instance:Instance");
  const cloudConfig = yaml.load(instanceUserData(instance.inputs).replace(/^#cloud-config\n/, "")) as {
    write_files: { path: string; content: string }[];
  };
  const serverConfig = cloudConfig.write_files.find((f) => f.path === "/etc/wireguard/wg0.conf")?.content;
  if (!serverConfig) return expect.fail("no wg0.conf in the server's user data");
  const laptop = (await resolve(result.clientConfigs)).value.laptop;
  expect(laptop).to.include(`PrivateKey = ${CLIENT_PRIVATE_KEY_PLACEHOLDER}\n`);
  const endpoint = (await resolve(result.endpoint)).value;
  const allowed = /^AllowedIPs = (.*)$/m.exec(laptop)?.[1] ?? "";
  return {
    serverConfig,
    clientConfig: laptop
      .replace(CLIENT_PRIVATE_KEY_PLACEHOLDER, client.privateKey)
      .replace(`Endpoint = ${endpoint}`, `Endpoint = ${SERVER_OUTSIDE}:51820`),
    serverPublicKey: (await resolve(result.serverPublicKey)).value,
    clientPrivateKey: client.privateKey,
    allowedIps: allowed.split(", "),
  };
}

/** A TCP exchange from the client namespace to the VPC host; resolves to the server's reply, or rejects. */
async function tcpExchange(server: LabSide, client: LabSide, timeoutMs: number): Promise<string> {
  const listener = spawn(
    "ip",
    [
      "netns",
      "exec",
      server.ns,
      process.execPath,
      "-e",
      `const s = require("node:net").createServer((c) => c.once("data", (d) => { c.end("vpc got " + d + " from " + c.remoteAddress); s.close(); }));
       s.listen(${PORT}, "${VPC_HOST}", () => console.log("listening"));
       setTimeout(() => process.exit(0), ${timeoutMs + 2000});`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  try {
    await new Promise<void>((ok, fail) => {
      listener.stdout?.once("data", () => ok());
      listener.once("exit", (code) => fail(new Error(`listener exited ${code}`)));
    });
    return await client.exec(process.execPath, [
      "-e",
      `const c = require("node:net").connect({ host: "${VPC_HOST}", port: ${PORT} }, () => c.write("hello"));
       c.setTimeout(${timeoutMs}, () => { console.error("timeout"); process.exit(1); });
       c.on("data", (d) => process.stdout.write(d));`,
    ]);
  } finally {
    if (listener.exitCode === null) listener.kill();
  }
}

describe("SoftwareRemoteAccessVpn against real WireGuard in network namespaces", function () {
  this.timeout(60000);
  let lab: Lab | undefined;
  let server: WireguardInterface | undefined;
  let client: WireguardInterface | undefined;
  let r: Rendered;

  before(async function () {
    const why = await wireguardUnavailable();
    if (why) {
      console.log(`      ${SKIPPED} (${why})`);
      this.skip();
    }
    r = await rendered();
    lab = await Lab.create({ device: CLIENT_OUTSIDE, aws: [SERVER_OUTSIDE], prefixLength: 24 });
    server = new WireguardInterface(lab.aws, `wgs${lab.id}`);
    client = new WireguardInterface(lab.device, `wgc${lab.id}`);
    await Promise.all([server.start(), client.start()]);
    await server.setConf(r.serverConfig);
    await lab.aws.ip("address", "add", "10.250.0.1/24", "dev", server.name);
    await lab.aws.ip("link", "set", server.name, "up");
    await lab.aws.ip("address", "add", `${VPC_HOST}/32`, "dev", "lo");
    await client.setConf(r.clientConfig);
    await lab.device.ip("address", "add", "10.250.0.2/32", "dev", client.name);
    await lab.device.ip("link", "set", client.name, "up");
    // What wg-quick does with AllowedIPs: a route for each through the interface.
    for (const cidr of r.allowedIps) await lab.device.ip("route", "add", cidr, "dev", client.name);
  });

  after(async () => {
    server?.stop();
    client?.stop();
    await lab?.destroy();
  });

  it("derives the server's public key as `wg pubkey` does from the private key in wg0.conf", async () => {
    const privateKey = /^PrivateKey = (\S+)$/m.exec(r.serverConfig)?.[1] ?? "";
    expect(privateKey).to.match(/^[A-Za-z0-9+/]{43}=$/);
    expect(wireguardPublicKey(privateKey)).to.equal(r.serverPublicKey);
    const shown = await (lab as Lab).aws.exec("wg", [
      "show",
      (server as WireguardInterface).name,
      "public-key",
    ]);
    expect(shown.trim()).to.equal(r.serverPublicKey);
    expect(r.allowedIps).to.deep.equal(["10.0.0.0/16", "10.250.0.1/32"]);
  });

  it("completes the handshake and passes TCP from the client's pool address to the VPC", async () => {
    const l = lab as Lab;
    const reply = await tcpExchange(l.aws, l.device, 5000);
    expect(reply).to.equal("vpc got hello from 10.250.0.2");
    const onClient = await (client as WireguardInterface).latestHandshakes();
    expect(Object.keys(onClient)).to.deep.equal([r.serverPublicKey]);
    expect(onClient[r.serverPublicKey], "the client's latest handshake").to.be.greaterThan(0);
  });

  it("gets no handshake and no connection with another server key in the client configuration", async () => {
    const l = lab as Lab;
    const other = await generateKeyPair();
    await (client as WireguardInterface).setConf(
      r.clientConfig.replace(`PublicKey = ${r.serverPublicKey}`, `PublicKey = ${other.publicKey}`),
    );
    let failure: unknown;
    try {
      await tcpExchange(l.aws, l.device, 3000);
    } catch (e) {
      failure = e;
    }
    expect(String(failure)).to.match(/timeout/);
    expect(await (client as WireguardInterface).latestHandshakes()).to.deep.equal({ [other.publicKey]: 0 });
  });
});
