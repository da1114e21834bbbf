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
  DEFAULT_AMAZON_SIDE_ASN,
  findOverlaps,
  privateIpv4Problem,
  publicIpv4Problem,
  RFC1918_IPV4,
  tunnelInsideCidrProblem,
} from "./addressing";
import { checkProdAlarmActions, SNS_TOPIC_ARN, snsTopicArnProblem } from "./alarms";
import { ACM_CERTIFICATE_ARN, acmCertificateArnProblem, samlProviderArnProblem } from "./arns";
import { SESSION_TIMEOUT_HOURS, TRANSPORT_PROTOCOLS, VPN_PORTS } from "./clientVpn";
import {
  AMAZON_SIDE_ASN_SHAPE,
  CIDR_PATTERN,
  CUSTOMER_ASN_SHAPE,
  IPV4_ADDRESS_PATTERN,
  ipv4CidrPattern,
  PRIVATE_IPV4_ADDRESS_PATTERN,
  privateCidrPattern,
  VLAN_SHAPE,
  ZONE_REF_PATTERN,
} from "./configPatterns";
import { DeviceConfigFormat } from "./deviceConfig/site";
import { DX_ID_PATTERNS, dxIdProblem, isProdEnvironment, vlanProblem } from "./directConnect";
import { type Problem, Problems, ValidationError } from "./errors";
import { endpointPolicyProblem, GATEWAY_SERVICES } from "./gatewayEndpoints";
import {
  ACCOUNT_ID_PATTERN,
  accountIdProblem,
  ec2IdProblem,
  organizationIdProblem,
  REGION_PATTERN,
  regionProblem,
} from "./identifiers";
import { RESOURCE_KEY, RESOURCE_KEY_RULE } from "./names";
import { zoneRefProblem } from "./reachability/intents";
import { DEFAULT_INSTANCE_TYPE, INSTANCE_TYPE_RULE, instanceTypeProblem } from "./softwareVpn/appliance";
import { PeeringSide } from "./softwareVpn/peering";
import {
  DEFAULT_LISTEN_PORT,
  POOL_BLOCKS,
  WIREGUARD_KEY,
  wireguardKeyProblem,
} from "./softwareVpn/remoteAccess";
import { maxSpokes } from "./softwareVpn/transitVpc";
import { resolveSegments } from "./transitGateway";
import {
  DPD_TIMEOUT_ACTIONS,
  ENCRYPTION_ALGORITHMS,
  IKE_VERSIONS,
  INTEGRITY_ALGORITHMS,
  PHASE1_DH_GROUPS,
  PHASE2_DH_GROUPS,
  STARTUP_ACTIONS,
} from "./tunnelOptions";
import { checkVpcLayout, LAYOUT_VPC_PREFIX, LAYOUT_ZONES, publicZonesProblem } from "./vpcLayout";
import { isZoneId, ZONE_ID, zoneIdProblem } from "./zones";

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

/**
 * The JSON Schema shape of a ruled value for editors (schema/stack-config.schema.json): a pattern, and what is
 * allowed in words: `rule`, or what the model rule says of a value that fails it.
 */
function shape(pattern: string | RegExp, rule: string | ((value: unknown) => string | undefined)) {
  const words = typeof rule === "string" ? rule : rule("?");
  return {
    pattern: typeof pattern === "string" ? pattern : pattern.source,
    ...(words ? { patternErrorMessage: words } : {}),
  };
}
const RFC1918_WORDS = `in ${RFC1918_IPV4.join(", ")}`;

const key = z
  .string()
  .regex(RESOURCE_KEY, RESOURCE_KEY_RULE)
  .meta({ patternErrorMessage: RESOURCE_KEY_RULE });
const keyed = <T extends z.ZodType>(value: T) => z.record(key, value);
const accountId = ruled(accountIdProblem).meta(shape(ACCOUNT_ID_PATTERN, accountIdProblem));
const region = ruled(regionProblem).meta(shape(REGION_PATTERN, regionProblem));
const roleArn = ruled(roleArnProblem).meta(shape(ROLE_ARN, roleArnProblem));
const amazonAsn = ruledNumber(amazonSideAsnProblem).meta(AMAZON_SIDE_ASN_SHAPE);
const customerAsn = ruledNumber(customerAsnProblem).meta({
  ...CUSTOMER_ASN_SHAPE,
  description:
    "BGP ASN of the site's device: 1–4294967295, not one AWS reserves (7224, 9059, 10124, 17943) nor 23456 or 65535, and not the ASN of the AWS side.",
  examples: [65001],
});
const publicIp = ruled(publicIpv4Problem).meta(shape(IPV4_ADDRESS_PATTERN, "a public IPv4 address"));
const privateIp = ruled(privateIpv4Problem).meta(
  shape(PRIVATE_IPV4_ADDRESS_PATTERN, `a private (RFC 1918) IPv4 address, ${RFC1918_WORDS}`),
);
const onPremPrefix = ruled((v) => privateNetworkProblem(v, "an on-premises network")).meta(
  shape(privateCidrPattern(), `a private (RFC 1918) IPv4 CIDR, ${RFC1918_WORDS}`),
);
const port = z.int({ error: "a TCP port: an integer 1–65535" }).min(1).max(65535);
const certificateArn = ruled((v) =>
  typeof v === "string" ? acmCertificateArnProblem(v) : "an ACM ARN",
).meta(shape(ACM_CERTIFICATE_ARN, acmCertificateArnProblem));
const nonEmpty = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item, { error: `a list of ${what}` }).min(1, `at least one ${what}`);
/** A CIDR checked by checkCidr's `rules`, with the pattern an editor checks. */
function ruledCidr(rules: Parameters<typeof checkCidr>[1] & { version: 4 }, what: string) {
  const check = cidrRule(rules, what);
  const { minPrefix, maxPrefix } = rules;
  const sizes =
    minPrefix !== undefined && maxPrefix !== undefined
      ? `, /${minPrefix} to /${maxPrefix}`
      : maxPrefix !== undefined
        ? `, /${maxPrefix} or larger`
        : "";
  return ruled(check).meta(shape(ipv4CidrPattern(minPrefix, maxPrefix), `an IPv4 CIDR${sizes}`));
}
/** A map keyed by name that needs one entry at least (a rule zod checks in a refine or across fields). */
const atLeastOne = { minProperties: 1 };
/**
 * The EC2 instance types an appliance runs on, as an editor checks them (the rule is instanceTypeProblem's).
 * Defined before the schemas: the connectivity schema's transit VPC reads it as it is built.
 */
const INSTANCE_TYPE_PATTERN = "^[a-z]+\\d+[a-z]*(?:-flex)?\\.[a-z0-9-]+$";

/** The account a stack deploys into: the provider assumes `roleArn` in `region`. */
const awsAccount = z
  .strictObject({
    region: region.meta({
      description: "AWS Region of every resource of the stack.",
      examples: ["us-east-1"],
    }),
    accountId: accountId.meta({
      description:
        "Id of the account the stack deploys into: 12 digits, quoted so that YAML keeps leading zeros.",
      examples: ["111122223333"],
    }),
    roleArn: roleArn.meta({
      description:
        "IAM role in `accountId` that the stack's AWS provider assumes to deploy (the stacks use no default provider).",
      examples: ["arn:aws:iam::111122223333:role/hybridnet-deploy"],
    }),
  })
  .meta({
    description:
      "The AWS account and Region the stack deploys into: its AWS provider assumes `roleArn` in `region`.",
  });

const vpcCidrRule = (v: unknown) => privateNetworkProblem(v, "a VPC CIDR");
const vpc = {
  cidr: ruled(vpcCidrRule).meta({
    ...shape(
      privateCidrPattern(LAYOUT_VPC_PREFIX.min, LAYOUT_VPC_PREFIX.max),
      `a private (RFC 1918) IPv4 CIDR, /${LAYOUT_VPC_PREFIX.min} to /${LAYOUT_VPC_PREFIX.max}`,
    ),
    description:
      "IPv4 CIDR of the VPC: a private (RFC 1918) /16 to /24. Each zone gets a quarter of it for its private subnet; the transit gateway attachment's /28s come from the fourth quarter.",
    examples: ["10.10.0.0/20"],
  }),
  /** Zone ids (`use1-az1`), not names: names map to different zones in each account (checked in checkVpcLayout). */
  availabilityZones: z
    .array(z.string().meta(shape(ZONE_ID, (v) => zoneIdProblem(v))), {
      error: 'a list of 2 or 3 Availability Zone ids such as ["use1-az1", "use1-az2"]',
    })
    .meta({
      minItems: LAYOUT_ZONES.min,
      maxItems: LAYOUT_ZONES.max,
      uniqueItems: true,
      description:
        "2 or 3 Availability Zone ids of the stack's Region, each once: ids (use1-az1), not names (us-east-1a), because a name is a different zone in each account and PrivateLink pairs zones by id.",
      examples: [["use1-az1", "use1-az2"]],
    }),
};

const siteDescriptions = {
  ipAddress:
    "Static public IPv4 address of the site's VPN device (its customer gateway): not a private, shared or reserved address.",
  prefixes:
    "The site's on-premises networks, announced over BGP: private (RFC 1918) IPv4 CIDRs, at least one; none may overlap the connectivity VPC or another site's.",
};

/** A zod type with the description and examples the JSON Schema and docs/config.md show for it. */
function described<T extends z.ZodType>(type: T, description: string, examples: unknown[]): T {
  return type.meta({ description, examples }) as T;
}

/** An option list of one of `values`, as the tunnel options take them. */
const oneOf = <const T extends readonly string[]>(values: T) =>
  z.enum(values, { error: `one of ${values.map((v) => JSON.stringify(v)).join(", ")}` });
