/**
 * An environment of the landing zone (`dev`, `prod`): its stacks, read from `stacks/Pulumi.<stack>.yaml`, which
 * stack references which, and the order they deploy in. The tests run the stacks in this order under mocks;
 * the offline planner runs each in its own process in the same order; the deploy commands of docs/landing-zone.md follow it.
 * No Pulumi import: files in, plain data out.
 *
 * The references, from the stacks' config:
 * - every workload stack reads the connectivity stack of its environment (transit gateway, segments, the
 *   account to offer its service to, the reverse service's name, the endpoints to accept) and cannot deploy
 *   before it: a hard reference;
 * - the connectivity stack reads every workload stack its `hybridnet:workloads` lists (service names, the
 *   reverse endpoints to accept), when they exist: a soft reference — it deploys without them and picks them
 *   up on its next run;
 * - a workload stack that requests VPC peering (`hybridnet:peering.<peer>`) reads the peer's stack (its VPC,
 *   account, Region and private route tables) and cannot deploy before it: a hard reference, so the accepter
 *   deploys first, and two workloads cannot both request peering with each other.
 *
 * A soft reference against the grain of the hard ones is a cycle that PrivateLink's two-way handshake makes:
 * the order is pass 1 of every stack in hard-reference order, then pass 2 of the stacks that read a stack
 * deployed after them, then pass 2 of the stacks that read those. Two passes settle the handshake: what the
 * second pass adds (endpoints, accepters) is nothing the other side's first pass did not already publish.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { load, YAMLException } from "js-yaml";
import { cidrsOverlap, findOverlaps, parseCidr } from "./addressing";
import { Problems, ValidationError, ValidationErrors } from "./errors";
import {
  CONFIG_NAMESPACE,
  connectivityStackName,
  namespaceValues,
  PROJECT,
  parseStackConfig,
  type StackSettings,
  workloadStackName,
} from "./stackConfig";

/** One stack of an environment, as its YAML file gives it. */
export interface StackFile {
  stack: string;
  /** The file it was read from. */
  file: string;
  /** The config map as the Pulumi CLI hands it to the program: every value a string (objects as JSON). */
  config: Record<string, string>;
}

export interface StackReferenceEdge {
  from: string;
  to: string;
  /** hard: `from` cannot deploy before `to`; soft: `from` reads `to` when it exists. */
  kind: "hard" | "soft";
  /** The outputs read. */
  reads: string[];
}

/** One `pulumi up` of the deployment order. */
export interface DeployStep {
  stack: string;
  pass: 1 | 2;
  /** Why this run is here, in the operator's words. */
  reason: string;
}

export interface EnvironmentPlan {
  env: string;
  stacks: StackSettings[];
  references: StackReferenceEdge[];
  steps: DeployStep[];
}

/** What workload stacks read from the connectivity stack, and the reverse. */
export const WORKLOAD_READS = [
  "transitGatewayId",
  "segments",
  "connectivityAccountId",
  "sharedVpcCidr",
  "clientCidrs",
  "onPremService",
  "endpointIds",
];
export const CONNECTIVITY_READS = ["serviceName", "servicePort", "onPremEndpointId"];
/** What a workload stack with hybridnet:softwareVpnToHub reads from the connectivity stack besides. */
export const SOFTWARE_VPN_HUB_READS = ["softwareVpnHub", "softwareVpnHubPresharedKeys"];
/** What a workload stack that requests VPC peering reads from its peer (the accepter). */
export const PEERING_READS = ["accountId", "region", "vpcId", "vpcCidr", "privateRouteTableIds", "peers"];

/**
 * The CLI's form of a stack YAML's `config:` map: each top-level value a string, objects and lists as JSON
 * text (what `pulumi up` sets in the program's environment).
 */
