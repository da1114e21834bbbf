/**
 * What the three Site-to-Site VPN components share: the arguments for logs, alarms and security group
 * ingress, and the registration of customer gateways, VPN connections, pre-shared keys, tunnel logs,
 * static routes and tunnel alarms from a plan in `model/vpn`. Not a component itself.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { MAX_BGP_ASN_FIELD, presharedKeyProblem } from "../model/addressing";
import {
  ALARM_PERIOD_SECONDS,
  capacityAlarmPlan,
  checkEvaluationPeriods,
  TUNNEL_STATE,
  VPN_NAMESPACE,
} from "../model/alarms";
import { type KeyShape, keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import { componentWhere, Problems } from "../model/errors";
import { checkLogRetention } from "../model/logs";
import { checkResourceKeys } from "../model/names";
import { checkPortRules, type PortRule, portRuleKey } from "../model/securityGroups";
import type { TunnelOptions } from "../model/tunnelOptions";
import {
  CUSTOMER_GATEWAY_TYPE,
  checkExistingTransitGateway,
  claimCustomerGateways,
  customerGatewayAddressProblem,
  DEFAULT_VGW_CONNECTION_QUOTA,
  type EcmpPlan,
  type ExistingTransitGatewaySettings,
  type PlannedConnection,
  type PlannedSite,
  planVpnSites,
  type TransitGatewaySiteSpec,
  type VpnPlan,
  type VpnSiteSpec,
  type VpnTunnelSpec,
  vgwPropagationWarning,
} from "../model/vpn";
import * as aws from "./aws";
import { gateOnSecrets, type SecretCheck } from "./secretChecks";

/** Per-tunnel settings; see `VpnTunnelSpec`. */
export interface VpnTunnel extends VpnTunnelSpec {
  /**
   * Pre-shared key: 8–64 letters, digits, '.' or '_', not starting with 0. Pass a secret (for example
   * `config.requireSecret(...)`); a plain string is checked before anything registers and made secret.
   * @default generated with @pulumi/random, 32 characters, stored only as a secret.
   */
  presharedKey?: pulumi.Input<string>;
}

/** @deprecated Renamed `VpnTunnel`: the name the package schema gives other languages. */
export type VpnTunnelArgs = VpnTunnel;

/** One on-premises site; see `VpnSiteSpec`. */
export interface VpnSite extends VpnSiteSpec {
  /** Settings for tunnel 1 and tunnel 2 (at most two entries). */
  tunnels?: VpnTunnel[];
}

/** @deprecated Renamed `VpnSite`: the name the package schema gives other languages. */
export type VpnSiteArgs = VpnSite;

/** Tunnel activity logs (and BGP logs on BGP sites) in CloudWatch Logs. Always on. */
export interface TunnelLog {
  /** Days to keep the logs: a CloudWatch Logs retention value. @default 365. */
  retentionInDays?: number;
  /** KMS key ARN to encrypt the log group with. @default the CloudWatch Logs service key. */
  kmsKeyId?: pulumi.Input<string>;
}

/** @deprecated Renamed `TunnelLog`: the name the package schema gives other languages. */
export type TunnelLogArgs = TunnelLog;

/**
 * CloudWatch alarms on the AWS/VPN TunnelState metric (1 up, 0 down). Always on: per connection a page when
 * both tunnels are down, per site on transit gateway ECMP with a declared bandwidth a page when the tunnels up
 * carry less, and per tunnel a warning (AWS takes one tunnel down for maintenance routinely).
 */
export interface TunnelAlarm {
  /**
   * SNS topic ARNs (or other alarm actions) paged when a connection's two tunnels are down, or a site's tunnels
   * up carry less than its declared bandwidth, and told when it recovers. Required by the stacks in production.
   * @default none.
   */
  actions?: pulumi.Input<string>[];
  /** Alarm actions told when a single tunnel is down and back: a warning, not a page. @default none. */
  warningActions?: pulumi.Input<string>[];
  /** Consecutive 5-minute periods the condition must hold before an alarm fires: 1–288. @default 1. */
  evaluationPeriods?: number;
}

/** @deprecated Renamed `TunnelAlarm`: the name the package schema gives other languages. */
export type TunnelAlarmArgs = TunnelAlarm;

/** Security group ingress from the on-premises prefixes of every site. */
export interface OnPremIngress {
  /** Security group that receives the rules. */
  securityGroupId: pulumi.Input<string>;
  /** Ports opened to each on-premises prefix; one rule per prefix and port range. */
  ports: PortRule[];
}

/** @deprecated Renamed `OnPremIngress`: the name the package schema gives other languages. */
export type OnPremIngressArgs = OnPremIngress;

// Known argument keys (model/argumentKeys), shared by the VPN components.

/** The keys of `tunnelOptions`. */
export const TUNNEL_OPTIONS_KEYS = keysOf<TunnelOptions>({
  ikeVersions: "value",
  phase1EncryptionAlgorithms: "value",
  phase2EncryptionAlgorithms: "value",
  phase1IntegrityAlgorithms: "value",
  phase2IntegrityAlgorithms: "value",
  phase1DhGroupNumbers: "value",
  phase2DhGroupNumbers: "value",
  phase1LifetimeSeconds: "value",
  phase2LifetimeSeconds: "value",
  dpdTimeoutSeconds: "value",
  dpdTimeoutAction: "value",
  startupAction: "value",
  rekeyMarginTimeSeconds: "value",
  rekeyFuzzPercentage: "value",
  replayWindowSize: "value",
  enableTunnelLifecycleControl: "value",
  allowLegacyCrypto: "value",
});

