import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvidenceFile, SourceKind } from '../core/types.js';
import { measureCoverage } from './coverage.js';

function file(firstTime: string, lastTime: string, kind: SourceKind = 'httpproxy', server = 'EX01'): EvidenceFile {
  return {
    path: `${server}/${kind}/${firstTime}.LOG`,
    sha256: '0'.repeat(64),
    kind,
    server,
    size: 1,
    records: 1,
    badRecords: 0,
    firstTime,
    lastTime,
    badSamples: [],
  };
}

function holes(evidence: EvidenceFile[]): { from: string; to: string; statement: string }[] {
  return measureCoverage(evidence, new Date('2021-03-10T00:00:00Z'))
    .filter((c) => c.source === 'httpproxy')
    .flatMap((c) => c.gaps.filter((g) => g.wave === undefined));
}

test('a hole of more than 72 hours between files of one log is said, with its ends in UTC', () => {
  const got = holes([file('2021-01-07T00:00:00.000Z', '2021-01-08T00:00:00.000Z'), file('2021-01-11T00:00:01.000Z', '2021-01-11T01:00:00.000Z')]);
  assert.deepEqual(got, [
    {
      from: '2021-01-08T00:00:00.000Z',
      to: '2021-01-11T00:00:01.000Z',
      statement:
        'HttpProxy logs on EX01 have nothing between 00:00 UTC on 8 January 2021 and 00:00 UTC on 11 January 2021: a gap in the logs (deleted, rolled over or not collected).',
    },
  ]);
});

test('exactly 72 hours is a quiet weekend, not a hole', () => {
  assert.deepEqual(holes([file('2021-01-07T00:00:00.000Z', '2021-01-08T00:00:00.000Z'), file('2021-01-11T00:00:00.000Z', '2021-01-11T01:00:00.000Z')]), []);
});

test('a hole is measured from the furthest any earlier file reaches, whatever order the files come in', () => {
  assert.deepEqual(
    holes([
      file('2021-01-12T00:00:00.000Z', '2021-01-12T01:00:00.000Z'),
      file('2021-01-08T00:00:00.000Z', '2021-01-08T01:00:00.000Z'),
      file('2021-01-07T00:00:00.000Z', '2021-01-10T00:00:00.000Z'),
    ]),
    [],
    'the long file reaches 10 January: two days to the next',
  );
  assert.equal(
    holes([file('2021-01-20T00:00:00.000Z', '2021-01-20T01:00:00.000Z'), file('2021-01-07T00:00:00.000Z', '2021-01-10T00:00:00.000Z')])[0]?.from,
    '2021-01-10T00:00:00.000Z',
  );
});

test("holes are per server and per log: another server's files do not fill them", () => {
  const got = holes([
    file('2021-01-07T00:00:00.000Z', '2021-01-08T00:00:00.000Z'),
    file('2021-01-09T00:00:00.000Z', '2021-01-10T00:00:00.000Z', 'httpproxy', 'EX02'),
    file('2021-01-09T00:00:00.000Z', '2021-01-10T00:00:00.000Z', 'iis'),
    file('2021-01-12T00:00:00.000Z', '2021-01-12T01:00:00.000Z'),
  ]);
  assert.deepEqual(
    got.map((g) => g.statement.slice(0, 27)),
    ['HttpProxy logs on EX01 have'],
  );
});

test("another tool's report is not a log: its rows' times say nothing of what the logs cover", () => {
  const got = measureCoverage(
    [file('2021-01-01T00:00:00.000Z', '2021-03-09T00:00:00.000Z'), file('2021-03-03T04:12:33.000Z', '2021-03-03T04:12:33.000Z', 'test-proxylogon')],
    new Date('2021-03-10T00:00:00Z'),
  );
  assert.deepEqual(
    got.map((c) => c.source).filter((k) => k === 'test-proxylogon'),
    [],
  );
});
