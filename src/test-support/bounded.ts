import { Worker } from 'node:worker_threads';

/**
 * Runs the function `name` exported by `module` in a worker thread and resolves with what it
 * returns (anything structured clone can copy). For tests of hostile input: a backtracking pattern or
 * a quadratic loop would run for minutes, and a test's own timeout cannot stop synchronous work, so a
 * worker still busy after `limitMs` is stopped and the promise rejects. The limit is many times the
 * ordinary run, so a loaded machine does not fail it: it tells a hang from a result, not fast from slow.
 */
export function runBounded(module: URL, name: string, limitMs = 60_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // The tests run from source: the worker registers the TypeScript loader before loading its side.
    const side = new URL('./bounded-worker.ts', import.meta.url).href;
    const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(side)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: { module: module.href, name } });
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      void worker.terminate();
      reject(new Error(`${name} did not finish within ${limitMs / 1000} s: stopped`));
    }, limitMs);
    worker.once('message', (value: unknown) => {
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(value);
    });
    worker.once('error', (error) => {
      settled = true;
      clearTimeout(timer);
      reject(error);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      if (!settled) reject(new Error(`${name}'s worker exited with code ${code} before answering`));
    });
  });
}
