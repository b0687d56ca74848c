import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnswersError, checkAnswers, mergeAnswers, missingAnswers, parseAnswersYaml } from './answers.js';
import type { AssessInput } from './assess.js';
import { assessBreach } from './assess.js';
import type { BreachAnswers } from './types.js';

const answers: BreachAnswers = checkAnswers({
  firm: { legalName: 'Acme Trust Ltd', role: ['controller'], establishments: ['JE'], jfsc: 'registered-person', contact: { name: 'Jo Bloggs' } },
  datasets: [
    {
      id: 'trust-mail',
      description: 'trust team mailboxes',
      mailboxes: ['trust@acme.je'],
      subjects: ['clients', 'beneficial-owners'],
      categories: ['identity', 'identity-documents', 'cdd-aml', 'criminal'],
      records: 20000,
      people: 1500,
      jurisdictions: { JE: 1000, GB: 400, FR: 100 },
      encrypted: false,
    },
  ],
});

function input(over: Partial<AssessInput>): AssessInput {
  return {
    answers,
    servers: [{ name: 'EX01', verdict: 'probed', summary: 'probes only' }],
    window: { from: '2021-01-06T00:00:00.000Z', to: '2021-03-03T00:00:00.000Z' },
    mailboxes: undefined,
    coverage: undefined,
    now: '2021-03-10T09:00:00.000Z',
    ...over,
  };
}

test('without mailbox analysis the data touched is "not established", never "not accessed", and is asked for', () => {
  const a = assessBreach(input({}));
  const d = a.datasets[0];
  assert.ok(d);
  assert.equal(d.access, 'not-established');
  assert.match(d.accessBasis.join(' '), /not yet established/);
  assert.ok(a.open.some((q) => q.id === 'mailboxes-touched'));
  assert.ok(a.open.some((q) => q.id === 'log-coverage'));
  assert.doesNotMatch(JSON.stringify(a), /not accessed/i);
});

test('a web shell with full reach: access cannot be excluded, whatever the mailbox list says', () => {
  const a = assessBreach(input({ servers: [{ name: 'EX01', verdict: 'post-exploitation', summary: 'web shell run as SYSTEM' }], mailboxes: [], coverage: [] }));
  assert.equal(a.cannotExcludeAccess, true);
  assert.match(a.cannotExcludeReasons.join(' '), /EX01 is post-exploitation.*cannot be excluded/);
  assert.equal(a.datasets[0]?.access, 'reachable');
  assert.equal(a.enisa?.cb.malicious.value, 0.5);
  // Reach without evidence of reading is exposure, which ENISA scores 0, not a disclosure to known recipients.
  assert.equal(a.enisa?.cb.confidentiality.value, 0);
  assert.match(a.enisa?.cb.confidentiality.why ?? '', /exposure/);
  // Criminal data is special and base 4: 4 × 1 + 0 + 0.5 = 4.5, very high, high risk.
  assert.equal(a.enisa?.dpc, 4);
  assert.equal(a.enisa?.se, 4.5);
  assert.equal(a.conclusion, 'high-risk');
  assert.deepEqual(a.flags.specialCategories, ['criminal']);
});

test('missing logs for part of the window: access cannot be excluded; an override to low still concludes risk', () => {
  const low = mergeAnswers(answers, { override: { level: 'low', reason: 'the firm believes nothing was read' } });
  const a = assessBreach(
    input({
      answers: low,
      mailboxes: [],
      coverage: [
        {
          server: 'EX01',
          source: 'HttpProxy',
          first: '2021-01-01T00:00:00Z',
          last: '2021-03-09T00:00:00Z',
          gaps: [{ from: '2021-02-01T00:00:00Z', to: '2021-02-10T00:00:00Z', reason: 'log rotation' }],
        },
      ],
    }),
  );
  assert.equal(a.cannotExcludeAccess, true);
  assert.match(a.cannotExcludeReasons.join(' '), /EX01 HttpProxy: log rotation; access in that time cannot be excluded/);
  assert.equal(a.level, 'low');
  assert.equal(a.computedLevel, 'very-high');
  assert.equal(a.conclusion, 'risk');
  assert.match(a.conclusionBasis.join(' '), /overrode the ENISA result to low: the firm believes nothing was read/);
  assert.equal(a.datasets[0]?.access, 'not-established');
});

test('mailbox evidence sets the level per dataset, with its trace; full coverage without hits is "no evidence found"', () => {
  const a = assessBreach(
    input({
      mailboxes: [
        { mailbox: 'trust@acme.je', server: 'ex01', level: 'exported', how: 'New-MailboxExportRequest', evidence: [{ path: 'ex01/cmdlet.log', line: 12 }] },
      ],
      coverage: [{ server: 'EX01', source: 'HttpProxy', gaps: [] }],
    }),
  );
  assert.equal(a.datasets[0]?.access, 'exported');
  assert.deepEqual(a.datasets[0]?.evidence, [{ path: 'ex01/cmdlet.log', line: 12 }]);
  assert.equal(a.enisa?.cb.confidentiality.value, 0.5);
  const none = assessBreach(input({ mailboxes: [], coverage: [{ server: 'EX01', source: 'HttpProxy', gaps: [] }] }));
  assert.equal(none.datasets[0]?.access, 'no-evidence-found');
  assert.match(none.datasets[0]?.accessBasis.join(' ') ?? '', /not proof that the data was left untouched/);
  assert.equal(none.cannotExcludeAccess, false);
});

