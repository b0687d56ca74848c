import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Finding } from '../../core/types.js';
import { DEFAULT_YARA_DIR } from './yara.js';
import { inScope, loadFileChecker } from './index.js';
import { factsOf, minidump } from './test-helpers/facts.js';

const EX = 'EX01/Program Files/Microsoft/Exchange Server/V15';
const LOGON_2016_2019 = '49194ca2dc5ff65a4e4438b3b68d11d63ed72e12cf72b76949733f4b5196a9b2';
const sample = (rel: string) => readFile(join(DEFAULT_YARA_DIR, rel));
const CHOPPER = await sample('china-chopper.tests/match/jscript-one-liner.aspx');
const OAB = await sample('oab-config-webshell.tests/match/externalurl-script.aspx');
const PST = await sample('proxyshell-headed-aspx.tests/match/570000001.aspx');

const { checker, warnings } = await loadFileChecker({ build: '15.2.792.10', attackWindow: { from: '2021-02-26T00:00:00Z', to: '2021-03-10T23:59:59Z' } });
const ids = (fs: Finding[]) => fs.map((f) => f.ruleId).sort();

test('the checker loads the shipped rules, lists and baselines without warnings', () => {
  assert.deepEqual(warnings, []);
});

test("a stock logon.aspx (hash in the build's baseline) is cleared; the same path with other bytes is a finding", async () => {
  const stock = await checker.check(factsOf(`${EX}/FrontEnd/HttpProxy/owa/auth/logon.aspx`, '<%@ Page stock %>', { sha256: LOGON_2016_2019 }));
  assert.deepEqual(stock, []);
  const changed = await checker.check(factsOf(`${EX}/FrontEnd/HttpProxy/owa/auth/logon.aspx`, '<%@ Page changed %>'));
  assert.deepEqual(ids(changed), ['exir-file-baseline-modified']);
  assert.equal(changed[0]?.stage, 'exploited');
  assert.equal(changed[0]?.severity, 'high');
  assert.equal(changed[0]?.fields.comparedWith, '15.2.792.10');
  // A fact about the whole file points at its start: line 1, byte 0 (never line 0).
  assert.equal(changed[0]?.origin.line, 1);
  assert.equal(changed[0]?.origin.offset, 0);
});

