import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CaseStore } from '../case/index.js';
import { openStore } from '../case/index.js';
import type { Fixture } from '../regulatory/test-helpers/fixture-case.js';
import { FIXTURE_REF, fixtureCase, WITH_PROCESSOR } from '../regulatory/test-helpers/fixture-case.js';
import { createWeb } from './app.js';

// The dashboard's pack download for the processor's notice: one client's notice, or none where the firm holds no client's data.
const TOKEN = 'p'.repeat(43);
let withClient: Fixture;
let plain: Fixture;

before(async () => {
  withClient = await fixtureCase({ answers: WITH_PROCESSOR });
  plain = await fixtureCase();
});
after(async () => {
  await withClient.close();
  await plain.close();
});

async function get(fx: Fixture, path: string): Promise<Response> {
  const web = createWeb({
    auth: { kind: 'token', token: TOKEN, user: { name: 'rita', role: 'responder', firm: undefined } },
    openStore: (user): Promise<CaseStore> => openStore(fx.url, { actor: user.name }),
    tz: 'Europe/Jersey',
    uploads: `${fx.dir}/uploads`,
    now: () => fx.now,
  });
  try {
    const first = await web.app.request(`/?token=${TOKEN}`);
    const cookie = /exir_session=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')?.[0] ?? '';
    return await web.app.request(`/c/${FIXTURE_REF}/${path}`, { headers: { cookie } });
  } finally {
    await web.close();
  }
}

test("the processor pack is the notice to the client, of the client's data", async () => {
  const res = await get(withClient, 'packs/processor.json');
  assert.equal(res.status, 200);
  const d = (await res.json()) as { pack: string; recipient: string; title: string };
  assert.deepEqual([d.pack, d.recipient], ['processor', 'Bay Holdings Limited']);
  assert.equal((await get(withClient, 'packs/processor.json?client=Someone%20Else')).status, 404);
});

test('no processor pack where the firm holds no client data', async () => {
  assert.equal((await get(plain, 'packs/processor.json')).status, 404);
});

test("the obligations page offers the processor's notice per client, and none where the firm holds no client data", async () => {
  const links = async (fx: Fixture) =>
    [...(await (await get(fx, 'obligations')).text()).matchAll(/href="([^"]*packs\/processor[^"]*)"/g)].map((m) => m[1] ?? '');
  const offered = await links(withClient);
  assert.ok(offered.length > 0);
  assert.ok(offered.length === 8 && offered.every((h) => h.includes('client=Bay%20Holdings%20Limited')));
  const path = offered.find((h) => h.endsWith('.json?client=Bay%20Holdings%20Limited'))?.replace(`/c/${FIXTURE_REF}/`, '') ?? '';
  assert.equal((await get(withClient, path)).status, 200);
  assert.deepEqual(await links(plain), []);
});
