import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore } from '../case/store.js';
import type { ScanResult } from '../core/types.js';
import { runExir as exir } from './test-helpers/run-cli.js';

// `exir scan` end to end on a bundle with a published attacker address inside an Rps_Http chain, the
// same kind of address in a Security logon, and a compiled China Chopper page in Temporary ASP.NET
// Files: the console names who published the address, --json carries the findings, --case stores them.
const RULES = fileURLToPath(new URL('../../rules', import.meta.url));
const TEMP = 'EX01/Windows/Microsoft.NET/Framework64/v4.0.30319/Temporary ASP.NET Files/owa/5e1a2b3c/9f8e7d6c';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-cli-ips-'));
  await mkdir(join(dir, 'bundle', TEMP), { recursive: true });
  const sample = (path: string): Promise<string> => readFile(join(RULES, path), 'utf8');
  await writeFile(
    join(dir, 'bundle', 'EX01', 'Rps_Http_2022121411-1.LOG'),
    await sample('sigma/indicators/rps-http-published-attacker-ip.tests/match/chain-first-address-published.LOG'),
  );
  await writeFile(
    join(dir, 'bundle', 'EX01', 'security.jsonl'),
    await sample('sigma/indicators/security-logon-published-attacker-ip.tests/match/security-4625-failed-logon-volexity.jsonl'),
  );
  await copyFile(join(RULES, 'yara/compiled-aspx-webshell.tests/match/App_Web_k2xq0vfa.dll'), join(dir, 'bundle', TEMP, 'App_Web_k2xq0vfa.dll'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

void test('exir scan shows, writes as JSON and stores in a case the published addresses and the compiled web shell', async () => {
  const ws = join(dir, 'ws');
  const made = await exir('case', 'new', 'acme/exch', '--title', 'Exchange', '--workspace', ws, '--actor', 'alice');
  assert.equal(made.code, 0, made.err);
  const run = await exir('scan', '--quiet', '--json', '-', '--case', 'acme/exch', '--workspace', ws, '--actor', 'alice', join(dir, 'bundle'));
  assert.equal(run.code, 1, run.err);

  // Console (on stderr when the JSON takes stdout).
  assert.match(run.err, /address published by Volexity, /);
  assert.match(run.err, /Compiled ASP\.NET page \(App_Web_\*\.dll\)/);
  assert.match(run.err, /case acme\/exch: scan \d+ recorded; added \d+ file\(s\) and 3 finding\(s\)/);

  const result = JSON.parse(run.out) as ScanResult;
  const line = (f: ScanResult['findings'][number]): string =>
    `${f.clientIp ?? '-'} ${f.stage} ${f.fields['yaraRule'] ?? (f.indicatorOnly ? 'indicator' : f.ruleId)}`;
  assert.deepEqual(result.findings.map(line).sort(), [
    '- post-exploitation exir_compiled_page_jscript_eval_unsafe',
    '104.140.114.110 exploit-attempt indicator',
    '157.230.221.198 exploit-attempt indicator',
  ]);

  const store = await openStore(undefined, { workspace: ws, actor: 'alice' });
  try {
    const stored = await store.listFindings('acme/exch');
    assert.deepEqual(stored.map((f) => `${f.clientIp ?? '-'} ${f.stage} ${f.path.split('/').pop() ?? ''}`).sort(), [
      '- post-exploitation App_Web_k2xq0vfa.dll',
      '104.140.114.110 exploit-attempt Rps_Http_2022121411-1.LOG',
      '157.230.221.198 exploit-attempt security.jsonl',
    ]);
  } finally {
    await store.close();
  }
});
