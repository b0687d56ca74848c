// Walks a BinXML fragment once and compiles it into a Plan: which text or substitution ends up
// in which WinEvent field. Used for template definitions (cached per chunk) and for the rare
// fragment written without a template.

import { EvtxFormatError, need, u16, u32 } from './bytes.js';
import { inlineNameSize, readName, type ChunkContext } from './chunk-context.js';
import {
  OP_DATA,
  OP_FIELD,
  OP_WALK,
  SYSTEM_ATTRIBUTE_FIELDS,
  SYSTEM_TEXT_FIELDS,
  Z_EVENT,
  Z_EVENTDATA,
  Z_ROOT,
  Z_SKIP,
  Z_SYSTEM,
  Z_USER,
  childZone,
  type Op,
  type Part,
  type Plan,
} from './plan.js';

// Real events nest a few levels; a hostile file must not exhaust the stack.
const MAX_DEPTH = 64;

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

interface Frame {
  name: string;
  zone: number;
  parts: Part[];
  nameParts: Part[] | null;
  hasChild: boolean;
  /** Attributes that became data entries (UserData elements such as CAPI2's carry values there). */
  hasAttributeData: boolean;
}

function pushText(parts: Part[], text: string, zone: number): void {
  const last = parts[parts.length - 1];
  if (last !== undefined && last.sub < 0) last.text += text;
  else parts.push({ text, sub: -1, zone, optional: false });
}

function constText(parts: Part[]): string | undefined {
  let s = '';
  for (const p of parts) {
    if (p.sub >= 0) return undefined;
    s += p.text;
  }
  return s;
}

/** A name offset read while compiling: where it sits in the fragment, and the name it led to. */
export interface NameRef {
  /** Offset of the u32 name offset from the fragment's start. */
  at: number;
  name: string;
  /** The name was written right there (its entry follows the offset) rather than pointed to. */
  inline: boolean;
}

class Compiler {
  readonly ops: Op[] = [];
  readonly refs: NameRef[] = [];
  /** False once an inline name runs past the fragment: its text then depends on bytes outside it. */
  selfContained = true;
  pos: number;

  constructor(
    private readonly c: ChunkContext,
    private readonly start: number,
    private readonly end: number,
    /** Element headers carry a u16 dependency id in template definitions, not elsewhere. */
    private readonly hasDepId: boolean,
  ) {
    this.pos = start;
  }

  private fail(what: string): never {
    throw new EvtxFormatError(`${what} at chunk offset ${this.pos}`);
  }

  fragment(zone: number): void {
    const b = this.c.buf;
    while (this.pos < this.end) {
      const t = b[this.pos]!;
      if (t === 0x00) {
        this.pos++;
        return;
      }
      if (t === 0x0f) {
        need(this.pos, 4, this.end, 'fragment header');
        this.pos += 4;
      } else if (t === 0x01 || t === 0x41) {
        this.element(zone, 0);
      } else if (t === 0x0a || t === 0x0b) {
        this.processingInstruction();
      } else {
        this.fail(`unexpected BinXML token 0x${t.toString(16)} in fragment`);
      }
    }
  }

  /** A name offset, skipping the name where it is written right here. */
  private name(): string {
    need(this.pos, 4, this.end, 'name offset');
    const at = this.pos;
    const off = u32(this.c.buf, at);
    this.pos += 4;
    const name = readName(this.c, off);
    const inline = off === this.pos;
    if (inline) {
      this.pos += inlineNameSize(this.c, off);
      if (this.pos > this.end) this.selfContained = false;
    }
    this.refs.push({ at: at - this.start, name, inline });
    return name;
  }

  private element(zone: number, depth: number): void {
    if (depth > MAX_DEPTH) this.fail('elements nested too deep');
    const b = this.c.buf;
    const hasAttributes = (b[this.pos]! & 0x40) !== 0;
    need(this.pos, this.hasDepId ? 11 : 9, this.end, 'element header');
    this.pos += this.hasDepId ? 7 : 5;
    const frame: Frame = { name: this.name(), zone, parts: [], nameParts: null, hasChild: false, hasAttributeData: false };
    const inner = childZone(zone, frame.name);
    if (hasAttributes) {
      need(this.pos, 4, this.end, 'attribute list size');
      this.pos += 4;
      while (this.pos < this.end && (b[this.pos]! & 0xbf) === 0x06) this.attribute(frame, inner);
    }
    need(this.pos, 1, this.end, 'element');
    const t = b[this.pos]!;
    this.pos++;
    if (t === 0x02) this.content(frame, inner, depth);
    else if (t !== 0x03) this.fail(`expected end of start tag, found token 0x${t.toString(16)}`);
    this.emit(frame);
  }

  private attribute(frame: Frame, inner: number): void {
    this.pos++;
    const name = this.name();
    const parts: Part[] = [];
    while (this.value(parts, inner));
    if (frame.zone === Z_SYSTEM) {
      const field = SYSTEM_ATTRIBUTE_FIELDS.get(`${frame.name}@${name}`);
      if (field !== undefined) this.op(OP_FIELD, field, '', null, parts);
    } else if (frame.zone === Z_EVENTDATA && name === 'Name' && frame.name === 'Data') {
      frame.nameParts = parts;
    } else if (frame.zone === Z_USER && name !== 'xmlns' && !name.startsWith('xmlns:')) {
      frame.hasAttributeData = true;
      this.op(OP_DATA, 0, `${frame.name}.${name}`, null, parts);
    }
  }

