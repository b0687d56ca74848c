// Runs a record's BinXML straight into a WinEvent: the template's compiled Plan says which
// substitution values are needed and where they go; nothing else is decoded.

import { EvtxFormatError, need, u16, u32, u64 } from './bytes.js';
import { compileFragment } from './compile.js';
import type { ChunkContext } from './chunk-context.js';
import {
  F_CHANNEL,
  F_COMPUTER,
  F_EVENT_ID,
  F_LEVEL,
  F_PROVIDER,
  F_RECORD_ID,
  F_TIME,
  F_USER_ID,
  OP_DATA,
  OP_FIELD,
  ZONES,
  Z_ROOT,
  type Op,
  type Part,
  type Plan,
} from './plan.js';
import { filetimeIso } from './times.js';
import type { WinEvent } from './types.js';
import { TemplateCache } from './template-cache.js';
import { eventKindColumns } from '../winevent-record.js';
import { ARRAY_FLAG, T_BINXML, T_NULL, arrayItems, valueText } from './values.js';

/** Nested BinXML inside substitutions, inside substitutions...: real logs go two deep. */
const MAX_NESTING = 8;

/** Event kinds whose wantsEvent answer is kept per file; a hostile file's further kinds are asked each time. */
const MAX_KINDS = 4096;

/** One template instance's substitution array: where each value lies, its size and type. */
class Substitutions {
  count = 0;
  off = new Int32Array(64);
  size = new Int32Array(64);
  type = new Uint8Array(64);

  reserve(n: number): void {
    if (n <= this.off.length) return;
    this.off = new Int32Array(n);
    this.size = new Int32Array(n);
    this.type = new Uint8Array(n);
  }
}

const NO_SUBSTITUTIONS = new Substitutions();

export class EventRenderer {
  private c!: ChunkContext;
  private readonly stack: Substitutions[] = [];
  /** Compiled templates of earlier chunks, by template id and zone: the spare for a damaged copy. */
  private readonly byTemplateId = new Map<number, Plan>();
  private readonly shared = new TemplateCache();
  // The event being built.
  private recordId = 0;
  private time = '';
  private eventId = 0;
  private level = -1;
  private provider = '';
  private channel = '';
  private computer = '';
  private userId = '';
  private sawSystem = false;
  private data: Record<string, string> = {};
  /** The data's keys in order, kept only when the renderer makes data for records (see WinEvent.dataKeys). */
  private keys: string[] | undefined;
  /** Next suffix per repeated data name, made only for events that repeat one. */
  private suffixes: Map<string, number> | undefined;
  /** F_* bits of the fields set so far. */
  private fieldsSet = 0;
  /** The event's wantsEvent said no: only its System section was read. */
  private refused = false;
  /** wantsEvent's answers by channel, then provider, then event id: asked once per kind. */
  private readonly answers = new Map<string, Map<string, Map<number, boolean>>>();
  private kinds = 0;

  constructor(
    /** Asked with an event's kind once its System section is read (see ReadOptions.wantsEvent). */
    private readonly wants?: (kind: Readonly<Record<string, string>>) => boolean,
    private readonly forRecords = false,
  ) {}

  /**
   * Renders the record at chunk offset `p` (its header and size already checked). Returns undefined for a
   * record whose BinXML holds no System fields: an empty event is damage, not an event.
   */
  render(c: ChunkContext, p: number, size: number, origin: { chunk: number; offset: number }): WinEvent | undefined {
    this.c = c;
    const b = c.buf;
    this.recordId = u64(b, p + 8);
    this.time = '';
    this.eventId = 0;
    this.level = -1;
    this.provider = '';
    this.channel = '';
    this.computer = '';
    this.userId = '';
    this.sawSystem = false;
    if (this.forRecords) {
      this.data = Object.create(null) as Record<string, string>;
      this.keys = [];
    } else {
      this.data = {};
    }
    this.suffixes = undefined;
    this.fieldsSet = 0;
    this.refused = false;
    this.fragment(p + 24, p + size - 4, Z_ROOT, 0);
    if (!this.sawSystem) return undefined;
    const ev: WinEvent = {
      recordId: this.recordId,
      time: this.time === '' ? filetimeIso(u32(b, p + 16), u32(b, p + 20)) : this.time,
      eventId: this.eventId,
      provider: this.provider,
      channel: this.channel,
      computer: this.computer,
      data: this.data,
      origin,
    };
    if (this.level >= 0) ev.level = this.level;
    if (this.userId !== '') ev.userId = this.userId;
    if (this.keys !== undefined) ev.dataKeys = this.keys;
    if (this.refused) ev.partial = true;
    return ev;
  }

