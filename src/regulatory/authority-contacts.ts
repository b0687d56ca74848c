// How a person reaches a data protection authority to complain (data/regulatory/authority-contacts.yml):
// the letter to the people affected prints these beside the authority's name.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface AuthorityContact {
  address: string[];
  phone: string | undefined;
  email: string | undefined;
  web: string | undefined;
}

const CONTACTS_FILE = new URL('../../data/regulatory/authority-contacts.yml', import.meta.url);

let cached: Map<string, AuthorityContact> | undefined;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

export function authorityContacts(): Map<string, AuthorityContact> {
  if (cached) return cached;
  const doc = parse(readFileSync(CONTACTS_FILE, 'utf8')) as { contacts?: Record<string, Record<string, unknown>> } | null;
  if (!doc?.contacts || typeof doc.contacts !== 'object') throw new Error(`${CONTACTS_FILE.pathname}: needs a contacts mapping`);
  cached = new Map(
    Object.entries(doc.contacts).map(([code, c]) => {
      const address = Array.isArray(c?.address) ? c.address.map(String) : [];
      if (address.length === 0 && !str(c?.phone) && !str(c?.web))
        throw new Error(`${CONTACTS_FILE.pathname}: ${code} needs an address, a telephone or a web page`);
      return [code, { address, phone: str(c.phone), email: str(c.email), web: str(c.web) }];
    }),
  );
  return cached;
}
