import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import { componentWhere, Problems } from "../model/errors";
import { APPLIANCE_ROLE_TAG, APPLIANCE_ZONE_TAG } from "../model/softwareVpn/appliance";
import {
  planRemoteAccessVpn,
  REMOTE_ACCESS_ROLE_VALUE,
  type RemoteAccessPlan,
  renderClientConfigs,
  renderRemoteAccessUserData,
  renderServerConfig,
  WIREGUARD_PORT_TAG,
  wireguardPublicKey,
} from "../model/softwareVpn/remoteAccess";
import { userDataSizeProblem } from "../model/softwareVpn/userData";
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

/** A remote-access client. */
export interface SoftwareRemoteAccessVpnClient {
  /**
   * The client's WireGuard public key (what `wg pubkey` prints: 44 base64 characters). Clients make their own
   * key pairs and keep the private key: it never reaches the stack.
   */
  publicKey: string;
  /**
   * The client's address in `clientPool`: fix it to keep it when clients are added. @default the lowest free
   * address, clients taken in name order (the server takes the pool's first address).
   */
  address?: string;
}

/** The server's recovery alarm. */
export interface SoftwareRemoteAccessVpnRecovery {
  /** SNS topic ARNs told when the instance fails its system status check and when it passes again. @default none. */
  notify?: string[];
  /** One-minute periods the system status check must fail before EC2 recovers the instance. @default 2. 1–1440 (a day, CloudWatch's limit). */
  evaluationPeriods?: number;
}

/** Arguments for `SoftwareRemoteAccessVpn`. Every plain value is checked before anything registers. */
export interface SoftwareRemoteAccessVpnArgs {
  /** VPC of the server's subnet. */
  vpcId: pulumi.Input<string>;
  /** Zone id (`use1-az1`) of `subnetId`. */
  availabilityZoneId: string;
  /** The server's public subnet (its route table sends 0.0.0.0/0 to an internet gateway), `subnet-...`. */
  subnetId: pulumi.Input<string>;
  /** IPv4 CIDR of the subnet (/16–/28): the server's fixed private address is planned in it. */
  subnetCidr: string;
  /** The server's fixed private address, outside the five AWS reserves. @default the subnet's last usable address. */
  privateIp?: string;
  /**
   * An Elastic IP allocation (`eipalloc-...`): the endpoint clients connect to, kept when the server is replaced.
   * @default a new Elastic IP.
   */
  elasticIpAllocationId?: pulumi.Input<string>;
  /**
   * The VPC's IPv4 CIDRs, primary first: clients send them into the tunnel, and the DNS they are given is the
   * primary's resolver (its base address plus two).
   */
  vpcCidrs: string[];
  /** Other networks clients reach through the VPC (on premises, peered VPCs): sent into the tunnel too. @default none. */
  routes?: string[];
  /**
   * The clients' addresses: an IPv4 CIDR of /16 (65,533 clients) to /28 (13), inside 10.0.0.0/8, 172.16.0.0/12,
   * 192.168.0.0/16 or 100.64.0.0/10, overlapping neither the VPC nor `routes`. The server takes the first address;
   * the route tables send the pool to the server, so the VPC sees the clients' own addresses.
   */
  clientPool: string;
  /** UDP port the server listens on. @default 51820. 1–65535. */
  listenPort?: number;
  /** Clients, keyed by a stable name (the key of their configuration in `clientConfigs`). At least one. */
  clients: Record<string, SoftwareRemoteAccessVpnClient>;
  /**
   * Where clients connect from: the only sources the security group admits to `listenPort` (UDP). No default:
   * give 0.0.0.0/0 explicitly for clients anywhere on the internet (WireGuard answers no packet that does not
   * prove it knows the server's public key, so an open port shows scanners nothing).
   */
  clientSourceCidrs: string[];
  /**
   * Send all of a client's traffic through the server (AllowedIPs 0.0.0.0/0), NATed to the internet behind the
   * server's address. @default false: only the VPC, `routes` and the server's pool address.
   */
  fullTunnel?: boolean;
  /** DNS servers given to clients. @default the VPC's resolver (the primary CIDR's base address plus two). */
  dnsServers?: string[];
  /** Seconds between a client's keepalives (keeps NAT mappings open); 0 turns them off. @default 25. 0–65535. */
  persistentKeepaliveSeconds?: number;
  /** VPC route tables whose route to `clientPool` points at the server's network interface, by a stable key. At least one. */
  routeTableIds: Record<string, pulumi.Input<string>>;
  /** EC2 instance type: a current-generation Nitro t, c, m or r type. @default "c6i.large". */
  instanceType?: string;
  /** AMI (`ami-...`), a Debian 12 image or one built from it. @default the newest Debian 12 AMI, from Debian's public SSM parameter. */
  ami?: pulumi.Input<string>;
  /** Root volume size in GiB (gp3, always encrypted). @default 16. 8–1024. */
  rootVolumeSizeGiB?: number;
  /** KMS key (id or ARN) that encrypts the root volume. @default the account's EBS key (aws/ebs). */
  kmsKeyId?: pulumi.Input<string>;
  /** The recovery alarm's settings. @default recovery after 2 failed minutes, no notification. */
  recovery?: SoftwareRemoteAccessVpnRecovery;
  /** Tags on every AWS resource the component creates. */
  tags?: Record<string, string>;
}

