import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildsInPage, CVE_2021_26855_COOKIE, probe, probeTarget } from './probe.js';

// A fake OWA front end on 127.0.0.1 only. Each mode is one of the answers a real server gives.
type Mode = 'vulnerable' | 'patched' | 'no-version' | 'redirect' | 'redirect-away' | 'silent';

interface Seen {
  path: string;
  cookie: string | undefined;
  method: string;
}

const seen: Seen[] = [];
let mode: Mode = 'vulnerable';
let server: http.Server;
let base = '';

const LOGON_2176 =
  '<html><link rel="shortcut icon" href="/owa/auth/15.1.2176/themes/resources/favicon.ico"><script src="/owa/auth/15.1.2176/scripts/premium/flogon.js"></script></html>';

function answer(req: http.IncomingMessage, res: http.ServerResponse): void {
  seen.push({ path: req.url ?? '', cookie: req.headers.cookie, method: req.method ?? '' });
  const path = req.url ?? '';
  if (mode === 'silent') return; // never answers: the probe must time out
  if (path.startsWith('/owa/auth/x.js')) {
    const ssrf = req.headers.cookie === CVE_2021_26855_COOKIE;
    if (mode === 'vulnerable' && ssrf) res.setHeader('X-CalculatedBETarget', 'localhost');
    res.statusCode = mode === 'vulnerable' ? 500 : 404;
    res.end();
    return;
  }
  if (path === '/owa/auth/logon.aspx' && mode === 'redirect') {
    res.writeHead(302, { Location: '/owa/auth/logon.aspx?replaceCurrent=1&reason=0' });
    res.end();
    return;
  }
  if (path === '/owa/auth/logon.aspx' && mode === 'redirect-away') {
    res.writeHead(302, { Location: 'http://192.0.2.10/owa/auth/logon.aspx' });
    res.end();
    return;
  }
  if (path.startsWith('/owa/auth/logon.aspx')) {
    if (mode === 'vulnerable' || mode === 'redirect') res.setHeader('X-OWA-Version', '15.1.2176.2');
    if (mode === 'patched') res.setHeader('x-owa-version', '15.1.2176.9');
    res.setHeader('Content-Type', 'text/html');
    res.end(mode === 'no-version' ? '<html>Outlook</html>' : LOGON_2176);
    return;
  }
  res.statusCode = 404;
  res.end();
}

before(async () => {
  server = http.createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function run(m: Mode, timeoutMs = 5000): ReturnType<typeof probe> {
  mode = m;
  seen.length = 0;
  return probe(`${base}/owa/`, { timeoutMs });
}

describe('probe against a fake OWA server on 127.0.0.1 (TLS not needed)', () => {
  it('vulnerable: reads X-OWA-Version and the /owa/auth path, and finds the X-CalculatedBETarget answer', async () => {
    const r = await run('vulnerable');
    assert.equal(r.cve202126855.status, 'vulnerable');
    assert.equal(r.cve202126855.evidence, 'X-CalculatedBETarget: localhost');
    assert.deepEqual(
      r.readings.map((x) => [x.source, x.value, x.showsSecurityUpdates]),
      [
        ['x-owa-version', '15.1.2176.2', 'usually'],
        ['owa-path', '15.1.2176', 'no'],
      ],
    );
    assert.equal(r.best?.value, '15.1.2176.2');
    // Exactly two requests, the second with Microsoft's cookie and nothing else.
    assert.deepEqual(
      seen.map((s) => [s.method, s.path]),
      [
        ['GET', '/owa/auth/logon.aspx'],
        ['GET', '/owa/auth/x.js'],
      ],
    );
    assert.equal(seen[0]?.cookie, undefined);
    assert.equal(seen[1]?.cookie, CVE_2021_26855_COOKIE);
  });

  it('patched: the header is read case-insensitively and the check says not vulnerable', async () => {
    const r = await run('patched');
    assert.equal(r.cve202126855.status, 'not-vulnerable');
    assert.match(r.cve202126855.evidence, /HTTP 404, no X-CalculatedBETarget/);
    assert.equal(r.best?.value, '15.1.2176.9');
  });

  it('no version: says it found none', async () => {
    const r = await run('no-version');
    assert.equal(r.readings.length, 0);
    assert.equal(r.best, undefined);
    assert.match(r.warnings.map((w) => w.message).join(' '), /no build found/);
    assert.equal(r.cve202126855.status, 'not-vulnerable');
  });

  it('redirect on the same host is followed', async () => {
    const r = await run('redirect');
    assert.deepEqual(
      seen.map((s) => s.path),
      ['/owa/auth/logon.aspx', '/owa/auth/logon.aspx?replaceCurrent=1&reason=0', '/owa/auth/x.js'],
    );
    assert.equal(r.best?.value, '15.1.2176.2');
    assert.deepEqual(
      r.requests.map((q) => q.status),
      [302, 200, 404],
    );
  });

  it('redirect to another host is not followed', async () => {
    const r = await run('redirect-away');
    assert.deepEqual(r.redirectsNotFollowed, ['http://192.0.2.10/owa/auth/logon.aspx']);
    assert.deepEqual(
      seen.map((s) => s.path),
      ['/owa/auth/logon.aspx', '/owa/auth/x.js'],
    );
    assert.equal(
      r.requests.every((q) => q.url.startsWith(base)),
      true,
    );
  });

  it('a server that never answers gives an inconclusive check, not a verdict', async () => {
    const r = await run('silent', 300);
    assert.equal(r.cve202126855.status, 'inconclusive');
    assert.match(r.cve202126855.evidence, /no answer within 300 ms/);
    assert.equal(r.readings.length, 0);
    assert.match(r.failed ?? '', /^no answer from 127\.0\.0\.1:\d+: no answer within 300 ms/);
  });

  it('a closed port is a failed probe, and a server that answers is not', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await probe(`http://127.0.0.1:${port}`, { timeoutMs: 2000 });
    assert.match(r.failed ?? '', /ECONNREFUSED/);
    assert.equal((await run('patched')).failed, undefined);
  });
});

describe('probe helpers', () => {
  it('finds three- and four-part OWA paths', () => {
    assert.deepEqual(buildsInPage('<a href="/owa/auth/15.2.1118/themes/x.css"><img src="/owa/15.2.1118.26/scripts/a.js">'), ['15.2.1118', '15.2.1118.26']);
  });

  it('takes the origin only and refuses other schemes and credentials', () => {
    assert.equal(probeTarget('https://mail.example.je/owa/?x=1').href, 'https://mail.example.je/');
    assert.equal(probeTarget('mail.example.je').href, 'https://mail.example.je/');
    assert.throws(() => probeTarget('ftp://mail.example.je'), /only http and https/);
    assert.throws(() => probeTarget('https://u:p@mail.example.je'), /credentials/);
  });
});
