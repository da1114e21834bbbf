import { peeringDnsFindings } from "../../model/policyRules";
import { stackRule } from "../lib/rules";

/** A stack rule: the option is often set by PeeringConnectionOptions resources beside the connection. */
export const peeringDnsResolution = stackRule({
  name: "peering-dns-resolution",
  description:
    "Both sides of a VPC peering connection resolve the peer's public DNS hostnames to private addresses: otherwise those names resolve to public addresses and traffic meant for the peering leaves through internet or NAT gateways.",
  enforcementLevel: "mandatory",
  check: (graph) => peeringDnsFindings(graph),
});
