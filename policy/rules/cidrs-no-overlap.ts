import { overlapFindings, parseCidrList } from "../../model/policyRules";
import { NETWORK_CONFIG, stackRule } from "../lib/rules";

interface Config {
  vpcCidrs: Record<string, string[]>;
  onPremisesPrefixes: Record<string, string[]>;
  allowedOverlaps: string[];
}

/** AWS routes the most specific prefix: of two overlapping connected networks, one is unreachable. */
export const cidrsNoOverlap = stackRule<Config>({
  name: "cidrs-no-overlap",
  description:
    "Connected networks must not overlap: VPCs joined by a gateway, transit gateway or peering, the on-premises prefixes and branch sites behind their VPN connections, Client VPN client ranges. AWS refuses to peer overlapping VPCs, and everywhere else routes the overlap to only one side.",
  enforcementLevel: "mandatory",
  config: {
    ...NETWORK_CONFIG,
    allowedOverlaps: {
      type: "array",
      items: { type: "string" },
      description: "Blocks announced from several places on purpose (anycast, a failover pair of sites).",
      default: [],
    },
  },
  check: (graph, config) => {
    const allowed = parseCidrList(config.allowedOverlaps, "allowedOverlaps");
    return [
      ...allowed.problems.map((message) => ({ message })),
      ...overlapFindings(
        graph,
        { vpcCidrs: config.vpcCidrs, onPremisesPrefixes: config.onPremisesPrefixes },
        allowed.cidrs,
      ),
    ];
  },
});
