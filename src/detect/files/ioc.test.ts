import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compilePattern, loadIocs, matchHashes, matchPath, pathTail } from './ioc.js';
import { corpusMissing, skipIf } from '../../test-support/skips.js';

const { index, warnings } = await loadIocs();

test('the shipped indicator lists load whole, each entry naming a source with a URL and date', () => {
  assert.deepEqual(warnings, []);
  assert.deepEqual(
    index.lists.map((l) => l.file),
    ['cisa-ar21-084a.json', 'hvs-proxyshell-2021-09.json', 'mstic-exchange-2021-03.json', 'signature-base-exchange.json'],
  );
  for (const { file, list } of index.lists) {
    assert.ok(list.attribution && list.licence, `${file} keeps its licence and attribution`);
    for (const entry of list.entries) {
      const source = list.sources[entry.source];
      assert.ok(source?.url.startsWith('https://') && /^\d{4}-\d{2}-\d{2}$/.test(source.retrieved), `${file}: ${entry.value}`);
    }
  }
  const sb = index.lists.find((l) => l.file === 'signature-base-exchange.json')?.list;
  assert.match(sb?.licence ?? '', /DRL\) 1\.1: attribution required/);
});

test('hashes: a published SHA-256 matches in any case; a near miss does not', () => {
  const hit = matchHashes(index, { sha256: 'B75F163CA9B9240BF4B37AD92BC7556B40A17E27C2B8ED5C8991385FE07D17D0' });
  assert.deepEqual(hit.map((h) => h.list.name.split(' ')[0]).sort(), ['Microsoft', 'Neo23x0']);
  assert.deepEqual(matchHashes(index, { sha256: 'b75f163ca9b9240bf4b37ad92bc7556b40a17e27c2b8ed5c8991385fe07d17d1' }), []);
  assert.equal(matchHashes(index, { md5: '4d812c34ab1ad038cec7bc83c909680b' })[0]?.list.wave, 'proxyshell (2021)');
  assert.equal(matchHashes(index, { sha256: '2e1eb00575e1a8f6c95a23c87b05e23eb4718557f787aa905bb000e98b31c5f0' })[0]?.entry.note, 'discover.aspx');
});

test('paths: a published path matches a collected path by its tail; the same name in another folder does not', () => {
  const types = (p: string) =>
    matchPath(index, p)
      .map((h) => `${h.entry.type}@${h.where.split('#')[0] ?? ''}`)
      .sort();
  assert.ok(
    types('EX01/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/8Lw7tAhF9i1pJnRo.aspx').includes('path@mstic-exchange-2021-03.json'),
  );
  assert.ok(types('D:\\Exchange\\FrontEnd\\HttpProxy\\owa\\auth\\OutlookZH.aspx').includes('path@mstic-exchange-2021-03.json'));
  assert.ok(types('bundle.zip!/EX01/inetpub/wwwroot/aspnet_client/supp0rt.aspx').includes('path@mstic-exchange-2021-03.json'));
  assert.ok(!types('EX01/inetpub/wwwroot/owa/supp0rt.aspx').includes('path@mstic-exchange-2021-03.json'));
  assert.deepEqual(types('EX01/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/logon.aspx'), []);
  // HvS names: the PST-wrapped shell's file name, anywhere
  assert.ok(types('EX01/inetpub/wwwroot/aspnet_client/system_web/570221043.aspx').includes('name@hvs-proxyshell-2021-09.json'));
});

test('signature-base patterns run over the Windows form of the path, case-insensitively', () => {
  const hit = (p: string) =>
    matchPath(index, p)
      .filter((h) => h.entry.type === 'path-pattern')
      .map((h) => h.entry.score);
  assert.ok(hit('EX01/ProgramData/COM1/x1.aspx').includes(90));
  assert.ok(hit('EX01/inetpub/wwwroot/ASPNET_CLIENT/anything.aspx').includes(90));
  assert.deepEqual(hit('EX01/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/ecp/auth/TimeoutLogout.aspx'), []);
  assert.ok(hit('EX01/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/ecp/auth/x.aspx').includes(70));
  // the ProgramData archive pattern is left to the staging check (McAfee's engmin.zip, CSS-Exchange #311)
  assert.deepEqual(hit('EX01/ProgramData/it.zip'), []);
});

