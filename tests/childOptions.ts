/**
 * Resource options a component gives its children (deleteBeforeReplace, retainOnDelete, protect), which the
 * mock runtime does not record: component options whose transformation records every child's options.
 */
import type * as pulumi from "@pulumi/pulumi";

/** What a component asked of each child: its type, name and resource options. */
export interface Registered {
  type: string;
  name: string;
  opts: pulumi.CustomResourceOptions;
}

/** Component options that record the options of every child the component registers. */
export function recording(): { seen: Registered[]; opts: pulumi.ComponentResourceOptions } {
  const seen: Registered[] = [];
  return {
    seen,
    opts: {
      transformations: [
        (args) => {
          seen.push({ type: args.type, name: args.name, opts: args.opts as pulumi.CustomResourceOptions });
          return undefined;
        },
      ],
    },
  };
}

export const ofType = (seen: Registered[], type: string) => seen.filter((r) => r.type === type);

/** A VPN site both test files build components with. */
export const SITE = { ipAddress: "203.0.113.10", bgpAsn: 65010, prefixes: ["192.168.0.0/16"] };
