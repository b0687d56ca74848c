// Speed check (not a test): repeats the chunks of sample .evtx files to about 100 MB in memory
// and reads them through readEvtx in 1 MiB pieces, as a file stream would deliver them.
// Usage: node --import tsx bench/evtx-parser.ts [file.evtx ...] [--mb 100]

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEvtx } from '../src/sources/evtx/read-evtx.js';

const args = process.argv.slice(2);
const mbIndex = args.indexOf('--mb');
const targetMb = mbIndex >= 0 ? Number(args.splice(mbIndex, 2)[1]) : 100;
const corpus = fileURLToPath(new URL('../../shared/corpus/evtx-attack-samples', import.meta.url));
const files =
  args.length > 0
    ? args
    : readdirSync(corpus)
        .filter((f) => f.endsWith('.evtx'))
        .map((f) => join(corpus, f));

const HEADER = 0x1000;
const CHUNK = 0x10000;
const chunks: Buffer[] = [];
let header: Buffer | undefined;
for (const file of files) {
  const bytes = readFileSync(file);
  header ??= bytes.subarray(0, HEADER);
  for (let p = HEADER; p + CHUNK <= bytes.length; p += CHUNK) {
    if (bytes.toString('latin1', p, p + 8) === 'ElfChnk\0') chunks.push(bytes.subarray(p, p + CHUNK));
  }
}
if (header === undefined || chunks.length === 0) throw new Error('no chunks in the sample files');

const copies = Math.max(1, Math.round((targetMb * 1e6) / CHUNK / chunks.length));
const all = Buffer.concat([header, ...Array.from({ length: copies }, () => chunks).flat()]);

function pieces(size: number): AsyncIterable<Buffer> {
  let p = 0;
  const next = (): Promise<IteratorResult<Buffer>> => {
    if (p >= all.length) return Promise.resolve({ done: true, value: undefined });
    const piece = all.subarray(p, Math.min(p + size, all.length));
    p += size;
    return Promise.resolve({ done: false, value: piece });
  };
  return { [Symbol.asyncIterator]: () => ({ next }) };
}

async function run(): Promise<{ seconds: number; events: number; damaged: number }> {
  let fields = 0;
  const start = process.hrtime.bigint();
  const stats = await readEvtx(
    pieces(1 << 20),
    (e) => {
      fields += Object.keys(e.data).length;
    },
    () => {},
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (fields < 0) console.log(fields);
  return { seconds, events: stats.events, damaged: stats.damaged };
}

console.log(`${files.length} file(s), ${chunks.length} chunk(s) x ${copies} = ${(all.length / 1e6).toFixed(1)} MB`);
await run(); // warm-up
const runs = [await run(), await run(), await run()].sort((a, b) => a.seconds - b.seconds);
const median = runs[1]!;
console.log(
  `median of 3: ${median.seconds.toFixed(3)} s, ${(all.length / 1e6 / median.seconds).toFixed(1)} MB/s, ` +
    `${Math.round(median.events / median.seconds).toLocaleString('en')} events/s (${median.events.toLocaleString('en')} events, ${median.damaged} damaged)`,
);
