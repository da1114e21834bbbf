import { asnUniquenessFindings } from "../../model/policyRules";
import { stackRule } from "../lib/rules";

interface Config {
  allowedDuplicateAsns: number[];
  includeTransitGateways: boolean;
}

export const bgpAsnsUnique = stackRule<Config>({
  name: "bgp-asns-unique",
  description:
    "BGP sites on a VPN CloudHub need unique ASNs, and no site may use its gateway's Amazon side ASN: the hub re-advertises every site's routes to every other, a router drops routes whose AS path holds its own ASN, so sites sharing an ASN never reach each other, and a BGP session needs two ASNs. A CloudHub is a VpnCloudHub's gateway or a virtual private gateway tagged hybridnet:cloudhub=true; elsewhere two customer gateways with one ASN are one site's two devices.",
  enforcementLevel: "mandatory",
  config: {
    allowedDuplicateAsns: {
      type: "array",
      items: { type: "integer" },
      description: "ASNs shared on purpose, such as two devices of one site that reach each other directly.",
      default: [],
    },
    includeTransitGateways: {
      type: "boolean",
      description:
        "Also require unique ASNs among the sites of a transit gateway (off: there, one ASN on two customer gateways is usually one site with two paths, such as an internet VPN backing up a VPN over Direct Connect).",
      default: false,
    },
  },
  check: (graph, config) =>
    asnUniquenessFindings(graph, {
      allowedDuplicates: config.allowedDuplicateAsns,
      includeTransitGateways: config.includeTransitGateways,
    }),
});
