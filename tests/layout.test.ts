/**
 * The layout a newcomer reads: no function in the package's source runs over 200 lines (a long one is split
 * along the steps its comments name, each step a named function), and `model/` stays pure rules, with no
 * Pulumi import (the mock model of AWS lives in `cli/mocks/`, beside the runtime that uses it). Measured with
 * the TypeScript compiler's own parser, so a function is what TypeScript says it is.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import * as ts from "typescript";

const ROOT = path.join(__dirname, "..");
/** Directories whose functions are measured. */
const MEASURED_DIRS = ["model", "components", "stacks", "cli", "policy"];
/** The longest function or method body allowed, in lines. */
const MAX_FUNCTION_LINES = 200;

interface FunctionLength {
  /** `file:line name` of the function. */
  where: string;
  /** Lines of its body, its braces included. */
  lines: number;
}

/** The TypeScript sources under `dir` (recursively), `.d.ts` files excluded. */
function sourcesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "node_modules") found.push(...sourcesUnder(full));
    else if (entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) found.push(full);
  }
  return found;
}

function parse(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
}

/** A function's name as a reader finds it: its own, the variable or property it is assigned to, or the class's. */
function functionName(node: ts.FunctionLikeDeclaration, file: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return `${node.parent.name?.getText(file) ?? "class"} constructor`;
  if (node.name) return node.name.getText(file);
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.name)
    return parent.name.getText(file);
  return "(anonymous)";
}

/** Every function, method, constructor, accessor and arrow function with a body, and its body's length in lines. */
function functionLengths(fileName: string, text: string): FunctionLength[] {
  const file = parse(fileName, text);
  const lengths: FunctionLength[] = [];
  const lineOf = (position: number) => file.getLineAndCharacterOfPosition(position).line;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const fn = node as ts.FunctionLikeDeclaration & { body: ts.Node };
      const start = lineOf(fn.body.getStart(file));
      lengths.push({
        where: `${fileName}:${lineOf(fn.getStart(file)) + 1} ${functionName(fn, file)}`,
        lines: lineOf(fn.body.getEnd()) - start + 1,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return lengths;
}

/** The module specifiers a source imports, re-exports, requires or imports dynamically. */
function importedModules(fileName: string, text: string): string[] {
  const file = parse(fileName, text);
  const modules: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier)
      modules.push((node.moduleSpecifier as ts.StringLiteral).text);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      modules.push((node.moduleReference.expression as ts.StringLiteral).text);
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
      node.arguments.length > 0 &&
      ts.isStringLiteralLike(node.arguments[0])
    )
      modules.push(node.arguments[0].text);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument))
      modules.push((node.argument.literal as ts.StringLiteral).text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return modules;
}

/** `file: module` for each Pulumi package (`@pulumi/*`) a source imports. */
function pulumiImports(fileName: string, text: string): string[] {
  return importedModules(fileName, text)
    .filter((module) => module.startsWith("@pulumi/"))
    .map((module) => `${fileName}: ${module}`);
}

function tooLong(fileName: string, text: string): string[] {
  return functionLengths(fileName, text)
    .filter((fn) => fn.lines > MAX_FUNCTION_LINES)
    .map((fn) => `${fn.where} (${fn.lines} lines)`);
}

function readSource(file: string): [string, string] {
  return [path.relative(ROOT, file), fs.readFileSync(file, "utf8")];
}

/** A function of `bodyLines` lines, braces included, written the way `kind` says. */
function functionOf(kind: "declaration" | "method" | "arrow", bodyLines: number): string {
  const inner = Array.from({ length: bodyLines - 2 }, (_, i) => `  const v${i} = ${i};`).join("\n");
  if (kind === "declaration") return `export function long(): void {\n${inner}\n}\n`;
  if (kind === "method") return `export class Model {\n  answer(): void {\n${inner}\n  }\n}\n`;
  return `export const handler = (): void => {\n${inner}\n};\n`;
}

describe("layout: functions a reader takes in", () => {
  it(`no function in ${MEASURED_DIRS.join("/, ")}/ is longer than ${MAX_FUNCTION_LINES} lines`, () => {
    const files = MEASURED_DIRS.flatMap((dir) => sourcesUnder(path.join(ROOT, dir)));
    expect(files.length).to.be.greaterThan(100);
    const lengths = files.flatMap((file) => functionLengths(...readSource(file)));
    expect(lengths.length).to.be.greaterThan(500);
    const offenders = lengths
      .filter((fn) => fn.lines > MAX_FUNCTION_LINES)
      .map((fn) => `${fn.where} (${fn.lines} lines)`);
    expect(offenders, "split these along their steps, each step a named function").to.deep.equal([]);
  });

  it("flags a function declaration, a method and an arrow function of 201 lines, and passes them at 200", () => {
    for (const kind of ["declaration", "method", "arrow"] as const) {
      expect(tooLong(`${kind}.ts`, functionOf(kind, 201)), kind).to.have.length(1);
      expect(tooLong(`${kind}.ts`, functionOf(kind, 200)), kind).to.deep.equal([]);
    }
  });

  it("names the file, line and function it flags, with its length", () => {
    expect(tooLong("model/x.ts", `// a comment\n${functionOf("method", 250)}`)).to.deep.equal([
      "model/x.ts:3 answer (250 lines)",
    ]);
    expect(tooLong("cli/y.ts", functionOf("arrow", 201))).to.deep.equal(["cli/y.ts:1 handler (201 lines)"]);
  });
});

describe("layout: model/ is pure rules", () => {
  it("no file in model/ imports a Pulumi package", () => {
    const files = sourcesUnder(path.join(ROOT, "model"));
    expect(files.length).to.be.greaterThan(20);
    const modules = files.flatMap((file) => importedModules(...readSource(file)));
    expect(modules, "model/ imports its own files and libraries").to.include("./addressing");
    expect(files.flatMap((file) => pulumiImports(...readSource(file)))).to.deep.equal([]);
  });

  it("the AWS mock model lives in cli/mocks/, not in model/", () => {
    expect(fs.existsSync(path.join(ROOT, "model", "mocks.ts"))).to.equal(false);
    expect(fs.existsSync(path.join(ROOT, "cli", "mocks", "index.ts"))).to.equal(true);
  });

  it("flags every way a source can take in a Pulumi package, and nothing else", () => {
    const source = [
      `import * as pulumi from "@pulumi/pulumi";`,
      `import type { Input } from "@pulumi/aws";`,
      `export { ComponentResource } from "@pulumi/pulumi";`,
      `import random = require("@pulumi/random");`,
      `const policy = require("@pulumi/policy");`,
      `export async function later() { return import("@pulumi/awsx"); }`,
      `let settings: import("@pulumi/pulumi/runtime/settings").Options;`,
      `import { parseCidr } from "./addressing";`,
      `import { IPv4CidrRange } from "ip-num";`,
      `// a comment naming @pulumi/aws is not an import`,
    ].join("\n");
    expect(pulumiImports("model/bad.ts", source)).to.deep.equal([
      "model/bad.ts: @pulumi/pulumi",
      "model/bad.ts: @pulumi/aws",
      "model/bad.ts: @pulumi/pulumi",
      "model/bad.ts: @pulumi/random",
      "model/bad.ts: @pulumi/policy",
      "model/bad.ts: @pulumi/awsx",
      "model/bad.ts: @pulumi/pulumi/runtime/settings",
    ]);
    expect(pulumiImports("model/good.ts", `import { parseCidr } from "./addressing";\n`)).to.deep.equal([]);
  });
});
