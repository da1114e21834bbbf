/**
 * V8's code cache for the CommonJS modules a process loads (Node 20 has no `module.enableCompileCache`): a
 * worker of the offline planner and the `hybridnet` command compile the same ~800 modules (the SDK,
 * `@pulumi/aws`, the program) at every start, about a third of a worker's start-up CPU. With the cache, each
 * module's code is compiled from the bytecode V8 serialized after an earlier run (`vm.Script` `cachedData`),
 * which also holds the functions that run compiled lazily, so the first pass is warmer too.
 *
 * One file per Node.js version, architecture and node flags (V8 refuses code cached under other flags) under
 * `.build/compile-cache/` (gitignored), read once at start. Never stale: each entry keeps a SHA-1 of the
 * module's source and is used only when the source read now has the same hash (and V8 accepts it); a process
 * that compiled any module without a usable entry writes the file anew when it exits, through a temporary
 * file and a rename, so processes exiting at once never leave a half-written cache. A file compiled from two
 * sources in one process (@pulumi/policy's server.js, loaded as it is and with the policy cuts made:
 * cli/policyCuts.ts) keeps an entry per source, so the next process hits both and writes nothing; a file's
 * entries are those of the sources the last process that compiled it compiled.
 *
 * Installed by the worker pool (`--require` of this module with {@link CACHE_ENV} naming the directory) and by
 * bin/hybridnet.js; off with `--no-warm` (the baseline) and with `HYBRIDNET_COMPILE_CACHE=off`
 * (docs/performance.md "Starting processes").
 */
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";
import { BUILD_DIR } from "./build";

/** The environment variable that switches the cache: `off`, or the directory of the cache files. */
export const CACHE_ENV = "HYBRIDNET_COMPILE_CACHE";

/** Where the cache files are. */
export const COMPILE_CACHE_DIR = path.join(BUILD_DIR, "compile-cache");

/**
 * The node flags and environment that make a child process (a compiled worker) use the cache: this module
 * preloaded, the directory in {@link CACHE_ENV}.
 */
export function compileCacheChild(dir = COMPILE_CACHE_DIR): {
  nodeFlags: string[];
  env: Record<string, string>;
} {
  return {
    nodeFlags: ["--require", path.join(BUILD_DIR, "cli", "compileCache.js")],
    env: { [CACHE_ENV]: dir },
  };
}

/** Whether the environment leaves the cache on (anything but `off`, `0` or `false`). */
export function compileCacheEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return !["off", "0", "false"].includes((env[CACHE_ENV] ?? "").toLowerCase());
}

/** The layout of the cache file; part of its name, so a file of another layout is never read. */
const FORMAT = 2;

interface Entry {
  /** SHA-1 of the module's source, hex. */
  hash: string;
  data: Buffer;
}

/** What a process did with the cache; {@link compileCacheStats}. */
export interface CompileCacheStats {
  file: string;
  /** Modules compiled from a cache entry V8 accepted. */
  hits: number;
  /** Modules compiled from source: no entry, a source whose hash changed, or an entry V8 refused. */
  misses: number;
  /** Of the misses, entries there were but for another source (the module changed since). */
  stale: number;
}

interface ModuleInternals {
  _compile(content: string, filename: string, format?: string): unknown;
  exports: unknown;
  id: string;
  require(id: string): unknown;
}

interface ModuleStatics {
  wrap(script: string): string;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: unknown): string[] | null;
  _extensions: unknown;
  _cache: unknown;
}

let installed: CompileCacheStats | undefined;

/**
 * SHA-1 of `text`, hex. `node:crypto` loads only here: the worker pool imports this module for
 * {@link compileCacheChild} as the command starts, before it forks its first worker, and loading `node:crypto`
 * takes about 8 ms.
 */
function sha1(text: string): string {
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  return createHash("sha1").update(text).digest("hex");
}

/** What the cache did in this process so far, or undefined when it is not installed. */
export function compileCacheStats(): CompileCacheStats | undefined {
  return installed && { ...installed };
}

/** The cache file of this process: one per Node.js version, architecture and node flags. */
export function cacheFile(dir: string): string {
  const key = sha1(
    JSON.stringify([FORMAT, process.version, process.arch, process.execArgv.filter(isV8Relevant)]),
  ).slice(0, 16);
  return path.join(dir, `${key}.bin`);
}

/** Flags that do not change what V8 compiles (which modules are preloaded, profiling) do not split the cache. */
function isV8Relevant(flag: string, index: number, all: string[]): boolean {
  if (flag === "--require" || flag === "-r") return false;
  if (all[index - 1] === "--require" || all[index - 1] === "-r") return false;
  return !flag.startsWith("--require=") && !flag.startsWith("--cpu-prof") && !flag.startsWith("--heap-prof");
}

