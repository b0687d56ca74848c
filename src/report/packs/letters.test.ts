import assert from 'node:assert/strict';
import { visibleText } from '../../test-support/html-text.js';
import { after, before, test } from 'node:test';
import type { Draft } from '../../regulatory/draft-types.js';
import { buildDrafts } from '../../regulatory/draft.js';
import { assessCase, refreshObligations } from '../../regulatory/refresh.js';
import { sendCopy } from '../../regulatory/send-copy.js';
import type { Fixture } from '../../regulatory/test-helpers/fixture-case.js';
import { JFSC_NARRATIVE, FIXTURE_REF, fixtureCase, REALISTIC_ANSWERS } from '../../regulatory/test-helpers/fixture-case.js';
import { docxText } from '../../test-support/zip-text.js';
import { pdfPages } from '../../test-support/pdf-text.js';
import { skipIf } from '../../test-support/skips.js';
import { chromiumMissing, renderPackDocx, renderPackHtml, renderPackJson, renderPackPdfs } from './index.js';
import { checkAnswers } from '../../assess/breach/answers.js';
import type { BreachAnswers } from '../../assess/breach/types.js';

// The realistic case of issue #12 (KYC clients with criminal-record checks in Jersey, Guernsey, the UK
// and France; staff with health data in Jersey and Guernsey; a late Guernsey filing), with the
// letter answers a firm gives: its letterhead, its signer and its own reference.
const LETTERED = checkAnswers({
  ...REALISTIC_ANSWERS,
  firm: {
    ...REALISTIC_ANSWERS.firm,
    letterhead: { address: ['22 Esplanade', 'St Helier', 'Jersey JE2 3QA'], phone: '+44 1534 000001', website: 'www.acme.je' },
    signer: { name: 'Alex Carter', role: 'Managing Director' },
    letterReference: 'AC/DP/2021-03',
  },
  narrative: {
    ...REALISTIC_ANSWERS.narrative,
    ...JFSC_NARRATIVE,
  },
});

const NOW = '2021-03-13T10:00:00.000Z';
let fx: Fixture;

async function drafts(answers: BreachAnswers, pack: 'subjects' | 'jfsc'): Promise<Draft[]> {
  await assessCase(fx.store, FIXTURE_REF, answers, '2021-03-11T14:00:00.000Z');
  const s = await refreshObligations(fx.store, FIXTURE_REF, NOW);
  return buildDrafts(pack, { facts: s.facts, assessment: s.assessment, obligations: s.obligations, clocks: s.clocks, now: NOW, tz: 'Europe/Jersey' });
}

let letters: Draft[] = [];

before(async () => {
  fx = await fixtureCase({ answers: LETTERED, file: true, lateGuernsey: true });
  letters = (await drafts(LETTERED, 'subjects')).map(sendCopy);
});
after(() => fx.close());

const lines = (d: Draft, id: string): string[] => {
  const i = d.sections.flatMap((s) => s.items).find((x) => x.id === id);
  assert.ok(i && i.kind === 'field', id);
  return i.lines;
};
const byAudience = (id: string): Draft => {
  const d = letters.find((x) => x.audience?.id === id);
  assert.ok(d, `a letter for ${id}: ${letters.map((x) => x.audience?.id).join(', ')}`);
  return d;
};

test('the letter to the people affected has a letterhead, the date, the firm’s reference, an addressee, a signature and where to complain', () => {
  const kyc = byAudience('kyc');
  assert.deepEqual(lines(kyc, 'subjects.letterhead'), [
    'Acme Trust Company Limited',
    '22 Esplanade',
    'St Helier',
    'Jersey JE2 3QA',
    'Telephone +44 1534 000001 · www.acme.je',
  ]);
  assert.deepEqual(lines(kyc, 'subjects.date'), ['13 March 2021', 'Our reference: AC/DP/2021-03']);
  assert.deepEqual(lines(kyc, 'subjects.addressee'), ['«Name»', '«Postal address»']);
  assert.match(lines(kyc, 'subjects.opening').join(' '), /^Dear «Name»,.*one of our clients or beneficial owners/);
  assert.deepEqual(lines(kyc, 'subjects.sign-off'), ['Yours sincerely,', 'Alex Carter', 'Managing Director', 'Acme Trust Company Limited']);
  const rights = lines(kyc, 'subjects.rights');
  assert.deepEqual(
    rights.slice(1, 5).map((l) => /\(([A-Z]+)\)/.exec(l)?.[1]),
    ['JOIC', 'ODPA', 'ICO', 'CNIL'],
    'the home authority, then the islands, the UK and the EU state where readers live',
  );
  assert.match(rights[1] ?? '', /under the law of Jersey: 2nd Floor, 5 Castle Street, St Helier, Jersey JE2 3BT; telephone \+44 1534 716530/);
  assert.match(rights[4] ?? '', /if you live in France: 3 Place de Fontenoy/);
  assert.match(rights.at(-1) ?? '', /representative there: Acme EU Representative SAS, rep@acme-eu\.fr/);
});

/** The letters of a case of their own on these answers (answers given later are laid over earlier ones, so none can be taken away). */
async function freshLetters(answers: BreachAnswers): Promise<Draft[]> {
  const f = await fixtureCase({ answers });
  try {
    const s = await refreshObligations(f.store, FIXTURE_REF, NOW);
    return buildDrafts('subjects', { facts: s.facts, assessment: s.assessment, obligations: s.obligations, clocks: s.clocks, now: NOW, tz: 'Europe/Jersey' });
  } finally {
    await f.close();
  }
}

