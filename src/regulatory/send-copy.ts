// The copy a firm sends: the working draft without its working material. No provenance lines, no
// open-question boxes, no internal ids (obligation and decision refs, rule ids, assessment versions),
// no confirmation grades, no pointers to files or commands outside the document. It is refused while a
// question the document needs is still open, naming each one.

import type { Draft, DraftItem, InternalRef, OpenItem } from './draft-types.js';
import { contentHash } from './draft.js';
import { showTime } from './time.js';

export class SendCopyRefused extends Error {
  constructor(
    readonly draft: Draft,
    readonly blocking: OpenItem[],
  ) {
    super(
      `the send copy of "${draft.title}" cannot be made while ${blocking.length} question(s) are open: ${blocking.map((o) => `${o.label} (${o.needed})`).join('; ')}`,
    );
  }
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Any of the texts, as a whole word (a hyphen joins words, so `JOIC-1` is not found in `JOIC-1-2021`). */
function anyOf(texts: string[]): string {
  if (texts.length === 0) return '(?!)';
  const alts = [...new Set(texts)].sort((a, b) => b.length - a.length).map(esc);
  return `(?<![\\w-])(?:${alts.join('|')})(?![\\w-])`;
}

/** A run of references of one kind: `D1`, `D1, D2`, `D1 and D2`. */
const run = (one: string): string => `${one}(?:(?:,\\s*|\\s+and\\s+)${one})*`;

type Rule = [RegExp, string | ((m: string) => string)];

/**
 * The scrub of one document: the tool's own marks (grades, pointers to answers and commands) and
 * exactly the case's references, each said as a reader would follow it. The firm's own words are
 * kept out of it, as written, whatever they look like.
 */
function scrubRules(refs: readonly InternalRef[]): Rule[] {
  const of = (k: InternalRef['kind']): string[] => refs.filter((r) => r.kind === k).map((r) => r.text);
  const obligations = anyOf(of('obligation'));
  const decisions = anyOf(of('decision'));
  const evidence = anyOf(of('evidence'));
  const becomes = new Map(refs.map((r) => [r.text, r.becomes]));
  return [
    [/\s*\[(?:C|P|G|I)\]/g, ''], // confirmation grades
    [/\s*\((?:[^()]*\b(?:answers?|exir|see the assessment|regulatory\.md|data\/regulatory)\b[^()]*)\)/g, ''], // pointers to answers files, commands, notes
    [/\s*\((?:[^()]*(?:datasets\[|firm\.[a-z]|narrative\.)[^()]*)\)/g, ''], // pointers to answer keys
    [new RegExp(`\\s*\\[${anyOf(of('detection'))}\\]`, 'g'), ''], // [detection-rule-id]
    [new RegExp(`\\s*\\(${anyOf(of('rule'))}\\)`, 'g'), ''], // (RULE_ID)
    [new RegExp(`^(?:${obligations}|${decisions}):?\\s*(?:\\[[a-z-]+\\]\\s*)?`), ''], // an obligation or decision ref leading a line
    [new RegExp(`\\bdecisions? ${run(decisions)}`, 'g'), 'a recorded decision'],
    [new RegExp(`\\bobligations? ${run(obligations)}`, 'g'), 'the notification concerned'],
    [new RegExp(`\\bevidence (?:items? )?${run(evidence)}`, 'g'), 'evidence held on file'],
    [new RegExp(anyOf(refs.map((r) => r.text)), 'g'), (m) => becomes.get(m) ?? ''], // any other mention
    [/\bAssessment v\d+, /g, 'Our assessment of '],
    [/\bassessment v\d+\b/gi, 'our assessment'],
    [/;\s*(?=[.;]|$)/g, ''],
  ];
}

const ISO = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\b/g;

/** Marks that stand for a kept passage while the rest of the line is scrubbed (private-use characters). */
const OPEN = '\uE000';
const CLOSE = '\uE001';

/**
 * Stands each of the firm's own words in the line for a mark, so no rule reaches into them. A line
 * that already holds a mark (evidence can say anything) is scrubbed whole rather than restored wrongly.
 */
function keepOwn(line: string, own: readonly string[]): { line: string; kept: string[] } {
  const kept: string[] = [];
  if (line.includes(OPEN) || line.includes(CLOSE)) return { line, kept };
  let out = line;
  for (const w of own) {
    if (!out.includes(w)) continue;
    out = out.split(w).join(`${OPEN}${kept.length}${CLOSE}`);
    kept.push(w);
  }
  return { line: out, kept };
}

/** The scrub for one document: its references taken out, its firm's own words kept as written. */
export function scrubber(d: Pick<Draft, 'references' | 'ownWords' | 'timeZone'>): (line: string) => string {
  const refs = d.references ?? [];
  const rules = scrubRules(refs);
  const texts = new Set(refs.map((r) => r.text));
  // Longest first, so a passage is kept whole before a shorter one inside it; never a reference itself.
  const own = [...new Set(d.ownWords ?? [])].filter((w) => w.trim().length >= 2 && !texts.has(w)).sort((a, b) => b.length - a.length);
  return (line) => {
    const { line: masked, kept } = keepOwn(line, own);
    // A raw timestamp from the evidence is shown as every other time in the document is.
    let s = masked.replace(ISO, (iso) => (Number.isNaN(Date.parse(iso)) ? iso : showTime(iso, d.timeZone)));
    for (const [re, to] of rules) s = typeof to === 'string' ? s.replace(re, to) : s.replace(re, to);
    s = s
      .replace(/\s{2,}/g, ' ')
      .replace(/\s+([.,;:])/g, '$1')
      .trim();
    return kept.length ? s.replace(new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g'), (_, i: string) => kept[Number(i)] ?? '') : s;
  };
}

function sendItem(i: DraftItem, scrub1: (line: string) => string): DraftItem {
  if (i.kind === 'field') return { ...i, lines: i.lines.map(scrub1).filter((l) => l !== ''), open: undefined, trace: [], source: '' };
  // A leading reference column is the tool's own numbering.
  const drop = i.columns[0] === 'Ref' ? 1 : 0;
  return {
    ...i,
    columns: i.columns.slice(drop).map((c) => scrub1(c.replace(/\s*\[confirmation\]/, ''))),
    rows: i.rows.map((r) => r.slice(drop).map(scrub1)),
    note: i.note === undefined ? undefined : scrub1(i.note.replace(/ are in the JSON draft/, ' are held on file')),
    open: undefined,
    trace: [],
    source: '',
  };
}

/** What still holds the send copy back: every open question but those the signer answers on sending. */
export function blockingQuestions(d: Draft): OpenItem[] {
  return d.open.filter((o) => !o.atSigning);
}

export function sendCopy(d: Draft): Draft {
  const blocking = blockingQuestions(d);
  if (blocking.length) throw new SendCopyRefused(d, blocking);
  const scrub = scrubber(d);
  const sections = d.sections.map((s) => ({ ...s, items: s.items.map((i) => sendItem(i, scrub)) }));
  // The send copy's stamp names the firm's case reference only as the hash's subject: no internal id is printed.
  // The references and the firm's words served the scrub; neither is part of what is sent.
  const { references: _r, ownWords: _w, ...said } = d;
  // A letter's readers learn whom it is for, not which other letters go to whom.
  const audience = d.audience ? { ...d.audience, letters: d.audience.letters.filter((l) => l.id === d.audience?.id) } : undefined;
  return {
    ...said,
    ...(audience ? { audience } : {}),
    copy: 'send',
    basis: '',
    caveats: [],
    open: [],
    caseRef: '',
    sections,
    stamp: { ...d.stamp, caseRef: '', contentHash: contentHash({ title: d.title, sections }) },
  };
}
