// The one test suite both stores must pass. `store.test.ts` runs it against SQLite and PostgreSQL.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { entryHash } from '../audit.js';
import { canonicalJson } from '../canonical-json.js';
import { num, str } from '../db/driver.js';
import { SCHEMA_VERSION } from '../db/migrations.js';
import { CaseError } from '../errors.js';
import type { CaseStore } from '../store.js';
import { withStore, type Harness, type HarnessFactory } from './harness.js';
import { evidenceFile, finding, largeScan, scanResult, server } from './scan-fixtures.js';

async function newCase(store: CaseStore, ref = 'acme/proxylogon'): Promise<void> {
  await store.createCase({ ref, title: 'Exchange compromise, March 2021' });
}

async function count(h: Harness, sql: string, params: (string | number)[] = []): Promise<number> {
  const rows = await h.raw(sql, params);
  const row = rows[0];
  assert.ok(row, `no row from ${sql}`);
  return num(row, 'n');
}

/** Everything a scan can touch, to compare before and after. */
async function snapshot(store: CaseStore, h: Harness, ref: string): Promise<unknown> {
  const audit = await store.checkAudit(ref);
  return {
    scans: await count(h, 'SELECT COUNT(*) AS n FROM scans'),
    files: await count(h, 'SELECT COUNT(*) AS n FROM scanned_files'),
    findings: await count(h, 'SELECT COUNT(*) AS n FROM findings'),
    servers: await count(h, 'SELECT COUNT(*) AS n FROM scan_servers'),
    audit: audit.entries,
    head: audit.head,
  };
}

function runChild(url: string, ref: string, files: number, perFile: number): Promise<{ saw: string; signal: string | null; out: string }> {
  const child = fileURLToPath(new URL('./killed-scan-child.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, url, ref, String(files), String(perFile)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let saw = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /INSIDE (\d+\/\d+)/.exec(out);
      if (m && !saw) {
        saw = m[1] ?? '';
        proc.kill('SIGKILL');
      }
    });
    proc.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => {
      if (!saw) reject(new Error(`child was not caught inside the transaction; stdout: ${out} stderr: ${err}`));
      else resolve({ saw, signal, out });
    });
  });
}

/** What an attacker with the whole database does: recompute every hash of the chain and the head. */
async function rehash(h: Harness): Promise<void> {
  const ref = (await h.raw('SELECT f.slug, c.name, c.id FROM cases c JOIN firms f ON f.id = c.firm_id'))[0];
  assert.ok(ref);
  const caseRef = `${String(ref.slug)}/${String(ref.name)}`;
  let prev = '';
  for (const r of await h.raw('SELECT * FROM audit_log ORDER BY seq')) {
    const hash = entryHash({
      caseRef,
      seq: num(r, 'seq'),
      at: r.at instanceof Date ? r.at.toISOString() : String(r.at),
      actor: String(r.actor),
      entity: String(r.entity),
      entityId: String(r.entity_id),
      action: String(r.action),
      beforeJson: r.before_json === null ? null : str(r, 'before_json'),
      afterJson: r.after_json === null ? null : str(r, 'after_json'),
      prevHash: prev,
    });
    await h.raw('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?', [prev, hash, num(r, 'seq')]);
    prev = hash;
  }
  await h.raw('UPDATE cases SET audit_head = ? WHERE id = ?', [prev, num(ref, 'id')]);
}

