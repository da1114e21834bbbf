#!/usr/bin/env node
// The `hybridnet` command: cli/main.ts. Compiled (.build/, which the planner brings up to date for its workers:
// cli/build.ts) when no source is newer than its compiled form, which spares loading through tsx (about a second
// of CPU), and then with V8's code cache (cli/compileCache.ts); else, with --no-warm (the baseline of
// docs/performance.md) and with HYBRIDNET_CLI=tsx, through tsx.
const path = require("node:path");

function compiledMain() {
  if (process.env.HYBRIDNET_CLI === "tsx" || process.argv.includes("--no-warm")) return undefined;
  try {
    // An old compiled build.js (without isBuilt) or none: through tsx.
    if (!require("../.build/cli/build.js").isBuilt()) return undefined;
    // V8 optimizes later, as in the workers (INTERRUPT_BUDGET_FLAG of cli/spawnStack.ts); before any module of
    // the command's is compiled.
    require("node:v8").setFlagsFromString(require("../.build/cli/spawnStack.js").INTERRUPT_BUDGET_FLAG);
    // `plan`: its first worker starts loading now, beside the command (cli/workerPool.ts prestartWorker); the
    // pool of cli/plan.ts adopts it. The program is cli/plan.ts's PROGRAM. Before the command reads its own code
    // cache: the first stack pass waits for this worker, and the command is ready long before.
    if (process.argv[2] === "plan" && !process.argv.includes("--help") && !process.argv.includes("-h"))
      require("../.build/cli/workerPool.js").prestartWorker({
        preload: path.join(__dirname, "..", "stacks", "index.ts"),
      });
    // V8's code cache for the modules it loads from here on (cli/compileCache.ts); HYBRIDNET_COMPILE_CACHE=off
    // without.
    const cache = require("../.build/cli/compileCache.js");
    if (cache.compileCacheEnabled()) cache.installCompileCache(cache.COMPILE_CACHE_DIR);
    return require("../.build/cli/main.js").main;
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
