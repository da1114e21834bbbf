/**
 * Which modules of @pulumi/aws a program loads (components/aws.ts, index.ts): the landing-zone program and the
 * components take each service from its own submodule and never load the package root, which requires every
 * one of its services' modules; the package's entry loads the root, whose registration of the `aws` provider
 * package a component provider needs (a provider passed through Construct becomes an `aws.Provider` only then).
 * Each case runs in a new node process: the require cache and the SDK's registrations are per process.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { expect } from "chai";
import { compiledPath, ensureBuilt, ROOT } from "../cli/build";

interface Loaded {
  /** Whether @pulumi/aws's root module (its index.js) was loaded. */
  root: boolean;
  /** @pulumi/aws's service modules loaded: `ec2/index.js`, … */
  services: string[];
  /** Whether the SDK has the `aws` provider package registered. */
  awsPackage: boolean;
}

/** Loads `module` (compiled) in a new process and reports what of @pulumi/aws it loaded. */
function load(module: string): Loaded {
  const awsDir = path.dirname(require.resolve("@pulumi/aws/package.json"));
  const script = `
require(${JSON.stringify(module)});
const path = require("node:path");
const aws = ${JSON.stringify(awsDir)} + path.sep;
const files = Object.keys(require.cache).filter((f) => f.startsWith(aws)).map((f) => f.slice(aws.length));
const { getResourcePackage } = require("@pulumi/pulumi/runtime/rpc");
process.stdout.write(JSON.stringify({
  root: files.includes("index.js"),
  services: files.filter((f) => /^[a-z0-9]+\\/index\\.js$/.test(f) && !f.startsWith("types/")).sort(),
  awsPackage: getResourcePackage("aws", undefined) !== undefined,
}));`;
  return JSON.parse(
    execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" }),
  ) as Loaded;
}

describe("the modules of @pulumi/aws a program loads", function () {
  this.timeout(60_000);
  before(() => {
    ensureBuilt();
  });

  it("the landing-zone program loads the services it uses, not the package root and its 250 services", () => {
    const loaded = load(compiledPath(path.join(ROOT, "stacks", "index.ts")));
    expect(loaded.root).to.equal(false);
    expect(loaded.awsPackage).to.equal(false);
    // The services components/aws.ts lists and what they load in turn; the root loads about 250.
    expect(loaded.services).to.include.members([
      "ec2/index.js",
      "ec2transitgateway/index.js",
      "iam/index.js",
    ]);
    expect(loaded.services.length).to.be.within(3, 40);
    expect(loaded.services).to.not.include("sagemaker/index.js");
  });

  it("the package's entry loads the root, so a provider passed through Construct becomes an aws.Provider", () => {
    const loaded = load(compiledPath(path.join(ROOT, "index.ts")));
    expect(loaded.root).to.equal(true);
    expect(loaded.awsPackage).to.equal(true);
    expect(loaded.services.length).to.be.above(200);
    expect(loaded.services).to.include("sagemaker/index.js");
  });
});
