import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ALARM_PERIOD_SECONDS, CONNECTION_STATE, DX_NAMESPACE, VIF_BGP_STATUS } from "../model/alarms";
import { keysOf, refuseUnknownKeys } from "../model/argumentKeys";
import type { VifAddressFamily } from "../model/directConnect";
import {
  bgpAuthKeyProblem,
  environmentOfStack,
  GENERATED_BGP_AUTH_KEY_LENGTH,
  MAX_DX_ASN_FIELD,
  type PlannedVif,
  planVirtualInterfaces,
  type ResiliencyAssessment,
  type VifType,
  type VirtualInterfacesPlan,
} from "../model/directConnect";
import { componentWhere } from "../model/errors";
import * as aws from "./aws";
import { ComponentState } from "./componentState";
import { gateOnSecrets, type SecretCheck } from "./secretChecks";

/**
 * One Direct Connect connection (or LAG) that gets a VIF, or a hosted VIF a Direct Connect Partner created for
 * this account on its connection, which the component accepts. The physical port is ordered outside Pulumi.
 */
export interface VirtualInterfaceConnection {
  /** Connection (`dxcon-...`) or LAG (`dxlag-...`) to create the VIF on. Required unless `hostedVirtualInterfaceId`. */
  connectionId?: pulumi.Input<string>;
  /**
   * A hosted VIF (`dxvif-...`) a partner provisioned for this account, accepted instead of creating a VIF. Its
   * VLAN, ASN, addresses, key and MTU are the partner's: give none of them. @default none (create a VIF).
   */
  hostedVirtualInterfaceId?: pulumi.Input<string>;
  /** Direct Connect location code of the connection (`EqDC2`). The resiliency level is judged on it. */
  location: string;
  /**
   * AWS device the connection terminates on (the connection's `awsLogicalDeviceId`). Two connections at one
   * location count as separate devices only when both devices are given and differ; a LAG is one device.
   * @default unknown.
   */
  device?: string;
  /** VLAN tag: 1–4094, unused on the connection. Required for a created VIF. */
  vlan?: number;
  /**
   * Amazon end of the IPv4 BGP session with its prefix length (`169.254.10.1/30`). Private and transit VIFs:
   * give both ends or neither. Public IPv4 VIFs: required, public addresses you own. IPv6: always AWS's.
   * @default assigned by AWS from 169.254.0.0/16 (private and transit VIFs).
   */
  amazonAddress?: string;
  /** Your router's end of the IPv4 BGP session (`169.254.10.2/30`), in the same subnet. @default as amazonAddress. */
  customerAddress?: string;
  /**
   * BGP MD5 authentication key, 6–80 characters. Pass a secret; a plain string is checked before anything
   * registers and made secret. @default generated with @pulumi/random (32 letters and digits), stored as a secret.
   */
  bgpAuthKey?: pulumi.Input<string>;
}

/** @deprecated Renamed `VirtualInterfaceConnection`: the name the package schema gives other languages. */
export type VirtualInterfaceConnectionArgs = VirtualInterfaceConnection;

/** Arguments for `VirtualInterfaces`. */
export interface VirtualInterfacesArgs {
  /**
   * "private" (to a Direct Connect gateway or a virtual private gateway), "transit" (to a Direct Connect
   * gateway associated with transit gateways) or "public" (to AWS public endpoints).
   */
  type: VifType;
  /** Direct Connect gateway the VIFs attach to: required for transit VIFs; for private VIFs, or `vpnGatewayId`. */
  dxGatewayId?: pulumi.Input<string>;
  /** Private VIFs only: the virtual private gateway they attach to, instead of a Direct Connect gateway. */
  vpnGatewayId?: pulumi.Input<string>;
  /**
   * BGP ASN of your router: 1–4294967294 (public VIF: up to 2147483646), public (yours) or private. Required
   * unless every connection is a hosted VIF.
   */
  bgpAsn?: number;
  /** Amazon side ASN of the gateway the VIFs attach to; when given, `bgpAsn` must differ. @default not checked. */
  amazonSideAsn?: number;
  /** BGP address family of the VIFs. @default "ipv4". */
  addressFamily?: VifAddressFamily;
  /**
   * MTU: 1500, or jumbo frames — 9001 on private VIFs, 8500 on transit VIFs; public VIFs run at 1500 only.
   * Jumbo frames apply to propagated routes only. @default 1500.
   */
  mtu?: number;
  /**
   * Public VIFs only: your public prefixes advertised to AWS (1–1,000; IPv6 /64 or shorter), in the VIFs'
   * address family. Required for created public VIFs.
   */
  advertisedPrefixes?: string[];
  /**
   * Connections, LAGs or hosted VIFs, keyed by a stable name used in resource names (1–32 letters, digits,
   * '-'); one VIF each. Their locations and devices decide the resiliency level.
   */
  connections: Record<string, VirtualInterfaceConnection>;
  /**
   * Environment name; in `prod` (or `production`, `prd`) a layout below High resiliency is a warning.
   * @default the last '-' segment of the stack name (`connectivity-prod` → `prod`).
   */
  environment?: string;
  /**
   * Alarms on each created VIF: its connection's state (AWS/DX ConnectionState) and its BGP session (AWS/DX
   * VirtualInterfaceBgpStatus), both paging. Always on; hosted VIFs get none (their connection, and its
   * metrics, are the partner's).
   */
  alarms?: DirectConnectAlarm;
  /** Tags on every VIF. */
  tags?: Record<string, string>;
}

