import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateDemo } from '../demo/generate.js';
import { poisonReleasedBuffers } from '../evidence/open.js';
import { CORPUS, corpusMissing, skipIf } from '../test-support/skips.js';
import { scan } from './run.js';

// Both passes read a small file into a buffer the opener lends and lends again for a later file, and
// a large log in pieces, into two buffers in turn. A view of a file's bytes kept past its release
// would read another file's bytes, one of a piece kept past the next a later piece's: with every
// buffer given back filled with junk, the scan must say exactly what it says otherwise.

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-lent-'));
  // The attackers in most logs: the follow pass reads many files record by record from lent bytes.
  await generateDemo({ outDir: join(dir, 'bundle'), targetBytes: 1_500_000, attackerEverywhere: true });
  await largeLogs(join(dir, 'bundle', 'EX01'), join(dir, 'large', 'EX01'));
});

/** Past this a log is read in pieces, not lent whole (open.ts). */
const LARGE = 4 * 1024 * 1024;

/**
 * A server's IIS log and an OWA HttpProxy log, each of several MiB: the demo's days and hours of each
 * one after another (an IIS log holds a header block at each start; the HttpProxy one keeps its
 * first header), so that records, the attackers' among them, cross the pieces' edges.
 */
async function largeLogs(from: string, to: string): Promise<void> {
  const joined = async (folder: string, keepHeaders: boolean): Promise<Buffer> => {
    const names = (await readdir(join(from, folder))).sort();
    const parts: Buffer[] = [];
    for (const [i, name] of names.entries()) {
      const text = await readFile(join(from, folder, name), 'utf8');
      parts.push(Buffer.from(keepHeaders || i === 0 ? text : text.replace(/^#.*\r?\n/gm, '')));
    }
    const once = Buffer.concat(parts);
    return Buffer.concat(Array.from({ length: Math.ceil((LARGE * 1.6) / once.length) }, () => once));
  };
  const iis = 'inetpub/logs/LogFiles/W3SVC1';
  const owa = 'Exchange/Logging/HttpProxy/Owa';
  await mkdir(join(to, iis), { recursive: true });
  await mkdir(join(to, owa), { recursive: true });
  await writeFile(join(to, iis, 'u_ex210302.log'), await joined(iis, true));
  await writeFile(join(to, owa, 'HttpProxy_2021030200-1.LOG'), await joined(owa, false));
}
after(async () => {
  poisonReleasedBuffers(false);
  await rm(dir, { recursive: true, force: true });
});

async function bothWays(inputs: string[]): Promise<{ plain: string; poisoned: string }> {
  const plain = JSON.stringify(await scan({ inputs, threads: 1, now: new Date(0) }));
  poisonReleasedBuffers(true);
  try {
    return { plain, poisoned: JSON.stringify(await scan({ inputs, threads: 1, now: new Date(0) })) };
  } finally {
    poisonReleasedBuffers(false);
  }
}

test('no view of a lent buffer outlives its file: the demo bundle scans the same with released buffers spoiled', async () => {
  const { plain, poisoned } = await bothWays([join(dir, 'bundle')]);
  assert.equal(poisoned, plain);
  // And the hashes are of the files' own bytes.
  const result = JSON.parse(plain) as { evidence: { path: string; sha256: string }[] };
  for (const e of result.evidence.slice(0, 50)) {
    const bytes = await readFile(join(dir, e.path));
    assert.equal(e.sha256, createHash('sha256').update(bytes).digest('hex'), e.path);
  }
});

test('no view of a piece of a large log outlives the next piece: IIS and HttpProxy logs of several MiB scan the same with each piece spoiled', async () => {
  const large = join(dir, 'large');
  const { plain, poisoned } = await bothWays([large]);
  const result = JSON.parse(plain) as {
    evidence: { path: string; size: number; records: number }[];
    findings: unknown[];
    sessions: { entries: { kind: string }[] }[];
  };
  assert.equal(result.evidence.length, 2);
  for (const e of result.evidence) {
    assert.ok(e.size > LARGE, `${e.path} is read in pieces`);
    assert.equal(e.size, (await stat(join(dir, e.path))).size);
    assert.ok(e.records > 10_000, `${e.path}: ${e.records} records`);
  }
  // The attackers are in both: the first pass finds them, the follow pass reads both again for their other requests.
  assert.ok(result.findings.length > 0);
  const followed = result.sessions.flatMap((s) => s.entries).filter((e) => e.kind === 'activity').length;
  assert.ok(followed > 100, `${followed} requests followed`);
  assert.equal(poisoned, plain);
});

test('the corpus scans the same with released buffers spoiled', async (t) => {
  if (skipIf(t, 'corpus', corpusMissing(CORPUS))) return;
  const { plain, poisoned } = await bothWays([CORPUS]);
  assert.equal(poisoned, plain);
});
