// The pre-filter (the literal search, then the check of every string some rule tests) must never
// hide a record a rule matches. IIS logs are read twice, once with the IIS read plan and once with
// every record offered to the rules, and must give the same findings: rows made at random from the
// values the rules test and their near misses (mixed case, a random #Fields order, so a tested value
// also starts or ends a row; a space written raw into a value; rows with a value missing), the IIS
// samples beside the rules, and the corpus's IIS logs. Run on the native search here and on the
// JavaScript one by src/sources/bytes/native-parity.test.ts (EXIR_NATIVE=0).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Finding } from '../core/types.js';
import { SHIPPED_SIGMA_DIR } from '../detect/ruleset.js';
import { chunksOf } from '../sources/test-helpers/read.js';
import { w3cReader } from '../sources/w3c/w3c-reader.js';
import { seededRandom } from '../test-support/random.js';
import { CORPUS, corpusMissing, skipIf } from '../test-support/skips.js';
import { loadEngine, type Engine } from './engine.js';

const COLUMNS = [
  'date',
  'time',
  's-ip',
  'cs-method',
  'cs-uri-stem',
  'cs-uri-query',
  's-port',
  'cs-username',
  'c-ip',
  'cs(User-Agent)',
  'cs(Referer)',
  'sc-status',
];

/** Values by column: what the IIS rules test, and values a character or a field away from it. */
const VALUES: Record<string, string[]> = {
  date: ['2021-03-03'],
  time: ['02:00:01', '23:59:59'],
  's-ip': ['10.0.0.1', '::1'],
  'cs-method': ['GET', 'POST', 'post', 'PUT', '-'],
  'cs-uri-stem': [
    '/ecp/y.js',
    '/ecp/xyz.js',
    '/ecp/default.flt',
    '/ecp/DDI/DDIService.svc/SetObject',
    '/ecp/proxyLogon.ecp',
    '/owa/auth/x.js',
    '/owa/auth/Current/themes/a.aspx',
    '/owa/auth/logon.aspx',
    '/owa/calendar/a@x.com/y.ics',
    '/aspnet_client/shell.aspx',
    '/aspnet_client/system_web/log.aspx',
    '/aspnet_client/a.txt',
    '/PowerShell',
    '/powershell/',
    '/autodiscover/autodiscover.json',
    '/Autodiscover/autodiscover.xml',
    '/rpc/rpcproxy.dll',
    '/EWS/Exchange.asmx',
    '/mapi/nspi/',
    '/oab/x.aspx',
    '/ecp/auth/a.aspx',
    '/iisstart.aspx',
    '/ecp/RulesEditor/InboxRules.svc/NewObject',
    't=',
    '444',
  ],
  'cs-uri-query': [
    '-',
    't=1',
    'T=abc&x=1',
    'a=b&t=2',
    't=',
    'Email=autodiscover/autodiscover.json%3F@test.com&Protocol=PowerShell',
    '@test.com/owa/?&Email=autodiscover/autodiscover.json%3F@test.com',
    'Email=autodiscover/autodiscover.json%3F@test.com&X-Rps-CAT=abc',
    'schema=ResetOABVirtualDirectory&msExchEcpCanary=x',
    'cmd=connect&target=10.0.0.1&port=3389',
    '__VIEWSTATEGENERATOR=B97B4E27&__VIEWSTATE=x',
    'clientApplication=ActiveMonitor',
    'exec_code=whoami',
    'cmd=whoami',
    '&CorrelationID=<empty>;&cafeReqId=abc;',
    't=1&CorrelationID=<empty>;&cafeReqId=x;',
    '444',
  ],
  's-port': ['443', '444', '80', '4443', '1444', '4444'],
  'cs-username': ['-', 'CORP\\EX01$', 'HealthMailbox1a2b', 'user', 'S-1-5-18', '444'],
  'c-ip': ['127.0.0.1', '::1', '203.0.113.5', '5.2.69.14', '::ffff:5.2.69.14', '15.2.69.14', '10.0.0.2'],
  'cs(User-Agent)': [
    '-',
    'python-requests/2.25.1',
    'Microsoft+WinRM+Client',
    'Mozilla/5.0+(Windows)',
    'ExchangeServicesClient/0.0.0.0',
    'AMProbe/Local/ClientAccess',
    'antSword/v2.1',
    'zgrab/0.x',
    'Mozilla/5.0+(compatible;+Googlebot/2.1;++http://www.google.com/bot.html)',
    't=1',
  ],
  'cs(Referer)': ['-', 'https://mail.example.com/owa/'],
  'sc-status': ['200', '241', '302', '401', '404', '500', '444'],
};

function flipCase(text: string, next: (n: number) => number): string {
  return [...text].map((c) => (next(5) === 0 ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c)).join('');
}

function randomLog(next: (n: number) => number): string {
  const columns = next(2) === 0 ? COLUMNS : [...COLUMNS].sort(() => next(3) - 1);
  const lines = ['#Software: Microsoft Internet Information Services 10.0', '#Version: 1.0', '#Date: 2021-03-03 00:00:00', `#Fields: ${columns.join(' ')}`];
  for (let row = 0; row < 120; row++) {
    const values = columns.map((c) => {
      const pool = VALUES[c] as string[];
      const value = pool[next(pool.length)] as string;
      return c === 'date' || c === 'time' ? value : flipCase(value, next);
    });
    const odd = next(20);
    if (odd === 0) values.splice(next(values.length), 1);
    else if (odd === 1) values[columns.indexOf('cs(User-Agent)')] += ' raw space';
    lines.push(values.join(' '));
  }
  return `${lines.join('\n')}\n`;
}

