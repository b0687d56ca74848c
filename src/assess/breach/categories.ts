// The data categories and subject kinds a firm describes its data with (data/regulatory/data-categories.yml).

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface DataCategory {
  id: string;
  label: string;
  enisaBase: 1 | 2 | 3 | 4;
  enisaClass: string;
  special: boolean;
  note: string | undefined;
}

export interface Vocabulary {
  checked: string;
  categories: Map<string, DataCategory>;
  subjects: Map<string, string>;
}

const CATEGORIES_FILE = new URL('../../../data/regulatory/data-categories.yml', import.meta.url);

let cached: Vocabulary | undefined;

function parseVocabulary(text: string, where: string): Vocabulary {
  const doc = parse(text) as { checked?: unknown; categories?: unknown; subjects?: unknown };
  if (!Array.isArray(doc.categories) || !Array.isArray(doc.subjects)) throw new Error(`${where}: needs categories and subjects lists`);
  const categories = new Map<string, DataCategory>();
  for (const [i, raw] of (doc.categories as Record<string, unknown>[]).entries()) {
    const id = raw.id;
    const base = raw.enisaBase;
    if (typeof id !== 'string' || typeof raw.label !== 'string' || (base !== 1 && base !== 2 && base !== 3 && base !== 4)) {
      throw new Error(`${where}: categories[${i}] needs id, label and enisaBase 1-4`);
    }
    categories.set(id, {
      id,
      label: raw.label,
      enisaBase: base,
      enisaClass: typeof raw.enisaClass === 'string' ? raw.enisaClass : '',
      special: raw.special === true,
      note: typeof raw.note === 'string' ? raw.note : undefined,
    });
  }
  const subjects = new Map<string, string>();
  for (const raw of doc.subjects as Record<string, unknown>[]) {
    if (typeof raw.id === 'string' && typeof raw.label === 'string') subjects.set(raw.id, raw.label);
  }
  return { checked: typeof doc.checked === 'string' ? doc.checked : '', categories, subjects };
}

export function vocabulary(): Vocabulary {
  cached ??= parseVocabulary(readFileSync(CATEGORIES_FILE, 'utf8'), CATEGORIES_FILE.pathname);
  return cached;
}
