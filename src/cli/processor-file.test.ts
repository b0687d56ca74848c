import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runRegulatory } from './test-helpers/run-regulatory.js';
import type { Fixture } from '../regulatory/test-helpers/fixture-case.js';
import { FIXTURE_REF, fixtureCase, WITH_PROCESSOR } from '../regulatory/test-helpers/fixture-case.js';
import { registerFile } from './file.js';

let fx: Fixture;
before(async () => {
  fx = await fixtureCase({ answers: WITH_PROCESSOR });
});
after(() => fx.close());

async function exir(args: string[]): Promise<{ out: string; err: string; code: number }> {
  return runRegulatory([registerFile], [...args, '--db', fx.url, '--actor', 'dpo'], '2021-03-11T15:00:00.000Z');
}

test("file: a processor duty's filing keeps the notice to that client as it stood", async () => {
  const gg = (await fx.store.listObligations(FIXTURE_REF)).find((o) => o.ruleId === 'GG_DPL_S42_PROCESSOR');
  assert.ok(gg);
  const r = await exir(['file', FIXTURE_REF, '--obligation', gg.ref, '--reference', 'BAY-ACK-1', '--at', '2021-03-09T10:00Z', '--channel', 'email']);
  assert.equal(r.code, 0, r.err);
  const stored = (await fx.store.listObligations(FIXTURE_REF)).find((o) => o.ref === gg.ref);
  const content = stored?.filings[0]?.content as { pack: string; draft: { pack: string; recipient?: string; title: string } };
  assert.deepEqual([content.pack, content.draft.pack, content.draft.recipient], ['processor', 'processor', 'Bay Holdings Limited']);
  assert.match(content.draft.title, /Bay Holdings Limited, as controller/);
});
