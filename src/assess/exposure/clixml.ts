// Just enough XML to read PowerShell CliXml (Export-Clixml): elements, attributes, text, entities and
// PowerShell's _xHHHH_ escapes. No DTDs, no external entities, nothing fetched: the file is evidence.

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

class XmlError extends Error {
  constructor(
    readonly offset: number,
    reason: string,
  ) {
    super(`${reason} at character ${offset}`);
    this.name = 'XmlError';
  }
}

const MAX_DEPTH = 64;

function decodeEntities(text: string, offset: number): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|lt|gt|amp|quot|apos);/g, (_m, ent: string) => {
    if (ent === 'lt') return '<';
    if (ent === 'gt') return '>';
    if (ent === 'amp') return '&';
    if (ent === 'quot') return '"';
    if (ent === 'apos') return "'";
    const code = ent.startsWith('#x') ? Number.parseInt(ent.slice(2), 16) : Number.parseInt(ent.slice(1), 10);
    if (!Number.isFinite(code) || code > 0x10ffff) throw new XmlError(offset, `bad character reference &${ent};`);
    return String.fromCodePoint(code);
  });
}

/** PowerShell writes characters XML cannot hold (CR, LF in a ToString) as _x000D_. */
function decodePsEscapes(text: string): string {
  return text.replace(/_x([0-9a-fA-F]{4})_/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** Parses a whole document and returns its root element. */
function parseXml(source: string): XmlElement {
  let i = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const textEnd = lt === -1 ? source.length : lt;
    if (textEnd > i) {
      const raw = source.slice(i, textEnd);
      const top = stack[stack.length - 1];
      if (top) top.text += decodeEntities(raw, i);
      else if (raw.trim() !== '') throw new XmlError(i, 'text outside the root element');
    }
    if (lt === -1) break;
    i = lt;
    if (source.startsWith('<?', i)) {
      const end = source.indexOf('?>', i);
      if (end === -1) throw new XmlError(i, 'unterminated processing instruction');
      i = end + 2;
    } else if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i);
      if (end === -1) throw new XmlError(i, 'unterminated comment');
      i = end + 3;
    } else if (source.startsWith('<!', i)) {
      throw new XmlError(i, 'DOCTYPE and CDATA are not accepted in CliXml');
    } else if (source.startsWith('</', i)) {
      const end = source.indexOf('>', i);
      if (end === -1) throw new XmlError(i, 'unterminated end tag');
      const name = source.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new XmlError(i, `end tag </${name}> does not match`);
      if (stack.length === 0) root = open;
      i = end + 1;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(source.slice(i, i + 4096));
      if (!m) throw new XmlError(i, 'malformed start tag');
      const el: XmlElement = { name: m[1] ?? '', attrs: {}, children: [], text: '' };
      for (const a of (m[2] ?? '').matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        el.attrs[a[1] ?? ''] = decodeEntities(a[2] ?? a[3] ?? '', i);
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else if (root) throw new XmlError(i, 'a second root element');
      if (m[3] === '/') {
        if (!parent) root = el;
      } else {
        if (stack.length >= MAX_DEPTH) throw new XmlError(i, `nesting deeper than ${MAX_DEPTH}`);
        stack.push(el);
      }
      i += m[0].length;
    }
  }
  if (stack.length > 0) throw new XmlError(source.length, `<${stack[stack.length - 1]?.name ?? ''}> is not closed`);
  if (!root) throw new XmlError(0, 'no root element');
  return root;
}

/** One serialized object: its type names, ToString, and named properties (text or nested objects). */
export interface PsObject {
  types: string[];
  toString: string | undefined;
  props: Map<string, string | PsObject>;
}

function readObj(el: XmlElement, typeRefs: Map<string, string[]>): PsObject {
  let types: string[] = [];
  let toString: string | undefined;
  const props = new Map<string, string | PsObject>();
  for (const c of el.children) {
    if (c.name === 'TN') {
      types = c.children.filter((t) => t.name === 'T').map((t) => t.text);
      if (c.attrs.RefId !== undefined) typeRefs.set(c.attrs.RefId, types);
    } else if (c.name === 'TNRef') {
      types = typeRefs.get(c.attrs.RefId ?? '') ?? [];
    } else if (c.name === 'ToString') {
      toString = decodePsEscapes(c.text);
    } else if (c.name === 'Props' || c.name === 'MS') {
      for (const p of c.children) {
        const name = p.attrs.N;
        if (name === undefined) continue;
        props.set(name, p.name === 'Obj' ? readObj(p, typeRefs) : decodePsEscapes(p.text));
      }
    }
  }
  return { types, toString, props };
}

/** The top-level objects of a CliXml document. */
export function readCliXml(source: string): PsObject[] {
  const root = parseXml(source);
  if (root.name !== 'Objs') throw new XmlError(0, `root element is <${root.name}>, not <Objs>`);
  const typeRefs = new Map<string, string[]>();
  return root.children.filter((c) => c.name === 'Obj').map((c) => readObj(c, typeRefs));
}
