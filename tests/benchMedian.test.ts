/**
 * The environment benchmark's figure for the warm planner (bench/environment.ts `medianRun`): the run of median
 * wall time of several, with the largest peak RSS any of them reached (the memory target is about the worst).
 */
import { expect } from "chai";
import { medianRun } from "../bench/environment";

const run = (wallMs: number, peakRssBytes: number, label: string) => ({ wallMs, peakRssBytes, label });

describe("the environment benchmark's median run", () => {
  it("takes the middle run by wall time of an odd count, whatever the order, and the largest peak RSS", () => {
    const median = medianRun([run(6100, 500, "slow"), run(4700, 620, "fast"), run(5300, 540, "middle")]);
    expect(median).to.deep.equal({ wallMs: 5300, peakRssBytes: 620, label: "middle" });
  });

  it("takes the lower middle of an even count, and a single run as it is", () => {
    expect(
      medianRun([run(5000, 1, "a"), run(4000, 2, "b"), run(7000, 3, "c"), run(6000, 4, "d")]),
    ).to.deep.equal({
      wallMs: 5000,
      peakRssBytes: 4,
      label: "a",
    });
    expect(medianRun([run(4200, 512, "only")])).to.deep.equal({
      wallMs: 4200,
      peakRssBytes: 512,
      label: "only",
    });
  });

  it("refuses no runs at all", () => {
    expect(() => medianRun([])).to.throw("no runs to take the median of");
  });
});
