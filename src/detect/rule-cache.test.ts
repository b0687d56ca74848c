import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import type { Finding, LogRecord } from '../core/types.js';
import { peek } from '../evidence/open.js';
import { SNIFF_BYTES, sniff } from '../sources/registry.js';
import { Detector } from './detector.js';
import { loadMappings, type Mappings } from './mapping.js';
import { cacheDir, throughCache } from './rule-cache.js';
import { loadRuleset, MAPPINGS_DIR, SHIPPED_SIGMA_DIR, type Ruleset } from './ruleset.js';
import { compilerId, lazyRuleset, type CompilerId, type PlainRuleset } from './ruleset-cache.js';
import { compileRuleData } from './sigma/rule-compile.js';

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

// ---- the compiled set (ruleset-cache.ts): kept per exir version and build, read back lazily ----

const BUILD: CompilerId = { version: '1.0.0', build: 'a'.repeat(64) };

const loadBuilt = async (compiler: CompilerId | undefined, dirs = [SHIPPED_SIGMA_DIR], mappings?: Mappings, common?: string[]): Promise<Ruleset> =>
  loadRuleset(dirs, mappings ?? (await loadMappings(MAPPINGS_DIR)), common, compiler);

async function compiledCacheFile(dir: string): Promise<string> {
  const name = (await readdir(dir)).find((f) => f.startsWith('compiled-') && f.endsWith('.json'));
  assert.ok(name, `a compiled rules cache file was written in ${dir}`);
  return join(dir, name);
}

/** Changes the first rule's title in the compiled cache, key kept: a load that shows it read the cache. */
async function tamperTitle(file: string): Promise<void> {
  const stored = JSON.parse(await readFile(file, 'utf8')) as { values: { rules: { title: string }[] } };
  const first = stored.values.rules[0];
  assert.ok(first, 'a rule in the cache');
  first.title = 'changed in the compiled cache';
  await writeFile(file, JSON.stringify(stored));
}

const readTampered = (set: Ruleset): boolean => set.rules.some((r) => r.title === 'changed in the compiled cache');

/** What a finding takes from each rule besides its matcher, in the set's order. */
const metadata = (set: Ruleset): unknown[] =>
  set.rules.map((r) => [
    r.benign,
    r.story,
    r.capsRequest,
    r.after,
    r.ownTraffic,
    r.indicatorOnly,
    r.foldPerClient,
    r.cves,
    r.compiled.rule,
    r.compiled.location,
  ]);

