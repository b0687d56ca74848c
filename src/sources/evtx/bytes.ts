// Little-endian reads over a chunk buffer. Callers check bounds first: a read past the end of a
// Uint8Array gives undefined, which these would turn into garbage rather than an error.

/** Thrown inside the parser for bytes that do not follow the format; caught per record or chunk. */
export class EvtxFormatError extends Error {
  override readonly name = 'EvtxFormatError';
}

export function u16(b: Uint8Array, p: number): number {
  return b[p]! | (b[p + 1]! << 8);
}

export function u32(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
}

/** A u64 as a number: exact up to 2^53, which record ids never reach. */
export function u64(b: Uint8Array, p: number): number {
  return u32(b, p) + u32(b, p + 4) * 0x100000000;
}

export function need(p: number, n: number, end: number, what: string): void {
  if (p + n > end || p < 0) {
    throw new EvtxFormatError(`${what} at chunk offset ${p} runs past the end (${end})`);
  }
}
