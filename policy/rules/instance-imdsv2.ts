import { EC2_TYPES, imdsProblems } from "../../model/softwareVpn/policy";
import { resourceRule } from "../lib/rules";

export const instanceImdsv2 = resourceRule({
  name: "instance-imdsv2",
  description:
    "EC2 instances and launch templates require IMDSv2 (metadataOptions.httpTokens \"required\"): IMDSv1 hands the instance role's credentials to any request that reaches 169.254.169.254, and a VPN appliance forwards other hosts' packets.",
  enforcementLevel: "mandatory",
  types: [EC2_TYPES.instance, EC2_TYPES.launchTemplate],
  check: (r) => imdsProblems(r),
});
