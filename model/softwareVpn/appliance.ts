/**
 * A software VPN appliance pair (strongSwan + FRR on EC2), as plain data: the checks its arguments must pass and
 * the plan a component registers. The whitepaper's caution is that one appliance on one instance is a single
 * point of failure and that high availability is the customer's job; this is that job: two instances in two
 * Availability Zones (compared by zone id), each with its own Elastic IP, and a watchdog on each instance that
 * moves the VPC routes to itself when its peer stops answering (see {@link planSoftwareVpnAppliance}). Pure: no
 * Pulumi import.
 *
 * AWS docs: "Availability Zone IDs", "Subnet CIDR blocks" (five reserved addresses per subnet), "Amazon VPC
 * quotas" (60 inbound and 60 outbound rules per security group, 50 routes per route table), "Change the source or
 * destination checking" (an instance that routes traffic it is not the source or destination of), "Configure the
 * instance metadata options" (IMDSv2), "Amazon EBS encryption".
 */
import {
  addressToString,
  type Cidr,
  checkCidr,
  cidrContains,
  cidrsOverlap,
  isKnownLater,
  publicIpv4Problem,
} from "../addressing";
import { checkEvaluationPeriods, snsTopicArnProblem } from "../alarms";
import { FirstUse, Problems } from "../errors";
import { ec2IdProblem } from "../identifiers";
import { checkResourceKeys } from "../names";
import { zoneIdProblem } from "../zones";

/** The two instances of a pair: the primary carries the routes at deployment, the standby takes them over. */
export const ApplianceRole = { Primary: "primary", Standby: "standby" } as const;
/** "primary" or "standby". */
export type ApplianceRole = (typeof ApplianceRole)[keyof typeof ApplianceRole];
export const APPLIANCE_ROLES: readonly ApplianceRole[] = [ApplianceRole.Primary, ApplianceRole.Standby];

/** CPU architecture of an instance type, as Debian names its AMIs in the public SSM parameters. */
export const ApplianceArchitecture = { Amd64: "amd64", Arm64: "arm64" } as const;
/** "amd64" or "arm64". */
export type ApplianceArchitecture = (typeof ApplianceArchitecture)[keyof typeof ApplianceArchitecture];

/** The tag every appliance instance and security group carries; policies find appliances by it. */
export const APPLIANCE_ROLE_TAG = "hybridnet:role";
/** The value of {@link APPLIANCE_ROLE_TAG} on a software VPN appliance's instances and security group. */
export const APPLIANCE_ROLE_VALUE = "vpn-appliance";
/** The tag naming the zone id of an appliance instance (an instance's own inputs name only its subnet). */
export const APPLIANCE_ZONE_TAG = "hybridnet:zone-id";
/** Type token of the component; policies also find appliance instances by their parent. */
export const APPLIANCE_COMPONENT_TYPE = "hybridnet:index:SoftwareVpnAppliance";

/** IMDSv2: `metadataOptions.httpTokens` must be "required" (session tokens only; IMDSv1 refused). */
export const IMDS_HTTP_TOKENS_REQUIRED = "required";
/**
 * IMDSv2 hop limit 1: a token cannot leave the instance. The appliance forwards packets for other hosts, so a
 * larger limit would let a host behind a tunnel that reaches 169.254.169.254 through it ask for the role's keys.
 */
export const IMDS_HOP_LIMIT = 1;

/** The appliance's default instance type: current-generation Nitro, x86 with AES-NI, up to 12.5 Gbps. */
export const DEFAULT_INSTANCE_TYPE = "c6i.large";
/** Root volume size (GiB): Debian 12's AMIs use 8 GiB; packages and logs fit with room to spare. */
export const DEFAULT_ROOT_VOLUME_GIB = 16;

/**
 * Debian's public SSM parameters for its official AMIs (Debian cloud team: `/aws/service/debian/release/<release>
 * /latest/<arch>`): the newest Debian 12 (bookworm) image of the architecture.
 */
export function debianAmiParameter(architecture: ApplianceArchitecture): string {
  return `/aws/service/debian/release/12/latest/${architecture}`;
}

/**
 * Debian 12 packages the appliance runs: strongSwan with swanctl and its systemd charon (`strongswan.service`),
 * FRR, and what the watchdog calls (the AWS CLI, curl for IMDSv2, ping).
 */
export const APPLIANCE_PACKAGES: readonly string[] = [
  "strongswan-swanctl",
  "charon-systemd",
  "libcharon-extra-plugins",
  "frr",
  "awscli",
  "curl",
  "iputils-ping",
];

/** IKE (UDP 500), NAT-T (UDP 4500) and ESP (IP protocol 50): what an IPsec peer sends, and nothing else. */
export const IKE_PORT = 500;
export const NAT_T_PORT = 4500;
export const ESP_PROTOCOL = "50";

/** Amazon VPC quotas: 60 inbound and 60 outbound rules per security group (the default; adjustable). */
export const SECURITY_GROUP_RULES_PER_DIRECTION = 60;
/** Amazon VPC quotas: 50 non-propagated routes per route table (the default; adjustable to 1,000). */
export const ROUTES_PER_ROUTE_TABLE = 50;

