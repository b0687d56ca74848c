import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CORPUS, corpusMissing, skipIf } from '../test-support/skips.js';
import { EvidenceOpener } from '../evidence/open.js';
import { loadEngine } from './engine.js';
import { scanEntry } from './scan-entry.js';
import { httpProxyLog, iisLog } from './test-helpers.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-entry-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a file that cannot be read is unreadable, not a file hashed and listed', async () => {
  // Listed, then gone before it is read: the large-file path opens it only as it streams.
  const entry = { path: 'EX01/gone.log', location: { kind: 'file' as const, file: join(dir, 'gone.log') }, size: 64 * 1024 * 1024, layoutServer: 'EX01' };
  const opener = new EvidenceOpener();
  try {
    const { evidence, warnings } = await scanEntry(entry, await loadEngine({ noShippedRules: true }), opener);
    assert.equal(evidence.unreadable, true);
    assert.match(evidence.note ?? '', /^unreadable after 0 bytes/);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.message ?? '', /read failed: ENOENT/);
    assert.equal(warnings[0]?.where, 'EX01/gone.log');
  } finally {
    await opener.close();
  }
});

test('a ConvertTo-Json array written by Out-File (UTF-16LE with BOM) is read as Windows events', async () => {
  const event = (id: number) => ({
    Id: 4688,
    LogName: 'Security',
    ProviderName: 'Microsoft-Windows-Security-Auditing',
    MachineName: 'EX01.contoso.local',
    RecordId: id,
    TimeCreated: '/Date(1614738240000)/',
    Properties: [{ Value: 'C:\\Windows\\System32\\cmd.exe' }],
  });
  const text = JSON.stringify([event(1), event(2), event(3)], null, 4).replace(/\n/g, '\r\n');
  const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const file = join(dir, 'events-array.json');
  await writeFile(file, bytes);
  const entry = { path: 'EX01/events-array.json', location: { kind: 'file' as const, file }, size: bytes.length, layoutServer: 'EX01' };
  const opener = new EvidenceOpener();
  try {
    const { evidence } = await scanEntry(entry, await loadEngine({ noShippedRules: true }), opener);
    assert.equal(evidence.kind, 'winevent');
    assert.equal(evidence.records, 3);
    assert.equal(evidence.badRecords, 0);
    assert.equal(evidence.firstTime, '2021-03-03T02:24:00.000Z');
  } finally {
    await opener.close();
  }
});

