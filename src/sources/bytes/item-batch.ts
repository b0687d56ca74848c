// The items the scanner found in one chunk, in file order, held in typed arrays so that a batch of
// thousands of records costs no object per record. Delivered (and cleared) after the literal search.

export const KIND_RECORD = 1;
export const KIND_DIRECTIVE = 2;
const KIND_DAMAGE = 3;
export const FLAG_QUOTED = 1;
export const FLAG_EOF = 2;

export class ItemBatch {
  count = 0;
  kinds = new Uint8Array(256);
  /** Byte range in the working buffer (a damage item has an empty range at its place in the order). */
  starts = new Int32Array(256);
  ends = new Int32Array(256);
  lines = new Float64Array(256);
  offsets = new Float64Array(256);
  separators = new Int32Array(256);
  flags = new Uint8Array(256);
  marks = new Uint8Array(256);
  /** 1 for a record, 0 for another item: kept as items come, not made for each batch. */
  private records = new Uint8Array(256);
  private reasons: string[] = [];

  push(kind: number, start: number, end: number, line: number, offset: number, separators: number, flags: number): void {
    if (this.count === this.kinds.length) this.grow();
    const i = this.count++;
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.lines[i] = line;
    this.offsets[i] = offset;
    this.separators[i] = separators;
    this.flags[i] = flags;
    this.marks[i] = 0;
    this.records[i] = kind === KIND_RECORD ? 1 : 0;
  }

  pushDamage(at: number, line: number, offset: number, reason: string): void {
    this.reasons.push(reason);
    this.push(KIND_DAMAGE, at, at, line, offset, this.reasons.length - 1, 0);
  }

  reason(i: number): string {
    return this.reasons[this.separators[i]!] ?? 'damaged record';
  }

  /** 1 for each record, 0 for other items: what the literal search needs. Read its first `count` entries only. */
  recordMask(): Uint8Array {
    return this.records;
  }

  clear(): void {
    this.count = 0;
    this.reasons = [];
  }

  /** Doubles the room for items (the native splitter fills the arrays up to their length). */
  grow(): void {
    const n = this.kinds.length * 2;
    const grow = <T extends Uint8Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const next = make(n);
      next.set(a);
      return next;
    };
    this.kinds = grow(this.kinds, (k) => new Uint8Array(k));
    this.starts = grow(this.starts, (k) => new Int32Array(k));
    this.ends = grow(this.ends, (k) => new Int32Array(k));
    this.lines = grow(this.lines, (k) => new Float64Array(k));
    this.offsets = grow(this.offsets, (k) => new Float64Array(k));
    this.separators = grow(this.separators, (k) => new Int32Array(k));
    this.flags = grow(this.flags, (k) => new Uint8Array(k));
    this.marks = grow(this.marks, (k) => new Uint8Array(k));
    this.records = grow(this.records, (k) => new Uint8Array(k));
  }
}