  /**
   * Whether the record's own template (depth 0), its System fields read, is one no one wants. Asked
   * only when those fields named the channel and the event id, so an odd event is always read whole.
   */
  private refuses(): boolean {
    const known = (1 << F_CHANNEL) | (1 << F_EVENT_ID);
    if (this.wants === undefined || (this.fieldsSet & known) !== known) return false;
    // The answer depends on the kind alone (ReadOptions.wantsEvent): making the columns and asking,
    // for every event, was about a tenth of the parser's time.
    let byProvider = this.answers.get(this.channel);
    let byId = byProvider?.get(this.provider);
    const kept = byId?.get(this.eventId);
    if (kept !== undefined) return !kept;
    const wanted = this.wants(eventKindColumns(this.eventId, this.channel, this.provider));
    if (this.kinds < MAX_KINDS) {
      this.kinds++;
      if (byProvider === undefined) this.answers.set(this.channel, (byProvider = new Map<string, Map<number, boolean>>()));
      if (byId === undefined) byProvider.set(this.provider, (byId = new Map<number, boolean>()));
      byId.set(this.eventId, wanted);
    }
    return !wanted;
  }

  private fragment(start: number, end: number, zone: number, depth: number): void {
    if (depth > MAX_NESTING) throw new EvtxFormatError(`BinXML nested more than ${MAX_NESTING} deep at chunk offset ${start}`);
    const b = this.c.buf;
    let p = start;
    need(p, 1, end, 'BinXML');
    if (b[p] === 0x0f) {
      need(p, 5, end, 'fragment header');
      p += 4;
    }
    const t = b[p]!;
    if (t === 0x0c) {
      this.templateInstance(p, end, zone, depth);
    } else if (t === 0x01 || t === 0x41) {
      const { plan } = compileFragment(this.c, p, end, zone, hasDependencyId(b, p, end));
      this.apply(plan, NO_SUBSTITUTIONS, depth);
    } else if (t !== 0x00) {
      throw new EvtxFormatError(`unexpected BinXML token 0x${t.toString(16)} at chunk offset ${p}`);
    }
  }

  private templateInstance(start: number, end: number, zone: number, depth: number): void {
    const b = this.c.buf;
    let p = start;
    need(p, 10, end, 'template instance');
    const templateId = u32(b, p + 2);
    const defOffset = u32(b, p + 6);
    p += 10;
    if (defOffset === p) {
      // The definition is written here, on its first use in the chunk.
      need(p, 24, end, 'template definition');
      p += 24 + u32(b, p + 20);
    }
    const plan = this.plan(templateId, defOffset, zone);
    need(p, 4, end, 'substitution count');
    const count = u32(b, p);
    p += 4;
    if (count * 4 > end - p) throw new EvtxFormatError(`${count} substitutions cannot fit in the record (chunk offset ${p})`);
    while (this.stack.length <= depth) this.stack.push(new Substitutions());
    const subs = this.stack[depth]!;
    subs.reserve(count);
    let v = p + count * 4;
    for (let i = 0; i < count; i++) {
      const size = u16(b, p + 4 * i);
      subs.off[i] = v;
      subs.size[i] = size;
      subs.type[i] = b[p + 4 * i + 2]!;
      v += size;
    }
    if (v > end) throw new EvtxFormatError(`substitution values run ${v - end} bytes past the record (chunk offset ${p})`);
    subs.count = count;
    this.apply(plan, subs, depth);
  }

