import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPlaybook, parsePlaybook } from './playbook.js';

test('the shipped playbook loads and covers the response the issue asks for', async () => {
  const p = await loadPlaybook();
  const ids = p.steps.map((s) => s.id);
  for (const id of [
    'isolate',
    'preserve-memory',
    'preserve-disk',
    'preserve-logs',
    'run-scans',
    'reset-credentials',
    'reset-krbtgt-first',
    'reset-krbtgt-second',
    'remove-web-shells',
    'rebuild-or-restore',
    'patch',
    'verify',
    'monitor',
  ]) {
    assert.ok(ids.includes(id), id);
  }
  assert.match(p.steps.find((s) => s.id === 'reset-krbtgt-second')?.condition ?? '', /domain administrator/);
});

const good = 'id: p\nversion: 1\ntitle: T\nphases: [a]\nsteps:\n  - {id: one, phase: a, title: One, detail: D}\n';

test('a defective playbook is refused with the place of the defect', () => {
  assert.equal(parsePlaybook(good, 'f.yml').steps.length, 1);
  assert.throws(() => parsePlaybook(good.replace('phase: a,', 'phase: b,'), 'f.yml'), /f\.yml: steps\[0\]\.phase: "b" is not one of a/);
  assert.throws(() => parsePlaybook(`${good}  - {id: one, phase: a, title: Two, detail: D}\n`, 'f.yml'), /steps\[1\]\.id: "one" appears twice/);
  assert.throws(() => parsePlaybook(good.replace('title: One, ', ''), 'f.yml'), /steps\[0\]\.title: expected text/);
  assert.throws(() => parsePlaybook(good.replace('version: 1', 'version: one'), 'f.yml'), /version/);
  assert.throws(() => parsePlaybook(good.replace('id: one', 'id: "One Step"'), 'f.yml'), /lower-case/);
});
