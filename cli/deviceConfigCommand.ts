/**
 * `hybridnet device-config --env E --stack S --site dc1 --format strongswan|cisco-ios-xe|juniper-srx
 * [--show-secrets] [--out DIR] [--json]`: the on-premises side of one site of a managed VPN, rendered from the
 * tunnels the plan holds. It runs the stack, and the stacks it references, offline the way `hybridnet plan`
 * does (cli/plan `runStacks`; no policy pack, no flows), reads the site from what the stack registered
 * (model/deviceConfig/fromResources) and renders it. Pre-shared keys appear only with `--show-secrets`: they
 * come from the stack's outputs with secret values, which the planner keeps apart from the plan; without it
 * the configuration holds a placeholder naming the stack output that holds each key.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  DEVICE_CONFIG_FORMATS,
  DeviceConfigError,
  type DeviceConfigFormat,
  type DeviceSite,
  DeviceSiteError,
  deviceSitesOfPlan,
  renderDeviceConfig,
} from "../model/deviceConfig";
import { planEnvironment } from "../model/environment";
import { ValidationError } from "../model/errors";
import type { PlannedStackInput } from "../model/reachability/planInput";
import { type SiteDeclaration, siteDeclarations } from "../model/reachability/sites";
import { configError, PlanInputError, usageError } from "./errors";
import { requireEnvironment, runStacks, STACKS_DIR, stackClosure } from "./plan";

export interface DeviceConfigArgs {
  env: string;
  stack: string;
  /** The site key (`dc1`), or `<component>:<site>` when two components of the stack reach one key. */
  site: string;
  /** @default the site's `device.format` in the stack config; one of the two is required. */
  format?: DeviceConfigFormat;
  /** Put the pre-shared keys in the configuration. */
  showSecrets: boolean;
  /** Also write the files to this directory. */
  out?: string;
  json: boolean;
  stacks?: string;
}

export interface DeviceConfigResult {
  env: string;
  stack: string;
  site: string;
  format: DeviceConfigFormat;
  /** Whether the pre-shared keys are in `files` and `device` (`--show-secrets`). */
  secretsShown: boolean;
  /** The site as the configuration was rendered from: addresses, ASNs, prefixes, tunnel options. */
  device: DeviceSite;
  /** File name → content. */
  files: Record<string, string>;
  /** With `--out`: the paths written. */
  written?: string[];
}

/** The component name in a DeviceSite's label (`hybridnet:index:TransitGatewayVpn "dc"` → `dc`). */
function componentNameOf(site: DeviceSite): string {
  return /"([^"]*)"$/.exec(site.component)?.[1] ?? site.component;
}

/** The one site `query` names among the stack's sites; an unknown or ambiguous one is bad input. */
function pickSite(sites: readonly DeviceSite[], query: string, stack: string): DeviceSite {
  const matches = sites.filter((s) => s.site === query || `${componentNameOf(s)}:${s.site}` === query);
  const names = sites.map((s) =>
    sites.filter((o) => o.site === s.site).length > 1 ? `${componentNameOf(s)}:${s.site}` : s.site,
  );
  if (matches.length === 1) return matches[0];
  if (sites.length === 0)
    throw new PlanInputError(`--site ${query}: stack ${stack} has no VPN sites`, [
      { stack, path: "--site", value: query, allowed: `stack ${stack} has no VPN sites` },
    ]);
  const allowed = `one of ${names.join(", ")}`;
  throw new PlanInputError(
    `--site ${query}: ${matches.length > 1 ? "more than one component reaches it; " : ""}${allowed}`,
    [{ stack, path: "--site", value: query, allowed }],
  );
}

