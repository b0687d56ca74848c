import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAnswers } from '../assess/breach/answers.js';
import { assessBreach } from '../assess/breach/assess.js';
import type { BreachAnswers } from '../assess/breach/types.js';
import type { Decision } from '../case/index.js';
import type { ObligationSpec, StoredObligation } from '../case/regulatory-types.js';
import { clockFor, sortClocks } from './clocks.js';
import type { ObligationInput } from './obligations.js';
import { generateObligations } from './obligations.js';
import { rulePack } from './rules.js';
import { localParts } from './time.js';

const AWARE = '2021-03-26T09:00:00.000Z'; // 09:00 in Jersey on the Friday before the March change
const DETECTED = '2021-03-25T15:00:00.000Z';

const base = {
  firm: {
    legalName: 'Acme Trust Ltd',
    role: ['controller'],
    establishments: ['JE'],
    gdprScope: [] as string[],
    jfsc: 'registered-person',
    contact: { name: 'Jo' },
  },
  datasets: [
    {
      id: 'mail',
      description: 'client mailboxes',
      subjects: ['clients', 'beneficial-owners'],
      categories: ['identity', 'financial'],
      people: 900,
      records: 5000,
      jurisdictions: { JE: 500, GB: 200, FR: 150, DE: 50 },
    },
  ],
};

function run(raw: unknown, over: Partial<ObligationInput> = {}, verdict = 'post-exploitation') {
  const answers: BreachAnswers = checkAnswers(raw);
  const assessment = assessBreach({
    answers,
    servers: [{ name: 'EX01', verdict, summary: '' }],
    window: { from: undefined, to: undefined },
    mailboxes: undefined,
    coverage: undefined,
    now: AWARE,
  });
  return generateObligations(rulePack(), {
    answers,
    assessment,
    registrations: [],
    times: { awareAt: AWARE, detectedAt: DETECTED },
    highRiskDeterminedAt: assessment.conclusion === 'high-risk' ? '2021-03-27T12:00:00.000Z' : undefined,
    existing: [],
    ...over,
  });
}

const find = (specs: ObligationSpec[], key: string): ObligationSpec => {
  const s = specs.find((x) => x.key === key);
  assert.ok(s, `no obligation ${key}; have ${specs.map((x) => x.key).join(', ')}`);
  return s;
};

function stored(s: ObligationSpec, over: Partial<StoredObligation> = {}): StoredObligation {
  return {
    ...s,
    ref: 'O1',
    active: true,
    createdAt: AWARE,
    updatedAt: AWARE,
    firstFiledAt: undefined,
    lateByMs: undefined,
    delayReasons: undefined,
    filings: [],
    ...over,
  };
}

test('the rule pack loads, and every rule names its law, sources, confirmation and date checked', () => {
  const pack = rulePack();
  assert.ok(pack.rules.length >= 13);
  for (const r of pack.rules) {
    assert.ok(r.law.length > 5 && r.sources.length > 0 && /^\d{4}-\d{2}-\d{2}$/.test(r.checked), r.id);
    assert.ok(['C', 'P', 'G', 'I'].includes(r.confirmation), r.id);
  }
});

test('JOIC (DPJL Art. 20): 72 elapsed hours from awareness, across the March clock change; follow-up waits for the first filing', () => {
  const { specs } = run(base);
  const joic = find(specs, 'JE_DPJL_ART20_AUTHORITY|JOIC (Jersey Data Protection Authority)|initial');
  assert.equal(joic.required, 'yes');
  assert.equal(joic.hours, 72);
  assert.equal(joic.dueAt, '2021-03-29T09:00:00.000Z');
  assert.deepEqual(localParts(joic.dueAt ?? ''), { date: '2021-03-29', time: '10:00', weekday: 'Mon', zone: 'BST' });
  const follow = find(specs, 'JE_DPJL_ART20_AUTHORITY|JOIC (Jersey Data Protection Authority)|follow-up');
  assert.equal(follow.anchorAt, undefined);
  assert.equal(follow.hours, undefined, 'no hours are invented for the follow-up');
  assert.equal(clockFor(stored(follow), AWARE, undefined).state, 'pending');
  // Once the initial stage is filed, the follow-up's clock starts at that filing, still without hours.
  const after = run(base, { existing: [stored(joic, { firstFiledAt: '2021-03-28T10:00:00.000Z' })] });
  const f2 = find(after.specs, follow.key);
  assert.equal(f2.anchorAt, '2021-03-28T10:00:00.000Z');
  assert.equal(f2.dueAt, undefined);
  assert.equal(clockFor(stored(f2), '2021-03-28T11:00:00.000Z', undefined).state, 'no-deadline');
});

