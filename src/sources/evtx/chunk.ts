// One 64 KiB chunk slot: check its header and checksums, then read every record it holds,
// skipping (and reporting) what cannot be read and carrying on with the next record.

import { crc32 } from 'node:zlib';
import { u32, u64 } from './bytes.js';
import { newChunkContext } from './chunk-context.js';
import type { EventRenderer } from './render.js';
import type { EvtxDamage, WinEvent } from './types.js';

export const CHUNK_SIZE = 0x10000;
/** Records start after the chunk header, its string table and its template table. */
const RECORDS_START = 512;
const RECORD_HEADER = 24;
/** Header, trailing size copy, and the smallest BinXML (fragment header and end of stream). */
const MIN_RECORD = RECORD_HEADER + 4 + 5;

const CHUNK_MAGIC = Buffer.from('ElfChnk\0', 'latin1');
/** Chunk and file header flag: no checksums written. */
export const NO_CRC32 = 4;
const RECORD_MAGIC = Buffer.from([0x2a, 0x2a, 0x00, 0x00]);

export interface ChunkSink {
  renderer: EventRenderer;
  /** Called once a slot is known to hold records, before any damage in it is reported. */
  chunkFound(): void;
  onEvent(e: WinEvent): void;
  onDamage(d: EvtxDamage): void;
  events: number;
}

/** What a slot turned out to hold; 'garbage' (neither a chunk nor zeros) is left to the caller to report. */
export type SlotKind = 'chunk' | 'zero' | 'garbage';

function isZero(b: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] !== 0) return false;
  return true;
}

function recordSizeAt(b: Buffer, p: number, end: number): number {
  if (p + MIN_RECORD > end || b[p] !== 0x2a || b[p + 1] !== 0x2a || b[p + 2] !== 0 || b[p + 3] !== 0) return 0;
  const size = u32(b, p + 4);
  if (size < MIN_RECORD || p + size > end || u32(b, p + size - 4) !== size) return 0;
  return size;
}

/** The next offset at or after `from` where a whole, self-consistent record header starts, or -1. */
function findRecord(b: Buffer, from: number, end: number): number {
  let p = from;
  for (;;) {
    p = b.indexOf(RECORD_MAGIC, p);
    if (p < 0 || p >= end) return -1;
    if (recordSizeAt(b, p, end) > 0) return p;
    p++;
  }
}

class ChunkReader {
  private readonly ctx;
  /** Header id of the last record seen; -1 before the first. */
  private lastId = -1;

  constructor(
    private readonly b: Buffer,
    private readonly len: number,
    private readonly slot: number,
    /** File offset of the slot's first byte. */
    private readonly base: number,
    private readonly sink: ChunkSink,
  ) {
    this.ctx = newChunkContext(b, len, (at, reason) => this.damage(at, reason));
  }

  damage(at: number, reason: string): void {
    this.sink.onDamage({ offset: this.base + at, chunk: this.slot, reason });
  }

  read(): SlotKind {
    const { b, len } = this;
    if (len < 8 || !b.subarray(0, 8).equals(CHUNK_MAGIC)) return this.readWithoutHeader();
    this.sink.chunkFound();
    if (len < RECORDS_START) {
      this.damage(0, `chunk cut short: the file ends ${len} bytes into its 512-byte header`);
      return 'chunk';
    }
    // Windows 10 can write logs without checksums (flag 4): then nothing is there to check.
    const checked = (u32(b, 120) & NO_CRC32) === 0;
    const stored = u32(b, 124);
    const computed = checked ? crc32(b.subarray(128, RECORDS_START), crc32(b.subarray(0, 120))) : stored;
    const freeSpace = u32(b, 48);
    if (stored !== computed) {
      this.damage(0, `chunk header checksum mismatch (stored 0x${stored.toString(16)}, computed 0x${computed.toString(16)}); records read by scanning`);
      this.records(RECORDS_START, len, false);
      return 'chunk';
    }
    if (freeSpace < RECORDS_START || freeSpace > CHUNK_SIZE) {
      this.damage(48, `chunk free-space offset ${freeSpace} is outside the chunk; records read by scanning`);
      this.records(RECORDS_START, len, false);
      return 'chunk';
    }
    let end = freeSpace;
    if (end > len) {
      this.damage(len, `chunk cut short: the file ends ${len} bytes into it, its records run to ${freeSpace}`);
      end = len;
    } else if (checked) {
      const storedData = u32(b, 52);
      const computedData = crc32(b.subarray(RECORDS_START, end));
      if (storedData !== computedData) {
        this.damage(RECORDS_START, `chunk record data checksum mismatch (stored 0x${storedData.toString(16)}, computed 0x${computedData.toString(16)})`);
      }
    }
    this.records(RECORDS_START, end, true);
    if (end === freeSpace) this.pastFreeSpace(end);
    return 'chunk';
  }

