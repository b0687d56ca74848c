import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeJson, safeText } from './terminal-text.js';

test('control characters and ANSI escapes are shown, not obeyed', () => {
  assert.equal(safeText('ok.aspx'), 'ok.aspx');
  assert.equal(safeText('a\u001b[2Jb'), 'a\\e[2Jb');
  assert.equal(safeText('line\nnext\r\t'), 'line\\nnext\\r\\t');
  assert.equal(safeText('\u0000\u0007\u007f'), '\\x00\\x07\\x7f');
  assert.equal(safeText('c1\u009b31m'), 'c1\\x9b31m');
  assert.equal(safeText('evil\u202egnp.aspx'), 'evil\\u202egnp.aspx');
  assert.equal(safeText('Zürich 東京'), 'Zürich 東京');
});

test('JSON output escapes what JSON.stringify leaves raw, and stays valid JSON', () => {
  const value = { name: 'x\u009b\u202e\u001b[0m' };
  const text = safeJson(value);
  assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  assert.deepEqual(JSON.parse(text), value);
});