export function cliConfig(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

/**
 * Throws the errors of an environment's stacks together: the one stack's ValidationError, or a
 * ValidationErrors grouping several; nothing when there are none.
 */
function throwTogether(env: string, invalid: readonly ValidationError[]): void {
  if (invalid.length === 1) throw invalid[0];
  if (invalid.length > 1) throw new ValidationErrors(`environment ${env}`, invalid);
}

/**
 * The stack files of `env` in `dir`: `Pulumi.<account>-<env>.yaml`. A file that is not YAML is a
 * ValidationError naming its stack and the line; every such file is reported at once.
 */
export function readStackFiles(dir: string, env: string): StackFile[] {
  const suffix = `-${env}.yaml`;
  const invalid: ValidationError[] = [];
  const files = readdirSync(dir)
    .filter((f) => f.startsWith("Pulumi.") && f.endsWith(suffix))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const stack = f.slice("Pulumi.".length, -".yaml".length);
      let parsed: { config?: Record<string, unknown> } | null | undefined;
      const text = readFileSync(file, "utf8");
      try {
        parsed = load(text) as { config?: Record<string, unknown> } | null;
      } catch (e) {
        if (!(e instanceof YAMLException)) throw e;
        const line = e.mark.line;
        invalid.push(
          new ValidationError(stack, [
            {
              path: `${f}:${line + 1}`,
              value: text.split("\n")[line]?.trim() ?? "",
              allowed: `valid YAML (${e.reason})`,
            },
          ]),
        );
      }
      return { stack, file, config: cliConfig(parsed?.config ?? {}) };
    });
  throwTogether(env, invalid);
  return files;
}

/** Which stack references which, from validated settings. */
export function stackReferences(stacks: readonly StackSettings[]): StackReferenceEdge[] {
  const edges: StackReferenceEdge[] = [];
  for (const s of stacks) {
    const env = s.identity.env;
    if (s.role === "workload") {
      edges.push({
        from: s.identity.stack,
        to: connectivityStackName(env),
        kind: "hard",
        reads: s.config.softwareVpnToHub ? [...WORKLOAD_READS, ...SOFTWARE_VPN_HUB_READS] : WORKLOAD_READS,
      });
      const softwarePeering = s.config.softwareVpnPeering;
      if (softwarePeering)
        edges.push({
          from: s.identity.stack,
          to: workloadStackName(softwarePeering.peer, env),
          ...(softwarePeering.side === "a"
            ? { kind: "hard" as const, reads: ["softwareVpnPeering"] }
            : { kind: "soft" as const, reads: ["softwareVpnPeering", "softwareVpnPeeringPresharedKeys"] }),
        });
      for (const peer of Object.keys(s.config.peering ?? {}).sort())
        edges.push({
          from: s.identity.stack,
          to: workloadStackName(peer, env),
          kind: "hard",
          reads: PEERING_READS,
        });
    } else
      for (const workload of Object.keys(s.config.workloads).sort()) {
        const to = workloadStackName(workload, env);
        const toHub = stacks.some(
          (w) => w.identity.stack === to && w.role === "workload" && w.config.softwareVpnToHub,
        );
        edges.push({
          from: s.identity.stack,
          to,
          kind: "soft",
          reads: toHub ? [...CONNECTIVITY_READS, "softwareVpnToHub"] : CONNECTIVITY_READS,
        });
      }
  }
  return edges;
}

/**
 * The deployment order of stacks with `references`: pass 1 in hard-reference order (a stack after those it
 * cannot deploy without; ties by name), then pass 2 of every stack with a soft reference to a stack deployed
 * after it, then pass 2 of every stack that references one rerun in pass 2. Throws on a cycle of hard
 * references, which no order can satisfy.
 */
export function deploymentOrder(
  stackNames: readonly string[],
  references: readonly StackReferenceEdge[],
): DeployStep[] {
  const names = [...stackNames].sort();
  const hard = (from: string) =>
    references.filter((r) => r.from === from && r.kind === "hard").map((r) => r.to);
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string, chain: string[]) => {
    if (order.includes(name)) return;
    if (visiting.has(name))
      throw new Error(`stack references form a cycle no order satisfies: ${[...chain, name].join(" → ")}`);
    visiting.add(name);
    for (const to of hard(name)
      .filter((t) => names.includes(t))
      .sort())
      visit(to, [...chain, name]);
    visiting.delete(name);
    order.push(name);
  };
  for (const name of names) visit(name, []);
  const position = new Map(order.map((name, i) => [name, i]));
  const steps: DeployStep[] = order.map((stack) => {
    const needs = hard(stack).filter((t) => names.includes(t));
    return {
      stack,
      pass: 1,
      reason:
        needs.length > 0
          ? `reads ${needs.join(", ")}, deployed before it`
          : "references no stack it cannot do without",
    };
  });
  const second = new Set<string>();
  for (const stack of order) {
    const later = references
      .filter(
        (r) =>
          r.from === stack && r.kind === "soft" && (position.get(r.to) ?? -1) > (position.get(stack) ?? 0),
      )
      .map((r) => r.to);
    if (later.length > 0) {
      second.add(stack);
      steps.push({
        stack,
        pass: 2,
        reason: `reads ${later.join(", ")}, deployed after its first pass (endpoints to their services, accepting their endpoints)`,
      });
    }
  }
  for (const stack of order) {
    const rerun = references.filter((r) => r.from === stack && second.has(r.to)).map((r) => r.to);
    if (rerun.length > 0 && !second.has(stack))
      steps.push({
        stack,
        pass: 2,
        reason: `reads ${rerun.join(", ")}, whose second pass published new outputs (endpoints to accept)`,
      });
  }
  return steps;
}

