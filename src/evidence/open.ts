import { createHash, hash as hashOnce, type Hash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { EvidenceEntry } from './bundle.js';
import { ZipReader } from './zip.js';

const EMPTY = Buffer.alloc(0);

/** A large file's pieces, as its stream reads them. */
const PIECE_BYTES = 1 << 20;

/** Files up to this size are read in one synchronous call. */
const WHOLE_READ_BYTES = 4 * 1024 * 1024;

/** Reads the file at once, into `scratch` when it is large enough, else into a new buffer. */
function readWhole(file: string, expected: number, scratch?: Buffer): Buffer {
  const fd = openSync(file, 'r');
  try {
    // The file may have grown or shrunk since it was listed: read what is there now, to the end.
    const { size } = fstatSync(fd);
    const want = Math.max(size, expected);
    const buf = scratch && scratch.length >= want ? scratch.subarray(0, want) : Buffer.allocUnsafe(want);
    let got = 0;
    for (;;) {
      if (got === buf.length) break;
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Opens evidence entries for reading; keeps each archive open while its members are read. */
export class EvidenceOpener {
  constructor(
    private readonly zips = new Map<string, Promise<ZipReader>>(),
    private readonly onBytes?: (bytes: number) => void,
    /** lookAt's buffer, shared with the counting openers: `look` is synchronous, so no other read has it meanwhile. */
    private readonly scratch: { bytes?: Buffer } = {},
  ) {}

  /**
   * The same opener, sharing its open archives, that reports every byte read (inflated, for a zip
   * member) as it is read: for the passes that read without hashing. Closed through its parent.
   */
  counting(onBytes: (bytes: number) => void): EvidenceOpener {
    return new EvidenceOpener(this.zips, onBytes, this.scratch);
  }

  /**
   * A small file's bytes, read at once and counted; undefined for a large file or an archive's
   * member, which are read as a stream. Thousands of hourly logs are each one read: a stream around
   * the one chunk cost more than reading it.
   */
  wholeBytes(entry: EvidenceEntry): Buffer | undefined {
    const loc = entry.location;
    if (loc.kind !== 'file' || entry.size > WHOLE_READ_BYTES) return undefined;
    const bytes = readWhole(loc.file, entry.size);
    this.onBytes?.(bytes.length);
    return bytes;
  }

  /**
   * What `look` makes of a small file's bytes, read into one buffer this opener keeps and reuses
   * (undefined as wholeBytes is): for a search that keeps nothing of them, such as the follow
   * pass's check of every log for the attackers. A fresh buffer per file, thousands of times, left
   * the allocator's heap fragmented (tens of MiB of peak memory on the 1 GB bench).
   */
  lookAt<T>(entry: EvidenceEntry, look: (bytes: Buffer) => T): { value: T } | undefined {
    const loc = entry.location;
    if (loc.kind !== 'file' || entry.size > WHOLE_READ_BYTES) return undefined;
    this.scratch.bytes ??= Buffer.allocUnsafe(WHOLE_READ_BYTES);
    const bytes = readWhole(loc.file, entry.size, this.scratch.bytes);
    this.onBytes?.(bytes.length);
    return { value: look(bytes) };
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
   * A file's bytes in pieces, as `open` gives them, but read into one buffer again and again once
   * `lend()` says the reader keeps no piece (LogReader.keepsNoPiece). A stream reads each piece
   * into new memory, and the system's work to map it was most of the cost of reading: a 268 MB
   * .evtx read as a stream took 0.35 s of CPU, 0.03 s into one buffer.
   */
  async *pieces(entry: EvidenceEntry, lend: () => boolean): AsyncGenerator<Buffer> {
    const loc = entry.location;
    if (loc.kind !== 'file' || entry.size <= WHOLE_READ_BYTES) {
      for await (const chunk of await this.open(entry)) yield chunk as Buffer;
      return;
    }
    const file = await openFile(loc.file, 'r');
    try {
      let kept: Buffer | undefined;
      // Read to the end, wherever it now is: the file may have grown or shrunk since it was listed.
      for (let at = 0; ;) {
        const buf = lend() ? (kept ??= Buffer.allocUnsafe(PIECE_BYTES)) : Buffer.allocUnsafe(PIECE_BYTES);
        const { bytesRead } = await file.read(buf, 0, PIECE_BYTES, at);
        if (bytesRead === 0) return;
        at += bytesRead;
        this.onBytes?.(bytesRead);
        yield buf.subarray(0, bytesRead);
      }
    } finally {
      await file.close();
    }
  }

  private async openUncounted(entry: EvidenceEntry): Promise<Readable> {
    const loc = entry.location;
    if (loc.kind === 'file') {
      // Small files, the many hourly logs, are read at once and synchronously: a round trip to the
      // file system's thread pool per open, read and close costs more than the read itself.
      if (entry.size <= WHOLE_READ_BYTES) return Readable.from([readWhole(loc.file, entry.size)], { objectMode: false });
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
  ) {}

  async *chunks(): AsyncGenerator<Buffer> {
    for await (const buf of this.stream) {
      if (this.hash) this.hash.update(buf);
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
