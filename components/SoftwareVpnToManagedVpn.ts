import * as pulumi from "@pulumi/pulumi";
import { AT_DEPLOYMENT, cidrsOverlap, parseCidr } from "../model/addressing";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import { componentWhere, Problems } from "../model/errors";
import {
  APPLIANCE_ROLES,
  type ApplianceInstanceSpec,
  type ApplianceRole,
  planSoftwareVpnAppliance,
  type SoftwareVpnAppliancePlan,
} from "../model/softwareVpn/appliance";
import { applianceConfigFiles, applianceDeviceSite } from "../model/softwareVpn/managedVpnSite";
import type { TunnelOptions } from "../model/tunnelOptions";
import { DEFAULT_CUSTOMER_ASN, type PlanningSiteSpec, planVpnSites, type VpnPlan } from "../model/vpn";
import * as aws from "./aws";
import { ComponentState } from "./componentState";
import {
  SoftwareVpnAppliance,
  type SoftwareVpnApplianceAlarm,
  type SoftwareVpnApplianceWatchdog,
} from "./SoftwareVpnAppliance";
import {
  checkSharedVpnArgs,
  connectionOutputs,
  insideCidrsOutput,
  type ManagedVpnGateway,
  registerManagedVpnConnections,
  SHARED_VPN_KEYS,
  TUNNEL_OPTIONS_KEYS,
  type TunnelAlarm,
  type TunnelLog,
  tunnelLogGroup,
  type VpnConnectionInfo,
  type VpnRouteTables,
} from "./vpnSites";

/** One appliance instance: the customer gateway of one VPN connection. */
export interface SoftwareVpnToManagedVpnInstanceArgs {
  /** Zone id (`use1-az1`) of `subnetId`. The primary and the standby must be in two zones. */
  availabilityZoneId: string;
  /** Public subnet of the instance in VPC A (its route table sends 0.0.0.0/0 to an internet gateway). */
  subnetId: pulumi.Input<string>;
  /** IPv4 CIDR of the subnet: the instance's fixed private address is planned in it. */
  subnetCidr: string;
  /** Fixed private IPv4 address. @default the subnet's last usable address. */
  privateIp?: string;
}

/** The managed VPN's gateway: a virtual private gateway the component creates on VPC B. */
export interface SoftwareVpnToManagedVpnGatewayArgs {
  /** VPC B, which the virtual private gateway attaches to (a VPC takes one virtual private gateway). */
  vpcId: pulumi.Input<string>;
  /** Amazon side ASN of the virtual private gateway. Must differ from `applianceAsn`. @default 64512. */
  amazonSideAsn?: number;
  /** VPC B's route tables that learn VPC A's CIDRs by propagation, keyed by a stable name. @default none. */
  routeTableIds?: Record<string, pulumi.Input<string>>;
}

/** The managed VPN's gateway: an existing transit gateway. */
export interface SoftwareVpnToManagedVpnTransitGatewayArgs {
  /** The transit gateway (`tgw-...`). */
  transitGatewayId: pulumi.Input<string>;
  /** Its Amazon side ASN (what the appliances peer with). Must differ from `applianceAsn`. */
  amazonSideAsn: number;
  /**
   * Route tables of the two VPN attachments: `association` (what VPC A reaches, VPC B's routes) and
   * `propagation` (the tables that learn VPC A's CIDRs). The association table is required.
   */
  routeTables: VpnRouteTables;
}

/** The appliance pair's settings and the managed VPN's logs, alarms and tags (TransitVpc takes them too). */
export interface SoftwareVpnApplianceSettings {
  /** EC2 instance type of the appliances. @default "c6i.large". */
  instanceType?: string;
  /** AMI of the appliances (Debian 12). @default the newest Debian 12 AMI. */
  ami?: pulumi.Input<string>;
  /** Root volume size in GiB. @default 16. */
  rootVolumeSizeGiB?: number;
  /** KMS key that encrypts the root volumes. @default the account's EBS key. */
  kmsKeyId?: pulumi.Input<string>;
  /** Failover timing of the appliances. @default a check every 2 s, takeover after 3 misses. */
  watchdog?: SoftwareVpnApplianceWatchdog;
  /** Alarms on the appliances' status checks. @default none. */
  statusAlarms?: SoftwareVpnApplianceAlarm;
  /** Tunnel (and BGP) logs of the managed VPN. */
  tunnelLogs?: TunnelLog;
  /** TunnelState alarms of the managed VPN. */
  tunnelAlarms?: TunnelAlarm;
  /** Tags on every AWS resource the component creates. */
  tags?: Record<string, string>;
}

