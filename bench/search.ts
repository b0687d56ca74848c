// The pre-filter's byte search alone, in this process: the records of the logs under a folder, cut
// at line ends into batches of about 64 KiB as the record scanner makes them, marked with the
// literals ripgrep is given in `npm run bench` (or a file of them), by the JavaScript path and by
// the native search at each SIMD level this CPU has, in turn, rounds interleaved. Prints MB/s of
// CPU (user + system) per round, and fails if two of them mark differently.
//   npm run bench:search -- DIR [--literals FILE] [--mb 200] [--rounds 3]
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { markCandidates, planLiterals } from '../src/sources/bytes/literals.js';
import { nativeSearch, type SimdLevel } from '../src/sources/bytes/native.js';
import { shippedLiterals } from './literals.js';

interface Batch {
  bytes: Buffer;
  starts: Int32Array;
  ends: Int32Array;
  isRecord: Uint8Array;
}

const BATCH_BYTES = 64 * 1024;

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

/** Lines without their line end, as records. */
function batch(bytes: Buffer): Batch {
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (let nl = bytes.indexOf(10); nl >= 0; nl = bytes.indexOf(10, at)) {
    starts.push(at);
    ends.push(nl > at && bytes[nl - 1] === 13 ? nl - 1 : nl);
    at = nl + 1;
  }
  if (at < bytes.length) {
    starts.push(at);
    ends.push(bytes.length);
  }
  return { bytes, starts: Int32Array.from(starts), ends: Int32Array.from(ends), isRecord: new Uint8Array(starts.length).fill(1) };
}

async function batches(dir: string, limit: number): Promise<{ batches: Batch[]; bytes: number }> {
  const out: Batch[] = [];
  let total = 0;
  for (const path of await files(dir)) {
    const data = await readFile(path);
    for (let from = 0; from < data.length && total < limit;) {
      let to = Math.min(data.length, from + BATCH_BYTES);
      const nl = to < data.length ? data.lastIndexOf(10, to - 1) : -1;
      if (nl > from) to = nl + 1;
      out.push(batch(data.subarray(from, to)));
      total += to - from;
      from = to;
    }
    if (total >= limit) break;
  }
  return { batches: out, bytes: total };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { literals: { type: 'string' }, mb: { type: 'string', default: '200' }, rounds: { type: 'string', default: '3' } },
    allowPositionals: true,
  });
  const dir = positionals[0];
  if (!dir) throw new Error('usage: npm run bench:search -- DIR [--literals FILE] [--mb 200] [--rounds 3]');
  const literals = values.literals ? (await readFile(values.literals, 'utf8')).split('\n').filter((l) => l.length > 0) : await shippedLiterals();
  const { batches: all, bytes } = await batches(dir, Number(values.mb) * 1e6);
  const search = nativeSearch();
  const engines: (SimdLevel | 'JavaScript')[] = ['JavaScript'];
  if (search) for (const level of ['scalar', 'ssse3', 'avx2'] as const) if (search.simd(level) === level) engines.push(level);
  console.log(`${(bytes / 1e6).toFixed(0)} MB in ${all.length} batches, ${literals.length} literals; node ${process.version}`);
  const marked = new Map<string, string>();
  for (let round = 1; round <= Number(values.rounds); round++) {
    const line: string[] = [];
    for (const engine of engines) {
      if (engine !== 'JavaScript') search?.simd(engine);
      const plan = planLiterals(literals, engine !== 'JavaScript');
      const kept: Uint8Array[] = [];
      const before = process.cpuUsage();
      for (const b of all) {
        const marks = new Uint8Array(b.starts.length);
        markCandidates(plan, b.bytes, b.starts, b.ends, b.isRecord, b.starts.length, marks);
        kept.push(marks);
      }
      const used = process.cpuUsage(before);
      const seconds = (used.user + used.system) / 1e6;
      line.push(`${engine} ${(bytes / 1e6 / seconds).toFixed(0)} MB/s`);
      const summary = Buffer.concat(kept).toString('latin1');
      const first = marked.get('any');
      if (first === undefined) marked.set('any', summary);
      else if (first !== summary) throw new Error(`${engine} marks differently from ${engines[0]}`);
    }
    console.log(`round ${round}: ${line.join(', ')}`);
  }
  search?.simd('auto');
}

await main();
