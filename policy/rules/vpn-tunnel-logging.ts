import { tunnelLogProblems } from "../../model/policyRules";
import { TYPES } from "../../model/resourceGraph";
import { resourceRule } from "../lib/rules";

interface Config {
  requireBgpLogs: boolean;
}

export const vpnTunnelLogging = resourceRule<Config>({
  name: "vpn-tunnel-logging",
  description:
    "Both tunnels of a VPN connection log to CloudWatch Logs: tunnel activity logs are the only record of IKE negotiation, DPD and rekey failures, and of who tried to connect.",
  enforcementLevel: "mandatory",
  config: {
    requireBgpLogs: {
      type: "boolean",
      description: "Also require BGP logs on tunnels of BGP connections.",
      default: false,
    },
  },
  types: [TYPES.vpnConnection],
  check: (r, config) => tunnelLogProblems(r.props, config.requireBgpLogs),
});
