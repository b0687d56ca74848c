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

port.on('message', (task: PoolTask | null) => {
  if (task === null) {
    void opener.close().then(() => port.close());
    return;
  }
  void (async () => {
    let unsent = 0;
    const reply = (message: PoolReply): void => port.postMessage(message);
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
  })();
});
