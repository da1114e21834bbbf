import { applianceZoneFindings } from "../../model/softwareVpn/policy";
import { stackRule } from "../lib/rules";

interface Config {
  prodStackSuffixes?: string[];
  minZones: number;
}

export const applianceMultiAz = stackRule<Config>({
  name: "appliance-multi-az",
  description:
    "In a production stack, each software VPN appliance runs instances in at least two Availability Zones: the whitepaper's caution is that one appliance on one instance is a single point of failure, and two instances in one zone fail with it.",
  enforcementLevel: "mandatory",
  config: {
    prodStackSuffixes: {
      type: "array",
      items: { type: "string" },
      description:
        'Stack name endings that mark production ("-prod"). Unset: the last "-" segment of the stack name is prod, production or prd.',
    },
    minZones: { type: "integer", minimum: 1, description: "Fewest Availability Zones.", default: 2 },
  },
  check: (graph, config) =>
    applianceZoneFindings(graph, {
      ...(config.prodStackSuffixes !== undefined ? { suffixes: config.prodStackSuffixes } : {}),
      minZones: config.minZones,
    }),
});
