import { bgpAuthKeyProblems } from "../../model/policyRules";
import { TYPES } from "../../model/resourceGraph";
import { resourceRule } from "../lib/rules";

export const dxBgpAuthKey = resourceRule({
  name: "dx-bgp-auth-key",
  description:
    "Direct Connect virtual interfaces authenticate BGP with an MD5 key that is a secret: without one AWS makes one up and returns it in plain text, and the AWS provider does not mark the key secret, so a plain value is stored unencrypted in the state.",
  enforcementLevel: "mandatory",
  types: [TYPES.privateVif, TYPES.transitVif, TYPES.publicVif],
  check: (r) => bgpAuthKeyProblems(r),
});