/** The keys of a site of any VPN component (`VpnSite`). */
export const VPN_SITE_KEYS = {
  ipAddress: "value",
  bgpAsn: "value",
  routing: "value",
  prefixes: "value",
  tunnelOptions: TUNNEL_OPTIONS_KEYS,
  tunnels: { list: keysOf<VpnTunnel>({ insideCidr: "value", presharedKey: "value" }) },
  deviceName: "value",
} satisfies Record<keyof Required<VpnSite>, KeyShape>;

/**
 * The transit gateway sizing keys of a site. Known on a virtual private gateway's sites too, so that the plan
 * can say they need a transit gateway rather than call them unknown.
 */
const SIZING_KEYS = {
  bandwidthGbps: "value",
  spareTunnels: "value",
  accelerated: "value",
  tunnelBandwidth: "value",
} satisfies Record<Exclude<keyof TransitGatewaySiteSpec, keyof VpnSiteSpec>, KeyShape>;

/** The keys of a transit gateway site (`TransitGatewaySiteSpec` with route tables). */
export const TRANSIT_GATEWAY_SITE_KEYS = {
  ...VPN_SITE_KEYS,
  ...SIZING_KEYS,
  routeTables: keysOf<VpnRouteTables>({ association: "value", propagation: "value" }),
} as const;

/** The keys of the arguments every VPN component shares. */
export const SHARED_VPN_KEYS = {
  tunnelLogs: keysOf<TunnelLog>({ retentionInDays: "value", kmsKeyId: "value" }),
  tunnelAlarms: keysOf<TunnelAlarm>({
    actions: "value",
    warningActions: "value",
    evaluationPeriods: "value",
  }),
  insideCidrPool: "value",
  previousInsideCidrs: "value",
  tags: "value",
} as const;

/** The keys of a virtual private gateway VPN's arguments (ManagedVpn, VpnCloudHub). */
export const VGW_VPN_KEYS = keysOf<VgwVpnArgs>({
  ...SHARED_VPN_KEYS,
  vpcId: "value",
  vpcCidrs: "value",
  amazonSideAsn: "value",
  sites: { record: { keys: { ...VPN_SITE_KEYS, ...SIZING_KEYS } } },
  routeTableIds: "value",
  securityGroupIngress: keysOf<OnPremIngress>({
    securityGroupId: "value",
    ports: {
      list: keysOf<PortRule>({ protocol: "value", fromPort: "value", toPort: "value", description: "value" }),
    },
  }),
  vpnConnectionQuota: "value",
});

/** Customer gateways claimed in this program, per Pulumi run (its resource monitor): identity → owner. */
const claimedGateways = new WeakMap<object, Map<string, string>>();
const noMonitor = {};

/**
 * Refuses (ValidationError, nothing registered) a component whose sites describe a device another component
 * of this program already describes: AWS would give both the same customer gateway. Call before `super`.
 */
export function claimSiteDevices(plan: VpnPlan): void {
  const run = pulumi.runtime.getMonitor() ?? noMonitor;
  let claims = claimedGateways.get(run);
  if (!claims) {
    claims = new Map();
    claimedGateways.set(run, claims);
  }
  claimCustomerGateways(claims, plan);
}

/** Checks the shared arguments; records problems. */
export function checkSharedVpnArgs(
  problems: Problems,
  args: {
    tunnelLogs?: TunnelLog;
    tunnelAlarms?: TunnelAlarm;
    securityGroupIngress?: OnPremIngress;
  },
): void {
  checkLogRetention(problems, "tunnelLogs.retentionInDays", args.tunnelLogs?.retentionInDays);
  checkEvaluationPeriods(problems, "tunnelAlarms.evaluationPeriods", args.tunnelAlarms?.evaluationPeriods);
  if (args.securityGroupIngress !== undefined) {
    if (args.securityGroupIngress.securityGroupId === undefined)
      problems.add("securityGroupIngress.securityGroupId", undefined, "the id of the security group to open");
    checkPortRules(problems, "securityGroupIngress.ports", args.securityGroupIngress.ports);
  }
}

/** The `insideCidrs` output of a VPN component: tunnel 1 and 2 inside CIDRs by connection key. */
export function insideCidrsOutput(plan: VpnPlan): pulumi.Output<Record<string, string[]>> {
  return pulumi.output(
    Object.fromEntries(
      plan.sites.flatMap((s) => s.connections.map((c) => [c.key, c.tunnels.map((t) => t.insideCidr)])),
    ),
  );
}

/** Where the VPN connections terminate. */
export type VpnTarget =
  | { vpnGatewayId: pulumi.Input<string> }
  | { transitGatewayId: pulumi.Input<string> }
  | PrivateIpVpnTarget;

/**
 * A private IP VPN over Direct Connect: the connections terminate on a transit gateway at private outside
 * addresses, carried by the transit gateway's attachment to a Direct Connect gateway.
 */
export interface PrivateIpVpnTarget {
  transitGatewayId: pulumi.Input<string>;
  outsideIpAddressType: "PrivateIpv4";
  /** The transit gateway's attachment to the Direct Connect gateway (the transport of the tunnels). */
  transportTransitGatewayAttachmentId: pulumi.Input<string>;
}

/** What AWS reports about one tunnel once the connection exists. */
export interface VpnTunnelInfo {
  /** Public (or, over Direct Connect, private) outside address of the AWS endpoint. */
  outsideAddress: string;
  insideCidr: string;
  awsInsideAddress: string;
  customerInsideAddress: string;
}