const seconds = (what: string) => z.int({ error: `${what} in seconds: an integer` });

/**
 * IPsec options of both tunnels of a site's VPN connections (model/tunnelOptions): AWS's ranges are checked by
 * the VPN components' own plan, at the same config path. Unset options keep the secure defaults.
 */
const tunnelOptions = tunnelOptionsSetting();

/** Tunnel options of a site: the `tunnelOptions` setting. */
function tunnelOptionsSetting() {
  return described(
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
        oneOf(DPD_TIMEOUT_ACTIONS).optional(),
        "What AWS does when DPD times out. Default restart.",
        ["restart"],
      ),
      startupAction: described(
        oneOf(STARTUP_ACTIONS).optional(),
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
}

/**
 * Tunnel 1 and tunnel 2 of the site's connection. Only the inside CIDR: pre-shared keys are generated and kept
 * as secrets in the stack's state, never in plaintext config.
 */
const tunnels = described(
  z
    .array(
      z
        .strictObject({
          insideCidr: described(
            z.string().optional(),
            "Inside CIDR of the tunnel: a /30 in 169.254.0.0/16 outside the AWS-reserved blocks, unique per gateway. Default allocated once and kept. Changing it replaces the VPN connection (new outside addresses).",
            ["169.254.10.0/30"],
          ),
        })
        .meta({ description: "One tunnel's settings: tunnel 1 first, then tunnel 2." }),
      { error: "a list of at most two tunnels: [{ insideCidr }]" },
    )
    .max(2, "at most two tunnels: a VPN connection has exactly two")
    .optional(),
  "Settings of tunnel 1 and tunnel 2 (at most two entries): pin an inside CIDR on purpose.",
  [[{ insideCidr: "169.254.10.0/30" }, { insideCidr: "169.254.10.4/30" }]],
);

/** A site reached over the internet: a public customer gateway address and BGP. */
const vpnSite = vpnSiteSetting();

/** One data center or branch site: an entry of `vpn.sites` and `branches.sites`. */
function vpnSiteSetting() {
  return z.strictObject({
    ipAddress: publicIp.meta({ description: siteDescriptions.ipAddress, examples: ["203.0.113.10"] }),
    bgpAsn: customerAsn,
    prefixes: nonEmpty(onPremPrefix, "on-premises CIDR").meta({
      description: siteDescriptions.prefixes,
      examples: [["172.16.0.0/16"]],
    }),
    bandwidthGbps: z
      .number()
      .positive("a bandwidth in Gbps above 0")
      .optional()
      .meta({
        description:
          "Bandwidth the site needs, in Gbps: the transit gateway gets enough VPN connections for it, with ECMP across their tunnels (1.25 Gbps each) and one tunnel spare; an alarm fires when the tunnels carry less. Default: one VPN connection.",
        examples: [2],
      }),
    accelerated: z
      .boolean()
      .optional()
      .meta({
        description: "Accelerated VPN: the tunnels enter AWS through Global Accelerator. Default false.",
        default: false,
        examples: [true],
      }),
    deviceName: z
      .string()
      .max(255)
      .optional()
      .meta({
        description:
          "Name of the site's VPN device, recorded as the customer gateway's hybridnet:device tag (at most 255 characters). Default none.",
        examples: ["dc1-edge-1"],
      }),
    tunnelOptions: tunnelOptions.optional(),
    tunnels,
    device: deviceSetting(),
  });
}

/**
 * The `device` setting of a VPN site: the format of its on-premises device's configuration, which `hybridnet
 * device-config` renders when `--format` is not given and `hybridnet plan --out DIR` writes to
 * `DIR/device-config/<stack>/`.
 */
export function deviceSetting() {
  const formats = Object.values(DeviceConfigFormat);
  return z
    .strictObject({
      format: oneOf(formats).meta({
        description: `Configuration format of the site's device: ${formats.join(", ")} (strongSwan + FRR, Cisco IOS-XE, Juniper SRX).`,
        examples: ["cisco-ios-xe"],
      }),
    })
    .optional()
    .meta({
      description:
        "The site's on-premises device: its configuration format, the default of hybridnet device-config --format, and hybridnet plan --out DIR writes the configuration to DIR/device-config/<stack>/<site>.<ext> (pre-shared keys as placeholders). Default none.",
      examples: [{ format: "strongswan" }],
    });
}

/** A transit gateway in another Region, peered with the hub (hybridnet:hub.regions.<region>). */
const regionalHub = z
  .strictObject({
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
  })
  .meta({ description: "The transit gateway of one further Region: its ASN and CIDR blocks." });

/** A Direct Connect connection (or LAG) that gets one VIF. */
const dxConnection = z.strictObject({
  connectionId: ruled((v) => dxIdProblem("connection", v)).meta({
    ...shape(DX_ID_PATTERNS.connection, "a connection id (dxcon-…) or LAG id (dxlag-…)"),
    description: "Id of the Direct Connect connection (dxcon-…) or LAG (dxlag-…).",
    examples: ["dxcon-ffa1b2c3"],
  }),
  location: z
    .string()
    .min(1, "a Direct Connect location code such as EqDC2")
    .meta({
      description:
        "Direct Connect location code of the connection (EqDC2): the resiliency of the connections is judged by location and device.",
      examples: ["EqDC2"],
    }),
  device: z
    .string()
    .optional()
    .meta({
      description:
        "AWS device the connection ends on (its awsLogicalDeviceId): two connections at one location count as separate devices only when both are given and differ. Default unknown.",
      examples: ["EqDC2-123h49s71dabc"],
    }),
  vlan: ruledNumber(vlanProblem).meta({
    ...VLAN_SHAPE,
    description: "802.1Q VLAN of the virtual interface on this connection: 1–4094, unique on the connection.",
    examples: [101],
  }),
});

/** The public VIFs: AWS public endpoints (S3, VPN endpoints) over Direct Connect, peering on public addresses. */
const publicVifs = publicVifsSetting();

/** Public VIFs on the Direct Connect connections: the `directConnect.publicVifs` setting. */
function publicVifsSetting() {
  return z.strictObject({
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
        dxConnection
          .extend({
            amazonAddress: described(
              z.string(),
              "Amazon end of the BGP session, a public /30 or /31 you own with its prefix length.",
              ["198.51.100.1/30"],
            ),
            customerAddress: described(
              z.string(),
              "Your router's end of the BGP session, in the same subnet.",
              ["198.51.100.2/30"],
            ),
          })
          .meta({
            description: "One connection and its public VIF: connection, VLAN and the public peer addresses.",
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
}

/** Client VPN users authorized to a network, by IdP group (SAML) or every user. */
const clientVpnRule = z
  .strictObject({
    destination: described(z.string(), "IPv4 CIDR the rule opens.", ["10.40.0.0/20"]),
    groupId: described(
      z.string().optional(),
      "IdP group (SAML only) the rule is for, at most 255 characters. Default every authenticated user.",
      ["network-engineers"],
    ),
    description: described(z.string().optional(), "Description of the rule.", ["shared services"]),
  })
  .meta({ description: "One authorization rule: a destination network, for one IdP group or every user." });

/** The common keys of both roles. */
const common = {
  role: z.enum(ROLES, { error: `one of ${ROLES.map((r) => `"${r}"`).join(", ")}` }).meta({
    description:
      "What the stack deploys: connectivity (the environment's network account: hub, VPN, Direct Connect, Client VPN, PrivateLink) or workload (one workload account: its VPC and PrivateLink service). A connectivity stack is named connectivity-<env>, a workload stack workload-<key>-<env>.",
    examples: ["connectivity"],
  }),
  organization: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "a Pulumi organization name (letters, digits, '-', '_', '.')")
    .optional()
    .meta({
      description:
        "Pulumi organization of the stacks, in the names StackReferences resolve (<organization>/hybridnet/<stack>). Default: organization, the name the DIY (self-managed) backend uses; with Pulumi Cloud, your organization's name.",
      default: DEFAULT_ORGANIZATION,
      examples: ["acme-network"],
    }),
  aws: awsAccount,
};

const segmentRef = (description: string, example: string) =>
  z.string().meta({ description, examples: [example] });
const snsTopics = (description: string, example: string) =>
  z
    .array(ruled(snsTopicArnProblem).meta(shape(SNS_TOPIC_ARN, snsTopicArnProblem)), {
      error: "a list of SNS topic ARNs",
    })
    .optional()
    .meta({ description, examples: [[example]] });
/** Who is told when the network breaks (`hybridnet:alarms`, both roles). */
const alarms = z.strictObject({
  actions: snsTopics(
    "SNS topic ARNs paged when a VPN connection is down (both tunnels), a site's tunnels carry less than its bandwidthGbps, or a Direct Connect connection or BGP session is down. Required in production (an environment named prod…). Default none.",
    "arn:aws:sns:us-east-1:444455556666:network-oncall",
  ),
  warningActions: snsTopics(
    "SNS topic ARNs told when one tunnel is down (AWS maintenance takes one down routinely). Default none.",
    "arn:aws:sns:us-east-1:444455556666:network-warnings",
  ),
});
const sitesDescription = (kind: "data center" | "branch") =>
  `The ${kind === "branch" ? "branches" : "data centers"}, keyed by name (it names the site's customer gateway and VPN connection). At least one.`;
/**
 * `hybridnet:gatewayEndpoints`: gateway endpoints for Amazon S3 and/or DynamoDB in the stack's VPC, under an
 * endpoint policy restricted to the stack's account unless the config names an organization or accounts.
 */
export const gatewayEndpointsConfig = gatewayEndpointsSetting();

/** S3 and DynamoDB gateway endpoints: the `gatewayEndpoints` setting of both roles. */
function gatewayEndpointsSetting() {
  return z
    .strictObject({
      services: z
        .array(
          z.enum(GATEWAY_SERVICES, {
            error: 'one of "s3", "dynamodb": the only services with gateway endpoints',
          }),
          {
            error: 'a list of services: "s3", "dynamodb"',
          },
        )
        .min(1, 'at least one of "s3", "dynamodb"')
        .meta({
          description:
            "The services that get a gateway endpoint: S3 and DynamoDB are the only services with gateway endpoints (every other service needs an interface endpoint). Gateway endpoints cost nothing; AWS allows 20 per Region by default (adjustable).",
          examples: [["s3"], ["s3", "dynamodb"]],
        }),
      allowedPrincipalOrgId: ruled(organizationIdProblem)
        .optional()
        .meta({
          description:
            "Only principals of this AWS Organizations organization may use the endpoints (a generated policy with the aws:PrincipalOrgID condition). Default: the stack's own account only, unless allowedAccountIds or policy is given.",
          examples: ["o-a1b2c3d4e5"],
        }),
      allowedAccountIds: z
        .array(accountId, { error: "a list of 12-digit account ids" })
        .min(1, "at least one 12-digit account id, or leave it out")
        .optional()
        .meta({
          description:
            "Only principals of these accounts may use the endpoints (a generated policy with the aws:PrincipalAccount condition); with allowedPrincipalOrgId too, a principal of either may. Default: the stack's own account (hybridnet:aws.accountId), unless allowedPrincipalOrgId or policy is given.",
          examples: [["555566667777", "666677778888"]],
        }),
      policy: ruled((v) =>
        typeof v === "string" ? endpointPolicyProblem(v) : "an endpoint policy document as JSON text",
      )
        .optional()
        .meta({
          description:
            "A whole endpoint policy document (JSON text, at most 20,480 characters) for every endpoint, instead of the generated one: for example to also allow AWS-owned buckets (Amazon Linux repositories, ECR image layers). Not together with allowedPrincipalOrgId or allowedAccountIds.",
          examples: [
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}]}',
          ],
        }),
      routeTables: z
        .array(z.string(), { error: 'a list of route table keys such as ["private-use1-az1"]' })
        .min(1, "at least one route table, or leave it out for every private route table")
        .optional()
        .meta({
          description:
            "The route tables AWS adds the endpoints' prefix-list routes to, by subnet key: private-<zone id> (one per zone of hybridnet:vpc.availabilityZones). Only traffic from subnets using these route tables reaches the endpoints. Default: every private route table of the VPC.",
          examples: [["private-use1-az1", "private-use1-az2"]],
        }),
    })
    .meta({
      description:
        "Gateway VPC endpoints for Amazon S3 and DynamoDB in this stack's VPC. They serve only traffic that starts in this VPC, in its Region: peered VPCs, transit gateway attachments and on-premises networks cannot use them.",
      examples: [{ services: ["s3"], allowedPrincipalOrgId: "o-a1b2c3d4e5" }],
    });
}
export type GatewayEndpointsConfig = z.infer<typeof gatewayEndpointsConfig>;

/** `connectivity`: the network account of one environment. */
/** The `hub` setting of a connectivity stack. */
function hubSetting() {
  return z
    .strictObject({
      amazonSideAsn: amazonAsn.optional().meta({
        description:
          "BGP ASN of the transit gateway, the AWS side of every VPN and Direct Connect session: a private ASN, 64512–65534 or 4200000000–4294967294. Default 64512.",
        default: DEFAULT_AMAZON_SIDE_ASN,
        examples: [64512],
      }),
      segments: keyed(
        z
          .strictObject({
            isolated: z
              .boolean()
              .optional()
              .meta({
                description:
                  "The segment's attachments do not reach each other; they still reach, and are reached from, the segments in reaches. Default false.",
                default: false,
                examples: [true],
              }),
            reaches: z
              .array(z.string())
              .optional()
              .meta({
                description:
                  "Segments this one exchanges routes with, both ways (B under A is the same as A under B); not the segment itself. Default none.",
                examples: [["shared"]],
              }),
            blackholes: z
              .array(z.string().meta(shape(CIDR_PATTERN, "an IPv4 or IPv6 CIDR")))
              .optional()
              .meta({
                description:
                  "CIDRs the segment's route table drops, one static blackhole route each (they count toward the 10,000 static routes of a transit gateway). Default none.",
                examples: [["10.99.0.0/16"]],
              }),
          })
          .meta({ description: "One segment: a route table of the transit gateway. {} for the defaults." }),
      ).meta({
        ...atLeastOne,
        description:
          "The hub's segments, keyed by name: one transit gateway route table each. An attachment associated with a segment reaches what that segment's table holds. At least one.",
        examples: [{ onprem: { isolated: true, reaches: ["shared"] }, shared: {} }],
      }),
      transitGatewayCidrBlocks: z
        .array(ruledCidr({ version: 4, maxPrefix: 24 }, "a transit gateway CIDR block, /24 or larger"))
        .optional()
        .meta({
          description:
            "IPv4 CIDR blocks of the transit gateway, /24 or larger: AWS takes the outside addresses of the private IP VPN over Direct Connect from them. Required with hybridnet:directConnect. Default none.",
          examples: [["10.255.0.0/24"]],
        }),
      regions: described(
        z.record(z.string(), regionalHub).optional(),
        "Transit gateways in other Regions, keyed by Region code: each has the hub's segments, is shared with the workload accounts of its Region, and is peered with the hub by transit gateway inter-Region peering (static routes only: AWS propagates nothing over a peering). Workloads of that Region (hybridnet:workloads.<key>.region) attach to it.",
        [{ "eu-central-1": { amazonSideAsn: 64521 } }],
      ),
    })
    .meta({
      description:
        "The environment's transit gateway: its ASN, its segments, its CIDR blocks and its peers in other Regions.",
    });
}

/** The `directConnect` setting of a connectivity stack. */
function directConnectSetting() {
  return z
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
      amazonSideAsn: amazonAsn.meta({
        description:
          "BGP ASN of the Direct Connect gateway: a private ASN, 64512–65534 or 4200000000–4294967294, not the transit gateway's.",
        examples: [64700],
      }),
      routerAsn: customerAsn.meta({
        description:
          "BGP ASN of your routers on the transit virtual interfaces: not one AWS reserves (7224, 9059, 10124, 17943), 23456 or 65535, and not the Direct Connect gateway's.",
        examples: [65010],
      }),
      allowedPrefixes: nonEmpty(ruledCidr({ version: 4 }, "an allowed prefix"), "allowed prefix").meta({
        maxItems: 200,
        description:
          "IPv4 prefixes the Direct Connect gateway advertises to the data centers over the transit VIFs, at most 200 (AWS). Usually only the transit gateway CIDR block, so that the VPC networks are learned inside the encrypted tunnels.",
        examples: [["10.255.0.0/24"]],
      }),
      connections: keyed(
        dxConnection.meta({
          description:
            "One connection or LAG: a virtual interface on it (transit with gateway tgw, private with vgw).",
        }),
      ).meta({
        ...atLeastOne,
        description:
          "Direct Connect connections (or LAGs) keyed by name, one virtual interface each (transit with gateway tgw, private with vgw). At least one.",
      }),
      sites: keyed(
        z
          .strictObject({
            ipAddress: privateIp.optional().meta({
              description:
                "gateway tgw (required there): private (RFC 1918) IPv4 address of the data center's VPN device, reached over Direct Connect. Not with vgw.",
              examples: ["172.16.0.1"],
            }),
            bgpAsn: customerAsn.optional().meta({
              description:
                "gateway tgw (required there): BGP ASN of the data center's VPN device on the private IP VPN. Not with vgw.",
              examples: [65001],
            }),
            prefixes: nonEmpty(onPremPrefix, "on-premises CIDR").meta({
              description: siteDescriptions.prefixes,
              examples: [["172.16.0.0/16"]],
            }),
            tunnelOptions: tunnelOptions.optional(),
            tunnels,
          })
          .meta({
            description:
              "One site reached over Direct Connect: with gateway tgw a data center of hybridnet:vpn.sites and its private IP VPN; with vgw a Direct Connect-only site and its networks.",
          }),
      ).meta({
        description:
          "The sites reached over Direct Connect, keyed by name. gateway tgw: data centers of hybridnet:vpn.sites reached by a private IP VPN (the internet VPN stays their backup path). gateway vgw: Direct Connect-only sites, reached over the private VIFs.",
      }),
      publicVifs: described(
        publicVifs.optional(),
        "Public VIFs to AWS public endpoints, one per listed connection. Default none.",
        [{ advertisedPrefixes: ["198.51.100.0/26"], connections: {} }],
      ),
    })
    .optional()
    .meta({
      description:
        "Direct Connect: a Direct Connect gateway associated with the transit gateway, a transit VIF on each connection, and an encrypted private IP VPN over them to each data center. Default none.",
    });
}

