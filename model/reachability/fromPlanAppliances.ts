/**
 * Software VPN appliances in a planned environment: every SoftwareVpnAppliance pair (alone, or inside
 * SoftwareVpnPeering, SoftwareVpnToManagedVpn or TransitVpc) read from what it registers — its EC2 instances
 * (tagged `hybridnet:role: vpn-appliance`), their Elastic IPs, its security group's IKE rules (one per remote
 * peer, `<component>-in-ike-<peer>`) — and the remote sites its tunnels lead to: one site per peer, holding the
 * prefixes the config declares for it (the remote network the peer announces over BGP) or, undeclared, the
 * destinations the component routes to its instances. Read after the VPCs, subnets and sites. Pure: no Pulumi
 * import.
 */
import { APPLIANCE_ROLE_TAG, APPLIANCE_ROLE_VALUE } from "../softwareVpn/appliance";
import type {
  ApplianceInstance,
  AppliancePeer,
  Network,
  Origin,
  Site,
  SoftwareVpnAppliance,
} from "./network";
import { cidrText, type Entry, hostCidr, Plan, str, strs, T } from "./planInput";
import type { SiteDeclaration } from "./sites";

/** The tag SoftwareVpnAppliance puts on each instance: its role (`primary`, `standby`). */
const INSTANCE_ROLE_TAG = "hybridnet:appliance";

const INSTANCE = "aws:ec2/instance:Instance";
const EIP_ASSOCIATION = "aws:ec2/eipAssociation:EipAssociation";

/** The appliance a resource belongs to: `<stack>/<nearest hybridnet component>`. */
function applianceKey(e: Entry): string | undefined {
  return e.origin.component ? `${e.stack}/${e.origin.component}` : undefined;
}

/** The instances of every appliance, by appliance key. */
function readInstances(plan: Plan, network: Network): Map<string, ApplianceInstance[]> {
  const publicIps = new Map(
    plan.of(EIP_ASSOCIATION).flatMap((e) => {
      const instance = str(e.inputs.instanceId);
      const ip = str(e.outputs.publicIp);
      return instance && ip ? [[instance, ip] as const] : [];
    }),
  );
  const subnets = new Map(network.subnets.map((s) => [s.id, s]));
  const byAppliance = new Map<string, ApplianceInstance[]>();
  for (const e of plan.of(INSTANCE)) {
    const tags = Plan.tags(e);
    const key = applianceKey(e);
    const subnetId = str(Plan.value(e, "subnetId"));
    if (
      tags[APPLIANCE_ROLE_TAG] !== APPLIANCE_ROLE_VALUE ||
      !key ||
      !e.id ||
      !subnetId ||
      !subnets.has(subnetId)
    )
      continue;
    const privateIp = str(Plan.value(e, "privateIp"));
    const publicIp = publicIps.get(e.id);
    const eni = str(e.outputs.primaryNetworkInterfaceId);
    const instance: ApplianceInstance = {
      id: e.id,
      role: tags[INSTANCE_ROLE_TAG] ?? e.r.name,
      subnetId,
      ...(privateIp ? { privateIp } : {}),
      ...(publicIp ? { publicIp } : {}),
      ...(eni ? { networkInterfaceId: eni } : {}),
      securityGroupIds: strs(Plan.value(e, "vpcSecurityGroupIds")),
      // EC2's default is on; an appliance must turn it off to forward.
      sourceDestCheck: Plan.value(e, "sourceDestCheck") !== false,
      origin: e.origin,
    };
    byAppliance.set(key, [...(byAppliance.get(key) ?? []), instance]);
  }
  return byAppliance;
}

/**
 * Appliances, and a site per remote peer with a link per tunnel (one to each instance). A peer the config
 * declares (`over: "softwareVpn"`) holds the declared prefixes; an undeclared one the component's routes to its
 * instances' interfaces.
 */
