import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { ScanResult } from '../../core/types.js';
import { generateDemo } from '../../demo/generate.js';
import { toJson } from '../../report/json.js';
import { scan, type ScanProgress } from '../run.js';
import { iisLog } from '../test-helpers.js';
import { QUEUE_NAME, redisConnection } from './names.js';
import { startWorker as startInProcessWorker } from './worker.js';
import { CORPUS, corpusMissing, PG_URL, postgresMissing, suiteSkip } from '../../test-support/skips.js';
import { assertSchema } from '../../test-support/json-schema.js';
import type { QueueStatus } from './status.js';

// A queued scan against the real engines: Redis (BullMQ) and PostgreSQL on this machine. The same
// evidence scanned in one process and through the queue with one and with three worker processes
// must give the same result, byte for byte; a killed worker, a vanished file and an emptied queue
// must each end as the issue says, never as a silently partial result.
const BIN = fileURLToPath(new URL('../../../bin/exir.js', import.meta.url));
const pgAdmin = PG_URL;
// A queue of its own (a key prefix made for this run), removed after, so no other run's jobs or
// workers on the same Redis meet this one's.
const prefix = `exir-test-${randomBytes(5).toString('hex')}`;
const redisUrl = `${process.env.EXIR_TEST_REDIS ?? 'redis://127.0.0.1:6379'}/0?prefix=${prefix}`;