interface Read {
  findings: string[];
  offered: number;
  /** Offered with the clauses they met, so through the gate. */
  gated: number;
}

async function readIis(engine: Engine, text: string | Buffer, chunk: number, filtered: boolean): Promise<Read> {
  const plan = engine.detector.plan('iis');
  const out: Read = { findings: [], offered: 0, gated: 0 };
  // Filtered, each record is offered only to the rules whose clauses it met, as a scan does.
  const gate = filtered ? engine.detector.gate('iis', plan.needs) : undefined;
  const take = (record: Parameters<Engine['detector']['detect']>[0], metLo?: number, metHi?: number): void => {
    out.offered++;
    if (metLo !== undefined) out.gated++;
    const found =
      gate && metLo !== undefined && metHi !== undefined ? engine.detector.detect(record, 'EX01', gate, metLo, metHi) : engine.detector.detect(record, 'EX01');
    for (const f of found) out.findings.push(describe(f));
  };
  await w3cReader.read(chunksOf(Buffer.from(text), chunk), {
    path: 'u_ex210303.log',
    ...(filtered && plan.literals ? { literals: plan.literals } : {}),
    ...(filtered && plan.needs ? { needs: plan.needs } : {}),
    onRecord: take,
    onDamaged: take,
  });
  return out;
}

function describe(f: Finding): string {
  return `${f.origin.line} ${f.ruleId} ${JSON.stringify(f.fields)}`;
}

const engineLoaded = loadEngine();

test('the IIS read plan checks more than one literal: a back-end row is a candidate only with a query starting t=', async () => {
  const engine = await engineLoaded;
  const plan = engine.detector.plan('iis');
  assert.ok(plan.needs, 'the IIS plan has a check after the search');
  // Every IIS attack rule has clauses among the plan's, so the gate can leave out any of them.
  assert.ok((engine.detector.gate('iis', plan.needs)?.masks.size ?? 0) >= 20);
  assert.ok(
    plan.needs.some((n) => JSON.stringify(n) === JSON.stringify([[' 444 '], [' t=']])),
    'the t= rule asks for the port and the query, each with its spaces',
  );
  const head = '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status\n';
  const plain = `${head}2021-03-03 02:00:00 10.0.0.1 GET /mapi/emsmdb/ MailboxId=a&t=1 444 CORP\\EX01$ 10.0.0.1 MapiHttpClient 200\n`;
  const hafnium = `${head}2021-03-03 02:00:00 10.0.0.1 GET /mapi/emsmdb/ t=a 444 CORP\\EX01$ 10.0.0.1 MapiHttpClient 200\n`;
  assert.equal((await readIis(engine, plain, 4096, true)).offered, 0, 'port 444 alone, t= inside the query: not a candidate');
  const hit = await readIis(engine, hafnium, 4096, true);
  assert.equal(hit.offered, 1);
  assert.ok(
    hit.findings.some((f) => f.includes('25d3c740')),
    'the t= rule still sees its record',
  );
});

test('pre-filter then rules gives what rules on every record give: random IIS rows', async () => {
  const engine = await engineLoaded;
  const next = seededRandom(20260307);
  let findings = 0;
  let offered = 0;
  let gated = 0;
  let rows = 0;
  for (let doc = 0; doc < 60; doc++) {
    const text = randomLog(next);
    const every = await readIis(engine, text, text.length, false);
    const filtered = await readIis(engine, text, 1 + next(300), true);
    assert.deepEqual(filtered.findings, every.findings, `document ${doc}:\n${text}`);
    findings += every.findings.length;
    offered += filtered.offered;
    gated += filtered.gated;
    rows += every.offered;
  }
  // The comparison means something only if rules matched and the pre-filter left records out.
  assert.ok(findings > 100, `${findings} findings`);
  assert.ok(offered < rows, `${offered} of ${rows} records offered`);
  assert.ok(gated > 0 && gated <= offered, `${gated} of ${offered} records offered through the gate`);
});

function iisFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...iisFiles(path));
    else if (/^#(Software|Fields|Version)/m.test(readFileSync(path, 'latin1').slice(0, 4096)) && w3cReader.sniff(readFileSync(path, 'utf8').slice(0, 4096)))
      out.push(path);
  }
  return out;
}

test('pre-filter then rules gives what rules on every record give: the IIS samples of the rules and the corpus', async (t) => {
  if (skipIf(t, 'corpus', corpusMissing())) return;
  const engine = await engineLoaded;
  const files = [...iisFiles(SHIPPED_SIGMA_DIR), ...iisFiles(CORPUS)];
  assert.ok(files.length > 20, `${files.length} IIS logs found`);
  let findings = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    const every = await readIis(engine, bytes, bytes.length || 1, false);
    const filtered = await readIis(engine, bytes, 777, true);
    assert.deepEqual(filtered.findings, every.findings, file);
    findings += every.findings.length;
  }
  assert.ok(findings > 20, `${findings} findings`);
});
