import { unpagedVpnFindings } from "../../model/policyRules";
import { PROD_STACK_SUFFIXES_CONFIG, stackRule } from "../lib/rules";

interface Config {
  prodStackSuffixes?: string[];
}

export const vpnPagingAlarm = stackRule<Config>({
  name: "vpn-paging-alarm",
  description:
    "In a production stack, every VPN connection has a CloudWatch alarm with alarm actions that fires when the connection is down (both tunnels' TunnelState at 0). A single tunnel's alarm is a warning, not the page: AWS takes one tunnel down for maintenance routinely.",
  enforcementLevel: "mandatory",
  config: {
    prodStackSuffixes: PROD_STACK_SUFFIXES_CONFIG,
  },
  check: (graph, config) =>
    unpagedVpnFindings(graph, {
      ...(config.prodStackSuffixes !== undefined ? { suffixes: config.prodStackSuffixes } : {}),
    }),
});
