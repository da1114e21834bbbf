/**
 * A two-namespace lab for device configurations: namespaces "device" and "aws" joined by a veth pair, each
 * running strongSwan's charon with the userspace IPsec stack (`kernel-libipsec`: this kernel has no ESP, see
 * ../shared/DESIGN.md) and FRR (zebra, staticd, bgpd). Every name is unique per lab, every file (strongSwan and
 * FRR configuration, pid files, vty and vici sockets, logs) lives under one temporary directory, and `destroy`
 * stops exactly the processes the lab started and deletes the namespaces, so a failed test leaves nothing
 * behind. Traffic stays inside the namespaces: the veth pair has no way out and the lab adds no default route.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { alive } from "../processes";

const CHARON = "/usr/lib/ipsec/charon";
const FRR_DIR = "/usr/lib/frr";
const FRR_DAEMONS = ["zebra", "staticd", "bgpd"] as const;

/** What the lab needs on the machine: root, `ip netns`, strongSwan's charon and swanctl, FRR. */
export async function labUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return "not root";
  const plugins = ["kernel-libipsec", "openssl", "gcm", "vici"].map(
    (p) => `/usr/lib/ipsec/plugins/libstrongswan-${p}.so`,
  );
  for (const binary of [
    CHARON,
    "/usr/sbin/swanctl",
    `${FRR_DIR}/zebra`,
    `${FRR_DIR}/bgpd`,
    "/usr/bin/vtysh",
    ...plugins,
  ])
    if (!existsSync(binary)) return `${binary} is not installed`;
  return namespacesUnavailable();
}

/** Why network namespaces cannot be made here (a probe adds and deletes one), or undefined. */
export async function namespacesUnavailable(): Promise<string | undefined> {
  const probe = `hnprobe${randomBytes(3).toString("hex")}`;
  try {
    await run("ip", ["netns", "add", probe]);
    await run("ip", ["netns", "del", probe]);
  } catch (e) {
    return `network namespaces are unavailable: ${(e as Error).message}`;
  }
  return undefined;
}

