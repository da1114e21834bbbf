import * as pulumi from "@pulumi/pulumi";
import { AT_DEPLOYMENT } from "../model/addressing";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import { componentWhere, Problems } from "../model/errors";
import { checkResourceKeys } from "../model/names";
import {
  APPLIANCE_ROLES,
  type ApplianceRole,
  planSoftwareVpnAppliance,
} from "../model/softwareVpn/appliance";
import { applianceConfigFiles } from "../model/softwareVpn/managedVpnSite";
import {
  planTransitVpc,
  type TransitAccountPlan,
  type TransitVpcPlan,
  transitDeviceSite,
  transitInsideCidrs,
  transitUserDataProblem,
  widestUserDataBytes,
} from "../model/softwareVpn/transitVpc";
import type { TunnelOptions } from "../model/tunnelOptions";
import { planVpnSites, type VpnPlan } from "../model/vpn";
import { ACCOUNT_ACCESS_KEYS, type AccountAccess, accessProvider } from "./accountAccess";
import type * as aws from "./aws";
import { ComponentState } from "./componentState";
import { SoftwareVpnAppliance } from "./SoftwareVpnAppliance";
import {
  APPLIANCE_SETTING_KEYS,
  applianceElasticIps,
  applianceInstanceArgs,
  applianceSettings,
  INSTANCE_KEYS,
  instanceSpec,
  type SoftwareVpnApplianceSettings,
  type SoftwareVpnToManagedVpnInstanceArgs,
  secretConfigFiles,
} from "./SoftwareVpnToManagedVpn";
import {
  checkSharedVpnArgs,
  connectionOutputs,
  type ManagedVpnGateway,
  registerCustomerGateway,
  registerManagedVpnConnections,
  TUNNEL_OPTIONS_KEYS,
  tunnelLogGroup,
  type VpnConnectionInfo,
} from "./vpnSites";

/** One spoke VPC: its virtual private gateway connects to both appliance instances (two VPN connections). */
export interface TransitVpcSpokeArgs {
  /** The spoke VPC's CIDRs: learned by the appliances and passed on to the other spokes. No overlaps. */
  vpcCidrs: string[];
  /** Amazon side ASN of the spoke's virtual private gateway (64512–65534, 4200000000–4294967294). @default 64512. */
  amazonSideAsn?: number;
  /** An existing virtual private gateway (`vgw-...`) with that ASN, attached to the spoke VPC. Give this or `vpcId`. */
  vpnGatewayId?: pulumi.Input<string>;
  /** The spoke VPC: the component creates and attaches its virtual private gateway. Give this or `vpnGatewayId`. */
  vpcId?: pulumi.Input<string>;
  /** With `vpcId`: the spoke's route tables that learn the hub's and other spokes' CIDRs. @default none. */
  routeTableIds?: Record<string, pulumi.Input<string>>;
  /**
   * The spoke's account, when it is not the hub's: the component assumes this role (a plain ARN) to make the
   * spoke's gateway, its VPN connections, their log group and alarms there. Spokes in one account and Region
   * share two customer gateways there (give them the same role). @default the hub's account (the component's
   * provider).
   */
  access?: AccountAccess;
  /** With `access`: the spoke VPC's Region, such as "eu-west-1", where the account's provider acts. Required with `access`. */
  region?: string;
}

/** Arguments for `TransitVpc`. Every plain value is checked before anything registers. */
export interface TransitVpcArgs extends SoftwareVpnApplianceSettings {
  /** The hub VPC, where the appliance pair runs. */
  vpcId: pulumi.Input<string>;
  /** The hub VPC's CIDRs: advertised to every spoke over BGP. Spoke CIDRs must not overlap them. */
  vpcCidrs: string[];
  /** The primary appliance instance, in a public subnet of the hub. */
  primary: SoftwareVpnToManagedVpnInstanceArgs;
  /** The standby appliance instance, in another Availability Zone. */
  standby: SoftwareVpnToManagedVpnInstanceArgs;
  /** Hub route tables whose routes to every spoke's CIDRs point at the active appliance, by a stable name. */
  routeTableIds?: Record<string, pulumi.Input<string>>;
  /**
   * Spoke VPCs, keyed by a stable name (1–32 letters, digits, '-'). At most 4 with one hub CIDR: each spoke takes
   * 12 of the appliances' 60 security group rules per direction.
   */
  spokes: Record<string, TransitVpcSpokeArgs>;
  /** BGP ASN of the appliances. Must differ from every spoke's virtual private gateway. @default 65000. */
  applianceAsn?: number;
  /** IPsec options of every tunnel. @default the secure defaults (IKEv2, AES-256, SHA-2, DH 14–21). */
  tunnelOptions?: TunnelOptions;
  /** Pool the tunnels' inside /30s come from (unique across spokes), inside 169.254.0.0/16. @default 169.254.0.0/16. */
  insideCidrPool?: string;
  /**
   * The `insideCidrs` output of the previous run, by connection key (`<spoke>-<role>`), tunnel 1 then 2: those
   * tunnels keep their /30s, so adding or removing a spoke never moves another spoke's (a changed inside CIDR
   * replaces its VPN connection). @default none: allocation by hash slot, which a new spoke can displace.
   */
  previousInsideCidrs?: Record<string, string[]>;
}

