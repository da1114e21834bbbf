/**
 * The policy checks of software VPN appliances and the EC2 instances they run on, as pure functions of planned
 * resources: IMDSv2 required, encrypted EBS volumes, appliance security groups never open to the internet, and
 * in production an appliance's instances in at least two Availability Zones (the whitepaper's caution: one
 * appliance on one instance is a single point of failure). They read the constants the component registers
 * with (model/softwareVpn/appliance), so the component and the pack never disagree. No Pulumi import.
 */
import { isProdStack, openIngressOn } from "../policyRules";
import { ELEMENT_TYPES, type Finding, type PlannedResource, type ResourceGraph } from "../resourceGraph";
import {
  APPLIANCE_COMPONENT_TYPE,
  APPLIANCE_ROLE_TAG,
  APPLIANCE_ROLE_VALUE,
  APPLIANCE_ZONE_TAG,
  IMDS_HTTP_TOKENS_REQUIRED,
} from "./appliance";
import { REMOTE_ACCESS_COMPONENT_TYPE, REMOTE_ACCESS_ROLE_VALUE, WIREGUARD_PORT_TAG } from "./remoteAccess";

/** Type tokens of the EC2 resources these checks read. */
export const EC2_TYPES = {
  instance: "aws:ec2/instance:Instance",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  volume: "aws:ebs/volume:Volume",
} as const;

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A launch template takes `encrypted` as the string "true"; an instance and a volume as a boolean. */
function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** The type of the resource a URN names (`hybridnet:index:SoftwareVpnAppliance`). */
function typeOfUrn(urn: string | undefined): string | undefined {
  return urn?.split("::")[2]?.split("$").pop();
}

/**
 * Instances and launch templates that allow IMDSv1: `metadataOptions.httpTokens` must be "required". IMDSv1
 * answers any request that reaches 169.254.169.254, including one a forwarding appliance or a server-side
 * request forgery relays, with the instance role's credentials.
 */
export function imdsProblems(r: PlannedResource): string[] {
  if (r.type !== EC2_TYPES.instance && r.type !== EC2_TYPES.launchTemplate) return [];
  const tokens = record(r.props.metadataOptions).httpTokens;
  if (tokens === IMDS_HTTP_TOKENS_REQUIRED) return [];
  return [
    `metadataOptions.httpTokens is ${tokens === undefined ? "unset (AWS then accepts IMDSv1 unless the AMI or account says otherwise)" : JSON.stringify(tokens)}: set it to "required" (IMDSv2 only), so the instance role's credentials need a session token a relayed request cannot get`,
  ];
}

/**
 * EBS volumes not encrypted: an instance's root and attached block devices, a launch template's mappings, a
 * volume. Unset counts as unencrypted: it then depends on the account's encryption-by-default setting, which
 * a plan cannot see.
 */
export function unencryptedVolumeProblems(r: PlannedResource): string[] {
  const problems: string[] = [];
  const say = (where: string, value: unknown) =>
    problems.push(
      `${where} is ${value === undefined ? "not set to be encrypted (then only the account's encryption-by-default setting decides)" : "not encrypted"}: set encrypted: true (with kmsKeyId for a key of your own); an appliance's disk holds its keys and configuration`,
    );
  if (r.type === EC2_TYPES.instance) {
    const root = record(r.props.rootBlockDevice);
    if (!isTrue(root.encrypted)) say("rootBlockDevice", root.encrypted);
    list(r.props.ebsBlockDevices).forEach((d, i) => {
      if (!isTrue(record(d).encrypted)) say(`ebsBlockDevices[${i}]`, record(d).encrypted);
    });
  } else if (r.type === EC2_TYPES.launchTemplate) {
    list(r.props.blockDeviceMappings).forEach((m, i) => {
      const ebs = record(m).ebs;
      if (ebs !== undefined && !isTrue(record(ebs).encrypted))
        say(`blockDeviceMappings[${i}].ebs`, record(ebs).encrypted);
    });
  } else if (r.type === EC2_TYPES.volume && !isTrue(r.props.encrypted)) say("the volume", r.props.encrypted);
  return problems;
}

/** Whether `r` is an instance of a software VPN appliance: tagged so, or a child of SoftwareVpnAppliance. */
export function isApplianceInstance(r: PlannedResource): boolean {
  if (r.type !== EC2_TYPES.instance) return false;
  return (
    record(r.props.tags)[APPLIANCE_ROLE_TAG] === APPLIANCE_ROLE_VALUE ||
    typeOfUrn(r.parent) === APPLIANCE_COMPONENT_TYPE
  );
}

/** Whether `r` is the instance of a WireGuard remote-access server: tagged so, or a child of SoftwareRemoteAccessVpn. */
export function isRemoteAccessInstance(r: PlannedResource): boolean {
  if (r.type !== EC2_TYPES.instance) return false;
  return (
    record(r.props.tags)[APPLIANCE_ROLE_TAG] === REMOTE_ACCESS_ROLE_VALUE ||
    typeOfUrn(r.parent) === REMOTE_ACCESS_COMPONENT_TYPE
  );
}

/** The WireGuard port a remote-access server's security group declares (its tag), or undefined. */
function wireguardPortOf(sg: PlannedResource | undefined): number | undefined {
  const tagged = Number(record(sg?.props.tags)[WIREGUARD_PORT_TAG]);
  return Number.isInteger(tagged) && tagged > 0 && tagged <= 65535 ? tagged : undefined;
}

