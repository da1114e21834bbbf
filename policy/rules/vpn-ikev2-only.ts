import { ikeVersionProblems } from "../../model/policyRules";
import { TYPES } from "../../model/resourceGraph";
import { resourceRule } from "../lib/rules";

export const vpnIkev2Only = resourceRule({
  name: "vpn-ikev2-only",
  description:
    "Site-to-Site VPN tunnels negotiate IKEv2 only. IKEv1 is legacy (aggressive mode exposes the pre-shared key hash to offline cracking), and a tunnel whose IKE versions are unset accepts it.",
  enforcementLevel: "mandatory",
  types: [TYPES.vpnConnection],
  check: (r) => ikeVersionProblems(r.props),
});
