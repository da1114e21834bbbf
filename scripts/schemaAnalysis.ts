/**
 * What the Pulumi SDK's schema analyzer makes of this package, in one pass.
 *
 * `pulumi package add` (through `cmd/run-plugin` and the provider's GetSchema) runs
 * `@pulumi/pulumi/provider/experimental/analyzer` over the package and stops at the first type it
 * cannot express. This script runs the same analyzer, with the same component names run-plugin
 * finds among the exports of index.ts, but patches it in memory so that every rejected property is
 * recorded and analysis goes on. It prints:
 * - the components found, and those not found (the analyzer wants a direct `ComponentResource` subclass);
 * - every rejected property (component or interface, property, TypeScript type, why), grouped and
 *   counted by reason;
 * - the class fields that become outputs (every property declared on a component class, private
 *   ones too), and descriptions that came out as `[object Object]` (TSDoc `{@link}`);
 * - the analysis time over tsconfig.json (what the analyzer reads: it always opens `<dir>/tsconfig.json`;
 *   it covers the package's own sources, index.ts, components/ and model/) and, for comparison, over
 *   tsconfig.dev.json (tests, cli, stacks, policy, bench, scripts: what it would read if tsconfig.json
 *   covered the whole repository).
 *
 * A dev tool for issue 15, not a test. Run: `npx tsx scripts/schemaAnalysis.ts`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";
import ts from "typescript";

const root = path.resolve(__dirname, "..");

interface Context {
  component: string;
  typeName?: string;
  property?: string;
}

interface Rejection {
  where: string;
  property: string;
  type: string;
  reason: string;
  message: string;
}

/** The analyzer's private members this script uses. */
interface AnalyzerInternals {
  checker: ts.TypeChecker;
  program: ts.Program;
  components: Record<string, { outputs: Record<string, unknown> }>;
  analyze(): unknown;
  analyzeType(context: Context, type: ts.Type, ...rest: unknown[]): unknown;
  analyzeComponent(node: ts.ClassDeclaration): unknown;
}

/** Builds an Analyzer as its constructor does, but over the given tsconfig instead of `<dir>/tsconfig.json`. */
function makeAnalyzer(tsconfig: string, names: Set<string>): AnalyzerInternals {
  const packageJSON = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  if (tsconfig === "tsconfig.json") {
    return new Analyzer(root, "hybridnet", packageJSON, names) as unknown as AnalyzerInternals;
  }
  const configPath = path.join(root, tsconfig);
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  parsed.options.strictNullChecks = true;
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  return Object.assign(Object.create(Analyzer.prototype), {
    components: {},
    typeDefinitions: {},
    dependencies: [],
    docStrings: {},
    dir: root,
    packageJSON,
    providerName: "hybridnet",
    program,
    checker: program.getTypeChecker(),
    componentNames: names,
    programFiles: new Set(program.getSourceFiles().map((f) => f.fileName)),
  });
}

/** Why the analyzer cannot express `type`, in the words of the issue. */
function reason(checker: ts.TypeChecker, type: ts.Type, message: string): string {
  const alias = type.aliasSymbol?.name;
  const symbol = type.getSymbol()?.name;
  if (message.includes("__pulumiType") || symbol === "ProviderResource") return "ProviderResource argument";
  if (type.isUnion()) {
    const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    const kind = members.every((t) => t.isStringLiteral())
      ? "string-literal union"
      : members.every((t) => t.isNumberLiteral())
        ? "number-literal union"
        : "union of other types";
    // An alias named on the property (`type X = "a" | "b"`) as opposed to a union written inline.
    return `${kind}, ${alias ? "named alias" : "inline"}`;
  }
  if (type.isIntersection()) return "intersection";
  if (type.flags & (ts.TypeFlags.BigInt | ts.TypeFlags.BigIntLiteral)) return "bigint";
  if (type.isLiteral() || type.flags & ts.TypeFlags.BooleanLiteral) return "single literal type";
  if (checker.isTupleType(type)) return "tuple";
  if (alias === "Omit" || alias === "Pick") return alias;
  if (alias === "Record") return "Record with non-string keys";
  if (symbol === "Set" || symbol === "Map") return symbol;
  if (type.getCallSignatures().length > 0) return "function";
  if (symbol === "__type" || symbol === "__object") return "inline object type";
  return `other: ${message}`;
}

