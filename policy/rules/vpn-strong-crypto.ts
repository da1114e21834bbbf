import { weakCryptoProblems } from "../../model/policyRules";
import { TYPES } from "../../model/resourceGraph";
import { resourceRule } from "../lib/rules";

interface Config {
  minDhGroup: number;
}

export const vpnStrongCrypto = resourceRule<Config>({
  name: "vpn-strong-crypto",
  description:
    "Site-to-Site VPN tunnels offer no weak phase 1 or phase 2 algorithm: no AES-128, no SHA1 (deprecated by RFC 8247), no Diffie-Hellman group below the minimum (14) nor 22–24. An unset list accepts all of them, so it counts as weak.",
  enforcementLevel: "mandatory",
  config: {
    minDhGroup: {
      type: "integer",
      minimum: 2,
      maximum: 21,
      description: "Lowest Diffie-Hellman group accepted (14: 2048-bit MODP; 19: 256-bit ECP).",
      default: 14,
    },
  },
  types: [TYPES.vpnConnection],
  check: (r, config) => weakCryptoProblems(r.props, config.minDhGroup),
});