/** The keys SoftwareRemoteAccessVpn's arguments may have (model/argumentKeys). */
const ARGUMENT_KEYS = keysOf<SoftwareRemoteAccessVpnArgs>({
  vpcId: "value",
  availabilityZoneId: "value",
  subnetId: "value",
  subnetCidr: "value",
  privateIp: "value",
  elasticIpAllocationId: "value",
  vpcCidrs: "value",
  routes: "value",
  clientPool: "value",
  listenPort: "value",
  clients: { record: keysOf<SoftwareRemoteAccessVpnClient>({ publicKey: "value", address: "value" }) },
  clientSourceCidrs: "value",
  fullTunnel: "value",
  dnsServers: "value",
  persistentKeepaliveSeconds: "value",
  routeTableIds: "value",
  instanceType: "value",
  ami: "value",
  rootVolumeSizeGiB: "value",
  kmsKeyId: "value",
  recovery: keysOf<SoftwareRemoteAccessVpnRecovery>({ notify: "value", evaluationPeriods: "value" }),
  tags: "value",
});

const plans = new ComponentState<SoftwareRemoteAccessVpn, RemoteAccessPlan>();

/**
 * A software remote-access VPN: one WireGuard server on EC2 (Debian 12, `wg-quick@wg0`) in a public subnet with
 * an Elastic IP, source/destination check off, IMDSv2 only, an encrypted root volume. Clients bring their own
 * key pairs; the server's private key is generated (@pulumi/random, 32 bytes) and stays secret end to end (the
 * user data is secret); its public key, the endpoint and each client's configuration (with a placeholder for the
 * client's own private key) are outputs. The VPC's route tables send the client pool to the server, so the VPC
 * sees clients by their own addresses; the security group admits the WireGuard port only from
 * `clientSourceCidrs`.
 *
 * High availability: one instance and an EC2 recovery alarm, not two servers. A WireGuard client sends a network
 * to one peer only (AllowedIPs are unique per peer), so two servers would mean two configurations per client and
 * a person switching between them; recovery moves the instance to healthy hardware with the same instance id,
 * private address, Elastic IP and network interface, so the route and every client configuration stay valid,
 * and WireGuard clients reconnect on their own (a new handshake within seconds). Where minutes of outage are too
 * long, deploy two of these with separate pools and give clients both configurations.
 *
 * Adding or removing a client changes the server's configuration, which cloud-init writes at first boot: the
 * instance is replaced (the key, the Elastic IP and the route stay), and connected clients reconnect.
 */
export class SoftwareRemoteAccessVpn extends pulumi.ComponentResource {
  /** The server's WireGuard public key (base64): clients' `[Peer] PublicKey`. */
  public readonly serverPublicKey: pulumi.Output<string>;
  /** Where clients connect: the Elastic IP and the port (`203.0.113.10:51820`). */
  public readonly endpoint: pulumi.Output<string>;
  /**
   * Each client's configuration (wg-quick format, which the WireGuard apps import), by client name: its address,
   * DNS, the server's key and endpoint, AllowedIPs. No private key: the client puts its own in place of
   * `<client private key>`.
   */
  public readonly clientConfigs: pulumi.Output<Record<string, string>>;
  /** Each client's address in the pool, by client name. */
  public readonly clientAddresses: pulumi.Output<Record<string, string>>;
  /** The server's instance id. */
  public readonly instanceId: pulumi.Output<string>;
  /** The server's security group (`sg-...`). */
  public readonly securityGroupId: pulumi.Output<string>;
  /** The plan the component registered. */
  public get plan(): RemoteAccessPlan {
    return plans.get(this);
  }

