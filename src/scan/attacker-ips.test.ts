import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scan } from './run.js';
import { iisLog } from './test-helpers.js';

const INDICATORS = fileURLToPath(new URL('../../rules/sigma/indicators', import.meta.url));

// A published attacker address is context: found and listed at its source's stage, never a verdict
// by itself; beside a real attack it is one more finding, not the one that decides.
void test('a request from a published attacker address alone leaves the server probed, not attacked', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-ips-'));
  try {
    await mkdir(join(dir, 'EX01'));
    await writeFile(join(dir, 'EX01', 'u_ex210303.log'), iisLog(['2021-03-03 02:13:25 10.0.0.5 GET /owa/ - 443 - 167.99.168.251 Mozilla/5.0 - 302 0 0 187']));
    const result = await scan({ inputs: [dir], threads: 1 });
    const hit = result.findings.find((f) => f.clientIp === '167.99.168.251');
    assert.equal(hit?.indicatorOnly, true);
    assert.equal(hit?.stage, 'exploit-attempt');
    // On both lists: the finding names both publishers.
    assert.match(hit?.fields['published by'] ?? '', /^Volexity, .*; CISA, Alert AA21-062A .*\(2021-03-03, https:\/\/github\.com\/cisagov\/CHIRP\//);
    assert.deepEqual(
      result.servers.map((s) => s.verdict),
      ['probed'],
    );
    assert.match(result.servers[0]?.summary ?? '', /1 request\(s\) came from addresses published as attacking Exchange servers/);
    assert.deepEqual(result.sessions, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// CISA's Alert AA21-062A lists two addresses Volexity's own file does not: they are found too, and the
// finding names CISA alone, at the stage its list supports; alone they still leave the server probed.
void test('an address only CISA AA21-062A lists is found and names CISA as its publisher', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-ips-cisa-'));
  try {
    await mkdir(join(dir, 'EX01'));
    await writeFile(
      join(dir, 'EX01', 'u_ex210303.log'),
      iisLog([
        '2021-03-03 02:13:25 10.0.0.5 GET /owa/ - 443 - 91.192.103.43 Mozilla/5.0 - 302 0 0 187',
        '2021-03-03 02:14:25 10.0.0.5 GET /owa/ - 443 - 5.2.69.14 Mozilla/5.0 - 302 0 0 187',
        '2021-03-03 02:15:25 10.0.0.5 GET /owa/ - 443 - 5.2.69.13 Mozilla/5.0 - 302 0 0 187',
      ]),
    );
    const result = await scan({ inputs: [dir], threads: 1 });
    const hits = result.findings.filter((f) => f.indicatorOnly);
    assert.deepEqual(
      hits.map((f) => f.clientIp),
      ['91.192.103.43', '5.2.69.14'],
    );
    for (const hit of hits) {
      assert.equal(hit.stage, 'exploit-attempt');
      assert.match(hit.fields['published by'] ?? '', /^CISA, Alert AA21-062A [^;]*$/);
    }
    assert.deepEqual(
      result.servers.map((s) => s.verdict),
      ['probed'],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// Every log that carries a client or remote address is checked, each finding names the published
// address as its client (also inside an Rps_Http chain, in a Security event's IPv4-mapped form and at
// the far end of a connection the server made), and near misses (one digit off, private) are not found.
void test('published attacker addresses are found in Rps_Http chains, EWS, message tracking, Security, Sysmon 3 and RDP session events', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-ips-every-'));
  try {
    await mkdir(join(dir, 'EX01'));
    const sample = (rule: string, kind: 'match' | 'nomatch', name: string): Promise<string> => readFile(join(INDICATORS, `${rule}.tests`, kind, name), 'utf8');
    const files: [string, string][] = [
      ['Rps_Http_2022121411-1.LOG', await sample('rps-http-published-attacker-ip', 'match', 'chain-first-address-published.LOG')],
      ['Rps_Http_2022121412-1.LOG', await sample('rps-http-published-attacker-ip', 'nomatch', 'one-digit-off-and-private.LOG')],
      ['Ews_2021030303-1.LOG', await sample('ews-published-attacker-ip', 'match', 'cisa-only-address-getitem.LOG')],
      ['Ews_2021030304-1.LOG', await sample('ews-published-attacker-ip', 'nomatch', 'neighbour-and-private.LOG')],
      ['MSGTRK2021030303-1.LOG', await sample('msgtrk-published-attacker-ip', 'match', 'original-client-published.LOG')],
      ['MSGTRK2021030304-1.LOG', await sample('msgtrk-published-attacker-ip', 'nomatch', 'neighbours-and-private.LOG')],
      ['security-4624.jsonl', await sample('security-logon-published-attacker-ip', 'match', 'security-4624-mapped-address-cisa.jsonl')],
      ['security-near.jsonl', await sample('security-logon-published-attacker-ip', 'nomatch', 'security-logons-neighbours-and-private.jsonl')],
      ['sysmon-out.jsonl', await sample('sysmon-network-published-attacker-ip', 'match', 'sysmon3-connects-out-to-published.jsonl')],
      ['sysmon-near.jsonl', await sample('sysmon-network-published-attacker-ip', 'nomatch', 'sysmon3-neighbours-and-internal.jsonl')],
      ['lsm-21.jsonl', await sample('rdp-session-published-attacker-ip', 'match', 'lsm-21-logon-from-published.jsonl')],
      ['lsm-near.jsonl', await sample('rdp-session-published-attacker-ip', 'nomatch', 'lsm-neighbours-and-local.jsonl')],
    ];
    for (const [name, text] of files) await writeFile(join(dir, 'EX01', name), text);
    const result = await scan({ inputs: [dir], threads: 1 });
    const hits = result.findings.filter((f) => f.indicatorOnly);
    const seen = hits.map((f) => `${f.origin.path.split(/[\\/]/).pop() ?? ''} ${f.clientIp ?? ''}`).sort();
    assert.deepEqual(
      seen,
      [
        'MSGTRK2021030303-1.LOG 80.92.205.81',
        'Ews_2021030303-1.LOG 91.192.103.43',
        'Rps_Http_2022121411-1.LOG 104.140.114.110',
        'lsm-21.jsonl 104.250.191.110',
        'security-4624.jsonl 5.2.69.14',
        'sysmon-out.jsonl 185.250.151.72',
      ].sort(),
    );
    for (const f of hits) {
      assert.equal(f.stage, 'exploit-attempt');
      assert.match(f.fields['published by'] ?? '', /CISA, Alert AA21-062A/);
    }
    // The log's own value stays in the finding beside the address it was matched on.
    const rps = hits.find((f) => f.clientIp === '104.140.114.110');
    assert.equal(rps?.fields['ClientIpAddress'], '104.140.114.110');
    assert.equal(rps?.fields['published address'], '104.140.114.110');
    const security = hits.find((f) => f.clientIp === '5.2.69.14');
    assert.equal(security?.fields['IpAddress'], '::ffff:5.2.69.14');
    const sysmon = hits.find((f) => f.clientIp === '185.250.151.72');
    assert.equal(sysmon?.fields['SourceIp'], '10.0.0.5');
    // Context, never a verdict: the servers (the folder's, and the one the Rps_Http rows name) are probed, not attacked.
    assert.deepEqual(result.servers.map((s) => [s.name, s.verdict]).sort(), [
      ['EX01', 'probed'],
      ['EXCH01', 'probed'],
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