/** Where each configuration file a renderer names goes on the instance (model/deviceConfig's file names). */
export const CONFIG_FILE_PATHS: Readonly<Record<string, string>> = {
  "swanctl.conf": "/etc/swanctl/conf.d/hybridnet.conf",
  "frr.conf": "/etc/frr/frr.conf",
};
/** Other configuration files are given by absolute path, under the directories the two daemons read. */
const CONFIG_PATH = /^\/etc\/(?:swanctl|strongswan\.d|frr)\/[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;
const CONFIG_FILE_RULE = `${Object.keys(CONFIG_FILE_PATHS).join(" or ")} (as model/deviceConfig renders them), or an absolute path under /etc/swanctl/, /etc/strongswan.d/ or /etc/frr/`;

// ---------------------------------------------------------------------------------------------------
// Instance types

/**
 * Instance types are checked by rule, not from a list: a general purpose, compute or memory optimized family
 * (t3/t3a/t4g and later; c, m, r of generation 5 and later: Nitro, with ENA networking and AES or ARMv8 crypto
 * instructions), any attribute letters (`c6gn`, `m7i-flex`), any size but nano. A list would refuse the next
 * family AWS launches; the rule still keeps out previous-generation Xen types (t2, c4, m4), where packet rates
 * and IPsec throughput are a fraction, and accelerated, storage or Mac types, which pay for what a router does
 * not use. Nano (0.5 GiB) cannot install and run strongSwan, FRR and the AWS CLI side by side.
 */
const INSTANCE_TYPE =
  /^([a-z]+)(\d+)([a-z]*)(-flex)?\.(nano|micro|small|medium|large|\d*xlarge|metal(?:-\d+xl)?)$/;
const FAMILY_MIN_GENERATION: Record<string, number> = { t: 3, c: 5, m: 5, r: 5 };
export const INSTANCE_TYPE_RULE =
  "a current-generation Nitro type for a router: t3, t3a, t4g or later, or a c, m or r family of generation 5 or later (c6i.large, c6gn.xlarge, m7i-flex.large), not nano";

/** Why `value` is not an instance type the appliance runs on, or undefined. */
export function instanceTypeProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return INSTANCE_TYPE_RULE;
  const match = INSTANCE_TYPE.exec(value);
  if (!match) return `not an EC2 instance type; ${INSTANCE_TYPE_RULE}`;
  const [, family, generation, , , size] = match;
  const min = FAMILY_MIN_GENERATION[family];
  if (min === undefined) return `family ${family} is not built for routing; ${INSTANCE_TYPE_RULE}`;
  if (Number(generation) < min)
    return `${family}${generation} is a previous generation (Xen, no ENA guarantee); ${INSTANCE_TYPE_RULE}`;
  if (size === "nano")
    return `nano has 0.5 GiB of memory, too little for strongSwan, FRR and the AWS CLI; ${INSTANCE_TYPE_RULE}`;
  return undefined;
}

/** The CPU architecture of a valid instance type: Graviton families carry a `g` attribute (t4g, c6gn, m7g). */
export function architectureOf(instanceType: string): ApplianceArchitecture {
  const attributes = INSTANCE_TYPE.exec(instanceType)?.[3] ?? "";
  return attributes.includes("g") ? ApplianceArchitecture.Arm64 : ApplianceArchitecture.Amd64;
}

// ---------------------------------------------------------------------------------------------------
// Arguments

/** One instance of the pair, as the model checks it (ids may be Outputs: they are only checked when plain). */
export interface ApplianceInstanceSpec {
  /** Zone id (`use1-az1`) of the instance's subnet: the same zone in every account. */
  availabilityZoneId: string;
  /** Public subnet of the instance (a route to an internet gateway), `subnet-...` or an Output of one. */
  subnetId: unknown;
  /** IPv4 CIDR of the subnet: the instance's fixed private address is planned in it. */
  subnetCidr: string;
  /** Fixed private address. @default the subnet's last usable address. */
  privateIp?: string;
  /** An Elastic IP allocation to use (`eipalloc-...`). @default a new Elastic IP. */
  elasticIpAllocationId?: unknown;
  /** Configuration files by name (`swanctl.conf`, `frr.conf`) or absolute path: contents may be Outputs. */
  configFiles: Record<string, unknown>;
}

/** A remote IPsec peer the appliance admits. */
export interface AppliancePeerSpec {
  /**
   * The peer's public IPv4 address (an address, or its /32): the only source admitted for IKE, NAT-T and ESP. An
   * address known only at deployment (an Output: another appliance's Elastic IP, a VPN tunnel's outside address)
   * is checked by the component when it resolves.
   */
  address: unknown;
  /** What the peer is, in the security group rules' descriptions. @default the peer's key. */
  description?: string;
}

