import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EnisaInputs } from './enisa.js';
import { conclusionFor, scoreEnisa, severityLevel } from './enisa.js';
import type { EnisaInput } from './types.js';

const v = (value: number): EnisaInput => ({ value, from: 'answer', why: 'test' });

function inputs(base: number, deltas: number[], ei: number, c: number, i: number, a: number, m: number): EnisaInputs {
  return {
    dpcBase: v(base),
    dpcAdjustments: deltas.map((delta, n) => ({ factor: `factor ${n}`, delta })),
    ei: v(ei),
    confidentiality: v(c),
    integrity: v(i),
    availability: v(a),
    malicious: v(m),
  };
}

test("DPC: the method's own Assessment Table 1 examples (base score, adjusted by context)", () => {
  // ENISA WD v1.0 (2013), Annex, Assessment Table 1, as its examples give them.
  const cases: [string, number, number[], number][] = [
    ['customer list of a supermarket (simple)', 1, [], 1],
    ['customer list of a luxury goods seller: implies financial status', 1, [1], 2],
    ['delivery addresses of an adult book store: implies sexual preferences', 1, [2], 3],
    ['list of undercover officers: critical to their safety', 1, [3], 4],
    ['one week of call history (behavioural)', 2, [], 2],
    ['calls to a psychological support centre: infers health', 2, [2], 4],
    ['a bank customer letter with no financial detail', 3, [-2], 1],
    ['one year of detailed bank statements', 3, [1], 4],
    ['full card details enabling transactions', 3, [1], 4],
    ['"performed general blood tests"', 4, [-3], 1],
    ['actual test results', 4, [], 4],
  ];
  for (const [what, base, deltas, dpc] of cases) {
    assert.equal(scoreEnisa(inputs(base, deltas, 1, 0, 0, 0, 0)).dpc, dpc, what);
  }
  // Adjustments cannot take DPC outside 1..4.
  assert.equal(scoreEnisa(inputs(4, [2], 1, 0, 0, 0, 0)).dpc, 4);
  assert.equal(scoreEnisa(inputs(1, [-2], 1, 0, 0, 0, 0)).dpc, 1);
});

test('SE = DPC × EI + CB and the bands low < 2 ≤ medium < 3 ≤ high < 4 ≤ very high', () => {
  // Simple data, fully identifiable, lost to an unknown number of recipients: 1 × 1 + 0.5 = 1.5, low.
  let r = scoreEnisa(inputs(1, [], 1, 0.5, 0, 0, 0));
  assert.equal(r.se, 1.5);
  assert.equal(r.level, 'low');
  // ... and with malicious intent: 1 × 1 + 0.5 + 0.5 = 2, medium at the boundary.
  r = scoreEnisa(inputs(1, [], 1, 0.5, 0, 0, 0.5));
  assert.equal(r.se, 2);
  assert.equal(r.level, 'medium');
  // Financial data, significant identification: 3 × 0.75 + 0.25 = 2.5, medium.
  r = scoreEnisa(inputs(3, [], 0.75, 0.25, 0, 0, 0));
  assert.equal(r.se, 2.5);
  assert.equal(r.level, 'medium');
  // Financial data, maximum identification, no circumstances: exactly 3, high.
  assert.equal(scoreEnisa(inputs(3, [], 1, 0, 0, 0, 0)).level, 'high');
  // The Exchange case: client financial and CDD mail, names throughout, mailboxes read, deliberate attack.
  r = scoreEnisa(inputs(3, [], 1, 0.5, 0, 0, 0.5));
  assert.equal(r.se, 4);
  assert.equal(r.level, 'very-high');
  assert.equal(r.cbTotal, 1);
  // Sensitive data with negligible identification: 4 × 0.25 + 0 = 1, low.
  assert.equal(scoreEnisa(inputs(4, [], 0.25, 0, 0, 0, 0)).level, 'low');
  // Every CB element at its top: 0.5 + 0.5 + 0.5 + 0.5 = 2 added.
  assert.equal(scoreEnisa(inputs(1, [], 0.25, 0.5, 0.5, 0.5, 0.5)).se, 2.25);
  assert.deepEqual([1.99, 2, 2.99, 3, 3.99, 4, 5].map(severityLevel), ['low', 'medium', 'medium', 'high', 'high', 'very-high', 'very-high']);
});

test('levels map to the notification thresholds', () => {
  assert.deepEqual((['low', 'medium', 'high', 'very-high'] as const).map(conclusionFor), ['no-risk', 'risk', 'high-risk', 'high-risk']);
});

test('values the method does not have are refused', () => {
  assert.throws(() => scoreEnisa(inputs(5, [], 1, 0, 0, 0, 0)), /DPC base/);
  assert.throws(() => scoreEnisa(inputs(1, [], 0.6, 0, 0, 0, 0)), /ease of identification/);
  assert.throws(() => scoreEnisa(inputs(1, [], 1, 0.3, 0, 0, 0)), /confidentiality/);
  assert.throws(() => scoreEnisa(inputs(1, [], 1, 0, 0, 0, 0.25)), /malicious/);
});
