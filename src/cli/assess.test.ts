import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Command } from 'commander';
import { stringify } from 'yaml';
import type { Fixture } from '../regulatory/test-helpers/fixture-case.js';
import { FIXTURE_ANSWERS, FIXTURE_REF, fixtureCase } from '../regulatory/test-helpers/fixture-case.js';
import type { RegulatoryIo } from './assess.js';
import { registerAssess } from './assess.js';
import { registerFile } from './file.js';
import { registerObligations } from './obligations.js';
import { registerReport } from './report.js';
import { chromiumMissing, skipIf } from '../test-support/skips.js';
import { assertSchema } from '../test-support/json-schema.js';

let fx: Fixture;
before(async () => {
  fx = await fixtureCase({ answers: undefined });
});
after(() => fx.close());

/** Runs the regulatory commands in-process against the fixture's store; `replies` answer prompts in order. */
async function exir(args: string[], opts: { replies?: string[]; now?: string } = {}): Promise<{ out: string; err: string; code: number; asked: string[] }> {
  let out = '';
  let err = '';
  let code = 0;
  const asked: string[] = [];
  const replies = [...(opts.replies ?? [])];
  const io: RegulatoryIo = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    interactive: () => opts.replies !== undefined,
    ask: (q) => {
      asked.push(q);
      return Promise.resolve(replies.shift() ?? '');
    },
    now: () => opts.now ?? '2021-03-09T12:00:00.000Z',
  };
  const program = new Command().exitOverride();
  const setExit = (c: number) => {
    code = Math.max(code, c);
  };
  registerAssess(program, setExit, io);
  registerObligations(program, setExit, io);
  registerReport(program, setExit, io);
  registerFile(program, setExit, io);
  await program.parseAsync(['node', 'exir', ...args, '--db', fx.url, '--actor', 'dpo']);
  return { out, err, code, asked };
}

test('assess without a terminal or answers says what is missing and exits 2', async () => {
  const r = await exir(['assess', FIXTURE_REF]);
  assert.equal(r.code, 2);
  assert.match(r.err, /^exir assess: no --answers file and no terminal to ask on; still missing:/);
  assert.match(r.err, /firm.legalName/);
  assert.match(r.err, /datasets/);
  assert.equal(r.out, '');
});

test('assess by prompts, then from a file: versions kept, clocks shown, bad answers refused with their paths', async () => {
  const prompted = await exir(['assess', FIXTURE_REF], {
    replies: [
      'Acme Trust Company Limited',
      'controller',
      'JE',
      'registered-person',
      'Jo Bloggs',
      'Compliance Officer',
      'jo@acme.je',
      '+44 1534 000000',
      'client mailboxes',
      'JE=900, GB=450',
      '1500',
      '40000',
      'n',
      '*',
      'clients, beneficial-owners',
      'identity, financial, cdd-aml',
      '',
    ],
  });
  assert.equal(prompted.code, 0, prompted.err);
  assert.ok(prompted.asked.some((q) => /legal name/.test(q)));
  assert.match(prompted.out, /Assessment v1/);
  assert.match(prompted.out, /ACCESS CANNOT BE EXCLUDED: .*scan verdict for EX01 is post-exploitation/);
  assert.match(prompted.out, /client mailboxes: exported/);
  assert.match(prompted.out, /conclusion: high-risk/);

  const bad = join(fx.dir, 'bad.yaml');
  writeFileSync(bad, 'datasets:\n  - description: x\n    categories: [gossip]\n');
  const refused = await exir(['assess', FIXTURE_REF, '--answers', bad]);
  assert.equal(refused.code, 2, refused.err + refused.out);
  assert.match(refused.err, /datasets\[0\]\.categories: "gossip"/);

  const file = join(fx.dir, 'answers.yaml');
  writeFileSync(file, stringify(FIXTURE_ANSWERS));
  const second = await exir(['assess', FIXTURE_REF, '--answers', file, '--json']);
  assert.equal(second.code, 0, second.err);
  const parsed = JSON.parse(second.out) as { version: number; assessment: { conclusion: string; enisa: { se: number } } };
  assert.equal(parsed.version, 2);
  assert.equal(parsed.assessment.conclusion, 'high-risk');
  assert.equal(parsed.assessment.enisa.se, 5);
  // No terminal and nothing missing now: it re-assesses on the stored answers.
  // --now dates the assessment (the data-subject clock's anchor), not only the clocks read after it.
  const third = await exir(['assess', FIXTURE_REF, '--now', '2021-03-10T08:00Z']);
  assert.equal(third.code, 0, third.err);
  assert.match(third.out, /Assessment v3/);
  assert.match(third.err, /no --answers file and no terminal: assessing acme\/proxylogon again on the answers already given \(version 2\)/);
  assert.equal((await fx.store.listAssessments(FIXTURE_REF)).at(-1)?.assessedAt, '2021-03-10T08:00:00.000Z');
});