type WorkloadSettings = Extract<StackSettings, { role: "workload" }>;

/** The cycles of the peering requests among `workloads` (each requester reads its accepter), each listed once. */
function peeringCycles(workloads: readonly WorkloadSettings[]): string[][] {
  const peersOf = (key: string) =>
    Object.keys(workloads.find((w) => w.identity.workload === key)?.config.peering ?? {}).sort();
  const cycles = new Map<string, string[]>();
  const walk = (key: string, path: string[]) => {
    const at = path.indexOf(key);
    if (at >= 0) {
      const cycle = path.slice(at);
      const start = cycle.indexOf([...cycle].sort()[0]);
      const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
      cycles.set(rotated.join(" "), rotated);
      return;
    }
    for (const peer of peersOf(key)) walk(peer, [...path, key]);
  };
  for (const w of workloads) walk(w.identity.workload!, []);
  return [...cycles.values()];
}

/**
 * The peerings of the environment's workloads (`hybridnet:peering`): each peer a workload of the environment,
 * the role in the peer's account, VPC CIDRs that do not overlap (AWS refuses to peer such VPCs), and one
 * requester per pair of VPCs with no longer cycle of requests either (each requester deploys after its accepter).
 */
function checkPeerings(problems: Problems, env: string, workloads: readonly WorkloadSettings[]): void {
  const ns = CONFIG_NAMESPACE;
  const byKey = new Map(workloads.map((w) => [w.identity.workload!, w]));
  for (const w of workloads)
    for (const [key, spec] of Object.entries(w.config.peering ?? {})) {
      const at = `${w.identity.stack}: ${ns}:peering.${key}`;
      const peer = byKey.get(key);
      if (key === w.identity.workload) continue;
      if (!peer) {
        problems.add(
          at,
          key,
          `a workload of environment ${env} with a stack file Pulumi.${workloadStackName(key, env)}.yaml: ${[...byKey.keys()].sort().join(", ")}`,
        );
        continue;
      }
      if (spec.roleArn.split(":")[4] !== peer.config.aws.accountId)
        problems.add(
          `${at}.roleArn`,
          spec.roleArn,
          `a role in ${peer.identity.stack}'s account ${peer.config.aws.accountId}: the accepter accepts the request with its own account's credentials`,
        );
      const [mine, theirs] = [parseCidr(w.config.vpc.cidr), parseCidr(peer.config.vpc.cidr)];
      if (cidrsOverlap(mine, theirs))
        problems.add(
          at,
          key,
          `a workload whose VPC does not overlap this one: ${peer.identity.stack}'s ${ns}:vpc.cidr ${theirs.text} overlaps ${mine.text}, and AWS cannot create a VPC peering connection between VPCs with matching or overlapping CIDR blocks (reach it through PrivateLink instead)`,
        );
      if (peer.config.peering?.[w.identity.workload!] && w.identity.stack < peer.identity.stack)
        problems.add(
          at,
          key,
          `declared on one side only: ${peer.identity.stack} declares ${ns}:peering.${w.identity.workload} too; AWS allows one peering connection between two VPCs, requested by one and accepted by the other — keep it on the requester`,
        );
    }
  for (const cycle of peeringCycles(workloads).filter((c) => c.length > 2))
    problems.add(
      `${ns}:peering`,
      [...cycle, cycle[0]].join(" → "),
      "peering requests without a cycle: each requester's stack reads its accepter's outputs, so the accepter deploys first, and no order deploys a cycle; declare one of these peerings on its other side",
    );
}

