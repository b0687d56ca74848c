import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { scan } from './run.js';

// A forwarded-events export holds many machines' events in one file: each finding goes to the
// machine that wrote its event, not to whichever machine the file happened to start with.
test("one export of two hosts' events puts each finding on its own host", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-mixed-'));
  try {
    const sample = (
      await readFile(
        new URL(
          '../../rules/sigma/windows/post-exploitation/proc-exchange-worker-spawns-shell.tests/match/security-4688-w3wp-powershell.jsonl',
          import.meta.url,
        ),
        'utf8',
      )
    )
      .trim()
      .split('\n')[0] as string;
    const other = sample.replace(/EX01\.contoso\.local/g, 'EX02.contoso.local').replace('"RecordNumber": 902113', '"RecordNumber": 902114');
    await writeFile(join(dir, 'forwarded.jsonl'), `${sample}\n${other}\n`);
    const result = await scan({ inputs: [dir], threads: 1 });
    const servers = [...new Set(result.findings.map((f) => f.server))].sort();
    assert.deepEqual(servers, ['EX01', 'EX02']);
    // The rule decides on the parent and child images; the finding still shows the command line run.
    assert.match(result.findings[0]?.fields['CommandLine'] ?? '', /^powershell -ep bypass/);
    assert.deepEqual(result.servers.map((s) => [s.name, s.verdict]).sort(), [
      ['EX01', 'post-exploitation'],
      ['EX02', 'post-exploitation'],
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// A domain controller's events in the same export: an attack seen there is said, but no mailbox is
// claimed for a machine with no trace of Exchange.
test('a host with no Exchange is never said to put every mailbox in reach', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-dc-'));
  try {
    const sample = (
      await readFile(new URL('../../rules/sigma/windows/post-exploitation/proc-procdump-lsass.tests/match/procdump-ma-lsass.jsonl', import.meta.url), 'utf8')
    )
      .trim()
      .split('\n')[0] as string;
    await writeFile(join(dir, 'dc-events.jsonl'), `${sample.replace(/EX01\.contoso\.local/g, 'DC01.contoso.local').replace(/"ex01"/g, '"dc01"')}\n`);
    const result = await scan({ inputs: [dir], threads: 1 });
    const server = result.servers[0];
    assert.deepEqual([server?.name, server?.verdict], ['DC01', 'post-exploitation']);
    assert.match(server?.summary ?? '', /Nothing in the evidence shows Exchange on this machine/);
    assert.deepEqual(
      result.mailboxes.filter((m) => m.mailbox === '*'),
      [],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
