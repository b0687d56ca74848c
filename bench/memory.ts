// Peak memory of `exir scan` by evidence size: a demo bundle generated at each size, scanned once
// under GNU time, then deleted (4 GB of logs is not kept lying about).
//   npm run bench:memory                          # 100, 1024 and 4096 MiB
//   npm run bench:memory -- --sizes 100,1024
//   npm run bench:memory -- --threads 1            # exir's --threads (default: exir's own default)
// The bundles go to <repo>/bench-data-memory/ (git-ignored). Check the free space first: the
// largest size is written whole before it is scanned.
import { spawn } from 'node:child_process';
import { rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_SEED, generateDemo } from '../src/demo/generate.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const dir = join(repo, 'bench-data-memory');

export interface MemoryRow {
  sizeMb: number;
  bytes: number;
  files: number;
  wall: number;
  cpu: number;
  rssMiB: number;
  code: number;
}

function timedScan(target: string, threads: number | undefined): Promise<{ wall: number; cpu: number; rssMiB: number; code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      '/usr/bin/time',
      ['-f', '%e %U %S %M', process.execPath, 'bin/exir.js', 'scan', target, '--json', '/dev/null', ...(threads ? ['--threads', String(threads)] : [])],
      {
        cwd: repo,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      stderr = (stderr + s).slice(-20_000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(stderr);
      if (!m) return reject(new Error(`no GNU time figures for ${target}: ${stderr.slice(-500)}`));
      resolve({ wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMiB: Number(m[4]) / 1024, code: code ?? -1, stderr });
    });
  });
}

/** The demo generator's file names run out past about 1 GiB: larger sizes are 1 GiB bundles of other seeds side by side. */
const PART_MB = 1024;

async function generate(sizeMb: number): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  const parts = Math.ceil(sizeMb / PART_MB);
  for (let k = 0; k < parts; k++) {
    const part = Math.min(PART_MB, sizeMb - k * PART_MB);
    const made = await generateDemo({ outDir: parts === 1 ? dir : join(dir, `part-${k + 1}`), seed: DEFAULT_SEED + k, targetBytes: part * 1024 * 1024 });
    bytes += made.bytes;
    files += made.files.length;
  }
  return { bytes, files };
}

/** Generates, scans and deletes one bundle per size, smallest first; stops at a scan that crashes. */
export async function measureMemory(sizes: number[], log: (line: string) => void, threads?: number): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  for (const sizeMb of [...sizes].sort((a, b) => a - b)) {
    const fs = await statfs(repo);
    const free = fs.bavail * fs.bsize;
    if (free < sizeMb * 1024 * 1024 * 1.5) {
      log(`memory: ${sizeMb} MiB skipped, only ${(free / 2 ** 30).toFixed(1)} GiB free`);
      continue;
    }
    await rm(dir, { recursive: true, force: true });
    log(`memory: generating ${sizeMb} MiB into ${dir} ...`);
    const made = await generate(sizeMb);
    try {
      log(`memory: scanning ${(made.bytes / 1e6).toFixed(0)} MB in ${made.files} files ...`);
      const r = await timedScan(dir, threads);
      // 0 and 1 are a finished scan (1: findings); anything else is a failure to show, not a figure.
      if (r.code !== 0 && r.code !== 1) throw new Error(`exir scan of ${sizeMb} MiB exited ${r.code}: ${r.stderr.slice(-2000)}`);
      rows.push({ sizeMb, bytes: made.bytes, files: made.files, wall: r.wall, cpu: r.cpu, rssMiB: r.rssMiB, code: r.code });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

export function memoryTable(rows: MemoryRow[]): string[] {
  const out = ['exir scan peak RSS by evidence size (demo bundle, one run each):', 'size      files    wall s   CPU s    peak RSS'];
  for (const r of rows) {
    out.push(
      `${`${(r.bytes / 1e6).toFixed(0)} MB`.padEnd(10)}${String(r.files).padEnd(9)}${r.wall.toFixed(1).padEnd(9)}${r.cpu.toFixed(1).padEnd(9)}${r.rssMiB.toFixed(0)} MiB`,
    );
  }
  return out;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100,1024,4096' }, threads: { type: 'string' } } });
  const sizes = values.sizes.split(',').map(Number);
  if (sizes.some((s) => !Number.isFinite(s) || s <= 0)) throw new Error(`--sizes takes sizes in MiB, such as 100,1024,4096, not ${values.sizes}`);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) throw new Error(`--threads takes a count of threads, not ${values.threads}`);
  const rows = await measureMemory(sizes, (l) => process.stderr.write(`${l}\n`), threads);
  process.stdout.write(`${memoryTable(rows).join('\n')}\n`);
}
