import { readEvtx } from '../read-evtx.js';
import type { EvtxDamage, EvtxStats, WinEvent } from '../types.js';

export interface Collected {
  events: WinEvent[];
  damage: EvtxDamage[];
  stats: EvtxStats;
}

function pieces(bytes: Buffer, size: number): AsyncIterable<Buffer> {
  let p = 0;
  const next = (): Promise<IteratorResult<Buffer>> => {
    if (p >= bytes.length) return Promise.resolve({ done: true, value: undefined });
    const piece = bytes.subarray(p, Math.min(p + size, bytes.length));
    p += size;
    return Promise.resolve({ done: false, value: piece });
  };
  return { [Symbol.asyncIterator]: () => ({ next }) };
}

/** Reads `bytes` through readEvtx, fed in pieces of `pieceSize` bytes (the whole file by default). */
export async function collect(bytes: Buffer, pieceSize = bytes.length || 1, wants?: (kind: Readonly<Record<string, string>>) => boolean): Promise<Collected> {
  const events: WinEvent[] = [];
  const damage: EvtxDamage[] = [];
  const stats = await readEvtx(
    pieces(bytes, pieceSize),
    (e) => events.push(e),
    (d) => damage.push(d),
    wants,
  );
  return { events, damage, stats };
}
