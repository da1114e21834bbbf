import { bandwidthFindings } from "../../model/policyRules";
import { stackRule } from "../lib/rules";

interface Config {
  requiredGbps: Record<string, number>;
}

export const vpnBandwidth = stackRule<Config>({
  name: "vpn-bandwidth",
  description:
    "A site's VPN must carry the bandwidth it is declared to need: a standard tunnel carries up to 1.25 Gbps (a large one 5), and only a transit gateway with VPN ECMP and BGP spreads traffic over several tunnels; a virtual private gateway or static routing uses one tunnel at a time.",
  enforcementLevel: "mandatory",
  config: {
    requiredGbps: {
      type: "object",
      additionalProperties: { type: "number", exclusiveMinimum: 0 },
      description: "Bandwidth each site needs in Gbps, by customer gateway address or resource name.",
      default: {},
    },
  },
  check: (graph, config) => bandwidthFindings(graph, config.requiredGbps),
});
