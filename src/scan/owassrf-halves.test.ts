import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { scan } from './run.js';
import { httpProxyLog, iisLog } from './test-helpers.js';

const REQUEST = '6118c67d-304f-4966-adb0-6e88cbc58df9';

// Behind a load balancer IIS sees the balancer's address and HttpProxy the client's: only the request
// id (HttpProxy RequestId = IIS cafeReqId) says the two rows are one OWASSRF attempt.
void test('an OWASSRF attempt refused by the front end is found in HttpProxy and joins its IIS row by request id', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-owassrf-'));
  try {
    await mkdir(join(dir, 'EXCH01', 'HttpProxy', 'Owa'), { recursive: true });
    await writeFile(
      join(dir, 'EXCH01', 'HttpProxy', 'Owa', 'HttpProxy_2022121411-1.LOG'),
      httpProxyLog('EXCH01', [
        {
          DateTime: '2022-12-14T11:26:51.004Z',
          RequestId: REQUEST,
          Protocol: 'Owa',
          UrlHost: 'mail.contoso.com',
          UrlStem: '/owa/mastermailbox%40outlook.com/powershell',
          AnchorMailbox: 'Smtp~mastermailbox@outlook.com',
          UserAgent: 'python-requests/2.28.1',
          ClientIpAddress: '203.0.113.45',
          HttpStatus: '401',
          Method: 'POST',
        },
      ]),
    );
    await writeFile(
      join(dir, 'EXCH01', 'u_ex221214.log'),
      iisLog([
        `2022-12-14 11:26:51 10.0.0.5 POST /owa/mastermailbox%40outlook.com/powershell &CorrelationID=<empty>;&cafeReqId=${REQUEST}; 443 - 10.0.0.20 python-requests/2.28.1 - 401 1 2148074254 187`,
      ]),
    );

    const result = await scan({ inputs: [dir], threads: 1 });
    const proxy = result.findings.find((f) => f.origin.path.includes('HttpProxy'));
    assert.ok(proxy, 'the HttpProxy row is a finding');
    assert.equal(proxy.stage, 'exploit-attempt');
    assert.deepEqual(proxy.cves, ['CVE-2022-41080']);
    assert.equal(result.servers[0]?.verdict, 'exploit-attempted');
    assert.equal(result.sessions.length, 1, 'one attempt, one session');
    const session = result.sessions[0];
    assert.deepEqual(session?.attackerIps, ['10.0.0.20', '203.0.113.45']);
    assert.deepEqual(new Set(session?.entries.map((e) => e.requestId)), new Set([REQUEST]));
    assert.equal(session?.entries.filter((e) => e.kind === 'finding').length, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
