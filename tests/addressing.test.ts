import { expect } from "chai";
import {
  addressToString,
  allocateSubnets,
  allocateTunnelInsideCidrs,
  amazonSideAsnProblem,
  type Cidr,
  type CidrRules,
  checkCidr,
  cidrAt,
  cidrContains,
  cidrsOverlap,
  customerAsnProblem,
  findOverlaps,
  isPrivateAsn,
  type NamedCidr,
  parseCidr,
  presharedKeyProblem,
  publicIpv4Problem,
  RESERVED_TUNNEL_INSIDE_CIDRS,
  tunnelInsideAddresses,
  tunnelInsideCapacity,
  tunnelInsideCidrProblem,
  tunnelInsidePoolProblem,
} from "../model/addressing";

/** The Cidr checkCidr accepts `value` as; fails the test with the problem when it refuses it. */
function accepted(value: unknown, rules?: CidrRules): Cidr {
  const result = checkCidr(value, rules);
  if ("problem" in result) return expect.fail(`${JSON.stringify(value)} refused: ${result.problem}`);
  return result.cidr;
}

/** The problem checkCidr reports for `value`; fails the test when it accepts it. */
function refused(value: unknown, rules?: CidrRules): string {
  const result = checkCidr(value, rules);
  if ("cidr" in result) return expect.fail(`${JSON.stringify(value)} accepted as ${result.cidr.text}`);
  return result.problem;
}

