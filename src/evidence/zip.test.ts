import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { makeZip } from './test-helpers/make-zip.js';
import { listZip, ZipReader } from './zip.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-zip-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function drain(stream: Readable): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    stream.on('end', () => resolve(bytes));
    stream.on('error', reject);
  });
}

test('a member left part-read while others are read does not take the process down', async () => {
  // Big stored members: each takes several reads, so one member's read waits behind another's
  // when the first is dropped. yauzl's own reader then read from a stream it had cleared and threw.
  const big = Buffer.alloc(6 * 1024 * 1024, 'a');
  const zipPath = join(dir, 'big.zip');
  await writeFile(
    zipPath,
    makeZip([
      { name: 'a.log', data: big },
      { name: 'b.log', data: big },
      { name: 'c.log', data: big },
    ]),
  );
  const zip = await ZipReader.open(zipPath);
  try {
    for (let round = 0; round < 5; round += 1) {
      const dropped = await zip.stream(0, 'a.log');
      const whole = [drain(await zip.stream(1, 'b.log')), drain(await zip.stream(2, 'c.log'))];
      // Dropped once its next read has been asked for, as a reader that stops early does.
      await new Promise<void>((resolve) =>
        dropped.once('data', () =>
          setImmediate(() => {
            dropped.destroy();
            resolve();
          }),
        ),
      );
      assert.deepEqual(await Promise.all(whole), [big.length, big.length]);
    }
  } finally {
    zip.close();
  }
});

test('members with the same name are each read as themselves', async () => {
  const zipPath = join(dir, 'twice.zip');
  await writeFile(
    zipPath,
    makeZip([
      { name: 'x.log', data: 'first' },
      { name: 'x.log', data: 'second' },
    ]),
  );
  const listing = await listZip(zipPath);
  assert.deepEqual(
    listing.members.map((m) => [m.name, m.index]),
    [
      ['x.log', 0],
      ['x.log', 1],
    ],
  );
  const zip = await ZipReader.open(zipPath);
  try {
    const texts = [];
    for (const m of listing.members) {
      const parts: Buffer[] = [];
      for await (const chunk of await zip.stream(m.index, m.name)) parts.push(chunk as Buffer);
      texts.push(Buffer.concat(parts).toString());
    }
    assert.deepEqual(texts, ['first', 'second']);
  } finally {
    zip.close();
  }
});

test('by default an archive that says it expands past 8 GiB is refused, with its size and how to allow it', async () => {
  const zipPath = join(dir, 'huge.zip');
  await writeFile(
    zipPath,
    makeZip([
      { name: 'a.log', data: 'x', claimSize: 4_000_000_000, deflate: true },
      { name: 'b.log', data: 'x', claimSize: 4_000_000_000, deflate: true },
      { name: 'c.log', data: 'x', claimSize: 2_000_000_000, deflate: true },
    ]),
  );
  await assert.rejects(listZip(zipPath), /it says it holds 9\.3 GiB, over the 8 GiB .*--max-expand-gb N raises it/);
});

test('a name with a NUL byte, a parent step or an absolute path is refused with its reason; folders are not members; the rest is listed', async () => {
  const zipPath = join(dir, 'names.zip');
  await writeFile(
    zipPath,
    makeZip([
      { name: 'EX01/', data: '' },
      { name: 'EX01/a.log\0.txt', data: 'x' },
      { name: 'EX01/../../evil', data: 'x' },
      { name: '/etc/evil', data: 'x' },
      { name: 'EX01/x:y.log', data: 'colon' },
      { name: 'EX01/b.log', data: 'fine' },
    ]),
  );
  const listing = await listZip(zipPath);
  // A colon past the first character is an ordinary name, not a drive.
  assert.deepEqual(
    listing.members.map((m) => [m.name, m.index, m.size]),
    [
      ['EX01/x:y.log', 4, 5],
      ['EX01/b.log', 5, 4],
    ],
  );
  assert.deepEqual(listing.refused, [
    { name: 'EX01/a.log\0.txt', reason: 'name holds a NUL byte' },
    { name: 'EX01/../../evil', reason: 'invalid relative path: EX01/../../evil' },
    { name: '/etc/evil', reason: 'absolute path: /etc/evil' },
  ]);
  // The reader keeps to the same names: a refused entry cannot be streamed, nor a member by another's name.
  const zip = await ZipReader.open(zipPath);
  try {
    await assert.rejects(zip.stream(1, 'EX01/a.log\0.txt'), /no member "EX01\/a.log\\u0000.txt" at entry 2 of the archive/);
    await assert.rejects(zip.stream(5, 'EX01/x:y.log'), /no member "EX01\/x:y.log" at entry 6/);
    const parts: Buffer[] = [];
    for await (const chunk of await zip.stream(5, 'EX01/b.log')) parts.push(chunk as Buffer);
    assert.equal(Buffer.concat(parts).toString(), 'fine');
  } finally {
    zip.close();
  }
});

