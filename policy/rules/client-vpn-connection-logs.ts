import { clientVpnLogProblems } from "../../model/policyRules";
import { TYPES } from "../../model/resourceGraph";
import { resourceRule } from "../lib/rules";

export const clientVpnConnectionLogs = resourceRule({
  name: "client-vpn-connection-logs",
  description:
    "Client VPN endpoints log every connection and attempt to CloudWatch Logs: remote access without a record of who connected, when and from where cannot be audited.",
  enforcementLevel: "mandatory",
  types: [TYPES.clientVpnEndpoint],
  check: (r) => clientVpnLogProblems(r.props),
});
