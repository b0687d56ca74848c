import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCidr } from './cidr.js';
import { RuleProblem } from './problem.js';

void test('IPv4 networks', () => {
  const net = parseCidr('10.0.0.0/8');
  assert.equal(net.test('10.1.2.3'), true);
  assert.equal(net.test('11.1.2.3'), false);
  assert.equal(net.test(' 10.255.255.255 '), true);
  assert.equal(net.test('10.1.2'), false);
  assert.equal(net.test('10.1.2.256'), false);
  assert.equal(net.test('not an ip'), false);
  assert.equal(net.test('::ffff:10.9.8.7'), true, 'IPv4-mapped IPv6 is the IPv4 address');
  assert.equal(parseCidr('192.168.1.77/26').test('192.168.1.64'), true, 'host bits of the network are ignored');
  assert.equal(parseCidr('192.168.1.77/26').test('192.168.1.128'), false);
  assert.equal(parseCidr('0.0.0.0/0').test('8.8.8.8'), true);
  assert.equal(parseCidr('1.2.3.4').test('1.2.3.4'), true);
  assert.equal(parseCidr('1.2.3.4').test('1.2.3.5'), false);
  assert.equal(parseCidr('1.2.3.4/32').test('1.2.3.4'), true);
});

void test('IPv6 networks', () => {
  const net = parseCidr('2001:db8::/32');
  assert.equal(net.test('2001:db8:1::1'), true);
  assert.equal(net.test('2001:DB8:ffff:ffff:ffff:ffff:ffff:ffff'), true);
  assert.equal(net.test('2001:db9::1'), false);
  assert.equal(net.test('10.0.0.1'), false);
  assert.equal(parseCidr('fe80::/10').test('fe80::1%12'), true, 'a zone id is ignored');
  assert.equal(parseCidr('fe80::/10').test('febf::1'), true);
  assert.equal(parseCidr('fe80::/10').test('fec0::1'), false);
  assert.equal(parseCidr('::1/128').test('::1'), true);
  assert.equal(parseCidr('::1/128').test('0:0:0:0:0:0:0:1'), true);
  assert.equal(parseCidr('::1/128').test('::2'), false);
  assert.equal(parseCidr('::ffff:0:0/96').test('::ffff:1.2.3.4'), true);
  assert.equal(net.test('2001:db8::1::1'), false);
  assert.equal(net.test('2001:db8:1:2:3:4:5:6:7'), false);
});

void test('bad networks are rule problems', () => {
  for (const bad of ['10.0.0.0/33', '10.0.0/8', '300.0.0.0/8', '10.0.0.0/x', 'fe80::/129', 'fe80:::1/64', 'hello']) {
    assert.throws(() => parseCidr(bad), RuleProblem, bad);
  }
});
