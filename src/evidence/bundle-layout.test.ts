import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { openFilesUnder } from '../test-support/open-files.js';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { enumerateEvidence } from './bundle.js';
import { makeZip } from './test-helpers/make-zip.js';

// Which server a file belongs to when its content names none, and what the listing says about the
// files it does not read: both end up in the report, the server in every finding's origin.

const execFileAsync = promisify(execFile);
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-layout-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Folders of Exchange's, IIS's, Windows' and the collectors' own layouts, as collections spell them. */
const LAYOUT = [
  'Exchange',
  'Exchange Server',
  'V15',
  'V14',
  'Logging',
  'HttpProxy',
  'inetpub',
  'logs',
  'LogFiles',
  'ECP',
  'Program Files',
  'Microsoft',
  'W3SVC1',
  'W3SVC2',
  'OABGeneratorLog',
  'CmdletInfra',
  'MessageTracking',
  'TransportRoles',
  'Windows',
  'C',
  'C$',
  'EWS',
  'OWA',
  'MAPI',
  'Autodiscover',
  'EAS',
  'RpcHttp',
  'PowerShell',
  'OAB',
  'OWACalendar',
  'System32',
  'winevt',
  'uploads',
  'auto',
  'ntfs',
  'C%3A',
  '%5C%5C.%5CC%3A',
  'D',
  'E',
  'D%3A',
  'E%3A',
  'exir',
  'IIS',
  'EventLogs',
  'config',
  'listing',
  'Server',
];

test("a bundle whose top folder is part of a server's own layout is one server, named by the archive", async () => {
  const zipPath = join(dir, 'EX05.ZIP');
  await writeFile(
    zipPath,
    makeZip([...LAYOUT.map((f) => ({ name: `${f}/x/a.log`, data: f })), { name: 'EX01/x/a.log', data: 'a server' }, { name: 'top.log', data: 'at the root' }]),
  );
  // Only the archive's own ending is dropped from its name.
  const dotted = join(dir, 'EX08.zipped.zip');
  await writeFile(dotted, makeZip([{ name: 'top.log', data: 'x' }]));
  const { entries, warnings } = await enumerateEvidence([zipPath, dotted]);
  assert.deepEqual(warnings, []);
  assert.equal(entries.at(-1)?.layoutServer, 'EX08.zipped');
  const servers = new Map(entries.map((e) => [e.path.replace(/^EX05\.ZIP!\//, ''), e.layoutServer]));
  for (const f of LAYOUT) assert.equal(servers.get(`${f}/x/a.log`), 'EX05', `${f} is not a server's name`);
  assert.equal(servers.get('EX01/x/a.log'), 'EX01', 'any other top folder is the server');
  assert.equal(servers.get('top.log'), 'EX05', 'a file at the top has no folder to name it');
});

test("in a folder: a file at the top is the bundle's, an archive in a server's folder is that server's, files in name order", async () => {
  const root = join(dir, 'case-17');
  await mkdir(join(root, 'EX03'), { recursive: true });
  await writeFile(join(root, 'notes.log'), 'top');
  await writeFile(join(root, 'EX03', 'collected.zip'), makeZip([{ name: 'Logging/a.log', data: 'in the archive' }]));
  // The system lists a folder in the order of its names' bytes; the listing is in JavaScript's string
  // order on every platform, which differs from it for a character past U+FFFF (a surrogate pair).
  const names = [...Array.from({ length: 20 }, (_, i) => `u_ex2103${String(40 - i).padStart(2, '0')}.log`), 'x-\uff01.log', 'x-\u{1f600}.log'];
  for (const n of names) await writeFile(join(root, 'EX03', n), n);
  // A trailing separator is not part of the bundle's name.
  const { entries, warnings } = await enumerateEvidence([`${root}//`]);
  assert.deepEqual(warnings, []);
  assert.deepEqual(
    entries.map((e) => [e.path, e.layoutServer]),
    [['case-17/EX03/collected.zip!/Logging/a.log', 'EX03'], ...[...names].sort().map((n) => [`case-17/EX03/${n}`, 'EX03']), ['case-17/notes.log', 'case-17']],
  );
  assert.deepEqual(entries[0]?.location, { kind: 'zip', archive: join(root, 'EX03', 'collected.zip'), member: 'Logging/a.log', index: 0 });
});

test('only a file that starts as a zip and is not named as a log is opened as one; a bad one is a located warning', async () => {
  const root = join(dir, 'sniffed');
  await mkdir(root);
  const zip = makeZip([{ name: 'a.log', data: 'x' }]);
  // Named as a log: read as a file whatever its first bytes.
  await writeFile(join(root, 'A.LOG'), zip);
  await writeFile(join(root, 'b.evtx'), zip);
  // A log's archive is an archive.
  await writeFile(join(root, 'f.log.zip'), zip);
  // Too short to be an archive, or not starting as one.
  await writeFile(join(root, 'c.dat'), 'PK');
  await writeFile(join(root, 'd.dat'), 'PK\x05\x06 not a zip');
  // Exactly the four bytes that start an archive, and no archive after them.
  await writeFile(join(root, 'e.dat'), 'PK\x03\x04');
  const { entries, warnings } = await enumerateEvidence([root]);
  assert.deepEqual(
    entries.map((e) => [e.path, e.location.kind, e.size]),
    [
      ['sniffed/A.LOG', 'file', zip.length],
      ['sniffed/b.evtx', 'file', zip.length],
      ['sniffed/c.dat', 'file', 2],
      ['sniffed/d.dat', 'file', 14],
      ['sniffed/f.log.zip!/a.log', 'zip', 1],
    ],
  );
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]?.where, 'sniffed/e.dat');
  assert.match(warnings[0]?.message ?? '', /^archive refused: \S/);
});

test('a log given by itself belongs to the nearest folder above it that is not part of the layout', async () => {
  const folder = join(dir, 'EX09', 'inetpub', 'logs', 'LogFiles', 'W3SVC1');
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'u_ex210303.log'), '#Fields: date time\n');
  await writeFile(join(folder, 'PK.bin'), 'PK');
  const { entries, warnings } = await enumerateEvidence([join(folder, 'u_ex210303.log'), join(folder, 'PK.bin')]);
  assert.deepEqual(warnings, []);
  assert.deepEqual(entries, [
    { path: 'u_ex210303.log', location: { kind: 'file', file: join(folder, 'u_ex210303.log') }, size: 19, layoutServer: 'EX09' },
    { path: 'PK.bin', location: { kind: 'file', file: join(folder, 'PK.bin') }, size: 2, layoutServer: 'EX09' },
  ]);
});

