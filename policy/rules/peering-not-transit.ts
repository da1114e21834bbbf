import { peeringTransitFindings } from "../../model/policyRules";
import { stackRule } from "../lib/rules";

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
    vpcCidrs: {
      type: "object",
      additionalProperties: { type: "array", items: { type: "string" } },
      description: "CIDRs of VPCs this stack names only by id (another stack's), by VPC id.",
      default: {},
    },
    onPremisesPrefixes: {
      type: "object",
      additionalProperties: { type: "array", items: { type: "string" } },
      description: "Prefixes each site announces over BGP, by customer gateway address or resource name.",
      default: {},
    },
  },
  check: (graph, config) =>
    peeringTransitFindings(graph, {
      vpcCidrs: config.vpcCidrs,
      onPremisesPrefixes: config.onPremisesPrefixes,
    }),
});
