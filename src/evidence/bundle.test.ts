import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { enumerateEvidence } from './bundle.js';
import { EvidenceOpener, HashingReader } from './open.js';
import { makeZip } from './test-helpers/make-zip.js';

const execFileAsync = promisify(execFile);
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-bundle-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(
  entryPath: string,
  opener: EvidenceOpener,
  entries: Awaited<ReturnType<typeof enumerateEvidence>>['entries'],
): Promise<{ text: string; sha: string }> {
  const entry = entries.find((e) => e.path === entryPath);
  assert.ok(entry, `entry ${entryPath} listed`);
  const reader = new HashingReader(await opener.open(entry));
  const parts: Buffer[] = [];
  for await (const chunk of reader.chunks()) parts.push(chunk);
  return { text: Buffer.concat(parts).toString('utf8'), sha: reader.digest() };
}

test('folders are walked, each file named by its place and given the server its top folder suggests', async () => {
  const root = join(dir, 'bundle');
  await mkdir(join(root, 'EX01', 'Logging', 'HttpProxy'), { recursive: true });
  await mkdir(join(root, 'EX02'), { recursive: true });
  await writeFile(join(root, 'EX01', 'Logging', 'HttpProxy', 'a.LOG'), 'one');
  await writeFile(join(root, 'EX02', 'u_ex210303.log'), 'two');
  await symlink('/etc/passwd', join(root, 'EX02', 'link'));
  const { entries, warnings } = await enumerateEvidence([root]);
  assert.deepEqual(
    entries.map((e) => [e.path, e.layoutServer, e.size]),
    [
      ['bundle/EX01/Logging/HttpProxy/a.LOG', 'EX01', 3],
      ['bundle/EX02/u_ex210303.log', 'EX02', 3],
    ],
  );
  assert.deepEqual(warnings, [{ where: 'bundle/EX02/link', message: 'symbolic link not followed' }]);
});

test('the listing is told its bytes and files so far as each file is added, folders and archives alike', async () => {
  const root = join(dir, 'watched');
  await mkdir(join(root, 'EX01'), { recursive: true });
  await writeFile(join(root, 'EX01', 'a.log'), 'x'.repeat(10));
  await writeFile(join(root, 'EX01', 'b.log'), 'y'.repeat(20));
  await writeFile(join(root, 'c.zip'), makeZip([{ name: 'd.log', data: Buffer.from('z'.repeat(5)) }]));
  const seen: [number, number][] = [];
  const { entries } = await enumerateEvidence([root], undefined, (bytes, files) => seen.push([bytes, files]));
  // Told once per file, in the order listed, each time with the running totals.
  let bytes = 0;
  assert.deepEqual(
    seen,
    entries.map((e, i) => [(bytes += e.size), i + 1]),
  );
  assert.deepEqual(seen.at(-1), [35, 3]);
});

test('a server folder given directly is one server, named by the folder', async () => {
  const root = join(dir, 'MAIL01');
  await mkdir(join(root, 'Logging', 'ECP', 'Server'), { recursive: true });
  await writeFile(join(root, 'Logging', 'ECP', 'Server', 'ECPServer20210303-1.LOG'), 'x');
  const { entries } = await enumerateEvidence([root]);
  assert.equal(entries[0]?.layoutServer, 'MAIL01');
});

test('a .zip is read in place, its members streamed and hashed', async () => {
  const zipPath = join(dir, 'triage.zip');
  await writeFile(
    zipPath,
    makeZip([
      { name: 'EX01/logs/a.log', data: 'hello zip' },
      { name: 'EX01/logs/b.log', data: 'second' },
    ]),
  );
  const { entries, warnings } = await enumerateEvidence([zipPath]);
  assert.deepEqual(warnings, []);
  assert.deepEqual(
    entries.map((e) => [e.path, e.layoutServer]),
    [
      ['triage.zip!/EX01/logs/a.log', 'EX01'],
      ['triage.zip!/EX01/logs/b.log', 'EX01'],
    ],
  );
  const opener = new EvidenceOpener();
  try {
    const { text, sha } = await readAll('triage.zip!/EX01/logs/a.log', opener, entries);
    assert.equal(text, 'hello zip');
    assert.equal(sha, createHash('sha256').update('hello zip').digest('hex'));
  } finally {
    await opener.close();
  }
});

test('zip entries with absolute or parent paths are refused by name, the rest still read', async () => {
  const zipPath = join(dir, 'hostile.zip');
  await writeFile(
    zipPath,
    makeZip([
      { name: '../../etc/cron.d/evil', data: 'x' },
      { name: '/abs/evil', data: 'x' },
      { name: 'C:/Windows/evil', data: 'x' },
      { name: 'ok/fine.log', data: 'fine' },
    ]),
  );
  const { entries, warnings } = await enumerateEvidence([zipPath]);
  assert.deepEqual(
    entries.map((e) => e.path),
    ['hostile.zip!/ok/fine.log'],
  );
  assert.equal(warnings.length, 3);
  for (const w of warnings) assert.match(w.message, /^entry refused: /);
  assert.ok(warnings.some((w) => w.where?.includes('../../etc/cron.d/evil')));
});