test('a UTF-16LE export (PowerShell 5.1 Out-File) is read as the text it is, hashed as the bytes it is', async () => {
  const event = JSON.stringify({
    EventTime: '2021-03-03 02:21:00Z',
    Hostname: 'EX01.contoso.local',
    EventID: 4688,
    SourceName: 'Microsoft-Windows-Security-Auditing',
    Channel: 'Security',
    RecordNumber: 7,
  });
  const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${event}\r\n${event}\r\n`, 'utf16le')]);
  const file = join(dir, 'events.json');
  await writeFile(file, bytes);
  const entry = { path: 'EX01/events.json', location: { kind: 'file' as const, file }, size: bytes.length, layoutServer: 'EX01' };
  const opener = new EvidenceOpener();
  try {
    const { evidence, warnings } = await scanEntry(entry, await loadEngine({ noShippedRules: true }), opener);
    assert.equal(evidence.kind, 'winevent');
    assert.equal(evidence.records, 2);
    assert.equal(evidence.badRecords, 0);
    assert.equal(evidence.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.match(warnings.map((w) => w.message).join('\n'), /UTF-16LE text, read as such/);
  } finally {
    await opener.close();
  }
});

test('a damaged #Log-type line falls back to the #Fields columns, with a note', async () => {
  const text = httpProxyLog('EX01', [
    {
      DateTime: '2021-03-03T02:00:00.000Z',
      RequestId: 'r1',
      Protocol: 'Ecp',
      UrlStem: '/ecp/y.js',
      AnchorMailbox: 'ServerInfo~a]@EX01:444/autodiscover/autodiscover.xml?#',
      ClientIpAddress: '203.0.113.9',
      HttpStatus: '200',
      Method: 'POST',
    },
  ]).replace('#Log-type: HttpProxy Logs', '#Log-type: HttpPr\u00f8xy Logs');
  assert.match(text, /HttpPr\u00f8xy/);
  const file = join(dir, 'HttpProxy_2021030302-1.LOG');
  await writeFile(file, text);
  const entry = { path: 'EX01/HttpProxy_2021030302-1.LOG', location: { kind: 'file' as const, file }, size: text.length, layoutServer: 'EX01' };
  const opener = new EvidenceOpener();
  try {
    const { evidence, findings, warnings } = await scanEntry(entry, await loadEngine(), opener);
    assert.equal(evidence.kind, 'httpproxy');
    assert.equal(evidence.records, 1);
    assert.ok(
      findings.some((f) => f.cves.includes('CVE-2021-26855')),
      'the SSRF is still found',
    );
    assert.ok(warnings.some((w) => /#Log-type "HttpPr\u00f8xy Logs" not recognised; read as httpproxy by its #Fields line/.test(w.message)));
  } finally {
    await opener.close();
  }
});

test('invalid UTF-8 in a log is counted and located, and its record is still searched', async () => {
  const text = iisLog([
    '2021-03-03 02:29:00 10.0.0.1 GET /owa/ - 443 - 10.0.0.9 Mozilla/5.0 - 200 0 0 12',
    '2021-03-03 02:30:00 10.0.0.1 POST /aspnet_client/system_web/errorcheck.aspx - 443 - 203.0.113.5 Mozilla/5.0\u00ff\u00fe - 200 0 0 12',
  ]);
  // The two characters written as the bytes 0xFF 0xFE, which UTF-8 never uses.
  const bytes = Buffer.from(text, 'latin1');
  const file = join(dir, 'u_ex210303.log');
  await writeFile(file, bytes);
  const entry = { path: 'EX01/u_ex210303.log', location: { kind: 'file' as const, file }, size: bytes.length, layoutServer: 'EX01' };
  const opener = new EvidenceOpener();
  try {
    const { evidence, findings, warnings } = await scanEntry(entry, await loadEngine(), opener);
    assert.equal(evidence.records, 2);
    assert.equal(evidence.badRecords, 0);
    const hit = findings.find((f) => f.origin.line === 6);
    assert.ok(hit, `the record with the bad bytes is searched: ${JSON.stringify(findings.map((f) => f.origin))}`);
    const warning = warnings.find((w) => /not valid UTF-8/.test(w.message));
    assert.equal(warning?.where, 'EX01/u_ex210303.log:6');
    assert.equal(
      warning?.message,
      `2 byte(s) not valid UTF-8, the first at byte ${bytes.indexOf(0xff)} (line 6); read as U+FFFD, their records still searched`,
    );
  } finally {
    await opener.close();
  }
});

test('a clean log and a binary event log give no UTF-8 warning', async () => {
  const bytes = Buffer.from(iisLog(['2021-03-03 02:29:00 10.0.0.1 GET /owa/ - 443 - 10.0.0.9 Mozilla/5.0\u00e4 - 200 0 0 12']), 'utf8');
  const file = join(dir, 'u_ex210304.log');
  await writeFile(file, bytes);
  const entry = { path: 'EX01/u_ex210304.log', location: { kind: 'file' as const, file }, size: bytes.length, layoutServer: 'EX01' };
  const opener = new EvidenceOpener();
  try {
    const { warnings } = await scanEntry(entry, await loadEngine({ noShippedRules: true }), opener);
    assert.deepEqual(
      warnings.filter((w) => /UTF-8/.test(w.message)),
      [],
    );
  } finally {
    await opener.close();
  }
});

test('a binary .evtx is not checked as UTF-8 text', async (t) => {
  const file = join(CORPUS, 'evtx-attack-samples', 'LM_typical_IIS_webshell_sysmon_1_10_traces.evtx');
  if (skipIf(t, 'corpus', corpusMissing(file))) return;
  const { size } = await stat(file);
  const entry = { path: 'EX01/sysmon.evtx', location: { kind: 'file' as const, file }, size, layoutServer: 'EX01' };
  const opener = new EvidenceOpener();
  try {
    const { evidence, warnings } = await scanEntry(entry, await loadEngine({ noShippedRules: true }), opener);
    assert.equal(evidence.kind, 'winevent');
    assert.deepEqual(
      warnings.filter((w) => /UTF-8/.test(w.message)),
      [],
    );
  } finally {
    await opener.close();
  }
});
