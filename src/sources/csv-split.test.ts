import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitQuoted } from './csv-split.js';

test('splitQuoted follows RFC 4180 and keeps stray text', () => {
  assert.deepEqual(splitQuoted('a,"b,c",d', ','), ['a', 'b,c', 'd']);
  assert.deepEqual(splitQuoted('"He said ""hi""",x', ','), ['He said "hi"', 'x']);
  assert.deepEqual(splitQuoted('"line1\r\nline2",,', ','), ['line1\r\nline2', '', '']);
  assert.deepEqual(splitQuoted('ab"c,"d"e', ','), ['ab"c', 'de']);
  assert.deepEqual(splitQuoted('""', ','), ['']);
  assert.deepEqual(splitQuoted('', ','), ['']);
});