test('a China Chopper page in aspnet_client: YARA and the published-path pattern, post-exploitation', async () => {
  const facts = factsOf('EX01/inetpub/wwwroot/aspnet_client/errorcheck.aspx', CHOPPER, { modified: '2021-03-03T04:05:06Z' });
  const found = await checker.check(facts);
  assert.deepEqual(ids(found), ['d882b073-5285-4828-b081-4cacda50f310', 'exir-file-ioc-path']);
  for (const f of found) {
    assert.equal(f.stage, 'post-exploitation');
    assert.equal(f.server, 'EX01');
    assert.equal(f.time, '2021-03-03T04:05:06Z');
  }
  const yara = found.find((f) => f.ruleId.startsWith('d882'));
  assert.ok((yara?.origin.offset ?? 0) > 100, 'offset of the match');
  // The line a reader opens the file at: the one holding the matched eval(.
  const evalLine =
    String(CHOPPER)
      .split('\n')
      .findIndex((l) => l.includes('eval(Request.Item[')) + 1;
  assert.ok(evalLine > 0);
  assert.equal(yara?.origin.line, evalLine);
  assert.match(yara?.fields.excerpt ?? '', /^eval\(Request\.Item\[/);
  assert.equal(yara?.fields.scanned, 'whole file');
  assert.match(found.find((f) => f.ruleId === 'exir-file-ioc-path')?.fields.attribution ?? '', /signature-base/);
});

test('the OAB settings web shell in owa/auth: exploited through CVE-2021-27065, and a file no build ships', async () => {
  const found = await checker.check(factsOf(`${EX}/FrontEnd/HttpProxy/owa/auth/shel.aspx`, OAB));
  const oab = found.find((f) => f.ruleId === '7d5ef8e1-177b-4e3e-8dca-d547554669d1');
  assert.equal(oab?.stage, 'exploited');
  assert.deepEqual(oab?.cves, ['CVE-2021-26855', 'CVE-2021-27065']);
  assert.ok(ids(found).includes('exir-file-baseline-unknown'));
  assert.ok(ids(found).includes('exir-file-ioc-path'), 'shel.aspx is on the MSTIC list');
});

test('a PST-headed .aspx: exploited through ProxyShell, with its CVEs', async () => {
  const found = await checker.check(factsOf('EX01/inetpub/wwwroot/aspnet_client/x9.aspx', PST));
  const pst = found.find((f) => f.ruleId === '6473398f-f34e-4033-abd0-fd810ce9446b');
  assert.equal(pst?.stage, 'exploited');
  assert.deepEqual(pst?.cves, ['CVE-2021-34473', 'CVE-2021-34523', 'CVE-2021-31207']);
});

test('the same web shell where no web server runs it shows only that it was written; outside scope it is not read', async () => {
  const staged = await checker.check(factsOf('EX01/ProgramData/Tools/errorcheck.aspx', CHOPPER));
  assert.deepEqual(
    staged.map((f) => f.stage),
    ['exploited'],
  );
  assert.match(staged[0]?.fields.note ?? '', /not in a folder a web server runs/);
  const outside = factsOf('EX01/Users/admin/Documents/errorcheck.aspx', CHOPPER);
  assert.deepEqual(await checker.check(outside), []);
  assert.equal(outside.reads, 0);
  assert.equal(inScope(outside.path), false);
});

test('a known web shell hash is found even without content (a listing row)', async () => {
  const facts = factsOf('EX01/inetpub/wwwroot/aspnet_client/zz.txt', Buffer.alloc(0), {
    sha256: '2b6f1ebb2208e93ade4a6424555d6a8341fd6d9f60c25e44afe11008f5c1aad1',
    size: 1200,
    contentMissing: true,
    read: () => Promise.reject(new Error('content not collected')),
  });
  const found = await checker.check(facts);
  assert.deepEqual(ids(found), ['exir-file-ioc-hash']);
  assert.equal(found[0]?.stage, 'post-exploitation');
  assert.equal(found[0]?.severity, 'critical');
  // the listing's MD5 meets HvS's list, which gives no SHA-256
  const md5 = await checker.check(
    factsOf('EX01/inetpub/wwwroot/aspnet_client/y.txt', Buffer.alloc(0), { sha256: '', md5: '4d812c34ab1ad038cec7bc83c909680b', contentMissing: true }),
  );
  assert.deepEqual(
    md5.map((f) => f.cves.join()),
    ['CVE-2021-31207,CVE-2021-34473,CVE-2021-34523'],
  );
});

test('staging: lsass dump, it.zip and a McAfee archive (benign)', async () => {
  const dump = await checker.check(factsOf('C:\\Windows\\Temp\\m.dmp', minidump('C:\\Windows\\System32\\lsass.exe')));
  assert.deepEqual(ids(dump), ['exir-file-lsass-dump']);
  const it = await checker.check(factsOf('C:\\ProgramData\\it.zip', 'PK\x03\x04...'));
  assert.deepEqual(ids(it), ['exir-file-staged-archive']);
  const mcafee = await checker.check(
    factsOf('C:\\ProgramData\\McAfee\\Common Framework\\Current\\EPOAGENT3000\\Install\\0409\\FrameworkConfig.zip', 'PK\x03\x04'),
  );
  assert.equal(mcafee.length, 1);
  assert.match(mcafee[0]?.benign ?? '', /listed as seen and cleared/);
});

test('large files: YARA reads only the head, so a PST header still shows; small ones are read once, whole', async () => {
  const big = Buffer.concat([PST, Buffer.alloc(200 * 1024)]);
  const { checker: small } = await loadFileChecker({ maxYaraBytes: 100 * 1024 });
  const facts = factsOf('EX01/inetpub/wwwroot/aspnet_client/big.aspx', big);
  const found = await small.check(facts);
  assert.equal(facts.reads, 0);
  const pst = found.find((f) => f.fields.yaraRule === 'exir_proxyshell_pst_headed_aspx');
  assert.match(pst?.fields.scanned ?? '', /^first 65536 bytes \(file larger than 102400 bytes\)/);
  // a shell past the first 64 KiB of a file under the cap is found by reading the whole file
  const tail = factsOf('EX01/inetpub/wwwroot/aspnet_client/tail.aspx', Buffer.concat([Buffer.alloc(70 * 1024, 0x20), CHOPPER]));
  const hit = await small.check(tail);
  assert.equal(tail.reads, 1);
  assert.ok(hit.some((f) => f.fields.yaraRule === 'exir_china_chopper_eval_request'));
  small.close();
  await assert.rejects(small.check(tail), /after close/);
});

test('a read that fails is a located warning; the head is still scanned', async () => {
  const { checker: c } = await loadFileChecker();
  const facts = factsOf('EX01/inetpub/wwwroot/aspnet_client/gone.aspx', Buffer.concat([CHOPPER, Buffer.alloc(70 * 1024)]), {
    read: () => Promise.reject(new Error('EIO')),
  });
  const found = await c.check(facts);
  assert.ok(found.some((f) => f.fields.yaraRule === 'exir_china_chopper_eval_request'));
  const taken = c.takeWarnings();
  assert.equal(taken.length, 1);
  assert.equal(taken[0]?.where, facts.path);
  assert.match(taken[0]?.message ?? '', /EIO/);
  assert.deepEqual(c.takeWarnings(), []);
});

test('MD5 and SHA-1 indicators are computed from content read whole; per-server builds override the default', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-files-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const body = Buffer.from('<%@ Page Language="C#" %> exir md5 sample');
  await writeFile(
    join(dir, 'x.json'),
    JSON.stringify({
      name: 'x',
      description: '',
      licence: 'x',
      attribution: 'test list',
      sources: { s: { name: 's', url: 'https://example.org', retrieved: '2026-11-28', licence: 'x' } },
      entries: [{ type: 'md5', value: createHash('md5').update(body).digest('hex'), source: 's' }],
    }),
  );
  const { checker: c } = await loadFileChecker({ iocDir: dir, builds: { EX02: '15.0.1497.12' }, build: '15.2.792.10' });
  assert.deepEqual(ids(await c.check(factsOf('EX01/inetpub/wwwroot/a.aspx', body))), ['exir-file-ioc-hash']);
  assert.deepEqual(await c.check(factsOf('EX01/Users/a.aspx', body)), [], 'outside scope: content not read, MD5 not computed');
  const e13 = '5364b7bcbbaef47cc3fea2c2e7206b33b4514c461773ef2bf38addcd9c8376d3';
  assert.deepEqual(await c.check(factsOf(`${EX}/FrontEnd/HttpProxy/owa/auth/logon.aspx`, 'x', { sha256: e13, server: 'EX02' })), []);
  assert.deepEqual(ids(await c.check(factsOf(`${EX}/FrontEnd/HttpProxy/owa/auth/logon.aspx`, 'x', { sha256: e13, server: 'EX01' }))), [
    'exir-file-baseline-modified',
  ]);
});

test('without a known build, an unknown web file is compared with every build and says so (medium)', async () => {
  const { checker: c } = await loadFileChecker();
  const found = await c.check(factsOf(`${EX}/ClientAccess/ecp/exir-new.aspx`, '<%@ Page %>'));
  assert.deepEqual(ids(found), ['exir-file-baseline-unknown']);
  assert.equal(found[0]?.severity, 'medium');
  assert.match(found[0]?.fields.baselineNote ?? '', /server build unknown/);
});
