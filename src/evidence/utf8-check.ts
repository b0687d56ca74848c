// Counts the bytes of a text log that are not valid UTF-8 as they pass to its reader, and where the
// first is. Readers decode such bytes as U+FFFD and search the record anyway; this says that they
// did. Each chunk is checked whole by the runtime's validator, so a clean file costs one fast pass;
// only a chunk that fails is walked byte by byte.

import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';

/** Bytes a sequence led by `lead` should have; 0 for a byte that cannot lead one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The range the byte after `lead` must fall in (no overlong forms, no surrogates, nothing past U+10FFFF). */
function secondRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

/** Length of the valid sequence at `i`, or 0 when the byte there starts none. */
function validAt(data: Buffer, i: number): number {
  const n = sequenceLength(data[i]!);
  if (n <= 1 || i + n > data.length) return n === 1 ? 1 : 0;
  const [lo, hi] = secondRange(data[i]!);
  if (data[i + 1]! < lo || data[i + 1]! > hi) return 0;
  for (let k = 2; k < n; k++) if ((data[i + k]! & 0xc0) !== 0x80) return 0;
  return n;
}

/** Where the last complete sequence of `data` ends: a sequence cut by the chunk's end waits for the next. */
function completeEnd(data: Buffer): number {
  for (let back = 1; back <= 3 && back <= data.length; back++) {
    const b = data[data.length - back]!;
    if ((b & 0xc0) === 0x80) continue;
    return sequenceLength(b) > back ? data.length - back : data.length;
  }
  return data.length;
}

export class Utf8Check {
  /** Bytes not valid UTF-8. */
  invalid = 0;
  /** File offset of the first of them. */
  firstAt: number | undefined;
  private carry: Buffer | undefined;
  /** File offset of the next byte to come. */
  private pos = 0;

  async *through(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of chunks) {
      this.take(chunk);
      yield chunk;
    }
    this.end();
  }

  /** The stream has ended: a sequence its last chunk left open is bad. */
  end(): void {
    if (this.carry) this.walk(this.carry, this.pos - this.carry.length);
    this.carry = undefined;
  }

  /** Checks the next chunk of the stream. */
  take(chunk: Buffer): void {
    const held = this.carry;
    const data = held ? Buffer.concat([held, chunk]) : chunk;
    const base = this.pos - (held?.length ?? 0);
    this.pos += chunk.length;
    const end = completeEnd(data);
    const whole = data.subarray(0, end);
    if (!isUtf8(whole)) this.walk(whole, base);
    this.carry = end < data.length ? Buffer.from(data.subarray(end)) : undefined;
  }

  private walk(data: Buffer, base: number): void {
    for (let i = 0; i < data.length;) {
      const n = validAt(data, i);
      if (n > 0) {
        i += n;
        continue;
      }
      this.firstAt ??= base + i;
      this.invalid++;
      i++;
    }
  }
}

/** The 1-based line a file offset falls on: read again from the start, only for a file found to need it. */
export async function lineAt(stream: Readable, offset: number): Promise<number> {
  let line = 1;
  let pos = 0;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    const stop = Math.min(buf.length, offset - pos);
    for (let p = buf.indexOf(10); p !== -1 && p < stop; p = buf.indexOf(10, p + 1)) line++;
    pos += buf.length;
    if (pos >= offset) break;
  }
  stream.destroy();
  return line;
}
