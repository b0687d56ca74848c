// Markup with every interpolated value escaped unless it is markup made here. Evidence text is
// attacker-controlled: controls and bidi overrides are shown as visible escapes, then HTML-escaped.

import { forHtml } from '../core/neutralise.js';
import { safeText } from '../core/terminal-text.js';

export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Text made safe for element content and quoted attribute values. */
export function esc(value: string | number | undefined | null): string {
  return forHtml(safeText(value === undefined || value === null ? '' : String(value)));
}

function part(value: unknown): string {
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(part).join('');
  if (value === undefined || value === null || value === false) return '';
  if (typeof value === 'string' || typeof value === 'number') return esc(value);
  return esc(JSON.stringify(value) ?? '');
}

/** `html\`<p>${text}</p>\``: values are escaped; Markup and arrays of Markup are kept. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += part(v) + (strings[i + 1] ?? '');
  });
  return new Markup(out);
}

/** A query string from our own values, each encoded. */
export function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
