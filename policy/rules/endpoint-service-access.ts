import { endpointServiceProblems } from "../../model/policyRules";
import { TYPES } from "../../model/resourceGraph";
import { resourceRule } from "../lib/rules";

export const endpointServiceAccess = resourceRule({
  name: "endpoint-service-access",
  description:
    "Endpoint services require acceptance and name their principals: without acceptance any allowed principal's endpoint connects at once, and a wildcard principal lets every AWS account find and request the service.",
  enforcementLevel: "mandatory",
  types: [TYPES.endpointService, TYPES.endpointServicePrincipal],
  check: (r) => endpointServiceProblems(r),
});