const ARGUMENT_KEYS = keysOf<TransitVpcArgs>({
  vpcId: "value",
  vpcCidrs: "value",
  primary: INSTANCE_KEYS,
  standby: INSTANCE_KEYS,
  routeTableIds: "value",
  spokes: {
    record: keysOf<TransitVpcSpokeArgs>({
      vpcCidrs: "value",
      amazonSideAsn: "value",
      vpnGatewayId: "value",
      vpcId: "value",
      routeTableIds: "value",
      access: ACCOUNT_ACCESS_KEYS,
      region: "value",
    }),
  },
  applianceAsn: "value",
  tunnelOptions: TUNNEL_OPTIONS_KEYS,
  insideCidrPool: "value",
  previousInsideCidrs: "value",
  ...APPLIANCE_SETTING_KEYS,
});

/** What the component planned: the transit plan, and per spoke its managed VPN (one site per instance). */
export interface TransitVpcComponentPlan {
  transit: TransitVpcPlan;
  /** Each spoke's VPN plan, by spoke: sites "primary" and "standby", the inside /30s of `transit`. */
  spokeVpns: Record<string, VpnPlan>;
}

const plans = new ComponentState<TransitVpc, TransitVpcComponentPlan>();

/** Each spoke names exactly one gateway; route tables only on a gateway the component creates. */
function checkSpokeGateways(problems: Problems, spokes: Record<string, TransitVpcSpokeArgs>): void {
  for (const [key, spoke] of Object.entries(spokes)) {
    if (spoke === null || typeof spoke !== "object") continue;
    if ((spoke.vpnGatewayId === undefined) === (spoke.vpcId === undefined))
      problems.add(
        `spokes.${key}`,
        spoke.vpnGatewayId === undefined ? undefined : "(both vpnGatewayId and vpcId)",
        "exactly one of vpnGatewayId (an existing virtual private gateway) or vpcId (the component creates one)",
      );
    if (spoke.routeTableIds !== undefined && spoke.vpcId === undefined)
      problems.add(
        `spokes.${key}.routeTableIds`,
        Object.keys(spoke.routeTableIds),
        "only with vpcId: an existing virtual private gateway's route propagation is its owner's",
      );
    checkResourceKeys(problems, `spokes.${key}.routeTableIds`, spoke.routeTableIds);
  }
}

/** The managed VPN of one spoke, with the inside /30s the transit plan gave it (unique across spokes). */
function spokeVpnPlan(where: string, name: string, transit: TransitVpcPlan, spokeKey: string): VpnPlan {
  const spoke = transit.spokes.find((s) => s.key === spokeKey);
  if (!spoke) throw new Error(`${where}: no planned spoke ${spokeKey}`);
  const sites = Object.fromEntries(
    APPLIANCE_ROLES.map((role) => [
      role,
      {
        ipAddress: AT_DEPLOYMENT,
        bgpAsn: transit.applianceAsn,
        routing: "bgp" as const,
        prefixes: transit.hubCidrs,
        tunnelOptions: transit.tunnelOptions,
        deviceName: `${name}-${role}`,
      },
    ]),
  );
  const previousInsideCidrs = Object.fromEntries(
    spoke.connections.map((c) => [c.role, c.tunnels.map((t) => t.insideCidr)]),
  );
  return planVpnSites(where, `${name}-${spokeKey}`, sites, {
    gateway: "vgw",
    amazonSideAsn: spoke.amazonSideAsn,
    awsCidrs: spoke.vpcCidrs,
    awsCidrsPath: `spokes.${spokeKey}.vpcCidrs`,
    previousInsideCidrs,
  });
}

