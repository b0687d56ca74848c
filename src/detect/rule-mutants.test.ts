import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { ruleMutants, runRuleMutants } from './rule-mutants.js';
import { RULES_DIR, SHIPPED_SIGMA_DIR } from './ruleset.js';
import { aspnetClientRule, IIS_HEADER, iisLine } from './test-helpers/aspnet-client-rule.js';

const RULE = aspnetClientRule('a101', '  filter_probe:\n    - cs-username: probe\n', 'selection and not filter_probe');

test('a rule is changed one step at a time: each selection never matching, each item of a selection left out', () => {
  const mutants = ruleMutants(RULE);
  assert.deepEqual(
    mutants.map((m) => m.change),
    ['selection: never matches', 'selection: without cs-uri-stem|contains', 'selection: without cs-method', 'filter_probe: never matches'],
  );
  const detection = (text: string) => (parse(text) as { detection: Record<string, unknown> }).detection;
  assert.deepEqual(detection(mutants[2]!.text)['selection'], { 'cs-uri-stem|contains': '/aspnet_client/' });
  assert.deepEqual(Object.keys(detection(mutants[0]!.text)['selection'] as object), ['exir-mutant-never']);
  assert.equal(detection(mutants[3]!.text)['condition'], 'selection and not filter_probe');
});

test('a change no sample notices survives; a near miss that pins the item kills it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-rule-mutants-'));
  try {
    await writeFile(join(dir, 'shell.yml'), RULE);
    await mkdir(join(dir, 'shell.tests', 'match'), { recursive: true });
    await mkdir(join(dir, 'shell.tests', 'nomatch'), { recursive: true });
    await writeFile(join(dir, 'shell.tests', 'match', 'post.log'), IIS_HEADER + iisLine('POST', '/aspnet_client/x.aspx'));
    await writeFile(join(dir, 'shell.tests', 'nomatch', 'other.log'), IIS_HEADER + iisLine('POST', '/owa/x.aspx'));
    const survivors = async () => (await runRuleMutants(dir)).filter((o) => o.outcome === 'survived').map((o) => o.change);
    assert.deepEqual(await survivors(), ['selection: without cs-method', 'filter_probe: never matches']);
    await writeFile(join(dir, 'shell.tests', 'nomatch', 'get.log'), IIS_HEADER + iisLine('GET', '/aspnet_client/x.aspx'));
    await writeFile(join(dir, 'shell.tests', 'nomatch', 'probe.log'), IIS_HEADER + iisLine('POST', '/aspnet_client/x.aspx', 'probe'));
    assert.deepEqual(await survivors(), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

interface Unpinned {
  rule: string;
  change: string;
  why: string;
}

// The shipped rules: every change to a condition is noticed by a sample beside the rule, except those
// written down in rules/unpinned.yml with the reason (an item kept for the pre-filter, or one no
// public sample lets us pin yet). The list must shrink as near misses are added: a listed change a
// sample now notices fails too, so the list stays true.
test('every part of every shipped rule is pinned by a sample, or listed with its reason', async () => {
  const listed = parse(readFileSync(join(RULES_DIR, 'unpinned.yml'), 'utf8')) as Unpinned[];
  for (const entry of listed) assert.ok(entry.why && entry.why.length > 10, `${entry.rule} · ${entry.change}: give the reason`);
  const outcomes = await runRuleMutants(SHIPPED_SIGMA_DIR);
  assert.ok(outcomes.length > 300, `mutants were made (${outcomes.length})`);
  assert.deepEqual(
    outcomes.filter((o) => o.outcome === 'does not load').map((o) => `${o.rule} · ${o.change}`),
    [],
  );
  const key = (o: { rule: string; change: string }) => `${o.rule} · ${o.change}`;
  const survived = new Set(outcomes.filter((o) => o.outcome === 'survived').map(key));
  const allowed = new Set(listed.map(key));
  assert.deepEqual(
    [...survived].filter((s) => !allowed.has(s)),
    [],
    'these changes to a rule pass all its samples: add a near miss that shows why the part is there',
  );
  assert.deepEqual(
    [...allowed].filter((s) => !survived.has(s)),
    [],
    'these listed changes are now noticed by a sample (or no longer exist): take them off rules/unpinned.yml',
  );
});
