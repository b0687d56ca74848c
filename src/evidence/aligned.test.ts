import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { nativeMissing, skipIf } from '../test-support/skips.js';
import { misalignment, READ_ALIGN, readBuffer } from './aligned.js';
import type { EvidenceEntry } from './bundle.js';
import { EvidenceOpener } from './open.js';

// Node's large Buffers start 16 bytes past a page (the C allocator's header), so a buffer taken
// without aligning it is 64-byte aligned by chance one time in four at best: eight buffers all
// aligned is the aligning's doing.

const dir = mkdtempSync(join(tmpdir(), 'exir-aligned-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fileEntry(name: string, bytes: number): { entry: EvidenceEntry; content: Buffer } {
  const file = join(dir, name);
  const content = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) content[i] = 97 + ((i * 7) % 26);
  writeFileSync(file, content);
  return { entry: { path: `in/${name}`, location: { kind: 'file', file }, size: bytes, layoutServer: undefined }, content };
}

test('the addon says how far a buffer is from an aligned address', (t) => {
  if (skipIf(t, 'native', nativeMissing())) return;
  const raw = Buffer.allocUnsafeSlow(4096);
  const skip = misalignment(raw) as number;
  assert.ok(skip >= 0 && skip < READ_ALIGN);
  for (let by = 0; by < READ_ALIGN; by++) assert.equal(misalignment(raw.subarray(by)), (skip - by + READ_ALIGN) % READ_ALIGN);
});

test('read buffers are the size asked for and start at an aligned address', (t) => {
  if (skipIf(t, 'native', nativeMissing())) return;
  for (const bytes of [1, 100, 5000, 65_536, 256 * 1024, 1 << 20, (1 << 20) + 3, 4 * 1024 * 1024 + 1]) {
    const buf = readBuffer(bytes);
    assert.equal(buf.length, bytes);
    assert.equal(misalignment(buf), 0, `${bytes} bytes`);
  }
});

test('the opener reads a small file, and each piece of a large one, into aligned memory, bytes unchanged', async (t) => {
  if (skipIf(t, 'native', nativeMissing())) return;
  const opener = new EvidenceOpener();
  try {
    for (const size of [10_000, 300_000, 3_000_000]) {
      const { entry, content } = fileEntry(`small-${size}.log`, size);
      const lent = opener.lend(entry);
      assert.ok(lent);
      assert.equal(misalignment(lent.bytes), 0, `${size} bytes lent`);
      assert.ok(lent.bytes.equals(content));
      lent.release();
    }
    const { entry, content } = fileEntry('large.log', 5 * 1024 * 1024 + 17);
    for (const lend of [true, false]) {
      const pieces: Buffer[] = [];
      for await (const piece of opener.pieces(entry, () => lend)) {
        assert.equal(misalignment(piece), 0, `a piece, lent ${lend}`);
        pieces.push(Buffer.from(piece));
      }
      assert.ok(Buffer.concat(pieces).equals(content));
    }
  } finally {
    await opener.close();
  }
});
