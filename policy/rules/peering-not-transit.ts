import { peeringTransitFindings } from "../../model/policyRules";
import { NETWORK_CONFIG, stackRule } from "../lib/rules";

interface Config {
  vpcCidrs: Record<string, string[]>;
  onPremisesPrefixes: Record<string, string[]>;
}

export const peeringNotTransit = stackRule<Config>({
  name: "peering-not-transit",
  description:
    "VPC peering is not transitive: a route through a peering connection to anything but the peer VPC (a default route, another VPC, an on-premises or Client VPN network) deploys and silently drops the traffic. Use a transit gateway for transit.",
  enforcementLevel: "mandatory",
  config: {
    ...NETWORK_CONFIG,
  },
  check: (graph, config) =>
    peeringTransitFindings(graph, {
      vpcCidrs: config.vpcCidrs,
      onPremisesPrefixes: config.onPremisesPrefixes,
    }),
});
