// What the BinXML of one chunk shares: its bytes, and the names and templates it defines.
// Every offset inside BinXML is relative to the chunk's first byte.

import { need, u16 } from './bytes.js';
import type { EvtxFormatError } from './bytes.js';
import type { Plan } from './plan.js';

export interface ChunkContext {
  buf: Buffer;
  /** Bytes of the chunk present (less than 64 KiB when the file is cut short). */
  len: number;
  names: Map<number, string>;
  /** Compiled templates by definition offset and zone (offset * ZONES + zone); an Error when broken. */
  plans: Map<number, Plan | EvtxFormatError>;
  /** Damage found while reading records that does not stop the record being read. */
  report(offset: number, reason: string): void;
}

export function newChunkContext(buf: Buffer, len: number, report: (offset: number, reason: string) => void): ChunkContext {
  return { buf, len, names: new Map(), plans: new Map(), report };
}

/** A name entry: next-offset u32, hash u16, length u16, UTF-16 characters, NUL. */
export function readName(c: ChunkContext, off: number): string {
  const cached = c.names.get(off);
  if (cached !== undefined) return cached;
  need(off, 8, c.len, 'name');
  const count = u16(c.buf, off + 6);
  need(off + 8, count * 2, c.len, 'name text');
  const name = c.buf.toString('utf16le', off + 8, off + 8 + count * 2);
  c.names.set(off, name);
  return name;
}

/** Bytes a name takes where it is written inline, after the offset that points at it. */
export function inlineNameSize(c: ChunkContext, off: number): number {
  return 10 + u16(c.buf, off + 6) * 2;
}