/** The `clientVpn` setting of a connectivity stack. */
function clientVpnSetting() {
  return z
    .strictObject({
      clientCidr: ruledCidr({ version: 4, minPrefix: 12, maxPrefix: 22 }, "a client CIDR, /12 to /22").meta({
        description:
          "IPv4 CIDR the clients' addresses come from: /12 to /22 (AWS), not overlapping the connectivity VPC.",
        examples: ["192.168.100.0/22"],
      }),
      serverCertificateArn: certificateArn.meta({
        description: "ACM ARN of the endpoint's server certificate.",
        examples: ["arn:aws:acm:us-east-1:111122223333:certificate/11111111-2222-3333-4444-555555555555"],
      }),
      clientRootCertificateChainArn: certificateArn.optional().meta({
        description:
          "ACM ARN of the root certificate chain that signs the client certificates (mutual TLS). Exactly one of this and samlProviderArn.",
        examples: ["arn:aws:acm:us-east-1:111122223333:certificate/66666666-7777-8888-9999-000000000000"],
      }),
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
          z
            .strictObject({
              destination: described(z.string(), "IPv4 CIDR routed through every associated subnet.", [
                "172.24.0.0/16",
              ]),
              description: described(z.string().optional(), "Description of the route.", ["lon1"]),
            })
            .meta({ description: "One route: a destination through every associated subnet." }),
        ).optional(),
        "Routes beyond the connectivity VPC's own (AWS adds that one), keyed by a stable name; each goes through every associated subnet, at most 100 per association (AWS default quota). Default none.",
        [{ lon1: { destination: "172.24.0.0/16", description: "the London office" } }],
      ),
      connectionLogs: described(
        z
          .strictObject({
            retentionInDays: z
              .int()
              .optional()
              .meta({
                description:
                  "Days CloudWatch Logs keeps the connection logs: a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653). Default 365.",
                examples: [400],
              }),
          })
          .optional(),
        "Connection logs in CloudWatch Logs (always on): retentionInDays, a CloudWatch Logs retention value. Default 365 days.",
        [{ retentionInDays: 400 }],
      ),
      description: described(
        z.string().max(255).optional(),
        "Description of the endpoint, at most 255 characters.",
        ["staging remote access"],
      ),
    })
    .optional()
    .meta({
      description:
        "AWS Client VPN for remote staff (mutual TLS or SAML): by default staff reach the endpoints to the workload services in the connectivity VPC, nothing else; authorizationRules and routes open more. Default none.",
    });
}

