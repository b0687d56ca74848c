import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { openFilesUnder } from '../test-support/open-files.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createHash } from 'node:crypto';
import type { EvidenceEntry } from './bundle.js';
import { EvidenceOpener, HashingReader, peek, readSmallText } from './open.js';
import { makeZip } from './test-helpers/make-zip.js';

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

function memberEntry(archive: string, index: number, member: string, size: number): EvidenceEntry {
  return { path: `x.zip!/${member}`, location: { kind: 'zip', archive, index, member }, size, layoutServer: undefined };
}

test("an archive's members are read through one open archive, closed with the opener; a counting opener counts inflated bytes", async () => {
  const archive = join(dir, 'two.zip');
  const text = 'inflated '.repeat(1000);
  writeFileSync(
    archive,
    makeZip([
      { name: 'a.log', data: text, deflate: true },
      { name: 'b.log', data: 'second' },
    ]),
  );
  const opener = new EvidenceOpener();
  const seen: number[] = [];
  const counting = opener.counting((n) => seen.push(n));
  for (let i = 0; i < 5; i += 1) {
    assert.equal((await all(await counting.open(memberEntry(archive, 0, 'a.log', text.length)))).toString(), text);
    assert.equal((await all(await opener.open(memberEntry(archive, 1, 'b.log', 6)))).toString(), 'second');
  }
  assert.equal(
    seen.reduce((a, b) => a + b, 0),
    5 * text.length,
    'the bytes as inflated, once each',
  );
  // The file given to the counting opener is counted too, the plain opener's not.
  const file = fileEntry('counted.log', 'twelve bytes');
  await all(await counting.open(file));
  await all(await opener.open(file));
  assert.equal(
    seen.reduce((a, b) => a + b, 0),
    5 * text.length + 12,
  );
  assert.equal(await openFilesUnder(dir), 1, 'one archive open, however many members were read');
  await opener.close();
  assert.equal(await openFilesUnder(dir), 0, 'closed with the opener');
});

test('an archive that cannot be opened fails the read with its reason; closing the opener still succeeds', async () => {
  const archive = join(dir, 'not-a.zip');
  writeFileSync(archive, 'PK\x03\x04 and nothing an archive needs');
  const opener = new EvidenceOpener();
  await assert.rejects(opener.open(memberEntry(archive, 0, 'a.log', 1)), /^Error: End of central directory record signature not found/);
  await assert.rejects(opener.open(memberEntry(join(dir, 'gone.zip'), 0, 'a.log', 1)), /ENOENT/);
  await opener.close();
});

test('a file listed at exactly the one-read size is read at once', () => {
  const entry = fileEntry('edge.log', 'listed at the edge', 4 * 1024 * 1024);
  assert.equal(new EvidenceOpener().wholeBytes(entry)?.toString(), 'listed at the edge');
  assert.equal(new EvidenceOpener().wholeBytes({ ...entry, size: 4 * 1024 * 1024 + 1 }), undefined);
});

/** An iterator over `parts` that records how many times it was asked for the next chunk. */
function pulled(parts: string[]): { source: Iterator<Buffer>; pulls: () => number } {
  let pulls = 0;
  let i = 0;
  const source: Iterator<Buffer> = {
    next: () => {
      pulls += 1;
      return i < parts.length ? { done: false, value: Buffer.from(parts[i++] as string) } : { done: true, value: undefined };
    },
  };
  return { source, pulls: () => pulls };
}

test('looking at the head takes no more chunks than it needs, and an ended source is not asked again', async () => {
  // A large file must not be taken into memory to see its first bytes.
  const three = pulled(['#Fie', 'lds:', ' date\n', 'x\n']);
  const { head, rest } = await peek(three.source, 8);
  assert.equal(head.toString(), '#Fields:');
  assert.equal(three.pulls(), 2, 'the two chunks that hold the head');
  assert.equal((await all(rest)).toString(), '#Fields: date\nx\n');
  assert.equal(three.pulls(), 5, 'the rest, and the end once');
  const short = pulled(['ab']);
  const peeked = await peek(short.source, 8);
  assert.equal((await all(peeked.rest)).toString(), 'ab');
  assert.equal(short.pulls(), 2, 'a chunk and the end, not the end twice');
});

