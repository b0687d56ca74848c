import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sniff } from '../registry.js';
import { readText } from '../test-helpers/read.js';
import { msertLogReader } from './msert-log-reader.js';

// In the shape of a published msert.log (the example output of a public script that runs the
// scanner): a quick scan finding one threat in three files and a container, and its summary; a
// second threat removed from an Exchange web folder.
const LOG = [
  'Microsoft Safety Scanner v1.405, (build 1.405.445.0)',
  'Started On Thu Feb 22 13:33:34 2024',
  '',
  'Engine: 1.1.24010.10',
  'Signatures: 1.405.445.0',
  'MpGear: 1.1.16330.1',
  'Run Mode: Scan Run in Quiet Mode',
  '',
  'Quick Scan Results:',
  '-------------------',
  'Threat Detected: Virus:DOS/EICAR_Test_File, not removed.',
  '    Action: NoAction, Result: 0x00000000',
  '        file://C:\\Windows\\system32\\eicarcom2.zip->eicar_com.zip->eicar.com',
  '            SigSeq: 0x00000555DC2DDDB0',
  '        file://C:\\Windows\\eicar.com',
  '            SigSeq: 0x00000555DC2DDDB0',
  '        containerfile://C:\\Windows\\system32\\eicarcom2.zip',
  'Threat Detected: Backdoor:ASP/Chopper.F!dha, removed.',
  '    Action: Remove, Result: 0x00000000',
  '        file://C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\x.aspx',
  '',
  'Results Summary:',
  '----------------',
  'Found Virus:DOS/EICAR_Test_File, not removed.',
  'Found Backdoor:ASP/Chopper.F!dha, removed.',
  'Successfully Submitted MAPS Report',
  'Microsoft Safety Scanner Finished On Thu Feb 22 13:35:58 2024',
  '',
  '',
  'Return code: 7 (0x7)',
].join('\r\n');

test('each resource under a Threat Detected line is a detection; each Found line of the summary is a summary', async () => {
  const { stats, records } = await readText(msertLogReader, `${LOG}\r\n`, 13);
  assert.equal(stats.kind, 'msert');
  assert.equal(stats.records, 6);
  assert.equal(stats.badRecords, 0);
  const rows = records.map((r) => [r.origin.line, r.fields['Kind'], r.fields['Threat'], r.fields['Removed'], r.fields['Resource'], r.fields['Path']]);
  assert.deepEqual(rows, [
    [13, 'detection', 'Virus:DOS/EICAR_Test_File', 'no', 'file', 'C:\\Windows\\system32\\eicarcom2.zip->eicar_com.zip->eicar.com'],
    [15, 'detection', 'Virus:DOS/EICAR_Test_File', 'no', 'file', 'C:\\Windows\\eicar.com'],
    [17, 'detection', 'Virus:DOS/EICAR_Test_File', 'no', 'containerfile', 'C:\\Windows\\system32\\eicarcom2.zip'],
    [
      20,
      'detection',
      'Backdoor:ASP/Chopper.F!dha',
      'yes',
      'file',
      'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\x.aspx',
    ],
    [24, 'summary', 'Virus:DOS/EICAR_Test_File', 'no', '', ''],
    [25, 'summary', 'Backdoor:ASP/Chopper.F!dha', 'yes', '', ''],
  ]);
  assert.equal(records[3]?.fields['Action'], 'Remove');
  assert.equal(records[3]?.fields['Status'], 'removed');
  assert.equal(records[0]?.fields['Section'], 'Quick Scan Results');
  assert.equal(records[0]?.fields['StartedOn'], 'Thu Feb 22 13:33:34 2024');
  assert.equal(records[0]?.time, undefined, 'local time without a zone is not put on the timeline');
  assert.ok(stats.notes.some((n) => /without its zone/.test(n)));
});

test('sniff: msert.log by its banner; not EOMT.log, not a log that only mentions the scanner', () => {
  assert.equal(sniff(LOG)?.reader.name, 'msert');
  assert.equal(sniff(`\ufeff\r\n${LOG}`)?.reader.name, 'msert');
  assert.equal(sniff('2021-03-16 10:20:01 Info: Starting MSERTProcess on EX01\n')?.reader.name, 'eomt');
  assert.equal(sniff('Microsoft Safety Scanner was run on Tuesday\nThreat Detected: x, removed.\n'), undefined);
});

test('literals: only detections holding one are handed on, every one counted', async () => {
  const { stats, records } = await readText(msertLogReader, LOG, 64 * 1024, ['chopper']);
  assert.equal(stats.records, 6);
  assert.deepEqual(
    records.map((r) => r.origin.line),
    [20, 25],
  );
});
