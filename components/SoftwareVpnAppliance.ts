import * as pulumi from "@pulumi/pulumi";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import { componentWhere, Problems } from "../model/errors";
import {
  APPLIANCE_ROLE_TAG,
  APPLIANCE_ROLE_VALUE,
  APPLIANCE_ZONE_TAG,
  type ApplianceInstancePlan,
  type ApplianceRole,
  peerCidr,
  planSoftwareVpnAppliance,
  routeTableArn,
  type SoftwareVpnAppliancePlan,
  watchdogPolicyDocument,
} from "../model/softwareVpn/appliance";
import {
  type ApplianceUserDataInput,
  renderApplianceUserData,
  userDataSizeProblem,
} from "../model/softwareVpn/userData";
import * as aws from "./aws";
import { ComponentState } from "./componentState";
import {
  instanceRole,
  routerAmi,
  routerElasticIp,
  routerInstance,
  routerSecurityGroup,
  routeToRouter,
  statusAlarm,
} from "./ec2Router";

/** One instance of the pair. */
export interface SoftwareVpnApplianceInstance {
  /**
   * Zone id (`use1-az1`) of `subnetId`: the same physical zone in every account. The primary and the standby
   * must be in two zones.
   */
  availabilityZoneId: string;
  /** Public subnet of the instance (its route table sends 0.0.0.0/0 to an internet gateway), `subnet-...`. */
  subnetId: pulumi.Input<string>;
  /** IPv4 CIDR of the subnet (/16–/28): the instance's fixed private address is planned in it. */
  subnetCidr: string;
  /**
   * Fixed private IPv4 address, outside the five addresses AWS reserves: the other instance's watchdog checks it,
   * and the configuration files may name it (`local_addrs`, BGP `update-source`). @default the subnet's last
   * usable address (`10.0.0.254` in `10.0.0.0/24`).
   */
  privateIp?: string;
  /**
   * An Elastic IP allocation (`eipalloc-...`) to associate: create it first when the peers' configuration (a
   * customer gateway, the remote side's files) must name the address before the appliance exists. @default a
   * new Elastic IP.
   */
  elasticIpAllocationId?: pulumi.Input<string>;
  /**
   * Configuration files written at first boot, by the names model/deviceConfig renders (`swanctl.conf` goes to
   * /etc/swanctl/conf.d/hybridnet.conf, `frr.conf` to /etc/frr/frr.conf) or by absolute path under /etc/swanctl/,
   * /etc/strongswan.d/ or /etc/frr/. A strongSwan configuration is required; with a file under /etc/frr/, FRR runs
   * with bgpd. Contents may be secret Outputs (pre-shared keys): the user data stays secret.
   */
  configFiles: Record<string, pulumi.Input<string>>;
}

/** @deprecated Renamed `SoftwareVpnApplianceInstance`: the name the package schema gives other languages. */
export type SoftwareVpnApplianceInstanceArgs = SoftwareVpnApplianceInstance;

/** A remote IPsec peer. */
export interface SoftwareVpnAppliancePeer {
  /**
   * The peer's public IPv4 address (or its /32): the only source of IKE (UDP 500), NAT-T (UDP 4500) and ESP (IP
   * protocol 50) the security group admits. Never a wider block. May be an Output (another appliance's Elastic IP,
   * a VPN tunnel's outside address): a plain address is checked before anything registers, an Output when it
   * resolves (its rules then fail to register).
   */
  address: pulumi.Input<string>;
  /** What the peer is, in the rules' descriptions. @default the peer's key. */
  description?: string;
}

/** @deprecated Renamed `SoftwareVpnAppliancePeer`: the name the package schema gives other languages. */
export type SoftwareVpnAppliancePeerArgs = SoftwareVpnAppliancePeer;

/** The failover watchdog's timing. */
export interface SoftwareVpnApplianceWatchdog {
  /** Seconds between two health checks (ICMP) of the other instance. @default 2. 1–60. */
  intervalSeconds?: number;
  /** Consecutive missed checks before an instance takes the routes over. @default 3. 2–10. */
  failures?: number;
}

/** @deprecated Renamed `SoftwareVpnApplianceWatchdog`: the name the package schema gives other languages. */
export type SoftwareVpnApplianceWatchdogArgs = SoftwareVpnApplianceWatchdog;

/** CloudWatch alarms on the instances' status checks (AWS/EC2 StatusCheckFailed, one-minute periods). */
export interface SoftwareVpnApplianceAlarm {
  /** SNS topic ARNs notified when an instance fails its status checks, and when it passes again. */
  actions: string[];
  /** One-minute periods the check must fail before the alarm fires. @default 2. 1–1440 (a day, CloudWatch's limit). */
  evaluationPeriods?: number;
}

