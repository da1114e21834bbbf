/**
 * Every stack of every reference environment under `pulumi preview`, where a new resource's id and computed
 * outputs are unknown: the program must register the same resources as in `pulumi up`, and its checks must not
 * need a value only AWS knows. Every stack is previewed as a redeploy of the environment (the others deployed),
 * and the connectivity stack also as its very first preview, with nothing deployed.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { readStackFiles } from "../model/environment";
import { runStack } from "../stacks/program";
import { runEnvironment, STACKS_DIR } from "./environment";
import { type ResourceList, runProgram } from "./harness";

const names = (resources: ResourceList) => resources.all.map((r) => `${r.type} ${r.name}`).sort();

describe("the stacks under pulumi preview (unknown ids and computed outputs)", () => {
  it("leaves a new resource's id and computed outputs unknown, and a StackReference's outputs known", async () => {
    const seen: { id?: boolean; arn?: boolean; cidr?: boolean; read?: boolean } = {};
    const run = await runProgram(
      () => {
        const vpc = new aws.ec2.Vpc("v", { cidrBlock: "10.0.0.0/16" });
        const known = (o: pulumi.Output<unknown>, key: keyof typeof seen) =>
          (o as unknown as { isKnown: Promise<boolean> }).isKnown.then((k) => {
            seen[key] = k;
          });
        const hub = new pulumi.StackReference("hub", { name: "organization/hybridnet/connectivity-dev" });
        return Promise.all([
          known(vpc.id, "id"),
          known(vpc.arn, "arn"),
          known(vpc.cidrBlock, "cidr"),
          known(hub.getOutput("region"), "read"),
        ]);
      },
      { preview: true, stackOutputs: { "organization/hybridnet/connectivity-dev": { region: "us-east-1" } } },
    );
    if (run.error) return expect.fail(run.error.stack);
    expect(seen).to.deep.equal({ id: false, arn: false, cidr: true, read: true });
  });

  for (const env of ["dev", "prod", "staging"]) {
    it(`registers in preview what pulumi up registers, for every stack of ${env}`, async function () {
      this.timeout(240000);
      const up = await runEnvironment(env);
      const configs = new Map(readStackFiles(STACKS_DIR, env).map((f) => [f.stack, f.config]));
      const lastPass = new Map(up.runs.map((r) => [r.step.stack, r]));
      expect(lastPass.size, `stacks of ${env}`).to.be.greaterThan(2);
      for (const [stack, run] of lastPass) {
        const preview = await runProgram(() => runStack(), {
          stack,
          config: configs.get(stack)!,
          stackOutputs: up.deployed,
          preview: true,
        });
        if (preview.error) return expect.fail(`${stack} in preview: ${preview.error.stack}`);
        expect(names(preview.resources), `${stack}: preview registers what up registered`).to.deep.equal(
          names(run.resources),
        );
      }
      // The first preview of the connectivity stack: nothing deployed yet, not even itself.
      const first = `connectivity-${env}`;
      const firstPreview = await runProgram(() => runStack(), {
        stack: first,
        config: configs.get(first)!,
        preview: true,
      });
      if (firstPreview.error) return expect.fail(`${first}, first preview: ${firstPreview.error.stack}`);
      const pass1 = up.runs.find((r) => r.step.stack === first && r.step.pass === 1)!;
      expect(names(firstPreview.resources)).to.deep.equal(names(pass1.resources));
    });
  }
});
