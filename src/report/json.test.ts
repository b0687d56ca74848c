import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertSchema, schemaErrors } from '../test-support/json-schema.js';
import { jsonPieces, toJson, writeJson } from './json.js';
import { HOSTILE, sampleResult } from './test-support/sample-result.js';

test('the scan result JSON matches its published schema, every part filled in', () => {
  const parsed = assertSchema<ReturnType<typeof sampleResult>>('scan-result', toJson(sampleResult()));
  assert.equal(parsed.findings.length, 3);
});

test('the JSON holds the result as it is, unknowns left out, times in UTC', () => {
  const result = sampleResult();
  const parsed = JSON.parse(toJson(result)) as Record<string, unknown>;
  assert.deepEqual(parsed, JSON.parse(JSON.stringify(result)));
  assert.equal(parsed['scannedAt'], '2021-03-10T09:00:00.000Z');
  assert.ok(!('server' in (parsed['evidence'] as object[])[1]!), 'an unknown server is left out, not null');
});

test('bidi overrides and C1 controls from the evidence are escaped, and read back unchanged', () => {
  const text = toJson(sampleResult());
  assert.ok(!text.includes('\u202e'));
  assert.ok(text.includes('\\u202e'));
  assert.ok(text.endsWith('}\n'));
  const parsed = JSON.parse(text) as ReturnType<typeof sampleResult>;
  assert.equal(parsed.findings[0]?.userAgent, HOSTILE);
});

test('the schema is not a formality: an unpublished key, a wrong stage or a local time fails it', () => {
  const extra = JSON.parse(toJson(sampleResult())) as { findings: Record<string, unknown>[]; scannedAt: string };
  extra.findings[0]!['score'] = 3;
  assert.deepEqual(schemaErrors('scan-result', extra), ['/findings/0 must NOT have additional properties: score']);
  const stage = JSON.parse(toJson(sampleResult())) as { findings: Record<string, unknown>[] };
  stage.findings[1]!['stage'] = 'pwned';
  assert.deepEqual(schemaErrors('scan-result', stage), ['/findings/1/stage must be equal to one of the allowed values']);
  const local = JSON.parse(toJson(sampleResult())) as { scannedAt: string };
  local.scannedAt = '2021-03-10 09:00:00 GMT';
  assert.equal(schemaErrors('scan-result', local).length, 1);
});

test("evidence read from another tool's report keeps its kind in the published schema", () => {
  for (const kind of ['test-proxylogon', 'eomt', 'msert'] as const) {
    const result = sampleResult();
    result.evidence[0]!.kind = kind;
    assert.deepEqual(schemaErrors('scan-result', JSON.parse(toJson(result))), [], kind);
  }
});

test('the JSON written a piece at a time is the same text, byte for byte, as made whole', () => {
  const result = sampleResult();
  assert.equal([...jsonPieces(result)].join(''), toJson(result));
  // Empty lists and objects, an undefined key and item, nesting and hostile text inside an item.
  const odd = {
    ...result,
    findings: [],
    context: [undefined, { a: [], b: {}, c: [1, [2, {}]], d: `x\u202e\u0085\n"y` }],
    mail: undefined,
  } as unknown as typeof result;
  assert.equal([...jsonPieces(odd)].join(''), toJson(odd));
  assert.equal([...jsonPieces({} as typeof result)].join(''), toJson({} as typeof result));
});

test('a long list inside an item is written an item at a time too: no piece holds a whole session of many entries', () => {
  const result = sampleResult();
  const session = result.sessions[0]!;
  const entry = session.entries[0]!;
  const entries = Array.from({ length: 5000 }, (_, i) => ({ ...entry, line: `GET /ecp/${i}.js \u202e` }));
  // Long lists two levels down, an undefined item among them, and short ones left whole.
  const deep = { short: [1, 2], long: Array.from({ length: 300 }, (_, i) => (i === 7 ? undefined : { i, more: Array.from({ length: 400 }, () => i) })) };
  const odd = { ...result, sessions: [{ ...session, entries }, session], context: [deep] } as unknown as typeof result;
  const pieces = [...jsonPieces(odd)];
  assert.equal(pieces.join(''), toJson(odd));
  const longest = pieces.reduce((n, p) => Math.max(n, p.length), 0);
  assert.ok(longest < 10_000, `the longest piece is ${longest} characters`);
});

test('the JSON written to a file is the same text, byte for byte, across its write buffer and past it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-json-'));
  try {
    const result = sampleResult();
    const first = result.findings[0]!;
    // Many items of two- and three-byte characters fill the buffer again and again, and cross it
    // mid-character; one item larger than the buffer is written on its own.
    // Some items hold what must be escaped (a bidi override, DEL, a C1 control), others only text past ASCII.
    const many = Array.from({ length: 3000 }, (_, i) => ({
      ...first,
      title: `${'é€'.repeat(i % 97)} ${i}`,
      fields: { x: `${'\u202e'.repeat(i % 3)}${i % 5 === 0 ? '\u007f' : ''}${i % 7 === 0 ? '\u0085' : ''}` },
    }));
    const huge = { ...first, title: `${'€'.repeat(700_000)}\u202e\u007f` };
    // An item of ASCII alone but a DEL, which must be escaped too.
    const del = { ruleId: 'r', title: 'a\u007fb' } as unknown as typeof first;
    const odd = { ...result, findings: [...many.slice(0, 1500), huge, del, ...many.slice(1500)] };
    for (const r of [result, odd]) {
      const file = join(dir, 'out.json');
      await writeJson(r, file);
      assert.ok((await readFile(file)).equals(Buffer.from(toJson(r), 'utf8')));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
