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
