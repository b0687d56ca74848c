import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ScanResult } from '../core/types.js';
import { makeZip } from '../evidence/test-helpers/make-zip.js';
import { MAIN, RUN_MAIN, runScript as exir } from './test-helpers/run-cli.js';

// What `exir scan` tells a script: 0 clean, 1 findings, 2 error; never 0 for evidence it could not read.
const IIS =
  '#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2021-03-03 00:00:00\n' +
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n' +
  '2021-03-03 01:00:00 10.0.0.5 GET /owa/ - 443 - 10.0.0.9 Mozilla/5.0 - 200 0 0 5\n';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-exit-'));
  await mkdir(join(dir, 'empty'));
  await mkdir(join(dir, 'notes'));
  await writeFile(join(dir, 'notes', 'readme.txt'), 'collected by the night shift');
  await mkdir(join(dir, 'EX07', 'W3SVC1'), { recursive: true });
  await writeFile(join(dir, 'EX07', 'W3SVC1', 'u_ex210303.log'), IIS);
  await writeFile(join(dir, 'bomb.zip'), makeZip([{ name: 'a.log', data: 'x'.repeat(1000), claimSize: 2 * 1024 ** 3 - 1, deflate: true }]));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a crash is exit 2, never the 1 that means findings', async () => {
  const crashing =
    `import(${JSON.stringify(MAIN)}).then((m) => { setImmediate(() => { throw new TypeError('boom'); }); return m.main(process.argv); })` +
    '.then((code) => { process.exitCode = code; })';
  const run = await exir(crashing, 'scan', '--quiet', join(dir, 'EX07'));
  assert.equal(run.code, 2, run.err);
  assert.match(run.err, /internal error, nothing below is a result: TypeError: boom/);
});

test('an empty folder, or one with no log exir reads, is exit 2 with the reason; --allow-empty makes it 0 with a warning', async () => {
  const empty = await exir(RUN_MAIN, 'scan', '--quiet', join(dir, 'empty'));
  assert.equal(empty.code, 2);
  assert.match(empty.err, /the input holds no file to read; nothing here says a server is clean/);
  const notes = await exir(RUN_MAIN, 'scan', '--quiet', join(dir, 'notes'));
  assert.equal(notes.code, 2);
  assert.match(notes.err, /none of the 1 file\(s\) read is a log exir reads/);
  const allowed = await exir(RUN_MAIN, 'scan', '--quiet', '--allow-empty', join(dir, 'empty'));
  assert.equal(allowed.code, 0);
  assert.match(allowed.err, /WARNING: the input holds no file to read/);
});

test('an archive refused whole is exit 2', async () => {
  const run = await exir(RUN_MAIN, 'scan', '--quiet', '--max-expand-gb', '1', join(dir, 'bomb.zip'), join(dir, 'EX07'));
  assert.equal(run.code, 2);
  assert.match(run.err, /1 archive\(s\) refused whole/);
});

test('a log given by itself gets its server, from the folder above it, and a verdict', async () => {
  const run = await exir(RUN_MAIN, 'scan', '--quiet', '--json', '-', join(dir, 'EX07', 'W3SVC1', 'u_ex210303.log'));
  assert.equal(run.code, 0, run.err);
  const result = JSON.parse(run.out) as ScanResult;
  assert.deepEqual(
    result.servers.map((s) => [s.name, s.verdict]),
    [['EX07', 'clean']],
  );
});

test("exir --version and -V print the version, the rules' and the data tables' dates, and exit 0", async () => {
  for (const flag of ['--version', '-V']) {
    const run = await exir(RUN_MAIN, flag);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^exir \d+\.\d+\.\d+\nrules: \d+ Sigma rules, newest dated \d{4}-\d{2}-\d{2}, content [0-9a-f]{16}\ndata tables/);
    assert.match(run.out, /exchange\/builds\.json {2}\d{4}-\d{2}-\d{2}/);
  }
});