test('the limits hold at their value and refuse one past it', async () => {
  const three = join(dir, 'three.zip');
  await writeFile(
    three,
    makeZip([
      { name: 'a.log', data: 'aaaa' },
      { name: 'b.log', data: 'bbbb' },
      { name: 'c.log', data: 'cc' },
    ]),
  );
  assert.equal((await listZip(three, { maxEntries: 3, maxExpandedBytes: 10 })).members.length, 3, 'exactly at both limits');
  await assert.rejects(listZip(three, { maxEntries: 2, maxExpandedBytes: 10 }), /^Error: 3 entries, more than the limit of 2$/);
  await assert.rejects(listZip(three, { maxEntries: 3, maxExpandedBytes: 9 }), /expands past the limit of 9 bytes: it says it holds 0\.0 GiB/);
});

test("a name written with Windows' backslashes is read as a path; a drive letter is refused as absolute", async () => {
  const zipPath = join(dir, 'windows.zip');
  await writeFile(
    zipPath,
    makeZip([
      { name: 'EX01\\Logging\\a.log', data: 'a' },
      { name: '..\\..\\evil', data: 'x' },
      { name: 'c:evil', data: 'x' },
    ]),
  );
  const listing = await listZip(zipPath);
  assert.deepEqual(
    listing.members.map((m) => m.name),
    ['EX01/Logging/a.log'],
  );
  assert.deepEqual(listing.refused, [
    { name: '../../evil', reason: 'invalid relative path: ../../evil' },
    { name: 'c:evil', reason: 'absolute path: c:evil' },
  ]);
});

/** Open descriptors of this process, once the closes under way have landed. */
async function openFds(): Promise<number> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  return readdirSync('/proc/self/fd').length;
}

test('listing and reading an archive leave no file open, nor does failing to read one', async () => {
  const good = join(dir, 'fds.zip');
  const bytes = makeZip([
    { name: 'a.log', data: 'x' },
    { name: 'b.log', data: 'y' },
  ]);
  await writeFile(good, bytes);
  // The second entry's central directory header damaged: the listing fails part-way.
  const damaged = join(dir, 'damaged.zip');
  const cut = Buffer.from(bytes);
  cut.writeUInt32LE(0, 2 * (30 + 5 + 1) + 46 + 5);
  await writeFile(damaged, cut);
  const before = await openFds();
  for (let i = 0; i < 20; i += 1) {
    await listZip(good);
    (await ZipReader.open(good)).close();
    await assert.rejects(listZip(damaged), /central directory file header signature/);
    await assert.rejects(ZipReader.open(damaged), /central directory file header signature/);
  }
  assert.equal(await openFds(), before);
});

test("a member whose own header is damaged fails when opened, with yauzl's reason", async () => {
  const zipPath = join(dir, 'local.zip');
  const bytes = makeZip([{ name: 'a.log', data: 'x' }]);
  bytes.writeUInt32LE(0, 0);
  await writeFile(zipPath, bytes);
  const zip = await ZipReader.open(zipPath);
  try {
    await assert.rejects(zip.stream(0, 'a.log'), /invalid local file header signature/);
  } finally {
    zip.close();
  }
});
