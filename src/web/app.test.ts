import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import bcrypt from 'bcryptjs';
import type { CaseStore } from '../case/index.js';
import { openStore } from '../case/index.js';
import { COOKIE, CSP, createWeb } from './app.js';
import type { Web } from './app.js';
import { Users } from './users.js';

// The dashboard's gate and headers, through the app's own fetch: no token, no page; no CSRF token,
// no change; every change under the signed-in user's name.
let dir: string;
let url: string;
const REF = 'acme/incident';
const TOKEN = 'a'.repeat(43);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'exir-web-app-'));
  url = `sqlite:${join(dir, 'exir.db')}`;
  const s = await openStore(url, { actor: 'setup' });
  await s.createCase({ ref: REF, title: 'Test incident' });
  await s.close();
});
after(() => rmSync(dir, { recursive: true, force: true }));

function tokenWeb(): Web {
  return createWeb({
    auth: { kind: 'token', token: TOKEN, user: { name: 'rita', role: 'responder', firm: undefined } },
    openStore: (user): Promise<CaseStore> => openStore(url, { actor: user.name }),
    tz: 'Europe/Jersey',
    uploads: join(dir, 'uploads'),
  });
}

async function signIn(web: Web): Promise<{ cookie: string; csrf: string }> {
  const first = await web.app.request(`/?token=${TOKEN}`);
  assert.equal(first.status, 303);
  assert.equal(first.headers.get('location'), '/', 'the token leaves the address bar');
  const cookie = /exir_session=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')?.[0] ?? '';
  assert.match(first.headers.get('set-cookie') ?? '', /HttpOnly/);
  const home = await web.app.request('/', { headers: { cookie } });
  assert.equal(home.status, 200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())?.[1] ?? '';
  assert.ok(csrf.length > 20);
  return { cookie, csrf };
}

