import { transitGatewayProblems } from "../../model/policyRules";
import { TYPES } from "../../model/resourceGraph";
import { resourceRule } from "../lib/rules";

export const tgwSegmentation = resourceRule({
  name: "tgw-segmentation",
  description:
    "Transit gateways attach and route only by decision: auto-accept of shared attachments off, default route table association and propagation off (AWS turns both on by default, which lets every attachment reach every other).",
  enforcementLevel: "mandatory",
  types: [TYPES.transitGateway],
  check: (r) => transitGatewayProblems(r.props),
});
