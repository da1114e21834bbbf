import { clientVpnSplitTunnelProblems } from "../../model/policyRules";
import { TYPES } from "../../model/resourceGraph";
import { resourceRule } from "../lib/rules";

/** Advisory: a full tunnel is a design choice (all traffic inspected), not a flaw, but it costs. */
export const clientVpnSplitTunnel = resourceRule({
  name: "client-vpn-split-tunnel",
  description:
    "Client VPN endpoints split the tunnel: only the networks clients are authorized for go through the VPN. A full tunnel sends every client's internet traffic through the VPC (data transfer charges, NAT capacity) and makes the VPC the clients' way out.",
  enforcementLevel: "advisory",
  types: [TYPES.clientVpnEndpoint],
  check: (r) => clientVpnSplitTunnelProblems(r.props),
});