/** Runs a command; rejects with its stderr when it fails. */
export function run(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env: env ?? process.env, timeout: 20000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(" ")}: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Polls `check` every 200 ms until it returns a value other than undefined, or fails after `seconds`. */
export async function waitFor<T>(
  what: string,
  seconds: number,
  check: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${seconds} s waiting for ${what}${last ? `: ${last}` : ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** One side of the lab: a namespace with its own strongSwan and FRR. */
export class LabSide {
  readonly dir: string;
  private charon?: ChildProcess;
  private frrStarted = false;

  constructor(
    readonly ns: string,
    root: string,
    readonly label: string,
  ) {
    this.dir = join(root, label);
    mkdirSync(this.dir, { recursive: true });
  }

  /** Runs a command inside the namespace. */
  exec(command: string, args: string[]): Promise<string> {
    return run("ip", ["netns", "exec", this.ns, command, ...args]);
  }

  /** `ip` inside the namespace. */
  ip(...args: string[]): Promise<string> {
    return run("ip", ["-n", this.ns, ...args]);
  }

  get vici(): string {
    return `unix://${join(this.dir, "charon.vici")}`;
  }

  get charonLog(): string {
    return join(this.dir, "charon.log");
  }

  /**
   * Starts charon with kernel-libipsec in the namespace (with a private /run, so its pid file and control
   * socket stay out of the host's), and prepares its TUN device `ipsec0` to carry the tunnels: kernel-libipsec
   * always routes a 0.0.0.0/0 selector through `ipsec0` in its own table (it ignores `install_routes`), which
   * would swallow IKE itself, so the lab drops that table's rule and lets FRR route, as on an appliance with
   * XFRM interfaces. `insideAddresses` (CIDR notation) go on `ipsec0`.
   */
  async startCharon(insideAddresses: string[]): Promise<void> {
    const conf = join(this.dir, "strongswan.conf");
    writeFileSync(
      conf,
      [
        "charon {",
        "  load = random nonce aes sha1 sha2 hmac gcm openssl pem pkcs1 x509 revocation constraints pubkey gmp kdf socket-default kernel-libipsec kernel-netlink vici updown",
        "  install_routes = no",
        "  filelog {",
        "    main {",
        `      path = ${this.charonLog}`,
        "      default = 1",
        "      append = no",
        "      flush_line = yes",
        "    }",
        "  }",
        "  plugins {",
        "    vici {",
        `      socket = ${this.vici}`,
        "    }",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
    this.charon = spawn(
      "ip",
      ["netns", "exec", this.ns, "unshare", "-m", "sh", "-c", `mount -t tmpfs none /run && exec ${CHARON}`],
      { env: { ...process.env, STRONGSWAN_CONF: conf }, stdio: "ignore" },
    );
    await waitFor(`${this.label} charon's vici socket`, 10, () =>
      existsSync(join(this.dir, "charon.vici")) ? true : undefined,
    );
    await waitFor(`${this.label} ipsec0 and its routing rule`, 10, async () => {
      await this.ip("link", "show", "ipsec0");
      return (await this.ip("rule", "show", "pref", "220")).includes("220") ? true : undefined;
    });
    await this.ip("rule", "del", "pref", "220");
    await this.ip("-6", "rule", "del", "pref", "220").catch(() => undefined);
    for (const address of insideAddresses) await this.ip("address", "add", address, "dev", "ipsec0");
  }

  /** Loads a swanctl.conf into this side's charon. */
  async loadSwanctl(text: string): Promise<void> {
    const file = join(this.dir, "swanctl.conf");
    writeFileSync(file, text);
    await this.exec("swanctl", ["--load-all", "--file", file, "--uri", this.vici]);
  }

  /** `swanctl --list-sas` text. */
  listSas(): Promise<string> {
    return this.exec("swanctl", ["--list-sas", "--uri", this.vici]);
  }

  /** Starts zebra, staticd and bgpd in the namespace (as FRR's own user) and applies `frrConf` through vtysh. */
  async startFrr(frrConf: string): Promise<void> {
    const frrDir = join(this.dir, "frr");
    mkdirSync(frrDir, { recursive: true });
    await run("chown", ["frr:frr", frrDir]);
    this.frrStarted = true;
    for (const daemon of FRR_DAEMONS) {
      await this.exec(`${FRR_DIR}/${daemon}`, [
        "-d",
        "-i",
        join(frrDir, `${daemon}.pid`),
        "-z",
        join(frrDir, "zserv.api"),
        "--vty_socket",
        frrDir,
        "--log",
        `file:${join(frrDir, `${daemon}.log`)}`,
      ]);
      await waitFor(`${this.label} ${daemon}`, 10, () =>
        existsSync(join(frrDir, `${daemon}.vty`)) ? true : undefined,
      );
    }
    const file = join(this.dir, "frr.conf");
    writeFileSync(file, frrConf);
    const out = await this.exec("vtysh", ["--vty_socket", frrDir, "-f", file]);
    if (/% (Unknown|Invalid|Ambiguous)/.test(out)) throw new Error(`${this.label} frr.conf refused:\n${out}`);
  }

  /** A vtysh command's output, parsed as JSON. */
  async vtyshJson<T>(command: string): Promise<T> {
    return JSON.parse(await this.exec("vtysh", ["--vty_socket", join(this.dir, "frr"), "-c", command])) as T;
  }

  /** Stops what this side started: charon and the FRR daemons, by their own pids. */
  async stop(): Promise<void> {
    const pids: number[] = [];
    if (this.charon?.pid !== undefined && this.charon.exitCode === null) pids.push(this.charon.pid);
    if (this.frrStarted)
      for (const daemon of FRR_DAEMONS) {
        const file = join(this.dir, "frr", `${daemon}.pid`);
        if (existsSync(file)) pids.push(Number(readFileSync(file, "utf8").trim()));
      }
    for (const pid of pids) signal(pid, "SIGTERM");
    const deadline = Date.now() + 3000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const pid of pids.filter(alive)) signal(pid, "SIGKILL");
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** The addresses the lab puts on the veth pair: the device's outside address, and AWS's tunnel outside addresses. */
export interface LabAddresses {
  /** Device's outside address, on the device's end of the veth pair (a /24 of a documentation block). */
  device: string;
  /** AWS's tunnel outside addresses, on the AWS end of the same /24. */
  aws: string[];
  /** Prefix length of the shared underlay. */
  prefixLength: number;
}

/** Two namespaces, "device" and "aws", joined by a veth pair. */
export class Lab {
  readonly device: LabSide;
  readonly aws: LabSide;
  private readonly root: string;
  private readonly created: string[] = [];

  private constructor(readonly id: string) {
    this.root = mkdtempSync(join(tmpdir(), `hybridnet-netns-${id}-`));
    // FRR's daemons run as the frr user and need to reach their directory under this one.
    chmodSync(this.root, 0o755);
    this.device = new LabSide(`hn-${id}-dev`, this.root, "device");
    this.aws = new LabSide(`hn-${id}-aws`, this.root, "aws");
  }

  /** Creates the namespaces and the veth pair with the given underlay addresses. */
  static async create(addresses: LabAddresses): Promise<Lab> {
    const lab = new Lab(randomBytes(3).toString("hex"));
    try {
      await lab.build(addresses);
    } catch (e) {
      await lab.destroy();
      throw e;
    }
    return lab;
  }

  private async build(addresses: LabAddresses): Promise<void> {
    for (const side of [this.device, this.aws]) {
      await run("ip", ["netns", "add", side.ns]);
      this.created.push(side.ns);
      await side.ip("link", "set", "lo", "up");
    }
    const devLink = `hnd${this.id}`;
    const awsLink = `hna${this.id}`;
    await run("ip", ["link", "add", devLink, "type", "veth", "peer", "name", awsLink]);
    await run("ip", ["link", "set", devLink, "netns", this.device.ns]);
    await run("ip", ["link", "set", awsLink, "netns", this.aws.ns]);
    await this.device.ip("address", "add", `${addresses.device}/${addresses.prefixLength}`, "dev", devLink);
    for (const address of addresses.aws)
      await this.aws.ip("address", "add", `${address}/${addresses.prefixLength}`, "dev", awsLink);
    await this.device.ip("link", "set", devLink, "up");
    await this.aws.ip("link", "set", awsLink, "up");
  }

  /** Stops both sides' processes and deletes the namespaces (the veth pair goes with them) and the files. */
  async destroy(): Promise<void> {
    await Promise.all([this.device.stop(), this.aws.stop()]);
    for (const ns of this.created) await run("ip", ["netns", "del", ns]).catch(() => undefined);
    if (!process.env.HYBRIDNET_KEEP_NETNS_FILES) rmSync(this.root, { recursive: true, force: true });
  }
}