test('jurisdictions and totals add up; unknown numbers stay unknown', () => {
  const a = assessBreach(input({}));
  assert.deepEqual(a.jurisdictions, { JE: 1000, GB: 400, FR: 100 });
  assert.deepEqual({ people: a.totals.people, records: a.totals.records }, { people: 1500, records: 20000 });
  assert.equal(a.flags.moreThan100People, true);
  const two = assessBreach(
    input({
      answers: mergeAnswers(answers, {
        datasets: [...(answers.datasets ?? []), { id: 'hr', description: 'HR', subjects: ['employees'], categories: ['employment'] }],
      }),
    }),
  );
  assert.equal(two.totals.people, undefined);
  assert.ok(two.open.some((q) => q.id === 'people:hr'));
});

test('answers are checked with paths; what is missing is listed', () => {
  assert.throws(
    () => parseAnswersYaml('firm:\n  role: [owner]\ndatasets:\n  - categories: [gossip]\n'),
    (err: AnswersError) => {
      assert.match(err.message, /firm.role: "owner"/);
      assert.match(err.message, /datasets\[0\].categories: "gossip"/);
      assert.match(err.message, /datasets\[0\].description/);
      return true;
    },
  );
  assert.throws(() => checkAnswers({ override: { level: 'low' } }), /override.reason/);
  assert.deepEqual(
    missingAnswers({}).map((m) => m.path),
    ['firm.legalName', 'firm.role', 'firm.establishments', 'firm.jfsc', 'firm.contact.name', 'datasets'],
  );
  assert.deepEqual(missingAnswers(answers), []);
});

test('ENISA "low" means "unlikely to result in a risk" only by inference: without the firm\'s reason it stays a risk, and is asked', () => {
  const plain = {
    firm: { role: ['controller'] },
    datasets: [{ id: 'x', description: 'newsletter list', subjects: ['clients'], categories: ['contact'], encrypted: false }],
    enisa: { ei: 0.25 },
  };
  const noReason = assessBreach(
    input({
      answers: checkAnswers(plain),
      servers: [{ name: 'EX01', verdict: 'probed', summary: '' }],
      mailboxes: [],
      coverage: [{ server: 'EX01', source: 'HttpProxy', gaps: [] }],
    }),
  );
  assert.equal(noReason.level, 'low');
  assert.equal(noReason.conclusion, 'risk');
  assert.match(noReason.conclusionBasis.join(' '), /inference \[I\].*enisa\.unlikelyRiskReason/);
  assert.ok(noReason.open.some((q) => q.id === 'enisa-low'));
  const withReason = assessBreach(
    input({
      answers: checkAnswers({ ...plain, enisa: { ei: 0.25, unlikelyRiskReason: "names and emails already public on the firm's site" } }),
      servers: [{ name: 'EX01', verdict: 'probed', summary: '' }],
      mailboxes: [],
      coverage: [{ server: 'EX01', source: 'HttpProxy', gaps: [] }],
    }),
  );
  assert.equal(withReason.conclusion, 'no-risk');
  assert.match(withReason.conclusionBasis.join(' '), /the firm's reason: names and emails already public/);
});

test('people are counted once: a subset adds no one, an overlap is taken out, and the total says how it was counted', () => {
  const ds = (extra: Record<string, unknown>[]) =>
    checkAnswers({
      firm: { role: ['controller'] },
      datasets: [
        { id: 'kyc', description: 'KYC mailboxes', subjects: ['clients'], categories: ['identity'], people: 1200 },
        { id: 'checks', description: 'criminal-record checks', subjects: ['clients'], categories: ['criminal'], people: 30, ...extra[0] },
        { id: 'staff', description: 'HR mailbox', subjects: ['employees'], categories: ['employment'], people: 60, ...extra[1] },
      ],
    });
  const naive = assessBreach(input({ answers: ds([{}, {}]) }));
  assert.equal(naive.totals.people, 1290);
  assert.match(naive.totals.peopleBasis, /assuming no one is in two datasets/);
  const a = assessBreach(input({ answers: ds([{ subsetOf: 'kyc' }, { overlaps: { kyc: 5 } }]) }));
  assert.equal(a.totals.people, 1255, '1200 + 60 - 5 shared; the 30 checks are KYC clients already counted');
  assert.match(a.totals.peopleBasis, /not counting checks \(within kyc\).*less 5 people held in two datasets/);
  assert.throws(() => ds([{ subsetOf: 'nope' }, {}]), /datasets\[1\]\.subsetOf: "nope" is not the id of another dataset/);
});
