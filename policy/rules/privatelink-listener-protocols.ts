import { listenerProtocolFindings } from "../../model/policyRules";
import { stackRule } from "../lib/rules";

export const privatelinkListenerProtocols = stackRule({
  name: "privatelink-listener-protocols",
  description:
    "An endpoint service carries TCP and UDP (AWS blog: PrivateLink supports UDP services): the listeners of the load balancer behind it must be TCP, TLS, UDP or TCP_UDP. A QUIC or TCP_QUIC listener deploys, but no AWS text says consumers reach it through their interface endpoints.",
  enforcementLevel: "mandatory",
  check: (graph) => listenerProtocolFindings(graph),
});
