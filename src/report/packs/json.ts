// A pack draft as JSON: the same structure the other formats lay out, for tools and for filing snapshots.

import type { Draft } from '../../regulatory/draft-types.js';

export function renderPackJson(d: Draft): string {
  return `${JSON.stringify({ format: 'exir-pack-draft', version: 1, ...d }, null, 2)}\n`;
}
