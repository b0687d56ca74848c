import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openStore } from '../case/index.js';
import type { Finding, ScanResult } from '../core/types.js';
import { assertSchema } from '../test-support/json-schema.js';
import { runExir as exir } from './test-helpers/run-cli.js';

// Issue #11's last web-server behaviours through `exir scan` as a responder runs it (console, --json,
// --case): a network logon made by w3wp, w3wp and the UM worker connecting to ports Exchange does
// not use, agents.config rewritten by PowerShell and cmd. EX01's web shell was written before those
// acts ("then"); on EX02 the act comes first, and the verdict sentence must not say "then".
const RULES = new URL('../../rules/sigma/windows/', import.meta.url);
const RULE = {
  networkLogon: '236cd46d-e6e5-4c38-ad84-48d0501ee29f',
  unusualPort: '673093c2-bbd2-42c4-9ea9-b55a9c59a440',
  agentsConfig: 'ce54df96-7401-4672-ab6f-4b801eeec19e',
};
const CASE = 'acme/webproc';

async function sample(path: string): Promise<string> {
  return readFile(new URL(path, RULES), 'utf8');
}

let dir: string;
let run: { code: number; out: string; err: string };
let result: ScanResult;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-webproc-cli-'));
  const put = async (path: string, data: string): Promise<void> => {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), data);
  };
  const webShellWritten = await sample('post-exploitation/file-webshell-in-exchange-web-folder.tests/match/system-writes-owa-auth-page.jsonl');
  await put('bundle/EX01/events/webshell.jsonl', webShellWritten);
  await put(
    'bundle/EX01/events/logon.jsonl',
    await sample('post-exploitation/security-exchange-web-server-network-logon.tests/match/security-4624-type3-w3wp-advapi.jsonl'),
  );
  await put(
    'bundle/EX01/events/tunnel.jsonl',
    await sample('post-exploitation/net-exchange-web-server-unusual-port.tests/match/sysmon3-w3wp-tunnel-to-internal-ssh-and-sql.jsonl'),
  );
  await put(
    'bundle/EX01/events/um.jsonl',
    await sample('post-exploitation/net-exchange-web-server-unusual-port.tests/match/sysmon3-umworker-to-attacker-4444.jsonl'),
  );
  await put(
    'bundle/EX01/events/agents.jsonl',
    await sample('persistence/file-transport-agents-config-written-outside-exchange.tests/match/sysmon11-powershell-writes-agents-config.jsonl'),
  );
  // EX02: the same web shell written at 02:48, and a tunnel from w3wp already at 01:00.
  await put('bundle/EX02/events/webshell.jsonl', webShellWritten.replaceAll('EX01.contoso.local', 'EX02.contoso.local'));
  const early = (await sample('post-exploitation/net-exchange-web-server-unusual-port.tests/match/sysmon3-umworker-to-attacker-4444.jsonl'))
    .replaceAll('EX01.contoso.local', 'EX02.contoso.local')
    .replaceAll('2021-03-03T05:12:00', '2021-03-03T01:00:00')
    .replaceAll('2021-03-03 05:12:00', '2021-03-03 01:00:00');
  await put('bundle/EX02/events/early.jsonl', early);

  const opened = await exir('case', 'new', CASE, '--title', 'Exchange web-server behaviour', '--workspace', join(dir, 'ws'), '--actor', 'test');
  assert.equal(opened.code, 0, opened.err);
  run = await exir(
    'scan',
    '--quiet',
    '--tz',
    'UTC',
    '--json',
    join(dir, 'out.json'),
    '--case',
    CASE,
    '--workspace',
    join(dir, 'ws'),
    '--actor',
    'test',
    join(dir, 'bundle'),
  );
  result = assertSchema<ScanResult>('scan-result', await readFile(join(dir, 'out.json'), 'utf8'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function only(ruleId: string, server = 'EX01'): Finding[] {
  return result.findings.filter((f) => f.ruleId === ruleId && f.server === server);
}

void test('scan --json: each new behaviour is a post-exploitation finding with the values a reader decides by', () => {
  assert.equal(run.code, 1, run.err);
  const [logon] = only(RULE.networkLogon);
  assert.equal(logon?.stage, 'post-exploitation');
  assert.equal(logon?.fields['LogonType'], '3');
  assert.match(logon?.fields['ProcessName'] ?? '', /\\w3wp\.exe$/);
  assert.equal(logon?.fields['TargetUserName'], 'svc-backup');

  const ports = only(RULE.unusualPort).map((f) => [f.fields['DestinationIp'], f.fields['DestinationPort'], f.stage]);
  assert.deepEqual(ports.sort(), [
    ['10.0.0.20', '22', 'post-exploitation'],
    ['10.0.0.21', '1433', 'post-exploitation'],
    ['203.0.113.7', '4444', 'post-exploitation'],
  ]);

  const [agents] = only(RULE.agentsConfig);
  assert.equal(agents?.stage, 'post-exploitation');
  assert.match(agents?.fields['TargetFilename'] ?? '', /\\TransportRoles\\Shared\\agents\.config$/);
  assert.match(agents?.fields['Image'] ?? '', /\\powershell\.exe$/);
});

void test('the verdict sentence orders the way in and the later act by time on each server', () => {
  const ex01 = result.servers.find((s) => s.name === 'EX01');
  const ex02 = result.servers.find((s) => s.name === 'EX02');
  assert.equal(ex01?.verdict, 'post-exploitation');
  assert.equal(ex02?.verdict, 'post-exploitation');
  // EX01: the web shell at 02:48, then the first act (the tunnel at 05:10).
  assert.match(ex01?.summary ?? '', /at 02:48 UTC on 3 March 2021, then .* at 05:10 UTC on 3 March 2021/);
  // A connection the server opened names no attacker address: its source is the server itself.
  assert.deepEqual(ex02?.attackerIps, []);
  assert.ok(only(RULE.unusualPort).every((f) => f.clientIp === undefined));
  // EX02: the connection at 01:00 came before the web shell at 02:48.
  assert.doesNotMatch(ex02?.summary ?? '', /then/);
  assert.match(
    ex02?.summary ?? '',
    /port Exchange does not use.* at 01:00 UTC on 3 March 2021, before .* at 02:48 UTC on 3 March 2021: .*first way in is not among the logs read/,
  );
});

void test('the console shows the new findings and the truthful sentence', () => {
  for (const title of [
    'Exchange web-server process logged an account on over the network with a password it was given',
    'Exchange web-server process connected to a port Exchange does not use',
    "Exchange's transport-agent list (agents.config) written by a program other than Exchange's own",
  ])
    assert.ok(run.out.includes(title), `console lacks: ${title}`);
  assert.match(run.out, /at 01:00 UTC on 3 March 2021, before/);
});

void test('the case holds the findings and each server story with the same sentence', async () => {
  const store = await openStore(`sqlite:${join(dir, 'ws', 'exir.db')}`, { actor: 'test' });
  try {
    const rows = await store.listFindings(CASE);
    for (const id of Object.values(RULE))
      assert.ok(
        rows.some((r) => r.ruleId === id && r.stage === 'post-exploitation'),
        id,
      );
    const story = await store.story(CASE);
    assert.equal(story.servers.find((s) => s.name === 'EX02')?.summary, result.servers.find((s) => s.name === 'EX02')?.summary);
  } finally {
    await store.close();
  }
});
