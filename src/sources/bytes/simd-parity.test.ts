// The native search's SIMD filters (native/exir_scan.c: Teddy nibble masks, AVX2 and SSSE3) must
// mark exactly what its scalar search and the JavaScript path mark. Each level this CPU has is
// forced in turn with `simd()` and compared with the plain model on needles put at every offset of
// records, at their very ends, across the boundary between two records and in the gaps, in mixed
// case, beside bytes of 0x80 and above, with needles of one to three bytes among longer ones, in
// batches long enough for many 16- and 32-byte steps. The clause check (`hits`) is compared the same way.

import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { randomText, seededRandom } from '../../test-support/random.js';
import { nativeMissing, skipIf } from '../../test-support/skips.js';
import { MARK_CHECK, MARK_EXACT, markCandidates, planLiterals } from './literals.js';
import { nativeSearch, type SimdLevel } from './native.js';
import { clauseHits, meetsNeeds, meetsOne, planNeeds, type RecordNeeds } from './record-needs.js';
import { markModel } from './test-helpers/mark-model.js';

/** The levels this machine can run, each once (a level the CPU lacks falls back to a lower one). */
function levels(): SimdLevel[] {
  const search = nativeSearch();
  if (!search) return [];
  const seen = new Set<SimdLevel>();
  for (const level of ['scalar', 'ssse3', 'avx2'] as const) seen.add(search.simd(level));
  search.simd('auto');
  return [...seen];
}

/** Runs `body` at each level, then puts the addon back to its best. */
function atEachLevel(t: TestContext, body: (level: SimdLevel | 'JavaScript') => void): void {
  if (skipIf(t, 'native', nativeMissing())) return;
  const search = nativeSearch()!;
  try {
    body('JavaScript');
    for (const level of levels()) {
      assert.equal(search.simd(level), level);
      body(level);
    }
  } finally {
    search.simd('auto');
  }
}

/** A needle's text in random case, letter by letter. */
function anyCase(next: (n: number) => number, text: string): string {
  return [...text].map((c) => (next(2) === 0 ? c.toUpperCase() : c)).join('');
}

interface Batch {
  bytes: Buffer;
  starts: Int32Array;
  ends: Int32Array;
  isRecord: Uint8Array;
  texts: string[];
}

/** Records (and the gaps between them) cut from one text, so needles fall inside, at the ends of, across and between records. */
function cut(next: (n: number) => number, text: string, isRecordOneIn: number): Batch {
  const starts: number[] = [];
  const ends: number[] = [];
  const asked: number[] = [];
  let at = next(3);
  while (at < text.length) {
    const end = Math.min(text.length, at + next(90));
    starts.push(at);
    ends.push(end);
    asked.push(next(isRecordOneIn) === 0 ? 0 : 1);
    at = end + (next(3) === 0 ? 0 : 1 + next(4));
  }
  return {
    bytes: Buffer.from(text, 'latin1'),
    starts: Int32Array.from(starts),
    ends: Int32Array.from(ends),
    isRecord: Uint8Array.from(asked),
    texts: starts.map((s, i) => text.slice(s, ends[i])),
  };
}

const FILLER = ['a', 'B', 'c', 'x', 'Y', ' ', '/', '4', '-', '\t', '\r', 'é', 'ü', '\u00ff', '\u0080', 'q', 'Z', '~', '.'];
const NEEDLE_BYTES = ['a', 'b', 'c', 'x', 'y', 'z', '/', '4', '-', ' ', '.', '~', '='];

/** One to 40 literals of one to nine characters; one in four has a non-ASCII letter (searched by its ASCII run, then checked). */
function randomLiterals(next: (n: number) => number): string[] {
  return Array.from({ length: 1 + next(40) }, () => {
    const text = randomText(next, NEEDLE_BYTES, 9);
    return next(4) === 0 ? `${text}é${randomText(next, NEEDLE_BYTES, 3)}` : text;
  });
}

