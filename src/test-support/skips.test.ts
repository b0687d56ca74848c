import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TestContext } from 'node:test';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { corpusMissing, postgresMissing, postgresWaitMs, skipIf, suiteSkip } from './skips.js';

function fakeContext(): { t: TestContext; skipped: string[] } {
  const skipped: string[] = [];
  return { t: { skip: (why: string) => skipped.push(why) } as unknown as TestContext, skipped };
}

test('nothing missing: the test runs, in CI or not', () => {
  const { t, skipped } = fakeContext();
  assert.equal(skipIf(t, 'corpus', undefined, { CI: 'true' }), false);
  assert.deepEqual(skipped, []);
});

test('off CI a missing condition skips the test and says why', () => {
  const { t, skipped } = fakeContext();
  assert.equal(skipIf(t, 'postgres', 'PostgreSQL not reachable', {}), true);
  assert.deepEqual(skipped, ['PostgreSQL not reachable']);
});

test('in CI a skip not on the allow-list fails the test, naming the reason and where the list is', () => {
  const { t, skipped } = fakeContext();
  assert.throws(
    () => skipIf(t, 'chromium', 'Chromium not found at /x', { CI: 'true' }, {}),
    /Chromium not found at \/x\. CI must run every test: \.ci\/run provides the chromium.*ALLOWED_IN_CI/,
  );
  assert.deepEqual(skipped, []);
});

test('in CI a skip on the allow-list is still a skip', () => {
  const { t, skipped } = fakeContext();
  assert.equal(skipIf(t, 'chromium', 'no browser', { CI: 'true' }, { chromium: 'this runner has no display' }), true);
  assert.deepEqual(skipped, ['no browser']);
});

test('a whole block: skipped with its reason off CI, refused in CI, run when nothing is missing', () => {
  assert.equal(suiteSkip('redis', undefined, { CI: 'true' }), false);
  assert.equal(suiteSkip('redis', 'Redis not answering', {}), 'Redis not answering');
  assert.throws(() => suiteSkip('redis', 'Redis not answering', { CI: 'true' }, {}), /Redis not answering\. CI must run every test/);
});

test('corpusMissing names the first path that is not there', () => {
  const here = fileURLToPath(import.meta.url);
  assert.equal(corpusMissing(here), undefined);
  assert.equal(corpusMissing(here, `${here}.absent`, '/also/absent'), `corpus not found at ${here}.absent`);
});

test('postgresMissing gives the reason a server does not answer', async () => {
  const why = await postgresMissing('postgres://nobody@127.0.0.1:1/none');
  assert.match(why ?? '', /^PostgreSQL not reachable at postgres:\/\/nobody@127\.0\.0\.1:1\/none: /);
});

// Every skip goes through skipIf, or CI could not tell a deliberate skip from a test that stopped testing.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name.endsWith('.tests')) return [];
    const full = join(dir, e.name);
    if (e.isDirectory()) return testFiles(full);
    return /\.test\.ts$|\/test-support\/.*\.ts$|\/test-helpers\/.*\.ts$/.test(full) ? [full] : [];
  });
}

test('no test skips except through skipIf', () => {
  const direct: string[] = [];
  const files = [...testFiles(join(ROOT, 'src')), ...testFiles(join(ROOT, 'rules'))];
  for (const file of files) {
    if (file.endsWith('/test-support/skips.ts') || file === fileURLToPath(import.meta.url)) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/\.skip\(|\.todo\(|\bskip:(?! suiteSkip\()|\btodo:/.test(line)) direct.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.ok(files.length > 50);
  assert.deepEqual(direct, []);
});

test('CI waits longer for PostgreSQL than a laptop, since a missing server there fails the run', () => {
  assert.equal(postgresWaitMs({}), 3_000);
  assert.ok(postgresWaitMs({ CI: 'true' }) >= 20_000);
});