/** One VPN connection, as the component outputs it. */
export interface VpnConnectionInfo {
  site: string;
  connectionId: string;
  customerGatewayId: string;
  /** Transit gateway attachment id (transit gateway connections only). */
  transitGatewayAttachmentId?: string;
  tunnels: VpnTunnelInfo[];
}

/**
 * What the registration reads from a site's arguments: the device's address, a plain string (checked by the plan)
 * or an Output such as a software VPN appliance's Elastic IP (checked when it resolves), and its tunnels' keys.
 */
export interface CustomerGatewaySite {
  ipAddress: pulumi.Input<string>;
  tunnels?: VpnTunnel[];
  /**
   * A customer gateway registered already (see `registerCustomerGateway`), shared with other connections: AWS
   * returns one gateway for one address, ASN and type in an account and Region. @default one is registered.
   */
  customerGateway?: aws.ec2.CustomerGateway;
}

/**
 * A customer gateway's address: the plan's, checked with the other arguments, or the site's Output, checked with
 * the same rule when it resolves (the customer gateway then fails to register, naming the component).
 */
function customerGatewayAddress(
  plan: VpnPlan,
  site: PlannedSite,
  given: pulumi.Input<string>,
): pulumi.Input<string> {
  if (site.ipAddress !== undefined) return site.ipAddress;
  return pulumi.output(given).apply((address) => {
    const problems = new Problems();
    problems.addIf(`sites.${site.key}.ipAddress`, address, customerGatewayAddressProblem(plan, address));
    problems.throwIfAny(plan.where);
    return address;
  });
}

export interface RegisteredSite {
  site: PlannedSite;
  customerGateway: aws.ec2.CustomerGateway;
  connections: {
    planned: PlannedConnection;
    vpn: aws.ec2.VpnConnection;
    presharedKeys: pulumi.Output<string>[];
  }[];
}

/**
 * The pre-shared keys the sites give as Outputs, to check when they resolve: see `gateOnSecrets`, which
 * makes the component's registration wait for the check.
 */
export function presharedKeyChecks(sites: Record<string, VpnSite> | undefined): SecretCheck[] {
  return Object.entries(sites ?? {}).flatMap(([key, site]) =>
    (Array.isArray(site?.tunnels) ? site.tunnels.slice(0, 2) : []).flatMap((tunnel, i) =>
      tunnel?.presharedKey === undefined
        ? []
        : [
            {
              path: `sites.${key}.tunnels[${i}].presharedKey`,
              value: tunnel.presharedKey,
              problem: presharedKeyProblem,
            },
          ],
    ),
  );
}

/**
 * A generated or given pre-shared key, as a secret. A given Output was checked before the component
 * registered (presharedKeyChecks), a plain one with the other arguments.
 */
function presharedKey(
  parent: pulumi.Resource,
  resourceName: string,
  given: pulumi.Input<string> | undefined,
): pulumi.Output<string> {
  if (given !== undefined) return pulumi.secret(pulumi.output(given));
  const generated = new random.RandomPassword(resourceName, { length: 32, special: false }, { parent });
  // AWS refuses a key that starts with 0; a letter in its place keeps 32 characters of entropy-rich text.
  return pulumi.secret(generated.result.apply((key) => (key.startsWith("0") ? `k${key.slice(1)}` : key)));
}

/** The tunnel N options as VpnConnection inputs (`tunnel1IkeVersions`, ...). */
function tunnelOptionInputs(n: 1 | 2, site: PlannedSite): Partial<aws.ec2.VpnConnectionArgs> {
  const o = site.tunnelOptions;
  return {
    [`tunnel${n}IkeVersions`]: o.ikeVersions,
    [`tunnel${n}Phase1EncryptionAlgorithms`]: o.phase1EncryptionAlgorithms,
    [`tunnel${n}Phase2EncryptionAlgorithms`]: o.phase2EncryptionAlgorithms,
    [`tunnel${n}Phase1IntegrityAlgorithms`]: o.phase1IntegrityAlgorithms,
    [`tunnel${n}Phase2IntegrityAlgorithms`]: o.phase2IntegrityAlgorithms,
    [`tunnel${n}Phase1DhGroupNumbers`]: o.phase1DhGroupNumbers,
    [`tunnel${n}Phase2DhGroupNumbers`]: o.phase2DhGroupNumbers,
    [`tunnel${n}Phase1LifetimeSeconds`]: o.phase1LifetimeSeconds,
    [`tunnel${n}Phase2LifetimeSeconds`]: o.phase2LifetimeSeconds,
    [`tunnel${n}DpdTimeoutSeconds`]: o.dpdTimeoutSeconds,
    [`tunnel${n}DpdTimeoutAction`]: o.dpdTimeoutAction,
    [`tunnel${n}StartupAction`]: o.startupAction,
    [`tunnel${n}RekeyMarginTimeSeconds`]: o.rekeyMarginTimeSeconds,
    [`tunnel${n}RekeyFuzzPercentage`]: o.rekeyFuzzPercentage,
    [`tunnel${n}ReplayWindowSize`]: o.replayWindowSize,
    [`tunnel${n}EnableTunnelLifecycleControl`]: o.enableTunnelLifecycleControl,
  } as Partial<aws.ec2.VpnConnectionArgs>;
}

/** Resource options of an AWS resource: under `parent`, with `provider` when the resources live in another account. */
function awsOptions(
  parent: pulumi.Resource,
  provider?: pulumi.ProviderResource,
): pulumi.CustomResourceOptions {
  return provider ? { parent, provider } : { parent };
}

