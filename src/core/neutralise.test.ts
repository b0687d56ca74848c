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