/** Filler with the literals (and pieces of them: near misses) dropped in, in random case. */
function randomDocument(next: (n: number) => number, literals: readonly string[], length: number): string {
  let text = '';
  while (text.length < length) {
    const pick = next(6);
    const literal = literals[next(literals.length)]!;
    if (pick === 0) text += anyCase(next, literal);
    else if (pick === 1) text += anyCase(next, literal.slice(0, Math.max(1, literal.length - 1)));
    else text += randomText(next, FILLER, 12);
  }
  return text;
}

function marksOf(plan: ReturnType<typeof planLiterals>, b: Batch, initial?: Uint8Array): number[] {
  const marks = initial ? Uint8Array.from(initial) : new Uint8Array(b.starts.length);
  markCandidates(plan, b.bytes, b.starts, b.ends, b.isRecord, b.starts.length, marks);
  return [...marks];
}

test('every SIMD level marks what the plain model says, on random documents cut into records', (t) => {
  const next = seededRandom(20261207);
  const cases = Array.from({ length: 600 }, () => {
    const literals = randomLiterals(next);
    return { literals, batch: cut(next, randomDocument(next, literals, 1 + next(600)), 6) };
  });
  let exact = 0;
  let check = 0;
  atEachLevel(t, (level) => {
    for (const [n, { literals, batch }] of cases.entries()) {
      const expected = batch.texts.map((text, i) => (batch.isRecord[i] === 1 ? markModel(text, literals) : 0));
      if (level === 'JavaScript') {
        exact += expected.filter((m) => m === MARK_EXACT).length;
        check += expected.filter((m) => m === MARK_CHECK).length;
      }
      const plan = planLiterals(literals, level !== 'JavaScript');
      assert.deepEqual(marksOf(plan, batch), expected, `${level}, case ${n}, literals ${JSON.stringify(literals)}`);
    }
  });
  assert.ok(exact > 2000 && check > 100, `the cases hold ${exact} exact and ${check} checked hits`);
});

test('every SIMD level: each needle at every offset of a record, whole, cut by the record end, and across two records', (t) => {
  const literals = ['abc', 'x', '4-', 'serverinfo~', 'abcd/é', 'zz.', '/ecp/y'];
  const next = seededRandom(17);
  const pieces: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  const add = (gap: string, record: string): void => {
    pieces.push(gap, record);
    at += gap.length;
    starts.push(at);
    at += record.length;
    ends.push(at);
  };
  for (const literal of ['abc', 'X', '4-', 'ServerInfo~', 'aBcD', 'zz.', '/ECP/y']) {
    for (let length = literal.length; length <= 70; length++) {
      for (let offset = 0; offset + literal.length <= length; offset++) {
        const filler = randomText(next, ['q', 'é', ' ', 'Q', '\u00c1'], length);
        const record = (filler + filler + filler).slice(0, offset) + literal + (filler + filler + filler).slice(0, length - offset - literal.length);
        add(next(2) === 0 ? '' : '\r\n', record);
      }
      // Cut by the record's end: all but its last byte in, the last byte in the gap or the next record.
      const head = literal.slice(0, -1);
      add('\n', randomText(next, ['q', 'Q'], length).slice(0, length - head.length) + head);
      add(literal.slice(-1), 'qqqq');
      add('', randomText(next, ['q'], length).slice(0, length - head.length) + head);
      add('', literal.slice(-1) + 'qqqq');
    }
  }
  const text = pieces.join('');
  const batch: Batch = {
    bytes: Buffer.from(text, 'latin1'),
    starts: Int32Array.from(starts),
    ends: Int32Array.from(ends),
    isRecord: new Uint8Array(starts.length).fill(1),
    texts: starts.map((s, i) => text.slice(s, ends[i])),
  };
  const expected = batch.texts.map((r) => markModel(r, literals));
  assert.ok(expected.filter((m) => m === 0).length > 100, 'records whose needle is cut are not marked');
  atEachLevel(t, (level) => {
    assert.deepEqual(marksOf(planLiterals(literals, level !== 'JavaScript'), batch), expected, level);
  });
});

