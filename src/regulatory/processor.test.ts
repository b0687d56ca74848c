import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { AnswersError, checkAnswers } from '../assess/breach/answers.js';
import { assessBreach } from '../assess/breach/assess.js';
import type { BreachAnswers } from '../assess/breach/types.js';
import type { StoredObligation } from '../case/regulatory-types.js';
import type { HarnessFactory } from '../case/test-support/harness.js';
import { onBothStores } from '../case/test-support/harness.js';
import type { Draft } from './draft-types.js';
import { buildDraft, buildDrafts } from './draft.js';
import type { ObligationTemplate } from './obligations.js';
import { generateObligations } from './obligations.js';
import { refreshObligations } from './refresh.js';
import { rulePack } from './rules.js';
import { blockingQuestions, sendCopy } from './send-copy.js';
import type { Fixture } from './test-helpers/fixture-case.js';
import { CLIENT, FIXTURE_ANSWERS, FIXTURE_REF, fixtureCase, PAYROLL, REALISTIC_ANSWERS, WITH_PROCESSOR } from './test-helpers/fixture-case.js';

/** Only a client's data: the firm is processor for all of it. */
const ONLY_PROCESSOR: BreachAnswers = checkAnswers({
  ...FIXTURE_ANSWERS,
  firm: { ...FIXTURE_ANSWERS.firm, role: ['processor'], establishments: ['JE', 'GG'] },
  datasets: [PAYROLL],
});

const NOW = '2021-03-11T15:00:00.000Z';
const tmpl = (o: StoredObligation): Partial<ObligationTemplate> => o.template as Partial<ObligationTemplate>;

async function standing(fx: Fixture) {
  const s = await refreshObligations(fx.store, FIXTURE_REF, NOW);
  return { s, c: { facts: s.facts, assessment: s.assessment, obligations: s.obligations, clocks: s.clocks, now: NOW, tz: 'Europe/Jersey' } };
}

/** Everything a document says, in one string. */
const said = (d: Draft): string => JSON.stringify([d.title, d.sections.map((x) => x.items.map((i) => (i.kind === 'field' ? i.lines : i.rows)))]);

/** What the controller's duties are, by key, with what decides them: these must not move when a client's dataset is added. */
function controllerDuties(obligations: StoredObligation[]): Record<string, unknown> {
  return Object.fromEntries(
    obligations.filter((o) => o.active && tmpl(o).pack !== 'processor').map((o) => [o.key, [o.required, o.applicability, o.anchorAt, o.dueAt, o.hours]]),
  );
}

