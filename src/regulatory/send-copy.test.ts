import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Draft, InternalRef } from './draft-types.js';
import { buildDrafts, buildOtherAuthorityDrafts } from './draft.js';
import { refreshObligations } from './refresh.js';
import { PACKS } from './rules.js';
import { SendCopyRefused, scrubber, sendCopy } from './send-copy.js';
import type { Fixture } from './test-helpers/fixture-case.js';
import { FIXTURE_REF, fixtureCase, REALISTIC_ANSWERS } from './test-helpers/fixture-case.js';

let fx: Fixture;
const drafts: Draft[] = [];

before(async () => {
  fx = await fixtureCase({ answers: REALISTIC_ANSWERS, file: true, lateGuernsey: true });
  const s = await refreshObligations(fx.store, FIXTURE_REF, fx.now);
  const c = { facts: s.facts, assessment: s.assessment, obligations: s.obligations, clocks: s.clocks, now: fx.now, tz: 'Europe/Jersey' };
  for (const p of PACKS) drafts.push(...buildDrafts(p, c), ...(p === 'joic' ? buildOtherAuthorityDrafts(c) : []));
});
after(() => fx.close());

/** What a reader outside the firm must never see in a send copy. */
export const WORKING_MATERIAL: [string, RegExp][] = [
  ['provenance', /From: |Question: /],
  ['open-question boxes', /OPEN QUESTION|STILL OPEN/],
  ['draft banner', /DRAFT/],
  ['obligation or decision refs', /\b[OD]\d+\b/],
  ['confirmation grades', /\[[CPGI]\]/],
  ['answers-file pointers', /answers:|narrative\./],
  ['commands', /\bexir [a-z]/],
  ['rule ids', /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/],
  ['assessment versions', /assessment v\d/i],
  ['working notes', /regulatory\.md|data\/regulatory/],
  ['answer keys', /datasets\[|firm\.[a-z]/],
  ['raw ISO times', /\d{4}-\d{2}-\d{2}T\d/],
  ['case ids', /acme\/proxylogon/],
];

test('the realistic case: every send copy that renders carries none of the working material; the working copy keeps it', () => {
  const sent = drafts.filter((d) => d.open.every((o) => o.atSigning));
  assert.ok(
    sent.length >= 5,
    `expected the letters, board, register and the JOIC and ODPA reports to be sendable; got ${sent.map((d) => d.title).join(' | ')}`,
  );
  assert.ok(sent.some((d) => /ODPA/.test(d.title)) && sent.some((d) => d.pack === 'subjects'));
  for (const d of sent) {
    // What a reader sees: the title, the meta line and every section (the JSON's machine keys, e.g. generatedAt, aside).
    const sent = sendCopy(d);
    const text = JSON.stringify([sent.title, sent.firmName, sent.generatedAtShown, sent.caseRef, sent.basis, sent.caveats, sent.open, sent.sections]);
    for (const [what, re] of WORKING_MATERIAL) {
      // The breach log is the firm's own record: its case reference belongs in it.
      if (d.pack === 'register' && what === 'case ids') continue;
      assert.doesNotMatch(text, re, `${d.title} ${d.audience?.id ?? ''}: ${what}`);
    }
  }
  const working = JSON.stringify(drafts.find((d) => d.pack === 'register'));
  assert.match(working, /answers: /);
  assert.match(working, /\[[CPGI]\]|assessment v\d/);
});

test('the send copy is refused while a required question is open, and names each one; the declarations do not hold it back', () => {
  const jfsc = drafts.find((d) => d.pack === 'jfsc');
  assert.ok(jfsc);
  assert.throws(
    () => sendCopy(jfsc),
    (e: unknown) => e instanceof SendCopyRefused && /J5 Impact on clients/.test(e.message) && /narrative\.clientImpact/.test(e.message),
  );
  const joic = drafts.find((d) => d.title === 'Personal data breach report to the JOIC');
  assert.ok(joic && joic.open.some((o) => o.id === 'joic.declarations'));
  const sent = sendCopy(joic);
  assert.equal(sent.copy, 'send');
  const decl = sent.sections.flatMap((s) => s.items).find((i) => i.id === 'joic.declarations');
  assert.ok(decl && decl.kind === 'field' && decl.lines.length === 4, 'the signer still sees the declarations to tick');
});

/** A one-field draft saying the lines given, with the case's references and the firm's words as given. */
function oneField(lines: string[], references: InternalRef[] = [], ownWords: string[] = []): Draft {
  const base = drafts.find((d) => d.pack === 'register');
  assert.ok(base);
  return {
    ...base,
    open: [],
    references,
    ownWords,
    sections: [{ title: 'Entry', style: 'form', items: [{ kind: 'field', id: 'x', label: 'X', lines, open: undefined, trace: [], source: '' }] }],
  };
}

const sentLines = (d: Draft): string[] => sendCopy(d).sections.flatMap((s) => s.items.flatMap((i) => (i.kind === 'field' ? i.lines : [])));

const REFS: InternalRef[] = [
  { text: 'O8', kind: 'obligation', becomes: 'the notification concerned' },
  { text: 'O15', kind: 'obligation', becomes: 'the notification concerned' },
  { text: 'JOIC-1', kind: 'obligation', becomes: 'JOIC' },
  { text: 'EU_GDPR_ART34-2', kind: 'obligation', becomes: 'the notification concerned' },
  { text: 'EU_GDPR_ART34', kind: 'rule', becomes: '' },
  { text: 'D1', kind: 'decision', becomes: 'a recorded decision' },
  { text: 'E1', kind: 'evidence', becomes: 'an evidence item held on file' },
  { text: 'E2', kind: 'evidence', becomes: 'an evidence item held on file' },
  { text: 'iis-dropzone-page-post-200', kind: 'detection', becomes: '' },
];

test("the firm's own words keep their shape: a registration JOIC-55, TCB-123, a phone model O2, a mailbox E1, a file D3 are not references of the case", () => {
  const firm = ['Registration: JOIC-55', 'JFSC registration TCB-123', 'Mailbox E1 and model O2 phone; see our file D3'];
  // No reference of this case has those names: nothing is taken out, whatever its shape.
  assert.deepEqual(sentLines(oneField(firm)), firm);
  // Where the case has a reference E1 and the firm's answer says "Mailbox E1", the answer is kept and the reference is not.
  const own = 'Mailbox E1 and model O2 phone; see our file D3';
  assert.deepEqual(sentLines(oneField([own, `Containment: ${own}`, 'Why: evidence E1 (see decision D1)'], REFS, [own])), [
    own,
    `Containment: ${own}`,
    'Why: evidence held on file (see a recorded decision)',
  ]);
});

test('scrub takes out ids, grades and pointers and leaves the sentence readable', () => {
  const scrub = scrubber({ references: REFS, ownWords: [], timeZone: 'Europe/Jersey' });
  assert.equal(
    scrub("O15 JFSC (the firm's supervisor), initial: filed. Law: Codes of Practice, Principle 6 [P]"),
    "JFSC (the firm's supervisor), initial: filed. Law: Codes of Practice, Principle 6",
  );
  assert.equal(scrub('Our answers follow (answers: narrative.remediation).'), 'Our answers follow.');
  assert.equal(scrub('Web shell POST [iis-dropzone-page-post-200]'), 'Web shell POST');
  // The firm's own words quote refs and names as the command line gives them; standard names stay.
  assert.equal(
    scrub('As for JOIC-1 and EU_GDPR_ART34-2 (see decision D1, obligation O8; evidence E1, E2): SHA-256, UTF-8, ref ODPA-2021-117'),
    'As for JOIC and the notification concerned (see a recorded decision, the notification concerned; evidence held on file): SHA-256, UTF-8, ref ODPA-2021-117',
  );
});