test('every SIMD level: a record already marked keeps what the scalar search leaves it, and records out of order are searched alone', (t) => {
  const next = seededRandom(99);
  const cases = Array.from({ length: 300 }, () => {
    const literals = randomLiterals(next);
    const batch = cut(next, randomDocument(next, literals, 1 + next(400)), 4);
    const initial = Uint8Array.from(batch.starts, () => next(4));
    return { literals, batch, initial };
  });
  let reference: number[][] | undefined;
  atEachLevel(t, (level) => {
    if (level === 'JavaScript') return; // its rule for a record already marked differs, and no caller passes one
    const got = cases.map(({ literals, batch, initial }) => marksOf(planLiterals(literals), batch, initial));
    reference ??= got;
    assert.deepEqual(got, reference, `${level} against the scalar search`);
  });
  // Out of order (the native search's own case; the JavaScript path asks for order): the same batch
  // with its records reversed gives the same marks, reversed.
  atEachLevel(t, (level) => {
    if (level === 'JavaScript') return;
    for (const { literals, batch } of cases.slice(0, 100)) {
      const reversed: Batch = {
        ...batch,
        starts: batch.starts.slice().reverse(),
        ends: batch.ends.slice().reverse(),
        isRecord: batch.isRecord.slice().reverse(),
      };
      const plan = planLiterals(literals);
      assert.deepEqual(marksOf(plan, reversed), marksOf(plan, batch).reverse(), level);
    }
  });
});

test('every SIMD level: the clauses a record meets are those of the JavaScript path and the plain model', (t) => {
  const next = seededRandom(4242);
  const strings = ['a', ' a', 'b ', ' 444 ', ' t=', 'abc', 'xyz/', 'ab c', '=', '4', 'serverinfo~', ' x'];
  const cases = Array.from({ length: 400 }, () => {
    const needs: RecordNeeds = Array.from({ length: 1 + next(4) }, () =>
      Array.from({ length: 1 + next(3) }, () => Array.from({ length: 1 + next(3) }, () => strings[next(strings.length)]!)),
    );
    const flat = needs.flat(2);
    return { needs, batch: cut(next, randomDocument(next, flat, 1 + next(500)), 5) };
  });
  let met = 0;
  let reference: number[][] | undefined;
  atEachLevel(t, (level) => {
    const got: number[][] = [];
    for (const [n, { needs, batch }] of cases.entries()) {
      const plan = planNeeds(needs, level !== 'JavaScript');
      assert.ok(plan);
      const count = batch.starts.length;
      const out = new Uint32Array(count * 2).fill(0xdead);
      clauseHits(plan, batch.bytes, batch.starts, batch.ends, batch.isRecord, count, out);
      for (let i = 0; i < count; i++) {
        if (batch.isRecord[i] !== 1) {
          assert.equal(out[i * 2], 0xdead, 'a record not asked about is left alone');
          continue;
        }
        const expected = meetsNeeds(needs, batch.texts[i]!);
        if (expected && level === 'JavaScript') met++;
        assert.equal(meetsOne(plan, out[i * 2]!, out[i * 2 + 1]!), expected, `${level}, case ${n}, record ${JSON.stringify(batch.texts[i])}`);
      }
      if (level !== 'JavaScript') got.push([...out]);
    }
    if (level !== 'JavaScript') {
      reference ??= got;
      assert.deepEqual(got, reference, `${level}: the same clause bits as the scalar search`);
    }
  });
  assert.ok(met > 500, `${met} records meet their needs`);
});

test('simd(): a level the CPU lacks gives the best below it, and an unknown one is refused', (t) => {
  if (skipIf(t, 'native', nativeMissing())) return;
  const search = nativeSearch()!;
  try {
    assert.equal(search.simd('scalar'), 'scalar');
    assert.equal(search.simd(), 'scalar', 'asking without a level changes nothing');
    const best = search.simd('auto');
    assert.ok(['scalar', 'ssse3', 'avx2'].includes(best));
    assert.equal(search.simd('avx2'), best === 'avx2' ? 'avx2' : best);
    assert.throws(() => search.simd('avx512' as SimdLevel), /one of scalar, ssse3, avx2, auto/);
  } finally {
    search.simd('auto');
  }
});