/** The file: a 4-byte length, the index (JSON: filename → [[hash, offset, length], …]), then the data. */
function readCache(file: string): Map<string, Entry[]> {
  const entries = new Map<string, Entry[]>();
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch {
    return entries;
  }
  try {
    const indexLength = buffer.readUInt32LE(0);
    const index = JSON.parse(buffer.subarray(4, 4 + indexLength).toString("utf8")) as Record<
      string,
      [string, number, number][]
    >;
    const base = 4 + indexLength;
    for (const [filename, versions] of Object.entries(index))
      entries.set(
        filename,
        versions.map(([hash, offset, length]) => ({
          hash,
          data: buffer.subarray(base + offset, base + offset + length),
        })),
      );
  } catch {
    // A damaged file: every module compiles from source and the file is written anew.
    entries.clear();
  }
  return entries;
}

function writeCache(file: string, entries: Map<string, Entry[]>): void {
  const index: Record<string, [string, number, number][]> = {};
  const parts: Buffer[] = [];
  let offset = 0;
  for (const [filename, versions] of entries) {
    index[filename] = versions.map(({ hash, data }) => {
      parts.push(data);
      offset += data.length;
      return [hash, offset - data.length, data.length];
    });
  }
  const indexBuffer = Buffer.from(JSON.stringify(index), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(indexBuffer.length, 0);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, Buffer.concat([length, indexBuffer, ...parts]));
  fs.renameSync(temporary, file);
}

/** The `require` a module's code gets, as Node makes it (`makeRequireFunction`). */
function requireFor(mod: ModuleInternals): NodeJS.Require {
  const statics = Module as unknown as ModuleStatics;
  const require = ((id: string) => mod.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: unknown) =>
    statics._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => statics._resolveLookupPaths(request, mod);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = statics._extensions as NodeJS.Require["extensions"];
  require.cache = statics._cache as NodeJS.Require["cache"];
  return require;
}

/**
 * Installs the cache over `Module.prototype._compile` for the modules this process loads from now on, reading
 * `dir`'s cache file; the file is written when the process exits if any module missed. Idempotent.
 */
export function installCompileCache(dir: string): CompileCacheStats {
  if (installed) return installed;
  const file = cacheFile(dir);
  const stats: CompileCacheStats = { file, hits: 0, misses: 0, stale: 0 };
  installed = stats;
  const entries = readCache(file);
  /**
   * The scripts compiled in this process, by file and source hash, to serialize at exit with what they
   * compiled lazily since.
   */
  const scripts = new Map<string, Map<string, vm.Script>>();
  const proto = Module.prototype as unknown as ModuleInternals;
  const original = proto._compile;
  const wrap = (Module as unknown as ModuleStatics).wrap;
  proto._compile = function compileCached(
    this: ModuleInternals,
    content: string,
    filename: string,
    format?: string,
  ) {
    // ES modules, and the main module (Node's own compile keeps a stat cache for the require tree it starts).
    if (format === "module" || this.id === ".") return original.call(this, content, filename, format);
    const hash = sha1(content);
    const versions = entries.get(filename);
    const usable = versions?.find((entry) => entry.hash === hash)?.data;
    if (versions && !usable) stats.stale++;
    const source = content.startsWith("#!") ? `//${content.slice(2)}` : content;
    let script: vm.Script;
    try {
      script = new vm.Script(wrap(source), {
        filename,
        ...(usable ? { cachedData: usable } : {}),
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      } as vm.ScriptOptions);
    } catch {
      // Not a script V8 takes as CommonJS (an ES module in a .js file, say): Node's own compile decides.
      return original.call(this, content, filename, format);
    }
    if (usable && !script.cachedDataRejected) stats.hits++;
    else stats.misses++;
    let compiled = scripts.get(filename);
    if (!compiled) {
      compiled = new Map();
      scripts.set(filename, compiled);
    }
    compiled.set(hash, script);
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };
  process.once("exit", () => {
    if (stats.misses === 0) return;
    try {
      for (const [filename, compiled] of scripts)
        entries.set(
          filename,
          [...compiled].map(([hash, script]) => ({ hash, data: script.createCachedData() })),
        );
      writeCache(file, entries);
    } catch {
      // A cache that cannot be written costs the next start its compile time, nothing else.
    }
  });
  return stats;
}

// Preloaded with `--require` and the directory in the environment (the worker pool): install at once.
const preloadDir = process.env[CACHE_ENV];
if (preloadDir && path.isAbsolute(preloadDir)) installCompileCache(preloadDir);
