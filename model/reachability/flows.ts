/**
 * A flow, end to end: the request from its source to the destination and the reply back, each hop named.
 * A flow is reachable only if the reply returns to where the request started (security groups are stateful,
 * routing is not: a missing return route drops the session). Through PrivateLink a flow is four legs: the
 * client to the interface endpoint, the load balancer to each target (the target sees the load balancer's
 * address), and both replies; every target behind the listener must be reachable, as the load balancer
 * spreads sessions over all of them.
 */
import {
  type Arrival,
  Forwarder,
  type Hop,
  hop,
  type Outcome,
  type Packet,
  type Place,
  service,
} from "./forwarding";
import type { EndpointService, InterfaceEndpoint, Network } from "./network";
import { loadBalancerAddress, NetworkIndex } from "./networkIndex";
import { addressText, prefix } from "./prefixes";

export interface FlowAnswer {
  reachable: boolean;
  /** The request's hops, source to destination (through an endpoint: to the targets). */
  forward: Hop[];
  /** The reply's hops back to the source. */
  reply: Hop[];
  /** The hop that dropped the flow and in which direction. */
  blockedAt?: Hop & { direction: "forward" | "reply" };
  /** The answer depended on the port (a security group or listener was on the path). */
  portSensitive: boolean;
  /** The answer depended on the source address beyond routing (an inbound rule was on the path). */
  sourceSensitive: boolean;
}

/** Answers flows over one network; build once, ask many times. */
export class FlowChecker {
  readonly index: NetworkIndex;
  readonly forwarder: Forwarder;

  constructor(network: Network | NetworkIndex) {
    this.index = network instanceof NetworkIndex ? network : new NetworkIndex(network);
    this.forwarder = new Forwarder(this.index);
  }

  /** One flow from a host at `from` with `packet`: both ways, hop by hop. */
  check(from: Place, packet: Packet): FlowAnswer {
    this.forwarder.touchedPorts = false;
    this.forwarder.touchedSource = false;
    const answer = this.walk(from, packet) as FlowAnswer;
    answer.portSensitive = this.forwarder.touchedPorts;
    answer.sourceSensitive = this.forwarder.touchedSource;
    return answer;
  }

  private walk(from: Place, p: Packet): Omit<FlowAnswer, "portSensitive" | "sourceSensitive"> {
    const out = this.forwarder.from(from, p);
    if (!out.ok) return blocked(out.hops, [], out.drop, "forward");
    const forward = [...out.hops];
    const reply: Hop[] = [];
    const at = out.at;
    if (at.kind === "endpoint") {
      const served = this.throughService(at);
      forward.push(...served.forward);
      reply.push(...served.reply);
      if (served.drop) return blocked(forward, reply, served.drop, served.direction ?? "forward");
    }
    // The reply leaves where the request arrived, addressed to the request's (possibly translated) source.
    const arrived = at.packet;
    const back: Packet = { src: arrived.dst, dst: arrived.src, protocol: arrived.protocol };
    const start: Place = at.kind === "endpoint" ? { kind: "subnet", subnetId: at.subnetId } : at.place;
    const returned = this.forwarder.from(start, back);
    reply.push(...returned.hops);
    if (!returned.ok) return blocked(forward, reply, returned.drop, "reply");
    const expected = this.expectedReplyPlace(from, arrived);
    if (!samePlace(returned.at, expected)) {
      const last = returned.hops[returned.hops.length - 1] ?? { stack: "?", name: "?", what: "" };
      return blocked(
        forward,
        reply,
        {
          ...last,
          what: `the reply to ${addressText(arrived.src)} is delivered to ${placeText(this.index, returned.at)}, not to the source`,
        },
        "reply",
      );
    }
    if (from.kind === "clientVpn")
      reply.push({
        stack: this.index.clientVpns.get(from.endpointId)?.origin.stack ?? "?",
        name: this.index.clientVpns.get(from.endpointId)?.origin.name ?? from.endpointId,
        what: "Client VPN returns the reply to the client",
      });
    return { reachable: true, forward, reply };
  }

  /** Where the reply must arrive: the source's place; a Client VPN reply comes back to the endpoint's interface. */
  private expectedReplyPlace(from: Place, arrived: Packet): Place {
    if (from.kind !== "clientVpn") return from;
    const c = this.index.clientVpns.get(from.endpointId);
    const subnet = c ? this.index.subnetAt(c.vpcId, arrived.src) : undefined;
    return subnet ? { kind: "subnet", subnetId: subnet.id } : from;
  }