test('the compiled set read back finds exactly what a fresh compile finds, on every rule sample', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-cache-'));
  try {
    const files = await samples(SHIPPED_SIGMA_DIR);
    const uncached = await withCache('off', () => loadBuilt(undefined));
    const first = await withCache(dir, () => loadBuilt(BUILD));
    const cacheFile = await compiledCacheFile(dir);
    const cached = await withCache(dir, () => loadBuilt(BUILD));
    assert.deepEqual(summary(cached), summary(uncached));
    assert.deepEqual(metadata(cached), metadata(uncached));
    // The pre-filter's record check asks the same of a record whichever way the rules came.
    assert.deepEqual(
      cached.rules.map((r) => r.compiled.need()),
      uncached.rules.map((r) => r.compiled.need()),
    );
    assert.ok(
      cached.rules.some((r) => r.compiled.need() !== null),
      'some rules need strings',
    );
    const expected = await detections(uncached, files);
    assert.ok(expected.length > 50, `${expected.length} detections on the samples`);
    assert.deepEqual(await detections(first, files), expected);
    assert.deepEqual(await detections(cached, files), expected);
    await tamperTitle(cacheFile);
    assert.ok(readTampered(await withCache(dir, () => loadBuilt(BUILD))), 'the second load read the compiled cache');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('read back, a rule file is compiled the first time one of its rules is offered a record, once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-cache-'));
  try {
    await withCache(dir, () => loadBuilt(BUILD));
    const plain = (JSON.parse(await readFile(await compiledCacheFile(dir), 'utf8')) as { values: PlainRuleset }).values;
    const compiledFiles: number[] = [];
    const set = lazyRuleset(plain, (index, data) => {
      compiledFiles.push(index);
      return compileRuleData(data, `file ${index}`).rules;
    });
    assert.equal(set.rules.length, plain.rules.length);
    assert.deepEqual(compiledFiles, []);
    const record = { get: () => undefined, text: () => '' };
    const [a, b] = set.rules;
    assert.ok(a && b, 'two rules');
    a.compiled.match(record);
    a.compiled.match(record);
    b.compiled.match(record);
    assert.deepEqual(compiledFiles, [...new Set(plain.rules.slice(0, 2).map((r) => r.from[0]))]);
    assert.ok(plain.files.length > 2, `${plain.files.length} files, of which the others stay uncompiled`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a changed rule, mapping, pre-filter list, exir version or build compiles afresh', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-cache-'));
  const rules = await mkdtemp(join(tmpdir(), 'exir-rules-'));
  try {
    await cp(join(SHIPPED_SIGMA_DIR, 'proxylogon'), rules, { recursive: true });
    const mappings = await loadMappings(MAPPINGS_DIR);
    const cacheFile = async (): Promise<string> => compiledCacheFile(dir);
    const changes: [string, () => Promise<Ruleset>][] = [
      ['build', () => loadBuilt({ ...BUILD, build: 'b'.repeat(64) }, [rules])],
      ['version', () => loadBuilt({ ...BUILD, version: '1.0.1' }, [rules])],
      ['pre-filter list', () => loadBuilt(BUILD, [rules], mappings, ['aspx'])],
      [
        'mapping',
        () => {
          const other: Mappings = new Map(mappings);
          other.delete('iis');
          return loadBuilt(BUILD, [rules], other);
        },
      ],
    ];
    for (const [what, changed] of changes) {
      await rm(dir, { recursive: true, force: true });
      await withCache(dir, () => loadBuilt(BUILD, [rules], mappings));
      await tamperTitle(await cacheFile());
      assert.ok(readTampered(await withCache(dir, () => loadBuilt(BUILD, [rules], mappings))), `${what}: the unchanged load reads the cache`);
      assert.ok(!readTampered(await withCache(dir, changed)), `${what}: a change compiles afresh`);
    }
    // The mapping and the pre-filter list really change what is compiled (the comparisons above are not idle).
    const plainSet = await withCache('off', () => loadBuilt(undefined, [rules], mappings));
    const noIis: Mappings = new Map(mappings);
    noIis.delete('iis');
    assert.notDeepEqual(summary(await withCache('off', () => loadBuilt(undefined, [rules], noIis))), summary(plainSet));

    // A rule's text changed: its new title is read, not the cached one.
    await rm(dir, { recursive: true, force: true });
    await withCache(dir, () => loadBuilt(BUILD, [rules], mappings));
    const file = (await readdir(rules)).find((f) => f.endsWith('.yml')) as string;
    const text = await readFile(join(rules, file), 'utf8');
    await writeFile(join(rules, file), text.replace(/^title: .*$/m, 'title: a title changed in the rule file'));
    const after = await withCache(dir, () => loadBuilt(BUILD, [rules], mappings));
    assert.ok(
      after.rules.some((r) => r.title === 'a title changed in the rule file'),
      'the changed title is read',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(rules, { recursive: true, force: true });
  }
});

test('a damaged compiled cache, or one of the wrong shape under the right key, is ignored and the rules compiled', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-cache-'));
  try {
    const expected = summary(await withCache('off', () => loadBuilt(undefined)));
    await withCache(dir, () => loadBuilt(BUILD));
    const cacheFile = await compiledCacheFile(dir);
    const good = await readFile(cacheFile, 'utf8');
    const key = (JSON.parse(good) as { key: string }).key;
    const broken = [
      good.slice(0, good.length / 2),
      'null',
      JSON.stringify({ key, values: [] }),
      JSON.stringify({ key, values: { rules: [], errors: [] } }),
      good.replace('"stage":"', '"stage":"not-a-stage-'),
      good.replace('"severity":"', '"severity":"x'),
      good.replace(/"literals":\["/, '"literals":[5,"'),
      good.replace(/"from":\[\d+,/, '"from":[100000,'),
      good.replace(/"sources":\["/, '"sources":["no-such-log","'),
      good.replace('"lineStarts":[', '"lineStarts":["x",'),
      good.replace(/"logsource":\{/, '"logsource":{"other":"x",'),
    ];
    for (const text of broken) {
      assert.notEqual(text, good);
      await writeFile(cacheFile, text);
      assert.deepEqual(summary(await withCache(dir, () => loadBuilt(BUILD))), expected, text.slice(0, 80));
    }
    // Written afresh after the miss.
    assert.equal(await readFile(cacheFile, 'utf8'), good);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('run from its sources (no build id), exir keeps no compiled set', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-cache-'));
  try {
    assert.equal(compilerId(), undefined);
    await withCache(dir, async () => loadRuleset([SHIPPED_SIGMA_DIR], await loadMappings(MAPPINGS_DIR)));
    const names = await readdir(dir);
    assert.ok(
      names.some((f) => f.startsWith('rules-')),
      names.join(', '),
    );
    assert.ok(!names.some((f) => f.startsWith('compiled-')), names.join(', '));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
