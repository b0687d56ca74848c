import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvidenceFile, Finding } from '../core/types.js';
import { findMailboxes } from './mailboxes.js';
import { aLogFile } from './test-helpers/findings.js';

function finding(over: Partial<Finding>): Finding {
  return {
    ruleId: 'r',
    title: 't',
    cves: [],
    stage: 'exploited',
    severity: 'high',
    time: undefined,
    server: 'EX09',
    clientIp: undefined,
    user: undefined,
    origin: { path: 'logs/x.log', line: 1, offset: 0 },
    fields: {},
    ...over,
  };
}

// EX09's own Exchange logs are in the evidence: a machine without any trace of Exchange holds no mailboxes.
const EX09_LOGS: EvidenceFile[] = [aLogFile('EX09', { path: 'EX09/HttpProxy/Owa/HttpProxy_2021030302-1.LOG', sha256: 'a'.repeat(64) })];

const shell = finding({
  ruleId: 'yara-china-chopper',
  title: 'China Chopper web shell: a request parameter run through eval(..., "unsafe")',
  stage: 'post-exploitation',
  origin: { path: 'inetpub/wwwroot/aspnet_client/discover.aspx', line: 1, offset: 120 },
});

test('a web shell found on disk is named, not read as a clause, and its unknown time is said plainly', () => {
  const [every] = findMailboxes([shell], [], EX09_LOGS);
  assert.equal(every?.mailbox, '*');
  assert.equal(
    every?.how[0],
    "every mailbox on EX09 was within the attacker's reach, shown by China Chopper web shell: a request parameter run through " +
      'eval(..., "unsafe") (inetpub/wwwroot/aspnet_client/discover.aspx; the file does not say when it was put there)',
  );
});

test('a success with a time decides when the mailboxes were in reach, over a file without one', () => {
  const logged = finding({ time: '2021-03-03T02:14:00Z', story: 'a web shell was written through the OAB virtual directory' });
  const [every] = findMailboxes([shell, logged], [], EX09_LOGS);
  assert.equal(
    every?.how[0],
    "every mailbox on EX09 was within the attacker's reach at 02:14 UTC on 3 March 2021, when a web shell was written through the OAB virtual directory",
  );
});
