import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { PrivateLinkService, type PrivateLinkServiceArgs } from "../components/PrivateLinkService";
import { recordDependencies } from "./dependencies";
import { type RegisteredResource, type ResourceList, resolve, runProgram } from "./harness";
import { onlyProblem, problemAt, refusedBy } from "./refusals";

const TYPE = {
  component: "hybridnet:index:PrivateLinkService",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  attachment: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
  listener: "aws:lb/listener:Listener",
  service: "aws:ec2/vpcEndpointService:VpcEndpointService",
  accepter: "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter",
  record: "aws:route53/record:Record",
  verification: "aws:vpc/endpointServicePrivateDnsVerification:EndpointServicePrivateDnsVerification",
} as const;

const WHERE = 'hybridnet:index:PrivateLinkService "pay"';
const CERT = "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
const TARGET_SG = "sg-0fedcba9876543210";

/** A provider-side service in two zones with one TCP listener, the shape most tests vary. */
function serviceArgs(overrides: Partial<PrivateLinkServiceArgs> = {}): PrivateLinkServiceArgs {
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
    allowedPrincipals: ["222233334444"],
    ...overrides,
  };
}

async function build(args: PrivateLinkServiceArgs, name = "pay") {
  const run = await runProgram(() => new PrivateLinkService(name, args));
  if (run.error) expect.fail(`PrivateLinkService refused valid arguments: ${run.error.message}`);
  return { resources: run.resources, service: run.result as PrivateLinkService };
}

const refused = (args: PrivateLinkServiceArgs) => refusedBy(() => new PrivateLinkService("pay", args), WHERE);

function one(resources: ResourceList, type: string): RegisteredResource {
  const found = resources.ofType(type);
  expect(found, type).to.have.length(1);
  return found[0];
}

/** Security group rules as `direction protocol port source/destination`, sorted. */
function rules(resources: ResourceList): string[] {
  return [
    ...resources.ofType(TYPE.ingress).map((r) => ["in", r]),
    ...resources.ofType(TYPE.egress).map((r) => ["out", r]),
  ]
    .map(([dir, r]) => {
      const i = (r as RegisteredResource).inputs;
      return `${dir} ${i.ipProtocol} ${i.fromPort}-${i.toPort} ${i.cidrIpv4 ?? `sg:${i.referencedSecurityGroupId}`} on ${i.securityGroupId}`;
    })
    .sort();
}

