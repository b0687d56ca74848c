import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sniff } from '../registry.js';
import { readText } from '../test-helpers/read.js';
import { eomtLogReader, sniffEomtLog } from './eomt-log-reader.js';

// Lines as EOMT.ps1's Write-Log writes them (microsoft/CSS-Exchange), messages from its steps.
const LOG = [
  '2021-03-16 10:20:01 Info: Starting MSERTProcess on EX01',
  '2021-03-16 10:20:09 Info: MSERT download complete on EX01',
  '2021-03-16 10:20:10 Info: Running Microsoft Safety Scanner - Mode: Quick Scan on EX01',
  '2021-03-16 10:31:44 Info: Threats detected! Please review "C:\\Windows\\debug\\msert.log" as soon as possible. We highly recommend re-running this script with -RunFullScan. For additional guidance, see "C:\\EOMT\\EOMT_summary.txt".',
  '2021-03-16 10:31:44 Info: Microsoft Safety Scanner is complete on EX01 No known threats detected.',
  '',
].join('\r\n');

test('EOMT.log is recognised by its line shape and its own steps', () => {
  assert.equal(sniffEomtLog(LOG), 'eomt');
  assert.equal(sniff(LOG)?.reader, eomtLogReader);
  // The same line shape from another tool, without any step of EOMT's, is not EOMT's log.
  assert.equal(sniffEomtLog('2021-03-16 10:20:01 Info: backup started\r\n2021-03-16 10:20:02 Info: backup done\r\n'), undefined);
  assert.equal(sniffEomtLog(`free text\r\n${LOG}`), undefined);
});

test('each line names the tool; local times are kept as written and said so; the server from its steps', async () => {
  const { stats, records } = await readText(eomtLogReader, LOG, 9);
  assert.equal(stats.kind, 'eomt');
  assert.equal(stats.records, 5);
  assert.equal(stats.server, 'EX01');
  assert.equal(records[3]?.fields.Tool, 'EOMT');
  assert.equal(records[3]?.fields.Level, 'Info');
  assert.match(records[3]?.fields.Message ?? '', /^Threats detected!/);
  assert.equal(records[3]?.fields.LocalTime, '2021-03-16 10:31:44');
  assert.equal(records[3]?.time, undefined);
  assert.match(stats.notes.join('\n'), /local time without its zone/);
});

test("a line that is not EOMT's shape is counted and located", async () => {
  const { stats } = await readText(
    eomtLogReader,
    `${LOG}garbage in the middle\r\n2021-03-16 10:40:00 Info: Mitigation complete on EX01 :: Default Web Site\r\n`,
  );
  assert.equal(stats.records, 6);
  assert.equal(stats.badRecords, 1);
  assert.equal(stats.badSamples[0]?.origin.line, 6);
});
