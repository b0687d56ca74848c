// How each clock reads, per the law in the reference research (regulatory.md): the JOIC notification runs
// 72 hours from awareness (DPJL Art. 20); the JFSC has no statutory hours, only the firm's own
// target from detection; what is settled (filed, decided, withdrawn) never counts down.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Decision } from '../case/index.js';
import type { StoredObligation } from '../case/regulatory-types.js';
import type { Clock } from './clocks.js';
import { clockFor, decidedFrom, hintsFrom, sortClocks } from './clocks.js';

const AWARE = '2021-03-26T09:00:00.000Z';
const HOUR = 3_600_000;

/** The JOIC initial notification: 72 elapsed hours from awareness. */
function joic(over: Partial<StoredObligation> = {}): StoredObligation {
  return {
    key: 'JE_DPJL_ART20_AUTHORITY|JOIC|initial',
    ruleId: 'JE_DPJL_ART20_AUTHORITY',
    recipient: 'JOIC',
    stage: 'initial',
    legalReference: 'DPJL 2018 Art. 20',
    template: { title: 'Notify the JOIC', confirmation: 'C', wording: 'without undue delay', exceptions: [] },
    anchorKind: 'aware',
    anchorAt: AWARE,
    hours: 72,
    dueAt: '2021-03-29T09:00:00.000Z',
    targetHours: undefined,
    targetAt: undefined,
    required: 'yes',
    applicability: 'applies',
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

/** The JFSC notification: no statutory hours, the firm's target (here 24 h) from detection. */
function jfsc(over: Partial<StoredObligation> = {}): StoredObligation {
  return joic({
    key: 'JFSC_CODES_P6|JFSC|initial',
    ruleId: 'JFSC_CODES_P6',
    recipient: 'JFSC',
    legalReference: 'FS(J)L 1998 Art. 28(3)',
    template: { title: 'Notify the JFSC', confirmation: 'P', wording: 'as soon as it becomes aware', exceptions: [] },
    anchorKind: 'detected',
    anchorAt: '2021-03-25T15:00:00.000Z',
    hours: undefined,
    dueAt: undefined,
    targetHours: 24,
    targetAt: '2021-03-26T15:00:00.000Z',
    ref: 'O2',
    ...over,
  });
}

function decision(over: Partial<Decision>): Decision {
  return {
    ref: 'D1',
    kind: 'notify',
    decision: 'Not notifying',
    rationale: 'no personal data on the server',
    evidence: [],
    decidedBy: 'DPO',
    decidedAt: AWARE,
    approvedBy: undefined,
    approvedAt: undefined,
    obligation: undefined,
    outcome: undefined,
    ground: undefined,
    supersedes: undefined,
    supersededBy: undefined,
    recordedBy: 'x',
    recordedAt: AWARE,
    ...over,
  };
}

test('a running statutory clock gives the time left of its hours, and the firm target beside it', () => {
  const c = clockFor(joic({ targetHours: 24 }), '2021-03-26T10:30:00.000Z', undefined);
  assert.equal(c.state, 'open');
  assert.equal(c.leftMs, 70.5 * HOUR);
  assert.equal(c.says, '2 d 22 h 30 min left of 72 h from aware; firm target 24 h');
  // At the deadline itself the duty is still on time; a minute later it is overdue.
  assert.equal(clockFor(joic(), '2021-03-29T09:00:00.000Z', undefined).state, 'open');
  const late = clockFor(joic(), '2021-03-29T09:01:00.000Z', undefined);
  assert.equal(late.state, 'overdue');
  assert.equal(late.leftMs, -60_000);
});

test("no statutory hours: the firm's target counts down, and once passed the clock says so (never an invented deadline)", () => {
  const running = clockFor(jfsc(), '2021-03-26T09:00:00.000Z', undefined);
  assert.equal(running.state, 'no-deadline');
  assert.equal(running.leftMs, 6 * HOUR);
  assert.equal(running.says, `no statutory hours ("as soon as it becomes aware"); firm target 24 h; 6 h left of the firm's target`);
  const passed = clockFor(jfsc(), '2021-03-26T17:00:00.000Z', undefined);
  assert.equal(passed.state, 'past-target');
  assert.equal(passed.leftMs, -2 * HOUR);
  assert.match(passed.says, /the firm's target passed 2 h ago$/);
  // Without a target either: no deadline, nothing counting down.
  const none = clockFor(jfsc({ targetHours: undefined, targetAt: undefined }), AWARE, undefined);
  assert.equal(none.state, 'no-deadline');
  assert.equal(none.leftMs, undefined);
  assert.equal(none.says, 'no statutory hours ("as soon as it becomes aware")');
});

test('a clock whose start is not yet known says what starts it', () => {
  const c = clockFor(joic({ anchorAt: undefined, dueAt: undefined }), AWARE, undefined);
  assert.equal(c.state, 'pending');
  assert.equal(c.leftMs, undefined);
  assert.match(c.says, /^the clock starts when the firm became aware \(record it: exir case set --aware\)$/);
  assert.match(
    clockFor(joic({ anchorKind: 'high-risk-determined', anchorAt: undefined, dueAt: undefined }), AWARE, undefined).says,
    /when the assessment concludes high risk$/,
  );
  // The JFSC's clock runs from reasonable grounds, in practice detection: the command that records it is named.
  assert.match(
    clockFor(jfsc({ anchorAt: undefined, targetAt: undefined }), AWARE, undefined).says,
    /when the incident was detected \(record it: exir case set --detected\)$/,
  );
  assert.match(
    clockFor(jfsc({ anchorKind: 'previous-filing', anchorAt: undefined, targetAt: undefined }), AWARE, undefined).says,
    /when the previous stage is first filed$/,
  );
});

test('filed: on time against a deadline, late with its reasons, and neither where there was no deadline', () => {
  const filing = { seq: 1, obligation: 'O1', channel: 'joic_portal', sentAt: AWARE, sentBy: 'x', content: {}, recordedBy: 'x', recordedAt: AWARE };
  const onTime = clockFor(
    joic({ firstFiledAt: '2021-03-27T09:00:00.000Z', filings: [{ ...filing, reference: undefined, delayReasons: undefined, lateByMs: undefined }] }),
    '2021-04-10T00:00:00.000Z',
    undefined,
  );
  assert.equal(onTime.state, 'filed');
  assert.equal(onTime.leftMs, undefined, 'a filed duty no longer counts down, however long ago its deadline was');
  assert.equal(onTime.says, 'filed 2021-03-27T09:00:00.000Z, on time; 1 filing(s)');
  const lateNoReason = clockFor(joic({ firstFiledAt: '2021-03-29T10:00:00.000Z', lateByMs: HOUR }), AWARE, undefined);
  assert.match(lateNoReason.says, /1 h after the deadline; reasons given: \(none recorded\)/);
  const noDeadline = clockFor(jfsc({ firstFiledAt: AWARE }), AWARE, undefined);
  assert.equal(noDeadline.says, `filed ${AWARE}; 0 filing(s)`);
  // Two filings with the same reference name it once.
  const twice = clockFor(
    joic({
      firstFiledAt: AWARE,
      filings: [
        { ...filing, reference: 'J-1', delayReasons: undefined, lateByMs: undefined },
        { ...filing, seq: 2, reference: 'J-1', delayReasons: undefined, lateByMs: undefined },
      ],
    }),
    AWARE,
    undefined,
  );
  assert.deepEqual(twice.references, ['J-1']);
  assert.match(twice.says, /\(reference J-1\), on time; 2 filing\(s\)/);
});

test('an obligation the rules no longer generate is kept for the record and counts nothing down, even when it was overdue', () => {
  const c = clockFor(joic({ active: false }), '2021-04-10T00:00:00.000Z', undefined);
  assert.equal(c.state, 'withdrawn');
  assert.equal(c.leftMs, undefined);
});

test('whether it applies is not known: the clock says what must be answered, and runs once it is decided owed', () => {
  const c = clockFor(joic({ required: 'unknown', template: { unknown: [{ needed: 'firm.role' }, { needed: 'firm.establishments' }] } }), AWARE, undefined);
  assert.equal(c.state, 'to-confirm');
  assert.equal(c.says, 'whether this applies is not yet known: firm.role; firm.establishments');
  assert.match(clockFor(joic({ applicability: 'unknown', template: {} }), AWARE, undefined).says, /answer the open questions$/);
  assert.equal(clockFor(joic({ applicability: 'unknown' }), AWARE, undefined).title, 'Notify the JOIC');
  assert.equal(clockFor(joic({ template: {} }), AWARE, undefined).title, 'JE_DPJL_ART20_AUTHORITY', 'the rule id where the template has no title');
});

test('decided not required where the assessment did not make it a duty: no warning that the rationale must argue against it', () => {
  const own = decision({ obligation: 'O1', outcome: 'not-required', approvedBy: 'Board', approvedAt: undefined });
  const c = clockFor(joic({ required: 'no' }), AWARE, { notify: undefined, byObligation: new Map([['O1', own]]) });
  assert.equal(c.state, 'not-required');
  assert.equal(c.decision, 'D1');
  assert.equal(c.says, 'decided not required (decision D1 by DPO, approved by Board): Not notifying (no personal data on the server)');
});

test('an exception ground the rule does not list is named as given, with no law', () => {
  const own = decision({ obligation: 'O1', outcome: 'exception', ground: 'made-up', rationale: 'r' });
  const c = clockFor(joic(), AWARE, { notify: undefined, byObligation: new Map([['O1', own]]) });
  assert.equal(c.state, 'exception');
  assert.equal(c.says, 'not owed under an exception, made-up (decision D1 by DPO, not yet approved): r');
});

test('the standing decision and the per-obligation decisions in force: superseded ones and other kinds do not count, the latest does', () => {
  const decisions = [
    decision({ ref: 'D1', supersededBy: 'D3' }),
    decision({ ref: 'D2', kind: 'rebuild' }),
    decision({ ref: 'D3' }),
    decision({ ref: 'D4', obligation: 'O1', outcome: 'required' }),
    decision({ ref: 'D5', obligation: 'O2', outcome: 'not-required', supersededBy: 'D6' }),
    decision({ ref: 'D6', obligation: 'O2', outcome: 'exception' }),
    decision({ ref: 'D7', kind: 'tell-clients' }),
    decision({ ref: 'D8', obligation: 'O1', outcome: 'not-required' }),
  ];
  const d = decidedFrom(decisions);
  assert.equal(d.notify?.ref, 'D3', 'the latest notify decision about the case, not one about an obligation');
  assert.deepEqual(
    [...d.byObligation].map(([o, x]) => [o, x.ref]),
    [
      ['O1', 'D8'],
      ['O2', 'D6'],
    ],
  );
  assert.equal(decidedFrom([decision({ ref: 'D1', kind: 'other' }), decision({ ref: 'D2', obligation: 'O1', kind: 'other' })]).notify, undefined);
  assert.equal(decidedFrom([decision({ ref: 'D2', obligation: 'O1', kind: 'other' })]).byObligation.size, 0);
});

test('only an assessment that marks every dataset unintelligible offers that exception', () => {
  assert.deepEqual(hintsFrom({ flags: { allUnintelligible: true } } as Parameters<typeof hintsFrom>[0]), { allUnintelligible: true });
  assert.deepEqual(hintsFrom({ flags: { allUnintelligible: false } } as Parameters<typeof hintsFrom>[0]), { allUnintelligible: false });
  assert.deepEqual(hintsFrom(undefined), { allUnintelligible: false });
});

test('soonest first: running clocks by time left, then those without one by state, then the settled (voluntary, filed, decided, withdrawn); refs in number order', () => {
  const now = '2021-03-26T09:00:00.000Z';
  const clocks: Clock[] = sortClocks([
    clockFor(joic({ ref: 'O1', firstFiledAt: AWARE }), now, undefined),
    clockFor(joic({ ref: 'O10', anchorAt: undefined, dueAt: undefined }), now, undefined),
    clockFor(joic({ ref: 'O2', anchorAt: undefined, dueAt: undefined }), now, undefined),
    clockFor(joic({ ref: 'O3', required: 'unknown' }), now, undefined),
    clockFor(joic({ ref: 'O4' }), now, undefined),
    clockFor(jfsc({ ref: 'O5' }), now, undefined),
    clockFor(joic({ ref: 'O6', active: false }), now, undefined),
    clockFor(joic({ ref: 'O7', dueAt: '2021-03-26T08:00:00.000Z' }), now, undefined),
    clockFor(jfsc({ ref: 'O8', targetAt: undefined }), now, undefined),
    clockFor(joic({ ref: 'O9', template: { requiredWhen: ['never'] } }), now, undefined),
    clockFor(joic({ ref: 'O11' }), now, {
      notify: undefined,
      byObligation: new Map([['O11', decision({ obligation: 'O11', outcome: 'exception', ground: 'unintelligible' })]]),
    }),
    clockFor(joic({ ref: 'O12' }), now, { notify: undefined, byObligation: new Map([['O12', decision({ obligation: 'O12', outcome: 'not-required' })]]) }),
  ]);
  assert.deepEqual(
    clocks.map((c) => `${c.ref} ${c.state}`),
    [
      'O7 overdue',
      'O5 no-deadline',
      'O4 open',
      'O8 no-deadline',
      'O2 pending',
      'O10 pending',
      'O3 to-confirm',
      'O9 voluntary',
      'O1 filed',
      'O12 not-required',
      'O11 exception',
      'O6 withdrawn',
    ],
  );
});

test('how the settled and the undecided read: withdrawn, voluntary, filed under two references, a duty not yet decided', () => {
  assert.equal(
    clockFor(joic({ active: false }), AWARE, undefined).says,
    'the rules no longer generate this obligation on the latest assessment; kept for the record',
  );
  assert.equal(
    clockFor(jfsc({ template: { requiredWhen: ['never'] } }), AWARE, undefined).says,
    'voluntary: no statutory hours ("see the rule"); firm target 24 h',
  );
  const filing = { seq: 1, obligation: 'O1', channel: 'joic_portal', sentAt: AWARE, sentBy: 'x', content: {}, recordedBy: 'x', recordedAt: AWARE };
  const two = clockFor(
    joic({
      firstFiledAt: AWARE,
      filings: [
        { ...filing, reference: 'J-1', delayReasons: undefined, lateByMs: undefined },
        { ...filing, seq: 2, reference: 'J-2', delayReasons: undefined, lateByMs: undefined },
      ],
    }),
    AWARE,
    undefined,
  );
  assert.equal(two.says, `filed ${AWARE} (reference J-1, J-2), on time; 2 filing(s)`);
  assert.equal(
    clockFor(joic({ required: 'no' }), AWARE, undefined, 'JOIC-1').says,
    'the assessment does not make this a duty; a decision not to notify must be recorded with its evidence and rationale ' +
      '(exir case decide --kind notify --obligation JOIC-1 --outcome not-required)',
  );
});

test('a running or overdue clock whose hours are not stored says "?" rather than a number', () => {
  const open = clockFor(joic({ hours: undefined }), '2021-03-29T08:00:00.000Z', undefined);
  assert.equal(open.says, '1 h left of ? h from aware');
  const over = clockFor(joic(), '2021-03-29T10:00:00.000Z', undefined);
  assert.equal(over.says, 'deadline passed 1 h ago (72 h from aware); the filing must give the reasons for the delay');
  assert.equal(
    clockFor(joic({ hours: undefined }), '2021-03-29T10:00:00.000Z', undefined).says,
    'deadline passed 1 h ago (? h from aware); the filing must give the reasons for the delay',
  );
});

test("at the firm's target itself the target has not passed", () => {
  const at = clockFor(jfsc(), '2021-03-26T15:00:00.000Z', undefined);
  assert.equal(at.state, 'no-deadline');
  assert.equal(at.leftMs, 0);
});

test('what a clock carries from its template: the confirmation ("?" without one), the role and datasets only where given', () => {
  const plain = clockFor(joic(), AWARE, undefined);
  assert.equal(plain.confirmation, 'C');
  assert.equal('role' in plain, false);
  assert.equal('datasets' in plain, false);
  assert.equal(clockFor(joic({ template: {} }), AWARE, undefined).confirmation, '?');
  const processor = clockFor(joic({ template: { title: 'Tell the client', role: 'processor', datasets: ['client-a'] } }), AWARE, undefined);
  assert.equal(processor.role, 'processor');
  assert.deepEqual(processor.datasets, ['client-a']);
});

test('the significance anchor and each exception ground read in words', () => {
  assert.equal(
    clockFor(joic({ anchorKind: 'significance-determined', anchorAt: undefined, dueAt: undefined }), AWARE, undefined).says,
    'the clock starts when the incident is established to be significant',
  );
  const exceptions = [
    { ground: 'later-measures' as const, law: 'Art. 21(3)(b)', confirmation: 'C' as const, then: undefined },
    { ground: 'disproportionate-effort' as const, law: 'Art. 21(3)(c)', confirmation: 'C' as const, then: 'a public notice' },
  ];
  const says = (ground: string): string =>
    clockFor(joic({ template: { exceptions } }), AWARE, {
      notify: undefined,
      byObligation: new Map([['O1', decision({ obligation: 'O1', outcome: 'exception', ground, rationale: 'r' })]]),
    }).says;
  assert.equal(
    says('later-measures'),
    'not owed under an exception, later measures mean the high risk is no longer likely (Art. 21(3)(b)) (decision D1 by DPO, not yet approved): r',
  );
  assert.equal(
    says('disproportionate-effort'),
    'not owed under an exception, telling each person would involve disproportionate effort (Art. 21(3)(c)) ' +
      '(decision D1 by DPO, not yet approved): r; instead: a public notice',
  );
});

test('the unintelligible exception is offered only where the law has it, and never over a decision that the duty is owed', () => {
  const law = (ground: 'unintelligible' | 'later-measures', l: string) => ({ ground, law: l, confirmation: 'C' as const, then: undefined });
  const hints = { allUnintelligible: true };
  const exceptions = [law('later-measures', 'Art. 21(3)(b)'), law('unintelligible', 'Art. 21(3)(a)')];
  const both = joic({ template: { exceptions } });
  const offered = clockFor(both, AWARE, undefined, 'JOIC-1', hints);
  assert.equal(offered.state, 'decision-needed');
  assert.equal(
    offered.says,
    'every dataset is marked unintelligible to the attacker (encrypted, key not compromised), and Art. 21(3)(a) excuses telling the people ' +
      'affected then: record it (exir case decide --kind notify --obligation JOIC-1 --outcome exception --ground unintelligible), ' +
      'or decide it is owed (--outcome required)',
  );
  const other = joic({ template: { exceptions: [law('later-measures', 'Art. 21(3)(b)')] } });
  assert.equal(clockFor(other, AWARE, undefined, 'JOIC-1', hints).state, 'open', 'no unintelligible exception in its law');
  const owed = { notify: undefined, byObligation: new Map([['O1', decision({ obligation: 'O1', outcome: 'required' })]]) };
  assert.equal(clockFor(both, AWARE, owed, 'JOIC-1', hints).state, 'open', 'decided owed: the clock runs');
  const unknown = clockFor(joic({ required: 'unknown', template: { exceptions } }), AWARE, undefined, 'JOIC-1', hints);
  assert.equal(unknown.state, 'to-confirm', 'whether it applies comes first');
});

test('the standing decision is the latest in force, and a superseded one never stands, wherever it comes', () => {
  const standing = decidedFrom([decision({ ref: 'D1' }), decision({ ref: 'D2' })]);
  assert.equal(standing.notify?.ref, 'D2');
  const later = decidedFrom([
    decision({ ref: 'D1' }),
    decision({ ref: 'D2', supersededBy: 'D4' }),
    decision({ ref: 'D3', obligation: 'O1', outcome: 'required' }),
    decision({ ref: 'D4', obligation: 'O1', outcome: 'not-required', supersededBy: 'D5' }),
  ]);
  assert.equal(later.notify?.ref, 'D1');
  assert.equal(later.byObligation.get('O1')?.ref, 'D3');
});