  /** From the interface endpoint to every target of the service's listener, and the targets' replies. */
  private throughService(at: Extract<Arrival, { kind: "endpoint" }>): {
    forward: Hop[];
    reply: Hop[];
    drop?: Hop;
    direction?: "forward" | "reply";
  } {
    const { endpoint, packet: p } = at;
    const index = this.index;
    const svc = index.endpointServices.get(endpoint.serviceName);
    if (!svc) {
      if (!endpoint.serviceName.startsWith("com.amazonaws.vpce."))
        return {
          forward: [hop(endpoint.origin, `to the AWS service ${endpoint.serviceName}`)],
          reply: [],
        };
      return {
        forward: [],
        reply: [],
        drop: hop(endpoint.origin, `endpoint service ${endpoint.serviceName} is not in the plan`),
      };
    }
    const regionProblem = crossRegionProblem(endpoint, svc);
    if (regionProblem) return { forward: [], reply: [], drop: regionProblem };
    if (svc.acceptanceRequired && !svc.acceptedEndpointIds.includes(endpoint.id))
      return {
        forward: [],
        reply: [],
        drop: hop(
          svc.origin,
          `endpoint service ${svc.origin.name} requires acceptance and has not accepted endpoint ${endpoint.origin.name} (${endpoint.id})`,
        ),
      };
    const crossRegion =
      endpoint.region && svc.region && endpoint.region !== svc.region
        ? `, cross-Region from ${endpoint.region} to ${svc.region}`
        : "";
    const forward: Hop[] = [
      hop(svc.origin, `endpoint service ${svc.serviceName} (connection accepted${crossRegion})`),
    ];
    const reply: Hop[] = [];
    this.forwarder.touchedPorts = true;
    for (const arn of svc.loadBalancerArns) {
      const lb = index.loadBalancers.get(arn);
      if (!lb)
        return {
          forward,
          reply,
          drop: hop(svc.origin, `load balancer ${arn} is not in the plan`),
        };
      const listenerProtocols = p.protocol === "udp" ? ["UDP", "TCP_UDP"] : ["TCP", "TLS", "TCP_UDP"];
      const listener = lb.listeners.find(
        (l) => l.port === p.port && listenerProtocols.includes(l.protocol.toUpperCase()),
      );
      if (!listener)
        return {
          forward,
          reply,
          drop: hop(lb.origin, `load balancer ${lb.origin.name} has no listener for ${service(p)}`),
        };
      if (lb.enforceInboundOnPrivateLink && lb.securityGroupIds.length > 0) {
        // With inbound rules enforced on PrivateLink traffic, the load balancer sees the client's address.
        const { admits, origin: sg } = this.forwarder.admit(
          lb.securityGroupIds,
          "ingress",
          lb.vpcId,
          p.src,
          p,
        );
        if (!admits)
          return {
            forward,
            reply,
            drop: hop(
              sg,
              `security group of load balancer ${lb.origin.name} admits no ${service(p)} from ${this.forwarder.owner(p.src)}`,
            ),
          };
      }
      forward.push(hop(listener.origin, `listener ${listener.protocol} ${listener.port}`));
      const tg = index.targetGroups.get(listener.targetGroupArn);
      if (!tg)
        return {
          forward,
          reply,
          drop: hop(listener.origin, `target group ${listener.targetGroupArn} is not in the plan`),
        };
      if (tg.targets.length === 0) {
        forward.push(
          hop(tg.origin, "targets are registered outside the plan: checked up to the load balancer"),
        );
        continue;
      }
      for (const target of tg.targets) {
        const dst = prefix(target.address)?.first;
        if (dst === undefined)
          return {
            forward,
            reply,
            drop: hop(target.origin, `target ${target.address} is not an IPv4 address`),
          };
        const port = target.port ?? tg.port;
        for (const subnetId of lb.subnetIds) {
          const node = loadBalancerAddress(index, subnetId, lb);
          const leg: Packet = { src: node, dst, protocol: p.protocol, port };
          const egress = this.forwarder.admit(lb.securityGroupIds, "egress", lb.vpcId, dst, leg);
          if (lb.securityGroupIds.length > 0 && !egress.admits)
            return {
              forward,
              reply,
              drop: hop(
                egress.origin,
                `security group of load balancer ${lb.origin.name} lets no ${service(leg)} out to target ${target.address}`,
              ),
            };
          const out: Outcome = this.forwarder.from({ kind: "subnet", subnetId }, leg);
          if (subnetId === lb.subnetIds[0]) forward.push(...out.hops);
          if (!out.ok)
            return {
              forward: subnetId === lb.subnetIds[0] ? forward : [...forward, ...out.hops],
              reply,
              drop: out.drop,
              direction: "forward",
            };
          const targetPlace: Place =
            out.at.kind === "host" ? out.at.place : { kind: "subnet", subnetId: out.at.subnetId };
          const back = this.forwarder.from(targetPlace, { src: dst, dst: node, protocol: p.protocol });
          if (subnetId === lb.subnetIds[0]) reply.push(...back.hops);
          if (!back.ok)
            return {
              forward,
              reply: subnetId === lb.subnetIds[0] ? reply : [...reply, ...back.hops],
              drop: back.drop,
              direction: "reply",
            };
          if (!samePlace(back.at, { kind: "subnet", subnetId }))
            return {
              forward,
              reply,
              drop: hop(
                lb.origin,
                `the reply from target ${target.address} to the load balancer is delivered to ${placeText(index, back.at)}`,
              ),
              direction: "reply",
            };
        }
      }
    }
    return { forward, reply };
  }
}