/**
 * Checks across the stacks of one environment what no single stack can see: each workload stack the
 * connectivity stack lists exists and agrees on its account and VPC CIDR, each workload stack is listed, one
 * connectivity stack, and the VPCs that attach to the transit gateway (the connectivity VPC and attached
 * workloads) do not overlap each other or the on-premises networks, and each workload is in the connectivity
 * stack's Region with at least two zone ids in common with it (PrivateLink pairs zones by id); and the peerings
 * between workloads ({@link checkPeerings}). Throws one ValidationError naming the environment.
 */
export function checkEnvironment(env: string, stacks: readonly StackSettings[]): void {
  const problems = new Problems();
  const ns = CONFIG_NAMESPACE;
  const connectivity = stacks.filter((s) => s.role === "connectivity");
  const workloads = stacks.filter((s) => s.role === "workload");
  if (connectivity.length !== 1)
    problems.add(
      "stacks",
      connectivity.map((s) => s.identity.stack),
      `exactly one connectivity stack (${connectivityStackName(env)}) in environment ${env}`,
    );
  const hub = connectivity[0];
  if (hub?.role === "connectivity") {
    const listed = hub.config.workloads;
    for (const [workload, spec] of Object.entries(listed)) {
      const name = workloadStackName(workload, env);
      const stack = workloads.find((w) => w.identity.stack === name);
      const at = `${hub.identity.stack}: ${ns}:workloads.${workload}`;
      if (stack?.role !== "workload") {
        problems.add(at, workload, `a workload with a stack file Pulumi.${name}.yaml`);
        continue;
      }
      if (stack.config.aws.accountId !== spec.accountId)
        problems.add(
          `${at}.accountId`,
          spec.accountId,
          `the account ${name} deploys into (${stack.config.aws.accountId}, its ${ns}:aws.accountId)`,
        );
      // The Region the connectivity stack has the workload in (its transit gateway there, the cross-Region
      // endpoints): the workload's own stack must deploy there.
      const region = spec.region ?? hub.config.aws.region;
      if (stack.config.aws.region !== region)
        problems.add(
          `${name}: ${ns}:aws.region`,
          stack.config.aws.region,
          `${region}, the Region ${hub.identity.stack} has it in (${ns}:workloads.${workload}.region, default its own ${ns}:aws.region): set both to the same Region`,
        );
      // PrivateLink pairs zones by id, both ways: each side's endpoint needs two zones the other's service has.
      // (In another Region, cross-Region PrivateLink uses each side's own zones: nothing to pair.)
      else if (
        region === hub.config.aws.region &&
        stack.config.vpc.availabilityZones.filter((z) => hub.config.vpc.availabilityZones.includes(z))
          .length < 2
      )
        problems.add(
          `${name}: ${ns}:vpc.availabilityZones`,
          stack.config.vpc.availabilityZones,
          `at least two of ${hub.identity.stack}'s zone ids (${hub.config.vpc.availabilityZones.join(", ")}): the endpoints between the two VPCs can use only zones both have`,
        );
      if (stack.config.vpc.cidr !== spec.vpcCidr)
        problems.add(
          `${at}.vpcCidr`,
          spec.vpcCidr,
          `${name}'s VPC CIDR (${stack.config.vpc.cidr}, its ${ns}:vpc.cidr)`,
        );
      if (stack.config.attachment) {
        const segments = Object.keys(hub.config.hub.segments);
        if (!segments.includes(stack.config.attachment.segment))
          problems.add(
            `${name}: ${ns}:attachment.segment`,
            stack.config.attachment.segment,
            `a segment of ${hub.identity.stack}'s hub: ${segments.map((s) => JSON.stringify(s)).join(", ")}`,
          );
        const hubAccount = stack.config.attachment.hubRoleArn.split(":")[4];
        if (hubAccount !== hub.config.aws.accountId)
          problems.add(
            `${name}: ${ns}:attachment.hubRoleArn`,
            stack.config.attachment.hubRoleArn,
            `a role in the network account ${hub.config.aws.accountId} (${hub.identity.stack})`,
          );
      }
    }
    for (const w of workloads)
      if (!(w.identity.workload! in listed))
        problems.add(
          `${w.identity.stack}`,
          w.identity.workload,
          `listed in ${hub.identity.stack}'s ${ns}:workloads, which shares the hub with it and consumes its service`,
        );
    // Networks routed through the transit gateway must be unique; PrivateLink-only VPCs may overlap anything.
    const routed = [
      { name: `${hub.identity.stack}: ${ns}:vpc.cidr`, cidr: parseCidr(hub.config.vpc.cidr) },
      ...Object.entries(hub.config.vpn.sites).flatMap(([site, spec]) =>
        spec.prefixes.map((p, i) => ({
          name: `${hub.identity.stack}: ${ns}:vpn.sites.${site}.prefixes[${i}]`,
          cidr: parseCidr(p),
        })),
      ),
      ...workloads.flatMap((w) =>
        w.role === "workload" && (w.config.attachment || w.config.softwareVpnToHub)
          ? [{ name: `${w.identity.stack}: ${ns}:vpc.cidr`, cidr: parseCidr(w.config.vpc.cidr) }]
          : [],
      ),
    ];
    for (const { a, b } of findOverlaps(routed))
      problems.add(
        b.name,
        b.cidr.text,
        `overlaps ${a.name} (${a.cidr.text}); networks routed through the transit gateway must be unique — leave hybridnet:attachment out to reach it through PrivateLink only`,
      );
  }
  checkPeerings(problems, env, workloads as WorkloadSettings[]);
  checkSoftwareVpnOptions(problems, env, hub, workloads as WorkloadSettings[]);
  problems.throwIfAny(`environment ${env}`);
}

