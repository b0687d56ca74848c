// The question bank (data/regulatory/questions.yml): every field a pack carries and what answers it.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { PackName } from './rules.js';
import { PACKS } from './rules.js';

interface Question {
  id: string;
  label: string;
  answer: string;
  needed: string;
  source: string;
  /** Answered by the signer as the document is sent (declarations): it does not hold back the send copy. */
  atSigning: boolean;
  /** In a letter: a part without a heading (letterhead, date, addressee, signature). */
  bare: boolean;
}

export interface PackQuestions {
  title: string;
  basis: string;
  sections: { title: string; style: 'form' | 'letter'; questions: Question[] }[];
}

const QUESTIONS_FILE = new URL('../../data/regulatory/questions.yml', import.meta.url);

type Obj = Record<string, unknown>;

function text(v: unknown, at: string, allowEmpty = false): string {
  if (typeof v !== 'string' || (!allowEmpty && v.trim() === '')) throw new Error(`${at}: expected text`);
  return v.trim();
}

function parseQuestions(source: string, where: string, known?: Set<string>): Record<PackName, PackQuestions> {
  const doc = parse(source) as Obj;
  const packs = doc.packs as Obj | undefined;
  if (!packs || typeof packs !== 'object') throw new Error(`${where}: needs packs`);
  const out = {} as Record<PackName, PackQuestions>;
  const ids = new Set<string>();
  for (const name of PACKS) {
    const p = packs[name] as Obj | undefined;
    if (!p) throw new Error(`${where}: pack ${name} is missing`);
    if (!Array.isArray(p.sections)) throw new Error(`${where}: packs.${name}.sections: expected a list`);
    out[name] = {
      title: text(p.title, `${where}: packs.${name}.title`),
      basis: text(p.basis, `${where}: packs.${name}.basis`),
      sections: (p.sections as Obj[]).map((s, i) => {
        const at = `${where}: packs.${name}.sections[${i}]`;
        if (!Array.isArray(s.questions)) throw new Error(`${at}.questions: expected a list`);
        return {
          // A letter's parts may stand under no heading: its letterhead opens the page.
          title: text(s.title, `${at}.title`, s.style === 'letter'),
          style: s.style === 'letter' ? 'letter' : 'form',
          questions: (s.questions as Obj[]).map((q, j) => {
            const qa = `${at}.questions[${j}]`;
            const id = text(q.id, `${qa}.id`);
            if (ids.has(id)) throw new Error(`${qa}.id: "${id}" appears twice`);
            ids.add(id);
            const answer = text(q.answer, `${qa}.answer`);
            if (known && !answer.startsWith('narrative.') && !known.has(answer)) throw new Error(`${qa}.answer: no resolver "${answer}"`);
            return {
              id,
              label: text(q.label, `${qa}.label`),
              answer,
              needed: text(q.needed ?? '', `${qa}.needed`, true),
              source: text(q.source, `${qa}.source`),
              atSigning: q.atSigning === true,
              bare: q.bare === true,
            };
          }),
        };
      }),
    };
  }
  return out;
}

let cached: Record<PackName, PackQuestions> | undefined;

export function questionBank(known?: Set<string>): Record<PackName, PackQuestions> {
  cached ??= parseQuestions(readFileSync(QUESTIONS_FILE, 'utf8'), QUESTIONS_FILE.pathname, known);
  return cached;
}
