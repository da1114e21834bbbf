/**
 * The config of the landing-zone stacks (`stacks/Pulumi.<stack>.yaml`), as zod schemas of its two roles, and
 * the checks that turn a stack's raw config into typed settings or one ValidationError naming the stack, each
 * config path (`hybridnet:vpn.sites.dc1.ipAddress`), the bad value and what is allowed. Field rules call the
 * same model functions the components and the policy pack call, so a value means the same thing everywhere.
 * Pure: no Pulumi import; the program hands this the stack name and the config map.
 *
 * Stack names are `<account>-<env>`: `connectivity-<env>` for the network account, `workload-<key>-<env>` for a
 * workload account. The names are what StackReferences resolve, so they are checked like any other value.
 */
import { z } from "zod";
import {
  amazonSideAsnProblem,
  type Cidr,
  checkCidr,
  cidrContains,
  cidrsOverlap,
  customerAsnProblem,
  findOverlaps,
  privateIpv4Problem,
  publicIpv4Problem,
  RFC1918_IPV4,
} from "./addressing";
import { checkProdAlarmActions, snsTopicArnProblem } from "./alarms";
import { acmCertificateArnProblem, samlProviderArnProblem } from "./arns";
import { SESSION_TIMEOUT_HOURS, TRANSPORT_PROTOCOLS, VPN_PORTS } from "./clientVpn";
import { dxIdProblem, isProdEnvironment, vlanProblem } from "./directConnect";
import { type Problem, Problems, ValidationError } from "./errors";
import { accountIdProblem, regionProblem } from "./identifiers";
import { RESOURCE_KEY, RESOURCE_KEY_RULE } from "./names";
import { zoneRefProblem } from "./reachability/intents";
import { resolveSegments } from "./transitGateway";
import {
  ENCRYPTION_ALGORITHMS,
  IKE_VERSIONS,
  INTEGRITY_ALGORITHMS,
  PHASE1_DH_GROUPS,
  PHASE2_DH_GROUPS,
} from "./tunnelOptions";
import { checkVpcLayout } from "./vpcLayout";
import { isZoneId, zoneIdProblem } from "./zones";

/** What a Direct Connect gateway of the connectivity stack is associated with (hybridnet:directConnect.gateway). */
export const DX_GATEWAY_TYPES = ["tgw", "vgw"] as const;

/** Every key of the stacks' config lives under this namespace (`hybridnet:vpc`). */
export const CONFIG_NAMESPACE = "hybridnet";
export const ROLES = ["connectivity", "workload"] as const;
export type Role = (typeof ROLES)[number];
/** The backend organization StackReferences name when the config sets none: the DIY backend's own. */
export const DEFAULT_ORGANIZATION = "organization";
/** The Pulumi project the stacks belong to (Pulumi.yaml `name`). */
export const PROJECT = "hybridnet";

// ---------------------------------------------------------------------------------------------------
// Field rules: zod types whose messages are the model's words.

/** A string checked by a model rule; a missing or non-string value gets the rule's own message. */
function ruled(check: (value: unknown) => string | undefined) {
  return z.string({ error: (issue) => check(issue.input) ?? "a string" }).superRefine((value, ctx) => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
  });
}

/** An integer checked by a model rule. */
function ruledNumber(check: (value: unknown) => string | undefined) {
  return z.number({ error: (issue) => check(issue.input) ?? "a number" }).superRefine((value, ctx) => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
  });
}

function cidrRule(rules: Parameters<typeof checkCidr>[1], what: string) {
  return (value: unknown) => {
    const result = checkCidr(value, rules);
    return "problem" in result ? `${result.problem} (${what})` : undefined;
  };
}

const RFC1918 = RFC1918_IPV4.map((text) => (checkCidr(text) as { cidr: Cidr }).cidr);

/** Why `value` cannot be a private (RFC 1918) IPv4 network, or undefined. */
export function privateNetworkProblem(value: unknown, what: string): string | undefined {
  const result = checkCidr(value, { version: 4 });
  if ("problem" in result) return `${result.problem} (${what})`;
  if (!RFC1918.some((block) => cidrContains(block, result.cidr)))
    return `not inside ${RFC1918_IPV4.join(", ")}; ${what} is a private (RFC 1918) network`;
  return undefined;
}

/** IAM role ARNs: `arn:<partition>:iam::<account>:role/<path/name>`. */
const ROLE_ARN = /^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):role\/[\w+=,.@-]+(?:\/[\w+=,.@-]+)*$/;
export const ROLE_ARN_RULE = "an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>";

/** Why `value` cannot be an IAM role ARN, or undefined. */
export function roleArnProblem(value: unknown): string | undefined {
  return typeof value === "string" && ROLE_ARN.test(value) ? undefined : ROLE_ARN_RULE;
}

/** The account of a role ARN that passed {@link roleArnProblem}. */
export function roleArnAccount(arn: string): string {
  return ROLE_ARN.exec(arn)?.[1] ?? "";
}

const key = z.string().regex(RESOURCE_KEY, RESOURCE_KEY_RULE);
const keyed = <T extends z.ZodType>(value: T) => z.record(key, value);
const accountId = ruled(accountIdProblem);
const region = ruled(regionProblem);
const roleArn = ruled(roleArnProblem);
const amazonAsn = ruledNumber(amazonSideAsnProblem);
const customerAsn = ruledNumber(customerAsnProblem);
const publicIp = ruled(publicIpv4Problem);
const privateIp = ruled(privateIpv4Problem);
const onPremPrefix = ruled((v) => privateNetworkProblem(v, "an on-premises network"));
const port = z.int({ error: "a TCP port: an integer 1–65535" }).min(1).max(65535);
const certificateArn = ruled((v) => (typeof v === "string" ? acmCertificateArnProblem(v) : "an ACM ARN"));
const nonEmpty = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item, { error: `a list of ${what}` }).min(1, `at least one ${what}`);

/** The account a stack deploys into: the provider assumes `roleArn` in `region`. */
const awsAccount = z.strictObject({
  region,
  accountId,
  roleArn,
});

const vpc = {
  cidr: ruled((v) => privateNetworkProblem(v, "a VPC CIDR")),
  /** Zone ids (`use1-az1`), not names: names map to different zones in each account (checked in checkVpcLayout). */
  availabilityZones: z.array(z.string(), {
    error: 'a list of 2 or 3 Availability Zone ids such as ["use1-az1", "use1-az2"]',
  }),
};

