import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { progressReporter } from './progress.js';

describe('the progress line', () => {
  const base = { pass: 'detect' as const, files: 4, totalFiles: 4, bytes: 3 * 1024 * 1024, totalBytes: 3 * 1024 * 1024 };

  it('counts files and bytes of a scan in one process', () => {
    const lines: string[] = [];
    progressReporter(true, { isTTY: false, write: (t: string) => lines.push(t) }).update(base);
    assert.deepEqual(lines, ['reading: 4/4 files, 3/3 MB\n']);
  });

  it("shows a queued scan's jobs in workers' hands and waiting to be retried", () => {
    const lines: string[] = [];
    progressReporter(true, { isTTY: false, write: (t: string) => lines.push(t) }).update({ ...base, queue: { busy: 2, retrying: 1 } });
    assert.deepEqual(lines, ['reading: 4/4 files, 3/3 MB, 2 job(s) in hand by workers, 1 waiting to be retried\n']);
  });

  it('says nothing when quiet', () => {
    const lines: string[] = [];
    progressReporter(false, { isTTY: false, write: (t: string) => lines.push(t) }).update(base);
    assert.deepEqual(lines, []);
  });
});
