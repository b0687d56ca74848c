// Every Exchange and IIS sample of the shared corpus, read the way the scan reads them.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { SourceKind } from '../core/types.js';
import { sniff } from './registry.js';
import { chunksOf, readWith } from './test-helpers/read.js';
import { corpusMissing, skipIf } from '../test-support/skips.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

interface Expected {
  kind: SourceKind;
  records: number;
  first: string;
  last: string;
  server?: string;
  build?: string;
  notes?: number;
}

const QAZEER = 'qazeer-artefacts-help/extracted/';
const EXPECTED: Record<string, Expected> = {
  [`${QAZEER}AgentLog20220913-1.LOG`]: { kind: 'unknown', records: 2, first: '2022-09-13T14:38:59.177Z', last: '2022-09-13T14:51:57.936Z' },
  [`${QAZEER}Autodiscover__HttpProxy_2023010919-1.LOG`]: {
    kind: 'httpproxy',
    records: 1,
    first: '2023-01-09T19:00:00.130Z',
    last: '2023-01-09T19:00:00.130Z',
    server: 'SERVER-HOSTNAME',
    build: '15.1.2375.7',
  },
  [`${QAZEER}ECPActivity_11500_20230111-1.LOG`]: {
    kind: 'ecp-activity',
    records: 2,
    first: '2023-01-10T00:47:12.020Z',
    last: '2023-01-10T00:52:12.021Z',
    server: 'SERVER-HOSTNAME',
  },
  [`${QAZEER}ECPServer20230111-1.LOG`]: {
    kind: 'ecp-server',
    records: 1,
    first: '2023-01-11T00:02:33.966Z',
    last: '2023-01-11T00:02:33.966Z',
    server: 'SERVER-HOSTNAME',
  },
  [`${QAZEER}Eas__HttpProxy_2023011116-1.LOG`]: {
    kind: 'httpproxy',
    records: 1,
    first: '2023-01-11T16:06:06.997Z',
    last: '2023-01-11T16:06:06.997Z',
    server: 'SERVER-HOSTNAME',
    build: '15.1.2375.7',
  },
  [`${QAZEER}Ecp__HttpProxy_2023010611-1.LOG`]: {
    kind: 'httpproxy',
    records: 1,
    first: '2023-01-06T11:47:32.435Z',
    last: '2023-01-06T11:47:32.435Z',
    server: 'SERVER-HOSTNAME',
    build: '15.1.2375.7',
  },
  [`${QAZEER}Ews_2023010616-1.LOG`]: {
    kind: 'ews',
    records: 1,
    first: '2023-01-06T16:00:06.410Z',
    last: '2023-01-06T16:00:06.410Z',
    server: 'SERVER_HOSTNAME',
    build: '15.1.2375.7',
  },
  [`${QAZEER}Ews__HttpProxy_2023010601-1.LOG`]: {
    kind: 'httpproxy',
    records: 1,
    first: '2023-01-06T01:00:05.344Z',
    last: '2023-01-06T01:00:05.344Z',
    server: 'SERVER_HOSTNAME',
    build: '15.1.2375.7',
  },
  [`${QAZEER}MSGTRKMS2022091915-1.LOG`]: {
    kind: 'msgtrk',
    records: 2,
    first: '2022-09-19T15:02:29.339Z',
    last: '2022-09-19T15:02:29.450Z',
    server: 'SERVER-HOSTNAME',
    build: '15.1.2375.7',
  },
  [`${QAZEER}Mapi__HttpProxy_2023010601-1.LOG`]: {
    kind: 'httpproxy',
    records: 3,
    first: '2023-01-06T01:00:04.124Z',
    last: '2023-01-06T01:00:04.152Z',
    server: 'SERVER_HOSTNAME',
    build: '15.1.2375.7',
  },
  [`${QAZEER}Owa__HttpProxy_2023010602-1.LOG`]: {
    kind: 'httpproxy',
    records: 1,
    first: '2023-01-06T02:20:32.841Z',
    last: '2023-01-06T02:20:32.841Z',
    server: 'SERVER_HOSTNAME',
    build: '15.1.2375.7',
  },
  [`${QAZEER}PowerShell__HttpProxy_2023011116-1.LOG`]: {
    kind: 'httpproxy',
    records: 2,
    first: '2023-01-11T16:01:44.205Z',
    last: '2023-01-11T16:01:44.238Z',
    server: 'server_hostname',
    build: '15.1.2375.7',
  },
  [`${QAZEER}RECV2023011116-1.LOG`]: { kind: 'unknown', records: 16, first: '2023-01-11T15:59:51.433Z', last: '2023-01-11T16:00:10.644Z' },
  [`${QAZEER}RpcHttp__HttpProxy_2023010708-1.LOG`]: {
    kind: 'httpproxy',
    records: 1,
    first: '2023-01-07T08:39:45.725Z',
    last: '2023-01-07T08:39:45.725Z',
    server: 'SERVER-HOSTNAME',
    build: '15.1.2375.7',
  },
  [`${QAZEER}Rps_Cmdlet_2023011116-1.LOG`]: {
    kind: 'rps-cmdlet',
    records: 1,
    first: '2023-01-11T01:01:19.898Z',
    last: '2023-01-11T01:01:19.898Z',
    server: 'domain-MAIL',
    build: '15.1.2375.7',
  },
  [`${QAZEER}audit20230111-1.LOG`]: {
    kind: 'unknown',
    records: 1,
    first: '2023-01-11T15:56:33.189Z',
    last: '2023-01-11T15:56:33.189Z',
    server: 'SERVER-HOSTNAME',
    build: '15.1.2375.7',
  },
  [`${QAZEER}u_ex_iis_webshell_example.log`]: { kind: 'iis', records: 1, first: '2023-12-25T11:54:21.000Z', last: '2023-12-25T11:54:21.000Z', notes: 1 },
  'velociraptor-testdata/exchange.log': {
    kind: 'msgtrk',
    records: 2,
    first: '2021-11-03T08:00:32.100Z',
    last: '2021-11-03T08:00:32.147Z',
    server: 'SERVER01',
    build: '15.1.2176.9',
    notes: 2,
  },
  'velociraptor-testdata/iis.log': { kind: 'iis', records: 4, first: '2021-07-15T08:07:36.000Z', last: '2021-10-09T02:24:04.000Z', notes: 1 },
  'evtx-attack-samples/Tunna_rdp_tunnel_IIS.log': { kind: 'iis', records: 4298, first: '2019-09-03T10:13:36.000Z', last: '2019-09-03T11:08:51.000Z' },
};

