import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Draft, DraftField } from './draft-types.js';
import { buildAuthorityDraft, buildDraft, buildDrafts, buildOtherAuthorityDrafts } from './draft.js';
import type { Fixture } from './test-helpers/fixture-case.js';
import { FIXTURE_REF, fixtureCase, HOSTILE, REALISTIC_ANSWERS } from './test-helpers/fixture-case.js';
import { questionBank } from './questions.js';
import type { DraftContext } from './resolvers.js';
import { RESOLVERS } from './resolvers.js';
import { assessFacts, refreshObligations } from './refresh.js';
import { PACKS } from './rules.js';

let full: Fixture;
let bare: Fixture;
const drafts = new Map<string, Draft>();
const bareDrafts = new Map<string, Draft>();

async function context(f: Fixture): Promise<DraftContext> {
  const s = await refreshObligations(f.store, FIXTURE_REF, f.now);
  return { facts: s.facts, assessment: s.assessment, obligations: s.obligations, clocks: s.clocks, now: f.now, tz: 'Europe/Jersey' };
}

before(async () => {
  full = await fixtureCase({ file: true });
  bare = await fixtureCase({ answers: undefined });
  const c = await context(full);
  const b = await context(bare);
  for (const p of PACKS) {
    drafts.set(p, buildDraft(p, c));
    bareDrafts.set(p, buildDraft(p, b));
  }
});
after(async () => {
  await full.close();
  await bare.close();
});

function field(pack: string, id: string, from = drafts): DraftField {
  const d = from.get(pack);
  const item = d?.sections.flatMap((s) => s.items).find((i) => i.id === id);
  assert.ok(item && item.kind === 'field', `${pack} has no field ${id}`);
  return item;
}
const text = (f: DraftField): string => f.lines.join('\n');

test('every question of every pack is in its draft, answered or open; none silently missing', () => {
  const bank = questionBank(new Set(Object.keys(RESOLVERS)));
  for (const from of [drafts, bareDrafts]) {
    for (const p of PACKS) {
      const d = from.get(p);
      assert.ok(d);
      const items = d.sections.flatMap((s) => s.items);
      const ids = items.map((i) => i.id);
      for (const s of bank[p].sections) for (const q of s.questions) assert.ok(ids.includes(q.id), `${p}: ${q.id} missing`);
      for (const i of items) {
        const answered = i.kind === 'field' ? i.lines.length > 0 : i.rows.length > 0;
        assert.ok(answered || i.open, `${p}: ${i.id} is neither answered nor open`);
        if (i.open)
          assert.ok(
            d.open.some((o) => o.id === i.id),
            `${p}: ${i.id} is open but not in the list of open questions`,
          );
        if (answered) assert.ok(i.trace.length > 0, `${p}: ${i.id} has an answer with no trace`);
      }
    }
  }
});

