/**
 * A large JSON document written exactly as `JSON.stringify(value, null, 2)` followed by a newline, without ever
 * holding its whole text: `hybridnet plan --json` writes 16 MB at 41 stacks and 84 MB at 201, and one string of
 * it (which V8 holds at two bytes a character once a single "→" is in it) costs a copy for the newline, its
 * encoding at the write and the memory. Each element of a top-level array is stringified on its own, at the
 * depth it has in the document, and the pieces are written in batches of about a megabyte.
 */

/** `JSON.stringify({ a: [element] }, null, 2)` is this head, the element at depth 2, and this tail. */
const ELEMENT_HEAD = '{\n  "a": [\n    '.length;
const ELEMENT_TAIL = "\n  ]\n}".length;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && !("toJSON" in value);
}

/** The text of `value` as `JSON.stringify(value, null, 2)` writes it, in pieces (plain data: no `toJSON` below the top). */
export function* jsonPieces(value: unknown): Generator<string> {
  if (!isPlainObject(value)) {
    const text = JSON.stringify(value, null, 2);
    if (text !== undefined) yield text;
    return;
  }
  let first = true;
  yield "{";
  for (const key of Object.keys(value)) {
    const v = value[key];
    const separator = first ? "\n" : ",\n";
    if (Array.isArray(v) && v.length > 0 && !("toJSON" in v)) {
      first = false;
      yield `${separator}  ${JSON.stringify(key)}: [`;
      for (let i = 0; i < v.length; i++)
        yield `${i === 0 ? "\n    " : ",\n    "}${JSON.stringify({ a: [v[i]] }, null, 2).slice(ELEMENT_HEAD, -ELEMENT_TAIL)}`;
      yield "\n  ]";
      continue;
    }
    // `{\n  "key": value\n}`, or `{}` when the value is one JSON leaves out (undefined, a function).
    const member = JSON.stringify({ [key]: v }, null, 2);
    if (member === "{}") continue;
    first = false;
    yield `${separator}${member.slice(2, -2)}`;
  }
  yield first ? "}" : "\n}";
}

/**
 * Writes `JSON.stringify(value, null, 2)` and a newline through `write`, in batches of about `batchChars`
 * characters; the same bytes as writing the whole text at once.
 */
export function writeJsonDocument(value: unknown, write: (text: string) => void, batchChars = 1 << 20): void {
  let batch: string[] = [];
  let size = 0;
  const flush = () => {
    const text = batch.join("");
    write(text);
    batch = [];
    size = 0;
  };
  for (const piece of jsonPieces(value)) {
    batch.push(piece);
    size += piece.length;
    if (size >= batchChars) flush();
  }
  batch.push("\n");
  flush();
}
