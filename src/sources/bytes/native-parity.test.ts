// The native byte search and the JavaScript one must mark the same records: each is compared with a
// plain model (does the record's text hold the literal, ASCII letters folded) on random batches and
// random literal lists, and the scanner's candidates with each are compared at random chunkings.
// The reader tests run once more with the JavaScript path in the last test.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { randomBatch, randomText, seededRandom } from '../../test-support/random.js';
import { nativeMissing, skipIf } from '../../test-support/skips.js';
import { MARK_EXACT, markCandidates, mayHold, planLiterals } from './literals.js';
import { RecordScanner, type ScanSink } from './record-scanner.js';
import { markModel } from './test-helpers/mark-model.js';

/** Bytes that make hits and near misses likely: few letters in both cases, separators, non-ASCII. */
const PIECES = ['a', 'A', 'b', 'B', 'c', '~', '/', ',', ' ', 'é', 'É', 'ab', 'AbC', 'x', '\r', '\t', '0'];
const LITERAL_PIECES = ['a', 'b', 'c', 'A', 'B', '~', '/', ' ', 'é', 'É', 'ü', 'ab', 'bc', 'x', '\r'];

function randomLiterals(next: (n: number) => number): string[] {
  const n = 1 + next(6);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(randomText(next, LITERAL_PIECES, 5));
  return out;
}

test('native search: this machine runs it (npm install builds it)', (t) => {
  if (skipIf(t, 'native', nativeMissing())) return;
  assert.notEqual(planLiterals(['serverinfo~']).native, undefined);
  assert.equal(planLiterals(['serverinfo~'], false).native, undefined);
});