test("JOIC: answered fields carry the case's values, Jersey time, the special categories and the late filing's reasons", () => {
  assert.equal(text(field('joic', 'joic.reporter')), 'Jo Bloggs, Compliance Officer, jo@acme.je, +44 1534 000000');
  assert.equal(text(field('joic', 'joic.controller')), 'Acme Trust Company Limited');
  assert.equal(text(field('joic', 'joic.registration')), 'JOIC-55');
  assert.equal(text(field('joic', 'joic.aware')), 'Mon 08 Mar 2021 09:00 GMT (09:00 UTC)');
  assert.match(
    text(field('joic', 'joic.first-or-follow-up')),
    /^Follow-up notification \(first notification filed Thu 11 Mar 2021 12:00 GMT.*JOIC-BR-2021-0042/,
  );
  assert.match(text(field('joic', 'joic.special')), /criminal record or alleged criminal activity: YES \(trust administration mailboxes\)/);
  assert.match(text(field('joic', 'joic.special')), /health: YES \(HR mailbox\)/);
  assert.match(text(field('joic', 'joic.special')), /trade union membership: no/);
  assert.match(text(field('joic', 'joic.people')), /^About 1560 in all \(more than 100\)/);
  assert.match(text(field('joic', 'joic.records')), /^About 40800 in all/);
  assert.equal(text(field('joic', 'joic.subject-jurisdictions')), 'JE: about 960; GB: about 450; CH: about 150');
  assert.equal(text(field('joic', 'joic.delay')), 'The scope of mailbox access was only established by the forensic firm on 11 March.');
  assert.match(text(field('joic', 'joic.other-authorities')), /UK Information Commissioner's Office: to be notified/);
  assert.match(text(field('joic', 'joic.risk')), /SE = DPC × EI \+ CB = 4 × 1 \+ 1 = 5, very-high/);
  assert.match(text(field('joic', 'joic.risk')), /confidentiality 0.5 \(evidence: the evidence shows data exported by the attacker/);
  assert.match(text(field('joic', 'joic.what-happened')), /EX01: post-exploitation\. A web shell was written/);
  assert.ok(field('joic', 'joic.declarations').open, 'the declarations wait for the signer');
});

test('the cannot-exclude-access case: the draft says so and never says "not accessed"', () => {
  const access = text(field('joic', 'joic.access'));
  assert.match(access, /The evidence cannot exclude access to this data: .*every mailbox on EX01 is reachable \(web shell run as SYSTEM\)/);
  assert.match(access, /EX01 httpproxy: no HttpProxy logs for 27-28 February; access in that time cannot be excluded/);
  assert.match(access, /trust administration mailboxes .*: copied out by the attacker \(exported\)/);
  assert.match(access, /HR mailbox .*: within the attacker's reach; access cannot be excluded/);
  assert.ok(field('joic', 'joic.access').trace.includes('evidence EX01/W3SVC1/u_ex210303.log:430'));
  for (const d of drafts.values()) {
    assert.doesNotMatch(JSON.stringify(d), /not accessed/i);
    assert.ok(
      d.caveats.some((c) => /cannot exclude access/.test(c)),
      `${d.pack} caveats`,
    );
  }
});

test("without the scans' mailbox analysis the draft says plainly the data touched is not established", async () => {
  const s = await refreshObligations(full.store, FIXTURE_REF, full.now);
  const facts = { ...s.facts, mailboxes: undefined, coverage: undefined };
  const answers = s.assessment?.answers ?? {};
  const result = assessFacts(facts, answers, full.now);
  const d = buildDraft('joic', {
    facts,
    assessment: { version: 9, answers, result },
    obligations: s.obligations,
    clocks: s.clocks,
    now: full.now,
    tz: 'Europe/Jersey',
  });
  const access = d.sections.flatMap((x) => x.items).find((i) => i.id === 'joic.access');
  assert.ok(access && access.kind === 'field');
  assert.match(access.lines.join(' '), /scan verdict for EX01 is post-exploitation.*cannot be excluded/);
  assert.match(access.open ?? '', /not yet established/);
  assert.ok(d.open.some((o) => o.id === 'joic.access'));
  assert.ok(d.caveats.some((c) => /not yet established; this draft does not conclude/.test(c)));
  assert.doesNotMatch(JSON.stringify(d), /not accessed/i);
});

test("JFSC: the letter and the supervisor's questions, with the unconfirmed rule flagged", () => {
  const letter = text(field('jfsc', 'jfsc.letter-opening'));
  assert.match(letter, /Acme Trust Company Limited \(JFSC registration TCB-1234\) notifies the Commission/);
  assert.match(text(field('jfsc', 'jfsc.j2')), /CVE-2021-26855/);
  assert.match(text(field('jfsc', 'jfsc.j2')), /EX01 patched 5 March 2021/);
  assert.match(text(field('jfsc', 'jfsc.j15')), /CDD\/AML records in trust administration mailboxes: copied out by the attacker \(exported\)/);
  assert.equal(field('jfsc', 'jfsc.j7').lines[0], 'The March 2021 security update was not applied within the patch window.');
  assert.ok(field('jfsc', 'jfsc.j8').open, 'third parties not answered: open');
  assert.ok(drafts.get('jfsc')?.caveats.some((c) => /JFSC_CODES_P6.*P: partly confirmed/.test(c)));
});

test('letter to the people: plain words, phishing warning, contact; board and register', () => {
  assert.match(text(field('subjects', 'subjects.what-happened')), /criminals broke into our email system/);
  assert.match(text(field('subjects', 'subjects.what-it-means')), /We know that some of it was copied out\./);
  assert.match(text(field('subjects', 'subjects.what-to-do')), /never change our bank details by email/);
  assert.match(text(field('subjects', 'subjects.contact')), /Jo Bloggs/);
  assert.match(text(field('board', 'board.actions')), /^Done: Isolate the Exchange server from the internet \(analyst, /);
  assert.match(text(field('register', 'register.decision')), /^D1: Notify the JOIC and the JFSC\. Why: web shell/);
  const decisions = drafts
    .get('board')
    ?.sections.flatMap((s) => s.items)
    .find((i) => i.id === 'board.decisions');
  assert.ok(decisions && decisions.kind === 'table' && decisions.rows.length > 3);
  // The packs refer to the evidence summary; none carries the findings table.
  for (const p of ['joic', 'jfsc', 'board', 'register']) {
    assert.match(
      text(field(p, 'evidence.reference')),
      /summarised in a separate document, "Evidence summary", sent with this one: 2 server\(s\) examined, 1 of them exploited; 2 finding\(s\)/,
    );
    assert.ok(!drafts.get(p)?.sections.some((s) => s.items.some((i) => i.id === 'appendix.findings')), `${p} embeds the findings`);
  }
});

test('the evidence summary: per server its verdict, decisive findings and time span; every file and item with its SHA-256', async () => {
  const d = drafts.get('evidence');
  assert.ok(d);
  const items = d.sections.flatMap((s) => s.items);
  const servers = items.find((i) => i.id === 'evidence.servers');
  assert.ok(servers && servers.kind === 'table');
  const ex01 = servers.rows.find((r) => r[0] === 'EX01');
  assert.equal(ex01?.[1], 'exploited, and the attacker acted on the server afterwards');
  assert.match(ex01?.[2] ?? '', /^Tue 02 Mar 2021 10:15 GMT/);
  // Strongest stage first: the web shell before the SSRF attempt.
  assert.ok((ex01?.[3] ?? '').indexOf('Web shell POST') < (ex01?.[3] ?? '').indexOf('SSRF'), ex01?.[3]);
  assert.ok((ex01?.[3] ?? '').includes(HOSTILE), 'evidence text is kept as it is; renderers escape it');
  assert.deepEqual(servers.rows.find((r) => r[0] === 'EX02')?.slice(1, 3), ['probed by scanners only', 'none']);
  const files = items.find((i) => i.id === 'evidence.files');
  assert.ok(files && files.kind === 'table');
  assert.deepEqual(
    files.rows.map((r) => r[0]),
    ['EX01/W3SVC1/u_ex210303.log'],
  );
  assert.match(files.rows[0]?.[1] ?? '', /^[0-9a-f]{64}$/);
  assert.ok(!items.some((i) => i.id === 'appendix.findings'), 'the page carries the summary, not every finding');
  // The JSON (and a filing snapshot) carries every finding, with file, line and hash.
  const all = buildDraft('evidence', await context(full), { appendixRows: Infinity })
    .sections.flatMap((s) => s.items)
    .find((i) => i.id === 'appendix.findings');
  assert.ok(all && all.kind === 'table' && all.rows.length === 2);
  assert.ok(all.rows.some((r) => r[4] === 'EX01/W3SVC1/u_ex210303.log' && r[5] === '412' && /^[0-9a-f]{64}$/.test(r[6] ?? '')));
  // Evidence registered in the case: each item with its SHA-256, as the register took it.
  const none = items.find((i) => i.id === 'evidence.items');
  assert.ok(none && none.kind === 'field' && /No evidence item is registered/.test(none.lines[0] ?? ''));
  const path = join(full.dir, 'EX01-triage.zip');
  writeFileSync(path, 'PK collected on EX01');
  const { item } = await full.store.addEvidence(FIXTURE_REF, { path, source: 'EX01, KAPE', collectedBy: 'IT provider' });
  const held = buildDraft('evidence', await context(full))
    .sections.flatMap((s) => s.items)
    .find((i) => i.id === 'evidence.items');
  assert.ok(held && held.kind === 'table');
  assert.deepEqual(held.rows, [
    [item.ref, `file, ${item.size} bytes`, 'EX01, KAPE, collected by IT provider', createHash('sha256').update('PK collected on EX01').digest('hex')],
  ]);
});

test('a case with no answers: everything the firm must say is open, with what is needed', () => {
  const joic = bareDrafts.get('joic');
  assert.ok(joic);
  const open = joic.open.map((o) => o.id);
  for (const id of ['joic.reporter', 'joic.categories', 'joic.people', 'joic.consequences', 'joic.containment', 'joic.risk']) {
    assert.ok(open.includes(id), `${id} should be open`);
  }
  assert.match(field('joic', 'joic.registration', bareDrafts).lines[0] ?? '', /JOIC-55/);
  assert.deepEqual(field('joic', 'joic.controller', bareDrafts).trace, ['case firm name (acme)']);
  assert.match(joic.open.find((o) => o.id === 'joic.people')?.needed ?? '', /datasets\[\]\.people/);
});

test('a 2021 case is drafted on the law of 2021: no 2026 Cyber Security Law, no EDPB guidance of 2023', () => {
  for (const p of PACKS) {
    const all = JSON.stringify(drafts.get(p));
    assert.doesNotMatch(all, /Cyber Security \(Jersey\) Law|JE_CSL_OES_48H/, `${p} mentions a law adopted in 2026`);
    assert.doesNotMatch(all, /9\/2022/, `${p} cites guidance adopted in 2023`);
  }
});

test('one letter per audience: KYC clients are not told of HR health data, staff are not told of criminal-record checks', async () => {
  const letters = buildDrafts('subjects', await context(full));
  assert.equal(letters.length, 2);
  const body = (d: Draft): string =>
    d.sections
      .flatMap((s) => s.items)
      .map((i) => (i.kind === 'field' ? i.lines.join(' ') : ''))
      .join(' ');
  const clients = letters.find((d) => d.audience?.datasets.some((x) => x.id === 'trust-mail'));
  const staff = letters.find((d) => d.audience?.datasets.some((x) => x.id === 'hr'));
  assert.ok(clients && staff);
  assert.match(body(clients), /criminal record/);
  assert.doesNotMatch(body(clients), /health/);
  assert.match(body(staff), /health/);
  assert.doesNotMatch(body(staff), /criminal record|passport|identity documents/i, 'the case-wide consequences (passport copies) are not told to staff');
  assert.equal(clients.audience?.people, 1500);
  assert.equal(staff.audience?.people, 60);
  assert.deepEqual(clients.audience?.letters, [
    { id: 'trust-mail', datasets: ['trust-mail'] },
    { id: 'hr', datasets: ['hr'] },
  ]);
  assert.ok(
    staff.open.some((o) => o.id === 'subjects.what-it-means'),
    'the staff letter asks for its own consequences',
  );
  assert.equal(buildDrafts('joic', await context(full))[0]?.title, 'Personal data breach report to the JOIC');
});

test("each authority gets its own report: the ODPA's quotes the ODPA reference and its own delay reasons, under its own name", async () => {
  const f = await fixtureCase({ answers: REALISTIC_ANSWERS, file: true, lateGuernsey: true });
  try {
    const c = await context(f);
    const reports = [...buildDrafts('joic', c), ...buildOtherAuthorityDrafts(c)];
    const titles = reports.map((d) => d.title);
    assert.equal(titles[0], 'Personal data breach report to the JOIC');
    assert.ok(
      titles.some((x) => /ODPA/.test(x)),
      titles.join(' | '),
    );
    assert.ok(
      titles.some((x) => /Information Commissioner/.test(x)),
      titles.join(' | '),
    );
    assert.ok(
      titles.some((x) => /CNIL/.test(x)),
      `the 2021 case reports to the CNIL, where the EU representative is: ${titles.join(' | ')}`,
    );
    const odpaOb = c.obligations.find((o) => o.ruleId === 'GG_DPL_S42_AUTHORITY' && o.stage === 'initial');
    assert.ok(odpaOb);
    const odpa = buildAuthorityDraft(c, odpaOb);
    const own = (id: string): string => {
      const item = odpa.sections.flatMap((x) => x.items).find((i) => i.id === id);
      assert.ok(item && item.kind === 'field', id);
      return item.lines.join(' ');
    };
    assert.doesNotMatch(odpa.title, /JOIC/);
    assert.equal(own('joic.previous-reference'), 'ODPA-2021-117', 'the JOIC reference is not quoted to the ODPA as its own');
    assert.match(own('joic.first-or-follow-up'), /ODPA reference ODPA-2021-117/);
    assert.match(own('joic.delay'), /Guernsey residents among the clients were only identified on 12 March/);
    assert.doesNotMatch(own('joic.delay'), /forensic firm/, "the JOIC filing's delay reasons are not the ODPA's");
    assert.ok(!odpa.sections.flatMap((s) => s.items).some((i) => i.id === 'joic.registration' || i.id === 'joic.declarations'));
    assert.doesNotMatch(JSON.stringify(odpa.sections.map((s) => s.items.map((i) => i.label))), /JOIC/);
  } finally {
    await f.close();
  }
});

test('each letter tells its readers where to complain, by where they live, and is signed', async () => {
  const f = await fixtureCase({ answers: REALISTIC_ANSWERS });
  try {
    const letters = buildDrafts('subjects', await context(f));
    const item = (d: Draft, id: string): string => {
      const i = d.sections.flatMap((s) => s.items).find((x) => x.id === id);
      assert.ok(i && i.kind === 'field', id);
      return i.lines.join('\n');
    };
    const clients = letters.find((d) => d.audience?.id === 'kyc');
    const staff = letters.find((d) => d.audience?.id === 'hr');
    assert.ok(clients && staff);
    assert.match(item(clients, 'subjects.rights'), /JOIC.*\n.*ODPA.*\n.*ICO.*\n.*CNIL/s);
    assert.doesNotMatch(item(staff, 'subjects.rights'), /ICO|CNIL/, 'staff live in Jersey and Guernsey only');
    assert.match(item(staff, 'subjects.rights'), /ODPA/);
    assert.equal(item(clients, 'subjects.sign-off'), 'Yours sincerely,\nJo Bloggs\nCompliance Officer\nAcme Trust Company Limited');
  } finally {
    await f.close();
  }
});