/** Arguments for `SoftwareVpnToManagedVpn`. Every plain value is checked before anything registers. */
export interface SoftwareVpnToManagedVpnArgs extends SoftwareVpnApplianceSettings {
  /** VPC A, where the appliance pair runs. */
  vpcId: pulumi.Input<string>;
  /** VPC A's CIDRs: forwarded by the appliances and advertised to AWS over BGP. Must not overlap `remoteCidrs`. */
  vpcCidrs: string[];
  /** The networks behind the gateway (VPC B's CIDRs): learned over BGP and routed to the active appliance. */
  remoteCidrs: string[];
  /** The primary appliance instance: VPC A's routes point at it when deployed. */
  primary: SoftwareVpnToManagedVpnInstanceArgs;
  /** The standby appliance instance, in another Availability Zone. */
  standby: SoftwareVpnToManagedVpnInstanceArgs;
  /** VPC A's route tables whose routes to `remoteCidrs` point at the active appliance, by a stable name. */
  routeTableIds?: Record<string, pulumi.Input<string>>;
  /** A virtual private gateway on VPC B. Give this or `transitGateway`. */
  virtualPrivateGateway?: SoftwareVpnToManagedVpnGatewayArgs;
  /** An existing transit gateway. Give this or `virtualPrivateGateway`. */
  transitGateway?: SoftwareVpnToManagedVpnTransitGatewayArgs;
  /** BGP ASN of the appliances (both instances). Must differ from the gateway's. @default 65000. */
  applianceAsn?: number;
  /** IPsec options of all four tunnels. @default the secure defaults (IKEv2, AES-256, SHA-2, DH 14–21). */
  tunnelOptions?: TunnelOptions;
  /** Pool the tunnel inside CIDRs are allocated from, inside 169.254.0.0/16. @default 169.254.0.0/16. */
  insideCidrPool?: string;
  /** The previous run's `insideCidrs` output: allocated tunnels keep their CIDRs. @default none. */
  previousInsideCidrs?: Record<string, string[]>;
}

/** The keys of one appliance instance's arguments (TransitVpc's instances take the same). */
export const INSTANCE_KEYS = keysOf<SoftwareVpnToManagedVpnInstanceArgs>({
  availabilityZoneId: "value",
  subnetId: "value",
  subnetCidr: "value",
  privateIp: "value",
});

/** The appliance pair's settings and the VPN's logs, alarms and tags: keys shared with TransitVpc. */
export const APPLIANCE_SETTING_KEYS = {
  instanceType: "value",
  ami: "value",
  rootVolumeSizeGiB: "value",
  kmsKeyId: "value",
  watchdog: keysOf<SoftwareVpnApplianceWatchdog>({ intervalSeconds: "value", failures: "value" }),
  statusAlarms: keysOf<SoftwareVpnApplianceAlarm>({ actions: "value", evaluationPeriods: "value" }),
  tunnelLogs: SHARED_VPN_KEYS.tunnelLogs,
  tunnelAlarms: SHARED_VPN_KEYS.tunnelAlarms,
  tags: "value",
} as const;

const ARGUMENT_KEYS = keysOf<SoftwareVpnToManagedVpnArgs>({
  vpcId: "value",
  vpcCidrs: "value",
  remoteCidrs: "value",
  primary: INSTANCE_KEYS,
  standby: INSTANCE_KEYS,
  routeTableIds: "value",
  virtualPrivateGateway: keysOf<SoftwareVpnToManagedVpnGatewayArgs>({
    vpcId: "value",
    amazonSideAsn: "value",
    routeTableIds: "value",
  }),
  transitGateway: keysOf<SoftwareVpnToManagedVpnTransitGatewayArgs>({
    transitGatewayId: "value",
    amazonSideAsn: "value",
    routeTables: keysOf<VpnRouteTables>({ association: "value", propagation: "value" }),
  }),
  applianceAsn: "value",
  tunnelOptions: TUNNEL_OPTIONS_KEYS,
  insideCidrPool: "value",
  previousInsideCidrs: "value",
  ...APPLIANCE_SETTING_KEYS,
});