test('every Exchange and IIS sample of the corpus has an expectation here', (t) => {
  if (skipIf(t, 'corpus', corpusMissing(CORPUS))) return;
  const extracted = readdirSync(`${CORPUS}${QAZEER}`).map((f) => `${QAZEER}${f}`);
  for (const f of extracted) assert.ok(EXPECTED[f], `no expectation for ${f}`);
});

for (const [file, want] of Object.entries(EXPECTED)) {
  test(`corpus: ${file}`, async (t) => {
    if (skipIf(t, 'corpus', corpusMissing(CORPUS))) return;
    const data = readFileSync(`${CORPUS}${file}`);
    const found = sniff(data.subarray(0, 64 * 1024).toString('utf8'));
    assert.ok(found, 'recognised');
    assert.equal(found.kind, want.kind);
    const results: string[] = [];
    for (const size of [1, 7, 64 * 1024]) {
      const { stats, records } = await readWith(found.reader, chunksOf(data, size), undefined, file);
      assert.equal(stats.kind, want.kind);
      assert.equal(stats.records, want.records);
      assert.equal(records.length, want.records);
      assert.equal(stats.badRecords, 0, JSON.stringify(stats.badSamples));
      assert.equal(stats.firstTime, want.first);
      assert.equal(stats.lastTime, want.last);
      assert.equal(stats.server, want.server);
      assert.equal(stats.build, want.build);
      assert.equal(stats.notes.length, want.notes ?? 0, stats.notes.join('\n'));
      results.push(JSON.stringify({ stats, records }));
    }
    assert.equal(results[0], results[1], '1-byte and 7-byte chunks differ');
    assert.equal(results[0], results[2], '1-byte and 64 KiB chunks differ');
  });
}

test('corpus: the ProxyShell line of velociraptor iis.log comes out with its fields and cafeReqId', async (t) => {
  if (skipIf(t, 'corpus', corpusMissing(CORPUS))) return;
  const data = readFileSync(`${CORPUS}velociraptor-testdata/iis.log`);
  const found = sniff(data.toString('utf8'));
  assert.ok(found);
  const { records } = await readWith(found.reader, chunksOf(data, 7), ['autodiscover/autodiscover.json'], 'iis.log');
  assert.equal(records.length, 1);
  const r = records[0]!;
  assert.deepEqual(r.origin, { path: 'iis.log', line: 7, offset: 611 });
  assert.equal(r.time, '2021-10-09T02:24:04.000Z');
  assert.deepEqual(
    { ...r.fields },
    {
      date: '2021-10-09',
      time: '02:24:04',
      's-ip': '1.1.1.1',
      'cs-method': 'GET',
      'cs-uri-stem': '/autodiscover/autodiscover.json',
      'cs-uri-query': '@evil.corp/ews/exchange.asmx?&Email=autodiscover/autodiscover.json%3F@evil.corp&CorrelationID=<empty>;&cafeReqId=abc-123;',
      ClientQuery: '@evil.corp/ews/exchange.asmx?&Email=autodiscover/autodiscover.json%3F@evil.corp',
      's-port': '443',
      'cs-username': '',
      'c-ip': '1.1.1.1',
      'cs(User-Agent)': 'python-requests/2.26.0',
      'cs(Referer)': '',
      'sc-status': '200',
      'sc-substatus': '0',
      'sc-win32-status': '0',
      'time-taken': '332',
      CorrelationID: '<empty>',
      cafeReqId: 'abc-123',
    },
  );
});

test('corpus: the web shell line with a raw-space user agent is recovered, with a note naming its line', async (t) => {
  if (skipIf(t, 'corpus', corpusMissing(CORPUS))) return;
  const data = readFileSync(`${CORPUS}${QAZEER}u_ex_iis_webshell_example.log`);
  const found = sniff(data.toString('utf8'));
  assert.ok(found);
  const { stats, records } = await readWith(found.reader, chunksOf(data, 64), undefined, 'u_ex.log');
  assert.deepEqual(stats.notes, ['line 3: 26 values for 15 fields; the surplus is read as part of cs(User-Agent)']);
  assert.equal(
    records[0]?.fields['cs(User-Agent)'],
    'Mozilla/5.0+Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/522.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/512.34',
  );
  assert.equal(records[0]?.fields['cs-uri-query'], 'cmd=whoami');
  assert.equal(records[0]?.fields['sc-status'], '200');
  assert.equal(records[0]?.fields['time-taken'], '142');
});
