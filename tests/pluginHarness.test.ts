/**
 * The plugin test harness (tests/plugin), proven on a one-component fixture package
 * (tests/fixtures/plugin-package) independently of hybridnet: the plugin started as the CLI starts it answers
 * GetSchema, and Construct over gRPC registers what `new Network(...)` registers in TypeScript, answered by the
 * same mock model, with the component's outputs in the response; a bad argument comes back as the component's
 * error with nothing registered.
 */
import * as path from "node:path";
import { expect } from "chai";
import { Network } from "./fixtures/plugin-package";
import { runProgram } from "./harness";
import { componentOutputs, registrations } from "./plugin/compare";
import { PluginHarness } from "./plugin/pluginHarness";

const FIXTURE = path.resolve(__dirname, "fixtures", "plugin-package");
const TYPE = "plugin-fixture:index:Network";

describe("plugin test harness (fixture package)", function () {
  this.timeout(180_000);
  let plugin: PluginHarness;

  before(async () => {
    plugin = await PluginHarness.start(FIXTURE);
  });
  after(() => plugin?.stop());

  it("starts the plugin as the CLI does and reads its port", () => {
    expect(plugin.startupMs).to.be.greaterThan(0);
  });

  it("serves the schema the SDK infers from the Args interface and the class's outputs", async () => {
    const schema = JSON.parse(await plugin.getSchema());
    expect(schema.name).to.equal("plugin-fixture");
    const resource = schema.resources[TYPE];
    expect(resource.isComponent).to.equal(true);
    expect(Object.keys(resource.inputProperties).sort()).to.deep.equal(["cidrBlock", "label"]);
    expect(resource.requiredInputs).to.deep.equal(["cidrBlock"]);
    expect(Object.keys(resource.properties).sort()).to.deep.equal(["vpcArn", "vpcId"]);
  });

  it("constructs over gRPC what TypeScript registers, answered by the same mock model", async () => {
    const args = { cidrBlock: "10.1.0.0/16", label: "fixture" };
    const overGrpc = await plugin.construct(TYPE, "net", args);
    expect(overGrpc.error).to.equal(undefined);
    const inTypeScript = await runProgram(() => new Network("net", args));
    expect(inTypeScript.error).to.equal(undefined);

    expect(registrations(overGrpc.resources)).to.deep.equal(registrations(inTypeScript.resources.all));
    expect(registrations(overGrpc.resources)).to.deep.equal([
      `aws:ec2/vpc:Vpc net-vpc <- urn:pulumi:test::hybridnet::${TYPE}::net`,
      `${TYPE} net <- (no parent)`,
    ]);
    // The mock model answered both alike: same inputs, same id.
    const vpc = (list: typeof overGrpc.resources) => list.find((r) => r.type === "aws:ec2/vpc:Vpc");
    expect(vpc(overGrpc.resources)?.inputs).to.deep.equal(vpc(inTypeScript.resources.all)?.inputs);
    expect(vpc(overGrpc.resources)?.id).to.equal(vpc(inTypeScript.resources.all)?.id);

    expect(overGrpc.urn).to.equal(`urn:pulumi:test::hybridnet::${TYPE}::net`);
    const expected = await componentOutputs(inTypeScript.result as Network, ["vpcId", "vpcArn"]);
    expect(overGrpc.outputs).to.deep.equal(expected.outputs);
    expect(overGrpc.outputs?.vpcId).to.equal(vpc(overGrpc.resources)?.id);
  });

  it("answers a bad argument with the component's error, registering nothing", async () => {
    const result = await plugin.construct(TYPE, "bad", { cidrBlock: "10.1.0.0" });
    expect(result.error?.message).to.contain('cidrBlock = "10.1.0.0": an IPv4 CIDR block');
    expect(result.resources).to.deep.equal([]);
  });
});
