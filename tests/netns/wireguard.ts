/**
 * WireGuard in the lab's namespaces: Debian's userspace `wireguard-go` (this kernel has no wireguard module; it
 * carries the tunnel over a TUN device) configured with `wg setconf` from a wg-quick file after `wg-quick strip`
 * takes out what only wg-quick reads (Address, DNS, PostUp), as wg-quick itself does. Each interface runs one
 * wireguard-go process this helper started and stops by its pid; its control socket is
 * /var/run/wireguard/<interface>.sock, so interface names are unique per lab.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type LabSide, namespacesUnavailable, run, waitFor } from "./lab";

const TOOLS = ["/usr/bin/wireguard-go", "/usr/bin/wg", "/usr/bin/wg-quick"];

/** What WireGuard in namespaces needs: root, the tools, a TUN device, namespaces. */
export async function wireguardUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return "not root";
  for (const tool of TOOLS) if (!existsSync(tool)) return `${tool} is not installed`;
  if (!existsSync("/dev/net/tun")) return "no /dev/net/tun";
  return namespacesUnavailable();
}

/** `wg genkey` and `wg pubkey`: a client's key pair, made as a user makes it. */
export async function generateKeyPair(): Promise<{ privateKey: string; publicKey: string }> {
  const privateKey = (await run("wg", ["genkey"])).trim();
  const publicKey = await new Promise<string>((resolve, reject) => {
    const wg = spawn("wg", ["pubkey"], { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    wg.stdout.on("data", (d) => {
      out += d;
    });
    wg.once("exit", (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`wg pubkey exited ${code}`)),
    );
    wg.stdin.end(`${privateKey}\n`);
  });
  return { privateKey, publicKey };
}

/** One WireGuard interface in a lab side's namespace. */
export class WireguardInterface {
  private process?: ChildProcess;

  constructor(
    readonly side: LabSide,
    readonly name: string,
  ) {}

  /** Starts wireguard-go in the foreground inside the namespace and waits for its interface and socket. */
  async start(): Promise<void> {
    this.process = spawn("ip", ["netns", "exec", this.side.ns, "wireguard-go", "-f", this.name], {
      stdio: "ignore",
    });
    await waitFor(`${this.side.label} ${this.name}`, 10, async () => {
      await this.side.ip("link", "show", this.name);
      return existsSync(`/var/run/wireguard/${this.name}.sock`) ? true : undefined;
    });
  }

  /** Applies a wg-quick file: `wg-quick strip`, then `wg setconf` (replacing every peer). */
  async setConf(wgQuickText: string): Promise<void> {
    const file = join(this.side.dir, `${this.name}.conf`);
    writeFileSync(file, wgQuickText, { mode: 0o600 });
    const stripped = join(this.side.dir, `${this.name}.stripped`);
    writeFileSync(stripped, await run("wg-quick", ["strip", file]), { mode: 0o600 });
    await this.side.exec("wg", ["setconf", this.name, stripped]);
  }

  /** Peers' latest handshakes (seconds since the epoch; 0 for none), by public key. */
  async latestHandshakes(): Promise<Record<string, number>> {
    const text = await this.side.exec("wg", ["show", this.name, "latest-handshakes"]);
    return Object.fromEntries(
      text
        .trim()
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => {
          const [key, when] = l.split("\t");
          return [key, Number(when)];
        }),
    );
  }

  /** Stops this interface's wireguard-go, by its pid. */
  stop(): void {
    if (this.process?.pid !== undefined && this.process.exitCode === null) this.process.kill("SIGTERM");
  }
}
