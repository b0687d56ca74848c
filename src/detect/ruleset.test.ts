import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadMappings } from './mapping.js';
import { loadRuleset, MAPPINGS_DIR } from './ruleset.js';

function rule(id: string, extra: string): string {
  return `title: t ${id}\nid: ${id}\nlogsource:\n  product: exchange\n  service: ecp\ndetection:\n  selection:\n    CMD|startswith: 'Set-'\n  condition: selection\nstage: exploited\n${extra}`;
}

void test('after_rules is read with its hours; a broken one is a located error, never a plain rule', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-after-'));
  try {
    await writeFile(
      join(dir, 'a.yml'),
      rule('11111111-1111-4111-8111-111111111111', 'after_rules: [22222222-2222-4222-8222-222222222222]\nafter_within_hours: 6\n'),
    );
    await writeFile(join(dir, 'b.yml'), rule('33333333-3333-4333-8333-333333333333', 'after_rules: yes\n'));
    const set = await loadRuleset([dir], await loadMappings(MAPPINGS_DIR), []);
    assert.deepEqual(
      set.rules.map((r) => [r.id, r.after]),
      [['11111111-1111-4111-8111-111111111111', { rules: ['22222222-2222-4222-8222-222222222222'], withinMs: 6 * 3_600_000 }]],
    );
    assert.equal(set.errors.length, 1);
    assert.match(set.errors[0]?.message ?? '', /after_rules must be a list of rule ids/);
    assert.match(set.errors[0]?.file ?? '', /b\.yml$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
