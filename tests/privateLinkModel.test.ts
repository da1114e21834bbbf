import { expect } from "chai";
import { acmCertificateArnProblem, normalizePrincipal, samlProviderArnProblem } from "../model/arns";
import { planClientVpn } from "../model/clientVpn";
import { Problems, ValidationError } from "../model/errors";
import {
  domainNameProblem,
  MAX_PRIVATELINK_LISTENERS,
  type PrivateLinkServiceSpec,
  planPrivateLinkService,
} from "../model/privateLink";
import { checkZonalSubnets, zoneProblem } from "../model/subnets";

const WHERE = 'hybridnet:index:PrivateLinkService "pay"';

function spec(overrides: Partial<PrivateLinkServiceSpec> = {}): PrivateLinkServiceSpec {
  return {
    vpcId: "vpc-0123456789abcdef0",
    subnets: [
      { availabilityZone: "us-east-1a", subnetId: "subnet-0aaaaaaaaaaaaaaaa", cidr: "10.0.1.0/24" },
      { availabilityZone: "us-east-1b", subnetId: "subnet-0bbbbbbbbbbbbbbbb", cidr: "10.0.2.0/24" },
    ],
    targetGroups: { app: { port: 8443 } },
    listeners: { tls: { port: 443, targetGroup: "app" } },
    consumerCidrs: ["10.50.0.0/16"],
    targetCidrs: ["10.0.10.0/24"],
    ...overrides,
  };
}

