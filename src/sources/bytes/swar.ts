// Word-at-a-time byte work over 4-aligned buffers: the scanner spends most of its time here, and
// handling four bytes per step is what keeps a JavaScript reader near native search speed.

/** A Buffer that owns its memory from byte 0, with an Int32 view over the same bytes. */
export interface AlignedBuffer {
  bytes: Buffer;
  words: Int32Array;
}

export function allocAligned(size: number): AlignedBuffer {
  const capacity = (size + 3) & ~3;
  const bytes = Buffer.allocUnsafeSlow(capacity);
  return { bytes, words: new Int32Array(bytes.buffer, bytes.byteOffset, capacity >> 2) };
}

/** How many bytes of `buf[from, to)` equal `byte`. */
export function countByte(buf: AlignedBuffer, from: number, to: number, byte: number): number {
  const b = buf.bytes;
  const words = buf.words;
  let n = 0;
  let i = from;
  const headEnd = Math.min((from + 3) & ~3, to);
  for (; i < headEnd; i++) if (b[i] === byte) n++;
  const pattern = Math.imul(byte, 0x01010101);
  const wordEnd = to >> 2;
  for (let w = i >> 2; w < wordEnd; w++) {
    const x = words[w]! ^ pattern;
    // Exact zero-byte test: bit 7 of each byte of `zero` is set where x had a zero byte.
    const zero = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | 0 | x | 0x7f7f7f7f);
    if (zero !== 0) n += Math.imul((zero >>> 7) & 0x01010101, 0x01010101) >>> 24;
  }
  i = Math.max(i, wordEnd << 2);
  for (; i < to; i++) if (b[i] === byte) n++;
  return n;
}
