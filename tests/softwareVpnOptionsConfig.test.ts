/**
 * The software VPN options of issue 16 reached from stack config, across the stacks that hold their two ends:
 * `hybridnet:remoteAccessVpn` (a WireGuard server in a workload VPC), `hybridnet:softwareVpnPeering` (an appliance
 * pair in each of two workload VPCs, IPsec + BGP between them) and `hybridnet:softwareVpnToHub` (a workload's
 * appliance pair as the customer gateway of VPN connections the connectivity stack makes on the hub). The
 * config's checks, the references and deployment order they add, the environment checks, the stacks under
 * mocks in the deployment order (what each pass registers, the values that cross stacks), and `hybridnet plan`
 * on the same files (secrets kept out of the plan). Expected values come from the dev stack files and AWS's
 * rules, written out here.
 */
import { expect } from "chai";
import type { PlanResult } from "../cli/plan";
import {
  checkEnvironment,
  planEnvironment,
  readStackFiles,
  SOFTWARE_VPN_HUB_READS,
  WORKLOAD_READS,
} from "../model/environment";
import { ValidationError } from "../model/errors";
import { parseStackConfig, type WorkloadConfig } from "../model/stackConfig";
import { runStack } from "../stacks/program";
import { hybridnet } from "./cli";
import { cliConfig, runEnvironment, type StackRun } from "./environment";
import { type RegisteredResource, runProgram } from "./harness";
import { configRefused, onlyProblem, problemAt, stackRefused } from "./refusals";
import { instanceUserData } from "./userData";
import { addDataWorkload, editedEnvironment, type StackConfigs } from "./workloadEnvironments";

/** A client key as `wg pubkey` prints it (the example of wg(8)). */
const ALICE_KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

/** The three options on the dev stacks: app peers with payments, payments has a WireGuard server, data the hub VPN. */
function withOptions(configs: StackConfigs): void {
  addDataWorkload(configs);
  configs["workload-app"]["hybridnet:softwareVpnPeering"] = {
    peer: "payments",
    side: "a",
    appliance: { bgpAsn: 65101 },
  };
  configs["workload-payments"]["hybridnet:softwareVpnPeering"] = {
    peer: "app",
    side: "b",
    appliance: { bgpAsn: 65102, instanceType: "t3.small" },
  };
  configs["workload-payments"]["hybridnet:remoteAccessVpn"] = {
    clientPool: "100.64.20.0/24",
    clients: { alice: { publicKey: ALICE_KEY } },
    clientSourceCidrs: ["203.0.113.0/24"],
  };
  // dev declares that app does not reach payments; peering them is the decision to connect them, so the declared
  // intent turns round (the flow checks report the old one as failed: the peering makes it reachable).
  const intents = configs.connectivity["hybridnet:intents"] as Record<string, unknown>;
  delete intents["app-not-payments"];
  intents["app-to-payments"] = { from: "workload:app", to: "workload:payments", port: 443 };
  delete configs["workload-data"]["hybridnet:attachment"];
  configs["workload-data"]["hybridnet:softwareVpnToHub"] = {
    segment: "workloads",
    appliance: { bgpAsn: 65110 },
  };
}

const ENV = "swo";
const DIR = editedEnvironment(ENV, withOptions);
const configs = Object.fromEntries(readStackFiles(DIR, ENV).map((f) => [f.stack, f.config]));
const APP = "workload-app-swo";
const PAYMENTS = "workload-payments-swo";
const DATA = "workload-data-swo";
const CONNECTIVITY = "connectivity-swo";

/** `stack`'s config with `hybridnet:<key>` set to `value` (undefined: removed). */
function withValue(stack: string, key: string, value: unknown): Record<string, string> {
  const config = { ...configs[stack] };
  delete config[`hybridnet:${key}`];
  return value === undefined ? config : { ...config, ...cliConfig({ [`hybridnet:${key}`]: value }) };
}
const setting = (stack: string, key: string) => JSON.parse(configs[stack][`hybridnet:${key}`]);

