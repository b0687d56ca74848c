import assert from 'node:assert/strict';
import { visibleText } from '../../test-support/html-text.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Draft } from '../../regulatory/draft-types.js';
import { buildDrafts, buildOtherAuthorityDrafts } from '../../regulatory/draft.js';
import { assessCase, refreshObligations } from '../../regulatory/refresh.js';
import { PACKS } from '../../regulatory/rules.js';
import { sendCopy } from '../../regulatory/send-copy.js';
import type { Fixture } from '../../regulatory/test-helpers/fixture-case.js';
import { JFSC_NARRATIVE, FIXTURE_REF, fixtureCase, REALISTIC_ANSWERS } from '../../regulatory/test-helpers/fixture-case.js';
import { docxText } from '../../test-support/zip-text.js';
import { pdfPages } from '../../test-support/pdf-text.js';
import { skipIf } from '../../test-support/skips.js';
import { chromiumMissing, renderPackDocx, renderPackHtml, renderPackJson, renderPackPdfs } from './index.js';
import { checkAnswers } from '../../assess/breach/answers.js';

// The twin of send-copy-leak.test.ts: a firm whose own words look like the tool's references (its
// JOIC registration JOIC-55, its JFSC registration TCB-123, a phone model O2, a mailbox E1, its file
// D3) while the case really has an evidence item E1 and decisions up to D3. The send copy must take
// out the case's references and keep every word the firm wrote.
const CONTAINMENT = 'Mailbox E1 and the model O2 phone were wiped and reissued; our file D3 holds the details.';
const ROOT_CAUSE = 'Our JFSC registration TCB-123 requires monthly patching; the March 2021 update was missed.';
const OWN = [CONTAINMENT, ROOT_CAUSE, 'JOIC-55'];

const ANSWERS = checkAnswers({
  ...REALISTIC_ANSWERS,
  firm: { ...REALISTIC_ANSWERS.firm, joicRegistration: 'JOIC-55' },
  narrative: {
    ...REALISTIC_ANSWERS.narrative,
    containment: CONTAINMENT,
    rootCause: ROOT_CAUSE,
    ...JFSC_NARRATIVE,
  },
});

let fx: Fixture;
const pairs: { working: Draft; sent: Draft }[] = [];

before(async () => {
  fx = await fixtureCase({ answers: ANSWERS, file: true, lateGuernsey: true });
  const triage = join(fx.dir, 'EX01-triage.log');
  writeFileSync(triage, 'collected on EX01\n');
  const { item } = await fx.store.addEvidence(FIXTURE_REF, { path: triage, source: 'EX01, KAPE' });
  assert.equal(item.ref, 'E1', 'the case has an evidence item named as the firm names its mailbox');
  for (const n of [2, 3])
    await fx.store.decide(FIXTURE_REF, {
      kind: 'notify',
      decision: `Decision ${n} of the board`,
      rationale: `as decided in D1, on evidence ${item.ref}`,
      evidence: [item.ref],
      approvedBy: 'Board',
      decidedAt: `2021-03-10T0${n}:00:00Z`,
    });
  await assessCase(fx.store, FIXTURE_REF, ANSWERS, '2021-03-11T14:00:00.000Z');
  const s = await refreshObligations(fx.store, FIXTURE_REF, '2021-03-13T10:00:00.000Z');
  assert.ok(s.facts.decisions.some((d) => d.ref === 'D3') && s.obligations.some((o) => o.ref === 'O2'));
  const c = { facts: s.facts, assessment: s.assessment, obligations: s.obligations, clocks: s.clocks, now: '2021-03-13T10:00:00.000Z', tz: 'Europe/Jersey' };
  const drafts = PACKS.flatMap((p) => [...buildDrafts(p, c), ...(p === 'joic' ? buildOtherAuthorityDrafts(c) : [])]);
  for (const d of drafts) if (d.open.every((o) => o.atSigning)) pairs.push({ working: d, sent: sendCopy(d) });
});
after(() => fx.close());

const flat = (s: string): string => s.replace(/\s+/g, ' ');

/** The firm's words the working draft says, each of which the send copy must say as written. */
function expected(d: Draft): string[] {
  const said = flat(JSON.stringify(d.sections));
  return OWN.filter((w) => said.includes(w));
}

/** PDF.js gives a page's text in runs joined by spaces, so a PDF is compared without its spacing. */
function missing(what: string, text: string, w: Draft, spacing = true): string[] {
  const norm = (s: string): string => (spacing ? flat(s) : s.replace(/\s+/g, ''));
  const shown = norm(text);
  return expected(w)
    .filter((x) => !shown.includes(norm(x)))
    .map((x) => `${what} of "${w.title}"${w.audience ? ` (${w.audience.id})` : ''} lost or changed: ${x}`);
}

test('the firm’s words are in the drafts that must keep them, and the case’s own E1 and D1 are not', () => {
  const all = pairs.flatMap((p) => expected(p.working));
  for (const w of OWN) assert.ok(all.includes(w), `no sendable draft says ${w}`);
  const register = pairs.find((p) => p.working.pack === 'register');
  assert.ok(register);
  const text = flat(JSON.stringify(register.sent.sections));
  assert.match(JSON.stringify(register.working.sections), /evidence E1/);
  assert.doesNotMatch(text, /evidence E1|\bD1\b/, 'the decision quoting the case’s references is scrubbed');
});

test('HTML and JSON send copies keep the firm’s words verbatim', () => {
  const found = pairs.flatMap(({ working, sent }) => [
    ...missing('HTML', visibleText(renderPackHtml(sent)), working),
    ...missing('JSON', JSON.stringify((JSON.parse(renderPackJson(sent)) as Draft).sections), working),
  ]);
  assert.deepEqual(found, []);
});

test('DOCX send copies keep the firm’s words verbatim', async () => {
  const found: string[] = [];
  for (const { working, sent } of pairs) {
    const parts = await docxText(await renderPackDocx(sent));
    found.push(...missing('DOCX', [...parts].map(([, t]) => t).join(' '), working));
  }
  assert.deepEqual(found, []);
});

test('PDF send copies keep the firm’s words verbatim', async (t) => {
  if (skipIf(t, 'chromium', chromiumMissing())) return;
  const pdfs = await renderPackPdfs(pairs.map((p) => p.sent));
  const found: string[] = [];
  for (const [i, pdf] of pdfs.entries()) {
    const p = pairs[i];
    assert.ok(p);
    found.push(...missing('PDF', (await pdfPages(pdf)).join(' '), p.working, false));
  }
  assert.deepEqual(found, []);
});
