import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { consoleReport } from '../report/console.js';
import { scan } from './run.js';
import { httpProxyLog, iisLog } from './test-helpers.js';

// A web shell shows in the IIS log that answered it, the HttpProxy log that proxied it and the file
// left in the web folder: one shell, every source. HttpProxy rows alone are enough to say it is there.
let dir: string;
const EXCHANGE = 'Program Files/Microsoft/Exchange Server/V15';
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)';

function proxyRow(time: string, id: string, method: string, stem: string, status: string, ip: string): Record<string, string> {
  return {
    DateTime: time,
    RequestId: id,
    Protocol: 'Owa',
    UrlHost: 'mail.contoso.com',
    UrlStem: stem,
    Method: method,
    HttpStatus: status,
    ClientIpAddress: ip,
    UserAgent: UA,
  };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-shells-'));
  const put = async (path: string, data: string | Buffer): Promise<void> => {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), data);
  };
  const chopper = await readFile(new URL('../../rules/yara/china-chopper.tests/match/jscript-one-liner.aspx', import.meta.url));
  await put(`all/EX01/${EXCHANGE}/FrontEnd/HttpProxy/owa/auth/RedirSuiteServerProxy.aspx`, chopper);
  await put(
    'all/EX01/inetpub/logs/LogFiles/W3SVC1/u_ex210304.log',
    iisLog(['2021-03-04 09:13:25 10.0.0.5 POST /owa/auth/RedirSuiteServerProxy.aspx - 443 - 203.0.113.45 Mozilla/5.0 - 200 0 0 187']),
  );
  await put(
    `all/EX01/${EXCHANGE}/Logging/HttpProxy/Owa/HttpProxy_2021030409-1.LOG`,
    httpProxyLog('ex01', [
      proxyRow('2021-03-04T09:12:00.000Z', '5b3f0a8e-3c1d-4e57-9a1b-0f6f9a7b1c06', 'GET', '/owa/auth/RedirSuiteServerProxy.aspx', '200', '203.0.113.45'),
    ]),
  );
  // Only the HttpProxy log survives on EX02: a page no build ships answered 200.
  await put(
    `proxy-only/EX02/${EXCHANGE}/Logging/HttpProxy/Owa/HttpProxy_2021030409-1.LOG`,
    httpProxyLog('EX02', [
      proxyRow('2021-03-04T09:12:00.000Z', '5b3f0a8e-3c1d-4e57-9a1b-0f6f9a7b1c07', 'GET', '/owa/auth/RedirSuiteServerProxy.aspx', '200', '203.0.113.45'),
      proxyRow('2021-03-04T09:12:09.000Z', '5b3f0a8e-3c1d-4e57-9a1b-0f6f9a7b1c08', 'POST', '/owa/auth/RedirSuiteServerProxy.aspx', '200', '203.0.113.45'),
    ]),
  );
  // Its benign twin: the stock OWA pages answering 200, front end and back end.
  await put(
    `stock/EX03/${EXCHANGE}/Logging/HttpProxy/Owa/HttpProxy_2021030409-1.LOG`,
    httpProxyLog('EX03', [
      proxyRow('2021-03-04T09:12:00.000Z', '5b3f0a8e-3c1d-4e57-9a1b-0f6f9a7b1c09', 'GET', '/owa/auth/logon.aspx', '200', '203.0.113.10'),
      proxyRow('2021-03-04T09:12:03.000Z', '5b3f0a8e-3c1d-4e57-9a1b-0f6f9a7b1c0a', 'POST', '/owa/auth/expiredpassword.aspx', '200', '203.0.113.10'),
    ]),
  );
  await put(
    'stock/EX03/inetpub/logs/LogFiles/W3SVC2/u_ex210304.log',
    iisLog([
      '2021-03-04 09:12:01 10.0.0.6 GET /owa/auth/error.aspx - 444 - 10.0.0.6 Mozilla/5.0 - 200 0 0 187',
      '2021-03-04 09:12:02 10.0.0.6 GET /ecp/auth/TimeoutLogout.aspx - 443 - 203.0.113.10 Mozilla/5.0 - 200 0 0 187',
    ]),
  );
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

void test('the same page in the IIS log, the HttpProxy log and the web folder is one web shell with every source', async () => {
  const result = await scan({ inputs: [join(dir, 'all')], threads: 1 });
  assert.deepEqual(
    result.servers.map((s) => s.name),
    ['EX01'],
  );
  const server = result.servers[0];
  assert.equal(server?.verdict, 'post-exploitation');
  assert.deepEqual(
    server?.webShells?.map((w) => ({ url: w.url, sources: w.sources, used: w.used, firstSeen: w.firstSeen })),
    [{ url: '/owa/auth/redirsuiteserverproxy.aspx', sources: ['iis', 'httpproxy', 'file'], used: true, firstSeen: '2021-03-04T09:12:00.000Z' }],
  );
  assert.equal(server?.webShells?.[0]?.files.length, 1);
  assert.match(
    consoleReport(result),
    /web shells:\n\s+\/owa\/auth\/redirsuiteserverproxy\.aspx: used, first seen .*seen in IIS log, HttpProxy log, file found/,
  );
});

void test('HttpProxy rows alone show a web shell present and used', async () => {
  const result = await scan({ inputs: [join(dir, 'proxy-only')], threads: 1 });
  const server = result.servers.find((s) => s.name === 'EX02');
  assert.equal(server?.verdict, 'post-exploitation');
  assert.deepEqual(
    server?.webShells?.map((w) => [w.url, w.sources, w.used]),
    [['/owa/auth/redirsuiteserverproxy.aspx', ['httpproxy'], true]],
  );
});

void test('stock Exchange pages answering 200 stay clean', async () => {
  const result = await scan({ inputs: [join(dir, 'stock')], threads: 1 });
  assert.deepEqual(
    result.servers.map((s) => [s.name, s.verdict]),
    [['EX03', 'clean']],
  );
  assert.deepEqual(
    result.findings.filter((f) => !f.benign).map((f) => f.title),
    [],
  );
});
