// Options built from flags: a flag left out must be absent, not `undefined`, or spreading the
// options over the library's defaults would replace a default with nothing.

/** The entries whose value is not undefined. */
export function given<T extends Record<string, unknown>>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
