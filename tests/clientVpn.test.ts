import { expect } from "chai";
import { ClientVpn, type ClientVpnArgs } from "../components/ClientVpn";
import { recordDependencies } from "./dependencies";
import { type RegisteredResource, type ResourceList, resolve, runProgram } from "./harness";
import { onlyProblem, problemAt, refusedBy } from "./refusals";

const TYPE = {
  component: "hybridnet:index:ClientVpn",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  logStream: "aws:cloudwatch/logStream:LogStream",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  endpoint: "aws:ec2clientvpn/endpoint:Endpoint",
  association: "aws:ec2clientvpn/networkAssociation:NetworkAssociation",
  rule: "aws:ec2clientvpn/authorizationRule:AuthorizationRule",
  route: "aws:ec2clientvpn/route:Route",
} as const;

const WHERE = 'hybridnet:index:ClientVpn "staff"';
const SERVER_CERT = "arn:aws:acm:us-east-1:111122223333:certificate/11111111-2222-3333-4444-555555555555";
const CLIENT_CA = "arn:aws:acm:us-east-1:111122223333:certificate/66666666-7777-8888-9999-000000000000";
const SAML = "arn:aws:iam::111122223333:saml-provider/okta";

function vpnArgs(overrides: Partial<ClientVpnArgs> = {}): ClientVpnArgs {
  return {
    vpcId: "vpc-0123456789abcdef0",
    vpcCidrs: ["10.0.0.0/16"],
    clientCidr: "172.16.0.0/22",
    serverCertificateArn: SERVER_CERT,
    authentication: { mutualTls: { clientRootCertificateChainArn: CLIENT_CA } },
    subnets: [
      { availabilityZone: "us-east-1a", subnetId: "subnet-0aaaaaaaaaaaaaaaa", cidr: "10.0.1.0/24" },
      { availabilityZone: "us-east-1b", subnetId: "subnet-0bbbbbbbbbbbbbbbb", cidr: "10.0.2.0/24" },
    ],
    authorizationRules: { vpc: { destination: "10.0.0.0/16" } },
    ...overrides,
  };
}

async function build(args: ClientVpnArgs) {
  const run = await runProgram(() => new ClientVpn("staff", args));
  if (run.error) expect.fail(`ClientVpn refused valid arguments: ${run.error.message}`);
  return { resources: run.resources, vpn: run.result as ClientVpn };
}

const refused = (args: ClientVpnArgs) => refusedBy(() => new ClientVpn("staff", args), WHERE);

function one(resources: ResourceList, type: string): RegisteredResource {
  const found = resources.ofType(type);
  expect(found, type).to.have.length(1);
  return found[0];
}

