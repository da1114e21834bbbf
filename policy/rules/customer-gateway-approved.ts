import { customerGatewayAddressProblems, parseCidrList } from "../../model/policyRules";
import { TYPES } from "../../model/resourceGraph";
import { resourceRule } from "../lib/rules";

interface Config {
  approvedAddresses: string[];
}

export const customerGatewayApproved = resourceRule<Config>({
  name: "customer-gateway-approved",
  description:
    "Customer gateways point at VPN devices the network team approved: a tunnel to an unknown address is a way into the network. Checked once approvedAddresses is configured.",
  enforcementLevel: "mandatory",
  config: {
    approvedAddresses: {
      type: "array",
      items: { type: "string" },
      description: "Addresses or CIDRs of approved VPN devices. Empty: not checked.",
      default: [],
    },
  },
  types: [TYPES.customerGateway],
  check: (r, config) => {
    if (config.approvedAddresses.length === 0) return [];
    const approved = parseCidrList(config.approvedAddresses, "approvedAddresses");
    return [...approved.problems, ...customerGatewayAddressProblems(r.props, approved.cidrs)];
  },
});
