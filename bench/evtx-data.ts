// A large .evtx for the bench, made from the public samples in ../shared/corpus: the file header
// of one sample and its 64 KiB chunks repeated. Chunks stay byte-identical, so every checksum
// holds and the parser does real work on each copy.
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const HEADER = 0x1000;
const CHUNK = 0x10000;

export async function ensureEvtxData(corpus: string, dir: string, targetBytes: number): Promise<{ path: string; bytes: number } | undefined> {
  const samples = join(corpus, 'evtx-attack-samples');
  if (!existsSync(samples)) return undefined;
  const out = join(dir, 'bench.evtx');
  if (existsSync(out) && (await stat(out)).size >= targetBytes) return { path: out, bytes: (await stat(out)).size };
  const files = (await readdir(samples)).filter((f) => f.endsWith('.evtx')).sort();
  const chunks: Buffer[] = [];
  let header: Buffer | undefined;
  for (const f of files) {
    const data = await readFile(join(samples, f));
    header ??= data.subarray(0, HEADER);
    for (let at = HEADER; at + CHUNK <= data.length; at += CHUNK) {
      if (data.toString('latin1', at, at + 8) === 'ElfChnk\0') chunks.push(data.subarray(at, at + CHUNK));
    }
  }
  if (!header || chunks.length === 0) return undefined;
  const copies = Math.ceil((targetBytes - HEADER) / (chunks.length * CHUNK));
  const body = Buffer.concat(Array.from({ length: copies }, () => chunks).flat());
  await mkdir(dir, { recursive: true });
  await writeFile(out, Buffer.concat([header, body]));
  return { path: out, bytes: HEADER + body.length };
}
