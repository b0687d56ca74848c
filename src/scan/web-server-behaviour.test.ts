import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scan } from './run.js';

// What Exchange's web-server processes never do, end to end: each behaviour's sample in one server's
// bundle gives its finding with the values a reader decides by, and the server is post-exploitation.
const RULES = fileURLToPath(new URL('../../rules/sigma/windows/post-exploitation/', import.meta.url));
const SAMPLES: [string, string][] = [
  ['proc-exchange-web-server-unexpected-child.tests/match/sysmon-w3wp-potato-from-programdata.jsonl', 'child.jsonl'],
  ['net-exchange-web-server-tunnel-port.tests/match/sysmon3-w3wp-loopback-rdp.jsonl', 'rdp.jsonl'],
  ['create-remote-thread-exchange-web-server.tests/match/sysmon8-w3wp-thread-in-svchost.jsonl', 'thread.jsonl'],
  ['security-exchange-web-server-explicit-credentials.tests/match/security-4648-w3wp-to-dc.jsonl', 'logon.jsonl'],
  ['file-exchange-web-server-writes-script-or-program.tests/match/sysmon11-w3wp-writes-bat-temp.jsonl', 'bat.jsonl'],
  ['proc-attrib-hides-aspx.tests/match/sysmon1-attrib-hide-aspx.jsonl', 'attrib.jsonl'],
];

void test('each thing a web-server process never does is a finding with its decisive values', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-webproc-'));
  try {
    await mkdir(join(dir, 'EX01', 'events'), { recursive: true });
    for (const [sample, to] of SAMPLES) await copyFile(join(RULES, sample), join(dir, 'EX01', 'events', to));
    const result = await scan({ inputs: [dir], threads: 1 });
    const byFile = new Map(result.findings.map((f) => [f.origin.path.split('/').pop(), f]));
    for (const [, to] of SAMPLES) assert.equal(byFile.get(to)?.stage, 'post-exploitation', to);

    const child = byFile.get('child.jsonl');
    assert.equal(child?.fields['User'], 'IIS APPPOOL\\MSExchangeOWAAppPool');
    assert.match(child?.fields['CommandLine'] ?? '', /sp\.exe -c "whoami \/all"/);
    assert.match(child?.fields['ParentImage'] ?? '', /\\w3wp\.exe$/);
    assert.equal(byFile.get('rdp.jsonl')?.fields['DestinationPort'], '3389');
    assert.equal(byFile.get('logon.jsonl')?.fields['TargetServerName'], 'DC01.contoso.local');
    assert.equal(byFile.get('logon.jsonl')?.fields['TargetUserName'], 'administrator');
    assert.match(byFile.get('bat.jsonl')?.fields['TargetFilename'] ?? '', /\\Temp\\1\.bat$/);

    assert.deepEqual(
      result.servers.map((s) => [s.name, s.verdict]),
      [['EX01', 'post-exploitation']],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
