import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { scan } from './run.js';
import { httpProxyLog, iisLog } from './test-helpers.js';

// One machine, four spellings: the collector's folder (lower case), HttpProxy's NetBIOS name, and
// the event log's fully qualified name. It is one server, named once, with the spellings listed.
void test('a folder name, a NetBIOS name and an FQDN of one machine make one server', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-names-'));
  const put = async (path: string, data: string): Promise<void> => {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), data);
  };
  try {
    await put(
      'bundle/ex01/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log',
      iisLog(['2021-03-03 02:13:25 10.0.0.5 POST /aspnet_client/discover.aspx - 443 - 203.0.113.45 Mozilla/5.0 - 200 0 0 187']),
    );
    await put(
      'bundle/ex01/Logging/HttpProxy/Owa/HttpProxy_2021030302-1.LOG',
      httpProxyLog('Ex01', [
        {
          DateTime: '2021-03-03T02:13:20.000Z',
          RequestId: '5b3f0a8e-3c1d-4e57-9a1b-0f6f9a7b1c10',
          Protocol: 'Owa',
          UrlStem: '/owa/auth/x.aspx',
          Method: 'POST',
          HttpStatus: '200',
          ClientIpAddress: '203.0.113.45',
        },
      ]),
    );
    const event = (
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
    assert.match(event, /EX01\.contoso\.local/);
    await put('bundle/events/forwarded.jsonl', `${event}\n`);
    const result = await scan({ inputs: [join(dir, 'bundle')], threads: 1 });
    assert.deepEqual(
      result.servers.map((s) => s.name),
      ['EX01'],
    );
    assert.deepEqual(result.servers[0]?.namesSeen, ['EX01.contoso.local', 'Ex01', 'ex01']);
    assert.deepEqual([...new Set(result.findings.map((f) => f.server))], ['EX01']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