/**
 * Why an interface endpoint cannot reach a service of another Region, if it cannot: the endpoint must name the
 * service's Region (`service_region`), and the service must list the endpoint's Region among its supported
 * Regions (cross-Region PrivateLink). Unknown Regions are not judged.
 */
function crossRegionProblem(endpoint: InterfaceEndpoint, svc: EndpointService): Hop | undefined {
  const consumer = endpoint.region;
  const provider = svc.region;
  if (!consumer || !provider || consumer === provider) return undefined;
  if ((endpoint.serviceRegion ?? consumer) !== provider)
    return hop(
      endpoint.origin,
      `endpoint ${endpoint.origin.name} in ${consumer} looks for ${svc.serviceName} in ${endpoint.serviceRegion ?? consumer}, but the service is in ${provider}: set the endpoint's service Region to ${provider}`,
    );
  if (!(svc.supportedRegions ?? [provider]).includes(consumer))
    return hop(
      svc.origin,
      `endpoint service ${svc.origin.name} (${provider}) does not list ${consumer} in its supported Regions (${(svc.supportedRegions ?? [provider]).join(", ")}): consumers in ${consumer} cannot connect`,
    );
  return undefined;
}

function blocked(
  forward: Hop[],
  reply: Hop[],
  drop: Hop,
  direction: "forward" | "reply",
): Omit<FlowAnswer, "portSensitive" | "sourceSensitive"> {
  return { reachable: false, forward, reply, blockedAt: { ...drop, direction } };
}

function samePlace(at: Arrival, place: Place): boolean {
  if (at.kind !== "host") return false;
  const a = at.place;
  if (a.kind !== place.kind) return false;
  if (a.kind === "subnet" && place.kind === "subnet") return a.subnetId === place.subnetId;
  if (a.kind === "site" && place.kind === "site") return a.site === place.site;
  return JSON.stringify(a) === JSON.stringify(place);
}

/** A place in words: `subnet private-us-east-1a of VPC app-vpc (workload-app-dev)`, `site dc1`. */
export function placeText(index: NetworkIndex, at: Arrival | Place): string {
  const place = "place" in at ? at.place : "kind" in at && at.kind === "endpoint" ? undefined : (at as Place);
  if (!place) return "an interface endpoint";
  switch (place.kind) {
    case "subnet": {
      const s = index.subnets.get(place.subnetId);
      const v = s ? index.vpcs.get(s.vpcId) : undefined;
      return `subnet ${s?.origin.name ?? place.subnetId} of VPC ${v?.origin.name ?? "?"} (${v?.origin.stack ?? "?"})`;
    }
    case "site":
      return `site ${place.site}`;
    case "clientVpn":
      return `Client VPN ${index.clientVpns.get(place.endpointId)?.origin.name ?? place.endpointId} clients`;
    case "awsService":
      return `AWS service ${place.id}`;
  }
}
