import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { generateDemo } from '../demo/generate.js';
import { makeZip } from '../evidence/test-helpers/make-zip.js';
import { defaultThreads, readingThreads, scan } from './run.js';
import { httpProxyLog, iisLog } from './test-helpers.js';

const execFileAsync = promisify(execFile);
let dir: string;
let ecpLog: string;
const iisText = iisLog([
  // ProxyShell as Velociraptor's sample shows it: the SSRF reached the back end (200).
  '2021-10-09 02:24:04 10.0.0.2 GET /autodiscover/autodiscover.json @evil.corp/ews/exchange.asmx?&Email=autodiscover/autodiscover.json%3F@evil.corp&CorrelationID=<empty>;&cafeReqId=6c1e0f0e-0000-4000-8000-000000000001; 443 - 198.51.100.7 python-requests/2.26.0 - 200 0 0 332',
  // A plain OWA logon: must raise nothing.
  '2021-10-09 08:00:00 10.0.0.2 GET /owa/auth/logon.aspx &CorrelationID=<empty>;&cafeReqId=6c1e0f0e-0000-4000-8000-000000000002; 443 - 192.0.2.10 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 12',
]);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-scan-'));
  await mkdir(join(dir, 'bundle', 'EX01', 'Logging', 'HttpProxy', 'Ecp'), { recursive: true });
  ecpLog = httpProxyLog('EX01', [
    {
      DateTime: '2021-03-03T02:10:00.000Z',
      RequestId: 'a1',
      UrlStem: '/ecp/default.aspx',
      UserAgent: 'Mozilla/5.0',
      ClientIpAddress: '192.0.2.10',
      HttpStatus: '200',
      AuthenticatedUser: 'corp\\admin',
    },
    {
      DateTime: '2021-03-03T02:14:22.101Z',
      RequestId: 'a2',
      UrlStem: '/ecp/y.js',
      RoutingHint: 'X-BEResource-Cookie',
      AnchorMailbox: 'ServerInfo~a]@EX01.corp.local:444/mapi/emsmdb/?#',
      UserAgent: 'python-requests/2.25.1',
      ClientIpAddress: '203.0.113.9',
      HttpStatus: '200',
    },
  ]);
  // A truncated last line, as a log copied while Exchange was still writing it.
  await writeFile(join(dir, 'bundle', 'EX01', 'Logging', 'HttpProxy', 'Ecp', 'HttpProxy_2021030302-1.LOG'), `${ecpLog}2021-03-03T02:15:00.000Z,a3,15,1`);
  await writeFile(join(dir, 'bundle', 'EX01', 'notes.txt'), 'collected by the IT lead');
  await writeFile(join(dir, 'ex02.zip'), makeZip([{ name: 'EX02/inetpub/logs/LogFiles/W3SVC1/u_ex211009.log', data: iisText, deflate: true }]));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a folder and a zip: each server gets its verdict, each finding its file and line', async () => {
  const result = await scan({ inputs: [join(dir, 'bundle'), join(dir, 'ex02.zip')], threads: 1, now: new Date('2026-01-01T00:00:00Z') });
  const verdicts = Object.fromEntries(result.servers.map((s) => [s.name, s.verdict]));
  assert.deepEqual(verdicts, { EX02: 'exploited', EX01: 'exploit-attempted' });

  const ex01 = result.servers.find((s) => s.name === 'EX01');
  assert.deepEqual(ex01?.attackerIps, ['203.0.113.9']);
  assert.equal(ex01?.firstActivity, '2021-03-03T02:14:22.101Z');

  const ssrf = result.findings.find((f) => f.server === 'EX01' && f.cves.includes('CVE-2021-26855') && f.stage === 'exploit-attempt');
  assert.ok(ssrf, 'the SSRF row is a CVE-2021-26855 exploit attempt');
  assert.equal(ssrf.origin.path, 'bundle/EX01/Logging/HttpProxy/Ecp/HttpProxy_2021030302-1.LOG');
  assert.equal(ssrf.origin.line, 7);
  assert.equal(ssrf.clientIp, '203.0.113.9');
  assert.equal(ssrf.time, '2021-03-03T02:14:22.101Z');
  assert.ok(!result.findings.some((f) => f.clientIp === '192.0.2.10'), 'benign traffic raises nothing');

  const shell = result.findings.find((f) => f.server === 'EX02' && f.cves.includes('CVE-2021-34473'));
  assert.ok(shell, 'the ProxyShell request is found in the zipped IIS log');
  assert.equal(shell.origin.path, 'ex02.zip!/EX02/inetpub/logs/LogFiles/W3SVC1/u_ex211009.log');
  assert.equal(shell.origin.line, 5);

  const ecp = result.evidence.find((e) => e.path.endsWith('HttpProxy_2021030302-1.LOG'));
  assert.equal(ecp?.kind, 'httpproxy');
  assert.equal(ecp?.server, 'EX01');
  assert.equal(ecp?.records, 2);
  assert.equal(ecp?.badRecords, 1, 'the truncated last line is counted');
  assert.equal(ecp?.firstTime, '2021-03-03T02:10:00.000Z');
  assert.equal(ecp?.lastTime, '2021-03-03T02:14:22.101Z');
  assert.equal(ecp?.sha256, createHash('sha256').update(`${ecpLog}2021-03-03T02:15:00.000Z,a3,15,1`).digest('hex'));
  assert.ok(
    result.warnings.some((w) => w.where?.startsWith('bundle/EX01/Logging/HttpProxy/Ecp/HttpProxy_2021030302-1.LOG:8')),
    'the bad line is located',
  );

  const notes = result.evidence.find((e) => e.path === 'bundle/EX01/notes.txt');
  assert.equal(notes?.kind, 'unknown');
  assert.equal(notes?.sha256, createHash('sha256').update('collected by the IT lead').digest('hex'));
  assert.match(notes?.note ?? '', /hashed and listed only/);

  const iis = result.evidence.find((e) => e.kind === 'iis');
  assert.equal(iis?.server, 'EX02');
  assert.equal(iis?.records, 2);
});

