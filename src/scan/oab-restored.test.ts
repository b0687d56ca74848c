import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { scan } from './run.js';

const RULES = new URL('../../rules/sigma/proxylogon/', import.meta.url);
const RESTORED = 'a7dfccb4-2b42-422f-865d-fe3d3f4180bb'; // ecp-server-oab-vdir-restored-after-write

async function ecpLog(...samples: string[]): Promise<string> {
  const [head, ...rest] = await Promise.all(samples.map((s) => readFile(new URL(s, RULES), 'utf8')));
  const rows = (text: string): string[] => text.split(/\r?\n/).filter((l) => l !== '' && !l.startsWith('#'));
  const directives = (head as string).split(/\r?\n/).filter((l) => l.startsWith('#'));
  return `${[...directives, ...rows(head as string), ...rest.flatMap(rows)].join('\r\n')}\r\n`;
}

// The web shell written through the OAB virtual directory at 02:14, the URL set back and the directory
// removed minutes later: the clean-up joins the write; the same cmdlets alone are an admin's work.
void test('the OAB virtual directory set back after a script write is found and names the write; alone it is nothing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-oab-restored-'));
  try {
    await mkdir(join(dir, 'attacked', 'EXCH01'), { recursive: true });
    await writeFile(
      join(dir, 'attacked', 'EXCH01', 'ECPServer2021030302-1.LOG'),
      await ecpLog(
        'ecp-server-set-vdir-script-tag.tests/match/set-oab-vdir-externalurl-chopper.LOG',
        'ecp-server-oab-vdir-restored-after-write.tests/match/set-back-and-recreate.LOG',
      ),
    );
    const attacked = await scan({ inputs: [join(dir, 'attacked')], threads: 1 });
    const restored = attacked.findings.filter((f) => f.ruleId === RESTORED);
    assert.equal(restored.length, 3);
    assert.match(restored[0]?.fields['after'] ?? '', /^ProxyLogon .*, 2021-03-03T02:14:07\.613Z \(.*ECPServer2021030302-1\.LOG:6\)$/);
    // Putting the setting back is acting on the server after getting in; the way in stays the write.
    assert.equal(attacked.servers[0]?.verdict, 'post-exploitation');
    assert.match(attacked.servers[0]?.summary ?? '', /written .* at 02:14 UTC on 3 March 2021, then the OAB virtual directory was set back .* at 02:15 UTC/);
    const session = attacked.sessions.find((s) => s.entries.some((e) => e.ruleId === RESTORED));
    assert.ok(
      session?.entries.some((e) => e.ruleId === '52532646-88a4-4ff5-9cea-4bb96d28175e'),
      'one story with the write',
    );

    await mkdir(join(dir, 'admin', 'EXCH01'), { recursive: true });
    await copyFile(
      new URL('ecp-server-oab-vdir-restored-after-write.tests/match/set-back-and-recreate.LOG', RULES),
      join(dir, 'admin', 'EXCH01', 'ECPServer2021030302-1.LOG'),
    );
    const admin = await scan({ inputs: [join(dir, 'admin')], threads: 1 });
    assert.deepEqual(admin.findings, []);
    assert.equal(admin.servers[0]?.verdict, 'clean');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

const WINDOWS = new URL('../../rules/sigma/windows/proxylogon/', import.meta.url);
const RESTORED_MGMT = '6eaf0db0-1fd2-4f54-96eb-a919f8d9403d'; // msexchange-management-oab-vdir-restored-after-write

// The same clean-up as the MSExchange Management log records it (a Winlogbeat export): it joins the
// script write of that log; the set-back alone, an administrator's change, is nothing.
void test('in the MSExchange Management log too, the set-back counts only after the script write', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-oab-restored-mgmt-'));
  const sample = (p: string): Promise<string> => readFile(new URL(p, WINDOWS), 'utf8');
  const setBack = await sample('msexchange-management-oab-vdir-restored-after-write.tests/match/set-back-after-chopper.jsonl');
  try {
    await mkdir(join(dir, 'attacked', 'EX01'), { recursive: true });
    await writeFile(
      join(dir, 'attacked', 'EX01', 'msexchange-management.jsonl'),
      (await sample('msexchange-management-oab-vdir-script.tests/match/set-oab-vdir-chopper-succeeded.jsonl')) + setBack,
    );
    const attacked = await scan({ inputs: [join(dir, 'attacked')], threads: 1 });
    const restored = attacked.findings.filter((f) => f.ruleId === RESTORED_MGMT);
    assert.equal(restored.length, 2);
    assert.match(restored[0]?.fields['after'] ?? '', /2021-03-03T02:47:26\.710Z/);

    await mkdir(join(dir, 'admin', 'EX01'), { recursive: true });
    await writeFile(join(dir, 'admin', 'EX01', 'msexchange-management.jsonl'), setBack);
    const admin = await scan({ inputs: [join(dir, 'admin')], threads: 1 });
    assert.deepEqual(
      admin.findings.filter((f) => f.ruleId === RESTORED_MGMT),
      [],
    );
    assert.equal(admin.servers[0]?.verdict ?? 'clean', 'clean');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

const RESTORED_RPS = '4f86820b-7527-48d8-91cf-a8d007fb7329'; // rps-cmdlet-oab-vdir-restored-after-write

// The clean-up as Exchange PowerShell's cmdlet log records it, after a write seen in the ECP Server log
// and after one seen in the cmdlet log itself; the same set-back, removal and re-creation alone are an
// administrator's work and give nothing.
void test('in the Rps_Cmdlet log too, the set-back counts only after a script write on the server', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-oab-restored-rps-'));
  const cleanUp = new URL('rps-cmdlet-oab-vdir-restored-after-write.tests/match/set-back-remove-and-recreate.LOG', RULES);
  try {
    await mkdir(join(dir, 'ecp', 'EXCH01'), { recursive: true });
    await copyFile(
      new URL('ecp-server-set-vdir-script-tag.tests/match/set-oab-vdir-externalurl-chopper.LOG', RULES),
      join(dir, 'ecp', 'EXCH01', 'ECPServer2021030302-1.LOG'),
    );
    await copyFile(cleanUp, join(dir, 'ecp', 'EXCH01', 'Rps_Cmdlet_2021030302-1.LOG'));
    const afterEcp = await scan({ inputs: [join(dir, 'ecp')], threads: 1 });
    const restored = afterEcp.findings.filter((f) => f.ruleId === RESTORED_RPS);
    assert.equal(restored.length, 3);
    assert.match(restored[0]?.fields['after'] ?? '', /, 2021-03-03T02:14:07\.613Z \(.*ECPServer2021030302-1\.LOG:6\)$/);
    assert.equal(afterEcp.servers[0]?.verdict, 'post-exploitation');

    await mkdir(join(dir, 'rps', 'EXCH01'), { recursive: true });
    await copyFile(
      new URL('rps-cmdlet-oab-vdir-script.tests/match/set-oab-vdir-chopper.LOG', RULES),
      join(dir, 'rps', 'EXCH01', 'Rps_Cmdlet_2021030302-1.LOG'),
    );
    await copyFile(cleanUp, join(dir, 'rps', 'EXCH01', 'Rps_Cmdlet_2021030302-2.LOG'));
    const afterRps = await scan({ inputs: [join(dir, 'rps')], threads: 1 });
    const restoredRps = afterRps.findings.filter((f) => f.ruleId === RESTORED_RPS);
    assert.equal(restoredRps.length, 3);
    assert.match(restoredRps[0]?.fields['after'] ?? '', /, 2021-03-03T02:20:03\.118Z \(.*Rps_Cmdlet_2021030302-1\.LOG:6\)$/);

    await mkdir(join(dir, 'admin', 'EXCH01'), { recursive: true });
    await copyFile(cleanUp, join(dir, 'admin', 'EXCH01', 'Rps_Cmdlet_2021030302-1.LOG'));
    const admin = await scan({ inputs: [join(dir, 'admin')], threads: 1 });
    assert.deepEqual(admin.findings, []);
    assert.equal(admin.servers[0]?.verdict, 'clean');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
