import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../core/types.js';
import { FindingCollector, MAX_REPEAT_SAMPLES, MAX_REPEAT_URLS } from './repeats.js';

function finding(over: Partial<Finding>, line: number): Finding {
  return {
    ruleId: 'r1',
    title: 'scan',
    cves: [],
    stage: 'probe',
    severity: 'informational',
    time: new Date(Date.UTC(2021, 2, 4) + line * 1000).toISOString(),
    server: 'EX01',
    clientIp: '198.51.100.77',
    user: undefined,
    origin: { path: 'EX01/u_ex210304.log', line, offset: line * 100 },
    fields: {},
    benign: 'scanner',
    ...over,
  };
}

test('a million identical probes cost one finding and little memory', () => {
  const collector = new FindingCollector();
  const before = process.memoryUsage().heapUsed;
  for (let line = 1; line <= 1_000_000; line += 1) collector.add(finding({}, line));
  const grown = process.memoryUsage().heapUsed - before;
  const [only, ...rest] = collector.findings();
  assert.equal(rest.length, 0);
  assert.equal(only?.repeats?.count, 1_000_000);
  assert.equal(only?.repeats?.firstTime, '2021-03-04T00:00:01.000Z');
  assert.equal(only?.repeats?.lastTime, new Date(Date.UTC(2021, 2, 4) + 1_000_000 * 1000).toISOString());
  assert.deepEqual(
    only?.repeats?.samples.map((o) => o.line),
    [1, 2, 3, 4, 5].slice(0, MAX_REPEAT_SAMPLES),
  );
  // Kept one by one, a million findings hold hundreds of megabytes.
  assert.ok(grown < 64 * 1024 * 1024, `heap grew ${Math.round(grown / 1024 / 1024)} MB`);
});

test('only probes are folded; a different client, rule or server is a finding of its own', () => {
  const collector = new FindingCollector();
  collector.add(finding({}, 1));
  collector.add(finding({ clientIp: '198.51.100.78' }, 2));
  collector.add(finding({ ruleId: 'r2' }, 3));
  collector.add(finding({ server: 'EX02' }, 4));
  collector.add(finding({ stage: 'exploited', benign: undefined }, 5));
  collector.add(finding({ stage: 'exploited', benign: undefined }, 6));
  collector.add(finding({ capsRequest: 'probe' }, 7));
  collector.add(finding({ capsRequest: 'probe' }, 8));
  collector.add(finding({}, 9));
  const lines = collector.findings().map((f) => [f.origin.line, f.repeats?.count ?? 1]);
  assert.deepEqual(lines, [
    [1, 2],
    [2, 1],
    [3, 1],
    [4, 1],
    [5, 1],
    [6, 1],
    [7, 1],
    [8, 1],
  ]);
});

test('folds of folds add up: counts, the earliest and latest time, and samples to the limit', () => {
  const a = new FindingCollector();
  const b = new FindingCollector();
  for (let line = 10; line < 14; line += 1) a.add(finding({}, line));
  for (let line = 1; line < 5; line += 1) b.add(finding({ origin: { path: 'EX01/u_ex210303.log', line, offset: 0 } }, line));
  const all = new FindingCollector();
  for (const f of [...a.findings(), ...b.findings()]) all.add(f);
  const [only] = all.findings();
  assert.equal(only?.repeats?.count, 8);
  assert.equal(only?.repeats?.firstTime, '2021-03-04T00:00:01.000Z');
  assert.equal(only?.repeats?.lastTime, '2021-03-04T00:00:13.000Z');
  assert.equal(only?.repeats?.samples.length, MAX_REPEAT_SAMPLES);
});

test('a rule folded per client folds above probe and lists the URLs tried; other rules and clients stay apart', () => {
  const collector = new FindingCollector(new Set(['names']));
  const names = Array.from({ length: MAX_REPEAT_URLS + 10 }, (_, i) => `/aspnet_client/system_web/s${i}.aspx`);
  names.forEach((url, i) => collector.add(finding({ ruleId: 'names', stage: 'exploit-attempt', benign: undefined, url }, i + 1)));
  collector.add(finding({ ruleId: 'names', stage: 'exploit-attempt', benign: undefined, url: '/owa/auth/x.aspx', clientIp: '192.0.2.1' }, 500));
  collector.add(finding({ ruleId: 'other', stage: 'exploit-attempt', benign: undefined, url: '/owa/auth/y.aspx' }, 501));
  collector.add(finding({ ruleId: 'other', stage: 'exploit-attempt', benign: undefined, url: '/owa/auth/y.aspx' }, 502));
  const [folded, otherClient, ...kept] = collector.findings();
  assert.equal(folded?.repeats?.count, MAX_REPEAT_URLS + 10);
  assert.deepEqual(folded?.repeats?.urls, names.slice(0, MAX_REPEAT_URLS));
  assert.equal(otherClient?.clientIp, '192.0.2.1');
  assert.equal(otherClient?.repeats, undefined);
  assert.equal(kept.length, 2, 'a rule not folded keeps each line');
});

test('a flood of one probe on one URL lists no URLs', () => {
  const collector = new FindingCollector();
  for (let line = 1; line <= 3; line += 1) collector.add(finding({ url: '/ecp/x.js' }, line));
  assert.equal(collector.findings()[0]?.repeats?.urls, undefined);
});