/** A zod type with the description and examples the JSON Schema and docs/config.md show for it. */
function described<T extends z.ZodType>(type: T, description: string, examples: unknown[]): T {
  return type.meta({ description, examples }) as T;
}

/** An option list of one of `values`, as the tunnel options take them. */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `one of ${values.map((v) => JSON.stringify(v)).join(", ")}` });
const seconds = (what: string) => z.int({ error: `${what} in seconds: an integer` });

/**
 * IPsec options of both tunnels of a site's VPN connections (model/tunnelOptions): AWS's ranges are checked by
 * the VPN components' own plan, at the same config path. Unset options keep the secure defaults.
 */
const tunnelOptions = described(
  z.strictObject({
    ikeVersions: described(
      z.array(oneOf(IKE_VERSIONS)).optional(),
      "IKE versions. Default [ikev2]; ikev1 needs allowLegacyCrypto.",
      [["ikev2"]],
    ),
    phase1EncryptionAlgorithms: described(
      z.array(oneOf(ENCRYPTION_ALGORITHMS)).optional(),
      "Phase 1 encryption. Default [AES256, AES256-GCM-16]; AES128 needs allowLegacyCrypto.",
      [["AES256-GCM-16"]],
    ),
    phase2EncryptionAlgorithms: described(
      z.array(oneOf(ENCRYPTION_ALGORITHMS)).optional(),
      "Phase 2 encryption. Default [AES256, AES256-GCM-16].",
      [["AES256-GCM-16"]],
    ),
    phase1IntegrityAlgorithms: described(
      z.array(oneOf(INTEGRITY_ALGORITHMS)).optional(),
      "Phase 1 integrity. Default [SHA2-256, SHA2-384, SHA2-512]; SHA1 needs allowLegacyCrypto.",
      [["SHA2-256"]],
    ),
    phase2IntegrityAlgorithms: described(
      z.array(oneOf(INTEGRITY_ALGORITHMS)).optional(),
      "Phase 2 integrity. Default [SHA2-256, SHA2-384, SHA2-512].",
      [["SHA2-256"]],
    ),
    phase1DhGroupNumbers: described(
      z.array(z.int()).optional(),
      `Phase 1 Diffie-Hellman groups. AWS takes ${PHASE1_DH_GROUPS.join(", ")}; default 14–21 (2, 22–24 need allowLegacyCrypto).`,
      [[20, 21]],
    ),
    phase2DhGroupNumbers: described(
      z.array(z.int()).optional(),
      `Phase 2 Diffie-Hellman groups. AWS takes ${PHASE2_DH_GROUPS.join(", ")}; default 14–21.`,
      [[20, 21]],
    ),
    phase1LifetimeSeconds: described(
      seconds("phase 1 lifetime").optional(),
      "Phase 1 lifetime, 900–28,800 s (AWS). Default 28800.",
      [28800],
    ),
    phase2LifetimeSeconds: described(
      seconds("phase 2 lifetime").optional(),
      "Phase 2 lifetime, 900–3,600 s and below phase 1's (AWS). Default 3600.",
      [3600],
    ),
    dpdTimeoutSeconds: described(
      seconds("dead peer detection timeout").optional(),
      "Dead peer detection timeout, at least 30 s (AWS). Default 30.",
      [40],
    ),
    dpdTimeoutAction: described(
      oneOf(["clear", "none", "restart"]).optional(),
      "What AWS does when DPD times out. Default restart.",
      ["restart"],
    ),
    startupAction: described(
      oneOf(["add", "start"]).optional(),
      "Who starts IKE: add (your device) or start (AWS; IKEv2 only). Default add.",
      ["start"],
    ),
    rekeyMarginTimeSeconds: described(
      seconds("rekey margin").optional(),
      "Rekey margin, 60 s up to half the phase 2 lifetime (AWS). Default 270.",
      [540],
    ),
    rekeyFuzzPercentage: described(z.int().optional(), "Rekey fuzz, 0–100 % (AWS). Default 100.", [100]),
    replayWindowSize: described(
      z.int().optional(),
      "IKE replay window, 64–2,048 packets (AWS). Default 1024.",
      [1024],
    ),
    enableTunnelLifecycleControl: described(
      z.boolean().optional(),
      "You choose when AWS replaces a tunnel endpoint during maintenance. Default false.",
      [true],
    ),
    allowLegacyCrypto: described(
      z.boolean().optional(),
      "Accept IKEv1, AES128, SHA1 or DH groups 2, 5, 22–24 for a device that cannot do better. Default false.",
      [false],
    ),
  }),
  "IPsec options of both tunnels of the site's VPN connections. Unset options keep hybridnet's secure defaults (IKEv2, AES-256, SHA-2, DH 14–21).",
  [
    {
      ikeVersions: ["ikev2"],
      phase1DhGroupNumbers: [20, 21],
      phase2DhGroupNumbers: [20, 21],
      startupAction: "start",
    },
  ],
);

/**
 * Tunnel 1 and tunnel 2 of the site's connection. Only the inside CIDR: pre-shared keys are generated and kept
 * as secrets in the stack's state, never in plaintext config.
 */
const tunnels = described(
  z
    .array(
      z.strictObject({
        insideCidr: described(
          z.string().optional(),
          "Inside CIDR of the tunnel: a /30 in 169.254.0.0/16 outside the AWS-reserved blocks, unique per gateway. Default allocated once and kept. Changing it replaces the VPN connection (new outside addresses).",
          ["169.254.10.0/30"],
        ),
      }),
      { error: "a list of at most two tunnels: [{ insideCidr }]" },
    )
    .max(2, "at most two tunnels: a VPN connection has exactly two")
    .optional(),
  "Settings of tunnel 1 and tunnel 2 (at most two entries): pin an inside CIDR on purpose.",
  [[{ insideCidr: "169.254.10.0/30" }, { insideCidr: "169.254.10.4/30" }]],
);

/** A site reached over the internet: a public customer gateway address and BGP. */
const vpnSite = z.strictObject({
  ipAddress: publicIp,
  bgpAsn: customerAsn,
  prefixes: nonEmpty(onPremPrefix, "on-premises CIDR"),
  bandwidthGbps: z.number().positive("a bandwidth in Gbps above 0").optional(),
  accelerated: z.boolean().optional(),
  deviceName: z.string().max(255).optional(),
  tunnelOptions: tunnelOptions.optional(),
  tunnels,
});

