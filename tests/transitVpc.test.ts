/**
 * TransitVpc: the appliance pair in a hub VPC and spoke VPCs whose virtual private gateways connect to both
 * instances. What it registers (counts written out), the two customer gateways every spoke shares (AWS returns
 * one gateway for one address, ASN and type in an account and Region), the keys secret, the rendered files with
 * every spoke, the refusals before anything registers, and a first preview.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as aws from "../components/aws";
import { TransitVpc, type TransitVpcArgs } from "../components/TransitVpc";
import { type ResourceList, resolve, runProgram } from "./harness";
import { problemAt, refusedBy } from "./refusals";
import { instanceUserData } from "./userData";

const TYPE = {
  component: "hybridnet:index:TransitVpc",
  appliance: "hybridnet:index:SoftwareVpnAppliance",
  eip: "aws:ec2/eip:Eip",
  cgw: "aws:ec2/customerGateway:CustomerGateway",
  vpn: "aws:ec2/vpnConnection:VpnConnection",
  vgw: "aws:ec2/vpnGateway:VpnGateway",
  propagation: "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
  instance: "aws:ec2/instance:Instance",
  route: "aws:ec2/route:Route",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
} as const;

const WHERE = 'hybridnet:index:TransitVpc "transit"';

function transitArgs(overrides: Partial<TransitVpcArgs> = {}): TransitVpcArgs {
  return {
    vpcId: "vpc-0a0a0a0a0a0a0a0a0",
    vpcCidrs: ["10.0.0.0/16"],
    primary: {
      availabilityZoneId: "use1-az1",
      subnetId: "subnet-0a0a0a0a0a0a0a0a1",
      subnetCidr: "10.0.0.0/24",
    },
    standby: {
      availabilityZoneId: "use1-az2",
      subnetId: "subnet-0a0a0a0a0a0a0a0a2",
      subnetCidr: "10.0.1.0/24",
    },
    routeTableIds: { private: "rtb-0a0a0a0a0a0a0a0a0" },
    spokes: {
      app: {
        vpcCidrs: ["10.1.0.0/16"],
        vpcId: "vpc-0b0b0b0b0b0b0b0b0",
        routeTableIds: { private: "rtb-0b0b" },
      },
      data: { vpcCidrs: ["10.2.0.0/16"], vpnGatewayId: "vgw-0c0c0c0c0c0c0c0c0" },
    },
    ...overrides,
  };
}

async function build(args: TransitVpcArgs, options: { preview?: boolean } = {}) {
  const run = await runProgram(() => new TransitVpc("transit", args), options);
  if (run.error) return expect.fail(`TransitVpc refused valid arguments: ${run.error.stack}`);
  return { resources: run.resources, component: run.result as TransitVpc };
}

const refused = (args: TransitVpcArgs) => refusedBy(() => new TransitVpc("transit", args), WHERE);

const names = (resources: ResourceList, type: string) => resources.ofType(type).map((r) => r.name);

/** The files the instance's user data writes, joined: enough to find a line. */
function userData(resources: ResourceList, name: string): string {
  return instanceUserData(resources.named(name).inputs);
}

