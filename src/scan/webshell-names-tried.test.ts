import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { consoleReport } from '../report/console.js';
import { toJson } from '../report/json.js';
import { assertSchema } from '../test-support/json-schema.js';
import { scan } from './run.js';
import { iisLog } from './test-helpers.js';

// Published web-shell names (MSTIC, ESET, Huntress via signature-base), the way a scanner tries them.
const NAMES = [
  '/aspnet_client/system_web/shell.aspx',
  '/aspnet_client/system_web/log.aspx',
  '/aspnet_client/discover.aspx',
  '/aspnet_client/supp0rt.aspx',
  '/owa/auth/OutlookZH.aspx',
  '/owa/auth/errorPage.aspx',
  '/owa/auth/shel90.aspx',
  '/owa/auth/one1.aspx',
];

function row(i: number, url: string, ip: string, status: string): string {
  return `2021-03-05 10:00:${String(i).padStart(2, '0')} 10.0.0.5 GET ${url} - 443 - ${ip} python-requests/2.25.1 - ${status} 0 0 15`;
}

void test('web-shell names tried and answered 404 are one finding per client listing them, never a web shell present; one answered 200 is a shell', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-names-'));
  try {
    await mkdir(join(dir, 'EXCH01'));
    const lines = [...NAMES.map((url, i) => row(i, url, '198.51.100.23', '404')), ...NAMES.slice(0, 3).map((url, i) => row(20 + i, url, '192.0.2.50', '404'))];
    await writeFile(join(dir, 'EXCH01', 'u_ex210305.log'), iisLog(lines));

    const probed = await scan({ inputs: [dir], threads: 1 });
    assertSchema('scan-result', toJson(probed));
    const server = probed.servers[0];
    assert.equal(server?.verdict, 'exploit-attempted');
    assert.deepEqual(server?.webShells ?? [], [], 'a name answered 404 is not a web shell');
    assert.equal(probed.findings.length, 2, 'one finding per client');
    const [first, second] = probed.findings;
    assert.equal(first?.clientIp, '198.51.100.23');
    assert.equal(first?.repeats?.count, NAMES.length);
    assert.deepEqual(first?.repeats?.urls, NAMES);
    assert.equal(second?.clientIp, '192.0.2.50');
    assert.deepEqual(second?.repeats?.urls, NAMES.slice(0, 3));
    assert.match(consoleReport(probed), /asked for 8 URLs: \/aspnet_client\/system_web\/shell\.aspx, /);

    // The other way: one of the names answered 200 is a page on the server.
    await writeFile(join(dir, 'EXCH01', 'u_ex210305.log'), iisLog([...lines, row(40, NAMES[4] as string, '198.51.100.23', '200')]));
    const found = await scan({ inputs: [dir], threads: 1 });
    assert.notEqual(found.servers[0]?.verdict, 'exploit-attempted');
    assert.deepEqual(
      found.servers[0]?.webShells?.map((w) => w.url),
      ['/owa/auth/outlookzh.aspx'],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