/**
 * The log group every tunnel of a component writes to, kept in the account when the component is deleted. A VPN
 * connection logs to a group of its own account: `provider` registers it in another account with its connections.
 */
export function tunnelLogGroup(
  parent: pulumi.Resource,
  name: string,
  args: TunnelLog | undefined,
  tags: Record<string, string>,
  provider?: pulumi.ProviderResource,
): aws.cloudwatch.LogGroup {
  return new aws.cloudwatch.LogGroup(
    `${name}-tunnel-logs`,
    {
      namePrefix: `/hybridnet/vpn/${name}-`,
      retentionInDays: args?.retentionInDays ?? 365,
      ...(args?.kmsKeyId !== undefined ? { kmsKeyId: args.kmsKeyId } : {}),
      tags,
    },
    // The tunnel logs are the record of an outage: a teardown or a replacement leaves them to their retention.
    { ...awsOptions(parent, provider), retainOnDelete: true },
  );
}

/** Registers the customer gateway of a planned site, named `<name>-<site>-cgw` (with `provider`: in its account). */
export function registerCustomerGateway(
  parent: pulumi.Resource,
  name: string,
  plan: VpnPlan,
  site: PlannedSite,
  ipAddress: pulumi.Input<string>,
  tags: Record<string, string>,
  provider?: pulumi.ProviderResource,
): aws.ec2.CustomerGateway {
  return new aws.ec2.CustomerGateway(
    `${name}-${site.key}-cgw`,
    {
      type: CUSTOMER_GATEWAY_TYPE,
      ipAddress: customerGatewayAddress(plan, site, ipAddress),
      // CreateCustomerGateway: BgpAsn holds up to 2147483647, larger 4-byte ASNs go in BgpAsnExtended.
      ...(site.bgpAsn <= MAX_BGP_ASN_FIELD
        ? { bgpAsn: String(site.bgpAsn) }
        : { bgpAsnExtended: String(site.bgpAsn) }),
      // DeviceName cannot change without a new gateway (model/replacement): the name is a tag instead.
      tags: {
        ...tags,
        Name: `${name}-${site.key}`,
        ...(site.deviceName !== undefined ? { "hybridnet:device": site.deviceName } : {}),
      },
    },
    awsOptions(parent, provider),
  );
}

/**
 * Registers the customer gateway, the VPN connections (with keys, logs, static routes on a virtual private
 * gateway) and their alarms (a page per connection and per site's capacity, a warning per tunnel) for each
 * planned site.
 */
export function registerVpnSites(
  parent: pulumi.Resource,
  name: string,
  plan: VpnPlan,
  sites: Record<string, CustomerGatewaySite>,
  target: VpnTarget,
  logGroup: aws.cloudwatch.LogGroup,
  alarms: TunnelAlarm | undefined,
  tags: Record<string, string>,
  provider?: pulumi.ProviderResource,
): RegisteredSite[] {
  const isTransit = "transitGatewayId" in target;
  return plan.sites.map((site) => {
    const customerGateway =
      sites[site.key].customerGateway ??
      registerCustomerGateway(parent, name, plan, site, sites[site.key].ipAddress, tags, provider);
    const tunnelArgs = sites[site.key].tunnels ?? [];
    const connections = site.connections.map((planned) => {
      const keys = ([1, 2] as const).map((n) =>
        presharedKey(parent, `${name}-${planned.key}-tunnel${n}-psk`, tunnelArgs[n - 1]?.presharedKey),
      );
      const logOptions = {
        cloudwatchLogOptions: {
          logEnabled: true,
          logGroupArn: logGroup.arn,
          logOutputFormat: "json",
          ...(site.routing === "bgp"
            ? { bgpLogEnabled: true, bgpLogGroupArn: logGroup.arn, bgpLogOutputFormat: "json" }
            : {}),
        },
      };
      const [inside1, inside2] = planned.tunnels.map((t) => t.insideCidr);
      const ipv6 = plan.insideIpVersion === "ipv6";
      const vpn = new aws.ec2.VpnConnection(
        `${name}-${planned.key}-vpn`,
        {
          type: "ipsec.1",
          customerGatewayId: customerGateway.id,
          ...target,
          staticRoutesOnly: site.routing === "static",
          ...(isTransit
            ? { enableAcceleration: site.accelerated, tunnelInsideIpVersion: plan.insideIpVersion }
            : {}),
          ...(site.tunnelBandwidth === "large" ? { tunnelBandwidth: "large" } : {}),
          ...(ipv6
            ? { tunnel1InsideIpv6Cidr: inside1, tunnel2InsideIpv6Cidr: inside2 }
            : { tunnel1InsideCidr: inside1, tunnel2InsideCidr: inside2 }),
          tunnel1PresharedKey: keys[0],
          tunnel2PresharedKey: keys[1],
          ...tunnelOptionInputs(1, site),
          ...tunnelOptionInputs(2, site),
          tunnel1LogOptions: logOptions,
          tunnel2LogOptions: logOptions,
          tags: { ...tags, Name: `${name}-${planned.key}` },
        },
        {
          ...awsOptions(parent, provider),
          additionalSecretOutputs: [
            "tunnel1PresharedKey",
            "tunnel2PresharedKey",
            "customerGatewayConfiguration",
          ],
          // Inside CIDRs are unique per virtual private gateway (IPv6 ones per transit gateway): a replacement
          // that keeps them must delete the old connection first (model/replacement).
          deleteBeforeReplace: !isTransit || ipv6,
        },
      );
      // Static routes on a transit gateway live in its route tables (the component adds them there).
      if (site.routing === "static" && !isTransit)
        for (const prefix of site.prefixes)
          new aws.ec2.VpnConnectionRoute(
            `${name}-${planned.key}-route-${prefix.replace(/[./]/g, "-")}`,
            { vpnConnectionId: vpn.id, destinationCidrBlock: prefix },
            awsOptions(parent, provider),
          );
      registerConnectionAlarms(parent, name, planned.key, site.key, vpn, alarms, tags, provider);
      return { planned, vpn, presharedKeys: keys };
    });
    registerCapacityAlarm(
      parent,
      name,
      site,
      connections.map((c) => c.vpn),
      alarms,
      tags,
      provider,
    );
    return { site, customerGateway, connections };
  });
}

