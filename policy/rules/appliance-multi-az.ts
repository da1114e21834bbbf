import { applianceZoneFindings } from "../../model/softwareVpn/policy";
import { PROD_STACK_SUFFIXES_CONFIG, stackRule } from "../lib/rules";

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
    prodStackSuffixes: PROD_STACK_SUFFIXES_CONFIG,
    minZones: { type: "integer", minimum: 1, description: "Fewest Availability Zones.", default: 2 },
  },
  check: (graph, config) =>
    applianceZoneFindings(graph, {
      ...(config.prodStackSuffixes !== undefined ? { suffixes: config.prodStackSuffixes } : {}),
      minZones: config.minZones,
    }),
});
