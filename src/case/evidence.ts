// The evidence register: each file, zip or folder with its SHA-256, who collected it and when, and
// an append-only custody log. Verification re-hashes what is on disk against the register.

import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { CollectionCheck } from '../core/types.js';
import { enumerateEvidence } from '../evidence/bundle.js';
import { checkCollectionAt } from '../evidence/collector/collection.js';
import { appendAudit } from './audit.js';
import { lockCase, resolveCase } from './case-ref.js';
import type { StoreContext } from './context.js';
import type { Row, SqlRunner } from './db/driver.js';
import { num, optStr, str } from './db/driver.js';
import { CaseError } from './errors.js';
import type { HashedEvidence, HashedFile } from './hash-evidence.js';
import { hashEvidence } from './hash-evidence.js';
import { parseInstant } from './times.js';
import type {
  AddedEvidence,
  CustodyAction,
  CustodyEvent,
  EvidenceItem,
  EvidenceVerification,
  FileChange,
  NewCustody,
  NewEvidence,
  VerifyOptions,
} from './types.js';
import { CUSTODY_ACTIONS } from './types.js';

function custodyFromRow(row: Row): CustodyEvent {
  return {
    at: str(row, 'at'),
    action: str(row, 'action') as CustodyAction,
    actor: str(row, 'actor'),
    from: optStr(row, 'from_party'),
    to: optStr(row, 'to_party'),
    outcome: optStr(row, 'outcome'),
    note: optStr(row, 'note'),
  };
}

export async function readEvidence(run: SqlRunner, caseId: number): Promise<(EvidenceItem & { id: number })[]> {
  const items = await run.all('SELECT * FROM evidence WHERE case_id = ? ORDER BY id', [caseId]);
  const events = await run.all('SELECT ce.* FROM custody_events ce JOIN evidence e ON e.id = ce.evidence_id WHERE e.case_id = ? ORDER BY ce.id', [caseId]);
  return items.map((r) => ({
    id: num(r, 'id'),
    ref: str(r, 'ref'),
    kind: str(r, 'kind') as EvidenceItem['kind'],
    location: str(r, 'location'),
    sha256: str(r, 'sha256'),
    size: num(r, 'size'),
    fileCount: num(r, 'file_count'),
    source: optStr(r, 'source'),
    collectedBy: optStr(r, 'collected_by'),
    collectedAt: optStr(r, 'collected_at'),
    note: optStr(r, 'note'),
    addedBy: str(r, 'added_by'),
    addedAt: str(r, 'added_at'),
    custody: events.filter((e) => num(e, 'evidence_id') === num(r, 'id')).map(custodyFromRow),
  }));
}

export async function listEvidence(ctx: StoreContext, ref: string): Promise<EvidenceItem[]> {
  const resolved = await resolveCase(ctx.driver, ctx, ref);
  return (await readEvidence(ctx.driver, resolved.caseId)).map(({ id: _id, ...item }) => item);
}

function optText(value: string | undefined): string | null {
  const s = value?.trim();
  return s ? s : null;
}

/** A zip or folder made by exir-collect, checked file by file against its manifest; undefined for other evidence. */
async function checkCollection(path: string, hashed: HashedEvidence): Promise<CollectionCheck | undefined> {
  let entries;
  try {
    ({ entries } = await enumerateEvidence([path]));
  } catch {
    return undefined; // not a bundle exir can list: registered by its hash alone
  }
  // A folder was just hashed file by file for the register: those hashes serve, nothing is read again.
  const byRelpath = hashed.kind === 'folder' ? new Map(hashed.files.map((f) => [f.relpath, f])) : undefined;
  return checkCollectionAt(
    entries,
    [],
    byRelpath && ((e) => (e.location.kind === 'file' ? byRelpath.get(relative(path, e.location.file).split(sep).join('/')) : undefined)),
  );
}

function collectionOutcome(c: CollectionCheck): string {
  const problems = [
    c.changed.length && `${c.changed.length} changed`,
    c.missing.length && `${c.missing.length} missing`,
    c.unlisted.length && `${c.unlisted.length} not in the manifest`,
  ]
    .filter(Boolean)
    .join(', ');
  return problems
    ? `collector manifest NOT matched: ${c.verified} of ${c.files} file(s) as hashed on ${c.server}; ${problems}`
    : `collector manifest matched: all ${c.files} file(s) as hashed on ${c.server}`;
}

