import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeZip } from '../evidence/test-helpers/make-zip.js';
import { scan, type ScanProgress } from './run.js';

// A file listing of some megabytes, deflated in a zip: read whole in the pass that checks files that
// are not logs, after the pass that hashed it.
function listing(rows: number): Buffer {
  const lines = ['#TYPE Selected.System.IO.FileInfo', '"FullName","Length","Mode","CreationTimeUtc","LastWriteTimeUtc","SHA256"'];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `"C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\page${i}.htm","1024","-a----","02/03/2020 09:14:03","02/03/2020 09:14:03","${'0'.repeat(64)}"`,
    );
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

test('progress counts the bytes of a zip member as they are inflated, in every pass, never past the total', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-progress-'));
  try {
    const data = listing(40_000);
    const zip = join(dir, 'EX01.zip');
    await writeFile(zip, makeZip([{ name: 'EX01/listing.csv', data, deflate: true }]));
    const seen: ScanProgress[] = [];
    await scan({ inputs: [zip], threads: 1, onProgress: (p) => seen.push({ ...p }) });
    for (const pass of ['detect', 'files'] as const) {
      const mine = seen.filter((p) => p.pass === pass);
      assert.ok(mine.length > 0, pass);
      const total = mine[0]!.totalBytes;
      assert.equal(total, data.length);
      // Before the file is done, its inflated bytes are counted as they come.
      const during = mine.filter((p) => p.files === 0 && p.bytes > 0 && p.bytes < total);
      assert.ok(during.length >= 2, `${pass}: ${during.length} report(s) while the member was inflated`);
      for (let i = 1; i < mine.length; i++) assert.ok(mine[i]!.bytes >= mine[i - 1]!.bytes, `${pass}: bytes never go back`);
      assert.ok(
        mine.every((p) => p.bytes <= total),
        `${pass}: never past the total`,
      );
      assert.deepEqual({ files: mine.at(-1)!.files, bytes: mine.at(-1)!.bytes }, { files: 1, bytes: total });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
