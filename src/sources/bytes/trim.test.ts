// trimFreedMemory gives back what the C allocator holds free: a read buffer's worth of freed blocks
// below one still in use stay resident until then (the end of each pass of a scan calls it).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { nativeMissing, skipIf } from '../../test-support/skips.js';

// In a process of its own: the garbage collector must be called, and the test runner's own memory kept out.
const CHILD = `
import { readFileSync } from 'node:fs';
import { trimFreedMemory } from ${JSON.stringify(new URL('./native.ts', import.meta.url).href)};
const rss = () => Number(/VmRSS:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
// 3,000 buffers of 64 KiB, each one the allocator's, not a map of its own; the last stays in use.
let held = Array.from({ length: 3000 }, () => Buffer.alloc(64 * 1024, 1));
const last = held[held.length - 1];
held = undefined;
for (let i = 0; i < 3; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 50)); }
const freed = rss();
trimFreedMemory();
process.stdout.write(JSON.stringify({ freed, trimmed: rss(), kept: last.length }));
`;

test('memory a pass has freed is given back to the system, not kept resident', (t) => {
  // glibc's malloc_trim, and the resident size read from /proc: Linux.
  if (skipIf(t, 'native', nativeMissing() ?? (process.platform === 'linux' ? undefined : `no trim on ${process.platform}`))) return;
  const repo = fileURLToPath(new URL('../../../', import.meta.url));
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', CHILD], { cwd: repo, encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  const { freed, trimmed } = JSON.parse(child.stdout) as { freed: number; trimmed: number };
  // 187 MiB were freed; before the trim they are still resident.
  assert.ok(freed - trimmed > 100, `resident ${freed.toFixed(0)} MiB before the trim, ${trimmed.toFixed(0)} MiB after`);
});
