/**
 * The stacks' config schemas (model/stackConfig): what the CLI hands the program is read back to the YAML's
 * structure, and every bad value comes back as one ValidationError naming the stack, the config path, the
 * value and what is allowed. Pure: no mock runtime.
 */
import { expect } from "chai";
import { cliConfig, readStackFiles } from "../model/environment";
import { configPath, namespaceValues, parseStackConfig, stackIdentity } from "../model/stackConfig";
import { STACKS_DIR } from "./environment";
import { configRefused, onlyProblem, problemAt } from "./refusals";

const files = Object.fromEntries(
  [...readStackFiles(STACKS_DIR, "dev"), ...readStackFiles(STACKS_DIR, "prod")].map((f) => [
    f.stack,
    f.config,
  ]),
);

const refused = configRefused;

/** A copy of `stack`'s config with `key` set to `value` (an object, or text as the CLI passes it). */
function withValue(stack: string, key: string, value: unknown): Record<string, string> {
  return { ...files[stack], ...cliConfig({ [key]: value }) };
}

const json = (stack: string, key: string) => JSON.parse(files[stack][key]);

describe("stack config (model/stackConfig)", () => {
  it("accepts every stack file of both environments, with the identity its name gives", () => {
    for (const [stack, config] of Object.entries(files)) {
      const settings = parseStackConfig(stack, config);
      expect(settings.identity.stack).to.equal(stack);
      expect(settings.role).to.equal(stack.startsWith("connectivity") ? "connectivity" : "workload");
      expect(settings.identity.prod).to.equal(stack.endsWith("-prod"));
      expect(settings.identity.organization).to.equal("organization");
    }
    expect(stackIdentity("workload-payments-prod")).to.include({
      account: "workload-payments",
      workload: "payments",
      env: "prod",
    });
  });

  it("reads values the way the CLI passes them: objects as JSON, top-level strings as written", () => {
    const values = namespaceValues({
      "hybridnet:role": "workload",
      "hybridnet:organization": "0123",
      "hybridnet:vpc": '{"cidr":"10.0.0.0/16"}',
      "aws:region": "us-east-1",
    });
    expect(values).to.deep.equal({ role: "workload", organization: "0123", vpc: { cidr: "10.0.0.0/16" } });
    expect(configPath(["vpn", "sites", "dc1", "prefixes", 0])).to.equal(
      "hybridnet:vpn.sites.dc1.prefixes[0]",
    );
  });

  it("keeps an account id's leading zeros, and refuses one YAML read as a number", () => {
    const aws = {
      region: "us-east-1",
      accountId: "022233334444",
      roleArn: "arn:aws:iam::022233334444:role/deploy",
    };
    expect(
      parseStackConfig("workload-payments-prod", withValue("workload-payments-prod", "hybridnet:aws", aws))
        .config.aws.accountId,
    ).to.equal("022233334444");
    const error = refused(
      "workload-payments-prod",
      withValue("workload-payments-prod", "hybridnet:aws", { ...aws, accountId: 22233334444 }),
    );
    problemAt(error, "hybridnet:aws.accountId", 22233334444, "exactly 12 digits, as a string");
  });

  it("refuses a role ARN in another account than the stack's", () => {
    const aws = {
      ...json("workload-app-dev", "hybridnet:aws"),
      roleArn: "arn:aws:iam::999988887777:role/deploy",
    };
    const error = refused("workload-app-dev", withValue("workload-app-dev", "hybridnet:aws", aws));
    onlyProblem(error, "hybridnet:aws.roleArn", aws.roleArn, "a role in the stack's account 222233334444");
  });

  it("names each bad VPN site value at its config path", () => {
    const vpn = json("connectivity-dev", "hybridnet:vpn");
    vpn.sites.dc1 = { ...vpn.sites.dc1, ipAddress: "192.168.1.1", prefixes: [], bgpAsn: 64512 };
    const error = refused("connectivity-dev", withValue("connectivity-dev", "hybridnet:vpn", vpn));
    problemAt(error, "hybridnet:vpn.sites.dc1.ipAddress", "192.168.1.1", "not internet-routable");
    problemAt(error, "hybridnet:vpn.sites.dc1.prefixes", [], "at least one on-premises CIDR");
  });

  it("takes a site's device format, one of the device-config formats, and names a wrong one", () => {
    const vpn = json("connectivity-dev", "hybridnet:vpn");
    vpn.sites.dc2.device = { format: "juniper-srx" };
    const settings = parseStackConfig(
      "connectivity-dev",
      withValue("connectivity-dev", "hybridnet:vpn", vpn),
    );
    expect(settings.role === "connectivity" && settings.config.vpn.sites.dc2.device).to.deep.equal({
      format: "juniper-srx",
    });
    vpn.sites.dc2.device = { format: "vyos" };
    const bad = refused("connectivity-dev", withValue("connectivity-dev", "hybridnet:vpn", vpn));
    onlyProblem(
      bad,
      "hybridnet:vpn.sites.dc2.device.format",
      "vyos",
      'one of "strongswan", "cisco-ios-xe", "juniper-srx"',
    );
    vpn.sites.dc2.device = { format: "strongswan", psk: "hunter2" };
    const extra = refused("connectivity-dev", withValue("connectivity-dev", "hybridnet:vpn", vpn));
    // A key named as a secret is refused without being printed.
    expect(extra.message).to.not.include("hunter2");
    onlyProblem(
      extra,
      "hybridnet:vpn.sites.dc2.device.psk",
      "hunter2",
      "not a setting here; the settings here are format",
    );
  });

  it("refuses a data center ASN equal to the hub's, after the shape is right", () => {
    const vpn = json("connectivity-dev", "hybridnet:vpn");
    vpn.sites.dc1.bgpAsn = 64512;
    const error = refused("connectivity-dev", withValue("connectivity-dev", "hybridnet:vpn", vpn));
    onlyProblem(error, "hybridnet:vpn.sites.dc1.bgpAsn", 64512, "equals the transit gateway's ASN 64512");
  });

  it("refuses segments that name an unknown segment, and a VPC in an unknown one", () => {
    const hub = json("connectivity-dev", "hybridnet:hub");
    hub.segments.workloads.reaches = ["shared", "sahred"];
    const error = refused("connectivity-dev", withValue("connectivity-dev", "hybridnet:hub", hub));
    problemAt(
      error,
      "hybridnet:hub.segments.workloads.reaches[1]",
      "sahred",
      '"onprem", "shared", "workloads"',
    );
  });

  it("takes zones as zone ids of the stack's Region, and refuses zone names, which differ per account", () => {
    const vpc = json("connectivity-dev", "hybridnet:vpc");
    for (const zones of [
      ["use1-az1", "use1-az2"],
      ["use1-az4", "use1-az6", "use1-az1"],
    ])
      expect(() =>
        parseStackConfig(
          "connectivity-dev",
          withValue("connectivity-dev", "hybridnet:vpc", { ...vpc, availabilityZones: zones }),
        ),
      ).not.to.throw();
    const error = refused(
      "connectivity-dev",
      withValue("connectivity-dev", "hybridnet:vpc", {
        ...vpc,
        availabilityZones: ["us-east-1a", "use1-az2"],
      }),
    );
    onlyProblem(
      error,
      "hybridnet:vpc.availabilityZones[0]",
      "us-east-1a",
      'an Availability Zone id such as "use1-az1" (the same zone in every account; names such as "us-east-1a" differ per account)',
    );
  });

  it("refuses VPC CIDRs outside RFC 1918, zones of another region, and on-premises networks overlapping the VPC", () => {
    const vpc = {
      ...json("connectivity-dev", "hybridnet:vpc"),
      availabilityZones: ["use1-az1", "euw1-az2"],
    };
    let error = refused("connectivity-dev", withValue("connectivity-dev", "hybridnet:vpc", vpc));
    // AWS: an AZ id is the Region's short code, "-az", a number; euw1-az2 is a zone of eu-west-1.
    onlyProblem(
      error,
      "hybridnet:vpc.availabilityZones[1]",
      "euw1-az2",
      "a zone id of us-east-1 (use1-az1, use1-az2, …): euw1-az2 is a zone of another Region",
    );
    error = refused(
      "connectivity-dev",
      withValue("connectivity-dev", "hybridnet:vpc", { ...vpc, cidr: "100.64.0.0/16" }),
    );
    problemAt(error, "hybridnet:vpc.cidr", "100.64.0.0/16", "private (RFC 1918)");
    const vpn = json("connectivity-dev", "hybridnet:vpn");
    vpn.sites.dc2.prefixes = ["10.10.0.0/16"];
    error = refused("connectivity-dev", withValue("connectivity-dev", "hybridnet:vpn", vpn));
    onlyProblem(
      error,
      "hybridnet:vpn.sites.dc2.prefixes[0]",
      "10.10.0.0/16",
      "overlaps the connectivity VPC 10.10.0.0/20",
    );
  });

  it("asks prod Direct Connect for the transit gateway block its private IP VPN needs", () => {
    const hub = json("connectivity-prod", "hybridnet:hub");
    delete hub.transitGatewayCidrBlocks;
    const error = refused("connectivity-prod", withValue("connectivity-prod", "hybridnet:hub", hub));
    onlyProblem(
      error,
      "hybridnet:hub.transitGatewayCidrBlocks",
      undefined,
      "private IP VPN over Direct Connect",
    );
  });

  describe("alarm actions (hybridnet:alarms)", () => {
    const TOPIC = "arn:aws:sns:us-east-1:444455556666:network-oncall";
    const without = (stack: string) =>
      Object.fromEntries(Object.entries(files[stack]).filter(([k]) => k !== "hybridnet:alarms"));

    it("requires prod to name who is paged, and lets dev go without", () => {
      const settings = parseStackConfig("connectivity-prod", files["connectivity-prod"]);
      expect(settings.role === "connectivity" && settings.config.alarms?.actions).to.deep.equal([TOPIC]);
      onlyProblem(
        refused("connectivity-prod", without("connectivity-prod")),
        "hybridnet:alarms.actions",
        undefined,
        "required in production: at least one SNS topic ARN (arn:aws:sns:<region>:<12-digit account>:<topic>)",
      );
      onlyProblem(
        refused("connectivity-prod", withValue("connectivity-prod", "hybridnet:alarms", { actions: [] })),
        "hybridnet:alarms.actions",
        [],
        "required in production",
      );
      expect(() => parseStackConfig("connectivity-dev", without("connectivity-dev"))).not.to.throw();
    });

    it("refuses an alarm action that is not an SNS topic ARN, naming it", () => {
      const queue = "arn:aws:sqs:us-east-1:444455556666:network-oncall";
      onlyProblem(
        refused(
          "connectivity-prod",
          withValue("connectivity-prod", "hybridnet:alarms", { actions: [queue] }),
        ),
        "hybridnet:alarms.actions[0]",
        queue,
        "an SNS topic ARN: arn:aws:sns:<region>:<12-digit account>:<topic>",
      );
    });
  });

  it("refuses a stack name that is not <account>-<env>, and a missing role", () => {
    let error = refused("payments", files["workload-payments-dev"]);
    onlyProblem(error, "stack name", "payments", "connectivity-<env> or workload-<key>-<env>");
    const { "hybridnet:role": _role, ...noRole } = files["workload-payments-dev"];
    error = refused("workload-payments-dev", noRole);
    onlyProblem(error, "hybridnet:role", undefined, 'one of "connectivity", "workload"');
  });

  it("lists the settings allowed where one is unknown", () => {
    const service = { ...json("workload-app-dev", "hybridnet:service"), prot: 443 };
    const error = refused("workload-app-dev", withValue("workload-app-dev", "hybridnet:service", service));
    onlyProblem(error, "hybridnet:service.prot", 443, "the settings here are port, targetPort, targets");
  });

  it("refuses a plaintext pre-shared key in stack config without printing it", () => {
    const vpn = json("connectivity-dev", "hybridnet:vpn");
    const site = Object.keys(vpn.sites)[0];
    vpn.sites[site] = { ...vpn.sites[site], presharedKey: "Plain.text_key1" };
    const error = refused("connectivity-dev", withValue("connectivity-dev", "hybridnet:vpn", vpn));
    const problem = onlyProblem(
      error,
      `hybridnet:vpn.sites.${site}.presharedKey`,
      "Plain.text_key1",
      "not a setting here",
    );
    expect(problem.secret).to.equal(true);
    expect(error.message).to.include(`hybridnet:vpn.sites.${site}.presharedKey = [secret]: `);
    expect(error.message).not.to.include("Plain.text_key1");
  });

  it("refuses a service target outside the workload VPC, and a hub role in the workload's own account", () => {
    const service = {
      ...json("workload-app-dev", "hybridnet:service"),
      targets: { x: { ip: "10.30.0.10" } },
    };
    const attachment = { segment: "workloads", hubRoleArn: "arn:aws:iam::222233334444:role/attach" };
    const error = refused("workload-app-dev", {
      ...withValue("workload-app-dev", "hybridnet:service", service),
      ...cliConfig({ "hybridnet:attachment": attachment }),
    });
    problemAt(
      error,
      "hybridnet:service.targets.x.ip",
      "10.30.0.10",
      "an address in the workload VPC 10.20.0.0/16",
    );
    problemAt(
      error,
      "hybridnet:attachment.hubRoleArn",
      attachment.hubRoleArn,
      "a role in the network account",
    );
  });

  it("takes intended flows between zones of the environment, and refuses ones that name nothing in it", () => {
    const intents = json("connectivity-dev", "hybridnet:intents");
    expect(Object.keys(intents)).to.have.length.greaterThan(0);
    expect(parseStackConfig("connectivity-dev", files["connectivity-dev"]).role).to.equal("connectivity");
    const bad = {
      ...intents,
      nokind: { from: "datacenter:dc1", to: "connectivity" },
      noname: { from: "segment:", to: "10.20.0.0/16", port: 70000 },
      verb: { from: "site:dc1", to: "workload:app", expect: "block", protocol: "sctp" },
    };
    const error = refused("connectivity-dev", withValue("connectivity-dev", "hybridnet:intents", bad));
    problemAt(error, "hybridnet:intents.nokind.from", "datacenter:dc1", "site:<name>");
    problemAt(error, "hybridnet:intents.noname.from", "segment:", '"segment:" needs a name');
    problemAt(error, "hybridnet:intents.noname.port", 70000, "1–65535");
    problemAt(error, "hybridnet:intents.verb.expect", "block", '"allow", "deny"');
    // Well-formed names of things the environment does not have: a deny would pass vacuously.
    const unknown = {
      ...intents,
      typo: { from: "site:dc3", to: "segment:shared" },
      lost: { from: "workload:billing", to: "segment:prod", expect: "deny" },
    };
    const names = refused("connectivity-dev", withValue("connectivity-dev", "hybridnet:intents", unknown));
    problemAt(names, "hybridnet:intents.typo.from", "site:dc3", "site:dc1, site:dc2");
    problemAt(names, "hybridnet:intents.lost.from", "workload:billing", "workload:app, workload:payments");
    problemAt(
      names,
      "hybridnet:intents.lost.to",
      "segment:prod",
      "segment:onprem, segment:shared, segment:workloads",
    );
    problemAt(error, "hybridnet:intents.verb.protocol", "sctp", '"tcp", "udp", "icmp"');
  });
});