  /**
   * A log copied while in use can hold records its chunk header does not count yet. Only a whole
   * record that continues the id sequence is taken: old bytes in the free space never do.
   */
  private pastFreeSpace(from: number): void {
    let p = from;
    let n = 0;
    for (;;) {
      const size = recordSizeAt(this.b, p, this.len);
      if (size === 0 || this.lastId < 0 || u64(this.b, p + 8) !== this.lastId + 1) break;
      this.record(p, size);
      p += size;
      n++;
    }
    if (n > 0) this.damage(from, `${n} record(s) past the chunk header's free-space offset (a header not yet updated, as in a log copied while in use): read`);
  }

  private readWithoutHeader(): SlotKind {
    const { b, len } = this;
    if (isZero(b, 0, len)) return 'zero';
    const first = findRecord(b, 0, len);
    // Reported by the caller, which merges a run of such slots into one report.
    if (first < 0) return 'garbage';
    this.sink.chunkFound();
    this.damage(0, 'chunk header has no ElfChnk magic; its records read by scanning');
    if (first > RECORDS_START) this.damage(RECORDS_START, `${first - RECORDS_START} unreadable bytes before the first record`);
    this.records(first, len, false);
    return 'chunk';
  }

  /**
   * Reads records in [start, end). `exact`: the header's free-space offset is trusted as the end,
   * so anything that is not a record before it is damage. Otherwise the records end where the
   * bytes turn to zeros, or where the free-space offset says, if nothing readable follows.
   */
  private records(start: number, end: number, exact: boolean): void {
    const b = this.b;
    // Unchecked, the header's free-space offset still tells slack (old bytes) from lost records.
    const freeSpace = u32(b, 48);
    let p = start;
    while (p < end) {
      const size = recordSizeAt(b, p, end);
      if (size > 0) {
        this.record(p, size);
        p += size;
        continue;
      }
      const next = findRecord(b, p + 1, end);
      // Searching on from each bad spot keeps a hostile chunk to one pass over its bytes.
      if (!exact && next < 0 && (p === freeSpace || isZero(b, p, end))) return;
      const skipped = (next < 0 ? end : next) - p;
      this.damage(p, `${this.whyNotRecord(p, end)}; ${skipped} bytes skipped`);
      if (next < 0) return;
      p = next;
    }
  }

  private whyNotRecord(p: number, end: number): string {
    const b = this.b;
    if (p + MIN_RECORD > end) return `${end - p} bytes left, too few for a record`;
    if (b[p] !== 0x2a || b[p + 1] !== 0x2a || b[p + 2] !== 0 || b[p + 3] !== 0) return 'no record magic';
    const size = u32(b, p + 4);
    if (size < MIN_RECORD || p + size > end) return `record size ${size} does not fit the chunk`;
    return `record size ${size} does not match its trailing copy ${u32(b, p + size - 4)}`;
  }

  private record(p: number, size: number): void {
    this.lastId = u64(this.b, p + 8);
    const origin = { chunk: this.slot, offset: this.base + p };
    let event: WinEvent | undefined;
    try {
      event = this.sink.renderer.render(this.ctx, p, size, origin);
    } catch (e) {
      const id = u64(this.b, p + 8);
      this.damage(p, `record ${id}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (event === undefined) {
      this.damage(p, `record ${u64(this.b, p + 8)}: BinXML holds no System section`);
      return;
    }
    this.sink.events++;
    this.sink.onEvent(event);
  }
}

/** Reads one slot (`len` bytes of `b`, fewer than 64 KiB only at the end of a cut-short file). */
export function readChunk(b: Buffer, len: number, slot: number, base: number, sink: ChunkSink): SlotKind {
  return new ChunkReader(b, len, slot, base, sink).read();
}
