#!/usr/bin/env node
// The `hybridnet` command: runs cli/main.ts through tsx (the planner compiles what its stack processes run).
require("tsx/cjs");
require("../cli/main.ts")
  .main(process.argv.slice(2))
  .then((code) => {
    // Not process.exit: output to a pipe is written asynchronously, and exiting now would cut a long plan short.
    process.exitCode = code;
  });
