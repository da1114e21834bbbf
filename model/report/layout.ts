/**
 * The report's layout: where each box, line of text, link and flow goes. Computed, not simulated: sites and
 * Direct Connect connections in the first column, the hub accounts (stacks with gateways or sites) in the
 * second, the other accounts in a grid after them; inside an account its nodes stand in columns of at most
 * ten. Text is a monospace font, so a line's extent is its length times the advance (0.6 em in DejaVu Sans
 * Mono, the face Debian's Chromium uses for `monospace`, rounded up); every box is as wide as its longest line.
 * Same topology, same numbers: nothing depends on time, randomness or the order of a hash.
 */
import type { FlowPath, Topology, TopologyElement, TopologyLink } from "./types";

export const FONT_SIZE = 12;
/** Horizontal advance of one character at FONT_SIZE, rounded up from 0.6 em. */
export const CHAR_WIDTH = 7.5;
export const LINE_HEIGHT = 16;
/** Longest line drawn; longer ones end in "…" (the details panel shows them whole). */
export const MAX_CHARS = 56;
const PAD = 8;
const GAP = 16;
const MARGIN = 24;
const NODES_PER_COLUMN = 10;
/** Room on a title line for the findings badge. */
const BADGE = 24;
/** An account's header: its name and resource count. */
export const HEADER_HEIGHT = 44;
const HEADER = HEADER_HEIGHT;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A line of text: its baseline's start, and the box it fills. */
export interface PlacedText {
  text: string;
  bold: boolean;
  x: number;
  y: number;
  box: Box;
}

export interface PlacedElement {
  element: TopologyElement;
  box: Box;
  texts: PlacedText[];
  /** Where the findings badge goes, when the element has findings. */
  badge?: { x: number; y: number };
}

export interface PlacedLink {
  link: TopologyLink;
  /** SVG path data. */
  d: string;
}

export interface PlacedFlow {
  flow: FlowPath;
  points: { x: number; y: number }[];
  blockedAt?: { x: number; y: number };
}

export interface Layout {
  width: number;
  height: number;
  title: PlacedText;
  accounts: PlacedElement[];
  nodes: PlacedElement[];
  links: PlacedLink[];
  flows: PlacedFlow[];
}

/** A line as drawn: at most MAX_CHARS characters. */
export function clip(text: string): string {
  return text.length <= MAX_CHARS ? text : `${text.slice(0, MAX_CHARS - 1)}…`;
}

export function textWidth(text: string): number {
  return Math.ceil(text.length * CHAR_WIDTH);
}

function text(s: string, bold: boolean, x: number, top: number): PlacedText {
  const t = clip(s);
  return { text: t, bold, x, y: top + LINE_HEIGHT - 4, box: { x, y: top, w: textWidth(t), h: LINE_HEIGHT } };
}

/** A node's size before it is placed. */
function nodeSize(e: TopologyElement): { w: number; h: number } {
  const widest = Math.max(textWidth(clip(e.title)) + BADGE, ...e.lines.map((l) => textWidth(clip(l))));
  return { w: widest + 2 * PAD, h: 2 * PAD + LINE_HEIGHT * (1 + e.lines.length) };
}

function placeNode(e: TopologyElement, x: number, y: number, w: number): PlacedElement {
  const { h } = nodeSize(e);
  const texts = [e.title, ...e.lines].map((s, i) => text(s, i === 0, x + PAD, y + PAD + i * LINE_HEIGHT));
  return {
    element: e,
    box: { x, y, w, h },
    texts,
    ...(e.findings.length > 0 ? { badge: { x: x + w - PAD - 8, y: y + PAD + 8 } } : {}),
  };
}

const NODE_ORDER = [
  "transitGateway",
  "directConnectGateway",
  "vpnGateway",
  "virtualInterface",
  "vpc",
  "softwareVpnAppliance",
  "clientVpn",
  "endpointService",
  "interfaceEndpoint",
  "gatewayEndpoint",
];

