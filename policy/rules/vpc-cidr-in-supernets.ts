import { RFC1918_IPV4 } from "../../model/addressing";
import { parseCidrList, supernetProblems } from "../../model/policyRules";
import { TYPES } from "../../model/resourceGraph";
import { resourceRule } from "../lib/rules";

interface Config {
  supernets: string[];
}

/** Advisory: address planning, not an AWS limit. Teams with an IPAM plan narrow the supernets. */
export const vpcCidrInSupernets = resourceRule<Config>({
  name: "vpc-cidr-in-supernets",
  description:
    "VPC CIDRs come from the supernets the network team allocates VPCs from, so they cannot collide with on-premises networks or other VPCs when the networks are later connected.",
  enforcementLevel: "advisory",
  config: {
    supernets: {
      type: "array",
      items: { type: "string" },
      description: "CIDRs VPC blocks must lie in.",
      default: [...RFC1918_IPV4],
    },
  },
  types: [TYPES.vpc, TYPES.awsxVpc, TYPES.vpcCidrAssociation],
  check: (r, config) => {
    const supernets = parseCidrList(config.supernets, "supernets");
    return [...supernets.problems, ...supernetProblems(r, supernets.cidrs)];
  },
});