export function storeSuite(label: string, factory: HarnessFactory): void {
  describe(`case store on ${label}`, () => {
    describe('migrations', () => {
      it('a new store is at the current schema version', () =>
        withStore(factory, async (store) => {
          assert.equal(await store.schemaVersion(), SCHEMA_VERSION);
          assert.ok(SCHEMA_VERSION >= 3);
        }));

      it('a store made by an older exir opens and upgrades, keeping its cases', async () => {
        const h = await factory();
        try {
          const old = await h.open({ schemaUpTo: 1 });
          assert.equal(await old.schemaVersion(), 1);
          await old.close();
          // Rows as version 1 wrote them, straight into its tables.
          await h.raw("INSERT INTO firms (slug, name, registrations, created_at) VALUES ('acme', 'Acme Trust', '[]', '2021-03-05T09:00:00.000Z')");
          await h.raw(`INSERT INTO cases (firm_id, name, title, status, created_at, created_by)
            SELECT id, 'legacy', 'Old case', 'investigating', '2021-03-05T09:00:00.000Z', 'old-exir' FROM firms WHERE slug = 'acme'`);
          const upgraded = await h.open();
          assert.equal(await upgraded.schemaVersion(), SCHEMA_VERSION);
          const c = await upgraded.getCase('acme/legacy');
          assert.equal(c.title, 'Old case');
          assert.equal(c.status, 'investigating');
          const outcome = await upgraded.recordScan('acme/legacy', scanResult([evidenceFile('a.log')], [finding('a.log', 7)]), { actor: 't', args: [] });
          assert.deepEqual(outcome.added, { evidence: 1, findings: 1 });
          assert.equal((await upgraded.checkAudit('acme/legacy')).intact, true);
        } finally {
          await h.dispose();
        }
      });

      it('a store made by a newer exir is refused, untouched, with a clear message', async () => {
        const h = await factory();
        try {
          const s = await h.open();
          await s.close();
          await h.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', '2030-01-01T00:00:00Z')");
          await assert.rejects(h.open(), (err: Error) => {
            assert.match(err.message, /schema version 99/);
            assert.match(err.message, /newer exir/);
            return true;
          });
          assert.equal(await count(h, 'SELECT COUNT(*) AS n FROM schema_migrations'), SCHEMA_VERSION + 1);
        } finally {
          await h.dispose();
        }
      });
    });

    describe('cases and the incident clocks', () => {
      it('creates a case with firm, registrations, DPO, times and servers, and reads it back', () =>
        withStore(factory, async (store) => {
          const c = await store.createCase({
            ref: 'acme/proxylogon',
            title: 'ProxyLogon',
            servers: ['EXCH01', 'exch01', 'EXCH02'],
            firm: {
              name: 'Acme Trust Company Limited',
              registrations: [
                { scheme: 'jfsc', number: 'TCB-123' },
                { scheme: 'JOIC', number: '54321' },
              ],
              dpo: 'Jane Roe <dpo@acme.je>',
            },
            occurredFrom: '2021-01-06',
            occurredTo: '2021-03-05T18:00Z',
            detectedAt: '2021-03-08T09:30:00+00:00',
            awareAt: '2021-03-09T16:00:00Z',
            awareReason: 'Personal data access confirmed by the mailbox audit',
          });
          assert.equal(c.ref, 'acme/proxylogon');
          assert.equal(c.firm.name, 'Acme Trust Company Limited');
          assert.deepEqual(c.firm.registrations, [
            { scheme: 'JFSC', number: 'TCB-123' },
            { scheme: 'JOIC', number: '54321' },
          ]);
          assert.equal(c.occurredFrom, '2021-01-06T00:00:00.000Z');
          assert.equal(c.awareAt, '2021-03-09T16:00:00.000Z');
          assert.deepEqual(c.servers, ['EXCH01', 'EXCH02']);
          assert.equal(c.status, 'triage');
          const again = await store.getCase('acme/proxylogon');
          assert.deepEqual(again, c);
        }));

      it('refuses aware before detected, a gap without a reason, and a time without a zone', () =>
        withStore(factory, async (store) => {
          await newCase(store);
          await assert.rejects(
            store.updateCase('acme/proxylogon', { detectedAt: '2021-03-08T09:00Z', awareAt: '2021-03-07T09:00Z', awareReason: 'x' }),
            /earlier than detected/,
          );
          await assert.rejects(store.updateCase('acme/proxylogon', { detectedAt: '2021-03-08T09:00Z', awareAt: '2021-03-09T09:00Z' }), /reason/);
          await assert.rejects(store.updateCase('acme/proxylogon', { detectedAt: '2021-03-08 09:00' }), /zone/);
          const unchanged = await store.getCase('acme/proxylogon');
          assert.equal(unchanged.detectedAt, undefined);
          const ok = await store.updateCase('acme/proxylogon', { detectedAt: '2021-03-08T09:00Z', awareAt: '2021-03-08T09:00Z', status: 'investigating' });
          assert.equal(ok.awareAt, ok.detectedAt);
          assert.equal(ok.status, 'investigating');
          await assert.rejects(store.updateCase('acme/proxylogon', { status: 'fixed' as never }), /not one of/);
          await assert.rejects(store.createCase({ ref: 'acme/proxylogon', title: 'again' }), /already exists/);
        }));
    });

    describe('tenants', () => {
      it("keeps each firm's cases apart; nothing crosses firms unless asked", () =>
        withStore(factory, async (store, h) => {
          await newCase(store, 'acme/proxylogon');
          await newCase(store, 'beta/proxylogon');
          const dir = mkdtempSync(join(tmpdir(), 'exir-ev-'));
          try {
            writeFileSync(join(dir, 'acme.log'), 'acme only');
            await store.addEvidence('acme/proxylogon', { path: join(dir, 'acme.log') });
            await store.recordScan('acme/proxylogon', scanResult([evidenceFile('a.log')], [finding('a.log', 1)]), { actor: 't', args: [] });
            assert.equal((await store.listEvidence('acme/proxylogon')).length, 1);
            assert.equal((await store.listEvidence('beta/proxylogon')).length, 0);
            assert.equal((await store.story('beta/proxylogon')).findings.total, 0);

            await assert.rejects(store.getCase('proxylogon'), /several firms/);
            await assert.rejects(store.listCases(), /several firms/);
            assert.deepEqual(
              (await store.listCases({ firm: 'acme' })).map((c) => c.ref),
              ['acme/proxylogon'],
            );
            assert.deepEqual(
              (await store.listCases({ allFirms: true })).map((c) => c.ref),
              ['acme/proxylogon', 'beta/proxylogon'],
            );

            const betaOnly = await h.open({ firm: 'beta' });
            assert.equal((await betaOnly.getCase('proxylogon')).firm.slug, 'beta');
            await assert.rejects(betaOnly.getCase('acme/proxylogon'), (err: Error) => err instanceof CaseError && /limited to firm "beta"/.test(err.message));
            await assert.rejects(betaOnly.listEvidence('acme/proxylogon'), /limited to firm/);
            await assert.rejects(betaOnly.recordScan('acme/proxylogon', scanResult([], []), { actor: 't', args: [] }), /limited to firm/);
            await assert.rejects(betaOnly.listCases({ allFirms: true }), /limited to firm/);
            assert.deepEqual(
              (await betaOnly.listCases()).map((c) => c.ref),
              ['beta/proxylogon'],
            );
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }));
    });

    describe('scans', () => {
      it('rescanning the same evidence adds nothing twice; a new bundle adds only what is new', () =>
        withStore(factory, async (store, h) => {
          await newCase(store);
          const a = evidenceFile('bundle1/a.log');
          const b = evidenceFile('bundle1/b.log');
          const first = scanResult(
            [a, b],
            [finding(a.path, 10), finding(a.path, 11), finding(b.path, 3), finding(b.path, 3)],
            [server('EXCH01', 'exploit-attempted')],
          );
          const r1 = await store.recordScan('acme/proxylogon', first, { actor: 'analyst', args: ['scan', 'bundle1'] });
          assert.deepEqual(r1.added, { evidence: 2, findings: 3 });
          assert.deepEqual(r1.unchanged, { evidence: 0, findings: 0 });

          const r2 = await store.recordScan('acme/proxylogon', first, { actor: 'analyst', args: ['scan', 'bundle1'] });
          assert.deepEqual(r2.added, { evidence: 0, findings: 0 });
          assert.deepEqual(r2.unchanged, { evidence: 2, findings: 3 });

          // The second bundle holds b again (same bytes, another path), and a new file c.
          const b2 = { ...evidenceFile('bundle2/b-copy.log', 'bundle1/b.log') };
          const c = evidenceFile('bundle2/c.log', 'c', 'EXCH02');
          const second = scanResult(
            [b2, c],
            [finding(b2.path, 3), finding(c.path, 1, 'proxyshell-autodiscover', 'EXCH02'), finding(c.path, 2, 'webshell-post', 'EXCH02')],
            [server('EXCH01', 'clean'), server('EXCH02', 'exploited')],
          );
          const r3 = await store.recordScan('acme/proxylogon', second, { actor: 'analyst', args: ['scan', 'bundle2'] });
          assert.deepEqual(r3.added, { evidence: 1, findings: 2 });
          assert.deepEqual(r3.unchanged, { evidence: 1, findings: 1 });

          assert.equal(await count(h, 'SELECT COUNT(*) AS n FROM findings'), 5);
          assert.equal(await count(h, 'SELECT COUNT(*) AS n FROM scanned_files'), 3);
          assert.equal(await count(h, 'SELECT COUNT(*) AS n FROM scans'), 3);
          const story = await store.story('acme/proxylogon');
          assert.equal(story.findings.total, 5);
          // A later "clean" does not undo an earlier scan's worse verdict.
          assert.deepEqual(
            story.servers.map((s) => [s.name, s.verdict]),
            [
              ['EXCH01', 'exploit-attempted'],
              ['EXCH02', 'exploited'],
            ],
          );
          assert.equal((await store.checkAudit('acme/proxylogon')).intact, true);
        }));

      it("keeps each scan's sessions, mailboxes and coverage; the story shows the highest level each mailbox reached", () =>
        withStore(factory, async (store) => {
          await newCase(store);
          const a = evidenceFile('bundle1/a.log');
          const alice = {
            mailbox: 'alice@corp.je',
            server: 'EXCH01',
            level: 'read' as const,
            firstTime: '2021-03-03T02:01:00.000Z',
            lastTime: '2021-03-03T02:01:00.000Z',
            how: ['items read through EWS GetItem'],
            evidence: [{ path: a.path, line: 4, offset: 400 }],
          };
          const gap = {
            server: 'EXCH01',
            source: 'httpproxy' as const,
            files: 1,
            records: 10,
            firstTime: '2021-03-05T00:00:00.000Z',
            lastTime: '2021-03-06T00:00:00.000Z',
            gaps: [{ wave: 'proxylogon', from: '2021-01-06', to: '2021-03-05', statement: 'HttpProxy logs on EXCH01 start on 2021-03-05.' }],
          };
          const first = { ...scanResult([a], [finding(a.path, 10)], [server('EXCH01', 'exploited')]), mailboxes: [alice], coverage: [gap] };
          await store.recordScan('acme/proxylogon', first, { actor: 'analyst', args: [] });
          const second = {
            ...scanResult([a], [finding(a.path, 10)], [server('EXCH01', 'exploited')]),
            mailboxes: [
              { ...alice, level: 'exported' as const, how: ['exported by New-MailboxExportRequest'] },
              { ...alice, mailbox: 'bob@corp.je', level: 'reachable' as const },
            ],
          };
          await store.recordScan('acme/proxylogon', second, { actor: 'analyst', args: [] });
          const story = await store.story('acme/proxylogon');
          assert.deepEqual(
            story.reach.mailboxes.map((m) => [m.mailbox, m.level]),
            [
              ['alice@corp.je', 'exported'],
              ['bob@corp.je', 'reachable'],
            ],
          );
          // Gaps are as the newest scan saw them: the second scan's evidence had none listed.
          assert.deepEqual(story.reach.gaps, []);
          assert.equal((await store.checkAudit('acme/proxylogon')).intact, true);
        }));

      it('says when a finding names a file the scan did not list, and still keeps it once', () =>
        withStore(factory, async (store) => {
          await newCase(store);
          const orphan = scanResult([], [finding('nowhere.log', 4)]);
          const r1 = await store.recordScan('acme/proxylogon', orphan, { actor: 't', args: [] });
          assert.equal(r1.added.findings, 1);
          assert.equal(r1.warnings.length, 1);
          assert.match(r1.warnings[0]?.message ?? '', /not in the scan's evidence list/);
          const r2 = await store.recordScan('acme/proxylogon', orphan, { actor: 't', args: [] });
          assert.equal(r2.added.findings, 0);
        }));

      it('refuses a scan for a case that does not exist', () =>
        withStore(factory, async (store) => {
          await newCase(store);
          await assert.rejects(store.recordScan('acme/nope', scanResult([], []), { actor: 't', args: [] }), /no case "acme\/nope"/);
        }));

      it('a scan killed mid-way leaves the case as it was, and a rerun completes it', async () => {
        const h = await factory();
        try {
          const store = await h.open();
          await newCase(store);
          await store.recordScan('acme/proxylogon', scanResult([evidenceFile('earlier.log')], [finding('earlier.log', 1)]), { actor: 't', args: [] });
          const before = await snapshot(store, h, 'acme/proxylogon');
          await store.close();

          const killed = await runChild(h.url, 'acme/proxylogon', 40, 50);
          assert.equal(killed.signal, 'SIGKILL');
          assert.doesNotMatch(killed.out, /COMPLETED/);
          assert.match(killed.saw, /^\d+\/2040$/);
          assert.ok(Number(killed.saw.split('/')[0]) > 0, 'the child had written rows before it was killed');

          const reopened = await h.open();
          assert.deepEqual(await snapshot(reopened, h, 'acme/proxylogon'), before);
          assert.equal((await reopened.checkAudit('acme/proxylogon')).intact, true);

          const rerun = await reopened.recordScan('acme/proxylogon', largeScan(40, 50), { actor: 't', args: ['rerun'] });
          assert.deepEqual(rerun.added, { evidence: 40, findings: 2000 });
          assert.equal(await count(h, 'SELECT COUNT(*) AS n FROM findings'), 2001);
          assert.equal((await reopened.checkAudit('acme/proxylogon')).intact, true);
        } finally {
          await h.dispose();
        }
      });
    });

    describe('evidence custody and verification', () => {
      it('registers a folder and a zip with their hashes, logs custody, and catches a changed byte', () =>
        withStore(factory, async (store, h) => {
          await newCase(store);
          const dir = mkdtempSync(join(tmpdir(), 'exir-ev-'));
          try {
            const folder = join(dir, 'triage');
            const nested = join(folder, 'W3SVC1');
            const { mkdirSync } = await import('node:fs');
            mkdirSync(nested, { recursive: true });
            writeFileSync(join(nested, 'u_ex210302.log'), '#Software: Microsoft Internet Information Services 10.0\nline\n');
            writeFileSync(join(folder, 'notes.txt'), 'collected by KAPE\n');
            const zip = join(dir, 'bundle.zip');
            writeFileSync(zip, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64, 1)]));

            const e1 = await store.addEvidence('acme/proxylogon', {
              path: folder,
              source: 'EXCH01 triage',
              collectedBy: 'IT provider',
              collectedAt: '2021-03-08T10:00Z',
            });
            assert.equal(e1.item.ref, 'E1');
            assert.equal(e1.item.kind, 'folder');
            assert.equal(e1.item.fileCount, 2);
            assert.match(e1.item.sha256, /^[0-9a-f]{64}$/);
            assert.deepEqual(
              e1.item.custody.map((c) => c.action),
              ['received'],
            );
            const e2 = await store.addEvidence('acme/proxylogon', { path: zip });
            assert.equal(e2.item.kind, 'zip');
            assert.equal(e2.item.ref, 'E2');
            assert.equal(e2.item.sha256, (await import('../hash-evidence.js').then((m) => m.hashFile(zip))).sha256);

            await store.recordCustody('acme/proxylogon', 'E2', { action: 'handed-over', to: 'Forensic lab', note: 'sealed bag 17' });
            const ok = await store.verifyEvidence('acme/proxylogon');
            assert.deepEqual(
              ok.map((r) => [r.ref, r.intact]),
              [
                ['E1', true],
                ['E2', true],
              ],
            );

            // One byte of one log changes; a file appears; the zip loses a byte.
            writeFileSync(join(nested, 'u_ex210302.log'), '#Software: Microsoft Internet Information Services 10.0\nlinf\n');
            writeFileSync(join(folder, 'planted.aspx'), '<%@ Page %>');
            writeFileSync(zip, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(63, 1)]));
            const bad = await store.verifyEvidence('acme/proxylogon');
            const f = bad.find((r) => r.ref === 'E1');
            assert.equal(f?.intact, false);
            assert.deepEqual(
              f?.changes.map((c) => [c.relpath, c.change]),
              [
                ['W3SVC1/u_ex210302.log', 'changed'],
                ['planted.aspx', 'added'],
              ],
            );
            assert.equal(bad.find((r) => r.ref === 'E2')?.intact, false);

            unlinkSync(join(folder, 'notes.txt'));
            const gone = await store.verifyEvidence('acme/proxylogon', { evidence: ['e1'] });
            assert.ok(gone[0]?.changes.some((c) => c.relpath === 'notes.txt' && c.change === 'missing'));

            const items = await store.listEvidence('acme/proxylogon');
            assert.deepEqual(
              items.find((i) => i.ref === 'E2')?.custody.map((c) => c.action),
              ['received', 'handed-over', 'verified', 'verified'],
            );
            const story = await store.story('acme/proxylogon');
            assert.deepEqual(story.evidence.changedAtLastCheck, ['E1', 'E2']);

            // The custody log and the register refuse edits.
            await assert.rejects(h.raw("UPDATE custody_events SET actor = 'someone else'"), /append-only/);
            await assert.rejects(h.raw('DELETE FROM evidence_files'), /append-only/);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }));

      it('a bundle made by exir-collect is checked against its manifest, and the check is in the custody log', () =>
        withStore(factory, async (store) => {
          await newCase(store);
          const dir = mkdtempSync(join(tmpdir(), 'exir-ev-'));
          try {
            const { makeCollection } = await import('../../evidence/collector/test-helpers/make-collection.js');
            const files = [
              { path: 'exchange/HttpProxy/Owa/a.LOG', data: Buffer.from('one\n') },
              { path: 'iis/W3SVC1/u_ex210303.log', data: Buffer.from('two\n') },
            ];
            writeFileSync(join(dir, 'good.zip'), makeCollection(files));
            writeFileSync(join(dir, 'bad.zip'), makeCollection(files, { replace: { 'iis/W3SVC1/u_ex210303.log': Buffer.from('tw0\n') } }));
            const good = await store.addEvidence('acme/proxylogon', { path: join(dir, 'good.zip') });
            assert.equal(good.collection?.verified, 2);
            assert.equal(good.item.source, 'exir-collect on EX01');
            assert.equal(good.item.collectedBy, 'CORP\\admin');
            assert.equal(good.item.collectedAt, '2021-03-12T10:00:00.000Z');
            assert.deepEqual(
              good.item.custody.map((c) => c.action),
              ['received', 'verified'],
            );
            assert.match(good.item.custody[1]?.outcome ?? '', /collector manifest matched: all 2 file\(s\) as hashed on EX01/);
            const bad = await store.addEvidence('acme/proxylogon', { path: join(dir, 'bad.zip'), collectedBy: 'IT provider' });
            assert.equal(bad.item.collectedBy, 'IT provider', 'what the analyst says wins over the manifest');
            assert.deepEqual(
              bad.collection?.changed.map((c) => c.path),
              ['iis/W3SVC1/u_ex210303.log'],
            );
            assert.match(bad.item.custody[1]?.outcome ?? '', /NOT matched: 1 of 2 .*1 changed/);
            assert.match(bad.item.custody[1]?.note ?? '', /changed iis\/W3SVC1\/u_ex210303.log/);
            // The same bundle unpacked to a folder: the register's own per-file hashes are what is checked.
            const { collectionManifest } = await import('../../evidence/collector/test-helpers/make-collection.js');
            const { mkdirSync } = await import('node:fs');
            const folder = join(dir, 'unpacked');
            for (const f of files) {
              mkdirSync(join(folder, f.path, '..'), { recursive: true });
              writeFileSync(join(folder, f.path), f.path.startsWith('iis/') ? Buffer.from('tw0\n') : f.data);
            }
            writeFileSync(join(folder, 'manifest.json'), JSON.stringify(collectionManifest(files)));
            const unpacked = await store.addEvidence('acme/proxylogon', { path: folder });
            assert.equal(unpacked.item.kind, 'folder');
            assert.equal(unpacked.collection?.verified, 1);
            assert.deepEqual(
              unpacked.collection?.changed.map((c) => c.path),
              ['iis/W3SVC1/u_ex210303.log'],
            );
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }));
    });

    describe('response actions and decisions', () => {
      it('starts from the playbook; each tick records who, when and a note', () =>
        withStore(factory, async (store) => {
          await newCase(store);
          const actions = await store.listActions('acme/proxylogon');
          const keys = actions.map((a) => a.key);
          for (const k of [
            'isolate',
            'preserve-memory',
            'preserve-logs',
            'run-scans',
            'reset-credentials',
            'reset-krbtgt-first',
            'reset-krbtgt-second',
            'remove-web-shells',
            'rebuild-or-restore',
            'patch',
            'verify',
            'monitor',
          ]) {
            assert.ok(keys.includes(k), `playbook step ${k}`);
          }
          assert.ok(actions.every((a) => a.status === 'open'));
          const done = await store.updateAction('acme/proxylogon', 'isolate', {
            status: 'done',
            by: 'IT lead',
            at: '2021-03-08T11:00Z',
            note: 'firewall rule 42',
          });
          assert.equal(done.status, 'done');
          assert.equal(done.last?.by, 'IT lead');
          assert.equal(done.last?.at, '2021-03-08T11:00:00.000Z');
          assert.equal(done.last?.recordedBy, 'tester');
          await assert.rejects(store.updateAction('acme/proxylogon', 'reset-krbtgt-first', { status: 'not-applicable' }), /why/);
          const na = await store.updateAction('acme/proxylogon', 'reset-krbtgt-first', { status: 'not-applicable', note: 'no domain admin use seen' });
          assert.equal(na.status, 'not-applicable');
          await assert.rejects(store.updateAction('acme/proxylogon', 'nope', { status: 'done' }), /no action "nope"/);
          const custom = await store.addAction('acme/proxylogon', { title: 'Tell the insurer', phase: 'recover' });
          assert.equal(custom.key, 'A1');
          const story = await store.story('acme/proxylogon');
          assert.deepEqual(
            story.actions.done.map((a) => a.key),
            ['isolate'],
          );
          assert.ok(story.actions.open.some((a) => a.key === 'A1'));
          assert.ok(story.open.some((s) => /notify/.test(s)));
        }));

      it('keeps decisions unedited; a new one supersedes', () =>
        withStore(factory, async (store, h) => {
          await newCase(store);
          const dir = mkdtempSync(join(tmpdir(), 'exir-ev-'));
          try {
            writeFileSync(join(dir, 'mailbox-audit.csv'), 'x');
            await store.addEvidence('acme/proxylogon', { path: join(dir, 'mailbox-audit.csv') });
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
          await assert.rejects(
            store.decide('acme/proxylogon', { kind: 'notify', decision: 'Notify the JOIC', rationale: 'r', evidence: ['E9'] }),
            /E9 is not in/,
          );
          await assert.rejects(store.decide('acme/proxylogon', { kind: 'notify', decision: 'Notify the JOIC', rationale: ' ' }), /rationale/);
          const d1 = await store.decide('acme/proxylogon', {
            kind: 'notify',
            decision: 'Do not notify: no personal data reached',
            rationale: 'No mailbox access seen',
            evidence: ['e1'],
            decidedBy: 'DPO',
            approvedBy: 'Board',
          });
          assert.equal(d1.ref, 'D1');
          assert.deepEqual(d1.evidence, ['E1']);
          const d2 = await store.decide('acme/proxylogon', {
            kind: 'notify',
            decision: 'Notify the JOIC',
            rationale: 'Mailbox export found',
            supersedes: 'D1',
            decidedBy: 'DPO',
          });
          assert.equal(d2.supersedes, 'D1');
          const all = await store.listDecisions('acme/proxylogon');
          assert.equal(all.find((d) => d.ref === 'D1')?.supersededBy, 'D2');
          await assert.rejects(
            store.decide('acme/proxylogon', { kind: 'notify', decision: 'x', rationale: 'y', supersedes: 'D1' }),
            /already superseded by D2/,
          );
          assert.deepEqual(
            (await store.story('acme/proxylogon')).decisions.map((d) => d.ref),
            ['D2'],
          );
          await assert.rejects(h.raw("UPDATE decisions SET rationale = 'rewritten'"), /append-only/);
        }));
    });

    describe('audit chain', () => {
      it('logs every change with before and after, and an edited or removed row is caught', () =>
        withStore(factory, async (store, h) => {
          await newCase(store);
          await store.updateCase('acme/proxylogon', { status: 'investigating' });
          await store.updateAction('acme/proxylogon', 'isolate', { status: 'done' });
          await store.decide('acme/proxylogon', { kind: 'rebuild', decision: 'Rebuild EXCH01', rationale: 'start of compromise unknown' });
          const log = await store.auditLog('acme/proxylogon');
          const update = log.find((e) => e.entity === 'case' && e.action === 'update');
          assert.deepEqual(update?.before, { status: 'triage' });
          assert.deepEqual(update?.after, { status: 'investigating' });
          assert.ok(log.every((e) => e.actor === 'tester'));
          assert.deepEqual(
            log.map((e) => e.seq),
            log.map((_e, i) => i + 1),
          );
          const good = await store.checkAudit('acme/proxylogon');
          assert.equal(good.intact, true);
          assert.equal(good.entries, log.length);

          await assert.rejects(h.raw("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"), /append-only/);
          // Someone with the database in hand gets round the trigger; the chain still shows it.
          if (h.engine === 'sqlite') await h.raw('DROP TRIGGER audit_log_no_update');
          else await h.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
          await h.raw('UPDATE audit_log SET after_json = \'{"status":"closed"}\' WHERE seq = 2');
          const edited = await store.checkAudit('acme/proxylogon');
          assert.equal(edited.intact, false);
          assert.deepEqual(
            edited.problems.map((p) => p.seq),
            [2],
          );
          assert.match(edited.problems[0]?.reason ?? '', /edited/);

          if (h.engine === 'sqlite') await h.raw('DROP TRIGGER audit_log_no_delete');
          await h.raw('DELETE FROM audit_log WHERE seq = 3');
          const removed = await store.checkAudit('acme/proxylogon');
          assert.ok(removed.problems.some((p) => p.seq === 4 && /missing/.test(p.reason)));
          assert.match((await store.story('acme/proxylogon')).open[0] ?? '', /AUDIT LOG IS BROKEN/);
        }));

      it('seals each scan: an edited verdict, a removed finding or a scan row slipped in is caught by the check', () =>
        withStore(factory, async (store, h) => {
          await newCase(store);
          const a = evidenceFile('bundle1/a.log');
          const gap = {
            server: 'EXCH01',
            source: 'httpproxy' as const,
            files: 1,
            records: 10,
            firstTime: '2021-03-05T00:00:00.000Z',
            lastTime: '2021-03-06T00:00:00.000Z',
            gaps: [],
          };
          await store.recordScan(
            'acme/proxylogon',
            { ...scanResult([a], [finding(a.path, 10), finding(a.path, 11)], [server('EXCH01', 'exploited')]), coverage: [gap] },
            { actor: 'analyst', args: [] },
          );
          const good = await store.checkAudit('acme/proxylogon');
          assert.equal(good.intact, true);
          assert.deepEqual(good.seals, { held: 1, unsealed: 0 });
          const scanSeq = (await store.auditLog('acme/proxylogon')).find((e) => e.entity === 'scan')?.seq;

          // The guard: what a scan wrote can be added to, never changed or removed.
          await assert.rejects(h.raw("UPDATE scan_servers SET verdict = 'clean'"), /append-only/);
          await assert.rejects(h.raw('DELETE FROM findings'), /append-only/);
          await assert.rejects(h.raw('UPDATE scans SET findings_added = 0'), /append-only/);
          await assert.rejects(h.raw("UPDATE scanned_files SET path = 'elsewhere'"), /append-only/);

          // Someone with the database in hand gets round the guard; the seal still shows it.
          if (h.engine === 'sqlite') await h.raw('DROP TRIGGER scan_servers_no_update');
          else await h.raw('ALTER TABLE scan_servers DISABLE TRIGGER scan_servers_append_only');
          await h.raw("UPDATE scan_servers SET verdict = 'clean'");
          const edited = await store.checkAudit('acme/proxylogon');
          assert.equal(edited.intact, false);
          assert.deepEqual(
            edited.problems.map((p) => p.seq),
            [scanSeq],
          );
          assert.match(edited.problems[0]?.reason ?? '', /do not match its seal/);
          assert.match((await store.story('acme/proxylogon')).open[0] ?? '', /AUDIT LOG IS BROKEN/);
          await h.raw("UPDATE scan_servers SET verdict = 'exploited'");
          assert.equal((await store.checkAudit('acme/proxylogon')).intact, true);

          if (h.engine === 'sqlite') await h.raw('DROP TRIGGER findings_no_delete');
          else await h.raw('ALTER TABLE findings DISABLE TRIGGER findings_append_only');
          await h.raw('DELETE FROM findings WHERE line = 11');
          assert.match((await store.checkAudit('acme/proxylogon')).problems[0]?.reason ?? '', /do not match its seal/);

          const caseId = num((await h.raw('SELECT id FROM cases'))[0] ?? {}, 'id');
          await h.raw(
            "INSERT INTO scans (case_id, recorded_at, actor, args, tool_version, rules_loaded, rules_failed) VALUES (?, '2021-03-07T00:00:00.000Z', 'mallory', '[]', '0', 0, 0)",
            [caseId],
          );
          assert.ok((await store.checkAudit('acme/proxylogon')).problems.some((p) => /not in the audit log/.test(p.reason)));
        }));

      it("a scan's entry counts the rows its seal covers; a build row added, scans slipped in and a scan row removed are each caught", () =>
        withStore(factory, async (store, h) => {
          await newCase(store);
          const a = evidenceFile('bundle1/a.log');
          await store.recordScan('acme/proxylogon', scanResult([a], [finding(a.path, 10), finding(a.path, 11)], [server('EXCH01', 'exploited')]), {
            actor: 'analyst',
            args: [],
          });
          const entry = (await store.auditLog('acme/proxylogon')).find((e) => e.entity === 'scan');
          assert.ok(entry);
          const scanId = Number(entry.entityId);
          let written = 1;
          for (const [table, column] of [
            ['scanned_files', 'first_scan_id'],
            ['findings', 'first_scan_id'],
            ['scan_servers', 'scan_id'],
            ['scan_details', 'scan_id'],
            ['scan_context', 'scan_id'],
            ['scan_builds', 'scan_id'],
          ] as const) {
            written += await count(h, `SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`, [scanId]);
          }
          assert.ok(written >= 5, `the scan wrote its own row, a file, two findings and a verdict (${written})`);
          assert.equal((entry.after as { sealedRows?: unknown }).sealedRows, written);

          // A row added to a part the scan left empty (its builds) is a change to what it wrote.
          const caseId = num((await h.raw('SELECT id FROM cases'))[0] ?? {}, 'id');
          await h.raw(
            "INSERT INTO scan_builds (scan_id, case_id, server, build, source, seen_at, evidence_sha256, path) VALUES (?, ?, 'EXCH01', '15.1.2176.2', 'x', '2021-03-05T00:00:00.000Z', ?, 'x')",
            [scanId, caseId, 'f'.repeat(64)],
          );
          assert.deepEqual((await store.checkAudit('acme/proxylogon')).problems, [
            { seq: entry.seq, reason: `scan ${scanId}'s findings, verdicts or details do not match its seal (rows were edited, added or removed)` },
          ]);

          const slip =
            "INSERT INTO scans (case_id, recorded_at, actor, args, tool_version, rules_loaded, rules_failed) VALUES (?, '2021-03-07T00:00:00.000Z', 'mallory', '[]', '0', 0, 0)";
          await h.raw(slip, [caseId]);
          await h.raw(slip, [caseId]);
          const slipped = (await h.raw('SELECT id FROM scans WHERE id <> ? ORDER BY id', [scanId])).map((r) => num(r, 'id'));
          if (h.engine === 'sqlite') {
            await h.raw('PRAGMA foreign_keys = OFF');
            await h.raw('DROP TRIGGER scans_no_delete');
          } else await h.raw('ALTER TABLE scans DISABLE TRIGGER ALL');
          await h.raw('DELETE FROM scans WHERE id = ?', [scanId]);
          const check = await store.checkAudit('acme/proxylogon');
          assert.deepEqual(check.problems, [
            { seq: entry.seq, reason: `scan ${scanId} is in the audit log but its row is gone (removed behind the store's back)` },
            ...slipped.map((id) => ({ seq: undefined, reason: `scan ${id} is not in the audit log (added behind the store's back)` })),
          ]);
          assert.deepEqual(check.seals, { held: 0, unsealed: 0 });
        }));

      it('a scan recorded before seals is counted as unsealed, not as broken', () =>
        withStore(factory, async (store, h) => {
          await newCase(store);
          const a = evidenceFile('bundle1/a.log');
          await store.recordScan('acme/proxylogon', scanResult([a], [finding(a.path, 10)], [server('EXCH01', 'exploited')]), { actor: 'analyst', args: [] });
          // Rewrite the entry as an older exir wrote it (no seal), re-hashing the chain from there.
          if (h.engine === 'sqlite') await h.raw('DROP TRIGGER audit_log_no_update');
          else await h.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
          const log = await store.auditLog('acme/proxylogon');
          const entry = log.find((e) => e.entity === 'scan');
          assert.ok(entry);
          const { seal: _seal, sealedRows: _rows, ...older } = entry.after as Record<string, unknown>;
          await h.raw('UPDATE audit_log SET after_json = ? WHERE seq = ?', [canonicalJson(older), entry.seq]);
          await rehash(h);
          const check = await store.checkAudit('acme/proxylogon');
          assert.equal(check.intact, true, JSON.stringify(check.problems));
          assert.deepEqual(check.seals, { held: 0, unsealed: 1 });
        }));

      it('with the triggers dropped, an edited actor and two rows swapped (hashes recomputed) both break the chain', () =>
        withStore(factory, async (store, h) => {
          await newCase(store);
          for (const status of ['investigating', 'contained', 'eradicated'] as const) await store.updateCase('acme/proxylogon', { status });
          if (h.engine === 'sqlite') await h.raw('DROP TRIGGER audit_log_no_update');
          else await h.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
          assert.ok((await store.auditLog('acme/proxylogon')).length >= 4);

          await h.raw("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2");
          const actor = await store.checkAudit('acme/proxylogon');
          assert.deepEqual(
            actor.problems.map((p) => [p.seq, /does not match its hash/.test(p.reason)]),
            [[2, true]],
          );
          await h.raw("UPDATE audit_log SET actor = 'tester' WHERE seq = 2");
          assert.equal((await store.checkAudit('acme/proxylogon')).intact, true);

          // Rows 2 and 3 trade places, each rehashed so its own hash holds: only the link to the row before shows it.
          const [second, third] = (await store.auditLog('acme/proxylogon'))
            .filter((e) => e.seq === 2 || e.seq === 3)
            .map((e) => ({
              caseRef: 'acme/proxylogon',
              seq: e.seq,
              at: e.at,
              actor: e.actor,
              entity: e.entity,
              entityId: e.entityId,
              action: e.action,
              beforeJson: e.before === undefined ? null : canonicalJson(e.before),
              afterJson: e.after === undefined ? null : canonicalJson(e.after),
              prevHash: e.prevHash,
            }));
          for (const [into, from] of [
            [second!, third!],
            [third!, second!],
          ] as const) {
            const moved = { ...from, seq: into.seq, at: into.at };
            await h.raw('UPDATE audit_log SET entity = ?, entity_id = ?, action = ?, before_json = ?, after_json = ?, prev_hash = ?, hash = ? WHERE seq = ?', [
              moved.entity,
              moved.entityId,
              moved.action,
              moved.beforeJson,
              moved.afterJson,
              moved.prevHash,
              entryHash(moved),
              into.seq,
            ]);
          }
          const swapped = await store.checkAudit('acme/proxylogon');
          assert.equal(swapped.intact, false);
          assert.ok(
            swapped.problems.every((p) => !/does not match its hash/.test(p.reason)),
            'every row matches its own hash',
          );
          assert.deepEqual(
            swapped.problems.filter((p) => /does not follow/.test(p.reason)).map((p) => p.seq),
            [2, 3, 4],
          );
        }));

      it('the newest entries cut off the end of the log are caught: every row left still links, but the case row holds the count and the head', () =>
        withStore(factory, async (store, h) => {
          await newCase(store);
          for (const status of ['investigating', 'contained'] as const) await store.updateCase('acme/proxylogon', { status });
          const log = await store.auditLog('acme/proxylogon');
          if (h.engine === 'sqlite') await h.raw('DROP TRIGGER audit_log_no_delete');
          else await h.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
          await h.raw('DELETE FROM audit_log WHERE seq = ?', [log.length]);
          const cut = await store.checkAudit('acme/proxylogon');
          assert.equal(cut.intact, false);
          assert.equal(cut.entries, log.length - 1);
          assert.equal(cut.head, log[log.length - 2]?.hash, 'the head reported is the last entry present');
          assert.deepEqual(
            cut.problems.map((p) => [p.seq, p.reason]),
            [
              [undefined, `the case records ${log.length} entries but ${log.length - 1} are present`],
              [undefined, 'the last entry is not the head the case records'],
            ],
          );
        }));

      it('keeps one chain when several writers change a case at once', () =>
        withStore(factory, async (store, h) => {
          await newCase(store);
          const other = await h.open();
          await Promise.all([
            ...[1, 2, 3].map((i) => store.addAction('acme/proxylogon', { title: `task ${i}` })),
            ...[4, 5, 6].map((i) => other.addAction('acme/proxylogon', { title: `task ${i}` })),
          ]);
          const keys = (await store.listActions('acme/proxylogon'))
            .filter((a) => a.source === 'custom')
            .map((a) => a.key)
            .sort();
          assert.deepEqual(keys, ['A1', 'A2', 'A3', 'A4', 'A5', 'A6']);
          assert.equal((await store.checkAudit('acme/proxylogon')).intact, true);
        }));
    });
  });
}