/** The failover watchdog's timing. */
export interface ApplianceWatchdogSpec {
  /** Seconds between two health checks of the other instance. @default 2. 1–60. */
  intervalSeconds?: number;
  /** Consecutive failed checks before taking the routes over. @default 3. 2–10. */
  failures?: number;
}

/** CloudWatch alarms on the instances' status checks. */
export interface ApplianceAlarmSpec {
  /** SNS topic ARNs to notify when an instance fails its status checks. */
  actions: string[];
  /** One-minute periods the check must fail before the alarm fires. @default 2. 1–1440 (a day, CloudWatch's limit). */
  evaluationPeriods?: number;
}

/** Everything about the pair that is a plain value, checked before anything registers. */
export interface SoftwareVpnApplianceSpec {
  /** The primary instance: the VPC routes point at it at deployment. */
  primary: ApplianceInstanceSpec;
  /** The standby instance, in another Availability Zone: it takes the routes over when the primary fails. */
  standby: ApplianceInstanceSpec;
  /** Remote IPsec peers, keyed by a stable name used in resource names. At least one. */
  peers: Record<string, AppliancePeerSpec>;
  /**
   * Networks on the AWS side whose traffic the appliance forwards into and out of the tunnels (the VPC's CIDRs;
   * networks it reaches through peering or a transit gateway). A security group filters forwarded packets too,
   * so these are admitted on every protocol. Never 0.0.0.0/0.
   */
  forwardedCidrs: string[];
  /** VPC route tables whose routes to `destinationCidrs` point at the active instance, by a stable key. */
  routeTableIds?: Record<string, unknown>;
  /** Networks behind the tunnels (on premises, other VPCs): routed to the active instance in every route table. */
  destinationCidrs?: string[];
  /** EC2 instance type. @default "c6i.large". */
  instanceType?: string;
  /** AMI id (`ami-...`), checked when plain. @default Debian 12's, from Debian's public SSM parameter. */
  ami?: unknown;
  /** Root volume size in GiB. @default 16. 8–1024. */
  rootVolumeSizeGiB?: number;
  /** Failover timing. @default a check every 2 s, takeover after 3 missed checks. */
  watchdog?: ApplianceWatchdogSpec;
  /** Status check alarms. @default none. */
  statusAlarms?: ApplianceAlarmSpec;
}

// ---------------------------------------------------------------------------------------------------
// The plan

/** A configuration file of one instance: the argument key it came from and where it is written. */
export interface ApplianceFilePlan {
  /** Key in `configFiles`. */
  key: string;
  /** Absolute path on the instance. */
  path: string;
}

/** One instance of the pair. */
export interface ApplianceInstancePlan {
  role: ApplianceRole;
  availabilityZoneId: string;
  subnetCidr: string;
  /** Fixed private IPv4 address: the other instance health-checks it. */
  privateIp: string;
  /** The other instance's private address: what this instance's watchdog checks. */
  peerPrivateIp: string;
  files: ApplianceFilePlan[];
  /** FRR runs (a file under /etc/frr/ was given): bgpd is enabled and FRR started. */
  frr: boolean;
}

/** A peer as planned: its /32 when the address was plain, absent when it is known only at deployment. */
export interface AppliancePeerPlan {
  key: string;
  cidr?: string;
  description: string;
}

/** A security group rule: to or from a CIDR, or to and from the pair's own group (`self`). */
export interface ApplianceRulePlan {
  /** Stable resource-name fragment. */
  key: string;
  /** The peer the rule admits (IKE, NAT-T, ESP): its address is the rule's CIDR, from the plan or at deployment. */
  peer?: string;
  /** "udp", "tcp", "icmp", "50" (ESP) or "-1" (all traffic). */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  /** IPv4 CIDR; absent for a rule on the pair's own security group, or a peer's whose address is not yet known. */
  cidr?: string;
  /** The rule names the pair's own security group (health checks between the two instances). */
  self?: boolean;
  description: string;
}

/** A VPC route to the active instance. */
export interface ApplianceRoutePlan {
  /** Stable resource-name fragment: the route table key and the destination. */
  key: string;
  routeTableKey: string;
  destination: string;
}

/** The failover watchdog: how often it checks, after how many misses it takes over, and the reaction time. */
export interface ApplianceWatchdogPlan {
  intervalSeconds: number;
  failures: number;
  /** Worst case from the peer's failure to the routes moved: misses, one ping timeout, the API calls. */
  failoverSeconds: number;
}

export interface SoftwareVpnAppliancePlan {
  instanceType: string;
  architecture: ApplianceArchitecture;
  /** Debian 12's public SSM parameter for the architecture (used when no AMI is given). */
  amiParameter: string;
  rootVolumeSizeGiB: number;
  /** Primary first, then standby. */
  instances: [ApplianceInstancePlan, ApplianceInstancePlan];
  /** Peer keys in order, with their /32 where the address was plain. */
  peers: AppliancePeerPlan[];
  ingress: ApplianceRulePlan[];
  egress: ApplianceRulePlan[];
  /** Route table keys, in order. */
  routeTableKeys: string[];
  destinations: string[];
  routes: ApplianceRoutePlan[];
  watchdog: ApplianceWatchdogPlan;
  statusAlarms?: { actions: string[]; evaluationPeriods: number };
}

