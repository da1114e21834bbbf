/**
 * The reachability model at landing-zone scale: a generated environment shaped like the reference one (a
 * connectivity VPC on a transit gateway hub with onprem, shared and workloads segments; N data centers on BGP
 * VPNs; N workload VPCs, each attached, offering a PrivateLink service to the connectivity VPC and reaching
 * the data centers' service through an endpoint of its own), built into the model and asked every implied
 * intent (segment pairs both ways, every PrivateLink consumer) and every segment-to-segment whole-space
 * question. The baseline answers the same questions exhaustively (every address piece and port class, pieces
 * recomputed per question); both must agree.
 */
import { FlowChecker } from "../model/reachability/flows";
import { IntentChecker, impliedIntents, resolveZone } from "../model/reachability/intents";
import type { Network } from "../model/reachability/network";
import { NetworkIndex } from "../model/reachability/networkIndex";
import { prefix } from "../model/reachability/prefixes";
import { reachableSpace } from "../model/reachability/space";
import { Topology } from "../tests/topology";

const SEGMENTS = {
  onprem: { isolated: true, reaches: ["shared"] },
  shared: {},
  workloads: { isolated: true, reaches: ["shared"] },
};

/** Records in the generated network (each stands for about one planned resource). */
function records(n: Network): number {
  let count = 0;
  for (const list of Object.values(n)) count += (list as unknown[]).length;
  for (const t of n.routeTables) count += t.routes.length;
  for (const t of n.transitGatewayRouteTables)
    count += t.routes.length + t.associations.length + t.propagations.length;
  for (const g of n.securityGroups) count += g.ingress.length + g.egress.length;
  for (const s of n.sites) count += s.links.length;
  for (const l of n.loadBalancers) count += l.listeners.length;
  for (const t of n.targetGroups) count += t.targets.length;
  return count;
}

export function generateLandingZone(workloads: number, sites: number): Network {
  const t = new Topology();
  const tgw = t.transitGateway("hub", "connectivity-bench");
  const shared = t.tgwTable(tgw, "shared", "connectivity-bench");
  const wl = t.tgwTable(tgw, "workloads", "connectivity-bench");
  const onprem = t.tgwTable(tgw, "onprem", "connectivity-bench");
  const hub = t.vpc("connectivity", "10.0.0.0/16", { stack: "connectivity-bench" });
  t.attachVpc(tgw, hub, shared, [shared, wl, onprem]);
  const dcPrefixes: string[] = [];
  for (let i = 0; i < sites; i++) {
    const p = `172.${16 + (i >> 8)}.${i & 255}.0/24`;
    dcPrefixes.push(p);
    t.siteOnTgw(`dc${i}`, [p], tgw, onprem, [shared]);
    t.route(hub, p, { kind: "transitGateway", id: tgw });
  }
  const onPremSg = t.securityGroup(
    "onprem-nlb",
    hub,
    [],
    dcPrefixes.map((cidr) => ({ cidr, fromPort: 443, toPort: 443 })),
  );
  for (let i = 0; i < workloads; i++) {
    const cidr = `10.${1 + i}.0.0/16`;
    t.network.securityGroups
      .find((g) => g.id === onPremSg)
      ?.ingress.push({
        protocol: "tcp",
        cidr,
        fromPort: 443,
        toPort: 443,
        origin: { stack: "connectivity-bench", name: `onprem-nlb-in-${i}` },
      });
    const vpc = t.vpc(`w${i}`, cidr, { stack: `workload-w${i}-bench` });
    t.attachVpc(tgw, vpc, wl, [shared]);
    t.route(vpc, "10.0.0.0/16", { kind: "transitGateway", id: tgw });
    t.route(hub, cidr, { kind: "transitGateway", id: tgw });
    const endpointSg = t.securityGroup(`to-w${i}`, hub, [
      { cidr: "10.0.0.0/16", fromPort: 443, toPort: 443 },
      ...dcPrefixes.slice(0, 4).map((c) => ({ cidr: c, fromPort: 443, toPort: 443 })),
    ]);
    const nlbSg = t.securityGroup(
      `w${i}-nlb`,
      vpc,
      [
        { cidr: "10.0.0.0/16", fromPort: 443, toPort: 443 },
        ...dcPrefixes.map((c) => ({ cidr: c, fromPort: 443, toPort: 443 })),
      ],
      [{ cidr, fromPort: 8443, toPort: 8443 }],
    );
    t.privateLink(`w${i}`, vpc, hub, {
      port: 443,
      targetPort: 8443,
      targets: [`10.${1 + i}.0.50`, `10.${1 + i}.1.50`],
      endpointSg,
      nlbSg,
    });
    // The reverse direction: the workload reaches the data centers' service through an endpoint of its own.
    const reverseSg = t.securityGroup(`w${i}-onprem`, vpc, [{ cidr, fromPort: 443, toPort: 443 }]);
    t.privateLink(`onprem${i}`, hub, vpc, {
      port: 443,
      targets: [dcPrefixes[i % sites].replace("0/24", "10")],
      endpointSg: reverseSg,
      nlbSg: onPremSg,
    });
  }
  return t.network;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

function answerEverything(network: Network, exhaustive: boolean) {
  const checker = new IntentChecker(exhaustive ? network : new NetworkIndex(network), { exhaustive });
  const intents = impliedIntents(checker.index, SEGMENTS);
  const verdicts = checker.checkAll(intents).map((v) => `${v.name} ${v.verdict}`);
  const pairs: string[] = [];
  for (const a of Object.keys(SEGMENTS))
    for (const b of Object.keys(SEGMENTS)) {
      const flows = exhaustive ? new FlowChecker(network) : checker.checker;
      const space = reachableSpace(
        flows,
        resolveZone(checker.index, `segment:${a}`),
        resolveZone(checker.index, `segment:${b}`),
        {
          exhaustive,
        },
      );
      pairs.push(`${a}→${b} ${JSON.stringify(space.reachable)}`);
    }
  return { intents: intents.length, verdicts, pairs };
}

export function benchReachability(
  sizes: [number, number][] = [
    [10, 10],
    [40, 40],
  ],
): string[] {
  const rows = ["reachability model    records   intents  build+answer   baseline     ratio   one flow"];
  for (const [workloads, sites] of sizes) {
    const network = generateLandingZone(workloads, sites);
    const fast = time(() => answerEverything(network, false));
    const slow = time(() => answerEverything(network, true));
    if (JSON.stringify(fast.value) !== JSON.stringify(slow.value))
      throw new Error("the model and the exhaustive baseline answer differently");
    const failed = fast.value.verdicts.filter((v) => v.endsWith(" fail"));
    if (failed.length > 0)
      throw new Error(`generated environment fails intents: ${failed.slice(0, 3).join("; ")}`);
    const checker = new FlowChecker(network);
    const src = { kind: "site" as const, site: "dc0" };
    const dst = prefix("10.0.0.10")!.first;
    const flows = 2000;
    const one = time(() => {
      for (let i = 0; i < flows; i++)
        checker.check(src, { src: prefix("172.16.0.10")!.first, dst, protocol: "tcp", port: 22 });
    });
    rows.push(
      `  ${String(workloads).padStart(3)} workloads     ${String(records(network)).padStart(6)}   ${String(fast.value.intents).padStart(7)}   ${fast.ms.toFixed(0).padStart(8)} ms ${slow.ms.toFixed(0).padStart(8)} ms ${(slow.ms / fast.ms).toFixed(1).padStart(7)}×  ${((one.ms * 1000) / flows).toFixed(1)} µs`,
    );
  }
  return rows;
}
