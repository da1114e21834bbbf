import { asnProblems } from "../../model/policyRules";
import { TYPES } from "../../model/resourceGraph";
import { resourceRule } from "../lib/rules";

export const asnRanges = resourceRule({
  name: "asn-ranges",
  description:
    "BGP ASNs must be ones AWS accepts: the Amazon side of a virtual private, transit or Direct Connect gateway is a private ASN (64512–65534, 4200000000–4294967294); a customer gateway's is 1–4294967294 and not an ASN AWS keeps for itself; a VIF's customer side fits its type.",
  enforcementLevel: "mandatory",
  types: [
    TYPES.vpnGateway,
    TYPES.transitGateway,
    TYPES.dxGateway,
    TYPES.customerGateway,
    TYPES.privateVif,
    TYPES.transitVif,
    TYPES.publicVif,
  ],
  check: (r) => asnProblems(r),
});
