// Compiled templates kept across chunks. Every chunk defines its templates again, at offsets of
// its own, so a log of thousands of chunks compiles the same few templates thousands of times.
// A template is what its bytes say, but for its name offsets: a name written inline sits at an
// offset that moves with the template (and its entry's first field links it to another name of the
// chunk), and a name pointed to lives elsewhere in the chunk. So two copies compile to the same
// plan when their bytes agree but for those fields, their inline names sit at the same place in
// each, and every name pointed to reads the same.

import { EvtxFormatError, u32 } from './bytes.js';
import { readName, type ChunkContext } from './chunk-context.js';
import type { NameRef } from './compile.js';
import type { Plan } from './plan.js';

interface Kept {
  plan: Plan;
  /** A copy of the template body it was compiled from: the chunk's buffer is reused. */
  body: Buffer;
  refs: NameRef[];
}

/** Bodies kept at most, in bytes: a hostile log of endless distinct templates must not fill memory. */
const MAX_BYTES = 8 * 1024 * 1024;
/** Copies kept per template id, size and zone (the same id and size can hold other names). */
const MAX_PER_KEY = 8;

export class TemplateCache {
  private readonly byKey = new Map<string, Kept[]>();
  private bytes = 0;

  /** The plan of the template body at [start, start + size) of the chunk, if an identical one was compiled before. */
  find(c: ChunkContext, templateId: number, zone: number, start: number, size: number): Plan | undefined {
    const kept = this.byKey.get(key(templateId, zone, size));
    if (kept === undefined) return undefined;
    for (const k of kept) if (sameTemplate(k, c, start)) return k.plan;
    return undefined;
  }

  add(c: ChunkContext, templateId: number, zone: number, start: number, size: number, plan: Plan, refs: NameRef[]): void {
    if (size > MAX_BYTES) return;
    if (this.bytes + size > MAX_BYTES) {
      this.byKey.clear();
      this.bytes = 0;
    }
    const k = key(templateId, zone, size);
    let kept = this.byKey.get(k);
    if (kept === undefined) {
      kept = [];
      this.byKey.set(k, kept);
    }
    if (kept.length >= MAX_PER_KEY) this.bytes -= kept.shift()!.body.length;
    kept.push({ plan, body: Buffer.from(c.buf.subarray(start, start + size)), refs });
    this.bytes += size;
  }
}

function key(templateId: number, zone: number, size: number): string {
  return `${templateId}:${zone}:${size}`;
}

function sameTemplate(k: Kept, c: ChunkContext, start: number): boolean {
  const b = c.buf;
  const body = k.body;
  let from = 0;
  for (const ref of k.refs) {
    if (!sameBytes(b, start + from, body, from, ref.at)) return false;
    const off = u32(b, start + ref.at);
    const inline = off === start + ref.at + 4;
    if (inline !== ref.inline) return false;
    if (inline) {
      // The entry's own bytes (count and text) are compared with the rest; its link to the next name is the chunk's.
      from = ref.at + 8;
      continue;
    }
    from = ref.at + 4;
    let name: string;
    try {
      name = readName(c, off);
    } catch (e) {
      if (e instanceof EvtxFormatError) return false;
      throw e;
    }
    if (name !== ref.name) return false;
  }
  return sameBytes(b, start + from, body, from, body.length);
}

/** Runs shorter than this are compared in a loop: Buffer.compare's argument checks cost more than a few bytes. */
const LOOP_BYTES = 64;

/** Whether b from `at` holds body[from, to). */
function sameBytes(b: Buffer, at: number, body: Buffer, from: number, to: number): boolean {
  if (to - from >= LOOP_BYTES) return b.compare(body, from, to, at, at + to - from) === 0;
  for (let i = from, j = at; i < to; i++, j++) if (b[j] !== body[i]) return false;
  return true;
}
