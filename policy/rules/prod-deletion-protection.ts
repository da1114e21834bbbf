import { CONNECTIVITY_TYPES, unprotectedFindings } from "../../model/policyRules";
import { stackRule } from "../lib/rules";

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
    prodStackSuffixes: {
      type: "array",
      items: { type: "string" },
      description:
        'Stack name endings that mark production ("-prod"). Unset: the last "-" segment of the stack name is prod, production or prd.',
    },
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
