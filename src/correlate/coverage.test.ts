import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvidenceFile, SourceKind } from '../core/types.js';
import { measureCoverage } from './coverage.js';

function file(kind: SourceKind, firstTime: string): EvidenceFile {
  return { path: `${kind}.csv`, sha256: '0'.repeat(64), kind, server: 'EX01', size: 1, records: 1, badRecords: 0, firstTime, lastTime: firstTime, badSamples: [] };
}

test("another tool's report is not a log: its rows' times say nothing of what the logs cover", () => {
  const now = new Date('2021-03-10T00:00:00Z');
  const withReport = measureCoverage([file('httpproxy', '2021-01-01T00:00:00Z'), file('test-proxylogon', '2021-03-03T04:12:33Z')], [], now);
  assert.deepEqual(withReport.map((c) => c.source).filter((k) => k === 'test-proxylogon'), []);
});
