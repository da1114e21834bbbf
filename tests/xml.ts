/**
 * A small XML well-formedness check for the report's SVG (no XML parser is a dependency): one root element,
 * tags nested and closed, attribute values quoted and unique per element, no `<` in them, and every `&` a
 * known entity or a character reference. Returns the elements (name, attributes, text) for queries.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (not its children's), entities decoded. */
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;

function decode(s: string, where: string): string {
  for (let i = s.indexOf("&"); i >= 0; i = s.indexOf("&", i + 1)) {
    ENTITY.lastIndex = i;
    if (!ENTITY.test(s)) throw new Error(`${where}: "&" that starts no entity: ${s.slice(i, i + 12)}`);
  }
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
    e.startsWith("#x")
      ? String.fromCodePoint(Number.parseInt(e.slice(2), 16))
      : e.startsWith("#")
        ? String.fromCodePoint(Number(e.slice(1)))
        : ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" } as Record<string, string>)[e],
  );
}

function parseAttributes(source: string, tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  let rest = source.trim();
  while (rest.length > 0) {
    const m = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(rest);
    if (!m) throw new Error(`<${tag}>: bad attribute syntax at "${rest.slice(0, 30)}"`);
    if (m[1] in attributes) throw new Error(`<${tag}>: attribute ${m[1]} twice`);
    const value = m[3] ?? m[4];
    if (value.includes("<")) throw new Error(`<${tag}>: "<" in attribute ${m[1]}`);
    attributes[m[1]] = decode(value, `<${tag} ${m[1]}>`);
    rest = rest.slice(m[0].length);
    if (rest.length > 0 && !/^\s/.test(rest))
      throw new Error(`<${tag}>: attributes must be separated by space`);
    rest = rest.trim();
  }
  return attributes;
}

/** Parses `xml`; throws on the first well-formedness error. */
export function parseXml(xml: string): XmlElement {
  const open: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const text = (s: string) => {
    if (open.length === 0) {
      if (s.trim()) throw new Error(`text outside the root element: "${s.trim().slice(0, 30)}"`);
      return;
    }
    open[open.length - 1].text += decode(s, `<${open[open.length - 1].name}> text`);
  };
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    if (lt < 0) {
      text(xml.slice(i));
      break;
    }
    text(xml.slice(i, lt));
    if (xml.startsWith("<?", lt) || xml.startsWith("<!--", lt)) {
      const end = xml.indexOf(xml.startsWith("<?", lt) ? "?>" : "-->", lt);
      if (end < 0) throw new Error("unclosed declaration or comment");
      i = end + (xml.startsWith("<?", lt) ? 2 : 3);
      continue;
    }
    const gt = xml.indexOf(">", lt);
    if (gt < 0) throw new Error("unclosed tag");
    const inner = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (inner.startsWith("/")) {
      const name = inner.slice(1).trim();
      const top = open.pop();
      if (!top || top.name !== name) throw new Error(`</${name}> closes <${top?.name ?? "nothing"}>`);
      continue;
    }
    const selfClosing = inner.endsWith("/");
    const body = selfClosing ? inner.slice(0, -1) : inner;
    const name = NAME.exec(body)?.[0];
    if (!name) throw new Error(`bad tag <${inner.slice(0, 30)}>`);
    const element: XmlElement = {
      name,
      attributes: parseAttributes(body.slice(name.length), name),
      children: [],
      text: "",
    };
    if (open.length > 0) open[open.length - 1].children.push(element);
    else if (root) throw new Error(`a second root element <${name}>`);
    else root = element;
    if (!selfClosing) open.push(element);
  }
  if (open.length > 0) throw new Error(`<${open[open.length - 1].name}> is not closed`);
  if (!root) throw new Error("no root element");
  return root;
}

/** Every element of a tree, depth first. */
export function allElements(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(allElements)];
}
