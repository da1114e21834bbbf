import { CONNECTIVITY_TYPES, unprotectedFindings } from "../../model/policyRules";
import { stackRule } from "../lib/rules";

interface Config {
  prodStackSuffixes?: string[];
  resourceTypes: string[];
}

export const prodDeletionProtection = stackRule<Config>({
  name: "prod-deletion-protection",
  description:
    "In a production stack, connectivity resources (gateways, VPN connections, attachments, peering, virtual interfaces, endpoint services and endpoints, Client VPN) are protected against deletion: a rename or a refactor that replaces one cuts the network for every workload behind it.",
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
      description: "Resource types that must be protected.",
      default: [...CONNECTIVITY_TYPES],
    },
  },
  check: (graph, config) =>
    unprotectedFindings(graph, {
      ...(config.prodStackSuffixes !== undefined ? { suffixes: config.prodStackSuffixes } : {}),
      types: config.resourceTypes,
    }),
});