/** The `onPremService` setting of a connectivity stack. */
function onPremServiceSetting() {
  return z
    .strictObject({
      port: port.meta({
        description:
          "TCP port the service listens on, and the targets' port unless they set their own: 1–65535.",
        examples: [443],
      }),
      targets: keyed(
        z
          .strictObject({
            ip: privateIp.meta({
              description: "Private (RFC 1918) IPv4 address of the server in a data center.",
              examples: ["172.16.10.10"],
            }),
            port: port.optional().meta({
              description: "TCP port on this server, 1–65535. Default: the service's port.",
              examples: [8443],
            }),
          })
          .meta({ description: "One data center server behind the service." }),
      )
        .refine((t) => Object.keys(t).length > 0, "at least one on-premises target")
        .meta({
          ...atLeastOne,
          description: "Data center servers behind the service, keyed by name. At least one.",
        }),
    })
    .meta({
      description:
        "The reverse PrivateLink: a service in the connectivity VPC in front of data center servers, which workloads reach through an endpoint in their own VPC.",
    });
}

// ---------------------------------------------------------------------------------------------------
// hybridnet:transitVpc (connectivity): the transit VPC (TransitVpc) on the connectivity VPC.

/** An EC2 id of `prefix` (vpc, vgw, rtb): 8 or 17 hexadecimal digits. */
const ec2Id = (prefix: string) =>
  ruled((v) => (typeof v === "string" ? ec2IdProblem(prefix, v) : `a ${prefix} id`)).meta(
    shape(
      new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`),
      `a ${prefix} id: ${prefix}- and 8 or 17 hex digits`,
    ),
  );

/** One spoke VPC of the transit VPC (`hybridnet:transitVpc.spokes.<spoke>`). */
function transitVpcSpokeSetting() {
  return z
    .strictObject({
      cidrs: nonEmpty(
        ruled((v) => privateNetworkProblem(v, "a spoke VPC CIDR")),
        "spoke VPC CIDR",
      ).meta({
        description:
          "The spoke VPC's CIDRs: private (RFC 1918) IPv4, at least one, overlapping neither the connectivity VPC, another spoke, a workload VPC nor an on-premises network. The appliances learn them over BGP and pass them on to the other spokes.",
        examples: [["10.60.0.0/16"]],
      }),
      vpcId: ec2Id("vpc")
        .optional()
        .meta({
          description:
            "The spoke VPC: the stack creates its virtual private gateway and attaches it. Give this or vpnGatewayId.",
          examples: ["vpc-0a1b2c3d4e5f60718"],
        }),
      vpnGatewayId: ec2Id("vgw")
        .optional()
        .meta({
          description:
            "An existing virtual private gateway attached to the spoke VPC, with amazonSideAsn as its ASN. Give this or vpcId.",
          examples: ["vgw-0a1b2c3d4e5f60718"],
        }),
      routeTableIds: keyed(
        ec2Id("rtb").meta({
          description: "A route table of the spoke VPC, keyed by a stable name.",
          examples: ["rtb-0a1b2c3d4e5f60718"],
        }),
      )
        .optional()
        .meta({
          description:
            "With vpcId: the spoke's route tables, by a stable key, that learn the connectivity VPC's and the other spokes' CIDRs from the gateway (route propagation). Default none.",
          examples: [{ private: "rtb-0a1b2c3d4e5f60718" }],
        }),
      amazonSideAsn: amazonAsn.optional().meta({
        description:
          "BGP ASN of the spoke's virtual private gateway: 64512–65534 or 4200000000–4294967294, not the appliances'. Default 64512.",
        default: DEFAULT_AMAZON_SIDE_ASN,
        examples: [64601],
      }),
      roleArn: roleArn.optional().meta({
        description:
          "A role in the spoke's account, when it is not the network account: the stack assumes it to make the spoke's gateway, VPN connections, log group and alarms there. Spokes of one account and Region share two customer gateways there, so they give the same role. Default: the network account.",
        examples: ["arn:aws:iam::444455556666:role/hybridnet-transit"],
      }),
      region: described(
        region.optional(),
        "With roleArn: the spoke VPC's Region. Default the stack's (hybridnet:aws.region).",
        ["us-east-1"],
      ),
    })
    .meta({
      description: "One spoke VPC: its gateway connects to both appliance instances (two VPN connections).",
    });
}

/** `hybridnet:transitVpc`: the whitepaper's transit VPC, hubbed on the connectivity VPC. */
function transitVpcSetting() {
  return z
    .strictObject({
      appliance: softwareVpnApplianceSetting(),
      spokes: keyed(transitVpcSpokeSetting()).meta({
        ...atLeastOne,
        description: `The spoke VPCs, keyed by a stable name used in resource names: 1 to ${maxSpokes(1)} (the appliances' security group holds 12 rules per spoke of its 60 per direction).`,
      }),
    })
    .optional()
    .meta({
      description:
        "A transit VPC (TransitVpc) on the connectivity VPC: an HA pair of strongSwan + FRR appliances in its public subnets (added to the VPC's layout), and spoke VPCs whose virtual private gateways each connect to both appliances over AWS managed VPNs with BGP. Spokes reach each other and the connectivity VPC through the appliances; the connectivity VPC's private route tables send the spokes' CIDRs to the active appliance. Pre-shared keys are generated and kept as secret stack outputs. Default none.",
    });
}