// ---------------------------------------------------------------------------------------------------
// The software VPN options across stacks (issue 16): a block of its own.

/**
 * hybridnet:softwareVpnPeering and hybridnet:softwareVpnToHub across the environment: each peering declared on
 * both sides (each naming the other, one side "a" and one "b"), VPCs that do not overlap, two ASNs; each hub VPN
 * on a segment of the hub.
 */
function checkSoftwareVpnOptions(
  problems: Problems,
  env: string,
  hub: StackSettings | undefined,
  workloads: readonly WorkloadSettings[],
): void {
  const ns = CONFIG_NAMESPACE;
  const byKey = new Map(workloads.map((w) => [w.identity.workload!, w]));
  for (const w of workloads) {
    const setting = w.config.softwareVpnPeering;
    if (!setting) continue;
    const at = `${w.identity.stack}: ${ns}:softwareVpnPeering`;
    const peer = byKey.get(setting.peer);
    if (!peer) {
      if (setting.peer !== w.identity.workload)
        problems.add(
          `${at}.peer`,
          setting.peer,
          `a workload of environment ${env} with a stack file Pulumi.${workloadStackName(setting.peer, env)}.yaml: ${[...byKey.keys()].sort().join(", ")}`,
        );
      continue;
    }
    const theirs = peer.config.softwareVpnPeering;
    if (!theirs || theirs.peer !== w.identity.workload) {
      problems.add(
        `${at}.peer`,
        setting.peer,
        `a workload that declares this one back: ${peer.identity.stack} needs ${ns}:softwareVpnPeering { peer: ${w.identity.workload}, side: ${setting.side === "a" ? "b" : "a"} } (it has ${theirs ? `peer ${theirs.peer}` : "none"}); each side runs its own appliance pair`,
      );
      continue;
    }
    if (theirs.side === setting.side) {
      if (w.identity.stack < peer.identity.stack)
        problems.add(
          `${at}.side`,
          setting.side,
          `the other side than ${peer.identity.stack}'s (also "${theirs.side}"): one side is "a" (initiates, generates the keys, deploys second), the other "b"`,
        );
      continue;
    }
    if (setting.side !== "a") continue;
    const [mine, other] = [parseCidr(w.config.vpc.cidr), parseCidr(peer.config.vpc.cidr)];
    if (cidrsOverlap(mine, other))
      problems.add(
        `${at}.peer`,
        setting.peer,
        `a workload whose VPC does not overlap this one: ${peer.identity.stack}'s ${ns}:vpc.cidr ${other.text} overlaps ${mine.text}, and each side routes the other's CIDR into the tunnels`,
      );
    if (theirs.appliance.bgpAsn === setting.appliance.bgpAsn)
      problems.add(
        `${at}.appliance.bgpAsn`,
        setting.appliance.bgpAsn,
        `an ASN other than ${peer.identity.stack}'s (${ns}:softwareVpnPeering.appliance.bgpAsn ${theirs.appliance.bgpAsn}): eBGP needs two autonomous systems`,
      );
  }
  if (hub?.role !== "connectivity") return;
  const segments = Object.keys(hub.config.hub.segments);
  const hubAsn = hub.config.hub.amazonSideAsn ?? 64512;
  for (const w of workloads) {
    const toHub = w.config.softwareVpnToHub;
    if (!toHub) continue;
    const at = `${w.identity.stack}: ${ns}:softwareVpnToHub`;
    if (!segments.includes(toHub.segment))
      problems.add(
        `${at}.segment`,
        toHub.segment,
        `a segment of ${hub.identity.stack}'s hub: ${segments.map((s) => JSON.stringify(s)).join(", ")}`,
      );
    if (toHub.appliance.bgpAsn === hubAsn)
      problems.add(
        `${at}.appliance.bgpAsn`,
        toHub.appliance.bgpAsn,
        `an ASN other than the hub's Amazon side ASN ${hubAsn} (${hub.identity.stack}'s ${ns}:hub.amazonSideAsn): eBGP needs two autonomous systems`,
      );
  }
}
// End of the issue 16 block.

