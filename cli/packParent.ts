/**
 * Preloaded (`--require`) into the policy pack process the planner starts (cli/analyzer.ts): the pack exits
 * when its standard input closes. The planner holds the other end of that pipe and never writes to it; the
 * operating system closes it when the planner exits, however it exits (killed with SIGKILL included), and
 * `PolicyPackClient.close` closes it to stop the pack. Without this, a pack whose planner was killed kept
 * serving, orphaned. Not part of the pack: `pulumi preview --policy-pack` starts the same pack without it and
 * stops it itself.
 */
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
