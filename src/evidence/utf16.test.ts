import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksUtf16le, utf16leToUtf8 } from './utf16.js';

// PowerShell 5.1's `Out-File` and `>` write UTF-16LE: collected logs and exports often arrive so.

test('UTF-16LE is recognised by its byte-order mark, or by ASCII text with every other byte zero', () => {
  assert.equal(looksUtf16le(Buffer.from([0xff, 0xfe])), true, 'a byte-order mark alone');
  assert.equal(looksUtf16le(Buffer.from('#Fields:', 'utf16le')), true, 'no mark, ASCII-range text');
  assert.equal(looksUtf16le(Buffer.from('#Fields: date time', 'utf8')), false, 'UTF-8 text');
  assert.equal(looksUtf16le(Buffer.from([0xfe, 0xff, 0, 0x23])), false, 'a big-endian mark');
  // Half of the mark is not the mark (Latin-1 text can start with ÿ, or have þ second).
  assert.equal(looksUtf16le(Buffer.from('\xffA\xffA\xffA\xffA', 'latin1')), false, 'its first byte alone');
  assert.equal(looksUtf16le(Buffer.from('A\xfeA\xfeA\xfeA\xfe', 'latin1')), false, 'its second byte alone');
  assert.equal(looksUtf16le(Buffer.from('#Fie', 'utf16le')), true, 'four characters are enough');
  assert.equal(looksUtf16le(Buffer.from('#Fie', 'utf16le').subarray(0, 7)), false, 'too short to tell without a mark');
  assert.equal(looksUtf16le(Buffer.alloc(8)), false, 'zero bytes are not text');
  // A zero in the high byte of the fourth character only: not UTF-16 text.
  assert.equal(looksUtf16le(Buffer.from([0x23, 0, 0x46, 0, 0x69, 0, 0x65, 0x41])), false);
  assert.equal(looksUtf16le(Buffer.from([0x23, 0, 0x46, 0, 0x69, 0, 0, 0])), false);
});

async function decode(chunks: Buffer[]): Promise<string> {
  async function* gen(): AsyncGenerator<Buffer> {
    for (const c of chunks) {
      await Promise.resolve();
      yield c;
    }
  }
  const out: Buffer[] = [];
  for await (const b of utf16leToUtf8(gen())) out.push(b);
  return Buffer.concat(out).toString('utf8');
}

test('UTF-16LE becomes UTF-8 with the mark dropped, and a character split across chunks kept whole', async () => {
  const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Get-Mailbox é 𝄞\r\n', 'utf16le')]);
  assert.equal(await decode([bytes]), 'Get-Mailbox é 𝄞\r\n');
  // Every split point, including inside a code unit and between the two halves of a surrogate pair.
  for (let at = 1; at < bytes.length; at++) assert.equal(await decode([bytes.subarray(0, at), bytes.subarray(at)]), 'Get-Mailbox é 𝄞\r\n', `split at ${at}`);
  // An odd byte left at the end is not lost silently: it becomes the replacement character.
  assert.equal(await decode([Buffer.from([0x41, 0x00, 0x42])]), 'A\uFFFD');
  assert.equal(await decode([]), '');
});