/**
 * Ingress open to 0.0.0.0/0 or ::/0 on any port on a security group of a software VPN appliance (one its
 * instances use, or one tagged as an appliance's): an appliance answers IKE and ESP from its declared peers only.
 * A WireGuard remote-access server's group is guarded too, with one exception: UDP on exactly the WireGuard
 * port its group declares (tag `hybridnet:wireguard-port`). Remote clients roam (homes, phones, hotel
 * networks), so `clientSourceCidrs` may have to be 0.0.0.0/0, which the component takes only when given
 * explicitly; and WireGuard answers no packet that does not prove it knows the server's public key, so the open
 * port shows a scanner nothing. Anything else open on that group is a violation.
 */
export function applianceOpenIngressFindings(graph: ResourceGraph): Finding[] {
  const guarded = new Map<string, string>();
  const ports = new Map<string, number>();
  for (const r of graph.ofType(EC2_TYPES.instance)) {
    const what = isApplianceInstance(r)
      ? `VPN appliance instance "${r.name}"`
      : isRemoteAccessInstance(r)
        ? `WireGuard server instance "${r.name}"`
        : undefined;
    if (what)
      for (const prop of ["vpcSecurityGroupIds", "securityGroups"])
        for (const sg of graph.targets(r, prop, ELEMENT_TYPES.securityGroup)) guarded.set(sg, what);
  }
  for (const sg of graph.ofType(...ELEMENT_TYPES.securityGroup)) {
    const role = record(sg.props.tags)[APPLIANCE_ROLE_TAG];
    if (!guarded.has(sg.urn) && role === APPLIANCE_ROLE_VALUE) guarded.set(sg.urn, "a VPN appliance");
    if (!guarded.has(sg.urn) && role === REMOTE_ACCESS_ROLE_VALUE) guarded.set(sg.urn, "a WireGuard server");
    const port = role === REMOTE_ACCESS_ROLE_VALUE ? wireguardPortOf(sg) : undefined;
    if (port !== undefined) ports.set(sg.urn, port);
  }
  return openIngressOn(
    graph,
    guarded,
    "admit IKE (UDP 500), NAT-T (UDP 4500) and ESP (protocol 50) from the peers' addresses only (a WireGuard server: its UDP port only); an appliance open to the internet invites every IKE scanner and exposes whatever else listens on it",
    (sg, rule) => {
      const port = ports.get(sg);
      return (
        port !== undefined &&
        (rule.protocol === "udp" || rule.protocol === "17") &&
        rule.fromPort === port &&
        rule.toPort === port
      );
    },
  );
}

/** An appliance's instances: the component they belong to (its URN, or the instance's for a lone one). */
interface ApplianceGroup {
  urn: string;
  label: string;
  instances: PlannedResource[];
}

function applianceGroups(graph: ResourceGraph): ApplianceGroup[] {
  const groups = new Map<string, ApplianceGroup>();
  for (const r of graph.ofType(EC2_TYPES.instance)) {
    if (!isApplianceInstance(r)) continue;
    const component = typeOfUrn(r.parent) === APPLIANCE_COMPONENT_TYPE ? r.parent : undefined;
    const tagged = record(r.props.tags)["hybridnet:component"];
    const key = component ?? (typeof tagged === "string" ? `tag:${tagged}` : r.urn);
    const label = component
      ? `"${component.split("::").pop()}"`
      : typeof tagged === "string"
        ? `"${tagged}"`
        : `"${r.name}"`;
    const group = groups.get(key) ?? { urn: component ?? r.urn, label, instances: [] };
    group.instances.push(r);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The zone an appliance instance declares: its zone id tag, else its `availabilityZone`; undefined if neither. */
export function applianceZoneOf(r: PlannedResource): string | undefined {
  const tagged = record(r.props.tags)[APPLIANCE_ZONE_TAG];
  if (typeof tagged === "string" && tagged !== "") return tagged;
  const zone = r.props.availabilityZone;
  return typeof zone === "string" && zone !== "" ? zone : undefined;
}

/**
 * In a production stack, software VPN appliances whose instances are in fewer than `minZones` Availability
 * Zones (by the zone id tag the component sets, or `availabilityZone`): one appliance, or two in one zone, is a
 * single point of failure.
 */
export function applianceZoneFindings(
  graph: ResourceGraph,
  options: { suffixes?: readonly string[]; minZones: number },
): Finding[] {
  const stack = graph.stack;
  if (stack === undefined || !isProdStack(stack, options.suffixes)) return [];
  return applianceGroups(graph).flatMap((g) => {
    const zones = [...new Set(g.instances.flatMap((r) => applianceZoneOf(r) ?? []))].sort();
    if (zones.length >= options.minZones) return [];
    const unknown = g.instances.filter((r) => applianceZoneOf(r) === undefined).map((r) => `"${r.name}"`);
    return [
      {
        urn: g.urn,
        message: `VPN appliance ${g.label} in production stack "${stack}" has ${g.instances.length} instance${g.instances.length === 1 ? "" : "s"} in ${zones.length} known Availability Zone${zones.length === 1 ? "" : "s"}${zones.length ? ` (${zones.join(", ")})` : ""}${unknown.length ? `; no zone declared for ${unknown.join(", ")} (tag ${APPLIANCE_ZONE_TAG} or availabilityZone)` : ""}: run it in at least ${options.minZones} zones (SoftwareVpnAppliance's primary and standby), since one appliance on one instance, or in one zone, is a single point of failure`,
      },
    ];
  });
}