const DEFAULT_WATCHDOG = { intervalSeconds: 2, failures: 3 } as const;
/** Time the watchdog allows for describing and replacing the routes (EC2 API calls) after it decides. */
const API_SECONDS = 3;

/** A stable name fragment for a CIDR: `10-0-0-0-16`. */
export function cidrKey(cidr: string): string {
  return cidr.replace(/[./:]+/g, "-");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function checkInteger(
  problems: Problems,
  path: string,
  value: unknown,
  [lo, hi]: readonly [number, number],
  unit: string,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi) {
    problems.add(path, value, `an integer in ${lo}–${hi} (${unit})`);
    return undefined;
  }
  return value;
}

/**
 * A subnet's usable addresses: AWS reserves the first four (network, VPC router, DNS, future use) and the last
 * (broadcast) of every subnet. Returns why `address` cannot be an instance's address in `subnet`, or undefined.
 */
export function subnetAddressProblem(subnet: Cidr, address: unknown): string | undefined {
  const checked = typeof address === "string" ? checkCidr(`${address}/32`, { version: 4 }) : undefined;
  if (!checked || "problem" in checked) return "an IPv4 address such as 10.0.0.10";
  const value = checked.cidr.first;
  if (!cidrContains(subnet, checked.cidr)) return `an address inside the subnet's CIDR ${subnet.text}`;
  if (value < subnet.first + 4n || value === subnet.last)
    return `an address AWS does not reserve: the first four (${addressToString(subnet.first, 4)}–${addressToString(subnet.first + 3n, 4)}) and the last (${addressToString(subnet.last, 4)}) of ${subnet.text} are AWS's`;
  return undefined;
}

/** The default private address of an instance: the subnet's last usable one (the broadcast address is AWS's). */
export function defaultPrivateIp(subnet: Cidr): string {
  return addressToString(subnet.last - 1n, 4);
}

function checkConfigFiles(problems: Problems, path: string, files: unknown): ApplianceFilePlan[] {
  if (!isRecord(files) || Object.keys(files).length === 0) {
    problems.add(
      path,
      files,
      `configuration files by name: at least swanctl.conf (${CONFIG_FILE_RULE}); contents are strings or Outputs`,
    );
    return [];
  }
  const plans: ApplianceFilePlan[] = [];
  const targets = new FirstUse<string>();
  for (const key of Object.keys(files).sort()) {
    const target = CONFIG_FILE_PATHS[key] ?? (CONFIG_PATH.test(key) && !key.includes("..") ? key : undefined);
    if (target === undefined) {
      problems.add(`${path}.${key}`, key, CONFIG_FILE_RULE);
      continue;
    }
    const first = targets.claim(target, key);
    if (first !== undefined)
      problems.add(`${path}.${key}`, key, `writes ${target}, as ${path}.${first} does`);
    const content = files[key];
    if (content === undefined || content === null || content === "")
      problems.add(`${path}.${key}`, undefined, "the file's contents: a string or an Output of one");
    else if (typeof content !== "string" && typeof content !== "object")
      problems.add(`${path}.${key}`, content, "the file's contents: a string or an Output of one");
    plans.push({ key, path: target });
  }
  if (plans.length > 0 && !plans.some((f) => f.path.startsWith("/etc/swanctl/")))
    problems.add(
      path,
      Object.keys(files),
      "a strongSwan configuration among the files: swanctl.conf, or a path under /etc/swanctl/",
    );
  return plans;
}

interface CheckedInstance extends CheckedPlacement {
  files: ApplianceFilePlan[];
}

/** Where one instance runs, as checked: its zone id, its subnet and its fixed private address. */
export interface CheckedPlacement {
  zone?: string;
  subnet?: Cidr;
  privateIp?: string;
}

/**
 * The placement arguments of one EC2 instance that routes (an appliance's, a remote-access server's): a zone id,
 * a public subnet's id and CIDR (/16–/28), a fixed private address AWS does not reserve (default the subnet's last
 * usable one) and an optional Elastic IP allocation. Problems go to `path`; returns what checked out.
 */