test('what is not a file or folder is refused: given, a clear error; inside a folder, a located warning', async () => {
  await assert.rejects(enumerateEvidence(['/dev/null']), /^Error: \/dev\/null is neither a file nor a folder$/);
  const root = join(dir, 'special');
  await mkdir(root);
  await execFileAsync('mkfifo', [join(root, 'pipe')]);
  await writeFile(join(root, 'z.log'), 'z');
  const { entries, warnings } = await enumerateEvidence([root]);
  assert.deepEqual(
    entries.map((e) => e.path),
    ['special/z.log'],
  );
  assert.deepEqual(warnings, [{ where: 'special/pipe', message: 'not a regular file; not read' }]);
});

test("an archive's refused and nested entries are warnings located at the entry, its name escaped", async () => {
  const zipPath = join(dir, 'outer.zip');
  await writeFile(
    zipPath,
    makeZip([
      { name: 'EX01/a.log\0.txt', data: 'x' },
      { name: 'EX01/inner.ZIP', data: 'PK\x03\x04' },
      { name: 'EX01/notes.zip.txt', data: 'text' },
      { name: 'EX01/b.log', data: 'b' },
    ]),
  );
  const { entries, warnings } = await enumerateEvidence([zipPath]);
  assert.deepEqual(
    entries.map((e) => e.path),
    ['outer.zip!/EX01/inner.ZIP', 'outer.zip!/EX01/notes.zip.txt', 'outer.zip!/EX01/b.log'],
  );
  assert.deepEqual(warnings, [
    { where: 'outer.zip!/EX01/a.log\\u0000.txt', message: 'entry refused: name holds a NUL byte' },
    { where: 'outer.zip!/EX01/inner.ZIP', message: 'archive inside an archive is not opened; extract the outer archive and scan again' },
  ]);
});

test('listing leaves no file open', async () => {
  const root = join(dir, 'fds');
  await mkdir(root);
  await writeFile(join(root, 'a.zip'), makeZip([{ name: 'a.log', data: 'x' }]));
  await writeFile(join(root, 'b.dat'), 'not an archive');
  for (let i = 0; i < 10; i += 1) await enumerateEvidence([root, join(root, 'b.dat')]);
  assert.equal(await openFilesUnder(root), 0);
});

test('a file whose whole path is too long to open is a located warning; the rest of its folder is listed', async () => {
  const root = join(dir, 'edge');
  await mkdir(root);
  // Folders just short of the longest path the system takes, then a file whose name takes it past.
  const start = process.cwd();
  let depth = root.length;
  try {
    process.chdir(root);
    while (depth < 3800) {
      const step = 'd'.repeat(Math.min(200, 3850 - depth));
      await mkdir(step);
      process.chdir(step);
      depth += step.length + 1;
    }
    await writeFile('f'.repeat(250), 'far');
    await writeFile('a.log', 'near');
  } finally {
    process.chdir(start);
  }
  try {
    const { entries, warnings } = await enumerateEvidence([root]);
    assert.deepEqual(
      entries.map((e) => e.path.split('/').at(-1)),
      ['a.log'],
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.where ?? '', new RegExp(`^edge/(d+/)+f{250}$`));
    assert.equal(warnings[0]?.message, 'file not read (ENAMETOOLONG); not in this scan');
  } finally {
    await execFileAsync('rm', ['-rf', root]);
  }
});
