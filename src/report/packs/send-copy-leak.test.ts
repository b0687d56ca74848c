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
import { JFSC_NARRATIVE, FIXTURE_REF, fixtureCase, WITH_PROCESSOR } from '../../regulatory/test-helpers/fixture-case.js';
import { docxText } from '../../test-support/zip-text.js';
import { pdfPages } from '../../test-support/pdf-text.js';
import { schemaErrors } from '../../test-support/json-schema.js';
import { skipIf } from '../../test-support/skips.js';
import { chromiumMissing, renderPackDocx, renderPackHtml, renderPackJson, renderPackPdfs } from './index.js';
import { checkAnswers } from '../../assess/breach/answers.js';

// The realistic case with every question answered, every authority filed (two late), and decisions
// per obligation (an exception, a duty confirmed) citing evidence and obligations by their ids, so each pack has a send copy to render;
// with a dataset held as a client's processor, so the processor's notice to that client is read too.
const ANSWERED = checkAnswers({
  ...WITH_PROCESSOR,
  narrative: {
    ...WITH_PROCESSOR.narrative,
    ...JFSC_NARRATIVE,
  },
});

let fx: Fixture;
const sent: Draft[] = [];
let findingRules: string[] = [];

before(async () => {
  fx = await fixtureCase({ answers: ANSWERED, file: true, lateGuernsey: true });
  await assessCase(fx.store, FIXTURE_REF, ANSWERED, '2021-03-11T14:00:00.000Z');
  const obligations = await fx.store.listObligations(FIXTURE_REF);
  const first = (rule: string, stage = 'initial') => obligations.find((o) => o.ruleId === rule && o.stage === stage)?.ref;
  for (const [rule, reference] of [
    ['UK_GDPR_ART33', 'ICO-IC-2021-9'],
    ['EU_GDPR_ART33_WP29', 'CNIL-2021-0311'],
  ] as const) {
    const ob = first(rule);
    assert.ok(ob, rule);
    await fx.store.recordFiling(FIXTURE_REF, {
      obligation: ob,
      reference,
      sentAt: '2021-03-12T17:00:00Z',
      channel: 'sa_portal',
      content: {},
      delayReasons: 'Residents of this country were only identified on 12 March.',
    });
  }
  // Evidence registered in the case, and decisions that cite it and name obligations as the command line does.
  const triage = join(fx.dir, 'EX01-triage.log');
  writeFileSync(triage, 'collected on EX01\n');
  const { item } = await fx.store.addEvidence(FIXTURE_REF, { path: triage, source: 'EX01, KAPE' });
  const eu = first('EU_GDPR_ART34');
  const gg = first('GG_DPL_DATA_SUBJECTS');
  assert.ok(eu && gg);
  await fx.store.decide(FIXTURE_REF, {
    kind: 'notify',
    decision: 'No individual letters to the French residents; a public notice instead',
    rationale: 'addresses not held for most of them',
    obligation: eu,
    outcome: 'exception',
    ground: 'disproportionate-effort',
    approvedBy: 'Board',
    approvedAt: '2021-03-10T09:00:00Z',
    decidedAt: '2021-03-10T09:00:00Z',
  });
  await fx.store.decide(FIXTURE_REF, {
    kind: 'notify',
    decision: 'Tell the Guernsey residents',
    rationale: `high risk to their significant interests, as for JOIC-1 (see decision D1, obligation ${gg})`,
    evidence: [item.ref],
    obligation: gg,
    outcome: 'required',
    approvedBy: 'Board',
    decidedAt: '2021-03-10T09:30:00Z',
  });
  const s = await refreshObligations(fx.store, FIXTURE_REF, '2021-03-13T10:00:00.000Z');
  const c = { facts: s.facts, assessment: s.assessment, obligations: s.obligations, clocks: s.clocks, now: '2021-03-13T10:00:00.000Z', tz: 'Europe/Jersey' };
  findingRules = [...new Set(s.facts.findings.map((f) => f.ruleId))];
  const drafts = PACKS.flatMap((p) => [...buildDrafts(p, c), ...(p === 'joic' ? buildOtherAuthorityDrafts(c) : [])]);
  for (const d of drafts) sent.push(sendCopy(d));
});
after(() => fx.close());