/**
 * Validates the config of every stack file before any is used, so one run reports every stack's problems:
 * the one stack's ValidationError when one is invalid, a ValidationErrors grouping them when several are.
 */
export function parseEveryStack(env: string, files: readonly StackFile[]): StackSettings[] {
  const stacks: StackSettings[] = [];
  const invalid: ValidationError[] = [];
  for (const f of files)
    try {
      stacks.push(parseStackConfig(f.stack, f.config));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      invalid.push(e);
    }
  throwTogether(env, invalid);
  return stacks;
}

/**
 * Reads and validates every stack of `env` in `dir` (each against its schema, then across stacks) and
 * returns them with their references and deployment order. `files`: the stack files, when already read.
 */
export function planEnvironment(
  dir: string,
  env: string,
  files: readonly StackFile[] = readStackFiles(dir, env),
): EnvironmentPlan {
  if (files.length === 0) throw new Error(`no stack files Pulumi.*-${env}.yaml in ${dir}`);
  const stacks = parseEveryStack(env, files);
  checkEnvironment(env, stacks);
  const references = stackReferences(stacks);
  return {
    env,
    stacks,
    references,
    steps: deploymentOrder(
      stacks.map((s) => s.identity.stack),
      references,
    ),
  };
}

/** One run of the teardown: a `pulumi destroy` of a whole stack, or of the components named by `targets`. */
export interface TeardownStep {
  stack: string;
  /** URNs to destroy with their children (`--target … --target-dependents`); empty: the whole stack. */
  targets: string[];
  /**
   * Whether protected resources stand in the way: a whole-stack destroy of a production stack, which protects
   * its anchors (model/protection), first lifts their protection (`pulumi state unprotect --all`).
   */
  unprotectFirst: boolean;
  /** Why this run comes here, in the operator's words. */
  reason: string;
  /** The commands to type, in order. */
  commands: string[];
}

/** The URN Pulumi gives a resource of this program's project: `urn:pulumi:<stack>::<project>::<type path>::<name>`. */
function urnOf(stack: string, typePath: string, name: string): string {
  return `urn:pulumi:${stack}::${PROJECT}::${typePath}::${name}`;
}

const ENDPOINT_COMPONENT = "hybridnet:index:PrivateLinkEndpoint";
const ACCEPTER_PATH =
  "hybridnet:index:PrivateLinkService$aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter";

/**
 * The teardown order of an environment, the deploy order's mirror with the PrivateLink handshake undone first.
 * AWS deletes an endpoint service only once no endpoint connection is Available or PendingAcceptance
 * (DeleteVpcEndpointServiceConfigurations, EC2 API reference), and each side of this landing zone consumes the
 * other's service, so neither side can go whole first:
 * 1. each workload stack destroys its endpoint to the connectivity stack's reverse service;
 * 2. the connectivity stack destroys its endpoints to the workloads' services and its accepters of the
 *    workloads' endpoints;
 * 3. each workload stack is destroyed (its service now has no endpoints; its transit gateway attachment goes
 *    before the hub it attaches to);
 * 4. the connectivity stack is destroyed (the hub, the VPNs, Direct Connect).
 * Steps 1 and 2 remove nothing the production protection covers (interface endpoints and accepters are not
 * anchors), so they need no unprotect.
 */
