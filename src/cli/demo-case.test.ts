import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore } from '../case/index.js';

// `npm run demo` then `exir serve` must open on a case with data in it: the demo records its scan
// in the workspace's store (bin/exir.js over dist/: run `npm run build` after changing src/cli).
const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'exir.js');
const root = mkdtempSync(join(tmpdir(), 'exir-cli-demo-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('the demo records its scan in case demo/proxylogon, and a rerun adds nothing it already holds', async () => {
  const env = { ...process.env, EXIR_WORKSPACE: join(root, 'ws'), EXIR_DB: '', EXIR_FIRM: '' };
  const run = () => spawnSync(process.execPath, [BIN, 'demo', '--out', join(root, 'demo'), '--size-mb', '1', '-q'], { env, encoding: 'utf8' });
  const first = run();
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /recorded in case demo\/proxylogon in .*exir\.db \([1-9]\d* new finding\(s\)\); open it in a browser with: exir serve/);
  const again = run();
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /\(0 new finding\(s\)\)/);
  const store = await openStore(`sqlite:${join(root, 'ws', 'exir.db')}`, { actor: 'test' });
  try {
    const story = await store.story('demo/proxylogon');
    assert.equal(story.servers.find((s) => s.name === 'EX01')?.verdict, 'post-exploitation');
    assert.ok((await store.listSessions('demo/proxylogon'))?.length, 'the sessions the dashboard draws are there');
  } finally {
    await store.close();
  }
});