export function checkInstancePlacement(
  problems: Problems,
  path: string,
  spec: Record<string, unknown>,
): CheckedPlacement {
  const result: CheckedPlacement = {};
  const at = (key: string) => (path ? `${path}.${key}` : key);
  const zoneProblem = zoneIdProblem(spec.availabilityZoneId);
  problems.addIf(at("availabilityZoneId"), spec.availabilityZoneId, zoneProblem);
  if (!zoneProblem) result.zone = spec.availabilityZoneId as string;
  if (spec.subnetId === undefined || spec.subnetId === null || spec.subnetId === "")
    problems.add(at("subnetId"), spec.subnetId, "a public subnet's id (subnet-...), or an Output of one");
  else problems.addIf(at("subnetId"), spec.subnetId, ec2IdProblem("subnet", spec.subnetId));
  const cidr = checkCidr(spec.subnetCidr, { version: 4, minPrefix: 16, maxPrefix: 28 });
  if ("problem" in cidr) problems.add(at("subnetCidr"), spec.subnetCidr, `${cidr.problem} (a VPC subnet)`);
  else {
    result.subnet = cidr.cidr;
    if (spec.privateIp === undefined) result.privateIp = defaultPrivateIp(cidr.cidr);
    else {
      const bad = subnetAddressProblem(cidr.cidr, spec.privateIp);
      problems.addIf(at("privateIp"), spec.privateIp, bad);
      if (!bad) result.privateIp = spec.privateIp as string;
    }
  }
  if (spec.elasticIpAllocationId !== undefined)
    problems.addIf(
      at("elasticIpAllocationId"),
      spec.elasticIpAllocationId,
      ec2IdProblem("eipalloc", spec.elasticIpAllocationId),
    );
  return result;
}

function checkInstance(problems: Problems, path: string, spec: unknown): CheckedInstance {
  if (!isRecord(spec)) {
    problems.add(
      path,
      spec,
      '{ availabilityZoneId: "use1-az1", subnetId: "subnet-...", subnetCidr: "10.0.0.0/24", configFiles: { "swanctl.conf": ... } }',
    );
    return { files: [] };
  }
  const placement = checkInstancePlacement(problems, path, spec);
  return { ...placement, files: checkConfigFiles(problems, `${path}.configFiles`, spec.configFiles) };
}

/**
 * A peer's address as the /32 the security group admits, or why it cannot be one: one public IPv4 address (or
 * its /32). The component checks an address known only at deployment with it when the address resolves.
 */
export function peerCidr(raw: unknown): { cidr: string } | { problem: string } {
  if (typeof raw === "string" && raw.includes("/") && !raw.endsWith("/32"))
    return {
      problem:
        "one address (or its /32): an IPsec peer is one host, and a wider block would admit IKE and ESP from every address in it",
    };
  const address = typeof raw === "string" && raw.endsWith("/32") ? raw.slice(0, -3) : raw;
  const bad = publicIpv4Problem(address);
  if (bad) return { problem: bad.replace("the device's", "the peer's") };
  return { cidr: `${address}/32` };
}

function checkPeers(problems: Problems, peers: unknown): AppliancePeerPlan[] {
  if (!isRecord(peers) || Object.keys(peers).length === 0) {
    problems.add(
      "peers",
      peers,
      'at least one remote peer, keyed by a stable name: { dc1: { address: "203.0.113.10" } }; the security group admits IKE and ESP from these addresses only',
    );
    return [];
  }
  checkResourceKeys(problems, "peers", peers);
  const owners = new FirstUse<string>();
  const checked: AppliancePeerPlan[] = [];
  for (const key of Object.keys(peers).sort()) {
    const peer = peers[key];
    const at = `peers.${key}`;
    if (!isRecord(peer)) {
      problems.add(at, peer, '{ address: "203.0.113.10" }');
      continue;
    }
    if (
      peer.description !== undefined &&
      (typeof peer.description !== "string" || peer.description.length > 200)
    )
      problems.add(`${at}.description`, peer.description, "a string of at most 200 characters");
    const description = typeof peer.description === "string" ? peer.description : key;
    const raw = peer.address;
    if (isKnownLater(raw)) {
      checked.push({ key, description });
      continue;
    }
    const result = peerCidr(raw);
    if ("problem" in result) {
      problems.add(`${at}.address`, raw, result.problem);
      continue;
    }
    const address = result.cidr.slice(0, -3);
    const owner = owners.claim(address, at);
    if (owner) problems.add(`${at}.address`, raw, `same address as ${owner}; list each peer once`);
    checked.push({ key, cidr: result.cidr, description });
  }
  return checked;
}

/**
 * IPv4 CIDRs of a list: each valid and given once. `open` refuses a /0 with the reason given. Returns the
 * parsed blocks in order.
 */
function checkCidrList(
  problems: Problems,
  path: string,
  value: unknown,
  what: string,
  refuseDefault?: string,
): Cidr[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(path, value, `at least one IPv4 CIDR: ${what}`);
    return [];
  }
  const seen = new FirstUse<string>();
  const cidrs: Cidr[] = [];
  value.forEach((raw, i) => {
    const result = checkCidr(raw, { version: 4 });
    if ("problem" in result) {
      problems.add(`${path}[${i}]`, raw, result.problem);
      return;
    }
    if (refuseDefault && result.cidr.prefix === 0) {
      problems.add(`${path}[${i}]`, raw, refuseDefault);
      return;
    }
    const first = seen.claim(result.cidr.text, `${path}[${i}]`);
    if (first) problems.add(`${path}[${i}]`, raw, `also ${first}; list each network once`);
    else cidrs.push(result.cidr);
  });
  return cidrs;
}