function suite(engine: string, factory: HarnessFactory): void {
  describe(`controller or processor per dataset (${engine})`, () => {
    async function withCase<T>(answers: BreachAnswers, fn: (fx: Fixture) => Promise<T>): Promise<T> {
      const h = await factory();
      const fx = await fixtureCase({ answers, url: h.url });
      try {
        return await fn(fx);
      } finally {
        await fx.store.close();
        await h.dispose();
      }
    }

    it("a dataset held as processor yields the processor's duties to its controller client, and no letter to its people", async () => {
      await withCase(WITH_PROCESSOR, async (fx) => {
        const { s, c } = await standing(fx);
        const toClient = s.obligations.filter((o) => o.active && o.recipient === `${CLIENT} (controller)`);
        assert.deepEqual(toClient.map((o) => [o.ruleId, o.required, o.anchorAt, o.hours, tmpl(o).role, tmpl(o).datasets]).sort(), [
          ['EU_GDPR_ART33_PROCESSOR', 'yes', '2021-03-08T09:00:00.000Z', undefined, 'processor', ['payroll']],
          ['GG_DPL_S42_PROCESSOR', 'yes', '2021-03-08T09:00:00.000Z', undefined, 'processor', ['payroll']],
          ['JE_DPJL_PROCESSOR_TO_CONTROLLER', 'yes', '2021-03-08T09:00:00.000Z', undefined, 'processor', ['payroll']],
          ['UK_GDPR_ART33_PROCESSOR', 'yes', '2021-03-08T09:00:00.000Z', undefined, 'processor', ['payroll']],
        ]);
        assert.match(toClient.find((o) => o.ruleId === 'GG_DPL_S42_PROCESSOR')?.legalReference ?? '', /s\.42\(1\)/);
        // The controller's duties speak of the firm's own datasets only.
        const letter = s.obligations.find((o) => o.ruleId === 'JE_DPJL_DATA_SUBJECTS');
        assert.deepEqual([tmpl(letter as StoredObligation).role, tmpl(letter as StoredObligation).datasets], ['controller', ['kyc', 'hr']]);
        // One letter per audience of the firm's own people; none to the client's employees.
        const letters = buildDrafts('subjects', c);
        assert.deepEqual(letters.map((d) => d.audience?.datasets.map((x) => x.id)).sort(), [['hr'], ['kyc']]);
        for (const d of letters) assert.doesNotMatch(said(d), /payroll|Bay Holdings/i);
        // The authority's report counts the firm's own people once each (1,200 + 60), not the client's 340.
        const joic = said(buildDraft('joic', c));
        assert.match(joic, /About 1260 in all/);
        assert.doesNotMatch(joic, /payroll|1600 in all/);
        // The board decides it with the rest: the notice to the client is one of its decisions.
        assert.match(said(buildDraft('board', c)), /Tell our client Bay Holdings Limited, as its processor/);
      });
    });

    it('a controller dataset is unchanged: the same duties, clocks and letters with or without a client dataset beside it', async () => {
      const before = await withCase(REALISTIC_ANSWERS, async (fx) => {
        const { s, c } = await standing(fx);
        return { duties: controllerDuties(s.obligations), letters: buildDrafts('subjects', c).map((d) => [d.audience?.id, d.sections]) };
      });
      const after = await withCase(WITH_PROCESSOR, async (fx) => {
        const { s, c } = await standing(fx);
        return { duties: controllerDuties(s.obligations), letters: buildDrafts('subjects', c).map((d) => [d.audience?.id, d.sections]) };
      });
      assert.ok(Object.keys(before.duties).some((k) => k.startsWith('JE_DPJL_DATA_SUBJECTS|')));
      assert.deepEqual(after.duties, before.duties);
      assert.deepEqual(after.letters, before.letters);
    });

    it("where every dataset is a client's, no controller's duty falls on the firm: no authority report, no letter", async () => {
      await withCase(ONLY_PROCESSOR, async (fx) => {
        const { s, c } = await standing(fx);
        const rules = new Set(s.obligations.filter((o) => o.active).map((o) => o.ruleId));
        for (const r of ['JE_DPJL_ART20_AUTHORITY', 'JE_DPJL_DATA_SUBJECTS', 'GG_DPL_S42_AUTHORITY', 'GG_DPL_DATA_SUBJECTS', 'UK_GDPR_ART34'])
          assert.equal(rules.has(r), false, r);
        assert.ok(rules.has('GG_DPL_S42_PROCESSOR') && rules.has('JE_DPJL_PROCESSOR_TO_CONTROLLER'));
        assert.deepEqual(buildDrafts('subjects', c), []);
        assert.equal(buildDrafts('processor', c).length, 1);
      });
    });

    it("the processor's notice to the client carries only that client's dataset: its categories, numbers and consequences", async () => {
      await withCase(WITH_PROCESSOR, async (fx) => {
        const { c } = await standing(fx);
        const notices = buildDrafts('processor', c);
        assert.equal(notices.length, 1);
        const n = notices[0] as Draft;
        assert.equal(n.pack, 'processor');
        assert.equal(n.recipient, CLIENT);
        assert.match(n.title, /Bay Holdings Limited, as controller/);
        const text = said(n);
        assert.match(text, /payroll records run for Bay Holdings/);
        assert.match(text, /about 340 people, about 4100 records/);
        assert.match(text, /People: about 340\./);
        assert.match(text, /Records: about 4100\./);
        assert.match(text, /financial data/);
        assert.match(text, /payment fraud against these employees/);
        assert.match(text, /became aware that it affected personal data/);
        assert.match(text, /Whether payroll exports left the server/);
        assert.match(text, /Jo Bloggs/);
        assert.match(text, /Data Protection \(Bailiwick of Guernsey\) Law 2017, s\.42\(1\)/);
        // Nothing of the firm's own data: not the KYC clients' criminal records or passports, not the HR mailbox.
        for (const other of [
          /criminal/i,
          /identity documents/i,
          /CDD/,
          /health/i,
          /employment and HR/i,
          /HR mailbox/,
          /due-diligence/,
          /1200|1260|30000|\b800\b/,
        ])
          assert.doesNotMatch(text, other);
        // With every question answered, the send copy is made and keeps to the same facts.
        assert.deepEqual(blockingQuestions(n), []);
        const send = sendCopy(n);
        assert.equal(send.copy, 'send');
        assert.match(said(send), /about 340 people/);
      });
    });
  });
}

