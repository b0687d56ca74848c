import assert from 'node:assert/strict';
import { RuleProblem } from '../problem.js';

/** The RuleProblem that `compile` throws; fails the test when it throws nothing or something else. */
export function problemOf(compile: () => unknown): RuleProblem {
  try {
    compile();
  } catch (e) {
    assert.ok(e instanceof RuleProblem, String(e));
    return e;
  }
  assert.fail('no problem raised');
}
