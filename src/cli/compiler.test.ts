import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The CLI narrows what V8's optimising compiler inlines (compiler.ts). A child process optimises a
// caller of a 419-byte function, which V8 inlines by default (under 460 bytes for one, 920 in all)
// and must not once the CLI has started (over 300 in all): V8 says which it did.

const MAIN = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'main.ts')).href;
const dir = mkdtempSync(join(tmpdir(), 'exir-compiler-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function probe(startCli: boolean): string {
  const steps = Array.from({ length: 26 }, (_, i) => `s = (s * 31 + x + ${i}) | 0;`).join('\n');
  const file = join(dir, `probe-${startCli}.mjs`);
  writeFileSync(
    file,
    `${startCli ? `const { main } = await import(${JSON.stringify(MAIN)});\nawait main(['node', 'exir', '--version']);\n` : ''}
const exirProbe = new Function(\`
  function exirProbeCallee(x) { let s = 0; ${steps} return s; }
  function exirProbeCaller(n) { let t = 0; for (let i = 0; i < n; i++) t += exirProbeCallee(i); return t; }
  %PrepareFunctionForOptimization(exirProbeCaller);
  exirProbeCaller(100);
  %OptimizeFunctionOnNextCall(exirProbeCaller);
  return exirProbeCaller(100);
\`);
exirProbe();
`,
  );
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--allow-natives-syntax', '--trace-turbo-inlining', file], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /unrecognized flag/);
  return run.stdout;
}

const INLINED = /Inlining .*exirProbeCallee.* into .*exirProbeCaller/;

test("V8 inlines the probe's callee by default", () => {
  assert.match(probe(false), INLINED);
});

test('once the CLI has started, it does not: the budget is narrowed for the whole process', () => {
  const out = probe(true);
  assert.match(out, /Considering .*exirProbeCallee/, 'the callee was a candidate');
  assert.doesNotMatch(out, INLINED);
});