describe("PrivateLinkService", () => {
  describe("resources", () => {
    it("registers an internal, cross-zone Network Load Balancer in both zones behind an endpoint service, all under the component", async () => {
      const { resources } = await build(serviceArgs());
      const component = one(resources, TYPE.component);
      expect(component.name).to.equal("pay");
      for (const r of resources.all.filter((r) => r.type !== TYPE.component))
        expect(r.parent, `${r.type} ${r.name}`).to.equal(component.urn);
      const lb = one(resources, TYPE.lb);
      expect(lb.name).to.equal("pay-nlb");
      expect(lb.inputs).to.include({
        loadBalancerType: "network",
        internal: true,
        enableCrossZoneLoadBalancing: true,
        enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "on",
        ipAddressType: "ipv4",
      });
      expect(lb.inputs.subnets).to.deep.equal(["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]);
      const sg = one(resources, TYPE.sg);
      expect(sg.inputs.vpcId).to.equal("vpc-0123456789abcdef0");
      expect(lb.inputs.securityGroups).to.have.length(1);
      const service = one(resources, TYPE.service);
      expect(service.name).to.equal("pay-service");
      expect(service.inputs.networkLoadBalancerArns).to.have.length(1);
      expect(String((service.inputs.networkLoadBalancerArns as string[])[0])).to.match(
        /^arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer\/net\/pay-nlb-/,
      );
    });

    it("forwards each TCP listener to its target group, which checks target health over TCP by default", async () => {
      const { resources } = await build(serviceArgs());
      const tg = one(resources, TYPE.targetGroup);
      expect(tg.name).to.equal("pay-app");
      expect(tg.inputs).to.include({
        port: 8443,
        protocol: "TCP",
        targetType: "ip",
        vpcId: "vpc-0123456789abcdef0",
        deregistrationDelay: 300,
        proxyProtocolV2: false,
      });
      expect(tg.inputs.healthCheck).to.deep.equal({
        enabled: true,
        protocol: "TCP",
        port: "traffic-port",
        interval: 10,
        timeout: 5,
        healthyThreshold: 3,
        unhealthyThreshold: 3,
      });
      const listener = one(resources, TYPE.listener);
      expect(listener.name).to.equal("pay-tls");
      expect(listener.inputs).to.include({ port: 443, protocol: "TCP" });
      expect(listener.inputs.certificateArn).to.equal(undefined);
      const [action] = listener.inputs.defaultActions as { type: string; targetGroupArn: string }[];
      expect(action.type).to.equal("forward");
      expect(action.targetGroupArn).to.match(/:targetgroup\/pay-app-/);
    });

    it("ends TLS at a TLS listener with its certificate and the TLS 1.3 policy, and probes HTTPS health on its own port", async () => {
      const { resources } = await build(
        serviceArgs({
          targetGroups: {
            app: {
              port: 8443,
              protocol: "TLS",
              proxyProtocolV2: true,
              deregistrationDelaySeconds: 30,
              healthCheck: {
                protocol: "HTTPS",
                port: 8080,
                path: "/healthz",
                matcher: "200",
                intervalSeconds: 30,
              },
            },
          },
          listeners: { tls: { port: 443, protocol: "TLS", targetGroup: "app", certificateArn: CERT } },
        }),
      );
      const listener = one(resources, TYPE.listener);
      expect(listener.inputs).to.include({
        protocol: "TLS",
        certificateArn: CERT,
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      });
      const tg = one(resources, TYPE.targetGroup);
      expect(tg.inputs).to.include({ protocol: "TLS", proxyProtocolV2: true, deregistrationDelay: 30 });
      expect(tg.inputs.healthCheck).to.deep.include({
        protocol: "HTTPS",
        port: "8080",
        path: "/healthz",
        matcher: "200",
        interval: 30,
      });
    });

    it("registers targets by key, including addresses outside the VPC", async () => {
      const { resources } = await build(
        serviceArgs({
          targetGroups: {
            app: {
              port: 8443,
              targets: {
                a: { id: "10.0.10.11" },
                onprem: { id: "192.168.40.5", availabilityZone: "all", port: 9443 },
              },
            },
          },
        }),
      );
      const attachments = resources.ofType(TYPE.attachment);
      expect(attachments.map((a) => a.name).sort()).to.deep.equal(["pay-app-a", "pay-app-onprem"]);
      expect(resources.named("pay-app-onprem").inputs).to.include({
        targetId: "192.168.40.5",
        availabilityZone: "all",
        port: 9443,
      });
      expect(String(resources.named("pay-app-a").inputs.targetGroupArn)).to.match(/:targetgroup\/pay-app-/);
      // The per-target port is a port the load balancer must reach too.
      expect(rules(resources).filter((r) => r.startsWith("out"))).to.have.length(2);
    });

    it("names children after the keys, so adding a listener or target group leaves the others in place", async () => {
      const before = await build(serviceArgs());
      const after = await build(
        serviceArgs({
          targetGroups: { app: { port: 8443 }, admin: { port: 9000 } },
          listeners: { tls: { port: 443, targetGroup: "app" }, admin: { port: 8000, targetGroup: "admin" } },
        }),
      );
      const names = (r: ResourceList) => r.all.map((x) => `${x.type} ${x.name}`);
      for (const name of names(before.resources)) expect(names(after.resources)).to.include(name);
    });
  });

  describe("security group", () => {
    it("admits only the consumer networks on the listener ports and sends only to the targets on the traffic port", async () => {
      const { resources, service } = await build(
        serviceArgs({ consumerCidrs: ["10.50.0.0/16", "172.20.0.0/16"] }),
      );
      const sgId = (await resolve(service.securityGroupId)).value;
      expect(rules(resources)).to.deep.equal([
        `in tcp 443-443 10.50.0.0/16 on ${sgId}`,
        `in tcp 443-443 172.20.0.0/16 on ${sgId}`,
        `out tcp 8443-8443 10.0.10.0/24 on ${sgId}`,
      ]);
      expect(resources.ofType(TYPE.ingress).map((r) => r.name)).to.have.members([
        "pay-nlb-in-tcp-443-443-10-50-0-0-16",
        "pay-nlb-in-tcp-443-443-172-20-0-0-16",
      ]);
    });

    it("carries a UDP listener over PrivateLink: udp in from consumers, udp to the targets, TCP health checks out", async () => {
      // AWS Networking & Content Delivery blog, "Accelerate IPv6 application migration with AWS PrivateLink and
      // dual stack Network Load Balancers UDP support": consumers reach UDP endpoint services as TCP ones.
      const { resources, service } = await build(
        serviceArgs({
          targetGroups: { dns: { port: 53, protocol: "UDP", healthCheck: { port: 8080 } } },
          listeners: { dns: { port: 53, protocol: "UDP", targetGroup: "dns" } },
        }),
      );
      const sgId = (await resolve(service.securityGroupId)).value;
      expect(one(resources, TYPE.listener).inputs).to.include({ port: 53, protocol: "UDP" });
      const tg = one(resources, TYPE.targetGroup);
      expect(tg.inputs).to.include({ port: 53, protocol: "UDP" });
      // ELB: a UDP target group is health checked over TCP, HTTP or HTTPS, never UDP.
      expect((tg.inputs.healthCheck as { protocol: string }).protocol).to.equal("TCP");
      expect(rules(resources)).to.deep.equal([
        `in udp 53-53 10.50.0.0/16 on ${sgId}`,
        `out tcp 8080-8080 10.0.10.0/24 on ${sgId}`,
        `out udp 53-53 10.0.10.0/24 on ${sgId}`,
      ]);
      expect(resources.ofType(TYPE.ingress).map((r) => r.name)).to.deep.equal([
        "pay-nlb-in-udp-53-53-10-50-0-0-16",
      ]);
    });

    it("opens both tcp and udp for a TCP_UDP listener, on the consumers' side and the targets' security group", async () => {
      const { resources, service } = await build(
        serviceArgs({
          targetCidrs: undefined,
          targetSecurityGroupId: TARGET_SG,
          targetGroups: { dns: { port: 53, protocol: "TCP_UDP" } },
          listeners: { dns: { port: 53, protocol: "TCP_UDP", targetGroup: "dns" } },
        }),
      );
      const sgId = (await resolve(service.securityGroupId)).value;
      expect(one(resources, TYPE.listener).inputs).to.include({ port: 53, protocol: "TCP_UDP" });
      expect(one(resources, TYPE.targetGroup).inputs).to.include({ port: 53, protocol: "TCP_UDP" });
      expect(rules(resources)).to.deep.equal([
        `in tcp 53-53 10.50.0.0/16 on ${sgId}`,
        `in tcp 53-53 sg:${sgId} on ${TARGET_SG}`,
        `in udp 53-53 10.50.0.0/16 on ${sgId}`,
        `in udp 53-53 sg:${sgId} on ${TARGET_SG}`,
        `out tcp 53-53 sg:${TARGET_SG} on ${sgId}`,
        `out udp 53-53 sg:${TARGET_SG} on ${sgId}`,
      ]);
      expect(resources.all.map((r) => r.name).filter((n) => n.includes("udp"))).to.have.members([
        "pay-nlb-in-udp-53-53-10-50-0-0-16",
        "pay-nlb-out-udp-53-53-targets",
        "pay-targets-in-udp-53-53-nlb",
      ]);
    });

    it("does not open the load balancer to its own subnets or VPC: health checks leave by outbound rules", async () => {
      const { resources } = await build(
        serviceArgs({ targetGroups: { app: { port: 8443, healthCheck: { port: 8080 } } } }),
      );
      const sources = resources.ofType(TYPE.ingress).map((r) => r.inputs.cidrIpv4);
      expect(sources).to.deep.equal(["10.50.0.0/16"]);
      const outbound = resources.ofType(TYPE.egress).map((r) => `${r.inputs.fromPort} ${r.inputs.cidrIpv4}`);
      expect(outbound.sort()).to.deep.equal(["8080 10.0.10.0/24", "8443 10.0.10.0/24"]);
    });

    it("with the targets' security group, sends to it and opens it to the load balancer on the traffic and health check ports", async () => {
      const { resources, service } = await build(
        serviceArgs({
          targetCidrs: undefined,
          targetSecurityGroupId: TARGET_SG,
          targetGroups: { app: { port: 8443, healthCheck: { port: 8080 } } },
        }),
      );
      const sgId = (await resolve(service.securityGroupId)).value;
      expect(rules(resources)).to.deep.equal([
        `in tcp 443-443 10.50.0.0/16 on ${sgId}`,
        `in tcp 8080-8080 sg:${sgId} on ${TARGET_SG}`,
        `in tcp 8443-8443 sg:${sgId} on ${TARGET_SG}`,
        `out tcp 8080-8080 sg:${TARGET_SG} on ${sgId}`,
        `out tcp 8443-8443 sg:${TARGET_SG} on ${sgId}`,
      ]);
    });

    it("leaves inbound rules off PrivateLink traffic when asked, and then needs no consumer networks", async () => {
      const { resources } = await build(
        serviceArgs({ consumerCidrs: undefined, enforceInboundRulesOnPrivateLinkTraffic: false }),
      );
      expect(one(resources, TYPE.lb).inputs.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic).to.equal(
        "off",
      );
      expect(resources.ofType(TYPE.ingress)).to.have.length(0);
    });

    it("outputs the load balancer's subnets as the health checks' source, for firewalls in front of outside targets", async () => {
      const { service } = await build(serviceArgs());
      expect(service.healthCheckSourceCidrs).to.deep.equal(["10.0.1.0/24", "10.0.2.0/24"]);
    });
  });

  describe("endpoint service", () => {
    it("requires acceptance by default and allows the principals named, an account id as its root", async () => {
      const { resources } = await build(
        serviceArgs({
          allowedPrincipals: [
            "222233334444",
            "arn:aws:iam::333344445555:role/platform/consumer",
            "arn:aws-us-gov:iam::444455556666:user/ops",
          ],
        }),
      );
      const service = one(resources, TYPE.service);
      expect(service.inputs.acceptanceRequired).to.equal(true);
      expect(service.inputs.allowedPrincipals).to.deep.equal([
        "arn:aws-us-gov:iam::444455556666:user/ops",
        "arn:aws:iam::222233334444:root",
        "arn:aws:iam::333344445555:role/platform/consumer",
      ]);
      expect(service.inputs.supportedIpAddressTypes).to.deep.equal(["ipv4"]);
      expect(service.inputs.supportedRegions).to.equal(undefined);
      expect(service.inputs.privateDnsName).to.equal(undefined);
    });

    it("allows every principal only when opted in, and then still requires acceptance", async () => {
      const { resources } = await build(serviceArgs({ allowedPrincipals: [], allowAnyPrincipal: true }));
      expect(one(resources, TYPE.service).inputs).to.deep.include({
        allowedPrincipals: ["*"],
        acceptanceRequired: true,
      });
    });

    it("outputs the service name consumers create their endpoints with", async () => {
      const { service } = await build(serviceArgs());
      const name = (await resolve(service.serviceName)).value;
      const id = (await resolve(service.serviceId)).value;
      expect(id).to.match(/^vpce-svc-[0-9a-f]{17}$/);
      expect(name).to.equal(`com.amazonaws.vpce.us-east-1.${id}`);
      expect((await resolve(service.loadBalancerDnsName)).value).to.match(
        /^pay-nlb-.*\.elb\.us-east-1\.amazonaws\.com$/,
      );
      expect(Object.keys((await resolve(service.targetGroupArns)).value)).to.deep.equal(["app"]);
    });

    it("offers the service to other regions with its own region kept among the supported regions", async () => {
      const { resources } = await build(serviceArgs({ consumerRegions: ["eu-west-1", "ap-southeast-2"] }));
      expect(one(resources, TYPE.service).inputs.supportedRegions).to.deep.equal([
        "ap-southeast-2",
        "eu-west-1",
        "us-east-1",
      ]);
    });

    it("takes its own region from the provider it is deployed with", async () => {
      const run = await runProgram(() => {
        const provider = new aws.Provider("eu", { region: "eu-central-1" });
        return new PrivateLinkService(
          "pay",
          serviceArgs({
            subnets: [
              {
                availabilityZone: "eu-central-1a",
                subnetId: "subnet-0aaaaaaaaaaaaaaaa",
                cidr: "10.0.1.0/24",
              },
              {
                availabilityZone: "eu-central-1b",
                subnetId: "subnet-0bbbbbbbbbbbbbbbb",
                cidr: "10.0.2.0/24",
              },
            ],
            consumerRegions: ["us-east-1"],
          }),
          { providers: [provider] },
        );
      });
      if (run.error) expect.fail(run.error.message);
      const service = one(run.resources, TYPE.service);
      expect(service.inputs.supportedRegions).to.deep.equal(["eu-central-1", "us-east-1"]);
      expect(service.provider).to.match(/::eu::/);
      expect((await resolve((run.result as PrivateLinkService).serviceName)).value).to.match(
        /^com\.amazonaws\.vpce\.eu-central-1\.vpce-svc-/,
      );
    });
  });

  describe("private DNS", () => {
    it("sets the private DNS name and outputs the TXT record that proves the domain", async () => {
      const { resources, service } = await build(serviceArgs({ privateDns: { name: "Pay.Example.com" } }));
      expect(one(resources, TYPE.service).inputs.privateDnsName).to.equal("pay.example.com");
      expect(resources.ofType(TYPE.record)).to.have.length(0);
      const verification = (await resolve(service.privateDnsVerification)).value;
      expect(verification?.type).to.equal("TXT");
      expect(verification?.state).to.equal("pendingVerification");
      expect(verification?.name).to.match(/^_[0-9a-f]+\.pay\.example\.com$/);
    });

    it("with the domain's hosted zone, writes the TXT record and starts verification after it", async () => {
      const run = await runProgram(() => {
        const dependencies = recordDependencies();
        return {
          dependencies,
          service: new PrivateLinkService(
            "pay",
            serviceArgs({
              privateDns: {
                name: "pay.example.com",
                hostedZoneId: "Z0123456789ABCDEFGHIJ",
                waitForVerification: true,
              },
            }),
          ),
        };
      });
      if (run.error) expect.fail(run.error.message);
      const { dependencies, service } = run.result as {
        dependencies: Map<string, string[]>;
        service: PrivateLinkService;
      };
      const verification = (await resolve(service.privateDnsVerification)).value;
      const record = one(run.resources, TYPE.record);
      expect(record.inputs).to.deep.include({
        zoneId: "Z0123456789ABCDEFGHIJ",
        type: "TXT",
        name: verification?.name,
        records: [verification?.value],
      });
      const verify = one(run.resources, TYPE.verification);
      expect(verify.inputs.waitForVerification).to.equal(true);
      expect(dependencies.get("pay-dns-verify")).to.include(record.urn);
    });
  });

  describe("bad input", () => {
    it("refuses QUIC and TCP_QUIC listeners, which no AWS text says PrivateLink carries, and an unknown protocol", async () => {
      const error = await refused(
        serviceArgs({
          targetGroups: { app: { port: 8443, protocol: "QUIC" as "TCP" } },
          listeners: {
            b: { port: 444, protocol: "QUIC" as "TCP", targetGroup: "app" },
            c: { port: 445, protocol: "HTTP" as "TCP", targetGroup: "app" },
            d: { port: 446, protocol: "TCP_QUIC" as "TCP", targetGroup: "app" },
          },
        }),
      );
      problemAt(error, "targetGroups.app.protocol", "QUIC", "cannot be carried over PrivateLink");
      problemAt(error, "listeners.b.protocol", "QUIC", "cannot be carried over PrivateLink");
      problemAt(error, "listeners.d.protocol", "TCP_QUIC", "cannot be carried over PrivateLink");
      problemAt(error, "listeners.c.protocol", "HTTP", 'one of "TCP", "TLS", "UDP", "TCP_UDP"');
    });

    it("refuses a UDP health check, a listener whose target group has another transport, and TLS settings on UDP", async () => {
      const error = await refused(
        serviceArgs({
          targetGroups: {
            dns: { port: 53, protocol: "UDP", healthCheck: { protocol: "UDP" as "TCP" } },
            app: { port: 8443 },
            both: { port: 53, protocol: "TCP_UDP" },
          },
          listeners: {
            a: { port: 53, protocol: "UDP", targetGroup: "app" },
            b: { port: 443, protocol: "TCP", targetGroup: "dns" },
            c: { port: 444, protocol: "TLS", targetGroup: "both", certificateArn: CERT },
            d: { port: 54, protocol: "UDP", targetGroup: "both", certificateArn: CERT },
          },
        }),
      );
      // ELB: "The GENEVE, TLS, UDP, and TCP_UDP protocols are not supported for health checks."
      problemAt(error, "targetGroups.dns.healthCheck.protocol", "UDP", "one of TCP, HTTP, HTTPS");
      problemAt(error, "targetGroups.dns.healthCheck.protocol", "UDP", "cannot check health over UDP");
      problemAt(
        error,
        "listeners.a.protocol",
        "UDP",
        'targetGroups.app is "TCP"; a "UDP" listener forwards to a "UDP" target group',
      );
      problemAt(
        error,
        "listeners.b.protocol",
        "TCP",
        'targetGroups.dns is "UDP"; a "TCP" listener forwards to a "TCP" target group',
      );
      problemAt(
        error,
        "listeners.c.protocol",
        "TLS",
        'targetGroups.both is "TCP_UDP"; a "TLS" listener forwards to a "TCP" or "TLS" target group',
      );
      problemAt(
        error,
        "listeners.d.protocol",
        "UDP",
        'targetGroups.both is "TCP_UDP"; a "UDP" listener forwards to a "UDP" target group',
      );
      problemAt(error, "listeners.d.certificateArn", "(given)", 'only for a "TLS" listener');
    });

    it("refuses subnets in one Availability Zone", async () => {
      const error = await refused(
        serviceArgs({
          subnets: [
            { availabilityZone: "us-east-1a", subnetId: "subnet-0aaaaaaaaaaaaaaaa", cidr: "10.0.1.0/24" },
          ],
        }),
      );
      onlyProblem(error, "subnets", ["us-east-1a"], "needs subnets in at least 2 zones");
    });

    it("refuses two subnets in the same zone: a load balancer takes one per zone", async () => {
      const error = await refused(
        serviceArgs({
          subnets: [
            { availabilityZone: "us-east-1a", subnetId: "subnet-0aaaaaaaaaaaaaaaa", cidr: "10.0.1.0/24" },
            { availabilityZone: "us-east-1a", subnetId: "subnet-0bbbbbbbbbbbbbbbb", cidr: "10.0.2.0/24" },
          ],
        }),
      );
      problemAt(error, "subnets[1].availabilityZone", "us-east-1a", "one subnet per Availability Zone");
      problemAt(error, "subnets", ["us-east-1a"], "at least 2 zones");
    });

    it("refuses subnets without a CIDR, overlapping, in two regions, or with a bad zone or id", async () => {
      const error = await refused(
        serviceArgs({
          subnets: [
            { availabilityZone: "us-east-1a", subnetId: "subnet-0aaaaaaaaaaaaaaaa" } as never,
            { availabilityZone: "us-west-2b", subnetId: "subnet-0bbbbbbbbbbbbbbbb", cidr: "10.0.2.0/24" },
            { availabilityZone: "us-east-1c", subnetId: "subnet-0cccccccccccccccc", cidr: "10.0.2.128/25" },
            { availabilityZone: "east", subnetId: "sub-1", cidr: "10.0.3.0/24" },
          ],
        }),
      );
      problemAt(error, "subnets[0].cidr", undefined, "health checks reach the targets");
      problemAt(error, "subnets[2].cidr", "10.0.2.128/25", "overlaps subnets[1].cidr");
      problemAt(error, "subnets", ["us-east-1a", "us-west-2b", "us-east-1c"], "more than one region");
      problemAt(error, "subnets[3].availabilityZone", "east", "an Availability Zone name");
      problemAt(error, "subnets[3].subnetId", "sub-1", "a subnet id");
    });

    it("refuses the wildcard principal unless the caller opts in by name", async () => {
      const error = await refused(serviceArgs({ allowedPrincipals: ["*"] }));
      onlyProblem(error, "allowedPrincipals[0]", "*", "allowAnyPrincipal: true");
    });

    it("refuses every principal with acceptance off: any AWS account could connect unreviewed", async () => {
      const error = await refused(serviceArgs({ allowAnyPrincipal: true, acceptanceRequired: false }));
      onlyProblem(error, "acceptanceRequired", false, "any AWS account could connect unreviewed");
    });

    it("refuses principals that are not an account id or an IAM root, role or user ARN, and duplicates", async () => {
      const error = await refused(
        serviceArgs({
          allowedPrincipals: [
            "22223333444",
            "arn:aws:iam::222233334444:group/devs",
            "arn:aws:s3:::bucket",
            "222233334444",
            "arn:aws:iam::222233334444:root",
          ],
        }),
      );
      problemAt(error, "allowedPrincipals[0]", "22223333444", "a 12-digit account id");
      problemAt(error, "allowedPrincipals[1]", "arn:aws:iam::222233334444:group/devs", "role/<name>");
      problemAt(error, "allowedPrincipals[2]", "arn:aws:s3:::bucket", "an IAM ARN");
      problemAt(error, "allowedPrincipals[4]", "arn:aws:iam::222233334444:root", "listed twice");
      expect(error.problems).to.have.length(4);
    });

    it("refuses more than 50 listeners, two listeners on one port, and a listener to an unknown target group", async () => {
      const many = Object.fromEntries(
        Array.from({ length: 51 }, (_, i) => [`l${i}`, { port: 1000 + i, targetGroup: "app" }]),
      );
      const tooMany = await refused(serviceArgs({ listeners: many }));
      onlyProblem(tooMany, "listeners", "51 listeners", "at most 50");
      const error = await refused(
        serviceArgs({
          listeners: { a: { port: 443, targetGroup: "app" }, b: { port: 443, targetGroup: "api" } },
        }),
      );
      problemAt(error, "listeners.b.port", 443, "one listener per port");
      problemAt(error, "listeners.b.targetGroup", "api", "the key of a target group in targetGroups (app)");
    });

    it("refuses a TLS listener without a certificate, and a certificate or policy on a TCP listener", async () => {
      const error = await refused(
        serviceArgs({
          listeners: {
            a: { port: 443, protocol: "TLS", targetGroup: "app" },
            b: {
              port: 444,
              targetGroup: "app",
              certificateArn: CERT,
              sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            },
            c: {
              port: 445,
              protocol: "TLS",
              targetGroup: "app",
              certificateArn: "arn:aws:iam::1:cert",
              sslPolicy: "TLS1.0",
            },
          },
        }),
      );
      problemAt(error, "listeners.a.certificateArn", undefined, "an ACM certificate ARN");
      problemAt(error, "listeners.b.certificateArn", "(given)", 'only for a "TLS" listener');
      problemAt(
        error,
        "listeners.b.sslPolicy",
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        'only for a "TLS" listener',
      );
      problemAt(error, "listeners.c.certificateArn", "arn:aws:iam::1:cert", "arn:aws:acm:");
      problemAt(error, "listeners.c.sslPolicy", "TLS1.0", "an ELB security policy name");
    });

    it("refuses a TCP listener in front of a TLS target group, and TLS or TCP health checks on an alb target group", async () => {
      const error = await refused(
        serviceArgs({
          targetGroups: {
            app: { port: 8443, protocol: "TLS" },
            alb: { port: 443, targetType: "alb", protocol: "TLS", healthCheck: { protocol: "TCP" } },
          },
          listeners: {
            tls: { port: 443, targetGroup: "app" },
            web: { port: 444, protocol: "TLS", targetGroup: "alb", certificateArn: CERT },
          },
        }),
      );
      problemAt(error, "listeners.tls.protocol", "TCP", 'targetGroups.app is "TLS"');
      problemAt(error, "targetGroups.alb.protocol", "TLS", 'takes "TCP" only');
      problemAt(error, "targetGroups.alb.healthCheck.protocol", "TCP", '"HTTP" or "HTTPS"');
    });

    it("refuses health check settings AWS does not take", async () => {
      const error = await refused(
        serviceArgs({
          targetGroups: {
            app: {
              port: 8443,
              deregistrationDelaySeconds: 4000,
              healthCheck: {
                protocol: "TCP",
                path: "/health",
                port: 70000,
                intervalSeconds: 4,
                timeoutSeconds: 121,
                healthyThreshold: 1,
                unhealthyThreshold: 11,
              },
            },
            web: {
              port: 80,
              healthCheck: {
                protocol: "HTTP",
                path: "health",
                matcher: "100",
                intervalSeconds: 10,
                timeoutSeconds: 10,
              },
            },
          },
        }),
      );
      problemAt(error, "targetGroups.app.healthCheck.path", "/health", 'only for "HTTP" and "HTTPS"');
      problemAt(error, "targetGroups.app.healthCheck.port", 70000, "1–65535");
      problemAt(error, "targetGroups.app.healthCheck.intervalSeconds", 4, "5–300");
      problemAt(error, "targetGroups.app.healthCheck.timeoutSeconds", 121, "2–120");
      problemAt(error, "targetGroups.app.healthCheck.healthyThreshold", 1, "2–10");
      problemAt(error, "targetGroups.app.healthCheck.unhealthyThreshold", 11, "2–10");
      problemAt(error, "targetGroups.app.deregistrationDelaySeconds", 4000, "0–3600");
      problemAt(error, "targetGroups.web.healthCheck.path", "health", 'starting with "/"');
      problemAt(error, "targetGroups.web.healthCheck.matcher", "100", "200–599");
      problemAt(error, "targetGroups.web.healthCheck.timeoutSeconds", 10, "less than the interval (10 s)");
    });

    it("refuses targets that do not match their group's target type", async () => {
      const error = await refused(
        serviceArgs({
          targetGroups: {
            app: {
              port: 8443,
              targets: { a: { id: "10.0.10.300" }, b: { id: "10.0.10.5", availabilityZone: "everywhere" } },
            },
            vms: {
              port: 8443,
              targetType: "instance",
              targets: { a: { id: "10.0.10.5", availabilityZone: "all" } },
            },
            web: {
              port: 443,
              targetType: "alb",
              targets: {
                a: { id: "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/x/1" },
              },
            },
          },
        }),
      );
      problemAt(error, "targetGroups.app.targets.a.id", "10.0.10.300", "an IPv4 address");
      problemAt(
        error,
        "targetGroups.app.targets.b.availabilityZone",
        "everywhere",
        '"all" for an address outside the VPC',
      );
      problemAt(error, "targetGroups.vms.targets.a.id", "10.0.10.5", "an instance id");
      problemAt(error, "targetGroups.vms.targets.a.availabilityZone", "all", 'only for "ip" targets');
      problemAt(
        error,
        "targetGroups.web.targets.a.id",
        "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/x/1",
        "Application Load Balancer ARN",
      );
    });

    it("refuses no consumer networks while inbound rules apply to PrivateLink traffic, and the whole internet", async () => {
      const missing = await refused(serviceArgs({ consumerCidrs: [] }));
      onlyProblem(missing, "consumerCidrs", [], "nothing else reaches the listeners");
      const everyone = await refused(serviceArgs({ consumerCidrs: ["0.0.0.0/0"] }));
      onlyProblem(everyone, "consumerCidrs[0]", "0.0.0.0/0", "admits every address");
      const bad = await refused(
        serviceArgs({ consumerCidrs: ["10.50.0.1/16", "10.50.0.0/16", "10.50.0.0/16"] }),
      );
      problemAt(bad, "consumerCidrs[0]", "10.50.0.1/16", "host bits are set");
      problemAt(bad, "consumerCidrs[2]", "10.50.0.0/16", "listed twice");
    });

    it("refuses a service that does not say where its targets are", async () => {
      const error = await refused(serviceArgs({ targetCidrs: undefined }));
      onlyProblem(error, "targetCidrs", undefined, "targetCidrs or targetSecurityGroupId");
      const badSg = await refused(serviceArgs({ targetSecurityGroupId: "default" }));
      onlyProblem(badSg, "targetSecurityGroupId", "default", "a sg id");
    });

    it("refuses endpoints to accept that are not endpoint ids, twice the same, or with acceptance off", async () => {
      const error = await refused(
        serviceArgs({
          acceptEndpoints: {
            a: "vpce-svc-0123456789abcdef0",
            b: "vpce-0123456789abcdef0",
            c: "vpce-0123456789abcdef0",
            "d e": "vpce-11111111",
          },
        }),
      );
      problemAt(error, "acceptEndpoints.a", "vpce-svc-0123456789abcdef0", "a vpce id");
      problemAt(error, "acceptEndpoints.c", "vpce-0123456789abcdef0", "accept each endpoint once");
      problemAt(error, "acceptEndpoints.d e", "d e", "a key of 1–32 letters");
      const off = await refused(
        serviceArgs({ acceptanceRequired: false, acceptEndpoints: { a: "vpce-0123456789abcdef0" } }),
      );
      onlyProblem(off, "acceptEndpoints", ["a"], "AWS accepts every connection itself");
    });

    it("refuses a bad private DNS name or hosted zone, and waiting for verification it does not start", async () => {
      const error = await refused(
        serviceArgs({ privateDns: { name: "-pay.example.com", hostedZoneId: "zone-1" } }),
      );
      problemAt(error, "privateDns.name", "-pay.example.com", "a domain name");
      problemAt(error, "privateDns.hostedZoneId", "zone-1", "hosted zone id");
      const wait = await refused(
        serviceArgs({ privateDns: { name: "pay.example.com", waitForVerification: true } }),
      );
      onlyProblem(wait, "privateDns.waitForVerification", true, "only with hostedZoneId");
    });

    it("refuses consumer regions that are not region codes, repeat, or are the service's own", async () => {
      const error = await refused(
        serviceArgs({ consumerRegions: ["Europe", "eu-west-1", "eu-west-1", "us-east-1"] }),
      );
      problemAt(error, "consumerRegions[0]", "Europe", "a region code");
      problemAt(error, "consumerRegions[2]", "eu-west-1", "listed twice");
      problemAt(error, "consumerRegions[1]", "us-east-1", "the service's own region");
      expect(error.problems).to.have.length(3);
    });

    it("refuses a name too long for AWS's 32-character load balancer and target group names", async () => {
      const error = await refusedBy(
        () =>
          new PrivateLinkService(
            "payments-gateway-prod",
            serviceArgs({ targetGroups: { app: { port: 8443 } } }),
          ),
        'hybridnet:index:PrivateLinkService "payments-gateway-prod"',
      );
      problemAt(error, "name", "payments-gateway-prod", "caps at 32 characters");
      problemAt(error, "targetGroups.app", "app", "caps at 32 characters");
    });

    it("refuses a missing VPC, target groups and listeners, and bad keys, reporting every problem at once", async () => {
      const error = await refused({
        ...serviceArgs(),
        vpcId: "vpc-1",
        targetGroups: { "app/1": { port: 0 } },
        listeners: {},
      });
      problemAt(error, "vpcId", "vpc-1", "a vpc id");
      problemAt(error, "targetGroups.app/1", "app/1", "a key of 1–32 letters");
      problemAt(error, "targetGroups.app/1.port", 0, "1–65535");
      problemAt(error, "listeners", {}, "at least one listener");
      expect(error.message).to.match(/^hybridnet:index:PrivateLinkService "pay": \d+ invalid arguments\n/);
    });
  });
});
