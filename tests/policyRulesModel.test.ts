/**
 * The pure checks behind the policy pack (model/policyRules, model/resourceGraph), tested directly: how
 * references resolve, what a VPN layout carries, which values count as plain text, which stacks are
 * production, and that the overlap check holds at landing-zone scale.
 */
import { expect } from "chai";
import {
  isProdStack,
  overlapFindings,
  PRESHARED_KEY_NAME,
  plaintextPaths,
  propertyPath,
  vpnCapacity,
  weakCryptoProblems,
} from "../model/policyRules";
import { type PlannedResource, ResourceGraph, TYPES } from "../model/resourceGraph";

const urn = (type: string, name: string, stack = "connectivity-dev") =>
  `urn:pulumi:${stack}::hybridnet::${type}::${name}`;

function resource(type: string, name: string, props: Record<string, unknown>, deps = {}): PlannedResource {
  return { type, name, urn: urn(type, name), props, propertyDependencies: deps };
}

describe("policy rules (model)", () => {
  describe("ResourceGraph", () => {
    it("follows a property to the resource it came from, through an accepter, else to the literal id", () => {
      const pcx = resource(TYPES.peeringConnection, "pcx", {});
      const accepter = resource(TYPES.peeringAccepter, "acc", {}, { vpcPeeringConnectionId: [pcx.urn] });
      const route = resource(
        TYPES.route,
        "r",
        { vpcPeeringConnectionId: "pcx-1" },
        { vpcPeeringConnectionId: [accepter.urn] },
      );
      const literal = resource(TYPES.route, "l", { vpcPeeringConnectionId: "pcx-0123" });
      const graph = new ResourceGraph([pcx, accepter, route, literal]);
      expect(graph.target(route, "vpcPeeringConnectionId", [TYPES.peeringConnection])).to.equal(pcx.urn);
      expect(graph.target(literal, "vpcPeeringConnectionId", [TYPES.peeringConnection])).to.equal(
        "id:pcx-0123",
      );
      expect(graph.stack).to.equal("connectivity-dev");
    });

    it("does not take a stack reference for the element its outputs name", () => {
      const ref = resource("pulumi:pulumi:StackReference", "network", {});
      const vgw = resource(TYPES.vpnGateway, "vgw", { vpcId: "vpc-0abc" }, { vpcId: [ref.urn] });
      expect(new ResourceGraph([ref, vgw]).target(vgw, "vpcId", [TYPES.vpc])).to.equal("id:vpc-0abc");
    });
  });

  describe("vpnCapacity", () => {
    const path = (over: Partial<Parameters<typeof vpnCapacity>[0][number]> = {}) => ({
      gateway: "tgw",
      kind: "tgw" as const,
      ecmp: true,
      bgp: true,
      tunnelGbps: 1.25,
      ...over,
    });

    it("adds up both tunnels of every connection only with ECMP and BGP on one transit gateway", () => {
      expect(vpnCapacity([path(), path()]).capacityGbps).to.equal(5);
      expect(vpnCapacity([path({ tunnelGbps: 5 })]).capacityGbps).to.equal(10);
      expect(vpnCapacity([path(), path({ bgp: false })])).to.deep.equal({
        capacityGbps: 1.25,
        reason: "1.25 Gbps: static routing uses one tunnel at a time",
      });
      expect(vpnCapacity([path({ ecmp: false })]).reason).to.include("VPN ECMP is off");
      expect(vpnCapacity([path({ kind: "vgw", gateway: "vgw", ecmp: false })]).reason).to.include("no ECMP");
    });

    it("does not add connections on different gateways, and carries nothing without one", () => {
      expect(vpnCapacity([path(), path({ gateway: "other" })]).capacityGbps).to.equal(2.5);
      expect(vpnCapacity([]).capacityGbps).to.equal(0);
    });
  });

  describe("propertyPath", () => {
    it("spells keys with dots and indexes in brackets, as the policies' messages name properties", () => {
      expect(propertyPath(["tunnel1PresharedKey"])).to.equal("tunnel1PresharedKey");
      expect(propertyPath(["tags", "Psk"])).to.equal("tags.Psk");
      expect(propertyPath(["sites", 0, "tunnels", 1, "presharedKey"])).to.equal(
        "sites[0].tunnels[1].presharedKey",
      );
      expect(propertyPath([0, 2])).to.equal("[0][2]");
      expect(propertyPath(["", "psk"])).to.equal("psk");
      expect(propertyPath([])).to.equal("");
    });
  });

  describe("plaintextPaths", () => {
    it("finds key-named strings that are not secret, at any depth, and skips unknown values", () => {
      const props = {
        tunnel1PresharedKey: "Plain.key_1",
        tunnel2PresharedKey: "Secret.key_2",
        tags: { Psk: "Plain.key_3", Name: "corp" },
        nested: [{ preSharedKey: "Under.secret" }],
        later: { psk: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" },
      };
      const secret = new Set(["tunnel2PresharedKey", "nested[0]"]);
      const unknown = (v: unknown) => v === "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
      expect(plaintextPaths(props, secret, PRESHARED_KEY_NAME, unknown)).to.deep.equal([
        "tunnel1PresharedKey",
        "tags.Psk",
      ]);
    });

    it("names each finding by its path, through arrays and objects, with no secret paths or with some", () => {
      const props = {
        keys: ["Plain.key_1", { psk: "Plain.key_2" }],
        sites: [{ tunnels: [{ presharedKey: "Plain.key_3" }, { presharedKey: "" }] }],
        "": { psk: "Plain.key_4" },
      };
      const named = /^(keys|psk|presharedKey)$/;
      expect(plaintextPaths(props, new Set(), named)).to.deep.equal([
        "keys[0]",
        "keys[1].psk",
        "sites[0].tunnels[0].presharedKey",
        "psk",
      ]);
      expect(plaintextPaths(props, new Set(["keys[1]", "sites[0].tunnels"]), named)).to.deep.equal([
        "keys[0]",
        "psk",
      ]);
    });
  });

  describe("weakCryptoProblems", () => {
    it("counts an unset list as AWS's full list, weak members included", () => {
      const problems = weakCryptoProblems({ tunnel1Phase1EncryptionAlgorithms: ["AES256"] }, 14);
      expect(problems).to.include.members([
        'tunnel2Phase1EncryptionAlgorithms is unset, so AWS accepts ["AES128","AES256","AES128-GCM-16","AES256-GCM-16"]: ["AES128","AES128-GCM-16"] are weak; AES-128 is below the AES-256 baseline',
      ]);
      expect(problems.some((p) => p.startsWith("tunnel1Phase1EncryptionAlgorithms"))).to.equal(false);
    });
  });

  describe("isProdStack", () => {
    it("reads the environment from the stack name, or from the suffixes a team configures", () => {
      expect(isProdStack("connectivity-prod")).to.equal(true);
      expect(isProdStack("workload-payments-production")).to.equal(true);
      expect(isProdStack("connectivity-dev")).to.equal(false);
      expect(isProdStack("connectivity-LIVE", ["-live"])).to.equal(true);
      expect(isProdStack("connectivity-prod", ["-live"])).to.equal(false);
    });
  });

  describe("overlapFindings at scale", () => {
    it("checks 2,000 VPCs on one transit gateway in well under a second, finding the one overlap", () => {
      const tgw = resource(TYPES.transitGateway, "hub", {});
      const resources: PlannedResource[] = [tgw];
      for (let i = 0; i < 2000; i++) {
        const vpc = resource(TYPES.vpc, `vpc${i}`, { cidrBlock: `10.${i >> 8}.${i & 255}.0/24` });
        resources.push(
          vpc,
          resource(TYPES.tgwVpcAttachment, `att${i}`, {}, { vpcId: [vpc.urn], transitGatewayId: [tgw.urn] }),
        );
      }
      const overlapping = resource(TYPES.vpc, "stray", { cidrBlock: "10.3.7.128/25" });
      resources.push(
        overlapping,
        resource(
          TYPES.tgwVpcAttachment,
          "stray-att",
          {},
          { vpcId: [overlapping.urn], transitGatewayId: [tgw.urn] },
        ),
      );
      const started = Date.now();
      const findings = overlapFindings(new ResourceGraph(resources), {}, []);
      expect(Date.now() - started).to.be.below(1000);
      expect(findings.map((f) => f.message.split(",")[0])).to.deep.equal([
        '10.3.7.128/25 (VPC "stray") overlaps 10.3.7.0/24 (VPC "vpc775")',
      ]);
    });
  });
});
