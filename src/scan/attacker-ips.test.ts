import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { scan } from './run.js';
import { iisLog } from './test-helpers.js';

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
