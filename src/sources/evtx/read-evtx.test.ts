// Facts read from the real samples, checked against libevtx's evtxexport 20181227 and
// python-evtx 0.6.1 output for the same files (record counts, EventIDs, times, data values).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { collect, type Collected } from './test-helpers/collect.js';
import { corpusMissing, skipIf } from '../../test-support/skips.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/evtx-attack-samples/', import.meta.url));

function sample(t: TestContext, name: string): Buffer | undefined {
  const path = CORPUS + name;
  if (skipIf(t, 'corpus', corpusMissing(path))) return undefined;
  return readFileSync(path);
}

async function read(t: TestContext, name: string): Promise<Collected | undefined> {
  const bytes = sample(t, name);
  return bytes === undefined ? undefined : collect(bytes);
}

test('IIS web shell: w3wp.exe starts cmd.exe, which runs net user (Sysmon 1 and 10)', async (t) => {
  const r = await read(t, 'LM_typical_IIS_webshell_sysmon_1_10_traces.evtx');
  if (r === undefined) return;
  assert.deepEqual(r.stats, { events: 4, damaged: 0, chunks: 1 });
  assert.deepEqual(r.damage, []);
  assert.deepEqual(
    r.events.map((e) => [e.recordId, e.eventId]),
    [
      [1044, 1],
      [1045, 10],
      [1046, 1],
      [1047, 1],
    ],
  );
  const e = r.events[0]!;
  assert.equal(e.time, '2019-05-24T01:33:53.1124866Z');
  assert.equal(e.provider, 'Microsoft-Windows-Sysmon');
  assert.equal(e.channel, 'Microsoft-Windows-Sysmon/Operational');
  assert.equal(e.computer, 'IEWIN7');
  assert.equal(e.level, 4);
  assert.equal(e.userId, 'S-1-5-18');
  assert.deepEqual(e.origin, { chunk: 0, offset: 4608 });
  assert.equal(e.data['Image'], 'C:\\Windows\\System32\\cmd.exe');
  assert.equal(e.data['CommandLine'], '"c:\\windows\\system32\\cmd.exe" /c net user');
  assert.equal(e.data['ParentImage'], 'C:\\Windows\\System32\\inetsrv\\w3wp.exe');
  assert.equal(e.data['User'], 'IIS APPPOOL\\DefaultAppPool');
  assert.equal(e.data['ProcessGuid'], '{365ABB72-4A01-5CE7-0000-0010EE9DAC00}');
  assert.equal(e.data['LogonId'], '0x9cf992');
  assert.equal(e.data['RuleName'], '');
  assert.equal(Object.keys(e.data).length, 21);
  const access = r.events[1]!;
  assert.equal(access.data['SourceImage'], 'c:\\windows\\system32\\inetsrv\\w3wp.exe');
  assert.equal(access.data['TargetImage'], 'c:\\windows\\system32\\cmd.exe');
  assert.equal(access.data['GrantedAccess'], '0x1fffff');
});

