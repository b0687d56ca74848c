import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_BASELINE_DIR } from './baseline.js';
import { placeOf } from './paths.js';
import { checkArchive, checkDump, inWindow, loadBenignArchives, minidumpProcess } from './staging.js';
import { factsOf, minidump } from './test-helpers/facts.js';

const { list: benign, warnings } = await loadBenignArchives(DEFAULT_BASELINE_DIR);
const WINDOW = { from: '2021-02-26T00:00:00Z', to: '2021-03-10T23:59:59Z' };

const dump = (path: string, content: Buffer | string) => checkDump(factsOf(path, content), placeOf(path));
const archive = (path: string, modified?: string, window = WINDOW) =>
  checkArchive(factsOf(path, 'PK\x03\x04', modified ? { modified } : {}), placeOf(path), benign, window);

test('known backup and antivirus archives load, each with a source', () => {
  assert.deepEqual(warnings, []);
  assert.ok(benign.length >= 5);
  for (const b of benign) assert.match(b.source.url, /^https:\/\/github\.com\//);
});

test('minidumpProcess reads the dumped executable from the module list, and gives up past the bytes it has', () => {
  assert.equal(minidumpProcess(minidump('C:\\Windows\\System32\\lsass.exe')), 'lsass.exe');
  assert.equal(minidumpProcess(minidump('C:\\Windows\\System32\\lsass.exe').subarray(0, 100)), undefined);
  assert.equal(minidumpProcess(Buffer.from('MDMP' + '\0'.repeat(40), 'latin1')), undefined);
  assert.equal(minidumpProcess(Buffer.from('not a dump at all, not at all, not at all')), undefined);
});

test("lsass dumps in staging folders are credential theft, by name or by the dump's own module list", () => {
  const byName = dump('EX01/root/lsass.dmp', 'anything');
  assert.equal(byName?.ruleId, 'exir-file-lsass-dump');
  assert.equal(byName?.stage, 'post-exploitation');
  assert.equal(byName?.severity, 'critical');
  const byContent = dump('C:\\Windows\\Temp\\1.dmp', minidump('C:\\Windows\\System32\\lsass.exe'));
  assert.equal(byContent?.ruleId, 'exir-file-lsass-dump');
  assert.equal(byContent?.fields.dumpedProcess, 'lsass.exe');
  assert.equal(dump('EX01/inetpub/wwwroot/aspnet_client/lsass.dmp', 'x')?.severity, 'critical');
  assert.equal(dump('EX01/ProgramData/x/lsass_2021.dmp', 'x')?.ruleId, 'exir-file-lsass-dump');
});

test('near misses: other dumps are listed benign, unnamed minidumps raised, dumps outside the staging folders ignored', () => {
  const w3wp = dump('C:\\Windows\\Temp\\w3wp.dmp', minidump('c:\\windows\\system32\\inetsrv\\w3wp.exe'));
  assert.match(w3wp?.benign ?? '', /w3wp\.exe, not of lsass/);
  assert.equal(w3wp?.stage, 'probe');
  const wer = dump('EX01/ProgramData/Microsoft/Windows/WER/ReportQueue/AppCrash_x/memory.hdmp', minidump('C:\\Program Files\\x\\app.exe'));
  assert.match(wer?.benign ?? '', /Windows Error Reporting/);
  const unknown = dump('EX01/ProgramData/dump.dmp', Buffer.concat([Buffer.from('MDMP', 'latin1'), Buffer.alloc(60)]));
  assert.equal(unknown?.ruleId, 'exir-file-memory-dump');
  assert.equal(unknown?.severity, 'high');
  assert.equal(unknown?.benign, undefined);
  assert.equal(dump('C:\\Users\\admin\\Desktop\\lsass.dmp', 'x'), undefined);
  assert.equal(dump('C:\\Windows\\Temp\\notes.txt', 'lsass'), undefined);
  assert.equal(dump('C:\\Windows\\Temp\\app.dmp', 'not a minidump'), undefined);
});

test("archives in ProgramData: it.zip is a finding, McAfee's and other known products' are benign, others need context", () => {
  const it = archive('C:\\ProgramData\\it.zip');
  assert.equal(it?.ruleId, 'exir-file-staged-archive');
  assert.equal(it?.stage, 'post-exploitation');
  assert.equal(it?.benign, undefined);
  const mcafee = archive('C:\\ProgramData\\McAfee\\Common Framework\\Current\\EPOAGENT3000\\Install\\0409\\FrameworkConfig.zip');
  assert.match(mcafee?.benign ?? '', /^listed as seen and cleared: McAfee/);
  assert.equal(mcafee?.stage, 'probe');
  // short name, but in McAfee's folder: benign (CSS-Exchange #311)
  assert.match(archive('EX01/ProgramData/McAfee/Common Framework/Current/VSCANENG1000/Engine/0000/engmin.zip')?.benign ?? '', /McAfee/);
  assert.match(archive('EX01/ProgramData/AppRecovery/InstallerCache/Agent/configuration.zip')?.benign ?? '', /Rapid Recovery/);
  assert.match(archive('EX01/ProgramData/VMware/VMware Tools/vss_manifests.zip')?.benign ?? '', /VMware/);
  // the same name elsewhere is not cleared by name alone
  assert.equal(archive('EX01/ProgramData/vss_manifests.zip', '2021-03-03T01:00:00Z')?.benign, undefined);
  assert.equal(archive('EX01/ProgramData/SomeVendor/logs/collected-logs.zip'), undefined);
  assert.equal(archive('EX01/ProgramData/SomeVendor/logs/collected-logs.zip', '2021-03-03T01:00:00Z')?.severity, 'high');
  assert.equal(archive('EX01/ProgramData/SomeVendor/logs/collected-logs.zip', '2021-05-03T01:00:00Z'), undefined);
  // a benign product archive written inside the window stays benign but says so
  assert.equal(archive('EX01/ProgramData/Veeam/Backup/logs.zip', '2021-03-03T01:00:00Z')?.fields.inAttackWindow, 'yes');
  assert.equal(archive('C:\\Users\\All Users\\pst.7z')?.ruleId, 'exir-file-staged-archive');
  assert.equal(archive('C:\\Temp\\it.zip'), undefined);
});

test('archives in web folders can be downloaded: always a finding', () => {
  assert.equal(archive('EX01/inetpub/wwwroot/aspnet_client/lsass.dmp.zip')?.ruleId, 'exir-file-staged-archive');
  assert.equal(archive('EX01/inetpub/wwwroot/x.cab')?.severity, 'medium');
});

test('inWindow is inclusive and needs both a time and a window', () => {
  assert.equal(inWindow('2021-02-26T00:00:00Z', WINDOW), true);
  assert.equal(inWindow('2021-03-11T00:00:00Z', WINDOW), false);
  assert.equal(inWindow(undefined, WINDOW), false);
  assert.equal(inWindow('2021-03-01T00:00:00Z', undefined), false);
});
