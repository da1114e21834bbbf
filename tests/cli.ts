/** Runs the `hybridnet` command as a user does: its own process, from the repository root. */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..");

/** Runs `hybridnet ...args` with `env` added to this process's environment. */
export function hybridnetWith(env: Record<string, string>, ...args: string[]) {
  const run = spawnSync(process.execPath, [path.join(ROOT, "bin", "hybridnet.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
    // A plan's JSON holds every resource's inputs and outputs: more than the default 1 MiB.
    maxBuffer: 256 * 2 ** 20,
    env: { ...process.env, ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function hybridnet(...args: string[]) {
  return hybridnetWith({}, ...args);
}