/** Who is paged when a Direct Connect connection or BGP session is down. */
export interface DirectConnectAlarm {
  /** SNS topic ARNs (or other alarm actions) paged when it goes down, and told when it recovers. @default none. */
  actions?: pulumi.Input<string>[];
  /** Consecutive 5-minute periods it must be down before the alarm fires: 1–288. @default 1. */
  evaluationPeriods?: number;
}

/** @deprecated Renamed `DirectConnectAlarm`: the name the package schema gives other languages. */
export type DirectConnectAlarmArgs = DirectConnectAlarm;

/** One VIF as the component outputs it. */
export interface VirtualInterfaceInfo {
  id: string;
  type: VifType;
  /** Accepted from a partner rather than created. */
  hosted: boolean;
  location: string;
  device?: string;
  vlan?: number;
  amazonAddress?: string;
  customerAddress?: string;
  /** The AWS device the VIF terminates on, as AWS reports it. */
  awsDevice?: string;
  jumboFrameCapable?: boolean;
}

type CreatedVif =
  | aws.directconnect.PrivateVirtualInterface
  | aws.directconnect.TransitVirtualInterface
  | aws.directconnect.PublicVirtualInterface;

/** The keys VirtualInterfaces's arguments may have (model/argumentKeys). */
const ARGUMENT_KEYS = keysOf<VirtualInterfacesArgs>({
  type: "value",
  dxGatewayId: "value",
  vpnGatewayId: "value",
  bgpAsn: "value",
  amazonSideAsn: "value",
  addressFamily: "value",
  mtu: "value",
  advertisedPrefixes: "value",
  alarms: keysOf<DirectConnectAlarm>({ actions: "value", evaluationPeriods: "value" }),
  connections: {
    record: keysOf<VirtualInterfaceConnection>({
      connectionId: "value",
      hostedVirtualInterfaceId: "value",
      location: "value",
      device: "value",
      vlan: "value",
      amazonAddress: "value",
      customerAddress: "value",
      bgpAuthKey: "value",
    }),
  },
  environment: "value",
  tags: "value",
});

const plans = new ComponentState<VirtualInterfaces, VirtualInterfacesPlan>();

/**
 * AWS Direct Connect virtual interfaces of one type — private, transit or public — one per connection or LAG
 * (or accepted from a partner as hosted VIFs), with VLAN, BGP ASN, a secret BGP MD5 key (generated unless
 * given), address family and MTU. Says which AWS resiliency model the connections reach, and warns when a
 * production layout is below High.
 */
export class VirtualInterfaces extends pulumi.ComponentResource {
  /** VIF ids (`dxvif-...`) by connection key. */
  public readonly virtualInterfaceIds: pulumi.Output<Record<string, string>>;
  /** Each VIF by connection key: id, VLAN, peer addresses, AWS device. */
  public readonly interfaces: pulumi.Output<Record<string, VirtualInterfaceInfo>>;
  /** BGP MD5 keys of the created VIFs, by connection key. Secret. */
  public readonly bgpAuthKeys: pulumi.Output<Record<string, string>>;
  /**
   * The AWS resiliency model the connections reach ("maximum", "high", "development-and-test", "none"), the
   * SLA it is designed for, locations, devices per location, why, and warnings for a production environment.
   */
  public readonly resiliency: pulumi.Output<ResiliencyAssessment>;
  /** The plan the component registered. */
  public get plan(): VirtualInterfacesPlan {
    return plans.get(this);
  }

