import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Command } from 'commander';
import type { CaseCredentials } from '../assess/credentials/of-case.js';
import type { CasePhishing } from '../assess/phishing/of-case.js';
import { openStore } from '../case/index.js';
import { generateDemo, type DemoTruth } from '../demo/generate.js';
import { scan } from '../scan/run.js';
import type { RegulatoryIo } from './assess.js';
import { registerCase } from './case.js';
import { registerCredentials } from './credentials.js';
import { registerPhishing } from './phishing.js';

// Both commands on the demo case: the demo plants an LSASS dump, a group change, a forwarding rule
// and, later, mail from a homoglyph of its domain into a stolen thread (demo/aftermath.ts).
let dir: string;
let db: string;
let truth: DemoTruth;
const REF = 'demo/proxylogon';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-credphish-'));
  truth = (await generateDemo({ outDir: join(dir, 'bundle'), targetBytes: 1_500_000 })).truth;
  db = `sqlite:${join(dir, 'cases.db')}`;
  const store = await openStore(db);
  try {
    await store.createCase({ ref: REF, title: 'Demo' });
    await store.recordScan(REF, await scan({ inputs: [join(dir, 'bundle')], threads: 1 }), { actor: 'test', args: [] });
  } finally {
    await store.close();
  }
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function exir(args: string[], resolver?: (d: string) => Promise<boolean | undefined>): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  let code = 0;
  const io: RegulatoryIo = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    interactive: () => false,
    ask: () => Promise.resolve(''),
    now: () => '2021-03-10T12:00:00.000Z',
  };
  const program = new Command().exitOverride();
  const setExit = (c: number): void => {
    code = Math.max(code, c);
  };
  registerCredentials(program, setExit, io);
  registerPhishing(program, setExit, io, resolver);
  registerCase(program, setExit, io);
  await program.parseAsync(['node', 'exir', ...args, '--db', db, '--actor', 'test']);
  return { out, err, code };
}

test('exir credentials on the demo case: krbtgt twice first, the accounts in the dumped memory, the account made privileged', async () => {
  const r = await exir(['credentials', REF, '--json']);
  assert.equal(r.code, 1, r.err);
  const report = JSON.parse(r.out) as CaseCredentials;
  const accounts = report.accounts.map((a) => a.account);
  assert.equal(accounts[0], 'krbtgt');
  assert.equal(report.accounts[0]?.action, 'reset-twice');
  for (const a of truth.aftermath.dumpedAccounts) assert.ok(accounts.includes(a), `${a} listed`);
  const admin = report.accounts.find((a) => a.account === truth.aftermath.dumpedAccounts[1]);
  assert.equal(admin?.exposedFrom, truth.aftermath.lsassDumpTime);
  assert.ok(admin?.evidence.some((e) => e.path.endsWith('EX01/Windows/EventLogs/Security.jsonl')));
  assert.ok(accounts.includes('CN=support01,CN=Users,DC=corp,DC=local'), 'the member added to Exchange Windows Permissions');
  // The network logon of the finance user leaves nothing in memory.
  assert.ok(!accounts.includes(truth.aftermath.networkLogonAccount), accounts.join(', '));
  assert.ok(accounts.includes(truth.aftermath.forwardedMailbox), 'the forwarded mailbox is to review');
  assert.deepEqual(
    report.actions.map((a) => a.step),
    ['reset-krbtgt-first', 'reset-krbtgt-second', 'reset-credentials'],
  );

  const text = await exir(['credentials', REF]);
  assert.match(text.out, /1\. RESET TWICE +krbtgt/);
  assert.match(text.out, /reset-krbtgt-second — at least 10 hours after the first/);
  // Times in the sentences are shown in the reader's zone, as everywhere on the console.
  assert.match(text.out, /before LSASS was dumped at 2021-03-05 22:58:14 GMT/);
  assert.doesNotMatch(text.out, /\d\dT\d\d:\d\d:\d\d/);
  const csv = await exir(['credentials', REF, '--csv']);
  assert.match(csv.out.split('\r\n')[1] ?? '', /^1,reset-twice,krbtgt,/);
});