/** The appliances' IPsec peers: each spoke's four AWS tunnel endpoints, keyed `<spoke>-<role>-t<n>`. */
function tunnelPeers<A>(
  transit: TransitVpcPlan,
  address: (spoke: string, role: ApplianceRole, tunnel: number) => A,
) {
  return Object.fromEntries(
    transit.spokes.flatMap((s) =>
      APPLIANCE_ROLES.flatMap((role) =>
        [0, 1].map((t) => [
          `${s.key}-${role}-t${t + 1}`,
          {
            address: address(s.key, role, t),
            description: `AWS tunnel ${t + 1} of spoke ${s.key}'s VPN connection to the ${role}`,
          },
        ]),
      ),
    ),
  );
}

/** Registered per spoke: its gateway and its two connections. */
interface RegisteredSpoke {
  gatewayId: pulumi.Output<string>;
  outputs: ReturnType<typeof connectionOutputs>;
}

/** What one account's spokes are registered from. */
interface AccountInput {
  account: TransitAccountPlan;
  spokeVpns: Record<string, VpnPlan>;
  spokeArgs: Record<string, TransitVpcSpokeArgs>;
  eips: ReturnType<typeof applianceElasticIps>;
  args: TransitVpcArgs;
  tags: Record<string, string>;
  /** The hub account's log group. */
  logGroup: aws.cloudwatch.LogGroup;
}

/**
 * The spokes of one account and Region: in another account, its provider (`<name>-<account>-<region>-provider`)
 * and log group; the two customer gateways its spokes share (AWS returns the same gateway for the same address,
 * ASN and type in one account and Region anyway); each spoke's gateway and two connections.
 */
function registerAccount(parent: TransitVpc, name: string, input: AccountInput) {
  const { account, spokeVpns, spokeArgs, eips, args, tags } = input;
  const prefix = account.key === "" ? name : `${name}-${account.key}`;
  const access = account.accessFrom !== undefined ? spokeArgs[account.accessFrom].access : undefined;
  const provider =
    access !== undefined
      ? accessProvider(parent, `${prefix}-provider`, name, access, {
          region: account.region as string,
          ...(account.accountId !== undefined ? { accountId: account.accountId } : {}),
        })
      : undefined;
  const firstVpn = spokeVpns[account.spokes[0]];
  const customerGateways = Object.fromEntries(
    firstVpn.sites.map((site) => [
      site.key,
      registerCustomerGateway(
        parent,
        prefix,
        firstVpn,
        site,
        eips[site.key as ApplianceRole].publicIp,
        tags,
        provider,
      ),
    ]),
  ) as Record<ApplianceRole, aws.ec2.CustomerGateway>;
  const logGroup = provider
    ? tunnelLogGroup(parent, prefix, args.tunnelLogs, tags, provider)
    : input.logGroup;
  const spokes: Record<string, RegisteredSpoke> = {};
  for (const key of account.spokes) {
    const given = spokeArgs[key];
    const gateway: ManagedVpnGateway =
      given.vpnGatewayId !== undefined
        ? { vpnGatewayId: given.vpnGatewayId }
        : {
            vpcId: given.vpcId as pulumi.Input<string>,
            ...(given.routeTableIds !== undefined ? { routeTableIds: given.routeTableIds } : {}),
          };
    const sites = Object.fromEntries(
      APPLIANCE_ROLES.map((role) => [
        role,
        { ipAddress: eips[role].publicIp, customerGateway: customerGateways[role] },
      ]),
    );
    const { gatewayId, registered } = registerManagedVpnConnections(
      parent,
      `${name}-${key}`,
      spokeVpns[key],
      sites,
      gateway,
      {
        logGroup,
        alarms: args.tunnelAlarms,
        tags,
        ...(provider ? { provider } : {}),
      },
    );
    spokes[key] = { gatewayId, outputs: connectionOutputs(registered) };
  }
  return { key: account.key, customerGateways, logGroup, spokes };
}

/**
 * The whitepaper's transit VPC: an HA pair of software VPN appliances (strongSwan + FRR, see
 * `SoftwareVpnAppliance`) in a hub VPC, and spoke VPCs whose virtual private gateways each connect to both
 * appliance instances with AWS managed VPNs (two connections, four tunnels, four BGP sessions per spoke).
 * Spoke-to-spoke traffic passes through the appliances, which pass each spoke's CIDRs on to the others.
 *
 * Customer gateways: AWS returns the existing gateway for a CreateCustomerGateway with the same address, ASN and
 * type in one account and Region, so the spokes share two customer gateways, one per appliance instance (its
 * Elastic IP), not two per spoke. Spokes limit: the appliances' security group (60 rules per direction) holds 4
 * spokes with one hub CIDR (12 rules each). Spokes sharing an ASN (every VGW on 64512) get `as-override` from the
 * appliances, since a VGW drops a path that holds its own ASN. Plan: model/softwareVpn/transitVpc.
 */