/** Plans the stack (and what it references), reads the site and renders it; writes `--out` files. */
export async function deviceConfig(
  args: DeviceConfigArgs,
  progress: (line: string) => void,
): Promise<DeviceConfigResult> {
  const dir = args.stacks ?? STACKS_DIR;
  requireEnvironment(dir, args.env);
  let environment: ReturnType<typeof planEnvironment>;
  try {
    environment = planEnvironment(dir, args.env);
  } catch (e) {
    if (e instanceof ValidationError) throw configError(e);
    throw e;
  }
  const known = environment.stacks.map((s) => s.identity.stack).sort();
  if (!known.includes(args.stack))
    throw usageError("--stack", args.stack, `one of ${known.join(", ")} (the stacks of ${args.env})`);

  // The sites are config: an unknown one is refused before anything is planned.
  const declared = siteDeclarations(environment.stacks).filter(
    (d) => d.stack === args.stack && d.over === "vpn",
  );
  const names = declared.map((d) =>
    declared.filter((o) => o.site === d.site).length > 1 ? `${d.component}:${d.site}` : d.site,
  );
  const matching = declared.filter((d) => d.site === args.site || `${d.component}:${d.site}` === args.site);
  if (matching.length !== 1) {
    const allowed =
      declared.length === 0 ? `stack ${args.stack} has no VPN sites` : `one of ${names.join(", ")}`;
    throw new PlanInputError(
      `--site ${args.site}: ${matching.length > 1 ? "more than one component reaches it; " : ""}${allowed}`,
      [{ stack: args.stack, path: "--site", value: args.site, allowed }],
    );
  }
  const format = args.format ?? matching[0].deviceFormat;
  if (format === undefined) {
    const allowed = `one of ${DEVICE_CONFIG_FORMATS.join(", ")}: give --format, or declare the site's device.format in its stack config`;
    throw new PlanInputError(
      `site ${args.site} of ${args.stack} declares no device format; --format ${allowed}`,
      [{ stack: args.stack, path: "--format", value: undefined, allowed }],
    );
  }

  const runs = await runStacks({
    env: args.env,
    stacksDir: dir,
    progress,
    only: stackClosure(args.stack, environment.references),
    through: args.stack,
  });
  const stacks = [...runs.last.entries()].map(([name, { plan }]) => ({
    name,
    resources: plan.plan.resources,
    outputs: plan.plan.outputs,
  }));
  let sites: DeviceSite[];
  try {
    sites = deviceSitesOfPlan({
      stacks,
      sites: siteDeclarations(environment.stacks),
      stack: args.stack,
      ...(args.showSecrets
        ? { revealedOutputs: runs.last.get(args.stack)?.plan.reference?.outputs ?? {} }
        : {}),
    });
  } catch (e) {
    if (e instanceof DeviceSiteError) throw new PlanInputError(`${args.stack}: ${e.message}`, [], "stack");
    throw e;
  }
  const device = pickSite(sites, args.site, args.stack);
  let files: Record<string, string>;
  try {
    files = renderDeviceConfig(device, format).files;
  } catch (e) {
    if (e instanceof DeviceConfigError)
      throw new PlanInputError(`site ${device.site}: ${e.message}`, [
        { stack: args.stack, path: e.path, value: e.value, allowed: e.allowed },
      ]);
    throw e;
  }
  let written: string[] | undefined;
  if (args.out) {
    fs.mkdirSync(args.out, { recursive: true });
    written = Object.entries(files).map(([name, content]) => {
      const file = path.join(args.out as string, name);
      // A file with keys in it is readable by its owner alone.
      fs.writeFileSync(file, content, { mode: args.showSecrets ? 0o600 : 0o644 });
      if (args.showSecrets) fs.chmodSync(file, 0o600);
      return file;
    });
  }
  return {
    env: args.env,
    stack: args.stack,
    site: device.site,
    format,
    secretsShown: args.showSecrets,
    device,
    files,
    ...(written ? { written } : {}),
  };
}

