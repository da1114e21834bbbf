import assert from "node:assert/strict";
import { parseCidr } from "../model/addressing";
import { Problems } from "../model/errors";
import { checkPreviousInsideCidrs, type PreviousInsideCidrsRules } from "../model/previousInsideCidrs";

// AWS Site-to-Site VPN tunnel options: an IPv4 inside CIDR is a /30 of 169.254.0.0/16, not one of
// 169.254.0.0/30, 169.254.1.0/30, 169.254.2.0/30, 169.254.3.0/30, 169.254.4.0/30, 169.254.5.0/30 or
// 169.254.169.252/30; an IPv6 inside CIDR is a /126 of fd00::/8.
const rules: PreviousInsideCidrsRules = {
  version: 4,
  pool: parseCidr("169.254.10.0/24"),
  poolName: "the pool",
  bothTunnels: false,
  entry: "tunnel 1 and tunnel 2's inside CIDRs, in a list",
  example: "by connection key",
};

function check(previous: unknown, overrides: Partial<PreviousInsideCidrsRules> = {}) {
  const problems = new Problems();
  const kept = checkPreviousInsideCidrs(problems, previous, { ...rules, ...overrides });
  let message = "";
  try {
    problems.throwIfAny("test");
  } catch (e) {
    message = (e as Error).message;
  }
  return { kept: kept.map((k) => `${k.key}/${k.tunnel}=${k.cidr.text}@${k.path}`), message };
}

describe("previousInsideCidrs (model/previousInsideCidrs.ts)", () => {
  it("keeps each tunnel's /30 by key and tunnel, in key order", () => {
    const { kept, message } = check({
      dc2: ["169.254.10.8/30"],
      dc1: ["169.254.10.0/30", "169.254.10.4/30"],
    });
    assert.equal(message, "");
    assert.deepEqual(kept, [
      "dc1/1=169.254.10.0/30@previousInsideCidrs.dc1[0]",
      "dc1/2=169.254.10.4/30@previousInsideCidrs.dc1[1]",
      "dc2/1=169.254.10.8/30@previousInsideCidrs.dc2[0]",
    ]);
  });

  it("refuses what AWS refuses, what lies outside the pool and a /30 given twice, naming the path", () => {
    const { kept, message } = check({
      a: ["169.254.5.0/30"],
      b: ["169.254.11.0/30"],
      c: ["169.254.10.0/30"],
      d: ["169.254.10.0/30"],
      e: ["169.254.10.0/29"],
    });
    assert.deepEqual(kept, ["c/1=169.254.10.0/30@previousInsideCidrs.c[0]"]);
    assert.match(message, /previousInsideCidrs\.a\[0\].*169\.254\.5\.0\/30/);
    assert.match(message, /previousInsideCidrs\.b\[0\].*outside the pool 169\.254\.10\.0\/24/);
    assert.match(message, /previousInsideCidrs\.d\[0\].*also allocated at previousInsideCidrs\.c\[0\]/);
    assert.match(message, /previousInsideCidrs\.e\[0\].*169\.254\.10\.0\/29/);
  });

  it("checks the key and the number of tunnels when the component says so", () => {
    const strict = { keyPattern: /^[a-z]+-(primary|standby)$/, bothTunnels: true };
    assert.equal(check({ "app-primary": ["169.254.10.0/30", "169.254.10.4/30"] }, strict).message, "");
    assert.match(
      check({ app: ["169.254.10.0/30", "169.254.10.4/30"] }, strict).message,
      /previousInsideCidrs\.app/,
    );
    assert.match(
      check({ "app-primary": ["169.254.10.0/30"] }, strict).message,
      /previousInsideCidrs\.app-primary/,
    );
    assert.match(check({ dc1: ["169.254.10.0/30", "169.254.10.4/30", "169.254.10.8/30"] }).message, /dc1/);
    assert.match(check(["169.254.10.0/30"]).message, /previousInsideCidrs.*by connection key/);
  });

  it("takes /126s of fd00::/8 for IPv6 tunnels", () => {
    const v6 = { version: 6 as const, pool: parseCidr("fd00::/8") };
    assert.equal(check({ dc1: ["fd00:0:0:1::/126"] }, v6).message, "");
    assert.match(check({ dc1: ["fd00:0:0:1::/64"] }, v6).message, /previousInsideCidrs\.dc1\[0\]/);
    assert.match(check({ dc1: ["fe80::/126"] }, v6).message, /previousInsideCidrs\.dc1\[0\]/);
  });
});
