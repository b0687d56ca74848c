import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type DemoResult, generateDemo } from './generate.js';

/** RFC 4180 field splitter for one line (the demo never puts a line break inside a field). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error(`unterminated quote: ${line.slice(0, 80)}`);
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(value);
      if (i === line.length) return out;
      if (line[i] !== ',') throw new Error(`text after a closing quote at ${i}: ${line.slice(0, 80)}`);
      i++;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, c));
      i = c + 1;
    }
  }
}

interface Parsed {
  path: string;
  kind: 'exchange' | 'iis';
  logType: string;
  fields: string[];
  rows: string[][];
}

async function parseFile(root: string, path: string): Promise<Parsed> {
  const text = await readFile(join(root, path), 'utf8');
  assert.ok(text.endsWith('\r\n'), `${path}: last line not ended with CRLF`);
  const lines = text.slice(0, -2).split('\r\n');
  const iis = lines[0] === '#Software: Microsoft Internet Information Services 10.0';
  const rows: string[][] = [];
  let fields: string[] = [];
  let logType = 'iis';
  if (iis) {
    assert.equal(lines[1], '#Version: 1.0', path);
    assert.match(lines[2] ?? '', /^#Date: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, path);
  } else {
    assert.equal(lines[0], '#Software: Microsoft Exchange Server', `${path}: first line`);
    assert.match(lines[1] ?? '', /^#Version: 15\.\d+\.\d+\.\d+$/, path);
    logType = /^#Log-type: (.+)$/.exec(lines[2] ?? '')?.[1] ?? '';
    assert.ok(logType, `${path}: no #Log-type`);
    assert.match(lines[3] ?? '', /^#Date: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, path);
  }
  for (const [n, line] of lines.entries()) {
    if (line.startsWith('#')) {
      if (line.startsWith('#Fields: ')) fields = iis ? line.slice(9).split(' ') : line.slice(9).split(',');
      continue;
    }
    assert.ok(fields.length > 0, `${path}:${n + 1}: data before #Fields`);
    const values = iis ? line.split(' ') : splitCsv(line);
    assert.equal(values.length, fields.length, `${path}:${n + 1}: ${values.length} values for ${fields.length} fields`);
    rows.push(values);
  }
  return { path, kind: iis ? 'iis' : 'exchange', logType, fields, rows };
}

async function hashBundle(root: string, files: string[]): Promise<string> {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(`${f}\0`);
    h.update(await readFile(join(root, f)));
  }
  return h.digest('hex');
}

async function listFiles(root: string, dir = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, rel)));
    else out.push(rel);
  }
  return out.sort();
}

const temps: string[] = [];
async function temp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'exir-demo-test-'));
  temps.push(dir);
  return dir;
}
after(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

describe('generateDemo', () => {
  let root = '';
  let result: DemoResult;
  let parsed: Parsed[] = [];
  const col = (p: Parsed, row: string[], name: string): string => {
    const i = p.fields.indexOf(name);
    assert.ok(i >= 0, `${p.path}: no column ${name}`);
    return row[i] ?? '';
  };
  const of = (server: string, prefix: string): Parsed[] => parsed.filter((p) => p.path.startsWith(`${server}/${prefix}`));
  const iisRows = (server: string): { p: Parsed; r: string[] }[] => of(server, 'inetpub/logs/LogFiles/W3SVC1/').flatMap((p) => p.rows.map((r) => ({ p, r })));

  before(async () => {
    root = await temp();
    result = await generateDemo({ outDir: root, seed: 11, targetBytes: 4_000_000 });
    // The Security log export is JSON lines, not a W3C or Exchange log (demo/aftermath.ts).
    parsed = await Promise.all(result.files.filter((f) => !f.endsWith('.jsonl')).map((f) => parseFile(root, f)));
  });

  it('reports exactly the files and bytes it wrote', async () => {
    assert.deepEqual(await listFiles(root), result.files);
    let total = 0;
    for (const f of result.files) total += (await stat(join(root, f))).size;
    assert.equal(result.bytes, total);
  });

  it('lays the bundle out as collected from each server', () => {
    const patterns = [
      /^EX0[12]\/Exchange\/Logging\/HttpProxy\/(Autodiscover|Eas|Ecp|Ews|Mapi|Oab|Owa|OwaCalendar|PowerShell|RpcHttp)\/HttpProxy_20210[23]\d{4}-1\.LOG$/,
      /^EX0[12]\/Exchange\/Logging\/ECP\/Server\/ECPServer20210\d{3}-1\.LOG$/,
      /^EX0[12]\/Exchange\/Logging\/OABGeneratorLog\/OABGenerator20210\d{3}-1\.LOG$/,
      /^EX0[12]\/Exchange\/Logging\/CmdletInfra\/Powershell-Proxy\/Http\/Rps_Http_20210\d{5}-1\.LOG$/,
      /^EX0[12]\/Exchange\/Logging\/CmdletInfra\/Powershell-Proxy\/Cmdlet\/Rps_Cmdlet_20210\d{5}-1\.LOG$/,
      /^EX0[12]\/inetpub\/logs\/LogFiles\/W3SVC[12]\/u_ex210\d{3}\.log$/,
      // The attack's aftermath on EX01 (demo/aftermath.ts): a rolled-over cmdlet log, the Security log, message tracking.
      /^EX01\/Exchange\/Logging\/CmdletInfra\/Powershell-Proxy\/Cmdlet\/Rps_Cmdlet_20210\d{5}-2\.LOG$/,
      /^EX01\/Windows\/EventLogs\/Security\.jsonl$/,
      /^EX01\/Exchange\/TransportRoles\/Logs\/MessageTracking\/MSGTRK20210\d{3}-1\.LOG$/,
    ];
    for (const f of result.files)
      assert.ok(
        patterns.some((re) => re.test(f)),
        `unexpected path ${f}`,
      );
    for (const server of ['EX01', 'EX02']) {
      for (const protocol of ['Autodiscover', 'Eas', 'Ecp', 'Ews', 'Mapi', 'Oab', 'Owa', 'PowerShell', 'RpcHttp']) {
        assert.ok(of(server, `Exchange/Logging/HttpProxy/${protocol}/`).length > 0, `${server} has no ${protocol} log`);
      }
      assert.ok(of(server, 'inetpub/logs/LogFiles/W3SVC1/').length >= 19, `${server}: an IIS log per day`);
    }
  });

  it('begins every file with a valid header whose #Fields match every row, in time order', () => {
    const types = new Set(parsed.map((p) => p.logType));
    assert.deepEqual([...types].sort(), [
      'ECP Server Log',
      'HttpProxy Logs',
      'Message Tracking Log',
      'OABGenerator Log',
      'Rps Cmdlet Logs',
      'Rps Http Logs',
      'iis',
    ]);
    for (const p of parsed) {
      const times = p.rows.map((r) => (p.kind === 'iis' ? `${r[0]}T${r[1]}` : (r[0] ?? '')));
      for (let i = 1; i < times.length; i++) assert.ok((times[i - 1] ?? '') <= (times[i] ?? ''), `${p.path}: row ${i + 1} out of order`);
    }
    const httpproxy = parsed.find((p) => p.logType === 'HttpProxy Logs');
    assert.equal(httpproxy?.fields.length, 74);
  });

  it('writes each proxied request in HttpProxy (RequestId) and in IIS (cafeReqId)', () => {
    for (const server of ['EX01', 'EX02']) {
      const cafe = new Set<string>();
      for (const { p, r } of iisRows(server)) {
        const m = /&cafeReqId=([0-9a-f-]{36});$/.exec(col(p, r, 'cs-uri-query'));
        if (m?.[1]) cafe.add(m[1]);
      }
      let ids = 0;
      for (const p of of(server, 'Exchange/Logging/HttpProxy/')) {
        for (const r of p.rows) {
          ids++;
          assert.ok(cafe.has(col(p, r, 'RequestId')), `${p.path}: RequestId ${col(p, r, 'RequestId')} not in IIS`);
        }
      }
      assert.equal(cafe.size, ids, `${server}: every cafeReqId has its HttpProxy row`);
    }
  });

  it('puts the ProxyLogon chain on EX01, from the attacker addresses, at the times of the truth', () => {
    const t = result.truth;
    assert.deepEqual(t.servers, [
      { name: 'EX01', expectedVerdict: 'post-exploitation' },
      { name: 'EX02', expectedVerdict: 'probed' },
    ]);
    assert.match(t.attackerIps[0] ?? '', /^203\.0\.113\.\d+$/);
    assert.match(t.attackerIps[1] ?? '', /^198\.51\.100\.\d+$/);
    const ecp = of('EX01', 'Exchange/Logging/HttpProxy/Ecp/').flatMap((p) => p.rows.map((r) => ({ p, r })));
    const ssrf = ecp.filter(
      ({ p, r }) => col(p, r, 'AnchorMailbox').startsWith('ServerInfo~a]@EX01.corp.local:444/') && t.attackerIps.includes(col(p, r, 'ClientIpAddress')),
    );
    assert.equal(ssrf[0] && col(ssrf[0].p, ssrf[0].r, 'DateTime'), t.ssrfTime);
    assert.ok(ssrf.every(({ p, r }) => col(p, r, 'RoutingHint') === 'X-BEResource-Cookie' && col(p, r, 'UrlStem') === '/ecp/y.js'));
    const proxyLogon = ssrf.find(({ p, r }) => col(p, r, 'AnchorMailbox').includes('/ecp/proxyLogon.ecp'));
    assert.equal(proxyLogon && col(proxyLogon.p, proxyLogon.r, 'HttpStatus'), '241');
    const reset = ssrf.find(({ p, r }) => /ServerInfo~.*\/.*Reset.*VirtualDirectory#$/.test(col(p, r, 'AnchorMailbox')));
    assert.ok(reset, 'no ResetOABVirtualDirectory row');
    assert.equal(col(reset.p, reset.r, 'HttpStatus'), '200');
    assert.equal(col(reset.p, reset.r, 'DateTime'), t.webShellWrittenTime);

    const ecpServer = of('EX01', 'Exchange/Logging/ECP/Server/').flatMap((p) => p.rows.map((r) => col(p, r, 'EventData')));
    assert.ok(
      ecpServer.some((d) =>
        /S:CMD=Set-OabVirtualDirectory\.ExternalUrl=''http:\/\/f\/<script language="JScript" runat="server">function Page_Load\(\)\{eval\(Request\["\w+"\],"unsafe"\);\}<\/script>''\.Identity=''[0-9a-f-]{36}''/.test(
          d,
        ),
      ),
    );
    const oab = of('EX01', 'Exchange/Logging/OABGeneratorLog/').flatMap((p) => p.rows.map((r) => col(p, r, 'Message')));
    assert.ok(oab.includes(`Download failed and temporary file '${t.webShellPath}' needs to be removed.`));
    assert.match(t.webShellPath, /^C:\\inetpub\\wwwroot\\aspnet_client\\\w+\.aspx$/);

    const shell = iisRows('EX01').filter(({ p, r }) => col(p, r, 'cs-uri-stem') === t.webShellUrl && col(p, r, 'sc-status') === '200');
    for (const ip of t.attackerIps) {
      assert.ok(
        shell.some(({ p, r }) => col(p, r, 'c-ip') === ip && col(p, r, 'cs-method') === 'POST'),
        `no web shell POST from ${ip}`,
      );
    }
    assert.ok(shell.some(({ p, r }) => col(p, r, 'cs-method') === 'GET' && col(p, r, 'cs-uri-query').includes('whoami')));
  });

  it('keeps every trace of the attack off EX02, which only scanners reached', async () => {
    const t = result.truth;
    const text = (await Promise.all(result.files.filter((f) => f.startsWith('EX02/')).map((f) => readFile(join(root, f), 'utf8')))).join('');
    for (const ip of t.attackerIps) assert.ok(!text.includes(ip), `attacker ${ip} on EX02`);
    assert.ok(!text.includes('<script'), 'script tag on EX02');
    assert.ok(!text.includes('proxyLogon.ecp'));
    assert.ok(!text.includes(t.webShellUrl));
    const ecp = of('EX02', 'Exchange/Logging/HttpProxy/').flatMap((p) => p.rows.map((r) => ({ p, r })));
    const serverInfo = ecp.filter(({ p, r }) => col(p, r, 'AnchorMailbox').startsWith('ServerInfo~'));
    assert.ok(serverInfo.length > 0, 'no autodiscover SSRF probes on EX02');
    for (const { p, r } of serverInfo) {
      assert.equal(col(p, r, 'AnchorMailbox'), 'ServerInfo~a]@EX02.corp.local:444/autodiscover/autodiscover.xml?#');
      assert.ok(t.scannerIps.includes(col(p, r, 'ClientIpAddress')));
      assert.ok(col(p, r, 'DateTime') >= '2021-03-03');
    }
  });

  it('includes the scanners and the near misses on both servers', () => {
    for (const server of ['EX01', 'EX02']) {
      const proxy = of(server, 'Exchange/Logging/HttpProxy/').flatMap((p) => p.rows.map((r) => ({ p, r })));
      const has = (pred: (v: (n: string) => string) => boolean): boolean => proxy.some(({ p, r }) => pred((n) => col(p, r, n)));
      assert.ok(
        has((v) => v('UserAgent') === 'Mozilla/5.0 zgrab/0.x' && v('UrlStem').endsWith('/microsoft.exchange.ediscovery.exporttool.application')),
        `${server}: zgrab`,
      );
      assert.ok(
        has((v) => v('UrlQuery') === '?@test.com/owa/?&Email=autodiscover/autodiscover.json%3F@test.com'),
        `${server}: Nessus probe`,
      );
      assert.ok(
        has((v) => v('UserAgent') === 'AMProbe/Local/ClientAccess' && /^(127\.0\.0\.1|::1|fe80::|10\.)/.test(v('ClientIpAddress'))),
        `${server}: probes`,
      );
      assert.ok(
        has((v) => /^CORP\\HealthMailbox[0-9a-f]{32}$/.test(v('AuthenticatedUser'))),
        `${server}: health mailboxes`,
      );
      const backend = of(server, 'inetpub/logs/LogFiles/W3SVC2/').flatMap((p) => p.rows);
      assert.ok(
        backend.some((r) => r[9] === 'Exchange+BackEnd+Probes' && r[6] === '444'),
        `${server}: back-end probes`,
      );
      const ecpServer = of(server, 'Exchange/Logging/ECP/Server/').flatMap((p) => p.rows.map((r) => col(p, r, 'EventData')));
      assert.ok(
        ecpServer.some((d) => d.includes('S:CMD=Set-OwaVirtualDirectory.') && d.includes("ExternalUrl=''https://mail.example.com/owa''")),
        `${server}: admin Set-OwaVirtualDirectory`,
      );
      const oab = of(server, 'Exchange/Logging/OABGeneratorLog/').flatMap((p) => p.rows.map((r) => col(p, r, 'Message')));
      assert.ok(
        oab.some((m) => /^Download failed and temporary file 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\Temp\\/.test(m)),
        `${server}: OAB temp near miss`,
      );
    }
    assert.equal(new Set(result.truth.scannerIps).size, result.truth.scannerIps.length);
  });

  it('shows EX02 updated to 15.1.2176.9 on 2021-03-04, and IIS restarting with it', async () => {
    const before = parsed.find((p) => p.path === 'EX02/Exchange/Logging/HttpProxy/Owa/HttpProxy_2021030312-1.LOG');
    const afterUpdate = parsed.filter((p) => p.path.startsWith('EX02/Exchange/Logging/HttpProxy/') && p.path.includes('HttpProxy_20210305'));
    assert.ok(before && afterUpdate.length > 0);
    assert.equal(col(before, before.rows[0] ?? [], 'RevisionVersion'), '2');
    for (const p of afterUpdate) for (const r of p.rows) assert.equal(col(p, r, 'RevisionVersion'), '9');
    assert.ok(of('EX01', 'Exchange/Logging/HttpProxy/').every((p) => p.rows.every((r) => col(p, r, 'RevisionVersion') === '2')));
    const iis = await readFile(join(root, 'EX02/inetpub/logs/LogFiles/W3SVC1/u_ex210304.log'), 'utf8');
    assert.equal(iis.split('#Software: Microsoft Internet Information Services 10.0').length - 1, 2);
  });

  it('quotes values that hold commas or quotes, per RFC 4180', async () => {
    const text = await readFile(join(root, result.files.find((f) => f.startsWith('EX01/Exchange/Logging/ECP/Server/ECPServer20210303')) ?? ''), 'utf8');
    assert.ok(text.includes(',"S:TIME='), 'the attack line is quoted');
    assert.ok(text.includes('language=""JScript""'));
    const cmdlets = parsed.filter((p) => p.logType === 'Rps Cmdlet Logs').flatMap((p) => p.rows.map((r) => col(p, r, 'Parameters')));
    assert.ok(cmdlets.includes('-ResultSize "1"'));
  });

  it('never holds more than one server-hour of rows', () => {
    const total = Object.values(result.rows).reduce((a, b) => a + b, 0);
    assert.ok(result.peakHourRows > 0);
    assert.ok(result.peakHourRows * 30 < total, `peak ${result.peakHourRows} of ${total} rows`);
  });
});

describe('generateDemo determinism and size', () => {
  it('gives byte-identical bundles for the same seed, and another bundle for another seed', async () => {
    const [a, b, c] = [await temp(), await temp(), await temp()];
    const ra = await generateDemo({ outDir: a, seed: 5, targetBytes: 1_500_000 });
    const rb = await generateDemo({ outDir: b, seed: 5, targetBytes: 1_500_000 });
    const rc = await generateDemo({ outDir: c, seed: 6, targetBytes: 1_500_000 });
    assert.deepEqual(ra.files, rb.files);
    assert.deepEqual(ra.truth, rb.truth);
    assert.equal(await hashBundle(a, ra.files), await hashBundle(b, rb.files));
    assert.notEqual(await hashBundle(a, ra.files), await hashBundle(c, rc.files));
  });

  it('scales with targetBytes: 1 MB and 10 MB land near their targets', async () => {
    const small = await generateDemo({ outDir: await temp(), seed: 3, targetBytes: 1_000_000 });
    const large = await generateDemo({ outDir: await temp(), seed: 3, targetBytes: 10_000_000 });
    assert.ok(Math.abs(small.bytes - 1_000_000) < 150_000, `1 MB target gave ${small.bytes}`);
    assert.ok(Math.abs(large.bytes - 10_000_000) < 500_000, `10 MB target gave ${large.bytes}`);
    const ratio = large.bytes / small.bytes;
    assert.ok(ratio > 8.5 && ratio < 11.5, `ratio ${ratio}`);
    assert.ok(large.requests > small.requests * 5, 'more traffic, not only more headers');
  });

  it('refuses to write into a folder that is not empty', async () => {
    const dir = await temp();
    await writeFile(join(dir, 'keep.txt'), 'user data');
    await assert.rejects(generateDemo({ outDir: dir, targetBytes: 1_000_000 }), /not empty/);
    assert.deepEqual(await readdir(dir), ['keep.txt']);
  });

  it('rejects a nonsensical size or seed', async () => {
    await assert.rejects(generateDemo({ outDir: await temp(), targetBytes: 0 }), /targetBytes/);
    await assert.rejects(generateDemo({ outDir: await temp(), seed: 1.5 }), /seed/);
  });
});
