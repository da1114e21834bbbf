import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { AT_DEPLOYMENT } from "../model/addressing";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import { componentWhere } from "../model/errors";
import {
  APPLIANCE_ROLES,
  type ApplianceInstanceSpec,
  type ApplianceRole,
  planSoftwareVpnAppliance,
  type SoftwareVpnApplianceSpec,
} from "../model/softwareVpn/appliance";
import { applianceConfigFiles } from "../model/softwareVpn/managedVpnSite";
import {
  otherSide,
  PEERING_SIDES,
  type PeeringSide,
  peeringDeviceSite,
  planSoftwareVpnPeering,
  type SoftwareVpnPeeringPlan,
} from "../model/softwareVpn/peering";
import type { TunnelOptions } from "../model/tunnelOptions";
import * as aws from "./aws";
import { ComponentState } from "./componentState";
import {
  SoftwareVpnAppliance,
  type SoftwareVpnApplianceAlarm,
  type SoftwareVpnApplianceWatchdog,
} from "./SoftwareVpnAppliance";
import type { SoftwareVpnToManagedVpnInstanceArgs } from "./SoftwareVpnToManagedVpn";
import { TUNNEL_OPTIONS_KEYS } from "./vpnSites";

/** One side of the peering: a VPC and its appliance pair. */
export interface SoftwareVpnPeeringSideArgs {
  /** The VPC. */
  vpcId: pulumi.Input<string>;
  /** The VPC's CIDRs: forwarded by its appliances and advertised to the other side. Must not overlap the other's. */
  vpcCidrs: string[];
  /** BGP ASN of this side's appliances. Must differ from the other side's. */
  asn: number;
  /** The primary appliance instance: the VPC's routes point at it when deployed. */
  primary: SoftwareVpnToManagedVpnInstanceArgs;
  /** The standby appliance instance, in another Availability Zone. */
  standby: SoftwareVpnToManagedVpnInstanceArgs;
  /** The VPC's route tables whose routes to the other side's CIDRs point at the active appliance. @default none. */
  routeTableIds?: Record<string, pulumi.Input<string>>;
}

/** Arguments for `SoftwareVpnPeering`. Every plain value is checked before anything registers. */
export interface SoftwareVpnPeeringArgs {
  /** Side a: its appliances initiate the tunnels. */
  a: SoftwareVpnPeeringSideArgs;
  /** Side b: its appliances answer. */
  b: SoftwareVpnPeeringSideArgs;
  /** IPsec options of all four tunnels. @default the secure defaults (IKEv2, AES-256, SHA-2, DH 14–21). */
  tunnelOptions?: TunnelOptions;
  /** Pool the tunnel inside /30s are allocated from, inside 169.254.0.0/16. @default 169.254.0.0/16. */
  insideCidrPool?: string;
  /** EC2 instance type of all four appliances. @default "c6i.large". */
  instanceType?: string;
  /** AMI of the appliances (Debian 12). @default the newest Debian 12 AMI. */
  ami?: pulumi.Input<string>;
  /** Root volume size in GiB. @default 16. */
  rootVolumeSizeGiB?: number;
  /** KMS key that encrypts the root volumes. @default the account's EBS key. */
  kmsKeyId?: pulumi.Input<string>;
  /** Failover timing of both pairs. @default a check every 2 s, takeover after 3 misses. */
  watchdog?: SoftwareVpnApplianceWatchdog;
  /** Alarms on the appliances' status checks. @default none. */
  statusAlarms?: SoftwareVpnApplianceAlarm;
  /** Tags on every AWS resource the component creates. */
  tags?: Record<string, string>;
}

const INSTANCE_KEYS = keysOf<SoftwareVpnToManagedVpnInstanceArgs>({
  availabilityZoneId: "value",
  subnetId: "value",
  subnetCidr: "value",
  privateIp: "value",
});

const SIDE_KEYS = keysOf<SoftwareVpnPeeringSideArgs>({
  vpcId: "value",
  vpcCidrs: "value",
  asn: "value",
  primary: INSTANCE_KEYS,
  standby: INSTANCE_KEYS,
  routeTableIds: "value",
});

