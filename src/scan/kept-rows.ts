import type { BadRecord, EvidenceFile } from '../core/types.js';
import type { EvidenceEntry } from '../evidence/bundle.js';

/**
 * No bad records: one array for every row that has none. Frozen, so that code adding to a row's
 * samples fails loudly instead of adding to every row's.
 */
const NO_BAD_SAMPLES = Object.freeze([]) as unknown as BadRecord[];

/** The words a row names: each held once, a row keeps its number. 0 is none. */
type WordKey = 'kind' | 'server' | 'build' | 'note';

/** A SHA-256 as the scan writes it, kept as its 32 bytes. */
const HEX_SHA256 = /^[0-9a-f]{64}$/;

const SHA_BYTES = 32;

/**
 * The evidence rows of a scan, one per file, kept as columns until the passes are done. Each row
 * lives until the report is written, and as an object with its own strings (hash, two times, a
 * property array, boxed numbers) it took about 330 bytes of V8's heap: 36 MiB at 110,000 files,
 * which V8 let grow to two or three times that in garbage before collecting (README, "Rows kept as
 * columns"). Here a row is about 90 bytes, outside the heap: its hash as bytes, its times as
 * milliseconds, its numbers in typed arrays, its words and spelling lists as numbers into lists
 * held once, and the order of its keys as one of a few shapes. `row` makes the object again with
 * the same keys in the same order and the same values, so the JSON written is the same; what a
 * column cannot hold (an odd time or hash, bad records, `unreadable`) is kept as it came, beside.
 */
export class RowKeeper {
  private readonly kept: Uint8Array;
  private readonly shape: Uint16Array;
  private readonly sha: Buffer;
  private readonly numbers: Float64Array;
  private readonly times: Float64Array;
  private readonly wordOf: Record<WordKey, Uint32Array>;
  private readonly namesOf: Uint32Array;
  /** Values no column holds, by row and key. */
  private readonly odd = new Map<number, Partial<Record<keyof EvidenceFile, unknown>>>();
  private readonly words: (string | undefined)[] = [undefined];
  private readonly wordIndex = new Map<string, number>();
  private readonly nameLists: string[][] = [[]];
  private readonly nameIndex = new Map<string, number>();
  private readonly shapes: (keyof EvidenceFile)[][] = [];
  private readonly shapeIndex = new Map<string, number>();

  /** Room for one row per entry, at the entry's index. */
  constructor(private readonly entries: readonly EvidenceEntry[]) {
    const n = entries.length;
    this.kept = new Uint8Array(n);
    this.shape = new Uint16Array(n);
    this.sha = Buffer.alloc(n * SHA_BYTES);
    // size, records, badRecords; firstTime, lastTime (NaN: none, or see `odd`).
    this.numbers = new Float64Array(n * 3);
    this.times = new Float64Array(n * 2);
    this.wordOf = { kind: new Uint32Array(n), server: new Uint32Array(n), build: new Uint32Array(n), note: new Uint32Array(n) };
    this.namesOf = new Uint32Array(n);
  }

  has(i: number): boolean {
    return this.kept[i] === 1;
  }

  /** Keeps the row of entry i (a worker's copy dies young: nothing of it is held but what a column took). */
  keep(i: number, row: EvidenceFile): void {
    const keys = Object.keys(row) as (keyof EvidenceFile)[];
    const odd: Partial<Record<keyof EvidenceFile, unknown>> = {};
    let odds = 0;
    for (const key of keys) {
      const value = row[key];
      if (!this.store(i, key, value)) {
        odd[key] = value;
        odds += 1;
      }
    }
    if (odds > 0) this.odd.set(i, odd);
    else this.odd.delete(i);
    this.shape[i] = this.shapeOf(keys);
    this.kept[i] = 1;
  }

  kind(i: number): EvidenceFile['kind'] {
    return this.value(i, 'kind') as EvidenceFile['kind'];
  }

  server(i: number): string | undefined {
    return this.value(i, 'server') as string | undefined;
  }

  build(i: number): string | undefined {
    return this.value(i, 'build') as string | undefined;
  }

  sha256(i: number): string {
    return this.value(i, 'sha256') as string;
  }

  firstTime(i: number): string | undefined {
    return this.value(i, 'firstTime') as string | undefined;
  }

  lastTime(i: number): string | undefined {
    return this.value(i, 'lastTime') as string | undefined;
  }