function nodeOrder(a: TopologyElement, b: TopologyElement): number {
  const k = NODE_ORDER.indexOf(a.kind) - NODE_ORDER.indexOf(b.kind);
  return k !== 0 ? k : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A column of nodes: equal widths, stacked with a gap. */
function stack(
  nodes: TopologyElement[],
  x: number,
  y: number,
): { placed: PlacedElement[]; w: number; h: number } {
  const w = Math.max(0, ...nodes.map((n) => nodeSize(n).w));
  const placed: PlacedElement[] = [];
  let top = y;
  for (const n of nodes) {
    const p = placeNode(n, x, top, w);
    placed.push(p);
    top += p.box.h + GAP;
  }
  return { placed, w, h: Math.max(0, top - y - GAP) };
}

/** An account box at (x, y) with its nodes in columns of at most NODES_PER_COLUMN. */
function placeAccount(account: TopologyElement, nodes: TopologyElement[], x: number, y: number) {
  const sorted = [...nodes].sort(nodeOrder);
  const placed: PlacedElement[] = [];
  let left = x + GAP;
  let bottom = y + HEADER;
  for (let i = 0; i < sorted.length; i += NODES_PER_COLUMN) {
    const column = stack(sorted.slice(i, i + NODES_PER_COLUMN), left, y + HEADER);
    placed.push(...column.placed);
    left += column.w + GAP;
    bottom = Math.max(bottom, y + HEADER + column.h + GAP);
  }
  const header = [account.title, ...account.lines].map((s, i) =>
    text(s, i === 0, x + PAD, y + 4 + i * LINE_HEIGHT),
  );
  const headerWidth = Math.max(...header.map((t) => t.box.w)) + 2 * PAD + BADGE;
  const w = Math.max(left - x, headerWidth);
  const box = { x, y, w, h: Math.max(bottom - y, HEADER + PAD) };
  const self: PlacedElement = {
    element: account,
    box,
    texts: header,
    ...(account.findings.length > 0 ? { badge: { x: x + w - PAD - 8, y: y + PAD + 8 } } : {}),
  };
  return { self, nodes: placed };
}

/** How many rows the grid of workload accounts has: about square, at least one. */
function gridRows(count: number): number {
  return Math.max(1, Math.ceil(Math.sqrt(count)));
}

/** Boxes for every element: outside column, hub column, then the grid of the other accounts. */
function placeBoxes(t: Topology): { accounts: PlacedElement[]; nodes: PlacedElement[] } {
  const top = MARGIN + HEADER;
  const outside = t.elements.filter((e) => !e.account).sort(nodeOrder);
  const first = stack(outside, MARGIN, top);
  const nodes: PlacedElement[] = [...first.placed];
  const accounts: PlacedElement[] = [];
  const inAccount = (a: TopologyElement) => t.elements.filter((e) => e.account === a.title);
  const hubs = t.accounts.filter((a) => inAccount(a).some((e) => NODE_ORDER.indexOf(e.kind) < 4));
  const others = t.accounts.filter((a) => !hubs.includes(a));
  let x = MARGIN + (first.w > 0 ? first.w + 3 * GAP : 0);
  const columns = hubs.length > 0 ? [hubs] : [];
  const rows = gridRows(others.length);
  for (let i = 0; i < others.length; i += rows) columns.push(others.slice(i, i + rows));
  for (const column of columns) {
    let y = top;
    let width = 0;
    for (const a of column) {
      const p = placeAccount(a, inAccount(a), x, y);
      accounts.push(p.self);
      nodes.push(...p.nodes);
      y += p.self.box.h + GAP;
      width = Math.max(width, p.self.box.w);
    }
    x += width + 3 * GAP;
  }
  return { accounts, nodes };
}

function centre(b: Box): { x: number; y: number } {
  return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
}

const r1 = (n: number) => Math.round(n * 10) / 10;

/** A curve between two boxes: side to side when apart, out and back on the right when one is above the other. */
function linkPath(a: Box, b: Box): string {
  const [l, r] = a.x <= b.x ? [a, b] : [b, a];
  if (l.x + l.w + GAP <= r.x) {
    const p = { x: l.x + l.w, y: l.y + l.h / 2 };
    const q = { x: r.x, y: r.y + r.h / 2 };
    const dx = Math.max(24, (q.x - p.x) / 2);
    return `M${r1(p.x)} ${r1(p.y)} C${r1(p.x + dx)} ${r1(p.y)} ${r1(q.x - dx)} ${r1(q.y)} ${r1(q.x)} ${r1(q.y)}`;
  }
  const p = { x: a.x + a.w, y: a.y + a.h / 2 };
  const q = { x: b.x + b.w, y: b.y + b.h / 2 };
  const out = Math.max(p.x, q.x) + 2 * GAP;
  return `M${r1(p.x)} ${r1(p.y)} C${r1(out)} ${r1(p.y)} ${r1(out)} ${r1(q.y)} ${r1(q.x)} ${r1(q.y)}`;
}

/** The whole layout of a topology. */
export function layoutTopology(t: Topology): Layout {
  const { accounts, nodes } = placeBoxes(t);
  const boxOf = new Map([...accounts, ...nodes].map((p) => [p.element.id, p.box]));
  const links = t.links.flatMap((link) => {
    const a = boxOf.get(link.from);
    const b = boxOf.get(link.to);
    return a && b ? [{ link, d: linkPath(a, b) }] : [];
  });
  const flows = t.flows.flatMap((flow) => {
    // A small offset per flow, so that flows over the same elements stay apart.
    const shift = ((flow.index % 7) - 3) * 2;
    const points = flow.elements.flatMap((id) => {
      const b = boxOf.get(id);
      return b ? [{ x: r1(centre(b).x + shift), y: r1(centre(b).y + shift) }] : [];
    });
    if (points.length < 2 && !flow.blockedAt) return [];
    const blocked = flow.blockedAt ? boxOf.get(flow.blockedAt) : undefined;
    return [
      {
        flow,
        points,
        ...(blocked ? { blockedAt: { x: r1(blocked.x), y: r1(blocked.y + blocked.h / 2) } } : {}),
      },
    ];
  });
  const all = [...accounts, ...nodes].map((p) => p.box);
  const width = Math.ceil(Math.max(400, ...all.map((b) => b.x + b.w)) + MARGIN + 3 * GAP);
  const height = Math.ceil(Math.max(200, ...all.map((b) => b.y + b.h)) + MARGIN);
  const title = text(`hybridnet plan ${t.env}: topology and flows`, true, MARGIN, MARGIN);
  return { width, height, title, accounts, nodes, links, flows };
}