/** The appliances' IPsec peers: the two AWS tunnel endpoints of each instance's VPN connection. */
const TUNNEL_PEERS = APPLIANCE_ROLES.flatMap((role) =>
  [0, 1].map((t) => ({ role, tunnel: t, key: `aws-${role}-t${t + 1}` })),
);

/** What the component planned: the managed VPN (one site per appliance instance) and the appliance pair. */
export interface SoftwareVpnToManagedVpnPlan {
  vpn: VpnPlan;
  appliance: SoftwareVpnAppliancePlan;
  applianceAsn: number;
}

/**
 * The managed VPN's sites: one per appliance instance, its address the instance's Elastic IP (an Output at
 * registration; known only at deployment when the arguments are checked).
 */
function applianceSites<A>(
  name: string,
  args: SoftwareVpnToManagedVpnArgs,
  applianceAsn: number,
  address: (role: ApplianceRole) => A,
): Record<string, Omit<PlanningSiteSpec, "ipAddress" | "tunnels"> & { ipAddress: A }> {
  return Object.fromEntries(
    APPLIANCE_ROLES.map((role) => [
      role,
      {
        ipAddress: address(role),
        bgpAsn: applianceAsn,
        routing: "bgp",
        prefixes: args.vpcCidrs,
        ...(args.tunnelOptions !== undefined ? { tunnelOptions: args.tunnelOptions } : {}),
        deviceName: `${name}-${role}`,
      },
    ]),
  );
}

/** The managed VPN's gateway: a virtual private gateway on VPC B, or the transit gateway with its route tables. */
function managedVpnGateway(args: SoftwareVpnToManagedVpnArgs): ManagedVpnGateway {
  if (args.transitGateway !== undefined)
    return {
      transitGatewayId: args.transitGateway.transitGatewayId,
      routeTables: args.transitGateway.routeTables,
    };
  const vgw = args.virtualPrivateGateway as SoftwareVpnToManagedVpnGatewayArgs;
  return {
    vpcId: vgw.vpcId,
    ...(vgw.routeTableIds !== undefined ? { routeTableIds: vgw.routeTableIds } : {}),
  };
}

/**
 * The appliance pair's arguments other than its instances: checked before anything registers with the peers'
 * addresses known only at deployment, and given to the child appliance with the tunnels' outside addresses.
 */
function applianceOptions<A>(
  args: SoftwareVpnToManagedVpnArgs,
  address: (peer: (typeof TUNNEL_PEERS)[number]) => A,
) {
  return {
    peers: Object.fromEntries(
      TUNNEL_PEERS.map((p) => [
        p.key,
        { address: address(p), description: `AWS tunnel ${p.tunnel + 1} of the ${p.role}'s VPN connection` },
      ]),
    ),
    forwardedCidrs: args.vpcCidrs,
    ...(args.routeTableIds !== undefined
      ? { routeTableIds: args.routeTableIds, destinationCidrs: args.remoteCidrs }
      : {}),
    ...applianceSettings(args),
  };
}

/** The appliance pair's instance settings that were given (type, AMI, volume, watchdog, alarms). */
export function applianceSettings(args: SoftwareVpnApplianceSettings) {
  return {
    ...(args.instanceType !== undefined ? { instanceType: args.instanceType } : {}),
    ...(args.ami !== undefined ? { ami: args.ami } : {}),
    ...(args.rootVolumeSizeGiB !== undefined ? { rootVolumeSizeGiB: args.rootVolumeSizeGiB } : {}),
    ...(args.watchdog !== undefined ? { watchdog: args.watchdog } : {}),
    ...(args.statusAlarms !== undefined ? { statusAlarms: args.statusAlarms } : {}),
  };
}

/** An appliance instance's plan input while its files are rendered later: their names are what is checked. */
export function instanceSpec(i: SoftwareVpnToManagedVpnInstanceArgs | undefined): ApplianceInstanceSpec {
  return (
    i === undefined ? i : { ...i, configFiles: { "swanctl.conf": "#", "frr.conf": "#" } }
  ) as ApplianceInstanceSpec;
}

