import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManifestError, parseManifest } from './manifest.js';
import { verifyCollection } from './collection.js';
import { collectionManifest } from './test-helpers/make-collection.js';

const FILES = [
  { path: 'exchange/HttpProxy/Owa/a.LOG', data: Buffer.from('one') },
  { path: 'iis/W3SVC1/u_ex210303.log', data: Buffer.from('two') },
];

test('a manifest as the collector writes it is read whole', () => {
  const m = parseManifest(`\uFEFF${JSON.stringify(collectionManifest(FILES))}`);
  assert.equal(m.server.name, 'EX01');
  assert.equal(m.server.build, '15.01.2176.002');
  assert.equal(m.collectedBy, 'CORP\\admin');
  assert.equal(m.files.length, 2);
  assert.equal(m.files[0]?.sha256, '7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed');
  assert.equal(m.notCollected.length, 1);
});

test('ConvertTo-Json writes a one-element list as the element itself: still read as a list', () => {
  const data = collectionManifest(FILES.slice(0, 1));
  data['files'] = (data['files'] as unknown[])[0];
  data['notCollected'] = (data['notCollected'] as unknown[])[0];
  const m = parseManifest(JSON.stringify(data));
  assert.equal(m.files.length, 1);
  assert.equal(m.notCollected.length, 1);
});

test('a damaged or foreign manifest is refused with the reason', () => {
  const bad = (change: (m: Record<string, unknown>) => void): string => {
    const m = collectionManifest(FILES);
    change(m);
    return JSON.stringify(m);
  };
  assert.throws(() => parseManifest('{"format": "exir-collect-manifest", '), /not JSON/);
  assert.throws(() => parseManifest('{"format": "something-else"}'), /not an exir-collect manifest/);
  assert.throws(
    () =>
      parseManifest(
        bad((m) => {
          m['version'] = 2;
        }),
      ),
    /version 2/,
  );
  assert.throws(
    () =>
      parseManifest(
        bad((m) => {
          m['server'] = {};
        }),
      ),
    /server.name is missing/,
  );
  assert.throws(
    () =>
      parseManifest(
        bad((m) => {
          (m['files'] as Record<string, unknown>[])[1]!['sha256'] = 'abc';
        }),
      ),
    /files\[1\].sha256 is not a SHA-256/,
  );
  assert.throws(
    () =>
      parseManifest(
        bad((m) => {
          (m['files'] as Record<string, unknown>[])[0]!['size'] = -1;
        }),
      ),
    ManifestError,
  );
  assert.throws(
    () =>
      parseManifest(
        bad((m) => {
          (m['files'] as Record<string, unknown>[])[0]!['path'] = 7;
        }),
      ),
    /path is not text/,
  );
});

test('verification: matching, changed, missing and added files each said', () => {
  const manifest = parseManifest(JSON.stringify(collectionManifest(FILES)));
  const collection = { manifestPath: 'b.zip!/manifest.json', root: 'b.zip!/', manifest };
  const [one, two] = manifest.files;
  const check = verifyCollection(collection, [
    { path: `b.zip!/${one!.path}`, sha256: one!.sha256, size: one!.size },
    { path: `b.zip!/${two!.path}`, sha256: 'f'.repeat(64), size: two!.size },
    { path: 'b.zip!/manifest.json', sha256: 'a'.repeat(64), size: 10 },
    { path: 'b.zip!/extra.aspx', sha256: 'b'.repeat(64), size: 5 },
    { path: 'other.zip!/exchange/HttpProxy/Owa/a.LOG', sha256: one!.sha256, size: one!.size },
  ]);
  assert.equal(check.files, 2);
  assert.equal(check.verified, 1);
  assert.deepEqual(
    check.changed.map((c) => c.path),
    [two!.path],
  );
  assert.deepEqual(check.missing, []);
  assert.deepEqual(check.unlisted, ['extra.aspx']);
  const lost = verifyCollection(collection, [{ path: `b.zip!/${one!.path}`, sha256: one!.sha256, size: one!.size }]);
  assert.deepEqual(lost.missing, [two!.path]);
});
