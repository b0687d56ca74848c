// Event data by name, named as the EVTX reader names it: an unnamed item is `Data`, and a name
// already taken gets the next free suffix (Data, Data1, Data2...). Shared by the JSON and XML readers.

type Obj = Record<string, unknown>;

/** A scalar as the event's text; undefined for objects and arrays. */
export function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null || v === undefined) return '';
  return undefined;
}

export class DataBag {
  readonly data: Record<string, string> = {};
  /** Next suffix to try per name, so that many items of one name cost one step each, not a search from 1. */
  private suffixes: Map<string, number> | undefined;

  put(name: string, value: string): void {
    const data = this.data;
    let key = name === '' ? 'Data' : name;
    if (Object.hasOwn(data, key)) {
      this.suffixes ??= new Map();
      let n = this.suffixes.get(key) ?? 1;
      while (Object.hasOwn(data, `${key}${n}`)) n++;
      this.suffixes.set(key, n + 1);
      key = `${key}${n}`;
    }
    // A name from the evidence must not reach Object.prototype.
    if (key === '__proto__') Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
    else data[key] = value;
  }

  /** Leaves of nested data by their own names (UserData's way); arrays as repeated items. */
  add(name: string, v: unknown, depth = 0): void {
    const s = scalarText(v);
    if (s !== undefined) {
      this.put(name, s);
      return;
    }
    if (depth > 16) return;
    if (Array.isArray(v)) {
      for (const item of v) this.add(name, item, depth + 1);
      return;
    }
    const o = v as Obj;
    if ('#text' in o) {
      this.add(name, o['#text'], depth + 1);
      return;
    }
    for (const [k, item] of Object.entries(o)) {
      if (k === '#attributes' || k === 'xml_name') continue;
      this.add(k, item, depth + 1);
    }
  }

  /** Every entry of an object, each by its key. */
  addAll(v: unknown): void {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return;
    for (const [k, item] of Object.entries(v as Obj)) {
      if (k === '#attributes' || k === 'xml_name') continue;
      this.add(k, item);
    }
  }
}
