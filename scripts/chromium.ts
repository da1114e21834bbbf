/**
 * Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: messages are
 * NUL-terminated JSON, written to the browser's fd 3 and read from its fd 4), so neither a WebSocket client
 * nor a browser-automation package is needed. Used by the report's browser test and by
 * `npm run report-screenshot`. Debian's `chromium` package; as root it needs `--no-sandbox`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Readable, Writable } from "node:stream";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** The Chromium binary on this machine, if there is one (CHROMIUM overrides). */
export function chromiumPath(): string | undefined {
  const env = process.env.CHROMIUM;
  if (env) return fs.existsSync(env) ? env : undefined;
  return CANDIDATES.find((p) => fs.existsSync(p));
}

// biome-ignore lint/suspicious/noExplicitAny: DevTools protocol messages are untyped JSON.
type Json = any;

export interface CdpMessage {
  id?: number;
  method?: string;
  params?: Json;
  result?: Json;
  error?: Json;
  sessionId?: string;
}

export class Chromium {
  private next = 1;
  private buffer = "";
  private pending = new Map<
    number,
    { resolve: (v: CdpMessage["result"]) => void; reject: (e: Error) => void }
  >();
  private listeners: ((m: CdpMessage) => void)[] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly input: Writable,
    output: Readable,
    private readonly profile: string,
  ) {
    output.setEncoding("utf8");
    output.on("data", (chunk: string) => this.receive(chunk));
    child.on("exit", () => {
      for (const p of this.pending.values()) p.reject(new Error("chromium exited"));
      this.pending.clear();
    });
  }

  /** Starts headless Chromium with a throw-away profile. */
  static launch(binary = chromiumPath()): Chromium {
    if (!binary) throw new Error("chromium not installed");
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), "hybridnet-chromium-"));
    const child = spawn(
      binary,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--hide-scrollbars",
        `--user-data-dir=${profile}`,
        "--remote-debugging-pipe",
      ],
      // Its own process group, so closing it ends its helper processes too (they write into the profile).
      { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"], detached: true },
    );
    return new Chromium(child, child.stdio[3] as Writable, child.stdio[4] as Readable, profile);
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end = this.buffer.indexOf("\0");
    while (end >= 0) {
      const message = JSON.parse(this.buffer.slice(0, end)) as CdpMessage;
      this.buffer = this.buffer.slice(end + 1);
      end = this.buffer.indexOf("\0");
      if (message.id !== undefined) {
        const p = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) p?.reject(new Error(`${message.error.message} (${message.error.code})`));
        else p?.resolve(message.result);
      } else for (const l of this.listeners) l(message);
    }
  }

  /** Sends one command (to a page when `sessionId` is given) and waits for its answer. */
  send(method: string, params: object = {}, sessionId?: string): Promise<CdpMessage["result"]> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  /** Every event the browser sends. */
  onEvent(listener: (m: CdpMessage) => void): void {
    this.listeners.push(listener);
  }

  /** Waits for the first event `method` of a session. */
  waitFor(method: string, sessionId: string, timeoutMs = 15000): Promise<CdpMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} within ${timeoutMs} ms`)), timeoutMs);
      this.onEvent((m) => {
        if (m.method === method && m.sessionId === sessionId) {
          clearTimeout(timer);
          resolve(m);
        }
      });
    });
  }

  /** Opens a page of `width`×`height` CSS pixels and loads `url`; returns its session id. */
  async open(url: string, width = 1600, height = 1000): Promise<string> {
    const { targetId } = await this.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.send("Target.attachToTarget", { targetId, flatten: true });
    for (const domain of ["Page", "Runtime", "Log"]) await this.send(`${domain}.enable`, {}, sessionId);
    await this.send(
      "Emulation.setDeviceMetricsOverride",
      { width, height, deviceScaleFactor: 1, mobile: false },
      sessionId,
    );
    const loaded = this.waitFor("Page.loadEventFired", sessionId);
    await this.send("Page.navigate", { url }, sessionId);
    await loaded;
    return sessionId;
  }

  /** Evaluates an expression in the page; returns its value (JSON). */
  async evaluate<T>(sessionId: string, expression: string): Promise<T> {
    const r = await this.send(
      "Runtime.evaluate",
      { expression, returnByValue: true, awaitPromise: true },
      sessionId,
    );
    if (r.exceptionDetails)
      throw new Error(`page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  }

  /** A PNG of the page's viewport. */
  async screenshot(sessionId: string): Promise<Buffer> {
    const { data } = await this.send("Page.captureScreenshot", { format: "png" }, sessionId);
    return Buffer.from(data as string, "base64");
  }

  /** Ends the browser and removes its profile. */
  async close(): Promise<void> {
    const exited =
      this.child.exitCode !== null || this.child.signalCode !== null
        ? Promise.resolve()
        : new Promise((resolve) => this.child.once("exit", resolve));
    try {
      await Promise.race([this.send("Browser.close"), new Promise((r) => setTimeout(r, 2000))]);
    } catch {
      // It may exit before answering.
    }
    if (this.child.exitCode === null) this.child.kill();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    // Its helper processes may outlive the browser and still write into the profile (ENOTEMPTY on a busy
    // machine): end the whole group before removing it.
    try {
      if (this.child.pid !== undefined) process.kill(-this.child.pid, "SIGKILL");
    } catch {
      // The group is gone already.
    }
    fs.rmSync(this.profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }
}