export const connectivitySchema = z.strictObject({
  ...common,
  role: z.literal("connectivity").meta({ description: common.role.description, examples: ["connectivity"] }),
  hub: hubSetting(),
  vpc: z
    .strictObject({
      ...vpc,
      segment: segmentRef(
        "The hub segment the connectivity VPC's attachment joins: a key of hybridnet:hub.segments.",
        "shared",
      ),
    })
    .meta({
      description:
        "The connectivity VPC: the endpoints to the workload services, the Client VPN network and the reverse PrivateLink service live there.",
    }),
  vpn: z
    .strictObject({
      segment: segmentRef(
        "The hub segment the data centers' VPN attachments join: a key of hybridnet:hub.segments.",
        "onprem",
      ),
      sites: keyed(vpnSite.meta({ description: "One data center: its VPN device, ASN and networks." }))
        .refine((s) => Object.keys(s).length > 0, "at least one data center")
        .meta({ ...atLeastOne, description: sitesDescription("data center") }),
    })
    .meta({
      description:
        "Site-to-site VPN from the data centers to the transit gateway: two IPsec tunnels per VPN connection, BGP.",
    }),
  directConnect: directConnectSetting(),
  branches: z
    .strictObject({
      amazonSideAsn: amazonAsn.optional().meta({
        description:
          "BGP ASN of the CloudHub's virtual private gateway: a private ASN, 64512–65534 or 4200000000–4294967294. Default 64512.",
        default: DEFAULT_AMAZON_SIDE_ASN,
        examples: [65000],
      }),
      sites: keyed(
        vpnSite
          .omit({ bandwidthGbps: true, accelerated: true })
          .meta({ description: "One branch: its VPN device, ASN and networks." }),
      ).meta({ ...atLeastOne, description: sitesDescription("branch") }),
    })
    .optional()
    .meta({
      description:
        "Branch offices joined by AWS VPN CloudHub: a virtual private gateway on the connectivity VPC and a VPN per branch; the branches reach each other and the VPC. Default none.",
    }),
  clientVpn: clientVpnSetting(),
  transitVpc: transitVpcSetting(),
  workloads: keyed(
    z
      .strictObject({
        accountId: accountId.meta({
          description: "Id of the workload account (not the network account), quoted.",
          examples: ["222233334444"],
        }),
        vpcCidr: ruled(vpcCidrRule).meta({
          ...shape(privateCidrPattern(), `a private (RFC 1918) IPv4 CIDR, ${RFC1918_WORDS}`),
          description:
            "CIDR of the workload's VPC (its stack's hybridnet:vpc.cidr): the reverse PrivateLink service admits it.",
          examples: ["10.20.0.0/16"],
        }),
        region: described(
          region.optional(),
          "Region of the workload's account stack: the hub's (hybridnet:aws.region) or one of hybridnet:hub.regions. In another Region it attaches to that Region's transit gateway, and the endpoints between it and the connectivity VPC are cross-Region PrivateLink (serviceRegion). Default the hub's Region.",
          ["eu-central-1"],
        ),
      })
      .meta({ description: "One workload account of the environment." }),
  ).meta({
    ...atLeastOne,
    description:
      "The environment's workload accounts, keyed by the workload's key (the <key> of its stack workload-<key>-<env>). At least one.",
  }),
  gatewayEndpoints: gatewayEndpointsConfig.optional(),
  onPremService: onPremServiceSetting(),
  /**
   * Who is told when the network breaks. `actions` (SNS topic ARNs) are paged when a VPN connection is down
   * (both tunnels), a site's tunnels carry less than its declared bandwidth, or a Direct Connect connection or
   * BGP session is down: required in production. `warningActions` hear of one tunnel down (AWS maintenance
   * takes one down routinely).
   */
  alarms: alarms
    .optional()
    .meta({ description: "Who is told when the network breaks. Default: nobody (refused in production)." }),
  /** The environment's intended flows, checked by `hybridnet plan` over the planned network (docs/plan.md "Flows"). */
  intents: keyed(
    z
      .strictObject({
        from: ruled(zoneRefProblem).meta({
          ...shape(ZONE_REF_PATTERN, zoneRefProblem),
          description:
            "Where the flow starts: site:<name>, segment:<name>, workload:<key>, clients:staff, service:<name>, vpc:<stack>, connectivity, or an IPv4 address or CIDR.",
          examples: ["site:dc1"],
        }),
        to: ruled(zoneRefProblem).meta({
          ...shape(ZONE_REF_PATTERN, zoneRefProblem),
          description:
            "Where the flow goes, in the same forms as from (service:onprem is the reverse service).",
          examples: ["service:app"],
        }),
        protocol: z
          .enum(["tcp", "udp", "icmp"], { error: 'one of "tcp", "udp", "icmp"' })
          .optional()
          .meta({ description: "Protocol of the flow. Default tcp.", default: "tcp", examples: ["udp"] }),
        port: port.optional().meta({
          description: "Destination port, 1–65535. Default: any port.",
          examples: [443],
        }),
        expect: z
          .enum(["allow", "deny"], { error: 'one of "allow", "deny"' })
          .optional()
          .meta({
            description:
              "Whether the flow must get through (allow) or must be dropped (deny). Default allow.",
            default: "allow",
            examples: ["deny"],
          }),
      })
      .meta({ description: "One intended flow." }),
  )
    .optional()
    .meta({
      description:
        "The environment's intended flows, keyed by name, which hybridnet plan proves over the planned network. Default none (the hub's segment policy and every PrivateLink consumer are checked anyway).",
      examples: [{ "dc1-to-app": { from: "site:dc1", to: "service:app", port: 443 } }],
    }),
});

/**
 * `hybridnet:peering.<peer>`: a VPC peering connection this workload requests with workload `<peer>` of the same
 * environment, which accepts it through a role in its account.
 */
const peeringConfig = z
  .strictObject({
    roleArn: roleArn.meta({
      description:
        "The role in the peer workload's account (its hybridnet:aws.accountId) this stack assumes to accept the peering request and add the peer's DNS option and routes back to this VPC.",
      examples: ["arn:aws:iam::666677778888:role/hybridnet-peering"],
    }),
    dnsResolution: z
      .boolean({ error: "true or false" })
      .optional()
      .meta({
        description:
          "Resolve each VPC's public DNS hostnames to private addresses from the other VPC (allowRemoteVpcDnsResolution on both sides). Default: true; the policy pack requires it.",
        examples: [true],
      }),
  })
  .meta({
    description:
      "VPC peering with another workload of this environment (the key: its workload name), possibly in another account and Region. This workload requests, the peer accepts; the peer's stack deploys first. The two VPCs' CIDRs must not overlap, and only one of the two declares the peering.",
    examples: [{ roleArn: "arn:aws:iam::666677778888:role/hybridnet-peering" }],
  });
export type PeeringConfig = z.infer<typeof peeringConfig>;

/** The `attachment` setting of a workload stack. */
function attachmentSetting() {
  return z
    .strictObject({
      segment: segmentRef(
        "The hub segment the attachment joins: a key of the connectivity stack's hybridnet:hub.segments.",
        "workloads",
      ),
      /** Role in the network account that accepts the attachment and places it in its segment. */
      hubRoleArn: roleArn.meta({
        description:
          "IAM role in the network account that accepts the attachment and places it in its segment (not a role of this account).",
        examples: ["arn:aws:iam::111122223333:role/hybridnet-hub"],
      }),
      destinations: z
        .array(ruledCidr({ version: 4 }, "a destination"))
        .optional()
        .meta({
          description:
            "IPv4 CIDRs routed from the workload VPC's route tables to the transit gateway. Default: the connectivity VPC's CIDR.",
          examples: [["10.10.0.0/20", "172.16.0.0/12"]],
        }),
    })
    .optional()
    .meta({
      description:
        "Attaches the workload VPC to the environment's transit gateway. Default none: the workload is reached through PrivateLink only.",
    });
}

/** The `service` setting of a workload stack. */
function serviceSetting() {
  return z
    .strictObject({
      port: port.meta({ description: "TCP port consumers connect to: 1–65535.", examples: [443] }),
      targetPort: port.optional().meta({
        description: "TCP port on the targets, 1–65535. Default: port.",
        examples: [8443],
      }),
      targets: keyed(
        z
          .strictObject({
            ip: privateIp.meta({
              description: "Private IPv4 address of the target, inside the workload VPC.",
              examples: ["10.20.1.10"],
            }),
          })
          .meta({ description: "One target of the service." }),
      )
        .optional()
        .meta({
          description:
            "The service's targets, keyed by name. Default none (targets registered by other means).",
        }),
    })
    .meta({
      description:
        "The workload's PrivateLink service: an internal Network Load Balancer in front of its targets, offered to the network account only.",
    });
}

/**
 * The appliance pair of a software VPN (`hybridnet:softwareVpn.appliance`): what SoftwareVpnAppliance takes that
 * is not the VPC's layout (subnets, addresses) or the peers. A setting of its own, so that other software VPN
 * settings (VPC to VPC) reuse it.
 */
export function softwareVpnApplianceSetting() {
  return z
    .strictObject({
      bgpAsn: described(
        customerAsn,
        "BGP ASN of the appliance pair (both instances): 1–4294967295, not one AWS reserves, and not the remote network's.",
        [65030],
      ),
      instanceType: ruled(instanceTypeProblem)
        .optional()
        .meta({
          ...shape(INSTANCE_TYPE_PATTERN, INSTANCE_TYPE_RULE),
          description: `EC2 instance type of both instances: ${INSTANCE_TYPE_RULE}. Default ${DEFAULT_INSTANCE_TYPE}.`,
          default: DEFAULT_INSTANCE_TYPE,
          examples: ["t3.small"],
        }),
      zones: z
        .array(z.string().meta(shape(ZONE_ID, (v) => zoneIdProblem(v))), {
          error:
            'a list of two zone ids of hybridnet:vpc.availabilityZones, such as ["use1-az1", "use1-az2"]',
        })
        .length(2, "two zone ids: the primary's, then the standby's")
        .optional()
        .meta({
          minItems: 2,
          maxItems: 2,
          uniqueItems: true,
          description:
            "Zone ids of the primary and the standby instance, two different zones of hybridnet:vpc.availabilityZones: each runs in that zone's public subnet. Default the VPC's first two zones.",
          examples: [["use1-az1", "use1-az2"]],
        }),
    })
    .meta({
      description:
        "The appliance pair: two EC2 instances running strongSwan and FRR in two zones' public subnets, each with its own Elastic IP; the VPC's routes point at the active one.",
    });
}

/**
 * One remote VPN device of a software VPN (`hybridnet:softwareVpn.peers.<peer>`): its address and the inside
 * CIDRs of its two tunnels, one to each appliance instance.
 */
export function softwareVpnPeerSetting() {
  const inside = ruled((v) => tunnelInsideCidrProblem(v)).meta(
    shape(ipv4CidrPattern(30, 30), "a /30 in 169.254.0.0/16 outside the AWS-reserved blocks"),
  );
  return z
    .strictObject({
      ipAddress: publicIp.meta({
        description:
          "Static public IPv4 address of the remote device: the only source of IKE, NAT-T and ESP the appliances' security group admits.",
        examples: ["198.51.100.60"],
      }),
      insideCidrs: z
        .array(inside, { error: "two tunnel inside CIDRs: [primary's tunnel, standby's tunnel]" })
        .length(2, "two /30s: the tunnel to the primary, then the tunnel to the standby")
        .meta({
          minItems: 2,
          maxItems: 2,
          description:
            "Inside CIDRs of the device's two tunnels, the one to the primary instance first: /30s in 169.254.0.0/16 outside the AWS-reserved blocks, none used twice in the setting. The appliance takes the first address of each, the device the second.",
          examples: [["169.254.200.0/30", "169.254.200.4/30"]],
        }),
    })
    .meta({ description: "One remote VPN device: a tunnel to each appliance instance." });
}