/** Internal material, by what it is: none of it may reach a reader outside the firm. */
function internal(caseRef: boolean): [string, RegExp][] {
  return [
    ['decision refs', /\bD\d+\b/],
    ['obligation refs', /\bO\d+\b/],
    ['evidence refs', /\bE\d+\b/],
    ['obligation names', /\b(?:JOIC|JFSC|ODPA|ICO|CNIL|GFSC|JCSC|UK|EU)-\d+\b(?![-/\d])/],
    ['rule ids', /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/],
    ['scan ids', /\bscans? #?\d+\b/i],
    ['finding ids', /\bfindings? #\d+\b/i],
    ['working lines', /\b(?:From|Question): /],
    ['open-question boxes', /OPEN QUESTION|STILL OPEN|DRAFT/],
    ['grades', /\[[CPGI]\]/],
    ['answers-file keys', /answers:|narrative\.|datasets\[|firm\.[a-z]/],
    ['commands', /\bexir [a-z]/],
    ['assessment versions', /assessment v\d/i],
    ...(caseRef ? ([['case ids', /acme\/proxylogon/]] as [string, RegExp][]) : []),
  ];
}

/** Every leak in one document, said briefly with the words around it. */
function leaks(what: string, text: string, d: Draft): string[] {
  const where = `${what} of "${d.title}"${d.audience ? ` (${d.audience.id})` : ''}`;
  const out: string[] = [];
  // The breach log is the firm's own record: its case reference belongs in it.
  for (const [kind, re] of internal(d.pack !== 'register')) {
    const m = re.exec(text);
    if (m) out.push(`${where} shows ${kind}: …${text.slice(Math.max(0, m.index - 50), m.index + 30).replace(/\s+/g, ' ')}…`);
  }
  for (const id of findingRules) if (text.includes(id)) out.push(`${where} shows the detection rule id ${id}`);
  return out;
}

function assertClean(found: string[]): void {
  if (found.length) assert.fail(`${found.length} leak(s):\n${found.join('\n')}`);
}

test('every pack renders a send copy in the realistic case with decisions and filings', () => {
  assert.deepEqual([...new Set(sent.map((d) => d.pack))].sort(), [...PACKS].sort());
  assert.ok(sent.some((d) => /CNIL/.test(d.title)) && sent.some((d) => /ICO|Information Commissioner/.test(d.title)));
});

test('JSON send copies keep the published contract (schema/pack-draft.schema.json)', () => {
  const broken = sent.flatMap((d) => schemaErrors('pack-draft', JSON.parse(renderPackJson(d))).map((e) => `${d.title}: ${e}`));
  assert.deepEqual(broken, []);
});

test('HTML send copies: no internal ids, working lines or grades anywhere on the page', () => {
  assertClean(sent.flatMap((d) => leaks('HTML', visibleText(renderPackHtml(d)), d)));
});

test('JSON send copies: no internal ids, working lines or grades in any value', () => {
  assertClean(
    sent.flatMap((d) => {
      const { stamp: _s, generatedAt: _g, pack: _p, ...said } = JSON.parse(renderPackJson(d)) as Draft & { format: string };
      return leaks('JSON', JSON.stringify(said), d);
    }),
  );
});

test('DOCX send copies: no internal ids in the text or the document properties', async () => {
  const found: string[] = [];
  for (const d of sent) for (const [part, text] of await docxText(await renderPackDocx(d))) found.push(...leaks(`DOCX ${part}`, text, d));
  assertClean(found);
});

test('PDF send copies: no internal ids in what the pages say', async (t) => {
  if (skipIf(t, 'chromium', chromiumMissing())) return;
  const pdfs = await renderPackPdfs(sent);
  const found: string[] = [];
  for (const [i, pdf] of pdfs.entries()) found.push(...leaks('PDF', (await pdfPages(pdf)).join('\n'), sent[i] as Draft));
  assertClean(found);
});
