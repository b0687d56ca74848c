import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_BASELINE_DIR } from './baseline.js';
import { BASELINE_FILE, type BaselineData } from './baseline-format.js';
import { deriveStockPages, loadStockPages } from './stock-pages.js';

void test('the shipped stock-page list is what the file baseline gives (rebuild with make-stock-pages.ts)', async () => {
  const baseline = JSON.parse(gunzipSync(await readFile(join(DEFAULT_BASELINE_DIR, BASELINE_FILE))).toString('utf8')) as BaselineData;
  assert.deepEqual(await loadStockPages(), deriveStockPages(baseline));
});

void test('front-end and back-end pages become URL paths; folders that ship no page have none', async () => {
  const { pages, builds } = await loadStockPages();
  assert.deepEqual(builds, ['15.0.1497.12', '15.1.2176.9', '15.2.792.10']);
  for (const stock of ['/owa/auth/logon.aspx', '/owa/auth/errorfe.aspx', '/owa/auth/error.aspx', '/ecp/auth/timeoutlogout.aspx', '/ecp/default.aspx']) {
    assert.ok(pages.includes(stock), stock);
  }
  assert.equal(pages.filter((p) => p.startsWith('/aspnet_client/') || p.startsWith('/oab/')).length, 0);
  assert.equal(pages.filter((p) => p.startsWith('/owa/auth/current/') || /\/15\.\d/.test(p)).length, 0);
});

void test('a page below a build-numbered folder is no stock page', () => {
  const data = deriveStockPages({
    about: '',
    extracted: '2026-11-28',
    scope: '',
    builds: ['15.2.792.10'],
    source: { name: '', repo: '', path: '', commit: '', licence: '', url: '', retrieved: '', note: '' },
    files: [
      ['\\FrontEnd\\HttpProxy\\owa\\auth\\version\\x.aspx', 'a'.repeat(64), 1],
      ['\\FrontEnd\\HttpProxy\\owa\\auth\\Logon.aspx', 'b'.repeat(64), 1],
      ['\\ClientAccess\\ecp\\scripts\\x.js', 'c'.repeat(64), 1],
    ],
  });
  assert.deepEqual(data.pages, ['/owa/auth/logon.aspx']);
});