/** The `softwareVpn` setting of a workload stack. */
function softwareVpnSetting() {
  return z
    .strictObject({
      appliance: softwareVpnApplianceSetting(),
      remote: z
        .strictObject({
          bgpAsn: customerAsn.meta({
            description:
              "BGP ASN of the remote network (every peer device): 1–4294967295, not one AWS reserves, and not the appliance's.",
            examples: [65300],
          }),
          prefixes: nonEmpty(onPremPrefix, "remote CIDR").meta({
            description:
              "The remote network's prefixes, learned over BGP and routed from the VPC's private route tables to the active appliance: private (RFC 1918) IPv4 CIDRs outside the VPC, at least one.",
            examples: [["172.27.0.0/16"]],
          }),
        })
        .meta({ description: "The network behind the peers: its BGP ASN and prefixes." }),
      peers: keyed(softwareVpnPeerSetting()).meta({
        ...atLeastOne,
        description:
          "The remote network's VPN devices, keyed by a stable name used in resource names: at least one, each with a tunnel to both appliance instances.",
      }),
      tunnelOptions: tunnelOptions.optional(),
    })
    .optional()
    .meta({
      description:
        "A software site-to-site VPN (SoftwareVpnAppliance): a pair of strongSwan + FRR instances in the VPC's public subnets (added to the VPC's layout, the last /28s of its fourth quarter) with IPsec tunnels and BGP to the remote devices; pre-shared keys are generated and kept as secret stack outputs, never in config. The remote network reaches this VPC only. Default none.",
    });
}

// ---------------------------------------------------------------------------------------------------
// The other software VPN options of a workload stack (issue 16): hybridnet:remoteAccessVpn,
// hybridnet:softwareVpnPeering and hybridnet:softwareVpnToHub. A block of its own: see model/softwareVpn/stackSettings.ts
// for what they plan.

const zoneIdSetting = z.string().meta(shape(ZONE_ID, (v) => zoneIdProblem(v)));

/** The `remoteAccessVpn` setting of a workload stack: a WireGuard server (SoftwareRemoteAccessVpn). */
function remoteAccessVpnSetting() {
  const cidrs = (what: string) =>
    z.array(ruledCidr({ version: 4 }, what), { error: `a list of IPv4 CIDRs (${what})` });
  return z
    .strictObject({
      clientPool: ruledCidr({ version: 4, minPrefix: 16, maxPrefix: 28 }, "the clients' pool").meta({
        description: `The clients' addresses: an IPv4 CIDR /16 (65,533 clients) to /28 (13) inside ${POOL_BLOCKS.join(", ")}, overlapping neither the VPC nor routes. The server takes the first address; the VPC's private route tables send the pool to the server, so the VPC sees the clients' own addresses.`,
        examples: ["100.64.20.0/24"],
      }),
      listenPort: z
        .int({ error: "a UDP port: an integer 1–65535" })
        .min(1)
        .max(65535)
        .optional()
        .meta({
          description: `UDP port the server listens on: 1–65535. Default ${DEFAULT_LISTEN_PORT}.`,
          default: DEFAULT_LISTEN_PORT,
          examples: [51820],
        }),
      clients: keyed(
        z
          .strictObject({
            publicKey: ruled(wireguardKeyProblem).meta({
              ...shape(WIREGUARD_KEY, wireguardKeyProblem),
              description:
                "The client's WireGuard public key (what `wg pubkey` prints: 44 base64 characters). Clients make their own key pairs: the private key never reaches the stack.",
              examples: ["xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="],
            }),
            address: z
              .string({ error: "an IPv4 address in clientPool" })
              .optional()
              .meta({
                description:
                  "The client's address in clientPool: fix it to keep it when clients are added. Default the lowest free address, clients taken in name order.",
                examples: ["100.64.20.10"],
              }),
          })
          .meta({ description: "One client: its public key and, optionally, its address." }),
      ).meta({
        ...atLeastOne,
        description:
          "The clients, keyed by a stable name (the key of their configuration in the remoteAccessVpn.clientConfigs stack output). At least one.",
      }),
      clientSourceCidrs: nonEmpty(ruledCidr({ version: 4 }, "a client source"), "client source CIDR").meta({
        description:
          "Where clients connect from: the only sources the server's security group admits to listenPort (UDP). Required, no default: write 0.0.0.0/0 for clients anywhere on the internet.",
        examples: [["203.0.113.0/24"]],
      }),
      fullTunnel: z
        .boolean({ error: "true or false" })
        .optional()
        .meta({
          description:
            "Send all of a client's traffic through the server (AllowedIPs 0.0.0.0/0), NATed to the internet behind the server's Elastic IP. Default false: only the VPC, routes and the server's pool address.",
          default: false,
          examples: [false],
        }),
      routes: cidrs("a network reached through the VPC")
        .optional()
        .meta({
          description:
            "Other networks clients reach through the VPC (peered VPCs, networks behind the hub): sent into the tunnel too. Default none.",
          examples: [["10.10.0.0/20"]],
        }),
      zone: zoneIdSetting.optional().meta({
        description:
          "Zone id of the server: one of hybridnet:vpc.availabilityZones; it runs in that zone's public subnet (added to the VPC's layout). Default the VPC's first zone. One instance, recovered by EC2 on a failed system check.",
        examples: ["use1-az1"],
      }),
      instanceType: ruled(instanceTypeProblem)
        .optional()
        .meta({
          ...shape(INSTANCE_TYPE_PATTERN, INSTANCE_TYPE_RULE),
          description: `EC2 instance type of the server: ${INSTANCE_TYPE_RULE}. Default ${DEFAULT_INSTANCE_TYPE}.`,
          default: DEFAULT_INSTANCE_TYPE,
          examples: ["t3.small"],
        }),
    })
    .optional()
    .meta({
      description:
        "A software remote-access VPN (SoftwareRemoteAccessVpn): one WireGuard server on EC2 in a public subnet of the VPC, with an Elastic IP; clients bring their own key pairs. Each client's configuration (no private key in it) is in the remoteAccessVpn stack output. Default none.",
    });
}

/** The `softwareVpnPeering` setting of a workload stack: its side of a SoftwareVpnPeering with another workload. */
function softwareVpnPeeringSetting() {
  return z
    .strictObject({
      peer: key.meta({
        description:
          "The other workload (its name, a workload of this environment): its stack declares hybridnet:softwareVpnPeering with this workload as its peer and the other side.",
        examples: ["payments"],
      }),
      side: oneOf([PeeringSide.A, PeeringSide.B] as const).meta({
        description:
          'This workload\'s side: "a" initiates the tunnels and generates their pre-shared keys, and deploys after "b" (it reads b\'s Elastic IPs); "b" answers, and configures its appliances in its second pass, from a\'s outputs.',
        examples: ["a"],
      }),
      appliance: softwareVpnApplianceSetting(),
    })
    .optional()
    .meta({
      description:
        "Software-to-software VPN with another workload's VPC (SoftwareVpnPeering, one side per stack): an appliance pair in each VPC's public subnets, a tunnel from each instance of side a to each of side b (four, IKEv2 with the secure defaults, BGP over each). Each VPC's private route tables send the other's CIDR to the active appliance. The two VPCs must not overlap, the two ASNs must differ. Default none.",
    });
}

/** The `softwareVpnToHub` setting of a workload stack: the appliance pair as customer gateways of the hub. */
function softwareVpnToHubSetting() {
  return z
    .strictObject({
      segment: segmentRef(
        "The hub segment the two VPN attachments join (a key of the connectivity stack's hybridnet:hub.segments): they are associated with its route table and propagate this VPC's CIDR where the segment propagates.",
        "workloads",
      ),
      appliance: softwareVpnApplianceSetting(),
      destinations: z
        .array(ruledCidr({ version: 4 }, "a destination"))
        .min(1, "at least one destination")
        .optional()
        .meta({
          description:
            "IPv4 CIDRs routed from the VPC's private route tables to the active appliance, and expected over BGP from the hub. Default: the connectivity VPC's CIDR.",
          examples: [["10.10.0.0/20", "172.16.0.0/12"]],
        }),
    })
    .optional()
    .meta({
      description:
        "Software VPN to the hub (Software VPN-to-AWS Managed VPN): an appliance pair in the VPC's public subnets is the customer gateway of two AWS Site-to-Site VPN connections on the environment's transit gateway, one per instance (BGP, two tunnels each). The connectivity stack owns the VPN connections (a VPN attachment belongs to the transit gateway's account), made in its second pass from this stack's Elastic IPs; this stack configures its appliances in its second pass from the connections' addresses and pre-shared keys (secret stack outputs of the connectivity stack). For a VPC that cannot attach to the hub. Default none.",
    });
}
// End of the issue 16 block.

