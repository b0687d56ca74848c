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

// What a responder reads for each server and log: the part of each exploitation window the logs do
// not reach (before they start, after they stop short of the wave's last dated step), and each key
// log that is missing, with what it alone would show. Every gap is pinned whole.
test('each log is measured against every wave it could have seen, and a missing key log is said', () => {
  const logs = [
    file('2021-02-01T05:00:00Z', '2021-02-20T06:00:00Z', 'httpproxy', 'EX01'),
    { ...file('2021-02-15T00:00:00Z', '2021-03-05T00:00:00Z', 'iis', 'EX01'), records: 4 },
    file('2021-01-01T00:00:00Z', '2021-03-02T23:00:00Z', 'ecp-server', 'EX01'),
    file('2021-01-02T00:00:00Z', '2021-01-03T00:00:00Z', 'rps-cmdlet', 'EX02'),
    file('2021-01-02T00:00:00Z', '2021-01-03T00:00:00Z', 'unknown', 'EX02'),
  ];
  const got = measureCoverage(logs, new Date('2021-03-10T00:00:00Z'));
  assert.deepEqual(
    got.map((c) => [c.server, c.source, c.files, c.records, c.firstTime, c.lastTime, c.gaps.map((g) => [g.wave, g.from, g.to, g.statement])]),
    [
      ['EX01', 'ecp-server', 1, 1, '2021-01-01T00:00:00Z', '2021-03-02T23:00:00Z', []],
      [
        'EX01',
        'httpproxy',
        1,
        1,
        '2021-02-01T05:00:00Z',
        '2021-02-20T06:00:00Z',
        [
          [
            'proxylogon',
            '2021-01-06',
            '2021-02-01',
            'HttpProxy logs on EX01 start on 2021-02-01: the 2021-01-06..2021-02-01 part of the ProxyLogon window cannot be assessed from them.',
          ],
          [
            'proxylogon',
            '2021-02-20',
            '2021-03-02',
            'HttpProxy logs on EX01 end on 2021-02-20: the 2021-02-20..2021-03-02 part of the ProxyLogon window, and anything later, cannot be assessed from them.',
          ],
        ],
      ],
      [
        'EX01',
        'iis',
        1,
        4,
        '2021-02-15T00:00:00Z',
        '2021-03-05T00:00:00Z',
        [
          [
            'proxylogon',
            '2021-01-06',
            '2021-02-15',
            'IIS logs on EX01 start on 2021-02-15: the 2021-01-06..2021-02-15 part of the ProxyLogon window cannot be assessed from them.',
          ],
        ],
      ],
      [
        'EX02',
        'ecp-server',
        0,
        0,
        undefined,
        undefined,
        [
          [
            undefined,
            '2021-01-06',
            '2021-03-05',
            'No ECP Server logs from EX02 are in the evidence: the web shell written through a virtual directory (CVE-2021-27065) cannot be seen on it.',
          ],
        ],
      ],
      [
        'EX02',
        'httpproxy',
        0,
        0,
        undefined,
        undefined,
        [
          [
            undefined,
            '2021-01-06',
            '2021-03-05',
            'No HttpProxy logs from EX02 are in the evidence: the ProxyLogon SSRF (CVE-2021-26855) and the mailboxes requests reached cannot be seen on it.',
          ],
        ],
      ],
      [
        'EX02',
        'iis',
        0,
        0,
        undefined,
        undefined,
        [
          [
            undefined,
            '2021-01-06',
            '2021-03-05',
            'No IIS logs from EX02 are in the evidence: requests to web shells and the ProxyShell/ProxyNotShell SSRF cannot be seen on it.',
          ],
        ],
      ],
      [
        'EX02',
        'rps-cmdlet',
        1,
        1,
        '2021-01-02T00:00:00Z',
        '2021-01-03T00:00:00Z',
        [
          [
            'proxylogon',
            '2021-01-03',
            '2021-03-02',
            'PowerShell cmdlet (Rps_Cmdlet) logs on EX02 end on 2021-01-03: the 2021-01-03..2021-03-02 part of the ProxyLogon window, and anything later, cannot be assessed from them.',
          ],
        ],
      ],
    ],
  );
});