/**
 * A warning per tunnel (AWS maintenance takes one tunnel down routinely: the other carries the traffic) and a
 * page when both tunnels of the connection are down.
 */
function registerConnectionAlarms(
  parent: pulumi.Resource,
  name: string,
  connectionKey: string,
  siteKey: string,
  vpn: aws.ec2.VpnConnection,
  alarms: TunnelAlarm | undefined,
  tags: Record<string, string>,
  provider?: pulumi.ProviderResource,
): void {
  const tunnelAddress = (n: 1 | 2) => (n === 1 ? vpn.tunnel1Address : vpn.tunnel2Address);
  const common = {
    evaluationPeriods: alarms?.evaluationPeriods ?? 1,
    comparisonOperator: "LessThanThreshold",
    threshold: 1,
    // No data means no tunnel to measure: count it as down.
    treatMissingData: "breaching",
    tags,
  };
  for (const n of [1, 2] as const)
    new aws.cloudwatch.MetricAlarm(
      `${name}-${connectionKey}-tunnel${n}-down`,
      {
        alarmDescription: `Warning: Site-to-Site VPN tunnel ${n} of ${name}/${connectionKey} (site ${siteKey}) is down; the other tunnel carries the traffic (AWS maintenance takes one tunnel down routinely)`,
        namespace: VPN_NAMESPACE,
        metricName: TUNNEL_STATE,
        dimensions: { VpnId: vpn.id, TunnelIpAddress: tunnelAddress(n) },
        statistic: "Maximum",
        period: ALARM_PERIOD_SECONDS,
        alarmActions: alarms?.warningActions ?? [],
        okActions: alarms?.warningActions ?? [],
        ...common,
      },
      awsOptions(parent, provider),
    );
  new aws.cloudwatch.MetricAlarm(
    `${name}-${connectionKey}-down`,
    {
      alarmDescription: `Site-to-Site VPN connection ${name}/${connectionKey} (site ${siteKey}) is down: both tunnels down`,
      metricQueries: [
        ...([1, 2] as const).map((n) => ({
          id: `t${n}`,
          metric: {
            namespace: VPN_NAMESPACE,
            metricName: TUNNEL_STATE,
            stat: "Maximum",
            period: ALARM_PERIOD_SECONDS,
            dimensions: { VpnId: vpn.id, TunnelIpAddress: tunnelAddress(n) },
          },
        })),
        // 1 while either tunnel is up; 0 only when both are down.
        { id: "up", expression: "MAX([t1, t2])", label: "a tunnel is up (1) or none (0)", returnData: true },
      ],
      alarmActions: alarms?.actions ?? [],
      okActions: alarms?.actions ?? [],
      ...common,
    },
    awsOptions(parent, provider),
  );
}

/** A page when a site's tunnels up carry less than its declared bandwidth (model/alarms capacityAlarmPlan). */
function registerCapacityAlarm(
  parent: pulumi.Resource,
  name: string,
  site: PlannedSite,
  vpns: aws.ec2.VpnConnection[],
  alarms: TunnelAlarm | undefined,
  tags: Record<string, string>,
  provider?: pulumi.ProviderResource,
): void {
  const plan = capacityAlarmPlan(site.ecmp);
  if (!plan) return;
  new aws.cloudwatch.MetricAlarm(
    `${name}-${site.key}-capacity`,
    {
      alarmDescription: `Site ${site.key} of ${name}: the tunnels up carry less than its declared ${plan.thresholdGbps} Gbps`,
      metricQueries: [
        ...vpns.map((vpn, i) => ({
          id: `c${i + 1}`,
          metric: {
            namespace: VPN_NAMESPACE,
            metricName: TUNNEL_STATE,
            stat: "Average",
            period: ALARM_PERIOD_SECONDS,
            dimensions: { VpnId: vpn.id },
          },
        })),
        { id: "gbps", expression: plan.expression, label: "Gbps of the tunnels up", returnData: true },
      ],
      evaluationPeriods: alarms?.evaluationPeriods ?? 1,
      comparisonOperator: "LessThanThreshold",
      threshold: plan.thresholdGbps,
      treatMissingData: "breaching",
      alarmActions: alarms?.actions ?? [],
      okActions: alarms?.actions ?? [],
      tags,
    },
    awsOptions(parent, provider),
  );
}