test('the October change: awareness at 09:00 local on the Friday ends at 08:00 local on the Monday', () => {
  const { specs } = run(base, { times: { awareAt: '2021-10-29T08:00:00.000Z', detectedAt: '2021-10-29T08:00:00.000Z' } });
  const joic = find(specs, 'JE_DPJL_ART20_AUTHORITY|JOIC (Jersey Data Protection Authority)|initial');
  assert.deepEqual(localParts(joic.dueAt ?? ''), { date: '2021-11-01', time: '08:00', weekday: 'Mon', zone: 'GMT' });
});

test('JOIC not required on a no-risk assessment: a decision is needed, and shown once recorded', () => {
  const raw = {
    ...base,
    datasets: [{ id: 'x', description: 'public list', subjects: ['clients'], categories: ['contact'], encrypted: false }],
    enisa: { ei: 0.25, confidentiality: 0, unlikelyRiskReason: 'a contact list the firm publishes' },
  };
  const { specs } = run(raw, {}, 'probed');
  const joic = find(specs, 'JE_DPJL_ART20_AUTHORITY|JOIC (Jersey Data Protection Authority)|initial');
  assert.equal(joic.required, 'no');
  assert.equal(clockFor(stored(joic), AWARE, undefined).state, 'decision-needed');
  const d: Decision = {
    ref: 'D1',
    kind: 'notify',
    decision: 'Do not notify the JOIC',
    rationale: 'public contact list only',
    evidence: ['E1'],
    decidedBy: 'DPO',
    decidedAt: AWARE,
    approvedBy: 'Board',
    approvedAt: undefined,
    obligation: undefined,
    outcome: undefined,
    ground: undefined,
    supersedes: undefined,
    supersededBy: undefined,
    recordedBy: 'x',
    recordedAt: AWARE,
  };
  const c = clockFor(stored(joic), AWARE, { notify: d, byObligation: new Map() });
  assert.equal(c.state, 'not-required');
  assert.match(c.says, /D1 by DPO: Do not notify the JOIC \(public contact list only\)/);
  // The breach log is kept whatever the risk.
  assert.equal(find(specs, "JE_DPJL_BREACH_LOG|The firm's breach log (open to JOIC review)|initial").required, 'yes');
});

