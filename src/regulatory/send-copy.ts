// The copy a firm sends: the working draft without its working material. No provenance lines, no
// open-question boxes, no internal ids (obligation and decision refs, rule ids, assessment versions),
// no confirmation grades, no pointers to files or commands outside the document. It is refused while a
// question the document needs is still open, naming each one.

import { DEFAULT_ZONE } from '../core/zoned-time.js';
import type { Draft, DraftItem, OpenItem } from './draft-types.js';
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

/**
 * An obligation's name (src/regulatory/obligation-names.ts): an acronym and its number among that
 * recipient's obligations. Standard names of the same shape (SHA-256, UTF-8) are not names of ours.
 */
const OBLIGATION_NAME = /\b(?!(?:SHA|AES|UTF|MD|RSA|TLS|ISO|RFC|CVE|COVID|KB)-)([A-Z][A-Z0-9]{1,9})-\d{1,3}\b(?![-/\d])/g;

/** Internal material a reader outside the firm must not see, and what each becomes. */
const SCRUB: [RegExp, string][] = [
  [/\s*\[(?:C|P|G|I)\]/g, ''], // confirmation grades
  [/\s*\((?:[^()]*\b(?:answers?|exir|see the assessment|regulatory\.md|data\/regulatory)\b[^()]*)\)/g, ''], // pointers to answers files, commands, notes
  [/\s*\((?:[^()]*(?:datasets\[|firm\.[a-z]|narrative\.)[^()]*)\)/g, ''], // pointers to answer keys
  [/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+-\d{1,3}\b(?![-/\d])/g, 'the notification concerned'], // an obligation named by its rule (EU_GDPR_ART34-1)
  [OBLIGATION_NAME, '$1'], // an obligation named as the command line names it (JOIC-1): its recipient
  [/\s*\((?:[A-Z][A-Z0-9]*_[A-Z0-9_]+)\)/g, ''], // (RULE_ID)
  [/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g, ''], // a bare rule id
  [/\s*\[[a-z0-9]+(?:-[a-z0-9]+)+\]/g, ''], // [detection-rule-id]
  [/^(?:O|D)\d+\b:?\s*(?:\[[a-z-]+\]\s*)?/g, ''], // an obligation or decision ref leading a line
  [/\bdecisions? D\d+(?:(?:,\s*|\s+and\s+)D\d+)*\b/g, 'a recorded decision'],
  [/\bobligations? O\d+(?:(?:,\s*|\s+and\s+)O\d+)*\b/g, 'the notification concerned'],
  [/\bevidence (?:items? )?E\d+(?:(?:,\s*|\s+and\s+)E\d+)*\b/g, 'evidence held on file'],
  [/\bD\d+\b/g, 'a recorded decision'], // a decision ref the firm's own words quote
  [/\bO\d+\b/g, 'the notification concerned'],
  [/\bE\d+\b/g, 'an evidence item held on file'],
  [/\bAssessment v\d+, /g, 'Our assessment of '],
  [/\bassessment v\d+\b/gi, 'our assessment'],
  [/;\s*(?=[.;]|$)/g, ''],
];

const ISO = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\b/g;

export function scrub(line: string, tz = DEFAULT_ZONE): string {
  // A raw timestamp from the evidence is shown as every other time in the document is.
  let s = line.replace(ISO, (iso) => (Number.isNaN(Date.parse(iso)) ? iso : showTime(iso, tz)));
  for (const [re, to] of SCRUB) s = s.replace(re, to);
  return s
    .replace(/\s{2,}/g, ' ')
    .replace(/\s+([.,;:])/g, '$1')
    .trim();
}

function sendItem(i: DraftItem, tz: string): DraftItem {
  const scrub1 = (l: string): string => scrub(l, tz);
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
  const sections = d.sections.map((s) => ({ ...s, items: s.items.map((i) => sendItem(i, d.timeZone)) }));
  // The send copy's stamp names the firm's case reference only as the hash's subject: no internal id is printed.
  return {
    ...d,
    copy: 'send',
    basis: '',
    caveats: [],
    open: [],
    caseRef: '',
    sections,
    stamp: { ...d.stamp, caseRef: '', contentHash: contentHash({ title: d.title, sections }) },
  };
}
