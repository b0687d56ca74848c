import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { scan } from './run.js';
import { iisLog } from './test-helpers.js';

// Files that are not logs are evidence too: a web shell in a web folder, a staged archive, a
// collected listing of files. Each gives findings with its place, and known product files are
// listed as cleared, not raised.
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-files-'));
  const put = async (path: string, data: string | Buffer): Promise<void> => {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), data);
  };
  // The rules' own harmless sample of a China Chopper one-liner, dropped where ProxyLogon put them.
  const chopper = await readFile(new URL('../../rules/yara/china-chopper.tests/match/jscript-one-liner.aspx', import.meta.url));
  await put('bundle/EX01/inetpub/wwwroot/aspnet_client/system_web/errorcheck.aspx', chopper);
  // ProxyShell's way in: a mailbox exported as a PST under a web page's name (the rules' own inert sample).
  await put(
    'bundle/EX01/inetpub/wwwroot/aspnet_client/570000001.aspx',
    await readFile(new URL('../../rules/yara/proxyshell-headed-aspx.tests/match/570000001.aspx', import.meta.url)),
  );
  // Under the folder the benign-archive list names for McAfee (data/baselines/benign-archives.json).
  await put(
    'bundle/EX01/ProgramData/McAfee/Common Framework/Current/EPOAGENT3000/Install/0409/FrameworkConfig.zip',
    Buffer.from('PK\u0005\u0006' + '\u0000'.repeat(18), 'latin1'),
  );
  await put(
    'bundle/EX01/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log',
    iisLog(['2021-03-03 02:30:00 10.0.0.1 POST /aspnet_client/system_web/errorcheck.aspx - 443 - 203.0.113.5 Mozilla/5.0 - 200 0 0 12']),
  );
  // A listing collected on EX02 by Get-ChildItem | Get-FileHash, naming a file whose hash Microsoft published.
  await put(
    'bundle/EX02/listing.csv',
    [
      '#TYPE Selected.System.IO.FileInfo',
      '"FullName","Length","LastWriteTimeUtc","SHA256"',
      '"C:\\inetpub\\wwwroot\\aspnet_client\\discover.aspx","1024","3/3/2021 2:00:00 AM","8E90ED33C7EE82C0B64078EA36EC95F7420BA435C693B3B3DD728B494ABF7DFC"',
      '"C:\\Windows\\System32\\notepad.exe","201216","1/1/2020 0:00:00 AM","0000000000000000000000000000000000000000000000000000000000000000"',
      '',
    ].join('\r\n'),
  );
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a web shell file, a product archive and a listing row are each judged with their place', async () => {
  const result = await scan({ inputs: [join(dir, 'bundle')], threads: 1 });
  const shell = result.findings.find((f) => f.origin.path.endsWith('aspnet_client/system_web/errorcheck.aspx'));
  assert.ok(shell, 'the web shell file is a finding');
  assert.equal(shell.stage, 'post-exploitation');
  assert.equal(shell.server, 'EX01');

  const mcafee = result.findings.filter((f) => f.origin.path.endsWith('FrameworkConfig.zip'));
  assert.ok(mcafee.length > 0, "McAfee's archive is listed");
  assert.ok(
    mcafee.every((f) => f.benign),
    "McAfee's archive is listed as cleared, never raised",
  );

  const listed = result.findings.find((f) => f.origin.path === 'bundle/EX02/listing.csv' && f.stage === 'post-exploitation');
  assert.ok(listed, 'the listed file with a published web-shell hash is a finding');
  assert.equal(listed.origin.line, 3);
  assert.equal(listed.server, 'EX02');
  const listing = result.evidence.find((e) => e.path === 'bundle/EX02/listing.csv');
  assert.equal(listing?.kind, 'inventory');
  assert.equal(listing?.records, 2);
  assert.ok(!result.findings.some((f) => f.origin.path === 'bundle/EX02/listing.csv' && f.origin.line === 4), 'notepad raises nothing');

  assert.deepEqual(result.servers.map((s) => [s.name, s.verdict]).sort(), [
    ['EX01', 'post-exploitation'],
    ['EX02', 'post-exploitation'],
  ]);

  // The PST saved as a page is a mailbox's mail copied out, though no log names whose.
  const exported = result.mailboxes.find((m) => m.server === 'EX01' && m.level === 'exported');
  assert.equal(exported?.mailbox, '(a mailbox not named in the evidence)');
  assert.match(exported?.how[0] ?? '', /PST.*570000001\.aspx/);
});
