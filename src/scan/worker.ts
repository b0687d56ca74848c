import { parentPort, workerData } from 'node:worker_threads';
import { EvidenceOpener } from '../evidence/open.js';
import { loadEngine, type EngineOptions } from './engine.js';
import type { PoolReply, PoolTask } from './pool.js';
import { runJob } from './job.js';

// One worker thread: loads the rules once, then reads whole files as the pool hands them out.
const port = parentPort;
if (!port) throw new Error('scan worker started outside a worker thread');

const enginePromise = loadEngine(workerData as EngineOptions);
const opener = new EvidenceOpener();
const PROGRESS_EVERY = 8 * 1024 * 1024;
/**
 * Files read at once. The pool gives more ahead than this so as never to leave the thread waiting;
 * reading them all at once would hold a buffer and a scanner for each.
 */
const READING_AT_ONCE = 4;

const waiting: PoolTask[] = [];
let reading = 0;
let closing = false;

function reply(message: PoolReply): void {
  port!.postMessage(message);
}

async function read(task: PoolTask): Promise<void> {
  let unsent = 0;
  try {
    const engine = await enginePromise;
    const result = await runJob(task.job, task.entry, engine, opener, (bytes) => {
      unsent += bytes;
      if (unsent >= PROGRESS_EVERY) {
        reply({ type: 'progress', id: task.id, bytes: unsent });
        unsent = 0;
      }
    });
    reply({ type: 'done', id: task.id, bytes: unsent, result });
  } catch (err) {
    reply({ type: 'failed', id: task.id, bytes: unsent, message: err instanceof Error ? err.message : String(err) });
  }
}

function next(): void {
  while (reading < READING_AT_ONCE && waiting.length > 0) {
    reading += 1;
    void read(waiting.shift() as PoolTask).then(() => {
      reading -= 1;
      next();
    });
  }
  if (closing && reading === 0 && waiting.length === 0) void opener.close().then(() => port!.close());
}

port.on('message', (task: PoolTask | null) => {
  if (task === null) closing = true;
  else waiting.push(task);
  next();
});
