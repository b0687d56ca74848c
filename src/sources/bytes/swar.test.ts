import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocAligned, countByte } from './swar.js';

function randomBytes(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    // Bias towards the interesting bytes: letters, separators, and high bytes.
    const pick = (x >>> 16) % 8;
    out[i] = pick === 0 ? 44 : pick === 1 ? 32 : pick === 2 ? 0x40 + ((x >>> 8) % 0x1c) : (x >>> 8) & 0xff;
  }
  return out;
}

test('countByte counts exactly, at every alignment', () => {
  const data = randomBytes(517, 99);
  const buf = allocAligned(517);
  data.copy(buf.bytes);
  for (let from = 0; from < 9; from++) {
    for (const to of [from, from + 1, from + 5, 300, 517]) {
      for (const byte of [44, 32, 0xff]) {
        let want = 0;
        for (let i = from; i < to; i++) if (data[i] === byte) want++;
        assert.equal(countByte(buf, from, to, byte), want, `${byte} in ${from}-${to}`);
      }
    }
  }
});
