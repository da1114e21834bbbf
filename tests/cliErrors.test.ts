/**
 * The JSON error of the `hybridnet` command (cli/errors), in process: which stack each problem belongs to, for
 * every kind of ValidationError the planner meets, secrets shown as "[secret]", and the exit code of each kind.
 */
import { expect } from "chai";
import { configError, errorDocument, PlanInputError, problemsOf, usageError } from "../cli/errors";
import { ValidationError, ValidationErrors } from "../model/errors";

describe("hybridnet command: the JSON error", () => {
  it("names the stack of a stack's own problems, and of each stack in a group", () => {
    const app = new ValidationError("workload-app-dev", [
      { path: "hybridnet:vpc.cidr", value: "10.20.0.1/16", allowed: "host bits are set" },
    ]);
    const hub = new ValidationError("connectivity-dev", [
      {
        path: "hybridnet:vpn.sites.dc1.presharedKey",
        value: "Plain.text_key1",
        allowed: "not a setting here",
        secret: true,
      },
    ]);
    expect(problemsOf(app)).to.deep.equal([
      {
        stack: "workload-app-dev",
        path: "hybridnet:vpc.cidr",
        value: "10.20.0.1/16",
        allowed: "host bits are set",
      },
    ]);
    expect(problemsOf(new ValidationErrors("environment dev", [hub, app]))).to.deep.equal([
      {
        stack: "connectivity-dev",
        path: "hybridnet:vpn.sites.dc1.presharedKey",
        value: "[secret]",
        allowed: "not a setting here",
      },
      {
        stack: "workload-app-dev",
        path: "hybridnet:vpc.cidr",
        value: "10.20.0.1/16",
        allowed: "host bits are set",
      },
    ]);
  });

  it("splits the stack off the environment's cross-stack problems, and keeps the environment's own as null", () => {
    const error = new ValidationError("environment dev", [
      {
        path: "connectivity-dev: hybridnet:workloads.app.vpcCidr",
        value: "10.21.0.0/16",
        allowed: "the VPC CIDR",
      },
      {
        path: "workload-extra-dev",
        value: "extra",
        allowed: "listed in connectivity-dev's hybridnet:workloads",
      },
      { path: "stacks", value: [], allowed: "exactly one connectivity stack" },
    ]);
    expect(problemsOf(error)).to.deep.equal([
      {
        stack: "connectivity-dev",
        path: "hybridnet:workloads.app.vpcCidr",
        value: "10.21.0.0/16",
        allowed: "the VPC CIDR",
      },
      {
        stack: "workload-extra-dev",
        path: "",
        value: "extra",
        allowed: "listed in connectivity-dev's hybridnet:workloads",
      },
      { stack: null, path: "stacks", value: [], allowed: "exactly one connectivity stack" },
    ]);
  });

  it("names the stack and the component of a component's problems inside a stack program, a bigint as its digits", () => {
    const error = new ValidationError('hybridnet:index:ManagedVpn "dc"', [
      { path: "sites.dc1.bgpAsn", value: 4294967296n, allowed: "a private ASN" },
    ]);
    expect(problemsOf(error, "connectivity-dev")).to.deep.equal([
      {
        stack: "connectivity-dev",
        component: 'hybridnet:index:ManagedVpn "dc"',
        path: "sites.dc1.bgpAsn",
        value: "4294967296",
        allowed: "a private ASN",
      },
    ]);
  });

  it("exits 2 for bad input of every kind and 3 for anything else, which is the planner's failure", () => {
    const config = configError(
      new ValidationError("workload-app-dev", [{ path: "p", value: 1, allowed: "a" }]),
    );
    expect(errorDocument(config)).to.deep.include({ code: 2 });
    expect(errorDocument(config).document.error.kind).to.equal("config");
    expect(errorDocument(usageError("--port", "0", "1–65535")).document).to.deep.equal({
      error: {
        kind: "usage",
        message: "--port 0: 1–65535",
        problems: [{ stack: null, path: "--port", value: "0", allowed: "1–65535" }],
      },
    });
    expect(errorDocument(new PlanInputError("workload-app-dev: boom", [], "stack")).code).to.equal(2);
    expect(errorDocument(new Error("policy pack printed no port"))).to.deep.equal({
      code: 3,
      document: { error: { kind: "planner", message: "policy pack printed no port", problems: [] } },
    });
  });
});