  private plan(templateId: number, defOffset: number, zone: number): Plan {
    const c = this.c;
    const key = defOffset * ZONES + zone;
    const cached = c.plans.get(key);
    if (cached instanceof EvtxFormatError) throw cached;
    if (cached !== undefined) return cached;
    let plan: Plan;
    try {
      plan = compileTemplate(c, this.shared, templateId, defOffset, zone);
    } catch (e) {
      const reason = `template at chunk offset ${defOffset}: ${e instanceof Error ? e.message : String(e)}`;
      // The same template (its id is the start of its GUID) compiled from another chunk
      // reads the records whose own copy is damaged.
      const spare = this.byTemplateId.get(templateId * ZONES + zone);
      if (spare === undefined) {
        const broken = new EvtxFormatError(reason);
        c.plans.set(key, broken);
        throw broken;
      }
      c.report(defOffset, `${reason}; its records read with template 0x${templateId.toString(16)} from an earlier chunk`);
      plan = spare;
    }
    c.plans.set(key, plan);
    if (!this.byTemplateId.has(templateId * ZONES + zone)) this.byTemplateId.set(templateId * ZONES + zone, plan);
    return plan;
  }

  private apply(plan: Plan, subs: Substitutions, depth: number): void {
    const ops = plan.ops;
    let i = 0;
    if (depth === 0 && this.wants !== undefined) {
      // The ops after the System fields are the costly ones (strings, nested BinXML): in the same
      // order as ever, but only for an event that someone reads.
      for (; i < plan.leadingFields; i++) this.field(ops[i]!, subs, depth);
      if (this.refuses()) {
        this.refused = true;
        return;
      }
    }
    for (; i < ops.length; i++) {
      const op = ops[i]!;
      if (op.kind === OP_FIELD) {
        this.field(op, subs, depth);
      } else if (op.kind === OP_DATA) {
        this.dataEntry(op, subs, depth);
      } else {
        this.text(op.parts, subs, depth);
      }
    }
  }

  private field(op: Op, subs: Substitutions, depth: number): void {
    this.sawSystem = true;
    const value = this.text(op.parts, subs, depth);
    if (value !== null && value !== '') this.setField(op.field, value);
  }

  private dataEntry(op: Op, subs: Substitutions, depth: number): void {
    const only = op.parts.length === 1 ? op.parts[0]! : undefined;
    let items: string[] | undefined;
    if (only !== undefined && only.sub >= 0 && only.sub < subs.count) {
      const type = subs.type[only.sub]!;
      const size = subs.size[only.sub]!;
      // Windows leaves out an element whose only content is an optional substitution with no value.
      if (only.optional && (type === T_NULL || size === 0)) return;
      // And writes an array as the same element repeated, one per item.
      if ((type & ARRAY_FLAG) !== 0) items = arrayItems(this.c.buf, subs.off[only.sub]!, size, type & 0x7f);
    }
    const value = items === undefined ? this.text(op.parts, subs, depth) : undefined;
    if (value === null) return;
    let name = op.nameParts === null ? op.name : (this.text(op.nameParts, subs, depth) ?? '');
    if (name === '') name = 'Data';
    if (items === undefined) this.put(name, value!);
    else for (const item of items) this.put(name, item);
  }

  /** Adds a data entry; a name already taken gets the next free suffix: Data, Data1, Data2... */
  private put(key: string, value: string): void {
    const data = this.data;
    let k = key;
    if (Object.hasOwn(data, k)) {
      this.suffixes ??= new Map();
      let n = this.suffixes.get(key) ?? 1;
      while (Object.hasOwn(data, key + String(n))) n++;
      this.suffixes.set(key, n + 1);
      k = key + String(n);
    }
    // A name from the evidence must not reach Object.prototype.
    if (k === '__proto__') Object.defineProperty(data, k, { value, enumerable: true, writable: true, configurable: true });
    else data[k] = value;
    this.keys?.push(k);
  }

