import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, forHtml } from './neutralise.js';

test('CSV cells starting with formula characters are neutralised', () => {
  for (const lead of ['=', '+', '-', '@']) assert.equal(csvCell(`${lead}cmd|' /C calc'!A0`), `'${lead}cmd|' /C calc'!A0`);
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a,"b"'), '"a,""b"""');
  assert.equal(csvCell(undefined), '');
});

test('HTML escaping covers markup and quotes', () => {
  assert.equal(forHtml(`<script>alert("x")</script>'`), '&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#39;');
});

test('CSV cells that reach a formula character after white space or a line break are neutralised; controls are shown, not kept', () => {
  assert.equal(csvCell('  =1+1'), "'  =1+1");
  assert.equal(csvCell('\n@SUM(A1)'), "'\\n@SUM(A1)");
  assert.equal(csvCell('\u00a0-2+3'), "'\u00a0-2+3");
  assert.equal(csvCell('a\u202Eb\u0085c'), 'a\\u202eb\\x85c');
  assert.equal(csvCell('plain text, = later'), '"plain text, = later"');
});
