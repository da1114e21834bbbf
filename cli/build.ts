/**
 * Compiles the TypeScript a stack process runs (the stack process itself, components, model, stacks, bench
 * programs) to plain JavaScript in `.build/` (gitignored), so a stack process starts with `node` alone:
 * no TypeScript loader, no source-map support, which under the SDK's per-resource stack captures costs
 * time at every resource. Transpile only (no type check: `npm run typecheck` does that), and only the files
 * whose source is newer than their output, so the first spawn after a change pays about a second and every
 * other spawn a few milliseconds of `stat`. Automatic: `spawnStack` calls it; nothing to run by hand.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The repository root (this file is `<root>/cli/build.ts`, or `<root>/.build/cli/build.js` compiled). */
export const ROOT =
  path.basename(path.dirname(__dirname)) === ".build"
    ? path.dirname(path.dirname(__dirname))
    : path.dirname(__dirname);
export const BUILD_DIR = path.join(ROOT, ".build");
/** Where the hybridnet policy pack lives. */
export const POLICY_PACK_DIR = path.join(ROOT, "policy");

/** Source directories a stack process may load from, besides `index.ts`. */
const SOURCE_DIRS = ["cli", "components", "model", "stacks", "bench"];

function sources(): string[] {
  const found = [path.join(ROOT, "index.ts")];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(full);
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) found.push(full);
    }
  };
  for (const dir of SOURCE_DIRS) walk(path.join(ROOT, dir));
  return found;
}

/** Where the compiled form of `source` (a .ts file under the root) is. */
export function compiledPath(source: string): string {
  const relative = path.relative(ROOT, path.resolve(source));
  if (relative.startsWith("..") || path.isAbsolute(relative))
    throw new Error(`${source} is outside ${ROOT}; only the project's own modules are compiled`);
  return path.join(BUILD_DIR, relative.replace(/\.ts$/, ".js"));
}

function transpile(stale: { source: string; target: string }[]): void {
  if (stale.length === 0) return;
  const ts = require("typescript") as typeof import("typescript");
  const compilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    sourceMap: false,
  };
  for (const { source, target } of stale) {
    const output = ts.transpileModule(fs.readFileSync(source, "utf8"), { compilerOptions, fileName: source });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, output.outputText);
    fs.renameSync(temporary, target);
  }
}

function isStale(source: string, target: string): boolean {
  try {
    return fs.statSync(target).mtimeMs < fs.statSync(source).mtimeMs;
  } catch {
    return true;
  }
}

/**
 * The compiled form of one TypeScript module of the project, compiled now if it is stale: for a program
 * outside the source directories (a test fixture). What it imports must be in the source directories.
 */
export function ensureCompiled(source: string): string {
  ensureBuilt();
  const target = compiledPath(source);
  if (isStale(source, target)) transpile([{ source, target }]);
  return target;
}

let built = false;

/**
 * Whether `.build/` is up to date with every source, compiling nothing: the `hybridnet` command then runs its
 * compiled form (bin/hybridnet.js), which spares it the TypeScript loader (about a second of CPU).
 */
export function isBuilt(): boolean {
  built ||= sources().every((source) => !isStale(source, compiledPath(source)));
  return built;
}

/**
 * Brings `.build/` up to date with the sources and returns how many files it compiled. Writes go through a
 * temporary file and a rename, so processes building at once never load a half-written module.
 */
export function ensureBuilt(): number {
  if (built) return 0;
  const stale: { source: string; target: string }[] = [];
  for (const source of sources()) {
    const target = compiledPath(source);
    if (isStale(source, target)) stale.push({ source, target });
  }
  transpile(stale);
  built = true;
  return stale.length;
}

/** Compiles every module of a pack inside the project (as {@link ensureCompiled}) and returns its compiled `index.js`. */
export function compilePack(packDir: string): string {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "node_modules" ? [] : walk(full);
      return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
    });
  for (const source of walk(packDir)) ensureCompiled(source);
  return compiledPath(path.join(packDir, "index.ts"));
}
