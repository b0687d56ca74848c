import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hashEvidence, hashFile, manifestHash } from './hash-evidence.js';

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'exir-hash-'));
}

test('a file larger than one read is hashed in pieces to the same digest', async () => {
  const dir = tempDir();
  try {
    const big = Buffer.alloc(3 * (1 << 20) + 17, 'a');
    big[big.length - 1] = 0x42;
    writeFileSync(join(dir, 'big.log'), big);
    assert.deepEqual(await hashFile(join(dir, 'big.log')), { sha256: sha(big), size: big.length });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a folder is walked in a fixed order, links are not followed, and its hash is its manifest's", async () => {
  const dir = tempDir();
  try {
    mkdirSync(join(dir, 'b', 'c'), { recursive: true });
    writeFileSync(join(dir, 'b', 'c', 'x.log'), 'x');
    writeFileSync(join(dir, 'a.txt'), 'a');
    writeFileSync(join(dir, 'name\nwith newline'), 'n');
    symlinkSync('/etc/passwd', join(dir, 'link'));
    const h = await hashEvidence(dir);
    assert.equal(h.kind, 'folder');
    assert.deepEqual(
      h.files.map((f) => f.relpath),
      ['a.txt', 'b/c/x.log', 'name\nwith newline'],
    );
    assert.deepEqual(h.skipped, [{ relpath: 'link', reason: 'symbolic link (not followed)' }]);
    assert.equal(h.size, 3);
    assert.equal(h.sha256, manifestHash(h.files));
    // A name cannot forge another entry of the manifest.
    assert.notEqual(
      manifestHash([{ relpath: 'a', size: 1, sha256: sha('a') }]),
      manifestHash([{ relpath: `a", 1, "${sha('a')}"]\n["b`, size: 1, sha256: sha('a') }]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a .zip is one file, recognised by its content', async () => {
  const dir = tempDir();
  try {
    const bytes = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from('rest')]);
    writeFileSync(join(dir, 'triage.bin'), bytes);
    writeFileSync(join(dir, 'plain.zip'), 'not a zip');
    const z = await hashEvidence(join(dir, 'triage.bin'));
    assert.equal(z.kind, 'zip');
    assert.equal(z.sha256, sha(bytes));
    assert.equal((await hashEvidence(join(dir, 'plain.zip'))).kind, 'file');
    await assert.rejects(hashEvidence(join(dir, 'absent')), /cannot read evidence/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
