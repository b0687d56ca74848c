import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import bcrypt from 'bcryptjs';
import type { Browser, Page } from 'playwright-core';
import type { ScanResult } from '../core/types.js';
import type { HarnessFactory } from '../case/test-support/harness.js';
import { pgHarnesses, sqliteHarnesses } from '../case/test-support/harness.js';
import { PG_URL, postgresMissing, skipIf } from '../test-support/skips.js';
import { generateDemo } from '../demo/generate.js';
import { buildDraft } from '../regulatory/draft.js';
import { assessCase, readStanding } from '../regulatory/refresh.js';
import { blockingQuestions } from '../regulatory/send-copy.js';
import { FIXTURE_ANSWERS } from '../regulatory/test-helpers/fixture-case.js';
import { scan } from '../scan/run.js';
import { startServer } from './serve.js';
import { chromiumMissing, launch, shotDir } from './test-support/browser.js';
import { Users } from './users.js';

// The response team's afternoon on the demo case, in Chromium, on both stores: the compliance
// officer records a decision and a filing with the letter sent and downloads a pack; the responder
// filters the timeline, opens a finding's evidence, ticks an action and verifies the evidence.
// The audit log must show each change under the person who made it.
const REF = 'acme/proxylogon';
const RITA = { name: 'rita', password: 'rita-long-password' };
const COLM = { name: 'colm', password: 'colm-long-password' };
const BEA = { name: 'bea', password: 'bea-long-password' };
const BO = { name: 'bo', password: 'bo-long-password' };
let demo: ScanResult | undefined;
let work: string;
let browser: Browser | undefined;
const missing = chromiumMissing();