test('comsvcs.dll MiniDump run through rundll32 (Sysmon 1, then 11 and 10)', async (t) => {
  const r = await read(t, 'sysmon_10_1_memdump_comsvcs_minidump.evtx');
  if (r === undefined) return;
  assert.deepEqual(r.stats, { events: 6, damaged: 0, chunks: 1 });
  assert.deepEqual(
    r.events.map((e) => e.eventId),
    [1, 7, 7, 1, 11, 10],
  );
  const e = r.events.find((x) => x.recordId === 32154)!;
  assert.equal(e.time, '2019-08-30T12:54:08.3540495Z');
  assert.equal(e.computer, 'MSEDGEWIN10');
  assert.equal(e.data['CommandLine'], 'rundll32 C:\\windows\\system32\\comsvcs.dll, MiniDump 4868 C:\\Windows\\System32\\notepad.bin full');
  assert.equal(e.data['ParentImage'], 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe');
  assert.equal(e.data['User'], 'MSEDGEWIN10\\IEUser');
  assert.equal(e.data['IntegrityLevel'], 'High');
  const dump = r.events.find((x) => x.recordId === 32155)!;
  assert.equal(dump.data['TargetFilename'], 'C:\\Windows\\System32\\notepad.bin');
  const access = r.events.find((x) => x.recordId === 32156)!;
  assert.equal(access.data['RuleName'], 'CredAccess - Memdump');
  assert.equal(access.data['TargetImage'], 'C:\\Windows\\system32\\notepad.exe');
});

test('PowerShell 4104 script block calling MiniDumpWriteDump on lsass', async (t) => {
  const r = await read(t, 'Powershell_4104_MiniDumpWriteDump_Lsass.evtx');
  if (r === undefined) return;
  assert.deepEqual(r.stats, { events: 4, damaged: 0, chunks: 1 });
  assert.deepEqual(
    r.events.map((e) => [e.recordId, e.eventId]),
    [
      [968, 40961],
      [969, 53504],
      [970, 40962],
      [971, 4104],
    ],
  );
  const e = r.events[3]!;
  assert.equal(e.time, '2020-06-30T14:24:08.2546050Z');
  assert.equal(e.level, 3);
  assert.equal(e.provider, 'Microsoft-Windows-PowerShell');
  assert.equal(e.channel, 'Microsoft-Windows-PowerShell/Operational');
  assert.equal(e.userId, 'S-1-5-21-3461203602-4096304019-2269080069-1000');
  assert.deepEqual(Object.keys(e.data), ['MessageNumber', 'MessageTotal', 'ScriptBlockText', 'ScriptBlockId', 'Path']);
  assert.equal(e.data['ScriptBlockId'], '27f08bda-c330-419f-b83b-eb5c0f699930');
  assert.equal(e.data['Path'], 'C:\\Users\\Public\\lsass_wer_ps.ps1');
  const script = e.data['ScriptBlockText']!;
  assert.equal(script.length, 1538);
  assert.ok(script.startsWith('function Memory($path)\r\n{'));
  assert.ok(script.includes("$MiniDumpWriteDump = $WERNativeMethods.GetMethod('MiniDumpWriteDump', $Flags)"));
  assert.ok(script.includes('$Process = Get-Process lsass'));
  assert.deepEqual(r.events[1]!.data, { param1: '7008', param2: 'DefaultAppDomain' });
  assert.deepEqual(r.events[0]!.data, {});
});

test('PrivExchange: EXCHANGE$ logs on, then 5136 adds DCSync rights to the domain head', async (t) => {
  const r = await read(t, 'privexchange_dirkjan.evtx');
  if (r === undefined) return;
  assert.deepEqual(r.stats, { events: 8, damaged: 0, chunks: 1 });
  assert.deepEqual(
    r.events.map((e) => e.eventId),
    [4776, 4624, 4776, 4624, 4662, 4624, 5136, 5136],
  );
  for (const e of r.events) {
    assert.equal(e.channel, 'Security');
    assert.equal(e.provider, 'Microsoft-Windows-Security-Auditing');
    assert.equal(e.computer, 'ICORP-DC.internal.corp');
    assert.equal(e.userId, undefined);
  }
  const logon = r.events.find((e) => e.recordId === 65969)!;
  assert.equal(logon.data['TargetUserName'], 'EXCHANGE$');
  assert.equal(logon.data['IpAddress'], '192.168.111.87');
  assert.equal(logon.data['LogonType'], '3');
  assert.equal(logon.data['AuthenticationPackageName'], 'NTLM');
  assert.equal(logon.data['TargetLogonId'], '0x24daa6');
  assert.equal(logon.data['LogonGuid'], '{00000000-0000-0000-0000-000000000000}');
  const [removed, added] = r.events.filter((e) => e.eventId === 5136);
  assert.equal(removed!.recordId, 65972);
  assert.equal(removed!.data['OperationType'], '%%14675');
  assert.equal(added!.recordId, 65973);
  assert.equal(added!.time, '2019-02-02T09:17:27.6298303Z');
  assert.deepEqual(added!.origin, { chunk: 0, offset: 35000 });
  assert.equal(added!.data['OperationType'], '%%14674');
  assert.equal(added!.data['SubjectUserName'], 'EXCHANGE$');
  assert.equal(added!.data['ObjectDN'], 'DC=internal,DC=corp');
  assert.equal(added!.data['ObjectGUID'], '{77F4548A-5E9D-4649-89F9-A0177C722361}');
  assert.equal(added!.data['AttributeLDAPDisplayName'], 'nTSecurityDescriptor');
  const aces = (sd: string): string[] => sd.match(/\([^)]*\)/g) ?? [];
  const before = new Set(aces(removed!.data['AttributeValue']!));
  assert.deepEqual(
    aces(added!.data['AttributeValue']!).filter((a) => !before.has(a)),
    [
      '(OA;;CR;1131f6aa-9c07-11d1-f79f-00c04fc2dcd2;;S-1-5-21-2895268558-4179327395-2773671012-1151)',
      '(OA;;CR;1131f6ad-9c07-11d1-f79f-00c04fc2dcd2;;S-1-5-21-2895268558-4179327395-2773671012-1151)',
    ],
  );
});

test('the same events come out whatever the piece sizes the file arrives in', async (t) => {
  for (const name of ['privexchange_dirkjan.evtx', 'LM_typical_IIS_webshell_sysmon_1_10_traces.evtx']) {
    const bytes = sample(t, name);
    if (bytes === undefined) return;
    // Two chunks, so that pieces straddle the chunk boundary as well as the header's.
    const twice = Buffer.concat([bytes, bytes.subarray(0x1000)]);
    const whole = await collect(twice);
    assert.equal(whole.events.length, name.startsWith('priv') ? 16 : 8);
    for (const size of [1, 7, 4097, 65536, 65537]) {
      assert.deepEqual(await collect(twice, size), whole, `${name} in pieces of ${size} bytes`);
    }
  }
});
