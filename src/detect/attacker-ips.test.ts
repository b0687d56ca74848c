import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadAttackerIps } from './attacker-ips.js';

const SOURCE = { name: 'A vendor', url: 'https://example.org/iocs', published: '2021-03-02', stage: 'exploit-attempt' };

async function load(entries: { ip: string; source: string }[]): Promise<unknown> {
  const dir = await mkdtemp(join(tmpdir(), 'exir-attacker-ips-'));
  try {
    const file = join(dir, 'ips.json');
    await writeFile(file, JSON.stringify({ sources: { vendor: SOURCE }, entries }));
    return await loadAttackerIps(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// A list that named a private, documentation or loopback address would accuse the firm's own
// machines (or a test's): the list is refused with the address and its source named.
void test('an attacker list holding a private, reserved or malformed address is refused, naming it', async () => {
  for (const ip of [
    '10.1.2.3',
    '172.20.0.9',
    '192.168.1.1',
    '127.0.0.1',
    '100.64.0.1',
    '169.254.1.1',
    '203.0.113.7',
    '224.0.0.1',
    'fd12::1',
    '::1',
    'fe80::1',
    '2001:db8::5',
  ]) {
    await assert.rejects(load([{ ip, source: 'vendor' }]), new RegExp(`${ip.replace(/\./g, '\\.')} \\(source vendor\\) is a private or reserved address`), ip);
  }
  await assert.rejects(load([{ ip: '103.77.192', source: 'vendor' }]), /"103\.77\.192" \(source vendor\) is not an IP address/);
  await assert.rejects(load([{ ip: '103.77.192.219', source: 'nobody' }]), /names an unknown source nobody/);
  // Public addresses of both families load.
  assert.ok(
    await load([
      { ip: '103.77.192.219', source: 'vendor' },
      { ip: '2a01:4f8::1', source: 'vendor' },
    ]),
  );
});

void test('the shipped list loads, every address public and every source with a stage', async () => {
  const list = await loadAttackerIps();
  assert.ok(list.entries.some((e) => e.source === 'cisa-aa21-062a'));
  assert.ok(list.entries.some((e) => e.source === 'volexity-2021-03'));
});