  private content(frame: Frame, inner: number, depth: number): void {
    const b = this.c.buf;
    for (;;) {
      need(this.pos, 1, this.end, 'element content');
      const t = b[this.pos]!;
      if (t === 0x04) {
        this.pos++;
        return;
      }
      if (t === 0x01 || t === 0x41) {
        frame.hasChild = true;
        this.element(inner, depth + 1);
      } else if (t === 0x0a || t === 0x0b) {
        this.processingInstruction();
      } else if (!this.value(frame.parts, inner)) {
        this.fail(`unexpected BinXML token 0x${t.toString(16)} in element <${frame.name}>`);
      }
    }
  }

  /** Reads one piece of text or substitution into `parts`; false when the next token is neither. */
  private value(parts: Part[], zone: number): boolean {
    const b = this.c.buf;
    const t = b[this.pos]!;
    switch (t & 0xbf) {
      case 0x05: {
        need(this.pos, 4, this.end, 'value');
        const type = b[this.pos + 1]!;
        if (type !== 0x01) this.fail(`value token of type 0x${type.toString(16)}`);
        const count = u16(b, this.pos + 2);
        need(this.pos + 4, count * 2, this.end, 'value text');
        pushText(parts, b.toString('utf16le', this.pos + 4, this.pos + 4 + count * 2), zone);
        this.pos += 4 + count * 2;
        return true;
      }
      case 0x0d:
      case 0x0e:
        need(this.pos, 4, this.end, 'substitution');
        parts.push({ text: '', sub: u16(b, this.pos + 1), zone, optional: t === 0x0e });
        this.pos += 4;
        return true;
      case 0x08:
        need(this.pos, 3, this.end, 'character reference');
        pushText(parts, String.fromCharCode(u16(b, this.pos + 1)), zone);
        this.pos += 3;
        return true;
      case 0x09: {
        this.pos++;
        const entity = this.name();
        pushText(parts, ENTITIES[entity] ?? `&${entity};`, zone);
        return true;
      }
      case 0x07: {
        need(this.pos, 3, this.end, 'CDATA');
        const count = u16(b, this.pos + 1);
        need(this.pos + 3, count * 2, this.end, 'CDATA text');
        pushText(parts, b.toString('utf16le', this.pos + 3, this.pos + 3 + count * 2), zone);
        this.pos += 3 + count * 2;
        return true;
      }
      default:
        return false;
    }
  }

  private processingInstruction(): void {
    const b = this.c.buf;
    if (b[this.pos] === 0x0a) {
      this.pos++;
      this.name();
    } else {
      need(this.pos, 3, this.end, 'processing instruction');
      this.pos += 3 + u16(b, this.pos + 1) * 2;
    }
  }

  private emit(f: Frame): void {
    if (f.zone === Z_SYSTEM) {
      const field = SYSTEM_TEXT_FIELDS.get(f.name);
      if (field !== undefined && f.parts.length > 0) this.op(OP_FIELD, field, '', null, f.parts);
      return;
    }
    if (f.zone === Z_SKIP || (f.parts.length === 0 && (f.hasChild || f.zone === Z_EVENT))) return;
    if (f.hasChild || f.zone === Z_ROOT || (f.name === 'System' && f.zone === Z_EVENT)) {
      // Mixed content is not data, but a substitution here may be nested BinXML: Security
      // events put their whole <EventData> in one, straight under <Event>.
      const subs = f.parts.filter((p) => p.sub >= 0);
      if (subs.length > 0) this.op(OP_WALK, 0, '', null, subs);
      return;
    }
    if (f.zone === Z_EVENTDATA && f.name === 'Data') {
      const fixed = f.nameParts === null ? '' : constText(f.nameParts);
      this.op(OP_DATA, 0, fixed ?? '', fixed === undefined ? f.nameParts : null, f.parts);
    } else if (f.zone === Z_USER && f.parts.length === 0 && f.hasAttributeData) {
      // Its attributes said it all; an empty entry would only add noise.
    } else if (f.zone !== Z_EVENT || f.name !== 'RenderingInfo') {
      // A leaf: Binary in EventData, a UserData leaf, or <UserData>%n</UserData> whose
      // substitution is almost always nested BinXML (then walked, and no entry made for it).
      this.op(OP_DATA, 0, f.name, null, f.parts);
    }
  }

  private op(kind: Op['kind'], field: number, name: string, nameParts: Part[] | null, parts: Part[]): void {
    this.ops.push({ kind, field, name, nameParts, parts });
  }
}

/** A compiled fragment, with the name offsets it read; `refs` is undefined when the plan depends on bytes outside the fragment. */
export interface Compiled {
  plan: Plan;
  refs: NameRef[] | undefined;
}

/** Compiles the fragment in [start, end) of the chunk, whose elements sit in `zone`. */
export function compileFragment(c: ChunkContext, start: number, end: number, zone: number, hasDepId: boolean): Compiled {
  const compiler = new Compiler(c, start, end, hasDepId);
  compiler.fragment(zone);
  const ops = compiler.ops;
  let leadingFields = 0;
  while (leadingFields < ops.length && ops[leadingFields]!.kind === OP_FIELD) leadingFields++;
  return { plan: { ops, leadingFields }, refs: compiler.selfContained ? compiler.refs : undefined };
}
