/**
 * For the policy pack loaded in a planner's process only (cli/inProcessPack.ts; never the pack process that
 * `pulumi preview --policy-pack policy` or the gRPC path starts): cuts of work @pulumi/policy's Analyzer
 * handlers repeat for every policy, which a pack of rules that only read gets nothing from. They change
 * @pulumi/policy's own handler code (server.js of 1.21.0) in a few places, not a copy of it, so everything
 * else stays the library's.
 *
 * - `resourceOnce` (`analyze`): a request's properties (their unknown-checking proxy), options and provider
 *   are built once for all the resource policies instead of once per policy, and a validation that returns
 *   nothing is not awaited (a promise it returns still is). The library hands each policy its own objects;
 *   here the policies of one request share them, so a policy that changed `args.opts` or `args.props` would
 *   change them for the next: the rules of policy/ only read (policy/lib/rules.ts).
 * - `typeFilter` (`analyze`): a resource policy that names the types it checks ({@link APPLIES_TO_TYPES}) is
 *   passed over for a resource of another type before its arguments are built; its validation would return
 *   at once, reporting nothing (policy/lib/rules.ts `resourceRule`). Without it, every resource builds the
 *   arguments of every resource policy (15 of the 29).
 * - `stackOnce` (`analyzeStack`): the stack's resources (each resource's proxy, options, provider, parent
 *   and dependency links) are built once for all the stack policies instead of once per policy; each policy
 *   still gets its own array. The properties were already deserialized once (policy/lib/secrets.ts).
 *
 * - `plainRequests` (not an edit): the handlers get requests that answer their getters from the resources
 *   (cli/receivedRequests.ts) instead of protobuf messages built for them.
 *
 * The pack is loaded with server.js's `serve` swapped for the edited module's (cli/inProcessPack.ts), so the
 * pack's `PolicyPack` registers the edited handlers whether or not @pulumi/policy was loaded before.
 *
 * `HYBRIDNET_POLICY_CUTS` picks cuts (`resourceOnce,stackOnce,typeFilter,plainRequests`, or `none`; default
 * all), for measuring what each buys. tests/inProcessPack.test.ts checks that the diagnostics are the gRPC pack's with and without.
 *
 * The cuts edit server.js of @pulumi/policy 1.21.0 (package.json pins it), pinned by its SHA-256: when the
 * installed file differs, loading the pack throws, naming the file, instead of running edited code that moved.
 */
import * as fs from "node:fs";
import { Module } from "node:module";
import * as path from "node:path";
import { APPLIES_TO_TYPES } from "../model/policyRules";
import { chosenNames, pinDigest } from "./sdkPins";

export const POLICY_CUTS = ["resourceOnce", "stackOnce", "typeFilter", "plainRequests"] as const;
export type PolicyCut = (typeof POLICY_CUTS)[number];

/** The file the cuts edit, under @pulumi/policy, and the first 16 hex digits of its SHA-256 in 1.21.0. */
export const PINNED_POLICY_FILE = { file: "server.js", sha256: "0aa32052092307cc" } as const;

/** One edit: `from` must occur exactly once in the pinned file. */
interface Edit {
  from: string;
  to: string;
}

const indent = (n: number) => " ".repeat(n);

