// The worker side of runBounded: imports the module, calls the named function, posts its result.
import { parentPort, workerData } from 'node:worker_threads';

const { module, name } = workerData as { module: string; name: string };
const loaded = (await import(module)) as Record<string, unknown>;
const fn = loaded[name];
if (typeof fn !== 'function') throw new Error(`${module} exports no function ${name}`);
parentPort?.postMessage(await (fn as () => unknown)());