test('an archive that claims to expand past the limit is refused before anything is read', async () => {
  const zipPath = join(dir, 'bomb.zip');
  await writeFile(zipPath, makeZip([{ name: 'a.log', data: 'x'.repeat(1000), claimSize: 4_000_000_000, deflate: true }]));
  const { entries, warnings } = await enumerateEvidence([zipPath], { maxExpandedBytes: 1024 ** 3, maxEntries: 10 });
  assert.equal(entries.length, 0);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]?.message ?? '', /archive refused: expands past the limit/);
});

test('a member that lies about its size fails when read, with a message', async () => {
  const zipPath = join(dir, 'liar.zip');
  await writeFile(zipPath, makeZip([{ name: 'a.log', data: 'more bytes than claimed', claimSize: 3, deflate: true }]));
  const { entries } = await enumerateEvidence([zipPath]);
  const opener = new EvidenceOpener();
  try {
    await assert.rejects(readAll('liar.zip!/a.log', opener, entries), /size|too many bytes|expected/i);
  } finally {
    await opener.close();
  }
});

test('members sharing a name are each listed and read as themselves, the later ones by entry number', async () => {
  const zipPath = join(dir, 'twice.zip');
  await writeFile(
    zipPath,
    makeZip([
      { name: 'EX01/a.log', data: 'first' },
      { name: 'EX01/a.log', data: 'second' },
    ]),
  );
  const { entries, warnings } = await enumerateEvidence([zipPath]);
  assert.deepEqual(
    entries.map((e) => e.path),
    ['twice.zip!/EX01/a.log', 'twice.zip!/EX01/a.log [entry 2]'],
  );
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]?.message ?? '', /more than one entry named "EX01\/a.log"/);
  const opener = new EvidenceOpener();
  try {
    const first = await readAll('twice.zip!/EX01/a.log', opener, entries);
    const second = await readAll('twice.zip!/EX01/a.log [entry 2]', opener, entries);
    assert.deepEqual([first.text, second.text], ['first', 'second']);
    assert.equal(first.sha, createHash('sha256').update('first').digest('hex'));
  } finally {
    await opener.close();
  }
});

test('a missing input is a clear error', async () => {
  await assert.rejects(enumerateEvidence([join(dir, 'nope')]), /cannot read .*nope: ENOENT/);
});

test('a folder past the longest path the system takes is a located warning; the rest is still listed', async () => {
  const root = join(dir, 'long');
  await mkdir(join(root, 'EX01'), { recursive: true });
  await writeFile(join(root, 'EX01', 'a.log'), 'one');
  // Built a step at a time from inside, as no single call may name a path this long.
  const start = process.cwd();
  try {
    process.chdir(join(root, 'EX01'));
    for (let depth = 0; depth < 24; depth += 1) {
      await mkdir('d'.repeat(200));
      process.chdir('d'.repeat(200));
    }
    await writeFile('deep.log', 'deep');
  } finally {
    process.chdir(start);
  }
  try {
    const { entries, warnings } = await enumerateEvidence([root]);
    assert.deepEqual(
      entries.map((e) => e.path),
      ['long/EX01/a.log'],
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.message ?? '', /^folder not read \(ENAMETOOLONG\)/);
    assert.match(warnings[0]?.where ?? '', /^long\/EX01\/d{200}\//);
  } finally {
    // Node's own removal names the whole path too; rm(1) works down from inside.
    await execFileAsync('rm', ['-rf', root]);
  }
});

test('a folder of more files than the process may hold open is listed whole', async () => {
  const root = join(dir, 'many');
  await mkdir(root);
  for (let i = 0; i < 600; i += 1) await writeFile(join(root, `collected-${i}.dat`), 'PK\x05\x06 not a zip');
  // A child with a low limit on open files lists the folder: every file is looked at to see if it
  // is a zip, and all at once that took more handles than the limit.
  const script = `import { enumerateEvidence } from ${JSON.stringify(join(import.meta.dirname, 'bundle.ts'))};
    const { entries, warnings } = await enumerateEvidence([${JSON.stringify(root)}]);
    console.log(JSON.stringify([entries.length, warnings.length]));`;
  const { stdout } = await execFileAsync('sh', [
    '-c',
    `ulimit -n 200 && exec "${process.execPath}" --import tsx --input-type=module -e '${script.replaceAll("'", "'\\''")}'`,
  ]);
  assert.deepEqual(JSON.parse(stdout.trim()), [600, 0]);
});