function thrown(run: () => unknown): ValidationError {
  try {
    run();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  return expect.fail("expected a ValidationError");
}

describe("PrivateLink and Client VPN model", () => {
  describe("principals (model/arns)", () => {
    it("turns an account id into its root ARN and keeps IAM root, role and user ARNs of every partition", () => {
      expect(normalizePrincipal("012345678901")).to.deep.equal({ arn: "arn:aws:iam::012345678901:root" });
      for (const arn of [
        "arn:aws:iam::111122223333:root",
        "arn:aws:iam::111122223333:role/app",
        "arn:aws:iam::111122223333:role/path/to/app-role_1",
        "arn:aws-cn:iam::111122223333:user/ops",
        "arn:aws-us-gov:iam::111122223333:role/x+=,.@-y",
      ])
        expect(normalizePrincipal(arn)).to.deep.equal({ arn });
    });

    it("refuses wildcards, short account ids, other services and IAM groups", () => {
      for (const bad of [
        "*",
        "11112222333",
        "arn:aws:iam::111122223333:group/g",
        "arn:aws:sts::111122223333:assumed-role/r/s",
        12,
        undefined,
      ])
        expect(normalizePrincipal(bad), String(bad)).to.have.property("problem");
    });

    it("checks ACM certificate and SAML provider ARNs by shape, and leaves Outputs to AWS", () => {
      expect(
        acmCertificateArnProblem(
          "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
        ),
      ).to.equal(undefined);
      expect(acmCertificateArnProblem("arn:aws:acm:eu-west-1:111122223333:certificate/abc")).to.be.a(
        "string",
      );
      expect(acmCertificateArnProblem({ output: true })).to.equal(undefined);
      expect(samlProviderArnProblem("arn:aws:iam::111122223333:saml-provider/Okta.Prod")).to.equal(undefined);
      expect(samlProviderArnProblem("arn:aws:iam::111122223333:oidc-provider/x")).to.be.a("string");
    });
  });

  describe("zonal subnets (model/subnets)", () => {
    it("takes zone names, Local Zones and zone ids, and refuses anything else", () => {
      for (const zone of [
        "us-east-1a",
        "eu-central-2c",
        "us-gov-west-1b",
        "us-east-1-bos-1a",
        "use1-az1",
        "euc1-az3",
      ])
        expect(zoneProblem(zone), zone).to.equal(undefined);
      for (const zone of ["us-east-1", "US-EAST-1A", "a", "use1az1", ""])
        expect(zoneProblem(zone), zone).to.be.a("string");
    });

    it("holds at scale: one subnet per zone in 26 zones passes, and every repeated zone is named", () => {
      const letters = "abcdefghijklmnopqrstuvwxyz";
      const subnets = [...letters].map((z, i) => ({
        availabilityZone: `us-east-1${z}`,
        subnetId: `subnet-${i.toString(16).padStart(17, "0")}`,
        cidr: `10.0.${i}.0/24`,
      }));
      const ok = new Problems();
      expect(checkZonalSubnets(ok, "subnets", subnets, { what: "x", minZones: 2 })).to.have.length(26);
      expect(ok.count).to.equal(0);
      const doubled = new Problems();
      const again = subnets.map((s, i) => ({
        ...s,
        subnetId: `subnet-${(i + 100).toString(16).padStart(17, "0")}`,
        cidr: `10.1.${i}.0/24`,
      }));
      checkZonalSubnets(doubled, "subnets", [...subnets, ...again], { what: "x", minZones: 2 });
      expect(doubled.count).to.equal(26);
    });
  });

  describe("planPrivateLinkService", () => {
    it("plans every listener port from every consumer network, and every target port to every target network", () => {
      const listeners = Object.fromEntries(
        Array.from({ length: MAX_PRIVATELINK_LISTENERS }, (_, i) => [
          `l${i}`,
          { port: 2000 + i, targetGroup: "app" },
        ]),
      );
      const consumerCidrs = Array.from({ length: 20 }, (_, i) => `10.${100 + i}.0.0/16`);
      const plan = planPrivateLinkService(
        WHERE,
        "pay",
        spec({
          listeners,
          consumerCidrs,
          targetCidrs: ["10.0.10.0/24", "10.0.11.0/24"],
          targetGroups: { app: { port: 8443, healthCheck: { port: 8080 } } },
        }),
      );
      expect(plan.ingress).to.have.length(50 * 20);
      expect(new Set(plan.ingress.map((r) => r.key)).size).to.equal(1000);
      expect(plan.targetPorts).to.deep.equal([8080, 8443]);
      expect(plan.egress.map((r) => `${r.port} ${r.cidr}`)).to.deep.equal([
        "8080 10.0.10.0/24",
        "8080 10.0.11.0/24",
        "8443 10.0.10.0/24",
        "8443 10.0.11.0/24",
      ]);
      expect(plan.healthCheckSourceCidrs).to.deep.equal(["10.0.1.0/24", "10.0.2.0/24"]);
    });

    it("accepts consumer networks that overlap the provider's own VPC: PrivateLink never routes between them", () => {
      const plan = planPrivateLinkService(WHERE, "pay", spec({ consumerCidrs: ["10.0.0.0/16"] }));
      expect(plan.ingress.map((r) => r.cidr)).to.deep.equal(["10.0.0.0/16"]);
    });

    it("fills in the secure defaults and the HTTP health check defaults", () => {
      const plan = planPrivateLinkService(
        WHERE,
        "pay",
        spec({ targetGroups: { app: { port: 8443, healthCheck: { protocol: "HTTP" } } } }),
      );
      expect(plan.acceptanceRequired).to.equal(true);
      expect(plan.enforceInboundRulesOnPrivateLinkTraffic).to.equal(true);
      expect(plan.allowedPrincipals).to.deep.equal([]);
      expect(plan.targetGroups[0]).to.deep.include({
        protocol: "TCP",
        targetType: "ip",
        deregistrationDelaySeconds: 300,
      });
      expect(plan.targetGroups[0].healthCheck).to.deep.equal({
        protocol: "HTTP",
        port: "traffic-port",
        path: "/",
        matcher: "200-399",
        intervalSeconds: 10,
        timeoutSeconds: 5,
        healthyThreshold: 3,
        unhealthyThreshold: 3,
      });
    });

    it("reports every problem of a bad spec in one error, in argument order", () => {
      const error = thrown(() =>
        planPrivateLinkService(
          WHERE,
          "pay",
          spec({
            listeners: { u: { port: 53, protocol: "UDP" as "TCP", targetGroup: "app" } },
            allowedPrincipals: ["*"],
            subnets: [],
          }),
        ),
      );
      expect(error.problems.map((p) => p.path)).to.deep.equal([
        "subnets",
        "listeners.u.protocol",
        "allowedPrincipals[0]",
      ]);
    });
  });

  describe("domain names", () => {
    it("takes domain names with a leading wildcard and refuses single labels and bad labels", () => {
      for (const ok of ["api.example.com", "*.svc.example.co.uk", "a-b.example.com"])
        expect(domainNameProblem(ok), ok).to.equal(undefined);
      for (const bad of [
        "localhost",
        "api..example.com",
        "-api.example.com",
        "api.example.com.",
        `${"a".repeat(64)}.com`,
        "api_1.example.com",
      ])
        expect(domainNameProblem(bad), bad).to.be.a("string");
    });
  });

  describe("planClientVpn", () => {
    it("lets an authorization rule cover more than the VPC, as long as something it covers is routed", () => {
      const plan = planClientVpn('hybridnet:index:ClientVpn "staff"', {
        vpcId: "vpc-0123456789abcdef0",
        vpcCidrs: ["10.1.0.0/16"],
        clientCidr: "172.16.0.0/22",
        serverCertificateArn:
          "arn:aws:acm:us-east-1:111122223333:certificate/11111111-2222-3333-4444-555555555555",
        authentication: { saml: { samlProviderArn: "arn:aws:iam::111122223333:saml-provider/okta" } },
        subnets: [
          { availabilityZone: "us-east-1a", subnetId: "subnet-0aaaaaaaaaaaaaaaa", cidr: "10.1.1.0/24" },
          { availabilityZone: "us-east-1b", subnetId: "subnet-0bbbbbbbbbbbbbbbb", cidr: "10.1.2.0/24" },
        ],
        authorizationRules: { corp: { destination: "10.0.0.0/8", groupId: "staff" } },
        routes: { internet: { destination: "0.0.0.0/0" } },
      });
      expect(plan.authorizationRules).to.deep.equal([
        { key: "corp", destination: "10.0.0.0/8", groupId: "staff" },
      ]);
      expect(plan.routes).to.deep.equal([{ key: "internet", destination: "0.0.0.0/0" }]);
      expect(plan.egressCidrs).to.deep.equal(["10.0.0.0/8"]);
      expect(plan.authentication).to.equal("saml");
    });
  });
});
