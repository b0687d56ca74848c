// Test support: feed a reader the same bytes in chunks of a chosen size and collect what it says.

import type { LogRecord } from '../../core/types.js';
import type { LogReader, ReadStats } from '../reader.js';

export async function* chunksOf(data: Buffer, size: number): AsyncIterable<Buffer> {
  for (let i = 0; i < data.length; i += size) {
    await Promise.resolve();
    // A copy, so that a reader keeping a chunk it was handed would be caught by the results.
    yield Buffer.from(data.subarray(i, i + size));
  }
}

export async function* splitAt(data: Buffer, cut: number): AsyncIterable<Buffer> {
  await Promise.resolve();
  if (cut > 0) yield Buffer.from(data.subarray(0, cut));
  if (cut < data.length) yield Buffer.from(data.subarray(cut));
}

export interface ReadResult {
  stats: ReadStats;
  records: LogRecord[];
}

export async function readWith(reader: LogReader, chunks: AsyncIterable<Buffer>, literals?: readonly string[], path = 'test.log'): Promise<ReadResult> {
  const records: LogRecord[] = [];
  const stats = await reader.read(chunks, {
    path,
    ...(literals ? { literals } : {}),
    onRecord: (r) => records.push(r),
  });
  return { stats, records };
}

export function readText(reader: LogReader, text: string | Buffer, chunkSize = 64 * 1024, literals?: readonly string[]): Promise<ReadResult> {
  const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return readWith(reader, chunksOf(data, chunkSize), literals);
}

/** Lower-cases ASCII letters only, as the literal pre-filter does for ASCII literals. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}
