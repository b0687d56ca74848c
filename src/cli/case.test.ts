import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Command } from 'commander';
import { registerCase } from './case.js';

const root = mkdtempSync(join(tmpdir(), 'exir-cli-case-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Runs `exir case …` in-process against a workspace of its own; returns what it printed and its exit code. */
async function exir(workspace: string, ...args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  let code = 0;
  const program = new Command().exitOverride();
  registerCase(
    program,
    (c) => {
      code = Math.max(code, c);
    },
    {
      out: (t) => {
        out += t;
      },
      err: (t) => {
        err += t;
      },
    },
  );
  await program.parseAsync(['node', 'exir', 'case', ...args, '--workspace', workspace, '--actor', 'alice']);
  return { out, err, code };
}

test('a case from new to show, in text and JSON, with evidence, an action and a decision', async () => {
  const ws = join(root, 'one');
  const created = await exir(
    ws,
    'new',
    'acme/proxylogon',
    '--title',
    'Exchange compromise',
    '--firm-name',
    'Acme Trust Ltd',
    '--registration',
    'JFSC=TCB123',
    '--detected',
    '2021-03-08T09:00Z',
    '--aware',
    '2021-03-08T09:00Z',
    '--server',
    'EXCH01',
  );
  assert.equal(created.code, 0, created.err);
  assert.match(created.out, /acme\/proxylogon: Exchange compromise/);
  assert.match(created.out, /JFSC TCB123/);

  const ev = join(root, 'ev');
  mkdirSync(ev);
  writeFileSync(join(ev, 'u_ex210302.log'), 'line\n');
  const added = await exir(ws, 'add-evidence', 'acme/proxylogon', ev, '--source', 'EXCH01', '--json');
  assert.equal(added.code, 0, added.err);
  const parsed = JSON.parse(added.out) as { item: { ref: string; fileCount: number } }[];
  assert.equal(parsed[0]?.item.ref, 'E1');
  assert.equal(parsed[0]?.item.fileCount, 1);

  assert.equal((await exir(ws, 'action', 'proxylogon', 'isolate', '--status', 'done', '--note', 'fw rule 42')).code, 0);
  const decided = await exir(
    ws,
    'decide',
    'proxylogon',
    '--kind',
    'notify',
    '--decision',
    'Notify the JOIC',
    '--rationale',
    'mailbox access',
    '--evidence',
    'E1',
  );
  assert.equal(decided.code, 0, decided.err);

  const shown = await exir(ws, 'show', 'acme/proxylogon');
  assert.match(shown.out, /\[done\] isolate: .* by alice .*: fw rule 42/);
  assert.match(shown.out, /D1 \[notify\] Notify the JOIC/);
  assert.match(shown.out, /verify evidence not yet checked: E1/);
  const story = JSON.parse((await exir(ws, 'show', 'acme/proxylogon', '--json')).out) as { case: { ref: string }; decisions: unknown[] };
  assert.equal(story.case.ref, 'acme/proxylogon');
  assert.equal(story.decisions.length, 1);

  const listed = await exir(ws, 'list', '--json');
  assert.deepEqual(
    (JSON.parse(listed.out) as { ref: string }[]).map((c) => c.ref),
    ['acme/proxylogon'],
  );
});

test('verify exits 1 on a changed byte and shows hostile file names escaped', async () => {
  const ws = join(root, 'two');
  await exir(ws, 'new', 'beta/x', '--title', 't');
  const ev = join(root, 'ev2');
  mkdirSync(ev);
  const hostile = 'log\u001b[2J\u009b31m.log';
  writeFileSync(join(ev, hostile), 'abc');
  assert.equal((await exir(ws, 'add-evidence', 'beta/x', ev)).code, 0);
  const intact = await exir(ws, 'verify', 'beta/x');
  assert.equal(intact.code, 0);
  assert.match(intact.out, /E1 intact/);
  writeFileSync(join(ev, hostile), 'abd');
  const changed = await exir(ws, 'verify', 'beta/x');
  assert.equal(changed.code, 1);
  assert.match(changed.out, /E1 CHANGED/);
  assert.ok(changed.out.includes('changed: log\\e[2J\\x9b31m.log'), changed.out);
  assert.doesNotMatch(changed.out, /[\u001b\u009b]/);
});

test('bad input is one line on stderr and exit 2', async () => {
  const ws = join(root, 'three');
  const noZone = await exir(ws, 'new', 'acme/y', '--title', 't', '--detected', '2021-03-08 09:00');
  assert.equal(noZone.code, 2);
  assert.match(noZone.err, /^exir case: detected: .*zone/);
  const missing = await exir(ws, 'show', 'acme/nope');
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no case/);
  const badReg = await exir(ws, 'new', 'acme/z', '--title', 't', '--registration', 'JFSC');
  assert.equal(badReg.code, 2);
  assert.match(badReg.err, /SCHEME=NUMBER/);
});

test("times are local with the zone's abbreviation (--tz to change it), the log is a table, a capitalised name is said once", async () => {
  const ws = join(root, 'four');
  const made = await exir(ws, 'new', 'firmA/Exch', '--title', 't', '--occurred-from', '2021-01-05T09:00Z', '--detected', '2021-07-05T09:00Z');
  assert.equal(made.code, 0, made.err);
  assert.match(made.err, /names are kept in lower case: "firmA\/Exch" is firma\/exch/);
  assert.match(made.out, /detected\s+2021-07-05 10:00:00 BST/);
  assert.match(made.out, /occurred\s+2021-01-05 09:00:00 GMT to/);
  const quiet = await exir(ws, 'new', 'firma/second', '--title', 't');
  assert.equal(quiet.err, '');
  const inUtc = await exir(ws, 'show', 'FIRMA/exch', '--tz', 'UTC');
  assert.match(inUtc.out, /detected\s+2021-07-05 09:00:00 UTC/);
  await assert.rejects(exir(ws, 'show', 'firma/exch', '--tz', 'Mars/Olympus'), /unknown time zone "Mars\/Olympus"/);

  await exir(ws, 'action', 'firma/exch', 'isolate', '--status', 'done', '--note', 'fw rule 42');
  const log = await exir(ws, 'log', 'firma/exch');
  assert.equal(log.code, 0, log.err);
  const lines = log.out.split('\n');
  assert.match(lines[0] ?? '', /^Seq\s+When\s+Who\s+What\s+Change$/);
  assert.match(log.out, /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (GMT|BST)\s+alice\s+\w+ action isolate\s+.*status: open → done/);
  assert.doesNotMatch(log.out, /^\s*\d+ .*\{"/m);
  assert.match(log.out, /Audit chain intact/);
  const json = JSON.parse((await exir(ws, 'log', 'firma/exch', '--json')).out) as { entries: { at: string }[] };
  assert.match(json.entries[0]?.at ?? '', /Z$/);
});

test('anchor: the head kept outside the store catches a chain rewritten and re-hashed', async () => {
  const ws = join(root, 'anchor');
  await exir(ws, 'new', 'acme/a', '--title', 't');
  await exir(ws, 'action', 'acme/a', 'isolate', '--status', 'done');
  const anchored = await exir(ws, 'anchor', 'acme/a');
  assert.equal(anchored.code, 0, anchored.err);
  const hash = anchored.out.trim();
  assert.match(hash, /^[0-9a-f]{64}$/);
  await exir(ws, 'set', 'acme/a', '--status', 'investigating');
  // Later entries do not matter: the anchor is still in the chain.
  assert.equal((await exir(ws, 'verify', 'acme/a', '--anchor', hash)).code, 0);
  assert.equal((await exir(ws, 'verify', 'acme/a', '--anchor', 'nothex')).code, 2);

  // Someone with the file rewrites an early entry and recomputes every hash after it.
  const { default: Database } = await import('better-sqlite3');
  const { entryHash } = await import('../case/audit.js');
  const db = new Database(join(ws, 'exir.db'));
  db.exec('DROP TRIGGER audit_log_no_update');
  db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1").run();
  let prev = '';
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, string | number | null>[]) {
    const h = entryHash({
      caseRef: 'acme/a',
      seq: Number(r.seq),
      at: String(r.at),
      actor: String(r.actor),
      entity: String(r.entity),
      entityId: String(r.entity_id),
      action: String(r.action),
      beforeJson: r.before_json === null ? null : String(r.before_json),
      afterJson: r.after_json === null ? null : String(r.after_json),
      prevHash: prev,
    });
    db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, h, r.seq);
    prev = h;
  }
  db.prepare('UPDATE cases SET audit_head = ?').run(prev);
  db.close();
  assert.equal((await exir(ws, 'verify', 'acme/a')).code, 0, 'without the anchor the rewrite is not seen');
  const caught = await exir(ws, 'verify', 'acme/a', '--anchor', hash);
  assert.equal(caught.code, 1);
  assert.match(caught.out, /the anchor [0-9a-f]{16}… is not in the chain/);
});
