import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { EvidenceEntry } from './bundle.js';
import { ZipReader } from './zip.js';

/** Opens evidence entries for reading; keeps each archive open while its members are read. */
export class EvidenceOpener {
  private readonly zips = new Map<string, Promise<ZipReader>>();

  async open(entry: EvidenceEntry): Promise<Readable> {
    const loc = entry.location;
    // A buffer no larger than the file: small logs are many, and 1 MiB each only feeds the collector.
    if (loc.kind === 'file') return createReadStream(loc.file, { highWaterMark: Math.min(1 << 20, Math.max(16 << 10, entry.size + 1)) });
    let zip = this.zips.get(loc.archive);
    if (!zip) {
      zip = ZipReader.open(loc.archive);
      this.zips.set(loc.archive, zip);
    }
    return (await zip).stream(loc.member);
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
 * The file's bytes, hashed as they pass, so every file is read exactly once. `head` collects the
 * first bytes for recognising the format.
 */
export class HashingReader {
  readonly hash: Hash = createHash('sha256');
  bytes = 0;

  constructor(
    private readonly stream: Readable,
    private readonly onBytes?: (bytes: number) => void,
  ) {}

  async *chunks(): AsyncGenerator<Buffer> {
    for await (const chunk of this.stream) {
      const buf = chunk as Buffer;
      this.hash.update(buf);
      this.bytes += buf.length;
      this.onBytes?.(buf.length);
      yield buf;
    }
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * Splits a chunk stream into the first `headBytes` bytes (for sniffing) and an iterable that replays
 * them and then continues with the rest, so the format can be decided before the reader starts.
 */
export async function peek(
  source: AsyncIterator<Buffer>,
  headBytes: number,
): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
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
