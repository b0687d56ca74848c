import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { lineAt, Utf8Check } from './utf8-check.js';

async function check(data: Buffer, size: number): Promise<Utf8Check> {
  const utf8 = new Utf8Check();
  async function* chunks(): AsyncIterable<Buffer> {
    for (let i = 0; i < data.length; i += size) yield await Promise.resolve(Buffer.from(data.subarray(i, i + size)));
  }
  let passed = 0;
  for await (const chunk of utf8.through(chunks())) passed += chunk.length;
  assert.equal(passed, data.length, 'every byte passes on, unchanged in number');
  return utf8;
}

test('valid text split anywhere is clean; each invalid byte is counted and the first located', async () => {
  const clean = Buffer.from('line one: ä € 😀 Ω\nline two: 漢字\n', 'utf8');
  for (const size of [1, 2, 3, 5, 64]) {
    const c = await check(clean, size);
    assert.equal(c.invalid, 0, `clean in chunks of ${size}`);
    assert.equal(c.firstAt, undefined);
  }
  // A Latin-1 é (0xE9) before a space, a lone continuation byte, an overlong '/', a surrogate, and a cut € at the end.
  const bad = Buffer.concat([
    Buffer.from('ok ä\nGET /caf'),
    Buffer.from([0xe9]),
    Buffer.from(' x '),
    Buffer.from([0x80]),
    Buffer.from([0xc0, 0xaf]),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from('\n€'),
    Buffer.from([0xe2, 0x82]),
  ]);
  const firstAt = Buffer.byteLength('ok ä\nGET /caf');
  for (const size of [1, 2, 3, 4, 7, 1024]) {
    const c = await check(bad, size);
    assert.equal(c.invalid, 1 + 1 + 2 + 3 + 2, `chunks of ${size}`);
    assert.equal(c.firstAt, firstAt, `chunks of ${size}`);
  }
  assert.equal(await lineAt(Readable.from([bad.subarray(0, 3), bad.subarray(3)]), firstAt), 2);
  assert.equal(await lineAt(Readable.from([bad]), 0), 1);
});

// Each case followed by a byte that is never UTF-8 (0xFF), so the chunk fails the runtime's check and
// is walked byte by byte: the walk must accept exactly the valid sequences at the edges of each range.
const EDGES: [string, number[], number][] = [
  ['the last ASCII byte', [0x7f], 0],
  ['an overlong lead', [0xc1, 0xbf], 2],
  ['the first and last two-byte leads', [0xc2, 0x80, 0xdf, 0xbf], 0],
  ['a two-byte lead and a byte past the continuation range', [0xc2, 0xc0], 2],
  ['U+0800, the first three-byte character', [0xe0, 0xa0, 0x80], 0],
  ['an overlong three-byte form', [0xe0, 0x9f, 0xbf], 3],
  ['U+D7FF, the last before the surrogates', [0xed, 0x9f, 0xbf], 0],
  ['a surrogate', [0xed, 0xa0, 0x80], 3],
  ['U+FFFF', [0xef, 0xbf, 0xbf], 0],
  ['an ordinary three-byte lead with the widest second byte', [0xe1, 0xbf, 0x80], 0],
  ['a third byte that does not continue', [0xe1, 0x80, 0x41], 2],
  ['U+10000, the first four-byte character', [0xf0, 0x90, 0x80, 0x80], 0],
  ['an overlong four-byte form', [0xf0, 0x8f, 0xbf, 0xbf], 4],
  ['U+10FFFF, the last character', [0xf4, 0x8f, 0xbf, 0xbf], 0],
  ['past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 4],
  ['a lead past 0xF4', [0xf5, 0x80, 0x80, 0x80], 4],
  ['continuation bytes with no lead', [0x80, 0x80, 0x80, 0x80], 4],
  ['an overlong lead before continuation bytes', [0xc0, 0x80, 0x80, 0x80], 4],
  ['a fourth byte that does not continue', [0xf1, 0x80, 0x80, 0x41], 3],
  ['a four-byte sequence cut before a space', [0xf1, 0x80, 0x80, 0x20], 3],
];

test('the walk accepts exactly the valid sequences at the edges of every range, in chunks of any size', async () => {
  for (const [what, bytes, invalid] of EDGES) {
    const data = Buffer.from([0x61, ...bytes, 0xff, 0x62]);
    for (let size = 1; size <= data.length; size++) {
      const c = await check(data, size);
      assert.equal(c.invalid, invalid + 1, `${what}, chunks of ${size}`);
      assert.equal(c.firstAt, invalid > 0 ? 1 : 1 + bytes.length, `${what}, chunks of ${size}`);
    }
  }
  // A sequence cut by the end of the file is invalid, every byte of it.
  for (const tail of [[0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98]]) {
    for (let size = 1; size <= tail.length + 1; size++) {
      const c = await check(Buffer.from([0x61, ...tail]), size);
      assert.equal(c.invalid, tail.length, `${tail.length} bytes cut, chunks of ${size}`);
      assert.equal(c.firstAt, 1);
    }
  }
});

test('the line of an offset counts only the line breaks before it, across chunks', async () => {
  const chunks = (): Readable => Readable.from([Buffer.from('a\nb'), Buffer.from('\nc\n'), Buffer.from('d\n')]);
  const lines = [];
  for (let offset = 0; offset < 8; offset++) lines.push(await lineAt(chunks(), offset));
  // Offsets 0..7 are a, \n, b, \n, c, \n, d, \n: a line break is on the line it ends.
  assert.deepEqual(lines, [1, 1, 2, 2, 3, 3, 4, 4]);
});