describe('the gate', () => {
  test('every page without the token or its cookie is 401, a wrong token too', async () => {
    const web = tokenWeb();
    for (const path of ['/', '/calendar', `/c/${REF}`, `/c/${REF}/timeline`, `/c/${REF}/audit`, `/c/${REF}/packs/joic.html`]) {
      assert.equal((await web.app.request(path)).status, 401, path);
    }
    assert.equal((await web.app.request(`/?token=${'b'.repeat(43)}`)).status, 401);
    assert.equal((await web.app.request('/', { headers: { cookie: `${COOKIE}=guess` } })).status, 401);
    await web.close();
  });

  test('every response carries the strict CSP; only the two assets are served', async () => {
    const web = tokenWeb();
    const { cookie } = await signIn(web);
    const res = await web.app.request(`/c/${REF}`, { headers: { cookie } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-security-policy'), CSP);
    assert.match(CSP, /script-src 'self';/);
    assert.doesNotMatch(CSP, /unsafe-inline|unsafe-eval|https?:/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    const body = await res.text();
    assert.doesNotMatch(body, /<script>|<style>| style="| on[a-z]+="/i, 'no inline script, style or handler in our own markup');
    assert.equal((await web.app.request('/assets/app.js')).status, 200);
    for (const bad of [
      '/assets/../package.json',
      '/assets/%2e%2e%2fpackage.json',
      '/assets/app.ts',
      '/package.json',
      '/dist/cli/main.js',
      '/c/acme/incident/packs/..%2f..%2fx.html',
    ]) {
      const r = await web.app.request(bad, { headers: { cookie } });
      assert.equal(r.status, 404, bad);
    }
    await web.close();
  });

  test('a change without the CSRF token, or from another origin, is refused and not made', async () => {
    const web = tokenWeb();
    const { cookie, csrf } = await signIn(web);
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    const key = await (async () => {
      const s = await openStore(url, { actor: 'x' });
      try {
        return (await s.listActions(REF))[0]?.key ?? '';
      } finally {
        await s.close();
      }
    })();
    assert.equal((await web.app.request(`/c/${REF}/actions/${key}`, form({ status: 'done' }))).status, 403);
    assert.equal((await web.app.request(`/c/${REF}/actions/${key}`, form({ status: 'done', _csrf: 'x'.repeat(csrf.length) }))).status, 403);
    const cross = form({ status: 'done', _csrf: csrf });
    assert.equal(
      (await web.app.request(`http://localhost/c/${REF}/actions/${key}`, { ...cross, headers: { ...cross.headers, origin: 'http://evil.example' } })).status,
      403,
    );
    const check = await openStore(url, { actor: 'x' });
    assert.equal((await check.listActions(REF)).find((a) => a.key === key)?.status, 'open');

    const ok = await web.app.request(`/c/${REF}/actions/${key}`, form({ status: 'done', note: 'isolated', _csrf: csrf }));
    assert.equal(ok.status, 303);
    const log = await check.auditLog(REF);
    const last = log[log.length - 1];
    assert.equal(last?.actor, 'rita', 'the change is audited under the web user');
    assert.equal((await check.listActions(REF)).find((a) => a.key === key)?.status, 'done');
    await check.close();
    await web.close();
  });
});

test('an upload past the limit is refused before it is read', async () => {
  const web = tokenWeb();
  const { cookie, csrf } = await signIn(web);
  const form = new FormData();
  form.set('_csrf', csrf);
  form.set('obligation', 'O1');
  form.set('reference', 'x');
  form.set('document', new Blob([new Uint8Array(26 * 1024 * 1024)]), 'big.pdf');
  const res = await web.app.request(`/c/${REF}/filings`, { method: 'POST', headers: { cookie }, body: form });
  assert.equal(res.status, 413);
  assert.match(await res.text(), /at most 25 MB/);
  await web.close();
});

describe('users and roles', () => {
  test('a users file signs people in by bcrypt hash; a read-only user cannot change anything', async () => {
    const users = Users.from(
      {
        users: [
          { name: 'colm', role: 'compliance', password: await bcrypt.hash('correct horse battery', 4) },
          { name: 'bea', role: 'read-only', password: await bcrypt.hash('another long password', 4) },
        ],
      },
      'test',
    );
    const web = createWeb({ auth: { kind: 'users', users }, openStore: (u) => openStore(url, { actor: u.name }), tz: 'UTC', uploads: join(dir, 'uploads') });
    const login = (name: string, password: string) =>
      web.app.request('/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ name, password }).toString(),
      });
    assert.equal((await web.app.request('/')).status, 401);
    assert.equal((await login('colm', 'wrong')).status, 401);
    assert.equal((await login('nobody', 'correct horse battery')).status, 401);
    const bea = await login('bea', 'another long password');
    assert.equal(bea.status, 303);
    const cookie = /exir_session=([^;]+)/.exec(bea.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const page = await (await web.app.request(`/c/${REF}/decisions`, { headers: { cookie } })).text();
    assert.doesNotMatch(page, /Record a decision/, 'no form for a role that may not use it');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const res = await web.app.request(`/c/${REF}/decisions`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, kind: 'notify', decision: 'notify', rationale: 'r' }).toString(),
    });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /bea \(read-only\) may not do that/);
    const check = await openStore(url, { actor: 'x' });
    assert.equal((await check.listDecisions(REF)).length, 0);
    await check.close();
    await web.close();
  });

  test("a user limited to one firm sees only that firm's cases, and no other firm's case by its address", async () => {
    const users = Users.from({ users: [{ name: 'olga', role: 'responder', firm: 'other', password: await bcrypt.hash('a long password here', 4) }] }, 'test');
    const web = createWeb({
      auth: { kind: 'users', users },
      openStore: (u) => openStore(url, { actor: u.name, ...(u.firm ? { firm: u.firm } : {}) }),
      tz: 'UTC',
      uploads: join(dir, 'uploads'),
    });
    const res = await web.app.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'olga', password: 'a long password here' }).toString(),
    });
    const cookie = /exir_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const home = await (await web.app.request('/', { headers: { cookie } })).text();
    assert.doesNotMatch(home, /acme/);
    assert.match(home, /No cases yet/);
    const other = await web.app.request(`/c/${REF}`, { headers: { cookie } });
    assert.equal(other.status, 400);
    assert.match(await other.text(), /outside this session/);
    await web.close();
  });

  test('a users file with a plain password or an unknown role is refused with where', () => {
    assert.throws(
      () => Users.from({ users: [{ name: 'a', role: 'responder', password: 'hunter2' }] }, 'u.yml'),
      /u\.yml: users\[0\]: password must be a bcrypt hash/,
    );
    assert.throws(
      () => Users.from({ users: [{ name: 'a', role: 'admin', password: '$2b$04$' + 'a'.repeat(53) }] }, 'u.yml'),
      /users\[0\]: role must be one of/,
    );
    assert.throws(() => Users.from({}, 'u.yml'), /expected "users:"/);
  });
});