/** A transit gateway in another Region, peered with the hub (hybridnet:hub.regions.<region>). */
const regionalHub = z.strictObject({
  amazonSideAsn: described(
    amazonAsn,
    "Amazon side ASN of the Region's transit gateway: a private ASN (64512–65534 or 4200000000–4294967294), different from the hub's and every other Region's (AWS: unique ASNs for peered transit gateways and for transit gateways of one Direct Connect gateway).",
    [64521],
  ),
  transitGatewayCidrBlocks: described(
    z
      .array(ruled(cidrRule({ version: 4, maxPrefix: 24 }, "a transit gateway CIDR block, /24 or larger")))
      .optional(),
    "CIDR blocks of the Region's transit gateway (/24 or larger, at most 5): for a private IP VPN or Connect attachments there. Default none.",
    [["10.254.1.0/24"]],
  ),
});

/** A Direct Connect connection (or LAG) that gets one VIF. */
const dxConnection = z.strictObject({
  connectionId: ruled((v) => dxIdProblem("connection", v)),
  location: z.string().min(1, "a Direct Connect location code such as EqDC2"),
  device: z.string().optional(),
  vlan: ruledNumber(vlanProblem),
});

/** The public VIFs: AWS public endpoints (S3, VPN endpoints) over Direct Connect, peering on public addresses. */
const publicVifs = z.strictObject({
  routerAsn: described(
    customerAsn.optional(),
    "BGP ASN of your router on the public VIFs: public (yours) or private, at most 2147483646 (a public VIF has no long-ASN field). Default hybridnet:directConnect.routerAsn.",
    [65010],
  ),
  advertisedPrefixes: described(
    nonEmpty(z.string(), "public prefix"),
    "Your public prefixes advertised to AWS over the public VIFs: 1–1,000, internet-routable space you own (AWS verifies ownership before it approves the VIF).",
    [["198.51.100.0/26"]],
  ),
  connections: described(
    keyed(
      dxConnection.extend({
        amazonAddress: described(
          z.string(),
          "Amazon end of the BGP session, a public /30 or /31 you own with its prefix length.",
          ["198.51.100.1/30"],
        ),
        customerAddress: described(z.string(), "Your router's end of the BGP session, in the same subnet.", [
          "198.51.100.2/30",
        ]),
      }),
    ),
    "Connections that get a public VIF, keyed by a stable name: connection id, location, VLAN (unique per connection, across every VIF on it) and the public peer addresses.",
    [
      {
        lhr: {
          connectionId: "dxcon-fh6a7b8c",
          location: "LD5",
          vlan: 301,
          amazonAddress: "198.51.100.1/30",
          customerAddress: "198.51.100.2/30",
        },
      },
    ],
  ),
});

/** Client VPN users authorized to a network, by IdP group (SAML) or every user. */
const clientVpnRule = z.strictObject({
  destination: described(z.string(), "IPv4 CIDR the rule opens.", ["10.40.0.0/20"]),
  groupId: described(
    z.string().optional(),
    "IdP group (SAML only) the rule is for, at most 255 characters. Default every authenticated user.",
    ["network-engineers"],
  ),
  description: described(z.string().optional(), "Description of the rule.", ["shared services"]),
});

/** The common keys of both roles. */
const common = {
  role: z.enum(ROLES, { error: `one of ${ROLES.map((r) => `"${r}"`).join(", ")}` }),
  organization: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "a Pulumi organization name (letters, digits, '-', '_', '.')")
    .optional(),
  aws: awsAccount,
};