  constructor(name: string, args: VirtualInterfacesArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseUnknownKeys(componentWhere("VirtualInterfaces", name), ARGUMENT_KEYS, args);
    const where = componentWhere("VirtualInterfaces", name);
    const plan = planVirtualInterfaces(where, name, {
      ...args,
      environment: args.environment ?? environmentOfStack(pulumi.getStack()),
    });
    // A BGP key given as an Output is checked when it resolves, before the component registers.
    const keyChecks: SecretCheck[] = Object.entries(args.connections ?? {}).flatMap(([key, c]) =>
      c?.bgpAuthKey === undefined
        ? []
        : [{ path: `connections.${key}.bgpAuthKey`, value: c.bgpAuthKey, problem: bgpAuthKeyProblem }],
    );
    super("hybridnet:index:VirtualInterfaces", name, {}, gateOnSecrets(where, keyChecks, opts));
    plans.set(this, plan);
    for (const warning of plan.resiliency.warnings) pulumi.log.warn(warning, this);

    const entries = plan.interfaces.map((vif) => {
      const tags = {
        ...args.tags,
        "hybridnet:component": name,
        "hybridnet:resiliency": plan.resiliency.level,
        Name: vif.name,
      };
      if (vif.hosted) return this.accept(name, vif, args, tags);
      const key = this.bgpAuthKey(name, vif, args.connections[vif.key].bgpAuthKey);
      const created = this.create(name, vif, plan, args, key, tags);
      this.alarms(name, vif, args.connections[vif.key].connectionId!, created, args.alarms, args.tags ?? {});
      return { vif, created, key };
    });

    this.virtualInterfaceIds = pulumi
      .all(
        entries.map((e) =>
          ("created" in e ? e.created.id : e.accepter.virtualInterfaceId).apply(
            (id) => [e.vif.key, id] as const,
          ),
        ),
      )
      .apply((e) => Object.fromEntries(e) as Record<string, string>);
    this.interfaces = pulumi
      .all(entries.map((e) => this.info(plan.type, e)))
      .apply((e) => Object.fromEntries(e) as Record<string, VirtualInterfaceInfo>);
    this.bgpAuthKeys = pulumi.secret(
      pulumi
        .all(entries.flatMap((e) => ("key" in e ? [e.key.apply((k) => [e.vif.key, k] as const)] : [])))
        .apply((e) => Object.fromEntries(e) as Record<string, string>),
    );
    this.resiliency = pulumi.output(plan.resiliency);
    this.registerOutputs({
      virtualInterfaceIds: this.virtualInterfaceIds,
      interfaces: this.interfaces,
      bgpAuthKeys: this.bgpAuthKeys,
      resiliency: this.resiliency,
    });
  }

