// Seeded randomness for the tests that compare a fast path with a plain model: the same seed gives
// the same cases on every machine, so a failure can be run again.

/** A linear congruential generator: `next(n)` is an integer from 0 to n - 1. */
export function seededRandom(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
}

/** One to `max` pieces joined. */
export function randomText(next: (n: number) => number, pieces: readonly string[], max: number): string {
  let out = '';
  const len = 1 + next(max);
  for (let i = 0; i < len; i++) out += pieces[next(pieces.length)];
  return out;
}

/** Records with gaps between them in one latin1 buffer, each marked as one to look at or not. */
export interface RandomBatch {
  bytes: Buffer;
  starts: number[];
  ends: number[];
  /** 1 for a record to look at, 0 for one to leave alone. */
  asked: number[];
}

/** `count` records of up to `recordMax` pieces (one in `emptyOneIn` empty), one in `skipOneIn` not asked about. */
export function randomBatch(
  next: (n: number) => number,
  pieces: readonly string[],
  shape: { count: number; recordMax: number; gapMax: number; emptyOneIn: number; skipOneIn: number },
): RandomBatch {
  const parts: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const asked: number[] = [];
  let at = 0;
  for (let i = 0; i < shape.count; i++) {
    const gap = next(3) === 0 ? randomText(next, pieces, shape.gapMax) : '';
    parts.push(gap);
    at += Buffer.byteLength(gap, 'latin1');
    const record = next(shape.emptyOneIn) === 0 ? '' : randomText(next, pieces, shape.recordMax);
    parts.push(record);
    starts.push(at);
    at += Buffer.byteLength(record, 'latin1');
    ends.push(at);
    asked.push(next(shape.skipOneIn) === 0 ? 0 : 1);
  }
  return { bytes: Buffer.from(parts.join(''), 'latin1'), starts, ends, asked };
}