/** `connectivity`: the network account of one environment. */
export const connectivitySchema = z.strictObject({
  ...common,
  role: z.literal("connectivity"),
  hub: z.strictObject({
    amazonSideAsn: amazonAsn.optional(),
    segments: keyed(
      z.strictObject({
        isolated: z.boolean().optional(),
        reaches: z.array(z.string()).optional(),
        blackholes: z.array(z.string()).optional(),
      }),
    ),
    transitGatewayCidrBlocks: z
      .array(ruled(cidrRule({ version: 4, maxPrefix: 24 }, "a transit gateway CIDR block, /24 or larger")))
      .optional(),
    regions: described(
      z.record(z.string(), regionalHub).optional(),
      "Transit gateways in other Regions, keyed by Region code: each has the hub's segments, is shared with the workload accounts of its Region, and is peered with the hub by transit gateway inter-Region peering (static routes only: AWS propagates nothing over a peering). Workloads of that Region (hybridnet:workloads.<key>.region) attach to it.",
      [{ "eu-central-1": { amazonSideAsn: 64521 } }],
    ),
  }),
  vpc: z.strictObject({ ...vpc, segment: z.string() }),
  vpn: z.strictObject({
    segment: z.string(),
    sites: keyed(vpnSite).refine((s) => Object.keys(s).length > 0, "at least one data center"),
  }),
  directConnect: z
    .strictObject({
      gateway: described(
        z.enum(DX_GATEWAY_TYPES, { error: 'one of "tgw", "vgw"' }).optional(),
        'What the Direct Connect gateway is associated with. "tgw": the hub, over transit VIFs carrying a private IP VPN to each site of hybridnet:vpn.sites (DX + TGW + VPN). "vgw": a virtual private gateway on the connectivity VPC, over private VIFs to Direct Connect-only sites (DX on a VGW). Default "tgw".',
        ["vgw"],
      ),
      vpnGatewayAsn: described(
        amazonAsn.optional(),
        "gateway \"vgw\" only: Amazon side ASN of the virtual private gateway, different from the Direct Connect gateway's. Default 64512 (AWS's default). With hybridnet:branches the CloudHub's gateway is used instead (a VPC has one virtual private gateway).",
        [64512],
      ),
      amazonSideAsn: amazonAsn,
      routerAsn: customerAsn,
      allowedPrefixes: nonEmpty(ruled(cidrRule({ version: 4 }, "an allowed prefix")), "allowed prefix"),
      connections: keyed(dxConnection),
      sites: keyed(
        z.strictObject({
          ipAddress: privateIp.optional(),
          bgpAsn: customerAsn.optional(),
          prefixes: nonEmpty(onPremPrefix, "on-premises CIDR"),
          tunnelOptions: tunnelOptions.optional(),
          tunnels,
        }),
      ),
      publicVifs: described(
        publicVifs.optional(),
        "Public VIFs to AWS public endpoints, one per listed connection. Default none.",
        [{ advertisedPrefixes: ["198.51.100.0/26"], connections: {} }],
      ),
    })
    .optional(),
  branches: z
    .strictObject({
      amazonSideAsn: amazonAsn.optional(),
      sites: keyed(vpnSite.omit({ bandwidthGbps: true, accelerated: true })),
    })
    .optional(),
  clientVpn: z
    .strictObject({
      clientCidr: ruled(cidrRule({ version: 4, minPrefix: 12, maxPrefix: 22 }, "a client CIDR, /12 to /22")),
      serverCertificateArn: certificateArn,
      clientRootCertificateChainArn: certificateArn.optional(),
      samlProviderArn: described(
        ruled((v) => samlProviderArnProblem(v)).optional(),
        "SAML 2.0 federation instead of mutual TLS: the IAM SAML provider's ARN. Exactly one of this and clientRootCertificateChainArn. Authorization rules can then name IdP groups.",
        ["arn:aws:iam::444455556666:saml-provider/corp-idp"],
      ),
      selfServiceSamlProviderArn: described(
        ruled((v) => samlProviderArnProblem(v)).optional(),
        "SAML only: the IAM SAML provider of the self-service portal. Default samlProviderArn.",
        ["arn:aws:iam::444455556666:saml-provider/corp-idp-portal"],
      ),
      splitTunnel: described(
        z.boolean().optional(),
        "Send only traffic for the endpoint's routes through the VPN. Default true.",
        [true],
      ),
      transportProtocol: described(
        z.enum(TRANSPORT_PROTOCOLS, { error: 'one of "udp", "tcp"' }).optional(),
        "Transport of the VPN session. Default udp.",
        ["udp"],
      ),
      vpnPort: described(
        z
          .union(
            VPN_PORTS.map((p) => z.literal(p)),
            { error: "443 or 1194 (AWS)" },
          )
          .optional(),
        "Port clients connect to: 443 or 1194 (AWS). Default 443.",
        [443],
      ),
      sessionTimeoutHours: described(
        z
          .union(
            SESSION_TIMEOUT_HOURS.map((h) => z.literal(h)),
            { error: "8, 10, 12 or 24 (AWS)" },
          )
          .optional(),
        "Maximum session length in hours: 8, 10, 12 or 24 (AWS). Default 24.",
        [12],
      ),
      disconnectOnSessionTimeout: described(
        z.boolean().optional(),
        "End the session at the timeout instead of reconnecting. Default false.",
        [true],
      ),
      dnsServers: described(
        z.array(z.string()).optional(),
        "DNS servers for clients: at most two IPv4 addresses (AWS). Default the device's own.",
        [["10.40.0.2"]],
      ),
      selfServicePortal: described(
        z.boolean().optional(),
        "Self-service portal for the client configuration (SAML only). Default false.",
        [true],
      ),
      authorizationRules: described(
        keyed(clientVpnRule).optional(),
        "Who may reach which network, keyed by a stable name: at most 200 per endpoint (AWS default quota). Default every user to the connectivity VPC (where the endpoints to the workload services are).",
        [{ engineers: { destination: "10.40.0.0/20", groupId: "network-engineers" } }],
      ),
      routes: described(
        keyed(
          z.strictObject({
            destination: described(z.string(), "IPv4 CIDR routed through every associated subnet.", [
              "172.24.0.0/16",
            ]),
            description: described(z.string().optional(), "Description of the route.", ["lon1"]),
          }),
        ).optional(),
        "Routes beyond the connectivity VPC's own (AWS adds that one), keyed by a stable name; each goes through every associated subnet, at most 100 per association (AWS default quota). Default none.",
        [{ lon1: { destination: "172.24.0.0/16", description: "the London office" } }],
      ),
      connectionLogs: described(
        z.strictObject({ retentionInDays: z.int().optional() }).optional(),
        "Connection logs in CloudWatch Logs (always on): retentionInDays, a CloudWatch Logs retention value. Default 365 days.",
        [{ retentionInDays: 400 }],
      ),
      description: described(
        z.string().max(255).optional(),
        "Description of the endpoint, at most 255 characters.",
        ["staging remote access"],
      ),
    })
    .optional(),
  workloads: keyed(
    z.strictObject({
      accountId,
      vpcCidr: ruled((v) => privateNetworkProblem(v, "a VPC CIDR")),
      region: described(
        region.optional(),
        "Region of the workload's account stack: the hub's (hybridnet:aws.region) or one of hybridnet:hub.regions. In another Region it attaches to that Region's transit gateway, and the endpoints between it and the connectivity VPC are cross-Region PrivateLink (serviceRegion). Default the hub's Region.",
        ["eu-central-1"],
      ),
    }),
  ),
  onPremService: z.strictObject({
    port,
    targets: keyed(z.strictObject({ ip: privateIp, port: port.optional() })).refine(
      (t) => Object.keys(t).length > 0,
      "at least one on-premises target",
    ),
  }),
  /**
   * Who is told when the network breaks. `actions` (SNS topic ARNs) are paged when a VPN connection is down
   * (both tunnels), a site's tunnels carry less than its declared bandwidth, or a Direct Connect connection or
   * BGP session is down: required in production. `warningActions` hear of one tunnel down (AWS maintenance
   * takes one down routinely).
   */
  alarms: z
    .strictObject({
      actions: z.array(ruled(snsTopicArnProblem), { error: "a list of SNS topic ARNs" }).optional(),
      warningActions: z.array(ruled(snsTopicArnProblem), { error: "a list of SNS topic ARNs" }).optional(),
    })
    .optional(),
  /** The environment's intended flows, checked by `hybridnet plan` over the planned network (README "Flows"). */
  intents: keyed(
    z.strictObject({
      from: ruled(zoneRefProblem),
      to: ruled(zoneRefProblem),
      protocol: z.enum(["tcp", "udp", "icmp"], { error: 'one of "tcp", "udp", "icmp"' }).optional(),
      port: port.optional(),
      expect: z.enum(["allow", "deny"], { error: 'one of "allow", "deny"' }).optional(),
    }),
  ).optional(),
});

/** `workload`: one workload account of one environment. */
export const workloadSchema = z.strictObject({
  ...common,
  role: z.literal("workload"),
  vpc: z.strictObject(vpc),
  attachment: z
    .strictObject({
      segment: z.string(),
      /** Role in the network account that accepts the attachment and places it in its segment. */
      hubRoleArn: roleArn,
      destinations: z.array(ruled(cidrRule({ version: 4 }, "a destination"))).optional(),
    })
    .optional(),
  service: z.strictObject({
    port,
    targetPort: port.optional(),
    targets: keyed(z.strictObject({ ip: privateIp })).optional(),
  }),
});

