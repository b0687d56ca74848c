import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { scan } from './run.js';
import { messageTrackingLog } from './test-helpers.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function event(fields: Record<string, string | number>): string {
  return JSON.stringify({ Hostname: 'EX01.contoso.local', Channel: 'Security', SourceName: 'Microsoft-Windows-Security-Auditing', ...fields });
}

test('logons, account changes and inbound mail are kept as context, and change no verdict', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-context-'));
  dirs.push(dir);
  await mkdir(join(dir, 'EX01'));
  await writeFile(
    join(dir, 'EX01', 'security.jsonl'),
    [
      event({ EventTime: '2021-03-03 01:00:00', EventID: 4624, TargetUserName: 'svc-backup', TargetDomainName: 'CONTOSO', LogonType: 5, RecordNumber: 1 }),
      // A failed logon leaves no secret in memory: not context.
      event({ EventTime: '2021-03-03 01:05:00', EventID: 4625, TargetUserName: 'alice', TargetDomainName: 'CONTOSO', LogonType: 3, RecordNumber: 2 }),
      event({ EventTime: '2021-03-03 01:10:00', EventID: 4720, TargetUserName: 'support01', SubjectUserName: 'helpdesk', RecordNumber: 3 }),
    ].join('\n') + '\n',
  );
  await writeFile(
    join(dir, 'EX01', 'MSGTRK20210303-1.LOG'),
    messageTrackingLog('EX01', [
      {
        'date-time': '2021-03-04T09:00:00.000Z',
        'event-id': 'RECEIVE',
        source: 'SMTP',
        'sender-address': 'ceo@xn--hrbourtrust-yij.co.je',
        'recipient-address': 'accounts@harbourtrust.co.je',
        'message-subject': 'New bank details',
      },
      {
        'date-time': '2021-03-04T09:00:01.000Z',
        'event-id': 'DELIVER',
        source: 'STOREDRIVER',
        'sender-address': 'ceo@xn--hrbourtrust-yij.co.je',
        'recipient-address': 'accounts@harbourtrust.co.je',
        'message-subject': 'New bank details',
      },
    ]),
  );
  const result = await scan({ inputs: [dir], threads: 1, noFileChecks: true });
  const context = result.context ?? [];
  assert.deepEqual(context.map((c) => `${c.kind} ${c.fields.TargetUserName ?? c.fields['sender-address']}`).sort(), [
    'account-change support01',
    'logon svc-backup',
    'mail ceo@xn--hrbourtrust-yij.co.je',
  ]);
  const logon = context.find((c) => c.kind === 'logon');
  assert.equal(logon?.server, 'EX01');
  assert.match(logon?.origin.path ?? '', /security\.jsonl$/);
  assert.equal(logon?.origin.line, 1);
  assert.equal(logon?.fields.LogonType, '5');
  assert.deepEqual(result.findings, [], 'context is not a finding');
  assert.ok(
    result.servers.every((s) => s.verdict === 'clean'),
    'context raises no verdict',
  );
});