  constructor(name: string, args: SoftwareRemoteAccessVpnArgs, opts?: pulumi.ComponentResourceOptions) {
    const where = componentWhere("SoftwareRemoteAccessVpn", name);
    refuseUnknownKeys(where, ARGUMENT_KEYS, args);
    const plan = planRemoteAccessVpn(where, args);
    super("hybridnet:index:SoftwareRemoteAccessVpn", name, {}, opts);
    plans.set(this, plan);
    const tags = { ...args.tags, "hybridnet:component": name };
    const serverTags = { ...tags, [APPLIANCE_ROLE_TAG]: REMOTE_ACCESS_ROLE_VALUE };

    const sg = routerSecurityGroup(
      name,
      "server",
      {
        vpcId: args.vpcId,
        description: `${name}: WireGuard remote-access server (UDP ${plan.listenPort} from the declared sources only)`,
        tags: { ...serverTags, [WIREGUARD_PORT_TAG]: String(plan.listenPort) },
      },
      plan,
      this,
    );
    // The server calls no AWS API: the role exists for the instance profile a hardened instance carries.
    const { profile } = instanceRole(
      name,
      "server",
      `${name}: WireGuard remote-access server (no permissions)`,
      tags,
      this,
    );

    const key = new random.RandomBytes(`${name}-server-key`, { length: 32 }, { parent: this });
    const userData = pulumi.secret(
      key.base64.apply((k) => {
        const text = renderRemoteAccessUserData(renderServerConfig(plan, k));
        // The plan sized it with a stand-in key as random as this one; the real key is checked too.
        const problems = new Problems();
        problems.addIf("clients", plan.clients.length, userDataSizeProblem(text));
        problems.throwIfAny(where);
        return text;
      }),
    );
    const instance = routerInstance(
      `${name}-server`,
      {
        ami: routerAmi(args.ami, plan.host, this),
        host: plan.host,
        subnetId: args.subnetId,
        privateIp: plan.placement.privateIp,
        securityGroupId: sg.id,
        profileName: profile.name,
        kmsKeyId: args.kmsKeyId,
        userData,
        tags: { ...serverTags, Name: `${name}-server`, [APPLIANCE_ZONE_TAG]: plan.placement.zone },
      },
      this,
    );
    const association = routerElasticIp(
      `${name}-server`,
      instance.id,
      args.elasticIpAllocationId,
      tags,
      this,
    );
    for (const key of plan.routeTableKeys)
      routeToRouter(
        `${name}-${key}-pool`,
        args.routeTableIds[key],
        plan.pool,
        instance.primaryNetworkInterfaceId,
        this,
      );
    const invoke = { parent: this };
    const recover = pulumi.interpolate`arn:${aws.getPartitionOutput({}, invoke).partition}:automate:${aws.getRegionOutput({}, invoke).region}:ec2:recover`;
    const notify = plan.recovery.notify;
    statusAlarm(
      `${name}-server-recovery`,
      {
        description: `${name}: the WireGuard server failed its EC2 system status check; EC2 recovers it`,
        metricName: "StatusCheckFailed_System",
        instanceId: instance.id,
        evaluationPeriods: plan.recovery.evaluationPeriods,
        alarmActions: [recover, ...notify],
        okActions: notify,
        tags,
      },
      this,
    );

    // The public key is derived from the secret key, yet it is public: unwrap it so outputs show it.
    this.serverPublicKey = pulumi.unsecret(key.base64.apply(wireguardPublicKey));
    this.endpoint = pulumi.interpolate`${association.publicIp}:${plan.listenPort}`;
    this.clientConfigs = pulumi
      .all([this.serverPublicKey, this.endpoint])
      .apply(([publicKey, endpoint]) => renderClientConfigs(plan, { publicKey, endpoint }));
    this.clientAddresses = pulumi.output(Object.fromEntries(plan.clients.map((c) => [c.name, c.address])));
    this.instanceId = instance.id;
    this.securityGroupId = sg.id;
    this.registerOutputs({
      serverPublicKey: this.serverPublicKey,
      endpoint: this.endpoint,
      clientConfigs: this.clientConfigs,
      clientAddresses: this.clientAddresses,
      instanceId: this.instanceId,
      securityGroupId: this.securityGroupId,
    });
  }
}