export type ConnectivityConfig = z.infer<typeof connectivitySchema>;
export type WorkloadConfig = z.infer<typeof workloadSchema>;

/** Where a stack sits: its name, the account part and the environment, and what its name implies. */
export interface StackIdentity {
  stack: string;
  /** `connectivity`, `workload-app`. */
  account: string;
  env: string;
  prod: boolean;
  /** The workload's key (`app` of `workload-app-dev`); undefined for the connectivity stack. */
  workload?: string;
  organization: string;
}

export type StackSettings =
  | ({ role: "connectivity"; identity: StackIdentity } & { config: ConnectivityConfig })
  | ({ role: "workload"; identity: StackIdentity } & { config: WorkloadConfig });

const STACK_NAME = /^(connectivity|workload-([a-z0-9][a-z0-9-]*?))-([a-z][a-z0-9]*)$/;
const STACK_NAME_RULE =
  "a stack name <account>-<env>: connectivity-<env> or workload-<key>-<env> (lower case, e.g. workload-payments-prod)";

/** The stack name a connectivity stack of `env` has, and a workload's. */
export const connectivityStackName = (env: string) => `connectivity-${env}`;
export const workloadStackName = (workload: string, env: string) => `workload-${workload}-${env}`;
/** The name a StackReference resolves: `<organization>/hybridnet/<stack>`. */
export const qualifiedStackName = (organization: string, stack: string) =>
  `${organization}/${PROJECT}/${stack}`;

// ---------------------------------------------------------------------------------------------------
// Reading the config map

/**
 * The values under `hybridnet:` of a stack's config map as the Pulumi CLI hands it to a program (every value
 * a string; objects and lists as JSON text), parsed back to the YAML's structure. Top-level values are
 * strings or objects: a top-level string is kept as written (an account id keeps its leading zeros).
 */
export function namespaceValues(config: Record<string, string>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [full, text] of Object.entries(config)) {
    const at = full.indexOf(":");
    if (full.slice(0, at) !== CONFIG_NAMESPACE) continue;
    const name = full.slice(at + 1);
    const trimmed = typeof text === "string" ? text.trim() : text;
    if (typeof trimmed === "string" && (trimmed.startsWith("{") || trimmed.startsWith("[")))
      try {
        values[name] = JSON.parse(trimmed);
        continue;
      } catch {
        // Not JSON after all: the schema reports the text as it is.
      }
    values[name] = text;
  }
  return values;
}

/** A config path as users write it in `pulumi config --path`: `hybridnet:vpn.sites.dc1.prefixes[0]`. */
export function configPath(path: readonly PropertyKey[]): string {
  let text = "";
  path.forEach((part, i) => {
    if (i === 0) text = `${CONFIG_NAMESPACE}:${String(part)}`;
    else if (typeof part === "number") text += `[${part}]`;
    else text += `.${String(part)}`;
  });
  return text || `${CONFIG_NAMESPACE}:`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = data;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/**
 * Problems in the user's terms for zod's issues on `data`; `schema` (the one that raised them) names the
 * settings allowed where a key is unknown.
 */
/**
 * Setting names that hold a secret (a pre-shared key, a BGP key, a password): a value under such a name is
 * refused from plaintext stack config, and its error shows `[secret]`, never the value.
 */
const SECRET_NAME = /(preshared|psk|authkey|password|secret)/i;

/** `name` (the last part of a config path) names a secret. */
export function isSecretSettingName(name: PropertyKey): boolean {
  return SECRET_NAME.test(String(name));
}

/** `value` holds a setting named as a secret at any depth (a list of tunnels with a pre-shared key in one). */
function holdsSecret(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  return Object.entries(value).some(([k, v]) => isSecretSettingName(k) || holdsSecret(v));
}

export function problemsFromIssues(
  data: unknown,
  issues: readonly z.core.$ZodIssue[],
  schema?: z.ZodType,
): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path;
    if (issue.code === "unrecognized_keys") {
      const parent = valueAt(data, path);
      const allowed = schema ? allowedKeysAt(schema, path) : undefined;
      for (const name of issue.keys)
        problems.push({
          path: configPath([...path, name]),
          value: (parent as Record<string, unknown> | undefined)?.[name],
          allowed: `not a setting here${allowed ? `; the settings here are ${allowed}` : ""}`,
          // A key in plaintext config is refused, and must not be printed while being refused.
          ...(isSecretSettingName(name) ? { secret: true } : {}),
        });
      continue;
    }
    const value = valueAt(data, path);
    // A value that holds a secret (refused from plaintext config) is shown as [secret], never printed.
    const secret = holdsSecret(value) ? { secret: true } : {};
    if (issue.code === "invalid_union") {
      problems.push({ path: configPath(path), value, allowed: issue.message, ...secret });
      continue;
    }
    problems.push({ path: configPath(path), value, allowed: allowedFor(issue), ...secret });
  }
  return problems;
}

/** The keys `schema` allows at `path`, for an unknown-key message. */
function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string | undefined {
  let shape: z.ZodType | undefined = schema;
  for (const part of path) {
    const inner = unwrapped(shape);
    if (inner instanceof z.ZodObject) shape = (inner.shape as Record<string, z.ZodType>)[String(part)];
    else if (inner instanceof z.ZodRecord) shape = inner.valueType as z.ZodType;
    else return undefined;
  }
  const inner = unwrapped(shape);
  if (!(inner instanceof z.ZodObject)) return undefined;
  return Object.keys(inner.shape)
    .map((k) => (path.length === 0 ? `${CONFIG_NAMESPACE}:${k}` : k))
    .join(", ");
}

function unwrapped(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodPipe)
    current = current instanceof z.ZodOptional ? (current.unwrap() as z.ZodType) : (current.in as z.ZodType);
  return current;
}

function allowedFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.message && !issue.message.startsWith("Invalid input")) return issue.message;
      return issue.input === undefined
        ? `required: ${article(issue.expected)}`
        : `${article(issue.expected)}, not ${describe(issue.input)}`;
    case "invalid_value":
      if (issue.message && !issue.message.startsWith("Invalid")) return issue.message;
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
    case "too_big":
      if (issue.message && !issue.message.startsWith("Too ")) return issue.message;
      return issue.code === "too_small"
        ? `at least ${String(issue.minimum)}${issue.origin === "array" ? " entries" : ""}`
        : `at most ${String(issue.maximum)}${issue.origin === "array" ? " entries" : ""}`;
    case "invalid_format":
      return issue.message && !issue.message.startsWith("Invalid") ? issue.message : `a ${issue.format}`;
    case "invalid_key":
      return RESOURCE_KEY_RULE;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  const words: Record<string, string> = {
    string: "a string",
    number: "a number",
    int: "an integer",
    boolean: "true or false",
    object: "a map of settings",
    array: "a list",
    record: "a map keyed by name",
  };
  return words[expected] ?? expected;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a map" : `a ${typeof value}`;
}

// ---------------------------------------------------------------------------------------------------
// Rules across fields (after the shape is right)

function segmentKnown(problems: Problems, path: string, segment: string, segments: string[]): void {
  if (!segments.includes(segment))
    problems.add(
      path,
      segment,
      `not a segment of the hub; use one of ${segments.map((s) => JSON.stringify(s)).join(", ")}`,
    );
}

/** Zone ids of the stack's Region (`use1-az1` is a zone of us-east-1); a malformed id is checkVpcLayout's to report. */
function zonesInRegion(problems: Problems, path: string, zones: string[], region: string): void {
  zones.forEach((zone, i) => {
    if (!isZoneId(zone)) return;
    const problem = zoneIdProblem(zone, region);
    if (problem) problems.add(`${path}[${i}]`, zone, `${problem} (the stack's region, hybridnet:aws.region)`);
  });
}

function checkAccount(problems: Problems, account: { accountId: string; roleArn: string }): void {
  const roleAccount = roleArnAccount(account.roleArn);
  if (roleAccount !== account.accountId)
    problems.add(
      `${CONFIG_NAMESPACE}:aws.roleArn`,
      account.roleArn,
      `a role in the stack's account ${account.accountId} (hybridnet:aws.accountId); the provider refuses any other account`,
    );
}

function parseCidrs(values: readonly string[]): Cidr[] {
  return values.flatMap((v) => {
    const result = checkCidr(v);
    return "cidr" in result ? [result.cidr] : [];
  });
}

/**
 * The zones an intent names must exist in the environment's config: a misspelled site or segment would make
 * a deny intent pass vacuously.
 */
function intentZonesKnown(problems: Problems, c: ConnectivityConfig): void {
  const known: Record<string, string[]> = {
    site: [
      ...new Set([
        ...Object.keys(c.vpn.sites),
        ...Object.keys(c.directConnect?.sites ?? {}),
        ...Object.keys(c.branches?.sites ?? {}),
      ]),
    ].sort(),
    segment: Object.keys(c.hub.segments).sort(),
    workload: Object.keys(c.workloads).sort(),
    clients: c.clientVpn ? ["staff"] : [],
    service: [...Object.keys(c.workloads), "onprem"].sort(),
  };
  for (const [key, intent] of Object.entries(c.intents ?? {}))
    for (const end of ["from", "to"] as const) {
      const [kind, ...rest] = intent[end].split(":");
      const names = known[kind];
      const name = rest.join(":");
      if (names && !names.includes(name))
        problems.add(
          `${CONFIG_NAMESPACE}:intents.${key}.${end}`,
          intent[end],
          names.length > 0
            ? `a ${kind} of this environment: ${names.map((n) => `${kind}:${n}`).join(", ")}`
            : `this environment has no ${kind}`,
        );
    }
}

