import { openIngressFindings } from "../../model/policyRules";
import { stackRule } from "../lib/rules";

/** A stack rule: which security group belongs to an endpoint or a load balancer shows only across resources. */
export const endpointSgNotOpen = stackRule({
  name: "endpoint-sg-not-open",
  description:
    "Security groups of interface endpoints and Network Load Balancers never admit 0.0.0.0/0 or ::/0: an endpoint is reachable from wherever routing allows (peered VPCs, on-premises, a transit gateway), so an open group hands the service to all of them.",
  enforcementLevel: "mandatory",
  check: (graph) => openIngressFindings(graph),
});