await onBothStores(suite, 'controller or processor per dataset');

test('answers: a dataset held as processor names its controller client, in a role the firm says it has', () => {
  const firm = { legalName: 'Acme', role: ['controller'] };
  const ds = { id: 'p', description: 'payroll', subjects: ['employees'], categories: ['financial'] };
  const problems = (raw: unknown): string[] => {
    try {
      checkAnswers(raw);
      return [];
    } catch (e) {
      return e instanceof AnswersError ? e.problems : [String(e)];
    }
  };
  assert.deepEqual(problems({ firm, datasets: [{ ...ds, role: 'processor' }] }), [
    "datasets[0].controller: name the client who is controller of this data (the processor's notice goes to it)",
    'datasets[0].role: "processor" is not among the firm\'s roles (firm.role: controller)',
  ]);
  assert.deepEqual(problems({ firm, datasets: [{ ...ds, role: 'owner' }] }), ['datasets[0].role: "owner" is not one of controller, processor']);
  assert.deepEqual(problems({ firm, datasets: [{ ...ds, controller: 'Bay' }] }), [
    'datasets[0].controller: only a dataset held as processor (role: processor) has a controller client',
  ]);
  const ok = checkAnswers({ firm: { ...firm, role: ['processor'] }, datasets: [{ ...ds, role: 'processor', controller: 'Bay' }] });
  assert.deepEqual([ok.datasets?.[0]?.role, ok.datasets?.[0]?.controller], ['processor', 'Bay']);
});

test("the processor duties are the law as it stood: no UK GDPR duty before 2021, Guernsey's and the EU's from 25 May 2018", () => {
  const answers = checkAnswers({
    firm: { legalName: 'Acme', role: ['processor'], establishments: ['JE', 'GG'], gdprScope: ['UK', 'EU'] },
    datasets: [{ ...PAYROLL, mailboxes: undefined }],
  });
  const at = (day: string): string[] => {
    const assessment = assessBreach({
      answers,
      servers: [{ name: 'EX01', verdict: 'post-exploitation', summary: '' }],
      window: { from: undefined, to: undefined },
      mailboxes: undefined,
      coverage: undefined,
      now: day,
    });
    const { specs } = generateObligations(rulePack(), {
      answers,
      assessment,
      registrations: [],
      times: { awareAt: day, detectedAt: day },
      highRiskDeterminedAt: undefined,
      existing: [],
    });
    return specs.filter((s) => s.recipient === `${CLIENT} (controller)`).map((s) => s.ruleId);
  };
  assert.deepEqual(at('2020-06-01T09:00:00.000Z').sort(), ['EU_GDPR_ART33_PROCESSOR', 'GG_DPL_S42_PROCESSOR', 'JE_DPJL_PROCESSOR_TO_CONTROLLER']);
  assert.deepEqual(at('2021-03-08T09:00:00.000Z').sort(), [
    'EU_GDPR_ART33_PROCESSOR',
    'GG_DPL_S42_PROCESSOR',
    'JE_DPJL_PROCESSOR_TO_CONTROLLER',
    'UK_GDPR_ART33_PROCESSOR',
  ]);
  assert.deepEqual(at('2018-01-10T09:00:00.000Z'), []);
});
