import assert from 'node:assert/strict';
import { test } from 'node:test';
import { esc, html, Markup } from './html.js';

test('interpolated evidence text is escaped and its controls shown, markup made here is kept', () => {
  const hostile = '<img src=x onerror=alert(1)>"\'\u202e\u001b[31m';
  const out = html`<td title="${hostile}">${hostile}${html`<b>ok</b>`}${[html`<i>a</i>`, '<s>']}</td>`.value;
  assert.equal(out.includes('<img'), false);
  assert.equal(out.includes('"\''), false);
  assert.match(out, /&#60;img src=x onerror=alert\(1\)&#62;&#34;&#39;\\u202e\\e\[31m/);
  assert.match(out, /<b>ok<\/b><i>a<\/i>&#60;s&#62;<\/td>$/);
  assert.equal(esc(undefined), '');
  assert.ok(html`x` instanceof Markup);
});
