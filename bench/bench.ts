// Benchmark: exir scan beside grep (one literal), ripgrep (the literals exir's rules pre-filter on) and,
// for event logs, libevtx's evtxexport, on a generated evidence bundle of at least 1 GB, at three sizes,
// and on a second bundle of the same size where the attackers' addresses are in most logs.
//   npm run bench                  # 1024 MiB, default seed
//   npm run bench -- --size-mb 200 --seed 7
// The bundle goes to <repo>/bench-data/ and is reused while seed, size and generator are unchanged.
// ripgrep and evtxexport are Debian's `ripgrep` and `libevtx-utils`; a missing one is said, not fatal.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_SEED, generateDemo } from '../src/demo/generate.js';
import { ensureEvtxData } from './evtx-data.js';
import { shippedLiterals } from './literals.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const dataDir = join(repo, 'bench-data');
/** The same seed and size with the attackers knocking in most hours' logs: the follow pass reads most files again. */
const everywhereDir = join(repo, 'bench-data-everywhere');
const TIME = '/usr/bin/time';

interface Marker {
  seed: number;
  sizeMb: number;
  generator: string;
  bytes: number;
  files: number;
  /** How long generating the bundle took, in seconds. */
  generatedIn: number;
  /** Set for the bundle where the attackers' addresses are in most logs. */
  attackerEverywhere?: boolean;
}

interface Run {
  seconds: number;
  /** User plus system CPU seconds, when GNU time could measure them. */
  cpu: number | undefined;
  /** Peak resident set in KiB, when GNU time could measure it. */
  rssKb: number | undefined;
  code: number;
  stderr: string;
}

interface Measure {
  label: string;
  bytes: number;
  runs: Run[];
  failed: Run | undefined;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** A digest of the generator's source, so a changed generator never reuses an old bundle. */
async function generatorFingerprint(): Promise<string> {
  const dir = join(repo, 'src', 'demo');
  const names = (await readdir(dir)).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).sort();
  const h = createHash('sha256');
  for (const n of names) h.update(n).update(await readFile(join(dir, n)));
  return h.digest('hex').slice(0, 16);
}

async function readMarker(markerPath: string): Promise<Marker | undefined> {
  try {
    return JSON.parse(await readFile(markerPath, 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? await folderBytes(p) : (await stat(p)).size;
  }
  return total;
}

/** The bundle for these settings, generated unless one is there already (`reused`). */
async function ensureData(dataDir: string, seed: number, sizeMb: number, attackerEverywhere = false): Promise<Marker & { reused: boolean }> {
  const generator = await generatorFingerprint();
  const markerPath = join(dataDir, '.bench-marker.json');
  const old = await readMarker(markerPath);
  if (
    old &&
    old.seed === seed &&
    old.sizeMb === sizeMb &&
    old.generator === generator &&
    old.generatedIn > 0 &&
    (old.attackerEverywhere ?? false) === attackerEverywhere
  ) {
    log(`reusing ${dataDir} (${(old.bytes / 1e6).toFixed(0)} MB, seed ${seed})`);
    return { ...old, reused: true };
  }
  // The bundle folders belong to this script (they are git-ignored); anything else in one is an old bundle.
  await rm(dataDir, { recursive: true, force: true });
  log(`generating ${sizeMb} MiB into ${dataDir} (seed ${seed}${attackerEverywhere ? ', attackers everywhere' : ''}) ...`);
  const started = performance.now();
  const result = await generateDemo({ outDir: dataDir, seed, targetBytes: sizeMb * 1024 * 1024, attackerEverywhere });
  const seconds = (performance.now() - started) / 1000;
  log(
    `generated ${(result.bytes / 1e6).toFixed(1)} MB in ${result.files.length} files in ${seconds.toFixed(1)} s ` +
      `(${(result.bytes / 1e6 / seconds).toFixed(1)} MB/s, this process's RSS now ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB)`,
  );
  const marker: Marker = {
    seed,
    sizeMb,
    generator,
    bytes: result.bytes,
    files: result.files.length,
    generatedIn: seconds,
    ...(attackerEverywhere ? { attackerEverywhere } : {}),
  };
  await writeFile(markerPath, `${JSON.stringify(marker, null, 2)}\n`);
  return { ...marker, reused: false };
}

function run(command: string, args: string[], useTime: boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const argv = useTime ? ['-f', '%e %U %S %M', command, ...args] : args;
    const started = performance.now();
    const child = spawn(useTime ? TIME : command, argv, { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 1_000_000) stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      let rssKb: number | undefined;
      let cpu: number | undefined;
      if (useTime) {
        const lines = stderr.trimEnd().split('\n');
        const last = lines.pop() ?? '';
        const m = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(last);
        if (m) {
          cpu = Number(m[2]) + Number(m[3]);
          rssKb = Number(m[4]);
          // GNU time adds its own line when the command fails; keep only the command's stderr.
          if (lines.at(-1)?.startsWith('Command exited with non-zero status')) lines.pop();
          stderr = lines.join('\n');
        }
      }
      resolve({ seconds, cpu, rssKb, code: code ?? -1, stderr });
    });
  });
}

