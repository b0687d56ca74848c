import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocAligned, countByte, lowerAsciiRange } from './swar.js';

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

test('lowerAsciiRange folds A–Z only, at every alignment, and leaves bytes outside the range alone', () => {
  const data = randomBytes(1000, 7);
  const src = allocAligned(1000);
  data.copy(src.bytes);
  for (const [from, to] of [[0, 1000], [1, 999], [2, 3], [3, 8], [5, 5], [997, 1000]] as const) {
    const dst = allocAligned(1000);
    dst.bytes.fill(0xaa);
    lowerAsciiRange(src, dst, from, to);
    for (let i = 0; i < 1000; i++) {
      const c = data[i]!;
      const want = i < from || i >= to ? 0xaa : c >= 65 && c <= 90 ? c + 32 : c;
      assert.equal(dst.bytes[i], want, `byte ${i} of range ${from}-${to}`);
    }
  }
});

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
