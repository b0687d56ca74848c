// A pack draft as JSON: the same structure the other formats lay out, for tools and for filing snapshots.

import type { Draft } from '../../regulatory/draft-types.js';

export function renderPackJson(d: Draft): string {
  if (d.copy === 'send') {
    // The send copy's JSON: what the document says, without working keys (trace, source, open, caveats, basis).
    const { basis: _b, caveats: _c, open: _o, ...rest } = d;
    const sections = d.sections.map((s) => ({ ...s, items: s.items.map(({ trace: _t, source: _s, open: _p, ...item }) => item) }));
    return `${JSON.stringify({ format: 'exir-pack-send', version: 1, ...rest, sections }, null, 2)}\n`;
  }
  return `${JSON.stringify({ format: 'exir-pack-draft', version: 1, ...d }, null, 2)}\n`;
}