test('obligations: a table soonest first, in Jersey time; exit 1 once a deadline has passed', async () => {
  const before72 = await exir(['obligations', FIXTURE_REF, '--now', '2021-03-09T12:00Z']);
  assert.equal(before72.code, 0, before72.err);
  const lines = before72.out.split('\n');
  assert.match(lines[0] ?? '', /^Ref\s+Recipient\s+Stage\s+Due \(or firm target\)\s+Left\s+State/);
  assert.match(before72.out, /JOIC \(Jersey Data Protection Authority\)\s+initial\s+Thu 11 Mar 2021 09:00 GMT\s+1 d 21 h\s+open/);
  assert.match(before72.out, /no statutory hours/);
  const late = await exir(['obligations', '--now', '2021-03-12T09:00Z']);
  assert.equal(late.code, 1);
  assert.match(late.out, /acme\/proxylogon\s+JOIC-1\s+JOIC/);
});

test("file: a late first filing needs its reasons; the filing keeps a snapshot and the regulator's reference", async () => {
  type Listed = { clocks: { clock: { ref: string; name: string; ruleId: string; stage: string } }[] };
  const names = async () =>
    new Map((JSON.parse((await exir(['obligations', FIXTURE_REF, '--json'])).out) as Listed).clocks.map((c) => [c.clock.ref, c.clock.name]));
  const list = assertSchema<Listed>('obligations', (await exir(['obligations', FIXTURE_REF, '--json'])).out);
  const joicClock = list.clocks.find((c) => c.clock.ruleId === 'JE_DPJL_ART20_AUTHORITY' && c.clock.stage === 'initial')?.clock;
  assert.equal(joicClock?.name, 'JOIC-1');
  const joic = joicClock.ref;
  // A reassessment keeps every obligation's name.
  const before = await names();
  const answers = join(fx.dir, 'again.yaml');
  writeFileSync(answers, stringify(FIXTURE_ANSWERS));
  assert.equal((await exir(['assess', FIXTURE_REF, '--answers', answers])).code, 0);
  assert.deepEqual(await names(), before);
  // The README's form of the name is accepted.
  const refused = await exir(['file', FIXTURE_REF, '--obligation', 'joic-1', '--reference', 'JOIC-9', '--at', '2021-03-11T10:00Z', '--channel', 'joic_portal']);
  assert.equal(refused.code, 2, refused.err + refused.out);
  assert.match(refused.err, /1 h 0 min after its deadline.*--delay-reasons/);
  const filed = await exir([
    'file',
    FIXTURE_REF,
    '--obligation',
    'JOIC-1',
    '--reference',
    'JOIC-9',
    '--at',
    '2021-03-11T10:00Z',
    '--channel',
    'joic_portal',
    '--delay-reasons',
    'scope confirmed late',
  ]);
  assert.equal(filed.code, 0, filed.err);
  assert.match(filed.out, /Filed JOIC-1 \(JOIC .*#1 at Thu 11 Mar 2021 10:00 GMT .*reference JOIC-9, via joic_portal/);
  assert.match(filed.out, /Late by 1 h; reasons recorded: scope confirmed late/);
  const stored = (await fx.store.listObligations(FIXTURE_REF)).find((o) => o.ref === joic);
  const content = stored?.filings[0]?.content as { pack: string; draft: { pack: string; sections: unknown[] } };
  assert.equal(content.pack, 'joic');
  assert.equal(content.draft.pack, 'joic');
  assert.ok(content.draft.sections.length > 5);
  // A filing to the ICO keeps the ICO's report, not the JOIC's: its title, and not the JOIC's reference as its own.
  const ico = list.clocks.find((c) => c.clock.ruleId === 'UK_GDPR_ART33' && c.clock.stage === 'initial')?.clock.ref;
  assert.ok(ico);
  // Sent on 9 March: the snapshot is the draft of that time (assessment v2; v3 is dated 10 March), with the
  // document sent attached and hashed into the evidence register.
  const sentDoc = join(fx.dir, 'ico-report-as-sent.pdf');
  writeFileSync(sentDoc, '%PDF-1.4 the report as sent\n');
  const icoFiled = await exir([
    'file',
    FIXTURE_REF,
    '--obligation',
    ico,
    '--reference',
    'ICO-77',
    '--at',
    '2021-03-09T13:00Z',
    '--channel',
    'ico_online',
    '--attach',
    sentDoc,
  ]);
  assert.equal(icoFiled.code, 0, icoFiled.err);
  assert.match(icoFiled.out, /Attached ico-report-as-sent\.pdf as E\d+ \(SHA-256 [0-9a-f]{64}\)/);
  const icoStored = (await fx.store.listObligations(FIXTURE_REF)).find((o) => o.ref === ico);
  const icoContent = icoStored?.filings[0]?.content as {
    assessmentVersion: number;
    asOf: string;
    attachments: { evidence: string; sha256: string }[];
    draft: { generatedAt: string; title: string; recipient?: string; sections: { items: { id: string; lines?: string[] }[] }[] };
  };
  assert.equal(icoContent.asOf, '2021-03-09T13:00:00.000Z');
  assert.equal(icoContent.draft.generatedAt, '2021-03-09T13:00:00.000Z');
  // v4, the reassessment above, is of 9 March 12:00 too; v3 is dated 10 March.
  assert.equal(icoContent.assessmentVersion, 4, 'the assessment of 10 March is not in a report sent on 9 March');
  const ev = (await fx.store.listEvidence(FIXTURE_REF)).find((e) => e.ref === icoContent.attachments[0]?.evidence);
  assert.equal(ev?.sha256, icoContent.attachments[0]?.sha256);
  const icoDraft = icoContent.draft;
  assert.match(icoDraft.title, /Information Commissioner's Office/);
  assert.doesNotMatch(icoDraft.title, /JOIC/);
  const prev = icoDraft.sections.flatMap((x) => x.items).find((i) => i.id === 'joic.previous-reference');
  assert.doesNotMatch((prev?.lines ?? []).join(' '), /JOIC-9/);
});

test('report: JSON and HTML to stdout, DOCX and PDF to files, all packs to a folder', async (t) => {
  const json = await exir(['report', FIXTURE_REF, '--pack', 'joic', '--format', 'json']);
  assert.equal(json.code, 0, json.err);
  const draft = assertSchema<{ pack: string; open: { id: string }[] }>('pack-draft', json.out);
  assert.equal(draft.pack, 'joic');
  assert.ok(!draft.open.some((o) => o.id === 'joic.delay'), 'the delay reasons were given with the filing');
  const html = await exir(['report', FIXTURE_REF, '--pack', 'jfsc', '--format', 'html']);
  assert.match(html.out, /^<!doctype html>/);
  // Two datasets with different data: two letters to the people affected, one per audience, to a folder.
  const letters = await exir(['report', FIXTURE_REF, '--pack', 'subjects', '--format', 'html', '--out', join(fx.dir, 'letters')]);
  assert.equal(letters.code, 0, letters.err);
  for (const a of ['trust-mail', 'hr']) assert.ok(existsSync(join(fx.dir, 'letters', `acme-proxylogon-subjects-${a}.html`)), a);
  // The send copy: refused while a question is open, naming it; clean when none is.
  const refusedSend = await exir(['report', FIXTURE_REF, '--pack', 'jfsc', '--copy', 'send', '--format', 'html']);
  assert.equal(refusedSend.code, 2);
  assert.match(refusedSend.err, /send copy .* cannot be made while \d+ question\(s\) are open: .*J5 Impact on clients/);
  const sendHtml = await exir(['report', FIXTURE_REF, '--pack', 'register', '--copy', 'send', '--format', 'html']);
  assert.equal(sendHtml.code, 0, sendHtml.err);
  assert.doesNotMatch(sendHtml.out, /From: |Question: |DRAFT|\[[CPGI]\]/);
  const docx = join(fx.dir, 'board.docx');
  const d = await exir(['report', FIXTURE_REF, '--pack', 'board', '--format', 'docx', '--out', docx]);
  assert.equal(d.code, 0, d.err);
  assert.equal(readFileSync(docx).subarray(0, 2).toString(), 'PK');
  const all = await exir(['report', FIXTURE_REF, '--pack', 'all', '--format', 'json', '--out', join(fx.dir, 'packs')]);
  assert.equal(all.code, 0, all.err);
  for (const p of ['joic', 'joic-ico', 'jfsc', 'subjects-trust-mail', 'subjects-hr', 'board', 'register'])
    assert.ok(existsSync(join(fx.dir, 'packs', `acme-proxylogon-${p}.json`)), p);
  if (skipIf(t, 'chromium', chromiumMissing())) return;
  const pdf = join(fx.dir, 'joic.pdf');
  const p = await exir(['report', FIXTURE_REF, '--pack', 'joic', '--format', 'pdf', '--out', pdf]);
  assert.equal(p.code, 0, p.err);
  assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
});

test('report: --json prints the JSON draft, --out alone writes every pack, neither says what to give', async () => {
  const json = await exir(['report', FIXTURE_REF, '--pack', 'joic', '--json']);
  assert.equal(json.code, 0, json.err);
  assert.equal((JSON.parse(json.out) as { pack: string }).pack, 'joic');
  const clash = await exir(['report', FIXTURE_REF, '--pack', 'joic', '--json', '--format', 'docx']);
  assert.equal(clash.code, 2);
  assert.match(clash.err, /--json and --format docx ask for two formats/);
  const dir = join(fx.dir, 'all-by-default');
  const all = await exir(['report', FIXTURE_REF, '--json', '--out', dir]);
  assert.equal(all.code, 0, all.err);
  // One file per pack; the letter to the people affected is one per audience (its name ends with the audience).
  const written = readdirSync(dir);
  for (const p of ['joic', 'jfsc', 'subjects', 'board', 'register', 'evidence'])
    assert.ok(
      written.some((n) => n.startsWith(`acme-proxylogon-${p}`) && n.endsWith('.json')),
      `${p}: ${written.join(', ')}`,
    );
  const none = await exir(['report', FIXTURE_REF]);
  assert.equal(none.code, 2);
  assert.match(none.err, /say which draft: --pack joic\|jfsc\|subjects\|board\|register\|evidence\|processor\|authorities\|all, or --out FOLDER/);
});

test('report: the JFSC pack and the letter to the people affected end with the phishing to expect', async () => {
  const jfsc = await exir(['report', FIXTURE_REF, '--pack', 'jfsc', '--json']);
  assert.equal(jfsc.code, 0, jfsc.err);
  const sections = (JSON.parse(jfsc.out) as { sections: { title: string }[] }).sections.map((s) => s.title);
  assert.equal(sections.at(-1), 'Phishing that may follow the attack');
  const board = await exir(['report', FIXTURE_REF, '--pack', 'board', '--json']);
  assert.ok(!(JSON.parse(board.out) as { sections: { title: string }[] }).sections.some((s) => /Phishing/.test(s.title)), 'not in the board briefing');
});

// Last in this file: it edits the fixture's store behind its back.
test('report: a case whose scan seals do not hold is refused, exit 2, nothing drafted', async () => {
  assert.ok(fx.url.startsWith('sqlite:'));
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(fx.url.slice('sqlite:'.length));
  db.exec("DROP TRIGGER scan_servers_no_update; UPDATE scan_servers SET verdict = 'clean'");
  db.close();
  const r = await exir(['report', FIXTURE_REF, '--pack', 'joic', '--json']);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /does not hold together: .*do not match its seal/);
});
