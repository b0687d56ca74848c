// The whole scan over real attack recordings in .evtx form (sbousseaden/EVTX-ATTACK-SAMPLES, in the
// shared corpus): each file must give the findings a responder expects from it, by rule, stage and
// record, and nothing else; a damaged copy must be read as far as it can be, its damage located.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { LogRecord } from '../core/types.js';
import { evtxReader } from '../sources/evtx/evtx-reader.js';
import { SYSTEM_COLUMNS } from '../sources/winevent-record.js';
import { scan } from './run.js';
import { corpusMissing, skipIf } from '../test-support/skips.js';

const SAMPLES = fileURLToPath(new URL('../../../shared/corpus/evtx-attack-samples', import.meta.url));
const WEBSHELL = 'LM_typical_IIS_webshell_sysmon_1_10_traces.evtx';
const COMSVCS = 'sysmon_10_1_memdump_comsvcs_minidump.evtx';
const PS_DUMP = 'Powershell_4104_MiniDumpWriteDump_Lsass.evtx';
const PRIVEXCHANGE = 'privexchange_dirkjan.evtx';

/** Shipped rules by id (rules/sigma/windows/). */
const RULE = {
  workerSpawnsShell: '3b063782-1b53-4205-adaa-56df48f22ea4',
  reconInWebContext: '8be0b56d-ce77-4956-8f45-a291265fc628',
  comsvcsMiniDump: '4f4cc8d7-1dac-483a-8a98-91163d832ed3',
  comsvcsCallTrace: '3de30609-639e-4a76-9d11-77f18831587d',
  psMiniDumpLsass: '1169e47e-945b-4b95-a25b-6869ea4a28ca',
  domainAclByMachine: '7d9f7546-0c1a-46c6-a673-cb21a911a39b',
};

test('real attack recordings give the findings a responder expects, by rule, stage, file and record', async (t) => {
  if (skipIf(t, 'corpus', corpusMissing(SAMPLES))) return;
  const result = await scan({ inputs: [SAMPLES], threads: 1, now: new Date('2026-01-01T00:00:00Z') });
  const evtx = result.evidence.filter((e) => e.path.endsWith('.evtx'));
  assert.deepEqual(
    evtx.map((e) => [e.path.split('/').pop(), e.kind, e.records, e.badRecords]).sort(),
    [
      [WEBSHELL, 'winevent', 4, 0],
      [PS_DUMP, 'winevent', 4, 0],
      [PRIVEXCHANGE, 'winevent', 8, 0],
      [COMSVCS, 'winevent', 6, 0],
    ].sort(),
  );

  // origin.line of an event is its EventRecordID.
  const seen = result.findings
    .filter((f) => f.origin.path.endsWith('.evtx'))
    .map((f) => `${f.origin.path.split('/').pop()} #${f.origin.line} ${f.ruleId} ${f.stage}`)
    .sort();
  assert.deepEqual(
    seen,
    [
      // w3wp.exe -> cmd.exe /c net user -> net.exe -> net1.exe, as IIS APPPOOL\DefaultAppPool.
      `${WEBSHELL} #1044 ${RULE.workerSpawnsShell} post-exploitation`,
      `${WEBSHELL} #1046 ${RULE.reconInWebContext} post-exploitation`,
      `${WEBSHELL} #1047 ${RULE.reconInWebContext} post-exploitation`,
      // rundll32 comsvcs.dll, MiniDump (Sysmon 1), and the dump's call stack (Sysmon 10).
      `${COMSVCS} #32154 ${RULE.comsvcsMiniDump} post-exploitation`,
      `${COMSVCS} #32156 ${RULE.comsvcsCallTrace} post-exploitation`,
      // Out-Minidump-style script block on lsass.
      `${PS_DUMP} #971 ${RULE.psMiniDumpLsass} post-exploitation`,
      // EXCHANGE$ adds the replication (DCSync) rights to the domain head's security descriptor.
      `${PRIVEXCHANGE} #65973 ${RULE.domainAclByMachine} post-exploitation`,
    ].sort(),
  );

  const shell = result.findings.find((f) => f.ruleId === RULE.workerSpawnsShell);
  assert.equal(shell?.time, '2019-05-24T01:33:53.112Z');
  assert.equal(shell?.server, 'IEWIN7');
  assert.match(shell?.fields['ParentImage'] ?? '', /\\inetsrv\\w3wp\.exe$/i);
  assert.match(shell?.fields['Image'] ?? '', /\\cmd\.exe$/i);

  const dump = result.findings.find((f) => f.ruleId === RULE.comsvcsMiniDump);
  assert.match(dump?.fields['CommandLine'] ?? '', /comsvcs\.dll, MiniDump \d+ /);
  const ps = result.findings.find((f) => f.ruleId === RULE.psMiniDumpLsass);
  assert.match(ps?.fields['ScriptBlockText'] ?? '', /Get-Process lsass/);

  const acl = result.findings.find((f) => f.ruleId === RULE.domainAclByMachine);
  assert.equal(acl?.server, 'ICORP-DC');
  assert.equal(acl?.user, 'EXCHANGE$');
  assert.equal(acl?.fields['ObjectClass'], 'domainDNS');
  assert.equal(acl?.time, '2019-02-02T09:17:27.629Z');

  const verdicts = Object.fromEntries(result.servers.map((s) => [s.name, s.verdict]));
  for (const server of ['IEWIN7', 'MSEDGEWIN10', 'ICORP-DC']) assert.equal(verdicts[server], 'post-exploitation', server);
});