/** Ingress rules from every on-premises prefix on the declared ports. */
export function registerOnPremIngress(
  parent: pulumi.Resource,
  name: string,
  sites: PlannedSite[],
  ingress: OnPremIngress | undefined,
): void {
  if (!ingress) return;
  const prefixes = [...new Set(sites.flatMap((s) => s.prefixes))].sort();
  for (const rule of ingress.ports)
    for (const cidr of prefixes)
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-onprem-${portRuleKey(rule, cidr)}`,
        {
          securityGroupId: ingress.securityGroupId,
          ipProtocol: rule.protocol,
          cidrIpv4: cidr,
          ...(rule.protocol === "-1"
            ? {}
            : { fromPort: rule.fromPort, toPort: rule.toPort ?? rule.fromPort }),
          description: rule.description ?? `${name}: on-premises ${cidr}`,
        },
        { parent },
      );
}

/** The component's `connections` and `presharedKeys` outputs from what was registered. */
export function connectionOutputs(registered: RegisteredSite[]): {
  connections: pulumi.Output<Record<string, VpnConnectionInfo>>;
  presharedKeys: pulumi.Output<Record<string, string[]>>;
  customerGatewayIds: pulumi.Output<Record<string, string>>;
} {
  const entries = registered.flatMap((r) =>
    r.connections.map((c) =>
      pulumi
        .all([
          c.vpn.id,
          r.customerGateway.id,
          c.vpn.transitGatewayAttachmentId,
          c.vpn.tunnel1Address,
          c.vpn.tunnel2Address,
        ])
        .apply(([connectionId, customerGatewayId, attachmentId, address1, address2]) => {
          const info: VpnConnectionInfo = {
            site: r.site.key,
            connectionId,
            customerGatewayId,
            ...(attachmentId ? { transitGatewayAttachmentId: attachmentId } : {}),
            tunnels: c.planned.tunnels.map((t, i) => ({
              outsideAddress: i === 0 ? address1 : address2,
              insideCidr: t.insideCidr,
              awsInsideAddress: t.awsInsideAddress,
              customerInsideAddress: t.customerInsideAddress,
            })),
          };
          return [c.planned.key, info] as const;
        }),
    ),
  );
  const keys = registered.flatMap((r) =>
    r.connections.map((c) => pulumi.all(c.presharedKeys).apply((k) => [c.planned.key, k] as const)),
  );
  const gateways = registered.map((r) => r.customerGateway.id.apply((id) => [r.site.key, id] as const));
  return {
    connections: pulumi.all(entries).apply((e) => Object.fromEntries(e) as Record<string, VpnConnectionInfo>),
    presharedKeys: pulumi.secret(
      pulumi.all(keys).apply((e) => Object.fromEntries(e) as Record<string, string[]>),
    ),
    customerGatewayIds: pulumi.all(gateways).apply((e) => Object.fromEntries(e) as Record<string, string>),
  };
}

/** Arguments shared by the VPNs that terminate on a virtual private gateway (ManagedVpn, VpnCloudHub). */
export interface VgwVpnArgs {
  /** VPC the virtual private gateway attaches to. A VPC takes one virtual private gateway. */
  vpcId: pulumi.Input<string>;
  /**
   * CIDRs of that VPC. On-premises prefixes that overlap them are refused (traffic to an overlapping prefix
   * never leaves the VPC). @default not checked (ManagedVpn); required by VpnCloudHub.
   */
  vpcCidrs?: string[];
  /** Amazon side BGP ASN of the virtual private gateway: 64512–65534 or 4200000000–4294967294. @default 64512. */
  amazonSideAsn?: number;
  /** On-premises sites, keyed by a stable name used in resource names (1–32 letters, digits, '-'). */
  sites: Record<string, VpnSite>;
  /**
   * VPC route tables that learn the on-premises routes by propagation from the gateway, keyed by a stable
   * name (`{ private: "rtb-..." }`). @default none.
   */
  routeTableIds?: Record<string, pulumi.Input<string>>;
  /** Opens a security group to every on-premises prefix on the given ports. @default no rules. */
  securityGroupIngress?: OnPremIngress;
  /** Pool the tunnel inside CIDRs are allocated from: a block inside 169.254.0.0/16. @default 169.254.0.0/16. */
  insideCidrPool?: string;
  /**
   * The previous run's `insideCidrs` output, by site: allocated tunnels keep these CIDRs, since a new inside
   * CIDR replaces the VPN connection. Plain values, read before the component is constructed (for example from
   * the stack's own outputs through a StackReference). @default none: a new site can move a tunnel.
   */
  previousInsideCidrs?: Record<string, string[]>;
  /** Your VPN-connections-per-gateway quota, if raised above AWS's default of 10. @default 10. */
  vpnConnectionQuota?: number;
  /** Tunnel (and BGP) logs to CloudWatch Logs. */
  tunnelLogs?: TunnelLog;
  /** TunnelState alarms, one per tunnel. */
  tunnelAlarms?: TunnelAlarm;
  /** Tags on every AWS resource the component creates. */
  tags?: Record<string, string>;
}

/** The outputs of a VPN that terminates on a virtual private gateway (ManagedVpn, VpnCloudHub). */
export interface VgwVpnOutputs {
  vpnGatewayId: pulumi.Output<string>;
  customerGatewayIds: pulumi.Output<Record<string, string>>;
  connections: pulumi.Output<Record<string, VpnConnectionInfo>>;
  presharedKeys: pulumi.Output<Record<string, string[]>>;
  siteAsns: pulumi.Output<Record<string, number>>;
  logGroupName: pulumi.Output<string>;
  insideCidrs: pulumi.Output<Record<string, string[]>>;
}

/**
 * Checks the arguments of a virtual private gateway VPN (ManagedVpn, VpnCloudHub: CloudHub adds its rules)
 * and plans its sites; claims the sites' devices. Throws a ValidationError, registering nothing. Call before
 * `super`, with the options from `vgwVpnOptions`.
 */
export function planVirtualPrivateGatewayVpn(
  typeName: "ManagedVpn" | "VpnCloudHub",
  name: string,
  args: VgwVpnArgs,
): VpnPlan {
  refuseUnknownKeys(componentWhere(typeName, name), VGW_VPN_KEYS, args);
  const cloudHub = typeName === "VpnCloudHub";
  const plan = planVpnSites(
    componentWhere(typeName, name),
    name,
    args.sites,
    {
      gateway: "vgw",
      cloudHub,
      ...(args.amazonSideAsn !== undefined ? { amazonSideAsn: args.amazonSideAsn } : {}),
      ...(args.vpcCidrs !== undefined ? { awsCidrs: args.vpcCidrs } : {}),
      ...(args.insideCidrPool !== undefined ? { insideCidrPool: args.insideCidrPool } : {}),
      ...(args.previousInsideCidrs !== undefined ? { previousInsideCidrs: args.previousInsideCidrs } : {}),
      connectionQuota: args.vpnConnectionQuota ?? DEFAULT_VGW_CONNECTION_QUOTA,
    },
    (problems) => {
      if (args.vpcId === undefined)
        problems.add("vpcId", undefined, "the id of the VPC to attach the virtual private gateway to");
      if (cloudHub && (!Array.isArray(args.vpcCidrs) || args.vpcCidrs.length === 0))
        problems.add(
          "vpcCidrs",
          args.vpcCidrs,
          "the hub VPC's CIDRs, so branch networks can be checked against them",
        );
      checkResourceKeys(problems, "routeTableIds", args.routeTableIds);
      checkSharedVpnArgs(problems, args);
    },
  );
  claimSiteDevices(plan);
  return plan;
}

/** The options a virtual private gateway VPN registers with: its registration waits for the key checks. */
export function vgwVpnOptions(
  plan: VpnPlan,
  args: VgwVpnArgs,
  opts: pulumi.ComponentResourceOptions | undefined,
): pulumi.ComponentResourceOptions | undefined {
  return gateOnSecrets(plan.where, presharedKeyChecks(args.sites), opts);
}

/**
 * Registers what ManagedVpn and VpnCloudHub are, apart from the rules CloudHub adds: a virtual private
 * gateway attached to one VPC, route propagation into the named route tables, the sites' connections and
 * the on-premises ingress rules, as children of `parent`. Returns the outputs; the caller assigns and
 * registers them.
 */
export function registerVirtualPrivateGatewayVpn(
  parent: pulumi.ComponentResource,
  name: string,
  plan: VpnPlan,
  args: VgwVpnArgs,
): VgwVpnOutputs {
  const tags = { ...args.tags, "hybridnet:component": name };
  const unrouted = vgwPropagationWarning(plan.where, args.routeTableIds);
  if (unrouted) pulumi.log.warn(unrouted, parent);

  const logGroup = tunnelLogGroup(parent, name, args.tunnelLogs, tags);
  const { gatewayId, registered } = registerManagedVpnConnections(
    parent,
    name,
    plan,
    args.sites,
    { vpcId: args.vpcId, routeTableIds: args.routeTableIds },
    { logGroup, alarms: args.tunnelAlarms, tags },
  );
  registerOnPremIngress(parent, name, plan.sites, args.securityGroupIngress);

  const outputs = connectionOutputs(registered);
  return {
    vpnGatewayId: gatewayId,
    customerGatewayIds: outputs.customerGatewayIds,
    connections: outputs.connections,
    presharedKeys: outputs.presharedKeys,
    siteAsns: pulumi.output(Object.fromEntries(plan.sites.map((s) => [s.key, s.bgpAsn]))),
    logGroupName: logGroup.name,
    insideCidrs: insideCidrsOutput(plan),
  };
}

/**
 * The gateway a managed VPN's connections end on: a virtual private gateway created on a VPC (with route
 * propagation into its route tables), or an existing transit gateway (with the attachments' route tables).
 */
export type ManagedVpnGateway =
  | { vpcId: pulumi.Input<string>; routeTableIds?: Record<string, pulumi.Input<string>> }
  | { vpnGatewayId: pulumi.Input<string> }
  | { transitGatewayId: pulumi.Input<string>; routeTables?: VpnRouteTables };

/** Where the connections log and alarm, and their tags. */
export interface ConnectionSettings {
  logGroup: aws.cloudwatch.LogGroup;
  alarms: TunnelAlarm | undefined;
  tags: Record<string, string>;
  /** The provider of the account the gateway and connections are in (another account's). @default the parent's. */
  provider?: pulumi.ProviderResource;
}

/**
 * Registers a managed VPN's gateway side and its sites' connections (ManagedVpn, VpnCloudHub,
 * SoftwareVpnToManagedVpn, TransitVpc): on a VPC, a virtual private gateway with route propagation and the
 * connections on it; on an existing virtual private gateway, the connections; on a transit gateway, the connections with their attachments' association and propagation. Returns the
 * gateway's id and what was registered per site.
 */
export function registerManagedVpnConnections(
  parent: pulumi.Resource,
  name: string,
  plan: VpnPlan,
  sites: Record<string, CustomerGatewaySite>,
  gateway: ManagedVpnGateway,
  settings: ConnectionSettings,
): { gatewayId: pulumi.Output<string>; registered: RegisteredSite[] } {
  const { logGroup, alarms, tags, provider } = settings;
  if ("transitGatewayId" in gateway) {
    const target = { transitGatewayId: gateway.transitGatewayId };
    const registered = registerVpnSites(parent, name, plan, sites, target, logGroup, alarms, tags, provider);
    registerTransitGatewayRouting(parent, name, registered, () => undefined, gateway.routeTables);
    return { gatewayId: pulumi.output(gateway.transitGatewayId), registered };
  }
  if ("vpnGatewayId" in gateway) {
    // An existing virtual private gateway: its attachment and route propagation are its owner's.
    const target = { vpnGatewayId: gateway.vpnGatewayId };
    const registered = registerVpnSites(parent, name, plan, sites, target, logGroup, alarms, tags, provider);
    return { gatewayId: pulumi.output(gateway.vpnGatewayId), registered };
  }
  // A VPC takes one virtual private gateway: a replacement (a new Amazon side ASN) deletes the old one first.
  const vgw = new aws.ec2.VpnGateway(
    `${name}-vgw`,
    { vpcId: gateway.vpcId, amazonSideAsn: String(plan.amazonSideAsn), tags: { ...tags, Name: name } },
    { ...awsOptions(parent, provider), deleteBeforeReplace: true },
  );
  for (const [key, routeTableId] of Object.entries(gateway.routeTableIds ?? {}))
    new aws.ec2.VpnGatewayRoutePropagation(
      `${name}-propagate-${key}`,
      { vpnGatewayId: vgw.id, routeTableId },
      awsOptions(parent, provider),
    );
  const target = { vpnGatewayId: vgw.id };
  return {
    gatewayId: vgw.id,
    registered: registerVpnSites(parent, name, plan, sites, target, logGroup, alarms, tags, provider),
  };
}

/** Transit gateway route tables a site's VPN attachments use (the shape of `TransitGatewayRouteTables`). */
export interface VpnRouteTables {
  /** Route table each VPN attachment is associated with (what the site reaches). */
  association?: pulumi.Input<string>;
  /** Route tables that learn the site's prefixes, keyed by a stable name: by BGP propagation, or static routes. */
  propagation?: Record<string, pulumi.Input<string>>;
}

/**
 * Checks the route tables of the sites on an existing transit gateway: its stated default route table options
 * (model/vpn checkExistingTransitGateway), keys that can name resources, and a table for every static site, since a static attachment propagates no routes (its prefixes need static
 * routes in the tables that should reach it).
 */
export function checkTransitGatewayRouteTables(
  problems: Problems,
  args: {
    routeTables?: VpnRouteTables;
    sites?: Record<string, (VpnSite & { routeTables?: VpnRouteTables }) | undefined>;
    existingTransitGateway?: ExistingTransitGatewaySettings;
  },
): void {
  checkExistingTransitGateway(problems, args.existingTransitGateway, args.routeTables, args.sites ?? {});
  checkResourceKeys(problems, "routeTables.propagation", args.routeTables?.propagation);
  for (const [key, site] of Object.entries(args.sites ?? {})) {
    if (site === null || typeof site !== "object") continue;
    checkResourceKeys(problems, `sites.${key}.routeTables.propagation`, site.routeTables?.propagation);
    const tables = site.routeTables ?? args.routeTables;
    if (site.routing === "static" && Object.keys(tables?.propagation ?? {}).length === 0)
      problems.add(
        `sites.${key}.routeTables.propagation`,
        undefined,
        "the transit gateway route tables that should reach this static site: a static attachment propagates no routes, so its prefixes need static routes there",
      );
  }
}

/** The `ecmp` output of a transit gateway VPN: the ECMP sizing of each site, by site. */
export function ecmpOutput(plan: VpnPlan): pulumi.Output<Record<string, EcmpPlan>> {
  return pulumi.output(Object.fromEntries(plan.sites.flatMap((s) => (s.ecmp ? [[s.key, s.ecmp]] : []))));
}

/**
 * Associates each transit gateway VPN attachment with its route table and makes the named route tables learn
 * the site's prefixes: by propagation for BGP sites, by a static route per prefix for static sites. A site's
 * own tables replace `defaults`.
 */
export function registerTransitGatewayRouting(
  parent: pulumi.Resource,
  name: string,
  registered: RegisteredSite[],
  siteTables: (siteKey: string) => VpnRouteTables | undefined,
  defaults: VpnRouteTables | undefined,
): void {
  for (const { site, connections } of registered) {
    const tables = siteTables(site.key) ?? defaults;
    for (const { planned, vpn } of connections) {
      const attachmentId = vpn.transitGatewayAttachmentId;
      if (tables?.association !== undefined)
        new aws.ec2transitgateway.RouteTableAssociation(
          `${name}-${planned.key}-association`,
          // An existing transit gateway may associate new attachments with its default table first.
          {
            transitGatewayAttachmentId: attachmentId,
            transitGatewayRouteTableId: tables.association,
            replaceExistingAssociation: true,
          },
          { parent },
        );
      for (const [tableKey, tableId] of Object.entries(tables?.propagation ?? {})) {
        if (site.routing === "bgp")
          new aws.ec2transitgateway.RouteTablePropagation(
            `${name}-${planned.key}-propagation-${tableKey}`,
            { transitGatewayAttachmentId: attachmentId, transitGatewayRouteTableId: tableId },
            { parent },
          );
        else
          for (const prefix of site.prefixes)
            new aws.ec2transitgateway.Route(
              `${name}-${planned.key}-${tableKey}-${prefix.replace(/[./]/g, "-")}`,
              {
                destinationCidrBlock: prefix,
                transitGatewayAttachmentId: attachmentId,
                transitGatewayRouteTableId: tableId,
              },
              { parent },
            );
      }
    }
  }
}
