import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import type { Finding, LogRecord } from '../core/types.js';
import { peek } from '../evidence/open.js';
import { SNIFF_BYTES, sniff } from '../sources/registry.js';
import { Detector } from './detector.js';
import { loadMappings } from './mapping.js';
import { cacheDir, throughCache } from './rule-cache.js';
import { loadRuleset, MAPPINGS_DIR, SHIPPED_SIGMA_DIR, type Ruleset } from './ruleset.js';

// The compiled-rules cache must be only a shortcut: rules loaded through it find exactly what rules
// parsed from their YAML find, and a cache that is damaged or forged in shape is ignored.

async function samples(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const item of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const full = join(item.parentPath, item.name);
    if (item.isFile() && /\.tests[\\/](match|nomatch)[\\/]/.test(full)) out.push(full);
  }
  return out.sort();
}

async function records(file: string): Promise<LogRecord[]> {
  const { head, rest } = await peek(createReadStream(file)[Symbol.asyncIterator]() as AsyncIterator<Buffer>, SNIFF_BYTES);
  const found = sniff(head.toString('utf8'));
  if (!found) return [];
  const out: LogRecord[] = [];
  await found.reader.read(rest, { path: file, onRecord: (r) => out.push(r) });
  return out;
}

/** Every finding of the rule set on every record of every sample beside the shipped rules. */
async function detections(ruleset: Ruleset, files: string[]): Promise<string[]> {
  const detector = new Detector(ruleset, await loadMappings(MAPPINGS_DIR));
  const out: string[] = [];
  for (const file of files) {
    for (const record of await records(file)) {
      const found: Finding[] = detector.detect(record, 'EX01');
      for (const f of found) out.push(`${relative(SHIPPED_SIGMA_DIR, file)}:${record.origin.line} ${f.ruleId} ${f.stage} ${f.severity}`);
    }
  }
  return out;
}

async function withCache<T>(dir: string, f: () => Promise<T>): Promise<T> {
  const before = process.env['EXIR_CACHE_DIR'];
  process.env['EXIR_CACHE_DIR'] = dir;
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env['EXIR_CACHE_DIR'];
    else process.env['EXIR_CACHE_DIR'] = before;
  }
}

const load = async (): Promise<Ruleset> => loadRuleset([SHIPPED_SIGMA_DIR], await loadMappings(MAPPINGS_DIR));

async function rulesCacheFile(dir: string): Promise<string> {
  const name = (await readdir(dir)).find((f) => f.startsWith('rules-') && f.endsWith('.json'));
  assert.ok(name, `a rules cache file was written in ${dir}`);
  return join(dir, name);
}

const summary = (set: Ruleset): unknown => ({
  rules: set.rules.map((r) => [r.id, r.title, r.stage, r.severity, r.file, r.sources, r.compiled.literals, r.compiled.fields]),
  errors: set.errors,
});

test('rules loaded from the cache find exactly what rules parsed from YAML find, on every rule sample', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-cache-'));
  try {
    const files = await samples(SHIPPED_SIGMA_DIR);
    assert.ok(files.length > 100, `${files.length} samples`);
    const uncached = await withCache('off', load);
    const first = await withCache(dir, load);
    const cacheFile = await rulesCacheFile(dir);
    const cached = await withCache(dir, load);
    const expected = await detections(uncached, files);
    assert.ok(expected.length > 50, `${expected.length} detections on the samples`);
    assert.deepEqual(await detections(first, files), expected);
    assert.deepEqual(await detections(cached, files), expected);
    assert.deepEqual(summary(cached), summary(uncached));

    // The second load really read the cache: a title changed in it (key kept) shows.
    const stored = JSON.parse(await readFile(cacheFile, 'utf8')) as { values: { docs: { data?: { title?: string } }[] }[] };
    const doc = stored.values[0]?.docs[0];
    assert.ok(doc?.data?.title);
    const title = doc.data.title;
    doc.data.title = 'changed in the cache';
    await writeFile(cacheFile, JSON.stringify(stored));
    const tampered = await withCache(dir, load);
    assert.ok(tampered.rules.some((r) => r.title === 'changed in the cache'));
    assert.ok(!tampered.rules.some((r) => r.title === title));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a corrupt cache, or one of the wrong shape under the right key, is ignored and the YAML is read', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-cache-'));
  try {
    const expected = summary(await withCache('off', load));
    await withCache(dir, load);
    const cacheFile = await rulesCacheFile(dir);
    const good = await readFile(cacheFile, 'utf8');
    const key = (JSON.parse(good) as { key: string }).key;
    const broken = [
      good.slice(0, good.length / 2),
      'null',
      '[]',
      '\u0000\u0001binary',
      JSON.stringify({ key, values: 'x' }),
      JSON.stringify({ key, values: [] }),
      // Every rule file present, but one node not what compiling relies on.
      good.replace('"problems":[]', '"problems":[{"problem":5}]'),
      good.replace(/"lineStarts":\[[^\]]*\]/, '"lineStarts":"x"'),
      good.replace('"map":[', '"map":[{"key":1,"values":[]},'),
      good.replace('"kind":"string"', '"kind":"function"'),
    ];
    for (const text of broken) {
      assert.notEqual(text, good);
      await writeFile(cacheFile, text);
      assert.deepEqual(summary(await withCache(dir, load)), expected, text.slice(0, 80));
    }
    // And the cache is written afresh after a miss.
    assert.equal(await readFile(cacheFile, 'utf8'), good);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a value JSON cannot give back is parsed each time, never cached', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-cache-'));
  try {
    let reads = 0;
    const read = (texts: string[]): Promise<unknown[]> => {
      reads++;
      return Promise.resolve(texts.map(() => ({ n: Infinity })));
    };
    const any = (_v: unknown): _v is unknown => true;
    const files = [{ path: '/x.yml', text: 'n: .inf' }];
    assert.deepEqual(await throughCache('t', files, read, any, dir), [{ n: Infinity }]);
    assert.deepEqual(await throughCache('t', files, read, any, dir), [{ n: Infinity }]);
    assert.equal(reads, 2);
    assert.deepEqual(await readdir(dir), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the cache folder: EXIR_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache; off turns it off', () => {
  assert.equal(cacheDir({ EXIR_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' }), '/c');
  assert.equal(cacheDir({ EXIR_CACHE_DIR: 'off' }), undefined);
  assert.equal(cacheDir({ XDG_CACHE_HOME: '/x' }), join('/x', 'exir'));
  // A relative XDG_CACHE_HOME is invalid by the spec and ignored.
  assert.match(cacheDir({ XDG_CACHE_HOME: 'rel' }) ?? '', /[\\/]\.cache[\\/]exir$/);
});