/** The security group rules of the pair: IKE, NAT-T and ESP with each peer, forwarded traffic, health checks. */
function securityGroupRules(
  peers: readonly AppliancePeerPlan[],
  forwarded: readonly Cidr[],
): { ingress: ApplianceRulePlan[]; egress: ApplianceRulePlan[] } {
  const ipsec = (direction: "from" | "to") =>
    peers.flatMap((p) => [
      {
        key: `ike-${p.key}`,
        peer: p.key,
        protocol: "udp",
        fromPort: IKE_PORT,
        toPort: IKE_PORT,
        cidr: p.cidr,
        description: `IKE ${direction} ${p.description}`,
      },
      {
        key: `natt-${p.key}`,
        peer: p.key,
        protocol: "udp",
        fromPort: NAT_T_PORT,
        toPort: NAT_T_PORT,
        cidr: p.cidr,
        description: `NAT-T ${direction} ${p.description}`,
      },
      {
        key: `esp-${p.key}`,
        peer: p.key,
        protocol: ESP_PROTOCOL,
        cidr: p.cidr,
        description: `ESP ${direction} ${p.description}`,
      },
    ]);
  const forward = (direction: "from" | "to") =>
    forwarded.map((c) => ({
      key: `fwd-${cidrKey(c.text)}`,
      protocol: "-1",
      cidr: c.text,
      description: `forwarded traffic ${direction} ${c.text}`,
    }));
  const health = (direction: "from" | "to"): ApplianceRulePlan => ({
    key: "health",
    protocol: "icmp",
    fromPort: -1,
    toPort: -1,
    self: true,
    description: `watchdog health checks ${direction} the other instance`,
  });
  return {
    ingress: [...ipsec("from"), ...forward("from"), health("from")],
    egress: [
      ...ipsec("to"),
      ...forward("to"),
      health("to"),
      ...packageEgressRules("EC2 API (failover), Debian mirrors"),
    ],
  };
}

/**
 * Egress an instance needs at boot and to call AWS: apt fetches Debian's packages (Debian's mirror for AWS
 * serves plain HTTP, and apt checks every package's signature) and the AWS CLI calls the EC2 API (HTTPS);
 * `httpsFor` says what HTTPS is for.
 */
export function packageEgressRules(httpsFor: string): ApplianceRulePlan[] {
  return [
    {
      key: "https",
      protocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidr: "0.0.0.0/0",
      description: `HTTPS: ${httpsFor}`,
    },
    {
      key: "http",
      protocol: "tcp",
      fromPort: 80,
      toPort: 80,
      cidr: "0.0.0.0/0",
      description: "HTTP: Debian mirrors (signed packages)",
    },
  ];
}

/** The two instances: each on its own, then as a pair (two zones, two subnets). */
function checkPair(
  problems: Problems,
  spec: SoftwareVpnApplianceSpec,
): { primary: CheckedInstance; standby: CheckedInstance } {
  const primary = checkInstance(problems, "primary", spec.primary);
  const standby = checkInstance(problems, "standby", spec.standby);
  if (primary.zone && standby.zone && primary.zone === standby.zone)
    problems.add(
      "standby.availabilityZoneId",
      standby.zone,
      `a zone other than the primary's (${primary.zone}): two instances in one zone fail together, and one appliance is a single point of failure`,
    );
  if (typeof spec.primary?.subnetId === "string" && spec.primary.subnetId === spec.standby?.subnetId)
    problems.add(
      "standby.subnetId",
      spec.standby.subnetId,
      "a subnet other than the primary's, in the standby's zone",
    );
  if (primary.subnet && standby.subnet && cidrsOverlap(primary.subnet, standby.subnet))
    problems.add(
      "standby.subnetCidr",
      spec.standby.subnetCidr,
      `overlaps the primary's subnet ${primary.subnet.text}; a subnet is in one zone, so the two instances need two subnets`,
    );
  return { primary, standby };
}

/** Route table ids keyed by a stable name: plain ids of route tables, each once. Returns the keys in order. */
function checkRouteTables(problems: Problems, routeTables: unknown): string[] {
  if (routeTables === undefined) return [];
  if (!isRecord(routeTables)) {
    problems.add("routeTableIds", routeTables, "route table ids keyed by a stable name");
    return [];
  }
  checkResourceKeys(problems, "routeTableIds", routeTables);
  const owners = new FirstUse<string>();
  const keys = Object.keys(routeTables).sort();
  for (const key of keys) {
    const id = routeTables[key];
    if (id === undefined || id === null || id === "")
      problems.add(`routeTableIds.${key}`, id, "a route table id (rtb-...) or an Output of one");
    else problems.addIf(`routeTableIds.${key}`, id, ec2IdProblem("rtb", id));
    if (typeof id !== "string") continue;
    const owner = owners.claim(id, `routeTableIds.${key}`);
    if (owner) problems.add(`routeTableIds.${key}`, id, `same route table as ${owner}; list each once`);
  }
  return keys;
}

/**
 * The networks behind the tunnels, given with route tables (and only with them): IPv4, each once, outside the
 * forwarded networks, within a route table's quota.
 */
