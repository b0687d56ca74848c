import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cutBatches } from './batches.js';

describe('cutting a round into queue jobs', () => {
  const limits = { maxBytes: 100, maxFiles: 4, minBatches: 1 };

  it('puts small files many to a job, closing a job at its count of files', () => {
    assert.deepEqual(cutBatches([1, 1, 1, 1, 1, 1], limits), [
      [0, 1, 2, 3],
      [4, 5],
    ]);
  });

  it('closes a job at its size in bytes, and gives a file bigger than that a job of its own', () => {
    assert.deepEqual(cutBatches([60, 30, 20, 500, 10], limits), [[0, 1], [2], [3], [4]]);
  });

  it('cuts a small round into enough jobs for every worker to have a share', () => {
    const batches = cutBatches(
      Array.from({ length: 40 }, () => 1),
      { maxBytes: 1000, maxFiles: 100, minBatches: 8 },
    );
    assert.equal(batches.length, 8);
    assert.deepEqual(
      batches.flat(),
      Array.from({ length: 40 }, (_, i) => i),
    );
  });

  it('keeps every file exactly once, in order', () => {
    const sizes = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 300);
    assert.deepEqual(cutBatches(sizes, { maxBytes: 1000, maxFiles: 16, minBatches: 4 }).flat(), [...sizes.keys()]);
    assert.deepEqual(cutBatches([], limits), []);
  });
});
