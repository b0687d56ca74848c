// Scale-out bench: the same bundle scanned in one process and through the queue with 1 and 2
// worker processes, in the same run, and the queue's cost per file on many tiny files (batched into jobs as a real run is).
//   npm run bench:scale                    # 1024 MiB demo bundle
//   npm run bench:scale -- --size-mb 200
// Needs Redis (EXIR_BENCH_REDIS, default redis://127.0.0.1:6379/15 with its own key prefix; that database is emptied) and PostgreSQL
// (EXIR_BENCH_PG, default postgres://postgres@127.0.0.1:5432/postgres; a database is made and dropped).
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Redis } from 'ioredis';
import { generateDemo } from '../src/demo/generate.js';
import { ResultStore } from '../src/scan/queue/results.js';
import { iisLog } from '../src/scan/test-helpers.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(repo, 'bin', 'exir.js');
const { values } = parseArgs({ options: { 'size-mb': { type: 'string', default: '1024' }, tiny: { type: 'string', default: '2000' } } });
const sizeMb = Number(values['size-mb']);
const tinyFiles = Number(values.tiny);
const redisUrl = process.env.EXIR_BENCH_REDIS ?? 'redis://127.0.0.1:6379/15?prefix=exir-bench';
const pgAdmin = process.env.EXIR_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = 'exir_bench_scale';
const dbUrl = (() => {
  const u = new URL(pgAdmin);
  u.pathname = `/${database}`;
  return u.toString();
})();

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgAdmin });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function timed(args: string[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  const code = await new Promise<number | null>((resolve) => {
    spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'inherit'] }).on('exit', resolve);
  });
  if (code !== 0 && code !== 1) throw new Error(`exir ${args.join(' ')} exited ${String(code)}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function workers(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, [BIN, 'worker', '--queue', redisUrl, '--db', dbUrl], { stdio: 'ignore' }));
}

async function stop(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
}

async function main(): Promise<void> {
  const redis = new Redis(redisUrl.replace(/\?.*$/, ''));
  await redis.flushdb();
  redis.disconnect();
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${database}`);
  const dir = join(repo, 'bench-data-scale');
  await rm(dir, { recursive: true, force: true });
  log(`generating ${sizeMb} MiB …`);
  const demo = await generateDemo({ outDir: join(dir, 'demo'), targetBytes: sizeMb * 1024 * 1024 });
  const tiny = join(dir, 'tiny');
  await mkdir(tiny, { recursive: true });
  for (let i = 0; i < tinyFiles; i++) {
    await writeFile(
      join(tiny, `u_ex${String(i).padStart(6, '0')}.log`),
      iisLog([`2021-03-03 02:10:11 10.0.0.5 GET /owa/ - 443 - 198.51.100.7 Mozilla/5.0 - 200 0 0 ${i}`]),
    );
  }
  const scanArgs = (input: string, queued: boolean): string[] => [
    'scan',
    input,
    '-q',
    '--json',
    '/dev/null',
    ...(queued ? ['--queue', redisUrl, '--db', dbUrl] : []),
  ];
  const rows: [string, number][] = [];
  rows.push([`one process, ${demo.files.length} files`, await timed(scanArgs(join(dir, 'demo'), false))]);
  for (const n of [1, 2]) {
    const ws = workers(n);
    rows.push([`queue, ${n} worker process(es)`, await timed(scanArgs(join(dir, 'demo'), true))]);
    await stop(ws);
  }
  // One large log: read whole by one worker, or cut into byte ranges that two workers share.
  const bigMb = Math.max(8, Math.round(sizeMb / 2));
  const big = join(dir, 'big', 'u_ex210303.log');
  await mkdir(join(dir, 'big'), { recursive: true });
  const line = '2021-03-03 02:10:11 10.0.0.5 GET /owa/auth/logon.aspx replaceCurrent=1 443 - 198.51.100.7 Mozilla/5.0 - 200 0 0 15';
  // Written a block at a time: one string of the whole log passes V8's string limit past ~500 MiB.
  const total = Math.ceil((bigMb * 1024 * 1024) / (line.length + 2));
  const block = `${Array.from({ length: 10_000 }, () => line).join('\r\n')}\r\n`;
  await writeFile(big, iisLog([line]));
  for (let n = 1; n < total; n += 10_000)
    await appendFile(big, n + 10_000 <= total ? block : `${Array.from({ length: total - n }, () => line).join('\r\n')}\r\n`);
  const rangeMb = Math.max(1, Math.round(bigMb / 8));
  const bigRows: [string, number][] = [];
  bigRows.push([`one process, one ${bigMb} MiB log`, await timed(scanArgs(big, false))]);
  for (const [label, size] of [
    ['queue, 2 workers, the log one job', bigMb * 2],
    [`queue, 2 workers, ranges of ${rangeMb} MiB`, rangeMb],
  ] as const) {
    const ws = workers(2);
    bigRows.push([label, await timed([...scanArgs(big, true), '--range-size', String(size)])]);
    await stop(ws);
  }

  const single = await timed(scanArgs(tiny, false));
  const ws = workers(1);
  const queued = await timed(scanArgs(tiny, true));
  await stop(ws);

  // How fast PostgreSQL takes results, one transaction per job as the workers write them.
  const store = await ResultStore.open(dbUrl);
  const finding = {
    ruleId: 'x',
    title: 't',
    cves: ['CVE-2021-26855'],
    stage: 'probe',
    severity: 'low',
    time: '2021-03-03T02:10:11.000Z',
    server: 'EX01',
    clientIp: '198.51.100.7',
    user: undefined,
    origin: { path: 'p', line: 1, offset: 0 },
    fields: { 'cs-uri-stem': '/owa/' },
  };
  const perJob = 100;
  const jobs = 300;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: 4 }, async (_, lane) => {
      for (let i = lane; i < jobs; i += 4) {
        await store.put([
          {
            runId: 'bench',
            round: 1,
            idx: i,
            firm: 'bench',
            path: `f${i}`,
            bytes: 1,
            worker: 'bench',
            ms: 1,
            result: {
              kind: 'detect',
              result: {
                evidence: {
                  path: `f${i}`,
                  sha256: '',
                  kind: 'iis',
                  server: 'EX01',
                  size: 1,
                  records: 1,
                  badRecords: 0,
                  firstTime: undefined,
                  lastTime: undefined,
                  badSamples: [],
                },
                findings: Array.from({ length: perJob }, () => finding) as never,
                warnings: [],
              },
            },
          },
        ]);
      }
    }),
  );
  const pgSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await store.close();

  const base = rows[0]?.[1] ?? 1;
  log('');
  log(`| run | ${(demo.bytes / 1e6).toFixed(0)} MB | wall | relative |`);
  log('|---|---|---|---|');
  for (const [label, s] of rows) log(`| ${label} | | ${s.toFixed(1)} s | ${(s / base).toFixed(2)} |`);
  log('');
  const bigBase = bigRows[0]?.[1] ?? 1;
  log('| run, one large log | wall | relative |');
  log('|---|---|---|');
  for (const [label, sec] of bigRows) log(`| ${label} | ${sec.toFixed(1)} s | ${(sec / bigBase).toFixed(2)} |`);
  log('');
  log(
    `queue cost per file, batched (${tinyFiles} one-line files, 1 worker): ${(((queued - single) / tinyFiles) * 1000).toFixed(1)} ms (one process ${single.toFixed(1)} s, queued ${queued.toFixed(1)} s)`,
  );
  log(
    `PostgreSQL result writes: ${(jobs / pgSeconds).toFixed(0)} jobs/s, ${((jobs * perJob) / pgSeconds).toFixed(0)} findings/s (${perJob} findings a job, 4 writers)`,
  );
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await rm(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(2);
});
