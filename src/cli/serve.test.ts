import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';

// `exir serve` as a person runs it (bin/exir.js over dist/: run `npm run build` after changing src/web).
const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'exir.js');
const ws = mkdtempSync(join(tmpdir(), 'exir-cli-serve-'));
after(() => rmSync(ws, { recursive: true, force: true }));

test('--bind beyond loopback without a token file or users is refused, exit 2', () => {
  const r = spawnSync(process.execPath, [BIN, 'serve', '--bind', '0.0.0.0', '--workspace', ws], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--bind 0\.0\.0\.0 would open the cases to the network: give --token-file or --users/);
  assert.equal(r.stdout, '');
});

test('--hash-password prints a bcrypt hash of the password on stdin, and refuses a short one', async () => {
  const r = spawnSync(process.execPath, [BIN, 'serve', '--hash-password'], { input: 'a long enough password\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const hash = r.stdout.trim();
  assert.ok(await bcrypt.compare('a long enough password', hash));
  const short = spawnSync(process.execPath, [BIN, 'serve', '--hash-password'], { input: 'short\n', encoding: 'utf8' });
  assert.equal(short.status, 2);
  assert.match(short.stderr, /at least 12 characters/);
});

test('serve prints one link with the token; without it every page is 401; it stops cleanly', async () => {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--workspace', ws], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const link = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    const base = new URL(link).origin;
    assert.equal((await fetch(`${base}/`)).status, 401);
    const first = await fetch(link, { redirect: 'manual' });
    assert.equal(first.status, 303);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const home = await fetch(`${base}/`, { headers: { cookie } });
    assert.equal(home.status, 200);
    assert.match(await home.text(), /No cases yet/);
  } finally {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  }
});