test('worker threads give the same result as one thread', async () => {
  const one = await scan({ inputs: [join(dir, 'bundle'), join(dir, 'ex02.zip')], threads: 1, now: new Date(0) });
  const two = await scan({ inputs: [join(dir, 'bundle'), join(dir, 'ex02.zip')], threads: 2, now: new Date(0), forceThreads: true });
  assert.deepEqual(two, one);
});

test('this thread and a worker share out the files of a demo bundle: the same result as one thread, every hash right', async () => {
  // More files than a worker is given ahead (64), so both threads read some, the largest first.
  const demo = join(dir, 'demo');
  const made = await generateDemo({ outDir: demo, targetBytes: 2_000_000 });
  assert.ok(made.files.length > 100, `${made.files.length} files`);
  const one = await scan({ inputs: [demo], threads: 1, now: new Date(0) });
  const two = await scan({ inputs: [demo], threads: 2, now: new Date(0), forceThreads: true });
  assert.deepEqual(two, one);
  assert.ok(one.findings.length > 0, 'the planted attack is found');
  assert.equal(two.evidence.length, made.files.length);
  for (const e of two.evidence) {
    const bytes = await readFile(join(dir, e.path));
    assert.equal(e.sha256, createHash('sha256').update(bytes).digest('hex'), e.path);
  }
});

test('by default both cores of two read while the files are few, one above (memory), and every core from three', () => {
  assert.equal(defaultThreads(11_042, 2), 2, 'the 1 GB bench bundle');
  assert.equal(defaultThreads(25_000, 2), 2);
  assert.equal(defaultThreads(25_001, 2), 1);
  assert.equal(defaultThreads(110_445, 2), 1, 'about 10 GB of hourly logs');
  assert.equal(defaultThreads(10, 1), 1);
  assert.equal(defaultThreads(110_445, 4), 4);
  assert.equal(defaultThreads(3, 8), 8, 'a small scan starts no worker anyway: see readingThreads');
});

test('a second reader only where there is enough to share: one below 256 MiB, where it cost CPU and saved no wall time', () => {
  const MB = 1024 * 1024;
  assert.equal(readingThreads(2, 129 * MB, 38), 1, "one server's IIS logs");
  assert.equal(readingThreads(2, 262_000_000, 4_540), 1, "one server's HttpProxy logs");
  assert.equal(readingThreads(2, 256 * MB, 4_000), 2, 'from 256 MiB');
  assert.equal(readingThreads(2, 537 * MB, 5_525), 2, "one server's logs of the bench bundle");
  assert.equal(readingThreads(8, 537 * MB, 3), 3, 'no more threads than files');
  assert.equal(readingThreads(2, 537 * MB, 1), 1);
  assert.equal(readingThreads(1, 1024 * MB, 11_042), 1);
  assert.equal(readingThreads(2, 1 * MB, 10, true), 2, 'a test may force threads');
});

test('a scan refused part way through its listing, after its workers started, says why and leaves no worker running', { timeout: 120_000 }, async () => {
  const many = join(dir, 'many');
  await mkdir(many, { recursive: true });
  for (let i = 0; i < 50; i++) await writeFile(join(many, `u_ex${i}.log`), iisText);
  // In a child process: a worker left running would keep it from ever exiting.
  const script = `import { scan } from ${JSON.stringify(join(import.meta.dirname, 'run.ts'))};
await scan({ inputs: [${JSON.stringify(many)}, ${JSON.stringify(join(dir, 'no-such-folder'))}], threads: 2, forceThreads: true }).then(
  () => console.log('scanned'),
  (err) => console.log('refused: ' + err.message),
);`;
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 60_000 });
  assert.match(stdout, /^refused: cannot read .*no-such-folder/);
});