/** One warm-up, then `times` timed runs; stops at the first failure. */
async function measure(
  label: string,
  bytes: number,
  command: string,
  args: string[],
  ok: (code: number, stderr: string) => boolean,
  useTime: boolean,
  warmUp: boolean,
  times = 3,
): Promise<Measure> {
  const result: Measure = { label, bytes, runs: [], failed: undefined };
  for (let i = warmUp ? -1 : 0; i < times; i++) {
    log(`  ${label}: ${i < 0 ? 'warm-up' : `run ${i + 1}/${times}`}`);
    const r = await run(command, args, useTime);
    if (!ok(r.code, r.stderr)) {
      result.failed = r;
      return result;
    }
    if (i >= 0) result.runs.push(r);
  }
  return result;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function peakRss(m: Measure): number | undefined {
  const rss = m.runs.map((r) => r.rssKb).filter((v): v is number => v !== undefined);
  return rss.length ? Math.max(...rss) : undefined;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function medianOf(m: Measure, what: 'seconds' | 'cpu'): number | undefined {
  if (m.failed || m.runs.length === 0) return undefined;
  const values = m.runs.map((r) => r[what]).filter((v): v is number => v !== undefined);
  return values.length ? median(values) : undefined;
}

function row(m: Measure): string {
  const mb = m.bytes / 1e6;
  if (m.failed || m.runs.length === 0) return `${pad(m.label, 56)}failed (exit ${m.failed?.code ?? '?'})`;
  const wall = medianOf(m, 'seconds') ?? 0;
  const cpu = medianOf(m, 'cpu');
  const rss = peakRss(m);
  return (
    pad(m.label, 56) +
    pad(`${mb.toFixed(0)} MB`, 10) +
    pad(wall.toFixed(2), 8) +
    pad(cpu === undefined ? 'n/a' : cpu.toFixed(2), 8) +
    pad((mb / wall).toFixed(1), 9) +
    (rss === undefined ? 'n/a' : `${(rss / 1024).toFixed(0)} MiB`)
  );
}

/** `exir / peer`, CPU and wall, for one size; empty when either did not finish. */
function ratio(exir: Measure, peer: Measure | undefined): string {
  if (!peer) return '';
  const parts: string[] = [];
  for (const what of ['cpu', 'seconds'] as const) {
    const a = medianOf(exir, what);
    const b = medianOf(peer, what);
    if (a !== undefined && b !== undefined && b > 0) parts.push(`${what === 'cpu' ? 'CPU' : 'wall'} ${(a / b).toFixed(1)}x`);
  }
  return parts.length ? `${exir.label} / ${peer.label}: ${parts.join(', ')}` : '';
}

function installed(command: string): boolean {
  return !spawnSync(command, ['--version'], { stdio: 'ignore' }).error;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'size-mb': { type: 'string' }, seed: { type: 'string' } },
    allowPositionals: false,
  });
  const sizeMb = values['size-mb'] === undefined ? 1024 : Number(values['size-mb']);
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (!Number.isFinite(sizeMb) || sizeMb <= 0) throw new Error(`--size-mb must be a positive number, not ${values['size-mb']}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, not ${values.seed}`);

  const marker = await ensureData(dataDir, seed, sizeMb);
  const everywhere = await ensureData(everywhereDir, seed, sizeMb, true);
  const useTime = await exists(TIME);
  if (!useTime) log(`${TIME} not found: measuring wall time only, no peak RSS`);
  const rg = installed('rg');
  const evtxexport = installed('evtxexport');
  if (!rg) log('ripgrep (rg) not installed (Debian: apt-get install ripgrep): no ripgrep figure');
  if (!evtxexport) log('evtxexport not installed (Debian: apt-get install libevtx-utils): no evtxexport figure');
  const scratch = await mkdtemp(join(tmpdir(), 'exir-bench-'));
  const literalsFile = join(scratch, 'literals.txt');
  const literals = await shippedLiterals();
  await writeFile(literalsFile, `${literals.join('\n')}\n`);

  // exit 0: nothing found, 1: findings; both are a completed scan. Node also exits 1 on an
  // uncaught error (exir not built, a crash), which must not pass for a scan: look at stderr too.
  const crashed = (stderr: string): boolean => /^\s+at |ERR_MODULE_NOT_FOUND|Cannot find module|^node:internal/m.test(stderr);
  const exirOk = (c: number, stderr: string): boolean => c === 0 || (c === 1 && !crashed(stderr));
  const found = (c: number): boolean => c === 0 || c === 1;

  // Three sizes, each a folder of the same bundle: the whole, one server, one server's IIS logs.
  const sizes = ['bench-data', join('bench-data', 'EX01'), join('bench-data', 'EX01', 'inetpub')];
  const groups: { grep: Measure; rg: Measure | undefined; exir: Measure }[] = [];
  for (const dir of sizes) {
    const bytes = dir === 'bench-data' ? marker.bytes : await folderBytes(join(repo, dir));
    const first = groups.length === 0;
    const grep = await measure(`grep -c -r ServerInfo~ ${dir}`, bytes, 'grep', ['-c', '-r', 'ServerInfo~', dir], found, useTime, first);
    const rgRun = rg
      ? await measure(`rg -c -i -F -f LITERALS -j 2 ${dir}`, bytes, 'rg', ['-c', '-i', '-F', '-f', literalsFile, '-j', '2', dir], found, useTime, first)
      : undefined;
    const exir = await measure(`exir scan ${dir}`, bytes, process.execPath, ['bin/exir.js', 'scan', dir, '--json', '/dev/null'], exirOk, useTime, first);
    groups.push({ grep, rg: rgRun, exir });
  }
  // The attackers in most logs: the follow pass reads nearly every HttpProxy log again, record by
  // record for their addresses. Its own cache is cold after the first bundle: a warm-up each.
  const spreadLabel = 'bench-data-everywhere';
  const spreadRg = rg
    ? await measure(
        `rg -c -i -F -f LITERALS -j 2 ${spreadLabel}`,
        everywhere.bytes,
        'rg',
        ['-c', '-i', '-F', '-f', literalsFile, '-j', '2', spreadLabel],
        found,
        useTime,
        true,
      )
    : undefined;
  const spreadExir = await measure(
    `exir scan ${spreadLabel}`,
    everywhere.bytes,
    process.execPath,
    ['bin/exir.js', 'scan', spreadLabel, '--json', '/dev/null'],
    exirOk,
    useTime,
    true,
  );

  // Event logs: one large .evtx made of the public samples' chunks, scanned with every shipped rule on.
  const evtx = await ensureEvtxData(join(repo, '..', 'shared', 'corpus'), join(repo, 'bench-data-evtx'), 256 * 1024 * 1024);
  let evtxRun: Measure | undefined;
  let evtxPeer: Measure | undefined;
  let evtxEvents: number | undefined;
  if (evtx) {
    evtxRun = await measure(
      'exir scan (.evtx)',
      evtx.bytes,
      process.execPath,
      ['bin/exir.js', 'scan', 'bench-data-evtx', '--json', join(repo, 'bench-data-evtx.json')],
      exirOk,
      useTime,
      true,
    );
    // The file's header counts only its first sample's chunks: libevtx calls the copies after them
    // recovered records and exports them only with `-m all`, so that every event is read, as exir does.
    if (evtxexport) {
      evtxPeer = await measure(
        'evtxexport -f xml -m all (.evtx)',
        evtx.bytes,
        'evtxexport',
        ['-f', 'xml', '-m', 'all', evtx.path],
        (c) => c === 0,
        useTime,
        true,
      );
    }
    try {
      const result = JSON.parse(await readFile(join(repo, 'bench-data-evtx.json'), 'utf8')) as { evidence: { records: number }[] };
      evtxEvents = result.evidence.reduce((n, e) => n + e.records, 0);
    } catch {
      evtxEvents = undefined;
    }
  } else {
    log('  ../shared/corpus/evtx-attack-samples not found: no EVTX figure');
  }
  await rm(scratch, { recursive: true, force: true });

  const all = [...groups.flatMap((g) => [g.grep, g.rg, g.exir]), spreadRg, spreadExir, evtxRun, evtxPeer].filter((m): m is Measure => m !== undefined);
  const out: string[] = [];
  out.push('');
  out.push(`exir bench: ${(marker.bytes / 1e6).toFixed(0)} MB in ${marker.files} files, seed ${seed}; node ${process.version}, ${cpus().length} CPUs`);
  out.push(
    `bundle generated in ${marker.generatedIn.toFixed(1)} s (${(marker.bytes / 1e6 / marker.generatedIn).toFixed(1)} MB/s) by src/demo/generate.ts` +
      (marker.reused ? ', when it was made (this run reused it)' : ''),
  );
  out.push(
    `bench-data-everywhere: the same seed and size with the attackers' addresses in most hours' logs (attackerEverywhere), ` +
      `${(everywhere.bytes / 1e6).toFixed(0)} MB in ${everywhere.files} files`,
  );
  out.push(`median of 3 runs after one warm-up (the smaller sizes reuse the warm cache)${useTime ? '' : '; wall time only (no GNU time)'}`);
  out.push(
    `LITERALS: the ${literals.length} literals of exir's pre-filter; ripgrep ${rg ? 'installed' : 'not installed'}, evtxexport ${evtxexport ? 'installed' : 'not installed'}`,
  );
  out.push('');
  out.push(pad('command', 56) + pad('input', 10) + pad('wall s', 8) + pad('CPU s', 8) + pad('MB/s', 9) + 'peak RSS');
  out.push('-'.repeat(102));
  for (const m of all) out.push(row(m));
  out.push('');
  for (const g of groups) for (const line of [ratio(g.exir, g.rg), ratio(g.exir, g.grep)]) if (line) out.push(line);
  const spreadLine = ratio(spreadExir, spreadRg);
  if (spreadLine) out.push(spreadLine);
  if (evtxRun && evtxPeer) {
    const line = ratio(evtxRun, evtxPeer);
    if (line) out.push(line);
  }
  if (evtxRun && !evtxRun.failed && evtxRun.runs.length && evtxEvents !== undefined) {
    const secs = median(evtxRun.runs.map((r) => r.seconds));
    out.push(
      `exir .evtx: ${(evtxRun.bytes / 1e6 / secs).toFixed(1)} MB/s, ${Math.round(evtxEvents / secs)} events/s (${evtxEvents} events, whole process, every shipped rule on)`,
    );
  }
  const rss = groups.map((g) => ({ mb: g.exir.bytes / 1e6, rss: peakRss(g.exir) }));
  if (rss.every((r) => r.rss !== undefined)) {
    out.push(`exir peak RSS: ${rss.map((r) => `${((r.rss ?? 0) / 1024).toFixed(0)} MiB on ${r.mb.toFixed(0)} MB`).join(', ')}`);
  }
  for (const m of all) {
    if (!m.failed) continue;
    out.push('');
    out.push(`${m.label} failed with exit code ${m.failed.code}; its stderr:`);
    const lines = m.failed.stderr.trimEnd().split('\n');
    out.push(...lines.slice(0, 30).map((l) => `  ${l}`));
    if (lines.length > 30) out.push(`  ... (${lines.length - 30} more lines)`);
    if (m.label.startsWith('exir') && /dist\/cli\/main\.js|Cannot find module/.test(m.failed.stderr)) {
      out.push('  (bin/exir.js runs the built code: `npm run build` first)');
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
