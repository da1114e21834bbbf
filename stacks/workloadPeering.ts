/**
 * `hybridnet:peering.<peer>` of a workload stack: VPC peering between this workload (the requester) and another
 * workload of the environment (the accepter), possibly in another account and Region. The requester reads the
 * accepter's stack outputs (a hard reference: the accepter deploys first), creates the request, and through a
 * provider of the accepter's account and Region (the role `hybridnet:peering.<peer>.roleArn`) accepts it, turns
 * on DNS resolution and adds the routes back to this VPC in every private route table of the peer.
 */
import * as pulumi from "@pulumi/pulumi";
import { VpcPeering, type VpcPeeringArgs } from "../components/VpcPeering";
import { componentWhere, Problems, ValidationError } from "../model/errors";
import { planVpcPeering } from "../model/peering";
import {
  CONFIG_NAMESPACE,
  type PeeringConfig,
  qualifiedStackName,
  roleArnAccount,
  type StackIdentity,
  type WorkloadConfig,
  workloadStackName,
} from "../model/stackConfig";
import {
  checkStackOutputs,
  type WorkloadPeerOutputs,
  workloadPeerOutputsSchema,
} from "../model/stackOutputs";
import { preflight, readStackOutputs, stackAccess } from "./common";

/** One peering this workload requests: the peer's key and stack, the config, and what the peer's stack published. */
export interface Peer {
  key: string;
  stack: string;
  config: PeeringConfig;
  outputs: WorkloadPeerOutputs;
}

/** Where this workload's VPC is, as the requester side of each peering takes it. */
export interface RequesterVpc {
  vpcId: pulumi.Input<string>;
  cidr: string;
  privateRouteTables: Record<string, pulumi.Input<string>>;
}

/** Checks one peer's outputs against this stack's config: the role's account, and one requester only. */
function checkPeer(problems: Problems, identity: StackIdentity, peer: Peer): void {
  const at = `${CONFIG_NAMESPACE}:peering.${peer.key}`;
  if (roleArnAccount(peer.config.roleArn) !== peer.outputs.accountId)
    problems.add(
      `${at}.roleArn`,
      peer.config.roleArn,
      `a role in ${peer.stack}'s account ${peer.outputs.accountId} (stack output ${peer.stack}.accountId): the accepter accepts the request, and sets its DNS option and routes, with its own account's credentials`,
    );
  if (peer.outputs.peers.includes(identity.workload!))
    problems.add(
      at,
      peer.key,
      `a workload that does not request peering with this one: ${peer.stack} declares hybridnet:peering.${identity.workload} too (stack output ${peer.stack}.peers), and AWS allows one peering connection between two VPCs; declare it on one side only (the requester), the other accepts`,
    );
}

/**
 * Reads the stack of every workload `c.peering` names (StackReferences register nothing) and checks what they
 * published against this stack's config. Throws one ValidationError naming this stack with every problem.
 */
export async function readPeers(identity: StackIdentity, c: WorkloadConfig): Promise<Peer[]> {
  const problems = new Problems();
  const peers: Peer[] = [];
  for (const [key, config] of Object.entries(c.peering ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const stack = workloadStackName(key, identity.env);
    const reference = new pulumi.StackReference(stack, {
      name: qualifiedStackName(identity.organization, stack),
    });
    const outputs = await readStackOutputs(reference, Object.keys(workloadPeerOutputsSchema.shape));
    if (Object.keys(outputs).length === 0) {
      problems.add(
        `${CONFIG_NAMESPACE}:peering.${key}`,
        key,
        `a workload whose stack is deployed: ${stack} has no outputs yet; deploy it first (its pass 1), the requester reads the accepter's VPC, account, Region and route tables`,
      );
      continue;
    }
    try {
      const peer = {
        key,
        stack,
        config,
        outputs: checkStackOutputs(identity.stack, stack, workloadPeerOutputsSchema, outputs),
      };
      checkPeer(problems, identity, peer);
      peers.push(peer);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      for (const p of e.problems) problems.add(p.path, p.value, `${p.allowed} (hybridnet:peering.${key})`);
    }
  }
  problems.throwIfAny(identity.stack);
  return peers;
}

/** The component name of the peering with `peer`: `<this workload>-to-<peer>`. */
export const peeringName = (self: string, peer: string) => `${self}-to-${peer}`;

/**
 * The VpcPeering arguments of one peering: the accepter is reached through the configured role
 * (hybridnet:peering.<peer>.roleArn), in the peer's account and Region; the component makes that provider.
 */
function peeringArgs(
  identity: StackIdentity,
  c: WorkloadConfig,
  requester: RequesterVpc,
  peer: Peer,
): VpcPeeringArgs {
  return {
    requester: {
      vpcId: requester.vpcId,
      cidrs: [requester.cidr],
      routeTables: requester.privateRouteTables,
      accountId: c.aws.accountId,
      region: c.aws.region,
    },
    accepter: {
      vpcId: peer.outputs.vpcId,
      cidrs: [peer.outputs.vpcCidr],
      routeTables: peer.outputs.privateRouteTableIds,
      accountId: peer.outputs.accountId,
      region: peer.outputs.region,
      access: stackAccess(identity, peer.config.roleArn),
    },
    dnsResolution: peer.config.dnsResolution ?? true,
    tags: {
      "hybridnet:environment": identity.env,
      "hybridnet:workload": identity.workload!,
      "hybridnet:peer": peer.key,
    },
  };
}

/** The config path of a VpcPeering argument path: this VPC's config, or the peer's stack output it came from. */
function configPathOf(peer: Peer): (path: string) => string {
  const outputOf: Record<string, string> = {
    cidrs: "vpcCidr",
    vpcId: "vpcId",
    routeTables: "privateRouteTableIds",
  };
  return (path) => {
    if (path.startsWith("requester.cidrs")) return `${CONFIG_NAMESPACE}:vpc.cidr`;
    const accepter = /^accepter\.(cidrs|vpcId|routeTables)/.exec(path);
    return accepter
      ? `${CONFIG_NAMESPACE}:peering.${peer.key} (stack output ${peer.stack}.${outputOf[accepter[1]]})`
      : `${CONFIG_NAMESPACE}:peering.${peer.key} (${path})`;
  };
}

/** Runs each peering's checks (overlapping CIDRs, placement, routes) into `problems`, before anything registers. */
export function preflightPeerings(
  problems: Problems,
  identity: StackIdentity,
  c: WorkloadConfig,
  requester: RequesterVpc,
  peers: readonly Peer[],
): void {
  for (const peer of peers) {
    const args = peeringArgs(identity, c, requester, peer);
    preflight(problems, configPathOf(peer), () =>
      planVpcPeering(componentWhere("VpcPeering", peeringName(identity.workload!, peer.key)), args),
    );
  }
}

/**
 * Registers each peering: the accepter's provider (its account and Region, through the configured role) and the
 * VpcPeering. Returns the outputs the stack publishes for them.
 */
export function addPeerings(
  identity: StackIdentity,
  c: WorkloadConfig,
  requester: RequesterVpc,
  peers: readonly Peer[],
  opts: pulumi.ComponentResourceOptions,
): { peeringConnectionIds?: pulumi.Output<Record<string, string>> } {
  if (peers.length === 0) return {};
  const ids: Record<string, pulumi.Output<string>> = {};
  for (const peer of peers) {
    const peering = new VpcPeering(
      peeringName(identity.workload!, peer.key),
      peeringArgs(identity, c, requester, peer),
      opts,
    );
    ids[peer.key] = peering.peeringConnectionId;
  }
  return { peeringConnectionIds: pulumi.output(ids) };
}