export class TransitVpc extends pulumi.ComponentResource {
  /** The appliances' Elastic IP addresses, by role: the customer gateways' addresses. */
  public readonly publicIps: pulumi.Output<Record<string, string>>;
  /** The two customer gateway ids (`cgw-...`) the spokes in the hub's account share, by appliance role. */
  public readonly customerGatewayIds: pulumi.Output<Record<string, string>>;
  /** The two customer gateway ids of each other account and Region (`<account>-<region>`), by appliance role. */
  public readonly accountCustomerGatewayIds: pulumi.Output<Record<string, Record<string, string>>>;
  /** The tunnel log group of each other account and Region (`<account>-<region>`): a connection logs in its own. */
  public readonly accountLogGroupNames: pulumi.Output<Record<string, string>>;
  /** Each spoke's virtual private gateway id (`vgw-...`), by spoke. */
  public readonly vpnGatewayIds: pulumi.Output<Record<string, string>>;
  /** Each spoke's VPN connections by appliance role: connection id, customer gateway, tunnel addresses. */
  public readonly connections: pulumi.Output<Record<string, Record<string, VpnConnectionInfo>>>;
  /** Pre-shared keys by spoke and appliance role, tunnel 1 then tunnel 2. Secret. */
  public readonly presharedKeys: pulumi.Output<Record<string, Record<string, string[]>>>;
  /** Appliance instance ids, by role. */
  public readonly instanceIds: pulumi.Output<Record<string, string>>;
  /** Security group of the appliances (`sg-...`). */
  public readonly securityGroupId: pulumi.Output<string>;
  /** CloudWatch log group the tunnels of spokes in the hub's account log to. */
  public readonly logGroupName: pulumi.Output<string>;
  /** Tunnel inside CIDRs by connection key (`<spoke>-<role>`), tunnel 1 then 2: give them back as `previousInsideCidrs`. */
  public readonly insideCidrs: pulumi.Output<Record<string, string[]>>;

  /** The plan the component registered. */
  public get plan(): TransitVpcComponentPlan {
    return plans.get(this);
  }

