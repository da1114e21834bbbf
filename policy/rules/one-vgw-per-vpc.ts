import { vgwPerVpcFindings } from "../../model/policyRules";
import { stackRule } from "../lib/rules";

export const oneVgwPerVpc = stackRule({
  name: "one-vgw-per-vpc",
  description:
    "A VPC takes one virtual private gateway (AWS limit): a second gateway for the same VPC fails to attach. Put every site on the VPC's gateway, or use a transit gateway.",
  enforcementLevel: "mandatory",
  check: (graph) => vgwPerVpcFindings(graph),
});