  /** The text of literal parts and substitutions; null when all were nested BinXML (walked instead). */
  private text(parts: Part[], subs: Substitutions, depth: number): string | null {
    if (parts.length === 1) {
      const p = parts[0]!;
      return p.sub < 0 ? p.text : this.substitution(p, subs, depth);
    }
    let s: string | null = parts.length === 0 ? '' : null;
    for (const p of parts) {
      const t = p.sub < 0 ? p.text : this.substitution(p, subs, depth);
      if (t !== null) s = s === null ? t : s + t;
    }
    return s;
  }

  private substitution(p: Part, subs: Substitutions, depth: number): string | null {
    const i = p.sub;
    // A template may name more substitutions than a record supplies: those render empty.
    if (i >= subs.count) return '';
    const type = subs.type[i]!;
    const off = subs.off[i]!;
    const size = subs.size[i]!;
    if (type === T_BINXML) {
      if (size === 0) return '';
      this.fragment(off, off + size, p.zone, depth + 1);
      return null;
    }
    return valueText(this.c.buf, off, size, type);
  }

  private setField(field: number, value: string): void {
    switch (field) {
      case F_RECORD_ID: {
        const n = Number(value);
        if (Number.isSafeInteger(n)) this.recordId = n;
        break;
      }
      case F_TIME:
        this.time = sevenDigits(value);
        break;
      case F_EVENT_ID: {
        const n = Number(value);
        if (Number.isSafeInteger(n) && n >= 0) {
          this.eventId = n > 0xffff ? n & 0xffff : n;
          this.fieldsSet |= 1 << F_EVENT_ID;
        }
        break;
      }
      case F_LEVEL: {
        const n = Number(value);
        if (Number.isSafeInteger(n) && n >= 0) this.level = n;
        break;
      }
      case F_PROVIDER:
        this.provider = value;
        break;
      case F_CHANNEL:
        this.channel = value;
        this.fieldsSet |= 1 << F_CHANNEL;
        break;
      case F_COMPUTER:
        this.computer = value;
        break;
      case F_USER_ID:
        this.userId = value;
        break;
    }
  }
}

const ISO_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/;

/**
 * Forwarded events carry TimeCreated as text ('...:33.833733500Z'); written as a FILETIME it has
 * seven digits. One form for all, so that times sort and compare as strings.
 */
function sevenDigits(time: string): string {
  if (time.length === 28 && time.charCodeAt(19) === 0x2e) return time;
  const m = ISO_TIME.exec(time);
  if (m === null) return time;
  return `${m[1]!}.${(m[2] ?? '').padEnd(7, '0').slice(0, 7)}Z`;
}

/**
 * A template definition: next-offset u32, GUID (whose first u32 is the template id), size u32, BinXML.
 * Compiled once for every chunk that holds the same template (see TemplateCache).
 */
function compileTemplate(c: ChunkContext, shared: TemplateCache, templateId: number, defOffset: number, zone: number): Plan {
  need(defOffset, 24, c.len, 'template definition');
  const found = u32(c.buf, defOffset + 4);
  if (found !== templateId) {
    throw new EvtxFormatError(`the record names template 0x${templateId.toString(16)}, the chunk holds 0x${found.toString(16)} there`);
  }
  const start = defOffset + 24;
  const size = u32(c.buf, defOffset + 20);
  need(start, size, c.len, 'template body');
  if (size < 4 || c.buf[start] !== 0x0f) throw new EvtxFormatError('no BinXML fragment in the template body');
  const known = shared.find(c, templateId, zone, start, size);
  if (known !== undefined) return known;
  const { plan, refs } = compileFragment(c, start, start + size, zone, true);
  if (refs !== undefined) shared.add(c, templateId, zone, start, size, plan, refs);
  return plan;
}

/**
 * Element headers outside templates are written without the u16 dependency id, but not by every
 * writer. A name written inline sits right after its own offset, which tells the two apart.
 */
function hasDependencyId(b: Uint8Array, p: number, end: number): boolean {
  return p + 11 <= end && u32(b, p + 7) === p + 11;
}
