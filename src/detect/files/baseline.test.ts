import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { compareToBaseline, loadBaseline } from './baseline.js';
import { keepRow, parseBaselineCsv } from './make-baseline.js';
import { placeOf } from './paths.js';
import { corpusMissing, skipIf } from '../../test-support/skips.js';

const LOGON_2016_2019 = '49194ca2dc5ff65a4e4438b3b68d11d63ed72e12cf72b76949733f4b5196a9b2';
const LOGON_2013 = '5364b7bcbbaef47cc3fea2c2e7206b33b4514c461773ef2bf38addcd9c8376d3';
const FLOGON_JS = '875b6f9260784af34b387b2270ee3d6d8890dff15eb16796819a2a18f5c40089';
const OTHER = 'ab'.repeat(32);
const EX = 'EX01/Program Files/Microsoft/Exchange Server/V15';

const baseline = await loadBaseline();
const compare = (path: string, sha256: string, build?: string) => compareToBaseline(baseline, placeOf(path), path, sha256, build);

test('the shipped baseline names its source and holds the three builds', () => {
  assert.deepEqual(baseline.builds, ['15.0.1497.12', '15.1.2176.9', '15.2.792.10']);
  assert.equal(baseline.source.repo, 'microsoft/CSS-Exchange');
  assert.match(baseline.source.commit, /^[0-9a-f]{40}$/);
  assert.ok(baseline.byPath.size > 10000);
});

test("a stock owa/auth/logon.aspx whose hash is in the build's baseline is cleared", () => {
  const v = compare(`${EX}/FrontEnd/HttpProxy/owa/auth/logon.aspx`, LOGON_2016_2019, '15.2.792.10');
  assert.deepEqual(v, { kind: 'known-good', builds: ['15.2.792.10'], samePath: true });
  // case and separators as a Windows listing writes them
  const w = compare('C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\OWA\\Auth\\Logon.aspx', LOGON_2016_2019, '15.1.2176.9');
  assert.equal(w.kind, 'known-good');
});

test('the same path with other bytes is a modified file; a new name is an unknown file', () => {
  const v = compare(`${EX}/FrontEnd/HttpProxy/owa/auth/logon.aspx`, OTHER, '15.2.792.10');
  assert.equal(v.kind, 'modified');
  assert.ok(v.kind === 'modified' && !v.union && v.compared.join() === '15.2.792.10');
  const u = compare(`${EX}/FrontEnd/HttpProxy/owa/auth/8Lw7tAhF9i1pJnRo.aspx`, OTHER, '15.2.792.10');
  assert.equal(u.kind, 'unknown-file');
  assert.ok(u.kind === 'unknown-file' && u.key === '\\frontend\\httpproxy\\owa\\auth\\8lw7tahf9i1pjnro.aspx');
});

test("the build decides: Exchange 2013's logon.aspx on a server said to run 2019 is not cleared", () => {
  assert.equal(compare(`${EX}/FrontEnd/HttpProxy/owa/auth/logon.aspx`, LOGON_2013, '15.2.792.10').kind, 'modified');
  assert.equal(compare(`${EX}/FrontEnd/HttpProxy/owa/auth/logon.aspx`, LOGON_2013, '15.0.1497.12').kind, 'known-good');
  // as the logs' #Version line writes it
  assert.equal(compare(`${EX}/FrontEnd/HttpProxy/owa/auth/logon.aspx`, LOGON_2013, '15.00.1497.012').kind, 'known-good');
  assert.equal(compare(`${EX}/FrontEnd/HttpProxy/owa/auth/logon.aspx`, LOGON_2013, '15.02.0792.010').kind, 'modified');
});

test('without a known build (or one not held) the file is compared with every build, and the verdict says so', () => {
  const known = compare(`${EX}/FrontEnd/HttpProxy/owa/auth/logon.aspx`, LOGON_2013);
  assert.equal(known.kind, 'known-good');
  const v = compare(`${EX}/FrontEnd/HttpProxy/owa/auth/shell.aspx`, OTHER);
  assert.ok(v.kind === 'unknown-file' && v.union && v.compared.length === 3 && /server build unknown/.test(v.note ?? ''));
  const w = compare(`${EX}/FrontEnd/HttpProxy/owa/auth/logon.aspx`, OTHER, '15.2.1118.7');
  assert.ok(w.kind === 'modified' && w.union && /no baseline for build 15\.2\.1118\.7/.test(w.note ?? ''));
});

test('build-numbered folders map to the baseline\'s "version"; an old folder without a baseline is not compared', () => {
  assert.equal(compare(`${EX}/FrontEnd/HttpProxy/owa/auth/15.2.792.10/scripts/premium/flogon.js`, FLOGON_JS, '15.2.792.10').kind, 'known-good');
  assert.equal(compare(`${EX}/FrontEnd/HttpProxy/owa/auth/Current/scripts/premium/flogon.js`, FLOGON_JS, '15.2.792.10').kind, 'known-good');
  // the folder's build wins over the server's: old folders stay behind after an update
  assert.equal(compare(`${EX}/FrontEnd/HttpProxy/owa/auth/15.1.2176.9/scripts/premium/flogon.js`, FLOGON_JS, '15.2.858.5').kind, 'known-good');
  assert.equal(compare(`${EX}/FrontEnd/HttpProxy/owa/auth/15.1.2176.9/scripts/premium/flogon.js`, OTHER, '15.2.792.10').kind, 'modified');
  const old = compare(`${EX}/FrontEnd/HttpProxy/owa/auth/15.2.721.2/scripts/premium/flogon.js`, OTHER, '15.2.792.10');
  assert.deepEqual(old, { kind: 'not-compared', reason: 'no baseline for the build folder 15.2.721.2' });
});

test('files the baseline does not cover are not compared', () => {
  assert.equal(compare('EX01/inetpub/wwwroot/aspnet_client/x.aspx', OTHER).kind, 'not-compared');
  assert.equal(compare(`${EX}/FrontEnd/HttpProxy/owa/auth/15.2.792.10/themes/resources/logon.css`, OTHER).kind, 'not-compared');
  assert.equal(compare(`${EX}/FrontEnd/HttpProxy/owa/auth/x.aspx`, '').kind, 'not-compared');
});

const corpus = fileURLToPath(new URL('../../../../shared/corpus/css-exchange-hash-baselines/', import.meta.url));

test("the compact copy holds exactly the corpus baselines' web files (oracle)", (t) => {
  if (skipIf(t, 'corpus', corpusMissing(corpus))) return;
  let kept = 0;
  for (const name of readdirSync(corpus).filter((n) => n.endsWith('.csv.gz'))) {
    const { rows, bad } = parseBaselineCsv(gunzipSync(readFileSync(join(corpus, name))).toString('utf8'));
    assert.deepEqual(bad, [], name);
    const bit = 1 << baseline.builds.indexOf(rows[0]?.build ?? '');
    for (const row of rows) {
      if (!keepRow(row.path)) continue;
      kept++;
      const m = baseline.byPath.get(row.path.toLowerCase())?.get(row.sha256) ?? 0;
      assert.ok((m & bit) !== 0, `${name}: ${row.path} ${row.sha256}`);
    }
  }
  let stored = 0;
  for (const hashes of baseline.byPath.values()) for (const m of hashes.values()) stored += [0, 1, 2].filter((i) => (m & (1 << i)) !== 0).length;
  assert.equal(stored, kept);
});