export function teardownOrder(plan: Pick<EnvironmentPlan, "stacks">): TeardownStep[] {
  const workloads = plan.stacks
    .filter((s) => s.role === "workload")
    .map((s) => ({ stack: s.identity.stack, key: s.identity.workload!, prod: s.identity.prod }))
    .sort((a, b) => a.stack.localeCompare(b.stack));
  const hubs = plan.stacks.filter((s) => s.role === "connectivity");
  const targeted = (stack: string, targets: string[]) => [
    `pulumi destroy --stack ${stack} ${targets.map((t) => `--target '${t}'`).join(" ")} --target-dependents`,
  ];
  const whole = (stack: string, prod: boolean) => [
    ...(prod ? [`pulumi state unprotect --all --stack ${stack}`] : []),
    `pulumi destroy --stack ${stack}`,
  ];
  const steps: TeardownStep[] = [];
  for (const w of workloads) {
    const targets = [urnOf(w.stack, ENDPOINT_COMPONENT, `${w.key}-onprem`)];
    steps.push({
      stack: w.stack,
      targets,
      unprotectFirst: false,
      reason:
        "its endpoint to the connectivity stack's reverse service goes first: that service cannot be deleted while it has endpoints",
      commands: targeted(w.stack, targets),
    });
  }
  for (const hub of hubs) {
    if (hub.role !== "connectivity") continue;
    const stack = hub.identity.stack;
    const keys = Object.keys(hub.config.workloads).sort();
    const targets = [
      ...keys.map((k) => urnOf(stack, ENDPOINT_COMPONENT, `to-${k}`)),
      ...keys.map((k) => urnOf(stack, ACCEPTER_PATH, `onprem-accept-${k}`)),
    ];
    steps.push({
      stack,
      targets,
      unprotectFirst: false,
      reason:
        "its endpoints to the workloads' services and its accepters of their endpoints go next: the workloads' services cannot be deleted while they have endpoints",
      commands: targeted(stack, targets),
    });
  }
  for (const w of requestersFirst(plan.stacks, workloads))
    steps.push({
      stack: w.stack,
      targets: [],
      unprotectFirst: w.prod,
      reason: w.requests.length
        ? `the workload goes before the hub it attaches to and the stacks it reads (${w.requests.join(", ")}, whose VPCs it peers with: its peering connections and the routes it added to their route tables go first)`
        : "the workload goes before the hub it attaches to and the stack it reads",
      commands: whole(w.stack, w.prod),
    });
  for (const hub of hubs)
    steps.push({
      stack: hub.identity.stack,
      targets: [],
      unprotectFirst: hub.identity.prod,
      reason: "the hub goes last: every workload stack read it",
      commands: whole(hub.identity.stack, hub.identity.prod),
    });
  return steps;
}

/**
 * `workloads` in teardown order: a workload that requests VPC peering before the peers it reads (its stack holds
 * the peering and the routes in the peer's route tables); otherwise by name.
 */
function requestersFirst<W extends { stack: string }>(
  stacks: readonly StackSettings[],
  workloads: readonly W[],
): (W & { requests: string[] })[] {
  const requests = (stack: string) => {
    const s = stacks.find((x) => x.identity.stack === stack);
    return s?.role === "workload"
      ? Object.keys(s.config.peering ?? {})
          .sort()
          .map((peer) => workloadStackName(peer, s.identity.env))
      : [];
  };
  const remaining = workloads.map((w) => ({ ...w, requests: requests(w.stack) }));
  const order: (W & { requests: string[] })[] = [];
  while (remaining.length > 0) {
    // Next: the first by name that no remaining workload reads; with none (a cycle, refused earlier), the first.
    const free = remaining.findIndex((w) => !remaining.some((r) => r.requests.includes(w.stack)));
    order.push(...remaining.splice(Math.max(free, 0), 1));
  }
  return order;
}

/** The organization StackReferences of `stack` name (its `hybridnet:organization`, or the DIY default). */
export function organizationOf(config: Record<string, string>): string | undefined {
  const value = namespaceValues(config).organization;
  return typeof value === "string" ? value : undefined;
}
