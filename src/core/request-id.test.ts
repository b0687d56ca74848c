import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRealRequestId, sharedRequestIds } from './request-id.js';

void test('placeholders are no request ids; GUIDs are', () => {
  for (const id of [
    undefined,
    '',
    '-',
    'xxx',
    'xxxxxxxx',
    '<empty>',
    'null',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    'a b c d e f',
  ]) {
    assert.equal(isRealRequestId(id), false, String(id));
  }
  assert.equal(isRealRequestId('9f68471a-80b0-425e-ab5d-da15cfefcddc'), true);
});

void test('an id that two clients carry on one server is shared; the same id on two servers is not', () => {
  const shared = sharedRequestIds([
    { server: 'EX01', requestId: 'id-aaaa-1', clientIp: '203.0.113.1' },
    { server: 'EX01', requestId: 'id-aaaa-1', clientIp: '198.51.100.2' },
    { server: 'EX01', requestId: 'id-bbbb-2', clientIp: '203.0.113.1' },
    { server: 'EX01', requestId: 'id-bbbb-2', clientIp: '203.0.113.1' },
    { server: 'EX02', requestId: 'id-aaaa-1', clientIp: '192.0.2.9' },
  ]);
  assert.deepEqual([...shared], ['EX01\u0000id-aaaa-1']);
});

void test('one request seen by two logs from two addresses (IIS the load balancer, HttpProxy the client) is not shared; two clients in one log are', () => {
  const shared = sharedRequestIds([
    { server: 'EX01', requestId: 'id-aaaa-1', clientIp: '10.0.0.20', source: 'iis' },
    { server: 'EX01', requestId: 'id-aaaa-1', clientIp: '203.0.113.1', source: 'httpproxy' },
    { server: 'EX01', requestId: 'id-bbbb-2', clientIp: '203.0.113.1', source: 'httpproxy' },
    { server: 'EX01', requestId: 'id-bbbb-2', clientIp: '198.51.100.2', source: 'httpproxy' },
  ]);
  assert.deepEqual([...shared], ['EX01\u0000id-bbbb-2']);
});
