import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogRecord } from '../core/types.js';
import { clientIpOf } from './mapping.js';

const record = (fields: Record<string, string>): LogRecord => ({ fields }) as unknown as LogRecord;
const who = { clientIp: ['c-ip'] };

// A loopback client is every server's own: as an address it would join one server's potato-style
// local logon to another server's health probes in one "attacker" session.
test('a loopback address names no client, in any of its written forms', () => {
  for (const ip of ['127.0.0.1', '127.8.0.2', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1'])
    assert.equal(clientIpOf(record({ 'c-ip': ip }), who), undefined, ip);
});

test('any other address is the client, however close to loopback it looks', () => {
  for (const ip of ['10.0.0.1', '128.0.0.1', '::11', 'fe80::1', '127.0.0.1.example', '5.2.69.14']) assert.equal(clientIpOf(record({ 'c-ip': ip }), who), ip);
});

test('a connection the server itself opened names no client', () => {
  assert.equal(clientIpOf(record({ 'c-ip': '5.2.69.14', Initiated: 'true' }), who), undefined);
  assert.equal(clientIpOf(record({ 'c-ip': '5.2.69.14', Initiated: 'false' }), who), '5.2.69.14');
});