function checkDestinations(
  problems: Problems,
  spec: SoftwareVpnApplianceSpec,
  routeTableKeys: readonly string[],
  forwarded: readonly Cidr[],
): Cidr[] {
  if (spec.destinationCidrs === undefined && routeTableKeys.length === 0) return [];
  const destinations = checkCidrList(
    problems,
    "destinationCidrs",
    spec.destinationCidrs,
    "the networks behind the tunnels that the route tables send to the active instance",
  );
  for (const [i, d] of destinations.entries()) {
    const clash = forwarded.find((f) => cidrsOverlap(f, d));
    if (clash)
      problems.add(
        `destinationCidrs[${i}]`,
        d.text,
        `overlaps forwarded network ${clash.text}: traffic to it would loop between the VPC and the appliance`,
      );
  }
  if (destinations.length > ROUTES_PER_ROUTE_TABLE)
    problems.add(
      "destinationCidrs",
      spec.destinationCidrs,
      `${destinations.length} destinations; a route table holds ${ROUTES_PER_ROUTE_TABLE} routes (Amazon VPC quota); summarize them`,
    );
  if (routeTableKeys.length === 0)
    problems.add(
      "routeTableIds",
      spec.routeTableIds,
      "the route tables whose routes to destinationCidrs point at the active instance",
    );
  return destinations;
}

/** The host settings of an instance that routes: its type, its AMI and its root volume. */
export interface HostSettingsSpec {
  instanceType?: string;
  ami?: unknown;
  rootVolumeSizeGiB?: number;
}

/** What {@link checkHostSettings} plans: the type (default c6i.large), its architecture and AMI parameter, the volume. */
export interface HostSettingsPlan {
  instanceType: string;
  architecture: ApplianceArchitecture;
  amiParameter: string;
  rootVolumeSizeGiB: number;
}

/** Instance type (by rule), AMI id when plain, root volume size (8–1024 GiB, default 16). */
export function checkHostSettings(problems: Problems, spec: HostSettingsSpec): HostSettingsPlan {
  if (spec.instanceType !== undefined)
    problems.addIf("instanceType", spec.instanceType, instanceTypeProblem(spec.instanceType));
  if (spec.ami !== undefined) problems.addIf("ami", spec.ami, ec2IdProblem("ami", spec.ami));
  const rootVolumeSizeGiB =
    checkInteger(problems, "rootVolumeSizeGiB", spec.rootVolumeSizeGiB, [8, 1024], "GiB") ??
    DEFAULT_ROOT_VOLUME_GIB;
  const instanceType = spec.instanceType ?? DEFAULT_INSTANCE_TYPE;
  const architecture = architectureOf(instanceType);
  return { instanceType, architecture, amiParameter: debianAmiParameter(architecture), rootVolumeSizeGiB };
}

/** Instance type, AMI, root volume and the watchdog's timing. */
function checkInstanceSettings(
  problems: Problems,
  spec: SoftwareVpnApplianceSpec,
): { host: HostSettingsPlan; watchdog: ApplianceWatchdogPlan } {
  const host = checkHostSettings(problems, spec);
  const watchdog = spec.watchdog ?? {};
  if (!isRecord(watchdog)) problems.add("watchdog", watchdog, "{ intervalSeconds?, failures? }");
  const intervalSeconds =
    checkInteger(problems, "watchdog.intervalSeconds", watchdog.intervalSeconds, [1, 60], "seconds") ??
    DEFAULT_WATCHDOG.intervalSeconds;
  const failures =
    checkInteger(problems, "watchdog.failures", watchdog.failures, [2, 10], "missed checks") ??
    DEFAULT_WATCHDOG.failures;
  return {
    host,
    watchdog: { intervalSeconds, failures, failoverSeconds: intervalSeconds * failures + 1 + API_SECONDS },
  };
}

function checkStatusAlarms(problems: Problems, alarms: unknown): SoftwareVpnAppliancePlan["statusAlarms"] {
  if (alarms === undefined) return undefined;
  if (!isRecord(alarms) || !Array.isArray(alarms.actions) || alarms.actions.length === 0) {
    problems.add(
      "statusAlarms.actions",
      isRecord(alarms) ? alarms.actions : alarms,
      "at least one SNS topic ARN to notify",
    );
    return undefined;
  }
  alarms.actions.forEach((a, i) => {
    problems.addIf(`statusAlarms.actions[${i}]`, a, snsTopicArnProblem(a));
  });
  checkEvaluationPeriods(problems, "statusAlarms.evaluationPeriods", alarms.evaluationPeriods, 60);
  const periods = typeof alarms.evaluationPeriods === "number" ? alarms.evaluationPeriods : 2;
  return { actions: alarms.actions.map(String), evaluationPeriods: periods };
}