/** @deprecated Renamed `SoftwareVpnApplianceAlarm`: the name the package schema gives other languages. */
export type SoftwareVpnApplianceAlarmArgs = SoftwareVpnApplianceAlarm;

/** Arguments for `SoftwareVpnAppliance`. Every plain value is checked before anything registers. */
export interface SoftwareVpnApplianceArgs {
  /** VPC of the two subnets. */
  vpcId: pulumi.Input<string>;
  /** The primary instance: the VPC routes point at it when deployed. */
  primary: SoftwareVpnApplianceInstance;
  /** The standby instance, in another Availability Zone: it takes the routes over when the primary fails. */
  standby: SoftwareVpnApplianceInstance;
  /** Remote IPsec peers, keyed by a stable name used in resource names. At least one. */
  peers: Record<string, SoftwareVpnAppliancePeer>;
  /**
   * AWS-side networks whose traffic the appliance forwards into and out of the tunnels (the VPC's CIDRs, networks
   * reached through it). A security group filters forwarded packets too, so these are admitted on every protocol.
   * Never 0.0.0.0/0.
   */
  forwardedCidrs: string[];
  /**
   * VPC route tables whose routes to `destinationCidrs` point at the active instance, keyed by a stable name.
   * Not the appliances' own public subnets' tables. @default none (the pair terminates tunnels only).
   */
  routeTableIds?: Record<string, pulumi.Input<string>>;
  /** Networks behind the tunnels, routed to the active instance in each of `routeTableIds`. Required with them. */
  destinationCidrs?: string[];
  /**
   * EC2 instance type: a current-generation Nitro t, c, m or r type (checked by rule; Graviton types run the
   * arm64 image). @default "c6i.large".
   */
  instanceType?: string;
  /** AMI of both instances (`ami-...`), a Debian 12 image or one built from it. @default the newest Debian 12 AMI, from Debian's public SSM parameter. */
  ami?: pulumi.Input<string>;
  /** Root volume size in GiB (gp3, always encrypted). @default 16. 8–1024. */
  rootVolumeSizeGiB?: number;
  /** KMS key (id or ARN) that encrypts the root volumes. @default the account's EBS key (aws/ebs). */
  kmsKeyId?: pulumi.Input<string>;
  /** Failover timing. @default a check every 2 s, takeover after 3 misses (about 10 s). */
  watchdog?: SoftwareVpnApplianceWatchdog;
  /** Alarms on the instances' status checks. @default none. */
  statusAlarms?: SoftwareVpnApplianceAlarm;
  /** Tags on every AWS resource the component creates. */
  tags?: Record<string, string>;
}

const INSTANCE_KEYS = keysOf<SoftwareVpnApplianceInstance>({
  availabilityZoneId: "value",
  subnetId: "value",
  subnetCidr: "value",
  privateIp: "value",
  elasticIpAllocationId: "value",
  configFiles: "value",
});

/** The keys SoftwareVpnAppliance's arguments may have (model/argumentKeys). */
const ARGUMENT_KEYS = keysOf<SoftwareVpnApplianceArgs>({
  vpcId: "value",
  primary: INSTANCE_KEYS,
  standby: INSTANCE_KEYS,
  peers: { record: keysOf<SoftwareVpnAppliancePeer>({ address: "value", description: "value" }) },
  forwardedCidrs: "value",
  routeTableIds: "value",
  destinationCidrs: "value",
  instanceType: "value",
  ami: "value",
  rootVolumeSizeGiB: "value",
  kmsKeyId: "value",
  watchdog: keysOf<SoftwareVpnApplianceWatchdog>({ intervalSeconds: "value", failures: "value" }),
  statusAlarms: keysOf<SoftwareVpnApplianceAlarm>({ actions: "value", evaluationPeriods: "value" }),
  tags: "value",
});

const plans = new ComponentState<SoftwareVpnAppliance, SoftwareVpnAppliancePlan>();

/**
 * A software site-to-site VPN appliance as a highly available pair: two EC2 instances running strongSwan (IKEv2,
 * swanctl) and FRR (BGP) on Debian 12, in two Availability Zones, each in a public subnet with its own Elastic
 * IP (each is a separate IPsec peer: give the remote side tunnels to both), source/destination check off, IMDSv2
 * only, encrypted root volumes, configured at first boot from the files given (as model/deviceConfig renders
 * them). The security group admits IKE, NAT-T and ESP from the declared peers only, forwarded traffic from the
 * declared AWS-side networks, and the pair's health checks; never 0.0.0.0/0.
 *
 * Failover: the whitepaper's caution is that one appliance on one instance is a single point of failure. The
 * declared route tables send `destinationCidrs` to the primary; a watchdog on each instance pings the other every
 * 2 s and, after 3 misses and only while its own strongSwan runs, points those routes at itself
 * (`ec2:ReplaceRoute`): about 10 s from failure to rerouted. A CloudWatch alarm and a Lambda function were the
 * alternative: minutes to react (one-minute status checks, alarm periods, an invocation), blind to a dead
 * strongSwan on a healthy instance, and five more moving parts (alarm, event rule, function, its role and log
 * group) for the same EC2 permissions. The instance role may only replace and create routes in the declared
 * route tables and read route tables; no SSM, no other service. Routes are not handed back automatically (a
 * flapping primary cannot bounce them): `pulumi up --refresh` points them at the primary again.
 *
 * Changing a configuration file replaces that instance (cloud-init runs once, at first boot): change one
 * instance's files at a time, and the other carries the traffic meanwhile.
 */
