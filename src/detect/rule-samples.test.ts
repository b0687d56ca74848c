import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkRuleSamples } from './rule-samples.js';
import { SHIPPED_SIGMA_DIR } from './ruleset.js';
import { aspnetClientRule, IIS_HEADER, iisLine } from './test-helpers/aspnet-client-rule.js';

// Every shipped rule against its own samples: a rule without samples, a sample that does not
// match, or a near miss that does, fails the build.
test('every shipped rule passes the samples beside it', async () => {
  const checks = await checkRuleSamples(SHIPPED_SIGMA_DIR);
  assert.ok(checks.length > 0, 'rules were found');
  const failed = checks.filter((c) => !c.ok).map((c) => `${c.rule}${c.sample ? ` · ${c.sample}` : ''}: ${c.message}`);
  assert.deepEqual(failed, []);
});

const RULE = aspnetClientRule('a001');

test('the harness fails a rule without samples, and a near miss that matches', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-rules-'));
  try {
    await writeFile(join(dir, 'lonely.yml'), aspnetClientRule('a002'));
    await writeFile(join(dir, 'shell.yml'), RULE);
    await mkdir(join(dir, 'shell.tests', 'match'), { recursive: true });
    await mkdir(join(dir, 'shell.tests', 'nomatch'), { recursive: true });
    await writeFile(join(dir, 'shell.tests', 'match', 'post.log'), IIS_HEADER + iisLine('POST', '/aspnet_client/x.aspx'));
    // This "near miss" is really a hit, so the harness must report it.
    await writeFile(join(dir, 'shell.tests', 'nomatch', 'wrong.log'), IIS_HEADER + iisLine('POST', '/aspnet_client/y.aspx'));
    const checks = await checkRuleSamples(dir);
    const byRule = (name: string) => checks.filter((c) => c.rule === name);
    assert.equal(byRule('lonely.yml').length, 1);
    assert.equal(byRule('lonely.yml')[0]?.ok, false);
    assert.match(byRule('lonely.yml')[0]?.message ?? '', /needs samples/);
    const shell = byRule('shell.yml');
    assert.equal(shell.find((c) => c.sample?.endsWith('post.log'))?.ok, true);
    const wrong = shell.find((c) => c.sample?.endsWith('wrong.log'));
    assert.equal(wrong?.ok, false);
    assert.match(wrong?.message ?? '', /line 5 matches but must not/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