function connectivityRules(problems: Problems, c: ConnectivityConfig): void {
  const ns = CONFIG_NAMESPACE;
  checkAccount(problems, c.aws);
  const resolved = resolveSegments(problems, c.hub.segments, `${ns}:hub.segments`);
  const segments = Object.keys(resolved).length > 0 ? Object.keys(c.hub.segments) : [];
  if (segments.length > 0) {
    segmentKnown(problems, `${ns}:vpc.segment`, c.vpc.segment, segments);
    segmentKnown(problems, `${ns}:vpn.segment`, c.vpn.segment, segments);
  }
  checkVpcLayout(problems, `${ns}:vpc`, c.vpc);
  zonesInRegion(problems, `${ns}:vpc.availabilityZones`, c.vpc.availabilityZones, c.aws.region);
  intentZonesKnown(problems, c);
  regionRules(problems, c);
  directConnectRules(problems, c);
  clientVpnRules(problems, c);

  // On-premises networks: the data centers', the branches' and the Client VPN's never overlap the hub VPC,
  // and the data centers' and branches' never overlap each other (one routing domain).
  const hubVpc = parseCidrs([c.vpc.cidr])[0];
  const onPrem: { name: string; cidr: Cidr }[] = [];
  const sources: [string, Record<string, { prefixes: string[] }> | undefined][] = [
    ["vpn.sites", c.vpn.sites],
    ["branches.sites", c.branches?.sites],
    // Direct Connect-only sites (gateway "vgw"); a "tgw" site is a data center of vpn.sites again.
    ["directConnect.sites", c.directConnect?.gateway === "vgw" ? c.directConnect.sites : undefined],
  ];
  for (const [path, sites] of sources)
    for (const [site, spec] of Object.entries(sites ?? {}))
      spec.prefixes.forEach((p, i) => {
        const [cidr] = parseCidrs([p]);
        if (cidr) onPrem.push({ name: `${ns}:${path}.${site}.prefixes[${i}]`, cidr });
      });
  for (const network of onPrem)
    if (hubVpc && cidrsOverlap(network.cidr, hubVpc))
      problems.add(
        network.name,
        network.cidr.text,
        `overlaps the connectivity VPC ${hubVpc.text} (hybridnet:vpc.cidr); on-premises networks are routed to it`,
      );
  // Across sites, branches and Direct Connect-only sites, an overlap is a routing conflict (a "tgw" Direct
  // Connect site is a vpn.sites data center again, announcing its own prefixes: it is not listed here).
  for (const { a, b } of findOverlaps(onPrem))
    if (a.name.split(".prefixes")[0] !== b.name.split(".prefixes")[0])
      problems.add(
        b.name,
        b.cidr.text,
        `overlaps ${a.name} (${a.cidr.text}); on-premises networks are one routing domain`,
      );
  if (c.clientVpn) {
    const [client] = parseCidrs([c.clientVpn.clientCidr]);
    if (client && hubVpc && cidrsOverlap(client, hubVpc))
      problems.add(
        `${ns}:clientVpn.clientCidr`,
        c.clientVpn.clientCidr,
        `overlaps the connectivity VPC ${hubVpc.text}; clients need addresses of their own`,
      );
  }

  const amazonAsn = c.hub.amazonSideAsn ?? 64512;
  for (const [site, spec] of Object.entries(c.vpn.sites))
    if (spec.bgpAsn === amazonAsn)
      problems.add(
        `${ns}:vpn.sites.${site}.bgpAsn`,
        spec.bgpAsn,
        `equals the transit gateway's ASN ${amazonAsn} (hybridnet:hub.amazonSideAsn); a BGP session needs two different ASNs`,
      );
  if (c.directConnect) {
    const dx = c.directConnect;
    const onTgw = (dx.gateway ?? "tgw") === "tgw";
    if (onTgw && dx.amazonSideAsn === amazonAsn)
      problems.add(
        `${ns}:directConnect.amazonSideAsn`,
        dx.amazonSideAsn,
        `equals the transit gateway's ASN ${amazonAsn}; AWS refuses to associate gateways with one ASN`,
      );
    if (dx.routerAsn === dx.amazonSideAsn)
      problems.add(
        `${ns}:directConnect.routerAsn`,
        dx.routerAsn,
        "equals the Direct Connect gateway's ASN; a BGP session needs two different ASNs",
      );
    if (onTgw && !c.hub.transitGatewayCidrBlocks?.length)
      problems.add(
        `${ns}:hub.transitGatewayCidrBlocks`,
        undefined,
        "a /24 (or larger) block for the private IP VPN over Direct Connect: AWS takes its outside addresses there",
      );
    if (Object.keys(dx.connections).length === 0)
      problems.add(
        `${ns}:directConnect.connections`,
        dx.connections,
        "at least one Direct Connect connection",
      );
    for (const site of Object.keys(dx.sites))
      if (onTgw && !(site in c.vpn.sites))
        problems.add(
          `${ns}:directConnect.sites.${site}`,
          site,
          `a data center of hybridnet:vpn.sites (${Object.keys(c.vpn.sites).join(", ")}): Direct Connect is its primary path, the internet VPN its backup`,
        );
  }
  if (c.branches && Object.keys(c.branches.sites).length === 0)
    problems.add(
      `${ns}:branches.sites`,
      c.branches.sites,
      "at least one branch site (or leave hybridnet:branches out)",
    );
  if (Object.keys(c.workloads).length === 0)
    problems.add(`${ns}:workloads`, c.workloads, "at least one workload account of the environment");
  for (const [workload, spec] of Object.entries(c.workloads))
    if (spec.accountId === c.aws.accountId)
      problems.add(
        `${ns}:workloads.${workload}.accountId`,
        spec.accountId,
        "a workload account, not the network account itself (hybridnet:aws.accountId)",
      );
}

/** hybridnet:hub.regions: real Regions other than the hub's, each transit gateway with an ASN of its own. */
function regionRules(problems: Problems, c: ConnectivityConfig): void {
  const ns = CONFIG_NAMESPACE;
  const asns = new Map<number, string>([[c.hub.amazonSideAsn ?? 64512, `${ns}:hub.amazonSideAsn`]]);
  if ((c.directConnect?.gateway ?? "tgw") === "tgw" && c.directConnect)
    asns.set(c.directConnect.amazonSideAsn, `${ns}:directConnect.amazonSideAsn`);
  for (const [region, spec] of Object.entries(c.hub.regions ?? {})) {
    const at = `${ns}:hub.regions.${region}`;
    const bad = regionProblem(region);
    if (bad) problems.add(at, region, `a key that is a Region code: ${bad}`);
    else if (region === c.aws.region)
      problems.add(
        at,
        region,
        `a Region other than the hub's own (${c.aws.region}, hybridnet:aws.region): the hub is already there`,
      );
    const taken = asns.get(spec.amazonSideAsn);
    if (taken)
      problems.add(
        `${at}.amazonSideAsn`,
        spec.amazonSideAsn,
        `an ASN no other gateway of the environment has (${taken} has it): AWS wants a unique ASN on each peered transit gateway`,
      );
    else asns.set(spec.amazonSideAsn, `${at}.amazonSideAsn`);
  }
  const regions = [c.aws.region, ...Object.keys(c.hub.regions ?? {})];
  for (const [workload, spec] of Object.entries(c.workloads))
    if (spec.region !== undefined && !regions.includes(spec.region))
      problems.add(
        `${ns}:workloads.${workload}.region`,
        spec.region,
        `a Region with a transit gateway of this environment: ${regions.join(", ")} (hybridnet:aws.region or a key of hybridnet:hub.regions)`,
      );
}

/**
 * hybridnet:directConnect as "tgw" (sites are data centers of hybridnet:vpn.sites, reached by a private IP VPN
 * over transit VIFs) or "vgw" (Direct Connect-only sites behind private VIFs: no VPN, so no VPN settings), and
 * the public VIFs: a VLAN is unique per connection, across every VIF on it (AWS).
 */
function directConnectRules(problems: Problems, c: ConnectivityConfig): void {
  const dx = c.directConnect;
  if (!dx) return;
  const at = `${CONFIG_NAMESPACE}:directConnect`;
  const onTgw = (dx.gateway ?? "tgw") === "tgw";
  if (onTgw && dx.vpnGatewayAsn !== undefined)
    problems.add(
      `${at}.vpnGatewayAsn`,
      dx.vpnGatewayAsn,
      'only with gateway "vgw": a transit gateway association has no virtual private gateway',
    );
  for (const [site, spec] of Object.entries(dx.sites)) {
    const vpnOnly = ["ipAddress", "bgpAsn", "tunnelOptions", "tunnels"] as const;
    for (const field of vpnOnly) {
      const value = spec[field];
      if (onTgw && (field === "ipAddress" || field === "bgpAsn") && value === undefined)
        problems.add(
          `${at}.sites.${site}.${field}`,
          undefined,
          field === "ipAddress"
            ? "required: the private address of the site's VPN device, reached over the transit VIFs"
            : "required: the BGP ASN of the site's VPN device",
        );
      if (!onTgw && value !== undefined)
        problems.add(
          `${at}.sites.${site}.${field}`,
          value,
          'only with gateway "tgw" (a private IP VPN over Direct Connect); a "vgw" site peers over its private VIF with hybridnet:directConnect.routerAsn and has no VPN',
        );
    }
  }
  const vlans = new Map<string, string>();
  const vifs = [
    ...Object.entries(dx.connections).map(([k, v]) => [`${at}.connections.${k}`, v] as const),
    ...Object.entries(dx.publicVifs?.connections ?? {}).map(
      ([k, v]) => [`${at}.publicVifs.connections.${k}`, v] as const,
    ),
  ];
  for (const [path, vif] of vifs) {
    const slot = `${vif.connectionId}/${vif.vlan}`;
    const other = vlans.get(slot);
    if (other)
      problems.add(
        `${path}.vlan`,
        vif.vlan,
        `a VLAN not used on ${vif.connectionId} (${other} has it): a VLAN is unique per connection (AWS)`,
      );
    else vlans.set(slot, path);
  }
}