function collectionNote(c: CollectionCheck): string {
  const paths = [...c.changed.map((x) => `changed ${x.path}`), ...c.missing.map((p) => `missing ${p}`), ...c.unlisted.map((p) => `added ${p}`)];
  return [
    `collected by ${c.collectedBy ?? 'unknown'} from ${c.startedAt ?? '?'} to ${c.finishedAt ?? '?'}`,
    c.build ? `ExSetup ${c.build}` : '',
    c.timeZone ? `server time zone ${c.timeZone}` : '',
    c.notCollected.length ? `${c.notCollected.length} item(s) not collected on the server` : '',
    ...paths.slice(0, 20),
    paths.length > 20 ? `… ${paths.length - 20} more` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

export async function addEvidence(ctx: StoreContext, ref: string, input: NewEvidence): Promise<AddedEvidence> {
  const collectedAt = input.collectedAt === undefined ? null : parseInstant(input.collectedAt, 'collected at');
  await resolveCase(ctx.driver, ctx, ref); // fail on a wrong name before hashing gigabytes
  // Hashing may take minutes; it happens before the transaction so no lock is held meanwhile.
  const hashed = await hashEvidence(input.path);
  const collection = await checkCollection(input.path, hashed);
  const manifestFacts = collection
    ? {
        source: input.source ?? `exir-collect on ${collection.server}`,
        collectedBy: input.collectedBy ?? collection.collectedBy,
        collectedAt: collectedAt ?? (collection.finishedAt ? parseInstant(collection.finishedAt, 'manifest finishedAt') : null),
      }
    : { source: input.source, collectedBy: input.collectedBy, collectedAt };
  return ctx.driver.transaction(async (tx) => {
    const resolved = await lockCase(tx, ctx, ref);
    const count = await tx.get('SELECT COUNT(*) AS n FROM evidence WHERE case_id = ?', [resolved.caseId]);
    const evRef = `E${(count ? num(count, 'n') : 0) + 1}`;
    const same = await tx.all('SELECT ref FROM evidence WHERE case_id = ? AND sha256 = ? ORDER BY id', [resolved.caseId, hashed.sha256]);
    const now = ctx.now();
    const row = await tx.get(
      `INSERT INTO evidence (case_id, ref, kind, location, sha256, size, file_count, source, collected_by, collected_at, note, added_by, added_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [
        resolved.caseId,
        evRef,
        hashed.kind,
        hashed.location,
        hashed.sha256,
        hashed.size,
        hashed.files.length,
        optText(manifestFacts.source),
        optText(manifestFacts.collectedBy),
        manifestFacts.collectedAt ?? null,
        optText(input.note),
        ctx.actor,
        now,
      ],
    );
    if (!row) throw new Error('evidence insert returned nothing');
    const evidenceId = num(row, 'id');
    await tx.insertIgnoring(
      'evidence_files',
      ['evidence_id', 'relpath', 'size', 'sha256'],
      hashed.files.map((f) => [evidenceId, f.relpath, f.size, f.sha256]),
    );
    await tx.run(
      'INSERT INTO custody_events (evidence_id, at, action, actor, from_party, to_party, outcome, note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [evidenceId, now, 'received', ctx.actor, optText(manifestFacts.collectedBy), ctx.actor, `sha256 ${hashed.sha256}`, optText(input.note), now],
    );
    if (collection) {
      await tx.run(
        'INSERT INTO custody_events (evidence_id, at, action, actor, from_party, to_party, outcome, note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [evidenceId, now, 'verified', ctx.actor, null, null, collectionOutcome(collection), collectionNote(collection), now],
      );
    }
    await appendAudit(tx, resolved.caseId, ctx.actor, now, {
      entity: 'evidence',
      entityId: evRef,
      action: 'add',
      after: {
        ref: evRef,
        kind: hashed.kind,
        location: hashed.location,
        sha256: hashed.sha256,
        size: hashed.size,
        files: hashed.files.length,
        source: optText(manifestFacts.source),
        collectedBy: optText(manifestFacts.collectedBy),
        collectedAt: manifestFacts.collectedAt ?? null,
        ...(collection ? { manifest: collectionOutcome(collection) } : {}),
      },
    });
    const item = (await readEvidence(tx, resolved.caseId)).find((e) => e.ref === evRef);
    if (!item) throw new Error(`evidence ${evRef} vanished`);
    const { id: _id, ...rest } = item;
    return { item: rest, skipped: [...hashed.skipped, ...hashed.unreadable], sameAs: same.map((s) => str(s, 'ref')), ...(collection ? { collection } : {}) };
  });
}

export async function recordCustody(ctx: StoreContext, ref: string, evidenceRef: string, input: NewCustody): Promise<CustodyEvent> {
  if (!(CUSTODY_ACTIONS as readonly string[]).includes(input.action)) {
    throw new CaseError(`custody action "${input.action}" is not one of: ${CUSTODY_ACTIONS.join(', ')}`);
  }
  const at = input.at === undefined ? undefined : parseInstant(input.at, 'custody time');
  return ctx.driver.transaction(async (tx) => {
    const resolved = await lockCase(tx, ctx, ref);
    const ev = await tx.get('SELECT id FROM evidence WHERE case_id = ? AND ref = ?', [resolved.caseId, evidenceRef.toUpperCase()]);
    if (!ev) throw new CaseError(`evidence ${evidenceRef} is not in case ${resolved.ref}'s register`);
    const now = ctx.now();
    const event: CustodyEvent = {
      at: at ?? now,
      action: input.action,
      actor: input.by?.trim() || ctx.actor,
      from: optText(input.from) ?? undefined,
      to: optText(input.to) ?? undefined,
      outcome: undefined,
      note: optText(input.note) ?? undefined,
    };
    await tx.run(
      'INSERT INTO custody_events (evidence_id, at, action, actor, from_party, to_party, outcome, note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [num(ev, 'id'), event.at, event.action, event.actor, event.from ?? null, event.to ?? null, null, event.note ?? null, now],
    );
    await appendAudit(tx, resolved.caseId, ctx.actor, now, { entity: 'custody', entityId: evidenceRef.toUpperCase(), action: event.action, after: event });
    return event;
  });
}

/** A register path came from our own walk; one that climbs out or is absolute was put there by someone else. */
function safeRelpath(relpath: string): boolean {
  return !isAbsolute(relpath) && !relpath.split(/[\\/]/).some((p) => p === '..' || p === '');
}

function compare(kind: EvidenceItem['kind'], expected: HashedFile[], actual: HashedEvidence): FileChange[] {
  const changes: FileChange[] = [];
  if (kind !== 'folder') {
    const want = expected[0];
    const got = actual.files[0];
    if (want && got && want.sha256 !== got.sha256) changes.push({ relpath: want.relpath, change: 'changed', expected: want.sha256, actual: got.sha256 });
    return changes;
  }
  const seen = new Map(actual.files.map((f) => [f.relpath, f]));
  const unreadable = new Set(actual.unreadable.map((u) => u.relpath));
  for (const want of expected) {
    const got = seen.get(want.relpath);
    if (!safeRelpath(want.relpath)) changes.push({ relpath: want.relpath, change: 'unreadable', expected: want.sha256 });
    else if (got === undefined) changes.push({ relpath: want.relpath, change: unreadable.has(want.relpath) ? 'unreadable' : 'missing', expected: want.sha256 });
    else if (got.sha256 !== want.sha256) changes.push({ relpath: want.relpath, change: 'changed', expected: want.sha256, actual: got.sha256 });
    seen.delete(want.relpath);
  }
  for (const extra of seen.values()) changes.push({ relpath: extra.relpath, change: 'added', actual: extra.sha256 });
  return changes;
}

async function rehash(location: string, kind: EvidenceItem['kind']): Promise<HashedEvidence | Error> {
  try {
    const hashed = await hashEvidence(location);
    if ((kind === 'folder') !== (hashed.kind === 'folder')) return new Error(`expected a ${kind === 'folder' ? 'folder' : 'file'} at ${location}`);
    return hashed;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** Re-hashes registered evidence, records a `verified` custody event for each item, and reports every change. */
export async function verifyEvidence(ctx: StoreContext, ref: string, opts: VerifyOptions = {}): Promise<EvidenceVerification[]> {
  const resolved = await resolveCase(ctx.driver, ctx, ref);
  const all = await readEvidence(ctx.driver, resolved.caseId);
  const wanted = (opts.evidence ?? []).map((e) => e.trim().toUpperCase());
  for (const w of wanted) if (!all.some((e) => e.ref === w)) throw new CaseError(`evidence ${w} is not in case ${resolved.ref}'s register`);
  const items = wanted.length === 0 ? all : all.filter((e) => wanted.includes(e.ref));
  if (opts.path !== undefined && items.length !== 1) throw new CaseError('--path checks a copy of one item: name exactly one evidence ref');

  const results: EvidenceVerification[] = [];
  for (const item of items) {
    const files = await ctx.driver.all('SELECT relpath, size, sha256 FROM evidence_files WHERE evidence_id = ? ORDER BY id', [item.id]);
    const expected = files.map((f) => ({ relpath: str(f, 'relpath'), size: num(f, 'size'), sha256: str(f, 'sha256') }));
    const location = opts.path === undefined ? item.location : resolve(opts.path);
    const actual = await rehash(location, item.kind);
    if (actual instanceof Error) {
      results.push({
        ref: item.ref,
        location,
        intact: false,
        expectedSha256: item.sha256,
        actualSha256: undefined,
        files: expected.length,
        changes: [{ relpath: '.', change: 'unreadable', expected: item.sha256, actual: actual.message }],
      });
      continue;
    }
    const changes = compare(item.kind, expected, actual);
    results.push({
      ref: item.ref,
      location,
      intact: changes.length === 0 && actual.sha256 === item.sha256,
      expectedSha256: item.sha256,
      actualSha256: actual.sha256,
      files: expected.length,
      changes,
    });
  }

  await ctx.driver.transaction(async (tx) => {
    const locked = await lockCase(tx, ctx, ref);
    const now = ctx.now();
    for (const r of results) {
      const item = items.find((i) => i.ref === r.ref);
      if (!item) continue;
      const outcome = r.intact ? `intact: sha256 ${r.expectedSha256}` : `CHANGED: ${r.changes.length} difference(s)`;
      await tx.run(
        'INSERT INTO custody_events (evidence_id, at, action, actor, from_party, to_party, outcome, note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [item.id, now, 'verified', ctx.actor, null, null, outcome, r.location === item.location ? null : `copy at ${r.location}`, now],
      );
      await appendAudit(tx, locked.caseId, ctx.actor, now, {
        entity: 'evidence',
        entityId: r.ref,
        action: 'verify',
        after: { intact: r.intact, location: r.location, actualSha256: r.actualSha256 ?? null, changes: r.changes.slice(0, 100) },
      });
    }
  });
  return results;
}
