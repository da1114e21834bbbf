import { listenerProtocolFindings } from "../../model/policyRules";
import { stackRule } from "../lib/rules";

export const privatelinkListenerProtocols = stackRule({
  name: "privatelink-listener-protocols",
  description:
    "An endpoint service carries TCP only: the listeners of the load balancer behind it must be TCP or TLS. A UDP or QUIC listener deploys, but consumers never reach it through their interface endpoints.",
  enforcementLevel: "mandatory",
  check: (graph) => listenerProtocolFindings(graph),
});