/** Patches `analyzer` so that each error is recorded and the property typed as Any instead. */
function collectErrors(analyzer: AnalyzerInternals): Rejection[] {
  const rejections: Rejection[] = [];
  const analyzeType = analyzer.analyzeType;
  analyzer.analyzeType = function (context, type, ...rest) {
    try {
      return analyzeType.call(this, context, type, ...rest);
    } catch (e) {
      const message = (e as Error).message;
      rejections.push({
        where: context.typeName ?? context.component,
        property: context.property ?? "",
        type: analyzer.checker.typeToString(type),
        reason: reason(analyzer.checker, type, message),
        message,
      });
      return { $ref: "pulumi.json#/Any" };
    }
  };
  const analyzeComponent = analyzer.analyzeComponent;
  analyzer.analyzeComponent = function (node) {
    try {
      return analyzeComponent.call(this, node);
    } catch (e) {
      const name = node.name?.text ?? "?";
      rejections.push({
        where: name,
        property: "",
        type: "",
        reason: "component shape",
        message: (e as Error).message,
      });
      return undefined;
    }
  };
  return rejections;
}

/** Builds the analyzer over `tsconfig` and runs it, collecting every error, timing both steps. */
function run(tsconfig: string, names: Set<string>) {
  const start = process.hrtime.bigint();
  const analyzer = makeAnalyzer(tsconfig, names);
  const built = process.hrtime.bigint();
  const rejections = collectErrors(analyzer);
  let error: string | undefined;
  try {
    analyzer.analyze();
  } catch (e) {
    error = (e as Error).message.split("\n")[0];
  }
  const end = process.hrtime.bigint();
  const s = (from: bigint, to: bigint) => (Number(to - from) / 1e9).toFixed(1);
  const files = analyzer.program.getSourceFiles();
  const own = files.filter((f) => !f.fileName.includes("/node_modules/")).length;
  const timing = `${s(start, end)} s (program ${s(start, built)} s, analysis ${s(built, end)} s; ${files.length} files, ${own} outside node_modules)`;
  return { analyzer, rejections, error, timing };
}

/** Every property declared on the body of each component class, with its modifiers. */
function classFields(program: ts.Program, names: Set<string>): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const file of program.getSourceFiles()) {
    if (file.fileName.includes("node_modules") || !file.fileName.startsWith(root)) continue;
    file.forEachChild((node) => {
      if (!ts.isClassDeclaration(node) || !node.name || !names.has(node.name.text)) return;
      const abstract = ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Abstract ? " (abstract)" : "";
      const list = node.members.filter(ts.isPropertyDeclaration).map((m) => {
        const flags = ts.getCombinedModifierFlags(m);
        const visibility =
          flags & ts.ModifierFlags.Private || ts.isPrivateIdentifier(m.name)
            ? "private"
            : flags & ts.ModifierFlags.Protected
              ? "protected"
              : "public";
        return `${visibility} ${m.name.getText()}: ${m.type?.getText() ?? "(inferred)"}`;
      });
      fields.set(`${node.name.text}${abstract}`, list);
    });
  }
  return fields;
}

function main(): void {
  // As run-plugin does: load the package entry point and take every exported ComponentResource class.
  const names = new Set(getPulumiComponents(require(root)).map((c: { name: string }) => c.name));
  console.log(`Exported component classes (${names.size}): ${[...names].join(", ")}\n`);

  run("tsconfig.json", names); // warm-up: the first program pays for loading and JIT-compiling TypeScript
  const wholeRun = run("tsconfig.json", names);
  const repository = run("tsconfig.dev.json", names);
  const { analyzer: whole, rejections } = wholeRun;

  const found = Object.keys(whole.components);
  console.log(`Components found (${found.length}): ${found.join(", ")}`);
  const missing = [...names].filter((n) => !found.includes(n));
  console.log(
    `Not found (${missing.length}): ${missing.join(", ")}${wholeRun.error ? `\n  ${wholeRun.error}` : ""}\n`,
  );

  const byReason = new Map<string, Rejection[]>();
  for (const r of rejections) byReason.set(r.reason, [...(byReason.get(r.reason) ?? []), r]);
  console.log(`Rejected properties: ${rejections.length}`);
  for (const [why, list] of [...byReason].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`\n${why}: ${list.length}`);
    for (const r of list) console.log(`  ${r.where}.${r.property}: ${r.type}`);
  }

  console.log("\nClass fields (each becomes an output when the class is found):");
  for (const [cls, list] of classFields(whole.program, names)) {
    console.log(`  ${cls}: ${list.length ? "" : "(none)"}`);
    for (const f of list) console.log(`    ${f}`);
  }

  const text = JSON.stringify([
    whole.components,
    (whole as unknown as { typeDefinitions: unknown }).typeDefinitions,
  ]);
  console.log(
    `\nDescriptions rendered as [object Object] (TSDoc {@link}): ${text.split("[object Object]").length - 1}`,
  );

  console.log(`\nAnalysis time, tsconfig.json (what the SDK reads: the package): ${wholeRun.timing}`);
  console.log(`Analysis time, tsconfig.dev.json (the rest of the repository): ${repository.timing}`);
  if (repository.rejections.length !== rejections.length)
    console.log("(the two runs disagree on rejections)");
}

main();