async function reachable(): Promise<string | undefined> {
  const redis = new Redis({ ...redisConnection(redisUrl), maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    return `Redis at ${redisUrl}: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    redis.disconnect();
  }
  const pgAbsent = await postgresMissing(pgAdmin);
  if (pgAbsent !== undefined) return pgAbsent;
  return undefined;
}

const missing = await reachable();
const database = `exir_queue_${randomBytes(5).toString('hex')}`;
const dbUrl = (() => {
  const u = new URL(pgAdmin);
  u.pathname = `/${database}`;
  return u.toString();
})();

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgAdmin });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function flushQueue(): Promise<void> {
  const queue = new Queue(QUEUE_NAME, { connection: redisConnection(redisUrl), prefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}

async function completedJobs(): Promise<number> {
  const queue = new Queue(QUEUE_NAME, { connection: redisConnection(redisUrl), prefix });
  try {
    return await queue.getJobCountByTypes('completed');
  } finally {
    await queue.close();
  }
}

interface Running {
  child: ChildProcess;
  log: string[];
}

function startWorker(extra: string[] = []): Running {
  const child = spawn(process.execPath, [BIN, 'worker', '--queue', redisUrl, '--db', dbUrl, ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  const log: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (d: string) => log.push(...d.split('\n').filter(Boolean)));
  return { child, log };
}

async function stopWorker(w: Running): Promise<number | null> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return w.child.exitCode;
  const exited = new Promise<number | null>((r) => w.child.once('exit', (code) => r(code)));
  w.child.kill('SIGTERM');
  return exited;
}

/** The result with the one thing that must differ (when it was made) taken out. */
function comparable(result: ScanResult): string {
  return toJson({ ...result, scannedAt: '' });
}

describe('scans through the queue', { skip: suiteSkip('redis', missing && `queue tests need Redis and PostgreSQL: ${missing}`) }, () => {
  let dir: string;
  let oneProcess: ScanResult;
  const workers: Running[] = [];

  before(async () => {
    await admin(`CREATE DATABASE ${database}`);
    await flushQueue();
    dir = await mkdtemp(join(tmpdir(), 'exir-queue-'));
    await generateDemo({ outDir: join(dir, 'demo'), targetBytes: 1_500_000 });
    oneProcess = await scan({ inputs: [join(dir, 'demo')], threads: 1 });
  });
  after(async () => {
    for (const w of workers) await stopWorker(w);
    await flushQueue().catch(() => undefined);
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  for (const count of [1, 3]) {
    it(`with ${count} worker process(es) the result is the one-process result`, async () => {
      const started = Array.from({ length: count }, () => startWorker());
      workers.push(...started);
      const jobsBefore = await completedJobs();
      const queued = await scan({ inputs: [join(dir, 'demo')], queue: { redisUrl, dbUrl, firm: 'acme', pollMs: 100 } });
      assert.equal(comparable(queued), comparable(oneProcess));
      const jobs = (await completedJobs()) - jobsBefore;
      assert.ok(jobs <= queued.evidence.length / 4, `small files travel many to a job (${jobs} jobs for ${queued.evidence.length} files and the later passes)`);
      assert.ok(oneProcess.findings.length > 10);
      const codes = await Promise.all(started.map(stopWorker));
      assert.deepEqual(
        codes,
        started.map(() => 0),
        'workers stop cleanly on SIGTERM',
      );
      if (count === 3) {
        const busy = started.filter((w) => w.log.some((l) => l.includes(' detect ')));
        assert.ok(busy.length >= 2, `the work was shared (${busy.length} of 3 workers took jobs)`);
      }
    });
  }

  it('large logs cut into byte ranges (forced to 4 KiB) give the one-process result, on the demo bundle and the sample logs', async () => {
    const samples = ['qazeer-artefacts-help/extracted', 'velociraptor-testdata'].map((f) => join(CORPUS, f));
    const inputs = [join(dir, 'demo'), ...(corpusMissing(...samples) ? [] : samples)];
    const expected = inputs.length === 1 ? oneProcess : await scan({ inputs, threads: 1 });
    const started = [startWorker(), startWorker()];
    workers.push(...started);
    const queued = await scan({ inputs, queue: { redisUrl, dbUrl, firm: 'acme', pollMs: 100, rangeBytes: 4096 } });
    assert.equal(comparable(queued), comparable(expected));
    const ranges = started.flatMap((w) => w.log.filter((l) => /\(range \d+ of \d+\)/.test(l)));
    assert.ok(ranges.length >= 3, `jobs of ranges taken: ${ranges.length}`);
    assert.ok(expected.sessions.length > 0 && expected.findings.length > 10);
    for (const w of started) assert.equal(await stopWorker(w), 0);
  });

  it('exir scan --range-size and --batch-size reach the queue: a 2.5 MiB log in 1 MiB ranges gives the one-process result', async () => {
    const line = '2021-03-03 02:10:11 10.0.0.5 GET /owa/auth/x.js - 443 - 198.51.100.7 Mozilla/5.0 - 200 0 0 15';
    const file = join(dir, 'u_ex219999.log');
    await writeFile(file, iisLog(Array.from({ length: 26_000 }, () => line)));
    const expected = await scan({ inputs: [file], threads: 1 });
    const w = startWorker();
    workers.push(w);
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [BIN, 'scan', file, '--queue', redisUrl, '--db', dbUrl, '--range-size', '1', '--batch-size', '1', '--json', '-', '-q'],
        {
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
      let text = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
      child.once('exit', (code) => (code === 0 || code === 1 ? resolve(text) : reject(new Error(`exit ${code}`))));
    });
    const queued = JSON.parse(out) as ScanResult;
    assert.equal(comparable(queued), comparable(expected));
    assert.ok(
      w.log.some((l) => l.includes('u_ex219999.log (range 3 of 3)')),
      w.log.join('\n'),
    );
    assert.equal(await stopWorker(w), 0);

    // Written out, the run's results are emptied; its rows stay for status, which the schema pins.
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    let runId: string;
    try {
      const rows = await client.query<{ run_id: string; kept: string }>(
        "SELECT run_id, count(result) AS kept FROM exir_queue_results WHERE path LIKE '%u_ex219999.log' GROUP BY run_id",
      );
      assert.equal(rows.rows.length, 1);
      assert.equal(rows.rows[0]?.kept, '0', 'no result kept');
      runId = rows.rows[0]?.run_id;
    } finally {
      await client.end();
    }
    const status = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'queue', 'status', '--queue', redisUrl, '--db', dbUrl, '--json'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let text = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
      child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`exit ${code}`))));
    });
    const shown = assertSchema<QueueStatus>('queue-status', status);
    assert.equal(shown.runs.find((r) => r.runId === runId)?.done, true);
    assert.ok(shown.slowest.length > 0);
  });

  it('progress counts files, not byte ranges: a log cut in ranges is one file, done when its last range is in', async () => {
    const line = '2021-03-03 02:10:11 10.0.0.5 GET /owa/auth/x.js - 443 - 198.51.100.7 Mozilla/5.0 - 200 0 0 15';
    const bundle = join(dir, 'ranges');
    await mkdir(bundle, { recursive: true });
    await writeFile(join(bundle, 'u_ex210303.log'), iisLog(Array.from({ length: 400 }, () => line)));
    await writeFile(join(bundle, 'u_ex210304.log'), iisLog([line]));
    const w = startWorker();
    workers.push(w);
    const seen: ScanProgress[] = [];
    await scan({ inputs: [bundle], queue: { redisUrl, dbUrl, firm: 'acme', pollMs: 50, rangeBytes: 4096 }, onProgress: (p) => seen.push({ ...p }) });
    assert.ok(
      w.log.some((l) => /u_ex210303\.log \(range \d+ of \d+\)/.test(l)),
      'the large log was cut',
    );
    const detect = seen.filter((p) => p.pass === 'detect');
    assert.ok(detect.length > 0);
    for (const p of detect) {
      assert.equal(p.totalFiles, 2);
      assert.ok(p.files <= 2, `files ${p.files} of ${p.totalFiles}`);
    }
    assert.equal(detect.at(-1)?.files, 2);
    assert.equal(await stopWorker(w), 0);
  });

  it('a worker killed mid-job: its job is taken again after the lock expires and the result is the same', async () => {
    const big = join(dir, 'big');
    const line = '2021-03-03 02:10:11 10.0.0.5 GET /owa/auth/logon.aspx replaceCurrent=1 443 - 198.51.100.7 Mozilla/5.0 - 200 0 0 15';
    await writeFile(join(dir, 'big.log'), iisLog(Array.from({ length: 400_000 }, () => line)));
    await rm(big, { recursive: true, force: true });
    const inputs = [join(dir, 'big.log')];
    const expected = await scan({ inputs, threads: 1 });
    const first = startWorker(['--lock-ms', '1500']);
    workers.push(first);
    const pending = scan({ inputs, queue: { redisUrl, dbUrl, firm: 'acme', pollMs: 100 } });
    for (let i = 0; i < 200 && !first.log.some((l) => l.includes('big.log')); i++) await sleep(25);
    first.child.kill('SIGKILL');
    const second = startWorker(['--lock-ms', '1500']);
    workers.push(second);
    const result = await pending;
    assert.equal(comparable(result), comparable(expected));
    assert.ok(
      second.log.some((l) => l.includes('big.log')),
      'the second worker read the file again',
    );
    // Stopped here so that no worker but the next test's own takes its jobs.
    assert.equal(await stopWorker(second), 0);
  });

  it("one firm's big bundle does not starve another's: each run's jobs are served in turn", async () => {
    const small = join(dir, 'small');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(small, { recursive: true });
    for (const n of [1, 2, 3]) {
      await writeFile(join(small, `u_ex21030${n}.log`), iisLog([`2021-03-0${n} 02:10:11 10.0.0.5 GET /owa/ - 443 - 198.51.100.7 Mozilla/5.0 - 200 0 0 15`]));
    }
    const w = startWorker();
    workers.push(w);
    const finished: string[] = [];
    const big = scan({ inputs: [join(dir, 'demo')], queue: { redisUrl, dbUrl, firm: 'bigfirm', pollMs: 50 } }).then((r) => {
      finished.push('bigfirm');
      return r;
    });
    await sleep(300);
    const little = scan({ inputs: [small], queue: { redisUrl, dbUrl, firm: 'smallfirm', pollMs: 50 } }).then((r) => {
      finished.push('smallfirm');
      return r;
    });
    const [bigResult, littleResult] = await Promise.all([big, little]);
    assert.deepEqual(finished, ['smallfirm', 'bigfirm']);
    assert.equal(littleResult.evidence.length, 3);
    assert.ok(bigResult.evidence.length > 100);
    await stopWorker(w);
  });

  it('a poison file fails its batch after its tries and is reported by name; the rest of its batch and of the run completes', async () => {
    const bundle = join(dir, 'poison');
    await rm(bundle, { recursive: true, force: true });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(bundle);
    await writeFile(join(bundle, 'a.log'), iisLog(['2021-03-03 02:10:11 10.0.0.5 GET /owa/ - 443 - 198.51.100.7 Mozilla/5.0 - 200 0 0 15']));
    await writeFile(join(bundle, 'b.log'), iisLog(['2021-03-03 02:11:11 10.0.0.5 GET /ecp/ - 443 - 198.51.100.7 Mozilla/5.0 - 200 0 0 15']));
    const worker = await startInProcessWorker({
      redisUrl,
      dbUrl,
      lockMs: 5000,
      beforeFile: (file) => {
        if (file.entry.path.endsWith('b.log')) throw new Error('reader crashed on this file');
      },
    });
    try {
      const result = await scan({ inputs: [bundle], queue: { redisUrl, dbUrl, firm: 'acme', pollMs: 100, attempts: 2, batch: { minBatches: 1 } } });
      assert.deepEqual(
        result.evidence.map((e) => e.path),
        ['poison/a.log'],
      );
      const warning = result.warnings.find((x) => x.where === 'poison/b.log');
      assert.equal(warning?.message, 'not read: failed 2 time(s) in the queue (reader crashed on this file)');
    } finally {
      await worker.stop();
    }
  });

  it('a queue emptied mid-run stops the run with a clear error, never a partial result', async () => {
    const pending = scan({ inputs: [join(dir, 'demo')], queue: { redisUrl, dbUrl, firm: 'acme', pollMs: 100 } });
    const queue = new Queue(QUEUE_NAME, { connection: redisConnection(redisUrl), prefix });
    try {
      for (let i = 0; i < 200 && (await queue.getJobCountByTypes('waiting', 'prioritized')) === 0; i++) await sleep(25);
    } finally {
      await queue.close();
    }
    await flushQueue();
    await assert.rejects(pending, /Redis was restarted or emptied mid-run; nothing was stored in the case/);
  });
});
