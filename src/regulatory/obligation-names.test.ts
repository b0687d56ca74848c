import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findObligation, obligationNames } from './obligation-names.js';

const made = [
  { ref: 'O2', ruleId: 'JE_DPJL_ART20_AUTHORITY', recipient: 'JOIC (Jersey Data Protection Authority)' },
  { ref: 'O1', ruleId: 'JE_DPJL_ART20_AUTHORITY', recipient: 'JOIC (Jersey Data Protection Authority)' },
  { ref: 'O3', ruleId: 'JE_DPJL_DATA_SUBJECTS', recipient: 'Affected individuals' },
  { ref: 'O10', ruleId: 'JFSC_CODES_P6', recipient: "JFSC (the firm's supervisor)" },
  { ref: 'O9', ruleId: 'JFSC_CODES_P6', recipient: "JFSC (the firm's supervisor)" },
];

test("names are the recipient's acronym (else the rule id) numbered in the order the case made them", () => {
  const names = obligationNames(made);
  assert.equal(names.get('O1'), 'JOIC-1');
  assert.equal(names.get('O2'), 'JOIC-2');
  assert.equal(names.get('O3'), 'JE_DPJL_DATA_SUBJECTS-1');
  // O9 before O10: numeric order, not text order.
  assert.equal(names.get('O9'), 'JFSC-1');
  assert.equal(names.get('O10'), 'JFSC-2');
});

test('a later obligation does not rename the earlier ones', () => {
  const later = [...made, { ref: 'O11', ruleId: 'JE_DPJL_ART20_AUTHORITY', recipient: 'JOIC (Jersey Data Protection Authority)' }];
  const before = obligationNames(made);
  const after = obligationNames(later);
  for (const [ref, name] of before) assert.equal(after.get(ref), name, ref);
  assert.equal(after.get('O11'), 'JOIC-3');
});

test('an obligation is found by its name or its store reference, in any case', () => {
  assert.equal(findObligation(made, 'joic-2')?.ref, 'O2');
  assert.equal(findObligation(made, ' o10 ')?.ref, 'O10');
  assert.equal(findObligation(made, 'JOIC-9'), undefined);
});
