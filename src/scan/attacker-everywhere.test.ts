import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ScanResult } from '../core/types.js';
import { generateDemo, type DemoResult } from '../demo/generate.js';
import { scan } from './run.js';

// The bench's second bundle: the same seed with the attackers knocking everywhere. It must put
// their addresses in most HttpProxy logs (or it does not load the follow pass), and change no
// finding (or the two bundles would not compare like with like).
describe('the attacker-everywhere bundle', () => {
  let dir: string;
  let plain: DemoResult;
  let spread: DemoResult;
  let plainScan: ScanResult;
  let spreadScan: ScanResult;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exir-everywhere-'));
    plain = await generateDemo({ outDir: join(dir, 'plain'), targetBytes: 2_000_000 });
    spread = await generateDemo({ outDir: join(dir, 'spread'), targetBytes: 2_000_000, attackerEverywhere: true });
    plainScan = await scan({ inputs: [join(dir, 'plain')], threads: 1, now: new Date(0) });
    spreadScan = await scan({ inputs: [join(dir, 'spread')], threads: 1, now: new Date(0) });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const naming = async (root: string, files: string[], ips: string[]): Promise<{ all: number; naming: number }> => {
    const proxy = files.filter((f) => f.includes('/HttpProxy/'));
    let count = 0;
    for (const f of proxy) {
      const text = await readFile(join(root, f), 'utf8');
      if (ips.some((ip) => text.includes(ip))) count += 1;
    }
    return { all: proxy.length, naming: count };
  };

  it('names the attackers in most HttpProxy logs, where the default bundle names them in few', async () => {
    assert.deepEqual(spread.truth.attackerIps, plain.truth.attackerIps);
    const s = await naming(join(dir, 'spread'), spread.files, spread.truth.attackerIps);
    const p = await naming(join(dir, 'plain'), plain.files, plain.truth.attackerIps);
    assert.ok(s.naming >= 0.8 * s.all, `${s.naming} of ${s.all} HttpProxy logs name an attacker`);
    assert.ok(p.naming <= 0.1 * p.all, `${p.naming} of ${p.all} HttpProxy logs name an attacker in the default bundle`);
  });

  it('changes no finding, and the follow pass finds the knocks', () => {
    const key = (r: ScanResult) => r.findings.map((f) => `${f.ruleId} ${f.time} ${f.clientIp ?? ''}`).sort();
    assert.deepEqual(key(spreadScan), key(plainScan));
    assert.deepEqual(
      spreadScan.servers.map((s) => [s.name, s.verdict]),
      plainScan.servers.map((s) => [s.name, s.verdict]),
    );
    const entries = (r: ScanResult) => r.sessions.reduce((n, s) => n + (s.entries?.length ?? 0), 0);
    assert.ok(entries(spreadScan) > entries(plainScan) + 1000, `${entries(spreadScan)} session entries against ${entries(plainScan)}`);
  });
});
