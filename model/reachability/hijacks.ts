/**
 * Prefixes a site announces inside an attached VPC's range. In a transit gateway route table the longest prefix
 * wins before any route source is compared, so a site announcing 10.20.5.0/24 while VPC 10.20.0.0/16 is
 * attached takes that part of the VPC's traffic to the site: a hijack, whatever the intent was.
 */
import type { Hop } from "./forwarding";
import type { NetworkIndex } from "./networkIndex";
import { overlaps } from "./prefixes";

export interface Hijack {
  /** The route table where both routes meet. */
  table: Hop;
  site: string;
  prefix: string;
  vpc: string;
  vpcCidr: string;
}

export function findHijacks(index: NetworkIndex): Hijack[] {
  const found: Hijack[] = [];
  for (const table of index.tgwTables.values()) {
    const routes = index.tgwRoutes(table);
    const vpcRoutes = routes.filter((r) => r.source === "vpc");
    for (const r of routes) {
      if (r.source !== "vpn" && r.source !== "directConnectGateway") continue;
      const behind = index.siteOfAttachment.get(r.attachmentId ?? "");
      for (const v of vpcRoutes) {
        // Equal prefixes: the VPC route wins by the evaluation order; a longer site prefix wins outright.
        if (!overlaps(r.prefix, v.prefix) || r.prefix.length <= v.prefix.length) continue;
        const vpc = index.attachments.get(v.attachmentId ?? "");
        const vpcRecord = vpc?.vpcId ? index.vpcs.get(vpc.vpcId) : undefined;
        found.push({
          table: {
            stack: table.origin.stack,
            name: table.origin.name,
            ...(table.origin.urn ? { urn: table.origin.urn } : {}),
            what: `site ${behind?.site.name ?? "?"} announces ${r.prefix.text} inside VPC ${vpcRecord?.origin.name ?? "?"} (${v.prefix.text}): longest prefix wins, so that part of the VPC's traffic goes to the site`,
          },
          site: behind?.site.name ?? r.origin.name,
          prefix: r.prefix.text,
          vpc: vpcRecord ? `vpc:${vpcRecord.origin.stack}` : v.origin.name,
          vpcCidr: v.prefix.text,
        });
      }
    }
  }
  // One finding per site prefix and VPC, however many tables carry both.
  const seen = new Set<string>();
  return found.filter((h) => {
    const key = `${h.site} ${h.prefix} ${h.vpc}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
