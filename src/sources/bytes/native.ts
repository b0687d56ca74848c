// The native byte search (native/exir_scan.c, built by node-gyp at `npm install`; loaded by
// core/addon.ts on first use). The build is optional: when it failed, or EXIR_NATIVE=0 asks for
// it, the scanner uses its JavaScript path, which gives the same marks; `byteSearchEngine()` says
// which one is in use.
// The addon picks the widest SIMD filter the CPU has (AVX2, SSSE3, else none); EXIR_SIMD=scalar (or
// ssse3) holds it lower, to compare or measure, with the same marks.

import { nativeAddon } from '../../core/addon.js';

/** An opaque compiled needle set, freed by the addon when collected. */
export type NativeNeedles = object & { readonly __nativeNeedles: unique symbol };

interface NativeSearch {
  /** Needles: their lower-cased bytes end to end, each one's length, whether a hit settles a record, and the clause bits each satisfies (two words a needle, for `hits`). */
  compile(bytes: Uint8Array, lengths: Int32Array, exact: Uint8Array, masks?: Uint32Array): NativeNeedles;
  /** Sets `marks[i]` for each record of the batch, as markCandidates does. */
  mark(needles: NativeNeedles, bytes: Uint8Array, starts: Int32Array, ends: Int32Array, isRecord: Uint8Array, count: number, marks: Uint8Array): void;
  /** Sets `out[2i]`, `out[2i+1]` for each wanted record of the batch, as record-needs.ts's clauseHits does. */
  hits(needles: NativeNeedles, bytes: Uint8Array, starts: Int32Array, ends: Int32Array, wanted: Uint8Array, count: number, out: Uint32Array): void;
  /**
   * The record scanner's splitting of plain lines (record-scanner.ts): items from `count` on into the
   * batch's arrays; `state` gets the position to go on from, the new count, the next line's number,
   * and why it stopped (SPLIT_END, SPLIT_LINE, SPLIT_FULL in record-scanner.ts).
   */
  split(
    bytes: Uint8Array,
    from: number,
    end: number,
    separator: number,
    quotes: number,
    maxRecord: number,
    line: number,
    base: number,
    kinds: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    lines: Float64Array,
    offsets: Float64Array,
    separators: Int32Array,
    flags: Uint8Array,
    marks: Uint8Array,
    records: Uint8Array,
    count: number,
    state: Float64Array,
  ): void;
  /**
   * The run of plain records from item `from` (see `plain` in native/exir_scan.c): `out` gets the
   * index it stopped at, the records in it, and where its least and greatest times start (-1: none).
   */
  plain(
    bytes: Uint8Array,
    kinds: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    separators: Int32Array,
    flags: Uint8Array,
    marks: Uint8Array,
    from: number,
    count: number,
    time: number,
    separatorsA: number,
    separatorsB: number,
    out: Float64Array,
  ): void;
  /** The SIMD level in use; given one, uses it (or the best the CPU has below it) from then on, in every thread of the process. */
  simd(level?: SimdLevel | 'auto'): SimdLevel;
  /**
   * Reads each file once, off this thread, on the thread pool, and answers for each: for `modes[i]`
   * 0, 1 when its bytes, taken as one record, may hold a needle (as `mark` says), 0 when they hold
   * none (`overlap` bytes of each MiB read are searched again with the next, so a needle up to
   * `overlap + 1` bytes long is found across the cut); for a W3C log (1) or an Exchange CSV log (2),
   * 0 when no line may hold one, else the lines the follow pass would give its reader, while
   * `budget` bytes of picks last in the call, or 1 when the pass is to read the file itself (its
   * head, the first `headBytes` bytes, holds no directive among its first `headLines` lines, or
   * its lines cannot be picked); 2 when the file could not be read. Two calls at once read on two threads.
   */
  picks(
    needles: NativeNeedles,
    paths: readonly string[],
    modes: Uint8Array,
    overlap: number,
    budget: number,
    headBytes: number,
    headLines: number,
  ): Promise<(0 | 1 | 2 | PickedLines)[]>;
  /** Gives the memory the C allocator holds free back to the system (glibc; elsewhere nothing): whether it could. */
  trim(): boolean;
}

export type SimdLevel = 'scalar' | 'ssse3' | 'avx2';

/**
 * A log's lines as the follow pass would give them to its reader (LinePicker in
 * src/scan/follow-lines.ts), picked by `picks`: the lines one after another, and four numbers for
 * each: its offset in the file, its line number, its length, 1 when it ends with a line end; and
 * `head`, how many of the picks' first bytes are the log's head up to the end of its directives,
 * which tell its reader.
 */
export interface PickedLines {
  head: number;
  /** A Buffer as the addon makes it; a Uint8Array once sent to a worker. */
  bytes: Uint8Array;
  lines: Float64Array;
}

let loaded: { search: NativeSearch | undefined; engine: string } | undefined;

function load(): { search: NativeSearch | undefined; engine: string } {
  if (loaded) return loaded;
  const found = nativeAddon();
  if (!found.addon) {
    loaded = { search: undefined, engine: `JavaScript (${found.why})` };
    return loaded;
  }
  const search = found.addon as unknown as NativeSearch;
  const expected = ['compile', 'mark', 'hits', 'simd', 'split', 'plain', 'trim', 'picks'] as const;
  if (!expected.every((name) => typeof search[name] === 'function')) {
    loaded = { search: undefined, engine: 'JavaScript (the native addon did not load: not the expected addon; `npm install` builds it)' };
    return loaded;
  }
  const asked = process.env.EXIR_SIMD;
  const level = asked === 'scalar' || asked === 'ssse3' || asked === 'avx2' ? search.simd(asked) : search.simd();
  loaded = { search, engine: `native, ${level === 'scalar' ? 'no SIMD' : level} (${found.from})` };
  return loaded;
}

/** The native search, or undefined when the JavaScript path is in use. */
export function nativeSearch(): NativeSearch | undefined {
  return load().search;
}

/** Which byte search the pre-filter uses, and why, for diagnostics. */
export function byteSearchEngine(): string {
  return load().engine;
}

/**
 * Gives back to the system what the C allocator holds free, across every thread's arena, when the
 * native addon is loaded (without it, nothing). A pass frees most of what it read, but freed blocks
 * that are not at the top of an arena stay resident: 20-40 MiB at the end of each pass of the
 * attackers-everywhere bundle (README, "The end of the scan, and another machine").
 */
export function trimFreedMemory(): void {
  load().search?.trim();
}
