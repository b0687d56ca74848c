import assert from 'node:assert/strict';
import { readdir, readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import type { ScanResult } from '../core/types.js';
import { generateDemo } from '../demo/generate.js';
import { makeZip, type ZipSpec } from '../evidence/test-helpers/make-zip.js';
import { scan } from './run.js';

// A zip of a bundle is the same evidence as the folder: it must give the same answer, every run.
// Several members of one archive are read at once, and a member whose stream stops early used to
// kill the whole process from inside yauzl; a loop catches what one run may not.
let dir: string;
let folder: ScanResult;

async function filesUnder(root: string): Promise<string[]> {
  const items = await readdir(root, { withFileTypes: true, recursive: true });
  return items
    .filter((i) => i.isFile())
    .map((i) => relative(root, join(i.parentPath, i.name)))
    .sort();
}

/** The result with each path named as in the folder, so the two inputs compare like for like. */
function comparable(result: ScanResult): string {
  const { scannedAt: _s, ...rest } = result;
  return JSON.stringify(rest).replaceAll('EX01.zip!/', 'EX01/');
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-zipscan-'));
  await generateDemo({ outDir: join(dir, 'demo'), targetBytes: 1_000_000 });
  // The attacked server alone, as the report of the crash had it: half the reading, same paths.
  const bundle = join(dir, 'demo', 'EX01');
  const specs: ZipSpec[] = [];
  for (const name of await filesUnder(bundle)) specs.push({ name, data: await readFile(join(bundle, name)), deflate: true });
  await writeFile(join(dir, 'EX01.zip'), makeZip(specs));
  folder = await scan({ inputs: [bundle], threads: 1 });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a zip of a bundle scans exactly as the folder, twenty runs in a row', async () => {
  assert.ok(folder.findings.length > 0, 'the demo bundle has findings to compare');
  const want = comparable(folder);
  for (let run = 1; run <= 20; run += 1) {
    // Alternate the in-process reader and the worker threads: both read members concurrently.
    const zipped = await scan({ inputs: [join(dir, 'EX01.zip')], threads: run % 2 ? 1 : 2, forceThreads: run % 2 === 0 });
    assert.equal(comparable(zipped), want, `run ${run}`);
  }
});

test('a damaged member is a located warning and every other member is still read', async () => {
  const good = await readFile(join(dir, 'demo', 'EX01', 'inetpub', 'logs', 'LogFiles', 'W3SVC1', 'u_ex210303.log'));
  const corrupt = Buffer.from(good);
  const zipPath = join(dir, 'damaged.zip');
  // Deflate data overwritten in its middle, and a member that claims fewer bytes than it holds,
  // each followed by an intact member.
  const specs: ZipSpec[] = [
    { name: 'EX01/a/u_ex210301.log', data: corrupt, deflate: true },
    { name: 'EX01/a/u_ex210302.log', data: good, deflate: true },
    { name: 'EX01/a/u_ex210303.log', data: good, deflate: true, claimSize: 10 },
    { name: 'EX01/a/u_ex210304.log', data: good, deflate: true },
  ];
  const bytes = makeZip(specs);
  const at = bytes.indexOf(Buffer.from('EX01/a/u_ex210301.log')) + 'EX01/a/u_ex210301.log'.length;
  bytes.fill(0xff, at + 8, at + 200);
  await writeFile(zipPath, bytes);
  const result = await scan({ inputs: [zipPath], threads: 1 });
  const failed = result.warnings
    .filter((w) => /read failed/.test(w.message))
    .map((w) => w.where)
    .sort();
  assert.deepEqual(failed, ['damaged.zip!/EX01/a/u_ex210301.log', 'damaged.zip!/EX01/a/u_ex210303.log']);
  const read = result.evidence
    .filter((e) => e.records > 0)
    .map((e) => e.path)
    .sort();
  assert.deepEqual(read, ['damaged.zip!/EX01/a/u_ex210302.log', 'damaged.zip!/EX01/a/u_ex210304.log']);
});
