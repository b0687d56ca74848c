import { close, fstat, open, read } from 'node:fs';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type { Options, RandomAccessReader, ZipFile } from 'yauzl';
import { readBuffer } from './aligned.js';
import { yauzl } from './yauzl.js';

/**
 * The archive's bytes for yauzl, read with Node's own positional reads and file streams.
 *
 * yauzl's built-in reader (its fd-slicer) queues each member's reads behind one another and, when a
 * member's stream is destroyed while a read of it is still queued (a damaged member that fails to
 * inflate, a reader that stops early), runs that read against a stream it has already cleared and
 * throws outside any callback: the whole process dies. Several members of one archive are read at
 * once, so ordinary zips hit it too. Node's file streams stop cleanly when destroyed, and positional
 * reads of one descriptor do not disturb one another.
 */
const CHUNK_BYTES = 1 << 20;

/** Bytes [start, end) of a descriptor. Destroying it never closes the descriptor (Node's file streams do). */
class RangeStream extends Readable {
  private pos: number;

  constructor(
    private readonly fd: number,
    start: number,
    private readonly end: number,
  ) {
    super({ highWaterMark: CHUNK_BYTES });
    this.pos = start;
  }

  override _read(): void {
    const want = Math.min(CHUNK_BYTES, this.end - this.pos);
    if (want <= 0) {
      this.push(null);
      return;
    }
    const buffer = readBuffer(want);
    read(this.fd, buffer, 0, want, this.pos, (err, bytesRead) => {
      // A read that lands after the stream was destroyed has no one to give its bytes to.
      if (this.destroyed) return;
      if (err) this.destroy(err);
      else if (bytesRead === 0) this.destroy(new Error(`archive ends at byte ${this.pos}, before the member does`));
      else {
        this.pos += bytesRead;
        this.push(buffer.subarray(0, bytesRead));
      }
    });
  }
}

/** yauzl's reader class over a descriptor: made once, when the first archive is opened (yauzl.ts). */
let FileRangeReader: (new (fd: number) => RandomAccessReader) | undefined;

function fileRangeReader(fd: number): RandomAccessReader {
  FileRangeReader ??= class extends yauzl().RandomAccessReader {
    constructor(private readonly fd: number) {
      super();
    }

    override _readStreamForRange(start: number, end: number): Readable {
      return new RangeStream(this.fd, start, end);
    }

    override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
      read(this.fd, buffer, offset, length, position, (err, bytesRead) => callback(err, bytesRead));
    }

    override close(callback: (err: Error | null) => void): void {
      close(this.fd, (err) => callback(err ?? null));
    }
  };
  return new FileRangeReader(fd);
}

/** Opens an archive for yauzl on a reader that survives members failing or being left part-read. */
export async function openZipFile(path: string, options: Options): Promise<ZipFile> {
  const fd = await promisify(open)(path, 'r');
  try {
    const { size } = await promisify(fstat)(fd);
    return await new Promise<ZipFile>((resolve, reject) => {
      yauzl().fromRandomAccessReader(fileRangeReader(fd), size, options, (err, zip) => (err ? reject(err) : resolve(zip)));
    });
  } catch (err) {
    // On failure yauzl has not taken the reader: the descriptor is still ours to close, whichever step failed.
    await promisify(close)(fd);
    throw err;
  }
}
