/**
 * V8's code cache for the modules a worker and the command load (cli/compileCache.ts): a module compiled from
 * the cache behaves as compiled from source, and a module whose source changed is never run from its old code.
 * Each run is a child process (the cache patches the module loader of the process it is installed in).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { ensureBuilt, ROOT } from "../cli/build";
import {
  CACHE_ENV,
  COMPILE_CACHE_DIR,
  type CompileCacheStats,
  compileCacheChild,
  compileCacheEnabled,
} from "../cli/compileCache";
import { STACKS_DIR } from "../cli/plan";
import { WorkerPool } from "../cli/workerPool";
import { readStackFiles } from "../model/environment";

interface Run {
  value: unknown;
  stats: CompileCacheStats;
}

describe("the compile cache", function () {
  this.timeout(120_000);
  let dir: string;
  let cacheDir: string;
  let main: string;

  before(() => {
    ensureBuilt();
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hybridnet-compile-cache-"));
    cacheDir = path.join(dir, "cache");
    main = path.join(dir, "main.js");
    // The main module is compiled by Node itself; what it requires goes through the cache.
    fs.writeFileSync(
      main,
      `const value = require(process.argv[2]);
const { compileCacheStats } = require(${JSON.stringify(path.join(__dirname, "..", ".build", "cli", "compileCache.js"))});
process.stdout.write(JSON.stringify({ value, stats: compileCacheStats() }));
`,
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs `module` in a new node process with the cache preloaded as a worker has it. */
  function run(module: string, env: Record<string, string> = {}): Run {
    const child = compileCacheChild(cacheDir);
    const out = execFileSync(process.execPath, [...child.nodeFlags, main, module], {
      env: { ...process.env, ...child.env, ...env },
      encoding: "utf8",
    });
    return JSON.parse(out) as Run;
  }

  it("runs a module from the cache after the first run, and its new code after its source changed", () => {
    const module = path.join(dir, "answer.js");
    fs.writeFileSync(module, "module.exports = { answer: 41 };\n");
    const first = run(module);
    expect(first.value).to.deep.equal({ answer: 41 });
    expect(first.stats).to.include({ hits: 0, misses: 1, stale: 0 });
    const second = run(module);
    expect(second.value).to.deep.equal({ answer: 41 });
    expect(second.stats).to.include({ hits: 1, misses: 0, stale: 0 });

    // The same length, so only the source's hash tells the old code from the new (V8 checks the length alone).
    fs.writeFileSync(module, "module.exports = { answer: 42 };\n");
    const changed = run(module);
    expect(changed.value).to.deep.equal({ answer: 42 });
    expect(changed.stats).to.include({ hits: 0, misses: 1, stale: 1 });
    const again = run(module);
    expect(again.value).to.deep.equal({ answer: 42 });
    expect(again.stats).to.include({ hits: 1, misses: 0, stale: 0 });
  });

  it("keeps both sources of a file compiled twice in one process (as the policy cuts compile server.js), and writes nothing when both hit", () => {
    const module = path.join(dir, "server.js");
    fs.writeFileSync(module, "module.exports = { edited: false };\n");
    // Loads the file as it is, then compiles the same file name from an edited source, as cli/policyCuts.ts does.
    const both = path.join(dir, "both.js");
    fs.writeFileSync(
      both,
      `const Module = require("node:module");
const plain = require(${JSON.stringify(module)});
const edited = new Module(${JSON.stringify(module)}, module);
edited._compile("module.exports = { edited: true };\\n", ${JSON.stringify(module)});
module.exports = [plain, edited.exports];
`,
    );
    const first = run(both);
    expect(first.value).to.deep.equal([{ edited: false }, { edited: true }]);
    expect(first.stats).to.include({ hits: 0, misses: 3, stale: 0 });
    const file = first.stats.file;
    const written = fs.statSync(file).mtimeMs;
    const second = run(both);
    expect(second.value).to.deep.equal([{ edited: false }, { edited: true }]);
    // Before, the file kept one source: the other missed as stale in every process, which rewrote the cache.
    expect(second.stats).to.include({ hits: 3, misses: 0, stale: 0 });
    expect(fs.statSync(file).mtimeMs).to.equal(written);

    // A source changed since: its old entry is dropped, the other source of the file still hits.
    fs.writeFileSync(module, "module.exports = { edited: 0 };\n");
    const changed = run(both);
    expect(changed.value).to.deep.equal([{ edited: 0 }, { edited: true }]);
    expect(changed.stats).to.include({ hits: 2, misses: 1, stale: 1 });
    expect(run(both).stats).to.include({ hits: 3, misses: 0, stale: 0 });
  });

  it("gives a cached module what Node gives it: this, exports, require and its resolve, the file and directory names", () => {
    fs.writeFileSync(path.join(dir, "dep.js"), "exports.name = 'dep';\n");
    const module = path.join(dir, "probe.js");
    fs.writeFileSync(
      module,
      `#!/usr/bin/env node
module.exports = {
  thisIsExports: this === exports,
  dep: require("./dep").name,
  resolved: require.resolve("./dep"),
  paths: Array.isArray(require.resolve.paths("x")),
  cached: require.resolve("./dep") in require.cache,
  main: require.main === process.mainModule,
  filename: __filename,
  dirname: __dirname,
  line: new Error().stack.split("\\n")[1].replace(/.*:(\\d+):\\d+\\)?$/, "$1"),
};
`,
    );
    const expected = {
      thisIsExports: true,
      dep: "dep",
      resolved: path.join(dir, "dep.js"),
      paths: true,
      cached: true,
      main: true,
      filename: module,
      dirname: dir,
      // The shebang line is kept as a line: errors name the lines of the source.
      line: "11",
    };
    expect(run(module).value).to.deep.equal(expected);
    const cached = run(module);
    expect(cached.stats.hits).to.equal(2);
    expect(cached.value).to.deep.equal(expected);
  });

  it("is on unless HYBRIDNET_COMPILE_CACHE says off", () => {
    expect(compileCacheEnabled({})).to.equal(true);
    expect(compileCacheEnabled({ [CACHE_ENV]: "/some/dir" })).to.equal(true);
    for (const off of ["off", "OFF", "0", "false"])
      expect(compileCacheEnabled({ [CACHE_ENV]: off })).to.equal(false);
    const module = path.join(dir, "answer.js");
    fs.writeFileSync(module, "module.exports = 7;\n");
    run(module);
    // Preloaded but switched off: nothing installed.
    expect(run(module, { [CACHE_ENV]: "off" }).stats).to.equal(undefined);
  });

  it("loads node:crypto only to hash: the worker pool, which the command loads to fork its first worker, does not", () => {
    const build = path.join(ROOT, ".build", "cli");
    // A script file: `node -e` loads node:crypto for its own use.
    const loaded = (script: string) => {
      const file = path.join(dir, "crypto.js");
      fs.writeFileSync(
        file,
        `${script};\nprocess.stdout.write(String(process.moduleLoadList.includes("NativeModule crypto")));\n`,
      );
      return execFileSync(process.execPath, [file], {
        encoding: "utf8",
        env: { ...process.env, [CACHE_ENV]: "off" },
      });
    };
    expect(loaded(`require(${JSON.stringify(path.join(build, "workerPool.js"))})`)).to.equal("false");
    const cache = JSON.stringify(path.join(build, "compileCache.js"));
    expect(loaded(`require(${cache}).installCompileCache(${JSON.stringify(cacheDir)})`)).to.equal("true");
  });

  it("a worker planning with the cache plans what a worker without it plans", async () => {
    const file = readStackFiles(STACKS_DIR, "dev").find((f) => f.stack === "connectivity-dev");
    expect(file).to.not.equal(undefined);
    const request = {
      program: path.join(STACKS_DIR, "index.ts"),
      stack: "connectivity-dev",
      project: "hybridnet",
      config: file?.config ?? {},
      stackOutputs: {},
    };
    const plans: unknown[] = [];
    // Without; with, filling the cache; with, from the cache.
    for (const compileCache of [false, true, true]) {
      const pool = new WorkerPool({ size: 1, compileCache });
      try {
        const run = await pool.run(request);
        plans.push({ ...run.plan, stats: undefined, reference: run.reference });
      } finally {
        await pool.close();
      }
    }
    expect((plans[0] as { resources: unknown[] }).resources.length).to.be.greaterThan(50);
    expect(fs.readdirSync(COMPILE_CACHE_DIR).filter((f) => f.endsWith(".bin"))).to.not.be.empty;
    expect(plans[1]).to.deep.equal(plans[0]);
    expect(plans[2]).to.deep.equal(plans[0]);
  });
});
