// The context a scan keeps, as the case reads it back, on both stores.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContextRecord, Finding, ScanResult } from '../core/types.js';
import { onBothStores, type HarnessFactory } from './test-support/harness.js';

const logon: ContextRecord = {
  kind: 'logon',
  time: '2021-03-01T06:02:11.000Z',
  server: 'EX01',
  origin: { path: 'EX01/Security.jsonl', line: 1, offset: 0 },
  fields: { EventID: '4624', TargetUserName: 'svc-backup', LogonType: '5' },
};
const mail: ContextRecord = {
  kind: 'mail',
  time: '2021-03-09T08:47:00.000Z',
  server: 'EX01',
  origin: { path: 'EX01/MSGTRK.LOG', line: 10, offset: 900 },
  fields: { 'event-id': 'RECEIVE', 'sender-address': 'a@xn--exmple-4nf.com' },
};
const changed: Finding = {
  ruleId: 'exir-file-baseline-modified',
  title: 'changed',
  cves: [],
  stage: 'exploited',
  severity: 'high',
  time: '2021-03-04T01:00:00.000Z',
  server: 'EX01',
  clientIp: undefined,
  user: undefined,
  origin: { path: 'EX01/listing.csv', line: 12, offset: 400 },
  fields: { path: 'C:\\Exchange\\FrontEnd\\HttpProxy\\owa\\auth\\logon.aspx' },
};

function result(over: Partial<ScanResult>): ScanResult {
  return {
    tool: { name: 'exir', version: 'test' },
    scannedAt: '2021-03-10T00:00:00.000Z',
    evidence: [],
    servers: [],
    findings: [],
    sessions: [],
    mailboxes: [],
    mail: [],
    coverage: [],
    warnings: [],
    rules: { loaded: 0, failed: 0, unreachable: 0 },
    ...over,
  };
}

function suite(name: string, factory: HarnessFactory): void {
  describe(`scan context on ${name}`, () => {
    it('reads back each record once across scans, the changed files with their own path, and counts the scans that kept none', async () => {
      const h = await factory();
      try {
        const store = await h.open();
        await store.createCase({ ref: 'acme/x', title: 'x' });
        // An older exir's scan: no context at all.
        await store.recordScan('acme/x', result({}), { actor: 't', args: [] });
        await store.recordScan('acme/x', result({ context: [logon, mail], findings: [changed] }), { actor: 't', args: [] });
        // The same evidence again: the records are the same records.
        await store.recordScan('acme/x', result({ context: [mail, logon] }), { actor: 't', args: [] });
        const ctx = await store.readContext('acme/x');
        assert.deepEqual(
          ctx.records.map((r) => `${r.kind} ${r.origin.line}`),
          ['logon 1', 'mail 10'],
        );
        assert.deepEqual(ctx.records[0]?.fields, logon.fields);
        assert.deepEqual([ctx.scans, ctx.scansWithContext], [3, 2]);
        assert.deepEqual(ctx.modifiedFiles, [{ server: 'EX01', file: changed.fields.path, time: changed.time, path: 'EX01/listing.csv', line: 12 }]);
      } finally {
        await h.dispose();
      }
    });
  });
}

await onBothStores((engine, factory) => suite(engine, factory), 'scan context');
