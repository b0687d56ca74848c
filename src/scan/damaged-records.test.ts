import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { scan } from './run.js';

// A real ECP Server row whose script's quotes were not doubled breaks the CSV: it is still counted as
// unreadable, and still searched, so the web shell written through the OAB virtual directory is found.
void test('a Set-OabVirtualDirectory script in a broken ECP Server row is still found, and said to come from a damaged row', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-damaged-'));
  try {
    const sample = await readFile(
      new URL('../../rules/sigma/proxylogon/ecp-server-set-vdir-script-tag.tests/match/set-oab-vdir-externalurl-chopper.LOG', import.meta.url),
      'utf8',
    );
    const lines = sample.split(/\r?\n/);
    const row = lines[5] as string;
    const open = row.indexOf('"');
    lines[5] = `${row.slice(0, open + 1)}${row.slice(open + 1, -1).replace(/""/g, '"')}"`;
    await mkdir(join(dir, 'EXCH01'));
    await writeFile(join(dir, 'EXCH01', 'ECPServer2021030302-1.LOG'), `${lines.slice(0, 6).join('\r\n')}\r\n`);

    const result = await scan({ inputs: [dir], threads: 1 });
    assert.equal(result.evidence[0]?.badRecords, 1, 'the row stays counted as unreadable');
    assert.equal(result.servers[0]?.verdict, 'exploited');
    const finding = result.findings[0];
    assert.match(finding?.fields['CMD'] ?? '', /^Set-OabVirtualDirectory\.ExternalUrl='http:\/\/f\/<script language="JScript"/);
    assert.match(finding?.fields['damaged'] ?? '', /damaged record \(5 values, 4 fields\)/);
    assert.equal(finding?.time, '2021-03-03T02:14:07.613Z');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// An IIS log collected while IIS was still writing ends in a cut line; a web shell's POST on it is
// still found, said to come from a damaged row, and the row stays counted as unreadable.
void test('a web-shell POST on a cut-off IIS line is still found, and said to come from a damaged row', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-damaged-iis-'));
  try {
    const sample = await readFile(
      new URL('../../rules/sigma/webshell/iis-dropzone-page-post-200.tests/match/chopper-post-aspnet-client.log', import.meta.url),
      'utf8',
    );
    const lines = sample.split(/\r?\n/).filter((l) => l !== '');
    const row = lines[4] as string;
    lines[4] = row.slice(0, row.indexOf(' 200 ') + 4);
    await mkdir(join(dir, 'EXCH01'));
    await writeFile(join(dir, 'EXCH01', 'u_ex210303.log'), lines.slice(0, 5).join('\r\n'));

    const result = await scan({ inputs: [dir], threads: 1 });
    assert.equal(result.evidence[0]?.badRecords, 1, 'the row stays counted as unreadable');
    assert.notEqual(result.servers[0]?.verdict, 'clean');
    // iis-dropzone-page-post-200
    const finding = result.findings.find((f) => f.ruleId === 'b8791e3d-be37-474e-9e1b-f3eec0ac6cc9');
    assert.ok(finding, result.findings.map((f) => f.ruleId).join(', '));
    assert.equal(finding.url, '/aspnet_client/system_web/Hc6g3Sd1.aspx');
    assert.equal(finding.clientIp, '203.0.113.45');
    assert.match(finding.fields['damaged'] ?? '', /^damaged record \(last line cut off\? 12 values, 15 fields\)/);
    assert.equal(finding.time, '2021-03-03T02:13:25.000Z');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