test('exir phishing on the demo case: the homoglyph sender, the stolen thread and the forwarded mail; the partner is not flagged', async () => {
  const r = await exir(['phishing', REF, '--json']);
  assert.equal(r.code, 1, r.err);
  const report = JSON.parse(r.out) as CasePhishing;
  assert.deepEqual(
    report.domains.map((d) => [d.domain, d.from]),
    [['example.com', 'case']],
  );
  const kinds = report.watch.map((h) => `${h.kind} ${h.sender}`);
  assert.ok(
    kinds.some((k) => k.startsWith('lookalike-sender ') && k.endsWith(`@${truth.aftermath.lookalikeDomain}`)),
    kinds.join('\n'),
  );
  assert.ok(
    kinds.some((k) => k.startsWith('thread-hijack ') && k.endsWith(`@${truth.aftermath.lookalikeDomain}`)),
    kinds.join('\n'),
  );
  assert.ok(
    kinds.some((k) => k.startsWith('to-attacker-forwarding ')),
    kinds.join('\n'),
  );
  assert.ok(!report.watch.some((h) => h.sender.endsWith('@harbourlaw.je')), 'the client replying in its own thread is not flagged');
  assert.equal(report.lookalikes[0]?.domain, truth.aftermath.lookalikeDomain);
  assert.equal(report.lookalikes[0]?.seen, true);
  assert.equal(report.resolved, false);
  assert.ok(
    report.lookalikes.every((l) => l.registered === undefined),
    'nothing asked of DNS without --resolve',
  );
});

test('exir phishing --resolve asks the injected resolver at the given rate; --csv is the block list; bad input is exit 2', async () => {
  const asked: string[] = [];
  const r = await exir(['phishing', REF, '--domain', 'example.com', '--resolve', '--rate', '50', '--json'], (d) => {
    asked.push(d);
    return Promise.resolve(d === 'examp1e.com');
  });
  const report = JSON.parse(r.out) as CasePhishing;
  assert.equal(asked.length, report.lookalikes.length);
  assert.deepEqual(
    report.lookalikes.filter((l) => l.registered).map((l) => l.domain),
    ['examp1e.com'],
  );

  const clients = join(dir, 'clients.txt');
  await writeFile(clients, '# our clients\nharbourlaw.je\n\n');
  const csv = await exir(['phishing', REF, '--domain', 'example.com', '--clients', clients, '--csv']);
  assert.match(csv.out, /^domain,unicode,family,imitates,seen_in_mail,registered\r\n/);
  assert.match(csv.out, /\r\nharbourlw\.je,,omission,harbourlaw\.je,no,\r\n/);

  assert.equal((await exir(['phishing', REF, '--rate', '500'])).code, 2);
  assert.equal((await exir(['phishing', REF, '--domain', 'not a domain'])).code, 2);
});

test('exir case show carries both: the reset order and the phishing seen, in text and in its JSON', async () => {
  const text = await exir(['case', 'show', REF]);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /Credentials to reset\n  \d+ to reset, 1 mailbox\(es\) to review, in this order[^\n]*\n  1\. reset twice: krbtgt\n/);
  assert.match(
    text.out,
    /Phishing since the attack\n  to-attacker-forwarding 1, lookalike-sender 1, thread-hijack 1\n  lookalike domains seen: xn--exmple-4nf\.com\n/,
  );
  const json = JSON.parse((await exir(['case', 'show', REF, '--json'])).out) as {
    credentials: CaseCredentials;
    phishing: { watch: unknown[]; lookalikesSeen: string[] };
  };
  assert.equal(json.credentials.accounts[0]?.account, 'krbtgt');
  assert.deepEqual(json.phishing.lookalikesSeen, [truth.aftermath.lookalikeDomain]);
  assert.equal(json.phishing.watch.length, 3);
});
