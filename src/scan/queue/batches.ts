// How a round's files are cut into queue jobs. A job costs a Redis round trip, a PostgreSQL
// transaction and a poll (8 ms measured, against under 1 ms to read an hourly log), so small files
// travel many to a job; a job is closed at a size in bytes or a count of files, whichever comes
// first, and a round is cut into enough jobs that every worker has some.

export interface BatchLimits {
  /** A job is closed once its files reach this many bytes (a file bigger than this is a job of its own). */
  maxBytes: number;
  /** …or this many files. */
  maxFiles: number;
  /** A round of at least this many files is cut into at least this many jobs, so that every worker has a share. */
  minBatches: number;
}

export const DEFAULT_BATCH: BatchLimits = { maxBytes: 32 * 1024 * 1024, maxFiles: 256, minBatches: 16 };

/** The files' places (in the order given), cut into batches. */
export function cutBatches(sizes: readonly number[], limits: BatchLimits = DEFAULT_BATCH): number[][] {
  const total = sizes.reduce((n, s) => n + s, 0);
  const maxFiles = Math.max(1, Math.min(limits.maxFiles, Math.ceil(sizes.length / limits.minBatches)));
  const maxBytes = Math.max(1, Math.min(limits.maxBytes, Math.ceil(total / limits.minBatches)));
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const [idx, size] of sizes.entries()) {
    if (current.length > 0 && (current.length >= maxFiles || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(idx);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
