#!/usr/bin/env node
// The `hybridnet` command: runs cli/main.ts through tsx (the planner compiles what its stack processes run).
require("tsx/cjs");
require("../cli/main.ts")
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));