export function readAppliances(plan: Plan, network: Network, declarations: readonly SiteDeclaration[]): void {
  const instances = readInstances(plan, network);
  const components = new Map<string, Origin>(
    plan.of("hybridnet:index:SoftwareVpnAppliance").map((e) => [`${e.stack}/${e.r.name}`, e.origin] as const),
  );
  const subnets = new Map(network.subnets.map((s) => [s.id, s]));
  const sites = new Map(network.sites.map((s) => [s.name, s]));
  const inAws = awsAddresses(plan, instances);
  const added: Site[] = [];
  for (const [key, list] of [...instances].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [stack, component] = [key.slice(0, key.indexOf("/")), key.slice(key.indexOf("/") + 1)];
    const vpcId = subnets.get(list[0].subnetId)?.vpcId ?? "";
    const ikeRule = `${component}-in-ike-`;
    const peers: AppliancePeer[] = plan
      .of(T.ingressRule)
      .filter((e) => e.stack === stack && e.origin.component === component && e.r.name.startsWith(ikeRule))
      .map((e) => {
        const address = hostCidr(str(Plan.value(e, "cidrIpv4")));
        const aws = address ? inAws.get(address) : undefined;
        return {
          key: e.r.name.slice(ikeRule.length),
          ...(address ? { address } : {}),
          ...(aws ? { aws } : {}),
          origin: e.origin,
        };
      });
    // A peer the config declares is one even when the plan lacks its rules (the tunnel then cannot come up).
    for (const d of declarations) {
      if (d.over !== "softwareVpn" || d.stack !== stack || d.component !== component) continue;
      let peer = peers.find((x) => x.key === d.site);
      if (!peer) {
        const address = hostCidr(d.appliance?.peerAddress);
        peer = {
          key: d.site,
          ...(address ? { address } : {}),
          origin: components.get(key) ?? { stack, name: component },
        };
        peers.push(peer);
      }
      if (d.appliance)
        peer.declared = {
          asn: d.appliance.asn,
          remoteAsn: d.appliance.remoteAsn,
          insideCidrs: [...d.appliance.insideCidrs],
        };
    }
    peers.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const appliance: SoftwareVpnAppliance = {
      id: key,
      vpcId,
      instances: list.sort((a, b) => (a.role < b.role ? -1 : a.role > b.role ? 1 : 0)),
      peers,
      origin: components.get(key) ?? { stack, name: component },
    };
    network.appliances.push(appliance);
    const routed = routedDestinations(plan, appliance);
    for (const peer of peers) {
      if (peer.aws) continue;
      const declared = declarations.find(
        (d) =>
          d.over === "softwareVpn" && d.stack === stack && d.component === component && d.site === peer.key,
      );
      let site = sites.get(peer.key);
      if (!site) {
        site = { name: peer.key, prefixes: [], links: [], origin: { stack: "on-premises", name: peer.key } };
        sites.set(peer.key, site);
        added.push(site);
      }
      for (const p of declared ? declared.prefixes : routed)
        if (!site.prefixes.includes(p)) site.prefixes.push(p);
      for (const instance of appliance.instances)
        site.links.push({
          id: `${instance.id}/${peer.key}`,
          kind: "vpn",
          appliance: { id: key, instanceId: instance.id, peer: peer.key },
          routing: "bgp",
          origin: instance.origin,
        });
    }
  }
  network.sites.push(...added);
  readApplianceConnections(plan, network);
  network.sites.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * VPN connections on a transit gateway whose customer gateway is an appliance instance's Elastic IP
 * (SoftwareVpnToManagedVpn on the hub, `hybridnet:softwareVpnToHub`): their far end is that instance in its VPC,
 * not an on-premises site. The attachment names the instance and the connection's tunnel addresses; the site
 * readSites made of the connection's tags (`<workload>-primary`, no declared prefixes) loses the connection's
 * link, and goes when nothing else is left of it.
 */
function readApplianceConnections(plan: Plan, network: Network): void {
  const byAddress = new Map<string, { appliance: SoftwareVpnAppliance; instance: ApplianceInstance }>();
  for (const appliance of network.appliances)
    for (const instance of appliance.instances)
      if (instance.publicIp) byAddress.set(instance.publicIp, { appliance, instance });
  if (byAddress.size === 0) return;
  const gatewayAddress = new Map(
    plan.of(T.customerGateway).map((e) => [e.id ?? "", str(Plan.value(e, "ipAddress"))] as const),
  );
  const attachments = new Map(
    network.transitGatewayAttachments
      .filter((a) => a.kind === "vpn" && a.vpnConnectionId)
      .map((a) => [a.vpnConnectionId ?? "", a] as const),
  );
  const moved = new Set<string>();
  for (const e of plan.of(T.vpnConnection)) {
    const attachment = e.id ? attachments.get(e.id) : undefined;
    const address = gatewayAddress.get(str(e.inputs.customerGatewayId) ?? "");
    const at = address ? byAddress.get(address) : undefined;
    if (!attachment || !at) continue;
    attachment.appliance = {
      id: at.appliance.id,
      instanceId: at.instance.id,
      tunnelAddresses: ["tunnel1Address", "tunnel2Address"].flatMap((k) => hostCidr(str(e.outputs[k])) ?? []),
    };
    delete attachment.site;
    moved.add(attachment.id);
  }
  if (moved.size === 0) return;
  const emptied = new Set<string>();
  for (const site of network.sites) {
    const kept = site.links.filter((l) => !moved.has(l.transitGatewayAttachmentId ?? ""));
    if (kept.length === site.links.length) continue;
    site.links = kept;
    if (kept.length === 0 && site.prefixes.length === 0) emptied.add(site.name);
  }
  network.sites = network.sites.filter((s) => !emptied.has(s.name));
}

/** What the component routes to its instances: the destinations of its routes to their interfaces. */
function routedDestinations(plan: Plan, appliance: SoftwareVpnAppliance): string[] {
  const targets = new Set(appliance.instances.flatMap((i) => [i.id, i.networkInterfaceId ?? ""]));
  const found: string[] = [];
  for (const e of plan.of(T.route)) {
    const target = str(e.inputs.networkInterfaceId) ?? str(e.inputs.instanceId);
    const destination = cidrText(e.inputs.destinationCidrBlock);
    if (target && targets.has(target) && destination && !found.includes(destination)) found.push(destination);
  }
  return found.sort();
}

/** Addresses (as /32s) the plan gives AWS elements: appliances' Elastic IPs, VPN connections' tunnel addresses. */
function awsAddresses(
  plan: Plan,
  instances: ReadonlyMap<string, ApplianceInstance[]>,
): Map<string, NonNullable<AppliancePeer["aws"]>> {
  const found = new Map<string, NonNullable<AppliancePeer["aws"]>>();
  for (const [id, list] of instances)
    for (const i of list) {
      const address = hostCidr(i.publicIp);
      if (address) found.set(address, { kind: "appliance", id, instanceId: i.id });
    }
  for (const e of plan.of(T.vpnConnection))
    for (const key of ["tunnel1Address", "tunnel2Address"]) {
      const address = hostCidr(str(e.outputs[key]));
      if (address && e.id) found.set(address, { kind: "vpnConnection", id: e.id });
    }
  return found;
}
