import { createHash } from 'node:crypto';
import type { FileFacts } from '../types.js';

const HEAD = 64 * 1024;

/** FileFacts for bytes in memory, as the scanner would give them; `reads` counts read() calls. */
export function factsOf(path: string, content: Buffer | string, extra: Partial<FileFacts> = {}): FileFacts & { reads: number } {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const facts = {
    path,
    sha256: createHash('sha256').update(data).digest('hex'),
    size: data.length,
    server: 'EX01',
    head: data.subarray(0, HEAD),
    reads: 0,
    read(): Promise<Buffer> {
      facts.reads++;
      return Promise.resolve(data);
    },
    ...extra,
  };
  return facts;
}

/** A minimal minidump: header, one stream (the module list), one module whose name is `exe`. */
export function minidump(exe: string, padding = 0): Buffer {
  const name = Buffer.from(exe, 'utf16le');
  const moduleList = 44;
  const nameRva = moduleList + 4 + 108;
  const out = Buffer.alloc(nameRva + 4 + name.length + 2 + padding);
  out.write('MDMP', 0, 'latin1');
  out.writeUInt32LE(0xa793, 4);
  out.writeUInt32LE(1, 8);
  out.writeUInt32LE(32, 12);
  out.writeUInt32LE(4, 32);
  out.writeUInt32LE(4 + 108, 36);
  out.writeUInt32LE(moduleList, 40);
  out.writeUInt32LE(1, moduleList);
  out.writeUInt32LE(nameRva, moduleList + 4 + 20);
  out.writeUInt32LE(name.length, nameRva);
  name.copy(out, nameRva + 4);
  return out;
}
