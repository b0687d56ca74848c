import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openStore } from '../case/index.js';
import { scan } from '../scan/run.js';
import { ewsLog, httpProxyLog, iisLog, rpsCmdletLog } from '../scan/test-helpers.js';
import { startServer } from './serve.js';
import type { Serving } from './serve.js';
import { chromiumMissing, launch, shotDir } from './test-support/browser.js';
import { skipIf } from '../test-support/skips.js';

// A case built from a hostile corpus: markup, handlers, javascript: URLs, SVG payloads, CSS escapes,
// bidi and ANSI characters in user agents, URLs, cmdlet parameters, mailbox names and file names.
// Every page is opened in Chromium; nothing may run and nothing may be fetched from anywhere else.
const EVIL = 'evil.example';
const P = {
  script: `<script>window.__pwned=1;fetch('http://${EVIL}/s')</script>`,
  img: `"><img src=http://${EVIL}/i.png onerror=window.__pwned=2>`,
  js: 'javascript:window.__pwned=3',
  svg: `<svg/onload=window.__pwned=4><image href=http://${EVIL}/v.svg />`,
  css: `</style><style>@import 'http://${EVIL}/c.css';body{background:url(http://${EVIL}/b)}</style><x style=background:url(http://${EVIL}/x)>`,
  bidi: '\u202etxt.exe\u202c\u001b[31m\u001b]0;pwned\u0007',
  link: `<a href="javascript:window.__pwned=5">x</a><iframe src=http://${EVIL}/f></iframe><link rel=stylesheet href=http://${EVIL}/l.css><meta http-equiv=refresh content="0;url=http://${EVIL}/">`,
};
const ALL = Object.values(P).join('');
const noSpace = (s: string) => s.replace(/ /g, '+');
const ATTACKER = '203.0.113.66';

// Run in the page (the project's types have no DOM): what, if anything, the evidence managed to inject.
const INSPECT = `(() => ({
  pwned: window.__pwned,
  scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')).filter((s) => s !== '/assets/app.js'),
  handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => e.tagName + ' ' + a.name)),
  elements: document.querySelectorAll('img, iframe, style, link:not([href="/assets/app.css"]), meta[http-equiv], image, x, object, embed, [style]').length,
  jsLinks: [...document.querySelectorAll('a')].filter((a) => /^\\s*javascript:/i.test(a.getAttribute('href') || '')).length,
  bidi: /[\\u202a-\\u202e\\u2066-\\u2069\\u001b]/.test(document.body.innerText),
}))()`;

let dir: string;
let serving: Serving | undefined;
const REF = 'hostile/case';

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(dir, path, '..'), { recursive: true });
  await writeFile(join(dir, path), text);
}

