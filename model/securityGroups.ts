/** Security group rule arguments shared by the components that open ports to known networks. */
import type { Problems } from "./errors";

/** EC2 security groups: the protocol of a rule: tcp, udp, icmp, icmpv6 or -1 (all traffic). */
export const PortProtocol = { Tcp: "tcp", Udp: "udp", Icmp: "icmp", Icmpv6: "icmpv6", All: "-1" } as const;
/** EC2 security groups: the protocol of a rule: tcp, udp, icmp, icmpv6 or -1 (all traffic). */
export type PortProtocol = (typeof PortProtocol)[keyof typeof PortProtocol];

/** A port range on one protocol. */
export interface PortRule {
  /** "tcp", "udp", "icmp", "icmpv6" or "-1" (all traffic). */
  protocol: PortProtocol;
  /** First port (ICMP: type). Omit for "-1". */
  fromPort?: number;
  /** Last port (ICMP: code). @default fromPort. */
  toPort?: number;
  /** Rule description (255 characters at most, EC2's limit). */
  description?: string;
}

const PROTOCOLS: readonly string[] = Object.values(PortProtocol);

/** Checks port rules; records problems under `path`. */
export function checkPortRules(problems: Problems, path: string, rules: unknown): void {
  if (!Array.isArray(rules) || rules.length === 0) {
    problems.add(
      path,
      rules,
      'at least one { protocol, fromPort, toPort }, e.g. { protocol: "tcp", fromPort: 443 }',
    );
    return;
  }
  const seen = new Map<string, number>();
  rules.forEach((rule: PortRule, i) => {
    const at = `${path}[${i}]`;
    const identity = `${rule?.protocol}/${rule?.fromPort}/${rule?.toPort ?? rule?.fromPort}`;
    const first = seen.get(identity);
    if (first !== undefined)
      problems.add(at, rule, `same protocol and ports as ${path}[${first}]; EC2 refuses a duplicate rule`);
    else seen.set(identity, i);
    if (!PROTOCOLS.includes(rule?.protocol)) {
      problems.add(`${at}.protocol`, rule?.protocol, `one of ${PROTOCOLS.join(", ")}`);
      return;
    }
    if (rule.protocol === "-1") {
      if (rule.fromPort !== undefined || rule.toPort !== undefined)
        problems.add(`${at}.fromPort`, rule.fromPort, 'no ports with protocol "-1" (all traffic)');
      return;
    }
    const isIcmp = rule.protocol.startsWith("icmp");
    const [lo, hi] = isIcmp ? [-1, 255] : [0, 65535];
    const to = rule.toPort ?? rule.fromPort;
    for (const [field, value] of [
      ["fromPort", rule.fromPort],
      ["toPort", to],
    ] as const)
      if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi)
        problems.add(
          `${at}.${field}`,
          value,
          `an integer in ${lo}–${hi}${isIcmp ? " (ICMP type/code; -1 for all)" : ""}`,
        );
    if (!isIcmp && typeof rule.fromPort === "number" && typeof to === "number" && rule.fromPort > to)
      problems.add(`${at}.toPort`, to, `at least fromPort (${rule.fromPort})`);
    if (
      rule.description !== undefined &&
      (typeof rule.description !== "string" || rule.description.length > 255)
    )
      problems.add(`${at}.description`, rule.description, "a string of at most 255 characters");
  });
}

/** A stable resource-name fragment for a rule and a CIDR: `tcp-443-443-10-1-0-0-16`. */
export function portRuleKey(rule: PortRule, cidr: string): string {
  const ports = rule.protocol === "-1" ? "all" : `${rule.fromPort}-${rule.toPort ?? rule.fromPort}`;
  return `${rule.protocol === "-1" ? "any" : rule.protocol}-${ports}-${cidr.replace(/[./:]+/g, "-")}`;
}
