// The audit chain and the scan seals on their own, over a bare SQLite store with the triggers
// dropped: what someone holding the database file can do, and what the check must then say. The
// store suite (store.test.ts) covers the same through the store on both engines; this file imports
// only the chain, so it is quick enough to run for every mutant of it.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { appendAudit, checkAudit, entryHash, readAudit } from './audit.js';
import { canonicalJson } from './canonical-json.js';
import type { SqlDriver } from './db/driver.js';
import { num } from './db/driver.js';
import { migrate } from './db/migrations.js';
import { openSqliteDriver } from './db/sqlite-driver.js';
import { computeSeal } from './seal.js';

const dir = mkdtempSync(join(tmpdir(), 'exir-audit-'));
const opened: SqlDriver[] = [];
after(async () => {
  for (const d of opened) await d.close();
  rmSync(dir, { recursive: true, force: true });
});

const HASH_BROKEN = 'its content does not match its hash (the row was edited)';
const LINK_BROKEN = 'does not follow from the entry before it (removed, reordered or edited)';
let stores = 0;

/** A migrated store with one case, `acme/ir`, and no guard triggers left. */
async function bareStore(): Promise<{ db: SqlDriver; caseId: number }> {
  const db = openSqliteDriver(join(dir, `s${(stores += 1)}.db`));
  opened.push(db);
  await migrate(db);
  for (const row of await db.all("SELECT name FROM sqlite_master WHERE type = 'trigger'")) await db.run(`DROP TRIGGER ${String(row.name)}`);
  await db.run("INSERT INTO firms (slug, name, created_at) VALUES ('acme', 'Acme', '2021-03-05T09:00:00.000Z')");
  await db.run(
    "INSERT INTO cases (firm_id, name, title, status, created_at, created_by) SELECT id, 'ir', 'IR', 'triage', '2021-03-05T09:00:00.000Z', 't' FROM firms",
  );
  const caseId = num((await db.get('SELECT id FROM cases'))!, 'id');
  return { db, caseId };
}

async function append(db: SqlDriver, caseId: number, n: number): Promise<void> {
  for (let i = 1; i <= n; i += 1) {
    await appendAudit(db, caseId, `actor${i}`, `2021-03-05T10:0${i}:00.000Z`, {
      entity: 'case',
      entityId: 'acme/ir',
      action: 'update',
      ...(i % 2 === 0 ? { before: { status: `s${i - 1}` } } : {}),
      after: { status: `s${i}`, z: 1, a: [2, { y: 1, b: 2 }] },
    });
  }
}

async function problems(db: SqlDriver, caseId: number): Promise<[number | undefined, string][]> {
  return (await checkAudit(db, caseId)).problems.map((p) => [p.seq, p.reason]);
}

test('each entry is numbered, keeps who, when, before and after, and is hashed with the one before', async () => {
  const { db, caseId } = await bareStore();
  await append(db, caseId, 3);
  const log = await readAudit(db, caseId);
  assert.deepEqual(
    log.map((e) => [e.seq, e.actor, e.at, e.entity, e.entityId, e.action, e.before, e.after]),
    [1, 2, 3].map((i) => [
      i,
      `actor${i}`,
      `2021-03-05T10:0${i}:00.000Z`,
      'case',
      'acme/ir',
      'update',
      i === 2 ? { status: 's1' } : undefined,
      { status: `s${i}`, z: 1, a: [2, { y: 1, b: 2 }] },
    ]),
  );
  assert.equal(log[0]?.prevHash, '');
  for (const [i, e] of log.entries()) {
    if (i > 0) assert.equal(e.prevHash, log[i - 1]?.hash);
    const material = {
      caseRef: 'acme/ir',
      seq: e.seq,
      at: e.at,
      actor: e.actor,
      entity: e.entity,
      entityId: e.entityId,
      action: e.action,
      beforeJson: e.before === undefined ? null : canonicalJson(e.before),
      afterJson: canonicalJson(e.after),
      prevHash: e.prevHash,
    };
    assert.equal(e.hash, entryHash(material), `entry ${e.seq} is hashed over its fields, the case and the hash before`);
    assert.notEqual(e.hash, entryHash({ ...material, caseRef: 'acme/other' }), 'the case is part of the hash');
  }
  const stored = await db.get('SELECT after_json, before_json FROM audit_log WHERE seq = 1');
  assert.deepEqual(stored, { after_json: '{"a":[2,{"b":2,"y":1}],"status":"s1","z":1}', before_json: null }, 'stored as canonical JSON, none when absent');
  assert.deepEqual(await db.get('SELECT audit_seq, audit_head FROM cases'), { audit_seq: 3, audit_head: log[2]?.hash });
  assert.deepEqual(await checkAudit(db, caseId), { intact: true, entries: 3, head: log[2]?.hash, problems: [], seals: { held: 0, unsealed: 0 } });
});

