import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createHash } from 'node:crypto';
import type { EvidenceEntry } from './bundle.js';
import { EvidenceOpener, HashingReader, peek, readSmallText } from './open.js';

const dir = mkdtempSync(join(tmpdir(), 'exir-open-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fileEntry(name: string, content: Buffer | string, listedSize = Buffer.byteLength(content)): EvidenceEntry {
  const file = join(dir, name);
  writeFileSync(file, content);
  return { path: `in/${name}`, location: { kind: 'file', file }, size: listedSize, layoutServer: undefined };
}

async function all(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of stream) out.push(c as Buffer);
  return Buffer.concat(out);
}

async function* chunks(parts: string[]): AsyncGenerator<Buffer> {
  for (const p of parts) {
    await Promise.resolve();
    yield Buffer.from(p);
  }
}

test('a file is read as it is now, to its end, whatever size it was listed with (logs grow while collected)', async () => {
  const opener = new EvidenceOpener();
  const grown = fileEntry('grown.log', 'line one\nline two\n', 9);
  assert.equal((await all(await opener.open(grown))).toString(), 'line one\nline two\n');
  const shrunk = fileEntry('shrunk.log', 'short\n', 4096);
  assert.equal((await all(await opener.open(shrunk))).toString(), 'short\n');
  // Past the one-read size it is streamed, with the same bytes.
  const big = Buffer.alloc(4 * 1024 * 1024 + 1, 0x41);
  assert.deepEqual(await all(await opener.open(fileEntry('big.log', big))), big);
  await opener.close();
});

test('a small text file past its limit is refused as it is read, not by the size it was listed with', async () => {
  const opener = new EvidenceOpener();
  const lying = fileEntry('manifest.json', '{"a":"' + 'x'.repeat(2 * 1024 * 1024) + '"}', 10);
  await assert.rejects(readSmallText(opener, lying, 1024 * 1024), /larger than 1 MiB/);
  assert.equal(await readSmallText(opener, fileEntry('ok.json', '{"é":1}'), 8), '{"é":1}', 'exactly the limit is read');
  await opener.close();
});

test('the first bytes are looked at without losing any: the head spans chunks, and the rest replays them', async () => {
  const { head, rest } = await peek(chunks(['#Fi', 'elds: ', 'date\n', 'x\n'])[Symbol.asyncIterator](), 8);
  assert.equal(head.toString(), '#Fields:');
  assert.equal((await all(rest)).toString(), '#Fields: date\nx\n');
  const one = await peek(chunks(['#Fields: date\n', 'x\n'])[Symbol.asyncIterator](), 8);
  assert.equal(one.head.toString(), '#Fields:');
  assert.equal((await all(one.rest)).toString(), '#Fields: date\nx\n');
  const short = await peek(chunks(['ab'])[Symbol.asyncIterator](), 8);
  assert.equal(short.head.toString(), 'ab');
  assert.equal((await all(short.rest)).toString(), 'ab');
  const empty = await peek(chunks([])[Symbol.asyncIterator](), 8);
  assert.equal(empty.head.length, 0);
  assert.equal((await all(empty.rest)).length, 0);
});

test('the hash and byte count are of every byte passed on', async () => {
  const seen: number[] = [];
  const reader = new HashingReader(await new EvidenceOpener().open(fileEntry('h.log', 'abc')), (n) => seen.push(n));
  assert.equal((await all(reader.chunks())).toString(), 'abc');
  assert.equal(reader.bytes, 3);
  assert.deepEqual(seen, [3]);
  assert.equal(reader.digest(), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('a file read in one chunk or in many has the same hash', async () => {
  const text = 'one chunk or many: the same bytes, the same hash\n'.repeat(50);
  const once = new HashingReader([Buffer.from(text)]);
  await all(once.chunks());
  const pieces: Buffer[] = [];
  for (let i = 0; i < text.length; i += 97) pieces.push(Buffer.from(text.slice(i, i + 97)));
  const many = new HashingReader(chunks(pieces.map((p) => p.toString())));
  await all(many.chunks());
  assert.equal(once.digest(), createHash('sha256').update(text).digest('hex'));
  assert.equal(many.digest(), once.digest());
  const none = new HashingReader([]);
  await all(none.chunks());
  assert.equal(none.digest(), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('a small file is given whole in one read and counted; a zip member is not', () => {
  const seen: number[] = [];
  const entry = fileEntry('whole.log', 'line one\nline two\n');
  assert.equal(
    new EvidenceOpener()
      .counting((n) => seen.push(n))
      .wholeBytes(entry)
      ?.toString(),
    'line one\nline two\n',
  );
  assert.deepEqual(seen, [18]);
  // Grown since it was listed: what is there now is read.
  assert.equal(new EvidenceOpener().wholeBytes({ ...entry, size: 4 })?.length, 18);
  const member: EvidenceEntry = {
    path: 'z/m.log',
    location: { kind: 'zip', archive: join(dir, 'none.zip'), index: 0, member: 'm.log' },
    size: 10,
    layoutServer: undefined,
  };
  assert.equal(new EvidenceOpener().wholeBytes(member), undefined);
  assert.equal(new EvidenceOpener().wholeBytes(fileEntry('big.log', 'listed as large', 5 << 20)), undefined, 'a large file is streamed');
  assert.throws(() => new EvidenceOpener().wholeBytes({ ...entry, location: { kind: 'file', file: join(dir, 'missing.log') } }), /ENOENT/);
});

test('lookAt shows each small file its own bytes in the one reused buffer, and counts them', () => {
  const seen: number[] = [];
  const opener = new EvidenceOpener();
  const counting = opener.counting((n) => seen.push(n));
  // Longer than Node's shared pool takes (4 KiB), so that one buffer for both is the opener's doing.
  const longText = 'a longer file, looked at first\n'.repeat(200);
  const long = fileEntry('look-long.log', longText);
  const short = fileEntry('look-short.log', 'short\n');
  const kept: Buffer[] = [];
  const look = (bytes: Buffer): string => {
    kept.push(bytes);
    return bytes.toString();
  };
  assert.deepEqual(counting.lookAt(long, look), { value: longText });
  // After a longer file, a shorter one is not shown the longer one's tail.
  assert.deepEqual(counting.lookAt(short, look), { value: 'short\n' });
  assert.deepEqual(seen, [6200, 6]);
  // The parent and its counting openers share the buffer: it is made once, not per file.
  assert.deepEqual(opener.lookAt(long, look), { value: longText });
  assert.equal(kept[0]?.buffer, kept[1]?.buffer);
  assert.equal(kept[1]?.buffer, kept[2]?.buffer);
  // Grown since it was listed: what is there now is shown.
  assert.equal(opener.lookAt({ ...long, size: 4 }, (b) => b.length)?.value, 6200);
  assert.equal(opener.lookAt(fileEntry('look-big.log', 'listed as large', 5 << 20), look), undefined, 'a large file is streamed');
});
