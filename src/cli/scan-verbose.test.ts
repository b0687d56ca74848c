import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { nativeMissing, skipIf } from '../test-support/skips.js';
import { runExirWith } from './test-helpers/run-cli.js';

// `exir scan --verbose` says once which byte search read the logs, so a failed native build is seen.
const IIS =
  '#Software: Microsoft Internet Information Services 10.0\n#Fields: date time cs-method cs-uri-stem c-ip sc-status\n' +
  '2021-03-03 01:00:00 GET /owa/ 10.0.0.9 200\n';

function scanVerbose(env: NodeJS.ProcessEnv): Promise<{ code: number; err: string }> {
  return runExirWith(env, 'scan', dir, '--verbose', '--quiet');
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-verbose-'));
  await writeFile(join(dir, 'u_ex210303.log'), IIS);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const said = (err: string): string[] => err.split('\n').filter((l) => l.startsWith('exir: literal pre-filter:'));

test('scan --verbose says once that the JavaScript search is used when EXIR_NATIVE=0 asks for it', async () => {
  const { code, err } = await scanVerbose({ EXIR_NATIVE: '0' });
  assert.equal(code, 0, err);
  assert.deepEqual(said(err), ['exir: literal pre-filter: JavaScript (EXIR_NATIVE=0)']);
});

test('scan --verbose says once that the native search is used when it is built', async (t) => {
  if (skipIf(t, 'native', nativeMissing())) return;
  const { code, err } = await scanVerbose({});
  assert.equal(code, 0, err);
  const lines = said(err);
  assert.equal(lines.length, 1, err);
  assert.match(lines[0]!, /^exir: literal pre-filter: native, (avx2|ssse3|no SIMD) \(.*exir_scan\.node\)$/);
});

test('scan --verbose says when EXIR_SIMD=scalar keeps the native search from its SIMD filter', async (t) => {
  if (skipIf(t, 'native', nativeMissing())) return;
  const { code, err } = await scanVerbose({ EXIR_SIMD: 'scalar' });
  assert.equal(code, 0, err);
  assert.match(said(err).join('\n'), /^exir: literal pre-filter: native, no SIMD \(.*exir_scan\.node\)$/);
});
