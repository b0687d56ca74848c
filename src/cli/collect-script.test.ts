import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const BIN = fileURLToPath(new URL('../../bin/exir.js', import.meta.url));
const run = promisify(execFile);

async function exir(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('exir collect-script writes the script for the window asked', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exir-cs-'));
  try {
    const out = join(dir, 'c.ps1');
    const r = await exir(['collect-script', '--from', '2021-02-20', '--to', '2021-03-31', '--max-mb', '512', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const script = await readFile(out, 'utf8');
    assert.match(script, /\[datetime\]\$From = '2021-02-20T00:00:00\.000Z'/);
    assert.match(script, /\[datetime\]\$To = '2021-03-31T00:00:00\.000Z'/);
    assert.match(script, /\$MaxTotalMB = 512\r\n/);
    assert.match(r.stderr, /collects 2021-02-20T00:00:00\.000Z to 2021-03-31/);
    const stdout = await exir(['collect-script', '--days', '7']);
    assert.equal(stdout.code, 0);
    assert.match(stdout.stdout, /^<#\r\n\.SYNOPSIS/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('exir collect-script refuses wrong arguments with exit 2 and the reason', async () => {
  for (const [args, reason] of [
    [['--days', '7', '--from', '2021-03-01'], /either --days or --from/],
    [['--from', '2021-03-10', '--to', '2021-03-01'], /must be after/],
    [['--to', '2021-03-01'], /--to needs --from/],
    [['--from', 'yesterday'], /expected a date/],
    [['--days', '0'], /at least 1/],
  ] as const) {
    const r = await exir(['collect-script', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, reason);
    assert.equal(r.stdout, '');
  }
});
