import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogRecord } from '../core/types.js';
import { winEventRecord } from '../sources/winevent-record.js';
import { Detector } from './detector.js';
import { loadMappings } from './mapping.js';
import { loadRuleset, MAPPINGS_DIR, SHIPPED_SIGMA_DIR } from './ruleset.js';

// The views a Windows event is read through are worked out once per channel and event id and kept:
// a record must still be read through the views of its own pair, whatever came before it.

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const DUMP = 'C:\\ProgramData\\procdump64.exe -accepteula -ma lsass.exe C:\\Windows\\Temp\\lsass.dmp';

function event(channel: string, eventId: number, data: Record<string, string>, n: number): LogRecord {
  return winEventRecord(
    { eventId, channel, provider: 'test', computer: 'EX01.contoso.local', time: '2021-03-03T03:25:00.0000000Z', recordId: n, data },
    { path: 'test.evtx', line: n, offset: n * 100 },
  );
}

async function detector(): Promise<Detector> {
  const mappings = await loadMappings(MAPPINGS_DIR);
  return new Detector(await loadRuleset([SHIPPED_SIGMA_DIR], mappings), mappings);
}

const rulesOf = (d: Detector, r: LogRecord): string[] => d.detect(r, 'EX01').map((f) => f.ruleId);

test('each event is read through the views of its own channel and event id, in any order', async () => {
  const sysmon1 = (n: number): LogRecord => event(SYSMON, 1, { Image: 'C:\\ProgramData\\procdump64.exe', CommandLine: DUMP }, n);
  // Sysmon 3 is a network connection: process_creation rules must not read it, even with the same command line.
  const sysmon3 = (n: number): LogRecord => event(SYSMON, 3, { Image: 'C:\\ProgramData\\procdump64.exe', CommandLine: DUMP }, n);
  const security = (n: number): LogRecord =>
    event('Security', 4688, { NewProcessName: 'C:\\Windows\\Temp\\dump64.exe', CommandLine: 'dump64.exe /accepteula /ma lsass C:\\l.dmp' }, n);
  const make = [sysmon1, sysmon3, security, sysmon3, sysmon1, security, sysmon1];
  const shared = await detector();
  for (const [i, build] of make.entries()) {
    const fresh = rulesOf(await detector(), build(i));
    assert.deepEqual(rulesOf(shared, build(i)), fresh, `record ${i}`);
  }
  const procdump = 'd08446c8-95bc-40dc-84a8-11d82929d79d';
  assert.ok(rulesOf(shared, sysmon1(100)).includes(procdump));
  assert.ok(rulesOf(shared, security(101)).includes(procdump));
  assert.ok(!rulesOf(shared, sysmon3(102)).includes(procdump));
});

test('past the pairs it keeps, a log of endless channels is still read through the right views', async () => {
  const d = await detector();
  for (let i = 0; i < 5000; i++) d.detect(event(`Junk-${i}/Operational`, i, { CommandLine: DUMP }, i), 'EX01');
  const found = rulesOf(d, event(SYSMON, 1, { Image: 'C:\\ProgramData\\procdump64.exe', CommandLine: DUMP }, 6000));
  assert.ok(found.includes('d08446c8-95bc-40dc-84a8-11d82929d79d'), found.join(', '));
  // An event id given as text with the channel's name in it is not the pair it spells.
  assert.deepEqual(rulesOf(d, event(`${SYSMON}","1`, 0, { CommandLine: DUMP }, 6001)), []);
});
