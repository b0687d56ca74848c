// The data protection authority of each place, by ISO code (data/regulatory/authorities.yml): a pack
// names the authority as it calls itself, never "FR supervisory authority".

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface Authority {
  code: string;
  name: string;
  site: string;
  confirmation: string;
}

const AUTHORITIES_FILE = new URL('../../data/regulatory/authorities.yml', import.meta.url);

let cached: Map<string, Authority> | undefined;

export function authorities(): Map<string, Authority> {
  if (cached) return cached;
  const doc = parse(readFileSync(AUTHORITIES_FILE, 'utf8')) as { authorities?: Record<string, Partial<Authority>> };
  if (!doc?.authorities || typeof doc.authorities !== 'object') throw new Error(`${AUTHORITIES_FILE.pathname}: needs an authorities mapping`);
  cached = new Map(
    Object.entries(doc.authorities).map(([code, a]) => {
      if (typeof a?.name !== 'string' || typeof a.site !== 'string') throw new Error(`${AUTHORITIES_FILE.pathname}: ${code} needs a name and a site`);
      return [code, { code, name: a.name, site: a.site, confirmation: String(a.confirmation ?? 'G') }];
    }),
  );
  return cached;
}

/** The authority's own name, or a plain description where the list has none for the code. */
export function authorityName(code: string): string {
  return authorities().get(code)?.name ?? `the data protection authority of ${code} (not in data/regulatory/authorities.yml)`;
}
