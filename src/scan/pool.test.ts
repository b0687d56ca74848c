import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { startWorker } from './pool.js';

test("a scan worker's young generation is held small: V8's default of 48 MiB per thread was what a second reader added to peak memory", async () => {
  const worker = startWorker({});
  try {
    await once(worker, 'online');
    const young = worker.resourceLimits?.maxYoungGenerationSizeMb;
    assert.ok(young !== undefined && young > 0 && young <= 8, `young generation ${young} MiB`);
  } finally {
    await worker.terminate();
  }
});
