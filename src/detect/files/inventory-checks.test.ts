// A collected listing, read by the inventory reader, through the file checks: what can be told
// without the files' content (hashes, paths, names, times).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Finding } from '../../core/types.js';
import { readInventory, type InventoryEntry } from '../../sources/inventory/index.js';
import { chunksOf } from '../../sources/test-helpers/read.js';
import { loadFileChecker } from './index.js';

test('an Export-Csv listing: known web shell by hash, stock logon.aspx cleared, changed errorFE.aspx, it.zip, lsass dump, McAfee benign', async () => {
  const data = readFileSync(new URL('../../sources/inventory/samples/ex01-export-csv.csv', import.meta.url));
  const entries: InventoryEntry[] = [];
  await readInventory(chunksOf(data, 1 << 20), { path: 'EX01/triage/listing.csv', server: 'EX01', onEntry: (e) => entries.push(e) });
  const { checker } = await loadFileChecker({ build: '15.2.792.10' });
  const byPath = new Map<string, Finding[]>();
  for (const entry of entries) byPath.set(entry.path.split('\\').pop() ?? '', await checker.check(entry));
  const ids = (name: string) => (byPath.get(name) ?? []).map((f) => (f.benign ? `benign:${f.ruleId}` : f.ruleId)).sort();

  assert.deepEqual(ids('discover.aspx'), ['exir-file-ioc-hash', 'exir-file-ioc-path']);
  const hash = byPath.get('discover.aspx')?.find((f) => f.ruleId === 'exir-file-ioc-hash');
  assert.deepEqual(hash?.cves, ['CVE-2021-26855', 'CVE-2021-27065']);
  assert.equal(hash?.time, '2021-03-03T04:12:55.000Z');
  // findings from a listing point at the listing's row
  assert.deepEqual(hash?.origin, { path: 'EX01/triage/listing.csv', line: 6, offset: data.indexOf('"C:\\inetpub\\wwwroot\\aspnet_client\\discover.aspx"') });
  assert.equal(hash?.fields.path, 'C:\\inetpub\\wwwroot\\aspnet_client\\discover.aspx');

  assert.deepEqual(ids('logon.aspx'), []);
  assert.deepEqual(ids('flogon.js'), []);
  assert.deepEqual(ids('errorFE.aspx'), ['exir-file-baseline-modified']);
  assert.deepEqual(ids('it.zip'), ['exir-file-staged-archive']);
  assert.deepEqual(ids('FrameworkConfig.zip'), ['benign:exir-file-staged-archive']);
  assert.deepEqual(ids('lsass.dmp'), ['exir-file-lsass-dump']);
  assert.deepEqual(ids('iisstart.htm'), []);
  assert.deepEqual(checker.takeWarnings(), [], 'no content was asked for');
});

test('a Get-FileHash listing: SHA-256 and MD5 indicators; the MSTIC name in system_web', async () => {
  const data = readFileSync(new URL('../../sources/inventory/samples/ex02-get-filehash.csv', import.meta.url));
  const entries: InventoryEntry[] = [];
  await readInventory(chunksOf(data, 1 << 20), { path: 'EX02/hashes.csv', server: 'EX02', onEntry: (e) => entries.push(e) });
  const { checker } = await loadFileChecker();
  const found = await Promise.all(entries.map((e) => checker.check(e)));
  assert.deepEqual(found[0]?.map((f) => f.ruleId).sort(), ['exir-file-ioc-hash', 'exir-file-ioc-path']);
  assert.deepEqual(found[1]?.map((f) => f.ruleId).sort(), ['exir-file-ioc-hash', 'exir-file-ioc-path']);
  assert.equal(found[1]?.find((f) => f.ruleId === 'exir-file-ioc-hash')?.fields.wave, 'proxyshell (2021)');
  // ecp\auth\TimeoutLogout.aspx with bytes no build ships (the empty file's hash), build unknown
  assert.deepEqual(
    found[2]?.map((f) => [f.ruleId, f.severity]),
    [['exir-file-baseline-modified', 'medium']],
  );
});
