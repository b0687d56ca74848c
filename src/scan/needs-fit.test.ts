import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourceKind } from '../core/types.js';
import { withContextLiterals } from '../detect/context.js';
import { planNeeds } from '../sources/bytes/record-needs.js';
import { loadEngine } from './engine.js';

// The second step of the pre-filter asks each candidate record for every string its rules test, as
// clause bits of two 32-bit words: a log kind whose rules need more than 64 distinct clauses gets no
// check at all, and every record holding one literal goes to the rules (README, "Pre-filter
// selectivity"). A rule added, or needs resolved more finely (an OR's branches crossed), can push a
// kind past it without any result changing: this says so instead. Windows events are past it already
// (93 clauses in December 2026); their reader decides by event ID before this check.
const TEXT_LOGS: SourceKind[] = ['iis', 'httpproxy', 'rps-http', 'rps-cmdlet', 'ecp-server', 'msgtrk'];

test('the shipped rules of each text log kind fit the record check (64 clauses at most)', async () => {
  const engine = await loadEngine();
  for (const kind of TEXT_LOGS) {
    const plan = withContextLiterals(kind, engine.detector.plan(kind));
    assert.ok(plan.needs && plan.needs.length > 0, `${kind}: its rules ask something of a record`);
    assert.ok(planNeeds(plan.needs), `${kind}: the check is made`);
  }
});