/** The configuration as a person reads it: each file, under its name when there are several. */
export function formatDeviceConfig(result: DeviceConfigResult): string {
  const entries = Object.entries(result.files);
  if (result.written) return result.written.map((f) => `wrote ${f}`).join("\n");
  if (entries.length === 1) return entries[0][1].replace(/\n$/, "");
  return entries.map(([name, content]) => `==> ${name} <==\n${content.replace(/\n$/, "")}`).join("\n\n");
}

/** One site's configuration as `hybridnet plan --out` writes it. */
export interface DeclaredDeviceConfig {
  stack: string;
  site: string;
  format: DeviceConfigFormat;
  /** The file names under `device-config/<stack>/` → contents (pre-shared keys as placeholders). */
  files: Record<string, string>;
}

/**
 * The file name of one rendered file of a site: `<site>.<ext>` (`dc1.swanctl.conf`, `dc1.frr.conf`,
 * `dc1.cisco-ios-xe.txt`); `<component>-<site>.<ext>` where two components of the stack have the site key.
 */
function declaredFileName(label: string, site: string, name: string): string {
  return name.startsWith(`${site}-`) ? `${label}.${name.slice(site.length + 1)}` : `${label}.${name}`;
}

/**
 * The configuration of every VPN site whose config declares `device.format`, rendered from a plan's stacks as
 * `hybridnet device-config` renders one (never with secrets: placeholders name the outputs holding the keys).
 * Throws PlanInputError when a format cannot express a site's tunnel options.
 */
export function declaredDeviceConfigs(
  stacks: readonly PlannedStackInput[],
  declarations: readonly SiteDeclaration[],
): DeclaredDeviceConfig[] {
  const result: DeclaredDeviceConfig[] = [];
  const withDevice = declarations.filter((d) => d.over === "vpn" && d.deviceFormat !== undefined);
  for (const stack of [...new Set(withDevice.map((d) => d.stack))].sort()) {
    let sites: DeviceSite[];
    try {
      sites = deviceSitesOfPlan({ stacks, sites: declarations, stack });
    } catch (e) {
      if (e instanceof DeviceSiteError) throw new PlanInputError(`${stack}: ${e.message}`, [], "stack");
      throw e;
    }
    for (const declared of withDevice.filter((d) => d.stack === stack)) {
      const device = sites.find((s) => s.site === declared.site && componentNameOf(s) === declared.component);
      if (!device) continue;
      const format = declared.deviceFormat as DeviceConfigFormat;
      const shared = withDevice.filter((d) => d.stack === stack && d.site === declared.site).length > 1;
      const label = shared ? `${declared.component}-${declared.site}` : declared.site;
      let files: Record<string, string>;
      try {
        files = renderDeviceConfig(device, format).files;
      } catch (e) {
        if (e instanceof DeviceConfigError)
          throw new PlanInputError(`site ${declared.site} (device.format ${format}): ${e.message}`, [
            { stack, path: e.path, value: e.value, allowed: e.allowed },
          ]);
        throw e;
      }
      result.push({
        stack,
        site: declared.site,
        format,
        files: Object.fromEntries(
          Object.entries(files).map(([name, content]) => [
            declaredFileName(label, declared.site, name),
            content,
          ]),
        ),
      });
    }
  }
  return result;
}

/** Writes {@link declaredDeviceConfigs} under `out/device-config/<stack>/`; returns the paths written. */
export function writeDeclaredDeviceConfigs(out: string, configs: readonly DeclaredDeviceConfig[]): string[] {
  const written: string[] = [];
  for (const config of configs) {
    const dir = path.join(out, "device-config", config.stack);
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(config.files)) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      written.push(file);
    }
  }
  return written;
}

/** {@link declaredDeviceConfigs} of environment `env`'s plan (`hybridnet plan --out`). */
export function environmentDeviceConfigs(
  env: string,
  stacksDir: string | undefined,
  stacks: readonly PlannedStackInput[],
): DeclaredDeviceConfig[] {
  const environment = planEnvironment(stacksDir ?? STACKS_DIR, env);
  return declaredDeviceConfigs(stacks, siteDeclarations(environment.stacks));
}