export class SoftwareVpnAppliance extends pulumi.ComponentResource {
  /** Instance ids, by role ("primary", "standby"). */
  public readonly instanceIds: pulumi.Output<Record<string, string>>;
  /** Elastic IP addresses, by role: the remote addresses the peers configure (one tunnel set to each). */
  public readonly publicIps: pulumi.Output<Record<string, string>>;
  /** Fixed private addresses, by role. */
  public readonly privateIps: pulumi.Output<Record<string, string>>;
  /** Security group of both instances (`sg-...`). */
  public readonly securityGroupId: pulumi.Output<string>;
  /**
   * The instance the route tables point at when deployed: the primary. After a failover the route tables are the
   * truth, until `pulumi up --refresh` points them at the primary again.
   */
  public readonly activeInstanceId: pulumi.Output<string>;
  /** ARN of the instances' role. */
  public readonly roleArn: pulumi.Output<string>;
  /** The plan the component registered. */
  public get plan(): SoftwareVpnAppliancePlan {
    return plans.get(this);
  }

  constructor(name: string, args: SoftwareVpnApplianceArgs, opts?: pulumi.ComponentResourceOptions) {
    const where = componentWhere("SoftwareVpnAppliance", name);
    refuseUnknownKeys(where, ARGUMENT_KEYS, args);
    const plan = planSoftwareVpnAppliance(where, args);
    checkUserDataSize(where, plan, args);
    super("hybridnet:index:SoftwareVpnAppliance", name, {}, opts);
    plans.set(this, plan);
    const tags = { ...args.tags, "hybridnet:component": name };
    const applianceTags = { ...tags, [APPLIANCE_ROLE_TAG]: APPLIANCE_ROLE_VALUE };

    const sg = routerSecurityGroup(
      name,
      "appliance",
      {
        vpcId: args.vpcId,
        description: `${name}: software VPN appliances (IKE and ESP from the declared peers only)`,
        tags: applianceTags,
      },
      plan,
      this,
      peerCidrOutputs(where, plan, args.peers),
    );

    const routeTableIds = plan.routeTableKeys.map(
      (key) => (args.routeTableIds as Record<string, pulumi.Input<string>>)[key],
    );
    const { role, profile } = instanceRole(
      name,
      "appliance",
      `${name}: software VPN appliances; the failover watchdog moves the declared routes`,
      tags,
      this,
    );
    if (routeTableIds.length > 0) {
      const invoke = { parent: this };
      const partition = aws.getPartitionOutput({}, invoke).partition;
      const region = aws.getRegionOutput({}, invoke).region;
      const account = aws.getCallerIdentityOutput({}, invoke).accountId;
      new aws.iam.RolePolicy(
        `${name}-routes`,
        {
          role: role.name,
          policy: pulumi
            .all([partition, region, account, pulumi.all(routeTableIds)])
            .apply(([p, r, a, ids]) =>
              JSON.stringify(watchdogPolicyDocument(ids.map((id) => routeTableArn(p, r, a, id)))),
            ),
        },
        { parent: this },
      );
    }

    const ami = routerAmi(args.ami, plan, this);
    const roles = Object.fromEntries(
      plan.instances.map((instance) => {
        const given = args[instance.role];
        // The configuration files hold pre-shared keys: the user data is secret whatever the contents' secrecy.
        const userData = pulumi.secret(
          pulumi
            .all([pulumi.all(configContents(instance, given.configFiles)), pulumi.all(routeTableIds)])
            .apply(([contents, ids]) => {
              const text = renderApplianceUserData(userDataInput(plan, instance, contents, ids));
              // Contents known only now (Outputs) are checked now: the instance then fails to register.
              const problems = new Problems();
              problems.addIf(`${instance.role}.configFiles`, SECRET_FILES, userDataSizeProblem(text), true);
              problems.throwIfAny(where);
              return text;
            }),
        );
        const ec2 = routerInstance(
          `${name}-${instance.role}`,
          {
            ami,
            host: plan,
            subnetId: given.subnetId,
            privateIp: instance.privateIp,
            securityGroupId: sg.id,
            profileName: profile.name,
            kmsKeyId: args.kmsKeyId,
            userData,
            tags: {
              ...applianceTags,
              Name: `${name}-${instance.role}`,
              [APPLIANCE_ZONE_TAG]: instance.availabilityZoneId,
              "hybridnet:appliance": instance.role,
            },
          },
          this,
        );
        const association = routerElasticIp(
          `${name}-${instance.role}`,
          ec2.id,
          given.elasticIpAllocationId,
          tags,
          this,
        );
        if (plan.statusAlarms)
          statusAlarm(
            `${name}-${instance.role}-status`,
            {
              description: `${name}: ${instance.role} VPN appliance failed its EC2 status checks`,
              metricName: "StatusCheckFailed",
              instanceId: ec2.id,
              evaluationPeriods: plan.statusAlarms.evaluationPeriods,
              alarmActions: plan.statusAlarms.actions,
              okActions: plan.statusAlarms.actions,
              tags,
            },
            this,
          );
        return [instance.role, { ec2, association }] as const;
      }),
    ) as Record<ApplianceRole, { ec2: aws.ec2.Instance; association: aws.ec2.EipAssociation }>;

    const primary = roles.primary.ec2;
    for (const route of plan.routes)
      routeToRouter(
        `${name}-${route.key}`,
        (args.routeTableIds as Record<string, pulumi.Input<string>>)[route.routeTableKey],
        route.destination,
        primary.primaryNetworkInterfaceId,
        this,
      );

    const byRole = (value: (r: (typeof roles)[ApplianceRole]) => pulumi.Output<string>) =>
      pulumi.all({ primary: value(roles.primary), standby: value(roles.standby) });
    this.instanceIds = byRole((r) => r.ec2.id);
    this.publicIps = byRole((r) => r.association.publicIp);
    this.privateIps = byRole((r) => r.ec2.privateIp);
    this.securityGroupId = sg.id;
    this.activeInstanceId = primary.id;
    this.roleArn = role.arn;
    this.registerOutputs({
      instanceIds: this.instanceIds,
      publicIps: this.publicIps,
      privateIps: this.privateIps,
      securityGroupId: this.securityGroupId,
      activeInstanceId: this.activeInstanceId,
      roleArn: this.roleArn,
    });
  }
}

