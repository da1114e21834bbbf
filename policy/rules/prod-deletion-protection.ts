import { CONNECTIVITY_TYPES, unprotectedFindings } from "../../model/policyRules";
import { PROD_STACK_SUFFIXES_CONFIG, stackRule } from "../lib/rules";

interface Config {
  prodStackSuffixes?: string[];
  resourceTypes: string[];
}

export const prodDeletionProtection = stackRule<Config>({
  name: "prod-deletion-protection",
  description:
    "In a production stack, the stateful anchors (VPC, transit gateway, virtual private and customer gateways, VPN connections, Direct Connect gateway and VIFs, endpoint services, peering, Client VPN endpoint, log groups) are protected against deletion and replacement: losing one means new addresses, keys or ids that devices, users or other accounts hold. Routes, rules, associations, alarms and generated keys are not required: routine changes replace them.",
  enforcementLevel: "mandatory",
  config: {
    prodStackSuffixes: PROD_STACK_SUFFIXES_CONFIG,
    resourceTypes: {
      type: "array",
      items: { type: "string" },
      description: "Resource types that must be protected. Default: the anchors of model/protection.",
      default: [...CONNECTIVITY_TYPES],
    },
  },
  check: (graph, config) =>
    unprotectedFindings(graph, {
      ...(config.prodStackSuffixes !== undefined ? { suffixes: config.prodStackSuffixes } : {}),
      types: config.resourceTypes,
    }),
});
