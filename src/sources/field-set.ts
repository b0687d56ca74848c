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
  /** row's makers, for all names and for the names before the first repeat; made on first use. */
  private makeAll: RowMaker | undefined;
  private makeSpan: RowMaker | undefined;

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
   * A new row object holding each of `columns(values)`'s names, in that order, with the value at its
   * index in `parts` ('' past their end): the row that setting the names one by one on `{}` makes,
   * but of one fixed shape for every row of the set, made without a lookup by name per value.
   */
  row(values: number, parts: readonly string[]): Record<string, string> {
    const all = values === this.names.length;
    let make = all ? this.makeAll : this.makeSpan;
    if (make === undefined) {
      make = rowMaker(this.columns(values));
      if (all) this.makeAll = make;
      else this.makeSpan = make;
    }
    return make(parts);
  }

  sameAs(other: FieldSet): boolean {
    if (other === this) return true;
    return this.names.length === other.names.length && this.names.every((n, i) => n === other.names[i]);
  }
}

type RowMaker = (parts: readonly string[]) => Record<string, string>;

/** Past this many columns a row is made the slow way (a compiled maker would cost more than it saves, and a hostile header can name thousands). */
const MAX_COMPILED_COLUMNS = 256;

/**
 * How rows of these columns are made. An object literal of the names: V8 makes every row from one
 * model, where setting a candidate record's 74 HttpProxy columns one by one, each a lookup by name,
 * took longer than cutting its line into values (issue #17). The names are the log's own text, so
 * each is written as JSON, which is a JavaScript string literal whatever the name holds. The one
 * name a literal reads otherwise, `__proto__` (it sets the prototype), is never a column.
 */
function rowMaker(columns: readonly (readonly [string, number])[]): RowMaker {
  if (columns.length <= MAX_COMPILED_COLUMNS) {
    const body = `return {${columns.map(([name, i]) => `${JSON.stringify(name)}: p[${i}] ?? ''`).join(', ')}};`;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the names are literals made by JSON.stringify (see above)
    return new Function('p', body) as RowMaker;
  }
  const blank: Record<string, string> = {};
  for (const [name] of columns) blank[name] = '';
  // Read back from JSON, an object has the fast, fixed layout that a copy then keeps.
  const model = JSON.parse(JSON.stringify(blank)) as Record<string, string>;
  return (parts) => {
    const row = { ...model };
    for (const [name, i] of columns) row[name] = parts[i] ?? '';
    return row;
  };
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
