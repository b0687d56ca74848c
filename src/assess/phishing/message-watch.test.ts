import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContextRecord, MailboxTouch } from '../../core/types.js';
import { BULK_PER_HOUR, domainsOfCase, threadKey, watchMessages, type WatchInput } from './message-watch.js';

let line = 0;
function mail(time: string, sender: string, recipients: string, subject: string, source = 'SMTP', count = ''): ContextRecord {
  line += 1;
  return {
    kind: 'mail',
    time,
    server: 'EX01',
    origin: { path: 'EX01/MSGTRK.LOG', line, offset: 0 },
    fields: {
      'event-id': 'RECEIVE',
      source,
      'sender-address': sender,
      'recipient-address': recipients,
      'message-subject': subject,
      ...(count ? { 'recipient-count': count } : {}),
    },
  };
}
const ceo: MailboxTouch = {
  mailbox: 'ceo@harbourtrust.co.je',
  server: 'EX01',
  level: 'exported',
  firstTime: '2021-03-03T03:00:00Z',
  lastTime: undefined,
  how: [],
  evidence: [],
  forwardedTo: ['collect@mailbox-archive.net'],
};
const base: WatchInput = { mail: [], mailboxes: [ceo], protectedDomains: ['harbourtrust.co.je', 'clientbank.je'], attackFrom: '2021-03-03T02:00:00Z' };

test('threads are known by their subject without reply and forward prefixes', () => {
  assert.equal(threadKey('RE: FW: Re[2]: Invoice 4411 '), 'invoice 4411');
  assert.equal(threadKey('AW: Invoice 4411'), 'invoice 4411');
});

test("mail from a homoglyph of the firm's domain is flagged; a partner with its own name is not", () => {
  const hits = watchMessages({
    ...base,
    mail: [
      mail('2021-03-10T09:00:00Z', 'ceo@xn--hrbourtrust-yij.co.je', 'accounts@clientbank.je', 'Change of bank details'),
      mail('2021-03-10T09:05:00Z', 'partner@harbourlaw.je', 'ceo@harbourtrust.co.je', 'Completion statement'),
      mail('2021-03-10T09:06:00Z', 'ops@clientbank.je', 'ceo@harbourtrust.co.je', 'Statement'),
    ],
  });
  assert.deepEqual(
    hits.map((h) => [h.kind, h.sender, h.lookalike?.family]),
    [['lookalike-sender', 'ceo@xn--hrbourtrust-yij.co.je', 'idn-homoglyph']],
  );
  assert.match(hits[0]?.why ?? '', /hаrbourtrust\.co\.je, a lookalike \(idn-homoglyph\) of harbourtrust\.co\.je/);
});

test("mail to the attacker's forwarding address after the attack is flagged, before it is not", () => {
  const hits = watchMessages({
    ...base,
    mail: [
      mail('2021-03-01T09:00:00Z', 'ceo@harbourtrust.co.je', 'collect@mailbox-archive.net', 'before', 'STOREDRIVER'),
      mail('2021-03-05T09:00:00Z', 'ceo@harbourtrust.co.je', 'collect@mailbox-archive.net', 'FW: Payroll', 'STOREDRIVER'),
    ],
  });
  assert.deepEqual(
    hits.map((h) => [h.kind, h.subject]),
    [['to-attacker-forwarding', 'FW: Payroll']],
  );
});

test('a reply into an old thread from a new outside sender is a hijack; a reply from someone in the thread is not', () => {
  const hits = watchMessages({
    ...base,
    mail: [
      mail('2021-02-20T09:00:00Z', 'ceo@harbourtrust.co.je', 'finance@clientbank.je', 'Invoice 4411', 'STOREDRIVER'),
      mail('2021-02-21T09:00:00Z', 'finance@clientbank.je', 'ceo@harbourtrust.co.je', 'RE: Invoice 4411'),
      // Normal: the client answers again, after the attack.
      mail('2021-03-08T09:00:00Z', 'finance@clientbank.je', 'ceo@harbourtrust.co.je', 'RE: Invoice 4411'),
      // Hijack: a stranger replies into the stolen thread.
      mail('2021-03-09T09:00:00Z', 'billing@invoices-secure.com', 'finance@clientbank.je', 'RE: Invoice 4411'),
    ],
  });
  assert.deepEqual(
    hits.map((h) => [h.kind, h.sender]),
    [['thread-hijack', 'billing@invoices-secure.com']],
  );
});

test('bulk sending from a reached mailbox after the attack is flagged; the same volume from an unreached one is not', () => {
  const burst = (sender: string): ContextRecord[] =>
    Array.from({ length: 5 }, (_, i) =>
      mail(`2021-03-06T10:${String(i * 10).padStart(2, '0')}:00Z`, sender, 'a@x.com', 'Shared document', 'STOREDRIVER', String(BULK_PER_HOUR / 5)),
    );
  const hits = watchMessages({ ...base, mail: [...burst('ceo@harbourtrust.co.je'), ...burst('newsletter@harbourtrust.co.je')] });
  assert.deepEqual(
    hits.map((h) => [h.kind, h.sender]),
    [['bulk-sending', 'ceo@harbourtrust.co.je']],
  );
  assert.match(hits[0]?.why ?? '', /^50 recipients in one hour/);
});

test("the firm's domains come from its mailboxes and the domains its inbound mail is addressed to", () => {
  const domains = domainsOfCase(
    [
      mail('2021-03-01T09:00:00Z', 'a@other.com', 'x@harbourtrust.co.je', 's'),
      mail('2021-03-01T09:00:00Z', 'a@other.com', 'y@harbourtrust.co.je;z@ht-funds.je', 's'),
      mail('2021-03-01T09:00:00Z', 'a@other.com', 'w@ht-funds.je', 's'),
      mail('2021-03-01T09:00:00Z', 'x@harbourtrust.co.je', 'q@stray.org', 's', 'STOREDRIVER'),
    ],
    [ceo],
  );
  assert.deepEqual(domains, ['harbourtrust.co.je', 'ht-funds.je']);
});
