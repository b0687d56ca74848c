import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TOOL } from '../core/tool.js';
import { renderVersions, versions } from './versions.js';

test('the version names the tool, the rules by content and every data table with the date it was checked', async () => {
  const v = await versions();
  assert.equal(v.tool, `exir ${TOOL.version}`);
  assert.ok(v.rules.sigma > 10, `${v.rules.sigma} rules`);
  assert.match(v.rules.newest ?? '', /^\d{4}-\d{2}-\d{2}$/);
  assert.match(v.rules.digest, /^[0-9a-f]{16}$/);
  assert.ok(v.data.some((d) => d.file === 'exchange/builds.json'));
  for (const d of v.data) assert.match(d.checked ?? '', /^\d{4}-\d{2}-\d{2}$/, `${d.file} says when it was checked`);
  const text = renderVersions(v);
  assert.match(text, new RegExp(`^exir ${TOOL.version.replaceAll('.', '\\.')}\\nrules: \\d+ Sigma rules`));
});
