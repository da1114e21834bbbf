/**
 * Overlap detection among many networks: model/addressing's sort-and-sweep against the all-pairs check
 * it replaces, on the same generated networks in the same run.
 */
import { type Cidr, cidrAt, cidrsOverlap, findOverlaps, type NamedCidr } from "../model/addressing";

/** n /24 networks spread over 10.0.0.0/8 with a few planted overlaps (a /23 over two /24s, duplicates). */
function networks(n: number): NamedCidr[] {
  const list: NamedCidr[] = [];
  for (let i = 0; i < n; i++)
    list.push({ name: `net${i}`, cidr: cidrAt(0x0a000000n + BigInt(i) * 256n * 3n, 24, 4) });
  for (let k = 0; k < 5; k++)
    list.push({ name: `planted${k}`, cidr: cidrAt(0x0a000000n + BigInt(k * 997) * 768n, 23, 4) });
  return list;
}

function allPairs(list: readonly NamedCidr[]): number {
  let count = 0;
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++)
      if (cidrsOverlap(list[i].cidr as Cidr, list[j].cidr as Cidr)) count++;
  return count;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

export function benchOverlaps(sizes = [1_000, 10_000]): string[] {
  const rows = ["overlap detection     networks   sort+sweep   all pairs    ratio   overlaps"];
  for (const n of sizes) {
    const list = networks(n);
    const sweep = time(() => findOverlaps(list).length);
    const naive = time(() => allPairs(list));
    if (sweep.value !== naive.value)
      throw new Error(`sweep found ${sweep.value} overlaps, all-pairs ${naive.value}`);
    rows.push(
      `                      ${String(list.length).padStart(8)}   ${sweep.ms.toFixed(1).padStart(8)} ms ${naive.ms.toFixed(1).padStart(8)} ms ${(naive.ms / sweep.ms).toFixed(0).padStart(6)}×   ${sweep.value}`,
    );
  }
  return rows;
}