/**
 * The /32 of each peer whose address is an Output, checked as a plain one is when it resolves: a bad address
 * fails the rules that name it, with the component's error.
 */
function peerCidrOutputs(
  where: string,
  plan: SoftwareVpnAppliancePlan,
  peers: Record<string, SoftwareVpnAppliancePeer>,
): Record<string, pulumi.Output<string>> {
  return Object.fromEntries(
    plan.peers
      .filter((p) => p.cidr === undefined)
      .map((p) => [
        p.key,
        pulumi.output(peers[p.key].address).apply((address) => {
          const result = peerCidr(address);
          if ("cidr" in result) return result.cidr;
          const problems = new Problems();
          problems.add(`peers.${p.key}.address`, address, result.problem);
          problems.throwIfAny(where);
          return "";
        }),
      ]),
  );
}

/** What a size problem shows instead of the files: they may hold keys. */
const SECRET_FILES = "[files]";

function userDataInput(
  plan: SoftwareVpnAppliancePlan,
  instance: ApplianceInstancePlan,
  contents: Record<string, string>,
  routeTableIds: string[],
): ApplianceUserDataInput {
  return { instance, contents, routeTableIds, destinations: plan.destinations, watchdog: plan.watchdog };
}

/**
 * EC2 takes at most 16 KB of user data (compressed): where every file and route table id is a plain value, the size
 * is checked before anything registers (contents given as Outputs are checked when they resolve).
 */
function checkUserDataSize(
  where: string,
  plan: SoftwareVpnAppliancePlan,
  args: SoftwareVpnApplianceArgs,
): void {
  const ids = plan.routeTableKeys.map((k) => args.routeTableIds?.[k]);
  if (!ids.every((id): id is string => typeof id === "string")) return;
  const problems = new Problems();
  for (const instance of plan.instances) {
    const contents = configContents(instance, args[instance.role].configFiles);
    if (!Object.values(contents).every((c) => typeof c === "string")) continue;
    const text = renderApplianceUserData(
      userDataInput(plan, instance, contents as Record<string, string>, ids),
    );
    problems.addIf(`${instance.role}.configFiles`, SECRET_FILES, userDataSizeProblem(text), true);
  }
  problems.throwIfAny(where);
}

/** The contents of an instance's planned files, by their `configFiles` key. */
function configContents(
  instance: ApplianceInstancePlan,
  files: Record<string, pulumi.Input<string>>,
): Record<string, pulumi.Input<string>> {
  return Object.fromEntries(instance.files.map((f) => [f.key, files[f.key]]));
}