test("data subjects (Jersey, UK): on high risk, from when it was determined, with no statutory hours but the firm's target", () => {
  const { specs } = run({ ...base, firm: { ...base.firm, gdprScope: ['UK'], targets: { JE_DPJL_DATA_SUBJECTS: 48 } } });
  const subjects = find(specs, 'JE_DPJL_DATA_SUBJECTS|Affected individuals|initial');
  assert.equal(subjects.required, 'yes');
  assert.equal(subjects.anchorAt, '2021-03-27T12:00:00.000Z');
  assert.equal(subjects.hours, undefined);
  assert.equal(subjects.dueAt, undefined);
  assert.equal(subjects.targetAt, '2021-03-29T12:00:00.000Z');
  const c = clockFor(stored(subjects), '2021-03-28T12:00:00.000Z', undefined);
  assert.equal(c.state, 'no-deadline');
  assert.match(c.says, /no statutory hours.*firm target 48 h.*1 d left of the firm's target/);
  assert.equal(find(specs, 'UK_GDPR_ART34|Affected individuals in the United Kingdom|initial').required, 'yes');
});

test('ICO only where UK GDPR reaches the firm and people live in the UK; one EU authority per member state with people', () => {
  assert.equal(
    run(base).specs.some((s) => s.ruleId === 'UK_GDPR_ART33'),
    false,
  );
  // Not answered whether UK GDPR reaches the firm, with people in the UK: a question, not a no.
  const { gdprScope: _drop, ...unanswered } = base.firm;
  assert.equal(find(run({ ...base, firm: unanswered }).specs, "UK_GDPR_ART33|UK Information Commissioner's Office|initial").applicability, 'unknown');
  const { specs } = run({ ...base, firm: { ...base.firm, gdprScope: ['UK', 'EU'] } });
  assert.equal(find(specs, "UK_GDPR_ART33|UK Information Commissioner's Office|initial").dueAt, '2021-03-29T09:00:00.000Z');
  // A 2021 case: WP29's guidance of the time, not the EDPB's 2023 update (see the law-as-it-stood test).
  assert.equal(
    specs.some((s) => s.ruleId === 'EU_GDPR_ART33'),
    false,
  );
  assert.equal(specs.filter((s) => s.ruleId === 'EU_GDPR_ART33_WP29' && s.stage === 'initial').length, 1);
  const noGb = run({ ...base, firm: { ...base.firm, gdprScope: ['UK'] }, datasets: [{ ...base.datasets[0], jurisdictions: { JE: 10 } }] });
  assert.equal(
    noGb.specs.some((s) => s.ruleId === 'UK_GDPR_ART33'),
    false,
  );
});

test('ODPA (s.42): 72 hours where Guernsey law reaches the firm; Guernsey data subjects on high risk', () => {
  const { specs } = run({ ...base, firm: { ...base.firm, gdprScope: ['GG'] } });
  assert.equal(find(specs, 'GG_DPL_S42_AUTHORITY|ODPA (Guernsey Office of the Data Protection Authority)|initial').hours, 72);
  assert.equal(find(specs, 'GG_DPL_DATA_SUBJECTS|Affected individuals in Guernsey|initial').required, 'yes');
  assert.equal(
    run(base).specs.some((s) => s.ruleId.startsWith('GG_DPL')),
    false,
  );
});

test('JFSC: registered persons, no statutory hours (a firm target only), three stages; required when client data was reached', () => {
  const { specs } = run({ ...base, firm: { ...base.firm, targets: { JFSC_CODES_P6: 24 } } });
  const j = specs.filter((s) => s.ruleId === 'JFSC_CODES_P6');
  assert.deepEqual(
    j.map((s) => s.stage),
    ['initial', 'follow-up', 'final'],
  );
  const initial = j[0];
  assert.ok(initial);
  assert.equal(initial.hours, undefined);
  assert.equal(initial.dueAt, undefined);
  assert.equal(initial.targetAt, '2021-03-26T15:00:00.000Z', 'the firm target runs from detection, as the duty does');
  assert.equal(initial.required, 'yes');
  assert.match((initial.template as { confirmation: string }).confirmation, /^P$/);
  assert.equal(
    run({ ...base, firm: { ...base.firm, jfsc: 'schedule-2' } }).specs.some((s) => s.ruleId === 'JFSC_CODES_P6'),
    false,
  );
  // Probes only and no answer on impact: whether it applies is a question, not a no.
  const unknown = find(run(base, {}, 'probed').specs, initial.key);
  assert.equal(unknown.required, 'unknown');
  assert.match(clockFor(stored(unknown), AWARE, undefined).says, /firm.jfscImpact/);
});

test('GFSC on licence and significance; JCSC voluntary from detection; the OES 48-hour duty is held back until in force', () => {
  const in2026 = { times: { awareAt: '2026-03-26T09:00:00.000Z', detectedAt: DETECTED } };
  const { specs, heldBack } = run({ ...base, firm: { ...base.firm, gfscLicensee: true, gfscSignificant: true, operatorOfEssentialService: true } }, in2026);
  assert.equal(find(specs, 'GFSC_CYBER_RULES|GFSC (Guernsey Financial Services Commission)|initial').required, 'yes');
  const jcsc = find(specs, 'JCSC_VOLUNTARY|JCSC (incidentreports@jcsc.je)|initial');
  assert.equal(jcsc.anchorAt, DETECTED);
  assert.equal(clockFor(stored(jcsc), AWARE, undefined).state, 'voluntary');
  assert.equal(
    specs.some((s) => s.ruleId === 'JE_CSL_OES_48H'),
    false,
  );
  assert.deepEqual(
    heldBack.map((r) => r.id),
    ['JE_CSL_OES_48H'],
  );
  assert.equal(
    run(base, in2026).specs.some((s) => s.ruleId === 'GFSC_CYBER_RULES'),
    false,
  );
});

test("processor duties: one per client controller; contractual notice takes the contract's hours and no other", () => {
  const { specs } = run({
    ...base,
    firm: {
      ...base.firm,
      role: ['controller', 'processor'],
      processorFor: [{ client: 'Blue Fund Ltd', noticeHours: 24, contractRef: 'SLA 4.2' }, { client: 'Red Trust' }],
    },
  });
  assert.deepEqual(
    specs.filter((s) => s.ruleId === 'JE_DPJL_PROCESSOR_TO_CONTROLLER').map((s) => [s.recipient, s.hours]),
    [
      ['Blue Fund Ltd (controller)', undefined],
      ['Red Trust (controller)', undefined],
    ],
  );
  const c = specs.filter((s) => s.ruleId === 'CONTRACTUAL_CLIENT_NOTICE');
  assert.deepEqual(
    c.map((s) => [s.recipient, s.hours, s.dueAt, s.legalReference]),
    [['Blue Fund Ltd', 24, '2021-03-27T09:00:00.000Z', "The firm's contract with Blue Fund Ltd (SLA 4.2)"]],
  );
  const unlisted = run({ ...base, firm: { ...base.firm, role: ['processor'] } });
  assert.deepEqual(
    unlisted.specs.filter((s) => s.ruleId === 'JE_DPJL_PROCESSOR_TO_CONTROLLER').map((s) => s.recipient),
    ['each controller client (not yet listed)'],
  );
});

test('nothing answered: the JOIC duty is to be confirmed, not dropped; no statutory hours are ever invented', () => {
  const { specs } = run({ datasets: base.datasets });
  const joic = find(specs, 'JE_DPJL_ART20_AUTHORITY|JOIC (Jersey Data Protection Authority)|initial');
  assert.equal(joic.applicability, 'unknown');
  assert.match(clockFor(stored(joic), AWARE, undefined).says, /firm.role.*firm.establishments/);
  const all = run({
    ...base,
    firm: {
      ...base.firm,
      gdprScope: ['UK', 'EU', 'GG'],
      gfscLicensee: true,
      gfscSignificant: true,
      role: ['controller', 'processor'],
      processorFor: [{ client: 'C', noticeHours: 12 }],
    },
  }).specs;
  const withHours = new Set(all.filter((s) => s.hours !== undefined).map((s) => s.ruleId));
  assert.deepEqual([...withHours].sort(), [
    'CONTRACTUAL_CLIENT_NOTICE',
    'EU_GDPR_ART33_WP29',
    'GG_DPL_S42_AUTHORITY',
    'JE_DPJL_ART20_AUTHORITY',
    'UK_GDPR_ART33',
  ]);
});

test('clocks: overdue asks for delay reasons; filed late keeps its lateness; soonest first', () => {
  const { specs } = run({ ...base, firm: { ...base.firm, targets: { JFSC_CODES_P6: 4 } } });
  const joic = find(specs, 'JE_DPJL_ART20_AUTHORITY|JOIC (Jersey Data Protection Authority)|initial');
  const over = clockFor(stored(joic), '2021-03-29T12:00:00.000Z', undefined);
  assert.equal(over.state, 'overdue');
  assert.match(over.says, /passed 3 h ago.*reasons for the delay/);
  const filed = clockFor(
    stored(joic, {
      firstFiledAt: '2021-03-29T12:00:00.000Z',
      lateByMs: 3 * 3_600_000,
      delayReasons: 'scope unclear',
      filings: [
        {
          seq: 1,
          obligation: 'O1',
          channel: 'joic_portal',
          sentAt: '2021-03-29T12:00:00.000Z',
          sentBy: 'x',
          reference: 'J-1',
          content: {},
          delayReasons: 'scope unclear',
          lateByMs: 3 * 3_600_000,
          recordedBy: 'x',
          recordedAt: 'x',
        },
      ],
    }),
    '2021-04-01T00:00:00.000Z',
    undefined,
  );
  assert.equal(filed.state, 'filed');
  assert.match(filed.says, /reference J-1.*3 h after the deadline; reasons given: scope unclear/);
  const now = '2021-03-26T10:00:00.000Z';
  const clocks = sortClocks(specs.map((s, i) => clockFor(stored(s, { ref: `O${i + 1}` }), now, undefined)));
  assert.equal(clocks[0]?.ruleId, 'JFSC_CODES_P6', 'the 4-hour firm target comes before the 72-hour deadline');
  assert.equal(clocks[1]?.ruleId, 'JE_DPJL_ART20_AUTHORITY');
});

test("the law as it stood: a 2021 case uses WP29's guidance and hears nothing of a 2026 law; a 2024 case notifies each authority by name", () => {
  const eu = { ...base, firm: { ...base.firm, gdprScope: ['EU'], operatorOfEssentialService: true, euRepresentative: { name: 'Rep SARL', state: 'fr' } } };
  const y2021 = run(eu);
  assert.equal(
    y2021.specs.some((s) => s.ruleId === 'EU_GDPR_ART33'),
    false,
    'EDPB 9/2022 (adopted 2023) is not applied to a 2021 case',
  );
  assert.deepEqual(
    y2021.specs.filter((s) => s.ruleId === 'EU_GDPR_ART33_WP29' && s.stage === 'initial').map((s) => s.recipient),
    ["Commission nationale de l'informatique et des libertés (CNIL)"],
  );
  assert.deepEqual(
    y2021.heldBack.map((r) => r.id),
    [],
    'the Cyber Security (Jersey) Law of 2026 does not appear in a 2021 case',
  );
  assert.equal(
    y2021.specs.some((s) => s.ruleId === 'GFSC_CYBER_RULES'),
    false,
  );
  const y2024 = run(eu, { times: { awareAt: '2024-05-02T09:00:00.000Z', detectedAt: '2024-05-02T08:00:00.000Z' } });
  assert.equal(
    y2024.specs.some((s) => s.ruleId === 'EU_GDPR_ART33_WP29'),
    false,
  );
  const names = y2024.specs.filter((s) => s.ruleId === 'EU_GDPR_ART33' && s.stage === 'initial').map((s) => s.recipient);
  assert.equal(names.length, 2);
  assert.ok(names.some((n) => n.includes('CNIL')) && names.some((n) => n.includes('BfDI')), names.join(' | '));
  assert.ok(!names.some((n) => /supervisory authority$/.test(n)));
  assert.deepEqual(
    run(eu, { times: { awareAt: '2026-02-01T09:00:00.000Z', detectedAt: undefined } }).heldBack.map((r) => r.id),
    ['JE_CSL_OES_48H'],
  );
  // No representative recorded: the duty stays, and says what is missing.
  const noRep = run({ ...base, firm: { ...base.firm, gdprScope: ['EU'] } });
  assert.match(find(noRep.specs, noRep.specs.find((s) => s.ruleId === 'EU_GDPR_ART33_WP29')?.key ?? '').recipient, /firm\.euRepresentative/);
});

test('EU residents: a data-subject duty (GDPR Art. 34) on high risk, as for the UK', () => {
  const { specs } = run({ ...base, firm: { ...base.firm, gdprScope: ['EU'] } });
  const s = find(specs, 'EU_GDPR_ART34|Affected individuals in the EU|initial');
  assert.equal(s.required, 'yes');
  assert.equal(s.anchorAt, '2021-03-27T12:00:00.000Z');
  assert.equal(
    run(base).specs.some((x) => x.ruleId === 'EU_GDPR_ART34'),
    false,
    'not where EU GDPR does not reach the firm',
  );
});

test("JFSC: the clock runs from detection (reasonable grounds), and the law cited is the one for the firm's registration class", () => {
  const tcb = run({ ...base, firm: { ...base.firm, jfscClass: 'trust-company-business' } });
  const initial = find(tcb.specs, "JFSC_CODES_P6|JFSC (the firm's supervisor)|initial");
  assert.equal(initial.anchorKind, 'detected');
  assert.equal(initial.anchorAt, DETECTED);
  assert.match(initial.legalReference, /Financial Services \(Jersey\) Law 1998, Art\. 28\(3\)/);
  assert.doesNotMatch(initial.legalReference, /Banking/);
  const bank = find(run({ ...base, firm: { ...base.firm, jfscClass: 'deposit-taking' } }).specs, initial.key);
  assert.match(bank.legalReference, /Banking Business \(Jersey\) Law 1991, Art\. 22\(3\)/);
  assert.match(find(run(base).specs, initial.key).legalReference, /firm\.jfscClass/);
});

test('Guernsey s.42(1): a processor reached by Guernsey law tells each controller client as soon as it becomes aware', () => {
  const firm = { ...base.firm, role: ['processor'], processorFor: [{ client: 'Blue Fund Ltd' }] };
  const gg = run({ ...base, firm: { ...firm, establishments: ['GG'] } }).specs.filter((s) => s.ruleId === 'GG_DPL_S42_PROCESSOR');
  assert.deepEqual(
    gg.map((s) => [s.recipient, s.required, s.anchorAt, s.hours]),
    [['Blue Fund Ltd (controller)', 'yes', AWARE, undefined]],
  );
  assert.equal(
    run({ ...base, firm }).specs.some((s) => s.ruleId === 'GG_DPL_S42_PROCESSOR'),
    false,
    'not without Guernsey law',
  );
});

test('a decision per obligation: an exception only its law has settles that one clock; every dataset unintelligible asks for the decision', () => {
  const { specs } = run({ ...base, firm: { ...base.firm, gdprScope: ['UK'] } });
  const subjects = stored(find(specs, 'JE_DPJL_DATA_SUBJECTS|Affected individuals|initial'), { ref: 'O2' });
  const joic = stored(find(specs, 'JE_DPJL_ART20_AUTHORITY|JOIC (Jersey Data Protection Authority)|initial'));
  assert.deepEqual(
    (subjects.template as { exceptions: { ground: string }[] }).exceptions.map((e) => e.ground),
    ['unintelligible', 'later-measures', 'disproportionate-effort'],
  );
  assert.deepEqual((joic.template as { exceptions: unknown[] }).exceptions, [], 'the JOIC notification has no exceptions to offer');
  const d = (over: Partial<Decision>): Decision => ({
    ref: 'D2',
    kind: 'notify',
    decision: 'Not telling the people',
    rationale: 'the mailbox database was encrypted and the key was not on the server',
    evidence: [],
    decidedBy: 'DPO',
    decidedAt: AWARE,
    approvedBy: 'Board',
    approvedAt: '2021-03-28T10:00:00.000Z',
    obligation: 'O2',
    outcome: 'exception',
    ground: 'unintelligible',
    supersedes: undefined,
    supersededBy: undefined,
    recordedBy: 'x',
    recordedAt: AWARE,
    ...over,
  });
  const now = '2021-03-28T12:00:00.000Z';
  // Every dataset unintelligible: the clock asks for the decision instead of running as a plain duty.
  assert.equal(clockFor(subjects, now, undefined).state, 'no-deadline');
  const hinted = clockFor(subjects, now, undefined, 'JE_DPJL_DATA_SUBJECTS-1', { allUnintelligible: true });
  assert.equal(hinted.state, 'decision-needed');
  assert.match(hinted.says, /unintelligible.*--obligation JE_DPJL_DATA_SUBJECTS-1 --outcome exception --ground unintelligible/);
  assert.equal(clockFor(joic, now, undefined, 'JOIC-1', { allUnintelligible: true }).state, 'open', "no exception in the JOIC notification's law");
  // Not a duty on the assessment (unintelligible data scores low): the exception is still offered to record.
  assert.match(
    clockFor({ ...subjects, required: 'no' }, now, undefined, 'JE_DPJL_DATA_SUBJECTS-1', { allUnintelligible: true }).says,
    /does not make this a duty; every dataset is marked unintelligible.*--ground unintelligible\), or record a decision not to notify/,
  );
  // The exception, decided and approved, settles this obligation only.
  const decided = { notify: undefined, byObligation: new Map([['O2', d({})]]) };
  const ex = clockFor(subjects, now, decided, 'JE_DPJL_DATA_SUBJECTS-1', { allUnintelligible: true });
  assert.equal(ex.state, 'exception');
  assert.equal(ex.decision, 'D2');
  assert.match(ex.says, /data unintelligible.*Art\. 20.*decision D2 by DPO, approved by Board at 2021-03-28T10:00:00\.000Z/);
  assert.equal(clockFor(joic, now, decided).state, 'open');
  // Disproportionate effort says what must be done instead.
  assert.match(
    clockFor(subjects, now, { notify: undefined, byObligation: new Map([['O2', d({ ground: 'disproportionate-effort' })]]) }).says,
    /instead: a public communication/,
  );
  // Decided required: the clock runs even where the assessment left it unknown; decided not required: settled, with the approval.
  assert.equal(
    clockFor({ ...joic, required: 'unknown' }, now, {
      notify: undefined,
      byObligation: new Map([['O1', d({ obligation: 'O1', outcome: 'required', ground: undefined })]]),
    }).state,
    'open',
  );
  const no = clockFor(joic, now, {
    notify: undefined,
    byObligation: new Map([['O1', d({ obligation: 'O1', outcome: 'not-required', ground: undefined, approvedBy: undefined, approvedAt: undefined })]]),
  });
  assert.equal(no.state, 'not-required');
  assert.match(no.says, /not yet approved.*the assessment makes it a duty/);
});
