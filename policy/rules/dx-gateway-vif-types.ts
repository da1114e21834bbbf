import { dxGatewayVifTypeFindings } from "../../model/policyRules";
import { stackRule } from "../lib/rules";

export const dxGatewayVifTypes = stackRule({
  name: "dx-gateway-vif-types",
  description:
    "A Direct Connect gateway is associated with virtual private gateways or with transit gateways, never both, and its VIFs match: private VIFs with virtual private gateways, transit VIFs with transit gateways. AWS refuses a transit gateway association on a gateway with a virtual private gateway association or a private VIF, and a virtual private gateway association on one with a transit gateway association (Direct Connect User Guide: virtual private gateway associations, transit gateway associations).",
  enforcementLevel: "mandatory",
  check: (graph) => dxGatewayVifTypeFindings(graph),
});
