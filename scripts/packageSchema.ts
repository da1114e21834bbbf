/**
 * Regenerates schema.json, the Pulumi package schema of hybridnet as `pulumi package add` gets it: the
 * schema the plugin's `GetSchema` returns. It runs the SDK's own code for it in this process — the component
 * classes `cmd/run-plugin` finds among the exports of index.ts (`getPulumiComponents`), the provider name it
 * derives from package.json, and `ComponentProvider.getSchema` (the analyzer over `./tsconfig.json`, then
 * `generateSchema`) — without starting the plugin (which type-checks every file it loads first).
 * tests/packageContract.test.ts checks that the plugin's GetSchema over gRPC returns exactly this schema.
 *
 * schema.json holds the schema formatted as the repository's formatter (Biome) formats JSON. `--check`
 * writes nothing and exits 1 when schema.json is not what it would write.
 *
 *   npm run package-schema [-- --check]   (npx tsx scripts/packageSchema.ts [--check])
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";

export const REGENERATE = "`npm run package-schema`";
export const SCHEMA_FILE = "schema.json";

/**
 * The schema the plugin serves for the package in `root`, as GetSchema returns it (compact JSON text): the
 * provider name and namespace as run-plugin derives them from package.json, the components it finds.
 */
export async function inferSchema(root: string): Promise<string> {
  const packageJSON = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string };
  const matches = /(@.*?\/)?(.+)/.exec(packageJSON.name) ?? [];
  const name = (matches[2] ?? "").replace(/[^-a-zA-Z0-9_]/g, "-");
  const namespace = matches[1]?.slice(1, -1);
  // run-plugin requires the directory, which Node resolves to index.ts (package.json's `main` is the build's).
  const components = getPulumiComponents(require(join(root, "index")));
  const provider = new ComponentProvider({
    name,
    ...(namespace ? { namespace } : {}),
    dirname: root,
    components,
  });
  return provider.getSchema();
}

/** `schemaText` (compact JSON) as schema.json holds it: indented, then formatted by Biome. */
export function formatSchema(root: string, schemaText: string): string {
  const indented = `${JSON.stringify(JSON.parse(schemaText), null, 2)}\n`;
  return execFileSync(
    join(root, "node_modules", ".bin", "biome"),
    ["format", `--stdin-file-path=${SCHEMA_FILE}`],
    { cwd: root, input: indented, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
}

async function main(argv: readonly string[]): Promise<number> {
  const root = join(__dirname, "..");
  const started = Date.now();
  const text = formatSchema(root, await inferSchema(root));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(join(root, SCHEMA_FILE), "utf8");
    } catch {}
    if (current === text) return 0;
    console.error(`${SCHEMA_FILE} is stale: run ${REGENERATE}`);
    return 1;
  }
  writeFileSync(join(root, SCHEMA_FILE), text);
  console.log(`wrote ${SCHEMA_FILE} (${seconds} s)`);
  return 0;
}

if (require.main === module)
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: Error) => {
      console.error(e.message);
      process.exitCode = 1;
    },
  );