/** Client VPN: mutual TLS or SAML, exactly one; the SAML-only settings only with SAML. */
function clientVpnRules(problems: Problems, c: ConnectivityConfig): void {
  const v = c.clientVpn;
  if (!v) return;
  const at = `${CONFIG_NAMESPACE}:clientVpn`;
  if ((v.clientRootCertificateChainArn === undefined) === (v.samlProviderArn === undefined))
    problems.add(
      at,
      v.clientRootCertificateChainArn === undefined ? "neither" : "both",
      "exactly one of clientRootCertificateChainArn (mutual TLS) and samlProviderArn (SAML 2.0 federation)",
    );
  if (v.samlProviderArn === undefined) {
    const samlOnly = {
      selfServiceSamlProviderArn: v.selfServiceSamlProviderArn,
      selfServicePortal: v.selfServicePortal,
    };
    for (const [field, value] of Object.entries(samlOnly))
      if (value !== undefined && value !== false)
        problems.add(
          `${at}.${field}`,
          value,
          "only with samlProviderArn: the self-service portal signs users in through SAML",
        );
    for (const [key, rule] of Object.entries(v.authorizationRules ?? {}))
      if (rule.groupId !== undefined)
        problems.add(
          `${at}.authorizationRules.${key}.groupId`,
          rule.groupId,
          "only with samlProviderArn: mutual TLS has no groups; leave it out to authorize every user",
        );
  }
}

function workloadRules(problems: Problems, c: WorkloadConfig): void {
  const ns = CONFIG_NAMESPACE;
  checkAccount(problems, c.aws);
  checkVpcLayout(problems, `${ns}:vpc`, c.vpc);
  zonesInRegion(problems, `${ns}:vpc.availabilityZones`, c.vpc.availabilityZones, c.aws.region);
  if (c.attachment && roleArnAccount(c.attachment.hubRoleArn) === c.aws.accountId)
    problems.add(
      `${ns}:attachment.hubRoleArn`,
      c.attachment.hubRoleArn,
      "a role in the network account (the hub's owner accepts the attachment), not in this workload account",
    );
  const [vpcCidr] = parseCidrs([c.vpc.cidr]);
  for (const [target, spec] of Object.entries(c.service.targets ?? {})) {
    const [address] = parseCidrs([`${spec.ip}/32`]);
    if (address && vpcCidr && !cidrContains(vpcCidr, address))
      problems.add(
        `${ns}:service.targets.${target}.ip`,
        spec.ip,
        `an address in the workload VPC ${vpcCidr.text}: the service's targets live there`,
      );
  }
}

// ---------------------------------------------------------------------------------------------------
// The entry point

/** Names and values of one stack's identity, or the problems its name has. */
export function stackIdentity(stack: string, organization?: string): StackIdentity | Problem {
  const match = STACK_NAME.exec(stack);
  if (!match) return { path: "stack name", value: stack, allowed: STACK_NAME_RULE };
  const [, account, workload, env] = match;
  return {
    stack,
    account,
    env,
    prod: isProdEnvironment(env),
    ...(workload ? { workload } : {}),
    organization: organization ?? DEFAULT_ORGANIZATION,
  };
}

/**
 * Validates the config map of stack `stack` (the CLI's form: `hybridnet:vpc` → JSON text) and returns its typed
 * settings. Throws one ValidationError naming the stack with every problem: config path, value, what is allowed.
 */
export function parseStackConfig(stack: string, config: Record<string, string>): StackSettings {
  const raw = namespaceValues(config);
  const problems: Problem[] = [];
  const organization = typeof raw.organization === "string" ? raw.organization : undefined;
  const identity = stackIdentity(stack, organization);
  if (!("stack" in identity)) problems.push(identity);

  const role = raw.role;
  const schema =
    role === "connectivity" ? connectivitySchema : role === "workload" ? workloadSchema : undefined;
  if (!schema) {
    const roleIssues = z.object({ role: common.role }).safeParse({ role }).error?.issues ?? [];
    problems.push(...problemsFromIssues(raw, roleIssues));
    throw new ValidationError(stack, problems);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...problemsFromIssues(raw, parsed.error.issues, schema));
    throw new ValidationError(stack, problems);
  }
  const rules = new Problems();
  if (parsed.data.role === "connectivity") connectivityRules(rules, parsed.data);
  else workloadRules(rules, parsed.data);
  if ("stack" in identity && identity.prod && parsed.data.role === "connectivity")
    checkProdAlarmActions(rules, `${CONFIG_NAMESPACE}:alarms.actions`, parsed.data.alarms?.actions);
  if ("stack" in identity) {
    const expected = parsed.data.role === "connectivity" ? "connectivity" : "workload-<key>";
    if ((parsed.data.role === "connectivity") !== (identity.account === "connectivity"))
      rules.add(
        `${CONFIG_NAMESPACE}:role`,
        parsed.data.role,
        `the role of a stack named ${identity.account}-<env> is ${identity.account === "connectivity" ? '"connectivity"' : '"workload"'}; a ${parsed.data.role} stack is named ${expected}-<env>`,
      );
  }
  try {
    rules.throwIfAny(stack);
  } catch (e) {
    problems.push(...(e as ValidationError).problems);
  }
  if (problems.length > 0) throw new ValidationError(stack, problems);
  const id = identity as StackIdentity;
  return parsed.data.role === "connectivity"
    ? { role: "connectivity", identity: id, config: parsed.data }
    : { role: "workload", identity: id, config: parsed.data };
}

export { isProdEnvironment };