  /** A file the second pass found to be a file listing: an inventory of so many rows, no longer a file "not read". */
  listed(i: number, rows: number, badRows: number, badSamples: BadRecord[]): void {
    const row = this.row(i);
    row.kind = 'inventory';
    row.records = rows;
    row.badRecords = badRows;
    row.badSamples = badSamples;
    delete row.note;
    this.keep(i, row);
  }

  /** Row i as an object again: the keys it had, in their order, with their values. */
  row(i: number): EvidenceFile {
    const row: Partial<Record<keyof EvidenceFile, unknown>> = {};
    for (const key of this.shapes[this.shape[i] as number] as (keyof EvidenceFile)[]) row[key] = this.value(i, key);
    return row as unknown as EvidenceFile;
  }

  private value(i: number, key: keyof EvidenceFile): unknown {
    const odd = this.odd.get(i);
    if (odd && key in odd) return odd[key];
    switch (key) {
      case 'path':
        return (this.entries[i] as EvidenceEntry).path;
      case 'sha256':
        return this.sha.toString('hex', i * SHA_BYTES, (i + 1) * SHA_BYTES);
      case 'size':
        return this.numbers[i * 3];
      case 'records':
        return this.numbers[i * 3 + 1];
      case 'badRecords':
        return this.numbers[i * 3 + 2];
      case 'firstTime':
      case 'lastTime': {
        const ms = this.times[i * 2 + (key === 'lastTime' ? 1 : 0)] as number;
        return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
      }
      case 'badSamples':
        return NO_BAD_SAMPLES;
      case 'serverNames':
        return this.nameLists[this.namesOf[i] as number];
      case 'kind':
      case 'server':
      case 'build':
      case 'note':
        return this.words[this.wordOf[key][i] as number];
      default:
        return undefined;
    }
  }

  /** Puts a value in its column; false when no column holds it as it is (it is then kept beside). */
  private store(i: number, key: keyof EvidenceFile, value: unknown): boolean {
    switch (key) {
      case 'path':
        return value === (this.entries[i] as EvidenceEntry).path;
      case 'sha256':
        if (typeof value !== 'string' || !HEX_SHA256.test(value)) return false;
        this.sha.write(value, i * SHA_BYTES, SHA_BYTES, 'hex');
        return true;
      case 'size':
      case 'records':
      case 'badRecords':
        if (typeof value !== 'number') return false;
        this.numbers[i * 3 + (key === 'size' ? 0 : key === 'records' ? 1 : 2)] = value;
        return true;
      case 'firstTime':
      case 'lastTime': {
        const at = i * 2 + (key === 'lastTime' ? 1 : 0);
        if (value === undefined) {
          this.times[at] = Number.NaN;
          return true;
        }
        // Only a time that toISOString writes back the same is kept as a number.
        const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
        if (Number.isNaN(ms) || new Date(ms).toISOString() !== value) return false;
        this.times[at] = ms;
        return true;
      }
      case 'badSamples':
        return Array.isArray(value) && value.length === 0;
      case 'serverNames':
        if (!Array.isArray(value) || !value.every((n) => typeof n === 'string')) return false;
        this.namesOf[i] = this.names(value);
        return true;
      case 'kind':
      case 'server':
      case 'build':
      case 'note':
        if (value !== undefined && typeof value !== 'string') return false;
        this.wordOf[key][i] = value === undefined ? 0 : this.word(value);
        return true;
      default:
        return false;
    }
  }

  private word(text: string): number {
    let n = this.wordIndex.get(text);
    if (n === undefined) {
      n = this.words.length;
      this.words.push(text);
      this.wordIndex.set(text, n);
    }
    return n;
  }

  /** The same spellings in the same order are one frozen list, shared by the rows that have them. */
  private names(names: string[]): number {
    const key = JSON.stringify(names);
    let n = this.nameIndex.get(key);
    if (n === undefined) {
      n = this.nameLists.length;
      this.nameLists.push(Object.freeze(names.map((name) => this.words[this.word(name)] as string)) as string[]);
      this.nameIndex.set(key, n);
    }
    return n;
  }

  private shapeOf(keys: (keyof EvidenceFile)[]): number {
    const key = keys.join(',');
    let n = this.shapeIndex.get(key);
    if (n === undefined) {
      n = this.shapes.length;
      if (n > 0xffff) throw new Error('more than 65,536 shapes of evidence row');
      this.shapes.push(keys);
      this.shapeIndex.set(key, n);
    }
    return n;
  }
}
