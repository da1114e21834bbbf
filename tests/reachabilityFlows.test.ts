/**
 * The reference environments' flows over their planned networks (in-process, as `hybridnet plan` answers them
 * after the last pass): every declared and implied intent of dev and prod holds, and dev as it was before the
 * connectivity VPC routed the attached workloads back to the hub drops every workload → shared reply at the
 * connectivity VPC's route tables.
 */
import { expect } from "chai";
import { networkOfPlan } from "../cli/flows";
import { checkEnvironmentFlows } from "../model/reachability/environmentFlows";
import type { Network } from "../model/reachability/network";
import type { StackSettings } from "../model/stackConfig";
import { plannedEnvironment } from "./environment";

async function plannedNetwork(env: string): Promise<{ network: Network; settings: StackSettings[] }> {
  const { stacks, settings } = await plannedEnvironment(env);
  return { network: networkOfPlan(stacks, settings), settings };
}

describe("reachability of the reference environments", function () {
  this.timeout(60_000);
  const planned: Record<string, { network: Network; settings: StackSettings[] }> = {};
  before(async () => {
    planned.dev = await plannedNetwork("dev");
    planned.prod = await plannedNetwork("prod");
  });

  for (const [env, declared, total] of [
    [
      "dev",
      [
        "app-not-payments",
        "app-to-dc-api",
        "dc1-to-app",
        "dc2-to-payments",
        "staff-not-workloads",
        "staff-to-app",
      ],
      34,
    ],
    [
      "prod",
      [
        "boston-to-orders",
        "branches-not-data-centers",
        "data-centers-not-branches",
        "dc1-to-payments",
        "dc2-to-orders",
        "orders-to-dc-api",
      ],
      24,
    ],
  ] as const)
    it(`proves every declared and implied flow of ${env}`, () => {
      const verdicts = checkEnvironmentFlows(planned[env].network, planned[env].settings);
      expect(verdicts).to.have.length(total);
      expect(verdicts.filter((v) => !v.implied).map((v) => v.name)).to.deep.equal(declared);
      expect(
        verdicts.filter((v) => v.verdict === "fail").map((v) => `${v.name}: ${v.blockedAt?.what ?? v.error}`),
      ).to.deep.equal([]);
    });

  it("dev without the routes back to the workloads drops the workload → shared reply at the connectivity VPC", () => {
    const { network, settings } = planned.dev;
    // The connectivity VPC as it was: routes to the data centers only.
    const before: Network = {
      ...network,
      routeTables: network.routeTables.map((t) => ({
        ...t,
        routes: t.routes.filter((r) => !["10.20.0.0/16", "10.30.0.0/16"].includes(r.destination)),
      })),
    };
    expect(before.routeTables.flatMap((t) => t.routes).length).to.be.lessThan(
      network.routeTables.flatMap((t) => t.routes).length,
    );
    const failed = checkEnvironmentFlows(before, settings).filter((v) => v.verdict === "fail");
    const app = failed.find((v) => v.name === "vpc:workload-app-dev → vpc:connectivity-dev");
    expect(app, failed.map((v) => v.name).join("; ")).to.not.equal(undefined);
    expect(app!.implied).to.equal("segment workloads reaches shared");
    expect(app!.blockedAt).to.include({
      direction: "reply",
      stack: "connectivity-dev",
      what: "route table of VPC connectivity (private, use1-az1) has no route for 10.20.0.0/16 (VPC app-vpc, workload-app-dev)",
    });
    // Every workload → shared flow, both workloads, and the connectivity VPC → workload ones fail with it.
    expect(failed.map((v) => v.name).sort()).to.deep.equal([
      "vpc:connectivity-dev → vpc:workload-app-dev",
      "vpc:connectivity-dev → vpc:workload-payments-dev",
      "vpc:workload-app-dev → vpc:connectivity-dev",
      "vpc:workload-payments-dev → vpc:connectivity-dev",
    ]);
  });

  it("flags a branch announcing a range inside an attached VPC as a hijack of that range", () => {
    const { network, settings } = planned.dev;
    const hijacked: Network = {
      ...network,
      sites: network.sites.map((s) =>
        s.name === "dc2" ? { ...s, prefixes: [...s.prefixes, "10.20.64.0/24"] } : s,
      ),
    };
    const failed = checkEnvironmentFlows(hijacked, settings).filter((v) => v.verdict === "fail");
    const hijack = failed.find((v) => v.implied === "no site announces a range inside an attached VPC");
    expect(hijack?.name).to.equal(
      "site:dc2 announces 10.20.64.0/24 inside vpc:workload-app-dev (10.20.0.0/16)",
    );
    expect(hijack?.blockedAt?.what).to.contain("longest prefix wins");
  });
});
