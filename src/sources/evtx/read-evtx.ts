// Streams an .evtx file: the 4 KiB file header, then every 64 KiB slot after it, whatever the
// header says about how many chunks there are (dirty logs hold more than it counts).

import { crc32 } from 'node:zlib';
import { u16, u32 } from './bytes.js';
import { CHUNK_SIZE, NO_CRC32, readChunk, type ChunkSink } from './chunk.js';
import { EventRenderer } from './render.js';
import type { EvtxDamage, EvtxStats, WinEvent } from './types.js';

const FILE_HEADER_SIZE = 0x1000;
const FILE_MAGIC = Buffer.from('ElfFile\0', 'latin1');

class EvtxFile {
  private readonly header = Buffer.alloc(FILE_HEADER_SIZE);
  private headerFill = 0;
  private readonly slot = Buffer.alloc(CHUNK_SIZE);
  private slotFill = 0;
  private slotIndex = 0;
  /** Chunks the file header claims; zero when the header cannot be read. */
  private headerChunks = 0;
  /** Consecutive slots that are not chunks, reported together. */
  private run: { kind: RunKind; first: number; n: number } | undefined;
  private chunks = 0;
  private damaged = 0;
  private readonly sink: ChunkSink;

  constructor(
    onEvent: (e: WinEvent) => void,
    private readonly onDamage: (d: EvtxDamage) => void,
    wants: ((kind: Readonly<Record<string, string>>) => boolean) | undefined,
    forRecords: boolean,
  ) {
    this.sink = {
      renderer: new EventRenderer(wants, forRecords),
      onEvent,
      onDamage: (d) => this.damage(d),
      chunkFound: () => this.flushRun(true),
      events: 0,
    };
  }

  private damage(d: EvtxDamage): void {
    this.damaged++;
    this.onDamage(d);
  }

  push(piece: Buffer): void {
    let i = 0;
    if (this.headerFill < FILE_HEADER_SIZE) {
      const n = Math.min(FILE_HEADER_SIZE - this.headerFill, piece.length);
      piece.copy(this.header, this.headerFill, 0, n);
      this.headerFill += n;
      i = n;
      if (this.headerFill === FILE_HEADER_SIZE) this.checkHeader();
    }
    while (i < piece.length) {
      if (this.slotFill === 0 && piece.length - i >= CHUNK_SIZE) {
        // The common case when reading in large pieces: no copy.
        this.slotDone(piece.subarray(i, i + CHUNK_SIZE), CHUNK_SIZE);
        i += CHUNK_SIZE;
        continue;
      }
      const n = Math.min(CHUNK_SIZE - this.slotFill, piece.length - i);
      piece.copy(this.slot, this.slotFill, i, i + n);
      this.slotFill += n;
      i += n;
      if (this.slotFill === CHUNK_SIZE) {
        this.slotFill = 0;
        this.slotDone(this.slot, CHUNK_SIZE);
      }
    }
  }

  end(): EvtxStats {
    if (this.headerFill < FILE_HEADER_SIZE) {
      this.damage({
        offset: 0,
        reason: this.headerFill === 0 ? 'empty file' : `file is ${this.headerFill} bytes, shorter than the 4096-byte file header`,
      });
    } else if (this.slotFill > 0) {
      this.slotDone(this.slot, this.slotFill);
    }
    this.flushRun(false);
    return { events: this.sink.events, damaged: this.damaged, chunks: this.chunks };
  }

  private checkHeader(): void {
    const h = this.header;
    if (!h.subarray(0, 8).equals(FILE_MAGIC)) {
      this.damage({ offset: 0, reason: 'file header has no ElfFile magic; chunks read from offset 0x1000 anyway' });
      return;
    }
    const stored = u32(h, 124);
    const computed = (u32(h, 120) & NO_CRC32) === 0 ? crc32(h.subarray(0, 120)) : stored;
    if (stored !== computed) {
      this.damage({ offset: 124, reason: `file header checksum mismatch (stored 0x${stored.toString(16)}, computed 0x${computed.toString(16)})` });
      return;
    }
    this.headerChunks = u16(h, 42);
  }

  private slotDone(b: Buffer, len: number): void {
    const k = this.slotIndex++;
    const kind = readChunk(b, len, k, slotOffset(k), this.sink);
    if (kind === 'chunk') {
      this.chunks++;
    } else if (len < CHUNK_SIZE) {
      this.flushRun(false);
      this.damage({
        offset: slotOffset(k),
        chunk: k,
        reason:
          kind === 'zero'
            ? `file ends ${len} bytes into a chunk slot (zero bytes, not a whole chunk)`
            : `the ${len} bytes after the last whole chunk hold no chunk and no readable record`,
      });
    } else {
      const run: RunKind = kind === 'garbage' ? 'garbage' : k < this.headerChunks ? 'zero-counted' : 'zero';
      if (this.run !== undefined && this.run.kind === run) {
        this.run.n++;
      } else {
        this.flushRun(false);
        this.run = { kind: run, first: k, n: 1 };
      }
    }
  }

  /**
   * Reports a run of empty or unreadable slots as one damage. Zero-filled slots past the
   * chunks the header counts are unused space, unless a chunk follows them.
   */
  private flushRun(chunkFollows: boolean): void {
    const run = this.run;
    if (run === undefined) return;
    this.run = undefined;
    if (run.kind === 'zero' && !chunkFollows) return;
    const slots = run.n === 1 ? `chunk slot ${run.first} is` : `${run.n} chunk slots (${run.first} to ${run.first + run.n - 1}) are`;
    const why =
      run.kind === 'garbage'
        ? 'neither a chunk nor zeros, and hold no readable record'
        : run.kind === 'zero-counted'
          ? `zero-filled, though the file header counts ${this.headerChunks} chunks`
          : 'zero-filled, though a later chunk follows';
    this.damage({ offset: slotOffset(run.first), chunk: run.first, reason: `${slots} ${why}` });
  }
}

type RunKind = 'zero' | 'zero-counted' | 'garbage';

function slotOffset(k: number): number {
  return FILE_HEADER_SIZE + k * CHUNK_SIZE;
}

/**
 * Streams a file's bytes (any piece sizes) and yields events; damage is reported, never thrown. An
 * event `wants` refuses is yielded `partial`, its System fields only (see ReadOptions.wantsEvent).
 * `forRecords`: each event's data is made for its record to take over (see WinEvent.dataKeys).
 */
export async function readEvtx(
  chunks: AsyncIterable<Buffer>,
  onEvent: (e: WinEvent) => void,
  onDamage: (d: EvtxDamage) => void,
  wants?: (kind: Readonly<Record<string, string>>) => boolean,
  forRecords = false,
): Promise<EvtxStats> {
  const file = new EvtxFile(onEvent, onDamage, wants, forRecords);
  for await (const piece of chunks) file.push(piece);
  return file.end();
}
