import assert from 'node:assert/strict';
import { closeSync, readdirSync, readlinkSync } from 'node:fs';
import { openFilesUnder } from '../test-support/open-files.js';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import type yauzl from 'yauzl';
import { makeZip } from './test-helpers/make-zip.js';
import { openZipFile } from './zip-file-reader.js';
import { listZip, ZipReader } from './zip.js';

// The byte reader under yauzl: how an archive that is not one, is gone, or shrinks while read fails.

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-zip-reader-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Open descriptors of this process, once the closes under way have landed. */

test('a file that is not an archive, or is not there, is refused with the reason and leaves nothing open', async () => {
  const notZip = join(dir, 'not.zip');
  await writeFile(notZip, 'PK\x03\x04 and no central directory');
  assert.equal(await openFilesUnder(dir), 0);
  for (let i = 0; i < 10; i += 1) {
    await assert.rejects(listZip(notZip), /^Error: End of central directory record signature not found/);
    await assert.rejects(ZipReader.open(join(dir, 'missing.zip')), /ENOENT/);
  }
  assert.equal(await openFilesUnder(dir), 0);
});

test('an archive cut short after it was opened fails the member being read, saying where it ends', async () => {
  const zipPath = join(dir, 'cut.zip');
  const data = Buffer.alloc(3 * 1024 * 1024, 'x');
  await writeFile(zipPath, makeZip([{ name: 'a.log', data }]));
  const zip = await ZipReader.open(zipPath);
  try {
    // Cut inside the member's data, past its first read: the central directory was already read.
    const cutAt = 30 + 'a.log'.length + 1024 * 1024 + 10;
    await truncate(zipPath, cutAt);
    const stream = await zip.stream(0, 'a.log');
    let got = 0;
    await assert.rejects(
      (async () => {
        for await (const chunk of stream) got += (chunk as Buffer).length;
      })(),
      new RegExp(`^Error: archive ends at byte ${cutAt}, before the member does$`),
    );
    assert.equal(got, cutAt - 30 - 'a.log'.length, 'every byte there was is given before the error');
  } finally {
    zip.close();
  }
});

test('closing the archive closes its file and says so', async () => {
  const zipPath = join(dir, 'close.zip');
  await writeFile(zipPath, makeZip([{ name: 'a.log', data: 'x' }]));
  const before = await openFilesUnder(dir);
  const zip = await openZipFile(zipPath, { lazyEntries: true, autoClose: false });
  assert.equal(await openFilesUnder(dir), before + 1);
  const closed = new Promise<void>((resolve, reject) => {
    zip.once('close', resolve);
    zip.once('error', reject);
  });
  zip.close();
  await closed;
  assert.equal(await openFilesUnder(dir), before);
});

test("a read that fails, as on failing media, fails the member with the system's reason", async () => {
  const zipPath = join(dir, 'failing.zip');
  await writeFile(zipPath, makeZip([{ name: 'a.log', data: Buffer.alloc(3 * 1024 * 1024, 'x') }]));
  const zip = await openZipFile(zipPath, { lazyEntries: true, autoClose: false });
  const entry = await new Promise<yauzl.Entry>((resolve, reject) => {
    zip.once('entry', resolve);
    zip.once('error', reject);
    zip.readEntry();
  });
  const stream = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
  // The archive's descriptor closed under the reader: its next read fails, as a damaged disk's would.
  // Not closed again after, so the archive is left unclosed.
  const fd = readdirSync('/proc/self/fd').find((f) => {
    try {
      return readlinkSync(`/proc/self/fd/${f}`) === zipPath;
    } catch {
      return false;
    }
  });
  assert.ok(fd, 'the archive is open');
  closeSync(Number(fd));
  await assert.rejects(
    (async () => {
      for await (const chunk of stream) assert.ok((chunk as Buffer).length > 0);
    })(),
    /EBADF/,
  );
});
