import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';

/** Rows are gathered into chunks of about this size before they go to the stream. */
const CHUNK_BYTES = 64 * 1024;
/**
 * How much a stream may hold before the writer waits for it. Larger than a chunk, so that
 * computing rows and writing them overlap; small enough that the few open files stay cheap.
 */
const STREAM_BUFFER = 512 * 1024;

/**
 * One log file being written. Text is gathered into small chunks and written through a stream
 * that is awaited when it asks to drain, so memory stays bounded however large the file grows.
 */
export class LogSink {
  private stream: WriteStream | undefined;
  private parts: string[] = [];
  private pending = 0;
  private failure: Error | undefined;
  /** Bytes handed to the stream so far. */
  written = 0;

  constructor(
    private readonly root: string,
    /** Path inside the bundle, `/`-separated. */
    readonly path: string,
    private readonly dirs: Set<string>,
  ) {}

  /** Adds text; true when enough is gathered that the caller should await `flush()`. */
  push(text: string): boolean {
    this.parts.push(text);
    this.pending += text.length;
    return this.pending >= CHUNK_BYTES;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const stream = this.stream ?? (await this.open());
    const chunk = this.parts.join('');
    this.parts = [];
    this.pending = 0;
    this.written += Buffer.byteLength(chunk);
    this.check();
    if (!stream.write(chunk)) await once(stream, 'drain');
    this.check();
  }

  async close(): Promise<void> {
    await this.flush();
    if (!this.stream) return;
    this.stream.end();
    await finished(this.stream);
    this.check();
  }

  /** Gives up on the file after a failure elsewhere: no more writes, the descriptor is released. */
  destroy(): void {
    this.parts = [];
    this.stream?.destroy();
  }

  private async open(): Promise<WriteStream> {
    const file = join(this.root, ...this.path.split('/'));
    const dir = dirname(file);
    if (!this.dirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.dirs.add(dir);
    }
    // 'wx': a demo never overwrites a file that is already there.
    const stream = createWriteStream(file, { flags: 'wx', highWaterMark: STREAM_BUFFER });
    stream.on('error', (err) => {
      this.failure = err;
    });
    this.stream = stream;
    return stream;
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }
}