const ARGUMENT_KEYS = keysOf<SoftwareVpnPeeringArgs>({
  a: SIDE_KEYS,
  b: SIDE_KEYS,
  tunnelOptions: TUNNEL_OPTIONS_KEYS,
  insideCidrPool: "value",
  instanceType: "value",
  ami: "value",
  rootVolumeSizeGiB: "value",
  kmsKeyId: "value",
  watchdog: keysOf<SoftwareVpnApplianceWatchdog>({ intervalSeconds: "value", failures: "value" }),
  statusAlarms: keysOf<SoftwareVpnApplianceAlarm>({ actions: "value", evaluationPeriods: "value" }),
  tags: "value",
});

const plans = new ComponentState<SoftwareVpnPeering, SoftwareVpnPeeringPlan>();

/**
 * Software-to-software VPC-to-VPC VPN: an HA pair of software VPN appliances (`SoftwareVpnAppliance`) in each of
 * two VPCs, with a tunnel from each instance of side a to each instance of side b (four tunnels, BGP over each),
 * so either instance of either pair carries traffic and each side fails over on its own. One plan
 * (model/softwareVpn/peering) renders both ends with `renderStrongswan`: inside /30s from 169.254.0.0/16 outside
 * AWS's reserved blocks, IKEv2 with the secure tunnel defaults, pre-shared keys generated with @pulumi/random and
 * kept secret into the appliances' user data. The two VPCs must not overlap and the two ASNs must differ.
 */
export class SoftwareVpnPeering extends pulumi.ComponentResource {
  /** Elastic IP addresses by side ("a", "b"), then role: `{ a: { primary, standby }, b: { ... } }`. */
  public readonly publicIps: pulumi.Output<Record<string, Record<string, string>>>;
  /** Inside CIDR of each tunnel, by tunnel key (`<side a role>-<side b role>`). */
  public readonly insideCidrs: pulumi.Output<Record<string, string>>;
  /** Pre-shared key of each tunnel, by tunnel key. Secret. */
  public readonly presharedKeys: pulumi.Output<Record<string, string>>;
  /** Appliance instance ids by side, then role. */
  public readonly instanceIds: pulumi.Output<Record<string, Record<string, string>>>;

  /** The plan the component registered. */
  public get plan(): SoftwareVpnPeeringPlan {
    return plans.get(this);
  }

