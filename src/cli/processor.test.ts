import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runRegulatory } from './test-helpers/run-regulatory.js';
import type { Fixture } from '../regulatory/test-helpers/fixture-case.js';
import { FIXTURE_REF, fixtureCase, WITH_PROCESSOR } from '../regulatory/test-helpers/fixture-case.js';
import { assertSchema } from '../test-support/json-schema.js';
import { chromiumMissing, skipIf } from '../test-support/skips.js';
import { registerObligations } from './obligations.js';
import { registerReport } from './report.js';

let fx: Fixture;
let plain: Fixture;
before(async () => {
  fx = await fixtureCase({ answers: WITH_PROCESSOR });
  plain = await fixtureCase();
});
after(async () => {
  await fx.close();
  await plain.close();
});

async function exir(args: string[], on = fx): Promise<{ out: string; err: string; code: number }> {
  return runRegulatory([registerObligations, registerReport], [...args, '--db', on.url, '--actor', 'dpo'], '2021-03-11T15:00:00.000Z');
}

interface Listed {
  clocks: { clock: { ruleId: string; recipient: string; role?: string; datasets?: string[] } }[];
}

test('obligations --json: each clock says in which role it is owed and which datasets it concerns, within the schema', async () => {
  const r = await exir(['obligations', FIXTURE_REF, '--json']);
  const list = assertSchema<Listed>('obligations', r.out);
  const gg = list.clocks.find((c) => c.clock.ruleId === 'GG_DPL_S42_PROCESSOR')?.clock;
  assert.deepEqual([gg?.recipient, gg?.role, gg?.datasets], ['Bay Holdings Limited (controller)', 'processor', ['payroll']]);
  const letter = list.clocks.find((c) => c.clock.ruleId === 'JE_DPJL_DATA_SUBJECTS')?.clock;
  assert.deepEqual([letter?.role, letter?.datasets], ['controller', ['kyc', 'hr']]);
  // A case whose answers give no roles reads as before: no role, no datasets.
  const old = assertSchema<Listed>('obligations', (await exir(['obligations', FIXTURE_REF, '--json'], plain)).out);
  assert.ok(old.clocks.length > 0 && old.clocks.every((c) => c.clock.role === undefined && c.clock.datasets === undefined));
});

test("report --pack processor: the client's notice as working and send copy in JSON, HTML and DOCX", async () => {
  const json = await exir(['report', FIXTURE_REF, '--pack', 'processor', '--format', 'json']);
  assert.equal(json.code, 0, json.err);
  const draft = assertSchema<{ pack: string; recipient: string; open: unknown[] }>('pack-draft', json.out);
  assert.deepEqual([draft.pack, draft.recipient, draft.open], ['processor', 'Bay Holdings Limited', []]);
  const send = await exir(['report', FIXTURE_REF, '--pack', 'processor', '--copy', 'send', '--format', 'json']);
  assert.equal(send.code, 0, send.err);
  // (The send copy's JSON is not checked against schema/pack-draft.schema.json: that schema requires each item's trace, which a send copy drops.)
  const sent = JSON.parse(send.out) as { format: string; recipient: string };
  assert.deepEqual([sent.format, sent.recipient], ['exir-pack-send', 'Bay Holdings Limited']);
  const html = await exir(['report', FIXTURE_REF, '--pack', 'processor', '--copy', 'send', '--format', 'html']);
  assert.match(html.out, /payroll records run for Bay Holdings/);
  for (const copy of ['working', 'send']) {
    const file = join(fx.dir, `notice-${copy}.docx`);
    const r = await exir(['report', FIXTURE_REF, '--pack', 'processor', '--copy', copy, '--format', 'docx', '--out', file]);
    assert.equal(r.code, 0, r.err);
    assert.equal(readFileSync(file).subarray(0, 2).toString(), 'PK');
  }
  // Every pack to a folder: the notice is named after its client.
  const dir = join(fx.dir, 'all');
  assert.equal((await exir(['report', FIXTURE_REF, '--json', '--out', dir])).code, 0);
  assert.ok(readdirSync(dir).includes('acme-proxylogon-processor-bay-holdings-limited.json'), readdirSync(dir).join(', '));
});

test("report --pack processor: the client's notice as a PDF, working and send copy", async (t) => {
  if (skipIf(t, 'chromium', chromiumMissing())) return;
  for (const copy of ['working', 'send']) {
    const file = join(fx.dir, `notice-${copy}.pdf`);
    const r = await exir(['report', FIXTURE_REF, '--pack', 'processor', '--copy', copy, '--format', 'pdf', '--out', file]);
    assert.equal(r.code, 0, r.err);
    assert.equal(readFileSync(file).subarray(0, 5).toString(), '%PDF-');
  }
});

test('report --pack processor where the firm holds no client data: a clear error, exit 2', async () => {
  const r = await exir(['report', FIXTURE_REF, '--pack', 'processor', '--format', 'json'], plain);
  assert.equal(r.code, 2);
  assert.match(r.err, /no dataset held as processor for a client/);
});
