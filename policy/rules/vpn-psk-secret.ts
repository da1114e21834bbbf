import { PRESHARED_KEY_NAME, plaintextPaths } from "../../model/policyRules";
import { resourceRule } from "../lib/rules";
import { isUnknownValue, rawProps } from "../lib/secrets";

/** Every resource type: a pre-shared key leaks as surely through a tag or a parameter as through its input. */
export const vpnPskSecret = resourceRule({
  name: "vpn-psk-secret",
  description:
    "Pre-shared keys are never plain text: a VPN connection's keys are secrets or left for AWS or @pulumi/random to generate, and no other property (a tag, a parameter) holds one in the clear. A plain value is stored unencrypted in the state and shown in previews and logs.",
  enforcementLevel: "mandatory",
  check: (r) =>
    plaintextPaths(rawProps(r.props), r.secretPaths ?? new Set(), PRESHARED_KEY_NAME, isUnknownValue).map(
      (path) =>
        `${path} holds a pre-shared key in plain text: pass it as a secret (pulumi.secret, \`pulumi config set --secret\`) or leave it out so it is generated`,
    ),
});
