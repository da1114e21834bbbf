/**
 * The third reference environment, `staging`, planned as a user plans it (`hybridnet plan --env staging`): two
 * Regions with peered transit gateways, Direct Connect on a virtual private gateway with a private and a public
 * VIF, explicit tunnel options, a SAML Client VPN with rules by group, and a workload in eu-central-1 reached by
 * cross-Region PrivateLink. Asserts on what the stacks registered; expected values come from AWS's docs and the
 * stack files, written out here.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import type { PlanResult } from "../cli/plan";
import { hybridnet } from "./cli";
import { STACKS_DIR } from "./environment";

type Resource = PlanResult["stacks"][number]["resources"][number];

describe("the staging environment (hybridnet plan --env staging)", function () {
  this.timeout(240_000);
  let plan: PlanResult;
  const resources = (stack: string, type: string): Resource[] => {
    const found = plan.stacks.find((s) => s.name === stack)?.resources.filter((r) => r.type === type) ?? [];
    expect(found.length, `${stack}: ${type}`).to.be.greaterThan(0);
    return found;
  };
  const byName = (stack: string, type: string, name: string): Resource => {
    const found = resources(stack, type).find((r) => r.name === name);
    return found ?? expect.fail(`${stack} has no ${type} ${name}`);
  };
  const C = "connectivity-staging";
  const ROUTE = "aws:ec2transitgateway/route:Route";

  before(() => {
    const run = hybridnet("plan", "--env", "staging", "--json");
    expect(run.code, run.stderr + run.stdout.slice(0, 2000)).to.equal(0);
    plan = JSON.parse(run.stdout) as PlanResult;
  });

  it("plans clean: no mandatory violation, every declared and implied flow as intended", () => {
    expect(plan.stacks.map((s) => s.name).sort()).to.deep.equal([
      "connectivity-staging",
      "workload-analytics-staging",
      "workload-web-staging",
    ]);
    expect(plan.summary.mandatory).to.equal(0);
    expect(plan.flows.length).to.be.greaterThan(20);
    expect(plan.flows.filter((f) => f.verdict === "fail").map((f) => f.name)).to.deep.equal([]);
    const types = new Set(plan.stacks.flatMap((s) => s.resources.map((r) => r.type)));
    for (const component of [
      "ClientVpn",
      "DirectConnectGateway",
      "TransitGatewayPeering",
      "VirtualInterfaces",
      "TransitGatewayHub",
    ])
      expect([...types]).to.include(`hybridnet:index:${component}`);
  });

  it("peers the hub with a transit gateway in eu-central-1: static routes per segment, shared association", () => {
    const hubs = resources(C, "aws:ec2transitgateway/transitGateway:TransitGateway");
    expect(hubs.map((h) => h.inputs.amazonSideAsn).sort()).to.deep.equal([64520, 64521]);
    const [attachment] = resources(C, "aws:ec2transitgateway/peeringAttachment:PeeringAttachment");
    const regional = hubs.find((h) => h.inputs.amazonSideAsn === 64521)!;
    expect(attachment.inputs).to.include({ peerRegion: "eu-central-1", peerTransitGatewayId: regional.id });
    const tables = Object.fromEntries(
      resources(C, "aws:ec2transitgateway/routeTable:RouteTable").map((t) => [t.name, t.id]),
    );
    // Traffic arriving over the peering is looked up in the shared segment's table on each side.
    const associations = resources(C, "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation")
      .filter((a) => a.name.startsWith("hub-eu-central-1-"))
      .map((a) => a.inputs.transitGatewayRouteTableId)
      .sort();
    expect(associations).to.deep.equal([tables["hub-eu-central-1-shared"], tables["hub-shared"]].sort());
    // No propagation over a peering: one static route per segment table and network the policy allows.
    const routes = resources(C, ROUTE)
      .filter((r) => r.name.startsWith("hub-eu-central-1-"))
      .map((r) => {
        const table = Object.entries(tables).find(
          ([, id]) => id === r.inputs.transitGatewayRouteTableId,
        )?.[0];
        return `${table} ${r.inputs.destinationCidrBlock}`;
      })
      .sort();
    expect(routes).to.deep.equal([
      "hub-eu-central-1-onprem 10.40.0.0/20",
      "hub-eu-central-1-shared 10.40.0.0/20",
      "hub-eu-central-1-shared 10.50.0.0/16",
      "hub-eu-central-1-shared 172.24.0.0/16",
      "hub-eu-central-1-workloads 10.40.0.0/20",
      "hub-shared 10.60.0.0/16",
    ]);
  });

  it("attaches analytics to the transit gateway of its own Region, accepted there by the network account", () => {
    const regional = resources(C, "aws:ec2transitgateway/transitGateway:TransitGateway").find(
      (h) => h.inputs.amazonSideAsn === 64521,
    )!;
    const [attachment] = resources(
      "workload-analytics-staging",
      "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
    );
    expect(attachment.inputs.transitGatewayId).to.equal(regional.id);
    const [web] = resources("workload-web-staging", "aws:ec2transitgateway/vpcAttachment:VpcAttachment");
    expect(web.inputs.transitGatewayId).to.not.equal(regional.id);
    // The regional hub is shared with analytics' account only; the hub with web's.
    const principals = resources(C, "aws:ram/principalAssociation:PrincipalAssociation")
      .map((p) => `${p.name.split("-share-")[0]} ${p.inputs.principal}`)
      .sort();
    expect(principals).to.deep.equal(["hub 555566667777", "hub-eu-central-1 666677778888"]);
  });

  it("reaches analytics' service and the data center service across Regions with serviceRegion endpoints", () => {
    const toAnalytics = byName(C, "aws:ec2/vpcEndpoint:VpcEndpoint", "to-analytics-endpoint");
    expect(toAnalytics.inputs.serviceRegion).to.equal("eu-central-1");
    expect(String(toAnalytics.inputs.serviceName)).to.match(/^com\.amazonaws\.vpce\.eu-central-1\.vpce-svc-/);
    const toWeb = byName(C, "aws:ec2/vpcEndpoint:VpcEndpoint", "to-web-endpoint");
    expect(toWeb.inputs.serviceRegion).to.equal(undefined);
    const [reverse] = resources("workload-analytics-staging", "aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(reverse.inputs.serviceRegion).to.equal("eu-west-1");
    // Each service lists the other Region among its supported Regions (AWS refuses the endpoint otherwise).
    const [analyticsService] = resources(
      "workload-analytics-staging",
      "aws:ec2/vpcEndpointService:VpcEndpointService",
    );
    expect(analyticsService.inputs.supportedRegions).to.deep.equal(["eu-central-1", "eu-west-1"]);
    const [onPrem] = resources(C, "aws:ec2/vpcEndpointService:VpcEndpointService");
    expect(onPrem.inputs.supportedRegions).to.deep.equal(["eu-central-1", "eu-west-1"]);
    const [webService] = resources("workload-web-staging", "aws:ec2/vpcEndpointService:VpcEndpointService");
    expect(webService.inputs.supportedRegions).to.equal(undefined);
  });

  it("runs Direct Connect on the VPC's virtual private gateway: a private VIF to colo1, a public VIF beside it", () => {
    const [vgw] = resources(C, "aws:ec2/vpnGateway:VpnGateway");
    expect(vgw.inputs).to.include({ amazonSideAsn: "64522" });
    expect(resources(C, "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation")).to.have.length(2);
    const [gateway] = resources(C, "aws:directconnect/gateway:Gateway");
    expect(gateway.inputs.amazonSideAsn).to.equal("64530");
    const [association] = resources(C, "aws:directconnect/gatewayAssociation:GatewayAssociation");
    expect(association.inputs).to.include({ associatedGatewayId: vgw.id, dxGatewayId: gateway.id });
    expect(association.inputs.allowedPrefixes).to.deep.equal(["10.40.0.0/20"]);
    const [vif] = resources(C, "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface");
    expect(vif.inputs).to.include({ dxGatewayId: gateway.id, vlan: 201, bgpAsn: 65011 });
    const [publicVif] = resources(C, "aws:directconnect/publicVirtualInterface:PublicVirtualInterface");
    expect(publicVif.inputs).to.include({
      vlan: 202,
      amazonAddress: "192.0.1.1/30",
      customerAddress: "192.0.1.2/30",
    });
    expect(publicVif.inputs.routeFilterPrefixes).to.deep.equal(["192.0.1.0/28"]);
  });

  it("registers lon1's tunnel options and pinned inside CIDRs on its VPN connection", () => {
    const [vpn] = resources(C, "aws:ec2/vpnConnection:VpnConnection");
    for (const t of ["tunnel1", "tunnel2"])
      expect(vpn.inputs, t).to.deep.include({
        [`${t}IkeVersions`]: ["ikev2"],
        [`${t}StartupAction`]: "start",
        [`${t}Phase1EncryptionAlgorithms`]: ["AES256-GCM-16"],
        [`${t}Phase1DhGroupNumbers`]: [20, 21],
        [`${t}DpdTimeoutSeconds`]: 40,
      });
    expect(vpn.inputs).to.include({
      tunnel1InsideCidr: "169.254.40.0/30",
      tunnel2InsideCidr: "169.254.40.4/30",
    });
  });

  it("registers the Client VPN's SAML authentication, settings and rules by group", () => {
    const [endpoint] = resources(C, "aws:ec2clientvpn/endpoint:Endpoint");
    expect(endpoint.inputs).to.deep.include({
      splitTunnel: true,
      sessionTimeoutHours: 12,
      dnsServers: ["10.40.0.2"],
      selfServicePortal: "enabled",
      description: "staging remote access",
    });
    expect(JSON.stringify(endpoint.inputs.authenticationOptions)).to.include("saml-provider/corp-idp");
    const rules = resources(C, "aws:ec2clientvpn/authorizationRule:AuthorizationRule")
      .map((r) => `${r.inputs.accessGroupId} ${r.inputs.targetNetworkCidr}`)
      .sort();
    expect(rules).to.deep.equal(["network-engineers 172.25.0.0/16", "staff 10.40.0.0/20"]);
    const routes = resources(C, "aws:ec2clientvpn/route:Route").map((r) => r.inputs.destinationCidrBlock);
    expect(routes).to.deep.equal(["172.25.0.0/16", "172.25.0.0/16"]);
    const [logs] = resources(C, "aws:cloudwatch/logGroup:LogGroup").filter((l) =>
      String(l.inputs.namePrefix).includes("client-vpn"),
    );
    expect(logs.inputs.retentionInDays).to.equal(400);
  });

  it("builds web's software VPN to the partner from hybridnet:softwareVpn: an appliance pair in public subnets", () => {
    const W = "workload-web-staging";
    const web = plan.stacks.find((s) => s.name === W)!;
    // What hybridnet:softwareVpn adds to the stack, 27 resources (52 before → 79): the SoftwareVpnAppliance
    // "web-swvpn" (1) and its 24 children — 2 instances, 2 Elastic IPs, 2 associations, 2 routes (172.27.0.0/16
    // in each private route table), 1 security group with 5 ingress rules (IKE, NAT-T, ESP from the partner;
    // forwarded traffic from the VPC; health checks within the pair) and 7 egress rules, 1 role, its route policy
    // and 1 instance profile — and 2 generated pre-shared keys (one per tunnel: partner to primary, to standby).
    // hybridnet:remoteAccessVpn adds 16 more (79 → 95): see the next test.
    expect(web.resources).to.have.length(79 + 16);
    const component = byName(W, "hybridnet:index:SoftwareVpnAppliance", "web-swvpn");
    expect(web.resources.filter((r) => r.parent === component.urn)).to.have.length(24);
    expect(resources(W, "random:index/randomPassword:RandomPassword").map((r) => r.name)).to.include.members([
      "web-swvpn-partner-primary-psk",
      "web-swvpn-partner-standby-psk",
    ]);
    // The layout gains a public /28 per zone, at the end of the VPC's fourth quarter (10.50.192.0/18).
    const vpc = resources(W, "awsx:ec2:Vpc")[0];
    expect(vpc.inputs.subnetSpecs).to.deep.include({
      type: "Public",
      name: "public",
      cidrBlocks: ["10.50.255.240/28", "10.50.255.224/28"],
    });
    const subnets = web.outputs.subnets as Record<string, Record<string, { id: string }>>;
    // The primary in euw1-az1, the standby in euw1-az2, each at its subnet's last usable address, t3.small.
    for (const [role, zone, ip] of [
      ["primary", "euw1-az1", "10.50.255.254"],
      ["standby", "euw1-az2", "10.50.255.238"],
    ]) {
      const instance = byName(W, "aws:ec2/instance:Instance", `web-swvpn-${role}`);
      expect(instance.inputs).to.include({
        subnetId: subnets.public[zone].id,
        privateIp: ip,
        instanceType: "t3.small",
        userDataBase64: "[secret]",
      });
    }
    const tables = web.outputs.privateRouteTableIds as Record<string, string>;
    expect(
      resources(W, "aws:ec2/route:Route")
        .filter((r) => r.parent === component.urn)
        .map((r) => [r.inputs.routeTableId, r.inputs.destinationCidrBlock]),
    ).to.have.deep.members([
      [tables["private-euw1-az1"], "172.27.0.0/16"],
      [tables["private-euw1-az2"], "172.27.0.0/16"],
    ]);
    const ingress = resources(W, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
      (r) => r.parent === component.urn && r.inputs.cidrIpv4 === "198.51.100.60/32",
    );
    expect(ingress.map((r) => [r.inputs.ipProtocol, r.inputs.fromPort ?? null])).to.have.deep.members([
      ["udp", 500],
      ["udp", 4500],
      ["50", null],
    ]);
    // The keys leave the stack only as a secret output; the remote side reads the addresses.
    expect(web.outputs.softwareVpnPresharedKeys).to.equal("[secret]");
    expect(web.outputs.softwareVpnPrivateIps).to.deep.equal({
      primary: "10.50.255.254",
      standby: "10.50.255.238",
    });
    expect(Object.keys(web.outputs.softwareVpnPublicIps as object)).to.deep.equal(["primary", "standby"]);
    expect(web.diagnostics.filter((d) => d.level === "mandatory")).to.deep.equal([]);
  });

  it("builds web's WireGuard server from hybridnet:remoteAccessVpn, beside the appliance pair, configs as an output", () => {
    const W = "workload-web-staging";
    const web = plan.stacks.find((s) => s.name === W)!;
    // The SoftwareRemoteAccessVpn "web-remote-access" (1) and its 15 children: the server's key (RandomBytes), its
    // Elastic IP and association, 1 role and 1 instance profile, 1 security group with 1 ingress rule (UDP 51820
    // from the office) and 4 egress rules (client traffic to the VPC, handshakes to the office, HTTP and HTTPS to
    // the Debian mirrors), 1 instance, 2 routes (the pool in each private route table), 1 recovery alarm.
    const server = byName(W, "hybridnet:index:SoftwareRemoteAccessVpn", "web-remote-access");
    const children = web.resources.filter((r) => r.parent === server.urn);
    expect(children).to.have.length(15);
    // In euw1-az1's public /28 (10.50.255.240/28) at its second-to-last usable address: the appliance has .254.
    const instance = byName(W, "aws:ec2/instance:Instance", "web-remote-access-server");
    expect(instance.inputs).to.include({
      privateIp: "10.50.255.253",
      instanceType: "t3.small",
      userDataBase64: "[secret]",
    });
    const tables = web.outputs.privateRouteTableIds as Record<string, string>;
    expect(
      children
        .filter((r) => r.type === "aws:ec2/route:Route")
        .map((r) => [r.inputs.routeTableId, r.inputs.destinationCidrBlock]),
    ).to.have.deep.members([
      [tables["private-euw1-az1"], "100.64.40.0/24"],
      [tables["private-euw1-az2"], "100.64.40.0/24"],
    ]);
    const output = web.outputs.remoteAccessVpn as { endpoint: string; clientConfigs: Record<string, string> };
    expect(Object.keys(output.clientConfigs)).to.deep.equal(["oncall-1"]);
    // The first client takes the pool's second address; DNS is the VPC's resolver (10.50.0.0/16 base + 2).
    expect(output.clientConfigs["oncall-1"]).to.include("Address = 100.64.40.2/32\nDNS = 10.50.0.2\n");
    expect(output.clientConfigs["oncall-1"]).to.include(`Endpoint = ${output.endpoint}\n`);
    expect(output.endpoint.endsWith(":51820")).to.equal(true);
  });

  it("refuses, before any stack runs, a workload whose stack is in another Region than the connectivity stack says", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hybridnet-staging-"));
    for (const f of fs.readdirSync(STACKS_DIR).filter((n) => n.endsWith("-staging.yaml")))
      fs.copyFileSync(path.join(STACKS_DIR, f), path.join(dir, f));
    const file = path.join(dir, "Pulumi.connectivity-staging.yaml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("      region: eu-central-1\n", ""));
    const run = hybridnet("plan", "--env", "staging", "--stacks", dir);
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr).to.include(
      'workload-analytics-staging: hybridnet:aws.region = "eu-central-1": eu-west-1, the Region connectivity-staging has it in',
    );
    expect(run.stderr).not.to.include("(pass 1)");
  });
});
