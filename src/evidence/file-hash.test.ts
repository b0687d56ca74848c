// A large file is hashed on the thread pool while the scan reads it (file-hash.ts). The hash must
// be the file's SHA-256 whatever its size against the addon's pieces, and of the bytes the scan
// read when the two reads saw different lengths.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nativeAddon } from '../core/addon.js';
import { loadEngine } from '../scan/engine.js';
import { scanEntry } from '../scan/scan-entry.js';
import { nativeMissing, skipIf } from '../test-support/skips.js';
import { hashBeside, hashOfFirst, hashOfRead } from './file-hash.js';
import { EvidenceOpener } from './open.js';

const MIB = 1 << 20;
const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('a file hashed beside its read', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exir-file-hash-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is the SHA-256 of the whole file, at every size around the addon’s pieces', async (t) => {
    if (skipIf(t, 'native', nativeMissing())) return;
    for (const size of [0, 1, MIB - 1, MIB, MIB + 1, 5 * MIB + 7]) {
      const bytes = randomBytes(size);
      const file = join(dir, `f${size}`);
      await writeFile(file, bytes);
      assert.deepEqual(await hashBeside(file), { sha256: sha(bytes), bytes: size }, `${size} bytes`);
    }
  });

  it('gives nothing for a file it cannot read, and a clear error for bad arguments', async (t) => {
    if (skipIf(t, 'native', nativeMissing())) return;
    await mkdir(join(dir, 'folder'), { recursive: true });
    assert.equal(await hashBeside(join(dir, 'missing')), undefined);
    assert.equal(await hashBeside(join(dir, 'folder')), undefined);
    assert.equal(await hashBeside(`${join(dir, 'f1')}\0x`), undefined);
    const hashFile = nativeAddon().addon?.hashFile as (...args: unknown[]) => Promise<void>;
    assert.throws(() => hashFile(7, new Uint8Array(32), new Float64Array(2)), /path must be a string/);
    assert.throws(() => hashFile(join(dir, 'f1'), new Uint8Array(31), new Float64Array(2)), /digest must be a Uint8Array of 32/);
    assert.throws(() => hashFile(join(dir, 'f1'), new Uint8Array(32), new Float64Array(1)), /state must be a Float64Array of 2/);
  });

  it('is of the bytes the scan read: taken again when the two reads saw different lengths', async () => {
    const bytes = randomBytes(3 * MIB);
    const file = join(dir, 'changed');
    await writeFile(file, bytes);
    const whole = Promise.resolve({ sha256: sha(bytes), bytes: bytes.length });
    assert.equal(await hashOfRead(whole, file, bytes.length), sha(bytes));
    // The scan read less (the file grew after): the hash is of what it read.
    assert.equal(await hashOfRead(whole, file, MIB + 3), sha(bytes.subarray(0, MIB + 3)));
    assert.equal(await hashOfRead(Promise.resolve(undefined), file, 10), sha(bytes.subarray(0, 10)));
    assert.equal(hashOfFirst(join(dir, 'missing'), 10), '');
    assert.equal(hashOfFirst(join(dir, 'missing'), 0), sha(Buffer.alloc(0)));
  });

  it('is a large file’s that is not a log, which the scan then reads no further than its head', async (t) => {
    if (skipIf(t, 'native', nativeMissing())) return;
    const bytes = randomBytes(6 * MIB + 11);
    const file = join(dir, 'memory.dmp');
    await writeFile(file, bytes);
    const entry = { path: 'EX01/memory.dmp', location: { kind: 'file' as const, file }, size: bytes.length, layoutServer: 'EX01' };
    const opener = new EvidenceOpener();
    let read = 0;
    try {
      const { evidence } = await scanEntry(entry, await loadEngine({ noShippedRules: true }), opener, (n) => (read += n));
      assert.equal(evidence.kind, 'unknown');
      assert.equal(evidence.sha256, sha(bytes));
      assert.ok(read < MIB, `${read} bytes read here for a file hashed beside the read`);
    } finally {
      await opener.close();
    }
  });

  it('is what a scan of a large log puts in its evidence row', async () => {
    const line = '2021-03-03 02:00:00 10.0.0.1 GET /owa/auth/logon.aspx - 443 - 203.0.113.9 Mozilla/5.0 - 200\r\n';
    const text = `#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status\r\n${line.repeat(Math.ceil((5 * MIB) / line.length))}`;
    const bytes = Buffer.from(text);
    const file = join(dir, 'u_ex21030302.log');
    await writeFile(file, bytes);
    const entry = { path: 'EX01/u_ex21030302.log', location: { kind: 'file' as const, file }, size: bytes.length, layoutServer: 'EX01' };
    const opener = new EvidenceOpener();
    try {
      const { evidence } = await scanEntry(entry, await loadEngine({ noShippedRules: true }), opener);
      assert.equal(evidence.kind, 'iis');
      assert.ok(evidence.records > 50_000);
      assert.equal(evidence.sha256, sha(bytes));
    } finally {
      await opener.close();
    }
  });
});
