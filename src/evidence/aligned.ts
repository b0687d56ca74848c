// The buffers evidence is read into. On the AMD EPYC machines measured here the kernel copied a
// read into memory that was not 64-byte aligned at a third of the speed (7 December 2026: 5,512
// hourly logs, 426 MB from the page cache, 330-390 ms of system time into a Buffer, 115-160 ms into
// the same Buffer 64 bytes aligned; the same in C with malloc against aligned memory). Node's
// large Buffers start 16 bytes into what the C allocator gives, so the bytes read go to the first
// aligned address of a Buffer a little larger. Where the native addon is not built the address
// cannot be known: a plain Buffer, the same bytes, read slower.

import { addonFunction } from '../core/addon.js';

/** A cache line: the alignment the copy needs. */
export const READ_ALIGN = 64;

type Skew = (buffer: Buffer, align: number) => number;

let skew: Skew | null | undefined;

/** The addon's `skew` (bytes from a buffer's start to its first `align`-aligned address), or null without it. */
function skewOf(): Skew | null {
  if (skew === undefined) skew = addonFunction<Skew>('skew') ?? null;
  return skew;
}

/** A buffer of `bytes` for a read to fill, READ_ALIGN-aligned when the addon can say where that is. */
export function readBuffer(bytes: number): Buffer {
  const s = skewOf();
  if (!s) return Buffer.allocUnsafe(bytes);
  // allocUnsafeSlow: never a slice of Node's shared pool, so the Buffer is its own memory.
  const raw = Buffer.allocUnsafeSlow(bytes + READ_ALIGN);
  const at = s(raw, READ_ALIGN);
  return raw.subarray(at, at + bytes);
}

/** Bytes from `buffer`'s start to its first READ_ALIGN-aligned address (0: aligned); undefined without the addon. */
export function misalignment(buffer: Buffer): number | undefined {
  return skewOf()?.(buffer, READ_ALIGN);
}
