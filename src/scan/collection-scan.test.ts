import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, before, test } from 'node:test';
import type { Finding, ScanResult } from '../core/types.js';
import { generateDemo } from '../demo/generate.js';
import { makeCollection, type CollectedSpec } from '../evidence/collector/test-helpers/make-collection.js';
import { makeZip } from '../evidence/test-helpers/make-zip.js';
import { scan } from './run.js';

// A bundle as exir-collect makes it on the server, made here from the demo's EX01 logs: it must scan
// exactly as the folder does, with every file verified against the manifest, and a file changed,
// lost or added on the way must be said.
let dir: string;
let files: CollectedSpec[];
let folderResult: ScanResult;

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const item of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (item.isFile()) out.push(join(item.parentPath, item.name));
  }
  return out.sort();
}

function essence(f: Finding): string {
  return [f.ruleId, f.time, f.server, f.stage, f.clientIp, f.origin.line, f.origin.offset, f.benign ?? '', f.cappedBy ?? ''].join('|');
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-collect-'));
  await generateDemo({ outDir: join(dir, 'demo'), targetBytes: 1_000_000 });
  const ex01 = join(dir, 'demo', 'EX01');
  files = await Promise.all((await listFiles(ex01)).map(async (f) => ({ path: relative(ex01, f).split(sep).join('/'), data: await readFile(f) })));
  folderResult = await scan({ inputs: [ex01], threads: 1 });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scanZip(name: string, zip: Buffer): Promise<ScanResult> {
  const path = join(dir, name);
  await writeFile(path, zip);
  return scan({ inputs: [path], threads: 1 });
}

test('a collector bundle scans as its folder does, every file verified, the server taken from the manifest', async () => {
  const result = await scanZip('exir-EX01.zip', makeCollection(files));
  assert.deepEqual(result.findings.map(essence).sort(), folderResult.findings.map(essence).sort());
  assert.deepEqual(
    result.servers.map((s) => [s.name, s.verdict]),
    folderResult.servers.map((s) => [s.name, s.verdict]),
  );
  const [check, more] = result.collections ?? [];
  assert.equal(more, undefined);
  assert.ok(check);
  assert.equal(check.server, 'EX01');
  assert.equal(check.files, files.length);
  assert.equal(check.verified, files.length);
  assert.deepEqual([check.changed, check.missing, check.unlisted], [[], [], []]);
  assert.equal(check.notCollected.length, 1);
  assert.equal(result.warnings.filter((w) => /manifest/.test(w.message)).length, 0);
  assert.equal(folderResult.collections, undefined, 'a plain folder has no collection');
});

test('a file changed, lost or added since collection is a located warning, and the rest still scans', async () => {
  const [first, second] = files;
  assert.ok(first && second);
  const changed = Buffer.from(first.data);
  changed[changed.length - 3] = 0x58;
  const result = await scanZip(
    'tampered.zip',
    makeCollection(files, {
      replace: { [first.path]: changed },
      drop: [second.path],
      extra: [{ path: 'owa/auth/shell.aspx', data: Buffer.from('<%@ Page %>') }],
    }),
  );
  const check = result.collections?.[0];
  assert.ok(check);
  assert.deepEqual(
    check.changed.map((c) => c.path),
    [first.path],
  );
  assert.deepEqual(check.missing, [second.path]);
  assert.deepEqual(check.unlisted, ['owa/auth/shell.aspx']);
  assert.equal(check.verified, files.length - 2);
  const where = result.warnings.map((w) => w.where);
  assert.ok(where.includes(`tampered.zip!/${first.path}`));
  assert.ok(where.includes(`tampered.zip!/${second.path}`));
  assert.ok(where.includes('tampered.zip!/owa/auth/shell.aspx'));
  assert.equal(result.evidence.length, files.length + 1, 'every file in the zip is still read');
});

test('a manifest that cannot be read is a warning that names it; the files are still scanned', async () => {
  const broken = makeZip([
    ...files.slice(0, 3).map((f) => ({ name: f.path, data: f.data })),
    { name: 'manifest.json', data: '{"format": "exir-collect-manifest", "files": [' },
  ]);
  const result = await scanZip('broken.zip', broken);
  assert.equal(result.collections, undefined);
  assert.ok(result.warnings.some((w) => w.where === 'broken.zip!/manifest.json' && /not JSON/.test(w.message)));
  assert.equal(result.evidence.length, 4);
  assert.deepEqual(
    result.servers.map((s) => s.name),
    ['EX01'],
  );
});