before(async () => {
  if (missing) return;
  work = await mkdtemp(join(tmpdir(), 'exir-web-scenario-'));
  await generateDemo({ outDir: join(work, 'demo'), targetBytes: 600_000 });
  demo = await scan({ inputs: [join(work, 'demo')], threads: 1 });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function signIn(page: Page, base: string, who: { name: string; password: string }): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Name').fill(who.name);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
}

function scenario(engine: string, factory: HarnessFactory): void {
  test(`the team's scenario in Chromium on ${engine}`, async (t) => {
    if (skipIf(t, 'chromium', missing ?? (!browser || !demo ? 'the browser or the demo case could not be set up' : undefined)) || !browser || !demo) return;
    const h = await factory();
    const shots = shotDir(`scenario-${engine}`);
    try {
      const setup = await h.open({ actor: 'setup' });
      const twentyHoursAgo = new Date(Date.now() - 20 * 3600_000).toISOString();
      await setup.createCase({
        ref: REF,
        title: 'Exchange compromise (ProxyLogon)',
        firm: {
          name: 'Acme Trust',
          registrations: [
            { scheme: 'JFSC', number: 'TCB-1234' },
            { scheme: 'JOIC', number: 'JOIC-55' },
          ],
        },
        // One instant for both: two clock readings a millisecond apart would make aware differ from detected.
        detectedAt: twentyHoursAgo,
        awareAt: twentyHoursAgo,
        occurredFrom: '2021-03-03T00:00:00Z',
      });
      await setup.recordScan(REF, demo, { actor: 'setup', args: ['scan'] });
      await assessCase(setup, REF, FIXTURE_ANSWERS, new Date().toISOString());
      const users = Users.from(
        {
          users: [
            { name: RITA.name, role: 'responder', password: await bcrypt.hash(RITA.password, 4) },
            { name: COLM.name, role: 'compliance', password: await bcrypt.hash(COLM.password, 4) },
            { name: BEA.name, role: 'read-only', password: await bcrypt.hash(BEA.password, 4) },
            { name: BO.name, role: 'board', password: await bcrypt.hash(BO.password, 4) },
          ],
        },
        'test',
      );
      const serving = await startServer({
        port: 0,
        bind: '127.0.0.1',
        tz: 'Europe/Jersey',
        uploads: join(work, `uploads-${engine}`),
        auth: { kind: 'users', users },
        openStore: (u) => h.open({ actor: u.name }),
      });
      const base = serving.url.replace(/\/$/, '');
      const c = `${base}/c/${REF}`;
      const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
      try {
        // A read-only viewer, then a board member, first of all: every page and every pack opened
        // changes nothing, and every change they try is refused with 403 and not made.
        const auditBefore = (await setup.auditLog(REF)).length;
        const obligationsBefore = await setup.listObligations(REF);
        const pages = [
          `${base}/`,
          `${base}/calendar`,
          c,
          ...['timeline', 'sessions', 'mailboxes', 'exposure', 'evidence', 'actions', 'decisions', 'obligations', 'audit'].map((p) => `${c}/${p}`),
        ];
        const actionKey = (await setup.listActions(REF))[0]?.key ?? '';
        for (const viewer of [BEA, BO]) {
          await signIn(page, base, viewer);
          for (const p of pages) assert.equal((await page.goto(p))?.status(), 200, p);
          for (const pack of ['joic.html', 'jfsc.json']) assert.equal((await page.request.get(`${c}/packs/${pack}`)).status(), 200, pack);
          assert.equal((await setup.auditLog(REF)).length, auditBefore, `no audit entry from the pages ${viewer.name} opened`);
          await page.goto(`${c}/obligations`);
          assert.match(await page.locator('main').innerText(), /A responder or the compliance officer can bring them up to date/);
          assert.equal(await page.getByRole('button', { name: 'Bring the obligations up to date' }).count(), 0);
          const csrf = (await page.locator('input[name="_csrf"]').first().getAttribute('value')) ?? '';
          const tries: [string, Record<string, string>][] = [
            ['obligations/refresh', {}],
            [`actions/${actionKey}`, { status: 'done' }],
            ['evidence/verify', {}],
            ['filings', { obligation: 'O1', reference: 'X-1' }],
            ...(viewer === BEA ? [['decisions', { kind: 'notify', decision: 'notify', rationale: 'r' }] as [string, Record<string, string>]] : []),
          ];
          for (const [path, fields] of tries) {
            const res = await page.request.post(`${c}/${path}`, { form: { _csrf: csrf, ...fields }, maxRedirects: 0 });
            assert.equal(res.status(), 403, `${viewer.name} POST ${path}`);
            assert.match(await res.text(), new RegExp(`${viewer.name} \\((read-only|board)\\) may not do that`));
          }
          await page.getByRole('button', { name: 'Sign out' }).click();
        }
        assert.equal((await setup.auditLog(REF)).length, auditBefore, 'no audit entry from what the viewers opened or tried');
        assert.deepEqual(await setup.listObligations(REF), obligationsBefore, 'the obligations are as they were');
        assert.equal((await setup.listDecisions(REF)).length, 0);

        // The compliance officer: the obligations brought up to date, every page, a decision, a filing
        // with the letter sent, a pack.
        await signIn(page, base, COLM);
        await page.goto(`${c}/obligations`);
        await page.getByRole('button', { name: 'Bring the obligations up to date' }).click();
        assert.match(await page.getByRole('status').innerText(), /The obligations are up to date/);
        assert.equal(await page.locator('#obligations-pending').count(), 0);
        for (const [name, path] of [
          ['cases', `${base}/`],
          ['calendar', `${base}/calendar`],
          ['overview', c],
          ['timeline', `${c}/timeline`],
          ['sessions', `${c}/sessions`],
          ['mailboxes', `${c}/mailboxes`],
          ['exposure', `${c}/exposure`],
          ['evidence', `${c}/evidence`],
          ['actions', `${c}/actions`],
          ['decisions', `${c}/decisions`],
          ['obligations', `${c}/obligations`],
          ['audit', `${c}/audit`],
        ] as const) {
          const res = await page.goto(path);
          assert.equal(res?.status(), 200, name);
          await shot(name);
        }
        // Keyboard first: the first Tab reaches the skip link, and it leads to the content.
        await page.goto(`${c}/timeline`);
        await page.keyboard.press('Tab');
        assert.equal(await page.evaluate('document.activeElement.textContent'), 'Skip to content');
        // Printed, the page is the content alone: no header, tabs or forms.
        await page.emulateMedia({ media: 'print' });
        assert.equal(await page.locator('header').isVisible(), false);
        assert.equal(await page.locator('form.filters').isVisible(), false);
        assert.equal(await page.locator('main table').isVisible(), true);
        await page.emulateMedia({ media: 'screen' });

        await page.goto(`${base}/`);
        assert.match(await page.locator('main').innerText(), /acme\/proxylogon[\s\S]*post-exploitation/, 'the case list shows the worst verdict');
        await page.goto(c);
        assert.match(await page.locator('main').innerText(), /EX01\s+post-exploitation/);
        const ex01 = demo.servers.find((s) => s.name === 'EX01');
        assert.ok(ex01 && ex01.wouldChange !== '');
        assert.equal(
          await page.locator('main tr', { hasText: 'EX01' }).first().locator('td.would-change').innerText(),
          ex01.wouldChange,
          'the overview says what would change the verdict, as the scan said',
        );
        assert.ok((await page.locator('[data-due]').count()) > 0, 'the clocks run on the overview');
        // Exposure: the builds the scan kept from the demo's HttpProxy logs, each server's history and CVEs.
        const named = new Set(demo.evidence.filter((e) => e.build && e.server && e.firstTime).map((e) => e.sha256));
        assert.ok(named.size > 0);
        assert.equal((await setup.listBuilds(REF)).length, named.size, 'one build sighting per log that names its build');
        await page.goto(`${c}/exposure`);
        const ex01Exposure = await page.locator('#exposure-EX01').innerText();
        assert.match(ex01Exposure, /Build 15\.1\.2176\.\d+/);
        assert.match(ex01Exposure, /Patch history from its logs\s+\S*\s*15\.1\.2176/);
        assert.match(ex01Exposure, /exposed\s+CVE-2021-26855/, 'the ProxyLogon CVE is listed as exposed on the pre-March 2021 build');
        await shot('exposure');
        await page.goto(`${c}/sessions`);
        assert.match(
          (await page.locator('#session-graph').textContent()) ?? '',
          /203\.0\.113\.\d+[\s\S]*\/aspnet_client\/\w+\.aspx/,
          'the session graph: IP, then the web shell',
        );

        await page.goto(`${c}/decisions`);
        await page.getByLabel('Kind').selectOption('notify');
        await page.getByLabel('Decision', { exact: true }).fill('Notify the JOIC and the JFSC');
        await page.getByLabel('Why (the rationale)').fill('Client mailboxes were reachable by the attacker');
        await page.getByRole('button', { name: 'Record decision' }).click();
        await page.waitForLoadState();
        await shot('decision-recorded');
        assert.match(await page.getByRole('status').innerText(), /Decision D\d+ recorded/);

        await page.goto(`${c}/obligations`);
        const firstOb = await page.locator('select[name="obligation"] option').first().getAttribute('value');
        await page.getByLabel("Regulator's reference").fill('JOIC-2021-0042');
        await page.getByLabel('Reasons for the delay').fill('Scope of the breach was established on the day of filing');
        await page
          .locator('input[name="document"]')
          .setInputFiles({ name: 'joic-report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 the report as sent') });
        await page.getByRole('button', { name: 'Record filing' }).click();
        assert.match(
          await page.getByRole('status').innerText(),
          new RegExp(`Filing #1 for ${firstOb ?? '?'} recorded; the document is E\\d+ in the evidence register`),
        );
        await shot('obligations-filed');

        const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`a[href$="/packs/joic.html"]`).click()]);
        const pack = await readFile(await download.path(), 'utf8');
        assert.equal(download.suggestedFilename(), 'acme-proxylogon-joic.html');
        assert.match(pack, /<h1>/);
        // The send copy is refused while the JOIC report has open questions, each named on the page.
        const now = new Date().toISOString();
        const standing = await readStanding(setup, REF, now);
        const joic = buildDraft('joic', { ...standing, now, tz: 'Europe/Jersey' }, {});
        const open = blockingQuestions(joic);
        assert.ok(open.length > 0, 'the demo case leaves questions of the JOIC report open');
        await page.goto(`${c}/obligations`);
        const refused = await page.goto(`${base}${(await page.locator('a[href$="/packs/joic.html?copy=send"]').getAttribute('href')) ?? ''}`);
        assert.equal(refused?.status(), 409);
        const said = await page.locator('ul.open-questions').innerText();
        for (const q of open) assert.ok(said.includes(q.label), `the open question "${q.label}" is named`);
        await shot('send-copy-refused');
        await page.getByRole('button', { name: 'Sign out' }).click();

        // The responder: the timeline filtered, a finding's evidence, an action ticked, the evidence verified.
        await signIn(page, base, RITA);
        await page.goto(`${c}/timeline`);
        const allRows = await page.locator('main tbody tr').count();
        await page.getByLabel('Stage').selectOption('post-exploitation');
        await page.getByRole('button', { name: 'Filter' }).click();
        const stages = await page.locator('main tbody tr td:nth-child(3)').allInnerTexts();
        assert.ok(stages.length > 0 && stages.length < allRows, `the filter narrows the timeline (${stages.length} of ${allRows})`);
        assert.deepEqual([...new Set(stages)], ['post-exploitation']);
        await shot('timeline-filtered');
        await page.locator('main tbody tr td:last-child a').first().click();
        const record = await page.locator('main').innerText();
        assert.match(record, /File SHA-256\s+[0-9a-f]{64}/);
        await shot('record');
        // A finding outside every session opens its evidence too: file, line, hash and the fields it kept.
        await page.goto(`${c}/timeline`);
        const lone = page.locator('main tbody tr').filter({ has: page.locator('td:nth-child(6):empty') });
        assert.ok((await lone.count()) > 0, 'the demo has findings outside the sessions');
        await lone.first().locator('td:last-child a').click();
        const loneRecord = await page.locator('main').innerText();
        assert.match(loneRecord, /Session\s+none/);
        assert.match(loneRecord, /File SHA-256\s+[0-9a-f]{64}/);
        assert.ok((await page.locator('main table').nth(1).locator('tbody tr').count()) > 0, "the record's fields are shown");
        assert.doesNotMatch(loneRecord, /keeps no fields/);
        await shot('record-outside-sessions');

        await page.goto(`${c}/actions`);
        const row = page.locator('main tbody tr').first();
        const key = (await row.getAttribute('id'))?.replace('action-', '') ?? '';
        await row.locator('select[name="status"]').selectOption('done');
        await row.locator('input[name="note"]').fill('EX01 isolated from the internet');
        await row.getByRole('button', { name: 'Save' }).click();
        assert.match(await page.getByRole('status').innerText(), new RegExp(`${key} is now done`));

        await page.goto(`${c}/evidence`);
        await page.getByRole('button', { name: 'Verify now' }).click();
        assert.match(await page.locator('main').innerText(), /intact: the SHA-256 matches/);

        await page.goto(`${c}/audit`);
        const actors = await page.locator('td.actor').allInnerTexts();
        assert.ok(actors.includes('rita') && actors.includes('colm'), 'the audit page shows both users');
        await shot('audit');

        const log = await setup.auditLog(REF);
        const by = (entity: string, action?: string) =>
          log.filter((e) => e.entity === entity && (action === undefined || e.action === action)).map((e) => e.actor);
        assert.ok(by('decision').includes('colm'), 'the decision is audited under colm');
        assert.ok(by('filing').includes('colm'), 'the filing is audited under colm');
        assert.ok(by('evidence').includes('colm'), 'the uploaded document is registered under colm');
        assert.ok(by('action').includes('rita'), 'the action is audited under rita');
        assert.ok(
          log.filter((e) => e.actor === 'rita').some((e) => /verif/i.test(`${e.action} ${e.entity}`)),
          'the verification is audited under rita',
        );
        t.diagnostic(`screenshots: ${shots}`);
      } finally {
        await context.close();
        await serving.close();
      }
    } finally {
      await h.dispose();
    }
  });
}

const unreachable = await postgresMissing(PG_URL);
describe('the dashboard in a browser', () => {
  scenario('SQLite', sqliteHarnesses());
  if (unreachable !== undefined) {
    test("the team's scenario in Chromium on PostgreSQL", (t) => {
      skipIf(t, 'postgres', unreachable);
    });
  } else {
    const pgRun = pgHarnesses(PG_URL);
    scenario('PostgreSQL', pgRun.factory);
    after(() => pgRun.drop());
  }
});