test('native search: a record range outside the bytes is refused with a clear error, not read', (t) => {
  if (skipIf(t, 'native', nativeMissing())) return;
  const plan = planLiterals(['abc']);
  const marks = new Uint8Array(1);
  const bytes = Buffer.from('abc');
  assert.throws(() => markCandidates(plan, bytes, Int32Array.of(0), Int32Array.of(4), Uint8Array.of(1), 1, marks), /outside the bytes/);
  assert.throws(() => markCandidates(plan, bytes, Int32Array.of(2), Int32Array.of(1), Uint8Array.of(1), 1, marks), /outside the bytes/);
  assert.throws(() => markCandidates(plan, bytes, Int32Array.of(0), Int32Array.of(3), Uint8Array.of(1), 2, marks), /past the arrays' ends/);
});

test('a longer needle at the same place does not hide a shorter one that settles the record', () => {
  // 'abcd' is only the ASCII run of 'abcdé' (a hit to check), 'abc' is a literal of its own.
  const literals = ['abcdé', 'abc'];
  const bytes = Buffer.from('x abcd y\nabcdé\nab cd\n', 'latin1');
  const starts = Int32Array.from([0, 9, 15]);
  const ends = Int32Array.from([8, 14, 20]);
  for (const native of [false, true]) {
    const marks = new Uint8Array(3);
    markCandidates(planLiterals(literals, native), bytes, starts, ends, Uint8Array.from([1, 1, 1]), 3, marks);
    assert.deepEqual([...marks], [MARK_EXACT, MARK_EXACT, 0], native ? 'native' : 'JavaScript');
  }
});

test('a needle running past its record does not hide a shorter one inside it', () => {
  const literals = ['b\rx', 'b'];
  const bytes = Buffer.from('aab\rxb', 'latin1');
  const starts = Int32Array.from([0, 4]);
  const ends = Int32Array.from([3, 6]);
  for (const native of [false, true]) {
    const marks = new Uint8Array(2);
    markCandidates(planLiterals(literals, native), bytes, starts, ends, Uint8Array.from([1, 1]), 2, marks);
    assert.deepEqual([...marks], [MARK_EXACT, MARK_EXACT], native ? 'native' : 'JavaScript');
  }
});

test('random batches and literals: both searches give the marks of the plain model', () => {
  const next = seededRandom(20261206);
  for (let round = 0; round < 3000; round++) {
    const literals = randomLiterals(next);
    const count = 1 + next(12);
    const { bytes, starts, ends, asked: isRecord } = randomBatch(next, PIECES, { count, recordMax: 30, gapMax: 4, emptyOneIn: 4, skipOneIn: 6 });
    const expected = starts.map((s, i) => (isRecord[i] === 1 ? markModel(bytes.toString('latin1', s, ends[i]), literals) : 0));
    for (const native of [false, true]) {
      const marks = new Uint8Array(count);
      markCandidates(planLiterals(literals, native), bytes, Int32Array.from(starts), Int32Array.from(ends), Uint8Array.from(isRecord), count, marks);
      assert.deepEqual(
        [...marks],
        expected,
        `${native ? 'native' : 'JavaScript'}, round ${round}, literals ${JSON.stringify(literals)}, bytes ${JSON.stringify(bytes.toString('latin1'))}`,
      );
    }
  }
});

/** The follow pass's question of a whole file: does any literal's text (or its longest ASCII run) appear, ASCII letters folded. */
function mayHoldModel(text: string, literals: string[]): boolean {
  if (literals.some((l) => l === '' || !/[\x00-\x7f]/.test(l))) return true;
  return markModel(text, literals) !== 0;
}

test('random files and literals: both searches say whether a whole file may hold a literal as the plain model does', () => {
  const next = seededRandom(20261207);
  const pieces = [...PIECES, '\n', '\r\n', '"', '\0', 'abcabc'];
  for (let round = 0; round < 2000; round++) {
    const literals = next(40) === 0 ? [] : randomLiterals(next);
    const text = next(10) === 0 ? '' : randomText(next, pieces, 200);
    const bytes = Buffer.from(text, 'latin1');
    const expected = literals.length === 0 ? false : mayHoldModel(text, literals);
    for (const native of [false, true]) {
      assert.equal(
        mayHold(planLiterals(literals, native), bytes),
        expected,
        `${native ? 'native' : 'JavaScript'}, round ${round}, literals ${JSON.stringify(literals)}, bytes ${JSON.stringify(text)}`,
      );
    }
  }
});

test('a whole file may hold: the edge cases on both paths', () => {
  for (const native of [false, true]) {
    const path = native ? 'native' : 'JavaScript';
    assert.equal(mayHold(planLiterals(['203.0.113.7'], native), Buffer.alloc(0)), false, `${path}: an empty file holds nothing`);
    assert.equal(mayHold(planLiterals(['/ECP/x.ASPX'], native), Buffer.from('GET /ecp/X.aspx 200')), true, `${path}: letters folded`);
    assert.equal(
      mayHold(planLiterals(['203.0.113.7'], native), Buffer.from('203.0.113.70')),
      true,
      `${path}: a text inside a longer one is a hit, as the bytes say`,
    );
    assert.equal(mayHold(planLiterals(['203.0.113.7'], native), Buffer.from('203.0.113.\n7')), false, `${path}: no hit across a line end that breaks the text`);
    assert.equal(mayHold(planLiterals([], native), Buffer.from('anything')), false, `${path}: no literals, nothing held`);
    assert.equal(mayHold(planLiterals(['ü'], native), Buffer.from('plain')), true, `${path}: a literal with no ASCII run cannot be ruled out by bytes`);
    assert.equal(mayHold(planLiterals(['x', ''], native), Buffer.from('plain')), true, `${path}: the empty literal is everywhere`);
    // A file larger than a scanner's batch, its only hit at the very end.
    const big = Buffer.alloc(3 << 20, 0x61);
    big.write('ServerInfo~', big.length - 11, 'latin1');
    assert.equal(mayHold(planLiterals(['serverinfo~'], native), big), true, `${path}: a hit at the end of 3 MiB`);
  }
});

function candidates(data: Buffer, chunk: number, literals: string[], native: boolean, quotes: boolean): string[] {
  const out: string[] = [];
  const sink: ScanSink = {
    directive: () => undefined,
    damage: (line, offset, reason) => out.push(`damage ${line} ${offset} ${reason}`),
    record: (v) => out.push(`${v.line} ${v.offset} ${v.candidate}`),
  };
  const scanner = new RecordScanner({ separator: 44, quotes, literals, native, maxRecordBytes: 64 }, sink);
  for (let i = 0; i < data.length; i += chunk) scanner.push(Buffer.from(data.subarray(i, i + chunk)));
  scanner.finish();
  return out;
}

test('random documents, literals and chunkings: the scanner hands on the same candidates with either search', () => {
  const next = seededRandom(17);
  const pieces = [...PIECES, '\n', '\r\n', '\n', '"', '#', '\0', 'abcabcabcabc'];
  for (let doc = 0; doc < 400; doc++) {
    const data = Buffer.from(randomText(next, pieces, 300), 'utf8');
    const literals = randomLiterals(next);
    const quotes = doc % 2 === 0;
    const reference = candidates(data, data.length || 1, literals, false, quotes);
    for (const chunk of [1 + next(7), 1 + next(64), 4096]) {
      for (const native of [false, true]) {
        assert.deepEqual(candidates(data, chunk, literals, native, quotes), reference, `doc ${doc}, chunk ${chunk}, ${native ? 'native' : 'JavaScript'}`);
      }
    }
  }
});

/** The tests of the pre-filter (and its parity with the rules), the scanner and the readers reading bad input: run here once more on the JavaScript path. */
const BOTH_PATHS = [
  'src/sources/literal-filter.test.ts',
  'src/sources/bytes/record-scanner.test.ts',
  'src/sources/w3c/w3c-reader.test.ts',
  'src/sources/exchange-csv/exchange-csv-reader.test.ts',
  'src/sources/exchange-csv/log-types.test.ts',
  'src/scan/prefilter-parity.test.ts',
  'src/sources/bytes/record-needs.test.ts',
  // The corpus's samples and its damaged rows, read through the scanner's splitting.
  'src/sources/corpus.test.ts',
  'src/scan/damaged-records.test.ts',
  'src/sources/plain-records.test.ts',
];

test('the pre-filter, scanner and reader tests pass on the JavaScript path too (EXIR_NATIVE=0)', (t) => {
  // Under `npm test` they run on the native path when it is built; without it both runs are the JavaScript path.
  if (skipIf(t, 'native', nativeMissing())) return;
  const repo = fileURLToPath(new URL('../../../', import.meta.url));
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=dot', ...BOTH_PATHS], {
    cwd: repo,
    env: { ...process.env, EXIR_NATIVE: '0' },
    encoding: 'utf8',
  });
  assert.equal(child.status, 0, `${child.stdout}\n${child.stderr}`);
});
