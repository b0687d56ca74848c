import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filetimeIso } from './times.js';
import { arrayItems, valueText } from './values.js';

function ft(ticks: bigint): string {
  return filetimeIso(Number(ticks & 0xffffffffn), Number(ticks >> 32n));
}

const EPOCH_1970 = 116444736000000000n;

test('FILETIME keeps all seven digits of its 100 ns ticks', () => {
  const ms = BigInt(Date.parse('2019-03-19T23:34:46.872Z'));
  assert.equal(ft(ms * 10000n + EPOCH_1970 + 512n), '2019-03-19T23:34:46.8720512Z');
  assert.equal(ft(ms * 10000n + EPOCH_1970 + 9999n), '2019-03-19T23:34:46.8729999Z');
  assert.equal(ft(0n), '1601-01-01T00:00:00.0000000Z');
  // Past the exact range of a double: split without rounding.
  assert.equal(ft(0x7fffffffffffffffn), '+030828-09-14T02:48:05.4775807Z');
  assert.equal(ft(0xffffffffffffffffn), '+060056-05-28T05:36:10.9551615Z');
});

const hex = (s: string): Buffer => Buffer.from(s.replace(/ /g, ''), 'hex');

test('numbers render as Windows shows them', () => {
  assert.equal(valueText(hex('ff'), 0, 1, 0x03), '-1');
  assert.equal(valueText(hex('ff'), 0, 1, 0x04), '255');
  assert.equal(valueText(hex('feff'), 0, 2, 0x05), '-2');
  assert.equal(valueText(hex('fffffffe'), 0, 4, 0x07), '-16777217');
  assert.equal(valueText(hex('feffffff'), 0, 4, 0x08), '4294967294');
  assert.equal(valueText(hex('feffffffffffffff'), 0, 8, 0x09), '-2');
  assert.equal(valueText(hex('0000000000000080'), 0, 8, 0x0a), '9223372036854775808');
  assert.equal(valueText(hex('1500000001000000'), 0, 8, 0x0a), '4294967317');
  assert.equal(valueText(hex('00000000'), 0, 4, 0x14), '0x0');
  assert.equal(valueText(hex('e7030000'), 0, 4, 0x14), '0x3e7');
  assert.equal(valueText(hex('79c8240000000000'), 0, 8, 0x15), '0x24c879');
  assert.equal(valueText(hex('0000000000000280'), 0, 8, 0x15), '0x8002000000000000');
  assert.equal(valueText(hex('4c02000000000000'), 0, 8, 0x10), '0x24c');
  assert.equal(valueText(hex('4c020000'), 0, 4, 0x10), '0x24c');
  assert.equal(valueText(hex('0000c03f'), 0, 4, 0x0b), '1.5');
  assert.equal(valueText(hex('000000000000f83f'), 0, 8, 0x0c), '1.5');
  assert.equal(valueText(hex('01000000'), 0, 4, 0x0d), 'true');
  assert.equal(valueText(hex('00000000'), 0, 4, 0x0d), 'false');
  // Booleans written in fewer bytes than four.
  assert.equal(valueText(hex('01'), 0, 1, 0x0d), 'true');
  assert.equal(valueText(hex('0000'), 0, 2, 0x0d), 'false');
  // A fixed-size type with the wrong size is shown as its bytes rather than misread.
  assert.equal(valueText(hex('0102'), 0, 2, 0x08), '0102');
});

test('strings stop at the first NUL; GUIDs, SIDs, binary and times', () => {
  assert.equal(valueText(Buffer.from('net user\0\0', 'utf16le'), 0, 20, 0x01), 'net user');
  assert.equal(valueText(Buffer.from('a\0b', 'utf16le'), 0, 6, 0x01), 'a');
  assert.equal(valueText(Buffer.from('ü€😀', 'utf16le'), 0, 8, 0x01), 'ü€😀');
  assert.equal(valueText(Buffer.from('ansi\0junk', 'latin1'), 0, 9, 0x02), 'ansi');
  assert.equal(valueText(hex('8a54f4779d5e4946 89f9a0177c722361'), 0, 16, 0x0f), '{77F4548A-5E9D-4649-89F9-A0177C722361}');
  assert.equal(valueText(hex('0105000000000005 15000000 ce4a92ac a3791bf9 64dc52a5 54040000'), 0, 28, 0x13), 'S-1-5-21-2895268558-4179327395-2773671012-1108');
  assert.equal(valueText(hex('0101000000000005 12000000'), 0, 12, 0x13), 'S-1-5-18');
  assert.equal(valueText(hex('deadBEEF'), 0, 4, 0x0e), 'DEADBEEF');
  assert.equal(valueText(hex('e307 0700 0300 1800 0d00 0700 1d00 3e00'), 0, 16, 0x12), '2019-07-24T13:07:29.062Z');
  assert.equal(valueText(hex('0000000000000000'), 0, 8, 0x11), '1601-01-01T00:00:00.0000000Z');
  assert.equal(valueText(hex(''), 0, 0, 0x00), '');
});

test('arrays: each item on its own, or joined with commas where one text is wanted', () => {
  const strings = Buffer.from('\\Device\\Serial0\0\\Device\\Serial1\0', 'utf16le');
  assert.deepEqual(arrayItems(strings, 0, strings.length, 0x01), ['\\Device\\Serial0', '\\Device\\Serial1']);
  assert.equal(valueText(strings, 0, strings.length, 0x81), '\\Device\\Serial0,\\Device\\Serial1');
  assert.deepEqual(arrayItems(hex('01000200'), 0, 4, 0x06), ['1', '2']);
  assert.deepEqual(arrayItems(hex('0101000000000005 12000000 0101000000000005 13000000'), 0, 24, 0x13), ['S-1-5-18', 'S-1-5-19']);
  assert.deepEqual(arrayItems(hex(''), 0, 0, 0x01), []);
});

test('strings of every length, short (decoded in a loop) and long, read as Buffer decodes them, up to the first NUL', () => {
  const text = 'Aé€😀\uD800b\u00ff\u0100'.repeat(6);
  for (let units = 0; units <= text.length; units++) {
    for (const nulAt of [-1, 0, 1, Math.floor(units / 2), units - 1]) {
      const chars = [...text.slice(0, units)].join('').slice(0, units).split('');
      if (nulAt >= 0 && nulAt < units) chars[nulAt] = '\0';
      const bytes = Buffer.from(chars.join(''), 'utf16le');
      const decoded = bytes.toString('utf16le');
      const expected = decoded.includes('\0') ? decoded.slice(0, decoded.indexOf('\0')) : decoded;
      assert.equal(valueText(bytes, 0, bytes.length, 0x01), expected, `${units} units, NUL at ${nulAt}`);
      // An odd size: the last byte is not half of a unit.
      assert.equal(valueText(Buffer.concat([bytes, hex('41')]), 0, bytes.length + 1, 0x01), expected);
    }
  }
});