describe("TransitVpc", () => {
  it("registers two shared customer gateways, 4 VPN connections and one new VGW for 2 spokes, and the appliance pair", async () => {
    const { resources } = await build(transitArgs());
    const component = resources.ofType(TYPE.component)[0];
    expect(names(resources, TYPE.eip)).to.deep.equal(["transit-primary", "transit-standby"]);
    // Two customer gateways in all (one per instance's Elastic IP), not two per spoke.
    const cgws = resources.ofType(TYPE.cgw);
    expect(cgws.map((c) => c.name)).to.deep.equal(["transit-primary-cgw", "transit-standby-cgw"]);
    for (const c of cgws) {
      expect(c.parent).to.equal(component.urn);
      expect(c.inputs).to.deep.include({ type: "ipsec.1", bgpAsn: "65000" });
    }
    const [primaryEip, standbyEip] = resources.ofType(TYPE.eip).map((e) => e.outputs?.publicIp);
    expect(cgws.map((c) => c.inputs.ipAddress)).to.deep.equal([primaryEip, standbyEip]);
    // 2 spokes × 2 instances = 4 connections, each on its instance's shared gateway.
    const vpns = resources.ofType(TYPE.vpn);
    expect(vpns.map((v) => v.name).sort()).to.deep.equal([
      "transit-app-primary-vpn",
      "transit-app-standby-vpn",
      "transit-data-primary-vpn",
      "transit-data-standby-vpn",
    ]);
    const [primaryCgw, standbyCgw] = cgws.map((c) => c.outputs?.id ?? c.id);
    for (const v of vpns)
      expect(v.inputs.customerGatewayId).to.equal(v.name.includes("primary") ? primaryCgw : standbyCgw);
    // Spoke app: a VGW created on its VPC with propagation; spoke data: its existing VGW, nothing created.
    const vgws = resources.ofType(TYPE.vgw);
    expect(vgws.map((v) => v.name)).to.deep.equal(["transit-app-vgw"]);
    expect(vgws[0].inputs).to.deep.include({ vpcId: "vpc-0b0b0b0b0b0b0b0b0", amazonSideAsn: "64512" });
    expect(resources.ofType(TYPE.propagation).map((p) => p.inputs.routeTableId)).to.deep.equal(["rtb-0b0b"]);
    for (const v of vpns.filter((x) => x.name.includes("-data-")))
      expect(v.inputs.vpnGatewayId).to.equal("vgw-0c0c0c0c0c0c0c0c0");
    // Inside /30s unique across all 8 tunnels (every one ends on the same two instances).
    const insides = vpns.flatMap((v) => [v.inputs.tunnel1InsideCidr, v.inputs.tunnel2InsideCidr]);
    expect(new Set(insides).size).to.equal(8);
    // The appliance pair, one log group, and the hub route table's routes to both spokes.
    expect(names(resources, TYPE.appliance)).to.deep.equal(["transit-appliance"]);
    expect(resources.ofType(TYPE.instance)).to.have.length(2);
    expect(resources.ofType(TYPE.logGroup)).to.have.length(1);
    expect(
      resources
        .ofType(TYPE.route)
        .map((r) => r.inputs.destinationCidrBlock)
        .sort(),
    ).to.deep.equal(["10.1.0.0/16", "10.2.0.0/16"]);
  });

  it("would fail with a customer gateway per spoke: AWS returns one gateway for one address, ASN and type", async () => {
    // The mock model answers CreateCustomerGateway as AWS does; a design registering one per spoke and instance
    // gets the first spoke's gateway back for the second and is refused, naming both resources.
    const run = await runProgram(() => {
      const gateway = { type: "ipsec.1", ipAddress: "198.51.100.7", bgpAsn: "65000" };
      new aws.ec2.CustomerGateway("transit-app-primary-cgw", gateway);
      new aws.ec2.CustomerGateway("transit-data-primary-cgw", gateway);
    });
    expect(run.error?.message).to.include("returned the existing cgw-");
    expect(run.error?.message).to.include("of transit-app-primary-cgw");
  });

  it("outputs the Elastic IPs, each spoke's connections and VGW, and the keys as secrets", async () => {
    const { component } = await build(transitArgs());
    const publicIps = (await resolve(component.publicIps)).value;
    expect(Object.keys(publicIps)).to.deep.equal(["primary", "standby"]);
    const vgws = (await resolve(component.vpnGatewayIds)).value;
    expect(vgws.data).to.equal("vgw-0c0c0c0c0c0c0c0c0");
    expect(vgws.app).to.match(/^vgw-[0-9a-f]{17}$/);
    const connections = (await resolve(component.connections)).value;
    expect(Object.keys(connections).sort()).to.deep.equal(["app", "data"]);
    const cgws = (await resolve(component.customerGatewayIds)).value;
    for (const spoke of ["app", "data"])
      for (const role of ["primary", "standby"]) {
        const c = connections[spoke][role];
        expect(c.connectionId).to.match(/^vpn-[0-9a-f]{17}$/);
        expect(c.customerGatewayId).to.equal(cgws[role]);
        expect(c.tunnels).to.have.length(2);
        for (const t of c.tunnels) expect(t.outsideAddress).to.match(/^\d+\.\d+\.\d+\.\d+$/);
      }
    const keys = await resolve(component.presharedKeys);
    expect(keys.secret).to.equal(true);
    const all = Object.values(keys.value).flatMap((byRole) => Object.values(byRole).flat());
    expect(all).to.have.length(8);
    expect(new Set(all).size).to.equal(8);
  });

  it("keeps each spoke's inside /30s when a spoke is added, given the last run's insideCidrs back", async () => {
    const first = await build(transitArgs());
    const insideCidrs = (await resolve(first.component.insideCidrs)).value;
    expect(Object.keys(insideCidrs)).to.deep.equal([
      "app-primary",
      "app-standby",
      "data-primary",
      "data-standby",
    ]);
    const tunnels = (resources: ResourceList) =>
      Object.fromEntries(
        resources
          .ofType(TYPE.vpn)
          .map((v) => [v.name, [v.inputs.tunnel1InsideCidr, v.inputs.tunnel2InsideCidr]]),
      );
    // The output is what the connections were registered with.
    expect(tunnels(first.resources)).to.deep.equal({
      "transit-app-primary-vpn": insideCidrs["app-primary"],
      "transit-app-standby-vpn": insideCidrs["app-standby"],
      "transit-data-primary-vpn": insideCidrs["data-primary"],
      "transit-data-standby-vpn": insideCidrs["data-standby"],
    });
    const args = transitArgs();
    const next = await build({
      ...args,
      spokes: { ...args.spokes, db: { vpcCidrs: ["10.3.0.0/16"], vpcId: "vpc-0d0d0d0d0d0d0d0d0" } },
      previousInsideCidrs: insideCidrs,
    });
    const after = tunnels(next.resources);
    expect(Object.keys(after)).to.have.length(6);
    for (const [name, cidrs] of Object.entries(tunnels(first.resources)))
      expect(after[name]).to.deep.equal(cidrs);
    const refused = await refusedBy(
      () =>
        new TransitVpc("transit", transitArgs({ previousInsideCidrs: { "app-primary": ["10.0.0.0/30"] } })),
      WHERE,
    );
    problemAt(refused, "previousInsideCidrs.app-primary", ["10.0.0.0/30"], "tunnel 1 and tunnel 2");
  });

  it("renders each instance's configuration with every spoke's tunnels, and as-override where spokes share an ASN", async () => {
    const { resources, component } = await build(transitArgs());
    const connections = (await resolve(component.connections)).value;
    for (const role of ["primary", "standby"] as const) {
      const instance = resources.named(`transit-appliance-${role}`);
      expect(instance.secretInputs).to.include("userDataBase64");
      const text = userData(resources, `transit-appliance-${role}`);
      for (const spoke of ["app", "data"])
        for (const t of connections[spoke][role].tunnels) {
          expect(text).to.include(`remote_addrs = ${t.outsideAddress}`);
          expect(text).to.include(`neighbor ${t.awsInsideAddress} remote-as 64512`);
        }
      // Both spokes are on 64512: a VGW drops a path holding its own ASN, so the appliances override it.
      expect(text).to.include("as-override");
    }
    const distinct = await build(
      transitArgs({
        spokes: {
          app: { vpcCidrs: ["10.1.0.0/16"], vpcId: "vpc-0b0b0b0b0b0b0b0b0" },
          data: { vpcCidrs: ["10.2.0.0/16"], vpnGatewayId: "vgw-0c0c0c0c0c0c0c0c0", amazonSideAsn: 64513 },
        },
      }),
    );
    expect(userData(distinct.resources, "transit-appliance-primary")).to.not.include("as-override");
  });

  it("registers 4 spokes, the security group's limit: the files of 16 tunnels travel gzip-compressed in 16 KB", async () => {
    // Uncompressed, 2 spokes made 15223 bytes of user data per instance and 3 made 19810 (EC2 takes 16384).
    const spokes = Object.fromEntries(
      [1, 2, 3, 4].map((i) => [`s${i}`, { vpcCidrs: [`10.${i}.0.0/16`], vpcId: `vpc-0${i}` }]),
    );
    const { resources } = await build(transitArgs({ spokes }));
    expect(resources.ofType(TYPE.vpn)).to.have.length(8);
    expect(resources.ofType(TYPE.cgw)).to.have.length(2);
    for (const role of ["primary", "standby"]) {
      const instance = resources.named(`transit-appliance-${role}`);
      const text = userData(resources, `transit-appliance-${role}`);
      for (const spoke of ["s1", "s2", "s3", "s4"]) expect(text).to.include(`${spoke}-${role}`);
      expect(Buffer.byteLength(text, "utf8")).to.be.above(16384);
      expect(Buffer.from(String(instance.inputs.userDataBase64), "base64").length).to.be.at.most(16384);
      expect(instance.inputs.userDataReplaceOnChange).to.equal(true);
    }
  });

  describe("spokes in other accounts", () => {
    const role = (account: string) => `arn:aws:iam::${account}:role/hybridnet-transit`;
    const crossAccount = (): TransitVpcArgs =>
      transitArgs({
        spokes: {
          app: { vpcCidrs: ["10.1.0.0/16"], vpcId: "vpc-0b0b0b0b0b0b0b0b0" },
          data: {
            vpcCidrs: ["10.2.0.0/16"],
            vpcId: "vpc-0c0c0c0c0c0c0c0c0",
            access: { roleArn: role("444455556666") },
            region: "us-east-1",
          },
          logs: {
            vpcCidrs: ["10.3.0.0/16"],
            vpnGatewayId: "vgw-0d0d0d0d0d0d0d0d0",
            access: { roleArn: role("444455556666") },
            region: "us-east-1",
          },
          web: {
            vpcCidrs: ["10.4.0.0/16"],
            vpcId: "vpc-0e0e0e0e0e0e0e0e0",
            routeTableIds: { private: "rtb-0e0e0e0e0e0e0e0e0" },
            access: { roleArn: role("777788889999") },
            region: "us-east-1",
          },
        },
      });

    it("registers each account's gateway, connections, log group and alarms with its provider; two customer gateways per account", async () => {
      const { resources, component } = await build(crossAccount());
      const providers = resources.ofType("pulumi:providers:aws");
      expect(providers.map((p) => p.name)).to.deep.equal([
        "transit-444455556666-us-east-1-provider",
        "transit-777788889999-us-east-1-provider",
      ]);
      for (const p of providers) {
        expect(p.parent).to.equal(resources.ofType(TYPE.component)[0].urn);
        expect(p.inputs.region).to.equal("us-east-1");
        const account = p.name.split("-")[1];
        expect(JSON.parse(String(p.inputs.allowedAccountIds))).to.deep.equal([account]);
        expect(JSON.parse(String(p.inputs.assumeRoles))[0].roleArn).to.equal(role(account));
      }
      // Two customer gateways per account and Region (6 in all), each through its account's provider.
      const cgws = resources.ofType(TYPE.cgw);
      expect(cgws.map((c) => [c.name, c.provider?.split("::")[3] ?? "(the component's)"])).to.deep.equal([
        ["transit-primary-cgw", "(the component's)"],
        ["transit-standby-cgw", "(the component's)"],
        ["transit-444455556666-us-east-1-primary-cgw", "transit-444455556666-us-east-1-provider"],
        ["transit-444455556666-us-east-1-standby-cgw", "transit-444455556666-us-east-1-provider"],
        ["transit-777788889999-us-east-1-primary-cgw", "transit-777788889999-us-east-1-provider"],
        ["transit-777788889999-us-east-1-standby-cgw", "transit-777788889999-us-east-1-provider"],
      ]);
      // Every AWS resource of a spoke is in its account: gateway, connections, propagation, alarms; data and logs
      // share their account's customer gateways.
      const providerOf = (spoke: string) =>
        ({ app: undefined, data: "444455556666", logs: "444455556666", web: "777788889999" })[spoke];
      const vpns = resources.ofType(TYPE.vpn);
      expect(vpns).to.have.length(8);
      const cgwIds = Object.fromEntries(cgws.map((c) => [c.name, c.outputs?.id ?? c.id]));
      for (const v of vpns) {
        const [, spoke, r] = v.name.split("-");
        const account = providerOf(spoke);
        expect(v.provider?.split("::")[3], v.name).to.equal(
          account ? `transit-${account}-us-east-1-provider` : undefined,
        );
        expect(v.inputs.customerGatewayId).to.equal(
          cgwIds[account ? `transit-${account}-us-east-1-${r}-cgw` : `transit-${r}-cgw`],
        );
      }
      for (const [type, count] of [
        [TYPE.vgw, 2],
        [TYPE.propagation, 1],
        // Per connection a page and a warning per tunnel: 6 connections × 3.
        ["aws:cloudwatch/metricAlarm:MetricAlarm", 18],
      ] as const) {
        const spokeResources = resources.ofType(type).filter((x) => /^transit-(data|logs|web)-/.test(x.name));
        expect(spokeResources, type).to.have.length(count);
        for (const r of spokeResources) expect(r.provider, r.name).to.match(/-us-east-1-provider::/);
      }
      // A connection logs to a group in its own account.
      const logGroups = resources.ofType(TYPE.logGroup).map((l) => [l.name, l.provider?.split("::")[3]]);
      expect(logGroups).to.deep.equal([
        ["transit-tunnel-logs", undefined],
        ["transit-444455556666-us-east-1-tunnel-logs", "transit-444455556666-us-east-1-provider"],
        ["transit-777788889999-us-east-1-tunnel-logs", "transit-777788889999-us-east-1-provider"],
      ]);
      expect(Object.keys((await resolve(component.accountCustomerGatewayIds)).value)).to.deep.equal([
        "444455556666-us-east-1",
        "777788889999-us-east-1",
      ]);
      expect(Object.keys((await resolve(component.customerGatewayIds)).value)).to.deep.equal([
        "primary",
        "standby",
      ]);
    });

    it("fails where a spoke's role is in the hub's own account and Region: AWS returns the hub's customer gateways", async () => {
      // The mock runs the component in 111122223333, us-east-1; a spoke given a role there would own the same
      // two customer gateways a second time.
      const args = crossAccount();
      const run = await runProgram(
        () =>
          new TransitVpc("transit", {
            ...args,
            spokes: {
              ...args.spokes,
              web: { ...args.spokes.web, access: { roleArn: role("111122223333") } },
            },
          }),
      );
      expect(run.error?.message).to.include("returned the existing cgw-");
      expect(run.error?.message).to.include("of transit-primary-cgw");
    });

    it("refuses a role that is an Output, a missing Region, and two roles for one account and Region", async () => {
      const args = crossAccount();
      const error = await refused({
        ...args,
        spokes: {
          ...args.spokes,
          data: { ...args.spokes.data, region: undefined },
          logs: {
            ...args.spokes.logs,
            access: { roleArn: role("444455556666").replace("transit", "other") },
          },
          web: { ...args.spokes.web, access: { roleArn: pulumi.output(role("777788889999")) } },
        },
      });
      expect(error.problems.map((p) => p.path)).to.deep.equal([
        "spokes.data.region",
        "spokes.web.access.roleArn",
      ]);
      const mixed = await refused({
        ...args,
        spokes: {
          ...args.spokes,
          logs: {
            ...args.spokes.logs,
            access: { roleArn: role("444455556666").replace("transit", "other") },
          },
        },
      });
      problemAt(
        mixed,
        "spokes.logs.access",
        "arn:aws:iam::444455556666:role/hybridnet-other",
        "the role and external id of spokes.data.access",
      );
    });
  });

  describe("refusals, before anything registers", () => {
    it("refuses two spokes with the same CIDR", async () => {
      const error = await refused(
        transitArgs({
          spokes: {
            app: { vpcCidrs: ["10.1.0.0/16"], vpcId: "vpc-0b" },
            data: { vpcCidrs: ["10.1.0.0/16"], vpcId: "vpc-0c" },
          },
        }),
      );
      problemAt(error, "spokes.data.vpcCidrs[0]", "10.1.0.0/16", "also spokes.app.vpcCidrs[0]");
    });

    it("refuses a fifth spoke with one hub CIDR: 60 security group rules per direction, 12 per spoke", async () => {
      const spokes = Object.fromEntries(
        [1, 2, 3, 4, 5].map((i) => [`s${i}`, { vpcCidrs: [`10.${i}.0.0/16`], vpcId: `vpc-0${i}` }]),
      );
      const error = await refused(transitArgs({ spokes }));
      problemAt(error, "spokes", ["s1", "s2", "s3", "s4", "s5"], "at most 4");
    });

    it("refuses a spoke with neither or both of vpnGatewayId and vpcId", async () => {
      const neither = await refused(transitArgs({ spokes: { app: { vpcCidrs: ["10.1.0.0/16"] } } }));
      problemAt(neither, "spokes.app", undefined, "exactly one of vpnGatewayId");
      const both = await refused(
        transitArgs({
          spokes: { app: { vpcCidrs: ["10.1.0.0/16"], vpcId: "vpc-0b", vpnGatewayId: "vgw-0b" } },
        }),
      );
      problemAt(both, "spokes.app", "(both vpnGatewayId and vpcId)", "exactly one of vpnGatewayId");
    });

    it("refuses an appliance ASN equal to a spoke's VGW ASN, and an unknown key", async () => {
      const error = await refused(transitArgs({ applianceAsn: 64512 }));
      problemAt(error, "applianceAsn", 64512, "eBGP needs two autonomous systems");
      const unknown = await refused({ ...transitArgs(), spokez: {} } as unknown as TransitVpcArgs);
      expect(unknown.message).to.include("spokez");
    });
  });

  describe("preview", () => {
    it("registers the same resources in a first preview, ids and tunnel addresses unknown", async () => {
      const up = await build(transitArgs());
      const preview = await build(transitArgs(), { preview: true });
      const all = (r: ResourceList) => r.all.map((x) => `${x.type} ${x.name}`).sort();
      expect(all(preview.resources)).to.have.length.greaterThan(0);
      expect(all(preview.resources)).to.deep.equal(all(up.resources));
      expect(preview.resources.ofType(TYPE.cgw)).to.have.length(2);
    });
  });
});
