/**
 * The `boundedHeap` cut of cli/offlineSdk.ts, for the one-stack process only (cli/stackProcess.ts `main`; a warm
 * worker's many small stacks keep V8's defaults): the old generation may grow by {@link GROWING_PERCENT} % past
 * what the last full collection left, instead of up to four times as much. A program builds every resource
 * before the first registration answers, so V8 sees a heap that only grows, judges the collector idle and lets
 * the old generation grow far before collecting; when the registrations settle, their chains are garbage there.
 * One stack of 10,001 resources had 233 MB live at most and 441 MB of heap before its last full collection. A
 * collection changes nothing a program can observe.
 */
import * as v8 from "node:v8";

/** How far the old generation grows past what a full collection left before the next one. */
export const GROWING_PERCENT = 35;

/** Turns the bound on. V8 reads the flag each time it sets the next collection's limit. */
export function installBoundedHeap(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${GROWING_PERCENT}`);
}