test('an edited field, a renamed case, rows swapped, a row removed and the end cut off are each reported where they happened', async () => {
  const { db, caseId } = await bareStore();
  await append(db, caseId, 4);
  const intact = await db.all('SELECT * FROM audit_log ORDER BY seq');
  const restore = async () => {
    await db.run('DELETE FROM audit_log');
    for (const r of intact) {
      const cols = Object.keys(r);
      await db.run(
        `INSERT INTO audit_log (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
        cols.map((c) => r[c]) as (string | number | null)[],
      );
    }
    assert.deepEqual(await problems(db, caseId), []);
  };

  for (const [column, value] of [
    ['actor', 'mallory'],
    ['at', '2021-03-05T10:09:00.000Z'],
    ['entity', 'scan'],
    ['entity_id', 'acme/other'],
    ['action', 'delete'],
    ['before_json', '{"status":"s0"}'],
    ['after_json', '{"status":"closed"}'],
  ] as const) {
    await db.run(`UPDATE audit_log SET ${column} = ? WHERE seq = 2`, [value]);
    assert.deepEqual(await problems(db, caseId), [[2, HASH_BROKEN]], `${column} edited`);
    await restore();
  }

  // The chain names its case: the same rows under another case name no longer hold.
  await db.run("UPDATE cases SET name = 'other'");
  assert.deepEqual(
    (await problems(db, caseId)).map(([seq, reason]) => [seq, reason === HASH_BROKEN]),
    [1, 2, 3, 4].map((seq) => [seq, true]),
  );
  await db.run("UPDATE cases SET name = 'ir'");

  // Rows 2 and 3 swap places, each re-hashed so its own hash holds: only the links show it.
  const log = await readAudit(db, caseId);
  const r2 = log[1]!;
  const r3 = log[2]!;
  for (const [into, from] of [
    [r2, r3],
    [r3, r2],
  ] as const) {
    const moved = {
      caseRef: 'acme/ir',
      seq: into.seq,
      at: from.at,
      actor: from.actor,
      entity: from.entity,
      entityId: from.entityId,
      action: from.action,
      beforeJson: from.before === undefined ? null : canonicalJson(from.before),
      afterJson: canonicalJson(from.after),
      prevHash: from.prevHash,
    };
    await db.run('UPDATE audit_log SET at = ?, actor = ?, before_json = ?, after_json = ?, prev_hash = ?, hash = ? WHERE seq = ?', [
      moved.at,
      moved.actor,
      moved.beforeJson,
      moved.afterJson,
      moved.prevHash,
      entryHash(moved),
      into.seq,
    ]);
  }
  assert.deepEqual(await problems(db, caseId), [
    [2, LINK_BROKEN],
    [3, LINK_BROKEN],
    [4, LINK_BROKEN],
  ]);
  await restore();

  await db.run('DELETE FROM audit_log WHERE seq = 3');
  assert.deepEqual(await problems(db, caseId), [
    [4, 'entry 3 is missing (next is 4)'],
    [4, LINK_BROKEN],
    [undefined, 'the case records 4 entries but 3 are present'],
  ]);
  await restore();

  await db.run('DELETE FROM audit_log WHERE seq = 4');
  const cut = await checkAudit(db, caseId);
  assert.equal(cut.intact, false);
  assert.equal(cut.entries, 3);
  assert.equal(cut.head, intact[2]?.hash, 'the head given is the last entry present');
  assert.deepEqual(
    cut.problems.map((p) => [p.seq, p.reason]),
    [
      [undefined, 'the case records 4 entries but 3 are present'],
      [undefined, 'the last entry is not the head the case records'],
    ],
  );
  await restore();

  // The head alone changed: the count still agrees.
  await db.run("UPDATE cases SET audit_head = 'x'");
  assert.deepEqual(await problems(db, caseId), [[undefined, 'the last entry is not the head the case records']]);
});

test('a case that does not exist is an error, not an empty intact log', async () => {
  const { db } = await bareStore();
  await assert.rejects(checkAudit(db, 99), /^Error: case 99 not found$/);
  await assert.rejects(appendAudit(db, 99, 't', '2021-03-05T10:00:00.000Z', { entity: 'case', entityId: 'x', action: 'create' }), /case 99 vanished/);
});

async function addScan(db: SqlDriver, caseId: number, findings: number[]): Promise<number> {
  await db.run(
    "INSERT INTO scans (case_id, recorded_at, actor, args, tool_version, rules_loaded, rules_failed) VALUES (?, '2021-03-07T00:00:00.000Z', 'a', '[]', '1', 5, 0)",
    [caseId],
  );
  const scanId = num((await db.get('SELECT MAX(id) AS id FROM scans'))!, 'id');
  for (const line of findings) {
    await db.run(
      `INSERT INTO findings (case_id, rule_id, evidence_sha256, line, byte_offset, path, title, cves, stage, severity, server, fields, first_scan_id)
       VALUES (?, 'r', 'e', ?, 0, 'p', 't', '[]', 'initial', 'high', 'EX01', '{}', ?)`,
      [caseId, line, scanId],
    );
  }
  return scanId;
}

async function recordScan(db: SqlDriver, caseId: number, scanId: number, after: unknown): Promise<void> {
  await appendAudit(db, caseId, 'a', '2021-03-07T00:00:00.000Z', { entity: 'scan', entityId: String(scanId), action: 'record', after });
}

test('a seal covers every row the scan wrote, whatever order they were written in', async () => {
  const one = await bareStore();
  const two = await bareStore();
  const a = await addScan(one.db, one.caseId, [10, 11, 12]);
  const b = await addScan(two.db, two.caseId, [12, 10, 11]);
  const sealA = await computeSeal(one.db, a);
  assert.deepEqual(await computeSeal(two.db, b), sealA, 'the same rows in another order give the same seal');
  assert.equal(sealA.rows, 4, 'the scan row and its three findings');
  assert.match(sealA.seal, /^[0-9a-f]{64}$/);
  await one.db.run('UPDATE findings SET severity = ? WHERE line = 11', ['low']);
  assert.notEqual((await computeSeal(one.db, a)).seal, sealA.seal, 'an edited finding changes it');
  await one.db.run('UPDATE findings SET severity = ? WHERE line = 11', ['high']);
  await one.db.run("UPDATE scans SET actor = 'b'");
  assert.notEqual((await computeSeal(one.db, a)).seal, sealA.seal, 'an edited scan row changes it');
  // Another scan's rows are not part of this one's seal.
  await addScan(two.db, two.caseId, [13]);
  assert.deepEqual(await computeSeal(two.db, b), sealA);
});

test('each recorded scan is checked against the seal in its entry; other entries and scans recorded before seals are not', async () => {
  const { db, caseId } = await bareStore();
  const sealed = await addScan(db, caseId, [10, 11]);
  const older = await addScan(db, caseId, [20]);
  await append(db, caseId, 1);
  await recordScan(db, caseId, sealed, { seal: (await computeSeal(db, sealed)).seal, sealedRows: 3 });
  await recordScan(db, caseId, older, { added: 1 });
  // Entries that are not a scan's record carry no seal to check, even when they name a scan.
  await appendAudit(db, caseId, 'a', '2021-03-08T00:00:00.000Z', { entity: 'scan', entityId: String(older), action: 'note', after: { seal: 'f'.repeat(64) } });
  await appendAudit(db, caseId, 'a', '2021-03-08T00:00:00.000Z', {
    entity: 'finding',
    entityId: String(older),
    action: 'record',
    after: { seal: 'f'.repeat(64) },
  });
  assert.deepEqual(await checkAudit(db, caseId).then((c) => [c.intact, c.seals, c.problems]), [true, { held: 1, unsealed: 1 }, []]);

  await db.run('DELETE FROM findings WHERE line = 11');
  assert.deepEqual(await checkAudit(db, caseId).then((c) => [c.intact, c.seals, c.problems]), [
    false,
    { held: 0, unsealed: 1 },
    [{ seq: 2, reason: `scan ${sealed}'s findings, verdicts or details do not match its seal (rows were edited, added or removed)` }],
  ]);
});

test('a recorded scan whose row is gone, and scan rows the log never recorded, are reported', async () => {
  const { db, caseId } = await bareStore();
  const kept = await addScan(db, caseId, [10]);
  await recordScan(db, caseId, kept, { seal: (await computeSeal(db, kept)).seal });
  const gone = await addScan(db, caseId, []);
  await recordScan(db, caseId, gone, { seal: (await computeSeal(db, gone)).seal });
  await db.run('DELETE FROM scans WHERE id = ?', [gone]);
  const third = await addScan(db, caseId, []);
  const fourth = await addScan(db, caseId, []);
  const check = await checkAudit(db, caseId);
  assert.deepEqual(check.seals, { held: 1, unsealed: 0 });
  assert.deepEqual(check.problems, [
    { seq: 2, reason: `scan ${gone} is in the audit log but its row is gone (removed behind the store's back)` },
    { seq: undefined, reason: `scan ${third} is not in the audit log (added behind the store's back)` },
    { seq: undefined, reason: `scan ${fourth} is not in the audit log (added behind the store's back)` },
  ]);
});

test('the seal is one fixed form, so seals written by an earlier exir still verify: each part named, builds only when there are any', async () => {
  const { db, caseId } = await bareStore();
  const scanId = await addScan(db, caseId, []);
  const scanRow = await db.get(
    `SELECT recorded_at, actor, args, tool_version, scanned_at, rules_loaded, rules_failed, files_added, files_unchanged,
      findings_added, findings_unchanged, warnings FROM scans WHERE id = ?`,
    [scanId],
  );
  const part = (name: string, rows: unknown[][]): string => canonicalJson([name, rows.map((r) => canonicalJson(r)).sort()]);
  const form = (parts: string[]): string => createHash('sha256').update(parts.join(''), 'utf8').digest('hex');
  const empty = ['files', 'findings', 'verdicts', 'details', 'context'].map((name) => part(name, []));
  const before9 = form([part('scan', [Object.values(scanRow!)]), ...empty]);
  assert.deepEqual(await computeSeal(db, scanId), { seal: before9, rows: 1 });

  await db.run(
    "INSERT INTO scan_builds (scan_id, case_id, server, build, source, seen_at, evidence_sha256, path) VALUES (?, ?, 'EX01', '15.1.2176.2', 'owa', '2021-03-05T00:00:00.000Z', 'e', 'p')",
    [scanId, caseId],
  );
  const build = ['EX01', '15.1.2176.2', 'owa', '2021-03-05T00:00:00.000Z', 'e', 'p'];
  assert.deepEqual(await computeSeal(db, scanId), { seal: form([part('scan', [Object.values(scanRow!)]), ...empty, part('builds', [build])]), rows: 2 });
});

test('an entry without an after reads back without one; a scan record with no seal, or a seal that is not text, is unsealed', async () => {
  const { db, caseId } = await bareStore();
  await appendAudit(db, caseId, 'a', '2021-03-05T10:00:00.000Z', { entity: 'case', entityId: 'acme/ir', action: 'create' });
  assert.deepEqual(
    (await readAudit(db, caseId)).map((e) => [e.before, e.after]),
    [[undefined, undefined]],
  );
  const bare = await addScan(db, caseId, []);
  await recordScan(db, caseId, bare, undefined);
  const numbered = await addScan(db, caseId, []);
  await recordScan(db, caseId, numbered, { seal: 5 });
  assert.deepEqual(await checkAudit(db, caseId).then((c) => [c.intact, c.seals]), [true, { held: 0, unsealed: 2 }]);
});