test('no wave is measured before the evidence reaches it, and a log of no time has no window', () => {
  const got = measureCoverage([file('2020-06-01T00:00:00Z', '2020-06-02T00:00:00Z', 'ews', 'EX03')], new Date('2021-03-10T00:00:00Z'));
  const ews = got.find((c) => c.source === 'ews');
  assert.deepEqual(ews?.gaps, []);
  // With no dated log at all, a missing key log's gap runs from the day of the run.
  const undated = measureCoverage([{ ...file('', '', 'iis', 'EX04'), firstTime: undefined, lastTime: undefined }], new Date('2021-03-10T12:00:00Z'));
  assert.deepEqual(
    undated.filter((c) => c.files === 0).map((c) => [c.source, c.gaps[0]?.from, c.gaps[0]?.to]),
    [
      ['ecp-server', '2021-03-10', '2021-03-10'],
      ['httpproxy', '2021-03-10', '2021-03-10'],
    ],
  );
  assert.deepEqual(undated.find((c) => c.source === 'iis')?.gaps, []);
});

test("every log is named in plain words, and other tools' reports and listings are not logs", () => {
  const day = (kind: SourceKind): EvidenceFile => file('2021-01-06T00:00:00Z', '2021-03-02T10:00:00Z', kind, 'EX05');
  const got = measureCoverage(
    [
      ...(['ecp-activity', 'oabgenerator', 'rps-http', 'msgtrk', 'ews', 'winevent'] as SourceKind[]).map(day),
      { ...file('2021-01-06T00:00:00Z', '2021-01-07T00:00:00Z', 'ews', 'EX05'), lastTime: undefined, firstTime: undefined },
      ...(['inventory', 'test-proxylogon', 'eomt', 'msert'] as SourceKind[]).map((k) => ({ ...day(k), firstTime: '2020-01-01T00:00:00Z' })),
    ],
    new Date('2021-03-10T00:00:00Z'),
  );
  // A log that starts on the wave's first day and reaches its last dated step leaves no gap.
  assert.deepEqual(
    got.filter((c) => c.files > 0).map((c) => [c.source, c.files, c.gaps.length]),
    [
      ['ecp-activity', 1, 0],
      ['ews', 2, 0],
      ['msgtrk', 1, 0],
      ['oabgenerator', 1, 0],
      ['rps-http', 1, 0],
      ['winevent', 1, 0],
    ],
  );
  const late = (kind: SourceKind): string =>
    measureCoverage([file('2021-01-07T00:00:00Z', '2021-03-02T00:00:00Z', kind, 'EX05')], new Date()).find((c) => c.source === kind)?.gaps[0]?.statement ?? '';
  assert.deepEqual(
    (['ecp-activity', 'oabgenerator', 'rps-http', 'msgtrk', 'ews', 'winevent'] as SourceKind[]).map((k) => late(k).split(' on EX05')[0]),
    ['ECP Activity logs', 'OABGenerator logs', 'PowerShell (Rps_Http) logs', 'message tracking logs', 'EWS logs', 'winevent logs'],
  );
});

test('a wave is measured from its first day: evidence that reaches only that day is held to it', () => {
  const got = measureCoverage([file('2021-08-05T10:00:00Z', '2021-08-05T11:00:00Z', 'iis', 'EX06')], new Date('2021-09-01T00:00:00Z'));
  assert.deepEqual(
    got.find((c) => c.source === 'iis')?.gaps.map((g) => [g.wave, g.from, g.to]),
    [
      ['proxylogon', '2021-01-06', '2021-08-05'],
      ['proxyshell', '2021-08-05', '2021-08-08'],
    ],
  );
});
