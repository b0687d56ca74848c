import { createHash, hash as hashOnce, type Hash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { readBuffer } from './aligned.js';
import type { EvidenceEntry } from './bundle.js';
import { looksUtf16le, utf16leToUtf8 } from './utf16.js';
import { ZipReader } from './zip.js';

const EMPTY = Buffer.alloc(0);

/** A large file's pieces, as its stream reads them. */
const PIECE_BYTES = 1 << 20;
/** The first pieces of a large file, read before its reader is known (more than a format is sniffed by). */
const HEAD_PIECE_BYTES = 64 * 1024;

/** Files up to this size are read in one synchronous call. */
const WHOLE_READ_BYTES = 4 * 1024 * 1024;

/**
 * Reads the file at once into a buffer of `take(n)` (at least n bytes). One byte more than listed is
 * asked for: a regular file's read comes back short only at its end, so the usual file, unchanged
 * since it was listed, takes one open, one read and one close, and no stat. One that has grown since
 * (the read filled the buffer) is read on to its size now.
 */
function readWhole(file: string, expected: number, take: (bytes: number) => Buffer): Buffer {
  const fd = openSync(file, 'r');
  try {
    let buf = take(expected + 1);
    let want = expected + 1;
    let got = 0;
    let looked = false;
    for (;;) {
      const n = readSync(fd, buf, got, want - got, got);
      got += n;
      // A short read is the end of the file.
      if (n === 0 || got < want || looked) break;
      // Grown since it was listed: read on to its size now.
      looked = true;
      want = Math.max(fstatSync(fd).size, got);
      if (want === got) break;
      if (buf.length < want) {
        const bigger = readBuffer(want);
        buf.copy(bigger, 0, 0, got);
        buf = bigger;
      }
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** A small file's bytes in a buffer the opener lends: given back with `release` once no view of them is kept. */
export interface LentBytes {
  bytes: Buffer;
  release(): void;
}

/** Buffers kept for the next small file: as many as are lent at once (the files in flight), the largest kept. */
const KEPT_BUFFERS = 8;
/** The least a lent buffer is made: most hourly logs then fit the first one made. */
const LEAST_BUFFER = 256 * 1024;

let poisonOnRelease = false;

/**
 * Tests: fill each buffer given back with a byte no log holds, and each piece of a large file lent
 * to its reader once the reader asks for the next, so that a view kept past either (which would
 * read another file's bytes, or a later piece's) changes the scan's result.
 */
export function poisonReleasedBuffers(on: boolean): void {
  poisonOnRelease = on;
}

class BufferPool {
  private readonly free: Buffer[] = [];

  take(bytes: number): Buffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i] as Buffer;
      if (b.length >= bytes && (best < 0 || b.length < (this.free[best] as Buffer).length)) best = i;
    }
    if (best >= 0) return this.free.splice(best, 1)[0] as Buffer;
    // A size of its own for a file past the usual: a power of two, so a few sizes serve every file.
    let size = LEAST_BUFFER;
    while (size < bytes) size *= 2;
    return readBuffer(Math.min(size, Math.max(bytes, WHOLE_READ_BYTES + 1)));
  }

  give(buf: Buffer): void {
    if (poisonOnRelease) buf.fill(0xfe);
    this.free.push(buf);
    if (this.free.length > KEPT_BUFFERS) {
      // The smallest goes: a large one would only be made again for the next large file.
      let smallest = 0;
      for (let i = 1; i < this.free.length; i++) if ((this.free[i] as Buffer).length < (this.free[smallest] as Buffer).length) smallest = i;
      this.free.splice(smallest, 1);
    }
  }
}

/** Opens evidence entries for reading; keeps each archive open while its members are read. */
export class EvidenceOpener {
  constructor(
    private readonly zips = new Map<string, Promise<ZipReader>>(),
    private readonly onBytes?: (bytes: number) => void,
    /** The buffers lent for small files, shared with the counting openers. */
    private readonly pool = new BufferPool(),
  ) {}

  /**
   * The same opener, sharing its open archives, that reports every byte read (inflated, for a zip
   * member) as it is read: for the passes that read without hashing. Closed through its parent.
   */
  counting(onBytes: (bytes: number) => void): EvidenceOpener {
    return new EvidenceOpener(this.zips, onBytes, this.pool);
  }

  /**
   * A small file's bytes, read at once and counted; undefined for a large file or an archive's
   * member, which are read as a stream. Thousands of hourly logs are each one read: a stream around
   * the one chunk cost more than reading it.
   */
  wholeBytes(entry: EvidenceEntry): Buffer | undefined {
    const loc = entry.location;
    if (loc.kind !== 'file' || entry.size > WHOLE_READ_BYTES) return undefined;
    const bytes = readWhole(loc.file, entry.size, readBuffer);
    this.onBytes?.(bytes.length);
    return bytes;
  }

  /**
   * wholeBytes in a buffer this opener lends and takes back at `release`, to lend it for a later
   * file: for a reader that keeps no view of the bytes past its file (the scans' passes copy what
   * they keep). A fresh buffer per file, thousands of times, cost an allocation and its page faults
   * each and left the allocator's heap fragmented. Released twice, a buffer is taken back once.
   */
  lend(entry: EvidenceEntry): LentBytes | undefined {
    const loc = entry.location;
    if (loc.kind !== 'file' || entry.size > WHOLE_READ_BYTES) return undefined;
    let buffer: Buffer | undefined;
    const bytes = readWhole(loc.file, entry.size, (n) => (buffer = this.pool.take(n)));
    const lent = buffer as Buffer;
    // Grown past the lent buffer while read: the bytes are in a buffer of their own, the lent one is back at once.
    if (bytes.buffer !== lent.buffer) this.pool.give(lent);
    this.onBytes?.(bytes.length);
    let back = bytes.buffer !== lent.buffer;
    return {
      bytes,
      release: () => {
        if (back) return;
        back = true;
        this.pool.give(lent);
      },
    };
  }

  async open(entry: EvidenceEntry): Promise<Readable> {
    const stream = await this.openUncounted(entry);
    const onBytes = this.onBytes;
    if (!onBytes) return stream;
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const chunk of stream) {
        onBytes!((chunk as Buffer).length);
        yield chunk as Buffer;
      }
    }
    return Readable.from(counted(), { objectMode: false });
  }

  /**
   * A file's bytes in pieces, as `open` gives them, but read into two buffers in turn once `lend()`
   * says the reader keeps no piece (LogReader.keepsNoPiece). A stream reads each piece into new
   * memory, and the system's work to map it was most of the cost of reading: a 268 MB .evtx read as
   * a stream took 0.35 s of CPU, 0.03 s into one buffer. Each piece is read while the reader works
   * on the one before, into the other buffer: read only when asked for, the reading's 0.1 s on that
   * file was waited for, the reader idle.
   */
  async *pieces(entry: EvidenceEntry, lend: () => boolean): AsyncGenerator<Buffer> {
    const loc = entry.location;
    if (loc.kind !== 'file' || entry.size <= WHOLE_READ_BYTES) {
      for await (const chunk of await this.open(entry)) yield chunk as Buffer;
      return;
    }
    const file = await openFile(loc.file, 'r');
    // The buffers lent in turn, made when first lent.
    let kept: [Buffer, Buffer] | undefined;
    let turn = 0;
    const bufferFor = (lent: boolean, at: number): Buffer => {
      // A piece read before the reader is known is new memory the reader may keep: the file's first
      // two (its head, and the one read ahead while the head is looked at) are small, for most readers
      // take the pieces after them in the two lent buffers. Two new MiB for each large log were half
      // of a scan's page faults (27,500 of 68,000 on the bench's 1 GB bundle).
      if (!lent) return readBuffer(at < 2 * HEAD_PIECE_BYTES ? HEAD_PIECE_BYTES : PIECE_BYTES);
      kept ??= [readBuffer(PIECE_BYTES), readBuffer(PIECE_BYTES)];
      turn ^= 1;
      return kept[turn] as Buffer;
    };
    let lentNow = lend();
    let buf = bufferFor(lentNow, 0);
    let reading: Promise<{ bytesRead: number }> | undefined = file.read(buf, 0, buf.length, 0);
    try {
      // Read to the end, wherever it now is: the file may have grown or shrunk since it was listed.
      for (let at = 0; ;) {
        const { bytesRead } = await reading;
        reading = undefined;
        if (bytesRead === 0) return;
        at += bytesRead;
        this.onBytes?.(bytesRead);
        const piece = buf.subarray(0, bytesRead);
        const pieceLent = lentNow;
        // The next piece goes into the other buffer: the reader is done with a piece once it asks
        // for the next, so the one read into now held the piece before this one.
        lentNow = lend();
        buf = bufferFor(lentNow, at);
        reading = file.read(buf, 0, buf.length, at);
        yield piece;
        // Asked for the next: a lent piece is the reader's no longer (tests spoil it, see poisonReleasedBuffers).
        if (pieceLent && poisonOnRelease) piece.fill(0xfe);
      }
    } finally {
      // A reader that stopped early leaves a read in flight: its end is waited for, its failure not thrown.
      await reading?.catch(() => undefined);
      await file.close();
    }
  }

  private async openUncounted(entry: EvidenceEntry): Promise<Readable> {
    const loc = entry.location;
    if (loc.kind === 'file') {
      // Small files, the many hourly logs, are read at once and synchronously: a round trip to the
      // file system's thread pool per open, read and close costs more than the read itself.
      if (entry.size <= WHOLE_READ_BYTES) return Readable.from([readWhole(loc.file, entry.size, readBuffer)], { objectMode: false });
      return createReadStream(loc.file, { highWaterMark: PIECE_BYTES });
    }
    let zip = this.zips.get(loc.archive);
    if (!zip) {
      zip = ZipReader.open(loc.archive);
      this.zips.set(loc.archive, zip);
    }
    return (await zip).stream(loc.index, loc.member);
  }

  async close(): Promise<void> {
    for (const zip of this.zips.values()) {
      try {
        (await zip).close();
      } catch {
        // An archive that failed to open has nothing to close; its failure was reported when read.
      }
    }
    this.zips.clear();
  }
}