  constructor(name: string, args: TransitVpcArgs, opts?: pulumi.ComponentResourceOptions) {
    const where = componentWhere("TransitVpc", name);
    refuseUnknownKeys(where, ARGUMENT_KEYS, args);
    const problems = new Problems();
    const spokeArgs = args.spokes !== null && typeof args.spokes === "object" ? args.spokes : {};
    checkSpokeGateways(problems, spokeArgs);
    checkSharedVpnArgs(problems, args);
    problems.throwIfAny(where);
    const transit = planTransitVpc(where, {
      hubCidrs: args.vpcCidrs,
      spokes: args.spokes,
      ...(args.applianceAsn !== undefined ? { applianceAsn: args.applianceAsn } : {}),
      ...(args.tunnelOptions !== undefined ? { tunnelOptions: args.tunnelOptions } : {}),
      ...(args.insideCidrPool !== undefined ? { insideCidrPool: args.insideCidrPool } : {}),
      ...(args.previousInsideCidrs !== undefined ? { previousInsideCidrs: args.previousInsideCidrs } : {}),
    });
    const spokeVpns = Object.fromEntries(
      transit.spokes.map((s) => [s.key, spokeVpnPlan(where, name, transit, s.key)]),
    );
    const applianceOptions = <A>(address: (spoke: string, role: ApplianceRole, tunnel: number) => A) => ({
      peers: tunnelPeers(transit, address),
      forwardedCidrs: transit.hubCidrs,
      ...(args.routeTableIds !== undefined
        ? { routeTableIds: args.routeTableIds, destinationCidrs: transit.spokes.flatMap((s) => s.vpcCidrs) }
        : {}),
      ...applianceSettings(args),
    });
    const appliancePlan = planSoftwareVpnAppliance(where, {
      ...applianceOptions(() => AT_DEPLOYMENT),
      primary: instanceSpec(args.primary),
      standby: instanceSpec(args.standby),
    });
    const stack = pulumi.getStack();
    const spokeProblems = new Problems();
    spokeProblems.addIf(
      "spokes",
      Object.keys(spokeArgs),
      transitUserDataProblem(
        transit.spokes.length,
        widestUserDataBytes(transit, appliancePlan, { stack, component: where }),
      ),
    );
    spokeProblems.throwIfAny(where);
    super("hybridnet:index:TransitVpc", name, {}, opts);
    plans.set(this, { transit, spokeVpns });
    const tags = { ...args.tags, "hybridnet:component": name };

    const eips = applianceElasticIps(this, name, tags);
    const logGroup = tunnelLogGroup(this, name, args.tunnelLogs, tags);
    const accounts = transit.accounts.map((account) =>
      registerAccount(this, name, { account, spokeVpns, spokeArgs, eips, args, tags, logGroup }),
    );
    const registeredSpokes: Record<string, RegisteredSpoke> = Object.assign(
      {},
      ...accounts.map((a) => a.spokes),
    );
    const spokes = Object.fromEntries(transit.spokes.map((s) => [s.key, registeredSpokes[s.key]]));
    const bySpoke = <T>(pick: (s: RegisteredSpoke) => pulumi.Output<T>) =>
      pulumi.all(Object.fromEntries(Object.entries(spokes).map(([k, s]) => [k, pick(s)]))) as pulumi.Output<
        Record<string, T>
      >;
    const connections = bySpoke((s) => s.outputs.connections);
    const presharedKeys = pulumi.secret(bySpoke((s) => s.outputs.presharedKeys));

    const configFiles = (role: ApplianceRole): Record<string, pulumi.Output<string>> => {
      const instance = appliancePlan.instances.find((i) => i.role === role);
      if (!instance) throw new Error(`${where}: no planned ${role}`);
      const files = pulumi
        .all([connections, presharedKeys, eips[role].publicIp])
        .apply(([c, keys, publicIp]) => {
          const resolved = Object.fromEntries(
            transit.spokes.map((s) => {
              const info = c[s.key][role];
              return [
                s.key,
                {
                  connectionId: info.connectionId,
                  outsideAddresses: info.tunnels.map((t) => t.outsideAddress),
                  presharedKeys: keys[s.key][role] ?? [],
                },
              ];
            }),
          );
          const site = transitDeviceSite(transit, {
            stack,
            component: where,
            role,
            outsideAddress: publicIp,
            connections: resolved,
          });
          return applianceConfigFiles(site, instance.privateIp);
        });
      return secretConfigFiles(files);
    };
    const tunnelAddress = (spoke: string, role: ApplianceRole, tunnel: number) =>
      connections.apply((c) => c[spoke][role].tunnels[tunnel].outsideAddress);
    const appliance = new SoftwareVpnAppliance(
      `${name}-appliance`,
      {
        vpcId: args.vpcId,
        primary: applianceInstanceArgs(args.primary, eips.primary, configFiles("primary")),
        standby: applianceInstanceArgs(args.standby, eips.standby, configFiles("standby")),
        ...applianceOptions(tunnelAddress),
        ...(args.kmsKeyId !== undefined ? { kmsKeyId: args.kmsKeyId } : {}),
        tags: args.tags ?? {},
      },
      { parent: this },
    );

    this.publicIps = pulumi.all({ primary: eips.primary.publicIp, standby: eips.standby.publicIp });
    const hubGateways = accounts.find((a) => a.key === "")?.customerGateways;
    this.customerGatewayIds = pulumi.all(
      hubGateways ? { primary: hubGateways.primary.id, standby: hubGateways.standby.id } : {},
    ) as pulumi.Output<Record<string, string>>;
    this.accountCustomerGatewayIds = pulumi.all(
      Object.fromEntries(
        accounts
          .filter((a) => a.key !== "")
          .map((a) => [
            a.key,
            pulumi.all({ primary: a.customerGateways.primary.id, standby: a.customerGateways.standby.id }),
          ]),
      ),
    ) as pulumi.Output<Record<string, Record<string, string>>>;
    this.accountLogGroupNames = pulumi.all(
      Object.fromEntries(accounts.filter((a) => a.key !== "").map((a) => [a.key, a.logGroup.name])),
    ) as pulumi.Output<Record<string, string>>;
    this.vpnGatewayIds = bySpoke((s) => s.gatewayId);
    this.connections = connections;
    this.presharedKeys = presharedKeys;
    this.instanceIds = appliance.instanceIds;
    this.securityGroupId = appliance.securityGroupId;
    this.logGroupName = logGroup.name;
    this.insideCidrs = pulumi.output(transitInsideCidrs(transit));
    this.registerOutputs({
      publicIps: this.publicIps,
      customerGatewayIds: this.customerGatewayIds,
      vpnGatewayIds: this.vpnGatewayIds,
      connections: this.connections,
      presharedKeys: this.presharedKeys,
      instanceIds: this.instanceIds,
      securityGroupId: this.securityGroupId,
      logGroupName: this.logGroupName,
      insideCidrs: this.insideCidrs,
      accountCustomerGatewayIds: this.accountCustomerGatewayIds,
      accountLogGroupNames: this.accountLogGroupNames,
    });
  }
}
