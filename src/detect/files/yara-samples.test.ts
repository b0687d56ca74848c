// Every shipped YARA rule against the samples beside its file: rules/yara/<name>.yar with
// <name>.tests/match/* (each must meet a rule of the file, and every rule must be met by one) and
// <name>.tests/nomatch/* (near misses: none may meet any rule of the file).
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { extensionOf } from './paths.js';
import { DEFAULT_YARA_DIR, loadYara, scanWithYara, type YaraSet } from './yara.js';

async function samples(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort().map((f) => join(dir, f));
  } catch {
    return [];
  }
}

async function hitsOf(set: YaraSet, file: string): Promise<string[]> {
  const name = file.split('/').pop() ?? '';
  const ext = extensionOf(name);
  const hits = await scanWithYara(set, await readFile(file), { filename: name, filepath: file, extension: ext ? `.${ext}` : '' });
  return hits.map((h) => h.rule.name);
}

const ruleFiles = (await readdir(DEFAULT_YARA_DIR)).filter((f) => f.endsWith('.yar')).sort();

test('the shipped YARA rules all compile, with exir meta on every rule', async () => {
  const { set, warnings } = await loadYara();
  assert.deepEqual(warnings, []);
  assert.equal(set.files.length, ruleFiles.length);
  assert.ok(set.rules.size >= ruleFiles.length);
  for (const rule of set.rules.values()) {
    assert.ok(rule.exirMeta, `${rule.name} has no stage meta`);
    assert.match(rule.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, `${rule.name} id`);
    assert.ok(rule.title.length > 10 && rule.reference.length > 10, `${rule.name} title and reference`);
  }
  const ids = [...set.rules.values()].map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'rule ids are unique');
});

for (const ruleFile of ruleFiles) {
  test(`YARA ${ruleFile}: samples`, async () => {
    const { set, warnings } = await loadYara([DEFAULT_YARA_DIR]);
    assert.deepEqual(warnings, []);
    const own = [...set.rules.values()].filter((r) => r.file.endsWith(`/${ruleFile}`)).map((r) => r.name);
    assert.ok(own.length > 0, 'the file defines rules');
    const base = join(DEFAULT_YARA_DIR, ruleFile.replace(/\.yar$/, '.tests'));
    const match = await samples(join(base, 'match'));
    const nomatch = await samples(join(base, 'nomatch'));
    assert.ok(match.length > 0, `${ruleFile} has no match/ sample`);
    assert.ok(nomatch.length > 0, `${ruleFile} has no nomatch/ sample`);
    const met = new Set<string>();
    for (const file of match) {
      const hits = (await hitsOf(set, file)).filter((h) => own.includes(h));
      assert.ok(hits.length > 0, `${file} must match a rule of ${ruleFile}`);
      for (const h of hits) met.add(h);
    }
    for (const rule of own) assert.ok(met.has(rule), `rule ${rule} has no match/ sample that meets it`);
    for (const file of nomatch) {
      const hits = (await hitsOf(set, file)).filter((h) => own.includes(h));
      assert.deepEqual(hits, [], `${file} must not match`);
    }
  });
}

test('a broken or clashing rule file is reported with its place and the rest still load', async (t) => {
  const { mkdtemp, writeFile, copyFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'exir-yara-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await copyFile(join(DEFAULT_YARA_DIR, 'china-chopper.yar'), join(dir, 'a.yar'));
  await writeFile(join(dir, 'b.yar'), 'rule broken {\n  strings: $a = "x"\n  condition: $b\n}\n');
  await writeFile(join(dir, 'c.yar'), 'rule exir_china_chopper_eval_request { condition: true }\n');
  await writeFile(join(dir, 'd.yar'), 'rule foreign { meta: description = "foreign rule" score = 85 strings: $a = "exir-foreign-marker" condition: $a }\n');
  const { set, warnings } = await loadYara([dir]);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0]?.where ?? '', /b\.yar:3$/);
  assert.match(warnings[0]?.message ?? '', /unknown pattern/);
  assert.match(warnings[1]?.message ?? '', /already defined/);
  assert.deepEqual([...set.rules.keys()].sort(), ['exir_china_chopper_eval_request', 'foreign']);
  const hits = await scanWithYara(set, Buffer.from('xx exir-foreign-marker'), {});
  assert.equal(hits[0]?.rule.stage, 'exploited');
  assert.equal(hits[0]?.rule.severity, 'high');
  assert.equal(hits[0]?.rule.exirMeta, false);
  assert.equal(hits[0]?.offset, 3);
});