/**
 * A small file of the evidence as text (a collector's manifest, a triage tool's own JSON), refused
 * past `maxBytes` as it is read: its declared size is not trusted.
 */
export async function readSmallText(opener: EvidenceOpener, entry: EvidenceEntry, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of await opener.open(entry)) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new Error(`larger than ${maxBytes / 1024 / 1024} MiB`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The file's bytes, hashed as they pass, so every file is read exactly once. `head` collects the
 * first bytes for recognising the format.
 */
export class HashingReader {
  /** Made at the second chunk: a file of one chunk, the usual small log, is hashed in one call. */
  private hash: Hash | undefined;
  private first: Buffer | undefined;
  bytes = 0;

  constructor(
    private readonly stream: AsyncIterable<Buffer> | Iterable<Buffer>,
    private readonly onBytes?: (bytes: number) => void,
    /** false: the bytes are only counted (they are hashed elsewhere: evidence/file-hash.ts). */
    private readonly hashes = true,
  ) {}

  async *chunks(): AsyncGenerator<Buffer> {
    for await (const buf of this.stream) {
      if (!this.hashes) {
        /* counted only */
      } else if (this.hash) this.hash.update(buf);
      else if (this.first === undefined) this.first = buf;
      else {
        this.hash = createHash('sha256').update(this.first).update(buf);
        this.first = undefined;
      }
      this.bytes += buf.length;
      this.onBytes?.(buf.length);
      yield buf;
    }
  }

  digest(): string {
    if (this.hash) return this.hash.digest('hex');
    return hashOnce('sha256', this.first ?? EMPTY, 'hex');
  }
}

/**
 * `peek` of a log's text: a UTF-16LE log (`utf16`) is given as the UTF-8 it decodes to, head and rest,
 * as every pass reads it (its byte offsets then count the text as UTF-8).
 */
export async function peekText(
  source: AsyncIterator<Buffer> | Iterator<Buffer>,
  headBytes: number,
): Promise<{ head: Buffer; rest: AsyncIterable<Buffer>; utf16: boolean }> {
  const { head, rest } = await peek(source, headBytes);
  if (!looksUtf16le(head)) return { head, rest, utf16: false };
  return { ...(await peek(utf16leToUtf8(rest)[Symbol.asyncIterator](), headBytes)), utf16: true };
}

/**
 * Splits a chunk stream into the first `headBytes` bytes (for sniffing) and an iterable that replays
 * them and then continues with the rest, so the format can be decided before the reader starts.
 */
export async function peek(source: AsyncIterator<Buffer> | Iterator<Buffer>, headBytes: number): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const taken: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < headBytes) {
    const next = await source.next();
    if (next.done) {
      done = true;
      break;
    }
    taken.push(next.value);
    size += next.value.length;
  }
  // Usually the first chunk holds the whole head: a view of it, not a copy, for every file read.
  const head = taken.length === 1 ? (taken[0] as Buffer).subarray(0, headBytes) : Buffer.concat(taken).subarray(0, headBytes);
  async function* replay(): AsyncGenerator<Buffer> {
    yield* taken;
    if (done) return;
    for (;;) {
      const next = await source.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, rest: replay() };
}