test('without a letter reference none is printed, never an internal id; without a signer the contact signs', async () => {
  const { letterReference: _r, signer: _s, ...firm } = LETTERED.firm ?? {};
  const [kyc] = await freshLetters(checkAnswers({ ...LETTERED, firm }));
  assert.ok(kyc);
  assert.deepEqual(lines(kyc, 'subjects.date'), ['13 March 2021']);
  assert.deepEqual(lines(kyc, 'subjects.sign-off'), ['Yours sincerely,', 'Jo Bloggs', 'Compliance Officer', 'Acme Trust Company Limited']);
  const { contact: _c, letterhead: _l, ...bare } = firm;
  const [unsigned] = await freshLetters(checkAnswers({ ...LETTERED, firm: bare }));
  assert.ok(unsigned);
  const open = unsigned.open.filter((o) => o.id === 'subjects.sign-off' || o.id === 'subjects.letterhead');
  assert.deepEqual(
    open.map((o) => [o.id, o.atSigning]),
    [
      ['subjects.letterhead', true],
      ['subjects.sign-off', true],
    ],
    'asked for, but no law needs them to send',
  );
  assert.match(open[1]?.needed ?? '', /firm\.signer/);
  assert.deepEqual(lines(unsigned, 'subjects.sign-off'), ['Yours sincerely,', 'Acme Trust Company Limited']);
});

test('where the firm has not said where it is established, each reader is still given the authority of where they live', async () => {
  const { establishments: _e, gdprScope: _g, ...firm } = LETTERED.firm ?? {};
  const hr = (await freshLetters(checkAnswers({ ...LETTERED, firm }))).find((d) => d.audience?.id === 'hr');
  assert.ok(hr);
  assert.deepEqual(
    lines(hr, 'subjects.rights')
      .slice(1)
      .map((l) => /\(([A-Z]+)\)/.exec(l)?.[1]),
    ['JOIC', 'ODPA'],
  );
});

test('the JFSC letter has the letterhead, the date, the Commission as addressee and a signature', async () => {
  const [jfsc] = await drafts(LETTERED, 'jfsc');
  assert.ok(jfsc);
  const sent = sendCopy(jfsc);
  assert.equal(lines(sent, 'jfsc.letterhead')[0], 'Acme Trust Company Limited');
  assert.deepEqual(lines(sent, 'jfsc.date'), ['13 March 2021', 'Our reference: AC/DP/2021-03']);
  assert.deepEqual(lines(sent, 'jfsc.addressee'), ['The Supervisor', 'Jersey Financial Services Commission', 'St Helier, Jersey']);
  assert.deepEqual(lines(sent, 'jfsc.sign-off'), ['Yours sincerely,', 'Alex Carter', 'Managing Director', 'Acme Trust Company Limited']);
});

/** What each letter's readers must not be told: the other letter's data and numbers. */
const NOT_THEIRS: Record<string, RegExp[]> = {
  // A letter names no other letter, nor the datasets that feed it.
  kyc: [/\bhr\b/, /health/i, /employment/i, /\b60\b/, /\b800\b/, /\b1,?260\b/, /HR mailbox/],
  hr: [
    /\bkyc\b/,
    /criminal record/i,
    /passport/i,
    /identity documents/i,
    /due diligence|CDD/i,
    /financial/i,
    /\b1,?200\b/,
    /\b30,?000\b/,
    /\b1,?260\b/,
    /ICO|CNIL|France|United Kingdom/,
    // Where to report a scam is told by where the readers live: none of these live in the UK.
    /Action Fraud|Police Scotland/,
  ],
};
const THEIRS: Record<string, RegExp[]> = {
  kyc: [
    /criminal record/i,
    /identity documents/i,
    /CNIL/,
    /ICO/,
    /Action Fraud/,
    /States of Jersey Police/,
    /Guernsey Law Enforcement/,
    /police where you live/,
  ],
  hr: [/health/i, /employment/i, /ODPA/, /States of Jersey Police/, /Guernsey Law Enforcement/],
};

function misstatements(format: string, d: Draft, text: string): string[] {
  const id = d.audience?.id ?? '';
  return [
    ...(NOT_THEIRS[id] ?? [])
      .filter((re) => re.test(text))
      .map((re) => `${format} ${id} letter says ${String(re)}: …${text.slice(Math.max(0, text.search(re) - 60), text.search(re) + 40)}…`),
    ...(THEIRS[id] ?? []).filter((re) => !re.test(text)).map((re) => `${format} ${id} letter does not say ${String(re)}`),
  ];
}

test('realistic case: each letter states only its own audience’s categories, numbers and authorities, in HTML, JSON and DOCX', async () => {
  assert.deepEqual(letters.map((d) => d.audience?.id).sort(), ['hr', 'kyc']);
  assert.equal(byAudience('kyc').audience?.people, 1200);
  assert.equal(byAudience('hr').audience?.people, 60);
  const found: string[] = [];
  for (const d of letters) {
    found.push(...misstatements('HTML', d, visibleText(renderPackHtml(d))));
    const { stamp: _s, generatedAt: _g, ...said } = JSON.parse(renderPackJson(d)) as Draft;
    found.push(...misstatements('JSON', d, JSON.stringify(said)));
    found.push(...misstatements('DOCX', d, [...(await docxText(await renderPackDocx(d)))].map(([, t]) => t).join(' ')));
  }
  assert.deepEqual(found, []);
});

test('realistic case: each letter’s PDF states only its own audience’s categories, numbers and authorities', async (t) => {
  if (skipIf(t, 'chromium', chromiumMissing())) return;
  const pdfs = await renderPackPdfs(letters);
  const found: string[] = [];
  for (const [i, pdf] of pdfs.entries()) found.push(...misstatements('PDF', letters[i] as Draft, (await pdfPages(pdf)).join(' ')));
  assert.deepEqual(found, []);
});