describe("ClientVpn", () => {
  describe("resources", () => {
    it("registers an endpoint with mutual TLS, split tunnel and connection logs, under the component", async () => {
      const { resources, vpn } = await build(vpnArgs());
      const component = one(resources, TYPE.component);
      for (const r of resources.all.filter((r) => r.type !== TYPE.component))
        expect(r.parent, `${r.type} ${r.name}`).to.equal(component.urn);
      const endpoint = one(resources, TYPE.endpoint);
      expect(endpoint.name).to.equal("staff-endpoint");
      expect(endpoint.inputs).to.deep.include({
        vpcId: "vpc-0123456789abcdef0",
        clientCidrBlock: "172.16.0.0/22",
        serverCertificateArn: SERVER_CERT,
        authenticationOptions: [{ type: "certificate-authentication", rootCertificateChainArn: CLIENT_CA }],
        splitTunnel: true,
        transportProtocol: "udp",
        vpnPort: 443,
        sessionTimeoutHours: 24,
        disconnectOnSessionTimeout: false,
        selfServicePortal: "disabled",
      });
      expect(endpoint.inputs.dnsServers).to.equal(undefined);
      const logGroup = one(resources, TYPE.logGroup);
      expect(logGroup.inputs).to.include({
        namePrefix: "/hybridnet/client-vpn/staff-",
        retentionInDays: 365,
      });
      const stream = one(resources, TYPE.logStream);
      const logGroupName = (await resolve(vpn.logGroupName)).value;
      expect(stream.inputs).to.deep.equal({ logGroupName, name: "connections" });
      expect(endpoint.inputs.connectionLogOptions).to.deep.equal({
        enabled: true,
        cloudwatchLogGroup: logGroupName,
        cloudwatchLogStream: "connections",
      });
      const sgId = (await resolve(vpn.securityGroupId)).value;
      expect(endpoint.inputs.securityGroupIds).to.deep.equal([sgId]);
    });

    it("associates one subnet per zone, named after the zone", async () => {
      const { resources, vpn } = await build(vpnArgs());
      const endpointId = (await resolve(vpn.endpointId)).value;
      expect(endpointId).to.match(/^cvpn-endpoint-[0-9a-f]{17}$/);
      const associations = resources.ofType(TYPE.association);
      expect(
        associations.map((a) => `${a.name} ${a.inputs.subnetId} ${a.inputs.clientVpnEndpointId}`),
      ).to.deep.equal([
        `staff-us-east-1a subnet-0aaaaaaaaaaaaaaaa ${endpointId}`,
        `staff-us-east-1b subnet-0bbbbbbbbbbbbbbbb ${endpointId}`,
      ]);
      const ids = (await resolve(vpn.associationIds)).value;
      expect(Object.keys(ids)).to.deep.equal(["us-east-1a", "us-east-1b"]);
      expect(Object.values(ids).every((id) => id.startsWith("cvpn-assoc-"))).to.equal(true);
      expect((await resolve(vpn.dnsName)).value).to.equal(
        `*.${endpointId}.prod.clientvpn.us-east-1.amazonaws.com`,
      );
    });

    it("authorizes SAML groups per destination, every client where no group is named, and opens the security group only there", async () => {
      const { resources, vpn } = await build(
        vpnArgs({
          authentication: { saml: { samlProviderArn: SAML } },
          selfServicePortal: true,
          authorizationRules: {
            vpc: { destination: "10.0.0.0/16" },
            dcAdmins: { destination: "192.168.0.0/16", groupId: "network-admins" },
            dcOps: { destination: "192.168.10.0/24", groupId: "ops", description: "ops tools" },
          },
          routes: { dc: { destination: "192.168.0.0/16" } },
        }),
      );
      const endpoint = one(resources, TYPE.endpoint);
      expect(endpoint.inputs.authenticationOptions).to.deep.equal([
        { type: "federated-authentication", samlProviderArn: SAML },
      ]);
      expect(endpoint.inputs.selfServicePortal).to.equal("enabled");
      const rules = resources.ofType(TYPE.rule).map((r) => ({ name: r.name, ...r.inputs }));
      const endpointId = (await resolve(vpn.endpointId)).value;
      expect(rules).to.deep.equal([
        {
          name: "staff-auth-dcAdmins",
          clientVpnEndpointId: endpointId,
          targetNetworkCidr: "192.168.0.0/16",
          accessGroupId: "network-admins",
          description: "staff: network-admins to 192.168.0.0/16",
        },
        {
          name: "staff-auth-dcOps",
          clientVpnEndpointId: endpointId,
          targetNetworkCidr: "192.168.10.0/24",
          accessGroupId: "ops",
          description: "ops tools",
        },
        {
          name: "staff-auth-vpc",
          clientVpnEndpointId: endpointId,
          targetNetworkCidr: "10.0.0.0/16",
          authorizeAllGroups: true,
          description: "staff: all clients to 10.0.0.0/16",
        },
      ]);
      expect(
        resources.ofType(TYPE.egress).map((r) => `${r.name} ${r.inputs.ipProtocol} ${r.inputs.cidrIpv4}`),
      ).to.deep.equal([
        "staff-out-10-0-0-0-16 -1 10.0.0.0/16",
        "staff-out-192-168-0-0-16 -1 192.168.0.0/16",
        "staff-out-192-168-10-0-24 -1 192.168.10.0/24",
      ]);
      expect(resources.ofType(TYPE.ingress)).to.have.length(0);
    });

    it("adds each route through every associated subnet, after that subnet's association", async () => {
      const run = await runProgram(() => {
        const dependencies = recordDependencies();
        return {
          dependencies,
          vpn: new ClientVpn(
            "staff",
            vpnArgs({
              routes: { dc: { destination: "192.168.0.0/16" }, internet: { destination: "0.0.0.0/0" } },
              authorizationRules: {
                vpc: { destination: "10.0.0.0/16" },
                internet: { destination: "0.0.0.0/0" },
              },
            }),
          ),
        };
      });
      if (run.error) expect.fail(run.error.message);
      const { dependencies } = run.result as { dependencies: Map<string, string[]> };
      const routes = run.resources.ofType(TYPE.route);
      expect(
        routes.map((r) => `${r.name} ${r.inputs.destinationCidrBlock} ${r.inputs.targetVpcSubnetId}`).sort(),
      ).to.deep.equal([
        "staff-route-dc-us-east-1a 192.168.0.0/16 subnet-0aaaaaaaaaaaaaaaa",
        "staff-route-dc-us-east-1b 192.168.0.0/16 subnet-0bbbbbbbbbbbbbbbb",
        "staff-route-internet-us-east-1a 0.0.0.0/0 subnet-0aaaaaaaaaaaaaaaa",
        "staff-route-internet-us-east-1b 0.0.0.0/0 subnet-0bbbbbbbbbbbbbbbb",
      ]);
      const association = (zone: string) => run.resources.named(`staff-${zone}`).urn;
      expect(dependencies.get("staff-route-dc-us-east-1a")).to.include(association("us-east-1a"));
      expect(dependencies.get("staff-route-internet-us-east-1b")).to.include(association("us-east-1b"));
    });

    it("takes full tunnel, TCP on 1194, shorter sessions, DNS servers and log settings when asked", async () => {
      const { resources } = await build(
        vpnArgs({
          splitTunnel: false,
          transportProtocol: "tcp",
          vpnPort: 1194,
          sessionTimeoutHours: 8,
          disconnectOnSessionTimeout: true,
          dnsServers: ["10.0.0.2"],
          description: "staff remote access",
          connectionLogs: { retentionInDays: 90, kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/abc" },
        }),
      );
      expect(one(resources, TYPE.endpoint).inputs).to.deep.include({
        splitTunnel: false,
        transportProtocol: "tcp",
        vpnPort: 1194,
        sessionTimeoutHours: 8,
        disconnectOnSessionTimeout: true,
        dnsServers: ["10.0.0.2"],
        description: "staff remote access",
      });
      expect(one(resources, TYPE.logGroup).inputs).to.include({
        retentionInDays: 90,
        kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/abc",
      });
    });
  });

  describe("bad input", () => {
    it("refuses a client CIDR smaller than /22 or larger than /12", async () => {
      const small = await refused(vpnArgs({ clientCidr: "172.16.0.0/24" }));
      onlyProblem(small, "clientCidr", "172.16.0.0/24", "/24 is too small; the prefix must be /12 to /22");
      const large = await refused(vpnArgs({ clientCidr: "172.0.0.0/11" }));
      onlyProblem(large, "clientCidr", "172.0.0.0/11", "/11 is too large");
      const notCidr = await refused(vpnArgs({ clientCidr: "172.16.0.1/22" }));
      onlyProblem(notCidr, "clientCidr", "172.16.0.1/22", "host bits are set");
    });

    it("refuses a client CIDR that overlaps the VPC", async () => {
      const error = await refused(
        vpnArgs({ vpcCidrs: ["10.0.0.0/16", "100.64.0.0/16"], clientCidr: "10.0.0.0/12" }),
      );
      onlyProblem(error, "clientCidr", "10.0.0.0/12", "overlaps the VPC CIDR 10.0.0.0/16 (vpcCidrs[0])");
    });

    it("refuses routes inside the client CIDR or the VPC's own, and authorizes no network that nothing routes to", async () => {
      const error = await refused(
        vpnArgs({
          routes: {
            clients: { destination: "172.16.1.0/24" },
            vpc: { destination: "10.0.0.0/16" },
            dc: { destination: "192.168.0.0/16" },
            again: { destination: "192.168.0.0/16" },
          },
          authorizationRules: {
            vpc: { destination: "10.0.0.0/16" },
            partner: { destination: "203.0.113.0/24" },
          },
        }),
      );
      problemAt(error, "routes.clients.destination", "172.16.1.0/24", "inside the client CIDR 172.16.0.0/22");
      problemAt(error, "routes.vpc.destination", "10.0.0.0/16", "AWS adds that route");
      problemAt(error, "routes.dc.destination", "192.168.0.0/16", "also routes.again");
      problemAt(error, "authorizationRules.partner.destination", "203.0.113.0/24", "no route reaches it");
      expect(error.problems).to.have.length(4);
    });

    it("refuses subnets in one zone, two in one zone, smaller than /27, without a CIDR or outside the VPC", async () => {
      const oneZone = await refused(
        vpnArgs({
          subnets: [
            { availabilityZone: "us-east-1a", subnetId: "subnet-0aaaaaaaaaaaaaaaa", cidr: "10.0.1.0/24" },
          ],
        }),
      );
      onlyProblem(
        oneZone,
        "subnets",
        ["us-east-1a"],
        "a Client VPN endpoint needs subnets in at least 2 zones",
      );
      const error = await refused(
        vpnArgs({
          vpcCidrs: ["10.0.0.0/16", "172.16.0.0/16"],
          clientCidr: "192.168.0.0/22",
          subnets: [
            { availabilityZone: "us-east-1a", subnetId: "subnet-0aaaaaaaaaaaaaaaa", cidr: "10.0.1.0/28" },
            { availabilityZone: "us-east-1a", subnetId: "subnet-0bbbbbbbbbbbbbbbb", cidr: "10.0.2.0/24" },
            { availabilityZone: "us-east-1c", subnetId: "subnet-0cccccccccccccccc", cidr: "10.1.2.0/24" },
            { availabilityZone: "us-east-1d", subnetId: "subnet-0dddddddddddddddd" } as never,
          ],
        }),
      );
      problemAt(error, "subnets[0].cidr", "10.0.1.0/28", "/27 or larger");
      problemAt(error, "subnets[1].availabilityZone", "us-east-1a", "one subnet per Availability Zone");
      problemAt(error, "subnets[2].cidr", "10.1.2.0/24", "not inside the VPC's CIDRs");
      problemAt(error, "subnets[3].cidr", undefined, "the subnet's IPv4 CIDR");
    });

    it("refuses both or neither of mutual TLS and SAML, and ARNs that are not certificates or SAML providers", async () => {
      const both = await refused(
        vpnArgs({
          authentication: {
            mutualTls: { clientRootCertificateChainArn: CLIENT_CA },
            saml: { samlProviderArn: SAML },
          },
        }),
      );
      onlyProblem(
        both,
        "authentication",
        { mutualTls: { clientRootCertificateChainArn: CLIENT_CA }, saml: { samlProviderArn: SAML } },
        "exactly one of",
      );
      const neither = await refused(vpnArgs({ authentication: {} }));
      onlyProblem(neither, "authentication", {}, "exactly one of");
      const arns = await refused(
        vpnArgs({
          serverCertificateArn: "arn:aws:iam::111122223333:server-certificate/vpn",
          authentication: {
            saml: {
              samlProviderArn: "arn:aws:iam::111122223333:role/okta",
              selfServiceSamlProviderArn: "okta",
            },
          },
        }),
      );
      problemAt(
        arns,
        "serverCertificateArn",
        "arn:aws:iam::111122223333:server-certificate/vpn",
        "an ACM certificate ARN",
      );
      problemAt(
        arns,
        "authentication.saml.samlProviderArn",
        "arn:aws:iam::111122223333:role/okta",
        "saml-provider",
      );
      problemAt(arns, "authentication.saml.selfServiceSamlProviderArn", "okta", "saml-provider");
      const clientCa = await refused(
        vpnArgs({ authentication: { mutualTls: { clientRootCertificateChainArn: "" } } }),
      );
      onlyProblem(
        clientCa,
        "authentication.mutualTls.clientRootCertificateChainArn",
        "",
        "an ACM certificate ARN",
      );
    });

    it("refuses groups and the self-service portal with mutual TLS, which has neither", async () => {
      const error = await refused(
        vpnArgs({
          selfServicePortal: true,
          authorizationRules: { vpc: { destination: "10.0.0.0/16", groupId: "engineers" } },
        }),
      );
      problemAt(error, "selfServicePortal", true, "only with SAML");
      problemAt(error, "authorizationRules.vpc.groupId", "engineers", "mutual TLS carries no groups");
      expect(error.problems).to.have.length(2);
    });

    it("refuses session settings AWS does not offer", async () => {
      const error = await refused(
        vpnArgs({
          sessionTimeoutHours: 6 as 8,
          vpnPort: 4443 as 443,
          transportProtocol: "quic" as "udp",
          dnsServers: ["10.0.0.2", "10.0.0.3", "10.0.0.4"],
          connectionLogs: { retentionInDays: 100 },
          description: "x".repeat(256),
        }),
      );
      problemAt(error, "sessionTimeoutHours", 6, "one of 8, 10, 12, 24");
      problemAt(error, "vpnPort", 4443, "443 or 1194");
      problemAt(error, "transportProtocol", "quic", '"udp", "tcp"');
      problemAt(error, "dnsServers", ["10.0.0.2", "10.0.0.3", "10.0.0.4"], "at most 2");
      problemAt(error, "connectionLogs.retentionInDays", 100, "a CloudWatch Logs retention");
      problemAt(error, "description", "x".repeat(256), "at most 255 characters");
      const dns = await refused(vpnArgs({ dnsServers: ["resolver"] }));
      onlyProblem(dns, "dnsServers[0]", "resolver", "an IPv4 address");
    });

    it("refuses an endpoint nobody is authorized through, duplicate rules, and more rules or routes than the quota", async () => {
      const none = await refused(vpnArgs({ authorizationRules: {} }));
      onlyProblem(none, "authorizationRules", {}, "without one no client reaches anything");
      const twice = await refused(
        vpnArgs({
          authorizationRules: { a: { destination: "10.0.0.0/16" }, b: { destination: "10.0.0.0/16" } },
        }),
      );
      onlyProblem(twice, "authorizationRules.b.destination", "10.0.0.0/16", "also authorizationRules.a");
      const rules = Object.fromEntries(
        Array.from({ length: 3 }, (_, i) => [`r${i}`, { destination: `10.0.${i}.0/24` }]),
      );
      const routes = Object.fromEntries(
        Array.from({ length: 3 }, (_, i) => [`r${i}`, { destination: `192.168.${i}.0/24` }]),
      );
      const quota = await refused(
        vpnArgs({ authorizationRules: rules, authorizationRuleQuota: 2, routes, routeQuota: 2 }),
      );
      problemAt(quota, "authorizationRules", "3 rules", "at most 2 authorization rules");
      problemAt(quota, "routes", "3 routes", "at most 2 routes per target network association");
      expect(quota.problems).to.have.length(2);
    });

    it("refuses a missing VPC CIDR list, a bad VPC id and bad keys, reporting every problem at once", async () => {
      const error = await refused(
        vpnArgs({
          vpcId: "my-vpc",
          vpcCidrs: [],
          routes: { "on prem": { destination: "192.168.0.0/16" } },
        }),
      );
      problemAt(error, "vpcId", "my-vpc", "a vpc id");
      problemAt(error, "vpcCidrs", [], "the VPC's IPv4 CIDRs");
      problemAt(error, "routes.on prem", "on prem", "a key of 1–32 letters");
      expect(error.message).to.match(/^hybridnet:index:ClientVpn "staff": \d+ invalid arguments\n/);
    });
  });
});
