import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scan } from './run.js';

// ASP.NET compiles a page on its first request into App_Web_*.dll under Temporary ASP.NET Files,
// and the DLL outlives the .aspx. The samples are real .NET assemblies built with Mono's mcs from
// rules/yara/compiled-aspx-webshell.tests/source/ (stand-in types, nothing runs), in the shape ASP.NET
// gives a China Chopper page and two pages that are not web shells.
const SAMPLES = fileURLToPath(new URL('../../rules/yara/compiled-aspx-webshell.tests', import.meta.url));
const TEMP = 'EX01/Windows/Microsoft.NET/Framework64/v4.0.30319/Temporary ASP.NET Files/owa/5e1a2b3c/9f8e7d6c';

void test('a compiled China Chopper page in Temporary ASP.NET Files is a web shell that was run; compiled stock-like pages are not findings', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-compiled-'));
  try {
    await mkdir(join(dir, TEMP), { recursive: true });
    await copyFile(join(SAMPLES, 'match', 'App_Web_k2xq0vfa.dll'), join(dir, TEMP, 'App_Web_k2xq0vfa.dll'));
    await copyFile(join(SAMPLES, 'nomatch', 'App_Web_lw3nq0cd.dll'), join(dir, TEMP, 'App_Web_lw3nq0cd.dll'));
    await copyFile(join(SAMPLES, 'nomatch', 'App_Web_p0r9tq1z.dll'), join(dir, TEMP, 'App_Web_p0r9tq1z.dll'));
    const result = await scan({ inputs: [dir], threads: 1 });
    const byFile = result.findings.map((f) => `${f.origin.path.split('/').pop() ?? ''} ${f.fields['yaraRule'] ?? f.ruleId}`);
    assert.deepEqual(byFile, ['App_Web_k2xq0vfa.dll exir_compiled_page_jscript_eval_unsafe']);
    const shell = result.findings[0];
    assert.equal(shell?.stage, 'post-exploitation');
    assert.equal(shell?.server, 'EX01');
    assert.deepEqual(
      result.servers.map((s) => [s.name, s.verdict]),
      [['EX01', 'post-exploitation']],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