  constructor(name: string, args: SoftwareVpnPeeringArgs, opts?: pulumi.ComponentResourceOptions) {
    const where = componentWhere("SoftwareVpnPeering", name);
    refuseUnknownKeys(where, ARGUMENT_KEYS, args);
    const plan = planSoftwareVpnPeering(where, {
      a: { vpcCidrs: args.a?.vpcCidrs, asn: args.a?.asn },
      b: { vpcCidrs: args.b?.vpcCidrs, asn: args.b?.asn },
      ...(args.tunnelOptions !== undefined ? { tunnelOptions: args.tunnelOptions } : {}),
      ...(args.insideCidrPool !== undefined ? { insideCidrPool: args.insideCidrPool } : {}),
    });
    // Each pair's peers are the other pair's Elastic IPs: known only at deployment when the arguments are checked.
    const applianceArgs = <A>(side: PeeringSide, address: (role: ApplianceRole) => A) => {
      const given = args[side];
      const other = args[otherSide(side)];
      return {
        primary: given.primary,
        standby: given.standby,
        peers: Object.fromEntries(
          APPLIANCE_ROLES.map((role) => [
            `${otherSide(side)}-${role}`,
            { address: address(role), description: `side ${otherSide(side)}'s ${role} appliance` },
          ]),
        ),
        forwardedCidrs: given.vpcCidrs,
        ...(given.routeTableIds !== undefined
          ? { routeTableIds: given.routeTableIds, destinationCidrs: other.vpcCidrs }
          : {}),
        ...(args.instanceType !== undefined ? { instanceType: args.instanceType } : {}),
        ...(args.ami !== undefined ? { ami: args.ami } : {}),
        ...(args.rootVolumeSizeGiB !== undefined ? { rootVolumeSizeGiB: args.rootVolumeSizeGiB } : {}),
        ...(args.watchdog !== undefined ? { watchdog: args.watchdog } : {}),
        ...(args.statusAlarms !== undefined ? { statusAlarms: args.statusAlarms } : {}),
      };
    };
    // Both pairs' plain values are checked before anything registers (paths under `a.` and `b.`).
    const appliancePlans = Object.fromEntries(
      PEERING_SIDES.map((side) => {
        const spec = applianceArgs(side, () => AT_DEPLOYMENT);
        const instance = (i: SoftwareVpnToManagedVpnInstanceArgs | undefined) =>
          (i === undefined
            ? i
            : { ...i, configFiles: { "swanctl.conf": "#", "frr.conf": "#" } }) as ApplianceInstanceSpec;
        const checked: SoftwareVpnApplianceSpec = {
          ...spec,
          primary: instance(spec.primary),
          standby: instance(spec.standby),
        };
        return [side, planSoftwareVpnAppliance(`${where} (side ${side})`, checked)];
      }),
    );
    super("hybridnet:index:SoftwareVpnPeering", name, {}, opts);
    plans.set(this, plan);
    const tags = { ...args.tags, "hybridnet:component": name };

    const eips = Object.fromEntries(
      PEERING_SIDES.map((side) => [
        side,
        Object.fromEntries(
          APPLIANCE_ROLES.map((role) => [
            role,
            new aws.ec2.Eip(
              `${name}-${side}-${role}-eip`,
              { domain: "vpc", tags: { ...tags, Name: `${name}-${side}-${role}` } },
              { parent: this },
            ),
          ]),
        ),
      ]),
    ) as Record<PeeringSide, Record<ApplianceRole, aws.ec2.Eip>>;
    const keys = Object.fromEntries(
      plan.tunnels.map((t) => {
        const generated = new random.RandomPassword(
          `${name}-${t.key}-psk`,
          { length: 32, special: false },
          { parent: this },
        );
        return [t.key, pulumi.secret(generated.result)];
      }),
    );
    const publicIps = pulumi.all(
      Object.fromEntries(
        PEERING_SIDES.map((side) => [
          side,
          pulumi.all(Object.fromEntries(APPLIANCE_ROLES.map((role) => [role, eips[side][role].publicIp]))),
        ]),
      ),
    ) as unknown as pulumi.Output<Record<PeeringSide, Record<ApplianceRole, string>>>;
    const presharedKeys = pulumi.secret(pulumi.all(keys));
    const stack = pulumi.getStack();

    const appliances = Object.fromEntries(
      PEERING_SIDES.map((side) => {
        const files = (role: ApplianceRole): Record<string, pulumi.Output<string>> => {
          const instance = appliancePlans[side].instances.find((i) => i.role === role);
          if (!instance) throw new Error(`${where}: no planned ${side} ${role}`);
          const rendered = pulumi.secret(
            pulumi
              .all([publicIps, presharedKeys])
              .apply(([ips, psks]) =>
                applianceConfigFiles(
                  peeringDeviceSite(
                    plan,
                    { stack, component: where, publicIps: ips, presharedKeys: psks },
                    side,
                    role,
                  ),
                  instance.privateIp,
                ),
              ),
          );
          return {
            "swanctl.conf": rendered.apply((f) => f["swanctl.conf"] ?? ""),
            "frr.conf": rendered.apply((f) => f["frr.conf"] ?? ""),
          };
        };
        const other = otherSide(side);
        const spec = applianceArgs(side, (role) => eips[other][role].publicIp);
        const instanceArgs = (role: ApplianceRole) => ({
          ...args[side][role],
          elasticIpAllocationId: eips[side][role].allocationId,
          configFiles: files(role),
        });
        const appliance = new SoftwareVpnAppliance(
          `${name}-${side}`,
          {
            ...spec,
            vpcId: args[side].vpcId,
            primary: instanceArgs("primary"),
            standby: instanceArgs("standby"),
            ...(args.kmsKeyId !== undefined ? { kmsKeyId: args.kmsKeyId } : {}),
            tags: args.tags ?? {},
          },
          { parent: this },
        );
        return [side, appliance];
      }),
    ) as Record<PeeringSide, SoftwareVpnAppliance>;

    this.publicIps = publicIps.apply((ips) => ips as Record<string, Record<string, string>>);
    this.insideCidrs = pulumi.output(Object.fromEntries(plan.tunnels.map((t) => [t.key, t.insideCidr])));
    this.presharedKeys = presharedKeys;
    this.instanceIds = pulumi.all({ a: appliances.a.instanceIds, b: appliances.b.instanceIds });
    this.registerOutputs({
      publicIps: this.publicIps,
      insideCidrs: this.insideCidrs,
      presharedKeys: this.presharedKeys,
      instanceIds: this.instanceIds,
    });
  }
}
