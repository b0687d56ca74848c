// The pre-filter's second step, native and JavaScript, against the plain model (`meetsNeeds`: the
// record's text with a space either side, ASCII letters folded, holds a string of every clause of
// some alternative), on random batches and random needs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomBatch, randomText, seededRandom } from '../../test-support/random.js';
import { nativeMissing, skipIf } from '../../test-support/skips.js';
import { clauseHits, clauseMask, meetsNeeds, meetsOne, planNeeds, type RecordNeeds } from './record-needs.js';

/** Spaces and few letters in both cases, so that hits at a record's edges and near misses are common. */
const PIECES = ['a', 'A', 'b', 'B', ' ', ' ', 'ab', 'Ab ', 'c', '=', '4', '44', 'é', '\t'];
const NEEDLE_PIECES = ['a', 'b', ' ', 'ab', 'c', '=', '4', 'ba', ' a', 'b '];

function randomNeeds(next: (n: number) => number): RecordNeeds {
  return Array.from({ length: 1 + next(4) }, () =>
    Array.from({ length: 1 + next(3) }, () => Array.from({ length: 1 + next(3) }, () => randomText(next, NEEDLE_PIECES, 3))),
  );
}

test('random needs and batches: the clauses met give the model answer, the same on both paths', () => {
  const next = seededRandom(20261207);
  let met = 0;
  let missed = 0;
  for (let round = 0; round < 2000; round++) {
    const needs = randomNeeds(next);
    const count = 1 + next(10);
    const { bytes, starts, ends, asked: wanted } = randomBatch(next, PIECES, { count, recordMax: 20, gapMax: 3, emptyOneIn: 5, skipOneIn: 5 });
    const words: number[][] = [];
    for (const native of [false, true]) {
      const plan = planNeeds(needs, native);
      assert.ok(plan);
      const out = new Uint32Array(count * 2).fill(0xdead);
      clauseHits(plan, bytes, Int32Array.from(starts), Int32Array.from(ends), Uint8Array.from(wanted), count, out);
      words.push([...out]);
      for (let i = 0; i < count; i++) {
        if (wanted[i] === 0) {
          assert.equal(out[i * 2], 0xdead, 'a record not asked about is left alone');
          continue;
        }
        const expected = meetsNeeds(needs, bytes.toString('latin1', starts[i], ends[i]));
        if (expected) met++;
        else missed++;
        assert.equal(
          meetsOne(plan, out[i * 2]!, out[i * 2 + 1]!),
          expected,
          `${native ? 'native' : 'JavaScript'}, round ${round}, needs ${JSON.stringify(needs)}, record ${JSON.stringify(bytes.toString('latin1', starts[i], ends[i]))}`,
        );
      }
    }
    assert.deepEqual(words[1], words[0], `round ${round}: the two paths meet the same clauses`);
  }
  assert.ok(met > 1000 && missed > 1000, `${met} met, ${missed} missed`);
});

test("one alternative's clause mask is met exactly when the record meets that alternative", () => {
  const next = seededRandom(20261208);
  let met = 0;
  let missed = 0;
  for (let round = 0; round < 1000; round++) {
    const needs = randomNeeds(next);
    const plan = planNeeds(needs, false);
    assert.ok(plan);
    const text = Buffer.from(randomText(next, PIECES, 20), 'latin1');
    const out = new Uint32Array(2);
    clauseHits(plan, text, Int32Array.of(0), Int32Array.of(text.length), Uint8Array.of(1), 1, out);
    for (const alternative of needs) {
      const mask = clauseMask(needs, alternative);
      assert.ok(mask, `round ${round}: every alternative's clauses are the needs' own`);
      const expected = meetsNeeds([alternative], text.toString('latin1'));
      if (expected) met++;
      else missed++;
      const meets = (mask[0] & ~out[0]!) === 0 && (mask[1] & ~out[1]!) === 0;
      assert.equal(
        meets,
        expected,
        `round ${round}, needs ${JSON.stringify(needs)}, alternative ${JSON.stringify(alternative)}, text ${JSON.stringify(text.toString('latin1'))}`,
      );
    }
  }
  assert.ok(met > 200 && missed > 200, `${met} met, ${missed} missed`);
  // A clause the needs do not hold, no clause at all, or needs that cannot be checked: nothing can be said.
  assert.equal(clauseMask([[['ab']]], [['cd']]), undefined);
  assert.equal(clauseMask([[['ab']]], []), undefined);
  assert.equal(clauseMask([[['é']]], [['é']]), undefined);
  // The same strings in another order are the same clause; past 32 clauses the bits go to the high word.
  const many: RecordNeeds = [Array.from({ length: 40 }, (_, i) => [`s${i}`, `t${i}`])];
  assert.deepEqual(clauseMask(many, [['t0', 's0']]), [1, 0]);
  assert.deepEqual(clauseMask(many, [['s33', 't33']]), [0, 2]);
});

test('a value at the very start or end of a record has its separator: ` t=` is met by a record starting `t=`', () => {
  const needs: RecordNeeds = [[[' 444 '], [' t=']]];
  for (const native of [false, true]) {
    const plan = planNeeds(needs, native);
    assert.ok(plan);
    const bytes = Buffer.from('t=1 444|a t=1 444|a xt=1 444|a t=1 4444', 'latin1');
    const starts = Int32Array.of(0, 8, 18, 29);
    const ends = Int32Array.of(7, 17, 28, 39);
    const out = new Uint32Array(8);
    clauseHits(plan, bytes, starts, ends, Uint8Array.of(1, 1, 1, 1), 4, out);
    const met = [0, 1, 2, 3].map((i) => meetsOne(plan, out[i * 2]!, out[i * 2 + 1]!));
    assert.deepEqual(met, [true, true, false, false], native ? 'native' : 'JavaScript');
  }
});

test('past 64 clauses, or a string the byte search cannot fold, no check is made', () => {
  const many: RecordNeeds = [Array.from({ length: 65 }, (_, i) => [`clause${i}`])];
  assert.equal(planNeeds(many), undefined);
  assert.ok(planNeeds([Array.from({ length: 64 }, (_, i) => [`clause${i}`])]));
  assert.equal(planNeeds([[['café']]]), undefined);
  assert.equal(planNeeds([[]]), undefined);
});

test('native check: a record range outside the bytes is refused, not read', (t) => {
  if (skipIf(t, 'native', nativeMissing())) return;
  const plan = planNeeds([[['abc']]]);
  assert.ok(plan?.native);
  const out = new Uint32Array(4);
  assert.throws(() => clauseHits(plan, Buffer.from('abc'), Int32Array.of(0), Int32Array.of(4), Uint8Array.of(1), 1, out), /outside the bytes/);
  assert.throws(() => clauseHits(plan, Buffer.from('abc'), Int32Array.of(0), Int32Array.of(3), Uint8Array.of(1), 3, out), /past the arrays' ends/);
});
