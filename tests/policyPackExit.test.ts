/**
 * The policy pack process the planner starts (with `--pack-process` or `--no-warm`; otherwise the stack workers
 * run the policies) exits when the planner goes away, however it goes: a planner killed with SIGKILL (no exit
 * handler runs) leaves no pack serving. cli/packParent.ts.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { ROOT } from "./cli";

/** The parent pid and state of a process, or undefined when it is gone. */
function statOf(pid: number): { ppid: number; state: string } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(ppid), state };
  } catch {
    return undefined;
  }
}

/** Processes whose parent is `parent`, with their command lines. */
function childrenOf(parent: number): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (statOf(pid)?.ppid !== parent) continue;
    try {
      found.push({ pid, command: fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ") });
    } catch {
      // Gone since the listing.
    }
  }
  return found;
}

/** Running: present and not a zombie (an exited process its new parent has not reaped yet). */
const running = (pid: number) => {
  const stat = statOf(pid);
  return stat !== undefined && stat.state !== "Z";
};

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the policy pack process", () => {
  it("exits when the planner that started it is killed", async function () {
    this.timeout(300_000);
    const planner = spawn(
      process.execPath,
      [path.join(ROOT, "bin", "hybridnet.js"), "plan", "--env", "dev", "--pack-process"],
      {
        cwd: ROOT,
        stdio: "ignore",
      },
    );
    const plannerPid = planner.pid as number;
    const exited = new Promise((resolve) => planner.once("exit", resolve));
    const started = new Set<number>();
    try {
      const pack = await until("the planner starts the policy pack", 240_000, () => {
        const children = childrenOf(plannerPid);
        for (const c of children) started.add(c.pid);
        return children.find((c) => /policy[/\\]index\.(js|ts)/.test(c.command));
      });
      expect(running(pack.pid), "the pack runs before the planner is killed").to.equal(true);
      planner.kill("SIGKILL");
      await exited;
      await until("the pack exits after its planner was killed", 30_000, () =>
        running(pack.pid) ? undefined : true,
      );
      expect(running(pack.pid)).to.equal(false);
    } finally {
      if (planner.exitCode === null && planner.signalCode === null) planner.kill("SIGKILL");
      // Whatever else the planner had started (its stack workers) is this test's to stop.
      for (const pid of started)
        if (running(pid))
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // Exited meanwhile.
          }
    }
  });
});
