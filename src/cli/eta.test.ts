import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EtaEstimator, formatEta } from './eta.js';

const MB = 1024 * 1024;

test('on a bundle whose rate swings 10x second by second, the time left moves smoothly', () => {
  const total = 600 * MB;
  const eta = new EtaEstimator();
  let bytes = 0;
  const seen: number[] = [];
  for (let s = 0; s <= 60; s += 1) {
    // Alternating: a second of small logs at 2 MB/s, then a large one at 20 MB/s (11 MB/s on average).
    if (s > 0) bytes += (s % 2 === 0 ? 20 : 2) * MB;
    const left = eta.update(s * 1000, bytes, total);
    if (s >= 10 && left !== undefined) seen.push(left);
  }
  // What a last-second estimate would show swings between (left / 2 MB/s) and (left / 20 MB/s);
  // the smoothed one changes by little more than the second that passed.
  for (let i = 1; i < seen.length; i += 1) {
    const step = Math.abs((seen[i] ?? 0) - (seen[i - 1] ?? 0));
    assert.ok(step < 8, `time left jumped by ${step.toFixed(1)} s at sample ${i}`);
  }
  const last = seen[seen.length - 1] ?? 0;
  const truth = (total - bytes) / (11 * MB);
  assert.ok(Math.abs(last - truth) / truth < 0.25, `estimate ${last.toFixed(0)} s, true ${truth.toFixed(0)} s`);
});

test('the time left is unknown until there is a rate, and restarts with a new pass', () => {
  const eta = new EtaEstimator();
  assert.equal(eta.update(0, 0, 100), undefined);
  assert.equal(eta.update(1000, 10, 100), 9);
  assert.equal(eta.update(2000, 0, 50), undefined, 'bytes went back: a new pass');
  assert.equal(formatEta(undefined), '…');
  assert.equal(formatEta(65), '1m 05s');
  assert.equal(formatEta(3700), '1h 01m');
});
