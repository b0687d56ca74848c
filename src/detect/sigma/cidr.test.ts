import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCidr } from './cidr.js';
import { RuleProblem } from './problem.js';

/** The rule author reads the message: it names which half of the value is wrong. */
function refused(text: string, message: string): void {
  assert.throws(
    () => parseCidr(text),
    (e) => e instanceof RuleProblem && e.message === message,
    text,
  );
}

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

void test('an IPv4 address is four decimal parts of 0 to 255, without leading zeros', () => {
  const any = parseCidr('0.0.0.0/0');
  for (const ok of ['0.0.0.0', '255.255.255.255', '100.200.250.9']) assert.equal(any.test(ok), true, ok);
  for (const bad of ['', '1.2.3.4.5', '1..2.3', '.1.2.3', '1.2.3.', '01.2.3.4', '1.2.3.00', '1.2.3.4x', '1.2.3.-4', '1.2.3.4 5', '1.2.3.256'])
    assert.equal(any.test(bad), false, bad);
  // Every part reaches its own byte of the address.
  const net = parseCidr('130.140.150.160/32');
  assert.equal(net.test('130.140.150.160'), true);
  for (const near of ['131.140.150.160', '130.141.150.160', '130.140.151.160', '130.140.150.161']) assert.equal(net.test(near), false, near);
  assert.equal(parseCidr('128.0.0.0/1').test('200.1.1.1'), true, 'a network in the upper half (a negative 32-bit mask)');
  assert.equal(parseCidr('128.0.0.0/1').test('127.255.255.255'), false);
});

void test('an IPv4 address written as IPv4-mapped IPv6 only when the first 96 bits are ::ffff', () => {
  const net = parseCidr('10.0.0.0/8');
  assert.equal(net.test('0:0:0:0:0:ffff:10.1.1.1'), true);
  assert.equal(net.test('::ffff:a01:101'), true, 'the mapped address in hexadecimal');
  for (let i = 0; i < 5; i++) {
    const groups = ['0', '0', '0', '0', '0', 'ffff'];
    groups[i] = '1';
    assert.equal(net.test(`${groups.join(':')}:10.1.1.1`), false, groups.join(':'));
  }
  assert.equal(net.test('::fffe:10.1.1.1'), false);
  assert.equal(net.test('::10.1.1.1'), false, 'the deprecated IPv4-compatible form is not IPv4');
  assert.equal(net.test('::ffff:11.1.1.1'), false);
});

void test('an IPv6 address: hexadecimal groups of 1 to 4 digits, one :: at most, a dotted IPv4 only at the end', () => {
  const any = parseCidr('::/0');
  for (const ok of ['::', '1:2:3:4:5:6:7:8', '1:2:3::4:5:6:7', '::1.2.3.4', '1:2:3:4:5:6:1.2.3.4', 'abcd:EF01::', ' ::1 '])
    assert.equal(any.test(ok), true, ok);
  for (const bad of [
    '1:2:3:4:5:6:7',
    '1:2:3:4::5:6:7:8',
    '1:2:3:4:5:6:7:1.2.3.4',
    '12345::1',
    'x1::1',
    '1x::1',
    'g::1',
    '::1.2.3.4:5',
    '::1.2.3',
    '1::2::3',
    ':::1',
    '1::2::',
    '::1::',
    '::::',
    '1:::',
    '1.2.3.4',
  ])
    assert.equal(any.test(bad), false, bad);
});

void test('every group of an IPv6 address lands in its place, before and after the ::', () => {
  const net = parseCidr('1:2:3:4:5:6:7:8/128');
  assert.equal(net.test('1:2:3:4:5:6:7:8'), true);
  for (let i = 0; i < 8; i++) {
    const groups = ['1', '2', '3', '4', '5', '6', '7', '8'];
    groups[i] = 'f';
    assert.equal(net.test(groups.join(':')), false, groups.join(':'));
  }
  const gap = parseCidr('1:2::7:8/128');
  assert.equal(gap.test('1:2:0:0:0:0:7:8'), true);
  assert.equal(gap.test('1:2:0:0:0:7:8:0'), false);
  assert.equal(gap.test('1:2:0:0:0:0:7:9'), false);
  assert.equal(gap.test('1:0:0:0:0:2:7:8'), false);
  assert.equal(parseCidr('::102:304/128').test('::1.2.3.4'), true, 'a dotted tail is the last two groups');
});

void test('an address read after a longer one is not mixed with it (the scratch buffer is cleared)', () => {
  const net = parseCidr('::1/128');
  assert.equal(net.test('ffff:ffff:ffff:ffff:ffff:ffff:ffff:1'), false);
  assert.equal(net.test('::1'), true);
  const v4 = parseCidr('10.0.0.0/8');
  assert.equal(v4.test('::ffff:10.1.1.1'), true);
  assert.equal(v4.test('1:2:3:4:5:6:7:8'), false);
  assert.equal(v4.test('::ffff:10.1.1.1'), true);
});

void test('an IPv6 prefix compares whole groups, then the leading bits of the next one', () => {
  const net = parseCidr('2001:db8:abcd:1200::/56');
  assert.equal(net.test('2001:db8:abcd:12ff::1'), true);
  assert.equal(net.test('2001:db8:abcd:1300::'), false);
  assert.equal(net.test('2001:db8:abcc:1200::'), false);
  assert.equal(parseCidr('::/0').test('ffff::'), true);
  assert.equal(parseCidr('8000::/1').test('ffff::'), true);
  assert.equal(parseCidr('8000::/1').test('7fff::'), false);
  assert.equal(parseCidr('fe80::/16').test('fe80:ffff::'), true);
  assert.equal(parseCidr('fe80::/16').test('fe81::'), false);
  assert.equal(parseCidr('fe80::1/127').test('fe80::'), true, 'host bits of the network are ignored');
  assert.equal(parseCidr('fe80::1/127').test('fe80::2'), false);
});

void test('a prefix is 1 to 3 digits within the family, white space around the parts allowed', () => {
  assert.equal(parseCidr(' 10.0.0.0 / 8 ').test('10.2.3.4'), true);
  assert.equal(parseCidr(' fe80:: / 10 ').test('fe80::1'), true);
  assert.equal(parseCidr('::/128').test('::'), true);
  assert.equal(parseCidr('1.2.3.0/24').test('1.2.3.99'), true);
  for (const bad of ['10.0.0.0/', '10.0.0.0/1e1', '10.0.0.0/8x', '10.0.0.0/x8', '10.0.0.0/+8', '10.0.0.0/-1', '::/0008', '::/1000']) {
    refused(bad, `bad CIDR prefix in '${bad}'`);
  }
  for (const bad of ['10.0.0/8', '10.0.0.0.0/8', 'fe80::g/64', '1::2::3']) {
    refused(bad, `bad CIDR address in '${bad}'`);
  }
});