test('pathTail and compilePattern', () => {
  assert.deepEqual(pathTail('C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\OAB\\log.aspx'), [
    'frontend',
    'httpproxy',
    'oab',
    'log.aspx',
  ]);
  assert.deepEqual(pathTail('C:\\users\\public\\opera\\opera_browser.exe'), ['users', 'public', 'opera', 'opera_browser.exe']);
  assert.ok(compilePattern('(?i)\\\\procdump(64)?\\.exe').test('C:\\Tools\\PROCDUMP64.exe'));
});

test('a bad list or entry is reported with its place and the rest still load', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-ioc-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const source = { name: 's', url: 'https://example.org/s', retrieved: '2026-11-28', licence: 'x' };
  await writeFile(
    join(dir, 'a.json'),
    JSON.stringify({
      name: 'a',
      description: '',
      licence: 'x',
      attribution: 'x',
      sources: { s: source },
      entries: [
        { type: 'sha256', value: 'zz', source: 's' },
        { type: 'path-pattern', value: '([unclosed', source: 's' },
        { type: 'name', value: 'x.aspx', source: 'nowhere' },
        { type: 'name', value: 'Evil.ASPX', source: 's' },
      ],
    }),
  );
  await writeFile(join(dir, 'b.json'), '{ not json');
  const loaded = await loadIocs(dir);
  assert.deepEqual(
    loaded.warnings.map((w) => w.where?.split('/').pop()),
    ['a.json#0', 'a.json#1', 'a.json#2', 'b.json'],
  );
  assert.equal(loaded.index.count, 1);
  assert.equal(matchPath(loaded.index, 'EX01/inetpub/wwwroot/evil.aspx').length, 1);
});

const corpus = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));

test('every file indicator of the corpus copies is in the lists (oracle)', (t) => {
  if (skipIf(t, 'corpus', corpusMissing(corpus))) return;
  const mstic = readFileSync(join(corpus, 'azure-sentinel-mstic-iocs/MSTICIoCs-ExchangeServerVulnerabilitiesDisclosedMarch2021.csv'), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter(Boolean);
  for (const row of mstic) {
    const [, , value = '', type] = row.split(',');
    if (type === 'sha256') assert.ok(matchHashes(index, { sha256: value }).length > 0, value);
    else
      assert.ok(
        matchPath(index, value).some((h) => h.entry.type === 'path'),
        value,
      );
  }
  const sbHashes = readFileSync(join(corpus, 'signature-base-iocs/hash-iocs.hafnium-extract.txt'), 'utf8').split(/\r?\n/).filter(Boolean);
  for (const row of sbHashes) assert.ok(matchHashes(index, { sha256: row.split(';')[0] ?? '' }).length > 0, row);
  const patterns = new Set(index.patterns.map((p) => p.ioc.entry.value));
  const sbNames = readFileSync(join(corpus, 'signature-base-iocs/filename-iocs.exchange-extract.txt'), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l && !l.startsWith('#'));
  const missing = sbNames.map((l) => l.split(';')[0] ?? '').filter((re) => !patterns.has(re));
  assert.deepEqual(missing, [':\\\\ProgramData\\\\[\\w]{1,6}\\.(zip|7z|rar)$']);
  const hvs = readFileSync(join(corpus, 'hvs-consulting-ioc-signatures/HvS_Proxyshell_2021_09_IOCs.csv'), 'utf8').split(/\r?\n/).slice(1).filter(Boolean);
  for (const row of hvs) {
    const [type, value = ''] = row.split(',');
    if (type === 'MD5' || type === 'SHA1') assert.ok(matchHashes(index, type === 'MD5' ? { md5: value } : { sha1: value }).length > 0, value);
    if (type === 'FULLPATH')
      assert.ok(
        matchPath(index, value).some((h) => h.entry.type === 'path'),
        value,
      );
    if (type === 'FILENAME')
      assert.ok(
        matchPath(index, `C:\\x\\${value}`).some((h) => h.entry.type === 'name'),
        value,
      );
  }
});
