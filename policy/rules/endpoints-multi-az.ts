import { zoneProblems } from "../../model/policyRules";
import { TYPES } from "../../model/resourceGraph";
import { resourceRule } from "../lib/rules";

interface Config {
  minZones: number;
}

export const endpointsMultiAz = resourceRule<Config>({
  name: "endpoints-multi-az",
  description:
    "Interface endpoints and Network Load Balancers take one subnet per Availability Zone and serve only the zones they are in: in one zone, losing that zone cuts every consumer off, and consumers in other zones cannot create endpoints to a service that is not there.",
  enforcementLevel: "mandatory",
  config: {
    minZones: { type: "integer", minimum: 1, description: "Fewest Availability Zones.", default: 2 },
  },
  types: [TYPES.vpcEndpoint, TYPES.loadBalancer, TYPES.albLoadBalancer],
  check: (r, config) => zoneProblems(r, config.minZones),
});