  /** Pages when the VIF's connection is down, and when its BGP session is down (routes withdrawn). */
  private alarms(
    name: string,
    vif: PlannedVif,
    connectionId: pulumi.Input<string>,
    created: CreatedVif,
    alarms: DirectConnectAlarm | undefined,
    tags: Record<string, string>,
  ): void {
    const common = {
      namespace: DX_NAMESPACE,
      statistic: "Minimum",
      period: ALARM_PERIOD_SECONDS,
      evaluationPeriods: alarms?.evaluationPeriods ?? 1,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      // No data means nothing says it is up.
      treatMissingData: "breaching",
      alarmActions: alarms?.actions ?? [],
      okActions: alarms?.actions ?? [],
      tags,
    };
    new aws.cloudwatch.MetricAlarm(
      `${name}-${vif.key}-connection-down`,
      {
        alarmDescription: `Direct Connect connection ${vif.key} of ${name} (${vif.location}) is down`,
        metricName: CONNECTION_STATE,
        dimensions: { ConnectionId: connectionId },
        ...common,
      },
      { parent: this },
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-${vif.key}-bgp-down`,
      {
        alarmDescription: `BGP on Direct Connect VIF ${vif.name} of ${name} is down: its routes are withdrawn`,
        metricName: VIF_BGP_STATUS,
        dimensions: { ConnectionId: connectionId, VirtualInterfaceId: created.id },
        ...common,
      },
      { parent: this },
    );
  }

  /** A given key or a generated one, as a secret. */
  private bgpAuthKey(
    name: string,
    vif: PlannedVif,
    given: pulumi.Input<string> | undefined,
  ): pulumi.Output<string> {
    // Checked before the component registered (gateOnSecrets), or with the other arguments when plain.
    if (given !== undefined) return pulumi.secret(pulumi.output(given));
    const generated = new random.RandomPassword(
      `${name}-${vif.key}-bgp-auth-key`,
      { length: GENERATED_BGP_AUTH_KEY_LENGTH, special: false },
      { parent: this },
    );
    return pulumi.secret(generated.result);
  }

  private create(
    name: string,
    vif: PlannedVif,
    plan: VirtualInterfacesPlan,
    args: VirtualInterfacesArgs,
    bgpAuthKey: pulumi.Output<string>,
    tags: Record<string, string>,
  ): CreatedVif {
    const connection = args.connections[vif.key];
    const asn = plan.bgpAsn!;
    const common = {
      connectionId: connection.connectionId!,
      name: vif.name,
      vlan: vif.vlan!,
      addressFamily: plan.addressFamily,
      bgpAuthKey,
      ...(vif.amazonAddress !== undefined
        ? { amazonAddress: vif.amazonAddress, customerAddress: vif.customerAddress }
        : {}),
      tags,
    };
    // The key is secret in state too: the provider does not mark it. A VLAN is unique on a connection, so a
    // replacement (model/replacement) must free the VLAN before the new VIF takes it.
    const options = { parent: this, additionalSecretOutputs: ["bgpAuthKey"], deleteBeforeReplace: true };
    const resourceName = `${name}-${vif.key}-vif`;
    if (plan.type === "public")
      return new aws.directconnect.PublicVirtualInterface(
        resourceName,
        { ...common, bgpAsn: asn, routeFilterPrefixes: plan.advertisedPrefixes },
        options,
      );
    // The API's `asn` holds up to 2147483646; 4-byte ASNs above it go in `asnLong`.
    const asnInput = asn <= MAX_DX_ASN_FIELD ? { bgpAsn: asn } : { bgpAsnLong: String(asn) };
    if (plan.type === "transit")
      return new aws.directconnect.TransitVirtualInterface(
        resourceName,
        { ...common, ...asnInput, mtu: plan.mtu, dxGatewayId: args.dxGatewayId! },
        options,
      );
    return new aws.directconnect.PrivateVirtualInterface(
      resourceName,
      {
        ...common,
        ...asnInput,
        mtu: plan.mtu,
        ...(plan.attachTo === "vpnGateway"
          ? { vpnGatewayId: args.vpnGatewayId }
          : { dxGatewayId: args.dxGatewayId }),
      },
      options,
    );
  }

  private accept(
    name: string,
    vif: PlannedVif,
    args: VirtualInterfacesArgs,
    tags: Record<string, string>,
  ): {
    vif: PlannedVif;
    accepter:
      | aws.directconnect.HostedPrivateVirtualInterfaceAccepter
      | aws.directconnect.HostedTransitVirtualInterfaceAcceptor
      | aws.directconnect.HostedPublicVirtualInterfaceAccepter;
  } {
    const virtualInterfaceId = args.connections[vif.key].hostedVirtualInterfaceId!;
    const resourceName = `${name}-${vif.key}-accepter`;
    const options = { parent: this };
    if (args.type === "transit")
      return {
        vif,
        accepter: new aws.directconnect.HostedTransitVirtualInterfaceAcceptor(
          resourceName,
          { virtualInterfaceId, dxGatewayId: args.dxGatewayId!, tags },
          options,
        ),
      };
    if (args.type === "public")
      return {
        vif,
        accepter: new aws.directconnect.HostedPublicVirtualInterfaceAccepter(
          resourceName,
          { virtualInterfaceId, tags },
          options,
        ),
      };
    return {
      vif,
      accepter: new aws.directconnect.HostedPrivateVirtualInterfaceAccepter(
        resourceName,
        {
          virtualInterfaceId,
          ...(args.vpnGatewayId !== undefined
            ? { vpnGatewayId: args.vpnGatewayId }
            : { dxGatewayId: args.dxGatewayId }),
          tags,
        },
        options,
      ),
    };
  }

  private info(
    type: VifType,
    entry: {
      vif: PlannedVif;
      created?: CreatedVif;
      accepter?: { virtualInterfaceId: pulumi.Output<string> };
    },
  ): pulumi.Output<readonly [string, VirtualInterfaceInfo]> {
    const { vif } = entry;
    const base = {
      type,
      hosted: vif.hosted,
      location: vif.location,
      ...(vif.device ? { device: vif.device } : {}),
    };
    if (!entry.created)
      return entry.accepter!.virtualInterfaceId.apply((id) => [vif.key, { id, ...base }] as const);
    const created = entry.created;
    const jumbo = "jumboFrameCapable" in created ? created.jumboFrameCapable : pulumi.output(undefined);
    return pulumi
      .all([created.id, created.amazonAddress, created.customerAddress, created.awsDevice, jumbo])
      .apply(([id, amazonAddress, customerAddress, awsDevice, jumboFrameCapable]) => {
        const info: VirtualInterfaceInfo = {
          id,
          ...base,
          ...(vif.vlan !== undefined ? { vlan: vif.vlan } : {}),
          ...(amazonAddress ? { amazonAddress } : {}),
          ...(customerAddress ? { customerAddress } : {}),
          ...(awsDevice ? { awsDevice } : {}),
          ...(jumboFrameCapable !== undefined ? { jumboFrameCapable } : {}),
        };
        return [vif.key, info] as const;
      });
  }
}