/** The error checkEnvironment throws for the environment `edit` makes of the swo files. */
function environmentRefused(edit: (configs: StackConfigs) => void): ValidationError {
  const dir = editedEnvironment("swx", (c) => {
    withOptions(c);
    edit(c);
  });
  const stacks = readStackFiles(dir, "swx").map((f) => parseStackConfig(f.stack, f.config));
  try {
    checkEnvironment("swx", stacks);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  return expect.fail("the environment was accepted");
}

describe("the other software VPN options from stack config (remoteAccessVpn, softwareVpnPeering, softwareVpnToHub)", function () {
  this.timeout(600_000);

  describe("the settings of one stack", () => {
    it("accepts each option as the dev stacks write it", () => {
      const payments = parseStackConfig(PAYMENTS, configs[PAYMENTS]).config as WorkloadConfig;
      expect(payments.remoteAccessVpn).to.deep.equal({
        clientPool: "100.64.20.0/24",
        clients: { alice: { publicKey: ALICE_KEY } },
        clientSourceCidrs: ["203.0.113.0/24"],
      });
      expect(payments.softwareVpnPeering).to.deep.equal({
        peer: "app",
        side: "b",
        appliance: { bgpAsn: 65102, instanceType: "t3.small" },
      });
      const data = parseStackConfig(DATA, configs[DATA]).config as WorkloadConfig;
      expect(data.softwareVpnToHub).to.deep.equal({ segment: "workloads", appliance: { bgpAsn: 65110 } });
    });

    it("requires the clients' sources (no default), a WireGuard key, a pool of /16–/28 and a zone of the VPC", () => {
      const remote = setting(PAYMENTS, "remoteAccessVpn");
      delete remote.clientSourceCidrs;
      problemAt(
        configRefused(PAYMENTS, withValue(PAYMENTS, "remoteAccessVpn", remote)),
        "hybridnet:remoteAccessVpn.clientSourceCidrs",
        undefined,
        "a list of client source CIDR",
      );
      const bad = {
        ...setting(PAYMENTS, "remoteAccessVpn"),
        clientPool: "100.64.20.0/29",
        clients: { alice: { publicKey: "not-a-key" } },
      };
      const error = configRefused(PAYMENTS, withValue(PAYMENTS, "remoteAccessVpn", bad));
      problemAt(error, "hybridnet:remoteAccessVpn.clientPool", "100.64.20.0/29", "(the clients' pool)");
      problemAt(
        error,
        "hybridnet:remoteAccessVpn.clients.alice.publicKey",
        "not-a-key",
        "a WireGuard public key: 32 bytes in base64, 44 characters ending in =",
      );
      expect(error.problems).to.have.length(2);
      // Rules across fields run once every field has the right shape.
      const zone = { ...setting(PAYMENTS, "remoteAccessVpn"), zone: "use1-az3" };
      onlyProblem(
        configRefused(PAYMENTS, withValue(PAYMENTS, "remoteAccessVpn", zone)),
        "hybridnet:remoteAccessVpn.zone",
        "use1-az3",
        "a zone of the VPC (hybridnet:vpc.availabilityZones: use1-az1, use1-az2)",
      );
    });

    it("refuses a side other than a or b, a workload peering with itself, and a second appliance pair", () => {
      onlyProblem(
        configRefused(
          APP,
          withValue(APP, "softwareVpnPeering", { ...setting(APP, "softwareVpnPeering"), side: "c" }),
        ),
        "hybridnet:softwareVpnPeering.side",
        "c",
        'one of "a", "b"',
      );
      onlyProblem(
        configRefused(
          APP,
          withValue(APP, "softwareVpnPeering", { ...setting(APP, "softwareVpnPeering"), peer: "app" }),
        ),
        "hybridnet:softwareVpnPeering.peer",
        "app",
        "another workload of the environment: this stack's own VPC is the other side",
      );
      const both = {
        ...withValue(APP, "softwareVpn", {
          appliance: { bgpAsn: 65030 },
          remote: { bgpAsn: 65300, prefixes: ["172.27.0.0/16"] },
          peers: {
            partner: { ipAddress: "198.51.100.60", insideCidrs: ["169.254.200.0/30", "169.254.200.4/30"] },
          },
        }),
      };
      onlyProblem(
        configRefused(APP, both),
        "hybridnet:softwareVpnPeering",
        "(with hybridnet:softwareVpn)",
        "one software VPN appliance pair per workload",
      );
    });

    it("refuses the hub VPN beside an attachment, destinations inside the VPC, and a key in config (unprinted)", () => {
      const attached = {
        ...withValue(DATA, "softwareVpnToHub", {
          ...setting(DATA, "softwareVpnToHub"),
          destinations: ["10.40.1.0/24"],
        }),
        ...cliConfig({
          "hybridnet:attachment": {
            segment: "workloads",
            hubRoleArn: "arn:aws:iam::111122223333:role/hybridnet-attach",
          },
        }),
      };
      const error = configRefused(DATA, attached);
      problemAt(
        error,
        "hybridnet:softwareVpnToHub",
        "(with hybridnet:attachment)",
        "a VPC without a transit gateway attachment",
      );
      problemAt(
        error,
        "hybridnet:softwareVpnToHub.destinations[0]",
        "10.40.1.0/24",
        "a network outside the workload VPC 10.40.0.0/16 (hybridnet:vpc.cidr)",
      );
      expect(error.problems).to.have.length(2);
      const keyed = { ...setting(DATA, "softwareVpnToHub"), presharedKey: "Sup3rSecretKey_0123456789" };
      const refused = configRefused(DATA, withValue(DATA, "softwareVpnToHub", keyed));
      expect(
        onlyProblem(
          refused,
          "hybridnet:softwareVpnToHub.presharedKey",
          "Sup3rSecretKey_0123456789",
          "not a setting here",
        ).secret,
      ).to.equal(true);
      expect(refused.message).to.not.include("Sup3rSecretKey");
    });

    it("requires alarm actions in production with an appliance pair", () => {
      const prod = Object.fromEntries(
        readStackFiles(`${__dirname}/../stacks`, "prod").map((f) => [f.stack, f.config]),
      )["workload-payments-prod"];
      const config = {
        ...prod,
        ...cliConfig({
          "hybridnet:softwareVpnPeering": { peer: "orders", side: "b", appliance: { bgpAsn: 65102 } },
        }),
      };
      problemAt(
        configRefused("workload-payments-prod", config),
        "hybridnet:alarms.actions",
        undefined,
        "required in production",
      );
    });
  });

  describe("across the environment", () => {
    it("deploys side b first, side a after it, side b again to read a's keys; the hub VPN in the two passes", () => {
      const plan = planEnvironment(DIR, ENV);
      expect(plan.steps.map((s) => `${s.stack}#${s.pass}`)).to.deep.equal([
        "connectivity-swo#1",
        // In name order, each after what it cannot deploy without: app reads payments (side b) first.
        "workload-payments-swo#1",
        "workload-app-swo#1",
        "workload-data-swo#1",
        "connectivity-swo#2",
        "workload-payments-swo#2",
        "workload-app-swo#2",
        "workload-data-swo#2",
      ]);
      const edge = (from: string, to: string) => plan.references.find((r) => r.from === from && r.to === to);
      expect(edge(APP, PAYMENTS)).to.deep.equal({
        from: APP,
        to: PAYMENTS,
        kind: "hard",
        reads: ["softwareVpnPeering"],
      });
      expect(edge(PAYMENTS, APP)).to.deep.equal({
        from: PAYMENTS,
        to: APP,
        kind: "soft",
        reads: ["softwareVpnPeering", "softwareVpnPeeringPresharedKeys"],
      });
      expect(edge(DATA, CONNECTIVITY)?.reads).to.deep.equal([...WORKLOAD_READS, ...SOFTWARE_VPN_HUB_READS]);
      expect(edge(CONNECTIVITY, DATA)?.reads).to.include("softwareVpnToHub");
      expect(edge(CONNECTIVITY, APP)?.reads).to.not.include("softwareVpnToHub");
    });

    it("refuses a peering declared on one side only, two sides a, overlapping VPCs and one ASN on both sides", () => {
      const oneSided = environmentRefused((c) => {
        delete c["workload-payments"]["hybridnet:softwareVpnPeering"];
      });
      problemAt(
        oneSided,
        "workload-app-swx: hybridnet:softwareVpnPeering.peer",
        "payments",
        "a workload that declares this one back: workload-payments-swx needs hybridnet:softwareVpnPeering { peer: app, side: b } (it has none)",
      );
      const twoA = environmentRefused((c) => {
        (c["workload-payments"]["hybridnet:softwareVpnPeering"] as { side: string }).side = "a";
      });
      onlyProblem(
        twoA,
        "workload-app-swx: hybridnet:softwareVpnPeering.side",
        "a",
        'the other side than workload-payments-swx\'s (also "a")',
      );
      const clash = environmentRefused((c) => {
        c["workload-payments"]["hybridnet:softwareVpnPeering"] = {
          peer: "app",
          side: "b",
          appliance: { bgpAsn: 65101 },
        };
        c["workload-payments"]["hybridnet:vpc"] = {
          cidr: "10.20.128.0/17",
          availabilityZones: ["use1-az1", "use1-az2"],
        };
        (c.connectivity["hybridnet:workloads"] as Record<string, { vpcCidr: string }>).payments.vpcCidr =
          "10.20.128.0/17";
        c["workload-payments"]["hybridnet:service"] = {
          port: 443,
          targets: { "payments-1": { ip: "10.20.128.10" } },
        };
        delete c["workload-payments"]["hybridnet:attachment"];
      });
      problemAt(
        clash,
        "workload-app-swx: hybridnet:softwareVpnPeering.peer",
        "payments",
        "workload-payments-swx's hybridnet:vpc.cidr 10.20.128.0/17 overlaps 10.20.0.0/16",
      );
      problemAt(
        clash,
        "workload-app-swx: hybridnet:softwareVpnPeering.appliance.bgpAsn",
        65101,
        "an ASN other than workload-payments-swx's",
      );
    });

    it("refuses a hub VPN on a segment the hub lacks, or with the hub's ASN", () => {
      const error = environmentRefused((c) => {
        c["workload-data"]["hybridnet:softwareVpnToHub"] = {
          segment: "partners",
          appliance: { bgpAsn: 64512 },
        };
      });
      problemAt(
        error,
        "workload-data-swx: hybridnet:softwareVpnToHub.segment",
        "partners",
        `a segment of connectivity-swx's hub: "onprem", "shared", "workloads"`,
      );
      problemAt(
        error,
        "workload-data-swx: hybridnet:softwareVpnToHub.appliance.bgpAsn",
        64512,
        "an ASN other than the hub's Amazon side ASN 64512",
      );
    });
  });

  describe("the stacks under mocks, in the deployment order", () => {
    let runs: StackRun[];
    before(async () => {
      ({ runs } = await runEnvironment(ENV, DIR));
    });
    const run = (stack: string, pass: number) => {
      const found = runs.find((r) => r.step.stack === stack && r.step.pass === pass);
      return found ?? expect.fail(`no run of ${stack} pass ${pass}`);
    };
    const of = (r: StackRun, type: string) => {
      const found = r.resources.all.filter((x) => x.type === type);
      expect(found.length, `${r.step.stack}#${r.step.pass}: ${type}`).to.be.greaterThan(0);
      return found;
    };
    const named = (r: StackRun, type: string, name: string): RegisteredResource =>
      of(r, type).find((x) => x.name === name) ?? expect.fail(`${r.step.stack} has no ${type} ${name}`);
    const userData = (r: StackRun, name: string) =>
      instanceUserData(named(r, "aws:ec2/instance:Instance", name).inputs);
    const children = (r: StackRun, parent: RegisteredResource) =>
      r.resources.all.filter((x) => x.parent === parent.urn);

    it("remoteAccessVpn: a WireGuard server in payments' first zone, its pool routed to it, client configs as a plain output", () => {
      const r = run(PAYMENTS, 2);
      const server = named(r, "hybridnet:index:SoftwareRemoteAccessVpn", "payments-remote-access");
      // The server sits at its /28's second-to-last usable address (10.30.255.240/28: .254 is the appliance's).
      const instance = named(r, "aws:ec2/instance:Instance", "payments-remote-access-server");
      expect(instance.parent).to.equal(server.urn);
      expect(instance.inputs.privateIp).to.equal("10.30.255.253");
      const subnets = r.outputs.subnets as Record<string, Record<string, { id: string }>>;
      expect(instance.inputs.subnetId).to.equal(subnets.public["use1-az1"].id);
      const tables = r.outputs.privateRouteTableIds as Record<string, string>;
      expect(
        children(r, server)
          .filter((x) => x.type === "aws:ec2/route:Route")
          .map((x) => [x.inputs.routeTableId, x.inputs.destinationCidrBlock]),
      ).to.have.deep.members([
        [tables["private-use1-az1"], "100.64.20.0/24"],
        [tables["private-use1-az2"], "100.64.20.0/24"],
      ]);
      const ingress = children(r, server).filter(
        (x) => x.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      );
      expect(ingress.map((x) => [x.inputs.cidrIpv4, x.inputs.ipProtocol, x.inputs.fromPort])).to.deep.equal([
        ["203.0.113.0/24", "udp", 51820],
      ]);
      const output = r.outputs.remoteAccessVpn as {
        endpoint: string;
        serverPublicKey: string;
        clientAddresses: Record<string, string>;
        clientConfigs: Record<string, string>;
      };
      expect(r.secretOutputs).to.not.include("remoteAccessVpn");
      // Alice takes the pool's first free address (the server has .1); her config reaches the VPC and the server.
      expect(output.clientAddresses).to.deep.equal({ alice: "100.64.20.2" });
      const alice = output.clientConfigs.alice;
      expect(alice).to.include("Address = 100.64.20.2/32");
      expect(alice).to.include(`Endpoint = ${output.endpoint}`);
      expect(alice).to.include(`PublicKey = ${output.serverPublicKey}`);
      expect(alice).to.include("AllowedIPs = 10.30.0.0/16, 100.64.20.1/32");
      expect(alice).to.include("PrivateKey = <client private key>");
      expect(output.endpoint).to.match(/^\d+\.\d+\.\d+\.\d+:51820$/);
    });

    it("softwareVpnPeering: side b's pass 1 allocates its Elastic IPs only; side a builds its pair on them", () => {
      const first = run(PAYMENTS, 1);
      expect(of(first, "aws:ec2/eip:Eip").map((x) => x.name)).to.include.members([
        "payments-swpeer-primary",
        "payments-swpeer-standby",
      ]);
      expect(
        first.resources.all.filter((x) => x.type === "hybridnet:index:SoftwareVpnAppliance"),
      ).to.deep.equal([]);
      const b = first.outputs.softwareVpnPeering as { publicIps: Record<string, string> };
      const a = run(APP, 1);
      const pair = named(a, "hybridnet:index:SoftwareVpnAppliance", "app-swpeer");
      // Side a's appliances admit IKE only from side b's two Elastic IPs.
      const ike = children(a, pair).filter(
        (x) =>
          x.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && x.inputs.fromPort === 500,
      );
      expect(ike.map((x) => x.inputs.cidrIpv4)).to.have.members([
        `${b.publicIps.primary}/32`,
        `${b.publicIps.standby}/32`,
      ]);
      // Four tunnel keys (one per instance pair), generated on side a, secret in its outputs.
      expect(of(a, "random:index/randomPassword:RandomPassword").map((x) => x.name)).to.include.members([
        "app-swpeer-primary-primary-psk",
        "app-swpeer-primary-standby-psk",
        "app-swpeer-standby-primary-psk",
        "app-swpeer-standby-standby-psk",
      ]);
      expect(a.secretOutputs).to.include("softwareVpnPeeringPresharedKeys");
      expect(a.secretOutputs).to.not.include("softwareVpnPeering");
      const tables = a.outputs.privateRouteTableIds as Record<string, string>;
      expect(
        children(a, pair)
          .filter((x) => x.type === "aws:ec2/route:Route")
          .map((x) => [x.inputs.routeTableId, x.inputs.destinationCidrBlock]),
      ).to.have.deep.members([
        [tables["private-use1-az1"], "10.30.0.0/16"],
        [tables["private-use1-az2"], "10.30.0.0/16"],
      ]);
    });

    it("softwareVpnPeering: side b's pass 2 builds its pair with a's keys: each tunnel's key on both of its ends only", () => {
      const a = run(APP, 2);
      const b = run(PAYMENTS, 2);
      named(b, "hybridnet:index:SoftwareVpnAppliance", "payments-swpeer");
      const aSide = a.outputs.softwareVpnPeering as {
        publicIps: Record<string, string>;
        insideCidrs: Record<string, string>;
      };
      const bSide = b.outputs.softwareVpnPeering as {
        publicIps: Record<string, string>;
        insideCidrs: Record<string, string>;
      };
      // Both stacks plan the same four inside /30s.
      expect(Object.keys(aSide.insideCidrs).sort()).to.deep.equal([
        "primary-primary",
        "primary-standby",
        "standby-primary",
        "standby-standby",
      ]);
      expect(bSide.insideCidrs).to.deep.equal(aSide.insideCidrs);
      const keys = a.outputs.softwareVpnPeeringPresharedKeys as Record<string, string>;
      expect(Object.keys(keys).sort()).to.deep.equal(Object.keys(aSide.insideCidrs).sort());
      for (const [tunnel, key] of Object.entries(keys)) {
        const [aRole, bRole] = tunnel.split("-");
        expect(key).to.match(/^[A-Za-z0-9]{32}$/);
        for (const role of ["primary", "standby"]) {
          expect(userData(a, `app-swpeer-${role}`).includes(key), `${tunnel} on app ${role}`).to.equal(
            role === aRole,
          );
          expect(
            userData(b, `payments-swpeer-${role}`).includes(key),
            `${tunnel} on payments ${role}`,
          ).to.equal(role === bRole);
        }
      }
      // Each end points at the other's Elastic IPs; side b never publishes a key.
      expect(userData(b, "payments-swpeer-primary")).to.include(aSide.publicIps.primary);
      expect(userData(a, "app-swpeer-standby")).to.include(bSide.publicIps.standby);
      expect(b.secretOutputs).to.deep.equal([]);
      expect(named(b, "aws:ec2/instance:Instance", "payments-swpeer-primary").inputs.instanceType).to.equal(
        "t3.small",
      );
    });

    it("softwareVpnToHub: connectivity's pass 2 makes a customer gateway at each of data's Elastic IPs, on the workloads segment", () => {
      const published = run(DATA, 1).outputs.softwareVpnToHub as { publicIps: Record<string, string> };
      expect(run(CONNECTIVITY, 1).resources.all.filter((x) => x.name.startsWith("swvpn-data"))).to.deep.equal(
        [],
      );
      const c = run(CONNECTIVITY, 2);
      const gateways = of(c, "aws:ec2/customerGateway:CustomerGateway").filter((x) =>
        x.name.startsWith("swvpn-data"),
      );
      expect(gateways.map((x) => [x.name, x.inputs.ipAddress, x.inputs.bgpAsn])).to.have.deep.members([
        ["swvpn-data-data-primary-cgw", published.publicIps.primary, "65110"],
        ["swvpn-data-data-standby-cgw", published.publicIps.standby, "65110"],
      ]);
      const vpns = of(c, "aws:ec2/vpnConnection:VpnConnection").filter((x) =>
        x.name.startsWith("swvpn-data"),
      );
      expect(vpns).to.have.length(2);
      for (const vpn of vpns) expect(vpn.inputs.transitGatewayId).to.equal(c.outputs.transitGatewayId);
      const segments = c.outputs.segments as Record<string, { routeTableId: string; propagatesTo: string[] }>;
      expect(
        of(c, "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation")
          .filter((x) => x.name.startsWith("swvpn-data"))
          .map((x) => x.inputs.transitGatewayRouteTableId),
      ).to.deep.equal([segments.workloads.routeTableId, segments.workloads.routeTableId]);
      const propagated = of(c, "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation")
        .filter((x) => x.name.startsWith("swvpn-data"))
        .map((x) => x.inputs.transitGatewayRouteTableId);
      expect(propagated).to.have.length(2 * segments.workloads.propagatesTo.length);
      expect(c.secretOutputs).to.include("softwareVpnHubPresharedKeys");
      // The connectivity VPC routes data's CIDR to the hub, as for an attached workload.
      expect(
        of(c, "aws:ec2/route:Route")
          .map((x) => x.inputs.destinationCidrBlock)
          .filter((d) => d === "10.40.0.0/16"),
      ).to.have.length(2);
    });

    it("softwareVpnToHub: data's pass 2 builds its pair on the connections' tunnels, with connectivity's keys", () => {
      const c = run(CONNECTIVITY, 2);
      const hub = (
        c.outputs.softwareVpnHub as Record<
          string,
          {
            connections: Record<
              string,
              { tunnels: { outsideAddress: string; customerInsideAddress: string }[] }
            >;
          }
        >
      ).data;
      const keys = (c.outputs.softwareVpnHubPresharedKeys as Record<string, Record<string, string[]>>).data;
      const d = run(DATA, 2);
      const pair = named(d, "hybridnet:index:SoftwareVpnAppliance", "data-swvpn-hub");
      const ike = children(d, pair).filter(
        (x) =>
          x.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && x.inputs.fromPort === 500,
      );
      const outside = ["primary", "standby"].flatMap((role) =>
        hub.connections[role].tunnels.map((t) => `${t.outsideAddress}/32`),
      );
      expect(outside).to.have.length(4);
      expect(ike.map((x) => x.inputs.cidrIpv4)).to.have.members(outside);
      for (const role of ["primary", "standby"]) {
        const other = role === "primary" ? "standby" : "primary";
        const text = userData(d, `data-swvpn-hub-${role}`);
        expect(keys[role]).to.have.length(2);
        for (const key of keys[role]) expect(text).to.include(key);
        for (const key of keys[other]) expect(text).to.not.include(key);
        for (const t of hub.connections[role].tunnels) expect(text).to.include(t.customerInsideAddress);
      }
      // The connectivity VPC (10.10.0.0/20, the default destination) is routed to the active appliance.
      expect(
        children(d, pair)
          .filter((x) => x.type === "aws:ec2/route:Route")
          .map((x) => x.inputs.destinationCidrBlock),
      ).to.deep.equal(["10.10.0.0/20", "10.10.0.0/20"]);
      expect(d.secretOutputs).to.deep.equal([]);
    });

    it("registers in preview (new ids unknown) what each stack's last pass registered", async () => {
      const { deployed } = await runEnvironment(ENV, DIR);
      const names = (list: { type: string; name: string }[]) => list.map((r) => `${r.type} ${r.name}`).sort();
      for (const stack of [APP, PAYMENTS, DATA, CONNECTIVITY]) {
        const last = runs.filter((r) => r.step.stack === stack).pop()!;
        const preview = await runProgram(() => runStack(), {
          stack,
          config: configs[stack],
          stackOutputs: deployed,
          preview: true,
        });
        if (preview.error) return expect.fail(`${stack} in preview: ${preview.error.stack}`);
        expect(names(preview.resources.all), stack).to.deep.equal(names(last.resources.all));
      }
    });

    it("refuses, before registering anything, side a deployed before side b", async () => {
      const { error } = await stackRefused(APP, configs[APP], {});
      expect(error.message).to.include("connectivity-swo");
      const deployed = (await runEnvironment(ENV, DIR)).deployed;
      const withoutPayments = Object.fromEntries(
        Object.entries(deployed).filter(([stack]) => !stack.endsWith(`/${PAYMENTS}`)),
      );
      const refused = await stackRefused(APP, configs[APP], withoutPayments);
      problemAt(
        refused.error,
        "hybridnet:softwareVpnPeering.peer",
        "payments",
        "workload-payments-swo has no softwareVpnPeering output yet; deploy it first",
      );
    });

    it("refuses a remote-access pool inside the VPC at its config path, from the component's own check", async () => {
      const deployed = (await runEnvironment(ENV, DIR)).deployed;
      const remote = { ...setting(PAYMENTS, "remoteAccessVpn"), clientPool: "10.30.128.0/24" };
      const { error } = await stackRefused(
        PAYMENTS,
        withValue(PAYMENTS, "remoteAccessVpn", remote),
        deployed,
      );
      problemAt(error, "hybridnet:remoteAccessVpn.clientPool", "10.30.128.0/24", "10.30.0.0/16");
    });
  });

  describe("hybridnet plan", () => {
    let plan: PlanResult;
    let text: string;
    before(() => {
      const result = hybridnet("plan", "--env", ENV, "--stacks", DIR, "--json");
      text = result.stdout;
      expect(result.code, result.stderr).to.equal(0);
      plan = JSON.parse(result.stdout) as PlanResult;
    });
    const stack = (name: string) => plan.stacks.find((s) => s.name === name) ?? expect.fail(`no ${name}`);

    it("plans every option with no policy violation; the keys are secret outputs, never in the plan", async () => {
      expect(plan.summary.mandatory).to.equal(0);
      expect(stack(APP).outputs.softwareVpnPeeringPresharedKeys).to.equal("[secret]");
      expect(stack(CONNECTIVITY).outputs.softwareVpnHubPresharedKeys).to.equal("[secret]");
      const { runs } = await runEnvironment(ENV, DIR);
      const last = (name: string) => runs.filter((r) => r.step.stack === name).pop()!;
      const keys = [
        ...Object.values(last(APP).outputs.softwareVpnPeeringPresharedKeys as Record<string, string>),
        ...Object.values(
          (last(CONNECTIVITY).outputs.softwareVpnHubPresharedKeys as Record<string, Record<string, string[]>>)
            .data,
        ).flat(),
      ];
      expect(keys).to.have.length(8);
      for (const key of keys) expect(text).to.not.include(key);
      // The mock model is deterministic: the plan's customer gateways are at the Elastic IPs data published.
      const published = stack(DATA).outputs.softwareVpnToHub as { publicIps: Record<string, string> };
      expect(
        stack(CONNECTIVITY)
          .resources.filter(
            (r) => r.type === "aws:ec2/customerGateway:CustomerGateway" && r.name.startsWith("swvpn-data"),
          )
          .map((r) => r.inputs.ipAddress),
      ).to.have.members([published.publicIps.primary, published.publicIps.standby]);
      for (const name of ["data-swvpn-hub-primary", "app-swpeer-primary", "payments-swpeer-standby"]) {
        const instance = plan.stacks
          .flatMap((s) => s.resources)
          .find((r) => r.name === name && r.type === "aws:ec2/instance:Instance");
        expect(instance?.inputs.userDataBase64, name).to.equal("[secret]");
      }
    });

    it("proves every flow, data's through its appliance pair and the hub's VPN connections to it included", () => {
      // The connections swvpn-data-* end on data's appliances (model/reachability/fromPlanAppliances): data's VPC is
      // a member of the workloads segment, reaching shared both ways and kept apart from app, payments and the
      // data centers; tests/reachabilitySoftwareVpnToHub.test.ts writes the hops out.
      expect(plan.flows.filter((f) => f.verdict === "fail").map((f) => f.name)).to.deep.equal([]);
      const data = plan.flows.filter((f) => `${f.from} ${f.to}`.includes(DATA));
      expect(data.map((f) => `${f.name} ${f.expect}`)).to.include.members([
        `vpc:connectivity-swo → vpc:${DATA} allow`,
        `vpc:${DATA} → vpc:connectivity-swo allow`,
        `vpc:${DATA} → vpc:workload-app-swo deny`,
      ]);
      const toData = data.find((f) => f.name === `vpc:connectivity-swo → vpc:${DATA}`);
      expect(toData?.path.map((h) => h.name)).to.include.members([
        "swvpn-data-data-primary-1-vpn",
        "data-swvpn-hub-primary",
      ]);
      expect(plan.flows.some((f) => /site:data-(primary|standby)/.test(`${f.from} ${f.to}`))).to.equal(false);
      // The pairs' tunnels connect app and payments on purpose: like a VPC peering, that overrides the isolation
      // of their segment (workloads), so the segment implies no deny between them.
      const appPayments = plan.flows
        .filter((f) => [f.from, f.to].sort().join(" ") === `vpc:${APP} vpc:${PAYMENTS}`)
        .map((f) => `${f.name} ${f.expect}`);
      expect(appPayments).to.deep.equal([
        `vpc:${APP} → vpc:${PAYMENTS} over app-swpeer allow`,
        `vpc:${PAYMENTS} → vpc:${APP} over payments-swpeer allow`,
      ]);
    });
  });
});