test('lent bytes are counted, and a parent and its counting openers lend from one set of buffers', () => {
  const seen: number[] = [];
  const opener = new EvidenceOpener();
  const counting = opener.counting((n) => seen.push(n));
  // Longer than Node's shared pool takes (4 KiB), so that one buffer for both is the opener's doing.
  const longText = 'a longer file, looked at first\n'.repeat(200);
  const long = fileEntry('look-long.log', longText);
  const short = fileEntry('look-short.log', 'short\n');
  const kept: Buffer[] = [];
  const look = (entry: EvidenceEntry, by: EvidenceOpener): string => {
    const lent = by.lend(entry);
    assert.ok(lent);
    kept.push(lent.bytes);
    const text = lent.bytes.toString();
    lent.release();
    return text;
  };
  assert.equal(look(long, counting), longText);
  // After a longer file, a shorter one is not shown the longer one's tail.
  assert.equal(look(short, counting), 'short\n');
  assert.deepEqual(seen, [6200, 6]);
  assert.equal(look(long, opener), longText);
  assert.equal(kept[0]?.buffer, kept[1]?.buffer);
  assert.equal(kept[1]?.buffer, kept[2]?.buffer);
});

test('lent bytes: a buffer given back is lent again, one still lent is not, and each file is read whole', () => {
  const opener = new EvidenceOpener();
  const a = fileEntry('lend-a.log', 'first file\n');
  const b = fileEntry('lend-b.log', 'second, longer file\n'.repeat(20));
  const first = opener.lend(a);
  const second = opener.lend(b);
  assert.equal(first?.bytes.toString(), 'first file\n');
  assert.equal(second?.bytes.toString(), 'second, longer file\n'.repeat(20));
  assert.notEqual(first?.bytes.buffer, second?.bytes.buffer, 'two files lent at once are in two buffers');
  first?.release();
  first?.release();
  const third = opener.lend(b);
  assert.equal(third?.bytes.buffer, first?.bytes.buffer, 'the buffer given back is lent again');
  const fourth = opener.lend(a);
  assert.notEqual(fourth?.bytes.buffer, third?.bytes.buffer, 'released twice, it was taken back once');
  assert.notEqual(fourth?.bytes.buffer, second?.bytes.buffer);
  // Listed smaller or larger than it is: what is there now is read, to the end.
  assert.equal(opener.lend({ ...b, size: 3 })?.bytes.toString(), 'second, longer file\n'.repeat(20));
  assert.equal(opener.lend({ ...b, size: 1000 })?.bytes.toString(), 'second, longer file\n'.repeat(20));
  assert.equal(opener.lend(fileEntry('lend-empty.log', ''))?.bytes.length, 0);
  assert.equal(opener.lend(fileEntry('lend-big.log', 'listed as large', 5 << 20)), undefined, 'a large file is streamed');
});

test('a file grown past its lent buffer while listed small is read whole into a buffer of its own', () => {
  const opener = new EvidenceOpener();
  const text = 'x'.repeat(300 * 1024);
  const lent = opener.lend(fileEntry('lend-grown.log', text, 10));
  assert.equal(lent?.bytes.length, text.length);
  assert.equal(lent?.bytes.toString(), text);
  // Its buffer was given back at once: the next file is lent it.
  const next = opener.lend(fileEntry('lend-after.log', 'after'));
  assert.equal(next?.bytes.toString(), 'after');
  assert.notEqual(next?.bytes.buffer, lent?.bytes.buffer);
});

test('pieces: a large file in two buffers read again in turn once lent, in fresh small ones before; the same bytes either way, counted', async () => {
  const bytes = Buffer.alloc(5 * 1024 * 1024 + 3);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) >>> 5;
  const entry = fileEntry('big.bin', bytes);
  let counted = 0;
  const opener = new EvidenceOpener().counting((n) => (counted += n));
  let lend = false;
  const copies: Buffer[] = [];
  const memory = new Set<ArrayBufferLike>();
  for await (const piece of opener.pieces(entry, () => lend)) {
    const copy = Buffer.from(piece);
    copies.push(copy);
    memory.add(piece.buffer);
    // The next piece is read meanwhile, never into this one's memory: it holds while it is worked on.
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(piece.equals(copy), `piece ${copies.length - 1} changed before the next was asked for`);
    // Lent from here on: the second piece was already being read, into its own memory; the rest
    // take two buffers in turn.
    if (copies.length === 1) lend = true;
  }
  assert.ok(copies.length >= 5);
  assert.equal(memory.size, 4);
  // The two read before the reader is known are small (new memory, which a reader may keep); the rest a MiB each.
  assert.deepEqual(
    copies.slice(0, 2).map((c) => c.length),
    [64 * 1024, 64 * 1024],
  );
  assert.ok(copies.slice(2, -1).every((c) => c.length === 1024 * 1024));
  assert.ok(Buffer.concat(copies).equals(bytes));
  assert.equal(counted, bytes.length);
  // Never lent: each piece its own memory.
  const fresh = new Set<ArrayBufferLike>();
  for await (const piece of new EvidenceOpener().pieces(entry, () => false)) fresh.add(piece.buffer);
  assert.equal(fresh.size, copies.length);
});

test('pieces: a small file comes as open gives it', async () => {
  const small = fileEntry('small.log', 'one line\n');
  assert.equal((await all(new EvidenceOpener().pieces(small, () => true))).toString(), 'one line\n');
});