/** The pair's security group rules, within a security group's quota per direction. */
function checkedRules(
  problems: Problems,
  spec: SoftwareVpnApplianceSpec,
  peers: readonly AppliancePeerPlan[],
  forwarded: readonly Cidr[],
): { ingress: ApplianceRulePlan[]; egress: ApplianceRulePlan[] } {
  const rules = securityGroupRules(peers, forwarded);
  for (const direction of ["ingress", "egress"] as const)
    if (rules[direction].length > SECURITY_GROUP_RULES_PER_DIRECTION)
      problems.add(
        "peers",
        Object.keys(spec.peers ?? {}),
        `${rules[direction].length} ${direction} rules (3 per peer, 1 per forwarded network, and the pair's own); a security group holds ${SECURITY_GROUP_RULES_PER_DIRECTION} per direction (Amazon VPC quota)`,
      );
  return rules;
}

function instancePlan(
  role: ApplianceRole,
  own: CheckedInstance,
  other: CheckedInstance,
): ApplianceInstancePlan {
  return {
    role,
    availabilityZoneId: own.zone as string,
    subnetCidr: (own.subnet as Cidr).text,
    privateIp: own.privateIp as string,
    peerPrivateIp: other.privateIp as string,
    files: own.files,
    frr: own.files.some((f) => f.path.startsWith("/etc/frr/")),
  };
}

/**
 * Checks every argument of an appliance pair, collecting every problem, and throws one ValidationError naming
 * `where` before anything registers; returns the plan.
 *
 * Failover is an on-instance watchdog, not a health check and a function: each instance pings the other's fixed
 * private address every `intervalSeconds`; after `failures` misses, and only while its own strongSwan runs, it
 * points every declared route to itself (`ec2:ReplaceRoute`, after `ec2:DescribeRouteTables` shows another
 * target). Reaction: interval × failures plus the API calls (about 10 s by default). A CloudWatch status check
 * alarm and a Lambda would react in minutes (one-minute metrics, alarm periods, an invocation), miss a dead
 * strongSwan on a healthy instance, and add an alarm, an event rule, a function, its role and its log group; a
 * Route 53 health check would need a port open to Route 53's checkers on the internet. The watchdog needs the
 * same EC2 permissions the function would, limited to the declared route tables.
 */
export function planSoftwareVpnAppliance(
  where: string,
  spec: SoftwareVpnApplianceSpec,
): SoftwareVpnAppliancePlan {
  const problems = new Problems();
  const { primary, standby } = checkPair(problems, spec);
  const peers = checkPeers(problems, spec.peers);
  const forwarded = checkCidrList(
    problems,
    "forwardedCidrs",
    spec.forwardedCidrs,
    "the AWS-side networks whose traffic the appliance forwards (the VPC's CIDRs)",
    "not 0.0.0.0/0: the security group would admit every source on every protocol; name the VPC's CIDRs",
  );
  const routeTableKeys = checkRouteTables(problems, spec.routeTableIds);
  const destinations = checkDestinations(problems, spec, routeTableKeys, forwarded);
  const settings = checkInstanceSettings(problems, spec);
  const statusAlarms = checkStatusAlarms(problems, spec.statusAlarms);
  const rules = checkedRules(problems, spec, peers, forwarded);
  problems.throwIfAny(where);

  return {
    ...settings.host,
    instances: [
      instancePlan(ApplianceRole.Primary, primary, standby),
      instancePlan(ApplianceRole.Standby, standby, primary),
    ],
    peers,
    ...rules,
    routeTableKeys,
    destinations: destinations.map((d) => d.text),
    routes: routeTableKeys.flatMap((rt) =>
      destinations.map((d) => ({ key: `${rt}-${cidrKey(d.text)}`, routeTableKey: rt, destination: d.text })),
    ),
    watchdog: settings.watchdog,
    ...(statusAlarms ? { statusAlarms } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// The instance role

/** The EC2 actions the watchdog calls, and nothing else. */
export const WATCHDOG_ROUTE_ACTIONS: readonly string[] = ["ec2:ReplaceRoute", "ec2:CreateRoute"];
/** DescribeRouteTables supports no resource-level permissions: it is granted on "*". */
export const WATCHDOG_DESCRIBE_ACTIONS: readonly string[] = ["ec2:DescribeRouteTables"];

/** The ARN of a route table (`arn:<partition>:ec2:<region>:<account>:route-table/<id>`). */
export function routeTableArn(partition: string, region: string, account: string, id: string): string {
  return `arn:${partition}:ec2:${region}:${account}:route-table/${id}`;
}

/**
 * The instance role's policy: replace and create routes in the declared route tables only, and read route
 * tables (which IAM cannot scope). No SSM, no logs, no other service: the appliance needs nothing else.
 */
export function watchdogPolicyDocument(routeTableArns: readonly string[]): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "MoveRoutesToThisInstance",
        Effect: "Allow",
        Action: [...WATCHDOG_ROUTE_ACTIONS],
        Resource: [...routeTableArns],
      },
      { Sid: "ReadRouteTargets", Effect: "Allow", Action: [...WATCHDOG_DESCRIBE_ACTIONS], Resource: "*" },
    ],
  };
}

/** Lets EC2 instances assume the role (the instance profile's). */
export const EC2_ASSUME_ROLE_POLICY = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
} as const;
