import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from './prng.js';

describe('Rng', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 50 }, () => a.u32());
    assert.deepEqual(
      seqA,
      Array.from({ length: 50 }, () => b.u32()),
    );
    assert.notDeepEqual(
      seqA,
      Array.from({ length: 50 }, () => c.u32()),
    );
  });

  it('keeps values in range and spreads them', () => {
    const r = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.range(3, 7);
      assert.ok(v >= 3 && v <= 7);
      seen.add(v);
      const x = r.next();
      assert.ok(x >= 0 && x < 1);
    }
    assert.deepEqual([...seen].sort(), [3, 4, 5, 6, 7]);
  });

  it('makes well-formed GUIDs', () => {
    const r = new Rng(9);
    for (let i = 0; i < 100; i++) assert.match(r.guid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
