// The follow pass leaves out the logs whose bytes name none of the texts it follows (follow-check.ts).
// That must change no result: the addon's answer for a file is the JavaScript search's answer for its
// bytes (across the pieces it reads them in, at any cut), and a log left out is one the follow pass
// would have found nothing in.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ScanResult } from '../core/types.js';
import { followKeys, type FollowKeys } from '../correlate/sessions.js';
import { generateDemo } from '../demo/generate.js';
import { enumerateEvidence, type EvidenceEntry } from '../evidence/bundle.js';
import { EvidenceOpener } from '../evidence/open.js';
import { mayHold, planLiterals } from '../sources/bytes/literals.js';
import { nativeSearch } from '../sources/bytes/native.js';
import { seededRandom } from '../test-support/random.js';
import { nativeMissing, skipIf } from '../test-support/skips.js';
import { loadEngine } from './engine.js';
import { jobsThatMayName } from './follow-check.js';
import { followEntry, followsByTime } from './follow.js';
import type { Job } from './job.js';
import { scan } from './run.js';

/** What the addon reads a file in: a needle that crosses this cut must still be found. */
const PIECE = 1 << 20;

describe('the native search of whole files', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exir-holding-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says of each file what the JavaScript search says of its bytes, a needle across the cut between pieces included', async (t) => {
    if (skipIf(t, 'native', nativeMissing())) return;
    const search = nativeSearch()!;
    const texts = ['203.0.113.77', '/owa/auth/Shell.aspx', 'x'.repeat(40) + 'END'];
    const native = planLiterals(texts);
    const js = planLiterals(texts, false);
    const overlap = Math.max(...texts.map((s) => Buffer.byteLength(s))) - 1;
    const next = seededRandom(17);
    const files: { path: string; bytes: Buffer }[] = [];
    const filler = (n: number): Buffer => {
      const b = Buffer.alloc(n);
      // Near misses: digits, dots and path bytes, never a whole text.
      const pool = Buffer.from('0123456789./owa auth,203.0.113.7 SHELL.asp\r\n');
      for (let i = 0; i < n; i++) b[i] = pool[next(pool.length)]!;
      return b;
    };
    const add = async (name: string, bytes: Buffer): Promise<void> => {
      const path = join(dir, name);
      await writeFile(path, bytes);
      files.push({ path, bytes });
    };
    await add('empty', Buffer.alloc(0));
    await add('none-small', filler(5000));
    await add('none-large', filler(2 * PIECE + 12345));
    // Each text placed so that it starts at every distance from the first cut up to its length.
    for (const text of texts) {
      const t = Buffer.from(text.toUpperCase());
      for (let k = 0; k <= t.length; k++) {
        const bytes = filler(PIECE + 4096);
        t.copy(bytes, PIECE - k);
        await add(`cut-${texts.indexOf(text)}-${k}`, bytes);
      }
    }
    const end = filler(3 * PIECE);
    Buffer.from(texts[0]!).copy(end, end.length - texts[0]!.length);
    await add('at-the-end', end);
    const out = new Uint8Array(files.length);
    await search.holding(
      native.native!,
      files.map((f) => f.path),
      out,
      overlap,
    );
    for (const [i, f] of files.entries()) {
      assert.equal(out[i], mayHold(js, f.bytes) ? 1 : 0, f.path);
    }
    assert.ok(out.includes(0) && out.includes(1), 'both answers were tried');
  });

  it('says a file it cannot read is not known (2), and refuses bad arguments with a clear error', async (t) => {
    if (skipIf(t, 'native', nativeMissing())) return;
    const search = nativeSearch()!;
    const needles = planLiterals(['abc']).native!;
    await mkdir(join(dir, 'a-folder'), { recursive: true });
    const out = new Uint8Array(3);
    await search.holding(needles, [join(dir, 'missing'), join(dir, 'a-folder'), `${join(dir, 'empty')}\0.log`], out, 2);
    assert.deepEqual([...out], [2, 2, 2]);
    assert.throws(() => search.holding(needles, ['x'], new Uint8Array(0), 2), /as long as paths/);
    assert.throws(() => search.holding(needles, ['x'], new Uint8Array(1), 1 << 20), /overlap/);
    assert.throws(() => search.holding({} as never, ['x'], new Uint8Array(1), 2), /compiled needle set/);
    assert.throws(() => search.holding(needles, [7 as unknown as string], new Uint8Array(1), 2), /string/);
  });
});

describe('the follow pass over the logs that may name the attackers', () => {
  let dir: string;
  let result: ScanResult;
  let entries: EvidenceEntry[];
  let keys: FollowKeys;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exir-follow-check-'));
    await generateDemo({ outDir: dir, targetBytes: 2_000_000, attackerEverywhere: true });
    result = await scan({ inputs: [dir], threads: 1, now: new Date(0) });
    entries = (await enumerateEvidence([dir])).entries;
    keys = followKeys(result.findings)!;
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves out only logs the follow pass finds nothing in, and keeps every log followed by time', async (t) => {
    if (skipIf(t, 'native', nativeMissing())) return;
    assert.ok(keys && keys.ips.length > 0, 'the demo attack gives addresses to follow');
    const rows = new Map(result.evidence.map((e) => [e.path, e]));
    const jobs: { entry: EvidenceEntry; job: Job }[] = [];
    for (const entry of entries) {
      const row = rows.get(entry.path);
      if (!row || row.kind === 'unknown' || !row.server) continue;
      jobs.push({ entry, job: { kind: 'follow', server: row.server, source: row.kind, keys } });
    }
    const kept = new Set(await jobsThatMayName(jobs, keys, 2));
    const left = jobs.filter((j) => !kept.has(j));
    assert.ok(left.length > 0 && kept.size > 0, `${left.length} left out, ${kept.size} kept`);
    const engine = await loadEngine();
    const opener = new EvidenceOpener();
    for (const { entry, job } of left) {
      assert.ok(job.kind === 'follow' && !followsByTime(job.source), `${entry.path} is followed by time, and was left out`);
      assert.deepEqual(await followEntry(entry, job.server, job.source, engine, opener, keys), [], entry.path);
    }
    // And the ones kept that name an attacker are still followed: the pass is not emptied.
    let found = 0;
    for (const { entry, job } of kept) if (job.kind === 'follow') found += (await followEntry(entry, job.server, job.source, engine, opener, keys)).length;
    assert.ok(found > 0, 'the logs kept hold the attackers’ records');
  });

  it('follows every log when a text is longer than the addon carries between pieces', async (t) => {
    if (skipIf(t, 'native', nativeMissing())) return;
    const long: FollowKeys = { ...keys, urlSpellings: [...(keys.urlSpellings ?? []), `/${'a'.repeat(70_000)}.aspx`] };
    const job: Job = { kind: 'follow', server: 'EX01', source: 'httpproxy', keys: long };
    const jobs = entries.map((entry) => ({ entry, job }));
    assert.equal((await jobsThatMayName(jobs, long, 2)).length, jobs.length);
  });
});
