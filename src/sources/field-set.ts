// The names a `#Fields` line (or a header row) gives, and how to read a row by them. A list that
// repeats names is read by the first occurrence of each name.

export class FieldSet {
  /** The names as written, repeats included. */
  readonly names: readonly string[];
  /** How many names come before the first repeated one. */
  readonly span: number;
  /** Names written more than once, each once, in order of first repeat. */
  readonly repeated: readonly string[];
  /** The names joined as one row would join them: a data row equal to this is a repeated header. */
  readonly headerRow: Buffer;
  private readonly spanColumns: readonly (readonly [string, number])[];
  private readonly allColumns: readonly (readonly [string, number])[];
  private readonly lowerIndex = new Map<string, number>();
  /** blankRow's models, for all names and for the names before the first repeat; made on first use. */
  private blankAll: Record<string, string> | undefined;
  private blankSpan: Record<string, string> | undefined;

  constructor(names: readonly string[], separator: string) {
    this.names = names;
    const seen = new Set<string>();
    const repeated: string[] = [];
    const all: (readonly [string, number])[] = [];
    let span = -1;
    names.forEach((name, i) => {
      if (seen.has(name)) {
        if (span < 0) span = i;
        if (!repeated.includes(name)) repeated.push(name);
        return;
      }
      seen.add(name);
      // An own property named __proto__ cannot be set on a plain object; such a column is dropped.
      if (name !== '__proto__') all.push([name, i]);
      const lower = name.toLowerCase();
      if (!this.lowerIndex.has(lower)) this.lowerIndex.set(lower, i);
    });
    this.span = span < 0 ? names.length : span;
    this.repeated = repeated;
    this.allColumns = all;
    this.spanColumns = all.filter(([, i]) => i < this.span);
    this.headerRow = Buffer.from(names.join(separator), 'utf8');
  }

  get count(): number {
    return this.names.length;
  }

  /** Whether a row of this many values can be read: all names, or the names before the first repeat. */
  accepts(values: number): boolean {
    return values === this.names.length || values === this.span;
  }

  /** Index of the first name equal to one of `candidates`, compared case-insensitively; -1 if none. */
  indexOf(...candidates: string[]): number {
    for (const c of candidates) {
      const i = this.lowerIndex.get(c.toLowerCase());
      if (i !== undefined && i < this.span) return i;
    }
    return -1;
  }

  /** (name, value index) pairs to read a row with `values` values. */
  columns(values: number): readonly (readonly [string, number])[] {
    return values === this.names.length ? this.allColumns : this.spanColumns;
  }

  /**
   * A new row object holding each of `columns(values)`'s names, in that order, with '' for every
   * value: filled in, it is the row that setting the names one by one on `{}` makes, but of one fixed
   * shape for every row of the set. Set one by one, a log of 74 columns made every row a hash table
   * grown four times as it filled: most of a candidate record's garbage.
   */
  blankRow(values: number): Record<string, string> {
    const all = values === this.names.length;
    let model = all ? this.blankAll : this.blankSpan;
    if (model === undefined) {
      const row: Record<string, string> = {};
      for (const [name] of this.columns(values)) row[name] = '';
      // Read back from JSON, an object has the fast, fixed layout that a copy then keeps.
      model = JSON.parse(JSON.stringify(row)) as Record<string, string>;
      if (all) this.blankAll = model;
      else this.blankSpan = model;
    }
    return { ...model };
  }

  sameAs(other: FieldSet): boolean {
    if (other === this) return true;
    return this.names.length === other.names.length && this.names.every((n, i) => n === other.names[i]);
  }
}

/** Field sets by their names: every hourly log of a kind repeats the same `#Fields` line, and building a set is not free. */
const known = new Map<string, FieldSet>();
const SETS_KEPT = 256;

/** The field set for these names (the same object for the same names and separator; a field set is never changed). */
export function fieldSetOf(names: readonly string[], separator: string): FieldSet {
  const key = `${separator}\u0000${names.join('\u0000')}`;
  let set = known.get(key);
  if (!set) {
    if (known.size >= SETS_KEPT) known.clear();
    set = new FieldSet(names, separator);
    known.set(key, set);
  }
  return set;
}

/**
 * The field set of a header's text, by `namesOf` (how a reader splits it), kept by the text: every
 * hourly log of a kind repeats its `#Fields` line, and splitting it and joining the names again to
 * find their set, for each file, made garbage of a line's size several times over.
 */
export function fieldSetsByText(separator: string, namesOf: (text: string) => string[]): (text: string) => FieldSet {
  const byText = new Map<string, FieldSet>();
  return (text) => {
    let set = byText.get(text);
    if (!set) {
      if (byText.size >= SETS_KEPT) byText.clear();
      set = fieldSetOf(namesOf(text), separator);
      byText.set(text, set);
    }
    return set;
  };
}

/**
 * What a reader works out from a field set (where its columns are), kept per set: the files of a
 * kind share one set (see fieldSetOf), so each layout is made once.
 */
export function perFieldSet<L>(make: (fields: FieldSet) => L): (fields: FieldSet) => L {
  const made = new WeakMap<FieldSet, L>();
  return (fields) => {
    let layout = made.get(fields);
    if (layout === undefined) {
      layout = make(fields);
      made.set(fields, layout);
    }
    return layout;
  };
}