/** The Elastic IPs of the pair, by role: created first, since the customer gateways name their addresses. */
export function applianceElasticIps(
  parent: pulumi.Resource,
  name: string,
  tags: Record<string, string>,
): Record<ApplianceRole, aws.ec2.Eip> {
  return Object.fromEntries(
    APPLIANCE_ROLES.map((role) => [
      role,
      new aws.ec2.Eip(
        `${name}-${role}`,
        { domain: "vpc", tags: { ...tags, Name: `${name}-${role}` } },
        { parent },
      ),
    ]),
  ) as Record<ApplianceRole, aws.ec2.Eip>;
}

/** An instance's rendered files, secret (they hold the pre-shared keys), as the appliance takes them. */
export function secretConfigFiles(
  files: pulumi.Output<Record<string, string>>,
): Record<string, pulumi.Output<string>> {
  const secretFiles = pulumi.secret(files);
  return {
    "swanctl.conf": secretFiles.apply((f) => f["swanctl.conf"] ?? ""),
    "frr.conf": secretFiles.apply((f) => f["frr.conf"] ?? ""),
  };
}

/** The child appliance's arguments for one instance: its placement, Elastic IP and files. */
export function applianceInstanceArgs(
  given: SoftwareVpnToManagedVpnInstanceArgs,
  eip: aws.ec2.Eip,
  configFiles: Record<string, pulumi.Output<string>>,
) {
  return {
    availabilityZoneId: given.availabilityZoneId,
    subnetId: given.subnetId,
    subnetCidr: given.subnetCidr,
    ...(given.privateIp !== undefined ? { privateIp: given.privateIp } : {}),
    elasticIpAllocationId: eip.allocationId,
    configFiles,
  };
}

const plans = new ComponentState<SoftwareVpnToManagedVpn, SoftwareVpnToManagedVpnPlan>();

function checkArgs(problems: Problems, args: SoftwareVpnToManagedVpnArgs): void {
  const vgw = args.virtualPrivateGateway;
  const tgw = args.transitGateway;
  if ((vgw === undefined) === (tgw === undefined))
    problems.add(
      vgw === undefined ? "virtualPrivateGateway" : "transitGateway",
      vgw === undefined ? undefined : "(both)",
      "exactly one gateway for the managed VPN: virtualPrivateGateway (on VPC B) or transitGateway",
    );
  if (vgw !== undefined && vgw.vpcId === undefined)
    problems.add("virtualPrivateGateway.vpcId", undefined, "VPC B's id");
  if (tgw !== undefined && tgw.routeTables?.association === undefined)
    problems.add(
      "transitGateway.routeTables.association",
      undefined,
      "the transit gateway route table the VPN attachments are associated with (what VPC A reaches)",
    );
  const applianceAsn = args.applianceAsn ?? DEFAULT_CUSTOMER_ASN;
  const awsAsn = tgw?.amazonSideAsn ?? vgw?.amazonSideAsn ?? 64512;
  if (applianceAsn === awsAsn)
    problems.add(
      "applianceAsn",
      applianceAsn,
      `an ASN other than the gateway's Amazon side ASN ${awsAsn}: eBGP needs two autonomous systems`,
    );
  if (!Array.isArray(args.remoteCidrs) || args.remoteCidrs.length === 0)
    problems.add("remoteCidrs", args.remoteCidrs, "VPC B's CIDRs (at least one)");
  if (Array.isArray(args.vpcCidrs) && Array.isArray(args.remoteCidrs))
    for (const [i, remote] of args.remoteCidrs.entries())
      for (const local of args.vpcCidrs) {
        let overlap = false;
        try {
          overlap = cidrsOverlap(parseCidr(remote), parseCidr(local));
        } catch {
          // Malformed CIDRs are reported by the plans below.
        }
        if (overlap)
          problems.add(
            `remoteCidrs[${i}]`,
            remote,
            `a network that does not overlap VPC A's ${local}: traffic to it would never leave VPC A`,
          );
      }
  checkSharedVpnArgs(problems, args);
}

