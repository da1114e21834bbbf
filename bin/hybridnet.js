#!/usr/bin/env node
// The `hybridnet` command: cli/main.ts. Compiled (.build/, which the planner brings up to date for its workers:
// cli/build.ts) when no source is newer than its compiled form, which spares loading through tsx (about a second
// of CPU); else, with --no-warm (the baseline of docs/performance.md) and with HYBRIDNET_CLI=tsx, through tsx.
function compiledMain() {
  if (process.env.HYBRIDNET_CLI === "tsx" || process.argv.includes("--no-warm")) return undefined;
  try {
    // An old compiled build.js (without isBuilt) or none: through tsx.
    return require("../.build/cli/build.js").isBuilt() ? require("../.build/cli/main.js").main : undefined;
  } catch {
    return undefined;
  }
}

let main = compiledMain();
if (!main) {
  require("tsx/cjs");
  main = require("../cli/main.ts").main;
}
main(process.argv.slice(2)).then((code) => {
  // Not process.exit: output to a pipe is written asynchronously, and exiting now would cut a long plan short.
  process.exitCode = code;
});