/** Deterministic pseudo-random numbers (mulberry32), so generated inputs are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const next = random(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const named = (name: string, text: string): NamedCidr => ({ name, cidr: parseCidr(text) });
const pairNames = (networks: readonly NamedCidr[]) =>
  findOverlaps(networks)
    .map((o) => [o.a.name, o.b.name].sort().join(" & "))
    .sort();
const texts = (record: Record<string, Cidr>) =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v.text]));

describe("addressing", () => {
  describe("checkCidr", () => {
    it("accepts an IPv4 block and gives its numeric bounds", () => {
      const cidr = accepted("10.0.0.0/8");
      expect(cidr).to.deep.equal({
        text: "10.0.0.0/8",
        version: 4,
        prefix: 8,
        first: 0x0a000000n,
        last: 0x0affffffn,
      });
      expect(refused("10.0.0.0/33")).to.equal("not a CIDR; use a CIDR such as 10.0.0.0/16");
    });

    it("accepts an IPv6 block and writes it back in canonical lower-case form", () => {
      const cidr = accepted("2001:0DB8:0000:0000::/32");
      expect(cidr.text).to.equal("2001:db8::/32");
      expect(cidr.version).to.equal(6);
      expect(cidr.prefix).to.equal(32);
      expect(cidr.first).to.equal(0x20010db8n << 96n);
      expect(cidr.last).to.equal((0x20010db8n << 96n) + (1n << 96n) - 1n);
      expect(refused("fd00::/129")).to.match(/^not a CIDR/);
    });

    it("accepts the whole address space and single hosts", () => {
      expect(accepted("0.0.0.0/0").last).to.equal(0xffffffffn);
      expect(accepted("::/0").last).to.equal((1n << 128n) - 1n);
      const host = accepted("192.0.2.7/32");
      expect(host.first).to.equal(host.last);
      expect(accepted("fd00::1/128").text).to.equal("fd00::1/128");
      expect(refused("192.0.2.7/31")).to.equal("host bits are set; the network is 192.0.2.6/31");
    });

    it("ignores surrounding whitespace a user pasted with the block", () => {
      expect(accepted("  10.1.0.0/16\n").text).to.equal("10.1.0.0/16");
      expect(refused("10.1.0.0/ 16")).to.match(/^not a CIDR/);
    });

    it("names the network a user probably meant when host bits are set (IPv4)", () => {
      expect(refused("10.1.2.3/8")).to.equal("host bits are set; the network is 10.0.0.0/8");
      expect(refused("192.168.1.77/26")).to.equal("host bits are set; the network is 192.168.1.64/26");
      expect(accepted("192.168.1.64/26").text).to.equal("192.168.1.64/26");
    });

    it("names the network a user probably meant when host bits are set (IPv6)", () => {
      expect(refused("fd00::1/64")).to.equal("host bits are set; the network is fd00::/64");
      expect(refused("2001:db8:0:1:8000::/49")).to.equal("host bits are set; the network is 2001:db8::/49");
      expect(accepted("2001:db8:0:8000::/49").text).to.equal("2001:db8:0:8000::/49");
    });

    it("refuses IPv6 where only IPv4 is allowed, and the reverse", () => {
      expect(accepted("10.0.0.0/16", { version: 4 }).version).to.equal(4);
      expect(refused("fd00::/56", { version: 4 })).to.equal(
        "IPv6 where IPv4 is required; use an IPv4 CIDR such as 10.0.0.0/16",
      );
      expect(accepted("fd00::/56", { version: 6 }).version).to.equal(6);
      expect(refused("10.0.0.0/16", { version: 6 })).to.equal(
        "IPv4 where IPv6 is required; use an IPv6 CIDR such as fd00::/56",
      );
    });

    it("suggests an example of the required IP version when the text is not a CIDR", () => {
      expect(refused("vpc-main", { version: 4 })).to.equal(
        "not a CIDR; use an IPv4 CIDR such as 10.0.0.0/16",
      );
      expect(refused("vpc-main", { version: 6 })).to.equal("not a CIDR; use an IPv6 CIDR such as fd00::/56");
      expect(refused("vpc-main")).to.equal("not a CIDR; use a CIDR such as 10.0.0.0/16");
    });

    it("enforces the VPC size range /16 to /28 at both ends", () => {
      const vpc = { minPrefix: 16, maxPrefix: 28 };
      expect(accepted("10.0.0.0/16", vpc).prefix).to.equal(16);
      expect(accepted("10.0.0.0/28", vpc).prefix).to.equal(28);
      expect(refused("10.0.0.0/15", vpc)).to.equal("/15 is too large; the prefix must be /16 to /28");
      expect(refused("10.0.0.0/29", vpc)).to.equal("/29 is too small; the prefix must be /16 to /28");
    });

    it("states the open end of a prefix range as the version's bounds", () => {
      expect(refused("10.0.0.0/8", { minPrefix: 16 })).to.equal(
        "/8 is too large; the prefix must be /16 to /32",
      );
      expect(refused("fd00::/8", { minPrefix: 16 })).to.equal(
        "/8 is too large; the prefix must be /16 to /128",
      );
      expect(refused("10.0.0.0/30", { maxPrefix: 28 })).to.equal(
        "/30 is too small; the prefix must be /0 to /28",
      );
      expect(accepted("10.0.0.0/16", { minPrefix: 16 }).prefix).to.equal(16);
    });

    it("checks host bits before size, so the suggested network is the one to resize", () => {
      expect(refused("10.0.0.1/8", { minPrefix: 16 })).to.equal(
        "host bits are set; the network is 10.0.0.0/8",
      );
    });

    it("refuses garbage text instead of guessing", () => {
      const garbage = [
        "",
        "/",
        "10.0.0.0",
        "10.0.0.0/",
        "/8",
        "10.0.0/8",
        "256.0.0.0/8",
        "010.0.0.0/8",
        "10.0.0.0/-1",
        "10.0.0.0/8/8",
        "10.0.0.0/8 extra",
        "10.0.0.0/1e1",
        "10.0.0.0/0x8",
        "1:2:3:4:5:6:7:8:9/64",
        "fd00:::1/64",
        "gggg::/16",
        "not-a-cidr/8",
      ];
      for (const text of garbage)
        expect(refused(text), JSON.stringify(text)).to.equal("not a CIDR; use a CIDR such as 10.0.0.0/16");
      expect(accepted("10.0.0.0/8").text).to.equal("10.0.0.0/8");
    });

    it("refuses values that are not strings (numbers, null, arrays, objects)", () => {
      const notStrings: unknown[] = [
        undefined,
        null,
        10,
        167772160n,
        true,
        ["10.0.0.0/8"],
        { cidr: "10.0.0.0/8" },
      ];
      for (const value of notStrings)
        expect(refused(value), String(value)).to.equal("not a CIDR; use a CIDR such as 10.0.0.0/16");
      expect(accepted("10.0.0.0/8")).to.have.property("prefix", 8);
    });
    it("answers a text checked before under other rules by those rules, with the same words as the first time", () => {
      // Each text is parsed once per process and kept; the rules apply at every call.
      for (let round = 0; round < 2; round++) {
        expect(accepted("10.20.0.0/16", { version: 4, minPrefix: 16, maxPrefix: 28 })).to.include({
          text: "10.20.0.0/16",
          prefix: 16,
        });
        expect(refused("10.20.0.0/16", { version: 4, minPrefix: 20, maxPrefix: 28 })).to.equal(
          "/16 is too large; the prefix must be /20 to /28",
        );
        expect(refused("10.20.0.0/16", { version: 6 })).to.equal(
          "IPv4 where IPv6 is required; use an IPv6 CIDR such as fd00::/56",
        );
        expect(refused("10.20.0.1/16", { version: 4 })).to.equal(
          "host bits are set; the network is 10.20.0.0/16",
        );
        // Version before host bits, as for a text seen the first time.
        expect(refused("10.20.0.1/16", { version: 6 })).to.equal(
          "IPv4 where IPv6 is required; use an IPv6 CIDR such as fd00::/56",
        );
        expect(refused("10.20.0.0/33")).to.equal("not a CIDR; use a CIDR such as 10.0.0.0/16");
        expect(refused(" 10.20.0.0/33 ", { version: 4 })).to.equal(
          "not a CIDR; use an IPv4 CIDR such as 10.0.0.0/16",
        );
        expect(accepted(" fd00:1::/56 ")).to.include({ text: "fd00:1::/56", version: 6, prefix: 56 });
      }
    });
  });

  describe("parseCidr", () => {
    it("returns the same block checkCidr accepts", () => {
      expect(parseCidr("172.16.0.0/12")).to.deep.equal(accepted("172.16.0.0/12"));
      expect(parseCidr("FD00::/8").text).to.equal("fd00::/8");
    });

    it("throws with the quoted value and the reason when the block is invalid", () => {
      expect(() => parseCidr("10.1.2.3/8")).to.throw(
        '"10.1.2.3/8": host bits are set; the network is 10.0.0.0/8',
      );
      expect(() => parseCidr("banana")).to.throw('"banana": not a CIDR');
      expect(() => parseCidr("10.0.0.0/8")).not.to.throw();
    });
  });

  describe("cidrAt", () => {
    it("builds a block from its first address and prefix with the right last address", () => {
      expect(cidrAt(0xa9fe0a00n, 30, 4)).to.deep.equal({
        text: "169.254.10.0/30",
        version: 4,
        prefix: 30,
        first: 0xa9fe0a00n,
        last: 0xa9fe0a03n,
      });
      const v6 = cidrAt(0xfd00n << 112n, 126, 6);
      expect(v6.text).to.equal("fd00::/126");
      expect(v6.last - v6.first).to.equal(3n);
      expect(cidrAt(0n, 0, 4).last).to.equal(0xffffffffn);
    });
  });

  describe("addressToString", () => {
    const v6 = (text: string) => parseCidr(`${text}/128`).first;

    it("writes IPv4 as a dotted quad", () => {
      expect(addressToString(0n, 4)).to.equal("0.0.0.0");
      expect(addressToString(0xffffffffn, 4)).to.equal("255.255.255.255");
      expect(addressToString(0xa9fea9fcn, 4)).to.equal("169.254.169.252");
      expect(addressToString(0x0a000001n, 4)).not.to.equal("10.0.0.10");
    });

    it("compresses the all-zero address to :: and keeps the loopback short", () => {
      expect(addressToString(0n, 6)).to.equal("::");
      expect(addressToString(1n, 6)).to.equal("::1");
      expect(addressToString(1n << 112n, 6)).to.equal("1::");
    });

    it("drops leading zeros and writes hex in lower case (RFC 5952 4.1, 4.3)", () => {
      expect(addressToString(v6("2001:0DB8:00AB:0CDE:0000:0000:0000:0001"), 6)).to.equal(
        "2001:db8:ab:cde::1",
      );
    });

    it("uses :: for the longest run of zero groups (RFC 5952 4.2.1)", () => {
      expect(addressToString(v6("2001:db8:0:0:0:0:2:1"), 6)).to.equal("2001:db8::2:1");
      expect(addressToString(v6("2001:db8:0:1:0:0:0:1"), 6)).to.equal("2001:db8:0:1::1");
    });

    it("never uses :: for a single zero group (RFC 5952 4.2.2)", () => {
      expect(addressToString(v6("2001:db8:0:1:1:1:1:1"), 6)).to.equal("2001:db8:0:1:1:1:1:1");
      expect(addressToString(v6("1:0:2:0:3:0:4:0"), 6)).to.equal("1:0:2:0:3:0:4:0");
    });

    it("compresses the first of two equal zero runs (RFC 5952 4.2.3)", () => {
      expect(addressToString(v6("2001:db8:0:0:1:0:0:1"), 6)).to.equal("2001:db8::1:0:0:1");
      expect(addressToString(v6("2001:0:0:1:0:0:0:1"), 6)).to.equal("2001:0:0:1::1");
    });

    it("writes a full address without zeros group by group", () => {
      expect(addressToString((1n << 128n) - 1n, 6)).to.equal("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    });

    it("round-trips through parsing for generated addresses", () => {
      const next = random(5952);
      for (let i = 0; i < 500; i++) {
        let value = 0n;
        // Groups are zero half the time, so runs of zeros of every length appear.
        for (let g = 0; g < 8; g++)
          value = (value << 16n) | (next() < 0.5 ? 0n : BigInt(Math.floor(next() * 0x10000)));
        const text = addressToString(value, 6);
        expect(v6(text), text).to.equal(value);
        expect(text, text).not.to.match(/[A-F]|(^|:)0[0-9a-f]|::.*::|:::/);
      }
    });
  });

  describe("cidrContains", () => {
    it("holds a subnet inside its VPC and not a neighbour", () => {
      const vpc = parseCidr("10.0.0.0/16");
      expect(cidrContains(vpc, parseCidr("10.0.255.0/24"))).to.equal(true);
      expect(cidrContains(vpc, vpc)).to.equal(true);
      expect(cidrContains(vpc, parseCidr("10.1.0.0/24"))).to.equal(false);
    });

    it("is not symmetric: a larger block is not inside a smaller one", () => {
      expect(cidrContains(parseCidr("10.0.0.0/8"), parseCidr("10.0.0.0/16"))).to.equal(true);
      expect(cidrContains(parseCidr("10.0.0.0/16"), parseCidr("10.0.0.0/8"))).to.equal(false);
    });

    it("never holds a block of the other IP version, even with the same numbers", () => {
      expect(cidrContains(parseCidr("::/96"), parseCidr("10.0.0.0/8"))).to.equal(false);
      expect(cidrContains(parseCidr("0.0.0.0/0"), parseCidr("::a00:0/104"))).to.equal(false);
      expect(cidrContains(parseCidr("::/96"), parseCidr("::a00:0/104"))).to.equal(true);
    });
  });

  describe("cidrsOverlap", () => {
    it("finds overlap when one block is inside the other, either way round", () => {
      const a = parseCidr("10.0.0.0/16");
      const b = parseCidr("10.0.128.0/17");
      expect(cidrsOverlap(a, b)).to.equal(true);
      expect(cidrsOverlap(b, a)).to.equal(true);
    });

    it("does not call adjacent blocks overlapping", () => {
      expect(cidrsOverlap(parseCidr("10.0.0.0/24"), parseCidr("10.0.1.0/24"))).to.equal(false);
      expect(cidrsOverlap(parseCidr("10.0.1.0/24"), parseCidr("10.0.0.0/24"))).to.equal(false);
      expect(cidrsOverlap(parseCidr("10.0.0.0/23"), parseCidr("10.0.1.0/24"))).to.equal(true);
    });

    it("overlaps when blocks share only their edge address", () => {
      expect(cidrsOverlap(parseCidr("10.0.0.255/32"), parseCidr("10.0.0.0/24"))).to.equal(true);
      expect(cidrsOverlap(parseCidr("10.0.1.0/32"), parseCidr("10.0.0.0/24"))).to.equal(false);
    });

    it("never overlaps IPv4 with IPv6", () => {
      expect(cidrsOverlap(parseCidr("10.0.0.0/8"), parseCidr("::/0"))).to.equal(false);
      expect(cidrsOverlap(parseCidr("::/0"), parseCidr("::a00:0/104"))).to.equal(true);
    });
  });

  describe("findOverlaps", () => {
    it("reports each overlapping pair with the names the user gave", () => {
      const overlaps = findOverlaps([
        named("dc-london", "10.10.0.0/16"),
        named("vpc-payments", "10.20.0.0/16"),
        named("vpc-legacy", "10.10.128.0/20"),
      ]);
      expect(overlaps.map((o) => [o.a.name, o.b.name])).to.deep.equal([["dc-london", "vpc-legacy"]]);
      expect(overlaps[0].a.cidr.text).to.equal("10.10.0.0/16");
      expect(overlaps[0].b.cidr.text).to.equal("10.10.128.0/20");
    });

    it("finds nothing in disjoint networks", () => {
      expect(
        findOverlaps([named("a", "10.0.0.0/16"), named("b", "172.16.0.0/12"), named("c", "192.168.0.0/16")]),
      ).to.deep.equal([]);
      expect(findOverlaps([])).to.deep.equal([]);
    });

    it("does not report adjacent blocks", () => {
      const adjacent = [named("a", "10.0.0.0/24"), named("b", "10.0.1.0/24"), named("c", "10.0.2.0/23")];
      expect(pairNames(adjacent)).to.deep.equal([]);
      expect(pairNames([...adjacent, named("d", "10.0.1.128/25")])).to.deep.equal(["b & d"]);
    });

    it("reports blocks that share only one address at the edge", () => {
      expect(pairNames([named("lan", "10.0.0.0/24"), named("last-host", "10.0.0.255/32")])).to.deep.equal([
        "lan & last-host",
      ]);
      expect(pairNames([named("lan", "10.0.0.0/24"), named("next-host", "10.0.1.0/32")])).to.deep.equal([]);
    });

    it("reports a block nested in another, and every block under a large one", () => {
      const networks = [
        named("corp", "10.0.0.0/8"),
        named("site-1", "10.1.0.0/16"),
        named("site-1-dmz", "10.1.5.0/24"),
        named("site-2", "10.2.0.0/16"),
        named("partner", "192.168.0.0/16"),
      ];
      expect(pairNames(networks)).to.deep.equal([
        "corp & site-1",
        "corp & site-1-dmz",
        "corp & site-2",
        "site-1 & site-1-dmz",
      ]);
    });

    it("reports the same block used twice", () => {
      expect(pairNames([named("dc1", "10.50.0.0/16"), named("dc2", "10.50.0.0/16")])).to.deep.equal([
        "dc1 & dc2",
      ]);
    });

    it("never pairs IPv4 with IPv6, even when their numbers coincide", () => {
      const networks = [
        named("v4", "10.0.0.0/8"),
        named("v6-same-numbers", "::a00:0/104"),
        named("v6-everything", "::/0"),
      ];
      expect(pairNames(networks)).to.deep.equal(["v6-everything & v6-same-numbers"]);
    });

    it("lists pairs in address order, the lower block as a, whatever the input order", () => {
      const networks = [
        named("high", "10.0.3.0/24"),
        named("wide", "10.0.0.0/22"),
        named("low", "10.0.1.0/24"),
        named("v6-b", "fd00:0:0:1::/64"),
        named("v6-a", "fd00::/48"),
      ];
      const expected = [
        ["wide", "low"],
        ["wide", "high"],
        ["v6-a", "v6-b"],
      ];
      expect(findOverlaps(networks).map((o) => [o.a.name, o.b.name])).to.deep.equal(expected);
      expect(findOverlaps([...networks].reverse()).map((o) => [o.a.name, o.b.name])).to.deep.equal(expected);
    });

    it("leaves the caller's array in its original order", () => {
      const networks = [named("b", "10.1.0.0/16"), named("a", "10.0.0.0/8")];
      findOverlaps(networks);
      expect(networks.map((n) => n.name)).to.deep.equal(["b", "a"]);
    });

    it("finds exactly the planted overlaps among 10,000 networks", () => {
      // 9,994 adjacent, disjoint /24s (10.0.0.0/24, 10.0.1.0/24, ...) plus six planted networks.
      const base: NamedCidr[] = [];
      for (let i = 0; i < 9994; i++)
        base.push({ name: `net-${i}`, cidr: cidrAt(0x0a000000n + BigInt(i) * 256n, 24, 4) });
      const planted = [
        named("half-of-net-5", "10.0.5.128/25"),
        named("spans-net-5124-and-5125", "10.20.4.0/23"),
        named("copy-of-net-7710", "10.30.30.0/24"),
        named("v6-site", "fd00::/48"),
        named("v6-subnet", "fd00:0:0:ff::/64"),
        named("v6-with-v4-numbers", "::a00:0/120"),
      ];
      const networks = shuffled([...base, ...planted], 10000);
      expect(networks).to.have.length(10000);
      const overlaps = findOverlaps(networks);
      expect(overlaps.map((o) => [o.a.name, o.b.name].sort().join(" & ")).sort()).to.deep.equal(
        [
          "half-of-net-5 & net-5",
          "net-5124 & spans-net-5124-and-5125",
          "net-5125 & spans-net-5124-and-5125",
          "copy-of-net-7710 & net-7710",
          "v6-site & v6-subnet",
        ].sort(),
      );
      for (const o of overlaps) {
        expect(cidrsOverlap(o.a.cidr, o.b.cidr)).to.equal(true);
        expect(o.a.cidr.first <= o.b.cidr.first).to.equal(true);
      }
      expect(findOverlaps(base)).to.deep.equal([]);
    });
  });

  describe("allocateSubnets", () => {
    const vpc = parseCidr("10.0.0.0/16");

    it("places blocks from the start of the supernet, each on its own boundary", () => {
      const { allocated, unplaced } = allocateSubnets(vpc, [
        { key: "app-a", prefix: 24 },
        { key: "app-b", prefix: 24 },
      ]);
      expect(texts(allocated)).to.deep.equal({ "app-a": "10.0.0.0/24", "app-b": "10.0.1.0/24" });
      expect(unplaced).to.deep.equal([]);
    });

    it("aligns a block after a smaller taken one instead of starting mid-block", () => {
      const { allocated } = allocateSubnets(vpc, [{ key: "app", prefix: 24 }], [parseCidr("10.0.0.0/26")]);
      expect(allocated.app.text).to.equal("10.0.1.0/24");
      expect(allocated.app.first % 256n).to.equal(0n);
    });

    it("skips taken blocks, and places nothing when a taken block covers the whole supernet", () => {
      const taken = [parseCidr("10.0.0.0/24"), parseCidr("10.0.2.0/24"), parseCidr("9.255.255.0/24")];
      const { allocated } = allocateSubnets(
        vpc,
        [
          { key: "a", prefix: 24 },
          { key: "b", prefix: 24 },
        ],
        taken,
      );
      expect(texts(allocated)).to.deep.equal({ a: "10.0.1.0/24", b: "10.0.3.0/24" });
      const covered = allocateSubnets(
        parseCidr("10.0.0.0/24"),
        [{ key: "a", prefix: 26 }],
        [parseCidr("10.0.0.0/8")],
      );
      expect(covered.allocated).to.deep.equal({});
      expect(covered.unplaced).to.deep.equal(["a"]);
    });

    it("ignores taken blocks outside the supernet or of the other IP version", () => {
      const { allocated } = allocateSubnets(
        vpc,
        [{ key: "a", prefix: 24 }],
        [parseCidr("10.1.0.0/24"), parseCidr("::/0")],
      );
      expect(allocated.a.text).to.equal("10.0.0.0/24");
    });

    it("places larger blocks first so a small block does not break a large one's alignment", () => {
      const { allocated } = allocateSubnets(vpc, [
        { key: "a-small", prefix: 24 },
        { key: "z-large", prefix: 20 },
      ]);
      expect(allocated["z-large"].text).to.equal("10.0.0.0/20");
      expect(allocated["a-small"].text).to.equal("10.0.16.0/24");
    });

    it("reports the keys that no longer fit once the supernet is full", () => {
      const { allocated, unplaced } = allocateSubnets(
        parseCidr("10.0.0.0/24"),
        ["a", "b", "c", "d", "e"].map((key) => ({ key, prefix: 26 })),
      );
      expect(Object.keys(allocated).sort()).to.deep.equal(["a", "b", "c", "d"]);
      expect(unplaced).to.deep.equal(["e"]);
    });

    it("reports a block larger than the supernet, or beyond /32, as unplaced", () => {
      const { allocated, unplaced } = allocateSubnets(parseCidr("10.0.0.0/24"), [
        { key: "too-large", prefix: 16 },
        { key: "too-long", prefix: 33 },
        { key: "whole", prefix: 24 },
      ]);
      expect(texts(allocated)).to.deep.equal({ whole: "10.0.0.0/24" });
      expect(unplaced.sort()).to.deep.equal(["too-large", "too-long"]);
    });

    it("gives the same layout whatever order the requests come in", () => {
      const requests = Array.from({ length: 40 }, (_, i) => ({ key: `subnet-${i}`, prefix: 20 + (i % 8) }));
      const first = allocateSubnets(vpc, requests);
      for (let seed = 1; seed <= 5; seed++) {
        const again = allocateSubnets(vpc, shuffled(requests, seed));
        expect(texts(again.allocated)).to.deep.equal(texts(first.allocated));
        expect(again.unplaced).to.deep.equal(first.unplaced);
      }
      expect(Object.keys(first.allocated)).to.have.length(40);
    });

    it("keeps generated blocks aligned, inside the supernet and clear of each other and of taken", () => {
      const next = random(1918);
      const taken = [parseCidr("10.0.4.0/22"), parseCidr("10.0.100.0/24"), parseCidr("10.0.200.16/28")];
      const requests = Array.from({ length: 300 }, (_, i) => ({
        key: `s${i}`,
        prefix: 22 + Math.floor(next() * 7),
      }));
      const { allocated, unplaced } = allocateSubnets(vpc, requests, taken);
      const blocks = Object.values(allocated);
      expect(blocks.length + unplaced.length).to.equal(300);
      expect(blocks.length).to.be.greaterThan(50);
      expect(unplaced.length).to.be.greaterThan(0);
      for (const block of blocks) {
        expect(cidrContains(vpc, block), block.text).to.equal(true);
        expect(block.first % (1n << BigInt(32 - block.prefix)), block.text).to.equal(0n);
        expect(parseCidr(block.text)).to.deep.equal(block);
      }
      const everything = [...blocks, ...taken].map((cidr, i) => ({ name: `${i}:${cidr.text}`, cidr }));
      expect(findOverlaps(everything).map((o) => `${o.a.name} & ${o.b.name}`)).to.deep.equal([]);
    });

    it("allocates IPv6 subnets from an IPv6 supernet", () => {
      const { allocated } = allocateSubnets(parseCidr("2001:db8:0:100::/56"), [
        { key: "a", prefix: 64 },
        { key: "b", prefix: 64 },
      ]);
      expect(texts(allocated)).to.deep.equal({ a: "2001:db8:0:100::/64", b: "2001:db8:0:101::/64" });
    });
  });

  describe("tunnelInsideCidrProblem", () => {
    it("accepts a /30 in 169.254.0.0/16 outside the reserved blocks", () => {
      for (const text of ["169.254.10.0/30", "169.254.6.0/30", "169.254.0.4/30", "169.254.169.248/30"])
        expect(tunnelInsideCidrProblem(text), text).to.equal(undefined);
      expect(tunnelInsideCidrProblem("169.254.5.0/30")).to.match(/^reserved by AWS/);
    });

    it("refuses each /30 AWS reserves", () => {
      expect(RESERVED_TUNNEL_INSIDE_CIDRS).to.have.length(7);
      for (const text of RESERVED_TUNNEL_INSIDE_CIDRS) {
        const problem = tunnelInsideCidrProblem(text);
        expect(problem, text).to.be.a("string");
        expect(problem, text).to.match(/^reserved by AWS; use a \/30 in 169\.254\.0\.0\/16 outside/);
        expect(problem, text).to.contain("169.254.169.252/30");
      }
    });

    it("refuses blocks that are not /30", () => {
      for (const text of ["169.254.10.0/29", "169.254.10.0/31", "169.254.10.0/32", "169.254.0.0/16"])
        expect(tunnelInsideCidrProblem(text), text).to.match(
          /^not a tunnel inside CIDR; use a \/30 in 169\.254/,
        );
      expect(tunnelInsideCidrProblem("169.254.10.0/30")).to.equal(undefined);
    });

    it("refuses a /30 outside the link-local 169.254.0.0/16", () => {
      for (const text of ["10.0.0.0/30", "169.255.0.0/30", "169.253.255.252/30"])
        expect(tunnelInsideCidrProblem(text), text).to.match(/^not a tunnel inside CIDR/);
      expect(tunnelInsideCidrProblem("169.254.255.252/30")).to.equal(undefined);
    });

    it("names the intended /30 when host bits are set", () => {
      expect(tunnelInsideCidrProblem("169.254.10.1/30")).to.match(
        /^host bits are set; the network is 169\.254\.10\.0\/30;/,
      );
    });

    it("refuses garbage and non-strings with the allowed range", () => {
      for (const value of ["169.254.10.0", "", 42, null, undefined])
        expect(tunnelInsideCidrProblem(value), String(value)).to.match(
          /^not a CIDR; .*use a \/30 in 169\.254\.0\.0\/16/,
        );
    });

    it("accepts an IPv6 /126 in fd00::/8 for IPv6 tunnels", () => {
      expect(tunnelInsideCidrProblem("fd00::/126", 6)).to.equal(undefined);
      expect(tunnelInsideCidrProblem("fdff:ffff::4/126", 6)).to.equal(undefined);
      expect(tunnelInsideCidrProblem("fd00::/126")).to.match(/^IPv6 where IPv4 is required/);
    });

    it("refuses IPv6 blocks of another size, outside fd00::/8, or IPv4 for an IPv6 tunnel", () => {
      const wrong = ["fd00::/64", "fd00::/127", "fc00::/126", "fe80::/126", "2001:db8::/126"];
      for (const text of wrong)
        expect(tunnelInsideCidrProblem(text, 6), text).to.equal(
          "not a tunnel inside CIDR; use a /126 in fd00::/8",
        );
      expect(tunnelInsideCidrProblem("169.254.10.0/30", 6)).to.match(
        /^IPv4 where IPv6 is required.*use a \/126 in fd00::\/8$/,
      );
      expect(tunnelInsideCidrProblem("fd00::1/126", 6)).to.match(
        /^host bits are set; the network is fd00::\/126/,
      );
    });
  });

  describe("tunnelInsidePoolProblem", () => {
    it("accepts 169.254.0.0/16 itself and any block inside it down to one /30", () => {
      for (const text of ["169.254.0.0/16", "169.254.100.0/24", "169.254.10.0/30"])
        expect(tunnelInsidePoolProblem(text), text).to.equal(undefined);
      expect(tunnelInsidePoolProblem("169.254.10.0/31")).to.match(/^\/31 is too small/);
    });

    it("refuses a pool outside 169.254.0.0/16, or one larger than it", () => {
      for (const text of ["10.0.0.0/24", "169.0.0.0/8", "0.0.0.0/0"])
        expect(tunnelInsidePoolProblem(text), text).to.equal(
          "not inside 169.254.0.0/16, where AWS takes tunnel inside CIDRs from",
        );
    });

    it("refuses garbage, host bits and the wrong IP version with the pool to use", () => {
      expect(tunnelInsidePoolProblem("pool")).to.equal(
        "not a CIDR; use an IPv4 CIDR such as 10.0.0.0/16; use a block inside 169.254.0.0/16",
      );
      expect(tunnelInsidePoolProblem(undefined)).to.match(/use a block inside 169\.254\.0\.0\/16$/);
      expect(tunnelInsidePoolProblem("169.254.10.1/24")).to.match(
        /^host bits are set; the network is 169\.254\.10\.0\/24/,
      );
      expect(tunnelInsidePoolProblem("fd00::/64")).to.match(/^IPv6 where IPv4 is required/);
    });

    it("checks IPv6 pools against fd00::/8 down to one /126", () => {
      for (const text of ["fd00::/8", "fd12:3456::/64", "fd00::/126"])
        expect(tunnelInsidePoolProblem(text, 6), text).to.equal(undefined);
      expect(tunnelInsidePoolProblem("2001:db8::/64", 6)).to.equal(
        "not inside fd00::/8, where AWS takes tunnel inside CIDRs from",
      );
      expect(tunnelInsidePoolProblem("fd00::/127", 6)).to.match(
        /^\/127 is too small; .*use a block inside fd00::\/8$/,
      );
      expect(tunnelInsidePoolProblem("169.254.0.0/16", 6)).to.match(/^IPv4 where IPv6 is required/);
    });
  });

  describe("allocateTunnelInsideCidrs", () => {
    const siteKeys = (n: number) => Array.from({ length: n }, (_, i) => `site-${i}-tunnel-${i % 2 ? 2 : 1}`);

    it("gives every key its own valid, unreserved /30 in 169.254.0.0/16", () => {
      const keys = siteKeys(500);
      const result = allocateTunnelInsideCidrs(keys);
      expect(Object.keys(result).sort()).to.deep.equal([...keys].sort());
      const cidrs = Object.values(result);
      expect(new Set(cidrs.map((c) => c.text)).size).to.equal(500);
      for (const cidr of cidrs) expect(tunnelInsideCidrProblem(cidr.text), cidr.text).to.equal(undefined);
    });

    it("never hands out a reserved block, even when the pool is filled to capacity", () => {
      // 169.254.0.0/21 holds 512 /30s, six of them reserved (169.254.0.0/30 to 169.254.5.0/30).
      const pool = parseCidr("169.254.0.0/21");
      const keys = siteKeys(506);
      const result = allocateTunnelInsideCidrs(keys, { pool });
      const cidrs = Object.values(result);
      expect(new Set(cidrs.map((c) => c.text)).size).to.equal(506);
      const reserved = RESERVED_TUNNEL_INSIDE_CIDRS.map(parseCidr);
      for (const cidr of cidrs) {
        expect(cidrContains(pool, cidr), cidr.text).to.equal(true);
        expect(
          reserved.some((r) => cidrsOverlap(r, cidr)),
          cidr.text,
        ).to.equal(false);
      }
      expect(() => allocateTunnelInsideCidrs(siteKeys(507), { pool })).to.throw(
        /no free \/30 left in 169\.254\.0\.0\/21/,
      );
    });

    it("avoids inside CIDRs already in use", () => {
      const pool = parseCidr("169.254.10.0/28");
      const taken = [parseCidr("169.254.10.0/30"), parseCidr("169.254.10.8/30")];
      const result = allocateTunnelInsideCidrs(["dc1", "dc2"], { pool, taken });
      expect(
        Object.values(result)
          .map((c) => c.text)
          .sort(),
      ).to.deep.equal(["169.254.10.12/30", "169.254.10.4/30"]);
      const free = allocateTunnelInsideCidrs(["dc1", "dc2"], { pool });
      expect(
        Object.values(free).some((c) => c.text === "169.254.10.0/30" || c.text === "169.254.10.8/30"),
      ).to.equal(true);
    });

    it("avoids many taken blocks at scale", () => {
      const first = allocateTunnelInsideCidrs(siteKeys(300));
      const taken = Object.values(first);
      const more = allocateTunnelInsideCidrs(
        Array.from({ length: 300 }, (_, i) => `other-${i}`),
        { taken },
      );
      const takenTexts = new Set(taken.map((c) => c.text));
      for (const cidr of Object.values(more)) expect(takenTexts.has(cidr.text), cidr.text).to.equal(false);
      expect(new Set(Object.values(more).map((c) => c.text)).size).to.equal(300);
    });

    it("does not move existing tunnels when a site is added", () => {
      const fifty = siteKeys(50);
      const before = allocateTunnelInsideCidrs(fifty);
      const after = allocateTunnelInsideCidrs([...fifty, "site-new-tunnel-1"]);
      expect(Object.keys(after)).to.have.length(51);
      for (const key of fifty) expect(after[key].text, key).to.equal(before[key].text);
      expect(fifty.map((k) => before[k].text)).not.to.include(after["site-new-tunnel-1"].text);
    });

    it("does not move the remaining tunnels when a site is removed", () => {
      const keys = siteKeys(50);
      const before = allocateTunnelInsideCidrs(keys);
      const after = allocateTunnelInsideCidrs(keys.filter((k) => k !== "site-7-tunnel-2"));
      expect(after).not.to.have.property("site-7-tunnel-2");
      for (const key of Object.keys(after)) expect(after[key].text, key).to.equal(before[key].text);
    });

    it("moves only keys that collide when a key is added to a crowded pool", () => {
      // 16 slots and 12 keys: collisions are certain, and every key still gets a distinct slot.
      const pool = parseCidr("169.254.20.0/26");
      const keys = siteKeys(12);
      const before = allocateTunnelInsideCidrs(keys, { pool });
      const after = allocateTunnelInsideCidrs([...keys, "site-new"], { pool });
      const moved = keys.filter((k) => after[k].text !== before[k].text);
      // A key can only move when the new key (or a key it pushed) took its slot.
      for (const key of moved) {
        const wasTakenBy = [...keys, "site-new"].find((k) => k !== key && after[k].text === before[key].text);
        expect(wasTakenBy, key).to.be.a("string");
      }
      expect(new Set(Object.values(after).map((c) => c.text)).size).to.equal(13);
      expect(moved.length).to.be.lessThan(keys.length);
    });

    it("gives the same CIDRs whatever order the keys come in, and ignores duplicate keys", () => {
      const keys = siteKeys(100);
      const expected = texts(allocateTunnelInsideCidrs(keys));
      for (let seed = 1; seed <= 3; seed++)
        expect(texts(allocateTunnelInsideCidrs(shuffled(keys, seed)))).to.deep.equal(expected);
      expect(texts(allocateTunnelInsideCidrs([...keys, ...keys.slice(0, 10)]))).to.deep.equal(expected);
      // Crowded pools settle collisions by hash, not by position in the list.
      const pool = parseCidr("169.254.30.0/27");
      const crowded = siteKeys(8);
      expect(texts(allocateTunnelInsideCidrs([...crowded].reverse(), { pool }))).to.deep.equal(
        texts(allocateTunnelInsideCidrs(crowded, { pool })),
      );
    });

    it("stays inside a custom pool", () => {
      const pool = parseCidr("169.254.200.0/24");
      const result = allocateTunnelInsideCidrs(siteKeys(40), { pool });
      for (const cidr of Object.values(result)) {
        expect(cidrContains(pool, cidr), cidr.text).to.equal(true);
        expect(cidr.prefix).to.equal(30);
      }
      const unconstrained = Object.values(allocateTunnelInsideCidrs(siteKeys(40)));
      expect(unconstrained.some((c) => !cidrContains(pool, c))).to.equal(true);
    });

    it("gives IPv6 tunnels a /126 inside fd00::/8", () => {
      const result = allocateTunnelInsideCidrs(siteKeys(50), { version: 6 });
      const cidrs = Object.values(result);
      expect(new Set(cidrs.map((c) => c.text)).size).to.equal(50);
      for (const cidr of cidrs) {
        expect(cidr.version, cidr.text).to.equal(6);
        expect(cidr.prefix, cidr.text).to.equal(126);
        expect(tunnelInsideCidrProblem(cidr.text, 6), cidr.text).to.equal(undefined);
      }
      expect(tunnelInsideCidrProblem(cidrs[0].text, 4)).to.match(/^IPv6 where IPv4 is required/);
    });

    it("fills a /29 pool with two tunnels and throws for the third", () => {
      const pool = parseCidr("169.254.10.0/29");
      const two = allocateTunnelInsideCidrs(["dc1", "dc2"], { pool });
      expect(
        Object.values(two)
          .map((c) => c.text)
          .sort(),
      ).to.deep.equal(["169.254.10.0/30", "169.254.10.4/30"]);
      expect(() => allocateTunnelInsideCidrs(["dc1", "dc2", "dc3"], { pool })).to.throw(
        "no free /30 left in 169.254.10.0/29 for 3 tunnels",
      );
    });

    it("throws when taken blocks leave no room", () => {
      const pool = parseCidr("169.254.10.0/29");
      expect(() => allocateTunnelInsideCidrs(["dc1"], { pool, taken: [pool] })).to.throw(/no free \/30 left/);
      expect(Object.keys(allocateTunnelInsideCidrs([], { pool, taken: [pool] }))).to.deep.equal([]);
    });
  });

  describe("tunnelInsideCapacity", () => {
    it("counts the /30s in a pool, less the AWS-reserved ones inside it", () => {
      expect(tunnelInsideCapacity(parseCidr("169.254.0.0/16"))).to.equal(16384 - 7);
      expect(tunnelInsideCapacity(parseCidr("169.254.0.0/21"))).to.equal(512 - 6);
      expect(tunnelInsideCapacity(parseCidr("169.254.169.0/24"))).to.equal(64 - 1);
      expect(tunnelInsideCapacity(parseCidr("169.254.10.0/29"))).to.equal(2);
      expect(tunnelInsideCapacity(parseCidr("169.254.0.0/29"))).to.equal(1);
      expect(tunnelInsideCapacity(parseCidr("169.254.0.0/30"))).to.equal(0);
    });

    it("counts /126s in an IPv6 pool, with nothing reserved", () => {
      expect(tunnelInsideCapacity(parseCidr("fd00::/120"))).to.equal(64);
      expect(tunnelInsideCapacity(parseCidr("fd00::/126"))).to.equal(1);
    });

    it("matches what allocateTunnelInsideCidrs can actually hand out", () => {
      const pool = parseCidr("169.254.0.0/25");
      const capacity = tunnelInsideCapacity(pool);
      // 32 /30s; of the reserved blocks only 169.254.0.0/30 lies in 169.254.0.0/25.
      expect(capacity).to.equal(32 - 1);
      const keys = Array.from({ length: capacity + 1 }, (_, i) => `k${i}`);
      expect(Object.keys(allocateTunnelInsideCidrs(keys.slice(0, capacity), { pool }))).to.have.length(
        capacity,
      );
      expect(() => allocateTunnelInsideCidrs(keys, { pool })).to.throw(/no free \/30 left/);
    });
  });

  describe("tunnelInsideAddresses", () => {
    it("gives AWS the first usable address and the customer gateway the second", () => {
      expect(tunnelInsideAddresses(parseCidr("169.254.10.0/30"))).to.deep.equal({
        aws: "169.254.10.1",
        customer: "169.254.10.2",
      });
      expect(tunnelInsideAddresses(parseCidr("169.254.10.4/30"))).to.deep.equal({
        aws: "169.254.10.5",
        customer: "169.254.10.6",
      });
    });

    it("writes IPv6 tunnel addresses in canonical form", () => {
      expect(tunnelInsideAddresses(parseCidr("fd00::/126"))).to.deep.equal({
        aws: "fd00::1",
        customer: "fd00::2",
      });
      expect(tunnelInsideAddresses(parseCidr("fd00:0:0:1:0:0:0:4/126"))).to.deep.equal({
        aws: "fd00:0:0:1::5",
        customer: "fd00:0:0:1::6",
      });
    });
  });

  describe("isPrivateAsn", () => {
    it("follows the RFC 6996 private ranges exactly at their edges", () => {
      const cases: [number, boolean][] = [
        [64511, false],
        [64512, true],
        [65000, true],
        [65534, true],
        [65535, false],
        [4199999999, false],
        [4200000000, true],
        [4294967294, true],
        [4294967295, false],
        [7224, false],
      ];
      for (const [asn, expected] of cases) expect(isPrivateAsn(asn), String(asn)).to.equal(expected);
    });
  });

  describe("amazonSideAsnProblem", () => {
    const message = "Amazon side ASN must be a private ASN: 64512–65534 or 4200000000–4294967294";

    it("accepts private ASNs and refuses their neighbours", () => {
      for (const asn of [64512, 65534, 4200000000, 4294967294])
        expect(amazonSideAsnProblem(asn), String(asn)).to.equal(undefined);
      for (const asn of [64511, 65535, 4199999999, 4294967295, 0, 7224])
        expect(amazonSideAsnProblem(asn), String(asn)).to.equal(message);
    });

    it("refuses non-integers and values that are not numbers", () => {
      const bad: unknown[] = [
        64512.5,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        "64512",
        64512n,
        null,
        undefined,
      ];
      for (const value of bad) expect(amazonSideAsnProblem(value), String(value)).to.equal(message);
      expect(amazonSideAsnProblem(64512)).to.equal(undefined);
    });
  });

  describe("customerAsnProblem", () => {
    it("accepts the whole range AWS takes, 1–4294967295, at its edges", () => {
      // CreateCustomerGateway: BgpAsn 1 to 2,147,483,647; BgpAsnExtended 2,147,483,648 to 4,294,967,295.
      for (const asn of [1, 64512, 65534, 65000, 2147483647, 2147483648, 4294967294, 4294967295])
        expect(customerAsnProblem(asn), String(asn)).to.equal(undefined);
      for (const asn of [0, -1, 4294967296])
        expect(customerAsnProblem(asn), String(asn)).to.equal(
          "customer gateway ASN must be an integer in 1–4294967295",
        );
    });

    it("refuses the ASNs AWS uses itself, and accepts their neighbours", () => {
      for (const asn of [7224, 9059, 10124, 17943]) {
        const problem = customerAsnProblem(asn);
        expect(problem, String(asn)).to.match(/^reserved by AWS \(7224, 9059, 10124, 17943\)/);
        expect(customerAsnProblem(asn + 1), String(asn + 1)).to.equal(undefined);
        expect(customerAsnProblem(asn - 1), String(asn - 1)).to.equal(undefined);
      }
    });

    it("refuses AS_TRANS 23456 and 65535, which no real peer uses", () => {
      expect(customerAsnProblem(23456)).to.equal(
        "23456 is a reserved ASN (RFC 6793/7300); use your own public ASN or a private one",
      );
      expect(customerAsnProblem(65535)).to.equal(
        "65535 is a reserved ASN (RFC 6793/7300); use your own public ASN or a private one",
      );
      expect(customerAsnProblem(23457)).to.equal(undefined);
    });

    it("refuses non-integers and values that are not numbers", () => {
      for (const value of [65000.5, Number.NaN, "65000", null, undefined, 65000n] as unknown[])
        expect(customerAsnProblem(value), String(value)).to.equal(
          "customer gateway ASN must be an integer in 1–4294967295",
        );
      expect(customerAsnProblem(65000)).to.equal(undefined);
    });
  });

  describe("presharedKeyProblem", () => {
    const rule =
      "pre-shared key must be 8–64 characters of letters, digits, '.' and '_', not starting with 0";

    it("accepts 8 to 64 characters and refuses 7 and 65", () => {
      expect(presharedKeyProblem("a".repeat(8))).to.equal(undefined);
      expect(presharedKeyProblem("a".repeat(64))).to.equal(undefined);
      expect(presharedKeyProblem("a".repeat(7))).to.equal(rule);
      expect(presharedKeyProblem("a".repeat(65))).to.equal(rule);
      expect(presharedKeyProblem("")).to.equal(rule);
    });

    it("refuses a key that starts with 0 but accepts 0 elsewhere", () => {
      expect(presharedKeyProblem("0abcdefgh")).to.equal(rule);
      expect(presharedKeyProblem("1abcdefgh")).to.equal(undefined);
      expect(presharedKeyProblem("a0000000")).to.equal(undefined);
    });

    it("accepts letters, digits, '.' and '_' anywhere they are allowed", () => {
      for (const key of ["Abc.def_123", "_leading_underscore", ".leading.dot", "MiXeD.CaSe_99"])
        expect(presharedKeyProblem(key), key).to.equal(undefined);
    });

    it("refuses characters AWS does not allow, such as '-', spaces and symbols", () => {
      for (const key of [
        "abc-defgh",
        "abc defgh",
        "abcdefg!",
        "abc/defgh",
        "abcdéfgh",
        "abcdefgh\n",
        "abc+defgh",
      ])
        expect(presharedKeyProblem(key), JSON.stringify(key)).to.equal(rule);
      expect(presharedKeyProblem("abc_defgh")).to.equal(undefined);
    });

    it("refuses values that are not strings", () => {
      for (const value of [12345678, null, undefined, ["abcdefgh"]] as unknown[])
        expect(presharedKeyProblem(value), String(value)).to.equal(rule);
    });

    it("never repeats the key in its message", () => {
      const secrets = [
        "s3cr3t-key",
        "0SuperSecretKey",
        "short7x",
        `Zq${"9".repeat(70)}`,
        "hunter2 hunter2",
        "P@ssw0rd_P@ssw0rd",
      ];
      for (const secret of secrets) {
        const problem = presharedKeyProblem(secret);
        expect(problem, "refused").to.be.a("string");
        expect(problem, "message").not.to.contain(secret);
        expect(problem, "message").not.to.contain(secret.slice(0, 6));
      }
    });
  });

  describe("publicIpv4Problem", () => {
    const notAddress = "not an IPv4 address; use the device's static public IPv4 address";
    const inBlock = (block: string) =>
      `in ${block}, which is not internet-routable; use the device's static public IPv4 address`;

    it("accepts a public address for a customer gateway, documentation ranges included", () => {
      for (const address of [
        "8.8.8.8",
        "1.1.1.1",
        "203.0.113.10",
        "198.51.100.1",
        "192.0.2.1",
        "223.255.255.255",
      ])
        expect(publicIpv4Problem(address), address).to.equal(undefined);
      expect(publicIpv4Problem("10.0.0.1")).to.equal(inBlock("10.0.0.0/8"));
    });

    it("refuses private, shared, loopback, link-local, multicast and reserved addresses, naming the block", () => {
      const cases: [string, string][] = [
        ["0.0.0.0", "0.0.0.0/8"],
        ["0.255.255.255", "0.0.0.0/8"],
        ["10.0.0.0", "10.0.0.0/8"],
        ["10.255.255.255", "10.0.0.0/8"],
        ["100.64.0.0", "100.64.0.0/10"],
        ["100.127.255.255", "100.64.0.0/10"],
        ["127.0.0.1", "127.0.0.0/8"],
        ["169.254.169.254", "169.254.0.0/16"],
        ["172.16.0.0", "172.16.0.0/12"],
        ["172.31.255.255", "172.16.0.0/12"],
        ["192.168.1.1", "192.168.0.0/16"],
        ["224.0.0.5", "224.0.0.0/4"],
        ["239.255.255.255", "224.0.0.0/4"],
        ["240.0.0.1", "240.0.0.0/4"],
        ["255.255.255.255", "240.0.0.0/4"],
      ];
      for (const [address, block] of cases)
        expect(publicIpv4Problem(address), address).to.equal(inBlock(block));
    });

    it("accepts the public neighbours just outside each non-public block", () => {
      for (const address of [
        "1.0.0.0",
        "9.255.255.255",
        "11.0.0.0",
        "100.63.255.255",
        "100.128.0.0",
        "126.255.255.255",
      ])
        expect(publicIpv4Problem(address), address).to.equal(undefined);
      for (const address of ["128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0"])
        expect(publicIpv4Problem(address), address).to.equal(undefined);
      for (const address of ["192.167.255.255", "192.169.0.0", "223.255.255.255"])
        expect(publicIpv4Problem(address), address).to.equal(undefined);
    });

    it("refuses text that is not one IPv4 address, and values that are not strings", () => {
      const bad: unknown[] = [
        "",
        "8.8.8.8/32",
        "1.2.3",
        "1.2.3.4.5",
        "256.1.1.1",
        "::1",
        "08.8.8.8",
        134744072,
        null,
      ];
      for (const value of bad) expect(publicIpv4Problem(value), String(value)).to.equal(notAddress);
      expect(publicIpv4Problem("8.8.4.4")).to.equal(undefined);
    });
  });
});