/**
 * AWS Software VPN-to-AWS Managed VPN: an HA pair of software VPN appliances (strongSwan + FRR, see
 * `SoftwareVpnAppliance`) in VPC A is the customer gateway of an AWS managed VPN on VPC B's virtual private
 * gateway or on a transit gateway.
 *
 * Each appliance instance gets a pre-created Elastic IP, its own customer gateway at that address and its own
 * VPN connection (two tunnels): two customer gateways, not one, because a customer gateway is one address and
 * each instance has its own. With one gateway, only the instance holding its address could carry traffic; a
 * failover would have to move the Elastic IP and renegotiate IKE and BGP (tens of seconds to minutes). With two,
 * both instances keep their tunnels and BGP sessions up all the time, and a failover is only the watchdog moving
 * VPC A's routes (about 10 s).
 *
 * Each instance's `swanctl.conf` and `frr.conf` are rendered by model/deviceConfig's `renderStrongswan` from the
 * VPN connection's outputs (outside and inside addresses, the pre-shared keys, the tunnel options registered on
 * the connection), so the appliance negotiates exactly what AWS holds. The keys are generated secrets and stay
 * secret from the VPN connection to the appliances' user data. BGP: the appliances (`applianceAsn`) advertise
 * VPC A's CIDRs; AWS advertises VPC B's (or what the transit gateway route table holds).
 */
export class SoftwareVpnToManagedVpn extends pulumi.ComponentResource {
  /** The gateway the VPN connections end on: the virtual private gateway (`vgw-...`) or the transit gateway. */
  public readonly gatewayId: pulumi.Output<string>;
  /** The appliances' Elastic IP addresses, by role ("primary", "standby"): the customer gateways' addresses. */
  public readonly publicIps: pulumi.Output<Record<string, string>>;
  /** Customer gateway ids (`cgw-...`), by appliance role. */
  public readonly customerGatewayIds: pulumi.Output<Record<string, string>>;
  /** VPN connections by appliance role: connection id, customer gateway id, per tunnel its addresses. */
  public readonly connections: pulumi.Output<Record<string, VpnConnectionInfo>>;
  /** Pre-shared keys by appliance role, tunnel 1 then tunnel 2. Secret. */
  public readonly presharedKeys: pulumi.Output<Record<string, string[]>>;
  /** Tunnel inside CIDRs by appliance role: give them back as `previousInsideCidrs` next run. */
  public readonly insideCidrs: pulumi.Output<Record<string, string[]>>;
  /** Appliance instance ids, by role. */
  public readonly instanceIds: pulumi.Output<Record<string, string>>;
  /** The instance VPC A's routes point at when deployed (the primary). */
  public readonly activeInstanceId: pulumi.Output<string>;
  /** Security group of the appliances (`sg-...`). */
  public readonly securityGroupId: pulumi.Output<string>;
  /** CloudWatch log group the tunnels log to. */
  public readonly logGroupName: pulumi.Output<string>;

  /** The plan the component registered. */
  public get plan(): SoftwareVpnToManagedVpnPlan {
    return plans.get(this);
  }

