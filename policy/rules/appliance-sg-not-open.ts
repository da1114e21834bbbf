import { applianceOpenIngressFindings } from "../../model/softwareVpn/policy";
import { stackRule } from "../lib/rules";

/** A stack rule: which security group belongs to an appliance shows only across resources (as endpoint-sg-not-open). */
export const applianceSgNotOpen = stackRule({
  name: "appliance-sg-not-open",
  description:
    "Security groups of software VPN appliances never admit 0.0.0.0/0 or ::/0 on any port: an appliance answers IKE (UDP 500), NAT-T (UDP 4500) and ESP only from its declared peers' addresses. A WireGuard remote-access server's group may open exactly its declared UDP port (roaming clients; WireGuard answers no unauthenticated packet), nothing else.",
  enforcementLevel: "mandatory",
  check: (graph) => applianceOpenIngressFindings(graph),
});
