// The regulatory part of the case store (assessment versions, obligations, filings, findings for
// the appendix), run against SQLite and PostgreSQL by `regulatory-store.test.ts`.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SCHEMA_VERSION } from '../db/migrations.js';
import { renderStory } from '../render-text.js';
import type { ObligationSpec } from '../regulatory-types.js';
import { withStore, type HarnessFactory } from './harness.js';
import { evidenceFile, finding, scanResult } from './scan-fixtures.js';

const REF = 'acme/proxylogon';

function spec(key: string, over: Partial<ObligationSpec> = {}): ObligationSpec {
  const [ruleId = key, recipient = 'JOIC', stage = 'initial'] = key.split('|');
  return {
    key,
    ruleId,
    recipient,
    stage,
    legalReference: 'DPJL 2018 Art. 20',
    template: { rule: ruleId, hours: 72 },
    anchorKind: 'aware',
    anchorAt: '2021-03-26T09:00:00.000Z',
    hours: 72,
    dueAt: '2021-03-29T09:00:00.000Z',
    targetHours: undefined,
    targetAt: undefined,
    required: 'yes',
    applicability: 'applies',
    ...over,
  };
}

export function regulatorySuite(label: string, factory: HarnessFactory): void {
  describe(`case store (regulatory) on ${label}`, () => {
    it('upgrades a version 3 store to the regulatory tables, keeping its cases', async () => {
      const h = await factory();
      try {
        const old = await h.open({ schemaUpTo: 3 });
        await old.createCase({ ref: REF, title: 'Exchange compromise' });
        await old.close();
        const store = await h.open();
        assert.equal(await store.schemaVersion(), SCHEMA_VERSION);
        assert.ok(SCHEMA_VERSION >= 4);
        assert.deepEqual(await store.listAssessments(REF), []);
        assert.deepEqual(await store.listObligations(REF), []);
      } finally {
        await h.dispose();
      }
    });

    it('keeps every assessment version, unedited, each in the audit chain', () =>
      withStore(factory, async (store, h) => {
        await store.createCase({ ref: REF, title: 'Exchange compromise' });
        const v1 = await store.recordAssessment(REF, {
          answers: { firm: { legalName: 'Acme' } },
          result: { conclusion: 'risk' },
          conclusion: 'risk',
          level: 'medium',
        });
        const v2 = await store.recordAssessment(REF, {
          answers: { firm: { legalName: 'Acme Trust Ltd' } },
          result: { conclusion: 'high-risk' },
          conclusion: 'high-risk',
          level: 'very-high',
        });
        assert.equal(v1.version, 1);
        assert.equal(v2.version, 2);
        const all = await store.listAssessments(REF);
        assert.deepEqual(
          all.map((a) => [a.version, a.conclusion, a.level, a.assessedBy]),
          [
            [1, 'risk', 'medium', 'tester'],
            [2, 'high-risk', 'very-high', 'tester'],
          ],
        );
        assert.deepEqual(all[0]?.answers, { firm: { legalName: 'Acme' } });
        await assert.rejects(h.raw("UPDATE breach_assessments SET conclusion = 'no-risk'"), /append-only/);
        const log = await store.auditLog(REF);
        assert.deepEqual(
          log.filter((e) => e.entity === 'assessment').map((e) => e.entityId),
          ['v1', 'v2'],
        );
        assert.equal((await store.checkAudit(REF)).intact, true);
      }));

    it('dates an assessment as of the time it speaks for (assess --now), not the time it was recorded', () =>
      withStore(factory, async (store) => {
        await store.createCase({ ref: REF, title: 'Exchange compromise' });
        const v1 = await store.recordAssessment(REF, { answers: {}, result: {}, conclusion: 'high-risk', assessedAt: '2021-03-09T14:00:00.000Z' });
        assert.equal(v1.assessedAt, '2021-03-09T14:00:00.000Z');
        assert.equal((await store.listAssessments(REF))[0]?.assessedAt, '2021-03-09T14:00:00.000Z');
        const entry = (await store.auditLog(REF)).find((e) => e.entity === 'assessment');
        assert.ok(entry);
        assert.notEqual(entry.at, '2021-03-09T14:00:00.000Z', 'the audit log keeps when it was recorded');
      }));

    it('syncs obligations idempotently: new ones numbered, unfiled clocks follow, none deleted', () =>
      withStore(factory, async (store) => {
        await store.createCase({ ref: REF, title: 'Exchange compromise' });
        const a = spec('JOIC|JOIC|initial');
        const b = spec('JFSC|JFSC supervisor|initial', { hours: undefined, dueAt: undefined, targetHours: 24, targetAt: '2021-03-27T09:00:00.000Z' });
        const first = await store.syncObligations(REF, [a, b]);
        assert.deepEqual(
          first.map((o) => [o.ref, o.key, o.active]),
          [
            ['O1', 'JOIC|JOIC|initial', true],
            ['O2', 'JFSC|JFSC supervisor|initial', true],
          ],
        );
        assert.equal(first[1]?.hours, undefined);
        assert.equal(first[1]?.targetHours, 24);
        const entries = (await store.auditLog(REF)).length;
        await store.syncObligations(REF, [a, b]);
        assert.equal((await store.auditLog(REF)).length, entries, 'a sync with nothing new writes nothing');
        // Awareness corrected: the unfiled clock moves.
        const moved = await store.syncObligations(REF, [
          spec('JOIC|JOIC|initial', { anchorAt: '2021-03-26T10:00:00.000Z', dueAt: '2021-03-29T10:00:00.000Z' }),
          b,
        ]);
        assert.equal(moved[0]?.dueAt, '2021-03-29T10:00:00.000Z');
        // A rule that no longer applies leaves its obligation inactive, not gone.
        const dropped = await store.syncObligations(REF, [a]);
        assert.deepEqual(
          dropped.map((o) => [o.ref, o.active]),
          [
            ['O1', true],
            ['O2', false],
          ],
        );
        const back = await store.syncObligations(REF, [a, b]);
        assert.deepEqual(
          back.map((o) => [o.ref, o.active]),
          [
            ['O1', true],
            ['O2', true],
          ],
        );
        assert.equal((await store.checkAudit(REF)).intact, true);
      }));

    it('fixes lateness at the first filing; a late first filing needs its reasons; filings are append-only', () =>
      withStore(factory, async (store, h) => {
        await store.createCase({ ref: REF, title: 'Exchange compromise' });
        await store.syncObligations(REF, [
          spec('JOIC|JOIC|initial'),
          spec('JOIC|JOIC|follow-up', { anchorKind: 'previous-filing', anchorAt: undefined, hours: undefined, dueAt: undefined }),
        ]);
        await assert.rejects(
          store.recordFiling(REF, { obligation: 'o1', reference: 'JOIC-123', sentAt: '2021-03-29T11:30:00Z', channel: 'joic_portal', content: { a: 1 } }),
          /2 h 30 min after its deadline.*reasons for the delay/,
        );
        await assert.rejects(store.recordFiling(REF, { obligation: 'O9', content: {} }), /no obligation O9/);
        const { filing, obligation } = await store.recordFiling(REF, {
          obligation: 'O1',
          reference: 'JOIC-123',
          sentAt: '2021-03-29T11:30:00Z',
          channel: 'joic_portal',
          content: { pack: 'joic', fields: { 'joic.what-happened': 'web shell' } },
          delayReasons: 'forensic firm confirmed scope on Monday',
        });
        assert.equal(filing.seq, 1);
        assert.equal(filing.reference, 'JOIC-123');
        assert.equal(filing.lateByMs, 2.5 * 3_600_000);
        assert.deepEqual(filing.content, { pack: 'joic', fields: { 'joic.what-happened': 'web shell' } });
        assert.equal(obligation.firstFiledAt, '2021-03-29T11:30:00.000Z');
        assert.equal(obligation.lateByMs, 2.5 * 3_600_000);
        assert.equal(obligation.delayReasons, 'forensic firm confirmed scope on Monday');
        // Moving awareness later after filing cannot make the late filing on time.
        const after = await store.syncObligations(REF, [
          spec('JOIC|JOIC|initial', { anchorAt: '2021-03-27T09:00:00.000Z', dueAt: '2021-03-30T09:00:00.000Z' }),
          spec('JOIC|JOIC|follow-up', { anchorKind: 'previous-filing', anchorAt: '2021-03-29T11:30:00.000Z', hours: undefined, dueAt: undefined }),
        ]);
        assert.equal(after[0]?.dueAt, '2021-03-29T09:00:00.000Z');
        assert.equal(after[0]?.lateByMs, 2.5 * 3_600_000);
        assert.equal(after[1]?.anchorAt, '2021-03-29T11:30:00.000Z');
        // A second filing (an update) needs no reasons and changes nothing fixed.
        const second = await store.recordFiling(REF, {
          obligation: 'O1',
          reference: 'JOIC-123',
          sentAt: '2021-04-02T09:00:00Z',
          channel: 'email',
          content: { update: true },
        });
        assert.equal(second.filing.seq, 2);
        assert.equal(second.filing.lateByMs, undefined);
        assert.equal(second.obligation.firstFiledAt, '2021-03-29T11:30:00.000Z');
        // No deadline, no lateness.
        const followUp = await store.recordFiling(REF, { obligation: 'O2', reference: 'JOIC-123', content: {} });
        assert.equal(followUp.obligation.lateByMs, undefined);
        await assert.rejects(store.recordFiling(REF, { obligation: 'O1', channel: 'pigeon', content: {} }), /channel "pigeon"/);
        await assert.rejects(h.raw("UPDATE filings SET reference = 'X'"), /append-only/);
        await assert.rejects(h.raw('DELETE FROM filings'), /append-only/);
        assert.equal((await store.checkAudit(REF)).intact, true);
      }));

    it('sets the case\'s "first reported" time from the earliest notification filed, not from a register entry', () =>
      withStore(factory, async (store) => {
        await store.createCase({ ref: REF, title: 'Exchange compromise' });
        await store.syncObligations(REF, [spec('JOIC|JOIC|initial'), spec('JFSC|JFSC supervisor|initial'), spec('REG|register|initial')]);
        await store.recordFiling(REF, { obligation: 'O3', channel: 'register', sentAt: '2021-03-26T10:00:00Z', content: {} });
        assert.equal((await store.getCase(REF)).firstReportedAt, undefined, "the firm's own register tells no one");
        await store.recordFiling(REF, { obligation: 'O1', channel: 'joic_portal', sentAt: '2021-03-28T09:00:00Z', content: {} });
        assert.equal((await store.getCase(REF)).firstReportedAt, '2021-03-28T09:00:00.000Z');
        // Recorded later, sent earlier: the earlier one is the first report.
        await store.recordFiling(REF, { obligation: 'O2', channel: 'email', sentAt: '2021-03-27T15:00:00Z', content: {} });
        assert.equal((await store.getCase(REF)).firstReportedAt, '2021-03-27T15:00:00.000Z');
        await store.recordFiling(REF, { obligation: 'O1', channel: 'email', sentAt: '2021-04-02T09:00:00Z', content: {} });
        assert.equal((await store.getCase(REF)).firstReportedAt, '2021-03-27T15:00:00.000Z', 'an update is not the first report');
        const moves = (await store.auditLog(REF)).filter((e) => e.entity === 'case' && e.action === 'update');
        assert.equal(moves.length, 2);
        assert.equal((await store.checkAudit(REF)).intact, true);
      }));

    it('case show lists obligations with their filings, and the overdue ones under Open', async () => {
      const h = await factory();
      try {
        const store = await h.open({ now: () => '2021-03-30T11:15:00.000Z' });
        await store.createCase({ ref: REF, title: 'Exchange compromise' });
        await store.syncObligations(REF, [
          spec('JOIC|JOIC|initial'),
          spec('ODPA|ODPA|initial', { dueAt: '2021-04-02T09:00:00.000Z' }),
          spec('ICO|ICO|initial', { required: 'no' }),
          spec('JFSC|JFSC supervisor|initial', { hours: undefined, dueAt: undefined, targetAt: '2021-03-27T09:00:00.000Z' }),
        ]);
        await store.recordFiling(REF, { obligation: 'O4', channel: 'email', reference: 'JFSC-9', sentAt: '2021-03-26T12:00:00Z', content: {} });
        const story = await store.story(REF);
        assert.deepEqual(
          story.obligations.map((o) => [o.ref, o.overdueByMs, o.filings.length]),
          [
            ['O1', 26.25 * 3_600_000, 0],
            ['O2', undefined, 0],
            ['O4', undefined, 1],
          ],
          'not required (O3) is not listed',
        );
        const open = story.open.filter((l) => /O\d /.test(l));
        assert.equal(open.length, 2, 'a filed obligation is not open');
        assert.match(open[0] ?? '', /^OVERDUE by 1 d 2 h: O1 initial notice to JOIC \(DPJL 2018 Art\. 20\), due 09:00 UTC on 29 March 2021/);
        assert.match(open[1] ?? '', /^not yet filed: O2 initial notice to ODPA .*due 09:00 UTC on 2 April 2021/);
        const text = renderStory(story, 'Europe/Jersey');
        assert.match(text, /Obligations and filings\n {2}O1 initial to JOIC .*due 2021-03-29 10:00:00 BST; OVERDUE, not filed/);
        assert.match(text, /O4 initial to JFSC supervisor .*filed 2021-03-26 12:00:00 GMT\n {4}#1 sent 2021-03-26 12:00:00 GMT by email, reference JFSC-9/);
        assert.match(text, /Open\n(?: {2}.*\n)* {2}OVERDUE by 1 d 2 h: O1 .*due 10:00 BST on 29 March 2021/);
        await store.close();
      } finally {
        await h.dispose();
      }
    });

    it("records a decision per obligation; an exception only where that obligation's law has it, with who approved it and when", () =>
      withStore(factory, async (store) => {
        await store.createCase({ ref: REF, title: 'Exchange compromise' });
        const exceptions = [{ ground: 'unintelligible', law: 'GDPR Art. 34(3)(a)', confirmation: 'G' }];
        await store.syncObligations(REF, [
          spec('JOIC|JOIC|initial'),
          spec('EU34|Affected individuals in the EU|initial', { template: { rule: 'EU34', exceptions } }),
        ]);
        const base = {
          kind: 'notify' as const,
          decision: 'Do not tell the people',
          rationale: 'laptop encrypted, key held apart',
          approvedBy: 'DPO',
          approvedAt: '2021-03-27T10:00:00Z',
        };
        await assert.rejects(
          store.decide(REF, { ...base, obligation: 'O1', outcome: 'exception', ground: 'unintelligible' }),
          /law of O1 has no "unintelligible" exception; it has no exceptions/,
        );
        await assert.rejects(
          store.decide(REF, { ...base, obligation: 'O2', outcome: 'exception', ground: 'disproportionate-effort' }),
          /it has: unintelligible \(GDPR Art\. 34\(3\)\(a\)\)/,
        );
        await assert.rejects(store.decide(REF, { ...base, obligation: 'O2', outcome: 'exception' }), /needs its ground/);
        await assert.rejects(store.decide(REF, { ...base, obligation: 'O2', outcome: 'required', ground: 'unintelligible' }), /only for an exception/);
        await assert.rejects(store.decide(REF, { ...base, kind: 'rebuild', obligation: 'O2', outcome: 'required' }), /notify decision/);
        await assert.rejects(store.decide(REF, { ...base, obligation: 'O9', outcome: 'required' }), /no obligation O9/);
        await assert.rejects(store.decide(REF, { ...base, obligation: 'O2' }), /names both/);
        await assert.rejects(store.decide(REF, { ...base, approvedBy: undefined, obligation: 'O2', outcome: 'required' }), /needs who approved/);
        const d = await store.decide(REF, { ...base, obligation: 'o2', outcome: 'exception', ground: 'unintelligible' });
        assert.deepEqual(
          [d.obligation, d.outcome, d.ground, d.approvedBy, d.approvedAt],
          ['O2', 'exception', 'unintelligible', 'DPO', '2021-03-27T10:00:00.000Z'],
        );
        const j = await store.decide(REF, { ...base, decision: 'Notify the JOIC', obligation: 'O1', outcome: 'required' });
        assert.deepEqual([j.obligation, j.outcome, j.ground], ['O1', 'required', undefined]);
        const whole = await store.decide(REF, { kind: 'notify', decision: 'Notify', rationale: 'mail read' });
        assert.deepEqual([whole.obligation, whole.outcome, whole.approvedAt], [undefined, undefined, undefined]);
        assert.deepEqual(
          (await store.listDecisions(REF)).map((x) => [x.ref, x.obligation, x.outcome]),
          [
            ['D1', 'O2', 'exception'],
            ['D2', 'O1', 'required'],
            ['D3', undefined, undefined],
          ],
        );
        assert.equal((await store.checkAudit(REF)).intact, true);
      }));

    it('lists findings with file, line and the file hash for the evidence appendix', () =>
      withStore(factory, async (store) => {
        await store.createCase({ ref: REF, title: 'Exchange compromise' });
        const ev = evidenceFile('EXCH01/HttpProxy/Ecp/a.log');
        await store.recordScan(REF, scanResult([ev], [finding(ev.path, 12), finding(ev.path, 7), finding('elsewhere.log', 3)]), { actor: 't', args: [] });
        const rows = await store.listFindings(REF);
        assert.equal(rows.length, 3);
        const hit = rows.find((r) => r.line === 12);
        assert.equal(hit?.sha256, ev.sha256);
        assert.equal(hit?.path, ev.path);
        assert.deepEqual(hit?.cves, ['CVE-2021-26855']);
        assert.equal(rows.find((r) => r.path === 'elsewhere.log')?.sha256, '', 'a finding whose file was not listed has no hash to show');
      }));

    it("reads the scans' mailbox analysis (highest level each) and the newest coverage; undefined before any scan", () =>
      withStore(factory, async (store) => {
        await store.createCase({ ref: REF, title: 'Exchange compromise' });
        assert.equal(await store.listMailboxes(REF), undefined, 'no scan: not established, not "none"');
        assert.equal(await store.listCoverage(REF), undefined);
        const ev = evidenceFile('EXCH01/a.log');
        const origin = { path: ev.path, line: 3, offset: 300 };
        await store.recordScan(
          REF,
          {
            ...scanResult([ev], [finding(ev.path, 3)]),
            mailboxes: [
              { mailbox: 'ceo@acme.je', server: 'EXCH01', level: 'read', firstTime: undefined, lastTime: undefined, how: ['EWS FindItem'], evidence: [origin] },
            ],
            coverage: [{ server: 'EXCH01', source: 'httpproxy', files: 1, records: 10, firstTime: undefined, lastTime: undefined, gaps: [] }],
          },
          { actor: 't', args: [] },
        );
        const ev2 = evidenceFile('EXCH01/b.log');
        await store.recordScan(
          REF,
          {
            ...scanResult([ev2], []),
            mailboxes: [
              { mailbox: 'ceo@acme.je', server: 'exch01', level: 'reachable', firstTime: undefined, lastTime: undefined, how: ['SSRF'], evidence: [] },
              {
                mailbox: 'ceo@acme.je',
                server: 'EXCH01',
                level: 'exported',
                firstTime: undefined,
                lastTime: undefined,
                how: ['export request'],
                evidence: [origin],
              },
            ],
            coverage: [
              {
                server: 'EXCH01',
                source: 'iis',
                files: 1,
                records: 5,
                firstTime: undefined,
                lastTime: undefined,
                gaps: [{ from: '2021-03-01T00:00:00Z', to: '2021-03-02T00:00:00Z', statement: 'IIS logs missing' }],
              },
            ],
          },
          { actor: 't', args: [] },
        );
        const boxes = await store.listMailboxes(REF);
        assert.deepEqual(
          boxes?.map((m) => [m.mailbox, m.level, m.how]),
          [['ceo@acme.je', 'exported', ['export request']]],
        );
        const coverage = await store.listCoverage(REF);
        assert.deepEqual(
          coverage?.map((c) => [c.source, c.gaps.length]),
          [['iis', 1]],
        );
      }));

    it("keeps firms apart: another firm's session cannot read or write these", () =>
      withStore(factory, async (store, h) => {
        await store.createCase({ ref: REF, title: 'Exchange compromise' });
        await store.createCase({ ref: 'beta/x', title: 'other firm' });
        await store.recordAssessment(REF, { answers: {}, result: {} });
        const scoped = await h.open({ firm: 'beta' });
        await assert.rejects(scoped.listAssessments(REF), /outside this session/);
        await assert.rejects(scoped.recordFiling(REF, { obligation: 'O1', content: {} }), /outside this session/);
      }));
  });
}