test('a damaged copy is read as far as it can be, its damage counted, located and warned of', async (t) => {
  const source = join(SAMPLES, WEBSHELL);
  if (skipIf(t, 'corpus', corpusMissing(source))) return;
  const bytes = Buffer.from(readFileSync(source));
  // Record 1045 (the Sysmon 10 between the shell and net.exe) starts at byte 8880: break its magic.
  const damagedAt = 8880;
  assert.equal(bytes.toString('latin1', damagedAt, damagedAt + 4), '**\0\0', 'the sample is the one this test knows');
  bytes.write('XXXX', damagedAt, 'latin1');
  const dir = await mkdtemp(join(tmpdir(), 'exir-evtx-damage-'));
  try {
    await writeFile(join(dir, 'damaged.evtx'), bytes);
    const result = await scan({ inputs: [dir], threads: 1 });
    const file = result.evidence.find((e) => e.path.endsWith('damaged.evtx'));
    assert.equal(file?.kind, 'winevent');
    assert.equal(file?.records, 3, 'the three undamaged events are read');
    assert.ok((file?.badRecords ?? 0) >= 1, 'the damage is counted');
    assert.equal(file?.badRecords, file?.badSamples.length);
    const atRecord = file?.badSamples.find((b) => b.origin.offset === damagedAt);
    assert.ok(atRecord, `the damage is located at byte ${damagedAt}: ${JSON.stringify(file?.badSamples)}`);
    assert.match(atRecord.reason, /record magic/);
    assert.ok(
      result.warnings.some((w) => w.where?.includes('damaged.evtx') && /unreadable record/.test(w.message)),
      JSON.stringify(result.warnings),
    );
    // What the damage did not touch is still found.
    assert.deepEqual(result.findings.map((f) => f.origin.line).sort(), [1044, 1046, 1047]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

async function eventsOf(path: string): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  async function* whole(): AsyncIterable<Buffer> {
    yield await Promise.resolve(readFileSync(path));
  }
  await evtxReader.read(whole(), { path, onRecord: (r) => records.push(r) });
  return records;
}

function eventData(r: LogRecord): Record<string, string> {
  const system = new Set<string>(SYSTEM_COLUMNS);
  return Object.fromEntries(Object.entries(r.fields).filter(([k]) => !system.has(k)));
}

/** The event as Winlogbeat 8 writes it. */
function winlogbeat(r: LogRecord): string {
  const f = r.fields;
  return JSON.stringify({
    '@timestamp': r.time,
    event: { code: f['EventID'], kind: 'event' },
    winlog: {
      channel: f['Channel'],
      provider_name: f['Provider_Name'],
      computer_name: f['Computer'],
      event_id: f['EventID'],
      record_id: Number(f['EventRecordID']),
      event_data: eventData(r),
    },
  });
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

/** The event as `wevtutil qe /f:xml` writes it. */
function wevtutil(r: LogRecord): string {
  const f = r.fields;
  const data = Object.entries(eventData(r))
    .map(([k, v]) => `<Data Name='${escapeXml(k)}'>${escapeXml(v)}</Data>`)
    .join('');
  return `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='${escapeXml(f['Provider_Name'] ?? '')}'/><EventID>${f['EventID']}</EventID><Level>${f['Level'] ?? 4}</Level><TimeCreated SystemTime='${r.time}'/><EventRecordID>${f['EventRecordID']}</EventRecordID><Channel>${escapeXml(f['Channel'] ?? '')}</Channel><Computer>${escapeXml(f['Computer'] ?? '')}</Computer><Security/></System><EventData>${data}</EventData></Event>`;
}

test('the same events exported as Winlogbeat JSON lines and as wevtutil XML give the same findings as the .evtx', async (t) => {
  if (skipIf(t, 'corpus', corpusMissing(SAMPLES))) return;
  const files = [WEBSHELL, COMSVCS, PS_DUMP, PRIVEXCHANGE];
  const dir = await mkdtemp(join(tmpdir(), 'exir-evtx-exports-'));
  try {
    // One export per host, as a responder collects them (a file's findings are put on the server it names).
    for (const f of files) {
      const events = await eventsOf(join(SAMPLES, f));
      const base = f.replace(/\.evtx$/, '');
      await writeFile(join(dir, `${base}.ndjson`), `${events.map(winlogbeat).join('\n')}\n`);
      await writeFile(join(dir, `${base}.xml`), events.map(wevtutil).join(''));
    }
    const fromEvtx = await scan({ inputs: files.map((f) => join(SAMPLES, f)), threads: 1 });
    const fromExports = await scan({ inputs: [dir], threads: 1 });
    assert.deepEqual(
      fromExports.evidence.map((e) => [e.path.split('/').pop(), e.kind, e.records, e.badRecords]).sort(),
      files
        .flatMap((f) => {
          const n = fromEvtx.evidence.find((e) => e.path.endsWith(f))?.records;
          return [
            [f.replace('.evtx', '.ndjson'), 'winevent', n, 0],
            [f.replace('.evtx', '.xml'), 'winevent', n, 0],
          ];
        })
        .sort(),
    );
    const key = (f: { ruleId: string; stage: string; time: string | undefined; server: string }): string => `${f.time} ${f.server} ${f.ruleId} ${f.stage}`;
    const expected = fromEvtx.findings.map(key).sort();
    assert.equal(expected.length, 7);
    for (const ext of ['.ndjson', '.xml']) {
      const found = fromExports.findings.filter((f) => f.origin.path.endsWith(ext));
      assert.deepEqual(found.map(key).sort(), expected, ext);
    }
    // Where a finding sits: the line of the JSON record; the line and byte where the XML <Event starts.
    const json = fromExports.findings.find((f) => f.origin.path.endsWith('privexchange_dirkjan.ndjson'));
    assert.equal(json?.origin.line, 8);
    const xml = fromExports.findings.find((f) => f.origin.path.endsWith('privexchange_dirkjan.xml'));
    const xmlText = await readFile(join(dir, 'privexchange_dirkjan.xml'), 'utf8');
    const before = xmlText.slice(0, xmlText.lastIndexOf('<Event '));
    // Values with line breaks in them (4662's AccessList) move the later events down.
    assert.equal(xml?.origin.line, before.split('\n').length);
    assert.ok((xml?.origin.line ?? 0) > 1);
    assert.equal(xml?.origin.offset, Buffer.byteLength(before));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a large .evtx, read in pieces lent to its reader in two buffers in turn, gives every copy's findings and the file's own hash", async (t) => {
  if (skipIf(t, 'corpus', corpusMissing(SAMPLES))) return;
  const files = [WEBSHELL, COMSVCS, PS_DUMP, PRIVEXCHANGE];
  const samples = files.map((f) => readFileSync(join(SAMPLES, f)));
  // Each sample is a file header and one 64 KiB chunk: 80 of their chunks, in an order that does not
  // repeat every piece, make 5 MiB, past the size read at once: the file comes in pieces, each read
  // into the memory of the one before the last, and a piece read over too soon would change the events.
  const chunks = samples.map((s) => s.subarray(0x1000, 0x11000));
  let seed = 7;
  const order = Array.from({ length: 80 }, () => Math.floor((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 65536) % 4);
  const big = Buffer.concat([samples[0]!.subarray(0, 0x1000), ...order.map((k) => chunks[k]!)]);
  assert.ok(big.length > 4 * 1024 * 1024 + 1024 * 1024);
  const dir = await mkdtemp(join(tmpdir(), 'exir-evtx-large-'));
  try {
    await writeFile(join(dir, 'large.evtx'), big);
    const one = await scan({ inputs: files.map((f) => join(SAMPLES, f)), threads: 1 });
    const large = await scan({ inputs: [join(dir, 'large.evtx')], threads: 1 });
    const row = large.evidence[0];
    assert.equal(row?.sha256, createHash('sha256').update(big).digest('hex'));
    const copies = (file: string): number => order.filter((k) => file.endsWith(files[k]!)).length;
    assert.equal(
      row?.records,
      one.evidence.reduce((n, e) => n + copies(e.path) * e.records, 0),
    );
    assert.equal(row?.badRecords, 0);
    const key = (f: { ruleId: string; origin: { line: number }; fields: Record<string, string> }): string =>
      `${f.ruleId} #${f.origin.line} ${JSON.stringify(f.fields)}`;
    const expected = one.findings.flatMap((f) => Array.from({ length: copies(f.origin.path) }, () => key(f))).sort();
    assert.ok(expected.length > 7 * 10);
    assert.deepEqual(large.findings.map(key).sort(), expected);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
