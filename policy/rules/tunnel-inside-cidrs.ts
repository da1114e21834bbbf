import { tunnelInsideFindings } from "../../model/policyRules";
import { stackRule } from "../lib/rules";

export const tunnelInsideCidrs = stackRule({
  name: "tunnel-inside-cidrs",
  description:
    "Tunnel inside CIDRs must be /30s in 169.254.0.0/16 outside the blocks AWS reserves (/126s in fd00::/8 for IPv6), and unique where AWS requires it: IPv4 ones on a virtual private gateway, IPv6 ones on a transit gateway. AWS refuses the connection otherwise; IPv4 ones may repeat on a transit gateway.",
  enforcementLevel: "mandatory",
  check: (graph) => tunnelInsideFindings(graph),
});