const EDITS: Readonly<Record<PolicyCut, readonly Edit[]>> = {
  resourceOnce: [
    {
      from: `const req = call.request;\n${indent(12)}const type = req.getType();\n`,
      to: `const req = call.request;\n${indent(12)}const type = req.getType();\n${indent(12)}let shared;\n`,
    },
    {
      from:
        `const deserd = deserialize_1.deserializeProperties(req.getProperties(), false);\n` +
        `${indent(28)}const props = proxy_1.unknownCheckingProxy(deserd);\n`,
      to: `const { props, opts, provider } = shared || (shared = hybridnetRequestOnce(req));\n`,
    },
    { from: "opts: getResourceOptions(req),", to: "opts," },
    { from: `\n${indent(28)}const provider = getProviderResource(req);\n`, to: "\n" },
    {
      from: "yield Promise.resolve(validation(args, reportViolation));",
      to:
        "{ const validated = validation(args, reportViolation); " +
        "if (validated !== undefined) yield Promise.resolve(validated); }",
    },
    {
      from: "exports.makeAnalyzeRpcFun = makeAnalyzeRpcFun;\n",
      to:
        "exports.makeAnalyzeRpcFun = makeAnalyzeRpcFun;\n" +
        "function hybridnetRequestOnce(req) {\n" +
        "    const props = proxy_1.unknownCheckingProxy(deserialize_1.deserializeProperties(req.getProperties(), false));\n" +
        "    return { props, opts: getResourceOptions(req), provider: getProviderResource(req) };\n" +
        "}\n",
    },
  ],
  typeFilter: [
    {
      from: `${indent(20)}const reportViolation = makeReportViolationFun(p.name, policyPackName, policyPackVersion, p.description, enforcementLevel, ds, p.severity);\n${indent(20)}const validations =`,
      to:
        `${indent(20)}if (p.${APPLIES_TO_TYPES} && !p.${APPLIES_TO_TYPES}.includes(type)) continue;\n` +
        `${indent(20)}const reportViolation = makeReportViolationFun(p.name, policyPackName, policyPackVersion, p.description, enforcementLevel, ds, p.severity);\n${indent(20)}const validations =`,
    },
  ],
  // Not an edit: cli/inProcessPack.ts hands the handlers cli/receivedRequests.ts's requests.
  plainRequests: [],
  stackOnce: [
    {
      from: "const resources = req.getResourcesList();\n",
      to: `const resources = req.getResourcesList();\n${indent(12)}let shared;\n`,
    },
    {
      from: "const intermediates = [];\n",
      to: "let intermediates = shared;\n if (!intermediates) { intermediates = [];\n",
    },
    {
      from: `const args = {\n${indent(28)}resources: intermediates.map(`,
      to: `shared = intermediates; }\n${indent(24)}const args = {\n${indent(28)}resources: intermediates.map(`,
    },
  ],
};

/** The cuts HYBRIDNET_POLICY_CUTS asks for (all when unset). */
export function chosenPolicyCuts(chosen = process.env.HYBRIDNET_POLICY_CUTS): PolicyCut[] {
  return chosenNames(POLICY_CUTS, chosen);
}

/**
 * server.js's source with `cuts` made; throws when the file is not the pinned one, naming it. Without a cut that
 * edits it, the source as it is, whatever its version.
 */
export function editedServer(serverPath: string, cuts: readonly PolicyCut[]): string {
  const text = fs.readFileSync(serverPath);
  if (cuts.every((cut) => EDITS[cut].length === 0)) return text.toString("utf8");
  const digest = pinDigest(text);
  if (digest !== PINNED_POLICY_FILE.sha256)
    throw new Error(
      `cli/policyCuts.ts: the policy cuts were written for @pulumi/policy 1.21.0 and ${serverPath} differs ` +
        `(SHA-256 ${digest}…, not ${PINNED_POLICY_FILE.sha256}…). Update the cuts and their pinned digest, or ` +
        "run with HYBRIDNET_POLICY_CUTS=none.",
    );
  let source = text.toString("utf8");
  for (const cut of cuts)
    for (const { from, to } of EDITS[cut]) {
      const at = source.indexOf(from);
      if (at < 0 || source.indexOf(from, at + 1) >= 0)
        throw new Error(
          `cli/policyCuts.ts: cut ${cut} does not find its place in ${serverPath} exactly once`,
        );
      source = source.slice(0, at) + to + source.slice(at + from.length);
    }
  return source;
}

interface LoadableModule {
  filename: string;
  paths: string[];
  loaded: boolean;
  exports: unknown;
  require(id: string): unknown;
  _compile(source: string, filename: string): void;
}

/**
 * @pulumi/policy's server.js with `cuts` made, as a module of its own next to the one `require` loads (not in
 * the module cache): its `serve` registers the edited handlers, which share the library's other modules
 * (policy.js, deserialize.js as policy/lib/secrets.ts wraps it, proxy.js) and keep their own policy config.
 * With `grpc`, the module gets that for `@grpc/grpc-js` (cli/inProcessPack.ts captures the service with it).
 */
export function editedServerModule(
  serverPath: string,
  cuts: readonly PolicyCut[],
  grpc?: unknown,
): { serve: unknown } {
  const source = editedServer(serverPath, cuts);
  const ModuleClass = Module as unknown as {
    new (id: string): LoadableModule;
    _nodeModulePaths(dir: string): string[];
  };
  const edited = new ModuleClass(serverPath);
  edited.filename = serverPath;
  edited.paths = ModuleClass._nodeModulePaths(path.dirname(serverPath));
  if (grpc !== undefined) {
    const required = edited.require;
    edited.require = (id: string) => (id === "@grpc/grpc-js" ? grpc : required.call(edited, id));
  }
  edited._compile(source, serverPath);
  edited.loaded = true;
  return edited.exports as { serve: unknown };
}