before(async () => {
  if (chromiumMissing()) return;
  dir = await mkdtemp(join(tmpdir(), 'exir-hostile-'));
  const ev = `ev/EX01/${noSpace(P.img).replace(/\//g, '_')}${P.bidi}`;
  await put(
    `${ev}/HttpProxy/Ecp/HttpProxy_2021030302-1.LOG`,
    httpProxyLog('EX01', [
      {
        DateTime: '2021-03-03T02:00:00.000Z',
        RequestId: 'h1',
        MajorVersion: '15',
        MinorVersion: '1',
        BuildVersion: '2176',
        RevisionVersion: '2',
        Protocol: 'Ecp',
        UrlStem: `/ecp/${P.svg}.js`,
        AnchorMailbox: `ServerInfo~a]@EX01.corp.local:444/ecp/proxyLogon.ecp?#${P.script}`,
        ClientIpAddress: ATTACKER,
        UserAgent: ALL,
        HttpStatus: '241',
        Method: 'POST',
      },
    ]),
  );
  await put(
    `${ev}/Ews/Ews_2021030302-1.LOG`,
    ewsLog('EX01', [
      {
        DateTime: '2021-03-03T02:01:00.000Z',
        RequestId: 'e1',
        SoapAction: 'GetItem',
        AuthenticatedUser: `${P.img}${P.bidi}@corp.je`,
        ClientIpAddress: ATTACKER,
        UserAgent: P.css,
        HttpStatus: '200',
      },
    ]),
  );
  await put(
    `${ev}/Rps_Cmdlet/Rps_Cmdlet_2021030302-1.LOG`,
    rpsCmdletLog('EX01', [
      {
        DateTime: '2021-03-03T02:10:00.000Z',
        Cmdlet: 'New-MailboxExportRequest',
        Parameters: `-Mailbox "${P.link}@corp.je" -FilePath "\\\\localhost\\c$\\inetpub\\wwwroot\\aspnet_client\\${P.svg}.aspx"`,
        AuthenticatedUser: 'NT AUTHORITY\\SYSTEM',
        ExecutionResult: 'Success',
      },
    ]),
  );
  await put(
    `${ev}/W3SVC1/u_ex210303.log`,
    iisLog([`2021-03-03 02:20:00 10.0.0.3 POST /aspnet_client/${noSpace(P.js)}.aspx ${noSpace(P.script)} 443 - ${ATTACKER} ${noSpace(ALL)} - 200 0 0 10`]),
  );
  const result = await scan({ inputs: [join(dir, 'ev')], threads: 1 });
  assert.ok(result.findings.length >= 2, 'the hostile corpus is scanned into findings');
  const store = await openStore(`sqlite:${join(dir, 'exir.db')}`, { actor: `analyst${P.bidi}` });
  await store.createCase({
    ref: REF,
    title: `Hostile ${P.script}`,
    firm: { name: `Firm ${P.img}` },
    awareAt: '2021-03-08T09:00:00Z',
    detectedAt: '2021-03-08T09:00:00Z',
  });
  await store.recordScan(REF, result, { actor: 'analyst', args: ['scan'] });
  await store.decide(REF, { kind: 'other', decision: P.link, rationale: P.css, evidence: [] });
  const action = (await store.listActions(REF))[0];
  if (action) await store.updateAction(REF, action.key, { status: 'in-progress', note: P.svg });
  await store.close();
  serving = await startServer({
    port: 0,
    bind: '127.0.0.1',
    tz: 'Europe/Jersey',
    uploads: join(dir, 'uploads'),
    auth: { kind: 'token', token: 't'.repeat(43), user: { name: 'rita', role: 'responder', firm: undefined } },
    openStore: (u) => openStore(`sqlite:${join(dir, 'exir.db')}`, { actor: u.name }),
  });
});
after(async () => {
  await serving?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('a case from a hostile corpus: in Chromium, on every page, nothing runs and nothing is fetched', async (t) => {
  const missing = chromiumMissing();
  if (skipIf(t, 'chromium', missing ?? (serving ? undefined : 'the server could not be started')) || !serving) return;
  const base = serving.url.replace(/\/$/, '');
  const browser = await launch();
  const shots = shotDir('hostile');
  try {
    const page = await browser.newPage();
    const foreign: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('blob:')) foreign.push(r.url());
    });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.route(
      (u) => !u.href.startsWith(base),
      (r) => r.abort(),
    );
    await page.goto(`${base}/?token=${'t'.repeat(43)}`);
    const c = `/c/${REF}`;
    const paths = [
      '/',
      '/calendar',
      c,
      `${c}/timeline`,
      `${c}/sessions`,
      `${c}/mailboxes`,
      `${c}/exposure`,
      `${c}/evidence`,
      `${c}/actions`,
      `${c}/decisions`,
      `${c}/obligations`,
      `${c}/audit`,
    ];
    const timeline = await (await page.request.get(`${base}${c}/timeline`)).text();
    const record = /href="(\/c\/hostile\/case\/record\?[^"]+)"/.exec(timeline)?.[1];
    assert.ok(record, 'the timeline links each entry to its evidence');
    paths.push(record.replace(/&#38;/g, '&'));
    let sawPayload = 0;
    for (const path of paths) {
      const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
      assert.equal(res?.status(), 200, path);
      await page.waitForTimeout(150);
      const html = await page.content();
      if (html.includes(EVIL)) sawPayload += 1;
      const injected = await page.evaluate(INSPECT);
      assert.deepEqual(injected, { pwned: undefined, scripts: [], handlers: [], elements: 0, jsLinks: 0, bidi: false }, path);
      await page.screenshot({ path: join(shots, `${path.replace(/\W+/g, '_').slice(0, 60) || 'cases'}.png`), fullPage: true });
    }
    assert.ok(sawPayload >= 5, `the payloads are on the pages, shown as text (seen on ${sawPayload})`);
    assert.deepEqual(foreign, [], 'nothing is fetched from another origin');
    assert.deepEqual(dialogs, []);
    const svg = await page.request.get(`${base}${c}/sessions.svg`);
    assert.match(svg.headers()['content-disposition'] ?? '', /attachment/);
    assert.doesNotMatch(await svg.text(), /<script|<img|onload=|<image /i);
    t.diagnostic(`screenshots: ${shots}`);
  } finally {
    await browser.close();
  }
});