  constructor(name: string, args: SoftwareVpnToManagedVpnArgs, opts?: pulumi.ComponentResourceOptions) {
    const where = componentWhere("SoftwareVpnToManagedVpn", name);
    refuseUnknownKeys(where, ARGUMENT_KEYS, args);
    const problems = new Problems();
    checkArgs(problems, args);
    problems.throwIfAny(where);
    const applianceAsn = args.applianceAsn ?? DEFAULT_CUSTOMER_ASN;
    const isTransit = args.transitGateway !== undefined;
    const sites = applianceSites(name, args, applianceAsn, () => AT_DEPLOYMENT);
    const amazonSideAsn = args.transitGateway?.amazonSideAsn ?? args.virtualPrivateGateway?.amazonSideAsn;
    const vpn = planVpnSites(where, name, sites, {
      gateway: isTransit ? "tgw" : "vgw",
      ...(amazonSideAsn !== undefined ? { amazonSideAsn } : {}),
      awsCidrs: args.remoteCidrs,
      awsCidrsPath: "remoteCidrs",
      ...(args.insideCidrPool !== undefined ? { insideCidrPool: args.insideCidrPool } : {}),
      ...(args.previousInsideCidrs !== undefined ? { previousInsideCidrs: args.previousInsideCidrs } : {}),
      ...(isTransit ? { ecmp: false } : {}),
    });
    // The files are rendered once the connections exist: their names are what the appliance plan checks now.
    const appliancePlan = planSoftwareVpnAppliance(where, {
      ...applianceOptions(args, () => AT_DEPLOYMENT),
      primary: instanceSpec(args.primary),
      standby: instanceSpec(args.standby),
    });
    super("hybridnet:index:SoftwareVpnToManagedVpn", name, {}, opts);
    plans.set(this, { vpn, appliance: appliancePlan, applianceAsn });
    const tags = { ...args.tags, "hybridnet:component": name };

    // The Elastic IPs first: the customer gateways name their addresses before the appliances exist.
    const eips = applianceElasticIps(this, name, tags);

    const logGroup = tunnelLogGroup(this, name, args.tunnelLogs, tags);
    const { gatewayId, registered } = registerManagedVpnConnections(
      this,
      name,
      vpn,
      applianceSites(name, args, applianceAsn, (role) => eips[role].publicIp),
      managedVpnGateway(args),
      { logGroup, alarms: args.tunnelAlarms, tags },
    );
    const outputs = connectionOutputs(registered);

    // Each instance's files, from its connection's outputs and keys: secret, since the keys are.
    const stack = pulumi.getStack();
    const configFiles = (role: ApplianceRole): Record<string, pulumi.Output<string>> => {
      const planned = vpn.sites.find((s) => s.key === role);
      const instance = appliancePlan.instances.find((i) => i.role === role);
      if (!planned || !instance) throw new Error(`${where}: no planned ${role}`);
      const connectionKey = planned.connections[0].key;
      const files = pulumi
        .all([outputs.connections, outputs.presharedKeys, eips[role].publicIp])
        .apply(([connections, keys, publicIp]) => {
          const info = connections[connectionKey];
          const site = applianceDeviceSite({
            stack,
            component: where,
            role,
            outsideAddress: publicIp,
            asn: applianceAsn,
            awsAsn: vpn.amazonSideAsn,
            advertisedCidrs: args.vpcCidrs,
            remoteCidrs: args.remoteCidrs,
            connectionKey,
            connectionId: info.connectionId,
            tunnels: info.tunnels,
            presharedKeys: keys[connectionKey] ?? [],
            options: planned.tunnelOptions,
          });
          return applianceConfigFiles(site, instance.privateIp);
        });
      return secretConfigFiles(files);
    };

    // The appliances admit IKE and ESP from the tunnels' AWS outside addresses, known once the connections exist.
    const tunnelAddress = (p: (typeof TUNNEL_PEERS)[number]) =>
      outputs.connections.apply((c) => {
        const key = vpn.sites.find((s) => s.key === p.role)?.connections[0].key ?? p.role;
        return c[key].tunnels[p.tunnel].outsideAddress;
      });
    const instanceArgs = (role: ApplianceRole) =>
      applianceInstanceArgs(args[role], eips[role], configFiles(role));
    const appliance = new SoftwareVpnAppliance(
      `${name}-appliance`,
      {
        vpcId: args.vpcId,
        primary: instanceArgs("primary"),
        standby: instanceArgs("standby"),
        ...applianceOptions(args, tunnelAddress),
        ...(args.kmsKeyId !== undefined ? { kmsKeyId: args.kmsKeyId } : {}),
        tags: args.tags ?? {},
      },
      { parent: this },
    );

    this.gatewayId = gatewayId;
    this.publicIps = pulumi.all({ primary: eips.primary.publicIp, standby: eips.standby.publicIp });
    this.customerGatewayIds = outputs.customerGatewayIds;
    this.connections = outputs.connections;
    this.presharedKeys = outputs.presharedKeys;
    this.insideCidrs = insideCidrsOutput(vpn);
    this.instanceIds = appliance.instanceIds;
    this.activeInstanceId = appliance.activeInstanceId;
    this.securityGroupId = appliance.securityGroupId;
    this.logGroupName = logGroup.name;
    this.registerOutputs({
      gatewayId: this.gatewayId,
      publicIps: this.publicIps,
      customerGatewayIds: this.customerGatewayIds,
      connections: this.connections,
      presharedKeys: this.presharedKeys,
      insideCidrs: this.insideCidrs,
      instanceIds: this.instanceIds,
      activeInstanceId: this.activeInstanceId,
      securityGroupId: this.securityGroupId,
      logGroupName: this.logGroupName,
    });
  }
}
