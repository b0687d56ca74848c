import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import pg from 'pg';
import type { ScanResult } from '../../core/types.js';
import { generateDemo } from '../../demo/generate.js';
import { privateServersMissing, startPostgres, startRedis } from '../../test-support/private-servers.js';
import { PG_URL, postgresMissing, suiteSkip } from '../../test-support/skips.js';
import { scan } from '../run.js';
import { QUEUE_NAME, redisConnection } from './names.js';
import { startWorker } from './worker.js';

// The faults the issue names that the shared services cannot be made to have: Redis restarted and
// PostgreSQL stopped mid-run, each on a server of the test's own. Workers run in this process and
// take a moment over each file, so that the outage falls in the middle of the run.
const missing = privateServersMissing() ?? (await postgresMissing());
const sharedRedis = `${process.env.EXIR_TEST_REDIS ?? 'redis://127.0.0.1:6379'}/0?prefix=exir-faults-${randomBytes(5).toString('hex')}`;
const slowly = (): Promise<void> => sleep(20).then(() => undefined);

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('a queued scan when Redis or PostgreSQL goes away mid-run', { skip: suiteSkip('redis', missing && `fault tests: ${missing}`) }, () => {
  let dir: string;
  let demo: string;
  let oneProcess: ScanResult;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exir-faults-'));
    demo = join(dir, 'demo');
    await generateDemo({ outDir: demo, targetBytes: 1_000_000 });
    oneProcess = await scan({ inputs: [demo], threads: 1 });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('Redis restarted empty: the run stops and says to enqueue the scan again, never a partial result', async () => {
    const database = `exir_faults_${randomBytes(5).toString('hex')}`;
    await admin(`CREATE DATABASE ${database}`);
    const dbUrl = Object.assign(new URL(PG_URL), { pathname: `/${database}` }).toString();
    const redis = await startRedis();
    const worker = await startWorker({ redisUrl: redis.url, dbUrl, lockMs: 5000, beforeFile: slowly });
    let restart: Promise<void> | undefined;
    try {
      const pending = scan({
        inputs: [demo],
        queue: { redisUrl: redis.url, dbUrl, firm: 'acme', pollMs: 100 },
        onProgress: (p) => {
          if (!restart && p.files > 0) restart = redis.stop().then(() => redis.start());
        },
      });
      await assert.rejects(pending, /Redis was restarted or emptied mid-run; nothing was stored in the case — enqueue the scan again/);
      assert.ok(restart, 'Redis was restarted while files were being read');
      await restart;
    } finally {
      await worker.stop();
      await redis.stop();
      await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    }
  });

  it('PostgreSQL stopped: batches fail after their tries with backoff, and the run names every file not stored', async () => {
    const postgres = await startPostgres();
    const log: string[] = [];
    const worker = await startWorker({ redisUrl: sharedRedis, dbUrl: postgres.url, lockMs: 5000, beforeFile: slowly, log: (l) => log.push(l) });
    let outage: Promise<void> | undefined;
    try {
      const result = await scan({
        inputs: [demo],
        queue: { redisUrl: sharedRedis, dbUrl: postgres.url, firm: 'acme', pollMs: 100, attempts: 2 },
        onProgress: (p) => {
          if (!outage && p.pass === 'detect' && p.files > 0) outage = postgres.stop().then(() => sleep(4000).then(() => postgres.start()));
        },
      });
      await outage;
      const notRead = result.warnings.filter((w) => w.message.startsWith('not read: failed 2 time(s) in the queue ('));
      assert.ok(notRead.length > 0, 'some files could not be stored');
      assert.ok(result.evidence.length > 0, 'the files stored before the outage are in the result');
      // Every file is either in the result or named as not read: none is silently lost.
      assert.deepEqual([...result.evidence.map((e) => e.path), ...notRead.map((w) => w.where)].sort(), oneProcess.evidence.map((e) => e.path).sort());
      assert.ok(
        log.some((l) => l.includes('(try 2)')),
        'a failed batch was tried again',
      );
    } finally {
      await worker.stop();
      await postgres.remove();
      const queue = new Queue(QUEUE_NAME, { connection: redisConnection(sharedRedis), prefix: new URL(sharedRedis).searchParams.get('prefix') ?? '' });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
  });
});
