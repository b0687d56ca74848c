import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ScanResult } from '../core/types.js';
import { isAttack } from '../correlate/verdict.js';
import { generateDemo, type DemoTruth } from '../demo/generate.js';
import { toJson } from '../report/json.js';
import { assertSchema } from '../test-support/json-schema.js';
import { scan } from './run.js';

// The whole pipeline against evidence whose right answer is known: the generator says what it
// planted, the scan must find exactly that — the attack, and nothing on the scanned-only server.
let dir: string;
let truth: DemoTruth;
let result: ScanResult;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-demo-'));
  truth = (await generateDemo({ outDir: dir, targetBytes: 3_000_000 })).truth;
  result = await scan({ inputs: [dir], threads: 2, forceThreads: true });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('each server gets the verdict the generator planted', () => {
  const got = Object.fromEntries(result.servers.map((s) => [s.name, s.verdict]));
  const want = Object.fromEntries(truth.servers.map((s) => [s.name, s.expectedVerdict]));
  assert.deepEqual(got, want);
});

test('the attacker IPs are exactly the attackers, not the scanners', () => {
  const attacked = result.servers.filter((s) => s.verdict !== 'probed' && s.verdict !== 'clean');
  const ips = [...new Set(attacked.flatMap((s) => s.attackerIps))].sort();
  assert.deepEqual(ips, [...truth.attackerIps].sort());
  const attackIps = new Set(result.findings.filter(isAttack).map((f) => f.clientIp));
  for (const scanner of truth.scannerIps) assert.ok(!attackIps.has(scanner), `scanner ${scanner} is not an attacker`);
});

test('the chain is found: SSRF first, then the web shell written through the OAB virtual directory', () => {
  const ex01 = result.findings.filter((f) => f.server === 'EX01' && !f.benign && !f.cappedBy);
  const ssrf = ex01.find((f) => f.cves.includes('CVE-2021-26855') && f.time === truth.ssrfTime);
  assert.ok(ssrf, `an SSRF finding at ${truth.ssrfTime}`);
  const written = ex01.find((f) => f.cves.includes('CVE-2021-27065') && f.time === truth.webShellWrittenTime);
  assert.ok(written, `a CVE-2021-27065 finding at ${truth.webShellWrittenTime}`);
  assert.equal(written.stage, 'exploited');
  const used = ex01.filter((f) => f.stage === 'post-exploitation' && f.fields['cs-uri-stem'] === truth.webShellUrl);
  assert.ok(used.length > 0, 'the web shell is seen in use');
  assert.ok(used.every((f) => truth.attackerIps.includes(f.clientIp ?? '')));
  for (const f of ex01) assert.match(f.origin.path, /\/EX01\//);
});

test('every file is read cleanly and listed with its hash', () => {
  assert.ok(result.evidence.length > 100);
  for (const e of result.evidence) {
    assert.notEqual(e.kind, 'unknown', `${e.path} recognised`);
    assert.equal(e.badRecords, 0, `${e.path} has no unreadable record`);
    assert.match(e.sha256, /^[0-9a-f]{64}$/);
    assert.ok(e.server === 'EX01' || e.server === 'EX02', `${e.path} assigned to a server`);
  }
  assert.deepEqual(result.warnings, []);
});

test('the whole result, as JSON, matches the published schema', () => {
  assertSchema('scan-result', toJson(result));
});