/** `workload`: one workload account of one environment. */
export const workloadSchema = z.strictObject({
  ...common,
  role: z.literal("workload").meta({ description: common.role.description, examples: ["workload"] }),
  vpc: z.strictObject(vpc).meta({ description: "The workload's VPC." }),
  attachment: attachmentSetting(),
  service: serviceSetting(),
  gatewayEndpoints: gatewayEndpointsConfig.optional(),
  peering: keyed(peeringConfig)
    .optional()
    .meta({
      description:
        "VPC peering connections this workload requests, keyed by the peer workload's name (a workload of this environment, listed in the connectivity stack's hybridnet:workloads). AWS allows 50 active peering connections per VPC by default (adjustable to 125).",
      examples: [{ analytics: { roleArn: "arn:aws:iam::666677778888:role/hybridnet-peering" } }],
    }),
  vpn: z
    .strictObject({
      amazonSideAsn: amazonAsn.optional().meta({
        description:
          "BGP ASN of the workload VPC's virtual private gateway (private: 64512–65534 or 4200000000–4294967294); default 64512.",
        examples: [64600],
      }),
      sites: keyed(
        vpnSite
          .omit({ bandwidthGbps: true, accelerated: true })
          .meta({ description: "One site: its VPN device, ASN and networks." }),
      ).meta({
        description:
          "The sites, by name, each a customer gateway (public address, BGP ASN) and a Site-to-Site VPN connection of two tunnels to this VPC's virtual private gateway. A virtual private gateway uses one tunnel at a time (1.25 Gbps) and cannot be accelerated.",
      }),
    })
    .optional()
    .meta({
      description:
        "The workload's own AWS Managed VPN: a virtual private gateway on its VPC (a VPC takes one) and a VPN connection to each site, the sites' routes propagated into the VPC's private route tables. The sites reach this VPC only, not the hub.",
    }),
  softwareVpn: softwareVpnSetting(),
  remoteAccessVpn: remoteAccessVpnSetting(),
  softwareVpnPeering: softwareVpnPeeringSetting(),
  softwareVpnToHub: softwareVpnToHubSetting(),
  /** Who is told when the workload's VPN breaks: required in production when `hybridnet:vpn` is set. */
  alarms: alarms.optional().meta({
    description:
      "SNS topics told when the workload's VPN breaks: `actions` are paged when a connection is down (both tunnels) or a software VPN appliance fails its status checks; `warningActions` hear of one tunnel down. Required in production with hybridnet:vpn or an appliance pair (hybridnet:softwareVpn, hybridnet:softwareVpnPeering, hybridnet:softwareVpnToHub).",
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
    aws: [...GATEWAY_SERVICES],
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
  gatewayEndpointsRules(problems, c.gatewayEndpoints, c.vpc.availabilityZones);
  regionRules(problems, c);
  directConnectRules(problems, c);
  clientVpnRules(problems, c);
  transitVpcRules(problems, c);

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

/** The private route tables of a VPC laid out over `zones`, by subnet key: `private-<zone id>`. */
export function privateRouteTableKeys(zones: readonly string[]): string[] {
  return zones.map((zone) => `private-${zone}`);
}

/**
 * The route table keys the gateway endpoints of `config` go into: those it names, or every private route table
 * of a VPC over `zones`.
 */
export function gatewayEndpointRouteTables(
  config: GatewayEndpointsConfig,
  zones: readonly string[],
): string[] {
  return config.routeTables ?? privateRouteTableKeys(zones);
}

/** `hybridnet:gatewayEndpoints` of a stack whose VPC spans `zones`: route tables of that VPC, one policy source. */
export function gatewayEndpointsRules(
  problems: Problems,
  config: GatewayEndpointsConfig | undefined,
  zones: readonly string[],
): void {
  if (!config) return;
  const path = `${CONFIG_NAMESPACE}:gatewayEndpoints`;
  const known = privateRouteTableKeys(zones);
  config.routeTables?.forEach((key, i) => {
    if (!known.includes(key))
      problems.add(
        `${path}.routeTables[${i}]`,
        key,
        `a private route table of this VPC: ${known.join(", ")} (one per zone of hybridnet:vpc.availabilityZones)`,
      );
    else if (config.routeTables?.indexOf(key) !== i)
      problems.add(
        `${path}.routeTables[${i}]`,
        key,
        "listed twice; AWS adds one route per route table and service",
      );
  });
  config.services.forEach((service, i) => {
    if (config.services.indexOf(service) !== i)
      problems.add(`${path}.services[${i}]`, service, "listed twice; one gateway endpoint per service");
  });
  if (config.policy !== undefined && (config.allowedPrincipalOrgId ?? config.allowedAccountIds) !== undefined)
    problems.add(
      `${path}.policy`,
      config.policy,
      "either a whole policy or the generated one restricted by allowedPrincipalOrgId / allowedAccountIds, not both: put the aws:PrincipalOrgID / aws:PrincipalAccount condition in the policy, or leave the policy out",
    );
}

/**
 * `hybridnet:peering` of workload `self`: never itself (AWS refuses to peer a VPC with itself). What needs the
 * other stacks (the peer exists, its account, overlapping CIDRs, one requester) is checked across the
 * environment (model/environment) and, at run time, against the peer's outputs.
 */
function peeringRules(problems: Problems, self: string | undefined, c: WorkloadConfig): void {
  for (const peer of Object.keys(c.peering ?? {}))
    if (peer === self)
      problems.add(
        `${CONFIG_NAMESPACE}:peering.${peer}`,
        peer,
        "another workload of this environment: this is the stack's own workload, and AWS cannot peer a VPC with itself",
      );
}

/** A workload's own VPN: its sites' networks outside the VPC, each site's ASN not the gateway's. */
function workloadVpnRules(problems: Problems, vpn: NonNullable<WorkloadConfig["vpn"]>, vpcCidr?: Cidr): void {
  const ns = CONFIG_NAMESPACE;
  const gatewayAsn = vpn.amazonSideAsn ?? 64512;
  for (const [site, spec] of Object.entries(vpn.sites)) {
    if (spec.bgpAsn === gatewayAsn)
      problems.add(
        `${ns}:vpn.sites.${site}.bgpAsn`,
        spec.bgpAsn,
        `equals the virtual private gateway's ASN ${gatewayAsn} (hybridnet:vpn.amazonSideAsn); a BGP session needs two different ASNs`,
      );
    spec.prefixes.forEach((prefix, i) => {
      const [cidr] = parseCidrs([prefix]);
      if (cidr && vpcCidr && cidrsOverlap(cidr, vpcCidr))
        problems.add(
          `${ns}:vpn.sites.${site}.prefixes[${i}]`,
          prefix,
          `overlaps the workload VPC ${vpcCidr.text} (hybridnet:vpc.cidr); the site's networks are routed to the VPN`,
        );
    });
  }
  if (Object.keys(vpn.sites).length === 0)
    problems.add(`${ns}:vpn.sites`, vpn.sites, "at least one site (or leave hybridnet:vpn out)");
}

/** The zones of a workload's software VPN appliances: the setting's, or the VPC's first two. */
export function softwareVpnZones(c: WorkloadConfig): string[] {
  return c.softwareVpn?.appliance.zones ?? c.vpc.availabilityZones.slice(0, 2);
}

/**
 * A workload's software VPN: the appliances in two zones of the VPC that have room for public subnets, two
 * different ASNs, remote prefixes outside the VPC, each peer address and tunnel inside CIDR used once.
 */
function softwareVpnRules(
  problems: Problems,
  vpn: NonNullable<WorkloadConfig["softwareVpn"]>,
  c: WorkloadConfig,
  vpcCidr?: Cidr,
): void {
  const at = `${CONFIG_NAMESPACE}:softwareVpn`;
  const zones = softwareVpnZones(c);
  zones.forEach((zone, i) => {
    if (!c.vpc.availabilityZones.includes(zone))
      problems.add(
        `${at}.appliance.zones[${i}]`,
        zone,
        `a zone of the VPC (hybridnet:vpc.availabilityZones: ${c.vpc.availabilityZones.join(", ")}): the appliance runs in that zone's public subnet`,
      );
    else if (zones.indexOf(zone) !== i)
      problems.add(
        `${at}.appliance.zones[${i}]`,
        zone,
        "another zone than the primary's: the pair survives a zone's failure only in two zones",
      );
  });
  const room = publicZonesProblem(c.vpc, c.vpc.availabilityZones);
  if (room)
    problems.add(
      `${CONFIG_NAMESPACE}:vpc.cidr`,
      c.vpc.cidr,
      `hybridnet:softwareVpn needs public subnets: ${room}`,
    );
  if (vpn.appliance.bgpAsn === vpn.remote.bgpAsn)
    problems.add(
      `${at}.remote.bgpAsn`,
      vpn.remote.bgpAsn,
      `equals the appliance's ASN ${vpn.appliance.bgpAsn} (hybridnet:softwareVpn.appliance.bgpAsn); a BGP session needs two different ASNs`,
    );
  vpn.remote.prefixes.forEach((prefix, i) => {
    const [cidr] = parseCidrs([prefix]);
    if (cidr && vpcCidr && cidrsOverlap(cidr, vpcCidr))
      problems.add(
        `${at}.remote.prefixes[${i}]`,
        prefix,
        `overlaps the workload VPC ${vpcCidr.text} (hybridnet:vpc.cidr); the remote networks are routed to the appliance`,
      );
  });
  const addresses = new Map<string, string>();
  const insides = new Map<string, string>();
  for (const [peer, spec] of Object.entries(vpn.peers)) {
    const seen = addresses.get(spec.ipAddress);
    if (seen)
      problems.add(
        `${at}.peers.${peer}.ipAddress`,
        spec.ipAddress,
        `already the address of peer ${seen}; one device, one peer`,
      );
    else addresses.set(spec.ipAddress, peer);
    spec.insideCidrs.forEach((inside, i) => {
      const [cidr] = parseCidrs([inside]);
      const clash = cidr && [...insides].find(([other]) => cidrsOverlap(parseCidrs([other])[0], cidr));
      if (clash)
        problems.add(
          `${at}.peers.${peer}.insideCidrs[${i}]`,
          inside,
          `overlaps ${clash[0]} (${clash[1]}); every tunnel of the appliances needs its own /30`,
        );
      else insides.set(inside, `peers.${peer}.insideCidrs[${i}]`);
    });
  }
  if (Object.keys(vpn.peers).length === 0)
    problems.add(`${at}.peers`, vpn.peers, "at least one peer (or leave hybridnet:softwareVpn out)");
}

// ---------------------------------------------------------------------------------------------------
// Rules of the other software VPN options of a workload stack (issue 16): a block of its own.

/** The settings of a workload that run an appliance pair, by config key. */
export const APPLIANCE_SETTINGS = ["softwareVpn", "softwareVpnPeering", "softwareVpnToHub"] as const;

/** Whether the workload's VPC needs public subnets: an appliance pair or a remote-access server runs there. */
export function needsPublicSubnets(c: WorkloadConfig): boolean {
  return APPLIANCE_SETTINGS.some((k) => c[k] !== undefined) || c.remoteAccessVpn !== undefined;
}

/** The zone of a workload's remote-access server: the setting's, or the VPC's first. */
export function remoteAccessZone(c: WorkloadConfig): string {
  return c.remoteAccessVpn?.zone ?? c.vpc.availabilityZones[0];
}

/** Appliance zones that are the VPC's, two different ones (`at`: the setting's config path). */
function applianceZoneRules(problems: Problems, at: string, zones: readonly string[], vpcZones: string[]) {
  zones.forEach((zone, i) => {
    if (!vpcZones.includes(zone))
      problems.add(
        `${at}.appliance.zones[${i}]`,
        zone,
        `a zone of the VPC (hybridnet:vpc.availabilityZones: ${vpcZones.join(", ")}): the appliance runs in that zone's public subnet`,
      );
    else if (zones.indexOf(zone) !== i)
      problems.add(
        `${at}.appliance.zones[${i}]`,
        zone,
        "another zone than the primary's: the pair survives a zone's failure only in two zones",
      );
  });
}

/**
 * hybridnet:remoteAccessVpn, hybridnet:softwareVpnPeering and hybridnet:softwareVpnToHub of one workload: one
 * appliance pair per workload (each pair takes its subnets' last usable addresses), appliance and server zones
 * of the VPC, room for the public subnets, a peer other than itself, destinations outside the VPC.
 */
function softwareVpnOptionRules(
  problems: Problems,
  self: string | undefined,
  c: WorkloadConfig,
  vpcCidr?: Cidr,
): void {
  const ns = CONFIG_NAMESPACE;
  const declared = APPLIANCE_SETTINGS.filter((k) => c[k] !== undefined);
  for (const k of declared.slice(1))
    problems.add(
      `${ns}:${k}`,
      `(with ${ns}:${declared[0]})`,
      `one software VPN appliance pair per workload: ${APPLIANCE_SETTINGS.map((s) => `${ns}:${s}`).join(", ")} each run one in the VPC's public subnets; keep one of them`,
    );
  if (!c.softwareVpn && needsPublicSubnets(c)) {
    const room = publicZonesProblem(c.vpc, c.vpc.availabilityZones);
    const what = declared[0] ?? "remoteAccessVpn";
    if (room) problems.add(`${ns}:vpc.cidr`, c.vpc.cidr, `${ns}:${what} needs public subnets: ${room}`);
  }
  for (const k of ["softwareVpnPeering", "softwareVpnToHub"] as const) {
    const zones = c[k]?.appliance.zones;
    if (zones) applianceZoneRules(problems, `${ns}:${k}`, zones, c.vpc.availabilityZones);
  }
  const zone = c.remoteAccessVpn?.zone;
  if (zone !== undefined && !c.vpc.availabilityZones.includes(zone))
    problems.add(
      `${ns}:remoteAccessVpn.zone`,
      zone,
      `a zone of the VPC (hybridnet:vpc.availabilityZones: ${c.vpc.availabilityZones.join(", ")}): the server runs in that zone's public subnet`,
    );
  if (c.softwareVpnPeering && self !== undefined && c.softwareVpnPeering.peer === self)
    problems.add(
      `${ns}:softwareVpnPeering.peer`,
      self,
      "another workload of the environment: this stack's own VPC is the other side",
    );
  if (c.softwareVpnToHub && c.attachment)
    problems.add(
      `${ns}:softwareVpnToHub`,
      "(with hybridnet:attachment)",
      "a VPC without a transit gateway attachment: the appliance pair's VPN to the hub is for a VPC that cannot attach, and the same VPC on both would be routed twice; keep one of them",
    );
  (c.softwareVpnToHub?.destinations ?? []).forEach((destination, i) => {
    const [cidr] = parseCidrs([destination]);
    if (cidr && vpcCidr && cidrsOverlap(cidr, vpcCidr))
      problems.add(
        `${ns}:softwareVpnToHub.destinations[${i}]`,
        destination,
        `a network outside the workload VPC ${vpcCidr.text} (hybridnet:vpc.cidr): it is routed to the appliance`,
      );
  });
}
// End of the issue 16 rules.

/** The zone ids of the transit VPC's appliances: the setting's, or the connectivity VPC's first two. */
export function transitVpcZones(c: ConnectivityConfig): string[] {
  return c.transitVpc?.appliance.zones ?? c.vpc.availabilityZones.slice(0, 2);
}

/**
 * hybridnet:transitVpc: the appliances in two zones of the connectivity VPC with room for public subnets; each
 * spoke names one gateway, a Region only with a role, a role outside the network account's own account and Region
 * (AWS would return the network account's customer gateways), and CIDRs clear of the workloads, the data centers,
 * the branches and the Client VPN (one routing domain). The component's own checks (ASNs, spoke and hub overlaps,
 * the number of spokes) run in the stack's preflight.
 */
function transitVpcRules(problems: Problems, c: ConnectivityConfig): void {
  const transit = c.transitVpc;
  if (!transit) return;
  const at = `${CONFIG_NAMESPACE}:transitVpc`;
  applianceZoneRules(problems, at, transitVpcZones(c), c.vpc.availabilityZones);
  const room = publicZonesProblem(c.vpc, c.vpc.availabilityZones);
  if (room)
    problems.add(
      `${CONFIG_NAMESPACE}:vpc.cidr`,
      c.vpc.cidr,
      `hybridnet:transitVpc needs public subnets: ${room}`,
    );
  const others: { name: string; cidr: Cidr }[] = [];
  for (const [workload, spec] of Object.entries(c.workloads))
    others.push(...parseCidrs([spec.vpcCidr]).map((cidr) => ({ name: `workload ${workload}'s VPC`, cidr })));
  for (const [path, sites] of [
    ["vpn.sites", c.vpn.sites],
    ["branches.sites", c.branches?.sites],
  ] as const)
    for (const [site, spec] of Object.entries(sites ?? {}))
      others.push(
        ...parseCidrs(spec.prefixes).map((cidr) => ({ name: `${CONFIG_NAMESPACE}:${path}.${site}`, cidr })),
      );
  if (c.clientVpn)
    others.push(
      ...parseCidrs([c.clientVpn.clientCidr]).map((cidr) => ({ name: "the Client VPN's clients", cidr })),
    );
  if (Object.keys(transit.spokes).length === 0)
    problems.add(
      `${at}.spokes`,
      transit.spokes,
      "at least one spoke VPC (or leave hybridnet:transitVpc out)",
    );
  for (const [key, spoke] of Object.entries(transit.spokes)) {
    const path = `${at}.spokes.${key}`;
    if ((spoke.vpcId === undefined) === (spoke.vpnGatewayId === undefined))
      problems.add(
        path,
        spoke.vpcId ?? spoke.vpnGatewayId,
        "exactly one of vpcId (the stack creates the gateway) or vpnGatewayId (an existing one)",
      );
    if (spoke.routeTableIds !== undefined && spoke.vpcId === undefined)
      problems.add(
        `${path}.routeTableIds`,
        spoke.routeTableIds,
        "only with vpcId: an existing gateway's route propagation is its owner's",
      );
    if (spoke.region !== undefined && spoke.roleArn === undefined)
      problems.add(
        `${path}.region`,
        spoke.region,
        "only with roleArn: a spoke in the network account is in the stack's Region",
      );
    if (
      spoke.roleArn !== undefined &&
      roleArnAccount(spoke.roleArn) === c.aws.accountId &&
      (spoke.region ?? c.aws.region) === c.aws.region
    )
      problems.add(
        `${path}.roleArn`,
        spoke.roleArn,
        `a role in another account or Region than the network account ${c.aws.accountId} in ${c.aws.region}: there AWS returns the stack's own customer gateways (leave roleArn out)`,
      );
    spoke.cidrs.forEach((text, i) => {
      const [cidr] = parseCidrs([text]);
      const clash = cidr && others.find((o) => cidrsOverlap(o.cidr, cidr));
      if (clash)
        problems.add(
          `${path}.cidrs[${i}]`,
          text,
          `overlaps ${clash.name} (${clash.cidr.text}); the spokes are routed by CIDR from the connectivity VPC`,
        );
    });
  }
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

function workloadRules(problems: Problems, c: WorkloadConfig, self?: string): void {
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
  if (c.vpn) workloadVpnRules(problems, c.vpn, vpcCidr);
  if (c.softwareVpn) softwareVpnRules(problems, c.softwareVpn, c, vpcCidr);
  softwareVpnOptionRules(problems, self, c, vpcCidr);
  for (const [target, spec] of Object.entries(c.service.targets ?? {})) {
    const [address] = parseCidrs([`${spec.ip}/32`]);
    if (address && vpcCidr && !cidrContains(vpcCidr, address))
      problems.add(
        `${ns}:service.targets.${target}.ip`,
        spec.ip,
        `an address in the workload VPC ${vpcCidr.text}: the service's targets live there`,
      );
  }
  gatewayEndpointsRules(problems, c.gatewayEndpoints, c.vpc.availabilityZones);
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
  else {
    workloadRules(rules, parsed.data, "stack" in identity ? identity.workload : undefined);
    peeringRules(rules, "stack" in identity ? identity.workload : undefined, parsed.data);
  }
  // Production pages someone when a VPN is down: the network account always, a workload with its own VPN too.
  if (
    "stack" in identity &&
    identity.prod &&
    (parsed.data.role === "connectivity" ||
      parsed.data.vpn ||
      APPLIANCE_SETTINGS.some((k) => parsed.data.role === "workload" && parsed.data[k]))
  )
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
